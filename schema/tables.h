/*
 * tables.h - the tables generated at build time from schema/codes/ *.tsv (tsv2c.awk) and
 * schema/rules.tsv (rules2c.awk).  Private to schema/: other parts use codes.h and rules.h.
 */
#ifndef SCH_TABLES_H
#define SCH_TABLES_H

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
#undef SCH_TABLE

extern const struct sch_rule sch_rules[];
extern const unsigned sch_rules_count;

#endif
