#!/bin/sh
# crash.sh - kill -9 at random points during asbreg import, asbgw build, asbgw send and
# asbhub serve receiving; after each: the register, outbox and hub store open cleanly, the
# audit chain verifies, an import is all or nothing, a return file is absent or whole and
# valid, and every return is stored once, byte for byte what was sent.
# CRASH_POINTS kill points per component (default 3 in 'make check'; 'make crash' runs 50).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?}"
unset ASBGW_CONF ASBHUB_DIR
POINTS=${CRASH_POINTS:-3}
export ASBREG_DIR=$WORK/reg
# a delay from 0 to $1 milliseconds, from /dev/urandom
pause() {
	r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	sleep "$(awk -v r="$r" -v m="$1" 'BEGIN { printf "%.3f", (r % (m + 1)) / 1000 }')"
}
# milliseconds a command takes
took() {
	a=$(date +%s%N); "$@" >/dev/null 2>&1; b=$(date +%s%N)
	echo $(( (b - a) / 1000000 + 1 ))
}
survived=0

# ---- the material: a synthetic register, its records as CSV, a PKI, a hub -------------------
"$SYNTH" -d "$WORK/src" --force E23000011 --from 2026-Q1 --to 2026-Q3 --scale 3 >/dev/null ||
    bad "synth"
ASBREG_DIR=$WORK/src "$ASBREG" export --csv >"$WORK/rows.csv"
ROWS=$(($(wc -l <"$WORK/rows.csv") - 1))
"$ASBREG" init --force E23000011 >/dev/null
expect_ok person add --name "Crash Testcase" --dob 1980-01-01 --sex M --ethnicity W1
BASE=$("$ASBREG" list --json | wc -l)
cp -a "$ASBREG_DIR" "$WORK/reg0"

# ---- asbreg import: all or nothing, the audit chain intact ----------------------------------
cp -a "$WORK/reg0" "$WORK/tmg"
T=$(ASBREG_DIR=$WORK/tmg took "$ASBREG" import "$WORK/rows.csv")
[ "$(ASBREG_DIR=$WORK/tmg "$ASBREG" list --json | wc -l)" -eq $((BASE + ROWS)) ] && ok ||
    bad "the import itself does not load $ROWS rows"
rm -rf "$WORK/tmg"
i=0
while [ $i -lt "$POINTS" ]; do
	i=$((i + 1))
	rm -rf "$ASBREG_DIR" && cp -a "$WORK/reg0" "$ASBREG_DIR"
	"$ASBREG" import "$WORK/rows.csv" >/dev/null 2>&1 &
	p=$!
	pause "$T"
	kill -9 $p 2>/dev/null
	wait $p 2>/dev/null
	n=$("$ASBREG" list --json 2>/dev/null | wc -l)
	if "$ASBREG" audit --verify >/dev/null 2>&1 &&
	    { [ "$n" -eq "$BASE" ] || [ "$n" -eq $((BASE + ROWS)) ]; }; then
		survived=$((survived + 1)); ok
	else
		bad "import killed (point $i): $n records (want $BASE or $((BASE + ROWS))), audit: $("$ASBREG" audit --verify 2>&1 | tail -1)"
	fi
	# and it still works: what was not stored imports now
	[ "$n" -eq "$BASE" ] && "$ASBREG" import "$WORK/rows.csv" >/dev/null 2>&1
	m=$("$ASBREG" list --json | wc -l)
	[ "$m" -eq "$((BASE + ROWS))" ] && ok || bad "after the kill (point $i): $m records, want $((BASE + ROWS))"
done

# ---- asbgw build: the return file is absent or whole and valid --------------------------------
T=$(ASBREG_DIR=$WORK/src took "$ASBGW" build --period 2026-Q3 -o "$WORK/timing.xml")
i=0
while [ $i -lt "$POINTS" ]; do
	i=$((i + 1))
	rm -f "$WORK/q3.xml"
	ASBREG_DIR=$WORK/src "$ASBGW" build --period 2026-Q3 -o "$WORK/q3.xml" >/dev/null 2>&1 &
	p=$!
	pause "$T"
	kill -9 $p 2>/dev/null
	wait $p 2>/dev/null
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
"$ASBHUB" init -d "$WORK/hub" --ca "$PKI/ca.crt" --cert "$PKI/hub/tls.crt" \
    --key "$PKI/hub/tls.key" --sign-cert "$PKI/hub/sign.crt" --sign-key "$PKI/hub/sign.key" >/dev/null
"$ASBHUB" force add E23000011 --cert "$F/sign.crt" -d "$WORK/hub" >/dev/null
HUBPID=
start_hub() {
	rm -f "$WORK/port"
	"$ASBHUB" serve -d "$WORK/hub" --listen "127.0.0.1:${1:-0}" --port-file "$WORK/port" \
	    2>>"$WORK/hub.log" &
	HUBPID=$!
	j=0; while [ ! -s "$WORK/port" ] && [ $j -lt 100 ]; do sleep 0.1; j=$((j + 1)); done
	PORT=$(cat "$WORK/port")
}
stop_hub() { [ -n "$HUBPID" ] && kill "$HUBPID" 2>/dev/null; wait "$HUBPID" 2>/dev/null; HUBPID=; }
trap 'stop_hub; rm -rf "$WORK"' EXIT
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
LAST=$(rid "$WORK/base.xml")

# ---- asbgw send killed: sent again, stored once ----------------------------------------------------
i=0
while [ $i -lt "$POINTS" ]; do
	i=$((i + 1))
	variant "$WORK/s$i.xml" 1 "$i"
	ID=$(rid "$WORK/s$i.xml")
	stop_hub	# queue it first, then send with the hub up
	ASBREG_DIR=$WORK/src "$ASBGW" submit "$WORK/s$i.xml" >/dev/null 2>&1
	start_hub "$PORT"
	ASBREG_DIR=$WORK/src "$ASBGW" send --now >/dev/null 2>&1 &
	p=$!
	pause "$T"
	kill -9 $p 2>/dev/null
	wait $p 2>/dev/null
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
	ASBREG_DIR=$WORK/src "$ASBGW" submit "$WORK/h$i.xml" >/dev/null 2>&1 &
	p=$!
	pause "$T"
	kill -9 "$HUBPID" 2>/dev/null
	wait "$HUBPID" 2>/dev/null
	HUBPID=
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
finish
