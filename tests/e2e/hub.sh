#!/bin/sh
# hub.sh - the signed submission end to end: a development PKI, asbgw sign and verify (and
# Debian's xmlsec1 on the same file), asbhub serve on 127.0.0.1 on a free port, and every
# case of the protocol: accepted with a verified receipt, the same bytes again (same receipt,
# one copy), changed bytes under the same ID (409), a correction that supersedes, another
# force's certificate, unsigned, revoked, XXE and oversized bodies (refused, nothing stored,
# the service still answers), <Test>1</Test> a test return at both ends, comments, CDATA,
# PIs and a ds:Object added after signing (400 R-XML-004, nothing stored, national figures
# unchanged), a hub that is down (queued, then delivered once), kill -9 of asbgw during a
# send and of asbhub during a receive (one stored copy, nothing lost), and serve --user
# signing receipts after its key files are gone.  What a force sees before a return goes: the
# uses by power against the last acknowledged return for the quarter before (flagged past the
# threshold), the receipt's findings on submit and send, "waiting (next try T)", the TLS key
# refused with the signing certificate.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?set ASBGW to the asbgw binary}" "${ASBHUB:?set ASBHUB to the asbhub binary}"
export ASBREG_DIR=$WORK/reg
unset ASBGW_CONF ASBHUB_DIR
gw() { "$ASBGW" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
hub() { "$ASBHUB" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
want() { if [ "$RC" -eq "$1" ]; then ok; else bad "$2: exit $RC, want $1: $OUT $ERR"; fi; }
# stored ID: how many copies of return ID the hub's store lists ("asbhub returns failed" if it
# cannot say: never 0 by accident)
stored() {
	"$ASBHUB" returns -d "$WORK/hub" --json >"$WORK/.returns" 2>&1 ||
	    { echo "asbhub returns failed: $(cat "$WORK/.returns")"; return; }
	grep -c "\"return_id\":\"$1\"" "$WORK/.returns"
}
# curl_refused WHAT CURL-ARGS...: the TLS handshake itself is refused: curl exits 35 (TLS
# connect error) or 55/56 (the hub's alert arrives on the first send or receive under TLS 1.3),
# never 7 (nothing listening: a dead hub refuses everyone) or 0.
curl_refused() {
	what=$1
	shift
	curl -s -o /dev/null "$@" 2>/dev/null
	rc=$?
	case $rc in
	35 | 55 | 56) ok ;;
	*) bad "$what: curl exit $rc, want 35, 55 or 56 (a refused handshake)" ;;
	esac
}
rid() { sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$1" | head -1; }

PKI=$WORK/pki
"$ROOT/tools/devpki" "$PKI" --forces E23000011,E23000005 >/dev/null || bad "devpki"
F=$PKI/forces/E23000011
G=$PKI/forces/E23000005
if [ "$(stat -c %a "$F/sign.key")" = 600 ] && [ "$(stat -c %a "$PKI/ca.key")" = 600 ]; then ok
else bad "devpki keys are not 0600"; fi
openssl x509 -in "$F/tls.crt" -noout -subject | grep -q 'CN = E23000011' && ok || bad "force CN"
openssl x509 -in "$PKI/hub/tls.crt" -noout -text | grep -q 'DNS:localhost, IP Address:127.0.0.1' \
    && ok || bad "hub certificate names"

# ---- a register and returns ----------------------------------------------------------------
export ASBREG_NOW=2026-11-01T12:00
expect_ok init --force E23000011
expect_ok person add --name "Hubert Testcase" --dob 1980-02-02 --sex M --ethnicity W1
P=$OUT
expect_ok add cpw --subject "$P" --issued 2026-08-01
gw build --period 2026-Q3 -o q3.xml; want 0 "build"
cp q3.xml q3-unsigned.xml

# ---- sign and verify --------------------------------------------------------------------
gw sign q3.xml --key "$F/sign.key" --cert "$F/sign.crt"; want 0 "sign"
gw verify q3.xml --ca "$PKI/ca.crt"; want 0 "verify"
xmlsec1 --verify --trusted-pem "$PKI/ca.crt" q3.xml >/dev/null 2>&1 && ok || bad "xmlsec1 refuses asbgw's signature"
xmlsec1 --verify --trusted-pem "$PKI/ca.crt" --enabled-reference-uris empty \
    --enabled-key-data x509 q3.xml >/dev/null 2>&1 && ok || bad "xmlsec1 (strict) refuses it"
xmllint --noout --nonet --schema "$ROOT/schema/asb-return-1.xsd" q3.xml 2>/dev/null && ok || bad "signed return fails the XSD"
gw verify q3-unsigned.xml --ca "$PKI/ca.crt"; want 1 "verify unsigned"
contains "$ERR" "R-SIG-001" "unsigned"
sed 's/<Power>cpw</<Power>cpn</' q3.xml > tampered.xml
gw verify tampered.xml --ca "$PKI/ca.crt"; want 1 "verify tampered"
contains "$ERR" "R-SIG-003" "tampered"
exits 1 "xmlsec1 on the tampered return" xmlsec1 --verify --trusted-pem "$PKI/ca.crt" tampered.xml
contains "$ERR" "^FAIL" "xmlsec1 says the tampered return fails"
"$ROOT/tools/devpki" "$WORK/other" --forces E23000011 >/dev/null
gw verify q3.xml --ca "$WORK/other/ca.crt"; want 1 "verify against another CA"
contains "$ERR" "R-SIG-004" "untrusted CA"
cp q3-unsigned.xml other.xml
gw sign other.xml --key "$G/sign.key" --cert "$G/sign.crt"; want 2 "sign with another force's certificate"
contains "$ERR" "R-SIG-006" "signing another force's return names R-SIG-006"
gw sign other.xml --key "$G/sign.key" --cert "$F/sign.crt"; want 2 "sign with a key and a certificate that are not a pair"
contains "$ERR" "is not the certificate of the key" "a mismatched key and certificate are named"
cmp -s other.xml q3-unsigned.xml && ok || bad "a refused sign changed the file"
# the TLS key with the signing certificate of the same force (a data team's slip): refused
# before anything is signed, not "signed" for the hub to call "changed after it was signed"
gw sign other.xml --key "$F/tls.key" --cert "$F/sign.crt"; want 2 "sign with the TLS key and the signing certificate"
contains "$ERR" "^asbgw: sign: .*is not the certificate of the key" "the TLS key with the signing certificate is named"
lacks "$OUT" "signed" "a refused sign says signed"
cmp -s other.xml q3-unsigned.xml && ok || bad "a refused sign changed the file"
gw sign q3.xml --key "$F/sign.key" --cert "$F/sign.crt"; want 4 "sign twice"
gw sign nothere.xml --key "$F/sign.key" --cert "$F/sign.crt"; want 5 "sign a missing file"

# ---- the hub ------------------------------------------------------------------------------
hub init -d "$WORK/hub" --ca "$PKI/ca.crt" --cert "$PKI/hub/tls.crt" --key "$PKI/hub/tls.key" \
    --sign-cert "$PKI/hub/sign.crt" --sign-key "$PKI/hub/sign.key"; want 0 "hub init"
[ "$(stat -c %a "$WORK/hub/sign.key")" = 600 ] && ok || bad "hub key mode"
hub force add E23000011 --cert "$F/sign.crt" -d "$WORK/hub"; want 0 "force add"
hub force add E23000005 --cert "$G/sign.crt" -d "$WORK/hub"; want 0 "force add 2"
hub force add E23000005 --cert "$F/sign.crt" -d "$WORK/hub"; want 1 "force add: CN is another force"
hub force add E23000011 --cert "$WORK/other/forces/E23000011/sign.crt" -d "$WORK/hub"; want 1 "force add: another CA"
hub force add E99999999 --cert "$F/sign.crt" -d "$WORK/hub"; want 2 "force add: unknown code"
hub force add E23000011 --cert "$F/sign.crt" -d "$WORK/hub"; want 4 "force add twice"

# the hub on 127.0.0.1 (tests/lib/hub.sh), its readiness checked with this force's TLS pair
HUB_CA=$PKI/ca.crt HUB_CLIENT=$F
start_hub() {
	if hub_start "$WORK/hub" "${1:-0}" --max-body 2000000; then ok
	else bad "the hub did not start: $(tail -3 "$WORK/hub.log")"; fi
	PORT=$HUB_PORT
}
stop_hub() { hub_stop && ok || bad "stopping the hub"; }
start_hub
URL=https://localhost:$PORT
cat > "$ASBREG_DIR/asbgw.conf" <<EOF
# the force's gateway settings
force = E23000011
url = $URL
cert = $F/tls.crt
key = $F/tls.key
ca = $PKI/ca.crt
sign-cert = $F/sign.crt
sign-key = $F/sign.key
EOF
C="--cacert $PKI/ca.crt --cert $F/tls.crt --key $F/tls.key -s"
curl $C "$URL/v1/health" | grep -q '"ok"' && ok || bad "health"
curl_refused "no client certificate" --cacert "$PKI/ca.crt" "$URL/v1/health"
curl_refused "a foreign client certificate" --cacert "$PKI/ca.crt" \
    --cert "$WORK/other/forces/E23000011/tls.crt" --key "$WORK/other/forces/E23000011/tls.key" \
    "$URL/v1/health"

# accepted, with a verified receipt
ID=$(rid q3.xml)
gw submit q3.xml; want 0 "submit"
contains "$OUT" "acknowledged \(accepted\)" "submit output"
gw receipt "$ID"; want 0 "receipt"
contains "$OUT" "signature verified" "receipt"
gw receipt "$ID" --json; contains "$OUT" '"state":"accepted"' "receipt json"
[ "$(stored "$ID")" = 1 ] && ok || bad "not stored once"
hub show "$ID" -d "$WORK/hub" --body; [ "$OUT" = "$(cat q3.xml)" ] && ok || bad "stored bytes differ from what was sent"

# the same bytes again: the same receipt, one copy
c1=$(curl $C --data-binary @q3.xml "$URL/v1/returns" -o r1.xml -w '%{http_code}')
c2=$(curl $C --data-binary @q3.xml "$URL/v1/returns" -o r2.xml -w '%{http_code}')
# both answered 200 with a receipt (two identical error pages would compare equal too)
[ "$c1 $c2" = "200 200" ] && ok || bad "the same bytes again: HTTP $c1 and $c2, want 200"
contains "$(cat r1.xml)" "Receipt" "the answer to a resubmission is a receipt"
cmp -s r1.xml r2.xml && ok || bad "a resubmission got another receipt"
[ "$(stored "$ID")" = 1 ] && ok || bad "resubmission stored twice"

# changed bytes under the same ID: 409
cp q3-unsigned.xml q3b.xml
sed -i 's/<Created>/<Created>/; s/<Sex>M</<Sex>F</' q3b.xml
gw sign q3b.xml --key "$F/sign.key" --cert "$F/sign.crt"
code=$(curl $C --data-binary @q3b.xml -o /dev/null -w '%{http_code}' "$URL/v1/returns")
[ "$code" = 409 ] && ok || bad "changed bytes under the same ID: $code, want 409"

# a second return for the period without supersedes: rejected; with it: accepted and counted
gw build --period 2026-Q3 -o dup.xml
gw submit dup.xml; want 1 "a second return without supersedes"
gw build --period 2026-Q3 -o fix.xml --supersedes "$ID"
FIX=$(rid fix.xml)
# a minute later, so the outbox can tell which of the two came last (the baseline of 2026-Q4)
ASBREG_NOW=2026-11-01T12:01 gw submit fix.xml; want 0 "a correction"
hub returns -d "$WORK/hub" --json --period 2026-Q3
contains "$OUT" "\"return_id\":\"$FIX\"[^}]*\"counts\":true" "the correction counts"
contains "$OUT" "\"return_id\":\"$ID\"[^}]*\"counts\":false" "the corrected return no longer counts"

# a test return is kept apart and says TEST
gw build --period 2026-Q2 -o test.xml --test
gw submit test.xml; want 0 "test return"
contains "$OUT" "TEST" "test return output"
gw receipt "$(rid test.xml)"; contains "$OUT" "TEST accepted" "TEST in the receipt"

refused() {	# FILE CERTDIR CODE RULE WHAT
	code=$(curl -s --cacert "$PKI/ca.crt" --cert "$2/tls.crt" --key "$2/tls.key" \
	    --data-binary @"$1" -o "$WORK/refusal" -w '%{http_code}' "$URL/v1/returns")
	if [ "$code" != "$3" ]; then bad "$5: HTTP $code, want $3: $(cat "$WORK/refusal")"
	elif ! grep -q "$4" "$WORK/refusal"; then bad "$5: no $4 in $(cat "$WORK/refusal")"
	else ok; fi
}

# <Test>1</Test> is a legal xs:boolean: a test return at both ends, and never counted
expect_ok add cpw --subject "$P" --issued 2025-11-10
gw build --period 2025-Q4 -o t1.xml --test; want 0 "build a test return for 2025-Q4"
sed -i 's#<Test>true</Test>#<Test>1</Test>#' t1.xml
grep -q '<Test>1</Test>' t1.xml && ok || bad "no <Test>1</Test> in t1.xml"
grep -q '<Power>cpw</Power>' t1.xml && ok || bad "t1.xml holds no record"
T1=$(rid t1.xml)
gw submit t1.xml; want 0 "submit a return with <Test>1</Test>"
contains "$OUT" "TEST" "asbgw submit reports <Test>1</Test> as a test return"
gw outbox --json; contains "$OUT" "\"return_id\":\"$T1\"[^}]*\"test\":true" "the outbox holds <Test>1</Test> as a test return"
gw outbox; contains "$OUT" "$T1 .*TEST" "asbgw outbox shows <Test>1</Test> as TEST"
hub returns -d "$WORK/hub" --json
contains "$OUT" "\"return_id\":\"$T1\"[^}]*\"test\":true" "the hub stores <Test>1</Test> as a test return"
hub report -d "$WORK/hub" --period 2025-Q4 --format json
lacks "$OUT" '"force":"E23000011"' "a <Test>1</Test> return reached the national figures"

# edits after signing that the signature does not cover (C14N drops comments and CDATA
# markers; the enveloped transform drops the Signature): refused at the parse step, 400
# R-XML-004, nothing stored, the national figures unchanged
gw build --period 2026-Q3 -o fix2.xml --supersedes "$FIX"
gw sign fix2.xml --key "$F/sign.key" --cert "$F/sign.crt"; want 0 "sign fix2"
FIX2=$(rid fix2.xml)
dump() { mdb_dump -a "$1" >"$WORK/dump" 2>"$WORK/dump.err" || { bad "mdb_dump $1 failed: $(cat "$WORK/dump.err")"; echo failed-$$-$RANDOM; return; }; md5sum <"$WORK/dump"; }
hub report -d "$WORK/hub" --period 2026-Q3 --format json; nat_before=$OUT
contains "$nat_before" '"force":"E23000011"' "the national figures hold the force before the edits"
store_before=$(dump "$WORK/hub/store")
ob_before=$(dump "$ASBREG_DIR/outbox")
for e in 's#<Power>cpw</Power>#<Power>c<!---->pw</Power>#|comment' \
    's#<Ethnicity>W1</Ethnicity>#<Ethnicity><![CDATA[W1]]></Ethnicity>#|CDATA section' \
    's#<Force>E23000011</Force>#<Force><![CDATA[E23000011]]></Force>#|CDATA section' \
    's#^<Return #<?asb x?><Return #|processing instruction' \
    '$ s#$#\n<!-- after the root -->#|comment' \
    's#</KeyInfo>#</KeyInfo><Object><Power>pw</Power></Object>#|ds:Object'; do
	expr=${e%|*} what=${e##*|}
	sed "$expr" fix2.xml > edited.xml
	if cmp -s fix2.xml edited.xml; then bad "the edit '$expr' changed nothing"; continue; fi
	# a comment, a CDATA section or a ds:Object keeps the signature valid (a PI does not:
	# C14N keeps PIs), so only the parse step can see the edit
	case $what in "processing instruction") ;; *)
		xmlsec1 --verify --trusted-pem "$PKI/ca.crt" edited.xml >/dev/null 2>&1 && ok || bad "xmlsec1 refuses the $what edit: the test proves nothing";;
	esac
	refused edited.xml "$F" 400 R-XML-004 "a $what added after signing"
	grep -q "not allowed\|the signature holds" "$WORK/refusal" && ok || bad "the hub does not say why: $(cat "$WORK/refusal")"
	gw submit edited.xml; want 1 "asbgw submit of a return with a $what"
	contains "$ERR" "R-XML-004" "asbgw submit names R-XML-004 for a $what"
