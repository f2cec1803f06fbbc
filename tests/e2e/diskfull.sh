#!/bin/sh
# diskfull.sh - the hub's store on a small tmpfs: a return that does not fit is answered 503
# with a log line that says why, nothing already acknowledged is lost, the force's outbox
# keeps the return and delivers it once there is room; a store on a read-only filesystem
# stops the service from starting, with a clear message, and loses nothing.
# Needs root (it mounts a tmpfs), as 'make check' has.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?}"
unset ASBGW_CONF ASBHUB_DIR
M=$WORK/small
mkdir -p "$M"
if ! mount -t tmpfs -o size=1m tmpfs "$M" 2>"$WORK/mount.err"; then
	bad "cannot mount a tmpfs to fill ($(cat "$WORK/mount.err")): run as root"
	finish
	exit 1
fi
trap 'hub_cleanup; umount "$M" 2>/dev/null; chattr -i "$WORK/hub2/store/data.mdb" 2>/dev/null; rm -rf "$WORK"' EXIT
PKI=$WORK/pki
"$ROOT/tools/devpki" "$PKI" --forces E23000011 >/dev/null
F=$PKI/forces/E23000011
H=$M/hub
# the hub's log off the small filesystem: it must not fill with the store
HUB_LOG=$WORK/hub.log
hub_init "$H" "$PKI" E23000011 && ok || bad "init"
start_hub() { hub_start "$H" && ok || bad "the hub did not start on $H"; }
stop_hub() { hub_stop && ok || bad "stopping the hub"; }
# body_sum ID: the sha256 of return ID's stored bytes, or a note that asbhub show failed
body_sum() {
	"$ASBHUB" show "$1" -d "$H" --body >"$WORK/body" 2>&1 &&
	    sha256sum <"$WORK/body" || echo "asbhub show $1 failed: $(head -c 300 "$WORK/body")"
}
start_hub
URL=$HUB_URL
export ASBREG_DIR=$WORK/reg
"$SYNTH" -d "$ASBREG_DIR" --force E23000011 --from 2026-Q1 --to 2026-Q3 --scale 8 >/dev/null
printf 'url = %s\ncert = %s\nkey = %s\nca = %s\nsign-cert = %s\nsign-key = %s\n' "$URL" \
    "$F/tls.crt" "$F/tls.key" "$PKI/ca.crt" "$F/sign.crt" "$F/sign.key" >"$ASBREG_DIR/asbgw.conf"
