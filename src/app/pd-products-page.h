/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-service.h"

G_BEGIN_DECLS

#define PD_TYPE_PRODUCTS_PAGE (pd_products_page_get_type ())

G_DECLARE_FINAL_TYPE (PdProductsPage, pd_products_page, PD, PRODUCTS_PAGE, AdwBin)

void pd_products_page_set_service (PdProductsPage *self,
                                   PdService      *service);

G_END_DECLS
