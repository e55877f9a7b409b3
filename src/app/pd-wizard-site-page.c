/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pd-wizard-page.h"
#include "pd-wizard-site-page.h"

/* The setup wizard's page for the PayMaster site: its identifier, the
 * protocol, and the secret key or API token, checked as they are typed,
 * and whether the site is in test or working mode. Run again, an empty
 * key or token keeps the one Paydesk has for the same site. */

struct _PdWizardSitePage
{
  AdwPreferencesPage   parent_instance;

  PdShop              *current;    /* the settings when the wizard opened */
  gboolean             sandbox;
  gboolean             loading;
  gboolean             valid;

  /* Template widgets */
  AdwPreferencesGroup *site_group;
  AdwEntryRow         *merchant_id_row;
  AdwComboRow         *protocol_row;
  AdwEntryRow         *secret_row;
  AdwComboRow         *hash_row;
  AdwEntryRow         *token_row;
  GtkLabel            *site_error_label;
  GtkLabel            *token_error_label;
  GtkLabel            *secret_hint_label;
  GtkLabel            *keep_copy_label;
  GtkCheckButton      *test_mode_check;
  GtkCheckButton      *working_mode_check;
};

G_DEFINE_FINAL_TYPE (PdWizardSitePage, pd_wizard_site_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
entered_merchant_id (PdWizardSitePage *self)
{
  return pd_setup_clean_merchant_id (gtk_editable_get_text (GTK_EDITABLE (self->merchant_id_row)));
}

/* The sandbox the wizard offers speaks the classic protocol. */
PdProtocol
pd_wizard_site_page_get_protocol (PdWizardSitePage *self)
{
  g_return_val_if_fail (PD_IS_WIZARD_SITE_PAGE (self), PD_PROTOCOL_CLASSIC);

  if (self->sandbox || adw_combo_row_get_selected (self->protocol_row) != PD_PROTOCOL_V2)
    return PD_PROTOCOL_CLASSIC;
  return PD_PROTOCOL_V2;
}

/* The keyring keeps secrets by identifier, so the current ones can only
 * be kept for the same site. */
gboolean
pd_wizard_site_page_is_same_site (PdWizardSitePage *self,
                                  const char       *merchant_id)
{
  g_return_val_if_fail (PD_IS_WIZARD_SITE_PAGE (self), FALSE);

  return self->current != NULL && self->current->mode != PD_SHOP_MODE_SANDBOX &&
         g_strcmp0 (self->current->merchant_id, merchant_id) == 0;
}

/* A site set up for REST API v2 may have a key Paydesk made up (see the
 * wizard's start_check()), which a classic site cannot sign with. */
static gboolean
secret_can_be_kept (PdWizardSitePage *self,
                    const char       *merchant_id)
{
  return pd_wizard_site_page_is_same_site (self, merchant_id) &&
         self->current->protocol == PD_PROTOCOL_CLASSIC;
}

static gboolean
token_can_be_kept (PdWizardSitePage *self,
                   const char       *merchant_id)
{
  return pd_wizard_site_page_is_same_site (self, merchant_id) && self->current->protocol == PD_PROTOCOL_V2;
}

/**
 * pd_wizard_site_page_get_secret_keepable:
 *
 * Returns: whether the secrets Paydesk keeps for the site entered, the
 *   secret key and the API password, can be kept
 */
gboolean
pd_wizard_site_page_get_secret_keepable (PdWizardSitePage *self)
{
  g_autofree char *merchant_id = NULL;

  g_return_val_if_fail (PD_IS_WIZARD_SITE_PAGE (self), FALSE);

  merchant_id = entered_merchant_id (self);
  return secret_can_be_kept (self, merchant_id);
}

static gboolean
has_surrounding_space (const char *text)
{
  gsize len = strlen (text);

  return len > 0 && (g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1]));
}

static void
show_hint (PdWizardSitePage *self,
           const char       *text,
           gboolean          warning)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->secret_hint_label), warning ? "dim-label" : "warning");
  gtk_widget_add_css_class (GTK_WIDGET (self->secret_hint_label), warning ? "warning" : "dim-label");
  pd_wizard_page_show_label (self->secret_hint_label, text);
}

