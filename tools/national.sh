#!/bin/sh
# national.sh - the whole chain for every force: a development PKI, a synthetic register per
# force (tools/synth), and each force's data team building, validating, signing and
# submitting its returns for the last four whole quarters (oldest first) to one asbhub serve
# on 127.0.0.1; then the Home Office's national table, the trend over the four quarters, the
# HTML report, the workbook (ODS) and tidy CSV, and the compliance view with data quality.
#
#   ASBREG= ASBGW= ASBHUB= SYNTH= sh tools/national.sh [DIR]
#
# DIR defaults to ./var/national and is emptied first, so re-running is safe.  FORCES (a list
# of codes) limits the run to some forces; QUARTER (YYYY-Qn) chooses the quarter.  The server
# it starts (tests/lib/hub.sh: DIR/hub.port, DIR/hub.pid, DIR/hub.log) is stopped on every
# way out, and the run fails if it had died or does not stop cleanly.
set -eu
: "${ASBREG:?}" "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-./var/national}
if [ -t 1 ]; then B=$(printf '\033[1m') N=$(printf '\033[0m'); else B= N=; fi
say() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
ALL=$(grep -v '^#' "$ROOT/schema/codes/forces.tsv" | tail -n +2 | cut -f1)
FORCES=${FORCES:-$ALL}
NF=$(echo $FORCES | wc -w)
# the last whole quarter, and the three before it for history
if [ -z "${QUARTER:-}" ]; then
	y=$(date +%Y) q=$(( ($(date +%-m) - 1) / 3 ))
	[ "$q" -eq 0 ] && { q=4; y=$((y - 1)); }
	QUARTER=$y-Q$q
