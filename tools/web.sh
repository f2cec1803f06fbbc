#!/bin/sh
# web.sh - 'make web': the officers' web application on the demo register (./var/demo-register,
# made by tools/demo.sh when it is not there yet) at https://localhost:8443 (WEB_LISTEN
# overrides), with a development certificate (./var/web-pki, from tools/devpki) and a demo
# officer account; prints the address and how to sign in, then serves until Ctrl-C.
# The demo register gains users (web-admin, data team; demo.officer, officer): from then on
# its command line checks the acting user too (ASB_USER=web-admin asbreg ...).
set -eu
: "${ASBREG:?set ASBREG to the asbreg binary}"
HERE=$(cd "$(dirname "$0")/.." && pwd)
DIR=./var/demo-register PKI=./var/web-pki LISTEN=${WEB_LISTEN:-127.0.0.1:8443}
PASSWORD='demo officer password'
if [ ! -d "$DIR" ]; then
	echo "web: no demo register yet: making it (tools/demo.sh)"
	: "${ASBGW:?set ASBGW to the asbgw binary}"
	sh "$HERE/tools/demo.sh" >/dev/null
fi
[ -s "$PKI/web.crt" ] || "$HERE/tools/devpki" "$PKI" --issue web --cn localhost --server >/dev/null
a() { ASB_USER=web-admin "$ASBREG" -d "$DIR" "$@"; }
if ! a user list 2>/dev/null | grep -q '^web-admin '; then
	# the first user: allowed while the register has none, and data team
	a user add web-admin --role data-team >/dev/null
fi
a user list | grep -q '^demo.officer ' || a user add demo.officer --role officer >/dev/null
printf '%s\n' "$PASSWORD" | a user passwd demo.officer
URI=$(a user totp demo.officer)
SECRET=$(printf '%s\n' "$URI" | sed -n 's/.*[?&]secret=\([A-Z2-7]*\).*/\1/p')
PORT=${LISTEN##*:}
cat <<EOT

  The ASB powers register, in the browser:  https://localhost:$PORT/

  Sign in as   demo.officer
  password     $PASSWORD
  code         the 6-digit code: oathtool --totp -b $SECRET
               (or add this to an authenticator app: $URI)

  The certificate is from the development CA $PKI/ca.crt: trust it in the browser,
  or accept the warning (curl: --cacert $PKI/ca.crt).  Ctrl-C stops the server.

EOT
exec "$ASBREG" -d "$DIR" serve --listen "$LISTEN" --cert "$PKI/web.crt" --key "$PKI/web.key"
