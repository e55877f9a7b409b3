/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GdkTexture *pd_qr_texture_new (const char  *text,
                               guint        module_size,
                               GError     **error);

G_END_DECLS
