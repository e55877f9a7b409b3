/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-catalog.h"
#include "pd-preferences-window.h"
#include "pd-receipt-group.h"
#include "pd-secrets.h"
#include "pd-ui-test.h"
#include "pd-window.h"

/* Preferences for a shop that is already set up: moving the listener to
 * another port, refusing bad input inline, and a port that is taken. */

#define SECRET "tea-shop-secret"
#define MERCHANT_ID "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define WAIT_MS 20000

typedef struct
{
  char          *db_path;
  PdApplication *app;
  PdService     *service;
  GtkWindow     *main_window;
  GtkWindow     *prefs;
  guint16        port;
} Fixture;

static GtkWidget *
find (Fixture    *fixture,
      GType       type,
      const char *name)
{
  return pd_ui_test_get_widget (GTK_WIDGET (fixture->prefs), type, name);
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

static char *
read_setting (Fixture    *fixture,
              const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_ONLY, &error);
  char *value;

  g_assert_no_error (error);
  value = pd_catalog_get_setting (db, key, &error);
  g_assert_no_error (error);
  return value;
}

static void
assert_setting (Fixture    *fixture,
                const char *key,
                const char *expected)
{
  g_autofree char *value = read_setting (fixture, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(GError) error = NULL;

  fixture->db_path = pd_ui_test_sandbox_database (SECRET, &fixture->port, NULL);

  /* Chosen earlier; nothing here may lose it. */
  db = pd_database_open (fixture->db_path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_true (pd_catalog_set_setting (db, "autostart", "true", &error));
  g_assert_no_error (error);
  g_clear_pointer (&db, pd_database_close);

  fixture->app = pd_ui_test_application_new (fixture->db_path);
  g_application_activate (G_APPLICATION (fixture->app));
  fixture->service = pd_application_get_service (fixture->app);
  g_assert_true (pd_ui_test_wait_listening (fixture->app, WAIT_MS));

  fixture->main_window = GTK_WINDOW (pd_ui_test_find_main_window (fixture->app));
  g_assert_nonnull (fixture->main_window);

  /* As the menu's Preferences item (Ctrl+comma) does. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  fixture->prefs = pd_ui_test_find_toplevel (PD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (fixture->prefs);
  g_object_add_weak_pointer (G_OBJECT (fixture->prefs), (gpointer *) &fixture->prefs);
  gtk_window_set_default_size (fixture->prefs, 640, 1500);

  /* The start-at-login choice is read from the database. */
  g_assert_true (pd_ui_test_wait_until (widget_sensitive, find (fixture, GTK_TYPE_SWITCH, "autostart_switch"),
                                        WAIT_MS));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find (fixture, GTK_TYPE_SWITCH, "autostart_switch"))));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->prefs != NULL)
    gtk_window_destroy (fixture->prefs);
  pd_service_stop (fixture->service);
  gtk_window_close (fixture->main_window);
  pd_ui_test_iterate (50);
  g_clear_object (&fixture->app);
  g_free (fixture->db_path);
}

static gboolean
saved (gpointer data)
{
  Fixture *fixture = data;
  const char *text = gtk_label_get_label (GTK_LABEL (find (fixture, GTK_TYPE_LABEL, "state_label")));

  return !g_str_equal (text, "Saving…");
}

