/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-form.h"
#include "pd-paymaster.h"
#include "pd-paymaster-api.h"
#include "pd-test-integration.h"
#include "pd-test-utils.h"

/* The PayMaster API client: the pure parts (classic hash, exact amounts,
 * JSON in and out) and every request against a loopback SoupServer on
 * this thread that records what it got and answers as PayMaster would,
 * from a queue of canned replies. */

#define TOKEN       "v2-token-0123456789"
#define MERCHANT_ID "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define LOGIN       "TestLogin"
#define PASSWORD    "TestPassword"
#define BOM         "\xEF\xBB\xBF"
#define JSON_TYPE   "application/json"

#define NOT_AUTHORIZED_MESSAGE \
  "PayMaster refused the API token: create a new token in the PayMaster cabinet and enter " \
  "it in Paydesk."

/* A payment object as section 2 of the spec shows it. */
static char *
payment_json (const char *id,
              const char *status,
              const char *amount)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"created\": \"2021-09-01T08:20:00Z\", "
                          "\"testMode\": true, \"status\": \"%s\", \"resultCode\": \"Success\", "
                          "\"message\": \"Paid\", \"merchantId\": \"" MERCHANT_ID "\", "
                          "\"amount\": {\"value\": %s, \"currency\": \"RUB\"}, "
                          "\"invoice\": {\"description\": \"Чай улун × 2\", "
                          "\"orderNo\": \"INV-%s\", \"params\": {\"n\": 1.5e3}}, "
                          "\"paymentData\": {\"paymentMethod\": \"BankCard\", "
                          "\"paymentInstrumentTitle\": \"220220******1234\"}}",
                          id, status, amount, id);
}

/* Pure parts */

static void
test_classic_hash (void)
{
  const char *vector_params[] = { "1", NULL };
  const char *gap_params[] = { "", "x", "", NULL };
  g_autofree char *hash = pd_classic_api_hash ("TestLogin", "TestPassword", "74DF1SM",
                                               vector_params);
  g_autofree char *gap = pd_classic_api_hash ("l", "p", "n", gap_params);
  g_autofree char *gap_expected = pd_paymaster_digest_base64 (PD_HASH_SHA1, "l;p;n;;x;", 9);
  g_autofree char *none = pd_classic_api_hash ("l", "p", "n", NULL);
  g_autofree char *none_expected = pd_paymaster_digest_base64 (PD_HASH_SHA1, "l;p;n", 5);

  /* Section 1.6 of the spec. */
  g_assert_cmpstr (hash, ==, "iNmxPL1LmXL/y38JHe1Ss7n28lE=");
  /* Absent parameters keep their places as empty strings. */
  g_assert_cmpstr (gap, ==, gap_expected);
  g_assert_cmpstr (none, ==, none_expected);
}

static void
test_amount_parse (void)
{
  static const struct {
    const char *text;
    gint64      kopecks;
  } good[] = {
    /* Each of these loses a kopeck as (gint64) (value * 100) in double. */
    { "0.29", 29 },
    { "0.57", 57 },
    { "4.35", 435 },
    { "1.15", 115 },
    { "0.1", 10 },
    { "0.2", 20 },
    { "0.3", 30 },
    { "1234567.89", 123456789 },
    { "50", 5000 },
    { "50.0", 5000 },
    { "50.00", 5000 },
    { "50.000000", 5000 },
    { "0", 0 },
    { "0.00", 0 },
    { "1.5e3", 150000 },
    { "1E2", 10000 },
    { "123e-2", 123 },
    { "1e-2", 1 },
    { "0e999999", 0 },
    { "92233720368547758.07", G_GINT64_CONSTANT (9223372036854775807) },
    { "999999999999999.99", G_GINT64_CONSTANT (99999999999999999) },
  };
  static const char *bad[] = {
    "0.30000000000000004",  /* 0.1 + 0.2 in double, as some serializers write it */
    "12.345",
    "0.001",
    "1e-3",
    "-1",
    "-0.01",
    "",
    ".5",
    "5.",
    "1,50",
    "1.5e",
    "0x10",
    "50 ",
    "NaN",
    "Infinity",
    "1e999999",
    "92233720368547758.08",
    "100000000000000000000",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 kopecks = -1;

      if (!pd_api_amount_parse (good[i].text, &kopecks, &error))
        pd_test_fail_case ("“%s”: %s", good[i].text, error->message);
      else if (kopecks != good[i].kopecks)
        pd_test_fail_case ("“%s”: %" G_GINT64_FORMAT " kopecks, expected %" G_GINT64_FORMAT,
                           good[i].text, kopecks, good[i].kopecks);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 kopecks = -1;

      if (pd_api_amount_parse (bad[i], &kopecks, &error))
        pd_test_fail_case ("“%s” was read as %" G_GINT64_FORMAT " kopecks", bad[i], kopecks);
      else if (!g_error_matches (error, PD_API_ERROR, PD_API_ERROR_INVALID_RESPONSE))
        pd_test_fail_case ("“%s”: wrong error", bad[i]);
      else if (kopecks != -1)
        pd_test_fail_case ("“%s”: kopecks written on failure", bad[i]);
    }
}

static void
test_money_out (void)
{
  static const struct {
    gint64      kopecks;
    const char *text;
  } cases[] = {
    { 1, "0.01" },
    { 29, "0.29" },
    { 30, "0.3" },
    { 435, "4.35" },
    { 5000, "50" },
    { 123456789, "1234567.89" },
    { 99999999999999, "999999999999.99" },
    { G_GINT64_CONSTANT (999999999999999), "9999999999999.99" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;
      g_autofree char *expected = g_strdup_printf ("[%s]", cases[i].text);
      gint64 back = -1;

      json_builder_begin_array (builder);
      pd_json_builder_add_money (builder, cases[i].kopecks);
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = pd_json_to_string (root);
      if (g_strcmp0 (text, expected) != 0)
        pd_test_fail_case ("%" G_GINT64_FORMAT " kopecks written as %s, expected %s",
                           cases[i].kopecks, text, expected);
      /* And it reads back to the same kopecks. */
      if (!pd_api_amount_parse (cases[i].text, &back, NULL) || back != cases[i].kopecks)
        pd_test_fail_case ("%s read back wrong", cases[i].text);
    }
}

static void
test_json_out (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "s");
  json_builder_add_string_value (builder, "Чай \"улун\"\n\\");
  json_builder_set_member_name (builder, "i");
  json_builder_add_int_value (builder, -42);
  json_builder_set_member_name (builder, "b");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "n");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "a");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, 0.5);
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = pd_json_to_string (root);

  /* Members stay in the order they were added. */
  g_assert_cmpstr (text, ==,
                   "{\"s\":\"Чай \\\"улун\\\"\\u000a\\\\\",\"i\":-42,\"b\":false,\"n\":null,"
                   "\"a\":[0.5,{}]}");
}

