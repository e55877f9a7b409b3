/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-lazy-list"

#include "config.h"

#include "pd-lazy-list.h"

/* A GListModel over a table too large to read at once. Filtering and
 * ordering happen in SQL: the model holds only the matching row ids.
 * Items are created when a view asks for them and filled in batches on a
 * reader thread, so the main loop never waits for SQLite; until then an
 * item carries its id only. */

#define BATCH_SIZE 200

struct _PdLazyList
{
  GObject         parent_instance;

  PdStore        *store;
  PdLazyListSpec  spec;
  GVariant       *query;
  GArray         *ids;        /* gint64, largest first */
  GPtrArray      *items;      /* same length as ids; NULL until asked for */
  GArray         *to_load;    /* ids asked for and not loaded yet */
  guint           load_source;
  GCancellable   *cancellable;
  guint           generation; /* bumped on refresh, so stale loads are dropped */
  guint           n_queries;  /* queries in flight */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdLazyList, pd_lazy_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
unref_if_set (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static GType
pd_lazy_list_get_item_type (GListModel *model)
{
  return PD_LAZY_LIST (model)->spec.item_type;
}

static guint
pd_lazy_list_get_n_items (GListModel *model)
{
  return PD_LAZY_LIST (model)->ids->len;
}

typedef struct
{
  PdLazyList *list;
  guint       generation;
  GArray     *ids;
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_object_unref (request->list);
  g_array_unref (request->ids);
  g_free (request);
}

static gpointer
load_rows_in_thread (PdDatabase  *db,
                     gpointer     data,
                     GError     **error)
{
  LoadRequest *request = data;
  const PdLazyListSpec *spec = &request->list->spec;

  return spec->load_rows (db, (const gint64 *) (gpointer) request->ids->data, request->ids->len, error);
}

/* Ids are sorted largest first, so a position is a binary search away. */
static gboolean
find_position (PdLazyList *self,
               gint64      id,
               guint      *position)
{
  guint low = 0, high = self->ids->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      gint64 mid_id = g_array_index (self->ids, gint64, mid);

      if (mid_id == id)
        {
          *position = mid;
          return TRUE;
        }
      if (mid_id > id)
        low = mid + 1;
      else
        high = mid;
    }
  return FALSE;
}

static void
rows_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadRequest *request = g_task_get_task_data (task);
  PdLazyList *self = request->list;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = pd_store_read_finish (PD_STORE (object), result, &error);

  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not load rows: %s", error->message);
      return;
    }
  if (request->generation != self->generation)
    return;

  for (guint i = 0; i < rows->len; i++)
    {
      guint position;

      if (find_position (self, self->spec.row_id (rows->pdata[i]), &position) &&
          self->items->pdata[position] != NULL)
        self->spec.apply_row (self->items->pdata[position], rows->pdata[i]);
    }
}

static void
load_ids (PdLazyList *self,
          GArray     *ids)
{
  LoadRequest *request = g_new0 (LoadRequest, 1);
  GTask *task = g_task_new (self, NULL, NULL, NULL);

  request->list = g_object_ref (self);
  request->generation = self->generation;
  request->ids = ids;
  g_task_set_task_data (task, request, (GDestroyNotify) load_request_free);
  pd_store_read_async (self->store, load_rows_in_thread, request, NULL,
                       (GDestroyNotify) g_ptr_array_unref, self->cancellable, rows_loaded_cb, task);
}

static gboolean
load_pending_cb (gpointer data)
{
  PdLazyList *self = data;

  self->load_source = 0;
  while (self->to_load->len > 0)
    {
      guint n = MIN (self->to_load->len, BATCH_SIZE);
      GArray *batch = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

      g_array_append_vals (batch, self->to_load->data, n);
      g_array_remove_range (self->to_load, 0, n);
      load_ids (self, batch);
    }
  return G_SOURCE_REMOVE;
}

static void
queue_load (PdLazyList *self,
            gint64      id)
{
  g_array_append_val (self->to_load, id);
  if (self->load_source == 0)
    self->load_source = g_idle_add (load_pending_cb, self);
}

static gpointer
pd_lazy_list_get_item (GListModel *model,
                       guint       position)
{
  PdLazyList *self = PD_LAZY_LIST (model);
  GObject *item;

  if (position >= self->ids->len)
    return NULL;

  item = self->items->pdata[position];
  if (item == NULL)
    {
      gint64 id = g_array_index (self->ids, gint64, position);

      item = g_object_new (self->spec.item_type, "id", id, NULL);
      self->items->pdata[position] = item;
      queue_load (self, id);
    }
  return g_object_ref (item);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pd_lazy_list_get_item_type;
  iface->get_n_items = pd_lazy_list_get_n_items;
  iface->get_item = pd_lazy_list_get_item;
}

