/*
 * tally.c - the national figures counted from the facts the hub stored at intake, not from
 * the XML: every dimension's value is a small index (a code-list index, a band, the quarter's
 * place in the range, a district's place in a list kept across returns), a table cell is one
 * mixed-radix number over the dimensions asked for, and a cell is found by direct indexing
 * (or, for tables too large for that, one open-addressing probe on that number).  Nothing is
 * allocated or compared as text per record; each dimension's values become text once, at the
 * end.  Distinct and repeat subjects: each force's pseudonyms are kept (16 bytes a use) and
 * sorted once at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "facts.h"
#include "tally.h"

#define DIRECT_MAX	(1u << 20)	/* cells indexed directly: 4 MiB of row numbers */
#define LA_SLOTS	65536		/* slot 0 is "unknown" */
#define Q_SLOTS		(2 * RPT_MAX_QUARTERS)	/* the range, then any others met (tests) */

struct pseudo {
	uint64_t	 hi, lo;
};

struct subjv {
	struct pseudo	*p;
	size_t		 n, cap;
};

struct cell {
	uint64_t	 k;
	uint32_t	 row;		/* row index + 1; 0 empty */
};

struct tally {
	struct rpt	*r;
	unsigned	 card[RD_N];
	uint64_t	 mul[RD_N];	/* 0 for a dimension not asked */
	unsigned	 nsex, neth, nout, police;
	int		 fpn;		/* the event kind "fpn-issued" */
	uint8_t		*seen[RD_N];	/* slot met in a counted record, per asked dimension */
	char		 qlabel[Q_SLOTS][8];
	unsigned	 nq;
	uint32_t	*la_code;	/* slot -> district (slot 0 unused) */
	unsigned	 nla;
	uint32_t	*la_slot;	/* open addressing: district -> slot */
	size_t		 la_cap;
	uint16_t	 la_map[RTN_FACTS_MAX_LA];	/* this return's list -> slots */
	uint32_t	*direct;	/* cell -> row + 1, when the table is small enough */
	struct cell	*hash;
	size_t		 hcap;
	struct subjv	*subj;		/* per r->forces slot */
	size_t		 nsubj;
};

int
tally_new(struct rpt *r, struct tally **ret, struct asb_errbuf *eb)
{
	struct tally *t;
	uint64_t cells = 1;
	int d;

	*ret = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	t->r = r;
	t->nsex = sch_code_count(SCH_LIST_SEX);
	t->neth = sch_code_count(SCH_LIST_ETHNICITY);
	t->nout = sch_code_count(SCH_LIST_OUTCOMES);
	t->police = (unsigned)sch_code_index(SCH_LIST_AGENCIES, "police");
	t->fpn = sch_code_index(SCH_LIST_EVENTS, "fpn-issued");
	t->card[RD_FORCE] = sch_code_count(SCH_LIST_FORCES);
	t->card[RD_POWER] = sch_code_count(SCH_LIST_POWERS);
	t->card[RD_QUARTER] = Q_SLOTS;
	t->card[RD_AGENCY] = sch_code_count(SCH_LIST_AGENCIES);
	t->card[RD_AGE] = RTN_AGE_BANDS + 2;		/* unknown, not-a-person */
	t->card[RD_SEX] = t->nsex + 2;			/* unknown, not-a-person */
	t->card[RD_ETHNICITY] = t->neth + 2;		/* not-stated, not-a-person */
	t->card[RD_LA] = LA_SLOTS;
	t->card[RD_OUTCOME] = t->nout + 1;		/* none */
	for (d = 0; d < RD_N; d++) {
		if (!r->asked[d])
			continue;
		t->mul[d] = cells;
		cells *= t->card[d];	/* at most about 2^49 with every dimension */
		if ((t->seen[d] = calloc(t->card[d], 1)) == NULL)
			goto oom;
	}
	for (t->nq = 0; t->nq < (unsigned)r->o.nquarters; t->nq++)
		memcpy(t->qlabel[t->nq], r->o.quarters[t->nq], 8);
	if (cells <= DIRECT_MAX && (t->direct = calloc(cells, sizeof(*t->direct))) == NULL)
		goto oom;
	if ((t->la_code = calloc(LA_SLOTS, sizeof(*t->la_code))) == NULL)
		goto oom;
	t->nla = 1;
	*ret = t;
	return ASB_OK;
oom:
	tally_free(t);
	return asb_fail(eb, ASB_EIO, NULL, "out of memory");
}