done
[ "$(stored "$FIX2")" = 0 ] && ok || bad "an edited return was stored"
[ "$(dump "$WORK/hub/store")" = "$store_before" ] && ok || bad "the hub's store changed after the refusals"
[ "$(dump "$ASBREG_DIR/outbox")" = "$ob_before" ] && ok || bad "the outbox changed after the refusals"
hub report -d "$WORK/hub" --period 2026-Q3 --format json
[ "$OUT" = "$nat_before" ] && ok || bad "the national figures changed after the refusals"

# refused, nothing stored, still answering
snapshot "$WORK/hub/store"
before=$SNAP
gw build --period 2026-Q1 -o q1.xml
cp q1.xml q1-unsigned.xml
gw sign q1.xml --key "$F/sign.key" --cert "$F/sign.crt"
refused q1.xml "$G" 403 R-SIG-006 "another force's TLS certificate"
refused q1-unsigned.xml "$F" 403 R-SIG-001 "unsigned"
refused tampered.xml "$F" 403 R-SIG-003 "tampered"
printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Return xmlns="urn:uk:gov:homeoffice:asb-powers:return:1">&x;</Return>\n' > xxe.xml
refused xxe.xml "$F" 400 R-XML-002 "XXE"
head -c 3000000 /dev/zero | tr '\0' 'a' > big.xml
# 413, or the connection cut while curl still sends (55/56): but then the hub must still answer
code=$(curl $C --data-binary @big.xml -o /dev/null -w '%{http_code}' "$URL/v1/returns")
rc=$?
case $code/$rc in
413/0) ok ;;
000/55 | 000/56) if hub_health; then ok; else bad "oversized body: the hub stopped answering"; fi ;;
*) bad "oversized body: HTTP $code, curl exit $rc, want 413" ;;
esac
unchanged "$WORK/hub/store" "$before" "a refusal stored something"
# a revoked signing certificate
"$ROOT/tools/devpki" "$PKI" --issue rotated --cn E23000011 >/dev/null
hub force add E23000011 --cert "$PKI/rotated.crt" -d "$WORK/hub"; want 0 "a second certificate (rotation)"
hub force revoke E23000011 --cert "$PKI/rotated.crt" -d "$WORK/hub"; want 0 "revoke"
cp q1-unsigned.xml q1r.xml
gw sign q1r.xml --key "$PKI/rotated.key" --cert "$PKI/rotated.crt"
snapshot "$WORK/hub/store"
before=$SNAP
refused q1r.xml "$F" 403 R-SIG-005 "revoked certificate"
unchanged "$WORK/hub/store" "$before" "a refusal of a revoked certificate stored something"
curl $C "$URL/v1/health" | grep -q '"ok"' && ok || bad "the hub stopped answering after the refusals"
hub force list -d "$WORK/hub" --json; contains "$OUT" '"revoked":"' "force list shows the revocation"

