/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog-private.h"
#include "pd-invoice-receipt.h"
#include "pd-money.h"

/* Invoice numbers count up from a counter kept in the settings, so that a
 * number is never handed out twice, even after an invoice is deleted. */
char *
pd_catalog_next_number (const char *number)
{
  guint64 value = g_ascii_strtoull (number, NULL, 10);

  return g_strdup_printf ("%" G_GUINT64_FORMAT, value + 1);
}

typedef struct
{
  const PdInvoiceDraft *draft;
  guint                 count;
  gboolean              test;
  GPtrArray            *products;
  PdInvoice            *first;
} CreateInvoices;

static gboolean
insert_invoice (PdDatabase      *db,
                CreateInvoices  *op,
                const char      *number,
                GError         **error)
{
  const PdInvoice *tmpl = op->first;
  sqlite3_stmt *stmt;
  gint64 invoice_id;

  stmt = pd_database_prepare (db,
                              "INSERT INTO invoices (number, description, amount, currency, test, "
                              "email, created_at, expires_at, phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, tmpl->description, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, tmpl->amount);
  sqlite3_bind_text (stmt, 4, tmpl->currency, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, tmpl->test);
  if (tmpl->email)
    sqlite3_bind_text (stmt, 6, tmpl->email, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, tmpl->created_at);
  if (tmpl->expires_at > 0)
    sqlite3_bind_int64 (stmt, 8, tmpl->expires_at);
  if (tmpl->phone)
    sqlite3_bind_text (stmt, 9, tmpl->phone, -1, SQLITE_STATIC);
  if (!pd_database_step_done (db, stmt, error))
    return FALSE;
  invoice_id = pd_database_last_insert_id (db);

  stmt = pd_database_prepare (db,
                              "INSERT INTO invoice_lines (invoice_id, position, product_id, name, "
                              "price, quantity, vat, subject, method) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < op->products->len; i++)
    {
      const PdProduct *product = op->products->pdata[i];

      sqlite3_bind_int64 (stmt, 1, invoice_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_int64 (stmt, 3, product->id);
      sqlite3_bind_text (stmt, 4, product->name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, product->price);
      sqlite3_bind_int64 (stmt, 6, op->draft->lines[i].quantity);
      sqlite3_bind_text (stmt, 7, product->vat, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 8, (int) product->subject);
      sqlite3_bind_int (stmt, 9, (int) product->method);
      if (!pd_database_step_done (db, stmt, error))
        return FALSE;
    }

  stmt = pd_database_prepare (db,
                              "INSERT INTO invoice_history (invoice_id, status, at) "
                              "VALUES (?, 'issued', ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, invoice_id);
  sqlite3_bind_int64 (stmt, 2, tmpl->created_at);
  return pd_database_step_done (db, stmt, error);
}

static gboolean
create_invoices_locked (PdDatabase     *db,
                        gpointer        data,
                        GError        **error)
{
  CreateInvoices *op = data;
  g_autofree char *number = pd_catalog_get_setting (db, "next_invoice_number", error);

  if (number == NULL)
    number = g_strdup ("1");
  op->first->number = g_strdup (number);

  for (guint i = 0; i < op->count; i++)
    {
      g_autofree char *next = NULL;

      if (!insert_invoice (db, op, number, error))
        return FALSE;
      next = pd_catalog_next_number (number);
      g_free (number);
      number = g_steal_pointer (&next);
    }

  return pd_catalog_set_setting (db, "next_invoice_number", number, error);
}

/* Builds the invoice's description and total from its lines: "Tea × 2, Cup". */
static gboolean
price_lines (PdDatabase      *db,
             CreateInvoices  *op,
             GError         **error)
{
  g_autoptr(GString) description = g_string_new (NULL);
  gint64 total = 0;

  for (guint i = 0; i < op->draft->n_lines; i++)
    {
      const PdInvoiceLine *line = &op->draft->lines[i];
      PdProduct *product = pd_catalog_get_product (db, line->product_id, error);
      gint64 line_total;

      if (product == NULL)
        return FALSE;
      g_ptr_array_add (op->products, product);

      if (product->archived)
        {
          g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                       _("The product “%s” is archived: restore it before you invoice it."),
                       product->name);
          return FALSE;
        }
      if (line->quantity <= 0 || line->quantity > 1000000)
        {
          g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                       _("The quantity must be between 1 and 1000000."));
          return FALSE;
        }
      if (!pd_money_multiply (product->price, line->quantity, &line_total) ||
          total > G_MAXINT64 / 100 - line_total)
        {
          g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                       _("The invoice total is too large."));
          return FALSE;
        }
      total += line_total;

      if (description->len > 0)
        g_string_append (description, ", ");
      g_string_append (description, product->name);
      if (line->quantity > 1)
        g_string_append_printf (description, " × %" G_GINT64_FORMAT, line->quantity);
    }

  op->first->amount = total;
  op->first->description = g_string_free (g_steal_pointer (&description), FALSE);
  return TRUE;
}

static gboolean
has_text (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    {
      if (!g_ascii_isspace (*text))
        return TRUE;
    }
  return FALSE;
}

/* Keeps the customer's e-mail and phone as the receipt will have them. */
static gboolean
take_contact (CreateInvoices  *op,
              GError         **error)
{
  PdInvoice *first = op->first;

  if (has_text (op->draft->email) &&
      (first->email = pd_receipt_normalize_email (op->draft->email, error)) == NULL)
    return FALSE;
  if (has_text (op->draft->phone) &&
      (first->phone = pd_receipt_normalize_phone (op->draft->phone, error)) == NULL)
    return FALSE;
  return TRUE;
}

/* Refuses an invoice whose receipt a cash register would not take, before
 * anything is stored or any link made: PayMaster would refuse the payment
 * with it. The shop's protocol decides which codes there are. */
static gboolean
check_receipt (PdDatabase      *db,
               CreateInvoices  *op,
               GError         **error)
{
  /* The rows borrow the products' strings: freed with g_free alone. */
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PdReceipt) receipt = NULL;
  g_autofree char *protocol_text = NULL;
  PdProtocol protocol = PD_PROTOCOL_CLASSIC;
  GError *local_error = NULL;

  for (guint i = 0; i < op->products->len; i++)
    {
      const PdProduct *product = op->products->pdata[i];
      PdInvoiceLineRow *line = g_new0 (PdInvoiceLineRow, 1);

      line->name = product->name;
      line->price = product->price;
      line->quantity = op->draft->lines[i].quantity;
      line->vat = product->vat;
      line->subject = product->subject;
      line->method = product->method;
      g_ptr_array_add (lines, line);
    }

  protocol_text = pd_catalog_get_setting (db, "protocol", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (protocol_text != NULL)
    pd_protocol_from_string (protocol_text, &protocol);

  receipt = pd_invoice_receipt_new (op->first, lines, error);
  return receipt != NULL && pd_invoice_receipt_check (receipt, protocol, op->first->amount, error);
}

PdInvoice *
pd_catalog_create_invoices (PdDatabase            *db,
                            const PdInvoiceDraft  *draft,
                            guint                  count,
                            gboolean               test,
                            GError               **error)
{
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_product_free);
  g_autoptr(PdInvoice) first = g_new0 (PdInvoice, 1);
  CreateInvoices op = { draft, count, test, products, first };

  if (draft->n_lines == 0)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("An invoice needs at least one product."));
      return NULL;
    }
  if (count == 0 || count > PD_MAX_INVOICE_BATCH)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("The number of invoices must be between 1 and %d."), PD_MAX_INVOICE_BATCH);
      return NULL;
    }

  first->currency = g_strdup ("RUB");
  first->status = PD_INVOICE_ISSUED;
  first->test = test;
  first->created_at = g_get_real_time () / G_USEC_PER_SEC;
  first->expires_at = draft->lifetime > 0 ? first->created_at + draft->lifetime : 0;

  if (!price_lines (db, &op, error) ||
      !take_contact (&op, error) ||
      !check_receipt (db, &op, error) ||
      !pd_database_run_in_transaction (db, create_invoices_locked, &op, error))
    return NULL;

  first->id = 0;
  return g_steal_pointer (&first);
}

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
