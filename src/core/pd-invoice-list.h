/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-lazy-list.h"

G_BEGIN_DECLS

/* Lists of invoices and of inbound requests (events), newest first,
 * filtered in SQL and kept current by the store's signals. */

PdLazyList *pd_invoice_list_new        (PdStore     *store);
GVariant   *pd_invoice_list_query      (int          status,
                                        const char  *search);

PdLazyList *pd_event_list_new          (PdStore     *store);
GVariant   *pd_event_list_query        (gboolean     problems_only);

G_END_DECLS
