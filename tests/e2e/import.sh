#!/bin/sh
# import.sh - a larger import through the real binary: 20,000 rows in one transaction, the
# progress bar on a terminal (script(1) gives the command a pseudo-terminal) and never when
# stderr is not one, and a failure on the last row leaving the register exactly as it was.
. "$(dirname "$0")/lib.sh"
export ASBREG_NOW=2026-11-01T12:00 ASBREG_DIR=./var/register
expect_ok init --force E23000001

awk 'BEGIN {
	print "ref,power,name,dob,issued,years,agency,lsoa"
	for (i = 0; i < 20000; i++)
		printf "L%05d,cbo,Person %d,19%02d-01-15,2025-%02d-10,2,cps,E01%06d\n", i, i % 7000, 50 + i % 40, 1 + i % 12, i % 500
}' >rows.csv
# The same rows plus one that breaks a rule at the very end.
cp rows.csv bad.csv
echo "L99999,cbo,Late Youth,2015-01-01,2025-06-01,5,cps,E01000001" >>bad.csv

refuse 1 "line 20002: .*R-CBO-003" import bad.csv

script -qec "$ASBREG import rows.csv" /dev/null >tty.out 2>&1
RC=$?
[ "$RC" -eq 0 ] && ok || bad "import on a terminal: exit $RC"
contains "$(cat tty.out)" "importing \\[[.#]+\\] +[0-9]+%" "a progress bar on a terminal"
contains "$(cat tty.out)" "imported 20000 records" "the terminal import stored every row"

expect_ok -d ./var/second init --force E23000002
"$ASBREG" -d ./var/second import rows.csv >plain.out 2>plain.err
[ $? -eq 0 ] && ok || bad "plain import failed"
[ ! -s plain.err ] && ok || bad "stderr not a terminal, yet it got: $(cat plain.err)"
contains "$(cat plain.out)" "imported 20000 records, 0 events and 7000 new subjects" "subjects matched across rows"

expect_ok list --type cbo --csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 20001 ] && ok || bad "list after import"
expect_ok repeat --since 2025-01-01 --min 3
contains "$OUT" "repeat-subject" "imported repeat subjects are found"
expect_ok audit --verify
finish
