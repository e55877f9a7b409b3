#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# paydesk-cli end to end, as a merchant or a script uses it: exit codes,
# one-line errors, setup, products, invoices, serve with the built-in
# sandbox paying a real invoice over loopback, and bad input that must
# leave the database untouched. Prints TAP.
set -u

cli=${PAYDESK_CLI:?PAYDESK_CLI must point at paydesk-cli}
keyring_lookup=${PD_KEYRING_LOOKUP:?PD_KEYRING_LOOKUP must point at pd-keyring-lookup}
work=$(mktemp -d)
serve_pid=
sandbox_pid=
trap 'kill $serve_pid $sandbox_pid 2>/dev/null; rm -rf "$work"' EXIT

export PAYDESK_DB=$work/paydesk.db
export SECRET_BACKEND=file
export SECRET_FILE_TEST_PATH=$work/keyring
export SECRET_FILE_TEST_PASSWORD=test
unset XDG_DATA_HOME

merchant=ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6
secret='Сек-ret/+=;key'
n=0
failures=0

ok () {
  n=$((n + 1))
  echo "ok $n - $1"
}

not_ok () {
  n=$((n + 1))
  failures=$((failures + 1))
  echo "not ok $n - $1"
  shift
  for line in "$@"; do echo "# $line"; done
}

# check NAME EXPECTED_STATUS COMMAND...: runs COMMAND, keeps its output in
# $out and $err, and checks the exit status and that stderr is one line.
check () {
  local name=$1 expected=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err" </dev/null
  local status=$?
  out=$(cat "$work/out")
  err=$(cat "$work/err")
  if [ "$status" -ne "$expected" ]; then
    not_ok "$name" "exit status $status, expected $expected" "stderr: $err"
  elif [ "$expected" -ne 0 ] && [ "$(wc -l <"$work/err")" -ne 1 ]; then
    # Runtime errors and usage errors alike: one line that says what to do.
    not_ok "$name" "expected a one-line reason on stderr, got:" "$err"
  else
    ok "$name"
  fi
}

expect_match () {
  local name=$1 pattern=$2 text=$3
  if printf '%s' "$text" | grep -Eq -- "$pattern"; then ok "$name"; else not_ok "$name" "no match for /$pattern/ in: $text"; fi
}

expect_equal () {
  local name=$1 expected=$2 text=$3
  if [ "$text" = "$expected" ]; then ok "$name"; else not_ok "$name" "expected: $expected" "got: $text"; fi
}

json_field () {
  python3 -c 'import json,sys; v=json.load(sys.stdin)[sys.argv[1]]; print(json.dumps(v) if not isinstance(v,str) else v)' "$1"
}

# pay_cpay BASE URL ACTION: presses ACTION on the REST v2 payment page at
# URL, served from BASE, as a browser would; prints the page it ends on.
pay_cpay () {
  local action
  action=$(curl -s "$2" | grep -o '<form method="post" action="[^"]*"' | sed 's/.*action="//; s/"$//; s/&amp;/\&/g')
  curl -s -X POST "$1$action" --data "action=$3"
}

# kinds_and_verdicts: "kind:verdict" of each event in $out (events --json).
kinds_and_verdicts () {
  printf '%s' "$out" | python3 -c 'import json,sys; print(" ".join(e["kind"] + ":" + e["verdict"] for e in json.load(sys.stdin)))'
}

db_snapshot () {
  sqlite3 "$PAYDESK_DB" "SELECT count(*) FROM products; SELECT count(*) FROM invoices; SELECT group_concat(key||'='||value) FROM settings;" 2>/dev/null
}

# Usage errors: exit 2.
check "no command is a usage error" 2 "$cli"
check "an unknown command is a usage error" 2 "$cli" frobnicate
check "setup without options is a usage error" 2 "$cli" setup
check "setup with a malformed identifier is a usage error" 2 "$cli" setup --merchant-id 12345 --hash sha256 --mode test
expect_match "the identifier error says what an identifier looks like" "ebc4f3fe" "$err"
check "setup with an unknown hash is a usage error" 2 "$cli" setup --merchant-id $merchant --hash sha512 --mode test
check "setup with an unknown mode is a usage error" 2 "$cli" setup --merchant-id $merchant --hash sha256 --mode prod
check "setup with a bad listen address is a usage error" 2 "$cli" setup --merchant-id $merchant --hash sha256 --mode test --listen nowhere
check "setup with a bad public URL is a usage error" 2 "$cli" setup --merchant-id $merchant --hash sha256 --mode test --public-url ftp://x
check "setup with an unknown protocol is a usage error" 2 "$cli" setup --merchant-id $merchant --mode test --protocol v3
expect_match "the protocol error names the allowed values" "classic or v2" "$err"

