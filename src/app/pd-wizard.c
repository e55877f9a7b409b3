/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-listener.h"
#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-wizard.h"

/* The setup wizard: it asks for the PayMaster site and the address
 * PayMaster calls, saves them, and then does the check merchants are
 * otherwise told to do by hand: it issues a 50 RUB test invoice, opens its
 * payment link and follows the payment through the listener, step by step,
 * saying in words what went wrong when a step fails. */

/* Any GUID does for the sandbox: it talks to nobody but Paydesk. */
#define SANDBOX_MERCHANT_ID "00000000-0000-4000-8000-000000000001"
#define CHECK_PRICE 5000          /* kopecks */
#define DEFAULT_PORT 8080
#define REQUEST_TIMEOUT 180       /* seconds to wait for PayMaster's first request */
#define SANDBOX_REQUEST_TIMEOUT 30

typedef enum
{
  PAGE_WELCOME,
  PAGE_SITE,
  PAGE_ADDRESS,
  PAGE_CHECK,
} Page;

static const char * const page_names[] = { "welcome", "site", "address", "check" };

/* As the PayMaster cabinet spells them, in PdHashAlg order. */
static const char * const hash_names[PD_N_HASH_ALGS] = { "MD5", "SHA1", "SHA256" };

typedef enum
{
  STEP_LISTENER,
  STEP_PREREQUEST,
  STEP_NOTIFICATION,
  STEP_SIGNATURE,
  STEP_PAID,
  N_STEPS
} Step;

typedef enum
{
  MARK_PENDING,
  MARK_BUSY,
  MARK_DONE,
  MARK_WARNING,
  MARK_FAILED,
} Mark;

typedef enum
{
  CHECK_IDLE,
  CHECK_RUNNING,
  CHECK_FAILED,
  CHECK_PASSED,
} CheckState;

typedef enum
{
  URL_CONFIRMATION,
  URL_NOTIFICATION,
  URL_SUCCESS,
  URL_FAILURE,
  N_URLS
} Endpoint;

struct _PdWizard
{
  AdwWindow            parent_instance;

  PdService           *service;
  PdShop              *current;            /* the settings when the wizard opened */

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkButton           *back_button;
  GtkButton           *next_button;
  GtkStack            *stack;
  GtkCheckButton      *site_check;
  GtkCheckButton      *sandbox_check;
  AdwEntryRow         *merchant_id_row;
  AdwEntryRow         *secret_row;
  AdwComboRow         *hash_row;
  GtkLabel            *site_error_label;
  GtkLabel            *secret_hint_label;
  GtkCheckButton      *test_mode_check;
  GtkCheckButton      *working_mode_check;
  AdwPreferencesGroup *public_group;
  AdwEntryRow         *port_row;
  GtkSwitch           *all_interfaces_switch;
  AdwEntryRow         *public_url_row;
  GtkLabel            *address_error_label;
  GtkLabel            *address_warning_label;
  AdwPreferencesGroup *endpoints_group;
  AdwActionRow        *url_rows[N_URLS];
  GtkLabel            *check_hint_label;
  GtkWidget           *check_icon;
  GtkLabel            *check_title;
  GtkLabel            *check_description;
  AdwActionRow        *step_rows[N_STEPS];
  GtkSpinner          *step_spinners[N_STEPS];
  GtkImage            *step_icons[N_STEPS];
  GtkWidget           *link_group;
  AdwActionRow        *link_row;
  GtkWidget           *start_button;
  GtkWidget           *fix_button;
  GtkWidget           *open_link_button;
  GtkWidget           *later_button;

  /* Pages */
  gboolean             loading;
  gboolean             disposed;
  gboolean             site_valid;
  gboolean             address_valid;
  gboolean             public_url_edited;
  gboolean             setting_public_url;
  char                *endpoint_urls[N_URLS];

  /* The check */
  CheckState           check_state;
  Mark                 marks[N_STEPS];
  Page                 fix_page;
  gboolean             saving;
  gboolean             configured;
  gboolean             timed_out;
  guint                state_changes;
  guint                state_changes_before;
  PdShopMode           check_mode;
  PdHashAlg            check_hash;
  gint64               invoice_id;
  char                *invoice_number;
  char                *payment_url;
  guint                request_timeout;    /* seconds; 0 for the mode's default */
  guint                request_timeout_id;
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
  return self->payment_url;
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

static void
set_error_class (GtkWidget *widget,
                 gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}

static void
show_label (GtkLabel   *label,
            const char *text)
{
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static void
copy_text (PdWizard   *self,
           const char *text)
{
  if (text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Copied")));
}

/* Site page */

/* Pasted identifiers often carry a space or a line break. */
static char *
entered_merchant_id (PdWizard *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->merchant_id_row)));

  return g_ascii_strdown (g_strstrip (text), -1);
}

/* The keyring keeps the key by identifier, so the current key can only be
 * kept for the same site. */
static gboolean
secret_can_be_kept (PdWizard   *self,
                    const char *merchant_id)
{
  return self->current != NULL && self->current->mode != PD_SHOP_MODE_SANDBOX &&
         g_strcmp0 (self->current->merchant_id, merchant_id) == 0;
}

