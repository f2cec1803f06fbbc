#!/bin/sh
# attack.sh - the hub on loopback against a stranger and against a force holding valid keys
# (issue 12), at small caps set by options so it takes seconds: 42 trickling connections (a
# ClientHello a byte at a time, idle connections, a request head a byte at a time after the
# handshake) while an honest force's health checks are counted; concurrent large bodies against
# a small memory budget, the peak RSS read from VmHWM and memory given back after the burst;
# two Content-Length headers (400, nothing stored); control characters in a URI escaped in the
# log; a 409 that names the stored SHA-256 only to the force that owns the ID; --port-file
# refusing a symbolic link, a second name and a file that is not ours.  tests/e2e/load.sh runs
# the same at full size (make load).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?}"
unset ASBGW_CONF ASBHUB_DIR
PY="python3 $ROOT/tests/e2e/attack.py"
PKI=$WORK/pki
"$ROOT/tools/devpki" "$PKI" --forces E23000011,E23000005 >/dev/null
F=$PKI/forces/E23000011
G=$PKI/forces/E23000005
"$ASBHUB" init -d "$WORK/hub" --ca "$PKI/ca.crt" --cert "$PKI/hub/tls.crt" \
    --key "$PKI/hub/tls.key" --sign-cert "$PKI/hub/sign.crt" --sign-key "$PKI/hub/sign.key" >/dev/null
