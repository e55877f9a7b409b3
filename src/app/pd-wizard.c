/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-wizard.h"

struct _PdWizard
{
  AdwWindow parent_instance;

  PdService *service;   /* unused until the wizard is built */
};

G_DEFINE_FINAL_TYPE (PdWizard, pd_wizard, ADW_TYPE_WINDOW)

GtkWidget *
pd_wizard_new (PdApplication *application)
{
  return g_object_new (PD_TYPE_WIZARD, "application", application, NULL);
}

static void
pd_wizard_dispose (GObject *object)
{
  PdWizard *self = PD_WIZARD (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_WIZARD);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_wizard_parent_class)->dispose (object);
}

static void
pd_wizard_class_init (PdWizardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pd_wizard_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/paydesk/Paydesk/pd-wizard.ui");
}

static void
pd_wizard_init (PdWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
