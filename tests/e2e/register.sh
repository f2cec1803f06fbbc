#!/bin/sh
# register.sh - asbreg end to end: an officer's realistic week, then every refusal path.
DATA=$(cd "$(dirname "$0")/../data" && pwd)
. "$(dirname "$0")/lib.sh"
export ASBREG_NOW=2026-11-01T12:00
R=./var/register
export ASBREG_DIR=$R

# ---- setting up ------------------------------------------------------------------------------
refuse 3 "no register here" list
refuse 2 "E99999999: not a force code" init --force E99999999
absent "$R" "a refused init left a register behind"
expect_ok init --force E23000011
contains "$OUT" "created" "init"
[ "$(stat -c %a "$R/force.key")" = 600 ] && ok || bad "force.key is not 0600"
refuse 4 "exists here already" init --force E23000011

expect_ok person add --name "Jane Example" --dob 1990-05-01 --sex F --ethnicity W1 --lsoa E01007321 --lad E08000019
JANE=$OUT
contains "$JANE" "^S[0-9]{6}$" "person add prints a subject ID"
refuse 4 "already registered as $JANE" person add --name "jane  example" --dob 1990-05-01
lacks "$ERR" "Jane|1990" "a conflict message carries no personal data"
expect_ok person add --name "Kyle Youth" --dob 2011-02-01 --sex M --ethnicity NS --pnc 24/123456A
KYLE=$OUT
expect_ok person add --name "Liam Young" --dob 2012-03-03 --sex M
LIAM=$OUT
expect_ok premises add --address "14 Mill Lane, Sheffield" --uprn 100051234567 --lsoa E01007400
MILL=$OUT
expect_ok place add --description "Fargate precinct" --lsoa E01033264
FARGATE=$OUT
expect_ok find example
contains "$OUT" "$JANE" "find by part of a name"
refuse 3 "nothing matches" find zzzz

# ---- a CPW, then a CPN to the same person, an FPN and a breach --------------------------------
expect_ok add cpw --subject "$JANE" --issued 2026-03-01 --by "PC 4471" \
    --conditions "Stop playing amplified music after 23:00" --incident CAD-2026-0301
CPW=$OUT
expect_ok add cpn --subject "$JANE" --issued 2026-04-01 --served 2026-04-01 --by "PC 4471"
CPN=$OUT
expect_ok show "$CPN" --json
contains "$OUT" "\"relation\":\"follows\"" "the CPN is linked to the earlier CPW"
contains "$OUT" "\"id\":\"$CPW\"" "the CPN links the CPW by ID"
expect_ok event "$CPN" breached --date 2026-05-01 --outcome fpn --note "Music at 01:30"
expect_ok event "$CPN" fpn-issued --date 2026-05-01 --amount 100
expect_ok event "$CPN" fpn-paid --date 2026-05-10
contains "$OUT" "status active" "event output shows the status"

# ---- an s34 authorisation with two s35 directions ---------------------------------------------
expect_ok add dispersal-authorisation --subject "$FARGATE" --issued 2026-07-03T18:00 --hours 48 \
    --authorised-by "Insp Patel" --rank inspector --conditions "Grounds: repeated disorder"
AUTH=$OUT
expect_ok add dispersal-direction --subject "$KYLE" --issued 2026-07-03T21:00 --hours 24 --links "$AUTH"
DIR1=$OUT
expect_ok add dispersal-direction --subject "$LIAM" --issued 2026-07-04T20:00 --expires 2026-07-05T18:00 --links "$AUTH"
expect_ok history "$FARGATE"
contains "$OUT" "followed by $DIR1" "the place's history shows the directions"

# ---- a closure notice extended and followed by an order ---------------------------------------
expect_ok add closure-notice --subject "$MILL" --issued 2026-06-01T10:00 --hours 24 \
    --served 2026-06-01T10:30 --authorised-by "Insp Patel" --rank inspector
NOTICE=$OUT
expect_ok event "$NOTICE" extended --date 2026-06-02T09:00 --until 2026-06-03T10:00 --rank superintendent
expect_ok add closure-order --subject "$MILL" --issued 2026-06-03T09:30 --months 3 --links "$NOTICE" --agency police
ORDER=$OUT
expect_ok event "$ORDER" extended --date 2026-08-25 --until 2026-12-03T09:30
expect_ok add closure-notice --subject "$MILL" --issued 2026-09-01T10:00 --hours 24 \
    --authorised-by "Insp Patel" --rank inspector
NOTICE2=$OUT
expect_ok show "$ORDER"
contains "$OUT" "now 2026-12-03 09:30" "the order shows its extended expiry"

# ---- a youth CBO with its review due -------------------------------------------------------------
expect_ok add cbo --subject "$KYLE" --issued 2025-11-20 --years 2 --agency cps
YCBO=$OUT
expect_ok due --within 35
contains "$OUT" "youth-cbo-review +$YCBO" "due lists the youth CBO review"
contains "$OUT" "expiry +$ORDER" "due lists the closure order expiry"
expect_ok due --within 30 --json
contains "$OUT" "\"what\":\"youth-cbo-review\"" "due --json"
expect_ok event "$YCBO" reviewed --date 2026-10-30 --note "Annual review, s28"
expect_ok due --within 30
lacks "$OUT" "youth-cbo-review" "a review clears the youth CBO from due"

