/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-catalog.h"

G_BEGIN_DECLS

/* The catalog (pd-catalog.h) in files by subject: -settings the settings,
 * the shop and the receipt defaults; -products the products;
 * -new-invoices numbering and writing new invoices; -invoices reading
 * invoices, cancelling them and the REST v2 link. */

static inline char *
_pd_catalog_column_text (sqlite3_stmt *stmt,
                         int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* pd-catalog-settings.c */
gboolean     _pd_catalog_check_receipt_fields   (const char           *vat,
                                                 guint                 subject,
                                                 guint                 method,
                                                 GError              **error);

G_END_DECLS
