/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-api"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>

#include "pd-json.h"
#include "pd-paymaster-api-private.h"
#include "pd-shop.h"

/* Seconds before a request or an idle connection gives up. */
#define TIMEOUT_SECONDS 30

/* The classic API lives under this path of the PayMaster address unless
 * the caller names another base (newer pages show /api/v1/). */
#define CLASSIC_PATH "/partners/rest/"

/* How many pages of a payment listing are read before giving up: a safety
 * against a server that never stops handing out cursors. */
#define DEFAULT_MAX_PAGES 100

G_DEFINE_FINAL_TYPE (PdPaymasterApi, pd_paymaster_api, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_CLASSIC_URL,
  PROP_MAX_PAGES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (pd-api-error-quark, pd_api_error)

/* Whether @error leaves it unknown what PayMaster did: its answer never
 * came, or it had trouble of its own. Such a request is asked again with
 * the same Idempotency-Key, never a new one. */
gboolean
pd_api_error_is_unanswered (const GError *error)
{
  return g_error_matches (error, PD_API_ERROR, PD_API_ERROR_NETWORK) ||
         g_error_matches (error, PD_API_ERROR, PD_API_ERROR_SERVER);
}

static void
secret_free (char *secret)
{
  if (secret == NULL)
    return;
  OPENSSL_cleanse (secret, strlen (secret));
  g_free (secret);
}

char *
_pd_api_format_date (GDateTime  *date,
                     const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (date);

  return g_date_time_format (utc, format);
}

/* Errors */

static void
set_not_authorized (GError **error)
{
  g_set_error_literal (error, PD_API_ERROR, PD_API_ERROR_NOT_AUTHORIZED,
                       _("PayMaster refused the API token: create a new token in the PayMaster "
                         "cabinet and enter it in Paydesk."));
}

static void
set_bad_password (GError     **error,
                  PdApiError   code)
{
  g_set_error_literal (error, PD_API_ERROR, code,
                       _("PayMaster refused the API user's password: check the login and password "
                         "of the API user in Paydesk against the PayMaster cabinet."));
}

static void
append_reason (GString    *reasons,
               const char *text)
{
  gsize length;

  if (text == NULL)
    return;
  while (g_ascii_isspace (*text))
    text++;
  length = strlen (text);
  /* The reasons are joined into one sentence. */
  while (length > 0 && (text[length - 1] == '.' || g_ascii_isspace (text[length - 1])))
    length--;
  if (length == 0)
    return;
  if (reasons->len > 0)
    g_string_append (reasons, "; ");
  g_string_append_len (reasons, text, length);
}

/* PayMaster's message and the field errors, in one line. The shape of an
 * entry of "errors" is not documented: strings and objects with the usual
 * names are both read. */
static char *
error_reasons (JsonObject *object)
{
  static const char *field_names[] = { "field", "name", "property", "propertyName", "path" };
  static const char *message_names[] = { "message", "description", "error", "errorMessage" };
  JsonArray *errors = pd_json_member_array (object, "errors");
  GString *reasons = g_string_new (NULL);

  append_reason (reasons, pd_json_member_text (object, "message"));

  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonNode *node = json_array_get_element (errors, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *field = NULL;
      const char *message = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        message = json_node_get_string (node);
      for (guint j = 0; entry != NULL && field == NULL && j < G_N_ELEMENTS (field_names); j++)
        field = pd_json_member_text (entry, field_names[j]);
      for (guint j = 0; entry != NULL && message == NULL && j < G_N_ELEMENTS (message_names); j++)
        message = pd_json_member_text (entry, message_names[j]);

      if (field != NULL && message != NULL)
        {
          g_autofree char *both = g_strdup_printf ("%s: %s", field, message);

          append_reason (reasons, both);
        }
      else
        append_reason (reasons, message != NULL ? message : field);
    }

  return g_string_free (reasons, FALSE);
}

static void
set_v2_error (GError     **error,
              const char  *code,
              JsonObject  *object)
{
  g_autofree char *reasons = error_reasons (object);
  const char *reason = *reasons != '\0' ? reasons : code;

  if (strcmp (code, "not_authorized") == 0)
    set_not_authorized (error);
  else if (strcmp (code, "validation_error") == 0)
    g_set_error (error, PD_API_ERROR, PD_API_ERROR_VALIDATION,
                 _("PayMaster did not accept the request: %s. Correct these values and try again."),
                 reason);
  else if (strcmp (code, "idempotency_key_violation") == 0)
    g_set_error_literal (error, PD_API_ERROR, PD_API_ERROR_IDEMPOTENCY_KEY,
                         _("PayMaster already received a different request with the same "
                           "idempotency key, so it did nothing: start the operation again."));
  else if (strcmp (code, "invalid_operation") == 0)
    g_set_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_OPERATION,
                 _("PayMaster refused the operation: %s. The payment may not allow it in its "
                   "current state; check it in the PayMaster cabinet."),
                 reason);
  else
    g_set_error (error, PD_API_ERROR, PD_API_ERROR_FAILED,
                 _("PayMaster refused the request (%s): %s."), code, reason);
}

