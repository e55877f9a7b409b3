/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "pd-catalog.h"
#include "pd-form.h"
#include "pd-money.h"
#include "pd-secrets.h"
#include "pd-ui-test.h"
#include "pd-window.h"
#include "pd-wizard.h"

/* The setup wizard driven like a merchant would: on a fresh database the
 * sandbox end to end up to a paid invoice, inline validation, a listener
 * that cannot take its port, a notification signed the wrong way, a
 * PayMaster that never calls; and run again from the menu over settings
 * Paydesk already has. Screenshots of every page go to
 * $PAYDESK_SCREENSHOT_DIR. */

typedef struct
{
  char          *db_path;
  PdApplication *app;
  PdWizard      *wizard;
} Fixture;

static PdWizard *
find_wizard (PdApplication *app)
{
  return PD_WIZARD (pd_ui_test_find_window (app, PD_TYPE_WIZARD));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->db_path = pd_ui_test_new_database_path ();
  f->app = pd_ui_test_application_new (f->db_path);

  /* A database with no setup opens the wizard, and only the wizard. */
  g_application_activate (G_APPLICATION (f->app));
  f->wizard = find_wizard (f->app);
  g_assert_nonnull (f->wizard);
  g_assert_null (pd_ui_test_find_main_window (f->app));
  g_object_add_weak_pointer (G_OBJECT (f->wizard), (gpointer *) &f->wizard);
  pd_ui_test_iterate (200);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static gboolean warned;
  g_autoptr(GList) windows = NULL;

  if (f->wizard != NULL)
    gtk_window_destroy (GTK_WINDOW (f->wizard));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  pd_ui_test_iterate (50);

  /* Each test registers a new application on the bus, so this one must be
   * finalized: its main window is let go rather than destroyed (its view
   * switchers trip over each other when destroyed on libadwaita 1.2), and
   * it is shut down as g_application_run() would. Without run() there is
   * no way to unregister from the bus first, which GIO points out, once
   * per process. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  for (GList *l = windows; l; l = l->next)
    {
      gtk_widget_set_visible (l->data, FALSE);
      gtk_window_set_application (l->data, NULL);
    }
  g_signal_emit_by_name (f->app, "shutdown");
  if (!warned)
    g_test_expect_message ("GLib-GIO", G_LOG_LEVEL_WARNING, "Your application did not unregister from D-Bus*");
  warned = TRUE;
  g_assert_finalize_object (f->app);
  g_test_assert_expected_messages ();
  g_free (f->db_path);
}

static GtkWidget *
child (Fixture    *f,
       GType       type,
       const char *name)
{
  return pd_ui_test_get_widget (GTK_WIDGET (f->wizard), type, name);
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (f, GTK_TYPE_STACK, "stack")));
}

static void
press (Fixture    *f,
       const char *button)
{
  GtkWidget *widget = child (f, GTK_TYPE_BUTTON, button);

  g_assert_true (gtk_widget_get_visible (widget));
  g_assert_true (gtk_widget_is_sensitive (widget));
  g_signal_emit_by_name (widget, "clicked");
  pd_ui_test_iterate (50);
}

static void
set_text (Fixture    *f,
          const char *row,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, GTK_TYPE_EDITABLE, row)), text);
}

static gboolean
label_shows (Fixture    *f,
             const char *label)
{
  GtkWidget *widget = child (f, GTK_TYPE_LABEL, label);

  return gtk_widget_get_visible (widget) && *gtk_label_get_label (GTK_LABEL (widget)) != '\0';
}

/* Saves what the wizard shows now, for a reviewer; the folder comes from
 * the test environment. */
static void
screenshot (Fixture    *f,
            const char *name)
{
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (!pd_ui_test_screenshots_wanted ())
    return;
  file_name = g_strdup_printf ("wizard-%s.png", name);
  path = pd_ui_test_screenshot_path (file_name);
  /* Let the page transition and the layout finish first. */
  pd_ui_test_iterate (400);
  if (!pd_ui_test_save_png (GTK_WIDGET (f->wizard), path, &error))
    g_test_message ("No screenshot %s: %s", path, error->message);
}

static gboolean
has_payment_url (gpointer data)
{
  Fixture *f = data;

  return f->wizard != NULL && pd_wizard_get_payment_url (f->wizard) != NULL;
}

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} Fetch;

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &fetch->error);
  fetch->done = TRUE;
}

static gboolean
fetch_done (gpointer data)
{
  return ((Fetch *) data)->done;
}

/* Sends @msg without blocking the main loop: the listener and the sandbox
 * answering it run on that same loop. */
static char *
fetch_text (SoupSession *session,
            SoupMessage *msg)
{
  Fetch fetch = { 0 };
  gsize size = 0;
  const char *data;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, fetched_cb, &fetch);
  g_assert_true (pd_ui_test_wait_until (fetch_done, &fetch, 20000));
  g_assert_no_error (fetch.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);

  data = g_bytes_get_data (fetch.body, &size);
  {
    char *text = g_strndup (data, size);

    g_bytes_unref (fetch.body);
    return text;
  }
}

static char *
html_unescape (const char *text)
{
  static const struct { const char *entity; char c; } entities[] = {
    { "&amp;", '&' }, { "&quot;", '"' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&#39;", '\'' }, { "&apos;", '\'' },
  };
  GString *out = g_string_new (NULL);

  while (*text != '\0')
    {
      gboolean replaced = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (entities) && !replaced; i++)
        if (g_str_has_prefix (text, entities[i].entity))
          {
            g_string_append_c (out, entities[i].c);
            text += strlen (entities[i].entity);
            replaced = TRUE;
          }
      if (!replaced)
        g_string_append_c (out, *text++);
    }
  return g_string_free (out, FALSE);
}

