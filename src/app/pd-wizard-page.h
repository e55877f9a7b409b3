/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void pd_wizard_page_set_error  (GtkWidget  *widget,
                                gboolean    error);
void pd_wizard_page_show_label (GtkLabel   *label,
                                const char *text);

G_END_DECLS
