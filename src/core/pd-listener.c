/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-listener"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-callback.h"
#include "pd-listener.h"
#include "pd-paymaster.h"

/* The embedded HTTP listener PayMaster calls. SoupServer has no limits of
 * its own, so this refuses oversized bodies early, gives every read and
 * every whole request a deadline (idle keep-alive connections included),
 * and records every request as an event. A notification is answered only
 * after the store has committed it. */

struct _PdListener
{
  GObject      parent_instance;

  SoupServer  *server;
  PdStore     *store;
  PdShop      *shop;
  char        *secret;
  PdPaymasterApi *api;   /* re-reads what a v2 callback names; NULL without a token */
  guint        read_timeout;
  guint        request_timeout;
  guint        n_pending;
  GTask       *shutdown_task;
  GHashTable  *reading;   /* SoupServerMessage -> when its request started (s) */
  GHashTable  *idle;      /* GSocket -> since when its connection is idle (s) */
  guint        sweep_source;
};

G_DEFINE_FINAL_TYPE (PdListener, pd_listener, G_TYPE_OBJECT)

#define REFUSED_KEY  "pd-listener-refused"

/* A request waiting for its commit. */
typedef struct
{
  PdListener        *listener;
  SoupServerMessage *msg;
  gboolean           finished;
  gulong             finished_id;
} Pending;

GSocketAddress *
pd_parse_listen_address (const char  *address,
                         GError     **error)
{
  const char *colon = address ? strrchr (address, ':') : NULL;
  g_autofree char *host = NULL;
  guint64 port = 0;
  GSocketAddress *socket_address = NULL;

  if (colon != NULL && colon[1] != '\0' &&
      g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      host = g_strndup (address, colon - address);
      if (host[0] == '[' && host[strlen (host) - 1] == ']')
        {
          char *inner = g_strndup (host + 1, strlen (host) - 2);

          g_free (host);
          host = inner;
        }
      if (g_ascii_strcasecmp (host, "localhost") == 0)
        {
          g_free (host);
          host = g_strdup ("127.0.0.1");
        }
      socket_address = g_inet_socket_address_new_from_string (host, (guint) port);
    }

  if (socket_address == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("The address “%s” is not valid: write it as HOST:PORT with a numeric host, "
                   "such as 127.0.0.1:8080 or 0.0.0.0:8080."), address ? address : "");
  return socket_address;
}

static PdInbound *
inbound_for_message (SoupServerMessage *msg,
                     const char        *body,
                     gsize              length)
{
  PdInbound *inbound = pd_inbound_new ();

  inbound->remote = g_strdup (soup_server_message_get_remote_host (msg));
  inbound->method = g_strdup (soup_server_message_get_method (msg));
  inbound->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  if (body != NULL)
    inbound->body = g_utf8_validate_len (body, length, NULL) ? g_strndup (body, length)
                                                            : g_utf8_make_valid (body, (gssize) length);
  return inbound;
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

/* Keeps a request the ledger never sees as an event. */
static void
record_refusal (PdListener        *self,
                SoupServerMessage *msg,
                guint              status,
                const char        *reason,
                gboolean           keep_body)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  /* The built-in sandbox shares the server but is not PayMaster traffic. */
  if (!g_str_has_prefix (path, PD_PATH_SANDBOX "/"))
    {
      SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
      PdInbound *inbound = keep_body
        ? inbound_for_message (msg, request_body->data, (gsize) request_body->length)
        : inbound_for_message (msg, NULL, 0);

      inbound->refused_status = status;
      inbound->refused_reason = g_strdup (reason);
      pd_store_record_async (self->store, self->shop, self->secret, inbound, NULL, NULL, NULL);
    }
}

/* Answers a request the ledger never sees and keeps it as an event. */
static void
refuse (PdListener        *self,
        SoupServerMessage *msg,
        guint              status,
        const char        *reason,
        gboolean           keep_body)
{
  record_refusal (self, msg, status, reason, keep_body);
  respond (msg, status, "text/plain; charset=utf-8", reason);
}

