/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-refunds"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog.h"
#include "pd-journal.h"
#include "pd-money.h"
#include "pd-paymaster-api.h"
#include "pd-refunds.h"

/* What the database keeps of refunds. A refund is written down before it
 * is asked for, with the Idempotency-Key (or classic externalID) of the
 * request; while PayMaster's answer is unknown it stays "requested", and
 * the next refund of that invoice sends the very same request again, so
 * that no refund can be paid out twice. */

void
pd_refund_request_free (PdRefundRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->invoice_number);
  g_free (request->payment_id);
  g_free (request->currency);
  g_free (request->idempotency_key);
  g_free (request);
}

static PdRefundRequest *
find_unanswered (PdDatabase       *db,
                 const PdInvoice  *invoice,
                 GError          **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT id, payment_id, amount, idempotency_key "
                                            "FROM refunds WHERE invoice_id = ? AND status = 'requested' "
                                            "ORDER BY id LIMIT 1",
                                            error);
  PdRefundRequest *request = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, invoice->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      request = g_new0 (PdRefundRequest, 1);
      request->id = sqlite3_column_int64 (stmt, 0);
      request->payment_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      request->amount = sqlite3_column_int64 (stmt, 2);
      request->idempotency_key = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      request->resumed = TRUE;
    }
  sqlite3_reset (stmt);
  return request;
}

static gboolean
check_refundable (const PdInvoice  *invoice,
                  gint64            amount,
                  GError          **error)
{
  gint64 left = invoice->amount - invoice->refunded;

  if (invoice->status == PD_INVOICE_REFUNDED)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("Invoice %s is refunded in full already."), invoice->number);
      return FALSE;
    }
  if (invoice->status != PD_INVOICE_PAID || invoice->payment_id == NULL)
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("Only a paid invoice can be refunded, and invoice %s is not paid."),
                   invoice->number);
      return FALSE;
    }
  if (amount <= 0 || amount > left)
    {
      g_autofree char *left_text = pd_money_format (left);

      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("The refund must be more than zero and at most %s %s, what is left of "
                     "invoice %s."), left_text, invoice->currency, invoice->number);
      return FALSE;
    }
  return TRUE;
}

/**
 * pd_refunds_begin:
 * @amount: kopecks to refund, or 0 for all that is left
 *
 * Writes down a refund of @invoice_number's payment before it is asked
 * for. When an earlier refund of the invoice is still unanswered, returns
 * that one (with @resumed set) instead, whatever @amount is. Run it in a
 * transaction.
 */
PdRefundRequest *
pd_refunds_begin (PdDatabase  *db,
                  const char  *invoice_number,
                  gint64       amount,
                  GError     **error)
{
  g_autoptr(PdInvoice) invoice = pd_catalog_get_invoice (db, invoice_number, error);
  g_autoptr(PdRefundRequest) request = NULL;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  if (invoice == NULL)
    return NULL;

  request = find_unanswered (db, invoice, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (request == NULL)
    {
      if (amount == 0)
        amount = invoice->amount - invoice->refunded;
      if (!check_refundable (invoice, amount, error))
        return NULL;

      request = g_new0 (PdRefundRequest, 1);
      request->payment_id = g_strdup (invoice->payment_id);
      request->amount = amount;
      request->idempotency_key = pd_api_new_idempotency_key ();

      stmt = pd_database_prepare (db,
                                  "INSERT INTO refunds (invoice_id, payment_id, amount, "
                                  "idempotency_key, created_at) "
                                  "VALUES (?, ?, ?, ?, strftime ('%s', 'now'))",
                                  error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, invoice->id);
      sqlite3_bind_text (stmt, 2, request->payment_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, request->amount);
      sqlite3_bind_text (stmt, 4, request->idempotency_key, -1, SQLITE_STATIC);
      if (!pd_database_step_done (db, stmt, error))
        return NULL;
      request->id = pd_database_last_insert_id (db);
    }

  request->invoice_id = invoice->id;
  request->invoice_number = g_strdup (invoice->number);
  request->currency = g_strdup (invoice->currency);
  return g_steal_pointer (&request);
}

static gboolean
settle_invoice (PdDatabase             *db,
                const PdRefundRequest  *request,
                const char             *note,
                GError                **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "UPDATE invoices SET refunded = refunded + ?1, "
                                            "status = CASE WHEN refunded + ?1 >= amount "
                                            "THEN 'refunded' ELSE status END WHERE id = ?2",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, request->amount);
  sqlite3_bind_int64 (stmt, 2, request->invoice_id);
  if (!pd_database_step_done (db, stmt, error))
    return FALSE;

  stmt = pd_database_prepare (db,
                              "INSERT INTO invoice_history (invoice_id, status, at, note) "
                              "VALUES (?, 'refunded', strftime ('%s', 'now'), ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, request->invoice_id);
  sqlite3_bind_text (stmt, 2, note, -1, SQLITE_STATIC);
  return pd_database_step_done (db, stmt, error);
}

/**
 * pd_refunds_finish:
 * @paymaster_id: (nullable): PayMaster's id of the refund it made
 * @failure: (nullable): why PayMaster did not refund, %NULL when it did
 * @path: the API path that was asked, for the event
 *
 * Writes down PayMaster's answer to @request and keeps it as an event.
 * A refund whose answer never came (@failure set, @paymaster_id and the
 * answer unknown) is for the caller to leave unfinished. Run it in a
 * transaction.
 */
gboolean
pd_refunds_finish (PdDatabase             *db,
                   const PdRefundRequest  *request,
                   const char             *paymaster_id,
                   const char             *failure,
                   const char             *path,
                   GError                **error)
{
  g_autofree char *amount = pd_money_format_display (request->amount, request->currency);
  g_autofree char *reason = NULL;
  sqlite3_stmt *stmt;
  PdEvent event = { 0 };

  stmt = pd_database_prepare (db, "UPDATE refunds SET status = ?, paymaster_id = ?, note = ? "
                                  "WHERE id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, failure ? "failed" : "done", -1, SQLITE_STATIC);
  if (paymaster_id != NULL)
    sqlite3_bind_text (stmt, 2, paymaster_id, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 2);
  if (failure != NULL)
    sqlite3_bind_text (stmt, 3, failure, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_int64 (stmt, 4, request->id);
  if (!pd_database_step_done (db, stmt, error))
    return FALSE;

  if (failure == NULL)
    reason = g_strdup_printf (_("PayMaster refunded %s of invoice %s."),
                              amount, request->invoice_number);
  else
    reason = g_strdup_printf (_("PayMaster did not refund %s of invoice %s: %s"),
                              amount, request->invoice_number, failure);

  if (failure == NULL && !settle_invoice (db, request, reason, error))
    return FALSE;

  event.at = g_get_real_time ();
  event.method = (char *) "POST";
  event.path = (char *) path;
  event.kind = (char *) pd_event_kind_to_string (PD_EVENT_REFUND);
  event.verdict = (char *) pd_verdict_to_string (failure ? PD_VERDICT_REJECTED : PD_VERDICT_ACCEPTED);
  event.reason = reason;
  event.http_status = 200;
  event.invoice_number = request->invoice_number;
  event.payment_id = request->payment_id;
  return pd_journal_add_event (db, &event, error);
}
