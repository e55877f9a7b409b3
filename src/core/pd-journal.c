/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-journal"

#include "config.h"

#include <string.h>

#include "pd-journal.h"
#include "pd-money.h"
#include "pd-paymaster.h"

/* The journal keeps every inbound request as an event and every genuine
 * payment once. pd_journal_record() runs inside the caller's transaction:
 * the invoice is read, the ledger decides, and the outcome is written
 * together, so two notifications can never both pay one invoice. */

PdInbound *
pd_inbound_new (void)
{
  PdInbound *inbound = g_new0 (PdInbound, 1);

  inbound->received_at = g_get_real_time ();
  return inbound;
}

void
pd_inbound_free (PdInbound *inbound)
{
  if (inbound == NULL)
    return;
  g_free (inbound->remote);
  g_free (inbound->method);
  g_free (inbound->path);
  g_free (inbound->body);
  g_free (inbound->refused_reason);
  g_clear_pointer (&inbound->form, pd_form_free);
  g_free (inbound);
}

/* What lookup_invoice() read, owned by the caller. */
typedef struct
{
  char *currency;
  char *paymaster_invoice_id;
} InvoiceTexts;

static void
invoice_texts_clear (InvoiceTexts *texts)
{
  g_clear_pointer (&texts->currency, g_free);
  g_clear_pointer (&texts->paymaster_invoice_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (InvoiceTexts, invoice_texts_clear)

static gboolean
lookup_invoice (PdDatabase       *db,
                const char       *number,
                gint64            now,
                PdLedgerInvoice  *invoice,
                InvoiceTexts     *texts,
                GError          **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT id, amount, currency, status, "
                                            "coalesce (expires_at, 0), paymaster_invoice_id "
                                            "FROM invoices WHERE number = ?",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 expires_at = sqlite3_column_int64 (stmt, 4);

      invoice->found = TRUE;
      invoice->id = sqlite3_column_int64 (stmt, 0);
      invoice->amount = sqlite3_column_int64 (stmt, 1);
      texts->currency = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      invoice->currency = texts->currency;
      pd_invoice_status_from_string ((const char *) sqlite3_column_text (stmt, 3), &invoice->status);
      invoice->expired = expires_at > 0 && now > expires_at;
      texts->paymaster_invoice_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      invoice->paymaster_invoice_id = texts->paymaster_invoice_id;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
payment_exists (PdDatabase  *db,
                const char  *payment_id,
                gboolean    *exists,
                GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT 1 FROM payments WHERE paymaster_id = ?",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, payment_id, -1, SQLITE_STATIC);
  *exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return TRUE;
}

static void
bind_optional_text (sqlite3_stmt *stmt,
                    int           column,
                    const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, column, value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, column);
}

/* Adds an event of Paydesk's own making (a refund it asked for); the
 * event's id is ignored. */
gboolean
pd_journal_add_event (PdDatabase     *db,
                      const PdEvent  *event,
                      GError        **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "INSERT INTO events (at, remote, method, path, body, kind, "
                                            "verdict, reason, http_status, invoice_number, payment_id) "
                                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event->at);
  bind_optional_text (stmt, 2, event->remote);
  bind_optional_text (stmt, 3, event->method);
  sqlite3_bind_text (stmt, 4, event->path ? event->path : "", -1, SQLITE_STATIC);
  bind_optional_text (stmt, 5, event->body);
  sqlite3_bind_text (stmt, 6, event->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, event->verdict, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, event->reason ? event->reason : "", -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 9, (int) event->http_status);
  bind_optional_text (stmt, 10, event->invoice_number);
  bind_optional_text (stmt, 11, event->payment_id);
  return pd_database_step_done (db, stmt, error);
}

static gboolean
insert_event (PdDatabase              *db,
              const PdInbound         *inbound,
              const PdLedgerDecision  *decision,
              GError                 **error)
{
  const PdForm *form = inbound->form;
  PdEvent event = {
    .at = inbound->received_at,
    .remote = inbound->remote,
    .method = inbound->method,
    .path = inbound->path,
    .body = inbound->body,
    .kind = (char *) pd_event_kind_to_string (decision->kind),
    .verdict = (char *) pd_verdict_to_string (decision->verdict),
    .reason = decision->reason,
    .http_status = decision->http_status,
    .invoice_number = form ? (char *) pd_form_get (form, "LMI_PAYMENT_NO") : NULL,
    .payment_id = form ? (char *) pd_form_get (form, "LMI_SYS_PAYMENT_ID") : NULL,
  };

  return pd_journal_add_event (db, &event, error);
}

static void
bind_amount (sqlite3_stmt *stmt,
             int           column,
             const char   *text)
{
  gint64 kopecks;

  if (text != NULL && pd_money_parse (text, &kopecks, NULL))
    sqlite3_bind_int64 (stmt, column, kopecks);
  else
    sqlite3_bind_null (stmt, column);
}

static gboolean
insert_payment (PdDatabase              *db,
                const PdInbound         *inbound,
                const PdLedgerInvoice   *invoice,
                const PdLedgerDecision  *decision,
                gint64                   event_id,
                GError                 **error)
{
  const PdForm *form = inbound->form;
  g_autofree char *fields = pd_form_to_json (form);
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "INSERT INTO payments (paymaster_id, invoice_id, "
                                            "invoice_number, amount, currency, paid_amount, "
                                            "paid_currency, method, payer, paid_date, test, applied, "
                                            "fields, received_at, event_id) "
                                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, pd_form_get (form, "LMI_SYS_PAYMENT_ID"), -1, SQLITE_STATIC);
  if (invoice->found)
    sqlite3_bind_int64 (stmt, 2, invoice->id);
  sqlite3_bind_text (stmt, 3, pd_form_get (form, "LMI_PAYMENT_NO"), -1, SQLITE_STATIC);
  bind_amount (stmt, 4, pd_form_get (form, "LMI_PAYMENT_AMOUNT"));
  bind_optional_text (stmt, 5, pd_currency_normalize (pd_form_get (form, "LMI_CURRENCY")));
  bind_amount (stmt, 6, pd_form_get (form, "LMI_PAID_AMOUNT"));
  bind_optional_text (stmt, 7, pd_form_get (form, "LMI_PAID_CURRENCY"));
  bind_optional_text (stmt, 8, pd_form_get (form, "LMI_PAYMENT_METHOD"));
  bind_optional_text (stmt, 9, pd_form_get (form, "LMI_PAYER_IDENTIFIER"));
  bind_optional_text (stmt, 10, pd_form_get (form, "LMI_SYS_PAYMENT_DATE"));
  sqlite3_bind_int (stmt, 11, decision->test_payment);
  sqlite3_bind_int (stmt, 12, decision->mark_paid);
  sqlite3_bind_text (stmt, 13, fields, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 14, inbound->received_at / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 15, event_id);
  return pd_database_step_done (db, stmt, error);
}

