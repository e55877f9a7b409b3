/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-service.h"

G_BEGIN_DECLS

#define PD_TYPE_INVOICE_DIALOG (pd_invoice_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PdInvoiceDialog, pd_invoice_dialog, PD, INVOICE_DIALOG, AdwWindow)

GtkWidget *pd_invoice_dialog_new (PdService *service);

G_END_DECLS
