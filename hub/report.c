/*
 * report.c - national figures: the latest accepted return of each force and quarter, read
 * back from the bytes stored (streaming, so a return of any size costs the same small
 * memory), counted into a table by the dimensions asked for, with per-force and per-power
 * figures beside it; then disclosure control when the table describes people or small areas.
 */
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "num.h"
#include "population.h"
#include "report.h"

#define RETURN_NS	"urn:uk:gov:homeoffice:asb-powers:return:1"
#define NONE		"none"

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

static int64_t
population_of(const struct rpt *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->npop; i++)
		if (strcmp(r->pop[i].code, code) == 0)
			return r->pop[i].people;
	return 0;
}

/* ---- interning and the table --------------------------------------------------------------- */

static int
intern(struct rpt *r, int d, const char *v, uint16_t *ret)
{
	size_t i;
	char (*p)[24];

	for (i = 0; i < r->nvalues[d]; i++)
		if (strcmp(r->values[d][i], v) == 0) {
			*ret = (uint16_t)i;
			return 0;
		}
	if (r->nvalues[d] >= 65535)
		return -1;
	if ((p = realloc(r->values[d], (r->nvalues[d] + 1) * sizeof(*p))) == NULL)
		return -1;
	r->values[d] = p;
	snprintf(p[r->nvalues[d]], sizeof(p[0]), "%s", v);
	*ret = (uint16_t)r->nvalues[d]++;
	return 0;
}

const char *
rpt_value(const struct rpt *r, const struct rpt_row *row, int d)
{
	return r->values[d][row->key[d]];
}

/* The table lives in an array kept in order of first appearance; lookups go through an
 * open-addressing index over it, rebuilt when it is half full. */
struct index {
	uint32_t	*slot;		/* row index + 1, 0 empty */
	size_t		 cap;
};

