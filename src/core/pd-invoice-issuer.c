/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-invoice-issuer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-invoice-issuer.h"
#include "pd-invoice-receipt.h"
#include "pd-paymaster.h"

/* Issues invoices for either protocol. A classic invoice is done once it
 * is stored: its link is built from it whenever it is shown. A REST v2
 * invoice also needs PayMaster to make it, which answers with the link;
 * an answer that did not come is asked for again with the same
 * Idempotency-Key, so that PayMaster answers with the invoice it made
 * rather than make a second. An invoice PayMaster refuses is cancelled at
 * once, with PayMaster's reason in its history, so that no invoice
 * without a link stays open. */

/* How many times PayMaster is asked for one invoice. */
#define MAX_ATTEMPTS 2

typedef struct
{
  PdStore          *store;
  PdShop           *shop;
  PdPaymasterApi   *api;
  PdInvoiceLine    *lines;
  PdInvoiceDraft    draft;
  guint             count;
  gboolean          test;
  GPtrArray        *invoices;   /* PdInvoice, as stored */
  GPtrArray        *receipts;   /* v2: PdReceipt of each invoice */
  guint             next;
  guint             attempt;    /* of the invoice being made */
  GError           *refusal;    /* PayMaster's, once its invoice is cancelled */
} Issue;

static void
issue_free (Issue *issue)
{
  g_clear_object (&issue->store);
  g_clear_pointer (&issue->shop, pd_shop_free);
  g_clear_object (&issue->api);
  g_free (issue->lines);
  g_free ((char *) issue->draft.email);
  g_free ((char *) issue->draft.phone);
  g_clear_pointer (&issue->invoices, g_ptr_array_unref);
  g_clear_pointer (&issue->receipts, g_ptr_array_unref);
  g_clear_error (&issue->refusal);
  g_free (issue);
}

/* The receipt a REST v2 invoice sends; the catalog checked, when it
 * stored the invoice, that one can be made. */
static gboolean
add_receipt (PdDatabase       *db,
             Issue            *issue,
             const PdInvoice  *invoice,
             GError          **error)
{
  g_autoptr(GPtrArray) lines = pd_catalog_list_invoice_lines (db, invoice->id, error);
  PdReceipt *receipt;

  if (lines == NULL || (receipt = pd_invoice_receipt_new (invoice, lines, error)) == NULL)
    return FALSE;
  g_ptr_array_add (issue->receipts, receipt);
  return TRUE;
}

/* Runs on the writer thread: stores the invoices and, for REST v2, gives
 * each the key of the request that will make it and reads its receipt. */
static gpointer
store_invoices (PdDatabase  *db,
                gpointer     data,
                GError     **error)
{
  Issue *issue = data;
  g_autoptr(GPtrArray) invoices = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_invoice_free);
  g_autoptr(PdInvoice) first = pd_catalog_create_invoices (db, &issue->draft, issue->count,
                                                           issue->test, error);
  g_autofree char *number = NULL;

  if (first == NULL)
    return NULL;
  /* A batch redone after another job failed starts afresh. */
  g_ptr_array_set_size (issue->receipts, 0);
  number = g_strdup (first->number);
  for (guint i = 0; i < issue->count; i++)
    {
      g_autofree char *key = pd_api_new_idempotency_key ();
      g_autofree char *next = NULL;
      PdInvoice *invoice = pd_catalog_get_invoice (db, number, error);

      if (invoice == NULL)
        return NULL;
      g_ptr_array_add (invoices, invoice);
      if (issue->shop->protocol == PD_PROTOCOL_V2)
        {
          if (!pd_catalog_set_invoice_request_key (db, invoice->id, key, error) ||
              !add_receipt (db, issue, invoice, error))
            return NULL;
          invoice->idempotency_key = g_steal_pointer (&key);
        }
      next = pd_catalog_next_number (number);
      g_free (number);
      number = g_steal_pointer (&next);
    }
  return g_steal_pointer (&invoices);
}

typedef struct
{
  gint64  invoice_id;
  char   *paymaster_invoice_id;
  char   *url;
  char   *refusal;
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_free (outcome->paymaster_invoice_id);
  g_free (outcome->url);
  g_free (outcome->refusal);
  g_free (outcome);
}

