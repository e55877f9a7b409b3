/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PdDatabase   PdDatabase;
typedef struct _PdForm       PdForm;
typedef struct _PdListener   PdListener;
typedef struct _PdSandbox    PdSandbox;
typedef struct _PdStore      PdStore;

typedef enum
{
  PD_HASH_MD5,
  PD_HASH_SHA1,
  PD_HASH_SHA256,
} PdHashAlg;

#define PD_N_HASH_ALGS 3

/* How the shop's PayMaster site runs. A sandbox shop talks to the local
 * PayMaster in pd-sandbox and behaves like a test-mode site. */
typedef enum
{
  PD_SHOP_MODE_LIVE,
  PD_SHOP_MODE_TEST,
  PD_SHOP_MODE_SANDBOX,
} PdShopMode;

/* Which of PayMaster's two protocol generations the site uses: the
 * classic LMI form with signed notifications (spec section 1), or the REST
 * API v2 with a bearer token and unsigned callbacks (section 2). */
typedef enum
{
  PD_PROTOCOL_CLASSIC,
  PD_PROTOCOL_V2,
} PdProtocol;

typedef enum
{
  PD_INVOICE_ISSUED,
  PD_INVOICE_PAID,
  PD_INVOICE_CANCELLED,
  PD_INVOICE_EXPIRED,
  PD_INVOICE_REFUNDED,
} PdInvoiceStatus;

typedef enum
{
  PD_EVENT_PREREQUEST,
  PD_EVENT_NOTIFICATION,
  PD_EVENT_INVALID,
  PD_EVENT_RECONCILIATION,   /* what PayMaster's status API said when asked */
  PD_EVENT_CALLBACK,         /* a REST v2 callback, judged on a re-read payment */
  PD_EVENT_REFUND,           /* a refund Paydesk asked PayMaster for */
} PdEventKind;

/* What became of one inbound request.
 * ACCEPTED: did what it asked (pre-request answered YES, invoice paid).
 * DUPLICATE: a payment already recorded; nothing changed.
 * FLAGGED: a genuine payment was recorded but did not pay its invoice
 *          (test payment on a live shop, amount mismatch, invoice not payable).
 * REJECTED: refused; nothing recorded but the event. */
typedef enum
{
  PD_VERDICT_ACCEPTED,
  PD_VERDICT_DUPLICATE,
  PD_VERDICT_FLAGGED,
  PD_VERDICT_REJECTED,
} PdVerdict;

const char *pd_hash_alg_to_string      (PdHashAlg        alg);
gboolean    pd_hash_alg_from_string    (const char      *text,
                                        PdHashAlg       *alg);
const char *pd_shop_mode_to_string     (PdShopMode       mode);
gboolean    pd_shop_mode_from_string   (const char      *text,
                                        PdShopMode      *mode);
gboolean    pd_shop_mode_is_test       (PdShopMode       mode);
const char *pd_protocol_to_string      (PdProtocol       protocol);
gboolean    pd_protocol_from_string    (const char      *text,
                                        PdProtocol      *protocol);
const char *pd_invoice_status_to_string (PdInvoiceStatus status);
gboolean    pd_invoice_status_from_string (const char   *text,
                                           PdInvoiceStatus *status);
const char *pd_event_kind_to_string    (PdEventKind      kind);
const char *pd_verdict_to_string       (PdVerdict        verdict);

G_END_DECLS