static uint64_t
key_hash(const uint16_t *key)
{
	uint64_t h = 1469598103934665603ULL;
	int d;

	for (d = 0; d < RD_N; d++)
		h = (h ^ key[d]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static int
index_grow(struct rpt *r, struct index *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 1024, i, j;
	uint32_t *s = calloc(cap, sizeof(*s));

	if (s == NULL)
		return -1;
	for (i = 0; i < r->nrows; i++) {
		for (j = key_hash(r->rows[i].key) & (cap - 1); s[j] != 0; j = (j + 1) & (cap - 1))
			;
		s[j] = (uint32_t)i + 1;
	}
	free(ix->slot);
	ix->slot = s;
	ix->cap = cap;
	return 0;
}

static struct rpt_row *
row_get(struct rpt *r, struct index *ix, const uint16_t *key)
{
	size_t j;
	struct rpt_row *row;

	if ((r->nrows + 1) * 2 > ix->cap && index_grow(r, ix) == -1)
		return NULL;
	for (j = key_hash(key) & (ix->cap - 1); ix->slot[j] != 0; j = (j + 1) & (ix->cap - 1))
		if (memcmp(r->rows[ix->slot[j] - 1].key, key, sizeof(r->rows[0].key)) == 0)
			return &r->rows[ix->slot[j] - 1];
	if (r->nrows == r->caprows) {
		size_t cap = r->caprows ? r->caprows * 2 : 256;
		struct rpt_row *p = realloc(r->rows, cap * sizeof(*p));

		if (p == NULL)
			return NULL;
		r->rows = p;
		r->caprows = cap;
	}
	row = &r->rows[r->nrows];
	memset(row, 0, sizeof(*row));
	memcpy(row->key, key, sizeof(row->key));
	ix->slot[j] = (uint32_t)++r->nrows;
	return row;
}

/* Subjects: how many uses each (force, pseudonym) had in the range. */
struct subj {
	uint64_t	 h;		/* 0 empty */
	uint32_t	 force;
	uint32_t	 uses;
};

struct subjects {
	struct subj	*s;
	size_t		 cap, n;
};

static int
subject_use(struct subjects *t, uint32_t force, const char *pseudonym, uint32_t *uses)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;
	size_t j, i;

	for (p = pseudonym; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h |= 1;
	if ((t->n + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		struct subj *s = calloc(cap, sizeof(*s));

		if (s == NULL)
			return -1;
		for (i = 0; i < t->cap; i++) {
			if (t->s[i].h == 0)
				continue;
			for (j = t->s[i].h & (cap - 1); s[j].h != 0; j = (j + 1) & (cap - 1))
				;
			s[j] = t->s[i];
		}
		free(t->s);
		t->s = s;
		t->cap = cap;
	}
	for (j = h & (t->cap - 1); t->s[j].h != 0; j = (j + 1) & (t->cap - 1))
		if (t->s[j].h == h && t->s[j].force == force) {
			*uses = ++t->s[j].uses;
			return 0;
		}
	t->s[j].h = h;
	t->s[j].force = force;
	t->s[j].uses = *uses = 1;
	t->n++;
	return 0;
}

/* ---- reading one return -------------------------------------------------------------------- */

#define MAX_EV	64

struct rec {
	char		 subject[40], power[40], agency[24], age[24], sex[24], eth[24], la[24];
	char		 kind[24];
	int		 issued_in;
	int		 nev;
	int		 ev_kind[MAX_EV];
	char		 ev_outcome[MAX_EV][24];
};

struct reader {
	struct rpt	*r;
	struct index	*ix;
	struct subjects	*subj;
	char		 force[16], period[8];
	uint16_t	 kforce, kquarter;
	size_t		 force_i;
	struct rec	 rec;
	char		*field;		/* where the current element's text goes */
	size_t		 fieldcap;
};

static int
force_slot(struct rpt *r, const char *code, size_t *ret)
{
	size_t i;
	struct rpt_force *p;

	for (i = 0; i < r->nforces; i++)
		if (strcmp(r->forces[i].code, code) == 0) {
			*ret = i;
			return 0;
		}
	if ((p = realloc(r->forces, (r->nforces + 1) * sizeof(*p))) == NULL)
		return -1;
	r->forces = p;
	memset(&p[r->nforces], 0, sizeof(*p));
	snprintf(p[r->nforces].code, sizeof(p[0].code), "%s", code);
	p[r->nforces].population = population_of(r, code);
	*ret = r->nforces++;
	return 0;
}

/* Count one record into the table and the figures beside it. */
static int
count_record(struct reader *rd)
{
	struct rpt *r = rd->r;
	struct rec *x = &rd->rec;
	struct rpt_force *f = &r->forces[rd->force_i];
	uint16_t key[RD_N];
	struct rpt_row *row;
	int power = sch_code_index(SCH_LIST_POWERS, x->power), person, i;
	uint32_t uses;

	person = strcmp(x->kind, "person") == 0;
	memset(key, 0, sizeof(key));
	if (intern(r, RD_FORCE, rd->force, &key[RD_FORCE]) == -1 ||
	    intern(r, RD_POWER, x->power, &key[RD_POWER]) == -1 ||
	    intern(r, RD_QUARTER, rd->period, &key[RD_QUARTER]) == -1 ||
	    intern(r, RD_AGENCY, x->agency[0] ? x->agency : "police", &key[RD_AGENCY]) == -1 ||
	    intern(r, RD_AGE, !person ? "not-a-person" : x->age[0] ? x->age : "unknown",
	    &key[RD_AGE]) == -1 ||
	    intern(r, RD_SEX, !person ? "not-a-person" : x->sex[0] ? x->sex : "unknown",
	    &key[RD_SEX]) == -1 ||
	    intern(r, RD_ETHNICITY, !person ? "not-a-person" : x->eth[0] ? x->eth :
	    "not-stated", &key[RD_ETHNICITY]) == -1 ||
	    intern(r, RD_LA, x->la[0] ? x->la : "unknown", &key[RD_LA]) == -1 ||
	    intern(r, RD_OUTCOME, NONE, &key[RD_OUTCOME]) == -1)
		return -1;
	/* dimensions not asked for are not told apart */
	for (i = 0; i < RD_N; i++)
		if (!r->asked[i])
			key[i] = 0;
	if (x->issued_in) {
		if ((row = row_get(r, rd->ix, key)) == NULL)
			return -1;
		row->m[0]++;
		r->total[0]++;
		f->uses++;
		if (power >= 0 && power < 16) {
			r->powers[power].uses++;
			f->by_power[power]++;
		}
		for (i = 0; i < r->o.nquarters; i++)
			if (strcmp(r->o.quarters[i], rd->period) == 0)
				r->quarter_uses[i]++;
		if (x->subject[0] != '\0') {
			if (subject_use(rd->subj, (uint32_t)rd->force_i, x->subject, &uses) == -1)
				return -1;
			if (uses == 1)
				f->subjects++;
			else if (uses == 2)
				f->repeat_subjects++;
		}
	}
	for (i = 0; i < x->nev; i++) {
		int k = x->ev_kind[i];

		if (r->asked[RD_OUTCOME] && intern(r, RD_OUTCOME, x->ev_outcome[i][0] ? x->ev_outcome[i] :
		    NONE, &key[RD_OUTCOME]) == -1)
			return -1;
		if ((row = row_get(r, rd->ix, key)) == NULL)
			return -1;
		row->m[1 + k]++;
		r->total[1 + k]++;
		if (k == r->breached) {
			f->breaches++;
			if (power >= 0 && power < 16)
				r->powers[power].breaches++;
		}
	}
	return 0;
}

static void
copy_text(char *dst, size_t cap, const xmlChar *s)
{
	snprintf(dst, cap, "%s", s ? (const char *)s : "");
}

/* Read one stored return and count it.  The hub accepted it against the XSD, so the reader
 * only needs what it counts; anything else is skipped. */
static int
read_return(struct rpt *r, struct index *ix, struct subjects *subj, const char *body,
    size_t len, struct asb_errbuf *eb)
{
	struct reader rd;
	xmlTextReaderPtr xr;
	const xmlChar *name;
	xmlChar *v;
	int rc, type, depth, in_rec = 0, ok = 0;
	char *target = NULL;
	size_t tcap = 0;

	memset(&rd, 0, sizeof(rd));
	rd.r = r;
	rd.ix = ix;
	rd.subj = subj;
	if (len > (size_t)INT32_MAX || (xr = xmlReaderForMemory(body, (int)len, "return",
	    NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "a stored return cannot be read");
	while ((rc = xmlTextReaderRead(xr)) == 1) {
		type = xmlTextReaderNodeType(xr);
		depth = xmlTextReaderDepth(xr);
		name = xmlTextReaderConstLocalName(xr);
		if (type == XML_READER_TYPE_TEXT) {
			if (target != NULL)
				copy_text(target, tcap, xmlTextReaderConstValue(xr));
			continue;
		}
		if (type == XML_READER_TYPE_END_ELEMENT) {
			target = NULL;
			if (depth == 2 && in_rec && strcmp((const char *)name, "Record") == 0) {
				in_rec = 0;
				if (count_record(&rd) == -1) {
					xmlFreeTextReader(xr);
					return asb_fail(eb, ASB_EIO, NULL, "out of memory");
				}
			}
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		target = NULL;
		if (depth == 2 && strcmp((const char *)name, "Force") == 0) {
			target = rd.force;
			tcap = sizeof(rd.force);
		} else if (depth == 2 && strcmp((const char *)name, "Period") == 0) {
			target = rd.period;
			tcap = sizeof(rd.period);
		} else if (depth == 2 && strcmp((const char *)name, "Record") == 0) {
			if (!ok) {
				if (rd.force[0] == '\0' || rd.period[0] == '\0' ||
				    force_slot(r, rd.force, &rd.force_i) == -1) {
					xmlFreeTextReader(xr);
					return asb_fail(eb, ASB_EIO, NULL, "a stored return "
					    "has no Force or Period");
				}
				ok = 1;
			}
			memset(&rd.rec, 0, sizeof(rd.rec));
			v = xmlTextReaderGetAttribute(xr, BAD_CAST "issuedInPeriod");
			rd.rec.issued_in = v != NULL && (strcmp((char *)v, "true") == 0 ||
			    strcmp((char *)v, "1") == 0);
			xmlFree(v);
			in_rec = !xmlTextReaderIsEmptyElement(xr);
		} else if (in_rec && depth == 3) {
			static const struct { const char *n; size_t off, cap; } f[] = {
				{ "Subject", offsetof(struct rec, subject), 40 },
				{ "SubjectKind", offsetof(struct rec, kind), 24 },
				{ "Power", offsetof(struct rec, power), 40 },
				{ "Agency", offsetof(struct rec, agency), 24 },
				{ "AgeBand", offsetof(struct rec, age), 24 },
				{ "Sex", offsetof(struct rec, sex), 24 },
				{ "Ethnicity", offsetof(struct rec, eth), 24 },
				{ "LocalAuthority", offsetof(struct rec, la), 24 } };
			size_t i;

			for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
				if (strcmp((const char *)name, f[i].n) == 0) {
					target = (char *)&rd.rec + f[i].off;
					tcap = f[i].cap;
				}
		} else if (in_rec && depth == 4 && strcmp((const char *)name, "Event") == 0 &&
		    rd.rec.nev < MAX_EV) {
			xmlChar *k = xmlTextReaderGetAttribute(xr, BAD_CAST "kind");
			xmlChar *in = xmlTextReaderGetAttribute(xr, BAD_CAST "inPeriod");
			xmlChar *out = xmlTextReaderGetAttribute(xr, BAD_CAST "outcome");
			int kind = k ? sch_code_index(SCH_LIST_EVENTS, (char *)k) : -1;

			if (kind >= 0 && in != NULL && (strcmp((char *)in, "true") == 0 ||
			    strcmp((char *)in, "1") == 0)) {
				rd.rec.ev_kind[rd.rec.nev] = kind;
				copy_text(rd.rec.ev_outcome[rd.rec.nev], 24, out);
				rd.rec.nev++;
			}
			xmlFree(k);
			xmlFree(in);
			xmlFree(out);
		}
	}
	xmlFreeTextReader(xr);
	if (rc != 0)
		return asb_fail(eb, ASB_EIO, NULL, "a stored return is not well-formed");
	if (!ok && rd.force[0] != '\0' && force_slot(r, rd.force, &rd.force_i) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if (rd.force[0] != '\0')
		r->forces[rd.force_i].returns++;
	r->returns_read++;
	return ASB_OK;
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

/* Each dimension's values in alphabetical order (codes, quarters and bands sort as a reader
 * expects), and the rows' keys moved to match. */
struct sval {
	char		 v[24];
	uint16_t	 old;
};

static int
cmp_sval(const void *a, const void *b)
{
	return strcmp(((const struct sval *)a)->v, ((const struct sval *)b)->v);
}

static int
sort_values(struct rpt *r)
{
	struct sval *sv;
	uint16_t *map;
	size_t i, n;
	int d;

	for (d = 0; d < RD_N; d++) {
		if ((n = r->nvalues[d]) < 2)
			continue;
		sv = calloc(n, sizeof(*sv));
		map = calloc(n, sizeof(*map));
		if (sv == NULL || map == NULL) {
			free(sv);
			free(map);
			return -1;
		}
		for (i = 0; i < n; i++) {
			memcpy(sv[i].v, r->values[d][i], sizeof(sv[i].v));
			sv[i].old = (uint16_t)i;
		}
		qsort(sv, n, sizeof(*sv), cmp_sval);
		for (i = 0; i < n; i++) {
			map[sv[i].old] = (uint16_t)i;
			memcpy(r->values[d][i], sv[i].v, sizeof(sv[i].v));
		}
		for (i = 0; i < r->nrows; i++)
			r->rows[i].key[d] = map[r->rows[i].key[d]];
		free(sv);
		free(map);
	}
	return 0;
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
finish(struct rpt *r, struct asb_errbuf *eb)
{
	size_t i;
	int j;

	if (r->nforces > 1)	/* qsort must not be given NULL, even for nothing */
		qsort(r->forces, r->nforces, sizeof(*r->forces), cmp_force);
	if (sort_values(r) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
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

int
rpt_build_mem(const char *const *bodies, const size_t *lens, size_t n,
    const struct rpt_opts *o, struct rpt **ret, struct asb_errbuf *eb)
{
	struct index ix = { NULL, 0 };
	struct subjects subj = { NULL, 0, 0 };
	struct rpt *r;
	size_t i;
	int err = ASB_OK;

	*ret = NULL;
	if ((r = rpt_new(o, eb, &err)) == NULL)
		return err;
	for (i = 0; i < n && err == ASB_OK; i++)
		err = read_return(r, &ix, &subj, bodies[i], lens[i], eb);
	free(ix.slot);
	free(subj.s);
	if (err == ASB_OK)
		err = finish(r, eb);
	if (err != ASB_OK) {
		rpt_free(r);
		return err;
	}
	*ret = r;
	return ASB_OK;
}

int
rpt_build(struct hub_store *st, const struct rpt_opts *o, struct rpt **ret,
    struct asb_errbuf *eb)
{
	struct index ix = { NULL, 0 };
	struct subjects subj = { NULL, 0, 0 };
	struct hub_return hr;
	struct rpt *r;
	unsigned f, nf = sch_code_count(SCH_LIST_FORCES);
	int q, test, err = ASB_OK;
	char id[37], *body;
	size_t blen, fi;

	*ret = NULL;
	if ((r = rpt_new(o, eb, &err)) == NULL)
		return err;
	for (f = 0; f < nf && err == ASB_OK; f++) {
		const char *code = sch_code_field(SCH_LIST_FORCES, f, 0);

		if (o->progress != NULL)
			o->progress(f, nf, o->progress_ctx);

		for (q = 0; q < o->nquarters && err == ASB_OK; q++)
			for (test = 0; test <= (o->include_test ? 1 : 0); test++) {
				if (hub_latest(st, code, o->quarters[q], test, id) != ASB_OK)
					continue;
				if (hub_return_get(st, id, &hr, NULL, NULL, &body, &blen) !=
				    ASB_OK) {
					err = asb_fail(eb, ASB_EIO, NULL, "return %s is "
					    "listed but not stored", id);
					break;
				}
				err = read_return(r, &ix, &subj, body, blen, eb);
				free(body);
				if (err != ASB_OK)
					break;
				if (force_slot(r, code, &fi) == 0)
					snprintf(r->forces[fi].return_id,
					    sizeof(r->forces[0].return_id), "%s", id);
			}
	}
	free(ix.slot);
	free(subj.s);
	if (err == ASB_OK)
		err = finish(r, eb);
	if (err != ASB_OK) {
		rpt_free(r);
		return err;
	}
	*ret = r;
	return ASB_OK;
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
	free(r);
}
