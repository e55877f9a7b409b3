/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-service.h"

G_BEGIN_DECLS

#define PD_TYPE_PAYMENTS_PAGE (pd_payments_page_get_type ())

G_DECLARE_FINAL_TYPE (PdPaymentsPage, pd_payments_page, PD, PAYMENTS_PAGE, AdwBin)

void pd_payments_page_set_service (PdPaymentsPage *self,
                                  PdService *service);

G_END_DECLS
