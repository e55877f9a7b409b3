/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-catalog.h"
#include "pd-journal.h"
#include "pd-listener.h"
#include "pd-paymaster.h"
#include "pd-store.h"
#include "pd-test-integration.h"

/* The listener as PayMaster (and worse) sees it: a real PdStore on a
 * temporary database, a PdListener on a random loopback port, and HTTP
 * requests made by SoupSession or, for malformed and slow clients, typed
 * into a raw socket. Everything runs on this thread's main context. */

#define MERCHANT_ID       "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define OTHER_MERCHANT_ID "2902fb4a-d618-4b6b-aade-793b95e10c59"
#define SECRET            "U0HXxS8Ec1bCL1/hgEK98sXBd9C9RBrsoqbAGZefqgI="
#define PRODUCT_PRICE     5000   /* 50.00 */
#define N_INVOICES        3
#define FORM_TYPE         "application/x-www-form-urlencoded"

typedef struct
{
  char        *dir;
  char        *path;
  PdDatabase  *db;         /* the test's own connection, for setup and checks */
  PdShop      *shop;
  gint64       product_id;
  GPtrArray   *numbers;    /* invoice numbers, oldest first */
  PdStore     *store;
  PdListener  *listener;
  char        *uri;
  SoupSession *session;
  guint        n_events;   /* PdStore::event-recorded so far */
} Fixture;

static const PdShopMode mode_live = PD_SHOP_MODE_LIVE;
static const PdShopMode mode_test = PD_SHOP_MODE_TEST;

static void
event_recorded_cb (PdStore  *store,
                   gpointer  decision,
                   Fixture  *fixture)
{
  fixture->n_events++;
}

