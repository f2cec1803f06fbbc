/*
 * rules.h - the statutory business rules, shared by the register (every write), the gateway
 * (every return) and the hub.
 *
 * The limits are data (rules.tsv, one row per rule, power and commencement date); this module
 * holds the logic that compares a use of a power with the limits in force on its issue date,
 * and derives a record's life (current expiry, end, status) from its lifecycle events.
 * Findings carry the rule ID, the severity and a message that says what to change.  Messages
 * never contain personal data: no names, dates of birth or exact ages.
 */
#ifndef SCH_RULES_H
#define SCH_RULES_H

#include <stdint.h>

#include "date.h"

/* One row of rules.tsv. */
struct sch_rule {
	const char	*id;		/* "R-DISP-002" */
	int		 power;		/* enum sch_power, or -1 for every power */
	const char	*param;		/* "max_duration" */
	const char	*value;		/* "48", "inspector", "-" */
	const char	*unit;		/* "hours", "months", "years", "rank", "GBP", "-" */
	int32_t		 from;		/* in force from, YYYYMMDD */
	int		 warning;	/* 1 = warning, 0 = error */
	const char	*section;	/* "s34(2)" */
	const char	*text;		/* what the rule says, for people */
};

/* The row of rule id for power (or for every power) in force on the local day of when, or
 * NULL when none is.  Static storage. */
const struct sch_rule *sch_rule_find(const char *id, int power, asb_time when);

/* All rows, for listing the rule table (asbreg rules). */
const struct sch_rule *sch_rule_at(unsigned i);
unsigned	 sch_rule_count(void);

/* start plus the rule's value in its unit (seconds, hours, hours-ex-christmas, days, weeks,
 * months, years); start when the value is not a duration.  hours-ex-christmas counts hours
 * with Christmas Day (25 December, UK civil time) disregarded (s77(3), s80(4)). */
asb_time	 sch_rule_add(const struct sch_rule *r, asb_time start);

/* The rule's value as an integer, or -1 when it is not one. */
int64_t		 sch_rule_value(const struct sch_rule *r);

/* Who may use each power (schema/authority.tsv, rule R-AUTH-001): 1 when a body of the
 * agency code list's index agency may use power on the local day of when.  The rows, for
 * listing: column 0 power, 1 agency, 2 from (YYYY-MM-DD or "-" = not commenced), 3 section,
 * 4 role; "" out of range.  Static storage. */
int		 sch_may_use(int power, int agency, asb_time when);
unsigned	 sch_authority_count(void);
const char	*sch_authority_cell(unsigned row, unsigned col);

/* One use of a power, as the rules see it: facts only, no personal data. */
struct sch_use {
	int		 power;		/* enum sch_power */
	int		 subject_kind;	/* enum sch_subject_kind */
	int		 age;		/* whole years on the issue day; -1 unknown or not a person */
	int		 agency;	/* index in the agencies list; -1 unknown */
	const char	*rank;		/* authoriser's rank code, "" when none given */
	asb_time	 issued;
	asb_time	 served;	/* 0 = not yet served */
	asb_time	 expires;	/* 0 = no end date (indefinite, or no statutory term) */
	/* The earlier record this one follows (--links), if any. */
	int		 link_power;	/* enum sch_power, -1 = no link */
	int		 link_same_subject;
	asb_time	 link_issued;
	asb_time	 link_served;
	asb_time	 link_expires;	/* its current expiry, 0 = none */
	asb_time	 link_ended;	/* when an event ended it, 0 = not ended */
	/* Filled by the register; 0 (a zeroed struct) means unknown, and the rule is not
	 * applied (the return's validator sees one record at a time). */
	int		 link_cancelled;	/* the linked record was revoked (a cancelled
					 * closure notice, s78) */
	unsigned	 link_followers;	/* records of this power already following the
					 * linked one (one closure order a notice, R-CLO-007) */
	asb_time	 adult_on;	/* a person's 18th birthday, local midnight (s28 reviews) */
	asb_day		 commenced;	/* this force's own commencement of the power (an area
					 * piloting it), YYYYMMDD: the power is in force from the
					 * earlier of it and the national R-PWR-001 row */
	asb_time	 link_adjourned;	/* the linked notice's hearing adjourned to
					 * (s81), 0 = not adjourned */
	/* Schema 1.1 details; 0 = not so (or, for area_given, not known). */
	int		 interim;	/* an interim order: CBO s26, injunction s7 */
	int		 without_notice;	/* injunction applied for without notice (s6) */
	int		 partial;	/* a closure order closing in part or at times (s80(7)) */
	/* A dispersal direction's record (s35(5), s35(7), s37, s38). */
	int		 area_given;	/* SCH_AREA_GIVEN, SCH_AREA_NONE, or 0 not known (a
					 * return carries no area) */
	asb_time	 leave_by;	/* the time by which to leave the area, 0 = none */
	int		 removed;	/* an under-16 taken home or to a place of safety */
	int		 surrendered;	/* property surrendered (s37) */
};
#define SCH_AREA_GIVEN	1
#define SCH_AREA_NONE	2

