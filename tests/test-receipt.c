/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "pd-form.h"
#include "pd-money.h"
#include "pd-receipt.h"

#include "pd-test-utils.h"

/* A line as a test writes it or expects it, the price in kopecks. */
typedef struct
{
  const char *name;
  gint64      price;
  gint64      quantity;
} LineCase;

static PdReceipt *
receipt_from_lines (const LineCase *lines,
                    guint           n_lines)
{
  PdReceipt *receipt = pd_receipt_new ();

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(GError) error = NULL;

      pd_receipt_add_line (receipt, lines[i].name, lines[i].price, lines[i].quantity,
                           "vat20", 1, 1, &error);
      g_assert_no_error (error);
    }

  return receipt;
}

static void
assert_lines (const PdReceipt *receipt,
              const LineCase  *expected,
              guint            n_expected)
{
  g_assert_cmpuint (pd_receipt_get_n_lines (receipt), ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    {
      const PdReceiptLine *line = pd_receipt_get_line (receipt, i);

      g_assert_cmpstr (line->name, ==, expected[i].name);
      g_assert_cmpint (line->price, ==, expected[i].price);
      g_assert_cmpint (line->quantity, ==, expected[i].quantity);
    }
}

static gint64
receipt_total (const PdReceipt *receipt)
{
  g_autoptr(GError) error = NULL;
  gint64 total = -1;

  g_assert_true (pd_receipt_get_total (receipt, &total, &error));
  g_assert_no_error (error);
  return total;
}

static void
test_vat_table (void)
{
  static const struct {
    const char *tag;
    const char *v2;
  } expected[] = {
    { "no_vat", "None" }, { "vat0", "Vat0" }, { "vat10", "Vat10" }, { "vat20", "Vat20" },
    { "vat110", "Vat110" }, { "vat120", "Vat120" }, { "vat5", NULL }, { "vat7", NULL },
    { "vat22", NULL }, { "vat105", NULL }, { "vat107", NULL }, { "vat122", NULL },
  };
  const PdVatRate *all;
  guint n_rates = 0;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const PdVatRate *rate = pd_vat_rate_lookup (expected[i].tag);

      if (rate == NULL)
        {
          pd_test_fail_case ("no VAT rate \"%s\"", expected[i].tag);
          continue;
        }
      g_assert_cmpstr (rate->tag, ==, expected[i].tag);
      g_assert_cmpstr (rate->classic, ==, expected[i].tag);
      g_assert_cmpstr (rate->v2, ==, expected[i].v2);
      g_assert_cmpstr (pd_vat_rate_get_label (rate), !=, "");
    }

  g_assert_cmpstr (pd_vat_rate_get_label (pd_vat_rate_lookup ("vat20")), ==, "VAT 20%");
  g_assert_cmpstr (pd_vat_rate_get_label (pd_vat_rate_lookup ("vat120")), ==, "VAT 20/120");
  g_assert_cmpstr (pd_vat_rate_get_label (pd_vat_rate_lookup ("no_vat")), ==, "No VAT");

  /* Retired in 2019, and never a guess at a spelling. */
  g_assert_null (pd_vat_rate_lookup ("vat18"));
  g_assert_null (pd_vat_rate_lookup ("vat118"));
  g_assert_null (pd_vat_rate_lookup ("VAT20"));
  g_assert_null (pd_vat_rate_lookup (""));
  g_assert_null (pd_vat_rate_lookup (NULL));

  all = pd_vat_rate_get_all (&n_rates);
  g_assert_cmpuint (n_rates, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n_rates; i++)
    {
      g_assert_true (pd_vat_rate_lookup (all[i].tag) == &all[i]);
      for (guint j = i + 1; j < n_rates; j++)
        g_assert_cmpstr (all[i].tag, !=, all[j].tag);
    }
}

static void
test_subject_table (void)
{
  const PdReceiptSubject *all;
  guint n_subjects = 0;

  /* The names the spec gives; the rest are left unnamed on purpose. */
  g_assert_cmpstr (pd_receipt_subject_lookup (1)->v2, ==, "Commodity");
  g_assert_cmpstr (pd_receipt_subject_lookup (2)->v2, ==, "Excise");
  g_assert_cmpstr (pd_receipt_subject_lookup (3)->v2, ==, "Job");
  g_assert_cmpstr (pd_receipt_subject_lookup (4)->v2, ==, "Service");
  g_assert_cmpstr (pd_receipt_subject_lookup (13)->v2, ==, "Other");
  g_assert_null (pd_receipt_subject_lookup (10)->v2);
  g_assert_null (pd_receipt_subject_lookup (11)->v2);
  g_assert_null (pd_receipt_subject_lookup (19)->v2);
  g_assert_cmpstr (pd_receipt_subject_get_label (pd_receipt_subject_lookup (1)), ==, "Goods");
  g_assert_cmpstr (pd_receipt_subject_get_label (pd_receipt_subject_lookup (11)), ==,
                   "Agent’s fee");
  g_assert_cmpstr (pd_receipt_subject_get_label (pd_receipt_subject_lookup (19)), ==, "Pledge");

  for (guint code = 1; code <= 19; code++)
    {
      const PdReceiptSubject *subject = pd_receipt_subject_lookup (code);

      if (subject == NULL)
        {
          pd_test_fail_case ("no payment subject %u", code);
          continue;
        }
      g_assert_cmpuint (subject->code, ==, code);
      g_assert_cmpstr (pd_receipt_subject_get_label (subject), !=, "");
    }
  g_assert_null (pd_receipt_subject_lookup (0));
  g_assert_null (pd_receipt_subject_lookup (20));

  all = pd_receipt_subject_get_all (&n_subjects);
  g_assert_cmpuint (n_subjects, ==, 19);
  g_assert_true (all == pd_receipt_subject_lookup (1));
}

