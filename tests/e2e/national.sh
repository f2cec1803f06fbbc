#!/bin/sh
# national.sh - the demo's pipeline for three forces (the full 43 run in 'make demo'):
# synthetic registers, returns built, validated, signed and submitted to asbhub serve, then
# the national report, whose totals must equal what the forces' registers hold for the
# quarter; the compliance view; and the HTML report rendered in headless Chromium (not blank,
# no console errors).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?set SYNTH to the synth binary}"
unset ASBGW_CONF ASBHUB_DIR ASBREG_DIR
N=$WORK/national
Q=2026-Q3
FORCES="E23000011 E23000034 W15000003"
if FORCES=$FORCES QUARTER=$Q sh "$ROOT/tools/national.sh" "$N" >"$WORK/national.out" 2>&1; then ok
else bad "tools/national.sh failed: $(tail -20 "$WORK/national.out")"; fi

# synth's refusals: a clear message, exit code, and no register made
srefuse() {	# want pattern args...
	w=$1 pat=$2
	shift 2
	rc=0; "$SYNTH" "$@" >"$WORK/s.out" 2>"$WORK/s.err" || rc=$?
	if [ "$rc" -ne "$w" ]; then bad "synth $* -> exit $rc, want $w"
	elif ! grep -q -- "$pat" "$WORK/s.err"; then bad "synth $* -> no '$pat' in $(cat "$WORK/s.err")"
	else ok; fi
}
srefuse 2 "not a force code" -d "$WORK/sx" --force E99999999
absent "$WORK/sx" "a register was made for an unknown force"
srefuse 2 "not a range of quarters" -d "$WORK/sx" --force E23000011 --from 2026-Q3 --to 2026-Q1
srefuse 2 "not a range of quarters" -d "$WORK/sx" --force E23000011 --from 2026-Q5
srefuse 2 "--scale" -d "$WORK/sx" --force E23000011 --scale 0
srefuse 2 "--seed: 'abc' is not a number" -d "$WORK/sx" --force E23000011 --seed abc
srefuse 2 "usage" --force E23000011
absent "$WORK/sx" "a refused synth left a register"
snapshot "$N/forces/E23000011/reg"
b=$SNAP
srefuse 4 "exists" -d "$N/forces/E23000011/reg" --force E23000011
unchanged "$N/forces/E23000011/reg" "$b" "synth over an existing register changed it"

# every force acknowledged, and the hub it started is gone
for c in $FORCES; do
	grep -q "acknowledged (accepted)" "$N/forces/$c/submit.out" && ok || bad "$c not acknowledged"
done
# its process is gone, and nothing answers on its port (curl 7: connection refused; any other
# failure would not show that)
pid=$(cat "$N/hub.pid" 2>/dev/null)
[ -n "$pid" ] && ! proc_live "$pid" && ok || bad "the demo left its hub (pid '$pid') running"
port=$(cat "$N/hub.port" 2>/dev/null)
F=$N/pki/forces/E23000011
curl -s --max-time 5 --cacert "$N/pki/ca.crt" --cert "$F/tls.crt" --key "$F/tls.key" \
    "https://localhost:$port/v1/health" >/dev/null 2>&1
rc=$?
[ -n "$port" ] && [ "$rc" = 7 ] && ok || bad "the demo's hub port '$port': curl exit $rc, want 7 (nothing listening)"

# national totals = the sum of the registers for the quarter (uses: records issued in it)
# issued C: records force C's register holds issued in the quarter ("list failed" if it cannot say)
issued() {
	ASBREG_DIR=$N/forces/$1/reg "$ASBREG" list --since 2026-07-01 --until 2026-10-01 --json \
	    >"$WORK/list" 2>&1 || { echo "list failed: $(tail -1 "$WORK/list")"; return; }
	grep -c '"issued":"2026-0[789]-' "$WORK/list"
}
want=0
for c in $FORCES; do
	n=$(issued "$c")
	want=$((want + n))
done
got=$("$ASBHUB" report -d "$N/hub" --period $Q --format json | sed -n 's/.*"total":{"uses":\([0-9]*\).*/\1/p')
[ "$want" -gt 100 ] && [ "$got" = "$want" ] && ok || bad "national uses $got, registers hold $want"
# and per force, against each force's own register
for c in $FORCES; do
	n=$(issued "$c")
	"$ASBHUB" report -d "$N/hub" --period $Q --by force --format json |
	    grep -q "\"force\":\"$c\",\"name\":\"[^\"]*\",\"returns\":1,\"uses\":$n," && ok ||
	    bad "$c: the report's uses differ from its register's $n"
