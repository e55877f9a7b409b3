/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-invoice-issuer.h"
#include "pd-invoice-link.h"
#include "pd-listener.h"
#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-reconciler.h"
#include "pd-refunder.h"
#include "pd-test-integration.h"

/* A shop on PayMaster's REST API v2 end to end, against the sandbox over
 * loopback, as `paydesk-cli serve` runs it: the shop's listener with the
 * sandbox under /sandbox on the same server, invoices made by the issuer,
 * paid on the cpay page, confirmed by callbacks or found by the
 * reconciler, and refunded by the refunder; a classic shop's refunds too.
 * The shop reaches PayMaster through a relay of the test's own, which
 * counts what Paydesk asks and can lose PayMaster's answers. */

#define MERCHANT_ID  "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define SECRET       "v2-test-secret"
#define TOKEN        "v2-test-token"
#define API_LOGIN    "api-user"
#define API_PASSWORD "api-password"
#define PRICE        5000
#define BOM          "\xEF\xBB\xBF"
#define JSON_TYPE    "application/json"

/* A request the relay passed on to the sandbox. */
typedef struct
{
  char   *method;
  char   *path;
  char   *idempotency_key;
  GBytes *body;
} Relayed;

static void
relayed_free (Relayed *relayed)
{
  g_free (relayed->method);
  g_free (relayed->path);
  g_free (relayed->idempotency_key);
  g_bytes_unref (relayed->body);
  g_free (relayed);
}

typedef struct
{
  char           *dir;
  char           *path;
  PdShop         *shop;
  PdStore        *store;
  PdListener     *listener;
  PdSandbox      *sandbox;
  char           *url;            /* the listener's, the sandbox under /sandbox */
  char           *sandbox_url;
  gint64          product_id;

  /* PayMaster as the shop reaches it. */
  SoupServer     *relay;
  char           *relay_url;
  GPtrArray      *relayed;        /* Relayed */
  guint           lose_answers;   /* pass this many requests on, answer 502 */
  PdPaymasterApi *api;            /* the shop's credentials, through the relay */

  SoupSession    *session;
} Fixture;

static const PdProtocol protocol_v2 = PD_PROTOCOL_V2;
static const PdProtocol protocol_classic = PD_PROTOCOL_CLASSIC;

/* The relay */

typedef struct
{
  Fixture           *fixture;
  SoupServerMessage *msg;
} Relaying;

static void
relay_answered_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Relaying *relaying = user_data;
  SoupMessage *forward = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                             &error);
  SoupServerMessage *msg = relaying->msg;

  g_assert_no_error (error);
  if (relaying->fixture->lose_answers > 0)
    {
      relaying->fixture->lose_answers--;
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_GATEWAY, NULL);
    }
  else
    {
      const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (forward),
                                                                NULL);

      soup_server_message_set_status (msg, soup_message_get_status (forward), NULL);
      soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    }
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  g_free (relaying);
}

static void
relay_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  static const char *headers[] = { "Authorization", "Idempotency-Key", "Accept" };
  Fixture *fixture = user_data;
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *url = g_strconcat (fixture->url, path, raw_query ? "?" : "", raw_query, NULL);
  g_autoptr(SoupMessage) forward = soup_message_new (soup_server_message_get_method (msg), url);
  Relayed *relayed = g_new0 (Relayed, 1);
  Relaying *relaying = g_new0 (Relaying, 1);

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    if (soup_message_headers_get_one (in, headers[i]) != NULL)
      soup_message_headers_replace (soup_message_get_request_headers (forward), headers[i],
                                    soup_message_headers_get_one (in, headers[i]));
  relayed->body = g_bytes_new (body->data, body->length);
  if (body->length > 0)
    soup_message_set_request_body_from_bytes (forward, soup_message_headers_get_content_type (in, NULL),
                                              relayed->body);
  relayed->method = g_strdup (soup_server_message_get_method (msg));
  relayed->path = g_strdup (path);
  relayed->idempotency_key = g_strdup (soup_message_headers_get_one (in, "Idempotency-Key"));
  g_ptr_array_add (fixture->relayed, relayed);

  relaying->fixture = fixture;
  relaying->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (fixture->session, forward, G_PRIORITY_DEFAULT, NULL,
                                    relay_answered_cb, relaying);
}

/* The requests relayed to @path, oldest first. */
static GPtrArray *
relayed_to (Fixture    *fixture,
            const char *path)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < fixture->relayed->len; i++)
    {
      Relayed *relayed = fixture->relayed->pdata[i];

      if (g_str_has_suffix (relayed->path, path))
        g_ptr_array_add (found, relayed);
    }
  return found;
}

static guint
count_relayed (Fixture    *fixture,
               const char *path)
{
  g_autoptr(GPtrArray) found = relayed_to (fixture, path);

  return found->len;
}

/* A client of PayMaster's APIs through the relay, with @token or the
 * classic API user. */
static PdPaymasterApi *
api_new (Fixture    *fixture,
         const char *token)
{
  g_autofree char *base = g_strconcat (fixture->relay_url, PD_PATH_SANDBOX, NULL);
  PdPaymasterApi *api = pd_paymaster_api_new (base);

  pd_paymaster_api_set_token (api, token);
  pd_paymaster_api_set_classic_credentials (api, API_LOGIN, API_PASSWORD);
  return api;
}