# ---- lists, repeat, export ------------------------------------------------------------------
expect_ok list --type cpn
contains "$OUT" "$CPN" "list --type"
expect_ok list --subject "$KYLE" --csv
contains "$OUT" "^id,power," "list --csv has a header"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 3 ] && ok || bad "list --subject: want 2 rows: $OUT"
expect_ok list --status expired --json
contains "$OUT" "\"id\":\"$AUTH\"" "an authorisation past its 48 hours is expired"
expect_ok list --since 2026-07-01 --until 2026-07-05
[ "$(printf '%s\n' "$OUT" | grep -c '^R[0-9]')" -eq 3 ] && ok || bad "list --since --until: $OUT"
expect_ok repeat --since 2025-01-01 --min 2
contains "$OUT" "repeat-subject +$JANE" "repeat finds the person with two records"
contains "$OUT" "repeat-location +$MILL" "repeat finds the premises"
expect_ok export --csv
printf '%s\n' "$OUT" >export.csv
expect_ok export --csv --events
printf '%s\n' "$OUT" >events.csv
expect_ok export --json
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 9 ] && ok || bad "export --json: want 9 records"

# Round trip: the export loads into a fresh register of another force.
ASBREG_DIR=./var/copy
expect_ok -d ./var/copy init --force E23000010
expect_ok -d ./var/copy import export.csv
contains "$OUT" "imported 9 records" "export re-imports"
expect_ok -d ./var/copy import events.csv
contains "$OUT" "imported 0 records, 6 events" "events re-import"
expect_ok -d ./var/copy history S000001 --json
contains "$OUT" '"lad":"E08000019"' "the local authority survives export and import"
expect_ok -d ./var/copy list --csv
COPY=$(printf '%s\n' "$OUT" | cut -d, -f2,5,8 | sort)
ASBREG_DIR=$R
expect_ok list --csv
ORIG=$(printf '%s\n' "$OUT" | cut -d, -f2,5,8 | sort)
[ "$COPY" = "$ORIG" ] && ok || bad "the copy's list differs from the original"

# ---- every refusal: exit code, message, and nothing stored ---------------------------------------
refuse 1 "R-CPW-001" add cpw --subject "$LIAM" --issued 2026-03-01
refuse 1 "R-CPN-002" add cpn --subject "$MILL" --issued 2026-04-01
refuse 1 "R-CPN-001" add cpn --subject "$LIAM" --issued 2026-04-01
refuse 1 "R-DISP-001" add dispersal-authorisation --subject "$FARGATE" --issued 2026-08-01T18:00 --hours 24 --rank sergeant
refuse 1 "R-DISP-002" add dispersal-authorisation --subject "$FARGATE" --issued 2026-08-01T18:00 --hours 49 --rank inspector
refuse 1 "R-DISP-003" add dispersal-direction --subject "$KYLE" --issued 2026-08-01T18:00 --hours 2
refuse 1 "R-DISP-003" add dispersal-direction --subject "$KYLE" --issued 2026-07-06T18:00 --hours 2 --links "$AUTH"
refuse 1 "R-DISP-004" add dispersal-direction --subject "$KYLE" --issued 2026-07-05T17:00 --hours 49 --links "$AUTH"
refuse 1 "R-GEN-003" add dispersal-direction --subject "$MILL" --issued 2026-07-04T18:00 --hours 2 --links "$AUTH"
refuse 1 "R-CLN-001" add closure-notice --subject "$MILL" --issued 2026-09-01T10:00 --hours 24 --rank sergeant
refuse 1 "R-CLN-002" add closure-notice --subject "$MILL" --issued 2026-09-01T10:00 --hours 25 --rank inspector
refuse 1 "R-CLN-003" add closure-notice --subject "$MILL" --issued 2026-09-01T10:00 --hours 49 --rank superintendent
refuse 1 "R-CLN-004" event "$NOTICE2" extended --date 2026-09-01T12:00 --until 2026-09-02T20:00 --rank inspector
refuse 1 "R-GEN-007" event "$NOTICE" extended --date 2026-06-02T12:00 --until 2026-06-02T20:00 --rank superintendent
refuse 1 "R-CLO-001" add closure-order --subject "$MILL" --issued 2026-09-02T09:30 --expires 2026-12-03 --links "$NOTICE2"
refuse 1 "R-CLO-002" event "$ORDER" extended --date 2026-09-01 --until 2026-12-04
refuse 1 "R-CLO-003" add closure-order --subject "$MILL" --issued 2026-05-01T09:30 --months 1
refuse 1 "R-PSPO-001" add pspo --subject "$FARGATE" --issued 2026-01-01 --years 4 --agency local-authority
refuse 1 "R-PSPO-003" add pspo --subject "$FARGATE" --issued 2026-01-01 --years 3
refuse 1 "R-INJ-002" add injunction --subject "$KYLE" --issued 2026-01-01 --months 13 --agency local-authority
refuse 1 "R-CBO-001" add cbo --subject "$JANE" --issued 2026-01-01 --months 23 --agency cps
refuse 1 "R-CBO-003" add cbo --subject "$LIAM" --issued 2026-01-01 --indefinite --agency cps
refuse 1 "R-GEN-001" add cbo --subject "$JANE" --issued 2026-01-02 --served 2026-01-01 --indefinite
refuse 1 "R-GEN-008" add cpw --subject "$JANE" --issued 2026-12-01
refuse 1 "R-PWR-001" add respect-order --subject "$JANE" --issued 2026-10-01
refuse 1 "R-GEN-002" event "$CPW" served --date 2026-02-01
refuse 1 "R-GEN-007" event "$YCBO" extended --date 2026-10-01
refuse 1 "R-FPN-001" event "$CPN" fpn-issued --date 2026-05-02 --amount 100.01
refuse 1 "R-FPN-002" event "$YCBO" fpn-issued --date 2026-05-02 --amount 50
refuse 2 "not one of" add cbo --subject "$JANE" --issued 2026-01-01 --agency army
refuse 2 "not one of" add nuisance --subject "$JANE"
refuse 2 "not an ISO 8601 date" add cpw --subject "$JANE" --issued 2026-02-30
refuse 2 "give one of --expires" add cbo --subject "$JANE" --issued 2026-01-01 --years 2 --months 3
refuse 2 "unknown option" add cpw --subject "$JANE" --colour red
refuse 2 "give --subject" add cpw --issued 2026-01-01
refuse 2 "give --date" event "$CPN" breached
refuse 2 "not one of" event "$CPN" exploded --date 2026-05-01
refuse 2 "not one of" event "$CPN" breached --date 2026-05-01 --outcome shrug
refuse 2 "not a record ID" show X12
refuse 3 "no such record" show R999999
refuse 3 "no such subject" add cpw --subject S999999 --issued 2026-01-01
refuse 3 "no such record" event R999999 breached --date 2026-05-01
refuse 3 "no such subject" history S999999
refuse 2 "sex: 'Q'" person add --name "New Person" --dob 1980-01-01 --sex Q
refuse 2 "needs --dob" person add --name "New Person"
refuse 2 "dob: not a date" person add --name "New Person" --dob 1990-02-30
lacks "$ERR" "1990|New Person" "a refused subject's personal data is not echoed"
refuse 2 "LSOA" place add --description "Somewhere" --lsoa E02000001
refuse 2 "local authority district" place add --description "Somewhere" --lad E10000001
refuse 2 "local authority district" add cpw --subject "$JANE" --issued 2026-01-01 --lad E0800001

