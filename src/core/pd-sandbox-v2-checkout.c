/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include <string.h>

#include "pd-form.h"
#include "pd-json.h"
#include "pd-sandbox-private.h"

/* The page of an invoice made through the REST API v2, at
 * <prefix>/cpay/<hex>: the payment's details with Pay and Decline. Pay
 * settles the payment, Decline cancels it; either way the payment object
 * is then POSTed as JSON to the invoice's callbackUrl, retried like a
 * classic notification, unless the sandbox delivers no notifications. The
 * page links back to the invoice's returnUrl. */

static const PdSandboxText text_no_payment = {
  "There is no such payment", "Такого платежа нет"
};
static const PdSandboxText text_settled = {
  "This invoice is already paid", "Этот счёт уже оплачен"
};
static const PdSandboxText text_closed = {
  "This invoice can no longer be paid", "Этот счёт больше нельзя оплатить"
};

static GBytes *
callback_body (PdSandbox              *sandbox,
               const PdSandboxPayment *payment)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  GString *body = g_string_new (NULL);

  _pd_sandbox_v2_add_payment (builder, payment);
  root = json_builder_get_root (builder);
  json = pd_json_to_string (root);
  /* As some of PayMaster's senders do. */
  if (sandbox->callback_bom)
    g_string_append (body, "\xEF\xBB\xBF");
  g_string_append (body, json);
  return g_string_free_to_bytes (body);
}

static void
send_payment_page (PdSandbox              *sandbox,
                   SoupServerMessage      *msg,
                   PdSandboxLang           lang,
                   const PdSandboxPayment *payment)
{
  g_autofree char *path = g_strconcat (sandbox->prefix, PD_SANDBOX_CHECKOUT_PATH, "/",
                                       payment->checkout_token, NULL);
  g_autofree char *form_action = g_strconcat (path, "?" PD_SANDBOX_LANG_FIELD "=",
                                              _pd_sandbox_lang_code (lang), NULL);
  g_autofree char *other_url = g_strconcat (path, "?" PD_SANDBOX_LANG_FIELD "=",
                                            _pd_sandbox_lang_code (_pd_sandbox_other_lang (lang)),
                                            NULL);
  PdSandboxCheckoutPage page = {
    .order_no = payment->order_no,
    .description = payment->description,
    .amount = payment->amount,
    .currency = payment->currency,
    .merchant_id = payment->merchant_id,
    .form_action = form_action,
    .payment_field = NULL,
    .other_lang_url = other_url,
  };

  _pd_sandbox_send_checkout_page (msg, lang, &page);
}

static void
send_closed_page (SoupServerMessage      *msg,
                  PdSandboxLang           lang,
                  const PdSandboxPayment *payment)
{
  const PdSandboxText *heading = payment->status == PD_API_PAYMENT_SETTLED
                                 ? &text_settled : &text_closed;

  _pd_sandbox_send_message_page (msg, SOUP_STATUS_OK, lang, _pd_sandbox_tr (lang, heading),
                                 NULL, payment->return_url);
}

static void
press (PdSandbox         *sandbox,
       SoupServerMessage *msg,
       PdSandboxLang      lang,
       PdSandboxPayment  *payment)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(PdForm) form = pd_form_parse (body->data, (gsize) body->length, NULL);
  gboolean pay = form != NULL && g_strcmp0 (pd_form_get (form, "action"), "pay") == 0;
  g_autoptr(GBytes) callback = NULL;
  PdSandboxCheckout *checkout;

  checkout = _pd_sandbox_checkout_new (sandbox, msg, lang);
  _pd_sandbox_payment_set_status (payment, pay ? PD_API_PAYMENT_SETTLED : PD_API_PAYMENT_CANCELLED);

  if (!sandbox->delivers_notifications)
    {
      _pd_sandbox_checkout_finish (checkout,
                                   pay ? PD_SANDBOX_OUTCOME_PAID : PD_SANDBOX_OUTCOME_DECLINED,
                                   NULL, payment->return_url);
      return;
    }

  /* A cancelled payment is told too, but the customer need not wait. */
  if (!pay)
    _pd_sandbox_checkout_show (checkout, PD_SANDBOX_OUTCOME_DECLINED, NULL, payment->return_url);
  callback = callback_body (sandbox, payment);
  _pd_sandbox_checkout_deliver (checkout, payment->callback_url, "application/json", callback,
                                payment->id, payment->return_url);
}

static void
checkout_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  PdSandbox *sandbox = user_data;
  PdSandboxLang lang = _pd_sandbox_choose_lang (msg, query);
  const char *method = soup_server_message_get_method (msg);
  gsize skip = strlen (sandbox->prefix) + strlen (PD_SANDBOX_CHECKOUT_PATH);
  PdSandboxPayment *payment = NULL;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  if (strlen (path) > skip + 1 && path[skip] == '/')
    payment = _pd_sandbox_book_find_checkout (sandbox->book, path + skip + 1);
  if (payment == NULL)
    _pd_sandbox_send_message_page (msg, SOUP_STATUS_NOT_FOUND, lang,
                                   _pd_sandbox_tr (lang, &text_no_payment), NULL, NULL);
  else if (payment->status != PD_API_PAYMENT_PENDING)
    send_closed_page (msg, lang, payment);
  else if (method == SOUP_METHOD_GET)
    send_payment_page (sandbox, msg, lang, payment);
  else
    press (sandbox, msg, lang, payment);
}

/* Serves the payment pages under @prefix/cpay and adds that path to @paths. */
void
_pd_sandbox_v2_checkout_attach (PdSandbox  *sandbox,
                                SoupServer *server,
                                const char *prefix,
                                GPtrArray  *paths)
{
  _pd_sandbox_add_handler (sandbox, server, prefix, PD_SANDBOX_CHECKOUT_PATH, checkout_handler,
                           paths);
}

/* Whether v2 callbacks begin with a UTF-8 byte order mark, as some of
 * PayMaster's senders do (off by default). */
void
pd_sandbox_set_callback_bom (PdSandbox *self,
                             gboolean   callback_bom)
{
  g_return_if_fail (PD_IS_SANDBOX (self));

  self->callback_bom = !!callback_bom;
}
