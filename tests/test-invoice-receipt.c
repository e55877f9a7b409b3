/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "pd-form.h"
#include "pd-invoice-link.h"
#include "pd-invoice-receipt.h"
#include "pd-money.h"
#include "pd-paymaster.h"

#include "pd-test-utils.h"

/* An invoice's receipt: made of its lines and contact, reconciled to its
 * amount, and refused for what no cash register or protocol takes. And
 * the link the invoice is paid by: for the classic protocol the payment
 * form plus the receipt (spec 1.2) and the customer's contact; for REST
 * v2 the link PayMaster made. */

#define MERCHANT_ID "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define BASE        "https://paymaster.ru/Payment/Init?"

static PdInvoiceLineRow *
line_new (const char *name,
          gint64      price,
          gint64      quantity,
          const char *vat,
          guint       subject,
          guint       method)
{
  PdInvoiceLineRow *line = g_new0 (PdInvoiceLineRow, 1);

  line->name = g_strdup (name);
  line->price = price;
  line->quantity = quantity;
  line->vat = g_strdup (vat);
  line->subject = subject;
  line->method = method;
  return line;
}

static GPtrArray *
lines_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) pd_invoice_line_row_free);
}

/* Two lines, 2 × 450.00 + 1 × 300.00. */
static GPtrArray *
two_lines (void)
{
  GPtrArray *lines = lines_new ();

  g_ptr_array_add (lines, line_new ("Чай улун, 100 г", 45000, 2, "vat20", 1, 4));
  g_ptr_array_add (lines, line_new ("Доставка курьером", 30000, 1, "vat120", 4, 1));
  return lines;
}

static gint64
lines_total (GPtrArray *lines)
{
  gint64 total = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      const PdInvoiceLineRow *line = g_ptr_array_index (lines, i);

      total += line->price * line->quantity;
    }
  return total;
}

static PdInvoice *
invoice_new (gint64      amount,
             const char *email,
             const char *phone)
{
  PdInvoice *invoice = g_new0 (PdInvoice, 1);

  invoice->number = g_strdup ("42");
  invoice->description = g_strdup ("Чай улун, 100 г × 2, Доставка курьером");
  invoice->amount = amount;
  invoice->currency = g_strdup ("RUB");
  invoice->status = PD_INVOICE_ISSUED;
  invoice->email = g_strdup (email);
  invoice->phone = g_strdup (phone);
  return invoice;
}

static void
assert_receipt_total (const PdReceipt *receipt,
                      gint64           expected)
{
  gint64 total = -1;

  g_assert_true (pd_receipt_get_total (receipt, &total, NULL));
  g_assert_cmpint (total, ==, expected);
}

static void
test_lines (void)
{
  g_autoptr(GPtrArray) lines = two_lines ();
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  const PdReceiptLine *line;

  invoice = invoice_new (lines_total (lines), "buyer@example.ru", NULL);

  receipt = pd_invoice_receipt_new (invoice, lines, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_receipt_get_n_lines (receipt), ==, 2);

  line = pd_receipt_get_line (receipt, 0);
  g_assert_cmpstr (line->name, ==, "Чай улун, 100 г");
  g_assert_cmpint (line->price, ==, 45000);
  g_assert_cmpint (line->quantity, ==, 2);
  g_assert_cmpstr (line->vat->tag, ==, "vat20");
  g_assert_cmpuint (line->subject->code, ==, 1);
  g_assert_cmpuint (line->method->code, ==, 4);

  line = pd_receipt_get_line (receipt, 1);
  g_assert_cmpstr (line->name, ==, "Доставка курьером");
  g_assert_cmpstr (line->vat->tag, ==, "vat120");
  g_assert_cmpuint (line->subject->code, ==, 4);
  g_assert_cmpuint (line->method->code, ==, 1);

  assert_receipt_total (receipt, 120000);
  g_assert_cmpstr (pd_receipt_get_email (receipt), ==, "buyer@example.ru");
  g_assert_null (pd_receipt_get_phone (receipt));
}