static gboolean
close_stream_cb (gpointer data)
{
  g_io_stream_close (data, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
too_large_sent_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GIOStream *stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  if (G_IS_SOCKET_CONNECTION (stream))
    g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)), FALSE, TRUE, NULL);

  /* Closing at once, with the client's body still unread in our buffers,
   * would reset the connection and could destroy the answer on its way:
   * give the client a moment to read it. */
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 2, close_stream_cb, stream, g_object_unref);
}

/* Refuses a body declared larger than the limit without reading any of
 * it: libsoup would read the whole body before answering, so the
 * connection is taken over, answered 413 and closed. */
static void
refuse_too_large (PdListener        *self,
                  SoupServerMessage *msg)
{
  const char *reason = _("The request body is larger than 64 KiB.");
  GIOStream *stream;
  GString *answer;
  gsize length;

  record_refusal (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, reason, FALSE);

  answer = g_string_new ("HTTP/1.1 413 Request Entity Too Large\r\n"
                         "Content-Type: text/plain; charset=utf-8\r\n"
                         "Connection: close\r\n");
  g_string_append_printf (answer, "Content-Length: %zu\r\n\r\n%s", strlen (reason), reason);
  length = answer->len;

  g_hash_table_remove (self->reading, msg);
  stream = soup_server_message_steal_connection (msg);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   answer->str, length, G_PRIORITY_DEFAULT, NULL,
                                   too_large_sent_cb, stream);
  g_object_set_data_full (G_OBJECT (stream), "pd-answer", g_string_free (answer, FALSE), g_free);
}

static void
close_connection (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

/* Deadlines are kept in two tables and checked by one timer that runs
 * only while something is being timed: requests being read must be read
 * within request_timeout (so a client sending a byte at a time cannot keep
 * a connection), and keep-alive connections may sit idle for read_timeout.
 * libsoup starts a keep-alive connection's next request only when its
 * first bytes arrive, and the socket timeout does not bound that wait. */

static gint64
now_seconds (void)
{
  return g_get_monotonic_time () / G_USEC_PER_SEC;
}

static gboolean
sweep_deadlines_cb (gpointer data)
{
  PdListener *self = data;
  gint64 now = now_seconds ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->reading);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (now - GPOINTER_TO_INT (value) >= (gint64) self->request_timeout)
        {
          g_debug ("closing a connection that did not send its request in time");
          close_connection (key);
          g_hash_table_iter_remove (&iter);
        }
    }

  g_hash_table_iter_init (&iter, self->idle);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (now - GPOINTER_TO_INT (value) >= (gint64) self->read_timeout)
        {
          g_debug ("closing an idle keep-alive connection");
          g_socket_shutdown (key, TRUE, TRUE, NULL);
          g_hash_table_iter_remove (&iter);
        }
    }

  if (g_hash_table_size (self->reading) == 0 && g_hash_table_size (self->idle) == 0)
    {
      self->sweep_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
time_from_now (PdListener *self,
               GHashTable *table,
               gpointer    key)
{
  g_hash_table_replace (table, g_object_ref (key), GINT_TO_POINTER ((int) now_seconds ()));
  if (self->sweep_source == 0)
    self->sweep_source = g_timeout_add_seconds (1, sweep_deadlines_cb, self);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    PdListener        *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  /* Bounds every read of this request, and the wait for the first one on
   * a new connection. */
  if (socket != NULL)
    {
      g_socket_set_timeout (socket, self->read_timeout);
      g_hash_table_remove (self->idle, socket);
    }
  time_from_now (self, self->reading, msg);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     PdListener        *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  g_hash_table_remove (self->reading, msg);
  if (socket != NULL && !g_socket_is_closed (socket))
    time_from_now (self, self->idle, socket);
}

static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 PdListener        *self)
{
  g_hash_table_remove (self->reading, msg);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              PdListener        *self)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body->length <= PD_LISTENER_MAX_BODY || g_object_get_data (G_OBJECT (msg), REFUSED_KEY))
    return;

  /* A chunked body grew past the limit: stop keeping it and hang up. */
  g_object_set_data (G_OBJECT (msg), REFUSED_KEY, GINT_TO_POINTER (TRUE));
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  refuse (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
          _("The request body is larger than 64 KiB."), FALSE);
  close_connection (msg);
}

