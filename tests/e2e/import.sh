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

# ---- export to a spreadsheet, and from one register to another --------------------------------
# Every cell a spreadsheet would run as a formula is guarded in the export with an apostrophe
# (= + - @ past any spaces, a leading TAB or CR, the fullwidth forms), and the import takes
# the apostrophe off again: a transfer gives back exactly the text stored, a text that really
# starts with an apostrophe included.
export ASBREG_DIR=./var/xfer
expect_ok init --force E23000003
TAB=$(printf '\t')
{
	echo 'ref,power,name,dob,issued,years,agency,lsoa,conditions,by,incident'
	echo 'X1,cbo,"=HYPERLINK(""http://evil.example/"",""details"")",1980-01-01,2025-06-10,2,cps,E01000001,"- not to enter the park",PC 1,+44'
	echo "X2,cbo,'Kay Smith,1981-01-01,2025-06-10,2,cps,E01000001,\"''=1+1 is data\",@bob,"
	echo 'X3,cbo,+Plus Person,1982-01-01,2025-06-10,2,cps,E01000001," =cmd|x",－x,＠y'
	echo 'X4,cbo,＝Full Width,1983-01-01,2025-06-10,2,cps,E01000001," ＠home",+1,-2'
	echo "X5,cbo,Tab Person,1984-01-01,2025-06-10,2,cps,E01000001,\"${TAB}=tab\",,"
} >xfer.csv
{
	echo 'record,kind,date,note,by'
	echo 'X1,breached,2025-07-01,"=1+2",-PC 2'
	echo "X2,breached,2025-07-02,''@note,'Kay"
} >xfer-events.csv
expect_ok import xfer.csv
expect_ok import xfer-events.csv
expect_ok show R000001 --json
contains "$OUT" '"name":"=HYPERLINK\(\\"http://evil.example/\\",\\"details\\"\)"' "the import stores the formula text as given"
expect_ok show R000002 --json
contains "$OUT" "\"name\":\"'Kay Smith\"" "a name that starts with an apostrophe is kept"
contains "$OUT" "\"conditions\":\"'=1\\+1 is data\"" "a guarded cell is read without its guard"
expect_ok export --json
printf '%s\n' "$OUT" >xfer-a.json
expect_ok export --csv
printf '%s\n' "$OUT" >xfer-a.csv
expect_ok export --csv --events
printf '%s\n' "$OUT" >xfer-a-events.csv
# What a spreadsheet opens: every cell that starts with a formula character, however hidden,
# has the apostrophe before it; data that starts with one has a second one.
cat >xfer-want.csv <<END
X1,cbo,person,"'=HYPERLINK(""http://evil.example/"",""details"")",1980-01-01,,,,,,,,,2025-06-10T00:00:00+01:00,,2027-06-10T00:00:00+01:00,PC 1,,,cps,"'- not to enter the park",E01000001,,,"'+44"
X2,cbo,person,'Kay Smith,1981-01-01,,,,,,,,,2025-06-10T00:00:00+01:00,,2027-06-10T00:00:00+01:00,"'@bob",,,cps,"''=1+1 is data",E01000001,,,
X3,cbo,person,"'+Plus Person",1982-01-01,,,,,,,,,2025-06-10T00:00:00+01:00,,2027-06-10T00:00:00+01:00,"'－x",,,cps,"' =cmd|x",E01000001,,,"'＠y"
X4,cbo,person,"'＝Full Width",1983-01-01,,,,,,,,,2025-06-10T00:00:00+01:00,,2027-06-10T00:00:00+01:00,"'+1",,,cps,"' ＠home",E01000001,,,"'-2"
X5,cbo,person,Tab Person,1984-01-01,,,,,,,,,2025-06-10T00:00:00+01:00,,2027-06-10T00:00:00+01:00,,,,cps,"'${TAB}=tab",E01000001,,,
END
if tail -n +2 xfer-a.csv | cmp -s - xfer-want.csv; then ok; else
	bad "the export's guarded cells: $(tail -n +2 xfer-a.csv | diff xfer-want.csv - | head -8)"; fi
