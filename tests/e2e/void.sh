#!/bin/sh
# void.sh - putting mistakes right, end to end: a record voided (out of lists, due, repeat and
# the next return, still readable, its retention review kept), a person registered twice
# merged (records and events moved, the old ID resolving), an identical record refused, the
# views an officer reads (names beside IDs, codes as typed, did you mean, conditions from a
# file, a corrected rejects file), and, against a real hub, the correction a void makes due.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?set ASBGW}" "${ASBHUB:?set ASBHUB}"
export ASBREG_NOW=2026-11-01T12:00
R=./var/register
export ASBREG_DIR=$R

expect_ok init --force E23000011
expect_ok user add dt --role data-team
expect_ok --as dt user add sup --role supervisor
expect_ok --as dt user add pc --role officer
expect_ok --as dt user add aud --role auditor
export ASB_USER=pc

expect_ok person add --name "Jane Example" --dob 1990-05-01 --lsoa E01007321
JANE=$OUT
expect_ok add cpw --subject "$JANE" --issued 2026-03-01
CPW=$OUT
expect_ok add cpn --subject "$JANE" --issued 2026-04-01
CPN=$OUT
expect_ok event "$CPN" breached --date 2026-05-01 --note "music at 01:30"

# ---- void: who may, what it needs, what it refuses ----------------------------------------------
refuse 2 "give --reason" void "$CPN"
refuse 2 "not a record ID" void "$JANE" --reason x
refuse 1 "R-ROLE-001" void "$CPN" --reason "typed twice"
contains "$ERR" "ask a supervisor or the data team" "the role refusal says who may"
refuse 1 "R-ROLE-001" --as aud void "$CPN" --reason "typed twice"
refuse 1 "R-ROLE-001" merge "$JANE" S000099 --reason x
refuse 3 "no such record" --as sup void R000999 --reason x
refuse 1 "R-VOID-001" --as sup void "$CPW" --reason "wrong person"
contains "$ERR" "$CPN follows $CPW" "R-VOID-001 names the record that follows"
expect_ok --as sup void "$CPN" --reason "typed twice"
contains "$OUT" "$CPN voided" "void says what it did"
refuse 4 "voided already" --as sup void "$CPN" --reason again
refuse 1 "R-VOID-002" event "$CPN" reviewed --date 2026-06-01
# out of lists, still readable, marked
expect_ok list
lacks "$OUT" "$CPN" "a void record is out of list"
contains "$OUT" "$CPW" "the record before it stays in list"
expect_ok list --type cpn
lacks "$OUT" "$CPN" "a void record is out of list --type"
expect_ok show "$CPN"
contains "$OUT" "VOID +since 2026-11-01 12:00, by sup: typed twice" "show marks it void, with who, when and why"
expect_ok show "$CPN" --json
contains "$OUT" '"void":\{"time":"2026-11-01T12:00:00\+00:00","by":"sup","reason":"typed twice"\}' "show --json marks it"
expect_ok show "$CPW" --json
contains "$OUT" '"void":null' "a record not void says so"
expect_ok history "$JANE"
contains "$OUT" "$CPN" "history keeps the void record"
contains "$OUT" "VOID" "history marks it"
expect_ok --as sup subject-export "$JANE"
contains "$OUT" "VOID .*typed twice" "subject-export holds it, marked"
contains "$OUT" "alteration +sup +void +typed twice" "subject-export shows the void in the audit log"
expect_ok --as dt export --json
contains "$OUT" "\"id\":\"$CPN\".*\"void\":\{" "export --json holds it, marked"
expect_ok --as dt export --csv
lacks "$OUT" "^$CPN," "export --csv (for import) leaves it out"
# nothing may follow it; a CPN finds no void CPW
expect_ok person add --name "Kim Other" --dob 1985-01-01
KIM=$OUT
expect_ok add cpw --subject "$KIM" --issued 2026-02-01
KCPW=$OUT
expect_ok --as sup void "$KCPW" --reason "wrong person"
refuse 1 "R-VOID-002" add cpn --subject "$KIM" --issued 2026-03-01 --links "$KCPW"
refuse 1 "R-CPN-002" add cpn --subject "$KIM" --issued 2026-03-01