/* Opens the payment link and presses Pay, as the merchant's browser would. */
static void
pay_in_sandbox (const char *payment_url,
                const char *public_url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) get = soup_message_new ("GET", payment_url);
  g_autoptr(SoupMessage) post = NULL;
  g_autofree char *page = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *payment = NULL;
  g_autofree char *body = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *pay_url = NULL;
  g_autofree char *result = NULL;
  const char *start;
  const char *end;
  static const char marker[] = "name=\"payment\" value=\"";

  g_assert_nonnull (get);
  page = fetch_text (session, get);
  start = strstr (page, marker);
  g_assert_nonnull (start);
  start += strlen (marker);
  end = strchr (start, '"');
  g_assert_nonnull (end);
  escaped = g_strndup (start, end - start);
  payment = html_unescape (escaped);

  encoded = g_uri_escape_string (payment, NULL, FALSE);
  body = g_strdup_printf ("payment=%s&action=pay", encoded);
  pay_url = g_strdup_printf ("%s/sandbox/Payment/Pay", public_url);
  post = soup_message_new ("POST", pay_url);
  {
    gsize length = strlen (body);
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), length);

    soup_message_set_request_body_from_bytes (post, "application/x-www-form-urlencoded", bytes);
  }
  result = fetch_text (session, post);
  g_assert_nonnull (strstr (result, "Payment complete"));
}

static gboolean
check_passed (gpointer data)
{
  Fixture *f = data;

  return f->wizard != NULL && gtk_widget_get_visible (child (f, GTK_TYPE_BUTTON, "start_button"));
}

static PdInvoiceStatus
invoice_status (const char *db_path,
                const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (db_path, PD_DATABASE_READ_ONLY, &error);
  g_autoptr(PdInvoice) invoice = NULL;

  g_assert_no_error (error);
  invoice = pd_catalog_get_invoice (db, number, &error);
  g_assert_no_error (error);
  if (invoice == NULL)
    g_error ("There is no invoice %s", number);
  return invoice->status;
}

static char *
invoice_number_of (const char *payment_url)
{
  g_autoptr(GUri) uri = g_uri_parse (payment_url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(PdForm) form = NULL;
  const char *query;

  g_assert_nonnull (uri);
  query = g_uri_get_query (uri);
  form = pd_form_parse (query, strlen (query), NULL);
  g_assert_nonnull (form);
  return g_strdup (pd_form_get (form, "LMI_PAYMENT_NO"));
}

static gboolean
icon_has_class (Fixture    *f,
                const char *icon,
                const char *css_class)
{
  GtkWidget *widget = child (f, GTK_TYPE_IMAGE, icon);

  return gtk_widget_get_visible (widget) && gtk_widget_has_css_class (widget, css_class);
}

/* The desktop's notification server, played by the test: the check's
 * payment is announced like any other, and the test reads what would have
 * popped up. */
static PdUiNotifications *notifications;

static gboolean
notified (gpointer data)
{
  for (guint i = 0; i < notifications->titles->len; i++)
    if (g_strcmp0 (notifications->titles->pdata[i], data) == 0)
      return TRUE;
  return FALSE;
}

/* From the welcome page to a check waiting for the sandbox payment. */
static char *
start_sandbox_check (Fixture *f,
                     guint16  port)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (f, GTK_TYPE_CHECK_BUTTON, "sandbox_check")), TRUE);
  press (f, "next_button");
  set_text (f, "port_row", port_text);
  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "check");
  g_assert_true (pd_ui_test_wait_until (has_payment_url, f, 20000));
  return invoice_number_of (pd_wizard_get_payment_url (f->wizard));
}

static void
test_sandbox_end_to_end (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const step_icons[] = {
    "listener_icon", "prerequest_icon", "notification_icon", "signature_icon", "paid_icon",
  };
  guint16 port = pd_ui_test_free_port ();
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *public_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autofree char *payment_url = NULL;
  g_autofree char *number = NULL;
  PdService *service = pd_application_get_service (f->app);
  PdWindow *window;

  g_assert_cmpstr (visible_page (f), ==, "welcome");
  screenshot (f, "1-welcome");

  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (f, GTK_TYPE_CHECK_BUTTON, "sandbox_check")), TRUE);
  press (f, "next_button");
  /* The sandbox needs no PayMaster site. */
  g_assert_cmpstr (visible_page (f), ==, "address");

  set_text (f, "port_row", port_text);
  /* The public address follows the port in the sandbox. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, GTK_TYPE_EDITABLE, "public_url_row"))),
                   ==, public_url);
  g_assert_false (label_shows (f, "address_error_label"));
  {
    g_autofree char *notify_url = g_strdup_printf ("%s/paymaster/notify", public_url);

    GtkWidget *row = child (f, ADW_TYPE_ACTION_ROW, "notification_url_row");
    GdkClipboard *clipboard = gtk_widget_get_clipboard (row);
    g_auto(GValue) copied = G_VALUE_INIT;

    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, notify_url);

    /* Its Copy button puts it on the clipboard. */
    g_signal_emit_by_name (pd_ui_test_find_widget (row, GTK_TYPE_BUTTON, NULL), "clicked");
    g_value_init (&copied, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &copied, NULL));
    g_assert_cmpstr (g_value_get_string (&copied), ==, notify_url);
  }
  screenshot (f, "3-address-sandbox");

  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "check");

  g_assert_true (pd_ui_test_wait_until (has_payment_url, f, 20000));
  payment_url = g_strdup (pd_wizard_get_payment_url (f->wizard));
  g_assert_true (g_str_has_prefix (payment_url, public_url));
  g_assert_true (pd_service_is_set_up (service));
  g_assert_cmpint (pd_service_get_state (service), ==, PD_SERVICE_LISTENING);
  g_assert_cmpint (pd_service_get_shop (service)->mode, ==, PD_SHOP_MODE_SANDBOX);
  {
    g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);

    /* The sandbox needs nobody but this computer. */
    g_assert_cmpstr (pd_service_get_shop (service)->listen, ==, listen);
  }
  g_assert_true (icon_has_class (f, "listener_icon", "success"));
  screenshot (f, "4-check-waiting");

  number = invoice_number_of (payment_url);
  g_assert_nonnull (number);
  g_assert_cmpint (invoice_status (f->db_path, number), ==, PD_INVOICE_ISSUED);

  pay_in_sandbox (payment_url, public_url);

  g_assert_true (pd_ui_test_wait_until (check_passed, f, 20000));
  for (guint i = 0; i < G_N_ELEMENTS (step_icons); i++)
    g_assert_true (icon_has_class (f, step_icons[i], "success"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (f, GTK_TYPE_LABEL, "check_title"))),
                   ==, "Paydesk Is Ready");
  g_assert_false (gtk_widget_get_visible (child (f, GTK_TYPE_BUTTON, "fix_button")));
  g_assert_cmpint (invoice_status (f->db_path, number), ==, PD_INVOICE_PAID);
  {
    g_autofree char *amount = pd_money_format_display (5000, "RUB");
    g_autofree char *title = g_strdup_printf ("Paid: %s, invoice %s", amount, number);

    g_assert_true (pd_ui_test_wait_until (notified, title, 5000));
  }
  screenshot (f, "5-check-paid");

  press (f, "start_button");
  pd_ui_test_iterate (100);
  g_assert_null (f->wizard);
  window = pd_ui_test_find_main_window (f->app);
  g_assert_nonnull (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
}