static void
test_method_table (void)
{
  static const char * const names[] = {
    "FullPrepayment", "PartialPrepayment", "Advance", "FullPayment", "PartialPayment", "Credit",
  };
  guint n_methods = 0;

  for (guint code = 1; code <= 6; code++)
    g_assert_cmpstr (pd_receipt_method_lookup (code)->v2, ==, names[code - 1]);
  g_assert_null (pd_receipt_method_lookup (7)->v2);
  g_assert_cmpstr (pd_receipt_method_get_label (pd_receipt_method_lookup (7)), ==,
                   "Credit repayment");
  g_assert_cmpstr (pd_receipt_method_get_label (pd_receipt_method_lookup (1)), ==,
                   "Full prepayment");
  g_assert_null (pd_receipt_method_lookup (0));
  g_assert_null (pd_receipt_method_lookup (8));
  pd_receipt_method_get_all (&n_methods);
  g_assert_cmpuint (n_methods, ==, 7);
}

static void
test_phone (void)
{
  static const struct {
    const char *text;
    const char *normalized;   /* NULL: refused */
  } cases[] = {
    { "79031234567", "79031234567" },
    { "+7 (903) 123-45-67", "79031234567" },
    { "+79031234567", "79031234567" },
    { "8 903 123 45 67", "79031234567" },
    { "89031234567", "79031234567" },
    { "9031234567", "79031234567" },
    { "(903) 123.45.67", "79031234567" },
    { "8 (495) 123-45-67", "74951234567" },
    { "", NULL },
    { "+", NULL },
    { "903123456", NULL },             /* nine digits */
    { "790312345678", NULL },          /* twelve */
    { "69031234567", NULL },           /* not +7 */
    { "+89031234567", NULL },          /* after a plus 8 is a country code */
    { "+9031234567", NULL },           /* a plus, then no country code */
    { "+375291234567", NULL },
    { "7903123456a", NULL },
    { "+7 903 CALL-NOW", NULL },
    { "7+9031234567", NULL },
    { "++79031234567", NULL },
    { "7903\n1234567", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = pd_receipt_normalize_phone (cases[i].text, &error);

      if (g_strcmp0 (normalized, cases[i].normalized) != 0)
        {
          pd_test_fail_case ("phone \"%s\" gave \"%s\", expected \"%s\"", cases[i].text,
                             normalized ? normalized : "(refused)",
                             cases[i].normalized ? cases[i].normalized : "(refused)");
          continue;
        }
      if (cases[i].normalized == NULL)
        {
          g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID);
          g_assert_nonnull (strstr (error->message, "+7"));
        }
      else
        g_assert_no_error (error);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *normalized = pd_receipt_normalize_phone (NULL, &error);

    g_assert_null (normalized);
    g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID);
  }
}

