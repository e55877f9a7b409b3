/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <openssl/crypto.h>

#include "pd-json.h"
#include "pd-money.h"
#include "pd-paymaster-api.h"
#include "pd-sandbox-private.h"

/* PayMaster's classic status and refund API (spec section 1.6) over the
 * sandbox's book of payments, so that reconciliation and refunds can be
 * tried without PayMaster: GET or POST <prefix>/partners/rest/<method>
 * with login, nonce, hash and the method's parameters, answered with
 * HTTP 200 JSON that carries an ErrorCode. */

#define CLASSIC_PATH "/partners/rest"
#define DATE_FORMAT  "%Y-%m-%dT%H:%M:%S"

#define ERROR_FAILED     -1
#define ERROR_BAD_HASH   -7
#define ERROR_NOT_FOUND  -13
#define ERROR_NONCE      -14

struct _PdSandboxStatus
{
  char       *login;
  char       *password;
  GHashTable *nonces;    /* the nonces of accepted calls */
};

PdSandboxStatus *
_pd_sandbox_status_new (void)
{
  PdSandboxStatus *status = g_new0 (PdSandboxStatus, 1);

  status->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return status;
}

static void
clear_password (PdSandboxStatus *status)
{
  if (status->password != NULL)
    OPENSSL_cleanse (status->password, strlen (status->password));
  g_clear_pointer (&status->password, g_free);
}

void
_pd_sandbox_status_free (PdSandboxStatus *status)
{
  if (status == NULL)
    return;
  g_hash_table_unref (status->nonces);
  g_free (status->login);
  clear_password (status);
  g_free (status);
}

void
_pd_sandbox_status_set_api_user (PdSandboxStatus *status,
                                 const char      *login,
                                 const char      *password)
{
  g_free (status->login);
  status->login = g_strdup (login);
  clear_password (status);
  status->password = g_strdup (password);
}

/* What the classic API calls a v2 status. */
static PdClassicState
classic_state (PdApiPaymentStatus status)
{
  switch (status)
    {
    case PD_API_PAYMENT_PENDING:
      return PD_CLASSIC_STATE_INITIATED;
    case PD_API_PAYMENT_AUTHORIZED:
    case PD_API_PAYMENT_CONFIRMATION:
      return PD_CLASSIC_STATE_PROCESSING;
    case PD_API_PAYMENT_SETTLED:
      return PD_CLASSIC_STATE_COMPLETE;
    case PD_API_PAYMENT_CANCELLED:
    case PD_API_PAYMENT_REJECTED:
      return PD_CLASSIC_STATE_CANCELLED;
    case PD_API_PAYMENT_UNKNOWN:
    default:
      return PD_CLASSIC_STATE_UNKNOWN;
    }
}

/* Answers */

static void
send_error (SoupServerMessage *msg,
            int                code,
            const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ErrorCode");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "Message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  _pd_sandbox_send_json (msg, SOUP_STATUS_OK, builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value ? value : "");
}

static void
add_payment (JsonBuilder            *builder,
             const PdSandboxPayment *payment)
{
  g_autofree char *updated = g_date_time_format (payment->updated, DATE_FORMAT);
  PdClassicState state = classic_state (payment->status);

  json_builder_begin_object (builder);
  add_string (builder, "PaymentID", payment->id);
  add_string (builder, "SiteInvoiceID", payment->order_no);
  add_string (builder, "SiteID", payment->merchant_id);
  add_string (builder, "CurrencyCode", payment->currency);
  json_builder_set_member_name (builder, "Amount");
  pd_json_builder_add_money (builder, payment->amount);
  json_builder_set_member_name (builder, "PaymentAmount");
  pd_json_builder_add_money (builder, state == PD_CLASSIC_STATE_COMPLETE ? payment->amount : 0);
  add_string (builder, "State", pd_classic_state_to_string (state));
  json_builder_set_member_name (builder, "IsTestPayment");
  json_builder_add_boolean_value (builder, payment->test_mode);
  add_string (builder, "LastUpdateTime", updated);
  add_string (builder, "PaymentSystemID", "3");
  add_string (builder, "Purpose", payment->description);
  add_string (builder, "UserIdentifier",
              state == PD_CLASSIC_STATE_COMPLETE ? "411111******1111" : "");
  json_builder_end_object (builder);
}

static void
begin_answer (JsonBuilder *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ErrorCode");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "Response");
}

static void
send_payment (SoupServerMessage      *msg,
              const PdSandboxPayment *payment)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_answer (builder);
  add_payment (builder, payment);
  json_builder_end_object (builder);
  _pd_sandbox_send_json (msg, SOUP_STATUS_OK, builder);
}

