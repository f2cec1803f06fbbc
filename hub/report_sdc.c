/*
 * report_sdc.c - the report's side of disclosure control: a table that describes people
 * (age band, sex, ethnicity) or areas below a force (local authority) is laid out, for each
 * measure, as a grid - a row for each combination of the other dimensions (whose totals are
 * published: they are the force and power figures published anyway), a column for each
 * combination of the sensitive ones - and handed to sdc_protect (sdc.h), which knows nothing
 * of reports.  The flags it gives back are set on the table's rows; an empty cell it hides
 * to protect another becomes a row of zeros, shown suppressed.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sdc.h"

/* ---- combinations -------------------------------------------------------------------------- */

struct combo_map {
	uint16_t	(*keys)[RD_N];
	uint32_t	*slot;
	size_t		 n, cap;
};

static uint64_t
hash_key(const uint16_t *k)
{
	uint64_t h = 1469598103934665603ULL;
	int i;

	for (i = 0; i < RD_N; i++)
		h = (h ^ k[i]) * 1099511628211ULL;
	return h;
}

/* The id of a projected key, added when new; -1 when out of memory. */
static long
combo_id(struct combo_map *c, const uint16_t *k, size_t limit)
{
	size_t j, i;

	if (c->cap == 0 || (c->n + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		uint32_t *s = calloc(cap, sizeof(*s));

		if (s == NULL)
			return -1;
		for (i = 0; i < c->n; i++) {
			for (j = hash_key(c->keys[i]) & (cap - 1); s[j]; j = (j + 1) & (cap - 1))
				;
			s[j] = (uint32_t)i + 1;
		}
		free(c->slot);
		c->slot = s;
		c->cap = cap;
	}
	for (j = hash_key(k) & (c->cap - 1); c->slot[j]; j = (j + 1) & (c->cap - 1))
		if (memcmp(c->keys[c->slot[j] - 1], k, sizeof(c->keys[0])) == 0)
			return (long)c->slot[j] - 1;
	if (c->n >= limit)
		return -1;
	{
		uint16_t (*p)[RD_N] = realloc(c->keys, (c->n + 1) * sizeof(*p));

		if (p == NULL)
			return -1;
		c->keys = p;
	}
	memcpy(c->keys[c->n], k, sizeof(c->keys[0]));
	c->slot[j] = (uint32_t)++c->n;
	return (long)c->n - 1;
}

static void
project(const struct rpt *r, const uint16_t *key, int sensitive, uint16_t *out)
{
	int i;

	memset(out, 0, sizeof(uint16_t) * RD_N);
	for (i = 0; i < r->o.ndims; i++)
		if (rpt_is_sensitive(r->o.dims[i]) == sensitive)
			out[r->o.dims[i]] = key[r->o.dims[i]];
}

/* ---- the whole table ------------------------------------------------------------------------ */

static int
add_empty_row(struct rpt *r, const uint16_t *rk, const uint16_t *ck)
{
	struct rpt_row *row;
	int i;

	if (r->nrows == r->caprows) {
		size_t cap = r->caprows ? r->caprows * 2 : 64;
		struct rpt_row *p = realloc(r->rows, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		r->rows = p;
		r->caprows = cap;
	}
	row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	for (i = 0; i < RD_N; i++)
		row->key[i] = rpt_is_sensitive(i) ? ck[i] : rk[i];
	for (i = 0; i < r->o.ndims; i++)
		row->sk[i] = row->key[r->o.dims[i]];
	return 0;
}

static int
cmp_sk(const void *a, const void *b)
{
	const struct rpt_row *x = a, *y = b;
	int i;

	for (i = 0; i < RD_N; i++)
		if (x->sk[i] != y->sk[i])
			return x->sk[i] < y->sk[i] ? -1 : 1;
	return 0;
}

int
rpt_suppress(struct rpt *r)
{
	struct combo_map rows = { NULL, NULL, 0, 0 }, cols = { NULL, NULL, 0, 0 };
	uint32_t *rowof = NULL, *colof = NULL;
	int32_t *at = NULL;		/* nr * nc: the table row of each cell, -1 for none */
	int64_t *cell = NULL;
	uint8_t *flags = NULL, *colflags = NULL;
	uint16_t k[RD_N];
	size_t t, i, nr, nc, cells;
	long id;
	int m, err = -1;

	r->suppressed = r->secondary = 0;
	free(r->colsup);
	r->colsup = NULL;
	r->ncols = 0;
	if ((rowof = calloc(r->nrows + 1, sizeof(*rowof))) == NULL ||
	    (colof = calloc(r->nrows + 1, sizeof(*colof))) == NULL)
		goto out;
	for (t = 0; t < r->nrows; t++) {
		project(r, r->rows[t].key, 0, k);
		if ((id = combo_id(&rows, k, SDC_MAX_CELLS)) < 0)
			goto out;
		rowof[t] = (uint32_t)id;
		project(r, r->rows[t].key, 1, k);
		if ((id = combo_id(&cols, k, SDC_MAX_CELLS)) < 0)
			goto out;
		colof[t] = (uint32_t)id;
	}
	nr = rows.n;
	nc = cols.n;
	cells = nr * nc;
	if (nr == 0 || nc == 0) {
		err = 0;
		goto out;
	}
	if (cells / nc != nr)
		goto out;
	if (cells > SDC_MAX_CELLS) {
		r->too_fine = 1;
		err = 0;
		goto out;
	}
	if ((at = malloc(cells * sizeof(*at))) == NULL ||
	    (cell = malloc(cells * sizeof(*cell))) == NULL ||
	    (flags = malloc(cells)) == NULL ||
	    (colflags = malloc(nc)) == NULL ||
	    (r->colsup = calloc(nc, sizeof(*r->colsup))) == NULL ||
	    (r->colkey = calloc(nc, sizeof(*r->colkey))) == NULL)
		goto out;
	r->ncols = nc;
	memcpy(r->colkey, cols.keys, nc * sizeof(*r->colkey));
	for (i = 0; i < cells; i++)
		at[i] = -1;
	for (t = 0; t < r->nrows; t++) {
		at[(size_t)rowof[t] * nc + colof[t]] = (int32_t)t;
		r->rows[t].flags = 0;
	}
	for (m = 0; m < RPT_MEASURES; m++) {
		for (i = 0; i < cells; i++)
			cell[i] = at[i] < 0 ? 0 : r->rows[at[i]].m[m];
		if (sdc_protect(nr, nc, cell, r->o.threshold, flags, colflags, NULL) != ASB_OK)
			goto out;
		for (i = 0; i < nc; i++)
			if (colflags[i])
				r->colsup[i] |= 1u << m;
		for (i = 0; i < cells; i++) {
			int32_t c = at[i];

			if (!flags[i])
				continue;
			if (c < 0) {
				/* an empty cell chosen to hide another: it must appear,
				 * suppressed */
				if (add_empty_row(r, rows.keys[i / nc], cols.keys[i % nc]) == -1)
					goto out;
				c = (int32_t)(r->nrows - 1);
				at[i] = c;
			}
			r->rows[c].flags |= 1u << m;
			if (flags[i] & SDC_PRIMARY)
				r->suppressed++;
			else
				r->secondary++;
		}
	}
	if (r->nrows > 1)
		qsort(r->rows, r->nrows, sizeof(*r->rows), cmp_sk);
	err = 0;
out:
	free(rowof);
	free(colof);
	free(at);
	free(cell);
	free(flags);
	free(colflags);
	free(rows.keys);
	free(rows.slot);
	free(cols.keys);
	free(cols.slot);
	return err;
}
