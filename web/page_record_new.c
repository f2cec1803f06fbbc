/*
 * page_record_new.c - GET /records/new?power=POWER&subject=ID, the form for one power showing
 * only that power's statutory fields, and POST /records, which records it through the
 * library's reg_record_add (the function `asbreg add` calls: the same rules, the same
 * duplicate check), so the web has no policy of its own.  Fields are named as the command
 * line's options; a date is ISO text (NAME) or the GOV.UK date-input parts NAME-day,
 * NAME-month, NAME-year and, where the law counts hours, NAME-time.
 *
 * A refusal - a value the field cannot hold, or a rule - answers 400 with the form again:
 * the error summary, the message beside its field with the rule ID and what to change, and
 * every typed value kept.  The handler returns the error, so the transaction is aborted and
 * nothing is stored.  Success writes the collection entry and answers 303 to /records/RID.
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "form.h"
#include "formpage.h"

static const struct fdef fields[] = {
	{ "issued", "Issued", "When it was given or made. Leave empty for now.", F_DATETIME },
	{ "served", "Served", "When it was served, if not when it was issued.", F_DATETIME },
	{ "expires", "Expires", "The end date, if it has one.", F_DATETIME },
	{ "hours", "Or lasts for hours", "Instead of an end date.", F_NUM },
	{ "months", "Or lasts for months", "Instead of an end date.", F_NUM },
	{ "years", "Or lasts for years", "Instead of an end date.", F_NUM },
	{ "indefinite", "Until further order (no end date)", NULL, F_CHECK },
	{ "interim", "Interim order", "Made when the court adjourned the hearing.", F_CHECK },
	{ "without-notice", "Applied for without notice", NULL, F_CHECK },
	{ "partial", "Closing in part or at times (s80(7))", NULL, F_CHECK },
	{ "links", "Follows record", "The record this one follows, for example R000012. "
	    "Left empty, a CPN follows the subject's latest CPW.", F_TEXT },
	{ "by", "Given by", "The officer's name or collar number.", F_TEXT },
	{ "authorised-by", "Authorised by", NULL, F_TEXT },
	{ "rank", "Authoriser's rank", "For example inspector, superintendent.", F_TEXT },
	{ "agency", "Agency", "For example police, local-authority.", F_TEXT },
	{ "area", "Area to leave", NULL, F_TEXT },
	{ "leave-by", "Leave by", NULL, F_DATETIME },
	{ "removed-to", "Under 16 taken to", "home or place-of-safety", F_TEXT },
	{ "surrendered", "Property surrendered (s37)", NULL, F_TEXT },
	{ "conditions", "Conditions or requirements", NULL, F_AREA },
	{ "lsoa", "LSOA", "Where, if not the subject's own LSOA.", F_TEXT },
	{ "incident", "Incident or crime reference", NULL, F_TEXT },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

/* The statutory fields of each power, by enum sch_power, in the order shown. */
static const char *const power_fields[SCH_POWER_COUNT] = {
	[SCH_CPW] = "issued served expires months by agency conditions lsoa incident",
	[SCH_CPN] = "issued served expires months years links by agency conditions lsoa "
	    "incident",
	[SCH_PSPO] = "issued expires years months agency conditions lsoa",
	[SCH_INJUNCTION] = "issued served expires months years interim without-notice agency "
	    "conditions lsoa incident",
	[SCH_CBO] = "issued served expires years indefinite interim agency conditions lsoa "
	    "incident",
	[SCH_DISP_AUTH] = "issued expires hours authorised-by rank conditions lsoa incident",
	[SCH_DISP_DIR] = "issued expires hours links by area leave-by removed-to surrendered "
	    "lsoa incident",
	[SCH_CLOSURE_NOTICE] = "issued served expires hours by authorised-by rank agency "
	    "conditions lsoa incident",
	[SCH_CLOSURE_ORDER] = "issued served expires months links partial agency conditions "
	    "lsoa incident",
	[SCH_RESPECT_ORDER] = "issued served expires months years agency conditions lsoa "
	    "incident",
	[SCH_YOUTH_INJUNCTION] = "issued served expires months years interim agency "
	    "conditions lsoa incident",
	[SCH_HOUSING_INJUNCTION] = "issued served expires months years interim agency "
	    "conditions lsoa incident",
};

