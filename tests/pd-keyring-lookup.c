/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "pd-secrets.h"

/* For the command-line tests: prints what the keyring (libsecret's file
 * backend, as the tests set it) holds for a merchant, so that a test can
 * check what paydesk-cli stored there. Exits 1 when it holds nothing. */

int
main (int    argc,
      char **argv)
{
  static const char * const kinds[PD_N_SECRET_KINDS] = {
    [PD_SECRET_KEY] = "secret-key",
    [PD_SECRET_API_PASSWORD] = "api-password",
    [PD_SECRET_API_TOKEN] = "api-token",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s secret-key|api-password|api-token MERCHANT_ID\n", argv[0]);
      return 2;
    }
  for (guint kind = 0; kind < PD_N_SECRET_KINDS; kind++)
    if (g_str_equal (argv[1], kinds[kind]))
      {
        if ((secret = pd_secrets_lookup (kind, argv[2], NULL, &error)) == NULL)
          {
            fprintf (stderr, "%s\n", error->message);
            return 1;
          }
        printf ("%s\n", secret);
        return 0;
      }
  fprintf (stderr, "unknown kind %s\n", argv[1]);
  return 2;
}
