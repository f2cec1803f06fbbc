#!/bin/sh
# fuzz/run.sh BUILD SECONDS - prepare what the targets need ($ASB_FUZZ_DIR: a development
# PKI, a hub with South Yorkshire registered, an empty register) and seed corpora (the
# schema's examples, a signed return, a receipt, a register's CSV export), replay the kept
# regression inputs, then run each target for SECONDS.  Corpora grow in BUILD/corpus between
# runs; a crash is written to BUILD/crashes and fails the run.  Needs the normal build
# (ASBREG, ASBGW, ASBHUB, SYNTH).
set -eu
B=$1 S=$2
: "${ASBREG:?}" "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGETS=${FUZZ_TARGETS:-"return dsig intake receipt csv conf parse web"}
W=$(mktemp -d "${TMPDIR:-/tmp}/asbfuzz.XXXXXX")
. "$ROOT/tests/lib/hub.sh"
trap 'hub_cleanup; rm -rf "$W"' EXIT
export ASB_FUZZ_DIR=$W ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
"$ROOT/tools/devpki" "$W/pki" --forces E23000011 >/dev/null
hub_init "$W/hub" "$W/pki" E23000011
ASBREG_DIR=$W/reg "$ASBREG" init --force E23000011 >/dev/null

# seeds: a small synthetic register, its export, its return signed, and a receipt
# (seeds for every target, so that FUZZ_TARGETS may name only some)
for t in return dsig intake receipt csv conf parse web; do mkdir -p "$W/seeds/$t"; done
for t in $TARGETS; do mkdir -p "$W/seeds/$t" "$B/corpus/$t" "$B/crashes"; done
"$SYNTH" -d "$W/sreg" --force E23000011 --from 2026-Q3 --to 2026-Q3 --scale 0.05 >/dev/null
ASBREG_DIR=$W/sreg "$ASBREG" export --csv >"$W/seeds/csv/records.csv"
ASBREG_DIR=$W/sreg "$ASBREG" export --csv --events >"$W/seeds/csv/events.csv"
"$ASBGW" build -d "$W/sreg" --period 2026-Q3 -o "$W/q3.xml" >/dev/null
cp "$W/q3.xml" "$W/seeds/return/synth.xml"
"$ASBGW" sign "$W/q3.xml" --key "$W/pki/forces/E23000011/sign.key" \
    --cert "$W/pki/forces/E23000011/sign.crt" >/dev/null
for t in dsig intake; do cp "$W/q3.xml" "$W/seeds/$t/signed.xml"; done
for x in "$ROOT"/schema/examples/*.xml; do
	for t in return dsig intake; do cp "$x" "$W/seeds/$t/"; done
done
hub_start "$W/hub"
ASBREG_DIR=$W/sreg "$ASBGW" submit "$W/q3.xml" --url "$HUB_URL" \
    --cert "$W/pki/forces/E23000011/tls.crt" --key "$W/pki/forces/E23000011/tls.key" \
    --ca "$W/pki/ca.crt" >/dev/null
hub_stop
"$ASBHUB" show "$(sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$W/q3.xml")" \
    -d "$W/hub" --receipt >"$W/seeds/receipt/receipt.xml"
cp "$ROOT"/fuzz/seeds/conf/* "$W/seeds/conf/"
cp "$ROOT"/fuzz/seeds/parse/* "$W/seeds/parse/"
cp "$ROOT"/fuzz/seeds/conf/* "$W/seeds/parse/"
cp "$ROOT"/fuzz/seeds/web/* "$W/seeds/web/"

fail=0
for t in $TARGETS; do
	bin=$B/fuzz_$t
	# the kept inputs of crashes found and fixed: each must now run clean
	if [ -d "$ROOT/fuzz/regressions/$t" ] && ls "$ROOT/fuzz/regressions/$t"/* >/dev/null 2>&1; then
		if ! "$bin" "$ROOT/fuzz/regressions/$t"/* >"$W/$t.regress" 2>&1; then
			echo "fuzz $t: a kept regression input fails again:"; tail -30 "$W/$t.regress"
			fail=1
			continue
		fi
	fi
	"$bin" -max_total_time="$S" -timeout=20 -rss_limit_mb=3072 -print_final_stats=1 \
	    -artifact_prefix="$B/crashes/$t-" "$B/corpus/$t" "$W/seeds/$t" >"$W/$t.log" 2>&1 || {
		echo "fuzz $t: FAILED"; grep -A25 'ERROR\|==ERROR\|runtime error\|deadly' "$W/$t.log" | head -60
		ls "$B/crashes/$t-"* 2>/dev/null
		fail=1
		continue
	}
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$W/$t.log" | tail -1)
	echo "fuzz $t: $execs runs in $S s, $cov, no crash ($(ls "$B/corpus/$t" | wc -l) in corpus)"
done
exit $fail