static void
test_contact (void)
{
  static const struct {
    const char *email;
    const char *phone;
    const char *receipt_email;
    const char *receipt_phone;
  } cases[] = {
    { NULL, NULL, NULL, NULL },
    { "", "", NULL, NULL },
    { " buyer@example.ru ", NULL, "buyer@example.ru", NULL },
    { NULL, "8 (903) 123-45-67", NULL, "79031234567" },
    { "", "79031234567", NULL, "79031234567" },
    /* The register sends to one address: the e-mail. */
    { "buyer@example.ru", "+7 903 123 45 67", "buyer@example.ru", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) lines = lines_new ();
      g_autoptr(PdInvoice) invoice = NULL;
      g_autoptr(PdReceipt) receipt = NULL;
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (lines, line_new ("Tea", 5000, 1, "no_vat", 1, 4));
      invoice = invoice_new (5000, cases[i].email, cases[i].phone);
      receipt = pd_invoice_receipt_new (invoice, lines, &error);
      if (receipt == NULL)
        {
          pd_test_fail_case ("case %u refused: %s", i, error->message);
          continue;
        }
      if (g_strcmp0 (pd_receipt_get_email (receipt), cases[i].receipt_email) != 0 ||
          g_strcmp0 (pd_receipt_get_phone (receipt), cases[i].receipt_phone) != 0)
        pd_test_fail_case ("case %u: e-mail %s, phone %s", i, pd_receipt_get_email (receipt),
                           pd_receipt_get_phone (receipt));
    }
}

/* An amount other than the lines' sum (a discount) is spread over the
 * lines to the kopeck; a unit price the quantity does not divide becomes
 * two lines a kopeck apart. */
static void
test_rounding (void)
{
  static const struct {
    gint64 amount;
    struct { gint64 price; gint64 quantity; } expected[4];
  } cases[] = {
    /* 3 × 333.34 + 1 × 100.00 = 1100.02 → 1100.00 */
    { 110000, { { 33333, 2 }, { 33334, 1 }, { 10000, 1 } } },
    /* A surcharge of one kopeck goes to the larger line. */
    { 110003, { { 33334, 2 }, { 33335, 1 }, { 10000, 1 } } },
    /* Exact: nothing moves. */
    { 110002, { { 33334, 3 }, { 10000, 1 } } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) lines = lines_new ();
      g_autoptr(PdInvoice) invoice = NULL;
      g_autoptr(PdReceipt) receipt = NULL;
      g_autoptr(GError) error = NULL;
      guint n_expected = 0;

      g_ptr_array_add (lines, line_new ("Cup", 33334, 3, "vat20", 1, 4));
      g_ptr_array_add (lines, line_new ("Box", 10000, 1, "vat20", 1, 4));
      invoice = invoice_new (cases[i].amount, NULL, NULL);
      receipt = pd_invoice_receipt_new (invoice, lines, &error);
      g_assert_no_error (error);

      assert_receipt_total (receipt, cases[i].amount);
      while (n_expected < G_N_ELEMENTS (cases[i].expected) && cases[i].expected[n_expected].quantity > 0)
        n_expected++;
      g_assert_cmpuint (pd_receipt_get_n_lines (receipt), ==, n_expected);
      for (guint j = 0; j < n_expected; j++)
        {
          const PdReceiptLine *line = pd_receipt_get_line (receipt, j);

          if (line->price != cases[i].expected[j].price ||
              line->quantity != cases[i].expected[j].quantity)
            pd_test_fail_case ("amount %" G_GINT64_FORMAT ", line %u: %" G_GINT64_FORMAT " × %"
                               G_GINT64_FORMAT, cases[i].amount, j, line->price, line->quantity);
        }
    }
}

