/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-receipt"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-form.h"
#include "pd-invoice-receipt.h"

/* How much of an over-long name an error message quotes. */
#define QUOTED_NAME_CHARS 40

static gboolean
check_name (const PdInvoiceLineRow  *line,
            GError                 **error)
{
  g_autofree char *start = NULL;

  if (line->name == NULL || g_utf8_strlen (line->name, -1) <= PD_RECEIPT_MAX_NAME_CHARS)
    return TRUE;

  start = g_utf8_substring (line->name, 0, QUOTED_NAME_CHARS);
  g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID,
               _("The name of the product “%s…” is longer than the %u characters a receipt "
                 "line can hold: shorten it in the product’s settings."),
               start, (guint) PD_RECEIPT_MAX_NAME_CHARS);
  return FALSE;
}

/* The 54-FZ receipt of @invoice: one line for each of @lines (of
 * PdInvoiceLineRow, as the invoice was issued), the customer's e-mail or,
 * without one, the phone, and the lines made to add up to the invoice's
 * amount to the kopeck. NULL with @error set when no receipt a cash
 * register accepts can be made, saying what to change. */
PdReceipt *
pd_invoice_receipt_new (const PdInvoice  *invoice,
                        GPtrArray        *lines,
                        GError          **error)
{
  g_autoptr(PdReceipt) receipt = pd_receipt_new ();

  g_return_val_if_fail (invoice != NULL, NULL);
  g_return_val_if_fail (lines != NULL, NULL);

  if (lines->len > PD_RECEIPT_MAX_LINES)
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_TOO_MANY_LINES,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The invoice has %u line, but a receipt holds at most %u: split "
                                "it into two invoices.",
                                "The invoice has %u lines, but a receipt holds at most %u: split "
                                "it into two invoices.",
                                lines->len),
                   lines->len, (guint) PD_RECEIPT_MAX_LINES);
      return NULL;
    }

  for (guint i = 0; i < lines->len; i++)
    {
      const PdInvoiceLineRow *line = g_ptr_array_index (lines, i);

      if (!check_name (line, error) ||
          !pd_receipt_add_line (receipt, line->name, line->price, line->quantity, line->vat,
                                line->subject, line->method, error))
        return NULL;
    }

  /* The register sends the receipt to one address: the e-mail wins, but
   * a phone given with it must still be one. */
  if ((invoice->phone != NULL && *invoice->phone != '\0' &&
       !pd_receipt_set_phone (receipt, invoice->phone, error)) ||
      (invoice->email != NULL && *invoice->email != '\0' &&
       !pd_receipt_set_email (receipt, invoice->email, error)))
    return NULL;

  if (!pd_receipt_reconcile (receipt, invoice->amount, error))
    return NULL;

  return g_steal_pointer (&receipt);
}

/* Checks that @receipt can go to PayMaster over @protocol with a payment
 * of @amount kopecks: that protocol names every VAT rate, subject and
 * method of it, and the lines add up. */
gboolean
pd_invoice_receipt_check (const PdReceipt  *receipt,
                          PdProtocol        protocol,
                          gint64            amount,
                          GError          **error)
{
  if (protocol == PD_PROTOCOL_V2)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      gboolean ok;

      json_builder_begin_object (builder);
      ok = pd_receipt_add_to_json (receipt, amount, builder, error);
      json_builder_end_object (builder);
      return ok;
    }
  else
    {
      g_autoptr(PdForm) form = pd_form_new ();

      return pd_receipt_add_to_form (receipt, amount, form, error);
    }
}
