/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include <string.h>

#include "pd-form.h"
#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-sandbox-private.h"

/* A local stand-in for PayMaster's classic checkout: it shows a payment
 * page for a payment link, and on "Pay" sends the pre-request and then a
 * signed notification to the shop, exactly as the spec describes, retrying
 * the notification with backoff until the shop answers 2xx. The page is
 * plain HTML in Russian or English and needs no JavaScript. Its texts are
 * the sandbox's own (like PayMaster's page), not Paydesk's UI, so they are
 * not run through gettext. */

struct _PdSandbox
{
  GObject      parent_instance;

  PdHashAlg    hash_alg;
  char        *secret;
  gboolean     test_site;
  char        *prefix;
  SoupSession *session;
  guint        first_retry_delay_ms;
  guint        n_in_progress;
  guint64      last_payment_id;
  gboolean     delivers_notifications;
  PdSandboxStatus *status;
};

G_DEFINE_FINAL_TYPE (PdSandbox, pd_sandbox, G_TYPE_OBJECT)

typedef enum { LANG_EN, LANG_RU } Lang;

typedef struct
{
  const char *en;
  const char *ru;
} Text;

static const Text text_title = { "PayMaster sandbox", "Песочница PayMaster" };
static const Text text_note = {
  "This is Paydesk's local sandbox: no money moves.",
  "Это локальная песочница Paydesk: деньги не списываются."
};
static const Text text_invoice = { "Invoice", "Счёт" };
static const Text text_amount = { "Amount", "Сумма" };
static const Text text_shop = { "Shop identifier", "Идентификатор магазина" };
static const Text text_pay = { "Pay", "Оплатить" };
static const Text text_decline = { "Decline", "Отказаться" };
static const Text text_paid = { "Payment complete", "Оплата прошла" };
static const Text text_paid_pending = {
  "The payment went through, but the shop has not confirmed it yet; the sandbox keeps trying.",
  "Оплата прошла, но магазин её ещё не подтвердил; песочница продолжает попытки."
};
static const Text text_refused = { "The shop refused the payment", "Магазин отклонил оплату" };
static const Text text_declined = { "Payment cancelled", "Оплата отменена" };
static const Text text_failed_sim = {
  "The test payment failed, as the link asked (LMI_SIM_MODE).",
  "Тестовый платёж не прошёл, как задано в ссылке (LMI_SIM_MODE)."
};
static const Text text_unreachable = {
  "The shop could not be reached to confirm the invoice.",
  "Не удалось связаться с магазином для подтверждения счёта."
};
static const Text text_back = { "Back to the shop", "Вернуться в магазин" };
static const Text text_bad_link = { "This payment link is not valid", "Ссылка на оплату неверна" };
static const Text text_other_lang = { "Русский", "English" };

static const char *
tr (Lang        lang,
    const Text *text)
{
  return lang == LANG_RU ? text->ru : text->en;
}

/* The page's language switch; removed from the link before it is echoed. */
#define LANG_FIELD "pd_sandbox_lang"

static Lang
choose_lang (SoupServerMessage *msg,
             GHashTable        *query)
{
  const char *asked = query ? g_hash_table_lookup (query, LANG_FIELD) : NULL;
  const char *accept;

  if (asked != NULL)
    return g_str_equal (asked, "ru") ? LANG_RU : LANG_EN;

  accept = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Accept-Language");
  return accept != NULL && g_ascii_strncasecmp (accept, "ru", 2) == 0 ? LANG_RU : LANG_EN;
}

static void
page_begin (GString    *page,
            Lang        lang,
            const char *heading)
{
  g_autofree char *escaped = g_markup_escape_text (heading, -1);

  g_string_append_printf (page,
                          "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width\">"
                          "<title>%s</title><style>"
                          "body{font-family:sans-serif;max-width:32em;margin:2em auto;padding:0 1em}"
                          "button{font-size:1.1em;padding:.5em 1.5em;margin-right:1em}"
                          ".note{color:#666}dt{font-weight:bold}"
                          "</style></head><body><h1>%s</h1>\n",
                          lang == LANG_RU ? "ru" : "en", escaped, escaped);
}

static void
page_end (GString *page,
          Lang     lang)
{
  g_string_append_printf (page, "<p class=\"note\">%s</p></body></html>\n", tr (lang, &text_note));
}

static void
send_page (SoupServerMessage *msg,
           guint              status,
           GString           *page)
{
  gsize length = page->len;
  char *body = g_string_free (page, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, body, length);
}