static void
test_contact (void)
{
  static const char * const bad_emails[] = {
    "user", "@example.ru", "user@", "user@example", "user@.ru", "user@example.",
    "us er@example.ru", "a@b@example.ru",
  };
  g_autoptr(PdReceipt) receipt = pd_receipt_new ();
  g_autoptr(GError) error = NULL;

  g_assert_null (pd_receipt_get_email (receipt));
  g_assert_null (pd_receipt_get_phone (receipt));

  g_assert_true (pd_receipt_set_email (receipt, " buyer@example.ru ", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pd_receipt_get_email (receipt), ==, "buyer@example.ru");

  /* One contact: the phone replaces the e-mail and the other way round. */
  g_assert_true (pd_receipt_set_phone (receipt, "8 903 123-45-67", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pd_receipt_get_phone (receipt), ==, "79031234567");
  g_assert_null (pd_receipt_get_email (receipt));

  g_assert_true (pd_receipt_set_contact (receipt, "покупатель@пример.рф", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pd_receipt_get_email (receipt), ==, "покупатель@пример.рф");
  g_assert_null (pd_receipt_get_phone (receipt));

  g_assert_true (pd_receipt_set_contact (receipt, "+7 903 123 45 67", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pd_receipt_get_phone (receipt), ==, "79031234567");

  /* A refused contact leaves the old one. */
  g_assert_false (pd_receipt_set_contact (receipt, "12345", &error));
  g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (pd_receipt_get_phone (receipt), ==, "79031234567");

  for (guint i = 0; i < G_N_ELEMENTS (bad_emails); i++)
    {
      if (pd_receipt_set_email (receipt, bad_emails[i], &error))
        pd_test_fail_case ("e-mail \"%s\" was accepted", bad_emails[i]);
      else
        g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_cmpstr (pd_receipt_get_phone (receipt), ==, "79031234567");

  g_assert_true (pd_receipt_set_contact (receipt, "", &error));
  g_assert_no_error (error);
  g_assert_null (pd_receipt_get_email (receipt));
  g_assert_null (pd_receipt_get_phone (receipt));

  /* The same rule without a receipt, for checking a form as it is typed. */
  {
    g_autofree char *email = pd_receipt_normalize_email ("\tbuyer@example.ru ", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (email, ==, "buyer@example.ru");
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad_emails); i++)
    {
      g_autofree char *email = pd_receipt_normalize_email (bad_emails[i], &error);

      if (email != NULL)
        pd_test_fail_case ("e-mail \"%s\" was normalized to \"%s\"", bad_emails[i], email);
      else
        g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID);
      g_clear_error (&error);
    }
}

static void
test_parse_code (void)
{
  static const struct {
    const char *text;
    guint       code;
  } cases[] = {
    { "1", 1 }, { "19", 19 }, { "4294967295", G_MAXUINT },
    { NULL, 0 }, { "", 0 }, { "0", 0 }, { "-1", 0 }, { "+4", 0 }, { " 4", 0 }, { "4 ", 0 },
    { "04", 4 }, { "goods", 0 }, { "4294967296", 0 }, { "1.0", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint code = pd_receipt_parse_code (cases[i].text);

      if (code != cases[i].code)
        pd_test_fail_case ("\"%s\" read as %u, not %u", cases[i].text ? cases[i].text : "(null)", code,
                           cases[i].code);
    }
}

static void
test_add_line (void)
{
  static const struct {
    const char *name;
    gint64      price;
    gint64      quantity;
    const char *vat;
    guint       subject;
    guint       method;
    int         code;
  } bad[] = {
    { "", 100, 1, "vat20", 1, 1, PD_RECEIPT_ERROR_INVALID },
    { "   ", 100, 1, "vat20", 1, 1, PD_RECEIPT_ERROR_INVALID },
    { NULL, 100, 1, "vat20", 1, 1, PD_RECEIPT_ERROR_INVALID },
    { "\xff\xfe", 100, 1, "vat20", 1, 1, PD_RECEIPT_ERROR_INVALID },
    { "Tea", 0, 1, "vat20", 1, 1, PD_RECEIPT_ERROR_INVALID },
    { "Tea", -100, 1, "vat20", 1, 1, PD_RECEIPT_ERROR_INVALID },
    { "Tea", 100, 0, "vat20", 1, 1, PD_RECEIPT_ERROR_INVALID },
    { "Tea", 100, -2, "vat20", 1, 1, PD_RECEIPT_ERROR_INVALID },
    { "Tea", 100, 1, "vat18", 1, 1, PD_RECEIPT_ERROR_INVALID },
    { "Tea", 100, 1, NULL, 1, 1, PD_RECEIPT_ERROR_INVALID },
    { "Tea", 100, 1, "vat20", 0, 1, PD_RECEIPT_ERROR_INVALID },
    { "Tea", 100, 1, "vat20", 20, 1, PD_RECEIPT_ERROR_INVALID },
    { "Tea", 100, 1, "vat20", 1, 0, PD_RECEIPT_ERROR_INVALID },
    { "Tea", 100, 1, "vat20", 1, 8, PD_RECEIPT_ERROR_INVALID },
    { "Tea", G_MAXINT64 / 2, 3, "vat20", 1, 1, PD_RECEIPT_ERROR_OVERFLOW },
  };
  g_autoptr(PdReceipt) receipt = pd_receipt_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_name = g_string_new (NULL);
  const PdReceiptLine *line;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (pd_receipt_add_line (receipt, bad[i].name, bad[i].price, bad[i].quantity, bad[i].vat,
                               bad[i].subject, bad[i].method, &error))
        pd_test_fail_case ("line %u was accepted", i);
      else if (!g_error_matches (error, PD_RECEIPT_ERROR, bad[i].code))
        pd_test_fail_case ("line %u failed with %s, expected code %d", i, error->message,
                           bad[i].code);
      else
        g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
    }
  g_assert_cmpuint (pd_receipt_get_n_lines (receipt), ==, 0);

  g_assert_true (pd_receipt_add_line (receipt, "  Чай  ", 25050, 3, "vat10", 1, 4, &error));
  g_assert_no_error (error);
  line = pd_receipt_get_line (receipt, 0);
  g_assert_cmpstr (line->name, ==, "Чай");
  g_assert_cmpint (line->price, ==, 25050);
  g_assert_cmpint (line->quantity, ==, 3);
  g_assert_cmpstr (line->vat->tag, ==, "vat10");
  g_assert_cmpuint (line->subject->code, ==, 1);
  g_assert_cmpuint (line->method->code, ==, 4);
  g_assert_cmpint (receipt_total (receipt), ==, 75150);

  /* The register takes 128 characters of a name, not bytes. */
  for (guint i = 0; i < 200; i++)
    g_string_append (long_name, "я");
  g_assert_true (pd_receipt_add_line (receipt, long_name->str, 100, 1, "vat20", 1, 1, &error));
  g_assert_no_error (error);
  line = pd_receipt_get_line (receipt, 1);
  g_assert_cmpint (g_utf8_strlen (line->name, -1), ==, PD_RECEIPT_MAX_NAME_CHARS);

  for (guint i = pd_receipt_get_n_lines (receipt); i < PD_RECEIPT_MAX_LINES; i++)
    {
      g_assert_true (pd_receipt_add_line (receipt, "Filler", 1, 1, "vat20", 1, 1, &error));
      g_assert_no_error (error);
    }
  g_assert_false (pd_receipt_add_line (receipt, "One too many", 1, 1, "vat20", 1, 1, &error));
  g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_TOO_MANY_LINES);
  g_assert_nonnull (strstr (error->message, "100"));
  g_assert_cmpuint (pd_receipt_get_n_lines (receipt), ==, PD_RECEIPT_MAX_LINES);
}

static void
test_reconcile_exact (void)
{
  static const LineCase lines[] = { { "Tea", 15000, 2 }, { "Cup", 49999, 1 } };
  g_autoptr(PdReceipt) receipt = receipt_from_lines (lines, G_N_ELEMENTS (lines));
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_receipt_reconcile (receipt, 79999, &error));
  g_assert_no_error (error);
  assert_lines (receipt, lines, G_N_ELEMENTS (lines));
}

/* 100.00 off 500.00: 20 % of every line, each line keeps one price. */
static void
test_reconcile_discount (void)
{
  static const LineCase lines[] = {
    { "Tea", 1000, 2 }, { "Cup", 2000, 1 }, { "Pot", 500, 2 },
  };
  static const LineCase expected[] = {
    { "Tea", 800, 2 }, { "Cup", 1600, 1 }, { "Pot", 400, 2 },
  };
  g_autoptr(PdReceipt) receipt = receipt_from_lines (lines, G_N_ELEMENTS (lines));
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_receipt_reconcile (receipt, 4000, &error));
  g_assert_no_error (error);
  assert_lines (receipt, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (receipt_total (receipt), ==, 4000);
}

/* One kopeck off 3 × 100.00: the quantity cannot share 29999 kopecks
 * evenly, so the line splits into prices one kopeck apart. */
static void
test_reconcile_split (void)
{
  static const LineCase lines[] = { { "Tea", 10000, 3 } };
  static const LineCase expected[] = { { "Tea", 9999, 1 }, { "Tea", 10000, 2 } };
  g_autoptr(PdReceipt) receipt = receipt_from_lines (lines, G_N_ELEMENTS (lines));
  g_autoptr(GError) error = NULL;
  const PdReceiptLine *line;

  g_assert_true (pd_receipt_reconcile (receipt, 29999, &error));
  g_assert_no_error (error);
  assert_lines (receipt, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (receipt_total (receipt), ==, 29999);

  /* The halves of a split line keep what the line was. */
  line = pd_receipt_get_line (receipt, 1);
  g_assert_cmpstr (line->vat->tag, ==, "vat20");
  g_assert_cmpuint (line->subject->code, ==, 1);
  g_assert_cmpuint (line->method->code, ==, 1);
}

/* 10 units share 10009 kopecks: nine at 1001 and one at 1000. */
static void
test_reconcile_split_many (void)
{
  static const LineCase lines[] = { { "Pen", 1000, 10 } };
  static const LineCase expected[] = { { "Pen", 1000, 1 }, { "Pen", 1001, 9 } };
  g_autoptr(PdReceipt) receipt = receipt_from_lines (lines, G_N_ELEMENTS (lines));
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_receipt_reconcile (receipt, 10009, &error));
  g_assert_no_error (error);
  assert_lines (receipt, expected, G_N_ELEMENTS (expected));
}

/* 300.00 down to 200.00 over three equal lines: 33.33 each and the last
 * kopeck of discount to the first line. */
static void
test_reconcile_three_equal (void)
{
  static const LineCase lines[] = { { "A", 10000, 1 }, { "B", 10000, 1 }, { "C", 10000, 1 } };
  static const LineCase expected[] = { { "A", 6666, 1 }, { "B", 6667, 1 }, { "C", 6667, 1 } };
  static const LineCase expected_up[] = { { "A", 13334, 1 }, { "B", 13333, 1 }, { "C", 13333, 1 } };
  g_autoptr(PdReceipt) receipt = receipt_from_lines (lines, G_N_ELEMENTS (lines));
  g_autoptr(PdReceipt) up = receipt_from_lines (lines, G_N_ELEMENTS (lines));
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_receipt_reconcile (receipt, 20000, &error));
  g_assert_no_error (error);
  assert_lines (receipt, expected, G_N_ELEMENTS (expected));

  g_assert_true (pd_receipt_reconcile (up, 40000, &error));
  g_assert_no_error (error);
  assert_lines (up, expected_up, G_N_ELEMENTS (expected_up));
}

/* 10.00 on top of 90.00 (delivery, say), shared 1 : 2 by the line sums. */
static void
test_reconcile_surcharge (void)
{
  static const LineCase lines[] = { { "Tea", 1500, 2 }, { "Cup", 6000, 1 } };
  static const LineCase expected[] = {
    { "Tea", 1666, 1 }, { "Tea", 1667, 1 }, { "Cup", 6667, 1 },
  };
  g_autoptr(PdReceipt) receipt = receipt_from_lines (lines, G_N_ELEMENTS (lines));
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_receipt_reconcile (receipt, 10000, &error));
  g_assert_no_error (error);
  assert_lines (receipt, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (receipt_total (receipt), ==, 10000);
}

/* Amounts whose discount × line sum passes 64 bits: 10 000 000 000.00
 * off 90 000 000 000.00. */
static void
test_reconcile_large (void)
{
  static const LineCase lines[] = {
    { "Plant", G_GINT64_CONSTANT (3000000000000), 1 },
    { "Ship", G_GINT64_CONSTANT (6000000000000), 1 },
  };
  static const LineCase expected[] = {
    { "Plant", G_GINT64_CONSTANT (2666666666667), 1 },
    { "Ship", G_GINT64_CONSTANT (5333333333333), 1 },
  };
  g_autoptr(PdReceipt) receipt = receipt_from_lines (lines, G_N_ELEMENTS (lines));
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_receipt_reconcile (receipt, G_GINT64_CONSTANT (8000000000000), &error));
  g_assert_no_error (error);
  assert_lines (receipt, expected, G_N_ELEMENTS (expected));
}

