/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-products-page.h"

struct _PdProductsPage
{
  AdwBin parent_instance;

  PdService *service;
};

G_DEFINE_FINAL_TYPE (PdProductsPage, pd_products_page, ADW_TYPE_BIN)

void
pd_products_page_set_service (PdProductsPage *self,
                             PdService *service)
{
  g_set_object (&self->service, service);
}

static void
pd_products_page_dispose (GObject *object)
{
  PdProductsPage *self = PD_PRODUCTS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PRODUCTS_PAGE);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_products_page_parent_class)->dispose (object);
}

static void
pd_products_page_class_init (PdProductsPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pd_products_page_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/paydesk/Paydesk/pd-products-page.ui");
}

static void
pd_products_page_init (PdProductsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
