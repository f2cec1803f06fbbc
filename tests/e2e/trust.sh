#!/bin/sh
# trust.sh - whom the hub and the force trust (issue 12, "Trust"): TLS client certificates
# that are CA:TRUE, lack clientAuth, name no force or were minted by a force's CA:TRUE
# certificate are refused in the handshake; signing certificates that are CA:TRUE or lack
# digitalSignature cannot be registered; a TLS certificate revoked while the service runs is
# refused from the next connection; a force that registers TLS certificates connects with
# those alone (one that registers none still connects, with a warning in the log); the
# force pins the hub's receipt certificate (a look-alike from the same CA is not trusted;
# two pins for rotation); and an unsigned 400 or 404 (a proxy's), or the hub's signed
# refusal replayed for another request, is retried, never quarantined, while the hub's own
# signed refusal is.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?set ASBGW to the asbgw binary}" "${ASBHUB:?set ASBHUB to the asbhub binary}"
export ASBREG_DIR=$WORK/reg
unset ASBGW_CONF ASBHUB_DIR
FAKE_PID=
trap 'hub_cleanup; [ -z "$FAKE_PID" ] || kill "$FAKE_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

gw() { "$ASBGW" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
hub() { "$ASBHUB" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
want() { if [ "$RC" -eq "$1" ]; then ok; else bad "$2: exit $RC, want $1: $OUT $ERR"; fi; }
rid() { sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$1" | head -1; }
fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f; }

# ---- certificates, good and bad --------------------------------------------------------
PKI=$WORK/pki
"$ROOT/tools/devpki" "$PKI" --forces E23000011,E23000005 >/dev/null || bad "devpki"
F=$PKI/forces/E23000011
G=$PKI/forces/E23000005
mint() { "$ROOT/tools/devpki" "$PKI" --issue "$@" >/dev/null || bad "devpki --issue $*"; }
mint evil --cn E23000011 --profile ca-leaf	# a "leaf" that can issue
mint minted --cn E23000005 --client --issuer evil
cat "$PKI/minted.crt" "$PKI/evil.crt" >"$PKI/minted-chain.crt"
mint noclient --cn E23000011 --profile no-client
mint unknown --cn E23999999 --client
mint nobc --cn E23000011 --profile no-bc
mint nodigsig --cn E23000011 --profile no-digsig
mint spare --cn E23000011 --client	# revoked while the service runs
mint g2 --cn E23000005 --client		# from the CA, never registered
mint lookalike --cn asbhub-receipts	# another receipt certificate from the same CA
mint unregistered --cn E23000011	# a signing certificate the hub does not know
openssl x509 -in "$PKI/evil.crt" -noout -ext basicConstraints | grep -q 'CA:TRUE' && ok ||
    bad "the ca-leaf certificate is not CA:TRUE: the test proves nothing"
openssl verify -CAfile "$PKI/ca.crt" -untrusted "$PKI/evil.crt" "$PKI/minted.crt" >/dev/null &&
    ok || bad "OpenSSL refuses the minted chain on its own: the test proves nothing"

# ---- the hub -------------------------------------------------------------------------------
hub_init "$WORK/hub" "$PKI" E23000011 E23000005 || bad "hub_init"
HS=$WORK/hub/store
# signing certificates: end-entity with digitalSignature, nothing stored otherwise
cli_refuse() {	# WANT PATTERN ARGS...: asbhub ARGS exits WANT, says PATTERN, stores nothing
	w=$1 pat=$2
	shift 2
	snapshot "$HS" || return
	b=$SNAP
	hub "$@"
	snapshot "$HS" || return
	if [ "$RC" -ne "$w" ]; then bad "asbhub $* -> exit $RC, want $w ($ERR)"
	elif ! printf '%s' "$ERR" | grep -q "^asbhub: .*$pat"; then bad "asbhub $* -> no '$pat' in: $ERR"
	elif [ "$b" != "$SNAP" ]; then bad "asbhub $* -> refused but the store changed"
	else ok; fi
}
cli_refuse 1 "lacks keyUsage digitalSignature" force add E23000011 --cert "$PKI/nodigsig.crt" -d "$WORK/hub"
cli_refuse 1 "is a CA certificate" force add E23000011 --cert "$PKI/evil.crt" -d "$WORK/hub"
cli_refuse 1 "is a CA certificate" force add E23000011 --tls-cert "$PKI/evil.crt" -d "$WORK/hub"
cli_refuse 1 "lacks extendedKeyUsage clientAuth" force add E23000011 --tls-cert "$PKI/noclient.crt" -d "$WORK/hub"
cli_refuse 1 "does not chain" force add E23000005 --tls-cert "$PKI/minted.crt" -d "$WORK/hub"
cli_refuse 1 "names 'E23000011', not force E23000005" force add E23000005 --tls-cert "$F/tls.crt" -d "$WORK/hub"
cli_refuse 2 "give CODE and --cert FILE or --tls-cert FILE" force add E23000011 -d "$WORK/hub"
# the receipt key too: a hub cannot be made with a signing certificate that cannot sign
hub init -d "$WORK/hub2" --ca "$PKI/ca.crt" --cert "$PKI/hub/tls.crt" --key "$PKI/hub/tls.key" \
    --sign-cert "$PKI/nodigsig.crt" --sign-key "$PKI/nodigsig.key"
want 2 "init with a receipt certificate lacking digitalSignature"
contains "$ERR" "digitalSignature" "init says why"
absent "$WORK/hub2" "a refused init made a directory"

hub_start "$WORK/hub" 0 || bad "the hub did not start: $(tail -3 "$WORK/hub.log")"
URL=$HUB_URL
LOG=$WORK/hub.log
# curl_tls WHAT CERT KEY: the handshake is refused (curl 35, 55 or 56), the log says why
curl_tls() {
	curl -s --max-time 10 --cacert "$PKI/ca.crt" --cert "$2" --key "$3" "$URL/v1/returns" \
	    -o "$WORK/.curl" 2>/dev/null
	rc=$?
	case $rc in
	35 | 55 | 56) ok ;;
	0) bad "$1: the hub answered: $(cat "$WORK/.curl")" ;;
	*) bad "$1: curl exit $rc, want 35, 55 or 56 (a refused handshake)" ;;
	esac
}
health() { curl -s --max-time 10 --cacert "$PKI/ca.crt" --cert "$1" --key "$2" "$URL/v1/health" 2>/dev/null | grep -q '"ok"'; }
health "$F/tls.crt" "$F/tls.key" && ok || bad "the force's own TLS certificate is refused"
curl_tls "a CA:TRUE leaf naming E23000011" "$PKI/evil.crt" "$PKI/evil.key"
curl_tls "a certificate the CA:TRUE leaf minted for E23000005" "$PKI/minted-chain.crt" "$PKI/minted.key"
curl_tls "a TLS certificate without clientAuth" "$PKI/noclient.crt" "$PKI/noclient.key"
curl_tls "a CN that is no force" "$PKI/unknown.crt" "$PKI/unknown.key"
contains "$(cat "$LOG")" "refused: .*E23000011.*is a CA certificate" "the log names the CA:TRUE refusal"
contains "$(cat "$LOG")" "refused: .*E23000005.*issued through 1 certificate" "the log names the minted chain"
contains "$(cat "$LOG")" "refused: /CN=E23000011.*(lacks extendedKeyUsage clientAuth|unsuitable certificate purpose)" "the log names the missing clientAuth"
contains "$(cat "$LOG")" "refused: .*E23999999' is not a force code" "the log names the unknown force"
health "$PKI/nobc.crt" "$PKI/nobc.key" && ok || bad "a leaf without basicConstraints is refused"
contains "$(cat "$LOG")" "warning: E23000011 registers no TLS client certificate" "a force with none registered is let in with a warning"

