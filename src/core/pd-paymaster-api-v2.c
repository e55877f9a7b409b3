/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-api"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>

#include "pd-form.h"
#include "pd-json.h"
#include "pd-money.h"
#include "pd-paymaster-api-private.h"

/* How v2 dates are written: ISO 8601 in UTC. */
#define V2_DATE_FORMAT "%Y-%m-%dT%H:%M:%SZ"

/* Request bodies */

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_amount_member (JsonBuilder *builder,
                   gint64       kopecks,
                   const char  *currency)
{
  const char *alpha = pd_currency_normalize (currency);

  json_builder_set_member_name (builder, "amount");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  pd_json_builder_add_money (builder, kopecks);
  add_string_member (builder, "currency", alpha != NULL ? alpha : currency);
  json_builder_end_object (builder);
}

/* A fresh key for the Idempotency-Key header. */
char *
pd_api_new_idempotency_key (void)
{
  return g_uuid_string_random ();
}

/* A v2 request: @path_and_query goes after the base URL; @body is JSON. */
static SoupMessage *
v2_message_new (PdPaymasterApi  *self,
                const char      *method,
                const char      *path_and_query,
                const char      *body,
                const char      *idempotency_key,
                GError         **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path_and_query, NULL);
  g_autofree char *authorization = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;

  if (self->token == NULL)
    {
      g_set_error_literal (error, PD_API_ERROR, PD_API_ERROR_NO_CREDENTIALS,
                           _("No PayMaster API token is set: create a token in the PayMaster "
                             "cabinet and enter it in Paydesk."));
      return NULL;
    }

  msg = _pd_api_message_new (method, url, self->base_url, error);
  if (msg == NULL)
    return NULL;

  headers = soup_message_get_request_headers (msg);
  authorization = g_strconcat ("Bearer ", self->token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  OPENSSL_cleanse (authorization, strlen (authorization));
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return g_steal_pointer (&msg);
}


/* REST API v2 */

typedef struct
{
  char *payment_id;
  char *url;
} CreatedInvoice;

static void
created_invoice_free (CreatedInvoice *invoice)
{
  g_free (invoice->payment_id);
  g_free (invoice->url);
  g_free (invoice);
}

static char *
invoice_body (const PdApiInvoiceRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean has_email = request->customer_email != NULL && *request->customer_email != '\0';
  gboolean has_phone = request->customer_phone != NULL && *request->customer_phone != '\0';

  json_builder_begin_object (builder);
  add_string_member (builder, "merchantId", request->merchant_id);
  json_builder_set_member_name (builder, "testMode");
  json_builder_add_boolean_value (builder, request->test_mode);

  json_builder_set_member_name (builder, "invoice");
  json_builder_begin_object (builder);
  add_string_member (builder, "description", request->description);
  add_string_member (builder, "orderNo", request->order_no);
  if (request->expires_at > 0)
    {
      g_autoptr(GDateTime) expires = g_date_time_new_from_unix_utc (request->expires_at);
      g_autofree char *text = _pd_api_format_date (expires, V2_DATE_FORMAT);

      add_string_member (builder, "expires", text);
    }
  json_builder_end_object (builder);

  add_amount_member (builder, request->amount, request->currency);

  json_builder_set_member_name (builder, "protocol");
  json_builder_begin_object (builder);
  if (request->return_url != NULL)
    add_string_member (builder, "returnUrl", request->return_url);
  if (request->callback_url != NULL)
    add_string_member (builder, "callbackUrl", request->callback_url);
  json_builder_end_object (builder);

  if (has_email || has_phone)
    {
      json_builder_set_member_name (builder, "customer");
      json_builder_begin_object (builder);
      if (has_email)
        add_string_member (builder, "email", request->customer_email);
      if (has_phone)
        add_string_member (builder, "phone", request->customer_phone);
      json_builder_end_object (builder);
    }

  if (request->receipt != NULL)
    {
      json_builder_set_member_name (builder, "receipt");
      json_builder_add_value (builder, json_node_copy (request->receipt));
    }

  if (request->add_members != NULL)
    request->add_members (builder, request->add_members_data);

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return pd_json_to_string (root);
}

