#!/bin/sh
# ops.sh - running the services (issue 16, items 3-5): asbhub operator add|revoke|list;
# GET /v1/metrics on the hub, open to an operator's certificate alone, and GET /metrics on
# asbreg serve, open to a bearer token alone, both parsed line by line as Prometheus' text
# format; one key=value log line per request with the X-Request-Id the client got; SIGTERM
# during a submission (the force gets its receipt or sends again: one stored copy); SIGHUP
# after a revocation and after the hub's TLS certificate is replaced (new connections get the
# new certificate, an open keep-alive connection carries on); and no name, date of birth or
# pseudonym in either service's log.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib/web.sh"
. "$(dirname "$0")/lib.sh"
trap 'web_cleanup; hub_cleanup; rm -rf "$WORK"' EXIT
: "${ASBGW:?set ASBGW to the asbgw binary}" "${ASBHUB:?set ASBHUB to the asbhub binary}"
export ASBREG_DIR=$WORK/reg
unset ASBGW_CONF ASBHUB_DIR
gw() { "$ASBGW" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
hub() { "$ASBHUB" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
want() { if [ "$RC" -eq "$1" ]; then ok; else bad "$2: exit $RC, want $1: $OUT $ERR"; fi; }
rid() { sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$1" | head -1; }
fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f; }
mint() { "$ROOT/tools/devpki" "$PKI" --issue "$@" >/dev/null || bad "devpki --issue $*"; }
stored() { "$ASBHUB" returns -d "$H" --json 2>/dev/null | grep -c "\"return_id\":\"$1\""; }
# prom FILE WHAT: every line a comment (# HELP/# TYPE) or a sample: name{labels} value
prom() {
	if [ ! -s "$1" ]; then bad "$2: empty"; return; fi
	_bad=$(grep -Ev '^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|\+Inf|NaN))$' "$1")
	if [ -z "$_bad" ]; then ok; else bad "$2: not Prometheus text: $_bad"; fi
	# every TYPE names a known kind
	_bad=$(grep '^# TYPE' "$1" | grep -Ev ' (counter|gauge|histogram|summary|untyped)$')
	[ -z "$_bad" ] && ok || bad "$2: bad TYPE lines: $_bad"
}

PKI=$WORK/pki
"$ROOT/tools/devpki" "$PKI" --forces E23000011 >/dev/null || bad "devpki"
F=$PKI/forces/E23000011
mint opscert --cn ops-monitor --client		# an operator's (any CN)
mint ops2 --cn ops-spare --client		# revoked while the service runs
mint opsca --cn ops-evil --profile ca-leaf	# not fit to connect
mint hub2 --cn localhost --server		# the hub's next TLS certificate
H=$WORK/hub
hub_init "$H" "$PKI" E23000011 || bad "hub_init"

# ---- asbhub operator ----------------------------------------------------------------------
hub operator list -d "$H"; want 0 "operator list, none"
contains "$OUT" "no operator certificates" "an empty list says so"
hub operator add --cert "$PKI/opscert.crt" -d "$H"; want 0 "operator add"
contains "$OUT" "registered operator TLS certificate sha256 $(fp "$PKI/opscert.crt")" "add names the fingerprint"
hub operator add --cert "$PKI/ops2.crt" -d "$H"; want 0 "operator add 2"
snapshot "$H/store"; before=$SNAP
hub operator add --cert "$PKI/opscert.crt" -d "$H"; want 4 "operator add twice"
hub operator add --cert "$PKI/opsca.crt" -d "$H"; want 1 "operator add: a CA certificate"
contains "$ERR" "is a CA certificate" "the CA:TRUE refusal says why"
hub operator add -d "$H"; want 2 "operator add without --cert"
contains "$ERR" "give --cert FILE" "usage says what to give"
hub operator add --cert "$WORK/nothere.crt" -d "$H"; want 2 "operator add: no file"
snapshot "$H/store"; [ "$before" = "$SNAP" ] && ok || bad "a refused operator add changed the store"
hub operator list -d "$H" --json; want 0 "operator list --json"
[ "$(printf '%s\n' "$OUT" | grep -c '"revoked":null')" = 2 ] && ok || bad "two active operators: $OUT"
hub force list -d "$H"; lacks "$OUT" "operator" "force list shows operators"

# ---- the hub: metrics, request IDs, logs ----------------------------------------------------
HUB_CA=$PKI/ca.crt HUB_CLIENT=$F
hub_start "$H" 0 || bad "the hub did not start"
URL=$HUB_URL
LOG=$H.log
OPS="--cacert $PKI/ca.crt --cert $PKI/opscert.crt --key $PKI/opscert.key -s"
FC="--cacert $PKI/ca.crt --cert $F/tls.crt --key $F/tls.key -s"
code=$(curl $FC -o m.txt -w '%{http_code}' "$URL/v1/metrics")
[ "$code" = 403 ] && ok || bad "a force's certificate read the metrics: $code"
code=$(curl $OPS -o r.txt -w '%{http_code}' "$URL/v1/returns")
[ "$code" = 403 ] && ok || bad "an operator's certificate listed returns: $code"
code=$(curl $OPS --data-binary @/dev/null -o r.txt -w '%{http_code}' "$URL/v1/returns")
[ "$code" = 403 ] && ok || bad "an operator's certificate posted to /v1/returns: $code"
code=$(curl $OPS -o /dev/null -w '%{http_code}' "$URL/v1/health")
[ "$code" = 200 ] && ok || bad "an operator's certificate cannot read health: $code"

# a register with a person whose name, birth date and pseudonym must stay out of the logs
export ASBREG_NOW=2026-11-01T12:00
expect_ok init --force E23000011
expect_ok person add --name "Oswalda Quimbleforth" --dob 1977-03-14 --sex F --ethnicity W1
P=$OUT
expect_ok add cpw --subject "$P" --issued 2026-08-01
cat > "$ASBREG_DIR/asbgw.conf" <<EOC
force = E23000011
url = $URL
cert = $F/tls.crt
key = $F/tls.key
ca = $PKI/ca.crt
sign-cert = $F/sign.crt
sign-key = $F/sign.key
EOC
gw build --period 2026-Q3 -o q3.xml; want 0 "build"
gw sign q3.xml --key "$F/sign.key" --cert "$F/sign.crt"; want 0 "sign"
PSEUDO=$(sed -n 's:.*<Subject>\([^<]*\)</Subject>.*:\1:p' q3.xml | head -1)
[ -n "$PSEUDO" ] && ok || bad "no pseudonym in the return: the log check proves nothing"
ID=$(rid q3.xml)
curl $FC -D h.txt --data-binary @q3.xml -o r.xml "$URL/v1/returns"
RID=$(tr -d '\r' <h.txt | sed -n 's/^X-Request-Id: //Ip')
contains "$RID" '^[0-9a-f]{8}-[0-9a-f]{6}$' "the answer carries an X-Request-Id"
contains "$(cat "$LOG")" "event=request id=$RID peer=E23000011 method=POST path=/v1/returns status=200 outcome=accepted return=$ID " "the log line has the request's ID"
[ "$(stored "$ID")" = 1 ] && ok || bad "the return was not stored"
curl $FC -o /dev/null "$URL/v1/nothing"
code=$(curl $OPS -D mh.txt -o m.txt -w '%{http_code}' "$URL/v1/metrics")
[ "$code" = 200 ] && ok || bad "the operator cannot read the metrics: $code"
contains "$(tr -d '\r' <mh.txt)" '^Content-Type: text/plain; version=0.0.4' "the metrics' content type"
prom m.txt "the hub's metrics"
M=$(cat m.txt)
contains "$M" '^asbhub_requests_total\{route="POST /v1/returns",status="200"\} 1$' "requests by route and status"
contains "$M" '^asbhub_requests_total\{route="other",status="404"\} 1$' "a 404 counted"
contains "$M" '^asbhub_requests_total\{route="/v1/metrics",status="403"\} 1$' "the refused scrape counted"
contains "$M" '^asbhub_returns_total\{outcome="accepted",rule=""\} 1$' "returns by outcome"
contains "$M" '^asbhub_step_seconds_bucket\{step="validate",le="\+Inf"\} 1$' "the step histogram"
contains "$M" '^asbhub_step_seconds_count\{step="total"\} 2$' "the total histogram (the operator's refused POST too)"
contains "$M" '^asbhub_connections_open [1-9]' "connections in use"
contains "$M" '^asbhub_memory_budget_bytes [1-9]' "the memory budget"
contains "$M" '^asbhub_memory_budget_in_use_bytes 0$' "the budget in use, nothing in hand"
lacks "$M" "$ID|$PSEUDO|E23000011" "the metrics name a return, a pseudonym or a force"
# a refusal with its rule: the same ID with other bytes
cp q3.xml q3b.xml; sed -i 's/<Sex>F</<Sex>M</' q3b.xml
curl $FC --data-binary @q3b.xml -o /dev/null "$URL/v1/returns"
curl $OPS -o m.txt "$URL/v1/metrics"
contains "$(cat m.txt)" '^asbhub_returns_total\{outcome="[a-z]+",rule="R-[A-Z]+-[0-9]+"\} 1$' "a refusal counted with its rule"

# ---- SIGHUP: a revoked operator, a replaced TLS certificate, an open connection kept -------
code=$(curl --cacert "$PKI/ca.crt" --cert "$PKI/ops2.crt" --key "$PKI/ops2.key" -s -o /dev/null -w '%{http_code}' "$URL/v1/metrics")
[ "$code" = 200 ] && ok || bad "the second operator before revocation: $code"
hub operator revoke --cert "$PKI/ops2.crt" -d "$H"; want 0 "operator revoke"
contains "$OUT" "revoked operator TLS certificate" "revoke says so"
hub operator revoke --cert "$PKI/ops2.crt" -d "$H"; want 4 "operator revoke twice"
# keep-alive: one connection open across the SIGHUP and the certificate's replacement
cat > ka.py <<'EOP'
import http.client, os, ssl, sys, time, hashlib
url_port, ca, cert, key, pid, newcrt = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
ctx = ssl.create_default_context(cafile=ca)
ctx.load_cert_chain(cert, key)
c = http.client.HTTPSConnection("localhost", url_port, context=ctx)
c.request("GET", "/v1/health"); r = c.getresponse(); r.read()
first = c.sock.getpeercert(binary_form=True)
sock = c.sock
os.system(sys.argv[7])			# replace the certificate, then SIGHUP
time.sleep(0.5)
c.request("GET", "/v1/health"); r2 = c.getresponse(); r2.read()
same = c.sock is sock
c.close()
d = http.client.HTTPSConnection("localhost", url_port, context=ctx)
d.request("GET", "/v1/health"); r3 = d.getresponse(); r3.read()
fresh = hashlib.sha256(d.sock.getpeercert(binary_form=True)).hexdigest()
print(r.status, r2.status, "same" if same else "reconnected", hashlib.sha256(first).hexdigest(), fresh, r3.status)
EOP
OLDFP=$(fp "$H/tls.crt")
NEWFP=$(fp "$PKI/hub2.crt")
[ "$OLDFP" != "$NEWFP" ] && ok || bad "the new hub certificate is the old one: the test proves nothing"
KA=$(python3 ka.py "$HUB_PORT" "$PKI/ca.crt" "$F/tls.crt" "$F/tls.key" "$HUB_PID" "$PKI/hub2.crt" \
    "cp '$PKI/hub2.crt' '$H/tls.crt' && cp '$PKI/hub2.key' '$H/tls.key' && kill -HUP $HUB_PID" 2>&1)
[ "$KA" = "200 200 same $OLDFP $NEWFP 200" ] && ok || bad "SIGHUP: want '200 200 same $OLDFP $NEWFP 200', got: $KA"
contains "$(cat "$LOG")" "event=reload result=ok" "the reload is logged"
code=$(curl --cacert "$PKI/ca.crt" --cert "$PKI/ops2.crt" --key "$PKI/ops2.key" -s -o /dev/null -w '%{http_code}' "$URL/v1/metrics")
[ "$code" = 000 ] && ok || bad "the revoked operator certificate still connects: $code"
contains "$(cat "$LOG")" "refused: .*ops-spare.*operator's TLS certificate sha256 $(fp "$PKI/ops2.crt") is revoked" "the log names the revoked operator"
# a certificate that does not load: the old one keeps serving
echo garbage > "$H/tls.crt"
kill -HUP "$HUB_PID"; sleep 0.3
contains "$(cat "$LOG")" "event=reload result=failed" "a failed reload is logged"
echo | openssl s_client -connect "127.0.0.1:$HUB_PORT" -cert "$F/tls.crt" -key "$F/tls.key" \
    -CAfile "$PKI/ca.crt" 2>/dev/null | openssl x509 -noout -fingerprint -sha256 >srv.txt 2>/dev/null
contains "$(sed 's/.*=//; s/://g' srv.txt | tr A-F a-f)" "^$NEWFP$" "after a failed reload the certificate loaded before still serves"
cp "$PKI/hub2.crt" "$H/tls.crt"
curl $OPS -o m.txt "$URL/v1/metrics"
contains "$(cat m.txt)" '^asbhub_reloads_total\{result="ok"\} 1$' "reloads counted"
contains "$(cat m.txt)" '^asbhub_reloads_total\{result="failed"\} 1$' "failed reloads counted"

# ---- SIGTERM during a submission: a receipt or a retry, one stored copy -------------------------
gw build --period 2026-Q2 -o q2.xml; want 0 "build Q2"
gw sign q2.xml --key "$F/sign.key" --cert "$F/sign.crt"; want 0 "sign Q2"
ID2=$(rid q2.xml)
# half the body sent, then SIGTERM: the hub stops at once (exit 0) and the request is cut
# off unanswered, so the force sends again; the other half sent after the stop goes nowhere
cat > half.py <<'EOP'
import socket, ssl, sys, time
port, ca, cert, key, body, flag = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], open(sys.argv[5], "rb").read(), sys.argv[6]
ctx = ssl.create_default_context(cafile=ca)
ctx.load_cert_chain(cert, key)
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
s.sendall(b"POST /v1/returns HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:len(body) // 2])
open(flag, "w").write("sent\n")
for i in range(200):			# until the hub has gone
	time.sleep(0.05)
	try:
		open("/proc/%s/stat" % sys.argv[7]).read()
	except OSError:
		break
try:
	s.sendall(body[len(body) // 2:])
	got = s.recv(4096)
	print("answered" if got else "closed")
except (OSError, ssl.SSLError):
	print("closed")
EOP
rm -f half.flag
python3 half.py "$HUB_PORT" "$PKI/ca.crt" "$F/tls.crt" "$F/tls.key" q2.xml half.flag "$HUB_PID" >half.out 2>&1 &
HALF=$!
i=0; while [ ! -s half.flag ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s half.flag ] && ok || bad "half a submission was not sent"
sleep 0.3
T0=$(date +%s)
hub_stop && ok || bad "the hub did not stop on SIGTERM with exit 0"
T1=$(date +%s)
[ $((T1 - T0)) -le 12 ] && ok || bad "SIGTERM took $((T1 - T0)) s"
wait "$HALF"
[ "$(cat half.out)" = closed ] && ok || bad "the submission cut off by the stop: $(cat half.out)"
contains "$(cat "$LOG")" "event=stop signal=15" "the stop is logged"
[ "$(stored "$ID2")" = 0 ] && ok || bad "half a return was stored"
hub_start "$H" "$HUB_PORT" || bad "the hub did not start again"
gw submit q2.xml; want 0 "the force sends again after the stop"
[ "$(stored "$ID2")" = 1 ] && ok || bad "the return stopped mid-submission is stored $(stored "$ID2") times"
gw submit q2.xml; want 0 "and again"
[ "$(stored "$ID2")" = 1 ] && ok || bad "a resend stored it twice"
# the whole body sent and SIGTERM at once: the receipt if the check finished within the
# grace period, else nothing stored and the force sends again; one copy either way
gw build --period 2026-Q1 -o q1.xml; want 0 "build Q1"
gw sign q1.xml --key "$F/sign.key" --cert "$F/sign.crt"; want 0 "sign Q1"
ID1=$(rid q1.xml)
curl $FC --data-binary @q1.xml -o q1.rcpt -w '%{http_code}' "$URL/v1/returns" >q1.code 2>/dev/null &
CURL=$!
hub_stop && ok || bad "the hub did not stop on SIGTERM with exit 0 (whole body)"
wait "$CURL"
case $(cat q1.code) in
200) contains "$(cat q1.rcpt)" "Receipt" "the answer before the stop is a receipt"
     [ "$(stored "$ID1")" = 1 ] && ok || bad "a receipt was sent but the return is stored $(stored "$ID1") times" ;;
*) [ "$(stored "$ID1")" -le 1 ] && ok || bad "stored twice" ;;
esac
hub_start "$H" "$HUB_PORT" || bad "the hub did not start a third time"
gw submit q1.xml; want 0 "the force sends Q1 again"
[ "$(stored "$ID1")" = 1 ] && ok || bad "Q1 is stored $(stored "$ID1") times"

# ---- no personal data or pseudonym in the hub's log --------------------------------------------
hub_stop || bad "stopping the hub"
file_lacks "$LOG" "Oswalda|Quimbleforth|1977-03-14|14/03/1977|$PSEUDO" "personal data in the hub's log"
grep -q "event=request id=" "$LOG" && ok || bad "no request lines in the hub's log"
# every request line is key=value throughout
_bad=$(grep 'event=request' "$LOG" | grep -Ev '^ts=[^ ]+( [a-z_]+=("[^"]*"|[^ "]+))+$')
[ -z "$_bad" ] && ok || bad "request lines that are not key=value: $_bad"

# ---- asbreg serve: GET /metrics with a bearer token, request IDs, a log free of personal data --
web_user "$ASBREG_DIR" pc.9 officer 'a long enough passphrase' || bad "web_user pc.9"
web_user "$ASBREG_DIR" pc.8 officer 'another long passphrase' || bad "web_user pc.8"
web_pki "$WORK/wpki" || bad "web_pki"
TOKEN=$(openssl rand -hex 32)
# a token others can read is refused, and the service does not start
printf '%s\n' "$TOKEN" >"$ASBREG_DIR/metrics.token"; chmod 644 "$ASBREG_DIR/metrics.token"
exits 2 "serve with a world-readable metrics.token" "$ASBREG" serve --listen 127.0.0.1:0 \
    --cert "$WORK/wpki/web.crt" --key "$WORK/wpki/web.key"
contains "$ERR" "metrics.token: not a plain file that only its owner can read" "the token's mode is named"
chmod 600 "$ASBREG_DIR/metrics.token"
web_start "$ASBREG_DIR" "$WORK/wpki" || bad "web_start"
J=$WORK/jar
wreq() { _n=$1; shift; ST=$(curl -s --cacert "$WEB_CA" -b "$J" -c "$J" -D "$WORK/$_n.h" -o "$WORK/$_n.html" -w '%{http_code}' "$@"); }
wcsrf() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$WORK/$1.html" | head -1; }
wreq login "$WEB_URL/login"
TOK=$(wcsrf login)
wreq bad1 --data-urlencode username=pc.9 --data-urlencode 'password=not the passphrase' \
    --data-urlencode "csrf=$TOK" "$WEB_URL/login"
[ "$ST" != 303 ] && ok || bad "a wrong password signed in"
for i in 1 2 3 4 5 6; do
	wreq lock --data-urlencode username=pc.8 --data-urlencode 'password=not the passphrase' \
	    --data-urlencode "csrf=$TOK" "$WEB_URL/login"
done
contains "$(cat "$WORK/lock.html")" "R-LOGIN-002" "pc.8 is locked out: the lockout count proves something"
wreq in --data-urlencode username=pc.9 --data-urlencode 'password=a long enough passphrase' \
    --data-urlencode "csrf=$TOK" "$WEB_URL/login"
[ "$ST" = 303 ] && ok || bad "pc.9 cannot sign in: $ST"
wreq find "$WEB_URL/find?q=Quimbleforth"
[ "$ST" = 200 ] && ok || bad "GET /find: $ST"
contains "$(cat "$WORK/find.html")" "Quimbleforth" "the find page shows the person: the log check proves something"
WID=$(tr -d '\r' <"$WORK/find.h" | sed -n 's/^X-Request-Id: //Ip')
contains "$WID" '^[0-9a-f]{8}-[0-9a-f]{6}$' "the web answer carries an X-Request-Id"
wreq typed "$WEB_URL/Oswalda-1977-03-14"
[ "$ST" = 404 ] && ok || bad "a typed path: $ST"
code=$(curl -s --cacert "$WEB_CA" -o /dev/null -w '%{http_code}' "$WEB_URL/metrics")
[ "$code" = 401 ] && ok || bad "GET /metrics without the token: $code"
code=$(curl -s --cacert "$WEB_CA" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer x$TOKEN" "$WEB_URL/metrics")
[ "$code" = 401 ] && ok || bad "GET /metrics with a wrong token: $code"
code=$(curl -s --cacert "$WEB_CA" -b "$J" -o /dev/null -w '%{http_code}' "$WEB_URL/metrics")
[ "$code" = 401 ] && ok || bad "GET /metrics with an officer's session: $code"
code=$(curl -s --cacert "$WEB_CA" -o wm.txt -D wmh.txt -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$WEB_URL/metrics")
[ "$code" = 200 ] && ok || bad "GET /metrics with the token: $code"
contains "$(tr -d '\r' <wmh.txt)" '^Content-Type: text/plain; version=0.0.4' "the web metrics' content type"
prom wm.txt "asbreg serve's metrics"
WM=$(cat wm.txt)
contains "$WM" '^asbreg_signins_total\{result="ok"\} 1$' "sign-ins counted"
contains "$WM" '^asbreg_signins_total\{result="failed"\} [5-7]$' "failed sign-ins counted"
contains "$WM" '^asbreg_signins_total\{result="locked"\} [1-2]$' "lockouts counted"
contains "$WM" '^asbreg_pages_total\{route="/find",status="200"\} 1$' "pages by route and status"
contains "$WM" '^asbreg_pages_total\{route="other",status="404"\} 1$' "a typed path counted as other"
contains "$WM" '^asbreg_request_seconds_count [1-9]' "the latency histogram"
lacks "$WM" "Oswalda|Quimbleforth|pc\\.[89]|$PSEUDO" "personal data or a user in the web metrics"
web_stop && ok || bad "asbreg serve did not stop on SIGTERM with exit 0"
WLOG=$WEB_LOG
contains "$(cat "$WLOG")" "event=request id=$WID user=pc.9 method=GET route=/find status=200 " "the web log line has the request's ID"
file_lacks "$WLOG" "Oswalda|Quimbleforth|1977-03-14|14/03/1977|$PSEUDO|passphrase" "personal data in asbreg serve's log"
_bad=$(grep 'event=request' "$WLOG" | grep -Ev '^ts=[^ ]+( [a-z_]+=("[^"]*"|[^ "]+))+$')
[ -z "$_bad" ] && ok || bad "web request lines that are not key=value: $_bad"
finish
