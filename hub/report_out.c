/*
 * report_out.c - a report as text (for a terminal), CSV (one row per cell, suppressed cells
 * empty with a flag), JSON, and one self-contained HTML page (no script, no network: tables
 * and SVG charts, readable printed).  A suppressed count is never written, in any format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "json.h"
#include "report.h"

static int
suppressed(const struct rpt_row *row, int m)
{
	return (row->flags >> m) & 1;
}

static const char *
force_name(const char *code)
{
	int i = sch_code_index(SCH_LIST_FORCES, code);

	return i < 0 ? code : sch_code_field(SCH_LIST_FORCES, (unsigned)i, 1);
}

/* Per 100,000 people, or -1 when the population is not known. */
static double
per100k(int64_t n, int64_t people)
{
	return people > 0 ? (double)n * 100000.0 / (double)people : -1;
}

static const char *
range_label(const struct rpt *r, char *buf, size_t cap)
{
	if (r->o.nquarters == 1)
		snprintf(buf, cap, "%s", r->o.quarters[0]);
	else
		snprintf(buf, cap, "%s to %s", r->o.quarters[0],
		    r->o.quarters[r->o.nquarters - 1]);
	return buf;
}

/* The column (combination of sensitive values) of a row, or -1. */
static long
col_of(const struct rpt *r, const struct rpt_row *row)
{
	size_t j;
	int i, same;

	for (j = 0; j < r->ncols; j++) {
		for (same = 1, i = 0; i < r->o.ndims && same; i++)
			if (rpt_is_sensitive(r->o.dims[i]))
				same = r->colkey[j][r->o.dims[i]] == row->key[r->o.dims[i]];
		if (same)
			return (long)j;
	}
	return -1;
}

/* The totals of every column of the grid, in one pass over the rows: ncols x RPT_MEASURES,
 * malloc'd (NULL when out of memory or when there is no grid). */
static int64_t *
column_totals(const struct rpt *r)
{
	int64_t *tot;
	size_t i;
	long j;
	int m;

	if (r->ncols == 0 || (tot = calloc(r->ncols, sizeof(*tot) * RPT_MEASURES)) == NULL)
		return NULL;
	for (i = 0; i < r->nrows; i++)
		if ((j = col_of(r, &r->rows[i])) >= 0)
			for (m = 0; m < RPT_MEASURES; m++)
				tot[(size_t)j * RPT_MEASURES + m] += r->rows[i].m[m];
	return tot;
}

/* Measures worth a column in text: uses always, events that happened at all. */
static int
shown(const struct rpt *r, int m)
{
	return m == 0 || r->total[m] > 0;
}

/* ---- text ------------------------------------------------------------------------------- */

static void
text_cell(FILE *f, const struct rpt_row *row, int m, int w)
{
	if (suppressed(row, m))
		fprintf(f, " %*s", w, "c");
	else
		fprintf(f, " %*lld", w, (long long)row->m[m]);
}

static int
width(const char *s)
{
	int n = (int)strlen(s);

	return n < 6 ? 6 : n;
}