static void
test_invalid_identifier (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *next = child (f, GTK_TYPE_BUTTON, "next_button");
  GtkWidget *id_row = child (f, GTK_TYPE_EDITABLE, "merchant_id_row");

  /* Connecting a real site is the default choice. */
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (f, GTK_TYPE_CHECK_BUTTON, "site_check"))));
  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "site");
  g_assert_false (gtk_widget_is_sensitive (next));
  g_assert_false (label_shows (f, "site_error_label"));
  screenshot (f, "2-site-empty");

  set_text (f, "merchant_id_row", "ebc4f3fe-d395-4e08-a4ef");
  set_text (f, "secret_row", "a secret");
  g_assert_true (label_shows (f, "site_error_label"));
  g_assert_true (gtk_widget_has_css_class (id_row, "error"));
  g_assert_false (gtk_widget_is_sensitive (next));
  screenshot (f, "2-site-invalid");

  /* Pasted with a trailing line break, and in capitals: still the site. */
  set_text (f, "merchant_id_row", "EBC4F3FE-D395-4E08-A4EF-81CA6F4E04A6\n");
  g_assert_false (label_shows (f, "site_error_label"));
  g_assert_false (gtk_widget_has_css_class (id_row, "error"));
  g_assert_true (gtk_widget_is_sensitive (next));

  /* A key is required for a new site. */
  set_text (f, "secret_row", "");
  g_assert_false (gtk_widget_is_sensitive (next));
  set_text (f, "secret_row", "a secret");
  g_assert_true (gtk_widget_is_sensitive (next));

  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "address");
  /* A real site has no public address to guess. */
  g_assert_false (gtk_widget_is_sensitive (next));
  set_text (f, "public_url_row", "ftp://example.com");
  g_assert_true (label_shows (f, "address_error_label"));
  g_assert_false (gtk_widget_is_sensitive (next));
  set_text (f, "public_url_row", "https://pay.example.com/");
  g_assert_false (label_shows (f, "address_error_label"));
  g_assert_true (gtk_widget_is_sensitive (next));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (f, ADW_TYPE_ACTION_ROW,
                                                                       "success_url_row"))),
                   ==, "https://pay.example.com/paymaster/success");
  set_text (f, "port_row", "70000");
  g_assert_true (label_shows (f, "address_error_label"));
  g_assert_false (gtk_widget_is_sensitive (next));
  set_text (f, "port_row", "8080");
  g_assert_true (gtk_widget_is_sensitive (next));
  screenshot (f, "3-address-site");

  /* Nothing was saved by any of it. */
  g_assert_false (pd_service_is_set_up (pd_application_get_service (f->app)));
}

static gboolean
listener_failed (gpointer data)
{
  Fixture *f = data;

  return icon_has_class (f, "listener_icon", "error");
}

static void
test_port_in_use (Fixture       *f,
                  gconstpointer  data)
{
  guint16 port = pd_ui_test_free_port ();
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;
  PdService *service = pd_application_get_service (f->app);
  const char *subtitle;

  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (f, GTK_TYPE_CHECK_BUTTON, "sandbox_check")), TRUE);
  press (f, "next_button");
  set_text (f, "port_row", port_text);
  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "check");

  g_assert_true (pd_ui_test_wait_until (listener_failed, f, 10000));
  g_assert_cmpint (pd_service_get_state (service), ==, PD_SERVICE_FAILED);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (child (f, ADW_TYPE_ACTION_ROW, "listener_row")));
  g_assert_cmpstr (subtitle, ==, pd_service_get_state_text (service));
  g_assert_nonnull (strstr (subtitle, port_text));
  g_assert_true (gtk_widget_get_visible (child (f, GTK_TYPE_BUTTON, "fix_button")));
  g_assert_false (gtk_widget_get_visible (child (f, GTK_TYPE_BUTTON, "open_link_button")));
  g_assert_null (pd_wizard_get_payment_url (f->wizard));
  screenshot (f, "4-check-port-in-use");

  /* Back to the page where the port is. */
  press (f, "fix_button");
  g_assert_cmpstr (visible_page (f), ==, "address");
}