static void
click_save (Fixture *fixture)
{
  GtkWidget *save = find (fixture, GTK_TYPE_BUTTON, "save_button");

  g_assert_true (gtk_widget_is_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  g_assert_false (gtk_widget_is_sensitive (save));
  g_assert_true (pd_ui_test_wait_until (saved, fixture, WAIT_MS));
}

static void
test_change_port (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *save = find (fixture, GTK_TYPE_BUTTON, "save_button");
  GtkWidget *public_url = find (fixture, ADW_TYPE_ENTRY_ROW, "public_url_row");
  guint16 new_port = pd_ui_test_free_port ();
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", new_port);
  g_autofree char *public = g_strdup_printf ("http://127.0.0.1:%u", new_port);
  g_autofree char *sandbox = g_strdup_printf ("http://127.0.0.1:%u/sandbox", new_port);
  g_autofree char *notify = g_strdup_printf ("http://127.0.0.1:%u/paymaster/notify", new_port);
  g_autofree char *listening = g_strdup_printf ("Listening on http://127.0.0.1:%u", new_port);

  /* Nothing changed yet, nothing to save. */
  g_assert_false (gtk_widget_is_sensitive (save));
  pd_ui_test_review_screenshot (GTK_WIDGET (fixture->prefs), "preferences.png", WAIT_MS);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (fixture, GTK_TYPE_SPIN_BUTTON, "port_spin")), new_port);
  /* The local public address follows the port. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (public_url)), ==, public);
  click_save (fixture);

  g_assert_cmpint (pd_service_get_state (fixture->service), ==, PD_SERVICE_LISTENING);
  g_assert_nonnull (strstr (pd_service_get_state_text (fixture->service), listening));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find (fixture, GTK_TYPE_LABEL, "state_label"))),
                            listening));
  g_assert_false (gtk_widget_is_sensitive (save));

  assert_setting (fixture, "listen", listen);
  assert_setting (fixture, "public_url", public);
  assert_setting (fixture, "paymaster_url", sandbox);
  assert_setting (fixture, "merchant_id", MERCHANT_ID);
  assert_setting (fixture, "autostart", "true");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find (fixture, ADW_TYPE_ACTION_ROW,
                                                                      "notification_url_row"))),
                   ==, notify);

  gtk_window_set_default_size (fixture->prefs, 360, 1900);
  pd_ui_test_review_screenshot (GTK_WIDGET (fixture->prefs), "preferences-narrow.png", WAIT_MS);
}

static void
test_invalid_input (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *save = find (fixture, GTK_TYPE_BUTTON, "save_button");
  GtkWidget *merchant_id = find (fixture, ADW_TYPE_ENTRY_ROW, "merchant_id_row");
  GtkWidget *merchant_id_error = find (fixture, ADW_TYPE_PREFERENCES_ROW, "merchant_id_error_row");
  GtkWidget *secret = find (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "secret_row");
  GtkWidget *secret_error = find (fixture, ADW_TYPE_PREFERENCES_ROW, "secret_error_row");
  GtkWidget *public_url = find (fixture, ADW_TYPE_ENTRY_ROW, "public_url_row");
  GtkWidget *public_url_error = find (fixture, ADW_TYPE_PREFERENCES_ROW, "public_url_error_row");

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (fixture, GTK_TYPE_SPIN_BUTTON, "port_spin")),
                             pd_ui_test_free_port ());
  g_assert_true (gtk_widget_is_sensitive (save));

  /* A mistyped identifier: said under the row, and nothing to save. */
  g_assert_false (gtk_widget_get_visible (merchant_id_error));
  gtk_editable_set_text (GTK_EDITABLE (merchant_id), "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a");
  g_assert_true (gtk_widget_get_visible (merchant_id_error));
  g_assert_true (gtk_widget_has_css_class (merchant_id, "error"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find (fixture, GTK_TYPE_LABEL, "merchant_id_error"))),
                            "PayMaster cabinet"));
  g_assert_false (gtk_widget_is_sensitive (save));
  /* Enter does not save it either. */
  g_signal_emit_by_name (merchant_id, "entry-activated");
  pd_ui_test_iterate (100);
  assert_setting (fixture, "merchant_id", MERCHANT_ID);
  pd_ui_test_review_screenshot (GTK_WIDGET (fixture->prefs), "preferences-invalid.png", WAIT_MS);

  /* Another site's identifier needs that site's key. */
  gtk_editable_set_text (GTK_EDITABLE (merchant_id), "2902FB4A-D618-4B6B-AADE-793B95E10C59");
  g_assert_false (gtk_widget_get_visible (merchant_id_error));
  g_assert_false (gtk_widget_has_css_class (merchant_id, "error"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "mode_row")), 0);
  g_assert_true (gtk_widget_get_visible (secret_error));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (secret), " new-key");
  g_assert_true (gtk_widget_get_visible (secret_error));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find (fixture, GTK_TYPE_LABEL, "secret_error"))),
                            "space"));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (secret), "new-key");
  g_assert_false (gtk_widget_get_visible (secret_error));
  g_assert_true (gtk_widget_is_sensitive (save));

  /* PayMaster calls http or https, nothing else. */
  gtk_editable_set_text (GTK_EDITABLE (public_url), "ftp://shop.example.ru");
  g_assert_true (gtk_widget_get_visible (public_url_error));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (public_url), "https://shop.example.ru/paydesk/");
  g_assert_false (gtk_widget_get_visible (public_url_error));
  g_assert_true (gtk_widget_is_sensitive (save));

  /* None of it was stored. */
  assert_setting (fixture, "merchant_id", MERCHANT_ID);
  assert_setting (fixture, "mode", "sandbox");
}

