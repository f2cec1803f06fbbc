#!/bin/sh
# run.sh - run every end-to-end script and print one closing line for the whole set.
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0
for t in "$here"/*.sh; do
	case "$t" in */run.sh|*/lib.sh) continue ;; esac
	echo "== $(basename "$t")"
	if out=$(sh "$t" 2>&1); then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
	printf '%s\n' "$out"
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