static void
append_link (GString    *page,
             const char *url,
             const char *label)
{
  g_autofree char *escaped_url = g_markup_escape_text (url ? url : "", -1);
  g_autofree char *escaped_label = g_markup_escape_text (label, -1);

  if (url != NULL && *url != '\0')
    g_string_append_printf (page, "<p><a href=\"%s\">%s</a></p>\n", escaped_url, escaped_label);
}

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

static const Text problem_merchant = {
  "LMI_MERCHANT_ID is missing.", "Нет поля LMI_MERCHANT_ID."
};
static const Text problem_amount = {
  "LMI_PAYMENT_AMOUNT is missing or not an amount such as 50.00.",
  "Поле LMI_PAYMENT_AMOUNT отсутствует или не похоже на сумму вида 50.00."
};
static const Text problem_currency = {
  "LMI_CURRENCY is missing or unknown.", "Поле LMI_CURRENCY отсутствует или неизвестно."
};
static const Text problem_number = { "LMI_PAYMENT_NO is missing.", "Нет поля LMI_PAYMENT_NO." };
static const Text problem_description = {
  "LMI_PAYMENT_DESC or LMI_PAYMENT_DESC_BASE64 is missing or not UTF-8.",
  "Поле LMI_PAYMENT_DESC или LMI_PAYMENT_DESC_BASE64 отсутствует или не в UTF-8."
};
static const Text problem_urls = {
  "The sandbox needs LMI_INVOICE_CONFIRMATION_URL and LMI_PAYMENT_NOTIFICATION_URL in the link.",
  "Песочнице нужны поля LMI_INVOICE_CONFIRMATION_URL и LMI_PAYMENT_NOTIFICATION_URL в ссылке."
};
static const Text problem_incomplete = {
  "The payment form is incomplete.", "Форма оплаты заполнена не полностью."
};

/* Checks a payment link the way PayMaster would refuse it. Returns what
 * is wrong, or NULL. */
static const Text *
link_problem (const PdForm *link)
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
  if (pd_form_get (link, "LMI_INVOICE_CONFIRMATION_URL") == NULL ||
      pd_form_get (link, "LMI_PAYMENT_NOTIFICATION_URL") == NULL)
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
               Lang               lang,
               const char        *problem)
{
  GString *page = g_string_new (NULL);
  g_autofree char *escaped = g_markup_escape_text (problem, -1);

  page_begin (page, lang, tr (lang, &text_bad_link));
  g_string_append_printf (page, "<p>%s</p>\n", escaped);
  page_end (page, lang);
  send_page (msg, SOUP_STATUS_BAD_REQUEST, page);
}

static const char *
currency_sign (const char *code)
{
  const char *alpha = pd_currency_normalize (code);

  return g_strcmp0 (alpha, "RUB") == 0 ? "₽" : alpha;
}

static void
init_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  PdSandbox *self = user_data;
  Lang lang = choose_lang (msg, query);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdForm) link = request_form (msg, &error);
  g_autofree char *description = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *pay_url = NULL;
  g_autofree char *other_url = NULL;
  gint64 kopecks = 0;
  g_autofree char *amount = NULL;
  GString *page;
  const Text *problem;

  if (link == NULL)
    {
      send_bad_link (msg, lang, error->message);
      return;
    }
  if ((problem = link_problem (link)) != NULL)
    {
      send_bad_link (msg, lang, tr (lang, problem));
      return;
    }

  pd_form_remove (link, LANG_FIELD);
  description = decoded_description (link);
  encoded = pd_form_encode (link);
  pay_url = g_strdup_printf ("%s/Payment/Pay?" LANG_FIELD "=%s", self->prefix, lang == LANG_RU ? "ru" : "en");
  other_url = g_strdup_printf ("%s/Payment/Init?" LANG_FIELD "=%s&%s", self->prefix,
                               lang == LANG_RU ? "en" : "ru", encoded);
  pd_money_parse (pd_form_get (link, "LMI_PAYMENT_AMOUNT"), &kopecks, NULL);
  amount = pd_money_format (kopecks);
  if (lang == LANG_RU)
    g_strdelimit (amount, ".", ',');

  page = g_string_new (NULL);
  page_begin (page, lang, tr (lang, &text_title));
  {
    g_autofree char *body = g_markup_printf_escaped (
      "<dl><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s %s</dd>"
      "<dt>%s</dt><dd>%s</dd></dl>\n"
      "<form method=\"post\" action=\"%s\">"
      "<input type=\"hidden\" name=\"payment\" value=\"%s\">"
      "<button type=\"submit\" name=\"action\" value=\"pay\">%s</button>"
      "<button type=\"submit\" name=\"action\" value=\"decline\">%s</button>"
      "</form>\n<p><a href=\"%s\">%s</a></p>\n",
      tr (lang, &text_invoice), pd_form_get (link, "LMI_PAYMENT_NO"),
      lang == LANG_RU ? "Описание" : "Description", description,
      tr (lang, &text_amount), amount, currency_sign (pd_form_get (link, "LMI_CURRENCY")),
      tr (lang, &text_shop), pd_form_get (link, "LMI_MERCHANT_ID"),
      pay_url, encoded, tr (lang, &text_pay), tr (lang, &text_decline),
      other_url, tr (lang, &text_other_lang));

    g_string_append (page, body);
  }
  page_end (page, lang);
  send_page (msg, SOUP_STATUS_OK, page);
}

