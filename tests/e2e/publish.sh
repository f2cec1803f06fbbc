#!/bin/sh
# publish.sh - the Home Office's publication side on the demo's pipeline for two forces (four
# quarters each): coverage said with known answers, measures that do not apply marked [z],
# the tidy CSV's shape, a release reproduced byte for byte, a correction after a release
# marking exactly the cells it changed [r] in the next release and listing it, refusals, the
# workbook read back through LibreOffice (once: it is slow) with every number compared with
# the JSON output, and the release's HTML and the workbook's cover rendered (headless
# Chromium; LibreOffice).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?set SYNTH to the synth binary}"
unset ASBGW_CONF ASBHUB_DIR
N=$WORK/n
Q=2026-Q3
FORCES="E23000011 E23000034"
H=$N/hub
if FORCES=$FORCES QUARTER=$Q sh "$ROOT/tools/national.sh" "$N" >"$WORK/national.out" 2>&1; then ok
else bad "tools/national.sh failed: $(tail -20 "$WORK/national.out")"; fi
hub() { "$ASBHUB" "$@" -d "$H" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; }
want() {	# CODE WHAT: the last hub command exited CODE
	[ "$RC" -eq "$1" ] && ok || bad "$2: exit $RC, want $1: $(cat "$WORK/.err")"
}
has() {		# FILE PATTERN WHAT
	grep -q -- "$2" "$1" && ok || bad "$3: no '$2' in $1: $(head -c 400 "$1")"
}

# ---- coverage, with known answers: 2 of 43 counted in each quarter, and 2026-Q4 has none
hub report --period $Q
want 0 "report"
has "$WORK/.out" "^ASB powers, 2 of 43 police forces in England and Wales: 2026-Q3$" "title"
has "$WORK/.out" "2026-Q3: 2 of 43 forces counted; missing: Metropolitan Police, Cumbria," \
    "coverage line"
grep -q "England and Wales: " "$WORK/.out" && ! grep -q "^ASB powers, England and Wales" \
    "$WORK/.out" && ok || bad "a partial report titled England and Wales"
has "$WORK/.out" "uses per 100,000 residents over 2026-Q3 (1 quarter, not annualised)" \
    "the rates' period"
hub report --year 2026 --format json
want 0 "report --year"
cov=$(jq -c '[.coverage[] | [.quarter, .forces_counted, (.missing | length)]]' "$WORK/.out")
[ "$cov" = '[["2026-Q1",2,41],["2026-Q2",2,41],["2026-Q3",2,41],["2026-Q4",0,43]]' ] && ok ||
    bad "coverage by quarter: $cov"
jq -e '.area == "police forces in England and Wales with a return (coverage differs by quarter)"' \
    "$WORK/.out" >/dev/null && ok || bad "area of a range: $(jq .area "$WORK/.out")"
hub report --year 2026
has "$WORK/.out" "^  Quarters with no returns: 2026-Q4$" "a range names its empty quarters"
hub report --period $Q --format json
jq -e '.coverage[0].missing | index("E23000011") == null and index("E23000001") != null' \
    "$WORK/.out" >/dev/null && ok || bad "missing forces: $(jq -c .coverage "$WORK/.out")"

# ---- measures: no breach of a CPW [z], PSPO breaches and fixed penalties counts, City of
# London's rate flagged and not ranked
jq -e '[.powers[] | select(.power == "cpw")][0] | .breach_measure == "not-applicable" and
    .breaches_per_100_uses == null and .fixed_penalties == null' "$WORK/.out" >/dev/null &&
    ok || bad "cpw measures: $(jq -c '.powers[0]' "$WORK/.out")"
jq -e '[.powers[] | select(.power == "cpn")][0] | .breach_measure == "rate" and
    .breaches_per_100_uses != null and .fixed_penalties != null' "$WORK/.out" >/dev/null &&
    ok || bad "cpn measures"
jq -e '[.forces[] | select(.force == "E23000034")][0].ranked == false and
    [.forces[] | select(.force == "E23000011")][0].ranked == true' "$WORK/.out" >/dev/null &&
    ok || bad "City of London ranked: $(jq -c .forces "$WORK/.out")"
hub report --period $Q
awk '$1 == "cpw" { exit !($3 == "z" && $4 == "z" && $5 == "z") }' "$WORK/.out" && ok ||
    bad "text: cpw's breaches not z: $(grep '^cpw' "$WORK/.out")"