# Runtime errors on a database that is not set up: exit 1.
check "serve before setup fails with a reason" 1 "$cli" serve --listen 127.0.0.1:0
expect_match "the reason says to run setup" "setup" "$err"
check "invoice create before setup fails" 1 "$cli" invoice create --product 1

# Setup in sandbox mode with the secret on standard input.
printf '%s\n' "$secret" >"$work/secret"
if "$cli" setup --merchant-id $merchant --hash sha256 --mode sandbox --listen 127.0.0.1:0 \
     --public-url http://127.0.0.1:1 <"$work/secret" >"$work/out" 2>&1; then
  ok "setup reads the secret from standard input"
else
  not_ok "setup reads the secret from standard input" "$(cat "$work/out")"
fi
expect_match "setup prints the URLs to paste into the cabinet" "Payment Notification URL: http://127.0.0.1:1/paymaster/notify" "$(cat "$work/out")"

if grep -aq -- "$secret" "$PAYDESK_DB" "$PAYDESK_DB-wal" 2>/dev/null; then
  not_ok "the secret key is not in the database"
else
  ok "the secret key is not in the database"
fi

# Products.
check "product add prints the new id" 0 "$cli" product add --name "Чай зелёный" --price 50
expect_match "the first product is 1" "^1$" "$out"
before=$(db_snapshot)
check "a price with three decimals is refused" 2 "$cli" product add --name X --price 50.001
check "a negative price is refused" 2 "$cli" product add --name X --price -5
check "an exponent is refused" 2 "$cli" product add --name X --price 1e3
check "an unknown VAT tag is refused" 2 "$cli" product add --name X --price 5 --vat vat99
check "an empty name is refused" 1 "$cli" product add --name "  " --price 5
if [ "$(db_snapshot)" = "$before" ]; then ok "refused products change nothing"; else not_ok "refused products change nothing"; fi
check "product list --json" 0 "$cli" product list --json
expect_match "product list shows the price with two decimals" '"price" *: *"50.00"' "$out"

# Invoices.
check "invoice for an unknown product fails" 1 "$cli" invoice create --product 99
expect_match "the reason names the product" "99" "$err"
if [ "$(db_snapshot)" = "$before" ]; then ok "a refused invoice changes nothing"; else not_ok "a refused invoice changes nothing"; fi
check "invoice create --json" 0 "$cli" invoice create --product 1 --qty 2 --email buyer@example.org --json
created=$out
expect_match "invoice create --json has the contract fields" '"number":"1","amount":"100.00","currency":"RUB","status":"issued"' "$created"
check "invoice create --count 1000" 0 "$cli" invoice create --product 1 --count 1000
lines=$(printf '%s\n' "$out" | wc -l)
first=$(printf '%s\n' "$out" | head -n 1 | json_field number)
last=$(printf '%s\n' "$out" | tail -n 1 | json_field number)
if [ "$lines" -eq 1000 ] && [ "$first" = 2 ] && [ "$last" = 1001 ]; then
  ok "--count prints one JSON line per invoice with consecutive numbers"
else
  not_ok "--count prints one JSON line per invoice with consecutive numbers" "lines=$lines first=$first last=$last"