/* The secret key of the classic protocol; whether it is there. */
static gboolean
validate_secret (PdWizardSitePage *self,
                 const char       *merchant_id)
{
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  gboolean keepable = secret_can_be_kept (self, merchant_id);

  if (*secret != '\0' && has_surrounding_space (secret))
    show_hint (self, _("The secret key starts or ends with a space or a line break: check that you "
                       "copied only the key."), TRUE);
  else
    show_hint (self, keepable && *secret == '\0' ? _("Leave the secret key empty to keep the one Paydesk has.")
                                                 : NULL, FALSE);
  return *secret != '\0' || keepable;
}

/* The token of REST API v2; whether it is there and looks like one. */
static gboolean
validate_token (PdWizardSitePage *self,
                const char       *merchant_id)
{
  PdSetupEntries entries = {
    .mode = PD_SHOP_MODE_TEST,
    .protocol = PD_PROTOCOL_V2,
    .api_token = gtk_editable_get_text (GTK_EDITABLE (self->token_row)),
  };
  gboolean keepable = token_can_be_kept (self, merchant_id);
  const char *problem = pd_setup_api_token_problem (&entries, keepable);

  pd_wizard_page_set_error (GTK_WIDGET (self->token_row), problem != NULL);
  pd_wizard_page_show_label (self->token_error_label, problem);
  show_hint (self, problem == NULL && keepable && *entries.api_token == '\0'
                     ? _("Leave the API token empty to keep the one Paydesk has.") : NULL, FALSE);
  return problem == NULL;
}

static void
validate (PdWizardSitePage *self)
{
  g_autofree char *merchant_id = entered_merchant_id (self);
  gboolean v2 = pd_wizard_site_page_get_protocol (self) == PD_PROTOCOL_V2;
  gboolean id_valid = pd_shop_merchant_id_is_valid (merchant_id);
  gboolean id_wrong = *merchant_id != '\0' && !id_valid;
  gboolean secrets_valid;

  pd_wizard_page_set_error (GTK_WIDGET (self->merchant_id_row), id_wrong);
  pd_wizard_page_show_label (self->site_error_label,
                             id_wrong ? _("This is not a PayMaster identifier: copy it from your site’s settings "
                                          "in the PayMaster cabinet. It looks like "
                                          "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6.")
                                      : NULL);

  /* REST API v2 signs nothing: no key, no signature type. */
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), !v2);
  gtk_widget_set_visible (GTK_WIDGET (self->hash_row), !v2);
  gtk_widget_set_visible (GTK_WIDGET (self->token_row), v2);
  if (v2)
    secrets_valid = validate_token (self, merchant_id);
  else
    {
      pd_wizard_page_set_error (GTK_WIDGET (self->token_row), FALSE);
      pd_wizard_page_show_label (self->token_error_label, NULL);
      secrets_valid = validate_secret (self, merchant_id);
    }

  self->valid = id_valid && secrets_valid;
}

static void
site_changed_cb (PdWizardSitePage *self)
{
  if (self->loading)
    return;
  validate (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* What the page says about the secrets depends on the protocol. */
static void
update_protocol_texts (PdWizardSitePage *self)
{
  PdProtocol protocol = pd_wizard_site_page_get_protocol (self);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->protocol_row), pd_setup_describe_protocol (protocol));
  if (protocol == PD_PROTOCOL_V2)
    {
      adw_preferences_group_set_description (self->site_group,
        _("Copy the identifier from the settings of your site in the PayMaster cabinet, and create an "
          "API token for it there. The token is kept in this computer’s keyring only."));
      gtk_label_set_label (self->keep_copy_label,
        _("Keep a copy of the identifier and the API token somewhere safe, such as a password manager. "
          "Paydesk cannot show the token again, and you need both to set Paydesk up on another computer."));
    }
  else
    {
      adw_preferences_group_set_description (self->site_group,
        _("Copy these from the settings of your site in the PayMaster cabinet, and choose the same "
          "signature type. The secret key is kept in this computer’s keyring only."));
      gtk_label_set_label (self->keep_copy_label,
        _("Keep a copy of the identifier and the secret key somewhere safe, such as a password manager. "
          "Paydesk cannot show the key again, and you need both to set Paydesk up on another computer."));
    }
}

static void
protocol_changed_cb (PdWizardSitePage *self)
{
  update_protocol_texts (self);
  site_changed_cb (self);
}

