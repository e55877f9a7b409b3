/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-setup-entries.h"

G_BEGIN_DECLS

#define PD_TYPE_WIZARD_SITE_PAGE (pd_wizard_site_page_get_type ())

G_DECLARE_FINAL_TYPE (PdWizardSitePage, pd_wizard_site_page, PD, WIZARD_SITE_PAGE, AdwPreferencesPage)

void        pd_wizard_site_page_load                 (PdWizardSitePage *self,
                                                      const PdShop     *current);
void        pd_wizard_site_page_set_sandbox          (PdWizardSitePage *self,
                                                      gboolean          sandbox);
gboolean    pd_wizard_site_page_get_valid            (PdWizardSitePage *self);
PdProtocol  pd_wizard_site_page_get_protocol         (PdWizardSitePage *self);
gboolean    pd_wizard_site_page_get_secret_keepable  (PdWizardSitePage *self);
gboolean    pd_wizard_site_page_is_same_site         (PdWizardSitePage *self,
                                                      const char       *merchant_id);
const char *pd_wizard_site_page_get_secret           (PdWizardSitePage *self);
void        pd_wizard_site_page_read_entries         (PdWizardSitePage *self,
                                                      PdSetupEntries   *entries);
void        pd_wizard_site_page_focus                (PdWizardSitePage *self);

G_END_DECLS
