/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-secrets.h"
#include "pd-test-integration.h"

/* The secret key and the API user's password of one merchant live side by
 * side in the keyring and are never mistaken for each other, whichever
 * was stored last. libsecret's file backend stands in for the keyring. */

#define MERCHANT_ID "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define OTHER_ID    "00000000-0000-4000-8000-000000000001"

static void
assert_lookup (PdSecretKind  kind,
               const char   *merchant_id,
               const char   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = pd_secrets_lookup (kind, merchant_id, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, expected);
}

static void
test_kinds_apart (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_secrets_store (PD_SECRET_KEY, MERCHANT_ID, "the-key", NULL, &error));
  g_assert_true (pd_secrets_store (PD_SECRET_API_PASSWORD, MERCHANT_ID, "the-password", NULL, &error));
  g_assert_no_error (error);
  assert_lookup (PD_SECRET_KEY, MERCHANT_ID, "the-key");
  assert_lookup (PD_SECRET_API_PASSWORD, MERCHANT_ID, "the-password");

  /* Storing the key again after the password changes neither. */
  g_assert_true (pd_secrets_store (PD_SECRET_KEY, MERCHANT_ID, "new-key", NULL, &error));
  assert_lookup (PD_SECRET_KEY, MERCHANT_ID, "new-key");
  assert_lookup (PD_SECRET_API_PASSWORD, MERCHANT_ID, "the-password");
}

static void
test_merchants_apart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;

  g_assert_true (pd_secrets_store (PD_SECRET_KEY, OTHER_ID, "other-key", NULL, &error));
  assert_lookup (PD_SECRET_KEY, OTHER_ID, "other-key");

  missing = pd_secrets_lookup (PD_SECRET_API_PASSWORD, OTHER_ID, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("paydesk-secrets-XXXXXX", &error);
  g_autofree char *keyring = g_build_filename (dir, "keyring", NULL);
  int status;

  /* Before any thread starts: libsecret reads these once. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/secrets/kinds-apart", test_kinds_apart);
  g_test_add_func ("/secrets/merchants-apart", test_merchants_apart);
  status = g_test_run ();

  pd_test_remove_tree (dir);
  return status;
}