static void
test_payment_from_json (void)
{
  g_autofree char *json = payment_json ("12769", "Settled", "1234567.89");
  g_autofree char *with_bom = g_strconcat (BOM, json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = pd_api_payment_from_json (with_bom, strlen (with_bom),
                                                              &error);
  g_autoptr(PdApiPayment) copy = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (payment);
  g_assert_cmpstr (payment->id, ==, "12769");
  g_assert_cmpstr (payment->created, ==, "2021-09-01T08:20:00Z");
  g_assert_true (payment->test_mode);
  g_assert_cmpint (payment->status, ==, PD_API_PAYMENT_SETTLED);
  g_assert_cmpstr (payment->status_text, ==, "Settled");
  g_assert_cmpstr (payment->message, ==, "Paid");
  g_assert_cmpstr (payment->merchant_id, ==, MERCHANT_ID);
  g_assert_cmpint (payment->amount, ==, 123456789);
  g_assert_cmpstr (payment->currency, ==, "RUB");
  g_assert_cmpstr (payment->order_no, ==, "INV-12769");
  g_assert_cmpstr (payment->description, ==, "Чай улун × 2");
  g_assert_cmpstr (payment->payment_method, ==, "BankCard");
  g_assert_cmpstr (payment->instrument_title, ==, "220220******1234");

  copy = pd_api_payment_copy (payment);
  g_assert_true (copy->id != payment->id);
  g_assert_cmpstr (copy->id, ==, payment->id);
  g_assert_cmpint (copy->amount, ==, payment->amount);
}

static void
test_payment_from_json_numbers (void)
{
  /* A numeric id, numbers inside strings left alone, and an amount sent
   * as a string. */
  static const char json[] =
    "{\"id\": 987654321012345678, \"status\": \"pending\", \"testMode\": false,"
    " \"message\": \"-1 \\\" 2.5\", \"amount\": {\"value\": \"0.29\", \"currency\": \"RUB\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = pd_api_payment_from_json (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (payment->id, ==, "987654321012345678");
  g_assert_cmpint (payment->status, ==, PD_API_PAYMENT_PENDING);
  g_assert_false (payment->test_mode);
  g_assert_cmpstr (payment->message, ==, "-1 \" 2.5");
  g_assert_cmpint (payment->amount, ==, 29);
  g_assert_null (payment->order_no);
  g_assert_null (payment->created);
}

static void
test_payment_from_json_bad (void)
{
  static const struct {
    const char *json;
    const char *message_part;
  } cases[] = {
    { "", "not a JSON object" },
    { BOM, "not a JSON object" },
    { "not json", "cannot read" },
    { "[1, 2]", "not a JSON object" },
    { "\"Settled\"", "not a JSON object" },
    { "{\"status\": \"Settled\", \"amount\": {\"value\": 1, \"currency\": \"RUB\"}}", "“id”" },
    { "{\"id\": \"1\", \"amount\": {\"value\": 1, \"currency\": \"RUB\"}}", "“status”" },
    { "{\"id\": \"1\", \"status\": \"Settled\"}", "“amount.value”" },
    { "{\"id\": \"1\", \"status\": \"Settled\", \"amount\": 5}", "“amount.value”" },
    { "{\"id\": \"1\", \"status\": \"Settled\", \"amount\": {\"value\": 1}}", "“amount.currency”" },
    { "{\"id\": \"1\", \"status\": \"Settled\", \"amount\": {\"value\": 0.30000000000000004, "
      "\"currency\": \"RUB\"}}", "whole number of kopecks" },
    { "{\"id\": \"1\", \"status\": \"Settled\", \"amount\": {\"value\": true, "
      "\"currency\": \"RUB\"}}", "“amount.value”" },
    { "{\"id\": \"1\xff\", \"status\": \"Settled\"}", "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdApiPayment) payment = pd_api_payment_from_json (cases[i].json,
                                                                  strlen (cases[i].json), &error);

      if (payment != NULL)
        pd_test_fail_case ("case %u was read", i);
      else if (!g_error_matches (error, PD_API_ERROR, PD_API_ERROR_INVALID_RESPONSE))
        pd_test_fail_case ("case %u: wrong error", i);
      else if (strstr (error->message, cases[i].message_part) == NULL)
        pd_test_fail_case ("case %u: “%s” does not mention %s", i, error->message,
                           cases[i].message_part);
    }
}

static void
test_status_names (void)
{
  g_assert_cmpint (pd_api_payment_status_from_string ("Settled"), ==, PD_API_PAYMENT_SETTLED);
  g_assert_cmpint (pd_api_payment_status_from_string ("Authorized"), ==,
                   PD_API_PAYMENT_AUTHORIZED);
  g_assert_cmpint (pd_api_payment_status_from_string ("Confirmation"), ==,
                   PD_API_PAYMENT_CONFIRMATION);
  g_assert_cmpint (pd_api_payment_status_from_string ("Refunded"), ==, PD_API_PAYMENT_UNKNOWN);
  g_assert_cmpint (pd_api_payment_status_from_string ("Unknown"), ==, PD_API_PAYMENT_UNKNOWN);
  g_assert_cmpint (pd_api_payment_status_from_string (NULL), ==, PD_API_PAYMENT_UNKNOWN);
  for (guint status = PD_API_PAYMENT_UNKNOWN; status <= PD_API_PAYMENT_CONFIRMATION; status++)
    g_assert_cmpint (pd_api_payment_status_from_string (pd_api_payment_status_to_string (status)),
                     ==, status);

  g_assert_cmpint (pd_classic_state_from_string ("COMPLETE"), ==, PD_CLASSIC_STATE_COMPLETE);
  g_assert_cmpint (pd_classic_state_from_string ("REFUNDED"), ==, PD_CLASSIC_STATE_UNKNOWN);
  g_assert_cmpstr (pd_classic_state_to_string (PD_CLASSIC_STATE_UNKNOWN), ==, "");
  for (guint state = PD_CLASSIC_STATE_INITIATED; state <= PD_CLASSIC_STATE_CANCELLED; state++)
    g_assert_cmpint (pd_classic_state_from_string (pd_classic_state_to_string (state)), ==, state);
}

static void
test_urls (void)
{
  g_autoptr(PdPaymasterApi) plain = pd_paymaster_api_new (NULL);
  g_autoptr(PdPaymasterApi) slashes = pd_paymaster_api_new ("http://127.0.0.1:8080/sandbox///");
  g_autoptr(PdPaymasterApi) classic = g_object_new (PD_TYPE_PAYMASTER_API,
                                                    "base-url", "https://paymaster.ru/",
                                                    "classic-url", "https://paymaster.ru/api/v1",
                                                    NULL);

  g_assert_cmpstr (pd_paymaster_api_get_base_url (plain), ==, "https://paymaster.ru");
  g_assert_cmpstr (pd_paymaster_api_get_classic_url (plain), ==,
                   "https://paymaster.ru/partners/rest/");
  g_assert_cmpstr (pd_paymaster_api_get_base_url (slashes), ==, "http://127.0.0.1:8080/sandbox");
  g_assert_cmpstr (pd_paymaster_api_get_classic_url (slashes), ==,
                   "http://127.0.0.1:8080/sandbox/partners/rest/");
  g_assert_cmpstr (pd_paymaster_api_get_base_url (classic), ==, "https://paymaster.ru");
  g_assert_cmpstr (pd_paymaster_api_get_classic_url (classic), ==,
                   "https://paymaster.ru/api/v1/");
  g_assert_cmpuint (pd_paymaster_api_get_max_pages (plain), ==, 100);
}

/* A PayMaster on loopback */

typedef struct
{
  char *method;
  char *path;
  char *query;
  char *authorization;
  char *idempotency_key;
  char *content_type;
  char *body;
} Request;

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->authorization);
  g_free (request->idempotency_key);
  g_free (request->content_type);
  g_free (request->body);
  g_free (request);
}

