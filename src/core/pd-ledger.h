/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-form.h"
#include "pd-shop.h"

G_BEGIN_DECLS

/* What the store knows about the invoice a request names. */
typedef struct
{
  gboolean         found;
  gint64           id;
  gint64           amount;
  const char      *currency;
  PdInvoiceStatus  status;
  gboolean         expired;
  const char      *paymaster_invoice_id;  /* REST v2: the payment PayMaster made for it */
} PdLedgerInvoice;

/* The outcome of one request: how to answer it and what to write. */
typedef struct
{
  PdEventKind  kind;
  PdVerdict    verdict;
  char        *reason;
  guint        http_status;
  const char  *response;        /* body to answer with */
  gboolean     record_payment;  /* a genuine payment: keep it */
  gboolean     mark_paid;       /* and it pays the invoice */
  gboolean     test_payment;
  gint64       invoice_id;      /* the invoice named, 0 when unknown */
  char        *invoice_number;  /* as the request named it, or NULL */
} PdLedgerDecision;

void     pd_ledger_decision_clear       (PdLedgerDecision       *decision);
gboolean pd_ledger_payment_matches_invoice (const char         *paymaster_invoice_id,
                                            const char         *payment_id);

gboolean pd_ledger_check_fields         (const PdForm           *form,
                                         PdLedgerDecision       *decision);
void     pd_ledger_decide_prerequest    (const PdShop           *shop,
                                         const PdForm           *form,
                                         const PdLedgerInvoice  *invoice,
                                         PdLedgerDecision       *decision);
void     pd_ledger_decide_notification  (const PdShop           *shop,
                                         const PdForm           *form,
                                         gboolean                signature_ok,
                                         const char             *signature_diagnosis,
                                         const PdLedgerInvoice  *invoice,
                                         gboolean                already_recorded,
                                         PdLedgerDecision       *decision);

G_END_DECLS