/* One lifecycle event, as the rules see it. */
struct sch_event_fact {
	int		 kind;		/* enum sch_event */
	asb_time	 date;
	asb_time	 until;		/* new expiry for extended/varied; 0 = unchanged */
	const char	*rank;		/* rank of whoever authorised it, "" when none */
	int64_t		 amount;	/* FPN amount in pence; -1 when not given */
	/* Who decided a variation, extension or discharge, and on whose application:
	 * codes of codes/parties.tsv, NULL or "" when not recorded (schema 1.1). */
	const char	*decided_by;
	const char	*applicant;
};

#define SCH_MAX_FINDINGS	16
#define SCH_FINDING_MSG		400

struct sch_finding {
	char		 rule[24];
	int		 warning;
	char		 msg[SCH_FINDING_MSG];	/* "<rule text> (<section>): <what to change>" */
};

struct sch_findings {
	unsigned	 n;
	unsigned	 errors;
	struct sch_finding item[SCH_MAX_FINDINGS];
};

/* Check a new use of a power against every rule in force on its issue date.  now is the
 * current time (for R-GEN-008).  Fills *ret (cleared first). */
void	 sch_check_use(const struct sch_use *u, asb_time now, struct sch_findings *ret);

/* A record's life, folded from its events in order. */
enum sch_status {
	SCH_ST_ACTIVE,
	SCH_ST_APPEALED,
	SCH_ST_EXPIRED,
	SCH_ST_DISCHARGED,
	SCH_ST_REVOKED,
	SCH_ST_QUASHED,
	SCH_ST_COUNT
};

struct sch_life {
	asb_time	 issued;
	asb_time	 served;
	asb_time	 expires;	/* current expiry after extensions and variations; 0 = none */
	asb_time	 ended;		/* date of the event that ended it; 0 = not ended by an event */
	int		 end_event;	/* enum sch_event of that event, -1 */
	int		 appeal_pending;
	unsigned	 events;
	unsigned	 breaches;
	unsigned	 fpns;
	unsigned	 extensions;
	asb_time	 last_review;	/* last "reviewed" event, 0 = none */
	asb_time	 last_decision;	/* last extension or variation, 0 = none (appeal time) */
	unsigned	 appeals;	/* "appealed" events */
	unsigned	 fpns_paid;
	int		 fpn_amounts_known;	/* every FPN issued gave its amount */
	int64_t		 fpn_pence;	/* total issued, in pence */
	int64_t		 fpn_paid_pence;	/* total paid with a known amount */
	asb_time	 first_fpn;	/* date of the earliest FPN issued, 0 = none */
	asb_time	 adjourned_to;	/* a closure hearing adjourned to (s81), 0 = none */
};

void	 sch_life_init(struct sch_life *l, const struct sch_use *u);
/* Apply an event already accepted by sch_check_event. */
void	 sch_life_apply(struct sch_life *l, const struct sch_event_fact *e);
/* Status at now: an order past its expiry is expired without an event. */
int	 sch_life_status(const struct sch_life *l, asb_time now);
/* When the record stopped being in force (end event, or expiry passed by now); 0 if it has not. */
asb_time sch_life_end(const struct sch_life *l, asb_time now);

const char *sch_status_code(int status);	/* "active", ... */
int	 sch_status_from_code(const char *code);	/* -1 unknown */

/* Check an event on a record whose use is u and whose life so far is l. */
void	 sch_check_event(const struct sch_use *u, const struct sch_life *l,
	    const struct sch_event_fact *e, asb_time now, struct sch_findings *ret);

/* Dates that make a record due for attention; 0 when none applies.
 * Youth CBO review (s28, R-CBO-004): 12 months after issue or after the last review, when the
 * subject was under 18 at issue, will still be under 18 on that date (u->adult_on, when known)
 * and the order is in force and runs to that date or beyond.
 * Retention review (R-RET-001): 6 years after the record's life ended; for an order with no
 * end date and no statutory term (CPW, CPN), 6 years after issue; never while an
 * indefinite CBO or injunction is in force.
 * Closure hearing (R-CLO-004): 48 hours (Christmas Day disregarded) after a closure notice was
 * served (or issued), or the date its hearing was adjourned to (s81) when later, until the
 * notice is cancelled (revoked or discharged): a notice that lapsed still needs its hearing.  Whether an order already follows it is the caller's to
 * know (the register's 'due' looks at the links). */
asb_time sch_due_youth_review(const struct sch_use *u, const struct sch_life *l, asb_time now);
asb_time sch_due_retention(const struct sch_use *u, const struct sch_life *l, asb_time now);
asb_time sch_due_closure_hearing(const struct sch_use *u, const struct sch_life *l);

#endif
