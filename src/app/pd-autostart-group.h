/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

#define PD_TYPE_AUTOSTART_GROUP (pd_autostart_group_get_type ())

G_DECLARE_FINAL_TYPE (PdAutostartGroup, pd_autostart_group, PD, AUTOSTART_GROUP, AdwPreferencesGroup)

void pd_autostart_group_load (PdAutostartGroup *self,
                              PdStore          *store);

G_END_DECLS
