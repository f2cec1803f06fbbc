#!/bin/sh
# crash.sh - kill -9 at random points during asbreg import, asbgw build, asbgw send and
# asbhub serve receiving; after each: the register, outbox and hub store open cleanly, the
# audit chain verifies, an import is all or nothing, a return file is absent or whole and
# valid, and every return is stored once, byte for byte what was sent.
# CRASH_POINTS kill points per component (default 3 in 'make check'; 'make crash' runs 50).
# A kill -9 that lands after the process has exited proves nothing: each kill point counts
# only if the process was still running when the signal came ('wait' gives 137; for the hub,
# also the submit it was receiving was still running), the script prints how many did, and
# it fails if fewer than CRASH_MIN_LIVE percent of the kill points did (default 50).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?}"
unset ASBGW_CONF ASBHUB_DIR
POINTS=${CRASH_POINTS:-3}
MIN_LIVE=${CRASH_MIN_LIVE:-50}
export ASBREG_DIR=$WORK/reg
# delay MS: seconds for sleep, from 0 to 9/10 of MS milliseconds, from /dev/urandom; worked
# out before the process starts, so the time od and awk take does not push the kill later
delay() {
	r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	awk -v r="$r" -v m="$1" 'BEGIN { m = int(m * 0.9); printf "%.3f", (r % (m + 1)) / 1000 }'
}
# records: how many records the register lists (the kill point fails if list itself fails)
records() {
	if "$ASBREG" list --json >"$WORK/list.out" 2>&1; then wc -l <"$WORK/list.out"
	else echo "list failed: $(tail -1 "$WORK/list.out")"; fi
}
# live COMPONENT: count a kill point that interrupted a live process
LIVE=0 LIVE_IMPORT=0 LIVE_BUILD=0 LIVE_SEND=0 LIVE_HUB=0
live() { LIVE=$((LIVE + 1)); eval "LIVE_$1=\$((LIVE_$1 + 1))"; }
# took CMD...: milliseconds CMD takes; "failed N" if it exits N (a timing of a command that
# failed would aim every kill at nothing)
took() {
	a=$(date +%s%N); "$@" >/dev/null 2>&1; rc=$?; b=$(date +%s%N)
	if [ $rc -eq 0 ]; then echo $(( (b - a) / 1000000 + 1 )); else echo "failed $rc"; fi
}
# timed WHAT: $T is a timing, or the check fails and T becomes 100 ms
timed() {
	case $T in
	'' | *[!0-9]*) bad "timing $1: $T"; T=100 ;;
	*) ok ;;
	esac
}
survived=0

# ---- the material: a synthetic register, its records as CSV, a PKI, a hub -------------------
"$SYNTH" -d "$WORK/src" --force E23000011 --from 2026-Q1 --to 2026-Q3 --scale 3 >/dev/null ||
    bad "synth"
ASBREG_DIR=$WORK/src "$ASBREG" export --csv >"$WORK/rows.csv" || bad "export the synthetic register"
ROWS=$(($(wc -l <"$WORK/rows.csv") - 1))
[ "$ROWS" -gt 100 ] || bad "only $ROWS rows to import"
"$ASBREG" init --force E23000011 >/dev/null
expect_ok person add --name "Crash Testcase" --dob 1980-01-01 --sex M --ethnicity W1
BASE=$(records)
cp -a "$ASBREG_DIR" "$WORK/reg0"

# ---- asbreg import: all or nothing, the audit chain intact ----------------------------------
cp -a "$WORK/reg0" "$WORK/tmg"
T=$(ASBREG_DIR=$WORK/tmg took "$ASBREG" import "$WORK/rows.csv")
timed "import"
[ "$(ASBREG_DIR=$WORK/tmg records)" = $((BASE + ROWS)) ] && ok ||
    bad "the import itself does not load $ROWS rows"