static gboolean
mark_invoice_paid (PdDatabase       *db,
                   const PdInbound  *inbound,
                   gint64            invoice_id,
                   GError          **error)
{
  gint64 now = inbound->received_at / G_USEC_PER_SEC;
  const char *payment_id = pd_form_get (inbound->form, "LMI_SYS_PAYMENT_ID");
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "UPDATE invoices SET status = 'paid', paid_at = ?, "
                                            "payment_id = ? WHERE id = ? AND status = 'issued'",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, payment_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, invoice_id);
  if (!pd_database_step_done (db, stmt, error))
    return FALSE;

  stmt = pd_database_prepare (db,
                              "INSERT INTO invoice_history (invoice_id, status, at, note) "
                              "VALUES (?, 'paid', ?, ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, invoice_id);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3, payment_id, -1, SQLITE_STATIC);
  return pd_database_step_done (db, stmt, error);
}

/* With G_MESSAGES_DEBUG=paydesk-journal, shows what was hashed, so that a
 * merchant comparing notes with PayMaster's documentation can see it;
 * never the key. */
static void
log_signed_string (const PdForm *form,
                   const char   *secret)
{
  g_autofree char *signed_string = NULL;
  g_autofree char *masked = NULL;

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;
  signed_string = pd_paymaster_signed_string (form, secret);
  masked = pd_paymaster_mask_secret (signed_string, secret);
  g_debug ("signature mismatch; the signed string was %s", masked);
}

/* A payment PayMaster's status API reported goes through the same rules
 * as a notification; the answer came over Paydesk's own authenticated
 * request, so there is no signature to check. */
static void
decide_reconciled (PdDatabase        *db,
                   const PdShop      *shop,
                   const PdInbound   *inbound,
                   PdLedgerInvoice   *invoice,
                   InvoiceTexts      *texts,
                   PdLedgerDecision  *decision,
                   GError           **error)
{
  const PdForm *form = inbound->form;
  gboolean duplicate = FALSE;

  if (!lookup_invoice (db, pd_form_get (form, "LMI_PAYMENT_NO"),
                       inbound->received_at / G_USEC_PER_SEC, invoice, texts, error) ||
      !payment_exists (db, pd_form_get (form, "LMI_SYS_PAYMENT_ID"), &duplicate, error))
    return;

  pd_ledger_decide_notification (shop, form, TRUE, NULL, invoice, duplicate, decision);
  decision->kind = PD_EVENT_RECONCILIATION;
}

static void
decide_with_ledger (PdDatabase        *db,
                    const PdShop      *shop,
                    const char        *secret,
                    const PdInbound   *inbound,
                    PdLedgerInvoice   *invoice,
                    InvoiceTexts      *texts,
                    PdLedgerDecision  *decision,
                    GError           **error)
{
  const PdForm *form = inbound->form;
  g_autofree char *diagnosis = NULL;
  gboolean duplicate = FALSE;
  gboolean signature_ok;

  if (inbound->from_status_api)
    {
      decide_reconciled (db, shop, inbound, invoice, texts, decision, error);
      return;
    }

  if (!pd_ledger_check_fields (form, decision))
    return;

  if (!lookup_invoice (db, pd_form_get (form, "LMI_PAYMENT_NO"),
                       inbound->received_at / G_USEC_PER_SEC, invoice, texts, error))
    return;

  if (decision->kind == PD_EVENT_PREREQUEST)
    {
      pd_ledger_decide_prerequest (shop, form, invoice, decision);
      return;
    }

  signature_ok = pd_paymaster_verify (form, shop->hash_alg, secret, &diagnosis);
  if (!signature_ok)
    log_signed_string (form, secret);

  if (!payment_exists (db, pd_form_get (form, "LMI_SYS_PAYMENT_ID"), &duplicate, error))
    return;
  pd_ledger_decide_notification (shop, form, signature_ok, diagnosis, invoice, duplicate, decision);
}

