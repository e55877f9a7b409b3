/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-database.h"
#include "pd-service.h"

G_BEGIN_DECLS

/* How payments arrive, as the "sync_mode" and "api_login" settings hold it. */
typedef struct
{
  char *sync_mode;    /* a PD_SYNC_MODE_*, or NULL when never chosen */
  char *api_login;    /* NULL when never entered */
} PdSyncSettings;

/* How payments arrive, as a list offers the choice: notifications,
 * checking, both. */
#define PD_SYNC_MODE_N_CHOICES 3

const char     *pd_sync_mode_for_choice      (guint                 choice,
                                              guint                 fallback);
guint           pd_sync_mode_choice          (const char           *sync_mode,
                                              guint                 fallback);
const char     *pd_sync_mode_describe        (guint                 choice);

void            pd_sync_settings_free        (PdSyncSettings       *settings);
gpointer        pd_sync_settings_read        (PdDatabase           *db,
                                              gpointer              data,
                                              GError              **error);
void            pd_sync_settings_save_async  (PdService            *service,
                                              const char           *merchant_id,
                                              const char           *sync_mode,
                                              const char           *api_login,
                                              const char           *api_password,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean        pd_sync_settings_save_finish (PdService            *service,
                                              GAsyncResult         *result,
                                              GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSyncSettings, pd_sync_settings_free)

G_END_DECLS
