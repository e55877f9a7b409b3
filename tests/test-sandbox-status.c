/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-form.h"
#include "pd-json.h"
#include "pd-paymaster.h"
#include "pd-paymaster-api.h"
#include "pd-sandbox.h"
#include "pd-test-integration.h"

/* The sandbox's classic status API, as reconciliation uses it: a payment
 * made on the sandbox's checkout page while PayMaster "cannot reach" the
 * shop, then found again through PdPaymasterApi with the API user's login
 * and password. */

#define MERCHANT_ID  "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define SECRET       "U0HXxS8Ec1bCL1/hgEK98sXBd9C9RBrsoqbAGZefqgI="
#define API_LOGIN    "TestLogin"
#define API_PASSWORD "TestPassword"
#define INVOICE      "43636-20160126-1af9dcfd"
#define DESCRIPTION  "Чай улун × 2"
#define AMOUNT       24690
#define FORM_TYPE    "application/x-www-form-urlencoded"

typedef struct
{
  SoupServer     *server;
  PdSandbox      *sandbox;
  char           *url;
  char           *sandbox_url;
  PdShop         *shop;
  SoupSession    *session;
  PdPaymasterApi *api;
  guint           n_shop_requests;
} Fixture;

/* The shop: counts what reaches it and confirms every invoice. */
static void
shop_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fixture *fixture = user_data;

  fixture->n_shop_requests++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "YES", 3);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_auto(GStrv) paths = NULL;
  g_autofree char *classic_url = NULL;

  fixture->server = soup_server_new ("server-header", "Paydesk-Sandbox", NULL);
  fixture->sandbox = pd_sandbox_new (PD_HASH_SHA256, SECRET, TRUE);
  pd_sandbox_set_retry_delay (fixture->sandbox, 10);
  pd_sandbox_set_api_user (fixture->sandbox, API_LOGIN, API_PASSWORD);
  paths = pd_sandbox_attach (fixture->sandbox, fixture->server, PD_PATH_SANDBOX);
  g_assert_true (g_strv_contains ((const char * const *) paths,
                                  PD_PATH_SANDBOX "/partners/rest"));
  soup_server_add_handler (fixture->server, "/shop", shop_handler, fixture, NULL);
  fixture->url = pd_test_server_listen (fixture->server);
  fixture->sandbox_url = g_strconcat (fixture->url, PD_PATH_SANDBOX, NULL);

  fixture->shop = pd_shop_new ();
  fixture->shop->merchant_id = g_strdup (MERCHANT_ID);
  fixture->shop->hash_alg = PD_HASH_SHA256;
  fixture->shop->mode = PD_SHOP_MODE_TEST;
  fixture->shop->public_url = g_strconcat (fixture->url, "/shop", NULL);
  fixture->shop->paymaster_url = g_strdup (fixture->sandbox_url);

  fixture->session = pd_test_session_new ();

  /* As pd_paymaster_api_new() with the classic API's address given. */
  classic_url = g_strconcat (fixture->sandbox_url, "/partners/rest/", NULL);
  fixture->api = g_object_new (PD_TYPE_PAYMASTER_API,
                               "base-url", fixture->sandbox_url,
                               "classic-url", classic_url,
                               NULL);
  g_assert_cmpstr (pd_paymaster_api_get_classic_url (fixture->api), ==, classic_url);
  pd_paymaster_api_set_classic_credentials (fixture->api, API_LOGIN, API_PASSWORD);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_assert_true (pd_test_wait_for (pd_test_sandbox_is_idle, fixture->sandbox, PD_TEST_WAIT_SECONDS));
  soup_session_abort (fixture->session);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->api);
  pd_test_drain_main_context ();

  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->sandbox);
  g_clear_pointer (&fixture->shop, pd_shop_free);
  g_free (fixture->sandbox_url);
  g_free (fixture->url);
}

/* The customer's side */

static char *
markup_unescape (const char *text)
{
  GString *out = g_string_new (text);

  g_string_replace (out, "&quot;", "\"", 0);
  g_string_replace (out, "&#39;", "'", 0);
  g_string_replace (out, "&lt;", "<", 0);
  g_string_replace (out, "&gt;", ">", 0);
  g_string_replace (out, "&amp;", "&", 0);
  return g_string_free (out, FALSE);
}

static char *
extract (const char *page,
         const char *before)
{
  const char *start = strstr (page, before);
  const char *end;
  g_autofree char *raw = NULL;

  g_assert_nonnull (start);
  start += strlen (before);
  end = strchr (start, '"');
  g_assert_nonnull (end);
  raw = g_strndup (start, end - start);
  return markup_unescape (raw);
}

