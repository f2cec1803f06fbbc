#!/bin/sh
# backup.sh - asbreg backup|restore and asbhub backup|restore: a copy taken while the
# register is written (an import of a large CSV running: the copy holds none of it or all of
# it) and while the hub takes submissions (asbgw send running: every return the copy lists
# has its bytes and receipt), each restored and checked; files 0600, directories 0700; the
# backup opens with -d like the original; force.key in by default, out with --no-key; and
# every refusal (exit code, message, nothing changed).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?set ASBGW to the asbgw binary}" "${ASBHUB:?set ASBHUB to the asbhub binary}"
: "${SYNTH:?set SYNTH to the asbsynth binary}"
unset ASBGW_CONF ASBHUB_DIR
export ASB_USER=e2e-data
gw() { "$ASBGW" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
hub() { "$ASBHUB" "$@" >"$WORK/.out" 2>"$WORK/.err"; RC=$?; OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err"); }
want() { if [ "$RC" -eq "$1" ]; then ok; else bad "$2: exit $RC, want $1: $OUT $ERR"; fi; }
# records DIR: how many records 'asbreg list' shows (void ones are left out; none here)
records() { "$ASBREG" -d "$1" list --json 2>/dev/null | grep -c '"id"'; }
# modes DIR: every file 0600 and every directory 0700 under DIR
modes() {
	m=$(find "$1" -type f ! -perm 600; find "$1" -type d ! -perm 700)
	if [ -z "$m" ]; then ok; else bad "$2: not 0600/0700: $m"; fi
}
# tree DIR: a digest of every name and byte under DIR (for "nothing changed")
tree() { (cd "$1" 2>/dev/null && find . -type f ! -name lock.mdb -exec md5sum {} + | sort | md5sum); }

PKI=$WORK/pki
"$ROOT/tools/devpki" "$PKI" --forces E23000011 >/dev/null || bad "devpki"
F=$PKI/forces/E23000011

# ---- a register in use: the backup, checked ------------------------------------------------
R=$WORK/reg
"$SYNTH" -d "$R" --force E23000011 --from 2025-Q4 --to 2026-Q3 >/dev/null || bad "synth"
N0=$(records "$R")
[ "$N0" -gt 1000 ] && ok || bad "synth made $N0 records"
cat > "$R/asbgw.conf" <<EOF
force = E23000011
cert = $F/tls.crt
key = $F/tls.key
ca = $PKI/ca.crt
sign-cert = $F/sign.crt
sign-key = $F/sign.key
EOF
snapshot "$R"; REG0=$SNAP
expect_ok -d "$R" backup "$WORK/b1"
contains "$OUT" "^backup in .*/b1: $N0 records, [0-9]+ subjects, [0-9]+ events, [0-9]+ audit entries \(the chain verifies\)" "backup summary"
contains "$OUT" "force.key is in it" "the key is in by default"
modes "$WORK/b1" "backup"
cmp -s "$R/force.key" "$WORK/b1/force.key" && ok || bad "force.key not copied whole"
cmp -s "$R/asbgw.conf" "$WORK/b1/asbgw.conf" && ok || bad "asbgw.conf not copied"
unchanged "$R" "$REG0" "a backup"
# the backup opens with -d like the original, and holds what it does
expect_ok -d "$WORK/b1" audit --verify
contains "$OUT" "chain intact" "audit --verify on the backup"
[ "$(records "$WORK/b1")" = "$N0" ] && ok || bad "the backup lists $(records "$WORK/b1") records, not $N0"
expect_ok -d "$R" export --json; E1=$(printf '%s\n' "$OUT" | grep -v '"audit"' | md5sum)
expect_ok -d "$WORK/b1" export --json
[ "$(printf '%s\n' "$OUT" | grep -v '"audit"' | md5sum)" = "$E1" ] && ok || bad "the backup's export differs"
expect_ok -d "$R" backup "$WORK/b1k" --no-key --json
contains "$OUT" '"key":false' "--no-key in JSON"
absent "$WORK/b1k/force.key" "--no-key"

# ---- refusals: exit code, message, nothing changed -------------------------------------------
mkdir "$WORK/full"; echo x > "$WORK/full/x"
snapshot "$R"; before=$SNAP
run -d "$R" backup "$WORK/full"
[ "$RC" -eq 4 ] && ok || bad "backup into a non-empty directory: exit $RC, want 4"
contains "$ERR" "^asbreg: backup: .*/full is not empty \(it holds 'x'\)" "non-empty DEST message"
[ "$(ls "$WORK/full")" = x ] && ok || bad "a refused backup wrote into DEST"
unchanged "$R" "$before" "a refused backup"
T=$(tree "$WORK/b1")
run -d "$R" backup "$WORK/b1"
[ "$RC" -eq 4 ] && ok || bad "backup over a backup: exit $RC"
[ "$(tree "$WORK/b1")" = "$T" ] && ok || bad "a refused backup changed the backup"
run -d "$R" backup "$WORK/full/x"
[ "$RC" -eq 4 ] && ok || bad "backup into a file: exit $RC"
contains "$ERR" "exists and is not a directory" "DEST a file"
run -d "$WORK/none" backup "$WORK/b-none"
[ "$RC" -eq 3 ] && ok || bad "backup of no register: exit $RC"
contains "$ERR" "no register here" "no register"
absent "$WORK/b-none/data.mdb" "a backup of nothing"
run -d "$R" backup
[ "$RC" -eq 2 ] && ok || bad "backup without DEST: exit $RC"
contains "$ERR" "give one DEST" "backup usage"
run -d "$R" backup "$R/inside"
[ "$RC" -eq 2 ] && ok || bad "backup into the register itself: exit $RC, want 2"
contains "$ERR" "is inside the register" "backup into the register"
absent "$R/inside" "a backup into the register"
run -d "$R" backup "$R"
[ "$RC" -eq 2 ] && ok || bad "backup onto the register: exit $RC, want 2"
# a register whose audit chain does not verify is not called backed up (nor restored)
cp -a "$WORK/b1" "$WORK/tam"
mdb_dump -s audit "$WORK/tam" | awk 'NR == 13 { $0 = substr($0, 1, 40) \
    (substr($0, 41, 1) == "0" ? "1" : "0") substr($0, 42) } { print }' > tam.dump
mdb_load -s audit -f tam.dump "$WORK/tam" 2>/dev/null
run -d "$WORK/tam" backup "$WORK/bt"
[ "$RC" -eq 1 ] && ok || bad "backup of an altered audit log: exit $RC, want 1"
contains "$ERR" "^asbreg: backup: audit entry 2 has been altered \(R-AUD-001\)" "altered audit log"
absent "$WORK/bt" "a backup that does not check"
run -d "$WORK/rt" restore "$WORK/tam"
[ "$RC" -eq 1 ] && ok || bad "restore of an altered audit log: exit $RC, want 1"
absent "$WORK/rt" "a restore that does not check"
[ -z "$(ls -a "$WORK" | grep '\.restore-')" ] && ok || bad "a refused restore left a directory"
# only the data team, once the register has users
cp -a "$WORK/b1" "$WORK/roles"
"$ASBREG" -d "$WORK/roles" user add e2e-data --role data-team >/dev/null
"$ASBREG" -d "$WORK/roles" --as e2e-data user add pc --role officer >/dev/null
"$ASBREG" -d "$WORK/roles" --as e2e-data user add sup --role supervisor >/dev/null
snapshot "$WORK/roles"; before=$SNAP
for u in pc sup; do
	run -d "$WORK/roles" --as $u backup "$WORK/b-$u"
	[ "$RC" -eq 1 ] && ok || bad "backup as $u: exit $RC, want 1"
	contains "$ERR" "R-ROLE-001" "backup as $u"
	absent "$WORK/b-$u" "backup as $u"
	run -d "$WORK/r-$u" --as $u restore "$WORK/roles"
	[ "$RC" -eq 1 ] && ok || bad "restore as $u: exit $RC, want 1"
	absent "$WORK/r-$u" "restore as $u"
done
unchanged "$WORK/roles" "$before" "refused backups"

# ---- restore ------------------------------------------------------------------------------
expect_ok -d "$WORK/r1" restore "$WORK/b1"
contains "$OUT" "^restored into .*/r1: $N0 records" "restore summary"
modes "$WORK/r1" "restore"
cmp -s "$R/force.key" "$WORK/r1/force.key" && ok || bad "restored force.key"
expect_ok -d "$WORK/r1" audit --verify
# over a register: refused without --force, nothing changed
"$ASBREG" -d "$WORK/r1" person add --name "Only In R1" --dob 1970-01-01 >/dev/null
T=$(tree "$WORK/r1")
run -d "$WORK/r1" restore "$WORK/b1"
[ "$RC" -eq 4 ] && ok || bad "restore over a register: exit $RC, want 4"
contains "$ERR" "is not empty: give --force" "restore over a register"
[ "$(tree "$WORK/r1")" = "$T" ] && ok || bad "a refused restore changed the register"
[ -z "$(ls -a "$WORK" | grep '\.restore-')" ] && ok || bad "a refused restore left a directory"
# with --force: the old one kept whole beside it
expect_ok -d "$WORK/r1" restore "$WORK/b1" --force
contains "$OUT" "kept in .*/r1\.replaced-" "restore --force keeps the old one"
OLD=$(ls -d "$WORK"/r1.replaced-* | head -1)
[ "$(tree "$OLD")" = "$T" ] && ok || bad "the register replaced is not kept whole"
run -d "$WORK/r1" find "Only In R1"
[ "$RC" -eq 3 ] && ok || bad "the restored register holds what was added after the backup"
# another force's backup, or one with another key, over a register: refused even with --force
"$ASBREG" -d "$WORK/other" init --force E23000005 >/dev/null
"$ASBREG" -d "$WORK/other" backup "$WORK/b-other" >/dev/null
T=$(tree "$WORK/r1")
run -d "$WORK/r1" restore "$WORK/b-other" --force
[ "$RC" -eq 4 ] && ok || bad "restore of another force's backup: exit $RC, want 4"
contains "$ERR" "is the register of E23000005, .*r1 of E23000011" "another force's backup"
[ "$(tree "$WORK/r1")" = "$T" ] && ok || bad "a refused restore changed the register"
cp -a "$WORK/b1" "$WORK/b-rekeyed"
head -c 32 /dev/urandom > "$WORK/b-rekeyed/force.key"
run -d "$WORK/r1" restore "$WORK/b-rekeyed" --force
[ "$RC" -eq 4 ] && ok || bad "restore of a backup with another key: exit $RC, want 4"
contains "$ERR" "force.key is not the key of the register" "another key"
run -d "$WORK/r1" restore "$WORK/b1k" --force --key "$WORK/b-rekeyed/force.key"
[ "$RC" -eq 4 ] && ok || bad "restore --key with another key: exit $RC, want 4"
contains "$ERR" "is not the key of the register" "--key with another key"
[ "$(tree "$WORK/r1")" = "$T" ] && ok || bad "a refused restore changed the register"
[ -z "$(ls -a "$WORK" | grep '\.restore-')" ] && ok || bad "a refused restore left a directory"
# a backup without the key: --key, or refused with nothing made
run -d "$WORK/r2" restore "$WORK/b1k"
[ "$RC" -eq 3 ] && ok || bad "restore of a --no-key backup without --key: exit $RC, want 3"
contains "$ERR" "holds no force.key .*give --key FILE" "no key"
absent "$WORK/r2" "a refused restore"
[ -z "$(ls -a "$WORK" | grep '\.restore-')" ] && ok || bad "a refused restore left a directory"
expect_ok -d "$WORK/r2" restore "$WORK/b1k" --key "$R/force.key"
cmp -s "$R/force.key" "$WORK/r2/force.key" && ok || bad "--key not put in place"
# not a backup
mkdir "$WORK/junk"
run -d "$WORK/r3" restore "$WORK/junk"
[ "$RC" -eq 3 ] && ok || bad "restore of a directory with no register: exit $RC, want 3"
absent "$WORK/r3" "restore of junk"
run -d "$WORK/r3" restore
[ "$RC" -eq 2 ] && ok || bad "restore without SRC: exit $RC"

# ---- a backup during an import: none of it, or all of it ------------------------------------
"$SYNTH" -d "$WORK/src" --force E23000011 --from 2025-Q4 --to 2026-Q3 --scale 60 >/dev/null
"$ASBREG" -d "$WORK/src" export --csv > big.csv
ROWS=$(($(wc -l < big.csv) - 1))
I=$WORK/imp
"$ASBREG" -d "$I" init --force E23000011 >/dev/null
"$ASBREG" -d "$I" import big.csv > imp.out 2>&1 &
IMP=$!
# wait until the import has the register open, then copy while it writes
k=0
while [ $k -lt 200 ] && ! ls -l "/proc/$IMP/fd" 2>/dev/null | grep -q "$I/lock.mdb"; do
	sleep 0.01; k=$((k + 1))
done
n=0 during=0
while [ $n -lt 20 ]; do
	n=$((n + 1))
	"$ASBREG" -d "$I" backup "$WORK/bi$n" > "bi$n.out" 2>&1 || bad "backup $n during the import: $(cat "bi$n.out")"
	proc_live "$IMP" && during=$((during + 1))
	proc_live "$IMP" || break
done
wait "$IMP" && ok || bad "the import: $(cat imp.out)"
[ "$during" -gt 0 ] && ok || bad "no backup finished while the import ran"
"$ASBREG" -d "$I" backup "$WORK/bi-after" >/dev/null || bad "backup after the import"
j=1
while [ $j -le $n ]; do
	c=$(records "$WORK/bi$j")
	case $c in
	0 | "$ROWS") ok ;;
	*) bad "backup $j during the import holds $c records: not 0 nor $ROWS" ;;
	esac
	j=$((j + 1))
