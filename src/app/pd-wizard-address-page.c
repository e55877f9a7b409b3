/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-setup-check.h"
#include "pd-wizard-address-page.h"
#include "pd-wizard-page.h"

/* The setup wizard's page for the address PayMaster calls: the port, the
 * public address and how payments arrive, with the API user that checking
 * needs, checked as they are typed, and the addresses to paste into the
 * PayMaster cabinet for the protocol of the site. It copies through the
 * wizard's "wizard.copy" action. */

/* The addresses for the PayMaster cabinet: the classic protocol's four,
 * then REST API v2's two. */
typedef enum
{
  URL_CONFIRMATION,
  URL_NOTIFICATION,
  URL_SUCCESS,
  URL_FAILURE,
  URL_CALLBACK,
  URL_RETURN,
  N_URLS
} Endpoint;

#define N_CLASSIC_URLS URL_CALLBACK

struct _PdWizardAddressPage
{
  AdwPreferencesPage   parent_instance;

  PdShop              *current;            /* the settings when the wizard opened */
  PdProtocol           protocol;
  gboolean             sandbox;
  gboolean             secret_keepable;
  gboolean             loading;
  gboolean             valid;
  gboolean             public_url_edited;
  gboolean             setting_public_url;
  gboolean             sync_edited;
  char                *stored_api_login;   /* the API user Paydesk has, if any */
  char                *endpoint_urls[N_URLS];

  /* Template widgets */
  AdwPreferencesGroup *public_group;
  AdwEntryRow         *port_row;
  GtkSwitch           *all_interfaces_switch;
  AdwEntryRow         *public_url_row;
  GtkLabel            *address_error_label;
  GtkLabel            *address_warning_label;
  AdwPreferencesGroup *sync_group;
  AdwComboRow         *sync_mode_row;
  AdwEntryRow         *api_login_row;
  AdwEntryRow         *api_password_row;
  GtkLabel            *sync_error_label;
  GtkLabel            *sync_hint_label;
  AdwPreferencesGroup *endpoints_group;
  AdwActionRow        *url_rows[N_URLS];
  GtkLabel            *check_hint_label;
};

G_DEFINE_FINAL_TYPE (PdWizardAddressPage, pd_wizard_address_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the page says about checking depends on the protocol. */
static void
update_protocol_texts (PdWizardAddressPage *self)
{
  if (self->protocol == PD_PROTOCOL_V2)
    adw_preferences_group_set_description (self->sync_group,
      _("A computer behind a home router without port forwarding can use Checking: Paydesk then asks "
        "PayMaster about the open invoices with the API token and needs no public address."));
  else
    adw_preferences_group_set_description (self->sync_group,
      _("A computer behind a home router without port forwarding can use Checking: Paydesk then asks "
        "PayMaster about the open invoices by itself and needs no public address. Create an API user "
        "in the PayMaster cabinet for this."));
}

static gboolean
entered_port (PdWizardAddressPage *self,
              guint               *port)
{
  return pd_setup_parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row)), port);
}

static char *
entered_public_url (PdWizardAddressPage *self)
{
  return pd_setup_clean_public_url (gtk_editable_get_text (GTK_EDITABLE (self->public_url_row)));
}

/* What the public address should be until the merchant writes one: this
 * computer's for the sandbox, the one Paydesk has for a real site. */
static char *
suggested_public_url (PdWizardAddressPage *self,
                      guint                port)
{
  if (self->sandbox)
    return pd_setup_local_url (port);
  if (self->current != NULL && self->current->mode != PD_SHOP_MODE_SANDBOX)
    return g_strdup (self->current->public_url);
  return g_strdup ("");
}

static void
set_public_url (PdWizardAddressPage *self,
                const char          *url)
{
  self->setting_public_url = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->public_url_row), url);
  self->setting_public_url = FALSE;
}

static char *
check_amount_text (void)
{
  return pd_money_format_display (PD_SETUP_CHECK_PRICE, "RUB");
}

