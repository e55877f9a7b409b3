/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-listener.h"
#include "pd-records.h"
#include "pd-shop.h"
#include "pd-store.h"
#include "pd-sync-schedule.h"

G_BEGIN_DECLS

#define PD_TYPE_SERVICE (pd_service_get_type ())

G_DECLARE_FINAL_TYPE (PdService, pd_service, PD, SERVICE, GObject)

typedef enum
{
  PD_SERVICE_STOPPED,
  PD_SERVICE_LISTENING,
  PD_SERVICE_FAILED,
} PdServiceState;

PdService      *pd_service_new                (const char           *db_path,
                                               GError              **error);
PdStore        *pd_service_get_store          (PdService            *self);
PdSyncSchedule *pd_service_get_sync_schedule  (PdService            *self);
const PdShop   *pd_service_get_shop           (PdService            *self);
gboolean        pd_service_is_set_up          (PdService            *self);
PdServiceState  pd_service_get_state          (PdService            *self);
const char     *pd_service_get_state_text     (PdService            *self);
char           *pd_service_get_listen_uri     (PdService            *self);
void            pd_service_start_async        (PdService            *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        pd_service_start_finish       (PdService            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void            pd_service_configure_async    (PdService            *self,
                                               const PdShop         *shop,
                                               const char           *secret,
                                               const char           *api_token,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        pd_service_configure_finish   (PdService            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void            pd_service_stop               (PdService            *self);
PdPaymasterApi *pd_service_dup_api            (PdService            *self);
void            pd_service_dup_api_async      (PdService            *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
PdPaymasterApi *pd_service_dup_api_finish     (PdService            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
char           *pd_service_payment_url        (PdService            *self,
                                               const PdInvoice      *invoice,
                                               GPtrArray            *lines,
                                               GError              **error);

G_END_DECLS
