/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-form.h"

#include "pd-test-utils.h"

/* "Payment for an order", as a Russian shop would write it. */
#define CYRILLIC_TEXT "Оплата заказа"

static PdForm *
parse_ok (const char *body)
{
  g_autoptr(GError) error = NULL;
  PdForm *form = pd_form_parse (body, strlen (body), &error);

  g_assert_no_error (error);
  g_assert_nonnull (form);
  return form;
}

static void
assert_field (const PdForm *form,
              guint         index,
              const char   *name,
              const char   *value)
{
  const char *got_name = NULL;
  const char *got_value = NULL;

  g_assert_cmpuint (index, <, pd_form_get_n_fields (form));
  pd_form_get_field (form, index, &got_name, &got_value);
  g_assert_cmpstr (got_name, ==, name);
  g_assert_cmpstr (got_value, ==, value);
}

static void
assert_parse_fails (const char *body,
                    gsize       length,
                    int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdForm) form = pd_form_parse (body, length, &error);

  if (form != NULL)
    pd_test_fail_case ("pd_form_parse (\"%s\") succeeded, expected error %d", body, code);
  else if (!g_error_matches (error, PD_FORM_ERROR, code))
    pd_test_fail_case ("pd_form_parse (\"%s\") failed with %s (code %d), expected code %d",
                       body, error ? error->message : "no error",
                       error ? error->code : -1, code);
}

static void
test_parse_simple (void)
{
  g_autoptr(PdForm) form = parse_ok ("LMI_MERCHANT_ID=abc&LMI_PAYMENT_NO=42");

  g_assert_cmpuint (pd_form_get_n_fields (form), ==, 2);
  g_assert_cmpstr (pd_form_get (form, "LMI_MERCHANT_ID"), ==, "abc");
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_NO"), ==, "42");
  g_assert_null (pd_form_get (form, "LMI_HASH"));
  g_assert_cmpuint (pd_form_count (form, "LMI_HASH"), ==, 0);
  /* Names are case-sensitive. */
  g_assert_null (pd_form_get (form, "lmi_merchant_id"));
}

static void
test_parse_plus (void)
{
  g_autoptr(PdForm) form = parse_ok ("desc=hello+world&a+b=c+&plus=%2B");

  g_assert_cmpstr (pd_form_get (form, "desc"), ==, "hello world");
  g_assert_cmpstr (pd_form_get (form, "a b"), ==, "c ");
  g_assert_cmpstr (pd_form_get (form, "plus"), ==, "+");
}

static void
test_parse_percent (void)
{
  g_autoptr(PdForm) form = parse_ok ("upper=%3A%2F%3D%2B&lower=%3a%2f%3d%2b&mixed=%4a%4B"
                                     "&date=2016-01-26T10%3a53%3a35&sp=a%20b");

  g_assert_cmpstr (pd_form_get (form, "upper"), ==, ":/=+");
  g_assert_cmpstr (pd_form_get (form, "lower"), ==, ":/=+");
  g_assert_cmpstr (pd_form_get (form, "mixed"), ==, "JK");
  g_assert_cmpstr (pd_form_get (form, "date"), ==, "2016-01-26T10:53:35");
  g_assert_cmpstr (pd_form_get (form, "sp"), ==, "a b");
}

static void
test_parse_percent_in_name (void)
{
  g_autoptr(PdForm) form = parse_ok ("LMI%5FHASH=x&a%3db=c");

  g_assert_cmpstr (pd_form_get (form, "LMI_HASH"), ==, "x");
  g_assert_cmpstr (pd_form_get (form, "a=b"), ==, "c");
}

static void
test_parse_repeated (void)
{
  g_autoptr(PdForm) form = parse_ok ("a=1&b=2&a=3&a=4");

  g_assert_cmpuint (pd_form_get_n_fields (form), ==, 4);
  g_assert_cmpuint (pd_form_count (form, "a"), ==, 3);
  g_assert_cmpuint (pd_form_count (form, "b"), ==, 1);
  g_assert_cmpuint (pd_form_count (form, "c"), ==, 0);
  /* The first occurrence wins for pd_form_get; all are kept in order. */
  g_assert_cmpstr (pd_form_get (form, "a"), ==, "1");
  assert_field (form, 0, "a", "1");
  assert_field (form, 1, "b", "2");
  assert_field (form, 2, "a", "3");
  assert_field (form, 3, "a", "4");
}

