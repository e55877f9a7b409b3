/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <string.h>

#include "pd-address-group.h"
#include "pd-listener.h"
#include "pd-row-error.h"

/* Where Paydesk listens and the public address PayMaster calls it at. */
struct _PdAddressGroup
{
  AdwPreferencesGroup  parent_instance;

  char                *listen_host;   /* as stored, kept unless the switch moves */
  gboolean             listen_all;    /* what the switch said when loaded */
  guint                last_port;
  gboolean             loading;

  GtkSpinButton       *port_spin;
  GtkSwitch           *all_interfaces_switch;
  AdwEntryRow         *public_url_row;
  GtkWidget           *public_url_error_row;
};

G_DEFINE_FINAL_TYPE (PdAddressGroup, pd_address_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
host_is_loopback (const char *host)
{
  return g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0 ||
         g_ascii_strcasecmp (host, "localhost") == 0;
}

/* Splits "HOST:PORT" or "[V6]:PORT" as the listener reads it. */
static char *
split_listen (const char *listen,
              guint      *port)
{
  const char *colon = listen ? strrchr (listen, ':') : NULL;
  guint64 value = 0;
  char *host;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &value, NULL))
    {
      *port = 8080;
      return g_strdup ("127.0.0.1");
    }
  *port = (guint) value;
  host = g_strndup (listen, colon - listen);
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = inner;
    }
  return host;
}

static char *
join_listen (const char *host,
             guint       port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}

/* An address PayMaster can call: http or https, a host, no query. Returns
 * it without trailing slashes, or NULL. */
static char *
check_public_url (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autoptr(GUri) uri = g_uri_parse (stripped, G_URI_FLAGS_NONE, NULL);
  gsize length = strlen (stripped);
  const char *scheme;

  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    return NULL;

  while (length > 0 && stripped[length - 1] == '/')
    length--;
  return g_strndup (stripped, length);
}

static void
changed_cb (PdAddressGroup *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
entry_activated_cb (PdAddressGroup *self)
{
  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0);
}

/* A local public address (the default, and the sandbox's) follows the
 * port, so that changing one does not leave the other behind. */
static void
port_changed_cb (PdAddressGroup *self)
{
  guint port = (guint) gtk_spin_button_get_value_as_int (self->port_spin);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->public_url_row));
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  if (!self->loading && uri != NULL && host_is_loopback (g_uri_get_host (uri)) &&
      g_uri_get_port (uri) == (int) self->last_port)
    {
      g_autoptr(GUri) moved = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                          g_uri_get_host (uri), (int) port, g_uri_get_path (uri),
                                          NULL, NULL);
      g_autofree char *moved_text = g_uri_to_string (moved);

      self->last_port = port;
      gtk_editable_set_text (GTK_EDITABLE (self->public_url_row), moved_text);
    }
  self->last_port = port;
  changed_cb (self);
}

/* Fills the rows from @shop. */
void
pd_address_group_load (PdAddressGroup *self,
                       const PdShop   *shop)
{
  guint port;

  g_return_if_fail (PD_IS_ADDRESS_GROUP (self));
  g_return_if_fail (shop != NULL);

  self->loading = TRUE;
  g_free (self->listen_host);
  self->listen_host = split_listen (shop->listen, &port);
  self->listen_all = !host_is_loopback (self->listen_host);
  self->last_port = port;

  gtk_spin_button_set_value (self->port_spin, port);
  gtk_switch_set_active (self->all_interfaces_switch, self->listen_all);
  gtk_editable_set_text (GTK_EDITABLE (self->public_url_row), shop->public_url ? shop->public_url : "");
  self->loading = FALSE;
}

/* A port typed but not yet confirmed (Ctrl+S in the field) counts. */
void
pd_address_group_commit_port (PdAddressGroup *self)
{
  g_return_if_fail (PD_IS_ADDRESS_GROUP (self));

  gtk_spin_button_update (self->port_spin);
}

/* Where to listen, as "HOST:PORT", or NULL when the listener could not. A
 * specific address the merchant typed elsewhere is kept until the switch
 * is moved. */
char *
pd_address_group_dup_listen (PdAddressGroup *self)
{
  gboolean all;
  const char *host;
  g_autofree char *listen = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  g_return_val_if_fail (PD_IS_ADDRESS_GROUP (self), NULL);

  all = gtk_switch_get_active (self->all_interfaces_switch);
  if (all == self->listen_all)
    host = self->listen_host;
  else
    host = all ? "0.0.0.0" : "127.0.0.1";
  listen = join_listen (host, (guint) gtk_spin_button_get_value_as_int (self->port_spin));
  address = pd_parse_listen_address (listen, NULL);
  return address != NULL ? g_steal_pointer (&listen) : NULL;
}

/* The public address as typed, cleaned, or NULL with an inline error when
 * it is not one PayMaster can call. An empty one is fine unless @needed. */
char *
pd_address_group_dup_public_url (PdAddressGroup *self,
                                 gboolean        needed)
{
  const char *text;
  char *public_url;

  g_return_val_if_fail (PD_IS_ADDRESS_GROUP (self), NULL);

  text = gtk_editable_get_text (GTK_EDITABLE (self->public_url_row));
  public_url = check_public_url (text);
  if (public_url == NULL && !needed)
    {
      g_autofree char *blank = g_strstrip (g_strdup (text));

      if (*blank == '\0')
        public_url = g_strdup ("");
    }
  pd_row_error_show (GTK_WIDGET (self->public_url_row), self->public_url_error_row, public_url == NULL);
  return public_url;
}

static void
pd_address_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_ADDRESS_GROUP);

  G_OBJECT_CLASS (pd_address_group_parent_class)->dispose (object);
}

static void
pd_address_group_finalize (GObject *object)
{
  PdAddressGroup *self = PD_ADDRESS_GROUP (object);

  g_free (self->listen_host);

  G_OBJECT_CLASS (pd_address_group_parent_class)->finalize (object);
}

static void
pd_address_group_class_init (PdAddressGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_address_group_dispose;
  object_class->finalize = pd_address_group_finalize;

  /**
   * PdAddressGroup::changed:
   *
   * The merchant changed the port, the switch or the public address.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  /**
   * PdAddressGroup::entry-activated:
   *
   * Enter was pressed in the public address.
   */
  signals[ENTRY_ACTIVATED] = g_signal_new ("entry-activated",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-address-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAddressGroup, port_spin);
  gtk_widget_class_bind_template_child (widget_class, PdAddressGroup, all_interfaces_switch);
  gtk_widget_class_bind_template_child (widget_class, PdAddressGroup, public_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdAddressGroup, public_url_error_row);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, port_changed_cb);
}

static void
pd_address_group_init (PdAddressGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
