/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-api"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-json.h"
#include "pd-paymaster-api-private.h"

/* Enums and their names */

static const char *payment_status_names[] = {
  [PD_API_PAYMENT_UNKNOWN] = "Unknown",
  [PD_API_PAYMENT_PENDING] = "Pending",
  [PD_API_PAYMENT_AUTHORIZED] = "Authorized",
  [PD_API_PAYMENT_SETTLED] = "Settled",
  [PD_API_PAYMENT_CANCELLED] = "Cancelled",
  [PD_API_PAYMENT_REJECTED] = "Rejected",
  [PD_API_PAYMENT_CONFIRMATION] = "Confirmation",
};

const char *
pd_api_payment_status_to_string (PdApiPaymentStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (payment_status_names), NULL);
  return payment_status_names[status];
}

PdApiPaymentStatus
pd_api_payment_status_from_string (const char *text)
{
  for (guint i = PD_API_PAYMENT_UNKNOWN + 1; i < G_N_ELEMENTS (payment_status_names); i++)
    if (text != NULL && g_ascii_strcasecmp (text, payment_status_names[i]) == 0)
      return i;
  return PD_API_PAYMENT_UNKNOWN;
}

static const char *classic_state_names[] = {
  [PD_CLASSIC_STATE_UNKNOWN] = "",
  [PD_CLASSIC_STATE_INITIATED] = "INITIATED",
  [PD_CLASSIC_STATE_PROCESSING] = "PROCESSING",
  [PD_CLASSIC_STATE_COMPLETE] = "COMPLETE",
  [PD_CLASSIC_STATE_CANCELLED] = "CANCELLED",
};

/* UNKNOWN is the empty string: as a filter it asks for any state. */
const char *
pd_classic_state_to_string (PdClassicState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (classic_state_names), NULL);
  return classic_state_names[state];
}

PdClassicState
pd_classic_state_from_string (const char *text)
{
  for (guint i = PD_CLASSIC_STATE_UNKNOWN + 1; i < G_N_ELEMENTS (classic_state_names); i++)
    if (text != NULL && g_ascii_strcasecmp (text, classic_state_names[i]) == 0)
      return i;
  return PD_CLASSIC_STATE_UNKNOWN;
}

/* Reading records */

/* Sets @error for an answer that lacks @name (a dotted path for people)
 * and returns NULL, for a caller's `return`. */
gpointer
_pd_api_missing_member (GError     **error,
                        const char  *name)
{
  g_set_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_RESPONSE,
               _("PayMaster sent an answer without a valid “%s”."), name);
  return NULL;
}

/* pd-json reports malformed JSON and amounts in its own domain; to the
 * callers of this client they are answers PayMaster should not send. */
static gboolean
from_json_error (gboolean   ok,
                 GError   **error)
{
  if (!ok && error != NULL && *error != NULL && (*error)->domain == PD_JSON_ERROR)
    {
      (*error)->domain = PD_API_ERROR;
      (*error)->code = PD_API_ERROR_INVALID_RESPONSE;
    }
  return ok;
}

/* Parses an answer from PayMaster (or a callback's body) into an object,
 * numbers read exactly, as pd_json_parse_object() does. */
JsonNode *
_pd_api_parse_object (const char  *data,
                              gsize        length,
                              GError     **error)
{
  JsonNode *root = pd_json_parse_object (data, length, error);

  from_json_error (root != NULL, error);
  return root;
}

/* Reads a JSON number's text (or a string holding one) as kopecks,
 * exactly, as pd_json_amount_parse() does. */
gboolean
pd_api_amount_parse (const char  *text,
                     gint64      *kopecks,
                     GError     **error)
{
  return from_json_error (pd_json_amount_parse (text, kopecks, error), error);
}

/* Payments and refunds */

void
pd_api_payment_free (PdApiPayment *payment)
{
  if (payment == NULL)
    return;
  g_free (payment->id);
  g_free (payment->created);
  g_free (payment->status_text);
  g_free (payment->message);
  g_free (payment->merchant_id);
  g_free (payment->currency);
  g_free (payment->order_no);
  g_free (payment->description);
  g_free (payment->payment_method);
  g_free (payment->instrument_title);
  g_free (payment);
}

PdApiPayment *
pd_api_payment_copy (const PdApiPayment *payment)
{
  PdApiPayment *copy;

  g_return_val_if_fail (payment != NULL, NULL);

  copy = g_memdup2 (payment, sizeof *payment);
  copy->id = g_strdup (payment->id);
  copy->created = g_strdup (payment->created);
  copy->status_text = g_strdup (payment->status_text);
  copy->message = g_strdup (payment->message);
  copy->merchant_id = g_strdup (payment->merchant_id);
  copy->currency = g_strdup (payment->currency);
  copy->order_no = g_strdup (payment->order_no);
  copy->description = g_strdup (payment->description);
  copy->payment_method = g_strdup (payment->payment_method);
  copy->instrument_title = g_strdup (payment->instrument_title);
  return copy;
}

void
pd_api_refund_free (PdApiRefund *refund)
{
  if (refund == NULL)
    return;
  g_free (refund->id);
  g_free (refund->payment_id);
  g_free (refund->created);
  g_free (refund->status);
  g_free (refund->currency);
  g_free (refund);
}