static void
assert_refused (PdReceipt  *receipt,
                gint64      total,
                int         code)
{
  g_autoptr(GError) error = NULL;
  guint n_before = pd_receipt_get_n_lines (receipt);
  g_autofree gint64 *prices = g_new0 (gint64, n_before + 1);

  for (guint i = 0; i < n_before; i++)
    prices[i] = pd_receipt_get_line (receipt, i)->price;

  g_assert_false (pd_receipt_reconcile (receipt, total, &error));
  g_assert_error (error, PD_RECEIPT_ERROR, code);
  g_assert_cmpstr (error->message, !=, "");
  g_test_message ("refused: %s", error->message);

  /* A refusal changes nothing. */
  g_assert_cmpuint (pd_receipt_get_n_lines (receipt), ==, n_before);
  for (guint i = 0; i < n_before; i++)
    g_assert_cmpint (pd_receipt_get_line (receipt, i)->price, ==, prices[i]);
}

static void
test_reconcile_impossible (void)
{
  static const LineCase lines[] = { { "Tea", 1000, 1 }, { "Clip", 1, 5 } };
  g_autoptr(PdReceipt) empty = pd_receipt_new ();
  g_autoptr(PdReceipt) receipt = receipt_from_lines (lines, G_N_ELEMENTS (lines));
  g_autoptr(PdReceipt) huge = pd_receipt_new ();
  g_autoptr(PdReceipt) crowded = pd_receipt_new ();
  g_autoptr(GError) error = NULL;

  assert_refused (empty, 1000, PD_RECEIPT_ERROR_EMPTY);
  assert_refused (receipt, 0, PD_RECEIPT_ERROR_TOTAL);
  assert_refused (receipt, -500, PD_RECEIPT_ERROR_TOTAL);

  /* 5 clips at a kopeck each cannot take any discount. */
  assert_refused (receipt, 900, PD_RECEIPT_ERROR_TOO_SMALL);
  assert_refused (receipt, 1, PD_RECEIPT_ERROR_TOO_SMALL);

  g_assert_true (pd_receipt_add_line (huge, "A", G_MAXINT64 / 2 + 1, 1, "vat20", 1, 1, &error));
  g_assert_true (pd_receipt_add_line (huge, "B", G_MAXINT64 / 2 + 1, 1, "vat20", 1, 1, &error));
  g_assert_no_error (error);
  assert_refused (huge, 1000, PD_RECEIPT_ERROR_OVERFLOW);

  /* A hundred lines that each must split do not fit in a receipt. */
  for (guint i = 0; i < PD_RECEIPT_MAX_LINES; i++)
    {
      g_assert_true (pd_receipt_add_line (crowded, "Pair", 1000, 2, "vat20", 1, 1, &error));
      g_assert_no_error (error);
    }
  assert_refused (crowded, PD_RECEIPT_MAX_LINES * 2000 - PD_RECEIPT_MAX_LINES,
                  PD_RECEIPT_ERROR_TOO_MANY_LINES);
  /* ... but the same receipt takes an even discount. */
  g_assert_true (pd_receipt_reconcile (crowded, PD_RECEIPT_MAX_LINES * 1800, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_receipt_get_n_lines (crowded), ==, PD_RECEIPT_MAX_LINES);
}

static void
test_classic_fields (void)
{
  static const struct {
    const char *name;
    const char *value;
  } expected[] = {
    { "LMI_SHOPPINGCART.ITEM[0].NAME", "Чай «Эрл Грей»" },
    { "LMI_SHOPPINGCART.ITEM[0].QTY", "2" },
    { "LMI_SHOPPINGCART.ITEM[0].PRICE", "150.50" },
    { "LMI_SHOPPINGCART.ITEM[0].TAX", "vat20" },
    { "LMI_SHOPPINGCART.ITEM[0].METHOD", "1" },
    { "LMI_SHOPPINGCART.ITEM[0].SUBJECT", "1" },
    { "LMI_SHOPPINGCART.ITEM[1].NAME", "Delivery" },
    { "LMI_SHOPPINGCART.ITEM[1].QTY", "1" },
    { "LMI_SHOPPINGCART.ITEM[1].PRICE", "0.07" },
    { "LMI_SHOPPINGCART.ITEM[1].TAX", "vat5" },
    { "LMI_SHOPPINGCART.ITEM[1].METHOD", "7" },
    { "LMI_SHOPPINGCART.ITEM[1].SUBJECT", "19" },
    { "LMI_PAYER_PHONE_NUMBER", "79031234567" },
  };
  g_autoptr(PdReceipt) receipt = pd_receipt_new ();
  g_autoptr(PdForm) form = pd_form_new ();
  g_autoptr(PdForm) untouched = pd_form_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_receipt_add_line (receipt, "Чай «Эрл Грей»", 15050, 2, "vat20", 1, 1, &error));
  g_assert_true (pd_receipt_add_line (receipt, "Delivery", 7, 1, "vat5", 19, 7, &error));
  g_assert_true (pd_receipt_set_phone (receipt, "+7 903 123-45-67", &error));
  g_assert_no_error (error);

  pd_form_add (form, "LMI_PAYMENT_AMOUNT", "301.07");
  g_assert_true (pd_receipt_add_to_form (receipt, 30107, form, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (pd_form_get_n_fields (form), ==, 1 + G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const char *name;
      const char *value;

      pd_form_get_field (form, i + 1, &name, &value);
      g_assert_cmpstr (name, ==, expected[i].name);
      g_assert_cmpstr (value, ==, expected[i].value);
    }

  /* An e-mail goes in LMI_PAYER_EMAIL, replacing the one the link has. */
  g_assert_true (pd_receipt_set_email (receipt, "buyer@example.ru", &error));
  g_clear_pointer (&form, pd_form_free);
  form = pd_form_new ();
  pd_form_add (form, "LMI_PAYER_EMAIL", "old@example.ru");
  g_assert_true (pd_receipt_add_to_form (receipt, 30107, form, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_form_count (form, "LMI_PAYER_EMAIL"), ==, 1);
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_EMAIL"), ==, "buyer@example.ru");
  g_assert_null (pd_form_get (form, "LMI_PAYER_PHONE_NUMBER"));

  /* Lines that do not add up to the payment never reach the form. */
  g_assert_false (pd_receipt_add_to_form (receipt, 30108, untouched, &error));
  g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_MISMATCH);
  g_assert_cmpuint (pd_form_get_n_fields (untouched), ==, 0);
}

static JsonNode *
build_body (const PdReceipt  *receipt,
            gint64            amount,
            GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean ok;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "merchantId");
  json_builder_add_string_value (builder, "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6");
  ok = pd_receipt_add_to_json (receipt, amount, builder, error);
  json_builder_set_member_name (builder, "testMode");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);

  g_assert_true (ok == (error == NULL || *error == NULL));
  return json_builder_get_root (builder);
}

