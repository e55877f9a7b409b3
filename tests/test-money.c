/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-money.h"

#include "pd-test-utils.h"

typedef struct
{
  const char *text;
  gint64      kopecks;
} AcceptCase;

typedef struct
{
  const char *text;
  int         code;
} RejectCase;

static const AcceptCase accept_cases[] = {
  { "50", 5000 },
  { "50.0", 5000 },
  { "50.00", 5000 },
  { "0.01", 1 },
  { "0.5", 50 },
  { "0050", 5000 },
  { "0050.00", 5000 },
  { "00.01", 1 },
  { "1234567.89", 123456789 },
  { "6000.00", 600000 },
};

static const RejectCase reject_cases[] = {
  { "", PD_MONEY_ERROR_INVALID },
  { "50.001", PD_MONEY_ERROR_INVALID },
  { "-5", PD_MONEY_ERROR_INVALID },
  { "+5", PD_MONEY_ERROR_INVALID },
  { "1e3", PD_MONEY_ERROR_INVALID },
  { " 50", PD_MONEY_ERROR_INVALID },
  { "50 ", PD_MONEY_ERROR_INVALID },
  { "50,00", PD_MONEY_ERROR_INVALID },
  { "50.", PD_MONEY_ERROR_INVALID },
  { ".5", PD_MONEY_ERROR_INVALID },
  { "abc", PD_MONEY_ERROR_INVALID },
  { "5O", PD_MONEY_ERROR_INVALID },
  { "50.0.0", PD_MONEY_ERROR_INVALID },
  { "0x10", PD_MONEY_ERROR_INVALID },
  { "50.-1", PD_MONEY_ERROR_INVALID },
  { "50\n", PD_MONEY_ERROR_INVALID },
};

/* Just above G_MAXINT64 kopecks (92233720368547758.07), and far above it. */
static const RejectCase overflow_cases[] = {
  { "92233720368547758.08", PD_MONEY_ERROR_OVERFLOW },
  { "92233720368547758.1", PD_MONEY_ERROR_OVERFLOW },
  { "92233720368547758.99", PD_MONEY_ERROR_OVERFLOW },
  { "92233720368547759", PD_MONEY_ERROR_OVERFLOW },
  { "92233720368547759.00", PD_MONEY_ERROR_OVERFLOW },
  { "99999999999999999999", PD_MONEY_ERROR_OVERFLOW },
  { "99999999999999999999.99", PD_MONEY_ERROR_OVERFLOW },
};

/* Checks every row and reports each failing input by name, so that one run
 * lists all the inputs that misbehave rather than only the first. */
static void
check_rejects (const RejectCase *cases,
               guint             n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 kopecks = -1;
      gboolean ok;

      ok = pd_money_parse (cases[i].text, &kopecks, &error);
      if (ok)
        {
          pd_test_fail_case ("pd_money_parse (\"%s\") accepted it as %" G_GINT64_FORMAT
                             " kopecks; it must be refused",
                             cases[i].text, kopecks);
          continue;
        }
      if (!g_error_matches (error, PD_MONEY_ERROR, cases[i].code))
        {
          pd_test_fail_case ("pd_money_parse (\"%s\") failed with %s (code %d), expected code %d",
                             cases[i].text, error ? error->message : "no error",
                             error ? error->code : -1, cases[i].code);
          continue;
        }
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
      /* A refused amount leaves the output alone. */
      g_assert_cmpint (kopecks, ==, -1);
    }
}

static void
test_parse_accepts (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (accept_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 kopecks = -1;
      gboolean ok;

      ok = pd_money_parse (accept_cases[i].text, &kopecks, &error);
      if (!ok)
        {
          pd_test_fail_case ("pd_money_parse (\"%s\") refused it: %s",
                             accept_cases[i].text, error ? error->message : "no error");
          continue;
        }
      g_assert_no_error (error);
      if (kopecks != accept_cases[i].kopecks)
        pd_test_fail_case ("pd_money_parse (\"%s\") gave %" G_GINT64_FORMAT
                           ", expected %" G_GINT64_FORMAT,
                           accept_cases[i].text, kopecks, accept_cases[i].kopecks);
    }
}

