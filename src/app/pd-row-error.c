/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include "pd-row-error.h"

/* An entry whose input is not valid is marked, and @error_row under it
 * says what to do. */
void
pd_row_error_show (GtkWidget *entry_row,
                   GtkWidget *error_row,
                   gboolean   show)
{
  gtk_widget_set_visible (error_row, show);
  if (show)
    gtk_widget_add_css_class (entry_row, "error");
  else
    gtk_widget_remove_css_class (entry_row, "error");
}
