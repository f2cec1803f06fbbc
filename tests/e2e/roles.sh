#!/bin/sh
# roles.sh - who may do what in a register: no users means no checks (a register being set
# up); the first user must be data-team; then every command checks the acting user's role
# (officer, supervisor, data-team, auditor) and refuses, storing nothing, what it may not do.
. "$(dirname "$0")/lib.sh"
export ASBREG_DIR=$WORK/reg ASBREG_NOW=2026-11-01T12:00
unset ASB_USER
expect_ok init --force E23000011
expect_ok user list
contains "$OUT" "no users" "a new register has no users"
refuse 2 "the first user must be data-team" user add pc.4471 --role officer
refuse 2 "give --role" user add dt.kaur
refuse 2 "give --role" user add dt.kaur --role admiral
refuse 2 "no spaces" user add "dt kaur" --role data-team
expect_ok user add dt.kaur --role data-team
expect_ok --as dt.kaur user add pc.4471 --role officer
expect_ok --as dt.kaur user add sgt.jones --role supervisor
expect_ok --as dt.kaur user add aud.lee --role auditor
refuse 4 "a user already" --as dt.kaur user add pc.4471 --role auditor
expect_ok --as dt.kaur user list --json
contains "$OUT" '"user":"aud.lee","role":"auditor"' "user list --json"

# an officer records and looks up; not import, export, restrict, audit or users
expect_ok --as pc.4471 person add --name "Role Testcase" --dob 1980-01-01 --sex M
P=$OUT
expect_ok --as pc.4471 add cpw --subject "$P" --issued 2026-09-01
R=$OUT
expect_ok --as pc.4471 event "$R" served --date 2026-09-01
expect_ok --as pc.4471 history "$P"
printf 'ref,power,name,dob,issued\nX1,cpw,Imported Person,1981-01-01,2026-09-02\n' > rows.csv
refuse 1 "R-ROLE-001" --as pc.4471 import rows.csv
refuse 1 "R-ROLE-001" --as pc.4471 export --csv
refuse 1 "R-ROLE-001" --as pc.4471 restrict "$P" --reason "contested"
refuse 1 "R-ROLE-001" --as pc.4471 audit
refuse 1 "R-ROLE-001" --as pc.4471 user add pc.9999 --role data-team
refuse 1 "R-ROLE-001" --as pc.4471 subject-export "$P"
# a supervisor imports, restricts and reads the audit log; not export or users
expect_ok --as sgt.jones import rows.csv
expect_ok --as sgt.jones audit --verify
refuse 1 "R-ROLE-001" --as sgt.jones export --csv
refuse 1 "R-ROLE-001" --as sgt.jones user set pc.4471 --role data-team
# an auditor reads and audits; changes nothing
expect_ok --as aud.lee show "$R"
expect_ok --as aud.lee audit
expect_ok --as aud.lee subject-export "$P"
refuse 1 "R-ROLE-001" --as aud.lee person add --name "Another Person" --dob 1990-01-01
refuse 1 "R-ROLE-001" --as aud.lee event "$R" breached --date 2026-09-03
# asbgw build opens the register through the same policy: only the data team builds a return
: "${ASBGW:?set ASBGW to the asbgw binary}"
gw_refuse() {	# gw_refuse CODE PATTERN USER: asbgw build as USER refused, nothing stored
	snapshot "$ASBREG_DIR"; before=$SNAP
	ASB_USER=$3 "$ASBGW" build --period 2026-Q3 -d "$ASBREG_DIR" -o "$WORK/q3.xml" \
	    >"$WORK/.out" 2>"$WORK/.err"
	RC=$?
	ERR=$(cat "$WORK/.err")
	snapshot "$ASBREG_DIR"; after=$SNAP
	if [ "$RC" -ne "$1" ]; then bad "asbgw build as $3 -> exit $RC, want $1 ($ERR)"
	elif ! printf '%s' "$ERR" | grep -q "^asbgw: build: .*$2"; then bad "asbgw build as $3: no '$2' in: $ERR"
	elif [ "$before" != "$after" ] || [ -z "$before" ]; then bad "asbgw build as $3 refused but the register changed"
	elif [ -e "$WORK/q3.xml" ]; then bad "asbgw build as $3 refused but wrote a return"
	else ok; fi
}
gw_refuse 1 "pc.4471 is an officer, who may not run 'build': ask the data team (R-ROLE-001)" pc.4471
gw_refuse 1 "sgt.jones is a supervisor, who may not run 'build'" sgt.jones
gw_refuse 1 "aud.lee is an auditor, who may not run 'build'" aud.lee
gw_refuse 1 "intruder is not a user of this register.*(R-ROLE-002)" intruder
ASB_USER=dt.kaur "$ASBGW" build --period 2026-Q3 -d "$ASBREG_DIR" -o "$WORK/q3.xml" >/dev/null 2>"$WORK/.err" &&
    [ -s "$WORK/q3.xml" ] && ok || bad "asbgw build by the data team: $(cat "$WORK/.err")"
expect_ok --as dt.kaur audit
contains "$OUT" "dt.kaur +disclosure +asbgw build +return " "the build is logged as the data team member's"
expect_ok --as aud.lee subject-export "$P"
contains "$OUT" "disclosure +dt.kaur +asbgw build" "the build (of every record) is in a subject's access export"
# someone the register does not know, whoever they say they are
refuse 1 "R-ROLE-002" --as intruder list
refuse 1 "R-ROLE-002" list		# the login name is not a user either
# the data team does everything, but cannot lock everyone out
expect_ok --as dt.kaur export --csv
refuse 4 "last data-team user" --as dt.kaur user set dt.kaur --role officer
expect_ok --as dt.kaur user set sgt.jones --role data-team
expect_ok --as dt.kaur user set dt.kaur --role officer
refuse 1 "R-ROLE-001" --as dt.kaur export --csv
# every change of role is in the audit log
expect_ok --as sgt.jones audit
contains "$OUT" "dt.kaur +alteration +user +user:pc.4471=officer" "user add is logged"
contains "$OUT" "dt.kaur +alteration +user +user:dt.kaur=officer" "user set is logged"
expect_ok --as sgt.jones audit --verify
finish
