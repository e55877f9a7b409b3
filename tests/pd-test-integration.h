/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "pd-catalog.h"
#include "pd-database.h"
#include "pd-form.h"
#include "pd-journal.h"
#include "pd-sandbox.h"

G_BEGIN_DECLS

/* Helpers shared by the integration tests (test-store, test-listener,
 * test-sandbox): temporary directories, waiting on the main context with
 * a deadline, holding the store's writer, and talking HTTP over loopback,
 * politely through SoupSession or rudely through a raw socket. */

/* How long any wait may take before the test fails instead of hanging. */
#define PD_TEST_WAIT_SECONDS 30

static inline void
pd_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          pd_test_remove_tree (child);
        }
    }
  g_remove (path);
}

/* Dispatches whatever is ready, so that no result outlives its test. */
static inline void
pd_test_drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static inline gboolean
pd_test_deadline_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*PdTestPredicate) (gconstpointer data);

/* Iterates the main context until @done returns TRUE or @seconds pass.
 * Returns whether @done came true. */
static inline gboolean
pd_test_wait_for (PdTestPredicate  done,
                  gconstpointer    data,
                  guint            seconds)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (seconds, pd_test_deadline_cb, &expired);

  while (!done (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return done (data);
}

static inline gboolean
pd_test_flag_is_set (gconstpointer data)
{
  return *(const gboolean *) data;
}

static inline void
pd_test_wait_for_flag (const gboolean *flag)
{
  g_assert_true (pd_test_wait_for (pd_test_flag_is_set, flag, PD_TEST_WAIT_SECONDS));
}

typedef struct
{
  const guint *counter;
  guint        target;
} PdTestCount;

static inline gboolean
pd_test_count_reached (gconstpointer data)
{
  const PdTestCount *count = data;

  return *count->counter >= count->target;
}

static inline void
pd_test_wait_for_count (const guint *counter,
                        guint        target)
{
  PdTestCount count = { counter, target };

  pd_test_wait_for (pd_test_count_reached, &count, PD_TEST_WAIT_SECONDS);
  g_assert_cmpuint (*counter, >=, target);
}

/* Lets the main context run for @msec milliseconds. */
static inline void
pd_test_spin (guint msec)
{
  gboolean expired = FALSE;

  g_timeout_add (msec, pd_test_deadline_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

/* Holds the store's writer thread inside a job until the test opens it, so
 * that the test decides which jobs wait together for the next batch. Run
 * pd_test_gate_job() with pd_store_write_async(); it returns 1. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean entered;
  gboolean open;
} PdTestGate;

static inline void
pd_test_gate_init (PdTestGate *gate)
{
  g_mutex_init (&gate->mutex);
  g_cond_init (&gate->cond);
  gate->entered = FALSE;
  gate->open = FALSE;
}

static inline void
pd_test_gate_clear (PdTestGate *gate)
{
  g_mutex_clear (&gate->mutex);
  g_cond_clear (&gate->cond);
}

/* A PdStoreFunc. */
static inline gpointer
pd_test_gate_job (PdDatabase  *db,
                  gpointer     data,
                  GError     **error)
{
  PdTestGate *gate = data;
  gint64 deadline = g_get_monotonic_time () + PD_TEST_WAIT_SECONDS * G_TIME_SPAN_SECOND;

  g_mutex_lock (&gate->mutex);
  gate->entered = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    if (!g_cond_wait_until (&gate->cond, &gate->mutex, deadline))
      break;
  g_mutex_unlock (&gate->mutex);
  return GINT_TO_POINTER (1);
}

static inline void
pd_test_gate_wait_entered (PdTestGate *gate)
{
  gint64 deadline = g_get_monotonic_time () + PD_TEST_WAIT_SECONDS * G_TIME_SPAN_SECOND;

  g_mutex_lock (&gate->mutex);
  while (!gate->entered)
    if (!g_cond_wait_until (&gate->cond, &gate->mutex, deadline))
      break;
  g_assert_true (gate->entered);
  g_mutex_unlock (&gate->mutex);
}

static inline void
pd_test_gate_open (PdTestGate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

/* An async call's result, waited for: pass pd_test_result_cb and the
 * PdTestResult to the _async function, then its _finish the result of
 * pd_test_result_wait(), and unref that. */
typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} PdTestResult;

static inline void
pd_test_result_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PdTestResult *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static inline GAsyncResult *
pd_test_result_wait (PdTestResult *wait)
{
  pd_test_wait_for_flag (&wait->done);
  return wait->result;
}

/* HTTP through SoupSession. The servers under test run on this thread, so
 * every request is asynchronous and the test iterates until it is done. */

typedef struct
{
  gboolean  done;
  GBytes   *body;
  GError   *error;
} PdTestReply;

static inline void
pd_test_reply_clear (PdTestReply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  reply->done = FALSE;
}

static inline char *
pd_test_reply_text (const PdTestReply *reply)
{
  if (reply->body == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body));
}

static inline void
pd_test_reply_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PdTestReply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &reply->error);
  reply->done = TRUE;
}

