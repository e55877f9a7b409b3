/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-records"

#include "config.h"

#include "pd-records.h"

void
pd_product_free (PdProduct *product)
{
  if (product == NULL)
    return;
  g_free (product->name);
  g_free (product->vat);
  g_free (product);
}

void
pd_invoice_free (PdInvoice *invoice)
{
  if (invoice == NULL)
    return;
  g_free (invoice->number);
  g_free (invoice->description);
  g_free (invoice->currency);
  g_free (invoice->email);
  g_free (invoice->payment_id);
  g_free (invoice->phone);
  g_free (invoice->paymaster_url);
  g_free (invoice->paymaster_invoice_id);
  g_free (invoice->idempotency_key);
  g_free (invoice);
}

/* Copies every string, so that the copy and @invoice are freed apart. */
PdInvoice *
pd_invoice_copy (const PdInvoice *invoice)
{
  PdInvoice *copy = g_memdup2 (invoice, sizeof *invoice);

  copy->number = g_strdup (invoice->number);
  copy->description = g_strdup (invoice->description);
  copy->currency = g_strdup (invoice->currency);
  copy->email = g_strdup (invoice->email);
  copy->payment_id = g_strdup (invoice->payment_id);
  copy->phone = g_strdup (invoice->phone);
  copy->paymaster_url = g_strdup (invoice->paymaster_url);
  copy->paymaster_invoice_id = g_strdup (invoice->paymaster_invoice_id);
  copy->idempotency_key = g_strdup (invoice->idempotency_key);
  return copy;
}

void
pd_event_free (PdEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->remote);
  g_free (event->method);
  g_free (event->path);
  g_free (event->body);
  g_free (event->kind);
  g_free (event->verdict);
  g_free (event->reason);
  g_free (event->invoice_number);
  g_free (event->payment_id);
  g_free (event);
}

void
pd_invoice_line_row_free (PdInvoiceLineRow *line)
{
  if (line == NULL)
    return;
  g_free (line->name);
  g_free (line->vat);
  g_free (line);
}

void
pd_status_change_free (PdStatusChange *change)
{
  if (change == NULL)
    return;
  g_free (change->note);
  g_free (change);
}
