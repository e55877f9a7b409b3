/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-setup-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog.h"
#include "pd-invoice-issuer.h"
#include "pd-service.h"
#include "pd-setup-check-private.h"

/* The check's test invoice, issued the way every invoice is (for REST v2,
 * PayMaster makes it and answers with its link) for one "Setup check"
 * product however often the check runs, after the unpaid invoice of an
 * earlier run is cancelled. */

typedef struct
{
  PdService      *service;
  PdShop         *shop;
  PdPaymasterApi *api;
  char           *product_name;
  gint64          previous_invoice_id;
  PdInvoice      *invoice;
} Issue;

static void
issue_free (Issue *issue)
{
  g_clear_object (&issue->service);
  g_clear_pointer (&issue->shop, pd_shop_free);
  g_clear_object (&issue->api);
  g_free (issue->product_name);
  g_clear_pointer (&issue->invoice, pd_invoice_free);
  g_free (issue);
}

void
_pd_setup_check_invoice_free (PdSetupCheckInvoice *check)
{
  g_clear_pointer (&check->invoice, pd_invoice_free);
  g_clear_pointer (&check->lines, g_ptr_array_unref);
  g_free (check);
}

/* Runs on the store's writer thread, in one transaction: returns the id
 * of the product to invoice. */
static gpointer
prepare_product (PdDatabase  *db,
                 gpointer     data,
                 GError     **error)
{
  Issue *issue = data;
  g_autoptr(GPtrArray) products = NULL;
  gint64 product_id = 0;

  /* The merchant went back to fix something: the earlier test invoice
   * must not be paid any more. It may be paid already, which is fine. */
  if (issue->previous_invoice_id != 0)
    {
      g_autoptr(GError) ignored = NULL;

      pd_catalog_cancel_invoice (db, issue->previous_invoice_id, &ignored);
    }

  products = pd_catalog_list_products (db, FALSE, error);
  if (products == NULL)
    return NULL;
  for (guint i = 0; i < products->len && product_id == 0; i++)
    {
      const PdProduct *product = products->pdata[i];

      if (g_strcmp0 (product->name, issue->product_name) == 0 && product->price == PD_SETUP_CHECK_PRICE)
        product_id = product->id;
    }
  if (product_id == 0 &&
      !pd_catalog_add_product (db, issue->product_name, PD_SETUP_CHECK_PRICE, "no_vat", &product_id,
                               error))
    return NULL;
  return g_memdup2 (&product_id, sizeof product_id);
}

static gpointer
read_lines (PdDatabase  *db,
            gpointer     data,
            GError     **error)
{
  const PdInvoice *invoice = data;

  return pd_catalog_list_invoice_lines (db, invoice->id, error);
}

static void
lines_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Issue *issue = g_task_get_task_data (task);
  GError *error = NULL;
  PdSetupCheckInvoice *check;
  GPtrArray *lines = pd_store_read_finish (PD_STORE (object), result, &error);

  if (lines == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  check = g_new0 (PdSetupCheckInvoice, 1);
  check->invoice = g_steal_pointer (&issue->invoice);
  check->lines = lines;
  g_task_return_pointer (task, check, (GDestroyNotify) _pd_setup_check_invoice_free);
}

static void
issued_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Issue *issue = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GPtrArray) invoices = pd_invoice_issuer_issue_finish (result, &error);

  if (invoices == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  issue->invoice = g_steal_pointer (&invoices->pdata[0]);
  pd_store_read_async (pd_service_get_store (issue->service), read_lines, issue->invoice, NULL,
                       (GDestroyNotify) g_ptr_array_unref, NULL, lines_read_cb, g_steal_pointer (&task));
}

static void
product_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Issue *issue = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree gint64 *product_id = pd_store_write_finish (PD_STORE (object), result, &error);
  PdInvoiceLine line = { 0, 1 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0, NULL };

  if (product_id == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  line.product_id = *product_id;
  pd_invoice_issuer_issue_async (PD_STORE (object), issue->shop, issue->api, &draft, 1,
                                 pd_shop_mode_is_test (issue->shop->mode), NULL, issued_cb,
                                 g_steal_pointer (&task));
}

/**
 * _pd_setup_check_issue_async:
 * @api: (nullable): what makes a REST v2 invoice
 * @previous_invoice_id: the invoice of an earlier run, to cancel, or 0
 *
 * Issues the test invoice for @shop.
 */
void
_pd_setup_check_issue_async (PdService           *service,
                             const PdShop        *shop,
                             PdPaymasterApi      *api,
                             gint64               previous_invoice_id,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  Issue *issue = g_new0 (Issue, 1);

  g_task_set_source_tag (task, _pd_setup_check_issue_async);
  g_task_set_task_data (task, issue, (GDestroyNotify) issue_free);
  issue->service = g_object_ref (service);
  issue->shop = pd_shop_copy (shop);
  issue->api = api ? g_object_ref (api) : NULL;
  /* Translators: the name of the product the setup check invoices */
  issue->product_name = g_strdup (_("Setup check"));
  issue->previous_invoice_id = previous_invoice_id;

  pd_store_write_async (pd_service_get_store (service), prepare_product, issue, NULL, g_free, NULL,
                        product_ready_cb, g_steal_pointer (&task));
}

/**
 * _pd_setup_check_issue_finish:
 *
 * Returns: (transfer full): the invoice as stored (for REST v2, with
 *   PayMaster's link) and its lines; a #PD_API_ERROR is PayMaster's
 *   refusal, after which the invoice is cancelled
 */
PdSetupCheckInvoice *
_pd_setup_check_issue_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
