/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include <string.h>
#include <openssl/crypto.h>

#include "pd-json.h"
#include "pd-money.h"
#include "pd-sandbox-private.h"

/* PayMaster's REST API v2 (spec section 2) over the sandbox's book, under
 * <prefix>/api/v2: invoices, payments (one, or a period's in pages with a
 * cursor) and refunds. Every call needs "Authorization: Bearer <token>".
 * A POST with an Idempotency-Key that was answered before gets the same
 * answer again if its body is the same, and idempotency_key_violation if
 * not. Refusals are JSON: {"code", "message", "errors": [{"field",
 * "message"}]}. A payment or refund that does not exist is a plain 404. */

#define V2_PATH     "/api/v2"
#define DATE_FORMAT "%Y-%m-%dT%H:%M:%SZ"

/* An answer, kept for its Idempotency-Key. */
typedef struct
{
  char   *path;
  GBytes *request_body;
  guint   status;
  char   *body;
} Answer;

void
_pd_sandbox_v2_answer_free (gpointer data)
{
  Answer *answer = data;

  if (answer == NULL)
    return;
  g_free (answer->path);
  g_clear_pointer (&answer->request_body, g_bytes_unref);
  g_free (answer->body);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, _pd_sandbox_v2_answer_free)

static Answer *
answer_new (guint        status,
            JsonBuilder *builder)
{
  Answer *answer = g_new0 (Answer, 1);
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  answer->status = status;
  answer->body = pd_json_to_string (root);
  return answer;
}

static Answer *
answer_copy (const Answer *answer)
{
  Answer *copy = g_new0 (Answer, 1);

  copy->path = g_strdup (answer->path);
  copy->request_body = answer->request_body ? g_bytes_ref (answer->request_body) : NULL;
  copy->status = answer->status;
  copy->body = g_strdup (answer->body);
  return copy;
}

static Answer *
answer_error (guint       status,
              const char *code,
              const char *message,
              GPtrArray  *problems)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (problems != NULL && problems->len > 0)
    {
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (guint i = 0; i < problems->len; i++)
        {
          const PdSandboxProblem *problem = g_ptr_array_index (problems, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "field");
          json_builder_add_string_value (builder, problem->field);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, problem->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return answer_new (status, builder);
}

static Answer *
answer_invalid (GPtrArray *problems)
{
  return answer_error (SOUP_STATUS_BAD_REQUEST, "validation_error", "The request is not valid",
                       problems);
}

static Answer *
answer_not_found (const char *what)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *message = g_strdup_printf ("There is no such %s", what);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  return answer_new (SOUP_STATUS_NOT_FOUND, builder);
}

static void
send_answer (SoupServerMessage *msg,
             const Answer      *answer)
{
  soup_server_message_set_status (msg, answer->status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    answer->body, strlen (answer->body));
}

static void
add_amount (JsonBuilder *builder,
            gint64       kopecks,
            const char  *currency)
{
  json_builder_set_member_name (builder, "amount");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  pd_json_builder_add_money (builder, kopecks);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, currency);
  json_builder_end_object (builder);
}

/* The JSON of a payment, as GET /api/v2/payments/{id} and the callbacks
 * carry it. */
