/*
 * report.c - national figures: the latest accepted return of each force and quarter, counted
 * from the facts the hub stored when it accepted it (the values its validator read from the
 * tree whose signature and XSD it checked; tally.c counts them), into a table by the
 * dimensions asked for, with per-force and per-power figures beside it; then disclosure
 * control when the table describes people or small areas.  No stored XML is read again.
 */
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "num.h"
#include "population.h"
#include "reindex.h"
#include "report.h"
#include "tally.h"

static const char *const dim_names[RD_N] = {
	"force", "power", "quarter", "agency", "age-band", "sex", "ethnicity",
	"local-authority", "outcome"
};

const char *
rpt_dim_name(int d)
{
	return d >= 0 && d < RD_N ? dim_names[d] : "?";
}

const char *
rpt_measure_name(int m)
{
	if (m == 0)
		return "uses";
	return m > 0 && m < RPT_MEASURES ? sch_event_code(m - 1) : "?";
}

int
rpt_is_sensitive(int d)
{
	return d == RD_AGE || d == RD_SEX || d == RD_ETHNICITY || d == RD_LA;
}

int
rpt_parse_dims(const char *s, struct rpt_opts *o, struct asb_errbuf *eb)
{
	char buf[256], *tok, *save = NULL;
	int d, i;

	o->ndims = 0;
	if (strlen(s) >= sizeof(buf))
		return asb_fail(eb, ASB_EUSAGE, NULL, "--by: too long");
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		for (d = 0; d < RD_N; d++)
			if (strcmp(tok, dim_names[d]) == 0)
				break;
		if (d == RD_N)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--by: '%s' is not a "
			    "dimension: use force, power, quarter, agency, age-band, "
			    "sex, ethnicity, local-authority or outcome", tok);
		for (i = 0; i < o->ndims; i++)
			if (o->dims[i] == d)
				return asb_fail(eb, ASB_EUSAGE, NULL, "--by: '%s' twice",
				    tok);
		o->dims[o->ndims++] = d;
	}
	if (o->ndims == 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--by: name at least one dimension");
	return ASB_OK;
}

/* Four digits at s into *year (2014 to 2099); -1 otherwise. */
static int
year_of(const char *s, int *year)
{
	int i;

	for (*year = 0, i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*year = *year * 10 + (s[i] - '0');
	}
	return *year < 2014 || *year > 2099 ? -1 : 0;
}

/* "YYYY-Qn" into year and quarter; -1 when it is not one. */
static int
quarter_of(const char *s, int *year, int *q)
{
	if (strlen(s) != 7 || s[4] != '-' || s[5] != 'Q' || s[6] < '1' || s[6] > '4' ||
	    year_of(s, year) == -1)
		return -1;
	*q = s[6] - '0';
	return 0;
}