fi
check "invoice list --status issued --json" 0 "$cli" invoice list --status issued --json
count=$(printf '%s' "$out" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
if [ "$count" = 1001 ]; then ok "invoice list finds every issued invoice"; else not_ok "invoice list finds every issued invoice" "got $count"; fi
check "invoice list with a bad status is a usage error" 2 "$cli" invoice list --status sold
check "invoice show of an unknown number fails" 1 "$cli" invoice show 424242 --json

# 54-FZ receipts: what each product's lines say, the defaults, the
# customer's contact, and the cart in the link.
check "product defaults shows the built-in defaults" 0 "$cli" product defaults --json
expect_match "no VAT, goods, full payment while unset" '"vat" *: *"no_vat", *"subject" *: *1, *"method" *: *4' "$out"
before=$(db_snapshot)
check "an unknown VAT rate is refused" 2 "$cli" product add --name X --price 5 --vat vat18
expect_match "the reason lists the rates, new ones too" "no_vat, vat0, vat5, .*vat122" "$err"
check "an unknown payment subject is refused" 2 "$cli" product add --name X --price 5 --subject 20
expect_match "the reason lists the subjects" "1 \(Goods\), 2 \(Excise goods\)" "$err"
check "a payment subject that is not a number is refused" 2 "$cli" product add --name X --price 5 --subject goods
check "an unknown payment method is refused" 2 "$cli" product add --name X --price 5 --method 0
expect_match "the reason lists the methods" "4 \(Full payment\)" "$err"
check "an unknown default is refused" 2 "$cli" product defaults --method 8
if [ "$(db_snapshot)" = "$before" ]; then ok "refused receipt settings change nothing"; else not_ok "refused receipt settings change nothing"; fi
check "product defaults sets the defaults" 0 "$cli" product defaults --vat vat20 --subject 4
if [ "$out" = $'vat\tvat20\tVAT 20%\nsubject\t4\tService\nmethod\t4\tFull payment' ]; then
  ok "product defaults prints them"
else
  not_ok "product defaults prints them" "got: $out"
fi
check "a product takes the defaults" 0 "$cli" product add --name "Консультация" --price 1500
service=$out
check "a product says otherwise" 0 "$cli" product add --name "Предоплата" --price 1000 --vat vat120 --method 1
prepay=$out
check "product list --json after the receipt settings" 0 "$cli" product list --json
receipts=$(printf '%s' "$out" | python3 -c 'import json,sys; print(" ".join("%s:%s:%s" % (p["vat"], p["subject"], p["method"]) for p in json.load(sys.stdin)))')
if [ "$receipts" = "no_vat:1:4 vat20:4:4 vat120:4:1" ]; then
  ok "product list --json shows each product's VAT rate, subject and method"
else
  not_ok "product list --json shows each product's VAT rate, subject and method" "got $receipts"
fi
"$cli" product defaults --vat no_vat --subject 1 >/dev/null

before=$(db_snapshot)
check "an e-mail without a domain is refused" 2 "$cli" invoice create --product "$service" --email buyer@localhost
check "a phone that is not Russian is refused" 2 "$cli" invoice create --product "$service" --phone "+1 555 0100"
expect_match "the reason shows how to write it" "\+7 903 123-45-67" "$err"
long_name=$(printf 'Ч%.0s' $(seq 129))
"$cli" product add --name "$long_name" --price 10 >/dev/null
before=$(db_snapshot)
check "an invoice with a name too long for a receipt is refused" 1 "$cli" invoice create --product 4
expect_match "the reason says what to do" "shorten it" "$err"
if [ "$(db_snapshot)" = "$before" ]; then ok "a refused receipt stores no invoice"; else not_ok "a refused receipt stores no invoice"; fi
"$cli" product add --name "Новая ставка" --price 10 --vat vat5 >/dev/null
sqlite3 "$PAYDESK_DB" "INSERT OR REPLACE INTO settings (key, value) VALUES ('protocol', 'v2')"
printf 'some-token' > "$work/v2-token"
check "REST v2 refuses a VAT rate it has no code for" 1 "$cli" invoice create --product 5 --token-file "$work/v2-token"
expect_match "the reason names the rate" "VAT 5%" "$err"
sqlite3 "$PAYDESK_DB" "UPDATE settings SET value = 'classic' WHERE key = 'protocol'"
check "classic takes that rate" 0 "$cli" invoice create --product 5 --json

check "invoice with a receipt" 0 "$cli" invoice create --product "$service" --qty 3 --email " buyer@example.org " \
  --phone "8 (903) 123-45-67" --json
number=$(printf '%s' "$out" | json_field number)
url=$(printf '%s' "$out" | json_field payment_url)
cart=$(python3 - "$url" <<'PY'
import sys, urllib.parse
fields = urllib.parse.parse_qs(urllib.parse.urlsplit(sys.argv[1]).query)
item = lambda f: fields["LMI_SHOPPINGCART.ITEM[0]." + f][0]
total = sum(round(float(fields["LMI_SHOPPINGCART.ITEM[%d].PRICE" % i][0]) * 100) *
            int(fields["LMI_SHOPPINGCART.ITEM[%d].QTY" % i][0])
            for i in range(len([k for k in fields if k.endswith(".NAME")])))
print(item("NAME"), item("QTY"), item("PRICE"), item("TAX"), item("SUBJECT"), item("METHOD"),
      total == round(float(fields["LMI_PAYMENT_AMOUNT"][0]) * 100),
      fields["LMI_PAYER_EMAIL"][0], fields["LMI_PAYER_PHONE_NUMBER"][0])
PY
)
if [ "$cart" = "Консультация 3 1500.00 vat20 4 4 True buyer@example.org 79031234567" ]; then
  ok "the link carries the receipt lines and the customer"
else
  not_ok "the link carries the receipt lines and the customer" "got: $cart"
fi
check "invoice show --json of the invoice with a receipt" 0 "$cli" invoice show "$number" --json
expect_match "invoice show has the phone as PayMaster takes it" '"phone" *: *"79031234567"' "$out"
if [ "$(printf '%s' "$out" | json_field payment_url)" = "$url" ]; then
  ok "invoice show gives the same payment link"
else
  not_ok "invoice show gives the same payment link"
fi
check "invoice show as text" 0 "$cli" invoice show "$number"
expect_match "the text ends with the payment link" "LMI_SHOPPINGCART" "$out"

# An invoice from before receipts (schema 1 columns only, an e-mail the
# receipt rules refuse) still has a link, with its receipt lines.
sqlite3 "$PAYDESK_DB" "INSERT INTO invoices (number, description, amount, currency, test, email, created_at)
  VALUES ('old-1', 'Чай зелёный', 5000, 'RUB', 1, 'buyer@localhost', strftime('%s', 'now'));
  INSERT INTO invoice_lines (invoice_id, position, product_id, name, price, quantity, vat)
  VALUES (last_insert_rowid(), 0, 1, 'Чай зелёный', 5000, 1, 'no_vat');"
check "invoice show of an invoice from before receipts" 0 "$cli" invoice show old-1 --json
old_url=$(printf '%s' "$out" | json_field payment_url)
expect_match "its link has the receipt line" 'LMI_SHOPPINGCART.ITEM%5B0%5D.PRICE=50.00' "$old_url"
expect_match "and the e-mail it had" 'LMI_PAYER_EMAIL=buyer%40localhost' "$old_url"

# serve with the built-in sandbox: pay invoice 1 through the checkout page.
mkfifo "$work/serve-out"
"$cli" serve --listen 127.0.0.1:0 >"$work/serve-out" 2>"$work/serve-err" &
serve_pid=$!
exec 3<"$work/serve-out"
if read -r -t 10 line <&3 && [[ $line =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)$ ]]; then
  port=${BASH_REMATCH[1]}
  ok "serve prints exactly 'listening on http://HOST:PORT'"
