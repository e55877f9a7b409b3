/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-setup-check.h"
#include "pd-sync-settings.h"
#include "pd-wizard.h"
#include "pd-wizard-check-page.h"
#include "pd-wizard-page.h"
#include "pd-wizard-site-page.h"

/* The setup wizard: it asks for the PayMaster site and the address
 * PayMaster calls, and then runs a PdSetupCheck, which saves them and does
 * the check merchants are otherwise told to do by hand. The wizard opens
 * the check's payment link and shows its steps, each with what went wrong
 * when it fails. */

typedef enum
{
  PAGE_WELCOME,
  PAGE_SITE,
  PAGE_ADDRESS,
  PAGE_CHECK,
} Page;

static const char * const page_names[] = { "welcome", "site", "address", "check" };

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

struct _PdWizard
{
  AdwWindow            parent_instance;

  PdService           *service;
  PdShop              *current;            /* the settings when the wizard opened */
  PdSetupCheck        *check;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkButton           *back_button;
  GtkButton           *next_button;
  GtkStack            *stack;
  GtkCheckButton      *site_check;
  GtkCheckButton      *sandbox_check;
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
  PdWizardSitePage    *site_page;
  PdWizardCheckPage   *check_page;

  /* Pages */
  gboolean             loading;
  gboolean             disposed;
  gboolean             address_valid;
  gboolean             public_url_edited;
  gboolean             setting_public_url;
  gboolean             sync_edited;
  char                *stored_api_login;   /* the API user Paydesk has, if any */
  char                *endpoint_urls[N_URLS];
};

G_DEFINE_FINAL_TYPE (PdWizard, pd_wizard, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_PAYMENT_URL,
  PROP_REQUEST_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
pd_wizard_new (PdApplication *application)
{
  g_return_val_if_fail (PD_IS_APPLICATION (application), NULL);

  return g_object_new (PD_TYPE_WIZARD,
                       "application", application,
                       "service", pd_application_get_service (application),
                       NULL);
}

/**
 * pd_wizard_get_payment_url:
 *
 * Returns: (nullable): the payment link of the check's test invoice, once
 *   the check has issued it
 */
const char *
pd_wizard_get_payment_url (PdWizard *self)
{
  g_return_val_if_fail (PD_IS_WIZARD (self), NULL);
  return pd_setup_check_get_payment_url (self->check);
}

static gboolean
is_sandbox (PdWizard *self)
{
  return gtk_check_button_get_active (self->sandbox_check);
}

static Page
current_page (PdWizard *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_strcmp0 (name, page_names[i]) == 0)
      return i;
  return PAGE_WELCOME;
}

static void
show_page (PdWizard *self,
           Page      page)
{
  gtk_stack_set_visible_child_name (self->stack, page_names[page]);
}

/* Where the merchant fixes what the site itself says is wrong. */
static Page
site_fix_page (PdWizard *self)
{
  return is_sandbox (self) ? PAGE_WELCOME : PAGE_SITE;
}

/* The pages copy through this action, which says so in a toast. */
static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdWizard *self = PD_WIZARD (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), g_variant_get_string (parameter, NULL));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Copied")));
}

static void update_navigation    (PdWizard *self);
static void validate_address     (PdWizard *self);
static void update_address_texts (PdWizard *self);

static PdProtocol
selected_protocol (PdWizard *self)
{
  return pd_wizard_site_page_get_protocol (self->site_page);
}

/* What the address page says about checking depends on the protocol. */
static void
update_protocol_texts (PdWizard *self)
{
  if (selected_protocol (self) == PD_PROTOCOL_V2)
    adw_preferences_group_set_description (self->sync_group,
      _("A computer behind a home router without port forwarding can use Checking: Paydesk then asks "
        "PayMaster about the open invoices with the API token and needs no public address."));
  else
    adw_preferences_group_set_description (self->sync_group,
      _("A computer behind a home router without port forwarding can use Checking: Paydesk then asks "
        "PayMaster about the open invoices by itself and needs no public address. Create an API user "
        "in the PayMaster cabinet for this."));
}

