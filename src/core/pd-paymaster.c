/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-paymaster"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "pd-money.h"
#include "pd-paymaster.h"

/* The fields LMI_HASH covers, in order; the secret key follows them. */
static const char *signed_fields[] = {
  "LMI_MERCHANT_ID",
  "LMI_PAYMENT_NO",
  "LMI_SYS_PAYMENT_ID",
  "LMI_SYS_PAYMENT_DATE",
  "LMI_PAYMENT_AMOUNT",
  "LMI_CURRENCY",
  "LMI_PAID_AMOUNT",
  "LMI_PAID_CURRENCY",
  "LMI_PAYMENT_SYSTEM",
  "LMI_SIM_MODE",
};

/* Fetched once: OpenSSL 3 looks an implicit EVP_sha256() up again on
 * every digest, which shows on the listener's hot path. */
static const EVP_MD *
hash_alg_md (PdHashAlg alg)
{
  static const char *names[PD_N_HASH_ALGS] = { "MD5", "SHA1", "SHA256" };
  static EVP_MD *fetched[PD_N_HASH_ALGS];

  g_return_val_if_fail (alg < PD_N_HASH_ALGS, NULL);

  if (g_once_init_enter (&fetched[alg]))
    {
      EVP_MD *md = EVP_MD_fetch (NULL, names[alg], NULL);

      if (md == NULL)
        g_error ("OpenSSL has no %s digest", names[alg]);
      g_once_init_leave (&fetched[alg], md);
    }
  return fetched[alg];
}

/* base64 of the raw digest, as PayMaster does (not of a hex string). */
char *
pd_paymaster_digest_base64 (PdHashAlg   alg,
                            const char *data,
                            gsize       length)
{
  static GPrivate context_key = G_PRIVATE_INIT ((GDestroyNotify) EVP_MD_CTX_free);
  EVP_MD_CTX *context = g_private_get (&context_key);
  guchar digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;

  /* One context per thread, reused: allocating one per digest costs more
   * than hashing a notification. */
  if (context == NULL)
    {
      context = EVP_MD_CTX_new ();
      g_private_set (&context_key, context);
    }

  if (context == NULL ||
      !EVP_DigestInit_ex2 (context, hash_alg_md (alg), NULL) ||
      !EVP_DigestUpdate (context, data, length) ||
      !EVP_DigestFinal_ex (context, digest, &digest_len))
    g_error ("OpenSSL could not compute a %s digest", pd_hash_alg_to_string (alg));

  return g_base64_encode (digest, digest_len);
}

char *
pd_paymaster_signed_string (const PdForm *form,
                            const char   *secret)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (signed_fields); i++)
    {
      const char *value = pd_form_get (form, signed_fields[i]);

      g_string_append (out, value ? value : "");
      g_string_append_c (out, ';');
    }
  g_string_append (out, secret);

  return g_string_free (out, FALSE);
}

/* For showing a signed string to a person: the secret never leaves. */
char *
pd_paymaster_mask_secret (const char *text,
                          const char *secret)
{
  g_auto(GStrv) parts = NULL;

  if (secret == NULL || *secret == '\0')
    return g_strdup (text);
  parts = g_strsplit (text, secret, -1);
  return g_strjoinv ("********", parts);
}

char *
pd_paymaster_sign (const PdForm *form,
                   PdHashAlg     alg,
                   const char   *secret)
{
  g_autofree char *signed_string = pd_paymaster_signed_string (form, secret);

  return pd_paymaster_digest_base64 (alg, signed_string, strlen (signed_string));
}

static gboolean
hash_matches (const PdForm *form,
              PdHashAlg     alg,
              const char   *secret,
              const char   *received)
{
  g_autofree char *expected = pd_paymaster_sign (form, alg, secret);
  gsize len = strlen (expected);

  return strlen (received) == len && CRYPTO_memcmp (expected, received, len) == 0;
}

/* Looks for the usual reasons a genuine notification fails to verify, so
 * that the merchant reads what to change instead of "bad signature". */
