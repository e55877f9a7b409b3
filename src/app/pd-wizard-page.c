/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include "pd-wizard-page.h"

/* How the setup wizard's pages point at what is wrong as it is typed. */

void
pd_wizard_page_set_error (GtkWidget *widget,
                          gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}

/* Shows @text in @label, or hides @label for NULL. */
void
pd_wizard_page_show_label (GtkLabel   *label,
                           const char *text)
{
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}
