/*
 * page_subject.c - GET /subjects/ID: the "before you visit" summary of one person, premises,
 * place or body, as the role policy's `history` allows: first the orders in force with their
 * conditions and expiry, then the warnings (processing restricted, a repeat subject, under 18),
 * then every record about the subject (void ones marked) and the records linked to them.
 * Every record and the subject shown are named in the page's consultation entry.  A duplicate
 * merged into another shows the one kept (reg_subject_resolve).
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "page.h"

#define SUBJ_REPEAT_MIN		3	/* as `asbreg repeat`: 3 records in 12 months */
#define SUBJ_REPEAT_MONTHS	12

struct subj {
	struct web_req	*q;
	uint64_t	 sid;
	size_t		 n;
	int		 err;
};

static void
record_href(uint64_t id, char *href, size_t cap, char *rid)
{
	reg_record_id(id, rid);
	snprintf(href, cap, "/records/%s", rid);
}

static int
is_void(struct web_req *q, uint64_t id)
{
	struct reg_void vd;
	struct asb_errbuf eb;

	asb_errbuf_clear(&eb);
	return reg_void_get(q->app->r, id, &vd, &eb) == ASB_OK;
}

static int
is_in_force(const struct reg_view *v)
{
	return v->status == SCH_ST_ACTIVE || v->status == SCH_ST_APPEALED;
}

/* One order in force: a summary card with its conditions and expiry. */
static int
active_one(const struct reg_view *v, void *ctx)
{
	struct subj *s = ctx;
	struct web_req *q = s->q;
	char rid[REG_ID_BUF], href[64], t[ASB_TIME_BUF];
	if (is_void(q, v->rec.id) || !is_in_force(v))
		return 0;
	s->n++;
	if (s->err == ASB_OK)
		s->err = reg_audit_record(q->app->r, v->rec.id, NULL);
	record_href(v->rec.id, href, sizeof(href), rid);
	pg_printf(q, "<div class=\"govuk-summary-card\"><div class=\"govuk-summary-card__title-"
	    "wrapper\"><h3 class=\"govuk-summary-card__title\"><a class=\"govuk-link\" "
	    "href=\"%s\">%s %s</a> ", href, sch_power_name(v->rec.power), rid);
	pg_tag(q, v->status == SCH_ST_APPEALED ? "yellow" : "green",
	    sch_status_code(v->status));
	pg_raw(q, "</h3></div><div class=\"govuk-summary-card__content\">");
	pg_summary_begin(q);
	pg_summary_row(q, "Conditions", v->rec.conditions[0] ? v->rec.conditions :
	    "None recorded");
	pg_summary_row(q, "Expires", v->life.expires ? asb_time_human(v->life.expires, t,
	    sizeof(t)) : "No end date");
	pg_summary_row(q, "Issued", asb_time_human(v->rec.issued, t, sizeof(t)));
	if (v->life.breaches > 0) {
		char b[16];

		snprintf(b, sizeof(b), "%u", v->life.breaches);
		pg_summary_row(q, "Breaches", b);
	}
	pg_summary_end(q);
	pg_raw(q, "</div></div>\n");
	return 0;
}

static int
history_one(const struct reg_view *v, void *ctx)
{
	struct subj *s = ctx;
	struct web_req *q = s->q;
	char rid[REG_ID_BUF], href[64], t[ASB_TIME_BUF];

	s->n++;
	if (s->err == ASB_OK)
		s->err = reg_audit_record(q->app->r, v->rec.id, NULL);
	record_href(v->rec.id, href, sizeof(href), rid);
	pg_row_begin(q);
	pg_cell_link(q, href, rid);
	pg_cell(q, sch_power_name(v->rec.power));
	pg_cell(q, asb_time_human(v->rec.issued, t, sizeof(t)));
	pg_cell_open(q);
	if (is_void(q, v->rec.id))
		pg_tag(q, "grey", "void");
	else
		pg_text(q, sch_status_code(v->status));
	pg_cell_close(q);
	pg_row_end(q);
	return 0;
}

struct link_ctx {
	struct subj	*s;
	uint64_t	 from;
};

