#!/bin/sh
# bench/report: national figures over 43 forces x 8 quarters of synthetic returns (tools/synth
# at BENCH_SCALE times the default volumes, default 10), submitted to one asbhub; then
# 'asbhub report --by force,power,quarter' over the whole range, against the peer a
# statistician would reach for: the same records in SQLite (records and events tables from
# the same returns) and the equivalent GROUP BY, in the same run, medians of 3, two ways:
# the GROUP BY alone on rows already loaded (an indexed database kept warm), and load plus
# GROUP BY.  Ours counts the facts stored at intake (no XML is read), so its time is the
# whole command: open, read the facts, count, write the CSV.  Prints the times and ratios, the
# times of the same table as JSON, HTML, tidy CSV and the ODS workbook (html and ods also
# read each force's data quality for the last quarter),
# and fails (exit 1) unless all give the same totals and cells.  Target: 5x faster than the
# GROUP BY alone.  Never gates CI.
set -eu
: "${ASBREG:?}" "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCALE=${BENCH_SCALE:-10}
W=$(mktemp -d "${TMPDIR:-/tmp}/rptbench.XXXXXX")
. "$ROOT/tests/lib/hub.sh"
trap 'hub_cleanup; rm -rf "$W"' EXIT
FORCES=$(grep -v '^#' "$ROOT/schema/codes/forces.tsv" | tail -n +2 | cut -f1 | head -n "${BENCH_FORCES:-43}")
QS="2024-Q4 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2026-Q1 2026-Q2 2026-Q3"
now() { date +%s.%N; }
echo "bench/report: $(echo $FORCES | wc -w) forces x 8 quarters, scale $SCALE, $(nproc) cores"
t0=$(now)
"$ROOT/tools/devpki" "$W/pki" --forces "$(echo $FORCES | tr ' ' ,)" >/dev/null
hub_init "$W/hub" "$W/pki" $FORCES
for c in $FORCES; do
	"$SYNTH" -d "$W/f/$c" --force "$c" --from 2024-Q4 --to 2026-Q3 --scale "$SCALE" \
	    --seed "$(echo "$c" | tr -dc 0-9)" >/dev/null
done
hub_start "$W/hub"
URL=$HUB_URL
one() {
	c=$1 d=$W/f/$1
	printf 'url = %s\ncert = %s\nkey = %s\nca = %s\nsign-cert = %s\nsign-key = %s\n' "$URL" \
	    "$W/pki/forces/$c/tls.crt" "$W/pki/forces/$c/tls.key" "$W/pki/ca.crt" \
	    "$W/pki/forces/$c/sign.crt" "$W/pki/forces/$c/sign.key" >"$d/asbgw.conf"
	for q in $QS; do
		"$ASBGW" build -d "$d" --period "$q" -o "$d/$q.xml" >/dev/null
		"$ASBGW" submit "$d/$q.xml" -d "$d" >/dev/null
	done
}
set -- $FORCES
while [ $# -gt 0 ]; do
	one "$1" &
	p1=$! p2=
	if [ $# -gt 1 ]; then one "$2" & p2=$!; shift; fi
	wait $p1	# each on its own: 'wait A B' gives only B's status
	[ -z "$p2" ] || wait $p2
	shift
done
hub_stop
echo "prepared in $(echo "$(now) - $t0" | bc) s: $(ls "$W"/f/*/*.xml | wc -l) returns, $(cat "$W"/f/*/*.xml | grep -c '<Record ') records, $(du -sh "$W/hub/store" | cut -f1) stored"

# The peer's input: one row per record and per event, from the same returns (not timed).
for x in "$W"/f/*/*.xml; do
	awk '
	/<Force>/ { gsub(/.*<Force>|<\/Force>.*/, ""); force = $0 }
	/<Period>/ { gsub(/.*<Period>|<\/Period>.*/, ""); period = $0 }
	/<Record / { inp = ($0 ~ /issuedInPeriod="true"/) }
	/<Power>/ { gsub(/.*<Power>|<\/Power>.*/, ""); power = $0; print force "," period "," power "," inp > "/dev/stdout" }
	/<Event / && /inPeriod="true"/ { k = $0; sub(/.*kind="/, "", k); sub(/".*/, "", k); print force "," period "," power "," k > "/dev/stderr" }
	' "$x" >>"$W/records.csv" 2>>"$W/events.csv"
