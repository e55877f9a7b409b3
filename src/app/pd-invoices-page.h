/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-service.h"

G_BEGIN_DECLS

#define PD_TYPE_INVOICES_PAGE (pd_invoices_page_get_type ())

G_DECLARE_FINAL_TYPE (PdInvoicesPage, pd_invoices_page, PD, INVOICES_PAGE, AdwBin)

void pd_invoices_page_set_service (PdInvoicesPage *self,
                                  PdService *service);

G_END_DECLS