static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  PdListener *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset declared = soup_message_headers_get_content_length (headers);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      declared > PD_LISTENER_MAX_BODY)
    {
      refuse_too_large (self, msg);
      return;
    }

  /* A body of declared length is bounded already; only a chunked one can
   * grow while it is read. The listener outlives its server's messages. */
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self);
}

static void
pending_message_finished_cb (SoupServerMessage *msg,
                             Pending           *pending)
{
  pending->finished = TRUE;
}

static void
maybe_finish_shutdown (PdListener *self)
{
  if (self->shutdown_task != NULL && self->n_pending == 0)
    {
      GTask *task = g_steal_pointer (&self->shutdown_task);

      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Pending *pending = user_data;
  PdListener *self = pending->listener;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdLedgerDecision) decision = pd_store_record_finish (PD_STORE (object), result, &error);

  if (!pending->finished)
    {
      if (decision != NULL)
        respond (pending->msg, decision->http_status, "text/plain; charset=utf-8", decision->response);
      else
        {
          g_warning ("Could not record a PayMaster request: %s", error->message);
          respond (pending->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
                   "ERROR");
        }
      soup_server_message_unpause (pending->msg);
    }

  g_signal_handler_disconnect (pending->msg, pending->finished_id);
  g_object_unref (pending->msg);
  g_free (pending);

  self->n_pending--;
  maybe_finish_shutdown (self);
  g_object_unref (self);
}

static gboolean
has_content_type (SoupServerMessage *msg,
                  const char        *expected)
{
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                            NULL);

  return type != NULL && g_ascii_strcasecmp (type, expected) == 0;
}

/* What PayMaster's requests have in common: POST, a type, UTF-8 text.
 * Parsing and verifying happen later; only what is cheap is refused here. */
static PdInbound *
accept_request (PdListener        *self,
                SoupServerMessage *msg,
                const char        *content_type)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (g_object_get_data (G_OBJECT (msg), REFUSED_KEY))
    return NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      refuse (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
              _("PayMaster requests must use POST."), FALSE);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      return NULL;
    }

  if (!has_content_type (msg, content_type))
    {
      g_autofree char *reason = g_strdup_printf (_("PayMaster requests to this address must be %s."),
                                                 content_type);

      refuse (self, msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, reason, TRUE);
      return NULL;
    }

  if (!g_utf8_validate_len (body->data, (gsize) body->length, NULL) ||
      memchr (body->data, '\0', (gsize) body->length) != NULL)
    {
      refuse (self, msg, SOUP_STATUS_BAD_REQUEST, _("The request is not valid UTF-8 text."), TRUE);
      return NULL;
    }
  return inbound_for_message (msg, body->data, (gsize) body->length);
}

/* Holds the request's answer back until the store has committed it. */
static Pending *
pending_new (PdListener        *self,
             SoupServerMessage *msg)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->listener = g_object_ref (self);
  pending->msg = g_object_ref (msg);
  pending->finished_id = g_signal_connect (msg, "finished",
                                           G_CALLBACK (pending_message_finished_cb), pending);
  self->n_pending++;
  soup_server_message_pause (msg);
  return pending;
}

static void
notify_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  PdListener *self = user_data;
  PdInbound *inbound = accept_request (self, msg, "application/x-www-form-urlencoded");

  if (inbound == NULL)
    return;
  pd_store_record_async (self->store, self->shop, self->secret, inbound, NULL, recorded_cb,
                         pending_new (self, msg));
}

static void
callback_checked_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Pending *pending = user_data;
  PdListener *self = pending->listener;

  pd_store_record_async (self->store, self->shop, self->secret, pd_callback_check_finish (result),
                         NULL, recorded_cb, pending);
}

static void
callback_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  PdListener *self = user_data;
  PdInbound *inbound;

  if (self->shop->protocol != PD_PROTOCOL_V2 && !g_object_get_data (G_OBJECT (msg), REFUSED_KEY))
    {
      refuse (self, msg, SOUP_STATUS_NOT_FOUND,
              _("Paydesk is set up for PayMaster's classic protocol, which calls "
                "/paymaster/notify; REST API v2 callbacks are for a site set up for API v2."),
              TRUE);
      return;
    }

  inbound = accept_request (self, msg, "application/json");
  if (inbound == NULL)
    return;
  pd_callback_check_async (self->api, self->shop, inbound, NULL, callback_checked_cb,
                           pending_new (self, msg));
}