/* Which field a rule's refusal is about, so its message stands beside that field. */
static const struct { const char *rule, *field; } rule_field[] = {
	{ "R-GEN-001", "served" }, { "R-GEN-004", "expires" }, { "R-GEN-005", "links" },
	{ "R-GEN-008", "issued" }, { "R-PWR-001", "issued" }, { "R-CPN-002", "links" },
	{ "R-CBO-001", "expires" }, { "R-CBO-002", "expires" }, { "R-CBO-003", "expires" },
	{ "R-INJ-002", "expires" }, { "R-CLN-001", "rank" }, { "R-CLN-002", "hours" },
	{ "R-CLN-003", "hours" }, { "R-CLN-004", "rank" }, { "R-CLO-001", "months" },
	{ "R-CLO-003", "links" }, { "R-CLO-004", "links" }, { "R-CLO-006", "links" },
	{ "R-CLO-007", "links" }, { "R-CLO-008", "partial" }, { "R-DISP-001", "rank" },
	{ "R-DISP-002", "hours" }, { "R-DISP-003", "links" }, { "R-DISP-004", "hours" },
	{ "R-DISP-007", "removed-to" }, { "R-DISP-008", "leave-by" },
	{ "R-DISP-009", "area" }, { "R-PSPO-001", "years" }, { "R-PSPO-003", "agency" },
	{ "R-AUTH-001", "agency" }, { "R-INT-001", "interim" },
	{ "R-INT-002", "without-notice" },
};

