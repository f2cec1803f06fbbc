#!/bin/sh
# names.sh - names as people write them, text that is not UTF-8, and dates that help, through
# the real binary: every refusal with its exit code, its message and nothing stored; the --new
# path; an import of a Windows-1252 file with --encoding, read back as the right UTF-8.
. "$(dirname "$0")/lib.sh"
export ASBREG_NOW=2026-11-01T12:00 ASBREG_DIR=./var/register
expect_ok init --force E23000011

# ---- one person, however the name is typed -----------------------------------------------
expect_ok person add --name "Zoë Łukasz" --dob 1990-05-01 --sex F
ZOE=$OUT
refuse 4 "already registered as $ZOE" person add --name "ZOË ŁUKASZ" --dob 1990-05-01
refuse 4 "already registered as $ZOE" person add --name "zoe lukasz" --dob 1990-05-01
refuse 4 "already registered as $ZOE" person add --name " Zoe  Lukasz " --dob 1990-05-01
lacks "$ERR" "Zo|1990" "the refusal carries no personal data"
# close: a similar name with the same date of birth, the same name one typo away
refuse 4 "close to $ZOE .*add again with --new" person add --name "Zoe Lukas" --dob 1990-05-01
refuse 4 "close to $ZOE" person add --name "Zoe Lukasz" --dob 1990-05-02
refuse 4 "close to $ZOE" person add --name "Zoe Lukasz" --dob 1990-01-05
refuse 4 "close to $ZOE" person add --name "Lukasz Zoe" --dob 1990-05-01
# --new: the officer has checked, and it is another person
expect_ok person add --name "Zoe Lukasz" --dob 1990-05-02 --new
ZOE2=$OUT
[ "$ZOE2" != "$ZOE" ] && ok || bad "--new made no new subject"
# far enough apart: another person, no refusal
expect_ok person add --name "Zoe Lukasz" --dob 1992-07-09
expect_ok person add --name "Seán O’Brien-Smith" --dob 1980-02-03
SEAN=$OUT
refuse 4 "already registered as $SEAN" person add --name "Sean O'Brien Smith" --dob 1980-02-03
refuse 4 "already registered as $SEAN" person add --name "sean obriensmith" --dob 1980-02-03

# ---- find ------------------------------------------------------------------------------
expect_ok find zoe
contains "$OUT" "^$ZOE +person +Zoë Łukasz, born 1990-05-01" "find zoe finds Zoë"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 3 ] && ok || bad "find zoe: three people: $OUT"
expect_ok find "łukasz zoë"
contains "$OUT" "^$ZOE " "words in another order"
for q in "O'Brien" "O’Brien" "o‘brien" "OBRIEN-SMITH" "obrien smith" "sean"; do
	expect_ok find "$q"
	contains "$OUT" "^$SEAN " "find $q"
done
expect_ok find 1990-05-01
[ "$OUT" = "$(printf '%s' "$OUT" | grep "^$ZOE ")" ] && ok || bad "find by date of birth: $OUT"
refuse 3 "nothing matches" find "zoe xyz"

# ---- text that is not UTF-8 --------------------------------------------------------------
refuse 2 "name: is not valid UTF-8 at byte 3: save it as CSV UTF-8" person add --name "$(printf 'Zo\353')" --dob 1991-01-01
refuse 2 "name: holds a control character" person add --name "$(printf 'A\033[2JB')" --dob 1991-01-01
refuse 2 "find: the text to find is not valid UTF-8" find "$(printf '\353')"
refuse 2 "find: --reason: not valid UTF-8, or holds a control character" --reason "$(printf 'Op \033[2J')" find zoe
refuse 2 "find: --reason: not valid UTF-8" find zoe --reason "$(printf 'Op \351t\351')"
expect_ok add cpw --subject "$ZOE" --issued 2026-10-01 --by "PC 1" --conditions "$(printf 'Not to enter the park.\nNot to contact X.')"
refuse 2 "by: holds a control character .*only conditions and note may hold new lines" add cpw --subject "$ZOE" --issued 2026-10-01 --by "$(printf 'PC\n1')"

