/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-ledger"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-ledger.h"
#include "pd-money.h"
#include "pd-paymaster.h"

/* The rules that decide which request changes which invoice. They are pure:
 * the store looks the invoice up inside the write transaction and applies
 * the decision, so that the rules can be tested as a table. */

static void
decide (PdLedgerDecision *decision,
        PdVerdict         verdict,
        guint             http_status,
        const char       *response,
        char             *reason)
{
  g_free (decision->reason);
  decision->verdict = verdict;
  decision->http_status = http_status;
  decision->response = response;
  decision->reason = reason;
}

void
pd_ledger_decision_clear (PdLedgerDecision *decision)
{
  g_clear_pointer (&decision->reason, g_free);
  g_clear_pointer (&decision->invoice_number, g_free);
}

static const char *prerequest_fields[] = {
  "LMI_MERCHANT_ID", "LMI_PAYMENT_NO", "LMI_PAYMENT_AMOUNT", "LMI_CURRENCY", NULL
};

static const char *notification_fields[] = {
  "LMI_MERCHANT_ID", "LMI_PAYMENT_NO", "LMI_SYS_PAYMENT_ID", "LMI_PAYMENT_AMOUNT",
  "LMI_CURRENCY", "LMI_HASH", NULL
};

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Classifies the request and refuses one that lacks a field the rules need,
 * or repeats an LMI_ field (a repeated field could mean one thing to the
 * signature and another to the ledger). Returns FALSE when the decision
 * is final. */
gboolean
pd_ledger_check_fields (const PdForm     *form,
                        PdLedgerDecision *decision)
{
  const char * const *required;
  guint n_fields = pd_form_get_n_fields (form);

  if (pd_paymaster_is_prerequest (form))
    {
      decision->kind = PD_EVENT_PREREQUEST;
      required = prerequest_fields;
    }
  else if (pd_form_get (form, "LMI_SYS_PAYMENT_ID") || pd_form_get (form, "LMI_HASH"))
    {
      decision->kind = PD_EVENT_NOTIFICATION;
      required = notification_fields;
    }
  else
    {
      decision->kind = PD_EVENT_INVALID;
      decide (decision, PD_VERDICT_REJECTED, 400, "ERROR",
              g_strdup (_("The request is neither a PayMaster pre-request nor a payment notification.")));
      return FALSE;
    }

  for (guint i = 0; required[i]; i++)
    {
      const char *value = pd_form_get (form, required[i]);

      if (value == NULL || *value == '\0')
        {
          decide (decision, PD_VERDICT_REJECTED, 400, "ERROR",
                  g_strdup_printf (_("The field %s is missing."), required[i]));
          return FALSE;
        }
    }

  {
    /* Sorted, any repeated name sits next to its twin. */
    g_autofree const char **names = g_new (const char *, n_fields + 1);
    guint n_names = 0;

    for (guint i = 0; i < n_fields; i++)
      {
        const char *name;

        pd_form_get_field (form, i, &name, NULL);
        if (g_str_has_prefix (name, "LMI_"))
          names[n_names++] = name;
      }
    qsort (names, n_names, sizeof *names, compare_names);
    for (guint i = 1; i < n_names; i++)
      {
        if (strcmp (names[i - 1], names[i]) == 0)
          {
            decide (decision, PD_VERDICT_REJECTED, 400, "ERROR",
                    g_strdup_printf (_("The field %s appears more than once."), names[i]));
            return FALSE;
          }
      }
  }

  return TRUE;
}

/* Shared by both kinds of request: is this our site, and do the invoice,
 * amount and currency agree? Returns FALSE with the decision set otherwise. */
static gboolean
check_merchant (const PdShop     *shop,
                const PdForm     *form,
                PdLedgerDecision *decision,
                guint             http_status,
                const char       *response)
{
  const char *merchant_id = pd_form_get (form, "LMI_MERCHANT_ID");

  if (shop->merchant_id != NULL && g_ascii_strcasecmp (merchant_id, shop->merchant_id) == 0)
    return TRUE;

  decide (decision, PD_VERDICT_REJECTED, http_status, response,
          g_strdup_printf (_("The request is for another PayMaster site (%s); Paydesk is set up for %s."),
                           merchant_id, shop->merchant_id));
  return FALSE;
}

static char *
amount_mismatch (const PdForm          *form,
                 const PdLedgerInvoice *invoice)
{
  const char *amount_text = pd_form_get (form, "LMI_PAYMENT_AMOUNT");
  const char *currency = pd_form_get (form, "LMI_CURRENCY");
  const char *number = pd_form_get (form, "LMI_PAYMENT_NO");
  g_autofree char *expected = pd_money_format (invoice->amount);
  gint64 amount;

  if (!pd_money_parse (amount_text, &amount, NULL))
    return g_strdup_printf (_("The amount “%s” is not a valid amount."), amount_text);

  if (amount != invoice->amount)
    return g_strdup_printf (_("The amount %s does not match invoice %s (%s)."),
                            amount_text, number, expected);

  if (!pd_currency_equal (currency, invoice->currency))
    return g_strdup_printf (_("The currency %s does not match invoice %s (%s)."),
                            currency, number, invoice->currency);

  return NULL;
}