int
rpt_parse_range(const char *from, const char *to, struct rpt_opts *o, struct asb_errbuf *eb)
{
	int y0, q0, y1, q1, n = 0;

	o->nquarters = 0;
	if (strlen(from) == 4 && to == NULL) {		/* a calendar year */
		if (year_of(from, &y0) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--year: '%s' is not a "
			    "year from 2014 to 2099", from);
		q0 = 1;
		y1 = y0;
		q1 = 4;
	} else {
		if (quarter_of(from, &y0, &q0) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "'%s' is not a period "
			    "(YYYY-Qn)", from);
		if (to == NULL) {
			y1 = y0;
			q1 = q0;
		} else if (quarter_of(to, &y1, &q1) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "'%s' is not a period "
			    "(YYYY-Qn)", to);
	}
	if (y1 * 4 + q1 < y0 * 4 + q0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--to %s is before --from %s", to, from);
	if ((y1 * 4 + q1) - (y0 * 4 + q0) >= RPT_MAX_QUARTERS)
		return asb_fail(eb, ASB_EUSAGE, NULL, "at most %d quarters at once",
		    RPT_MAX_QUARTERS);
	while (y0 * 4 + q0 <= y1 * 4 + q1) {
		snprintf(o->quarters[n++], sizeof(o->quarters[0]), "%04d-Q%d", y0, q0);
		if (++q0 == 5) {
			q0 = 1;
			y0++;
		}
	}
	o->nquarters = n;
	return ASB_OK;
}

/* ---- population ---------------------------------------------------------------------------- */

static int
load_population(struct rpt *r, const char *path, struct asb_errbuf *eb)
{
	char line[256], *tab, *end;
	int64_t n;
	const char *why;
	size_t cap = 64;
	unsigned lineno = 0;
	FILE *f;

	if (path == NULL) {
		r->npop = rpt_population_n;
		if ((r->pop = calloc(r->npop, sizeof(*r->pop))) == NULL)
			return asb_fail(eb, ASB_EIO, NULL, "out of memory");
		memcpy(r->pop, rpt_population, r->npop * sizeof(*r->pop));
		return ASB_OK;
	}
	if ((f = fopen(path, "r")) == NULL)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: cannot read it", path);
	if ((r->pop = calloc(cap, sizeof(*r->pop))) == NULL) {
		fclose(f);
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n' || strncmp(line, "code\t", 5) == 0)
			continue;
		if ((tab = strchr(line, '\t')) != NULL) {
			*tab++ = '\0';
			if ((end = strpbrk(tab, "\t\r\n")) != NULL)
				*end = '\0';
		}
		if (tab == NULL || asb_strtonum(tab, 1, INT64_MAX, &n, &why) == -1 ||
		    sch_code_index(SCH_LIST_FORCES, line) < 0) {
			fclose(f);
			return asb_fail(eb, ASB_EUSAGE, NULL, "%s:%u: want 'FORCE-CODE<TAB>"
			    "PEOPLE' with a force code from the code list", path, lineno);
		}
		if (r->npop == cap) {
			struct rpt_pop *p = realloc(r->pop, 2 * cap * sizeof(*p));

			if (p == NULL) {
				fclose(f);
				return asb_fail(eb, ASB_EIO, NULL, "out of memory");
			}
			r->pop = p;
			cap *= 2;
		}
		snprintf(r->pop[r->npop].code, sizeof(r->pop[0].code), "%.15s", line);
		r->pop[r->npop++].people = n;
	}
	fclose(f);
	return ASB_OK;
}

int64_t
rpt_population_of(const struct rpt *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->npop; i++)
		if (strcmp(r->pop[i].code, code) == 0)
			return r->pop[i].people;
	return 0;
}

const char *
rpt_value(const struct rpt *r, const struct rpt_row *row, int d)
{
	return r->values[d][row->key[d]];
}

/* ---- building ------------------------------------------------------------------------------ */

static struct rpt *
rpt_new(const struct rpt_opts *o, struct asb_errbuf *eb, int *err)
{
	struct rpt *r = calloc(1, sizeof(*r));
	int i;

	if (r == NULL) {
		*err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
		return NULL;
	}
	r->o = *o;
	for (i = 0; i < o->ndims; i++)
		r->asked[o->dims[i]] = 1;
	r->breached = sch_code_index(SCH_LIST_EVENTS, "breached");
	if (r->o.threshold == 0)
		r->o.threshold = 5;
	if ((*err = load_population(r, o->population, eb)) != ASB_OK) {
		rpt_free(r);
		return NULL;
	}
	return r;
}

static int
cmp_force(const void *a, const void *b)
{
	return strcmp(((const struct rpt_force *)a)->code, ((const struct rpt_force *)b)->code);
}

/* Rows in the order of their values, dimension by dimension as asked (sk holds the keys in
 * that order, so the comparison needs nothing else). */
static int
cmp_row(const void *a, const void *b)
{
	const struct rpt_row *x = a, *y = b;
	int i;

	for (i = 0; i < RD_N; i++)
		if (x->sk[i] != y->sk[i])
			return x->sk[i] < y->sk[i] ? -1 : 1;
	return 0;
}

