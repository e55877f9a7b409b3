/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pd-row-error.h"
#include "pd-setup-entries.h"
#include "pd-site-group.h"

/* The PayMaster site: its identifier, protocol, key or token, signature
 * type and mode. It shows an inline error under each row that is not
 * valid and only the rows the protocol uses. */

/* The order of the "Site Mode" row. */
static const PdShopMode mode_rows[] = { PD_SHOP_MODE_TEST, PD_SHOP_MODE_LIVE, PD_SHOP_MODE_SANDBOX };

struct _PdSiteGroup
{
  AdwPreferencesGroup  parent_instance;

  gboolean             loading;

  AdwEntryRow         *merchant_id_row;
  GtkWidget           *merchant_id_error_row;
  AdwComboRow         *protocol_row;
  AdwEntryRow         *secret_row;
  GtkWidget           *secret_error_row;
  GtkLabel            *secret_error;
  AdwComboRow         *hash_row;
  AdwEntryRow         *token_row;
  GtkWidget           *token_error_row;
  GtkLabel            *token_error;
  AdwComboRow         *mode_row;
  AdwEntryRow         *paymaster_url_row;
  GtkWidget           *paymaster_url_error_row;
  GtkImage            *mode_icon;
  GtkLabel            *mode_label;
};

G_DEFINE_FINAL_TYPE (PdSiteGroup, pd_site_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

PdShopMode
pd_site_group_get_mode (PdSiteGroup *self)
{
  guint selected;

  g_return_val_if_fail (PD_IS_SITE_GROUP (self), PD_SHOP_MODE_TEST);

  selected = adw_combo_row_get_selected (self->mode_row);
  return selected < G_N_ELEMENTS (mode_rows) ? mode_rows[selected] : PD_SHOP_MODE_TEST;
}

PdProtocol
pd_site_group_get_protocol (PdSiteGroup *self)
{
  g_return_val_if_fail (PD_IS_SITE_GROUP (self), PD_PROTOCOL_CLASSIC);

  return adw_combo_row_get_selected (self->protocol_row) == PD_PROTOCOL_V2 ? PD_PROTOCOL_V2
                                                                          : PD_PROTOCOL_CLASSIC;
}

PdHashAlg
pd_site_group_get_hash_alg (PdSiteGroup *self)
{
  g_return_val_if_fail (PD_IS_SITE_GROUP (self), 0);

  return (PdHashAlg) adw_combo_row_get_selected (self->hash_row);
}

/* The identifier as typed, trimmed and in lower case. */
char *
pd_site_group_dup_merchant_id (PdSiteGroup *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (PD_IS_SITE_GROUP (self), NULL);

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->merchant_id_row))));
  return g_ascii_strdown (text, -1);
}

static void
changed_cb (PdSiteGroup *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
entry_activated_cb (PdSiteGroup *self)
{
  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0);
}

/* What is wrong with the secret key as entered, if anything. A site on
 * REST API v2 may have a key Paydesk made up, which a classic site cannot
 * sign with, so going back to classic needs the key again. */
static const char *
secret_problem (const char   *secret,
                const PdShop *current,
                gboolean      new_merchant,
                PdShopMode    mode)
{
  if (*secret != '\0' && (g_ascii_isspace (secret[0]) || g_ascii_isspace (secret[strlen (secret) - 1])))
    return _("The secret key starts or ends with a space: copy it again without the spaces.");
  if (*secret != '\0' || mode == PD_SHOP_MODE_SANDBOX)
    return NULL;
  if (new_merchant)
    return _("Enter the secret key of this site: a new identifier needs its own key.");
  if (current->protocol == PD_PROTOCOL_V2)
    return _("Enter the secret key of this site: the classic protocol signs notifications with it.");
  return NULL;
}

/* Shows the rows the protocol uses, with an inline error under the key
 * or the token when one is wrong. Returns whether they are fine. */
