/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-database"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pd-database.h"
#include "pd-schema.h"

/* One SQLite connection with its prepared statements cached for its
 * lifetime. A connection belongs to one thread at a time. */
struct _PdDatabase
{
  sqlite3    *handle;
  char       *path;
  GHashTable *statements;   /* SQL text -> sqlite3_stmt */
};

G_DEFINE_QUARK (pd-database-error-quark, pd_database_error)

char *
pd_database_default_path (void)
{
  const char *env = g_getenv ("PAYDESK_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "paydesk", "paydesk.db", NULL);
}

void
pd_database_set_error (PdDatabase  *db,
                       int          rc,
                       GError     **error)
{
  const char *detail = db->handle ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_BUSY,
                   _("The database %s is locked by another program: close the other Paydesk "
                     "and try again."), db->path);
      break;

    case SQLITE_CONSTRAINT:
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT,
                   _("The database refused the change: %s."), detail);
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_OPEN,
                   _("The database %s cannot be used (%s): check that the file is a Paydesk "
                     "database and that you may write to it."), db->path, detail);
      break;

    default:
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_FAILED,
                   _("The database %s failed: %s."), db->path, detail);
      break;
    }
}

/* pd_fold (text): Unicode case folding for searches, since SQLite's own
 * LIKE folds ASCII only and merchants write in Russian. */
static void
fold_function (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *folded;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  folded = g_utf8_casefold (text, -1);
  sqlite3_result_text (context, folded, -1, g_free);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

PdDatabase *
pd_database_open (const char       *path,
                  PdDatabaseFlags   flags,
                  GError          **error)
{
  g_autoptr(PdDatabase) db = g_new0 (PdDatabase, 1);
  gboolean read_only = (flags & PD_DATABASE_READ_ONLY) != 0;
  int open_flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc;

  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);

  if (!read_only)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_OPEN,
                       _("Cannot create the folder %s for the database: %s."),
                       dir, g_strerror (saved_errno));
          return NULL;
        }
    }

  rc = sqlite3_open_v2 (path, &db->handle, open_flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      pd_database_set_error (db, rc, error);
      return NULL;
    }

  sqlite3_extended_result_codes (db->handle, 1);
  sqlite3_busy_timeout (db->handle, 5000);
  sqlite3_create_function (db->handle, "pd_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                           NULL, fold_function, NULL, NULL);

  /* A commit is what an HTTP 200 promises PayMaster, so it must survive a
   * power cut: synchronous=FULL. Group commit keeps that cheap. */
  if (!pd_database_exec (db, "PRAGMA foreign_keys = ON", error) ||
      !pd_database_exec (db, "PRAGMA synchronous = FULL", error))
    return NULL;

  /* Migrate (which refuses a newer schema) before switching to WAL, so
   * that a database Paydesk cannot use is left exactly as it was. */
  if (!read_only &&
      (!pd_schema_migrate (db, error) ||
       !pd_database_exec (db, "PRAGMA journal_mode = WAL", error)))
    return NULL;

  if (read_only && !pd_schema_check (db, error))
    return NULL;

  return g_steal_pointer (&db);
}

void
pd_database_close (PdDatabase *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle)
    sqlite3_close (db->handle);
  g_free (db->path);
  g_free (db);
}

const char *
pd_database_get_path (PdDatabase *db)
{
  return db->path;
}

/* Returns a reset statement owned by the connection; the caller binds and
 * steps it and must not finalize it. */
sqlite3_stmt *
pd_database_prepare (PdDatabase  *db,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      pd_database_set_error (db, rc, error);
      return NULL;
    }

  g_hash_table_insert (db->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
pd_database_exec (PdDatabase  *db,
                  const char  *sql,
                  GError     **error)
{
  int rc = sqlite3_exec (db->handle, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      pd_database_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* Runs one statement without results from the statement cache: for the
 * transaction control the writer issues for every job. */
gboolean
pd_database_run (PdDatabase  *db,
                 const char  *sql,
                 GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db, sql, error);

  return stmt != NULL && pd_database_step_done (db, stmt, error);
}

gboolean
pd_database_step_done (PdDatabase    *db,
                       sqlite3_stmt  *stmt,
                       GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      pd_database_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
pd_database_begin (PdDatabase  *db,
                   GError     **error)
{
  return pd_database_run (db, "BEGIN IMMEDIATE", error);
}

gboolean
pd_database_commit (PdDatabase  *db,
                    GError     **error)
{
  if (pd_database_run (db, "COMMIT", error))
    return TRUE;
  pd_database_rollback (db);
  return FALSE;
}

void
pd_database_rollback (PdDatabase *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
pd_database_in_transaction (PdDatabase *db)
{
  return !sqlite3_get_autocommit (db->handle);
}

/* Runs @func in a transaction of its own, unless the caller already holds
 * one (the store's writer thread batches many operations in one commit). */
gboolean
pd_database_run_in_transaction (PdDatabase      *db,
                                PdDatabaseFunc   func,
                                gpointer         data,
                                GError         **error)
{
  gboolean own = !pd_database_in_transaction (db);

  if (own && !pd_database_begin (db, error))
    return FALSE;
  if (!func (db, data, error))
    {
      if (own)
        pd_database_rollback (db);
      return FALSE;
    }
  return !own || pd_database_commit (db, error);
}

/* Steps @stmt (bound already) through all its rows and collects the
 * integer in its first column. */
GArray *
pd_database_collect_ids (sqlite3_stmt *stmt)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return ids;
}

GPtrArray *
pd_database_collect_rows (sqlite3_stmt   *stmt,
                          PdRowFunc       row,
                          GDestroyNotify  row_free)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, row (stmt));
  sqlite3_reset (stmt);
  return rows;
}

/* Runs @stmt, which takes one id, for each of @ids and collects the rows
 * in the same order; ids that no longer exist are skipped. */
GPtrArray *
pd_database_rows_by_ids (sqlite3_stmt   *stmt,
                         const gint64   *ids,
                         guint           n_ids,
                         PdRowFunc       row,
                         GDestroyNotify  row_free)
{
  GPtrArray *rows = g_ptr_array_new_full (n_ids, row_free);

  for (guint i = 0; i < n_ids; i++)
    {
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (rows, row (stmt));
      sqlite3_reset (stmt);
    }
  return rows;
}

gint64
pd_database_last_insert_id (PdDatabase *db)
{
  return sqlite3_last_insert_rowid (db->handle);
}
