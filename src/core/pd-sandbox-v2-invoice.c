/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include <string.h>

#include "pd-json.h"
#include "pd-money.h"
#include "pd-receipt.h"
#include "pd-sandbox-private.h"

/* POST /api/v2/invoices: the body checked as PayMaster would refuse it,
 * every wrong field named, and a Pending payment made with a page of its
 * own at <prefix>/cpay/<hex>. Amounts are read as kopecks from the digits
 * sent (pd-json), never through a double. invoice.expires is checked but
 * not enforced: the sandbox's invoices stay payable. */

/* What the spec lists for a receipt item. The sandbox keeps its own copy
 * rather than pd-receipt's tables, so that it checks them. */
static const char *vat_types[] = {
  "None", "Vat0", "Vat10", "Vat20", "Vat110", "Vat120",
};
static const char *item_methods[] = {
  "FullPrepayment", "PartialPrepayment", "Advance", "FullPayment", "PartialPayment", "Credit",
};

static void
problem_free (PdSandboxProblem *problem)
{
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

GPtrArray *
_pd_sandbox_problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
}

void
_pd_sandbox_problem_add (GPtrArray  *problems,
                         const char *field,
                         const char *format,
                         ...)
{
  PdSandboxProblem *problem = g_new0 (PdSandboxProblem, 1);
  va_list args;

  va_start (args, format);
  problem->field = g_strdup (field);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (problems, problem);
}

static gboolean
in_list (const char         *value,
         const char * const *list,
         gsize               n_list)
{
  for (gsize i = 0; value != NULL && i < n_list; i++)
    if (g_str_equal (value, list[i]))
      return TRUE;
  return FALSE;
}

/* A non-empty string member, or NULL after adding a problem. */
static const char *
required_text (JsonObject *object,
               const char *name,
               const char *field,
               GPtrArray  *problems)
{
  const char *text = pd_json_member_text (object, name);

  if (text == NULL || *text == '\0')
    {
      _pd_sandbox_problem_add (problems, field, "is required");
      return NULL;
    }
  return text;
}

/* Reads money as kopecks: more than zero, whole kopecks, and small enough
 * to be written back exactly. */
gboolean
_pd_sandbox_read_money (JsonObject *object,
                        const char *name,
                        const char *field,
                        gint64     *kopecks,
                        GPtrArray  *problems)
{
  const char *text = pd_json_member_text (object, name);

  if (text == NULL)
    _pd_sandbox_problem_add (problems, field, "is required");
  else if (!pd_json_amount_parse (text, kopecks, NULL))
    _pd_sandbox_problem_add (problems, field,
                             "must be a number of roubles with at most two decimals, not %s",
                             text);
  else if (*kopecks <= 0)
    _pd_sandbox_problem_add (problems, field, "must be more than zero");
  else if (*kopecks >= PD_JSON_MONEY_LIMIT)
    _pd_sandbox_problem_add (problems, field, "is too large");
  else
    return TRUE;
  return FALSE;
}

static gboolean
is_web_address (const char *text)
{
  g_autoptr(GUri) uri = text ? g_uri_parse (text, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ||
          g_strcmp0 (g_uri_get_scheme (uri), "https") == 0);
}

/* A quantity in thousandths: digits with at most three decimals, as
 * cash registers count them, and at most twelve before the point. */
static gboolean
parse_quantity (const char *text,
                gint64     *thousandths)
{
  static const gint64 scale[] = { 100, 10, 1 };
  gint64 value = 0;
  guint n_int = 0;
  guint n_frac = 0;
  const char *p = text;

  if (text == NULL)
    return FALSE;
  for (; g_ascii_isdigit (*p) && n_int < 12; p++, n_int++)
    value = value * 10 + (*p - '0');
  value *= 1000;
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p) && n_frac < G_N_ELEMENTS (scale); p++, n_frac++)
        value += (*p - '0') * scale[n_frac];
      if (n_frac == 0)
        return FALSE;
    }
  if (*p != '\0' || n_int == 0)
    return FALSE;
  *thousandths = value;
  return TRUE;
}

static gboolean
has_text (JsonObject *object,
          const char *name)
{
  const char *text = pd_json_member_text (object, name);

  return text != NULL && *text != '\0';
}

