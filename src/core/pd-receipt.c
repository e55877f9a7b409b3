/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-receipt"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-form.h"
#include "pd-json.h"
#include "pd-money.h"
#include "pd-receipt.h"

/* The lines of a 54-FZ receipt (online cash register) and the customer's
 * contact the register sends it to. */
struct _PdReceipt
{
  GPtrArray *lines;
  char      *email;
  char      *phone;
};

/* The classic cart's field prefix. Some integrations write ITEMS[n]; the
 * spec's sources mostly agree on ITEM[n], so that is the one place to change
 * should PayMaster say otherwise. */
#define CART_ITEM "LMI_SHOPPINGCART.ITEM"

G_DEFINE_QUARK (pd-receipt-error-quark, pd_receipt_error)

/* A new rate is a new row. The classic `.TAX` values are the tags; REST v2
 * names only the six rates of 2019-2024, so a receipt with one of the 2025
 * rates is refused for v2 until PayMaster publishes their names. */
static const PdVatRate vat_rates[] = {
  /* Translators: VAT rates as a merchant picks them for a product;
   * "20/120" is the rate computed from a price that includes VAT
   * (advances and prepayments) */
  { "no_vat", "no_vat", "None", N_("No VAT") },
  { "vat0", "vat0", "Vat0", N_("VAT 0%") },
  { "vat5", "vat5", NULL, N_("VAT 5%") },
  { "vat7", "vat7", NULL, N_("VAT 7%") },
  { "vat10", "vat10", "Vat10", N_("VAT 10%") },
  { "vat20", "vat20", "Vat20", N_("VAT 20%") },
  { "vat22", "vat22", NULL, N_("VAT 22%") },
  { "vat105", "vat105", NULL, N_("VAT 5/105") },
  { "vat107", "vat107", NULL, N_("VAT 7/107") },
  { "vat110", "vat110", "Vat110", N_("VAT 10/110") },
  { "vat120", "vat120", "Vat120", N_("VAT 20/120") },
  { "vat122", "vat122", NULL, N_("VAT 22/122") },
};

/* Codes of tag 1212. v2 names are only those the spec names; the others
 * stay NULL (refused for v2) rather than guessed, since a wrong name would
 * reject the payment. Labels follow FFD 1.2, where 12 and 16 changed
 * meaning from FFD 1.05. The labels carry a context: "Payment" or "Other"
 * alone would share a translation with unrelated words elsewhere. */
static const PdReceiptSubject receipt_subjects[] = {
  /* Translators: what a receipt line sells, as 54-FZ lists it
   * ("предмет расчёта") */
  { 1, "Commodity", NC_("receipt subject", "Goods") },
  { 2, "Excise", NC_("receipt subject", "Excise goods") },
  { 3, "Job", NC_("receipt subject", "Work") },
  { 4, "Service", NC_("receipt subject", "Service") },
  { 5, NULL, NC_("receipt subject", "Gambling bet") },
  { 6, NULL, NC_("receipt subject", "Gambling winnings") },
  { 7, NULL, NC_("receipt subject", "Lottery ticket") },
  { 8, NULL, NC_("receipt subject", "Lottery winnings") },
  { 9, NULL, NC_("receipt subject", "Intellectual property rights") },
  { 10, NULL, NC_("receipt subject", "Payment") },
  { 11, NULL, NC_("receipt subject", "Agent’s fee") },
  { 12, NULL, NC_("receipt subject", "Payout") },
  { 13, "Other", NC_("receipt subject", "Other") },
  { 14, NULL, NC_("receipt subject", "Property right") },
  { 15, NULL, NC_("receipt subject", "Non-operating income") },
  { 16, NULL, NC_("receipt subject", "Other payments and contributions") },
  { 17, NULL, NC_("receipt subject", "Trade fee") },
  { 18, NULL, NC_("receipt subject", "Resort fee") },
  { 19, NULL, NC_("receipt subject", "Pledge") },
};

