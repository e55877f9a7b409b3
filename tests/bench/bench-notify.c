/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-bench"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pd-database.h"
#include "pd-form.h"
#include "pd-journal.h"
#include "pd-paymaster.h"

/* Drives `paydesk-cli serve` over loopback with valid, distinct, signed
 * payment notifications from many keep-alive connections at once, and the
 * same load against a SoupServer that only answers YES, in alternating
 * rounds, and compares the two. Every notification pays its own invoice, so
 * the database must end up with exactly one payment per notification sent.
 *
 * The load generator is deliberately dumb and cheap (blocking sockets,
 * requests built before the clock starts) because it shares the machine's
 * cores with the server it measures. */

#define MERCHANT_ID     "5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"
#define PAYMENT_ID_BASE 700000000
#define GOAL_RATIO      0.5
#define READ_TIMEOUT_S  60
#define RESPONSE_MAX    8192
#define CLOSED_IDLE     G_MAXUINT

/* The part of one request that differs between notifications:
 * "Content-Length: N\r\n\r\n" and the body. The request line and the
 * headers before it depend only on the server and are shared. */
typedef struct
{
  char  *data;
  gsize  len;
} Request;

typedef struct
{
  const Request *requests;
  char          *prefix;
  gsize          prefix_len;
  guint16        port;
  const char    *expected_body;

  /* The next request to send and the end of the current phase. */
  gint           next;
  gint           end;

  gint64        *latency;     /* microseconds, by request index */
  guint16       *status;      /* HTTP status by request index, 0 for a broken exchange */

  GMutex         lock;
  GCond          cond;
  guint          n_ready;
  gboolean       go;
  char          *first_failure;
} Load;

typedef struct
{
  Load  *load;
  int    fd;
  gsize  have;
  char   buf[RESPONSE_MAX];
} Connection;

typedef struct
{
  guint   n;
  gint64  elapsed;           /* microseconds */
  double  rate;              /* requests per second */
  double  p50;               /* milliseconds */
  double  p99;
  guint   n_failed;
} Figures;

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  guint16           port;
} Server;

typedef struct
{
  int         n_notifications;
  int         n_connections;
  int         n_warmup;
  int         n_rounds;
  char       *cli;
  char       *wrapper;
  char       *base_dir;
  gboolean    keep;

  char       *dir;
  char       *db_path;
  char       *secret_path;
  char       *keyring_path;
  char       *secret;
  Request    *requests;
  guint       n_requests;
} Bench;

/* HTTP client */

static gboolean
connection_open (Connection *conn)
{
  struct sockaddr_in addr = { 0 };
  struct timeval timeout = { READ_TIMEOUT_S, 0 };
  int one = 1;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;

  addr.sin_family = AF_INET;
  addr.sin_port = htons (conn->load->port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);

  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);

  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      close (fd);
      return FALSE;
    }

  conn->fd = fd;
  conn->have = 0;
  return TRUE;
}

static void
connection_close (Connection *conn)
{
  if (conn->fd >= 0)
    close (conn->fd);
  conn->fd = -1;
  conn->have = 0;
}

static gboolean
write_all (int           fd,
           struct iovec *iov,
           int           n_iov)
{
  while (n_iov > 0)
    {
      ssize_t n = writev (fd, iov, n_iov);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;

      while (n_iov > 0 && (gsize) n >= iov->iov_len)
        {
          n -= (ssize_t) iov->iov_len;
          iov++;
          n_iov--;
        }
      if (n_iov > 0)
        {
          iov->iov_base = (char *) iov->iov_base + n;
          iov->iov_len -= (gsize) n;
        }
    }
  return TRUE;
}

