#!/bin/sh
# bench/register: import N synthetic records and read N random records, through asbreg's
# library (LMDB) and through SQLite doing the same work, in the same run; print both rates
# and the ratios.  N defaults to 1,000,000 (BENCH_N overrides).  Not a test: never gates CI.
set -eu
: "${REGBENCH:?set REGBENCH to build/bench/regbench}"
N=${BENCH_N:-1000000}
W=$(mktemp -d "${TMPDIR:-/tmp}/regbench.XXXXXX")
trap 'rm -rf "$W"' EXIT
echo "bench/register: N=$N, $(nproc) cores, $(uname -r)"
"$REGBENCH" gen "$N" "$W/records.csv"
echo "input: $(du -h "$W/records.csv" | cut -f1) of CSV"
li=$("$REGBENCH" lmdb-import "$W/records.csv" "$W/reg")
si=$("$REGBENCH" sqlite-import "$W/records.csv" "$W/sqlite.db")
lr=$("$REGBENCH" lmdb-read "$W/reg" "$N" 2>/dev/null)
sr=$("$REGBENCH" sqlite-read "$W/sqlite.db" "$N" 2>/dev/null)
echo "$li"; echo "$si"; echo "$lr"; echo "$sr"
echo "store sizes: lmdb $(du -sh "$W/reg" | cut -f1), sqlite $(du -ch "$W"/sqlite.db* | tail -1 | cut -f1)"
printf '%s\n%s\n%s\n%s\n' "$li" "$si" "$lr" "$sr" | awk '
	{ rate[$1] = $4 }
	END {
		printf "import: asbreg %.0f rec/s, sqlite %.0f rec/s, ratio %.2fx (target >= 3x)\n",
		    rate["lmdb-import"], rate["sqlite-import"], rate["lmdb-import"] / rate["sqlite-import"]
		printf "reads:  asbreg %.0f rec/s, sqlite %.0f rec/s, ratio %.2fx (target >= 5x)\n",
		    rate["lmdb-read"], rate["sqlite-read"], rate["lmdb-read"] / rate["sqlite-read"]
	}'
