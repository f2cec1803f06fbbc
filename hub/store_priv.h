/*
 * store_priv.h - private to the hub store's files (store.c, store_tls.c): the handle's
 * layout and what they share.  Nothing else includes it.
 */
#ifndef HUB_STORE_PRIV_H
#define HUB_STORE_PRIV_H

#include <string.h>

#include <lmdb.h>

#include "err.h"

struct hub_store {
	MDB_env		*env;
	MDB_dbi		 returns, bodies, receipts, latest, certs;
	MDB_dbi		 facts;
	MDB_dbi		 tlscerts;
};

/* eb filled with what failed and LMDB's words (a full store said so); returns ASB_EIO. */
int	 hub_store_lmdb_fail(struct asb_errbuf *eb, int rc, const char *what);

static inline MDB_val
sval(const char *s)
{
	MDB_val v = { strlen(s), (void *)s };

	return v;
}

#endif
