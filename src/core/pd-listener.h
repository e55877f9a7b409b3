/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "pd-paymaster-api.h"
#include "pd-shop.h"
#include "pd-store.h"

G_BEGIN_DECLS

#define PD_TYPE_LISTENER (pd_listener_get_type ())

G_DECLARE_FINAL_TYPE (PdListener, pd_listener, PD, LISTENER, GObject)

#define PD_LISTENER_MAX_BODY       (64 * 1024)
#define PD_LISTENER_READ_TIMEOUT   10   /* seconds a read may stall */
#define PD_LISTENER_REQUEST_TIMEOUT 30  /* seconds to read one whole request */

PdListener  *pd_listener_new              (PdStore              *store,
                                           const PdShop         *shop,
                                           const char           *secret);
void         pd_listener_set_shop         (PdListener           *self,
                                           const PdShop         *shop,
                                           const char           *secret);
void         pd_listener_set_api          (PdListener           *self,
                                           PdPaymasterApi       *api);
void         pd_listener_set_timeouts     (PdListener           *self,
                                           guint                 read_timeout,
                                           guint                 request_timeout);
gboolean     pd_listener_listen           (PdListener           *self,
                                           const char           *address,
                                           GError              **error);
SoupServer  *pd_listener_get_server       (PdListener           *self);
void         pd_listener_protect_path     (PdListener           *self,
                                           const char           *path);
char        *pd_listener_get_uri          (PdListener           *self);
guint        pd_listener_get_n_pending    (PdListener           *self);
void         pd_listener_shutdown_async   (PdListener           *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean     pd_listener_shutdown_finish  (PdListener           *self,
                                           GAsyncResult         *result,
                                           GError              **error);

char           *pd_soup_server_get_uri    (SoupServer           *server);
GSocketAddress *pd_parse_listen_address   (const char           *address,
                                           GError              **error);

G_END_DECLS