grep -q "^E23000034 .* \*small$" "$WORK/.out" && ok || bad "City of London not flagged small"

# ---- the tidy CSV: the header, nine fields a row, 14 measures a cell, zeros written,
# suppressed values empty with [c]
hub report --period $Q --by force,ethnicity --format tidy-csv
want 0 "tidy-csv"
cp "$WORK/.out" "$WORK/tidy.csv"
[ "$(head -1 "$WORK/tidy.csv")" = "period,force_code,force_name,power,breakdown,category,measure,value,marker" ] &&
    ok || bad "tidy header: $(head -1 "$WORK/tidy.csv")"
hub report --period $Q --by force,ethnicity --format json
rows=$(jq '.rows | length' "$WORK/.out")
[ "$(($(wc -l <"$WORK/tidy.csv") - 1))" -eq $((rows * 14)) ] && ok ||
    bad "tidy rows $(wc -l <"$WORK/tidy.csv") for $rows cells"
awk -F, 'NR > 1 && (NF != 9 || $1 != "2026-Q3" || $4 != "all" || $5 != "ethnicity") { bad = 1 }
    END { exit bad }' "$WORK/tidy.csv" && ok || bad "a tidy row of the wrong shape"
grep -q '^2026-Q3,E23000011,South Yorkshire,all,ethnicity,W1,served,0,$' "$WORK/tidy.csv" && ok ||
    bad "zeros not written"
grep -q ',,\[c\]$' "$WORK/tidy.csv" && ! grep -Eq ',[1-4],\[c\]$|,[0-9]+,\[c\]' "$WORK/tidy.csv" &&
    ok || bad "suppressed values: not empty with [c]"
nsup=$(jq '[.rows[] | to_entries[] | select(.value == null)] | length' "$WORK/.out")
[ "$(grep -c ',,\[c\]$' "$WORK/tidy.csv")" -eq "$nsup" ] && ok || bad "[c] count != JSON nulls $nsup"

# the workbook is a file: without -o it is refused, and nothing is written
hub report --period $Q --format ods
want 2 "ods without -o"
has "$WORK/.err" "give -o FILE.ods" "message for ods without -o"
[ ! -s "$WORK/.out" ] && ok || bad "ods without -o wrote to stdout"
hub report --period $Q --format xlsx
want 2 "an unknown format"
has "$WORK/.err" "'xlsx' is not text, csv, json or html, nor tidy-csv or ods" "message for a format"

# ---- a release, reproduced byte for byte
mkdir -p "$WORK/r1" "$WORK/r1b" "$WORK/r2" "$WORK/r1c"
hub release --period $Q -o "$WORK/r1"
want 0 "release"
has "$WORK/.out" "^release 2026-Q3.1 (provisional): 2 returns" "release 1"
for e in ods csv html; do [ -s "$WORK/r1/2026-Q3.1.$e" ] && ok || bad "release 1: no .$e"; done
hub release --show 2026-Q3.1 --json
jq -e '.status == "provisional" and (.returns | length) == 2 and .revises == null' \
    "$WORK/.out" >/dev/null && ok || bad "show: $(cat "$WORK/.out")"
"$ASBHUB" returns -d "$H" --json --period $Q >"$WORK/returns.json"
for id in $(jq -r '.returns[].id' "$WORK/.out"); do
	s=$(jq -r --arg id "$id" 'select(.return_id == $id) | .sha256' "$WORK/returns.json")
	jq -e --arg id "$id" --arg s "$s" '.returns[] | select(.id == $id) | .sha256 == $s' \
	    "$WORK/.out" >/dev/null && [ -n "$s" ] && ok || bad "release's SHA-256 of $id"
done
sleep 1	# a second later: any clock in the files would show
hub release --reproduce 2026-Q3.1 -o "$WORK/r1b"
want 0 "reproduce"
for e in ods csv html; do
	cmp -s "$WORK/r1/2026-Q3.1.$e" "$WORK/r1b/2026-Q3.1.$e" && ok ||
	    bad "release 1's .$e reproduced differs"
done
grep -q '\[r\]' "$WORK/r1/2026-Q3.1.csv" && bad "a first release marks revisions" || ok

