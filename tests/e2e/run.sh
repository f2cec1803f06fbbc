#!/bin/sh
# run.sh - run every end-to-end script and print one closing line for the whole set.  A script
# passes only if it exits 0 and its own closing line says it ran checks and none failed
# ("NAME: N passed, 0 failed", N > 0): a script that stops early with status 0 does not pass.
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0
t0=$(date +%s)
for t in "$here"/*.sh; do
	case "$t" in */run.sh|*/lib.sh) continue ;; esac
	name=$(basename "$t" .sh)
	echo "== $name.sh"
	if out=$(sh "$t" 2>&1) &&
	    printf '%s\n' "$out" | tail -1 | grep -Eq "^$name: [1-9][0-9]* passed, 0 failed$"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		out="$out
run.sh: $name.sh did not pass (exit status, or no '$name: N passed, 0 failed' at its end)"
	fi
	printf '%s\n' "$out"
done
echo "e2e: $passed passed, $failed failed ($(($(date +%s) - t0)) s)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
