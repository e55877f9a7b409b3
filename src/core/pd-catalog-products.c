/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog-private.h"

/* Adds a product with the receipt defaults. @vat NULL is the default rate. */
gboolean
pd_catalog_add_product (PdDatabase  *db,
                        const char  *name,
                        gint64       price,
                        const char  *vat,
                        gint64      *id,
                        GError     **error)
{
  PdProduct product = { 0, (char *) name, price, (char *) vat, 0, 0, FALSE };

  return pd_catalog_add_product_full (db, &product, id, error);
}

/* Adds @product (its id and archived are not read). A vat of NULL, a
 * subject or method of 0 take the receipt defaults. */
gboolean
pd_catalog_add_product_full (PdDatabase       *db,
                             const PdProduct  *product,
                             gint64           *id,
                             GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *clean_name = g_strstrip (g_strdup (product->name ? product->name : ""));
  PdReceiptDefaults receipt = { product->vat, product->subject, product->method };

  if (*clean_name == '\0')
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("The product needs a name."));
      return FALSE;
    }
  if (product->price <= 0)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("The price must be more than zero."));
      return FALSE;
    }

  if (receipt.vat == NULL || receipt.subject == 0 || receipt.method == 0)
    {
      PdReceiptDefaults defaults;

      if (!pd_catalog_get_receipt_defaults (db, &defaults, error))
        return FALSE;
      receipt.vat = receipt.vat ? receipt.vat : defaults.vat;
      receipt.subject = receipt.subject ? receipt.subject : defaults.subject;
      receipt.method = receipt.method ? receipt.method : defaults.method;
    }
  if (!_pd_catalog_check_receipt_fields (receipt.vat, receipt.subject, receipt.method, error))
    return FALSE;

  stmt = pd_database_prepare (db,
                              "INSERT INTO products (name, price, vat, subject, method, created_at) "
                              "VALUES (?, ?, ?, ?, ?, strftime ('%s', 'now'))",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, clean_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, product->price);
  sqlite3_bind_text (stmt, 3, receipt.vat, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, (int) receipt.subject);
  sqlite3_bind_int (stmt, 5, (int) receipt.method);
  if (!pd_database_step_done (db, stmt, error))
    return FALSE;
  if (id)
    *id = pd_database_last_insert_id (db);
  return TRUE;
}

#define PRODUCT_COLUMNS "id, name, price, vat, subject, method, archived"

static PdProduct *
product_from_row (sqlite3_stmt *stmt)
{
  PdProduct *product = g_new0 (PdProduct, 1);

  product->id = sqlite3_column_int64 (stmt, 0);
  product->name = _pd_catalog_column_text (stmt, 1);
  product->price = sqlite3_column_int64 (stmt, 2);
  product->vat = _pd_catalog_column_text (stmt, 3);
  product->subject = (guint) sqlite3_column_int (stmt, 4);
  product->method = (guint) sqlite3_column_int (stmt, 5);
  product->archived = sqlite3_column_int (stmt, 6) != 0;
  return product;
}

PdProduct *
pd_catalog_get_product (PdDatabase  *db,
                        gint64       id,
                        GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT " PRODUCT_COLUMNS " FROM products "
                                            "WHERE id = ?",
                                            error);
  PdProduct *product = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    product = product_from_row (stmt);
  sqlite3_reset (stmt);

  if (product == NULL)
    {
      /* The number is formatted apart: gettext cannot see through
       * G_GINT64_FORMAT in a message. */
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_FOUND,
                   _("There is no product %s: “paydesk-cli product list” shows the products."),
                   id_text);
    }
  return product;
}

GPtrArray *
pd_catalog_list_products (PdDatabase  *db,
                          gboolean     include_archived,
                          GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT " PRODUCT_COLUMNS " FROM products "
                                            "WHERE archived = 0 OR ? ORDER BY id",
                                            error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_archived);
  return pd_database_collect_rows (stmt, (PdRowFunc) product_from_row,
                                   (GDestroyNotify) pd_product_free);
}

gboolean
pd_catalog_update_product (PdDatabase       *db,
                           const PdProduct  *product,
                           GError          **error)
{
  g_autofree char *clean_name = g_strstrip (g_strdup (product->name ? product->name : ""));
  sqlite3_stmt *stmt;

  if (*clean_name == '\0' || product->price <= 0)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   *clean_name == '\0' ? _("The product needs a name.")
                                       : _("The price must be more than zero."));
      return FALSE;
    }
  if (!_pd_catalog_check_receipt_fields (product->vat, product->subject, product->method, error))
    return FALSE;

  stmt = pd_database_prepare (db,
                              "UPDATE products SET name = ?, price = ?, vat = ?, subject = ?, "
                              "method = ?, archived = ? WHERE id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, clean_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, product->price);
  sqlite3_bind_text (stmt, 3, product->vat, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, (int) product->subject);
  sqlite3_bind_int (stmt, 5, (int) product->method);
  sqlite3_bind_int (stmt, 6, product->archived);
  sqlite3_bind_int64 (stmt, 7, product->id);
  if (!pd_database_step_done (db, stmt, error))
    return FALSE;

  /* Invoices keep their own copy of each line, so editing a product never
   * changes an invoice already issued. */
  if (sqlite3_changes (sqlite3_db_handle (stmt)) == 0)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_FOUND,
                   _("The product no longer exists."));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
pd_catalog_search_products (PdDatabase  *db,
                            const char  *search,
                            gboolean     include_archived,
                            GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT " PRODUCT_COLUMNS " FROM products "
                                            "WHERE (archived = 0 OR ?1) AND "
                                            "(?2 IS NULL OR instr (pd_fold (name), pd_fold (?2)) > 0) "
                                            "ORDER BY pd_fold (name), id",
                                            error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_archived);
  if (search != NULL && *search != '\0')
    sqlite3_bind_text (stmt, 2, search, -1, SQLITE_STATIC);
  return pd_database_collect_rows (stmt, (PdRowFunc) product_from_row,
                                   (GDestroyNotify) pd_product_free);
}
