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

/* The sandbox's memory of the payments it made, and PayMaster's classic
 * status API over it (spec section 1.6), so that reconciliation can be
 * tried without PayMaster: GET or POST <prefix>/partners/rest/<method>
 * with login, nonce, hash and the method's parameters, answered with
 * HTTP 200 JSON that carries an ErrorCode. */

#define CLASSIC_PATH "/partners/rest"
#define DATE_FORMAT  "%Y-%m-%dT%H:%M:%S"

#define ERROR_FAILED     -1
#define ERROR_BAD_HASH   -7
#define ERROR_NOT_FOUND  -13
#define ERROR_NONCE      -14

typedef struct
{
  char           *payment_id;
  char           *site_invoice_id;
  char           *site_id;
  char           *currency_code;
  gint64          amount;
  PdClassicState  state;
  gboolean        is_test;
  GDateTime      *last_update;   /* UTC */
  char           *purpose;
} Record;

struct _PdSandboxStatus
{
  GPtrArray  *records;   /* Record, oldest first */
  char       *login;
  char       *password;
  GHashTable *nonces;    /* the nonces of accepted calls */
};

static void
record_free (Record *record)
{
  g_free (record->payment_id);
  g_free (record->site_invoice_id);
  g_free (record->site_id);
  g_free (record->currency_code);
  g_clear_pointer (&record->last_update, g_date_time_unref);
  g_free (record->purpose);
  g_free (record);
}

PdSandboxStatus *
_pd_sandbox_status_new (void)
{
  PdSandboxStatus *status = g_new0 (PdSandboxStatus, 1);

  status->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
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
  g_ptr_array_unref (status->records);
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

void
_pd_sandbox_status_record (PdSandboxStatus *status,
                           const char      *payment_id,
                           const PdForm    *link,
                           const char      *description,
                           PdClassicState   state,
                           gboolean         is_test)
{
  Record *record = g_new0 (Record, 1);

  record->payment_id = g_strdup (payment_id);
  record->site_invoice_id = g_strdup (pd_form_get (link, "LMI_PAYMENT_NO"));
  record->site_id = g_strdup (pd_form_get (link, "LMI_MERCHANT_ID"));
  record->currency_code = g_strdup (pd_currency_normalize (pd_form_get (link, "LMI_CURRENCY")));
  pd_money_parse (pd_form_get (link, "LMI_PAYMENT_AMOUNT"), &record->amount, NULL);
  record->state = state;
  record->is_test = is_test;
  record->last_update = g_date_time_new_now_utc ();
  record->purpose = g_strdup (description);
  g_ptr_array_add (status->records, record);
}

/* Answers */

static void
send_json (SoupServerMessage *msg,
           JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  char *text = pd_json_to_string (root);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}

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
  send_json (msg, builder);
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
add_record (JsonBuilder  *builder,
            const Record *record)
{
  g_autofree char *updated = g_date_time_format (record->last_update, DATE_FORMAT);

  json_builder_begin_object (builder);
  add_string (builder, "PaymentID", record->payment_id);
  add_string (builder, "SiteInvoiceID", record->site_invoice_id);
  add_string (builder, "SiteID", record->site_id);
  add_string (builder, "CurrencyCode", record->currency_code);
  json_builder_set_member_name (builder, "Amount");
  pd_json_builder_add_money (builder, record->amount);
  json_builder_set_member_name (builder, "PaymentAmount");
  pd_json_builder_add_money (builder, record->state == PD_CLASSIC_STATE_COMPLETE ? record->amount : 0);
  add_string (builder, "State", pd_classic_state_to_string (record->state));
  json_builder_set_member_name (builder, "IsTestPayment");
  json_builder_add_boolean_value (builder, record->is_test);
  add_string (builder, "LastUpdateTime", updated);
  add_string (builder, "PaymentSystemID", "3");
  add_string (builder, "Purpose", record->purpose);
  add_string (builder, "UserIdentifier",
              record->state == PD_CLASSIC_STATE_COMPLETE ? "411111******1111" : "");
  json_builder_end_object (builder);
}

static void
send_record (SoupServerMessage *msg,
             const Record      *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ErrorCode");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "Response");
  add_record (builder, record);
  json_builder_end_object (builder);
  send_json (msg, builder);
}

/* Methods */

typedef struct
{
  const char *name;
  const char *params[7];   /* hashed in this order, NULL-terminated */
} Method;

static const Method methods[] = {
  { "getPayment", { "paymentID", NULL } },
  { "getPaymentByInvoiceID", { "invoiceID", "siteAlias", NULL } },
  { "listPaymentsFilter",
    { "accountID", "siteAlias", "periodFrom", "periodTo", "invoiceID", "state", NULL } },
};

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
get_payment (PdSandboxStatus   *status,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  const char *payment_id = param (query, "paymentID");

  for (guint i = 0; i < status->records->len; i++)
    {
      const Record *record = g_ptr_array_index (status->records, i);

      if (g_str_equal (record->payment_id, payment_id))
        {
          send_record (msg, record);
          return;
        }
    }
  send_error (msg, ERROR_NOT_FOUND, "No such payment");
}

/* An invoice may have been declined before it was paid: its payment is
 * the completed one, or else the latest. */
static void
get_payment_by_invoice (PdSandboxStatus   *status,
                        SoupServerMessage *msg,
                        GHashTable        *query)
{
  const char *invoice_id = param (query, "invoiceID");
  const char *site_alias = param (query, "siteAlias");
  const Record *found = NULL;

  for (guint i = 0; i < status->records->len; i++)
    {
      const Record *record = g_ptr_array_index (status->records, i);

      if (!g_str_equal (record->site_invoice_id, invoice_id) ||
          (*site_alias != '\0' && g_strcmp0 (record->site_id, site_alias) != 0))
        continue;
      if (found == NULL || found->state != PD_CLASSIC_STATE_COMPLETE)
        found = record;
    }

  if (found != NULL)
    send_record (msg, found);
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
list_payments_filter (PdSandboxStatus   *status,
                      SoupServerMessage *msg,
                      GHashTable        *query)
{
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
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ErrorCode");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "Response");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Payments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < status->records->len; i++)
    {
      const Record *record = g_ptr_array_index (status->records, i);

      /* The sandbox has no accounts: accountID filters nothing. */
      if ((*site_alias != '\0' && g_strcmp0 (record->site_id, site_alias) != 0) ||
          (*invoice_id != '\0' && g_strcmp0 (record->site_invoice_id, invoice_id) != 0) ||
          (*state != '\0' &&
           g_ascii_strcasecmp (state, pd_classic_state_to_string (record->state)) != 0) ||
          (from != NULL && g_date_time_compare (record->last_update, from) < 0) ||
          (to != NULL && g_date_time_compare (record->last_update, to) > 0))
        continue;
      add_record (builder, record);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  send_json (msg, builder);
}

static void
status_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  PdSandboxStatus *status = _pd_sandbox_get_status (user_data);
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

  if (!authorize (status, msg, method, query))
    return;

  if (method == &methods[0])
    get_payment (status, msg, query);
  else if (method == &methods[1])
    get_payment_by_invoice (status, msg, query);
  else
    list_payments_filter (status, msg, query);
}

/* Serves the status API under @prefix/partners/rest/ and returns that
 * path, for the caller to guard. */
char *
_pd_sandbox_status_attach (PdSandbox  *sandbox,
                           SoupServer *server,
                           const char *prefix)
{
  char *path = g_strconcat (prefix, CLASSIC_PATH, NULL);

  soup_server_add_handler (server, path, status_handler, g_object_ref (sandbox), g_object_unref);
  return path;
}