# ---- refusals: exit code, message, nothing stored
snapshot "$H/releases"
b=$SNAP
hub release --show 2026-Q3.9
want 3 "show of no release"
has "$WORK/.err" "no release 2026-Q3.9" "message for a missing release"
hub release --period 2026-Q5 -o "$WORK/r1c"
want 2 "a bad period"
has "$WORK/.err" "'2026-Q5' is not a period" "message for a bad period"
hub release --period $Q --year 2026
want 2 "two scopes"
hub release --final --show 2026-Q3.1
want 2 "--final with --show"
hub release --period $Q -o "$WORK/nowhere"
want 5 "an output directory that does not exist"
has "$WORK/.err" "nowhere/2026-Q3.2.ods" "message for an output that cannot be written"
unchanged "$H/releases" "$b" "a refused release changed the releases"
hub release --list
[ "$(wc -l <"$WORK/.out")" -eq 1 ] && has "$WORK/.out" "^2026-Q3.1 " "list" ||
    bad "list: $(cat "$WORK/.out")"

# ---- a correction after the release: one more CPW for City of London in 2026-Q3
C=$N/forces/E23000034
OLD=$(sed -n 's/.*<ReturnId>\([^<]*\).*/\1/p' "$C/return.xml")
P=$(ASBREG_DIR=$C/reg "$ASBREG" person add --name "Pat Example" --dob 1980-01-01 --sex F --ethnicity W1)
ASBREG_DIR=$C/reg "$ASBREG" add cpw --subject "$P" --issued 2026-08-10 --by "PC 1" \
    --conditions "Stop the noise" >/dev/null && ok || bad "adding a record to correct"
HUB_CA=$N/pki/ca.crt HUB_CLIENT=$N/pki/forces/E23000034
hub_start "$H" "$(cat "$H.port")" >/dev/null || bad "the hub did not restart"
"$ASBGW" build -d "$C/reg" --period $Q -o "$WORK/fix.xml" --supersedes "$OLD" >/dev/null &&
    "$ASBGW" submit "$WORK/fix.xml" -d "$C/reg" >"$WORK/fix.out" 2>&1 && ok ||
    bad "the correction was not accepted: $(cat "$WORK/fix.out")"
hub_stop || bad "the hub did not stop"
FIX=$(sed -n 's/.*<ReturnId>\([^<]*\).*/\1/p' "$WORK/fix.xml")
hub release --period $Q -o "$WORK/r2"
want 0 "release after the correction"
R2=$(sed -n 's/^release \([^ ]*\) .*/\1/p' "$WORK/.out")
has "$WORK/.out" "(provisional, revised)" "the second release is revised"
[ "$R2" = 2026-Q3.2 ] && ok || bad "the second release is '$R2'"
# exactly the changed cells: City of London's cpw uses in Table 1, one more than before ...
marks=$(grep '\[r\]' "$WORK/r2/$R2.csv")
was=$(grep '^2026-Q3,E23000034,City of London,cpw,none,all,uses,' "$WORK/r1/2026-Q3.1.csv" |
    cut -d, -f8)
[ -n "$was" ] && [ "$marks" = "2026-Q3,E23000034,City of London,cpw,none,all,uses,$((was + 1)),[r]" ] &&
    ok || bad "revised cells in the tidy CSV: '$marks' (was $was)"
# ... and in the workbook's forces and powers tables (read back below), and the correction
# listed with what it replaced
hub release --show "$R2" --json
jq -e --arg f "$FIX" --arg o "$OLD" '.returns[] | select(.id == $f) | .supersedes == $o' \
    "$WORK/.out" >/dev/null && ok || bad "the release did not record the correction"
has "$WORK/r2/$R2.html" "<td>E23000034</td><td>2026-Q3</td><td>$FIX</td><td>$OLD</td>" \
    "the HTML lists the correction"
has "$WORK/r2/$R2.html" "1 \[r\]</td>\|[0-9] \[r\]</td>" "the HTML marks the revised cell"
# a final release with nothing corrected since: revised status, nothing marked
mkdir -p "$WORK/r3"
hub release --period $Q --final -o "$WORK/r3"
want 0 "final release"
has "$WORK/.out" "^release 2026-Q3.3 (final, revised): 2 returns; .*; 0 cells revised since 2026-Q3.2 by 0 corrected returns$" \
    "the final release"
