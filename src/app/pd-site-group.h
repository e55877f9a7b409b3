/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-shop.h"

G_BEGIN_DECLS

#define PD_TYPE_SITE_GROUP (pd_site_group_get_type ())

G_DECLARE_FINAL_TYPE (PdSiteGroup, pd_site_group, PD, SITE_GROUP, AdwPreferencesGroup)

void       pd_site_group_load            (PdSiteGroup   *self,
                                          const PdShop  *shop);
gboolean   pd_site_group_check           (PdSiteGroup   *self,
                                          const PdShop  *current);
char      *pd_site_group_dup_merchant_id (PdSiteGroup   *self);
char      *pd_site_group_dup_paymaster_url (PdSiteGroup *self);
PdProtocol pd_site_group_get_protocol    (PdSiteGroup   *self);
PdHashAlg  pd_site_group_get_hash_alg    (PdSiteGroup   *self);
PdShopMode pd_site_group_get_mode        (PdSiteGroup   *self);
gboolean   pd_site_group_read_secrets    (PdSiteGroup   *self,
                                          const PdShop  *shop,
                                          gboolean       new_merchant,
                                          char         **secret,
                                          char         **api_token);

G_END_DECLS
