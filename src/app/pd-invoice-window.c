/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-invoice-window.h"

struct _PdInvoiceWindow
{
  AdwWindow parent_instance;

  PdService *service;
};

G_DEFINE_FINAL_TYPE (PdInvoiceWindow, pd_invoice_window, ADW_TYPE_WINDOW)

GtkWidget *
pd_invoice_window_new (PdService *service,
                       gint64     invoice_id)
{
  PdInvoiceWindow *self = g_object_new (PD_TYPE_INVOICE_WINDOW, NULL);

  self->service = g_object_ref (service);
  return GTK_WIDGET (self);
}

static void
pd_invoice_window_dispose (GObject *object)
{
  PdInvoiceWindow *self = PD_INVOICE_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_INVOICE_WINDOW);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_invoice_window_parent_class)->dispose (object);
}

static void
pd_invoice_window_class_init (PdInvoiceWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pd_invoice_window_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/paydesk/Paydesk/pd-invoice-window.ui");
}

static void
pd_invoice_window_init (PdInvoiceWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