void
tally_free(struct tally *t)
{
	size_t i;
	int d;

	if (t == NULL)
		return;
	for (d = 0; d < RD_N; d++)
		free(t->seen[d]);
	for (i = 0; i < t->nsubj; i++)
		free(t->subj[i].p);
	free(t->subj);
	free(t->la_code);
	free(t->la_slot);
	free(t->direct);
	free(t->hash);
	free(t);
}

/* ---- slots ------------------------------------------------------------------------------- */

/* A district's slot, added when new; 0 (unknown) never, -1 when there are too many. */
static int
la_slot(struct tally *t, uint32_t la)
{
	size_t j, cap, i;
	uint32_t *s;

	if ((t->nla + 1) * 2 > t->la_cap) {
		cap = t->la_cap ? t->la_cap * 2 : 1024;
		if ((s = calloc(cap, sizeof(*s))) == NULL)
			return -1;
		for (i = 1; i < t->nla; i++) {
			for (j = (t->la_code[i] * 2654435761u) & (cap - 1); s[j] != 0;
			    j = (j + 1) & (cap - 1))
				;
			s[j] = (uint32_t)i;
		}
		free(t->la_slot);
		t->la_slot = s;
		t->la_cap = cap;
	}
	for (j = (la * 2654435761u) & (t->la_cap - 1); t->la_slot[j] != 0;
	    j = (j + 1) & (t->la_cap - 1))
		if (t->la_code[t->la_slot[j]] == la)
			return (int)t->la_slot[j];
	if (t->nla >= LA_SLOTS)
		return -1;
	t->la_code[t->nla] = la;
	t->la_slot[j] = t->nla;
	return (int)t->nla++;
}

static int
quarter_slot(struct tally *t, int year, int q)
{
	char label[8];
	unsigned i;

	snprintf(label, sizeof(label), "%04d-Q%d", year, q);
	for (i = 0; i < t->nq; i++)
		if (strcmp(t->qlabel[i], label) == 0)
			return (int)i;
	if (t->nq == Q_SLOTS)
		return -1;
	memcpy(t->qlabel[t->nq], label, sizeof(label));
	return (int)t->nq++;
}

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
	p[r->nforces].population = rpt_population_of(r, code);
	*ret = r->nforces++;
	return 0;
}

/* ---- cells ------------------------------------------------------------------------------- */

static struct rpt_row *
new_row(struct tally *t, uint64_t k)
{
	struct rpt *r = t->r;
	struct rpt_row *row;
	int d;

	if (r->nrows == r->caprows) {
		size_t cap = r->caprows ? r->caprows * 2 : 256;
		struct rpt_row *p = realloc(r->rows, cap * sizeof(*p));

		if (p == NULL)
			return NULL;
		r->rows = p;
		r->caprows = cap;
	}
	row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	for (d = 0; d < RD_N; d++)
		if (t->mul[d] != 0)
			row->key[d] = (uint16_t)(k / t->mul[d] % t->card[d]);
	return row;
}

static int
hash_grow(struct tally *t)
{
	size_t cap = t->hcap ? t->hcap * 2 : 4096, i, j;
	struct cell *c = calloc(cap, sizeof(*c));

	if (c == NULL)
		return -1;
	for (i = 0; i < t->hcap; i++) {
		if (t->hash[i].row == 0)
			continue;
		for (j = (t->hash[i].k * 0x9E3779B97F4A7C15ULL) >> 20 & (cap - 1);
		    c[j].row != 0; j = (j + 1) & (cap - 1))
			;
		c[j] = t->hash[i];
	}
	free(t->hash);
	t->hash = c;
	t->hcap = cap;
	return 0;
}

