/*
 * compliance.c - which forces have submitted for a period: every force in the code list with
 * its latest accepted return (or none), when it arrived against the due date, how many
 * records it holds (from the facts stored at intake, as the national figures count them),
 * its warnings by rule (from the signed receipt: what the force was told) beside the force's
 * explanations of them (from the Header of its signed return, as stored), and every earlier
 * return for the period (rejected or superseded), so "none used" (an explicit zero return) is
 * told from "not submitted".
 */
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "compliance.h"
#include "facts.h"
#include "rtn.h"
#include "json.h"

struct hist {
	struct hub_return *r;
	size_t		 n, cap;
};

static void
collect(const struct hub_return *r, void *ctx)
{
	struct hist *h = ctx;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct hub_return *p = realloc(h->r, cap * sizeof(*p));

		if (p == NULL)
			return;
		h->r = p;
		h->cap = cap;
	}
	h->r[h->n++] = *r;
}

/* Warnings by rule from a stored receipt (its first findings: a receipt carries at most the
 * hub's max_findings). */
static void
warnings_by_rule(const char *receipt, size_t len, struct cmp_force *f)
{
	xmlDocPtr doc;
	xmlNodePtr n, fs;
	xmlChar *rule, *sev;
	int i;

	if (len > (size_t)INT32_MAX || (doc = xmlReadMemory(receipt, (int)len, "receipt",
	    NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) == NULL)
		return;
	for (fs = xmlDocGetRootElement(doc)->children; fs != NULL; fs = fs->next) {
		if (fs->type != XML_ELEMENT_NODE || strcmp((const char *)fs->name,
		    "Findings") != 0)
			continue;
		for (n = fs->children; n != NULL; n = n->next) {
			if (n->type != XML_ELEMENT_NODE)
				continue;
			rule = xmlGetProp(n, BAD_CAST "rule");
			sev = xmlGetProp(n, BAD_CAST "severity");
			if (rule != NULL && sev != NULL && strcmp((char *)sev, "warning") == 0) {
				for (i = 0; i < f->nrules; i++)
					if (strcmp(f->rules[i].rule, (char *)rule) == 0)
						break;
				if (i == f->nrules && f->nrules < CMP_MAX_RULES)
					snprintf(f->rules[f->nrules++].rule,
					    sizeof(f->rules[0].rule), "%s", (char *)rule);
				if (i < CMP_MAX_RULES)
					f->rules[i].count++;
			}
			xmlFree(rule);
			xmlFree(sev);
		}
	}
	xmlFreeDoc(doc);
}

/* One explanation of the stored return (rtn_explanations_read's callback); the first of a
 * rule kept (the gateway writes one a rule). */
static void
add_explanation(const char *rule, const char *text, void *ctx)
{
	struct cmp_force *f = ctx;
	int i;

	if (f->expl == NULL && (f->expl = calloc(RTN_MAX_EXPLANATIONS,
	    sizeof(*f->expl))) == NULL)
		return;
	for (i = 0; i < f->nexpl; i++)
		if (strcmp(f->expl[i].rule, rule) == 0)
			return;
	if (f->nexpl == RTN_MAX_EXPLANATIONS ||
	    (f->expl[f->nexpl].text = strdup(text)) == NULL)
		return;
	snprintf(f->expl[f->nexpl++].rule, sizeof(f->expl[0].rule), "%s", rule);
}

struct expl_ctx {
	struct cmp_force *f;
	const char	*id;
	struct asb_errbuf *eb;
};

/* The explanations in a stored return's Header (hub_body_read's callback). */
static int
explanations_of(const char *body, size_t len, void *ctx)
{
	struct expl_ctx *c = ctx;

	return rtn_explanations_read(body, len, c->id, add_explanation, c->f, c->eb);
}

/* The force's explanation of rule, or NULL. */
static const char *
explanation(const struct cmp_force *f, const char *rule)
{
	int i;

	for (i = 0; i < f->nexpl; i++)
		if (strcmp(f->expl[i].rule, rule) == 0)
			return f->expl[i].text;
	return NULL;
}

/* Whether the receipt warned of rule (an explanation of a warning the hub did not give is
 * still shown, said so). */
static int
warned(const struct cmp_force *f, const char *rule)
{
	int i;

	for (i = 0; i < f->nrules; i++)
		if (strcmp(f->rules[i].rule, rule) == 0)
			return 1;
	return 0;
}

/* The number of records in a return's stored facts (hub_facts_read's callback). */
static int
facts_records(const void *facts, size_t len, void *ctx)
{
	struct rtn_facts_reader rd;
	int err;

	if ((err = rtn_facts_open(&rd, facts, len, NULL)) == ASB_OK)
		*(uint64_t *)ctx = rd.records;
	return err;
}

int
hub_compliance(struct hub_store *st, const char *period, int due_days, struct cmp_report *out,
    struct asb_errbuf *eb)
{
	struct rtn_period p;
	struct hist h = { NULL, 0, 0 };
	unsigned i, nf = sch_code_count(SCH_LIST_FORCES);
	size_t k;
	char id[37], *receipt;
	size_t rlen;
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = rtn_period_parse(period, &p, eb)) != ASB_OK)
		return err;
	snprintf(out->period, sizeof(out->period), "%s", period);
	out->due = asb_time_add_days(p.end, due_days);	/* civil days: midnight stays midnight */
	if ((out->forces = calloc(nf, sizeof(*out->forces))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	out->nforces = nf;
	for (i = 0; i < nf; i++) {
		struct cmp_force *f = &out->forces[i];

		snprintf(f->code, sizeof(f->code), "%s", sch_code_field(SCH_LIST_FORCES, i, 0));
		snprintf(f->name, sizeof(f->name), "%s", sch_code_field(SCH_LIST_FORCES, i, 1));
		h.n = 0;
		if ((err = hub_return_each(st, f->code, period, collect, &h, eb)) != ASB_OK)
			break;
		for (k = 0; k < h.n; k++) {
			if (h.r[k].test)
				continue;
			f->history++;
			if (strcmp(h.r[k].state, "rejected") == 0)
				f->rejected++;
		}
		if (hub_latest(st, f->code, period, 0, id) == ASB_OK &&
		    hub_return_get(st, id, &f->latest, &receipt, &rlen, NULL, NULL) == ASB_OK) {
			struct expl_ctx ec = { f, id, eb };

			/* what the force said of its warnings, as it signed it */
			err = hub_body_read(st, id, explanations_of, &ec, eb);
			/* counted as the national figures count it: from its facts */
			if (err != ASB_OK || (err = hub_facts_read(st, id, facts_records,
			    &f->latest.records, eb)) != ASB_OK) {
				free(receipt);
				if (err == ASB_ENOTFOUND)
					err = ASB_EIO;	/* listed, so it must be there */
				break;
			}
			f->has_latest = 1;
			f->superseded = f->history - f->rejected - 1;
			f->late = f->latest.received > out->due;
			warnings_by_rule(receipt, rlen, f);
			free(receipt);
			out->submitted++;
			if (f->late)
				out->late++;
			if (f->latest.records == 0)
				out->zero++;
		} else if (f->rejected > 0)
			out->rejected_only++;
		else
			out->missing++;
	}
	free(h.r);
	if (err == ASB_OK && (out->quality = malloc(sizeof(*out->quality))) == NULL)
		err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if (err == ASB_OK)
		err = rpt_quality_build(st, period, due_days, 0, out->quality, eb);
	if (err != ASB_OK) {
		cmp_free(out);
		return err;
	}
	return ASB_OK;
}

void
cmp_free(struct cmp_report *c)
{
	size_t i;
	int j;

	for (i = 0; c->forces != NULL && i < c->nforces; i++) {
		for (j = 0; j < c->forces[i].nexpl; j++)
			free(c->forces[i].expl[j].text);
		free(c->forces[i].expl);
	}
	free(c->forces);
	c->forces = NULL;
	free(c->quality);
	c->quality = NULL;
}

/* The quality indicators of force i as one phrase: "ethnicity not stated 12.5%, ..." */
static const char *
quality_text(const struct cmp_report *c, size_t i, char *buf, size_t cap)
{
	const struct rpt_qforce *q;
	char a[16], b[16], d[16], p[48] = "", y[48] = "";
	int ok;
	double ch;

	buf[0] = '\0';
	if (c->quality == NULL || i >= c->quality->nf || !(q = &c->quality->f[i])->has)
		return buf;
	ch = rpt_change(q->uses, q->uses_prev, &ok);
	if (ok)
		snprintf(p, sizeof(p), ", uses %+.0f%% on %s%s", ch, c->quality->prev,
		    q->flag_prev ? " [flagged]" : "");
	ch = rpt_change(q->uses, q->uses_year, &ok);
	if (ok)
		snprintf(y, sizeof(y), ", %+.0f%% on %s%s", ch, c->quality->year_ago,
		    q->flag_year ? " [flagged]" : "");
	snprintf(buf, cap, "ethnicity not stated %s%%, age band missing %s%%, local authority "
	    "missing %s%%%s%s%s", rpt_share(q->eth_not_stated, q->persons, a, sizeof(a)),
	    rpt_share(q->age_missing, q->persons, b, sizeof(b)),
	    rpt_share(q->la_missing, q->records, d, sizeof(d)), p, y,
	    q->corrected ? ", corrected" : "");
	return buf;
}

static const char *
status(const struct cmp_force *f)
{
	if (f->has_latest && f->latest.records == 0)
		return f->late ? "late (none used)" : "on time (none used)";
	if (f->has_latest)
		return f->late ? "late" : "on time";
	return f->rejected ? "rejected" : "not submitted";
}

int
cmp_write_text(const struct cmp_report *c, FILE *f)
{
	char t[ASB_TIME_BUF], due[ASB_TIME_BUF], qt[256];
	size_t i;
	int j;

	fprintf(f, "Returns for %s (due %s): %u of %zu forces submitted, %u late, %u with "
	    "nothing to report, %u rejected only, %u not submitted\n\n", c->period,
	    asb_time_iso(c->due, due, sizeof(due)), c->submitted, c->nforces, c->late,
	    c->zero, c->rejected_only, c->missing);
	fprintf(f, "%-10s %-30s %-20s %-25s %8s %8s %s\n", "force", "name", "status",
	    "received", "records", "warnings", "history");
	for (i = 0; i < c->nforces; i++) {
		const struct cmp_force *x = &c->forces[i];

		fprintf(f, "%-10s %-30.30s %-20s %-25s ", x->code, x->name, status(x),
		    x->has_latest ? asb_time_iso(x->latest.received, t, sizeof(t)) : "-");
		if (x->has_latest)
			fprintf(f, "%8llu %8u", (unsigned long long)x->latest.records,
			    x->latest.warnings);
		else
			fprintf(f, "%8s %8s", "-", "-");
		fprintf(f, " %d received, %d superseded, %d rejected", x->history,
		    x->superseded, x->rejected);
		for (j = 0; j < x->nrules; j++)
			fprintf(f, "%s%s x%u%s", j ? ", " : "; ", x->rules[j].rule,
			    x->rules[j].count, explanation(x, x->rules[j].rule) ?
			    " (explained)" : "");
		fputc('\n', f);
		for (j = 0; j < x->nrules; j++)
			if (explanation(x, x->rules[j].rule) != NULL)
				fprintf(f, "%-10s %s explained: %s\n", "", x->rules[j].rule,
				    explanation(x, x->rules[j].rule));
		if (quality_text(c, i, qt, sizeof(qt))[0])
			fprintf(f, "%-10s quality: %s\n", "", qt);
		for (j = 0; j < x->nexpl; j++)
			if (!warned(x, x->expl[j].rule))
				fprintf(f, "%-10s %s explained%s: %s\n", "", x->expl[j].rule,
				    strcmp(x->expl[j].rule, RTN_RULE_VOLUME) == 0 ?
				    " (change in uses)" : " (not among the receipt's warnings)",
				    x->expl[j].text);
	}
	if (c->quality != NULL)
		fprintf(f, "\nQuality: %u forces with a change in uses of %d%% or more (when "
		    "either quarter has %d or more) on %s or %s; %u with corrected returns\n",
		    c->quality->flagged, RPT_CHANGE_PCT, RPT_CHANGE_MIN, c->quality->prev,
		    c->quality->year_ago, c->quality->corrected);
	return ferror(f) ? -1 : 0;
}

int
cmp_write_json(const struct cmp_report *c, FILE *f)
{
	char t[ASB_TIME_BUF];
	size_t i;
	int j;

	fputc('{', f);
	json_kv_str(f, 1, "period", c->period);
	json_kv_str(f, 0, "due", asb_time_iso(c->due, t, sizeof(t)));
	json_kv_int(f, 0, "forces", (int64_t)c->nforces);
	json_kv_int(f, 0, "submitted", c->submitted);
	json_kv_int(f, 0, "late", c->late);
	json_kv_int(f, 0, "none_used", c->zero);
	json_kv_int(f, 0, "rejected_only", c->rejected_only);
	json_kv_int(f, 0, "not_submitted", c->missing);
	json_key(f, 0, "returns");
	fputc('[', f);
	for (i = 0; i < c->nforces; i++) {
		const struct cmp_force *x = &c->forces[i];

		fputs(i ? ",{" : "{", f);
		json_kv_str(f, 1, "force", x->code);
		json_kv_str(f, 0, "name", x->name);
		json_kv_str(f, 0, "status", status(x));
		json_kv_strn(f, 0, "return_id", x->has_latest ? x->latest.id : NULL);
		json_kv_strn(f, 0, "received", x->has_latest ? asb_time_iso(x->latest.received,
		    t, sizeof(t)) : NULL);
		json_kv_int(f, 0, "records", x->has_latest ? (int64_t)x->latest.records : 0);
		json_kv_int(f, 0, "warnings", x->has_latest ? x->latest.warnings : 0);
		json_key(f, 0, "warnings_by_rule");
		fputc('{', f);
		for (j = 0; j < x->nrules; j++)
			json_kv_int(f, j == 0, x->rules[j].rule, x->rules[j].count);
		fputc('}', f);
		if (x->nexpl > 0) {	/* absent without: the JSON of earlier releases */
			json_key(f, 0, "explanations");
			fputc('{', f);
			for (j = 0; j < x->nexpl; j++)
				json_kv_str(f, j == 0, x->expl[j].rule, x->expl[j].text);
			fputc('}', f);
		}
		json_kv_int(f, 0, "received_count", x->history);
		json_kv_int(f, 0, "superseded", x->superseded);
		json_kv_int(f, 0, "rejected", x->rejected);
		if (c->quality != NULL && i < c->quality->nf && c->quality->f[i].has) {
			const struct rpt_qforce *q = &c->quality->f[i];

			json_key(f, 0, "quality");
			fputc('{', f);
			json_kv_int(f, 1, "persons", q->persons);
			json_kv_int(f, 0, "ethnicity_not_stated", q->eth_not_stated);
			json_kv_int(f, 0, "age_band_missing", q->age_missing);
			json_kv_int(f, 0, "local_authority_missing", q->la_missing);
			json_kv_int(f, 0, "uses", q->uses);
			json_kv_int(f, 0, "uses_previous_quarter", q->uses_prev);
			json_kv_int(f, 0, "uses_year_before", q->uses_year);
			json_kv_bool(f, 0, "flag_previous_quarter", q->flag_prev);
			json_kv_bool(f, 0, "flag_year_before", q->flag_year);
			json_kv_int(f, 0, "corrections", q->corrected);
			fputc('}', f);
		}
		fputc('}', f);
	}
	fputs("]}\n", f);
	return ferror(f) ? -1 : 0;
}

/* An explanation beside its warning: the force's words, escaped. */
static void
html_explanation(FILE *f, const char *text)
{
	const char *p;

	if (text == NULL)
		return;
	fputs(" <q class=\"explained\">", f);
	for (p = text; *p != '\0'; p++)
		switch (*p) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*p, f); break;
		}
	fputs("</q>", f);
}

