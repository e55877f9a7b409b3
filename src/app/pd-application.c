/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-application.h"
#include "pd-catalog.h"
#include "pd-invoice-item.h"
#include "pd-money.h"
#include "pd-preferences-window.h"
#include "pd-window.h"
#include "pd-wizard.h"

struct _PdApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  gboolean        start_in_background;
  PdService      *service;
  gboolean        held;
  GHashTable     *notified_payments;   /* invoice ids already announced */
};

G_DEFINE_FINAL_TYPE (PdApplication, pd_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PdApplication *
pd_application_new (void)
{
  return g_object_new (PD_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/paydesk/Paydesk",
                       NULL);
}

PdService *
pd_application_get_service (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);
  return self->service;
}

static PdWindow *
find_main_window (PdApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (PD_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
service_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A failure is shown by the window from the service's state. */
  if (!pd_service_start_finish (PD_SERVICE (object), result, &error))
    g_message ("The listener did not start: %s", error->message);
}

static void
background_started_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  PdApplication *self = user_data;

  /* Listening holds the application from here on (service_state_cb). */
  service_started_cb (object, result, g_object_ref (self));
  g_application_release (G_APPLICATION (self));
  g_object_unref (self);
}

static void
service_state_cb (PdService     *service,
                  GParamSpec    *pspec,
                  PdApplication *self)
{
  /* While listening, closing the window must not stop Paydesk: PayMaster
   * may call at any time. The Quit action releases this. */
  if (pd_service_get_state (service) == PD_SERVICE_LISTENING && !self->held)
    {
      self->held = TRUE;
      g_application_hold (G_APPLICATION (self));
    }
}

GtkWindow *
pd_application_show_main_window (PdApplication *self)
{
  PdWindow *window = find_main_window (self);

  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);

  if (window == NULL)
    window = pd_window_new (self);
  gtk_window_present (GTK_WINDOW (window));

  if (pd_service_get_state (self->service) != PD_SERVICE_LISTENING)
    pd_service_start_async (self->service, NULL, service_started_cb, g_object_ref (self));

  return GTK_WINDOW (window);
}

GtkWindow *
pd_application_run_wizard (PdApplication *self)
{
  GtkWindow *wizard;

  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (PD_IS_WIZARD (l->data))
        {
          gtk_window_present (l->data);
          return l->data;
        }
    }

  wizard = GTK_WINDOW (pd_wizard_new (self));
  gtk_window_set_transient_for (wizard, GTK_WINDOW (find_main_window (self)));
  gtk_window_present (wizard);
  return wizard;
}

static void
show_fatal_error (PdApplication *self,
                  const GError  *error)
{
  GtkWidget *dialog = adw_message_dialog_new (NULL, _("Paydesk cannot open its database"),
                                              error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
invoice_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PdApplication) self = user_data;
  g_autoptr(PdInvoice) invoice = pd_store_read_finish (PD_STORE (object), result, NULL);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  PdWindow *window;

  if (invoice == NULL || invoice->status != PD_INVOICE_PAID ||
      !g_hash_table_add (self->notified_payments, g_memdup2 (&invoice->id, sizeof invoice->id)))
    return;

  amount = pd_money_format_display (invoice->amount, invoice->currency);
  /* Translators: a desktop notification, e.g. "Paid: 50.00 ₽, invoice 12" */
  title = g_strdup_printf (_("Paid: %s, invoice %s"), amount, invoice->number);
  id = g_strdup_printf ("payment-%s", invoice->number);

  notification = g_notification_new (title);
  g_notification_set_body (notification, invoice->description);
  g_notification_set_default_action (notification, "app.show-window");
  /* Without a session bus (a bare X session, the UI tests) there is no
   * notification daemon to talk to; the toast still tells the user. */
  if (g_application_get_dbus_connection (G_APPLICATION (self)) != NULL)
    g_application_send_notification (G_APPLICATION (self), id, notification);

  if ((window = find_main_window (self)) != NULL)
    pd_window_show_toast (window, title);
}

/* The store says "changed"; a payment is announced once, when the invoice
 * is paid, never again for a duplicate notification. */
static void
invoice_changed_cb (PdStore       *store,
                    gint64         invoice_id,
                    const char    *number,
                    PdApplication *self)
{
  if (g_hash_table_contains (self->notified_payments, &invoice_id))
    return;
  pd_store_read_invoice_async (store, invoice_id, NULL, invoice_read_cb, g_object_ref (self));
}

