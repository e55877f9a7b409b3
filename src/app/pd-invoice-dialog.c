/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-invoice-dialog.h"

struct _PdInvoiceDialog
{
  AdwWindow parent_instance;

  PdService *service;
};

G_DEFINE_FINAL_TYPE (PdInvoiceDialog, pd_invoice_dialog, ADW_TYPE_WINDOW)

GtkWidget *
pd_invoice_dialog_new (PdService *service)
{
  PdInvoiceDialog *self = g_object_new (PD_TYPE_INVOICE_DIALOG, NULL);

  self->service = g_object_ref (service);
  return GTK_WIDGET (self);
}

static void
pd_invoice_dialog_dispose (GObject *object)
{
  PdInvoiceDialog *self = PD_INVOICE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_INVOICE_DIALOG);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_invoice_dialog_parent_class)->dispose (object);
}

static void
pd_invoice_dialog_class_init (PdInvoiceDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pd_invoice_dialog_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/paydesk/Paydesk/pd-invoice-dialog.ui");
}

static void
pd_invoice_dialog_init (PdInvoiceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
