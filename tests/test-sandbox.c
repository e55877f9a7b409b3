/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-catalog.h"
#include "pd-journal.h"
#include "pd-listener.h"
#include "pd-paymaster.h"
#include "pd-sandbox.h"
#include "pd-store.h"
#include "pd-test-integration.h"

/* The sandbox end to end, as a customer's browser drives it: a payment
 * link built by pd_paymaster_payment_url(), the checkout page, the Pay
 * button, and the pre-request and signed notification the sandbox sends
 * to a real listener on a temporary database. The sandbox runs attached
 * to the listener's server (as `paydesk-cli serve` does for a sandbox
 * shop) or on a SoupServer of its own (as `paydesk-cli sandbox` does). */

#define MERCHANT_ID   "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define SECRET        "U0HXxS8Ec1bCL1/hgEK98sXBd9C9RBrsoqbAGZefqgI="
#define PRODUCT_NAME  "Чай улун"
#define PRODUCT_PRICE 12345
#define QUANTITY      2
#define DESCRIPTION   PRODUCT_NAME " × 2"
#define AMOUNT_TEXT   "246.90"
#define FORM_TYPE     "application/x-www-form-urlencoded"
#define RETRY_MS      10

typedef struct
{
  char        *dir;
  char        *path;
  PdDatabase  *db;
  PdShop      *shop;
  PdInvoice   *invoice;
  PdStore     *store;
  PdListener  *listener;
  PdSandbox   *sandbox;    /* attached to the listener, for a sandbox shop */
  char        *uri;
  SoupSession *session;
  guint        n_events;
} Fixture;

static const PdShopMode mode_sandbox = PD_SHOP_MODE_SANDBOX;
static const PdShopMode mode_test = PD_SHOP_MODE_TEST;
static const PdShopMode mode_live = PD_SHOP_MODE_LIVE;

static void
event_recorded_cb (PdStore  *store,
                   gpointer  decision,
                   Fixture  *fixture)
{
  fixture->n_events++;
}

/* Points the shop at @paymaster_url and tells the listener and the
 * database, as the setup wizard would. */