static gboolean
has_surrounding_space (const char *text)
{
  gsize len = strlen (text);

  return len > 0 && (g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1]));
}

static void update_navigation (PdWizard *self);

static void
validate_site (PdWizard *self)
{
  g_autofree char *merchant_id = entered_merchant_id (self);
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  gboolean id_valid = pd_shop_merchant_id_is_valid (merchant_id);
  gboolean id_wrong = *merchant_id != '\0' && !id_valid;
  gboolean keepable = id_valid && secret_can_be_kept (self, merchant_id);

  set_error_class (GTK_WIDGET (self->merchant_id_row), id_wrong);
  show_label (self->site_error_label,
              id_wrong ? _("This is not a PayMaster identifier: copy it from your site’s settings in the "
                           "PayMaster cabinet. It looks like ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6.")
                       : NULL);

  if (*secret != '\0' && has_surrounding_space (secret))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->secret_hint_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->secret_hint_label), "warning");
      show_label (self->secret_hint_label,
                  _("The secret key starts or ends with a space or a line break: check that you "
                    "copied only the key."));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->secret_hint_label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->secret_hint_label), "dim-label");
      show_label (self->secret_hint_label,
                  keepable && *secret == '\0' ? _("Leave the secret key empty to keep the one Paydesk has.")
                                              : NULL);
    }

  self->site_valid = id_valid && (*secret != '\0' || keepable);
  update_navigation (self);
}

static void
site_changed_cb (PdWizard *self)
{
  if (!self->loading)
    validate_site (self);
}

/* Address page */

static gboolean
entered_port (PdWizard *self,
              guint    *port)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->port_row))));
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return FALSE;
  *port = (guint) value;
  return TRUE;
}

static char *
entered_public_url (PdWizard *self)
{
  char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->public_url_row))));
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return url;
}

static char *
default_public_url (guint port)
{
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

/* An http or https address with a host, and maybe a path for a reverse
 * proxy; @loopback says whether only this computer can reach it. */
static gboolean
public_url_is_valid (const char *url,
                     gboolean   *loopback)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme;
  const char *host;

  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      host == NULL || *host == '\0' || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    return FALSE;

  *loopback = g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_prefix (host, "127.") ||
              g_strcmp0 (host, "::1") == 0;
  return TRUE;
}

/* What the public address should be until the merchant writes one: this
 * computer's for the sandbox, the one Paydesk has for a real site. */
static char *
suggested_public_url (PdWizard *self,
                      guint     port)
{
  if (is_sandbox (self))
    return default_public_url (port);
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
  return pd_money_format_display (CHECK_PRICE, "RUB");
}

static void
update_address_texts (PdWizard *self)
{
  g_autofree char *amount = check_amount_text ();
  g_autofree char *hint = NULL;

  if (is_sandbox (self))
    {
      adw_preferences_group_set_description (self->public_group,
        _("In the sandbox, the pretend PayMaster runs inside Paydesk, so this computer’s own address works."));
      adw_preferences_group_set_description (self->endpoints_group,
        _("The sandbox finds these addresses by itself: nothing needs pasting."));
    }
  else
    {
      adw_preferences_group_set_description (self->public_group,
        _("PayMaster calls Paydesk over the internet at the public address. A computer behind a home "
          "router needs port forwarding to this port, a reverse proxy or a tunnel: enter the address "
          "that leads here, such as https://pay.example.com."));
      adw_preferences_group_set_description (self->endpoints_group,
        _("In the PayMaster cabinet, open your site’s settings and paste each address into the field "
          "of the same name."));
    }

  hint = g_strdup_printf (_("Check saves these settings, issues a test invoice for %s and follows its "
                            "payment step by step."), amount);
  gtk_label_set_label (self->check_hint_label, hint);
}

static void
validate_address (PdWizard *self)
{
  static const char * const paths[N_URLS] = {
    PD_PATH_NOTIFY, PD_PATH_NOTIFY, PD_PATH_SUCCESS, PD_PATH_FAILURE,
  };
  g_autofree char *url = entered_public_url (self);
  gboolean loopback = FALSE;
  gboolean port_valid;
  gboolean url_valid;
  guint port = 0;

  port_valid = entered_port (self, &port);
  url_valid = public_url_is_valid (url, &loopback);

  set_error_class (GTK_WIDGET (self->port_row), !port_valid);
  set_error_class (GTK_WIDGET (self->public_url_row), !url_valid && *url != '\0');
  if (!port_valid)
    show_label (self->address_error_label, _("Enter a port number from 1 to 65535, such as 8080."));
  else if (!url_valid && *url != '\0')
    show_label (self->address_error_label,
                _("Enter the public address with http:// or https:// and no “?” or “#” part, "
                  "such as https://pay.example.com."));
  else
    show_label (self->address_error_label, NULL);

  if (url_valid && loopback && !is_sandbox (self))
    {
      g_autofree char *text = g_strdup_printf (_("PayMaster cannot reach %s from the internet: enter the "
                                                 "address of your router, reverse proxy or tunnel."), url);

      show_label (self->address_warning_label, text);
    }
  else
    show_label (self->address_warning_label, NULL);

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
    }

  self->address_valid = port_valid && url_valid;
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
      g_autofree char *url = default_public_url (port);

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
  guint port = DEFAULT_PORT;

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

  update_address_texts (self);
  validate_address (self);
}

