#!/bin/sh
# retention.sh - the retention review (R-RET-001): due 6 years after a record's life ended,
# listed by 'asbreg due'; --retain puts the next review a period later; --dispose erases the
# personal data and keeps the statistical facts (a return for the old period still counts
# the record), erases the subject's identity only when nothing else is kept about them, and
# is logged as an erasure; refusals store nothing.
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?}"
export ASBREG_DIR=$WORK/reg
unset ASB_USER
at() { ASBREG_NOW=$1; export ASBREG_NOW; }
at 2019-01-01T12:00
expect_ok init --force E23000011
expect_ok person add --name "Old Case" --dob 1970-03-04 --sex M --ethnicity W1 --pnc 01/123456X
P=$OUT
expect_ok add injunction --subject "$P" --issued 2018-07-02 --months 3 --by "PC Gone" \
    --conditions "Not to contact Mr X" --incident CAD-9 --agency housing-provider
A=$OUT
expect_ok event "$A" breached --date 2018-08-01 --note "seen at Mr X's door" --outcome contempt-proven
expect_ok add cbo --subject "$P" --issued 2018-08-01 --years 2 --agency cps --conditions "Not to enter the estate"
B=$OUT

# not due yet: refused, nothing stored
at 2024-01-01T12:00
refuse 1 "R-RET-002" review "$A" --dispose --reason "early"
refuse 2 "give --retain or --dispose" review "$A" --reason "which"
refuse 2 "not both" review "$A" --retain --dispose --reason "both"
refuse 2 "give --reason" review "$A" --dispose
# due: the injunction ended 2018-10-02, so from 2024-10-02
at 2024-11-01T12:00
expect_ok due --within 1
contains "$OUT" "retention-review +$A" "due lists the retention review"
expect_ok review "$A" --retain --reason "linked to an open case"
contains "$OUT" "$A retained" "retain"
expect_ok due --within 1
lacks "$OUT" "retention-review +$A" "after --retain it is not due"
at 2030-11-02T12:00
expect_ok due --within 1
contains "$OUT" "retention-review +$A" "due again a review period after --retain"
expect_ok review "$A" --dispose --reason "no longer needed (R-RET-001)"
contains "$OUT" "$A disposed of: personal data erased \(1 events\)$" "dispose: the subject still has the CBO"
expect_ok show "$A"
lacks "$OUT" "PC Gone|Mr X|CAD-9" "the record's personal data is erased"
contains "$OUT" "breached" "the statistical facts stay"
expect_ok find "Old Case"
contains "$OUT" "$P" "the subject stays while another record is kept"
refuse 4 "disposed of already" review "$A" --dispose --reason "again"
# the CBO's life ended 2020-08-01: due from 2026-08-01; disposing of it erases the identity
expect_ok review "$B" --dispose --reason "no longer needed (R-RET-001)"
contains "$OUT" "the subject's identity erased: $P" "the last record takes the identity"
expect_ok history "$P" --json
contains "$OUT" '"name":"\[erased\]","dob":"1970-07-01","sex":"M","ethnicity":"W1","pnc":null' "identity erased, year of birth kept"
lacks "$OUT" "Old Case|01/123456X|Not to enter|seen at" "nothing personal left"
refuse 3 "nothing matches" find "Old Case"
lacks "$OUT" "$P" "the identity index no longer finds them"
# a return for the old period still counts both uses
"$ASBGW" build --period 2018-Q3 -o old.xml >/dev/null 2>&1 && ok || bad "build after disposal"
[ "$(grep -c 'issuedInPeriod="true"' old.xml)" = 2 ] && ok || bad "the return lost the disposed records"
contains "$(cat old.xml)" 'contempt-proven' "the event's outcome was lost"
expect_ok audit
contains "$OUT" "erasure +review +$A" "disposal is logged as an erasure"
contains "$OUT" "erasure +review +$B $P" "the identity's erasure is logged"
expect_ok audit --verify
finish