static void
update_address_texts (PdWizardAddressPage *self)
{
  g_autofree char *amount = check_amount_text ();
  g_autofree char *hint = NULL;

  if (self->sandbox)
    adw_preferences_group_set_description (self->endpoints_group,
      _("The sandbox finds these addresses by itself: nothing needs pasting."));
  else
    {
      adw_preferences_group_set_description (self->endpoints_group,
        self->protocol == PD_PROTOCOL_V2
          ? _("Paydesk sends these addresses to PayMaster with every invoice. If your site’s settings in "
              "the PayMaster cabinet ask for them, paste each into the field of the same name.")
          : _("In the PayMaster cabinet, open your site’s settings and paste each address into the field "
              "of the same name."));
    }

  hint = g_strdup_printf (_("Check saves these settings, issues a test invoice for %s and follows its "
                            "payment step by step."), amount);
  gtk_label_set_label (self->check_hint_label, hint);
}

static const char *
selected_sync_mode (PdWizardAddressPage *self)
{
  guint selected = adw_combo_row_get_selected (self->sync_mode_row);

  return pd_sync_mode_for_choice (selected, 0);
}

/* How payments arrive as entered; the sandbox's checklist works by
 * notifications, so it leaves the settings alone. */
static void
read_sync_entries (PdWizardAddressPage *self,
                   PdSetupEntries      *entries)
{
  entries->sync_mode = self->sandbox ? NULL : selected_sync_mode (self);
  entries->api_login = gtk_editable_get_text (GTK_EDITABLE (self->api_login_row));
  entries->api_password = gtk_editable_get_text (GTK_EDITABLE (self->api_password_row));
}

/* The keyring keeps the API password by identifier, like the secret key. */
static gboolean
api_password_can_be_kept (PdWizardAddressPage *self)
{
  return self->stored_api_login != NULL && *self->stored_api_login != '\0' && self->secret_keepable;
}

static void
update_sync_mode_note (PdWizardAddressPage *self)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->sync_mode_row),
                               pd_sync_mode_describe (adw_combo_row_get_selected (self->sync_mode_row)));
}

/* Whether the API user is there when Paydesk is to check by itself. */
static gboolean
validate_sync (PdWizardAddressPage *self)
{
  PdSetupEntries entries = { .protocol = self->protocol };
  gboolean keepable = api_password_can_be_kept (self);
  gboolean checks;
  const char *problem;
  g_autofree char *login = NULL;

  read_sync_entries (self, &entries);
  /* REST API v2 checks with the token; only the classic status API needs
   * an API user. */
  checks = pd_setup_sync_mode_checks (entries.sync_mode) && entries.protocol == PD_PROTOCOL_CLASSIC;
  problem = pd_setup_api_user_problem (&entries, keepable);
  login = pd_setup_clean_api_login (entries.api_login);

  gtk_widget_set_visible (GTK_WIDGET (self->sync_group), !self->sandbox);
  gtk_widget_set_visible (GTK_WIDGET (self->api_login_row), checks);
  gtk_widget_set_visible (GTK_WIDGET (self->api_password_row), checks);
  pd_wizard_page_set_error (GTK_WIDGET (self->api_login_row), problem != NULL && *login == '\0');
  pd_wizard_page_set_error (GTK_WIDGET (self->api_password_row), problem != NULL && *login != '\0');
  pd_wizard_page_show_label (self->sync_error_label, problem);
  pd_wizard_page_show_label (self->sync_hint_label,
              checks && problem == NULL && keepable && *entries.api_password == '\0'
                ? _("Leave the password empty to keep the one Paydesk has.") : NULL);

  return problem == NULL;
}

/* What the public address is for, as the sandbox, the protocol and how
 * payments arrive have it. */
static void
describe_public_address (PdWizardAddressPage *self,
                         gboolean             checking_only,
                         gboolean             v2,
                         guint                port)
{
  g_autofree char *local_url = pd_setup_local_url (port);
  g_autofree char *v2_text = NULL;
  const char *text;

  if (self->sandbox)
    text = _("In the sandbox, the pretend PayMaster runs inside Paydesk, so this computer’s own address works.");
  else if (checking_only && v2)
    text = v2_text = g_strdup_printf (_("With Checking only, PayMaster need not reach Paydesk. REST API v2 "
                                        "still sends PayMaster a callback address with every invoice: enter "
                                        "the public address if there is one, or this computer’s, %s."),
                                      local_url);
  else if (checking_only)
    text = _("With Checking only, PayMaster need not reach Paydesk: leave the public address empty "
             "unless there is one.");
  else
    text = _("PayMaster calls Paydesk over the internet at the public address. A computer behind a home "
             "router needs port forwarding to this port, a reverse proxy or a tunnel: enter the address "
             "that leads here, such as https://pay.example.com.");
  adw_preferences_group_set_description (self->public_group, text);
}