static char *
diagnose_mismatch (const PdForm *form,
                   PdHashAlg     alg,
                   const char   *secret,
                   const char   *received)
{
  g_autofree char *trimmed_secret = g_strstrip (g_strdup (secret));
  g_autofree char *respaced = g_strdelimit (g_strdup (received), " ", '+');

  for (guint other = 0; other < PD_N_HASH_ALGS; other++)
    {
      if (other != alg && hash_matches (form, other, secret, received))
        {
          /* Upper case, as the PayMaster cabinet writes them. */
          g_autofree char *used = g_ascii_strup (pd_hash_alg_to_string (other), -1);
          g_autofree char *set = g_ascii_strup (pd_hash_alg_to_string (alg), -1);

          return g_strdup_printf (_("The notification is signed with %s, but Paydesk is set to %s: "
                                    "choose %s in Paydesk or change the signature type in the "
                                    "PayMaster cabinet."),
                                  used, set, used);
        }
    }

  if (strcmp (trimmed_secret, secret) != 0)
    {
      for (guint any = 0; any < PD_N_HASH_ALGS; any++)
        if (hash_matches (form, any, trimmed_secret, received))
          return g_strdup (_("The secret key stored in Paydesk has spaces or a line break around it: "
                             "enter the secret key again."));
    }

  if (strcmp (respaced, received) != 0 && hash_matches (form, alg, secret, respaced))
    return g_strdup (_("The signature arrived with “+” turned into spaces: a proxy in front of "
                       "Paydesk decodes the form; pass the request body through unchanged."));

  return g_strdup (_("The signature does not match: check that the secret key and signature "
                     "type in Paydesk are the same as in the PayMaster cabinet."));
}

gboolean
pd_paymaster_verify (const PdForm  *form,
                     PdHashAlg      alg,
                     const char    *secret,
                     char         **diagnosis)
{
  const char *received = pd_form_get (form, "LMI_HASH");

  if (received == NULL || *received == '\0')
    {
      if (diagnosis)
        *diagnosis = g_strdup (_("The notification has no LMI_HASH signature: "
                                 "turn on the signature in the PayMaster cabinet."));
      return FALSE;
    }

  if (hash_matches (form, alg, secret, received))
    return TRUE;

  if (diagnosis)
    *diagnosis = diagnose_mismatch (form, alg, secret, received);
  return FALSE;
}

gboolean
pd_paymaster_is_prerequest (const PdForm *form)
{
  const char *flag = pd_form_get (form, "LMI_PREREQUEST");

  /* The meaning of 2 is undocumented; integrations treat it as 1. */
  return g_strcmp0 (flag, "1") == 0 || g_strcmp0 (flag, "2") == 0;
}

PdForm *
pd_paymaster_payment_form (const PdShop           *shop,
                           const PdPaymentRequest *request)
{
  g_autoptr(PdForm) form = pd_form_new ();
  g_autofree char *amount = pd_money_format (request->amount);
  g_autofree char *desc64 = g_base64_encode ((const guchar *) request->description,
                                             strlen (request->description));
  g_autofree char *notify_url = pd_shop_endpoint_url (shop, PD_PATH_NOTIFY);
  g_autofree char *success_url = pd_shop_endpoint_url (shop, PD_PATH_SUCCESS);
  g_autofree char *failure_url = pd_shop_endpoint_url (shop, PD_PATH_FAILURE);

  pd_form_add (form, "LMI_MERCHANT_ID", shop->merchant_id);
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", amount);
  pd_form_add (form, "LMI_CURRENCY", pd_currency_normalize (request->currency));
  pd_form_add (form, "LMI_PAYMENT_NO", request->number);
  pd_form_add (form, "LMI_PAYMENT_DESC_BASE64", desc64);
  if (pd_shop_mode_is_test (shop->mode))
    pd_form_add (form, "LMI_SIM_MODE", "0");
  /* A shop that only checks by itself may have no public address: then
   * PayMaster takes whatever the cabinet has. */
  if (shop->public_url != NULL && *shop->public_url != '\0')
    {
      pd_form_add (form, "LMI_INVOICE_CONFIRMATION_URL", notify_url);
      pd_form_add (form, "LMI_PAYMENT_NOTIFICATION_URL", notify_url);
      pd_form_add (form, "LMI_SUCCESS_URL", success_url);
      pd_form_add (form, "LMI_FAILURE_URL", failure_url);
    }

  if (request->expires_at > 0)
    {
      g_autoptr(GDateTime) expires = g_date_time_new_from_unix_utc (request->expires_at);
      g_autofree char *text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%S");

      pd_form_add (form, "LMI_EXPIRES", text);
    }

  if (request->email != NULL && *request->email != '\0')
    pd_form_add (form, "LMI_PAYER_EMAIL", request->email);

  return g_steal_pointer (&form);
}

/* The GET link to PayMaster's payment page that carries @form. */
char *
pd_paymaster_form_url (const PdShop *shop,
                       const PdForm *form)
{
  g_autofree char *query = pd_form_encode (form);
  const char *base = shop->paymaster_url ? shop->paymaster_url : PD_DEFAULT_PAYMASTER_URL;
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    len--;
  return g_strdup_printf ("%.*s/Payment/Init?%s", (int) len, base, query);
}

char *
pd_paymaster_payment_url (const PdShop           *shop,
                          const PdPaymentRequest *request)
{
  g_autoptr(PdForm) form = pd_paymaster_payment_form (shop, request);

  return pd_paymaster_form_url (shop, form);
}
