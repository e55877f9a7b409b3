/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-form.h"
#include "pd-json.h"
#include "pd-paymaster.h"
#include "pd-paymaster-api.h"
#include "pd-receipt.h"
#include "pd-sandbox.h"
#include "pd-test-integration.h"
#include "pd-test-utils.h"

/* The sandbox's REST API v2 end to end, driven by the real client over
 * loopback: an invoice made with POST /api/v2/invoices, its page opened
 * and Pay pressed as a browser would, the callback received by a small
 * shop server of the test's own, the payment read back, listed page by
 * page, and refunded through both APIs. */

#define MERCHANT_ID  "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define TOKEN        "sandbox-token-0123456789"
#define API_LOGIN    "TestLogin"
#define API_PASSWORD "TestPassword"
#define DESCRIPTION  "Чай улун × 2"
#define AMOUNT       24690
#define BOM          "\xEF\xBB\xBF"

typedef struct
{
  SoupServer     *server;
  PdSandbox      *sandbox;
  char           *url;
  char           *sandbox_url;

  /* The shop: takes the callbacks. */
  SoupServer     *shop;
  char           *callback_url;
  char           *return_url;
  GPtrArray      *callbacks;        /* GBytes, as received */
  GPtrArray      *callback_types;   /* their Content-Type */
  guint           n_attempts;
  guint           n_refusals;       /* answer 500 to this many first */

  SoupSession    *session;
  PdPaymasterApi *api;
} Fixture;

static void
callback_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_assert_true (soup_server_message_get_method (msg) == SOUP_METHOD_POST);
  fixture->n_attempts++;
  if (fixture->n_refusals > 0)
    {
      fixture->n_refusals--;
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }

  g_ptr_array_add (fixture->callbacks, g_bytes_new (body->data, body->length));
  g_ptr_array_add (fixture->callback_types,
                   g_strdup (soup_message_headers_get_content_type (headers, NULL)));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_auto(GStrv) paths = NULL;
  g_autofree char *shop_url = NULL;
  g_autofree char *classic_url = NULL;

  fixture->server = soup_server_new ("server-header", "Paydesk-Sandbox", NULL);
  fixture->sandbox = pd_sandbox_new (PD_HASH_SHA256, "secret", TRUE);
  pd_sandbox_set_retry_delay (fixture->sandbox, 10);
  pd_sandbox_set_api_token (fixture->sandbox, TOKEN);
  pd_sandbox_set_api_user (fixture->sandbox, API_LOGIN, API_PASSWORD);
  paths = pd_sandbox_attach (fixture->sandbox, fixture->server, PD_PATH_SANDBOX);
  g_assert_true (g_strv_contains ((const char * const *) paths, PD_PATH_SANDBOX "/api/v2"));
  g_assert_true (g_strv_contains ((const char * const *) paths, PD_PATH_SANDBOX "/cpay"));
  fixture->url = pd_test_server_listen (fixture->server);
  fixture->sandbox_url = g_strconcat (fixture->url, PD_PATH_SANDBOX, NULL);

  fixture->shop = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->shop, "/callback", callback_handler, fixture, NULL);
  shop_url = pd_test_server_listen (fixture->shop);
  fixture->callback_url = g_strconcat (shop_url, "/callback", NULL);
  fixture->return_url = g_strconcat (shop_url, "/return", NULL);
  fixture->callbacks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  fixture->callback_types = g_ptr_array_new_with_free_func (g_free);

  fixture->session = pd_test_session_new ();
  classic_url = g_strconcat (fixture->sandbox_url, "/partners/rest/", NULL);
  fixture->api = g_object_new (PD_TYPE_PAYMASTER_API,
                               "base-url", fixture->sandbox_url,
                               "classic-url", classic_url,
                               NULL);
  pd_paymaster_api_set_token (fixture->api, TOKEN);
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
  soup_server_disconnect (fixture->shop);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->shop);
  g_clear_object (&fixture->sandbox);
  g_ptr_array_unref (fixture->callbacks);
  g_ptr_array_unref (fixture->callback_types);
  g_free (fixture->callback_url);
  g_free (fixture->return_url);
  g_free (fixture->sandbox_url);
  g_free (fixture->url);
}

/* The client, waited for */

static PdApiInvoiceRequest
invoice_request (Fixture    *fixture,
                 const char *order_no)
{
  PdApiInvoiceRequest request = {
    .merchant_id = MERCHANT_ID,
    .test_mode = TRUE,
    .description = DESCRIPTION,
    .order_no = order_no,
    .amount = AMOUNT,
    .currency = "RUB",
    .return_url = fixture->return_url,
    .callback_url = fixture->callback_url,
    .customer_email = "buyer@example.org",
  };

  return request;
}

static gboolean
create_invoice (Fixture                    *fixture,
                const PdApiInvoiceRequest  *request,
                const char                 *key,
                char                      **payment_id,
                char                      **url,
                GError                    **error)
{
  PdTestResult wait = { 0 };
  gboolean ok;

  pd_paymaster_api_create_invoice_async (fixture->api, request, key, NULL, pd_test_result_cb,
                                         &wait);
  ok = pd_paymaster_api_create_invoice_finish (fixture->api, pd_test_result_wait (&wait),
                                               payment_id, url, error);
  g_object_unref (wait.result);
  return ok;
}