/* The fixture */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_auto(GStrv) paths = NULL;

  fixture->dir = g_dir_make_tmp ("paydesk-test-v2-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "paydesk.db", NULL);

  fixture->shop = pd_shop_new ();
  fixture->shop->merchant_id = g_strdup (MERCHANT_ID);
  fixture->shop->hash_alg = PD_HASH_SHA256;
  fixture->shop->mode = PD_SHOP_MODE_TEST;
  fixture->shop->protocol = *(const PdProtocol *) user_data;
  g_free (fixture->shop->listen);
  fixture->shop->listen = g_strdup ("127.0.0.1:0");

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_true (pd_catalog_add_product (db, "Чай улун", PRICE, "vat20", &fixture->product_id,
                                         &error));
  g_assert_no_error (error);
  g_clear_pointer (&db, pd_database_close);
  fixture->store = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->session = pd_test_session_new ();

  fixture->relay = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->relay, NULL, relay_handler, fixture, NULL);
  fixture->relay_url = pd_test_server_listen (fixture->relay);
  fixture->relayed = g_ptr_array_new_with_free_func ((GDestroyNotify) relayed_free);
  fixture->api = api_new (fixture, TOKEN);

  /* As `paydesk-cli serve` runs a shop with the sandbox. */
  fixture->listener = pd_listener_new (fixture->store, fixture->shop, SECRET);
  pd_listener_set_api (fixture->listener, fixture->api);
  fixture->sandbox = pd_sandbox_new (PD_HASH_SHA256, SECRET, TRUE);
  pd_sandbox_set_retry_delay (fixture->sandbox, 10);
  pd_sandbox_set_api_token (fixture->sandbox, TOKEN);
  pd_sandbox_set_api_user (fixture->sandbox, API_LOGIN, API_PASSWORD);
  paths = pd_sandbox_attach (fixture->sandbox, pd_listener_get_server (fixture->listener),
                             PD_PATH_SANDBOX);
  for (guint i = 0; paths[i]; i++)
    pd_listener_protect_path (fixture->listener, paths[i]);
  g_assert_true (pd_listener_listen (fixture->listener, fixture->shop->listen, &error));
  g_assert_no_error (error);
  fixture->url = pd_listener_get_uri (fixture->listener);
  fixture->sandbox_url = g_strconcat (fixture->url, PD_PATH_SANDBOX, NULL);

  fixture->shop->public_url = g_strdup (fixture->url);
  g_free (fixture->shop->paymaster_url);
  fixture->shop->paymaster_url = g_strdup (fixture->sandbox_url);
  pd_listener_set_shop (fixture->listener, fixture->shop, SECRET);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_assert_true (pd_test_wait_for (pd_test_sandbox_is_idle, fixture->sandbox, PD_TEST_WAIT_SECONDS));
  soup_session_abort (fixture->session);
  g_clear_object (&fixture->session);
  pd_test_drain_main_context ();

  g_clear_object (&fixture->listener);
  g_clear_object (&fixture->sandbox);
  soup_server_disconnect (fixture->relay);
  g_clear_object (&fixture->relay);
  g_clear_object (&fixture->api);
  pd_store_close (fixture->store);
  pd_test_drain_main_context ();
  g_clear_object (&fixture->store);

  g_ptr_array_unref (fixture->relayed);
  g_clear_pointer (&fixture->shop, pd_shop_free);
  g_free (fixture->url);
  g_free (fixture->sandbox_url);
  g_free (fixture->relay_url);
  pd_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* The shop's side, waited for */

/* Issues one invoice for @shop as `paydesk-cli invoice create` does. */
static PdInvoice *
issue_with (Fixture         *fixture,
            const PdShop    *shop,
            PdPaymasterApi  *api,
            GError         **error)
{
  PdInvoiceLine line = { fixture->product_id, 1 };
  PdInvoiceDraft draft = { &line, 1, "buyer@example.org", 0, NULL };
  PdTestResult wait = { 0 };
  g_autoptr(GPtrArray) invoices = NULL;

  pd_invoice_issuer_issue_async (fixture->store, shop, api, &draft, 1, TRUE, NULL,
                                 pd_test_result_cb, &wait);
  invoices = pd_invoice_issuer_issue_finish (pd_test_result_wait (&wait), error);
  g_object_unref (wait.result);
  if (invoices == NULL)
    return NULL;
  g_assert_cmpuint (invoices->len, ==, 1);
  return g_ptr_array_steal_index (invoices, 0);
}

static PdInvoice *
issue (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  PdInvoice *invoice = issue_with (fixture, fixture->shop, fixture->api, &error);

  g_assert_no_error (error);
  return invoice;
}