/* Codes of tag 1214. v2 names six of the seven. */
static const PdReceiptMethod receipt_methods[] = {
  /* Translators: how a receipt line is settled, as 54-FZ lists it
   * ("способ расчёта") */
  { 1, "FullPrepayment", NC_("receipt method", "Full prepayment") },
  { 2, "PartialPrepayment", NC_("receipt method", "Partial prepayment") },
  { 3, "Advance", NC_("receipt method", "Advance") },
  { 4, "FullPayment", NC_("receipt method", "Full payment") },
  { 5, "PartialPayment", NC_("receipt method", "Partial payment and credit") },
  { 6, "Credit", NC_("receipt method", "Credit") },
  { 7, NULL, NC_("receipt method", "Credit repayment") },
};

const PdVatRate *
pd_vat_rate_lookup (const char *tag)
{
  if (tag == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (vat_rates); i++)
    {
      if (strcmp (vat_rates[i].tag, tag) == 0)
        return &vat_rates[i];
    }

  return NULL;
}

/* All rates, in the order a list of them should show. */
const PdVatRate *
pd_vat_rate_get_all (guint *n_rates)
{
  *n_rates = G_N_ELEMENTS (vat_rates);
  return vat_rates;
}

const char *
pd_vat_rate_get_label (const PdVatRate *rate)
{
  return _(rate->label);
}

const PdReceiptSubject *
pd_receipt_subject_lookup (guint code)
{
  for (guint i = 0; i < G_N_ELEMENTS (receipt_subjects); i++)
    {
      if (receipt_subjects[i].code == code)
        return &receipt_subjects[i];
    }

  return NULL;
}

const PdReceiptSubject *
pd_receipt_subject_get_all (guint *n_subjects)
{
  *n_subjects = G_N_ELEMENTS (receipt_subjects);
  return receipt_subjects;
}

const char *
pd_receipt_subject_get_label (const PdReceiptSubject *subject)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "receipt subject", subject->label);
}

/* A subject or method code written out, as settings and command lines
 * keep them; 0, which is no code, when @text is not a whole number. */
guint
pd_receipt_parse_code (const char *text)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL))
    return 0;
  return (guint) value;
}

const PdReceiptMethod *
pd_receipt_method_lookup (guint code)
{
  for (guint i = 0; i < G_N_ELEMENTS (receipt_methods); i++)
    {
      if (receipt_methods[i].code == code)
        return &receipt_methods[i];
    }

  return NULL;
}

const PdReceiptMethod *
pd_receipt_method_get_all (guint *n_methods)
{
  *n_methods = G_N_ELEMENTS (receipt_methods);
  return receipt_methods;
}

const char *
pd_receipt_method_get_label (const PdReceiptMethod *method)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "receipt method", method->label);
}

/* Returns the phone number as PayMaster wants it, 79031234567, from the ways
 * people write it: "+7 (903) 123-45-67", "8 903 123 45 67", "9031234567".
 * A leading 8 is the domestic trunk prefix, but after a plus it would be a
 * country code (+86 is China), so "+8..." is refused rather than rewritten. */
char *
pd_receipt_normalize_phone (const char  *text,
                            GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean plus = FALSE;

  for (const char *p = text ? text : ""; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == '+' && digits->len == 0 && !plus)
        plus = TRUE;
      else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')' && *p != '.')
        goto invalid;
    }

  if (digits->len == 11 && digits->str[0] == '8' && !plus)
    digits->str[0] = '7';
  else if (digits->len == 10 && !plus)
    g_string_prepend_c (digits, '7');

  if (digits->len == 11 && digits->str[0] == '7')
    return g_string_free (g_steal_pointer (&digits), FALSE);

invalid:
  g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID,
               _("“%s” is not a Russian phone number: write it with ten digits after +7, "
                 "as in +7 903 123-45-67."),
               text ? text : "");
  return NULL;
}