"$ASBHUB" force add E23000011 --cert "$F/sign.crt" -d "$WORK/hub" >/dev/null
"$ASBHUB" force add E23000005 --cert "$G/sign.crt" -d "$WORK/hub" >/dev/null
HUBPID=
trap '[ -n "$HUBPID" ] && kill $HUBPID 2>/dev/null; rm -rf "$WORK"' EXIT
start() {
	rm -f "$WORK/port"
	"$ASBHUB" serve -d "$WORK/hub" --listen 127.0.0.1:0 --port-file "$WORK/port" "$@" \
	    2>"$WORK/hub.log" &
	HUBPID=$!
	i=0; while [ ! -s "$WORK/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	PORT=$(cat "$WORK/port")
	URL=https://localhost:$PORT
}
stop() { kill "$HUBPID"; wait "$HUBPID" 2>/dev/null; HUBPID=; }
C="--cacert $PKI/ca.crt --cert $F/tls.crt --key $F/tls.key -s"
CG="--cacert $PKI/ca.crt --cert $G/tls.crt --key $G/tls.key -s"
hex() { printf "$1" | od -An -tx1 | tr -d ' \n'; }
stored() { "$ASBHUB" returns -d "$WORK/hub" --json | grep -c "\"return_id\":\"$1\""; }
rid() { sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$1" | head -1; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ---- slow clients: 42 trickling connections, and an honest force's health checks --------------
start --max-connections 16 --handshake-timeout 1 --header-timeout 2 --max-per-address 4
$PY trickle "$PORT" 3 14 "$F/tls.crt" "$F/tls.key" "$PKI/ca.crt" 127.0.0.2 >"$WORK/trickle" &
TPID=$!
sleep 1
tries=0 answered=0 slowest=0 t0=$(ms)
while [ $(( $(ms) - t0 )) -lt 1800 ]; do
	r=$(curl $C --max-time 3 -o /dev/null -w '%{http_code} %{time_total}' "$URL/v1/health")
	tries=$((tries + 1))
	[ "${r%% *}" = 200 ] && answered=$((answered + 1))
	slowest=$(awk -v a="$slowest" -v b="${r#* }" 'BEGIN { print (b > a) ? b : a }')
	sleep 0.1
done
wait $TPID
echo "attack: $answered of $tries health checks answered (slowest $slowest s) while 42 trickling connections were held open ($(cat "$WORK/trickle"))"
[ "$tries" -ge 3 ] && [ "$answered" -eq "$tries" ] && ok || \
    bad "honest health checks: $answered of $tries answered under slow clients"
limit=1.0; grep -qa __asan_init "$ASBHUB" && limit=2.5	# the sanitizers' handshakes are slow
awk -v t="$slowest" -v l="$limit" 'BEGIN { exit !(t < l) }' && ok || bad "an honest health check took $slowest s"
contains "$(cat "$WORK/hub.log")" "without a request from one address than the service allows" "per-address share enforced"
lacks "$(grep 'closed' "$WORK/hub.log" | grep -v '127.0.0.2 closed')" . "an honest connection was closed"
closed=$(sed -n 's/.*closed-by-hub \([0-9]*\).*/\1/p' "$WORK/trickle")
[ "${closed:-0}" -ge 42 ] && ok || bad "the hub closed only ${closed:-0} trickling connections"
curl $C "$URL/v1/health" | grep -q '"ok"' && ok || bad "the hub stopped answering"
# one of each kind alone, and a body a byte at a time: closed by the deadlines (handshake 1 s,
# head 2 s) and the minimum rate (16 KiB/s after a second)
t0=$(ms)
TRICKLE_KINDS=hello,idle,head,body $PY trickle "$PORT" 2.6 1 "$F/tls.crt" "$F/tls.key" \
    "$PKI/ca.crt" 127.0.0.3 >"$WORK/trickle"
log=$(grep '127.0.0.3' "$WORK/hub.log")
contains "$log" "no TLS handshake within the deadline" "a stalled handshake closed at the deadline"
contains "$log" "no request within the deadline|request head was not complete within the deadline" \
    "a trickled request head closed at the deadline"
contains "$log" "the body arrived slower than the minimum rate" "a trickled body closed at the minimum rate"
contains "$(cat "$WORK/trickle")" "closed-by-hub ([4-9]|[1-9][0-9])" "each closed"
stop

# ---- memory: concurrent large bodies against a 40 MB budget ------------------------------------
python3 -c '
import sys
s = open(sys.argv[1]).read()
a = s.index("<Record "); b = s.index("</Records>")
open(sys.argv[2], "w").write(s[:a] + s[a:b] * 660 + s[b:])' \
    "$ROOT/schema/examples/valid-2026-Q3.xml" "$WORK/big.xml"
start --memory-budget 40000000 --max-body 2500000 --workers 2 --max-per-address 12 \
    --max-unauthenticated 12
hwm0=$(awk '/^VmHWM/ { print $2 }' /proc/$HUBPID/status)
k=0
while [ $k -lt 8 ]; do
	curl $C -D "$WORK/h.$k" -o /dev/null -w '%{http_code}\n' --data-binary @"$WORK/big.xml" \
	    "$URL/v1/returns" >"$WORK/code.$k" &
	k=$((k + 1))
done
wait_codes() { k=0; while [ $k -lt 8 ]; do while [ ! -s "$WORK/code.$k" ]; do sleep 0.05; done; k=$((k + 1)); done; }
wait_codes
hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$HUBPID/status)
sleep 0.3
rss=$(awk '/^VmRSS/ { print $2 }' /proc/$HUBPID/status)
busy=$(cat "$WORK"/code.* | grep -c '^503$')
checked=$(cat "$WORK"/code.* | grep -c '^403$')
echo "attack: 8 concurrent bodies of $(wc -c <"$WORK/big.xml") bytes, budget 40000000: $checked checked, $busy refused 503; peak RSS $((hwm / 1024)) MiB (baseline $((hwm0 / 1024)) MiB), $((rss / 1024)) MiB after"
[ $((busy + checked)) -eq 8 ] && [ "$busy" -ge 1 ] && [ "$checked" -ge 1 ] && ok || \
    bad "memory budget: $checked checked and $busy busy of 8: $(cat "$WORK"/code.*)"
# (under AddressSanitizer its own allocator decides what is held: the figures say nothing)
if grep -qa __asan_init "$ASBHUB"; then
	echo "attack: built with AddressSanitizer: peak and returned memory not checked"
else
	[ $(( (hwm - hwm0) * 1024 )) -le 40000000 ] && ok || bad "peak RSS rose by $((hwm - hwm0)) kB, over the 40 MB budget"
	[ $((rss - hwm0)) -lt 10240 ] && ok || bad "memory not given back after the burst: RSS $rss kB, baseline $hwm0 kB"
fi
grep -qi '^Retry-After: [0-9]' $(grep -l ' 503 ' "$WORK"/h.*) /dev/null && ok || bad "a 503 without Retry-After"
stop

# ---- HTTP: two Content-Length headers, control characters, 409 -------------------------------
"$SYNTH" -d "$WORK/rega" --force E23000011 --from 2026-Q2 --to 2026-Q3 >/dev/null
"$SYNTH" -d "$WORK/regb" --force E23000005 --from 2026-Q3 --to 2026-Q3 >/dev/null
"$ASBGW" build -d "$WORK/rega" --period 2026-Q3 -o "$WORK/a.xml" >/dev/null
"$ASBGW" build -d "$WORK/rega" --period 2026-Q2 -o "$WORK/a2.xml" >/dev/null
"$ASBGW" build -d "$WORK/regb" --period 2026-Q3 -o "$WORK/b.xml" >/dev/null
A=$(rid "$WORK/a.xml")
sed "s:<ReturnId>[^<]*</ReturnId>:<ReturnId>$A</ReturnId>:" "$WORK/b.xml" >"$WORK/b-same-id.xml"
sed 's:\(<Generator [^>]*version="\)\([^"]*\)":\1\2.1":' "$WORK/a.xml" >"$WORK/a-changed.xml"
for x in a a2 b-same-id a-changed; do
	k=$F; [ $x = b-same-id ] && k=$G
	"$ASBGW" sign "$WORK/$x.xml" --key "$k/sign.key" --cert "$k/sign.crt" >/dev/null || bad "sign $x"
done
start
# a signed return whose body the first of two Content-Length headers covers exactly
len=$(wc -c <"$WORK/a2.xml")
out=$($PY raw "$PORT" "$F/tls.crt" "$F/tls.key" "$PKI/ca.crt" \
    "$(hex "POST /v1/returns HTTP/1.1\r\nHost: localhost\r\nContent-Length: $len\r\nContent-Length: $((len + 10))\r\nConnection: close\r\n\r\n")" "$WORK/a2.xml")
contains "$out" "^HTTP/1.1 400" "two Content-Length headers: 400"
contains "$out" "two Content-Length headers" "two Content-Length headers named"
[ "$(stored "$(rid "$WORK/a2.xml")")" = 0 ] && ok || bad "a request with two Content-Length headers stored its return"
# control characters in the request target: escaped in the log
out=$($PY raw "$PORT" "$F/tls.crt" "$F/tls.key" "$PKI/ca.crt" \
    "$(hex "GET /v1/x\033[2J\rFORGED\001 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")")
contains "$out" "^HTTP/1.1 40[04]" "a URI with control characters: refused"
log=$(cat "$WORK/hub.log")
contains "$log" 'method=GET path=/v1/x\\x1b\[2J\\x0dFORGED\\x01 status=40[04]' "control characters escaped in the log"
[ "$(grep -c "$(printf '\033')" "$WORK/hub.log")" = 0 ] && [ "$(grep -c "$(printf '\r')" "$WORK/hub.log")" = 0 ] && \
    ok || bad "a raw control character reached the log"
# 409: the stored SHA-256 to the force that owns the ID, and to no other
code=$(curl $C -o /dev/null -w '%{http_code}' --data-binary @"$WORK/a.xml" "$URL/v1/returns")
[ "$code" = 200 ] && ok || bad "force A's return: HTTP $code"
sha=$(sha256sum "$WORK/a.xml" | cut -d' ' -f1)
out=$(curl $CG -w '\n%{http_code}' --data-binary @"$WORK/b-same-id.xml" "$URL/v1/returns")
contains "$out" '409$' "another force's return under A's ID: 409"
lacks "$out" "$sha" "another force learns nothing of A's return"
out=$(curl $C -w '\n%{http_code}' --data-binary @"$WORK/a-changed.xml" "$URL/v1/returns")
contains "$out" '409$' "A's changed return under its own ID: 409"
contains "$out" "$sha" "the owner is told the SHA-256 it sent first"
[ "$(stored "$A")" = 1 ] && ok || bad "the ID's return was replaced"
stop

# ---- --port-file: never through a link, never into a file that is not ours -------------------
echo keep >"$WORK/target"
ln -s "$WORK/target" "$WORK/link"
ln "$WORK/target" "$WORK/second"
for pf in link second; do
	timeout 10 "$ASBHUB" serve -d "$WORK/hub" --listen 127.0.0.1:0 --port-file "$WORK/$pf" \
	    >/dev/null 2>"$WORK/pf.err"
	rc=$?
	[ $rc -eq 5 ] && ok || bad "--port-file $pf: exit $rc, want 5"
done
contains "$(cat "$WORK/pf.err")" "with one name" "a second name refused"
timeout 10 "$ASBHUB" serve -d "$WORK/hub" --listen 127.0.0.1:0 --port-file "$WORK/link" 2>&1 | \
    grep -q "a symbolic link" && ok || bad "a symbolic link not named"
[ "$(cat "$WORK/target")" = keep ] && ok || bad "the port file's link target was written"
if [ "$(id -u)" = 0 ]; then
	echo keep >"$WORK/theirs"
	chown nobody "$WORK/theirs"
	timeout 10 "$ASBHUB" serve -d "$WORK/hub" --listen 127.0.0.1:0 --port-file "$WORK/theirs" \
	    >/dev/null 2>"$WORK/pf.err"
	rc=$?
	[ $rc -eq 5 ] && [ "$(cat "$WORK/theirs")" = keep ] && ok || bad "another user's port file: exit $rc"
fi
echo old >"$WORK/mine"
"$ASBHUB" serve -d "$WORK/hub" --listen 127.0.0.1:0 --port-file "$WORK/mine" 2>/dev/null &
HUBPID=$!
i=0; while grep -q old "$WORK/mine" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
stop
grep -Eq '^[0-9]+$' "$WORK/mine" && ok || bad "the hub's own port file not rewritten: $(cat "$WORK/mine")"
finish
