/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-sync-group.h"
#include "pd-sync-settings.h"

/* How payments arrive, and the API user Paydesk checks with PayMaster as:
 * the rows as typed, next to what is stored, so that the window can tell
 * whether there is something to save. */

/* What "How Payments Arrive" shows when nothing was chosen yet: both. */
#define SYNC_MODE_DEFAULT_ROW 2

struct _PdSyncGroup
{
  AdwPreferencesGroup  parent_instance;

  GCancellable        *cancellable;
  gboolean             loading;
  char                *api_login;   /* as stored */
  guint                sync_mode;   /* row of the stored mode */

  AdwComboRow         *sync_mode_row;
  AdwEntryRow         *api_login_row;
  AdwEntryRow         *api_password_row;
};

G_DEFINE_FINAL_TYPE (PdSyncGroup, pd_sync_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
changed_cb (PdSyncGroup *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
entry_activated_cb (PdSyncGroup *self)
{
  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0);
}

static void
update_sync_mode_note (PdSyncGroup *self)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->sync_mode_row),
                               pd_sync_mode_describe (adw_combo_row_get_selected (self->sync_mode_row)));
}

static void
sync_mode_changed_cb (PdSyncGroup *self)
{
  update_sync_mode_note (self);
  changed_cb (self);
}

/* Shows @api_login and @sync_mode as the stored settings, with no
 * password typed. */
void
pd_sync_group_set_saved (PdSyncGroup *self,
                         const char  *api_login,
                         const char  *sync_mode)
{
  g_return_if_fail (PD_IS_SYNC_GROUP (self));

  self->sync_mode = pd_sync_mode_choice (sync_mode, SYNC_MODE_DEFAULT_ROW);
  g_free (self->api_login);
  self->api_login = g_strdup (api_login ? api_login : "");

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->api_login_row), self->api_login);
  gtk_editable_set_text (GTK_EDITABLE (self->api_password_row), "");
  adw_combo_row_set_selected (self->sync_mode_row, self->sync_mode);
  self->loading = FALSE;
  update_sync_mode_note (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
sync_settings_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(PdSyncGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncSettings) settings = pd_store_read_finish (PD_STORE (object), result, &error);

  if (settings == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the settings for checking with PayMaster: %s", error->message);
      return;
    }
  pd_sync_group_set_saved (self, settings->api_login, settings->sync_mode);
}

/* Shows the settings stored in @store once they are read. */
void
pd_sync_group_load (PdSyncGroup *self,
                    PdStore     *store)
{
  g_return_if_fail (PD_IS_SYNC_GROUP (self));
  g_return_if_fail (PD_IS_STORE (store));

  pd_store_read_async (store, pd_sync_settings_read, NULL, NULL, (GDestroyNotify) pd_sync_settings_free,
                       self->cancellable, sync_settings_read_cb, g_object_ref (self));
}

/* What the group says and asks for depends on the protocol chosen. */
void
pd_sync_group_set_protocol (PdSyncGroup *self,
                            PdProtocol   protocol)
{
  gboolean v2 = protocol == PD_PROTOCOL_V2;

  g_return_if_fail (PD_IS_SYNC_GROUP (self));

  if (v2)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
      _("Paydesk can ask PayMaster about the open invoices by itself, with the API token, so that "
        "payments arrive even when PayMaster cannot reach this computer."));
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
      _("Paydesk can ask PayMaster about the open invoices by itself, so that payments arrive even "
        "when PayMaster cannot reach this computer. Create an API user in the PayMaster cabinet for "
        "this; leave the password empty to keep the saved one."));
  /* REST API v2 asks with the token; only the classic status API needs an
   * API user. */
  gtk_widget_set_visible (GTK_WIDGET (self->api_login_row), !v2);
  gtk_widget_set_visible (GTK_WIDGET (self->api_password_row), !v2);
}

/* The PD_SYNC_MODE_* chosen. */
const char *
pd_sync_group_get_sync_mode (PdSyncGroup *self)
{
  g_return_val_if_fail (PD_IS_SYNC_GROUP (self), NULL);

  return pd_sync_mode_for_choice (adw_combo_row_get_selected (self->sync_mode_row), SYNC_MODE_DEFAULT_ROW);
}

/* The API user's login as typed, without surrounding spaces. */
char *
pd_sync_group_dup_api_login (PdSyncGroup *self)
{
  g_return_val_if_fail (PD_IS_SYNC_GROUP (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->api_login_row))));
}

/* The API user's password as typed; empty keeps the saved one. */
const char *
pd_sync_group_get_api_password (PdSyncGroup *self)
{
  g_return_val_if_fail (PD_IS_SYNC_GROUP (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->api_password_row));
}

/* Whether the login, the mode or the password differ from what is stored. */
gboolean
pd_sync_group_get_changed (PdSyncGroup *self)
{
  g_autofree char *api_login = NULL;

  g_return_val_if_fail (PD_IS_SYNC_GROUP (self), FALSE);

  api_login = pd_sync_group_dup_api_login (self);
  return g_strcmp0 (api_login, self->api_login ? self->api_login : "") != 0 ||
         adw_combo_row_get_selected (self->sync_mode_row) != self->sync_mode ||
         *pd_sync_group_get_api_password (self) != '\0';
}

static void
pd_sync_group_dispose (GObject *object)
{
  PdSyncGroup *self = PD_SYNC_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_SYNC_GROUP);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pd_sync_group_parent_class)->dispose (object);
}

static void
pd_sync_group_finalize (GObject *object)
{
  PdSyncGroup *self = PD_SYNC_GROUP (object);

  g_free (self->api_login);

  G_OBJECT_CLASS (pd_sync_group_parent_class)->finalize (object);
}

static void
pd_sync_group_class_init (PdSyncGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_sync_group_dispose;
  object_class->finalize = pd_sync_group_finalize;

  /**
   * PdSyncGroup::changed:
   *
   * The merchant changed the mode, the login or the password.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  /**
   * PdSyncGroup::entry-activated:
   *
   * Enter was pressed in the login or the password.
   */
  signals[ENTRY_ACTIVATED] = g_signal_new ("entry-activated",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-sync-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PdSyncGroup, sync_mode_row);
  gtk_widget_class_bind_template_child (widget_class, PdSyncGroup, api_login_row);
  gtk_widget_class_bind_template_child (widget_class, PdSyncGroup, api_password_row);
  gtk_widget_class_bind_template_callback (widget_class, sync_mode_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
}

static void
pd_sync_group_init (PdSyncGroup *self)
{
  self->cancellable = g_cancellable_new ();
  self->sync_mode = SYNC_MODE_DEFAULT_ROW;

  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  adw_combo_row_set_selected (self->sync_mode_row, SYNC_MODE_DEFAULT_ROW);
  self->loading = FALSE;
  update_sync_mode_note (self);
}
