/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-database.h"
#include "pd-journal.h"
#include "pd-shop.h"

G_BEGIN_DECLS

#define PD_TYPE_STORE (pd_store_get_type ())

G_DECLARE_FINAL_TYPE (PdStore, pd_store, PD, STORE, GObject)

/* Runs on the store's writer thread inside a transaction, or on a reader
 * thread with a read-only connection. Returns the result for _finish(), or
 * NULL with @error set. A writer's changes are rolled back when it fails,
 * and it may be run a second time when another job of its batch failed:
 * it must change nothing but the database. */
typedef gpointer (*PdStoreFunc) (PdDatabase  *db,
                                 gpointer     data,
                                 GError     **error);

PdStore          *pd_store_open          (const char           *path,
                                          GError              **error);
const char       *pd_store_get_path      (PdStore              *self);
void              pd_store_close         (PdStore              *self);
guint64           pd_store_get_n_commits (PdStore              *self);

void              pd_store_write_async   (PdStore              *self,
                                          PdStoreFunc           func,
                                          gpointer              data,
                                          GDestroyNotify        data_free,
                                          GDestroyNotify        result_free,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gpointer          pd_store_write_finish  (PdStore              *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void              pd_store_read_async    (PdStore              *self,
                                          PdStoreFunc           func,
                                          gpointer              data,
                                          GDestroyNotify        data_free,
                                          GDestroyNotify        result_free,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gpointer          pd_store_read_finish   (PdStore              *self,
                                          GAsyncResult         *result,
                                          GError              **error);

void              pd_store_record_async  (PdStore              *self,
                                          const PdShop         *shop,
                                          const char           *secret,
                                          PdInbound            *inbound,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
PdLedgerDecision *pd_store_record_finish (PdStore              *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void              pd_store_read_invoice_async (PdStore         *self,
                                               gint64           invoice_id,
                                               GCancellable    *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer         user_data);
void              pd_store_event_recorded (PdStore             *self,
                                           PdEventKind          kind,
                                           PdVerdict            verdict,
                                           gint64               invoice_id,
                                           const char          *number);
void              pd_store_invoice_changed (PdStore            *self,
                                            gint64              invoice_id,
                                            const char         *number);
void              pd_ledger_decision_free (PdLedgerDecision    *decision);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdLedgerDecision, pd_ledger_decision_free)

G_END_DECLS