void
_pd_sandbox_v2_add_payment (JsonBuilder            *builder,
                            const PdSandboxPayment *payment)
{
  static const struct {
    const char *result_code;
    const char *message;
  } results[] = {
    [PD_API_PAYMENT_UNKNOWN] = { "Unknown", "" },
    [PD_API_PAYMENT_PENDING] = { "Pending", "Waiting for the customer to pay" },
    [PD_API_PAYMENT_AUTHORIZED] = { "Authorized", "The money is held" },
    [PD_API_PAYMENT_SETTLED] = { "Success", "The payment went through" },
    [PD_API_PAYMENT_CANCELLED] = { "Cancelled", "The customer cancelled the payment" },
    [PD_API_PAYMENT_REJECTED] = { "Rejected", "The payment was rejected" },
    [PD_API_PAYMENT_CONFIRMATION] = { "Confirmation", "Waiting for the customer to confirm" },
  };
  g_autofree char *created = g_date_time_format (payment->created, DATE_FORMAT);

  g_return_if_fail (payment->status < G_N_ELEMENTS (results));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, payment->id);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "testMode");
  json_builder_add_boolean_value (builder, payment->test_mode);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, pd_api_payment_status_to_string (payment->status));
  json_builder_set_member_name (builder, "resultCode");
  json_builder_add_string_value (builder, results[payment->status].result_code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, results[payment->status].message);
  json_builder_set_member_name (builder, "merchantId");
  json_builder_add_string_value (builder, payment->merchant_id);

  add_amount (builder, payment->amount, payment->currency);

  json_builder_set_member_name (builder, "invoice");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, payment->description);
  json_builder_set_member_name (builder, "orderNo");
  json_builder_add_string_value (builder, payment->order_no);
  if (payment->params != NULL)
    {
      json_builder_set_member_name (builder, "params");
      json_builder_add_value (builder, json_node_copy (payment->params));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "paymentData");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "paymentMethod");
  json_builder_add_string_value (builder, payment->payment_method);
  if (payment->status == PD_API_PAYMENT_SETTLED)
    {
      json_builder_set_member_name (builder, "paymentInstrumentTitle");
      json_builder_add_string_value (builder, "411111******1111");
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

static Answer *
answer_payment (const PdSandboxPayment *payment)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  _pd_sandbox_v2_add_payment (builder, payment);
  return answer_new (SOUP_STATUS_OK, builder);
}

static Answer *
answer_refund (const PdSandboxRefund *refund)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = g_date_time_format (refund->created, DATE_FORMAT);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, refund->id);
  json_builder_set_member_name (builder, "paymentId");
  json_builder_add_string_value (builder, refund->payment_id);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "Success");
  add_amount (builder, refund->amount, refund->currency);
  json_builder_end_object (builder);
  return answer_new (SOUP_STATUS_OK, builder);
}

/* Payments */

static gboolean
read_date (GHashTable  *query,
           const char  *name,
           GDateTime  **date,
           GPtrArray   *problems)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;

  *date = text ? g_date_time_new_from_iso8601 (text, utc) : NULL;
  if (*date == NULL)
    _pd_sandbox_problem_add (problems, name, "must be an ISO 8601 date such as "
                             "2021-09-01T08:20:00Z");
  return *date != NULL;
}

/* The merchant's payments created in [start, end), oldest first, a page
 * at a time; "cursor" is the id of the last payment of the page before. */
static Answer *
list_payments (PdSandbox  *sandbox,
               GHashTable *query)
{
  GPtrArray *payments = _pd_sandbox_book_get_payments (sandbox->book);
  g_autoptr(GPtrArray) problems = _pd_sandbox_problems_new ();
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  const char *merchant_id = query ? g_hash_table_lookup (query, "merchantId") : NULL;
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
  const PdSandboxPayment *last = NULL;
  gboolean more = FALSE;
  guint first = 0;
  guint n = 0;

  if (merchant_id == NULL || *merchant_id == '\0')
    _pd_sandbox_problem_add (problems, "merchantId", "is required");
  read_date (query, "start", &start, problems);
  read_date (query, "end", &end, problems);
  if (cursor != NULL)
    {
      PdSandboxPayment *after = _pd_sandbox_book_find_payment (sandbox->book, cursor);
      guint index = 0;

      if (after != NULL && g_ptr_array_find (payments, after, &index))
        first = index + 1;
      else
        _pd_sandbox_problem_add (problems, "cursor", "is not a cursor this API gave");
    }
  if (problems->len > 0)
    return answer_invalid (problems);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = first; i < payments->len && !more; i++)
    {
      const PdSandboxPayment *payment = g_ptr_array_index (payments, i);

      if (g_strcmp0 (payment->merchant_id, merchant_id) != 0 ||
          g_date_time_compare (payment->created, start) < 0 ||
          g_date_time_compare (payment->created, end) >= 0)
        continue;
      if (n == sandbox->page_size)
        {
          more = TRUE;
          continue;
        }
      _pd_sandbox_v2_add_payment (builder, payment);
      last = payment;
      n++;
    }
  json_builder_end_array (builder);
  if (more)
    {
      json_builder_set_member_name (builder, "cursor");
      json_builder_add_string_value (builder, last->id);
    }
  json_builder_end_object (builder);
  return answer_new (SOUP_STATUS_OK, builder);
}

