/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog.h"
#include "pd-reconciler.h"
#include "pd-sync-schedule.h"

/* When the desktop app asks PayMaster about the open invoices: at start-up,
 * when the network comes back, on resume from suspend, when asked, and on
 * a slow timer while anything is open. A pass that finds nothing doubles
 * the wait, up to a quarter of an hour; a new or changed invoice brings it
 * back to the interval. Nothing open means no timer at all, so an idle
 * Paydesk never polls. */

#define MAX_DELAY_SECONDS (15 * 60)

struct _PdSyncSchedule
{
  GObject          parent_instance;

  PdStore         *store;
  PdShop          *shop;
  char            *credential;      /* the API user's password, or the v2 token */
  char            *login;
  gboolean         enabled;
  gboolean         failed;
  GError          *error;           /* of the last pass, if it failed */
  gint64           last_synced;
  char            *state_text;

  guint            interval;        /* seconds */
  guint            delay;           /* seconds until the next timed pass */
  guint            timeout_id;
  gboolean         running;
  gboolean         pending;         /* another pass was asked for during one */
  GCancellable    *cancellable;     /* the current configuration's work */
  GCancellable    *bus_cancellable;

  GNetworkMonitor *monitor;
  gboolean         network_available;
  GDBusConnection *system_bus;
  guint            sleep_subscription;
};

G_DEFINE_FINAL_TYPE (PdSyncSchedule, pd_sync_schedule, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENABLED,
  PROP_BUSY,
  PROP_FAILED,
  PROP_LAST_SYNCED,
  PROP_STATE_TEXT,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void run_pass (PdSyncSchedule *self);

static void
set_state_text (PdSyncSchedule *self,
                const char     *text,
                gboolean        failed)
{
  if (g_strcmp0 (self->state_text, text) != 0)
    {
      g_free (self->state_text);
      self->state_text = g_strdup (text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
    }
  if (self->failed != failed)
    {
      self->failed = failed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
    }
}

static void
set_running (PdSyncSchedule *self,
             gboolean        running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
clear_timer (PdSyncSchedule *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

static gboolean
timeout_cb (gpointer data)
{
  PdSyncSchedule *self = data;

  self->timeout_id = 0;
  run_pass (self);
  return G_SOURCE_REMOVE;
}

static gpointer
count_open_invoices (PdDatabase  *db,
                     gpointer     data,
                     GError     **error)
{
  g_autoptr(GPtrArray) invoices = pd_catalog_list_invoices (db, PD_INVOICE_ISSUED, 1, error);

  if (invoices == NULL)
    return NULL;
  /* One more than the count, so that none open is not a NULL result. */
  return GUINT_TO_POINTER (invoices->len + 1);
}

static void
open_counted_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PdSyncSchedule) self = user_data;
  g_autoptr(GError) error = NULL;
  guint open = GPOINTER_TO_UINT (pd_store_read_finish (PD_STORE (object), result, &error));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->enabled)
    return;

  clear_timer (self);
  if (self->running)
    return;
  /* An unreadable database is asked again on the next change. */
  if (open > 1)
    self->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, self->delay, timeout_cb,
                                                   g_object_ref (self), g_object_unref);
}

/* Sets the timer for the next pass if anything is still open. */
static void
plan_next (PdSyncSchedule *self)
{
  if (!self->enabled || self->running)
    return;
  pd_store_read_async (self->store, count_open_invoices, NULL, NULL, NULL, self->cancellable,
                       open_counted_cb, g_object_ref (self));
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PdSyncSchedule) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = pd_reconciler_sync_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The outcome is known before the pass says it is done. */
  g_clear_error (&self->error);
  if (changes == NULL)
    {
      set_state_text (self, error->message, TRUE);
      self->error = g_steal_pointer (&error);
      self->delay = MIN (self->delay * 2, MAX (MAX_DELAY_SECONDS, self->interval));
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *time = g_date_time_format (now, "%H:%M");
      g_autofree char *text = g_strdup_printf (_("Last checked with PayMaster at %s"), time);

      self->last_synced = g_date_time_to_unix (now);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED]);
      set_state_text (self, text, FALSE);
      if (changes->len > 0)
        self->delay = self->interval;
      else
        self->delay = MIN (self->delay * 2, MAX (MAX_DELAY_SECONDS, self->interval));
    }
  set_running (self, FALSE);

  if (self->pending)
    {
      self->pending = FALSE;
      run_pass (self);
      return;
    }
  plan_next (self);
}