/* Only what catches typing mistakes: one @ with something on both sides, a
 * dot in the domain, no spaces. The register's operator has the final say. */
static gboolean
email_is_valid (const char *email)
{
  const char *at = strchr (email, '@');
  const char *dot;

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;
  if (strlen (email) > 254 || !g_utf8_validate (email, -1, NULL))
    return FALSE;
  for (const char *p = email; *p; p++)
    {
      if ((guchar) *p <= ' ' || *p == 0x7f)
        return FALSE;
    }

  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

static void
pd_receipt_line_free (PdReceiptLine *line)
{
  g_free (line->name);
  g_free (line);
}

static PdReceiptLine *
pd_receipt_line_copy (const PdReceiptLine *line,
                      gint64               price,
                      gint64               quantity)
{
  PdReceiptLine *copy = g_new0 (PdReceiptLine, 1);

  copy->name = g_strdup (line->name);
  copy->price = price;
  copy->quantity = quantity;
  copy->vat = line->vat;
  copy->subject = line->subject;
  copy->method = line->method;
  return copy;
}

PdReceipt *
pd_receipt_new (void)
{
  PdReceipt *self = g_new0 (PdReceipt, 1);

  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_receipt_line_free);
  return self;
}

void
pd_receipt_free (PdReceipt *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->lines);
  g_free (self->email);
  g_free (self->phone);
  g_free (self);
}

static void
set_too_many_lines (GError **error)
{
  g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_TOO_MANY_LINES,
               g_dngettext (GETTEXT_PACKAGE,
                            "A receipt holds at most %u line: merge some lines of the invoice.",
                            "A receipt holds at most %u lines: merge some lines of the invoice.",
                            PD_RECEIPT_MAX_LINES),
               (guint) PD_RECEIPT_MAX_LINES);
}

/* Adds a line of @quantity units at @price kopecks each. @vat is a tag of
 * the VAT table, @subject and @method 54-FZ codes; anything unknown is
 * refused here, so that the builders never meet it. */
gboolean
pd_receipt_add_line (PdReceipt   *self,
                     const char  *name,
                     gint64       price,
                     gint64       quantity,
                     const char  *vat,
                     guint        subject,
                     guint        method,
                     GError     **error)
{
  g_autofree char *stripped = NULL;
  const PdVatRate *rate;
  const PdReceiptSubject *subject_row;
  const PdReceiptMethod *method_row;
  PdReceiptLine *line;
  gint64 sum;

  g_return_val_if_fail (self != NULL, FALSE);

  if (name != NULL && g_utf8_validate (name, -1, NULL))
    stripped = g_strstrip (g_strdup (name));
  if (stripped == NULL || *stripped == '\0')
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID,
                   _("A receipt line has no name: give every product of the invoice a name."));
      return FALSE;
    }

  if (self->lines->len >= PD_RECEIPT_MAX_LINES)
    {
      set_too_many_lines (error);
      return FALSE;
    }

  if (price <= 0)
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID,
                   _("The price of “%s” must be more than zero: set its price or remove it "
                     "from the invoice."),
                   stripped);
      return FALSE;
    }

  if (quantity <= 0)
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID,
                   _("The quantity of “%s” must be at least one."), stripped);
      return FALSE;
    }

  rate = pd_vat_rate_lookup (vat);
  if (rate == NULL)
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID,
                   _("“%s” has a VAT rate Paydesk does not know (“%s”): choose its rate again "
                     "in the product’s settings."),
                   stripped, vat ? vat : "");
      return FALSE;
    }

  subject_row = pd_receipt_subject_lookup (subject);
  if (subject_row == NULL)
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID,
                   _("“%s” has a payment subject Paydesk does not know (%u): choose it again "
                     "from the list."),
                   stripped, subject);
      return FALSE;
    }

  method_row = pd_receipt_method_lookup (method);
  if (method_row == NULL)
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID,
                   _("“%s” has a payment method Paydesk does not know (%u): choose it again "
                     "from the list."),
                   stripped, method);
      return FALSE;
    }

  if (!pd_money_multiply (price, quantity, &sum))
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_OVERFLOW,
                   _("“%s” costs more than Paydesk can count: check its price and quantity."),
                   stripped);
      return FALSE;
    }

  line = g_new0 (PdReceiptLine, 1);
  /* The register would refuse a longer name, and with it the payment; the
   * invoice itself keeps the whole name. */
  if (g_utf8_strlen (stripped, -1) > PD_RECEIPT_MAX_NAME_CHARS)
    line->name = g_utf8_substring (stripped, 0, PD_RECEIPT_MAX_NAME_CHARS);
  else
    line->name = g_steal_pointer (&stripped);
  line->price = price;
  line->quantity = quantity;
  line->vat = rate;
  line->subject = subject_row;
  line->method = method_row;
  g_ptr_array_add (self->lines, line);
  return TRUE;
}