static gboolean
read_more (Connection *conn)
{
  for (;;)
    {
      ssize_t n;

      if (conn->have == sizeof conn->buf)
        return FALSE;
      n = recv (conn->fd, conn->buf + conn->have, sizeof conn->buf - conn->have, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      conn->have += (gsize) n;
      return TRUE;
    }
}

static gssize
find_header_end (const char *buf,
                 gsize       len)
{
  for (gsize i = 0; i + 3 < len; i++)
    if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n')
      return (gssize) (i + 4);
  return -1;
}

/* Returns the value of header @name in the header block, trimmed, without
 * copying; @value_len is set to its length. */
static const char *
find_header (const char *headers,
             gsize       len,
             const char *name,
             gsize      *value_len)
{
  gsize name_len = strlen (name);
  const char *line = headers;
  const char *end = headers + len;

  while (line < end)
    {
      const char *eol = memchr (line, '\n', (gsize) (end - line));

      if (eol == NULL)
        eol = end;
      if ((gsize) (eol - line) > name_len && line[name_len] == ':' &&
          g_ascii_strncasecmp (line, name, name_len) == 0)
        {
          const char *value = line + name_len + 1;
          const char *value_end = eol;

          while (value < value_end && (*value == ' ' || *value == '\t'))
            value++;
          while (value_end > value && g_ascii_isspace (value_end[-1]))
            value_end--;
          *value_len = (gsize) (value_end - value);
          return value;
        }
      line = eol + 1;
    }
  return NULL;
}

static void
note_failure (Load       *load,
              const char *what,
              guint       status,
              const char *body,
              gsize       body_len)
{
  g_mutex_lock (&load->lock);
  if (load->first_failure == NULL)
    load->first_failure = g_strdup_printf ("%s (HTTP status %u, body \"%.*s\")", what, status,
                                           (int) MIN (body_len, 200), body ? body : "");
  g_mutex_unlock (&load->lock);
}

/* Reads one whole response. No request is pipelined, so nothing may
 * follow it. Returns the status, 0 when the exchange broke, or CLOSED_IDLE
 * when the server closed the connection without answering. */
static guint
read_response (Connection *conn)
{
  Load *load = conn->load;
  gssize header_len;
  const char *value;
  gsize value_len = 0;
  guint64 status = 0;
  guint64 content_length = 0;
  gboolean must_close = FALSE;
  const char *body;

  while ((header_len = find_header_end (conn->buf, conn->have)) < 0)
    if (!read_more (conn))
      {
        /* A keep-alive connection the server closed while it idled. */
        if (conn->have == 0)
          return CLOSED_IDLE;
        note_failure (load, "the connection broke in the middle of a response", 0, NULL, 0);
        return 0;
      }

  if (conn->have < 12 || strncmp (conn->buf, "HTTP/1.", 7) != 0 ||
      !g_ascii_isdigit (conn->buf[9]))
    {
      note_failure (load, "not an HTTP response", 0, NULL, 0);
      return 0;
    }
  status = g_ascii_strtoull (conn->buf + 9, NULL, 10);

  if (find_header (conn->buf, (gsize) header_len, "Transfer-Encoding", &value_len) != NULL)
    {
      note_failure (load, "a chunked response, which this client does not read", (guint) status, NULL, 0);
      return 0;
    }
  value = find_header (conn->buf, (gsize) header_len, "Content-Length", &value_len);
  if (value != NULL)
    content_length = g_ascii_strtoull (value, NULL, 10);
  value = find_header (conn->buf, (gsize) header_len, "Connection", &value_len);
  if (value != NULL && value_len == 5 && g_ascii_strncasecmp (value, "close", 5) == 0)
    must_close = TRUE;

  if ((gsize) header_len + content_length > sizeof conn->buf)
    {
      note_failure (load, "a response too large for this client", (guint) status, NULL, 0);
      return 0;
    }
  while (conn->have < (gsize) header_len + content_length)
    if (!read_more (conn))
      {
        note_failure (load, "the connection broke in the middle of a response", (guint) status, NULL, 0);
        return 0;
      }

  body = conn->buf + header_len;
  if (status != SOUP_STATUS_OK ||
      content_length != strlen (load->expected_body) ||
      memcmp (body, load->expected_body, content_length) != 0)
    {
      note_failure (load, "an unexpected answer", (guint) status, body, content_length);
      if (status == SOUP_STATUS_OK)
        status = 0;
    }

  if (conn->have != (gsize) header_len + content_length)
    {
      note_failure (load, "bytes after the response", (guint) status, NULL, 0);
      must_close = TRUE;
    }
  conn->have = 0;

  if (must_close)
    connection_close (conn);
  return (guint) status;
}

static guint
exchange (Connection    *conn,
          const Request *request)
{
  Load *load = conn->load;

  /* A reused connection may have been closed by the server's idle
   * timeout; like any HTTP client, try once more on a new one. */
  for (int attempt = 0; attempt < 2; attempt++)
    {
      gboolean reused = conn->fd >= 0;
      struct iovec iov[2];
      guint status;

      if (!reused && !connection_open (conn))
        {
          note_failure (load, "cannot connect", 0, NULL, 0);
          return 0;
        }

      iov[0].iov_base = load->prefix;
      iov[0].iov_len = load->prefix_len;
      iov[1].iov_base = request->data;
      iov[1].iov_len = request->len;
      status = write_all (conn->fd, iov, G_N_ELEMENTS (iov)) ? read_response (conn) : CLOSED_IDLE;
      if (status != CLOSED_IDLE)
        return status;

      connection_close (conn);
      if (!reused)
        break;
    }

  note_failure (load, "the server closed the connection without answering", 0, NULL, 0);
  return 0;
}

static gpointer
worker_thread (gpointer data)
{
  Connection *conn = data;
  Load *load = conn->load;

  g_mutex_lock (&load->lock);
  load->n_ready++;
  g_cond_broadcast (&load->cond);
  while (!load->go)
    g_cond_wait (&load->cond, &load->lock);
  g_mutex_unlock (&load->lock);

  for (;;)
    {
      gint i = g_atomic_int_add (&load->next, 1);
      gint64 start;
      guint status;

      if (i >= load->end)
        break;

      start = g_get_monotonic_time ();
      status = exchange (conn, &load->requests[i]);
      load->latency[i] = g_get_monotonic_time () - start;
      load->status[i] = (guint16) status;
    }

  return NULL;
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
percentile_ms (const gint64 *sorted,
               guint         n,
               double        fraction)
{
  double exact = fraction * n;
  guint rank = (guint) exact;

  if (n == 0)
    return 0;
  /* Nearest rank: the smallest value with at least @fraction of the
   * samples at or below it, that is rank ceil (fraction × n). */
  if (exact - rank > 1e-9)
    rank++;
  rank = CLAMP (rank, 1, n);
  return sorted[rank - 1] / 1000.0;
}

static double
process_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / (double) G_USEC_PER_SEC;
}

/* Sends requests [first, end) over the open connections, one exchange in
 * flight per connection; returns how long that took, in microseconds. */
static gint64
run_phase (Load       *load,
           Connection *conns,
           guint       n_conns,
           guint       first,
           guint       end)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  gint64 start;

  load->next = (gint) first;
  load->end = (gint) end;
  load->n_ready = 0;
  load->go = FALSE;

  for (guint i = 0; i < n_conns; i++)
    g_ptr_array_add (threads, g_thread_new ("bench-client", worker_thread, &conns[i]));

  g_mutex_lock (&load->lock);
  while (load->n_ready < n_conns)
    g_cond_wait (&load->cond, &load->lock);
  start = g_get_monotonic_time ();
  load->go = TRUE;
  g_cond_broadcast (&load->cond);
  g_mutex_unlock (&load->lock);

  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);

  return MAX (g_get_monotonic_time () - start, 1);
}

