/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "pd-catalog.h"
#include "pd-database.h"
#include "pd-journal.h"
#include "pd-paymaster.h"
#include "pd-store.h"
#include "pd-test-integration.h"

/* Integration tests of the storage layer on real, temporary SQLite files:
 * the schema, the catalogue's invoice numbers, the store's writer thread
 * with its group commit and savepoints, its readers, and the journal. */

#define MERCHANT_ID "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define SECRET      "U0HXxS8Ec1bCL1/hgEK98sXBd9C9RBrsoqbAGZefqgI="

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("paydesk-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "paydesk.db", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  /* Let results that are still on their way to the main context arrive,
   * so that no callback outlives the test that started it. */
  pd_test_drain_main_context ();

  pd_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* A second connection that owes nothing to the code under test. */

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (handle, 5000);
  return handle;
}

static void
raw_exec (sqlite3    *handle,
          const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (handle, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_int (sqlite3    *handle,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
raw_text (sqlite3    *handle,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gint64
path_int (const char *path,
          const char *sql)
{
  sqlite3 *handle = raw_open (path);
  gint64 value = raw_int (handle, sql);

  sqlite3_close (handle);
  return value;
}

/* Everything that describes a database's schema, in one string. */
static char *
raw_schema (sqlite3 *handle)
{
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT type, name, coalesce (sql, '') FROM sqlite_master "
                                       "ORDER BY type, name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s %s %s\n",
                            sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1),
                            sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  g_string_append_printf (out, "user_version %" G_GINT64_FORMAT "\n",
                          raw_int (handle, "PRAGMA user_version"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gint64
db_int (PdDatabase *db,
        const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pd_database_prepare (db, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static char *
db_text (PdDatabase *db,
         const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pd_database_prepare (db, sql, &error);
  char *value = NULL;

  g_assert_no_error (error);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static gint64
add_product (PdDatabase *db,
             const char *name,
             gint64      price)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (pd_catalog_add_product (db, name, price, "no_vat", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static PdInvoice *
create_invoices (PdDatabase *db,
                 gint64      product_id,
                 gint64      quantity,
                 guint       count)
{
  g_autoptr(GError) error = NULL;
  PdInvoiceLine line = { product_id, quantity };
  PdInvoiceDraft draft = { &line, 1, NULL, 0 };
  PdInvoice *invoice = pd_catalog_create_invoices (db, &draft, count, FALSE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (invoice);
  return invoice;
}

static gboolean
file_contents_equal (const char *path,
                     const char *expected,
                     gsize       expected_length)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return length == expected_length && memcmp (contents, expected, length) == 0;
}

/* Schema */

static void
test_schema_new (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autofree char *journal_mode = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *schema_again = NULL;
  sqlite3 *raw;
  gint64 version;

  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpstr (pd_database_get_path (db), ==, fixture->path);

  version = db_int (db, "PRAGMA user_version");
  g_assert_cmpint (version, >=, 1);
  journal_mode = db_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpint (db_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_false (pd_database_in_transaction (db));

  /* The tables the rest of the core relies on are there, and empty. */
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoices"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM products"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM events"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM payments"), ==, 0);
  g_clear_pointer (&db, pd_database_close);

  /* WAL is a property of the file, seen by any other connection. */
  raw = raw_open (fixture->path);
  g_assert_cmpint (raw_int (raw, "PRAGMA user_version"), ==, version);
  g_free (journal_mode);
  journal_mode = raw_text (raw, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  schema = raw_schema (raw);
  sqlite3_close (raw);

  /* Opening a current database again migrates nothing. */
  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&db, pd_database_close);
  raw = raw_open (fixture->path);
  schema_again = raw_schema (raw);
  sqlite3_close (raw);
  g_assert_cmpstr (schema_again, ==, schema);

  /* A migrated database opens read-only too. */
  db = pd_database_open (fixture->path, PD_DATABASE_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
}

static void
test_schema_read_only_not_set_up (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  sqlite3 *raw = NULL;

  /* An empty SQLite file: a reader must not try to migrate it. */
  g_assert_cmpint (sqlite3_open (fixture->path, &raw), ==, SQLITE_OK);
  raw_exec (raw, "CREATE TABLE unrelated (x)");
  sqlite3_close (raw);

  db = pd_database_open (fixture->path, PD_DATABASE_READ_ONLY, &error);
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_SCHEMA);
  g_assert_null (db);
  g_assert_cmpint (path_int (fixture->path, "PRAGMA user_version"), ==, 0);
}

/* Writes a database as a newer Paydesk would leave it: a schema version we
 * do not know, a table we do not know, and data. */
static void
write_newer_database (const char *path,
                      gboolean    wal)
{
  sqlite3 *raw = NULL;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  if (wal)
    raw_exec (raw, "PRAGMA journal_mode = WAL");
  raw_exec (raw,
            "CREATE TABLE future (x TEXT);"
            "INSERT INTO future VALUES ('from the future');"
            "PRAGMA user_version = 999;");
  sqlite3_close (raw);
}

static void
check_newer_refused (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdStore) store = NULL;

  db = pd_database_open (path, PD_DATABASE_READ_WRITE, &error);
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_SCHEMA);
  g_assert_null (db);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "999"));
  g_clear_error (&error);

  db = pd_database_open (path, PD_DATABASE_READ_ONLY, &error);
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_SCHEMA);
  g_assert_null (db);
  g_clear_error (&error);

  store = pd_store_open (path, &error);
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_SCHEMA);
  g_assert_null (store);
}

static void
test_schema_newer (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *before = NULL;
  g_autofree char *schema_before = NULL;
  g_autofree char *schema_after = NULL;
  gsize before_length = 0;
  sqlite3 *raw;

  write_newer_database (fixture->path, TRUE);
  raw = raw_open (fixture->path);
  schema_before = raw_schema (raw);
  sqlite3_close (raw);
  g_assert_true (g_file_get_contents (fixture->path, &before, &before_length, NULL));

  check_newer_refused (fixture->path);

  /* Nothing was migrated, created or rewritten. */
  raw = raw_open (fixture->path);
  schema_after = raw_schema (raw);
  g_assert_cmpint (raw_int (raw, "SELECT count (*) FROM future"), ==, 1);
  sqlite3_close (raw);
  g_assert_cmpstr (schema_after, ==, schema_before);
  g_assert_true (file_contents_equal (fixture->path, before, before_length));
}

static void
test_schema_newer_rollback_journal (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autofree char *before = NULL;
  g_autofree char *schema_before = NULL;
  g_autofree char *schema_after = NULL;
  g_autofree char *journal_mode = NULL;
  gsize before_length = 0;
  sqlite3 *raw;

  /* The same, for a file in SQLite's default rollback-journal mode: a
   * refused database must be left exactly as it was found. */
  write_newer_database (fixture->path, FALSE);
  raw = raw_open (fixture->path);
  schema_before = raw_schema (raw);
  sqlite3_close (raw);
  g_assert_true (g_file_get_contents (fixture->path, &before, &before_length, NULL));

  check_newer_refused (fixture->path);

  raw = raw_open (fixture->path);
  schema_after = raw_schema (raw);
  journal_mode = raw_text (raw, "PRAGMA journal_mode");
  sqlite3_close (raw);
  g_assert_cmpstr (schema_after, ==, schema_before);
  g_test_message ("journal mode after the refused open: %s", journal_mode);

  g_assert_cmpstr (journal_mode, ==, "delete");
  g_assert_true (file_contents_equal (fixture->path, before, before_length));
}

static void
test_schema_not_a_database (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(GString) junk = g_string_new (NULL);

  /* Big enough to hold a database header, and clearly not one. */
  for (guint i = 0; i < 512; i++)
    g_string_append (junk, "These are not the pages you are looking for.\n");
  g_assert_true (g_file_set_contents (fixture->path, junk->str, (gssize) junk->len, NULL));

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_OPEN);
  g_assert_null (db);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_clear_error (&error);

  db = pd_database_open (fixture->path, PD_DATABASE_READ_ONLY, &error);
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_OPEN);
  g_assert_null (db);
  g_clear_error (&error);

  store = pd_store_open (fixture->path, &error);
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_OPEN);
  g_assert_null (store);

  /* The file is left alone. */
  g_assert_true (file_contents_equal (fixture->path, junk->str, junk->len));
}

/* Catalogue */

static void
test_catalog_numbers (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdInvoice) first = NULL;
  g_autoptr(PdInvoice) second = NULL;
  g_autoptr(PdInvoice) third = NULL;
  g_autoptr(PdInvoice) fourth = NULL;
  g_autoptr(PdInvoice) stored = NULL;
  gint64 product;
  guint64 n1, n2, n3, n4;
  sqlite3 *raw;

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  product = add_product (db, "Чай улун", 12345);

  first = create_invoices (db, product, 2, 1);
  second = create_invoices (db, product, 1, 1);
  n1 = g_ascii_strtoull (first->number, NULL, 10);
  n2 = g_ascii_strtoull (second->number, NULL, 10);
  g_assert_cmpuint (n2, ==, n1 + 1);

  g_assert_cmpint (first->amount, ==, 24690);
  g_assert_cmpstr (first->currency, ==, "RUB");
  g_assert_cmpint (first->status, ==, PD_INVOICE_ISSUED);
  g_assert_nonnull (strstr (first->description, "Чай улун"));

  stored = pd_catalog_get_invoice (db, first->number, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->description, ==, first->description);
  g_assert_cmpint (stored->amount, ==, first->amount);
  g_assert_cmpint (stored->status, ==, PD_INVOICE_ISSUED);
  g_clear_pointer (&stored, pd_invoice_free);

  /* Someone deletes the newest invoice behind Paydesk's back. */
  raw = raw_open (fixture->path);
  raw_exec (raw, "PRAGMA foreign_keys = ON");
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM invoices WHERE number = '%s'",
                                            second->number);

    raw_exec (raw, sql);
  }
  g_assert_cmpint (sqlite3_changes (raw), ==, 1);

  /* Its number is not handed out again. */
  third = create_invoices (db, product, 1, 1);
  n3 = g_ascii_strtoull (third->number, NULL, 10);
  g_assert_cmpuint (n3, >, n2);

  /* Not even when every invoice is gone. */
  raw_exec (raw, "DELETE FROM invoices");
  sqlite3_close (raw);
  fourth = create_invoices (db, product, 1, 1);
  n4 = g_ascii_strtoull (fourth->number, NULL, 10);
  g_assert_cmpuint (n4, >, n3);

  stored = pd_catalog_get_invoice (db, second->number, &error);
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_FOUND);
  g_assert_null (stored);
}