static gboolean
signature_failed (gpointer data)
{
  return icon_has_class (data, "signature_icon", "error");
}

/* A notification signed with another algorithm: the check says which, in
 * the words of the listener's verdict, and offers to go back and fix it. */
static void
test_wrong_signature (Fixture       *f,
                      gconstpointer  data)
{
  guint16 port = pd_ui_test_free_port ();
  g_autofree char *number = start_sandbox_check (f, port);
  PdService *service = pd_application_get_service (f->app);
  g_autoptr(PdShop) shop = pd_shop_copy (pd_service_get_shop (service));
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = pd_secrets_lookup_key (shop->merchant_id, NULL, &error);
  g_autofree char *second = NULL;
  g_autofree char *reason = NULL;

  g_assert_no_error (error);
  shop->hash_alg = PD_HASH_SHA1;
  g_assert_cmpuint (pd_ui_test_post_notification (port, shop, secret, number, "50.00", "7001"), ==, 403);

  g_assert_true (pd_ui_test_wait_until (signature_failed, f, 10000));
  reason = g_ascii_strdown (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (f, ADW_TYPE_ACTION_ROW,
                                                                                "signature_row"))), -1);
  g_assert_nonnull (strstr (reason, "signed with sha1"));
  g_assert_nonnull (strstr (reason, "sha256"));
  g_assert_true (icon_has_class (f, "notification_icon", "success"));
  /* The sandbox page was never used, so PayMaster did not ask first. */
  g_assert_true (icon_has_class (f, "prerequest_icon", "warning"));
  g_assert_true (gtk_widget_get_visible (child (f, GTK_TYPE_BUTTON, "fix_button")));
  g_assert_true (gtk_widget_get_visible (child (f, GTK_TYPE_BUTTON, "open_link_button")));
  g_assert_cmpint (invoice_status (f->db_path, number), ==, PD_INVOICE_ISSUED);
  screenshot (f, "4-check-wrong-signature");

  /* Back to fix it: in the sandbox that is the first page. Checking
   * again issues a new invoice and cancels the unpaid one. */
  press (f, "fix_button");
  g_assert_cmpstr (visible_page (f), ==, "welcome");
  press (f, "next_button");
  press (f, "next_button");
  g_assert_true (pd_ui_test_wait_until (has_payment_url, f, 20000));
  second = invoice_number_of (pd_wizard_get_payment_url (f->wizard));
  g_assert_cmpstr (second, !=, number);
  g_assert_cmpint (invoice_status (f->db_path, number), ==, PD_INVOICE_CANCELLED);
  g_assert_false (gtk_widget_get_visible (child (f, GTK_TYPE_BUTTON, "fix_button")));
  g_assert_true (icon_has_class (f, "signature_icon", "dim-label"));

  pay_in_sandbox (pd_wizard_get_payment_url (f->wizard), pd_service_get_shop (service)->public_url);
  g_assert_true (pd_ui_test_wait_until (check_passed, f, 20000));
  g_assert_cmpint (invoice_status (f->db_path, second), ==, PD_INVOICE_PAID);
}

/* What fixture_set_up_configured() sets up. */
typedef enum
{
  CONFIGURED_SITE,      /* a PayMaster site in test mode */
  CONFIGURED_SANDBOX,
  CONFIGURED_V2,        /* a PayMaster site in test mode on REST API v2 */
} Configured;

#define V2_TOKEN "the-current-token"

/* A database set up with the command line, as data says. */
static void
fixture_set_up_configured (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(PdShop) shop = pd_ui_test_sandbox_shop (pd_ui_test_free_port ());
  Configured configured = GPOINTER_TO_INT (data);

  if (configured != CONFIGURED_SANDBOX)
    {
      shop->mode = PD_SHOP_MODE_TEST;
      shop->protocol = configured == CONFIGURED_V2 ? PD_PROTOCOL_V2 : PD_PROTOCOL_CLASSIC;
      shop->hash_alg = PD_HASH_SHA1;
      g_free (shop->public_url);
      shop->public_url = g_strdup ("https://pay.example.com/shop");
      g_free (shop->paymaster_url);
      shop->paymaster_url = g_strdup ("https://paymaster.example.com");
    }

  f->db_path = pd_ui_test_new_database_path ();
  pd_ui_test_set_up_shop (f->db_path, shop, "the current key");
  if (configured == CONFIGURED_V2)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (pd_secrets_store (PD_SECRET_API_TOKEN, shop->merchant_id, V2_TOKEN, NULL, &error));
      g_assert_no_error (error);
    }
  f->app = pd_ui_test_application_new (f->db_path);

  /* Set up: the main window first, the wizard from its menu. */
  g_application_activate (G_APPLICATION (f->app));
  g_assert_null (find_wizard (f->app));
  g_assert_nonnull (pd_ui_test_find_main_window (f->app));
  g_assert_true (pd_ui_test_wait_listening (f->app, 10000));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "setup", NULL);
  f->wizard = find_wizard (f->app);
  g_assert_nonnull (f->wizard);
  g_object_add_weak_pointer (G_OBJECT (f->wizard), (gpointer *) &f->wizard);
  pd_ui_test_iterate (200);
}

static gboolean
prerequest_failed (gpointer data)
{
  return icon_has_class (data, "prerequest_icon", "error");
}

/* Nothing calls: after the wait, the check says that the address cannot be
 * reached, and still completes when the payment comes after all. */
