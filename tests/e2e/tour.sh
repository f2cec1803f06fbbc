#!/bin/sh
# tour.sh - the README's tour of asbreg, run as it is written, on whatever day it is: every
# command line of the block under "## A tour of `asbreg`" in an empty register, each line's
# exit code checked (0, or the 1 a line marked "refused (exit 1)" must give, with its rule in
# the message and nothing stored).  A tour that rots fails here, not in a newcomer's hands.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
mkdir -p "$WORK/bin"
ln -s "$ASBREG" "$WORK/bin/asbreg"
PATH=$WORK/bin:$PATH
export PATH

# The block, its continued lines joined: one logical line a row.
awk '
	/^## A tour of `asbreg`/ { intour = 1; next }
	intour && /^## / { exit }
	intour && /^```sh/ { inblock = 1; next }
	inblock && /^```/ { exit }
	inblock {
		if (sub(/\\$/, "")) { pending = pending $0; next }
		print pending $0
		pending = ""
	}' "$ROOT/README.md" > tour.lines
n=$(grep -c . tour.lines)
[ "$n" -ge 15 ] && ok || bad "the tour has $n lines: the README block was not found whole"
grep -q 'refused (exit 1)' tour.lines && ok || bad "the tour has no refusal"

# One script, so the variables a line sets (P=$(...)) carry to the next; after each line
# its exit code, and around a refusal a snapshot of the register.
i=0
: > tour.sh
while IFS= read -r line; do
	i=$((i + 1))
	case $line in
	*'refused (exit 1)'*)
		printf 'before=$(mdb_dump -a "$ASBREG_DIR" 2>/dev/null | md5sum)\n' >> tour.sh
		printf '{ %s\n} 2>err.%d; echo "%d $? 1" >> rcs\n' "$line" "$i" "$i" >> tour.sh
		printf '[ "$before" = "$(mdb_dump -a "$ASBREG_DIR" 2>/dev/null | md5sum)" ] || echo %d >> changed\n' "$i" >> tour.sh
		;;
	*)
		printf '{ %s\n} 2>err.%d; echo "%d $? 0" >> rcs\n' "$line" "$i" "$i" >> tour.sh
		;;
	esac
done < tour.lines
: > rcs
sh tour.sh > tour.out 2>&1
[ "$(grep -c . rcs)" -eq "$n" ] && ok || bad "the tour stopped early: $(cat tour.out)"
while read -r num got want; do
	if [ "$got" -eq "$want" ]; then ok
	else bad "tour line $num exits $got, want $want: $(sed -n "${num}p" tour.lines) -- $(cat "err.$num")"
	fi
	if [ "$want" -eq 1 ]; then
		grep -q '^asbreg: add: .*(R-GEN-008)' "err.$num" && ok ||
		    bad "the tour's refusal does not say R-GEN-008: $(cat "err.$num")"
	fi
done < rcs
[ ! -s changed ] && ok || bad "a refused line of the tour changed the register (line $(cat changed))"
# what the tour shows is there
"$ASBREG" list --csv > list.csv 2>/dev/null
grep -q 'Jane Example' list.csv && ok || bad "the tour's list has no name beside the IDs"
grep -q 'Kyle Legacy' list.csv && ok || bad "the tour's import stored nothing"
"$ASBREG" audit --verify >/dev/null 2>&1 && ok || bad "the tour's audit log does not verify"
finish