grep -q '\[r\]' "$WORK/r3/2026-Q3.3.csv" && bad "a release with no correction marks [r]" || ok
hub release --show 2026-Q3.3 --json
jq -e '.status == "final" and .revises == "2026-Q3.2"' "$WORK/.out" >/dev/null && ok ||
    bad "show final: $(cat "$WORK/.out")"
# the first release still reproduces as it was, from the returns it recorded
hub release --reproduce 2026-Q3.1 -o "$WORK/r1c"
for e in ods csv html; do
	cmp -s "$WORK/r1/2026-Q3.1.$e" "$WORK/r1c/2026-Q3.1.$e" && ok ||
	    bad "release 1 after a correction: .$e differs"
done

# ---- the workbook through LibreOffice, once: every sheet to CSV (the -1 exports each sheet
# to its own file), every number compared with the JSON output
SOFFICE=$(command -v soffice || command -v libreoffice || true)
if [ -z "$SOFFICE" ]; then
	bad "LibreOffice is not installed (make deps installs libreoffice-calc-nogui)"
else
	export HOME=$WORK/lo
	cp "$WORK/r2/$R2.ods" "$WORK/wb.ods"
	timeout 120 "$SOFFICE" -env:UserInstallation=file://$WORK/lo/ui --headless \
	    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
	    --outdir "$WORK/lo/csv" "$WORK/wb.ods" >"$WORK/lo.log" 2>&1
	for s in Cover Contents Notes Table_1 Table_2 Table_3 Table_4 Table_5 Table_6; do
		[ -s "$WORK/lo/csv/wb-$s.csv" ] && ok || bad "LibreOffice read no sheet $s: $(tail -3 "$WORK/lo.log")"
	done
	L=$WORK/lo/csv
	has "$L/wb-Cover.csv" "^Status,Provisional (revised)$" "cover status"
	has "$L/wb-Cover.csv" "^Coverage,\"2026-Q3: 2 of 43 forces counted; missing: " "cover coverage"
	has "$L/wb-Notes.csv" '^\[note 4\],"Population: ONS mid-2019' "the population's source in Notes"
	head -1 "$L/wb-Table_1.csv" | grep -q '^"Table 1: ' && ok || bad "Table 1's title not in A1"
	hub report --period $Q --format json
	cp "$WORK/.out" "$WORK/now.json"
	# Table 1: rows after the title, A2 and the headings; 14 measures after the force code,
	# name and power; the Total row last
	awk -F, 'NR > 3 && $1 != "Total" { for (i = 4; i <= 17; i++) printf "%s ", $i; print "" }' \
	    "$L/wb-Table_1.csv" >"$WORK/t1.ods"
	jq -r '.rows[] | [.[]] | .[2:] | map(if . == null then "[c]" else tostring end) |
	    join(" ") + " "' "$WORK/now.json" >"$WORK/t1.json"
	[ -s "$WORK/t1.json" ] && cmp -s "$WORK/t1.ods" "$WORK/t1.json" && ok ||
	    bad "Table 1 differs from the JSON: $(diff "$WORK/t1.ods" "$WORK/t1.json" | head -4)"
	awk -F, 'NR > 3 { printf "%s %s %s %.2f %s %s %s\n", $1, $3, $4, $5, $7, $8, $9 }' \
	    "$L/wb-Table_2.csv" >"$WORK/t2.ods"
	jq -r '.forces[] | [.force, .uses, .population, .per_100k, .subjects, .repeat_subjects,
	    .breaches] | map(tostring) | join(" ")' "$WORK/now.json" |
	    awk '{ printf "%s %s %s %.2f %s %s %s\n", $1, $2, $3, $4, $5, $6, $7 }' >"$WORK/t2.json"
	cmp -s "$WORK/t2.ods" "$WORK/t2.json" && ok ||
	    bad "Table 2 differs from the JSON: $(diff "$WORK/t2.ods" "$WORK/t2.json" | head -4)"
	awk -F, 'NR > 3 { if ($5 != "[z]") $5 = sprintf("%.2f", $5); print $1, $3, $4, $5, $6 }' \
	    "$L/wb-Table_3.csv" >"$WORK/t3.ods"
	jq -r '.powers[] | [.power, .uses, (if .breach_measure == "not-applicable" then "[z]"
	    else .breaches end), (if .breach_measure != "rate" then "[z]" else
	    .breaches_per_100_uses end), (.fixed_penalties // "[z]")] | map(tostring) |
	    join(" ")' "$WORK/now.json" |
	    awk '{ if ($4 != "[z]") $4 = sprintf("%.2f", $4); print }' >"$WORK/t3.json"
	cmp -s "$WORK/t3.ods" "$WORK/t3.json" && ok ||
	    bad "Table 3 differs from the JSON: $(diff "$WORK/t3.ods" "$WORK/t3.json" | head -4)"
	# numbers are numbers: LibreOffice writes a text cell quoted only when it must, so
	# check the ODS itself: no float value written as text
	unzip -p "$WORK/wb.ods" content.xml | grep -q 'office:value-type="float" office:value="[0-9.]*"' &&
	    ok || bad "no number stored as a number"
	[ "$(unzip -Z1 "$WORK/wb.ods" | head -1)" = mimetype ] &&
	    unzip -Zv "$WORK/wb.ods" mimetype | grep -q "compression method:.*none (stored)" &&
	    ok || bad "the mimetype entry is not first and stored"
	# the revised cells in the workbook: City of London's cpw in Table 1, its uses and
	# subjects in Table 2, cpw's uses in Table 3, the correction in Table 6
	[ "$(grep -c '\[r\]' "$L/wb-Table_1.csv")" -eq 1 ] &&
	    grep -q '^E23000034,City of London,cpw,.*,\[r\] uses$' "$L/wb-Table_1.csv" && ok ||
	    bad "Table 1's revised column: $(grep '\[r\]' "$L/wb-Table_1.csv")"
	grep -q '^E23000034,.*,\[r\] uses; \[r\] subjects$' "$L/wb-Table_2.csv" && ok ||
	    bad "Table 2's revised column: $(grep '\[r\]' "$L/wb-Table_2.csv")"
	grep -q '^cpw,.*,\[r\] uses$' "$L/wb-Table_3.csv" && ok || bad "Table 3's revised column"
	grep -q "^E23000034,City of London,2026-Q3,$FIX,$OLD$" "$L/wb-Table_6.csv" && ok ||
	    bad "Table 6: $(cat "$L/wb-Table_6.csv")"
	# every sheet name at most 31 characters
	unzip -p "$WORK/wb.ods" content.xml | grep -o 'table:name="[^"]*"' |
	    awk -F'"' 'length($2) > 31 { bad = 1 } END { exit bad }' && ok || bad "a sheet name over 31"
	# the workbook rendered: LibreOffice lays it out and prints it to PDF, the Cover first
	# (libreoffice-calc-nogui has no PNG export for a spreadsheet)
	timeout 120 "$SOFFICE" -env:UserInstallation=file://$WORK/lo/ui --headless \
	    --convert-to pdf --outdir "$WORK/lo/pdf" "$WORK/wb.ods" >>"$WORK/lo.log" 2>&1
	size=$(stat -c %s "$WORK/lo/pdf/wb.pdf" 2>/dev/null || echo 0)
	pages=$(grep -ac '/Type */Page[^s]' "$WORK/lo/pdf/wb.pdf" 2>/dev/null || echo 0)
	[ "$size" -gt 20000 ] && [ "$(head -c 5 "$WORK/lo/pdf/wb.pdf")" = "%PDF-" ] &&
	    [ "$pages" -ge 9 ] && ok ||
	    bad "the workbook did not render ($size bytes, $pages pages): $(tail -2 "$WORK/lo.log")"
fi

# ---- the release's HTML in headless Chromium: renders, no console message
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	bad "chromium is not installed (make deps installs it)"
else
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
	    --user-data-dir="$WORK/chrome" --window-size=1200,2400 --enable-logging=stderr --v=0 \
	    --screenshot="$WORK/shot.png" "file://$WORK/r2/$R2.html" >"$WORK/chrome.log" 2>&1
	size=$(stat -c %s "$WORK/shot.png" 2>/dev/null || echo 0)
	[ "$size" -gt 40000 ] && ok || bad "the release's page looks blank ($size bytes)"
	file_lacks "$WORK/chrome.log" ':CONSOLE' "console messages"
fi

echo "publish: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