static void
test_no_request (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *number = NULL;
  const char *reason;

  g_object_set (f->wizard, "request-timeout", 1, NULL);
  number = start_sandbox_check (f, pd_ui_test_free_port ());
  g_assert_true (pd_ui_test_wait_until (prerequest_failed, f, 5000));
  reason = adw_action_row_get_subtitle (ADW_ACTION_ROW (child (f, ADW_TYPE_ACTION_ROW, "prerequest_row")));
  g_assert_true (g_str_has_prefix (reason, "No request arrived"));
  g_assert_true (gtk_widget_get_visible (child (f, GTK_TYPE_BUTTON, "fix_button")));
  screenshot (f, "4-check-no-request");

  pay_in_sandbox (pd_wizard_get_payment_url (f->wizard),
                  pd_service_get_shop (pd_application_get_service (f->app))->public_url);
  g_assert_true (pd_ui_test_wait_until (check_passed, f, 20000));
  g_assert_true (icon_has_class (f, "prerequest_icon", "success"));
  g_assert_cmpint (invoice_status (f->db_path, number), ==, PD_INVOICE_PAID);
}

/* Run again, the wizard starts from the settings Paydesk has and keeps the
 * key unless a new one is entered. */
static void
test_run_again (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *next = child (f, GTK_TYPE_BUTTON, "next_button");
  g_autoptr(PdShop) before = pd_shop_copy (pd_service_get_shop (pd_application_get_service (f->app)));

  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (f, GTK_TYPE_CHECK_BUTTON, "site_check"))));
  press (f, "next_button");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, GTK_TYPE_EDITABLE, "merchant_id_row"))),
                   ==, "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, GTK_TYPE_EDITABLE, "secret_row"))), ==, "");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (f, ADW_TYPE_COMBO_ROW, "hash_row"))),
                    ==, PD_HASH_SHA1);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (f, GTK_TYPE_CHECK_BUTTON,
                                                                       "test_mode_check"))));
  /* An empty key keeps the current one, for the same site only. */
  g_assert_true (gtk_widget_is_sensitive (next));
  g_assert_true (label_shows (f, "secret_hint_label"));
  screenshot (f, "2-site-run-again");
  set_text (f, "merchant_id_row", "00000000-0000-4000-8000-000000000002");
  g_assert_false (gtk_widget_is_sensitive (next));
  g_assert_false (label_shows (f, "secret_hint_label"));
  set_text (f, "merchant_id_row", "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6");
  g_assert_true (gtk_widget_is_sensitive (next));

  press (f, "next_button");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, GTK_TYPE_EDITABLE, "public_url_row"))),
                   ==, "https://pay.example.com/shop");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (f, ADW_TYPE_ACTION_ROW,
                                                                       "confirmation_url_row"))),
                   ==, "https://pay.example.com/shop/paymaster/notify");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (child (f, GTK_TYPE_SWITCH, "all_interfaces_switch"))));
  g_assert_true (gtk_widget_is_sensitive (next));

  /* Escape leaves everything as it was. */
  gtk_widget_activate_action (GTK_WIDGET (f->wizard), "window.close", NULL);
  pd_ui_test_iterate (100);
  g_assert_null (f->wizard);
  g_assert_cmpstr (pd_service_get_shop (pd_application_get_service (f->app))->public_url,
                   ==, before->public_url);
  g_assert_nonnull (pd_ui_test_find_main_window (f->app));
}

/* Run again on the sandbox while its listener runs: the check restarts the
 * listener on the same port and pays a new invoice. */
static void
test_run_again_sandbox (Fixture       *f,
                        gconstpointer  data)
{
  PdService *service = pd_application_get_service (f->app);
  g_autofree char *listen = g_strdup (pd_service_get_shop (service)->listen);
  g_autofree char *public_url = g_strdup (pd_service_get_shop (service)->public_url);
  g_autofree char *number = NULL;

  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (f, GTK_TYPE_CHECK_BUTTON, "sandbox_check"))));
  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "address");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, GTK_TYPE_EDITABLE, "public_url_row"))),
                   ==, public_url);
  press (f, "next_button");
  g_assert_true (pd_ui_test_wait_until (has_payment_url, f, 20000));
  g_assert_cmpstr (pd_service_get_shop (service)->listen, ==, listen);
  g_assert_cmpint (pd_service_get_state (service), ==, PD_SERVICE_LISTENING);

  number = invoice_number_of (pd_wizard_get_payment_url (f->wizard));
  pay_in_sandbox (pd_wizard_get_payment_url (f->wizard), public_url);
  g_assert_true (pd_ui_test_wait_until (check_passed, f, 20000));
  g_assert_cmpint (invoice_status (f->db_path, number), ==, PD_INVOICE_PAID);

  press (f, "start_button");
  g_assert_null (f->wizard);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pd_ui_test_find_main_window (f->app))));
}