static void
run_pass (PdSyncSchedule *self)
{
  g_autoptr(PdPaymasterApi) api = NULL;

  if (!self->enabled)
    return;
  if (self->running)
    {
      self->pending = TRUE;
      return;
    }
  clear_timer (self);

  api = pd_sync_schedule_dup_api (self);
  if (api == NULL)
    {
      g_clear_error (&self->error);
      self->error = g_error_new_literal (PD_API_ERROR, PD_API_ERROR_NO_CREDENTIALS,
                                         self->shop->protocol == PD_PROTOCOL_V2
                                           ? _("Enter the PayMaster API token in Preferences so that "
                                               "Paydesk can check payments with PayMaster.")
                                           : _("Enter the password of the PayMaster API user in "
                                               "Preferences so that Paydesk can check payments with "
                                               "PayMaster."));
      set_state_text (self, self->error->message, TRUE);
      return;
    }

  set_running (self, TRUE);
  if (self->last_synced == 0 && !self->failed)
    set_state_text (self, _("Checking with PayMaster…"), FALSE);
  pd_reconciler_sync_async (self->store, self->shop, api, self->cancellable, synced_cb,
                            g_object_ref (self));
}

/* A new or changed invoice may be paid any moment now. */
static void
invoice_changed_cb (PdStore        *store,
                    gint64          invoice_id,
                    const char     *number,
                    PdSyncSchedule *self)
{
  self->delay = self->interval;
  plan_next (self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    PdSyncSchedule  *self)
{
  gboolean was_available = self->network_available;

  self->network_available = available;
  if (available && !was_available)
    run_pass (self);
}

static void
prepare_for_sleep_cb (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  PdSyncSchedule *self = user_data;
  gboolean sleeping = TRUE;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    g_variant_get (parameters, "(b)", &sleeping);
  if (!sleeping)
    run_pass (self);
}

static void
system_bus_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  PdSyncSchedule *self;

  /* No system bus (a container, a test): resuming is simply not noticed. */
  if (bus == NULL)
    return;
  if (g_cancellable_is_cancelled (G_CANCELLABLE (user_data)))
    {
      g_object_unref (bus);
      return;
    }

  self = g_object_get_data (G_OBJECT (user_data), "pd-sync-schedule");
  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1", "org.freedesktop.login1.Manager",
                                        "PrepareForSleep", "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, prepare_for_sleep_cb, self, NULL);
}

typedef struct
{
  char *login;
  char *mode;
} Settings;

static void
settings_free (Settings *settings)
{
  g_free (settings->login);
  g_free (settings->mode);
  g_free (settings);
}

static gpointer
read_settings (PdDatabase  *db,
               gpointer     data,
               GError     **error)
{
  GError *local_error = NULL;
  Settings *settings = g_new0 (Settings, 1);

  settings->login = pd_catalog_get_setting (db, "api_login", &local_error);
  if (local_error == NULL)
    settings->mode = pd_catalog_get_setting (db, "sync_mode", &local_error);
  if (local_error != NULL)
    {
      settings_free (settings);
      g_propagate_error (error, local_error);
      return NULL;
    }
  return settings;
}