static void
test_too_many_lines (void)
{
  g_autoptr(GPtrArray) lines = lines_new ();
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < PD_RECEIPT_MAX_LINES; i++)
    {
      g_autofree char *name = g_strdup_printf ("Item %u", i);

      g_ptr_array_add (lines, line_new (name, 100, 1, "no_vat", 1, 4));
    }
  invoice = invoice_new (lines_total (lines), NULL, NULL);
  receipt = pd_invoice_receipt_new (invoice, lines, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_receipt_get_n_lines (receipt), ==, PD_RECEIPT_MAX_LINES);
  g_clear_pointer (&receipt, pd_receipt_free);

  g_ptr_array_add (lines, line_new ("One more", 100, 1, "no_vat", 1, 4));
  invoice->amount += 100;
  receipt = pd_invoice_receipt_new (invoice, lines, &error);
  g_assert_null (receipt);
  g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_TOO_MANY_LINES);
  g_assert_nonnull (strstr (error->message, "101 lines"));
  g_assert_nonnull (strstr (error->message, "split it into two invoices"));
}

static void
test_long_name (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GPtrArray) lines = lines_new ();
  g_autoptr(PdInvoice) invoice = invoice_new (5000, NULL, NULL);
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;

  /* 128 characters, most of them two bytes, are fine. */
  g_string_append (name, "Чай!");
  for (guint i = 4; i < PD_RECEIPT_MAX_NAME_CHARS; i++)
    g_string_append (name, "ж");
  g_ptr_array_add (lines, line_new (name->str, 5000, 1, "no_vat", 1, 4));
  receipt = pd_invoice_receipt_new (invoice, lines, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_receipt_get_line (receipt, 0)->name, ==, name->str);
  g_clear_pointer (&receipt, pd_receipt_free);

  /* 129 are refused, saying which product and what to do. */
  g_string_append (name, "ж");
  g_ptr_array_set_size (lines, 0);
  g_ptr_array_add (lines, line_new (name->str, 5000, 1, "no_vat", 1, 4));
  receipt = pd_invoice_receipt_new (invoice, lines, &error);
  g_assert_null (receipt);
  g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“Чай!жжж"));
  g_assert_nonnull (strstr (error->message, "128 characters"));
  g_assert_nonnull (strstr (error->message, "shorten it in the product’s settings"));
}