/* One server under load: its connections, and what it answered. */
typedef struct
{
  Load        load;
  Connection *conns;
  guint       n_conns;
  gint64      elapsed;     /* measured phases only */
  double      client_cpu;  /* seconds the load generator used in them */
  GArray     *round_rates;
} Target;

static gboolean
target_init (Target     *target,
             Bench      *bench,
             guint16     port,
             const char *expected_body)
{
  Load *load = &target->load;

  load->requests = bench->requests;
  load->port = port;
  load->expected_body = expected_body;
  load->prefix = g_strdup_printf ("POST " PD_PATH_NOTIFY " HTTP/1.1\r\n"
                                  "Host: 127.0.0.1:%u\r\n"
                                  "User-Agent: paydesk-bench\r\n"
                                  "Content-Type: application/x-www-form-urlencoded\r\n",
                                  port);
  load->prefix_len = strlen (load->prefix);
  load->latency = g_new0 (gint64, bench->n_requests);
  load->status = g_new0 (guint16, bench->n_requests);
  g_mutex_init (&load->lock);
  g_cond_init (&load->cond);

  target->round_rates = g_array_new (FALSE, FALSE, sizeof (double));
  target->n_conns = (guint) bench->n_connections;
  target->conns = g_new0 (Connection, target->n_conns);
  for (guint i = 0; i < target->n_conns; i++)
    {
      target->conns[i].load = load;
      target->conns[i].fd = -1;
    }

  /* Connect everything up front: the measurement is of requests on open
   * keep-alive connections, not of connection set-up. */
  for (guint i = 0; i < target->n_conns; i++)
    if (!connection_open (&target->conns[i]))
      {
        g_printerr ("bench-notify: cannot connect to 127.0.0.1:%u: %s\n", port, g_strerror (errno));
        return FALSE;
      }
  return TRUE;
}

static void
target_run (Target  *target,
            guint    first,
            guint    end,
            gboolean measured)
{
  gint64 elapsed;
  double rate, cpu_before;

  if (end <= first)
    return;
  cpu_before = process_cpu_seconds ();
  elapsed = run_phase (&target->load, target->conns, target->n_conns, first, end);
  if (!measured)
    return;
  target->client_cpu += process_cpu_seconds () - cpu_before;
  rate = (end - first) * (double) G_USEC_PER_SEC / elapsed;
  target->elapsed += elapsed;
  g_array_append_val (target->round_rates, rate);
}

/* Sums up the measured requests [first, end); failures count over all
 * requests, the warm-up's included. */
