/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-shop"

#include "config.h"

#include <string.h>

#include "pd-shop.h"

PdShop *
pd_shop_new (void)
{
  PdShop *shop = g_new0 (PdShop, 1);

  shop->hash_alg = PD_HASH_SHA256;
  shop->mode = PD_SHOP_MODE_TEST;
  shop->paymaster_url = g_strdup (PD_DEFAULT_PAYMASTER_URL);
  shop->listen = g_strdup (PD_DEFAULT_LISTEN);
  return shop;
}

PdShop *
pd_shop_copy (const PdShop *shop)
{
  PdShop *copy = g_new0 (PdShop, 1);

  copy->merchant_id = g_strdup (shop->merchant_id);
  copy->hash_alg = shop->hash_alg;
  copy->mode = shop->mode;
  copy->protocol = shop->protocol;
  copy->public_url = g_strdup (shop->public_url);
  copy->paymaster_url = g_strdup (shop->paymaster_url);
  copy->listen = g_strdup (shop->listen);
  return copy;
}

void
pd_shop_free (PdShop *shop)
{
  if (shop == NULL)
    return;
  g_free (shop->merchant_id);
  g_free (shop->public_url);
  g_free (shop->paymaster_url);
  g_free (shop->listen);
  g_free (shop);
}

/* Joins the public base URL (which may carry a path behind a reverse proxy)
 * and one of the listener's paths, with exactly one slash between them. */
char *
pd_shop_endpoint_url (const PdShop *shop,
                      const char   *path)
{
  const char *base = shop->public_url ? shop->public_url : "";
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    len--;
  while (*path == '/')
    path++;
  return g_strdup_printf ("%.*s/%s", (int) len, base, path);
}

/* PayMaster identifiers are GUIDs: 8-4-4-4-12 hexadecimal digits. */
gboolean
pd_shop_merchant_id_is_valid (const char *merchant_id)
{
  static const int group_lengths[] = { 8, 4, 4, 4, 12 };
  const char *p = merchant_id;

  if (merchant_id == NULL)
    return FALSE;

  for (guint group = 0; group < G_N_ELEMENTS (group_lengths); group++)
    {
      for (int i = 0; i < group_lengths[group]; i++, p++)
        if (!g_ascii_isxdigit (*p))
          return FALSE;
      if (group + 1 < G_N_ELEMENTS (group_lengths) && *p++ != '-')
        return FALSE;
    }

  return *p == '\0';
}
