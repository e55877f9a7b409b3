/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-catalog.h"
#include "pd-journal.h"
#include "pd-refunds.h"
#include "pd-test-integration.h"

/* What the database keeps of refunds: only paid money goes back, never
 * more than was paid, partial refunds add up, and a refund whose answer
 * never came is asked for again with the same key. */

#define PRICE 5000

typedef struct
{
  char       *dir;
  PdDatabase *db;
  char       *number;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdInvoice) invoice = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pay = NULL;
  PdInvoiceLine line = { 0, 1 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0 };

  fixture->dir = g_dir_make_tmp ("paydesk-refunds-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "paydesk.db", NULL);
  fixture->db = pd_database_open (path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_true (pd_catalog_add_product (fixture->db, "Чай", PRICE, "no_vat", &line.product_id, &error));
  invoice = pd_catalog_create_invoices (fixture->db, &draft, 1, TRUE, &error);
  g_assert_no_error (error);
  fixture->number = g_strdup (invoice->number);

  if (GPOINTER_TO_INT (data))
    {
      pay = g_strdup_printf ("UPDATE invoices SET status = 'paid', payment_id = 'P-1' "
                             "WHERE number = '%s'", invoice->number);
      g_assert_true (pd_database_exec (fixture->db, pay, &error));
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->db, pd_database_close);
  pd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->number);
}

static PdRefundRequest *
begin (Fixture  *fixture,
       gint64    amount,
       GError  **error)
{
  PdRefundRequest *request;

  g_assert_true (pd_database_begin (fixture->db, NULL));
  request = pd_refunds_begin (fixture->db, fixture->number, amount, error);
  if (request != NULL)
    g_assert_true (pd_database_commit (fixture->db, NULL));
  else
    pd_database_rollback (fixture->db);
  return request;
}

static void
finish (Fixture               *fixture,
        const PdRefundRequest *request,
        const char            *failure)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_database_begin (fixture->db, NULL));
  g_assert_true (pd_refunds_finish (fixture->db, request, failure ? NULL : "R-1", failure,
                                    "/api/v2/refunds", &error));
  g_assert_no_error (error);
  g_assert_true (pd_database_commit (fixture->db, NULL));
}

static PdInvoice *
invoice (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  PdInvoice *invoice = pd_catalog_get_invoice (fixture->db, fixture->number, &error);

  g_assert_no_error (error);
  return invoice;
}

static PdEvent *
last_event (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = pd_journal_list_events (fixture->db, 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  return g_ptr_array_steal_index (events, 0);
}

static void
test_full (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdRefundRequest) request = begin (fixture, 0, &error);
  g_autoptr(PdInvoice) after = NULL;
  g_autoptr(PdEvent) event = NULL;
  g_autoptr(GPtrArray) history = NULL;
  const PdStatusChange *change;

  g_assert_no_error (error);
  g_assert_cmpint (request->amount, ==, PRICE);
  g_assert_cmpstr (request->payment_id, ==, "P-1");
  g_assert_false (request->resumed);
  g_assert_cmpuint (strlen (request->idempotency_key), >=, 16);
  finish (fixture, request, NULL);

  after = invoice (fixture);
  g_assert_cmpint (after->status, ==, PD_INVOICE_REFUNDED);
  g_assert_cmpint (after->refunded, ==, PRICE);

  history = pd_catalog_list_invoice_history (fixture->db, after->id, &error);
  g_assert_no_error (error);
  change = history->pdata[history->len - 1];
  g_assert_cmpint (change->status, ==, PD_INVOICE_REFUNDED);

  event = last_event (fixture);
  g_assert_cmpstr (event->kind, ==, "refund");
  g_assert_cmpstr (event->verdict, ==, "accepted");
  g_assert_cmpstr (event->invoice_number, ==, fixture->number);
  g_assert_cmpstr (event->payment_id, ==, "P-1");

  /* Nothing is left to refund. */
  g_assert_null (begin (fixture, 0, &error));
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
}

static void
test_partial (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdRefundRequest) first = begin (fixture, 1000, &error);
  g_autoptr(PdRefundRequest) rest = NULL;
  g_autoptr(PdInvoice) between = NULL;
  g_autoptr(PdInvoice) after = NULL;

  g_assert_no_error (error);
  finish (fixture, first, NULL);
  between = invoice (fixture);
  g_assert_cmpint (between->status, ==, PD_INVOICE_PAID);
  g_assert_cmpint (between->refunded, ==, 1000);

  /* More than is left is refused, and nothing is written down. */
  g_assert_null (begin (fixture, PRICE, &error));
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "40.00"));
  g_clear_error (&error);

  rest = begin (fixture, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rest->amount, ==, PRICE - 1000);
  g_assert_cmpstr (rest->idempotency_key, !=, first->idempotency_key);
  finish (fixture, rest, NULL);
  after = invoice (fixture);
  g_assert_cmpint (after->status, ==, PD_INVOICE_REFUNDED);
  g_assert_cmpint (after->refunded, ==, PRICE);
}

static void
test_unanswered_is_resumed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdRefundRequest) lost = begin (fixture, 1000, &error);
  g_autoptr(PdRefundRequest) again = NULL;
  g_autoptr(PdInvoice) after = NULL;

  g_assert_no_error (error);
  /* The answer never came; the merchant asks for a different amount. */
  again = begin (fixture, 3000, &error);
  g_assert_no_error (error);
  g_assert_true (again->resumed);
  g_assert_cmpint (again->id, ==, lost->id);
  g_assert_cmpint (again->amount, ==, 1000);
  g_assert_cmpstr (again->idempotency_key, ==, lost->idempotency_key);
  finish (fixture, again, NULL);

  after = invoice (fixture);
  g_assert_cmpint (after->refunded, ==, 1000);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdRefundRequest) request = begin (fixture, 1000, &error);
  g_autoptr(PdRefundRequest) next = NULL;
  g_autoptr(PdInvoice) after = NULL;
  g_autoptr(PdEvent) event = NULL;

  g_assert_no_error (error);
  finish (fixture, request, "The payment cannot be refunded.");

  after = invoice (fixture);
  g_assert_cmpint (after->status, ==, PD_INVOICE_PAID);
  g_assert_cmpint (after->refunded, ==, 0);
  event = last_event (fixture);
  g_assert_cmpstr (event->kind, ==, "refund");
  g_assert_cmpstr (event->verdict, ==, "rejected");
  g_assert_nonnull (strstr (event->reason, "The payment cannot be refunded."));

  /* A refused refund is over: the next one is a new request. */
  next = begin (fixture, 1000, &error);
  g_assert_no_error (error);
  g_assert_false (next->resumed);
  g_assert_cmpint (next->id, !=, request->id);
}

static void
test_unpaid (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdInvoice) after = NULL;

  g_assert_null (begin (fixture, 0, &error));
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_null (begin (fixture, -5, &error));
  g_assert_nonnull (error);

  after = invoice (fixture);
  g_assert_cmpint (after->status, ==, PD_INVOICE_ISSUED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/refunds/full", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_full, fixture_tear_down);
  g_test_add ("/refunds/partial", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_partial, fixture_tear_down);
  g_test_add ("/refunds/unanswered-is-resumed", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_unanswered_is_resumed, fixture_tear_down);
  g_test_add ("/refunds/refused", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/refunds/unpaid", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_unpaid, fixture_tear_down);
  return g_test_run ();
}