static void
settings_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PdSyncSchedule) self = user_data;
  g_autoptr(GError) error = NULL;
  Settings *settings = pd_store_read_finish (PD_STORE (object), result, &error);
  gboolean enabled;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (settings == NULL)
    {
      set_state_text (self, error->message, TRUE);
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      return;
    }

  g_free (self->login);
  self->login = g_steal_pointer (&settings->login);
  /* A REST v2 shop asks with its token; a classic one needs an API user. */
  enabled = (self->shop->protocol == PD_PROTOCOL_V2 ||
             (self->login != NULL && *self->login != '\0')) &&
            g_strcmp0 (settings->mode, PD_SYNC_MODE_NOTIFICATIONS) != 0;
  settings_free (settings);

  if (self->enabled != enabled)
    {
      self->enabled = enabled;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
    }
  if (!enabled)
    {
      set_state_text (self, NULL, FALSE);
      return;
    }
  run_pass (self);
}

/* Drops the pass and the timer of the settings in use. */
static void
cancel_work (PdSyncSchedule *self)
{
  clear_timer (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->pending = FALSE;
  set_running (self, FALSE);
}

PdSyncSchedule *
pd_sync_schedule_new (PdStore *store)
{
  PdSyncSchedule *self;

  g_return_val_if_fail (PD_IS_STORE (store), NULL);

  self = g_object_new (PD_TYPE_SYNC_SCHEDULE, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "invoice-changed", G_CALLBACK (invoice_changed_cb), self, 0);

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->monitor);
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self, 0);

  /* The cancellable carries the schedule without a reference, so that a
   * slow bus does not keep it alive; disposing cancels it. */
  g_object_set_data (G_OBJECT (self->bus_cancellable), "pd-sync-schedule", self);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->bus_cancellable, system_bus_cb,
             g_object_ref (self->bus_cancellable));
  return self;
}

/* Takes the shop (never its secret) and the credential (NULL keeps the
 * one given before), reads the login and the mode from the settings and,
 * if checking is on, runs a pass at once. */
void
pd_sync_schedule_restart (PdSyncSchedule *self,
                          const PdShop   *shop,
                          const char     *credential)
{
  g_return_if_fail (PD_IS_SYNC_SCHEDULE (self));
  g_return_if_fail (shop != NULL);

  cancel_work (self);
  g_clear_pointer (&self->shop, pd_shop_free);
  self->shop = pd_shop_copy (shop);
  if (credential != NULL)
    pd_sync_schedule_set_credential (self, credential);
  self->delay = self->interval;
  g_clear_error (&self->error);
  set_state_text (self, self->state_text, FALSE);

  pd_store_read_async (self->store, read_settings, NULL, NULL, (GDestroyNotify) settings_free,
                       self->cancellable, settings_read_cb, g_object_ref (self));
}

/**
 * pd_sync_schedule_dup_api:
 *
 * Returns: (transfer full) (nullable): a client with the credentials in
 * use: the token for a REST v2 shop, the API user for a classic one; or
 * %NULL while they are not known.
 */
PdPaymasterApi *
pd_sync_schedule_dup_api (PdSyncSchedule *self)
{
  PdPaymasterApi *api;

  g_return_val_if_fail (PD_IS_SYNC_SCHEDULE (self), NULL);

  if (self->shop == NULL || self->credential == NULL || *self->credential == '\0')
    return NULL;

  api = pd_paymaster_api_new (self->shop->paymaster_url);
  if (self->shop->protocol == PD_PROTOCOL_V2)
    pd_paymaster_api_set_token (api, self->credential);
  else if (self->login != NULL && *self->login != '\0')
    pd_paymaster_api_set_classic_credentials (api, self->login, self->credential);
  else
    g_clear_object (&api);
  return api;
}

void
pd_sync_schedule_set_credential (PdSyncSchedule *self,
                                 const char     *credential)
{
  g_return_if_fail (PD_IS_SYNC_SCHEDULE (self));

  g_free (self->credential);
  self->credential = g_strdup (credential);
}

void
pd_sync_schedule_stop (PdSyncSchedule *self)
{
  g_return_if_fail (PD_IS_SYNC_SCHEDULE (self));

  cancel_work (self);
  if (self->enabled)
    {
      self->enabled = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
    }
}

