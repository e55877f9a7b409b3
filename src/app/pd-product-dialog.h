/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-records.h"
#include "pd-service.h"

G_BEGIN_DECLS

#define PD_TYPE_PRODUCT_DIALOG (pd_product_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PdProductDialog, pd_product_dialog, PD, PRODUCT_DIALOG, AdwWindow)

GtkWidget *pd_product_dialog_new (PdService       *service,
                                  const PdProduct *product);

G_END_DECLS