static void
set_paymaster_url (Fixture    *fixture,
                   const char *paymaster_url)
{
  g_autoptr(GError) error = NULL;

  g_free (fixture->shop->paymaster_url);
  fixture->shop->paymaster_url = g_strdup (paymaster_url);
  pd_listener_set_shop (fixture->listener, fixture->shop, SECRET);
  g_assert_true (pd_catalog_save_shop (fixture->db, fixture->shop, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sandbox_url = NULL;
  const PdShopMode *mode = user_data;
  gint64 product_id = 0;

  fixture->dir = g_dir_make_tmp ("paydesk-test-sandbox-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "paydesk.db", NULL);

  fixture->db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);

  fixture->shop = pd_shop_new ();
  fixture->shop->merchant_id = g_strdup (MERCHANT_ID);
  fixture->shop->hash_alg = PD_HASH_SHA256;
  fixture->shop->mode = *mode;
  g_free (fixture->shop->listen);
  fixture->shop->listen = g_strdup ("127.0.0.1:0");

  g_assert_true (pd_catalog_add_product (fixture->db, PRODUCT_NAME, PRODUCT_PRICE, "vat20",
                                         &product_id, &error));
  g_assert_no_error (error);
  {
    PdInvoiceLine line = { product_id, QUANTITY };
    PdInvoiceDraft draft = { &line, 1, "buyer@example.org", 0 };

    fixture->invoice = pd_catalog_create_invoices (fixture->db, &draft, 1,
                                                   pd_shop_mode_is_test (*mode), &error);
    g_assert_no_error (error);
  }

  fixture->store = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->store, "event-recorded", G_CALLBACK (event_recorded_cb), fixture);

  /* As `paydesk-cli serve` sets a sandbox shop up. */
  fixture->listener = pd_listener_new (fixture->store, fixture->shop, SECRET);
  if (*mode == PD_SHOP_MODE_SANDBOX)
    {
      g_auto(GStrv) paths = NULL;

      fixture->sandbox = pd_sandbox_new (fixture->shop->hash_alg, SECRET, TRUE);
      pd_sandbox_set_retry_delay (fixture->sandbox, RETRY_MS);
      paths = pd_sandbox_attach (fixture->sandbox, pd_listener_get_server (fixture->listener),
                                 PD_PATH_SANDBOX);
      for (guint i = 0; paths[i]; i++)
        pd_listener_protect_path (fixture->listener, paths[i]);
    }
  g_assert_true (pd_listener_listen (fixture->listener, fixture->shop->listen, &error));
  g_assert_no_error (error);
  fixture->uri = pd_listener_get_uri (fixture->listener);

  fixture->shop->public_url = g_strdup (fixture->uri);
  sandbox_url = g_strconcat (fixture->uri, PD_PATH_SANDBOX, NULL);
  set_paymaster_url (fixture, sandbox_url);

  fixture->session = pd_test_session_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  if (fixture->sandbox != NULL)
    g_assert_true (pd_test_wait_for (pd_test_sandbox_is_idle, fixture->sandbox, PD_TEST_WAIT_SECONDS));

  soup_session_abort (fixture->session);
  g_clear_object (&fixture->session);
  pd_test_drain_main_context ();

  g_clear_object (&fixture->listener);
  g_clear_object (&fixture->sandbox);
  pd_store_close (fixture->store);
  pd_test_drain_main_context ();
  g_signal_handlers_disconnect_by_data (fixture->store, fixture);
  g_clear_object (&fixture->store);

  g_clear_pointer (&fixture->invoice, pd_invoice_free);
  g_clear_pointer (&fixture->db, pd_database_close);
  g_clear_pointer (&fixture->shop, pd_shop_free);
  g_free (fixture->uri);

  pd_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* A sandbox on a SoupServer of its own, as `paydesk-cli sandbox` runs it. */
typedef struct
{
  SoupServer *server;
  PdSandbox  *sandbox;
  char       *url;
} Standalone;

static void
standalone_start (Standalone *standalone,
                  gboolean    test_site)
{
  standalone->server = soup_server_new ("server-header", "Paydesk-Sandbox", NULL);
  standalone->sandbox = pd_sandbox_new (PD_HASH_SHA256, SECRET, test_site);
  pd_sandbox_set_retry_delay (standalone->sandbox, RETRY_MS);
  g_strfreev (pd_sandbox_attach (standalone->sandbox, standalone->server, ""));
  standalone->url = pd_test_server_listen (standalone->server);
}

static void
standalone_stop (Standalone *standalone)
{
  g_assert_true (pd_test_wait_for (pd_test_sandbox_is_idle, standalone->sandbox, PD_TEST_WAIT_SECONDS));
  soup_server_disconnect (standalone->server);
  g_clear_object (&standalone->server);
  g_clear_object (&standalone->sandbox);
  g_clear_pointer (&standalone->url, g_free);
}

/* The customer's side */

static char *
payment_url (Fixture *fixture)
{
  PdPaymentRequest request = {
    .number = fixture->invoice->number,
    .amount = fixture->invoice->amount,
    .currency = fixture->invoice->currency,
    .description = fixture->invoice->description,
    .email = fixture->invoice->email,
    .expires_at = fixture->invoice->expires_at,
  };

  return pd_paymaster_payment_url (fixture->shop, &request);
}

static char *
get_page (Fixture    *fixture,
          const char *url,
          const char *accept_language,
          guint      *status)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  char *page;

  g_assert_nonnull (msg);
  if (accept_language != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "Accept-Language", accept_language);
  page = pd_test_send (fixture->session, msg);
  *status = soup_message_get_status (msg);
  return page;
}

static void
check_links_to (const char *page,
                const char *url)
{
  g_autofree char *escaped = g_markup_escape_text (url, -1);
  g_autofree char *href = g_strdup_printf ("<a href=\"%s\">", escaped);

  g_assert_nonnull (strstr (page, href));
}

static PdInvoiceStatus
invoice_status (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdInvoice) invoice = pd_catalog_get_invoice (fixture->db, fixture->invoice->number,
                                                         &error);

  g_assert_no_error (error);
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

/* How the newest payment was flagged: 1 for a test payment. */
static gint64
newest_payment_test_flag (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pd_database_prepare (fixture->db,
                                            "SELECT test FROM payments ORDER BY id DESC LIMIT 1",
                                            &error);
  gint64 test;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  test = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return test;
}

static GPtrArray *
list_events (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = pd_journal_list_events (fixture->db, 0, &error);

  g_assert_no_error (error);
  return events;
}

/* Opens the checkout page for the fixture's invoice at @paymaster_url. */
static char *
checkout (Fixture    *fixture,
          const char *accept_language)
{
  g_autofree char *url = payment_url (fixture);
  g_autofree char *base = g_strconcat (fixture->shop->paymaster_url, "/Payment/Init?", NULL);
  guint status = 0;
  char *page;

  g_assert_true (g_str_has_prefix (url, base));
  page = get_page (fixture, url, accept_language, &status);
  g_assert_cmpuint (status, ==, 200);
  return page;
}

/* Tests */

static void
test_pay (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autofree char *page = checkout (fixture, NULL);
  g_autofree char *result = NULL;
  g_autofree char *success_url = pd_shop_endpoint_url (fixture->shop, PD_PATH_SUCCESS);
  g_autoptr(GPtrArray) events = NULL;

  /* The checkout page says what is being paid for. */
  g_assert_nonnull (strstr (page, "<html lang=\"en\">"));
  g_assert_nonnull (strstr (page, DESCRIPTION));
  g_assert_nonnull (strstr (page, AMOUNT_TEXT));
  g_assert_nonnull (strstr (page, fixture->invoice->number));
  g_assert_nonnull (strstr (page, MERCHANT_ID));
  g_assert_nonnull (strstr (page, ">Pay<"));
  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_ISSUED);

  result = pd_test_sandbox_press (fixture->session, fixture->uri, page, "pay");
  g_assert_nonnull (strstr (result, "Payment complete"));
  check_links_to (result, success_url);

  /* The result page waits for the listener, which answers after the commit. */
  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_PAID);
  g_assert_cmpint (count_payments (fixture), ==, 1);
  g_assert_cmpint (newest_payment_test_flag (fixture), ==, 1);

  pd_test_wait_for_count (&fixture->n_events, 2);
  events = list_events (fixture);
  g_assert_cmpuint (events->len, ==, 2);
  {
    const PdEvent *notification = events->pdata[0];
    const PdEvent *prerequest = events->pdata[1];

    g_assert_cmpstr (prerequest->kind, ==, "prerequest");
    g_assert_cmpstr (prerequest->verdict, ==, "accepted");
    g_assert_cmpstr (notification->kind, ==, "notification");
    g_assert_cmpstr (notification->verdict, ==, "accepted");
    g_assert_cmpstr (notification->invoice_number, ==, fixture->invoice->number);
  }
  g_assert_cmpuint (pd_sandbox_get_n_in_progress (fixture->sandbox), ==, 0);
}