int
rpt_write_text(const struct rpt *r, FILE *f)
{
	char lbl[32];
	size_t i, j;
	int d, m, w[RD_N];

	fprintf(f, "ASB powers, England and Wales: %s\n", range_label(r, lbl, sizeof(lbl)));
	fprintf(f, "%zu forces with a return counted (%d returns)%s\n", r->nforces,
	    r->returns_read, r->o.include_test ? ", TEST returns included" : "");
	fprintf(f, "uses: powers used (issued in the period); other columns: events dated "
	    "in the period\n\n");
	for (d = 0; d < r->o.ndims; d++) {
		w[d] = (int)strlen(rpt_dim_name(r->o.dims[d]));
		for (i = 0; i < r->nvalues[r->o.dims[d]]; i++)
			if ((int)strlen(r->values[r->o.dims[d]][i]) > w[d])
				w[d] = (int)strlen(r->values[r->o.dims[d]][i]);
		fprintf(f, "%-*s ", w[d], rpt_dim_name(r->o.dims[d]));
	}
	for (m = 0; m < RPT_MEASURES; m++)
		if (shown(r, m))
			fprintf(f, " %*s", width(rpt_measure_name(m)), rpt_measure_name(m));
	fputc('\n', f);
	for (i = 0; i < r->nrows; i++) {
		for (d = 0; d < r->o.ndims; d++)
			fprintf(f, "%-*s ", w[d], rpt_value(r, &r->rows[i], r->o.dims[d]));
		for (m = 0; m < RPT_MEASURES; m++)
			if (shown(r, m))
				text_cell(f, &r->rows[i], m, width(rpt_measure_name(m)));
		fputc('\n', f);
	}
	for (d = 0, j = 0; d < r->o.ndims; d++)
		j += (size_t)w[d] + 1;
	fprintf(f, "%-*s", (int)j, "total");
	for (m = 0; m < RPT_MEASURES; m++)
		if (shown(r, m))
			fprintf(f, " %*lld", width(rpt_measure_name(m)), (long long)r->total[m]);
	fputc('\n', f);
	if (r->sensitive) {
		fprintf(f, "\nDisclosure control: counts from 1 to %u are shown as c (%u cells), "
		    "and %u more cells are hidden so that none can be worked out from the "
		    "totals.\n", r->o.threshold - 1, r->suppressed, r->secondary);
		fprintf(f, "Totals by");
		for (d = 0; d < r->o.ndims; d++)
			if (rpt_is_sensitive(r->o.dims[d]))
				fprintf(f, " %s", rpt_dim_name(r->o.dims[d]));
		fputs(":\n", f);
		int64_t *all = column_totals(r);

		for (j = 0; j < r->ncols && all != NULL; j++) {
			const int64_t *tot = all + j * RPT_MEASURES;

			fputs(" ", f);
			for (d = 0; d < r->o.ndims; d++)
				if (rpt_is_sensitive(r->o.dims[d]))
					fprintf(f, " %-14s", r->values[r->o.dims[d]][r->colkey[j][
					    r->o.dims[d]]]);
			for (m = 0; m < RPT_MEASURES; m++)
				if (shown(r, m)) {
					if ((r->colsup[j] >> m) & 1)
						fprintf(f, " %*s", width(rpt_measure_name(m)), "c");
					else
						fprintf(f, " %*lld", width(rpt_measure_name(m)),
						    (long long)tot[m]);
				}
			fputc('\n', f);
		}
		free(all);
	}
	fprintf(f, "\n%-10s %-32s %9s %9s %10s %8s %8s %9s\n", "force", "name", "uses",
	    "per-100k", "population", "subjects", "repeat", "breaches");
	for (i = 0; i < r->nforces; i++) {
		const struct rpt_force *x = &r->forces[i];
		double rate = per100k(x->uses, x->population);

		fprintf(f, "%-10s %-32.32s %9lld ", x->code, force_name(x->code),
		    (long long)x->uses);
		if (rate < 0)
			fprintf(f, "%9s %10s", "-", "-");
		else
			fprintf(f, "%9.1f %10lld", rate, (long long)x->population);
		fprintf(f, " %8lld %8lld %9lld\n", (long long)x->subjects,
		    (long long)x->repeat_subjects, (long long)x->breaches);
	}
	fprintf(f, "\n%-24s %9s %9s %12s\n", "power", "uses", "breaches", "breaches/100");
	for (i = 0; i < sch_code_count(SCH_LIST_POWERS) && i < 16; i++) {
		const struct rpt_power *p = &r->powers[i];

		if (p->uses == 0 && p->breaches == 0)
			continue;
		fprintf(f, "%-24s %9lld %9lld ", sch_power_code((int)i), (long long)p->uses,
		    (long long)p->breaches);
		if (p->uses > 0)
			fprintf(f, "%12.1f\n", 100.0 * (double)p->breaches / (double)p->uses);
		else
			fprintf(f, "%12s\n", "-");
	}
	return ferror(f) ? -1 : 0;
}

