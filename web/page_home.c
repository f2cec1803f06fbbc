/*
 * page_home.c - GET /: the officer's start page: the search box, what falls due this week
 * (reg_due: expiries, youth CBO reviews, closure hearings, retention reviews) and the newest
 * records (reg_records_recent), each record and subject shown named in the consultation.
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "page.h"

#define HOME_DUE_MAX	20
#define HOME_RECENT	10
#define WEEK		(7 * 24 * 3600)

struct recent {
	struct web_req	*q;
	int		 err;
};

static void
subject_cell(struct web_req *q, uint64_t sid, int *err)
{
	struct reg_subject s;
	char id[REG_ID_BUF], href[64];

	reg_subject_id(sid, id);
	snprintf(href, sizeof(href), "/subjects/%s", id);
	pg_cell_open(q);
	if (reg_subject_get(q->app->r, sid, &s, NULL) == ASB_OK) {
		pg_printf(q, "<a class=\"govuk-link\" href=\"%s\">%s</a> (%s)", href, s.name, id);
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

static int
recent_one(const struct reg_record *rec, void *ctx)
{
	struct recent *rc = ctx;
	struct web_req *q = rc->q;
	char id[REG_ID_BUF], href[64], t[ASB_TIME_BUF];

	reg_record_id(rec->id, id);
	snprintf(href, sizeof(href), "/records/%s", id);
	if (rc->err == ASB_OK)
		rc->err = reg_audit_record(q->app->r, rec->id, NULL);
	pg_row_begin(q);
	pg_cell_link(q, href, id);
	pg_cell(q, sch_power_name(rec->power));
	subject_cell(q, rec->subject, &rc->err);
	pg_cell(q, asb_time_human(rec->issued, t, sizeof(t)));
	pg_row_end(q);
	return 0;
}

int
page_home(struct web_req *q)
{
	static const char *const due_heads[] = { "When", "What", "Record", "Subject", NULL };
	static const char *const rec_heads[] = { "Record", "Power", "Subject", "Issued", NULL };
	struct reg_due due[HOME_DUE_MAX];
	struct recent rc = { q, ASB_OK };
	struct asb_errbuf eb;
	size_t n, total, i;
	int err;

	asb_errbuf_clear(&eb);
	pg_head(q, "Home");
	pg_raw(q, "<h1 class=\"govuk-heading-l\">ASB powers register</h1>\n"
	    "<form method=\"get\" action=\"/find\" novalidate role=\"search\">");
	pg_input(q, "q", "Find a person, premises or place", "Name, address, PNC ID or UPRN",
	    NULL, NULL, "search", "off");
	pg_raw(q, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">"
	    "Search</button></form>\n");
	if ((err = reg_due(q->app->r, q->now, WEEK, due, HOME_DUE_MAX, &n, &total, &eb)) !=
	    ASB_OK)
		return err;
	if (n == 0)
		pg_raw(q, "<h2 class=\"govuk-heading-m\">Due this week</h2>"
		    "<p class=\"govuk-body\">Nothing falls due in the next 7 days.</p>\n");
	else {
		pg_table_begin(q, "Due this week", due_heads);
		for (i = 0; i < n; i++) {
			char id[REG_ID_BUF], href[64], t[ASB_TIME_BUF];

			reg_record_id(due[i].record, id);
			snprintf(href, sizeof(href), "/records/%s", id);
			if (rc.err == ASB_OK)
				rc.err = reg_audit_record(q->app->r, due[i].record, NULL);
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
			subject_cell(q, due[i].subject, &rc.err);
			pg_row_end(q);
		}
		pg_table_end(q);
		if (total > n)
			pg_printf(q, "<p class=\"govuk-body\">And %zu more.</p>\n", total - n);
	}
	pg_table_begin(q, "Recent records", rec_heads);
	if ((err = reg_records_recent(q->app->r, HOME_RECENT, recent_one, &rc, &eb)) != ASB_OK)
		return err;
	pg_table_end(q);
	pg_foot(q);
	return rc.err;
}