static void
test_parse_equivalent (void)
{
  gint64 a = 0, b = 0, c = 0;

  g_assert_true (pd_money_parse ("50", &a, NULL));
  g_assert_true (pd_money_parse ("50.0", &b, NULL));
  g_assert_true (pd_money_parse ("50.00", &c, NULL));
  g_assert_cmpint (a, ==, 5000);
  g_assert_cmpint (a, ==, b);
  g_assert_cmpint (b, ==, c);
}

static void
test_parse_rejects (void)
{
  check_rejects (reject_cases, G_N_ELEMENTS (reject_cases));
}

static void
test_parse_rejects_null (void)
{
  g_autoptr(GError) error = NULL;
  gint64 kopecks = -1;

  g_assert_false (pd_money_parse (NULL, &kopecks, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_INVALID);
  g_assert_cmpint (kopecks, ==, -1);
}

static void
test_parse_overflow (void)
{
  check_rejects (overflow_cases, G_N_ELEMENTS (overflow_cases));
}

static void
test_parse_maximum (void)
{
  g_autoptr(GError) error = NULL;
  gint64 kopecks = 0;

  g_assert_true (pd_money_parse ("92233720368547758.07", &kopecks, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kopecks, ==, G_MAXINT64);

  g_assert_true (pd_money_parse ("92233720368547758", &kopecks, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kopecks, ==, G_GINT64_CONSTANT (9223372036854775800));

  g_assert_true (pd_money_parse ("92233720368547758.0", &kopecks, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kopecks, ==, G_GINT64_CONSTANT (9223372036854775800));
}

static void
test_format (void)
{
  static const struct {
    gint64      kopecks;
    const char *text;
  } cases[] = {
    { 0, "0.00" },
    { 1, "0.01" },
    { 5, "0.05" },
    { 10, "0.10" },
    { 99, "0.99" },
    { 100, "1.00" },
    { 5000, "50.00" },
    { 5001, "50.01" },
    { 123456789, "1234567.89" },
    { -5, "-0.05" },
    { -5000, "-50.00" },
    { -123456789, "-1234567.89" },
    { G_MAXINT64, "92233720368547758.07" },
    { G_MININT64, "-92233720368547758.08" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = pd_money_format (cases[i].kopecks);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_round_trip (void)
{
  static const gint64 values[] = { 0, 1, 5, 50, 99, 100, 5000, 600000, 123456789, G_MAXINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *text = pd_money_format (values[i]);
      gint64 back = -1;

      g_assert_true (pd_money_parse (text, &back, NULL));
      g_assert_cmpint (back, ==, values[i]);
    }
}

static void
test_multiply (void)
{
  gint64 result = 0;

  g_assert_true (pd_money_multiply (5000, 3, &result));
  g_assert_cmpint (result, ==, 15000);

  g_assert_true (pd_money_multiply (5000, 0, &result));
  g_assert_cmpint (result, ==, 0);

  g_assert_true (pd_money_multiply (0, G_MAXINT64, &result));
  g_assert_cmpint (result, ==, 0);

  g_assert_true (pd_money_multiply (G_MAXINT64, 1, &result));
  g_assert_cmpint (result, ==, G_MAXINT64);

  g_assert_true (pd_money_multiply (G_MAXINT64 / 2, 2, &result));
  g_assert_cmpint (result, ==, G_MAXINT64 - 1);
}

static void
test_multiply_overflow (void)
{
  gint64 result = 0;

  g_assert_false (pd_money_multiply (G_MAXINT64, 2, &result));
  g_assert_false (pd_money_multiply (G_MAXINT64 / 2 + 1, 2, &result));
  g_assert_false (pd_money_multiply (2, G_MAXINT64, &result));
  g_assert_false (pd_money_multiply (G_GINT64_CONSTANT (100000000000), 100000000000, &result));
}

static void
test_multiply_negative (void)
{
  gint64 result = 0;

  g_assert_false (pd_money_multiply (-5000, 3, &result));
  g_assert_false (pd_money_multiply (5000, -3, &result));
}

static void
test_currency_normalize (void)
{
  g_assert_cmpstr (pd_currency_normalize ("RUB"), ==, "RUB");
  g_assert_cmpstr (pd_currency_normalize ("rub"), ==, "RUB");
  g_assert_cmpstr (pd_currency_normalize ("Rub"), ==, "RUB");
  g_assert_cmpstr (pd_currency_normalize ("643"), ==, "RUB");
  g_assert_cmpstr (pd_currency_normalize ("USD"), ==, "USD");
  g_assert_cmpstr (pd_currency_normalize ("840"), ==, "USD");
  g_assert_cmpstr (pd_currency_normalize ("EUR"), ==, "EUR");
  g_assert_cmpstr (pd_currency_normalize ("978"), ==, "EUR");

  g_assert_null (pd_currency_normalize ("XYZ"));
  g_assert_null (pd_currency_normalize ("RUR"));
  g_assert_null (pd_currency_normalize ("999"));
  g_assert_null (pd_currency_normalize (" RUB"));
  g_assert_null (pd_currency_normalize ("RUB "));
  g_assert_null (pd_currency_normalize ("0643"));
  g_assert_null (pd_currency_normalize (""));
  g_assert_null (pd_currency_normalize (NULL));
}

static void
test_currency_equal (void)
{
  g_assert_true (pd_currency_equal ("RUB", "RUB"));
  g_assert_true (pd_currency_equal ("RUB", "643"));
  g_assert_true (pd_currency_equal ("643", "RUB"));
  g_assert_true (pd_currency_equal ("643", "643"));
  g_assert_true (pd_currency_equal ("rub", "RUB"));
  g_assert_true (pd_currency_equal ("rub", "643"));
  g_assert_true (pd_currency_equal ("USD", "840"));

  g_assert_false (pd_currency_equal ("RUB", "USD"));
  g_assert_false (pd_currency_equal ("643", "840"));
  g_assert_false (pd_currency_equal ("RUB", "840"));
  /* Unknown currencies are never equal, not even to themselves. */
  g_assert_false (pd_currency_equal ("XYZ", "XYZ"));
  g_assert_false (pd_currency_equal ("RUB", "XYZ"));
  g_assert_false (pd_currency_equal ("", ""));
  g_assert_false (pd_currency_equal ("RUB", NULL));
  g_assert_false (pd_currency_equal (NULL, "RUB"));
  g_assert_false (pd_currency_equal (NULL, NULL));
}

/* What a person types: a comma is a decimal mark too, spaces around are
 * ignored, and everything pd_money_parse() refuses is still refused. */
static void
test_parse_input (void)
{
  static const struct { const char *text; gint64 kopecks; } good[] = {
    { "50", 5000 }, { "50,5", 5050 }, { "50,50", 5050 }, { " 50.50 ", 5050 }, { "0,01", 1 },
  };
  static const char *bad[] = { "", "50,", ",5", "50,555", "1,2,3", "50,5.0", "-1", "5 0", "1e3" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 kopecks = -1;

      g_assert_true (pd_money_parse_input (good[i].text, &kopecks, &error));
      g_assert_no_error (error);
      g_assert_cmpint (kopecks, ==, good[i].kopecks);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 kopecks = -1;

      g_assert_false (pd_money_parse_input (bad[i], &kopecks, &error));
      g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

static void
test_format_input (void)
{
  g_autofree char *text = pd_money_format_input (5050);

  /* The C locale's decimal mark. */
  g_assert_cmpstr (text, ==, "50.50");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/parse/accepts", test_parse_accepts);
  g_test_add_func ("/money/parse/equivalent", test_parse_equivalent);
  g_test_add_func ("/money/parse/rejects", test_parse_rejects);
  g_test_add_func ("/money/parse/rejects-null", test_parse_rejects_null);
  g_test_add_func ("/money/parse/overflow", test_parse_overflow);
  g_test_add_func ("/money/parse/maximum", test_parse_maximum);
  g_test_add_func ("/money/format/two-decimals", test_format);
  g_test_add_func ("/money/format/round-trip", test_format_round_trip);
  g_test_add_func ("/money/multiply/ok", test_multiply);
  g_test_add_func ("/money/multiply/overflow", test_multiply_overflow);
  g_test_add_func ("/money/multiply/negative", test_multiply_negative);
  g_test_add_func ("/money/currency/normalize", test_currency_normalize);
  g_test_add_func ("/money/currency/equal", test_currency_equal);
  g_test_add_func ("/money/input/parse", test_parse_input);
  g_test_add_func ("/money/input/format", test_format_input);

  return g_test_run ();
}
