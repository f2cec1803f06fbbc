#!/bin/sh
# bench/hub: BENCH_FORCES forces (default 43) each submit a BENCH_N-record return (default
# 100,000) to one asbhub at the same time, each from its own asbgw process, over mutual TLS.
# Each return is first queued in its force's outbox (asbgw submit while the hub is down), so
# what is timed is the exchange: 'asbgw send --now' from request sent to verified receipt.
# The hub runs with its defaults (2 workers: at most 2 documents verified at once) and
# BENCH_CONNS connections (default 8); forces beyond that wait in the kernel's backlog, as
# they would against a busy service.
# In the same run, the floor a Home Office engineer would script with standard tools on the
# same files: xmlsec1 --verify (strict) then xmllint --stream --schema, one file after another.
# Prints, per return, the hub's accept time (request sent to verified receipt) against that
# file's floor; the hub's wall time for all of them against the sum of the floors (the ratio
# the target is about: <= 1.0x); the hub's peak RSS (target < 2 GiB); and that every return
# is stored exactly once.  Not a test: it never gates CI.
set -eu
: "${ASBREG:?}" "${ASBGW:?}" "${ASBHUB:?}" "${REGBENCH:?}"
N=${BENCH_N:-100000}
NF=${BENCH_FORCES:-43}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
XSD=$ROOT/schema/asb-return-1.xsd
W=$(mktemp -d "${TMPDIR:-/tmp}/hubbench.XXXXXX")
HUBPID=
trap '[ -n "$HUBPID" ] && kill $HUBPID 2>/dev/null; cp "$W/hub.log" "${TMPDIR:-/tmp}/hubbench.log" 2>/dev/null; rm -rf "$W"' EXIT
export ASBREG_NOW=2026-11-01T12:00
now() { date +%s.%N; }
echo "bench/hub: $NF forces x $N records, $(nproc) cores"
FORCES=$(grep -v '^#' "$ROOT/schema/codes/forces.tsv" | tail -n +2 | cut -f1 | head -n "$NF")
"$ROOT/tools/devpki" "$W/pki" --forces "$(echo $FORCES | tr ' ' ,)" >/dev/null
"$REGBENCH" gen "$N" "$W/rows.csv" 2026-Q3 >/dev/null
t0=$(now)
prep() {
	code=$1 d=$W/f/$1
	mkdir -p "$d"
	ASBREG_DIR=$d/reg "$ASBREG" init --force "$code" >/dev/null
	ASBREG_DIR=$d/reg "$ASBREG" import "$W/rows.csv" >/dev/null
	ASBREG_DIR=$d/reg "$ASBGW" build --period 2026-Q3 -o "$d/q3.xml" >/dev/null
	"$ASBGW" sign "$d/q3.xml" --key "$W/pki/forces/$code/sign.key" \
	    --cert "$W/pki/forces/$code/sign.crt" >/dev/null
}
set -- $FORCES
while [ $# -gt 0 ]; do
	prep "$1" &
	if [ $# -gt 1 ]; then prep "$2" & shift; fi
	wait
	shift
done
echo "prepared $NF signed returns of $(du -h "$W/f/$(echo $FORCES | cut -d' ' -f1)/q3.xml" | cut -f1) in $(echo "$(now) - $t0" | bc) s"

"$ASBHUB" init -d "$W/hub" --ca "$W/pki/ca.crt" --cert "$W/pki/hub/tls.crt" \
    --key "$W/pki/hub/tls.key" --sign-cert "$W/pki/hub/sign.crt" \
    --sign-key "$W/pki/hub/sign.key" >/dev/null
for code in $FORCES; do
	"$ASBHUB" force add "$code" --cert "$W/pki/forces/$code/sign.crt" -d "$W/hub" >/dev/null
done
# queue every return while no hub is listening (two at a time: each checks its signature)
queue() {
	d=$W/f/$1
	ASBREG_DIR=$d/reg "$ASBGW" submit "$d/q3.xml" --url https://localhost:1 \
	    --cert "$W/pki/forces/$1/tls.crt" --key "$W/pki/forces/$1/tls.key" \
	    --ca "$W/pki/ca.crt" >/dev/null 2>&1 || [ $? -eq 5 ]
}
set -- $FORCES
while [ $# -gt 0 ]; do
	queue "$1" &
	if [ $# -gt 1 ]; then queue "$2" & shift; fi
	wait
	shift
done
"$ASBHUB" serve -d "$W/hub" --listen 127.0.0.1:0 --port-file "$W/port" \
    --max-connections "${BENCH_CONNS:-8}" 2>"$W/hub.log" &
HUBPID=$!
while [ ! -s "$W/port" ]; do sleep 0.1; done
URL=https://localhost:$(cat "$W/port")
start=$(now)
for code in $FORCES; do
	(
		d=$W/f/$code
		a=$(now)
		ASBREG_DIR=$d/reg "$ASBGW" send --now --url "$URL" --connect-timeout 3600 \
		    --cert "$W/pki/forces/$code/tls.crt" --key "$W/pki/forces/$code/tls.key" \
		    --ca "$W/pki/ca.crt" >"$d/submit.out" 2>&1 || true
		echo "$(now) - $a" | bc >"$d/accept"
	) &
done
wait_all() { for code in $FORCES; do while [ ! -s "$W/f/$code/accept" ]; do sleep 0.2; done; done; }
wait_all
wall=$(echo "$(now) - $start" | bc)
# peak resident set of the hub process (kB), before it stops
awk '/^VmHWM/ { print $2 }' /proc/$HUBPID/status >"$W/hub.rss"
kill -TERM $HUBPID
wait $HUBPID 2>/dev/null || true
HUBPID=

floor_sum=0
printf '%-10s %10s %10s %7s  %s\n' force accept_s floor_s ratio outcome
for code in $FORCES; do
	d=$W/f/$code
	a=$(now)
	xmlsec1 --verify --trusted-pem "$W/pki/ca.crt" --enabled-reference-uris empty \
	    --enabled-key-data x509 "$d/q3.xml" >/dev/null 2>&1
	xmllint --stream --noout --nonet --schema "$XSD" "$d/q3.xml" 2>/dev/null
	f=$(echo "$(now) - $a" | bc)
	floor_sum=$(echo "$floor_sum + $f" | bc)
	printf '%-10s %10.2f %10.2f %6.2fx  %s\n' "$code" "$(cat "$d/accept")" "$f" \
	    "$(echo "$(cat "$d/accept") / $f" | bc -l)" "$(head -1 "$d/submit.out" | cut -d: -f2-)"
done
stored=$("$ASBHUB" returns -d "$W/hub" --json | grep -c '"state":"accepted"' || true)
ids=$("$ASBHUB" returns -d "$W/hub" --json | grep -o '"return_id":"[^"]*"' | sort | uniq -d | wc -l)
printf 'all %d returns: hub wall %.2f s, floor (tools one after another) %.2f s: %.2fx (target <= 1.0x)\n' \
    "$NF" "$wall" "$floor_sum" "$(echo "$wall / $floor_sum" | bc -l)"
printf 'hub peak RSS %.0f MiB (target < 2048 MiB); stored and accepted: %s of %s; duplicated IDs: %s\n' \
    "$(echo "$(cat "$W/hub.rss") / 1024" | bc -l)" "$stored" "$NF" "$ids"
# where the hub's time went, from its log (ms per return, mean)
awk '/POST \/v1\/returns 200/ { n++; gsub(/[(),]/, ""); for (i = 1; i <= NF; i++) {
	if ($i == "parse") p += $(i+1); if ($i == "signature") s += $(i+1);
	if ($i == "validate") v += $(i+1); if ($i == "store") t += $(i+1) } }
    END { if (n) printf "hub per return (mean ms): parse %.0f, signature %.0f, validate %.0f, store %.0f\n", p/n, s/n, v/n, t/n }' "$W/hub.log"
echo "hub log: ${TMPDIR:-/tmp}/hubbench.log"
