/*
 * codes.h - the national code lists: forces, powers, subjects, ranks, agencies, event kinds,
 * outcomes, sex, self-defined ethnicity and the parties to a variation.  The lists are data (schema/codes/ *.tsv), compiled
 * into tables at build time; this header is how every part of the project reads them.
 */
#ifndef SCH_CODES_H
#define SCH_CODES_H

/* Powers, in the order of codes/powers.tsv (a test checks the two agree). */
enum sch_power {
	SCH_CPW,
	SCH_CPN,
	SCH_PSPO,
	SCH_INJUNCTION,
	SCH_CBO,
	SCH_DISP_AUTH,
	SCH_DISP_DIR,
	SCH_CLOSURE_NOTICE,
	SCH_CLOSURE_ORDER,
	SCH_RESPECT_ORDER,
	SCH_YOUTH_INJUNCTION,
	SCH_HOUSING_INJUNCTION,
	SCH_POWER_COUNT
};

/* Event kinds, in the order of codes/events.tsv. */
enum sch_event {
	SCH_EV_SERVED,
	SCH_EV_APPEALED,
	SCH_EV_APPEAL_ALLOWED,
	SCH_EV_APPEAL_DISMISSED,
	SCH_EV_VARIED,
	SCH_EV_EXTENDED,
	SCH_EV_BREACHED,
	SCH_EV_FPN_ISSUED,
	SCH_EV_FPN_PAID,
	SCH_EV_DISCHARGED,
	SCH_EV_REVOKED,
	SCH_EV_EXPIRED,
	SCH_EV_REVIEWED,
	SCH_EV_ADJOURNED,	/* schema 1.1: a closure hearing adjourned (s81) */
	SCH_EV_COUNT
};

enum sch_subject_kind {
	SCH_PERSON = 1,
	SCH_PREMISES = 2,
	SCH_PLACE = 3,
	SCH_BODY = 4		/* a company or other organisation (s43(1)); schema 1.1 */
};

/* The code lists, for the generic look-ups below. */
enum sch_list {
	SCH_LIST_FORCES,
	SCH_LIST_POWERS,
	SCH_LIST_ETHNICITY,
	SCH_LIST_SEX,
	SCH_LIST_RANKS,
	SCH_LIST_AGENCIES,
	SCH_LIST_EVENTS,
	SCH_LIST_OUTCOMES,
	SCH_LIST_AGEBANDS,	/* code, from, to ("-": open-ended) */
	SCH_LIST_PARTIES	/* who decided a variation, and on whose application */
};

/* Index of code in a list (case-sensitive, as codes are written), or -1. */
int		 sch_code_index(enum sch_list list, const char *code);
/* Number of codes in a list. */
unsigned	 sch_code_count(enum sch_list list);
/* Column col of row i of a list (column 0 is the code); "" when out of range.
 * Static storage: never freed. */
const char	*sch_code_field(enum sch_list list, unsigned i, unsigned col);
/* All codes of a list joined by sep into buf, for help and error text. */
char		*sch_code_join(enum sch_list list, const char *sep, char *buf,
		    unsigned size);

const char	*sch_power_code(int power);
const char	*sch_power_section(int power);
const char	*sch_power_name(int power);
/* 1 when the power can be used on that kind of subject. */
int		 sch_power_allows_subject(int power, int kind);
/* The power a record of this kind links back to, or -1. */
int		 sch_power_follows(int power);

const char	*sch_event_code(int kind);
/* 1 when the event ends the record's life (discharged, revoked, ...). */
int		 sch_event_ends(int kind);

/* Level of a rank on the police scale (ranks.tsv), or -1 for an unknown code. */
int		 sch_rank_level(const char *code);

const char	*sch_subject_kind_code(int kind);	/* "person", ... */
int		 sch_subject_kind_from_code(const char *code);

/* LSOA code: E01 or W01 and six digits. */
int		 sch_lsoa_valid(const char *code);
/* Local authority district code: E06, E07, E08, E09 or W06 and six digits. */
int		 sch_lad_valid(const char *code);

#endif
