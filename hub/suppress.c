/*
 * suppress.c - disclosure control of a table that describes people (age band, sex,
 * ethnicity) or areas below a force (local authority).
 *
 * For each measure the table is a grid: a row for each combination of the other dimensions
 * (whose totals are published: they are the force and power figures published anyway), a
 * column for each combination of the sensitive ones (whose totals are published unless they
 * are small themselves), and the grand total.
 *
 *  1. Primary: a cell or a column total from 1 to threshold-1 is suppressed.  Zeros are
 *     published.
 *  2. Column totals: if exactly one is suppressed, the grand total gives it away, so the
 *     smallest other is suppressed too.
 *  3. Cells: a suppressed cell can be worked out from the totals exactly when it is a bridge
 *     in the graph whose nodes are rows and columns and whose edges are the suppressed cells
 *     (columns whose total is not published impose nothing, so they are one node).  A cell
 *     on a cycle can move up and down around it without changing any total.  For each
 *     bridge, the smallest published cell joining the two sides is suppressed, which puts
 *     the bridge on a cycle.  A row or column with a single suppressed cell is the simplest
 *     bridge.  Repeat until there is none.
 *
 * The result is checked by the tests with an attack that solves every row and column it can.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MAX_GRID	(1u << 20)	/* cells: a finer table is refused, not suppressed */

struct grid {
	struct rpt	*r;
	size_t		 nr, nc;
	uint32_t	*rowof, *colof;	/* per table row: grid row and column */
	int32_t		*cell;		/* nr * nc: table row index, -1 for an empty cell */
	int		 m;		/* the measure */
	/* per measure, rebuilt: */
	uint8_t		*sup;		/* nr * nc */
	int64_t		*coltot;	/* nc */
	uint8_t		*colsup;	/* nc */
};

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

/* ---- choosing ------------------------------------------------------------------------------ */

static int64_t
value(const struct grid *g, size_t i, size_t j)
{
	int32_t t = g->cell[i * g->nc + j];

	return t < 0 ? 0 : g->r->rows[t].m[g->m];
}

/* Better of two candidates: the smaller value, a published non-zero before a zero (a zero
 * hides little), then the first. */
static int
better(int64_t v, int64_t best, int have)
{
	if (!have)
		return 1;
	if ((v == 0) != (best == 0))
		return v != 0;
	return v < best;
}

/* ---- the graph of suppressed cells ---------------------------------------------------------- */

/* Nodes: rows 0..nr-1, published columns nr..nr+nc-1, and node nr+nc for every column whose
 * total is not published.  comp[] labels the component reached from `from` without using
 * the edge (skip_i, skip_j). */
static size_t
node_of_col(const struct grid *g, size_t j)
{
	return g->colsup[j] ? g->nr + g->nc : g->nr + j;
}

static void
reach(const struct grid *g, size_t from, size_t skip_i, size_t skip_j, uint8_t *seen,
    size_t *stack)
{
	size_t n = g->nr + g->nc + 1, top = 0, x, i, j;

	memset(seen, 0, n);
	seen[from] = 1;
	stack[top++] = from;
	while (top > 0) {
		x = stack[--top];
		if (x < g->nr) {
			for (j = 0; j < g->nc; j++) {
				size_t y = node_of_col(g, j);

				if (!g->sup[x * g->nc + j] || (x == skip_i && j == skip_j) ||
				    seen[y])
					continue;
				seen[y] = 1;
				stack[top++] = y;
			}
			continue;
		}
		for (j = 0; j < g->nc; j++) {
			if (node_of_col(g, j) != x)
				continue;
			for (i = 0; i < g->nr; i++) {
				if (!g->sup[i * g->nc + j] || (i == skip_i && j == skip_j) ||
				    seen[i])
					continue;
				seen[i] = 1;
				stack[top++] = i;
			}
			if (x < g->nr + g->nc)
				break;	/* a published column is one column */
		}
	}
}