else
  not_ok "serve prints exactly 'listening on http://HOST:PORT'" "got: ${line:-nothing}" "$(cat "$work/serve-err")"
  echo "1..$n"
  exit 1
fi
base=http://127.0.0.1:$port

# Point the shop at the port serve really got, as the wizard would.
sqlite3 "$PAYDESK_DB" "UPDATE settings SET value='$base' WHERE key='public_url'; UPDATE settings SET value='$base/sandbox' WHERE key='paymaster_url';"
check "invoice for the sandbox" 0 "$cli" invoice create --product 1 --json
number=$(printf '%s' "$out" | json_field number)
url=$(printf '%s' "$out" | json_field payment_url)

expect_match "health answers ok" "^ok$" "$(curl -s "$base/health")"
page=$(curl -s "$url")
expect_match "the checkout page shows the description" "Чай зелёный" "$page"
expect_match "the checkout page shows the amount" "50.00" "$page"
payment=$(printf '%s' "$page" | grep -o 'name="payment" value="[^"]*"' | sed 's/.*value="//; s/"$//; s/&amp;/\&/g')
result=$(curl -s -X POST "$base/sandbox/Payment/Pay" --data-urlencode "payment=$payment" --data action=pay)
expect_match "paying ends on a page that links to the success URL" "$base/paymaster/success" "$result"

check "invoice show --json after paying" 0 "$cli" invoice show "$number" --json
expect_match "the invoice is paid" '"status" *: *"paid"' "$out"
for field in number status amount currency test paid_at payment_id; do
  expect_match "invoice show --json has \"$field\"" "\"$field\"" "$out"
done
payment_id=$(printf '%s' "$out" | json_field payment_id)

check "events --json" 0 "$cli" events --json --limit 10
expect_match "the pre-request is an accepted event" '"kind" *: *"prerequest"' "$out"
expect_match "the notification is an accepted event" '"verdict" *: *"accepted"' "$out"
if printf '%s' "$out" | grep -q -- "$secret"; then
  not_ok "events never show the secret key"
else
  ok "events never show the secret key"
fi

# A replayed notification changes nothing.
notification=$(sqlite3 "$PAYDESK_DB" "SELECT body FROM events WHERE kind='notification' ORDER BY id DESC LIMIT 1")
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' \
         --data-binary "$notification" "$base/paymaster/notify")
payments=$(sqlite3 "$PAYDESK_DB" "SELECT count(*) FROM payments WHERE paymaster_id='$payment_id'")
if [ "$status" = 200 ] && [ "$payments" = 1 ]; then ok "a duplicate notification answers 200 and records nothing new"; else not_ok "a duplicate notification answers 200 and records nothing new" "status=$status payments=$payments"; fi

# A port in use is a clear runtime error.
check "serve on a port in use fails" 1 "$cli" serve --listen "127.0.0.1:$port"
expect_match "the reason says the address is in use" "in use" "$err"

# SIGTERM: finish and exit 0.
kill -TERM "$serve_pid"
wait "$serve_pid"
status=$?
serve_pid=
if [ "$status" -eq 0 ]; then ok "serve exits 0 on SIGTERM"; else not_ok "serve exits 0 on SIGTERM" "status $status"; fi