done
# breaches: the sum of the registers' breach events dated in the quarter
want=0
for c in $FORCES; do
	ASBREG_DIR=$N/forces/$c/reg "$ASBREG" export --csv --events >"$WORK/events.csv" ||
	    bad "$c: export --events failed"
	n=$(awk -F, 'NR > 1 && $2 == "breached" && $3 >= "2026-07-01" && $3 < "2026-10-01"' "$WORK/events.csv" | wc -l)
	want=$((want + n))
done
got=$("$ASBHUB" report -d "$N/hub" --period $Q --format json | sed -n 's/.*"total":{[^}]*"breached":\([0-9]*\).*/\1/p')
[ "$want" -gt 0 ] && [ "$got" = "$want" ] && ok || bad "national breaches $got, registers hold $want"

# compliance: three submitted, forty not
"$ASBHUB" compliance -d "$N/hub" --period $Q --json >"$WORK/c.json"
grep -q '"submitted":3,' "$WORK/c.json" && grep -q '"not_submitted":40' "$WORK/c.json" && ok ||
    bad "compliance: $(head -c 300 "$WORK/c.json")"
[ -s "$N/compliance-$Q.html" ] && [ -s "$N/report-$Q.html" ] && ok || bad "no HTML written"

# the ethnicity table is disclosure-controlled: no count from 1 to 4 is printed
awk '/^Disclosure control/ { exit } NR > 4 && $1 != "total" { for (i = 3; i <= NF; i++) if ($i ~ /^[1-4]$/) bad = 1 }
    END { exit bad }' "$N/report-$Q-ethnicity.txt" && ok || bad "a small count in the ethnicity table"
grep -q ' c ' "$N/report-$Q-ethnicity.txt" && ok || bad "nothing suppressed in the ethnicity table"

# the HTML report in headless Chromium: it renders (not blank) and logs no console error
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	bad "chromium is not installed (make deps installs it)"
else
	html=$N/report-$Q.html
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
	    --user-data-dir="$WORK/chrome" --window-size=1200,1600 --enable-logging=stderr --v=0 \
	    --screenshot="$WORK/shot.png" "file://$html" >"$WORK/chrome.log" 2>&1
	[ -s "$WORK/shot.png" ] && ok || bad "no screenshot: $(tail -5 "$WORK/chrome.log")"
	# the page has no script: any console message (an error, a resource that failed to
	# load) is a fault
	file_lacks "$WORK/chrome.log" ':CONSOLE' "console messages"
	# not blank: a blank page of this size is a 9 kB PNG; text, tables and charts are more
	size=$(stat -c %s "$WORK/shot.png" 2>/dev/null || echo 0)
	[ "$size" -gt 40000 ] && ok || bad "the screenshot looks blank ($size bytes)"
fi
# the facts counted are those intake stored, one per accepted return (tools/national.sh
# submits four quarters a force); re-taking them from the stored bytes (asbhub reindex --all)
# gives the same bytes, and the same figures
nfacts=$(mdb_dump -s facts "$N/hub/store" | grep -c '^ [0-9a-f]\{72\}$')
[ "$nfacts" -eq 12 ] && ok || bad "the store holds $nfacts facts values for 12 accepted returns"
"$ASBHUB" report -d "$N/hub" --period $Q --by force,power,outcome --format json >"$WORK/r1.json"
mdb_dump -s facts "$N/hub/store" >"$WORK/facts1" || bad "mdb_dump of the facts failed"
rc=0; "$ASBHUB" reindex -d "$N/hub" --all --json >"$WORK/ri.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] && grep -q '"accepted":12,"written":12,"rule_errors":0,"failed":0' "$WORK/ri.out" &&
    ok || bad "reindex --all -> exit $rc: $(cat "$WORK/ri.out")"
mdb_dump -s facts "$N/hub/store" >"$WORK/facts2" || bad "mdb_dump of the facts failed"
cmp -s "$WORK/facts1" "$WORK/facts2" && [ -s "$WORK/facts1" ] && ok ||
    bad "the facts re-taken from the stored bytes differ from intake's"