/* The answer's shape is not in the spec: the refund's id and state are
 * named as pd-paymaster-api-classic.c reads them. */
static void
send_refund (SoupServerMessage     *msg,
             const PdSandboxRefund *refund)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = g_date_time_format (refund->created, DATE_FORMAT);

  begin_answer (builder);
  json_builder_begin_object (builder);
  add_string (builder, "RefundID", refund->id);
  add_string (builder, "PaymentID", refund->payment_id);
  add_string (builder, "ExternalID", refund->external_id);
  json_builder_set_member_name (builder, "Amount");
  pd_json_builder_add_money (builder, refund->amount);
  add_string (builder, "CurrencyCode", refund->currency);
  add_string (builder, "State", pd_classic_state_to_string (PD_CLASSIC_STATE_COMPLETE));
  add_string (builder, "LastUpdateTime", created);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  _pd_sandbox_send_json (msg, SOUP_STATUS_OK, builder);
}

/* Methods */

typedef void (*MethodFunc) (PdSandbox         *sandbox,
                            SoupServerMessage *msg,
                            GHashTable        *query);

typedef struct
{
  const char *name;
  MethodFunc  func;
  const char *params[7];   /* hashed in this order, NULL-terminated */
} Method;

static const char *
param (GHashTable *query,
       const char *name)
{
  const char *value = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  return value != NULL ? value : "";
}

/* Checks the API user's login and hash, and that the nonce is new.
 * Answers and returns FALSE when the call is refused. */
static gboolean
authorize (PdSandboxStatus   *status,
           SoupServerMessage *msg,
           const Method      *method,
           GHashTable        *query)
{
  const char *login = param (query, "login");
  const char *nonce = param (query, "nonce");
  const char *hash = param (query, "hash");
  const char *values[G_N_ELEMENTS (method->params)] = { NULL, };
  g_autofree char *expected = NULL;
  guint n = 0;

  if (status->login == NULL || status->password == NULL ||
      g_strcmp0 (login, status->login) != 0 || *nonce == '\0' || *hash == '\0')
    {
      send_error (msg, ERROR_BAD_HASH, "Unknown API user, or no nonce or hash");
      return FALSE;
    }

  for (; method->params[n] != NULL; n++)
    values[n] = param (query, method->params[n]);
  values[n] = NULL;
  expected = pd_classic_api_hash (status->login, status->password, nonce, values);
  if (!g_str_equal (expected, hash))
    {
      send_error (msg, ERROR_BAD_HASH, "Wrong hash");
      return FALSE;
    }

  if (g_hash_table_contains (status->nonces, nonce))
    {
      send_error (msg, ERROR_NONCE, "Nonce already used");
      return FALSE;
    }
  g_hash_table_add (status->nonces, g_strdup (nonce));
  return TRUE;
}

static void
get_payment (PdSandbox         *sandbox,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  PdSandboxPayment *payment = _pd_sandbox_book_find_payment (sandbox->book,
                                                             param (query, "paymentID"));

  if (payment != NULL)
    send_payment (msg, payment);
  else
    send_error (msg, ERROR_NOT_FOUND, "No such payment");
}

/* An invoice may have been declined before it was paid: its payment is
 * the completed one, or else the latest. */
static void
get_payment_by_invoice (PdSandbox         *sandbox,
                        SoupServerMessage *msg,
                        GHashTable        *query)
{
  GPtrArray *payments = _pd_sandbox_book_get_payments (sandbox->book);
  const char *invoice_id = param (query, "invoiceID");
  const char *site_alias = param (query, "siteAlias");
  const PdSandboxPayment *found = NULL;

  for (guint i = 0; i < payments->len; i++)
    {
      const PdSandboxPayment *payment = g_ptr_array_index (payments, i);

      if (g_strcmp0 (payment->order_no, invoice_id) != 0 ||
          (*site_alias != '\0' && g_strcmp0 (payment->merchant_id, site_alias) != 0))
        continue;
      if (found == NULL || found->status != PD_API_PAYMENT_SETTLED)
        found = payment;
    }

  if (found != NULL)
    send_payment (msg, found);
  else
    send_error (msg, ERROR_NOT_FOUND, "No payment for this invoice");
}

/* Reads a period's bound as UTC, as the client writes it. Returns FALSE
 * for a bound that is not a date; an empty one is no bound. */
static gboolean
parse_bound (const char  *text,
             GDateTime  **date)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  *date = NULL;
  if (*text == '\0')
    return TRUE;
  *date = g_date_time_new_from_iso8601 (text, utc);
  return *date != NULL;
}