static void
target_figures (Target  *target,
                guint    first,
                guint    end,
                Figures *figures)
{
  g_autofree gint64 *sorted = g_memdup2 (target->load.latency + first, sizeof (gint64) * (end - first));

  memset (figures, 0, sizeof *figures);
  figures->n = end - first;
  figures->elapsed = MAX (target->elapsed, 1);
  figures->rate = figures->n * (double) G_USEC_PER_SEC / figures->elapsed;

  qsort (sorted, figures->n, sizeof (gint64), compare_gint64);
  figures->p50 = percentile_ms (sorted, figures->n, 0.50);
  figures->p99 = percentile_ms (sorted, figures->n, 0.99);

  for (guint i = 0; i < end; i++)
    if (target->load.status[i] != SOUP_STATUS_OK)
      figures->n_failed++;

  if (target->load.first_failure != NULL)
    g_printerr ("bench-notify: first failed exchange: %s\n", target->load.first_failure);
}

static void
target_clear (Target *target)
{
  Load *load = &target->load;

  for (guint i = 0; target->conns != NULL && i < target->n_conns; i++)
    connection_close (&target->conns[i]);
  g_clear_pointer (&target->conns, g_free);
  g_clear_pointer (&target->round_rates, g_array_unref);
  g_clear_pointer (&load->prefix, g_free);
  g_clear_pointer (&load->latency, g_free);
  g_clear_pointer (&load->status, g_free);
  g_clear_pointer (&load->first_failure, g_free);
  if (load->port != 0)
    {
      g_mutex_clear (&load->lock);
      g_cond_clear (&load->cond);
      load->port = 0;
    }
}

/* The trivial handler */

static void
yes_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC, "YES", 3);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* The baseline: the same libsoup server the listener uses, on one main
 * loop thread, answering YES without looking at the request. */
static int
run_trivial_server (void)
{
  g_autoptr(SoupServer) server = soup_server_new ("server-header", "Paydesk", NULL);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint sigint, sigterm;

  soup_server_add_handler (server, NULL, yes_handler, NULL, NULL);
  if (!soup_server_listen (server, address, 0, &error))
    {
      g_printerr ("bench-notify: cannot listen: %s\n", error->message);
      return EXIT_FAILURE;
    }

  uris = soup_server_get_uris (server);
  g_print ("listening on http://%s:%d\n", g_uri_get_host (uris->data), g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  soup_server_disconnect (server);
  return EXIT_SUCCESS;
}

/* Subprocesses */

static GSubprocessLauncher *
launcher_new (Bench            *bench,
              GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* `setup` stores the key in the keyring even when it reads it from a
   * file; a file keyring in the scratch folder keeps the user's alone. */
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", bench->keyring_path, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD", "paydesk-bench", TRUE);
  return launcher;
}

/* Runs `paydesk-cli --db DB ARGS...` and returns what it printed. */
static char *
run_cli (Bench       *bench,
         GError     **error,
         const char  *first_arg,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (bench, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, bench->cli);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, bench->db_path);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "paydesk-cli %s failed", first_arg);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
server_start (Server              *server,
              GSubprocessLauncher *launcher,
              const char * const  *argv,
              GError             **error)
{
  g_autofree char *line = NULL;
  const char *colon;
  guint64 port = 0;

  server->process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (server->process == NULL)
    return FALSE;
  server->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));

  line = g_data_input_stream_read_line_utf8 (server->out, NULL, NULL, error);
  if (line == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s exited before it listened", argv[0]);
      return FALSE;
    }

  colon = strrchr (line, ':');
  if (!g_str_has_prefix (line, "listening on http://") || colon == NULL ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s announced \"%s\", not an address",
                   argv[0], line);
      return FALSE;
    }
  server->port = (guint16) port;
  return TRUE;
}

/* Reads the CPU time (user + system, seconds) of a process or thread from
 * its stat file under /proc, and its name. */
static double
read_cpu_seconds (const char  *stat_path,
                  char       **name)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *open_paren, *close_paren;

  if (!g_file_get_contents (stat_path, &text, NULL, NULL) ||
      (open_paren = strchr (text, '(')) == NULL ||
      (close_paren = strrchr (text, ')')) == NULL)
    return -1;

  if (name != NULL)
    *name = g_strndup (open_paren + 1, (gsize) (close_paren - open_paren - 1));
  /* After the name: state is field 3, utime field 14, stime field 15. */
  fields = g_strsplit (close_paren + 2, " ", 14);
  if (g_strv_length (fields) < 14)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

/* Says how much CPU a server used in all and per request, and in which of
 * its threads, so that a slow run points at the busy thread. */
