/*
 * formpage.c - the fields of a GOV.UK form page (formpage.h): text inputs, date inputs as
 * parts (NAME-day, NAME-month, NAME-year, NAME-time), textareas and checkboxes, each with its
 * message and the value typed kept, all written through pg_printf (escaped).
 */
#include <stdio.h>
#include <string.h>

#include "formpage.h"



void
fp_problem(struct problems *p, const char *field, const char *msg, const char *rule)
{
	if (p->n == FP_MAX_ERRORS)
		return;
	snprintf(p->msg[p->n], sizeof(p->msg[0]), "%s", msg);
	snprintf(p->rule[p->n], sizeof(p->rule[0]), "%s", rule != NULL ? rule : "");
	p->e[p->n].field = field;
	p->e[p->n].msg = p->msg[p->n];
	p->e[p->n].rule = p->rule[p->n][0] ? p->rule[p->n] : NULL;
	p->n++;
}

const struct pg_error *
fp_problem_of(const struct problems *p, const char *field)
{
	size_t i;

	for (i = 0; p != NULL && i < p->n; i++)
		if (p->e[i].field != NULL && strcmp(p->e[i].field, field) == 0)
			return &p->e[i];
	return NULL;
}

const char *
fp_value(const struct web_req *q, const char *name)
{
	return q->method == WEB_POST ? web_form(q, name) : web_query(q, name);
}

void
fp_error_line(struct web_req *q, const char *id, const struct pg_error *e)
{
	if (e == NULL)
		return;
	pg_printf(q, "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-"
	    "visually-hidden\">Error:</span> %s", id, e->msg);
	if (e->rule != NULL)
		pg_printf(q, " (%s)", e->rule);
	pg_raw(q, "</p>");
}

/* A GOV.UK date input: day, month, year, and the time where the law counts hours.  Values
 * kept: the parts as typed, or the parts of an ISO NAME. */
static void
fp_date_input(struct web_req *q, const struct fdef *f, const struct pg_error *e)
{
	static const char *const part[] = { "day", "month", "year", "time" };
	static const char *const label[] = { "Day", "Month", "Year", "Time (HH:MM)" };
	static const char *const width[] = { "2", "2", "4", "5" };
	const char *iso = fp_value(q, f->name);
	char pname[40], isopart[4][8];
	size_t i, nparts = f->type == F_DATETIME ? 4 : 3;

	memset(isopart, 0, sizeof(isopart));
	if (iso != NULL && strlen(iso) >= 10) {
		snprintf(isopart[0], sizeof(isopart[0]), "%.2s", iso + 8);
		snprintf(isopart[1], sizeof(isopart[1]), "%.2s", iso + 5);
		snprintf(isopart[2], sizeof(isopart[2]), "%.4s", iso);
		if (strlen(iso) >= 16)
			snprintf(isopart[3], sizeof(isopart[3]), "%.5s", iso + 11);
	}
	pg_printf(q, "<div class=\"govuk-form-group%s\"><fieldset class=\"govuk-fieldset\" "
	    "role=\"group\" aria-describedby=\"%s-hint%s%s%s\"><legend class=\"govuk-fieldset__"
	    "legend govuk-fieldset__legend--s\">%s</legend><div id=\"%s-hint\" class=\"govuk-"
	    "hint\">%s For example, 27 3 2025%s</div>", e ? " govuk-form-group--error" : "",
	    f->name, e ? " " : "", e ? f->name : "", e ? "-error" : "", f->label, f->name, f->hint ? f->hint : "",
	    f->type == F_DATETIME ? " 21:30" : "");
	if (e != NULL) {
		fp_error_line(q, f->name, e);
		/* the summary's link lands on the first part */
	}
	pg_printf(q, "<div class=\"govuk-date-input\" id=\"%s\">", f->name);
	for (i = 0; i < nparts; i++) {
		const char *v;

		snprintf(pname, sizeof(pname), "%s-%s", f->name, part[i]);
		v = fp_value(q, pname);
		if ((v == NULL || v[0] == '\0') && isopart[i][0] != '\0')
			v = isopart[i];
		pg_printf(q, "<div class=\"govuk-date-input__item\"><div class=\"govuk-form-"
		    "group\"><label class=\"govuk-label govuk-date-input__label\" for=\"%s\">%s"
		    "</label><input class=\"govuk-input govuk-date-input__input govuk-input--"
		    "width-%s%s\" id=\"%s\" name=\"%s\" type=\"text\" inputmode=\"numeric\"",
		    pname, label[i], width[i], e ? " govuk-input--error" : "", pname, pname);
		if (v != NULL)
			pg_printf(q, " value=\"%s\"", v);
		pg_raw(q, "></div></div>");
	}
	pg_raw(q, "</div></fieldset></div>\n");
}

void
fp_field(struct web_req *q, const struct fdef *f, const struct problems *p)
{
	const struct pg_error *e = fp_problem_of(p, f->name);
	const char *v = fp_value(q, f->name);
	char err[SCH_FINDING_MSG + 96];

	if (e != NULL && e->rule != NULL)
		snprintf(err, sizeof(err), "%s (%s)", e->msg, e->rule);
	else if (e != NULL)
		snprintf(err, sizeof(err), "%s", e->msg);
	switch (f->type) {
	case F_DATE:
	case F_DATETIME:
		fp_date_input(q, f, e);
		break;
	case F_CHECK:
		pg_printf(q, "<div class=\"govuk-form-group%s\">", e ? " govuk-form-group--error" :
		    "");
		fp_error_line(q, f->name, e);
		pg_printf(q, "<div class=\"govuk-checkboxes govuk-checkboxes--small\"><div class="
		    "\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"%s\" "
		    "name=\"%s\" type=\"checkbox\" value=\"1\"%s><label class=\"govuk-label govuk-"
		    "checkboxes__label\" for=\"%s\">%s</label></div></div></div>\n", f->name,
		    f->name, v != NULL && v[0] != '\0' ? " checked" : "", f->name, f->label);
		break;
	case F_AREA:
		pg_printf(q, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" "
		    "for=\"%s\">%s</label>", e ? " govuk-form-group--error" : "", f->name,
		    f->label);
		fp_error_line(q, f->name, e);
		pg_printf(q, "<textarea class=\"govuk-textarea%s\" id=\"%s\" name=\"%s\" rows=\"5\""
		    "%s%s%s>%s</textarea></div>\n", e ? " govuk-textarea--error" : "", f->name,
		    f->name, e ? " aria-describedby=\"" : "", e ? f->name : "", e ? "-error\"" : "",
		    v != NULL ? v : "");
		break;
	default:
		pg_input(q, f->name, f->label, f->hint, e ? err : NULL, v, "text", "off");
	}
}