/* Refunds */

static Answer *
create_refund (PdSandbox         *sandbox,
               SoupServerMessage *msg,
               JsonObject        *root)
{
  g_autoptr(GPtrArray) problems = _pd_sandbox_problems_new ();
  const char *payment_id = pd_json_member_text (root, "paymentId");
  JsonObject *amount = pd_json_member_object (root, "amount");
  const char *currency = pd_json_member_text (amount, "currency");
  PdSandboxPayment *payment = _pd_sandbox_book_find_payment (sandbox->book, payment_id);
  g_autofree char *refusal = NULL;
  PdSandboxRefund *refund = NULL;
  PdSandboxRefundResult result;
  gint64 kopecks = 0;

  if (payment_id == NULL || *payment_id == '\0')
    _pd_sandbox_problem_add (problems, "paymentId", "is required");
  else if (payment == NULL)
    _pd_sandbox_problem_add (problems, "paymentId", "names no payment");
  _pd_sandbox_read_money (amount, "value", "amount.value", &kopecks, problems);
  if (payment != NULL && g_strcmp0 (pd_currency_normalize (currency), payment->currency) != 0)
    _pd_sandbox_problem_add (problems, "amount.currency", "must be %s, the payment's currency",
                             payment->currency);
  if (problems->len > 0)
    return answer_invalid (problems);

  result = _pd_sandbox_book_refund (sandbox->book, payment_id, kopecks, NULL, &refund);
  if (result == PD_SANDBOX_REFUND_DONE)
    return answer_refund (refund);
  refusal = _pd_sandbox_book_refusal (sandbox->book, result, payment_id);
  return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_operation", refusal, NULL);
}

/* Routing */

static gboolean
authorized (PdSandbox         *sandbox,
            SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  const char *token;

  if (sandbox->api_token == NULL || header == NULL ||
      g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  token = header + 7;
  return strlen (token) == strlen (sandbox->api_token) &&
         CRYPTO_memcmp (token, sandbox->api_token, strlen (token)) == 0;
}

typedef Answer *(*CreateFunc) (PdSandbox         *sandbox,
                               SoupServerMessage *msg,
                               JsonObject        *root);

static Answer *
create_invoice (PdSandbox         *sandbox,
                   SoupServerMessage *msg,
                   JsonObject        *root)
{
  g_autoptr(GPtrArray) problems = _pd_sandbox_problems_new ();
  g_autoptr(JsonBuilder) builder = _pd_sandbox_v2_create_invoice (sandbox, msg, root, problems);

  return builder != NULL ? answer_new (SOUP_STATUS_OK, builder) : answer_invalid (problems);
}

/* Runs a POST, or answers it again for a repeated Idempotency-Key. */
static Answer *
post (PdSandbox         *sandbox,
      SoupServerMessage *msg,
      const char        *path,
      CreateFunc         create)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Idempotency-Key");
  g_autoptr(GBytes) request_body = g_bytes_new (body->data, body->length);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  Answer *answer;

  answer = key != NULL ? g_hash_table_lookup (sandbox->idempotent_answers, key) : NULL;
  if (answer != NULL)
    {
      if (g_str_equal (answer->path, path) && g_bytes_equal (answer->request_body, request_body))
        return answer_copy (answer);
      return answer_error (SOUP_STATUS_CONFLICT, "idempotency_key_violation",
                           "This Idempotency-Key was used for a different request", NULL);
    }

  root = pd_json_parse_object (body->data, body->length, &error);
  if (root == NULL)
    {
      g_autoptr(GPtrArray) problems = _pd_sandbox_problems_new ();

      _pd_sandbox_problem_add (problems, "body", "must be a JSON object: %s", error->message);
      return answer_invalid (problems);
    }

  answer = create (sandbox, msg, json_node_get_object (root));
  if (key != NULL && SOUP_STATUS_IS_SUCCESSFUL (answer->status))
    {
      answer->path = g_strdup (path);
      answer->request_body = g_bytes_ref (request_body);
      g_hash_table_insert (sandbox->idempotent_answers, g_strdup (key), answer_copy (answer));
    }
  return answer;
}