static void
test_decline (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *page = checkout (fixture, NULL);
  g_autofree char *result = NULL;
  g_autofree char *failure_url = pd_shop_endpoint_url (fixture->shop, PD_PATH_FAILURE);
  g_autofree char *nowhere = g_strconcat (fixture->uri, PD_PATH_SANDBOX "/nowhere", NULL);
  g_autofree char *missing = NULL;
  guint status = 0;

  result = pd_test_sandbox_press (fixture->session, fixture->uri, page, "decline");
  g_assert_nonnull (strstr (result, "Payment cancelled"));
  check_links_to (result, failure_url);

  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (count_payments (fixture), ==, 0);

  /* Nothing reached the listener: no pre-request, no notification, and
   * the sandbox's own pages are not PayMaster traffic. */
  missing = get_page (fixture, nowhere, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  pd_test_drain_main_context ();
  g_assert_cmpuint (fixture->n_events, ==, 0);
  {
    g_autoptr(GPtrArray) events = list_events (fixture);

    g_assert_cmpuint (events->len, ==, 0);
  }
}

static void
test_russian (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *page = checkout (fixture, "ru-RU,ru;q=0.9,en;q=0.5");
  g_autofree char *result = NULL;

  g_assert_nonnull (strstr (page, "<html lang=\"ru\">"));
  g_assert_nonnull (strstr (page, "Оплатить"));
  g_assert_nonnull (strstr (page, "Отказаться"));
  g_assert_nonnull (strstr (page, DESCRIPTION));
  g_assert_nonnull (strstr (page, AMOUNT_TEXT));
  g_assert_null (strstr (page, ">Pay<"));

  /* The language sticks to the next page. */
  result = pd_test_sandbox_press (fixture->session, fixture->uri, page, "pay");
  g_assert_nonnull (strstr (result, "Оплата прошла"));
  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_PAID);
}

