#!/bin/sh
# schema.sh - the national return's XSD with the standard tool: xmllint accepts every valid
# example and every business-rule example (those are valid XML that breaks a statutory rule,
# for asbgw validate to catch), and refuses every XSD- and XML-invalid one.
EX=$(cd "$(dirname "$0")/../../schema" && pwd)
. "$(dirname "$0")/lib.sh"
XSD=$EX/asb-return-1.xsd
n=0
for f in "$EX"/examples/valid-*.xml "$EX"/examples/invalid-rule-*.xml; do
	n=$((n + 1))
	if xmllint --noout --nonet --schema "$XSD" "$f" 2>/dev/null; then ok; else bad "xmllint refused $(basename "$f")"; fi
done
for f in "$EX"/examples/invalid-xsd-*.xml "$EX"/examples/invalid-xml-*.xml; do
	n=$((n + 1))
	if xmllint --noout --nonet --schema "$XSD" "$f" 2>/dev/null; then bad "xmllint accepted $(basename "$f")"; else ok; fi
done
[ "$n" -ge 15 ] && ok || bad "only $n examples"
# The XSD itself is self-contained: no import or include to fetch.
if grep -Eq '<xs:(import|include|redefine)' "$XSD"; then bad "the XSD imports something"; else ok; fi
finish
