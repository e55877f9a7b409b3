/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-product-dialog.h"

struct _PdProductDialog
{
  AdwWindow parent_instance;

  PdService *service;
};

G_DEFINE_FINAL_TYPE (PdProductDialog, pd_product_dialog, ADW_TYPE_WINDOW)

GtkWidget *
pd_product_dialog_new (PdService       *service,
                       const PdProduct *product)
{
  PdProductDialog *self = g_object_new (PD_TYPE_PRODUCT_DIALOG, NULL);

  self->service = g_object_ref (service);
  return GTK_WIDGET (self);
}

static void
pd_product_dialog_dispose (GObject *object)
{
  PdProductDialog *self = PD_PRODUCT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PRODUCT_DIALOG);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_product_dialog_parent_class)->dispose (object);
}

static void
pd_product_dialog_class_init (PdProductDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pd_product_dialog_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/paydesk/Paydesk/pd-product-dialog.ui");
}

static void
pd_product_dialog_init (PdProductDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
