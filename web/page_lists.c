/*
 * page_lists.c - the lists an officer works from, as the command line's `due` and `repeat`:
 *
 *	GET /due?days=N		everything due within N days (default 28, at most 366; overdue
 *				first, as reg_due gives it): expiries, youth CBO reviews,
 *				closure hearings, retention reviews
 *	GET /repeat?months=N&min=M	subjects and LSOAs with at least M records (default 3) in
 *				the last N months (default 12, at most 120)
 *
 * Every record and subject shown is named in the page's consultation entry; a restricted
 * subject carries its tag.  A bad number re-renders the form with the error summary (400).
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "form.h"
#include "num.h"
#include "page.h"

#define DUE_MAX		500	/* a screen's worth and more: the rest counted */

/* A whole number field of the query in [lo, hi], or def when absent; -1 when bad. */
static int64_t
number(struct web_req *q, const char *name, int64_t lo, int64_t hi, int64_t def)
{
	char buf[24];
	const char *why;
	int64_t v;

	if (form_text(q, name, buf, sizeof(buf)) == -1)
		return -1;
	if (buf[0] == '\0')
		return def;
	if (asb_strtonum(buf, lo, hi, &v, &why) == -1)
		return -1;
	return v;
}

static void
subject_cell(struct web_req *q, uint64_t sid, int *err)
{
	struct reg_subject s;
	char id[REG_ID_BUF];

	reg_subject_id(sid, id);
	pg_cell_open(q);
	if (reg_subject_get(q->app->r, sid, &s, NULL) == ASB_OK) {
		pg_printf(q, "<a class=\"govuk-link\" href=\"/subjects/%s\">%s</a> (%s)", id,
		    s.name, id);
		if (s.restricted != 0) {
			pg_raw(q, " ");
			pg_restricted(q, &s);
		}
		if (*err == ASB_OK)
			*err = reg_audit_subject(q->app->r, sid, NULL);
	} else
		pg_text(q, id);
	pg_cell_close(q);
}

static void
number_form(struct web_req *q, const char *action, const char *id, const char *label,
    const char *hint, const char *error, const char *id2, const char *label2,
    const char *error2)
{
	pg_printf(q, "<form method=\"get\" action=\"%s\" novalidate>", action);
	pg_input(q, id, label, hint, error, web_query(q, id), "text", "off");
	if (id2 != NULL)
		pg_input(q, id2, label2, NULL, error2, web_query(q, id2), "text", "off");
	pg_raw(q, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
	    "data-module=\"govuk-button\">Show</button></form>\n");
}

int
page_due(struct web_req *q)
{
	static const char *const heads[] = { "When", "What", "Record", "Power", "Subject",
		NULL };
	static struct reg_due due[DUE_MAX];	/* the event loop's one thread */
	struct asb_errbuf eb;
	struct pg_error e = { "days", "Days must be a whole number from 1 to 366", NULL };
	size_t n, total, i;
	int64_t days;
	int err, aerr = ASB_OK;

	asb_errbuf_clear(&eb);
	if ((days = number(q, "days", 1, 366, 28)) < 0) {
		q->status = 400;
		pg_head(q, "Error: Due");
		pg_error_summary(q, &e, 1);
		pg_raw(q, "<h1 class=\"govuk-heading-l\">Due</h1>\n");
		number_form(q, "/due", "days", "Within how many days", NULL, e.msg, NULL, NULL,
		    NULL);
		pg_foot(q);
		return ASB_EUSAGE;
	}
	pg_head(q, "Due");
	pg_printf(q, "<h1 class=\"govuk-heading-l\">Due in the next %lld days</h1>\n",
	    (long long)days);
	number_form(q, "/due", "days", "Within how many days", "From 1 to 366.", NULL, NULL,
	    NULL, NULL);
	if ((err = reg_due(q->app->r, q->now, days * 86400, due, DUE_MAX, &n, &total, &eb)) !=
	    ASB_OK)
		return err;
	pg_table_begin(q, "Due", heads);
	for (i = 0; i < n; i++) {
		char id[REG_ID_BUF], href[64], t[ASB_TIME_BUF];

		reg_record_id(due[i].record, id);
		snprintf(href, sizeof(href), "/records/%s", id);
		if (aerr == ASB_OK)
			aerr = reg_audit_record(q->app->r, due[i].record, NULL);
		pg_row_begin(q);
		pg_cell_open(q);
		pg_text(q, asb_time_human(due[i].when, t, sizeof(t)));
		if (due[i].when < q->now) {
			pg_raw(q, " ");
			pg_tag(q, "red", "Overdue");
		}
		pg_cell_close(q);
		pg_cell(q, reg_due_kind_code(due[i].kind));
		pg_cell_link(q, href, id);
		pg_cell(q, sch_power_name(due[i].power));
		subject_cell(q, due[i].subject, &aerr);
		pg_row_end(q);
	}
	pg_table_end(q);
	if (n == 0)
		pg_raw(q, "<p class=\"govuk-body\" id=\"none\">Nothing falls due.</p>\n");
	else if (total > n)
		pg_printf(q, "<p class=\"govuk-body\">%zu in all; the first %zu are shown: ask for "
		    "fewer days.</p>\n", total, n);
	else
		pg_printf(q, "<p class=\"govuk-body\" id=\"count\">%zu due.</p>\n", n);
	pg_foot(q);
	return aerr;
}