static void
set_status_error (GError     **error,
                  PdApiKind    kind,
                  guint        status,
                  const char  *reason,
                  const char  *path)
{
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      if (kind == PD_API_CLASSIC)
        set_bad_password (error, PD_API_ERROR_NOT_AUTHORIZED);
      else
        set_not_authorized (error);
    }
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_set_error (error, PD_API_ERROR, PD_API_ERROR_NOT_FOUND,
                 _("PayMaster has nothing at %s (HTTP 404): check the PayMaster address in "
                   "the settings, and that the payment exists."),
                 path);
  else if (SOUP_STATUS_IS_SERVER_ERROR (status))
    g_set_error (error, PD_API_ERROR, PD_API_ERROR_SERVER,
                 _("PayMaster had an internal error (HTTP %u): try again later."), status);
  else
    g_set_error (error, PD_API_ERROR, PD_API_ERROR_HTTP,
                 _("PayMaster answered HTTP %u %s: check the PayMaster address in the settings, "
                   "or try again later."),
                 status, reason ? reason : "");
}

static void
set_classic_error (GError     **error,
                   gint64       code,
                   JsonObject  *object)
{
  const char *message = pd_json_member_text (object, "Message");

  if (code == -7)
    set_bad_password (error, PD_API_ERROR_BAD_HASH);
  else if (code == -13)
    g_set_error_literal (error, PD_API_ERROR, PD_API_ERROR_NOT_FOUND,
                         _("PayMaster has no such payment."));
  else if (code == -14)
    g_set_error_literal (error, PD_API_ERROR, PD_API_ERROR_NONCE_REUSED,
                         _("PayMaster had already seen this request's one-time number: "
                           "try again."));
  else if (message != NULL && *message != '\0')
    g_set_error (error, PD_API_ERROR, PD_API_ERROR_FAILED,
                 _("PayMaster's status API refused the request (error %d): %s"),
                 (int) code, message);
  else
    g_set_error (error, PD_API_ERROR, PD_API_ERROR_FAILED,
                 _("PayMaster's status API refused the request (error %d)."),
                 (int) code);
}

/* Turns an HTTP answer into its JSON object, or the error it means. */
static JsonNode *
read_reply (PdApiKind     kind,
            SoupMessage  *msg,
            GBytes       *body,
            GError      **error)
{
  guint status = soup_message_get_status (msg);
  const char *path = g_uri_get_path (soup_message_get_uri (msg));
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *code;
  gint64 error_code = 0;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* v2 explains a refusal in a JSON body; without one the status
       * says what it can. */
      root = kind == PD_API_V2 ? _pd_api_parse_object (data, length, NULL) : NULL;
      code = root != NULL ? pd_json_member_text (json_node_get_object (root), "code") : NULL;
      if (code != NULL)
        set_v2_error (error, code, json_node_get_object (root));
      else
        set_status_error (error, kind, status, soup_message_get_reason_phrase (msg), path);
      return NULL;
    }

  root = _pd_api_parse_object (data, length, error);
  if (root == NULL || kind == PD_API_V2)
    return g_steal_pointer (&root);

  object = json_node_get_object (root);
  code = pd_json_member_text (object, "ErrorCode");
  if (code == NULL ||
      !g_ascii_string_to_signed (code, 10, G_MININT32, G_MAXINT32, &error_code, NULL))
    {
      g_set_error_literal (error, PD_API_ERROR, PD_API_ERROR_INVALID_RESPONSE,
                           _("PayMaster's status API sent an answer without an ErrorCode."));
      return NULL;
    }
  if (error_code != 0)
    {
      set_classic_error (error, error_code, object);
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* Requests */

static void
pd_api_call_free (PdApiCall *call)
{
  g_free (call->path);
  g_clear_pointer (&call->payments, g_ptr_array_unref);
  g_clear_pointer (&call->cursors, g_hash_table_unref);
  g_free (call);
}

GTask *
_pd_api_call_task_new (PdPaymasterApi      *self,
                       PdApiKind            kind,
                       PdApiReplyFunc       reply_func,
                       gpointer             source_tag,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  PdApiCall *call = g_new0 (PdApiCall, 1);

  call->kind = kind;
  call->reply_func = reply_func;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) pd_api_call_free);
  return task;
}

