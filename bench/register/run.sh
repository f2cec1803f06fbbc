#!/bin/sh
# bench/register: import N synthetic records and read N random records, through asbreg's
# library (LMDB) and through SQLite doing the same work, in the same run; print both rates
# and the ratios.  N defaults to 1,000,000 (BENCH_N overrides).  Reads are run RUNS times
# (default 3), alternating the two stores, and the median of each is compared: on a shared
# 2-core VM one sample swings by a fifth.  Then 'find' (1000 random people by name, by words
# in another order, by date of birth; one common surname) and 'due' (30 days, a year), each
# timed per call.  Not a test: never gates CI.
set -eu
: "${REGBENCH:?set REGBENCH to build/bench/regbench}"
N=${BENCH_N:-1000000}
RUNS=${BENCH_RUNS:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/regbench.XXXXXX")
trap 'rm -rf "$W"' EXIT
echo "bench/register: N=$N, $(nproc) cores, $(uname -r)"
"$REGBENCH" gen "$N" "$W/records.csv"
echo "input: $(du -h "$W/records.csv" | cut -f1) of CSV"
# each result through a variable, not a pipe into tee: set -e then stops on a failed run
# (a pipeline's status is tee's, and a failed run would leave its median to the others)
rec() {
	r=$("$REGBENCH" "$@" 2>"$W/rec.err") ||
	    { echo "bench/register: regbench $1 failed: $(cat "$W/rec.err")" >&2; exit 1; }
	printf '%s\n' "$r" | tee -a "$W/results"
}
: >"$W/results"
rec lmdb-import "$W/records.csv" "$W/reg"
rec sqlite-import "$W/records.csv" "$W/sqlite.db"
i=0
while [ "$i" -lt "$RUNS" ]; do
	rec lmdb-read "$W/reg" "$N"
	rec sqlite-read "$W/sqlite.db" "$N"
	i=$((i + 1))
done
# find and due on the imported register: milliseconds each, through their indexes.
"$REGBENCH" lmdb-find "$W/reg" "${BENCH_FIND_N:-1000}"
"$REGBENCH" lmdb-due "$W/reg" "${BENCH_DUE_N:-20}"
echo "store sizes: lmdb $(du -sh "$W/reg" | cut -f1), sqlite $(du -ch "$W"/sqlite.db* | tail -1 | cut -f1)"
sort -k1,1 -k4,4n "$W/results" | awk '
	{ n[$1]++; v[$1, n[$1]] = $4 }
	function median(m) { return v[m, int((n[m] + 1) / 2)] }
	END {
		printf "import: asbreg %.0f rec/s, sqlite %.0f rec/s, ratio %.2fx (target >= 3x)\n",
		    median("lmdb-import"), median("sqlite-import"),
		    median("lmdb-import") / median("sqlite-import")
		printf "reads (median of %d): asbreg %.0f rec/s, sqlite %.0f rec/s, ratio %.2fx (target >= 5x)\n",
		    n["lmdb-read"], median("lmdb-read"), median("sqlite-read"),
		    median("lmdb-read") / median("sqlite-read")
	}'