# out of due and repeat; due keeps its retention review
expect_ok premises add --address "1 High St" --lsoa E01007321
SHOP=$OUT
expect_ok add closure-notice --subject "$SHOP" --issued 2026-11-01T10:00 --hours 24 --rank inspector
DIR=$OUT
expect_ok due
contains "$OUT" "expiry .*$DIR" "a live notice's expiry is due"
contains "$OUT" "$DIR .*1 High St" "due shows the address beside the ID"
expect_ok --as sup void "$DIR" --reason "never happened"
expect_ok due
lacks "$OUT" "$DIR" "a void record's expiry is not due"
ASBREG_NOW=2032-11-02T12:00 expect_ok due --within 3
contains "$OUT" "retention-review .*$DIR" "a void record's retention review falls due 6 years after the void"
ASBREG_NOW=2032-10-01T12:00 refuse 1 "R-RET-002" --as sup review "$DIR" --dispose --reason "R-RET-001"
ASBREG_NOW=2032-11-02T12:00 expect_ok --as sup review "$DIR" --dispose --reason "R-RET-001"
expect_ok person add --name "Rita Repeat" --dob 1980-01-01 --lsoa E01007400
RITA=$OUT
for d in 2026-06-01 2026-07-01 2026-08-01; do
	expect_ok add cpw --subject "$RITA" --issued $d
	LAST=$OUT
done
expect_ok repeat --min 3
contains "$OUT" "repeat-subject +$RITA .*Rita Repeat" "repeat shows the name beside the ID"
expect_ok --as sup void "$LAST" --reason "typed twice"
expect_ok repeat --min 3
lacks "$OUT" "$RITA" "a void record does not count toward repeat"
lacks "$OUT" "E01007400" "nor toward a repeat location"

# ---- identical records ----------------------------------------------------------------------------
expect_ok add cpw --subject "$RITA" --issued 2026-09-01
SAME=$OUT
refuse 4 "$SAME is held already with the same power, subject and issue time" add cpw --subject "$RITA" --issued 2026-09-01
contains "$ERR" "duplicate-ok" "the refusal says how to go ahead"
refuse 4 "is held already" add CPW --subject "$RITA" --issued 2026-09-01T00:00
expect_ok add cpw --subject "$RITA" --issued 2026-09-01 --duplicate-ok
DUPOK=$OUT
[ "$OUT" != "$SAME" ] && ok || bad "--duplicate-ok stored nothing new"
expect_ok add cpn --subject "$RITA" --issued 2026-09-02 --links "$SAME"

# ---- merge ----------------------------------------------------------------------------------------
expect_ok person add --name "Mary Dup" --dob 1975-03-03 --lsoa E01007321
MARY=$OUT
expect_ok person add --name "Mary Dupe" --dob 1975-03-04 --lsoa E01007401
MARY2=$OUT
expect_ok add cpw --subject "$MARY" --issued 2026-02-01
expect_ok add cpw --subject "$MARY2" --issued 2026-03-01
M2A=$OUT
expect_ok add cpn --subject "$MARY2" --issued 2026-05-01
M2B=$OUT
expect_ok event "$M2B" breached --date 2026-06-01
expect_ok repeat --min 3
lacks "$OUT" "$MARY" "before the merge Mary's records are split"
# what the next return says about her, before and after
subjects() { sed -n 's:.*<Subject>\([^<]*\)</Subject>.*:\1:p' "$1" | sort -u | wc -l; }
repeats() { grep -c '<RepeatSubject>true' "$1"; }
ASB_USER=dt "$ASBGW" build --period 2026-Q1 -o before.xml >/dev/null 2>&1 && ok || bad "build before the merge"
refuse 2 "give --reason" --as sup merge "$MARY" "$MARY2"
refuse 2 "the same subject" --as sup merge "$MARY" "$MARY" --reason x
refuse 2 "give KEEP and DUPLICATE" --as sup merge "$MARY" --reason x
refuse 3 "no such subject" --as sup merge "$MARY" S000999 --reason x
refuse 1 "R-MRG-001" --as sup merge "$MARY" "$SHOP" --reason x
expect_ok --as sup restrict "$MARY2" --reason "accuracy contested"
refuse 1 "R-DPA-001" --as sup merge "$MARY" "$MARY2" --reason x
expect_ok --as sup restrict "$MARY2" --lift
expect_ok --as sup merge "$MARY" "$MARY2" --reason "same person: PNC check"
contains "$OUT" "$MARY2 merged into $MARY: 2 records moved" "merge says what moved"
ASB_USER=dt "$ASBGW" build --period 2026-Q1 -o after.xml >/dev/null 2>&1 && ok || bad "build after the merge"
[ "$(subjects after.xml)" -eq $(($(subjects before.xml) - 1)) ] && ok ||
    bad "the next return still has her as two subjects: $(subjects before.xml) -> $(subjects after.xml)"