static gpointer
store_outcome (PdDatabase  *db,
               gpointer     data,
               GError     **error)
{
  const Outcome *outcome = data;
  gboolean stored;

  if (outcome->refusal != NULL)
    stored = pd_catalog_cancel_invoice_noting (db, outcome->invoice_id, outcome->refusal, error);
  else
    stored = pd_catalog_set_invoice_link (db, outcome->invoice_id, outcome->paymaster_invoice_id,
                                          outcome->url, error);
  return stored ? pd_catalog_get_invoice_by_id (db, outcome->invoice_id, error) : NULL;
}

static void make_next (GTask *task);
static void ask_paymaster (GTask *task);

static void
outcome_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Issue *issue = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PdInvoice *invoice = pd_store_write_finish (PD_STORE (object), result, &error);

  if (invoice == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pd_store_invoice_changed (issue->store, invoice->id, invoice->number);
  pd_invoice_free (issue->invoices->pdata[issue->next - 1]);
  issue->invoices->pdata[issue->next - 1] = invoice;
  if (issue->refusal != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&issue->refusal));
      return;
    }
  make_next (g_steal_pointer (&task));
}

static void
invoice_made_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Issue *issue = g_task_get_task_data (task);
  const PdInvoice *invoice = issue->invoices->pdata[issue->next - 1];
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *paymaster_invoice_id = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  Outcome *outcome;

  if (!pd_paymaster_api_create_invoice_finish (PD_PAYMASTER_API (object), result,
                                               &paymaster_invoice_id, &url, &error) &&
      pd_api_error_is_unanswered (error) && issue->attempt < MAX_ATTEMPTS)
    {
      ask_paymaster (g_steal_pointer (&task));
      return;
    }

  outcome = g_new0 (Outcome, 1);
  outcome->invoice_id = invoice->id;
  outcome->paymaster_invoice_id = g_steal_pointer (&paymaster_invoice_id);
  outcome->url = g_steal_pointer (&url);
  /* Nobody has the link of an invoice whose answer never came, so it is
   * cancelled too, whether PayMaster made it or not. */
  if (error != NULL && pd_api_error_is_unanswered (error))
    {
      outcome->refusal = g_strdup_printf (_("PayMaster’s answer about invoice %s did not come: %s"),
                                          invoice->number, error->message);
      issue->refusal = g_error_new (error->domain, error->code,
                                    _("%s The invoice was cancelled; check that Paydesk can "
                                      "reach PayMaster and create it again."), outcome->refusal);
    }
  else if (error != NULL)
    {
      outcome->refusal = g_strdup_printf (_("PayMaster did not make invoice %s: %s"),
                                          invoice->number, error->message);
      issue->refusal = g_error_new (error->domain, error->code,
                                    _("%s The invoice was cancelled; fix what PayMaster asks "
                                      "and create it again."), outcome->refusal);
    }

  pd_store_write_async (issue->store, store_outcome, outcome, (GDestroyNotify) outcome_free,
                        (GDestroyNotify) pd_invoice_free, cancellable,
                        outcome_stored_cb, g_steal_pointer (&task));
}

static void
return_invoices (GTask *task)
{
  Issue *issue = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&issue->invoices), (GDestroyNotify) g_ptr_array_unref);
}

static void
add_receipt_member (JsonBuilder *builder,
                    gpointer     user_data)
{
  Issue *issue = user_data;
  const PdInvoice *invoice = issue->invoices->pdata[issue->next - 1];
  g_autoptr(GError) error = NULL;

  /* Checked when the invoice was stored; this cannot fail. */
  if (!pd_receipt_add_to_json (issue->receipts->pdata[issue->next - 1], invoice->amount, builder,
                               &error))
    g_critical ("The receipt of invoice %s cannot be sent: %s", invoice->number, error->message);
}

