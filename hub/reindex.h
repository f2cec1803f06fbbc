/*
 * reindex.h - the facts the national figures count (return/facts.h), taken from a return's
 * bytes exactly as intake takes them (the same parse, the same validator walk), and the
 * migration of a store written before facts were kept: every stored accepted return
 * re-validated and its facts written (asbhub reindex, or on open by the commands that count).
 */
#ifndef HUB_REINDEX_H
#define HUB_REINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rtn.h"
#include "store.h"

/*
 * The encoded facts of a return held in memory (malloc'd into *ret), validated as intake
 * validates it.  force, period and test name its header (NULL: as the validator read it).
 * *ret_errors (may be NULL) gets its count of rule errors, which do not stop the facts;
 * ASB_ERULE when it is not well-formed or does not match the XSD (eb has the first finding),
 * ASB_EIO out of memory.
 */
int	 hub_facts_of(const char *body, size_t len, const struct rtn_schema *xsd,
	    uint8_t **ret, size_t *ret_len, unsigned *ret_errors, struct asb_errbuf *eb);

struct hub_reindex_stats {
	unsigned	 accepted;	/* accepted returns in the store */
	unsigned	 written;	/* facts written now */
	unsigned	 rule_errors;	/* of those, returns the rules now find errors in */
	unsigned	 failed;	/* no longer valid: quarantined (first names the first) */
	char		 first[600];
};

/*
 * Write the facts of every accepted return that has none (all: of every accepted return),
 * then mark the store current.  An accepted return this release's validator refuses (not
 * well-formed, markup the signature does not cover, not the XSD) is quarantined
 * (hub_return_quarantine) and no longer counts; the store is still marked current and the
 * call returns ASB_ERULE naming the first.  ASB_EIO on a storage failure (nothing marked).
 */
int	 hub_reindex(struct hub_store *st, int all, struct hub_reindex_stats *ret,
	    struct asb_errbuf *eb);
/* hub_reindex(st, 0) when the store is not current; ASB_OK at once when it is.  *ret_ran
 * (may be NULL) is set to 1 when it migrated.  ASB_ERULE: migrated, but some returns were
 * quarantined (eb says which): the store is usable. */
int	 hub_store_migrate(struct hub_store *st, int *ret_ran, struct asb_errbuf *eb);

#endif