# a force sees only its own returns, and can recover a lost ID by asking
curl $C "$URL/v1/returns?period=2026-Q3" | grep -q "$ID" && ok || bad "own returns list"
curl -s --cacert "$PKI/ca.crt" --cert "$G/tls.crt" --key "$G/tls.key" "$URL/v1/returns/$ID" \
    -o /dev/null -w '%{http_code}' | grep -q 404 && ok || bad "another force read a receipt"

# ---- the commands' own refusals: a clear error, the exit code, nothing stored --------------
# cli_refuse WANT PATTERN PROG DIR ARGS...: exit WANT, stderr "PROG: ..." matching PATTERN,
# the LMDB environment in DIR unchanged (a snapshot that cannot be taken fails the check).
cli_refuse() {
	want=$1 pat=$2 prog=$3 dir=$4
	shift 4
	snapshot "$dir" || return
	b=$SNAP
	if [ "$prog" = asbgw ]; then gw "$@"; else hub "$@"; fi
	snapshot "$dir" || return
	if [ "$RC" -ne "$want" ]; then bad "$prog $* -> exit $RC, want $want ($ERR)"
	elif ! printf '%s' "$ERR" | grep -q "^$prog: "; then bad "$prog $* -> stderr not '$prog: ...': $ERR"
	elif ! printf '%s' "$ERR" | grep -q -- "$pat"; then bad "$prog $* -> no '$pat' in: $ERR"
	elif [ "$b" != "$SNAP" ]; then bad "$prog $* -> refused but $dir changed"
	else ok; fi
}
HS=$WORK/hub/store
OB=$ASBREG_DIR/outbox
cli_refuse 4 "holds a hub already" asbhub "$HS" init -d "$WORK/hub" --ca "$PKI/ca.crt" \
    --cert "$PKI/hub/tls.crt" --key "$PKI/hub/tls.key" --sign-cert "$PKI/hub/sign.crt" \
    --sign-key "$PKI/hub/sign.key"