guint
pd_receipt_get_n_lines (const PdReceipt *self)
{
  return self->lines->len;
}

const PdReceiptLine *
pd_receipt_get_line (const PdReceipt *self,
                     guint            index)
{
  g_return_val_if_fail (index < self->lines->len, NULL);

  return g_ptr_array_index (self->lines, index);
}

/* The sum of price × quantity over the lines, in kopecks. */
gboolean
pd_receipt_get_total (const PdReceipt  *self,
                      gint64           *total,
                      GError          **error)
{
  gint64 sum = 0;

  for (guint i = 0; i < self->lines->len; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (self->lines, i);
      gint64 line_sum;

      if (!pd_money_multiply (line->price, line->quantity, &line_sum) ||
          line_sum > G_MAXINT64 - sum)
        {
          g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_OVERFLOW,
                       _("The receipt lines add up to more than Paydesk can count: check the "
                         "prices and quantities."));
          return FALSE;
        }
      sum += line_sum;
    }

  *total = sum;
  return TRUE;
}

/* The register sends the receipt to one address, so the e-mail and the
 * phone replace each other. NULL or "" forgets the contact. */
/* Returns the e-mail address without the spaces around it, or NULL with
 * @error set when it is not one a receipt can go to. */
char *
pd_receipt_normalize_email (const char  *text,
                            GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  if (!email_is_valid (stripped))
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID,
                   _("“%s” is not an e-mail address: write it as name@example.ru."),
                   stripped);
      return NULL;
    }
  return g_steal_pointer (&stripped);
}

gboolean
pd_receipt_set_email (PdReceipt   *self,
                      const char  *email,
                      GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (email ? email : ""));
  g_autofree char *normalized = NULL;

  if (*stripped != '\0')
    {
      normalized = pd_receipt_normalize_email (stripped, error);
      if (normalized == NULL)
        return FALSE;
    }

  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->email, g_free);
  self->email = g_steal_pointer (&normalized);
  return TRUE;
}

gboolean
pd_receipt_set_phone (PdReceipt   *self,
                      const char  *phone,
                      GError     **error)
{
  g_autofree char *normalized = NULL;

  if (phone != NULL && *phone != '\0')
    {
      normalized = pd_receipt_normalize_phone (phone, error);
      if (normalized == NULL)
        return FALSE;
    }

  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->phone, g_free);
  self->phone = g_steal_pointer (&normalized);
  return TRUE;
}

/* For a single "E-mail or phone" field: an @ makes it an e-mail. */
gboolean
pd_receipt_set_contact (PdReceipt   *self,
                        const char  *contact,
                        GError     **error)
{
  if (contact != NULL && strchr (contact, '@') != NULL)
    return pd_receipt_set_email (self, contact, error);
  return pd_receipt_set_phone (self, contact, error);
}

const char *
pd_receipt_get_email (const PdReceipt *self)
{
  return self->email;
}

const char *
pd_receipt_get_phone (const PdReceipt *self)
{
  return self->phone;
}

