/*
 * rules.c - the logic of the statutory rules (see rules.h).  Every limit comes from the rule
 * table through sch_rule_find, so this file names rules but holds no statutory number.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "num.h"
#include "rules.h"
#include "tables.h"

/* The row in force on a local day; the checks below work out the day once per record.
 * The generated table is sorted by rule ID: a binary search finds the rule's rows. */
const struct sch_rule *
sch_rule_on_day(const char *id, int power, asb_day day)
{
	const struct sch_rule *best = NULL, *r;
	unsigned lo = 0, hi = sch_rules_count, mid, i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(sch_rules[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < sch_rules_count && strcmp(sch_rules[i].id, id) == 0;
	    i++) {
		r = &sch_rules[i];
		if ((r->power != power && r->power != -1) || r->from > day)
			continue;
		/* The latest in force; on the same date a power's own row before "*". */
		if (best == NULL || r->from > best->from || (r->from == best->from &&
		    best->power == -1 && r->power != -1))
			best = r;
	}
	return best;
}

#define find sch_rule_on_day

const struct sch_rule *
sch_rule_find(const char *id, int power, asb_time when)
{
	return find(id, power, asb_time_day(when));
}

const struct sch_rule *
sch_rule_at(unsigned i)
{
	return i < sch_rules_count ? &sch_rules[i] : NULL;
}

unsigned
sch_rule_count(void)
{
	return sch_rules_count;
}

int64_t
sch_rule_value(const struct sch_rule *r)
{
	int64_t v;
	const char *why;

	if (r == NULL || asb_strtonum(r->value, 0, INT32_MAX, &v, &why) == -1)
		return -1;
	return v;
}

/* Christmas Day of the year of local day d, as [start, end) in UK civil time. */
static void
christmas(int year, asb_time *start, asb_time *end)
{
	char b[24];

	snprintf(b, sizeof(b), "%04d-12-25", year % 10000);
	if (asb_time_parse(b, start) == -1)
		*start = 0;
	*end = asb_time_add_days(*start, 1);
}

/* start plus secs, not counting any time on Christmas Day. */
static asb_time
add_ex_christmas(asb_time start, int64_t secs)
{
	asb_time t = start, cs, ce;
	int year = asb_time_day(start) / 10000;

	for (;;) {
		christmas(year, &cs, &ce);
		if (cs == 0)
			return t + secs;
		if (t >= ce) {
			year++;
			continue;
		}
		if (t >= cs)
			t = ce;		/* starting on Christmas Day: it begins on the 26th */
		else if (t + secs <= cs)
			return t + secs;
		else {
			secs -= cs - t;
			t = ce;
		}
		if (secs == 0)
			return t;
		year++;
	}
}

asb_time
sch_rule_add(const struct sch_rule *r, asb_time start)
{
	int64_t v = sch_rule_value(r);

	if (v < 0)
		return start;
	if (strcmp(r->unit, "seconds") == 0)
		return start + v;
	if (strcmp(r->unit, "hours") == 0)
		return start + v * 3600;
	if (strcmp(r->unit, "hours-ex-christmas") == 0)
		return add_ex_christmas(start, v * 3600);
	if (strcmp(r->unit, "days") == 0)
		return asb_time_add_days(start, (int)v);
	if (strcmp(r->unit, "weeks") == 0)
		return asb_time_add_days(start, (int)v * 7);
	if (strcmp(r->unit, "months") == 0)
		return asb_time_add_months(start, (int)v);
	if (strcmp(r->unit, "years") == 0)
		return asb_time_add_months(start, (int)v * 12);
	return start;
}

#define add sch_finding_add

/* Record a finding for rule r: its text and section, then what to change. */
void
sch_finding_add(struct sch_findings *f, const struct sch_rule *r, const char *fmt, ...)
{
	struct sch_finding *x;
	char detail[200];
	va_list ap;

	if (f->n == SCH_MAX_FINDINGS)
		return;
	x = &f->item[f->n++];
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	snprintf(x->rule, sizeof(x->rule), "%s", r->id);
	x->warning = r->warning;
	if (strcmp(r->section, "-") == 0)
		snprintf(x->msg, sizeof(x->msg), "%s: %s", r->text, detail);
	else
		snprintf(x->msg, sizeof(x->msg), "%s (%s): %s", r->text,
		    r->section, detail);
	if (!r->warning)
		f->errors++;
}

static const char *
human(asb_time t, char *buf)
{
	return asb_time_human(t, buf, ASB_TIME_BUF);
}

/* expires must not pass start + the rule's limit; an open-ended record passes no limit. */
static void
check_max(struct sch_findings *f, const char *id, int power, asb_day day,
    asb_time start, asb_time expires, const char *what)
{
	const struct sch_rule *r = find(id, power, day);
	asb_time limit;
	char b[ASB_TIME_BUF];

	if (r == NULL)
		return;
	limit = sch_rule_add(r, start);
	if (expires == 0)
		add(f, r, "%s has no end date; give --expires no later than %s",
		    what, human(limit, b));
	else if (expires > limit)
		add(f, r, "%s ends after the limit of %s %s; set the expiry "
		    "no later than %s", what, r->value, strcmp(r->unit,
		    "hours-ex-christmas") == 0 ? "hours, Christmas Day disregarded" :
		    r->unit, human(limit, b));
}

static void
check_min_age(struct sch_findings *f, const char *id, const struct sch_use *u,
    asb_day day)
{
	const struct sch_rule *r = find(id, u->power, day);

	if (r == NULL || u->subject_kind != SCH_PERSON || u->age < 0)
		return;
	if (u->age < sch_rule_value(r))
		add(f, r, "the subject is under %s on the issue date", r->value);
}

static int
rank_at_least(const char *rank, const char *min)
{
	int have = sch_rank_level(rank), want = sch_rank_level(min);

	return have >= 0 && want >= 0 && have >= want;
}

static void
check_min_rank(struct sch_findings *f, const char *id, const struct sch_use *u,
    asb_day day)
{
	const struct sch_rule *r = find(id, u->power, day);

	if (r == NULL || rank_at_least(u->rank, r->value))
		return;
	if (u->rank == NULL || u->rank[0] == '\0')
		add(f, r, "no rank given; give --authorised-by and --rank (%s "
		    "or above)", r->value);
	else
		add(f, r, "rank %s is below %s", u->rank, r->value);
}

static int
is_agency(const struct sch_use *u, const char *code)
{
	return u->agency >= 0 && u->agency == sch_code_index(SCH_LIST_AGENCIES,
	    code);
}

/* Closure notices beyond 24 hours need a superintendent, or a council chief executive. */
static int
closure_senior(const struct sch_use *u, const char *rank, asb_day day)
{
	const struct sch_rule *r = find("R-CLN-004", u->power, day);

	if (r == NULL)
		return 1;
	if (is_agency(u, "local-authority"))
		return rank != NULL && strcmp(rank, "la-chief-executive") == 0;
	return rank_at_least(rank, r->value);
}

/* The required predecessor of a CPN, a dispersal direction or a closure order. */
static void
check_prior(struct sch_findings *f, const char *id, const struct sch_use *u,
    asb_day day)
{
	const struct sch_rule *r = find(id, u->power, day);
	int want;
	char b[ASB_TIME_BUF];

	if (r == NULL)
		return;
	want = sch_code_index(SCH_LIST_POWERS, r->value);
	if (u->link_power != want) {
		add(f, r, "link the earlier %s with --links", r->value);
		return;
	}
	if (!u->link_same_subject && u->power != SCH_DISP_DIR) {
		add(f, r, "the linked %s was given to another subject", r->value);
		return;
	}
	if (u->power == SCH_CPN && u->link_issued >= u->issued) {
		add(f, r, "the linked CPW was issued %s, not before this CPN",
		    human(u->link_issued, b));
		return;
	}
	if (u->power == SCH_DISP_DIR) {
		asb_time end = u->link_expires;

		if (u->link_ended != 0 && (end == 0 || u->link_ended < end))
			end = u->link_ended;
		if (u->issued < u->link_issued || (end != 0 && u->issued >= end))
			add(f, r, "the linked authorisation was not in force "
			    "when the direction was given");
	}
	if (u->power == SCH_CLOSURE_ORDER && u->issued < u->link_issued)
		add(f, r, "the linked closure notice was issued after this order");
}

/* The rules on how long a use of a power may last, for a new record and for a new expiry. */
static void
check_term(const struct sch_use *u, asb_day day, struct sch_findings *f)
{
	const struct sch_rule *r;
	char b[ASB_TIME_BUF];

	switch (u->power) {
	case SCH_PSPO:
		check_max(f, "R-PSPO-001", u->power, day, u->issued,
		    u->expires, "the order");
		break;
	case SCH_INJUNCTION:
		if (u->subject_kind == SCH_PERSON && u->age >= 0 && u->age < 18)
			check_max(f, "R-INJ-002", u->power, day,
			    u->issued, u->expires, "the injunction");
		break;
	case SCH_CBO:
		/* An interim order (s26) lasts until the full hearing: the terms of
		 * s25 are the full order's. */
		if (u->interim)
			break;
		if (u->age >= 18 || u->age < 0) {
			r = find("R-CBO-001", u->power, day);
			if (r != NULL && u->expires != 0 &&
			    u->expires < sch_rule_add(r, u->issued))
				add(f, r, "set the expiry on or after %s, or "
				    "make it indefinite",
				    human(sch_rule_add(r, u->issued), b));
			break;
		}
		r = find("R-CBO-002", u->power, day);
		if (r != NULL && u->expires != 0 &&
		    u->expires < sch_rule_add(r, u->issued))
			add(f, r, "set the expiry on or after %s",
			    human(sch_rule_add(r, u->issued), b));
		check_max(f, "R-CBO-003", u->power, day, u->issued,
		    u->expires, "the order");
		break;
	case SCH_DISP_AUTH:
		check_max(f, "R-DISP-002", u->power, day, u->issued,
		    u->expires, "the authorisation");
		break;
	case SCH_DISP_DIR:
		/* s35(4): it may outlast its authorisation, as long as it began
		 * during it (R-DISP-003): only its own 48 hours bound it. */
		check_max(f, "R-DISP-004", u->power, day, u->issued,
		    u->expires, "the direction");
		break;
	case SCH_CLOSURE_NOTICE:
		if (closure_senior(u, u->rank, day))
			check_max(f, "R-CLN-003", u->power, day,
			    u->issued, u->expires, "the notice");
		else
			check_max(f, "R-CLN-002", u->power, day,
			    u->issued, u->expires, "the notice");
		break;
	case SCH_CLOSURE_ORDER:
		check_max(f, "R-CLO-001", u->power, day, u->issued,
		    u->expires, "the order");
		break;
	}
}

void
sch_check_use(const struct sch_use *u, asb_time now, struct sch_findings *f)
{
	const struct sch_rule *r;
	char b[ASB_TIME_BUF], c[ASB_TIME_BUF];
	asb_day day = asb_time_day(u->issued);
	int follows;

	memset(f, 0, sizeof(*f));
	/* R-PWR-001 is the one rule whose absence refuses: no commencement, no power.
	 * A force piloting a power has its own commencement (u->commenced). */
	if (find("R-PWR-001", u->power, day) == NULL &&
	    (u->commenced == 0 || u->commenced > day)) {
		static const struct sch_rule none = { "R-PWR-001", -1, "in_force",
		    "-", "-", 0, 0, "-", "the power is not in force on the "
		    "issue date" };

		if (u->commenced != 0)
			add(f, &none, "this force's commencement of the %s is "
			    "%04d-%02d-%02d, after %s; correct --issued",
			    sch_power_code(u->power), u->commenced / 10000,
			    u->commenced / 100 % 100, u->commenced % 100,
			    human(u->issued, b));
		else
			add(f, &none, "no commencement of the %s on or before %s "
			    "is recorded in the rule table (a force piloting it "
			    "records its own: 'asbreg commence')",
			    sch_power_code(u->power), human(u->issued, b));
		return;
	}
	if ((r = find("R-GEN-008", u->power, day)) != NULL) {
		if (u->issued > sch_rule_add(r, now))
			add(f, r, "the issue date %s is in the future",
			    human(u->issued, b));
		if (u->served > sch_rule_add(r, now))
			add(f, r, "the service date %s is in the future",
			    human(u->served, b));
	}
	if ((r = find("R-GEN-003", u->power, day)) != NULL &&
	    !sch_power_allows_subject(u->power, u->subject_kind))
		add(f, r, "a %s cannot be used on a %s; it applies to: %s",
		    sch_power_code(u->power),
		    sch_subject_kind_code(u->subject_kind),
		    sch_code_field(SCH_LIST_POWERS, (unsigned)u->power, 2));
	if ((r = find("R-GEN-001", u->power, day)) != NULL &&
	    u->served != 0 && u->served < u->issued)
		add(f, r, "served %s but issued %s; correct --served or --issued",
		    human(u->served, b), human(u->issued, c));
	if ((r = find("R-GEN-004", u->power, day)) != NULL &&
	    u->expires != 0 && u->expires <= u->issued)
		add(f, r, "the expiry is not after the issue date");
	follows = sch_power_follows(u->power);
	if ((r = find("R-GEN-005", u->power, day)) != NULL &&
	    u->link_power >= 0 && u->link_power != follows)
		add(f, r, "a %s cannot follow a %s%s%s",
		    sch_power_code(u->power), sch_power_code(u->link_power),
		    follows >= 0 ? "; link a " : "",
		    follows >= 0 ? sch_power_code(follows) : "");

	switch (u->power) {
	case SCH_CPW:
		check_min_age(f, "R-CPW-001", u, day);
		break;
	case SCH_CPN:
		check_min_age(f, "R-CPN-001", u, day);
		check_prior(f, "R-CPN-002", u, day);
		break;
	case SCH_PSPO:
		if ((r = find("R-PSPO-003", u->power, day)) !=
		    NULL && !is_agency(u, r->value))
			add(f, r, "give --agency %s", r->value);
		break;
	case SCH_INJUNCTION:
		check_min_age(f, "R-INJ-001", u, day);
		break;
	case SCH_CBO:
		check_min_age(f, "R-CBO-005", u, day);
		break;
	case SCH_RESPECT_ORDER:
		check_min_age(f, "R-RESP-001", u, day);
		break;
	case SCH_YOUTH_INJUNCTION:
		check_min_age(f, "R-YINJ-001", u, day);
		r = find("R-YINJ-002", u->power, day);
		if (r != NULL && u->subject_kind == SCH_PERSON &&
		    u->age > sch_rule_value(r))
			add(f, r, "the subject is over %s on the issue date",
			    r->value);
		break;
	case SCH_DISP_AUTH:
		check_min_rank(f, "R-DISP-001", u, day);
		break;
	case SCH_DISP_DIR:
		check_prior(f, "R-DISP-003", u, day);
		check_min_age(f, "R-DISP-006", u, day);
		break;
	case SCH_CLOSURE_NOTICE:
		if (is_agency(u, "police") || is_agency(u, "btp"))
			check_min_rank(f, "R-CLN-001", u, day);
		break;
	case SCH_CLOSURE_ORDER:
		check_prior(f, "R-CLO-003", u, day);
		if (u->link_power == SCH_CLOSURE_NOTICE) {
			if ((r = find("R-CLO-006", u->power, day)) != NULL &&
			    u->link_cancelled)
				add(f, r, "the linked notice was cancelled; link "
				    "the notice the court heard");
			if ((r = find("R-CLO-007", u->power, day)) != NULL &&
			    u->link_followers > 0)
				add(f, r, "the linked notice already has a closure "
				    "order: record 'extended' or 'varied' on it");
		}
		r = find("R-CLO-004", u->power, day);
		/* s81: an adjourned hearing may be later, up to the date it was
		 * adjourned to. */
		if (r != NULL && u->link_power == SCH_CLOSURE_NOTICE &&
		    u->issued > sch_rule_add(r, u->link_served != 0 ?
		    u->link_served : u->link_issued) &&
		    (u->link_adjourned == 0 || u->issued > u->link_adjourned))
			add(f, r, "the order was made more than %s hours after "
			    "the notice was served%s; record 'adjourned' on the "
			    "notice (s81) if the hearing was adjourned", r->value,
			    u->link_adjourned ? " and after the adjourned hearing" : "");
		break;
	}
	sch_check_details(u, day, f);
	/* After the power's own rules, so that R-PSPO-003 (the older rule) speaks first. */
	if ((r = find("R-AUTH-001", u->power, day)) != NULL && u->agency >= 0 &&
	    !sch_may_use(u->power, u->agency, u->issued)) {
		struct sch_rule at = *r;
		asb_day from;
		char who[160];

		at.section = sch_authority_section(u->power, u->agency);
		sch_authority_list(u->power, day, who, sizeof(who));
		if (sch_authority_row(u->power, u->agency, &from) >= 0)
			add(f, &at, "%s may use the %s only once the law giving it "
			    "commences (not by %s); correct --agency (%s)",
			    sch_code_field(SCH_LIST_AGENCIES, (unsigned)u->agency,
			    0), sch_power_code(u->power), human(u->issued, b),
			    who);
		else
			add(f, &at, "%s may not use the %s power; correct "
			    "--agency to the body that used it: %s",
			    sch_code_field(SCH_LIST_AGENCIES, (unsigned)u->agency,
			    0), sch_power_code(u->power), who);
	}
	check_term(u, day, f);
}

/* Check a new expiry given by an extension or a variation. */
static void
check_new_expiry(const struct sch_use *u, const struct sch_life *l,
    const struct sch_event_fact *e, asb_day day, struct sch_findings *f)
{
	struct sch_use v = *u;
	const struct sch_rule *r;
	char b[ASB_TIME_BUF];

	if ((r = find("R-GEN-007", u->power, day)) != NULL &&
	    (e->until <= u->issued || (e->kind == SCH_EV_EXTENDED &&
	    l->expires != 0 && e->until <= l->expires))) {
		add(f, r, "give --until after %s", human(e->kind ==
		    SCH_EV_EXTENDED && l->expires ? l->expires : u->issued, b));
		return;
	}
	switch (u->power) {
	case SCH_PSPO:
		check_max(f, "R-PSPO-002", u->power, day,
		    l->expires != 0 ? l->expires : u->issued, e->until,
		    "the extension");
		return;
	case SCH_CLOSURE_NOTICE:
		r = find("R-CLN-004", u->power, day);
		if (r != NULL && e->until > sch_rule_add(find("R-CLN-002",
		    u->power, day), u->issued) &&
		    !closure_senior(u, e->rank, day))
			add(f, r, "give the extending officer's --rank "
			    "(superintendent or above, or la-chief-executive)");
		check_max(f, "R-CLN-003", u->power, day, u->issued,
		    e->until, "the notice with its extension");
		return;
	case SCH_CLOSURE_ORDER:
		if (e->kind == SCH_EV_EXTENDED)
			check_max(f, "R-CLO-005", u->power, day, l->expires != 0 ?
			    l->expires : u->issued, e->until, "the extension");
		check_max(f, "R-CLO-002", u->power, day, u->issued,
		    e->until, "the order with its extensions");
		return;
	}
	/* Every other power: the new term must still meet the rules on the term. */
	v.expires = e->until;
	check_term(&v, day, f);
}

/* Appeals: only where the law gives one (R-APP-001), in time (R-APP-002), an outcome after
 * an appeal (R-APP-003). */
static void
check_appeal(const struct sch_use *u, const struct sch_life *l,
    const struct sch_event_fact *e, asb_day day, struct sch_findings *f)
{
	const struct sch_rule *r;
	asb_time from, last;
	char b[ASB_TIME_BUF], c[ASB_TIME_BUF];

	if (e->kind != SCH_EV_APPEALED && e->kind != SCH_EV_APPEAL_ALLOWED &&
	    e->kind != SCH_EV_APPEAL_DISMISSED)
		return;
	if ((r = find("R-APP-001", u->power, day)) != NULL) {
		add(f, r, "no appeal event can be recorded on a %s; record a "
		    "judicial review or a complaint in a note",
		    sch_power_code(u->power));
		return;
	}
	if (e->kind != SCH_EV_APPEALED) {
		if ((r = find("R-APP-003", u->power, day)) != NULL &&
		    l->appeals == 0)
			add(f, r, "record 'appealed' (the date it was lodged) "
			    "first");
		return;
	}
	if ((r = find("R-APP-002", u->power, day)) == NULL)
		return;
	/* Time runs from the day of the decision appealed: the notice's issue
	 * (its service when recorded) for a CPN, the order or its latest
	 * extension or variation otherwise; the first day counts. */
	from = u->issued;
	if (u->power == SCH_CPN && l->served != 0)
		from = l->served;
	if (l->last_decision > from)
		from = l->last_decision;
	{
		char d[16];

		asb_day_format(asb_time_day(from), d, sizeof(d));
		if (asb_time_parse(d, &from) == -1)
			return;
	}
	last = sch_rule_add(r, from);	/* midnight after the last day */
	if (e->date >= last)
		add(f, r, "the appeal is dated %s, after the last day (%s) of "
		    "the %s %s allowed; check the date, and note why the court "
		    "heard it out of time", human(e->date, b),
		    human(asb_time_add_days(last, -1), c), r->value, r->unit);
}

/* Paying a fixed penalty: after one was issued, once each, for no more than its amount. */
static void
check_fpn_paid(const struct sch_use *u, const struct sch_life *l,
    const struct sch_event_fact *e, asb_day day, struct sch_findings *f)
{
	const struct sch_rule *r = find("R-FPN-004", u->power, day);
	char b[ASB_TIME_BUF];

	if (r == NULL)
		return;
	if (l->fpns == 0)
		add(f, r, "no fixed penalty was issued on this record: record "
		    "'fpn-issued' first");
	else if (l->fpns_paid >= l->fpns)
		add(f, r, "every fixed penalty issued on this record (%u) is "
		    "already paid", l->fpns);
	else if (e->date < l->first_fpn)
		add(f, r, "the payment is dated before the first fixed penalty "
		    "was issued (%s); correct --date", human(l->first_fpn, b));
	else if (e->amount >= 0 && l->fpn_amounts_known &&
	    l->fpn_paid_pence + e->amount > l->fpn_pence)
		add(f, r, "the payment is more than the %lld.%02lld pounds "
		    "issued and unpaid; correct --amount",
		    (long long)((l->fpn_pence - l->fpn_paid_pence) / 100),
		    (long long)((l->fpn_pence - l->fpn_paid_pence) % 100));
}

void
sch_check_event(const struct sch_use *u, const struct sch_life *l,
    const struct sch_event_fact *e, asb_time now, struct sch_findings *f)
{
	asb_day day = asb_time_day(u->issued);
	const struct sch_rule *r;
	asb_time end;
	char b[ASB_TIME_BUF], c[ASB_TIME_BUF];
	int follow_up, late_ok;

	memset(f, 0, sizeof(*f));
	if ((r = find("R-GEN-008", u->power, day)) != NULL &&
	    e->date > sch_rule_add(r, now))
		add(f, r, "the event date %s is in the future", human(e->date, b));
	/* Payment of an FPN and an appeal's outcome follow an earlier event
	 * and may come after the order has ended. */
	follow_up = e->kind == SCH_EV_FPN_PAID ||
	    e->kind == SCH_EV_APPEAL_ALLOWED ||
	    e->kind == SCH_EV_APPEAL_DISMISSED;
	/* The hearing of a lapsed closure notice may still be adjourned (s81). */
	late_ok = follow_up || e->kind == SCH_EV_ADJOURNED;
	/* The rule is about the event's date: one entered late, dated before the end,
	 * is as valid as one entered on the day. */
	if ((r = find("R-GEN-006", u->power, day)) != NULL &&
	    l->ended != 0 && e->date > l->ended && !follow_up)
		add(f, r, "the record ended (%s) on %s; an event dated after "
		    "that cannot be recorded", sch_event_code(l->end_event),
		    human(l->ended, b));
	if ((r = find("R-GEN-002", u->power, day)) != NULL) {
		end = l->expires;
		if (e->date < u->issued)
			add(f, r, "the event is dated %s, before the record "
			    "was issued on %s", human(e->date, b),
			    human(u->issued, c));
		else if (!late_ok && e->kind != SCH_EV_EXPIRED &&
		    l->ended == 0 && end != 0 && e->date > end)
			add(f, r, "the event is dated %s, after the record "
			    "expired on %s", human(e->date, b), human(end, c));
	}
	if (e->kind == SCH_EV_SERVED &&
	    (r = find("R-GEN-001", u->power, day)) != NULL &&
	    e->date < u->issued)
		add(f, r, "served %s but issued %s", human(e->date, b),
		    human(u->issued, c));
	if (e->kind == SCH_EV_EXTENDED || (e->kind == SCH_EV_VARIED &&
	    e->until != 0)) {
		r = find("R-GEN-007", u->power, day);
		if (e->until == 0 && r != NULL)
			add(f, r, "an extension needs --until (the new expiry)");
		else
			check_new_expiry(u, l, e, day, f);
	}
	check_appeal(u, l, e, day, f);
	if (e->kind == SCH_EV_BREACHED &&
	    (r = find("R-BRE-001", u->power, day)) != NULL)
		add(f, r, "record the breach on the %s instead",
		    u->power == SCH_CPW ? "CPN" : "direction");
	if (e->kind == SCH_EV_FPN_PAID)
		check_fpn_paid(u, l, e, day, f);
	if (e->kind == SCH_EV_ADJOURNED)
		sch_check_adjourned(u, e, day, f);
	sch_check_decision(u, e, day, f);
	if (e->kind == SCH_EV_FPN_ISSUED) {
		r = find("R-FPN-002", u->power, day);
		if (r != NULL && u->power != SCH_CPN && u->power != SCH_PSPO)
			add(f, r, "record the breach with 'breached' instead");
		else if ((r = find("R-FPN-003", u->power, day)) != NULL &&
		    e->amount < 0)
			add(f, r, "give --amount POUNDS (the amount on the notice)");
		r = sch_rule_find("R-FPN-001", u->power, e->date);
		if (r != NULL && e->amount >= 0 &&
		    e->amount > sch_rule_value(r) * 100)
			add(f, r, "the maximum on %s is %s %s",
			    human(e->date, b), r->value, r->unit);
	}
}