/* The site, its protocol or its secrets changed: the addresses for the
 * cabinet are the protocol's, and the API password can be kept only for
 * the same site. */
static void
site_changed_cb (PdWizard *self)
{
  update_protocol_texts (self);
  update_address_texts (self);
  validate_address (self);
}

/* Address page */

static gboolean
entered_port (PdWizard *self,
              guint    *port)
{
  return pd_setup_parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row)), port);
}

static char *
entered_public_url (PdWizard *self)
{
  return pd_setup_clean_public_url (gtk_editable_get_text (GTK_EDITABLE (self->public_url_row)));
}

/* What the public address should be until the merchant writes one: this
 * computer's for the sandbox, the one Paydesk has for a real site. */
static char *
suggested_public_url (PdWizard *self,
                      guint     port)
{
  if (is_sandbox (self))
    return pd_setup_local_url (port);
  if (self->current != NULL && self->current->mode != PD_SHOP_MODE_SANDBOX)
    return g_strdup (self->current->public_url);
  return g_strdup ("");
}

static void
set_public_url (PdWizard   *self,
                const char *url)
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
update_address_texts (PdWizard *self)
{
  g_autofree char *amount = check_amount_text ();
  g_autofree char *hint = NULL;

  if (is_sandbox (self))
    adw_preferences_group_set_description (self->endpoints_group,
      _("The sandbox finds these addresses by itself: nothing needs pasting."));
  else
    {
      adw_preferences_group_set_description (self->endpoints_group,
        selected_protocol (self) == PD_PROTOCOL_V2
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
selected_sync_mode (PdWizard *self)
{
  guint selected = adw_combo_row_get_selected (self->sync_mode_row);

  return pd_sync_mode_for_choice (selected, 0);
}

/* How payments arrive as entered; the sandbox's checklist works by
 * notifications, so it leaves the settings alone. */
static void
read_sync_entries (PdWizard       *self,
                   PdSetupEntries *entries)
{
  entries->sync_mode = is_sandbox (self) ? NULL : selected_sync_mode (self);
  entries->protocol = selected_protocol (self);
  entries->api_login = gtk_editable_get_text (GTK_EDITABLE (self->api_login_row));
  entries->api_password = gtk_editable_get_text (GTK_EDITABLE (self->api_password_row));
}

/* The keyring keeps the API password by identifier, like the secret key. */
static gboolean
api_password_can_be_kept (PdWizard *self)
{
  return self->stored_api_login != NULL && *self->stored_api_login != '\0' &&
         pd_wizard_site_page_get_secret_keepable (self->site_page);
}

static void
update_sync_mode_note (PdWizard *self)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->sync_mode_row),
                               pd_sync_mode_describe (adw_combo_row_get_selected (self->sync_mode_row)));
}