# Import: all or nothing, and with a rejects file.
cat >bad.csv <<'CSV'
ref,power,name,dob,issued,months,agency
LEG-1,cbo,Ann Adult,1980-01-01,2026-01-05,24,cps
LEG-2,cbo,Bob Teen,2010-01-01,2026-01-05,,cps
CSV
refuse 1 "line 3: .*R-CBO-003" import bad.csv
refuse 3 "cannot open" import missing.csv
cat >typo.csv <<'CSV'
ref,powr,name
X,cpw,Y
CSV
refuse 1 "unknown column 'powr'" import typo.csv
run import bad.csv --rejects rejects.csv
[ "$RC" -eq 1 ] && ok || bad "import with rejects: exit $RC"
contains "$ERR" "1 rows? rejected" "import with rejects says how many were rejected"
contains "$OUT" "imported 1 records" "import with rejects stores the good row"
contains "$(cat rejects.csv)" "LEG-2,.*R-CBO-003" "the rejects file names the rule"
refuse 1 "2 rows rejected" import bad.csv --rejects rejects2.csv
contains "$(cat rejects2.csv)" "LEG-1,.*already recorded" "a duplicate reference is rejected"

# ---- the audit log ------------------------------------------------------------------------------
expect_ok audit --verify
contains "$OUT" "chain intact" "audit --verify"
expect_ok audit --json
contains "$OUT" "\"operation\":\"disclosure\"" "export is logged as a disclosure"
contains "$OUT" "\"operation\":\"consultation\",\"command\":\"show\"" "show is logged as a consultation"
contains "$OUT" "\"user\":\"e2e-officer\"" "the acting user is logged"
expect_ok --as sgt.jones --reason "Case review" show "$CPN"
expect_ok audit
contains "$OUT" "sgt.jones +consultation +show +$CPN +reason: Case review" "--as and --reason are logged"

# ---- a subject access request: everything held about a person, logged as a disclosure ------------
expect_ok --as dpo.smith --reason "SAR 2026/114" subject-export "$KYLE"
contains "$OUT" "everything the register of E23000011 holds about $KYLE" "export header"
contains "$OUT" "Kyle" "the export names the person"
contains "$OUT" "$DIR1" "the export holds the person's records"
contains "$OUT" "collection +" "the export shows who collected the data"
expect_ok subject-export "$KYLE" --json
contains "$OUT" "^\\{\"export\":\\{\"subject\":\"$KYLE\".*\"records\":\\[\\{.*\"audit\":\\[\\{\"seq\"" "subject-export --json"
expect_ok audit
contains "$OUT" "dpo.smith +disclosure +subject-export +$KYLE.*SAR 2026/114" "the export is logged as a disclosure"
refuse 3 "no such subject" subject-export S999999
refuse 2 "not a subject ID" subject-export "$CPN"