/*
 * When no single cell joins a bridge's sides (its row and column have no other suppressed
 * cell), close a rectangle through it: the cheapest row r and column c whose cells (i, c),
 * (r, j) and (r, c) are suppressed with it.  In a 1 x 1 grid there is none: its totals are
 * the cell, so the cell is as public as the totals.
 */
static void
rectangle(struct grid *g, size_t i, size_t j)
{
	size_t r, c, br = 0, bc = 0;
	int64_t cost, best = 0;
	int have = 0;

	for (r = 0; r < g->nr; r++)
		for (c = 0; c < g->nc; c++) {
			if (r == i || c == j)
				continue;
			cost = (g->sup[i * g->nc + c] ? 0 : value(g, i, c) + 1) +
			    (g->sup[r * g->nc + j] ? 0 : value(g, r, j) + 1) +
			    (g->sup[r * g->nc + c] ? 0 : value(g, r, c) + 1);
			if (!have || cost < best) {
				best = cost;
				br = r;
				bc = c;
				have = 1;
			}
		}
	if (!have)
		return;
	g->sup[i * g->nc + bc] = 1;
	g->sup[br * g->nc + j] = 1;
	g->sup[br * g->nc + bc] = 1;
}

/*
 * Put every bridge on a cycle.  Adding a suppressed cell never makes a bridge (the new edge
 * closes a cycle through the one it mends), so one pass over the cells is enough: each is
 * checked once, and a bridge gets the smallest published cell joining its two sides - the
 * nodes its row reaches without it (side) and those its column reaches (other) - which
 * closes a cycle through it.  seen holds two arrays of nr + nc + 1.
 */
static void
fix_bridges(struct grid *g, uint8_t *seen, size_t *stack)
{
	size_t n = g->nr + g->nc + 1, i, j, a, b, bi = 0, bj = 0, an, bn;
	uint8_t *side = seen, *other = seen + n;
	int64_t best = 0, v;
	int have;

	for (i = 0; i < g->nr; i++)
		for (j = 0; j < g->nc; j++) {
			if (!g->sup[i * g->nc + j])
				continue;
			reach(g, i, i, j, side, stack);
			if (side[node_of_col(g, j)])
				continue;	/* on a cycle */
			reach(g, node_of_col(g, j), i, j, other, stack);
			have = 0;
			for (a = 0; a < g->nr; a++)
				for (b = 0; b < g->nc; b++) {
					an = a;
					bn = node_of_col(g, b);
					if (g->sup[a * g->nc + b] || !((side[an] && other[bn]) ||
					    (other[an] && side[bn])))
						continue;
					v = value(g, a, b);
					if (better(v, best, have)) {
						best = v;
						bi = a;
						bj = b;
						have = 1;
					}
				}
			if (have) {
				g->sup[bi * g->nc + bj] = 1;
				continue;
			}
			rectangle(g, i, j);
		}
}

/* ---- per measure ----------------------------------------------------------------------------- */