void
pd_sync_schedule_sync_now (PdSyncSchedule *self)
{
  g_return_if_fail (PD_IS_SYNC_SCHEDULE (self));

  self->delay = self->interval;
  run_pass (self);
}

gboolean
pd_sync_schedule_get_enabled (PdSyncSchedule *self)
{
  g_return_val_if_fail (PD_IS_SYNC_SCHEDULE (self), FALSE);
  return self->enabled;
}

gboolean
pd_sync_schedule_get_busy (PdSyncSchedule *self)
{
  g_return_val_if_fail (PD_IS_SYNC_SCHEDULE (self), FALSE);
  return self->running;
}

/**
 * pd_sync_schedule_get_error:
 *
 * Returns: (nullable): why the last pass failed (a #PD_API_ERROR when
 *   PayMaster refused or could not be asked), or %NULL when it did not
 */
const GError *
pd_sync_schedule_get_error (PdSyncSchedule *self)
{
  g_return_val_if_fail (PD_IS_SYNC_SCHEDULE (self), NULL);
  return self->error;
}

gint64
pd_sync_schedule_get_last_synced (PdSyncSchedule *self)
{
  g_return_val_if_fail (PD_IS_SYNC_SCHEDULE (self), 0);
  return self->last_synced;
}

const char *
pd_sync_schedule_get_state_text (PdSyncSchedule *self)
{
  g_return_val_if_fail (PD_IS_SYNC_SCHEDULE (self), NULL);
  return self->state_text;
}

guint
pd_sync_schedule_get_interval (PdSyncSchedule *self)
{
  g_return_val_if_fail (PD_IS_SYNC_SCHEDULE (self), 0);
  return self->interval;
}

void
pd_sync_schedule_set_interval (PdSyncSchedule *self,
                               guint           seconds)
{
  g_return_if_fail (PD_IS_SYNC_SCHEDULE (self));
  g_return_if_fail (seconds > 0);

  if (self->interval == seconds)
    return;
  self->interval = seconds;
  self->delay = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
  plan_next (self);
}

static void
pd_sync_schedule_dispose (GObject *object)
{
  PdSyncSchedule *self = PD_SYNC_SCHEDULE (object);

  clear_timer (self);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->bus_cancellable);
  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pd_sync_schedule_parent_class)->dispose (object);
}

static void
pd_sync_schedule_finalize (GObject *object)
{
  PdSyncSchedule *self = PD_SYNC_SCHEDULE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->bus_cancellable);
  g_clear_pointer (&self->shop, pd_shop_free);
  g_clear_error (&self->error);
  g_free (self->credential);
  g_free (self->login);
  g_free (self->state_text);

  G_OBJECT_CLASS (pd_sync_schedule_parent_class)->finalize (object);
}

static void
pd_sync_schedule_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PdSyncSchedule *self = PD_SYNC_SCHEDULE (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_FAILED:
      g_value_set_boolean (value, self->failed);
      break;

    case PROP_LAST_SYNCED:
      g_value_set_int64 (value, self->last_synced);
      break;

    case PROP_STATE_TEXT:
      g_value_set_string (value, self->state_text);
      break;

    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sync_schedule_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PdSyncSchedule *self = PD_SYNC_SCHEDULE (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      pd_sync_schedule_set_interval (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sync_schedule_class_init (PdSyncScheduleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_sync_schedule_dispose;
  object_class->finalize = pd_sync_schedule_finalize;
  object_class->get_property = pd_sync_schedule_get_property;
  object_class->set_property = pd_sync_schedule_set_property;

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FAILED] =
    g_param_spec_boolean ("failed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_SYNCED] =
    g_param_spec_int64 ("last-synced", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE_TEXT] =
    g_param_spec_string ("state-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, G_MAXUINT, 60,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_sync_schedule_init (PdSyncSchedule *self)
{
  self->interval = 60;
  self->delay = 60;
  self->cancellable = g_cancellable_new ();
  self->bus_cancellable = g_cancellable_new ();
}