/* A price read back from JSON, in kopecks. A whole number of roubles is
 * written without decimals, so json-glib reads it back as an integer. */
static gint64
price_from_node (JsonNode *node)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gint64 kopecks = -1;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node) * 100;
  g_assert_cmpuint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_ascii_formatd (buffer, sizeof buffer, "%.2f", json_node_get_double (node));
  g_assert_true (pd_money_parse (buffer, &kopecks, NULL));
  return kopecks;
}

static void
test_v2_shape (void)
{
  g_autoptr(PdReceipt) receipt = pd_receipt_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *body;
  JsonObject *json_receipt;
  JsonObject *client;
  JsonArray *items;
  JsonObject *item;

  g_assert_true (pd_receipt_add_line (receipt, "Чай \"Эрл Грей\"", 123456, 2, "vat20", 1, 1,
                                      &error));
  g_assert_true (pd_receipt_add_line (receipt, "Доставка", 5000, 1, "no_vat", 4, 4, &error));
  g_assert_true (pd_receipt_add_line (receipt, "Other", 10, 3, "vat120", 13, 6, &error));
  g_assert_true (pd_receipt_set_email (receipt, "buyer@example.ru", &error));
  g_assert_no_error (error);

  root = build_body (receipt, 251942, &error);
  g_assert_no_error (error);
  text = pd_json_to_string (root);
  g_test_message ("%s", text);

  /* The prices go out exactly, in their shortest form, not as json-glib
   * prints them. */
  g_assert_nonnull (strstr (text, "\"price\":1234.56,"));
  g_assert_nonnull (strstr (text, "\"price\":50,"));
  g_assert_nonnull (strstr (text, "\"price\":0.1,"));
  g_assert_null (strstr (text, "1234.5599"));
  g_assert_cmpstr (text, ==,
                   "{\"merchantId\":\"ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6\","
                   "\"receipt\":{\"client\":{\"email\":\"buyer@example.ru\"},\"items\":["
                   "{\"name\":\"Чай \\\"Эрл Грей\\\"\",\"quantity\":2,\"price\":1234.56,"
                   "\"vatType\":\"Vat20\",\"paymentSubject\":\"Commodity\","
                   "\"paymentMethod\":\"FullPrepayment\"},"
                   "{\"name\":\"Доставка\",\"quantity\":1,\"price\":50,"
                   "\"vatType\":\"None\",\"paymentSubject\":\"Service\","
                   "\"paymentMethod\":\"FullPayment\"},"
                   "{\"name\":\"Other\",\"quantity\":3,\"price\":0.1,"
                   "\"vatType\":\"Vat120\",\"paymentSubject\":\"Other\","
                   "\"paymentMethod\":\"Credit\"}]},"
                   "\"testMode\":true}");

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (json_node_equal (root, json_parser_get_root (parser)));

  body = json_node_get_object (json_parser_get_root (parser));
  json_receipt = json_object_get_object_member (body, "receipt");
  g_assert_nonnull (json_receipt);
  g_assert_cmpuint (json_object_get_size (json_receipt), ==, 2);
  client = json_object_get_object_member (json_receipt, "client");
  g_assert_cmpuint (json_object_get_size (client), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (client, "email"), ==, "buyer@example.ru");

  items = json_object_get_array_member (json_receipt, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  item = json_array_get_object_element (items, 0);
  g_assert_cmpuint (json_object_get_size (item), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (item, "name"), ==, "Чай \"Эрл Грей\"");
  g_assert_cmpuint (json_node_get_value_type (json_object_get_member (item, "quantity")), ==,
                    G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (item, "quantity"), ==, 2);
  g_assert_cmpint (price_from_node (json_object_get_member (item, "price")), ==, 123456);
  g_assert_cmpstr (json_object_get_string_member (item, "vatType"), ==, "Vat20");
  g_assert_cmpstr (json_object_get_string_member (item, "paymentSubject"), ==, "Commodity");
  g_assert_cmpstr (json_object_get_string_member (item, "paymentMethod"), ==, "FullPrepayment");

  /* A phone instead, and without a contact no client at all. */
  g_assert_true (pd_receipt_set_phone (receipt, "89031234567", &error));
  g_clear_pointer (&root, json_node_unref);
  root = build_body (receipt, 251942, &error);
  g_assert_no_error (error);
  json_receipt = json_object_get_object_member (json_node_get_object (root), "receipt");
  client = json_object_get_object_member (json_receipt, "client");
  g_assert_cmpstr (json_object_get_string_member (client, "phone"), ==, "79031234567");
  g_assert_false (json_object_has_member (client, "email"));

  g_assert_true (pd_receipt_set_contact (receipt, NULL, &error));
  g_clear_pointer (&root, json_node_unref);
  root = build_body (receipt, 251942, &error);
  g_assert_no_error (error);
  json_receipt = json_object_get_object_member (json_node_get_object (root), "receipt");
  g_assert_false (json_object_has_member (json_receipt, "client"));
}

/* Values v2 has no name for are refused with the builder untouched, so the
 * body around it is still whole. */
static void
test_v2_unsupported (void)
{
  static const struct {
    const char *vat;
    guint       subject;
    guint       method;
    int         code;
  } cases[] = {
    { "vat5", 1, 1, PD_RECEIPT_ERROR_UNSUPPORTED },
    { "vat122", 1, 1, PD_RECEIPT_ERROR_UNSUPPORTED },
    { "vat20", 10, 1, PD_RECEIPT_ERROR_UNSUPPORTED },
    { "vat20", 1, 7, PD_RECEIPT_ERROR_UNSUPPORTED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdReceipt) receipt = pd_receipt_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(PdForm) form = pd_form_new ();

      g_assert_true (pd_receipt_add_line (receipt, "Tea", 100, 1, "vat20", 1, 1, &error));
      g_assert_true (pd_receipt_add_line (receipt, "Odd", 100, 1, cases[i].vat, cases[i].subject,
                                          cases[i].method, &error));
      g_assert_no_error (error);

      root = build_body (receipt, 200, &error);
      g_assert_error (error, PD_RECEIPT_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, "“Odd”"));
      g_assert_nonnull (strstr (error->message, "classic protocol"));
      g_test_message ("refused: %s", error->message);
      g_assert_false (json_object_has_member (json_node_get_object (root), "receipt"));
      g_assert_true (json_object_has_member (json_node_get_object (root), "testMode"));

      /* The classic cart takes them. */
      g_clear_error (&error);
      g_assert_true (pd_receipt_add_to_form (receipt, 200, form, &error));
      g_assert_no_error (error);
    }

  {
    g_autoptr(PdReceipt) receipt = pd_receipt_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) root = NULL;

    g_assert_true (pd_receipt_add_line (receipt, "Tea", 100, 1, "vat20", 1, 1, &error));
    root = build_body (receipt, 99, &error);
    g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_MISMATCH);
    g_assert_false (json_object_has_member (json_node_get_object (root), "receipt"));
  }
}

