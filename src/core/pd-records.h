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

void pd_product_free (PdProduct *product);
void pd_invoice_free (PdInvoice *invoice);
void pd_event_free   (PdEvent   *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdProduct, pd_product_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdInvoice, pd_invoice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdEvent, pd_event_free)

G_END_DECLS
