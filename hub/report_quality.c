/*
 * report_quality.c - the data-quality indicators a statistician checks per force before
 * publishing (the OSR asked the Home Office for more oversight of force data, 2024): how
 * complete the breakdowns are (ethnicity not stated, age band missing, local authority
 * missing, as shares), large changes against the previous quarter and the same quarter a
 * year before, and returns that came late or were corrected.  Counted from the facts stored
 * at intake, as the national figures are.  The facts carry the local authority district,
 * not the LSOA, so "area missing" is the district's absence.
 */
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "facts.h"
#include "report_pub.h"
#include "rtn.h"

struct qcount {
	struct rpt_qforce *f;
	int		 ns;		/* the ethnicity code "NS", or -1 */
	int		 uses_only;
	int64_t		 uses;
};

static int
count_facts(const void *facts, size_t len, void *ctx)
{
	struct qcount *c = ctx;
	struct rtn_facts_reader rd;
	struct rtn_record_facts rf;
	int rc, err;

	if ((err = rtn_facts_open(&rd, facts, len, NULL)) != ASB_OK)
		return err;
	c->uses = 0;
	while ((rc = rtn_facts_next(&rd, &rf, NULL)) == 1) {
		c->uses += rf.issued_in_period ? 1 : 0;
		if (c->uses_only)
			continue;
		c->f->records++;
		if (rf.la_index < 0)
			c->f->la_missing++;
		if (rf.kind != SCH_PERSON)
			continue;
		c->f->persons++;
		if (rf.ethnicity < 0 || rf.ethnicity == c->ns)
			c->f->eth_not_stated++;
		if (rf.age_band < 0)
			c->f->age_missing++;
	}
	return rc < 0 ? ASB_EIO : ASB_OK;
}

/* The quarter n quarters before p (YYYY-Qn) into out. */
static void
quarter_before(const struct rtn_period *p, int n, char out[8])
{
	int k = ((p->label[0] - '0') * 1000 + (p->label[1] - '0') * 100 +
	    (p->label[2] - '0') * 10 + (p->label[3] - '0')) * 4 + (p->label[6] - '1') - n;

	unsigned y = (unsigned)(k / 4) % 10000, q = (unsigned)(k % 4) + 1;

	snprintf(out, 8, "%04u-Q%u", y, q % 5);
}

/* The newest accepted live return received by asof, and how many were accepted by then. */
struct asof {
	asb_time	 asof;
	char		 id[37];
	int		 accepted;
};

static void
newest(const struct hub_return *r, void *ctx)
{
	struct asof *a = ctx;

	if (r->test || strcmp(r->state, "accepted") != 0 || r->received > a->asof)
		return;
	snprintf(a->id, sizeof(a->id), "%s", r->id);
	a->accepted++;
}

/* The latest live return of force for period into id (now, or as it was at asof when that
 * is not 0: a release reproduced sees the store as it was); ASB_ENOTFOUND when none. */
static int
latest_of(struct hub_store *st, const char *force, const char *period, asb_time asof,
    char id[37], int *accepted, struct asb_errbuf *eb)
{
	struct asof a;
	int err;

	if (asof == 0)
		return hub_latest(st, force, period, 0, id);
	memset(&a, 0, sizeof(a));
	a.asof = asof;
	if ((err = hub_return_each(st, force, period, newest, &a, eb)) != ASB_OK)
		return err;
	if (a.id[0] == '\0')
		return ASB_ENOTFOUND;
	memcpy(id, a.id, 37);
	if (accepted != NULL)
		*accepted = a.accepted;
	return ASB_OK;
}

/* Uses in force's latest live return for period, -1 when it has none. */
static int
uses_in(struct hub_store *st, const char *force, const char *period, asb_time asof,
    struct qcount *c, int64_t *ret, struct asb_errbuf *eb)
{
	char id[37];
	int err;

	*ret = -1;
	if ((err = latest_of(st, force, period, asof, id, NULL, eb)) != ASB_OK)
		return err == ASB_ENOTFOUND ? ASB_OK : err;
	c->uses_only = 1;
	if ((err = hub_facts_read(st, id, count_facts, c, eb)) != ASB_OK)
		return err == ASB_ENOTFOUND ? ASB_EIO : err;
	*ret = c->uses;
	return ASB_OK;
}