# A missing secret: the keyring has nothing for this identifier.
rm -f "$SECRET_FILE_TEST_PATH"
check "serve without a secret in the keyring fails" 1 "$cli" serve --listen 127.0.0.1:0
expect_match "the reason says how to fix it" "setup|secret" "$err"
printf 'file-secret\n' >"$work/secret-file"
"$cli" serve --listen 127.0.0.1:0 --secret-file "$work/secret-file" >"$work/out" 2>&1 &
pid=$!
sleep 1
if kill -0 "$pid" 2>/dev/null && grep -q "^listening on" "$work/out"; then ok "--secret-file overrides the keyring"; else not_ok "--secret-file overrides the keyring" "$(cat "$work/out")"; fi
kill -INT "$pid" 2>/dev/null
wait "$pid"
status=$?
if [ "$status" -eq 0 ]; then ok "serve exits 0 on SIGINT"; else not_ok "serve exits 0 on SIGINT" "status $status"; fi

# Behind NAT: a PayMaster that cannot reach the shop, and `sync` asking
# its status API instead.
printf 'nat-secret\n' >"$work/nat-secret"
printf 'api-password\n' >"$work/api-password"
mkfifo "$work/sandbox-out"
printf 'nat-v2-token\n' >"$work/nat-token"
"$cli" sandbox --listen 127.0.0.1:0 --hash sha256 --secret-file "$work/nat-secret" --no-notify \
  --api-login api-user --api-password-file "$work/api-password" --token-file "$work/nat-token" \
  >"$work/sandbox-out" 2>/dev/null &
sandbox_pid=$!
exec 4<"$work/sandbox-out"
if read -r -t 10 line <&4 && [[ $line =~ ^listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]]; then
  sandbox_url=${BASH_REMATCH[1]}
  ok "the standalone sandbox starts"
else
  not_ok "the standalone sandbox starts" "got: ${line:-nothing}"
fi
nat=(--db "$work/nat.db")
check "setup with an API user" 0 "$cli" "${nat[@]}" setup --merchant-id $merchant --hash sha256 --mode test \
  --listen 127.0.0.1:0 --public-url http://127.0.0.1:9 --paymaster-url "$sandbox_url" \
  --secret-file "$work/nat-secret" --api-login api-user --api-password-file "$work/api-password"
if grep -aq "api-password" "$work/nat.db" "$work/nat.db-wal" 2>/dev/null; then
  not_ok "the API user's password is not in the database"
else
  ok "the API user's password is not in the database"
fi
"$cli" "${nat[@]}" product add --name Tea --price 50 >/dev/null
check "invoice behind NAT" 0 "$cli" "${nat[@]}" invoice create --product 1 --json
number=$(printf '%s' "$out" | json_field number)
url=$(printf '%s' "$out" | json_field payment_url)
page=$(curl -s "$url")
payment=$(printf '%s' "$page" | grep -o 'name="payment" value="[^"]*"' | sed 's/.*value="//; s/"$//; s/&amp;/\&/g')
curl -s -o /dev/null -X POST "$sandbox_url/Payment/Pay" --data-urlencode "payment=$payment" --data action=pay
check "invoice show before sync" 0 "$cli" "${nat[@]}" invoice show "$number" --json
expect_match "the payment did not reach the shop" '"status" *: *"issued"' "$out"
check "sync --json" 0 "$cli" "${nat[@]}" sync --json
expect_match "sync reports the payment it found" '"verdict" *: *"accepted"' "$out"
check "invoice show after sync" 0 "$cli" "${nat[@]}" invoice show "$number" --json
expect_match "sync paid the invoice" '"status" *: *"paid"' "$out"
check "sync again" 0 "$cli" "${nat[@]}" sync
expect_match "a second sync finds nothing new" "Nothing new" "$out"
"$cli" "${nat[@]}" invoice create --product 1 >/dev/null
check "sync with a wrong API password fails" 1 "$cli" "${nat[@]}" sync --api-password-file "$work/nat-secret"
check "sync on a shop without an API user fails" 1 "$cli" sync
expect_match "the reason says how to set one up" "api-login" "$err"

# The same behind NAT on REST API v2: the v2 reconciler lists the
# payments made since the oldest open invoice.
nat_v2=(--db "$work/nat-v2.db")
check "v2 setup against the standalone sandbox" 0 "$cli" "${nat_v2[@]}" setup --merchant-id $merchant \
  --mode test --protocol v2 --listen 127.0.0.1:0 --public-url http://127.0.0.1:9 \
  --paymaster-url "$sandbox_url" --token-file "$work/nat-token"