done
cat >"$W/load.sql" <<'SQL'
CREATE TABLE records (force TEXT, quarter TEXT, power TEXT, issued INTEGER);
CREATE TABLE events (force TEXT, quarter TEXT, power TEXT, kind TEXT);
.mode csv
.import records.csv records
.import events.csv events
SQL
cat >"$W/group.sql" <<'SQL'
.mode list
.output uses.txt
SELECT force, power, quarter, SUM(issued) FROM records GROUP BY force, power, quarter;
.output events.txt
SELECT force, power, quarter, kind, COUNT(*) FROM events GROUP BY force, power, quarter, kind;
.output total.txt
SELECT SUM(issued) FROM records;
SQL
# the rows loaded once, untimed: the GROUP BY alone is timed on this database (its pages
# in the page cache after the first run, as ours are)
(cd "$W" && rm -f warm.sqlite && sqlite3 warm.sqlite <load.sql)
for i in 1 2 3; do
	a=$(now)
	"$ASBHUB" report -d "$W/hub" --from 2024-Q4 --to 2026-Q3 --by force,power,quarter \
	    --format csv -o "$W/ours.csv"
	echo "$(now) - $a" | bc >>"$W/t.ours"
	for fmt in json html tidy-csv ods; do	# the other formats of the same table
		a=$(now)
		"$ASBHUB" report -d "$W/hub" --from 2024-Q4 --to 2026-Q3 --by force,power,quarter \
		    --format $fmt -o "$W/ours.$fmt"
		echo "$(now) - $a" | bc >>"$W/t.$fmt"
	done
	a=$(now)
	(cd "$W" && sqlite3 warm.sqlite <group.sql)
	echo "$(now) - $a" | bc >>"$W/t.group"
	cp "$W/total.txt" "$W/total.group"
	a=$(now)
	(cd "$W" && rm -f db.sqlite && cat load.sql group.sql | sqlite3 db.sqlite)
	echo "$(now) - $a" | bc >>"$W/t.sqlite"
done
med() { sort -n "$1" | sed -n 2p; }
ours=$(med "$W/t.ours") group=$(med "$W/t.group") peer=$(med "$W/t.sqlite")
o_total=$(awk -F, '$4 == "uses" { s += $5 } END { print s }' "$W/ours.csv")
g_total=$(cat "$W/total.group") p_total=$(cat "$W/total.txt")
printf 'asbhub report (facts): %.3f s\n' "$ours"
for fmt in json html tidy-csv ods; do
	printf '  --format %-8s %.3f s (%s bytes)\n' "$fmt" "$(med "$W/t.$fmt")" \
	    "$(stat -c %s "$W/ours.$fmt")"
done
printf 'SQLite GROUP BY alone, rows loaded: %.3f s: asbhub report %.1fx faster (target 5x)\n' \
    "$group" "$(echo "$group / $ours" | bc -l)"
printf 'SQLite load + GROUP BY: %.3f s: asbhub report %.1fx faster\n' "$peer" \
    "$(echo "$peer / $ours" | bc -l)"
same=DIFFERENT
[ -n "$o_total" ] && [ "$o_total" = "$g_total" ] && [ "$o_total" = "$p_total" ] && same=same
echo "uses: ours $o_total, GROUP BY alone $g_total, load + GROUP BY $p_total ($same)"
# and every cell: ours against the GROUP BY's, uses and each event kind
awk -F, 'NR > 1 { print $1 "|" $2 "|" $3 "|" $4 "|" $5 }' "$W/ours.csv" | LC_ALL=C sort >"$W/ours.cells"
{ awk -F'|' '$4 > 0 { print $1 "|" $2 "|" $3 "|uses|" $4 }' "$W/uses.txt"
  awk -F'|' '{ print $1 "|" $2 "|" $3 "|" $4 "|" $5 }' "$W/events.txt"; } | LC_ALL=C sort >"$W/peer.cells"
awk -F'|' '$5 != 0' "$W/ours.cells" >"$W/ours.nz"
if cmp -s "$W/ours.nz" "$W/peer.cells"; then
	echo "cells: $(wc -l <"$W/peer.cells") non-zero cells, all the same"
else
	echo "cells: DIFFERENT ($(diff "$W/ours.nz" "$W/peer.cells" | grep -c '^[<>]') lines differ)"
fi
# a benchmark whose answers differ measured nothing: say so with its exit code
[ "$same" = same ] && cmp -s "$W/ours.nz" "$W/peer.cells" || exit 1
