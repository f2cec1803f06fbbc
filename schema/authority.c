/*
 * authority.c - who may use each power (schema/authority.tsv, rule R-AUTH-001; see rules.h).
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "rules.h"
#include "tables.h"

unsigned
sch_authority_count(void)
{
	return sch_tbl_authority_rows;
}

const char *
sch_authority_cell(unsigned row, unsigned col)
{
	if (row >= sch_tbl_authority_rows || col >= sch_tbl_authority_cols)
		return "";
	return sch_tbl_authority[row * sch_tbl_authority_cols + col];
}

/* The row of authority.tsv for power and agency, or -1.  *from is its commencement day
 * (0 when it has none yet). */
int
sch_authority_row(int power, int agency, asb_day *from)
{
	const char *pc = sch_power_code(power), *ac, *f;
	unsigned i;

	if (agency < 0)
		return -1;
	ac = sch_code_field(SCH_LIST_AGENCIES, (unsigned)agency, 0);
	for (i = 0; i < sch_tbl_authority_rows; i++) {
		if (strcmp(sch_authority_cell(i, 0), pc) != 0 ||
		    strcmp(sch_authority_cell(i, 1), ac) != 0)
			continue;
		f = sch_authority_cell(i, 2);
		if (asb_day_parse(f, from) == -1)
			*from = 0;
		return (int)i;
	}
	return -1;
}

int
sch_may_use(int power, int agency, asb_time when)
{
	asb_day from;

	return sch_authority_row(power, agency, &from) >= 0 && from != 0 &&
	    from <= asb_time_day(when);
}

/* The bodies that may use power on day, joined for a message. */
void
sch_authority_list(int power, asb_day day, char *buf, size_t size)
{
	const char *pc = sch_power_code(power);
	asb_day from;
	size_t n = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < sch_tbl_authority_rows; i++) {
		if (strcmp(sch_authority_cell(i, 0), pc) != 0 ||
		    asb_day_parse(sch_authority_cell(i, 2), &from) == -1 ||
		    from > day)
			continue;
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s",
		    n ? ", " : "", sch_authority_cell(i, 1));
		if (n >= size)
			break;
	}
}

/* The first section authority.tsv gives for power (for a refusal's citation). */
const char *
sch_authority_section(int power, int agency)
{
	const char *pc = sch_power_code(power);
	asb_day from;
	int row = sch_authority_row(power, agency, &from);
	unsigned i;

	if (row >= 0)
		return sch_authority_cell((unsigned)row, 3);
	for (i = 0; i < sch_tbl_authority_rows; i++)
		if (strcmp(sch_authority_cell(i, 0), pc) == 0)
			return sch_authority_cell(i, 3);
	return "-";
}