done
[ "$(records "$WORK/bi-after")" = "$ROWS" ] && ok || bad "the backup after the import"
# the one taken first (during the import) restores, and verifies
expect_ok -d "$WORK/ri" restore "$WORK/bi1"
expect_ok -d "$WORK/ri" audit --verify
c=$(records "$WORK/ri")
case $c in 0 | "$ROWS") ok ;; *) bad "restored copy holds $c records" ;; esac
# an import into the restored copy: it is a register that works
"$ASBREG" -d "$WORK/ri" person add --name "After Restore" --dob 1990-01-01 >/dev/null && ok ||
    bad "the restored register takes a write"
# a restore over a register an import has open: refused, even with --force
"$ASBREG" -d "$I" import big.csv --rejects rej.csv > imp2.out 2>&1 &
IMP=$!
k=0
while [ $k -lt 200 ] && ! ls -l "/proc/$IMP/fd" 2>/dev/null | grep -q "$I/lock.mdb"; do
	sleep 0.01; k=$((k + 1))
done
if proc_live "$IMP"; then
	run -d "$I" restore "$WORK/bi1" --force
	[ "$RC" -eq 4 ] && ok || bad "restore over a register in use: exit $RC, want 4"
	contains "$ERR" "is in use by process $IMP" "in use names the process"