typedef struct
{
  PdLazyList *list;
  guint       generation;
  GVariant   *query;
} QueryRequest;

static void
query_request_free (QueryRequest *request)
{
  g_object_unref (request->list);
  g_variant_unref (request->query);
  g_free (request);
}

static gpointer
query_ids_in_thread (PdDatabase  *db,
                     gpointer     data,
                     GError     **error)
{
  QueryRequest *request = data;

  return request->list->spec.query_ids (db, request->query, error);
}

static void
ids_queried_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QueryRequest *request = g_task_get_task_data (task);
  PdLazyList *self = request->list;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = pd_store_read_finish (PD_STORE (object), result, &error);
  guint old_n;

  self->n_queries--;
  if (self->n_queries == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  if (ids == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list rows: %s", error->message);
      return;
    }
  if (request->generation != self->generation)
    return;

  old_n = self->ids->len;
  g_array_unref (self->ids);
  self->ids = g_steal_pointer (&ids);
  g_ptr_array_set_size (self->items, 0);
  g_ptr_array_set_size (self->items, self->ids->len);
  g_array_set_size (self->to_load, 0);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->ids->len);
}

/* Reads the matching ids again; views are told once they arrive. */
void
pd_lazy_list_refresh (PdLazyList *self)
{
  QueryRequest *request;
  GTask *task;

  g_return_if_fail (PD_IS_LAZY_LIST (self));

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  request = g_new0 (QueryRequest, 1);
  request->list = g_object_ref (self);
  request->generation = self->generation;
  request->query = g_variant_ref (self->query);
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, request, (GDestroyNotify) query_request_free);

  self->n_queries++;
  if (self->n_queries == 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  pd_store_read_async (self->store, query_ids_in_thread, request, NULL,
                       (GDestroyNotify) g_array_unref, self->cancellable, ids_queried_cb, task);
}

void
pd_lazy_list_set_query (PdLazyList *self,
                        GVariant   *query)
{
  g_return_if_fail (PD_IS_LAZY_LIST (self));

  g_clear_pointer (&self->query, g_variant_unref);
  self->query = g_variant_ref_sink (query);
  pd_lazy_list_refresh (self);
}

/* Reads one row again, for example after a payment changed it, and updates
 * its item in place. Rows that no view has asked for are left alone. */
void
pd_lazy_list_reload_id (PdLazyList *self,
                        gint64      id)
{
  guint position;
  GArray *ids;

  g_return_if_fail (PD_IS_LAZY_LIST (self));

  if (!find_position (self, id, &position) || self->items->pdata[position] == NULL)
    return;

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 1);
  g_array_append_val (ids, id);
  load_ids (self, ids);
}

gint64
pd_lazy_list_get_id (PdLazyList *self,
                     guint       position)
{
  g_return_val_if_fail (PD_IS_LAZY_LIST (self), 0);
  g_return_val_if_fail (position < self->ids->len, 0);

  return g_array_index (self->ids, gint64, position);
}

gboolean
pd_lazy_list_get_loading (PdLazyList *self)
{
  g_return_val_if_fail (PD_IS_LAZY_LIST (self), FALSE);

  return self->n_queries > 0;
}

PdLazyList *
pd_lazy_list_new (PdStore              *store,
                  const PdLazyListSpec *spec)
{
  PdLazyList *self = g_object_new (PD_TYPE_LAZY_LIST, NULL);

  self->store = g_object_ref (store);
  self->spec = *spec;
  return self;
}

static void
pd_lazy_list_dispose (GObject *object)
{
  PdLazyList *self = PD_LAZY_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->load_source, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pd_lazy_list_parent_class)->dispose (object);
}

static void
pd_lazy_list_finalize (GObject *object)
{
  PdLazyList *self = PD_LAZY_LIST (object);

  g_clear_pointer (&self->query, g_variant_unref);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->to_load, g_array_unref);

  G_OBJECT_CLASS (pd_lazy_list_parent_class)->finalize (object);
}

static void
pd_lazy_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PdLazyList *self = PD_LAZY_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, pd_lazy_list_get_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_lazy_list_class_init (PdLazyListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_lazy_list_dispose;
  object_class->finalize = pd_lazy_list_finalize;
  object_class->get_property = pd_lazy_list_get_property;

  /**
   * PdLazyList:loading:
   *
   * Whether the list is reading which rows match.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_lazy_list_init (PdLazyList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->items = g_ptr_array_new_with_free_func (unref_if_set);
  self->to_load = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->query = g_variant_ref_sink (g_variant_new ("()"));
  self->cancellable = g_cancellable_new ();
}