/* The kopecks of one receipt item, or -1 after adding a problem. */
static gint64
check_item (JsonObject *item,
            guint       index,
            GPtrArray  *problems)
{
  g_autofree char *prefix = g_strdup_printf ("receipt.items[%u].", index);
  g_autofree char *name_field = g_strconcat (prefix, "name", NULL);
  g_autofree char *quantity_field = g_strconcat (prefix, "quantity", NULL);
  g_autofree char *price_field = g_strconcat (prefix, "price", NULL);
  g_autofree char *vat_field = g_strconcat (prefix, "vatType", NULL);
  g_autofree char *subject_field = g_strconcat (prefix, "paymentSubject", NULL);
  g_autofree char *method_field = g_strconcat (prefix, "paymentMethod", NULL);
  const char *quantity_text = pd_json_member_text (item, "quantity");
  const char *vat = pd_json_member_text (item, "vatType");
  const char *method = pd_json_member_text (item, "paymentMethod");
  gint64 quantity = 0;
  gint64 price = 0;
  gint64 product = 0;
  guint n_problems = problems->len;

  required_text (item, "name", name_field, problems);
  if (!parse_quantity (quantity_text, &quantity) || quantity == 0)
    _pd_sandbox_problem_add (problems, quantity_field,
                             "must be more than zero, with at most three decimals");
  _pd_sandbox_read_money (item, "price", price_field, &price, problems);
  if (!in_list (vat, vat_types, G_N_ELEMENTS (vat_types)))
    _pd_sandbox_problem_add (problems, vat_field, "must be one of None, Vat0, Vat10, Vat20, "
                             "Vat110, Vat120, not %s", vat ? vat : "absent");
  required_text (item, "paymentSubject", subject_field, problems);
  if (!in_list (method, item_methods, G_N_ELEMENTS (item_methods)))
    _pd_sandbox_problem_add (problems, method_field, "must be one of FullPrepayment, "
                             "PartialPrepayment, Advance, FullPayment, PartialPayment, Credit, "
                             "not %s", method ? method : "absent");
  if (problems->len > n_problems)
    return -1;

  if (!pd_money_multiply (price, quantity, &product))
    _pd_sandbox_problem_add (problems, price_field, "times the quantity is too large");
  else if (product % 1000 != 0)
    _pd_sandbox_problem_add (problems, price_field,
                             "times the quantity must be a whole number of kopecks");
  else
    return product / 1000;
  return -1;
}

/* A receipt's items must add up to the invoice's amount exactly, as
 * 54-FZ requires (spec 1.2). */
static void
check_receipt (JsonObject *receipt,
               gint64      amount,
               GPtrArray  *problems)
{
  JsonObject *client = pd_json_member_object (receipt, "client");
  JsonArray *items = pd_json_member_array (receipt, "items");
  guint n_items = items ? json_array_get_length (items) : 0;
  gboolean complete = TRUE;
  gint64 total = 0;

  if (json_object_has_member (receipt, "client") &&
      !has_text (client, "email") && !has_text (client, "phone"))
    _pd_sandbox_problem_add (problems, "receipt.client", "needs an email or a phone");

  if (n_items == 0 || n_items > PD_RECEIPT_MAX_LINES)
    {
      _pd_sandbox_problem_add (problems, "receipt.items", "must hold 1 to %d items",
                               PD_RECEIPT_MAX_LINES);
      return;
    }

  for (guint i = 0; i < n_items; i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      gint64 sum = -1;

      if (JSON_NODE_HOLDS_OBJECT (node))
        sum = check_item (json_node_get_object (node), i, problems);
      else
        {
          g_autofree char *field = g_strdup_printf ("receipt.items[%u]", i);

          _pd_sandbox_problem_add (problems, field, "must be an object");
        }
      if (sum < 0 || total > G_MAXINT64 - sum)
        complete = FALSE;
      else
        total += sum;
    }

  if (complete && total != amount)
    {
      g_autofree char *items_text = pd_money_format (total);
      g_autofree char *amount_text = pd_money_format (amount);

      _pd_sandbox_problem_add (problems, "receipt.items",
                               "add up to %s, not to amount.value %s", items_text, amount_text);
    }
}

/* invoice.params as sent, numbers and all, to be echoed in the payment
 * object: pd-json's tree has turned its numbers into strings. */