typedef struct
{
  guint  status;
  char  *content_type;
  char  *body;
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->content_type);
  g_free (reply->body);
  g_free (reply);
}

typedef struct
{
  SoupServer     *server;
  char           *url;
  PdPaymasterApi *api;
  GQueue          replies;
  GPtrArray      *requests;
} Fixture;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  Request *request = g_new0 (Request, 1);
  Reply *reply = g_queue_pop_head (&fixture->replies);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->idempotency_key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  request->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  if (body->length > 0)
    request->body = g_strndup (body->data, body->length);
  g_ptr_array_add (fixture->requests, request);

  if (reply == NULL)
    {
      g_test_message ("unexpected request %s %s", request->method, request->path);
      g_test_fail ();
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_IMPLEMENTED, NULL);
      return;
    }

  soup_server_message_set_status (msg, reply->status, NULL);
  if (reply->body != NULL)
    soup_server_message_set_response (msg, reply->content_type, SOUP_MEMORY_COPY,
                                      reply->body, strlen (reply->body));
  reply_free (reply);
}

static void
queue_reply (Fixture    *fixture,
             guint       status,
             const char *content_type,
             const char *body)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = g_strdup (body);
  g_queue_push_tail (&fixture->replies, reply);
}

static void
queue_json (Fixture    *fixture,
            const char *body)
{
  queue_reply (fixture, SOUP_STATUS_OK, JSON_TYPE, body);
}

static Request *
nth_request (Fixture *fixture,
             guint    index)
{
  g_assert_cmpuint (fixture->requests->len, >, index);
  return fixture->requests->pdata[index];
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_queue_init (&fixture->replies);
  fixture->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  fixture->server = soup_server_new ("server-header", "PayMaster-Loopback", NULL);
  soup_server_add_handler (fixture->server, NULL, server_cb, fixture, NULL);
  fixture->url = pd_test_server_listen (fixture->server);

  /* A trailing slash, as a merchant might type it. */
  {
    g_autofree char *base = g_strconcat (fixture->url, "/", NULL);

    fixture->api = pd_paymaster_api_new (base);
  }
  pd_paymaster_api_set_token (fixture->api, " " TOKEN "\n");
  pd_paymaster_api_set_classic_credentials (fixture->api, LOGIN, PASSWORD);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_assert_cmpuint (g_queue_get_length (&fixture->replies), ==, 0);
  pd_test_drain_main_context ();
  g_assert_finalize_object (fixture->api);
  /* Lets the server see the client's connections close. */
  pd_test_drain_main_context ();
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_queue_clear_full (&fixture->replies, (GDestroyNotify) reply_free);
  g_ptr_array_unref (fixture->requests);
  g_free (fixture->url);
}

static void
ready_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
result_is_set (gconstpointer data)
{
  return *(GAsyncResult * const *) data != NULL;
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  g_assert_true (pd_test_wait_for (result_is_set, slot, PD_TEST_WAIT_SECONDS));
  return *slot;
}

static void
assert_bearer (Request *request)
{
  g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
}

static JsonObject *
parse_body (JsonParser *parser,
            Request    *request)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_nonnull (request->body);
  g_assert_true (json_parser_load_from_data (parser, request->body, -1, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static const char *
path_string (JsonObject *object,
             const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    {
      g_assert_true (json_object_has_member (object, parts[i]));
      object = json_object_get_object_member (object, parts[i]);
    }
  g_assert_true (json_object_has_member (object, parts[n - 1]));
  return json_object_get_string_member (object, parts[n - 1]);
}

/* REST API v2 */

static void
add_members_cb (JsonBuilder *builder,
                gpointer     user_data)
{
  guint *n_calls = user_data;

  (*n_calls)++;
  json_builder_set_member_name (builder, "paymentMethod");
  json_builder_add_string_value (builder, "BankCard");
}

static JsonNode *
receipt_node (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, "buyer@example.com");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "Чай улун");
  json_builder_set_member_name (builder, "quantity");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "price");
  pd_json_builder_add_money (builder, 123456789);
  json_builder_set_member_name (builder, "vatType");
  json_builder_add_string_value (builder, "None");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