/* The pages at the narrowest width Paydesk supports. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  gtk_window_set_default_size (GTK_WINDOW (f->wizard), 360, 640);
  gtk_widget_set_visible (GTK_WIDGET (f->wizard), FALSE);
  gtk_window_present (GTK_WINDOW (f->wizard));
  pd_ui_test_iterate (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->wizard)), <=, 400);
  screenshot (f, "narrow-1-welcome");

  press (f, "next_button");
  set_text (f, "merchant_id_row", "not-an-identifier");
  screenshot (f, "narrow-2-site");

  set_text (f, "merchant_id_row", "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (f, ADW_TYPE_COMBO_ROW, "protocol_row")), PD_PROTOCOL_V2);
  screenshot (f, "narrow-2-site-v2");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (f, ADW_TYPE_COMBO_ROW, "protocol_row")),
                              PD_PROTOCOL_CLASSIC);
  set_text (f, "secret_row", "a secret");
  press (f, "next_button");
  set_text (f, "public_url_row", "https://pay.example.com");
  screenshot (f, "narrow-3-address");

  press (f, "back_button");
  press (f, "back_button");
  g_assert_cmpstr (visible_page (f), ==, "welcome");
  g_free (start_sandbox_check (f, pd_ui_test_free_port ()));
  screenshot (f, "narrow-4-check");

  {
    GtkWidget *page = gtk_stack_get_child_by_name (GTK_STACK (child (f, GTK_TYPE_STACK, "stack")), "check");
    GtkWidget *scrolled = pd_ui_test_find_widget (page, GTK_TYPE_SCROLLED_WINDOW, NULL);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    g_assert_true (gtk_widget_get_visible (child (f, GTK_TYPE_BUTTON, "later_button")));
    screenshot (f, "narrow-5-check-end");
  }
}

static char *
setting_of (const char *db_path,
            const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (db_path, PD_DATABASE_READ_ONLY, &error);
  char *value;

  g_assert_no_error (error);
  value = pd_catalog_get_setting (db, key, &error);
  g_assert_no_error (error);
  return value;
}

static gboolean
row_visible (Fixture    *f,
             const char *row)
{
  return gtk_widget_get_visible (child (f, GTK_TYPE_WIDGET, row));
}

static const char *
row_subtitle (Fixture    *f,
              const char *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child (f, ADW_TYPE_ACTION_ROW, row)));
}

static const char *
row_title (Fixture    *f,
           const char *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (f, ADW_TYPE_ACTION_ROW, row)));
}

static gboolean
checking_saved (gpointer data)
{
  Fixture *f = data;
  g_autofree char *mode = setting_of (f->db_path, "sync_mode");

  return g_strcmp0 (mode, "polling") == 0;
}

/* A PayMaster site in test mode, run again to be checked by polling: the
 * API user is required, the public address is not, and the check saves
 * them with the rest before the listener restarts; then it asks PayMaster
 * instead of waiting for a call. (Run again, the check keeps the secret
 * key: libsecret's file backend, which the tests use, finds the newest of
 * Paydesk's secrets whatever their kind.) */
static void
test_checking (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *next = child (f, GTK_TYPE_BUTTON, "next_button");
  GtkWidget *login_row = child (f, GTK_TYPE_EDITABLE, "api_login_row");
  GtkWidget *password_row = child (f, GTK_TYPE_EDITABLE, "api_password_row");
  AdwComboRow *mode_row = ADW_COMBO_ROW (child (f, ADW_TYPE_COMBO_ROW, "sync_mode_row"));
  g_autofree char *merchant_id = g_strdup (pd_service_get_shop (pd_application_get_service (f->app))->merchant_id);
  g_autofree char *login = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;

  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "site");
  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "address");

  /* Notifications, as nothing else was chosen: no API user needed. */
  g_assert_true (gtk_widget_get_visible (child (f, ADW_TYPE_PREFERENCES_GROUP, "sync_group")));
  g_assert_cmpuint (adw_combo_row_get_selected (mode_row), ==, 0);
  g_assert_false (gtk_widget_get_visible (login_row));
  g_assert_true (gtk_widget_is_sensitive (next));

  adw_combo_row_set_selected (mode_row, 1);
  g_assert_true (gtk_widget_get_visible (login_row));
  g_assert_true (gtk_widget_get_visible (password_row));
  g_assert_true (label_shows (f, "sync_error_label"));
  g_assert_true (gtk_widget_has_css_class (login_row, "error"));
  g_assert_false (gtk_widget_is_sensitive (next));
  screenshot (f, "3-address-checking");

  set_text (f, "api_login_row", " api-user ");
  g_assert_false (gtk_widget_has_css_class (login_row, "error"));
  g_assert_true (gtk_widget_has_css_class (password_row, "error"));
  g_assert_false (gtk_widget_is_sensitive (next));
  set_text (f, "api_password_row", "api password");
  g_assert_false (label_shows (f, "sync_error_label"));
  g_assert_false (gtk_widget_has_css_class (password_row, "error"));
  g_assert_true (gtk_widget_is_sensitive (next));

  gtk_window_set_default_size (GTK_WINDOW (f->wizard), 360, 640);
  gtk_widget_set_visible (GTK_WIDGET (f->wizard), FALSE);
  gtk_window_present (GTK_WINDOW (f->wizard));
  screenshot (f, "narrow-3-address-checking");

  /* Nothing needs to reach this computer: no public address, and no
   * addresses for the cabinet. Notifications need one again. */
  set_text (f, "public_url_row", "");
  g_assert_true (gtk_widget_is_sensitive (next));
  g_assert_false (row_visible (f, "endpoints_group"));
  g_assert_false (label_shows (f, "address_error_label"));
  g_assert_false (label_shows (f, "address_warning_label"));
  screenshot (f, "3-address-checking-no-address");
  adw_combo_row_set_selected (mode_row, 0);
  g_assert_false (gtk_widget_is_sensitive (next));
  g_assert_true (row_visible (f, "endpoints_group"));
  adw_combo_row_set_selected (mode_row, 1);
  g_assert_true (gtk_widget_is_sensitive (next));

  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "check");
  g_assert_true (pd_ui_test_wait_until (checking_saved, f, 10000));
  login = setting_of (f->db_path, "api_login");
  g_assert_cmpstr (login, ==, "api-user");
  password = pd_secrets_lookup (PD_SECRET_API_PASSWORD, merchant_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "api password");
  /* The listener restarts after them, with the rest of the settings. */
  g_assert_true (pd_ui_test_wait_until (has_payment_url, f, 20000));
  public_url = setting_of (f->db_path, "public_url");
  g_assert_cmpstr (public_url, ==, "");
  g_assert_null (strstr (pd_wizard_get_payment_url (f->wizard), "LMI_PAYMENT_NOTIFICATION_URL"));

  /* PayMaster calls nobody: those steps are not used, and PayMaster's
   * word on the payment stands for the signature. */
  g_assert_cmpstr (row_title (f, "signature_row"), ==, "PayMaster Confirmed the Payment");
  g_assert_true (g_str_has_prefix (row_subtitle (f, "prerequest_row"), "Not used: with Checking only"));
  g_assert_true (g_str_has_prefix (row_subtitle (f, "notification_row"), "Not used: "));
  g_assert_true (gtk_widget_has_css_class (child (f, ADW_TYPE_ACTION_ROW, "notification_row"), "dim-label"));
  screenshot (f, "4-check-checking");
}