/* PayMaster's own address belongs to a real site; the sandbox has its own. */
static void
test_paymaster_address (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *save = find (fixture, GTK_TYPE_BUTTON, "save_button");
  GtkWidget *address = find (fixture, ADW_TYPE_ENTRY_ROW, "paymaster_url_row");
  GtkWidget *address_error = find (fixture, ADW_TYPE_PREFERENCES_ROW, "paymaster_url_error_row");

  g_assert_false (gtk_widget_get_visible (address));

  adw_combo_row_set_selected (ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "mode_row")), 0);
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "secret_row")), "real-key");
  g_assert_true (gtk_widget_get_visible (address));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (address)), ==, PD_DEFAULT_PAYMASTER_URL);

  gtk_editable_set_text (GTK_EDITABLE (address), "paymaster.ru");
  g_assert_true (gtk_widget_get_visible (address_error));
  g_assert_false (gtk_widget_is_sensitive (save));

  gtk_editable_set_text (GTK_EDITABLE (address), " https://pm.example.ru/ ");
  g_assert_false (gtk_widget_get_visible (address_error));
  click_save (fixture);
  assert_setting (fixture, "mode", "test");
  assert_setting (fixture, "paymaster_url", "https://pm.example.ru");
}

static void
test_port_in_use (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSocket) taken = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                           G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *secret = NULL;
  GtkWidget *state_label = find (fixture, GTK_TYPE_LABEL, "state_label");
  GtkWidget *port_spin = find (fixture, GTK_TYPE_SPIN_BUTTON, "port_spin");
  guint16 busy, free_port;

  g_assert_true (g_socket_bind (taken, any_port, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_listen (taken, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (taken, &error);
  busy = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  listen = g_strdup_printf ("127.0.0.1:%u", busy);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (port_spin), busy);
  click_save (fixture);

  /* Said in words, where the merchant is looking. */
  g_assert_cmpint (pd_service_get_state (fixture->service), ==, PD_SERVICE_FAILED);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (state_label)), "in use"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (state_label)), listen));
  g_assert_true (gtk_widget_has_css_class (state_label, "error"));
  pd_ui_test_review_screenshot (GTK_WIDGET (fixture->prefs), "preferences-port-in-use.png", WAIT_MS);

  /* What was saved is saved; everything else is as it was. */
  assert_setting (fixture, "listen", listen);
  assert_setting (fixture, "merchant_id", MERCHANT_ID);
  assert_setting (fixture, "hash_alg", "sha256");
  assert_setting (fixture, "mode", "sandbox");
  assert_setting (fixture, "autostart", "true");
  secret = pd_secrets_lookup_key (MERCHANT_ID, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, SECRET);

  /* Another port, and Paydesk listens again. */
  free_port = pd_ui_test_free_port ();
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (port_spin), free_port);
  click_save (fixture);
  g_assert_cmpint (pd_service_get_state (fixture->service), ==, PD_SERVICE_LISTENING);
  g_assert_false (gtk_widget_has_css_class (state_label, "error"));
}

static gboolean
schedule_enabled (gpointer data)
{
  return pd_sync_schedule_get_enabled (data);
}

/* Checking with PayMaster: the login and the mode go to the database, the
 * password to the keyring only, and the main window shows the schedule. */
