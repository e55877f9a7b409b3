/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-invoices-page.h"

struct _PdInvoicesPage
{
  AdwBin parent_instance;

  PdService *service;
};

G_DEFINE_FINAL_TYPE (PdInvoicesPage, pd_invoices_page, ADW_TYPE_BIN)

void
pd_invoices_page_set_service (PdInvoicesPage *self,
                             PdService *service)
{
  g_set_object (&self->service, service);
}

static void
pd_invoices_page_dispose (GObject *object)
{
  PdInvoicesPage *self = PD_INVOICES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_INVOICES_PAGE);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_invoices_page_parent_class)->dispose (object);
}

static void
pd_invoices_page_class_init (PdInvoicesPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pd_invoices_page_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/paydesk/Paydesk/pd-invoices-page.ui");
}

static void
pd_invoices_page_init (PdInvoicesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
