#!/bin/sh
# bench/return: a register of N records all issued in one quarter (default 1,000,000;
# BENCH_N), then asbgw build and asbgw validate, and in the same run the standard tool on
# the same file: xmllint --stream --noout --schema (medians of 3).  Prints times, the validate/xmllint
# ratio (target <= 1.2) and peak RSS from /usr/bin/time (target < 64 MiB for build and
# validate).  Not a test: it never gates CI.
set -eu
: "${ASBREG:?}" "${ASBGW:?}" "${REGBENCH:?}"
N=${BENCH_N:-1000000}
# a million records (about 600 MB) is past the 256 MiB a return may be by default
# (common/asb_limits.h): the bench measures throughput, so it raises the cap
MAXB=4294901760
XSD=$(cd "$(dirname "$0")/../../schema" && pwd)/asb-return-1.xsd
W=$(mktemp -d "${TMPDIR:-/tmp}/retbench.XXXXXX")
trap 'rm -rf "$W"' EXIT
export ASBREG_NOW=2026-11-01T12:00 ASBREG_DIR="$W/reg"
echo "bench/return: N=$N, $(nproc) cores"
"$REGBENCH" gen "$N" "$W/rows.csv" 2026-Q3
"$ASBREG" init --force E23000011 >/dev/null
/usr/bin/time -f "%e %M" -o "$W/t.import" "$ASBREG" import "$W/rows.csv" >/dev/null
/usr/bin/time -f "%e %M" -o "$W/t.build" "$ASBGW" build --period 2026-Q3 -o "$W/q.xml" \
    --max-bytes "$MAXB" >/dev/null
# validate and xmllint alternate, three runs each; the median of each is reported.
for i in 1 2 3; do
	/usr/bin/time -f "%e %M" -o "$W/t.validate.$i" "$ASBGW" validate "$W/q.xml" \
	    --max-bytes "$MAXB" >/dev/null
	/usr/bin/time -f "%e %M" -o "$W/t.xmllint.$i" \
		xmllint --stream --noout --nonet --schema "$XSD" "$W/q.xml" 2>/dev/null
done
for s in validate xmllint; do
	for i in 1 2 3; do tail -1 "$W/t.$s.$i"; done | sort -n | sed -n 2p >"$W/t.$s"
done
echo "return: $(grep -c '<Record ' "$W/q.xml") records, $(du -h "$W/q.xml" | cut -f1)"
for s in import build validate xmllint; do
	set -- $(tail -1 "$W/t.$s")
	printf '%-9s %7.2f s  peak RSS %6.1f MiB\n' "$s" "$1" "$(echo "$2 / 1024" | bc -l)"
done
v=$(tail -1 "$W/t.validate" | cut -d' ' -f1)
x=$(tail -1 "$W/t.xmllint" | cut -d' ' -f1)
printf 'validate / xmllint: %.2fx (target <= 1.2x)\n' "$(echo "$v / $x" | bc -l)"
