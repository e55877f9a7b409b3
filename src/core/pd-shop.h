/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-types.h"

G_BEGIN_DECLS

/* The merchant's PayMaster site as Paydesk is set up for it. The secret key
 * is deliberately not here: it lives in the keyring (pd-secrets). */
typedef struct
{
  char       *merchant_id;
  PdHashAlg   hash_alg;
  PdShopMode  mode;
  PdProtocol  protocol;
  char       *public_url;
  char       *paymaster_url;
  char       *listen;
} PdShop;

#define PD_DEFAULT_PAYMASTER_URL "https://paymaster.ru"
#define PD_DEFAULT_LISTEN "127.0.0.1:8080"

/* The REST API v2 token of a sandbox shop: the built-in sandbox runs on
 * this computer and has no cabinet to create one in, so setup stores this
 * one in the keyring like a real token, and the sandbox accepts it. */
#define PD_SANDBOX_API_TOKEN "paydesk-sandbox-token"

PdShop   *pd_shop_new                (void);
PdShop   *pd_shop_copy               (const PdShop  *shop);
void      pd_shop_free               (PdShop        *shop);
char     *pd_shop_endpoint_url       (const PdShop  *shop,
                                      const char    *path);
gboolean  pd_shop_merchant_id_is_valid (const char  *merchant_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdShop, pd_shop_free)

G_END_DECLS
