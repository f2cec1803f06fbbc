#!/bin/sh
# explain.sh - a force's explanations of its warnings (issue 15, item 8), end to end: asbgw
# build --explain and --explanations write them into the Header, the return validates (and
# passes Debian's xmllint against the XSD), is signed with them and submitted; asbhub
# compliance shows each beside the warning it explains (text, JSON, HTML, escaped).  A bad
# --explain is refused (exit 2, nothing built, the register unchanged); a return that says
# SchemaVersion 1.0 but has them is refused (R-RTN-005); explanations added after signing
# break the signature (R-SIG-003 at asbgw verify, HTTP 403 at the hub, nothing stored).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?set ASBGW to the asbgw binary}" "${ASBHUB:?set ASBHUB to the asbhub binary}"
export ASBREG_DIR=$WORK/reg ASBREG_NOW=2026-11-01T12:00
unset ASBGW_CONF ASBHUB_DIR
gw() { "$ASBGW" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
hub() { "$ASBHUB" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
want() { if [ "$RC" -eq "$1" ]; then ok; else bad "$2: exit $RC, want $1: $OUT $ERR"; fi; }
rid() { sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$1" | head -1; }

PKI=$WORK/pki
"$ROOT/tools/devpki" "$PKI" --forces E23000005 >/dev/null || bad "devpki"
G=$PKI/forces/E23000005

# a register with a CPN appealed 40 days after it was issued: warning R-APP-002
expect_ok init --force E23000005
expect_ok person add --name "Ada Explained" --dob 1980-02-02 --sex F --ethnicity W1
P=$OUT
expect_ok add cpw --subject "$P" --issued 2026-04-02
expect_ok add cpn --subject "$P" --issued 2026-04-10 --served 2026-04-10
expect_ok event "$OUT" appealed --date 2026-05-20

# ---- a bad --explain: exit 2, nothing built, the register unchanged ------------------------------
refuse_build() {	# PATTERN WHAT ARGS...
	pat=$1 what=$2
	shift 2
	snapshot "$ASBREG_DIR" || return
	b=$SNAP
	gw build --period 2026-Q2 -o bad.xml "$@"
	snapshot "$ASBREG_DIR" || return
	if [ "$RC" -ne 2 ]; then bad "$what: exit $RC, want 2 ($ERR)"
	elif ! printf '%s' "$ERR" | grep -q -- "^asbgw: build: .*$pat"; then bad "$what: no '$pat' in: $ERR"
	elif [ -e bad.xml ]; then bad "$what: a return was built"
	elif [ "$b" != "$SNAP" ]; then bad "$what: the register changed (a disclosure logged)"
	else ok; fi
}
refuse_build "give RULE=TEXT" "--explain without =" --explain "R-APP-002 late appeal"
refuse_build "give RULE=TEXT" "--explain with no rule" --explain "=late appeal"
refuse_build "'R-PWR-001' is not a warning's rule ID" "an error's rule" --explain "R-PWR-001=x"
refuse_build "'R-XYZ-999' is not a warning's rule ID" "an unknown rule" --explain "R-XYZ-999=x"
refuse_build "the explanation of R-APP-002 is empty" "an empty explanation" --explain "R-APP-002=  "
refuse_build "R-APP-002 is explained twice" "a rule twice" --explain "R-APP-002=a" --explain "R-APP-002=b"
refuse_build "is not plain text" "a line break" --explain "R-APP-002=one
two"
refuse_build "is not plain text" "a tab" --explain "$(printf 'R-APP-002=one\ttwo')"
refuse_build "is not plain text" "not UTF-8" --explain "$(printf 'R-APP-002=caf\351')"
long=$(printf '%01001d' 0)
refuse_build "the explanation of R-APP-002 has 1001 characters: at most 1000" "1001 characters" \
    --explain "R-APP-002=$long"
printf 'R-APP-002\tthe appeal came by post\nR-DQ-001 no tab here\n' > bad.tsv
refuse_build "bad.tsv line 2: give RULE, a tab" "a file line without a tab" --explanations bad.tsv
printf '# ours\n\nR-APP-002\tx\nR-APP-002\ty\n' > bad.tsv
refuse_build "bad.tsv line 4: R-APP-002 is explained twice" "a file with a rule twice" --explanations bad.tsv
: > many.tsv
for r in R-APP-002 R-CBO-004 R-CLO-004 R-RET-001 R-DISP-007 R-DISP-009 R-DQ-001; do
	printf '%s\tx\n' "$r" >> many.tsv
done
set --
i=0
while [ $i -lt 44 ]; do set -- "$@" --explain "R-DQ-00$((i % 2 + 1))=x"; i=$((i + 1)); done
refuse_build "explained twice" "duplicates among many" --explanations many.tsv "$@"
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "# %098d\n", i }' > big.tsv
refuse_build "big.tsv is larger than 262144 bytes" "a file of explanations over 256 KiB" --explanations big.tsv
gw build --period 2026-Q2 -o bad.xml --explanations nothere.tsv; want 3 "--explanations of a missing file"
contains "$ERR" "^asbgw: build: --explanations: cannot read nothere.tsv" "the missing file is named"
absent bad.xml "a build with a missing explanations file wrote its return"

# ---- built with explanations, valid, signed -------------------------------------------------------
printf '# explanations for 2026-Q2\nR-DQ-001\tthe rise is a new PSPO in the city centre\n' > ours.tsv
gw build --period 2026-Q2 -o q2.xml --explanations ours.tsv \
    --explain 'R-APP-002=the appeal came by post; the court dated it on arrival <late> & "so"' \
    --explain 'R-CLO-004=  no closure hearing was late  '
want 0 "build with explanations"
contains "$OUT" "^built q2.xml: 2 records, 1 events, return [0-9a-f-]{36}, 3 explanations$" "the build says how many"
grep -q '<Explanation rule="R-APP-002">the appeal came by post; the court dated it on arrival &lt;late&gt; &amp; &quot;so&quot;</Explanation>' q2.xml &&
    ok || bad "no R-APP-002 explanation in q2.xml: $(grep -n Explanation q2.xml)"
grep -q '<Explanation rule="R-CLO-004">no closure hearing was late</Explanation>' q2.xml &&
    ok || bad "the spaces around an explanation are not dropped: $(grep R-CLO-004 q2.xml)"
grep -q '<Explanation rule="R-DQ-001">the rise is a new PSPO in the city centre</Explanation>' q2.xml &&
    ok || bad "no R-DQ-001 explanation in q2.xml"
sed -n '/<Header>/,/<\/Header>/p' q2.xml | grep -q '<Explanations>' && ok || bad "the explanations are not in the Header"
gw validate q2.xml; want 0 "the return with explanations validates"
xmllint --noout --nonet --schema "$ROOT/schema/asb-return-1.xsd" q2.xml 2>"$WORK/xl" && ok ||
    bad "xmllint refuses the return with explanations: $(cat "$WORK/xl")"
# the XSD's caps, for an exporter other than asbgw
sed 's#<Explanation rule="R-DQ-001">#<Explanation rule="dq">#' q2.xml > badrule.xml
gw validate badrule.xml; want 1 "a rule attribute that is not a rule ID"
contains "$ERR$OUT" "R-XSD-" "the XSD refuses it"
sed "s#<Explanation rule=\"R-DQ-001\">[^<]*#<Explanation rule=\"R-DQ-001\">$long#" q2.xml > badlong.xml
gw validate badlong.xml; want 1 "an explanation of 1001 characters"
# 1.1 added them: a return that says 1.0 and has them is refused
sed 's#<SchemaVersion>1.1</SchemaVersion>#<SchemaVersion>1.0</SchemaVersion>#' q2.xml > v10.xml
gw validate v10.xml; want 1 "a 1.0 return with explanations"
contains "$ERR$OUT" "error +R-RTN-005" "R-RTN-005"
contains "$ERR$OUT" "the return says SchemaVersion 1.0 but has Explanations, which version 1.1 added" "R-RTN-005 names them"
cp q2.xml q2-unsigned.xml
gw sign q2.xml --key "$G/sign.key" --cert "$G/sign.crt"; want 0 "sign"
gw verify q2.xml --ca "$PKI/ca.crt"; want 0 "verify"
Q2=$(rid q2.xml)

# explanations added after signing: the signature covers the Header
gw build --period 2026-Q2 -o plain.xml; want 0 "build without explanations"
lacks "$(cat plain.xml)" "Explanation" "a build without --explain writes none"
gw sign plain.xml --key "$G/sign.key" --cert "$G/sign.crt"; want 0 "sign the plain return"
sed 's#</RecordCount>#</RecordCount><Explanations><Explanation rule="R-APP-002">added later</Explanation></Explanations>#' \
    plain.xml > edited.xml
grep -q 'added later' edited.xml && ok || bad "the edit did not take"
gw validate edited.xml; want 0 "the edited return is still a valid return"
gw verify edited.xml --ca "$PKI/ca.crt"; want 1 "verify the edited return"
contains "$ERR" "R-SIG-003" "changed after it was signed"

# ---- the hub keeps them and shows them beside the warning -----------------------------------------
hub_init "$WORK/hub" "$PKI" E23000005 || bad "hub init"
if hub_start "$WORK/hub" 0; then ok; else bad "the hub did not start: $(tail -3 "$WORK/hub.log")"; fi
URL=$HUB_URL
GS="--url $URL --cert $G/tls.crt --key $G/tls.key --ca $PKI/ca.crt --sign-cert $G/sign.crt --sign-key $G/sign.key"
code=$(curl -s --cacert "$PKI/ca.crt" --cert "$G/tls.crt" --key "$G/tls.key" \
    --data-binary @edited.xml -o "$WORK/refusal" -w '%{http_code}' "$URL/v1/returns")
[ "$code" = 403 ] && grep -q R-SIG-003 "$WORK/refusal" && ok ||
    bad "the hub took explanations added after signing: HTTP $code $(cat "$WORK/refusal")"
gw submit q2.xml $GS; want 0 "submit the return with explanations"
contains "$OUT" "^  warning R-APP-002 " "the receipt warns of R-APP-002"
hub_stop || bad "stopping the hub"
hub show "$Q2" -d "$WORK/hub" --body; [ "$OUT" = "$(cat q2.xml)" ] && ok || bad "the stored bytes differ"
hub returns -d "$WORK/hub" --json
lacks "$OUT" "$(rid edited.xml)" "the edited return was stored"

hub compliance -d "$WORK/hub" --period 2026-Q2; want 0 "compliance"
contains "$OUT" "^E23000005 .*R-APP-002 x1 \(explained\)" "the warning is marked explained"
contains "$OUT" "^ +R-APP-002 explained: the appeal came by post; the court dated it on arrival <late> & \"so\"$" "the explanation beside it"
contains "$OUT" "^ +R-DQ-001 explained \(change in uses\): the rise is a new PSPO in the city centre$" "the change in uses explained"
contains "$OUT" "^ +R-CLO-004 explained \(not among the receipt's warnings\): no closure hearing was late$" "an explanation of a rule the receipt did not warn of"
lacks "$OUT" "^E230000(01|11) .*explained" "another force shows explanations"
hub compliance -d "$WORK/hub" --period 2026-Q2 --json; want 0 "compliance --json"
contains "$OUT" '"force":"E23000005"[^}]*"warnings_by_rule":\{"R-APP-002":1\},"explanations":\{"R-DQ-001":"the rise is a new PSPO in the city centre","R-APP-002":"the appeal came by post; the court dated it on arrival <late> & \\"so\\"","R-CLO-004":"no closure hearing was late"\}' "the JSON"
contains "$OUT" '"force":"E23000001"[^}]*"warnings_by_rule":\{\},"received_count"' "a force without explanations has no member for them (the JSON as before)"
hub compliance -d "$WORK/hub" --period 2026-Q2 --html -o "$WORK/c.html"; want 0 "compliance html"
grep -q 'R-APP-002 &times;1 <q class="explained">the appeal came by post; the court dated it on arrival &lt;late&gt; &amp; &quot;so&quot;</q>' "$WORK/c.html" &&
    ok || bad "the HTML explanation beside its warning: $(grep -o 'R-APP-002[^<]*<q[^/]*' "$WORK/c.html")"
grep -q '<q class="explained">the rise is a new PSPO in the city centre</q></td></tr>' "$WORK/c.html" &&
    ok || bad "the HTML explanation of the change in uses"
grep -q "R-CLO-004 (not among the receipt's warnings) <q class=\"explained\">no closure hearing was late</q>" "$WORK/c.html" &&
    ok || bad "the HTML explanation of a rule the receipt did not warn of"
file_lacks "$WORK/c.html" '<late>' "an explanation unescaped in HTML"

finish