cli_refuse 2 "give -d DIR" asbhub "$HS" init -d "$WORK/hub2" --ca "$PKI/ca.crt"
cli_refuse 2 "is not the certificate of the key" asbhub "$HS" init -d "$WORK/hub2" --ca "$PKI/ca.crt" \
    --cert "$PKI/hub/tls.crt" --key "$PKI/hub/tls.key" --sign-cert "$PKI/hub/sign.crt" \
    --sign-key "$F/sign.key"
absent "$WORK/hub2" "init without its files made a directory"
cli_refuse 3 "no hub here" asbhub "$HS" returns -d "$WORK/nohub"
cli_refuse 3 "no return" asbhub "$HS" show 00000000-0000-4000-8000-000000000000 -d "$WORK/hub"
cli_refuse 2 "2026-Q9" asbhub "$HS" returns -d "$WORK/hub" --period 2026-Q9
cli_refuse 2 "not a force code" asbhub "$HS" returns -d "$WORK/hub" --force E99999999
cli_refuse 2 "not HOST:PORT" asbhub "$HS" serve -d "$WORK/hub" --listen nowhere
cli_refuse 2 "not an IP address" asbhub "$HS" serve -d "$WORK/hub" --listen no.such.host:1
cli_refuse 3 "no such certificate" asbhub "$HS" force revoke E23000011 \
    --cert "$WORK/other/forces/E23000011/sign.crt" -d "$WORK/hub"
cli_refuse 3 "registered to E23000011" asbhub "$HS" force revoke E23000005 \
    --cert "$F/sign.crt" -d "$WORK/hub"
cli_refuse 2 "not a PEM certificate" asbhub "$HS" force add E23000011 --cert q3.xml -d "$WORK/hub"
cli_refuse 2 "unknown option" asbhub "$HS" returns -d "$WORK/hub" --bogus
echo "colour = blue" > bad.conf
cli_refuse 2 "bad.conf:1: unknown setting 'colour'" asbgw "$OB" outbox -c bad.conf
echo "url https://x" > bad.conf
cli_refuse 2 "bad.conf:1: not 'key = value'" asbgw "$OB" send -c bad.conf
cli_refuse 2 "connect-timeout '0' is too small" asbgw "$OB" send --connect-timeout 0
echo "connect-timeout = soon" > bad.conf
cli_refuse 2 "connect-timeout 'soon' is not a number" asbgw "$OB" send -c bad.conf
# the service says where each return's time went, and never what it held
grep -q 'event=request id=[0-9a-f-]* peer=E23000011 method=POST path=/v1/returns status=200 outcome=accepted .* ms=[0-9]* parse_ms=[0-9]* signature_ms=[0-9]* validate_ms=[0-9]* store_ms=[0-9]*' \
    "$WORK/hub.log" && ok || bad "no timings in the hub's log: $(tail -3 "$WORK/hub.log")"
file_lacks "$WORK/hub.log" 'Hubert|Testcase' "personal data in the hub's log"
printf 'url = %s\ncert = %s\nkey = %s\nca = %s\n' "$URL" "$F/tls.crt" "$F/tls.key" \
    "$PKI/ca.crt" > nosign.conf