"$ASBHUB" report -d "$N/hub" --period $Q --by force,power,outcome --format json >"$WORK/r2.json"
cmp -s "$WORK/r1.json" "$WORK/r2.json" && ok || bad "the report changed after reindex"

# a store written by the release before facts (tests/data/hub-prefacts, made by its
# make-facts-store.sh): report migrates it on open and gives that release's figures, byte
# for byte; compliance too; asbhub reindex migrates a copy the same way
F=$ROOT/tests/data/hub-prefacts
for d in pre pre2; do
	mkdir -p "$WORK/$d/store"
	mdb_load -f "$F/prefacts-store.dump" "$WORK/$d/store" 2>"$WORK/load.err" && ok ||
	    bad "mdb_load of the pre-facts store: $(cat "$WORK/load.err")"
done
mdb_dump -s facts "$WORK/pre/store" >/dev/null 2>&1 && bad "the fixture already has facts" || ok
for by in force,power,quarter age-band,sex,ethnicity outcome local-authority; do
	rc=0; "$ASBHUB" report -d "$WORK/pre" --from 2026-Q2 --to 2026-Q3 --by $by --format json \
	    --include-test >"$WORK/pre.json" 2>"$WORK/pre.err" || rc=$?
	[ "$rc" -eq 0 ] && cmp -s "$WORK/pre.json" "$F/prefacts-report-$(echo $by | tr , -).json" &&
	    ok || bad "pre-facts store by $by: exit $rc, figures differ: $(cat "$WORK/pre.err")"
	if [ "$by" = force,power,quarter ]; then
		grep -q "was from before facts were kept: its accepted returns were re-validated" \
		    "$WORK/pre.err" && ok || bad "no word of the migration: $(cat "$WORK/pre.err")"
	else
		[ ! -s "$WORK/pre.err" ] && ok || bad "migrated twice: $(cat "$WORK/pre.err")"
	fi
done
"$ASBHUB" report -d "$WORK/pre" --from 2026-Q2 --to 2026-Q3 --by force,power --format json |
    cmp -s - "$F/prefacts-report-live.json" && ok || bad "pre-facts store: live figures differ"
"$ASBHUB" compliance -d "$WORK/pre" --period 2026-Q3 --json |
    cmp -s - "$F/prefacts-compliance.json" && ok || bad "pre-facts store: compliance differs"
rc=0; "$ASBHUB" reindex -d "$WORK/pre2" >"$WORK/ri.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] && grep -q "^5 accepted returns: facts written for 5 " "$WORK/ri.out" && ok ||
    bad "reindex of the pre-facts store -> exit $rc: $(cat "$WORK/ri.out")"
"$ASBHUB" report -d "$WORK/pre2" --from 2026-Q2 --to 2026-Q3 --by force,power,quarter \
    --format json --include-test 2>"$WORK/pre.err" |
    cmp -s - "$F/prefacts-report-force-power-quarter.json" && [ ! -s "$WORK/pre.err" ] && ok ||
    bad "after reindex: figures differ or it migrated again: $(cat "$WORK/pre.err")"
# reindex's refusals: exact exit code, the message, nothing made
rc=0; "$ASBHUB" reindex -d "$WORK/nohub" >"$WORK/ri.out" 2>&1 || rc=$?
[ "$rc" -eq 3 ] && grep -q "^asbhub: reindex: .*no hub here" "$WORK/ri.out" && [ ! -e "$WORK/nohub" ] &&
    ok || bad "reindex of no hub -> exit $rc: $(cat "$WORK/ri.out")"
rc=0; "$ASBHUB" reindex -d "$WORK/pre2" extra >"$WORK/ri.out" 2>&1 || rc=$?
[ "$rc" -eq 2 ] && grep -q "no arguments besides options" "$WORK/ri.out" && ok ||
    bad "reindex with an argument -> exit $rc: $(cat "$WORK/ri.out")"
rc=0; "$ASBHUB" reindex --colour >"$WORK/ri.out" 2>&1 || rc=$?
[ "$rc" -eq 2 ] && grep -q "^asbhub: reindex: --colour: unknown option or missing value (see .asbhub reindex --help.)" "$WORK/ri.out" && ok ||
    bad "reindex --colour -> exit $rc: $(cat "$WORK/ri.out")"
"$ASBHUB" reindex --help | grep -q "^usage: asbhub reindex" && ok || bad "reindex --help"
finish