static void
copy_confirmation_url_cb (PdWizard *self)
{
  copy_text (self, self->endpoint_urls[URL_CONFIRMATION]);
}

static void
copy_notification_url_cb (PdWizard *self)
{
  copy_text (self, self->endpoint_urls[URL_NOTIFICATION]);
}

static void
copy_success_url_cb (PdWizard *self)
{
  copy_text (self, self->endpoint_urls[URL_SUCCESS]);
}

static void
copy_failure_url_cb (PdWizard *self)
{
  copy_text (self, self->endpoint_urls[URL_FAILURE]);
}

/* The settings as entered. */
static PdShop *
build_shop (PdWizard *self)
{
  PdShop *shop = pd_shop_new ();
  guint port = DEFAULT_PORT;

  entered_port (self, &port);
  g_free (shop->listen);
  shop->listen = g_strdup_printf ("%s:%u",
                                  gtk_switch_get_active (self->all_interfaces_switch) ? "0.0.0.0" : "127.0.0.1",
                                  port);
  shop->public_url = entered_public_url (self);

  if (is_sandbox (self))
    {
      shop->mode = PD_SHOP_MODE_SANDBOX;
      shop->hash_alg = PD_HASH_SHA256;
      shop->merchant_id = g_strdup (self->current && self->current->mode == PD_SHOP_MODE_SANDBOX
                                      ? self->current->merchant_id : SANDBOX_MERCHANT_ID);
      /* The built-in sandbox answers at the listener's own address. */
      g_free (shop->paymaster_url);
      shop->paymaster_url = pd_shop_endpoint_url (shop, PD_PATH_SANDBOX);
    }
  else
    {
      shop->mode = gtk_check_button_get_active (self->working_mode_check) ? PD_SHOP_MODE_LIVE
                                                                          : PD_SHOP_MODE_TEST;
      shop->hash_alg = (PdHashAlg) adw_combo_row_get_selected (self->hash_row);
      shop->merchant_id = entered_merchant_id (self);
      /* Keep a PayMaster address set up from the command line. */
      if (self->current != NULL && self->current->mode != PD_SHOP_MODE_SANDBOX)
        {
          g_free (shop->paymaster_url);
          shop->paymaster_url = g_strdup (self->current->paymaster_url);
        }
    }

  return shop;
}

/* The check page */

static void
mark_step (PdWizard   *self,
           Step        step,
           Mark        mark,
           const char *text)
{
  static const char * const icons[] = {
    [MARK_PENDING] = "content-loading-symbolic",
    [MARK_DONE] = "object-select-symbolic",
    [MARK_WARNING] = "dialog-warning-symbolic",
    [MARK_FAILED] = "dialog-error-symbolic",
  };
  static const char * const classes[] = {
    [MARK_PENDING] = "dim-label",
    [MARK_DONE] = "success",
    [MARK_WARNING] = "warning",
    [MARK_FAILED] = "error",
  };
  GtkWidget *icon = GTK_WIDGET (self->step_icons[step]);

  self->marks[step] = mark;

  gtk_spinner_set_spinning (self->step_spinners[step], mark == MARK_BUSY);
  gtk_widget_set_visible (GTK_WIDGET (self->step_spinners[step]), mark == MARK_BUSY);
  gtk_widget_set_visible (icon, mark != MARK_BUSY);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (classes[i] != NULL)
      gtk_widget_remove_css_class (icon, classes[i]);
  if (icons[mark] != NULL)
    {
      gtk_image_set_from_icon_name (self->step_icons[step], icons[mark]);
      gtk_widget_add_css_class (icon, classes[mark]);
    }

  adw_action_row_set_subtitle (self->step_rows[step], text ? text : "");
}