static void
health_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  respond (msg, SOUP_STATUS_OK, "text/plain; charset=utf-8", "ok");
}

/* The page PayMaster sends the customer's browser back to. It speaks to
 * the customer, not the merchant, so it is in both of PayMaster's
 * languages rather than in Paydesk's own. */
static void
return_page_handler (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  static const char *success_page =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Спасибо! Thank you!</title>"
    "<meta name=\"viewport\" content=\"width=device-width\"></head><body>"
    "<h1 lang=\"ru\">Спасибо!</h1><p lang=\"ru\">Оплата подтверждается. Эту страницу можно закрыть.</p>"
    "<h1 lang=\"en\">Thank you!</h1><p lang=\"en\">The payment is being confirmed. "
    "You can close this page.</p></body></html>";
  static const char *failure_page =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Оплата не прошла. "
    "The payment did not go through</title>"
    "<meta name=\"viewport\" content=\"width=device-width\"></head><body>"
    "<h1 lang=\"ru\">Оплата не прошла</h1><p lang=\"ru\">Деньги не списаны. Закройте эту страницу "
    "и попробуйте ещё раз.</p>"
    "<h1 lang=\"en\">The payment did not go through</h1><p lang=\"en\">No money was taken. "
    "You can close this page and try again.</p></body></html>";

  respond (msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
           g_str_equal (path, PD_PATH_SUCCESS) ? success_page : failure_page);
}

static void
default_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  PdListener *self = user_data;

  if (g_object_get_data (G_OBJECT (msg), REFUSED_KEY))
    return;
  refuse (self, msg, SOUP_STATUS_NOT_FOUND,
          _("There is nothing at this address; PayMaster calls /paymaster/notify or /paymaster/callback."), FALSE);
}

/* libsoup looks early handlers up by the same path as handlers, so every
 * path needs its own early handler to be covered by the body limit. */
void
pd_listener_protect_path (PdListener *self,
                          const char *path)
{
  g_return_if_fail (PD_IS_LISTENER (self));

  soup_server_add_early_handler (self->server, path, early_handler, self, NULL);
}

static void
add_route (PdListener         *self,
           const char         *path,
           SoupServerCallback  handler)
{
  pd_listener_protect_path (self, path);
  soup_server_add_handler (self->server, path, handler, self, NULL);
}

void
pd_listener_set_shop (PdListener   *self,
                      const PdShop *shop,
                      const char   *secret)
{
  g_return_if_fail (PD_IS_LISTENER (self));

  g_clear_pointer (&self->shop, pd_shop_free);
  self->shop = pd_shop_copy (shop);
  g_free (self->secret);
  self->secret = g_strdup (secret);
}

PdListener *
pd_listener_new (PdStore      *store,
                 const PdShop *shop,
                 const char   *secret)
{
  PdListener *self = g_object_new (PD_TYPE_LISTENER, NULL);

  self->store = g_object_ref (store);
  pd_listener_set_shop (self, shop, secret);

  add_route (self, NULL, default_handler);
  add_route (self, PD_PATH_NOTIFY, notify_handler);
  add_route (self, PD_PATH_CALLBACK, callback_handler);
  add_route (self, PD_PATH_SUCCESS, return_page_handler);
  add_route (self, PD_PATH_FAILURE, return_page_handler);
  add_route (self, "/health", health_handler);

  g_signal_connect_object (self->server, "request-started", G_CALLBACK (request_started_cb), self, 0);
  g_signal_connect_object (self->server, "request-read", G_CALLBACK (request_read_cb), self, 0);
  g_signal_connect_object (self->server, "request-finished", G_CALLBACK (request_finished_cb), self, 0);
  g_signal_connect_object (self->server, "request-aborted", G_CALLBACK (request_finished_cb), self, 0);

  return self;
}

/* Lets the listener confirm REST v2 callbacks with PayMaster; without an
 * API (no token), callbacks are refused with 503 so that PayMaster sends
 * them again later. */