# ---- a restriction of processing: kept and readable, nothing new recorded, both logged ------------
refuse 2 "give --reason" restrict "$JANE"
expect_ok restrict "$JANE" --reason "accuracy contested by the subject's solicitor"
contains "$OUT" "$JANE: processing restricted" "restrict"
refuse 1 "R-DPA-001" add cpw --subject "$JANE" --issued 2026-09-01
refuse 1 "R-DPA-001" event "$CPN" breached --date 2026-09-02
refuse 4 "already restricted" restrict "$JANE" --reason "again"
expect_ok history "$JANE"
contains "$OUT" "PROCESSING RESTRICTED since .*accuracy contested" "history shows the restriction"
expect_ok show "$CPN"
contains "$OUT" "PROCESSING RESTRICTED: accuracy contested" "show marks the subject"
expect_ok history "$JANE" --json
contains "$OUT" '"restricted":\{"since":"[^"]*","reason":"accuracy contested' "history --json"
expect_ok subject-export "$JANE"
contains "$OUT" "PROCESSING RESTRICTED" "the export shows the restriction"
expect_ok restrict "$JANE" --lift --reason "solicitor satisfied"
refuse 4 "not restricted" restrict "$JANE" --lift
expect_ok add cpw --subject "$JANE" --issued 2026-09-01
expect_ok audit
contains "$OUT" "alteration +restrict +$JANE" "restrictions are logged"

# ---- rectification: corrected, the old value kept and shown -----------------------------------------
expect_ok person add --name "Robin Mistyped" --dob 1985-05-06 --sex F
RB=$OUT
refuse 2 "give --reason" rectify "$RB" --name "Robin Typed"
refuse 2 "give the fields" rectify "$RB" --reason "x"
refuse 2 "not a field of person" rectify "$RB" --uprn 123 --reason "x"
refuse 2 "dob: not a date" rectify "$RB" --dob 1985-13-01 --reason "x"
refuse 2 "nothing to correct" rectify "$RB" --name "Robin Mistyped" --reason "x"
refuse 4 "registered already as $JANE" rectify "$RB" --name "Jane Example" --dob 1990-05-01 --reason "x"
expect_ok --as sgt.jones --reason "typed from the PNC record" rectify "$RB" --name "Robin Typed" --dob 1985-06-05
contains "$OUT" "2 fields corrected" "rectify"
expect_ok history "$RB"
contains "$OUT" "corrected .* by sgt.jones: name 'Robin Mistyped' -> 'Robin Typed'; reason: typed from the PNC record" "history shows the old name"
contains "$OUT" "dob '1985-05-06' -> '1985-06-05'" "history shows the old date of birth"
expect_ok subject-export "$RB"
contains "$OUT" "name 'Robin Mistyped' -> 'Robin Typed'" "the export shows the correction"
expect_ok find "Robin Typed"
contains "$OUT" "$RB" "the corrected identity is found"
refuse 4 "already registered as $RB" person add --name "Robin Typed" --dob 1985-06-05
expect_ok audit
contains "$OUT" "sgt.jones +alteration +rectify +$RB" "rectification is logged"

# ---- every consultation is in the subject's access export, however many a command touched -------
i=1
while [ $i -le 45 ]; do
	run person add --name "Manyfold Person$i" --dob 1970-01-01
	[ "$RC" -eq 0 ] || bad "person add $i: exit $RC: $ERR"
	[ $i -eq 1 ] && FIRST45=$OUT
	LAST45=$OUT
	i=$((i + 1))
done
expect_ok subject-export "$LAST45"
lacks "$OUT" "disclosure +e2e-officer +export" "an export made before the subject was held is not in its export"
expect_ok --as dc.finder --reason "Op Manyfold" find Manyfold
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 45 ] && ok || bad "find over 45 subjects"
expect_ok --as dc.finder --reason "Op Manyfold" list
expect_ok audit --json
contains "$OUT" '"user":"dc.finder","operation":"consultation","command":"find","ids":"[^"]*\(\+13 more\)","count":45,"touched":45' "the find's entry counts and keeps all 45"
expect_ok subject-export "$LAST45"
contains "$OUT" "consultation +dc.finder +find +Op Manyfold" "a find over 45 subjects is in the 45th subject's export"
expect_ok subject-export "$FIRST45" --json
contains "$OUT" '"operation":"consultation","user":"dc.finder","command":"find","count":45' "and in the first's (--json)"
expect_ok subject-export "$JANE"
lacks "$OUT" "dc.finder +find" "a subject the find did not touch does not show it"
contains "$OUT" "dc.finder +list" "a list of every record is in the export of a subject with records"
expect_ok --as dc.lister list --type cpw
expect_ok subject-export "$JANE"
contains "$OUT" "consultation +dc.lister +list" "a filtered list names the records it listed"
expect_ok subject-export "$LAST45"
lacks "$OUT" "dc.lister" "and not a subject without such records"
expect_ok export --csv
expect_ok subject-export "$LAST45"
contains "$OUT" "disclosure +e2e-officer +export" "an export of everything is in every held subject's export"
expect_ok audit --verify
contains "$OUT" "chain intact" "the chain covers the ID sets"

