/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-api"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>

#include "pd-form.h"
#include "pd-json.h"
#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-paymaster-api-private.h"

/* How the classic API's periods are written; its time zone is not
 * documented (spec section 3), so callers should overlap their windows. */
#define CLASSIC_PERIOD_FORMAT "%Y-%m-%dT%H:%M:%S"

/* The classic hash: base64 (SHA1 (UTF-8 "login;password;nonce;p1;p2…")).
 * @params is NULL-terminated; an absent optional parameter must be passed
 * as "" so that it keeps its place. */
char *
pd_classic_api_hash (const char         *login,
                     const char         *password,
                     const char         *nonce,
                     const char * const *params)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char *hash;

  g_return_val_if_fail (login != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (nonce != NULL, NULL);

  g_string_append (text, login);
  g_string_append_c (text, ';');
  g_string_append (text, password);
  g_string_append_c (text, ';');
  g_string_append (text, nonce);
  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    {
      g_string_append_c (text, ';');
      g_string_append (text, params[i]);
    }

  hash = pd_paymaster_digest_base64 (PD_HASH_SHA1, text->str, text->len);
  OPENSSL_cleanse (text->str, text->len);
  return hash;
}

/* A nonce: unique per call, 32 hex digits, no ';'. */
static char *
classic_nonce (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  GString *nonce = g_string_new (NULL);

  for (const char *p = uuid; *p; p++)
    if (*p != '-')
      g_string_append_c (nonce, *p);
  return g_string_free (nonce, FALSE);
}

/* A classic request. @names and @values are the method's parameters in
 * the order they are hashed; a NULL value is absent: an empty string in
 * the hash and left out of the request.
 *
 * The call goes out as GET with the parameters in the query string, as
 * PayMaster's pages and the public integrations send it. Only the login,
 * the nonce and the hash travel, never the password. To send a POST form
 * instead, change this function alone. */
static SoupMessage *
classic_message_new (PdPaymasterApi     *self,
                     const char         *method,
                     const char * const *names,
                     const char * const *values,
                     guint               n_params,
                     GError            **error)
{
  g_autoptr(PdForm) form = pd_form_new ();
  g_autofree const char **hashed = g_new0 (const char *, n_params + 1);
  g_autofree char *nonce = classic_nonce ();
  g_autofree char *hash = NULL;
  g_autofree char *query = NULL;
  g_autofree char *url = NULL;
  SoupMessage *msg;

  if (self->classic_login == NULL || self->classic_password == NULL)
    {
      g_set_error_literal (error, PD_API_ERROR, PD_API_ERROR_NO_CREDENTIALS,
                           _("No PayMaster API user is set: create an API user in the PayMaster "
                             "cabinet and enter its login and password in Paydesk."));
      return NULL;
    }

  for (guint i = 0; i < n_params; i++)
    hashed[i] = values[i] != NULL ? values[i] : "";
  hash = pd_classic_api_hash (self->classic_login, self->classic_password, nonce, hashed);

  pd_form_add (form, "login", self->classic_login);
  pd_form_add (form, "nonce", nonce);
  pd_form_add (form, "hash", hash);
  for (guint i = 0; i < n_params; i++)
    if (values[i] != NULL)
      pd_form_add (form, names[i], values[i]);

  query = pd_form_encode (form);
  url = g_strconcat (self->classic_url, method, "?", query, NULL);
  msg = _pd_api_message_new (SOUP_METHOD_GET, url, self->classic_url, error);
  if (msg != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "Accept", "application/json");
  return msg;
}


/* Classic status and refund API */

/* The answer's payload. Integrations read it from "Response"; a payment
 * may also sit one level deeper, under "Payment". */
static JsonObject *
classic_response_object (JsonObject *reply)
{
  JsonObject *response = pd_json_member_object (reply, "Response");
  JsonObject *payment = pd_json_member_object (response, "Payment");

  return payment != NULL ? payment : response;
}