/* The row of cell k, made when new; NULL when out of memory. */
static struct rpt_row *
row_of(struct tally *t, uint64_t k)
{
	struct rpt_row *row;
	size_t j;

	if (t->direct != NULL) {
		if (t->direct[k] != 0)
			return &t->r->rows[t->direct[k] - 1];
		if ((row = new_row(t, k)) != NULL)
			t->direct[k] = (uint32_t)t->r->nrows;
		return row;
	}
	if ((t->r->nrows + 1) * 2 > t->hcap && hash_grow(t) == -1)
		return NULL;
	for (j = (k * 0x9E3779B97F4A7C15ULL) >> 20 & (t->hcap - 1); t->hash[j].row != 0;
	    j = (j + 1) & (t->hcap - 1))
		if (t->hash[j].k == k)
			return &t->r->rows[t->hash[j].row - 1];
	if ((row = new_row(t, k)) != NULL) {
		t->hash[j].k = k;
		t->hash[j].row = (uint32_t)t->r->nrows;
	}
	return row;
}

/* ---- one return -------------------------------------------------------------------------- */

static int
subject_add(struct subjv *s, const uint8_t *b)
{
	struct pseudo *p;
	size_t cap;
	int i;

	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 2 : 1024;
		if ((p = realloc(s->p, cap * sizeof(*p))) == NULL)
			return -1;
		s->p = p;
		s->cap = cap;
	}
	p = &s->p[s->n++];
	for (p->hi = p->lo = 0, i = 0; i < 8; i++) {
		p->hi = p->hi << 8 | b[i];
		p->lo = p->lo << 8 | b[8 + i];
	}
	return 0;
}

/* Mark slot s of dimension d as met and return its part of the cell number. */
#define AT(d, s)	(t->seen[d][s] = 1, (uint64_t)(s) * t->mul[d])

int
tally_return(struct tally *t, const void *facts, size_t len, const char *id,
    struct asb_errbuf *eb)
{
	struct rpt *r = t->r;
	const int *asked = r->asked;
	struct rtn_facts_reader rd;
	struct rtn_record_facts f;
	struct rpt_force *fo;
	struct rpt_row *row;
	uint64_t base = 0, k;
	size_t fi;
	unsigned i, none = t->nout;
	int q, rc, s, person, err;