test_create_invoice (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(JsonNode) receipt = receipt_node ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payment_id = NULL;
  g_autofree char *url = NULL;
  guint n_hook_calls = 0;
  PdApiInvoiceRequest request = {
    .merchant_id = MERCHANT_ID,
    .test_mode = TRUE,
    .description = "Чай улун × 2",
    .order_no = "INV-42",
    .expires_at = 1893456000, /* 2030-01-01T00:00:00Z */
    .amount = 123456789,
    .currency = "643",
    .return_url = "https://shop.example/paymaster/success",
    .callback_url = "https://tunnel.example/paymaster/callback",
    .customer_email = "buyer@example.com",
    .receipt = receipt,
    .add_members = add_members_cb,
    .add_members_data = &n_hook_calls,
  };
  Request *sent;
  JsonObject *body;

  queue_json (fixture, "{\"paymentId\": \"12769\", "
                       "\"url\": \"https://paymaster.ru/cpay/4f2a9c\"}");
  pd_paymaster_api_create_invoice_async (fixture->api, &request, "key-1", NULL,
                                         ready_cb, &result);
  g_assert_cmpuint (n_hook_calls, ==, 1);
  g_assert_true (pd_paymaster_api_create_invoice_finish (fixture->api, wait_for_result (&result),
                                                         &payment_id, &url, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (payment_id, ==, "12769");
  g_assert_cmpstr (url, ==, "https://paymaster.ru/cpay/4f2a9c");

  sent = nth_request (fixture, 0);
  g_assert_cmpstr (sent->method, ==, "POST");
  g_assert_cmpstr (sent->path, ==, "/api/v2/invoices");
  assert_bearer (sent);
  g_assert_cmpstr (sent->idempotency_key, ==, "key-1");
  g_assert_cmpstr (sent->content_type, ==, JSON_TYPE);

  /* Money goes out as the exact decimal, not as 1234567.8899999999. */
  g_assert_nonnull (strstr (sent->body, "\"amount\":{\"value\":1234567.89,\"currency\":\"RUB\"}"));
  g_assert_nonnull (strstr (sent->body, "\"price\":1234567.89"));

  body = parse_body (parser, sent);
  g_assert_cmpstr (path_string (body, "merchantId"), ==, MERCHANT_ID);
  g_assert_true (json_object_get_boolean_member (body, "testMode"));
  g_assert_cmpstr (path_string (body, "invoice.description"), ==, "Чай улун × 2");
  g_assert_cmpstr (path_string (body, "invoice.orderNo"), ==, "INV-42");
  g_assert_cmpstr (path_string (body, "invoice.expires"), ==, "2030-01-01T00:00:00Z");
  g_assert_cmpstr (path_string (body, "amount.currency"), ==, "RUB");
  g_assert_cmpstr (path_string (body, "protocol.returnUrl"), ==,
                   "https://shop.example/paymaster/success");
  g_assert_cmpstr (path_string (body, "protocol.callbackUrl"), ==,
                   "https://tunnel.example/paymaster/callback");
  g_assert_cmpstr (path_string (body, "customer.email"), ==, "buyer@example.com");
  g_assert_false (json_object_has_member (json_object_get_object_member (body, "customer"),
                                          "phone"));
  g_assert_cmpstr (path_string (body, "receipt.client.email"), ==, "buyer@example.com");
  g_assert_cmpstr (path_string (body, "paymentMethod"), ==, "BankCard");
}

static void
test_create_invoice_minimal (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) retry = NULL;
  g_autoptr(GError) error = NULL;
  PdApiInvoiceRequest request = {
    .merchant_id = MERCHANT_ID,
    .description = "Tea",
    .order_no = "INV-43",
    .amount = 29,
    .currency = "RUB",
    .return_url = "https://shop.example/ok",
    .callback_url = "https://shop.example/cb",
    .customer_email = "",
  };
  JsonObject *body;
  JsonObject *invoice;

  /* The first answer has no url; the retry with the same key works. */
  queue_json (fixture, "{\"paymentId\": \"1\"}");
  queue_json (fixture, BOM "{\"paymentId\": 12770, \"url\": \"https://paymaster.ru/cpay/1\"}");

  pd_paymaster_api_create_invoice_async (fixture->api, &request, "key-2", NULL,
                                         ready_cb, &result);
  g_assert_false (pd_paymaster_api_create_invoice_finish (fixture->api, wait_for_result (&result),
                                                          NULL, NULL, &error));
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "“url”"));
  g_clear_error (&error);

  pd_paymaster_api_create_invoice_async (fixture->api, &request, "key-2", NULL,
                                         ready_cb, &retry);
  g_assert_true (pd_paymaster_api_create_invoice_finish (fixture->api, wait_for_result (&retry),
                                                         NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (nth_request (fixture, 0)->idempotency_key, ==,
                   nth_request (fixture, 1)->idempotency_key);

  body = parse_body (parser, nth_request (fixture, 1));
  g_assert_false (json_object_get_boolean_member (body, "testMode"));
  g_assert_nonnull (strstr (nth_request (fixture, 1)->body, "\"value\":0.29,"));
  g_assert_false (json_object_has_member (body, "customer"));
  g_assert_false (json_object_has_member (body, "receipt"));
  invoice = json_object_get_object_member (body, "invoice");
  g_assert_false (json_object_has_member (invoice, "expires"));
}

static void
test_get_payment (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *json = payment_json ("12769", "Settled", "1234567.89");
  g_autofree char *with_bom = g_strconcat (BOM, json, NULL);
  g_autofree char *rejected = payment_json ("a?b c", "Rejected", "0.1");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = NULL;
  g_autoptr(PdApiPayment) odd = NULL;
  Request *sent;

  queue_json (fixture, with_bom);
  pd_paymaster_api_get_payment_async (fixture->api, "12769", NULL, ready_cb, &result);
  payment = pd_paymaster_api_get_payment_finish (fixture->api, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payment->id, ==, "12769");
  g_assert_cmpint (payment->status, ==, PD_API_PAYMENT_SETTLED);
  g_assert_cmpint (payment->amount, ==, 123456789);
  g_assert_cmpstr (payment->order_no, ==, "INV-12769");

  sent = nth_request (fixture, 0);
  g_assert_cmpstr (sent->method, ==, "GET");
  g_assert_cmpstr (sent->path, ==, "/api/v2/payments/12769");
  assert_bearer (sent);
  g_assert_null (sent->idempotency_key);
  g_assert_null (sent->body);

  /* An id is one path segment, whatever it holds: an unescaped "?" would
   * start a query. (SoupServer hands the path over decoded.) */
  queue_json (fixture, rejected);
  pd_paymaster_api_get_payment_async (fixture->api, "a?b c", NULL, ready_cb, &other);
  odd = pd_paymaster_api_get_payment_finish (fixture->api, wait_for_result (&other), &error);
  g_assert_no_error (error);
  g_assert_cmpint (odd->status, ==, PD_API_PAYMENT_REJECTED);
  g_assert_cmpint (odd->amount, ==, 10);
  g_assert_cmpstr (nth_request (fixture, 1)->path, ==, "/api/v2/payments/a?b c");
  g_assert_null (nth_request (fixture, 1)->query);
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const struct {
    guint       status;
    const char *content_type;
    const char *body;
    PdApiError  code;
    const char *message_part;
  } cases[] = {
    { 401, JSON_TYPE, "{\"code\": \"not_authorized\", \"message\": \"Invalid token\"}",
      PD_API_ERROR_NOT_AUTHORIZED, NOT_AUTHORIZED_MESSAGE },
    { 400, JSON_TYPE,
      BOM "{\"code\": \"validation_error\", \"message\": \"The request is invalid.\", "
      "\"errors\": [{\"field\": \"amount.value\", \"message\": \"Must be positive\"}, "
      "\"orderNo is required\", {\"code\": 5}]}",
      PD_API_ERROR_VALIDATION,
      "PayMaster did not accept the request: The request is invalid; amount.value: Must be "
      "positive; orderNo is required. Correct these values and try again." },
    { 400, JSON_TYPE, "{\"code\": \"validation_error\"}",
      PD_API_ERROR_VALIDATION, "request: validation_error." },
    { 409, JSON_TYPE, "{\"code\": \"idempotency_key_violation\", \"message\": \"Key reused\"}",
      PD_API_ERROR_IDEMPOTENCY_KEY, "same idempotency key" },
    { 400, JSON_TYPE, "{\"code\": \"invalid_operation\", \"message\": \"Payment is not settled\"}",
      PD_API_ERROR_INVALID_OPERATION, "refused the operation: Payment is not settled." },
    { 400, JSON_TYPE, "{\"code\": \"rate_limited\", \"message\": \"Slow down\"}",
      PD_API_ERROR_FAILED, "(rate_limited): Slow down." },
    { 500, "text/html", "<html><body>Internal Server Error</body></html>",
      PD_API_ERROR_SERVER, "HTTP 500" },
    { 503, NULL, NULL, PD_API_ERROR_SERVER, "try again later" },
    { 401, NULL, NULL, PD_API_ERROR_NOT_AUTHORIZED, NOT_AUTHORIZED_MESSAGE },
    { 403, "text/plain", "Forbidden", PD_API_ERROR_NOT_AUTHORIZED, NOT_AUTHORIZED_MESSAGE },
    { 404, NULL, NULL, PD_API_ERROR_NOT_FOUND, "/api/v2/payments/1" },
    { 418, "text/plain", "teapot", PD_API_ERROR_HTTP, "HTTP 418" },
    { 200, JSON_TYPE, "<html>", PD_API_ERROR_INVALID_RESPONSE, "cannot read" },
    { 200, JSON_TYPE, "", PD_API_ERROR_INVALID_RESPONSE, "not a JSON object" },
    { 200, JSON_TYPE, "[]", PD_API_ERROR_INVALID_RESPONSE, "not a JSON object" },
    { 200, JSON_TYPE, "{\"id\": \"1\"}", PD_API_ERROR_INVALID_RESPONSE, "“status”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PdApiPayment) payment = NULL;

      queue_reply (fixture, cases[i].status, cases[i].content_type, cases[i].body);
      pd_paymaster_api_get_payment_async (fixture->api, "1", NULL, ready_cb, &result);
      payment = pd_paymaster_api_get_payment_finish (fixture->api, wait_for_result (&result),
                                                     &error);
      if (payment != NULL)
        pd_test_fail_case ("case %u (HTTP %u) gave a payment", i, cases[i].status);
      else if (!g_error_matches (error, PD_API_ERROR, cases[i].code))
        pd_test_fail_case ("case %u (HTTP %u): error %s %d: %s", i, cases[i].status,
                           g_quark_to_string (error->domain), error->code, error->message);
      else if (strstr (error->message, cases[i].message_part) == NULL)
        pd_test_fail_case ("case %u (HTTP %u): “%s” does not say “%s”", i, cases[i].status,
                           error->message, cases[i].message_part);
    }
}

static void
test_no_token (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = NULL;

  pd_paymaster_api_set_token (fixture->api, " \n");
  pd_paymaster_api_get_payment_async (fixture->api, "1", NULL, ready_cb, &result);
  payment = pd_paymaster_api_get_payment_finish (fixture->api, wait_for_result (&result), &error);
  g_assert_null (payment);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NO_CREDENTIALS);
  g_assert_cmpuint (fixture->requests->len, ==, 0);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(SoupServer) gone = soup_server_new (NULL, NULL);
  g_autofree char *gone_url = pd_test_server_listen (gone);
  g_autoptr(PdPaymasterApi) api = NULL;
  g_autoptr(PdPaymasterApi) nonsense = pd_paymaster_api_new ("no address at all");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) nonsense_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = NULL;

  /* Nobody listens there any more: the connection is refused. */
  soup_server_disconnect (gone);
  api = pd_paymaster_api_new (gone_url);
  pd_paymaster_api_set_token (api, TOKEN);
  pd_paymaster_api_get_payment_async (api, "1", NULL, ready_cb, &result);
  payment = pd_paymaster_api_get_payment_finish (api, wait_for_result (&result), &error);
  g_assert_null (payment);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, "PayMaster could not be reached: "));
  g_clear_error (&error);

  pd_paymaster_api_set_token (nonsense, TOKEN);
  pd_paymaster_api_get_payment_async (nonsense, "1", NULL, ready_cb, &nonsense_result);
  payment = pd_paymaster_api_get_payment_finish (nonsense, wait_for_result (&nonsense_result),
                                                 &error);
  g_assert_null (payment);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_URL);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = NULL;

  g_cancellable_cancel (cancellable);
  pd_paymaster_api_get_payment_async (fixture->api, "1", cancellable, ready_cb, &result);
  payment = pd_paymaster_api_get_payment_finish (fixture->api, wait_for_result (&result), &error);
  g_assert_null (payment);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static GDateTime *