static char *
describe_cpu (Server *server,
              guint   n_requests)
{
  const char *pid = g_subprocess_get_identifier (server->process);
  g_autofree char *stat_path = NULL;
  g_autofree char *task_path = NULL;
  g_autoptr(GDir) tasks = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const char *tid;
  double total;

  if (pid == NULL)
    return g_strdup ("unknown");
  stat_path = g_build_filename ("/proc", pid, "stat", NULL);
  if ((total = read_cpu_seconds (stat_path, NULL)) < 0)
    return g_strdup ("unknown");

  g_string_append_printf (out, "%.2f s, %.0f us per notification", total,
                          total * G_USEC_PER_SEC / MAX (n_requests, 1));

  task_path = g_build_filename ("/proc", pid, "task", NULL);
  tasks = g_dir_open (task_path, 0, NULL);
  while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *thread_stat = g_build_filename (task_path, tid, "stat", NULL);
      g_autofree char *name = NULL;
      double seconds = read_cpu_seconds (thread_stat, &name);

      /* Idle helper threads (GDBus, the GLib worker) would only clutter. */
      if (seconds >= 0.01)
        g_string_append_printf (out, "%s%s%s %.2f s", out->len > 0 ? "; " : "",
                                g_str_equal (tid, pid) ? "main thread " : "", name, seconds);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GStrv
wrap_argv (GStrv        wrapper,
           const char **argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (wrapper != NULL)
    g_strv_builder_addv (builder, (const char **) wrapper);
  g_strv_builder_addv (builder, argv);
  return g_strv_builder_end (builder);
}

/* Asks the server to stop the way an init system would and waits for it;
 * TRUE when it exited with status 0. */
static gboolean
server_stop (Server *server)
{
  gboolean ok = FALSE;

  if (server->process == NULL)
    return FALSE;

  g_subprocess_send_signal (server->process, SIGTERM);
  if (g_subprocess_wait (server->process, NULL, NULL))
    ok = g_subprocess_get_if_exited (server->process) &&
         g_subprocess_get_exit_status (server->process) == 0;
  g_clear_object (&server->out);
  g_clear_object (&server->process);
  return ok;
}

static void
server_kill (Server *server)
{
  if (server->process != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
    }
  g_clear_object (&server->out);
  g_clear_object (&server->process);
}

/* Preparation */

static gboolean
prepare_shop (Bench   *bench,
              GError **error)
{
  g_autofree char *setup_out = NULL;
  g_autofree char *product_out = NULL;
  g_autofree char *invoices_out = NULL;
  g_autofree char *count = g_strdup_printf ("%u", bench->n_requests);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  /* A fresh random key, written only to a private file. */
  bench->secret = g_uuid_string_random ();
  if (!g_file_set_contents_full (bench->secret_path, bench->secret, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  setup_out = run_cli (bench, error, "setup", "--merchant-id", MERCHANT_ID, "--hash", "sha256",
                       "--mode", "test", "--secret-file", bench->secret_path,
                       "--listen", "127.0.0.1:8080", NULL);
  if (setup_out == NULL)
    return FALSE;

  product_out = run_cli (bench, error, "product", "add", "--name", "Benchmark item",
                         "--price", "50.00", NULL);
  if (product_out == NULL)
    return FALSE;
  g_strstrip (product_out);

  invoices_out = run_cli (bench, error, "invoice", "create", "--product", product_out,
                          "--count", count, "--json", NULL);
  if (invoices_out == NULL)
    return FALSE;

  bench->requests = g_new0 (Request, bench->n_requests);
  lines = g_strsplit (invoices_out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && n < bench->n_requests; i++)
    {
      JsonObject *invoice;
      g_autoptr(PdForm) form = pd_form_new ();
      g_autofree char *payment_id = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *body = NULL;
      const char *number, *amount, *currency;

      if (*lines[i] == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, error))
        return FALSE;
      invoice = json_node_get_object (json_parser_get_root (parser));
      number = json_object_get_string_member (invoice, "number");
      amount = json_object_get_string_member (invoice, "amount");
      currency = json_object_get_string_member (invoice, "currency");

      /* What PayMaster sends for a test-mode site, field for field. */
      payment_id = g_strdup_printf ("%u", PAYMENT_ID_BASE + n);
      pd_form_add (form, "LMI_MERCHANT_ID", MERCHANT_ID);
      pd_form_add (form, "LMI_PAYMENT_NO", number);
      pd_form_add (form, "LMI_SYS_PAYMENT_ID", payment_id);
      pd_form_add (form, "LMI_SYS_PAYMENT_DATE", "2024-05-17T12:34:56");
      pd_form_add (form, "LMI_PAYMENT_AMOUNT", amount);
      pd_form_add (form, "LMI_CURRENCY", currency);
      pd_form_add (form, "LMI_PAID_AMOUNT", amount);
      pd_form_add (form, "LMI_PAID_CURRENCY", currency);
      pd_form_add (form, "LMI_PAYMENT_SYSTEM", "3");
      pd_form_add (form, "LMI_SIM_MODE", "0");
      pd_form_add (form, "LMI_PAYMENT_METHOD", "Test");
      pd_form_add (form, "LMI_PAYER_IDENTIFIER", "427600******1234");
      pd_form_add (form, "LMI_PAYMENT_REF", payment_id);
      pd_form_add (form, "LMI_PAYMENT_DESC", "Benchmark item");
      pd_form_add (form, "LMI_PAYER_IP_ADDRESS", "203.0.113.7");
      pd_form_add (form, "LMI_PAYER_COUNTRY", "RU");
      hash = pd_paymaster_sign (form, PD_HASH_SHA256, bench->secret);
      pd_form_add (form, "LMI_HASH", hash);

      body = pd_form_encode (form);
      bench->requests[n].data = g_strdup_printf ("Content-Length: %zu\r\n\r\n%s", strlen (body), body);
      bench->requests[n].len = strlen (bench->requests[n].data);
      n++;
    }

  if (n != bench->n_requests)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "paydesk-cli created %u invoices, not %u", n, bench->n_requests);
      return FALSE;
    }
  return TRUE;
}