static void
test_checking (Fixture       *fixture,
               gconstpointer  data)
{
  PdSyncSchedule *schedule = pd_service_get_sync_schedule (fixture->service);
  GtkWidget *login = find (fixture, ADW_TYPE_ENTRY_ROW, "api_login_row");
  GtkWidget *password = find (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "api_password_row");
  GtkWidget *mode = find (fixture, ADW_TYPE_COMBO_ROW, "sync_mode_row");
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;

  pd_ui_test_iterate (50);
  g_assert_false (pd_sync_schedule_get_enabled (schedule));
  g_assert_false (gtk_widget_is_sensitive (find (fixture, GTK_TYPE_BUTTON, "save_button")));

  gtk_editable_set_text (GTK_EDITABLE (login), "api-user");
  gtk_editable_set_text (GTK_EDITABLE (password), "api-password");
  adw_combo_row_set_selected (ADW_COMBO_ROW (mode), 1);
  click_save (fixture);

  assert_setting (fixture, "api_login", "api-user");
  assert_setting (fixture, "sync_mode", "polling");
  assert_setting (fixture, "api_password", NULL);
  stored = pd_secrets_lookup (PD_SECRET_API_PASSWORD, MERCHANT_ID, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "api-password");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "");
  g_assert_false (gtk_widget_is_sensitive (find (fixture, GTK_TYPE_BUTTON, "save_button")));

  g_assert_true (pd_ui_test_wait_until (schedule_enabled, schedule, WAIT_MS));
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (GTK_WIDGET (fixture->main_window),
                                                                GTK_TYPE_BOX, "sync_box")));
}

/* A PayMaster site that Paydesk only checks with needs no public address;
 * one whose payments PayMaster reports does. */
static void
test_checking_no_address (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *public_url = find (fixture, ADW_TYPE_ENTRY_ROW, "public_url_row");
  GtkWidget *public_url_error = find (fixture, ADW_TYPE_PREFERENCES_ROW, "public_url_error_row");
  AdwComboRow *sync_mode = ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "sync_mode_row"));
  GtkWidget *save = find (fixture, GTK_TYPE_BUTTON, "save_button");

  adw_combo_row_set_selected (ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "mode_row")), 0);
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "secret_row")), "site-key");
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, ADW_TYPE_ENTRY_ROW, "api_login_row")), "api-user");
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "api_password_row")),
                         "api-password");
  adw_combo_row_set_selected (sync_mode, 0);
  gtk_editable_set_text (GTK_EDITABLE (public_url), " ");
  g_assert_true (gtk_widget_get_visible (public_url_error));
  g_assert_false (gtk_widget_is_sensitive (save));

  adw_combo_row_set_selected (sync_mode, 1);
  g_assert_false (gtk_widget_get_visible (public_url_error));
  click_save (fixture);
  assert_setting (fixture, "mode", "test");
  assert_setting (fixture, "sync_mode", "polling");
  assert_setting (fixture, "public_url", "");
  g_assert_false (gtk_widget_get_visible (find (fixture, ADW_TYPE_PREFERENCES_GROUP, "cabinet_group")));
}

static char *
keyring_lookup (PdSecretKind kind)
{
  g_autoptr(GError) error = NULL;
  char *secret = pd_secrets_lookup (kind, MERCHANT_ID, NULL, &error);

  g_assert_no_error (error);
  return secret;
}

static void
assert_keyring (PdSecretKind  kind,
                const char   *expected)
{
  g_autofree char *secret = keyring_lookup (kind);

  g_assert_cmpstr (secret, ==, expected);
}

static gboolean
shown (Fixture    *fixture,
       const char *name)
{
  return gtk_widget_get_visible (find (fixture, GTK_TYPE_WIDGET, name));
}

/* The cabinet's addresses follow the saved protocol. */
static void
assert_cabinet_rows (Fixture  *fixture,
                     gboolean  v2)
{
  static const char * const classic_rows[] = {
    "confirmation_url_row", "notification_url_row", "success_url_row", "failure_url_row",
  };

  for (guint i = 0; i < G_N_ELEMENTS (classic_rows); i++)
    g_assert_true (shown (fixture, classic_rows[i]) == !v2);
  g_assert_true (shown (fixture, "callback_url_row") == v2);
  g_assert_true (shown (fixture, "return_url_row") == v2);
}

/* The protocol: REST API v2 needs a token in place of the key, which an
 * empty entry then keeps; going back to classic needs the key again. */