/* Opens the payment link for @invoice and presses @action; returns the
 * page the sandbox ends on. */
static char *
pay (Fixture    *fixture,
     const char *invoice,
     const char *action)
{
  PdPaymentRequest request = {
    .number = invoice,
    .amount = AMOUNT,
    .currency = "RUB",
    .description = DESCRIPTION,
    .email = "buyer@example.org",
  };
  g_autofree char *link = pd_paymaster_payment_url (fixture->shop, &request);
  g_autoptr(SoupMessage) init = soup_message_new (SOUP_METHOD_GET, link);
  g_autoptr(SoupMessage) post = NULL;
  g_autoptr(PdForm) form = pd_form_new ();
  g_autofree char *page = NULL;
  g_autofree char *payment = NULL;
  g_autofree char *form_action = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  char *answer;

  g_assert_true (g_str_has_prefix (link, fixture->sandbox_url));
  page = pd_test_send (fixture->session, init);
  g_assert_cmpuint (soup_message_get_status (init), ==, 200);

  form_action = extract (page, "<form method=\"post\" action=\"");
  payment = extract (page, "name=\"payment\" value=\"");
  pd_form_add (form, "payment", payment);
  pd_form_add (form, "action", action);
  body = pd_form_encode (form);
  url = g_strconcat (fixture->url, form_action, NULL);
  post = pd_test_post_message (url, FORM_TYPE, body);
  answer = pd_test_send (fixture->session, post);
  g_assert_cmpuint (soup_message_get_status (post), ==, 200);
  return answer;
}

/* The shop's side, through the client */

static PdClassicPayment *
get_by_invoice (Fixture     *fixture,
                const char  *invoice,
                GError     **error)
{
  PdTestResult wait = { 0 };
  PdClassicPayment *payment;

  pd_paymaster_api_get_payment_by_invoice_async (fixture->api, invoice, MERCHANT_ID, NULL,
                                                 pd_test_result_cb, &wait);
  payment = pd_paymaster_api_get_payment_by_invoice_finish (fixture->api,
                                                            pd_test_result_wait (&wait), error);
  g_object_unref (wait.result);
  return payment;
}

static GPtrArray *
list_filter (Fixture         *fixture,
             GDateTime       *from,
             GDateTime       *to,
             const char      *invoice,
             PdClassicState   state,
             GError         **error)
{
  PdTestResult wait = { 0 };
  GPtrArray *payments;

  pd_paymaster_api_list_payments_filter_async (fixture->api, NULL, MERCHANT_ID, from, to,
                                               invoice, state, NULL, pd_test_result_cb, &wait);
  payments = pd_paymaster_api_list_payments_filter_finish (fixture->api,
                                                           pd_test_result_wait (&wait), error);
  g_object_unref (wait.result);
  return payments;
}

static void
check_paid (const PdClassicPayment *payment,
            const char             *invoice)
{
  g_assert_nonnull (payment);
  g_assert_cmpint (payment->state, ==, PD_CLASSIC_STATE_COMPLETE);
  g_assert_cmpint (payment->amount, ==, AMOUNT);
  g_assert_cmpstr (payment->site_invoice_id, ==, invoice);
  g_assert_cmpstr (payment->site_id, ==, MERCHANT_ID);
  g_assert_cmpstr (payment->currency_code, ==, "RUB");
  g_assert_cmpstr (payment->purpose, ==, DESCRIPTION);
  g_assert_true (payment->is_test_payment);
  g_assert_nonnull (payment->last_update_time);
  g_assert_nonnull (payment->payment_id);
  g_assert_cmpuint (strspn (payment->payment_id, "0123456789"), ==, strlen (payment->payment_id));
}