static void
test_catalog_batch (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdInvoice) first = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  gint64 product;
  guint64 base;

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  product = add_product (db, "Cup", 500);

  first = create_invoices (db, product, 3, 250);
  base = g_ascii_strtoull (first->number, NULL, 10);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoices"), ==, 250);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoice_lines"), ==, 250);
  g_assert_cmpint (db_int (db, "SELECT count (DISTINCT number) FROM invoices"), ==, 250);

  /* Consecutive numbers, one template. */
  invoices = pd_catalog_list_invoices (db, PD_INVOICE_ISSUED, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invoices->len, ==, 250);
  for (guint i = 0; i < invoices->len; i++)
    {
      const PdInvoice *invoice = invoices->pdata[i];
      g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                   base + invoices->len - 1 - i);

      g_assert_cmpstr (invoice->number, ==, expected);
      g_assert_cmpint (invoice->amount, ==, 1500);
      g_assert_cmpstr (invoice->description, ==, first->description);
    }
}

static void
test_catalog_batch_atomic (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdInvoice) first = NULL;
  g_autoptr(PdInvoice) failed = NULL;
  g_autoptr(PdInvoice) after = NULL;
  g_autofree char *counter_before = NULL;
  g_autofree char *counter_after = NULL;
  g_autofree char *sql = NULL;
  gint64 product;
  guint64 base;
  gint64 n_invoices;

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  product = add_product (db, "Cup", 500);
  first = create_invoices (db, product, 1, 1);
  base = g_ascii_strtoull (first->number, NULL, 10);

  /* An invoice that squats on the third number of the next batch: the
   * batch fails there, and must leave nothing of the first two behind. */
  sql = g_strdup_printf ("INSERT INTO invoices (number, description, amount, currency, test, "
                         "created_at) VALUES ('%" G_GUINT64_FORMAT "', 'squatter', 1, 'RUB', 0, 0)",
                         base + 3);
  g_assert_true (pd_database_exec (db, sql, &error));
  g_assert_no_error (error);
  n_invoices = db_int (db, "SELECT count (*) FROM invoices");
  counter_before = db_text (db, "SELECT value FROM settings WHERE key = 'next_invoice_number'");

  {
    PdInvoiceLine line = { product, 1 };
    PdInvoiceDraft draft = { &line, 1, NULL, 0 };

    failed = pd_catalog_create_invoices (db, &draft, 5, FALSE, &error);
  }
  g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
  g_assert_null (failed);
  g_clear_error (&error);

  g_assert_false (pd_database_in_transaction (db));
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoices"), ==, n_invoices);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoice_lines"), ==, 1);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoice_history"), ==, 1);
  counter_after = db_text (db, "SELECT value FROM settings WHERE key = 'next_invoice_number'");
  g_assert_cmpstr (counter_after, ==, counter_before);

  /* A batch inside the caller's transaction is the caller's to undo. */
  g_assert_true (pd_database_begin (db, &error));
  g_assert_no_error (error);
  after = create_invoices (db, product, 1, 2);
  pd_database_rollback (db);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoices"), ==, n_invoices);
  g_clear_pointer (&after, pd_invoice_free);
  g_clear_pointer (&counter_after, g_free);
  counter_after = db_text (db, "SELECT value FROM settings WHERE key = 'next_invoice_number'");
  g_assert_cmpstr (counter_after, ==, counter_before);
}

