/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-money.h"
#include "pd-wizard-check-page.h"

/* The setup wizard's last page: PdSetupCheck does the check, this page
 * shows its steps, each with what went wrong when it fails, and opens the
 * payment link of its test invoice. Its buttons lead on through the
 * wizard's "wizard.start" and "wizard.fix" actions, and it copies through
 * "wizard.copy". */

struct _PdWizardCheckPage
{
  AdwPreferencesPage  parent_instance;

  PdSetupCheck       *check;

  /* Template widgets */
  GtkWidget          *check_icon;
  GtkLabel           *check_title;
  GtkLabel           *check_description;
  AdwActionRow       *step_rows[PD_SETUP_N_STEPS];
  GtkSpinner         *step_spinners[PD_SETUP_N_STEPS];
  GtkImage           *step_icons[PD_SETUP_N_STEPS];
  GtkWidget          *link_group;
  AdwActionRow       *link_row;
  GtkWidget          *start_button;
  GtkWidget          *fix_button;
  GtkWidget          *open_link_button;
  GtkWidget          *later_button;
};

G_DEFINE_FINAL_TYPE (PdWizardCheckPage, pd_wizard_check_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CHECK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_step (PdWizardCheckPage *self,
           PdSetupStep        step,
           PdSetupStepState   state,
           const char        *detail)
{
  static const char * const icons[] = {
    [PD_SETUP_STEP_PENDING] = "content-loading-symbolic",
    [PD_SETUP_STEP_DONE] = "object-select-symbolic",
    [PD_SETUP_STEP_WARNING] = "dialog-warning-symbolic",
    [PD_SETUP_STEP_FAILED] = "dialog-error-symbolic",
    [PD_SETUP_STEP_SKIPPED] = "action-unavailable-symbolic",
  };
  static const char * const classes[] = {
    [PD_SETUP_STEP_PENDING] = "dim-label",
    [PD_SETUP_STEP_DONE] = "success",
    [PD_SETUP_STEP_WARNING] = "warning",
    [PD_SETUP_STEP_FAILED] = "error",
    [PD_SETUP_STEP_SKIPPED] = "dim-label",
  };
  GtkWidget *icon = GTK_WIDGET (self->step_icons[step]);

  gtk_spinner_set_spinning (self->step_spinners[step], state == PD_SETUP_STEP_BUSY);
  gtk_widget_set_visible (GTK_WIDGET (self->step_spinners[step]), state == PD_SETUP_STEP_BUSY);
  gtk_widget_set_visible (icon, state != PD_SETUP_STEP_BUSY);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (classes[i] != NULL)
      gtk_widget_remove_css_class (icon, classes[i]);
  if (icons[state] != NULL)
    {
      gtk_image_set_from_icon_name (self->step_icons[step], icons[state]);
      gtk_widget_add_css_class (icon, classes[state]);
    }

  /* A step the check does without reads as dimmed as its icon. */
  if (state == PD_SETUP_STEP_SKIPPED)
    gtk_widget_add_css_class (GTK_WIDGET (self->step_rows[step]), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->step_rows[step]), "dim-label");
  /* Their names depend on the protocol and on how payments arrive. */
  if (self->check != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->step_rows[step]),
                                   pd_setup_check_get_step_title (self->check, step));
  adw_action_row_set_subtitle (self->step_rows[step], detail ? detail : "");
}

static void
step_changed_cb (PdSetupCheck      *check,
                 PdSetupStep        step,
                 PdSetupStepState   state,
                 const char        *detail,
                 PdWizardCheckPage *self)
{
  show_step (self, step, state, detail);
}