SoupMessage *
_pd_api_message_new (const char  *method,
                     const char  *url,
                     const char  *base,
                     GError     **error)
{
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    g_set_error (error, PD_API_ERROR, PD_API_ERROR_INVALID_URL,
                 _("The PayMaster address “%s” is not a web address: correct it in the "
                   "settings."),
                 base);
  return msg;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdApiCall *call = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                             &error);
  g_autoptr(JsonNode) root = NULL;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, PD_API_ERROR, PD_API_ERROR_NETWORK,
                                 _("PayMaster could not be reached: %s"), error->message);
      return;
    }

  g_debug ("%s %s: HTTP %u", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), soup_message_get_status (msg));

  root = read_reply (call->kind, msg, body, &error);
  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    call->reply_func (task, json_node_get_object (root));
}

/* Sends @msg for @task and hands the answer to the task's PdApiReplyFunc.
 * Takes @task over. */
void
_pd_api_send_message (GTask       *task,
                      SoupMessage *msg)
{
  PdPaymasterApi *self = g_task_get_source_object (task);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), send_cb, task);
}

/* Sends @msg for @task, or returns @error when there is no message.
 * Takes all three over. */
void
_pd_api_send_or_fail (GTask       *task,
                      SoupMessage *msg,
                      GError      *error)
{
  if (msg == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  _pd_api_send_message (task, msg);
  g_object_unref (msg);
}

/* The object */

/**
 * pd_paymaster_api_new:
 * @base_url: (nullable): PayMaster's address, %NULL for https://paymaster.ru
 */
PdPaymasterApi *
pd_paymaster_api_new (const char *base_url)
{
  return g_object_new (PD_TYPE_PAYMASTER_API, "base-url", base_url, NULL);
}

const char *
pd_paymaster_api_get_base_url (PdPaymasterApi *self)
{
  g_return_val_if_fail (PD_IS_PAYMASTER_API (self), NULL);
  return self->base_url;
}

const char *
pd_paymaster_api_get_classic_url (PdPaymasterApi *self)
{
  g_return_val_if_fail (PD_IS_PAYMASTER_API (self), NULL);
  return self->classic_url;
}

guint
pd_paymaster_api_get_max_pages (PdPaymasterApi *self)
{
  g_return_val_if_fail (PD_IS_PAYMASTER_API (self), 0);
  return self->max_pages;
}

void
pd_paymaster_api_set_max_pages (PdPaymasterApi *self,
                                guint           max_pages)
{
  g_return_if_fail (PD_IS_PAYMASTER_API (self));
  g_return_if_fail (max_pages > 0);

  if (self->max_pages == max_pages)
    return;
  self->max_pages = max_pages;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PAGES]);
}

/**
 * pd_paymaster_api_set_token:
 * @token: (nullable): the v2 bearer token from the keyring
 *
 * Whitespace and control characters are dropped: a token pasted with a
 * line break in it would otherwise make an invalid header.
 */
void
pd_paymaster_api_set_token (PdPaymasterApi *self,
                            const char     *token)
{
  GString *clean;

  g_return_if_fail (PD_IS_PAYMASTER_API (self));

  g_clear_pointer (&self->token, secret_free);
  if (token == NULL)
    return;

  clean = g_string_new (NULL);
  for (const char *p = token; *p; p++)
    if ((guchar) *p > 0x20 && *p != 0x7f)
      g_string_append_c (clean, *p);
  if (clean->len > 0)
    self->token = g_strndup (clean->str, clean->len);
  OPENSSL_cleanse (clean->str, clean->len);
  g_string_free (clean, TRUE);
}