/* Whether the API user is there when Paydesk is to check by itself. */
static gboolean
validate_sync (PdWizard *self)
{
  PdSetupEntries entries = { 0, };
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

  gtk_widget_set_visible (GTK_WIDGET (self->sync_group), !is_sandbox (self));
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
describe_public_address (PdWizard *self,
                         gboolean  checking_only,
                         gboolean  v2,
                         guint     port)
{
  g_autofree char *local_url = pd_setup_local_url (port);
  g_autofree char *v2_text = NULL;
  const char *text;

  if (is_sandbox (self))
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
validate_address (PdWizard *self)
{
  static const char * const paths[N_URLS] = {
    PD_PATH_NOTIFY, PD_PATH_NOTIFY, PD_PATH_SUCCESS, PD_PATH_FAILURE, PD_PATH_CALLBACK, PD_PATH_SUCCESS,
  };
  gboolean v2 = selected_protocol (self) == PD_PROTOCOL_V2;
  g_autofree char *url = entered_public_url (self);
  PdSetupEntries entries = { .mode = is_sandbox (self) ? PD_SHOP_MODE_SANDBOX : PD_SHOP_MODE_TEST };
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
  if (url_valid && loopback && !is_sandbox (self) && !checking_only)
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

  self->address_valid = validate_sync (self) && port_valid &&
                        (url_valid || (!url_needed && *url == '\0'));
  update_navigation (self);
}

static void
port_changed_cb (PdWizard *self)
{
  guint port;

  if (self->loading)
    return;
  /* In the sandbox the public address is this computer's: it follows the
   * port until the merchant writes another one. */
  if (!self->public_url_edited && is_sandbox (self) && entered_port (self, &port))
    {
      g_autofree char *url = pd_setup_local_url (port);

      set_public_url (self, url);
    }
  validate_address (self);
}

static void
public_url_changed_cb (PdWizard *self)
{
  if (self->loading)
    return;
  if (!self->setting_public_url)
    self->public_url_edited = TRUE;
  validate_address (self);
}

static void
choice_changed_cb (PdWizard *self)
{
  guint port = PD_SETUP_DEFAULT_PORT;

  pd_wizard_site_page_set_sandbox (self->site_page, is_sandbox (self));
  if (self->loading)
    return;

  if (!self->public_url_edited)
    {
      g_autofree char *url = NULL;

      entered_port (self, &port);
      url = suggested_public_url (self, port);
      set_public_url (self, url);
    }
  /* A real site is usually reached through port forwarding; the sandbox
   * needs nobody but this computer. */
  if (self->current == NULL)
    gtk_switch_set_active (self->all_interfaces_switch, !is_sandbox (self));

  update_protocol_texts (self);
  update_address_texts (self);
  validate_address (self);
}

static void
sync_mode_changed_cb (PdWizard *self)
{
  update_sync_mode_note (self);
  if (self->loading)
    return;
  self->sync_edited = TRUE;
  validate_address (self);
}

static void
sync_changed_cb (PdWizard *self)
{
  if (self->loading)
    return;
  self->sync_edited = TRUE;
  validate_address (self);
}

static void
copy_url_cb (GtkButton *button,
             PdWizard  *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < N_URLS; i++)
    if (row == GTK_WIDGET (self->url_rows[i]) && self->endpoint_urls[i] != NULL)
      gtk_widget_activate_action (GTK_WIDGET (self), "wizard.copy", "s", self->endpoint_urls[i]);
}

/* The settings as entered. */
static PdShop *
build_shop (PdWizard *self)
{
  PdSetupEntries entries = { 0, };

  pd_wizard_site_page_read_entries (self->site_page, &entries);
  if (is_sandbox (self))
    entries.mode = PD_SHOP_MODE_SANDBOX;
  entries.port = PD_SETUP_DEFAULT_PORT;
  entries.all_interfaces = gtk_switch_get_active (self->all_interfaces_switch);
  entries.public_url = gtk_editable_get_text (GTK_EDITABLE (self->public_url_row));
  entered_port (self, &entries.port);
  return pd_setup_build_shop (&entries, self->current);
}

/* The check page shows the check; the wizard tells whoever asks about
 * its link. */
static void
payment_url_cb (PdWizard *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_URL]);
}

static void
request_timeout_cb (PdWizard *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST_TIMEOUT]);
}

