/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-api-records.h"
#include "pd-journal.h"
#include "pd-shop.h"

G_BEGIN_DECLS

/* What PayMaster's APIs say about a payment, put in the fields of the
 * classic notification it stands for, so that the ledger judges a
 * notification, a status-API answer and a v2 callback alike. */

#define PD_PATH_CLASSIC_STATUS "/partners/rest/getPaymentByInvoiceID"
#define PD_PATH_V2_PAYMENTS    "/api/v2/payments"

PdForm    *pd_api_form_from_classic     (const PdShop           *shop,
                                         const PdClassicPayment *payment);
PdForm    *pd_api_form_from_v2          (const PdShop           *shop,
                                         const PdApiPayment     *payment);
PdInbound *pd_api_inbound_new           (const char             *path,
                                         PdForm                 *form);

G_END_DECLS