static void
classic_payment_reply (GTask      *task,
                       JsonObject *reply)
{
  JsonObject *object = classic_response_object (reply);
  GError *error = NULL;
  PdClassicPayment *payment;

  if (object == NULL)
    {
      _pd_api_missing_member (&error, "Response");
      g_task_return_error (task, error);
      return;
    }

  payment = _pd_api_classic_payment_from_object (object, &error);
  if (payment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, payment, (GDestroyNotify) pd_classic_payment_free);
}

void
pd_paymaster_api_get_payment_by_invoice_async (PdPaymasterApi      *self,
                                               const char          *invoice_id,
                                               const char          *site_alias,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  static const char *names[] = { "invoiceID", "siteAlias" };
  const char *values[] = { invoice_id, site_alias };
  GError *error = NULL;
  g_autoptr(GTask) task = NULL;
  SoupMessage *msg;

  g_return_if_fail (PD_IS_PAYMASTER_API (self));
  g_return_if_fail (invoice_id != NULL && *invoice_id != '\0');
  g_return_if_fail (site_alias != NULL && *site_alias != '\0');

  task = _pd_api_call_task_new (self, PD_API_CLASSIC, classic_payment_reply,
                                pd_paymaster_api_get_payment_by_invoice_async,
                                cancellable, callback, user_data);
  msg = classic_message_new (self, "getPaymentByInvoiceID", names, values,
                             G_N_ELEMENTS (names), &error);
  _pd_api_send_or_fail (g_steal_pointer (&task), msg, error);
}