/* One payment on its way: the checkout page waits for the pre-request and
 * the first notification attempt; later attempts go on without it. */
typedef struct
{
  PdSandbox         *sandbox;
  SoupServerMessage *page_msg;
  gboolean           page_finished;
  gulong             finished_id;
  Lang               lang;
  PdForm            *link;
  PdForm            *notification;
  guint              attempt;
  guint              delay_ms;
} Payment;

static void
payment_release_page (Payment *payment)
{
  if (payment->page_msg == NULL)
    return;
  g_signal_handler_disconnect (payment->page_msg, payment->finished_id);
  g_clear_object (&payment->page_msg);
}

static void
payment_free (Payment *payment)
{
  payment->sandbox->n_in_progress--;
  payment_release_page (payment);
  pd_form_free (payment->link);
  g_clear_pointer (&payment->notification, pd_form_free);
  g_object_unref (payment->sandbox);
  g_free (payment);
}

static void
page_finished_cb (SoupServerMessage *msg,
                  Payment           *payment)
{
  payment->page_finished = TRUE;
}

/* Ends the checkout page with @heading, @detail and a link back to the shop. */
static void
payment_show_result (Payment    *payment,
                     const char *heading,
                     const char *detail,
                     const char *back_url)
{
  GString *page;

  if (payment->page_msg == NULL)
    return;

  if (!payment->page_finished)
    {
      page = g_string_new (NULL);
      page_begin (page, payment->lang, heading);
      if (detail != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (detail, -1);

          g_string_append_printf (page, "<p>%s</p>\n", escaped);
        }
      append_link (page, back_url, tr (payment->lang, &text_back));
      page_end (page, payment->lang);
      send_page (payment->page_msg, SOUP_STATUS_OK, page);
      soup_server_message_unpause (payment->page_msg);
    }

  payment_release_page (payment);
}

/* Ends the page and the payment: nothing more will be sent for it. */
static void
payment_finish (Payment    *payment,
                const char *heading,
                const char *detail,
                const char *back_url)
{
  payment_show_result (payment, heading, detail, back_url);
  payment_free (payment);
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

static char *
next_payment_id (PdSandbox *self)
{
  /* Time-based, so that ids stay unique across sandbox restarts against
   * the same shop database. */
  guint64 candidate = (guint64) (g_get_real_time () / 1000);

  self->last_payment_id = MAX (self->last_payment_id + 1, candidate);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, self->last_payment_id);
}

/* Remembers a payment that did not go through, as PayMaster keeps a
 * cancelled one for the status API. */
static void
record_cancelled (PdSandbox    *self,
                  const PdForm *link)
{
  g_autofree char *payment_id = next_payment_id (self);
  g_autofree char *description = decoded_description (link);

  _pd_sandbox_status_record (self->status, payment_id, link, description,
                             PD_CLASSIC_STATE_CANCELLED, self->test_site);
}

static void
record_complete (PdSandbox    *self,
                 const PdForm *link,
                 const PdForm *notification)
{
  _pd_sandbox_status_record (self->status, pd_form_get (notification, "LMI_SYS_PAYMENT_ID"), link,
                             pd_form_get (notification, "LMI_PAYMENT_DESC"),
                             PD_CLASSIC_STATE_COMPLETE, self->test_site);
}

