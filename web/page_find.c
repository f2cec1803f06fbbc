/*
 * page_find.c - GET /find?q=TEXT: people, premises and places, through the register's own
 * find (reg_subject_find), each one shown named in the page's consultation entry; a
 * restricted subject carries the Restricted tag.  GET /find alone is the empty form.
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "form.h"
#include "page.h"

#define FIND_MAX_TEXT	200	/* a name or an address, not a document */
#define FIND_MAX_SHOWN	100	/* more than a screen: ask for a narrower search */

struct found {
	struct web_req	*q;
	size_t		 n;
	int		 err;
};

static int
one(const struct reg_subject *s, void *ctx)
{
	struct found *f = ctx;
	struct web_req *q = f->q;
	char id[REG_ID_BUF], href[64], day[16];

	if (++f->n > FIND_MAX_SHOWN)
		return 0;	/* counted, not shown, not touched */
	if (f->err == ASB_OK)
		f->err = reg_audit_subject(q->app->r, s->id, NULL);
	reg_subject_id(s->id, id);
	snprintf(href, sizeof(href), "/subjects/%s", id);
	pg_row_begin(q);
	pg_cell_link(q, href, id);
	pg_cell_open(q);
	pg_text(q, s->name);
	if (s->restricted != 0) {
		pg_raw(q, " ");
		pg_restricted(q, s);
	}
	pg_cell_close(q);
	pg_cell(q, pg_kind(s->kind));
	pg_cell(q, s->kind == SCH_PERSON && s->dob != 0 ? asb_day_format(s->dob, day,
	    sizeof(day)) : "");
	pg_cell(q, s->lsoa);
	pg_row_end(q);
	return 0;
}

static void
search_form(struct web_req *q, const char *text, const char *error)
{
	pg_raw(q, "<form method=\"get\" action=\"/find\" novalidate role=\"search\">");
	pg_input(q, "q", "Name, address, place, PNC ID or UPRN", NULL, error, text, "search",
	    "off");
	pg_raw(q, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">"
	    "Search</button></form>\n");
}

int
page_find(struct web_req *q)
{
	static const char *const heads[] = { "ID", "Name", "Kind", "Born", "LSOA", NULL };
	char text[FIND_MAX_TEXT + 1];
	struct found f = { q, 0, ASB_OK };
	struct asb_errbuf eb;
	struct pg_error e = { "q", NULL, NULL };
	int err;

	asb_errbuf_clear(&eb);
	if (form_text(q, "q", text, sizeof(text)) != 0) {
		q->status = 400;
		e.msg = "Search for at most 200 characters";
		pg_head(q, "Error: Find a person, premises or place");
		pg_error_summary(q, &e, 1);
		pg_raw(q, "<h1 class=\"govuk-heading-l\">Find a person, premises or place</h1>");
		search_form(q, "", e.msg);
		pg_foot(q);
		return ASB_EUSAGE;
	}
	pg_head(q, text[0] ? "Search results" : "Find a person, premises or place");
	pg_raw(q, "<h1 class=\"govuk-heading-l\">Find a person, premises or place</h1>\n");
	search_form(q, text, NULL);
	if (text[0] == '\0') {
		pg_foot(q);
		return ASB_OK;
	}
	pg_table_begin(q, "Results", heads);
	if ((err = reg_subject_find(q->app->r, text, one, &f, &eb)) != ASB_OK)
		return err;
	if (f.err != ASB_OK)
		return f.err;
	pg_table_end(q);
	if (f.n == 0)
		pg_printf(q, "<p class=\"govuk-body\" id=\"none\">Nothing matches &ldquo;%s&rdquo;. "
		    "Check the spelling, or search for part of the name.</p>\n", text);
	else if (f.n > FIND_MAX_SHOWN)
		pg_printf(q, "<p class=\"govuk-body\">%zu match; the first %d are shown. Add more "
		    "of the name or the address.</p>\n", f.n, FIND_MAX_SHOWN);
	else
		pg_printf(q, "<p class=\"govuk-body\" id=\"count\">%zu found.</p>\n", f.n);
	pg_foot(q);
	return ASB_OK;
}