[ "$(repeats after.xml)" -eq $(($(repeats before.xml) + 1)) ] && ok ||
    bad "the next return does not flag her second record a repeat: $(repeats before.xml) -> $(repeats after.xml)"
refuse 4 "merged into $MARY already" --as sup merge "$MARY" "$MARY2" --reason again
refuse 4 "was itself merged into $MARY" --as sup merge "$MARY2" "$SHOP" --reason x
refuse 1 "R-MRG-002" add cpw --subject "$MARY2" --issued 2026-07-01
contains "$ERR" "record against $MARY" "R-MRG-002 says where to record"
refuse 4 "already registered as $MARY" person add --name "Mary Dupe" --dob 1975-03-04
expect_ok history "$MARY2"
contains "$ERR" "$MARY2 was merged into $MARY" "the old ID leads to the one kept"
contains "$OUT" "^$MARY " "history of the old ID is the kept subject's"
contains "$OUT" "$M2B" "with the records moved"
contains "$OUT" "breached" "and their events"
contains "$OUT" "also registered as: $MARY2 Mary Dupe" "history names the duplicate"
expect_ok list --subject "$MARY2"
contains "$OUT" "$M2A" "list --subject of the old ID lists the kept one's"
expect_ok show "$M2A"
contains "$OUT" "subject +$MARY" "a moved record names the kept subject"
expect_ok repeat --min 3
contains "$OUT" "repeat-subject +$MARY +person +3" "after the merge her repeat count is whole"
contains "$OUT" "repeat-location +E01007321 " "and the moved records count where she lives"
expect_ok find dupe
contains "$OUT" "$MARY2 .*merged into $MARY" "find says where a merged duplicate leads"
expect_ok find dupe --json
contains "$OUT" "\"id\":\"$MARY2\".*\"merged_into\":\"$MARY\"" "find --json says so too"
expect_ok --as sup subject-export "$MARY2"
contains "$OUT" "Mary Dupe, born 1975-03-04" "subject-export holds the duplicate's identity as held"
contains "$OUT" "merged into this subject on .* by sup \(2 records\): same person: PNC check" "and the merge"
contains "$OUT" "alteration +sup +merge" "and the merge in the audit log"
n=$(printf '%s\n' "$OUT" | grep -c 'collection .* person ')
[ "$n" -eq 2 ] && ok || bad "subject-export lists both registrations' collection once each ($n)"
expect_ok --as sup rectify "$MARY2" --name "Mary Dupey" --reason "as on the PNC"
refuse 4 "already registered as $MARY" person add --name "Mary Dupey" --dob 1975-03-04
expect_ok --as sup audit --verify