utc (int year,
     int month,
     int day)
{
  return g_date_time_new_utc (year, month, day, 0, 0, 0);
}

static void
test_list_payments (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GDateTime) start = utc (2024, 1, 1);
  /* Given in Moscow time; it goes out in UTC. */
  g_autoptr(GTimeZone) moscow = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) end = g_date_time_new (moscow, 2024, 2, 1, 3, 0, 0);
  g_autofree char *p1 = payment_json ("1", "Settled", "0.29");
  g_autofree char *p2 = payment_json ("2", "Pending", "4.35");
  g_autofree char *p3 = payment_json ("3", "Cancelled", "1234567.89");
  g_autofree char *page1 = g_strdup_printf ("{\"items\": [%s, %s], \"cursor\": \"c+/=1\"}", p1, p2);
  g_autofree char *page2 = g_strdup_printf ("{\"items\": [%s], \"cursor\": null}", p3);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(PdForm) query1 = NULL;
  g_autoptr(PdForm) query2 = NULL;
  static const gint64 amounts[] = { 29, 435, 123456789 };

  queue_json (fixture, page1);
  queue_json (fixture, page2);
  pd_paymaster_api_list_payments_async (fixture->api, MERCHANT_ID, start, end, NULL,
                                        ready_cb, &result);
  payments = pd_paymaster_api_list_payments_finish (fixture->api, wait_for_result (&result),
                                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 3);
  for (guint i = 0; i < payments->len; i++)
    {
      PdApiPayment *payment = payments->pdata[i];
      g_autofree char *id = g_strdup_printf ("%u", i + 1);

      g_assert_cmpstr (payment->id, ==, id);
      g_assert_cmpint (payment->amount, ==, amounts[i]);
    }

  g_assert_cmpuint (fixture->requests->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      Request *sent = nth_request (fixture, i);

      g_assert_cmpstr (sent->method, ==, "GET");
      g_assert_cmpstr (sent->path, ==, "/api/v2/payments");
      assert_bearer (sent);
    }
  query1 = pd_form_parse (nth_request (fixture, 0)->query, strlen (nth_request (fixture, 0)->query),
                          NULL);
  query2 = pd_form_parse (nth_request (fixture, 1)->query, strlen (nth_request (fixture, 1)->query),
                          NULL);
  g_assert_cmpstr (pd_form_get (query1, "merchantId"), ==, MERCHANT_ID);
  g_assert_cmpstr (pd_form_get (query1, "start"), ==, "2024-01-01T00:00:00Z");
  g_assert_cmpstr (pd_form_get (query1, "end"), ==, "2024-02-01T00:00:00Z");
  g_assert_null (pd_form_get (query1, "cursor"));
  g_assert_cmpstr (pd_form_get (query2, "merchantId"), ==, MERCHANT_ID);
  g_assert_cmpstr (pd_form_get (query2, "start"), ==, "2024-01-01T00:00:00Z");
  g_assert_cmpstr (pd_form_get (query2, "cursor"), ==, "c+/=1");
}

