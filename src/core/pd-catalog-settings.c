/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog-private.h"
#include "pd-receipt.h"

char *
pd_catalog_get_setting (PdDatabase  *db,
                        const char  *key,
                        GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db, "SELECT value FROM settings WHERE key = ?", error);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = _pd_catalog_column_text (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/**
 * pd_catalog_read_setting:
 * @key: (type utf8): the setting's name
 *
 * A #PdStoreFunc for pd_store_read_async(): the setting, "" when it is
 * unset, since unset is an answer too.
 */
gpointer
pd_catalog_read_setting (PdDatabase  *db,
                         gpointer     key,
                         GError     **error)
{
  GError *local_error = NULL;
  char *value = pd_catalog_get_setting (db, key, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return value != NULL ? value : g_strdup ("");
}

gboolean
pd_catalog_set_setting (PdDatabase  *db,
                        const char  *key,
                        const char  *value,
                        GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "INSERT INTO settings (key, value) VALUES (?, ?) "
                                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value ? value : "", -1, SQLITE_STATIC);
  return pd_database_step_done (db, stmt, error);
}

PdShop *
pd_catalog_load_shop (PdDatabase  *db,
                      GError     **error)
{
  g_autoptr(PdShop) shop = pd_shop_new ();
  g_autofree char *hash = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *paymaster_url = NULL;
  g_autofree char *listen = NULL;
  GError *local_error = NULL;

  shop->merchant_id = pd_catalog_get_setting (db, "merchant_id", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (shop->merchant_id == NULL)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_SET_UP,
                   _("Paydesk is not set up yet: run “paydesk-cli setup” or the setup wizard."));
      return NULL;
    }

  hash = pd_catalog_get_setting (db, "hash_alg", NULL);
  mode = pd_catalog_get_setting (db, "mode", NULL);
  /* Shops set up before REST v2 was spoken have no protocol: classic. */
  protocol = pd_catalog_get_setting (db, "protocol", NULL);
  if (!pd_hash_alg_from_string (hash, &shop->hash_alg) ||
      !pd_shop_mode_from_string (mode, &shop->mode) ||
      (protocol != NULL && !pd_protocol_from_string (protocol, &shop->protocol)))
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_SCHEMA,
                   _("The settings in the database are damaged: run the setup again."));
      return NULL;
    }

  shop->public_url = pd_catalog_get_setting (db, "public_url", NULL);
  if ((paymaster_url = pd_catalog_get_setting (db, "paymaster_url", NULL)) != NULL && *paymaster_url)
    {
      g_free (shop->paymaster_url);
      shop->paymaster_url = g_steal_pointer (&paymaster_url);
    }
  if ((listen = pd_catalog_get_setting (db, "listen", NULL)) != NULL && *listen)
    {
      g_free (shop->listen);
      shop->listen = g_steal_pointer (&listen);
    }

  return g_steal_pointer (&shop);
}

static gboolean
save_shop_locked (PdDatabase    *db,
                  gpointer       data,
                  GError       **error)
{
  const PdShop *shop = data;

  return pd_catalog_set_setting (db, "merchant_id", shop->merchant_id, error) &&
         pd_catalog_set_setting (db, "hash_alg", pd_hash_alg_to_string (shop->hash_alg), error) &&
         pd_catalog_set_setting (db, "mode", pd_shop_mode_to_string (shop->mode), error) &&
         pd_catalog_set_setting (db, "protocol", pd_protocol_to_string (shop->protocol), error) &&
         pd_catalog_set_setting (db, "public_url", shop->public_url, error) &&
         pd_catalog_set_setting (db, "paymaster_url", shop->paymaster_url, error) &&
         pd_catalog_set_setting (db, "listen", shop->listen, error);
}

gboolean
pd_catalog_save_shop (PdDatabase    *db,
                      const PdShop  *shop,
                      GError       **error)
{
  return pd_database_run_in_transaction (db, save_shop_locked, (gpointer) shop, error);
}

/* Refuses what no receipt line can say, so that a product never stands in
 * the way of an invoice later. */
gboolean
_pd_catalog_check_receipt_fields (const char  *vat,
                                  guint        subject,
                                  guint        method,
                                  GError     **error)
{
  if (pd_vat_rate_lookup (vat) == NULL)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("Paydesk does not know the VAT rate “%s”: choose one of the rates it lists."),
                   vat ? vat : "");
      return FALSE;
    }
  if (pd_receipt_subject_lookup (subject) == NULL)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("Paydesk does not know the payment subject %u: choose one of the subjects "
                     "it lists."),
                   subject);
      return FALSE;
    }
  if (pd_receipt_method_lookup (method) == NULL)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("Paydesk does not know the payment method %u: choose one of the methods "
                     "it lists."),
                   method);
      return FALSE;
    }
  return TRUE;
}

/* Unset defaults, and values only a newer Paydesk knows, read as the
 * PD_RECEIPT_DEFAULT_ ones. */
gboolean
pd_catalog_get_receipt_defaults (PdDatabase         *db,
                                 PdReceiptDefaults  *defaults,
                                 GError            **error)
{
  g_autofree char *vat = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *method = NULL;
  const PdVatRate *rate;
  GError *local_error = NULL;

  vat = pd_catalog_get_setting (db, "receipt_vat", &local_error);
  if (local_error == NULL)
    subject = pd_catalog_get_setting (db, "receipt_subject", &local_error);
  if (local_error == NULL)
    method = pd_catalog_get_setting (db, "receipt_method", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  rate = pd_vat_rate_lookup (vat);
  defaults->vat = rate ? rate->tag : PD_RECEIPT_DEFAULT_VAT;
  defaults->subject = pd_receipt_parse_code (subject);
  if (pd_receipt_subject_lookup (defaults->subject) == NULL)
    defaults->subject = PD_RECEIPT_DEFAULT_SUBJECT;
  defaults->method = pd_receipt_parse_code (method);
  if (pd_receipt_method_lookup (defaults->method) == NULL)
    defaults->method = PD_RECEIPT_DEFAULT_METHOD;
  return TRUE;
}

static gboolean
set_receipt_defaults_locked (PdDatabase  *db,
                             gpointer     data,
                             GError     **error)
{
  const PdReceiptDefaults *defaults = data;
  g_autofree char *subject = g_strdup_printf ("%u", defaults->subject);
  g_autofree char *method = g_strdup_printf ("%u", defaults->method);

  return pd_catalog_set_setting (db, "receipt_vat", defaults->vat, error) &&
         pd_catalog_set_setting (db, "receipt_subject", subject, error) &&
         pd_catalog_set_setting (db, "receipt_method", method, error);
}

gboolean
pd_catalog_set_receipt_defaults (PdDatabase               *db,
                                 const PdReceiptDefaults  *defaults,
                                 GError                  **error)
{
  return _pd_catalog_check_receipt_fields (defaults->vat, defaults->subject, defaults->method,
                                           error) &&
         pd_database_run_in_transaction (db, set_receipt_defaults_locked, (gpointer) defaults, error);
}