static void
test_unnotified_payment (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  g_autofree char *success = g_strconcat (fixture->url, "/shop", PD_PATH_SUCCESS, NULL);
  g_autofree char *href = g_strdup_printf ("<a href=\"%s\">", success);
  g_autoptr(PdClassicPayment) payment = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) to = g_date_time_add_hours (now, 1);
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);

  pd_sandbox_set_delivers_notifications (fixture->sandbox, FALSE);
  page = pay (fixture, INVOICE, "pay");
  g_assert_nonnull (strstr (page, "Payment complete"));
  g_assert_nonnull (strstr (page, href));
  pd_test_spin (50);
  g_assert_cmpuint (fixture->n_shop_requests, ==, 0);

  payment = get_by_invoice (fixture, INVOICE, &error);
  g_assert_no_error (error);
  check_paid (payment, INVOICE);

  payments = list_filter (fixture, from, to, NULL, PD_CLASSIC_STATE_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 1);
  check_paid (g_ptr_array_index (payments, 0), INVOICE);
  g_assert_cmpstr (((PdClassicPayment *) g_ptr_array_index (payments, 0))->payment_id, ==,
                   payment->payment_id);
  g_clear_pointer (&payments, g_ptr_array_unref);

  payments = list_filter (fixture, NULL, NULL, INVOICE, PD_CLASSIC_STATE_COMPLETE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 1);
  g_clear_pointer (&payments, g_ptr_array_unref);

  /* Filters that leave it out. */
  payments = list_filter (fixture, to, later, NULL, PD_CLASSIC_STATE_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 0);
  g_clear_pointer (&payments, g_ptr_array_unref);
  payments = list_filter (fixture, NULL, NULL, "other", PD_CLASSIC_STATE_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 0);
  g_clear_pointer (&payments, g_ptr_array_unref);
  payments = list_filter (fixture, NULL, NULL, NULL, PD_CLASSIC_STATE_CANCELLED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 0);
}

static void
test_notified_payment (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *page = pay (fixture, INVOICE, "pay");
  g_autoptr(PdClassicPayment) payment = NULL;

  /* The pre-request and the notification both reach the shop. */
  g_assert_nonnull (strstr (page, "Payment complete"));
  pd_test_wait_for_count (&fixture->n_shop_requests, 2);

  payment = get_by_invoice (fixture, INVOICE, &error);
  g_assert_no_error (error);
  check_paid (payment, INVOICE);
}

static void
test_declined_payment (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *declined = pay (fixture, INVOICE, "decline");
  g_autofree char *paid = NULL;
  g_autoptr(PdClassicPayment) payment = NULL;
  g_autoptr(GPtrArray) payments = NULL;

  g_assert_nonnull (strstr (declined, "Payment cancelled"));
  payment = get_by_invoice (fixture, INVOICE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (payment->state, ==, PD_CLASSIC_STATE_CANCELLED);
  g_clear_pointer (&payment, pd_classic_payment_free);

  /* Paid on the second try: the invoice's payment is the completed one. */
  pd_sandbox_set_delivers_notifications (fixture->sandbox, FALSE);
  paid = pay (fixture, INVOICE, "pay");
  payment = get_by_invoice (fixture, INVOICE, &error);
  g_assert_no_error (error);
  check_paid (payment, INVOICE);

  payments = list_filter (fixture, NULL, NULL, INVOICE, PD_CLASSIC_STATE_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 2);
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  PdClassicPayment *payment;

  pd_sandbox_set_delivers_notifications (fixture->sandbox, FALSE);
  page = pay (fixture, INVOICE, "pay");

  payment = get_by_invoice (fixture, "no-such-invoice", &error);
  g_assert_null (payment);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NOT_FOUND);
  g_clear_error (&error);

  pd_paymaster_api_set_classic_credentials (fixture->api, API_LOGIN, "WrongPassword");
  payment = get_by_invoice (fixture, INVOICE, &error);
  g_assert_null (payment);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_BAD_HASH);
  g_clear_error (&error);

  pd_paymaster_api_set_classic_credentials (fixture->api, "SomeoneElse", API_PASSWORD);
  payment = get_by_invoice (fixture, INVOICE, &error);
  g_assert_null (payment);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_BAD_HASH);
}

static gboolean
refund (Fixture     *fixture,
        const char  *payment_id,
        gint64       amount,
        const char  *external_id,
        char       **refund_id,
        GError     **error)
{
  PdTestResult wait = { 0 };
  g_autofree char *state = NULL;
  gboolean ok;

  pd_paymaster_api_refund_payment_async (fixture->api, payment_id, amount, external_id, NULL,
                                         pd_test_result_cb, &wait);
  ok = pd_paymaster_api_refund_payment_finish (fixture->api, pd_test_result_wait (&wait),
                                               refund_id, &state, error);
  g_object_unref (wait.result);
  if (ok)
    g_assert_cmpstr (state, ==, "COMPLETE");
  return ok;
}

