/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-service.h"

G_BEGIN_DECLS

#define PD_TYPE_APPLICATION (pd_application_get_type ())

G_DECLARE_FINAL_TYPE (PdApplication, pd_application, PD, APPLICATION, AdwApplication)

PdApplication *pd_application_new              (void);
PdService     *pd_application_get_service      (PdApplication *self);
GtkWindow     *pd_application_show_main_window (PdApplication *self);
GtkWindow     *pd_application_run_wizard       (PdApplication *self);

G_END_DECLS