static void
create_invoice_reply (GTask      *task,
                      JsonObject *reply)
{
  const char *payment_id = pd_json_member_text (reply, "paymentId");
  const char *url = pd_json_member_text (reply, "url");
  CreatedInvoice *invoice;
  GError *error = NULL;

  if (payment_id == NULL || *payment_id == '\0')
    _pd_api_missing_member (&error, "paymentId");
  else if (url == NULL || *url == '\0')
    _pd_api_missing_member (&error, "url");
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  invoice = g_new0 (CreatedInvoice, 1);
  invoice->payment_id = g_strdup (payment_id);
  invoice->url = g_strdup (url);
  g_task_return_pointer (task, invoice, (GDestroyNotify) created_invoice_free);
}

/**
 * pd_paymaster_api_create_invoice_async:
 * @idempotency_key: a key unique to this invoice, such as one from
 *   pd_api_new_idempotency_key()
 *
 * Creates an invoice with POST /api/v2/invoices. Keep @idempotency_key
 * with the invoice and send the same key again when retrying after a
 * timeout or a network error: PayMaster then answers with the invoice it
 * already made instead of making a second one. A new key means a new
 * invoice.
 */
void
pd_paymaster_api_create_invoice_async (PdPaymasterApi            *self,
                                       const PdApiInvoiceRequest *request,
                                       const char                *idempotency_key,
                                       GCancellable              *cancellable,
                                       GAsyncReadyCallback        callback,
                                       gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessage *msg;
  GError *error = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (PD_IS_PAYMASTER_API (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (request->merchant_id != NULL);
  g_return_if_fail (request->description != NULL);
  g_return_if_fail (request->order_no != NULL);
  g_return_if_fail (request->currency != NULL);
  g_return_if_fail (request->amount > 0 && request->amount < PD_JSON_MONEY_LIMIT);
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');

  task = _pd_api_call_task_new (self, PD_API_V2, create_invoice_reply, pd_paymaster_api_create_invoice_async,
                                cancellable, callback, user_data);
  body = invoice_body (request);
  msg = v2_message_new (self, SOUP_METHOD_POST, "/api/v2/invoices", body, idempotency_key,
                        &error);
  _pd_api_send_or_fail (g_steal_pointer (&task), msg, error);
}

/**
 * pd_paymaster_api_create_invoice_finish:
 * @payment_id: (out) (optional): PayMaster's payment id
 * @url: (out) (optional): where to send the customer
 */
gboolean
pd_paymaster_api_create_invoice_finish (PdPaymasterApi  *self,
                                        GAsyncResult    *result,
                                        char           **payment_id,
                                        char           **url,
                                        GError         **error)
{
  CreatedInvoice *invoice;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, pd_paymaster_api_create_invoice_async),
                        FALSE);

  invoice = g_task_propagate_pointer (G_TASK (result), error);
  if (invoice == NULL)
    return FALSE;
  if (payment_id != NULL)
    *payment_id = g_steal_pointer (&invoice->payment_id);
  if (url != NULL)
    *url = g_steal_pointer (&invoice->url);
  created_invoice_free (invoice);
  return TRUE;
}

static void
payment_reply (GTask      *task,
               JsonObject *reply)
{
  GError *error = NULL;
  PdApiPayment *payment = _pd_api_payment_from_object (reply, &error);

  if (payment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, payment, (GDestroyNotify) pd_api_payment_free);
}