static JsonNode *
invoice_params (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *data = body->data;
  gsize length = body->length;
  JsonObject *invoice;
  JsonNode *params;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (!json_parser_load_from_data (parser, data, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  invoice = pd_json_member_object (json_node_get_object (json_parser_get_root (parser)),
                                   "invoice");
  params = invoice != NULL ? json_object_get_member (invoice, "params") : NULL;
  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return NULL;
  return json_node_copy (params);
}

/* 32 hex digits, as PayMaster's page addresses look. */
static char *
new_checkout_token (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  GString *token = g_string_new (NULL);

  for (const char *p = uuid; *p; p++)
    if (*p != '-')
      g_string_append_c (token, *p);
  return g_string_free (token, FALSE);
}

/* The address of a payment's page on this sandbox, as the client reached
 * it (its Host header). */
static char *
checkout_url (PdSandbox         *sandbox,
              SoupServerMessage *msg,
              const char        *token)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *path = g_strconcat (sandbox->prefix, PD_SANDBOX_CHECKOUT_PATH, "/", token, NULL);

  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), path, NULL, NULL);
}

/**
 * _pd_sandbox_v2_create_invoice:
 * @root: the request's body
 * @problems: where what is wrong with it goes
 *
 * Returns: (transfer full) (nullable): the answer, or %NULL when the body
 *   has @problems
 */
JsonBuilder *
_pd_sandbox_v2_create_invoice (PdSandbox         *sandbox,
                               SoupServerMessage *msg,
                               JsonObject        *root,
                               GPtrArray         *problems)
{
  JsonObject *invoice = pd_json_member_object (root, "invoice");
  JsonObject *amount = pd_json_member_object (root, "amount");
  JsonObject *protocol = pd_json_member_object (root, "protocol");
  JsonObject *receipt = pd_json_member_object (root, "receipt");
  const char *merchant_id = required_text (root, "merchantId", "merchantId", problems);
  const char *description = required_text (invoice, "description", "invoice.description", problems);
  const char *order_no = required_text (invoice, "orderNo", "invoice.orderNo", problems);
  const char *expires_text = pd_json_member_text (invoice, "expires");
  const char *currency = pd_json_member_text (amount, "currency");
  const char *callback_url = pd_json_member_text (protocol, "callbackUrl");
  const char *return_url = pd_json_member_text (protocol, "returnUrl");
  const char *method = pd_json_member_text (root, "paymentMethod");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  PdSandboxPayment *payment;
  JsonBuilder *builder;
  gint64 kopecks = 0;

  if (expires_text != NULL && (expires = g_date_time_new_from_iso8601 (expires_text, utc)) == NULL)
    _pd_sandbox_problem_add (problems, "invoice.expires", "must be an ISO 8601 date, not %s",
                             expires_text);
  if (_pd_sandbox_read_money (amount, "value", "amount.value", &kopecks, problems) &&
      receipt != NULL)
    check_receipt (receipt, kopecks, problems);
  if (g_strcmp0 (pd_currency_normalize (currency), "RUB") != 0)
    _pd_sandbox_problem_add (problems, "amount.currency", "must be RUB, not %s",
                             currency ? currency : "absent");
  if (!is_web_address (callback_url))
    _pd_sandbox_problem_add (problems, "protocol.callbackUrl", "must be an http or https address");
  if (return_url != NULL && !is_web_address (return_url))
    _pd_sandbox_problem_add (problems, "protocol.returnUrl", "must be an http or https address");
  if (pd_json_member_bool (root, "dualMode"))
    _pd_sandbox_problem_add (problems, "dualMode", "is not offered by the sandbox, which "
                             "settles every payment at once");
  if (problems->len > 0)
    return NULL;

  id = _pd_sandbox_book_new_id (sandbox->book);
  payment = _pd_sandbox_book_add_payment (sandbox->book, id, merchant_id, order_no, description,
                                          kopecks, "RUB", PD_API_PAYMENT_PENDING,
                                          pd_json_member_bool (root, "testMode"),
                                          method && *method ? method : "BankCard");
  payment->checkout_token = new_checkout_token ();
  payment->callback_url = g_strdup (callback_url);
  payment->return_url = g_strdup (return_url);
  payment->params = invoice_params (msg);

  url = checkout_url (sandbox, msg, payment->checkout_token);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "paymentId");
  json_builder_add_string_value (builder, payment->id);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_end_object (builder);
  return builder;
}
