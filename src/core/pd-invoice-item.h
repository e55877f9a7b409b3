/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pd-records.h"

G_BEGIN_DECLS

#define PD_TYPE_INVOICE_ITEM (pd_invoice_item_get_type ())

G_DECLARE_FINAL_TYPE (PdInvoiceItem, pd_invoice_item, PD, INVOICE_ITEM, GObject)

gint64           pd_invoice_item_get_id          (PdInvoiceItem   *self);
gboolean         pd_invoice_item_get_loaded      (PdInvoiceItem   *self);
const PdInvoice *pd_invoice_item_get_invoice     (PdInvoiceItem   *self);
void             pd_invoice_item_set_invoice     (PdInvoiceItem   *self,
                                                  const PdInvoice *invoice);
const char      *pd_invoice_status_display       (PdInvoiceStatus  status);
const char      *pd_invoice_describe_status      (const PdInvoice *invoice);
char            *pd_format_time_display          (gint64           unix_seconds);

G_END_DECLS
