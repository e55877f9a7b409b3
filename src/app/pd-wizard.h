/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-application.h"

G_BEGIN_DECLS

#define PD_TYPE_WIZARD (pd_wizard_get_type ())

G_DECLARE_FINAL_TYPE (PdWizard, pd_wizard, PD, WIZARD, AdwWindow)

GtkWidget  *pd_wizard_new             (PdApplication *application);
const char *pd_wizard_get_payment_url (PdWizard      *self);

G_END_DECLS