"$cli" "${nat_v2[@]}" product add --name Tea --price 50 >/dev/null
check "v2 invoice behind NAT" 0 "$cli" "${nat_v2[@]}" invoice create --product 1 --json
number=$(printf '%s' "$out" | json_field number)
url=$(printf '%s' "$out" | json_field payment_url)
expect_match "PayMaster made the link" "^$sandbox_url/cpay/[0-9a-f]{32}$" "$url"
pay_cpay "$sandbox_url" "$url" pay >/dev/null
check "v2 invoice show before sync" 0 "$cli" "${nat_v2[@]}" invoice show "$number" --json
expect_match "no callback reached the shop" '"status" *: *"issued"' "$out"
check "v2 sync --json" 0 "$cli" "${nat_v2[@]}" sync --json
found=$(printf '%s' "$out" | python3 -c 'import json,sys; print(" ".join(c["invoice"] + ":" + c["verdict"] for c in json.load(sys.stdin)))')
expect_equal "v2 sync reports the payment it found" "$number:accepted" "$found"
check "v2 invoice show after sync" 0 "$cli" "${nat_v2[@]}" invoice show "$number" --json
expect_match "v2 sync paid the invoice" '"status" *: *"paid"' "$out"
check "v2 sync again" 0 "$cli" "${nat_v2[@]}" sync --json
expect_equal "a second v2 sync reports nothing" "[]" "$out"
"$cli" "${nat_v2[@]}" invoice create --product 1 >/dev/null
check "v2 sync with a wrong token fails" 1 "$cli" "${nat_v2[@]}" sync --token-file "$work/nat-secret"
expect_match "the reason says to enter a new token" "token" "$err"
kill "$sandbox_pid" 2>/dev/null
wait "$sandbox_pid" 2>/dev/null
sandbox_pid=

# A headless server without a keyring: the key stays in its file.
printf 'headless-secret\n' >"$work/headless-secret"
if env -u SECRET_BACKEND DBUS_SESSION_BUS_ADDRESS=unix:path=$work/no-bus DISPLAY= \
     "$cli" --db "$work/headless.db" setup --merchant-id $merchant --hash sha256 --mode test \
     --listen 127.0.0.1:0 --secret-file "$work/headless-secret" >"$work/out" 2>"$work/err"; then
  ok "setup --secret-file works without a keyring"
else
  not_ok "setup --secret-file works without a keyring" "$(cat "$work/err")"
fi
expect_match "it says how to start the listener then" "serve --secret-file" "$(cat "$work/err")"
if printf 'piped-secret\n' | env -u SECRET_BACKEND DBUS_SESSION_BUS_ADDRESS=unix:path=$work/no-bus DISPLAY= \
     "$cli" --db "$work/headless2.db" setup --merchant-id $merchant --hash sha256 --mode test \
     >/dev/null 2>"$work/err"; then
  not_ok "setup without a keyring and without --secret-file fails"
else
  ok "setup without a keyring and without --secret-file fails"
fi
expect_match "the reason is the keyring" "keyring" "$(cat "$work/err")"
if [ ! -e "$work/headless2.db" ] || [ "$(sqlite3 "$work/headless2.db" "SELECT count(*) FROM settings")" = 0 ]; then
  ok "a refused setup stores no settings"
else
  not_ok "a refused setup stores no settings"
fi

# REST API v2: the token goes to the keyring, from a file or standard
# input, and the URLs printed are the callback and return URLs.
v2=(--db "$work/v2.db")
v2_snapshot () {
  sqlite3 "$work/v2.db" "SELECT group_concat(key||'='||value) FROM settings;" 2>/dev/null
}
token='v2-Token_from.the/cabinet+1=='
printf '%s\n' "$token" >"$work/token"
check "setup --protocol v2 --token-file" 0 "$cli" "${v2[@]}" setup --merchant-id $merchant --mode test \
  --protocol v2 --public-url https://pay.example.com/shop/ --token-file "$work/token"
expect_match "v2 setup says the protocol" "REST API v2, test mode" "$out"
expect_match "v2 setup prints the callback URL" "Callback URL: https://pay.example.com/shop/paymaster/callback" "$out"
expect_match "v2 setup prints the return URL" "Return URL: https://pay.example.com/shop/paymaster/success" "$out"
if printf '%s' "$out" | grep -q "Notification URL"; then
  not_ok "v2 setup prints no classic URLs" "$out"
else
  ok "v2 setup prints no classic URLs"
fi
expect_match "the protocol setting is v2" "protocol=v2" "$(v2_snapshot)"
expect_equal "the token is in the keyring" "$token" "$("$keyring_lookup" api-token $merchant)"
if "$keyring_lookup" secret-key $merchant >/dev/null 2>&1; then
  ok "a v2 site gets a secret key nobody can sign with"
else
  not_ok "a v2 site gets a secret key nobody can sign with"
fi
if grep -aq -- "$token" "$work/v2.db" "$work/v2.db-wal" 2>/dev/null; then
  not_ok "the API token is not in the database"