# ---- views -------------------------------------------------------------------------------------
expect_ok --as sup restrict "$RITA" --reason "accuracy contested"
expect_ok --as sup void "$DUPOK" --reason "contested: it did not happen"
expect_ok list --type cpw
contains "$OUT" "$CPW .*Jane Example" "list shows the name beside the ID"
contains "$OUT" "Rita Repeat \[PROCESSING RESTRICTED\]" "and marks a restricted subject"
expect_ok list --csv
contains "$OUT" "^id,.*,subject_name,subject_restricted$" "list --csv names its new columns"
contains "$OUT" "\"Rita Repeat\",true|Rita Repeat,true" "list --csv marks a restriction"
expect_ok list --json --type cpw
contains "$OUT" '"subject_name":"Jane Example","subject_restricted":false' "list --json"
expect_ok --as sup restrict "$RITA" --lift
expect_ok add CPW --subject "$KIM" --issued 2026-10-01
KC2=$OUT
expect_ok add Closure_Notice --subject "$SHOP" --issued 2026-10-20T10:00 --hours 24 --rank inspector
expect_ok event "$KC2" Reviewed --date 2026-10-05
refuse 2 "'cpx' is not one of the powers: did you mean 'cpw'" add cpx --subject "$KIM"
refuse 2 "did you mean 'dispersal-direction'" add dispersal-dir --subject "$KIM"
refuse 2 "'nuisance' is not one of the powers: cpw cpn" add nuisance --subject "$KIM"
refuse 2 "'breech' is not one of the events: did you mean 'breached'" event "$KC2" breech --date 2026-10-06
refuse 2 "did you mean 'cpn'" list --type cpnn
expect_ok list --type CPW
contains "$OUT" "$KC2" "list --type is case-insensitive"
printf 'Not to play amplified music\nafter 23:00 at 1 High St.\n' > cond.txt
expect_ok add cpw --subject "$SHOP" --issued 2026-10-03 --conditions-file cond.txt
expect_ok show "$OUT" --json
contains "$OUT" '"conditions":"Not to play amplified music\\nafter 23:00 at 1 High St."' "conditions from a file, its lines kept"
head -c 5000 /dev/zero | tr '\0' a > long.txt
refuse 2 "longer than the 4095 bytes" add cpw --subject "$SHOP" --issued 2026-10-04 --conditions-file long.txt
head -c 4095 /dev/zero | tr '\0' a > edge.txt
expect_ok add cpw --subject "$SHOP" --issued 2026-10-05 --conditions-file edge.txt
head -c 4096 /dev/zero | tr '\0' a > over.txt
refuse 2 "longer than the 4095 bytes" add cpw --subject "$SHOP" --issued 2026-10-06 --conditions-file over.txt
printf 'Caf\351 rules\n' > latin1.txt
refuse 2 "byte 4 is not UTF-8: save the file as UTF-8" add cpw --subject "$SHOP" --issued 2026-10-06 --conditions-file latin1.txt
printf 'bell\007\n' > ctl.txt
refuse 2 "control character" add cpw --subject "$SHOP" --issued 2026-10-06 --conditions-file ctl.txt
refuse 3 "nothere.txt" add cpw --subject "$SHOP" --issued 2026-10-06 --conditions-file nothere.txt
refuse 2 "give --conditions or --conditions-file, once" add cpw --subject "$SHOP" --issued 2026-10-06 --conditions-file cond.txt --conditions x
: > empty.txt
refuse 2 "empty" add cpw --subject "$SHOP" --issued 2026-10-06 --conditions-file empty.txt

# a rejects file, corrected, imports as it is
cat > legacy.csv <<CSV
ref,power,subject_kind,name,dob,issued
LEG-1,cpw,person,Nina Legacy,1980-01-01,2026-01-10
LEG-2,cbo,person,Otto Legacy,2020-01-01,2026-01-11
LEG-3,cpw,person,Pia Legacy,1981-01-01,2026-01-12
CSV
export ASB_USER=sup
run import legacy.csv --rejects rej.csv
[ "$RC" -eq 1 ] && ok || bad "import with a bad row: exit $RC"
contains "$(head -1 rej.csv)" "^ref,power,subject_kind,name,dob,issued,error$" "the rejects file has the columns and the reason"
contains "$(cat rej.csv)" "^LEG-2,cbo,.*R-" "the bad row is in it with its rule"
run import rej.csv --rejects rej2.csv
[ "$RC" -eq 1 ] && ok || bad "the uncorrected rejects file: exit $RC ($ERR)"
contains "$(head -1 rej2.csv)" "^ref,power,subject_kind,name,dob,issued,error$" "a rejects file's rejects have one error column"
sed 's/^LEG-2,cbo,person,Otto Legacy,2020-01-01,2026-01-11,.*/LEG-2,cpw,person,Otto Legacy,1990-01-01,2026-01-11,/' rej.csv > fixed.csv
expect_ok import fixed.csv
contains "$OUT" "imported 1 records" "the corrected rejects file imports as it is"
expect_ok find "otto legacy"
# a row imported wrong, voided, imported again corrected under the same reference
run import legacy.csv
[ "$RC" -eq 4 ] && ok || bad "a reference imported already: exit $RC ($ERR)"
LEG1=$("$ASBREG" list --csv | grep 'Nina Legacy' | cut -d, -f1)
expect_ok void "$LEG1" --reason "wrong date in the old system"
printf 'ref,power,subject_kind,name,dob,issued\nLEG-1,cpw,person,Nina Legacy,1980-01-01,2026-01-09\n' > again.csv
expect_ok import again.csv
contains "$OUT" "imported 1 records" "a void record's reference can be imported again"
printf 'ref,power,subject_kind,name,dob,error,issued\nLEG-9,cpw,person,Q Legacy,1980-01-01,x,2026-01-10\n' > midcol.csv
refuse 1 "unknown column 'error'" import midcol.csv
export ASB_USER=pc