# ---- revocation, while the service runs ----------------------------------------------------
health "$PKI/spare.crt" "$PKI/spare.key" && ok || bad "spare certificate before revocation"
hub force revoke E23000011 --cert "$PKI/spare.crt" -d "$WORK/hub"; want 0 "revoke a TLS certificate"
contains "$OUT" "revoked E23000011 TLS client certificate" "revoke says it was a TLS certificate"
curl_tls "a TLS certificate revoked a moment ago" "$PKI/spare.crt" "$PKI/spare.key"
contains "$(cat "$LOG")" "refused: .*E23000011.*is revoked" "the log names the revocation"
health "$F/tls.crt" "$F/tls.key" && ok || bad "revoking one certificate shut the force out"
cli_refuse 4 "revoked already" force revoke E23000011 --tls-cert "$PKI/spare.crt" -d "$WORK/hub"
cli_refuse 1 "names 'E23000011', not force E23000005" force revoke E23000005 --tls-cert "$PKI/spare.crt" -d "$WORK/hub"

# ---- a force that registers its TLS certificates -------------------------------------------
health "$PKI/g2.crt" "$PKI/g2.key" && ok || bad "g2 before registration"
hub force add E23000005 --tls-cert "$G/tls.crt" -d "$WORK/hub"; want 0 "register a TLS certificate"
contains "$OUT" "registered E23000005 TLS client certificate" "force add --tls-cert output"
cli_refuse 4 "registered already" force add E23000005 --tls-cert "$G/tls.crt" -d "$WORK/hub"
health "$G/tls.crt" "$G/tls.key" && ok || bad "the registered TLS certificate is refused"
curl_tls "a CA-issued certificate its force did not register" "$PKI/g2.crt" "$PKI/g2.key"
contains "$(cat "$LOG")" "refused: .*E23000005.*is not one E23000005 registers" "the log names the unregistered certificate"
hub force list -d "$WORK/hub" --json
contains "$OUT" '"force":"E23000005","name":"[^"]*","use":"tls","fingerprint":"'"$(fp "$G/tls.crt")"'"' "force list shows the TLS registration"
contains "$OUT" '"use":"tls","fingerprint":"'"$(fp "$PKI/spare.crt")"'"[^}]*"added":null,"revoked":"' "force list shows the revocation of an unregistered one"