static int
link_one(uint64_t linked, int follows_it, void *ctx)
{
	struct link_ctx *lc = ctx;
	struct web_req *q = lc->s->q;
	struct reg_record rec;
	struct reg_subject other;
	char rid[REG_ID_BUF], from[REG_ID_BUF], href[64], sid[REG_ID_BUF];

	if (reg_record_get(q->app->r, linked, &rec, NULL) != ASB_OK)
		return 0;
	lc->s->n++;
	if (lc->s->err == ASB_OK)
		lc->s->err = reg_audit_record(q->app->r, linked, NULL);
	reg_record_id(lc->from, from);
	record_href(linked, href, sizeof(href), rid);
	pg_row_begin(q);
	pg_cell(q, from);
	pg_cell(q, follows_it ? "followed by" : "follows");
	pg_cell_link(q, href, rid);
	pg_cell(q, sch_power_name(rec.power));
	pg_cell_open(q);
	reg_subject_id(rec.subject, sid);
	if (rec.subject == lc->s->sid)
		pg_text(q, "this subject");
	else if (reg_subject_get(q->app->r, rec.subject, &other, NULL) == ASB_OK) {
		pg_printf(q, "<a class=\"govuk-link\" href=\"/subjects/%s\">%s</a> (%s)", sid,
		    other.name, sid);
		if (other.restricted != 0) {
			pg_raw(q, " ");
			pg_restricted(q, &other);
		}
		if (lc->s->err == ASB_OK)
			lc->s->err = reg_audit_subject(q->app->r, other.id, NULL);
	} else
		pg_text(q, sid);
	pg_cell_close(q);
	pg_row_end(q);
	return 0;
}

static int
links_of(const struct reg_view *v, void *ctx)
{
	struct subj *s = ctx;
	struct link_ctx lc = { s, v->rec.id };
	struct asb_errbuf eb;

	asb_errbuf_clear(&eb);
	if (reg_linked_each(s->q->app->r, v->rec.id, link_one, &lc, &eb) != ASB_OK &&
	    s->err == ASB_OK)
		s->err = ASB_EIO;
	return 0;
}

static void
warnings(struct web_req *q, const struct reg_subject *s, uint64_t recent)
{
	int age = s->kind == SCH_PERSON && s->dob != 0 ? asb_age_at(s->dob, q->now) : -1;
	int any = 0;

	pg_raw(q, "<h2 class=\"govuk-heading-m\" id=\"warnings\">Warnings</h2>\n");
	if (s->restricted != 0) {
		char t[ASB_TIME_BUF];

		any = 1;
		pg_printf(q, "<div class=\"govuk-warning-text\" id=\"warn-restricted\"><span class="
		    "\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span><strong class=\""
		    "govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning"
		    "</span>Processing restricted since %s (DPA 2018 s47): %s. Record only what "
		    "the law needs; do not share.</strong></div>\n",
		    asb_time_human(s->restricted, t, sizeof(t)), s->restrict_reason);
	}
	if (recent >= SUBJ_REPEAT_MIN) {
		any = 1;
		pg_printf(q, "<div class=\"govuk-warning-text\" id=\"warn-repeat\"><span class=\""
		    "govuk-warning-text__icon\" aria-hidden=\"true\">!</span><strong class=\""
		    "govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning"
		    "</span>Repeat subject: %llu records in the last %d months.</strong></div>\n",
		    (unsigned long long)recent, SUBJ_REPEAT_MONTHS);
	}
	if (age >= 0 && age < 18) {
		any = 1;
		pg_printf(q, "<div class=\"govuk-warning-text\" id=\"warn-youth\"><span class=\""
		    "govuk-warning-text__icon\" aria-hidden=\"true\">!</span><strong class=\""
		    "govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning"
		    "</span>Under 18 (aged %d): the youth provisions apply (an appropriate adult, "
		    "the youth court, reviews of a youth CBO).</strong></div>\n", age);
	}
	if (!any)
		pg_raw(q, "<p class=\"govuk-body\">None.</p>\n");
}

