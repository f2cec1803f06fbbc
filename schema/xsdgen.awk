# xsdgen.awk - fill the @codes:NAME@ markers of asb-return-1.xsd.in with xs:enumeration lines
# from schema/codes/NAME.tsv (first column; comments and the header skipped), so the XSD's
# code lists and the register's are one list.  Usage: awk -v codes=schema/codes -f xsdgen.awk IN
/^@codes:[a-z]+@$/ {
	name = $0
	sub(/^@codes:/, "", name)
	sub(/@$/, "", name)
	file = codes "/" name ".tsv"
	header = 0
	while ((getline line < file) > 0) {
		if (line ~ /^#/ || line ~ /^[ \t]*$/)
			continue
		if (!header++)
			continue
		split(line, f, "\t")
		printf("      <xs:enumeration value=\"%s\"/>\n", f[1])
	}
	close(file)
	if (!header) {
		printf("xsdgen: no code list %s\n", file) > "/dev/stderr"
		exit 1
	}
	next
}
{ print }
