/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-payments-page.h"

struct _PdPaymentsPage
{
  AdwBin parent_instance;

  PdService *service;
};

G_DEFINE_FINAL_TYPE (PdPaymentsPage, pd_payments_page, ADW_TYPE_BIN)

void
pd_payments_page_set_service (PdPaymentsPage *self,
                             PdService *service)
{
  g_set_object (&self->service, service);
}

static void
pd_payments_page_dispose (GObject *object)
{
  PdPaymentsPage *self = PD_PAYMENTS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PAYMENTS_PAGE);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_payments_page_parent_class)->dispose (object);
}

static void
pd_payments_page_class_init (PdPaymentsPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pd_payments_page_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/paydesk/Paydesk/pd-payments-page.ui");
}

static void
pd_payments_page_init (PdPaymentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
