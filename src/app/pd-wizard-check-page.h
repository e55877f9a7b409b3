/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-setup-check.h"

G_BEGIN_DECLS

#define PD_TYPE_WIZARD_CHECK_PAGE (pd_wizard_check_page_get_type ())

G_DECLARE_FINAL_TYPE (PdWizardCheckPage, pd_wizard_check_page, PD, WIZARD_CHECK_PAGE, AdwPreferencesPage)

PdSetupCheck *pd_wizard_check_page_get_check (PdWizardCheckPage *self);
void          pd_wizard_check_page_set_check (PdWizardCheckPage *self,
                                              PdSetupCheck      *check);

G_END_DECLS