static void
set_check_state (PdWizard   *self,
                 CheckState  state)
{
  const char *icon = "emblem-synchronizing-symbolic";
  const char *title = _("Checking the Setup");
  g_autofree char *description = NULL;

  self->check_state = state;

  gtk_widget_remove_css_class (self->check_icon, "success");
  gtk_widget_remove_css_class (self->check_icon, "error");
  gtk_widget_remove_css_class (self->check_icon, "dim-label");

  switch (state)
    {
    case CHECK_IDLE:
    case CHECK_RUNNING:
      gtk_widget_add_css_class (self->check_icon, "dim-label");
      if (self->payment_url == NULL)
        description = g_strdup (_("Saving the settings…"));
      else if (self->check_mode == PD_SHOP_MODE_SANDBOX)
        description = g_strdup (_("Paydesk saved the settings and issued a test invoice. On its "
                                  "payment page (see below) press Pay, and watch each step here."));
      else if (self->check_mode == PD_SHOP_MODE_TEST)
        description = g_strdup (_("Paydesk saved the settings and issued a test invoice. Pay it on "
                                  "its payment page (see below): the site is in test mode, so no "
                                  "money moves."));
      else
        {
          g_autofree char *amount = check_amount_text ();

          description = g_strdup_printf (_("Paydesk saved the settings and issued a test invoice. "
                                           "Pay it on its payment page (see below): the site is in "
                                           "working mode, so this is a real payment of %s to your own "
                                           "shop."), amount);
        }
      break;

    case CHECK_FAILED:
      icon = "dialog-warning-symbolic";
      title = _("Something Needs Fixing");
      gtk_widget_add_css_class (self->check_icon, "error");
      description = g_strdup (self->timed_out
                              ? _("The step marked below says what is wrong. Paydesk keeps listening "
                                  "meanwhile: if the request arrives, the check goes on.")
                              : _("The step marked below says what is wrong. Fix it, then run the "
                                  "check again."));
      break;

    case CHECK_PASSED:
      icon = "object-select-symbolic";
      title = _("Paydesk Is Ready");
      gtk_widget_add_css_class (self->check_icon, "success");
      if (self->check_mode == PD_SHOP_MODE_SANDBOX)
        description = g_strdup (_("The test payment went through from start to finish. When you have "
                                  "a PayMaster site, choose Run Setup Again in the menu to connect it."));
      else if (self->check_mode == PD_SHOP_MODE_TEST)
        description = g_strdup (_("The test payment went through from start to finish. When PayMaster "
                                  "switches your site to working mode, run the setup again and choose "
                                  "Working Mode."));
      else
        description = g_strdup (_("The payment went through from start to finish: Paydesk is ready "
                                  "for your customers."));
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_image_set_from_icon_name (GTK_IMAGE (self->check_icon), icon);
  gtk_label_set_label (self->check_title, title);
  gtk_label_set_label (self->check_description, description);

  gtk_widget_set_visible (self->start_button, state == CHECK_PASSED);
  gtk_widget_set_visible (self->fix_button, state == CHECK_FAILED);
  gtk_widget_set_visible (self->open_link_button, self->payment_url != NULL && state != CHECK_PASSED);
  gtk_widget_set_visible (self->later_button, self->configured && state != CHECK_PASSED);
  gtk_widget_set_visible (self->link_group, self->payment_url != NULL);

  if (state == CHECK_PASSED)
    {
      gtk_window_set_default_widget (GTK_WINDOW (self), self->start_button);
      gtk_widget_grab_focus (self->start_button);
    }
  else if (state == CHECK_FAILED)
    gtk_widget_grab_focus (self->fix_button);

  update_navigation (self);
}

static void
fail_step (PdWizard   *self,
           Step        step,
           const char *reason,
           Page        fix_page)
{
  mark_step (self, step, MARK_FAILED, reason);
  self->fix_page = fix_page;
  set_check_state (self, CHECK_FAILED);
}

/* A request arrived and went well: whatever failed before (a timeout, a
 * signature PayMaster has since fixed) no longer stands. */
static void
check_goes_on (PdWizard *self)
{
  if (self->check_state == CHECK_FAILED)
    set_check_state (self, CHECK_RUNNING);
}

static void
set_payment_url (PdWizard   *self,
                 const char *url)
{
  if (g_strcmp0 (self->payment_url, url) == 0)
    return;
  g_free (self->payment_url);
  self->payment_url = g_strdup (url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_URL]);
}

static void
stop_check (PdWizard *self)
{
  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  for (guint i = 0; i < N_STEPS; i++)
    if (self->marks[i] == MARK_BUSY)
      mark_step (self, i, MARK_PENDING, NULL);
  self->check_state = CHECK_IDLE;
}

static void
uri_shown_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PdWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  /* With no browser the merchant can still copy the link. */
  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error) && !self->disposed)
    {
      g_autofree char *amount = check_amount_text ();
      g_autofree char *text = g_strdup_printf (_("Invoice %s for %s. No browser opened its payment link: "
                                                 "copy the link and open it in a browser."),
                                               self->invoice_number, amount);

      g_debug ("Cannot open the payment link: %s", error->message);
      adw_action_row_set_subtitle (self->link_row, text);
    }
}

static void
open_payment_url (PdWizard *self)
{
  g_autofree char *amount = check_amount_text ();
  g_autofree char *text = g_strdup_printf (_("Invoice %s for %s. Its payment link opened in your browser."),
                                           self->invoice_number, amount);

  adw_action_row_set_subtitle (self->link_row, text);
  gtk_show_uri_full (GTK_WINDOW (self), self->payment_url, GDK_CURRENT_TIME, NULL,
                     uri_shown_cb, g_object_ref (self));
}

static void
open_link_clicked_cb (PdWizard *self)
{
  if (self->payment_url != NULL)
    open_payment_url (self);
}

static void
copy_payment_url_cb (PdWizard *self)
{
  copy_text (self, self->payment_url);
}

static guint
request_timeout (PdWizard *self)
{
  if (self->request_timeout > 0)
    return self->request_timeout;
  return self->check_mode == PD_SHOP_MODE_SANDBOX ? SANDBOX_REQUEST_TIMEOUT : REQUEST_TIMEOUT;
}