/* refundPayment of a payment made on the classic checkout. */
static void
test_refund_payment (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *paid = NULL;
  g_autofree char *declined = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *rest = NULL;
  g_autoptr(PdClassicPayment) payment = NULL;
  g_autoptr(PdClassicPayment) cancelled = NULL;

  pd_sandbox_set_delivers_notifications (fixture->sandbox, FALSE);
  paid = pay (fixture, INVOICE, "pay");
  declined = pay (fixture, "declined-invoice", "decline");
  payment = get_by_invoice (fixture, INVOICE, &error);
  g_assert_no_error (error);
  cancelled = get_by_invoice (fixture, "declined-invoice", &error);
  g_assert_no_error (error);

  g_assert_true (refund (fixture, payment->payment_id, 4690, "refund-1", &first, &error));
  g_assert_no_error (error);
  g_assert_nonnull (first);
  /* A retry with the same externalID is the same refund. */
  g_assert_true (refund (fixture, payment->payment_id, 4690, "refund-1", &again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, first);

  g_assert_false (refund (fixture, payment->payment_id, 20001, "refund-2", NULL, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Only 200.00 RUB"));
  g_clear_error (&error);
  g_assert_true (refund (fixture, payment->payment_id, 20000, "refund-2", &rest, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rest, !=, first);

  g_assert_false (refund (fixture, cancelled->payment_id, 100, "refund-3", NULL, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Cancelled"));
  g_clear_error (&error);
  g_assert_false (refund (fixture, "1", 100, "refund-4", NULL, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The payment stays COMPLETE. */
  g_clear_pointer (&payment, pd_classic_payment_free);
  payment = get_by_invoice (fixture, INVOICE, &error);
  g_assert_no_error (error);
  check_paid (payment, INVOICE);
}

/* getPayment and a reused nonce, as raw requests: the client has no
 * classic getPayment, and never repeats a nonce. */
static JsonNode *
raw_call (Fixture    *fixture,
          const char *payment_id,
          const char *nonce)
{
  const char *params[] = { payment_id, NULL };
  g_autofree char *hash = pd_classic_api_hash (API_LOGIN, API_PASSWORD, nonce, params);
  g_autoptr(PdForm) form = pd_form_new ();
  g_autofree char *query = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  pd_form_add (form, "login", API_LOGIN);
  pd_form_add (form, "nonce", nonce);
  pd_form_add (form, "hash", hash);
  pd_form_add (form, "paymentID", payment_id);
  query = pd_form_encode (form);
  url = g_strconcat (fixture->sandbox_url, "/partners/rest/getPayment?", query, NULL);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  text = pd_test_send (fixture->session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = pd_json_parse_object (text, strlen (text), &error);
  g_assert_no_error (error);
  return root;
}

static void
test_get_payment (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  g_autoptr(PdClassicPayment) payment = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  JsonObject *response;

  pd_sandbox_set_delivers_notifications (fixture->sandbox, FALSE);
  page = pay (fixture, INVOICE, "pay");
  payment = get_by_invoice (fixture, INVOICE, &error);
  g_assert_no_error (error);

  first = raw_call (fixture, payment->payment_id, "74DF1SM");
  g_assert_cmpstr (pd_json_member_text (json_node_get_object (first), "ErrorCode"), ==, "0");
  response = pd_json_member_object (json_node_get_object (first), "Response");
  g_assert_cmpstr (pd_json_member_text (response, "PaymentID"), ==, payment->payment_id);
  g_assert_cmpstr (pd_json_member_text (response, "Amount"), ==, "246.9");
  g_assert_cmpstr (pd_json_member_text (response, "State"), ==, "COMPLETE");

  again = raw_call (fixture, payment->payment_id, "74DF1SM");
  g_assert_cmpstr (pd_json_member_text (json_node_get_object (again), "ErrorCode"), ==, "-14");

  unknown = raw_call (fixture, "1", "another-nonce");
  g_assert_cmpstr (pd_json_member_text (json_node_get_object (unknown), "ErrorCode"), ==, "-13");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sandbox-status/unnotified-payment", Fixture, NULL,
              fixture_setup, test_unnotified_payment, fixture_teardown);
  g_test_add ("/sandbox-status/notified-payment", Fixture, NULL,
              fixture_setup, test_notified_payment, fixture_teardown);
  g_test_add ("/sandbox-status/declined-payment", Fixture, NULL,
              fixture_setup, test_declined_payment, fixture_teardown);
  g_test_add ("/sandbox-status/errors", Fixture, NULL,
              fixture_setup, test_errors, fixture_teardown);
  g_test_add ("/sandbox-status/get-payment", Fixture, NULL,
              fixture_setup, test_get_payment, fixture_teardown);
  g_test_add ("/sandbox-status/refund-payment", Fixture, NULL,
              fixture_setup, test_refund_payment, fixture_teardown);

  return g_test_run ();
}
