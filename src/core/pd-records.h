/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-types.h"

G_BEGIN_DECLS

/* Plain rows as the store reads them. */

typedef struct
{
  gint64    id;
  char     *name;
  gint64    price;
  char     *vat;
  guint     subject;    /* a 54-FZ payment subject code, see pd-receipt.h */
  guint     method;     /* a 54-FZ settlement method code */
  gboolean  archived;
} PdProduct;

typedef struct
{
  gint64           id;
  char            *number;
  char            *description;
  gint64           amount;
  char            *currency;
  PdInvoiceStatus  status;
  gboolean         test;
  char            *email;
  gint64           created_at;
  gint64           expires_at;
  gint64           paid_at;
  char            *payment_id;
  char            *phone;                 /* the customer's, for the receipt */
  char            *paymaster_url;         /* REST v2: the link PayMaster made */
  char            *paymaster_invoice_id;  /* REST v2: the paymentId it answered */
  char            *idempotency_key;       /* REST v2: of the request that made it */
  gint64           refunded;              /* kopecks refunded so far */
} PdInvoice;

typedef struct
{
  gint64  id;
  gint64  at;
  char   *remote;
  char   *method;
  char   *path;
  char   *body;
  char   *kind;
  char   *verdict;
  char   *reason;
  guint   http_status;
  char   *invoice_number;
  char   *payment_id;
} PdEvent;

/* One line of an invoice, as it was when the invoice was issued. */
typedef struct
{
  char   *name;
  gint64  price;
  gint64  quantity;
  char   *vat;
  guint   subject;
  guint   method;
} PdInvoiceLineRow;

/* One step of an invoice's status history. */
typedef struct
{
  PdInvoiceStatus  status;
  gint64           at;
  char            *note;
} PdStatusChange;

void pd_product_free (PdProduct *product);
void pd_invoice_line_row_free (PdInvoiceLineRow *line);
void pd_status_change_free (PdStatusChange *change);
void pd_invoice_free (PdInvoice *invoice);
PdInvoice *pd_invoice_copy (const PdInvoice *invoice);
void pd_event_free   (PdEvent   *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdProduct, pd_product_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdInvoice, pd_invoice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdEvent, pd_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdInvoiceLineRow, pd_invoice_line_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdStatusChange, pd_status_change_free)

G_END_DECLS