# ---- the force's gateway: receipts pinned --------------------------------------------------
export ASBREG_NOW=2026-11-01T12:00
expect_ok init --force E23000011
n=0
for q in 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2026-Q1 2026-Q2 2026-Q3; do
	n=$((n + 1))
	gw build --period "$q" --test -o "r$n.xml"; want 0 "build $q"
done
conf() {	# the settings, with any extra lines given
	{ printf 'force = E23000011\nurl = %s\ncert = %s\nkey = %s\nca = %s\n' "$1" \
	    "$F/tls.crt" "$F/tls.key" "$PKI/ca.crt"
	  printf 'sign-cert = %s\nsign-key = %s\n' "$F/sign.crt" "$F/sign.key"
	  shift; for l in "$@"; do printf '%s\n' "$l"; done; } >"$ASBREG_DIR/asbgw.conf"
}
HUBFP=$(fp "$PKI/hub/sign.crt")
conf "$URL" "receipt-fingerprint = $(fp "$PKI/lookalike.crt")"
R1=$(rid r1.xml)
gw submit r1.xml; want 5 "a receipt signed by another asbhub-receipts certificate"
gw outbox --json
contains "$OUT" "\"return_id\":\"$R1\"[^}]*\"state\":\"signed\"" "the return stays in the outbox for retry"
contains "$OUT" "\"return_id\":\"$R1\"[^}]*not the hub's receipt certificate pinned" "the outbox says why"
# two pins at once (rotation): the look-alike and the hub's own, with colons and capitals
conf "$URL" "receipt-fingerprint = $(fp "$PKI/lookalike.crt"), $(openssl x509 -in "$PKI/hub/sign.crt" -noout -fingerprint -sha256 | sed 's/.*=//')"
gw send --now; want 0 "delivered once the hub's certificate is pinned"
gw outbox --json
contains "$OUT" "\"return_id\":\"$R1\"[^}]*\"state\":\"acknowledged\"" "acknowledged with two pins"
conf "$URL" "receipt-cert = $PKI/hub/sign.crt"
gw submit r2.xml; want 0 "receipt-cert pins the hub's certificate"
lacks "$ERR" "warning: no receipt-fingerprint" "no warning with a pin"
gw receipt "$(rid r2.xml)"; want 0 "receipt with a pin"
contains "$OUT" "signed by sha256 $HUBFP \(pinned\)" "receipt names the pinned signer"
conf "$URL" "receipt-fingerprint = $(fp "$PKI/lookalike.crt")"
gw receipt "$(rid r2.xml)"; want 1 "a receipt read under another pin"
contains "$ERR" "not the hub's receipt certificate pinned" "receipt says why"
gw receipt "$(rid r2.xml)" --receipt-fingerprint nothex; want 2 "a pin that is no fingerprint"
contains "$ERR" "not a SHA-256 fingerprint" "bad pin says why"
conf "$URL"
gw submit r3.xml; want 0 "no pin: trusted by the CA and the CN, as before"
contains "$ERR" "warning: no receipt-fingerprint or receipt-cert is set" "no pin: a warning"