void
pd_listener_set_api (PdListener     *self,
                     PdPaymasterApi *api)
{
  g_return_if_fail (PD_IS_LISTENER (self));

  g_set_object (&self->api, api);
}

void
pd_listener_set_timeouts (PdListener *self,
                          guint       read_timeout,
                          guint       request_timeout)
{
  g_return_if_fail (PD_IS_LISTENER (self));

  self->read_timeout = read_timeout;
  self->request_timeout = request_timeout;
}

/* soup_server_listen() listens with a backlog of 10, which drops
 * connections when PayMaster (or a load test) opens many at once; so the
 * socket is made here. */
static GSocket *
listening_socket (GSocketAddress  *address,
                  GError         **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (address),
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL)
    return NULL;
  g_socket_set_listen_backlog (socket, 128);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

gboolean
pd_listener_listen (PdListener  *self,
                    const char  *address,
                    GError     **error)
{
  g_autoptr(GSocketAddress) socket_address = pd_parse_listen_address (address, error);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local_error = NULL;

  if (socket_address == NULL)
    return FALSE;

  socket = listening_socket (socket_address, &local_error);
  if (socket == NULL || !soup_server_listen_socket (self->server, socket, 0, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                     _("The address %s is in use by another program: stop that program or "
                       "choose another port."), address);
      else
        g_set_error (error, local_error->domain, local_error->code,
                     _("Cannot listen on %s: %s."), address, local_error->message);
      return FALSE;
    }

  return TRUE;
}

SoupServer *
pd_listener_get_server (PdListener *self)
{
  g_return_val_if_fail (PD_IS_LISTENER (self), NULL);
  return self->server;
}

/* "http://HOST:PORT" of the first address @server listens on, with an
 * IPv6 host in brackets. */
char *
pd_soup_server_get_uri (SoupServer *server)
{
  GSList *uris = soup_server_get_uris (server);
  char *text = NULL;

  if (uris != NULL)
    {
      GUri *uri = uris->data;
      g_autoptr(GUri) base = g_uri_build (G_URI_FLAGS_NONE, "http", NULL, g_uri_get_host (uri),
                                          g_uri_get_port (uri), "", NULL, NULL);

      text = g_uri_to_string (base);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return text;
}

char *
pd_listener_get_uri (PdListener *self)
{
  g_return_val_if_fail (PD_IS_LISTENER (self), NULL);
  return pd_soup_server_get_uri (self->server);
}

guint
pd_listener_get_n_pending (PdListener *self)
{
  return self->n_pending;
}

/* Stops taking connections, then completes once every request that is
 * waiting for its commit has been answered. */
void
pd_listener_shutdown_async (PdListener          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GSList *listeners = soup_server_get_listeners (self->server);

  g_return_if_fail (self->shutdown_task == NULL);

  for (GSList *l = listeners; l; l = l->next)
    g_socket_close (l->data, NULL);
  g_slist_free (listeners);

  self->shutdown_task = g_steal_pointer (&task);
  maybe_finish_shutdown (self);
}

gboolean
pd_listener_shutdown_finish (PdListener    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
pd_listener_dispose (GObject *object)
{
  PdListener *self = PD_LISTENER (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->store);
  g_clear_object (&self->api);
  g_clear_handle_id (&self->sweep_source, g_source_remove);
  g_clear_pointer (&self->reading, g_hash_table_unref);
  g_clear_pointer (&self->idle, g_hash_table_unref);

  G_OBJECT_CLASS (pd_listener_parent_class)->dispose (object);
}

static void
pd_listener_finalize (GObject *object)
{
  PdListener *self = PD_LISTENER (object);

  g_clear_pointer (&self->shop, pd_shop_free);
  g_free (self->secret);

  G_OBJECT_CLASS (pd_listener_parent_class)->finalize (object);
}

static void
pd_listener_class_init (PdListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_listener_dispose;
  object_class->finalize = pd_listener_finalize;
}

static void
pd_listener_init (PdListener *self)
{
  self->server = soup_server_new ("server-header", "Paydesk", NULL);
  self->reading = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->idle = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->read_timeout = PD_LISTENER_READ_TIMEOUT;
  self->request_timeout = PD_LISTENER_REQUEST_TIMEOUT;
}