static void
validate (PdWizardAddressPage *self)
{
  static const char * const paths[N_URLS] = {
    PD_PATH_NOTIFY, PD_PATH_NOTIFY, PD_PATH_SUCCESS, PD_PATH_FAILURE, PD_PATH_CALLBACK, PD_PATH_SUCCESS,
  };
  gboolean v2 = self->protocol == PD_PROTOCOL_V2;
  g_autofree char *url = entered_public_url (self);
  PdSetupEntries entries = {
    .mode = self->sandbox ? PD_SHOP_MODE_SANDBOX : PD_SHOP_MODE_TEST,
    .protocol = self->protocol,
  };
  gboolean loopback = FALSE;
  gboolean checking_only;
  gboolean port_valid;
  gboolean url_valid;
  gboolean url_needed;
  guint port = 0;

  read_sync_entries (self, &entries);
  checking_only = g_strcmp0 (entries.sync_mode, PD_SYNC_MODE_POLLING) == 0;
  url_needed = pd_setup_public_url_needed (&entries);
  port_valid = entered_port (self, &port);
  url_valid = pd_setup_public_url_is_valid (url, &loopback);
  describe_public_address (self, checking_only, v2, port_valid ? port : PD_SETUP_DEFAULT_PORT);

  pd_wizard_page_set_error (GTK_WIDGET (self->port_row), !port_valid);
  pd_wizard_page_set_error (GTK_WIDGET (self->public_url_row), !url_valid && *url != '\0');
  if (!port_valid)
    pd_wizard_page_show_label (self->address_error_label, _("Enter a port number from 1 to 65535, such as 8080."));
  else if (!url_valid && *url != '\0')
    pd_wizard_page_show_label (self->address_error_label,
                _("Enter the public address with http:// or https:// and no “?” or “#” part, "
                  "such as https://pay.example.com."));
  else
    pd_wizard_page_show_label (self->address_error_label, NULL);

  /* Checking needs nothing to reach this computer. */
  if (url_valid && loopback && !self->sandbox && !checking_only)
    {
      g_autofree char *text = g_strdup_printf (_("PayMaster cannot reach %s from the internet: enter the "
                                                 "address of your router, reverse proxy or tunnel."), url);

      pd_wizard_page_show_label (self->address_warning_label, text);
    }
  else
    pd_wizard_page_show_label (self->address_warning_label, NULL);

  for (guint i = 0; i < N_URLS; i++)
    {
      g_clear_pointer (&self->endpoint_urls[i], g_free);
      if (url_valid)
        {
          PdShop shop = { .public_url = url };

          self->endpoint_urls[i] = pd_shop_endpoint_url (&shop, paths[i]);
        }
      adw_action_row_set_subtitle (self->url_rows[i],
                                   url_valid ? self->endpoint_urls[i] : _("Enter the public address first"));
      gtk_widget_set_visible (GTK_WIDGET (self->url_rows[i]), (i >= N_CLASSIC_URLS) == v2);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->endpoints_group), url_valid || url_needed);

  self->valid = validate_sync (self) && port_valid &&
                (url_valid || (!url_needed && *url == '\0'));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
port_changed_cb (PdWizardAddressPage *self)
{
  guint port;

  if (self->loading)
    return;
  /* In the sandbox the public address is this computer's: it follows the
   * port until the merchant writes another one. */
  if (!self->public_url_edited && self->sandbox && entered_port (self, &port))
    {
      g_autofree char *url = pd_setup_local_url (port);

      set_public_url (self, url);
    }
  validate (self);
}

static void
public_url_changed_cb (PdWizardAddressPage *self)
{
  if (self->loading)
    return;
  if (!self->setting_public_url)
    self->public_url_edited = TRUE;
  validate (self);
}

