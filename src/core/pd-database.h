/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "pd-types.h"

G_BEGIN_DECLS

#define PD_DATABASE_ERROR (pd_database_error_quark ())

typedef enum
{
  PD_DATABASE_ERROR_OPEN,
  PD_DATABASE_ERROR_BUSY,
  PD_DATABASE_ERROR_SCHEMA,
  PD_DATABASE_ERROR_NOT_FOUND,
  PD_DATABASE_ERROR_CONSTRAINT,
  PD_DATABASE_ERROR_NOT_SET_UP,
  PD_DATABASE_ERROR_FAILED,
} PdDatabaseError;

typedef enum
{
  PD_DATABASE_READ_WRITE = 0,
  PD_DATABASE_READ_ONLY  = 1 << 0,
} PdDatabaseFlags;

GQuark         pd_database_error_quark     (void);

char          *pd_database_default_path    (void);
PdDatabase    *pd_database_open            (const char       *path,
                                            PdDatabaseFlags   flags,
                                            GError          **error);
void           pd_database_close           (PdDatabase       *db);
const char    *pd_database_get_path        (PdDatabase       *db);
sqlite3_stmt  *pd_database_prepare         (PdDatabase       *db,
                                            const char       *sql,
                                            GError          **error);
gboolean       pd_database_exec            (PdDatabase       *db,
                                            const char       *sql,
                                            GError          **error);
gboolean       pd_database_run             (PdDatabase       *db,
                                            const char       *sql,
                                            GError          **error);
gboolean       pd_database_step_done       (PdDatabase       *db,
                                            sqlite3_stmt     *stmt,
                                            GError          **error);
gboolean       pd_database_begin           (PdDatabase       *db,
                                            GError          **error);
gboolean       pd_database_commit          (PdDatabase       *db,
                                            GError          **error);
void           pd_database_rollback        (PdDatabase       *db);
typedef gboolean (*PdDatabaseFunc) (PdDatabase  *db,
                                    gpointer     data,
                                    GError     **error);

gboolean       pd_database_in_transaction  (PdDatabase       *db);
gboolean       pd_database_run_in_transaction (PdDatabase    *db,
                                            PdDatabaseFunc    func,
                                            gpointer          data,
                                            GError          **error);
/* Builds one row's record from the statement's current row. */
typedef gpointer (*PdRowFunc) (sqlite3_stmt *stmt);

GArray        *pd_database_collect_ids     (sqlite3_stmt     *stmt);
GPtrArray     *pd_database_collect_rows    (sqlite3_stmt     *stmt,
                                            PdRowFunc         row,
                                            GDestroyNotify    row_free);
GPtrArray     *pd_database_rows_by_ids     (sqlite3_stmt     *stmt,
                                            const gint64     *ids,
                                            guint             n_ids,
                                            PdRowFunc         row,
                                            GDestroyNotify    row_free);
gint64         pd_database_last_insert_id  (PdDatabase       *db);
void           pd_database_set_error       (PdDatabase       *db,
                                            int               rc,
                                            GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdDatabase, pd_database_close)

G_END_DECLS