gw build --period 2026-Q2 -o q2.xml
cli_refuse 2 "is not signed" asbgw "$OB" submit q2.xml -c nosign.conf
cli_refuse 1 "R-XML-002" asbgw "$OB" submit xxe.xml
cli_refuse 2 "is not the certificate of the key" asbgw "$OB" submit q2.xml --sign-key "$F/tls.key"
cli_refuse 2 "2026-Q4 has not ended: it ends at 2027-01-01T00:00:00+00:00" asbgw "$OB" build --period 2026-Q4 -o bad.xml
cli_refuse 2 "2026-Q4 has not ended" asbgw "$ASBREG_DIR" build --period 2026-Q4 -o bad.xml
absent bad.xml "a refused build of a quarter not ended wrote a return"
cli_refuse 1 "R-SIG-003" asbgw "$OB" submit tampered.xml
"$ROOT/tools/devpki" "$PKI" --issue expired --cn E23000011 --days -1 >/dev/null
cp q2.xml q2-copy.xml
cli_refuse 2 "expired" asbgw "$OB" sign q2.xml --key "$PKI/expired.key" --cert "$PKI/expired.crt"
cmp -s q2.xml q2-copy.xml && ok || bad "a refused sign changed the file"
cli_refuse 2 "cannot read the CA" asbgw "$OB" verify q3.xml --ca "$WORK/no-ca.crt"
cli_refuse 3 "no receipt for" asbgw "$OB" receipt 00000000-0000-4000-8000-000000000000
cli_refuse 4 "other content" asbgw "$OB" submit q3b.xml
[ "$(stored "$(rid q2.xml)")" = 0 ] && ok || bad "an unsigned return reached the hub"

# ---- the force sees its return before it goes ------------------------------------------------
# Uses by power against the last return the hub acknowledged for the quarter before, the
# changes past the threshold flagged; the receipt's findings printed whenever there are any.
# A register of its own (E23000005): 3 CPWs in 2026-Q1; 14 CPWs and a CPN appealed late (a
# warning, R-APP-002) in 2026-Q2.
ZS=$WORK/summary-reg
ASBREG_DIR=$ZS "$ASBREG" init --force E23000005 >/dev/null || bad "init the summary register"
i=0
for n in Abel Baker Carter Dyer Evans Fisher Glover Hunter Ingram Jones Keller Lister Mason \
    Naylor Owen Parker Quinn; do
	s=$(ASBREG_DIR=$ZS "$ASBREG" person add --name "Sam $n" --dob $((1960 + i))-03-14 --sex F) ||
	    bad "person $n"
	if [ $i -lt 3 ]; then d=2026-02-1$i; else d=2026-05-$((10 + i)); fi
	ASBREG_DIR=$ZS "$ASBREG" add cpw --subject "$s" --issued $d >/dev/null || bad "cpw $n"
	[ $i -eq 0 ] && S0=$s
	i=$((i + 1))
done
LATE=$(ASBREG_DIR=$ZS "$ASBREG" add cpn --subject "$S0" --issued 2026-04-10 --served 2026-04-10) ||
    bad "the CPN"
ASBREG_DIR=$ZS "$ASBREG" event "$LATE" appealed --date 2026-05-20 >/dev/null 2>&1 || bad "the late appeal"
GS="-d $ZS --url $URL --cert $G/tls.crt --key $G/tls.key --ca $PKI/ca.crt --sign-cert $G/sign.crt --sign-key $G/sign.key"
gw build -d "$ZS" --period 2026-Q1 -o s1.xml; want 0 "build the first quarter"
contains "$ERR" "^asbgw: build: no acknowledged return for 2025-Q4 in the outbox to compare with; uses in 2026-Q1:$" "nothing to compare with is said"
contains "$ERR" "^  cpw +3$" "the quarter's own uses are shown"
S1=$(rid s1.xml)
gw submit s1.xml $GS; want 0 "submit the first quarter"
lacks "$OUT" "warning|error" "a receipt without findings prints none"
gw build -d "$ZS" --period 2026-Q2 -o s2.xml; want 0 "build the second quarter"
contains "$ERR" "^asbgw: build: uses in 2026-Q2 against 2026-Q1 \(return $S1, acknowledged 2026-11-01T12:00:00\+00:00\):$" "the baseline is named"
contains "$ERR" "^  cpw +14 +3  \+11 \(\+367%\)  <- check$" "a rise past the threshold is flagged"
contains "$ERR" "^  cpn +1 +0  \+1 \(new\)$" "a new power below the minimum is not flagged"
contains "$ERR" "^  total +15 +3  \+12 \(\+400%\)  <- check$" "the total"
contains "$ERR" "^asbgw: build: warning: cpw uses changed by \+11 \(\+367%\) against 2026-Q1, past the threshold \(more than 50% and at least 10 uses\): check the register before you submit$" "the flag says why"
lacks "$ERR" "warning: cpn" "an unflagged power has no warning"
gw build -d "$ZS" --period 2026-Q2 -o s2j.xml --json; want 0 "build --json"
contains "$OUT" "\"summary\":\{\"period\":\"2026-Q2\",\"previous_period\":\"2026-Q1\",\"previous_return_id\":\"$S1\",\"previous_acknowledged\":\"2026-11-01T12:00:00\+00:00\",\"compared\":true,\"threshold_pct\":50,\"threshold_min\":10," "the JSON summary names the baseline"
contains "$OUT" '\{"power":"cpw","uses":14,"previous":3,"change":11,"change_pct":367,"flagged":true\}' "JSON: the flagged power"
contains "$OUT" '\{"power":"cpn","uses":1,"previous":0,"change":1,"change_pct":null,"flagged":false\}' "JSON: a power new this quarter"
contains "$OUT" '\{"power":"pspo","uses":0,"previous":0,"change":0,"change_pct":null,"flagged":false\}' "JSON: a power used in neither"
contains "$OUT" '"total":\{"power":"total","uses":15,"previous":3,"change":12,"change_pct":400,"flagged":true\},"flagged":1\}' "JSON: the total and the count of flagged powers"
lacks "$ERR" "^  cpw" "with --json the table is not repeated on stderr"
contains "$ERR" "warning: cpw uses changed" "with --json the flag is still said"
# the threshold is a setting: exactly at it is not past it
gw build -d "$ZS" --period 2026-Q2 -o s2m.xml --change-min 12 --json; want 0 "build --change-min 12"
contains "$OUT" '"power":"cpw","uses":14,"previous":3,"change":11,"change_pct":367,"flagged":false' "11 uses is under a minimum of 12"
contains "$OUT" '"total":\{"power":"total","uses":15,"previous":3,"change":12,"change_pct":400,"flagged":true' "12 uses is a minimum of 12"
gw build -d "$ZS" --period 2026-Q2 -o s2t.xml --change-threshold 367 --json
contains "$OUT" '"power":"cpw",[^}]*"flagged":false' "11 of 3 (366.7%) is not more than 367%"
gw build -d "$ZS" --period 2026-Q2 -o s2t.xml --change-threshold 366 --json
contains "$OUT" '"power":"cpw",[^}]*"flagged":true' "11 of 3 (366.7%) is more than 366%"
cli_refuse 2 "^asbgw: build: --change-threshold: 'half' is not a number (0 to 100000)" asbgw "$ZS" \
    build -d "$ZS" --period 2026-Q2 -o bad.xml --change-threshold half
