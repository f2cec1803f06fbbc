#!/bin/sh
# oldstore.sh - stores written before the versioned encodings still open.  Each directory
# tests/data/store-*/ holds a hub store and a force outbox as `mdb_dump -a` text, made by
# that release (tests/data/mkstores.sh), and what that release printed for them; loaded with
# mdb_load into an empty directory, today's asbhub and asbgw must print exactly the same
# (returns, certificates, reports - tables through disclosure control too - compliance and
# the outbox).
# A damaged value is refused with exit 5 and a message naming it, never read past its end.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?set ASBGW to the asbgw binary}" "${ASBHUB:?set ASBHUB to the asbhub binary}"
unset ASBGW_CONF ASBHUB_DIR ASBREG_DIR

same() {	# EXPECTED WHAT CMD...: CMD exits 0 and prints exactly EXPECTED
	exp=$1 what=$2
	shift 2
	"$@" >"$WORK/.out" 2>"$WORK/.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then bad "$what: exit $rc: $(cat "$WORK/.err")"
	elif ! cmp -s "$exp" "$WORK/.out"; then
		bad "$what differs from $(basename "$(dirname "$exp")")/$(basename "$exp"):"
		diff "$exp" "$WORK/.out" | head -5 >&2
	else ok; fi
}
load() {	# DUMP DIR
	rm -rf "$2" && mkdir -p "$2" && mdb_load -f "$1" "$2" 2>"$WORK/.load" ||
	    bad "mdb_load $1: $(cat "$WORK/.load")"
}

n=0
for D in "$ROOT"/tests/data/store-*/; do
	D=${D%/}
	n=$((n + 1))
	H=$WORK/$n/hub R=$WORK/$n/reg
	load "$D/hub.dump" "$H/store"
	load "$D/outbox.dump" "$R/outbox"
	same "$D/returns.json" "returns" "$ASBHUB" returns -d "$H" --json
	same "$D/forces.json" "force list" "$ASBHUB" force list -d "$H" --json
	for f in "$D"/report-*.json; do
		p=${f##*/report-}; p=${p%.json}
		same "$f" "report $p" "$ASBHUB" report -d "$H" --period "$p" --format json
	done
	for f in "$D"/sdc-*.json; do	# tables through disclosure control
		by=${f##*/sdc-}; by=${by%.json}
		same "$f" "report --by $by" "$ASBHUB" report -d "$H" --year 2026 --by "$by" \
		    --format json
	done
	for f in "$D"/compliance-*.json; do
		p=${f##*/compliance-}; p=${p%.json}
		same "$f" "compliance $p" "$ASBHUB" compliance -d "$H" --period "$p" --json
	done
	for f in "$D"/show-*.json; do
		id=${f##*/show-}; id=${id%.json}
		same "$f" "show $id" "$ASBHUB" show "$id" -d "$H" --json
	done
	same "$D/outbox.json" "outbox" "$ASBGW" outbox -d "$R" --json
done
[ "$n" -gt 0 ] && ok || bad "no stores under tests/data"

# A damaged value: the first entry of "returns" (and of "entries") cut to 40 bytes.
D=$ROOT/tests/data/store-v0
cut_first() {	# DUMP DATABASE: the first value of DATABASE cut to 40 bytes
	awk -v db="$2" '
	/^database=/ { cur = substr($0, 10) }
	/^HEADER=END/ { inside = (cur == db); k = 1; print; next }
	/^DATA=END/ { inside = 0 }
	inside && /^ / { if (k == 0 && !done) { $0 = " " substr($1, 1, 80); done = 1 }
	    k = !k }
	{ print }' "$1"
}
cut_first "$D/hub.dump" returns > "$WORK/bad-hub.dump"
cmp -s "$D/hub.dump" "$WORK/bad-hub.dump" && bad "the damaged dump is not damaged" || ok
load "$WORK/bad-hub.dump" "$WORK/bad/hub/store"
"$ASBHUB" returns -d "$WORK/bad/hub" --json >"$WORK/.out" 2>"$WORK/.err"
rc=$?
[ "$rc" -eq 5 ] && ok || bad "a damaged return: exit $rc, want 5"
contains "$(cat "$WORK/.err")" '^asbhub: .*store: return [0-9a-f-]{36}: damaged value: 40 bytes' \
    "a damaged return's message"
cut_first "$D/outbox.dump" entries > "$WORK/bad-ob.dump"
load "$WORK/bad-ob.dump" "$WORK/bad/reg/outbox"
"$ASBGW" outbox -d "$WORK/bad/reg" --json >"$WORK/.out" 2>"$WORK/.err"
rc=$?
[ "$rc" -eq 5 ] && ok || bad "a damaged outbox entry: exit $rc, want 5"
contains "$(cat "$WORK/.err")" '^asbgw: .*outbox: return [0-9a-f-]{36}: damaged value: 40 bytes' \
    "a damaged entry's message"
finish
