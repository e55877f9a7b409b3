/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-invoice-list"

#include "config.h"

#include "pd-catalog.h"
#include "pd-event-item.h"
#include "pd-invoice-item.h"
#include "pd-invoice-list.h"
#include "pd-journal.h"

/* Invoices: the query is (status, search), status -1 for any. */

GVariant *
pd_invoice_list_query (int         status,
                       const char *search)
{
  return g_variant_new ("(is)", status, search ? search : "");
}

static GArray *
query_invoice_ids (PdDatabase  *db,
                   GVariant    *query,
                   GError     **error)
{
  PdInvoiceQuery invoice_query = { -1, NULL };

  if (g_variant_is_of_type (query, G_VARIANT_TYPE ("(is)")))
    g_variant_get (query, "(i&s)", &invoice_query.status, &invoice_query.search);
  return pd_catalog_query_invoice_ids (db, &invoice_query, error);
}

static gint64
invoice_row_id (gconstpointer row)
{
  return ((const PdInvoice *) row)->id;
}

static void
apply_invoice_row (gpointer      item,
                   gconstpointer row)
{
  pd_invoice_item_set_invoice (item, row);
}

static void
invoice_changed_cb (PdStore    *store,
                    gint64      invoice_id,
                    const char *number,
                    PdLazyList *list)
{
  pd_lazy_list_reload_id (list, invoice_id);
}

PdLazyList *
pd_invoice_list_new (PdStore *store)
{
  const PdLazyListSpec spec = {
    PD_TYPE_INVOICE_ITEM,
    query_invoice_ids,
    pd_catalog_get_invoices_by_ids,
    invoice_row_id,
    apply_invoice_row,
  };
  PdLazyList *list = pd_lazy_list_new (store, &spec);

  g_signal_connect_object (store, "invoice-changed", G_CALLBACK (invoice_changed_cb), list, 0);
  return list;
}

/* Events: the query is (problems_only). */

GVariant *
pd_event_list_query (gboolean problems_only)
{
  return g_variant_new ("(b)", problems_only);
}

static GArray *
query_event_ids (PdDatabase  *db,
                 GVariant    *query,
                 GError     **error)
{
  gboolean problems_only = FALSE;

  if (g_variant_is_of_type (query, G_VARIANT_TYPE ("(b)")))
    g_variant_get (query, "(b)", &problems_only);
  return pd_journal_query_event_ids (db, problems_only, error);
}

static gint64
event_row_id (gconstpointer row)
{
  return ((const PdEvent *) row)->id;
}

static void
apply_event_row (gpointer      item,
                 gconstpointer row)
{
  pd_event_item_set_event (item, row);
}

static void
event_recorded_cb (PdStore    *store,
                   gpointer    decision,
                   PdLazyList *list)
{
  pd_lazy_list_refresh (list);
}

PdLazyList *
pd_event_list_new (PdStore *store)
{
  const PdLazyListSpec spec = {
    PD_TYPE_EVENT_ITEM,
    query_event_ids,
    pd_journal_get_events_by_ids,
    event_row_id,
    apply_event_row,
  };
  PdLazyList *list = pd_lazy_list_new (store, &spec);

  g_signal_connect_object (store, "event-recorded", G_CALLBACK (event_recorded_cb), list, 0);
  return list;
}
