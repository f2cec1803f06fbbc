#!/bin/sh
# demo.sh - the main job end to end on ./var/demo-register: an ASB support officer's register
# for South Yorkshire Police with a realistic set of orders for a few people and places, then
# the views an officer uses: list, due, repeat, history and the verified audit log; then the
# data team's pseudonymised quarterly return, built and validated.
# Safe to re-run: it starts from an empty register each time.
set -eu
: "${ASBREG:?set ASBREG to the asbreg binary}" "${ASBGW:?set ASBGW to the asbgw binary}"
export ASBREG_DIR=./var/demo-register ASB_USER=pc.4471
rm -rf "$ASBREG_DIR"
r() { "$ASBREG" "$@"; }
if [ -t 1 ]; then B=$(printf '\033[1m') N=$(printf '\033[0m'); else B= N=; fi
say() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }

say "A new register for South Yorkshire Police (E23000011)"
r init --force E23000011
JANE=$(r person add --name "Jane Example" --dob 1990-05-01 --sex F --ethnicity W1 --lsoa E01007321)
KYLE=$(r person add --name "Kyle Youth" --dob 2010-02-01 --sex M --ethnicity NS --lsoa E01007321)
LIAM=$(r person add --name "Liam Young" --dob 2011-03-03 --sex M --ethnicity M1)
DAN=$(r person add --name "Dan Adult" --dob 1985-09-12 --sex M --ethnicity B2 --pnc 05/0123456K --lsoa E01007400)
MILL=$(r premises add --address "14 Mill Lane, Sheffield S1" --uprn 100051234567 --lsoa E01007400)
FARGATE=$(r place add --description "Fargate precinct, Sheffield city centre" --lsoa E01033264)
PARK=$(r place add --description "Weston Park" --lsoa E01033265)
echo "people $JANE $KYLE $LIAM $DAN; premises $MILL; places $FARGATE $PARK"

say "A warning, then a notice to the same person; a breach and a fixed penalty"
d() { date -d "$1" +%Y-%m-%d; }
dt() { date -d "$1" +%Y-%m-%dT%H:%M; }
CPW=$(r add cpw --subject "$JANE" --issued "$(d '120 days ago')" --by "PC 4471" \
    --conditions "Stop amplified music after 23:00" --incident CAD-0301)
CPN=$(r add cpn --subject "$JANE" --issued "$(d '90 days ago')" --served "$(d '90 days ago')" \
    --by "PC 4471" --conditions "No amplified music after 23:00; remove speakers from the garden")
r event "$CPN" breached --date "$(d '60 days ago')" --outcome fpn --note "Music at 01:30, neighbours' call"
r event "$CPN" fpn-issued --date "$(d '60 days ago')" --amount 100
r event "$CPN" fpn-paid --date "$(d '50 days ago')"

say "An s34 dispersal authorisation and two s35 directions under it"
AUTH=$(r add dispersal-authorisation --subject "$FARGATE" --issued "$(dt '3 days ago 18:00')" --hours 48 \
    --authorised-by "Insp Patel" --rank inspector --conditions "Repeated disorder after the match")
r add dispersal-direction --subject "$KYLE" --issued "$(dt '3 days ago 21:00')" --hours 24 --links "$AUTH" >/dev/null
r add dispersal-direction --subject "$LIAM" --issued "$(dt '2 days ago 20:00')" --hours 22 --links "$AUTH" >/dev/null

say "A closure notice, extended by a superintendent, then a closure order"
NOTICE=$(r add closure-notice --subject "$MILL" --issued "$(dt '20 days ago 10:00')" --hours 24 \
    --served "$(dt '20 days ago 10:30')" --authorised-by "Insp Patel" --rank inspector)
r event "$NOTICE" extended --date "$(dt '19 days ago 09:00')" --until "$(dt '18 days ago 10:00')" --rank superintendent
ORDER=$(r add closure-order --subject "$MILL" --issued "$(dt '18 days ago 09:30')" --months 1 --links "$NOTICE")
r event "$ORDER" served --date "$(dt '18 days ago 11:00')"

say "A youth CBO (annual review due) and an adult CBO; a PSPO; an injunction"
YCBO=$(r add cbo --subject "$KYLE" --issued "$(d '350 days ago')" --years 2 --agency cps)
r add cbo --subject "$DAN" --issued "$(d '200 days ago')" --indefinite --agency cps \
    --conditions "Not to enter Fargate precinct" >/dev/null
r add pspo --subject "$PARK" --issued "$(d '400 days ago')" --years 3 --agency local-authority \
    --conditions "No consumption of alcohol; dogs on leads" >/dev/null
r add injunction --subject "$DAN" --issued "$(d '100 days ago')" --months 12 --agency housing-provider >/dev/null
echo "records $CPW $CPN $AUTH $NOTICE $ORDER $YCBO and more"

say "Refused: a CPW for a 15-year-old (the rules say why, and nothing is stored)"
# the demo shows the refusal, and stops if it is not one: exit 1 (a rule), the register as
# it was (mdb_dump must work both times: a failed dump is no proof)
mdb_dump -a "$ASBREG_DIR" >./var/demo-dump.before
[ -s ./var/demo-dump.before ]
rc=0
r add cpw --subject "$LIAM" || rc=$?
echo "(exit $rc)"
mdb_dump -a "$ASBREG_DIR" >./var/demo-dump.after
[ -s ./var/demo-dump.after ]
before=$(md5sum <./var/demo-dump.before) after=$(md5sum <./var/demo-dump.after)
rm -f ./var/demo-dump.before ./var/demo-dump.after
[ "$rc" -eq 1 ] || { echo "demo: want exit 1 (a rule) for a CPW to a 15-year-old" >&2; exit 1; }
[ "$before" = "$after" ] || { echo "demo: the refused CPW changed the register" >&2; exit 1; }

say "asbreg list"
r list
say "asbreg due --within 30"
r due --within 30
say "asbreg repeat --min 2"
r repeat --min 2
say "asbreg history $JANE"
r history "$JANE"
say "asbreg audit --verify"
r audit --verify

# The quarter that holds most of the activity above: the one 20 days ago.
Q=$(date -d '20 days ago' +%Y-Q)$(( ($(date -d '20 days ago' +%-m) + 2) / 3 ))
RET=./var/demo-return-$Q.xml
say "The data team's return for $Q: asbgw build, then asbgw validate and xmllint"
# (20 days ago may be this quarter, still under way: built on purpose for the demo)
"$ASBGW" build --period "$Q" -d "$ASBREG_DIR" -o "$RET" --allow-open-quarter
"$ASBGW" validate "$RET"
xmllint --noout --nonet --schema "${ASB_XSD:-$(dirname "$0")/../schema/asb-return-1.xsd}" "$RET"
say "No name, address or PNC ID is in the return (grep finds none)"
rc=0
grep -E 'Jane|Kyle|Mill Lane|Fargate|05/0123456K' "$RET" || rc=$?
case $rc in
1) ;;
0) echo "LEAK"; exit 1 ;;
*) echo "demo: cannot read $RET" >&2; exit 1 ;;
esac
echo "none found; the first record:"
sed -n '/<Record /,/<\/Record>/p' "$RET" | head -20
printf '\nThe register is in %s; try: %s -d %s show %s\n' "$ASBREG_DIR" "$ASBREG" "$ASBREG_DIR" "$CPN"
printf 'The return is %s\n' "$RET"
