/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pd-records.h"

G_BEGIN_DECLS

#define PD_TYPE_EVENT_ITEM (pd_event_item_get_type ())

G_DECLARE_FINAL_TYPE (PdEventItem, pd_event_item, PD, EVENT_ITEM, GObject)

gint64         pd_event_item_get_id      (PdEventItem   *self);
const PdEvent *pd_event_item_get_event   (PdEventItem   *self);
void           pd_event_item_set_event   (PdEventItem   *self,
                                          const PdEvent *event);
char          *pd_event_format_fields    (const char    *body);

G_END_DECLS
