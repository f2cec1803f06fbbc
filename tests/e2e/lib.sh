# lib.sh - helpers for the end-to-end scripts.  Each script sources this, works in its own
# empty temporary directory (removed on exit) and counts its checks; a failed check prints
# what was expected and what happened, and the script exits non-zero at the end.
set -u
: "${ASBREG:?set ASBREG to the asbreg binary}"
# A server kept in UTC: the register must still read and print UK civil time.
export TZ=UTC ASB_USER=e2e-officer
unset ASBREG_DIR ASBREG_NOW
WORK=$(mktemp -d "${TMPDIR:-/tmp}/asb-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
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

# snapshot DIR: every byte the register holds, to prove a refusal stored nothing.
snapshot() { mdb_dump -a "$1" 2>/dev/null | md5sum; }

# refuse CODE PATTERN CMD...: exit CODE, stderr matching PATTERN, register unchanged.
refuse() {
	want=$1 pat=$2
	shift 2
	before=$(snapshot "${ASBREG_DIR:-./var/register}")
	run "$@"
	after=$(snapshot "${ASBREG_DIR:-./var/register}")
	if [ "$RC" -ne "$want" ]; then
		bad "asbreg $* -> exit $RC, want $want ($ERR)"
	elif ! printf '%s' "$ERR" | grep -q -- "$pat"; then
		bad "asbreg $* -> stderr '$ERR' lacks '$pat'"
	elif ! printf '%s' "$ERR" | grep -q '^asbreg: '; then
		bad "asbreg $* -> stderr not in the 'asbreg: what: why' form: $ERR"
	elif [ "$before" != "$after" ]; then
		bad "asbreg $* -> refused but the register changed"
	else
		ok
	fi
}

# contains TEXT PATTERN WHAT: TEXT matches the extended regex PATTERN.
contains() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok; else bad "$3: no '$2' in: $1"; fi
}
lacks() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then bad "$3: unexpected '$2' in: $1"; else ok; fi
}

finish() {
	printf '%s: %d passed, %d failed\n' "$(basename "$0" .sh)" "$PASS" "$FAIL"
	[ "$FAIL" -eq 0 ]
}