static gboolean
request_timeout_cb (gpointer user_data)
{
  PdWizard *self = user_data;

  self->request_timeout_id = 0;
  if (self->marks[STEP_PREREQUEST] != MARK_BUSY)
    return G_SOURCE_REMOVE;

  self->timed_out = TRUE;
  if (self->check_mode == PD_SHOP_MODE_SANDBOX)
    {
      guint seconds = request_timeout (self);
      g_autofree char *text =
        g_strdup_printf (ngettext ("No request arrived within %u second. Press Pay on the sandbox page in "
                                   "your browser; if you did, the sandbox cannot reach the public address.",
                                   "No request arrived within %u seconds. Press Pay on the sandbox page in "
                                   "your browser; if you did, the sandbox cannot reach the public address.",
                                   seconds),
                         seconds);

      fail_step (self, STEP_PREREQUEST, text, PAGE_ADDRESS);
    }
  else
    fail_step (self, STEP_PREREQUEST,
               _("No request arrived: PayMaster cannot reach this address. Check the public address, "
                 "the port forwarding, reverse proxy or tunnel, and the addresses pasted in the "
                 "PayMaster cabinet."),
               PAGE_ADDRESS);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  char     *product_name;
  gboolean  test;
  gint64    previous_invoice_id;
} CheckJob;

static void
check_job_free (CheckJob *job)
{
  g_free (job->product_name);
  g_free (job);
}

/* Runs on the store's writer thread, in one transaction. */
static gpointer
create_check_invoice (PdDatabase  *db,
                      gpointer     data,
                      GError     **error)
{
  CheckJob *job = data;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(PdInvoice) created = NULL;
  PdInvoiceLine line = { 0, 1 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0 };

  /* The merchant went back to fix something: the earlier test invoice
   * must not be paid any more. It may be paid already, which is fine. */
  if (job->previous_invoice_id != 0)
    {
      g_autoptr(GError) ignored = NULL;

      pd_catalog_cancel_invoice (db, job->previous_invoice_id, &ignored);
    }

  /* One "Setup check" product however often the wizard runs. */
  products = pd_catalog_list_products (db, FALSE, error);
  if (products == NULL)
    return NULL;
  for (guint i = 0; i < products->len && line.product_id == 0; i++)
    {
      const PdProduct *product = products->pdata[i];

      if (g_strcmp0 (product->name, job->product_name) == 0 && product->price == CHECK_PRICE)
        line.product_id = product->id;
    }
  if (line.product_id == 0 &&
      !pd_catalog_add_product (db, job->product_name, CHECK_PRICE, "no_vat", &line.product_id, error))
    return NULL;

  created = pd_catalog_create_invoices (db, &draft, 1, job->test, error);
  if (created == NULL)
    return NULL;
  return pd_catalog_get_invoice (db, created->number, error);
}

static void
check_invoice_created_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(PdWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdInvoice) invoice = pd_store_write_finish (PD_STORE (object), result, &error);
  g_autofree char *url = NULL;

  if (self->disposed)
    return;
  self->saving = FALSE;

  if (invoice == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Paydesk could not create the test invoice: %s"),
                                               error->message);

      fail_step (self, STEP_PREREQUEST, text, PAGE_ADDRESS);
      return;
    }

  if (self->invoice_id != 0)
    pd_store_invoice_changed (PD_STORE (object), self->invoice_id, self->invoice_number);
  pd_store_invoice_changed (PD_STORE (object), invoice->id, invoice->number);

  self->invoice_id = invoice->id;
  g_free (self->invoice_number);
  self->invoice_number = g_strdup (invoice->number);

  url = pd_service_payment_url (self->service, invoice);
  set_payment_url (self, url);

  if (self->check_state != CHECK_RUNNING)
    return;

  mark_step (self, STEP_PREREQUEST, MARK_BUSY,
             self->check_mode == PD_SHOP_MODE_SANDBOX
               ? _("Waiting for you to press Pay on the sandbox page…")
               : _("Waiting for you to pay, and for PayMaster to ask whether the invoice may be paid…"));
  set_check_state (self, CHECK_RUNNING);
  open_payment_url (self);

  self->request_timeout_id = g_timeout_add_seconds (request_timeout (self), request_timeout_cb, self);
}

static void
listener_ready (PdWizard *self)
{
  CheckJob *job;

  mark_step (self, STEP_LISTENER, MARK_DONE, pd_service_get_state_text (self->service));

  job = g_new0 (CheckJob, 1);
  /* Translators: the name of the product the setup check invoices */
  job->product_name = g_strdup (_("Setup check"));
  job->test = pd_shop_mode_is_test (self->check_mode);
  job->previous_invoice_id = self->invoice_id;
  pd_store_write_async (pd_service_get_store (self->service), create_check_invoice, job,
                        (GDestroyNotify) check_job_free, (GDestroyNotify) pd_invoice_free, NULL,
                        check_invoice_created_cb, g_object_ref (self));
}

