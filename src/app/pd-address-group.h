/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-shop.h"

G_BEGIN_DECLS

#define PD_TYPE_ADDRESS_GROUP (pd_address_group_get_type ())

G_DECLARE_FINAL_TYPE (PdAddressGroup, pd_address_group, PD, ADDRESS_GROUP, AdwPreferencesGroup)

void  pd_address_group_load           (PdAddressGroup *self,
                                       const PdShop   *shop);
void  pd_address_group_commit_port    (PdAddressGroup *self);
char *pd_address_group_dup_listen     (PdAddressGroup *self);
char *pd_address_group_dup_public_url (PdAddressGroup *self,
                                       gboolean        needed);

G_END_DECLS