/* Why money goes through pd_json_to_string(): json-glib 1.6 prints doubles
 * with 17 significant digits. The writer agrees with json-glib on
 * everything else. */
static void
test_json_numbers (void)
{
  static const struct {
    double      value;
    const char *text;
  } cases[] = {
    { 1234.56, "1234.56" }, { 0.07, "0.07" }, { 19.99, "19.99" }, { 50.0, "50" },
    { 0.5, "0.5" }, { 92233720368547.58, "92233720368547.58" },
    { 1.0 / 3.0, "0.3333333333333333" },
    { 1e300, "1e+300" }, { -2.5, "-2.5" }, { 0.001, "0.001" },
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *document =
    "{\"a\":[1,-2,true,false,null,\"x\\u0001\\\"\\\\/\"],\"b\":{},\"c\":[],"
    "\"d\":{\"e\":{\"f\":9223372036854775807}},\"ключ\":\"значение\",\"g\":-0.25}";
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_node_init_double (json_node_alloc (), cases[i].value);
      g_autofree char *text = pd_json_to_string (node);

      if (g_strcmp0 (text, cases[i].text) != 0)
        pd_test_fail_case ("%.17g was written as %s, expected %s", cases[i].value, text,
                           cases[i].text);
      else
        g_assert_true (g_ascii_strtod (text, NULL) == cases[i].value);
    }

  {
    g_autoptr(JsonNode) node = json_node_init_double (json_node_alloc (), 1234.56);
    g_autofree char *text = json_to_string (node, FALSE);

    g_test_message ("json-glib writes 1234.56 as %s", text);
  }

  g_assert_true (json_parser_load_from_data (parser, document, -1, &error));
  g_assert_no_error (error);
  ours = pd_json_to_string (json_parser_get_root (parser));
  theirs = json_to_string (json_parser_get_root (parser), FALSE);
  g_test_message ("%s", ours);
  {
    g_autoptr(JsonParser) back = json_parser_new ();
    g_autoptr(JsonParser) back_theirs = json_parser_new ();

    g_assert_true (json_parser_load_from_data (back, ours, -1, &error));
    g_assert_no_error (error);
    g_assert_true (json_parser_load_from_data (back_theirs, theirs, -1, &error));
    g_assert_no_error (error);
    g_assert_true (json_node_equal (json_parser_get_root (back), json_parser_get_root (parser)));
    g_assert_true (json_node_equal (json_parser_get_root (back),
                                    json_parser_get_root (back_theirs)));
  }
}

