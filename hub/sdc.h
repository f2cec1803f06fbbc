/*
 * sdc.h - statistical disclosure control of one table of counts, knowing nothing of what
 * the counts are.  The table is a grid of non-negative counts, nr rows by nc columns, to be
 * published with its row totals, its column totals (unless they are hidden themselves) and
 * its grand total.  sdc_protect says which cells, and which column totals, must be hidden so
 * that no hidden count can be worked out from what is published:
 *
 *  1. Primary: a cell or a column total from 1 to threshold-1 is hidden.  Zeros are shown.
 *  2. Column totals: if exactly one is hidden, the grand total gives it away, so the
 *     smallest other is hidden too.
 *  3. Cells: a hidden cell can be worked out from the totals exactly when it is a bridge in
 *     the graph whose nodes are the rows and the columns and whose edges are the hidden
 *     cells (the columns whose total is hidden impose nothing, so together they are one
 *     node).  A cell on a cycle can move up and down around it without changing any total.
 *     Each bridge gets the smallest shown cell that joins its two sides (a non-zero before a
 *     zero), which puts it on a cycle; a row or column with a single hidden cell is the
 *     simplest bridge.  When no single cell joins them, a rectangle through the bridge is
 *     closed at least cost.  A grid of one column cannot be protected at all: each cell is
 *     its row's total, which is published (the caller decides whether such a table is
 *     worth publishing).
 *
 * The caller maps its own table onto the grid and reads the flags back (hub/report_sdc.c
 * does it for the national report).  tests/check_report.c attacks the result.
 */
#ifndef HUB_SDC_H
#define HUB_SDC_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The largest grid handled: a finer table is refused (its caller publishes it without the
 * sensitive breakdown), because checking every hidden cell for a bridge costs cells^2. */
#define SDC_MAX_CELLS	(1u << 20)

#define SDC_PRIMARY	0x01	/* hidden because it is small */
#define SDC_SECONDARY	0x02	/* hidden so that another cannot be worked out */

/*
 * Protect the grid cell[nr * nc] (row-major, each >= 0) with threshold (>= 2).  ret_cell
 * (nr * nc bytes) and ret_col (nc bytes, the column totals) are filled with 0 or one of the
 * flags; untouched on failure.  Errors: ASB_EUSAGE for a threshold below 2, a negative
 * count, or more than SDC_MAX_CELLS cells; ASB_EIO when out of memory.  An empty grid (nr or
 * nc 0) is ASB_OK with nothing to flag.
 */
int	 sdc_protect(size_t nr, size_t nc, const int64_t *cell, unsigned threshold,
	    uint8_t *ret_cell, uint8_t *ret_col, struct asb_errbuf *eb);

#endif
