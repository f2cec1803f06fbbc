/*
 * sdc.c - disclosure control on a neutral grid (see sdc.h for the method).
 */
#include <stdlib.h>
#include <string.h>

#include "sdc.h"

struct grid {
	size_t		 nr, nc;
	const int64_t	*cell;		/* nr * nc */
	uint8_t		*sup;		/* nr * nc: hidden */
	int64_t		*coltot;	/* nc */
	uint8_t		*colsup;	/* nc: total hidden */
};

static int64_t
value(const struct grid *g, size_t i, size_t j)
{
	return g->cell[i * g->nc + j];
}

/* Better of two candidates: the smaller value, a shown non-zero before a zero (a zero
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

/* ---- the graph of hidden cells ----------------------------------------------------------- */

/* Nodes: rows 0..nr-1, shown columns nr..nr+nc-1, and node nr+nc for every column whose
 * total is hidden. */
static size_t
node_of_col(const struct grid *g, size_t j)
{
	return g->colsup[j] ? g->nr + g->nc : g->nr + j;
}

/* Label in seen[] the nodes reached from `from` without the edge (skip_i, skip_j). */
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
				break;	/* a shown column is one column */
		}
	}
}

/*
 * When no single cell joins a bridge's sides (its row and column have no other hidden
 * cell), close a rectangle through it: the cheapest row r and column c whose cells (i, c),
 * (r, j) and (r, c) are hidden with it.  In a 1 x 1 grid there is none.
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
 * Put every bridge on a cycle.  Adding a hidden cell never makes a bridge (the new edge
 * closes a cycle through the one it mends), so one pass over the cells is enough: each is
 * checked once, and a bridge gets the smallest shown cell joining its two sides - the nodes
 * its row reaches without it (side) and those its column reaches (other).  seen holds two
 * arrays of nr + nc + 1.
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

static void
protect(struct grid *g, unsigned threshold, uint8_t *seen, size_t *stack)
{
	size_t i, j, n = 0, best_j = 0;
	int64_t v, best = 0;
	int have;

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

static uint8_t
flag(int hidden, int64_t v, unsigned threshold)
{
	if (!hidden)
		return 0;
	return v > 0 && v < (int64_t)threshold ? SDC_PRIMARY : SDC_SECONDARY;
}

int
sdc_protect(size_t nr, size_t nc, const int64_t *cell, unsigned threshold,
    uint8_t *ret_cell, uint8_t *ret_col, struct asb_errbuf *eb)
{
	struct grid g;
	uint8_t *seen = NULL;
	size_t *stack = NULL, cells, i, j;
	int err = ASB_EIO;

	if (threshold < 2)
		return asb_fail(eb, ASB_EUSAGE, NULL, "disclosure control: a threshold of %u "
		    "hides nothing", threshold);
	if (nr == 0 || nc == 0)
		return ASB_OK;
	if (nr > SDC_MAX_CELLS || nc > SDC_MAX_CELLS || (cells = nr * nc) > SDC_MAX_CELLS)
		return asb_fail(eb, ASB_EUSAGE, NULL, "disclosure control: a grid of %zu x "
		    "%zu is more than the %u cells it handles", nr, nc, SDC_MAX_CELLS);
	for (i = 0; i < cells; i++)
		if (cell[i] < 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "disclosure control: cell %zu, "
			    "%zu is negative", i / nc, i % nc);
	memset(&g, 0, sizeof(g));
	g.nr = nr;
	g.nc = nc;
	g.cell = cell;
	if ((g.sup = calloc(cells, 1)) == NULL ||
	    (g.coltot = calloc(nc, sizeof(*g.coltot))) == NULL ||
	    (g.colsup = calloc(nc, 1)) == NULL ||
	    (seen = malloc(2 * (nr + nc + 1))) == NULL ||
	    (stack = malloc((nr + nc + 1) * sizeof(*stack))) == NULL) {
		asb_fail(eb, ASB_EIO, NULL, "disclosure control: out of memory");
		goto out;
	}
	protect(&g, threshold, seen, stack);
	for (i = 0; i < nr; i++)
		for (j = 0; j < nc; j++)
			ret_cell[i * nc + j] = flag(g.sup[i * nc + j], value(&g, i, j),
			    threshold);
	for (j = 0; j < nc; j++)
		ret_col[j] = flag(g.colsup[j], g.coltot[j], threshold);
	err = ASB_OK;
out:
	free(g.sup);
	free(g.coltot);
	free(g.colsup);
	free(seen);
	free(stack);
	return err;
}