/* Makes an invoice that must be accepted; returns its page's address. */
static char *
new_invoice (Fixture     *fixture,
             const char  *order_no,
             char       **payment_id)
{
  PdApiInvoiceRequest request = invoice_request (fixture, order_no);
  g_autofree char *key = pd_api_new_idempotency_key ();
  g_autoptr(GError) error = NULL;
  char *url = NULL;

  g_assert_true (create_invoice (fixture, &request, key, payment_id, &url, &error));
  g_assert_no_error (error);
  return url;
}

static PdApiPayment *
get_payment (Fixture     *fixture,
             const char  *payment_id,
             GError     **error)
{
  PdTestResult wait = { 0 };
  PdApiPayment *payment;

  pd_paymaster_api_get_payment_async (fixture->api, payment_id, NULL, pd_test_result_cb, &wait);
  payment = pd_paymaster_api_get_payment_finish (fixture->api, pd_test_result_wait (&wait), error);
  g_object_unref (wait.result);
  return payment;
}

static PdApiPaymentStatus
payment_status (Fixture    *fixture,
                const char *payment_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = get_payment (fixture, payment_id, &error);

  g_assert_no_error (error);
  return payment->status;
}

static GPtrArray *
list_payments (Fixture     *fixture,
               const char  *merchant_id,
               GDateTime   *start,
               GDateTime   *end,
               GError     **error)
{
  PdTestResult wait = { 0 };
  GPtrArray *payments;

  pd_paymaster_api_list_payments_async (fixture->api, merchant_id, start, end, NULL,
                                        pd_test_result_cb, &wait);
  payments = pd_paymaster_api_list_payments_finish (fixture->api, pd_test_result_wait (&wait),
                                                    error);
  g_object_unref (wait.result);
  return payments;
}

/* The payments of the last and the next hour. */
static GPtrArray *
list_recent (Fixture  *fixture,
             GError  **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 1);

  return list_payments (fixture, MERCHANT_ID, start, end, error);
}

static PdApiRefund *
create_refund (Fixture     *fixture,
               const char  *payment_id,
               gint64       amount,
               const char  *currency,
               const char  *key,
               GError     **error)
{
  PdTestResult wait = { 0 };
  g_autofree char *fresh_key = key ? NULL : pd_api_new_idempotency_key ();
  PdApiRefund *refund;

  pd_paymaster_api_create_refund_async (fixture->api, payment_id, amount, currency,
                                        key ? key : fresh_key, NULL, pd_test_result_cb, &wait);
  refund = pd_paymaster_api_create_refund_finish (fixture->api, pd_test_result_wait (&wait), error);
  g_object_unref (wait.result);
  return refund;
}

static PdApiRefund *
get_refund (Fixture     *fixture,
            const char  *refund_id,
            GError     **error)
{
  PdTestResult wait = { 0 };
  PdApiRefund *refund;

  pd_paymaster_api_get_refund_async (fixture->api, refund_id, NULL, pd_test_result_cb, &wait);
  refund = pd_paymaster_api_get_refund_finish (fixture->api, pd_test_result_wait (&wait), error);
  g_object_unref (wait.result);
  return refund;
}

static gboolean
classic_refund (Fixture     *fixture,
                const char  *payment_id,
                gint64       amount,
                const char  *external_id,
                char       **refund_id,
                char       **state,
                GError     **error)
{
  PdTestResult wait = { 0 };
  gboolean ok;

  pd_paymaster_api_refund_payment_async (fixture->api, payment_id, amount, external_id, NULL,
                                         pd_test_result_cb, &wait);
  ok = pd_paymaster_api_refund_payment_finish (fixture->api, pd_test_result_wait (&wait), refund_id,
                                               state, error);
  g_object_unref (wait.result);
  return ok;
}

/* The customer's side */

static char *
open_page (Fixture    *fixture,
           const char *url,
           guint       expected_status)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  char *page;

  g_assert_nonnull (msg);
  page = pd_test_send (fixture->session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  return page;
}

/* Opens the page of an invoice and presses @action; returns the page the
 * sandbox ends on. */
static char *
pay (Fixture    *fixture,
     const char *url,
     const char *action)
{
  g_autofree char *page = open_page (fixture, url, SOUP_STATUS_OK);

  return pd_test_sandbox_press_cpay (fixture->session, fixture->url, page, action);
}

static void
assert_links_back (Fixture    *fixture,
                   const char *page)
{
  g_autofree char *href = g_strdup_printf ("<a href=\"%s\">", fixture->return_url);

  g_assert_nonnull (strstr (page, href));
}

/* A raw request, for what the client never sends. */
static char *
raw_request (Fixture     *fixture,
             const char  *method,
             const char  *path,
             const char  *body,
             const char  *token,
             guint       *status)
{
  g_autofree char *url = g_strconcat (fixture->sandbox_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  char *answer;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    authorization);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = pd_test_send (fixture->session, msg);
  *status = soup_message_get_status (msg);
  return answer;
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **root)
{
  g_autoptr(GError) error = NULL;

  *root = pd_json_parse_object (text, strlen (text), &error);
  g_assert_no_error (error);
  return json_node_get_object (*root);
}

/* Tests */

