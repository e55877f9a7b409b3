/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include <string.h>

#include "pd-form.h"
#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-sandbox-private.h"

/* PayMaster's classic checkout: a payment page for a payment link at
 * <prefix>/Payment/Init, and on "Pay" (<prefix>/Payment/Pay) the
 * pre-request and then a signed notification to the shop, exactly as the
 * spec describes, retried with backoff until the shop answers 2xx. Every
 * payment, paid or not, goes into the sandbox's book. */

static const PdSandboxText text_bad_link = {
  "This payment link is not valid", "Ссылка на оплату неверна"
};
static const PdSandboxText text_failed_sim = {
  "The test payment failed, as the link asked (LMI_SIM_MODE).",
  "Тестовый платёж не прошёл, как задано в ссылке (LMI_SIM_MODE)."
};
static const PdSandboxText text_unreachable = {
  "The shop could not be reached to confirm the invoice.",
  "Не удалось связаться с магазином для подтверждения счёта."
};

static char *
decoded_description (const PdForm *link)
{
  const char *b64 = pd_form_get (link, "LMI_PAYMENT_DESC_BASE64");

  if (b64 != NULL)
    {
      gsize length = 0;
      g_autofree guchar *raw = g_base64_decode (b64, &length);
      g_autofree char *text = g_strndup ((const char *) raw, length);

      if (g_utf8_validate (text, -1, NULL))
        return g_steal_pointer (&text);
      return NULL;
    }
  return g_strdup (pd_form_get (link, "LMI_PAYMENT_DESC"));
}

static const PdSandboxText problem_merchant = {
  "LMI_MERCHANT_ID is missing.", "Нет поля LMI_MERCHANT_ID."
};
static const PdSandboxText problem_amount = {
  "LMI_PAYMENT_AMOUNT is missing or not an amount such as 50.00.",
  "Поле LMI_PAYMENT_AMOUNT отсутствует или не похоже на сумму вида 50.00."
};
static const PdSandboxText problem_currency = {
  "LMI_CURRENCY is missing or unknown.", "Поле LMI_CURRENCY отсутствует или неизвестно."
};
static const PdSandboxText problem_number = { "LMI_PAYMENT_NO is missing.", "Нет поля LMI_PAYMENT_NO." };
static const PdSandboxText problem_description = {
  "LMI_PAYMENT_DESC or LMI_PAYMENT_DESC_BASE64 is missing or not UTF-8.",
  "Поле LMI_PAYMENT_DESC или LMI_PAYMENT_DESC_BASE64 отсутствует или не в UTF-8."
};
static const PdSandboxText problem_urls = {
  "The sandbox needs LMI_INVOICE_CONFIRMATION_URL and LMI_PAYMENT_NOTIFICATION_URL in the link.",
  "Песочнице нужны поля LMI_INVOICE_CONFIRMATION_URL и LMI_PAYMENT_NOTIFICATION_URL в ссылке."
};
static const PdSandboxText problem_incomplete = {
  "The payment form is incomplete.", "Форма оплаты заполнена не полностью."
};

/* Checks a payment link the way PayMaster would refuse it. Returns what
 * is wrong, or NULL. A sandbox that calls nobody, like PayMaster for a
 * shop with no public address, needs no addresses to call. */
static const PdSandboxText *
link_problem (PdSandbox    *self,
              const PdForm *link)
{
  const char *amount = pd_form_get (link, "LMI_PAYMENT_AMOUNT");
  g_autofree char *description = decoded_description (link);
  gint64 kopecks;

  if (pd_form_get (link, "LMI_MERCHANT_ID") == NULL)
    return &problem_merchant;
  if (amount == NULL || !pd_money_parse (amount, &kopecks, NULL) || kopecks <= 0)
    return &problem_amount;
  if (pd_currency_normalize (pd_form_get (link, "LMI_CURRENCY")) == NULL)
    return &problem_currency;
  if (pd_form_get (link, "LMI_PAYMENT_NO") == NULL)
    return &problem_number;
  if (description == NULL || *description == '\0')
    return &problem_description;
  if (self->delivers_notifications &&
      (pd_form_get (link, "LMI_INVOICE_CONFIRMATION_URL") == NULL ||
       pd_form_get (link, "LMI_PAYMENT_NOTIFICATION_URL") == NULL))
    return &problem_urls;
  return NULL;
}

static PdForm *
request_form (SoupServerMessage *msg,
              GError           **error)
{
  if (soup_server_message_get_method (msg) == SOUP_METHOD_POST)
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);

      return pd_form_parse (body->data, (gsize) body->length, error);
    }
  else
    {
      const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

      return pd_form_parse (query ? query : "", query ? strlen (query) : 0, error);
    }
}