static void
add_invoices (Fixture *fixture,
              guint    count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdInvoice) first = NULL;
  PdInvoiceLine line = { fixture->product_id, 1 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0 };
  guint64 base;

  first = pd_catalog_create_invoices (fixture->db, &draft, count,
                                      pd_shop_mode_is_test (fixture->shop->mode), &error);
  g_assert_no_error (error);
  base = g_ascii_strtoull (first->number, NULL, 10);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (fixture->numbers, g_strdup_printf ("%" G_GUINT64_FORMAT, base + i));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  const PdShopMode *mode = user_data;

  fixture->dir = g_dir_make_tmp ("paydesk-test-listener-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "paydesk.db", NULL);

  fixture->db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);

  fixture->shop = pd_shop_new ();
  fixture->shop->merchant_id = g_strdup (MERCHANT_ID);
  fixture->shop->hash_alg = PD_HASH_SHA256;
  fixture->shop->mode = mode ? *mode : PD_SHOP_MODE_TEST;
  g_free (fixture->shop->listen);
  fixture->shop->listen = g_strdup ("127.0.0.1:0");
  g_assert_true (pd_catalog_save_shop (fixture->db, fixture->shop, &error));
  g_assert_no_error (error);

  g_assert_true (pd_catalog_add_product (fixture->db, "Чай улун", PRODUCT_PRICE, "vat20",
                                         &fixture->product_id, &error));
  g_assert_no_error (error);
  fixture->numbers = g_ptr_array_new_with_free_func (g_free);
  add_invoices (fixture, N_INVOICES);

  fixture->store = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->store, "event-recorded", G_CALLBACK (event_recorded_cb), fixture);

  fixture->listener = pd_listener_new (fixture->store, fixture->shop, SECRET);
  g_assert_true (pd_listener_listen (fixture->listener, fixture->shop->listen, &error));
  g_assert_no_error (error);
  fixture->uri = pd_listener_get_uri (fixture->listener);
  g_assert_true (g_str_has_prefix (fixture->uri, "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (fixture->uri, ":0"));

  fixture->session = pd_test_session_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  soup_session_abort (fixture->session);
  g_clear_object (&fixture->session);
  pd_test_drain_main_context ();

  g_clear_object (&fixture->listener);
  pd_store_close (fixture->store);
  pd_test_drain_main_context ();
  g_signal_handlers_disconnect_by_data (fixture->store, fixture);
  g_clear_object (&fixture->store);

  g_clear_pointer (&fixture->db, pd_database_close);
  g_clear_pointer (&fixture->shop, pd_shop_free);
  g_clear_pointer (&fixture->numbers, g_ptr_array_unref);
  g_free (fixture->uri);

  pd_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static const char *
invoice_number (Fixture *fixture,
                guint    index)
{
  g_assert_cmpuint (index, <, fixture->numbers->len);
  return fixture->numbers->pdata[index];
}

static char *
url_for (Fixture    *fixture,
         const char *path)
{
  return g_strconcat (fixture->uri, path, NULL);
}

/* Forms as PayMaster sends them. */

static PdForm *
prerequest_form (const char *merchant_id,
                 const char *number,
                 const char *amount)
{
  PdForm *form = pd_form_new ();

  pd_form_add (form, "LMI_PREREQUEST", "1");
  pd_form_add (form, "LMI_MERCHANT_ID", merchant_id);
  pd_form_add (form, "LMI_PAYMENT_NO", number);
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", amount);
  pd_form_add (form, "LMI_CURRENCY", "RUB");
  pd_form_add (form, "LMI_PAID_AMOUNT", amount);
  pd_form_add (form, "LMI_PAID_CURRENCY", "RUB");
  pd_form_add (form, "LMI_PAYMENT_SYSTEM", "3");
  pd_form_add (form, "LMI_PAYMENT_METHOD", "BankCard");
  pd_form_add (form, "LMI_PAYMENT_DESC", "Чай улун");
  return form;
}

/* An unsigned notification; sign it with sign_form(). @sim_mode NULL leaves
 * LMI_SIM_MODE out, as in a live payment. */
static PdForm *
notification_form (const char *number,
                   const char *payment_id,
                   const char *amount,
                   const char *currency,
                   const char *sim_mode)
{
  PdForm *form = pd_form_new ();

  pd_form_add (form, "LMI_MERCHANT_ID", MERCHANT_ID);
  pd_form_add (form, "LMI_PAYMENT_NO", number);
  pd_form_add (form, "LMI_SYS_PAYMENT_ID", payment_id);
  pd_form_add (form, "LMI_SYS_PAYMENT_DATE", "2016-01-26T10:53:35");
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", amount);
  pd_form_add (form, "LMI_CURRENCY", currency);
  pd_form_add (form, "LMI_PAID_AMOUNT", amount);
  pd_form_add (form, "LMI_PAID_CURRENCY", currency);
  pd_form_add (form, "LMI_PAYMENT_SYSTEM", "3");
  pd_form_add (form, "LMI_PAYMENT_METHOD", sim_mode ? "Test" : "BankCard");
  if (sim_mode != NULL)
    pd_form_add (form, "LMI_SIM_MODE", sim_mode);
  pd_form_add (form, "LMI_PAYER_IDENTIFIER", "411111******1111");
  pd_form_add (form, "LMI_PAYMENT_DESC", "Чай улун");
  pd_form_add (form, "order_note", "echoed merchant field");
  return form;
}

static void
sign_form (PdForm    *form,
           PdHashAlg  alg)
{
  g_autofree char *hash = pd_paymaster_sign (form, alg, SECRET);

  pd_form_set (form, "LMI_HASH", hash);
}

/* POSTs @form to the notification URL; returns the status, and the body in
 * @body if not NULL. */
static guint
post_form (Fixture       *fixture,
           const PdForm  *form,
           char         **body)
{
  g_autofree char *url = url_for (fixture, PD_PATH_NOTIFY);
  g_autofree char *encoded = pd_form_encode (form);
  g_autoptr(SoupMessage) msg = pd_test_post_message (url, FORM_TYPE, encoded);
  g_autofree char *text = pd_test_send (fixture->session, msg);

  if (body != NULL)
    *body = g_steal_pointer (&text);
  return soup_message_get_status (msg);
}

/* Waits until @n events in all have been recorded; returns the newest. */
static PdEvent *
wait_for_event (Fixture *fixture,
                guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;

  pd_test_wait_for_count (&fixture->n_events, n);
  events = pd_journal_list_events (fixture->db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, n);
  return g_ptr_array_steal_index (events, 0);
}

static PdInvoice *
get_invoice (Fixture    *fixture,
             const char *number)
{
  g_autoptr(GError) error = NULL;
  PdInvoice *invoice = pd_catalog_get_invoice (fixture->db, number, &error);

  g_assert_no_error (error);
  return invoice;
}

static PdInvoiceStatus
invoice_status (Fixture    *fixture,
                const char *number)
{
  g_autoptr(PdInvoice) invoice = get_invoice (fixture, number);

  return invoice->status;
}

static gint64
count_payments (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 count = pd_journal_count_payments (fixture->db, &error);

  g_assert_no_error (error);
  return count;
}

/* Pre-requests */

static void
test_prerequest_yes (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(PdForm) form = prerequest_form (MERCHANT_ID, invoice_number (fixture, 0), "50.00");
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *body = NULL;

  g_assert_cmpuint (post_form (fixture, form, &body), ==, 200);
  g_assert_cmpstr (body, ==, "YES");

  event = wait_for_event (fixture, 1);
  g_assert_cmpstr (event->kind, ==, "prerequest");
  g_assert_cmpstr (event->verdict, ==, "accepted");
  g_assert_cmpuint (event->http_status, ==, 200);
  g_assert_cmpstr (event->invoice_number, ==, invoice_number (fixture, 0));
  g_assert_cmpstr (event->method, ==, "POST");
  g_assert_cmpstr (event->path, ==, PD_PATH_NOTIFY);
  g_assert_cmpstr (event->remote, ==, "127.0.0.1");

  /* A pre-request only asks: nothing is paid or recorded as a payment. */
  g_assert_cmpint (invoice_status (fixture, invoice_number (fixture, 0)), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (count_payments (fixture), ==, 0);
}

static void
test_prerequest_no (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cancel = NULL;
  struct {
    const char *what;
    const char *merchant_id;
    guint       invoice;      /* G_MAXUINT: a number Paydesk never issued */
    const char *amount;
  } cases[] = {
    { "another merchant", OTHER_MERCHANT_ID, 0, "50.00" },
    { "an unknown invoice", MERCHANT_ID, G_MAXUINT, "50.00" },
    { "a different amount", MERCHANT_ID, 0, "49.99" },
    { "a cancelled invoice", MERCHANT_ID, 1, "50.00" },
  };

  cancel = g_strdup_printf ("UPDATE invoices SET status = 'cancelled' WHERE number = '%s'",
                            invoice_number (fixture, 1));
  g_assert_true (pd_database_exec (fixture->db, cancel, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *number = cases[i].invoice == G_MAXUINT
        ? "999999" : invoice_number (fixture, cases[i].invoice);
      g_autoptr(PdForm) form = prerequest_form (cases[i].merchant_id, number, cases[i].amount);
      g_autoptr(PdEvent) event = NULL;
      g_autofree char *body = NULL;

      g_test_message ("pre-request for %s", cases[i].what);
      g_assert_cmpuint (post_form (fixture, form, &body), ==, 200);
      g_assert_cmpstr (body, ==, "NO");

      event = wait_for_event (fixture, i + 1);
      g_assert_cmpstr (event->kind, ==, "prerequest");
      g_assert_cmpstr (event->verdict, ==, "rejected");
      g_assert_cmpstr (event->invoice_number, ==, number);
      g_assert_cmpstr (event->reason, !=, "");
    }

  g_assert_cmpint (invoice_status (fixture, invoice_number (fixture, 0)), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (invoice_status (fixture, invoice_number (fixture, 1)), ==, PD_INVOICE_CANCELLED);
  g_assert_cmpint (count_payments (fixture), ==, 0);
}

/* Notifications */

static void
check_paid (Fixture    *fixture,
            const char *number,
            const char *payment_id)
{
  g_autoptr(PdInvoice) invoice = get_invoice (fixture, number);

  g_assert_cmpint (invoice->status, ==, PD_INVOICE_PAID);
  g_assert_cmpstr (invoice->payment_id, ==, payment_id);
  g_assert_cmpint (invoice->paid_at, >, 0);
}

static void
test_notify_accepted (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const char *number = invoice_number (fixture, 0);
  gboolean test = pd_shop_mode_is_test (fixture->shop->mode);
  g_autoptr(PdForm) form = notification_form (number, "43184405", "50.00", "RUB",
                                              test ? "0" : NULL);
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *body = NULL;

  sign_form (form, PD_HASH_SHA256);
  g_assert_cmpuint (post_form (fixture, form, &body), ==, 200);
  g_assert_cmpstr (body, ==, "OK");

  /* Answered only after the commit: no waiting needed. */
  check_paid (fixture, number, "43184405");
  g_assert_cmpint (count_payments (fixture), ==, 1);
  g_assert_cmpint (invoice_status (fixture, invoice_number (fixture, 1)), ==, PD_INVOICE_ISSUED);

  event = wait_for_event (fixture, 1);
  g_assert_cmpstr (event->kind, ==, "notification");
  g_assert_cmpstr (event->verdict, ==, "accepted");
  g_assert_cmpuint (event->http_status, ==, 200);
  g_assert_cmpstr (event->invoice_number, ==, number);
  g_assert_cmpstr (event->payment_id, ==, "43184405");
  g_assert_nonnull (strstr (event->body, "LMI_HASH="));
  g_assert_nonnull (strstr (event->body, "order_note="));
}

static void
test_notify_duplicate (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const char *number = invoice_number (fixture, 0);
  g_autoptr(PdForm) form = notification_form (number, "555000", "50.00", "RUB", "0");
  g_autoptr(PdForm) other = notification_form (invoice_number (fixture, 1), "555000", "50.00",
                                               "RUB", "0");
  g_autoptr(PdInvoice) before = NULL;
  g_autoptr(PdInvoice) after = NULL;
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *body = NULL;

  sign_form (form, PD_HASH_SHA256);
  g_assert_cmpuint (post_form (fixture, form, NULL), ==, 200);
  before = get_invoice (fixture, number);
  g_assert_cmpint (before->status, ==, PD_INVOICE_PAID);

  /* PayMaster repeats itself... */
  g_assert_cmpuint (post_form (fixture, form, &body), ==, 200);
  g_assert_cmpstr (body, ==, "OK");
  event = wait_for_event (fixture, 2);
  g_assert_cmpstr (event->verdict, ==, "duplicate");
  g_assert_cmpstr (event->payment_id, ==, "555000");
  g_clear_pointer (&event, pd_event_free);

  /* ...even naming another invoice: the payment id is what counts. */
  sign_form (other, PD_HASH_SHA256);
  g_assert_cmpuint (post_form (fixture, other, NULL), ==, 200);
  event = wait_for_event (fixture, 3);
  g_assert_cmpstr (event->verdict, ==, "duplicate");

  after = get_invoice (fixture, number);
  g_assert_cmpint (after->status, ==, PD_INVOICE_PAID);
  g_assert_cmpint (after->paid_at, ==, before->paid_at);
  g_assert_cmpstr (after->payment_id, ==, before->payment_id);
  g_assert_cmpint (invoice_status (fixture, invoice_number (fixture, 1)), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (count_payments (fixture), ==, 1);
}

static void
test_notify_bad_hash (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const char *number = invoice_number (fixture, 0);
  g_autoptr(PdForm) form = notification_form (number, "777001", "50.00", "RUB", "0");
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *reason = NULL;

  /* A forged signature. */
  pd_form_set (form, "LMI_HASH", "m8bC0NMnyUrcr/XZXe4HaT0OkKjDLqLG2Rqo9GZZ0ys=");
  g_assert_cmpuint (post_form (fixture, form, NULL), ==, 403);
  event = wait_for_event (fixture, 1);
  g_assert_cmpstr (event->kind, ==, "notification");
  g_assert_cmpstr (event->verdict, ==, "rejected");
  g_assert_cmpuint (event->http_status, ==, 403);
  g_clear_pointer (&event, pd_event_free);

  /* A genuine signature with the algorithm the shop is not set to. */
  sign_form (form, PD_HASH_MD5);
  g_assert_cmpuint (post_form (fixture, form, NULL), ==, 403);
  event = wait_for_event (fixture, 2);
  g_assert_cmpuint (event->http_status, ==, 403);
  reason = g_ascii_strdown (event->reason, -1);
  g_test_message ("%s", event->reason);
  g_assert_nonnull (strstr (reason, "md5"));
  g_assert_nonnull (strstr (reason, "sha256"));

  g_assert_cmpint (invoice_status (fixture, number), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (count_payments (fixture), ==, 0);

  /* Once the signature is right, the same payment goes through. */
  sign_form (form, PD_HASH_SHA256);
  g_assert_cmpuint (post_form (fixture, form, NULL), ==, 200);
  check_paid (fixture, number, "777001");
}

static void
test_notify_test_on_live (Fixture       *fixture,
                          gconstpointer  user_data)
{
  const char *number = invoice_number (fixture, 0);
  g_autoptr(PdForm) form = notification_form (number, "880001", "50.00", "RUB", "0");
  g_autoptr(PdForm) prerequest = prerequest_form (MERCHANT_ID, number, "50.00");
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *body = NULL;

  g_assert_cmpint (fixture->shop->mode, ==, PD_SHOP_MODE_LIVE);

  /* Recorded and answered, so that PayMaster stops; flagged, not paid. */
  sign_form (form, PD_HASH_SHA256);
  g_assert_cmpuint (post_form (fixture, form, &body), ==, 200);
  g_assert_cmpstr (body, ==, "OK");
  event = wait_for_event (fixture, 1);
  g_assert_cmpstr (event->verdict, ==, "flagged");
  g_assert_cmpstr (event->payment_id, ==, "880001");
  g_assert_nonnull (strstr (event->reason, "test"));
  g_clear_pointer (&event, pd_event_free);

  g_assert_cmpint (invoice_status (fixture, number), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (count_payments (fixture), ==, 1);

  /* And a test pre-request for a live shop is refused. */
  pd_form_add (prerequest, "LMI_SIM_MODE", "0");
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (post_form (fixture, prerequest, &body), ==, 200);
  g_assert_cmpstr (body, ==, "NO");
  event = wait_for_event (fixture, 2);
  g_assert_cmpstr (event->kind, ==, "prerequest");
  g_assert_cmpstr (event->verdict, ==, "flagged");
}

static void
test_notify_equivalent_values (Fixture       *fixture,
                               gconstpointer  user_data)
{
  struct {
    const char *payment_id;
    const char *amount;
    const char *currency;
  } cases[] = {
    { "990001", "50", "RUB" },
    { "990002", "50.00", "643" },
    { "990003", "50.0", "rub" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *number = invoice_number (fixture, i);
      g_autoptr(PdForm) form = notification_form (number, cases[i].payment_id, cases[i].amount,
                                                  cases[i].currency, "0");
      g_autoptr(PdForm) prerequest = prerequest_form (MERCHANT_ID, number, cases[i].amount);
      g_autoptr(PdEvent) event = NULL;
      g_autofree char *body = NULL;

      g_test_message ("amount %s, currency %s", cases[i].amount, cases[i].currency);

      pd_form_set (prerequest, "LMI_CURRENCY", cases[i].currency);
      g_assert_cmpuint (post_form (fixture, prerequest, &body), ==, 200);
      g_assert_cmpstr (body, ==, "YES");

      sign_form (form, PD_HASH_SHA256);
      g_assert_cmpuint (post_form (fixture, form, NULL), ==, 200);
      event = wait_for_event (fixture, 2 * (i + 1));
      g_assert_cmpstr (event->verdict, ==, "accepted");
      check_paid (fixture, number, cases[i].payment_id);
    }
}

/* Requests refused before the ledger sees them */

static void
test_refuse_method (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *url = url_for (fixture, PD_PATH_NOTIFY "?LMI_PAYMENT_NO=1");
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *body = pd_test_send (fixture->session, msg);
  const char *allow;

  g_assert_cmpuint (soup_message_get_status (msg), ==, 405);
  allow = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Allow");
  g_assert_cmpstr (allow, ==, "POST");

  event = wait_for_event (fixture, 1);
  g_assert_cmpstr (event->method, ==, "GET");
  g_assert_cmpstr (event->path, ==, PD_PATH_NOTIFY);
  g_assert_cmpstr (event->kind, ==, "invalid");
  g_assert_cmpstr (event->verdict, ==, "rejected");
  g_assert_cmpuint (event->http_status, ==, 405);
  g_assert_cmpstr (event->reason, ==, body);
}

static void
test_refuse_content_type (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *url = url_for (fixture, PD_PATH_NOTIFY);
  const char *json = "{\"LMI_PAYMENT_NO\": \"1\"}";
  g_autoptr(SoupMessage) msg = pd_test_post_message (url, "application/json", json);
  g_autoptr(SoupMessage) missing = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *body = pd_test_send (fixture->session, msg);
  g_autofree char *body2 = NULL;

  g_assert_cmpuint (soup_message_get_status (msg), ==, 415);
  event = wait_for_event (fixture, 1);
  g_assert_cmpuint (event->http_status, ==, 415);
  g_assert_cmpstr (event->verdict, ==, "rejected");
  g_assert_cmpstr (event->body, ==, json);
  g_clear_pointer (&event, pd_event_free);

  /* No content type at all. */
  body2 = pd_test_send (fixture->session, missing);
  g_assert_cmpuint (soup_message_get_status (missing), ==, 415);
  event = wait_for_event (fixture, 2);
  g_assert_cmpuint (event->http_status, ==, 415);
}

static void
test_refuse_bad_escape (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *url = url_for (fixture, PD_PATH_NOTIFY);
  const char *form = "LMI_PREREQUEST=1&LMI_PAYMENT_NO=%zz&LMI_MERCHANT_ID=" MERCHANT_ID;
  g_autoptr(SoupMessage) msg = pd_test_post_message (url, FORM_TYPE, form);
  g_autoptr(SoupMessage) truncated = pd_test_post_message (url, FORM_TYPE, "LMI_PAYMENT_NO=1%4");
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *body = pd_test_send (fixture->session, msg);
  g_autofree char *body2 = NULL;

  g_assert_cmpuint (soup_message_get_status (msg), ==, 400);
  event = wait_for_event (fixture, 1);
  g_assert_cmpuint (event->http_status, ==, 400);
  g_assert_cmpstr (event->kind, ==, "invalid");
  g_assert_cmpstr (event->body, ==, form);
  g_clear_pointer (&event, pd_event_free);

  body2 = pd_test_send (fixture->session, truncated);
  g_assert_cmpuint (soup_message_get_status (truncated), ==, 400);
  event = wait_for_event (fixture, 2);
  g_assert_cmpuint (event->http_status, ==, 400);
}

static void
test_refuse_not_found (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *url = url_for (fixture, "/wp-login.php");
  g_autofree char *post_url = url_for (fixture, "/paymaster/notification");
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(SoupMessage) post = pd_test_post_message (post_url, FORM_TYPE, "a=b");
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *body = pd_test_send (fixture->session, msg);
  g_autofree char *body2 = NULL;

  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  event = wait_for_event (fixture, 1);
  g_assert_cmpuint (event->http_status, ==, 404);
  g_assert_cmpstr (event->path, ==, "/wp-login.php");
  g_assert_cmpstr (event->method, ==, "GET");
  g_assert_cmpstr (event->kind, ==, "invalid");
  g_clear_pointer (&event, pd_event_free);

  body2 = pd_test_send (fixture->session, post);
  g_assert_cmpuint (soup_message_get_status (post), ==, 404);
  event = wait_for_event (fixture, 2);
  g_assert_cmpuint (event->http_status, ==, 404);
  g_assert_cmpstr (event->path, ==, "/paymaster/notification");
}

static void
test_health (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *url = url_for (fixture, "/health");
  g_autofree char *success_url = url_for (fixture, PD_PATH_SUCCESS);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(SoupMessage) success = soup_message_new (SOUP_METHOD_GET, success_url);
  g_autofree char *body = pd_test_send (fixture->session, msg);
  g_autofree char *page = pd_test_send (fixture->session, success);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (body, ==, "ok");
  g_assert_cmpuint (soup_message_get_status (success), ==, 200);
  g_assert_nonnull (strstr (page, "<html"));
}

/* Oversized bodies, typed into a raw socket */

static char *
oversized_head (Fixture *fixture,
                gsize    length)
{
  return g_strdup_printf ("POST " PD_PATH_NOTIFY " HTTP/1.1\r\n"
                          "Host: %s\r\n"
                          "Content-Type: " FORM_TYPE "\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "\r\n", fixture->uri + strlen ("http://"), length);
}

static void
check_413 (const char *response)
{
  g_autofree char *lower = g_ascii_strdown (response, -1);

  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413 "));
  g_assert_nonnull (strstr (lower, "\r\nconnection: close\r\n"));
}

static void
check_413_event (Fixture *fixture)
{
  g_autoptr(PdEvent) event = wait_for_event (fixture, 1);

  g_assert_cmpuint (event->http_status, ==, 413);
  g_assert_cmpstr (event->kind, ==, "invalid");
  g_assert_cmpstr (event->verdict, ==, "rejected");
  g_assert_cmpstr (event->path, ==, PD_PATH_NOTIFY);
  g_assert_null (event->body);
}

static void
test_refuse_content_length (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = pd_test_raw_connect (fixture->uri, &error);
  g_autofree char *head = oversized_head (fixture, 100 * 1024);
  g_autofree char *body = g_strnfill (100 * 1024, 'x');
  PdTestReader reader;

  g_assert_no_error (error);
  pd_test_reader_start (&reader, connection);

  /* 100 KiB, all of it sent. */
  g_assert_true (pd_test_raw_write (connection, head, &error));
  g_assert_no_error (error);
  g_assert_true (pd_test_raw_write (connection, body, &error));
  g_assert_no_error (error);

  /* Refused, and the server hangs up as it says it will. */
  g_assert_true (pd_test_wait_for (pd_test_reader_is_closed, &reader, PD_TEST_WAIT_SECONDS));
  check_413 (reader.data->str);
  check_413_event (fixture);

  pd_test_reader_stop (&reader);
}

static void
test_refuse_content_length_boundary (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autofree char *url = url_for (fixture, PD_PATH_NOTIFY);
  g_autofree char *fits = g_strnfill (PD_LISTENER_MAX_BODY, 'x');
  g_autofree char *too_big = g_strnfill (PD_LISTENER_MAX_BODY + 1, 'x');
  g_autoptr(SoupMessage) fits_msg = NULL;
  g_autoptr(SoupMessage) too_big_msg = NULL;
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *body = NULL;
  g_autofree char *body2 = NULL;

  memcpy (fits, "LMI_PAYMENT_NO=", strlen ("LMI_PAYMENT_NO="));
  memcpy (too_big, "LMI_PAYMENT_NO=", strlen ("LMI_PAYMENT_NO="));

  /* Exactly 64 KiB is read and judged: it is not a PayMaster request. */
  fits_msg = pd_test_post_message (url, FORM_TYPE, fits);
  body = pd_test_send (fixture->session, fits_msg);
  g_assert_cmpuint (soup_message_get_status (fits_msg), ==, 400);
  event = wait_for_event (fixture, 1);
  g_assert_cmpuint (event->http_status, ==, 400);
  g_assert_cmpuint (strlen (event->body), ==, PD_LISTENER_MAX_BODY);
  g_clear_pointer (&event, pd_event_free);

  /* One byte more is refused, and the connection with it. */
  too_big_msg = pd_test_post_message (url, FORM_TYPE, too_big);
  body2 = pd_test_send (fixture->session, too_big_msg);
  g_assert_cmpuint (soup_message_get_status (too_big_msg), ==, 413);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (too_big_msg),
                                                 "Connection"), ==, "close");
  event = wait_for_event (fixture, 2);
  g_assert_cmpuint (event->http_status, ==, 413);
  g_assert_null (event->body);
}

static void
test_refuse_content_length_unread (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = pd_test_raw_connect (fixture->uri, &error);
  g_autofree char *head = oversized_head (fixture, 100 * 1000 * 1000);
  PdTestReader reader;

  /* Short timeouts, so that a server waiting for the body gives up soon
   * instead of at the default 10 s. */
  pd_listener_set_timeouts (fixture->listener, 2, 4);

  g_assert_no_error (error);
  pd_test_reader_start (&reader, connection);

  /* Headers that promise 100 MB; the body never comes. */
  g_assert_true (pd_test_raw_write (connection, head, &error));
  g_assert_no_error (error);

  /* The refusal is on record at once... */
  check_413_event (fixture);

  /* ...and the answer must come without the body, or the server reads
   * (and keeps) 100 MB before it refuses them. */
  g_assert_true (pd_test_wait_for (pd_test_reader_has_headers, &reader, 10));
  g_test_message ("got '%s'%s", reader.data->str,
                  reader.closed ? " and the connection closed" : "");
  /* Answered without the body ever being sent. */
  g_assert_true (g_str_has_prefix (reader.data->str, "HTTP/1.1 413 "));
  check_413 (reader.data->str);
  g_assert_true (pd_test_wait_for (pd_test_reader_is_closed, &reader, PD_TEST_WAIT_SECONDS));

  pd_test_reader_stop (&reader);
}

/* Writes a chunked body, one 8 KiB chunk after another, until the server
 * makes it stop or @limit bytes have gone. */
typedef struct
{
  GOutputStream *stream;
  PdTestReader  *reader;
  char          *chunk;
  gsize          chunk_length;
  gsize          sent;
  gsize          limit;
  gboolean       done;
  GError        *error;
} ChunkWriter;

static void write_next_chunk (ChunkWriter *writer);

static void
chunk_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ChunkWriter *writer = user_data;
  GOutputStream *stream = G_OUTPUT_STREAM (object);
  gsize written = 0;

  if (!g_output_stream_write_all_finish (stream, result, &written, &writer->error))
    {
      writer->done = TRUE;
      return;
    }
  writer->sent += written;
  write_next_chunk (writer);
}

static void
write_next_chunk (ChunkWriter *writer)
{
  if (writer->sent >= writer->limit || writer->reader->closed)
    {
      writer->done = TRUE;
      return;
    }
  g_output_stream_write_all_async (writer->stream, writer->chunk, writer->chunk_length,
                                   G_PRIORITY_DEFAULT, NULL, chunk_written_cb, writer);
}

static void
test_refuse_chunked (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = pd_test_raw_connect (fixture->uri, &error);
  g_autoptr(PdEvent) event = NULL;
  g_autofree char *head = NULL;
  g_autoptr(GString) chunk = g_string_new ("2000\r\n");
  PdTestReader reader;
  ChunkWriter writer = { 0 };

  g_assert_no_error (error);
  pd_test_reader_start (&reader, connection);

  head = g_strdup_printf ("POST " PD_PATH_NOTIFY " HTTP/1.1\r\n"
                          "Host: %s\r\n"
                          "Content-Type: " FORM_TYPE "\r\n"
                          "Transfer-Encoding: chunked\r\n"
                          "\r\n", fixture->uri + strlen ("http://"));
  g_assert_true (pd_test_raw_write (connection, head, &error));
  g_assert_no_error (error);

  g_string_append (chunk, "LMI_PAYMENT_NO=1&");
  while (chunk->len < 6 + 0x2000)
    g_string_append_c (chunk, 'x');
  g_string_append (chunk, "\r\n");

  writer.stream = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  writer.reader = &reader;
  writer.chunk = chunk->str;
  writer.chunk_length = chunk->len;
  writer.limit = 64 * 1024 * 1024;
  write_next_chunk (&writer);

  /* The server hangs up long before 64 MiB. */
  g_assert_true (pd_test_wait_for (pd_test_reader_is_closed, &reader, PD_TEST_WAIT_SECONDS));
  pd_test_wait_for_flag (&writer.done);
  g_test_message ("sent %" G_GSIZE_FORMAT " bytes; got '%s' (%s)", writer.sent, reader.data->str,
                  writer.error ? writer.error->message : "no write error");
  g_assert_cmpuint (writer.sent, <, writer.limit);
  g_assert_cmpuint (writer.sent, >, 64 * 1024);

  event = wait_for_event (fixture, 1);
  g_assert_cmpuint (event->http_status, ==, 413);
  g_assert_cmpstr (event->kind, ==, "invalid");
  g_assert_cmpstr (event->path, ==, PD_PATH_NOTIFY);

  g_clear_error (&writer.error);
  pd_test_reader_stop (&reader);
}

/* Slow clients */

static void
test_timeout_idle (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  PdTestReader reader;
  gint64 start;

  pd_listener_set_timeouts (fixture->listener, 1, 2);

  /* Connects and says nothing. */
  start = g_get_monotonic_time ();
  connection = pd_test_raw_connect (fixture->uri, &error);
  g_assert_no_error (error);
  pd_test_reader_start (&reader, connection);

  /* Well before the default timeouts (10 and 30 s) would act. */
  g_assert_true (pd_test_wait_for (pd_test_reader_is_closed, &reader, 8));
  g_test_message ("closed after %.1f s", (reader.closed_at - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpstr (reader.data->str, ==, "");

  pd_test_reader_stop (&reader);
}

static void
test_timeout_keep_alive (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *request = NULL;
  PdTestReader reader;
  gint64 answered;

  pd_listener_set_timeouts (fixture->listener, 1, 2);

  /* One request on a keep-alive connection, then silence. */
  connection = pd_test_raw_connect (fixture->uri, &error);
  g_assert_no_error (error);
  pd_test_reader_start (&reader, connection);
  request = g_strdup_printf ("GET /health HTTP/1.1\r\nHost: %s\r\n\r\n",
                             fixture->uri + strlen ("http://"));
  g_assert_true (pd_test_raw_write (connection, request, &error));
  g_assert_no_error (error);

  g_assert_true (pd_test_wait_for (pd_test_reader_has_headers, &reader, PD_TEST_WAIT_SECONDS));
  answered = g_get_monotonic_time ();
  g_assert_true (g_str_has_prefix (reader.data->str, "HTTP/1.1 200 "));

  g_assert_true (pd_test_wait_for (pd_test_reader_is_closed, &reader, 8));
  g_test_message ("closed %.1f s after the answer",
                  (reader.closed_at - answered) / (double) G_USEC_PER_SEC);
  g_assert_true (g_str_has_suffix (reader.data->str, "ok"));

  pd_test_reader_stop (&reader);
}

typedef struct
{
  GSocketConnection *connection;
  PdTestReader      *reader;
  const char        *text;
  gsize              sent;
  guint              source;
} Trickle;

static gboolean
trickle_cb (gpointer data)
{
  Trickle *trickle = data;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (trickle->connection));

  if (trickle->reader->closed ||
      trickle->text[trickle->sent] == '\0' ||
      g_output_stream_write (out, trickle->text + trickle->sent, 1, NULL, NULL) != 1)
    {
      trickle->source = 0;
      return G_SOURCE_REMOVE;
    }
  trickle->sent++;
  return G_SOURCE_CONTINUE;
}

static void
test_timeout_trickle (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  PdTestReader reader;
  Trickle trickle = { NULL };
  gint64 start;

  pd_listener_set_timeouts (fixture->listener, 1, 2);

  start = g_get_monotonic_time ();
  connection = pd_test_raw_connect (fixture->uri, &error);
  g_assert_no_error (error);
  pd_test_reader_start (&reader, connection);

  /* A byte every half second: never idle for the read timeout, but the
   * request takes a minute; the request deadline cuts it. */
  trickle.connection = connection;
  trickle.reader = &reader;
  trickle.text = "POST " PD_PATH_NOTIFY " HTTP/1.1\r\n"
                 "Host: 127.0.0.1\r\n"
                 "Content-Type: " FORM_TYPE "\r\n"
                 "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                 "\r\n";
  trickle.source = g_timeout_add (500, trickle_cb, &trickle);

  g_assert_true (pd_test_wait_for (pd_test_reader_is_closed, &reader, 8));
  g_test_message ("closed after %.1f s and %" G_GSIZE_FORMAT " bytes",
                  (reader.closed_at - start) / (double) G_USEC_PER_SEC, trickle.sent);
  g_assert_cmpuint (trickle.sent, >=, 2);
  g_assert_cmpuint (trickle.sent, <, strlen (trickle.text));

  g_clear_handle_id (&trickle.source, g_source_remove);
  pd_test_reader_stop (&reader);
}

/* Load */

#define N_CONCURRENT 100

typedef struct
{
  PdTestReply  reply;
  SoupMessage *msg;
} InFlight;

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *url = url_for (fixture, PD_PATH_NOTIFY);
  g_autofree InFlight *flights = g_new0 (InFlight, N_CONCURRENT);
  guint64 commits_before = pd_store_get_n_commits (fixture->store);
  guint n_answered = 0;
  guint n_failed = 0;

  add_invoices (fixture, N_CONCURRENT);

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      const char *number = invoice_number (fixture, N_INVOICES + i);
      g_autofree char *payment_id = g_strdup_printf ("%u", 7000000 + i);
      g_autoptr(PdForm) form = notification_form (number, payment_id, "50.00", "RUB", "0");
      g_autofree char *encoded = NULL;

      sign_form (form, PD_HASH_SHA256);
      encoded = pd_form_encode (form);
      flights[i].msg = pd_test_post_message (url, FORM_TYPE, encoded);
      pd_test_send_async (fixture->session, flights[i].msg, &flights[i].reply);
    }

  /* All in flight at once; wait for every answer. */
  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      pd_test_wait_for_flag (&flights[i].reply.done);
      if (flights[i].reply.error != NULL)
        {
          if (n_failed++ == 0)
            g_test_message ("notification %u: %s", i, flights[i].reply.error->message);
          continue;
        }
      g_assert_cmpuint (soup_message_get_status (flights[i].msg), ==, 200);
      n_answered++;
    }
  g_test_message ("%u of %u notifications answered, in %" G_GUINT64_FORMAT " commits",
                  n_answered, N_CONCURRENT,
                  pd_store_get_n_commits (fixture->store) - commits_before);

  /* Whatever was answered 200 is paid. */
  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      g_autofree char *payment_id = g_strdup_printf ("%u", 7000000 + i);
      g_autofree char *text = pd_test_reply_text (&flights[i].reply);

      if (flights[i].reply.error == NULL)
        {
          g_assert_cmpstr (text, ==, "OK");
          check_paid (fixture, invoice_number (fixture, N_INVOICES + i), payment_id);
        }
      pd_test_reply_clear (&flights[i].reply);
      g_clear_object (&flights[i].msg);
    }
  pd_test_wait_for_count (&fixture->n_events, n_answered);
  g_assert_cmpint (count_payments (fixture), ==, n_answered);
  g_assert_cmpuint (pd_listener_get_n_pending (fixture->listener), ==, 0);

  g_assert_cmpuint (n_failed, ==, 0);
  g_assert_cmpuint (n_answered, ==, N_CONCURRENT);
}

/* Shutting down */

static void
shutdown_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_listener_shutdown_finish (PD_LISTENER (object), result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_listener_get_n_pending (PD_LISTENER (object)), ==, 0);
  *done = TRUE;
}

static void
gate_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (pd_store_write_finish (PD_STORE (object), result, NULL) == GINT_TO_POINTER (1));
  *done = TRUE;
}

static gboolean
has_pending (gconstpointer data)
{
  return pd_listener_get_n_pending ((PdListener *) data) > 0;
}

static void
test_shutdown (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *url = url_for (fixture, PD_PATH_NOTIFY);
  const char *number = invoice_number (fixture, 0);
  g_autoptr(PdForm) form = notification_form (number, "660001", "50.00", "RUB", "0");
  g_autofree char *encoded = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GSocketConnection) late = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  PdTestReply reply = { 0 };
  PdTestGate gate;
  gboolean gate_done = FALSE;
  gboolean shut_down = FALSE;

  /* Hold the writer so that the notification waits for its commit. */
  pd_test_gate_init (&gate);
  pd_store_write_async (fixture->store, pd_test_gate_job, &gate, NULL, NULL, NULL,
                        gate_done_cb, &gate_done);
  pd_test_gate_wait_entered (&gate);

  sign_form (form, PD_HASH_SHA256);
  encoded = pd_form_encode (form);
  msg = pd_test_post_message (url, FORM_TYPE, encoded);
  pd_test_send_async (fixture->session, msg, &reply);
  g_assert_true (pd_test_wait_for (has_pending, fixture->listener, PD_TEST_WAIT_SECONDS));

  pd_listener_shutdown_async (fixture->listener, NULL, shutdown_cb, &shut_down);
  pd_test_spin (200);
  g_assert_false (shut_down);
  g_assert_false (reply.done);
  g_assert_cmpuint (pd_listener_get_n_pending (fixture->listener), ==, 1);

  /* No new connections meanwhile. */
  late = pd_test_raw_connect (fixture->uri, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_null (late);

  pd_test_gate_open (&gate);
  pd_test_wait_for_flag (&shut_down);
  pd_test_wait_for_flag (&reply.done);
  pd_test_wait_for_flag (&gate_done);

  g_assert_no_error (reply.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  body = pd_test_reply_text (&reply);
  g_assert_cmpstr (body, ==, "OK");
  check_paid (fixture, number, "660001");

  pd_test_reply_clear (&reply);
  pd_test_gate_clear (&gate);
}

static void
test_shutdown_idle (Fixture       *fixture,
                    gconstpointer  user_data)
{
  gboolean shut_down = FALSE;

  /* With nothing pending, shutting down completes at once. */
  pd_listener_shutdown_async (fixture->listener, NULL, shutdown_cb, &shut_down);
  pd_test_wait_for_flag (&shut_down);
}

static void
test_address_in_use (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(PdListener) second = pd_listener_new (fixture->store, fixture->shop, SECRET);
  g_autoptr(GError) error = NULL;
  const char *address = fixture->uri + strlen ("http://");

  g_assert_false (pd_listener_listen (second, address, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, address));
  g_clear_error (&error);

  g_assert_false (pd_listener_listen (second, "127.0.0.1:no-port", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "127.0.0.1:no-port"));
}

static void
test_ipv6_uri (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(PdListener) listener = pd_listener_new (fixture->store, fixture->shop, SECRET);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;

  if (!pd_listener_listen (listener, "[::1]:0", &error))
    {
      g_test_skip_printf ("no IPv6 loopback here: %s", error->message);
      return;
    }

  uri = pd_listener_get_uri (listener);
  g_test_message ("%s", uri);
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (parsed);
  g_assert_true (g_str_has_prefix (uri, "http://[::1]:"));

  url = g_strconcat (uri, "/health", NULL);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  body = pd_test_send (fixture->session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (body, ==, "ok");
}

static void
add_test (const char        *path,
          const PdShopMode  *mode,
          void             (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, mode, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_test ("/listener/prerequest/yes", &mode_test, test_prerequest_yes);
  add_test ("/listener/prerequest/yes-live", &mode_live, test_prerequest_yes);
  add_test ("/listener/prerequest/no", &mode_test, test_prerequest_no);
  add_test ("/listener/notify/accepted-test", &mode_test, test_notify_accepted);
  add_test ("/listener/notify/accepted-live", &mode_live, test_notify_accepted);
  add_test ("/listener/notify/duplicate", &mode_test, test_notify_duplicate);
  add_test ("/listener/notify/bad-hash", &mode_test, test_notify_bad_hash);
  add_test ("/listener/notify/test-payment-on-live", &mode_live, test_notify_test_on_live);
  add_test ("/listener/notify/equivalent-values", &mode_test, test_notify_equivalent_values);
  add_test ("/listener/refuse/method", &mode_test, test_refuse_method);
  add_test ("/listener/refuse/content-type", &mode_test, test_refuse_content_type);
  add_test ("/listener/refuse/bad-escape", &mode_test, test_refuse_bad_escape);
  add_test ("/listener/refuse/not-found", &mode_test, test_refuse_not_found);
  add_test ("/listener/refuse/content-length", &mode_test, test_refuse_content_length);
  add_test ("/listener/refuse/content-length-boundary", &mode_test,
            test_refuse_content_length_boundary);
  add_test ("/listener/refuse/content-length-unread", &mode_test,
            test_refuse_content_length_unread);
  add_test ("/listener/refuse/chunked", &mode_test, test_refuse_chunked);
  add_test ("/listener/health", &mode_live, test_health);
  add_test ("/listener/timeout/idle", &mode_test, test_timeout_idle);
  add_test ("/listener/timeout/keep-alive", &mode_test, test_timeout_keep_alive);
  add_test ("/listener/timeout/trickle", &mode_test, test_timeout_trickle);
  add_test ("/listener/concurrent", &mode_test, test_concurrent);
  add_test ("/listener/shutdown/pending", &mode_test, test_shutdown);
  add_test ("/listener/shutdown/idle", &mode_test, test_shutdown_idle);
  add_test ("/listener/address-in-use", &mode_test, test_address_in_use);
  add_test ("/listener/ipv6-uri", &mode_test, test_ipv6_uri);

  return g_test_run ();
}