static gboolean
count_rows (PdDatabase *db,
            const char *sql,
            gint64     *count)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pd_database_prepare (db, sql, &error);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_printerr ("bench-notify: cannot count: %s\n",
                  error ? error->message : sqlite3_errmsg (sqlite3_db_handle (stmt)));
      return FALSE;
    }
  *count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
check_database (Bench  *bench,
                gint64 *n_payments,
                gint64 *n_paid,
                gint64 *n_not_200)
{
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(GError) error = NULL;

  db = pd_database_open (bench->db_path, PD_DATABASE_READ_ONLY, &error);
  if (db == NULL || (*n_payments = pd_journal_count_payments (db, &error)) < 0)
    {
      g_printerr ("bench-notify: %s\n", error->message);
      return FALSE;
    }

  if (!count_rows (db, "SELECT count (*) FROM invoices WHERE status = 'paid'", n_paid) ||
      !count_rows (db, "SELECT count (*) FROM events WHERE http_status <> 200", n_not_200))
    return FALSE;
  return TRUE;
}

static void
remove_scratch (Bench *bench)
{
  g_autoptr(GDir) dir = g_dir_open (bench->dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (bench->dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (bench->dir);
}

static char *
find_cli (const char *option)
{
  const char *env = g_getenv ("PAYDESK_CLI");
  g_autofree char *self = NULL;

  if (option != NULL)
    return g_strdup (option);
  if (env != NULL && *env != '\0')
    return g_strdup (env);

  /* Run straight from the build tree: tests/bench/ -> src/cli/. */
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *guess = g_build_filename (dir, "..", "..", "src", "cli", "paydesk-cli", NULL);

      if (g_file_test (guess, G_FILE_TEST_IS_EXECUTABLE))
        return g_canonicalize_filename (guess, NULL);
    }
  return NULL;
}

static void
print_figures (const char    *label,
               const Bench   *bench,
               const Figures *figures)
{
  g_print ("%-20s %u notifications, %d connections: %.0f notifications/s, p50 %.2f ms, p99 %.2f ms",
           label, figures->n, bench->n_connections, figures->rate, figures->p50, figures->p99);
  if (figures->n_failed > 0)
    g_print (", %u FAILED", figures->n_failed);
  g_print ("\n");
}

static void
bench_clear (Bench *bench)
{
  for (guint i = 0; bench->requests != NULL && i < bench->n_requests; i++)
    g_free (bench->requests[i].data);
  g_clear_pointer (&bench->requests, g_free);
  g_clear_pointer (&bench->secret, g_free);
  g_clear_pointer (&bench->cli, g_free);
  g_clear_pointer (&bench->wrapper, g_free);
  g_clear_pointer (&bench->base_dir, g_free);
  g_clear_pointer (&bench->dir, g_free);
  g_clear_pointer (&bench->db_path, g_free);
  g_clear_pointer (&bench->secret_path, g_free);
  g_clear_pointer (&bench->keyring_path, g_free);
}

static int
run_benchmark (Bench *bench)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  Server trivial = { NULL };
  Server serve = { NULL };
  Target trivial_target = { 0 };
  Target full_target = { 0 };
  Figures trivial_figures = { 0 };
  Figures full_figures = { 0 };
  guint warm = (guint) bench->n_warmup;
  guint rounds = (guint) MIN (bench->n_rounds, bench->n_notifications);
  gint64 n_payments = -1, n_paid = -1, n_not_200 = -1;
  gboolean serve_exited_ok = FALSE, trivial_exited_ok = FALSE;
  gboolean ok;
  double ratio, ratio_min = G_MAXDOUBLE, ratio_max = 0;
  double full_client_cpu = 0, trivial_client_cpu = 0;
  g_autofree char *serve_cpu = NULL;
  g_autofree char *trivial_cpu = NULL;

  if (self == NULL)
    {
      g_printerr ("bench-notify: cannot find its own executable\n");
      return EXIT_FAILURE;
    }

  if (bench->base_dir != NULL)
    {
      g_autofree char *template = g_build_filename (bench->base_dir, "paydesk-bench-XXXXXX", NULL);

      if (g_mkdtemp (template) != NULL)
        bench->dir = g_steal_pointer (&template);
      else
        g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno),
                     "cannot create a folder in %s: %s", bench->base_dir, g_strerror (errno));
    }
  else
    bench->dir = g_dir_make_tmp ("paydesk-bench-XXXXXX", &error);
  if (bench->dir == NULL)
    {
      g_printerr ("bench-notify: %s\n", error->message);
      return EXIT_FAILURE;
    }
  bench->db_path = g_build_filename (bench->dir, "paydesk.db", NULL);
  bench->secret_path = g_build_filename (bench->dir, "secret", NULL);
  bench->keyring_path = g_build_filename (bench->dir, "keyring", NULL);
  bench->n_requests = (guint) (bench->n_warmup + bench->n_notifications);

  g_print ("preparing %u invoices and signed notifications in %s\n", bench->n_requests, bench->dir);
  if (!prepare_shop (bench, &error))
    goto failed;

  /* Both servers run side by side and take turns, round by round, so that
   * a slow spell of the machine (a virtual machine's neighbours, the CPU
   * clock) hits both alike instead of skewing the ratio. */
  {
    g_autoptr(GSubprocessLauncher) launcher = launcher_new (bench, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    const char *trivial_args[] = { self, "--trivial-server", NULL };
    const char *serve_args[] = { bench->cli, "--db", bench->db_path, "serve", "--listen", "127.0.0.1:0",
                                 "--secret-file", bench->secret_path, NULL };
    g_auto(GStrv) wrapper = NULL;
    g_auto(GStrv) trivial_argv = NULL;
    g_auto(GStrv) serve_argv = NULL;

    /* A profiler may run both servers: --wrapper 'valgrind --tool=callgrind'. */
    if (bench->wrapper != NULL && !g_shell_parse_argv (bench->wrapper, NULL, &wrapper, &error))
      goto failed;
    trivial_argv = wrap_argv (wrapper, trivial_args);
    serve_argv = wrap_argv (wrapper, serve_args);

    if (!server_start (&trivial, launcher, (const char * const *) trivial_argv, &error) ||
        !server_start (&serve, launcher, (const char * const *) serve_argv, &error))
      goto failed;
  }
  if (!target_init (&trivial_target, bench, trivial.port, "YES") ||
      !target_init (&full_target, bench, serve.port, "OK"))
    goto failed;

  g_print ("sending %u warm-up notifications, then %d in %u rounds to each server\n",
           warm, bench->n_notifications, rounds);
  target_run (&trivial_target, 0, warm, FALSE);
  target_run (&full_target, 0, warm, FALSE);
  for (guint r = 0; r < rounds; r++)
    {
      guint first = warm + (guint) ((guint64) bench->n_notifications * r / rounds);
      guint end = warm + (guint) ((guint64) bench->n_notifications * (r + 1) / rounds);

      target_run (&trivial_target, first, end, TRUE);
      target_run (&full_target, first, end, TRUE);
    }

  target_figures (&trivial_target, warm, bench->n_requests, &trivial_figures);
  target_figures (&full_target, warm, bench->n_requests, &full_figures);
  for (guint r = 0; r < rounds; r++)
    {
      double round_ratio = g_array_index (full_target.round_rates, double, r) /
                           g_array_index (trivial_target.round_rates, double, r);

      ratio_min = MIN (ratio_min, round_ratio);
      ratio_max = MAX (ratio_max, round_ratio);
    }
  full_client_cpu = full_target.client_cpu;
  trivial_client_cpu = trivial_target.client_cpu;
  target_clear (&trivial_target);
  target_clear (&full_target);

  serve_cpu = describe_cpu (&serve, bench->n_requests);
  trivial_cpu = describe_cpu (&trivial, bench->n_requests);
  trivial_exited_ok = server_stop (&trivial);
  serve_exited_ok = server_stop (&serve);

  if (!check_database (bench, &n_payments, &n_paid, &n_not_200))
    goto failed;

  ratio = trivial_figures.rate > 0 ? full_figures.rate / trivial_figures.rate : 0;
  ok = serve_exited_ok && trivial_figures.n_failed == 0 && full_figures.n_failed == 0 &&
       n_payments == bench->n_requests && n_paid == bench->n_requests && n_not_200 == 0;

  g_print ("\n");
  print_figures ("full pipeline:", bench, &full_figures);
  print_figures ("trivial YES handler:", bench, &trivial_figures);
  g_print ("ratio: %.2fx (goal >= %.1fx: %s; rounds from %.2fx to %.2fx)\n", ratio, GOAL_RATIO,
           ratio >= GOAL_RATIO ? "met" : "NOT met", ratio_min, ratio_max);
  g_print ("payments in database: %" G_GINT64_FORMAT " of %u sent (%d warm-up + %d measured), "
           "invoices paid: %" G_GINT64_FORMAT ", events not answered 200: %" G_GINT64_FORMAT "\n",
           n_payments, bench->n_requests, bench->n_warmup, bench->n_notifications, n_paid, n_not_200);
  g_print ("responses not 200: full %u, trivial %u; on SIGTERM serve exited %s, the trivial server %s\n",
           full_figures.n_failed, trivial_figures.n_failed,
           serve_exited_ok ? "with status 0" : "BADLY", trivial_exited_ok ? "with status 0" : "BADLY");
  g_print ("CPU time of serve: %s\n", serve_cpu);
  g_print ("CPU time of the trivial server: %s\n", trivial_cpu);
  g_print ("CPU time of this load generator: %.0f us per notification to serve, %.0f us to the "
           "trivial server\n",
           full_client_cpu * G_USEC_PER_SEC / bench->n_notifications,
           trivial_client_cpu * G_USEC_PER_SEC / bench->n_notifications);
  g_print ("check: %s\n", ok ? "passed" : "FAILED");

  if (ok && !bench->keep)
    remove_scratch (bench);
  else
    g_print ("the database is kept in %s\n", bench->dir);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;

failed:
  if (error != NULL)
    g_printerr ("bench-notify: %s\n", error->message);
  target_clear (&trivial_target);
  target_clear (&full_target);
  server_kill (&trivial);
  server_kill (&serve);
  g_printerr ("bench-notify: the scratch folder is kept in %s\n", bench->dir);
  return EXIT_FAILURE;
}