static void
test_refused (void)
{
  static const struct {
    const char *vat;
    guint       subject;
    guint       method;
    const char *email;
    const char *phone;
    const char *says;
  } cases[] = {
    { "vat18", 1, 4, NULL, NULL, "VAT rate Paydesk does not know" },
    { "no_vat", 20, 4, NULL, NULL, "payment subject Paydesk does not know" },
    { "no_vat", 1, 0, NULL, NULL, "payment method Paydesk does not know" },
    { "no_vat", 1, 4, "buyer@localhost", NULL, "not an e-mail address" },
    { "no_vat", 1, 4, NULL, "+1 555 0100", "not a Russian phone number" },
    { "no_vat", 1, 4, "buyer@example.ru", "12345", "not a Russian phone number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) lines = lines_new ();
      g_autoptr(PdInvoice) invoice = invoice_new (5000, cases[i].email, cases[i].phone);
      g_autoptr(PdReceipt) receipt = NULL;
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (lines, line_new ("Tea", 5000, 1, cases[i].vat, cases[i].subject, cases[i].method));
      receipt = pd_invoice_receipt_new (invoice, lines, &error);
      if (receipt != NULL)
        pd_test_fail_case ("case %u was accepted", i);
      else if (!g_error_matches (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID) ||
               strstr (error->message, cases[i].says) == NULL)
        pd_test_fail_case ("case %u: %s", i, error->message);
    }
}

/* Each protocol takes the codes it has names for. */
static void
test_check_protocol (void)
{
  static const struct {
    const char *vat;
    guint       subject;
    guint       method;
    gboolean    classic;
    gboolean    v2;
  } cases[] = {
    { "vat20", 4, 4, TRUE, TRUE },
    { "vat5", 1, 4, TRUE, FALSE },
    { "vat122", 1, 4, TRUE, FALSE },
    { "no_vat", 10, 4, TRUE, FALSE },
    { "no_vat", 1, 7, TRUE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) lines = lines_new ();
      g_autoptr(PdInvoice) invoice = invoice_new (5000, NULL, NULL);
      g_autoptr(PdReceipt) receipt = NULL;
      g_autoptr(GError) classic_error = NULL;
      g_autoptr(GError) v2_error = NULL;

      g_ptr_array_add (lines, line_new ("Tea", 5000, 1, cases[i].vat, cases[i].subject, cases[i].method));
      receipt = pd_invoice_receipt_new (invoice, lines, NULL);
      g_assert_nonnull (receipt);

      if (pd_invoice_receipt_check (receipt, PD_PROTOCOL_CLASSIC, 5000, &classic_error) != cases[i].classic)
        pd_test_fail_case ("case %u, classic: %s", i, classic_error ? classic_error->message : "accepted");
      if (pd_invoice_receipt_check (receipt, PD_PROTOCOL_V2, 5000, &v2_error) != cases[i].v2)
        pd_test_fail_case ("case %u, v2: %s", i, v2_error ? v2_error->message : "accepted");
      else if (!cases[i].v2 && !g_error_matches (v2_error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_UNSUPPORTED))
        pd_test_fail_case ("case %u, v2: not refused as unsupported: %s", i, v2_error->message);
    }
}

/* A receipt that does not add up to the payment is refused, whatever the
 * protocol: PayMaster would refuse the payment with it. */
static void
test_check_amount (void)
{
  g_autoptr(GPtrArray) lines = lines_new ();
  g_autoptr(PdInvoice) invoice = invoice_new (5000, NULL, NULL);
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (lines, line_new ("Tea", 5000, 1, "vat20", 1, 4));
  receipt = pd_invoice_receipt_new (invoice, lines, &error);
  g_assert_no_error (error);

  g_assert_false (pd_invoice_receipt_check (receipt, PD_PROTOCOL_CLASSIC, 5001, &error));
  g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_MISMATCH);
  g_clear_error (&error);
  g_assert_false (pd_invoice_receipt_check (receipt, PD_PROTOCOL_V2, 4999, &error));
  g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_MISMATCH);
}

/* Links */

static PdShop *
shop_new (PdProtocol protocol)
{
  PdShop *shop = pd_shop_new ();

  g_free (shop->merchant_id);
  shop->merchant_id = g_strdup (MERCHANT_ID);
  g_free (shop->public_url);
  shop->public_url = g_strdup ("https://shop.example.ru");
  shop->mode = PD_SHOP_MODE_LIVE;
  shop->protocol = protocol;
  return shop;
}

static PdForm *
link_form (const PdShop    *shop,
           const PdInvoice *invoice,
           GPtrArray       *lines)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = pd_invoice_payment_url (shop, invoice, lines, &error);
  PdForm *form;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, BASE));
  form = pd_form_parse (url + strlen (BASE), strlen (url + strlen (BASE)), &error);
  g_assert_no_error (error);
  return form;
}

static guint
count_prefixed (const PdForm *form,
                const char   *prefix)
{
  guint count = 0;

  for (guint i = 0; i < pd_form_get_n_fields (form); i++)
    {
      const char *name;

      pd_form_get_field (form, i, &name, NULL);
      if (g_str_has_prefix (name, prefix))
        count++;
    }
  return count;
}

/* The sum of PRICE × QTY over the cart, in kopecks. */
static gint64
cart_total (const PdForm *form)
{
  guint n_items = count_prefixed (form, "LMI_SHOPPINGCART.") / 6;
  gint64 total = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *price_name = g_strdup_printf ("LMI_SHOPPINGCART.ITEM[%u].PRICE", i);
      g_autofree char *qty_name = g_strdup_printf ("LMI_SHOPPINGCART.ITEM[%u].QTY", i);
      gint64 price = 0;

      g_assert_true (pd_money_parse (pd_form_get (form, price_name), &price, NULL));
      total += price * g_ascii_strtoll (pd_form_get (form, qty_name), NULL, 10);
    }
  return total;
}