static void
check_settled (const PdApiPayment *payment,
               const char         *payment_id,
               const char         *order_no)
{
  g_assert_cmpstr (payment->id, ==, payment_id);
  g_assert_cmpint (payment->status, ==, PD_API_PAYMENT_SETTLED);
  g_assert_cmpint (payment->amount, ==, AMOUNT);
  g_assert_cmpstr (payment->currency, ==, "RUB");
  g_assert_cmpstr (payment->merchant_id, ==, MERCHANT_ID);
  g_assert_cmpstr (payment->order_no, ==, order_no);
  g_assert_cmpstr (payment->description, ==, DESCRIPTION);
  g_assert_true (payment->test_mode);
  g_assert_cmpstr (payment->payment_method, ==, "BankCard");
  g_assert_nonnull (payment->instrument_title);
  g_assert_true (g_str_has_suffix (payment->created, "Z"));
}

static void
test_pay (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autofree char *payment_id = NULL;
  g_autofree char *url = new_invoice (fixture, "INV-1", &payment_id);
  g_autofree char *page_prefix = g_strconcat (fixture->sandbox_url, "/cpay/", NULL);
  g_autofree char *result = NULL;
  g_autofree char *again = NULL;
  g_autofree char *pressed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = NULL;
  g_autoptr(PdApiPayment) callback = NULL;
  GBytes *body;

  g_assert_true (g_str_has_prefix (url, page_prefix));
  g_assert_cmpuint (strspn (url + strlen (page_prefix), "0123456789abcdef"), ==, 32);

  payment = get_payment (fixture, payment_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (payment->status, ==, PD_API_PAYMENT_PENDING);
  g_assert_cmpint (payment->amount, ==, AMOUNT);
  g_assert_cmpstr (payment->order_no, ==, "INV-1");
  g_clear_pointer (&payment, pd_api_payment_free);

  /* The page is held until the first attempt, so the callback is in. */
  result = pay (fixture, url, "pay");
  g_assert_nonnull (strstr (result, "Payment complete"));
  assert_links_back (fixture, result);
  g_assert_cmpuint (fixture->callbacks->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->callback_types, 0), ==, "application/json");

  body = g_ptr_array_index (fixture->callbacks, 0);
  g_assert_cmpuint (g_bytes_get_size (body), >, 3);
  g_assert_false (memcmp (g_bytes_get_data (body, NULL), BOM, 3) == 0);
  callback = pd_api_payment_from_json (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                       &error);
  g_assert_no_error (error);
  check_settled (callback, payment_id, "INV-1");

  /* The shop re-reads it, as a callback is only a hint. */
  payment = get_payment (fixture, payment_id, &error);
  g_assert_no_error (error);
  check_settled (payment, payment_id, "INV-1");
  g_assert_cmpstr (payment->created, ==, callback->created);

  /* Paid once only. */
  again = open_page (fixture, url, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (again, "This invoice is already paid"));
  g_assert_null (strstr (again, "<form"));
  assert_links_back (fixture, again);
  {
    g_autofree char *path = g_strdup (url + strlen (fixture->url));

    pressed = pd_test_sandbox_submit (fixture->session, fixture->url, path, NULL, "decline");
  }
  g_assert_nonnull (strstr (pressed, "This invoice is already paid"));
  g_assert_cmpint (payment_status (fixture, payment_id), ==, PD_API_PAYMENT_SETTLED);
  g_assert_cmpuint (fixture->n_attempts, ==, 1);
}

static void
test_callback_bom (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *payment_id = NULL;
  g_autofree char *url = new_invoice (fixture, "INV-BOM", &payment_id);
  g_autofree char *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) callback = NULL;
  GBytes *body;

  pd_sandbox_set_callback_bom (fixture->sandbox, TRUE);
  result = pay (fixture, url, "pay");
  g_assert_nonnull (strstr (result, "Payment complete"));
  g_assert_cmpuint (fixture->callbacks->len, ==, 1);

  body = g_ptr_array_index (fixture->callbacks, 0);
  g_assert_cmpuint (g_bytes_get_size (body), >, 3);
  g_assert_true (memcmp (g_bytes_get_data (body, NULL), BOM "{", 4) == 0);
  callback = pd_api_payment_from_json (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                       &error);
  g_assert_no_error (error);
  check_settled (callback, payment_id, "INV-BOM");
}