/**
 * pd_wizard_site_page_load:
 * @current: (nullable): the settings Paydesk has
 *
 * Fills the page from @current when it is a PayMaster site; an empty key
 * or token then keeps the one Paydesk has for it.
 */
void
pd_wizard_site_page_load (PdWizardSitePage *self,
                          const PdShop     *current)
{
  g_return_if_fail (PD_IS_WIZARD_SITE_PAGE (self));

  g_clear_pointer (&self->current, pd_shop_free);
  self->current = current ? pd_shop_copy (current) : NULL;

  self->loading = TRUE;
  if (current != NULL && current->mode != PD_SHOP_MODE_SANDBOX)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->merchant_id_row), current->merchant_id);
      adw_combo_row_set_selected (self->protocol_row, current->protocol);
      adw_combo_row_set_selected (self->hash_row, current->hash_alg);
      gtk_check_button_set_active (current->mode == PD_SHOP_MODE_LIVE ? self->working_mode_check
                                                                      : self->test_mode_check,
                                   TRUE);
    }
  self->loading = FALSE;

  update_protocol_texts (self);
  validate (self);
}

/* The sandbox needs no site, and speaks the classic protocol. */
void
pd_wizard_site_page_set_sandbox (PdWizardSitePage *self,
                                 gboolean          sandbox)
{
  g_return_if_fail (PD_IS_WIZARD_SITE_PAGE (self));

  self->sandbox = !!sandbox;
  update_protocol_texts (self);
  validate (self);
}

gboolean
pd_wizard_site_page_get_valid (PdWizardSitePage *self)
{
  g_return_val_if_fail (PD_IS_WIZARD_SITE_PAGE (self), FALSE);
  return self->valid;
}

/* The secret key as typed; empty keeps the one Paydesk has. */
const char *
pd_wizard_site_page_get_secret (PdWizardSitePage *self)
{
  g_return_val_if_fail (PD_IS_WIZARD_SITE_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
}

/* Fills in the site's part of @entries: mode, identifier, signature
 * type, protocol and token, as typed. */
void
pd_wizard_site_page_read_entries (PdWizardSitePage *self,
                                  PdSetupEntries   *entries)
{
  g_return_if_fail (PD_IS_WIZARD_SITE_PAGE (self));
  g_return_if_fail (entries != NULL);

  entries->mode = gtk_check_button_get_active (self->working_mode_check) ? PD_SHOP_MODE_LIVE
                                                                         : PD_SHOP_MODE_TEST;
  entries->merchant_id = gtk_editable_get_text (GTK_EDITABLE (self->merchant_id_row));
  entries->hash_alg = (PdHashAlg) adw_combo_row_get_selected (self->hash_row);
  entries->protocol = pd_wizard_site_page_get_protocol (self);
  entries->api_token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
}

void
pd_wizard_site_page_focus (PdWizardSitePage *self)
{
  g_return_if_fail (PD_IS_WIZARD_SITE_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->merchant_id_row));
}

static void
pd_wizard_site_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_WIZARD_SITE_PAGE);

  G_OBJECT_CLASS (pd_wizard_site_page_parent_class)->dispose (object);
}

static void
pd_wizard_site_page_finalize (GObject *object)
{
  PdWizardSitePage *self = PD_WIZARD_SITE_PAGE (object);

  g_clear_pointer (&self->current, pd_shop_free);

  G_OBJECT_CLASS (pd_wizard_site_page_parent_class)->finalize (object);
}

static void
pd_wizard_site_page_class_init (PdWizardSitePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_wizard_site_page_dispose;
  object_class->finalize = pd_wizard_site_page_finalize;

  /**
   * PdWizardSitePage::changed:
   *
   * The merchant changed the site, its protocol or its secrets; the page
   * has checked them again.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-wizard-site-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, site_group);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, merchant_id_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, hash_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, token_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, site_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, token_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, secret_hint_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, keep_copy_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, test_mode_check);
  gtk_widget_class_bind_template_child (widget_class, PdWizardSitePage, working_mode_check);
  gtk_widget_class_bind_template_callback (widget_class, site_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, protocol_changed_cb);
}

static void
pd_wizard_site_page_init (PdWizardSitePage *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;

  update_protocol_texts (self);
}
