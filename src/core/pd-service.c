/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-service"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog.h"
#include "pd-invoice-link.h"
#include "pd-paymaster.h"
#include "pd-sandbox.h"
#include "pd-secrets.h"
#include "pd-service.h"
#include "pd-settings-save.h"
#include "pd-sync-schedule.h"

/* Everything the desktop app runs in the background: the store, the
 * listener PayMaster calls and, for a sandbox shop, the built-in sandbox.
 * It knows the secret key once started and says in words what the
 * listener is doing, so the window can always show it. */

struct _PdService
{
  GObject         parent_instance;

  PdStore        *store;
  PdShop         *shop;
  char           *secret;
  PdListener     *listener;
  PdSandbox      *sandbox;
  PdSyncSchedule *sync_schedule;
  char           *api_login;     /* a classic sandbox shop's API user, */
  char           *api_password;  /* whom the built-in sandbox serves */
  PdServiceState  state;
  char           *state_text;
  guint           api_reads;      /* keyring reads of the API credential under way */
  guint           api_read_serial;
  GQueue          api_waiters;    /* GTask, for pd_service_dup_api_async() */
};

G_DEFINE_FINAL_TYPE (PdService, pd_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_STATE_TEXT,
  PROP_SET_UP,
  N_PROPS
};

enum {
  TEST_PAYMENT_ON_LIVE_SHOP,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_state (PdService      *self,
           PdServiceState  state,
           const char     *text)
{
  self->state = state;
  g_free (self->state_text);
  self->state_text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
}

static void
event_recorded_cb (PdStore                *store,
                   const PdLedgerDecision *decision,
                   PdService              *self)
{
  if (decision->verdict == PD_VERDICT_FLAGGED && decision->test_payment &&
      self->shop != NULL && !pd_shop_mode_is_test (self->shop->mode))
    g_signal_emit (self, signals[TEST_PAYMENT_ON_LIVE_SHOP], 0);
}

PdService *
pd_service_new (const char  *db_path,
                GError     **error)
{
  g_autoptr(PdService) self = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(GError) local_error = NULL;

  /* Read once at start-up, before there is a window to keep responsive. */
  db = pd_database_open (db_path, PD_DATABASE_READ_WRITE, error);
  if (db == NULL)
    return NULL;

  self = g_object_new (PD_TYPE_SERVICE, NULL);
  self->shop = pd_catalog_load_shop (db, &local_error);
  if (self->shop == NULL &&
      !g_error_matches (local_error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_SET_UP))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_clear_pointer (&db, pd_database_close);

  self->store = pd_store_open (db_path, error);
  if (self->store == NULL)
    return NULL;
  g_signal_connect_object (self->store, "event-recorded", G_CALLBACK (event_recorded_cb), self, 0);
  self->sync_schedule = pd_sync_schedule_new (self->store);

  return g_steal_pointer (&self);
}

PdStore *
pd_service_get_store (PdService *self)
{
  g_return_val_if_fail (PD_IS_SERVICE (self), NULL);
  return self->store;
}

PdSyncSchedule *
pd_service_get_sync_schedule (PdService *self)
{
  g_return_val_if_fail (PD_IS_SERVICE (self), NULL);
  return self->sync_schedule;
}

const PdShop *
pd_service_get_shop (PdService *self)
{
  g_return_val_if_fail (PD_IS_SERVICE (self), NULL);
  return self->shop;
}

gboolean
pd_service_is_set_up (PdService *self)
{
  g_return_val_if_fail (PD_IS_SERVICE (self), FALSE);
  return self->shop != NULL;
}

PdServiceState
pd_service_get_state (PdService *self)
{
  g_return_val_if_fail (PD_IS_SERVICE (self), PD_SERVICE_STOPPED);
  return self->state;
}

const char *
pd_service_get_state_text (PdService *self)
{
  g_return_val_if_fail (PD_IS_SERVICE (self), NULL);
  return self->state_text;
}

char *
pd_service_get_listen_uri (PdService *self)
{
  g_return_val_if_fail (PD_IS_SERVICE (self), NULL);
  return self->listener ? pd_listener_get_uri (self->listener) : NULL;
}

void
pd_service_stop (PdService *self)
{
  g_return_if_fail (PD_IS_SERVICE (self));

  g_clear_object (&self->sandbox);
  g_clear_object (&self->listener);
  set_state (self, PD_SERVICE_STOPPED, _("The listener is stopped."));
}

/* The listener confirms REST v2 callbacks with the API token. */
static void
update_listener_api (PdService *self)
{
  g_autoptr(PdPaymasterApi) api = NULL;

  if (self->shop != NULL && self->shop->protocol == PD_PROTOCOL_V2)
    api = pd_service_dup_api (self);
  if (self->listener != NULL)
    pd_listener_set_api (self->listener, api);
}

/* The built-in sandbox serves its classic status and refund API to the
 * shop's own API user, as it signs with the shop's own key: so checking
 * and refunds can be tried with whatever user the merchant enters. */
static void
update_sandbox_api_user (PdService *self)
{
  if (self->sandbox != NULL)
    pd_sandbox_set_api_user (self->sandbox, self->api_login, self->api_password);
}

/* (Re)starts the listener for the current shop and secret. */
static gboolean
start_listener (PdService  *self,
                GError    **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *text = NULL;

  g_clear_object (&self->sandbox);
  g_clear_object (&self->listener);

  self->listener = pd_listener_new (self->store, self->shop, self->secret);
  update_listener_api (self);
  if (self->shop->mode == PD_SHOP_MODE_SANDBOX)
    {
      g_auto(GStrv) paths = NULL;

      self->sandbox = pd_sandbox_new (self->shop->hash_alg, self->secret, TRUE);
      pd_sandbox_set_api_token (self->sandbox, PD_SANDBOX_API_TOKEN);
      update_sandbox_api_user (self);
      paths = pd_sandbox_attach (self->sandbox, pd_listener_get_server (self->listener),
                                 PD_PATH_SANDBOX);
      for (guint i = 0; paths[i]; i++)
        pd_listener_protect_path (self->listener, paths[i]);
    }

  if (!pd_listener_listen (self->listener, self->shop->listen, error))
    {
      g_clear_object (&self->sandbox);
      g_clear_object (&self->listener);
      set_state (self, PD_SERVICE_FAILED, (*error)->message);
      return FALSE;
    }

  uri = pd_listener_get_uri (self->listener);
  text = g_strdup_printf (_("Listening on %s"), uri);
  set_state (self, PD_SERVICE_LISTENING, text);
  return TRUE;
}

static void
lookup_secret_in_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  GError *error = NULL;
  char *secret = pd_secrets_lookup_key (task_data, cancellable, &error);

