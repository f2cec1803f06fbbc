#!/bin/sh
# mkstores.sh OUTDIR - how tests/data/store-v0/ was made: a hub store and a force outbox
# written by the release whose values were raw C structs (before the versioned codec), with
# the outputs that release gave for them.  Run once with that release's binaries:
#   ASBREG=.. ASBGW=.. ASBHUB=.. SYNTH=.. sh tests/data/mkstores.sh tests/data/store-v0
# Keys come from tools/devpki in a temporary directory and are deleted: only the LMDB dumps
# (mdb_dump -a, text) and the expected outputs are kept.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(cd "$1" && pwd)
: "${ASBREG:?}" "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?}"
W=$(mktemp -d /tmp/mkstores.XXXXXX)
trap 'if [ -n "$HUBPID" ]; then kill $HUBPID 2>/dev/null; fi; rm -rf "$W"' EXIT
HUBPID=
export TZ=UTC ASB_USER=fixture ASBREG_DIR=$W/reg
unset ASBGW_CONF ASBHUB_DIR
cd "$W"
"$ROOT/tools/devpki" pki --forces E23000011,E23000005 >/dev/null
F=pki/forces/E23000011
"$SYNTH" -d reg --force E23000011 --from 2026-Q2 --to 2026-Q3 --scale 0.05 >/dev/null
"$ASBHUB" init -d hub --ca pki/ca.crt --cert pki/hub/tls.crt --key pki/hub/tls.key \
    --sign-cert pki/hub/sign.crt --sign-key pki/hub/sign.key
"$ASBHUB" force add E23000011 --cert "$F/sign.crt" -d hub
"$ASBHUB" force add E23000005 --cert pki/forces/E23000005/sign.crt -d hub
"$ROOT/tools/devpki" pki --issue rotated --cn E23000011 >/dev/null
"$ASBHUB" force add E23000011 --cert pki/rotated.crt -d hub
"$ASBHUB" force revoke E23000011 --cert pki/rotated.crt -d hub
start_hub() {
	rm -f port
	"$ASBHUB" serve -d hub --listen "127.0.0.1:${1:-0}" --port-file port 2>>hub.log &
	HUBPID=$!
	i=0; while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	PORT=$(cat port)
}
start_hub
cat > reg/asbgw.conf <<EOC
force = E23000011
url = https://localhost:$PORT
cert = $W/$F/tls.crt
key = $W/$F/tls.key
ca = $W/pki/ca.crt
sign-cert = $W/$F/sign.crt
sign-key = $W/$F/sign.key
EOC
rid() { sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$1" | head -1; }
export ASBREG_NOW=2026-10-20T12:00
"$ASBGW" build --period 2026-Q3 -o q3.xml
"$ASBGW" submit q3.xml					# accepted, live
"$ASBGW" build --period 2026-Q3 -o dup.xml
"$ASBGW" submit dup.xml && exit 1 || true		# rejected: no supersedes
"$ASBGW" build --period 2026-Q3 -o fix.xml --supersedes "$(rid q3.xml)"
"$ASBGW" submit fix.xml					# accepted, supersedes q3
"$ASBGW" build --period 2026-Q2 -o test.xml --test
"$ASBGW" submit test.xml				# accepted, test
"$ASBGW" build --period 2026-Q2 -o q2.xml
"$ASBGW" submit q2.xml					# accepted, live
kill $HUBPID; wait $HUBPID 2>/dev/null || true; HUBPID=
"$ASBGW" build --period 2026-Q1 -o q1.xml
"$ASBGW" submit q1.xml && exit 1 || true		# the hub is down: signed, waiting
mdb_dump -a hub/store > "$OUT/hub.dump"
mdb_dump -a reg/outbox > "$OUT/outbox.dump"
"$ASBHUB" returns -d hub --json > "$OUT/returns.json"
"$ASBHUB" force list -d hub --json > "$OUT/forces.json"
"$ASBHUB" report -d hub --period 2026-Q3 --format json > "$OUT/report-2026-Q3.json"
"$ASBHUB" report -d hub --period 2026-Q2 --format json > "$OUT/report-2026-Q2.json"
for by in force,ethnicity sex,power age-band,sex,power local-authority; do
	"$ASBHUB" report -d hub --year 2026 --by "$by" --format json > "$OUT/sdc-$by.json"
done
"$ASBHUB" compliance -d hub --period 2026-Q3 --json > "$OUT/compliance-2026-Q3.json"
"$ASBGW" outbox --json > "$OUT/outbox.json"
for id in $(rid q3.xml) $(rid dup.xml) $(rid fix.xml); do
	"$ASBHUB" show "$id" -d hub --json > "$OUT/show-$id.json"
done
