/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     pd_background_request_async  (GtkWindow            *parent,
                                       gboolean              autostart,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean pd_background_request_finish (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
