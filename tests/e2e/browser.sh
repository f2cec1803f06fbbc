#!/bin/sh
# browser.sh - the real-browser journeys (tests/browser/*.js: Debian's chromium driven by
# puppeteer-core, axe-core on every page, screenshots at 1280 and 375 px under
# BUILD/browser/, not committed) against 'asbreg serve' on a fresh register.  Without
# chromium, node or the npm packages ('make deps' runs npm ci) it says so and is skipped;
# under CI (CI set) that is a failure instead.
. "$(dirname "$0")/../lib/web.sh"
. "$(dirname "$0")/lib.sh"
trap 'web_cleanup; hub_cleanup; rm -rf "$WORK"' EXIT
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
missing=
[ -x "$CHROMIUM" ] || missing="$missing chromium ($CHROMIUM)"
command -v node >/dev/null || missing="$missing node"
[ -d "$WEB_ROOT/node_modules/puppeteer-core" ] && [ -d "$WEB_ROOT/node_modules/axe-core" ] ||
	missing="$missing node_modules (npm ci)"
command -v oathtool >/dev/null || missing="$missing oathtool"
if [ -n "$missing" ]; then
	echo "browser: skipped: missing$missing: run 'make deps'"
	[ -z "${CI:-}" ] || exit 1
	exit 0
fi
SHOTS=${WEB_SHOTS:-$(cd "$(dirname "$ASBREG")/.." && pwd)/browser}

R=$WORK/reg
export ASBREG_DIR=$R ASB_USER=web-admin
expect_ok init --force E23000011
web_user "$R" pc.1 officer 'correct horse battery' totp || bad "web_user"
ZOE=$("$ASBREG" person add --name "Zoë O'Brien" --dob 1990-01-02)
ZED=$("$ASBREG" person add --name "Zoe Zed" --dob 1991-03-04)
"$ASBREG" restrict "$ZED" --reason "accuracy contested" >/dev/null || bad "restrict"
"$ASBREG" add cpw --subject "$ZOE" --by "PC 1" >/dev/null || bad "add cpw"
web_pki "$WORK/pki" || bad "web_pki"
web_start "$R" "$WORK/pki" || { bad "web_start"; finish; exit; }
SPKI=$(openssl x509 -in "$WORK/pki/web.crt" -pubkey -noout | openssl pkey -pubin -outform der |
    openssl dgst -sha256 -binary | base64)
WEB_URL=$WEB_URL WEB_SPKI=$SPKI WEB_USER=pc.1 WEB_PASSWORD='correct horse battery' \
    WEB_SECRET=$WEB_SECRET WEB_FIND=zoe WEB_SHOTS=$SHOTS CHROMIUM=$CHROMIUM \
    NODE_PATH=$WEB_ROOT/node_modules node "$WEB_ROOT/tests/browser/journey.js" >"$WORK/journey.out" 2>&1
rc=$?
cat "$WORK/journey.out"
n_ok=$(grep -c '^ok ' "$WORK/journey.out")
n_bad=$(grep -c '^not ok ' "$WORK/journey.out")
PASS=$((PASS + n_ok)) FAIL=$((FAIL + n_bad))
[ "$rc" -eq 0 ] || bad "journey.js exited $rc"
[ "$n_ok" -gt 10 ] || bad "journey.js ran only $n_ok checks"
# the journeys' consultations are in the audit log under the signed-in officer
contains "$("$ASBREG" audit)" "pc\.1 +consultation +find +$ZOE $ZED" "the browser's find audited"
web_stop && ok || bad "web_stop"
echo "screenshots: $SHOTS"
finish
