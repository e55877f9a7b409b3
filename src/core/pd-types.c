/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-types"

#include "config.h"

#include "pd-types.h"

static const char *hash_alg_names[] = { "md5", "sha1", "sha256" };
static const char *shop_mode_names[] = { "live", "test", "sandbox" };
static const char *invoice_status_names[] = { "issued", "paid", "cancelled", "expired", "refunded" };
static const char *protocol_names[] = { "classic", "v2" };
static const char *event_kind_names[] = {
  "prerequest", "notification", "invalid", "reconciliation", "callback", "refund"
};
static const char *verdict_names[] = { "accepted", "duplicate", "flagged", "rejected" };

static gboolean
lookup_name (const char  *const *names,
             guint               n_names,
             const char         *text,
             int                *value)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_ascii_strcasecmp (names[i], text) == 0)
        {
          *value = (int) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
pd_hash_alg_to_string (PdHashAlg alg)
{
  g_return_val_if_fail (alg < G_N_ELEMENTS (hash_alg_names), NULL);
  return hash_alg_names[alg];
}

gboolean
pd_hash_alg_from_string (const char *text,
                         PdHashAlg  *alg)
{
  int value;

  if (!lookup_name (hash_alg_names, G_N_ELEMENTS (hash_alg_names), text, &value))
    return FALSE;
  *alg = (PdHashAlg) value;
  return TRUE;
}

const char *
pd_protocol_to_string (PdProtocol protocol)
{
  g_return_val_if_fail (protocol < G_N_ELEMENTS (protocol_names), NULL);
  return protocol_names[protocol];
}

gboolean
pd_protocol_from_string (const char *text,
                         PdProtocol *protocol)
{
  int value;

  if (!lookup_name (protocol_names, G_N_ELEMENTS (protocol_names), text, &value))
    return FALSE;
  *protocol = (PdProtocol) value;
  return TRUE;
}

const char *
pd_shop_mode_to_string (PdShopMode mode)
{
  g_return_val_if_fail (mode < G_N_ELEMENTS (shop_mode_names), NULL);
  return shop_mode_names[mode];
}

gboolean
pd_shop_mode_from_string (const char *text,
                          PdShopMode *mode)
{
  int value;

  if (!lookup_name (shop_mode_names, G_N_ELEMENTS (shop_mode_names), text, &value))
    return FALSE;
  *mode = (PdShopMode) value;
  return TRUE;
}

gboolean
pd_shop_mode_is_test (PdShopMode mode)
{
  return mode != PD_SHOP_MODE_LIVE;
}

const char *
pd_invoice_status_to_string (PdInvoiceStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (invoice_status_names), NULL);
  return invoice_status_names[status];
}

gboolean
pd_invoice_status_from_string (const char      *text,
                               PdInvoiceStatus *status)
{
  int value;

  if (!lookup_name (invoice_status_names, G_N_ELEMENTS (invoice_status_names), text, &value))
    return FALSE;
  *status = (PdInvoiceStatus) value;
  return TRUE;
}

const char *
pd_event_kind_to_string (PdEventKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (event_kind_names), NULL);
  return event_kind_names[kind];
}

const char *
pd_verdict_to_string (PdVerdict verdict)
{
  g_return_val_if_fail (verdict < G_N_ELEMENTS (verdict_names), NULL);
  return verdict_names[verdict];
}