/* Many random receipts and totals (fixed seed): whenever a receipt is
 * issued, PRICE × QTY adds up to the amount in the lines, in the classic
 * form and in the v2 JSON; every unit keeps a price of at least a kopeck and
 * within a kopeck of its line's other units; and a refusal changes nothing. */
static void
test_property_sums (void)
{
  static const char * const vats[] = { "no_vat", "vat0", "vat10", "vat20", "vat110", "vat120" };
  static const guint subjects[] = { 1, 2, 3, 4, 13 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250615);
  guint n_issued = 0;
  guint n_refused = 0;
  guint n_split = 0;

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(PdReceipt) receipt = pd_receipt_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PdForm) form = pd_form_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *text = NULL;
      g_autofree gint64 *units = NULL;
      g_autofree gint64 *low = NULL;
      guint n_lines = g_rand_int_range (rand, 1, 9);
      gint64 sum;
      gint64 total;
      gint64 form_sum = 0;
      gint64 json_sum = 0;
      JsonArray *items;

      for (guint i = 0; i < n_lines; i++)
        {
          g_autofree char *name = g_strdup_printf ("item %u", i);
          gint64 price = g_rand_int_range (rand, 1, 500000);
          gint64 quantity = g_rand_int_range (rand, 1, 13);

          g_assert_true (pd_receipt_add_line (receipt, name, price, quantity,
                                              vats[g_rand_int_range (rand, 0, 6)],
                                              subjects[g_rand_int_range (rand, 0, 5)],
                                              g_rand_int_range (rand, 1, 7), &error));
          g_assert_no_error (error);
        }
      sum = receipt_total (receipt);

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 4:
          /* A few kopecks for all of it: mostly refused. */
          total = g_rand_int_range (rand, 1, 40);
          break;
        case 0:
          total = sum;
          break;
        case 1:
          total = sum + g_rand_int_range (rand, -20, 21);
          break;
        case 2:
          total = g_rand_int_range (rand, 1, 100) * sum / 100;
          break;
        default:
          total = sum + g_rand_int_range (rand, 1, 300) * sum / 100 +
                  g_rand_int_range (rand, 0, 99);
          break;
        }
      if (total <= 0)
        total = 1;

      if (!pd_receipt_reconcile (receipt, total, &error))
        {
          g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_TOO_SMALL);
          g_assert_cmpint (receipt_total (receipt), ==, sum);
          g_assert_cmpuint (pd_receipt_get_n_lines (receipt), ==, n_lines);
          n_refused++;
          continue;
        }
      n_issued++;
      if (pd_receipt_get_n_lines (receipt) > n_lines)
        n_split++;

      g_assert_cmpint (receipt_total (receipt), ==, total);
      g_assert_cmpuint (pd_receipt_get_n_lines (receipt), <=, 2 * n_lines);

      /* Each line of the invoice keeps its units, at prices a kopeck apart. */
      units = g_new0 (gint64, n_lines);
      low = g_new0 (gint64, n_lines);
      for (guint i = 0; i < pd_receipt_get_n_lines (receipt); i++)
        {
          const PdReceiptLine *line = pd_receipt_get_line (receipt, i);
          guint64 index = g_ascii_strtoull (line->name + strlen ("item "), NULL, 10);

          g_assert_cmpint (line->price, >=, 1);
          g_assert_cmpint (line->quantity, >=, 1);
          if (low[index] == 0)
            low[index] = line->price;
          g_assert_cmpint (line->price - low[index], >=, 0);
          g_assert_cmpint (line->price - low[index], <=, 1);
          units[index] += line->quantity;
        }
      for (guint i = 0; i < n_lines; i++)
        g_assert_cmpint (units[i], >, 0);

      g_assert_true (pd_receipt_add_to_form (receipt, total, form, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < pd_receipt_get_n_lines (receipt); i++)
        {
          g_autofree char *price_name = g_strdup_printf ("LMI_SHOPPINGCART.ITEM[%u].PRICE", i);
          g_autofree char *qty_name = g_strdup_printf ("LMI_SHOPPINGCART.ITEM[%u].QTY", i);
          gint64 price = 0;
          guint64 quantity = 0;

          g_assert_true (pd_money_parse (pd_form_get (form, price_name), &price, NULL));
          g_assert_true (g_ascii_string_to_unsigned (pd_form_get (form, qty_name), 10, 1,
                                                     G_MAXINT64, &quantity, NULL));
          form_sum += price * (gint64) quantity;
        }
      g_assert_cmpint (form_sum, ==, total);

      root = build_body (receipt, total, &error);
      g_assert_no_error (error);
      text = pd_json_to_string (root);
      g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
      g_assert_no_error (error);
      items = json_object_get_array_member (
        json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                       "receipt"), "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);

          json_sum += price_from_node (json_object_get_member (item, "price")) *
                      json_object_get_int_member (item, "quantity");
        }
      g_assert_cmpint (json_sum, ==, total);
    }

  g_test_message ("%u receipts issued (%u with split lines), %u refused", n_issued, n_split,
                  n_refused);
  g_assert_cmpuint (n_issued, >, 2000);
  g_assert_cmpuint (n_split, >, 500);
  g_assert_cmpuint (n_refused, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/receipt/table/vat", test_vat_table);
  g_test_add_func ("/receipt/table/subject", test_subject_table);
  g_test_add_func ("/receipt/table/method", test_method_table);
  g_test_add_func ("/receipt/contact/phone", test_phone);
  g_test_add_func ("/receipt/contact/set", test_contact);
  g_test_add_func ("/receipt/parse-code", test_parse_code);
  g_test_add_func ("/receipt/add-line", test_add_line);
  g_test_add_func ("/receipt/reconcile/exact", test_reconcile_exact);
  g_test_add_func ("/receipt/reconcile/discount", test_reconcile_discount);
  g_test_add_func ("/receipt/reconcile/split", test_reconcile_split);
  g_test_add_func ("/receipt/reconcile/split-many", test_reconcile_split_many);
  g_test_add_func ("/receipt/reconcile/three-equal", test_reconcile_three_equal);
  g_test_add_func ("/receipt/reconcile/surcharge", test_reconcile_surcharge);
  g_test_add_func ("/receipt/reconcile/large", test_reconcile_large);
  g_test_add_func ("/receipt/reconcile/impossible", test_reconcile_impossible);
  g_test_add_func ("/receipt/classic/fields", test_classic_fields);
  g_test_add_func ("/receipt/v2/shape", test_v2_shape);
  g_test_add_func ("/receipt/v2/unsupported", test_v2_unsupported);
  g_test_add_func ("/receipt/json/numbers", test_json_numbers);
  g_test_add_func ("/receipt/property/sums", test_property_sums);

  return g_test_run ();
}