static gboolean
read_amount (JsonObject  *object,
             gint64      *kopecks,
             char       **currency,
             GError     **error)
{
  JsonObject *amount = pd_json_member_object (object, "amount");
  const char *value = pd_json_member_text (amount, "value");
  const char *code = pd_json_member_text (amount, "currency");

  if (value == NULL)
    {
      _pd_api_missing_member (error, "amount.value");
      return FALSE;
    }
  if (code == NULL || *code == '\0')
    {
      _pd_api_missing_member (error, "amount.currency");
      return FALSE;
    }
  if (!pd_api_amount_parse (value, kopecks, error))
    return FALSE;
  *currency = g_strdup (code);
  return TRUE;
}

PdApiPayment *
_pd_api_payment_from_object (JsonObject  *object,
                             GError     **error)
{
  g_autoptr(PdApiPayment) payment = g_new0 (PdApiPayment, 1);
  JsonObject *invoice = pd_json_member_object (object, "invoice");
  JsonObject *payment_data = pd_json_member_object (object, "paymentData");

  payment->id = pd_json_member_dup (object, "id");
  if (payment->id == NULL || *payment->id == '\0')
    return _pd_api_missing_member (error, "id");
  payment->status_text = pd_json_member_dup (object, "status");
  if (payment->status_text == NULL)
    return _pd_api_missing_member (error, "status");
  payment->status = pd_api_payment_status_from_string (payment->status_text);
  if (!read_amount (object, &payment->amount, &payment->currency, error))
    return NULL;

  payment->created = pd_json_member_dup (object, "created");
  payment->test_mode = pd_json_member_bool (object, "testMode");
  payment->message = pd_json_member_dup (object, "message");
  payment->merchant_id = pd_json_member_dup (object, "merchantId");
  payment->order_no = pd_json_member_dup (invoice, "orderNo");
  payment->description = pd_json_member_dup (invoice, "description");
  payment->payment_method = pd_json_member_dup (payment_data, "paymentMethod");
  payment->instrument_title = pd_json_member_dup (payment_data, "paymentInstrumentTitle");
  return g_steal_pointer (&payment);
}

/* Reads a payment object as GET /api/v2/payments/{id} returns it and as a
 * v2 callback carries it. A leading byte order mark is allowed. */
PdApiPayment *
pd_api_payment_from_json (const char  *json,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (json != NULL || length == 0, NULL);

  root = _pd_api_parse_object (json, length, error);
  if (root == NULL)
    return NULL;
  return _pd_api_payment_from_object (json_node_get_object (root), error);
}

PdApiRefund *
_pd_api_refund_from_object (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(PdApiRefund) refund = g_new0 (PdApiRefund, 1);

  refund->id = pd_json_member_dup (object, "id");
  if (refund->id == NULL || *refund->id == '\0')
    return _pd_api_missing_member (error, "id");
  if (pd_json_member_object (object, "amount") != NULL &&
      !read_amount (object, &refund->amount, &refund->currency, error))
    return NULL;
  refund->payment_id = pd_json_member_dup (object, "paymentId");
  refund->created = pd_json_member_dup (object, "created");
  refund->status = pd_json_member_dup (object, "status");
  return g_steal_pointer (&refund);
}

void
pd_classic_payment_free (PdClassicPayment *payment)
{
  if (payment == NULL)
    return;
  g_free (payment->payment_id);
  g_free (payment->site_invoice_id);
  g_free (payment->site_id);
  g_free (payment->currency_code);
  g_free (payment->state_text);
  g_free (payment->last_update_time);
  g_free (payment->payment_system_id);
  g_free (payment->purpose);
  g_free (payment->user_identifier);
  g_free (payment);
}

PdClassicPayment *
_pd_api_classic_payment_from_object (JsonObject  *object,
                                     GError     **error)
{
  g_autoptr(PdClassicPayment) payment = g_new0 (PdClassicPayment, 1);
  const char *amount = pd_json_member_text (object, "Amount");
  const char *paid = pd_json_member_text (object, "PaymentAmount");

  payment->payment_id = pd_json_member_dup (object, "PaymentID");
  if (payment->payment_id == NULL || *payment->payment_id == '\0')
    return _pd_api_missing_member (error, "PaymentID");
  if (amount == NULL)
    return _pd_api_missing_member (error, "Amount");
  if (!pd_api_amount_parse (amount, &payment->amount, error))
    return NULL;
  if (paid != NULL && !pd_api_amount_parse (paid, &payment->payment_amount, error))
    return NULL;

  payment->state_text = pd_json_member_dup (object, "State");
  payment->state = pd_classic_state_from_string (payment->state_text);
  payment->site_invoice_id = pd_json_member_dup (object, "SiteInvoiceID");
  payment->site_id = pd_json_member_dup (object, "SiteID");
  payment->currency_code = pd_json_member_dup (object, "CurrencyCode");
  payment->is_test_payment = pd_json_member_bool (object, "IsTestPayment");
  payment->last_update_time = pd_json_member_dup (object, "LastUpdateTime");
  payment->payment_system_id = pd_json_member_dup (object, "PaymentSystemID");
  payment->purpose = pd_json_member_dup (object, "Purpose");
  payment->user_identifier = pd_json_member_dup (object, "UserIdentifier");
  return g_steal_pointer (&payment);
}