  if (secret == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, g_free);
}

static void
secret_found_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PdService *self = PD_SERVICE (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret = g_task_propagate_pointer (G_TASK (result), &error);

  if (secret == NULL)
    {
      set_state (self, PD_SERVICE_FAILED, error->message);
      g_task_return_error (task, error);
      return;
    }

  g_free (self->secret);
  self->secret = secret;
  if (!start_listener (self, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

typedef struct
{
  PdShop *shop;
  guint   serial;
} ApiRead;

static void
api_read_free (ApiRead *read)
{
  pd_shop_free (read->shop);
  g_free (read);
}

static void
lookup_api_credential_in_thread (GTask        *task,
                                 gpointer      source_object,
                                 gpointer      task_data,
                                 GCancellable *cancellable)
{
  const ApiRead *read = task_data;
  const PdShop *shop = read->shop;
  PdSecretKind kind = shop->protocol == PD_PROTOCOL_V2 ? PD_SECRET_API_TOKEN : PD_SECRET_API_PASSWORD;

  /* None yet is an answer too: the schedule says what to do. */
  g_task_return_pointer (task, pd_secrets_lookup (kind, shop->merchant_id, cancellable, NULL), g_free);
}

static void
api_login_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PdService) self = user_data;
  char *login = pd_store_read_finish (PD_STORE (object), result, NULL);

  if (login == NULL)
    return;
  g_free (self->api_login);
  self->api_login = login;
  update_sandbox_api_user (self);
}

static void
return_api (GTask *task)
{
  PdService *self = g_task_get_source_object (task);

  g_task_return_pointer (task, pd_service_dup_api (self), g_object_unref);
  g_object_unref (task);
}

static void
api_credential_found_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  PdService *self = PD_SERVICE (object);
  const ApiRead *read = g_task_get_task_data (G_TASK (result));
  g_autofree char *credential = g_task_propagate_pointer (G_TASK (result), NULL);
  GTask *waiter;

  /* Only the newest read counts: an older one may be of other settings. */
  if (read->serial == self->api_read_serial)
    {
      if (self->shop != NULL && self->sync_schedule != NULL)
        {
          pd_sync_schedule_restart (self->sync_schedule, self->shop, credential ? credential : "");
          update_listener_api (self);
        }
      g_clear_pointer (&self->api_password, g_free);
      if (self->shop != NULL && self->shop->mode == PD_SHOP_MODE_SANDBOX &&
          self->shop->protocol == PD_PROTOCOL_CLASSIC)
        {
          self->api_password = g_steal_pointer (&credential);
          pd_store_read_async (self->store, pd_catalog_read_setting, (gpointer) "api_login", NULL,
                               g_free, NULL, api_login_read_cb, g_object_ref (self));
        }
    }

  if (--self->api_reads > 0)
    return;
  while ((waiter = g_queue_pop_head (&self->api_waiters)) != NULL)
    return_api (waiter);
}