# ---- refusals: only the hub's own quarantines ------------------------------------------------
conf "$URL" "receipt-cert = $PKI/hub/sign.crt"
# a return signed by a certificate the hub does not register: the hub's signed 403
cp r4.xml r4-unreg.xml
gw sign r4-unreg.xml --key "$PKI/unregistered.key" --cert "$PKI/unregistered.crt"; want 0 "sign with an unregistered certificate"
gw submit r4-unreg.xml; want 1 "the hub's own refusal"
gw outbox --json
contains "$OUT" "\"return_id\":\"$(rid r4.xml)\"[^}]*\"state\":\"rejected\",\"outcome\":\"refused\"" "the hub's signed refusal quarantines"
# capture a signed refusal of the hub for replay: its headers and body
curl -s -D "$WORK/replay.hdr" -o "$WORK/replay.body" --cacert "$PKI/ca.crt" --cert "$F/tls.crt" \
    --key "$F/tls.key" -H "ASB-Nonce: 0123456789abcdef0123456789abcdef" \
    --data-binary @r4-unreg.xml "$URL/v1/returns"
grep -qi '^ASB-Signature: ' "$WORK/replay.hdr" && ok || bad "the hub's refusal carries no ASB-Signature"

# a stand-in for a proxy: the hub's TLS certificate, answering every request as told
fake() {	# STATUS [HEADERS-FILE BODY-FILE]
	rm -f "$WORK/fake.port"
	python3 - "$PKI/hub/tls.crt" "$PKI/hub/tls.key" "$WORK/fake.port" "$@" <<'EOF' &
import http.server, ssl, sys
cert, key, portfile, status = sys.argv[1:5]
hdrs, body = [], b'{"state":"refused","status":%s,"findings":[]}\n' % status.encode()
if len(sys.argv) > 6:
    for line in open(sys.argv[5]):
        if line.lower().startswith(('asb-signature:', 'asb-signer:')):
            k, v = line.split(':', 1)
            hdrs.append((k, v.strip()))
    body = open(sys.argv[6], 'rb').read()
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get('Content-Length') or 0)
        if n:
            self.rfile.read(n)
        self.send_response(int(status))
        for k, v in hdrs:
            self.send_header(k, v)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = answer
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
open(portfile, 'w').write(str(s.server_address[1]))
s.serve_forever()
EOF
	FAKE_PID=$!
	i=0
	while [ ! -s "$WORK/fake.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	FAKE=https://localhost:$(cat "$WORK/fake.port")
}
unfake() { kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=; }
n=4
for case in "400" "404" "403 replay"; do
	n=$((n + 1))
	set -- $case
	if [ "${2:-}" = replay ]; then fake "$1" "$WORK/replay.hdr" "$WORK/replay.body"; else fake "$1"; fi
	conf "$FAKE"	# no pin: a proxy's answer is told apart all the same
	R=$(rid "r$n.xml")
	gw submit "r$n.xml"; want 5 "a $case answer from something in between"
	contains "$ERR" "not signed by the hub" "submit says the $case was not the hub's"
	gw outbox --json
	contains "$OUT" "\"return_id\":\"$R\"[^}]*\"state\":\"signed\"" "a $case keeps the return queued"
	contains "$OUT" "\"return_id\":\"$R\"[^}]*\"last_status\":$1,\"last_error\":\"an answer $1 not signed by the hub" "the outbox reports the $case"
	unfake
	# the real hub, reached again: delivered
	conf "$URL" "receipt-cert = $PKI/hub/sign.crt"
	gw send --now; want 0 "delivered after the $case"
	gw outbox --json
	contains "$OUT" "\"return_id\":\"$R\"[^}]*\"state\":\"acknowledged\"" "acknowledged after the $case"
done

hub_stop && ok || bad "stopping the hub"
finish
