/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog.h"
#include "pd-store.h"

/* The store owns one writer connection on a thread of its own, fed by a
 * queue of GTasks. The writer takes every job that is waiting, runs each in
 * a savepoint of one transaction and commits once (group commit), so that
 * a burst of notifications costs one fsync, not one each. Results come
 * back on the main context of whoever asked. Reads run on a small pool of
 * read-only connections and never wait for the writer (WAL). */

#define MAX_BATCH 512
#define MAX_READERS 4

struct _PdStore
{
  GObject       parent_instance;

  char         *path;
  PdDatabase   *writer_db;
  GThread      *writer;
  GAsyncQueue  *jobs;
  GAsyncQueue  *readers;
  gint          n_commits;   /* atomic: written by the writer, read anywhere */
  gboolean      closed;
};

G_DEFINE_FINAL_TYPE (PdStore, pd_store, G_TYPE_OBJECT)

enum {
  EVENT_RECORDED,
  INVOICE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct _Job Job;

struct _Job
{
  PdStoreFunc     func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
  gpointer        result;
  GError         *error;
  /* Tells the main context what a successful job changed, just before
   * its caller hears of it. */
  void          (*announce) (PdStore *store,
                             Job     *job);
};

/* Pushed to tell the writer thread to finish. */
static Job stop_job;

static void
job_free (Job *job)
{
  if (job->data_free)
    job->data_free (job->data);
  if (job->result && job->result_free)
    job->result_free (job->result);
  g_clear_error (&job->error);
  g_free (job);
}

static void
run_in_savepoint (PdDatabase *db,
                  Job        *job)
{
  if (!pd_database_run (db, "SAVEPOINT job", &job->error))
    return;

  job->result = job->func (db, job->data, &job->error);
  if (job->error != NULL)
    {
      pd_database_run (db, "ROLLBACK TO job", NULL);
      if (job->result && job->result_free)
        g_clear_pointer (&job->result, job->result_free);
    }
  pd_database_run (db, "RELEASE job", NULL);
}

/* Hands a finished job's result or error to its task. */
static void
job_return (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  if (job->error != NULL)
    g_task_return_error (task, g_steal_pointer (&job->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&job->result), job->result_free);
}

static gboolean
return_tasks_cb (gpointer data)
{
  GPtrArray *tasks = data;

  /* Within this dispatch GTask calls each callback at once, so a whole
   * commit costs the main loop one wake-up, not one per job. */
  for (guint i = 0; i < tasks->len; i++)
    {
      Job *job = g_task_get_task_data (tasks->pdata[i]);

      if (job->error == NULL && job->announce != NULL)
        job->announce (g_task_get_source_object (tasks->pdata[i]), job);
      job_return (tasks->pdata[i]);
    }
  return G_SOURCE_REMOVE;
}

/* Hands the batch's tasks back, one dispatch per main context they came
 * from (in practice one). */
static void
return_batch (GPtrArray *batch)
{
  g_autoptr(GHashTable) by_context = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer context, tasks;

  for (guint i = 0; i < batch->len; i++)
    {
      GMainContext *task_context = g_task_get_context (batch->pdata[i]);
      GPtrArray *group = g_hash_table_lookup (by_context, task_context);

      if (group == NULL)
        {
          group = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (by_context, task_context, group);
        }
      g_ptr_array_add (group, batch->pdata[i]);
    }

  g_hash_table_iter_init (&iter, by_context);
  while (g_hash_table_iter_next (&iter, &context, &tasks))
    g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, return_tasks_cb, tasks,
                                (GDestroyNotify) g_ptr_array_unref);
}

static void
job_reset (Job *job)
{
  if (job->result && job->result_free)
    job->result_free (job->result);
  job->result = NULL;
  g_clear_error (&job->error);
}

/* Returns whether every job succeeded. */
static gboolean
run_jobs (PdStore   *self,
          GPtrArray *batch,
          gboolean   in_savepoints)
{
  gboolean all_succeeded = TRUE;

  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = g_task_get_task_data (batch->pdata[i]);

      job_reset (job);
      if (in_savepoints)
        run_in_savepoint (self->writer_db, job);
      else
        job->result = job->func (self->writer_db, job->data, &job->error);
      all_succeeded &= job->error == NULL;
    }
  return all_succeeded;
}

static void
commit_batch (PdStore   *self,
              GPtrArray *batch)
{
  g_autoptr(GError) error = NULL;

  if (pd_database_begin (self->writer_db, &error))
    {
      /* Jobs rarely fail, so they run plainly first; when one does, the
       * batch starts over with each job in a savepoint of its own, so that
       * the failure is undone and the others still commit. */
      if (!run_jobs (self, batch, FALSE))
        {
          pd_database_rollback (self->writer_db);
          if (batch->len > 1 && pd_database_begin (self->writer_db, &error))
            run_jobs (self, batch, TRUE);
        }

      if (pd_database_in_transaction (self->writer_db) &&
          pd_database_commit (self->writer_db, &error))
        g_atomic_int_inc (&self->n_commits);
    }

  if (error != NULL)
    {
      for (guint i = 0; i < batch->len; i++)
        {
          Job *job = g_task_get_task_data (batch->pdata[i]);

          job_reset (job);
          job->error = g_error_copy (error);
        }
    }

  return_batch (batch);
}