static PdInvoice *
refund_with (Fixture         *fixture,
             PdPaymasterApi  *api,
             const char      *number,
             gint64           amount,
             gint64          *refunded,
             GError         **error)
{
  PdTestResult wait = { 0 };
  PdInvoice *invoice;

  pd_refunder_refund_async (fixture->store, fixture->shop, api, number, amount, NULL,
                            pd_test_result_cb, &wait);
  invoice = pd_refunder_refund_finish (pd_test_result_wait (&wait), refunded, error);
  g_object_unref (wait.result);
  return invoice;
}

/* A refund PayMaster must make: returns the invoice after it. */
static PdInvoice *
refund (Fixture    *fixture,
        const char *number,
        gint64      amount,
        gint64      expect_refunded)
{
  g_autoptr(GError) error = NULL;
  gint64 refunded = 0;
  PdInvoice *invoice = refund_with (fixture, fixture->api, number, amount, &refunded, &error);

  g_assert_no_error (error);
  g_assert_nonnull (invoice);
  g_assert_cmpint (refunded, ==, expect_refunded);
  return invoice;
}

static GPtrArray *
reconcile (Fixture *fixture)
{
  PdTestResult wait = { 0 };
  g_autoptr(GError) error = NULL;
  GPtrArray *changes;

  pd_reconciler_sync_async (fixture->store, fixture->shop, fixture->api, NULL, pd_test_result_cb,
                            &wait);
  changes = pd_reconciler_sync_finish (pd_test_result_wait (&wait), &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return changes;
}

static PdInvoice *
read_invoice (Fixture    *fixture,
              const char *number)
{
  return pd_test_read_invoice (fixture->path, number);
}

static PdInvoiceStatus
invoice_status (Fixture    *fixture,
                const char *number)
{
  g_autoptr(PdInvoice) invoice = read_invoice (fixture, number);

  return invoice->status;
}

static guint
count_events (Fixture *fixture)
{
  g_autoptr(GPtrArray) events = pd_test_list_events (fixture->path);

  return events->len;
}

/* Checks the newest event and returns its reason. */
/* Whether @reason says @what and then the amount as the app shows it. */
static gboolean
reason_tells (const char *reason,
              const char *what,
              gint64      kopecks)
{
  g_autofree char *amount = pd_money_format_display (kopecks, "RUB");
  g_autofree char *expected = g_strdup_printf ("%s %s", what, amount);

  return strstr (reason, expected) != NULL;
}

static char *
check_last_event (Fixture    *fixture,
                  const char *kind,
                  const char *verdict,
                  const char *number)
{
  g_autoptr(GPtrArray) events = pd_test_list_events (fixture->path);
  PdEvent *event;

  g_assert_cmpuint (events->len, >, 0);
  event = events->pdata[0];
  g_assert_cmpstr (event->kind, ==, kind);
  g_assert_cmpstr (event->verdict, ==, verdict);
  if (number != NULL)
    g_assert_cmpstr (event->invoice_number, ==, number);
  return g_strdup (event->reason);
}

/* What PayMaster's refunds of the shop's invoices stand at, oldest first:
 * "status:key" each. */
static char *
refund_rows (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->path, PD_DATABASE_READ_ONLY, &error);
  g_autoptr(GString) rows = g_string_new (NULL);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  stmt = pd_database_prepare (db, "SELECT status, idempotency_key FROM refunds ORDER BY id", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (rows, "%s%s:%s", rows->len > 0 ? " " : "",
                            sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  return g_string_free (g_steal_pointer (&rows), FALSE);
}

/* The customer's and PayMaster's side */

static char *
open_page (Fixture    *fixture,
           const char *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  char *page = pd_test_send (fixture->session, msg);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  return page;
}

/* Presses @action on the cpay page at @url. The page is held until the
 * first attempt at the callback is over. */
static void
pay_page (Fixture    *fixture,
          const char *url,
          const char *action)
{
  g_autofree char *page = open_page (fixture, url);
  g_autofree char *result = pd_test_sandbox_press_cpay (fixture->session, fixture->url, page,
                                                        action);

  g_assert_nonnull (result);
}

/* Pays a classic invoice on the sandbox's checkout page. */
static void
pay_classic (Fixture         *fixture,
             const PdInvoice *invoice)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->path, PD_DATABASE_READ_ONLY, &error);
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  g_autofree char *result = NULL;

  g_assert_no_error (error);
  lines = pd_catalog_list_invoice_lines (db, invoice->id, &error);
  g_assert_no_error (error);
  url = pd_invoice_payment_url (fixture->shop, invoice, lines, &error);
  g_assert_no_error (error);
  page = open_page (fixture, url);
  result = pd_test_sandbox_press (fixture->session, fixture->url, page, "pay");
  g_assert_nonnull (result);
}

/* POSTs @body to the shop's callback address; returns the HTTP status. */
static guint
post_callback (Fixture    *fixture,
               const char *body)
{
  g_autofree char *url = g_strconcat (fixture->url, PD_PATH_CALLBACK, NULL);
  g_autoptr(SoupMessage) msg = pd_test_post_message (url, JSON_TYPE, body);
  g_autofree char *answer = pd_test_send (fixture->session, msg);

  return soup_message_get_status (msg);
}