else
	bad "the second import ended before the restore could be tried"
fi
wait "$IMP"
[ -z "$(ls -d "$I".replaced-* 2>/dev/null)" ] && ok || bad "a refused restore moved the register"

# ---- the hub: a backup during a send ---------------------------------------------------------
# The returns are queued while the hub is down (asbgw submit: exit 5, kept in the outbox),
# then 'asbgw send' delivers them to the hub, started again on the same port, while both
# the hub and the register (with its outbox) are backed up again and again.
H=$WORK/hub
hub_init "$H" "$PKI" E23000011 || bad "hub init"
hub_start "$H" 0 || bad "the hub did not start: $(tail -3 "$H.log")"
PORT=$HUB_PORT
hub_stop || bad "stopping the hub"
printf 'url = https://localhost:%s\n' "$PORT" >> "$R/asbgw.conf"
for q in 2025-Q4 2026-Q1 2026-Q2 2026-Q3; do
	"$ASBGW" build -d "$R" --period $q -o "$WORK/$q.xml" >/dev/null &&
	"$ASBGW" sign "$WORK/$q.xml" --key "$F/sign.key" --cert "$F/sign.crt" >/dev/null ||
	    bad "build and sign $q"
	gw submit -d "$R" "$WORK/$q.xml"; want 5 "submit $q while the hub is down: queued"
