#!/bin/sh
# run.sh - run every end-to-end script and print one closing line for the whole set.  A script
# passes only if it exits 0 and its own closing line says it ran checks and none failed
# ("NAME: N passed, 0 failed", N > 0): a script that stops early with status 0 does not pass.
# A script whose tools are missing (browser.sh without chromium) may end with
# "NAME: skipped: why" and status 0: counted as skipped, shown in the closing line.
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0 skipped=0
t0=$(date +%s)
for t in "$here"/*.sh; do
	case "$t" in */run.sh|*/lib.sh) continue ;; esac
	name=$(basename "$t" .sh)
	echo "== $name.sh"
	out=$(sh "$t" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] &&
	    printf '%s\n' "$out" | tail -1 | grep -Eq "^$name: [1-9][0-9]* passed, 0 failed$"; then
		passed=$((passed + 1))
	elif [ "$rc" -eq 0 ] && printf '%s\n' "$out" | tail -1 | grep -Eq "^$name: skipped: "; then
		skipped=$((skipped + 1))
	else
		failed=$((failed + 1))
		out="$out
run.sh: $name.sh did not pass (exit status, or no '$name: N passed, 0 failed' at its end)"
	fi
	printf '%s\n' "$out"
done
echo "e2e: $passed passed, $failed failed, $skipped skipped ($(($(date +%s) - t0)) s)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