static void
start_check (PdWizard *self)
{
  g_autoptr(PdShop) shop = build_shop (self);
  const char *secret = pd_wizard_site_page_get_secret (self->site_page);
  g_autofree char *token = NULL;
  g_autofree char *made_up = NULL;
  PdSetupEntries entries = { 0, };
  PdSetupEntries site = { 0, };

  read_sync_entries (self, &entries);
  pd_setup_check_set_sync (self->check, &entries);

  if (shop->protocol == PD_PROTOCOL_V2)
    {
      /* REST API v2 signs nothing, but the listener still hears classic
       * notifications: a site with no key yet gets one nobody knows, so
       * that none can be forged for it. */
      pd_wizard_site_page_read_entries (self->site_page, &site);
      token = pd_setup_clean_api_token (site.api_token);
      if (!pd_wizard_site_page_is_same_site (self->site_page, shop->merchant_id))
        made_up = g_uuid_string_random ();
      pd_setup_check_start (self->check, shop, made_up, token);
      return;
    }

  /* Empty keeps the current key (the page allows it only then); the
   * sandbox makes up a key of its own. */
  pd_setup_check_start (self->check, shop, is_sandbox (self) || *secret == '\0' ? NULL : secret, NULL);
}

/* Navigation */

static void
update_navigation (PdWizard *self)
{
  Page page;
  GtkStackPage *stack_page;
  gboolean next_sensitive = TRUE;
  gboolean passed;

  if (self->loading || self->next_button == NULL || self->check == NULL)
    return;

  page = current_page (self);
  passed = pd_setup_check_get_state (self->check) == PD_SETUP_CHECK_PASSED;
  stack_page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));
  adw_window_title_set_subtitle (self->window_title, gtk_stack_page_get_title (stack_page));

  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          page != PAGE_WELCOME && !(page == PAGE_CHECK && passed));
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), !pd_setup_check_get_saving (self->check));

  gtk_widget_set_visible (GTK_WIDGET (self->next_button), page != PAGE_CHECK);
  /* Short enough for the header bar at 360 pixels; the tooltip says that
   * it saves. */
  gtk_button_set_label (self->next_button, page == PAGE_ADDRESS ? _("_Check") : _("_Next"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->next_button),
                               page == PAGE_ADDRESS ? _("Save the settings and check them with a test payment")
                                                    : NULL);
  if (page == PAGE_SITE)
    next_sensitive = pd_wizard_site_page_get_valid (self->site_page);
  else if (page == PAGE_ADDRESS)
    next_sensitive = self->address_valid;
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), next_sensitive);
}

static void
page_changed_cb (PdWizard *self)
{
  Page page;

  if (self->loading || self->next_button == NULL)
    return;

  page = current_page (self);
  if (page != PAGE_CHECK)
    gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->next_button));

  update_navigation (self);

  if (page == PAGE_SITE)
    pd_wizard_site_page_focus (self->site_page);
  else if (page == PAGE_ADDRESS)
    gtk_widget_grab_focus (GTK_WIDGET (self->port_row));
}

static void
next_clicked_cb (PdWizard *self)
{
  switch (current_page (self))
    {
    case PAGE_WELCOME:
      show_page (self, is_sandbox (self) ? PAGE_ADDRESS : PAGE_SITE);
      break;

    case PAGE_SITE:
      if (pd_wizard_site_page_get_valid (self->site_page))
        show_page (self, PAGE_ADDRESS);
      break;

    case PAGE_ADDRESS:
      if (self->address_valid)
        {
          show_page (self, PAGE_CHECK);
          start_check (self);
        }
      break;

    case PAGE_CHECK:
    default:
      break;
    }
}

static void
go_back_to (PdWizard *self,
            Page      page)
{
  if (current_page (self) == PAGE_CHECK)
    pd_setup_check_cancel (self->check);
  show_page (self, page);
}

static void
back_clicked_cb (PdWizard *self)
{
  switch (current_page (self))
    {
    case PAGE_SITE:
      go_back_to (self, PAGE_WELCOME);
      break;

    case PAGE_ADDRESS:
      go_back_to (self, is_sandbox (self) ? PAGE_WELCOME : PAGE_SITE);
      break;

    case PAGE_CHECK:
      if (!pd_setup_check_get_saving (self->check))
        go_back_to (self, PAGE_ADDRESS);
      break;

    case PAGE_WELCOME:
    default:
      break;
    }
}