static void
test_decline (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *payment_id = NULL;
  g_autofree char *url = new_invoice (fixture, "INV-2", &payment_id);
  g_autofree char *result = pay (fixture, url, "decline");
  g_autofree char *again = NULL;
  g_autoptr(PdApiPayment) callback = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;

  g_assert_nonnull (strstr (result, "Payment cancelled"));
  assert_links_back (fixture, result);

  /* The callback goes on without the page. */
  g_assert_true (pd_test_wait_for (pd_test_sandbox_is_idle, fixture->sandbox, PD_TEST_WAIT_SECONDS));
  g_assert_cmpuint (fixture->callbacks->len, ==, 1);
  body = g_ptr_array_index (fixture->callbacks, 0);
  callback = pd_api_payment_from_json (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (callback->id, ==, payment_id);
  g_assert_cmpint (callback->status, ==, PD_API_PAYMENT_CANCELLED);
  g_assert_null (callback->instrument_title);
  g_assert_cmpint (payment_status (fixture, payment_id), ==, PD_API_PAYMENT_CANCELLED);

  again = open_page (fixture, url, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (again, "This invoice can no longer be paid"));
}

static void
test_callback_retries (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *payment_id = NULL;
  g_autofree char *url = new_invoice (fixture, "INV-3", &payment_id);
  g_autofree char *result = NULL;

  fixture->n_refusals = 2;
  result = pay (fixture, url, "pay");
  g_assert_nonnull (strstr (result, "Payment complete"));
  g_assert_nonnull (strstr (result, "the sandbox keeps trying"));
  g_assert_cmpuint (fixture->callbacks->len, ==, 0);

  g_assert_true (pd_test_wait_for (pd_test_sandbox_is_idle, fixture->sandbox, PD_TEST_WAIT_SECONDS));
  g_assert_cmpuint (fixture->n_attempts, ==, 3);
  g_assert_cmpuint (fixture->callbacks->len, ==, 1);
  g_assert_cmpint (payment_status (fixture, payment_id), ==, PD_API_PAYMENT_SETTLED);
}

static void
test_no_notifications (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *payment_id = NULL;
  g_autofree char *declined_id = NULL;
  g_autofree char *url = new_invoice (fixture, "INV-4", &payment_id);
  g_autofree char *declined_url = new_invoice (fixture, "INV-5", &declined_id);
  g_autofree char *result = NULL;
  g_autofree char *declined = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;

  pd_sandbox_set_delivers_notifications (fixture->sandbox, FALSE);
  result = pay (fixture, url, "pay");
  declined = pay (fixture, declined_url, "decline");
  g_assert_nonnull (strstr (result, "Payment complete"));
  assert_links_back (fixture, result);
  g_assert_nonnull (strstr (declined, "Payment cancelled"));

  /* Nothing was sent, nor is on its way. */
  g_assert_cmpuint (pd_sandbox_get_n_in_progress (fixture->sandbox), ==, 0);
  g_assert_cmpuint (fixture->n_attempts, ==, 0);

  /* Reconciliation finds the payment all the same. */
  g_assert_cmpint (payment_status (fixture, payment_id), ==, PD_API_PAYMENT_SETTLED);
  g_assert_cmpint (payment_status (fixture, declined_id), ==, PD_API_PAYMENT_CANCELLED);
  payments = list_recent (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 2);
  check_settled (g_ptr_array_index (payments, 0), payment_id, "INV-4");
}

static void
test_bearer (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *payment_id = NULL;
  g_autofree char *url = new_invoice (fixture, "INV-6", &payment_id);
  PdApiInvoiceRequest request = invoice_request (fixture, "INV-7");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *answer = NULL;
  PdApiPayment *payment;
  JsonObject *object;
  guint status = 0;

  pd_paymaster_api_set_token (fixture->api, "wrong-token");
  g_assert_false (create_invoice (fixture, &request, "key-1", NULL, NULL, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NOT_AUTHORIZED);
  g_clear_error (&error);
  payment = get_payment (fixture, payment_id, &error);
  g_assert_null (payment);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NOT_AUTHORIZED);
  g_clear_error (&error);

  /* A sandbox without a token refuses every call. */
  pd_paymaster_api_set_token (fixture->api, TOKEN);
  pd_sandbox_set_api_token (fixture->sandbox, NULL);
  payment = get_payment (fixture, payment_id, &error);
  g_assert_null (payment);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NOT_AUTHORIZED);
  g_clear_error (&error);
  pd_sandbox_set_api_token (fixture->sandbox, TOKEN);

  /* No Authorization at all, or another scheme. */
  answer = raw_request (fixture, SOUP_METHOD_GET, "/api/v2/payments/1", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_UNAUTHORIZED);
  object = parse_object (answer, &root);
  g_assert_cmpstr (pd_json_member_text (object, "code"), ==, "not_authorized");
  g_assert_nonnull (pd_json_member_text (object, "message"));
  g_clear_pointer (&answer, g_free);
  answer = raw_request (fixture, SOUP_METHOD_GET, "/api/v2/payments/1", NULL, TOKEN "x", &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_UNAUTHORIZED);
  g_clear_pointer (&answer, g_free);

  /* The right token still works. */
  g_assert_cmpint (payment_status (fixture, payment_id), ==, PD_API_PAYMENT_PENDING);
}