static inline void
pd_test_send_async (SoupSession *session,
                    SoupMessage *msg,
                    PdTestReply *reply)
{
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    pd_test_reply_cb, reply);
}

/* Sends @msg, waits for the whole answer and returns its body. */
static inline char *
pd_test_send (SoupSession *session,
              SoupMessage *msg)
{
  PdTestReply reply = { 0 };
  char *text;

  pd_test_send_async (session, msg, &reply);
  pd_test_wait_for_flag (&reply.done);
  g_assert_no_error (reply.error);
  text = pd_test_reply_text (&reply);
  pd_test_reply_clear (&reply);
  return text;
}

static inline SoupMessage *
pd_test_post_message (const char *url,
                      const char *content_type,
                      const char *body)
{
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  g_assert_nonnull (msg);
  soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  return msg;
}

static inline SoupSession *
pd_test_session_new (void)
{
  return soup_session_new_with_options ("max-conns", 512,
                                        "max-conns-per-host", 512,
                                        "timeout", PD_TEST_WAIT_SECONDS,
                                        NULL);
}

/* Starts a SoupServer on a random loopback port; returns its base URL. */
static inline char *
pd_test_server_listen (SoupServer *server)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  char *url;

  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

/* The database as another process sees it: a read-only connection of its
 * own to the file at @path, opened for each look. */

static inline PdInvoice *
pd_test_read_invoice (const char *path,
                      const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (path, PD_DATABASE_READ_ONLY, &error);
  PdInvoice *invoice;

  g_assert_no_error (error);
  invoice = pd_catalog_get_invoice (db, number, &error);
  g_assert_no_error (error);
  return invoice;
}

static inline gint64
pd_test_count_payments (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (path, PD_DATABASE_READ_ONLY, &error);
  gint64 count;

  g_assert_no_error (error);
  count = pd_journal_count_payments (db, &error);
  g_assert_no_error (error);
  return count;
}

/* The events, newest first. */
static inline GPtrArray *
pd_test_list_events (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (path, PD_DATABASE_READ_ONLY, &error);
  GPtrArray *events;

  g_assert_no_error (error);
  events = pd_journal_list_events (db, 0, &error);
  g_assert_no_error (error);
  return events;
}

/* Raw sockets, for clients no HTTP library would imitate. */

static inline GSocketConnection *
pd_test_raw_connect (const char  *url,
                     GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = NULL;

  g_assert_nonnull (uri);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", (guint) g_uri_get_port (uri));
  return g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, error);
}

/* Small writes only: a loopback socket buffers them without a reader. */
static inline gboolean
pd_test_raw_write (GSocketConnection *connection,
                   const char        *text,
                   GError           **error)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, error);
}

/* Reads a connection in the background until the peer closes it. */
typedef struct
{
  GInputStream *stream;
  GCancellable *cancellable;
  GString      *data;
  gboolean      closed;    /* end of stream, or an error */
  GError       *error;
  gint64        closed_at; /* monotonic */
  char          buffer[8192];
} PdTestReader;

static inline void pd_test_reader_read (PdTestReader *reader);

static inline void
pd_test_reader_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PdTestReader *reader = user_data;
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n > 0)
    {
      g_string_append_len (reader->data, reader->buffer, n);
      pd_test_reader_read (reader);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      return;
    }
  reader->error = error;
  reader->closed = TRUE;
  reader->closed_at = g_get_monotonic_time ();
}

static inline void
pd_test_reader_read (PdTestReader *reader)
{
  g_input_stream_read_async (reader->stream, reader->buffer, sizeof reader->buffer,
                             G_PRIORITY_DEFAULT, reader->cancellable, pd_test_reader_cb, reader);
}

