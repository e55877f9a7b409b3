/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-invoices-page.h"
#include "pd-payments-page.h"
#include "pd-products-page.h"
#include "pd-window.h"

struct _PdWindow
{
  AdwApplicationWindow  parent_instance;

  PdService            *service;
  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  PdInvoicesPage       *invoices_page;
  PdProductsPage       *products_page;
  PdPaymentsPage       *payments_page;
  GtkWidget            *listener_bar;
  GtkImage             *listener_icon;
  GtkLabel             *listener_label;
  GtkWidget            *sync_box;
  GtkImage             *sync_icon;
  GtkLabel             *sync_label;
  GtkWidget            *sync_button;
  GtkRevealer          *test_mode_revealer;
};

G_DEFINE_FINAL_TYPE (PdWindow, pd_window, ADW_TYPE_APPLICATION_WINDOW)

void
pd_window_show_toast (PdWindow   *self,
                      const char *text)
{
  g_return_if_fail (PD_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

void
pd_window_show_page (PdWindow   *self,
                     const char *name)
{
  g_return_if_fail (PD_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->stack, name);
}

/* The listener's state is always in sight: where it listens, or what went
 * wrong and what to do about it. */
static void
update_listener_bar (PdWindow *self)
{
  PdServiceState state = pd_service_get_state (self->service);
  gboolean failed = state == PD_SERVICE_FAILED;

  gtk_label_set_label (self->listener_label, pd_service_get_state_text (self->service));
  gtk_image_set_from_icon_name (self->listener_icon,
                                state == PD_SERVICE_LISTENING ? "network-receive-symbolic"
                                : failed ? "dialog-warning-symbolic" : "network-offline-symbolic");
  if (failed)
    gtk_widget_add_css_class (self->listener_bar, "error");
  else
    gtk_widget_remove_css_class (self->listener_bar, "error");
}

static void
service_state_cb (PdService  *service,
                  GParamSpec *pspec,
                  PdWindow   *self)
{
  update_listener_bar (self);
}

/* When Paydesk also checks with PayMaster by itself, when it last did and
 * what went wrong are next to the listener's state. */
static void
update_sync_state (PdWindow *self)
{
  PdSyncSchedule *schedule = pd_service_get_sync_schedule (self->service);
  const char *text = pd_sync_schedule_get_state_text (schedule);
  gboolean failed = FALSE;

  g_object_get (schedule, "failed", &failed, NULL);
  gtk_widget_set_visible (self->sync_box, pd_sync_schedule_get_enabled (schedule));
  gtk_label_set_label (self->sync_label, text ? text : "");
  gtk_widget_set_sensitive (self->sync_button, !pd_sync_schedule_get_busy (schedule));
  gtk_image_set_from_icon_name (self->sync_icon,
                                failed ? "dialog-warning-symbolic" : "emblem-synchronizing-symbolic");
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->sync_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->sync_label), "error");
}

static void
sync_state_cb (PdSyncSchedule *schedule,
               GParamSpec     *pspec,
               PdWindow       *self)
{
  update_sync_state (self);
}

static void
sync_now_cb (PdWindow *self)
{
  pd_sync_schedule_sync_now (pd_service_get_sync_schedule (self->service));
}

static void
test_payment_on_live_shop_cb (PdService *service,
                              PdWindow  *self)
{
  gtk_revealer_set_reveal_child (self->test_mode_revealer, TRUE);
}

static void
show_payments_cb (PdWindow *self)
{
  pd_window_show_page (self, "payments");
}

/* The window's size belongs to this desktop, not to the shop, so it lives
 * in GSettings. A build run from its folder may have no schema installed:
 * then the size is simply not remembered. */
static void
bind_window_state (PdWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.paydesk.Paydesk", TRUE);
  if (schema == NULL)
    return;

  self->settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

PdWindow *
pd_window_new (PdApplication *application)
{
  PdWindow *self = g_object_new (PD_TYPE_WINDOW, "application", application, NULL);

  self->service = g_object_ref (pd_application_get_service (application));
  pd_invoices_page_set_service (self->invoices_page, self->service);
  pd_products_page_set_service (self->products_page, self->service);
  pd_payments_page_set_service (self->payments_page, self->service);

  g_signal_connect_object (self->service, "notify::state-text", G_CALLBACK (service_state_cb), self, 0);
  g_signal_connect_object (self->service, "test-payment-on-live-shop",
                           G_CALLBACK (test_payment_on_live_shop_cb), self, 0);
  g_signal_connect_object (pd_service_get_sync_schedule (self->service), "notify",
                           G_CALLBACK (sync_state_cb), self, 0);
  update_listener_bar (self);
  update_sync_state (self);
  bind_window_state (self);
  return self;
}

static void
pd_window_dispose (GObject *object)
{
  PdWindow *self = PD_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_WINDOW);
  g_clear_object (&self->service);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pd_window_parent_class)->dispose (object);
}

static void
pd_window_class_init (PdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_window_dispose;

  g_type_ensure (PD_TYPE_INVOICES_PAGE);
  g_type_ensure (PD_TYPE_PRODUCTS_PAGE);
  g_type_ensure (PD_TYPE_PAYMENTS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, invoices_page);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, products_page);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, payments_page);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, listener_bar);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, listener_icon);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, listener_label);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, test_mode_revealer);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, sync_box);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, sync_button);
  gtk_widget_class_bind_template_callback (widget_class, sync_now_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_payments_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
pd_window_init (PdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
