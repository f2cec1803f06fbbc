/*
 * release.h - what a publication used, frozen: a release is a scope (a quarter or a calendar
 * year), a number (the first release of a scope is 1, each later one revises the one before),
 * provisional or final, its date, the disclosure threshold, and every return it counted by
 * ID and SHA-256 (with the return each correction replaced).  Kept in their own LMDB
 * environment, DIR/releases, beside the store: a release never changes once written, and the
 * store's transactions are not held up by it.
 *
 * The value (version 1), in common/bytes.h's encoding: 0x01, id, scope, previous (strings),
 * final (u8), date (i64), threshold (u32), by (string: the table's dimensions), count (u32),
 * then per return: id, force, period, sha256, supersedes (strings).  Key: the release ID
 * ("2026-Q3.1", "2026.2").
 */
#ifndef HUB_RELEASE_H
#define HUB_RELEASE_H

#include <stddef.h>

#include "date.h"
#include "err.h"
#include "report_pub.h"
#include "store.h"

#define REL_V1		1
#define REL_MAX_RETURNS	4096	/* 43 forces x 40 quarters with room for test stores */

struct rel_return {
	char		 id[37], force[16], period[8], sha256[65], supersedes[37];
};

struct release {
	char		 id[32];		/* SCOPE.N */
	char		 scope[8];		/* "2026-Q3" or "2026" */
	char		 previous[32];		/* the release this revises, "" for the first */
	char		 by[128];		/* the dimensions of its table */
	int		 final;
	asb_time	 date;
	unsigned	 threshold;
	struct rel_return *returns;		/* malloc'd; rel_clear frees */
	size_t		 nreturns;
};

struct rel_store;

/* Open DIR/releases (made when create is set and it is missing).  ASB_ENOTFOUND when it is
 * missing and create is not set; ASB_EIO otherwise. */
int	 rel_open(const char *dir, int create, struct rel_store **ret, struct asb_errbuf *eb);
void	 rel_close(struct rel_store *s);

/* The latest release of scope into *ret (ASB_ENOTFOUND: none yet). */
int	 rel_latest(struct rel_store *s, const char *scope, struct release *ret,
	    struct asb_errbuf *eb);
/* Release id into *ret: ASB_ENOTFOUND naming it when there is none; ASB_EIO when damaged. */
int	 rel_get(struct rel_store *s, const char *id, struct release *ret,
	    struct asb_errbuf *eb);
/* Store r, whose id must be new (ASB_ECONFLICT otherwise), in one durable transaction. */
int	 rel_put(struct rel_store *s, const struct release *r, struct asb_errbuf *eb);
/* Every release in the order of their IDs. */
int	 rel_each(struct rel_store *s, void (*fn)(const struct release *, void *), void *ctx,
	    struct asb_errbuf *eb);
void	 rel_clear(struct release *r);

/*
 * A new release of scope ("2026-Q3" or "2026") into *ret, not yet stored: its ID the next
 * of the scope (SCOPE.1 first; it revises the latest one), the table by (dimensions), the
 * threshold, final or provisional, dated date; its returns are what counts in the store
 * now, each with its SHA-256 and what it supersedes.  Free with rel_clear.  ASB_EUSAGE for a
 * bad scope or table, or one too fine for disclosure control; ASB_EIO.
 */
int	 rel_new(struct hub_store *st, struct rel_store *rs, const char *scope, const char *by,
	    int final, unsigned threshold, asb_time date, struct release *ret,
	    struct asb_errbuf *eb);
/*
 * The figures of release rel, made only from the returns it recorded (never what is latest
 * now): each is checked against its recorded SHA-256 (ASB_ECONFLICT naming it when the store
 * holds other bytes; ASB_ENOTFOUND when it holds none), counted, compared cell by cell with
 * the previous release (reproduced the same way) to mark revisions and list the corrections,
 * and given the data quality of its last quarter as the store stood at its date (into *q,
 * which must outlive the report).  *ret borrows pub; free the report with rpt_free and pub's
 * parts with rpt_pub_clear.  The same release gives the same report, and so the same bytes.
 */
int	 rel_report(struct hub_store *st, struct rel_store *rs, const struct release *rel,
	    int due_days, struct rpt **ret, struct rpt_pub *pub, struct rpt_quality *q,
	    struct asb_errbuf *eb);

/* Encoding, exposed for the tests: a malloc'd value and its length (NULL out of memory or a
 * string too long), and its decoder (ASB_EIO naming what is damaged). */
unsigned char *rel_encode(const struct release *r, size_t *ret_len);
int	 rel_decode(const void *p, size_t n, struct release *ret, struct asb_errbuf *eb);

#endif