static void
test_protocol (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *save = find (fixture, GTK_TYPE_BUTTON, "save_button");
  AdwComboRow *protocol = ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "protocol_row"));
  AdwComboRow *mode = ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "mode_row"));
  GtkWidget *token = find (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "token_row");
  GtkWidget *token_error = find (fixture, ADW_TYPE_PREFERENCES_ROW, "token_error_row");
  GtkWidget *secret = find (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "secret_row");
  GtkWidget *secret_error = find (fixture, ADW_TYPE_PREFERENCES_ROW, "secret_error_row");
  g_autofree char *callback = NULL;
  g_autofree char *key = NULL;

  g_assert_cmpuint (adw_combo_row_get_selected (protocol), ==, PD_PROTOCOL_CLASSIC);
  g_assert_false (shown (fixture, "token_row"));
  assert_cabinet_rows (fixture, FALSE);

  /* A PayMaster site in test mode on v2: no key, no signature type, no
   * API user; the token is required. */
  adw_combo_row_set_selected (mode, 0);
  adw_combo_row_set_selected (protocol, PD_PROTOCOL_V2);
  g_assert_false (shown (fixture, "secret_row"));
  g_assert_false (shown (fixture, "hash_row"));
  g_assert_false (shown (fixture, "api_login_row"));
  g_assert_false (shown (fixture, "api_password_row"));
  g_assert_true (gtk_widget_get_visible (token));
  g_assert_true (gtk_widget_get_visible (token_error));
  g_assert_true (gtk_widget_has_css_class (token, "error"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find (fixture, GTK_TYPE_LABEL, "token_error"))),
                            "Enter the API token"));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (token), "a token");
  g_assert_true (gtk_widget_get_visible (token_error));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (token), "first-token");
  g_assert_false (gtk_widget_get_visible (token_error));
  pd_ui_test_review_screenshot (GTK_WIDGET (fixture->prefs), "preferences-v2.png", WAIT_MS);
  click_save (fixture);

  assert_setting (fixture, "protocol", "v2");
  assert_setting (fixture, "mode", "test");
  assert_keyring (PD_SECRET_API_TOKEN, "first-token");
  /* The same site keeps its key. */
  assert_keyring (PD_SECRET_KEY, SECRET);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (token)), ==, "");
  g_assert_false (gtk_widget_get_visible (token_error));
  g_assert_false (gtk_widget_is_sensitive (save));
  assert_cabinet_rows (fixture, TRUE);
  callback = g_strdup_printf ("http://127.0.0.1:%u/paymaster/callback", fixture->port);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find (fixture, ADW_TYPE_ACTION_ROW,
                                                                      "callback_url_row"))),
                   ==, callback);

  /* An empty token keeps the stored one; a new one replaces it. */
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, ADW_TYPE_ENTRY_ROW, "public_url_row")),
                         "https://shop.example.ru");
  click_save (fixture);
  assert_setting (fixture, "public_url", "https://shop.example.ru");
  assert_keyring (PD_SECRET_API_TOKEN, "first-token");
  gtk_editable_set_text (GTK_EDITABLE (token), "second-token");
  click_save (fixture);
  assert_keyring (PD_SECRET_API_TOKEN, "second-token");

  /* Another site on v2 needs its own token. */
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, ADW_TYPE_ENTRY_ROW, "merchant_id_row")),
                         "2902fb4a-d618-4b6b-aade-793b95e10c59");
  g_assert_true (gtk_widget_get_visible (token_error));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, ADW_TYPE_ENTRY_ROW, "merchant_id_row")), MERCHANT_ID);
  g_assert_false (gtk_widget_get_visible (token_error));

  /* Back to classic: the key again, since a v2 site's may be made up. */
  adw_combo_row_set_selected (protocol, PD_PROTOCOL_CLASSIC);
  g_assert_false (gtk_widget_get_visible (token));
  g_assert_true (gtk_widget_get_visible (secret_error));
  g_assert_false (gtk_widget_is_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (secret), "the-classic-key");
  g_assert_false (gtk_widget_get_visible (secret_error));
  click_save (fixture);
  assert_setting (fixture, "protocol", "classic");
  assert_keyring (PD_SECRET_KEY, "the-classic-key");
  assert_cabinet_rows (fixture, FALSE);

  /* The sandbox on v2 has a token of its own. */
  adw_combo_row_set_selected (mode, 2);
  adw_combo_row_set_selected (protocol, PD_PROTOCOL_V2);
  g_assert_false (gtk_widget_get_visible (token));
  g_assert_false (gtk_widget_get_visible (token_error));
  click_save (fixture);
  assert_setting (fixture, "protocol", "v2");
  assert_keyring (PD_SECRET_API_TOKEN, PD_SANDBOX_API_TOKEN);
  /* The same site keeps its key on v2. */
  key = keyring_lookup (PD_SECRET_KEY);
  g_assert_cmpstr (key, ==, "the-classic-key");
}

