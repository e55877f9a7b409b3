/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-api-inbound"

#include "config.h"

#include "pd-api-inbound.h"
#include "pd-money.h"

static PdForm *
form_new (const char *merchant_id,
          const char *invoice_number,
          const char *payment_id,
          gint64      amount,
          const char *currency,
          gboolean    test)
{
  PdForm *form = pd_form_new ();
  g_autofree char *amount_text = pd_money_format (amount);

  pd_form_add (form, "LMI_MERCHANT_ID", merchant_id);
  pd_form_add (form, "LMI_PAYMENT_NO", invoice_number);
  pd_form_add (form, "LMI_SYS_PAYMENT_ID", payment_id);
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", amount_text);
  pd_form_add (form, "LMI_CURRENCY", currency);
  if (test)
    pd_form_add (form, "LMI_SIM_MODE", "0");
  return form;
}

static const char *
or_shop (const char   *merchant_id,
         const PdShop *shop)
{
  return merchant_id != NULL && *merchant_id != '\0' ? merchant_id : shop->merchant_id;
}

PdForm *
pd_api_form_from_classic (const PdShop           *shop,
                          const PdClassicPayment *payment)
{
  return form_new (or_shop (payment->site_id, shop), payment->site_invoice_id,
                   payment->payment_id, payment->amount, payment->currency_code,
                   payment->is_test_payment);
}

PdForm *
pd_api_form_from_v2 (const PdShop       *shop,
                     const PdApiPayment *payment)
{
  PdForm *form = form_new (or_shop (payment->merchant_id, shop), payment->order_no,
                           payment->id, payment->amount, payment->currency,
                           payment->test_mode);

  if (payment->payment_method != NULL)
    pd_form_add (form, "LMI_PAYMENT_METHOD", payment->payment_method);
  if (payment->instrument_title != NULL)
    pd_form_add (form, "LMI_PAYER_IDENTIFIER", payment->instrument_title);
  if (payment->created != NULL)
    pd_form_add (form, "LMI_SYS_PAYMENT_DATE", payment->created);
  return form;
}

/* An answer of PayMaster's to Paydesk's own authenticated request: there
 * is no signature to check. Takes @form. */
PdInbound *
pd_api_inbound_new (const char *path,
                    PdForm     *form)
{
  PdInbound *inbound = pd_inbound_new ();

  inbound->method = g_strdup ("GET");
  inbound->path = g_strdup (path);
  inbound->body = pd_form_encode (form);
  inbound->form = form;
  inbound->from_status_api = TRUE;
  return inbound;
}