static gpointer
writer_thread (gpointer data)
{
  PdStore *self = data;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  gboolean stopping = FALSE;

  while (!stopping)
    {
      gpointer item = g_async_queue_pop (self->jobs);

      while (item != NULL)
        {
          if (item == &stop_job)
            {
              stopping = TRUE;
              break;
            }
          g_ptr_array_add (batch, item);
          item = batch->len < MAX_BATCH ? g_async_queue_try_pop (self->jobs) : NULL;
        }

      if (batch->len > 0)
        commit_batch (self, batch);
      g_ptr_array_set_size (batch, 0);
    }

  return NULL;
}

PdStore *
pd_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(PdStore) self = NULL;
  PdDatabase *db = pd_database_open (path, PD_DATABASE_READ_WRITE, error);

  if (db == NULL)
    return NULL;

  self = g_object_new (PD_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->writer_db = db;
  self->writer = g_thread_new ("paydesk-writer", writer_thread, self);
  return g_steal_pointer (&self);
}

const char *
pd_store_get_path (PdStore *self)
{
  g_return_val_if_fail (PD_IS_STORE (self), NULL);
  return self->path;
}

/* Lets the writer finish every job already queued (their results are still
 * delivered on their main contexts), then closes all connections. */
void
pd_store_close (PdStore *self)
{
  PdDatabase *reader;

  g_return_if_fail (PD_IS_STORE (self));

  if (self->closed)
    return;
  self->closed = TRUE;

  g_async_queue_push (self->jobs, &stop_job);
  g_thread_join (g_steal_pointer (&self->writer));
  g_clear_pointer (&self->writer_db, pd_database_close);

  while ((reader = g_async_queue_try_pop (self->readers)) != NULL)
    pd_database_close (reader);
}

guint64
pd_store_get_n_commits (PdStore *self)
{
  return (guint64) g_atomic_int_get (&self->n_commits);
}

static Job *
job_new (PdStoreFunc     func,
         gpointer        data,
         GDestroyNotify  data_free,
         GDestroyNotify  result_free)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  return job;
}

/* Returns the task for a new job, or NULL when the store is closed (the
 * task has then already failed). */
static GTask *
job_task_new (PdStore             *self,
              gpointer             source_tag,
              PdStoreFunc          func,
              gpointer             data,
              GDestroyNotify       data_free,
              GDestroyNotify       result_free,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job_new (func, data, data_free, result_free), (GDestroyNotify) job_free);

  if (self->closed)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The database is closed."));
      return NULL;
    }
  return g_steal_pointer (&task);
}

void
pd_store_write_async (PdStore             *self,
                      PdStoreFunc          func,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GDestroyNotify       result_free,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PD_IS_STORE (self));

  task = job_task_new (self, pd_store_write_async, func, data, data_free, result_free,
                       cancellable, callback, user_data);
  if (task != NULL)
    g_async_queue_push (self->jobs, task);
}

gpointer
pd_store_write_finish (PdStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
read_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PdStore *self = source_object;
  Job *job = task_data;
  PdDatabase *db = g_async_queue_try_pop (self->readers);

  if (db == NULL)
    db = pd_database_open (self->path, PD_DATABASE_READ_ONLY, &job->error);

  if (db != NULL)
    {
      job->result = job->func (db, job->data, &job->error);
      if (g_async_queue_length (self->readers) < MAX_READERS)
        g_async_queue_push (self->readers, db);
      else
        pd_database_close (db);
    }

  job_return (task);
}

void
pd_store_read_async (PdStore             *self,
                     PdStoreFunc          func,
                     gpointer             data,
                     GDestroyNotify       data_free,
                     GDestroyNotify       result_free,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PD_IS_STORE (self));

  task = job_task_new (self, pd_store_read_async, func, data, data_free, result_free,
                       cancellable, callback, user_data);
  if (task != NULL)
    g_task_run_in_thread (task, read_in_thread);
}

/* Every job's task returns its result the same way, read or written. */
gpointer
pd_store_read_finish (PdStore       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return pd_store_write_finish (self, result, error);
}

void
pd_ledger_decision_free (PdLedgerDecision *decision)
{
  if (decision == NULL)
    return;
  pd_ledger_decision_clear (decision);
  g_free (decision);
}

typedef struct
{
  PdShop    *shop;
  char      *secret;
  PdInbound *inbound;
} RecordJob;

static void
record_job_free (RecordJob *job)
{
  pd_shop_free (job->shop);
  g_free (job->secret);
  pd_inbound_free (job->inbound);
  g_free (job);
}