/* What the sandbox says of a payment, as GET /api/v2/payments/{id}. */
static char *
payment_json (Fixture    *fixture,
              const char *payment_id)
{
  g_autofree char *url = g_strconcat (fixture->sandbox_url, "/api/v2/payments/", payment_id, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  char *json;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " TOKEN);
  json = pd_test_send (fixture->session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  return json;
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strjoinv (to, parts);
}

/* Tests: callbacks */

static void
test_callback (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(PdInvoice) invoice = issue (fixture);
  g_autoptr(PdInvoice) paid = NULL;
  g_autoptr(PdInvoice) with_bom = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *prefix = g_strconcat (fixture->sandbox_url, "/cpay/", NULL);
  g_autofree char *body = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *bom_body = NULL;

  /* PayMaster made it, with the key Paydesk kept. */
  g_assert_cmpint (invoice->status, ==, PD_INVOICE_ISSUED);
  g_assert_true (g_str_has_prefix (invoice->paymaster_url, prefix));
  g_assert_nonnull (invoice->paymaster_invoice_id);
  g_assert_nonnull (invoice->idempotency_key);

  pay_page (fixture, invoice->paymaster_url, "pay");

  /* The callback was only a hint: the payment was read again. */
  paid = read_invoice (fixture, invoice->number);
  g_assert_cmpint (paid->status, ==, PD_INVOICE_PAID);
  g_assert_cmpstr (paid->payment_id, ==, invoice->paymaster_invoice_id);
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 1);
  g_assert_cmpuint (count_relayed (fixture, invoice->paymaster_invoice_id), ==, 1);
  reason = check_last_event (fixture, "callback", "accepted", invoice->number);
  g_assert_nonnull (strstr (reason, "is paid"));

  /* The same callback again is an event of its own, and pays nothing. */
  events = pd_test_list_events (fixture->path);
  body = g_strdup (((PdEvent *) events->pdata[0])->body);
  g_assert_cmpuint (post_callback (fixture, body), ==, SOUP_STATUS_OK);
  g_clear_pointer (&reason, g_free);
  reason = check_last_event (fixture, "callback", "duplicate", invoice->number);
  g_assert_cmpuint (count_events (fixture), ==, events->len + 1);
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 1);

  /* And with a byte order mark before it. */
  bom_body = g_strconcat (BOM, body, NULL);
  g_assert_cmpuint (post_callback (fixture, bom_body), ==, SOUP_STATUS_OK);
  g_clear_pointer (&reason, g_free);
  reason = check_last_event (fixture, "callback", "duplicate", invoice->number);
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 1);

  /* A sender that puts the mark first pays an invoice all the same. */
  pd_sandbox_set_callback_bom (fixture->sandbox, TRUE);
  with_bom = issue (fixture);
  pay_page (fixture, with_bom->paymaster_url, "pay");
  g_assert_cmpint (invoice_status (fixture, with_bom->number), ==, PD_INVOICE_PAID);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = pd_test_list_events (fixture->path);
  g_assert_true (g_str_has_prefix (((PdEvent *) events->pdata[0])->body, BOM));
  g_clear_pointer (&reason, g_free);
  reason = check_last_event (fixture, "callback", "accepted", with_bom->number);
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 2);
}

/* A declined payment is told too, and pays nothing. */
static void
test_callback_declined (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(PdInvoice) invoice = issue (fixture);
  g_autofree char *reason = NULL;

  pay_page (fixture, invoice->paymaster_url, "decline");
  g_assert_true (pd_test_wait_for (pd_test_sandbox_is_idle, fixture->sandbox,
                                   PD_TEST_WAIT_SECONDS));
  g_assert_cmpint (invoice_status (fixture, invoice->number), ==, PD_INVOICE_ISSUED);
  reason = check_last_event (fixture, "callback", "rejected", invoice->number);
  g_assert_nonnull (strstr (reason, "Cancelled"));
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 0);
}

static void
test_callback_forged (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(PdInvoice) invoice = issue (fixture);
  g_autofree char *pending = payment_json (fixture, invoice->paymaster_invoice_id);
  g_autofree char *settled = replace (pending, "\"status\":\"Pending\"", "\"status\":\"Settled\"");
  g_autofree char *id_member = g_strdup_printf ("\"id\":\"%s\"", invoice->paymaster_invoice_id);
  g_autofree char *unknown = replace (settled, id_member, "\"id\":\"424242\"");
  g_autofree char *reason = NULL;
  guint n_events = count_events (fixture);

  /* PayMaster says Pending, whatever the body says. */
  g_assert_cmpuint (post_callback (fixture, settled), ==, SOUP_STATUS_OK);
  reason = check_last_event (fixture, "callback", "rejected", invoice->number);
  g_assert_nonnull (strstr (reason, "“Pending”, not Settled"));

  /* A payment PayMaster does not know was made up. */
  g_assert_cmpuint (post_callback (fixture, unknown), ==, SOUP_STATUS_BAD_REQUEST);
  g_clear_pointer (&reason, g_free);
  reason = check_last_event (fixture, "callback", "rejected", NULL);
  g_assert_nonnull (strstr (reason, "PayMaster knows no such payment"));

  g_assert_cmpuint (post_callback (fixture, "{\"id\": 1, \"status\": \"Settled\""), ==,
                    SOUP_STATUS_BAD_REQUEST);
  g_clear_pointer (&reason, g_free);
  reason = check_last_event (fixture, "callback", "rejected", NULL);
  g_assert_nonnull (strstr (reason, "not a PayMaster payment"));

  g_assert_cmpuint (count_events (fixture), ==, n_events + 3);
  g_assert_cmpint (invoice_status (fixture, invoice->number), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 0);
}

