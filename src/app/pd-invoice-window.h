/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-service.h"

G_BEGIN_DECLS

#define PD_TYPE_INVOICE_WINDOW (pd_invoice_window_get_type ())

G_DECLARE_FINAL_TYPE (PdInvoiceWindow, pd_invoice_window, PD, INVOICE_WINDOW, AdwWindow)

GtkWidget *pd_invoice_window_new (PdService *service,
                                  gint64     invoice_id);

G_END_DECLS
