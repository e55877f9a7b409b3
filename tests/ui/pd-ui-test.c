/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include <libsoup/soup.h>

#include "pd-catalog.h"
#include "pd-form.h"
#include "pd-paymaster.h"
#include "pd-secrets.h"
#include "pd-ui-test.h"

static char *test_dir;

static void
remove_test_dir (void)
{
  g_autoptr(GFile) dir = NULL;

  if (test_dir == NULL || g_getenv ("PAYDESK_KEEP_TEST_DIR") != NULL)
    return;
  /* Only our own flat folder: the database, its WAL and the keyring. */
  {
    g_autoptr(GDir) listing = g_dir_open (test_dir, 0, NULL);
    const char *name;

    while (listing && (name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *path = g_build_filename (test_dir, name, NULL);

        g_remove (path);
      }
  }
  g_rmdir (test_dir);
}

void
pd_ui_test_init (int    *argc,
                 char ***argv)
{
  g_autofree char *keyring = NULL;

  test_dir = g_dir_make_tmp ("paydesk-ui-XXXXXX", NULL);
  g_assert_nonnull (test_dir);
  atexit (remove_test_dir);

  keyring = g_build_filename (test_dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("XDG_DATA_HOME", test_dir, TRUE);

  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

const char *
pd_ui_test_get_dir (void)
{
  return test_dir;
}

char *
pd_ui_test_new_database_path (void)
{
  static guint counter;

  return g_strdup_printf ("%s/paydesk-%u.db", test_dir, ++counter);
}

/* A port nobody listens on right now; good enough on loopback. */
guint16
pd_ui_test_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any_port, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

PdShop *
pd_ui_test_sandbox_shop (guint16 port)
{
  PdShop *shop = pd_shop_new ();

  shop->merchant_id = g_strdup ("ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6");
  shop->mode = PD_SHOP_MODE_SANDBOX;
  shop->hash_alg = PD_HASH_SHA256;
  g_free (shop->listen);
  shop->listen = g_strdup_printf ("127.0.0.1:%u", port);
  shop->public_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_free (shop->paymaster_url);
  shop->paymaster_url = g_strdup_printf ("http://127.0.0.1:%u/sandbox", port);
  return shop;
}

/* Writes what `paydesk-cli setup` would: the settings and the secret key. */
void
pd_ui_test_set_up_shop (const char   *db_path,
                        const PdShop *shop,
                        const char   *secret)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (db_path, PD_DATABASE_READ_WRITE, &error);

  g_assert_no_error (error);
  g_assert_true (pd_catalog_save_shop (db, shop, &error));
  g_assert_no_error (error);
  g_assert_true (pd_secrets_store_key (shop->merchant_id, secret, NULL, &error));
  g_assert_no_error (error);
}

/* Registered without D-Bus (non-unique), so tests run under a bare Xvfb. */
PdApplication *
pd_ui_test_application_new (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  PdApplication *app;

  app = g_object_new (PD_TYPE_APPLICATION,
                      "database", db_path,
                      "application-id", APPLICATION_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "resource-base-path", "/io/github/paydesk/Paydesk",
                      NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  return app;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
pd_ui_test_wait_until (PdUiCondition condition,
                       gpointer      data,
                       guint         timeout_ms)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (source);
  return condition (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
pd_ui_test_iterate (guint milliseconds)
{
  pd_ui_test_wait_until (never, NULL, milliseconds);
}

/* The first descendant of @root of @type (and, if given, with the widget
 * name or buildable id @name), depth first. */
GtkWidget *
pd_ui_test_find_widget (GtkWidget  *root,
                        GType       type,
                        const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (name == NULL ||
       g_strcmp0 (gtk_widget_get_name (root), name) == 0 ||
       g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)), name) == 0))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pd_ui_test_find_widget (child, type, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Renders @widget as it is on screen now into a PNG, for reviewers. */
gboolean
pd_ui_test_save_png (GtkWidget   *widget,
                     const char  *file_name,
                     GError     **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "nothing was drawn");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, file_name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", file_name);
      return FALSE;
    }
  return TRUE;
}

static void
message_sent_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  guint *status = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  *status = body ? soup_message_get_status (msg) : 1;
}

static gboolean
status_set (gpointer data)
{
  return *(guint *) data != 0;
}

/* Sends the listener on @port a payment notification signed as PayMaster
 * would for @shop, while the main loop keeps running (the app under test
 * answers it on this same thread). Returns the HTTP status. A test shop's
 * notification carries LMI_SIM_MODE, as PayMaster's test payments do. */
guint
pd_ui_test_post_notification (guint16       port,
                              const PdShop *shop,
                              const char   *secret,
                              const char   *invoice_number,
                              const char   *amount,
                              const char   *payment_id)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(PdForm) form = pd_form_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, PD_PATH_NOTIFY);
  g_autofree char *hash = NULL;
  char *encoded;
  guint status = 0;

  pd_form_add (form, "LMI_MERCHANT_ID", shop->merchant_id);
  pd_form_add (form, "LMI_PAYMENT_NO", invoice_number);
  pd_form_add (form, "LMI_SYS_PAYMENT_ID", payment_id);
  pd_form_add (form, "LMI_SYS_PAYMENT_DATE", "2026-11-28T10:00:00");
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", amount);
  pd_form_add (form, "LMI_CURRENCY", "RUB");
  pd_form_add (form, "LMI_PAID_AMOUNT", amount);
  pd_form_add (form, "LMI_PAID_CURRENCY", "RUB");
  pd_form_add (form, "LMI_PAYMENT_SYSTEM", "3");
  pd_form_add (form, "LMI_PAYMENT_METHOD", "Test");
  if (pd_shop_mode_is_test (shop->mode))
    pd_form_add (form, "LMI_SIM_MODE", "0");
  hash = pd_paymaster_sign (form, shop->hash_alg, secret);
  pd_form_add (form, "LMI_HASH", hash);

  encoded = pd_form_encode (form);
  body = g_bytes_new_take (encoded, strlen (encoded));
  msg = soup_message_new (SOUP_METHOD_POST, url);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, message_sent_cb, &status);
  pd_ui_test_wait_until (status_set, &status, 10000);
  return status;
}