# ---- a register written before audit entries named every ID (format 1) opens and verifies --------
V1=$WORK/v1
mkdir "$V1" && mdb_load -f "$DATA/register-v1.dump" "$V1" 2>/dev/null && ok || bad "mdb_load the format-1 fixture"
expect_ok -d "$V1" --as dt1 audit --verify
contains "$OUT" "50 entries, chain intact" "the format-1 audit log verifies"
contains "$(mdb_dump -p -s meta "$V1")" "^ format\$" "meta has a format"
[ "$(mdb_dump -p -s meta "$V1" | sed -n '/^ format$/{n;p;}')" = " 2" ] && ok || bad "the register was migrated to format 2"
expect_ok -d "$V1" --as dt1 audit
contains "$OUT" "find +S000001 .* S000032 \(\+3 more\)" "format-1 entries still read"
expect_ok -d "$V1" --as aud1 subject-export S000001
contains "$OUT" "^ +5 .*collection +off1 +person" "a format-1 collection is found through the index"
contains "$OUT" "^ +45 .*consultation +off1 +show" "a format-1 show of the subject's record is found"
contains "$OUT" "^ +46 .*consultation +off1 +list" "a format-1 list naming the record is found"
expect_ok -d "$V1" --as aud1 subject-export S000034
lacks "$OUT" "^ +44 " "the format-1 find that named only 32 IDs cannot be found for the 34th"
expect_ok -d "$V1" --as off1 --reason "after migration" find Fixture
expect_ok -d "$V1" --as aud1 subject-export S000034
contains "$OUT" "consultation +off1 +find +after migration" "a find after the migration names all 35"
expect_ok -d "$V1" --as dt1 audit --verify
contains "$OUT" "54 entries, chain intact" "a chain of format-1 and format-2 entries verifies"
refuse 1 "R-ROLE-001" -d "$V1" --as off1 export --csv

# ---- the law, rule by rule (issue 13): a register of its own, so the counts above stand --------
ASBREG_DIR=./var/law
expect_ok init --force E23000011
expect_ok person add --name "Adam Adult" --dob 1980-01-01
ADULT=$OUT
expect_ok person add --name "Cara Child" --dob 2017-01-01
CHILD=$OUT
expect_ok person add --name "Tom Teen" --dob 2008-12-15
TEEN=$OUT
expect_ok person add --name "Yan Young" --dob 2012-06-01
YOUNG=$OUT
expect_ok premises add --address "1 Law Street"
PA=$OUT
expect_ok premises add --address "2 Law Street"
PB=$OUT
expect_ok premises add --address "3 Law Street"
PC=$OUT
expect_ok place add --description "Law Park"
PARK=$OUT

# 1. s35(4): a direction given during its authorisation may outlast it, up to 48 hours.
expect_ok add dispersal-authorisation --subject "$PARK" --issued 2026-07-03T18:00 --hours 48 --rank inspector
LAUTH=$OUT
expect_ok add dispersal-direction --subject "$ADULT" --issued 2026-07-05T17:00 --hours 48 --links "$LAUTH"
LDIR=$OUT
refuse 1 "R-DISP-004" add dispersal-direction --subject "$ADULT" --issued 2026-07-05T17:00 --expires 2026-07-07T17:01 --links "$LAUTH"
refuse 1 "R-DISP-003" add dispersal-direction --subject "$ADULT" --issued 2026-07-05T18:00 --hours 1 --links "$LAUTH"

# 2. Who may use each power (schema/authority.tsv).
refuse 1 "(s76(1)): nhs may not use the closure-notice power; correct --agency.*(R-AUTH-001)" \
    add closure-notice --subject "$PA" --issued 2026-06-01T10:00 --hours 24 --rank inspector --agency nhs
refuse 1 "only once the law giving it commences.*(R-AUTH-001)" \
    add closure-notice --subject "$PA" --issued 2026-06-01T10:00 --hours 24 --agency housing-provider
refuse 1 "(s34(1)): local-authority may not use the dispersal-authorisation power.*(R-AUTH-001)" \
    add dispersal-authorisation --subject "$PARK" --issued 2026-08-01T18:00 --hours 24 --rank inspector --agency local-authority
refuse 1 "(s5): cps may not use the injunction power; correct --agency to the body that used it: local-authority, housing-provider, police.*(R-AUTH-001)" \
    add injunction --subject "$ADULT" --issued 2026-01-01 --months 6 --agency cps
refuse 1 "(s22): police may not use the cbo power.*(R-AUTH-001)" add cbo --subject "$ADULT" --issued 2026-01-01 --years 2
expect_ok add injunction --subject "$ADULT" --issued 2026-01-01 --months 6 --agency nhs
expect_ok rules --authority
contains "$OUT" "^closure-notice +housing-provider +not yet" "rules --authority shows what has not commenced"

# 3. Christmas Day is disregarded in the 48 hours (s77(3), s80(4)).
expect_ok add closure-notice --subject "$PB" --issued 2025-12-24T10:00 --expires 2025-12-27T10:00 --served 2025-12-24T10:00 --rank superintendent
XMAS=$OUT
refuse 1 "48 hours, Christmas Day disregarded.*(R-CLN-003)" \
    add closure-notice --subject "$PB" --issued 2025-12-24T10:00 --expires 2025-12-27T10:01 --rank superintendent
expect_ok add closure-order --subject "$PB" --issued 2025-12-27T10:00 --months 1
lacks "$ERR" "R-CLO-004" "an order heard 48 hours after service, Christmas Day apart, is in time"
expect_ok show "$OUT" --json
contains "$OUT" "\"id\":\"$XMAS\"" "an order without --links follows the premises' latest notice"

