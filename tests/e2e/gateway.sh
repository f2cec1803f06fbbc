#!/bin/sh
# gateway.sh - register -> asbgw build -> asbgw validate -> xmllint, the leak test (no personal
# data in a return), every example refused by asbgw with the rule its name gives, and build's
# refusals (a quarter that has not ended, to the minute); every command's own --help.
EX=$(cd "$(dirname "$0")/../../schema" && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?set ASBGW to the asbgw binary}"
export ASBREG_NOW=2026-10-05T09:00 ASBREG_DIR=./var/register
gw() { "$ASBGW" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
# gw_refuse CODE PATTERN ARGS...: asbgw ARGS exits CODE with "asbgw: ..." matching PATTERN on
# stderr, the register unchanged and nothing at bad.xml (the refusals' output name).
gw_refuse() {
	want=$1 pat=$2
	shift 2
	snapshot ./var/register || return
	before=$SNAP
	gw "$@"
	snapshot ./var/register || return
	if [ "$RC" -ne "$want" ]; then bad "asbgw $* -> exit $RC, want $want ($ERR)"
	elif ! printf '%s' "$ERR" | grep -q "^asbgw: "; then bad "asbgw $* -> stderr not 'asbgw: ...': $ERR"
	elif ! printf '%s' "$ERR" | grep -q -- "$pat"; then bad "asbgw $* -> no '$pat' in: $ERR"
	elif [ "$SNAP" != "$before" ]; then bad "asbgw $* -> refused but the register changed"
	elif [ -e bad.xml ]; then bad "asbgw $* -> refused but bad.xml was written"
	else ok; fi
}

# ---- a register whose personal data is easy to spot ---------------------------------------
expect_ok init --force E23000011
expect_ok person add --name "Zebedee Quartermaine" --dob 1987-03-14 --sex M --ethnicity W2 \
    --pnc 87/4455667Q --lsoa E01007321 --lad E08000019
Z=$OUT
expect_ok person add --name "Xanthippe Oddbody" --dob 2011-06-23 --sex F --ethnicity A3
X=$OUT
expect_ok premises add --address "99 Wobblewick Crescent, Sheffield" --uprn 987654321012 --lsoa E01007400
P=$OUT
expect_ok place add --description "Gallowtree Gardens bandstand" --lsoa E01033264 --lad E08000019
PL=$OUT
expect_ok add cpw --subject "$Z" --issued 2026-05-02 --by "PC Flibbertigibbet 8812" \
    --conditions "Cease the Kazoo Orchestra" --incident INC-SECRET-777
expect_ok add cpn --subject "$Z" --issued 2026-07-10 --served 2026-07-10 --by "PC Flibbertigibbet 8812"
CPN=$OUT
expect_ok event "$CPN" breached --date 2026-08-03 --outcome fpn --note "Neighbour Mrs Throckmorton called"
expect_ok event "$CPN" fpn-issued --date 2026-08-03 --amount 100
expect_ok add dispersal-authorisation --subject "$PL" --issued 2026-08-20T18:00 --hours 48 \
    --authorised-by "Insp Grimsdottir" --rank inspector
AUTH=$OUT
expect_ok add dispersal-direction --subject "$X" --issued 2026-08-20T21:00 --hours 20 --links "$AUTH"
expect_ok add closure-notice --subject "$P" --issued 2026-09-01T10:00 --hours 24 --rank inspector \
    --served 2026-09-01T10:20
N=$OUT
expect_ok event "$N" extended --date 2026-09-02T08:00 --until 2026-09-03T10:00 --rank superintendent
expect_ok add closure-order --subject "$P" --issued 2026-09-03T09:00 --months 3 --links "$N"
expect_ok add cbo --subject "$X" --issued 2026-06-01 --years 2 --agency cps   # Q2: outside
expect_ok add cbo --subject "$Z" --issued 2025-01-10 --years 2 --agency cps   # an event in Q3:
OLD=$OUT
expect_ok event "$OLD" breached --date 2026-09-15 --outcome arrested

# ---- build, validate, and the standard tool ----------------------------------------------
gw build --period 2026-Q3 -o q3.xml --json
[ "$RC" -eq 0 ] && ok || bad "build: exit $RC: $ERR"
contains "$OUT" '"records":6' "build counts the records of the quarter"
RID=$(printf '%s' "$OUT" | sed -n 's/.*"return_id":"\([^"]*\)".*/\1/p')
contains "$RID" '^[0-9a-f]{8}-[0-9a-f]{4}-4' "a UUID return ID"
gw validate q3.xml
[ "$RC" -eq 0 ] && ok || bad "our own return does not validate: $OUT"
exits 0 "xmllint on the built return" xmllint --noout --nonet --schema "$EX/asb-return-1.xsd" q3.xml
for s in Zebedee Quartermaine Xanthippe Oddbody 1987-03-14 2011-06-23 87/4455667Q Wobblewick \
    987654321012 Gallowtree bandstand Flibbertigibbet 8812 Kazoo INC-SECRET Throckmorton \
    Grimsdottir "$Z" "$X" "$P" "$PL" "$CPN" R00000; do
	file_lacks q3.xml "$s" "the return leaks '$s'"
done
contains "$(cat q3.xml)" '<LocalAuthority>E08000019</LocalAuthority>' "the local authority is in the return"
contains "$(cat q3.xml)" '<AgeBand>10-15</AgeBand>' "ages are bands"
contains "$(cat q3.xml)" 'issuedInPeriod="false"' "a record with only an event in the period is there"
[ "$(grep -c '<Record ' q3.xml)" -eq 6 ] && ok || bad "want 6 records in q3.xml"
# Pseudonyms are stable: a second build names the same records the same way.
gw build --period 2026-Q3 -o q3b.xml --test --supersedes "$RID"
[ "$RC" -eq 0 ] && ok || bad "second build: $ERR"
[ "$(grep -o 'Record id="[0-9a-f]*"' q3.xml)" = "$(grep -o 'Record id="[0-9a-f]*"' q3b.xml)" ] && ok || bad "pseudonyms changed between builds"
contains "$(cat q3b.xml)" "<Supersedes>$RID</Supersedes>" "supersedes"
contains "$(cat q3b.xml)" "<Test>true</Test>" "test flag"
# A quarter with nothing is an explicit zero return.
gw build --period 2025-Q2 -o empty.xml
[ "$RC" -eq 0 ] && ok || bad "empty build: $ERR"
contains "$(cat empty.xml)" "<RecordCount>0</RecordCount>" "a zero return"
expect_ok audit --json
contains "$OUT" '"operation":"disclosure","command":"asbgw build"' "the build is logged as a disclosure"

# ---- build's refusals: nothing written under the output name --------------------------------
gw_refuse 2 "period '2026-Q5' is not YYYY-Qn" build --period 2026-Q5 -o bad.xml
gw_refuse 2 "'not-a-uuid' is not a return ID" build --period 2026-Q3 -o bad.xml --supersedes not-a-uuid
gw_refuse 3 "no register here" build --period 2026-Q3 -d ./var/none -o bad.xml
absent ./var/none "build for a missing register made one"
gw_refuse 5 "no/such/dir/bad.xml: cannot create" build --period 2026-Q3 -o ./no/such/dir/bad.xml
ls -A >"$WORK/ls.out" && file_lacks "$WORK/ls.out" '\.tmp\.' "a temporary file was left behind"
chmod 644 ./var/register/force.key
gw_refuse 5 "readable by others.*(chmod 600)" build --period 2026-Q3 -o bad.xml
chmod 600 ./var/register/force.key
gw_refuse 2 "give --period" build
# a quarter that has not ended: its return would count a quarter still under way
gw_refuse 2 "^asbgw: build: 2026-Q4 has not ended: it ends at 2027-01-01T00:00:00+00:00 (UK time); build its return after then (--allow-open-quarter builds it now, for a test)$" \
    build --period 2026-Q4 -o bad.xml
gw_refuse 2 "2026-Q4 has not ended" build --period 2026-Q4
absent ./var/returns "a refused build made the default output's directory"
gw_refuse 2 "2027-Q1 has not ended" build --period 2027-Q1 -o bad.xml --test
# the quarter ends at midnight UK time (BST in September): a minute before it is refused
ASBREG_NOW=2026-09-30T23:59 gw_refuse 2 "2026-Q3 has not ended: it ends at 2026-10-01T00:00:00+01:00" \
    build --period 2026-Q3 -o bad.xml
ASBREG_NOW=2026-10-01T00:00 gw build --period 2026-Q3 -o ended.xml
[ "$RC" -eq 0 ] && [ -s ended.xml ] && ok || bad "build at the first instant after the quarter: exit $RC: $ERR"
snapshot ./var/register && before=$SNAP
gw build --period 2026-Q4 -o open.xml --allow-open-quarter
[ "$RC" -eq 0 ] && [ -s open.xml ] && ok || bad "build --allow-open-quarter: exit $RC: $ERR"
contains "$(cat open.xml)" "<Period>2026-Q4</Period>" "the open quarter's return"
snapshot ./var/register
[ "$SNAP" != "$before" ] && ok || bad "an allowed build logged no disclosure"

# ---- every example through asbgw validate ----------------------------------------------------
for f in "$EX"/examples/*.xml; do
	name=$(basename "$f" .xml)
	gw validate "$f" --json
	case "$name" in
	valid-*) [ "$RC" -eq 0 ] && ok || bad "$name: exit $RC" ;;
	invalid-rule-*)
		want=${name#invalid-rule-}
		[ "$RC" -eq 1 ] && printf '%s' "$OUT" | grep -q "\"rule\":\"$want\"" && ok || bad "$name: exit $RC, $OUT" ;;
	invalid-xsd-*) [ "$RC" -eq 1 ] && printf '%s' "$OUT" | grep -q '"rule":"R-XSD-' && ok || bad "$name: $OUT" ;;
	invalid-xml-*) [ "$RC" -eq 1 ] && printf '%s' "$OUT" | grep -q '"rule":"R-XML-' && ok || bad "$name: $OUT" ;;
	esac
done
gw validate "$EX/examples/invalid-rule-R-CPN-002.xml"
contains "$OUT" "line [0-9]+ +error +R-CPN-002 +record [0-9a-f]{32}" "text report: line, severity, rule, record"
contains "$OUT" "INVALID" "text report summary"
gw_refuse 5 "missing.xml: cannot read it" validate missing.xml
gw_refuse 2 "give one FILE" validate
gw_refuse 2 "max-errors: '0' is too small" validate "$EX/examples/invalid-rule-R-RTN-002.xml" --max-errors 0
# ---- what a signature would not cover: refused by asbgw validate, so the force learns first --
# edit_q3 SED OUT: q3.xml with one sed edit
for e in 's#<AgeBand>10-15</AgeBand>#<AgeBand>10-<!---->15</AgeBand>#:comment' \
    's#<Force>E23000011</Force>#<Force><![CDATA[E23000011]]></Force>#:CDATA section' \
    's#^<Return #<?asb x?>\n<Return #:processing instruction' \
    '$ s#$#\n<!-- after the root -->#:comment'; do
	expr=${e%:*} what=${e##*:}
	sed "$expr" q3.xml > edit.xml
	if cmp -s q3.xml edit.xml; then bad "the edit '$expr' changed nothing"; fi
	gw validate edit.xml
	if [ "$RC" -ne 1 ]; then bad "validate with a $what: exit $RC, want 1: $OUT"
	elif ! printf '%s' "$OUT" | grep -q "R-XML-004"; then bad "validate with a $what: no R-XML-004: $OUT"
	elif ! printf '%s' "$OUT" | grep -q "$what is not allowed"; then bad "validate with a $what: $OUT"
	else ok; fi
done
# a Test of "1" is a test return (xs:boolean)
sed 's#<Test>false</Test>#<Test>1</Test>#' q3.xml > test1.xml
gw validate test1.xml --json; [ "$RC" -eq 0 ] && ok || bad "Test 1: exit $RC: $OUT"
contains "$OUT" '"test":true' "<Test>1</Test> is a test return to asbgw validate"

# ---- the size cap: nothing the hub would refuse for its size is built or validated ----------
gw build --period 2026-Q3 -o big.xml --max-bytes 2000
[ "$RC" -eq 1 ] && [ ! -e big.xml ] && ok || bad "build over --max-bytes: exit $RC ($ERR)"
contains "$ERR" "larger than the 2000 a return may be \(R-XML-003\): nothing was written" "build over the cap says why"
gw validate q3.xml --max-bytes 2000
[ "$RC" -eq 1 ] && ok || bad "validate over --max-bytes: exit $RC ($OUT $ERR)"
contains "$ERR" "R-XML-003" "validate over the cap names the rule"
lacks "$OUT" "valid:" "validate over the cap prints no verdict of valid"
gw validate q3.xml --max-bytes 10
[ "$RC" -eq 2 ] && ok || bad "--max-bytes 10: exit $RC"

# ---- schema 1.1: the new facts reach the return as facts, never as text ---------------------
export ASBREG_DIR=./var/details
expect_ok init --force E23000011
expect_ok body add --name "Gubbins Widgets Ltd" --company 09876543 --lsoa E01007321
B=$OUT
expect_ok add cpw --subject "$B" --issued 2026-07-01 --agency local-authority
expect_ok add cpn --subject "$B" --issued 2026-08-01 --agency local-authority
expect_ok person add --name "Quentin Zarathustra" --dob 1980-02-02
Q=$OUT
expect_ok person add --name "Yolanda Youngling" --dob 2012-02-02
Y=$OUT
expect_ok add cbo --subject "$Q" --issued 2026-07-10 --months 3 --agency cps --interim
ICBO=$OUT
expect_ok event "$ICBO" varied --date 2026-08-20 --decided-by court --applicant respondent
expect_ok add injunction --subject "$Q" --issued 2026-07-11 --months 1 --agency local-authority --interim --without-notice
expect_ok premises add --address "7 Sprocket Row" --lsoa E01007400
PR=$OUT
expect_ok add closure-notice --subject "$PR" --issued 2026-08-03T10:00 --hours 24 --rank inspector --served 2026-08-03T10:30
N=$OUT
expect_ok event "$N" adjourned --date 2026-08-05T09:00 --until 2026-08-12T09:00
expect_ok add closure-order --subject "$PR" --issued 2026-08-12T09:00 --months 3 --partial
expect_ok place add --description "Bellwether Quay" --lsoa E01033264
PL=$OUT
expect_ok add dispersal-authorisation --subject "$PL" --issued 2026-08-15T18:00 --hours 48 --rank inspector
A=$OUT
expect_ok add dispersal-direction --subject "$Y" --issued 2026-08-15T21:00 --hours 24 --links "$A" \
    --area "Bellwether Quay and Tumbril Lane" --leave-by 2026-08-15T21:30 --removed-to home --surrendered "Zymurgy flask"
gw build --period 2026-Q3 -o q3-11.xml
[ "$RC" -eq 0 ] && ok || bad "build with the 1.1 facts: exit $RC: $ERR"
X11=$(cat q3-11.xml)
contains "$X11" "<SchemaVersion>1.1</SchemaVersion>" "build writes schema 1.1"
contains "$X11" "<SubjectKind>body</SubjectKind>" "a body is a kind of subject"
contains "$X11" "<Interim>true</Interim>" "an interim order"
contains "$X11" "<WithoutNotice>true</WithoutNotice>" "a without-notice injunction"
contains "$X11" "<PartialClosure>true</PartialClosure>" "a partial closure order"
contains "$X11" '<Direction areaSpecified="true" leaveBy="2026-08-15T21:30:00\+01:00" removedUnder16="true" propertySurrendered="true"/>' "a direction's record as facts"
contains "$X11" 'kind="adjourned"' "an adjourned hearing"
contains "$X11" 'adjourned="2026-08-12T09:00:00\+01:00"' "the order's notice was adjourned"
contains "$X11" 'decidedBy="court" applicant="respondent"' "who varied the order, on whose application"
for s in Gubbins 09876543 Sprocket Bellwether Tumbril Zymurgy flask Quentin Yolanda; do
	file_lacks q3-11.xml "$s" "the 1.1 return leaks '$s'"
done
gw validate q3-11.xml
[ "$RC" -eq 0 ] && ok || bad "a 1.1 return does not validate: $OUT"
exits 0 "xmllint on the 1.1 return" xmllint --noout --nonet --schema "$EX/asb-return-1.xsd" q3-11.xml
exits 0 "xmllint on a 1.0 return" xmllint --noout --nonet --schema "$EX/asb-return-1.xsd" "$EX/examples/valid-2026-Q3.xml"
gw validate "$EX/examples/valid-2026-Q3.xml"
[ "$RC" -eq 0 ] && ok || bad "a 1.0 return is no longer valid: $OUT"
sed 's#<SchemaVersion>1.1</SchemaVersion>#<SchemaVersion>1.0</SchemaVersion>#' q3-11.xml > q3-10.xml
gw validate q3-10.xml
[ "$RC" -eq 1 ] && ok || bad "1.1 facts under SchemaVersion 1.0: exit $RC"
contains "$OUT" "R-RTN-005" "1.1 facts under SchemaVersion 1.0 are refused"
contains "$OUT" "uses SubjectKind body, which version 1.1 added" "R-RTN-005 names what 1.0 cannot hold"

# ---- help and usage: every command's own --help, unknown commands and options ------------------
for c in build validate sign verify submit send outbox receipt; do
	gw "$c" --help
	if [ "$RC" -ne 0 ]; then bad "asbgw $c --help: exit $RC: $ERR"
	elif ! printf '%s\n' "$OUT" | head -n 1 | grep -q "^usage: asbgw $c "; then
		bad "asbgw $c --help: the first line is not its usage: $OUT"
	elif ! printf '%s' "$OUT" | grep -q "^Exit: "; then bad "asbgw $c --help: no exit codes: $OUT"
	else ok; fi
	H=$OUT
	gw help "$c"
	[ "$RC" -eq 0 ] && [ "$OUT" = "$H" ] && ok || bad "asbgw help $c differs from $c --help: $RC $OUT"
	gw "$c" --bogus q3.xml
	if [ "$RC" -ne 2 ]; then bad "asbgw $c --bogus: exit $RC, want 2"
	elif ! printf '%s' "$ERR" | grep -q "^asbgw: $c: --bogus: unknown option or missing value (see 'asbgw $c --help')"; then
		bad "asbgw $c --bogus: $ERR"
	elif [ -e ./var/register/outbox ] || [ -e ./var/returns ]; then bad "asbgw $c --bogus made something"
	else ok; fi
done
contains "$(gw sign --help; echo "$OUT")" "^  --key K, --cert C " "sign --help lists its options"
contains "$(gw build --help; echo "$OUT")" "^  --supersedes ID " "build --help lists its options"
for o in allow-open-quarter "change-threshold PCT" "change-min USES"; do
	contains "$(gw build --help; echo "$OUT")" "^  --$o " "build --help lists --$o"
done
contains "$(gw send --help; echo "$OUT")" "waiting: RETURN-ID next try at T" "send --help says what waiting means"
contains "$(gw submit --help; echo "$OUT")" "receipt's findings" "submit --help says it prints the findings"
# each command's help is its own: no two alike, each beginning with its own summary
for c in build validate sign verify submit send outbox receipt; do
	gw "$c" --help
	# after the usage (and its continued lines): the summary, then what the command does
	printf '%s\n' "$OUT" | awk 'NR == 1 || (!s && /^    /) { next } !s { s = 1; print; next }
	    s == 1 && NF { print; exit }' > "help.$c"
	sum=$(sed -n 1p "help.$c")
	[ "$(grep -c . "help.$c")" -eq 2 ] && ok || bad "asbgw $c --help: no summary and description: $OUT"
	gw --help
	contains "$OUT" "^  $c +$(printf '%s' "$sum" | sed 's/[][().*+?^$|\\]/\\&/g')" "asbgw $c --help begins with its own summary"
	gw "$c" -h
	[ "$RC" -eq 0 ] && ok || bad "asbgw $c -h: exit $RC"
done
n=$(cat help.* | sort | uniq -d | grep -c .)
[ "$n" -eq 0 ] && ok || bad "two commands' help texts share lines: $(cat help.* | sort | uniq -d)"
gw --help
[ "$RC" -eq 0 ] && ok || bad "--help"
for c in build validate sign verify submit send outbox receipt; do
	contains "$OUT" "^  $c +[a-z]" "asbgw --help lists $c with its summary"
done
contains "$OUT" "'asbgw help COMMAND'" "asbgw --help says how to get a command's help"
gw --version
[ "$RC" -eq 0 ] && ok || bad "--version: exit $RC"
contains "$OUT" "^asbgw [0-9]" "--version"
gw
[ "$RC" -eq 2 ] && ok || bad "no command: exit $RC"
contains "$ERR" "^usage: asbgw" "no command: the usage on stderr"
gw sbumit q3.xml
[ "$RC" -eq 2 ] && ok || bad "sbumit: exit $RC"
contains "$ERR" "^asbgw: sbumit: unknown command; did you mean 'submit'\?" "a near command is suggested"
gw valdiate q3.xml
contains "$ERR" "did you mean 'validate'" "a swap of two letters is near"
gw frobnicate
[ "$RC" -eq 2 ] && ok || bad "frobnicate: exit $RC"
contains "$ERR" "^asbgw: frobnicate: unknown command$" "an unknown command"
[ ! -e ./var/register/outbox ] && ok || bad "an unknown command made an outbox"
finish
