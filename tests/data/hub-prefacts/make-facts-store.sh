#!/bin/sh
# make-facts-store.sh - how prefacts-store.dump was made: a hub store written by the release
# before facts were kept at intake (commit 26a4b11), two forces x two quarters of synthetic
# returns submitted through asbhub serve, plus one test return; then that release's national
# figures over it, kept beside the dump.  Run with that release's binaries:
#
#   ASBREG= ASBGW= ASBHUB= SYNTH= sh make-facts-store.sh OUTDIR
#
# Only the store (DIR/store) is dumped: certificates, receipts and returns, no private key.
set -eu
: "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?}"
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
OUT=$1
W=$(mktemp -d "${TMPDIR:-/tmp}/prefacts.XXXXXX")
HUBPID=
trap '[ -n "$HUBPID" ] && kill $HUBPID 2>/dev/null; rm -rf "$W"' EXIT
FORCES="E23000011 W15000003"
export TZ=UTC
"$ROOT/tools/devpki" "$W/pki" --forces "$(echo $FORCES | tr ' ' ,)" >/dev/null
"$ASBHUB" init -d "$W/hub" --ca "$W/pki/ca.crt" --cert "$W/pki/hub/tls.crt" \
    --key "$W/pki/hub/tls.key" --sign-cert "$W/pki/hub/sign.crt" \
    --sign-key "$W/pki/hub/sign.key" >/dev/null
for c in $FORCES; do
	"$ASBHUB" force add "$c" --cert "$W/pki/forces/$c/sign.crt" -d "$W/hub" >/dev/null
	"$SYNTH" -d "$W/f/$c" --force "$c" --from 2026-Q2 --to 2026-Q3 --scale 0.1 \
	    --seed "$(echo "$c" | tr -dc 0-9)" >/dev/null
done
"$ASBHUB" serve -d "$W/hub" --listen 127.0.0.1:0 --port-file "$W/port" 2>"$W/hub.log" &
HUBPID=$!
while [ ! -s "$W/port" ]; do sleep 0.1; done
for c in $FORCES; do
	d=$W/f/$c
	printf 'url = https://localhost:%s\ncert = %s\nkey = %s\nca = %s\nsign-cert = %s\nsign-key = %s\n' \
	    "$(cat "$W/port")" "$W/pki/forces/$c/tls.crt" "$W/pki/forces/$c/tls.key" \
	    "$W/pki/ca.crt" "$W/pki/forces/$c/sign.crt" "$W/pki/forces/$c/sign.key" >"$d/asbgw.conf"
	for q in 2026-Q2 2026-Q3; do
		"$ASBGW" build -d "$d" --period "$q" -o "$d/$q.xml" >/dev/null
		"$ASBGW" submit "$d/$q.xml" -d "$d" >/dev/null
	done
done
d=$W/f/E23000011
"$ASBGW" build -d "$d" --period 2026-Q3 --test -o "$d/test.xml" >/dev/null
"$ASBGW" submit "$d/test.xml" -d "$d" >/dev/null
kill $HUBPID; wait $HUBPID 2>/dev/null || true; HUBPID=
mkdir -p "$OUT"
mdb_dump -a "$W/hub/store" >"$OUT/prefacts-store.dump"
for by in force,power,quarter age-band,sex,ethnicity outcome local-authority; do
	"$ASBHUB" report -d "$W/hub" --from 2026-Q2 --to 2026-Q3 --by $by --format json \
	    --include-test >"$OUT/prefacts-report-$(echo $by | tr , -).json"
done
"$ASBHUB" report -d "$W/hub" --from 2026-Q2 --to 2026-Q3 --by force,power --format json \
    >"$OUT/prefacts-report-live.json"
"$ASBHUB" compliance -d "$W/hub" --period 2026-Q3 --json >"$OUT/prefacts-compliance.json"
