/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog-private.h"
#include "pd-invoice-receipt.h"
#include "pd-money.h"
#include "pd-receipt.h"

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
