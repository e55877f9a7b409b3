/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-secrets.h"
#include "pd-store.h"

G_BEGIN_DECLS

void      pd_settings_save_async  (PdStore              *store,
                                   const char           *merchant_id,
                                   const char * const   *secrets,
                                   PdStoreFunc           write,
                                   gpointer              data,
                                   GDestroyNotify        data_free,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gboolean  pd_settings_save_finish (PdStore              *store,
                                   GAsyncResult         *result,
                                   GError              **error);

G_END_DECLS