static void
test_simulated_failure (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *failure_url = pd_shop_endpoint_url (fixture->shop, PD_PATH_FAILURE);
  g_autofree char *page = NULL;
  g_autofree char *result = NULL;
  g_autofree char *query = NULL;
  g_autofree char *url = NULL;
  g_autoptr(PdForm) link = NULL;
  PdPaymentRequest request = {
    .number = fixture->invoice->number,
    .amount = fixture->invoice->amount,
    .currency = fixture->invoice->currency,
    .description = fixture->invoice->description,
  };
  guint status = 0;

  /* A test site told to fail the payment (LMI_SIM_MODE=1). */
  link = pd_paymaster_payment_form (fixture->shop, &request);
  pd_form_set (link, "LMI_SIM_MODE", "1");
  query = pd_form_encode (link);
  url = g_strdup_printf ("%s/Payment/Init?%s", fixture->shop->paymaster_url, query);
  page = get_page (fixture, url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  result = pd_test_sandbox_press (fixture->session, fixture->uri, page, "pay");
  g_assert_nonnull (strstr (result, "LMI_SIM_MODE"));
  check_links_to (result, failure_url);

  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (count_payments (fixture), ==, 0);
  pd_test_drain_main_context ();
  g_assert_cmpuint (fixture->n_events, ==, 0);
}

static void
test_standalone (Fixture       *fixture,
                 gconstpointer  user_data)
{
  Standalone standalone = { NULL };
  g_autofree char *page = NULL;
  g_autofree char *result = NULL;
  g_autofree char *success_url = pd_shop_endpoint_url (fixture->shop, PD_PATH_SUCCESS);

  g_assert_cmpint (fixture->shop->mode, ==, PD_SHOP_MODE_TEST);
  standalone_start (&standalone, TRUE);
  set_paymaster_url (fixture, standalone.url);

  page = checkout (fixture, NULL);
  g_assert_nonnull (strstr (page, DESCRIPTION));
  result = pd_test_sandbox_press (fixture->session, standalone.url, page, "pay");
  g_assert_nonnull (strstr (result, "Payment complete"));
  check_links_to (result, success_url);

  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_PAID);
  g_assert_cmpint (count_payments (fixture), ==, 1);
  g_assert_cmpint (newest_payment_test_flag (fixture), ==, 1);

  standalone_stop (&standalone);
}

/* A link with no addresses to call, from a shop with no public address:
 * a sandbox that calls shops refuses it, as it could not report the
 * payment. (One that calls nobody takes it: see test-setup-check.) */
static void
test_no_addresses (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  guint status = 0;

  g_clear_pointer (&fixture->shop->public_url, g_free);
  url = payment_url (fixture);
  page = get_page (fixture, url, NULL, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_nonnull (strstr (page, "The sandbox needs LMI_INVOICE_CONFIRMATION_URL"));
  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_ISSUED);
}

/* A shop that fails the first notifications: a small server in front of
 * the listener answers 500 twice, then passes the third attempt on. */
typedef struct
{
  SoupSession *session;
  char        *forward_url;
  guint        n_attempts;
  guint        n_failures;
  guint        n_forwarded;
  GPtrArray   *payment_ids;
} FlakyShop;