static void
send_bad_link (SoupServerMessage *msg,
               PdSandboxLang      lang,
               const char        *problem)
{
  _pd_sandbox_send_message_page (msg, SOUP_STATUS_BAD_REQUEST, lang,
                                 _pd_sandbox_tr (lang, &text_bad_link), problem, NULL);
}

static void
init_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  PdSandbox *self = user_data;
  PdSandboxLang lang = _pd_sandbox_choose_lang (msg, query);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdForm) link = request_form (msg, &error);
  g_autofree char *description = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *pay_url = NULL;
  g_autofree char *other_url = NULL;
  PdSandboxCheckoutPage checkout = { NULL, };
  const PdSandboxText *problem;

  if (link == NULL)
    {
      send_bad_link (msg, lang, error->message);
      return;
    }
  if ((problem = link_problem (self, link)) != NULL)
    {
      send_bad_link (msg, lang, _pd_sandbox_tr (lang, problem));
      return;
    }

  pd_form_remove (link, PD_SANDBOX_LANG_FIELD);
  description = decoded_description (link);
  encoded = pd_form_encode (link);
  pay_url = g_strdup_printf ("%s/Payment/Pay?" PD_SANDBOX_LANG_FIELD "=%s", self->prefix,
                             _pd_sandbox_lang_code (lang));
  other_url = g_strdup_printf ("%s/Payment/Init?" PD_SANDBOX_LANG_FIELD "=%s&%s", self->prefix,
                               _pd_sandbox_lang_code (_pd_sandbox_other_lang (lang)), encoded);

  checkout.order_no = pd_form_get (link, "LMI_PAYMENT_NO");
  checkout.description = description;
  pd_money_parse (pd_form_get (link, "LMI_PAYMENT_AMOUNT"), &checkout.amount, NULL);
  checkout.currency = pd_form_get (link, "LMI_CURRENCY");
  checkout.merchant_id = pd_form_get (link, "LMI_MERCHANT_ID");
  checkout.form_action = pay_url;
  checkout.payment_field = encoded;
  checkout.other_lang_url = other_url;
  _pd_sandbox_send_checkout_page (msg, lang, &checkout);
}

static void
copy_merchant_fields (const PdForm *link,
                      PdForm       *out)
{
  for (guint i = 0; i < pd_form_get_n_fields (link); i++)
    {
      const char *name, *value;

      pd_form_get_field (link, i, &name, &value);
      if (!g_str_has_prefix (name, "LMI_"))
        pd_form_add (out, name, value);
    }
}

static const char *
payment_method (PdSandbox *self)
{
  return self->test_site ? "Test" : "BankCard";
}

static const char *
sim_mode (PdSandbox    *self,
          const PdForm *link)
{
  const char *asked = pd_form_get (link, "LMI_SIM_MODE");

  if (!self->test_site)
    return NULL;
  return asked ? asked : "0";
}

static PdForm *
build_prerequest (PdSandbox    *self,
                  const PdForm *link)
{
  PdForm *form = pd_form_new ();
  g_autofree char *description = decoded_description (link);
  const char *currency = pd_currency_normalize (pd_form_get (link, "LMI_CURRENCY"));
  const char *sim = sim_mode (self, link);

  pd_form_add (form, "LMI_PREREQUEST", "1");
  pd_form_add (form, "LMI_MERCHANT_ID", pd_form_get (link, "LMI_MERCHANT_ID"));
  pd_form_add (form, "LMI_PAYMENT_NO", pd_form_get (link, "LMI_PAYMENT_NO"));
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", pd_form_get (link, "LMI_PAYMENT_AMOUNT"));
  pd_form_add (form, "LMI_CURRENCY", currency);
  pd_form_add (form, "LMI_PAID_AMOUNT", pd_form_get (link, "LMI_PAYMENT_AMOUNT"));
  pd_form_add (form, "LMI_PAID_CURRENCY", currency);
  pd_form_add (form, "LMI_PAYMENT_SYSTEM", "3");
  pd_form_add (form, "LMI_PAYMENT_METHOD", payment_method (self));
  if (sim != NULL)
    pd_form_add (form, "LMI_SIM_MODE", sim);
  pd_form_add (form, "LMI_PAYMENT_DESC", description);
  copy_merchant_fields (link, form);
  return form;
}

/* Remembers a payment of @link with @status, as PayMaster keeps a
 * cancelled one for the status API too. */
