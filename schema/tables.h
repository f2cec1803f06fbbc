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
SCH_TABLE(parties)
SCH_TABLE(authority)	/* schema/authority.tsv: who may use each power */
#undef SCH_TABLE

/* authority.c, for the R-AUTH-001 check: the row of power and agency (or -1) and its
 * commencement day (*from, 0 = not commenced); the bodies that may use power on day, joined
 * with ", " into buf; the section to cite. */
int		 sch_authority_row(int power, int agency, asb_day *from);
void		 sch_authority_list(int power, asb_day day, char *buf, size_t size);
const char	*sch_authority_section(int power, int agency);

/* rules.c, for detail.c: the row of rule id for power in force on day (sch_rule_find by
 * day), and a finding for it (its text and section, then what to change). */
const struct sch_rule *sch_rule_on_day(const char *id, int power, asb_day day);
void		 sch_finding_add(struct sch_findings *f, const struct sch_rule *r,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* detail.c: the checks of the schema 1.1 details, called by sch_check_use and
 * sch_check_event. */
void		 sch_check_details(const struct sch_use *u, asb_day day, struct sch_findings *f);
void		 sch_check_adjourned(const struct sch_use *u, const struct sch_event_fact *e,
		    asb_day day, struct sch_findings *f);
void		 sch_check_decision(const struct sch_use *u, const struct sch_event_fact *e,
		    asb_day day, struct sch_findings *f);

extern const struct sch_rule sch_rules[];
extern const unsigned sch_rules_count;

#endif
