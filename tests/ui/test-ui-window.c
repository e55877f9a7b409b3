/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-catalog.h"
#include "pd-ui-test.h"
#include "pd-window.h"

/* The main window: the listener's state is always visible, a test payment
 * on a working-mode shop raises the warning, and closing the window keeps
 * Paydesk listening. */

#define SECRET "window-test-secret"

typedef struct
{
  char          *db_path;
  guint16        port;
  PdShop        *shop;
  PdApplication *app;
  PdWindow      *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  PdShopMode mode = GPOINTER_TO_INT (data);

  fixture->db_path = pd_ui_test_new_database_path ();
  fixture->port = pd_ui_test_free_port ();
  fixture->shop = pd_ui_test_sandbox_shop (fixture->port);
  fixture->shop->mode = mode;
  pd_ui_test_set_up_shop (fixture->db_path, fixture->shop, SECRET);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pd_ui_test_quit_application (&fixture->app);
  pd_shop_free (fixture->shop);
  g_free (fixture->db_path);
}

static void
open_main_window (Fixture *fixture)
{
  fixture->app = pd_ui_test_application_new (fixture->db_path);
  fixture->window = pd_ui_test_open_main_window (fixture->app);
}

static const char *
listener_text (Fixture *fixture)
{
  GtkWidget *label = pd_ui_test_get_widget (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL,
                                            "listener_label");

  return gtk_label_get_label (GTK_LABEL (label));
}

static gboolean
failed (gpointer data)
{
  Fixture *fixture = data;

  return pd_service_get_state (pd_application_get_service (fixture->app)) == PD_SERVICE_FAILED;
}

static void
test_listener_state_shown (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *expected = g_strdup_printf ("http://127.0.0.1:%u", fixture->port);

  open_main_window (fixture);
  g_assert_true (pd_ui_test_wait_listening (fixture->app, 5000));
  g_assert_nonnull (strstr (listener_text (fixture), expected));
}

static void
test_port_in_use_shown (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GSocketService) squatter = g_socket_service_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", fixture->port);

  g_socket_listener_add_inet_port (G_SOCKET_LISTENER (squatter), fixture->port, NULL, &error);
  g_assert_no_error (error);

  open_main_window (fixture);
  g_assert_true (pd_ui_test_wait_until (failed, fixture, 5000));
  g_assert_nonnull (strstr (listener_text (fixture), "in use"));
  g_assert_nonnull (strstr (listener_text (fixture), port_text));
}

static PdInvoice *
create_invoice (const char *db_path,
                gboolean    test)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (db_path, PD_DATABASE_READ_WRITE, &error);
  PdInvoiceLine line = { 0, 1 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0 };
  PdInvoice *invoice;

  g_assert_true (pd_catalog_add_product (db, "Tea", 5000, "no_vat", &line.product_id, &error));
  invoice = pd_catalog_create_invoices (db, &draft, 1, test, &error);
  g_assert_no_error (error);
  return invoice;
}

static gboolean
warning_revealed (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *revealer = pd_ui_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_REVEALER,
                                                "test_mode_revealer");

  return gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

static void
test_test_payment_on_live_shop_warns (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(PdInvoice) invoice = create_invoice (fixture->db_path, FALSE);
  g_autoptr(PdShop) test_site = pd_shop_copy (fixture->shop);

  open_main_window (fixture);
  g_assert_true (pd_ui_test_wait_listening (fixture->app, 5000));
  g_assert_false (warning_revealed (fixture));

  /* The PayMaster site is still in test mode: its notification has
   * LMI_SIM_MODE although the shop is set to working mode. */
  test_site->mode = PD_SHOP_MODE_TEST;
  g_assert_cmpuint (pd_ui_test_post_notification (fixture->port, test_site, SECRET, invoice->number,
                                                  "50.00", "9001"), ==, 200);
  g_assert_true (pd_ui_test_wait_until (warning_revealed, fixture, 5000));
}

static void
test_close_keeps_listening (Fixture       *fixture,
                            gconstpointer  data)
{
  open_main_window (fixture);
  g_assert_true (pd_ui_test_wait_listening (fixture->app, 5000));

  gtk_window_close (GTK_WINDOW (fixture->window));
  pd_ui_test_iterate (100);

  /* Hidden, not destroyed, and the listener still answers. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  g_assert_true (g_list_find (gtk_application_get_windows (GTK_APPLICATION (fixture->app)),
                              fixture->window) != NULL);
  g_assert_cmpint (pd_service_get_state (pd_application_get_service (fixture->app)),
                   ==, PD_SERVICE_LISTENING);

  fixture->window = pd_ui_test_open_main_window (fixture->app);
}

/* Destroying the window (as the application does on quit) must not trip
 * over libadwaita's view switchers. */
static void
test_destroy_cleanly (Fixture       *fixture,
                      gconstpointer  data)
{
  open_main_window (fixture);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  pd_ui_test_iterate (100);
}

int
main (int    argc,
      char **argv)
{
  pd_ui_test_init (&argc, &argv);

  g_test_add ("/window/listener-state", Fixture, GINT_TO_POINTER (PD_SHOP_MODE_SANDBOX),
              fixture_set_up, test_listener_state_shown, fixture_tear_down);
  g_test_add ("/window/port-in-use", Fixture, GINT_TO_POINTER (PD_SHOP_MODE_SANDBOX),
              fixture_set_up, test_port_in_use_shown, fixture_tear_down);
  g_test_add ("/window/test-payment-on-live-shop", Fixture, GINT_TO_POINTER (PD_SHOP_MODE_LIVE),
              fixture_set_up, test_test_payment_on_live_shop_warns, fixture_tear_down);
  g_test_add ("/window/close-keeps-listening", Fixture, GINT_TO_POINTER (PD_SHOP_MODE_SANDBOX),
              fixture_set_up, test_close_keeps_listening, fixture_tear_down);

  g_test_add ("/window/destroy", Fixture, GINT_TO_POINTER (PD_SHOP_MODE_SANDBOX),
              fixture_set_up, test_destroy_cleanly, fixture_tear_down);

  return g_test_run ();
}