/* Reads what PayMaster's API is asked with from the keyring, off the main
 * thread, and restarts the checking schedule with it. */
static void
reload_api_credential (PdService    *self,
                       GCancellable *cancellable)
{
  g_autoptr(GTask) lookup = g_task_new (self, cancellable, api_credential_found_cb, NULL);
  ApiRead *read = g_new0 (ApiRead, 1);

  read->shop = pd_shop_copy (self->shop);
  read->serial = ++self->api_read_serial;
  self->api_reads++;
  g_task_set_task_data (lookup, read, (GDestroyNotify) api_read_free);
  g_task_run_in_thread (lookup, lookup_api_credential_in_thread);
}

/* Reads the secret key from the keyring (off the main thread: it may ask
 * the user to unlock it) and starts listening on the configured address. */
void
pd_service_start_async (PdService           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) lookup = NULL;
  
  g_return_if_fail (PD_IS_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_service_start_async);

  if (self->shop == NULL)
    {
      g_task_return_new_error (task, PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_SET_UP,
                               _("Paydesk is not set up yet: run the setup wizard."));
      return;
    }

  lookup = g_task_new (self, cancellable, secret_found_cb, g_steal_pointer (&task));
  g_task_set_task_data (lookup, g_strdup (self->shop->merchant_id), g_free);
  g_task_run_in_thread (lookup, lookup_secret_in_thread);

  reload_api_credential (self, cancellable);
}

gboolean
pd_service_start_finish (PdService     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  PdShop *shop;
  char   *secret;
} Configure;

static void
configure_free (Configure *configure)
{
  pd_shop_free (configure->shop);
  g_free (configure->secret);
  g_free (configure);
}

