/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"
#include "pd-types.h"

G_BEGIN_DECLS

#define PD_TYPE_SYNC_GROUP (pd_sync_group_get_type ())

G_DECLARE_FINAL_TYPE (PdSyncGroup, pd_sync_group, PD, SYNC_GROUP, AdwPreferencesGroup)

void        pd_sync_group_load             (PdSyncGroup *self,
                                            PdStore     *store);
void        pd_sync_group_set_saved        (PdSyncGroup *self,
                                            const char  *api_login,
                                            const char  *sync_mode);
void        pd_sync_group_set_protocol     (PdSyncGroup *self,
                                            PdProtocol   protocol);
const char *pd_sync_group_get_sync_mode    (PdSyncGroup *self);
char       *pd_sync_group_dup_api_login    (PdSyncGroup *self);
const char *pd_sync_group_get_api_password (PdSyncGroup *self);
gboolean    pd_sync_group_get_changed      (PdSyncGroup *self);

G_END_DECLS