struct hist {
	int		 accepted;
};

static void
count_accepted(const struct hub_return *r, void *ctx)
{
	struct hist *h = ctx;

	if (!r->test && strcmp(r->state, "rejected") != 0)
		h->accepted++;
}

double
rpt_change(int64_t now, int64_t before, int *ok)
{
	*ok = now >= 0 && before > 0;
	return *ok ? 100.0 * (double)(now - before) / (double)before : 0;
}

static int
flagged(int64_t now, int64_t before)
{
	int ok;
	double c = rpt_change(now, before, &ok);

	if (now >= 0 && before == 0 && now >= RPT_CHANGE_MIN)
		return 1;		/* from nothing to many */
	if (!ok || (now < RPT_CHANGE_MIN && before < RPT_CHANGE_MIN))
		return 0;
	return c >= RPT_CHANGE_PCT || c <= -RPT_CHANGE_PCT;
}

const char *
rpt_share(int64_t part, int64_t whole, char *buf, size_t cap)
{
	if (whole <= 0)
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%.1f", 100.0 * (double)part / (double)whole);
	return buf;
}

int
rpt_quality_build(struct hub_store *st, const char *period, int due_days, asb_time asof,
    struct rpt_quality *ret, struct asb_errbuf *eb)
{
	struct rtn_period p;
	struct qcount c;
	struct hist h;
	struct hub_return hr;
	unsigned i;
	int err;

	memset(ret, 0, sizeof(*ret));
	if ((err = rtn_period_parse(period, &p, eb)) != ASB_OK)
		return err;
	snprintf(ret->period, sizeof(ret->period), "%s", period);
	quarter_before(&p, 1, ret->prev);
	quarter_before(&p, 4, ret->year_ago);
	ret->due = asb_time_add_days(p.end, due_days);
	ret->due_days = due_days;
	ret->nf = rpt_forces_all();
	memset(&c, 0, sizeof(c));
	c.ns = sch_code_index(SCH_LIST_ETHNICITY, "NS");
	for (i = 0; i < ret->nf; i++) {
		struct rpt_qforce *f = &ret->f[i];

		snprintf(f->code, sizeof(f->code), "%s", sch_code_field(SCH_LIST_FORCES, i, 0));
		c.f = f;
		f->uses = -1;
		h.accepted = 0;
		if ((err = latest_of(st, f->code, period, asof, f->return_id, &h.accepted,
		    eb)) != ASB_OK && err != ASB_ENOTFOUND)
			return err;
		if (err == ASB_OK &&
		    hub_return_get(st, f->return_id, &hr, NULL, NULL, NULL, NULL) == ASB_OK) {
			f->has = 1;
			f->received = hr.received;
			f->late = hr.received > ret->due;
			c.uses_only = 0;
			if ((err = hub_facts_read(st, f->return_id, count_facts, &c, eb)) !=
			    ASB_OK)
				return err == ASB_ENOTFOUND ? ASB_EIO : err;
			f->uses = c.uses;
			if (asof == 0 && (err = hub_return_each(st, f->code, period,
			    count_accepted, &h, eb)) != ASB_OK)
				return err;
			f->corrected = h.accepted > 1 ? h.accepted - 1 : 0;
		} else
			f->return_id[0] = '\0';
		if ((err = uses_in(st, f->code, ret->prev, asof, &c, &f->uses_prev, eb)) !=
		    ASB_OK || (err = uses_in(st, f->code, ret->year_ago, asof, &c, &f->uses_year,
		    eb)) != ASB_OK)
			return err;
		f->flag_prev = f->has && flagged(f->uses, f->uses_prev);
		f->flag_year = f->has && flagged(f->uses, f->uses_year);
		ret->flagged += f->flag_prev || f->flag_year;
		ret->late += f->late;
		ret->corrected += f->corrected > 0;
	}
	return ASB_OK;
}