/* Sets @quotient and @remainder to a × b ÷ c for a <= c < 2^63, through a
 * 128-bit product: a discount spread over a large invoice overflows 64 bits,
 * and __int128 is missing on 32-bit targets. */
static void
mul_div (guint64  a,
         guint64  b,
         guint64  c,
         guint64 *quotient,
         guint64 *remainder)
{
  guint64 a_lo = a & 0xffffffffu;
  guint64 a_hi = a >> 32;
  guint64 b_lo = b & 0xffffffffu;
  guint64 b_hi = b >> 32;
  guint64 lo_lo = a_lo * b_lo;
  guint64 hi_lo = a_hi * b_lo;
  guint64 lo_hi = a_lo * b_hi;
  guint64 cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
  guint64 high = (hi_lo >> 32) + (cross >> 32) + a_hi * b_hi;
  guint64 low = (cross << 32) | (lo_lo & 0xffffffffu);
  guint64 q = 0;
  guint64 r = high;

  /* Since a <= c the quotient fits in 64 bits, so high < c and long
   * division by bits over the low word finishes the job. */
  for (int bit = 63; bit >= 0; bit--)
    {
      r = (r << 1) | ((low >> bit) & 1);
      q <<= 1;
      if (r >= c)
        {
          r -= c;
          q |= 1;
        }
    }

  *quotient = q;
  *remainder = r;
}

/* Makes the lines add up to @total exactly. A discount or surcharge on the
 * invoice is spread over the lines in proportion to their sums, rounded by
 * largest remainder so that no kopeck is lost (ties go to the earlier line).
 * A line whose new sum its quantity does not divide becomes two lines at
 * prices one kopeck apart: that way every unit keeps nearly the same price
 * and a discount never shows a unit dearer than before. On error the
 * receipt is left as it was. */
gboolean
pd_receipt_reconcile (PdReceipt  *self,
                      gint64      total,
                      GError    **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autofree guint64 *shares = NULL;
  g_autofree guint64 *remainders = NULL;
  g_autofree gboolean *bumped = NULL;
  guint n_lines = self->lines->len;
  gint64 sum;
  guint64 delta;
  guint64 given = 0;

  if (n_lines == 0)
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_EMPTY,
                   _("The receipt has no lines: add at least one product to the invoice."));
      return FALSE;
    }

  if (total <= 0)
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_TOTAL,
                   _("A receipt needs a total of more than zero: check the invoice amount."));
      return FALSE;
    }

  if (!pd_receipt_get_total (self, &sum, error))
    return FALSE;
  if (sum == total)
    return TRUE;

  delta = total > sum ? (guint64) (total - sum) : (guint64) (sum - total);
  shares = g_new0 (guint64, n_lines);
  remainders = g_new0 (guint64, n_lines);
  bumped = g_new0 (gboolean, n_lines);

  for (guint i = 0; i < n_lines; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (self->lines, i);

      mul_div ((guint64) (line->price * line->quantity), delta, (guint64) sum,
               &shares[i], &remainders[i]);
      given += shares[i];
    }

  /* Fewer kopecks are left over than there are lines with a remainder. */
  for (; given < delta; given++)
    {
      guint best = G_MAXUINT;

      for (guint i = 0; i < n_lines; i++)
        {
          if (!bumped[i] && (best == G_MAXUINT || remainders[i] > remainders[best]))
            best = i;
        }
      shares[best]++;
      bumped[best] = TRUE;
    }

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_receipt_line_free);
  for (guint i = 0; i < n_lines; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (self->lines, i);
      gint64 line_sum = line->price * line->quantity;
      gint64 new_sum = total > sum ? line_sum + (gint64) shares[i] : line_sum - (gint64) shares[i];
      gint64 unit;
      gint64 rest;

      if (new_sum < line->quantity)
        {
          g_autofree char *text = pd_money_format_display (total, "RUB");

          g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_TOO_SMALL,
                       _("A total of %s is too small for this receipt: spread over the lines, "
                         "“%s” would cost less than a kopeck a unit. Lower the discount or "
                         "remove that line."),
                       text, line->name);
          return FALSE;
        }

      unit = new_sum / line->quantity;
      rest = new_sum % line->quantity;
      if (rest == 0)
        g_ptr_array_add (result, pd_receipt_line_copy (line, unit, line->quantity));
      else
        {
          g_ptr_array_add (result, pd_receipt_line_copy (line, unit, line->quantity - rest));
          g_ptr_array_add (result, pd_receipt_line_copy (line, unit + 1, rest));
        }

      if (result->len > PD_RECEIPT_MAX_LINES)
        {
          g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_TOO_MANY_LINES,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Spreading the total over the receipt needs more than %u "
                                    "line: merge some lines of the invoice or choose a total "
                                    "their quantities divide evenly.",
                                    "Spreading the total over the receipt needs more than %u "
                                    "lines: merge some lines of the invoice or choose a total "
                                    "their quantities divide evenly.",
                                    PD_RECEIPT_MAX_LINES),
                       (guint) PD_RECEIPT_MAX_LINES);
          return FALSE;
        }
    }

  g_ptr_array_unref (self->lines);
  self->lines = g_steal_pointer (&result);
  return TRUE;
}