static void
check_nothing_written (PdDatabase *db)
{
  g_autofree char *counter = NULL;

  g_assert_false (pd_database_in_transaction (db));
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoices"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoice_lines"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoice_history"), ==, 0);
  counter = db_text (db, "SELECT value FROM settings WHERE key = 'next_invoice_number'");
  g_assert_null (counter);
}

static void
test_catalog_bad_product (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(PdProduct) product = NULL;
  g_autoptr(GPtrArray) products = NULL;
  gint64 good, archived;
  sqlite3 *raw;

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  good = add_product (db, "Tea", 1000);
  archived = add_product (db, "Old tea", 900);

  raw = raw_open (fixture->path);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE products SET archived = 1 WHERE id = %"
                                            G_GINT64_FORMAT, archived);

    raw_exec (raw, sql);
  }
  sqlite3_close (raw);

  product = pd_catalog_get_product (db, archived, &error);
  g_assert_no_error (error);
  g_assert_true (product->archived);
  products = pd_catalog_list_products (db, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (products->len, ==, 1);

  /* An unknown product. */
  {
    PdInvoiceLine lines[] = { { good, 1 }, { good + archived + 100, 1 } };
    PdInvoiceDraft draft = { lines, G_N_ELEMENTS (lines), NULL, 0 };

    invoice = pd_catalog_create_invoices (db, &draft, 3, FALSE, &error);
    g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_FOUND);
    g_assert_null (invoice);
    g_clear_error (&error);
    check_nothing_written (db);
  }

  /* An archived one, after a good one. */
  {
    PdInvoiceLine lines[] = { { good, 1 }, { archived, 2 } };
    PdInvoiceDraft draft = { lines, G_N_ELEMENTS (lines), NULL, 0 };

    invoice = pd_catalog_create_invoices (db, &draft, 1, FALSE, &error);
    g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
    g_assert_null (invoice);
    g_assert_nonnull (strstr (error->message, "Old tea"));
    g_clear_error (&error);
    check_nothing_written (db);
  }

  /* No lines at all, and no invoices at all. */
  {
    PdInvoiceLine line = { good, 1 };
    PdInvoiceDraft empty = { &line, 0, NULL, 0 };
    PdInvoiceDraft draft = { &line, 1, NULL, 0 };

    invoice = pd_catalog_create_invoices (db, &empty, 1, FALSE, &error);
    g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
    g_clear_error (&error);
    invoice = pd_catalog_create_invoices (db, &draft, 0, FALSE, &error);
    g_assert_error (error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
    g_clear_error (&error);
    check_nothing_written (db);
  }
}

