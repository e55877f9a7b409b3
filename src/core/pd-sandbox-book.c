/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include "pd-money.h"
#include "pd-sandbox-private.h"

/* The sandbox's memory: every payment it made, for the status API. */

struct _PdSandboxBook
{
  GPtrArray *payments;        /* PdSandboxPayment, oldest first */
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
  g_free (payment);
}

PdSandboxBook *
_pd_sandbox_book_new (void)
{
  PdSandboxBook *book = g_new0 (PdSandboxBook, 1);

  book->payments = g_ptr_array_new_with_free_func ((GDestroyNotify) payment_free);
  return book;
}

void
_pd_sandbox_book_free (PdSandboxBook *book)
{
  if (book == NULL)
    return;
  g_ptr_array_unref (book->payments);
  g_free (book);
}

/* A new numeric id for a payment. Time-based, so that ids
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

void
_pd_sandbox_payment_set_status (PdSandboxPayment   *payment,
                                PdApiPaymentStatus  status)
{
  payment->status = status;
  g_clear_pointer (&payment->updated, g_date_time_unref);
  payment->updated = g_date_time_new_now_utc ();
}
