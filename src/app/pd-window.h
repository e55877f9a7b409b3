/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-application.h"

G_BEGIN_DECLS

#define PD_TYPE_WINDOW (pd_window_get_type ())

G_DECLARE_FINAL_TYPE (PdWindow, pd_window, PD, WINDOW, AdwApplicationWindow)

PdWindow *pd_window_new         (PdApplication *application);
void      pd_window_show_toast  (PdWindow      *self,
                                 const char    *text);
void      pd_window_show_page   (PdWindow      *self,
                                 const char    *name);

G_END_DECLS