# 4. Commencement: Part 1 injunctions on 23 March 2015; a force's own (a pilot).
refuse 1 "SI 2015/373\|R-PWR-001" add injunction --subject "$ADULT" --issued 2015-03-22 --months 6 --agency local-authority
expect_ok add injunction --subject "$ADULT" --issued 2015-03-23 --months 6 --agency local-authority
refuse 1 "asbreg commence.*(R-PWR-001)" add respect-order --subject "$ADULT" --issued 2026-09-01
expect_ok commence respect-order 2026-09-01
expect_ok commence
contains "$OUT" "^respect-order +2026-09-01" "commence lists this force's own"
expect_ok add respect-order --subject "$ADULT" --issued 2026-09-01
refuse 1 "this force's commencement of the respect-order is 2026-09-01.*(R-PWR-001)" \
    add respect-order --subject "$ADULT" --issued 2026-08-31T23:59
refuse 1 "aged 18 or over.*(R-RESP-001)" add respect-order --subject "$TEEN" --issued 2026-09-01
expect_ok commence youth-injunction 2026-09-01
refuse 1 "aged 10 or over.*(R-YINJ-001)" add youth-injunction --subject "$CHILD" --issued 2026-09-01 --months 6
refuse 1 "aged 10 to 17.*(R-YINJ-002)" add youth-injunction --subject "$ADULT" --issued 2026-09-01 --months 6
expect_ok add youth-injunction --subject "$YOUNG" --issued 2026-09-01 --months 6
refuse 4 "in force nationally from 2014-10-20" commence cpw 2026-01-01
refuse 2 "before the law that made it" commence respect-order 2025-12-31
refuse 2 "not a power" commence nuisance 2026-01-01
refuse 2 "not a date" commence respect-order 2026-02-30
expect_ok audit
contains "$OUT" "commence:respect-order=2026-09-01" "a commencement is logged"

# 5. Appeals only where the law gives one, and in time (late: a warning).
expect_ok add cpw --subject "$ADULT" --issued 2026-03-01
LCPW=$OUT
refuse 1 "no appeal against a community protection warning.*(R-APP-001)" event "$LCPW" appealed --date 2026-03-05
refuse 1 "no appeal against a dispersal direction.*(R-APP-001)" event "$LDIR" appealed --date 2026-07-05T18:00
expect_ok add cpn --subject "$ADULT" --issued 2026-04-01 --served 2026-04-01
LCPN=$OUT
expect_ok event "$LCPN" appealed --date 2026-04-21T23:59
lacks "$ERR" "R-APP-002" "a CPN appeal on the 21st day is in time"
expect_ok add cpn --subject "$ADULT" --issued 2026-04-01T12:00 --served 2026-04-01T12:00
LCPN2=$OUT
expect_ok event "$LCPN2" appealed --date 2026-04-22
contains "$ERR" "warning: .*after the last day \(2026-04-21\).*\(R-APP-002\)" "a late appeal is warned"
expect_ok add cbo --subject "$ADULT" --issued 2026-01-01 --indefinite --agency cps
LCBO=$OUT
refuse 1 "record 'appealed'.*(R-APP-003)" event "$LCBO" appeal-allowed --date 2026-02-01

# 6. Closure orders: one a notice, not on a cancelled one, extensions at most 3 months.
expect_ok add closure-notice --subject "$PA" --issued 2026-06-01T10:00 --hours 24 --rank inspector
LN1=$OUT
expect_ok add closure-order --subject "$PA" --issued 2026-06-02T09:00 --months 1
LORD=$OUT
expect_ok show "$LORD" --json
contains "$OUT" "\"id\":\"$LN1\"" "a closure order finds its notice"
refuse 1 "already has a closure order.*(R-CLO-007)" add closure-order --subject "$PA" --issued 2026-06-02T10:00 --months 1 --links "$LN1"
refuse 1 "at most 3 months at a time.*(R-CLO-005)" event "$LORD" extended --date 2026-06-30 --until 2026-10-02T09:01
expect_ok event "$LORD" extended --date 2026-06-30 --until 2026-10-02T09:00
expect_ok add closure-notice --subject "$PC" --issued 2026-06-10T10:00 --hours 24 --rank inspector
LN2=$OUT
expect_ok event "$LN2" revoked --date 2026-06-10T12:00 --note "cancelled, s78"
refuse 1 "cancelled.*(R-CLO-006)" add closure-order --subject "$PC" --issued 2026-06-11T09:00 --months 1 --links "$LN2"

# 7. Events entered late: judged by their date.
expect_ok event "$LCBO" discharged --date 2026-03-01
expect_ok event "$LCBO" breached --date 2026-02-01 --note "entered late"
refuse 1 "an event dated after that.*(R-GEN-006)" event "$LCBO" breached --date 2026-03-02

# 8. CBOs: never under 10; the youth review only while under 18.
refuse 1 "never against a person under 10.*(R-CBO-005)" add cbo --subject "$CHILD" --issued 2026-10-01 --years 1 --agency cps
expect_ok add cbo --subject "$TEEN" --issued 2026-01-01 --years 2 --agency cps
TCBO=$OUT
expect_ok add cbo --subject "$YOUNG" --issued 2026-01-01 --years 2 --agency cps
YCBO2=$OUT
expect_ok due --within 70
contains "$OUT" "youth-cbo-review +$YCBO2" "a 14-year-old's CBO review is due"
lacks "$OUT" "youth-cbo-review +$TCBO" "no review due once the person is 18"