static void
sync_mode_changed_cb (PdWizardAddressPage *self)
{
  update_sync_mode_note (self);
  if (self->loading)
    return;
  self->sync_edited = TRUE;
  validate (self);
}

static void
sync_changed_cb (PdWizardAddressPage *self)
{
  if (self->loading)
    return;
  self->sync_edited = TRUE;
  validate (self);
}

static void
copy_url_cb (GtkButton           *button,
             PdWizardAddressPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < N_URLS; i++)
    if (row == GTK_WIDGET (self->url_rows[i]) && self->endpoint_urls[i] != NULL)
      gtk_widget_activate_action (GTK_WIDGET (self), "wizard.copy", "s", self->endpoint_urls[i]);
}

/**
 * pd_wizard_address_page_load:
 * @current: (nullable): the settings Paydesk has
 *
 * Fills the page from @current, and takes the sandbox to be chosen when
 * @current is one.
 */
void
pd_wizard_address_page_load (PdWizardAddressPage *self,
                             const PdShop        *current)
{
  guint port;
  gboolean all_interfaces;
  g_autofree char *port_text = NULL;

  g_return_if_fail (PD_IS_WIZARD_ADDRESS_PAGE (self));

  g_clear_pointer (&self->current, pd_shop_free);
  self->current = current ? pd_shop_copy (current) : NULL;
  self->sandbox = current != NULL && current->mode == PD_SHOP_MODE_SANDBOX;

  self->loading = TRUE;
  pd_setup_read_listen (current, &port, &all_interfaces);
  if (current != NULL)
    {
      /* A sandbox address other than this computer's was written by hand. */
      g_autofree char *default_url = pd_setup_local_url (port);

      self->public_url_edited = self->sandbox && g_strcmp0 (current->public_url, default_url) != 0;
      gtk_editable_set_text (GTK_EDITABLE (self->public_url_row), current->public_url ? current->public_url : "");
    }

  port_text = g_strdup_printf ("%u", port);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port_text);
  gtk_switch_set_active (self->all_interfaces_switch, all_interfaces);
  self->loading = FALSE;

  update_protocol_texts (self);
  update_address_texts (self);
  validate (self);
}

/* The sandbox needs nobody but this computer: its public address is this
 * computer's until the merchant writes another one. */
void
pd_wizard_address_page_set_sandbox (PdWizardAddressPage *self,
                                    gboolean             sandbox)
{
  guint port = PD_SETUP_DEFAULT_PORT;

  g_return_if_fail (PD_IS_WIZARD_ADDRESS_PAGE (self));

  self->sandbox = !!sandbox;
  if (!self->public_url_edited)
    {
      g_autofree char *url = NULL;

      entered_port (self, &port);
      url = suggested_public_url (self, port);
      set_public_url (self, url);
    }
  /* A real site is usually reached through port forwarding. */
  if (self->current == NULL)
    gtk_switch_set_active (self->all_interfaces_switch, !self->sandbox);

  update_address_texts (self);
  validate (self);
}

/* The addresses for the cabinet, and whether checking needs an API user,
 * are the protocol's. */
void
pd_wizard_address_page_set_protocol (PdWizardAddressPage *self,
                                     PdProtocol           protocol)
{
  g_return_if_fail (PD_IS_WIZARD_ADDRESS_PAGE (self));

  self->protocol = protocol;
  update_protocol_texts (self);
  update_address_texts (self);
  validate (self);
}

/* Whether the site's secrets can be kept (see
 * pd_wizard_site_page_get_secret_keepable()): the API password then can
 * be too. */
void
pd_wizard_address_page_set_secret_keepable (PdWizardAddressPage *self,
                                            gboolean             keepable)
{
  g_return_if_fail (PD_IS_WIZARD_ADDRESS_PAGE (self));

  self->secret_keepable = !!keepable;
  validate (self);
}