/* GET @collection/@id, the id escaped as one path segment. */
static void
get_by_id (PdPaymasterApi      *self,
           const char          *collection,
           const char          *id,
           PdApiReplyFunc       reply_func,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = _pd_api_call_task_new (self, PD_API_V2, reply_func, source_tag,
                                                 cancellable, callback, user_data);
  g_autofree char *segment = g_uri_escape_string (id, NULL, FALSE);
  g_autofree char *path = g_strconcat (collection, segment, NULL);
  GError *error = NULL;
  SoupMessage *msg = v2_message_new (self, SOUP_METHOD_GET, path, NULL, NULL, &error);

  _pd_api_send_or_fail (g_steal_pointer (&task), msg, error);
}

void
pd_paymaster_api_get_payment_async (PdPaymasterApi      *self,
                                    const char          *payment_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (PD_IS_PAYMASTER_API (self));
  g_return_if_fail (payment_id != NULL && *payment_id != '\0');

  get_by_id (self, "/api/v2/payments/", payment_id, payment_reply,
             pd_paymaster_api_get_payment_async, cancellable, callback, user_data);
}

PdApiPayment *
pd_paymaster_api_get_payment_finish (PdPaymasterApi  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, pd_paymaster_api_get_payment_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void list_payments_send (GTask      *task,
                                const char *cursor);

static void
list_payments_reply (GTask      *task,
                     JsonObject *reply)
{
  PdPaymasterApi *self = g_task_get_source_object (task);
  PdApiCall *call = g_task_get_task_data (task);
  JsonArray *items = pd_json_member_array (reply, "items");
  const char *cursor = pd_json_member_text (reply, "cursor");
  GError *error = NULL;

  if (items == NULL)
    {
      _pd_api_missing_member (&error, "items");
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      PdApiPayment *payment = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        payment = _pd_api_payment_from_object (json_node_get_object (node), &error);
      else
        _pd_api_missing_member (&error, "items");
      if (payment == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (call->payments, payment);
    }

  /* The last page has no cursor; an empty page ends the listing too. */
  if (cursor == NULL || *cursor == '\0' || json_array_get_length (items) == 0)
    {
      g_task_return_pointer (task, g_ptr_array_ref (call->payments),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if (g_hash_table_contains (call->cursors, cursor))
    {
      g_task_return_new_error (task, PD_API_ERROR, PD_API_ERROR_INVALID_RESPONSE,
                               _("PayMaster sent the same page of payments twice: try again "
                                 "later."));
      return;
    }
  if (g_hash_table_size (call->cursors) + 1 >= self->max_pages)
    {
      g_task_return_new_error (task, PD_API_ERROR, PD_API_ERROR_TOO_MANY_PAGES,
                               _("PayMaster listed more pages of payments than Paydesk reads at "
                                 "once: choose a shorter period."));
      return;
    }

  g_hash_table_add (call->cursors, g_strdup (cursor));
  list_payments_send (g_object_ref (task), cursor);
}

/* Takes @task over. */
static void
list_payments_send (GTask      *task,
                    const char *cursor)
{
  PdPaymasterApi *self = g_task_get_source_object (task);
  PdApiCall *call = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  GError *error = NULL;
  SoupMessage *msg;

  if (cursor != NULL)
    {
      g_autoptr(GString) query = g_string_new (call->path);

      g_string_append (query, "&cursor=");
      pd_form_append_encoded (query, cursor);
      path = g_string_free (g_steal_pointer (&query), FALSE);
    }

  msg = v2_message_new (self, SOUP_METHOD_GET, path ? path : call->path, NULL, NULL, &error);
  _pd_api_send_or_fail (task, msg, error);
}

/**
 * pd_paymaster_api_list_payments_async:
 *
 * Lists the merchant's payments created between @start and @end with
 * GET /api/v2/payments, following the cursor page by page. Fails with
 * %PD_API_ERROR_TOO_MANY_PAGES rather than return part of a listing
 * longer than #PdPaymasterApi:max-pages pages.
 */
void
pd_paymaster_api_list_payments_async (PdPaymasterApi      *self,
                                      const char          *merchant_id,
                                      GDateTime           *start,
                                      GDateTime           *end,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(PdForm) form = pd_form_new ();
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GTask) task = NULL;
  PdApiCall *call;

  g_return_if_fail (PD_IS_PAYMASTER_API (self));
  g_return_if_fail (merchant_id != NULL);
  g_return_if_fail (start != NULL);
  g_return_if_fail (end != NULL);

  start_text = _pd_api_format_date (start, V2_DATE_FORMAT);
  end_text = _pd_api_format_date (end, V2_DATE_FORMAT);
  pd_form_add (form, "merchantId", merchant_id);
  pd_form_add (form, "start", start_text);
  pd_form_add (form, "end", end_text);
  query = pd_form_encode (form);

  task = _pd_api_call_task_new (self, PD_API_V2, list_payments_reply, pd_paymaster_api_list_payments_async,
                                cancellable, callback, user_data);
  call = g_task_get_task_data (task);
  call->path = g_strconcat ("/api/v2/payments?", query, NULL);
  call->payments = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_api_payment_free);
  call->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list_payments_send (g_steal_pointer (&task), NULL);
}

/**
 * pd_paymaster_api_list_payments_finish:
 *
 * Returns: (transfer container) (element-type PdApiPayment): the payments,
 *   in PayMaster's order; the array frees them
 */
GPtrArray *
pd_paymaster_api_list_payments_finish (PdPaymasterApi  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, pd_paymaster_api_list_payments_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
refund_reply (GTask      *task,
              JsonObject *reply)
{
  GError *error = NULL;
  PdApiRefund *refund = _pd_api_refund_from_object (reply, &error);

  if (refund == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, refund, (GDestroyNotify) pd_api_refund_free);
}

/**
 * pd_paymaster_api_create_refund_async:
 * @amount: kopecks to return, > 0
 * @idempotency_key: as for pd_paymaster_api_create_invoice_async(): the
 *   same key again when retrying the same refund
 *
 * Refunds all or part of a payment with POST /api/v2/refunds.
 */
void
pd_paymaster_api_create_refund_async (PdPaymasterApi      *self,
                                      const char          *payment_id,
                                      gint64               amount,
                                      const char          *currency,
                                      const char          *idempotency_key,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  GError *error = NULL;
  g_autoptr(GTask) task = NULL;
  SoupMessage *msg;

  g_return_if_fail (PD_IS_PAYMASTER_API (self));
  g_return_if_fail (payment_id != NULL && *payment_id != '\0');
  g_return_if_fail (amount > 0 && amount < PD_JSON_MONEY_LIMIT);
  g_return_if_fail (currency != NULL);
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');

  json_builder_begin_object (builder);
  add_string_member (builder, "paymentId", payment_id);
  add_amount_member (builder, amount, currency);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = pd_json_to_string (root);

  task = _pd_api_call_task_new (self, PD_API_V2, refund_reply, pd_paymaster_api_create_refund_async,
                                cancellable, callback, user_data);
  msg = v2_message_new (self, SOUP_METHOD_POST, "/api/v2/refunds", body, idempotency_key,
                        &error);
  _pd_api_send_or_fail (g_steal_pointer (&task), msg, error);
}

PdApiRefund *
pd_paymaster_api_create_refund_finish (PdPaymasterApi  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, pd_paymaster_api_create_refund_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pd_paymaster_api_get_refund_async (PdPaymasterApi      *self,
                                   const char          *refund_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PD_IS_PAYMASTER_API (self));
  g_return_if_fail (refund_id != NULL && *refund_id != '\0');

  get_by_id (self, "/api/v2/refunds/", refund_id, refund_reply,
             pd_paymaster_api_get_refund_async, cancellable, callback, user_data);
}

PdApiRefund *
pd_paymaster_api_get_refund_finish (PdPaymasterApi  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, pd_paymaster_api_get_refund_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