	if ((err = rtn_facts_open(&rd, facts, len, eb)) != ASB_OK)
		return err;
	if (force_slot(r, sch_code_field(SCH_LIST_FORCES, (unsigned)rd.force, 0), &fi) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if (fi >= t->nsubj) {
		struct subjv *p = realloc(t->subj, (fi + 1) * sizeof(*p));

		if (p == NULL)
			return asb_fail(eb, ASB_EIO, NULL, "out of memory");
		memset(p + t->nsubj, 0, (fi + 1 - t->nsubj) * sizeof(*p));
		t->subj = p;
		t->nsubj = fi + 1;
	}
	if ((q = quarter_slot(t, rd.year, rd.quarter)) < 0)
		return asb_fail(eb, ASB_EIO, NULL, "more quarters than a report holds");
	for (i = 0; i < rd.nla; i++) {
		if ((s = la_slot(t, rtn_facts_la(&rd, i))) < 0)
			return asb_fail(eb, ASB_EIO, NULL, "more local authorities than a "
			    "report holds");
		t->la_map[i] = (uint16_t)s;
	}
	{
		struct rpt_counted *c = realloc(r->counted, (r->ncounted + 1) * sizeof(*c));

		if (c == NULL)
			return asb_fail(eb, ASB_EIO, NULL, "out of memory");
		r->counted = c;
		c += r->ncounted++;
		snprintf(c->id, sizeof(c->id), "%s", id != NULL ? id : "");
		c->force = rd.force;
		c->quarter = q < r->o.nquarters ? q : -1;
		if (q < r->o.nquarters && rd.force < 64)
			r->qforces[q] |= (uint64_t)1 << rd.force;
	}
	fo = &r->forces[fi];
	fo->returns++;
	if (id != NULL)
		snprintf(fo->return_id, sizeof(fo->return_id), "%s", id);
	r->returns_read++;
	/* the force and the quarter are the return's: a value is met with its first record */
	base = (uint64_t)rd.force * t->mul[RD_FORCE] + (uint64_t)q * t->mul[RD_QUARTER];
	while ((rc = rtn_facts_next(&rd, &f, eb)) == 1) {
		person = f.kind == SCH_PERSON;
		k = base;
		if (asked[RD_FORCE])
			t->seen[RD_FORCE][rd.force] = 1;
		if (asked[RD_QUARTER])
			t->seen[RD_QUARTER][q] = 1;
		if (asked[RD_POWER])
			k += AT(RD_POWER, (unsigned)f.power);
		if (asked[RD_AGENCY])
			k += AT(RD_AGENCY, f.agency < 0 ? t->police : (unsigned)f.agency);
		if (asked[RD_AGE])
			k += AT(RD_AGE, !person ? RTN_AGE_BANDS + 1 : f.age_band < 0 ?
			    RTN_AGE_BANDS : (unsigned)f.age_band);
		if (asked[RD_SEX])
			k += AT(RD_SEX, !person ? t->nsex + 1 : f.sex < 0 ? t->nsex :
			    (unsigned)f.sex);
		if (asked[RD_ETHNICITY])
			k += AT(RD_ETHNICITY, !person ? t->neth + 1 : f.ethnicity < 0 ?
			    t->neth : (unsigned)f.ethnicity);
		if (asked[RD_LA])
			k += AT(RD_LA, f.la_index < 0 ? 0u : t->la_map[f.la_index]);
		if (asked[RD_OUTCOME])
			t->seen[RD_OUTCOME][none] = 1;
		if (f.issued_in_period) {
			if ((row = row_of(t, k + none * t->mul[RD_OUTCOME])) == NULL)
				return asb_fail(eb, ASB_EIO, NULL, "out of memory");
			row->m[0]++;
			r->total[0]++;
			fo->uses++;
			r->powers[f.power].uses++;
			fo->by_power[f.power]++;
			if (q < r->o.nquarters)
				r->quarter_uses[q]++;
			if (subject_add(&t->subj[fi], f.subject) == -1)
				return asb_fail(eb, ASB_EIO, NULL, "out of memory");
		}
		for (i = 0; i < f.nevents; i++) {
			const struct rtn_event_facts *e = &f.events[i];

			if (!e->in_period)
				continue;
			if ((row = row_of(t, k + (asked[RD_OUTCOME] ? AT(RD_OUTCOME,
			    e->outcome < 0 ? none : (unsigned)e->outcome) : 0))) == NULL)
				return asb_fail(eb, ASB_EIO, NULL, "out of memory");
			row->m[1 + e->kind]++;
			r->total[1 + e->kind]++;
			if (e->kind == r->breached) {
				fo->breaches++;
				r->powers[f.power].breaches++;
			}
			if (e->kind == t->fpn)
				r->powers[f.power].fpns++;
		}
	}
	if (rc < 0)
		return ASB_EIO;
	return ASB_OK;
}

/* ---- the end ----------------------------------------------------------------------------- */

static int
cmp_pseudo(const void *a, const void *b)
{
	const struct pseudo *x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Least significant digit first on the high 64 bits, 11 bits at a time; then each run of
 * equal high halves (rare: pseudonyms are HMAC outputs) sorted on the low half. */
static int
sort_pseudo(struct pseudo *p, size_t n)
{
	struct pseudo *tmp, *src = p, *dst, *sw;
	size_t count[2048], i, j, sum, c;
	int shift;

	if (n < 64) {
		if (n > 1)
			qsort(p, n, sizeof(*p), cmp_pseudo);
		return 0;
	}
	if ((tmp = malloc(n * sizeof(*tmp))) == NULL)
		return -1;
	dst = tmp;
	for (shift = 0; shift < 64; shift += 11) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[src[i].hi >> shift & 2047]++;
		for (sum = 0, i = 0; i < 2048; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[src[i].hi >> shift & 2047]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != p)	/* six passes: an even number, but say so rather than rely on it */
		memcpy(p, src, n * sizeof(*p));
	free(tmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && p[j].hi == p[i].hi; j++)
			;
		if (j - i > 1)
			qsort(p + i, j - i, sizeof(*p), cmp_pseudo);
	}
	return 0;
}

static const char *
slot_text(const struct tally *t, int d, unsigned s, char *buf, size_t cap)
{
	switch (d) {
	case RD_FORCE:
		return sch_code_field(SCH_LIST_FORCES, s, 0);
	case RD_POWER:
		return sch_code_field(SCH_LIST_POWERS, s, 0);
	case RD_QUARTER:
		return t->qlabel[s];
	case RD_AGENCY:
		return sch_code_field(SCH_LIST_AGENCIES, s, 0);
	case RD_AGE:
		return s < RTN_AGE_BANDS ? rtn_age_band_code((int)s) :
		    s == RTN_AGE_BANDS ? "unknown" : "not-a-person";
	case RD_SEX:
		return s < t->nsex ? sch_code_field(SCH_LIST_SEX, s, 0) :
		    s == t->nsex ? "unknown" : "not-a-person";
	case RD_ETHNICITY:
		return s < t->neth ? sch_code_field(SCH_LIST_ETHNICITY, s, 0) :
		    s == t->neth ? "not-stated" : "not-a-person";
	case RD_LA:
		return s == 0 ? "unknown" : rtn_la_text(t->la_code[s], buf, cap);
	default:
		return s < t->nout ? sch_code_field(SCH_LIST_OUTCOMES, s, 0) : "none";
	}
}

struct sval {
	char		 v[24];
	unsigned	 slot;
};

static int
cmp_sval(const void *a, const void *b)
{
	return strcmp(((const struct sval *)a)->v, ((const struct sval *)b)->v);
}

/* Dimension d's values met, sorted as text (codes, quarters and bands sort as a reader
 * expects), into r->values[d]; the rows' keys become indexes into it. */
static int
values_of(struct tally *t, int d)
{
	struct rpt *r = t->r;
	struct sval *sv;
	uint16_t *map;
	unsigned s, n = 0;
	size_t i;
	char buf[16];

	for (s = 0; s < t->card[d]; s++)
		n += t->seen[d][s];
	sv = calloc(n ? n : 1, sizeof(*sv));
	map = calloc(t->card[d], sizeof(*map));
	r->values[d] = calloc(n ? n : 1, sizeof(*r->values[d]));
	if (sv == NULL || map == NULL || r->values[d] == NULL) {
		free(sv);
		free(map);
		return -1;
	}
	for (n = 0, s = 0; s < t->card[d]; s++)
		if (t->seen[d][s]) {
			snprintf(sv[n].v, sizeof(sv[n].v), "%s", slot_text(t, d, s, buf,
			    sizeof(buf)));
			sv[n++].slot = s;
		}
	if (n > 1)
		qsort(sv, n, sizeof(*sv), cmp_sval);
	for (i = 0; i < n; i++) {
		map[sv[i].slot] = (uint16_t)i;
		memcpy(r->values[d][i], sv[i].v, sizeof(sv[i].v));
	}
	r->nvalues[d] = n;
	for (i = 0; i < r->nrows; i++)
		r->rows[i].key[d] = map[r->rows[i].key[d]];
	free(sv);
	free(map);
	return 0;
}

int
tally_finish(struct tally *t, struct asb_errbuf *eb)
{
	struct rpt *r = t->r;
	size_t i, j, k;
	int d;

	for (i = 0; i < t->nsubj; i++) {
		struct subjv *s = &t->subj[i];

		if (sort_pseudo(s->p, s->n) == -1)
			return asb_fail(eb, ASB_EIO, NULL, "out of memory");
		for (j = 0; j < s->n; j = k) {
			for (k = j + 1; k < s->n && s->p[k].hi == s->p[j].hi &&
			    s->p[k].lo == s->p[j].lo; k++)
				;
			r->forces[i].subjects++;
			if (k - j > 1)
				r->forces[i].repeat_subjects++;
		}
	}
	for (d = 0; d < RD_N; d++)
		if (r->asked[d] && values_of(t, d) == -1)
			return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	return ASB_OK;
}
