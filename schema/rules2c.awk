# rules2c.awk - turn rules.tsv into a typed C table (struct sch_rule, rules.h), mapping power
# codes to enum sch_power by their order in powers.tsv.  The Makefile feeds the rows sorted by
# rule ID after the header, so the code can binary-search the table.
# Usage: grep -v '^#' rules.tsv | sort -s -k1,1 | awk -f rules2c.awk codes/powers.tsv -
BEGIN { FS = "\t"; np = 0 }
/^#/ || /^[ \t]*$/ { next }
FNR == NR {
	if (seen_ph++) power[$1] = np++
	next
}
!hdr++ { print "const struct sch_rule sch_rules[] = {"; next }
{
	if (NF != 9) { printf("rules.tsv: rule %s: %d fields, want 9\n", $1, NF) > "/dev/stderr"; exit 1 }
	if ($1 < last) { printf("rules.tsv: rows not sorted by id at %s\n", $1) > "/dev/stderr"; exit 1 }
	last = $1
	if ($2 == "*") p = -1
	else if ($2 in power) p = power[$2]
	else { printf("rules.tsv:%d: unknown power %s\n", FNR, $2) > "/dev/stderr"; exit 1 }
	if ($6 !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/) { printf("rules.tsv:%d: bad date\n", FNR) > "/dev/stderr"; exit 1 }
	if ($7 != "error" && $7 != "warning") { printf("rules.tsv:%d: bad severity\n", FNR) > "/dev/stderr"; exit 1 }
	if ($5 !~ /^(seconds|hours|hours-ex-christmas|days|weeks|months|years|rank|GBP|-)$/) { printf("rules.tsv: rule %s: unknown unit %s\n", $1, $5) > "/dev/stderr"; exit 1 }
	from = $6; gsub(/-/, "", from)
	for (i = 1; i <= NF; i++) { v[i] = $i; gsub(/\\/, "\\\\", v[i]); gsub(/"/, "\\\"", v[i]) }
	printf("\t{ \"%s\", %d, \"%s\", \"%s\", \"%s\", %s, %d, \"%s\", \"%s\" },\n",
	    v[1], p, v[3], v[4], v[5], from, ($7 == "warning"), v[8], v[9])
	n++
}
END { print "};"; print "const unsigned sch_rules_count = " n ";" }
