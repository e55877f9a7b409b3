/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-database.h"
#include "pd-records.h"

G_BEGIN_DECLS

/* A refund as Paydesk asks PayMaster for it. */
typedef struct
{
  gint64  id;
  gint64  invoice_id;
  char   *invoice_number;
  char   *payment_id;
  gint64  amount;            /* kopecks */
  char   *currency;
  char   *idempotency_key;
  gboolean resumed;          /* an earlier request whose answer never came */
} PdRefundRequest;

void             pd_refund_request_free     (PdRefundRequest  *request);

PdRefundRequest *pd_refunds_begin           (PdDatabase       *db,
                                             const char       *invoice_number,
                                             gint64            amount,
                                             GError          **error);
gboolean         pd_refunds_finish          (PdDatabase       *db,
                                             const PdRefundRequest *request,
                                             const char       *paymaster_id,
                                             const char       *failure,
                                             const char       *path,
                                             GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdRefundRequest, pd_refund_request_free)

G_END_DECLS
