/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-catalog.h"
#include "pd-ui-test.h"
#include "pd-window.h"

/* Renders each main page, wide and at 360 px, into PNG files for a
 * reviewer to look at ($PAYDESK_SCREENSHOT_DIR, kept as a test artifact).
 * The shop has products, issued, paid and cancelled invoices and a
 * rejected request, so that every page shows real content. */

#define SECRET "screenshot-secret"

typedef struct
{
  PdApplication *app;
  PdWindow      *window;
} Shot;

static void
fill_shop (const char   *db_path,
           const PdShop *shop,
           GPtrArray    *numbers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (db_path, PD_DATABASE_READ_WRITE, &error);
  static const struct { const char *name; gint64 price; const char *vat; } products[] = {
    { "Консультация, 1 час", 150000, "no_vat" },
    { "Зелёный чай, 100 г", 5000, "vat20" },
    { "Delivery in Moscow", 35000, "vat20" },
  };
  static const char *emails[] = { "anna@example.org", NULL, "ivan.petrov@example.ru", "shop@example.com" };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    {
      gint64 id;

      g_assert_true (pd_catalog_add_product (db, products[i].name, products[i].price, products[i].vat,
                                             &id, &error));
    }

  for (guint i = 0; i < G_N_ELEMENTS (emails); i++)
    {
      PdInvoiceLine lines[] = { { 1 + i % 3, 1 + i % 2 }, { 2, 3 } };
      PdInvoiceDraft draft = { lines, 1 + i % 2, emails[i], 0 };
      g_autoptr(PdInvoice) invoice = pd_catalog_create_invoices (db, &draft, 1, TRUE, &error);

      g_assert_no_error (error);
      g_ptr_array_add (numbers, g_strdup (invoice->number));
    }
  g_assert_true (pd_catalog_cancel_invoice (db, 4, &error));
}

static void
save_page (Shot       *shot,
           const char *page,
           int         width,
           int         height)
{
  g_autofree char *name = g_strdup_printf ("%s-%d.png", page, width);
  g_autofree char *path = pd_ui_test_screenshot_path (name);
  GStatBuf info;

  gtk_window_set_default_size (GTK_WINDOW (shot->window), width, height);
  pd_window_show_page (shot->window, page);
  /* Let the lists read their rows and the layout settle. */
  pd_ui_test_iterate (700);

  pd_ui_test_save_screenshot (GTK_WIDGET (shot->window), name);
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_size, >, 1000);
}

static void
test_main_pages (void)
{
  guint16 port;
  g_autoptr(PdShop) shop = NULL;
  g_autofree char *db_path = pd_ui_test_sandbox_database (SECRET, &port, &shop);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  static const char *pages[] = { "invoices", "products", "payments" };
  Shot shot = { NULL };

  fill_shop (db_path, shop, numbers);

  shot.app = pd_ui_test_application_new (db_path);
  shot.window = pd_ui_test_open_main_window (shot.app);
  g_assert_true (pd_ui_test_wait_listening (shot.app, 5000));

  /* One invoice paid through the listener, one forged notification. */
  g_assert_cmpuint (pd_ui_test_post_notification (port, shop, SECRET, numbers->pdata[0],
                                                  "1500.00", "775501"), ==, 200);
  g_assert_cmpuint (pd_ui_test_post_notification (port, shop, "not-the-secret", numbers->pdata[1],
                                                  "100.00", "775502"), ==, 403);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      save_page (&shot, pages[i], 1100, 700);
      save_page (&shot, pages[i], 360, 720);
    }

  pd_ui_test_quit_application (&shot.app);
}

int
main (int    argc,
      char **argv)
{
  pd_ui_test_init (&argc, &argv);
  g_test_add_func ("/screenshots/main-pages", test_main_pages);
  return g_test_run ();
}
