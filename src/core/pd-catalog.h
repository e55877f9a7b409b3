/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-database.h"
#include "pd-records.h"
#include "pd-shop.h"

G_BEGIN_DECLS

/* Settings, products and invoices. Every function runs on the calling
 * thread; writers are wrapped in their own transaction unless the caller
 * already holds one (the store's writer thread does). */

typedef struct
{
  gint64 product_id;
  gint64 quantity;
} PdInvoiceLine;

typedef struct
{
  const PdInvoiceLine *lines;
  guint                n_lines;
  const char          *email;
  gint64               lifetime;   /* seconds until the invoice expires, 0 for never */
  const char          *phone;      /* the customer's, for the receipt; NULL for none */
} PdInvoiceDraft;

/* What the receipt lines of a new product say unless it says otherwise. */
typedef struct
{
  const char *vat;       /* a tag of the VAT table (pd-receipt.h) */
  guint       subject;   /* a payment subject code */
  guint       method;    /* a settlement method code */
} PdReceiptDefaults;

/* The defaults while none are set: no VAT, goods, full payment. */
#define PD_RECEIPT_DEFAULT_VAT     "no_vat"
#define PD_RECEIPT_DEFAULT_SUBJECT 1
#define PD_RECEIPT_DEFAULT_METHOD  4

#define PD_MAX_INVOICE_BATCH 10000000

/* Free-form settings (never secrets); NULL when unset. */
char       *pd_catalog_get_setting      (PdDatabase            *db,
                                         const char            *key,
                                         GError               **error);
gboolean    pd_catalog_set_setting      (PdDatabase            *db,
                                         const char            *key,
                                         const char            *value,
                                         GError               **error);
gpointer    pd_catalog_read_setting     (PdDatabase            *db,
                                         gpointer               key,
                                         GError               **error);

PdShop     *pd_catalog_load_shop        (PdDatabase            *db,
                                         GError               **error);
gboolean    pd_catalog_save_shop        (PdDatabase            *db,
                                         const PdShop          *shop,
                                         GError               **error);

gboolean    pd_catalog_get_receipt_defaults (PdDatabase               *db,
                                             PdReceiptDefaults        *defaults,
                                             GError                  **error);
gboolean    pd_catalog_set_receipt_defaults (PdDatabase               *db,
                                             const PdReceiptDefaults  *defaults,
                                             GError                  **error);

gboolean    pd_catalog_add_product      (PdDatabase            *db,
                                         const char            *name,
                                         gint64                 price,
                                         const char            *vat,
                                         gint64                *id,
                                         GError               **error);
gboolean    pd_catalog_add_product_full (PdDatabase            *db,
                                         const PdProduct       *product,
                                         gint64                *id,
                                         GError               **error);
PdProduct  *pd_catalog_get_product      (PdDatabase            *db,
                                         gint64                 id,
                                         GError               **error);
GPtrArray  *pd_catalog_list_products    (PdDatabase            *db,
                                         gboolean               include_archived,
                                         GError               **error);

PdInvoice  *pd_catalog_create_invoices  (PdDatabase            *db,
                                         const PdInvoiceDraft  *draft,
                                         guint                  count,
                                         gboolean               test,
                                         GError               **error);
PdInvoice  *pd_catalog_get_invoice      (PdDatabase            *db,
                                         const char            *number,
                                         GError               **error);
GPtrArray  *pd_catalog_list_invoices    (PdDatabase            *db,
                                         int                    status,
                                         guint                  limit,
                                         GError               **error);
char       *pd_catalog_next_number      (const char            *number);

gboolean    pd_catalog_update_product   (PdDatabase            *db,
                                         const PdProduct       *product,
                                         GError               **error);
GPtrArray  *pd_catalog_search_products  (PdDatabase            *db,
                                         const char            *search,
                                         gboolean               include_archived,
                                         GError               **error);

/* Which invoices a list shows, newest first. */
typedef struct
{
  int         status;    /* a PdInvoiceStatus, or -1 for all */
  const char *search;    /* number, customer or description; NULL for all */
} PdInvoiceQuery;

GArray     *pd_catalog_query_invoice_ids (PdDatabase           *db,
                                          const PdInvoiceQuery *query,
                                          GError              **error);
PdInvoice  *pd_catalog_get_invoice_by_id (PdDatabase           *db,
                                          gint64                id,
                                          GError              **error);
GPtrArray  *pd_catalog_get_invoices_by_ids (PdDatabase         *db,
                                            const gint64       *ids,
                                            guint               n_ids,
                                            GError            **error);
GPtrArray  *pd_catalog_list_invoice_lines (PdDatabase          *db,
                                           gint64               invoice_id,
                                           GError             **error);
GPtrArray  *pd_catalog_list_invoice_history (PdDatabase        *db,
                                             gint64             invoice_id,
                                             GError           **error);
gboolean    pd_catalog_cancel_invoice    (PdDatabase           *db,
                                          gint64                invoice_id,
                                          GError              **error);
gboolean    pd_catalog_cancel_invoice_noting (PdDatabase       *db,
                                              gint64            invoice_id,
                                              const char       *note,
                                              GError          **error);

gboolean    pd_catalog_set_invoice_request_key (PdDatabase     *db,
                                                gint64          invoice_id,
                                                const char     *key,
                                                GError        **error);
gboolean    pd_catalog_set_invoice_link  (PdDatabase           *db,
                                          gint64                invoice_id,
                                          const char           *paymaster_invoice_id,
                                          const char           *url,
                                          GError              **error);

G_END_DECLS
