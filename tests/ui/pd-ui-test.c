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

/* A new database holding a sandbox shop on a free port, set up with the
 * key @secret: where most tests start. Returns the database's path; the
 * port and the shop go to @port and @shop unless they are NULL. */
char *
pd_ui_test_sandbox_database (const char  *secret,
                             guint16     *port,
                             PdShop     **shop)
{
  char *db_path = pd_ui_test_new_database_path ();
  guint16 free_port = pd_ui_test_free_port ();
  g_autoptr(PdShop) sandbox = pd_ui_test_sandbox_shop (free_port);

  pd_ui_test_set_up_shop (db_path, sandbox, secret);
  if (port != NULL)
    *port = free_port;
  if (shop != NULL)
    *shop = g_steal_pointer (&sandbox);
  return db_path;
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

/* The first of @root and its descendants that @match accepts, depth
 * first in the order they are drawn, or NULL. */
GtkWidget *
pd_ui_test_find_descendant (GtkWidget       *root,
                            PdUiWidgetMatch  match,
                            gconstpointer    data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pd_ui_test_find_descendant (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GType       type;
  const char *name;
} WidgetWanted;

static gboolean
is_widget_wanted (GtkWidget     *widget,
                  gconstpointer  data)
{
  const WidgetWanted *wanted = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, wanted->type) &&
         (wanted->name == NULL ||
          g_strcmp0 (gtk_widget_get_name (widget), wanted->name) == 0 ||
          g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), wanted->name) == 0);
}

/* The first descendant of @root of @type (and, if given, with the widget
 * name or buildable id @name), depth first. */
GtkWidget *
pd_ui_test_find_widget (GtkWidget  *root,
                        GType       type,
                        const char *name)
{
  WidgetWanted wanted = { type, name };

  return pd_ui_test_find_descendant (root, is_widget_wanted, &wanted);
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

/* Like pd_ui_test_find_widget(), for a widget the test cannot go on
 * without; the failure names what is missing, which an assertion here
 * would not. */
GtkWidget *
pd_ui_test_get_widget (GtkWidget  *root,
                       GType       type,
                       const char *name)
{
  GtkWidget *widget = pd_ui_test_find_widget (root, type, name);

  if (widget == NULL && name != NULL)
    g_error ("%s has no %s “%s”", G_OBJECT_TYPE_NAME (root), g_type_name (type), name);
  else if (widget == NULL)
    g_error ("%s has no %s", G_OBJECT_TYPE_NAME (root), g_type_name (type));
  return widget;
}

const char *
pd_ui_test_combo_text (GtkWidget  *root,
                       const char *row)
{
  AdwComboRow *combo = ADW_COMBO_ROW (pd_ui_test_get_widget (root, ADW_TYPE_COMBO_ROW, row));
  GtkStringObject *item = adw_combo_row_get_selected_item (combo);

  return item ? gtk_string_object_get_string (item) : NULL;
}

void
pd_ui_test_combo_choose (GtkWidget  *root,
                         const char *row,
                         const char *text)
{
  AdwComboRow *combo = ADW_COMBO_ROW (pd_ui_test_get_widget (root, ADW_TYPE_COMBO_ROW, row));
  GListModel *model = adw_combo_row_get_model (combo);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), text) == 0)
        {
          adw_combo_row_set_selected (combo, i);
          return;
        }
    }
  g_error ("%s offers no “%s”", row, text);
}

typedef struct
{
  GtkWidget  *root;
  const char *row;
  const char *text;
} ComboWanted;

static gboolean
combo_shows (gpointer data)
{
  ComboWanted *wanted = data;

  return g_strcmp0 (pd_ui_test_combo_text (wanted->root, wanted->row), wanted->text) == 0;
}

/* Waits until @row shows @text, as after reading from the store. */
gboolean
pd_ui_test_wait_combo (GtkWidget  *root,
                       const char *row,
                       const char *text,
                       guint       timeout_ms)
{
  ComboWanted wanted = { root, row, text };

  return pd_ui_test_wait_until (combo_shows, &wanted, timeout_ms);
}

/* The first visible toplevel of @type (a dialog, say), or NULL. */
GtkWindow *
pd_ui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* @app's first window of @type, shown or not, or NULL. */
GtkWindow *
pd_ui_test_find_window (PdApplication *app,
                        GType          type)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  return NULL;
}

/* The main window if @app has made it, shown or not. Paydesk makes one
 * at most and keeps it when it is closed. */
PdWindow *
pd_ui_test_find_main_window (PdApplication *app)
{
  return PD_WINDOW (pd_ui_test_find_window (app, PD_TYPE_WINDOW));
}

typedef struct
{
  PdApplication *app;
  PdWindow      *window;
} MainWindow;

static gboolean
main_window_mapped (gpointer data)
{
  MainWindow *main_window = data;

  main_window->window = pd_ui_test_find_main_window (main_window->app);
  return main_window->window != NULL && gtk_widget_get_mapped (GTK_WIDGET (main_window->window));
}

/* Activates @app, as launching Paydesk again does, and returns its main
 * window once it is on screen. */
PdWindow *
pd_ui_test_open_main_window (PdApplication *app)
{
  MainWindow main_window = { app, NULL };

  g_application_activate (G_APPLICATION (app));
  g_assert_true (pd_ui_test_wait_until (main_window_mapped, &main_window, 5000));
  return main_window.window;
}

