/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-paymaster"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "pd-invoice-link.h"
#include "pd-invoice-receipt.h"
#include "pd-paymaster.h"

/* Invoices are refused when issued if no receipt can be made of them, so
 * a receipt fails here only for an invoice issued before Paydesk checked
 * receipts: its e-mail may be one the receipt rules refuse, or its lines
 * too many or too long. It was payable then and stays payable: with the
 * receipt lines if they make one, else as its link was. */
static PdReceipt *
receipt_for_link (const PdInvoice *invoice,
                  GPtrArray       *lines)
{
  PdInvoice without_contact = *invoice;
  PdReceipt *receipt = pd_invoice_receipt_new (invoice, lines, NULL);

  if (receipt != NULL)
    return receipt;

  without_contact.email = NULL;
  without_contact.phone = NULL;
  return pd_invoice_receipt_new (&without_contact, lines, NULL);
}

static char *
classic_payment_url (const PdShop     *shop,
                     const PdInvoice  *invoice,
                     GPtrArray        *lines,
                     GError          **error)
{
  PdPaymentRequest request = {
    invoice->number, invoice->amount, invoice->currency, invoice->description,
    invoice->email, invoice->expires_at,
  };
  g_autoptr(PdForm) form = pd_paymaster_payment_form (shop, &request);
  g_autoptr(PdReceipt) receipt = receipt_for_link (invoice, lines);

  if (receipt != NULL && !pd_receipt_add_to_form (receipt, invoice->amount, form, error))
    return NULL;

  /* The receipt goes to the e-mail, but PayMaster's page can still offer
   * the phone to the customer. */
  if (invoice->phone != NULL && *invoice->phone != '\0')
    pd_form_set (form, "LMI_PAYER_PHONE_NUMBER", invoice->phone);

  return pd_paymaster_form_url (shop, form);
}

/* The link the customer pays @invoice by. @lines are the invoice's
 * (PdInvoiceLineRow), for the receipt; a REST v2 shop needs none. With
 * REST v2 PayMaster made the link when the invoice was issued; with the
 * classic protocol it is built here, receipt lines and customer's contact
 * included. */
char *
pd_invoice_payment_url (const PdShop     *shop,
                        const PdInvoice  *invoice,
                        GPtrArray        *lines,
                        GError          **error)
{
  g_return_val_if_fail (shop != NULL, NULL);
  g_return_val_if_fail (invoice != NULL, NULL);
  g_return_val_if_fail (lines != NULL || shop->protocol == PD_PROTOCOL_V2, NULL);

  if (shop->protocol != PD_PROTOCOL_V2)
    return classic_payment_url (shop, invoice, lines, error);

  if (invoice->paymaster_url == NULL || *invoice->paymaster_url == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("PayMaster has not made a payment link for invoice %s: check that Paydesk "
                     "can reach PayMaster, then create the invoice again."),
                   invoice->number);
      return NULL;
    }
  return g_strdup (invoice->paymaster_url);
}