static gpointer
record_in_writer (PdDatabase  *db,
                  gpointer     data,
                  GError     **error)
{
  RecordJob *job = data;
  g_autoptr(PdLedgerDecision) decision = g_new0 (PdLedgerDecision, 1);

  if (!pd_journal_record (db, job->shop, job->secret, job->inbound, decision, error))
    return NULL;

  /* The parsed form is freed here rather than on the busy main thread; a
   * retried batch simply parses the body again. */
  g_clear_pointer (&job->inbound->form, pd_form_free);
  return g_steal_pointer (&decision);
}

/* Tells those who follow the journal about an event Paydesk wrote itself,
 * such as a refund it asked for. */
void
pd_store_event_recorded (PdStore     *self,
                         PdEventKind  kind,
                         PdVerdict    verdict,
                         gint64       invoice_id,
                         const char  *number)
{
  PdLedgerDecision decision = { 0 };

  g_return_if_fail (PD_IS_STORE (self));

  decision.kind = kind;
  decision.verdict = verdict;
  decision.invoice_id = invoice_id;
  decision.invoice_number = (char *) number;
  g_signal_emit (self, signals[EVENT_RECORDED], 0, &decision);
}

static void
announce_recorded (PdStore *self,
                   Job     *job)
{
  PdLedgerDecision *decision = job->result;

  g_signal_emit (self, signals[EVENT_RECORDED], 0, decision);
  if (decision->mark_paid)
    pd_store_invoice_changed (self, decision->invoice_id, decision->invoice_number);
}

/* Records one inbound request: its event, and through the ledger the
 * payment and invoice it changes; @secret verifies its signature. Takes
 * ownership of @inbound. */
void
pd_store_record_async (PdStore             *self,
                       const PdShop        *shop,
                       const char          *secret,
                       PdInbound           *inbound,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  RecordJob *record;
  GTask *task;

  g_return_if_fail (PD_IS_STORE (self));

  record = g_new0 (RecordJob, 1);
  record->shop = pd_shop_copy (shop);
  record->secret = g_strdup (secret);
  record->inbound = inbound;

  task = job_task_new (self, pd_store_record_async, record_in_writer, record,
                       (GDestroyNotify) record_job_free, (GDestroyNotify) pd_ledger_decision_free,
                       cancellable, callback, user_data);
  if (task == NULL)
    return;
  ((Job *) g_task_get_task_data (task))->announce = announce_recorded;
  g_async_queue_push (self->jobs, task);
}

PdLedgerDecision *
pd_store_record_finish (PdStore       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return pd_store_write_finish (self, result, error);
}

static gpointer
read_invoice_in_thread (PdDatabase  *db,
                        gpointer     data,
                        GError     **error)
{
  return pd_catalog_get_invoice_by_id (db, *(gint64 *) data, error);
}

/* Reads one invoice by its row id; pd_store_read_finish() gives the
 * PdInvoice. */
void
pd_store_read_invoice_async (PdStore             *self,
                             gint64               invoice_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  pd_store_read_async (self, read_invoice_in_thread, g_memdup2 (&invoice_id, sizeof invoice_id),
                       g_free, (GDestroyNotify) pd_invoice_free, cancellable, callback, user_data);
}

/* Tells everyone showing the invoice that it changed. Writers other than
 * the journal (cancelling, say) call it after their commit. */
void
pd_store_invoice_changed (PdStore    *self,
                          gint64      invoice_id,
                          const char *number)
{
  g_return_if_fail (PD_IS_STORE (self));

  g_signal_emit (self, signals[INVOICE_CHANGED], 0, invoice_id, number);
}

static void
pd_store_finalize (GObject *object)
{
  PdStore *self = PD_STORE (object);

  if (!self->closed && self->writer != NULL)
    pd_store_close (self);
  g_clear_pointer (&self->jobs, g_async_queue_unref);
  g_clear_pointer (&self->readers, g_async_queue_unref);
  g_clear_pointer (&self->writer_db, pd_database_close);
  g_free (self->path);

  G_OBJECT_CLASS (pd_store_parent_class)->finalize (object);
}

static void
pd_store_class_init (PdStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_store_finalize;

  /**
   * PdStore::event-recorded:
   * @decision: the #PdLedgerDecision the request was recorded with
   *
   * Emitted on the main context after an inbound request is committed.
   */
  signals[EVENT_RECORDED] =
    g_signal_new ("event-recorded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * PdStore::invoice-changed:
   * @invoice_id: the invoice's row id
   * @number: the invoice number
   *
   * Emitted on the main context after a committed change to an invoice.
   */
  signals[INVOICE_CHANGED] =
    g_signal_new ("invoice-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
}

static void
pd_store_init (PdStore *self)
{
  self->jobs = g_async_queue_new ();
  self->readers = g_async_queue_new ();
}