static gboolean
ensure_service (PdApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (self->service != NULL)
    return TRUE;

  path = self->db_path ? g_strdup (self->db_path) : pd_database_default_path ();
  self->service = pd_service_new (path, &error);
  if (self->service == NULL)
    {
      show_fatal_error (self, error);
      return FALSE;
    }

  g_signal_connect_object (self->service, "notify::state", G_CALLBACK (service_state_cb), self, 0);
  g_signal_connect_object (pd_service_get_store (self->service), "invoice-changed",
                           G_CALLBACK (invoice_changed_cb), self, 0);
  return TRUE;
}

static void
pd_application_activate (GApplication *app)
{
  PdApplication *self = PD_APPLICATION (app);

  if (!ensure_service (self))
    return;

  if (self->start_in_background && pd_service_is_set_up (self->service))
    {
      /* Started at login: listen, and show a window only when asked. */
      self->start_in_background = FALSE;
      g_application_hold (app);
      pd_service_start_async (self->service, NULL, background_started_cb, g_object_ref (self));
      return;
    }

  if (pd_service_is_set_up (self->service))
    pd_application_show_main_window (self);
  else
    pd_application_run_wizard (self);
}

static int
pd_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  PdApplication *self = PD_APPLICATION (app);
  const char *path = NULL;

  if (g_variant_dict_lookup (options, "db", "^&ay", &path))
    {
      g_free (self->db_path);
      self->db_path = g_strdup (path);
    }
  self->start_in_background = g_variant_dict_contains (options, "background");

  return G_APPLICATION_CLASS (pd_application_parent_class)->handle_local_options (app, options);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PdApplication *self = user_data;

  if (self->held)
    {
      self->held = FALSE;
      g_application_release (G_APPLICATION (self));
    }
  if (self->service != NULL)
    pd_service_stop (self->service);
  g_application_quit (G_APPLICATION (self));
}

static void
show_window_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static void
setup_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  PdApplication *self = user_data;

  if (ensure_service (self))
    pd_application_run_wizard (self);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PdApplication *self = user_data;
  GtkWindow *window;

  if (!ensure_service (self) || !pd_service_is_set_up (self->service))
    return;
  window = GTK_WINDOW (pd_preferences_window_new (self->service));
  gtk_window_set_transient_for (window, GTK_WINDOW (find_main_window (self)));
  gtk_window_present (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  PdApplication *self = user_data;
  const char *developers[] = { _("The Paydesk developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", find_main_window (self),
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Paydesk"),
                        "developer-name", _("The Paydesk developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Take payments through PayMaster from your desktop"),
                        "website", "https://github.com/paydesk/paydesk",
                        "issue-url", "https://github.com/paydesk/paydesk/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "show-window", show_window_action },
  { "setup", setup_action },
  { "preferences", preferences_action },
  { "about", about_action },
};

static void
pd_application_startup (GApplication *app)
{
  PdApplication *self = PD_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (pd_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
}

static void
pd_application_shutdown (GApplication *app)
{
  PdApplication *self = PD_APPLICATION (app);

  if (self->service != NULL)
    pd_service_stop (self->service);
  g_clear_object (&self->service);

  G_APPLICATION_CLASS (pd_application_parent_class)->shutdown (app);
}

static void
pd_application_finalize (GObject *object)
{
  PdApplication *self = PD_APPLICATION (object);

  g_clear_object (&self->service);
  g_clear_pointer (&self->notified_payments, g_hash_table_unref);
  g_free (self->db_path);

  G_OBJECT_CLASS (pd_application_parent_class)->finalize (object);
}

static void
pd_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PdApplication *self = PD_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_free (self->db_path);
      self->db_path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_application_class_init (PdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pd_application_finalize;
  object_class->set_property = pd_application_set_property;

  /**
   * PdApplication:database:
   *
   * The database to open instead of $PAYDESK_DB or the default; --db sets it.
   */
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  app_class->activate = pd_application_activate;
  app_class->startup = pd_application_startup;
  app_class->shutdown = pd_application_shutdown;
  app_class->handle_local_options = pd_application_handle_local_options;
}

static void
pd_application_init (PdApplication *self)
{
  const GOptionEntry options[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("The Paydesk database (default: $PAYDESK_DB, then the user data folder)"), N_("PATH") },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start listening without opening a window"), NULL },
    { NULL }
  };

  self->notified_payments = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}