static void
test_autostart (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *autostart = find (fixture, GTK_TYPE_SWITCH, "autostart_switch");

  /* Applies at once, like any switch, and is remembered. */
  gtk_switch_set_active (GTK_SWITCH (autostart), FALSE);
  g_assert_true (pd_ui_test_wait_until (widget_sensitive, autostart, WAIT_MS));
  assert_setting (fixture, "autostart", "false");
  gtk_switch_set_active (GTK_SWITCH (autostart), TRUE);
  g_assert_true (pd_ui_test_wait_until (widget_sensitive, autostart, WAIT_MS));
  assert_setting (fixture, "autostart", "true");
}

static gboolean
prefs_gone (gpointer data)
{
  Fixture *fixture = data;

  return fixture->prefs == NULL || !gtk_widget_get_visible (GTK_WIDGET (fixture->prefs));
}

typedef struct
{
  Fixture    *fixture;
  const char *key;
  const char *value;
} SettingWanted;

static gboolean
setting_is (gpointer data)
{
  SettingWanted *wanted = data;
  g_autofree char *value = read_setting (wanted->fixture, wanted->key);

  return g_strcmp0 (value, wanted->value) == 0;
}

static void
wait_for_setting (Fixture    *fixture,
                  const char *key,
                  const char *value)
{
  SettingWanted wanted = { fixture, key, value };

  if (!pd_ui_test_wait_until (setting_is, &wanted, WAIT_MS))
    {
      g_autofree char *stored = read_setting (fixture, key);

      g_error ("%s is “%s”, not “%s”", key, stored, value);
    }
}

/* The receipt defaults apply at once, like a switch, and leave nothing
 * unsaved behind. */