struct rep {
	struct web_req	*q;
	size_t		 n;
	int		 err;
};

static int
repeat_one(const struct reg_repeat *rp, void *ctx)
{
	struct rep *c = ctx;
	struct web_req *q = c->q;
	char a[ASB_TIME_BUF], b[ASB_TIME_BUF], count[24];
	uint64_t sid;

	c->n++;
	snprintf(count, sizeof(count), "%llu", (unsigned long long)rp->count);
	pg_row_begin(q);
	pg_cell(q, rp->kind == SCH_PERSON ? "repeat subject" : rp->kind == 0 ?
	    "repeat location" : "repeat subject");
	if (rp->kind != 0 && reg_id_parse(rp->key, 'S', &sid) == 0)
		subject_cell(q, sid, &c->err);
	else
		pg_cell(q, rp->key);
	pg_cell(q, rp->kind == 0 ? "LSOA" : pg_kind(rp->kind));
	pg_cell(q, count);
	pg_cell(q, asb_time_human(rp->first, a, sizeof(a)));
	pg_cell(q, asb_time_human(rp->last, b, sizeof(b)));
	pg_row_end(q);
	return 0;
}

int
page_repeat(struct web_req *q)
{
	static const char *const heads[] = { "What", "Who or where", "Kind", "Records",
		"First", "Last", NULL };
	struct rep c = { q, 0, ASB_OK };
	struct asb_errbuf eb;
	struct pg_error e[2];
	size_t ne = 0;
	int64_t months, min;
	int err;

	asb_errbuf_clear(&eb);
	if ((months = number(q, "months", 1, 120, 12)) < 0)
		e[ne++] = (struct pg_error){ "months", "Months must be a whole number from 1 to "
		    "120", NULL };
	if ((min = number(q, "min", 1, 1000000, 3)) < 0)
		e[ne++] = (struct pg_error){ "min", "At least must be a whole number from 1", NULL };
	if (ne > 0) {
		q->status = 400;
		pg_head(q, "Error: Repeat subjects and locations");
		pg_error_summary(q, e, ne);
		pg_raw(q, "<h1 class=\"govuk-heading-l\">Repeat subjects and locations</h1>\n");
		number_form(q, "/repeat", "months", "In the last how many months", NULL,
		    months < 0 ? e[0].msg : NULL, "min", "At least how many records",
		    min < 0 ? e[ne - 1].msg : NULL);
		pg_foot(q);
		return ASB_EUSAGE;
	}
	pg_head(q, "Repeat subjects and locations");
	pg_printf(q, "<h1 class=\"govuk-heading-l\">Repeat subjects and locations</h1>\n<p "
	    "class=\"govuk-body\">At least %lld records in the last %lld months.</p>\n",
	    (long long)min, (long long)months);
	number_form(q, "/repeat", "months", "In the last how many months", "From 1 to 120.",
	    NULL, "min", "At least how many records", NULL);
	pg_table_begin(q, "Repeats", heads);
	if ((err = reg_repeat(q->app->r, asb_time_add_months(q->now, -(int)months),
	    (uint64_t)min, repeat_one, &c, &eb)) != ASB_OK)
		return err;
	pg_table_end(q);
	if (c.n == 0)
		pg_raw(q, "<p class=\"govuk-body\" id=\"none\">None.</p>\n");
	pg_foot(q);
	return c.err;
}
