/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-paymaster-api.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* One thing a reconciliation pass changed or found. */
typedef struct
{
  char      *invoice_number;
  PdVerdict  verdict;
  char      *reason;
} PdSyncChange;

void       pd_sync_change_free       (PdSyncChange         *change);

void       pd_reconciler_sync_async  (PdStore              *store,
                                      const PdShop         *shop,
                                      PdPaymasterApi       *api,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GPtrArray *pd_reconciler_sync_finish (GAsyncResult         *result,
                                      GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSyncChange, pd_sync_change_free)

G_END_DECLS
