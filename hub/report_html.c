/*
 * report_html.c - a report as one self-contained HTML page (no script, no network: tables and
 * SVG charts, readable printed), saying its coverage, its status (working figures, or a
 * release provisional or final, and what it revises), the measures each power has, and the
 * data quality of each force.  A suppressed count is never written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "population.h"
#include "report.h"
#include "report_pub.h"

#define force_name(c)	rpt_force_name(c)

/* Per 100,000 people, or -1 when the population is not known. */
static double
per100k(int64_t n, int64_t people)
{
	return people > 0 ? (double)n * 100000.0 / (double)people : -1;
}

static int
shown(const struct rpt *r, int m)
{
	return m == 0 || r->total[m] > 0;
}

static int
suppressed(const struct rpt_row *row, int m)
{
	return (row->flags >> m) & 1;
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
	fprintf(f, "<figure><figcaption>Uses by quarter, forces with a return</figcaption>\n"
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
		if (r->forces[i].population > 0 && rpt_force_ranked(r, i))
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

static void
html_quality(FILE *f, const struct rpt_quality *q)
{
	char a[16], b[16], c[16];
	unsigned i;
	int ok;
	double ch;

	fprintf(f, "<h2>Data quality by force, %s</h2>\n<p>Shares of person records with no "
	    "ethnicity (or not stated) or no age band, and of records with no local authority "
	    "(returns carry the district, not the LSOA). A change in uses of %d%% or more on "
	    "the previous quarter (%s) or the same quarter a year before (%s) is flagged when "
	    "either has at least %d uses. Late: received more than %d days after the quarter "
	    "ended. %u forces flagged, %u late, %u with corrected returns.</p>\n"
	    "<table><thead><tr><th>force</th><th>name</th><th>records</th><th>ethnicity not "
	    "stated %%</th><th>age band missing %%</th><th>local authority missing %%</th>"
	    "<th>uses</th><th>previous quarter</th><th>change %%</th><th>a year before</th>"
	    "<th>change %%</th><th>flag</th><th>late</th><th>corrections</th></tr></thead>"
	    "<tbody>\n", q->period, RPT_CHANGE_PCT, q->prev, q->year_ago, RPT_CHANGE_MIN,
	    q->due_days, q->flagged, q->late, q->corrected);
	for (i = 0; i < q->nf; i++) {
		const struct rpt_qforce *x = &q->f[i];

		fprintf(f, "<tr><td>%s</td><td>", x->code);
		html_text(f, force_name(x->code));
		if (!x->has) {
			fputs("</td><td colspan=\"12\">no return counted</td></tr>\n", f);
			continue;
		}
		fprintf(f, "</td><td class=\"n\">%lld</td><td class=\"n\">%s</td><td class=\"n\">"
		    "%s</td><td class=\"n\">%s</td><td class=\"n\">%lld</td>",
		    (long long)x->records, rpt_share(x->eth_not_stated, x->persons, a, sizeof(a)),
		    rpt_share(x->age_missing, x->persons, b, sizeof(b)),
		    rpt_share(x->la_missing, x->records, c, sizeof(c)), (long long)x->uses);
		if (x->uses_prev < 0)
			fputs("<td class=\"n\">-</td>", f);
		else
			fprintf(f, "<td class=\"n\">%lld</td>", (long long)x->uses_prev);
		ch = rpt_change(x->uses, x->uses_prev, &ok);
		fprintf(f, ok ? "<td class=\"n\">%+.1f</td>" : "<td class=\"n\">-</td>", ch);
		if (x->uses_year < 0)
			fputs("<td class=\"n\">-</td>", f);
		else
			fprintf(f, "<td class=\"n\">%lld</td>", (long long)x->uses_year);
		ch = rpt_change(x->uses, x->uses_year, &ok);
		fprintf(f, ok ? "<td class=\"n\">%+.1f</td>" : "<td class=\"n\">-</td>", ch);
		fprintf(f, "<td>%s</td><td>%s</td><td class=\"n\">%d</td></tr>\n",
		    x->flag_prev && x->flag_year ? "both" : x->flag_prev ? "previous quarter" :
		    x->flag_year ? "year before" : "", x->late ? "late" : "", x->corrected);
	}
	fputs("</tbody></table>\n", f);
}

static int
revised(const struct rpt *r, size_t i, int m)
{
	return r->pub != NULL && r->pub->row_revised != NULL &&
	    ((r->pub->row_revised[i] >> m) & 1);
}

int
rpt_write_html(const struct rpt *r, FILE *f)
{
	char lbl[32], area[128], per[64], date[ASB_TIME_BUF];
	const struct rpt_pub *p = r->pub;
	size_t i;
	unsigned k;
	int d, m;

	rpt_range(r, lbl, sizeof(lbl));
	rpt_area(r, area, sizeof(area));
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\n"
	    "<title>ASB powers, %s: %s</title>\n<style>\n"
	    "body{font-family:Arial,Helvetica,sans-serif;margin:2em;color:#0b0c0c}\n"
	    "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em}\n"
	    "table{border-collapse:collapse;font-size:.85em;margin:.5em 0}\n"
	    "th,td{border:1px solid #b1b4b6;padding:2px 6px}td.n{text-align:right}\n"
	    "th{background:#f3f2f1;text-align:left}figure{margin:1em 0}\n"
	    "figcaption{font-weight:bold;margin-bottom:.3em}.status{font-weight:bold}\n"
	    "@media print{body{margin:1cm}h2,figure,table{break-inside:avoid}}\n"
	    "</style></head><body>\n", area, lbl);
	fprintf(f, "<h1>Anti-social behaviour powers, %s: %s</h1>\n", area, lbl);
	if (p != NULL && p->release_id[0])
		fprintf(f, "<p class=\"status\">Release %s, %s%s, published %s%s%s.</p>\n",
		    p->release_id, p->status, p->previous[0] ? " (revised)" : "",
		    asb_time_iso(p->date, date, sizeof(date)), p->previous[0] ? "; revises " :
		    "", p->previous);
	else
		fputs("<p class=\"status\">Working figures, not a release: they change as "
		    "returns arrive.</p>\n", f);
	fputs("<h2>Coverage</h2>\n<ul>\n", f);
	rpt_coverage_lines(r, f, "<li>", "</li>\n");
	fputs("</ul>\n", f);
	fprintf(f, "<p>%zu forces with a return counted; %lld uses of the powers; %lld "
	    "breaches. Uses are powers issued in the period; events are dated in it.%s</p>\n",
	    r->nforces, (long long)r->total[0], (long long)r->total[1 +
	    sch_code_index(SCH_LIST_EVENTS, "breached")],
	    r->o.include_test ? " <strong>Includes TEST returns.</strong>" : "");
	if (r->sensitive)
		fprintf(f, "<p>Disclosure control: counts from 1 to %u are shown as "
		    "<em>c</em>; %u more cells are hidden so that none can be worked out "
		    "from the totals.</p>\n", r->o.threshold - 1, r->secondary);
	if (p != NULL && p->previous[0])
		fprintf(f, "<p>Figures marked <em>[r]</em> are revised since release %s (%u "
		    "cells).</p>\n", p->previous, p->cells_revised);
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
					fputs("<td class=\"n\">c", f);
				else
					fprintf(f, "<td class=\"n\">%lld",
					    (long long)r->rows[i].m[m]);
				fputs(revised(r, i, m) ? " [r]</td>" : "</td>", f);
			}
		fputs("</tr>\n", f);
	}
	fprintf(f, "<tr><th colspan=\"%d\">total</th>", r->o.ndims);
	for (m = 0; m < RPT_MEASURES; m++)
		if (shown(r, m))
			fprintf(f, "<td class=\"n\">%lld</td>", (long long)r->total[m]);
	fprintf(f, "</tr></tbody></table>\n<h2>Forces</h2>\n<p>Rates are uses per 100,000 "
	    "residents over %s. Areas with fewer than %s residents are marked and not "
	    "ranked.</p>\n<table><thead><tr><th>force</th><th>name</th><th>uses</th><th>per "
	    "100,000</th><th>subjects</th><th>repeat subjects</th><th>breaches</th></tr>"
	    "</thead><tbody>\n", rpt_rate_period(r, per, sizeof(per)), RPT_SMALL_POP_TEXT);
	for (i = 0; i < r->nforces; i++) {
		const struct rpt_force *x = &r->forces[i];
		double rate = per100k(x->uses, x->population);

		fprintf(f, "<tr><td>%s</td><td>", x->code);
		html_text(f, force_name(x->code));
		fprintf(f, "</td><td class=\"n\">%lld</td>", (long long)x->uses);
		if (rate < 0)
			fputs("<td class=\"n\">-</td>", f);
		else
			fprintf(f, "<td class=\"n\">%.1f%s</td>", rate, rpt_force_ranked(r, i) ?
			    "" : " (small population: not ranked)");
		fprintf(f, "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">"
		    "%lld</td></tr>\n", (long long)x->subjects, (long long)x->repeat_subjects,
		    (long long)x->breaches);
	}
	fputs("</tbody></table>\n<h2>Breaches and fixed penalties by power</h2>\n<p>Breach "
	    "rates only where the breach is by the order's subject; a PSPO's or a closure "
	    "notice's breaches are by anyone and are counts; a CPW has no breach offence "
	    "(z: not applicable).</p>\n<table><thead><tr><th>power</th><th>uses</th>"
	    "<th>breaches</th><th>breaches per 100 uses</th><th>fixed penalty notices</th>"
	    "</tr></thead><tbody>\n", f);
	for (k = 0; k < sch_code_count(SCH_LIST_POWERS) && k < 16; k++) {
		const struct rpt_power *pw = &r->powers[k];
		enum rpt_breach b = rpt_breach_kind((int)k);

		if (pw->uses == 0 && pw->breaches == 0)
			continue;
		fprintf(f, "<tr><td>%s</td><td class=\"n\">%lld</td>", sch_power_code((int)k),
		    (long long)pw->uses);
		if (b == RB_NA)
			fputs("<td class=\"n\">z</td>", f);
		else
			fprintf(f, "<td class=\"n\">%lld</td>", (long long)pw->breaches);
		if (b == RB_RATE && pw->uses > 0)
			fprintf(f, "<td class=\"n\">%.1f</td>", 100.0 * (double)pw->breaches /
			    (double)pw->uses);
		else
			fputs(b == RB_RATE ? "<td class=\"n\">-</td>" : "<td class=\"n\">z</td>",
			    f);
		if (rpt_fpn_applies((int)k))
			fprintf(f, "<td class=\"n\">%lld</td></tr>\n", (long long)pw->fpns);
		else
			fputs("<td class=\"n\">z</td></tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
	if (p != NULL && p->quality != NULL)
		html_quality(f, p->quality);
	if (p != NULL && p->previous[0]) {
		fprintf(f, "<h2>Revisions since release %s</h2>\n", p->previous);
		if (p->nrevisions == 0)
			fputs("<p>No return was corrected since then.</p>\n", f);
		else
			fputs("<table><thead><tr><th>force</th><th>quarter</th><th>correction"
			    "</th><th>replaces</th></tr></thead><tbody>\n", f);
		for (i = 0; i < p->nrevisions; i++) {
			fprintf(f, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			    p->revisions[i].force, p->revisions[i].period, p->revisions[i].id,
			    p->revisions[i].supersedes[0] ? p->revisions[i].supersedes : "-");
		}
		if (p->nrevisions > 0)
			fputs("</tbody></table>\n", f);
	}
	fputs("<p>Population for the rates: ", f);
	if (r->o.population != NULL) {
		fputs("the file ", f);
		html_text(f, r->o.population);
		fputs(" (given with --population)", f);
	} else
		html_text(f, rpt_population_source);
	fputs(" (schema/population.tsv).</p>\n</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}