static gboolean
listening (gpointer data)
{
  return pd_service_get_state (pd_application_get_service (data)) == PD_SERVICE_LISTENING;
}

/* Whether @app's listener came up within @timeout_ms: it starts only once
 * the main loop runs. */
gboolean
pd_ui_test_wait_listening (PdApplication *app,
                           guint          timeout_ms)
{
  return pd_ui_test_wait_until (listening, app, timeout_ms);
}

/* Quits *@app as its menu's Quit does, lets that happen and drops it;
 * nothing if *@app is NULL (the test never started it). */
void
pd_ui_test_quit_application (PdApplication **app)
{
  if (*app == NULL)
    return;
  g_action_group_activate_action (G_ACTION_GROUP (*app), "quit", NULL);
  pd_ui_test_iterate (50);
  g_clear_object (app);
}

static gboolean
drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* Whether @widget is on screen with a size within @timeout_ms, so that
 * rendering it shows something. */
gboolean
pd_ui_test_wait_drawn (GtkWidget *widget,
                       guint      timeout_ms)
{
  return pd_ui_test_wait_until (drawn, widget, timeout_ms);
}

/* Whether the build asked for screenshots ($PAYDESK_SCREENSHOT_DIR, kept
 * as a test artifact); a test whose pictures are only for a reviewer
 * skips them, and the waiting for them, when run by hand. */
gboolean
pd_ui_test_screenshots_wanted (void)
{
  return g_getenv ("PAYDESK_SCREENSHOT_DIR") != NULL;
}

/* Where the screenshot @file_name goes: $PAYDESK_SCREENSHOT_DIR, or this
 * run's own folder when that is unset. The folder is made if need be. */
char *
pd_ui_test_screenshot_path (const char *file_name)
{
  const char *dir = g_getenv ("PAYDESK_SCREENSHOT_DIR");

  if (dir == NULL)
    dir = test_dir;
  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, file_name, NULL);
}

/* Renders @widget as it is now into @file_name (see
 * pd_ui_test_screenshot_path()); failing to is a failed test. Waiting
 * for the layout to settle first is up to the caller. */
void
pd_ui_test_save_screenshot (GtkWidget  *widget,
                            const char *file_name)
{
  g_autofree char *path = pd_ui_test_screenshot_path (file_name);
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_ui_test_save_png (widget, path, &error));
  g_assert_no_error (error);
  g_test_message ("saved %s", path);
}

/* For a picture only a reviewer needs: nothing when run by hand (see
 * pd_ui_test_screenshots_wanted()); otherwise saved once @widget is drawn,
 * which must be within @draw_timeout_ms, and has settled for a few frames. */
void
pd_ui_test_review_screenshot (GtkWidget  *widget,
                              const char *file_name,
                              guint       draw_timeout_ms)
{
  if (!pd_ui_test_screenshots_wanted ())
    return;
  g_assert_true (pd_ui_test_wait_drawn (widget, draw_timeout_ms));
  pd_ui_test_iterate (300);
  pd_ui_test_save_screenshot (widget, file_name);
}

/* A stand-in for the desktop's notification server (org.gtk.Notifications)
 * on a private session bus: what the application announces reaches
 * nobody's desktop, and the test can read what would have popped up. */

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  GPtrArray *titles = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    {
      g_autoptr(GVariant) notification = g_variant_get_child_value (parameters, 2);
      const char *title = NULL;

      g_variant_lookup (notification, "title", "&s", &title);
      g_ptr_array_add (titles, g_strdup (title));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

/* Starts the private bus and the server on it; call before any
 * application connects to the session bus. */
PdUiNotifications *
pd_ui_test_start_notification_bus (void)
{
  static const char xml[] =
    "<node><interface name='org.gtk.Notifications'>"
    "<method name='AddNotification'><arg type='s'/><arg type='s'/><arg type='a{sv}'/></method>"
    "<method name='RemoveNotification'><arg type='s'/><arg type='s'/></method>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  PdUiNotifications *notifications = g_new0 (PdUiNotifications, 1);

  notifications->titles = g_ptr_array_new_with_free_func (g_free);
  notifications->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (notifications->bus);

  notifications->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_dbus_connection_register_object (notifications->connection, "/org/gtk/Notifications",
                                     info->interfaces[0], &vtable, notifications->titles, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (notifications->connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.gtk.Notifications", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  /* The name and the object live as long as this connection. */
  return notifications;
}

/* Takes the bus down. With @apps_finalized (every application that used
 * the bus is gone), that also checks the bus connection went away. An
 * application still alive holds on to it, and disposing of the bus would
 * wait for it in vain: then the daemon is only stopped and the bus left. */
void
pd_ui_test_stop_notification_bus (PdUiNotifications *notifications,
                                  gboolean           apps_finalized)
{
  g_clear_object (&notifications->connection);
  if (apps_finalized)
    {
      g_test_dbus_down (notifications->bus);
      g_object_unref (notifications->bus);
    }
  else
    {
      g_test_dbus_stop (notifications->bus);
    }
  g_ptr_array_unref (notifications->titles);
  g_free (notifications);
}