rid() { sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$1" | head -1; }

# a small return fits and is acknowledged
"$ASBGW" build --period 2026-Q1 -o q1.xml >/dev/null
sed -i '/<Record /,/<\/Record>/d; s:<RecordCount>[0-9]*</RecordCount>:<RecordCount>0</RecordCount>:' q1.xml
"$ASBGW" submit q1.xml >/dev/null 2>&1 && ok || bad "a small return was not acknowledged"
A=$(rid q1.xml)
SUM=$(body_sum "$A")
contains "$SUM" '^[0-9a-f]{64} ' "the small return's stored bytes"

# a large one does not fit: 503, a log line that says why, queued in the outbox
"$ASBGW" build --period 2026-Q3 -o q3.xml >/dev/null
[ "$(stat -c %s q3.xml)" -gt 1100000 ] || bad "the test return is too small to fill the disk"
B=$(rid q3.xml)
gw_rc=0; "$ASBGW" submit q3.xml >"$WORK/out" 2>&1 || gw_rc=$?
[ "$gw_rc" = 5 ] && ok || bad "submit on a full disk: exit $gw_rc, want 5 (queued): $(cat "$WORK/out")"
grep -q "method=POST path=/v1/returns status=503 outcome=refused rule=R-HUB-001 return=$B .*bytes free where the store is, [0-9]* needed.*nothing was stored" "$WORK/hub.log" && ok ||
    bad "no clear log line for a full disk: $(tail -2 "$WORK/hub.log")"
"$ASBGW" outbox --json | grep -q "\"return_id\":\"$B\"[^}]*\"state\":\"signed\"[^}]*\"last_status\":503" && ok ||
    bad "the outbox does not keep it: $("$ASBGW" outbox --json | grep "$B")"
curl -s --cacert "$PKI/ca.crt" --cert "$F/tls.crt" --key "$F/tls.key" "$URL/v1/health" | grep -q ok &&
    ok || bad "the hub stopped answering on a full disk"
# nothing acknowledged was lost, across a restart
stop_hub
start_hub
URL=$HUB_URL
sed -i "s|^url = .*|url = $URL|" "$ASBREG_DIR/asbgw.conf"
[ "$(body_sum "$A")" = "$SUM" ] && ok || bad "the acknowledged return changed: $(body_sum "$A")"
exits 0 "asbhub returns" "$ASBHUB" returns -d "$H" --json
lacks "$OUT" "\"return_id\":\"$B\"" "a part of the refused return was stored"

# room again: the outbox delivers it, once
mount -o remount,size=64m "$M" && ok || bad "cannot make room on $M"
"$ASBGW" send --now >/dev/null 2>&1
"$ASBGW" outbox --json | grep -q "\"return_id\":\"$B\"[^}]*\"state\":\"acknowledged\"" && ok ||
    bad "not delivered once there was room: $("$ASBGW" outbox --json | grep "$B")"
exits 0 "asbhub returns" "$ASBHUB" returns -d "$H" --json
[ "$(printf '%s\n' "$OUT" | grep -c "\"return_id\":\"$B\"")" = 1 ] && ok || bad "not stored once"

# a read-only store: the service does not start, says why, and loses nothing
stop_hub
mount -o remount,ro "$M" && ok || bad "cannot make $M read-only"
exits 5 "serve on a read-only store" "$ASBHUB" serve -d "$H" --listen 127.0.0.1:0
contains "$ERR" "^asbhub: .*(read-only|Read-only|permission|cannot)" "serve on a read-only store says why"
"$ASBHUB" returns -d "$H" --json >/dev/null 2>&1
mount -o remount,rw "$M" && ok || bad "cannot make $M writable again"
[ "$(body_sum "$A")" = "$SUM" ] && ok || bad "lost after read-only: $(body_sum "$A")"

# a store that turns read-only while the service runs (the data file made immutable): 503
# with the reason in the log, the outbox keeps the return, delivered once writable again
H=$WORK/hub2
hub_init "$H" "$PKI" E23000011 && ok || bad "init $H"
start_hub
URL=$HUB_URL
sed -i "s|^url = .*|url = $URL|" "$ASBREG_DIR/asbgw.conf"
if chattr +i "$H/store/data.mdb" 2>"$WORK/chattr.err"; then
	"$ASBGW" build --period 2026-Q2 -o q2.xml >/dev/null
	C2=$(rid q2.xml)
	gw_rc=0; "$ASBGW" submit q2.xml >"$WORK/out" 2>&1 || gw_rc=$?
	[ "$gw_rc" = 5 ] && ok || bad "submit to a read-only store: exit $gw_rc, want 5: $(cat "$WORK/out")"
	grep -q "method=POST path=/v1/returns status=503 outcome=refused rule=R-HUB-001 return=$C2 .*nothing was stored" "$WORK/hub.log" && ok ||
	    bad "no log line for a read-only store: $(tail -1 "$WORK/hub.log")"
	chattr -i "$H/store/data.mdb"
	"$ASBGW" send --now >/dev/null 2>&1
	"$ASBGW" outbox --json | grep -q "\"return_id\":\"$C2\"[^}]*\"state\":\"acknowledged\"" && ok ||
	    bad "not delivered once writable: $("$ASBGW" outbox --json | grep "$C2")"
	exits 0 "asbhub returns" "$ASBHUB" returns -d "$H" --json
	[ "$(printf '%s\n' "$OUT" | grep -c "\"return_id\":\"$C2\"")" = 1 ] && ok || bad "not stored once"
else
	bad "cannot make the store immutable: $(cat "$WORK/chattr.err")"
fi
stop_hub
finish
