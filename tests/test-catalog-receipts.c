/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "pd-catalog.h"
#include "pd-database.h"
#include "pd-form.h"
#include "pd-invoice-link.h"
#include "pd-receipt.h"
#include "pd-schema.h"
#include "pd-test-integration.h"
#include "pd-test-utils.h"

/* The catalogue's part of 54-FZ receipts on real, temporary databases:
 * products' receipt settings and their defaults, what invoices copy and
 * keep, invoices refused before anything is stored, and a database of
 * schema 1 brought forward. */

typedef struct
{
  char       *dir;
  char       *path;
  PdDatabase *db;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("paydesk-test-receipts-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "paydesk.db", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_pointer (&fixture->db, pd_database_close);
  pd_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static PdDatabase *
open_db (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  return fixture->db;
}

static void
assert_product (PdDatabase *db,
                gint64      id,
                const char *vat,
                guint       subject,
                guint       method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdProduct) product = pd_catalog_get_product (db, id, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (product->vat, ==, vat);
  g_assert_cmpuint (product->subject, ==, subject);
  g_assert_cmpuint (product->method, ==, method);
}

static gint64
add_product (PdDatabase *db,
             const char *name,
             gint64      price,
             const char *vat)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (pd_catalog_add_product (db, name, price, vat, &id, &error));
  g_assert_no_error (error);
  return id;
}

static PdShop *
classic_shop (void)
{
  PdShop *shop = pd_shop_new ();

  g_free (shop->merchant_id);
  shop->merchant_id = g_strdup ("ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6");
  shop->mode = PD_SHOP_MODE_TEST;
  return shop;
}

/* The query of @invoice's classic link, as a form. */
static PdForm *
link_form (PdDatabase      *db,
           const PdInvoice *invoice)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdShop) shop = classic_shop ();
  g_autoptr(GPtrArray) lines = pd_catalog_list_invoice_lines (db, invoice->id, &error);
  g_autofree char *url = NULL;
  const char *query;
  PdForm *form;

  g_assert_no_error (error);
  url = pd_invoice_payment_url (shop, invoice, lines, &error);
  g_assert_no_error (error);
  query = strchr (url, '?') + 1;
  form = pd_form_parse (query, strlen (query), &error);
  g_assert_no_error (error);
  return form;
}

