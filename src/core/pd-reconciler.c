/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-reconciler"

#include "config.h"

#include "pd-catalog.h"
#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-reconciler.h"

/* A reconciliation pass needs no inbound connection: it asks PayMaster's
 * classic status API about every invoice still open and records what it
 * says through the same ledger rules as a notification, so a merchant
 * behind a home router still sees invoices turn Paid. Invoices are asked
 * about one at a time, which keeps PayMaster's rate limits happy. */

typedef struct
{
  PdStore        *store;
  PdShop         *shop;
  PdPaymasterApi *api;
  GPtrArray      *numbers;   /* of the open invoices */
  guint           next;
  GPtrArray      *changes;   /* PdSyncChange */
} Sync;

void
pd_sync_change_free (PdSyncChange *change)
{
  if (change == NULL)
    return;
  g_free (change->invoice_number);
  g_free (change->payment_id);
  g_free (change->reason);
  g_free (change);
}

static void
sync_free (Sync *sync)
{
  g_clear_object (&sync->store);
  g_clear_pointer (&sync->shop, pd_shop_free);
  g_clear_object (&sync->api);
  g_clear_pointer (&sync->numbers, g_ptr_array_unref);
  g_clear_pointer (&sync->changes, g_ptr_array_unref);
  g_free (sync);
}

static void ask_next (GTask *task);

/* The status API's answer in the fields of the notification it stands
 * for, so that the ledger judges both alike. */
static PdInbound *
inbound_from_payment (const PdShop           *shop,
                      const PdClassicPayment *payment)
{
  g_autoptr(PdForm) form = pd_form_new ();
  g_autofree char *amount = pd_money_format (payment->amount);
  PdInbound *inbound = pd_inbound_new ();

  pd_form_add (form, "LMI_MERCHANT_ID",
               payment->site_id && *payment->site_id ? payment->site_id : shop->merchant_id);
  pd_form_add (form, "LMI_PAYMENT_NO", payment->site_invoice_id);
  pd_form_add (form, "LMI_SYS_PAYMENT_ID", payment->payment_id);
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", amount);
  pd_form_add (form, "LMI_CURRENCY", payment->currency_code);
  if (payment->is_test_payment)
    pd_form_add (form, "LMI_SIM_MODE", "0");

  inbound->method = g_strdup ("GET");
  inbound->path = g_strdup ("/partners/rest/getPaymentByInvoiceID");
  inbound->body = pd_form_encode (form);
  inbound->from_status_api = TRUE;
  return inbound;
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdLedgerDecision) decision = pd_store_record_finish (PD_STORE (object), result, &error);

  if (decision == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (decision->verdict != PD_VERDICT_DUPLICATE)
    {
      PdSyncChange *change = g_new0 (PdSyncChange, 1);

      change->invoice_number = g_strdup (sync->numbers->pdata[sync->next - 1]);
      change->verdict = decision->verdict;
      change->reason = g_steal_pointer (&decision->reason);
      g_ptr_array_add (sync->changes, change);
    }

  ask_next (g_steal_pointer (&task));
}

static void
payment_found_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  PdClassicPayment *payment;

  payment = pd_paymaster_api_get_payment_by_invoice_finish (PD_PAYMASTER_API (object), result, &error);
  if (payment == NULL)
    {
      /* No payment yet is the usual answer for an open invoice. */
      if (g_error_matches (error, PD_API_ERROR, PD_API_ERROR_NOT_FOUND))
        ask_next (g_steal_pointer (&task));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (payment->state != PD_CLASSIC_STATE_COMPLETE)
    {
      pd_classic_payment_free (payment);
      ask_next (g_steal_pointer (&task));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  pd_store_record_async (sync->store, sync->shop, NULL, inbound_from_payment (sync->shop, payment),
                         cancellable, recorded_cb, g_steal_pointer (&task));
  pd_classic_payment_free (payment);
}

static void
ask_next (GTask *task)
{
  Sync *sync = g_task_get_task_data (task);

  if (sync->next >= sync->numbers->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&sync->changes),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  pd_paymaster_api_get_payment_by_invoice_async (sync->api, sync->numbers->pdata[sync->next++],
                                                 sync->shop->merchant_id,
                                                 g_task_get_cancellable (task),
                                                 payment_found_cb, task);
}

static gpointer
list_open_invoices (PdDatabase  *db,
                    gpointer     data,
                    GError     **error)
{
  return pd_catalog_list_invoices (db, PD_INVOICE_ISSUED, 0, error);
}

static void
open_invoices_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invoices = pd_store_read_finish (PD_STORE (object), result, &error);

  if (invoices == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < invoices->len; i++)
    g_ptr_array_add (sync->numbers, g_strdup (((PdInvoice *) invoices->pdata[i])->number));
  ask_next (g_steal_pointer (&task));
}

/* One pass over the open invoices. The result lists what changed: new
 * payments, accepted or flagged; a payment already recorded is left out. */
void
pd_reconciler_sync_async (PdStore             *store,
                          const PdShop        *shop,
                          PdPaymasterApi      *api,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Sync *sync = g_new0 (Sync, 1);

  sync->store = g_object_ref (store);
  sync->shop = pd_shop_copy (shop);
  sync->api = g_object_ref (api);
  sync->numbers = g_ptr_array_new_with_free_func (g_free);
  sync->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_sync_change_free);
  g_task_set_source_tag (task, pd_reconciler_sync_async);
  g_task_set_task_data (task, sync, (GDestroyNotify) sync_free);

  pd_store_read_async (store, list_open_invoices, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                       cancellable, open_invoices_cb, g_steal_pointer (&task));
}

GPtrArray *
pd_reconciler_sync_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