/* The store's writer */

typedef struct
{
  guint     n_done;
  guint     n_failed;
  GPtrArray *errors;   /* index -> GError or NULL */
  GPtrArray *results;  /* index -> result pointer */
} Results;

static void
free_error (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

static void
results_init (Results *results,
              guint    n)
{
  results->n_done = 0;
  results->n_failed = 0;
  results->errors = g_ptr_array_new_full (n, free_error);
  g_ptr_array_set_size (results->errors, (gint) n);
  results->results = g_ptr_array_new_full (n, NULL);
  g_ptr_array_set_size (results->results, (gint) n);
}

static GError *
job_error (Results *results,
           guint    index)
{
  return results->errors->pdata[index];
}

static void
results_clear (Results *results)
{
  g_clear_pointer (&results->errors, g_ptr_array_unref);
  g_clear_pointer (&results->results, g_ptr_array_unref);
}

/* Jobs carry their index, so that the callback can file their outcome. */
typedef struct
{
  Results *results;
  guint    index;
} Slot;

static Slot *
slot_new (Results *results,
          guint    index)
{
  Slot *slot = g_new0 (Slot, 1);

  slot->results = results;
  slot->index = index;
  return slot;
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autofree Slot *slot = user_data;
  GError *error = NULL;
  gpointer value = pd_store_write_finish (PD_STORE (object), result, &error);

  slot->results->results->pdata[slot->index] = value;
  slot->results->errors->pdata[slot->index] = error;
  if (error != NULL)
    slot->results->n_failed++;
  slot->results->n_done++;
}

static void
gate_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  guint *n_done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_write_finish (PD_STORE (object), result, &error) == GINT_TO_POINTER (1));
  g_assert_no_error (error);
  (*n_done)++;
}

/* Stores one setting; @data is the index. Returns index + 1. */
static gpointer
set_key_job (PdDatabase  *db,
             gpointer     data,
             GError     **error)
{
  guint index = GPOINTER_TO_UINT (data);
  g_autofree char *key = g_strdup_printf ("test-key-%u", index);
  g_autofree char *value = g_strdup_printf ("value %u", index);
  sqlite3_stmt *stmt = pd_database_prepare (db, "INSERT INTO settings (key, value) VALUES (?, ?)",
                                            error);

  g_assert_true (pd_database_in_transaction (db));
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  if (!pd_database_step_done (db, stmt, error))
    return NULL;
  return GUINT_TO_POINTER (index + 1);
}

/* Writes a row, then fails on its own. */
static gpointer
write_then_fail_job (PdDatabase  *db,
                     gpointer     data,
                     GError     **error)
{
  if (set_key_job (db, data, error) == NULL)
    return NULL;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "job %u fails on purpose",
               GPOINTER_TO_UINT (data));
  return NULL;
}

/* Writes a row, then breaks a constraint of the schema. */
static gpointer
write_then_violate_job (PdDatabase  *db,
                        gpointer     data,
                        GError     **error)
{
  if (set_key_job (db, data, error) == NULL)
    return NULL;
  if (!pd_database_exec (db, "INSERT INTO products (name, price, created_at) VALUES ('free', 0, 0)",
                         error))
    return NULL;
  return GINT_TO_POINTER (-1);
}

typedef struct
{
  gint64 product_id;
  guint  count;
} InvoiceJob;

/* Creates invoices through the catalogue, inside the writer's batch. */
static gpointer
create_invoices_job (PdDatabase  *db,
                     gpointer     data,
                     GError     **error)
{
  InvoiceJob *job = data;
  PdInvoiceLine line = { job->product_id, 1 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0 };

  return pd_catalog_create_invoices (db, &draft, job->count, FALSE, error);
}

static PdStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  PdStore *store = pd_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (PD_IS_STORE (store));
  g_assert_cmpstr (pd_store_get_path (store), ==, path);
  return store;
}

#define N_GROUP_WRITES 200

