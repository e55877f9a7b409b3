/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "pd-form.h"
#include "pd-invoice-link.h"
#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-receipt.h"

#include "pd-test-utils.h"

/* The link an invoice is paid by: for the classic protocol the payment
 * form plus the receipt (spec 1.2) and the customer's contact; for REST
 * v2 the link PayMaster made. */

#define MERCHANT_ID "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define BASE        "https://paymaster.ru/Payment/Init?"

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

/* Two lines, 2 × 450.00 + 1 × 300.00. */
static GPtrArray *
two_lines (void)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_invoice_line_row_free);

  g_ptr_array_add (lines, line_new ("Чай улун, 100 г", 45000, 2, "vat20", 1, 4));
  g_ptr_array_add (lines, line_new ("Доставка курьером", 30000, 1, "vat120", 4, 1));
  return lines;
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
test_classic_fields (void)
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
test_classic_contact (void)
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
test_classic_reconciled (void)
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
test_classic_issued_before (void)
{
  g_autoptr(PdShop) shop = shop_new (PD_PROTOCOL_CLASSIC);
  g_autoptr(GPtrArray) lines = two_lines ();
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_invoice_line_row_free);
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
test_v2 (void)
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

  g_test_add_func ("/invoice-link/classic/fields", test_classic_fields);
  g_test_add_func ("/invoice-link/classic/contact", test_classic_contact);
  g_test_add_func ("/invoice-link/classic/reconciled", test_classic_reconciled);
  g_test_add_func ("/invoice-link/classic/issued-before", test_classic_issued_before);
  g_test_add_func ("/invoice-link/v2", test_v2);

  return g_test_run ();
}
