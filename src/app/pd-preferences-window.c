/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-address-group.h"
#include "pd-autostart-group.h"
#include "pd-cabinet-group.h"
#include "pd-catalog.h"
#include "pd-paymaster.h"
#include "pd-preferences-window.h"
#include "pd-receipt-group.h"
#include "pd-site-group.h"
#include "pd-setup-entries.h"
#include "pd-sync-group.h"
#include "pd-sync-settings.h"

/* The wizard's settings, editable later. Each group checks its own rows;
 * the window builds the shop from them and saves it. The PayMaster site,
 * the address and checking change together with an explicit Save, because
 * saving restarts the listener; the receipt defaults and starting at login
 * apply at once, like any switch. */

struct _PdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  PdService            *service;
  GCancellable         *cancellable;
  char                 *error_text;      /* why the last save failed */
  PdShop               *saving_shop;     /* what the save in progress stores */
  gboolean              saving;
  gboolean              close_after_save;
  gboolean              discard;
  gboolean              loading;

  PdSiteGroup          *site_group;
  PdAddressGroup       *address_group;
  PdSyncGroup          *sync_group;
  GtkImage             *state_icon;
  GtkLabel             *state_label;
  PdCabinetGroup       *cabinet_group;
  PdReceiptGroup       *receipt_group;
  PdAutostartGroup     *autostart_group;
};

G_DEFINE_FINAL_TYPE (PdPreferencesWindow, pd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef struct
{
  PdShop   *shop;           /* NULL when some input is not valid */
  char     *secret;         /* NULL keeps the stored key */
  char     *api_token;      /* NULL keeps the stored token */
  gboolean  changed;
  gboolean  sync_changed;   /* the API user or the mode */
} Candidate;

static void
candidate_clear (Candidate *candidate)
{
  g_clear_pointer (&candidate->shop, pd_shop_free);
  g_clear_pointer (&candidate->secret, g_free);
  g_clear_pointer (&candidate->api_token, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Candidate, candidate_clear)

static gboolean
shops_equal (const PdShop *a,
             const PdShop *b)
{
  return a != NULL && b != NULL &&
         g_strcmp0 (a->merchant_id, b->merchant_id) == 0 &&
         a->hash_alg == b->hash_alg &&
         a->mode == b->mode &&
         a->protocol == b->protocol &&
         g_strcmp0 (a->public_url, b->public_url) == 0 &&
         g_strcmp0 (a->paymaster_url, b->paymaster_url) == 0 &&
         g_strcmp0 (a->listen, b->listen) == 0;
}

/* Reads the form into a shop, showing an inline error under each input
 * that is not valid. */
static void
read_form (PdPreferencesWindow *self,
           Candidate           *candidate)
{
  const PdShop *current = pd_service_get_shop (self->service);
  g_autofree char *merchant_id = pd_site_group_dup_merchant_id (self->site_group);
  g_autofree char *public_url = NULL;
  g_autofree char *listen = NULL;
  gboolean new_merchant = g_strcmp0 (merchant_id, current->merchant_id) != 0;
  PdShopMode mode = pd_site_group_get_mode (self->site_group);
  PdProtocol protocol = pd_site_group_get_protocol (self->site_group);
  gboolean site_ok;
  gboolean secrets_entered;
  g_autoptr(PdShop) shop = NULL;

  /* Checking only may do without a public address, as in the wizard. */
  {
    PdSetupEntries entries = {
      .mode = mode,
      .protocol = protocol,
      .sync_mode = pd_sync_group_get_sync_mode (self->sync_group),
    };

    public_url = pd_address_group_dup_public_url (self->address_group, pd_setup_public_url_needed (&entries));
  }

  site_ok = pd_site_group_check (self->site_group, current);
  listen = pd_address_group_dup_listen (self->address_group);

  if (!site_ok || public_url == NULL || listen == NULL)
    return;

  shop = pd_shop_copy (current);
  g_free (shop->merchant_id);
  shop->merchant_id = g_steal_pointer (&merchant_id);
  shop->protocol = protocol;
  shop->hash_alg = pd_site_group_get_hash_alg (self->site_group);
  shop->mode = mode;
  g_free (shop->public_url);
  shop->public_url = g_steal_pointer (&public_url);
  g_free (shop->listen);
  shop->listen = g_steal_pointer (&listen);

  /* The sandbox is served by the listener itself, so it moves with it. */
  if (mode == PD_SHOP_MODE_SANDBOX)
    {
      g_free (shop->paymaster_url);
      shop->paymaster_url = pd_shop_endpoint_url (shop, PD_PATH_SANDBOX);
    }
  else
    {
      g_free (shop->paymaster_url);
      shop->paymaster_url = pd_site_group_dup_paymaster_url (self->site_group);
    }

  secrets_entered = pd_site_group_read_secrets (self->site_group, shop, new_merchant,
                                                &candidate->secret, &candidate->api_token);

  candidate->sync_changed = pd_sync_group_get_changed (self->sync_group);
  candidate->changed = secrets_entered || !shops_equal (shop, current) || candidate->sync_changed;
  candidate->shop = g_steal_pointer (&shop);
}

static void
update_state_row (PdPreferencesWindow *self)
{
  PdServiceState state = pd_service_get_state (self->service);
  gboolean failed = self->error_text != NULL || state == PD_SERVICE_FAILED;

  if (self->saving)
    gtk_label_set_label (self->state_label, _("Saving…"));
  else
    gtk_label_set_label (self->state_label,
                         self->error_text ? self->error_text : pd_service_get_state_text (self->service));

  gtk_image_set_from_icon_name (self->state_icon,
                                failed ? "dialog-error-symbolic"
                                : state == PD_SERVICE_LISTENING ? "network-receive-symbolic"
                                : "network-offline-symbolic");
  if (failed && !self->saving)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "error");
    }
}

