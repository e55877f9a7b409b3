/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-store.h"

G_BEGIN_DECLS

#define PD_TYPE_RECEIPT_GROUP (pd_receipt_group_get_type ())

G_DECLARE_FINAL_TYPE (PdReceiptGroup, pd_receipt_group, PD, RECEIPT_GROUP, AdwPreferencesGroup)

void        pd_receipt_group_set           (PdReceiptGroup  *self,
                                            const char      *vat,
                                            guint            subject,
                                            guint            method);
void        pd_receipt_group_show_defaults (PdReceiptGroup  *self,
                                            PdStore         *store);
const char *pd_receipt_group_get_vat       (PdReceiptGroup  *self);
guint       pd_receipt_group_get_subject   (PdReceiptGroup  *self);
guint       pd_receipt_group_get_method    (PdReceiptGroup  *self);

const char *pd_receipt_describe_vat        (const char      *vat);

G_END_DECLS
