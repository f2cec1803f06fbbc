/*
 * life.c - a record's life folded from its events (expiry, end, status), and the dates that
 * make it due for attention (see rules.h).  The limits come from the rule table.
 */
#include <string.h>

#include "codes.h"
#include "rules.h"

void
sch_life_init(struct sch_life *l, const struct sch_use *u)
{
	memset(l, 0, sizeof(*l));
	l->issued = u->issued;
	l->served = u->served;
	l->expires = u->expires;
	l->end_event = -1;
	l->fpn_amounts_known = 1;
}

void
sch_life_apply(struct sch_life *l, const struct sch_event_fact *e)
{
	l->events++;
	switch (e->kind) {
	case SCH_EV_SERVED:
		if (l->served == 0)
			l->served = e->date;
		break;
	case SCH_EV_APPEALED:
		l->appeal_pending = 1;
		l->appeals++;
		break;
	case SCH_EV_APPEAL_DISMISSED:
		l->appeal_pending = 0;
		break;
	case SCH_EV_EXTENDED:
	case SCH_EV_VARIED:
		if (e->until != 0) {
			l->expires = e->until;
			l->extensions += e->kind == SCH_EV_EXTENDED;
		}
		if (e->date > l->last_decision)
			l->last_decision = e->date;
		break;
	case SCH_EV_BREACHED:
		l->breaches++;
		break;
	case SCH_EV_FPN_ISSUED:
		l->fpns++;
		if (e->amount >= 0)
			l->fpn_pence += e->amount;
		else
			l->fpn_amounts_known = 0;
		if (l->first_fpn == 0 || e->date < l->first_fpn)
			l->first_fpn = e->date;
		break;
	case SCH_EV_FPN_PAID:
		l->fpns_paid++;
		if (e->amount >= 0)
			l->fpn_paid_pence += e->amount;
		break;
	case SCH_EV_REVIEWED:
		l->last_review = e->date;
		break;
	case SCH_EV_ADJOURNED:
		/* s81: the notice continues in force until the adjourned hearing. */
		if (e->until > l->adjourned_to)
			l->adjourned_to = e->until;
		if (l->expires != 0 && e->until > l->expires)
			l->expires = e->until;
		break;
	}
	/* Entered late, an earlier end is the end. */
	if (sch_event_ends(e->kind) && (l->ended == 0 || e->date < l->ended)) {
		l->ended = e->date;
		l->end_event = e->kind;
		l->appeal_pending = 0;
	}
}

int
sch_life_status(const struct sch_life *l, asb_time now)
{
	if (l->ended != 0) {
		switch (l->end_event) {
		case SCH_EV_APPEAL_ALLOWED:
			return SCH_ST_QUASHED;
		case SCH_EV_DISCHARGED:
			return SCH_ST_DISCHARGED;
		case SCH_EV_REVOKED:
			return SCH_ST_REVOKED;
		default:
			return SCH_ST_EXPIRED;
		}
	}
	if (l->expires != 0 && now >= l->expires)
		return SCH_ST_EXPIRED;
	return l->appeal_pending ? SCH_ST_APPEALED : SCH_ST_ACTIVE;
}

asb_time
sch_life_end(const struct sch_life *l, asb_time now)
{
	if (l->ended != 0 && (l->expires == 0 || l->ended < l->expires))
		return l->ended;
	if (l->expires != 0 && l->expires <= now)
		return l->expires;
	return l->ended;
}

static const char *const status_codes[SCH_ST_COUNT] = {
	"active", "appealed", "expired", "discharged", "revoked", "quashed"
};

const char *
sch_status_code(int status)
{
	return status >= 0 && status < SCH_ST_COUNT ? status_codes[status] :
	    "unknown";
}

int
sch_status_from_code(const char *code)
{
	int i;

	for (i = 0; i < SCH_ST_COUNT; i++)
		if (strcmp(code, status_codes[i]) == 0)
			return i;
	return -1;
}

asb_time
sch_due_youth_review(const struct sch_use *u, const struct sch_life *l,
    asb_time now)
{
	const struct sch_rule *r = sch_rule_find("R-CBO-004", u->power,
	    u->issued);

	asb_time due;

	if (r == NULL || u->power != SCH_CBO || u->age < 0 || u->age >= 18 ||
	    sch_life_end(l, now) != 0)
		return 0;
	due = sch_rule_add(r, l->last_review > u->issued ? l->last_review :
	    u->issued);
	/* s28: only for a person still under 18 at the end of the review period,
	 * on an order that runs that long. */
	if ((u->adult_on != 0 && due >= u->adult_on) ||
	    (l->expires != 0 && l->expires < due))
		return 0;
	return due;
}

asb_time
sch_due_retention(const struct sch_use *u, const struct sch_life *l,
    asb_time now)
{
	const struct sch_rule *r = sch_rule_find("R-RET-001", u->power,
	    u->issued);
	asb_time end = sch_life_end(l, now);

	if (r == NULL)
		return 0;
	if (end == 0) {
		if (l->expires != 0 || (u->power != SCH_CPW &&
		    u->power != SCH_CPN))
			return 0;	/* still in force */
		end = u->issued;
	}
	return sch_rule_add(r, end);
}

asb_time
sch_due_closure_hearing(const struct sch_use *u, const struct sch_life *l)
{
	const struct sch_rule *r = sch_rule_find("R-CLO-004", SCH_CLOSURE_ORDER,
	    u->issued);
	asb_time due;

	/* A notice that lapsed (expired) still needs its hearing; a cancelled one
	 * (s78: revoked, or discharged) does not. */
	if (r == NULL || u->power != SCH_CLOSURE_NOTICE ||
	    (l->ended != 0 && (l->end_event == SCH_EV_REVOKED ||
	    l->end_event == SCH_EV_DISCHARGED)))
		return 0;
	due = sch_rule_add(r, l->served != 0 ? l->served : u->issued);
	return l->adjourned_to > due ? l->adjourned_to : due;
}