/* ---- CSV ----------------------------------------------------------------------------------- */

int
rpt_write_csv(const struct rpt *r, FILE *f)
{
	size_t i;
	int d, m;

	for (d = 0; d < r->o.ndims; d++) {
		csv_field(f, rpt_dim_name(r->o.dims[d]));
		fputc(',', f);
	}
	fputs("measure,count,suppressed\n", f);
	for (i = 0; i < r->nrows; i++)
		for (m = 0; m < RPT_MEASURES; m++) {
			if (r->rows[i].m[m] == 0 && !suppressed(&r->rows[i], m) && m > 0)
				continue;
			for (d = 0; d < r->o.ndims; d++) {
				csv_field(f, rpt_value(r, &r->rows[i], r->o.dims[d]));
				fputc(',', f);
			}
			if (suppressed(&r->rows[i], m))
				fprintf(f, "%s,,true\n", rpt_measure_name(m));
			else
				fprintf(f, "%s,%lld,false\n", rpt_measure_name(m),
				    (long long)r->rows[i].m[m]);
		}
	return ferror(f) ? -1 : 0;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

int
rpt_write_json(const struct rpt *r, FILE *f)
{
	size_t i, j;
	int d, m, first;

	fputc('{', f);
	json_key(f, 1, "quarters");
	fputc('[', f);
	for (d = 0; d < r->o.nquarters; d++) {
		if (d > 0)
			fputc(',', f);
		json_str(f, r->o.quarters[d]);
	}
	fputc(']', f);
	json_kv_bool(f, 0, "include_test", r->o.include_test);
	json_key(f, 0, "dimensions");
	fputc('[', f);
	for (d = 0; d < r->o.ndims; d++) {
		if (d > 0)
			fputc(',', f);
		json_str(f, rpt_dim_name(r->o.dims[d]));
	}
	fputc(']', f);
	json_kv_int(f, 0, "returns", r->returns_read);
	json_kv_bool(f, 0, "disclosure_control", r->sensitive);
	json_kv_int(f, 0, "threshold", r->o.threshold);
	json_kv_int(f, 0, "suppressed_primary", r->suppressed);
	json_kv_int(f, 0, "suppressed_secondary", r->secondary);
	json_key(f, 0, "rows");
	fputc('[', f);
	for (i = 0; i < r->nrows; i++) {
		fputs(i ? ",{" : "{", f);
		for (d = 0; d < r->o.ndims; d++)
			json_kv_str(f, d == 0, rpt_dim_name(r->o.dims[d]),
			    rpt_value(r, &r->rows[i], r->o.dims[d]));
		for (m = 0; m < RPT_MEASURES; m++) {
			json_key(f, 0, rpt_measure_name(m));
			if (suppressed(&r->rows[i], m))
				fputs("null", f);
			else
				fprintf(f, "%lld", (long long)r->rows[i].m[m]);
		}
		fputc('}', f);
	}
	fputc(']', f);
	json_key(f, 0, "total");
	fputc('{', f);
	for (m = 0; m < RPT_MEASURES; m++)
		json_kv_int(f, m == 0, rpt_measure_name(m), r->total[m]);
	fputc('}', f);
	if (r->sensitive) {
		json_key(f, 0, "column_totals");
		int64_t *all = column_totals(r);

		fputc('[', f);
		for (j = 0; j < r->ncols && all != NULL; j++) {
			const int64_t *tot = all + j * RPT_MEASURES;

			fputs(j ? ",{" : "{", f);
			for (first = 1, d = 0; d < r->o.ndims; d++)
				if (rpt_is_sensitive(r->o.dims[d])) {
					json_kv_str(f, first, rpt_dim_name(r->o.dims[d]),
					    r->values[r->o.dims[d]][r->colkey[j][r->o.dims[d]]]);
					first = 0;
				}
			for (m = 0; m < RPT_MEASURES; m++) {
				json_key(f, 0, rpt_measure_name(m));
				if ((r->colsup[j] >> m) & 1)
					fputs("null", f);
				else
					fprintf(f, "%lld", (long long)tot[m]);
			}
			fputc('}', f);
		}
		fputc(']', f);
		free(all);
	}
	json_key(f, 0, "forces");
	fputc('[', f);
	for (i = 0; i < r->nforces; i++) {
		const struct rpt_force *x = &r->forces[i];
		double rate = per100k(x->uses, x->population);

		fputs(i ? ",{" : "{", f);
		json_kv_str(f, 1, "force", x->code);
		json_kv_str(f, 0, "name", force_name(x->code));
		json_kv_int(f, 0, "returns", x->returns);
		json_kv_int(f, 0, "uses", x->uses);
		json_kv_int(f, 0, "population", x->population);
		json_key(f, 0, "per_100k");
		if (rate < 0)
			fputs("null", f);
		else
			fprintf(f, "%.2f", rate);
		json_kv_int(f, 0, "subjects", x->subjects);
		json_kv_int(f, 0, "repeat_subjects", x->repeat_subjects);
		json_kv_int(f, 0, "breaches", x->breaches);
		fputc('}', f);
	}
	fputc(']', f);
	json_key(f, 0, "powers");
	fputc('[', f);
	for (first = 1, i = 0; i < sch_code_count(SCH_LIST_POWERS) && i < 16; i++) {
		const struct rpt_power *p = &r->powers[i];

		if (p->uses == 0 && p->breaches == 0)
			continue;
		fputs(first ? "{" : ",{", f);
		first = 0;
		json_kv_str(f, 1, "power", sch_power_code((int)i));
		json_kv_int(f, 0, "uses", p->uses);
		json_kv_int(f, 0, "breaches", p->breaches);
		json_key(f, 0, "breaches_per_100_uses");
		if (p->uses > 0)
			fprintf(f, "%.2f", 100.0 * (double)p->breaches / (double)p->uses);
		else
			fputs("null", f);
		fputc('}', f);
	}
	fputs("]}\n", f);
	return ferror(f) ? -1 : 0;
}

/* ---- HTML ---------------------------------------------------------------------------------- */

static void
html_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

/* Colour-blind-safe palette (Okabe and Ito), repeated past eight powers with a pattern of
 * lightness. */
static const char *const palette[] = {
	"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
	"#000000", "#7FB8D8", "#F2CF80", "#80CEB9", "#E6BCD3"
};

/* Uses by power per force: one stacked horizontal bar a force. */
static void
svg_force_power(const struct rpt *r, FILE *f)
{
	int64_t max = 1;
	size_t i;
	unsigned p, np = sch_code_count(SCH_LIST_POWERS);
	int bar = 14, left = 190, wdt = 560, h;

	if (np > 12)
		np = 12;
	for (i = 0; i < r->nforces; i++)
		if (r->forces[i].uses > max)
			max = r->forces[i].uses;
	h = (int)r->nforces * (bar + 4) + 60;
	fprintf(f, "<figure><figcaption>Uses by power, per force</figcaption>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "role=\"img\" aria-label=\"uses by power per force\">\n", left + wdt + 60, h);
	for (i = 0; i < r->nforces; i++) {
		int y = 10 + (int)i * (bar + 4);
		double x = left;

		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">",
		    left - 6, y + bar - 3);
		html_text(f, force_name(r->forces[i].code));
		fputs("</text>\n", f);
		for (p = 0; p < np; p++) {
			double w = (double)r->forces[i].by_power[p] * wdt / (double)max;

			if (w <= 0)
				continue;
			fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			    "fill=\"%s\"><title>%s: %lld</title></rect>\n", x, y, w, bar,
			    palette[p], sch_power_code((int)p),
			    (long long)r->forces[i].by_power[p]);
			x += w;
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%lld</text>\n", x + 4,
		    y + bar - 3, (long long)r->forces[i].uses);
	}
	/* legend: the powers used */
	for (p = 0, i = 0; p < np; p++) {
		int x = 10 + (int)(i % 6) * 125, y = h - 40 + (int)(i / 6) * 16;

		if (r->powers[p].uses == 0)
			continue;
		i++;

		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
		    "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>\n", x, y, palette[p],
		    x + 14, y + 9, sch_power_code((int)p));
	}
	fputs("</svg></figure>\n", f);
}

