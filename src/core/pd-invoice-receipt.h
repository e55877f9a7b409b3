/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-receipt.h"
#include "pd-records.h"

G_BEGIN_DECLS

PdReceipt *pd_invoice_receipt_new   (const PdInvoice  *invoice,
                                     GPtrArray        *lines,
                                     GError          **error);
gboolean   pd_invoice_receipt_check (const PdReceipt  *receipt,
                                     PdProtocol        protocol,
                                     gint64            amount,
                                     GError          **error);

G_END_DECLS
