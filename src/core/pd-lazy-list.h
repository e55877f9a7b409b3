/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-store.h"

G_BEGIN_DECLS

#define PD_TYPE_LAZY_LIST (pd_lazy_list_get_type ())

G_DECLARE_FINAL_TYPE (PdLazyList, pd_lazy_list, PD, LAZY_LIST, GObject)

/* How a lazy list talks to the database. Both functions run on a reader
 * thread; rows must be ordered by id, newest (largest) first. */
typedef struct
{
  GType       item_type;       /* has a construct-only "id" property (gint64) */
  GArray    *(*query_ids)     (PdDatabase    *db,
                               GVariant      *query,
                               GError       **error);
  GPtrArray *(*load_rows)     (PdDatabase    *db,
                               const gint64  *ids,
                               guint          n_ids,
                               GError       **error);
  gint64     (*row_id)        (gconstpointer  row);
  void       (*apply_row)     (gpointer       item,
                               gconstpointer  row);
} PdLazyListSpec;

PdLazyList *pd_lazy_list_new        (PdStore              *store,
                                     const PdLazyListSpec *spec);
void        pd_lazy_list_set_query  (PdLazyList           *self,
                                     GVariant             *query);
void        pd_lazy_list_refresh    (PdLazyList           *self);
void        pd_lazy_list_reload_id  (PdLazyList           *self,
                                     gint64                id);
gint64      pd_lazy_list_get_id     (PdLazyList           *self,
                                     guint                 position);
gboolean    pd_lazy_list_get_loading (PdLazyList          *self);

G_END_DECLS