static void
svg_trend(const struct rpt *r, FILE *f)
{
	int64_t max = 1;
	int q, bw = 40, gap = 14, h = 200, left = 50;

	for (q = 0; q < r->o.nquarters; q++)
		if (r->quarter_uses[q] > max)
			max = r->quarter_uses[q];
	fprintf(f, "<figure><figcaption>Uses by quarter, England and Wales</figcaption>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" "
	    "aria-label=\"trend by quarter\">\n", left + r->o.nquarters * (bw + gap) + 20,
	    h + 40);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", left - 4,
	    h + 10, left + r->o.nquarters * (bw + gap), h + 10);
	for (q = 0; q < r->o.nquarters; q++) {
		double bh = (double)r->quarter_uses[q] * (h - 20) / (double)max;
		int x = left + q * (bw + gap);

		fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
		    "fill=\"#0072B2\"/>\n<text x=\"%d\" y=\"%.1f\" font-size=\"10\" "
		    "text-anchor=\"middle\">%lld</text>\n<text x=\"%d\" y=\"%d\" "
		    "font-size=\"10\" text-anchor=\"middle\">%s</text>\n", x, h + 10 - bh, bw,
		    bh, x + bw / 2, h + 6 - bh, (long long)r->quarter_uses[q], x + bw / 2,
		    h + 24, r->o.quarters[q]);
	}
	fputs("</svg></figure>\n", f);
}