static void
fix_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PdWizard *self = PD_WIZARD (widget);

  go_back_to (self, pd_setup_check_get_fix (self->check) == PD_SETUP_FIX_ADDRESS ? PAGE_ADDRESS
                                                                                 : site_fix_page (self));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PdWizard *self = PD_WIZARD (widget);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (application != NULL)
    pd_application_show_main_window (PD_APPLICATION (application));
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Fills the pages from the settings Paydesk has, when run again. */
static void
load_current_shop (PdWizard *self)
{
  const PdShop *shop = pd_service_get_shop (self->service);
  guint port;
  gboolean all_interfaces;
  g_autofree char *port_text = NULL;

  self->loading = TRUE;

  pd_setup_read_listen (shop, &port, &all_interfaces);
  if (shop != NULL)
    {
      g_autofree char *default_url = NULL;

      self->current = pd_shop_copy (shop);

      if (shop->mode == PD_SHOP_MODE_SANDBOX)
        gtk_check_button_set_active (self->sandbox_check, TRUE);

      /* A sandbox address other than this computer's was written by hand. */
      default_url = pd_setup_local_url (port);
      self->public_url_edited = shop->mode == PD_SHOP_MODE_SANDBOX &&
                                g_strcmp0 (shop->public_url, default_url) != 0;
      gtk_editable_set_text (GTK_EDITABLE (self->public_url_row), shop->public_url ? shop->public_url : "");
    }

  port_text = g_strdup_printf ("%u", port);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port_text);
  gtk_switch_set_active (self->all_interfaces_switch, all_interfaces);

  self->loading = FALSE;

  pd_wizard_site_page_set_sandbox (self->site_page, is_sandbox (self));
  pd_wizard_site_page_load (self->site_page, shop);
  update_protocol_texts (self);
  update_address_texts (self);
  validate_address (self);
  page_changed_cb (self);
}

/* What the merchant chose before, unless they have chosen again since. */
static void
sync_settings_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(PdWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSyncSettings) settings = pd_store_read_finish (PD_STORE (object), result, &error);
  guint row = 0;

  if (settings == NULL)
    {
      if (!self->disposed)
        g_warning ("Could not read the settings for checking with PayMaster: %s", error->message);
      return;
    }
  if (self->disposed || self->sync_edited)
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
  validate_address (self);
}

static gboolean
pd_wizard_close_request (GtkWindow *window)
{
  PdWizard *self = PD_WIZARD (window);
  GtkApplication *application = gtk_window_get_application (window);

  /* Once the check saves the settings, Paydesk is set up and listens:
   * leaving the wizard then leads to the main window rather than to a
   * Paydesk running with no window at all. */
  if ((pd_setup_check_get_configured (self->check) || pd_setup_check_get_saving (self->check)) &&
      application != NULL)
    pd_application_show_main_window (PD_APPLICATION (application));

  return GTK_WINDOW_CLASS (pd_wizard_parent_class)->close_request (window);
}

static void
pd_wizard_constructed (GObject *object)
{
  PdWizard *self = PD_WIZARD (object);

  G_OBJECT_CLASS (pd_wizard_parent_class)->constructed (object);

  g_return_if_fail (PD_IS_SERVICE (self->service));

  self->check = pd_setup_check_new (self->service);
  pd_wizard_check_page_set_check (self->check_page, self->check);
  g_signal_connect_object (self->check, "notify::state", G_CALLBACK (update_navigation), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->check, "notify::saving", G_CALLBACK (update_navigation), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->check, "notify::payment-url", G_CALLBACK (payment_url_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->check, "notify::request-timeout", G_CALLBACK (request_timeout_cb),
                           self, G_CONNECT_SWAPPED);

  load_current_shop (self);
  pd_store_read_async (pd_service_get_store (self->service), pd_sync_settings_read, NULL, NULL,
                       (GDestroyNotify) pd_sync_settings_free, NULL, sync_settings_read_cb,
                       g_object_ref (self));
}

static void
pd_wizard_dispose (GObject *object)
{
  PdWizard *self = PD_WIZARD (object);

  /* Results still on their way find the wizard gone, and the check
   * stopped: it issues no invoice for a wizard that was closed. */
  self->disposed = TRUE;
  if (self->check != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->check, self);
      pd_wizard_check_page_set_check (self->check_page, NULL);
      pd_setup_check_cancel (self->check);
      g_clear_object (&self->check);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_WIZARD);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_wizard_parent_class)->dispose (object);
}