cli_refuse 2 "^asbgw: build: --change-min: '-1' is too small (0 to 1000000)" asbgw "$ZS" \
    build -d "$ZS" --period 2026-Q2 -o bad.xml --change-min -1
absent bad.xml "a refused build wrote its return"
S2=$(rid s2.xml)
gw sign s2.xml --key "$G/sign.key" --cert "$G/sign.crt"; want 0 "sign the second quarter"
gw submit s2.xml $GS; want 0 "submit a return with a warning"
contains "$OUT" "^$S2 E23000005 2026-Q2: acknowledged \(accepted\)$" "accepted"
contains "$OUT" "^  warning R-APP-002 +[a-z-]+ +line [0-9]+ record [0-9a-f]{32}: an appeal against a CPN" "an accepted return's warning is printed with its rule, record and message"
gw submit s2.xml $GS --json; want 0 "submit it again, --json"
contains "$OUT" "\"return_id\":\"$S2\"[^}]*\"state\":\"acknowledged\".*\"findings\":\[\{\"rule\":\"R-APP-002\",\"severity\":\"warning\",\"action\":\"[a-z-]+\",\"line\":[0-9]+,\"record\":\"[0-9a-f]{32}\",\"message\":\"an appeal" "the findings in the JSON"
# a rejected return's findings too; and a rejected return is no baseline
gw build -d "$ZS" --period 2026-Q2 -o s2dup.xml; want 0 "build a second 2026-Q2 without supersedes"
gw submit s2dup.xml $GS; want 1 "a second return without supersedes is rejected"
contains "$OUT" "rejected \(rejected\)$" "rejected"
contains "$OUT" "^  error +R-[A-Z]+-[0-9]+ +[a-z-]+ +line [0-9]+: " "a rejected return's error is printed"
contains "$OUT" "^  warning R-APP-002 " "beside its warning"
gw build -d "$ZS" --period 2026-Q3 -o s3.xml; want 0 "build the third quarter"
contains "$ERR" "against 2026-Q2 \(return $S2," "the baseline is the accepted return, not the rejected one after it"
contains "$ERR" "^  cpw +0 +14  -14 \(-100%\)  <- check$" "a fall past the threshold is flagged"
# a test return is no baseline: 2026-Q2 of E23000011 has only a test return acknowledged
gw build --period 2026-Q3 -o s3b.xml --supersedes "$FIX"; want 0 "build a correction of 2026-Q3"
lacks "$ERR" "against 2026-Q2" "a test return is a baseline"
contains "$ERR" "no acknowledged return for 2026-Q2 in the outbox" "a test return is no baseline: said"

# ---- the hub is down: queued, then delivered once --------------------------------------------
stop_hub
gw submit q1.xml; want 5 "submit while the hub is down"
Q1=$(rid q1.xml)
contains "$OUT" "^$Q1 E23000011 2026-Q1: waiting \(next try 2026-11-01T12:00:0[0-9]\+00:00\) - " "submit says when it will try again"
gw outbox --json; contains "$OUT" "\"return_id\":\"$Q1\"[^}]*\"state\":\"signed\"[^}]*\"waiting\":true" "queued"
# waiting for its next try is not "nothing due"
gw send; want 0 "send while a return waits for its next try"
contains "$OUT" "^waiting: $Q1 next try at 2026-11-01T12:00:0[0-9]\+00:00 - " "send says which return waits and until when"
lacks "$OUT" "nothing due" "send says nothing due while a return waits"
gw send --json; want 0 "send --json while a return waits"
contains "$OUT" "^\{\"waiting\":\"$Q1\",\"force\":\"E23000011\",\"period\":\"2026-Q1\",\"test\":false,\"next_try\":\"2026-11-01T12:00:0[0-9]\+00:00\",\"attempts\":1," "send --json: the waiting return"
gw outbox; contains "$OUT" "^$Q1 +E23000011 +2026-Q1 +waiting \(next try 2026-11-01T12:00:0[0-9]\+00:00\) +1 " "outbox shows the return waiting, not signed"
gw build -d "$ZS" --period 2026-Q2 -o s2fix.xml --supersedes "$S2"; want 0 "build a correction of 2026-Q2"
S2FIX=$(rid s2fix.xml)
gw submit s2fix.xml $GS; want 5 "submit the correction while the hub is down"
start_hub "$PORT"
gw send --now; want 0 "send after the hub is back"
# send prints a receipt's findings too: a correction of E23000005's 2026-Q2 (its late appeal a
# warning), queued while the hub was down
gw send --now $GS; want 0 "send the queued correction"
contains "$OUT" "^$S2FIX E23000005 2026-Q2: acknowledged \(accepted\)$" "the correction is accepted"
contains "$OUT" "^  warning R-APP-002 +[a-z-]+ +line [0-9]+ record [0-9a-f]{32}: an appeal against a CPN" "send prints the receipt's warning"
gw send --now; want 0 "send again: nothing to do"
contains "$OUT" "^nothing due in the outbox$" "nothing due, and nothing waiting"
[ "$(stored "$(rid q1.xml)")" = 1 ] && ok || bad "queued return not stored once"

