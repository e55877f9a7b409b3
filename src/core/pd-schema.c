/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-schema"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-schema.h"

/* Each entry moves the schema from version i to i + 1. Never edit an entry
 * that has shipped; append a new one. */
static const char *migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"

  "CREATE TABLE products ("
  "  id         INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name       TEXT NOT NULL CHECK (length (name) > 0),"
  "  price      INTEGER NOT NULL CHECK (price > 0),"
  "  vat        TEXT NOT NULL DEFAULT 'no_vat',"
  "  archived   INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL"
  ");"

  "CREATE TABLE invoices ("
  "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  number      TEXT NOT NULL UNIQUE,"
  "  description TEXT NOT NULL,"
  "  amount      INTEGER NOT NULL CHECK (amount > 0),"
  "  currency    TEXT NOT NULL,"
  "  status      TEXT NOT NULL DEFAULT 'issued'"
  "              CHECK (status IN ('issued', 'paid', 'cancelled', 'expired', 'refunded')),"
  "  test        INTEGER NOT NULL,"
  "  email       TEXT,"
  "  created_at  INTEGER NOT NULL,"
  "  expires_at  INTEGER,"
  "  paid_at     INTEGER,"
  "  payment_id  TEXT"
  ");"
  "CREATE INDEX invoices_by_status ON invoices (status, id);"

  "CREATE TABLE invoice_lines ("
  "  invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,"
  "  position   INTEGER NOT NULL,"
  "  product_id INTEGER REFERENCES products (id),"
  "  name       TEXT NOT NULL,"
  "  price      INTEGER NOT NULL,"
  "  quantity   INTEGER NOT NULL CHECK (quantity > 0),"
  "  vat        TEXT NOT NULL,"
  "  PRIMARY KEY (invoice_id, position)"
  ") WITHOUT ROWID;"

  "CREATE TABLE invoice_history ("
  "  id         INTEGER PRIMARY KEY,"
  "  invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,"
  "  status     TEXT NOT NULL,"
  "  at         INTEGER NOT NULL,"
  "  note       TEXT"
  ");"
  "CREATE INDEX invoice_history_by_invoice ON invoice_history (invoice_id);"

  "CREATE TABLE events ("
  "  id             INTEGER PRIMARY KEY,"
  "  at             INTEGER NOT NULL,"
  "  remote         TEXT,"
  "  method         TEXT,"
  "  path           TEXT NOT NULL,"
  "  body           TEXT,"
  "  kind           TEXT NOT NULL,"
  "  verdict        TEXT NOT NULL,"
  "  reason         TEXT NOT NULL,"
  "  http_status    INTEGER NOT NULL,"
  "  invoice_number TEXT,"
  "  payment_id     TEXT"
  ");"

  "CREATE TABLE payments ("
  "  id             INTEGER PRIMARY KEY,"
  "  paymaster_id   TEXT NOT NULL UNIQUE,"
  "  invoice_id     INTEGER REFERENCES invoices (id),"
  "  invoice_number TEXT NOT NULL,"
  "  amount         INTEGER,"
  "  currency       TEXT,"
  "  paid_amount    INTEGER,"
  "  paid_currency  TEXT,"
  "  method         TEXT,"
  "  payer          TEXT,"
  "  paid_date      TEXT,"
  "  test           INTEGER NOT NULL,"
  "  applied        INTEGER NOT NULL,"
  "  fields         TEXT NOT NULL,"
  "  received_at    INTEGER NOT NULL,"
  "  event_id       INTEGER NOT NULL REFERENCES events (id)"
  ");"
  "CREATE INDEX payments_by_invoice ON payments (invoice_id);",

  /* 2: 54-FZ receipts, the REST API v2 and refunds. A partly refunded
   * invoice stays 'paid' with refunded > 0: the status list of schema 1
   * cannot grow without rebuilding the table. */
  "ALTER TABLE products ADD COLUMN subject INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE products ADD COLUMN method INTEGER NOT NULL DEFAULT 4;"
  "ALTER TABLE invoice_lines ADD COLUMN subject INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE invoice_lines ADD COLUMN method INTEGER NOT NULL DEFAULT 4;"
  "ALTER TABLE invoices ADD COLUMN phone TEXT;"
  "ALTER TABLE invoices ADD COLUMN paymaster_url TEXT;"
  "ALTER TABLE invoices ADD COLUMN paymaster_invoice_id TEXT;"
  "ALTER TABLE invoices ADD COLUMN idempotency_key TEXT;"
  "ALTER TABLE invoices ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0;"

  "CREATE TABLE refunds ("
  "  id              INTEGER PRIMARY KEY,"
  "  invoice_id      INTEGER NOT NULL REFERENCES invoices (id),"
  "  payment_id      TEXT NOT NULL,"
  "  amount          INTEGER NOT NULL CHECK (amount > 0),"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  paymaster_id    TEXT,"
  "  status          TEXT NOT NULL DEFAULT 'requested'"
  "                  CHECK (status IN ('requested', 'done', 'failed')),"
  "  created_at      INTEGER NOT NULL,"
  "  note            TEXT"
  ");"
  "CREATE INDEX refunds_by_invoice ON refunds (invoice_id);",
};

static int
read_user_version (PdDatabase  *db,
                   GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      pd_database_set_error (db, sqlite3_reset (stmt), error);
      return -1;
    }
  version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return version;
}

static gboolean
check_not_newer (PdDatabase  *db,
                 int          version,
                 GError     **error)
{
  if (version <= (int) G_N_ELEMENTS (migrations))
    return TRUE;

  g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_SCHEMA,
               _("The database %s was written by a newer Paydesk (schema %d): "
                 "update Paydesk to open it."), pd_database_get_path (db), version);
  return FALSE;
}

/* The SQL that takes the schema from @version - 1 to @version, or NULL
 * when there is no such step. Tests build older databases with it, to
 * check what the later steps make of them. */
const char *
pd_schema_get_migration (guint version)
{
  if (version == 0 || version > G_N_ELEMENTS (migrations))
    return NULL;
  return migrations[version - 1];
}

gboolean
pd_schema_check (PdDatabase  *db,
                 GError     **error)
{
  int version = read_user_version (db, error);

  if (version < 0 || !check_not_newer (db, version, error))
    return FALSE;

  if (version < (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_SCHEMA,
                   _("The database %s is not set up yet: run Paydesk once to create it."),
                   pd_database_get_path (db));
      return FALSE;
    }
  return TRUE;
}

gboolean
pd_schema_migrate (PdDatabase  *db,
                   GError     **error)
{
  int version = read_user_version (db, error);

  if (version < 0 || !check_not_newer (db, version, error))
    return FALSE;

  if (version == (int) G_N_ELEMENTS (migrations))
    return TRUE;

  if (!pd_database_begin (db, error))
    return FALSE;

  /* Read again under the write lock: another process may have migrated. */
  version = read_user_version (db, error);
  for (; version >= 0 && version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!pd_database_exec (db, migrations[version], error) ||
          !pd_database_exec (db, bump, error))
        {
          pd_database_rollback (db);
          return FALSE;
        }
    }

  return version >= 0 && pd_database_commit (db, error);
}
