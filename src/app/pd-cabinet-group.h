/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-shop.h"

G_BEGIN_DECLS

#define PD_TYPE_CABINET_GROUP (pd_cabinet_group_get_type ())

G_DECLARE_FINAL_TYPE (PdCabinetGroup, pd_cabinet_group, PD, CABINET_GROUP, AdwPreferencesGroup)

void pd_cabinet_group_show_shop (PdCabinetGroup *self,
                                 const PdShop   *shop);

G_END_DECLS