# ---- kill -9 asbgw during a send, asbhub during a receive ------------------------------------
# Wherever the kill lands, the outbox and the hub must agree afterwards.  A kill that lands
# after the process exited proves nothing: each says whether it interrupted a live one
# (tests/e2e/crash.sh is where kills are counted and must mostly land).
# 2026-Q4 is under way at ASBREG_NOW: built on purpose, as a test may
gw build --period 2026-Q4 -o q4.xml --allow-open-quarter --json; want 0 "build the quarter under way"
contains "$OUT" "\"previous_period\":\"2026-Q3\",\"previous_return_id\":\"$FIX\"," "the baseline is the correction, the last acknowledged"
contains "$OUT" '\{"power":"cpw","uses":0,"previous":1,"change":-1,"change_pct":-100,"flagged":false\}' "a fall under the minimum is not flagged"
Q4=$(rid q4.xml)
gw sign q4.xml --key "$F/sign.key" --cert "$F/sign.crt"
"$ASBGW" submit q4.xml >/dev/null 2>&1 &
GWPID=$!
sleep 0.05
if kill9 $GWPID; then live="interrupted it"; else live="landed after it exited ($KILL9_STATUS)"; fi
echo "hub: kill -9 of asbgw submit $live"
# recovery is what a data team does: submit again (the same bytes are a no-op in the outbox
# if the first got that far) and send what is queued
gw submit q4.xml
gw send --now
gw outbox --json; contains "$OUT" "\"return_id\":\"$Q4\"[^}]*\"state\":\"acknowledged\"" "delivered after asbgw was killed"
[ "$(stored "$Q4")" = 1 ] && ok || bad "after kill -9 of asbgw: not exactly one copy"
# asbhub killed while it receives: the force resends; one copy
cp q3-unsigned.xml q5.xml
sed -i "s:<ReturnId>[^<]*</ReturnId>:<ReturnId>0f0e0d0c-0b0a-4000-8000-000000000005</ReturnId>:" q5.xml
"$ASBGW" submit q5.xml >/dev/null 2>&1 &
GWPID=$!
sleep 0.02
proc_live $GWPID && live="while asbgw submit ran" || live="after asbgw submit had exited"
hub_kill9 && ok || bad "kill -9 of asbhub: it was not running ($KILL9_STATUS)"
echo "hub: kill -9 of asbhub $live"
wait $GWPID 2>/dev/null
start_hub "$PORT"
gw submit q5.xml
gw send --now
n=$(stored 0f0e0d0c-0b0a-4000-8000-000000000005)
[ "$n" = 1 ] && ok || bad "after kill -9 of asbhub: $n copies"
gw outbox --json
if printf '%s' "$OUT" | grep -q '"return_id":"0f0e0d0c-0b0a-4000-8000-000000000005"'; then ok; else bad "the return was lost from the outbox"; fi
gw send --now
gw outbox --json
contains "$OUT" '"return_id":"0f0e0d0c-0b0a-4000-8000-000000000005"[^}]*"state":"(acknowledged|rejected)"' "decided after the hub came back"
curl $C "$URL/v1/health" | grep -q '"ok"' && ok || bad "the hub does not answer after the crash"
stop_hub

# ---- privilege drop: asbhub serve --user gives up root once bound ----------------------------------
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	PD=$(mktemp -d /tmp/asbhub-user.XXXXXX)
	chmod 755 "$PD"
	cp -a "$WORK/hub" "$PD/hub"
	cli_refuse 2 "must belong to nobody" asbhub "$PD/hub/store" serve -d "$PD/hub" --listen 127.0.0.1:0 --user nobody
	cli_refuse 2 "no user 'nosuchuser'" asbhub "$PD/hub/store" serve -d "$PD/hub" --listen 127.0.0.1:0 --user nosuchuser
	chown -R nobody "$PD/hub"
	if hub_start "$PD/hub" 0 --user nobody; then ok; else bad "serve --user nobody: $(tail -3 "$PD/hub.log")"; fi
	uid=$(awk '/^Uid:/ { print $2 $3 $4 $5 }' "/proc/$HUB_PID/status" 2>/dev/null)
	nob=$(id -u nobody)
	[ "$uid" = "$nob$nob$nob$nob" ] && ok || bad "serve --user nobody runs as uid '$uid'"
	# it still stores: the same return again is answered from the store it owns
	gw submit q3.xml --url "$HUB_URL"
	want 0 "submit to the unprivileged hub"
	# and it still signs new receipts with the key it loaded before it dropped root: the
	# key files are gone now, and no worker opens one
	rm -f "$PD/hub/sign.key" "$PD/hub/sign.crt"
	gw build --period 2026-Q4 --test -o pd.xml --allow-open-quarter; want 0 "build a return for the unprivileged hub"
	PDID=$(rid pd.xml)
	gw submit pd.xml --url "$HUB_URL"
	want 0 "a new return to the unprivileged hub, its key files deleted"
	contains "$OUT" "acknowledged \(accepted\)" "the unprivileged hub issued a receipt"
	gw receipt "$PDID"; want 0 "the unprivileged hub's receipt"
	contains "$OUT" "signature verified" "the unprivileged hub's receipt verifies"
	hub_stop && ok || bad "stopping the unprivileged hub"
	rm -rf "$PD"
else
	bad "the privilege-drop test needs root and the user nobody"
fi