static void
test_idempotency (Fixture       *fixture,
                  gconstpointer  user_data)
{
  PdApiInvoiceRequest request = invoice_request (fixture, "INV-8");
  PdApiInvoiceRequest other = invoice_request (fixture, "INV-9");
  g_autofree char *key = pd_api_new_idempotency_key ();
  g_autofree char *first_id = NULL;
  g_autofree char *first_url = NULL;
  g_autofree char *again_id = NULL;
  g_autofree char *again_url = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *new_key = pd_api_new_idempotency_key ();
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (create_invoice (fixture, &request, key, &first_id, &first_url, &error));
  g_assert_no_error (error);
  /* A retry after a lost answer: the same invoice, not a second one. */
  g_assert_true (create_invoice (fixture, &request, key, &again_id, &again_url, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (again_id, ==, first_id);
  g_assert_cmpstr (again_url, ==, first_url);

  /* The key with another body. */
  g_assert_false (create_invoice (fixture, &other, key, NULL, NULL, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_IDEMPOTENCY_KEY);
  g_clear_error (&error);

  /* A new key is a new invoice, even with the same body. */
  g_assert_true (create_invoice (fixture, &request, new_key, &new_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (new_id, !=, first_id);

  payments = list_recent (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 2);
}

static JsonNode *
receipt_node (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

/* Builds the receipt JSON with pd-receipt, as Paydesk sends it. */
static JsonNode *
paydesk_receipt (gint64 amount)
{
  g_autoptr(PdReceipt) receipt = pd_receipt_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_receipt_add_line (receipt, "Чай улун", 12345, 2, "vat20", 1, 4, &error));
  g_assert_true (pd_receipt_set_email (receipt, "buyer@example.org", &error));
  json_builder_begin_object (builder);
  g_assert_true (pd_receipt_add_to_json (receipt, amount, builder, &error));
  g_assert_no_error (error);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_node_copy (json_object_get_member (json_node_get_object (root), "receipt"));
}

static void
test_validation (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const struct {
    const char *case_name;
    const char *field;
  } cases[] = {
    { "empty description", "invoice.description" },
    { "empty order number", "invoice.orderNo" },
    { "empty merchant id", "merchantId" },
    { "dollars", "amount.currency" },
    { "no callback", "protocol.callbackUrl" },
    { "ftp callback", "protocol.callbackUrl" },
    { "bad return address", "protocol.returnUrl" },
    { "receipt short of the amount", "receipt.items" },
    { "retired VAT rate", "receipt.items[0].vatType" },
    { "fraction of a kopeck", "receipt.items[0].price" },
  };
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payment_id = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PdApiInvoiceRequest request = invoice_request (fixture, "INV-10");
      g_autoptr(JsonNode) receipt = NULL;
      g_autoptr(GError) case_error = NULL;
      g_autofree char *key = pd_api_new_idempotency_key ();

      switch (i)
        {
        case 0: request.description = ""; break;
        case 1: request.order_no = ""; break;
        case 2: request.merchant_id = ""; break;
        case 3: request.currency = "USD"; break;
        case 4: request.callback_url = NULL; break;
        case 5: request.callback_url = "ftp://example.org/callback"; break;
        case 6: request.return_url = "not an address"; break;
        case 7:
          receipt = receipt_node ("{\"items\": [{\"name\": \"Чай\", \"quantity\": 2, "
                                  "\"price\": 123.4, \"vatType\": \"Vat20\", "
                                  "\"paymentSubject\": \"Commodity\", "
                                  "\"paymentMethod\": \"FullPayment\"}]}");
          break;
        case 8:
          receipt = receipt_node ("{\"items\": [{\"name\": \"Чай\", \"quantity\": 2, "
                                  "\"price\": 123.45, \"vatType\": \"Vat18\", "
                                  "\"paymentSubject\": \"Commodity\", "
                                  "\"paymentMethod\": \"FullPayment\"}]}");
          break;
        case 9:
          receipt = receipt_node ("{\"items\": [{\"name\": \"Чай\", \"quantity\": 0.5, "
                                  "\"price\": 0.01, \"vatType\": \"Vat20\", "
                                  "\"paymentSubject\": \"Commodity\", "
                                  "\"paymentMethod\": \"FullPayment\"}, "
                                  "{\"name\": \"Улун\", \"quantity\": 1, \"price\": 246.9, "
                                  "\"vatType\": \"Vat20\", \"paymentSubject\": \"Commodity\", "
                                  "\"paymentMethod\": \"FullPayment\"}]}");
          break;
        default:
          g_assert_not_reached ();
        }
      request.receipt = receipt;

      if (create_invoice (fixture, &request, key, NULL, NULL, &case_error))
        pd_test_fail_case ("%s: accepted", cases[i].case_name);
      else if (!g_error_matches (case_error, PD_API_ERROR, PD_API_ERROR_VALIDATION))
        pd_test_fail_case ("%s: %s", cases[i].case_name, case_error->message);
      else if (strstr (case_error->message, cases[i].field) == NULL)
        pd_test_fail_case ("%s: “%s” does not name %s", cases[i].case_name,
                           case_error->message, cases[i].field);
    }

  /* Nothing was made of them; a receipt that adds up is taken. */
  payments = list_recent (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 0);
  {
    PdApiInvoiceRequest request = invoice_request (fixture, "INV-11");
    g_autoptr(JsonNode) receipt = paydesk_receipt (AMOUNT);
    g_autofree char *key = pd_api_new_idempotency_key ();

    request.receipt = receipt;
    g_assert_true (create_invoice (fixture, &request, key, &payment_id, NULL, &error));
    g_assert_no_error (error);
  }
  {
    PdApiInvoiceRequest request = invoice_request (fixture, "INV-12");
    g_autoptr(JsonNode) receipt = receipt_node (
      "{\"client\": {\"phone\": \"79031234567\"}, \"items\": ["
      "{\"name\": \"Сыр\", \"quantity\": 0.125, \"price\": 800, \"vatType\": \"Vat10\", "
      "\"paymentSubject\": \"Commodity\", \"paymentMethod\": \"FullPayment\"}, "
      "{\"name\": \"Чай\", \"quantity\": 1, \"price\": 146.9, \"vatType\": \"None\", "
      "\"paymentSubject\": \"Service\", \"paymentMethod\": \"FullPrepayment\"}]}");
    g_autofree char *key = pd_api_new_idempotency_key ();

    request.receipt = receipt;
    g_assert_true (create_invoice (fixture, &request, key, NULL, NULL, &error));
    g_assert_no_error (error);
  }
}

/* What the client cannot send: bad amounts and bodies, the invoice's own
 * params, other methods. */
static void
test_raw_requests (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const struct {
    const char *amount;
    const char *reason;
  } amounts[] = {
    { "0", "must be more than zero" },
    { "-1", "with at most two decimals" },
    { "12.345", "with at most two decimals" },
    { "\"many\"", "with at most two decimals" },
    { "1e13", "is too large" },
  };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *path = NULL;
  JsonObject *object;
  JsonArray *errors;
  guint status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      g_autoptr(JsonNode) case_root = NULL;
      g_autofree char *case_body = g_strdup_printf (
        "{\"merchantId\": \"" MERCHANT_ID "\", \"invoice\": {\"description\": \"Tea\", "
        "\"orderNo\": \"R-1\"}, \"amount\": {\"value\": %s, \"currency\": \"RUB\"}, "
        "\"protocol\": {\"callbackUrl\": \"http://127.0.0.1:9/callback\"}}", amounts[i].amount);
      g_autofree char *case_answer = raw_request (fixture, SOUP_METHOD_POST, "/api/v2/invoices",
                                                  case_body, TOKEN, &status);
      JsonObject *error_object = parse_object (case_answer, &case_root);
      JsonArray *case_errors = pd_json_member_array (error_object, "errors");
      JsonObject *first = case_errors ? json_array_get_object_element (case_errors, 0) : NULL;
      const char *message = pd_json_member_text (first, "message");

      if (status != SOUP_STATUS_BAD_REQUEST ||
          g_strcmp0 (pd_json_member_text (error_object, "code"), "validation_error") != 0 ||
          g_strcmp0 (pd_json_member_text (first, "field"), "amount.value") != 0 ||
          message == NULL || strstr (message, amounts[i].reason) == NULL)
        pd_test_fail_case ("amount %s: HTTP %u %s", amounts[i].amount, status, case_answer);
    }

  answer = raw_request (fixture, SOUP_METHOD_POST, "/api/v2/invoices", "{\"merchantId\": ",
                        TOKEN, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_BAD_REQUEST);
  object = parse_object (answer, &root);
  g_assert_cmpstr (pd_json_member_text (object, "code"), ==, "validation_error");
  errors = pd_json_member_array (object, "errors");
  g_assert_cmpstr (pd_json_member_text (json_array_get_object_element (errors, 0), "field"), ==,
                   "body");
  g_clear_pointer (&answer, g_free);
  g_clear_pointer (&root, json_node_unref);
  answer = raw_request (fixture, SOUP_METHOD_POST, "/api/v2/refunds", "", TOKEN, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_BAD_REQUEST);
  g_clear_pointer (&answer, g_free);

  /* invoice.params comes back as it was sent, numbers and all. */
  answer = raw_request (fixture, SOUP_METHOD_POST, "/api/v2/invoices",
                        "{\"merchantId\": \"" MERCHANT_ID "\", \"testMode\": false, "
                        "\"invoice\": {\"description\": \"Tea\", \"orderNo\": \"R-2\", "
                        "\"params\": {\"basket\": \"7\", \"n\": 15}}, "
                        "\"amount\": {\"value\": 0.29, \"currency\": \"RUB\"}, "
                        "\"protocol\": {\"callbackUrl\": \"http://127.0.0.1:9/callback\"}}",
                        TOKEN, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  object = parse_object (answer, &root);
  path = g_strconcat ("/api/v2/payments/", pd_json_member_text (object, "paymentId"), NULL);
  g_clear_pointer (&answer, g_free);
  answer = raw_request (fixture, SOUP_METHOD_GET, path, NULL, TOKEN, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (answer, "\"params\":{\"basket\":\"7\",\"n\":15}"));
  g_assert_nonnull (strstr (answer, "\"amount\":{\"value\":0.29,\"currency\":\"RUB\"}"));
  g_assert_nonnull (strstr (answer, "\"testMode\":false"));
  g_clear_pointer (&answer, g_free);

  /* Unknown things and other methods. */
  answer = raw_request (fixture, SOUP_METHOD_GET, "/api/v2/payments/999", NULL, TOKEN, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
  g_clear_pointer (&answer, g_free);
  answer = raw_request (fixture, SOUP_METHOD_DELETE, path, NULL, TOKEN, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_clear_pointer (&answer, g_free);
  answer = raw_request (fixture, SOUP_METHOD_GET, "/api/v2/customers", NULL, TOKEN, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
}

static void
test_page (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autofree char *payment_id = NULL;
  g_autofree char *url = new_invoice (fixture, "INV-13", &payment_id);
  g_autofree char *page = open_page (fixture, url, SOUP_STATUS_OK);
  g_autofree char *unknown_url = g_strconcat (fixture->sandbox_url, "/cpay/0123abcd", NULL);
  g_autofree char *unknown = open_page (fixture, unknown_url, SOUP_STATUS_NOT_FOUND);
  g_autofree char *russian = NULL;
  g_autofree char *other_lang = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);

  g_assert_nonnull (strstr (page, "<html lang=\"en\">"));
  g_assert_nonnull (strstr (page, DESCRIPTION));
  g_assert_nonnull (strstr (page, "246.90"));
  g_assert_nonnull (strstr (page, "INV-13"));
  g_assert_nonnull (strstr (page, MERCHANT_ID));
  g_assert_nonnull (strstr (page, ">Pay<"));
  g_assert_nonnull (strstr (page, ">Decline<"));
  other_lang = pd_test_extract (page, "</form>\n<p><a href=\"");
  g_assert_true (g_str_has_suffix (other_lang, "?pd_sandbox_lang=ru"));
  g_assert_nonnull (strstr (unknown, "There is no such payment"));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language",
                                "ru-RU,ru;q=0.9");
  russian = pd_test_send (fixture->session, msg);
  g_assert_nonnull (strstr (russian, "<html lang=\"ru\">"));
  g_assert_nonnull (strstr (russian, "Оплатить"));
  g_assert_nonnull (strstr (russian, "246,90"));
  g_assert_null (strstr (russian, ">Pay<"));

  /* Nothing changes by looking. */
  g_assert_cmpint (payment_status (fixture, payment_id), ==, PD_API_PAYMENT_PENDING);
}

static void
test_list_pages (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past_start = g_date_time_add_hours (now, -3);
  g_autoptr(GDateTime) past_end = g_date_time_add_hours (now, -2);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *paid_url = NULL;
  g_autofree char *result = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *query = NULL;
  PdApiPayment *last;
  JsonObject *object;
  guint status = 0;

  pd_sandbox_set_page_size (fixture->sandbox, 2);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *order_no = g_strdup_printf ("INV-2%u", i);
      g_autofree char *payment_id = NULL;
      g_autofree char *url = new_invoice (fixture, order_no, &payment_id);

      if (i == 3)
        paid_url = g_steal_pointer (&url);
      g_ptr_array_add (ids, g_steal_pointer (&payment_id));
    }
  result = pay (fixture, paid_url, "pay");

  /* All five over three pages, in the order they were made. */
  payments = list_recent (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      PdApiPayment *payment = g_ptr_array_index (payments, i);

      g_assert_cmpstr (payment->id, ==, g_ptr_array_index (ids, i));
      g_assert_cmpint (payment->status, ==,
                       i == 3 ? PD_API_PAYMENT_SETTLED : PD_API_PAYMENT_PENDING);
    }
  g_clear_pointer (&payments, g_ptr_array_unref);

  /* The first page as it travels. */
  {
    g_autoptr(PdForm) form = pd_form_new ();
    g_autofree char *start = g_date_time_format (past_start, "%Y-%m-%dT%H:%M:%SZ");
    g_autoptr(GDateTime) later = g_date_time_add_hours (now, 1);
    g_autofree char *end = g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");

    pd_form_add (form, "merchantId", MERCHANT_ID);
    pd_form_add (form, "start", start);
    pd_form_add (form, "end", end);
    query = pd_form_encode (form);
  }
  {
    g_autofree char *path = g_strconcat ("/api/v2/payments?", query, NULL);

    answer = raw_request (fixture, SOUP_METHOD_GET, path, NULL, TOKEN, &status);
  }
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  object = parse_object (answer, &root);
  g_assert_cmpuint (json_array_get_length (pd_json_member_array (object, "items")), ==, 2);
  g_assert_nonnull (pd_json_member_text (object, "cursor"));

  /* A client that reads fewer pages than there are says so. */
  pd_paymaster_api_set_max_pages (fixture->api, 2);
  payments = list_recent (fixture, &error);
  g_assert_null (payments);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_TOO_MANY_PAGES);
  g_clear_error (&error);
  pd_paymaster_api_set_max_pages (fixture->api, 10);

  /* Another merchant's, or another period's: none. */
  payments = list_payments (fixture, "another-merchant", past_start, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 0);
  g_clear_pointer (&payments, g_ptr_array_unref);
  payments = list_payments (fixture, MERCHANT_ID, past_start, past_end, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 0);
  g_clear_pointer (&payments, g_ptr_array_unref);

  /* [start, end): a payment made at the start is in, one made at the end
   * is out. */
  last = get_payment (fixture, g_ptr_array_index (ids, 4), &error);
  g_assert_no_error (error);
  created = g_date_time_new_from_iso8601 (last->created, utc);
  g_assert_nonnull (created);
  after = g_date_time_add_seconds (created, 1);
  before = g_date_time_add_seconds (created, -1);
  payments = list_payments (fixture, MERCHANT_ID, created, after, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((PdApiPayment *) g_ptr_array_index (payments, payments->len - 1))->id, ==,
                   last->id);
  g_clear_pointer (&payments, g_ptr_array_unref);
  payments = list_payments (fixture, MERCHANT_ID, before, created, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < payments->len; i++)
    g_assert_cmpstr (((PdApiPayment *) g_ptr_array_index (payments, i))->id, !=, last->id);
  pd_api_payment_free (last);
}

static void
check_refund (const PdApiRefund *refund,
              const char        *payment_id,
              gint64             amount)
{
  g_assert_nonnull (refund);
  g_assert_cmpstr (refund->payment_id, ==, payment_id);
  g_assert_cmpint (refund->amount, ==, amount);
  g_assert_cmpstr (refund->currency, ==, "RUB");
  g_assert_cmpstr (refund->status, ==, "Success");
  g_assert_nonnull (refund->created);
}

static void
test_refunds (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *payment_id = NULL;
  g_autofree char *url = new_invoice (fixture, "INV-30", &payment_id);
  g_autofree char *unpaid_id = NULL;
  g_autofree char *unpaid_url = new_invoice (fixture, "INV-31", &unpaid_id);
  g_autofree char *declined_id = NULL;
  g_autofree char *declined_url = new_invoice (fixture, "INV-32", &declined_id);
  g_autofree char *key = pd_api_new_idempotency_key ();
  g_autofree char *result = NULL;
  g_autofree char *declined = NULL;
  g_autoptr(PdApiRefund) partial = NULL;
  g_autoptr(PdApiRefund) repeated = NULL;
  g_autoptr(PdApiRefund) rest = NULL;
  g_autoptr(PdApiRefund) read = NULL;
  g_autoptr(GError) error = NULL;
  PdApiRefund *refused;

  result = pay (fixture, url, "pay");
  declined = pay (fixture, declined_url, "decline");

  partial = create_refund (fixture, payment_id, 10000, "RUB", key, &error);
  g_assert_no_error (error);
  check_refund (partial, payment_id, 10000);

  /* The same request again is the same refund, not a second one. */
  repeated = create_refund (fixture, payment_id, 10000, "RUB", key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (repeated->id, ==, partial->id);

  /* More than is left: 146.90 is. */
  refused = create_refund (fixture, payment_id, 20000, "RUB", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_OPERATION);
  g_assert_nonnull (strstr (error->message, "Only 146.90 RUB"));
  g_clear_error (&error);

  rest = create_refund (fixture, payment_id, AMOUNT - 10000, "RUB", NULL, &error);
  g_assert_no_error (error);
  check_refund (rest, payment_id, AMOUNT - 10000);
  g_assert_cmpstr (rest->id, !=, partial->id);

  refused = create_refund (fixture, payment_id, 1, "RUB", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_OPERATION);
  g_clear_error (&error);

  /* Refunds do not change the payment's status. */
  g_assert_cmpint (payment_status (fixture, payment_id), ==, PD_API_PAYMENT_SETTLED);

  read = get_refund (fixture, partial->id, &error);
  g_assert_no_error (error);
  check_refund (read, payment_id, 10000);
  g_assert_cmpstr (read->id, ==, partial->id);
  g_assert_cmpstr (read->created, ==, partial->created);
  refused = get_refund (fixture, "12345", &error);
  g_assert_null (refused);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Only a paid payment. */
  refused = create_refund (fixture, unpaid_id, 100, "RUB", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_OPERATION);
  g_assert_nonnull (strstr (error->message, "Pending"));
  g_clear_error (&error);
  refused = create_refund (fixture, declined_id, 100, "RUB", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_OPERATION);
  g_assert_nonnull (strstr (error->message, "Cancelled"));
  g_clear_error (&error);

  /* Requests that are wrong in themselves. */
  refused = create_refund (fixture, "999", 100, "RUB", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "paymentId"));
  g_clear_error (&error);
  refused = create_refund (fixture, unpaid_id, 100, "USD", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "amount.currency"));
  g_clear_error (&error);
}

/* refundPayment of a v2 payment: one book, one set of rules, for both
 * APIs (pd-sandbox-status tests refundPayment on its own). */
static void
test_classic_refund (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *payment_id = NULL;
  g_autofree char *url = new_invoice (fixture, "INV-40", &payment_id);
  g_autofree char *unpaid_id = NULL;
  g_autofree char *unpaid_url = new_invoice (fixture, "INV-41", &unpaid_id);
  g_autofree char *result = pay (fixture, url, "pay");
  g_autofree char *refund_id = NULL;
  g_autofree char *state = NULL;
  g_autoptr(PdApiRefund) v2_refund = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (classic_refund (fixture, payment_id, 5000, "shop-refund-1", &refund_id, &state,
                                 &error));
  g_assert_no_error (error);
  g_assert_nonnull (refund_id);
  g_assert_cmpstr (state, ==, "COMPLETE");

  /* One book for both APIs: 196.90 is left after the classic refund. */
  g_assert_false (classic_refund (fixture, payment_id, 20000, "shop-refund-2", NULL, NULL,
                                  &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Only 196.90 RUB"));
  g_clear_error (&error);
  v2_refund = create_refund (fixture, payment_id, AMOUNT - 5000, "RUB", NULL, &error);
  g_assert_no_error (error);
  check_refund (v2_refund, payment_id, AMOUNT - 5000);

  g_assert_false (classic_refund (fixture, unpaid_id, 100, "shop-refund-3", NULL, NULL, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Pending"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sandbox-v2/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("pay", test_pay);
  ADD ("callback-bom", test_callback_bom);
  ADD ("decline", test_decline);
  ADD ("callback-retries", test_callback_retries);
  ADD ("no-notifications", test_no_notifications);
  ADD ("bearer", test_bearer);
  ADD ("idempotency", test_idempotency);
  ADD ("validation", test_validation);
  ADD ("raw-requests", test_raw_requests);
  ADD ("page", test_page);
  ADD ("list-pages", test_list_pages);
  ADD ("refunds", test_refunds);
  ADD ("classic-refund", test_classic_refund);

#undef ADD

  return g_test_run ();
}