/* What the merchant chose before, unless they have chosen again since. */
void
pd_wizard_address_page_set_sync_settings (PdWizardAddressPage  *self,
                                          const PdSyncSettings *settings)
{
  guint row = 0;

  g_return_if_fail (PD_IS_WIZARD_ADDRESS_PAGE (self));
  g_return_if_fail (settings != NULL);

  if (self->sync_edited)
    return;

  /* Unset with an API user is how the schedule reads both. */
  if (settings->api_login != NULL && *settings->api_login != '\0')
    row = 2;
  row = pd_sync_mode_choice (settings->sync_mode, row);

  g_free (self->stored_api_login);
  self->stored_api_login = g_strdup (settings->api_login);

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->api_login_row), settings->api_login ? settings->api_login : "");
  adw_combo_row_set_selected (self->sync_mode_row, row);
  self->loading = FALSE;

  update_sync_mode_note (self);
  validate (self);
}

gboolean
pd_wizard_address_page_get_valid (PdWizardAddressPage *self)
{
  g_return_val_if_fail (PD_IS_WIZARD_ADDRESS_PAGE (self), FALSE);
  return self->valid;
}

/* Fills in the address's part of @entries: the port, whether other
 * computers may connect, the public address and how payments arrive, as
 * typed. */
void
pd_wizard_address_page_read_entries (PdWizardAddressPage *self,
                                     PdSetupEntries      *entries)
{
  g_return_if_fail (PD_IS_WIZARD_ADDRESS_PAGE (self));
  g_return_if_fail (entries != NULL);

  entries->port = PD_SETUP_DEFAULT_PORT;
  entered_port (self, &entries->port);
  entries->all_interfaces = gtk_switch_get_active (self->all_interfaces_switch);
  entries->public_url = gtk_editable_get_text (GTK_EDITABLE (self->public_url_row));
  read_sync_entries (self, entries);
}

void
pd_wizard_address_page_focus (PdWizardAddressPage *self)
{
  g_return_if_fail (PD_IS_WIZARD_ADDRESS_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->port_row));
}

static void
pd_wizard_address_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_WIZARD_ADDRESS_PAGE);

  G_OBJECT_CLASS (pd_wizard_address_page_parent_class)->dispose (object);
}

static void
pd_wizard_address_page_finalize (GObject *object)
{
  PdWizardAddressPage *self = PD_WIZARD_ADDRESS_PAGE (object);

  g_clear_pointer (&self->current, pd_shop_free);
  g_free (self->stored_api_login);
  for (guint i = 0; i < N_URLS; i++)
    g_free (self->endpoint_urls[i]);

  G_OBJECT_CLASS (pd_wizard_address_page_parent_class)->finalize (object);
}

static void
pd_wizard_address_page_class_init (PdWizardAddressPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_wizard_address_page_dispose;
  object_class->finalize = pd_wizard_address_page_finalize;

  /**
   * PdWizardAddressPage::changed:
   *
   * The page has checked its entries again, as typed or as the wizard
   * told it of the site.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-wizard-address-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, public_group);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, all_interfaces_switch);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, public_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, address_warning_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, sync_group);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, sync_mode_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, api_login_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, api_password_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, sync_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, sync_hint_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, endpoints_group);
  gtk_widget_class_bind_template_child_full (widget_class, "confirmation_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizardAddressPage, url_rows[URL_CONFIRMATION]));
  gtk_widget_class_bind_template_child_full (widget_class, "notification_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizardAddressPage, url_rows[URL_NOTIFICATION]));
  gtk_widget_class_bind_template_child_full (widget_class, "success_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizardAddressPage, url_rows[URL_SUCCESS]));
  gtk_widget_class_bind_template_child_full (widget_class, "failure_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizardAddressPage, url_rows[URL_FAILURE]));
  gtk_widget_class_bind_template_child_full (widget_class, "callback_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizardAddressPage, url_rows[URL_CALLBACK]));
  gtk_widget_class_bind_template_child_full (widget_class, "return_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizardAddressPage, url_rows[URL_RETURN]));
  gtk_widget_class_bind_template_child (widget_class, PdWizardAddressPage, check_hint_label);
  gtk_widget_class_bind_template_callback (widget_class, port_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, public_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_mode_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_url_cb);
}

static void
pd_wizard_address_page_init (PdWizardAddressPage *self)
{
  self->protocol = PD_PROTOCOL_CLASSIC;

  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;

  update_sync_mode_note (self);
  update_protocol_texts (self);
}