/* Is name one of the power's fields (a space-separated list)? */
static int
has_field(int power, const char *name)
{
	const char *p = power_fields[power];
	size_t n = strlen(name);

	while (p != NULL && (p = strstr(p, name)) != NULL) {
		if ((p == power_fields[power] || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

static void
form_page(struct web_req *q, int power, const struct reg_subject *s,
    const struct problems *p)
{
	char sid[REG_ID_BUF], title[200];
	size_t i;

	reg_subject_id(s->id, sid);
	snprintf(title, sizeof(title), "%sRecord a %s", p != NULL && p->n ? "Error: " : "",
	    sch_power_name(power));
	pg_head(q, title);
	if (p != NULL)
		pg_error_summary(q, p->e, p->n);
	pg_printf(q, "<span class=\"govuk-caption-l\">%s</span><h1 class=\"govuk-heading-l\">"
	    "Record a %s</h1>\n", sch_power_section(power), sch_power_name(power));
	pg_printf(q, "<p class=\"govuk-body\" id=\"subject\">About <a class=\"govuk-link\" "
	    "href=\"/subjects/%s\">%s</a> (%s, %s) ", sid, s->name, pg_kind(s->kind), sid);
	pg_restricted(q, s);
	pg_raw(q, "</p>\n");
	fp_error_line(q, "subject", fp_problem_of(p, "subject"));
	pg_raw(q, "<form method=\"post\" action=\"/records\" novalidate>");
	pg_csrf(q);
	pg_printf(q, "<input type=\"hidden\" name=\"power\" value=\"%s\"><input type=\"hidden\" "
	    "name=\"subject\" value=\"%s\">", sch_power_code(power), sid);
	for (i = 0; i < NFIELDS; i++)
		if (has_field(power, fields[i].name))
			fp_field(q, &fields[i], p);
	pg_raw(q, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">"
	    "Save the record</button></form>\n");
	pg_foot(q);
}

/* The power and subject of the request; on a problem, the page saying so (404). */
static int
power_and_subject(struct web_req *q, int *power, struct reg_subject *s)
{
	const char *pw = fp_value(q, "power"), *sv = fp_value(q, "subject");
	uint64_t id;
	int err;

	if (pw == NULL || (*power = sch_code_index(SCH_LIST_POWERS, pw)) < 0 ||
	    *power >= SCH_POWER_COUNT) {
		web_error_page(q, 400, "Choose a power", "Give power as one of cpw, cpn, pspo, "
		    "injunction, cbo, dispersal-authorisation, dispersal-direction, "
		    "closure-notice, closure-order (and the newer orders), as asbreg add takes.");
		return ASB_EUSAGE;
	}
	if (sv == NULL || reg_id_parse(sv, 'S', &id) == -1) {
		web_error_page(q, 400, "Choose a subject", "Give subject as a subject ID (S and "
		    "digits): find the person, premises or place first.");
		return ASB_EUSAGE;
	}
	if ((err = reg_subject_resolve(q->app->r, id, &id, NULL)) == ASB_OK)
		err = reg_subject_get(q->app->r, id, s, NULL);
	if (err == ASB_ENOTFOUND)
		web_error_page(q, 404, "Page not found", "There is no such subject in this "
		    "register: check the ID, or search for the name.");
	return err;
}

int
page_record_new(struct web_req *q)
{
	struct reg_subject s;
	int power, err;

	if ((err = power_and_subject(q, &power, &s)) != ASB_OK)
		return err;
	if ((err = reg_audit_subject(q->app->r, s.id, NULL)) != ASB_OK)
		return err;
	form_page(q, power, &s, NULL);
	return ASB_OK;
}

/* Read the power's fields into rec; a value a field cannot hold is a problem beside it. */
static void
read_fields(struct web_req *q, int power, struct reg_record *rec, struct reg_term *term,
    struct problems *p)
{
	char buf[ASB_MAX_TEXT], msg[ASB_ERRBUF_MSG + 40];
	struct asb_errbuf eb;
	const char *why;
	size_t i;
	int got;

	for (i = 0; i < NFIELDS; i++) {
		const struct fdef *f = &fields[i];

		if (!has_field(power, f->name))
			continue;
		asb_errbuf_clear(&eb);
		if (f->type == F_DATE || f->type == F_DATETIME) {
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
		if (!got)
			continue;
		if (f->type == F_CHECK)
			snprintf(buf, sizeof(buf), "1");
		if (strcmp(f->name, "links") == 0) {
			if (reg_id_parse(buf, 'R', &rec->link) == -1)
				fp_problem(p, f->name, "Follows record must be a record ID, R and "
				    "digits, for example R000012", NULL);
			continue;
		}
		if (reg_record_set(rec, term, f->name, buf, &eb) != ASB_OK)
			fp_problem(p, f->name, eb.msg, eb.rule);
	}
}

static const char *
field_of_rule(const char *rule)
{
	size_t i;

	for (i = 0; i < sizeof(rule_field) / sizeof(rule_field[0]); i++)
		if (strcmp(rule_field[i].rule, rule) == 0)
			return rule_field[i].field;
	return "subject";	/* the rules about who it may be given to */
}

int
page_record_post(struct web_req *q)
{
	struct reg *r = q->app->r;
	struct reg_subject s;
	struct reg_record rec;
	struct reg_term term;
	struct sch_findings fnd;
	struct asb_errbuf eb;
	static struct problems p;	/* the event loop's one thread; too big for its stack */
	char rid[REG_ID_BUF], href[64], other_id[REG_ID_BUF], msg[160];
	uint64_t other;
	unsigned i;
	int power, err, dup;

	memset(&p, 0, sizeof(p));
	asb_errbuf_clear(&eb);
	if ((err = power_and_subject(q, &power, &s)) != ASB_OK)
		return err;
	reg_record_defaults(&rec);
	memset(&term, 0, sizeof(term));
	if ((err = reg_record_set(&rec, &term, "power", sch_code_field(SCH_LIST_POWERS,
	    (unsigned)power, 0), &eb)) != ASB_OK)
		return err;
	rec.subject = s.id;
	read_fields(q, power, &rec, &term, &p);
	if (p.n == 0) {
		if (rec.issued == 0)
			rec.issued = q->now;
		if ((err = reg_record_finish(&rec, &term, &eb)) != ASB_OK)
			fp_problem(&p, "expires", eb.msg, eb.rule);
	}
	if (p.n == 0) {
		memset(&fnd, 0, sizeof(fnd));
		err = reg_record_add(r, &rec, q->sess.user, q->now, &fnd, &eb);
		if (err == ASB_ERULE && fnd.errors > 0) {
			for (i = 0; i < fnd.n; i++)
				if (!fnd.item[i].warning)
					fp_problem(&p, field_of_rule(fnd.item[i].rule), fnd.item[i].msg,
					    fnd.item[i].rule);
		} else if (err == ASB_ERULE || err == ASB_EUSAGE || err == ASB_ENOTFOUND)
			fp_problem(&p, eb.rule[0] ? field_of_rule(eb.rule) : "subject", eb.msg,
			    eb.rule);
		else if (err != ASB_OK)
			return err;
	}
	if (p.n == 0 && (dup = reg_record_same(r, &rec, &other, &eb)) != ASB_ENOTFOUND) {
		if (dup != ASB_OK)
			return dup;
		snprintf(msg, sizeof(msg), "%s is held already with the same power, subject and "
		    "issue time: change the issue time if this is another use",
		    reg_record_id(other, other_id));
		fp_problem(&p, "issued", msg, NULL);
	}
	if (p.n > 0) {
		q->status = 400;
		form_page(q, power, &s, &p);
		return ASB_ERULE;
	}
	if ((err = reg_audit_record(r, rec.id, &eb)) != ASB_OK ||
	    (err = reg_audit_subject(r, s.id, &eb)) != ASB_OK ||
	    (err = reg_audit_log(r, REG_AUDIT_COLLECTION, q->now, NULL, NULL, 0, &eb)) != ASB_OK)
		return err;
	reg_record_id(rec.id, rid);
	snprintf(href, sizeof(href), "/records/%s", rid);
	web_redirect(q, href);
	return ASB_OK;
}
