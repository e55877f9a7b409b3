/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-cabinet-group.h"
#include "pd-paymaster.h"

/* The addresses the merchant pastes into the PayMaster cabinet, each with
 * a button that copies it. */
struct _PdCabinetGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwActionRow        *confirmation_url_row;
  AdwActionRow        *notification_url_row;
  AdwActionRow        *success_url_row;
  AdwActionRow        *failure_url_row;
  AdwActionRow        *callback_url_row;
  AdwActionRow        *return_url_row;
};

G_DEFINE_FINAL_TYPE (PdCabinetGroup, pd_cabinet_group, ADW_TYPE_PREFERENCES_GROUP)

/* The addresses of @shop, for its protocol. With Checking only there may
 * be no address to give PayMaster, and then the group hides. */
void
pd_cabinet_group_show_shop (PdCabinetGroup *self,
                            const PdShop   *shop)
{
  gboolean v2;
  g_autofree char *notify = NULL;
  g_autofree char *success = NULL;
  g_autofree char *failure = NULL;
  g_autofree char *callback = NULL;

  g_return_if_fail (PD_IS_CABINET_GROUP (self));
  g_return_if_fail (shop != NULL);

  v2 = shop->protocol == PD_PROTOCOL_V2;
  notify = pd_shop_endpoint_url (shop, PD_PATH_NOTIFY);
  success = pd_shop_endpoint_url (shop, PD_PATH_SUCCESS);
  failure = pd_shop_endpoint_url (shop, PD_PATH_FAILURE);
  callback = pd_shop_endpoint_url (shop, PD_PATH_CALLBACK);

  {
    AdwActionRow *classic_rows[] = {
      self->confirmation_url_row, self->notification_url_row, self->success_url_row, self->failure_url_row,
    };

    for (guint i = 0; i < G_N_ELEMENTS (classic_rows); i++)
      gtk_widget_set_visible (GTK_WIDGET (classic_rows[i]), !v2);
  }
  adw_action_row_set_subtitle (self->confirmation_url_row, notify);
  adw_action_row_set_subtitle (self->notification_url_row, notify);
  adw_action_row_set_subtitle (self->success_url_row, success);
  adw_action_row_set_subtitle (self->failure_url_row, failure);
  adw_action_row_set_subtitle (self->callback_url_row, callback);
  adw_action_row_set_subtitle (self->return_url_row, success);
  gtk_widget_set_visible (GTK_WIDGET (self->callback_url_row), v2);
  gtk_widget_set_visible (GTK_WIDGET (self->return_url_row), v2);

  gtk_widget_set_visible (GTK_WIDGET (self), shop->public_url != NULL && *shop->public_url != '\0');
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
    v2 ? _("Paydesk sends these addresses to PayMaster with every invoice. If your site’s settings in the "
           "PayMaster cabinet ask for them, paste each into the field of the same name.")
       : _("In your site’s settings in the PayMaster cabinet, paste each address into the field of the "
           "same name."));
}

static void
copy_url_cb (GtkButton      *button,
             PdCabinetGroup *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  const char *url = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), url);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (_("Address copied")));
}

static void
pd_cabinet_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_CABINET_GROUP);

  G_OBJECT_CLASS (pd_cabinet_group_parent_class)->dispose (object);
}

static void
pd_cabinet_group_class_init (PdCabinetGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_cabinet_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-cabinet-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PdCabinetGroup, confirmation_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdCabinetGroup, notification_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdCabinetGroup, success_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdCabinetGroup, failure_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdCabinetGroup, callback_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdCabinetGroup, return_url_row);
  gtk_widget_class_bind_template_callback (widget_class, copy_url_cb);
}

static void
pd_cabinet_group_init (PdCabinetGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