/* Asks PayMaster to make the invoice at issue->next - 1. Takes @task. */
static void
ask_paymaster (GTask *task)
{
  Issue *issue = g_task_get_task_data (task);
  const PdInvoice *invoice = issue->invoices->pdata[issue->next - 1];
  g_autofree char *callback_url = NULL;
  g_autofree char *return_url = NULL;
  PdApiInvoiceRequest request = { 0 };

  issue->attempt++;
  if (issue->shop->public_url != NULL && *issue->shop->public_url != '\0')
    {
      callback_url = pd_shop_endpoint_url (issue->shop, PD_PATH_CALLBACK);
      return_url = pd_shop_endpoint_url (issue->shop, PD_PATH_SUCCESS);
    }

  request.merchant_id = issue->shop->merchant_id;
  request.test_mode = issue->test;
  request.description = invoice->description;
  request.order_no = invoice->number;
  request.expires_at = invoice->expires_at;
  request.amount = invoice->amount;
  request.currency = invoice->currency;
  request.return_url = return_url;
  request.callback_url = callback_url;
  request.customer_email = invoice->email;
  request.customer_phone = invoice->phone;
  request.add_members = add_receipt_member;
  request.add_members_data = issue;
  pd_paymaster_api_create_invoice_async (issue->api, &request, invoice->idempotency_key,
                                         g_task_get_cancellable (task), invoice_made_cb, task);
}

static void
make_next (GTask *task)
{
  Issue *issue = g_task_get_task_data (task);

  if (issue->next >= issue->invoices->len)
    {
      return_invoices (task);
      g_object_unref (task);
      return;
    }

  issue->next++;
  issue->attempt = 0;
  ask_paymaster (task);
}

static void
invoices_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Issue *issue = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  issue->invoices = pd_store_write_finish (PD_STORE (object), result, &error);
  if (issue->invoices == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < issue->invoices->len; i++)
    {
      const PdInvoice *invoice = issue->invoices->pdata[i];

      pd_store_invoice_changed (issue->store, invoice->id, invoice->number);
    }

  if (issue->shop->protocol != PD_PROTOCOL_V2)
    {
      return_invoices (task);
      return;
    }
  make_next (g_steal_pointer (&task));
}

/**
 * pd_invoice_issuer_issue_async:
 * @api: (nullable): makes REST v2 invoices; unused for a classic shop
 *
 * Stores @count invoices for @draft and, for a REST v2 shop, has PayMaster
 * make each. Finishes with the invoices as stored (for v2, with their
 * links), numbers counting up.
 */
void
pd_invoice_issuer_issue_async (PdStore               *store,
                               const PdShop          *shop,
                               PdPaymasterApi        *api,
                               const PdInvoiceDraft  *draft,
                               guint                  count,
                               gboolean               test,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Issue *issue = g_new0 (Issue, 1);

  g_task_set_source_tag (task, pd_invoice_issuer_issue_async);
  g_task_set_task_data (task, issue, (GDestroyNotify) issue_free);
  issue->store = g_object_ref (store);
  issue->shop = pd_shop_copy (shop);
  issue->api = api ? g_object_ref (api) : NULL;
  issue->lines = g_memdup2 (draft->lines, sizeof (PdInvoiceLine) * draft->n_lines);
  issue->draft = *draft;
  issue->draft.lines = issue->lines;
  issue->draft.email = g_strdup (draft->email);
  issue->draft.phone = g_strdup (draft->phone);
  issue->receipts = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_receipt_free);
  issue->count = count;
  issue->test = test;

  if (shop->protocol == PD_PROTOCOL_V2 && api == NULL)
    {
      g_task_return_new_error (task, PD_API_ERROR, PD_API_ERROR_NO_CREDENTIALS,
                               _("Paydesk has no PayMaster API token: enter it in Preferences or "
                                 "run the setup again."));
      return;
    }
  if (shop->protocol == PD_PROTOCOL_V2 && count > PD_MAX_V2_INVOICE_BATCH)
    {
      g_task_return_new_error (task, PD_API_ERROR, PD_API_ERROR_FAILED,
                               _("PayMaster makes REST API v2 invoices one at a time: create at "
                                 "most %d at once."), PD_MAX_V2_INVOICE_BATCH);
      return;
    }

  /* Invoices are not written twice on a retried batch: the writer runs
   * this again only after rolling it back. */
  pd_store_write_async (store, store_invoices, issue, NULL, (GDestroyNotify) g_ptr_array_unref,
                        cancellable, invoices_stored_cb, g_steal_pointer (&task));
}

GPtrArray *
pd_invoice_issuer_issue_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