PdClassicPayment *
pd_paymaster_api_get_payment_by_invoice_finish (PdPaymasterApi  *self,
                                                GAsyncResult    *result,
                                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  pd_paymaster_api_get_payment_by_invoice_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
classic_list_reply (GTask      *task,
                    JsonObject *reply)
{
  JsonNode *response = json_object_get_member (reply, "Response");
  g_autoptr(GPtrArray) payments =
    g_ptr_array_new_with_free_func ((GDestroyNotify) pd_classic_payment_free);
  JsonArray *items = NULL;
  GError *error = NULL;

  /* "Response" is the list itself, or holds it as "Payments". */
  if (response != NULL && JSON_NODE_HOLDS_ARRAY (response))
    items = json_node_get_array (response);
  else if (response != NULL && JSON_NODE_HOLDS_OBJECT (response))
    items = pd_json_member_array (json_node_get_object (response), "Payments");

  if (items == NULL)
    {
      _pd_api_missing_member (&error, "Response.Payments");
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      PdClassicPayment *payment = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        payment = _pd_api_classic_payment_from_object (json_node_get_object (node), &error);
      else
        _pd_api_missing_member (&error, "Response.Payments");
      if (payment == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (payments, payment);
    }

  g_task_return_pointer (task, g_steal_pointer (&payments), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * pd_paymaster_api_list_payments_filter_async:
 * @account_id: (nullable): the merchant's account, or %NULL
 * @period_from: (nullable): the period's start, or %NULL
 * @period_to: (nullable): the period's end, or %NULL
 * @invoice_id: (nullable): one invoice number, or %NULL
 * @state: a state, or %PD_CLASSIC_STATE_UNKNOWN for any
 *
 * Lists payments with the classic listPaymentsFilter.
 */
void
pd_paymaster_api_list_payments_filter_async (PdPaymasterApi      *self,
                                             const char          *account_id,
                                             const char          *site_alias,
                                             GDateTime           *period_from,
                                             GDateTime           *period_to,
                                             const char          *invoice_id,
                                             PdClassicState       state,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  static const char *names[] = {
    "accountID", "siteAlias", "periodFrom", "periodTo", "invoiceID", "state",
  };
  g_autofree char *from = period_from ? _pd_api_format_date (period_from, CLASSIC_PERIOD_FORMAT) : NULL;
  g_autofree char *to = period_to ? _pd_api_format_date (period_to, CLASSIC_PERIOD_FORMAT) : NULL;
  const char *state_text = state != PD_CLASSIC_STATE_UNKNOWN
                           ? pd_classic_state_to_string (state) : NULL;
  const char *values[] = { account_id, site_alias, from, to, invoice_id, state_text };
  GError *error = NULL;
  g_autoptr(GTask) task = NULL;
  SoupMessage *msg;

  g_return_if_fail (PD_IS_PAYMASTER_API (self));
  g_return_if_fail (site_alias != NULL && *site_alias != '\0');

  task = _pd_api_call_task_new (self, PD_API_CLASSIC, classic_list_reply,
                                pd_paymaster_api_list_payments_filter_async,
                                cancellable, callback, user_data);
  msg = classic_message_new (self, "listPaymentsFilter", names, values,
                             G_N_ELEMENTS (names), &error);
  _pd_api_send_or_fail (g_steal_pointer (&task), msg, error);
}

/**
 * pd_paymaster_api_list_payments_filter_finish:
 *
 * Returns: (transfer container) (element-type PdClassicPayment): the payments
 */
GPtrArray *
pd_paymaster_api_list_payments_filter_finish (PdPaymasterApi  *self,
                                              GAsyncResult    *result,
                                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  pd_paymaster_api_list_payments_filter_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char *refund_id;
  char *state;
} ClassicRefund;

static void
classic_refund_free (ClassicRefund *refund)
{
  g_free (refund->refund_id);
  g_free (refund->state);
  g_free (refund);
}

static void
classic_refund_reply (GTask      *task,
                      JsonObject *reply)
{
  JsonObject *response = pd_json_member_object (reply, "Response");
  ClassicRefund *refund = g_new0 (ClassicRefund, 1);

  /* The answer's shape is not in the spec: an ErrorCode of 0 is the
   * success, the refund's id and state are read when they are there. */
  refund->refund_id = pd_json_member_dup (response, "RefundID");
  if (refund->refund_id == NULL)
    refund->refund_id = pd_json_member_dup (response, "ID");
  refund->state = pd_json_member_dup (response, "State");
  if (refund->state == NULL)
    refund->state = pd_json_member_dup (response, "Status");
  g_task_return_pointer (task, refund, (GDestroyNotify) classic_refund_free);
}

/**
 * pd_paymaster_api_refund_payment_async:
 * @amount: kopecks to return, > 0
 * @external_id: (nullable): the shop's own id for the refund
 *
 * Refunds all or part of a payment with the classic refundPayment (the API
 * user needs the Accountant role).
 */
void
pd_paymaster_api_refund_payment_async (PdPaymasterApi      *self,
                                       const char          *payment_id,
                                       gint64               amount,
                                       const char          *external_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  static const char *names[] = { "paymentID", "amount", "externalID" };
  g_autofree char *amount_text = pd_money_format (amount);
  const char *values[] = { payment_id, amount_text, external_id };
  GError *error = NULL;
  g_autoptr(GTask) task = NULL;
  SoupMessage *msg;

  g_return_if_fail (PD_IS_PAYMASTER_API (self));
  g_return_if_fail (payment_id != NULL && *payment_id != '\0');
  g_return_if_fail (amount > 0);

  task = _pd_api_call_task_new (self, PD_API_CLASSIC, classic_refund_reply,
                                pd_paymaster_api_refund_payment_async,
                                cancellable, callback, user_data);
  msg = classic_message_new (self, "refundPayment", names, values,
                             G_N_ELEMENTS (names), &error);
  _pd_api_send_or_fail (g_steal_pointer (&task), msg, error);
}

/**
 * pd_paymaster_api_refund_payment_finish:
 * @refund_id: (out) (optional) (nullable): the refund's id, if PayMaster sent one
 * @state: (out) (optional) (nullable): the refund's state, if PayMaster sent one
 */
gboolean
pd_paymaster_api_refund_payment_finish (PdPaymasterApi  *self,
                                        GAsyncResult    *result,
                                        char           **refund_id,
                                        char           **state,
                                        GError         **error)
{
  ClassicRefund *refund;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, pd_paymaster_api_refund_payment_async),
                        FALSE);

  refund = g_task_propagate_pointer (G_TASK (result), error);
  if (refund == NULL)
    return FALSE;
  if (refund_id != NULL)
    *refund_id = g_steal_pointer (&refund->refund_id);
  if (state != NULL)
    *state = g_steal_pointer (&refund->state);
  classic_refund_free (refund);
  return TRUE;
}