static void
listener_failed (PdWizard     *self,
                 const GError *error)
{
  self->saving = FALSE;
  /* A missing key is fixed where it is entered; anything else is the
   * address the listener could not take. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    fail_step (self, STEP_LISTENER, error->message, site_fix_page (self));
  else
    fail_step (self, STEP_LISTENER, pd_service_get_state_text (self->service), PAGE_ADDRESS);
}

static void
service_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pd_service_start_finish (PD_SERVICE (object), result, &error))
    {
      if (!self->disposed && self->check_state == CHECK_RUNNING)
        listener_failed (self, error);
      return;
    }
  if (!self->disposed && self->check_state == CHECK_RUNNING)
    listener_ready (self);
}

static void
configured_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PdWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved = pd_service_configure_finish (PD_SERVICE (object), result, &error);

  if (self->disposed)
    return;
  self->configured = pd_service_is_set_up (self->service);
  if (self->check_state != CHECK_RUNNING)
    {
      self->saving = FALSE;
      update_navigation (self);
      return;
    }

  if (!saved)
    {
      /* The listener says why it did not start in the service's state;
       * anything else stopped the settings from being saved. */
      if (self->state_changes != self->state_changes_before &&
          pd_service_get_state (self->service) == PD_SERVICE_FAILED)
        listener_failed (self, error);
      else
        {
          g_autofree char *text = g_strdup_printf (_("Paydesk could not save the settings: %s"),
                                                   error->message);

          self->saving = FALSE;
          fail_step (self, STEP_LISTENER, text, site_fix_page (self));
        }
      return;
    }

  /* Keeping the current key, the service may not have read it yet. */
  if (pd_service_get_state (self->service) != PD_SERVICE_LISTENING)
    {
      pd_service_start_async (self->service, NULL, service_started_cb, g_object_ref (self));
      return;
    }

  listener_ready (self);
}

static void
start_check (PdWizard *self)
{
  g_autoptr(PdShop) shop = build_shop (self);
  g_autofree char *secret = NULL;

  if (is_sandbox (self))
    {
      /* The sandbox signs with whatever key it is given. */
      secret = g_uuid_string_random ();
    }
  else
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));

      /* Empty keeps the current key (the page allows it only then). */
      if (*text != '\0')
        secret = g_strdup (text);
    }

  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  set_payment_url (self, NULL);
  self->check_mode = shop->mode;
  self->check_hash = shop->hash_alg;
  self->timed_out = FALSE;
  self->saving = TRUE;
  self->state_changes_before = self->state_changes;

  for (guint i = 0; i < N_STEPS; i++)
    mark_step (self, i, MARK_PENDING, NULL);
  mark_step (self, STEP_LISTENER, MARK_BUSY, _("Saving the settings and starting the listener…"));
  set_check_state (self, CHECK_RUNNING);

  pd_service_configure_async (self->service, shop, secret, NULL, configured_cb, g_object_ref (self));
}

static void
paid_invoice_read_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PdWizard) self = user_data;
  g_autoptr(PdInvoice) invoice = pd_store_read_finish (PD_STORE (object), result, NULL);
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;

  if (self->disposed || invoice == NULL || invoice->id != self->invoice_id ||
      invoice->status != PD_INVOICE_PAID ||
      (self->check_state != CHECK_RUNNING && self->check_state != CHECK_FAILED))
    return;

  amount = pd_money_format_display (invoice->amount, invoice->currency);
  text = g_strdup_printf (_("Invoice %s is paid: %s."), invoice->number, amount);
  for (guint i = 0; i < N_STEPS; i++)
    if (self->marks[i] == MARK_PENDING || self->marks[i] == MARK_BUSY)
      mark_step (self, i, MARK_DONE, NULL);
  mark_step (self, STEP_PAID, MARK_DONE, text);
  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  self->timed_out = FALSE;
  set_check_state (self, CHECK_PASSED);
}

static void
invoice_changed_cb (PdStore    *store,
                    gint64      invoice_id,
                    const char *number,
                    PdWizard   *self)
{
  if (invoice_id == 0 || invoice_id != self->invoice_id ||
      (self->check_state != CHECK_RUNNING && self->check_state != CHECK_FAILED))
    return;

  pd_store_read_invoice_async (store, invoice_id, NULL, paid_invoice_read_cb, g_object_ref (self));
}