static void
test_defaults (Fixture       *fixture,
               gconstpointer  user_data)
{
  PdDatabase *db = open_db (fixture);
  g_autoptr(GError) error = NULL;
  PdReceiptDefaults defaults = { NULL, 0, 0 };
  PdReceiptDefaults wanted = { "vat10", 3, 2 };
  PdReceiptDefaults unknown[] = { { "vat18", 3, 2 }, { "vat10", 20, 2 }, { "vat10", 3, 8 } };

  /* Unset: no VAT, goods, full payment. */
  g_assert_true (pd_catalog_get_receipt_defaults (db, &defaults, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (defaults.vat, ==, "no_vat");
  g_assert_cmpuint (defaults.subject, ==, 1);
  g_assert_cmpuint (defaults.method, ==, 4);

  g_assert_true (pd_catalog_set_receipt_defaults (db, &wanted, &error));
  g_assert_no_error (error);
  g_assert_true (pd_catalog_get_receipt_defaults (db, &defaults, &error));
  g_assert_cmpstr (defaults.vat, ==, "vat10");
  g_assert_cmpuint (defaults.subject, ==, 3);
  g_assert_cmpuint (defaults.method, ==, 2);

  /* What the tables do not have is refused, and nothing of it stored. */
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_assert_false (pd_catalog_set_receipt_defaults (db, &unknown[i], &error));
      g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
      g_clear_error (&error);
    }
  g_assert_true (pd_catalog_get_receipt_defaults (db, &defaults, &error));
  g_assert_cmpstr (defaults.vat, ==, "vat10");
  g_assert_cmpuint (defaults.subject, ==, 3);
  g_assert_cmpuint (defaults.method, ==, 2);

  /* A value only a newer Paydesk knows reads as unset. */
  g_assert_true (pd_catalog_set_setting (db, "receipt_vat", "vat99", &error));
  g_assert_true (pd_catalog_set_setting (db, "receipt_subject", "99", &error));
  g_assert_true (pd_catalog_set_setting (db, "receipt_method", "four", &error));
  g_assert_true (pd_catalog_get_receipt_defaults (db, &defaults, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (defaults.vat, ==, "no_vat");
  g_assert_cmpuint (defaults.subject, ==, 1);
  g_assert_cmpuint (defaults.method, ==, 4);
}

static void
test_products (Fixture       *fixture,
               gconstpointer  user_data)
{
  PdDatabase *db = open_db (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(PdProduct) product = NULL;
  PdReceiptDefaults defaults = { "vat20", 4, 3 };
  PdProduct full = { 0, "Предоплата", 100000, "vat120", 10, 1, FALSE };
  PdProduct partial = { 0, "Работа", 5000, NULL, 3, 0, FALSE };
  gint64 before_defaults, with_defaults, with_vat, explicit, with_some;

  before_defaults = add_product (db, "Чай", 5000, NULL);
  g_assert_true (pd_catalog_set_receipt_defaults (db, &defaults, &error));
  g_assert_no_error (error);
  with_defaults = add_product (db, "Консультация", 150000, NULL);
  with_vat = add_product (db, "Кофе", 25000, "vat10");
  g_assert_true (pd_catalog_add_product_full (db, &full, &explicit, &error));
  g_assert_no_error (error);
  g_assert_true (pd_catalog_add_product_full (db, &partial, &with_some, &error));
  g_assert_no_error (error);

  assert_product (db, before_defaults, "no_vat", 1, 4);
  assert_product (db, with_defaults, "vat20", 4, 3);
  assert_product (db, with_vat, "vat10", 4, 3);
  assert_product (db, explicit, "vat120", 10, 1);
  assert_product (db, with_some, "vat20", 3, 3);

  /* Lists and searches carry them too. */
  listed = pd_catalog_list_products (db, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 5);
  g_assert_cmpuint (((PdProduct *) listed->pdata[3])->subject, ==, 10);
  g_assert_cmpuint (((PdProduct *) listed->pdata[3])->method, ==, 1);
  found = pd_catalog_search_products (db, "предо", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((PdProduct *) found->pdata[0])->vat, ==, "vat120");
  g_assert_cmpuint (((PdProduct *) found->pdata[0])->subject, ==, 10);

  /* Unknown values are refused when added and when changed. */
  full.vat = "vat18";
  g_assert_false (pd_catalog_add_product_full (db, &full, NULL, &error));
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = pd_catalog_list_products (db, TRUE, &error);
  g_assert_cmpuint (listed->len, ==, 5);

  product = pd_catalog_get_product (db, with_vat, &error);
  product->subject = 2;
  product->method = 6;
  g_assert_true (pd_catalog_update_product (db, product, &error));
  g_assert_no_error (error);
  assert_product (db, with_vat, "vat10", 2, 6);
  product->subject = 20;
  g_assert_false (pd_catalog_update_product (db, product, &error));
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
  assert_product (db, with_vat, "vat10", 2, 6);
}

static void
test_invoice_copies (Fixture       *fixture,
                     gconstpointer  user_data)
{
  PdDatabase *db = open_db (fixture);
  g_autoptr(GError) error = NULL;
  PdProduct service = { 0, "Консультация", 150000, "vat20", 4, 1, FALSE };
  gint64 tea = add_product (db, "Чай", 5000, "no_vat");
  gint64 service_id;
  PdInvoiceLine lines[2];
  PdInvoiceDraft draft = { lines, 2, " buyer@example.ru ", 0, "8 (903) 123-45-67" };
  g_autoptr(PdInvoice) created = NULL;
  g_autoptr(PdInvoice) stored = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(PdProduct) product = NULL;
  g_autoptr(PdForm) form = NULL;
  const PdInvoiceLineRow *row;

  g_assert_true (pd_catalog_add_product_full (db, &service, &service_id, &error));
  lines[0] = (PdInvoiceLine) { tea, 2 };
  lines[1] = (PdInvoiceLine) { service_id, 1 };

  created = pd_catalog_create_invoices (db, &draft, 1, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created->email, ==, "buyer@example.ru");
  g_assert_cmpstr (created->phone, ==, "79031234567");
  stored = pd_catalog_get_invoice (db, created->number, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->email, ==, "buyer@example.ru");
  g_assert_cmpstr (stored->phone, ==, "79031234567");

  /* A later change to a product leaves the issued lines alone. */
  product = pd_catalog_get_product (db, service_id, &error);
  g_free (product->vat);
  product->vat = g_strdup ("no_vat");
  product->subject = 1;
  g_assert_true (pd_catalog_update_product (db, product, &error));
  g_assert_no_error (error);

  rows = pd_catalog_list_invoice_lines (db, stored->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  row = rows->pdata[0];
  g_assert_cmpstr (row->vat, ==, "no_vat");
  g_assert_cmpuint (row->subject, ==, 1);
  g_assert_cmpuint (row->method, ==, 4);
  row = rows->pdata[1];
  g_assert_cmpstr (row->vat, ==, "vat20");
  g_assert_cmpuint (row->subject, ==, 4);
  g_assert_cmpuint (row->method, ==, 1);

  form = link_form (db, stored);
  g_assert_cmpstr (pd_form_get (form, "LMI_SHOPPINGCART.ITEM[1].TAX"), ==, "vat20");
  g_assert_cmpstr (pd_form_get (form, "LMI_SHOPPINGCART.ITEM[1].SUBJECT"), ==, "4");
  g_assert_cmpstr (pd_form_get (form, "LMI_SHOPPINGCART.ITEM[1].METHOD"), ==, "1");
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_EMAIL"), ==, "buyer@example.ru");
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_PHONE_NUMBER"), ==, "79031234567");
}

/* Refused invoices store nothing: no invoice, no line, no number used. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  user_data)
{
  PdDatabase *db = open_db (fixture);
  g_autoptr(GString) long_name = g_string_new (NULL);
  gint64 tea = add_product (db, "Чай", 5000, "no_vat");
  gint64 new_rate = add_product (db, "Чай по новой ставке", 5000, "vat22");
  gint64 long_id;
  g_autofree PdInvoiceLine *many = g_new0 (PdInvoiceLine, PD_RECEIPT_MAX_LINES + 1);
  PdInvoiceLine one = { tea, 1 };
  struct {
    PdInvoiceDraft draft;
    const char    *protocol;
    GQuark         domain;
    int            code;
  } cases[] = {
    { { &one, 1, "buyer@localhost", 0, NULL }, NULL, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID },
    { { &one, 1, NULL, 0, "555-01-00" }, NULL, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID },
    { { many, PD_RECEIPT_MAX_LINES + 1, NULL, 0, NULL }, NULL, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_TOO_MANY_LINES },
    { { NULL, 1, NULL, 0, NULL }, NULL, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_INVALID },
    { { NULL, 1, NULL, 0, NULL }, "v2", PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_UNSUPPORTED },
  };
  PdInvoiceLine long_line, new_rate_line = { new_rate, 1 };

  for (guint i = 0; i < 129; i++)
    g_string_append (long_name, "Ч");
  long_id = add_product (db, long_name->str, 100, NULL);
  long_line = (PdInvoiceLine) { long_id, 1 };
  cases[3].draft.lines = &long_line;
  cases[4].draft.lines = &new_rate_line;
  for (guint i = 0; i <= PD_RECEIPT_MAX_LINES; i++)
    many[i] = (PdInvoiceLine) { tea, 1 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdInvoice) invoice = NULL;

      g_assert_true (pd_catalog_set_setting (db, "protocol", cases[i].protocol ? cases[i].protocol : "classic",
                                             &error));
      invoice = pd_catalog_create_invoices (db, &cases[i].draft, 3, FALSE, &error);
      if (invoice != NULL)
        pd_test_fail_case ("case %u: invoice %s was created", i, invoice->number);
      else if (!g_error_matches (error, cases[i].domain, cases[i].code))
        pd_test_fail_case ("case %u: %s", i, error->message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) invoices = pd_catalog_list_invoices (db, -1, 0, &error);
    g_autofree char *next = pd_catalog_get_setting (db, "next_invoice_number", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (invoices->len, ==, 0);
    g_assert_null (next);
  }

  /* The classic protocol has a code for the 2025 rate. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PdInvoice) invoice = NULL;

    g_assert_true (pd_catalog_set_setting (db, "protocol", "classic", &error));
    invoice = pd_catalog_create_invoices (db, &cases[4].draft, 1, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (invoice->number, ==, "1");
  }
}

/* A database of schema 1, as Paydesk left it before receipts: products
 * and lines take the defaults, and an unpaid invoice still has its link. */
static void
test_migrate_schema_1 (Fixture       *fixture,
                       gconstpointer  user_data)
{
  sqlite3 *raw = NULL;
  char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(PdInvoice) old = NULL;
  g_autoptr(PdInvoice) created = NULL;
  g_autoptr(PdForm) form = NULL;
  g_autofree char *schema_1 = g_strconcat (pd_schema_get_migration (1),
                                           "PRAGMA user_version = 1;"
                                           "INSERT INTO products (name, price, vat, created_at) "
                                           "  VALUES ('Чай', 5000, 'vat20', 1700000000);"
                                           "INSERT INTO invoices (number, description, amount, currency, test, "
                                           "  email, created_at) VALUES ('7', 'Чай × 2', 10000, 'RUB', 1, "
                                           "  'buyer@localhost', 1700000000);"
                                           "INSERT INTO invoice_lines (invoice_id, position, product_id, name, "
                                           "  price, quantity, vat) VALUES (1, 0, 1, 'Чай', 5000, 2, 'vat20');"
                                           "INSERT INTO settings (key, value) VALUES ('next_invoice_number', '8');",
                                           NULL);
  PdInvoiceLine line = { 1, 1 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0, NULL };
  PdDatabase *db;

  g_assert_null (pd_schema_get_migration (0));

  g_assert_cmpint (sqlite3_open (fixture->path, &raw), ==, SQLITE_OK);
  if (sqlite3_exec (raw, schema_1, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (raw);

  db = open_db (fixture);

  products = pd_catalog_list_products (db, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (products->len, ==, 1);
  g_assert_cmpstr (((PdProduct *) products->pdata[0])->vat, ==, "vat20");
  g_assert_cmpuint (((PdProduct *) products->pdata[0])->subject, ==, 1);
  g_assert_cmpuint (((PdProduct *) products->pdata[0])->method, ==, 4);

  old = pd_catalog_get_invoice (db, "7", &error);
  g_assert_no_error (error);
  g_assert_null (old->phone);
  rows = pd_catalog_list_invoice_lines (db, old->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((PdInvoiceLineRow *) rows->pdata[0])->subject, ==, 1);
  g_assert_cmpuint (((PdInvoiceLineRow *) rows->pdata[0])->method, ==, 4);

  form = link_form (db, old);
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_NO"), ==, "7");
  g_assert_cmpstr (pd_form_get (form, "LMI_SHOPPINGCART.ITEM[0].QTY"), ==, "2");
  g_assert_cmpstr (pd_form_get (form, "LMI_SHOPPINGCART.ITEM[0].PRICE"), ==, "50.00");
  g_assert_cmpstr (pd_form_get (form, "LMI_SHOPPINGCART.ITEM[0].TAX"), ==, "vat20");
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_EMAIL"), ==, "buyer@localhost");

  created = pd_catalog_create_invoices (db, &draft, 1, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created->number, ==, "8");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/catalog-receipts/defaults", Fixture, NULL,
              fixture_setup, test_defaults, fixture_teardown);
  g_test_add ("/catalog-receipts/products", Fixture, NULL,
              fixture_setup, test_products, fixture_teardown);
  g_test_add ("/catalog-receipts/invoice-copies", Fixture, NULL,
              fixture_setup, test_invoice_copies, fixture_teardown);
  g_test_add ("/catalog-receipts/refused", Fixture, NULL,
              fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/catalog-receipts/migrate-schema-1", Fixture, NULL,
              fixture_setup, test_migrate_schema_1, fixture_teardown);

  return g_test_run ();
}