static void
choose_protocol (Fixture    *f,
                 PdProtocol  protocol)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (f, ADW_TYPE_COMBO_ROW, "protocol_row")), protocol);
}

/* The addresses for the cabinet are the protocol's: four for classic, the
 * callback and return URLs for REST API v2. */
static void
assert_cabinet_urls (Fixture    *f,
                     PdProtocol  protocol,
                     const char *public_url)
{
  static const char * const classic_rows[] = {
    "confirmation_url_row", "notification_url_row", "success_url_row", "failure_url_row",
  };
  gboolean v2 = protocol == PD_PROTOCOL_V2;
  g_autofree char *callback = g_strdup_printf ("%s/paymaster/callback", public_url);
  g_autofree char *success = g_strdup_printf ("%s/paymaster/success", public_url);

  for (guint i = 0; i < G_N_ELEMENTS (classic_rows); i++)
    g_assert_true (row_visible (f, classic_rows[i]) == !v2);
  g_assert_true (row_visible (f, "callback_url_row") == v2);
  g_assert_true (row_visible (f, "return_url_row") == v2);
  g_assert_cmpstr (row_subtitle (f, "callback_url_row"), ==, callback);
  g_assert_cmpstr (row_subtitle (f, "return_url_row"), ==, success);
}

static gboolean
v2_saved (gpointer data)
{
  Fixture *f = data;
  g_autofree char *protocol = setting_of (f->db_path, "protocol");

  return g_strcmp0 (protocol, "v2") == 0 &&
         pd_service_is_set_up (pd_application_get_service (f->app));
}

/* A new site on REST API v2: a token instead of the key and signature
 * type, its own addresses for the cabinet, no API user for checking; the
 * check saves the protocol and puts the token in the keyring. */