# 9. Breaches and fixed penalties.
refuse 1 "cannot itself be breached.*(R-BRE-001)" event "$LCPW" breached --date 2026-03-10
refuse 1 "cannot be breached.*(R-BRE-001)" event "$LAUTH" breached --date 2026-07-04T18:00
refuse 1 "give --amount.*(R-FPN-003)" event "$LCPN" fpn-issued --date 2026-05-01
refuse 1 "record 'fpn-issued' first.*(R-FPN-004)" event "$LCPN" fpn-paid --date 2026-05-01
expect_ok event "$LCPN" fpn-issued --date 2026-05-01 --amount 75
refuse 1 "before the first fixed penalty.*(R-FPN-004)" event "$LCPN" fpn-paid --date 2026-04-30 --amount 75
refuse 1 "more than the 75.00 pounds.*(R-FPN-004)" event "$LCPN" fpn-paid --date 2026-05-03 --amount 75.01
expect_ok event "$LCPN" fpn-paid --date 2026-05-03 --amount 75
refuse 1 "already paid.*(R-FPN-004)" event "$LCPN" fpn-paid --date 2026-05-04

# 10. due keeps a lapsed notice's hearing until an order follows or it is cancelled.
expect_ok add closure-notice --subject "$PC" --issued 2026-10-30T10:00 --hours 24 --rank inspector
LN3=$OUT
expect_ok due --within 1
contains "$OUT" "closure-hearing +$LN3 .*OVERDUE" "a lapsed notice's hearing stays due"
lacks "$OUT" "closure-hearing +$LN2" "a cancelled notice needs no hearing"
lacks "$OUT" "closure-hearing +$LN1" "a notice with its order needs no hearing"
expect_ok add closure-order --subject "$PC" --issued 2026-10-31T12:00 --months 1
expect_ok due --within 1
lacks "$OUT" "closure-hearing +$LN3" "the order clears the hearing"
ASBREG_DIR=$R

# ---- help, usage and version ----------------------------------------------------------------------
for c in init person premises place body find add event show list history subject-export restrict user review rectify void merge due repeat import export audit codes rules commence; do
	run "$c" --help
	[ "$RC" -eq 0 ] && printf '%s' "$OUT" | grep -q "^usage: asbreg" && ok || bad "$c --help"
done
expect_ok --help
expect_ok --version
refuse 2 "fnid: unknown command; did you mean 'find'?" fnid Jane
refuse 2 "did you mean 'subject-export'" subject-exprot "$JANE"
refuse 2 "frobnicate: unknown command$" frobnicate
refuse 2 "find: --colour: unknown option or missing value (see 'asbreg find --help')" find Jane --colour
refuse 2 "add: --subject: unknown option or missing value" add cpw --subject
refuse 2 "--bogus: unknown option before the command" --bogus list
expect_ok help show
contains "$OUT" "^usage: asbreg show RECORD" "help CMD gives the command's usage"
contains "$OUT" "A record in full" "help CMD describes the command"
expect_ok history --help
contains "$OUT" "Every record about a person" "CMD --help describes that command"
contains "$OUT" "Common options: -d DIR" "CMD --help gives the common options"
expect_ok --help
contains "$OUT" "^  subject-export +everything held about a subject" "--help lists the commands with a summary"
run
[ "$RC" -eq 2 ] && ok || bad "no command: exit $RC"
contains "$ERR" "^usage: asbreg" "no command: the usage"
expect_ok codes forces
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 43 ] && ok || bad "43 forces"
expect_ok rules --json
contains "$OUT" "\"id\":\"R-DISP-002\"" "rules lists the rule table"

