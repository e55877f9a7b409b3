/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-paymaster-api.h"
#include "pd-store.h"

G_BEGIN_DECLS

void       pd_refunder_refund_async  (PdStore              *store,
                                      const PdShop         *shop,
                                      PdPaymasterApi       *api,
                                      const char           *invoice_number,
                                      gint64                amount,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
PdInvoice *pd_refunder_refund_finish (GAsyncResult         *result,
                                      gint64               *refunded,
                                      GError              **error);

G_END_DECLS