static void
list_payments_filter (PdSandbox         *sandbox,
                      SoupServerMessage *msg,
                      GHashTable        *query)
{
  GPtrArray *payments = _pd_sandbox_book_get_payments (sandbox->book);
  const char *site_alias = param (query, "siteAlias");
  const char *invoice_id = param (query, "invoiceID");
  const char *state = param (query, "state");
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(JsonBuilder) builder = NULL;

  if (!parse_bound (param (query, "periodFrom"), &from) ||
      !parse_bound (param (query, "periodTo"), &to))
    {
      send_error (msg, ERROR_FAILED, "periodFrom or periodTo is not a date");
      return;
    }

  builder = json_builder_new ();
  begin_answer (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Payments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < payments->len; i++)
    {
      const PdSandboxPayment *payment = g_ptr_array_index (payments, i);
      const char *state_text = pd_classic_state_to_string (classic_state (payment->status));

      /* The sandbox has no accounts: accountID filters nothing. */
      if ((*site_alias != '\0' && g_strcmp0 (payment->merchant_id, site_alias) != 0) ||
          (*invoice_id != '\0' && g_strcmp0 (payment->order_no, invoice_id) != 0) ||
          (*state != '\0' && g_ascii_strcasecmp (state, state_text) != 0) ||
          (from != NULL && g_date_time_compare (payment->updated, from) < 0) ||
          (to != NULL && g_date_time_compare (payment->updated, to) > 0))
        continue;
      add_payment (builder, payment);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  _pd_sandbox_send_json (msg, SOUP_STATUS_OK, builder);
}

/* A refund of a COMPLETE payment under the book's rules. The same
 * externalID again is the same refund, answered again, so that a shop may
 * retry after a timeout. */
static void
refund_payment (PdSandbox         *sandbox,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  const char *payment_id = param (query, "paymentID");
  const char *external_id = param (query, "externalID");
  PdSandboxRefund *refund = NULL;
  PdSandboxRefundResult result;
  gint64 amount = 0;

  if (!pd_money_parse (param (query, "amount"), &amount, NULL))
    {
      send_error (msg, ERROR_FAILED, "amount is not an amount such as 50.00");
      return;
    }

  refund = _pd_sandbox_book_find_external (sandbox->book, *external_id ? external_id : NULL);
  if (refund != NULL)
    {
      if (g_str_equal (refund->payment_id, payment_id) && refund->amount == amount)
        send_refund (msg, refund);
      else
        send_error (msg, ERROR_FAILED, "externalID is already used by another refund");
      return;
    }

  result = _pd_sandbox_book_refund (sandbox->book, payment_id, amount,
                                    *external_id ? external_id : NULL, &refund);
  if (result == PD_SANDBOX_REFUND_DONE)
    send_refund (msg, refund);
  else
    {
      g_autofree char *refusal = _pd_sandbox_book_refusal (sandbox->book, result, payment_id);

      send_error (msg, result == PD_SANDBOX_REFUND_NO_PAYMENT ? ERROR_NOT_FOUND : ERROR_FAILED,
                  refusal);
    }
}

static const Method methods[] = {
  { "getPayment", get_payment, { "paymentID", NULL } },
  { "getPaymentByInvoiceID", get_payment_by_invoice, { "invoiceID", "siteAlias", NULL } },
  { "listPaymentsFilter", list_payments_filter,
    { "accountID", "siteAlias", "periodFrom", "periodTo", "invoiceID", "state", NULL } },
  { "refundPayment", refund_payment, { "paymentID", "amount", "externalID", NULL } },
};

static void
status_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  PdSandbox *sandbox = user_data;
  g_autoptr(GHashTable) body_query = NULL;
  const char *method_name = strrchr (path, '/');
  const Method *method = NULL;

  if (soup_server_message_get_method (msg) == SOUP_METHOD_POST)
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autofree char *text = g_strndup (body->data, body->length);

      body_query = soup_form_decode (text);
      query = body_query;
    }
  else if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  for (guint i = 0; method_name != NULL && i < G_N_ELEMENTS (methods); i++)
    if (g_str_equal (method_name + 1, methods[i].name))
      method = &methods[i];
  if (method == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (authorize (sandbox->status, msg, method, query))
    method->func (sandbox, msg, query);
}

/* Serves the status API under @prefix/partners/rest/ and adds that path
 * to @paths. */
void
_pd_sandbox_status_attach (PdSandbox  *sandbox,
                           SoupServer *server,
                           const char *prefix,
                           GPtrArray  *paths)
{
  _pd_sandbox_add_handler (sandbox, server, prefix, CLASSIC_PATH, status_handler, paths);
}