done
gw outbox -d "$R" --json
[ "$(printf '%s\n' "$OUT" | grep -c '"state":"signed"')" = 4 ] && ok || bad "four returns queued: $OUT"
hub_start "$H" "$PORT" || bad "the hub did not start again: $(tail -3 "$H.log")"
"$ASBGW" send -d "$R" --now > sub.out 2>&1 &
SUB=$!
n=0
while [ $n -lt 10 ]; do
	n=$((n + 1))
	"$ASBHUB" backup "$WORK/hb$n" -d "$H" > "hb$n.out" 2>&1 || bad "hub backup $n: $(cat "hb$n.out")"
	"$ASBREG" -d "$R" backup "$WORK/rb$n" > "rb$n.out" 2>&1 || bad "register backup $n: $(cat "rb$n.out")"
	proc_live "$SUB" || break
done
echo "backup: $n rounds of copies, the last as asbgw send ended" >&2
wait "$SUB" && ok || bad "asbgw send: $(cat sub.out)"
gw outbox -d "$R" --json
[ "$(printf '%s\n' "$OUT" | grep -c '"state":"acknowledged"')" = 4 ] && ok || bad "four returns acknowledged: $OUT"
hub returns -d "$H" --json; want 0 "returns"
ALL=$(printf '%s\n' "$OUT" | grep -c '"return_id"')
[ "$ALL" = 4 ] && ok || bad "the hub holds $ALL returns, want 4"
j=1
while [ $j -le $n ]; do
	# the backup opens with -d; every return it lists has its bytes and its receipt
	hub returns -d "$WORK/hb$j" --json; want 0 "returns -d backup $j"
	c=$(printf '%s\n' "$OUT" | grep -c '"return_id"')
	[ "$c" -le 4 ] && ok || bad "backup $j holds $c returns"
	for id in $(printf '%s\n' "$OUT" | sed -n 's/.*"return_id":"\([^"]*\)".*/\1/p'); do
		hub show "$id" -d "$WORK/hb$j" --body; want 0 "backup $j: the bytes of $id"
		cmp -s "$WORK/.out" /dev/null && bad "backup $j: $id has no bytes"
		hub show "$id" -d "$WORK/hb$j" --receipt; want 0 "backup $j: the receipt of $id"
	done
	gw outbox -d "$WORK/rb$j"; want 0 "asbgw outbox -d register backup $j"
	j=$((j + 1))