int
main (int    argc,
      char **argv)
{
  Bench bench = { 0 };
  gboolean trivial_server = FALSE;
  g_autofree char *cli = NULL;
  g_autofree char *base_dir = NULL;
  GOptionEntry entries[] = {
    { "notifications", 'n', 0, G_OPTION_ARG_INT, &bench.n_notifications, "Notifications to measure (default 20000)", "N" },
    { "connections", 'c', 0, G_OPTION_ARG_INT, &bench.n_connections, "Concurrent keep-alive connections (default 32)", "C" },
    { "warmup", 'w', 0, G_OPTION_ARG_INT, &bench.n_warmup, "Notifications sent before the clock starts (default 1000)", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &bench.n_rounds, "Turns the two servers take, to even out noise (default 4)", "R" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "The paydesk-cli to measure (default $PAYDESK_CLI, else the build tree's)", "PATH" },
    { "wrapper", 0, 0, G_OPTION_ARG_STRING, &bench.wrapper, "Run both servers under COMMAND, such as a profiler", "COMMAND" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &base_dir, "Where to put the scratch database (default $TMPDIR)", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &bench.keep, "Keep the scratch database", NULL },
    { "trivial-server", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &trivial_server, "Run the baseline server", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  int status;

  bench.n_notifications = 20000;
  bench.n_connections = 32;
  bench.n_warmup = 1000;
  bench.n_rounds = 4;

  g_option_context_set_summary (context, "Measures paydesk-cli serve under a load of signed payment "
                                         "notifications against a server that only answers YES.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-notify: %s\n", error->message);
      return 2;
    }

  if (trivial_server)
    return run_trivial_server ();

  if (bench.n_notifications < 1 || bench.n_connections < 1 || bench.n_connections > 1024 ||
      bench.n_warmup < 0 || bench.n_rounds < 1 || (gint64) bench.n_notifications + bench.n_warmup > G_MAXINT / 2)
    {
      g_printerr ("bench-notify: --notifications must be at least 1, --connections between 1 and "
                  "1024, --warmup not negative, --rounds at least 1\n");
      return 2;
    }

  bench.cli = find_cli (cli);
  if (bench.cli == NULL)
    {
      g_printerr ("bench-notify: cannot find paydesk-cli: pass --cli PATH or set PAYDESK_CLI\n");
      return 2;
    }
  bench.base_dir = g_steal_pointer (&base_dir);

  /* A server that hangs up must not kill the client with SIGPIPE. */
  signal (SIGPIPE, SIG_IGN);

  status = run_benchmark (&bench);
  bench_clear (&bench);
  return status;
}