/* Forces ranked by uses per 100,000 people (no map: a ranking reads the same printed). */
static void
svg_ranking(const struct rpt *r, FILE *f)
{
	size_t order[64], n = 0, i, j;
	double max = 0.001, rate;
	int bar = 12, left = 190, wdt = 480;

	for (i = 0; i < r->nforces && n < 64; i++)
		if (r->forces[i].population > 0)
			order[n++] = i;
	for (i = 1; i < n; i++)		/* insertion sort, highest rate first */
		for (j = i; j > 0 && per100k(r->forces[order[j]].uses,
		    r->forces[order[j]].population) > per100k(r->forces[order[j - 1]].uses,
		    r->forces[order[j - 1]].population); j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		if ((rate = per100k(r->forces[order[i]].uses,
		    r->forces[order[i]].population)) > max)
			max = rate;
	fprintf(f, "<figure><figcaption>Uses per 100,000 people, forces ranked"
	    "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" role=\"img\" aria-label=\"uses per 100,000 people\">\n",
	    left + wdt + 60, (int)n * (bar + 3) + 20);
	for (i = 0; i < n; i++) {
		const struct rpt_force *x = &r->forces[order[i]];
		int y = 8 + (int)i * (bar + 3);

		rate = per100k(x->uses, x->population);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">",
		    left - 6, y + bar - 2);
		html_text(f, force_name(x->code));
		fprintf(f, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
		    "fill=\"#009E73\"/><text x=\"%.1f\" y=\"%d\" font-size=\"10\">%.1f</text>\n",
		    left, y, rate * wdt / max, bar, left + rate * wdt / max + 4, y + bar - 2,
		    rate);
	}
	fputs("</svg></figure>\n", f);
}