static void
test_receipt_defaults (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *prefs = GTK_WIDGET (fixture->prefs);
  g_autoptr(GPtrArray) products = NULL;
  PdProduct *product;

  g_assert_cmpstr (pd_ui_test_combo_text (prefs, "vat_row"), ==, "No VAT");
  g_assert_cmpstr (pd_ui_test_combo_text (prefs, "subject_row"), ==, "Goods");
  g_assert_cmpstr (pd_ui_test_combo_text (prefs, "method_row"), ==, "Full payment");

  pd_ui_test_combo_choose (prefs, "vat_row", "VAT 10/110");
  wait_for_setting (fixture, "receipt_vat", "vat110");
  pd_ui_test_combo_choose (prefs, "subject_row", "Work");
  wait_for_setting (fixture, "receipt_subject", "3");
  pd_ui_test_combo_choose (prefs, "method_row", "Partial prepayment");
  wait_for_setting (fixture, "receipt_method", "2");
  g_assert_false (gtk_widget_get_sensitive (find (fixture, GTK_TYPE_BUTTON, "save_button")));

  /* Closing asks nothing; opening again shows what was chosen. */
  gtk_widget_activate_action (prefs, "window.close", NULL);
  g_assert_true (pd_ui_test_wait_until (prefs_gone, fixture, WAIT_MS));
  g_assert_null (pd_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  /* The closed window may linger a while: it must not clear the new one. */
  if (fixture->prefs != NULL)
    g_object_remove_weak_pointer (G_OBJECT (fixture->prefs), (gpointer *) &fixture->prefs);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  fixture->prefs = pd_ui_test_find_toplevel (PD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (fixture->prefs);
  g_object_add_weak_pointer (G_OBJECT (fixture->prefs), (gpointer *) &fixture->prefs);
  prefs = GTK_WIDGET (fixture->prefs);
  g_assert_true (pd_ui_test_wait_combo (prefs, "vat_row", "VAT 10/110", WAIT_MS));
  g_assert_cmpstr (pd_ui_test_combo_text (prefs, "subject_row"), ==, "Work");
  g_assert_cmpstr (pd_ui_test_combo_text (prefs, "method_row"), ==, "Partial prepayment");
  pd_ui_test_review_screenshot (find (fixture, PD_TYPE_RECEIPT_GROUP, "receipt_group"),
                                "preferences-receipts.png", WAIT_MS);

  /* A product added without saying otherwise takes them. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_WRITE, &error);

    g_assert_true (pd_catalog_add_product (db, "Ремонт", 300000, NULL, NULL, &error));
    g_assert_no_error (error);
    products = pd_catalog_list_products (db, TRUE, &error);
    g_assert_no_error (error);
  }
  product = products->pdata[products->len - 1];
  g_assert_cmpstr (product->vat, ==, "vat110");
  g_assert_cmpuint (product->subject, ==, 3);
  g_assert_cmpuint (product->method, ==, 2);
}

static void
test_unsaved_changes (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *port_spin = find (fixture, GTK_TYPE_SPIN_BUTTON, "port_spin");
  g_autofree char *listen = read_setting (fixture, "listen");
  AdwMessageDialog *dialog;

  /* Nothing changed: Escape just closes. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->prefs), "window.close", NULL);
  g_assert_true (pd_ui_test_wait_until (prefs_gone, fixture, WAIT_MS));
  g_assert_null (pd_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  fixture->prefs = pd_ui_test_find_toplevel (PD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (fixture->prefs);
  g_object_add_weak_pointer (G_OBJECT (fixture->prefs), (gpointer *) &fixture->prefs);
  port_spin = find (fixture, GTK_TYPE_SPIN_BUTTON, "port_spin");

  /* A change is not dropped silently. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (port_spin), pd_ui_test_free_port ());
  gtk_widget_activate_action (GTK_WIDGET (fixture->prefs), "window.close", NULL);
  pd_ui_test_iterate (100);
  dialog = ADW_MESSAGE_DIALOG (pd_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->prefs)));

  adw_message_dialog_response (dialog, "cancel");
  pd_ui_test_iterate (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->prefs)));

  gtk_widget_activate_action (GTK_WIDGET (fixture->prefs), "window.close", NULL);
  pd_ui_test_iterate (100);
  dialog = ADW_MESSAGE_DIALOG (pd_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  g_assert_true (pd_ui_test_wait_until (prefs_gone, fixture, WAIT_MS));
  assert_setting (fixture, "listen", listen);
}

int
main (int    argc,
      char **argv)
{
  pd_ui_test_init (&argc, &argv);

  g_test_add ("/ui/preferences/change-port", Fixture, NULL, fixture_set_up, test_change_port, fixture_tear_down);
  g_test_add ("/ui/preferences/invalid-input", Fixture, NULL, fixture_set_up, test_invalid_input, fixture_tear_down);
  g_test_add ("/ui/preferences/port-in-use", Fixture, NULL, fixture_set_up, test_port_in_use, fixture_tear_down);
  g_test_add ("/ui/preferences/paymaster-address", Fixture, NULL, fixture_set_up, test_paymaster_address,
              fixture_tear_down);
  g_test_add ("/ui/preferences/checking", Fixture, NULL, fixture_set_up, test_checking, fixture_tear_down);
  g_test_add ("/ui/preferences/checking-no-address", Fixture, NULL, fixture_set_up, test_checking_no_address,
              fixture_tear_down);
  g_test_add ("/ui/preferences/protocol", Fixture, NULL, fixture_set_up, test_protocol, fixture_tear_down);
  g_test_add ("/ui/preferences/autostart", Fixture, NULL, fixture_set_up, test_autostart, fixture_tear_down);
  g_test_add ("/ui/preferences/unsaved-changes", Fixture, NULL, fixture_set_up, test_unsaved_changes,
              fixture_tear_down);
  g_test_add ("/ui/preferences/receipt-defaults", Fixture, NULL, fixture_set_up, test_receipt_defaults,
              fixture_tear_down);

  return g_test_run ();
}