# ---- national figures and compliance from what was stored ---------------------------------------
hub report -d "$WORK/hub" --period 2026-Q3; want 0 "report"
contains "$OUT" "E23000011 +South Yorkshire" "report names the force"
hub report -d "$WORK/hub" --period 2026-Q3 --format json; want 0 "report --format json"
contains "$OUT" '"forces":\[\{"force":"E23000011"' "report json"
hub report -d "$WORK/hub" --year 2026 --by sex,power --format csv -o "$WORK/r.csv"; want 0 "report csv"
head -1 "$WORK/r.csv" | grep -q '^sex,power,measure,count,suppressed$' && ok || bad "csv header: $(head -1 "$WORK/r.csv")"
file_lacks "$WORK/r.csv" ',uses,[1-4],' "a small count published"
grep -q ',uses,,true' "$WORK/r.csv" && ok || bad "nothing suppressed in a table of one person"
hub report -d "$WORK/hub" --period 2026-Q3 --format html -o "$WORK/r.html"; want 0 "report html"
grep -q '<svg' "$WORK/r.html" && ok || bad "html report without charts"
file_lacks "$WORK/r.html" '<[sS][cC][rR][iI][pP][tT]' "html report has a script"
grep -Eo 'https?://[^" ]*' "$WORK/r.html" >"$WORK/links" 2>&1
[ $? -le 1 ] || bad "cannot read the html report: $(cat "$WORK/links")"
out=$(grep -vx 'http://www.w3.org/2000/svg' "$WORK/links")
if [ -z "$out" ]; then ok; else bad "html report links out: $out"; fi
# a force with nothing to report sends an explicit zero return, and compliance tells
# "none used" from "not submitted"
start_hub "$PORT"
ZR=$WORK/zero-reg
ASBREG_DIR=$ZR "$ASBREG" init --force E23000005 >/dev/null
gw build -d "$ZR" --period 2026-Q3 -o zero.xml; want 0 "build an empty period"
grep -q '<RecordCount>0</RecordCount>' zero.xml && ok || bad "not a zero return: $(head -c 400 zero.xml)"
gw submit zero.xml -d "$ZR" --url "$URL" --cert "$G/tls.crt" --key "$G/tls.key" --ca "$PKI/ca.crt" \
    --sign-cert "$G/sign.crt" --sign-key "$G/sign.key"; want 0 "submit a zero return"
stop_hub
hub compliance -d "$WORK/hub" --period 2026-Q3 --json; want 0 "compliance"
contains "$OUT" '"force":"E23000005"[^}]*"status":"(on time|late) \(none used\)"' "a zero return is none used"
contains "$OUT" '"none_used":1' "compliance counts zero returns"
contains "$OUT" '"forces":43' "compliance lists every force"
contains "$OUT" '"force":"E23000011"[^}]*"status":"(on time|late)' "compliance status"
contains "$OUT" '"force":"E23000001"[^}]*"status":"not submitted"' "a force that sent nothing"
cli_refuse 2 "not a dimension" asbhub "$HS" report -d "$WORK/hub" --period 2026-Q3 --by colour
cli_refuse 2 "give one of --period" asbhub "$HS" report -d "$WORK/hub"
cli_refuse 2 "give one of --period" asbhub "$HS" report -d "$WORK/hub" --period 2026-Q3 --year 2026
cli_refuse 2 "not text, csv, json or html" asbhub "$HS" report -d "$WORK/hub" --period 2026-Q3 --format pdf
cli_refuse 2 "is before" asbhub "$HS" report -d "$WORK/hub" --from 2026-Q3 --to 2026-Q1
cli_refuse 2 "threshold" asbhub "$HS" report -d "$WORK/hub" --period 2026-Q3 --threshold 1
cli_refuse 3 "no hub here" asbhub "$HS" report -d "$WORK/nohub" --period 2026-Q3
cli_refuse 3 "cannot read it" asbhub "$HS" report -d "$WORK/hub" --period 2026-Q3 --population /nonexistent
printf 'E99999999\t5\n' > badpop.tsv
cli_refuse 2 "badpop.tsv:1: want 'FORCE-CODE<TAB>PEOPLE'" asbhub "$HS" report -d "$WORK/hub" --period 2026-Q3 --population badpop.tsv
cli_refuse 2 "--due-days" asbhub "$HS" compliance -d "$WORK/hub" --period 2026-Q3 --due-days 400
cli_refuse 2 "give --period" asbhub "$HS" compliance -d "$WORK/hub"
cli_refuse 2 "2026-Q9" asbhub "$HS" compliance -d "$WORK/hub" --period 2026-Q9
cli_refuse 5 "cannot write" asbhub "$HS" report -d "$WORK/hub" --period 2026-Q3 -o /nonexistent/r.txt
# ---- help and usage: every command's own --help, unknown commands and options ------------------
for c in init force serve returns show report compliance reindex "force add" "force revoke" "force list"; do
	hub $c --help
	if [ "$RC" -ne 0 ]; then bad "asbhub $c --help: exit $RC: $ERR"
	elif ! printf '%s\n' "$OUT" | head -n 1 | grep -Eq "^usage: asbhub $c( |\$)"; then
		bad "asbhub $c --help: the first line is not its usage: $OUT"
	elif ! printf '%s' "$OUT" | grep -q "^Exit: "; then bad "asbhub $c --help: no exit codes: $OUT"
	else ok; fi
	H=$OUT
	case $c in
	"force "*) hub force help "${c#force }" ;;	# the verbs' own table
	*) hub help $c ;;
	esac
	[ "$RC" -eq 0 ] && [ "$OUT" = "$H" ] && ok || bad "asbhub help $c differs from $c --help: $RC $OUT"
	[ "$c" = force ] && continue	# options follow a verb
	cli_refuse 2 "^asbhub: $c: --bogus: unknown option or missing value (see 'asbhub $c --help')" \
	    asbhub "$HS" $c -d "$WORK/hub" --bogus
done
hub --help; want 0 "asbhub --help"
for c in init force serve returns show report compliance; do
	contains "$OUT" "^  $c +[a-z]" "asbhub --help lists $c with its summary"
done
contains "$OUT" "'asbhub help COMMAND'" "asbhub --help says how to get a command's help"
hub --version; want 0 "--version"
contains "$OUT" "^asbhub [0-9]" "--version"
hub; want 2 "asbhub with no command"
contains "$ERR" "^usage: asbhub" "no command: the usage on stderr"
cli_refuse 2 "froce: unknown command; did you mean 'force'?" asbhub "$HS" froce list -d "$WORK/hub"
cli_refuse 2 "repotr: unknown command; did you mean 'report'?" asbhub "$HS" repotr --period 2026-Q3
cli_refuse 2 "frobnicate: unknown command$" asbhub "$HS" frobnicate
cli_refuse 2 "nope: unknown command" asbhub "$HS" help nope
hub force ad E23000011 --cert "$F/sign.crt" -d "$WORK/hub"; want 2 "force ad"
contains "$ERR" "^asbhub force: ad: unknown command; did you mean 'add'\?" "an unknown verb of force"
hub force; want 2 "force without a verb"
contains "$ERR" "^usage: asbhub force add\|revoke\|list" "force without a verb: its usage"
finish
