/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include "pd-money.h"
#include "pd-sandbox-private.h"

/* The sandbox's memory: every payment it made, through the classic
 * checkout or an invoice of the REST API v2, and every refund, so that
 * both status APIs tell the same story. Refunds follow one set of rules
 * whichever API asks: only a settled payment, more than nothing, and no
 * more than what is left of it. A refund leaves the payment Settled, since
 * the spec names no refunded state. */

struct _PdSandboxBook
{
  GPtrArray *payments;        /* PdSandboxPayment, oldest first */
  GPtrArray *refunds;         /* PdSandboxRefund, oldest first */
  guint64    last_id;
};

static void
payment_free (PdSandboxPayment *payment)
{
  g_free (payment->id);
  g_free (payment->merchant_id);
  g_free (payment->order_no);
  g_free (payment->description);
  g_free (payment->currency);
  g_free (payment->payment_method);
  g_clear_pointer (&payment->created, g_date_time_unref);
  g_clear_pointer (&payment->updated, g_date_time_unref);
  g_free (payment->checkout_token);
  g_free (payment->callback_url);
  g_free (payment->return_url);
  g_clear_pointer (&payment->params, json_node_unref);
  g_free (payment);
}

static void
refund_free (PdSandboxRefund *refund)
{
  g_free (refund->id);
  g_free (refund->payment_id);
  g_free (refund->external_id);
  g_free (refund->currency);
  g_clear_pointer (&refund->created, g_date_time_unref);
  g_free (refund);
}

PdSandboxBook *
_pd_sandbox_book_new (void)
{
  PdSandboxBook *book = g_new0 (PdSandboxBook, 1);

  book->payments = g_ptr_array_new_with_free_func ((GDestroyNotify) payment_free);
  book->refunds = g_ptr_array_new_with_free_func ((GDestroyNotify) refund_free);
  return book;
}

void
_pd_sandbox_book_free (PdSandboxBook *book)
{
  if (book == NULL)
    return;
  g_ptr_array_unref (book->payments);
  g_ptr_array_unref (book->refunds);
  g_free (book);
}

/* A new numeric id for a payment or a refund. Time-based, so that ids
 * stay unique across sandbox restarts against the same shop database. */
char *
_pd_sandbox_book_new_id (PdSandboxBook *book)
{
  guint64 candidate = (guint64) (g_get_real_time () / 1000);

  book->last_id = MAX (book->last_id + 1, candidate);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, book->last_id);
}

/* Adds a payment made now; the book keeps it. */
PdSandboxPayment *
_pd_sandbox_book_add_payment (PdSandboxBook      *book,
                              const char         *id,
                              const char         *merchant_id,
                              const char         *order_no,
                              const char         *description,
                              gint64              amount,
                              const char         *currency,
                              PdApiPaymentStatus  status,
                              gboolean            test_mode,
                              const char         *payment_method)
{
  PdSandboxPayment *payment = g_new0 (PdSandboxPayment, 1);

  payment->id = g_strdup (id);
  payment->merchant_id = g_strdup (merchant_id);
  payment->order_no = g_strdup (order_no);
  payment->description = g_strdup (description);
  payment->amount = amount;
  payment->currency = g_strdup (currency);
  payment->status = status;
  payment->test_mode = test_mode;
  payment->payment_method = g_strdup (payment_method);
  /* Whole seconds, as the APIs write it, so that a period's bounds and
   * the dates a client reads agree. */
  payment->created = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC);
  payment->updated = g_date_time_ref (payment->created);
  g_ptr_array_add (book->payments, payment);
  return payment;
}

GPtrArray *
_pd_sandbox_book_get_payments (PdSandboxBook *book)
{
  return book->payments;
}

PdSandboxPayment *
_pd_sandbox_book_find_payment (PdSandboxBook *book,
                               const char    *id)
{
  for (guint i = 0; id != NULL && i < book->payments->len; i++)
    {
      PdSandboxPayment *payment = g_ptr_array_index (book->payments, i);

      if (g_str_equal (payment->id, id))
        return payment;
    }
  return NULL;
}