/* The classic link is the payment form as it was, then the cart, field by
 * field as spec 1.2 names them, then the contact. */
static void
test_link_classic_fields (void)
{
  static const char * const cart[][2] = {
    { "LMI_SHOPPINGCART.ITEM[0].NAME", "Чай улун, 100 г" },
    { "LMI_SHOPPINGCART.ITEM[0].QTY", "2" },
    { "LMI_SHOPPINGCART.ITEM[0].PRICE", "450.00" },
    { "LMI_SHOPPINGCART.ITEM[0].TAX", "vat20" },
    { "LMI_SHOPPINGCART.ITEM[0].METHOD", "4" },
    { "LMI_SHOPPINGCART.ITEM[0].SUBJECT", "1" },
    { "LMI_SHOPPINGCART.ITEM[1].NAME", "Доставка курьером" },
    { "LMI_SHOPPINGCART.ITEM[1].QTY", "1" },
    { "LMI_SHOPPINGCART.ITEM[1].PRICE", "300.00" },
    { "LMI_SHOPPINGCART.ITEM[1].TAX", "vat120" },
    { "LMI_SHOPPINGCART.ITEM[1].METHOD", "1" },
    { "LMI_SHOPPINGCART.ITEM[1].SUBJECT", "4" },
  };
  g_autoptr(PdShop) shop = shop_new (PD_PROTOCOL_CLASSIC);
  g_autoptr(GPtrArray) lines = two_lines ();
  g_autoptr(PdInvoice) invoice = invoice_new (120000, "buyer@example.ru", "79031234567");
  g_autoptr(PdForm) form = link_form (shop, invoice, lines);
  PdPaymentRequest request = {
    invoice->number, invoice->amount, invoice->currency, invoice->description,
    invoice->email, invoice->expires_at,
  };
  g_autoptr(PdForm) plain = pd_paymaster_payment_form (shop, &request);
  guint n_plain = pd_form_get_n_fields (plain);
  gint64 amount = 0;

  g_assert_cmpuint (pd_form_get_n_fields (form), ==, n_plain + G_N_ELEMENTS (cart) + 1);
  for (guint i = 0; i < n_plain; i++)
    {
      const char *name, *value, *plain_name, *plain_value;

      pd_form_get_field (form, i, &name, &value);
      pd_form_get_field (plain, i, &plain_name, &plain_value);
      g_assert_cmpstr (name, ==, plain_name);
      g_assert_cmpstr (value, ==, plain_value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (cart); i++)
    {
      const char *name, *value;

      pd_form_get_field (form, n_plain + i, &name, &value);
      g_assert_cmpstr (name, ==, cart[i][0]);
      g_assert_cmpstr (value, ==, cart[i][1]);
    }

  g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_EMAIL"), ==, "buyer@example.ru");
  g_assert_cmpuint (pd_form_count (form, "LMI_PAYER_EMAIL"), ==, 1);
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_PHONE_NUMBER"), ==, "79031234567");

  g_assert_true (pd_money_parse (pd_form_get (form, "LMI_PAYMENT_AMOUNT"), &amount, NULL));
  g_assert_cmpint (amount, ==, 120000);
  g_assert_cmpint (cart_total (form), ==, amount);
}

static void
test_link_classic_contact (void)
{
  static const struct {
    const char *email;
    const char *phone;
  } cases[] = {
    { NULL, NULL },
    { NULL, "79031234567" },
    { "buyer@example.ru", NULL },
  };
  g_autoptr(PdShop) shop = shop_new (PD_PROTOCOL_CLASSIC);
  g_autoptr(GPtrArray) lines = two_lines ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdInvoice) invoice = invoice_new (120000, cases[i].email, cases[i].phone);
      g_autoptr(PdForm) form = link_form (shop, invoice, lines);

      g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_EMAIL"), ==, cases[i].email);
      g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_PHONE_NUMBER"), ==, cases[i].phone);
      g_assert_cmpuint (count_prefixed (form, "LMI_SHOPPINGCART.ITEM["), ==, 12);
    }
}