rm -rf "$WORK/tmg"
i=0
while [ $i -lt "$POINTS" ]; do
	i=$((i + 1))
	rm -rf "$ASBREG_DIR" && cp -a "$WORK/reg0" "$ASBREG_DIR"
	d=$(delay "$T")
	"$ASBREG" import "$WORK/rows.csv" >/dev/null 2>&1 &
	p=$!
	sleep "$d"
	kill9 $p && live IMPORT
	n=$(records)
	if "$ASBREG" audit --verify >/dev/null 2>&1 &&
	    { [ "$n" = "$BASE" ] || [ "$n" = $((BASE + ROWS)) ]; }; then
		survived=$((survived + 1)); ok
	else
		bad "import killed (point $i): $n records (want $BASE or $((BASE + ROWS))), audit: $("$ASBREG" audit --verify 2>&1 | tail -1)"
	fi
	# and it still works: what was not stored imports now
	[ "$n" = "$BASE" ] && "$ASBREG" import "$WORK/rows.csv" >/dev/null 2>&1
	m=$(records)
	[ "$m" = "$((BASE + ROWS))" ] && ok || bad "after the kill (point $i): $m records, want $((BASE + ROWS))"
done

# ---- asbgw build: the return file is absent or whole and valid --------------------------------
T=$(ASBREG_DIR=$WORK/src took "$ASBGW" build --period 2026-Q3 -o "$WORK/timing.xml")
timed "build"
i=0
while [ $i -lt "$POINTS" ]; do
	i=$((i + 1))
	rm -f "$WORK/q3.xml"
	d=$(delay "$T")
	ASBREG_DIR=$WORK/src "$ASBGW" build --period 2026-Q3 -o "$WORK/q3.xml" >/dev/null 2>&1 &
	p=$!
	sleep "$d"
	kill9 $p && live BUILD
	if [ ! -e "$WORK/q3.xml" ] || "$ASBGW" validate "$WORK/q3.xml" >/dev/null 2>&1; then
		survived=$((survived + 1)); ok
	else
		bad "build killed (point $i): a partial return was left at the output path"
	fi
	ASBREG_DIR=$WORK/src "$ASBREG" audit --verify >/dev/null 2>&1 && ok || bad "build killed: audit"
done
rm -f "$WORK"/q3.xml.* 2>/dev/null

# ---- the hub, and returns to send -----------------------------------------------------------------
PKI=$WORK/pki
"$ROOT/tools/devpki" "$PKI" --forces E23000011 >/dev/null
F=$PKI/forces/E23000011
hub_init "$WORK/hub" "$PKI" E23000011 || bad "hub init"
start_hub() { hub_start "$WORK/hub" "${1:-0}" || bad "the hub did not start"; PORT=$HUB_PORT; }
stop_hub() { hub_stop || bad "stopping the hub"; }
start_hub
URL=https://localhost:$PORT
printf 'url = %s\ncert = %s\nkey = %s\nca = %s\nsign-cert = %s\nsign-key = %s\n' "$URL" \
    "$F/tls.crt" "$F/tls.key" "$PKI/ca.crt" "$F/sign.crt" "$F/sign.key" >"$WORK/src/asbgw.conf"