static void
test_store_group_commit (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(PdStore) store = open_store (fixture->path);
  Results results;
  PdTestGate gate;
  guint n_gate_done = 0;
  guint64 commits_before, commits;

  pd_test_gate_init (&gate);
  results_init (&results, N_GROUP_WRITES);
  commits_before = pd_store_get_n_commits (store);

  /* Nothing below iterates the main context: every job is queued before
   * any result can be delivered. */
  pd_store_write_async (store, pd_test_gate_job, &gate, NULL, NULL, NULL,
                        gate_written_cb, &n_gate_done);
  pd_test_gate_wait_entered (&gate);
  for (guint i = 0; i < N_GROUP_WRITES; i++)
    pd_store_write_async (store, set_key_job, GUINT_TO_POINTER (i), NULL, NULL, NULL,
                          written_cb, slot_new (&results, i));
  g_assert_cmpuint (results.n_done, ==, 0);
  pd_test_gate_open (&gate);

  pd_test_wait_for_count (&results.n_done, N_GROUP_WRITES);
  pd_test_wait_for_count (&n_gate_done, 1);
  g_assert_cmpuint (results.n_failed, ==, 0);
  for (guint i = 0; i < N_GROUP_WRITES; i++)
    g_assert_true (results.results->pdata[i] == GUINT_TO_POINTER (i + 1));

  commits = pd_store_get_n_commits (store) - commits_before;
  g_test_message ("%u writes took %" G_GUINT64_FORMAT " commits", N_GROUP_WRITES + 1, commits);
  g_assert_cmpuint (commits, >=, 1);
  g_assert_cmpuint (commits, <=, N_GROUP_WRITES / 20);

  /* Committed for everyone, not just the writer. */
  g_assert_cmpint (path_int (fixture->path,
                             "SELECT count (*) FROM settings WHERE key LIKE 'test-key-%'"),
                   ==, N_GROUP_WRITES);

  pd_store_close (store);
  results_clear (&results);
  pd_test_gate_clear (&gate);
}

static void
test_store_savepoints (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = open_store (fixture->path);
  g_autoptr(PdDatabase) db = NULL;
  InvoiceJob *good_invoices;
  InvoiceJob *bad_invoices;
  gint64 product;
  guint64 base;
  guint n_gate_done = 0;
  guint64 commits_before, commits;
  Results results;
  PdTestGate gate;
  enum { N_JOBS = 12, FAIL = 3, VIOLATE = 6, GOOD_INVOICES = 8, BAD_INVOICES = 9 };

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  product = add_product (db, "Tea", 1000);
  {
    g_autoptr(PdInvoice) first = create_invoices (db, product, 1, 1);

    base = g_ascii_strtoull (first->number, NULL, 10);
  }
  /* The bad batch of invoices (three, after the good batch of two) runs
   * into this one on its last number, after it has inserted two. */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO invoices (number, description, amount, "
                                            "currency, test, created_at) VALUES ('%"
                                            G_GUINT64_FORMAT "', 'squatter', 1, 'RUB', 0, 0)",
                                            base + 5);

    g_assert_true (pd_database_exec (db, sql, &error));
    g_assert_no_error (error);
  }

  good_invoices = g_new0 (InvoiceJob, 1);
  good_invoices->product_id = product;
  good_invoices->count = 2;
  bad_invoices = g_new0 (InvoiceJob, 1);
  bad_invoices->product_id = product;
  bad_invoices->count = 3;

  pd_test_gate_init (&gate);
  results_init (&results, N_JOBS);
  commits_before = pd_store_get_n_commits (store);

  pd_store_write_async (store, pd_test_gate_job, &gate, NULL, NULL, NULL,
                        gate_written_cb, &n_gate_done);
  pd_test_gate_wait_entered (&gate);
  for (guint i = 0; i < N_JOBS; i++)
    {
      PdStoreFunc func = set_key_job;
      gpointer data = GUINT_TO_POINTER (i);
      GDestroyNotify data_free = NULL;
      GDestroyNotify result_free = NULL;

      if (i == FAIL)
        func = write_then_fail_job;
      else if (i == VIOLATE)
        func = write_then_violate_job;
      else if (i == GOOD_INVOICES || i == BAD_INVOICES)
        {
          func = create_invoices_job;
          data = i == GOOD_INVOICES ? good_invoices : bad_invoices;
          data_free = g_free;
          result_free = (GDestroyNotify) pd_invoice_free;
        }
      pd_store_write_async (store, func, data, data_free, result_free, NULL,
                            written_cb, slot_new (&results, i));
    }
  pd_test_gate_open (&gate);
  pd_test_wait_for_count (&results.n_done, N_JOBS);
  pd_test_wait_for_count (&n_gate_done, 1);

  /* One batch after the gate's. */
  commits = pd_store_get_n_commits (store) - commits_before;
  g_assert_cmpuint (commits, <=, 2);

  /* The failing jobs got their own errors... */
  g_assert_cmpuint (results.n_failed, ==, 3);
  g_assert_error (job_error (&results, FAIL), G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (results.results->pdata[FAIL]);
  g_assert_error (job_error (&results, VIOLATE), PD_DATABASE_ERROR, PD_DATABASE_ERROR_CONSTRAINT);
  g_assert_null (results.results->pdata[VIOLATE]);
  g_assert_error (job_error (&results, BAD_INVOICES), PD_DATABASE_ERROR,
                  PD_DATABASE_ERROR_CONSTRAINT);
  g_assert_null (results.results->pdata[BAD_INVOICES]);

  /* ...the others their results... */
  for (guint i = 0; i < N_JOBS; i++)
    {
      if (i == FAIL || i == VIOLATE || i == BAD_INVOICES)
        continue;
      g_assert_null (results.errors->pdata[i]);
      if (i == GOOD_INVOICES)
        {
          PdInvoice *invoice = results.results->pdata[i];
          g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT, base + 1);

          g_assert_cmpstr (invoice->number, ==, expected);
          pd_invoice_free (invoice);
        }
      else
        g_assert_true (results.results->pdata[i] == GUINT_TO_POINTER (i + 1));
    }

  /* ...and the database holds exactly what the good jobs wrote. */
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM settings WHERE key LIKE 'test-key-%'"),
                   ==, N_JOBS - 4);
  for (guint i = 0; i < N_JOBS; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM settings "
                                              "WHERE key = 'test-key-%u'", i);
      gboolean expected = i != FAIL && i != VIOLATE && i != GOOD_INVOICES && i != BAD_INVOICES;

      g_assert_cmpint (db_int (db, sql), ==, expected ? 1 : 0);
    }
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM products"), ==, 1);
  /* The first invoice, the squatter, and the good batch of two. */
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoices"), ==, 4);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM invoice_lines"), ==, 3);
  g_assert_cmpint (db_int (db, "SELECT value FROM settings WHERE key = 'next_invoice_number'"),
                   ==, (gint64) base + 3);

  pd_store_close (store);
  results_clear (&results);
  pd_test_gate_clear (&gate);
}

