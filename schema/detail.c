/*
 * detail.c - the rules on the details schema 1.1 added (see rules.h): interim and without-notice
 * orders (s6, s7, s26), partial closure orders (s80(7)), a dispersal direction's record (s35(5),
 * s35(7), s37, s38), an adjourned closure hearing (s81) and who decided a variation (R-VAR-*).
 * Every limit comes from the rule table.
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "rules.h"
#include "tables.h"

#define find sch_rule_on_day
#define add sch_finding_add

static const char *
human(asb_time t, char *buf)
{
	return asb_time_human(t, buf, ASB_TIME_BUF);
}

/* code is one of the comma-separated codes of list. */
static int
listed(const char *list, const char *code)
{
	size_t n = strlen(code);
	const char *p;

	for (p = list; n > 0 && (p = strstr(p, code)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return 1;
	return 0;
}

/* The details of schema 1.1, each only on the powers the Act gives it to (R-INT-001,
 * R-INT-002, R-CLO-008, R-DISP-010), and a dispersal direction's record (s35, s38). */
void
sch_check_details(const struct sch_use *u, asb_day day, struct sch_findings *f)
{
	const struct sch_rule *r;
	const char *pc = sch_power_code(u->power);
	char b[ASB_TIME_BUF], c[ASB_TIME_BUF];

	if (u->interim && (r = find("R-INT-001", u->power, day)) != NULL &&
	    !listed(r->value, pc))
		add(f, r, "a %s is never interim; leave out --interim", pc);
	if (u->without_notice && (r = find("R-INT-002", u->power, day)) != NULL) {
		if (!listed(r->value, pc))
			add(f, r, "a %s is not applied for without notice; leave out "
			    "--without-notice", pc);
		else if (!u->interim)
			add(f, r, "record the interim injunction the court granted "
			    "(--interim), and the full order as a new record");
	}
	if (u->partial && (r = find("R-CLO-008", u->power, day)) != NULL &&
	    !listed(r->value, pc))
		add(f, r, "a %s is not partial; leave out --partial", pc);
	if ((u->area_given == SCH_AREA_GIVEN || u->leave_by != 0 || u->removed ||
	    u->surrendered) && (r = find("R-DISP-010", u->power, day)) != NULL &&
	    !listed(r->value, pc))
		add(f, r, "leave out --area, --leave-by, --removed-to and --surrendered "
		    "on a %s", pc);
	if (u->power != SCH_DISP_DIR)
		return;
	if (u->area_given == SCH_AREA_NONE &&
	    (r = find("R-DISP-009", u->power, day)) != NULL)
		add(f, r, "give --area (the streets or place the person is to leave)");
	if (u->leave_by != 0 && (r = find("R-DISP-008", u->power, day)) != NULL) {
		if (u->leave_by < u->issued)
			add(f, r, "--leave-by %s is before the direction was given "
			    "(%s); correct it", human(u->leave_by, b),
			    human(u->issued, c));
		else if (u->expires != 0 && u->leave_by > u->expires)
			add(f, r, "--leave-by %s is after the direction ends (%s); "
			    "correct it", human(u->leave_by, b), human(u->expires, c));
	}
	if (u->removed && u->subject_kind == SCH_PERSON && u->age >= 0 &&
	    (r = find("R-DISP-007", u->power, day)) != NULL &&
	    u->age > sch_rule_value(r))
		add(f, r, "the subject was 16 or over on the day: check the date of "
		    "birth, and note why the constable believed otherwise");
}

/* An adjourned closure hearing (s81): on a closure notice, to a date at most 14 days on. */
void
sch_check_adjourned(const struct sch_use *u, const struct sch_event_fact *e, asb_day day,
    struct sch_findings *f)
{
	const struct sch_rule *r;
	char b[ASB_TIME_BUF];

	if ((r = find("R-CLO-010", u->power, day)) != NULL &&
	    !listed(r->value, sch_power_code(u->power))) {
		add(f, r, "record the adjournment on the closure notice, not on a %s",
		    sch_power_code(u->power));
		return;
	}
	if ((r = find("R-CLO-009", u->power, day)) == NULL)
		return;
	if (e->until == 0 || e->until <= e->date)
		add(f, r, "give --until, the date and time the hearing was "
		    "adjourned to (after --date)");
	else if (e->until > sch_rule_add(r, e->date))
		add(f, r, "the hearing is adjourned to after %s, more than %s %s on",
		    human(sch_rule_add(r, e->date), b), r->value, r->unit);
}

/* Who decided a variation, extension or discharge, and on whose application. */
void
sch_check_decision(const struct sch_use *u, const struct sch_event_fact *e, asb_day day,
    struct sch_findings *f)
{
	const struct sch_rule *r;
	int by = e->decided_by != NULL && e->decided_by[0] != '\0';
	int app = e->applicant != NULL && e->applicant[0] != '\0';

	if (!by && !app)
		return;
	if ((r = find("R-VAR-003", u->power, day)) != NULL &&
	    !listed(r->value, sch_event_code(e->kind))) {
		add(f, r, "leave out --decided-by and --applicant on '%s'",
		    sch_event_code(e->kind));
		return;
	}
	if (by && (r = find("R-VAR-001", u->power, day)) != NULL &&
	    strcmp(r->value, e->decided_by) != 0)
		add(f, r, "give --decided-by %s", r->value);
	if (app && (r = find("R-VAR-002", u->power, day)) != NULL &&
	    !listed(r->value, e->applicant))
		add(f, r, "--applicant %s is not one who may apply for a %s: one of "
		    "%s", e->applicant, sch_power_code(u->power), r->value);
}
