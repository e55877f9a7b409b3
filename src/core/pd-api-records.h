/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What PayMaster's two APIs answer with: v2 payments and refunds, classic
 * payments, and their states. Read from JSON in pd-api-records.c; errors
 * are in the PD_API_ERROR domain of pd-paymaster-api.h. */

/* REST API v2 */

/* UNKNOWN is first so that a zeroed payment never reads as paid. Only
 * SETTLED means the money is there. */
typedef enum
{
  PD_API_PAYMENT_UNKNOWN,
  PD_API_PAYMENT_PENDING,
  PD_API_PAYMENT_AUTHORIZED,
  PD_API_PAYMENT_SETTLED,
  PD_API_PAYMENT_CANCELLED,
  PD_API_PAYMENT_REJECTED,
  PD_API_PAYMENT_CONFIRMATION,
} PdApiPaymentStatus;

/* A payment as GET /api/v2/payments/{id} and the callbacks describe it.
 * Strings are NULL when PayMaster left them out. */
typedef struct
{
  char               *id;
  char               *created;          /* ISO 8601 as sent, e.g. "2021-09-01T08:20:00Z" */
  gboolean            test_mode;
  PdApiPaymentStatus  status;
  char               *status_text;      /* as sent, also when status is UNKNOWN */
  char               *message;          /* PayMaster's note on the result */
  char               *merchant_id;
  gint64              amount;           /* kopecks */
  char               *currency;
  char               *order_no;
  char               *description;
  char               *payment_method;
  char               *instrument_title;
} PdApiPayment;

/* A refund. The spec names no refund statuses: status is the text sent. */
typedef struct
{
  char   *id;
  char   *payment_id;
  char   *created;
  char   *status;
  gint64  amount;                       /* kopecks, 0 when not sent */
  char   *currency;
} PdApiRefund;

const char         *pd_api_payment_status_to_string   (PdApiPaymentStatus  status);
PdApiPaymentStatus  pd_api_payment_status_from_string (const char         *text);

PdApiPayment       *pd_api_payment_from_json          (const char         *json,
                                                       gsize               length,
                                                       GError            **error);
PdApiPayment       *pd_api_payment_copy               (const PdApiPayment *payment);
void                pd_api_payment_free               (PdApiPayment       *payment);
void                pd_api_refund_free                (PdApiRefund        *refund);

gboolean            pd_api_amount_parse               (const char         *text,
                                                       gint64             *kopecks,
                                                       GError            **error);

/* Classic status and refund API */

typedef enum
{
  PD_CLASSIC_STATE_UNKNOWN,   /* as a filter: any state */
  PD_CLASSIC_STATE_INITIATED,
  PD_CLASSIC_STATE_PROCESSING,
  PD_CLASSIC_STATE_COMPLETE,
  PD_CLASSIC_STATE_CANCELLED,
} PdClassicState;

typedef struct
{
  char           *payment_id;
  char           *site_invoice_id;
  char           *site_id;
  char           *currency_code;
  gint64          amount;           /* kopecks */
  gint64          payment_amount;   /* kopecks, what the customer paid */
  PdClassicState  state;
  char           *state_text;
  gboolean        is_test_payment;
  char           *last_update_time;
  char           *payment_system_id;
  char           *purpose;
  char           *user_identifier;
} PdClassicPayment;

const char       *pd_classic_state_to_string    (PdClassicState      state);
PdClassicState    pd_classic_state_from_string  (const char         *text);
void              pd_classic_payment_free       (PdClassicPayment   *payment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdApiPayment, pd_api_payment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdApiRefund, pd_api_refund_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdClassicPayment, pd_classic_payment_free)

G_END_DECLS