static PdForm *
build_notification (PdSandbox    *self,
                    const PdForm *link,
                    const char   *payer_ip)
{
  PdForm *form = pd_form_new ();
  g_autofree char *description = decoded_description (link);
  g_autofree char *payment_id = next_payment_id (self);
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
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, url);

  if (msg != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }
  return msg;
}

static void send_notification (Payment *payment);

static gboolean
retry_notification_cb (gpointer data)
{
  send_notification (data);
  return G_SOURCE_REMOVE;
}

static void
notification_sent_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Payment *payment = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  guint status = body != NULL ? soup_message_get_status (msg) : 0;
  const char *success_url = pd_form_get (payment->link, "LMI_SUCCESS_URL");

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_debug ("notification %s delivered after %u attempts",
               pd_form_get (payment->notification, "LMI_SYS_PAYMENT_ID"), payment->attempt);
      payment_finish (payment, tr (payment->lang, &text_paid), NULL, success_url);
      return;
    }

  payment_show_result (payment, tr (payment->lang, &text_paid),
                       tr (payment->lang, &text_paid_pending), success_url);

  if (payment->attempt >= PD_SANDBOX_MAX_ATTEMPTS)
    {
      g_message ("The shop did not accept notification %s after %u attempts; giving up",
                 pd_form_get (payment->notification, "LMI_SYS_PAYMENT_ID"), payment->attempt);
      payment_free (payment);
      return;
    }

  g_debug ("notification attempt %u answered %u (%s); retrying in %u ms", payment->attempt, status,
           error ? error->message : "", payment->delay_ms);
  g_timeout_add (payment->delay_ms, retry_notification_cb, payment);
  payment->delay_ms = MIN (payment->delay_ms * 2, 60000);
}

static void
send_notification (Payment *payment)
{
  PdSandbox *self = payment->sandbox;
  g_autoptr(SoupMessage) msg = post_form (pd_form_get (payment->link, "LMI_PAYMENT_NOTIFICATION_URL"),
                                          payment->notification);

  payment->attempt++;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    notification_sent_cb, payment);
}

static void
prerequest_sent_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Payment *payment = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autofree char *answer = NULL;
  const char *failure_url = pd_form_get (payment->link, "LMI_FAILURE_URL");

  if (body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      record_cancelled (payment->sandbox, payment->link);
      payment_finish (payment, tr (payment->lang, &text_refused),
                           tr (payment->lang, &text_unreachable), failure_url);
      return;
    }

  answer = g_strstrip (g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)));
  if (!g_str_equal (answer, "YES"))
    {
      record_cancelled (payment->sandbox, payment->link);
      payment_finish (payment, tr (payment->lang, &text_refused), NULL, failure_url);
      return;
    }

  record_complete (payment->sandbox, payment->link, payment->notification);
  send_notification (payment);
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
  Lang lang = choose_lang (msg, query);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdForm) choice = NULL;
  g_autoptr(PdForm) link = NULL;
  g_autoptr(PdForm) prerequest = NULL;
  g_autoptr(SoupMessage) outgoing = NULL;
  const char *encoded;
  const Text *problem = NULL;
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
  if (link == NULL || (problem = link_problem (link)) != NULL)
    {
      send_bad_link (msg, lang, tr (lang, problem ? problem : &problem_incomplete));
      return;
    }

  payment = g_new0 (Payment, 1);
  payment->sandbox = g_object_ref (self);
  self->n_in_progress++;
  payment->lang = lang;
  payment->link = g_steal_pointer (&link);
  payment->delay_ms = self->first_retry_delay_ms;
  payment->page_msg = g_object_ref (msg);
  payment->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (page_finished_cb), payment);
  soup_server_message_pause (msg);

  if (!g_str_equal (pd_form_get (choice, "action") ? pd_form_get (choice, "action") : "", "pay"))
    {
      record_cancelled (self, payment->link);
      payment_finish (payment, tr (lang, &text_declined), NULL,
                           pd_form_get (payment->link, "LMI_FAILURE_URL"));
      return;
    }

  if (simulated_failure (self, payment->link))
    {
      record_cancelled (self, payment->link);
      payment_finish (payment, tr (lang, &text_declined), tr (lang, &text_failed_sim),
                           pd_form_get (payment->link, "LMI_FAILURE_URL"));
      return;
    }

  payment->notification = build_notification (self, payment->link,
                                              soup_server_message_get_remote_host (msg));

  /* As when PayMaster cannot reach a desktop behind NAT: the money moves,
   * and the shop learns of it only from the status API. */
  if (!self->delivers_notifications)
    {
      record_complete (self, payment->link, payment->notification);
      payment_finish (payment, tr (lang, &text_paid), NULL,
                      pd_form_get (payment->link, "LMI_SUCCESS_URL"));
      return;
    }

  prerequest = build_prerequest (self, payment->link);
  outgoing = post_form (pd_form_get (payment->link, "LMI_INVOICE_CONFIRMATION_URL"), prerequest);
  if (outgoing == NULL)
    {
      payment_finish (payment, tr (lang, &text_refused), tr (lang, &text_unreachable),
                           pd_form_get (payment->link, "LMI_FAILURE_URL"));
      return;
    }

  soup_session_send_and_read_async (self->session, outgoing, G_PRIORITY_DEFAULT, NULL,
                                    prerequest_sent_cb, payment);
}

