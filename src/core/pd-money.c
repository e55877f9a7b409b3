/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-money"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-money.h"

G_DEFINE_QUARK (pd-money-error-quark, pd_money_error)

/* Amounts are "50", "50.0" or "50.00": digits, then optionally a dot and one
 * or two digits. Anything else (signs, exponents, spaces, commas, a third
 * decimal) is refused rather than guessed at, because money is involved. */
gboolean
pd_money_parse (const char  *text,
                gint64      *kopecks,
                GError     **error)
{
  const char *p = text;
  gint64 units = 0;
  gint64 cents = 0;
  guint n_int_digits = 0;

  g_return_val_if_fail (kopecks != NULL, FALSE);

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_INVALID,
                   _("The amount is empty: enter it as 50 or 50.00."));
      return FALSE;
    }

  for (; g_ascii_isdigit (*p); p++)
    {
      int digit = *p - '0';

      if (units > (G_MAXINT64 / 100 - digit) / 10)
        {
          g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_OVERFLOW,
                       _("The amount “%s” is too large."), text);
          return FALSE;
        }
      units = units * 10 + digit;
      n_int_digits++;
    }

  if (n_int_digits > 0 && *p == '.' && g_ascii_isdigit (p[1]))
    {
      cents = (p[1] - '0') * 10;
      p += 2;
      if (g_ascii_isdigit (*p))
        cents += *p++ - '0';
    }

  if (n_int_digits == 0 || *p != '\0')
    {
      if (*p == ',')
        g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_INVALID,
                     _("The amount “%s” is not valid: use a dot for kopecks, as in 50.00."),
                     text);
      else
        g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_INVALID,
                     _("The amount “%s” is not valid: write it as 50 or 50.00, "
                       "with at most two digits after the dot."),
                     text);
      return FALSE;
    }

  if (units > (G_MAXINT64 - cents) / 100)
    {
      g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_OVERFLOW,
                   _("The amount “%s” is too large."), text);
      return FALSE;
    }

  *kopecks = units * 100 + cents;
  return TRUE;
}

/* What a person types into a price field: like pd_money_parse(), but a
 * comma works as the decimal mark too (as Russian writes 50,50) and spaces
 * around the number are ignored. Protocol fields never go through this. */
gboolean
pd_money_parse_input (const char  *text,
                      gint64      *kopecks,
                      GError     **error)
{
  g_autofree char *normalized = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(GError) local_error = NULL;
  char *comma = strchr (normalized, ',');

  if (comma != NULL && strchr (comma + 1, ',') == NULL && strchr (normalized, '.') == NULL)
    *comma = '.';

  if (pd_money_parse (normalized, kopecks, &local_error))
    return TRUE;

  if (g_error_matches (local_error, PD_MONEY_ERROR, PD_MONEY_ERROR_INVALID))
    g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_INVALID,
                 /* Translators: write the examples with your decimal mark */
                 _("The amount “%s” is not valid: write it like 50 or 50.50, with at most two "
                   "digits for kopecks."), text ? text : "");
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* An amount to edit, with the locale's decimal mark: "50,50" in Russian. */
char *
pd_money_format_input (gint64 kopecks)
{
  const struct lconv *conventions = localeconv ();
  const char *radix = conventions->decimal_point && *conventions->decimal_point
                      ? conventions->decimal_point : ".";
  guint64 magnitude = kopecks < 0 ? - (guint64) kopecks : (guint64) kopecks;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT "%s%02u", kopecks < 0 ? "-" : "",
                          magnitude / 100, radix, (guint) (magnitude % 100));
}

char *
pd_money_format (gint64 kopecks)
{
  const char *sign = kopecks < 0 ? "-" : "";
  guint64 magnitude = kopecks < 0 ? - (guint64) kopecks : (guint64) kopecks;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u",
                          sign, magnitude / 100, (guint) (magnitude % 100));
}

/* For people: the locale's digit grouping and decimal mark, and the
 * currency sign, so that Russian reads "1 500,00 ₽" and English "1,500.00 ₽". */
char *
pd_money_format_display (gint64      kopecks,
                         const char *currency)
{
  const struct lconv *conventions = localeconv ();
  const char *radix = conventions->decimal_point && *conventions->decimal_point
                      ? conventions->decimal_point : ".";
  const char *alpha = pd_currency_normalize (currency);
  const char *sign = g_strcmp0 (alpha, "RUB") == 0 ? "₽" : (alpha ? alpha : currency);
  guint64 magnitude = kopecks < 0 ? - (guint64) kopecks : (guint64) kopecks;

  return g_strdup_printf ("%s%'" G_GUINT64_FORMAT "%s%02u\u00a0%s", kopecks < 0 ? "−" : "",
                          magnitude / 100, radix, (guint) (magnitude % 100), sign ? sign : "");
}

gboolean
pd_money_multiply (gint64  kopecks,
                   gint64  quantity,
                   gint64 *result)
{
  if (kopecks < 0 || quantity < 0)
    return FALSE;
  if (quantity != 0 && kopecks > G_MAXINT64 / quantity)
    return FALSE;
  *result = kopecks * quantity;
  return TRUE;
}

static const struct {
  const char *alpha;
  const char *numeric;
} currencies[] = {
  { "RUB", "643" },
  { "USD", "840" },
  { "EUR", "978" },
};

/* Returns the ISO 4217 letter code for a letter or numeric code, or NULL
 * when the currency is unknown. */
const char *
pd_currency_normalize (const char *code)
{
  if (code == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      if (g_ascii_strcasecmp (code, currencies[i].alpha) == 0 ||
          g_strcmp0 (code, currencies[i].numeric) == 0)
        return currencies[i].alpha;
    }

  return NULL;
}

gboolean
pd_currency_equal (const char *a,
                   const char *b)
{
  const char *na = pd_currency_normalize (a);

  return na != NULL && na == pd_currency_normalize (b);
}