static void
suppress_measure(struct grid *g, unsigned threshold, uint8_t *seen, size_t *stack)
{
	size_t i, j, n = 0, best_j = 0;
	int64_t v, best = 0;
	int have;

	memset(g->sup, 0, g->nr * g->nc);
	memset(g->coltot, 0, g->nc * sizeof(*g->coltot));
	memset(g->colsup, 0, g->nc);
	for (i = 0; i < g->nr; i++)
		for (j = 0; j < g->nc; j++) {
			v = value(g, i, j);
			g->coltot[j] += v;
			if (v > 0 && v < (int64_t)threshold)
				g->sup[i * g->nc + j] = 1;
		}
	/* column totals: small ones, and never exactly one */
	for (j = 0; j < g->nc; j++)
		if (g->coltot[j] > 0 && g->coltot[j] < (int64_t)threshold) {
			g->colsup[j] = 1;
			n++;
		}
	if (n == 1 && g->nc > 1) {
		for (have = 0, j = 0; j < g->nc; j++)
			if (!g->colsup[j] && better(g->coltot[j], best, have)) {
				best = g->coltot[j];
				best_j = j;
				have = 1;
			}
		if (have)
			g->colsup[best_j] = 1;
	}
	fix_bridges(g, seen, stack);
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
	struct grid g;
	uint16_t k[RD_N];
	uint8_t *seen = NULL;
	size_t *stack = NULL, t, i, j, cells;
	long id;
	int m, err = -1;

	memset(&g, 0, sizeof(g));
	g.r = r;
	r->suppressed = r->secondary = 0;
	free(r->colsup);
	r->colsup = NULL;
	r->ncols = 0;
	if ((g.rowof = calloc(r->nrows + 1, sizeof(*g.rowof))) == NULL ||
	    (g.colof = calloc(r->nrows + 1, sizeof(*g.colof))) == NULL)
		goto out;
	for (t = 0; t < r->nrows; t++) {
		project(r, r->rows[t].key, 0, k);
		if ((id = combo_id(&rows, k, MAX_GRID)) < 0)
			goto out;
		g.rowof[t] = (uint32_t)id;
		project(r, r->rows[t].key, 1, k);
		if ((id = combo_id(&cols, k, MAX_GRID)) < 0)
			goto out;
		g.colof[t] = (uint32_t)id;
	}
	g.nr = rows.n;
	g.nc = cols.n;
	cells = g.nr * g.nc;
	if (g.nr == 0 || g.nc == 0) {
		err = 0;
		goto out;
	}
	if (g.nc != 0 && cells / g.nc != g.nr)
		goto out;
	if (cells > MAX_GRID) {
		r->too_fine = 1;
		err = 0;
		goto out;
	}
	if ((g.cell = malloc(cells * sizeof(*g.cell))) == NULL ||
	    (g.sup = malloc(cells)) == NULL ||
	    (g.coltot = calloc(g.nc, sizeof(*g.coltot))) == NULL ||
	    (g.colsup = calloc(g.nc, 1)) == NULL ||
	    (seen = malloc(2 * (g.nr + g.nc + 1))) == NULL ||
	    (stack = malloc((g.nr + g.nc + 1) * sizeof(*stack))) == NULL ||
	    (r->colsup = calloc(g.nc, sizeof(*r->colsup))) == NULL ||
	    (r->colkey = calloc(g.nc, sizeof(*r->colkey))) == NULL)
		goto out;
	r->ncols = g.nc;
	memcpy(r->colkey, cols.keys, g.nc * sizeof(*r->colkey));
	for (i = 0; i < cells; i++)
		g.cell[i] = -1;
	for (t = 0; t < r->nrows; t++) {
		g.cell[(size_t)g.rowof[t] * g.nc + g.colof[t]] = (int32_t)t;
		r->rows[t].flags = 0;
	}
	for (m = 0; m < RPT_MEASURES; m++) {
		g.m = m;
		suppress_measure(&g, r->o.threshold, seen, stack);
		for (j = 0; j < g.nc; j++)
			if (g.colsup[j])
				r->colsup[j] |= 1u << m;
		for (i = 0; i < g.nr; i++)
			for (j = 0; j < g.nc; j++) {
				int32_t c = g.cell[i * g.nc + j];
				int64_t v;

				if (!g.sup[i * g.nc + j])
					continue;
				if (c < 0) {
					/* an empty cell chosen to hide another: it must
					 * appear, suppressed */
					if (add_empty_row(r, rows.keys[i], cols.keys[j]) == -1)
						goto out;
					c = (int32_t)(r->nrows - 1);
					g.cell[i * g.nc + j] = c;
				}
				v = r->rows[c].m[m];
				r->rows[c].flags |= 1u << m;
				if (v > 0 && v < (int64_t)r->o.threshold)
					r->suppressed++;
				else
					r->secondary++;
			}
	}
	if (r->nrows > 1)
		qsort(r->rows, r->nrows, sizeof(*r->rows), cmp_sk);
	err = 0;
out:
	free(g.rowof);
	free(g.colof);
	free(g.cell);
	free(g.sup);
	free(g.coltot);
	free(g.colsup);
	free(seen);
	free(stack);
	free(rows.keys);
	free(rows.slot);
	free(cols.keys);
	free(cols.slot);
	return err;
}
