/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-reconciler"

#include "config.h"

#include "pd-api-inbound.h"
#include "pd-catalog.h"
#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-reconciler.h"

/* A reconciliation pass needs no inbound connection: it asks PayMaster
 * about every invoice still open and records what it says through the
 * same ledger rules as a notification, so a merchant behind a home router
 * still sees invoices turn Paid. A classic shop asks the status API about
 * the invoices one at a time, which keeps PayMaster's rate limits happy; a
 * REST v2 shop lists the payments made since the oldest open invoice was
 * issued, a page at a time. */

/* How far around the open invoices' times the v2 listing reaches, for
 * clocks that disagree. */
#define V2_PERIOD_MARGIN (G_TIME_SPAN_HOUR / G_USEC_PER_SEC)

typedef struct
{
  PdStore        *store;
  PdShop         *shop;
  PdPaymasterApi *api;
  GPtrArray      *invoices;  /* PdInvoice: the open ones */
  GHashTable     *by_number; /* v2: number -> PdInvoice of @invoices */
  guint           next;
  gint64          oldest;    /* when the oldest open invoice was issued */
  GQueue          settled;   /* v2: PdInbound of payments to record */
  GPtrArray      *changes;   /* PdSyncChange */
} Sync;

void
pd_sync_change_free (PdSyncChange *change)
{
  if (change == NULL)
    return;
  g_free (change->invoice_number);
  g_free (change->reason);
  g_free (change);
}

static void
sync_free (Sync *sync)
{
  g_clear_object (&sync->store);
  g_clear_pointer (&sync->by_number, g_hash_table_unref);
  g_clear_pointer (&sync->shop, pd_shop_free);
  g_clear_object (&sync->api);
  g_clear_pointer (&sync->invoices, g_ptr_array_unref);
  g_clear_pointer (&sync->changes, g_ptr_array_unref);
  g_queue_clear_full (&sync->settled, (GDestroyNotify) pd_inbound_free);
  g_free (sync);
}

static void ask_next (GTask *task);
static void record_next_settled (GTask *task);

static void
continue_pass (GTask *task)
{
  Sync *sync = g_task_get_task_data (task);

  if (sync->shop->protocol == PD_PROTOCOL_V2)
    record_next_settled (task);
  else
    ask_next (task);
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

      change->invoice_number = g_steal_pointer (&decision->invoice_number);
      change->verdict = decision->verdict;
      change->reason = g_steal_pointer (&decision->reason);
      g_ptr_array_add (sync->changes, change);
    }

  continue_pass (g_steal_pointer (&task));
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
  pd_store_record_async (sync->store, sync->shop, NULL,
                         pd_api_inbound_new (PD_PATH_CLASSIC_STATUS,
                                             pd_api_form_from_classic (sync->shop, payment)),
                         cancellable, recorded_cb, g_steal_pointer (&task));
  pd_classic_payment_free (payment);
}

static void
ask_next (GTask *task)
{
  Sync *sync = g_task_get_task_data (task);
  const PdInvoice *invoice;

  if (sync->next >= sync->invoices->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&sync->changes),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  invoice = sync->invoices->pdata[sync->next++];
  pd_paymaster_api_get_payment_by_invoice_async (sync->api, invoice->number,
                                                 sync->shop->merchant_id,
                                                 g_task_get_cancellable (task),
                                                 payment_found_cb, task);
}

static void
record_next_settled (GTask *task)
{
  Sync *sync = g_task_get_task_data (task);
  PdInbound *inbound = g_queue_pop_head (&sync->settled);

  if (inbound == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&sync->changes),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  pd_store_record_async (sync->store, sync->shop, NULL, inbound, g_task_get_cancellable (task),
                         recorded_cb, task);
}

/* Whether @payment pays one of the open invoices. */
static gboolean
pays_open_invoice (Sync               *sync,
                   const PdApiPayment *payment)
{
  const PdInvoice *invoice = payment->order_no != NULL
                             ? g_hash_table_lookup (sync->by_number, payment->order_no) : NULL;

  return invoice != NULL &&
         pd_ledger_payment_matches_invoice (invoice->paymaster_invoice_id, payment->id);
}

static void
payments_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;

  payments = pd_paymaster_api_list_payments_finish (PD_PAYMASTER_API (object), result, &error);
  if (payments == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < payments->len; i++)
    {
      const PdApiPayment *payment = payments->pdata[i];

      if (payment->status == PD_API_PAYMENT_SETTLED && pays_open_invoice (sync, payment))
        g_queue_push_tail (&sync->settled,
                           pd_api_inbound_new (PD_PATH_V2_PAYMENTS,
                                               pd_api_form_from_v2 (sync->shop, payment)));
    }
  record_next_settled (g_steal_pointer (&task));
}

static void
list_payments (GTask *task)
{
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (sync->oldest - V2_PERIOD_MARGIN);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) end = g_date_time_add_seconds (now, V2_PERIOD_MARGIN);

  pd_paymaster_api_list_payments_async (sync->api, sync->shop->merchant_id, start, end,
                                        g_task_get_cancellable (task), payments_listed_cb, task);
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

  sync->invoices = pd_store_read_finish (PD_STORE (object), result, &error);
  if (sync->invoices == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sync->oldest = G_MAXINT64;
  sync->by_number = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < sync->invoices->len; i++)
    {
      PdInvoice *invoice = sync->invoices->pdata[i];

      sync->oldest = MIN (sync->oldest, invoice->created_at);
      g_hash_table_insert (sync->by_number, invoice->number, invoice);
    }

  if (sync->shop->protocol == PD_PROTOCOL_V2 && sync->invoices->len > 0)
    list_payments (g_steal_pointer (&task));
  else
    continue_pass (g_steal_pointer (&task));
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