cat >xfer-want-events.csv <<END
X1,breached,2025-07-01T00:00:00+01:00,,,"'=1+2","'-PC 2",,
X2,breached,2025-07-02T00:00:00+01:00,,,"''@note",'Kay,,
END
if tail -n +2 xfer-a-events.csv | cmp -s - xfer-want-events.csv; then ok; else
	bad "the events export's guarded cells: $(tail -n +2 xfer-a-events.csv | diff xfer-want-events.csv - | head -8)"; fi
expect_ok -d ./var/xfer2 init --force E23000004
expect_ok -d ./var/xfer2 import xfer-a.csv
expect_ok -d ./var/xfer2 import xfer-a-events.csv
expect_ok -d ./var/xfer2 export --json
if printf '%s\n' "$OUT" | cmp -s - xfer-a.json; then ok; else
	bad "register to register: the second register holds other text: $(printf '%s\n' "$OUT" | diff xfer-a.json - | head -5)"; fi
expect_ok -d ./var/xfer2 export --csv
if printf '%s\n' "$OUT" | cmp -s - xfer-a.csv; then ok; else bad "the second export differs"; fi

# ---- the rejects file: names and dates of birth, so mode 0600 under any umask ------------------
export ASBREG_DIR=./var/rej
expect_ok init --force E23000005
{
	echo 'ref,power,name,dob,issued,years,agency,lsoa'
	echo 'J1,cbo,Good Person,1980-01-01,2025-06-10,2,cps,E01000001'
	echo 'J2,cbo,Late Youth,2015-01-01,2025-06-01,5,cps,E01000001'
} >rej.csv
(umask 000; "$ASBREG" import rej.csv --rejects rej-out.csv >/dev/null 2>&1; echo $? >rej.rc)
[ "$(cat rej.rc)" -eq 1 ] && ok || bad "import with a rejected row: exit $(cat rej.rc), want 1"
[ "$(stat -c %a rej-out.csv)" = 600 ] && ok || bad "rejects file under umask 000: mode $(stat -c %a rej-out.csv), want 600"
contains "$(cat rej-out.csv)" "J2,.*R-CBO-003" "the rejects file holds the bad row"
# An old rejects file of the caller's, world-readable, is tightened as it is written over.
echo old >rej-old.csv
chmod 644 rej-old.csv
(umask 000; "$ASBREG" import rej.csv --rejects rej-old.csv >/dev/null 2>&1)
[ "$(stat -c %a rej-old.csv)" = 600 ] && ok || bad "an existing rejects file: mode $(stat -c %a rej-old.csv), want 600"
lacks "$(cat rej-old.csv)" "^old" "the old rejects file is replaced"
# A link planted where the rejects will be written is not followed; the import stores nothing.
echo "someone else's" >victim.txt
ln -s victim.txt rej-link.csv
refuse 4 "rej-link.csv: is a symbolic link" import rej.csv --rejects rej-link.csv
[ "$(cat victim.txt)" = "someone else's" ] && ok || bad "the link's target was written"
ln -s nowhere.csv rej-dangling.csv
refuse 4 "is a symbolic link" import rej.csv --rejects rej-dangling.csv
absent nowhere.csv "a dangling link's target"
# A FIFO with no reader: refused at once, not waited on (timeout: a hang is a failure too).
mkfifo rej-fifo.csv
exits 4 "a FIFO as the rejects file" timeout 10 "$ASBREG" import rej.csv --rejects rej-fifo.csv
contains "$ERR" "rej-fifo.csv: not a plain file" "a FIFO is refused by name"
if [ "$(id -u)" -eq 0 ]; then
	# root can write anyone's file: the check is the owner, not the permission.
	echo theirs >rej-theirs.csv
	chown nobody rej-theirs.csv
	refuse 4 "belongs to another user" import rej.csv --rejects rej-theirs.csv
	[ "$(cat rej-theirs.csv)" = theirs ] && ok || bad "another user's file was written over"
fi
finish