fi
y=${QUARTER%-Q*} q=${QUARTER#*-Q}
fq=$((q - 3)) fy=$y
[ "$fq" -le 0 ] && { fq=$((fq + 4)); fy=$((y - 1)); }
FROM=$fy-Q$fq
QUARTERS=$(i=0 qy=$fy qq=$fq; while [ $i -lt 4 ]; do printf '%s ' "$qy-Q$qq"; qq=$((qq + 1))
	[ $qq -eq 5 ] && { qq=1; qy=$((qy + 1)); }; i=$((i + 1)); done)
# The demo submits every quarter today, so a due date of 31 days after the quarter would call
# every force late whenever the demo runs more than a month after the quarter ended: the
# compliance view is given a due date of a week from today instead (a real hub keeps 31).
nq=$((q * 3 + 1)) ny=$y
[ "$nq" -gt 12 ] && { nq=1; ny=$((y + 1)); }
qend=$(date -u -d "$ny-$(printf %02d $nq)-01" +%s)
DUE_DAYS=$(( ($(date -u +%s) - qend) / 86400 + 7 ))
[ "$DUE_DAYS" -lt 31 ] && DUE_DAYS=31
[ "$DUE_DAYS" -gt 366 ] && DUE_DAYS=366

. "$ROOT/tests/lib/hub.sh"
trap hub_cleanup EXIT
trap 'hub_cleanup; exit 130' INT TERM

rm -rf "$W"
mkdir -p "$W/forces"
t0=$(date +%s)
say "A development PKI: a CA, the Home Office's keys, a TLS and a signing certificate per force"
"$ROOT/tools/devpki" "$W/pki" --forces "$(echo $FORCES | tr ' ' ,)" >/dev/null
echo "$W/pki: $NF forces"

say "A synthetic register for each of $NF forces, $FROM to $QUARTER (tools/synth)"
for c in $FORCES; do
	mkdir -p "$W/forces/$c"
	"$SYNTH" -d "$W/forces/$c/reg" --force "$c" --from "$FROM" --to "$QUARTER" \
	    --seed "$(echo "$c" | tr -dc 0-9)" >"$W/forces/$c/synth.out"
done
awk '{ r += $2; e += $4 } END { printf "%d records and %d events in all\n", r, e }' \
    "$W"/forces/*/synth.out

say "The Home Office hub on 127.0.0.1, every force's signing certificate registered"
hub_init "$W/hub" "$W/pki" $FORCES
hub_start "$W/hub" || { echo "national: the hub did not start" >&2; exit 5; }
URL=$HUB_URL
echo "$URL (log: $W/hub.log)"

say "Each force: asbgw build, validate, then submit (signed with its key) for $QUARTERS"
one() {
	c=$1 d=$W/forces/$1
	cat >"$d/reg/asbgw.conf" <<EOF
# written by tools/national.sh
url = $URL
cert = $W/pki/forces/$c/tls.crt
key = $W/pki/forces/$c/tls.key
ca = $W/pki/ca.crt
sign-cert = $W/pki/forces/$c/sign.crt
sign-key = $W/pki/forces/$c/sign.key
EOF
	for p in $QUARTERS; do
		"$ASBGW" build -d "$d/reg" --period "$p" -o "$d/return-$p.xml" >"$d/build.out" &&
		    "$ASBGW" validate "$d/return-$p.xml" >"$d/validate.out" &&
		    "$ASBGW" submit "$d/return-$p.xml" -d "$d/reg" >"$d/submit.out" 2>&1 ||
		    { echo "$c $p: failed: $(cat "$d/submit.out" 2>/dev/null)" >"$d/failed"
		      return; }
	done
	cp "$d/return-$QUARTER.xml" "$d/return.xml"
}
set -- $FORCES
while [ $# -gt 0 ]; do		# two at a time (not 'wait' alone: the hub is a job too)
	one "$1" &
	p1=$! f1=$1 p2= f2=
	if [ $# -gt 1 ]; then one "$2" & p2=$! f2=$2; shift; fi
	# each waited for on its own: 'wait A B' gives only B's status
	wait $p1 || echo "$f1: exit $?" >>"$W/forces/$f1/failed"
	[ -z "$p2" ] || wait $p2 || echo "$f2: exit $?" >>"$W/forces/$f2/failed"
	shift
done
if ls "$W"/forces/*/failed >/dev/null 2>&1; then
	cat "$W"/forces/*/failed >&2
	exit 1
fi
hub_health || { echo "national: the hub stopped answering: $(tail -3 "$W/hub.log")" >&2; exit 5; }
grep -h . "$W"/forces/*/submit.out | sed 's/^/  /' | head -5
[ "$NF" -gt 5 ] && echo "  ... and $((NF - 5)) more"

say "National figures for $QUARTER: asbhub report"
"$ASBHUB" report -d "$W/hub" --period "$QUARTER" --by power
"$ASBHUB" report -d "$W/hub" --period "$QUARTER" --by force,power --format html \
    -o "$W/report-$QUARTER.html"
"$ASBHUB" report -d "$W/hub" --period "$QUARTER" --by force,power --format csv \
    -o "$W/report-$QUARTER.csv"
"$ASBHUB" report -d "$W/hub" --period "$QUARTER" --by power,ethnicity \
    -o "$W/report-$QUARTER-ethnicity.txt"
"$ASBHUB" report -d "$W/hub" --period "$QUARTER" --by force,power --format ods \
    --due-days "$DUE_DAYS" -o "$W/report-$QUARTER.ods"
"$ASBHUB" report -d "$W/hub" --period "$QUARTER" --by force,power --format tidy-csv \
    -o "$W/report-$QUARTER-tidy.csv"

say "The trend, $FROM to $QUARTER: asbhub report --by quarter"
"$ASBHUB" report -d "$W/hub" --from "$FROM" --to "$QUARTER" --by quarter | sed -n '1p;/^quarter/,/^total/p'
"$ASBHUB" report -d "$W/hub" --from "$FROM" --to "$QUARTER" --by quarter,power --format html \
    --due-days "$DUE_DAYS" -o "$W/trend-$FROM-$QUARTER.html"

say "Who has submitted, due $DUE_DAYS days after $QUARTER ended (the demo's date): asbhub compliance"
"$ASBHUB" compliance -d "$W/hub" --period "$QUARTER" --due-days "$DUE_DAYS" | head -1
"$ASBHUB" compliance -d "$W/hub" --period "$QUARTER" --due-days "$DUE_DAYS" --html \
    -o "$W/compliance-$QUARTER.html"
hub_stop || { echo "national: the hub did not stop cleanly" >&2; exit 5; }
printf '\nThe HTML report:     %s\nThe trend:           %s\nThe workbook:        %s\nThe compliance view: %s\nAlso: %s, %s, %s\n' \
    "$W/report-$QUARTER.html" "$W/trend-$FROM-$QUARTER.html" "$W/report-$QUARTER.ods" \
    "$W/compliance-$QUARTER.html" "$W/report-$QUARTER.csv" "$W/report-$QUARTER-tidy.csv" \
    "$W/report-$QUARTER-ethnicity.txt (disclosure-controlled)"
echo "$NF forces end to end in $(( $(date +%s) - t0 )) s"