static void
update_page (PdWizardCheckPage *self)
{
  PdSetupCheckState state = pd_setup_check_get_state (self->check);
  gboolean has_link = pd_setup_check_get_payment_url (self->check) != NULL;
  const char *icon = "emblem-synchronizing-symbolic";
  const char *title = _("Checking the Setup");
  const char *css_class = "dim-label";

  /* An idle check is one the merchant went back from: its page keeps
   * showing how it ended while it slides away. */
  if (state == PD_SETUP_CHECK_IDLE)
    return;

  if (state == PD_SETUP_CHECK_FAILED)
    {
      icon = "dialog-warning-symbolic";
      title = _("Something Needs Fixing");
      css_class = "error";
    }
  else if (state == PD_SETUP_CHECK_PASSED)
    {
      icon = "object-select-symbolic";
      title = _("Paydesk Is Ready");
      css_class = "success";
    }

  gtk_widget_remove_css_class (self->check_icon, "success");
  gtk_widget_remove_css_class (self->check_icon, "error");
  gtk_widget_remove_css_class (self->check_icon, "dim-label");
  gtk_widget_add_css_class (self->check_icon, css_class);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->check_icon), icon);
  gtk_label_set_label (self->check_title, title);
  gtk_label_set_label (self->check_description, pd_setup_check_get_description (self->check));

  gtk_widget_set_visible (self->start_button, state == PD_SETUP_CHECK_PASSED);
  gtk_widget_set_visible (self->fix_button, state == PD_SETUP_CHECK_FAILED);
  gtk_widget_set_visible (self->open_link_button, has_link && state != PD_SETUP_CHECK_PASSED);
  gtk_widget_set_visible (self->later_button,
                          pd_setup_check_get_configured (self->check) && state != PD_SETUP_CHECK_PASSED);
  gtk_widget_set_visible (self->link_group, has_link);
}

static void
check_state_cb (PdWizardCheckPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  update_page (self);

  switch (pd_setup_check_get_state (self->check))
    {
    case PD_SETUP_CHECK_PASSED:
      if (GTK_IS_WINDOW (root))
        gtk_window_set_default_widget (GTK_WINDOW (root), self->start_button);
      gtk_widget_grab_focus (self->start_button);
      break;

    case PD_SETUP_CHECK_FAILED:
      gtk_widget_grab_focus (self->fix_button);
      break;

    case PD_SETUP_CHECK_IDLE:
    case PD_SETUP_CHECK_RUNNING:
    default:
      break;
    }
}

static char *
check_amount_text (void)
{
  return pd_money_format_display (PD_SETUP_CHECK_PRICE, "RUB");
}

static void
uri_shown_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PdWizardCheckPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* With no browser the merchant can still copy the link. A page
   * disposed since has no check any more. */
  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error) && self->check != NULL)
    {
      g_autofree char *amount = check_amount_text ();
      g_autofree char *text = g_strdup_printf (_("Invoice %s for %s. No browser opened its payment link: "
                                                 "copy the link and open it in a browser."),
                                               pd_setup_check_get_invoice_number (self->check), amount);

      g_debug ("Cannot open the payment link: %s", error->message);
      adw_action_row_set_subtitle (self->link_row, text);
    }
}

static void
open_payment_url (PdWizardCheckPage *self)
{
  g_autofree char *amount = check_amount_text ();
  g_autofree char *text = g_strdup_printf (_("Invoice %s for %s. Its payment link opened in your browser."),
                                           pd_setup_check_get_invoice_number (self->check), amount);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  adw_action_row_set_subtitle (self->link_row, text);
  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                     pd_setup_check_get_payment_url (self->check), GDK_CURRENT_TIME,
                     NULL, uri_shown_cb, g_object_ref (self));
}

/* A running check sets the link once its invoice is issued: time to pay. */
static void
payment_url_cb (PdWizardCheckPage *self)
{
  update_page (self);
  if (pd_setup_check_get_payment_url (self->check) != NULL &&
      pd_setup_check_get_state (self->check) == PD_SETUP_CHECK_RUNNING)
    open_payment_url (self);
}

static void
open_link_clicked_cb (PdWizardCheckPage *self)
{
  if (self->check != NULL && pd_setup_check_get_payment_url (self->check) != NULL)
    open_payment_url (self);
}

static void
copy_payment_url_cb (PdWizardCheckPage *self)
{
  const char *url = self->check ? pd_setup_check_get_payment_url (self->check) : NULL;

  if (url != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "wizard.copy", "s", url);
}

PdSetupCheck *
pd_wizard_check_page_get_check (PdWizardCheckPage *self)
{
  g_return_val_if_fail (PD_IS_WIZARD_CHECK_PAGE (self), NULL);
  return self->check;
}

/**
 * pd_wizard_check_page_set_check:
 * @check: (nullable): the check to show
 *
 * Shows @check's steps as they go, from all pending.
 */
