/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include <string.h>

#include "pd-json.h"
#include "pd-money.h"
#include "pd-sandbox-private.h"

/* What the sandbox answers with: its pages, plain HTML in Russian or
 * English that needs no JavaScript, and the JSON of its APIs. */

static const PdSandboxText text_title = { "PayMaster sandbox", "Песочница PayMaster" };
static const PdSandboxText text_note = {
  "This is Paydesk's local sandbox: no money moves.",
  "Это локальная песочница Paydesk: деньги не списываются."
};
static const PdSandboxText text_invoice = { "Invoice", "Счёт" };
static const PdSandboxText text_description = { "Description", "Описание" };
static const PdSandboxText text_amount = { "Amount", "Сумма" };
static const PdSandboxText text_shop = { "Shop identifier", "Идентификатор магазина" };
static const PdSandboxText text_pay = { "Pay", "Оплатить" };
static const PdSandboxText text_decline = { "Decline", "Отказаться" };
static const PdSandboxText text_back = { "Back to the shop", "Вернуться в магазин" };
static const PdSandboxText text_other_lang = { "Русский", "English" };

const char *
_pd_sandbox_tr (PdSandboxLang        lang,
                const PdSandboxText *text)
{
  return lang == PD_SANDBOX_LANG_RU ? text->ru : text->en;
}

const char *
_pd_sandbox_lang_code (PdSandboxLang lang)
{
  return lang == PD_SANDBOX_LANG_RU ? "ru" : "en";
}

PdSandboxLang
_pd_sandbox_other_lang (PdSandboxLang lang)
{
  return lang == PD_SANDBOX_LANG_RU ? PD_SANDBOX_LANG_EN : PD_SANDBOX_LANG_RU;
}

/* The language asked for with PD_SANDBOX_LANG_FIELD, else the browser's. */
PdSandboxLang
_pd_sandbox_choose_lang (SoupServerMessage *msg,
                         GHashTable        *query)
{
  const char *asked = query ? g_hash_table_lookup (query, PD_SANDBOX_LANG_FIELD) : NULL;
  const char *accept;

  if (asked != NULL)
    return g_str_equal (asked, "ru") ? PD_SANDBOX_LANG_RU : PD_SANDBOX_LANG_EN;

  accept = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Accept-Language");
  return accept != NULL && g_ascii_strncasecmp (accept, "ru", 2) == 0
         ? PD_SANDBOX_LANG_RU : PD_SANDBOX_LANG_EN;
}

static void
page_begin (GString       *page,
            PdSandboxLang  lang,
            const char    *heading)
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
                          _pd_sandbox_lang_code (lang), escaped, escaped);
}

static void
page_end (GString       *page,
          PdSandboxLang  lang)
{
  g_string_append_printf (page, "<p class=\"note\">%s</p></body></html>\n",
                          _pd_sandbox_tr (lang, &text_note));
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

static const char *
currency_sign (const char *code)
{
  const char *alpha = pd_currency_normalize (code);

  return g_strcmp0 (alpha, "RUB") == 0 ? "₽" : alpha;
}

/* The details of a payment and its Pay and Decline buttons. */
void
_pd_sandbox_send_checkout_page (SoupServerMessage           *msg,
                                PdSandboxLang                lang,
                                const PdSandboxCheckoutPage *checkout)
{
  g_autofree char *amount = pd_money_format (checkout->amount);
  g_autofree char *hidden = NULL;
  g_autofree char *body = NULL;
  GString *page = g_string_new (NULL);

  if (lang == PD_SANDBOX_LANG_RU)
    g_strdelimit (amount, ".", ',');
  if (checkout->payment_field != NULL)
    hidden = g_markup_printf_escaped ("<input type=\"hidden\" name=\"payment\" value=\"%s\">",
                                      checkout->payment_field);

  body = g_markup_printf_escaped (
    "<dl><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s %s</dd>"
    "<dt>%s</dt><dd>%s</dd></dl>\n"
    "<form method=\"post\" action=\"%s\">",
    _pd_sandbox_tr (lang, &text_invoice), checkout->order_no,
    _pd_sandbox_tr (lang, &text_description), checkout->description,
    _pd_sandbox_tr (lang, &text_amount), amount, currency_sign (checkout->currency),
    _pd_sandbox_tr (lang, &text_shop), checkout->merchant_id,
    checkout->form_action);

  page_begin (page, lang, _pd_sandbox_tr (lang, &text_title));
  g_string_append (page, body);
  g_clear_pointer (&body, g_free);
  if (hidden != NULL)
    g_string_append (page, hidden);
  body = g_markup_printf_escaped (
    "<button type=\"submit\" name=\"action\" value=\"pay\">%s</button>"
    "<button type=\"submit\" name=\"action\" value=\"decline\">%s</button>"
    "</form>\n<p><a href=\"%s\">%s</a></p>\n",
    _pd_sandbox_tr (lang, &text_pay), _pd_sandbox_tr (lang, &text_decline),
    checkout->other_lang_url, _pd_sandbox_tr (lang, &text_other_lang));
  g_string_append (page, body);
  page_end (page, lang);
  send_page (msg, SOUP_STATUS_OK, page);
}

/* A page with @heading, then @detail and a link back to the shop when
 * they are given. */
void
_pd_sandbox_send_message_page (SoupServerMessage *msg,
                               guint              status,
                               PdSandboxLang      lang,
                               const char        *heading,
                               const char        *detail,
                               const char        *back_url)
{
  GString *page = g_string_new (NULL);

  page_begin (page, lang, heading);
  if (detail != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (detail, -1);

      g_string_append_printf (page, "<p>%s</p>\n", escaped);
    }
  if (back_url != NULL && *back_url != '\0')
    {
      g_autofree char *link = g_markup_printf_escaped ("<p><a href=\"%s\">%s</a></p>\n", back_url,
                                                       _pd_sandbox_tr (lang, &text_back));

      g_string_append (page, link);
    }
  page_end (page, lang);
  send_page (msg, status, page);
}

/* Answers with @builder's JSON, money written exactly. */
void
_pd_sandbox_send_json (SoupServerMessage *msg,
                       guint              status,
                       JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  char *text = pd_json_to_string (root);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}
