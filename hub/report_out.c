/*
 * report_out.c - a report as text (for a terminal), CSV (one row per cell, suppressed cells
 * empty with a flag) and JSON; the HTML page is report_html.c, the tidy CSV report_pub.c and
 * the workbook report_ods.c.  A suppressed count is never written, in any format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "json.h"
#include "report.h"
#include "report_pub.h"

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

	char area[128], per[64];

	fprintf(f, "ASB powers, %s: %s\n", rpt_area(r, area, sizeof(area)),
	    range_label(r, lbl, sizeof(lbl)));
	fprintf(f, "%zu forces with a return counted (%d returns)%s\n", r->nforces,
	    r->returns_read, r->o.include_test ? ", TEST returns included" : "");
	rpt_coverage_lines(r, f, "  ", "\n");
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
	fprintf(f, "\nRates: uses per 100,000 residents over %s; areas under %s residents "
	    "flagged '*small' and not ranked\n", rpt_rate_period(r, per, sizeof(per)),
	    RPT_SMALL_POP_TEXT);
	fprintf(f, "%-10s %-32s %9s %9s %10s %8s %8s %9s\n", "force", "name", "uses",
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
		fprintf(f, " %8lld %8lld %9lld%s\n", (long long)x->subjects,
		    (long long)x->repeat_subjects, (long long)x->breaches,
		    rate >= 0 && !rpt_force_ranked(r, i) ? " *small" : "");
	}
	fprintf(f, "\nBreaches per 100 uses only where the breach is by the order's subject; "
	    "z: not applicable\n");
	fprintf(f, "%-24s %9s %9s %12s %9s\n", "power", "uses", "breaches", "breaches/100",
	    "fpns");
	for (i = 0; i < sch_code_count(SCH_LIST_POWERS) && i < 16; i++) {
		const struct rpt_power *p = &r->powers[i];

		enum rpt_breach k = rpt_breach_kind((int)i);

		if (p->uses == 0 && p->breaches == 0)
			continue;
		fprintf(f, "%-24s %9lld ", sch_power_code((int)i), (long long)p->uses);
		if (k == RB_NA)
			fprintf(f, "%9s ", "z");
		else
			fprintf(f, "%9lld ", (long long)p->breaches);
		if (k == RB_RATE && p->uses > 0)
			fprintf(f, "%12.1f", 100.0 * (double)p->breaches / (double)p->uses);
		else
			fprintf(f, "%12s", k == RB_RATE ? "-" : "z");
		if (rpt_fpn_applies((int)i))
			fprintf(f, " %9lld\n", (long long)p->fpns);
		else
			fprintf(f, " %9s\n", "z");
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
	{
		char area[128], per[64];

		json_kv_str(f, 0, "area", rpt_area(r, area, sizeof(area)));
		json_kv_str(f, 0, "rate_period", rpt_rate_period(r, per, sizeof(per)));
	}
	json_key(f, 0, "coverage");
	fputc('[', f);
	for (d = 0; d < r->o.nquarters; d++) {
		unsigned fi;

		fputs(d ? ",{" : "{", f);
		json_kv_str(f, 1, "quarter", r->o.quarters[d]);
		json_kv_int(f, 0, "forces_counted", rpt_forces_counted(r, d));
		json_kv_int(f, 0, "forces", rpt_forces_all());
		json_key(f, 0, "missing");
		fputc('[', f);
		for (first = 1, fi = 0; fi < rpt_forces_all(); fi++)
			if (!((r->qforces[d] >> fi) & 1)) {
				if (!first)
					fputc(',', f);
				first = 0;
				json_str(f, sch_code_field(SCH_LIST_FORCES, fi, 0));
			}
		fputs("]}", f);
	}
	fputc(']', f);
	if (r->pub != NULL) {
		json_kv_strn(f, 0, "release", r->pub->release_id[0] ? r->pub->release_id :
		    NULL);
		json_kv_str(f, 0, "status", r->pub->status);
	}
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
		json_kv_bool(f, 0, "ranked", x->population > 0 && rpt_force_ranked(r, i));
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
		json_kv_str(f, 0, "breach_measure", rpt_breach_kind((int)i) == RB_RATE ? "rate" :
		    rpt_breach_kind((int)i) == RB_COUNT ? "count" : "not-applicable");
		if (rpt_fpn_applies((int)i))
			json_kv_int(f, 0, "fixed_penalties", p->fpns);
		else {
			json_key(f, 0, "fixed_penalties");
			fputs("null", f);
		}
		json_key(f, 0, "breaches_per_100_uses");
		if (p->uses > 0 && rpt_breach_kind((int)i) == RB_RATE)
			fprintf(f, "%.2f", 100.0 * (double)p->breaches / (double)p->uses);
		else
			fputs("null", f);
		fputc('}', f);
	}
	fputs("]}\n", f);
	return ferror(f) ? -1 : 0;
}

