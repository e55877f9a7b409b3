/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-setup-check.h"
#include "pd-sync-settings.h"
#include "pd-wizard.h"
#include "pd-wizard-address-page.h"
#include "pd-wizard-check-page.h"
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
  PdWizardSitePage    *site_page;
  PdWizardAddressPage *address_page;
  PdWizardCheckPage   *check_page;

  gboolean             loading;
  gboolean             disposed;
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

/* The address page follows the site: the addresses for the cabinet are
 * the protocol's, and the API password can be kept only for the same
 * site. */
static void
site_changed_cb (PdWizard *self)
{
  pd_wizard_address_page_set_protocol (self->address_page,
                                       pd_wizard_site_page_get_protocol (self->site_page));
  pd_wizard_address_page_set_secret_keepable (self->address_page,
                                              pd_wizard_site_page_get_secret_keepable (self->site_page));
}

static void
choice_changed_cb (PdWizard *self)
{
  pd_wizard_site_page_set_sandbox (self->site_page, is_sandbox (self));
  if (self->loading)
    return;

  site_changed_cb (self);
  pd_wizard_address_page_set_sandbox (self->address_page, is_sandbox (self));
}

/* The settings as entered, in @entries and made into a shop. */
static PdShop *
build_shop (PdWizard       *self,
            PdSetupEntries *entries)
{
  pd_wizard_site_page_read_entries (self->site_page, entries);
  if (is_sandbox (self))
    entries->mode = PD_SHOP_MODE_SANDBOX;
  pd_wizard_address_page_read_entries (self->address_page, entries);
  return pd_setup_build_shop (entries, self->current);
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
  PdSetupEntries entries = { 0, };
  g_autoptr(PdShop) shop = build_shop (self, &entries);
  const char *secret = pd_wizard_site_page_get_secret (self->site_page);
  g_autofree char *token = NULL;
  g_autofree char *made_up = NULL;

  pd_setup_check_set_sync (self->check, &entries);

  if (shop->protocol == PD_PROTOCOL_V2)
    {
      /* REST API v2 signs nothing, but the listener still hears classic
       * notifications: a site with no key yet gets one nobody knows, so
       * that none can be forged for it. */
      token = pd_setup_clean_api_token (entries.api_token);
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
    next_sensitive = pd_wizard_address_page_get_valid (self->address_page);
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
    pd_wizard_address_page_focus (self->address_page);
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
      if (pd_wizard_address_page_get_valid (self->address_page))
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

  if (shop != NULL)
    {
      self->current = pd_shop_copy (shop);

      self->loading = TRUE;
      if (shop->mode == PD_SHOP_MODE_SANDBOX)
        gtk_check_button_set_active (self->sandbox_check, TRUE);
      self->loading = FALSE;
    }

  pd_wizard_site_page_set_sandbox (self->site_page, is_sandbox (self));
  pd_wizard_site_page_load (self->site_page, shop);
  pd_wizard_address_page_load (self->address_page, shop);
  site_changed_cb (self);
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

  if (settings == NULL)
    {
      if (!self->disposed)
        g_warning ("Could not read the settings for checking with PayMaster: %s", error->message);
      return;
    }
  if (!self->disposed)
    pd_wizard_address_page_set_sync_settings (self->address_page, settings);
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
  g_type_ensure (PD_TYPE_WIZARD_ADDRESS_PAGE);
  g_type_ensure (PD_TYPE_WIZARD_CHECK_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-wizard.ui");

  gtk_widget_class_bind_template_child (widget_class, PdWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, site_check);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, sandbox_check);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, site_page);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, address_page);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, check_page);

  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, site_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_navigation);

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
}