/* Should an amount differ from the lines, the cart still adds up to it. */
static void
test_link_classic_reconciled (void)
{
  g_autoptr(PdShop) shop = shop_new (PD_PROTOCOL_CLASSIC);
  g_autoptr(GPtrArray) lines = two_lines ();
  g_autoptr(PdInvoice) invoice = invoice_new (100001, NULL, NULL);
  g_autoptr(PdForm) form = link_form (shop, invoice, lines);

  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_AMOUNT"), ==, "1000.01");
  g_assert_cmpint (cart_total (form), ==, 100001);
}

/* Invoices issued before Paydesk checked receipts are still payable: an
 * e-mail the receipt rules refuse stays in the link without going to the
 * receipt, and lines no receipt can hold leave the cart out. */
static void
test_link_classic_issued_before (void)
{
  g_autoptr(PdShop) shop = shop_new (PD_PROTOCOL_CLASSIC);
  g_autoptr(GPtrArray) lines = two_lines ();
  g_autoptr(GPtrArray) many = lines_new ();
  g_autoptr(PdInvoice) invoice = invoice_new (120000, "buyer@localhost", NULL);
  g_autoptr(PdForm) form = link_form (shop, invoice, lines);
  g_autoptr(PdForm) without_cart = NULL;

  g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_EMAIL"), ==, "buyer@localhost");
  g_assert_cmpint (cart_total (form), ==, 120000);

  for (guint i = 0; i <= PD_RECEIPT_MAX_LINES; i++)
    g_ptr_array_add (many, line_new ("Cup", 100, 1, "no_vat", 1, 4));
  invoice->amount = 100 * many->len;
  without_cart = link_form (shop, invoice, many);
  g_assert_cmpuint (count_prefixed (without_cart, "LMI_SHOPPINGCART."), ==, 0);
  g_assert_cmpstr (pd_form_get (without_cart, "LMI_PAYMENT_AMOUNT"), ==, "101.00");
  g_assert_cmpstr (pd_form_get (without_cart, "LMI_PAYER_EMAIL"), ==, "buyer@localhost");
}

static void
test_link_v2 (void)
{
  g_autoptr(PdShop) shop = shop_new (PD_PROTOCOL_V2);
  g_autoptr(GPtrArray) lines = two_lines ();
  g_autoptr(PdInvoice) invoice = invoice_new (120000, "buyer@example.ru", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = pd_invoice_payment_url (shop, invoice, lines, &error);
  g_assert_null (url);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "invoice 42"));
  g_clear_error (&error);

  invoice->paymaster_url = g_strdup ("https://paymaster.ru/cpay/0a1b2c3d");
  url = pd_invoice_payment_url (shop, invoice, lines, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://paymaster.ru/cpay/0a1b2c3d");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/invoice-receipt/lines", test_lines);
  g_test_add_func ("/invoice-receipt/contact", test_contact);
  g_test_add_func ("/invoice-receipt/rounding", test_rounding);
  g_test_add_func ("/invoice-receipt/refused/too-many-lines", test_too_many_lines);
  g_test_add_func ("/invoice-receipt/refused/long-name", test_long_name);
  g_test_add_func ("/invoice-receipt/refused/values", test_refused);
  g_test_add_func ("/invoice-receipt/check/protocol", test_check_protocol);
  g_test_add_func ("/invoice-receipt/check/amount", test_check_amount);
  g_test_add_func ("/invoice-receipt/link/classic/fields", test_link_classic_fields);
  g_test_add_func ("/invoice-receipt/link/classic/contact", test_link_classic_contact);
  g_test_add_func ("/invoice-receipt/link/classic/reconciled", test_link_classic_reconciled);
  g_test_add_func ("/invoice-receipt/link/classic/issued-before", test_link_classic_issued_before);
  g_test_add_func ("/invoice-receipt/link/v2", test_link_v2);

  return g_test_run ();
}
