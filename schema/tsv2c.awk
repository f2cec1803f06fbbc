# tsv2c.awk - turn the schema's TSV data files into C tables, so the code lists and the rule
# table have one source.  Usage: awk -f tsv2c.awk -v name=NAME FILE.tsv
# Emits: const char *const sch_tbl_NAME[] (row-major, header excluded) and its row/column counts.
BEGIN { FS = "\t"; rows = 0; cols = 0 }
/^#/ || /^[ \t]*$/ { next }
cols == 0 { cols = NF; print "const char *const sch_tbl_" name "[] = {"; next }
{
	if (NF != cols) {
		printf("%s:%d: %d fields, header has %d\n", FILENAME, FNR, NF, cols) > "/dev/stderr"
		exit 1
	}
	line = "\t"
	for (i = 1; i <= NF; i++) {
		v = $i
		gsub(/\\/, "\\\\", v)
		gsub(/"/, "\\\"", v)
		line = line "\"" v "\","
	}
	print line
	rows++
}
END {
	print "};"
	print "const unsigned sch_tbl_" name "_rows = " rows ";"
	print "const unsigned sch_tbl_" name "_cols = " cols ";"
}
