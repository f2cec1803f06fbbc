# lib.sh - helpers for the end-to-end scripts.  Each script sources this, works in its own
# empty temporary directory (removed on exit) and counts its checks; a failed check prints
# what was expected and what happened, and the script exits non-zero at the end.
set -u
: "${ASBREG:?set ASBREG to the asbreg binary}"
# A server kept in UTC: the register must still read and print UK civil time.
export TZ=UTC ASB_USER=e2e-officer
unset ASBREG_DIR ASBREG_NOW
# hub_init, hub_start, hub_stop, proc_live, kill9 (tests/lib/hub.sh); the EXIT trap stops a
# hub a script left running.  A script with a trap of its own calls hub_cleanup in it.
. "$(dirname "$0")/../lib/hub.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/asb-e2e.XXXXXX")
trap 'hub_cleanup; rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# run CMD...: run asbreg, keeping stdout in $OUT, stderr in $ERR and the exit code in $RC.
run() {
	"$ASBREG" "$@" >"$WORK/.out" 2>"$WORK/.err"
	RC=$?
	OUT=$(cat "$WORK/.out")
	ERR=$(cat "$WORK/.err")
}

# expect_ok CMD...: exit 0; stdout in $OUT.
expect_ok() {
	run "$@"
	if [ "$RC" -eq 0 ]; then ok; else bad "asbreg $* -> exit $RC: $ERR"; fi
}

# snapshot DIR: SNAP becomes a digest of every byte the LMDB environment in DIR holds, to
# prove a refusal stored nothing.  A dump that fails or prints nothing is no proof: it is a
# failed check, SNAP is left unlike any digest, and snapshot returns 1.
SNAPS=0
snapshot() {
	SNAPS=$((SNAPS + 1))
	if mdb_dump -a "$1" >"$WORK/.dump" 2>"$WORK/.dump.err" && [ -s "$WORK/.dump" ]; then
		SNAP=$(md5sum <"$WORK/.dump")
		return 0
	fi
	bad "snapshot of $1: mdb_dump failed or printed nothing: $(cat "$WORK/.dump.err")"
	SNAP="no snapshot $SNAPS"
	return 1
}

# state DIR: SNAP becomes the snapshot of the LMDB environment in DIR, or "absent" if there
# is nothing at DIR at all; returns 1 if there is something there that cannot be dumped.
state() {
	if [ -e "$1" ]; then snapshot "$1"; else SNAP=absent; fi
}

# refuse CODE PATTERN CMD...: exit CODE, stderr matching PATTERN, the register unchanged (or,
# if there was none, still none).
refuse() {
	want=$1 pat=$2
	shift 2
	state "${ASBREG_DIR:-./var/register}" || { run "$@"; return; }
	before=$SNAP
	run "$@"
	state "${ASBREG_DIR:-./var/register}" || return
	if [ "$RC" -ne "$want" ]; then
		bad "asbreg $* -> exit $RC, want $want ($ERR)"
	elif ! printf '%s' "$ERR" | grep -q -- "$pat"; then
		bad "asbreg $* -> stderr '$ERR' lacks '$pat'"
	elif ! printf '%s' "$ERR" | grep -q '^asbreg: '; then
		bad "asbreg $* -> stderr not in the 'asbreg: what: why' form: $ERR"
	elif [ "$before" != "$SNAP" ]; then
		bad "asbreg $* -> refused but the register changed"
	else
		ok
	fi
}

# unchanged DIR BEFORE WHAT: the LMDB environment in DIR still has the snapshot BEFORE.
unchanged() {
	snapshot "$1" || return
	if [ "$SNAP" = "$2" ]; then ok; else bad "$3: $1 changed"; fi
}

# contains TEXT PATTERN WHAT: TEXT matches the extended regex PATTERN.
contains() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok; else bad "$3: no '$2' in: $1"; fi
}
lacks() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then bad "$3: unexpected '$2' in: $1"; else ok; fi
}
# file_lacks FILE PATTERN WHAT: FILE can be read and has no line matching the extended regex
# PATTERN (grep's own status: 1 is "no match"; 2, an unreadable file, is a failure too).
file_lacks() {
	grep -Eq -- "$2" "$1" 2>"$WORK/.grep.err"
	case $? in
	1) ok ;;
	0) bad "$3: '$2' in $1: $(grep -Em3 -- "$2" "$1")" ;;
	*) bad "$3: cannot read $1: $(cat "$WORK/.grep.err")" ;;
	esac
}
# absent PATH WHAT: nothing at PATH.
absent() {
	if [ -e "$1" ] || [ -L "$1" ]; then bad "$2: $1 exists"; else ok; fi
}
# exits CODE WHAT CMD...: CMD exits exactly CODE; its stdout and stderr in $OUT and $ERR.
exits() {
	want=$1 what=$2
	shift 2
	"$@" >"$WORK/.out" 2>"$WORK/.err"
	RC=$?
	OUT=$(cat "$WORK/.out")
	ERR=$(cat "$WORK/.err")
	if [ "$RC" -eq "$want" ]; then ok; else bad "$what: exit $RC, want $want: $OUT $ERR"; fi
}

finish() {
	printf '%s: %d passed, %d failed\n' "$(basename "$0" .sh)" "$PASS" "$FAIL"
	[ "$FAIL" -eq 0 ] && [ "$PASS" -gt 0 ]
}
