/*
 * page_event.c - the event form (on the record's page, and again on a refusal) and
 * POST /records/ID/events, which appends the event through the library's reg_event_add (the
 * function `asbreg event` calls: the same rules).  Fields are named as the command line's
 * options: kind, date (ISO text or the GOV.UK date-input parts), until, outcome, amount
 * (pounds), by, rank, note, decided-by, applicant.  A refusal answers 400 with the form, the
 * error summary, the message beside its field with its rule ID, the values kept, and nothing
 * stored; success writes the alteration entry and answers 303 to the record.
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "form.h"
#include "formpage.h"

static const struct fdef ev_fields[] = {
	{ "date", "Date", "When it happened.", F_DATETIME },
	{ "until", "Until", "The new end date: for extended, varied or adjourned.", F_DATETIME },
	{ "outcome", "Outcome", "An appeal's or a hearing's outcome code, if any.", F_TEXT },
	{ "amount", "Amount in pounds", "A fixed penalty's amount, for example 100.", F_TEXT },
	{ "by", "By", "Who recorded or did it.", F_TEXT },
	{ "rank", "Rank", "Of whoever authorised it, where the law asks.", F_TEXT },
	{ "decided-by", "Decided by", "court or issuer (a variation, extension, discharge).",
	    F_TEXT },
	{ "applicant", "On the application of", "issuer, respondent or interested.", F_TEXT },
	{ "note", "Note", NULL, F_AREA },
};
#define NEV	(sizeof(ev_fields) / sizeof(ev_fields[0]))

static const struct { const char *rule, *field; } ev_rule_field[] = {
	{ "R-GEN-002", "date" }, { "R-GEN-006", "date" }, { "R-GEN-008", "date" },
	{ "R-GEN-007", "until" }, { "R-CLO-005", "until" }, { "R-CLO-009", "until" },
	{ "R-PSPO-002", "until" }, { "R-FPN-001", "amount" }, { "R-FPN-003", "amount" },
	{ "R-FPN-004", "amount" }, { "R-CLN-004", "rank" }, { "R-VAR-001", "decided-by" },
	{ "R-VAR-002", "applicant" }, { "R-APP-002", "date" },
};

static const char *
field_of_rule(const char *rule)
{
	size_t i;

	for (i = 0; i < sizeof(ev_rule_field) / sizeof(ev_rule_field[0]); i++)
		if (strcmp(ev_rule_field[i].rule, rule) == 0)
			return ev_rule_field[i].field;
	return "kind";
}

void
page_event_form(struct web_req *q, uint64_t record, const struct problems *p)
{
	const char *kind = q->method == WEB_POST ? fp_value(q, "kind") : NULL;
	const struct pg_error *e = fp_problem_of(p, "kind");
	char rid[REG_ID_BUF];
	unsigned i;

	reg_record_id(record, rid);
	pg_printf(q, "<h2 class=\"govuk-heading-m\" id=\"event\">Add an event</h2>\n<form "
	    "method=\"post\" action=\"/records/%s/events\" novalidate>", rid);
	pg_csrf(q);
	pg_printf(q, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"kind\">"
	    "What happened</label>", e ? " govuk-form-group--error" : "");
	fp_error_line(q, "kind", e);
	pg_printf(q, "<select class=\"govuk-select%s\" id=\"kind\" name=\"kind\">",
	    e ? " govuk-select--error" : "");
	for (i = 0; i < SCH_EV_COUNT; i++)
		pg_printf(q, "<option value=\"%s\"%s>%s</option>", sch_event_code((int)i),
		    kind != NULL && strcmp(kind, sch_event_code((int)i)) == 0 ? " selected" : "",
		    sch_event_code((int)i));
	pg_raw(q, "</select></div>\n");
	for (i = 0; i < NEV; i++)
		fp_field(q, &ev_fields[i], p);
	pg_raw(q, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">"
	    "Add the event</button></form>\n");
}

static void
read_fields(struct web_req *q, struct reg_event *ev, struct problems *p)
{
	char buf[ASB_MAX_NOTE + 1], msg[ASB_ERRBUF_MSG + 40];
	struct asb_errbuf eb;
	const char *why;
	size_t i;
	int got;

	for (i = 0; i < NEV; i++) {
		const struct fdef *f = &ev_fields[i];

		asb_errbuf_clear(&eb);
		if (f->type == F_DATETIME) {
			if ((got = form_date(q, f->name, buf, sizeof(buf), &why)) == -1) {
				snprintf(msg, sizeof(msg), "%s %s", f->label, why);
				fp_problem(p, f->name, msg, NULL);
				continue;
			}
		} else if (form_text(q, f->name, buf, sizeof(buf)) == -1) {
			snprintf(msg, sizeof(msg), "%s is too long", f->label);
			fp_problem(p, f->name, msg, NULL);
			continue;
		} else
			got = buf[0] != '\0';
		if (got && reg_event_set(ev, f->name, buf, &eb) != ASB_OK)
			fp_problem(p, f->name, eb.msg, eb.rule);
	}
}

int
page_event_post(struct web_req *q)
{
	struct reg *r = q->app->r;
	static struct problems p;	/* the event loop's one thread; too big for its stack */
	const char *arg = q->path + strlen("/records/"), *kind = fp_value(q, "kind");
	struct reg_event ev;
	struct reg_record rec;
	struct sch_findings fnd;
	struct asb_errbuf eb;
	char idtext[REG_ID_BUF + 1], rid[REG_ID_BUF], href[64], title[160];
	const char *slash = strchr(arg, '/');
	uint64_t id;
	unsigned i;
	int err;

	memset(&p, 0, sizeof(p));
	asb_errbuf_clear(&eb);
	if (slash == NULL || strcmp(slash, "/events") != 0 || (size_t)(slash - arg) >=
	    sizeof(idtext)) {
		web_error_page(q, 404, "Page not found", "Events are added at /records/ID/events.");
		return ASB_ENOTFOUND;
	}
	snprintf(idtext, sizeof(idtext), "%.*s", (int)(slash - arg), arg);
	if (reg_id_parse(idtext, 'R', &id) == -1 || (err = reg_record_get(r, id, &rec, &eb)) ==
	    ASB_ENOTFOUND) {
		web_error_page(q, 404, "Page not found", "There is no such record in this "
		    "register: check the ID.");
		return ASB_ENOTFOUND;
	}
	if (err != ASB_OK)
		return err;
	reg_event_defaults(&ev);
	ev.record = id;
	if (kind == NULL || sch_code_index(SCH_LIST_EVENTS, kind) < 0)
		fp_problem(&p, "kind", "Choose what happened from the list", NULL);
	else if (reg_event_set(&ev, "kind", kind, &eb) != ASB_OK)
		fp_problem(&p, "kind", eb.msg, eb.rule);
	read_fields(q, &ev, &p);
	if (p.n == 0 && ev.date == 0)
		fp_problem(&p, "date", "Enter the date it happened", NULL);
	if (p.n == 0) {
		memset(&fnd, 0, sizeof(fnd));
		err = reg_event_add(r, &ev, q->sess.user, q->now, &fnd, &eb);
		if (err == ASB_ERULE && fnd.errors > 0) {
			for (i = 0; i < fnd.n; i++)
				if (!fnd.item[i].warning)
					fp_problem(&p, field_of_rule(fnd.item[i].rule),
					    fnd.item[i].msg, fnd.item[i].rule);
		} else if (err == ASB_ERULE || err == ASB_EUSAGE)
			fp_problem(&p, eb.rule[0] ? field_of_rule(eb.rule) : "kind", eb.msg,
			    eb.rule);
		else if (err != ASB_OK)
			return err;
	}
	reg_record_id(id, rid);
	if (p.n > 0) {
		q->status = 400;
		snprintf(title, sizeof(title), "Error: Add an event to %s", rid);
		pg_head(q, title);
		pg_error_summary(q, p.e, p.n);
		pg_printf(q, "<span class=\"govuk-caption-l\"><a class=\"govuk-link\" href=\""
		    "/records/%s\">%s %s</a></span>\n<h1 class=\"govuk-heading-l\">Add an event to "
		    "%s</h1>\n", rid, sch_power_name(rec.power), rid, rid);
		page_event_form(q, id, &p);
		pg_foot(q);
		return ASB_ERULE;
	}
	if ((err = reg_audit_record(r, id, &eb)) != ASB_OK ||
	    (err = reg_audit_log(r, REG_AUDIT_ALTERATION, q->now, NULL, NULL, 0, &eb)) != ASB_OK)
		return err;
	snprintf(href, sizeof(href), "/records/%s", rid);
	web_redirect(q, href);
	return ASB_OK;
}