static void
event_recorded_cb (PdStore  *store,
                   gpointer  data,
                   PdWizard *self)
{
  const PdLedgerDecision *decision = data;
  gboolean timed_out = self->timed_out;

  if (self->invoice_id == 0 || decision->invoice_id != self->invoice_id ||
      (self->check_state != CHECK_RUNNING && self->check_state != CHECK_FAILED))
    return;

  /* A request arrived: the address works after all. */
  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  self->timed_out = FALSE;

  if (decision->kind == PD_EVENT_PREREQUEST)
    {
      if (decision->verdict != PD_VERDICT_ACCEPTED)
        {
          fail_step (self, STEP_PREREQUEST, decision->reason, site_fix_page (self));
          return;
        }
      mark_step (self, STEP_PREREQUEST, MARK_DONE, decision->reason);
      if (self->marks[STEP_NOTIFICATION] == MARK_PENDING)
        mark_step (self, STEP_NOTIFICATION, MARK_BUSY, _("Waiting for PayMaster to report the payment…"));
      check_goes_on (self);
      return;
    }

  if (decision->kind != PD_EVENT_NOTIFICATION)
    return;

  /* PayMaster asks first only when the cabinet has the Invoice
   * Confirmation URL; without it payments still work, but unchecked. */
  if (self->marks[STEP_PREREQUEST] == MARK_PENDING || self->marks[STEP_PREREQUEST] == MARK_BUSY ||
      (self->marks[STEP_PREREQUEST] == MARK_FAILED && timed_out))
    mark_step (self, STEP_PREREQUEST, MARK_WARNING,
               _("PayMaster did not ask first. Paste the Invoice Confirmation URL in the PayMaster "
                 "cabinet, so that Paydesk can refuse payments for cancelled or expired invoices."));
  mark_step (self, STEP_NOTIFICATION, MARK_DONE, NULL);

  if (decision->verdict == PD_VERDICT_REJECTED)
    {
      fail_step (self, STEP_SIGNATURE, decision->reason, site_fix_page (self));
      return;
    }

  {
    g_autofree char *text = g_strdup_printf (_("Signed with %s and your secret key."),
                                             hash_names[self->check_hash]);

    mark_step (self, STEP_SIGNATURE, MARK_DONE, text);
  }

  if (decision->verdict == PD_VERDICT_FLAGGED)
    {
      fail_step (self, STEP_PAID, decision->reason, site_fix_page (self));
      return;
    }

  if (self->marks[STEP_PAID] != MARK_DONE)
    mark_step (self, STEP_PAID, MARK_BUSY, _("Recording the payment…"));
  check_goes_on (self);
}

static void
service_state_cb (PdService  *service,
                  GParamSpec *pspec,
                  PdWizard   *self)
{
  self->state_changes++;

  /* The listener stopped under a running check, say by another program. */
  if (self->check_state == CHECK_RUNNING && self->marks[STEP_LISTENER] == MARK_DONE &&
      pd_service_get_state (service) == PD_SERVICE_FAILED)
    fail_step (self, STEP_LISTENER, pd_service_get_state_text (service), PAGE_ADDRESS);
}

/* Navigation */

static void
update_navigation (PdWizard *self)
{
  Page page;
  GtkStackPage *stack_page;
  gboolean next_sensitive = TRUE;

  if (self->loading || self->next_button == NULL)
    return;

  page = current_page (self);
  stack_page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));
  adw_window_title_set_subtitle (self->window_title, gtk_stack_page_get_title (stack_page));

  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          page != PAGE_WELCOME && !(page == PAGE_CHECK && self->check_state == CHECK_PASSED));
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), !self->saving);

  gtk_widget_set_visible (GTK_WIDGET (self->next_button), page != PAGE_CHECK);
  /* Short enough for the header bar at 360 pixels; the tooltip says that
   * it saves. */
  gtk_button_set_label (self->next_button, page == PAGE_ADDRESS ? _("_Check") : _("_Next"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->next_button),
                               page == PAGE_ADDRESS ? _("Save the settings and check them with a test payment")
                                                    : NULL);
  if (page == PAGE_SITE)
    next_sensitive = self->site_valid;
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
    gtk_widget_grab_focus (GTK_WIDGET (self->merchant_id_row));
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
      if (self->site_valid)
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
    stop_check (self);
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
      if (!self->saving)
        go_back_to (self, PAGE_ADDRESS);
      break;

    case PAGE_WELCOME:
    default:
      break;
    }
}

static void
fix_clicked_cb (PdWizard *self)
{
  go_back_to (self, self->fix_page);
}

static void
start_clicked_cb (PdWizard *self)
{
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
  guint port = DEFAULT_PORT;
  gboolean all_interfaces = TRUE;
  g_autofree char *port_text = NULL;

  self->loading = TRUE;

  if (shop != NULL)
    {
      g_autoptr(GSocketAddress) address = pd_parse_listen_address (shop->listen, NULL);
      g_autofree char *default_url = NULL;

      self->current = pd_shop_copy (shop);

      if (address != NULL)
        {
          GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);

          port = g_inet_socket_address_get_port (inet);
          all_interfaces = !g_inet_address_get_is_loopback (g_inet_socket_address_get_address (inet));
        }

      if (shop->mode == PD_SHOP_MODE_SANDBOX)
        gtk_check_button_set_active (self->sandbox_check, TRUE);
      else
        {
          gtk_editable_set_text (GTK_EDITABLE (self->merchant_id_row), shop->merchant_id);
          adw_combo_row_set_selected (self->hash_row, shop->hash_alg);
          gtk_check_button_set_active (shop->mode == PD_SHOP_MODE_LIVE ? self->working_mode_check
                                                                       : self->test_mode_check,
                                       TRUE);
        }

      /* A sandbox address other than this computer's was written by hand. */
      default_url = default_public_url (port);
      self->public_url_edited = shop->mode == PD_SHOP_MODE_SANDBOX &&
                                g_strcmp0 (shop->public_url, default_url) != 0;
      gtk_editable_set_text (GTK_EDITABLE (self->public_url_row), shop->public_url ? shop->public_url : "");
    }

  port_text = g_strdup_printf ("%u", port);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port_text);
  gtk_switch_set_active (self->all_interfaces_switch, all_interfaces);

  self->loading = FALSE;

  update_address_texts (self);
  validate_site (self);
  validate_address (self);
  page_changed_cb (self);
}

