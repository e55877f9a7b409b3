/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pd-journal.h"
#include "pd-paymaster-api.h"

G_BEGIN_DECLS

void       pd_callback_check_async  (PdPaymasterApi       *api,
                                     const PdShop         *shop,
                                     PdInbound            *inbound,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
PdInbound *pd_callback_check_finish (GAsyncResult         *result);

G_END_DECLS
