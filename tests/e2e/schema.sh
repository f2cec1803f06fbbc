#!/bin/sh
# schema.sh - the national return's XSD with the standard tool: xmllint accepts every valid
# example and every business-rule example (those are valid XML that breaks a statutory rule,
# for asbgw validate to catch), and refuses every XSD- and XML-invalid one.
EX=$(cd "$(dirname "$0")/../../schema" && pwd)
. "$(dirname "$0")/lib.sh"
XSD=$EX/asb-return-1.xsd
# xmllint's own exit codes: 0 valid, 1 not well-formed, 3 fails the schema (5, a schema that
# does not compile, must never count as a refusal)
n=0
for f in "$EX"/examples/valid-*.xml "$EX"/examples/invalid-rule-*.xml; do
	n=$((n + 1))
	exits 0 "xmllint on $(basename "$f")" xmllint --noout --nonet --schema "$XSD" "$f"
done
for f in "$EX"/examples/invalid-xsd-*.xml; do
	n=$((n + 1))
	exits 3 "xmllint on $(basename "$f")" xmllint --noout --nonet --schema "$XSD" "$f"
	contains "$ERR" "$(basename "$f") fails to validate" "xmllint on $(basename "$f")"
done
for f in "$EX"/examples/invalid-xml-*.xml; do
	n=$((n + 1))
	exits 1 "xmllint on $(basename "$f")" xmllint --noout --nonet --schema "$XSD" "$f"
done
[ "$n" -ge 15 ] && ok || bad "only $n examples"
# The XSD itself is self-contained: no import or include to fetch.
file_lacks "$XSD" '<xs:(import|include|redefine)' "the XSD imports something"
finish