/* Serves the checkout under @prefix on @server. Returns the paths it
 * added, so that the caller can guard them (pd_listener_protect_path()). */
GStrv
pd_sandbox_attach (PdSandbox  *self,
                   SoupServer *server,
                   const char *prefix)
{
  g_autofree char *init_path = g_strdup_printf ("%s/Payment/Init", prefix);
  g_autofree char *pay_path = g_strdup_printf ("%s/Payment/Pay", prefix);
  g_autofree char *status_path = NULL;

  g_return_val_if_fail (PD_IS_SANDBOX (self), NULL);

  g_free (self->prefix);
  self->prefix = g_strdup (prefix);
  soup_server_add_handler (server, init_path, init_handler, g_object_ref (self), g_object_unref);
  soup_server_add_handler (server, pay_path, pay_handler, g_object_ref (self), g_object_unref);
  status_path = _pd_sandbox_status_attach (self, server, prefix);
  {
    char *paths[] = { init_path, pay_path, status_path, NULL };

    return g_strdupv (paths);
  }
}

/* Whether Pay sends the pre-request and the notification (the default),
 * or only completes the payment, as when PayMaster cannot reach the shop. */
void
pd_sandbox_set_delivers_notifications (PdSandbox *self,
                                       gboolean   delivers_notifications)
{
  g_return_if_fail (PD_IS_SANDBOX (self));

  self->delivers_notifications = !!delivers_notifications;
}

/* The API user that the classic status API (under
 * <prefix>/partners/rest/) accepts; until one is set it refuses every call. */
void
pd_sandbox_set_api_user (PdSandbox  *self,
                         const char *login,
                         const char *password)
{
  g_return_if_fail (PD_IS_SANDBOX (self));

  _pd_sandbox_status_set_api_user (self->status, login, password);
}

PdSandboxStatus *
_pd_sandbox_get_status (PdSandbox *sandbox)
{
  return sandbox->status;
}

void
pd_sandbox_set_retry_delay (PdSandbox *self,
                            guint      first_delay_ms)
{
  self->first_retry_delay_ms = MAX (first_delay_ms, 1);
}

guint
pd_sandbox_get_n_in_progress (PdSandbox *self)
{
  return self->n_in_progress;
}

PdSandbox *
pd_sandbox_new (PdHashAlg   hash_alg,
                const char *secret,
                gboolean    test_site)
{
  PdSandbox *self = g_object_new (PD_TYPE_SANDBOX, NULL);

  self->hash_alg = hash_alg;
  self->secret = g_strdup (secret);
  self->test_site = test_site;
  return self;
}

static void
pd_sandbox_finalize (GObject *object)
{
  PdSandbox *self = PD_SANDBOX (object);

  g_clear_object (&self->session);
  g_free (self->secret);
  g_free (self->prefix);
  g_clear_pointer (&self->status, _pd_sandbox_status_free);

  G_OBJECT_CLASS (pd_sandbox_parent_class)->finalize (object);
}

static void
pd_sandbox_class_init (PdSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_sandbox_finalize;
}

static void
pd_sandbox_init (PdSandbox *self)
{
  self->session = soup_session_new_with_options ("timeout", 15, "idle-timeout", 30,
                                                 "user-agent", "Paydesk-Sandbox/" PACKAGE_VERSION,
                                                 NULL);
  self->first_retry_delay_ms = 1000;
  self->prefix = g_strdup ("");
  self->delivers_notifications = TRUE;
  self->status = _pd_sandbox_status_new ();
}
