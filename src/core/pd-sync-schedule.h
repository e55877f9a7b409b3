/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-paymaster-api.h"
#include "pd-shop.h"
#include "pd-store.h"

G_BEGIN_DECLS

#define PD_TYPE_SYNC_SCHEDULE (pd_sync_schedule_get_type ())

G_DECLARE_FINAL_TYPE (PdSyncSchedule, pd_sync_schedule, PD, SYNC_SCHEDULE, GObject)

/* Values of the "sync_mode" setting. */
#define PD_SYNC_MODE_NOTIFICATIONS "notifications"
#define PD_SYNC_MODE_POLLING       "polling"
#define PD_SYNC_MODE_BOTH          "both"

/* A credential is what PayMaster's API is asked with: the API user's
 * password for a classic shop, the API token for a REST v2 one. */
PdSyncSchedule *pd_sync_schedule_new            (PdStore        *store);
void            pd_sync_schedule_restart        (PdSyncSchedule *self,
                                                 const PdShop   *shop,
                                                 const char     *credential);
void            pd_sync_schedule_set_credential (PdSyncSchedule *self,
                                                 const char     *credential);
PdPaymasterApi *pd_sync_schedule_dup_api        (PdSyncSchedule *self);
void            pd_sync_schedule_stop           (PdSyncSchedule *self);
void            pd_sync_schedule_sync_now       (PdSyncSchedule *self);
gboolean        pd_sync_schedule_get_enabled    (PdSyncSchedule *self);
gboolean        pd_sync_schedule_get_busy       (PdSyncSchedule *self);
const GError   *pd_sync_schedule_get_error      (PdSyncSchedule *self);
gint64          pd_sync_schedule_get_last_synced (PdSyncSchedule *self);
const char     *pd_sync_schedule_get_state_text (PdSyncSchedule *self);
guint           pd_sync_schedule_get_interval   (PdSyncSchedule *self);
void            pd_sync_schedule_set_interval   (PdSyncSchedule *self,
                                                 guint           seconds);

G_END_DECLS
