/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog-private.h"

#define INVOICE_COLUMNS \
  "id, number, description, amount, currency, status, test, email, created_at, " \
  "coalesce (expires_at, 0), coalesce (paid_at, 0), payment_id, phone, paymaster_url, " \
  "paymaster_invoice_id, idempotency_key, refunded"

static PdInvoice *
invoice_from_row (sqlite3_stmt *stmt)
{
  PdInvoice *invoice = g_new0 (PdInvoice, 1);

  invoice->id = sqlite3_column_int64 (stmt, 0);
  invoice->number = _pd_catalog_column_text (stmt, 1);
  invoice->description = _pd_catalog_column_text (stmt, 2);
  invoice->amount = sqlite3_column_int64 (stmt, 3);
  invoice->currency = _pd_catalog_column_text (stmt, 4);
  pd_invoice_status_from_string ((const char *) sqlite3_column_text (stmt, 5), &invoice->status);
  invoice->test = sqlite3_column_int (stmt, 6) != 0;
  invoice->email = _pd_catalog_column_text (stmt, 7);
  invoice->created_at = sqlite3_column_int64 (stmt, 8);
  invoice->expires_at = sqlite3_column_int64 (stmt, 9);
  invoice->paid_at = sqlite3_column_int64 (stmt, 10);
  invoice->payment_id = _pd_catalog_column_text (stmt, 11);
  invoice->phone = _pd_catalog_column_text (stmt, 12);
  invoice->paymaster_url = _pd_catalog_column_text (stmt, 13);
  invoice->paymaster_invoice_id = _pd_catalog_column_text (stmt, 14);
  invoice->idempotency_key = _pd_catalog_column_text (stmt, 15);
  invoice->refunded = sqlite3_column_int64 (stmt, 16);
  return invoice;
}

PdInvoice *
pd_catalog_get_invoice (PdDatabase  *db,
                        const char  *number,
                        GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT " INVOICE_COLUMNS " FROM invoices WHERE number = ?",
                                            error);
  PdInvoice *invoice = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    invoice = invoice_from_row (stmt);
  sqlite3_reset (stmt);

  if (invoice == NULL)
    g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_FOUND,
                 _("There is no invoice %s: “paydesk-cli invoice list” shows the invoices."), number);
  return invoice;
}

GPtrArray *
pd_catalog_list_invoices (PdDatabase  *db,
                          int          status,
                          guint        limit,
                          GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT " INVOICE_COLUMNS " FROM invoices "
                                            "WHERE ?1 IS NULL OR status = ?1 "
                                            "ORDER BY id DESC LIMIT ?2",
                                            error);

  if (stmt == NULL)
    return NULL;
  if (status >= 0)
    sqlite3_bind_text (stmt, 1, pd_invoice_status_to_string (status), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  return pd_database_collect_rows (stmt, (PdRowFunc) invoice_from_row,
                                   (GDestroyNotify) pd_invoice_free);
}

GArray *
pd_catalog_query_invoice_ids (PdDatabase            *db,
                              const PdInvoiceQuery  *query,
                              GError               **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT id FROM invoices "
                                            "WHERE (?1 IS NULL OR status = ?1) AND "
                                            "(?2 IS NULL OR number = ?2 OR "
                                            " instr (pd_fold (coalesce (email, '')), pd_fold (?2)) > 0 OR "
                                            " instr (pd_fold (description), pd_fold (?2)) > 0) "
                                            "ORDER BY id DESC",
                                            error);

  if (stmt == NULL)
    return NULL;
  if (query->status >= 0)
    sqlite3_bind_text (stmt, 1, pd_invoice_status_to_string (query->status), -1, SQLITE_STATIC);
  if (query->search != NULL && *query->search != '\0')
    sqlite3_bind_text (stmt, 2, query->search, -1, SQLITE_STATIC);
  return pd_database_collect_ids (stmt);
}

PdInvoice *
pd_catalog_get_invoice_by_id (PdDatabase  *db,
                              gint64       id,
                              GError     **error)
{
  g_autoptr(GPtrArray) invoices = pd_catalog_get_invoices_by_ids (db, &id, 1, error);

  if (invoices == NULL)
    return NULL;
  if (invoices->len == 0)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_FOUND,
                   _("The invoice no longer exists."));
      return NULL;
    }
  return g_ptr_array_steal_index (invoices, 0);
}

/* Rows for @ids in the same order; ids that do not exist are skipped. */
GPtrArray *
pd_catalog_get_invoices_by_ids (PdDatabase    *db,
                                const gint64  *ids,
                                guint          n_ids,
                                GError       **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT " INVOICE_COLUMNS " FROM invoices WHERE id = ?",
                                            error);

  if (stmt == NULL)
    return NULL;
  return pd_database_rows_by_ids (stmt, ids, n_ids, (PdRowFunc) invoice_from_row,
                                  (GDestroyNotify) pd_invoice_free);
}

