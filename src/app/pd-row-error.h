/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void pd_row_error_show (GtkWidget *entry_row,
                        GtkWidget *error_row,
                        gboolean   show);

G_END_DECLS
