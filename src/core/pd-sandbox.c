/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include "pd-sandbox-private.h"

/* A local stand-in for PayMaster, for trying Paydesk without it: the
 * classic checkout, the classic status and refund API, and the REST API
 * v2 with its payment pages and callbacks, all over one book of payments
 * (see pd-sandbox-private.h for which file does what). Its pages are plain
 * HTML in Russian or English and need no JavaScript; their texts are the
 * sandbox's own, like PayMaster's pages, not Paydesk's UI, so they are not
 * run through gettext. */

G_DEFINE_FINAL_TYPE (PdSandbox, pd_sandbox, G_TYPE_OBJECT)

/* Serves @callback at @prefix + @path on @server and adds that path to
 * @paths. */
void
_pd_sandbox_add_handler (PdSandbox          *sandbox,
                         SoupServer         *server,
                         const char         *prefix,
                         const char         *path,
                         SoupServerCallback  callback,
                         GPtrArray          *paths)
{
  char *full_path = g_strconcat (prefix, path, NULL);

  soup_server_add_handler (server, full_path, callback, g_object_ref (sandbox), g_object_unref);
  g_ptr_array_add (paths, full_path);
}

/* Serves the classic checkout, the status APIs and the REST API v2 under
 * @prefix on @server. Returns the paths it added, so that the caller can
 * guard them (pd_listener_protect_path()). */
GStrv
pd_sandbox_attach (PdSandbox  *self,
                   SoupServer *server,
                   const char *prefix)
{
  GPtrArray *paths;

  g_return_val_if_fail (PD_IS_SANDBOX (self), NULL);

  g_free (self->prefix);
  self->prefix = g_strdup (prefix);
  paths = g_ptr_array_new ();
  _pd_sandbox_classic_attach (self, server, prefix, paths);
  _pd_sandbox_status_attach (self, server, prefix, paths);
  _pd_sandbox_v2_attach (self, server, prefix, paths);
  _pd_sandbox_v2_checkout_attach (self, server, prefix, paths);
  g_ptr_array_add (paths, NULL);
  return (GStrv) g_ptr_array_free (paths, FALSE);
}

/* Whether Pay sends the pre-request and the notification, or the v2
 * callback (the default), or only completes the payment, as when
 * PayMaster cannot reach the shop. */
void
pd_sandbox_set_delivers_notifications (PdSandbox *self,
                                       gboolean   delivers_notifications)
{
  g_return_if_fail (PD_IS_SANDBOX (self));

  self->delivers_notifications = !!delivers_notifications;
}

/* The API user that the classic status API (under
 * <prefix>/partners/rest/) accepts; until one is set it refuses every call. */
void
pd_sandbox_set_api_user (PdSandbox  *self,
                         const char *login,
                         const char *password)
{
  g_return_if_fail (PD_IS_SANDBOX (self));

  _pd_sandbox_status_set_api_user (self->status, login, password);
}

void
pd_sandbox_set_retry_delay (PdSandbox *self,
                            guint      first_delay_ms)
{
  g_return_if_fail (PD_IS_SANDBOX (self));

  self->first_retry_delay_ms = MAX (first_delay_ms, 1);
}

guint
pd_sandbox_get_n_in_progress (PdSandbox *self)
{
  g_return_val_if_fail (PD_IS_SANDBOX (self), 0);

  return self->n_in_progress;
}

PdSandbox *
pd_sandbox_new (PdHashAlg   hash_alg,
                const char *secret,
                gboolean    test_site)
{
  PdSandbox *self = g_object_new (PD_TYPE_SANDBOX, NULL);

  self->hash_alg = hash_alg;
  self->secret = g_strdup (secret);
  self->test_site = test_site;
  return self;
}

static void
pd_sandbox_finalize (GObject *object)
{
  PdSandbox *self = PD_SANDBOX (object);

  g_clear_object (&self->session);
  g_free (self->secret);
  g_free (self->prefix);
  g_clear_pointer (&self->book, _pd_sandbox_book_free);
  g_clear_pointer (&self->status, _pd_sandbox_status_free);
  g_free (self->api_token);
  g_clear_pointer (&self->idempotent_answers, g_hash_table_unref);

  G_OBJECT_CLASS (pd_sandbox_parent_class)->finalize (object);
}

static void
pd_sandbox_class_init (PdSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_sandbox_finalize;
}

static void
pd_sandbox_init (PdSandbox *self)
{
  self->session = soup_session_new_with_options ("timeout", 15, "idle-timeout", 30,
                                                 "user-agent", "Paydesk-Sandbox/" PACKAGE_VERSION,
                                                 NULL);
  self->first_retry_delay_ms = 1000;
  self->prefix = g_strdup ("");
  self->delivers_notifications = TRUE;
  self->book = _pd_sandbox_book_new ();
  self->status = _pd_sandbox_status_new ();
  self->page_size = PD_SANDBOX_DEFAULT_PAGE_SIZE;
  self->idempotent_answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    _pd_sandbox_v2_answer_free);
}
