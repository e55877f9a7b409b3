/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pd-money.h"
#include "pd-refund-dialog.h"
#include "pd-refunder.h"

/* Asks the merchant how much of a paid invoice to give back, in full by
 * default, and whether to; then has PayMaster refund it. */

#define RESPONSE_REFUND "refund"

typedef struct
{
  PdService *service;
  char      *number;
  gint64     left;       /* kopecks that can still be refunded */
  char      *currency;
  GtkEntry  *amount_entry;
  GtkLabel  *hint_label;
  gint64     amount;     /* as entered */
  gint64     refunded;   /* as PayMaster refunded it */
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->service);
  g_free (run->number);
  g_free (run->currency);
  g_free (run);
}

static gboolean
read_amount (Run *run)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (run->amount_entry));

  return pd_money_parse_input (text, &run->amount, NULL) && run->amount > 0 && run->amount <= run->left;
}

static void
amount_changed_cb (GtkEditable      *editable,
                   AdwMessageDialog *dialog)
{
  GTask *task = g_object_get_data (G_OBJECT (dialog), "task");
  Run *run = g_task_get_task_data (task);
  gboolean valid = read_amount (run);

  adw_message_dialog_set_response_enabled (dialog, RESPONSE_REFUND, valid);
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (run->amount_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (run->amount_entry), "error");
}

static void
refunded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PdInvoice *invoice = pd_refunder_refund_finish (result, &run->refunded, &error);

  if (invoice == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, invoice, (GDestroyNotify) pd_invoice_free);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  GTask *task = g_object_steal_data (G_OBJECT (dialog), "task");
  Run *run = g_task_get_task_data (task);
  g_autoptr(PdPaymasterApi) api = NULL;

  if (g_strcmp0 (response, RESPONSE_REFUND) != 0 || !read_amount (run))
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }

  api = pd_service_dup_api (run->service);
  pd_refunder_refund_async (pd_service_get_store (run->service), pd_service_get_shop (run->service),
                            api, run->number, run->amount, NULL, refunded_cb, task);
}

static GtkWidget *
amount_box_new (Run *run)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *left = pd_money_format_display (run->left, run->currency);
  g_autofree char *hint = NULL;
  g_autofree char *amount = pd_money_format_input (run->left);

  run->amount_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_text (GTK_EDITABLE (run->amount_entry), amount);
  gtk_entry_set_input_purpose (run->amount_entry, GTK_INPUT_PURPOSE_NUMBER);
  gtk_entry_set_activates_default (run->amount_entry, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (run->amount_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Amount to refund"), -1);

  /* Translators: %s is an amount such as "1 500,00 ₽" */
  hint = g_strdup_printf (_("Up to %s can be refunded."), left);
  run->hint_label = GTK_LABEL (gtk_label_new (hint));
  gtk_widget_add_css_class (GTK_WIDGET (run->hint_label), "dim-label");
  gtk_label_set_wrap (run->hint_label, TRUE);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (run->amount_entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (run->hint_label));
  return box;
}

/**
 * pd_refund_dialog_run_async:
 *
 * Presents the question over @parent. Finishes with the refunded invoice,
 * or with %NULL and no error when the merchant kept the money where it was.
 */
void
pd_refund_dialog_run_async (GtkWindow           *parent,
                            PdService           *service,
                            const PdInvoice     *invoice,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  Run *run = g_new0 (Run, 1);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  g_task_set_source_tag (task, pd_refund_dialog_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  run->service = g_object_ref (service);
  run->number = g_strdup (invoice->number);
  run->left = invoice->amount - invoice->refunded;
  run->currency = g_strdup (invoice->currency);

  /* Translators: %s is the invoice number */
  heading = g_strdup_printf (_("Refund Invoice %s?"), invoice->number);
  dialog = adw_message_dialog_new (parent, heading,
                                   _("PayMaster returns the money to the customer the way they "
                                     "paid. A refund cannot be undone."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), amount_box_new (run));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep the Money"),
                                    RESPONSE_REFUND, _("_Refund"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), RESPONSE_REFUND,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");

  g_object_set_data_full (G_OBJECT (dialog), "task", task, g_object_unref);
  g_signal_connect (run->amount_entry, "changed", G_CALLBACK (amount_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * pd_refund_dialog_run_finish:
 * @refunded: (out) (optional): the kopecks refunded
 *
 * Returns: the invoice after the refund, or %NULL when there was none.
 */
PdInvoice *
pd_refund_dialog_run_finish (GAsyncResult  *result,
                             gint64        *refunded,
                             GError       **error)
{
  Run *run = g_task_get_task_data (G_TASK (result));

  if (refunded != NULL)
    *refunded = run->refunded;
  return g_task_propagate_pointer (G_TASK (result), error);
}