static void
decide_refused (PdLedgerDecision *decision,
                PdEventKind       kind,
                guint             http_status,
                const char       *reason)
{
  decision->kind = kind;
  decision->verdict = PD_VERDICT_REJECTED;
  decision->http_status = http_status;
  decision->response = "ERROR";
  decision->reason = g_strdup (reason);
}

/* Parses the request's form (here, on the writer thread, to keep the main
 * loop free for HTTP), verifies and decides it, and writes the outcome.
 * Runs inside the caller's transaction. */
gboolean
pd_journal_record (PdDatabase        *db,
                   const PdShop      *shop,
                   const char        *secret,
                   PdInbound         *inbound,
                   PdLedgerDecision  *decision,
                   GError           **error)
{
  PdLedgerInvoice invoice = { 0 };
  g_auto(InvoiceTexts) texts = { NULL };
  g_autoptr(GError) parse_error = NULL;
  GError *local_error = NULL;

  if (inbound->refused_status == 0 && inbound->form == NULL && inbound->body != NULL)
    inbound->form = pd_form_parse (inbound->body, strlen (inbound->body), &parse_error);

  if (inbound->refused_status != 0)
    decide_refused (decision, inbound->is_callback ? PD_EVENT_CALLBACK : PD_EVENT_INVALID,
                    inbound->refused_status, inbound->refused_reason);
  else if (inbound->form == NULL)
    decide_refused (decision, PD_EVENT_INVALID, 400, parse_error ? parse_error->message : NULL);
  else
    {
      decide_with_ledger (db, shop, secret, inbound, &invoice, &texts, decision, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }

  decision->invoice_id = invoice.found ? invoice.id : 0;
  if (inbound->is_callback)
    decision->kind = PD_EVENT_CALLBACK;

  /* Asking again about a payment already recorded is routine, not news. */
  if (inbound->from_status_api && !inbound->is_callback &&
      decision->verdict == PD_VERDICT_DUPLICATE)
    return TRUE;
  if (inbound->form != NULL)
    decision->invoice_number = g_strdup (pd_form_get (inbound->form, "LMI_PAYMENT_NO"));

  if (!insert_event (db, inbound, decision, error))
    return FALSE;

  if (decision->record_payment &&
      !insert_payment (db, inbound, &invoice, decision, pd_database_last_insert_id (db), error))
    return FALSE;

  if (decision->mark_paid && !mark_invoice_paid (db, inbound, invoice.id, error))
    return FALSE;

  return TRUE;
}

#define EVENT_COLUMNS \
  "id, at, remote, method, path, body, kind, verdict, reason, http_status, invoice_number, payment_id"

static PdEvent *
event_from_row (sqlite3_stmt *stmt)
{
  PdEvent *event = g_new0 (PdEvent, 1);

  event->id = sqlite3_column_int64 (stmt, 0);
  event->at = sqlite3_column_int64 (stmt, 1);
  event->remote = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  event->method = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  event->path = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  event->body = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  event->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  event->verdict = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  event->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  event->http_status = (guint) sqlite3_column_int (stmt, 9);
  event->invoice_number = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  event->payment_id = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
  return event;
}

GPtrArray *
pd_journal_list_events (PdDatabase  *db,
                        guint        limit,
                        GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT " EVENT_COLUMNS " FROM events "
                                            "ORDER BY id DESC LIMIT ?",
                                            error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  return pd_database_collect_rows (stmt, (PdRowFunc) event_from_row, (GDestroyNotify) pd_event_free);
}

/* Newest first; "problems" are every request that was not accepted. */
GArray *
pd_journal_query_event_ids (PdDatabase  *db,
                            gboolean     problems_only,
                            GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT id FROM events WHERE NOT ?1 OR verdict != 'accepted' "
                                            "ORDER BY id DESC",
                                            error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, problems_only);
  return pd_database_collect_ids (stmt);
}

GPtrArray *
pd_journal_get_events_by_ids (PdDatabase    *db,
                              const gint64  *ids,
                              guint          n_ids,
                              GError       **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db, "SELECT " EVENT_COLUMNS " FROM events WHERE id = ?",
                                            error);

  if (stmt == NULL)
    return NULL;
  return pd_database_rows_by_ids (stmt, ids, n_ids, (PdRowFunc) event_from_row,
                                  (GDestroyNotify) pd_event_free);
}

gint64
pd_journal_count_payments (PdDatabase  *db,
                           GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db, "SELECT count (*) FROM payments", error);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}