typedef struct
{
  FlakyShop         *shop;
  SoupServerMessage *msg;
} Forward;

static void
forwarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree Forward *forward = user_data;
  SoupSession *session = SOUP_SESSION (object);
  SoupMessage *outgoing = soup_session_get_async_result_message (session, result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (session, result, &error);

  g_assert_no_error (error);
  soup_server_message_set_status (forward->msg, soup_message_get_status (outgoing), NULL);
  soup_server_message_set_response (forward->msg, "text/plain", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  soup_server_message_unpause (forward->msg);
  g_object_unref (forward->msg);
  forward->shop->n_forwarded++;
}

static void
flaky_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  FlakyShop *shop = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdForm) form = pd_form_parse (body->data, (gsize) body->length, &error);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessage *outgoing;
  Forward *forward;

  g_assert_no_error (error);
  g_assert_false (pd_paymaster_is_prerequest (form));
  g_assert_true (pd_paymaster_verify (form, PD_HASH_SHA256, SECRET, NULL));
  g_ptr_array_add (shop->payment_ids, g_strdup (pd_form_get (form, "LMI_SYS_PAYMENT_ID")));

  if (++shop->n_attempts <= 2)
    {
      shop->n_failures++;
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "busy", 4);
      return;
    }

  forward = g_new0 (Forward, 1);
  forward->shop = shop;
  forward->msg = g_object_ref (msg);
  soup_server_message_pause (msg);

  bytes = soup_message_body_flatten (body);
  outgoing = pd_test_post_message (shop->forward_url, FORM_TYPE, "");
  soup_message_set_request_body_from_bytes (outgoing, FORM_TYPE, bytes);
  soup_session_send_and_read_async (shop->session, outgoing, G_PRIORITY_DEFAULT, NULL,
                                    forwarded_cb, forward);
  g_object_unref (outgoing);
}

static gboolean
flaky_shop_done (gconstpointer data)
{
  return ((const FlakyShop *) data)->n_forwarded > 0;
}

static void
test_retry (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autofree char *server_url = pd_test_server_listen (server);
  g_autofree char *flaky_url = g_strconcat (server_url, PD_PATH_NOTIFY, NULL);
  g_autofree char *success_url = pd_shop_endpoint_url (fixture->shop, PD_PATH_SUCCESS);
  g_autofree char *page = NULL;
  g_autofree char *result = NULL;
  g_autofree char *query = NULL;
  g_autofree char *url = NULL;
  g_autoptr(PdForm) link = NULL;
  FlakyShop shop = { NULL };
  PdPaymentRequest request = {
    .number = fixture->invoice->number,
    .amount = fixture->invoice->amount,
    .currency = fixture->invoice->currency,
    .description = fixture->invoice->description,
  };
  guint status = 0;

  shop.session = fixture->session;
  shop.forward_url = g_strconcat (fixture->uri, PD_PATH_NOTIFY, NULL);
  shop.payment_ids = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (server, PD_PATH_NOTIFY, flaky_handler, &shop, NULL);

  /* The link sends the notification to the flaky shop; the pre-request
   * still goes to the listener. */
  link = pd_paymaster_payment_form (fixture->shop, &request);
  pd_form_set (link, "LMI_PAYMENT_NOTIFICATION_URL", flaky_url);
  query = pd_form_encode (link);
  url = g_strdup_printf ("%s/Payment/Init?%s", fixture->shop->paymaster_url, query);
  page = get_page (fixture, url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  /* The first attempt failed: the customer is told the sandbox keeps
   * trying, and is still sent back to the shop. */
  result = pd_test_sandbox_press (fixture->session, fixture->uri, page, "pay");
  g_assert_cmpuint (shop.n_attempts, >=, 1);
  check_links_to (result, success_url);

  g_assert_true (pd_test_wait_for (flaky_shop_done, &shop, PD_TEST_WAIT_SECONDS));
  g_assert_true (pd_test_wait_for (pd_test_sandbox_is_idle, fixture->sandbox, PD_TEST_WAIT_SECONDS));
  g_assert_cmpuint (shop.n_attempts, ==, 3);
  g_assert_cmpuint (shop.n_failures, ==, 2);
  g_assert_cmpuint (shop.n_forwarded, ==, 1);

  /* Every attempt carried the same payment. */
  g_assert_cmpuint (shop.payment_ids->len, ==, 3);
  g_assert_cmpstr (shop.payment_ids->pdata[1], ==, shop.payment_ids->pdata[0]);
  g_assert_cmpstr (shop.payment_ids->pdata[2], ==, shop.payment_ids->pdata[0]);

  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_PAID);
  g_assert_cmpint (count_payments (fixture), ==, 1);

  soup_server_disconnect (server);
  g_ptr_array_unref (shop.payment_ids);
  g_free (shop.forward_url);
}