/* Save is there when something changed and all of it is valid, or to
 * try again after the listener could not start. */
static void
update_form (PdPreferencesWindow *self)
{
  g_auto(Candidate) candidate = { NULL, };

  if (self->loading)
    return;

  read_form (self, &candidate);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.save",
                                 !self->saving && candidate.shop != NULL &&
                                 (candidate.changed ||
                                  pd_service_get_state (self->service) == PD_SERVICE_FAILED));
}

static void
input_changed_cb (PdPreferencesWindow *self)
{
  update_form (self);
}

/* What checking with PayMaster asks for follows the protocol chosen. */
static void
site_changed_cb (PdPreferencesWindow *self)
{
  pd_sync_group_set_protocol (self->sync_group, pd_site_group_get_protocol (self->site_group));
  update_form (self);
}

/* Fills the form from the settings in use. */
static void
load_shop (PdPreferencesWindow *self)
{
  const PdShop *shop = pd_service_get_shop (self->service);

  self->loading = TRUE;
  pd_site_group_load (self->site_group, shop);
  pd_address_group_load (self->address_group, shop);
  self->loading = FALSE;

  pd_sync_group_set_protocol (self->sync_group, shop->protocol);
  pd_cabinet_group_show_shop (self->cabinet_group, shop);
  update_form (self);
}

static void
service_state_cb (PdService           *service,
                  GParamSpec          *pspec,
                  PdPreferencesWindow *self)
{
  g_clear_pointer (&self->error_text, g_free);
  update_state_row (self);
  update_form (self);
}