static gpointer
save_shop_in_writer (PdDatabase  *db,
                     gpointer     data,
                     GError     **error)
{
  Configure *configure = data;

  if (!pd_catalog_save_shop (db, configure->shop, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
shop_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdService *self = g_task_get_source_object (task);
  Configure *configure = g_task_get_task_data (task);
  GError *error = NULL;

  if (!pd_settings_save_finish (PD_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&self->shop, pd_shop_free);
  self->shop = g_steal_pointer (&configure->shop);
  if (configure->secret != NULL)
    {
      g_free (self->secret);
      self->secret = g_steal_pointer (&configure->secret);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SET_UP]);
  /* The protocol, and with it the credential, may have changed. */
  reload_api_credential (self, NULL);

  /* The settings are saved either way; a listener that cannot start says
   * why in its state, and the merchant can change the port. */
  if (self->secret != NULL && !start_listener (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * pd_service_configure_async:
 * @secret: (nullable): the secret key; %NULL keeps the current one
 * @api_token: (nullable): the REST API v2 token; %NULL or empty keeps the
 *   stored one
 *
 * Saves new settings: the secrets to the keyring first, then the rest to
 * the database, then restarts the listener with them. Nothing is saved
 * if the keyring refuses.
 */
void
pd_service_configure_async (PdService           *self,
                            const PdShop        *shop,
                            const char          *secret,
                            const char          *api_token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *secrets[PD_N_SECRET_KINDS] = {
    [PD_SECRET_KEY] = secret,
    [PD_SECRET_API_TOKEN] = api_token,
  };
  Configure *configure;

  g_return_if_fail (PD_IS_SERVICE (self));
  g_return_if_fail (shop != NULL && shop->merchant_id != NULL);

  configure = g_new0 (Configure, 1);
  configure->shop = pd_shop_copy (shop);
  configure->secret = g_strdup (secret);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_service_configure_async);
  g_task_set_task_data (task, configure, (GDestroyNotify) configure_free);

  pd_settings_save_async (self->store, shop->merchant_id, secrets, save_shop_in_writer, configure, NULL,
                          cancellable, shop_saved_cb, g_steal_pointer (&task));
}

gboolean
pd_service_configure_finish (PdService     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pd_service_dup_api:
 *
 * Returns: (transfer full) (nullable): a client for PayMaster's API with
 * the shop's credentials, or %NULL while they are not known.
 */
PdPaymasterApi *
pd_service_dup_api (PdService *self)
{
  g_return_val_if_fail (PD_IS_SERVICE (self), NULL);

  return self->sync_schedule != NULL ? pd_sync_schedule_dup_api (self->sync_schedule) : NULL;
}

/**
 * pd_service_dup_api_async:
 *
 * Waits for the keyring reads of the API credential under way (after
 * pd_service_start_async() or pd_service_configure_async()), then gives
 * what pd_service_dup_api() gives.
 */
void
pd_service_dup_api_async (PdService           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PD_IS_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_service_dup_api_async);
  if (self->api_reads > 0)
    g_queue_push_tail (&self->api_waiters, task);
  else
    return_api (task);
}

/**
 * pd_service_dup_api_finish:
 *
 * Returns: (transfer full) (nullable): as pd_service_dup_api(); %NULL
 *   without an error while the shop has no credential
 */
PdPaymasterApi *
pd_service_dup_api_finish (PdService     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The link that pays @invoice with the settings in use; @lines are its
 * PdInvoiceLineRow, for the receipt. See pd_invoice_payment_url(). */
char *
pd_service_payment_url (PdService        *self,
                        const PdInvoice  *invoice,
                        GPtrArray        *lines,
                        GError          **error)
{
  g_return_val_if_fail (PD_IS_SERVICE (self), NULL);
  g_return_val_if_fail (self->shop != NULL, NULL);

  return pd_invoice_payment_url (self->shop, invoice, lines, error);
}

static void
pd_service_dispose (GObject *object)
{
  PdService *self = PD_SERVICE (object);

  if (self->sync_schedule != NULL)
    pd_sync_schedule_stop (self->sync_schedule);
  g_clear_object (&self->sync_schedule);
  g_clear_object (&self->sandbox);
  g_clear_object (&self->listener);
  if (self->store != NULL)
    pd_store_close (self->store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pd_service_parent_class)->dispose (object);
}

static void
pd_service_finalize (GObject *object)
{
  PdService *self = PD_SERVICE (object);

  g_clear_pointer (&self->shop, pd_shop_free);
  g_free (self->secret);
  g_free (self->api_login);
  g_free (self->api_password);
  g_free (self->state_text);

  G_OBJECT_CLASS (pd_service_parent_class)->finalize (object);
}

static void
pd_service_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PdService *self = PD_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    case PROP_STATE_TEXT:
      g_value_set_string (value, self->state_text);
      break;

    case PROP_SET_UP:
      g_value_set_boolean (value, self->shop != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_service_class_init (PdServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_service_dispose;
  object_class->finalize = pd_service_finalize;
  object_class->get_property = pd_service_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, PD_SERVICE_STOPPED, PD_SERVICE_FAILED, PD_SERVICE_STOPPED,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE_TEXT] =
    g_param_spec_string ("state-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SET_UP] =
    g_param_spec_boolean ("set-up", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdService::test-payment-on-live-shop:
   *
   * A test payment reached a shop in working mode: the PayMaster site is
   * still in test mode and takes no real money.
   */
  signals[TEST_PAYMENT_ON_LIVE_SHOP] =
    g_signal_new ("test-payment-on-live-shop",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
pd_service_init (PdService *self)
{
  self->state_text = g_strdup (_("The listener is stopped."));
}