static void
test_working_site_live_shop (Fixture       *fixture,
                             gconstpointer  user_data)
{
  Standalone standalone = { NULL };
  g_autofree char *page = NULL;
  g_autofree char *result = NULL;
  g_autofree char *url = NULL;

  g_assert_cmpint (fixture->shop->mode, ==, PD_SHOP_MODE_LIVE);
  standalone_start (&standalone, FALSE);
  set_paymaster_url (fixture, standalone.url);

  url = payment_url (fixture);
  g_assert_null (strstr (url, "LMI_SIM_MODE"));
  page = checkout (fixture, NULL);
  result = pd_test_sandbox_press (fixture->session, standalone.url, page, "pay");
  g_assert_nonnull (strstr (result, "Payment complete"));

  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_PAID);
  g_assert_cmpint (count_payments (fixture), ==, 1);
  g_assert_cmpint (newest_payment_test_flag (fixture), ==, 0);

  standalone_stop (&standalone);
}

static void
test_test_site_live_shop (Fixture       *fixture,
                          gconstpointer  user_data)
{
  Standalone standalone = { NULL };
  g_autofree char *page = NULL;
  g_autofree char *result = NULL;
  g_autofree char *failure_url = pd_shop_endpoint_url (fixture->shop, PD_PATH_FAILURE);
  g_autoptr(GPtrArray) events = NULL;

  g_assert_cmpint (fixture->shop->mode, ==, PD_SHOP_MODE_LIVE);
  standalone_start (&standalone, TRUE);
  set_paymaster_url (fixture, standalone.url);

  page = checkout (fixture, NULL);
  result = pd_test_sandbox_press (fixture->session, standalone.url, page, "pay");
  g_assert_nonnull (strstr (result, "The shop refused the payment"));
  check_links_to (result, failure_url);

  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (count_payments (fixture), ==, 0);

  /* The refusal is on record, and no notification followed it. */
  pd_test_wait_for_count (&fixture->n_events, 1);
  standalone_stop (&standalone);
  pd_test_drain_main_context ();
  events = list_events (fixture);
  g_assert_cmpuint (events->len, ==, 1);
  {
    const PdEvent *event = events->pdata[0];

    g_assert_cmpstr (event->kind, ==, "prerequest");
    g_assert_cmpstr (event->verdict, ==, "flagged");
    g_assert_cmpstr (event->invoice_number, ==, fixture->invoice->number);
  }
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

  add_test ("/sandbox/attached/pay", &mode_sandbox, test_pay);
  add_test ("/sandbox/attached/decline", &mode_sandbox, test_decline);
  add_test ("/sandbox/attached/russian", &mode_sandbox, test_russian);
  add_test ("/sandbox/attached/retry", &mode_sandbox, test_retry);
  add_test ("/sandbox/attached/simulated-failure", &mode_sandbox, test_simulated_failure);
  add_test ("/sandbox/attached/no-addresses", &mode_sandbox, test_no_addresses);
  add_test ("/sandbox/standalone/test-shop", &mode_test, test_standalone);
  add_test ("/sandbox/standalone/working-site-live-shop", &mode_live, test_working_site_live_shop);
  add_test ("/sandbox/standalone/test-site-live-shop", &mode_live, test_test_site_live_shop);

  return g_test_run ();
}