done
modes "$WORK/hb1" "hub backup"
[ -f "$WORK/hb1/tls.key" ] && [ -f "$WORK/hb1/sign.key" ] && ok || bad "hub backup keys"
hub backup "$WORK/hbk" -d "$H" --no-keys; want 0 "hub backup --no-keys"
absent "$WORK/hbk/tls.key" "--no-keys"
absent "$WORK/hbk/sign.key" "--no-keys"
# refusals
hub backup "$WORK/hb1" -d "$H"; want 4 "hub backup over a backup"
contains "$ERR" "^asbhub: backup: .*is not empty" "hub backup non-empty message"
hub backup "$WORK/hbx" -d "$WORK/nohub"; want 3 "hub backup of no hub"
absent "$WORK/hbx" "hub backup of no hub"
hub backup "$WORK/hby" -d "$H" --force; want 2 "hub backup --force is not an option"
hub backup "$H/store/x" -d "$H"; want 2 "hub backup into the hub"
absent "$H/store/x" "hub backup into the hub"
T=$(tree "$H")
hub restore "$WORK/hb1" -d "$H" --force; want 4 "hub restore over a serving hub"
contains "$ERR" "in use by process $HUB_PID" "in use names asbhub serve"
[ "$(tree "$H")" = "$T" ] && ok || bad "a refused hub restore changed the hub"
hub_stop && ok || bad "stopping the hub"
hub restore "$WORK/hb$n" -d "$H"; want 4 "hub restore over a hub without --force"
hub restore "$WORK/hbk" -d "$WORK/hr0"; want 3 "hub restore of a --no-keys backup into nothing"
absent "$WORK/hr0" "refused hub restore"
hub restore "$WORK/hb$n" -d "$H" --force; want 0 "hub restore --force"
contains "$OUT" "kept in .*/hub\.replaced-" "the old hub kept"
hub restore "$WORK/hbk" -d "$H" --force; want 0 "hub restore of a --no-keys backup over a hub"
cmp -s "$PKI/hub/sign.key" "$H/sign.key" && ok || bad "the replaced hub's key"
hub_start "$H" 0 || bad "the restored hub does not start: $(tail -3 "$H.log")"
hub_stop || bad "stopping the restored hub"
hub restore "$WORK/hb1" -d "$WORK/hr1"; want 0 "hub restore"
hub returns -d "$WORK/hr1"; want 0 "returns -d restored"
# the one taken mid-send, restored, counts what it holds
M=$(((n + 1) / 2))
hub restore "$WORK/hb$M" -d "$WORK/hr2"; want 0 "hub restore of a copy taken during the send"
hub compliance --period 2026-Q3 -d "$WORK/hr2"; want 0 "compliance on the restored hub"
hub restore "$WORK/junk" -d "$WORK/hr3"; want 3 "hub restore of a directory with no hub"
absent "$WORK/hr3" "hub restore of junk"

finish