static void
test_list_payments_limits (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GDateTime) start = utc (2024, 1, 1);
  g_autoptr(GDateTime) end = utc (2024, 2, 1);
  g_autofree char *p1 = payment_json ("1", "Settled", "1");
  g_autofree char *bad = payment_json ("2", "Settled", "1.001");
  g_autofree char *page_a = g_strdup_printf ("{\"items\": [%s], \"cursor\": \"a\"}", p1);
  g_autofree char *page_b = g_strdup_printf ("{\"items\": [%s], \"cursor\": \"b\"}", p1);
  g_autofree char *page_bad = g_strdup_printf ("{\"items\": [%s, %s]}", p1, bad);
  g_autoptr(GAsyncResult) too_long = NULL;
  g_autoptr(GAsyncResult) circle = NULL;
  g_autoptr(GAsyncResult) broken = NULL;
  g_autoptr(GAsyncResult) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;

  /* More pages than allowed: an error, not half a listing. */
  pd_paymaster_api_set_max_pages (fixture->api, 2);
  queue_json (fixture, page_a);
  queue_json (fixture, page_b);
  pd_paymaster_api_list_payments_async (fixture->api, MERCHANT_ID, start, end, NULL,
                                        ready_cb, &too_long);
  payments = pd_paymaster_api_list_payments_finish (fixture->api, wait_for_result (&too_long),
                                                    &error);
  g_assert_null (payments);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_TOO_MANY_PAGES);
  g_assert_cmpuint (fixture->requests->len, ==, 2);
  g_clear_error (&error);

  /* A cursor that comes back is a loop. */
  pd_paymaster_api_set_max_pages (fixture->api, 100);
  queue_json (fixture, page_a);
  queue_json (fixture, page_a);
  pd_paymaster_api_list_payments_async (fixture->api, MERCHANT_ID, start, end, NULL,
                                        ready_cb, &circle);
  payments = pd_paymaster_api_list_payments_finish (fixture->api, wait_for_result (&circle),
                                                    &error);
  g_assert_null (payments);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* One unreadable payment fails the listing. */
  queue_json (fixture, page_bad);
  pd_paymaster_api_list_payments_async (fixture->api, MERCHANT_ID, start, end, NULL,
                                        ready_cb, &broken);
  payments = pd_paymaster_api_list_payments_finish (fixture->api, wait_for_result (&broken),
                                                    &error);
  g_assert_null (payments);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "1.001"));
  g_clear_error (&error);

  /* An empty page ends the listing even with a cursor. */
  queue_json (fixture, "{\"items\": [], \"cursor\": \"z\"}");
  pd_paymaster_api_list_payments_async (fixture->api, MERCHANT_ID, start, end, NULL,
                                        ready_cb, &empty);
  payments = pd_paymaster_api_list_payments_finish (fixture->api, wait_for_result (&empty),
                                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 0);
}

static void
test_refunds (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiRefund) refund = NULL;
  g_autoptr(PdApiRefund) again = NULL;
  Request *sent;
  JsonObject *body;

  queue_json (fixture, "{\"id\": \"r-77\", \"paymentId\": \"12769\", \"status\": \"Pending\", "
                       "\"created\": \"2024-01-02T10:00:00Z\", "
                       "\"amount\": {\"value\": 50.5, \"currency\": \"RUB\"}}");
  pd_paymaster_api_create_refund_async (fixture->api, "12769", 5050, "RUB", "refund-key", NULL,
                                        ready_cb, &created);
  refund = pd_paymaster_api_create_refund_finish (fixture->api, wait_for_result (&created),
                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpstr (refund->id, ==, "r-77");
  g_assert_cmpstr (refund->payment_id, ==, "12769");
  g_assert_cmpstr (refund->status, ==, "Pending");
  g_assert_cmpint (refund->amount, ==, 5050);
  g_assert_cmpstr (refund->currency, ==, "RUB");

  sent = nth_request (fixture, 0);
  g_assert_cmpstr (sent->method, ==, "POST");
  g_assert_cmpstr (sent->path, ==, "/api/v2/refunds");
  assert_bearer (sent);
  g_assert_cmpstr (sent->idempotency_key, ==, "refund-key");
  g_assert_cmpstr (sent->body, ==,
                   "{\"paymentId\":\"12769\",\"amount\":{\"value\":50.5,\"currency\":\"RUB\"}}");
  body = parse_body (parser, sent);
  g_assert_cmpstr (path_string (body, "paymentId"), ==, "12769");

  queue_json (fixture, "{\"id\": \"r-77\", \"status\": \"Success\"}");
  pd_paymaster_api_get_refund_async (fixture->api, "r-77", NULL, ready_cb, &read);
  again = pd_paymaster_api_get_refund_finish (fixture->api, wait_for_result (&read), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->status, ==, "Success");
  g_assert_cmpint (again->amount, ==, 0);
  sent = nth_request (fixture, 1);
  g_assert_cmpstr (sent->method, ==, "GET");
  g_assert_cmpstr (sent->path, ==, "/api/v2/refunds/r-77");
  assert_bearer (sent);
}