else
  ok "the API token is not in the database"
fi

if printf 'token-from-stdin\n' | "$cli" "${v2[@]}" setup --merchant-id $merchant --mode live \
     --public-url https://pay.example.com >"$work/out" 2>"$work/err"; then
  ok "setup keeps the v2 protocol and reads the token from standard input"
else
  not_ok "setup keeps the v2 protocol and reads the token from standard input" "$(cat "$work/err")"
fi
expect_match "the protocol is still v2" "protocol=v2" "$(v2_snapshot)"
expect_equal "the token from standard input is in the keyring" token-from-stdin \
  "$("$keyring_lookup" api-token $merchant)"

before=$(v2_snapshot)
printf '\n' >"$work/empty-line"
: >"$work/empty-token"
check "an empty token file is refused" 1 "$cli" "${v2[@]}" setup --merchant-id $merchant --mode test --protocol v2 \
  --public-url https://other.example.com --token-file "$work/empty-token"
expect_match "the reason says what to put in the file" "empty.*API token" "$err"
"$cli" "${v2[@]}" setup --merchant-id $merchant --mode test --protocol v2 \
  --public-url https://other.example.com <"$work/empty-line" >/dev/null 2>"$work/err"
status=$?
if [ "$status" -eq 2 ] && grep -q "token is empty" "$work/err"; then
  ok "an empty token on standard input is refused with a reason"
else
  not_ok "an empty token on standard input is refused with a reason" "status $status: $(cat "$work/err")"
fi
printf 'two words\n' >"$work/bad-token"
check "a token with a space is refused" 2 "$cli" "${v2[@]}" setup --merchant-id $merchant --mode test \
  --protocol v2 --token-file "$work/bad-token"
expect_match "the reason says to copy it again" "copy it" "$err"
check "--token-file with the classic protocol is a usage error" 2 "$cli" "${v2[@]}" setup --merchant-id $merchant \
  --mode test --protocol classic --hash sha256 --token-file "$work/token"
printf '%s\n' "$token" >"$work/token"
if env -u SECRET_BACKEND DBUS_SESSION_BUS_ADDRESS=unix:path=$work/no-bus DISPLAY= \
     "$cli" "${v2[@]}" setup --merchant-id $merchant --mode test --protocol v2 \
     --public-url https://other.example.com --token-file "$work/token" >/dev/null 2>"$work/err"; then
  not_ok "v2 setup without a keyring fails"
else
  ok "v2 setup without a keyring fails"
fi
if [ "$(v2_snapshot)" = "$before" ]; then ok "refused v2 setups change no settings"; else not_ok "refused v2 setups change no settings" "$(v2_snapshot)"; fi
expect_equal "the keyring still has the earlier token" token-from-stdin "$("$keyring_lookup" api-token $merchant)"

check "setup back to classic" 0 "$cli" "${v2[@]}" setup --merchant-id $merchant --mode test --protocol classic \
  --hash sha1 --secret-file "$work/nat-secret"
expect_match "classic setup says the protocol" "classic protocol, sha1" "$out"
expect_match "classic setup prints the notification URL" "Payment Notification URL: " "$out"
expect_match "the protocol setting is classic" "protocol=classic" "$(v2_snapshot)"

check "a v2 sandbox needs no token" 0 "$cli" --db "$work/v2-sandbox.db" setup --merchant-id $merchant \
  --mode sandbox --protocol v2 --listen 127.0.0.1:0
expect_equal "the sandbox token is in the keyring" paydesk-sandbox-token "$("$keyring_lookup" api-token $merchant)"

# REST API v2 with the built-in sandbox: PayMaster makes the invoice,
# the customer pays on its cpay page, the callback is confirmed with the
# token, and the invoice is refunded in two steps.
# serve confirms callbacks with the sandbox at the address setup made,
# so the shop gets a port of its own here rather than 0.
v2s=(--db "$work/v2-serve.db")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
check "setup --mode sandbox --protocol v2" 0 "$cli" "${v2s[@]}" setup --merchant-id $merchant --mode sandbox \
  --protocol v2 --listen "127.0.0.1:$port"
"$cli" "${v2s[@]}" product add --name "Чай улун" --price 50 >/dev/null
mkfifo "$work/v2-serve-out"
"$cli" "${v2s[@]}" serve >"$work/v2-serve-out" 2>"$work/v2-serve-err" &
serve_pid=$!
exec 5<"$work/v2-serve-out"
if read -r -t 10 line <&5 && [ "$line" = "listening on $base" ]; then
  ok "serve runs a v2 sandbox shop"
else
  not_ok "serve runs a v2 sandbox shop" "got: ${line:-nothing}" "$(cat "$work/v2-serve-err")"
  echo "1..$n"
  exit 1
fi

