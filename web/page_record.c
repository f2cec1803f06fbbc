/*
 * page_record.c - GET /records/ID: one record as the role policy's `show` allows, laid out as
 * `asbreg show` prints it: the power and its status, the subject (restricted marked), the
 * dates with the current expiry, who issued and authorised it, the conditions, the schema 1.1
 * details, the records linked to it, and its event timeline in order.  The record, its
 * subject and every linked record are named in the page's consultation entry.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "formpage.h"

struct rec_ctx {
	struct web_req	*q;
	size_t		 n;
	int		 err;
};

static int
event_one(const struct reg_event *ev, void *ctx)
{
	struct rec_ctx *c = ctx;
	struct web_req *q = c->q;
	char t[ASB_TIME_BUF], seq[16];

	c->n++;
	snprintf(seq, sizeof(seq), "%u", ev->seq);
	pg_row_begin(q);
	pg_cell(q, seq);
	pg_cell(q, asb_time_human(ev->date, t, sizeof(t)));
	pg_cell(q, sch_event_code(ev->kind));
	pg_cell_open(q);
	if (ev->until != 0)
		pg_printf(q, "until %s. ", asb_time_human(ev->until, t, sizeof(t)));
	if (ev->outcome[0] != '\0')
		pg_printf(q, "Outcome %s. ", ev->outcome);
	if (ev->amount >= 0)
		pg_printf(q, "Amount &pound;%" PRId64 ".%02" PRId64 ". ", ev->amount / 100,
		    ev->amount % 100);
	if (ev->decided_by[0] != '\0')
		pg_printf(q, "Decided by %s. ", ev->decided_by);
	if (ev->applicant[0] != '\0')
		pg_printf(q, "On the application of %s. ", ev->applicant);
	if (ev->note[0] != '\0')
		pg_printf(q, "Note: %s", ev->note);
	pg_cell_close(q);
	pg_cell_open(q);
	pg_printf(q, "%s%s%s", ev->rank, ev->rank[0] && ev->by[0] ? " " : "", ev->by);
	pg_cell_close(q);
	pg_cell(q, ev->created_by);
	pg_row_end(q);
	return 0;
}

static int
link_one(uint64_t linked, int follows_it, void *ctx)
{
	struct rec_ctx *c = ctx;
	struct web_req *q = c->q;
	struct reg_view v;
	struct asb_errbuf eb;
	char rid[REG_ID_BUF], href[64], t[ASB_TIME_BUF];

	asb_errbuf_clear(&eb);
	if (reg_view_get(q->app->r, linked, q->now, &v, &eb) != ASB_OK)
		return 0;
	c->n++;
	if (c->err == ASB_OK)
		c->err = reg_audit_record(q->app->r, linked, NULL);
	reg_record_id(linked, rid);
	snprintf(href, sizeof(href), "/records/%s", rid);
	pg_row_begin(q);
	pg_cell(q, follows_it ? "followed by" : "follows");
	pg_cell_link(q, href, rid);
	pg_cell(q, sch_power_name(v.rec.power));
	pg_cell(q, asb_time_human(v.rec.issued, t, sizeof(t)));
	pg_cell(q, sch_status_code(v.status));
	pg_row_end(q);
	return 0;
}

static void
row_time(struct web_req *q, const char *key, asb_time t, const char *none)
{
	char b[ASB_TIME_BUF];

	pg_summary_row(q, key, t != 0 ? asb_time_human(t, b, sizeof(b)) : none);
}

static void
details(struct web_req *q, const struct reg_view *v, const struct reg_subject *s)
{
	const struct reg_record *rec = &v->rec;
	char b[ASB_TIME_BUF], b2[160], who[2 * ASB_MAX_SHORT + 160];

	pg_summary_begin(q);
	row_time(q, "Issued", rec->issued, "Not recorded");
	row_time(q, "Served", v->life.served, "Not recorded");
	if (rec->expires == 0)
		pg_summary_row(q, "Expires", "No end date");
	else if (v->life.expires != rec->expires) {
		char now[ASB_TIME_BUF];

		snprintf(b2, sizeof(b2), "%s (now %s)", asb_time_human(rec->expires, b,
		    sizeof(b)), v->life.expires ? asb_time_human(v->life.expires, now,
		    sizeof(now)) : "no end date");
		pg_summary_row(q, "Expires", b2);
	} else
		row_time(q, "Expires", rec->expires, "No end date");
	if (v->life.ended != 0) {
		snprintf(b2, sizeof(b2), "%s (%s)", asb_time_human(v->life.ended, b, sizeof(b)),
		    sch_event_code(v->life.end_event));
		pg_summary_row(q, "Ended", b2);
	}
	pg_summary_row(q, "Agency", sch_code_field(SCH_LIST_AGENCIES, (unsigned)rec->agency,
	    0));
	if (rec->by[0] != '\0')
		pg_summary_row(q, "By", rec->by);
	if (rec->authorised_by[0] != '\0' || rec->rank[0] != '\0') {
		snprintf(who, sizeof(who), "%s %s", rec->rank, rec->authorised_by);
		pg_summary_row(q, "Authorised by", who);
	}
	if (rec->lsoa[0] != '\0' || s->lsoa[0] != '\0')
		pg_summary_row(q, "LSOA", rec->lsoa[0] ? rec->lsoa : s->lsoa);
	if (rec->incident[0] != '\0')
		pg_summary_row(q, "Incident", rec->incident);
	if (rec->ref[0] != '\0')
		pg_summary_row(q, "Reference", rec->ref);
	pg_summary_row(q, "Conditions", rec->conditions[0] ? rec->conditions : "None recorded");
	if (rec->interim || rec->without_notice || rec->partial) {
		snprintf(b2, sizeof(b2), "%s%s%s", rec->interim ? "interim " : "",
		    rec->without_notice ? "without notice " : "", rec->partial ?
		    "partial (s80(7))" : "");
		pg_summary_row(q, "Order", b2);
	}
	if (rec->area[0] != '\0')
		pg_summary_row(q, "Area", rec->area);
	if (rec->leave_by != 0)
		row_time(q, "Leave by", rec->leave_by, "");
	if (rec->removed_to[0] != '\0')
		pg_summary_row(q, "Removed to (under 16, s35(7))", rec->removed_to);
	if (rec->surrendered[0] != '\0')
		pg_summary_row(q, "Surrendered (s37)", rec->surrendered);
	if (v->life.breaches > 0) {
		snprintf(b2, sizeof(b2), "%u", v->life.breaches);
		pg_summary_row(q, "Breaches", b2);
	}
	snprintf(b2, sizeof(b2), "%s", asb_time_human(rec->created, b, sizeof(b)));
	snprintf(who, sizeof(who), "%s by %s", b2, rec->created_by);
	pg_summary_row(q, "Recorded", who);
	pg_summary_end(q);
}

int
page_record(struct web_req *q)
{
	static const char *const ev_heads[] = { "#", "Date", "Event", "Details", "By",
		"Recorded by", NULL };
	static const char *const link_heads[] = { "Relation", "Record", "Power", "Issued",
		"Status", NULL };
	const char *arg = q->path + strlen("/records/");
	struct reg_view v;
	struct reg_subject s;
	struct reg_void vd;
	struct rec_ctx c = { q, 0, ASB_OK };
	struct asb_errbuf eb;
	char rid[REG_ID_BUF], sid[REG_ID_BUF], title[160], t[ASB_TIME_BUF];
	uint64_t id;
	int err, isvoid;

	asb_errbuf_clear(&eb);
	if (reg_id_parse(arg, 'R', &id) == -1) {
		web_error_page(q, 404, "Page not found", "A record's address is /records/ and its "
		    "ID: R and digits.");
		return ASB_ENOTFOUND;
	}
	if ((err = reg_view_get(q->app->r, id, q->now, &v, &eb)) == ASB_ENOTFOUND) {
		web_error_page(q, 404, "Page not found", "There is no such record in this "
		    "register: check the ID.");
		return err;
	}
	if (err != ASB_OK || (err = reg_subject_get(q->app->r, v.rec.subject, &s, &eb)) !=
	    ASB_OK)
		return err;
	if ((err = reg_void_get(q->app->r, id, &vd, &eb)) != ASB_OK && err != ASB_ENOTFOUND)
		return err;
	isvoid = err == ASB_OK;
	if ((err = reg_audit_record(q->app->r, id, &eb)) != ASB_OK ||
	    (err = reg_audit_subject(q->app->r, s.id, &eb)) != ASB_OK)
		return err;
	reg_record_id(id, rid);
	reg_subject_id(s.id, sid);
	snprintf(title, sizeof(title), "%s %s", sch_power_name(v.rec.power), rid);
	pg_head(q, title);
	pg_printf(q, "<span class=\"govuk-caption-l\">%s (%s)</span>\n<h1 class=\"govuk-heading-l"
	    "\">%s %s ", rid, sch_power_section(v.rec.power), sch_power_name(v.rec.power), rid);
	if (isvoid)
		pg_tag(q, "grey", "void");
	else
		pg_tag(q, v.status == SCH_ST_ACTIVE ? "green" : v.status == SCH_ST_APPEALED ?
		    "yellow" : "grey", sch_status_code(v.status));
	pg_raw(q, "</h1>\n");
	if (isvoid)
		pg_printf(q, "<div class=\"govuk-warning-text\" id=\"void\"><span class=\"govuk-"
		    "warning-text__icon\" aria-hidden=\"true\">!</span><strong class=\"govuk-"
		    "warning-text__text\"><span class=\"govuk-visually-hidden\">Warning</span>Void "
		    "since %s, by %s: %s. It is left out of lists, due, repeat and returns."
		    "</strong></div>\n", asb_time_human(vd.time, t, sizeof(t)), vd.user,
		    vd.reason);
	pg_printf(q, "<p class=\"govuk-body\" id=\"subject\">About <a class=\"govuk-link\" "
	    "href=\"/subjects/%s\">%s</a> (%s, %s) ", sid, s.name, pg_kind(s.kind), sid);
	pg_restricted(q, &s);
	pg_raw(q, "</p>\n");
	details(q, &v, &s);

	pg_table_begin(q, "Linked records", link_heads);
	if ((err = reg_linked_each(q->app->r, id, link_one, &c, &eb)) != ASB_OK)
		return err;
	pg_table_end(q);
	if (c.n == 0)
		pg_raw(q, "<p class=\"govuk-body\">None.</p>\n");
	c.n = 0;
	pg_table_begin(q, "Events", ev_heads);
	if ((err = reg_event_each(q->app->r, id, event_one, &c, &eb)) != ASB_OK)
		return err;
	pg_table_end(q);
	if (c.n == 0)
		pg_raw(q, "<p class=\"govuk-body\" id=\"no-events\">No events yet.</p>\n");
	/* a void record takes none (R-VOID-002); a role that may not add one sees no form */
	if (!isvoid && reg_allows(q->sess.role, "event"))
		page_event_form(q, id, NULL);
	pg_foot(q);
	return c.err;
}