static PdInvoiceLineRow *
line_from_row (sqlite3_stmt *stmt)
{
  PdInvoiceLineRow *line = g_new0 (PdInvoiceLineRow, 1);

  line->name = _pd_catalog_column_text (stmt, 0);
  line->price = sqlite3_column_int64 (stmt, 1);
  line->quantity = sqlite3_column_int64 (stmt, 2);
  line->vat = _pd_catalog_column_text (stmt, 3);
  line->subject = (guint) sqlite3_column_int (stmt, 4);
  line->method = (guint) sqlite3_column_int (stmt, 5);
  return line;
}

static PdStatusChange *
change_from_row (sqlite3_stmt *stmt)
{
  PdStatusChange *change = g_new0 (PdStatusChange, 1);

  pd_invoice_status_from_string ((const char *) sqlite3_column_text (stmt, 0), &change->status);
  change->at = sqlite3_column_int64 (stmt, 1);
  change->note = _pd_catalog_column_text (stmt, 2);
  return change;
}

GPtrArray *
pd_catalog_list_invoice_lines (PdDatabase  *db,
                               gint64       invoice_id,
                               GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT name, price, quantity, vat, subject, method "
                                            "FROM invoice_lines WHERE invoice_id = ? ORDER BY position",
                                            error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, invoice_id);
  return pd_database_collect_rows (stmt, (PdRowFunc) line_from_row,
                                   (GDestroyNotify) pd_invoice_line_row_free);
}

GPtrArray *
pd_catalog_list_invoice_history (PdDatabase  *db,
                                 gint64       invoice_id,
                                 GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT status, at, note FROM invoice_history "
                                            "WHERE invoice_id = ? ORDER BY id",
                                            error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, invoice_id);
  return pd_database_collect_rows (stmt, (PdRowFunc) change_from_row,
                                   (GDestroyNotify) pd_status_change_free);
}

typedef struct
{
  gint64      invoice_id;
  const char *note;
} CancelInvoice;

static gboolean
cancel_invoice_noting_locked (PdDatabase  *db,
                              gpointer     data,
                              GError     **error)
{
  const CancelInvoice *op = data;
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "UPDATE invoices SET status = 'cancelled' "
                                            "WHERE id = ? AND status = 'issued'",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->invoice_id);
  if (!pd_database_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (sqlite3_db_handle (stmt)) == 0)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("Only an unpaid invoice can be cancelled."));
      return FALSE;
    }

  stmt = pd_database_prepare (db,
                              "INSERT INTO invoice_history (invoice_id, status, at, note) "
                              "VALUES (?, 'cancelled', strftime ('%s', 'now'), ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->invoice_id);
  if (op->note != NULL)
    sqlite3_bind_text (stmt, 2, op->note, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 2);
  return pd_database_step_done (db, stmt, error);
}

/* Cancels an unpaid invoice and says why in its history. */
gboolean
pd_catalog_cancel_invoice_noting (PdDatabase  *db,
                                  gint64       invoice_id,
                                  const char  *note,
                                  GError     **error)
{
  CancelInvoice op = { invoice_id, note };

  return pd_database_run_in_transaction (db, cancel_invoice_noting_locked, &op, error);
}

gboolean
pd_catalog_cancel_invoice (PdDatabase  *db,
                           gint64       invoice_id,
                           GError     **error)
{
  return pd_catalog_cancel_invoice_noting (db, invoice_id, NULL, error);
}

/* REST v2: the Idempotency-Key of the request that makes the invoice's
 * link. Kept before the request is sent, so that asking again after a
 * lost answer cannot make a second PayMaster invoice. An invoice keeps
 * the first key it was given. */
gboolean
pd_catalog_set_invoice_request_key (PdDatabase  *db,
                                    gint64       invoice_id,
                                    const char  *key,
                                    GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "UPDATE invoices SET idempotency_key = ? "
                                            "WHERE id = ? AND idempotency_key IS NULL",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, invoice_id);
  return pd_database_step_done (db, stmt, error);
}

/* REST v2: what PayMaster answered when it made the invoice. */
gboolean
pd_catalog_set_invoice_link (PdDatabase  *db,
                             gint64       invoice_id,
                             const char  *paymaster_invoice_id,
                             const char  *url,
                             GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "UPDATE invoices SET paymaster_invoice_id = ?, "
                                            "paymaster_url = ? WHERE id = ?",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, paymaster_invoice_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, url, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, invoice_id);
  return pd_database_step_done (db, stmt, error);
}