static void
configured_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PdPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdShop) saved = g_steal_pointer (&self->saving_shop);
  gboolean stored;

  if (!pd_service_configure_finish (PD_SERVICE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->saving = FALSE;
  g_clear_pointer (&self->error_text, g_free);
  if (error != NULL)
    self->error_text = g_strdup (error->message);

  /* The keyring refusing saves nothing and keeps the form as typed; a
   * listener that cannot start comes after the settings were stored. */
  stored = shops_equal (pd_service_get_shop (self->service), saved);
  if (stored)
    {
      load_shop (self);
      if (error == NULL)
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Saved")));
    }

  update_state_row (self);
  update_form (self);

  if (self->close_after_save && error == NULL)
    {
      self->discard = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  self->close_after_save = FALSE;
}

typedef struct
{
  PdPreferencesWindow *self;
  PdShop              *shop;
  char                *secret;
  char                *api_token;
  char                *api_login;
  const char          *sync_mode;
} SyncSave;

static void
sync_save_free (SyncSave *save)
{
  g_clear_object (&save->self);
  g_clear_pointer (&save->shop, pd_shop_free);
  g_free (save->secret);
  g_free (save->api_token);
  g_free (save->api_login);
  g_free (save);
}

/* The listener's part of saving, as before there was checking. */
static void
configure (PdPreferencesWindow *self,
           const PdShop        *shop,
           const char          *secret,
           const char          *api_token)
{
  /* Kept to tell afterwards whether these settings were stored. */
  g_clear_pointer (&self->saving_shop, pd_shop_free);
  self->saving_shop = pd_shop_copy (shop);
  pd_service_configure_async (self->service, shop, secret, api_token, self->cancellable,
                              configured_cb, g_object_ref (self));
}

static void
sync_save_failed (PdPreferencesWindow *self,
                  const GError        *error)
{
  self->saving = FALSE;
  self->close_after_save = FALSE;
  g_clear_pointer (&self->error_text, g_free);
  self->error_text = g_strdup (error->message);
  update_state_row (self);
  update_form (self);
}

static void
sync_settings_saved_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  SyncSave *save = user_data;
  PdPreferencesWindow *self = save->self;
  g_autoptr(GError) error = NULL;

  if (!pd_sync_settings_save_finish (PD_SERVICE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sync_save_failed (self, error);
      sync_save_free (save);
      return;
    }

  pd_sync_group_set_saved (self->sync_group, save->api_login, save->sync_mode);
  /* Configuring restarts the listener and the schedule with what was saved. */
  configure (self, save->shop, save->secret, save->api_token);
  sync_save_free (save);
}

/* The API user's password goes to the keyring first, then the login and
 * the mode to the database (pd_sync_settings_save_async()); nothing is
 * saved if the keyring refuses. */
static void
save_sync_settings (PdPreferencesWindow *self,
                    Candidate           *candidate)
{
  SyncSave *save = g_new0 (SyncSave, 1);

  save->self = g_object_ref (self);
  save->shop = g_steal_pointer (&candidate->shop);
  save->secret = g_steal_pointer (&candidate->secret);
  save->api_token = g_steal_pointer (&candidate->api_token);
  save->api_login = pd_sync_group_dup_api_login (self->sync_group);
  save->sync_mode = pd_sync_group_get_sync_mode (self->sync_group);

  pd_sync_settings_save_async (self->service, save->shop->merchant_id, save->sync_mode,
                               save->api_login, pd_sync_group_get_api_password (self->sync_group),
                               self->cancellable,
                               sync_settings_saved_cb, save);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (widget);
  g_auto(Candidate) candidate = { NULL, };

  pd_address_group_commit_port (self->address_group);
  read_form (self, &candidate);
  if (candidate.shop == NULL || self->saving)
    return;

  self->saving = TRUE;
  g_clear_pointer (&self->error_text, g_free);
  update_state_row (self);
  update_form (self);

  if (candidate.sync_changed)
    save_sync_settings (self, &candidate);
  else
    configure (self, candidate.shop, candidate.secret, candidate.api_token);
}

/* Enter in a field saves, as a dialog's default button would. */
static void
entry_activated_cb (PdPreferencesWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "preferences.save", NULL);
}

/* The receipt defaults apply at once, like a switch. */

static gpointer
write_receipt_defaults_in_writer (PdDatabase  *db,
                                  gpointer     data,
                                  GError     **error)
{
  if (!pd_catalog_set_receipt_defaults (db, data, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
receipt_defaults_written_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(PdPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (pd_store_write_finish (PD_STORE (object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Back to what is stored. */
  text = g_strdup_printf (_("Could not save the receipt defaults: %s"), error->message);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
  pd_receipt_group_show_defaults (self->receipt_group, pd_service_get_store (self->service));
}

static void
receipt_defaults_changed_cb (PdPreferencesWindow *self)
{
  PdReceiptDefaults *defaults = g_new0 (PdReceiptDefaults, 1);

  defaults->vat = pd_receipt_group_get_vat (self->receipt_group);
  defaults->subject = pd_receipt_group_get_subject (self->receipt_group);
  defaults->method = pd_receipt_group_get_method (self->receipt_group);
  pd_store_write_async (pd_service_get_store (self->service), write_receipt_defaults_in_writer,
                        defaults, g_free, NULL, self->cancellable,
                        receipt_defaults_written_cb, g_object_ref (self));
}

/* Unsaved changes are not dropped silently. */

static gboolean
close_discarding_cb (gpointer data)
{
  PdPreferencesWindow *self = data;

  self->discard = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
unsaved_response_cb (AdwMessageDialog    *dialog,
                     const char          *response,
                     PdPreferencesWindow *self)
{
  /* The dialog is transient for this window: let it go first. */
  if (g_strcmp0 (response, "discard") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_discarding_cb, g_object_ref (self), g_object_unref);
  else if (g_strcmp0 (response, "save") == 0)
    {
      self->close_after_save = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (self), "preferences.save", NULL);
    }
}

static gboolean
close_request_cb (GtkWindow           *window,
                  PdPreferencesWindow *self)
{
  g_auto(Candidate) candidate = { NULL, };
  GtkWidget *dialog;

  if (self->discard)
    return FALSE;
  if (self->saving)
    {
      /* Closes once the settings are stored; stays open to show why not. */
      self->close_after_save = TRUE;
      return TRUE;
    }

  read_form (self, &candidate);
  if (candidate.shop != NULL && !candidate.changed)
    return FALSE;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"),
                                   _("The PayMaster site and address settings have changes that are not saved."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", candidate.shop != NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           candidate.shop != NULL ? "save" : "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (unsaved_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

GtkWidget *
pd_preferences_window_new (PdService *service)
{
  PdPreferencesWindow *self;

  g_return_val_if_fail (PD_IS_SERVICE (service), NULL);
  g_return_val_if_fail (pd_service_get_shop (service) != NULL, NULL);

  self = g_object_new (PD_TYPE_PREFERENCES_WINDOW, NULL);
  self->service = g_object_ref (service);
  g_signal_connect_object (service, "notify::state-text", G_CALLBACK (service_state_cb), self, 0);

  load_shop (self);
  update_state_row (self);
  pd_autostart_group_load (self->autostart_group, pd_service_get_store (service));
  pd_sync_group_load (self->sync_group, pd_service_get_store (service));
  pd_receipt_group_show_defaults (self->receipt_group, pd_service_get_store (service));
  return GTK_WIDGET (self);
}

static void
pd_preferences_window_dispose (GObject *object)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_preferences_window_parent_class)->dispose (object);
}

static void
pd_preferences_window_finalize (GObject *object)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_free (self->error_text);
  g_clear_pointer (&self->saving_shop, pd_shop_free);

  G_OBJECT_CLASS (pd_preferences_window_parent_class)->finalize (object);
}

static void
pd_preferences_window_class_init (PdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_preferences_window_dispose;
  object_class->finalize = pd_preferences_window_finalize;

  g_type_ensure (PD_TYPE_ADDRESS_GROUP);
  g_type_ensure (PD_TYPE_AUTOSTART_GROUP);
  g_type_ensure (PD_TYPE_CABINET_GROUP);
  g_type_ensure (PD_TYPE_RECEIPT_GROUP);
  g_type_ensure (PD_TYPE_SITE_GROUP);
  g_type_ensure (PD_TYPE_SYNC_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, site_group);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, address_group);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, cabinet_group);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, autostart_group);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, sync_group);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, receipt_group);
  gtk_widget_class_bind_template_callback (widget_class, site_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_request_cb);
  gtk_widget_class_bind_template_callback (widget_class, receipt_defaults_changed_cb);

  gtk_widget_class_install_action (widget_class, "preferences.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "preferences.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_preferences_window_init (PdPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.save", FALSE);
}