static gboolean
pd_wizard_close_request (GtkWindow *window)
{
  PdWizard *self = PD_WIZARD (window);
  GtkApplication *application = gtk_window_get_application (window);

  /* Once the check saves the settings, Paydesk is set up and listens:
   * leaving the wizard then leads to the main window rather than to a
   * Paydesk running with no window at all. */
  if ((self->configured || self->saving) && application != NULL)
    pd_application_show_main_window (PD_APPLICATION (application));

  return GTK_WINDOW_CLASS (pd_wizard_parent_class)->close_request (window);
}

static void
pd_wizard_constructed (GObject *object)
{
  PdWizard *self = PD_WIZARD (object);

  G_OBJECT_CLASS (pd_wizard_parent_class)->constructed (object);

  g_return_if_fail (PD_IS_SERVICE (self->service));

  g_signal_connect_object (self->service, "notify::state", G_CALLBACK (service_state_cb), self, 0);
  g_signal_connect_object (pd_service_get_store (self->service), "event-recorded",
                           G_CALLBACK (event_recorded_cb), self, 0);
  g_signal_connect_object (pd_service_get_store (self->service), "invoice-changed",
                           G_CALLBACK (invoice_changed_cb), self, 0);

  load_current_shop (self);
}

static void
pd_wizard_dispose (GObject *object)
{
  PdWizard *self = PD_WIZARD (object);

  /* Results still on their way find the wizard gone. */
  self->disposed = TRUE;
  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_signal_handlers_disconnect_by_data (pd_service_get_store (self->service), self);
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
  for (guint i = 0; i < N_URLS; i++)
    g_free (self->endpoint_urls[i]);
  g_free (self->invoice_number);
  g_free (self->payment_url);

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
      g_value_set_string (value, self->payment_url);
      break;

    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
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
      if (self->request_timeout != g_value_get_uint (value))
        {
          self->request_timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define BIND_STEP(widget_class, step, prefix)                                                  \
  G_STMT_START {                                                                               \
    gtk_widget_class_bind_template_child_full (widget_class, prefix "_row", FALSE,             \
                                               G_STRUCT_OFFSET (PdWizard, step_rows[step]));   \
    gtk_widget_class_bind_template_child_full (widget_class, prefix "_spinner", FALSE,         \
                                               G_STRUCT_OFFSET (PdWizard, step_spinners[step])); \
    gtk_widget_class_bind_template_child_full (widget_class, prefix "_icon", FALSE,            \
                                               G_STRUCT_OFFSET (PdWizard, step_icons[step]));  \
  } G_STMT_END

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
   * How many seconds the check waits for PayMaster's first request before
   * it says that PayMaster cannot reach Paydesk; 0 waits 3 minutes for a
   * PayMaster site and 30 seconds for the sandbox. Paydesk keeps waiting
   * after that, so a late request still completes the check.
   */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 0, G_MAXUINT / 1000, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-wizard.ui");

  gtk_widget_class_bind_template_child (widget_class, PdWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, site_check);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, sandbox_check);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, merchant_id_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, secret_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, hash_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, site_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, secret_hint_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, test_mode_check);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, working_mode_check);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, public_group);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, port_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, all_interfaces_switch);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, public_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, address_warning_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, endpoints_group);
  gtk_widget_class_bind_template_child_full (widget_class, "confirmation_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizard, url_rows[URL_CONFIRMATION]));
  gtk_widget_class_bind_template_child_full (widget_class, "notification_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizard, url_rows[URL_NOTIFICATION]));
  gtk_widget_class_bind_template_child_full (widget_class, "success_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizard, url_rows[URL_SUCCESS]));
  gtk_widget_class_bind_template_child_full (widget_class, "failure_url_row", FALSE,
                                             G_STRUCT_OFFSET (PdWizard, url_rows[URL_FAILURE]));
  gtk_widget_class_bind_template_child (widget_class, PdWizard, check_hint_label);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, check_icon);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, check_title);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, check_description);
  BIND_STEP (widget_class, STEP_LISTENER, "listener");
  BIND_STEP (widget_class, STEP_PREREQUEST, "prerequest");
  BIND_STEP (widget_class, STEP_NOTIFICATION, "notification");
  BIND_STEP (widget_class, STEP_SIGNATURE, "signature");
  BIND_STEP (widget_class, STEP_PAID, "paid");
  gtk_widget_class_bind_template_child (widget_class, PdWizard, link_group);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, link_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, start_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, fix_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, open_link_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizard, later_button);

  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, site_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, port_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, public_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_confirmation_url_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_notification_url_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_success_url_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_failure_url_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_payment_url_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_link_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fix_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_wizard_init (PdWizard *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;

  for (guint i = 0; i < N_STEPS; i++)
    mark_step (self, i, MARK_PENDING, NULL);
}