typedef struct
{
  Fixture    *fixture;
  const char *number;
} PaidWait;

static gboolean
invoice_is_paid (gconstpointer data)
{
  const PaidWait *wait = data;

  return invoice_status (wait->fixture, wait->number) == PD_INVOICE_PAID;
}

/* With a token PayMaster refuses, a callback cannot be confirmed: 503, so
 * that PayMaster sends it again, and once the token is right it pays. */
static void
test_callback_wrong_token (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(PdInvoice) invoice = issue (fixture);
  g_autoptr(PdPaymasterApi) wrong = api_new (fixture, "not-the-token");
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *pending = payment_json (fixture, invoice->paymaster_invoice_id);
  g_autofree char *reason = NULL;
  PaidWait paid = { fixture, invoice->number };
  PdEvent *event;

  pd_listener_set_api (fixture->listener, wrong);
  g_assert_cmpuint (post_callback (fixture, pending), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  reason = check_last_event (fixture, "callback", "rejected", NULL);
  g_assert_nonnull (strstr (reason, "refused the API token"));

  pd_listener_set_api (fixture->listener, NULL);
  g_assert_cmpuint (post_callback (fixture, pending), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  g_clear_pointer (&reason, g_free);
  reason = check_last_event (fixture, "callback", "rejected", NULL);
  g_assert_nonnull (strstr (reason, "no PayMaster API token"));

  /* The customer pays while the token is wrong. */
  pd_listener_set_api (fixture->listener, wrong);
  pay_page (fixture, invoice->paymaster_url, "pay");
  g_assert_cmpint (invoice_status (fixture, invoice->number), ==, PD_INVOICE_ISSUED);
  events = pd_test_list_events (fixture->path);
  event = events->pdata[0];
  g_assert_cmpstr (event->kind, ==, "callback");
  g_assert_cmpuint (event->http_status, ==, SOUP_STATUS_SERVICE_UNAVAILABLE);

  pd_listener_set_api (fixture->listener, fixture->api);
  g_assert_true (pd_test_wait_for (invoice_is_paid, &paid, PD_TEST_WAIT_SECONDS));
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 1);
}

/* Has the sandbox make an invoice numbered @number of its own, as a web
 * shop on the same PayMaster site would; returns its page's address. */
static char *
foreign_invoice (Fixture    *fixture,
                 const char *number,
                 gint64      amount)
{
  g_autofree char *callback_url = g_strconcat (fixture->url, PD_PATH_CALLBACK, NULL);
  g_autofree char *key = pd_api_new_idempotency_key ();
  g_autoptr(GError) error = NULL;
  PdApiInvoiceRequest request = {
    .merchant_id = MERCHANT_ID,
    .test_mode = TRUE,
    .description = "Заказ на сайте",
    .order_no = number,
    .amount = amount,
    .currency = "RUB",
    .callback_url = callback_url,
  };
  PdTestResult wait = { 0 };
  char *url = NULL;

  pd_paymaster_api_create_invoice_async (fixture->api, &request, key, NULL, pd_test_result_cb,
                                         &wait);
  g_assert_true (pd_paymaster_api_create_invoice_finish (fixture->api, pd_test_result_wait (&wait),
                                                         NULL, &url, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
  return url;
}

/* An invoice issued before the shop moved to REST v2 has no payment of
 * PayMaster's making: a Settled payment under its number is judged by its
 * amount, and one that differs is recorded, flagged, and pays nothing. */
static void
test_amount_mismatch (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(PdShop) classic = pd_shop_copy (fixture->shop);
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *less = NULL;
  g_autofree char *right = NULL;
  g_autofree char *reason = NULL;

  classic->protocol = PD_PROTOCOL_CLASSIC;
  invoice = issue_with (fixture, classic, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (invoice->paymaster_invoice_id);
  less = foreign_invoice (fixture, invoice->number, PRICE - 100);
  right = foreign_invoice (fixture, invoice->number, PRICE);

  pay_page (fixture, less, "pay");
  g_assert_cmpint (invoice_status (fixture, invoice->number), ==, PD_INVOICE_ISSUED);
  reason = check_last_event (fixture, "callback", "flagged", invoice->number);
  g_assert_nonnull (strstr (reason, "The amount 49.00 does not match"));
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 1);

  pay_page (fixture, right, "pay");
  g_assert_cmpint (invoice_status (fixture, invoice->number), ==, PD_INVOICE_PAID);
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 2);
}

/* A payment of the same amount under the invoice's number that PayMaster
 * made for another invoice (a web shop sharing the PayMaster site numbers
 * its orders too) is not the invoice's: a callback for it is flagged, the
 * reconciler leaves it alone, and the invoice waits for its own. */
static void
test_foreign_payment (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(PdInvoice) invoice = issue (fixture);
  g_autoptr(PdInvoice) behind_nat = issue (fixture);
  g_autofree char *url = foreign_invoice (fixture, invoice->number, PRICE);
  g_autofree char *nat_url = foreign_invoice (fixture, behind_nat->number, PRICE);
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) later = NULL;

  pay_page (fixture, url, "pay");
  g_assert_cmpint (invoice_status (fixture, invoice->number), ==, PD_INVOICE_ISSUED);
  reason = check_last_event (fixture, "callback", "flagged", invoice->number);
  g_assert_nonnull (strstr (reason, "not the one PayMaster made for invoice"));

  pd_sandbox_set_delivers_notifications (fixture->sandbox, FALSE);
  pay_page (fixture, nat_url, "pay");
  changes = reconcile (fixture);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpint (invoice_status (fixture, invoice->number), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (invoice_status (fixture, behind_nat->number), ==, PD_INVOICE_ISSUED);

  pay_page (fixture, behind_nat->paymaster_url, "pay");
  later = reconcile (fixture);
  g_assert_cmpuint (later->len, ==, 1);
  g_assert_cmpstr (((PdSyncChange *) later->pdata[0])->invoice_number, ==, behind_nat->number);
  g_assert_cmpint (((PdSyncChange *) later->pdata[0])->verdict, ==, PD_VERDICT_ACCEPTED);
  g_assert_cmpint (invoice_status (fixture, behind_nat->number), ==, PD_INVOICE_PAID);
}

/* Tests: reconciliation */

static void
test_reconcile (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(PdInvoice) paid = issue (fixture);
  g_autoptr(PdInvoice) declined = issue (fixture);
  g_autoptr(PdInvoice) open = issue (fixture);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *reason = NULL;
  const PdSyncChange *change;

  pd_sandbox_set_delivers_notifications (fixture->sandbox, FALSE);
  pay_page (fixture, paid->paymaster_url, "pay");
  pay_page (fixture, declined->paymaster_url, "decline");
  g_assert_cmpint (invoice_status (fixture, paid->number), ==, PD_INVOICE_ISSUED);
  g_assert_cmpuint (count_events (fixture), ==, 0);

  changes = reconcile (fixture);
  g_assert_cmpuint (changes->len, ==, 1);
  change = changes->pdata[0];
  g_assert_cmpstr (change->invoice_number, ==, paid->number);
  g_assert_cmpint (change->verdict, ==, PD_VERDICT_ACCEPTED);
  g_assert_cmpint (invoice_status (fixture, paid->number), ==, PD_INVOICE_PAID);
  g_assert_cmpint (invoice_status (fixture, declined->number), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (invoice_status (fixture, open->number), ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 1);
  reason = check_last_event (fixture, "reconciliation", "accepted", paid->number);

  /* A second pass finds nothing new and records nothing. */
  again = reconcile (fixture);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_cmpuint (count_events (fixture), ==, 1);
  g_assert_cmpint (pd_test_count_payments (fixture->path), ==, 1);
}

/* Tests: refunds */

/* Where the shop's protocol asks PayMaster for refunds. */
static const char *
refunds_path (Fixture *fixture)
{
  return fixture->shop->protocol == PD_PROTOCOL_V2 ? "/api/v2/refunds" : "/refundPayment";
}

/* An invoice issued and paid through the shop's protocol. */
static PdInvoice *
issue_paid (Fixture *fixture)
{
  PdInvoice *invoice = issue (fixture);

  if (fixture->shop->protocol == PD_PROTOCOL_V2)
    pay_page (fixture, invoice->paymaster_url, "pay");
  else
    pay_classic (fixture, invoice);
  g_assert_cmpint (invoice_status (fixture, invoice->number), ==, PD_INVOICE_PAID);
  return invoice;
}

static void
test_refund (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(PdInvoice) invoice = issue_paid (fixture);
  g_autoptr(PdInvoice) partly = NULL;
  g_autoptr(PdInvoice) refunded = NULL;
  g_autoptr(PdInvoice) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) history = NULL;
  const char *path = refunds_path (fixture);

  partly = refund (fixture, invoice->number, 1000, 1000);
  g_assert_cmpint (partly->status, ==, PD_INVOICE_PAID);
  g_assert_cmpint (partly->refunded, ==, 1000);
  reason = check_last_event (fixture, "refund", "accepted", invoice->number);
  g_assert_true (reason_tells (reason, "PayMaster refunded", 1000));
  g_assert_cmpuint (count_relayed (fixture, path), ==, 1);

  /* More than is left is refused before PayMaster is asked. */
  g_assert_null (refund_with (fixture, fixture->api, invoice->number, PRICE, NULL, &error));
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "at most 40.00 RUB"));
  g_clear_error (&error);
  g_assert_cmpuint (count_relayed (fixture, path), ==, 1);

  refunded = refund (fixture, invoice->number, 0, PRICE - 1000);
  g_assert_cmpint (refunded->status, ==, PD_INVOICE_REFUNDED);
  g_assert_cmpint (refunded->refunded, ==, PRICE);
  g_clear_pointer (&reason, g_free);
  reason = check_last_event (fixture, "refund", "accepted", invoice->number);
  g_assert_cmpuint (count_relayed (fixture, path), ==, 2);

  g_assert_null (refund_with (fixture, fixture->api, invoice->number, 0, NULL, &error));
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpuint (count_relayed (fixture, path), ==, 2);

  after = read_invoice (fixture, invoice->number);
  g_assert_cmpint (after->status, ==, PD_INVOICE_REFUNDED);
  {
    g_autoptr(PdDatabase) db = pd_database_open (fixture->path, PD_DATABASE_READ_ONLY, &error);

    g_assert_no_error (error);
    history = pd_catalog_list_invoice_history (db, after->id, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (((PdStatusChange *) history->pdata[history->len - 1])->status, ==,
                   PD_INVOICE_REFUNDED);
}

/* A refund whose answer never came stays requested; the next refund of
 * the invoice repeats that very request, and PayMaster refunds once. */
static void
test_refund_unanswered (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(PdInvoice) invoice = issue_paid (fixture);
  g_autoptr(PdPaymasterApi) unreachable = NULL;
  g_autoptr(PdInvoice) after = NULL;
  g_autoptr(PdInvoice) rest = NULL;
  g_autoptr(GPtrArray) asked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *expected = NULL;
  gboolean v2 = fixture->shop->protocol == PD_PROTOCOL_V2;
  const char *path = refunds_path (fixture);
  const char *key;
  gint64 refunded = -1;

  /* Nobody listens on port 9. */
  unreachable = pd_paymaster_api_new ("http://127.0.0.1:9");
  pd_paymaster_api_set_token (unreachable, TOKEN);
  pd_paymaster_api_set_classic_credentials (unreachable, API_LOGIN, API_PASSWORD);
  g_assert_null (refund_with (fixture, unreachable, invoice->number, 1000, NULL, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "not known whether the refund was made"));
  g_clear_error (&error);

  /* PayMaster makes it, but its answer is lost on the way back. */
  fixture->lose_answers = 1;
  g_assert_null (refund_with (fixture, fixture->api, invoice->number, 2000, NULL, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_SERVER);
  g_clear_error (&error);

  after = read_invoice (fixture, invoice->number);
  g_assert_cmpint (after->status, ==, PD_INVOICE_PAID);
  g_assert_cmpint (after->refunded, ==, 0);
  asked = relayed_to (fixture, path);
  g_assert_cmpuint (asked->len, ==, 1);
  key = v2 ? ((Relayed *) asked->pdata[0])->idempotency_key : NULL;
  rows = refund_rows (fixture);
  g_assert_true (g_str_has_prefix (rows, "requested:"));
  g_assert_null (strchr (rows, ' '));
  if (v2)
    {
      expected = g_strconcat ("requested:", key, NULL);
      g_assert_cmpstr (rows, ==, expected);
    }

  /* Asked again, for whatever amount: the same request, the same refund. */
  g_clear_pointer (&after, pd_invoice_free);
  after = refund_with (fixture, fixture->api, invoice->number, 3000, &refunded, &error);
  g_assert_no_error (error);
  g_assert_cmpint (refunded, ==, 1000);
  g_assert_cmpint (after->refunded, ==, 1000);
  g_clear_pointer (&asked, g_ptr_array_unref);
  asked = relayed_to (fixture, path);
  g_assert_cmpuint (asked->len, ==, 2);
  if (v2)
    g_assert_cmpstr (((Relayed *) asked->pdata[1])->idempotency_key, ==, key);
  g_clear_pointer (&rows, g_free);
  rows = refund_rows (fixture);
  g_assert_true (g_str_has_prefix (rows, "done:"));

  /* Had PayMaster refunded twice, less than this would be left. */
  rest = refund (fixture, invoice->number, 0, PRICE - 1000);
  g_assert_cmpint (rest->status, ==, PD_INVOICE_REFUNDED);
}

/* PayMaster refuses: the refund is over, written down as failed. */
static void
test_refund_refused (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(PdInvoice) invoice = issue_paid (fixture);
  g_autoptr(PdPaymasterApi) wrong = api_new (fixture, "not-the-token");
  g_autoptr(PdInvoice) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *rows = NULL;

  g_assert_null (refund_with (fixture, wrong, invoice->number, 1000, NULL, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NOT_AUTHORIZED);
  g_assert_nonnull (strstr (error->message, "create a new token"));

  reason = check_last_event (fixture, "refund", "rejected", invoice->number);
  g_assert_true (reason_tells (reason, "PayMaster did not refund", 1000));
  rows = refund_rows (fixture);
  g_assert_true (g_str_has_prefix (rows, "failed:"));
  after = read_invoice (fixture, invoice->number);
  g_assert_cmpint (after->refunded, ==, 0);
  g_assert_cmpint (after->status, ==, PD_INVOICE_PAID);
}

/* Tests: the issuer */

/* PayMaster made the invoice, but its answer was lost on the way back:
 * the issuer asks again with the Idempotency-Key it kept, and PayMaster
 * answers with the invoice it made instead of making a second. */
static void
test_idempotency (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(PdInvoice) stored = NULL;
  g_autoptr(GPtrArray) asked = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 1);
  g_autoptr(GError) error = NULL;
  PdTestResult wait = { 0 };
  Relayed *first, *again;

  fixture->lose_answers = 1;
  invoice = issue (fixture);
  stored = read_invoice (fixture, invoice->number);
  g_assert_cmpint (stored->status, ==, PD_INVOICE_ISSUED);
  g_assert_nonnull (stored->paymaster_url);

  asked = relayed_to (fixture, "/api/v2/invoices");
  g_assert_cmpuint (asked->len, ==, 2);
  first = asked->pdata[0];
  again = asked->pdata[1];
  g_assert_cmpstr (first->idempotency_key, ==, stored->idempotency_key);
  g_assert_cmpstr (again->idempotency_key, ==, stored->idempotency_key);
  g_assert_true (g_bytes_equal (first->body, again->body));

  pd_paymaster_api_list_payments_async (fixture->api, MERCHANT_ID, start, end, NULL,
                                        pd_test_result_cb, &wait);
  payments = pd_paymaster_api_list_payments_finish (fixture->api, pd_test_result_wait (&wait),
                                                    &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 1);
  g_assert_cmpstr (((PdApiPayment *) payments->pdata[0])->id, ==, stored->paymaster_invoice_id);
  g_assert_cmpstr (((PdApiPayment *) payments->pdata[0])->order_no, ==, stored->number);
}

static void
test_issuer_refused (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(PdPaymasterApi) wrong = api_new (fixture, "not-the-token");
  g_autoptr(PdPaymasterApi) unreachable = NULL;
  g_autoptr(PdInvoice) refused = NULL;
  g_autoptr(PdInvoice) cancelled = NULL;
  g_autoptr(PdInvoice) next = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(GError) error = NULL;
  const PdStatusChange *change;

  refused = issue_with (fixture, fixture->shop, wrong, &error);
  g_assert_null (refused);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NOT_AUTHORIZED);
  g_assert_nonnull (strstr (error->message, "PayMaster did not make invoice 1"));
  g_assert_nonnull (strstr (error->message, "create a new token in the PayMaster cabinet"));
  g_assert_nonnull (strstr (error->message, "The invoice was cancelled"));
  g_clear_error (&error);

  cancelled = read_invoice (fixture, "1");
  g_assert_cmpint (cancelled->status, ==, PD_INVOICE_CANCELLED);
  g_assert_null (cancelled->paymaster_url);
  {
    g_autoptr(PdDatabase) db = pd_database_open (fixture->path, PD_DATABASE_READ_ONLY, &error);

    g_assert_no_error (error);
    history = pd_catalog_list_invoice_history (db, cancelled->id, &error);
    g_assert_no_error (error);
  }
  change = history->pdata[history->len - 1];
  g_assert_cmpint (change->status, ==, PD_INVOICE_CANCELLED);
  g_assert_nonnull (strstr (change->note, "refused the API token"));

  /* PayMaster out of reach: asked twice with the same key, then cancelled. */
  g_clear_pointer (&history, g_ptr_array_unref);
  unreachable = pd_paymaster_api_new ("http://127.0.0.1:9");
  pd_paymaster_api_set_token (unreachable, TOKEN);
  g_assert_null (issue_with (fixture, fixture->shop, unreachable, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "answer about invoice 2 did not come"));
  g_assert_nonnull (strstr (error->message, "PayMaster could not be reached"));
  g_clear_error (&error);
  g_assert_cmpint (invoice_status (fixture, "2"), ==, PD_INVOICE_CANCELLED);

  /* With the token right, the next invoice is made. */
  next = issue (fixture);
  g_assert_cmpstr (next->number, ==, "3");
  g_assert_nonnull (next->paymaster_url);
  g_assert_cmpuint (count_relayed (fixture, "/api/v2/invoices"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, protocol, func) \
  g_test_add (path, Fixture, &protocol, fixture_setup, func, fixture_teardown)

  ADD ("/v2/callback", protocol_v2, test_callback);
  ADD ("/v2/callback-declined", protocol_v2, test_callback_declined);
  ADD ("/v2/callback-forged", protocol_v2, test_callback_forged);
  ADD ("/v2/callback-wrong-token", protocol_v2, test_callback_wrong_token);
  ADD ("/v2/amount-mismatch", protocol_v2, test_amount_mismatch);
  ADD ("/v2/foreign-payment", protocol_v2, test_foreign_payment);
  ADD ("/v2/reconcile", protocol_v2, test_reconcile);
  ADD ("/v2/refund", protocol_v2, test_refund);
  ADD ("/v2/refund-unanswered", protocol_v2, test_refund_unanswered);
  ADD ("/v2/refund-refused", protocol_v2, test_refund_refused);
  ADD ("/v2/idempotency", protocol_v2, test_idempotency);
  ADD ("/v2/issuer-refused", protocol_v2, test_issuer_refused);
  ADD ("/classic/refund", protocol_classic, test_refund);
  ADD ("/classic/refund-unanswered", protocol_classic, test_refund_unanswered);

#undef ADD

  return g_test_run ();
}
