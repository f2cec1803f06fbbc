/*
 * summary.c - a return's uses by power against the last acknowledged return for the quarter
 * before (summary.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asb_limits.h"
#include "facts.h"
#include "outbox.h"
#include "rtn.h"
#include "summary.h"

void
gw_tally_record(const struct rtn_record_facts *f, void *ctx)
{
	struct gw_tally *t = ctx;

	t->records++;
	/* a record there only for an event in the quarter is not a use of it */
	if (!f->issued_in_period || f->power < 0 || f->power >= SCH_POWER_COUNT)
		return;
	t->uses[f->power]++;
	t->total++;
}

int
gw_period_before(const char *period, char out[8], struct asb_errbuf *eb)
{
	struct rtn_period p;
	int err, y, q;

	if ((err = rtn_period_parse(period, &p, eb)) != ASB_OK)
		return err;
	/* rtn_period_parse checked "YYYY-Qn": the digits are there */
	y = (p.label[0] - '0') * 1000 + (p.label[1] - '0') * 100 + (p.label[2] - '0') * 10 +
	    (p.label[3] - '0');
	q = p.label[6] - '0';
	if (--q == 0) {
		q = 4;
		y--;
	}
	/* 2014 to 2099 parsed: the year before is four digits too */
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	memcpy(out + 4, "-Q", 2);
	out[6] = (char)('0' + q);
	out[7] = '\0';
	return ASB_OK;
}

/* The outbox's latest acknowledged, accepted, live entry for one period. */
struct pick {
	const char	*period;
	struct ob_entry	 e;
	int		 found;
};

static void
pick_acked(const struct ob_entry *e, void *ctx)
{
	struct pick *p = ctx;

	if (e->test || strcmp(e->period, p->period) != 0 ||
	    strcmp(e->state, "acknowledged") != 0 || strcmp(e->outcome, "accepted") != 0)
		return;
	/* the later return for a period is what the hub counts (a correction supersedes) */
	if (p->found && e->added < p->e.added)
		return;
	p->e = *e;
	p->found = 1;
}

int
gw_baseline_load(const char *register_dir, struct outbox *ob, const char *period,
    const struct rtn_schema *schema, struct gw_baseline *ret, struct asb_errbuf *eb)
{
	struct rtn_validate_opts vo;
	struct rtn_validate_result vr;
	struct gw_baseline b;
	struct outbox *own = NULL;
	struct pick p;
	struct asb_errbuf veb;
	struct stat st;
	char path[4200], *body = NULL;
	size_t blen = 0;
	int err;

	memset(&b, 0, sizeof(b));
	if ((err = gw_period_before(period, b.period, eb)) != ASB_OK)
		return err;
	if (ob == NULL) {
		/* no outbox: nothing was ever acknowledged (and none is made here) */
		snprintf(path, sizeof(path), "%s/outbox/data.mdb", register_dir);
		if (stat(path, &st) == -1) {
			*ret = b;
			return ASB_OK;
		}
		if ((err = ob_open(register_dir, &own, eb)) != ASB_OK)
			return err;
		ob = own;
	}
	memset(&p, 0, sizeof(p));
	p.period = b.period;
	if ((err = ob_each(ob, pick_acked, &p, eb)) != ASB_OK)
		goto out;
	if (!p.found) {
		*ret = b;
		goto out;
	}
	if (ob_get(ob, p.e.id, &p.e, &body, &blen, NULL, NULL) != ASB_OK || body == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "the outbox lists return %s but cannot "
		    "give its bytes", p.e.id);
		goto out;
	}
	/* Counted from the facts the validator reads, as the hub counted it: the bytes the
	 * hub accepted, signature and all.  Findings do not matter here (the hub judged it
	 * when it was sent; the rules may have changed since): every record is walked. */
	memset(&vo, 0, sizeof(vo));
	vo.max_errors = 1000000;
	vo.schema = schema;
	vo.max_bytes = ASB_HUB_MAX_BODY;
	vo.record = gw_tally_record;
	vo.record_ctx = &b.t;
	asb_errbuf_clear(&veb);
	err = rtn_validate_mem(body, blen, p.e.id, &vo, &vr, &veb);
	if ((err != ASB_OK && err != ASB_ERULE) || (err == ASB_ERULE && vr.errors == 0)) {
		err = asb_fail(eb, ASB_EIO, NULL, "return %s in the outbox cannot be read "
		    "back: %s", p.e.id, veb.msg);
		goto out;
	}
	err = ASB_OK;
	snprintf(b.return_id, sizeof(b.return_id), "%s", p.e.id);
	b.added = p.e.added;
	b.acknowledged = p.e.done;
	*ret = b;
out:
	free(body);
	ob_close(own);
	return err;
}

void
gw_change_of(uint64_t now, uint64_t before, const struct gw_threshold *th,
    struct gw_change *ret)
{
	struct gw_change c;
	uint64_t mag;

	memset(&c, 0, sizeof(c));
	c.now = now;
	c.before = before;
	mag = now >= before ? now - before : before - now;
	c.diff = now >= before ? (int64_t)mag : -(int64_t)mag;
	if (before > 0) {
		c.have_pct = 1;
		/* round half away from zero, in integers: 1 of 3 is 33%, 1 of 8 is 13% */
		c.pct = (int64_t)((200 * mag + before) / (2 * before));
		if (c.diff < 0)
			c.pct = -c.pct;
	}
	/* more than pct percent (exactly, not the rounded figure), and at least min uses;
	 * from nothing, min uses alone */
	c.flagged = mag > 0 && mag >= th->min && (before == 0 ||
	    100 * mag > (uint64_t)th->pct * before);
	*ret = c;
}
