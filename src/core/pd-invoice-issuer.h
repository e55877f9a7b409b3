/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-catalog.h"
#include "pd-paymaster-api.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* REST v2 invoices are made by PayMaster one request at a time. */
#define PD_MAX_V2_INVOICE_BATCH 1000

void       pd_invoice_issuer_issue_async  (PdStore               *store,
                                           const PdShop          *shop,
                                           PdPaymasterApi        *api,
                                           const PdInvoiceDraft  *draft,
                                           guint                  count,
                                           gboolean               test,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
GPtrArray *pd_invoice_issuer_issue_finish (GAsyncResult          *result,
                                           GError               **error);

G_END_DECLS