static void
pd_wizard_finalize (GObject *object)
{
  PdWizard *self = PD_WIZARD (object);

  g_clear_pointer (&self->current, pd_shop_free);
  g_free (self->stored_api_login);
  for (guint i = 0; i < N_URLS; i++)
    g_free (self->endpoint_urls[i]);

  G_OBJECT_CLASS (pd_wizard_parent_class)->finalize (object);
}

static void
pd_wizard_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PdWizard *self = PD_WIZARD (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;

    case PROP_PAYMENT_URL:
      g_value_set_string (value, pd_setup_check_get_payment_url (self->check));
      break;

    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, pd_setup_check_get_request_timeout (self->check));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_wizard_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PdWizard *self = PD_WIZARD (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;

    case PROP_REQUEST_TIMEOUT:
      pd_setup_check_set_request_timeout (self->check, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_wizard_class_init (PdWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pd_wizard_constructed;
  object_class->dispose = pd_wizard_dispose;
  object_class->finalize = pd_wizard_finalize;
  object_class->get_property = pd_wizard_get_property;
  object_class->set_property = pd_wizard_set_property;
  window_class->close_request = pd_wizard_close_request;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, PD_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PdWizard:payment-url:
   *
   * The payment link of the check's test invoice, once issued.
   */
  properties[PROP_PAYMENT_URL] =
    g_param_spec_string ("payment-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * PdWizard:request-timeout:
   *
   * The check's #PdSetupCheck:request-timeout.
   */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 0, G_MAXUINT / 1000, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PD_TYPE_WIZARD_SITE_PAGE);
  g_type_ensure (PD_TYPE_WIZARD_CHECK_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-wizard.ui");

  gtk_widget_class_bind_template_child (widget_class, PdWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, site_check);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, sandbox_check);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, public_group);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, port_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, all_interfaces_switch);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, public_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, address_warning_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, sync_group);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, sync_mode_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, api_login_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, api_password_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, sync_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, sync_hint_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, endpoints_group);
  gtk_widget_class_bind_template_child_full (widget_class, "confirmation_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizard, url_rows[URL_CONFIRMATION]));
  gtk_widget_class_bind_template_child_full (widget_class, "notification_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizard, url_rows[URL_NOTIFICATION]));
  gtk_widget_class_bind_template_child_full (widget_class, "success_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizard, url_rows[URL_SUCCESS]));
  gtk_widget_class_bind_template_child_full (widget_class, "failure_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizard, url_rows[URL_FAILURE]));
  gtk_widget_class_bind_template_child_full (widget_class, "callback_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizard, url_rows[URL_CALLBACK]));
  gtk_widget_class_bind_template_child_full (widget_class, "return_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizard, url_rows[URL_RETURN]));
  gtk_widget_class_bind_template_child (widget_class, PdWizard, check_hint_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, site_page);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, check_page);

  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, site_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, port_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, public_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_mode_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_url_cb);

  gtk_widget_class_install_action (widget_class, "wizard.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "wizard.fix", NULL, fix_action);
  gtk_widget_class_install_action (widget_class, "wizard.start", NULL, start_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_wizard_init (PdWizard *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;

  update_sync_mode_note (self);
  update_protocol_texts (self);
}