/* PayMaster rejects a receipt that does not add up to the payment, and the
 * payment with it, so the builders refuse first and say so. */
static gboolean
check_amount (const PdReceipt  *self,
              gint64            amount,
              GError          **error)
{
  g_autofree char *lines_text = NULL;
  g_autofree char *amount_text = NULL;
  gint64 total;

  if (self->lines->len == 0)
    {
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_EMPTY,
                   _("The receipt has no lines: add at least one product to the invoice."));
      return FALSE;
    }

  if (!pd_receipt_get_total (self, &total, error))
    return FALSE;
  if (total == amount)
    return TRUE;

  lines_text = pd_money_format_display (total, "RUB");
  amount_text = pd_money_format_display (amount, "RUB");
  g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_MISMATCH,
               _("The receipt lines add up to %s but the payment is for %s: PayMaster would "
                 "refuse the payment. Make the lines match the invoice total."),
               lines_text, amount_text);
  return FALSE;
}

/* Adds the classic cart, LMI_SHOPPINGCART.ITEM[n].NAME, .QTY, .PRICE (per
 * unit, two decimals), .TAX, .METHOD and .SUBJECT, and the contact as
 * LMI_PAYER_EMAIL or LMI_PAYER_PHONE_NUMBER (replacing one already there).
 * @amount is the form's LMI_PAYMENT_AMOUNT in kopecks. */
gboolean
pd_receipt_add_to_form (const PdReceipt  *self,
                        gint64            amount,
                        PdForm           *form,
                        GError          **error)
{
  if (!check_amount (self, amount, error))
    return FALSE;

  for (guint i = 0; i < self->lines->len; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (self->lines, i);

      if (line->vat->classic == NULL)
        {
          g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_UNSUPPORTED,
                       _("PayMaster’s classic protocol has no code for “%s”, the VAT rate of "
                         "“%s”: choose another rate for it."),
                       pd_vat_rate_get_label (line->vat), line->name);
          return FALSE;
        }
    }

  for (guint i = 0; i < self->lines->len; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (self->lines, i);
      g_autofree char *name = g_strdup_printf (CART_ITEM "[%u].NAME", i);
      g_autofree char *qty = g_strdup_printf (CART_ITEM "[%u].QTY", i);
      g_autofree char *price = g_strdup_printf (CART_ITEM "[%u].PRICE", i);
      g_autofree char *tax = g_strdup_printf (CART_ITEM "[%u].TAX", i);
      g_autofree char *method = g_strdup_printf (CART_ITEM "[%u].METHOD", i);
      g_autofree char *subject = g_strdup_printf (CART_ITEM "[%u].SUBJECT", i);
      g_autofree char *qty_value = g_strdup_printf ("%" G_GINT64_FORMAT, line->quantity);
      g_autofree char *price_value = pd_money_format (line->price);
      g_autofree char *method_value = g_strdup_printf ("%u", line->method->code);
      g_autofree char *subject_value = g_strdup_printf ("%u", line->subject->code);

      pd_form_add (form, name, line->name);
      pd_form_add (form, qty, qty_value);
      pd_form_add (form, price, price_value);
      pd_form_add (form, tax, line->vat->classic);
      pd_form_add (form, method, method_value);
      pd_form_add (form, subject, subject_value);
    }

  if (self->email != NULL)
    pd_form_set (form, "LMI_PAYER_EMAIL", self->email);
  else if (self->phone != NULL)
    pd_form_set (form, "LMI_PAYER_PHONE_NUMBER", self->phone);

  return TRUE;
}

