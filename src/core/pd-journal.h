/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-database.h"
#include "pd-ledger.h"
#include "pd-records.h"

G_BEGIN_DECLS

/* One inbound HTTP request as the listener saw it. */
typedef struct
{
  char      *remote;
  char      *method;
  char      *path;
  char      *body;
  gint64     received_at;      /* Unix microseconds */

  /* Set when the listener refused the request before the ledger saw it. */
  guint      refused_status;
  char      *refused_reason;

  /* Parsed from the body when the request is recorded. */
  PdForm    *form;

  /* What Paydesk's own authenticated call to PayMaster's status API said,
   * in the notification's fields: no signature to check, and only a new
   * payment is worth an event. */
  gboolean   from_status_api;
  /* A REST v2 callback: @body is the JSON as it came, and @form (or the
   * refusal) what re-reading the payment with Paydesk's token said. Every
   * callback is news, a repeated one too. */
  gboolean   is_callback;
} PdInbound;

PdInbound *pd_inbound_new           (void);
void       pd_inbound_free          (PdInbound         *inbound);

gboolean   pd_journal_record        (PdDatabase        *db,
                                     const PdShop      *shop,
                                     const char        *secret,
                                     PdInbound         *inbound,
                                     PdLedgerDecision  *decision,
                                     GError           **error);
gboolean   pd_journal_add_event     (PdDatabase        *db,
                                     const PdEvent     *event,
                                     GError           **error);
GPtrArray *pd_journal_list_events   (PdDatabase        *db,
                                     guint              limit,
                                     GError           **error);
GArray    *pd_journal_query_event_ids (PdDatabase       *db,
                                      gboolean          problems_only,
                                      GError          **error);
GPtrArray *pd_journal_get_events_by_ids (PdDatabase     *db,
                                        const gint64   *ids,
                                        guint           n_ids,
                                        GError        **error);
gint64     pd_journal_count_payments (PdDatabase       *db,
                                     GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdInbound, pd_inbound_free)

G_END_DECLS