static void
record_payment (PdSandbox          *self,
                const char         *payment_id,
                const PdForm       *link,
                PdApiPaymentStatus  status)
{
  g_autofree char *new_id = payment_id == NULL ? _pd_sandbox_book_new_id (self->book) : NULL;
  g_autofree char *description = decoded_description (link);
  gint64 amount = 0;

  pd_money_parse (pd_form_get (link, "LMI_PAYMENT_AMOUNT"), &amount, NULL);
  _pd_sandbox_book_add_payment (self->book, payment_id ? payment_id : new_id,
                                pd_form_get (link, "LMI_MERCHANT_ID"),
                                pd_form_get (link, "LMI_PAYMENT_NO"), description, amount,
                                pd_currency_normalize (pd_form_get (link, "LMI_CURRENCY")),
                                status, self->test_site, payment_method (self));
}

static PdForm *
build_notification (PdSandbox    *self,
                    const PdForm *link,
                    const char   *payer_ip)
{
  PdForm *form = pd_form_new ();
  g_autofree char *description = decoded_description (link);
  g_autofree char *payment_id = _pd_sandbox_book_new_id (self->book);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  const char *currency = pd_currency_normalize (pd_form_get (link, "LMI_CURRENCY"));
  const char *sim = sim_mode (self, link);
  g_autofree char *hash = NULL;

  pd_form_add (form, "LMI_MERCHANT_ID", pd_form_get (link, "LMI_MERCHANT_ID"));
  pd_form_add (form, "LMI_PAYMENT_NO", pd_form_get (link, "LMI_PAYMENT_NO"));
  pd_form_add (form, "LMI_SYS_PAYMENT_ID", payment_id);
  pd_form_add (form, "LMI_SYS_PAYMENT_DATE", date);
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", pd_form_get (link, "LMI_PAYMENT_AMOUNT"));
  pd_form_add (form, "LMI_CURRENCY", currency);
  pd_form_add (form, "LMI_PAID_AMOUNT", pd_form_get (link, "LMI_PAYMENT_AMOUNT"));
  pd_form_add (form, "LMI_PAID_CURRENCY", currency);
  pd_form_add (form, "LMI_PAYMENT_SYSTEM", "3");
  pd_form_add (form, "LMI_PAYMENT_METHOD", payment_method (self));
  if (sim != NULL)
    pd_form_add (form, "LMI_SIM_MODE", sim);
  pd_form_add (form, "LMI_PAYER_IDENTIFIER", "411111******1111");
  pd_form_add (form, "LMI_PAYMENT_REF", payment_id);
  pd_form_add (form, "LMI_PAYMENT_DESC", description);
  pd_form_add (form, "LMI_PAYER_IP_ADDRESS", payer_ip ? payer_ip : "127.0.0.1");
  pd_form_add (form, "LMI_PAYER_COUNTRY", "RU");
  copy_merchant_fields (link, form);

  hash = pd_paymaster_sign (form, self->hash_alg, self->secret);
  pd_form_add (form, "LMI_HASH", hash);
  return form;
}

static SoupMessage *
post_form (const char   *url,
           const PdForm *form)
{
  g_autofree char *body = pd_form_encode (form);
  gsize length = strlen (body);
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, url);

  if (msg != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), length);

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }
  return msg;
}

/* A classic payment waiting for the shop's answer to the pre-request. */
typedef struct
{
  PdSandbox         *sandbox;   /* the checkout holds it */
  PdSandboxCheckout *checkout;
  PdForm            *link;
  PdForm            *notification;
} Payment;

static void
payment_free (Payment *payment)
{
  pd_form_free (payment->link);
  pd_form_free (payment->notification);
  g_free (payment);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Payment, payment_free)

static void
prerequest_sent_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Payment) payment = user_data;
  PdSandbox *self = payment->sandbox;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autofree char *answer = NULL;
  g_autofree char *notification = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  const char *payment_id = pd_form_get (payment->notification, "LMI_SYS_PAYMENT_ID");
  const char *failure_url = pd_form_get (payment->link, "LMI_FAILURE_URL");

  if (body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      record_payment (self, NULL, payment->link, PD_API_PAYMENT_CANCELLED);
      _pd_sandbox_checkout_finish (payment->checkout, PD_SANDBOX_OUTCOME_REFUSED,
                                   &text_unreachable, failure_url);
      return;
    }

  answer = g_strstrip (g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)));
  if (!g_str_equal (answer, "YES"))
    {
      record_payment (self, NULL, payment->link, PD_API_PAYMENT_CANCELLED);
      _pd_sandbox_checkout_finish (payment->checkout, PD_SANDBOX_OUTCOME_REFUSED, NULL,
                                   failure_url);
      return;
    }

  record_payment (self, payment_id, payment->link, PD_API_PAYMENT_SETTLED);
  notification = pd_form_encode (payment->notification);
  length = strlen (notification);
  bytes = g_bytes_new_take (g_steal_pointer (&notification), length);
  _pd_sandbox_checkout_deliver (payment->checkout,
                                pd_form_get (payment->link, "LMI_PAYMENT_NOTIFICATION_URL"),
                                "application/x-www-form-urlencoded", bytes, payment_id,
                                pd_form_get (payment->link, "LMI_SUCCESS_URL"));
}