int
cmp_write_html(const struct cmp_report *c, FILE *f)
{
	char t[ASB_TIME_BUF], due[ASB_TIME_BUF], qt[256];
	size_t i;
	int j;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
	    "<title>Returns for %s</title>\n<style>body{font-family:Arial,Helvetica,"
	    "sans-serif;margin:2em}table{border-collapse:collapse;font-size:.85em}"
	    "th,td{border:1px solid #b1b4b6;padding:2px 6px}th{background:#f3f2f1}"
	    ".late{background:#fff2cc}.missing{background:#f6d7d2}q.explained{font-style:italic}</style></head><body>\n"
	    "<h1>Returns for %s</h1>\n<p>Due %s. %u of %zu forces submitted, %u late, %u "
	    "with nothing to report, %u rejected only, %u not submitted.</p>\n<table><thead>"
	    "<tr><th>force</th><th>name</th><th>status</th><th>received</th><th>records</th>"
	    "<th>warnings</th><th>history</th><th>data quality</th></tr></thead><tbody>\n",
	    c->period, c->period,
	    asb_time_iso(c->due, due, sizeof(due)), c->submitted, c->nforces, c->late, c->zero,
	    c->rejected_only, c->missing);
	for (i = 0; i < c->nforces; i++) {
		const struct cmp_force *x = &c->forces[i];

		fprintf(f, "<tr class=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td>",
		    !x->has_latest ? "missing" : x->late ? "late" : "", x->code, x->name,
		    status(x), x->has_latest ? asb_time_iso(x->latest.received, t,
		    sizeof(t)) : "-");
		if (x->has_latest)
			fprintf(f, "<td>%llu</td><td>%u", (unsigned long long)x->latest.records,
			    x->latest.warnings);
		else
			fputs("<td>-</td><td>-", f);
		for (j = 0; j < x->nrules; j++) {
			fprintf(f, "%s%s &times;%u", j ? ", " : " (", x->rules[j].rule,
			    x->rules[j].count);
			html_explanation(f, explanation(x, x->rules[j].rule));
		}
		fprintf(f, "%s", x->nrules ? ")" : "");
		for (j = 0; j < x->nexpl; j++)
			if (!warned(x, x->expl[j].rule) &&
			    strcmp(x->expl[j].rule, RTN_RULE_VOLUME) != 0) {
				fprintf(f, " %s (not among the receipt's warnings)", x->expl[j].rule);
				html_explanation(f, x->expl[j].text);
			}
		fprintf(f, "</td><td>%d received, %d superseded, %d rejected</td><td>%s",
		    x->history, x->superseded, x->rejected,
		    quality_text(c, i, qt, sizeof(qt)));
		html_explanation(f, explanation(x, RTN_RULE_VOLUME));
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></body></html>\n", f);
	return ferror(f) ? -1 : 0;
}