/**
 * pd_paymaster_api_set_classic_credentials:
 * @login: (nullable): the API user's login, from the PayMaster cabinet
 * @password: (nullable): its password, from the keyring
 *
 * Both are used exactly as given: the password only enters the hash.
 */
void
pd_paymaster_api_set_classic_credentials (PdPaymasterApi *self,
                                          const char     *login,
                                          const char     *password)
{
  g_return_if_fail (PD_IS_PAYMASTER_API (self));

  g_clear_pointer (&self->classic_login, secret_free);
  g_clear_pointer (&self->classic_password, secret_free);
  if (login != NULL && *login != '\0' && password != NULL)
    {
      self->classic_login = g_strdup (login);
      self->classic_password = g_strdup (password);
    }
}

static char *
strip_slashes (const char *url)
{
  gsize length = strlen (url);

  while (length > 0 && url[length - 1] == '/')
    length--;
  return g_strndup (url, length);
}

static void
pd_paymaster_api_constructed (GObject *object)
{
  PdPaymasterApi *self = PD_PAYMASTER_API (object);
  g_autofree char *base = g_steal_pointer (&self->base_url);
  g_autofree char *classic = g_steal_pointer (&self->classic_url);

  G_OBJECT_CLASS (pd_paymaster_api_parent_class)->constructed (object);

  self->base_url = strip_slashes (base != NULL && *base != '\0' ? base : PD_DEFAULT_PAYMASTER_URL);
  if (classic != NULL && *classic != '\0')
    {
      g_autofree char *stripped = strip_slashes (classic);

      self->classic_url = g_strconcat (stripped, "/", NULL);
    }
  else
    self->classic_url = g_strconcat (self->base_url, CLASSIC_PATH, NULL);
}

static void
pd_paymaster_api_finalize (GObject *object)
{
  PdPaymasterApi *self = PD_PAYMASTER_API (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->classic_url, g_free);
  g_clear_pointer (&self->token, secret_free);
  g_clear_pointer (&self->classic_login, secret_free);
  g_clear_pointer (&self->classic_password, secret_free);

  G_OBJECT_CLASS (pd_paymaster_api_parent_class)->finalize (object);
}

static void
pd_paymaster_api_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PdPaymasterApi *self = PD_PAYMASTER_API (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_CLASSIC_URL:
      g_value_set_string (value, self->classic_url);
      break;

    case PROP_MAX_PAGES:
      g_value_set_uint (value, self->max_pages);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_paymaster_api_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PdPaymasterApi *self = PD_PAYMASTER_API (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      self->base_url = g_value_dup_string (value);
      break;

    case PROP_CLASSIC_URL:
      self->classic_url = g_value_dup_string (value);
      break;

    case PROP_MAX_PAGES:
      pd_paymaster_api_set_max_pages (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_paymaster_api_class_init (PdPaymasterApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pd_paymaster_api_constructed;
  object_class->finalize = pd_paymaster_api_finalize;
  object_class->get_property = pd_paymaster_api_get_property;
  object_class->set_property = pd_paymaster_api_set_property;

  /**
   * PdPaymasterApi:base-url:
   *
   * PayMaster's address, e.g. https://paymaster.ru (the default) or a
   * sandbox's; trailing slashes are ignored.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PdPaymasterApi:classic-url:
   *
   * Where the classic API's methods are, base-url + /partners/rest/ by
   * default.
   */
  properties[PROP_CLASSIC_URL] =
    g_param_spec_string ("classic-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PdPaymasterApi:max-pages:
   *
   * The most pages pd_paymaster_api_list_payments_async() reads.
   */
  properties[PROP_MAX_PAGES] =
    g_param_spec_uint ("max-pages", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_MAX_PAGES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_paymaster_api_init (PdPaymasterApi *self)
{
  self->max_pages = DEFAULT_MAX_PAGES;
  self->session = soup_session_new_with_options ("timeout", TIMEOUT_SECONDS,
                                                 "idle-timeout", TIMEOUT_SECONDS,
                                                 "user-agent", "Paydesk/" PACKAGE_VERSION,
                                                 NULL);
}