int
rpt_write_html(const struct rpt *r, FILE *f)
{
	char lbl[32];
	size_t i;
	int d, m;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\n"
	    "<title>ASB powers, England and Wales: %s</title>\n<style>\n"
	    "body{font-family:Arial,Helvetica,sans-serif;margin:2em;color:#0b0c0c}\n"
	    "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em}\n"
	    "table{border-collapse:collapse;font-size:.85em;margin:.5em 0}\n"
	    "th,td{border:1px solid #b1b4b6;padding:2px 6px}td.n{text-align:right}\n"
	    "th{background:#f3f2f1;text-align:left}figure{margin:1em 0}\n"
	    "figcaption{font-weight:bold;margin-bottom:.3em}\n"
	    "@media print{body{margin:1cm}h2,figure,table{break-inside:avoid}}\n"
	    "</style></head><body>\n", range_label(r, lbl, sizeof(lbl)));
	fprintf(f, "<h1>Anti-social behaviour powers, England and Wales: %s</h1>\n", lbl);
	fprintf(f, "<p>%zu forces with a return counted; %lld uses of the powers; %lld "
	    "breaches. Uses are powers issued in the period; events are dated in it.%s</p>\n",
	    r->nforces, (long long)r->total[0], (long long)r->total[1 +
	    sch_code_index(SCH_LIST_EVENTS, "breached")],
	    r->o.include_test ? " <strong>Includes TEST returns.</strong>" : "");
	if (r->sensitive)
		fprintf(f, "<p>Disclosure control: counts from 1 to %u are shown as "
		    "<em>c</em>; %u more cells are hidden so that none can be worked out "
		    "from the totals.</p>\n", r->o.threshold - 1, r->secondary);
	fputs("<h2>Charts</h2>\n", f);
	svg_force_power(r, f);
	svg_trend(r, f);
	svg_ranking(r, f);
	fputs("<h2>Table</h2>\n<table><thead><tr>", f);
	for (d = 0; d < r->o.ndims; d++)
		fprintf(f, "<th>%s</th>", rpt_dim_name(r->o.dims[d]));
	for (m = 0; m < RPT_MEASURES; m++)
		if (shown(r, m))
			fprintf(f, "<th>%s</th>", rpt_measure_name(m));
	fputs("</tr></thead><tbody>\n", f);
	for (i = 0; i < r->nrows; i++) {
		fputs("<tr>", f);
		for (d = 0; d < r->o.ndims; d++) {
			fputs("<td>", f);
			html_text(f, rpt_value(r, &r->rows[i], r->o.dims[d]));
			fputs("</td>", f);
		}
		for (m = 0; m < RPT_MEASURES; m++)
			if (shown(r, m)) {
				if (suppressed(&r->rows[i], m))
					fputs("<td class=\"n\">c</td>", f);
				else
					fprintf(f, "<td class=\"n\">%lld</td>",
					    (long long)r->rows[i].m[m]);
			}
		fputs("</tr>\n", f);
	}
	fprintf(f, "<tr><th colspan=\"%d\">total</th>", r->o.ndims);
	for (m = 0; m < RPT_MEASURES; m++)
		if (shown(r, m))
			fprintf(f, "<td class=\"n\">%lld</td>", (long long)r->total[m]);
	fputs("</tr></tbody></table>\n<h2>Forces</h2>\n<table><thead><tr><th>force</th>"
	    "<th>name</th><th>uses</th><th>per 100,000</th><th>subjects</th><th>repeat "
	    "subjects</th><th>breaches</th></tr></thead><tbody>\n", f);
	for (i = 0; i < r->nforces; i++) {
		const struct rpt_force *x = &r->forces[i];
		double rate = per100k(x->uses, x->population);

		fprintf(f, "<tr><td>%s</td><td>", x->code);
		html_text(f, force_name(x->code));
		fprintf(f, "</td><td class=\"n\">%lld</td>", (long long)x->uses);
		if (rate < 0)
			fputs("<td class=\"n\">-</td>", f);
		else
			fprintf(f, "<td class=\"n\">%.1f</td>", rate);
		fprintf(f, "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">"
		    "%lld</td></tr>\n", (long long)x->subjects, (long long)x->repeat_subjects,
		    (long long)x->breaches);
	}
	fputs("</tbody></table>\n<p>Rates use the ONS mid-year population of each police "
	    "force area (schema/population.tsv gives the source and year).</p>\n"
	    "</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}
