/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include "pd-sandbox-private.h"

/* A customer's press of Pay or Decline on one of the sandbox's pages. The
 * page is held open until the outcome is known: for a payment the shop
 * must hear of, until the first attempt to tell it. The sandbox then keeps
 * trying with backoff, as PayMaster does, until the shop answers 2xx or
 * PD_SANDBOX_MAX_ATTEMPTS attempts have failed. */

#define MAX_DELAY_MS 60000

struct _PdSandboxCheckout
{
  PdSandbox         *sandbox;
  SoupServerMessage *page_msg;
  gboolean           page_finished;
  gulong             finished_id;
  PdSandboxLang      lang;

  /* The delivery */
  char              *url;
  char              *content_type;
  GBytes            *body;
  char              *payment_id;
  char              *back_url;
  guint              attempt;
  guint              delay_ms;
};

static const PdSandboxText text_paid = { "Payment complete", "Оплата прошла" };
static const PdSandboxText text_paid_pending = {
  "The payment went through, but the shop has not confirmed it yet; the sandbox keeps trying.",
  "Оплата прошла, но магазин её ещё не подтвердил; песочница продолжает попытки."
};
static const PdSandboxText text_declined = { "Payment cancelled", "Оплата отменена" };
static const PdSandboxText text_refused = {
  "The shop refused the payment", "Магазин отклонил оплату"
};

static void
page_finished_cb (SoupServerMessage *msg,
                  PdSandboxCheckout *checkout)
{
  checkout->page_finished = TRUE;
}

/* Pauses @page_msg until the checkout shows its outcome. */
PdSandboxCheckout *
_pd_sandbox_checkout_new (PdSandbox         *sandbox,
                          SoupServerMessage *page_msg,
                          PdSandboxLang      lang)
{
  PdSandboxCheckout *checkout = g_new0 (PdSandboxCheckout, 1);

  checkout->sandbox = g_object_ref (sandbox);
  sandbox->n_in_progress++;
  checkout->lang = lang;
  checkout->delay_ms = sandbox->first_retry_delay_ms;
  checkout->page_msg = g_object_ref (page_msg);
  checkout->finished_id = g_signal_connect (page_msg, "finished",
                                            G_CALLBACK (page_finished_cb), checkout);
  soup_server_message_pause (page_msg);
  return checkout;
}

static void
release_page (PdSandboxCheckout *checkout)
{
  if (checkout->page_msg == NULL)
    return;
  g_signal_handler_disconnect (checkout->page_msg, checkout->finished_id);
  g_clear_object (&checkout->page_msg);
}

static void
checkout_free (PdSandboxCheckout *checkout)
{
  checkout->sandbox->n_in_progress--;
  release_page (checkout);
  g_free (checkout->url);
  g_free (checkout->content_type);
  g_clear_pointer (&checkout->body, g_bytes_unref);
  g_free (checkout->payment_id);
  g_free (checkout->back_url);
  g_object_unref (checkout->sandbox);
  g_free (checkout);
}

static void
show_text (PdSandboxCheckout   *checkout,
           const PdSandboxText *heading,
           const PdSandboxText *detail,
           const char          *back_url)
{
  if (checkout->page_msg == NULL)
    return;

  if (!checkout->page_finished)
    {
      _pd_sandbox_send_message_page (checkout->page_msg, SOUP_STATUS_OK, checkout->lang,
                                     _pd_sandbox_tr (checkout->lang, heading),
                                     detail ? _pd_sandbox_tr (checkout->lang, detail) : NULL,
                                     back_url);
      soup_server_message_unpause (checkout->page_msg);
    }
  release_page (checkout);
}

/* Ends the page with @outcome, @detail and a link back to the shop; what
 * the checkout still delivers goes on without the page. */
void
_pd_sandbox_checkout_show (PdSandboxCheckout   *checkout,
                           PdSandboxOutcome     outcome,
                           const PdSandboxText *detail,
                           const char          *back_url)
{
  static const PdSandboxText *headings[] = {
    [PD_SANDBOX_OUTCOME_PAID] = &text_paid,
    [PD_SANDBOX_OUTCOME_DECLINED] = &text_declined,
    [PD_SANDBOX_OUTCOME_REFUSED] = &text_refused,
  };

  g_return_if_fail (outcome < G_N_ELEMENTS (headings));

  show_text (checkout, headings[outcome], detail, back_url);
}

/* Ends the page and the checkout: nothing more will be sent for it. */
void
_pd_sandbox_checkout_finish (PdSandboxCheckout   *checkout,
                             PdSandboxOutcome     outcome,
                             const PdSandboxText *detail,
                             const char          *back_url)
{
  _pd_sandbox_checkout_show (checkout, outcome, detail, back_url);
  checkout_free (checkout);
}

static void send_attempt (PdSandboxCheckout *checkout);

static gboolean
retry_cb (gpointer data)
{
  send_attempt (data);
  return G_SOURCE_REMOVE;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PdSandboxCheckout *checkout = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  guint status = body != NULL ? soup_message_get_status (msg) : 0;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_debug ("notification of payment %s delivered after %u attempts", checkout->payment_id,
               checkout->attempt);
      _pd_sandbox_checkout_finish (checkout, PD_SANDBOX_OUTCOME_PAID, NULL, checkout->back_url);
      return;
    }

  show_text (checkout, &text_paid, &text_paid_pending, checkout->back_url);

  if (checkout->attempt >= PD_SANDBOX_MAX_ATTEMPTS)
    {
      g_message ("The shop did not accept the notification of payment %s after %u attempts; "
                 "giving up", checkout->payment_id, checkout->attempt);
      checkout_free (checkout);
      return;
    }

  g_debug ("notification attempt %u answered %u (%s); retrying in %u ms", checkout->attempt,
           status, error ? error->message : "", checkout->delay_ms);
  g_timeout_add (checkout->delay_ms, retry_cb, checkout);
  checkout->delay_ms = MIN (checkout->delay_ms * 2, MAX_DELAY_MS);
}

static void
send_attempt (PdSandboxCheckout *checkout)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, checkout->url);

  checkout->attempt++;
  soup_message_set_request_body_from_bytes (msg, checkout->content_type, checkout->body);
  soup_session_send_and_read_async (checkout->sandbox->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    sent_cb, checkout);
}

/**
 * _pd_sandbox_checkout_deliver:
 * @payment_id: for the log
 * @back_url: (nullable): where the paid page links to
 *
 * POSTs @body to @url until the shop answers 2xx, and shows the page as
 * paid after the first attempt. Takes @checkout over.
 */
void
_pd_sandbox_checkout_deliver (PdSandboxCheckout *checkout,
                              const char        *url,
                              const char        *content_type,
                              GBytes            *body,
                              const char        *payment_id,
                              const char        *back_url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  checkout->payment_id = g_strdup (payment_id);
  checkout->back_url = g_strdup (back_url);
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_message ("Cannot notify the shop of payment %s: “%s” is not a web address",
                 payment_id, url);
      _pd_sandbox_checkout_finish (checkout, PD_SANDBOX_OUTCOME_PAID, NULL, back_url);
      return;
    }

  checkout->url = g_strdup (url);
  checkout->content_type = g_strdup (content_type);
  checkout->body = g_bytes_ref (body);
  send_attempt (checkout);
}