# ---- what schema 1.1 added: a body, interim and partial orders, a direction's record, an
# adjourned hearing, who decided a variation (a register of its own) ---------------------------
export ASBREG_DIR=./var/details
R=$ASBREG_DIR
expect_ok init --force E23000011
expect_ok body add --name "Acme Scrap Metals Ltd" --company 01234567 --lsoa E01007321
ACME=$OUT
contains "$ACME" "^S[0-9]{6}$" "body add prints a subject ID"
refuse 4 "already registered as $ACME" body add --name "ACME scrap  metals LTD"
refuse 4 "already registered as $ACME" body add --name "Acme Recycling" --company 01234567
refuse 2 "company: 'ab-12' is not a company or charity number" body add --name "Other Ltd" --company ab-12
refuse 2 "a body needs --name" body add --company 07654321
expect_ok add cpw --subject "$ACME" --issued 2026-03-01 --agency local-authority --by "Env Health"
BCPW=$OUT
expect_ok add cpn --subject "$ACME" --issued 2026-04-01 --agency local-authority
BCPN=$OUT
expect_ok show "$BCPN" --json
contains "$OUT" "\"kind\":\"body\",\"name\":\"Acme Scrap Metals Ltd\",\"company\":\"01234567\"" "show: the body and its number"
contains "$OUT" "\"id\":\"$BCPW\"" "a body's CPN is linked to its CPW"
refuse 1 "R-GEN-003" add injunction --subject "$ACME" --issued 2026-04-01 --months 6 --agency local-authority
expect_ok person add --name "Dean Adult" --dob 1990-01-01
DEAN=$OUT
expect_ok person add --name "Tia Teen" --dob 2011-01-10
TIA=$OUT
expect_ok person add --name "Sam Sixteen" --dob 2010-01-10
SAM=$OUT
# s26: an interim CBO is not bound by the 2-year minimum of s25(5); the full order is
expect_ok add cbo --subject "$DEAN" --issued 2026-05-01 --months 3 --agency cps --interim
ICBO=$OUT
expect_ok show "$ICBO"
contains "$OUT" "order +interim" "show: an interim order"
refuse 1 "R-CBO-001" add cbo --subject "$DEAN" --issued 2026-05-02 --months 3 --agency cps
refuse 1 "leave out --interim (R-INT-001)" add cpw --subject "$DEAN" --issued 2026-05-02 --interim
# s6: without notice, then only an interim injunction
expect_ok add injunction --subject "$DEAN" --issued 2026-05-03 --months 1 --agency local-authority --without-notice --interim
refuse 1 "R-INT-002" add injunction --subject "$DEAN" --issued 2026-05-04 --months 1 --agency local-authority --without-notice
# s27: varied by the court on the offender's application; not by the prosecution
expect_ok event "$ICBO" varied --date 2026-06-01 --decided-by court --applicant respondent
expect_ok show "$ICBO" --json
contains "$OUT" "\"decided_by\":\"court\",\"applicant\":\"respondent\"" "show: who decided, on whose application"
refuse 1 "by the court (s27): give --decided-by court (R-VAR-001)" event "$ICBO" varied --date 2026-06-02 --decided-by issuer
refuse 1 "R-VAR-002" event "$ICBO" discharged --date 2026-06-02 --decided-by court --applicant interested
refuse 1 "R-VAR-003" event "$ICBO" breached --date 2026-06-02 --decided-by court
refuse 2 "decided-by: 'judge' is not one of: court issuer respondent interested" event "$ICBO" varied --date 2026-06-02 --decided-by judge
# s80(7), s81: a notice whose hearing is adjourned, then a partial order at the adjourned hearing
expect_ok premises add --address "3 Yard Road" --lsoa E01007400
YARD=$OUT
expect_ok add closure-notice --subject "$YARD" --issued 2026-06-01T10:00 --hours 24 --authorised-by "Insp Ray" --rank inspector
NOTICE=$OUT
refuse 1 "R-CLO-009" event "$NOTICE" adjourned --date 2026-06-02T09:00 --until 2026-06-16T09:01
refuse 1 "R-CLO-009" event "$NOTICE" adjourned --date 2026-06-02T09:00
expect_ok event "$NOTICE" adjourned --date 2026-06-02T09:00 --until 2026-06-16T09:00
refuse 1 "R-CLO-008" add closure-notice --subject "$YARD" --issued 2026-06-20T10:00 --hours 24 --authorised-by "Insp Ray" --rank inspector --partial
expect_ok add closure-order --subject "$YARD" --issued 2026-06-16T09:00 --months 3 --partial
ORDER=$OUT
lacks "$ERR" "R-CLO-004" "an order at the adjourned hearing is in time (s81)"
expect_ok show "$ORDER" --json
contains "$OUT" "\"partial\":true" "show: a partial closure order"
contains "$OUT" "\"id\":\"$NOTICE\"" "the order follows the adjourned notice"
refuse 1 "R-CLO-010" event "$ORDER" adjourned --date 2026-06-20 --until 2026-06-25
# s35(5), s35(7), s37, s38: a direction's record
expect_ok place add --description "Bus station" --lsoa E01033264
BUS=$OUT
expect_ok add dispersal-authorisation --subject "$BUS" --issued 2026-07-03T18:00 --hours 48 --authorised-by "Insp Patel" --rank inspector
DAUTH=$OUT
expect_ok add dispersal-direction --subject "$TIA" --issued 2026-07-03T21:00 --hours 24 --links "$DAUTH" \
    --area "Bus station and Pond Street" --leave-by 2026-07-03T21:15 --removed-to home --surrendered "Aerosol cans"
TDIR=$OUT
lacks "$ERR" "warning" "a full direction record warns of nothing"
expect_ok show "$TDIR"
contains "$OUT" "area +Bus station and Pond Street" "show: the area"
contains "$OUT" "removed to +home" "show: an under-16 taken home"
contains "$OUT" "surrendered Aerosol cans" "show: property surrendered"
expect_ok add dispersal-direction --subject "$SAM" --issued 2026-07-03T22:00 --hours 24 --links "$DAUTH" --removed-to home
contains "$ERR" "warning.*R-DISP-007" "a 16-year-old taken home: warned"
contains "$ERR" "warning.*R-DISP-009" "no area: warned"
refuse 1 "R-DISP-008" add dispersal-direction --subject "$TIA" --issued 2026-07-04T10:00 --hours 2 --links "$DAUTH" --area "Bus station" --leave-by 2026-07-04T12:01
refuse 1 "R-DISP-010" add cpn --subject "$ACME" --issued 2026-04-05 --agency local-authority --surrendered "Skip"
refuse 2 "removed-to: 'school' is not home or place-of-safety" add dispersal-direction --subject "$TIA" --issued 2026-07-04T10:00 --hours 2 --links "$DAUTH" --removed-to school
refuse 2 "add: --interim: unknown option or missing value" add cbo --subject "$DEAN" --interim=maybe
expect_ok codes parties
contains "$OUT" "^ +interested +Another person" "codes parties"
expect_ok codes events
contains "$OUT" "^ +adjourned +Hearing adjourned" "codes events lists adjourned"

finish