static void
test_refund_refused (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiRefund) refund = NULL;

  queue_reply (fixture, 400, JSON_TYPE,
               "{\"code\": \"invalid_operation\", \"message\": \"Refund amount exceeds payment\"}");
  pd_paymaster_api_create_refund_async (fixture->api, "12769", 999999, "RUB", "k", NULL,
                                        ready_cb, &result);
  refund = pd_paymaster_api_create_refund_finish (fixture->api, wait_for_result (&result), &error);
  g_assert_null (refund);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_OPERATION);
  g_assert_nonnull (strstr (error->message, "Refund amount exceeds payment"));
}

/* Classic status and refund API */

#define CLASSIC_PAYMENT \
  "{\"PaymentID\": 43184405, \"SiteInvoiceID\": \"INV-42\", \"SiteID\": 123," \
  " \"CurrencyCode\": \"RUB\", \"Amount\": 1234567.89, \"PaymentAmount\": 0.29," \
  " \"State\": \"COMPLETE\", \"IsTestPayment\": true," \
  " \"LastUpdateTime\": \"2016-01-26T10:53:35\", \"PaymentSystemID\": 3," \
  " \"Purpose\": \"Чай\", \"UserIdentifier\": \"220220******1234\"}"

/* Checks that @request carries login, a fresh nonce and the right hash
 * over @values (NULL for absent) and returns its nonce. */
static char *
check_classic_request (Request            *request,
                       const char         *method,
                       const char * const *names,
                       const char * const *values,
                       guint               n_params)
{
  g_autoptr(PdForm) query = NULL;
  g_autofree char *expected_path = g_strconcat ("/partners/rest/", method, NULL);
  g_autofree const char **hashed = g_new0 (const char *, n_params + 1);
  g_autofree char *hash = NULL;
  const char *nonce;

  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, expected_path);
  g_assert_null (request->authorization);
  g_assert_nonnull (request->query);
  query = pd_form_parse (request->query, strlen (request->query), NULL);
  g_assert_nonnull (query);
  g_assert_cmpstr (pd_form_get (query, "login"), ==, LOGIN);
  g_assert_null (pd_form_get (query, "password"));
  g_assert_null (strstr (request->query, PASSWORD));

  nonce = pd_form_get (query, "nonce");
  g_assert_nonnull (nonce);
  g_assert_cmpuint (strlen (nonce), >, 0);
  g_assert_cmpuint (strlen (nonce), <=, 255);
  g_assert_null (strchr (nonce, ';'));

  for (guint i = 0; i < n_params; i++)
    {
      hashed[i] = values[i] ? values[i] : "";
      g_assert_cmpstr (pd_form_get (query, names[i]), ==, values[i]);
    }
  hash = pd_classic_api_hash (LOGIN, PASSWORD, nonce, hashed);
  g_assert_cmpstr (pd_form_get (query, "hash"), ==, hash);
  return g_strdup (nonce);
}

static PdClassicPayment *
classic_get (Fixture  *fixture,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_paymaster_api_get_payment_by_invoice_async (fixture->api, "INV-42", MERCHANT_ID, NULL,
                                                 ready_cb, &result);
  return pd_paymaster_api_get_payment_by_invoice_finish (fixture->api, wait_for_result (&result),
                                                         error);
}

static void
test_classic_get_payment (Fixture       *fixture,
                          gconstpointer  user_data)
{
  static const char *names[] = { "invoiceID", "siteAlias" };
  static const char *values[] = { "INV-42", MERCHANT_ID };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdClassicPayment) payment = NULL;
  g_autoptr(PdClassicPayment) nested = NULL;
  g_autofree char *nonce1 = NULL;
  g_autofree char *nonce2 = NULL;

  queue_json (fixture, BOM "{\"ErrorCode\": 0, \"Message\": \"\", \"Response\": "
                       CLASSIC_PAYMENT "}");
  payment = classic_get (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payment->payment_id, ==, "43184405");
  g_assert_cmpstr (payment->site_invoice_id, ==, "INV-42");
  g_assert_cmpstr (payment->site_id, ==, "123");
  g_assert_cmpstr (payment->currency_code, ==, "RUB");
  g_assert_cmpint (payment->amount, ==, 123456789);
  g_assert_cmpint (payment->payment_amount, ==, 29);
  g_assert_cmpint (payment->state, ==, PD_CLASSIC_STATE_COMPLETE);
  g_assert_cmpstr (payment->state_text, ==, "COMPLETE");
  g_assert_true (payment->is_test_payment);
  g_assert_cmpstr (payment->last_update_time, ==, "2016-01-26T10:53:35");
  g_assert_cmpstr (payment->payment_system_id, ==, "3");
  g_assert_cmpstr (payment->purpose, ==, "Чай");
  g_assert_cmpstr (payment->user_identifier, ==, "220220******1234");
  nonce1 = check_classic_request (nth_request (fixture, 0), "getPaymentByInvoiceID",
                                  names, values, G_N_ELEMENTS (names));

  /* The payment may also sit under "Payment"; every call has a new nonce. */
  queue_json (fixture, "{\"ErrorCode\": 0, \"Response\": {\"Payment\": " CLASSIC_PAYMENT "}}");
  nested = classic_get (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (nested->payment_id, ==, "43184405");
  nonce2 = check_classic_request (nth_request (fixture, 1), "getPaymentByInvoiceID",
                                  names, values, G_N_ELEMENTS (names));
  g_assert_cmpstr (nonce1, !=, nonce2);
}

