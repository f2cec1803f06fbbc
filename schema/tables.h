/*
 * tables.h - the tables generated at build time from schema/codes/ *.tsv and schema/authority.tsv
 * (tsv2c.awk) and schema/rules.tsv (rules2c.awk).  Private to schema/: other parts use codes.h and rules.h.
 */
#ifndef SCH_TABLES_H
#define SCH_TABLES_H

#include <stddef.h>

#include "rules.h"

#define SCH_TABLE(n) \
	extern const char *const sch_tbl_##n[]; \
	extern const unsigned sch_tbl_##n##_rows; \
	extern const unsigned sch_tbl_##n##_cols;
SCH_TABLE(forces)
SCH_TABLE(powers)
SCH_TABLE(ethnicity)
SCH_TABLE(sex)
SCH_TABLE(ranks)
SCH_TABLE(agencies)
SCH_TABLE(events)
SCH_TABLE(outcomes)
SCH_TABLE(agebands)
SCH_TABLE(authority)	/* schema/authority.tsv: who may use each power */
#undef SCH_TABLE

/* authority.c, for the R-AUTH-001 check: the row of power and agency (or -1) and its
 * commencement day (*from, 0 = not commenced); the bodies that may use power on day, joined
 * with ", " into buf; the section to cite. */
int		 sch_authority_row(int power, int agency, asb_day *from);
void		 sch_authority_list(int power, asb_day day, char *buf, size_t size);
const char	*sch_authority_section(int power, int agency);

extern const struct sch_rule sch_rules[];
extern const unsigned sch_rules_count;

#endif
