/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-records.h"
#include "pd-shop.h"

G_BEGIN_DECLS

char *pd_invoice_payment_url (const PdShop     *shop,
                              const PdInvoice  *invoice,
                              GPtrArray        *lines,
                              GError          **error);

G_END_DECLS
