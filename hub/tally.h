/*
 * tally.h - inside the report (not a public header): counting the stored facts of returns
 * (return/facts.h) into a report's table and the figures beside it.  report.c decides which
 * returns count and in what order; tally.c counts them.
 */
#ifndef HUB_TALLY_H
#define HUB_TALLY_H

#include <stddef.h>

#include "err.h"
#include "report.h"

struct tally;

/* A tally into r (its options, asked dimensions and population already set). */
int	 tally_new(struct rpt *r, struct tally **ret, struct asb_errbuf *eb);
void	 tally_free(struct tally *t);
/*
 * Count one return from its facts (borrowed for the call).  id (may be NULL) becomes its
 * force's return_id.  ASB_EIO with a message when the facts are corrupt: the records before
 * the corrupt one are counted already, so the caller drops the whole report on any error.
 */
int	 tally_return(struct tally *t, const void *facts, size_t len, const char *id,
	    struct asb_errbuf *eb);
/* After the last return: distinct and repeat subjects per force, each dimension's values
 * (those met, sorted) into r->values, and the rows' keys made indexes into them. */
int	 tally_finish(struct tally *t, struct asb_errbuf *eb);

/* The population of a force (report.c), 0 when not known. */
int64_t	 rpt_population_of(const struct rpt *r, const char *code);

#endif