# ---- the next return, and a correction due for one already acknowledged ----------------------------
gw() { "$ASBGW" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
want() { if [ "$RC" -eq "$1" ]; then ok; else bad "$2: exit $RC, want $1: $OUT $ERR"; fi; }
rid() { sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$1" | head -1; }
count() { sed -n 's:.*<RecordCount>\([0-9]*\)</RecordCount>.*:\1:p' "$1"; }
export ASB_USER=dt
# later than every void above (a void in the same second as a submission counts as after it)
export ASBREG_NOW=2026-11-01T12:01
PKI=$WORK/pki
"$ROOT/tools/devpki" "$PKI" --forces E23000011 >/dev/null || bad "devpki"
F=$PKI/forces/E23000011
"$ASBHUB" init -d "$WORK/hub" --ca "$PKI/ca.crt" --cert "$PKI/hub/tls.crt" --key "$PKI/hub/tls.key" \
    --sign-cert "$PKI/hub/sign.crt" --sign-key "$PKI/hub/sign.key" >/dev/null && ok || bad "hub init"
"$ASBHUB" force add E23000011 --cert "$F/sign.crt" -d "$WORK/hub" >/dev/null && ok || bad "force add"
"$ASBHUB" serve -d "$WORK/hub" --listen 127.0.0.1:0 --port-file "$WORK/port" 2>>"$WORK/hub.log" &
HUBPID=$!
trap 'kill $HUBPID 2>/dev/null; rm -rf "$WORK"' EXIT
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
cat > "$R/asbgw.conf" <<CONF
force = E23000011
url = https://localhost:$(cat "$WORK/port")
cert = $F/tls.crt
key = $F/tls.key
ca = $PKI/ca.crt
sign-cert = $F/sign.crt
sign-key = $F/sign.key
CONF
expect_ok add cpw --subject "$KIM" --issued 2026-08-05
Q3REC=$OUT
gw build --period 2026-Q3 -o q3.xml; want 0 "build"
lacks "$ERR" "correction" "nothing acknowledged yet: no correction due"
N3=$(count q3.xml)
Q3=$(rid q3.xml)
gw submit q3.xml; want 0 "submit"
gw outbox; want 0 "outbox"
lacks "$OUT" "correction is due" "nothing voided since: no correction due"
ASBREG_NOW=2026-11-01T12:05 expect_ok --as sup void "$Q3REC" --reason "wrong person"
gw outbox; want 0 "outbox after a void"
contains "$OUT" "a correction is due for 2026-Q3: acknowledged return $Q3 counted 1 record voided since; build --period 2026-Q3 --supersedes $Q3" "outbox says a correction is due"
gw outbox --json; want 0 "outbox --json"
contains "$OUT" "^\{\"correction_due\":\"2026-Q3\",\"supersedes\":\"$Q3\",\"voided_records\":1,\"merged_records\":0\}$" "outbox --json says so"
gw build --period 2026-Q2 -o q2.xml; want 0 "build another period"
contains "$ERR" "^asbgw: build: a correction is due for 2026-Q3" "build says a correction is due"
gw build --period 2026-Q3 -o q3b.xml --supersedes "$Q3"; want 0 "build the correction"
lacks "$ERR" "correction is due for 2026-Q3" "the build that supersedes it is the correction"
[ "$(count q3b.xml)" -eq $((N3 - 1)) ] && ok || bad "the void record is still in the return: $(count q3b.xml), was $N3"
ASBREG_NOW=2026-11-01T12:10 gw submit q3b.xml; want 0 "submit the correction"
gw outbox; want 0 "outbox after the correction"
lacks "$OUT" "correction is due" "once the correction is acknowledged nothing is due"
# a merge after it: the records were counted under two subjects
export ASBREG_NOW=2026-11-01T12:20
expect_ok person add --name "Rita Repeet" --dob 1980-01-02
expect_ok add cpw --subject "$OUT" --issued 2026-10-10
RITA2=$(printf '%s' "$("$ASBREG" find repeet)" | cut -d' ' -f1)
expect_ok --as sup merge "$RITA" "$RITA2" --reason "same person"
gw outbox --json; want 0 "outbox after a merge"
contains "$OUT" "^\{\"correction_due\":\"2026-Q3\",\"supersedes\":\"$(rid q3b.xml)\",\"voided_records\":0,\"merged_records\":3\}$" "a merge makes a correction due for the periods of the records it touched"
gw outbox; contains "$OUT" "counted 3 records of a subject merged since" "outbox says so in words"
kill $HUBPID 2>/dev/null
finish
