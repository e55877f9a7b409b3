/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-setup-entries.h"
#include "pd-sync-settings.h"

G_BEGIN_DECLS

#define PD_TYPE_WIZARD_ADDRESS_PAGE (pd_wizard_address_page_get_type ())

G_DECLARE_FINAL_TYPE (PdWizardAddressPage, pd_wizard_address_page, PD, WIZARD_ADDRESS_PAGE, AdwPreferencesPage)

void     pd_wizard_address_page_load                 (PdWizardAddressPage  *self,
                                                      const PdShop         *current);
void     pd_wizard_address_page_set_sandbox          (PdWizardAddressPage  *self,
                                                      gboolean              sandbox);
void     pd_wizard_address_page_set_protocol         (PdWizardAddressPage  *self,
                                                      PdProtocol            protocol);
void     pd_wizard_address_page_set_secret_keepable  (PdWizardAddressPage  *self,
                                                      gboolean              keepable);
void     pd_wizard_address_page_set_sync_settings    (PdWizardAddressPage  *self,
                                                      const PdSyncSettings *settings);
gboolean pd_wizard_address_page_get_valid            (PdWizardAddressPage  *self);
void     pd_wizard_address_page_read_entries         (PdWizardAddressPage  *self,
                                                      PdSetupEntries       *entries);
void     pd_wizard_address_page_focus                (PdWizardAddressPage  *self);

G_END_DECLS