/* Returns NULL, and the status to answer with, for a path or method the
 * API does not have. */
static Answer *
route (PdSandbox         *sandbox,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       guint             *status)
{
  static const char *resources[] = { "invoices", "payments", "refunds" };
  const char *method = soup_server_message_get_method (msg);
  gboolean get = method == SOUP_METHOD_GET;
  g_auto(GStrv) segments = g_strsplit (*path == '/' ? path + 1 : path, "/", 0);
  guint n = g_strv_length (segments);
  g_autofree char *id = n == 2 ? g_uri_unescape_string (segments[1], NULL) : NULL;

  if (n == 1 && g_str_equal (segments[0], "invoices") && method == SOUP_METHOD_POST)
    return post (sandbox, msg, path, create_invoice);
  if (n == 1 && g_str_equal (segments[0], "refunds") && method == SOUP_METHOD_POST)
    return post (sandbox, msg, path, create_refund);
  if (n == 1 && g_str_equal (segments[0], "payments") && get)
    return list_payments (sandbox, query);
  if (id != NULL && *id != '\0' && g_str_equal (segments[0], "payments") && get)
    {
      PdSandboxPayment *payment = _pd_sandbox_book_find_payment (sandbox->book, id);

      return payment != NULL ? answer_payment (payment) : answer_not_found ("payment");
    }
  if (id != NULL && *id != '\0' && g_str_equal (segments[0], "refunds") && get)
    {
      PdSandboxRefund *refund = _pd_sandbox_book_find_refund (sandbox->book, id);

      return refund != NULL ? answer_refund (refund) : answer_not_found ("refund");
    }

  *status = SOUP_STATUS_NOT_FOUND;
  for (guint i = 0; n >= 1 && n <= 2 && i < G_N_ELEMENTS (resources); i++)
    if (g_str_equal (segments[0], resources[i]))
      *status = SOUP_STATUS_METHOD_NOT_ALLOWED;
  return NULL;
}

static void
v2_handler (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PdSandbox *sandbox = user_data;
  gsize skip = strlen (sandbox->prefix) + strlen (V2_PATH);
  g_autoptr(Answer) answer = NULL;
  guint status = SOUP_STATUS_NOT_FOUND;

  if (!authorized (sandbox, msg))
    {
      answer = answer_error (SOUP_STATUS_UNAUTHORIZED, "not_authorized",
                             "The bearer token is missing or wrong", NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
    }
  else if (strlen (path) <= skip || path[skip] != '/' ||
           (answer = route (sandbox, msg, path + skip, query, &status)) == NULL)
    {
      soup_server_message_set_status (msg, status, NULL);
      return;
    }
  send_answer (msg, answer);
}

/* Serves the REST API v2 under @prefix/api/v2 and adds that path to @paths. */
void
_pd_sandbox_v2_attach (PdSandbox  *sandbox,
                       SoupServer *server,
                       const char *prefix,
                       GPtrArray  *paths)
{
  _pd_sandbox_add_handler (sandbox, server, prefix, V2_PATH, v2_handler, paths);
}

/**
 * pd_sandbox_set_api_token:
 * @token: (nullable): the bearer token the REST API v2 accepts
 *
 * Until a token is set the REST API v2 refuses every call.
 */
void
pd_sandbox_set_api_token (PdSandbox  *self,
                          const char *token)
{
  g_return_if_fail (PD_IS_SANDBOX (self));

  if (self->api_token != NULL)
    OPENSSL_cleanse (self->api_token, strlen (self->api_token));
  g_free (self->api_token);
  self->api_token = token != NULL && *token != '\0' ? g_strdup (token) : NULL;
}

/* How many payments a page of GET /api/v2/payments holds (50 by default). */
void
pd_sandbox_set_page_size (PdSandbox *self,
                          guint      page_size)
{
  g_return_if_fail (PD_IS_SANDBOX (self));
  g_return_if_fail (page_size > 0);

  self->page_size = page_size;
}