/* Adds the member "receipt": {client: {email | phone}, items: [{name,
 * quantity, price, vatType, paymentSubject, paymentMethod}]} to the object
 * @builder is in. Prices are JSON numbers in roubles, added with
 * pd_json_builder_add_money(); write the body with pd_json_to_string(), not
 * json-glib's generator, which prints 1234.56 as 1234.5599999999999.
 * Everything is checked before the first member is added, so on error
 * @builder is as it was. */
gboolean
pd_receipt_add_to_json (const PdReceipt  *self,
                        gint64            amount,
                        JsonBuilder      *builder,
                        GError          **error)
{
  if (!check_amount (self, amount, error))
    return FALSE;

  for (guint i = 0; i < self->lines->len; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (self->lines, i);

      if (line->vat->v2 == NULL)
        {
          g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_UNSUPPORTED,
                       _("PayMaster’s REST API v2 has no code for “%s”, the VAT rate of “%s”: "
                         "choose another rate for it or use the classic protocol."),
                       pd_vat_rate_get_label (line->vat), line->name);
          return FALSE;
        }
      if (line->subject->v2 == NULL)
        {
          g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_UNSUPPORTED,
                       _("Paydesk cannot send “%s”, the payment subject of “%s”, through "
                         "PayMaster’s REST API v2: choose another payment subject for it or "
                         "use the classic protocol."),
                       pd_receipt_subject_get_label (line->subject), line->name);
          return FALSE;
        }
      if (line->method->v2 == NULL)
        {
          g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_UNSUPPORTED,
                       _("Paydesk cannot send “%s”, the payment method of “%s”, through "
                         "PayMaster’s REST API v2: choose another payment method for it or "
                         "use the classic protocol."),
                       pd_receipt_method_get_label (line->method), line->name);
          return FALSE;
        }
      if (line->price >= PD_JSON_MONEY_LIMIT)
        {
          g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_OVERFLOW,
                       _("The price of “%s” is too large to send to PayMaster exactly: check "
                         "its price."),
                       line->name);
          return FALSE;
        }
    }

  json_builder_set_member_name (builder, "receipt");
  json_builder_begin_object (builder);

  if (self->email != NULL || self->phone != NULL)
    {
      json_builder_set_member_name (builder, "client");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, self->email ? "email" : "phone");
      json_builder_add_string_value (builder, self->email ? self->email : self->phone);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->lines->len; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (self->lines, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, line->name);
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, line->quantity);
      json_builder_set_member_name (builder, "price");
      pd_json_builder_add_money (builder, line->price);
      json_builder_set_member_name (builder, "vatType");
      json_builder_add_string_value (builder, line->vat->v2);
      json_builder_set_member_name (builder, "paymentSubject");
      json_builder_add_string_value (builder, line->subject->v2);
      json_builder_set_member_name (builder, "paymentMethod");
      json_builder_add_string_value (builder, line->method->v2);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  return TRUE;
}
