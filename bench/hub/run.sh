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
. "$ROOT/tests/lib/hub.sh"
trap 'hub_cleanup; cp "$W/hub.log" "${TMPDIR:-/tmp}/hubbench.log" 2>/dev/null; rm -rf "$W"' EXIT
# pair JOB A [B]: run JOB for A and B at once and wait for each ('wait' alone, or 'wait A B',
# would hide a failure of either); fails if either does
pair() {
	job=$1 pa= pb=
	"$job" "$2" & pa=$!
	if [ $# -gt 2 ]; then "$job" "$3" & pb=$!; fi
	ra=0 rb=0
	wait $pa || ra=$?
	[ -z "$pb" ] || wait $pb || rb=$?
	[ $ra -eq 0 ] || echo "bench/hub: $job $2 failed (exit $ra)" >&2
	[ $rb -eq 0 ] || echo "bench/hub: $job $3 failed (exit $rb)" >&2
	[ $ra -eq 0 ] && [ $rb -eq 0 ]
}
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
	if [ $# -gt 1 ]; then pair prep "$1" "$2"; shift; else pair prep "$1"; fi
	shift
done
echo "prepared $NF signed returns of $(du -h "$W/f/$(echo $FORCES | cut -d' ' -f1)/q3.xml" | cut -f1) in $(echo "$(now) - $t0" | bc) s"

hub_init "$W/hub" "$W/pki" $FORCES
# queue every return while no hub is listening (two at a time: each checks its signature)
queue() {
	d=$W/f/$1
	ASBREG_DIR=$d/reg "$ASBGW" submit "$d/q3.xml" --url https://localhost:1 \
	    --cert "$W/pki/forces/$1/tls.crt" --key "$W/pki/forces/$1/tls.key" \
	    --ca "$W/pki/ca.crt" >/dev/null 2>&1 || [ $? -eq 5 ]
}
set -- $FORCES
while [ $# -gt 0 ]; do
	if [ $# -gt 1 ]; then pair queue "$1" "$2"; shift; else pair queue "$1"; fi
	shift
done
hub_start "$W/hub" 0 --max-connections "${BENCH_CONNS:-8}"
URL=$HUB_URL
start=$(now)
for code in $FORCES; do
	(
		d=$W/f/$code
		a=$(now)
		rc=0
		ASBREG_DIR=$d/reg "$ASBGW" send --now --url "$URL" --connect-timeout 3600 \
		    --cert "$W/pki/forces/$code/tls.crt" --key "$W/pki/forces/$code/tls.key" \
		    --ca "$W/pki/ca.crt" >"$d/submit.out" 2>&1 || rc=$?
		echo "$rc" >"$d/rc"
		echo "$(now) - $a" | bc >"$d/accept"
	) &
done
wait_all() { for code in $FORCES; do while [ ! -s "$W/f/$code/accept" ]; do sleep 0.2; done; done; }
wait_all
wall=$(echo "$(now) - $start" | bc)
# peak resident set of the hub process (kB), before it stops
awk '/^VmHWM/ { print $2 }' "/proc/$HUB_PID/status" >"$W/hub.rss"
hub_stop

floor_sum=0 failed=0
printf '%-10s %10s %10s %7s  %s\n' force accept_s floor_s ratio outcome
for code in $FORCES; do
	d=$W/f/$code
	a=$(now)
	xmlsec1 --verify --trusted-pem "$W/pki/ca.crt" --enabled-reference-uris empty \
	    --enabled-key-data x509 "$d/q3.xml" >/dev/null 2>&1
	xmllint --stream --noout --nonet --schema "$XSD" "$d/q3.xml" 2>/dev/null
	f=$(echo "$(now) - $a" | bc)
	floor_sum=$(echo "$floor_sum + $f" | bc)
	if [ "$(cat "$d/rc")" = 0 ]; then outcome=$(head -1 "$d/submit.out" | cut -d: -f2-)
	else outcome="FAILED (exit $(cat "$d/rc")): $(tail -1 "$d/submit.out")"; failed=$((failed + 1)); fi
	printf '%-10s %10.2f %10.2f %6.2fx  %s\n' "$code" "$(cat "$d/accept")" "$f" \
	    "$(echo "$(cat "$d/accept") / $f" | bc -l)" "$outcome"
done
"$ASBHUB" returns -d "$W/hub" --json >"$W/returns.json"
stored=$(grep -c '"state":"accepted"' "$W/returns.json" || true)
ids=$(grep -o '"return_id":"[^"]*"' "$W/returns.json" | sort | uniq -d | wc -l)
printf 'all %d returns: hub wall %.2f s, floor (tools one after another) %.2f s: %.2fx (target <= 1.0x)\n' \
    "$NF" "$wall" "$floor_sum" "$(echo "$wall / $floor_sum" | bc -l)"
printf 'hub peak RSS %.0f MiB (target < 2048 MiB); stored and accepted: %s of %s; duplicated IDs: %s\n' \
    "$(echo "$(cat "$W/hub.rss") / 1024" | bc -l)" "$stored" "$NF" "$ids"
# where the hub's time went, from its log (ms per return, mean)
awk '/method=POST path=\/v1\/returns status=200 / { n++; for (i = 1; i <= NF; i++) {
	split($i, kv, "="); if (kv[1] == "parse_ms") p += kv[2];
	if (kv[1] == "signature_ms") s += kv[2]; if (kv[1] == "validate_ms") v += kv[2];
	if (kv[1] == "store_ms") t += kv[2] } }
    END { if (n) printf "hub per return (mean ms): parse %.0f, signature %.0f, validate %.0f, store %.0f\n", p/n, s/n, v/n, t/n }' "$W/hub.log"
echo "hub log: ${TMPDIR:-/tmp}/hubbench.log"
# a send that failed has no accept time worth printing: the run fails
[ "$failed" -eq 0 ] && [ "$stored" -eq "$NF" ] && [ "$ids" -eq 0 ] ||
    { echo "bench/hub: $failed sends failed, $stored of $NF stored, $ids duplicated" >&2; exit 1; }
