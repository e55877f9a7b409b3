/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pd-service.h"

G_BEGIN_DECLS

void       pd_refund_dialog_run_async  (GtkWindow            *parent,
                                        PdService            *service,
                                        const PdInvoice      *invoice,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
PdInvoice *pd_refund_dialog_run_finish (GAsyncResult         *result,
                                        gint64               *refunded,
                                        GError              **error);

G_END_DECLS
