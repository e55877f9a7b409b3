/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-refunder"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog.h"
#include "pd-refunder.h"
#include "pd-refunds.h"

/* Refunds a paid invoice, in full or in part, through the shop's protocol:
 * POST /api/v2/refunds, or the classic refundPayment. The refund is
 * written down first (pd-refunds.c), then asked for, then PayMaster's
 * answer is written down and kept as an event. */

#define PATH_V2_REFUNDS      "/api/v2/refunds"
#define PATH_CLASSIC_REFUND  "/partners/rest/refundPayment"

typedef struct
{
  PdStore          *store;
  PdShop           *shop;
  PdPaymasterApi   *api;
  char             *invoice_number;
  gint64            amount;
  PdRefundRequest  *request;
  char             *paymaster_id;
  char             *failure;
  GError           *error;         /* PayMaster's refusal, for the caller */
} Refund;

static void
refund_free (Refund *refund)
{
  g_clear_object (&refund->store);
  g_clear_pointer (&refund->shop, pd_shop_free);
  g_clear_object (&refund->api);
  g_free (refund->invoice_number);
  g_clear_pointer (&refund->request, pd_refund_request_free);
  g_free (refund->paymaster_id);
  g_free (refund->failure);
  g_clear_error (&refund->error);
  g_free (refund);
}

static gpointer
begin_in_writer (PdDatabase  *db,
                 gpointer     data,
                 GError     **error)
{
  const Refund *refund = data;

  return pd_refunds_begin (db, refund->invoice_number, refund->amount, error);
}

static gpointer
finish_in_writer (PdDatabase  *db,
                  gpointer     data,
                  GError     **error)
{
  const Refund *refund = data;
  const char *path = refund->shop->protocol == PD_PROTOCOL_V2 ? PATH_V2_REFUNDS : PATH_CLASSIC_REFUND;

  if (!pd_refunds_finish (db, refund->request, refund->paymaster_id, refund->failure, path, error))
    return NULL;
  return pd_catalog_get_invoice_by_id (db, refund->request->invoice_id, error);
}

static void
finished_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refund *refund = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PdInvoice *invoice = pd_store_write_finish (PD_STORE (object), result, &error);

  if (invoice == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pd_store_event_recorded (refund->store, PD_EVENT_REFUND,
                           refund->failure ? PD_VERDICT_REJECTED : PD_VERDICT_ACCEPTED,
                           invoice->id, invoice->number);
  pd_store_invoice_changed (refund->store, invoice->id, invoice->number);
  if (refund->error != NULL)
    {
      pd_invoice_free (invoice);
      g_task_return_error (task, g_steal_pointer (&refund->error));
      return;
    }
  g_task_return_pointer (task, invoice, (GDestroyNotify) pd_invoice_free);
}

/* An answer that never came leaves the refund unanswered, to be asked
 * again with the same key; a refusal is written down. */
static void
answered (GTask  *task,
          GError *error)
{
  Refund *refund = g_task_get_task_data (task);

  if (pd_api_error_is_unanswered (error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_prefix_error (&error, "%s ", _("PayMaster's answer did not come, so it is not known "
                                       "whether the refund was made. Ask for it again: Paydesk "
                                       "repeats the same request, which cannot refund twice."));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (error != NULL)
    {
      refund->failure = g_strdup (error->message);
      refund->error = error;
    }
  pd_store_write_async (refund->store, finish_in_writer, refund, NULL,
                        (GDestroyNotify) pd_invoice_free, NULL, finished_cb, task);
}

static void
v2_refunded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Refund *refund = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(PdApiRefund) answer = pd_paymaster_api_create_refund_finish (PD_PAYMASTER_API (object),
                                                                         result, &error);

  if (answer != NULL)
    refund->paymaster_id = g_strdup (answer->id);
  answered (task, error);
}

static void
classic_refunded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Refund *refund = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *state = NULL;

  pd_paymaster_api_refund_payment_finish (PD_PAYMASTER_API (object), result,
                                          &refund->paymaster_id, &state, &error);
  answered (task, error);
}

static void
begun_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refund *refund = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const PdRefundRequest *request;

  refund->request = pd_store_write_finish (PD_STORE (object), result, &error);
  if (refund->request == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Not cancellable from here on: an answer must be written down. */
  request = refund->request;
  if (refund->shop->protocol == PD_PROTOCOL_V2)
    pd_paymaster_api_create_refund_async (refund->api, request->payment_id, request->amount,
                                          request->currency, request->idempotency_key, NULL,
                                          v2_refunded_cb, g_steal_pointer (&task));
  else
    pd_paymaster_api_refund_payment_async (refund->api, request->payment_id, request->amount,
                                           request->idempotency_key, NULL,
                                           classic_refunded_cb, g_steal_pointer (&task));
}

/**
 * pd_refunder_refund_async:
 * @amount: kopecks to refund, or 0 for all that is left
 *
 * Refunds the payment of paid invoice @invoice_number. When an earlier
 * refund of it is still unanswered, that one is asked again instead
 * (pd_refunder_refund_finish() says how much it was).
 */
void
pd_refunder_refund_async (PdStore             *store,
                          const PdShop        *shop,
                          PdPaymasterApi      *api,
                          const char          *invoice_number,
                          gint64               amount,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Refund *refund = g_new0 (Refund, 1);

  g_task_set_source_tag (task, pd_refunder_refund_async);
  g_task_set_task_data (task, refund, (GDestroyNotify) refund_free);
  refund->store = g_object_ref (store);
  refund->shop = pd_shop_copy (shop);
  refund->invoice_number = g_strdup (invoice_number);
  refund->amount = amount;

  if (api == NULL)
    {
      g_task_return_new_error (task, PD_API_ERROR, PD_API_ERROR_NO_CREDENTIALS, "%s",
                               shop->protocol == PD_PROTOCOL_V2
                                 ? _("Refunds need the PayMaster API token: enter it in "
                                     "Preferences or run the setup again.")
                                 : _("Refunds need a PayMaster API user with the Accountant "
                                     "role: enter its login and password in Preferences or "
                                     "run the setup again."));
      return;
    }
  refund->api = g_object_ref (api);

  pd_store_write_async (store, begin_in_writer, refund, NULL,
                        (GDestroyNotify) pd_refund_request_free, cancellable, begun_cb,
                        g_steal_pointer (&task));
}

/**
 * pd_refunder_refund_finish:
 * @refunded: (out) (optional): the kopecks this refund was for
 *
 * Returns: the invoice as it is after the refund.
 */
PdInvoice *
pd_refunder_refund_finish (GAsyncResult  *result,
                           gint64        *refunded,
                           GError       **error)
{
  Refund *refund = g_task_get_task_data (G_TASK (result));
  PdInvoice *invoice = g_task_propagate_pointer (G_TASK (result), error);

  if (refunded != NULL)
    *refunded = invoice != NULL && refund->request != NULL ? refund->request->amount : 0;
  return invoice;
}