static void
test_parse_empty_segments (void)
{
  g_autoptr(PdForm) form = parse_ok ("a=1&&b=2");
  g_autoptr(PdForm) edges = parse_ok ("&&a=1&&&b=2&");
  g_autoptr(PdForm) only_amps = parse_ok ("&&&");
  g_autoptr(PdForm) empty = parse_ok ("");

  g_assert_cmpuint (pd_form_get_n_fields (form), ==, 2);
  assert_field (form, 0, "a", "1");
  assert_field (form, 1, "b", "2");

  g_assert_cmpuint (pd_form_get_n_fields (edges), ==, 2);
  assert_field (edges, 0, "a", "1");
  assert_field (edges, 1, "b", "2");

  g_assert_cmpuint (pd_form_get_n_fields (only_amps), ==, 0);
  g_assert_cmpuint (pd_form_get_n_fields (empty), ==, 0);
}

static void
test_parse_no_equals (void)
{
  g_autoptr(PdForm) form = parse_ok ("flag&a=1&empty=&b=x=y");

  g_assert_cmpuint (pd_form_get_n_fields (form), ==, 4);
  assert_field (form, 0, "flag", "");
  assert_field (form, 1, "a", "1");
  assert_field (form, 2, "empty", "");
  /* Only the first '=' separates the name from the value. */
  assert_field (form, 3, "b", "x=y");
  g_assert_cmpuint (pd_form_count (form, "flag"), ==, 1);
}

static void
test_parse_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdForm) form = NULL;
  const char *body = "a=1&b=2";

  /* Only the first length bytes count. */
  form = pd_form_parse (body, 3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (form);
  g_assert_cmpuint (pd_form_get_n_fields (form), ==, 1);
  g_assert_cmpstr (pd_form_get (form, "a"), ==, "1");
  g_assert_null (pd_form_get (form, "b"));
}

static void
test_parse_cyrillic (void)
{
  g_autoptr(PdForm) upper = parse_ok ("d=%D0%9E%D0%BF%D0%BB%D0%B0%D1%82%D0%B0+"
                                      "%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7%D0%B0");
  g_autoptr(PdForm) lower = parse_ok ("d=%d0%9e%d0%bf%d0%bb%d0%b0%d1%82%d0%b0%20"
                                      "%d0%b7%d0%b0%d0%ba%d0%b0%d0%b7%d0%b0");
  g_autoptr(PdForm) raw = parse_ok ("d=" CYRILLIC_TEXT);

  g_assert_cmpstr (pd_form_get (upper, "d"), ==, CYRILLIC_TEXT);
  g_assert_cmpstr (pd_form_get (lower, "d"), ==, CYRILLIC_TEXT);
  g_assert_cmpstr (pd_form_get (raw, "d"), ==, CYRILLIC_TEXT);
}