static gboolean
check_secrets (PdSiteGroup  *self,
               const PdShop *current,
               gboolean      new_merchant,
               PdShopMode    mode)
{
  PdProtocol protocol = pd_site_group_get_protocol (self);
  PdSetupEntries entries = {
    .mode = mode,
    .protocol = protocol,
    .api_token = gtk_editable_get_text (GTK_EDITABLE (self->token_row)),
  };
  gboolean token_stored = !new_merchant && current->protocol == PD_PROTOCOL_V2 &&
                          current->mode != PD_SHOP_MODE_SANDBOX;
  const char *key_problem = NULL;
  const char *token_problem = pd_setup_api_token_problem (&entries, token_stored);

  if (protocol == PD_PROTOCOL_CLASSIC)
    key_problem = secret_problem (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)), current,
                                  new_merchant, mode);
  if (key_problem != NULL)
    gtk_label_set_label (self->secret_error, key_problem);
  if (token_problem != NULL)
    gtk_label_set_label (self->token_error, token_problem);

  /* REST API v2 signs nothing, and the sandbox has a token of its own. */
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), protocol == PD_PROTOCOL_CLASSIC);
  gtk_widget_set_visible (GTK_WIDGET (self->hash_row), protocol == PD_PROTOCOL_CLASSIC);
  gtk_widget_set_visible (GTK_WIDGET (self->token_row),
                          protocol == PD_PROTOCOL_V2 && mode != PD_SHOP_MODE_SANDBOX);
  pd_row_error_show (GTK_WIDGET (self->secret_row), self->secret_error_row, key_problem != NULL);
  pd_row_error_show (GTK_WIDGET (self->token_row), self->token_error_row, token_problem != NULL);

  return key_problem == NULL && token_problem == NULL;
}


/* The sandbox is on this computer; any other site has PayMaster's
 * address, which rarely changes. */
static gboolean
check_paymaster_url (PdSiteGroup *self)
{
  gboolean needed = pd_site_group_get_mode (self) != PD_SHOP_MODE_SANDBOX;
  g_autofree char *url = needed ? pd_site_group_dup_paymaster_url (self) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->paymaster_url_row), needed);
  pd_row_error_show (GTK_WIDGET (self->paymaster_url_row), self->paymaster_url_error_row,
                     needed && url == NULL);
  return !needed || url != NULL;
}

/* Shows the rows @current's site would need as typed, with an inline
 * error under each that is not valid. Returns whether all are fine. */
gboolean
pd_site_group_check (PdSiteGroup  *self,
                     const PdShop *current)
{
  g_autofree char *merchant_id = NULL;
  gboolean merchant_id_ok;
  gboolean new_merchant;
  gboolean secrets_ok;

  g_return_val_if_fail (PD_IS_SITE_GROUP (self), FALSE);
  g_return_val_if_fail (current != NULL, FALSE);

  merchant_id = pd_site_group_dup_merchant_id (self);
  merchant_id_ok = pd_shop_merchant_id_is_valid (merchant_id);
  new_merchant = g_strcmp0 (merchant_id, current->merchant_id) != 0;

  pd_row_error_show (GTK_WIDGET (self->merchant_id_row), self->merchant_id_error_row, !merchant_id_ok);
  /* A mistyped identifier is the one thing to fix first. */
  secrets_ok = check_secrets (self, current, new_merchant && merchant_id_ok, pd_site_group_get_mode (self));
  return merchant_id_ok && secrets_ok && check_paymaster_url (self);
}

/* PayMaster's own address, for a site that is not the sandbox, or NULL
 * when what is typed is not a web address. */
char *
pd_site_group_dup_paymaster_url (PdSiteGroup *self)
{
  g_autofree char *url = NULL;

  g_return_val_if_fail (PD_IS_SITE_GROUP (self), NULL);

  url = pd_setup_clean_public_url (gtk_editable_get_text (GTK_EDITABLE (self->paymaster_url_row)));
  return pd_setup_public_url_is_valid (url, NULL) ? g_steal_pointer (&url) : NULL;
}

/* The secrets to store with @shop, which is this group's site, in
 * @secret and @api_token (NULL keeps the stored one), and whether any was
 * entered. */
gboolean
pd_site_group_read_secrets (PdSiteGroup   *self,
                            const PdShop  *shop,
                            gboolean       new_merchant,
                            char         **secret_out,
                            char         **api_token_out)
{
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  g_autofree char *token = pd_setup_clean_api_token (gtk_editable_get_text (GTK_EDITABLE (self->token_row)));

  g_return_val_if_fail (PD_IS_SITE_GROUP (self), FALSE);
  g_return_val_if_fail (shop != NULL, FALSE);

  *secret_out = NULL;
  *api_token_out = NULL;

  if (shop->protocol == PD_PROTOCOL_CLASSIC)
    {
      if (*secret != '\0')
        *secret_out = g_strdup (secret);
      else if (new_merchant)
        /* The sandbox signs with whatever key it is given. */
        *secret_out = g_uuid_string_random ();
      return *secret != '\0';
    }

  /* REST API v2 signs nothing, but the listener still hears classic
   * notifications: a site with no key of its own gets one nobody knows,
   * so that none can be forged for it. */
  if (new_merchant)
    *secret_out = g_uuid_string_random ();
  if (shop->mode == PD_SHOP_MODE_SANDBOX)
    *api_token_out = g_strdup (PD_SANDBOX_API_TOKEN);
  else if (*token != '\0')
    *api_token_out = g_steal_pointer (&token);
  return *api_token_out != NULL && shop->mode != PD_SHOP_MODE_SANDBOX;
}