check "v2 invoice create --json" 0 "$cli" "${v2s[@]}" invoice create --product 1 --json
number=$(printf '%s' "$out" | json_field number)
url=$(printf '%s' "$out" | json_field payment_url)
expect_match "the link is the sandbox's cpay page" "^$base/sandbox/cpay/[0-9a-f]{32}$" "$url"
result=$(pay_cpay "$base" "$url" pay)
expect_match "paying ends on a page that links to the return URL" "$base/paymaster/success" "$result"
check "v2 invoice show after paying" 0 "$cli" "${v2s[@]}" invoice show "$number" --json
expect_match "the callback paid the invoice" '"status" *: *"paid"' "$out"
check "events --json after the callback" 0 "$cli" "${v2s[@]}" events --json --limit 1
event=$(printf '%s' "$out" | python3 -c 'import json,sys; e=json.load(sys.stdin)[0]; print(e["kind"], e["verdict"], e["path"], e["invoice_number"])')
expect_equal "the callback is an accepted event" "callback accepted /paymaster/callback $number" "$event"

check "invoice refund --amount 10 --json" 0 "$cli" "${v2s[@]}" invoice refund "$number" --amount 10 --json
refund=$(printf '%s' "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["refunded_now"], r["refunded"], r["status"])')
expect_equal "a partial refund leaves the invoice paid" "10.00 10.00 paid" "$refund"
check "invoice refund of the rest" 0 "$cli" "${v2s[@]}" invoice refund "$number"
expect_equal "the rest is refunded" "Refunded 40.00 RUB: invoice $number is refunded in full." "$out"
check "invoice show after the refunds" 0 "$cli" "${v2s[@]}" invoice show "$number" --json
expect_match "the invoice is refunded" '"status" *: *"refunded",.*"refunded" *: *"50.00"' "$out"
check "events --json after the refunds" 0 "$cli" "${v2s[@]}" events --json --limit 2
expect_equal "each refund is an accepted event" "refund:accepted refund:accepted" "$(kinds_and_verdicts)"
check "a refunded invoice cannot be refunded again" 1 "$cli" "${v2s[@]}" invoice refund "$number"
expect_match "the reason says it is refunded" "refunded in full" "$err"

# A callback is only a hint: one for a payment PayMaster has as Pending,
# or one it does not know, pays nothing.
check "another v2 invoice" 0 "$cli" "${v2s[@]}" invoice create --product 1 --json
number=$(printf '%s' "$out" | json_field number)
payment_id=$(sqlite3 "$work/v2-serve.db" "SELECT paymaster_invoice_id FROM invoices WHERE number='$number'")
forged='{"id":"'$payment_id'","status":"Settled","created":"2026-01-01T00:00:00Z","testMode":true,"merchantId":"'$merchant'","amount":{"value":50,"currency":"RUB"},"invoice":{"description":"Чай улун","orderNo":"'$number'"}}'
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
         --data-binary "$forged" "$base/paymaster/callback")
expect_equal "a callback PayMaster does not confirm answers 200" 200 "$status"
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
         --data-binary "${forged/\"id\":\"$payment_id\"/\"id\":\"424242\"}" "$base/paymaster/callback")
expect_equal "a callback for a payment PayMaster does not know answers 400" 400 "$status"
check "invoice show after the forged callbacks" 0 "$cli" "${v2s[@]}" invoice show "$number" --json
expect_match "the forged callbacks paid nothing" '"status" *: *"issued"' "$out"
check "events --json after the forged callbacks" 0 "$cli" "${v2s[@]}" events --json --limit 2
expect_equal "both are rejected callback events" "callback:rejected callback:rejected" "$(kinds_and_verdicts)"
kill -TERM "$serve_pid"
wait "$serve_pid"
serve_pid=

# Broken databases.
mkdir "$work/dir.db"
check "a database path that is a folder fails" 1 "$cli" --db "$work/dir.db" product list
printf 'this is not sqlite, just text that is long enough to be looked at' >"$work/garbage.db"
check "a file that is not a database fails" 1 "$cli" --db "$work/garbage.db" product list
expect_match "the reason names the file" "garbage.db" "$err"
before=$(db_snapshot)
(printf 'BEGIN EXCLUSIVE;\nSELECT 1;\n'; sleep 8) | sqlite3 "$PAYDESK_DB" >/dev/null &
locker=$!
sleep 0.5
check "a locked database fails with a reason" 1 "$cli" product add --name Locked --price 1
expect_match "the reason says it is locked" "locked" "$err"
kill "$locker" 2>/dev/null
wait "$locker" 2>/dev/null
if [ "$(db_snapshot)" = "$before" ]; then ok "the locked database is unchanged"; else not_ok "the locked database is unchanged"; fi

echo "1..$n"
[ "$failures" -eq 0 ]