PdSandboxPayment *
_pd_sandbox_book_find_checkout (PdSandboxBook *book,
                                const char    *checkout_token)
{
  for (guint i = 0; checkout_token != NULL && i < book->payments->len; i++)
    {
      PdSandboxPayment *payment = g_ptr_array_index (book->payments, i);

      if (g_strcmp0 (payment->checkout_token, checkout_token) == 0)
        return payment;
    }
  return NULL;
}

void
_pd_sandbox_payment_set_status (PdSandboxPayment   *payment,
                                PdApiPaymentStatus  status)
{
  payment->status = status;
  g_clear_pointer (&payment->updated, g_date_time_unref);
  payment->updated = g_date_time_new_now_utc ();
}

/**
 * _pd_sandbox_book_refund:
 * @external_id: (nullable): the shop's id for the refund (classic)
 * @refund: (out) (transfer none): the refund made
 *
 * Refunds @amount kopecks of a payment, if the rules allow it.
 */
PdSandboxRefundResult
_pd_sandbox_book_refund (PdSandboxBook    *book,
                         const char       *payment_id,
                         gint64            amount,
                         const char       *external_id,
                         PdSandboxRefund **refund)
{
  PdSandboxPayment *payment = _pd_sandbox_book_find_payment (book, payment_id);
  PdSandboxRefund *made;

  *refund = NULL;
  if (payment == NULL)
    return PD_SANDBOX_REFUND_NO_PAYMENT;
  if (payment->status != PD_API_PAYMENT_SETTLED)
    return PD_SANDBOX_REFUND_NOT_SETTLED;
  if (amount <= 0)
    return PD_SANDBOX_REFUND_NO_AMOUNT;
  if (amount > payment->amount - payment->refunded)
    return PD_SANDBOX_REFUND_TOO_MUCH;

  made = g_new0 (PdSandboxRefund, 1);
  made->id = _pd_sandbox_book_new_id (book);
  made->payment_id = g_strdup (payment_id);
  made->external_id = g_strdup (external_id);
  made->amount = amount;
  made->currency = g_strdup (payment->currency);
  made->created = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC);
  g_ptr_array_add (book->refunds, made);
  payment->refunded += amount;
  *refund = made;
  return PD_SANDBOX_REFUND_DONE;
}

/* Why a refund of @payment_id was refused, in a sentence for the API's
 * answer. */
char *
_pd_sandbox_book_refusal (PdSandboxBook         *book,
                          PdSandboxRefundResult  result,
                          const char            *payment_id)
{
  PdSandboxPayment *payment = _pd_sandbox_book_find_payment (book, payment_id);
  g_autofree char *left = NULL;

  switch (result)
    {
    case PD_SANDBOX_REFUND_NO_PAYMENT:
      return g_strdup_printf ("There is no payment %s", payment_id);

    case PD_SANDBOX_REFUND_NOT_SETTLED:
      return g_strdup_printf ("Payment %s is %s, not Settled: only a paid payment can be refunded",
                              payment_id, pd_api_payment_status_to_string (payment->status));

    case PD_SANDBOX_REFUND_NO_AMOUNT:
      return g_strdup ("The amount to refund must be more than zero");

    case PD_SANDBOX_REFUND_TOO_MUCH:
      left = pd_money_format (payment->amount - payment->refunded);
      return g_strdup_printf ("Only %s %s of payment %s is left to refund", left,
                              payment->currency, payment_id);

    case PD_SANDBOX_REFUND_DONE:
    default:
      g_return_val_if_reached (NULL);
    }
}

PdSandboxRefund *
_pd_sandbox_book_find_refund (PdSandboxBook *book,
                              const char    *id)
{
  for (guint i = 0; id != NULL && i < book->refunds->len; i++)
    {
      PdSandboxRefund *refund = g_ptr_array_index (book->refunds, i);

      if (g_str_equal (refund->id, id))
        return refund;
    }
  return NULL;
}

PdSandboxRefund *
_pd_sandbox_book_find_external (PdSandboxBook *book,
                                const char    *external_id)
{
  for (guint i = 0; external_id != NULL && i < book->refunds->len; i++)
    {
      PdSandboxRefund *refund = g_ptr_array_index (book->refunds, i);

      if (g_strcmp0 (refund->external_id, external_id) == 0)
        return refund;
    }
  return NULL;
}