/* The store's readers */

static gpointer
count_keys_job (PdDatabase  *db,
                gpointer     data,
                GError     **error)
{
  sqlite3_stmt *stmt = pd_database_prepare (db,
                                            "SELECT group_concat (value, ',') FROM "
                                            "(SELECT value FROM settings "
                                            "WHERE key LIKE 'test-key-%' ORDER BY key)",
                                            error);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text ? text : g_strdup ("");
}

static gpointer
read_invoice_job (PdDatabase  *db,
                  gpointer     data,
                  GError     **error)
{
  return pd_catalog_get_invoice (db, data, error);
}

static gpointer
write_in_reader_job (PdDatabase  *db,
                     gpointer     data,
                     GError     **error)
{
  if (!pd_database_exec (db, "INSERT INTO settings (key, value) VALUES ('reader', 'wrote')", error))
    return NULL;
  return GINT_TO_POINTER (1);
}

typedef struct
{
  guint     n_done;
  gpointer  result;
  GError   *error;
} ReadResult;

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ReadResult *read = user_data;

  read->result = pd_store_read_finish (PD_STORE (object), result, &read->error);
  read->n_done++;
}

static void
test_store_read (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(PdStore) store = open_store (fixture->path);
  Results results;
  ReadResult read = { 0 };
  InvoiceJob *job = g_new0 (InvoiceJob, 1);
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(PdInvoice) read_invoice = NULL;

  /* Write through the writer, then read through a reader. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PdDatabase) db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);

    g_assert_no_error (error);
    job->product_id = add_product (db, "Кофе", 25000);
  }
  job->count = 1;

  results_init (&results, 4);
  for (guint i = 0; i < 3; i++)
    pd_store_write_async (store, set_key_job, GUINT_TO_POINTER (i), NULL, NULL, NULL,
                          written_cb, slot_new (&results, i));
  pd_store_write_async (store, create_invoices_job, job, g_free, (GDestroyNotify) pd_invoice_free,
                        NULL, written_cb, slot_new (&results, 3));
  pd_test_wait_for_count (&results.n_done, 4);
  g_assert_cmpuint (results.n_failed, ==, 0);
  invoice = results.results->pdata[3];

  pd_store_read_async (store, count_keys_job, NULL, NULL, g_free, NULL, read_cb, &read);
  pd_test_wait_for_count (&read.n_done, 1);
  g_assert_no_error (read.error);
  g_assert_cmpstr (read.result, ==, "value 0,value 1,value 2");
  g_clear_pointer (&read.result, g_free);

  read.n_done = 0;
  pd_store_read_async (store, read_invoice_job, g_strdup (invoice->number), g_free,
                       (GDestroyNotify) pd_invoice_free, NULL, read_cb, &read);
  pd_test_wait_for_count (&read.n_done, 1);
  g_assert_no_error (read.error);
  read_invoice = g_steal_pointer (&read.result);
  g_assert_cmpstr (read_invoice->number, ==, invoice->number);
  g_assert_cmpstr (read_invoice->description, ==, "Кофе");
  g_assert_cmpint (read_invoice->amount, ==, 25000);

  /* A reader's error reaches its caller. */
  read.n_done = 0;
  pd_store_read_async (store, read_invoice_job, g_strdup ("no-such-invoice"), g_free,
                       (GDestroyNotify) pd_invoice_free, NULL, read_cb, &read);
  pd_test_wait_for_count (&read.n_done, 1);
  g_assert_error (read.error, PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_FOUND);
  g_assert_null (read.result);
  g_clear_error (&read.error);

  /* Readers cannot write. */
  read.n_done = 0;
  pd_store_read_async (store, write_in_reader_job, NULL, NULL, NULL, NULL, read_cb, &read);
  pd_test_wait_for_count (&read.n_done, 1);
  g_assert_nonnull (read.error);
  g_assert_true (read.error->domain == PD_DATABASE_ERROR);
  g_assert_null (read.result);
  g_clear_error (&read.error);

  pd_invoice_free (g_steal_pointer (&invoice));
  pd_store_close (store);
  results_clear (&results);
}

/* Recording inbound requests */