# A Windows-1252 file (Excel's "CSV"): refused as it is, naming the line and the field ...
printf 'ref,power,name,dob,issued,years,agency\r\nW1,cbo,Ren\351e O\222Hara,1985-03-04,2026-01-10,2,cps\r\nW2,cbo,Zo\353 Adams,1986-03-04,2026-01-10,2,cps\r\n' >cp1252.csv
refuse 1 "line 2: name: is not valid UTF-8 at byte 4: save it as CSV UTF-8 (or import it with --encoding windows-1252)" import cp1252.csv
run --as e2e-officer import cp1252.csv --rejects rej.csv
[ "$RC" -eq 1 ] && ok || bad "import with rejects: exit $RC"
contains "$(cat rej.csv)" "line 3: name: is not valid UTF-8" "the rejects file names each bad line"
run find adams
[ "$RC" -eq 3 ] && ok || bad "a refused row stored its subject"
# ... and read right with --encoding.  (The rejects run above stored nothing good.)
expect_ok import cp1252.csv --encoding windows-1252
contains "$OUT" "imported 2 records" "--encoding windows-1252 imports the file"
expect_ok find --json renee
contains "$OUT" '"name":"Renée O’Hara"' "read back as UTF-8"
printf '%s' "$OUT" | iconv -f UTF-8 -t UTF-8 >/dev/null && ok || bad "find --json printed invalid UTF-8"
expect_ok find "zoe adams"
contains "$OUT" "Zoë Adams" "the second row too"
printf 'ref,power,name,dob,issued,years,agency\nW9,cbo,A\201B,1985-03-04,2026-01-10,2,cps\n' >undefined.csv
refuse 1 "line 2: byte 0x81 is not a character of windows-1252" import undefined.csv --encoding windows-1252
refuse 2 "--encoding: 'klingon' is not an encoding" import cp1252.csv --encoding klingon

# ---- import: the same person linked, a close one refused unless new=yes --------------------
printf 'ref,power,name,dob,issued,years,agency\nI1,cbo,ZOE LUKASZ,1990-05-01,2026-02-10,2,cps\n' >same.csv
expect_ok import same.csv
contains "$OUT" "1 records, 0 events and 0 new subjects" "an exact match is linked to the person held"
expect_ok history "$ZOE"
contains "$OUT" "cbo" "the imported record is in her history"
printf 'ref,power,name,dob,issued,years,agency\nI2,cbo,Zoe Lukasz,1990-06-01,2026-02-10,2,cps\n' >close.csv
refuse 4 "line 2: the subject is close to $ZOE.*new=yes" import close.csv
printf 'ref,power,name,dob,issued,years,agency,new\nI2,cbo,Zoe Lukasz,1990-06-01,2026-02-10,2,cps,yes\n' >closenew.csv
expect_ok import closenew.csv
contains "$OUT" "1 new subjects" "new=yes adds the person"

# ---- dates that help -----------------------------------------------------------------------
refuse 2 "dob: a date of birth in the future" person add --name "Not Born" --dob 2026-11-02
refuse 2 "dob: not a date: before 1900" person add --name "Very Old" --dob 1899-12-31
refuse 2 "dob: not a date: not a leap year" person add --name "Leap Day" --dob 1999-02-29
refuse 2 "dob: not a date: write it year first" person add --name "British Order" --dob 31/12/2000
expect_ok person add --name "Born Today" --dob 2026-11-01
expect_ok person add --name "Leap Day" --dob 2000-02-29
refuse 2 "issued: 1999-02-29: 1999 is not a leap year" add cpw --subject "$ZOE" --issued 1999-02-29
refuse 2 "issued: 31/12/2025: write 2025-12-31" add cpw --subject "$ZOE" --issued 31/12/2025
refuse 2 "issued: 2026-03-29T01:30: this time does not exist in the UK.*offset" add cpw --subject "$ZOE" --issued 2026-03-29T01:30
refuse 2 "issued: 2026-10-25T01:30: this time happens twice in the UK.*2026-10-25T01:30+01:00 (the first, BST)" add cpw --subject "$ZOE" --issued 2026-10-25T01:30
expect_ok add cpw --subject "$ZOE" --issued 2026-10-25T01:30+00:00
expect_ok show "$OUT"
contains "$OUT" "2026-10-25 01:30" "an offset makes the repeated hour one instant"
printf 'ref,power,name,dob,issued,years,agency\nD1,cbo,Date Case,1980-01-01,2026-03-29T01:15,2,cps\n' >gap.csv
refuse 1 "line 2: issued: 2026-03-29T01:15: this time does not exist in the UK" import gap.csv
expect_ok audit --verify
finish