static void
update_mode_note (PdSiteGroup *self)
{
  switch (pd_site_group_get_mode (self))
    {
    case PD_SHOP_MODE_TEST:
      gtk_image_set_from_icon_name (self->mode_icon, "dialog-warning-symbolic");
      gtk_label_set_label (self->mode_label,
                           _("A site in test mode takes no real money: payments are only simulated. "
                             "When your contract is signed, ask PayMaster to switch the site to "
                             "working mode, then choose Working here."));
      break;

    case PD_SHOP_MODE_LIVE:
      gtk_image_set_from_icon_name (self->mode_icon, "emblem-ok-symbolic");
      gtk_label_set_label (self->mode_label,
                           _("Payments are real. If a test payment still arrives, the site is in test "
                             "mode at PayMaster: Paydesk warns you and leaves the invoice unpaid."));
      break;

    case PD_SHOP_MODE_SANDBOX:
    default:
      gtk_image_set_from_icon_name (self->mode_icon, "dialog-information-symbolic");
      gtk_label_set_label (self->mode_label,
                           _("The sandbox imitates PayMaster on this computer so that you can try "
                             "Paydesk out: nobody can pay for real."));
      break;
    }
}

static void
mode_changed_cb (PdSiteGroup *self)
{
  update_mode_note (self);
  changed_cb (self);
}

/* What the group says and asks for depends on the protocol chosen. */
static void
update_protocol_texts (PdSiteGroup *self)
{
  PdProtocol protocol = pd_site_group_get_protocol (self);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->protocol_row), pd_setup_describe_protocol (protocol));
  if (protocol == PD_PROTOCOL_V2)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
      _("As in your site’s settings in the PayMaster cabinet, where the API token is created. Keep a "
        "copy of the identifier and the token somewhere safe. Leave the token empty to keep the "
        "current one."));
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
      _("As in your site’s settings in the PayMaster cabinet. Keep a copy of the identifier and the "
        "secret key somewhere safe. Leave the secret key empty to keep the current one."));
}

static void
protocol_changed_cb (PdSiteGroup *self)
{
  update_protocol_texts (self);
  changed_cb (self);
}

/* Fills the rows from @shop, with no key or token typed. */
void
pd_site_group_load (PdSiteGroup  *self,
                    const PdShop *shop)
{
  g_return_if_fail (PD_IS_SITE_GROUP (self));
  g_return_if_fail (shop != NULL);

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->merchant_id_row), shop->merchant_id);
  adw_combo_row_set_selected (self->protocol_row, shop->protocol);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  adw_combo_row_set_selected (self->hash_row, shop->hash_alg);
  for (guint i = 0; i < G_N_ELEMENTS (mode_rows); i++)
    if (mode_rows[i] == shop->mode)
      adw_combo_row_set_selected (self->mode_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->paymaster_url_row),
                         shop->mode != PD_SHOP_MODE_SANDBOX && shop->paymaster_url != NULL
                           ? shop->paymaster_url : PD_DEFAULT_PAYMASTER_URL);
  gtk_widget_set_visible (GTK_WIDGET (self->paymaster_url_row), shop->mode != PD_SHOP_MODE_SANDBOX);
  self->loading = FALSE;

  update_protocol_texts (self);
  update_mode_note (self);
}

static void
pd_site_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_SITE_GROUP);

  G_OBJECT_CLASS (pd_site_group_parent_class)->dispose (object);
}

static void
pd_site_group_class_init (PdSiteGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_site_group_dispose;

  /**
   * PdSiteGroup::changed:
   *
   * The merchant changed a row.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  /**
   * PdSiteGroup::entry-activated:
   *
   * Enter was pressed in the identifier, the key or the token.
   */
  signals[ENTRY_ACTIVATED] = g_signal_new ("entry-activated",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-site-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, merchant_id_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, merchant_id_error_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, secret_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, secret_error_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, secret_error);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, hash_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, token_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, token_error_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, paymaster_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, paymaster_url_error_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, token_error);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, mode_row);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, mode_icon);
  gtk_widget_class_bind_template_child (widget_class, PdSiteGroup, mode_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, protocol_changed_cb);
}

static void
pd_site_group_init (PdSiteGroup *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;
}