typedef struct
{
  guint n_changed;
  guint n_recorded;
  char *changed_number;
} Signals;

static void
invoice_changed_cb (PdStore    *store,
                    gint64      invoice_id,
                    const char *number,
                    Signals    *signals)
{
  signals->n_changed++;
  g_free (signals->changed_number);
  signals->changed_number = g_strdup (number);
}

static void
event_recorded_cb (PdStore  *store,
                   gpointer  decision,
                   Signals  *signals)
{
  signals->n_recorded++;
}

typedef struct
{
  guint             n_done;
  PdLedgerDecision *decision;
  GError           *error;
} RecordResult;

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RecordResult *record = user_data;

  record->decision = pd_store_record_finish (PD_STORE (object), result, &record->error);
  record->n_done++;
}

static PdInbound *
notification_inbound (const PdShop *shop,
                      const char   *number,
                      const char   *payment_id,
                      const char   *amount)
{
  PdInbound *inbound = pd_inbound_new ();
  PdForm *form = pd_form_new ();
  g_autofree char *hash = NULL;

  pd_form_add (form, "LMI_MERCHANT_ID", shop->merchant_id);
  pd_form_add (form, "LMI_PAYMENT_NO", number);
  pd_form_add (form, "LMI_SYS_PAYMENT_ID", payment_id);
  pd_form_add (form, "LMI_SYS_PAYMENT_DATE", "2016-01-26T10:53:35");
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", amount);
  pd_form_add (form, "LMI_CURRENCY", "RUB");
  pd_form_add (form, "LMI_PAID_AMOUNT", amount);
  pd_form_add (form, "LMI_PAID_CURRENCY", "RUB");
  pd_form_add (form, "LMI_PAYMENT_SYSTEM", "3");
  pd_form_add (form, "LMI_PAYMENT_METHOD", "BankCard");
  hash = pd_paymaster_sign (form, shop->hash_alg, SECRET);
  pd_form_add (form, "LMI_HASH", hash);

  inbound->remote = g_strdup ("127.0.0.1");
  inbound->method = g_strdup ("POST");
  inbound->path = g_strdup (PD_PATH_NOTIFY);
  inbound->body = pd_form_encode (form);
  pd_form_free (form);
  return inbound;
}

static void
test_store_record (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = open_store (fixture->path);
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdShop) shop = pd_shop_new ();
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(PdInvoice) stored = NULL;
  g_autoptr(GPtrArray) events = NULL;
  Signals signals = { 0 };
  RecordResult record = { 0 };
  gint64 product;

  shop->merchant_id = g_strdup (MERCHANT_ID);
  shop->mode = PD_SHOP_MODE_LIVE;
  shop->hash_alg = PD_HASH_SHA256;

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_true (pd_catalog_save_shop (db, shop, &error));
  g_assert_no_error (error);
  product = add_product (db, "Tea", 5000);
  invoice = create_invoices (db, product, 1, 1);

  g_signal_connect (store, "invoice-changed", G_CALLBACK (invoice_changed_cb), &signals);
  g_signal_connect (store, "event-recorded", G_CALLBACK (event_recorded_cb), &signals);

  /* A paying notification changes its invoice, once. */
  pd_store_record_async (store, shop, SECRET,
                         notification_inbound (shop, invoice->number, "43184405", "50.00"),
                         NULL, recorded_cb, &record);
  pd_test_wait_for_count (&record.n_done, 1);
  g_assert_no_error (record.error);
  g_assert_cmpint (record.decision->verdict, ==, PD_VERDICT_ACCEPTED);
  g_assert_cmpuint (record.decision->http_status, ==, 200);
  g_assert_true (record.decision->mark_paid);
  g_assert_cmpuint (signals.n_changed, ==, 1);
  g_assert_cmpstr (signals.changed_number, ==, invoice->number);
  g_assert_cmpuint (signals.n_recorded, ==, 1);
  g_clear_pointer (&record.decision, pd_ledger_decision_free);

  stored = pd_catalog_get_invoice (db, invoice->number, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->status, ==, PD_INVOICE_PAID);
  g_assert_cmpstr (stored->payment_id, ==, "43184405");
  g_assert_cmpint (stored->paid_at, >, 0);
  g_clear_pointer (&stored, pd_invoice_free);
  g_assert_cmpint (pd_journal_count_payments (db, &error), ==, 1);

  /* The same payment again changes nothing and says nothing. */
  record.n_done = 0;
  pd_store_record_async (store, shop, SECRET,
                         notification_inbound (shop, invoice->number, "43184405", "50"),
                         NULL, recorded_cb, &record);
  pd_test_wait_for_count (&record.n_done, 1);
  g_assert_no_error (record.error);
  g_assert_cmpint (record.decision->verdict, ==, PD_VERDICT_DUPLICATE);
  g_assert_cmpuint (record.decision->http_status, ==, 200);
  g_assert_false (record.decision->mark_paid);
  g_assert_false (record.decision->record_payment);
  g_clear_pointer (&record.decision, pd_ledger_decision_free);

  /* Let anything late arrive before counting. */
  pd_test_drain_main_context ();
  g_assert_cmpuint (signals.n_changed, ==, 1);
  g_assert_cmpuint (signals.n_recorded, ==, 2);
  g_assert_cmpint (pd_journal_count_payments (db, &error), ==, 1);

  events = pd_journal_list_events (db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  {
    const PdEvent *newest = events->pdata[0];
    const PdEvent *oldest = events->pdata[1];

    g_assert_cmpstr (oldest->verdict, ==, "accepted");
    g_assert_cmpstr (oldest->kind, ==, "notification");
    g_assert_cmpstr (oldest->payment_id, ==, "43184405");
    g_assert_cmpstr (oldest->invoice_number, ==, invoice->number);
    g_assert_cmpstr (oldest->path, ==, PD_PATH_NOTIFY);
    g_assert_cmpuint (oldest->http_status, ==, 200);
    g_assert_cmpstr (newest->verdict, ==, "duplicate");
  }

  g_signal_handlers_disconnect_by_data (store, &signals);
  pd_store_close (store);
  g_free (signals.changed_number);
}

