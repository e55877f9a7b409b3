/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-autostart-group.h"
#include "pd-background.h"
#include "pd-catalog.h"

/* Starting at login: the desktop is asked first (the Background portal),
 * then the choice is remembered. It applies at once, like any switch. */
struct _PdAutostartGroup
{
  AdwPreferencesGroup  parent_instance;

  PdStore             *store;
  GCancellable        *cancellable;
  gboolean             busy;     /* the switch is set from code */

  GtkSwitch           *autostart_switch;
};

G_DEFINE_FINAL_TYPE (PdAutostartGroup, pd_autostart_group, ADW_TYPE_PREFERENCES_GROUP)

static void
set_autostart_quietly (PdAutostartGroup *self,
                       gboolean          active)
{
  self->busy = TRUE;
  gtk_switch_set_active (self->autostart_switch, active);
  self->busy = FALSE;
}

static void
autostart_failed (PdAutostartGroup *self,
                  gboolean          requested,
                  const GError     *error)
{
  g_autofree char *text = g_strdup_printf (_("Could not change starting at login: %s"), error->message);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  set_autostart_quietly (self, !requested);
  gtk_widget_set_sensitive (GTK_WIDGET (self->autostart_switch), TRUE);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

static gpointer
write_autostart_in_writer (PdDatabase  *db,
                           gpointer     data,
                           GError     **error)
{
  if (!pd_catalog_set_setting (db, "autostart", GPOINTER_TO_INT (data) ? "true" : "false", error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
autostart_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PdAutostartGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pd_store_write_finish (PD_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        autostart_failed (self, gtk_switch_get_active (self->autostart_switch), error);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->autostart_switch), TRUE);
}

static void
background_requested_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(PdAutostartGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean requested;

  if (!pd_background_request_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        autostart_failed (self, gtk_switch_get_active (self->autostart_switch), error);
      return;
    }

  requested = gtk_switch_get_active (self->autostart_switch);
  pd_store_write_async (self->store, write_autostart_in_writer, GINT_TO_POINTER (requested), NULL, NULL,
                        self->cancellable, autostart_written_cb, g_object_ref (self));
}

static void
autostart_changed_cb (PdAutostartGroup *self)
{
  if (self->busy || self->store == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->autostart_switch), FALSE);
  pd_background_request_async (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                               gtk_switch_get_active (self->autostart_switch),
                               self->cancellable, background_requested_cb, g_object_ref (self));
}

static void
autostart_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PdAutostartGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = pd_store_read_finish (PD_STORE (object), result, &error);

  if (value == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the autostart setting: %s", error->message);
      return;
    }
  set_autostart_quietly (self, g_strcmp0 (value, "true") == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->autostart_switch), TRUE);
}

/* Shows the choice stored in @store once it is read; the switch can be
 * moved from then on, and a move is stored there. */
void
pd_autostart_group_load (PdAutostartGroup *self,
                         PdStore          *store)
{
  g_return_if_fail (PD_IS_AUTOSTART_GROUP (self));
  g_return_if_fail (PD_IS_STORE (store));

  g_set_object (&self->store, store);
  pd_store_read_async (store, pd_catalog_read_setting, (gpointer) "autostart", NULL, g_free,
                       self->cancellable, autostart_read_cb, g_object_ref (self));
}

static void
pd_autostart_group_dispose (GObject *object)
{
  PdAutostartGroup *self = PD_AUTOSTART_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_AUTOSTART_GROUP);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pd_autostart_group_parent_class)->dispose (object);
}

static void
pd_autostart_group_class_init (PdAutostartGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_autostart_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-autostart-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAutostartGroup, autostart_switch);
  gtk_widget_class_bind_template_callback (widget_class, autostart_changed_cb);
}

static void
pd_autostart_group_init (PdAutostartGroup *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
