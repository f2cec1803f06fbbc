/*
 * report_pub.c - the publication side of a report: which measures apply to which power,
 * coverage said plainly, cells revised since the previous release, and the tidy CSV.
 */
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "json.h"
#include "report_pub.h"

/* ---- measures ---------------------------------------------------------------------------- */

enum rpt_breach
rpt_breach_kind(int power)
{
	const char *c = power >= 0 ? sch_power_code(power) : "";

	/* A CPW is a written warning: failing to heed it is no offence (s43(5)); the next step
	 * is a CPN.  A PSPO binds everyone in the place, a closure notice everyone who enters,
	 * a dispersal authorisation no one in particular: their breaches are by people the
	 * record is not about, so "breaches per 100 uses" would divide by the wrong thing. */
	if (strcmp(c, "cpw") == 0)
		return RB_NA;
	if (strcmp(c, "cpn") == 0 || strcmp(c, "injunction") == 0 || strcmp(c, "cbo") == 0 ||
	    strcmp(c, "closure-order") == 0 || strcmp(c, "respect-order") == 0 ||
	    strcmp(c, "youth-injunction") == 0 || strcmp(c, "housing-injunction") == 0)
		return RB_RATE;
	return RB_COUNT;
}

int
rpt_fpn_applies(int power)
{
	const char *c = power >= 0 ? sch_power_code(power) : "";

	return strcmp(c, "cpn") == 0 || strcmp(c, "pspo") == 0;	/* s52, s68 */
}

/* ---- coverage ---------------------------------------------------------------------------- */

unsigned
rpt_forces_all(void)
{
	unsigned n = sch_code_count(SCH_LIST_FORCES);

	return n > 64 ? 64 : n;
}

unsigned
rpt_forces_counted(const struct rpt *r, int q)
{
	return (unsigned)__builtin_popcountll(r->qforces[q]);
}

int
rpt_full_coverage(const struct rpt *r)
{
	int q;

	for (q = 0; q < r->o.nquarters; q++)
		if (rpt_forces_counted(r, q) != rpt_forces_all())
			return 0;
	return r->o.nquarters > 0;
}

const char *
rpt_range(const struct rpt *r, char *buf, size_t cap)
{
	if (r->o.nquarters == 1)
		snprintf(buf, cap, "%s", r->o.quarters[0]);
	else
		snprintf(buf, cap, "%s to %s", r->o.quarters[0],
		    r->o.quarters[r->o.nquarters - 1]);
	return buf;
}

const char *
rpt_area(const struct rpt *r, char *buf, size_t cap)
{
	unsigned n = rpt_forces_counted(r, 0), all = rpt_forces_all();
	int q, same = 1;

	if (rpt_full_coverage(r)) {
		snprintf(buf, cap, "England and Wales");
		return buf;
	}
	for (q = 1; q < r->o.nquarters; q++)
		if (r->qforces[q] != r->qforces[0])
			same = 0;
	if (same)
		snprintf(buf, cap, "%u of %u police forces in England and Wales", n, all);
	else
		snprintf(buf, cap, "police forces in England and Wales with a return (coverage "
		    "differs by quarter)");
	return buf;
}

const char *
rpt_rate_period(const struct rpt *r, char *buf, size_t cap)
{
	char range[32];

	snprintf(buf, cap, "%s (%d quarter%s, not annualised)", rpt_range(r, range,
	    sizeof(range)), r->o.nquarters, r->o.nquarters == 1 ? "" : "s");
	return buf;
}

const char *
rpt_force_name(const char *code)
{
	int i = sch_code_index(SCH_LIST_FORCES, code);

	return i < 0 ? code : sch_code_field(SCH_LIST_FORCES, (unsigned)i, 1);
}