static int
finish(struct rpt *r, struct tally *t, struct asb_errbuf *eb)
{
	size_t i;
	int j, err;

	if ((err = tally_finish(t, eb)) != ASB_OK)
		return err;
	if (r->nforces > 1)	/* qsort must not be given NULL, even for nothing */
		qsort(r->forces, r->nforces, sizeof(*r->forces), cmp_force);
	for (i = 0; i < r->nrows; i++) {
		memset(r->rows[i].sk, 0, sizeof(r->rows[i].sk));
		for (j = 0; j < r->o.ndims; j++)
			r->rows[i].sk[j] = r->rows[i].key[r->o.dims[j]];
	}
	if (r->nrows > 1)
		qsort(r->rows, r->nrows, sizeof(*r->rows), cmp_row);
	for (j = 0; j < r->o.ndims; j++)
		if (rpt_is_sensitive(r->o.dims[j]))
			r->sensitive = 1;
	if (r->sensitive && rpt_suppress(r) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	return ASB_OK;
}

/* The end of either build: the report, or nothing and the error. */
static int
done(struct rpt *r, struct tally *t, int err, struct rpt **ret, struct asb_errbuf *eb)
{
	if (err == ASB_OK)
		err = finish(r, t, eb);
	tally_free(t);
	if (err != ASB_OK) {
		rpt_free(r);
		return err;
	}
	*ret = r;
	return ASB_OK;
}

int
rpt_build_mem(const char *const *bodies, const size_t *lens, size_t n,
    const struct rpt_opts *o, struct rpt **ret, struct asb_errbuf *eb)
{
	struct rtn_schema *xsd = NULL;
	struct tally *t = NULL;
	struct rpt *r;
	uint8_t *facts;
	size_t i, flen;
	int err = ASB_OK;

	*ret = NULL;
	if ((r = rpt_new(o, eb, &err)) == NULL)
		return err;
	if ((err = tally_new(r, &t, eb)) == ASB_OK)
		err = rtn_schema_load(&xsd, eb);
	/* each body's facts as intake takes them (the same parse, the same walk), then
	 * counted as the store's are */
	for (i = 0; i < n && err == ASB_OK; i++) {
		if ((err = hub_facts_of(bodies[i], lens[i], xsd, &facts, &flen, NULL, eb)) !=
		    ASB_OK)
			break;
		err = tally_return(t, facts, flen, NULL, eb);
		free(facts);
	}
	rtn_schema_free(xsd);
	return done(r, t, err, ret, eb);
}

/* One stored return's facts into the tally (hub_facts_read's callback). */
struct one {
	struct tally	*t;
	const char	*id;
	struct asb_errbuf *eb;
};

static int
count_one(const void *facts, size_t len, void *ctx)
{
	struct one *x = ctx;
	struct asb_errbuf why;
	int err;

	asb_errbuf_clear(&why);
	if ((err = tally_return(x->t, facts, len, x->id, &why)) != ASB_OK)
		asb_fail(x->eb, err, NULL, "return %s: %s", x->id, why.msg);
	return err;
}

int
rpt_build(struct hub_store *st, const struct rpt_opts *o, struct rpt **ret,
    struct asb_errbuf *eb)
{
	struct tally *t = NULL;
	struct rpt *r;
	struct one x;
	unsigned f, nf = sch_code_count(SCH_LIST_FORCES);
	int q, test, err = ASB_OK;
	char id[37];

	*ret = NULL;
	if ((r = rpt_new(o, eb, &err)) == NULL)
		return err;
	err = tally_new(r, &t, eb);
	for (f = 0; f < nf && err == ASB_OK; f++) {
		const char *code = sch_code_field(SCH_LIST_FORCES, f, 0);

		if (o->progress != NULL)
			o->progress(f, nf, o->progress_ctx);
		for (q = 0; q < o->nquarters && err == ASB_OK; q++)
			for (test = 0; test <= (o->include_test ? 1 : 0); test++) {
				if (hub_latest(st, code, o->quarters[q], test, id) != ASB_OK)
					continue;
				x.t = t;
				x.id = id;
				x.eb = eb;
				if ((err = hub_facts_read(st, id, count_one, &x, eb)) != ASB_OK) {
					if (err == ASB_ENOTFOUND)
						err = ASB_EIO;	/* listed, so it must be there */
					break;
				}
			}
	}
	return done(r, t, err, ret, eb);
}

int
rpt_build_ids(struct hub_store *st, const struct rpt_opts *o, char (*ids)[37], size_t n,
    struct rpt **ret, struct asb_errbuf *eb)
{
	struct tally *t = NULL;
	struct rpt *r;
	struct one x;
	size_t i;
	int err = ASB_OK;

	*ret = NULL;
	if ((r = rpt_new(o, eb, &err)) == NULL)
		return err;
	err = tally_new(r, &t, eb);
	for (i = 0; i < n && err == ASB_OK; i++) {
		x.t = t;
		x.id = ids[i];
		x.eb = eb;
		err = hub_facts_read(st, ids[i], count_one, &x, eb);
	}
	return done(r, t, err, ret, eb);
}

void
rpt_free(struct rpt *r)
{
	int d;

	if (r == NULL)
		return;
	for (d = 0; d < RD_N; d++)
		free(r->values[d]);
	free(r->rows);
	free(r->forces);
	free(r->pop);
	free(r->colkey);
	free(r->colsup);
	free(r->counted);
	free(r);
}