static char *
not_payable (const PdForm          *form,
             const PdLedgerInvoice *invoice)
{
  const char *number = pd_form_get (form, "LMI_PAYMENT_NO");

  switch (invoice->status)
    {
    case PD_INVOICE_ISSUED:
      return NULL;
    case PD_INVOICE_PAID:
      return g_strdup_printf (_("Invoice %s is already paid."), number);
    case PD_INVOICE_CANCELLED:
      return g_strdup_printf (_("Invoice %s was cancelled and can no longer be paid."), number);
    case PD_INVOICE_EXPIRED:
      return g_strdup_printf (_("Invoice %s has expired and can no longer be paid."), number);
    case PD_INVOICE_REFUNDED:
      return g_strdup_printf (_("Invoice %s was refunded and can no longer be paid."), number);
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
test_on_live_reason (void)
{
  return _("PayMaster sent a test payment, but Paydesk is in working mode: the PayMaster site "
           "is still in test mode and takes no real money. Ask PayMaster to switch it to working mode.");
}

void
pd_ledger_decide_prerequest (const PdShop          *shop,
                             const PdForm          *form,
                             const PdLedgerInvoice *invoice,
                             PdLedgerDecision      *decision)
{
  const char *number = pd_form_get (form, "LMI_PAYMENT_NO");
  char *problem;

  decision->kind = PD_EVENT_PREREQUEST;

  if (!check_merchant (shop, form, decision, 200, "NO"))
    return;

  if (!invoice->found)
    {
      decide (decision, PD_VERDICT_REJECTED, 200, "NO",
              g_strdup_printf (_("There is no invoice %s."), number));
      return;
    }

  if ((problem = not_payable (form, invoice)) != NULL ||
      (problem = amount_mismatch (form, invoice)) != NULL)
    {
      decide (decision, PD_VERDICT_REJECTED, 200, "NO", problem);
      return;
    }

  if (invoice->expired)
    {
      decide (decision, PD_VERDICT_REJECTED, 200, "NO",
              g_strdup_printf (_("Invoice %s has expired."), number));
      return;
    }

  if (pd_form_get (form, "LMI_SIM_MODE") != NULL && !pd_shop_mode_is_test (shop->mode))
    {
      decide (decision, PD_VERDICT_FLAGGED, 200, "NO", g_strdup (test_on_live_reason ()));
      return;
    }

  decide (decision, PD_VERDICT_ACCEPTED, 200, "YES",
          g_strdup_printf (_("Invoice %s may be paid."), number));
}

/* Whether @payment_id may pay an invoice PayMaster made with the payment
 * @paymaster_invoice_id (REST v2; NULL for a classic invoice, which any
 * payment under its number may pay). Another payment under a v2 invoice's
 * number is someone else's, such as a web shop's on the same PayMaster
 * site. */
gboolean
pd_ledger_payment_matches_invoice (const char *paymaster_invoice_id,
                                   const char *payment_id)
{
  return paymaster_invoice_id == NULL || g_strcmp0 (payment_id, paymaster_invoice_id) == 0;
}

void
pd_ledger_decide_notification (const PdShop          *shop,
                               const PdForm          *form,
                               gboolean               signature_ok,
                               const char            *signature_diagnosis,
                               const PdLedgerInvoice *invoice,
                               gboolean               already_recorded,
                               PdLedgerDecision      *decision)
{
  const char *number = pd_form_get (form, "LMI_PAYMENT_NO");
  const char *payment_id = pd_form_get (form, "LMI_SYS_PAYMENT_ID");
  char *problem;

  decision->kind = PD_EVENT_NOTIFICATION;
  decision->test_payment = pd_form_get (form, "LMI_SIM_MODE") != NULL;

  /* Without a valid signature or for another site, answer an error so that
   * PayMaster retries: once the merchant fixes the setting, it goes through. */
  if (!signature_ok)
    {
      decide (decision, PD_VERDICT_REJECTED, 403, "ERROR", g_strdup (signature_diagnosis));
      return;
    }

  if (!check_merchant (shop, form, decision, 403, "ERROR"))
    return;

  if (already_recorded)
    {
      decide (decision, PD_VERDICT_DUPLICATE, 200, "OK",
              g_strdup_printf (_("Payment %s was already recorded; nothing changed."), payment_id));
      return;
    }

  /* From here on the payment is genuine: it is recorded and answered 200
   * even when it cannot pay its invoice, so that the merchant sees it. */
  decision->record_payment = TRUE;

  if (!invoice->found)
    {
      decide (decision, PD_VERDICT_FLAGGED, 200, "OK",
              g_strdup_printf (_("Payment %s is for invoice %s, which Paydesk does not know."),
                               payment_id, number));
      return;
    }

  if (!pd_ledger_payment_matches_invoice (invoice->paymaster_invoice_id, payment_id))
    {
      decide (decision, PD_VERDICT_FLAGGED, 200, "OK",
              g_strdup_printf (_("Payment %s is not the one PayMaster made for invoice %s (%s): "
                                 "it is for another order with the same number on your "
                                 "PayMaster site, so the invoice stays open."),
                               payment_id, number, invoice->paymaster_invoice_id));
      return;
    }

  if ((problem = amount_mismatch (form, invoice)) != NULL ||
      (problem = not_payable (form, invoice)) != NULL)
    {
      decide (decision, PD_VERDICT_FLAGGED, 200, "OK", problem);
      return;
    }

  if (decision->test_payment && !pd_shop_mode_is_test (shop->mode))
    {
      decide (decision, PD_VERDICT_FLAGGED, 200, "OK", g_strdup (test_on_live_reason ()));
      return;
    }

  decision->mark_paid = TRUE;
  decide (decision, PD_VERDICT_ACCEPTED, 200, "OK",
          g_strdup_printf (_("Invoice %s is paid (payment %s)."), number, payment_id));
}