static inline void
pd_test_reader_start (PdTestReader      *reader,
                      GSocketConnection *connection)
{
  memset (reader, 0, sizeof *reader);
  reader->stream = g_object_ref (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  reader->cancellable = g_cancellable_new ();
  reader->data = g_string_new (NULL);
  pd_test_reader_read (reader);
}

static inline gboolean
pd_test_reader_is_closed (gconstpointer data)
{
  return ((const PdTestReader *) data)->closed;
}

static inline gboolean
pd_test_reader_has_headers (gconstpointer data)
{
  const PdTestReader *reader = data;

  return reader->closed || strstr (reader->data->str, "\r\n\r\n") != NULL;
}

/* Stops reading; iterates until the cancelled read has come back, so that
 * @reader may go out of scope. */
static inline void
pd_test_reader_stop (PdTestReader *reader)
{
  if (!reader->closed)
    {
      g_cancellable_cancel (reader->cancellable);
      while (g_input_stream_has_pending (reader->stream))
        g_main_context_iteration (NULL, TRUE);
    }
  g_clear_object (&reader->stream);
  g_clear_object (&reader->cancellable);
  g_string_free (reader->data, TRUE);
  reader->data = NULL;
  g_clear_error (&reader->error);
}

/* The sandbox's checkout page, pressed as a browser would. */

/* A PdTestPredicate: the sandbox delivers nothing any more. */
static inline gboolean
pd_test_sandbox_is_idle (gconstpointer sandbox)
{
  return pd_sandbox_get_n_in_progress ((PdSandbox *) sandbox) == 0;
}

static inline char *
pd_test_markup_unescape (const char *text)
{
  static const struct { const char *entity; char c; } entities[] = {
    { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
    { "&#39;", '\'' }, { "&#x27;", '\'' }, { "&apos;", '\'' },
  };
  GString *out = g_string_new (NULL);

  while (*text)
    {
      gboolean replaced = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (entities) && *text == '&'; i++)
        {
          gsize len = strlen (entities[i].entity);

          if (strncmp (text, entities[i].entity, len) == 0)
            {
              g_string_append_c (out, entities[i].c);
              text += len;
              replaced = TRUE;
              break;
            }
        }
      if (!replaced)
        g_string_append_c (out, *text++);
    }
  return g_string_free (out, FALSE);
}

/* Returns the unescaped text between @before and the next '"'. */
static inline char *
pd_test_extract (const char *page,
                 const char *before)
{
  const char *start = strstr (page, before);
  const char *end;
  g_autofree char *raw = NULL;

  g_assert_nonnull (start);
  start += strlen (before);
  end = strchr (start, '"');
  g_assert_nonnull (end);
  raw = g_strndup (start, end - start);
  return pd_test_markup_unescape (raw);
}

/* Sends the sandbox's checkout form to @form_action on @base, as the
 * button @action does; @payment is its hidden field, or NULL for none. */
static inline char *
pd_test_sandbox_submit (SoupSession *session,
                        const char  *base,
                        const char  *form_action,
                        const char  *payment,
                        const char  *action)
{
  g_autofree char *url = g_strconcat (base, form_action, NULL);
  g_autofree char *body = NULL;
  g_autoptr(PdForm) form = pd_form_new ();
  g_autoptr(SoupMessage) msg = NULL;
  char *answer;

  if (payment != NULL)
    pd_form_add (form, "payment", payment);
  pd_form_add (form, "action", action);
  body = pd_form_encode (form);
  msg = pd_test_post_message (url, "application/x-www-form-urlencoded", body);
  answer = pd_test_send (session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return answer;
}

/* Presses a button of the classic checkout page @page served from @base. */
static inline char *
pd_test_sandbox_press (SoupSession *session,
                       const char  *base,
                       const char  *page,
                       const char  *action)
{
  g_autofree char *form_action = pd_test_extract (page, "<form method=\"post\" action=\"");
  g_autofree char *payment = pd_test_extract (page, "name=\"payment\" value=\"");

  g_assert_true (g_str_has_suffix (form_action, "/Payment/Pay") ||
                 strstr (form_action, "/Payment/Pay?") != NULL);
  g_assert_true (g_str_has_prefix (payment, "LMI_MERCHANT_ID="));
  return pd_test_sandbox_submit (session, base, form_action, payment, action);
}

/* Presses a button of the page of a REST API v2 invoice, @page served
 * from @base. */
static inline char *
pd_test_sandbox_press_cpay (SoupSession *session,
                            const char  *base,
                            const char  *page,
                            const char  *action)
{
  g_autofree char *form_action = pd_test_extract (page, "<form method=\"post\" action=\"");

  g_assert_nonnull (strstr (form_action, "/cpay/"));
  g_assert_null (strstr (page, "name=\"payment\""));
  return pd_test_sandbox_submit (session, base, form_action, NULL, action);
}

G_END_DECLS