const char *
rpt_missing(const struct rpt *r, int q, char *buf, size_t cap)
{
	unsigned f;
	size_t n = 0;

	buf[0] = '\0';
	for (f = 0; f < rpt_forces_all(); f++)
		if (!((r->qforces[q] >> f) & 1) && n + 1 < cap) {
			int k = snprintf(buf + n, cap - n, "%s%s", n ? ", " : "",
			    sch_code_field(SCH_LIST_FORCES, f, 1));

			n = k < 0 || (size_t)k >= cap - n ? cap - 1 : n + (size_t)k;
		}
	return buf;
}

void
rpt_coverage_lines(const struct rpt *r, FILE *f, const char *prefix, const char *suffix)
{
	char miss[2048];
	int q, none = 0;

	for (q = 0; q < r->o.nquarters; q++) {
		unsigned n = rpt_forces_counted(r, q);

		fprintf(f, "%s%s: %u of %u forces counted", prefix, r->o.quarters[q], n,
		    rpt_forces_all());
		if (n == 0) {
			fputs(" (no returns)", f);
			none++;
		} else if (n < rpt_forces_all())
			fprintf(f, "; missing: %s", rpt_missing(r, q, miss, sizeof(miss)));
		fputs(suffix, f);
	}
	if (none > 0) {
		fprintf(f, "%sQuarters with no returns:", prefix);
		for (q = 0; q < r->o.nquarters; q++)
			if (rpt_forces_counted(r, q) == 0)
				fprintf(f, " %s", r->o.quarters[q]);
		fputs(suffix, f);
	}
}

double
rpt_force_rate(const struct rpt *r, size_t i)
{
	const struct rpt_force *x = &r->forces[i];

	return x->population > 0 ? (double)x->uses * 100000.0 / (double)x->population : -1;
}

int
rpt_force_ranked(const struct rpt *r, size_t i)
{
	return r->forces[i].population >= RPT_SMALL_POP;
}

/* ---- revisions --------------------------------------------------------------------------- */

/* The row of before whose values match row's (by text: the value lists may differ). */
static const struct rpt_row *
match_row(const struct rpt *now, const struct rpt_row *row, const struct rpt *before)
{
	size_t i;
	int d, same;

	for (i = 0; i < before->nrows; i++) {
		for (same = 1, d = 0; d < now->o.ndims && same; d++)
			same = strcmp(rpt_value(now, row, now->o.dims[d]),
			    rpt_value(before, &before->rows[i], now->o.dims[d])) == 0;
		if (same)
			return &before->rows[i];
	}
	return NULL;
}

int
rpt_pub_revise(struct rpt_pub *p, const struct rpt *now, const struct rpt *before)
{
	size_t i, j;
	int m;

	free(p->row_revised);
	free(p->force_revised);
	p->row_revised = calloc(now->nrows + 1, sizeof(*p->row_revised));
	p->force_revised = calloc(now->nforces + 1, 1);
	if (p->row_revised == NULL || p->force_revised == NULL)
		return -1;
	memset(p->power_revised, 0, sizeof(p->power_revised));
	p->cells_revised = 0;
	for (i = 0; i < now->nrows; i++) {
		const struct rpt_row *a = &now->rows[i], *b = match_row(now, a, before);

		for (m = 0; m < RPT_MEASURES; m++) {
			int64_t va = a->m[m], vb = b != NULL ? b->m[m] : 0;
			int sa = (a->flags >> m) & 1, sb = b != NULL ? (b->flags >> m) & 1 : 0;

			if (va != vb || sa != sb) {
				p->row_revised[i] |= 1u << m;
				p->cells_revised++;
			}
		}
	}
	for (i = 0; i < now->nforces; i++) {
		const struct rpt_force *a = &now->forces[i], *b = NULL;
		static const struct rpt_force zero;

		for (j = 0; j < before->nforces; j++)
			if (strcmp(before->forces[j].code, a->code) == 0)
				b = &before->forces[j];
		if (b == NULL)
			b = &zero;
		p->force_revised[i] = (uint8_t)((a->uses != b->uses) |
		    (a->subjects != b->subjects) << 1 |
		    (a->repeat_subjects != b->repeat_subjects) << 2 |
		    (a->breaches != b->breaches) << 3);
		p->cells_revised += (unsigned)__builtin_popcount(p->force_revised[i]);
	}
	for (i = 0; i < 16; i++) {
		const struct rpt_power *a = &now->powers[i], *b = &before->powers[i];

		p->power_revised[i] = (uint8_t)((a->uses != b->uses) |
		    (a->breaches != b->breaches) << 1 | (a->fpns != b->fpns) << 2);
		p->cells_revised += (unsigned)__builtin_popcount(p->power_revised[i]);
	}
	return 0;
}