static void
test_protocol_v2 (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *next = child (f, GTK_TYPE_BUTTON, "next_button");
  GtkWidget *token_row = child (f, GTK_TYPE_EDITABLE, "token_row");
  AdwComboRow *mode_row = ADW_COMBO_ROW (child (f, ADW_TYPE_COMBO_ROW, "sync_mode_row"));
  g_autofree char *port_text = g_strdup_printf ("%u", pd_ui_test_free_port ());
  g_autofree char *token = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(GError) error = NULL;

  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "site");
  /* Classic, as before there was a choice. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (f, ADW_TYPE_COMBO_ROW, "protocol_row"))),
                    ==, PD_PROTOCOL_CLASSIC);
  g_assert_true (row_visible (f, "secret_row"));
  g_assert_true (row_visible (f, "hash_row"));
  g_assert_false (row_visible (f, "token_row"));
  set_text (f, "merchant_id_row", "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6");
  set_text (f, "secret_row", "a secret");
  g_assert_true (gtk_widget_is_sensitive (next));

  /* v2 signs nothing: the token takes the key's place, and is required. */
  choose_protocol (f, PD_PROTOCOL_V2);
  g_assert_false (row_visible (f, "secret_row"));
  g_assert_false (row_visible (f, "hash_row"));
  g_assert_true (row_visible (f, "token_row"));
  g_assert_true (label_shows (f, "token_error_label"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (child (f, GTK_TYPE_LABEL, "token_error_label"))),
                            "Enter the API token"));
  g_assert_true (gtk_widget_has_css_class (token_row, "error"));
  g_assert_false (gtk_widget_is_sensitive (next));
  screenshot (f, "2-site-v2-empty");

  set_text (f, "token_row", "two words");
  g_assert_true (label_shows (f, "token_error_label"));
  g_assert_false (gtk_widget_is_sensitive (next));
  /* Pasted with a line break: still the token. */
  set_text (f, "token_row", "v2-token=\n");
  g_assert_false (label_shows (f, "token_error_label"));
  g_assert_false (gtk_widget_has_css_class (token_row, "error"));
  g_assert_true (gtk_widget_is_sensitive (next));
  screenshot (f, "2-site-v2");

  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "address");
  set_text (f, "port_row", port_text);
  set_text (f, "public_url_row", "https://pay.example.com/");
  assert_cabinet_urls (f, PD_PROTOCOL_V2, "https://pay.example.com");
  {
    /* Their Copy buttons copy them. */
    GtkWidget *row = child (f, ADW_TYPE_ACTION_ROW, "callback_url_row");
    g_auto(GValue) copied = G_VALUE_INIT;

    g_signal_emit_by_name (pd_ui_test_find_widget (row, GTK_TYPE_BUTTON, NULL), "clicked");
    g_value_init (&copied, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (gtk_widget_get_clipboard (row)),
                                                   &copied, NULL));
    g_assert_cmpstr (g_value_get_string (&copied), ==, "https://pay.example.com/paymaster/callback");
  }
  /* Checking asks PayMaster with the token: no API user. */
  adw_combo_row_set_selected (mode_row, 1);
  g_assert_false (row_visible (f, "api_login_row"));
  g_assert_false (row_visible (f, "api_password_row"));
  g_assert_false (label_shows (f, "sync_error_label"));
  g_assert_true (gtk_widget_is_sensitive (next));
  screenshot (f, "3-address-v2");

  /* Back to classic: its four addresses and its API user. */
  press (f, "back_button");
  choose_protocol (f, PD_PROTOCOL_CLASSIC);
  press (f, "next_button");
  assert_cabinet_urls (f, PD_PROTOCOL_CLASSIC, "https://pay.example.com");
  g_assert_true (row_visible (f, "api_login_row"));
  g_assert_false (gtk_widget_is_sensitive (next));
  adw_combo_row_set_selected (mode_row, 0);

  press (f, "back_button");
  choose_protocol (f, PD_PROTOCOL_V2);
  press (f, "next_button");
  g_assert_false (pd_service_is_set_up (pd_application_get_service (f->app)));
  press (f, "next_button");
  g_assert_cmpstr (visible_page (f), ==, "check");

  g_assert_true (pd_ui_test_wait_until (v2_saved, f, 10000));
  g_assert_cmpint (pd_service_get_shop (pd_application_get_service (f->app))->protocol, ==, PD_PROTOCOL_V2);
  /* REST API v2 asks nothing first, and PayMaster confirms its callbacks. */
  g_assert_true (g_str_has_prefix (row_subtitle (f, "prerequest_row"), "Not used: with REST API v2"));
  g_assert_cmpstr (row_title (f, "signature_row"), ==, "PayMaster Confirmed the Payment");
  token = pd_secrets_lookup (PD_SECRET_API_TOKEN, "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "v2-token=");
  /* The listener still needs a key; the one made up is not what was typed
   * before choosing v2. */
  secret = pd_secrets_lookup_key ("ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, !=, "a secret");
}

/* Run again over a site on REST API v2: an empty token keeps the stored
 * one for the same site only, and going back to classic needs the key. */
static void
test_run_again_v2 (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *next = child (f, GTK_TYPE_BUTTON, "next_button");

  press (f, "next_button");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (f, ADW_TYPE_COMBO_ROW, "protocol_row"))),
                    ==, PD_PROTOCOL_V2);
  g_assert_true (row_visible (f, "token_row"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, GTK_TYPE_EDITABLE, "token_row"))), ==, "");
  g_assert_false (label_shows (f, "token_error_label"));
  g_assert_true (label_shows (f, "secret_hint_label"));
  g_assert_true (gtk_widget_is_sensitive (next));
  screenshot (f, "2-site-v2-run-again");

  set_text (f, "merchant_id_row", "00000000-0000-4000-8000-000000000002");
  g_assert_true (label_shows (f, "token_error_label"));
  g_assert_false (gtk_widget_is_sensitive (next));
  set_text (f, "merchant_id_row", "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6");
  g_assert_true (gtk_widget_is_sensitive (next));

  /* The key Paydesk has for a v2 site may be one it made up. */
  choose_protocol (f, PD_PROTOCOL_CLASSIC);
  g_assert_false (label_shows (f, "token_error_label"));
  g_assert_false (gtk_widget_is_sensitive (next));
  set_text (f, "secret_row", "the real key");
  g_assert_true (gtk_widget_is_sensitive (next));

  press (f, "next_button");
  assert_cabinet_urls (f, PD_PROTOCOL_CLASSIC, "https://pay.example.com/shop");
  press (f, "back_button");
  choose_protocol (f, PD_PROTOCOL_V2);
  press (f, "next_button");
  assert_cabinet_urls (f, PD_PROTOCOL_V2, "https://pay.example.com/shop");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  pd_ui_test_init (&argc, &argv);

  notifications = pd_ui_test_start_notification_bus ();

  g_test_add ("/ui/wizard/sandbox-end-to-end", Fixture, NULL,
              fixture_set_up, test_sandbox_end_to_end, fixture_tear_down);
  g_test_add ("/ui/wizard/invalid-identifier", Fixture, NULL,
              fixture_set_up, test_invalid_identifier, fixture_tear_down);
  g_test_add ("/ui/wizard/port-in-use", Fixture, NULL,
              fixture_set_up, test_port_in_use, fixture_tear_down);
  g_test_add ("/ui/wizard/wrong-signature", Fixture, NULL,
              fixture_set_up, test_wrong_signature, fixture_tear_down);
  g_test_add ("/ui/wizard/no-request", Fixture, NULL,
              fixture_set_up, test_no_request, fixture_tear_down);
  g_test_add ("/ui/wizard/run-again", Fixture, NULL,
              fixture_set_up_configured, test_run_again, fixture_tear_down);
  g_test_add ("/ui/wizard/run-again-sandbox", Fixture, GINT_TO_POINTER (CONFIGURED_SANDBOX),
              fixture_set_up_configured, test_run_again_sandbox, fixture_tear_down);
  g_test_add ("/ui/wizard/checking", Fixture, NULL,
              fixture_set_up_configured, test_checking, fixture_tear_down);
  g_test_add ("/ui/wizard/protocol-v2", Fixture, NULL,
              fixture_set_up, test_protocol_v2, fixture_tear_down);
  g_test_add ("/ui/wizard/run-again-v2", Fixture, GINT_TO_POINTER (CONFIGURED_V2),
              fixture_set_up_configured, test_run_again_v2, fixture_tear_down);
  g_test_add ("/ui/wizard/narrow", Fixture, NULL,
              fixture_set_up, test_narrow, fixture_tear_down);

  status = g_test_run ();
  /* Each test finalized its application (see fixture_tear_down()). */
  pd_ui_test_stop_notification_bus (notifications, TRUE);
  return status;
}