ASBREG_DIR=$WORK/src "$ASBGW" build --period 2026-Q3 -o "$WORK/base.xml" >/dev/null
rid() { sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$1" | head -1; }
# a distinct return for each kill point: the same content under a new ID, correcting the
# return accepted before it (a second return for a period must name the one it supersedes)
LAST=
variant() {
	id=$(printf '0f0e0d0c-0b0a-4%03d-8000-%012d' "$2" "$3")
	sed -e "s:<ReturnId>[^<]*</ReturnId>:<ReturnId>$id</ReturnId><Supersedes>$LAST</Supersedes>:" \
	    "$WORK/base.xml" >"$1"
}
stored_once() {	# ID: exactly one copy, and its bytes hash to what the store says
	n=$("$ASBHUB" returns -d "$WORK/hub" --json | grep -c "\"return_id\":\"$1\"")
	[ "$n" = 1 ] || return 1
	h=$("$ASBHUB" show "$1" -d "$WORK/hub" --body | sha256sum | cut -d' ' -f1)
	"$ASBHUB" show "$1" -d "$WORK/hub" --json | grep -q "\"sha256\":\"$h\""
}
T=$(ASBREG_DIR=$WORK/src took "$ASBGW" submit "$WORK/base.xml")
timed "submit"
TSUB=$T
LAST=$(rid "$WORK/base.xml")

# ---- asbgw send killed: sent again, stored once ----------------------------------------------------
# the time a send of one queued return takes (shorter than a submit, which signs first)
variant "$WORK/s0.xml" 1 0
stop_hub
ASBREG_DIR=$WORK/src "$ASBGW" submit "$WORK/s0.xml" >/dev/null 2>&1
start_hub "$PORT"
TS=$(ASBREG_DIR=$WORK/src took "$ASBGW" send --now)
T=$TS
timed "send"
TS=$T T=$TSUB
LAST=$(rid "$WORK/s0.xml")
stored_once "$LAST" && ok || bad "the timed send did not store $LAST once"
i=0
while [ $i -lt "$POINTS" ]; do
	i=$((i + 1))
	variant "$WORK/s$i.xml" 1 "$i"
	ID=$(rid "$WORK/s$i.xml")
	stop_hub	# queue it first, then send with the hub up
	ASBREG_DIR=$WORK/src "$ASBGW" submit "$WORK/s$i.xml" >/dev/null 2>&1
	start_hub "$PORT"
	d=$(delay "$TS")
	ASBREG_DIR=$WORK/src "$ASBGW" send --now >/dev/null 2>&1 &
	p=$!
	sleep "$d"
	kill9 $p && live SEND
	ASBREG_DIR=$WORK/src "$ASBGW" send --now >/dev/null 2>&1
	if ASBREG_DIR=$WORK/src "$ASBGW" outbox --json | grep -q "\"return_id\":\"$ID\"[^}]*\"state\":\"acknowledged\"" &&
	    stored_once "$ID"; then
		survived=$((survived + 1)); ok
		LAST=$ID
	else
		bad "send killed (point $i): $ID not acknowledged and stored once"
	fi
done

# ---- asbhub serve killed while it receives: sent again, stored once ---------------------------------
i=0
while [ $i -lt "$POINTS" ]; do
	i=$((i + 1))
	variant "$WORK/h$i.xml" 2 "$i"
	ID=$(rid "$WORK/h$i.xml")
	d=$(delay "$T")
	ASBREG_DIR=$WORK/src "$ASBGW" submit "$WORK/h$i.xml" >/dev/null 2>&1 &
	p=$!
	sleep "$d"
	# it interrupted a receive only if the submit was still running when the hub died
	if proc_live $p; then inflight=1; else inflight=0; fi
	if hub_kill9; then [ $inflight = 1 ] && live HUB
	else bad "hub killed (point $i): it was not running ($KILL9_STATUS)"; fi
	wait $p 2>/dev/null
	start_hub "$PORT"
	ASBREG_DIR=$WORK/src "$ASBGW" send --now >/dev/null 2>&1
	if stored_once "$ID" && "$ASBHUB" returns -d "$WORK/hub" --json |
	    grep -q "\"return_id\":\"$ID\"[^}]*\"state\":\"accepted\""; then
		survived=$((survived + 1)); ok
		LAST=$ID
	else
		bad "hub killed (point $i): $ID not stored exactly once: $(tail -2 "$WORK/hub.log")"
	fi
done
stop_hub
[ -n "${CRASH_KEEP:-}" ] && cp -a "$WORK" "$CRASH_KEEP"
echo "crash: $survived kill points survived ($POINTS per component)"
echo "crash: $LIVE of $((POINTS * 4)) kill points interrupted a live process (import $LIVE_IMPORT, build $LIVE_BUILD, send $LIVE_SEND, hub receiving $LIVE_HUB)"
[ $((LIVE * 100)) -ge $((POINTS * 4 * MIN_LIVE)) ] && ok ||
    bad "only $LIVE of $((POINTS * 4)) kills interrupted a live process (want $MIN_LIVE%): the others landed after it exited and prove nothing"
finish