static void
test_parse_bad_escape (void)
{
  static const char *bodies[] = {
    "a=%zz",
    "a=%4",
    "a=%",
    "a=%4&b=1",
    "a=%&b=1",
    "a=%g0",
    "a=%0g",
    "a=1%",
    "%zz=1",
    "%=1",
    "a=1&b=%4",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    assert_parse_fails (bodies[i], strlen (bodies[i]), PD_FORM_ERROR_ESCAPE);
}

static void
test_parse_bad_encoding (void)
{
  static const char *bodies[] = {
    "a=%ff",
    "a=%FF",
    "a=%00",
    "a=x%00y",
    "%00=1",
    "%ff=1",
    "a=%d0",          /* a truncated two-byte sequence */
    "a=%c0%af",       /* an overlong '/' */
    "a=%ed%a0%80",    /* a UTF-16 surrogate */
    "a=1&b=%80",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    assert_parse_fails (bodies[i], strlen (bodies[i]), PD_FORM_ERROR_ENCODING);
}

static void
test_parse_raw_nul (void)
{
  /* A NUL byte inside the body itself, not escaped. */
  static const char body[] = "a=1\0b&c=2";

  assert_parse_fails (body, sizeof body - 1, PD_FORM_ERROR_ENCODING);
}

static void
test_parse_raw_invalid_utf8 (void)
{
  assert_parse_fails ("a=\377", 3, PD_FORM_ERROR_ENCODING);
}

static void
test_add_set (void)
{
  g_autoptr(PdForm) form = pd_form_new ();

  g_assert_cmpuint (pd_form_get_n_fields (form), ==, 0);
  pd_form_add (form, "a", "1");
  pd_form_add (form, "a", "2");
  pd_form_add (form, "n", NULL);
  g_assert_cmpuint (pd_form_count (form, "a"), ==, 2);
  g_assert_cmpstr (pd_form_get (form, "n"), ==, "");

  pd_form_set (form, "a", "x");
  g_assert_cmpstr (pd_form_get (form, "a"), ==, "x");
  g_assert_cmpuint (pd_form_get_n_fields (form), ==, 3);

  pd_form_set (form, "b", "y");
  g_assert_cmpuint (pd_form_get_n_fields (form), ==, 4);
  assert_field (form, 3, "b", "y");
}

static void
test_encode_escapes (void)
{
  g_autoptr(PdForm) form = pd_form_new ();
  g_autofree char *encoded = NULL;

  pd_form_add (form, "plus", "a+b");
  pd_form_add (form, "slash", "a/b");
  pd_form_add (form, "eq", "a=b");
  pd_form_add (form, "space", "a b");
  pd_form_add (form, "amp", "a&b");
  pd_form_add (form, "pct", "100%");
  pd_form_add (form, "safe", "Az09-_.~");

  encoded = pd_form_encode (form);
  g_assert_cmpstr (encoded, ==,
                   "plus=a%2Bb&slash=a%2Fb&eq=a%3Db&space=a%20b&amp=a%26b&pct=100%25"
                   "&safe=Az09-_.~");
}

static void
test_encode_append (void)
{
  g_autoptr(GString) out = g_string_new ("x=");

  pd_form_append_encoded (out, "m8bC/0+=");
  g_assert_cmpstr (out->str, ==, "x=m8bC%2F0%2B%3D");
}

static void
test_encode_round_trip (void)
{
  static const struct {
    const char *name;
    const char *value;
  } fields[] = {
    { "LMI_HASH", "m8bC0NMnyUrcr/XZXe4HaT0OkKjDLqLG2Rqo9GZZ0ys=" },
    { "LMI_PAYMENT_DESC", CYRILLIC_TEXT },
    { "with space", "a b  c " },
    { "symbols", "+/=&?#%;:@!$'()*,[]\"<>\\^`{|}" },
    { "empty", "" },
    { "LMI_HASH", "second+occurrence" },
    { "newline", "line1\r\nline2\ttab" },
  };
  g_autoptr(PdForm) form = pd_form_new ();
  g_autoptr(PdForm) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *encoded = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    pd_form_add (form, fields[i].name, fields[i].value);

  encoded = pd_form_encode (form);
  g_assert_null (strchr (encoded, '+'));
  g_assert_null (strchr (encoded, '/'));
  g_assert_null (strchr (encoded, ' '));

  back = pd_form_parse (encoded, strlen (encoded), &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpuint (pd_form_get_n_fields (back), ==, G_N_ELEMENTS (fields));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    assert_field (back, i, fields[i].name, fields[i].value);
}

static void
test_encode_round_trip_all_bytes (void)
{
  g_autoptr(PdForm) form = pd_form_new ();
  g_autoptr(PdForm) back = NULL;
  g_autofree char *encoded = NULL;
  char ascii[128];

  /* Every ASCII character but NUL, which a form value cannot hold. */
  for (guint i = 1; i < 128; i++)
    ascii[i - 1] = (char) i;
  ascii[127] = '\0';

  pd_form_add (form, ascii, ascii);
  encoded = pd_form_encode (form);
  back = parse_ok (encoded);
  g_assert_cmpuint (pd_form_get_n_fields (back), ==, 1);
  assert_field (back, 0, ascii, ascii);
}

static void
test_encode_empty (void)
{
  g_autoptr(PdForm) form = pd_form_new ();
  g_autofree char *encoded = pd_form_encode (form);

  g_assert_cmpstr (encoded, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/form/parse/simple", test_parse_simple);
  g_test_add_func ("/form/parse/plus-is-space", test_parse_plus);
  g_test_add_func ("/form/parse/percent-hex", test_parse_percent);
  g_test_add_func ("/form/parse/percent-in-name", test_parse_percent_in_name);
  g_test_add_func ("/form/parse/repeated", test_parse_repeated);
  g_test_add_func ("/form/parse/empty-segments", test_parse_empty_segments);
  g_test_add_func ("/form/parse/no-equals", test_parse_no_equals);
  g_test_add_func ("/form/parse/length", test_parse_length);
  g_test_add_func ("/form/parse/cyrillic", test_parse_cyrillic);
  g_test_add_func ("/form/parse/bad-escape", test_parse_bad_escape);
  g_test_add_func ("/form/parse/bad-encoding", test_parse_bad_encoding);
  g_test_add_func ("/form/parse/raw-nul", test_parse_raw_nul);
  g_test_add_func ("/form/parse/raw-invalid-utf8", test_parse_raw_invalid_utf8);
  g_test_add_func ("/form/add-set", test_add_set);
  g_test_add_func ("/form/encode/escapes", test_encode_escapes);
  g_test_add_func ("/form/encode/append", test_encode_append);
  g_test_add_func ("/form/encode/round-trip", test_encode_round_trip);
  g_test_add_func ("/form/encode/round-trip-all-bytes", test_encode_round_trip_all_bytes);
  g_test_add_func ("/form/encode/empty", test_encode_empty);

  return g_test_run ();
}