void
pd_wizard_check_page_set_check (PdWizardCheckPage *self,
                                PdSetupCheck      *check)
{
  g_return_if_fail (PD_IS_WIZARD_CHECK_PAGE (self));
  g_return_if_fail (check == NULL || PD_IS_SETUP_CHECK (check));

  if (self->check == check)
    return;

  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_set_object (&self->check, check);

  if (check != NULL)
    {
      g_signal_connect_object (check, "step-changed", G_CALLBACK (step_changed_cb), self, 0);
      g_signal_connect_object (check, "notify::state", G_CALLBACK (check_state_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (check, "notify::payment-url", G_CALLBACK (payment_url_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (check, "notify::description", G_CALLBACK (update_page), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (check, "notify::configured", G_CALLBACK (update_page), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (check, "notify::saving", G_CALLBACK (update_page), self,
                               G_CONNECT_SWAPPED);
      for (guint i = 0; i < PD_SETUP_N_STEPS; i++)
        show_step (self, i, PD_SETUP_STEP_PENDING, NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECK]);
}

static void
pd_wizard_check_page_dispose (GObject *object)
{
  PdWizardCheckPage *self = PD_WIZARD_CHECK_PAGE (object);

  pd_wizard_check_page_set_check (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_WIZARD_CHECK_PAGE);

  G_OBJECT_CLASS (pd_wizard_check_page_parent_class)->dispose (object);
}

static void
pd_wizard_check_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PdWizardCheckPage *self = PD_WIZARD_CHECK_PAGE (object);

  switch (prop_id)
    {
    case PROP_CHECK:
      g_value_set_object (value, self->check);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_wizard_check_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PdWizardCheckPage *self = PD_WIZARD_CHECK_PAGE (object);

  switch (prop_id)
    {
    case PROP_CHECK:
      pd_wizard_check_page_set_check (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define BIND_STEP(widget_class, step, prefix)                                                           \
  G_STMT_START {                                                                                        \
    gtk_widget_class_bind_template_child_full (widget_class, prefix "_row", FALSE,                      \
                                               G_STRUCT_OFFSET (PdWizardCheckPage, step_rows[step]));   \
    gtk_widget_class_bind_template_child_full (widget_class, prefix "_spinner", FALSE,                  \
                                               G_STRUCT_OFFSET (PdWizardCheckPage, step_spinners[step])); \
    gtk_widget_class_bind_template_child_full (widget_class, prefix "_icon", FALSE,                     \
                                               G_STRUCT_OFFSET (PdWizardCheckPage, step_icons[step]));  \
  } G_STMT_END

static void
pd_wizard_check_page_class_init (PdWizardCheckPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_wizard_check_page_dispose;
  object_class->get_property = pd_wizard_check_page_get_property;
  object_class->set_property = pd_wizard_check_page_set_property;

  /**
   * PdWizardCheckPage:check:
   *
   * The check the page shows.
   */
  properties[PROP_CHECK] =
    g_param_spec_object ("check", NULL, NULL, PD_TYPE_SETUP_CHECK,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-wizard-check-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWizardCheckPage, check_icon);
  gtk_widget_class_bind_template_child (widget_class, PdWizardCheckPage, check_title);
  gtk_widget_class_bind_template_child (widget_class, PdWizardCheckPage, check_description);
  BIND_STEP (widget_class, PD_SETUP_STEP_LISTENER, "listener");
  BIND_STEP (widget_class, PD_SETUP_STEP_PREREQUEST, "prerequest");
  BIND_STEP (widget_class, PD_SETUP_STEP_NOTIFICATION, "notification");
  BIND_STEP (widget_class, PD_SETUP_STEP_SIGNATURE, "signature");
  BIND_STEP (widget_class, PD_SETUP_STEP_PAID, "paid");
  gtk_widget_class_bind_template_child (widget_class, PdWizardCheckPage, link_group);
  gtk_widget_class_bind_template_child (widget_class, PdWizardCheckPage, link_row);
  gtk_widget_class_bind_template_child (widget_class, PdWizardCheckPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizardCheckPage, fix_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizardCheckPage, open_link_button);
  gtk_widget_class_bind_template_child (widget_class, PdWizardCheckPage, later_button);

  gtk_widget_class_bind_template_callback (widget_class, copy_payment_url_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_link_clicked_cb);
}

static void
pd_wizard_check_page_init (PdWizardCheckPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