int
page_subject(struct web_req *q)
{
	static const char *const hist_heads[] = { "Record", "Power", "Issued", "Status", NULL };
	static const char *const link_heads[] = { "Record", "Relation", "Linked record",
		"Power", "Subject", NULL };
	struct reg_filter f = { -1, -1, 0, 0, 0, 1 };
	struct reg_subject s;
	struct subj ctx;
	struct asb_errbuf eb;
	char sid[REG_ID_BUF], title[ASB_MAX_NAME + 32], day[16];
	const char *arg = q->path + strlen("/subjects/");
	uint64_t id, recent = 0;
	int err;

	asb_errbuf_clear(&eb);
	if (reg_id_parse(arg, 'S', &id) == -1) {
		web_error_page(q, 404, "Page not found", "A subject's address is /subjects/ and "
		    "its ID: S and digits.");
		return ASB_ENOTFOUND;
	}
	if ((err = reg_subject_resolve(q->app->r, id, &id, &eb)) == ASB_OK)
		err = reg_subject_get(q->app->r, id, &s, &eb);
	if (err == ASB_ENOTFOUND) {
		web_error_page(q, 404, "Page not found", "There is no such subject in this "
		    "register: check the ID, or search for the name.");
		return err;
	}
	if (err != ASB_OK)
		return err;
	if ((err = reg_audit_subject(q->app->r, s.id, &eb)) != ASB_OK ||
	    (err = reg_subject_records(q->app->r, s.id, asb_time_add_months(q->now,
	    -SUBJ_REPEAT_MONTHS), q->now + 1, &recent, &eb)) != ASB_OK)
		return err;
	reg_subject_id(s.id, sid);
	snprintf(title, sizeof(title), "%s (%s)", s.name, sid);
	pg_head(q, title);
	pg_printf(q, "<span class=\"govuk-caption-l\">%s %s</span>\n<h1 class=\"govuk-heading-l\">"
	    "%s ", pg_kind(s.kind), sid, s.name);
	pg_restricted(q, &s);
	pg_raw(q, "</h1>\n");
	pg_summary_begin(q);
	if (s.kind == SCH_PERSON && s.dob != 0)
		pg_summary_row(q, "Born", asb_day_format(s.dob, day, sizeof(day)));
	if (s.pnc[0] != '\0')
		pg_summary_row(q, "PNC ID", s.pnc);
	if (s.uprn[0] != '\0')
		pg_summary_row(q, "UPRN", s.uprn);
	if (s.lsoa[0] != '\0')
		pg_summary_row(q, "LSOA", s.lsoa);
	pg_summary_end(q);

	memset(&ctx, 0, sizeof(ctx));
	ctx.q = q;
	ctx.sid = s.id;
	f.subject = s.id;
	pg_raw(q, "<h2 class=\"govuk-heading-m\" id=\"active\">Orders in force</h2>\n");
	if ((err = reg_list(q->app->r, &f, q->now, active_one, &ctx, &eb)) != ASB_OK)
		return err;
	if (ctx.n == 0)
		pg_raw(q, "<p class=\"govuk-body\">None.</p>\n");
	warnings(q, &s, recent);

	ctx.n = 0;
	pg_table_begin(q, "History", hist_heads);
	if ((err = reg_list(q->app->r, &f, q->now, history_one, &ctx, &eb)) != ASB_OK)
		return err;
	pg_table_end(q);
	if (ctx.n == 0)
		pg_raw(q, "<p class=\"govuk-body\">No records.</p>\n");

	ctx.n = 0;
	pg_table_begin(q, "Linked records", link_heads);
	if ((err = reg_list(q->app->r, &f, q->now, links_of, &ctx, &eb)) != ASB_OK)
		return err;
	pg_table_end(q);
	if (ctx.n == 0)
		pg_raw(q, "<p class=\"govuk-body\">None.</p>\n");
	if (s.restricted == 0) {
		int p;

		/* a restricted subject takes nothing new (R-DPA-001): no links to forms */
		pg_raw(q, "<h2 class=\"govuk-heading-m\" id=\"record\">Record a use of a power"
		    "</h2>\n<ul class=\"govuk-list\">");
		for (p = 0; p < SCH_POWER_COUNT; p++)
			pg_printf(q, "<li><a class=\"govuk-link\" href=\"/records/new?power=%s&amp;"
			    "subject=%s\">%s</a></li>", sch_power_code(p), sid, sch_power_name(p));
		pg_raw(q, "</ul>\n");
	}
	pg_printf(q, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/find\">Find "
	    "another</a></p>\n");
	pg_foot(q);
	return ctx.err;
}
