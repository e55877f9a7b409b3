/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-database.h"

G_BEGIN_DECLS

gboolean    pd_schema_migrate       (PdDatabase  *db,
                                     GError     **error);
gboolean    pd_schema_check         (PdDatabase  *db,
                                     GError     **error);
const char *pd_schema_get_migration (guint        version);

G_END_DECLS