void
rpt_pub_clear(struct rpt_pub *p)
{
	free(p->row_revised);
	free(p->force_revised);
	free(p->revisions);
	p->row_revised = NULL;
	p->force_revised = NULL;
	p->revisions = NULL;
	p->nrevisions = 0;
}

/* ---- tidy CSV ------------------------------------------------------------------------------ */

static int
asked_at(const struct rpt *r, int d)
{
	int i;

	for (i = 0; i < r->o.ndims; i++)
		if (r->o.dims[i] == d)
			return 1;
	return 0;
}

int
rpt_write_tidy_csv(const struct rpt *r, FILE *f)
{
	char range[32], area[96], brk[128], cat[128];
	size_t i, nb, nc;
	int d, m, revised;

	fputs("period,force_code,force_name,power,breakdown,category,measure,value,marker\n", f);
	rpt_range(r, range, sizeof(range));
	if (rpt_full_coverage(r))
		snprintf(area, sizeof(area), "England and Wales");
	else
		snprintf(area, sizeof(area), "Forces with a return (%s)", rpt_area(r, brk,
		    sizeof(brk)));
	for (i = 0; i < r->nrows; i++) {
		const struct rpt_row *row = &r->rows[i];

		/* every dimension but period, force and power is a breakdown; two or more
		 * are joined with ';' in both columns */
		brk[0] = cat[0] = '\0';
		nb = nc = 0;
		for (d = 0; d < r->o.ndims; d++) {
			int dim = r->o.dims[d];

			if (dim == RD_QUARTER || dim == RD_FORCE || dim == RD_POWER)
				continue;
			nb += (size_t)snprintf(brk + nb, sizeof(brk) - nb, "%s%s", nb ? ";" : "",
			    rpt_dim_name(dim));
			nc += (size_t)snprintf(cat + nc, sizeof(cat) - nc, "%s%s", nc ? ";" : "",
			    rpt_value(r, row, dim));
			if (nb >= sizeof(brk) || nc >= sizeof(cat))
				return -1;
		}
		for (m = 0; m < RPT_MEASURES; m++) {
			int sup = (row->flags >> m) & 1;

			revised = r->pub != NULL && r->pub->row_revised != NULL &&
			    ((r->pub->row_revised[i] >> m) & 1);
			csv_field(f, asked_at(r, RD_QUARTER) ? rpt_value(r, row, RD_QUARTER) :
			    range);
			fputc(',', f);
			if (asked_at(r, RD_FORCE)) {
				csv_field(f, rpt_value(r, row, RD_FORCE));
				fputc(',', f);
				csv_field(f, rpt_force_name(rpt_value(r, row, RD_FORCE)));
			} else {
				fputs(rpt_full_coverage(r) ? "K04000001," : ",", f);
				csv_field(f, area);
			}
			fputc(',', f);
			csv_field(f, asked_at(r, RD_POWER) ? rpt_value(r, row, RD_POWER) : "all");
			fputc(',', f);
			csv_field(f, nb ? brk : "none");
			fputc(',', f);
			csv_field(f, nc ? cat : "all");
			fprintf(f, ",%s,", rpt_measure_name(m));
			if (sup)
				fputs(revised ? ",[c] [r]\n" : ",[c]\n", f);
			else
				fprintf(f, "%lld,%s\n", (long long)row->m[m], revised ? "[r]" : "");
		}
	}
	return ferror(f) ? -1 : 0;
}