static gboolean
simulated_failure (PdSandbox    *self,
                   const PdForm *link)
{
  const char *sim = sim_mode (self, link);

  if (g_strcmp0 (sim, "1") == 0)
    return TRUE;
  if (g_strcmp0 (sim, "2") == 0)
    return g_random_int_range (0, 100) >= 80;
  return FALSE;
}

static void
pay_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  PdSandbox *self = user_data;
  PdSandboxLang lang = _pd_sandbox_choose_lang (msg, query);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdForm) choice = NULL;
  g_autoptr(PdForm) link = NULL;
  g_autoptr(PdForm) prerequest = NULL;
  g_autoptr(SoupMessage) outgoing = NULL;
  const char *encoded;
  const char *action;
  const PdSandboxText *problem = NULL;
  PdSandboxCheckout *checkout;
  Payment *payment;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  choice = request_form (msg, &error);
  encoded = choice ? pd_form_get (choice, "payment") : NULL;
  if (encoded != NULL)
    link = pd_form_parse (encoded, strlen (encoded), &error);
  if (link == NULL || (problem = link_problem (self, link)) != NULL)
    {
      send_bad_link (msg, lang, _pd_sandbox_tr (lang, problem ? problem : &problem_incomplete));
      return;
    }

  checkout = _pd_sandbox_checkout_new (self, msg, lang);
  action = pd_form_get (choice, "action");
  if (g_strcmp0 (action, "pay") != 0)
    {
      record_payment (self, NULL, link, PD_API_PAYMENT_CANCELLED);
      _pd_sandbox_checkout_finish (checkout, PD_SANDBOX_OUTCOME_DECLINED, NULL,
                                   pd_form_get (link, "LMI_FAILURE_URL"));
      return;
    }

  if (simulated_failure (self, link))
    {
      record_payment (self, NULL, link, PD_API_PAYMENT_CANCELLED);
      _pd_sandbox_checkout_finish (checkout, PD_SANDBOX_OUTCOME_DECLINED, &text_failed_sim,
                                   pd_form_get (link, "LMI_FAILURE_URL"));
      return;
    }

  payment = g_new0 (Payment, 1);
  payment->sandbox = self;
  payment->checkout = checkout;
  payment->notification = build_notification (self, link,
                                              soup_server_message_get_remote_host (msg));
  payment->link = g_steal_pointer (&link);

  /* As when PayMaster cannot reach a desktop behind NAT: the money moves,
   * and the shop learns of it only from the status API. */
  if (!self->delivers_notifications)
    {
      record_payment (self, pd_form_get (payment->notification, "LMI_SYS_PAYMENT_ID"),
                      payment->link, PD_API_PAYMENT_SETTLED);
      _pd_sandbox_checkout_finish (checkout, PD_SANDBOX_OUTCOME_PAID, NULL,
                                   pd_form_get (payment->link, "LMI_SUCCESS_URL"));
      payment_free (payment);
      return;
    }

  prerequest = build_prerequest (self, payment->link);
  outgoing = post_form (pd_form_get (payment->link, "LMI_INVOICE_CONFIRMATION_URL"), prerequest);
  if (outgoing == NULL)
    {
      _pd_sandbox_checkout_finish (checkout, PD_SANDBOX_OUTCOME_REFUSED, &text_unreachable,
                                   pd_form_get (payment->link, "LMI_FAILURE_URL"));
      payment_free (payment);
      return;
    }

  soup_session_send_and_read_async (self->session, outgoing, G_PRIORITY_DEFAULT, NULL,
                                    prerequest_sent_cb, payment);
}

/* Serves the classic checkout under @prefix and adds its paths to @paths. */
void
_pd_sandbox_classic_attach (PdSandbox  *sandbox,
                            SoupServer *server,
                            const char *prefix,
                            GPtrArray  *paths)
{
  _pd_sandbox_add_handler (sandbox, server, prefix, "/Payment/Init", init_handler, paths);
  _pd_sandbox_add_handler (sandbox, server, prefix, "/Payment/Pay", pay_handler, paths);
}