static gpointer
open_gate_later (gpointer data)
{
  g_usleep (G_USEC_PER_SEC / 10);
  pd_test_gate_open (data);
  return NULL;
}

static void
test_store_close (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(PdStore) store = open_store (fixture->path);
  Results results;
  Results late;
  PdTestGate gate;
  GThread *opener;
  guint n_gate_done = 0;
  ReadResult read = { 0 };
  enum { N_QUEUED = 50 };

  pd_test_gate_init (&gate);
  results_init (&results, N_QUEUED);
  results_init (&late, 1);

  pd_store_write_async (store, pd_test_gate_job, &gate, NULL, NULL, NULL,
                        gate_written_cb, &n_gate_done);
  pd_test_gate_wait_entered (&gate);
  for (guint i = 0; i < N_QUEUED; i++)
    pd_store_write_async (store, set_key_job, GUINT_TO_POINTER (i), NULL, NULL, NULL,
                          written_cb, slot_new (&results, i));

  /* The writer is held inside the gate with every job still queued when
   * pd_store_close() starts waiting for it. */
  opener = g_thread_new ("gate-opener", open_gate_later, &gate);
  pd_store_close (store);
  g_thread_join (opener);

  /* Everything queued was committed before close returned... */
  g_assert_cmpint (path_int (fixture->path,
                             "SELECT count (*) FROM settings WHERE key LIKE 'test-key-%'"),
                   ==, N_QUEUED);

  /* ...and every caller still hears back. */
  pd_test_wait_for_count (&results.n_done, N_QUEUED);
  pd_test_wait_for_count (&n_gate_done, 1);
  g_assert_cmpuint (results.n_failed, ==, 0);
  for (guint i = 0; i < N_QUEUED; i++)
    g_assert_true (results.results->pdata[i] == GUINT_TO_POINTER (i + 1));

  /* A closed store refuses new work, politely. */
  pd_store_close (store);
  pd_store_write_async (store, set_key_job, GUINT_TO_POINTER (N_QUEUED), NULL, NULL, NULL,
                        written_cb, slot_new (&late, 0));
  pd_test_wait_for_count (&late.n_done, 1);
  g_assert_error (job_error (&late, 0), G_IO_ERROR, G_IO_ERROR_CLOSED);
  pd_store_read_async (store, count_keys_job, NULL, NULL, g_free, NULL, read_cb, &read);
  pd_test_wait_for_count (&read.n_done, 1);
  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&read.error);

  pd_test_gate_clear (&gate);
  results_clear (&results);
  results_clear (&late);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/schema/new", Fixture, NULL,
              fixture_setup, test_schema_new, fixture_teardown);
  g_test_add ("/store/schema/read-only-not-set-up", Fixture, NULL,
              fixture_setup, test_schema_read_only_not_set_up, fixture_teardown);
  g_test_add ("/store/schema/newer", Fixture, NULL,
              fixture_setup, test_schema_newer, fixture_teardown);
  g_test_add ("/store/schema/newer-rollback-journal", Fixture, NULL,
              fixture_setup, test_schema_newer_rollback_journal, fixture_teardown);
  g_test_add ("/store/schema/not-a-database", Fixture, NULL,
              fixture_setup, test_schema_not_a_database, fixture_teardown);
  g_test_add ("/store/catalog/numbers", Fixture, NULL,
              fixture_setup, test_catalog_numbers, fixture_teardown);
  g_test_add ("/store/catalog/batch", Fixture, NULL,
              fixture_setup, test_catalog_batch, fixture_teardown);
  g_test_add ("/store/catalog/batch-atomic", Fixture, NULL,
              fixture_setup, test_catalog_batch_atomic, fixture_teardown);
  g_test_add ("/store/catalog/bad-product", Fixture, NULL,
              fixture_setup, test_catalog_bad_product, fixture_teardown);
  g_test_add ("/store/writer/group-commit", Fixture, NULL,
              fixture_setup, test_store_group_commit, fixture_teardown);
  g_test_add ("/store/writer/savepoints", Fixture, NULL,
              fixture_setup, test_store_savepoints, fixture_teardown);
  g_test_add ("/store/reader/read", Fixture, NULL,
              fixture_setup, test_store_read, fixture_teardown);
  g_test_add ("/store/record/invoice-changed", Fixture, NULL,
              fixture_setup, test_store_record, fixture_teardown);
  g_test_add ("/store/writer/close", Fixture, NULL,
              fixture_setup, test_store_close, fixture_teardown);

  return g_test_run ();
}