static void
test_classic_errors (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const struct {
    guint       status;
    const char *body;
    PdApiError  code;
    const char *message_part;
  } cases[] = {
    { 200, "{\"ErrorCode\": -7, \"Message\": \"Bad hash\"}", PD_API_ERROR_BAD_HASH,
      "PayMaster refused the API user's password" },
    { 200, "{\"ErrorCode\": -13}", PD_API_ERROR_NOT_FOUND, "no such payment" },
    { 200, "{\"ErrorCode\": -14}", PD_API_ERROR_NONCE_REUSED, "try again" },
    { 200, "{\"ErrorCode\": -99, \"Message\": \"Access denied\"}", PD_API_ERROR_FAILED,
      "(error -99): Access denied" },
    { 200, "{\"ErrorCode\": -5}", PD_API_ERROR_FAILED, "(error -5)." },
    { 200, "{\"Response\": {}}", PD_API_ERROR_INVALID_RESPONSE, "ErrorCode" },
    { 200, "{\"ErrorCode\": \"x\"}", PD_API_ERROR_INVALID_RESPONSE, "ErrorCode" },
    { 200, "{\"ErrorCode\": 0}", PD_API_ERROR_INVALID_RESPONSE, "“Response”" },
    { 200, "{\"ErrorCode\": 0, \"Response\": {\"PaymentID\": 1, \"Amount\": 1.005}}",
      PD_API_ERROR_INVALID_RESPONSE, "kopecks" },
    { 500, "oops", PD_API_ERROR_SERVER, "HTTP 500" },
    { 403, "", PD_API_ERROR_NOT_AUTHORIZED, "API user's password" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdClassicPayment) payment = NULL;

      queue_reply (fixture, cases[i].status, JSON_TYPE, cases[i].body);
      payment = classic_get (fixture, &error);
      if (payment != NULL)
        pd_test_fail_case ("case %u gave a payment", i);
      else if (!g_error_matches (error, PD_API_ERROR, cases[i].code))
        pd_test_fail_case ("case %u: error %s %d: %s", i, g_quark_to_string (error->domain),
                           error->code, error->message);
      else if (strstr (error->message, cases[i].message_part) == NULL)
        pd_test_fail_case ("case %u: “%s” does not say “%s”", i, error->message,
                           cases[i].message_part);
    }
}

static void
test_classic_list (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char *names[] = {
    "accountID", "siteAlias", "periodFrom", "periodTo", "invoiceID", "state",
  };
  static const char *values[] = {
    NULL, MERCHANT_ID, "2024-01-01T00:00:00", NULL, NULL, "COMPLETE",
  };
  g_autoptr(GDateTime) from = utc (2024, 1, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) bare = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) array = NULL;
  g_autofree char *nonce = NULL;

  queue_json (fixture, "{\"ErrorCode\": 0, \"Response\": {\"Payments\": ["
                       CLASSIC_PAYMENT ", " CLASSIC_PAYMENT "]}}");
  pd_paymaster_api_list_payments_filter_async (fixture->api, NULL, MERCHANT_ID, from, NULL, NULL,
                                               PD_CLASSIC_STATE_COMPLETE, NULL,
                                               ready_cb, &result);
  payments = pd_paymaster_api_list_payments_filter_finish (fixture->api,
                                                           wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 2);
  g_assert_cmpint (((PdClassicPayment *) payments->pdata[1])->amount, ==, 123456789);
  nonce = check_classic_request (nth_request (fixture, 0), "listPaymentsFilter",
                                 names, values, G_N_ELEMENTS (names));

  /* "Response" may be the list itself. */
  queue_json (fixture, "{\"ErrorCode\": 0, \"Response\": []}");
  pd_paymaster_api_list_payments_filter_async (fixture->api, "acc", MERCHANT_ID, NULL, NULL,
                                               "INV-1", PD_CLASSIC_STATE_UNKNOWN, NULL,
                                               ready_cb, &bare);
  array = pd_paymaster_api_list_payments_filter_finish (fixture->api, wait_for_result (&bare),
                                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (array->len, ==, 0);
}

static void
test_classic_refund (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const char *names[] = { "paymentID", "amount", "externalID" };
  static const char *values[] = { "43184405", "50.00", "refund-1" };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *refund_id = NULL;
  g_autofree char *state = NULL;
  g_autofree char *nonce = NULL;

  queue_json (fixture, "{\"ErrorCode\": 0, \"Response\": {\"RefundID\": 991, "
                       "\"State\": \"PENDING\"}}");
  pd_paymaster_api_refund_payment_async (fixture->api, "43184405", 5000, "refund-1", NULL,
                                         ready_cb, &result);
  g_assert_true (pd_paymaster_api_refund_payment_finish (fixture->api, wait_for_result (&result),
                                                         &refund_id, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (refund_id, ==, "991");
  g_assert_cmpstr (state, ==, "PENDING");
  nonce = check_classic_request (nth_request (fixture, 0), "refundPayment",
                                 names, values, G_N_ELEMENTS (names));
}

static void
test_classic_no_credentials (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdClassicPayment) payment = NULL;

  pd_paymaster_api_set_classic_credentials (fixture->api, NULL, NULL);
  payment = classic_get (fixture, &error);
  g_assert_null (payment);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_NO_CREDENTIALS);
  g_assert_cmpuint (fixture->requests->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/paymaster-api/classic-hash", test_classic_hash);
  g_test_add_func ("/paymaster-api/amount-parse", test_amount_parse);
  g_test_add_func ("/paymaster-api/money-out", test_money_out);
  g_test_add_func ("/paymaster-api/json-out", test_json_out);
  g_test_add_func ("/paymaster-api/payment-from-json", test_payment_from_json);
  g_test_add_func ("/paymaster-api/payment-from-json/numbers", test_payment_from_json_numbers);
  g_test_add_func ("/paymaster-api/payment-from-json/bad", test_payment_from_json_bad);
  g_test_add_func ("/paymaster-api/status-names", test_status_names);
  g_test_add_func ("/paymaster-api/urls", test_urls);

#define ADD(path, func) \
  g_test_add ("/paymaster-api/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("v2/create-invoice", test_create_invoice);
  ADD ("v2/create-invoice/minimal", test_create_invoice_minimal);
  ADD ("v2/get-payment", test_get_payment);
  ADD ("v2/errors", test_errors);
  ADD ("v2/no-token", test_no_token);
  ADD ("v2/unreachable", test_unreachable);
  ADD ("v2/cancelled", test_cancelled);
  ADD ("v2/list-payments", test_list_payments);
  ADD ("v2/list-payments/limits", test_list_payments_limits);
  ADD ("v2/refunds", test_refunds);
  ADD ("v2/refund-refused", test_refund_refused);
  ADD ("classic/get-payment", test_classic_get_payment);
  ADD ("classic/errors", test_classic_errors);
  ADD ("classic/list", test_classic_list);
  ADD ("classic/refund", test_classic_refund);
  ADD ("classic/no-credentials", test_classic_no_credentials);

#undef ADD

  return g_test_run ();
}
