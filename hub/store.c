/*
 * store.c - the hub's LMDB store.  Named databases:
 *   returns   return ID (36 bytes)      -> the return's facts (store_codec.h, versioned)
 *   bodies    return ID                 -> the exact bytes received
 *   receipts  return ID                 -> the signed receipt
 *   latest    "L|" or "T|" force "|" period -> return ID (accepted, counted nationally;
 *                                          versioned)
 *   certs     fingerprint (64 hex)      -> the certificate's facts (versioned)
 *   tlscerts  force "|" fingerprint     -> a TLS client certificate registered or revoked
 *                                          (versioned; store_tls.c)
 *   facts     return ID                 -> the facts of an accepted return (return/facts.h),
 *             "!current"                -> u8 1: every accepted return has its facts
 * Values are encoded by store_codec.c, which also reads those written as raw structs before.
 * Writes are single transactions with LMDB's default durability (fsync on commit).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lmdb.h>

#include "store.h"
#include "store_codec.h"
#include "store_priv.h"

#define MAP_SIZE	(64ULL << 30)	/* address space only: the file grows as needed */

#define FACTS_CURRENT	"!current"	/* sorts before every return ID */

static int open_facts(struct hub_store *st, MDB_txn *txn);

int
hub_store_lmdb_fail(struct asb_errbuf *eb, int rc, const char *what)
{
	if (rc == MDB_MAP_FULL || rc == ENOSPC)
		return asb_fail(eb, ASB_EIO, NULL, "%s: the store is full: %s", what,
		    mdb_strerror(rc));
	return asb_fail(eb, ASB_EIO, NULL, "%s: %s", what, mdb_strerror(rc));
}

int
hub_store_open(const char *dir, int create, struct hub_store **ret, struct asb_errbuf *eb)
{
	struct hub_store *st;
	char path[4096];
	struct stat sb;
	MDB_txn *txn;
	int rc;

	*ret = NULL;
	if (snprintf(path, sizeof(path), "%s/store", dir) >= (int)sizeof(path))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dir);
	if (stat(path, &sb) == -1) {
		if (!create)
			return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: no hub here "
			    "(run 'asbhub init -d %s' first)", dir, dir);
		if (mkdir(path, 0700) == -1)
			return asb_fail(eb, ASB_EIO, NULL, "%s: cannot create: %s",
			    path, strerror(errno));
	}
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if ((rc = mdb_env_create(&st->env)) != 0 ||
	    (rc = mdb_env_set_mapsize(st->env, MAP_SIZE)) != 0 ||
	    (rc = mdb_env_set_maxdbs(st->env, 8)) != 0 ||
	    (rc = mdb_env_set_maxreaders(st->env, 256)) != 0 ||
	    (rc = mdb_env_open(st->env, path, MDB_NOTLS, 0600)) != 0) {
		hub_store_lmdb_fail(eb, rc, path);
		if (st->env != NULL)
			mdb_env_close(st->env);
		free(st);
		return ASB_EIO;
	}
	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0 ||
	    (rc = mdb_dbi_open(txn, "returns", MDB_CREATE, &st->returns)) != 0 ||
	    (rc = mdb_dbi_open(txn, "bodies", MDB_CREATE, &st->bodies)) != 0 ||
	    (rc = mdb_dbi_open(txn, "receipts", MDB_CREATE, &st->receipts)) != 0 ||
	    (rc = mdb_dbi_open(txn, "latest", MDB_CREATE, &st->latest)) != 0 ||
	    (rc = mdb_dbi_open(txn, "certs", MDB_CREATE, &st->certs)) != 0 ||
	    (rc = mdb_dbi_open(txn, "tlscerts", MDB_CREATE, &st->tlscerts)) != 0 ||
	    (rc = open_facts(st, txn)) != 0 ||
	    (rc = mdb_txn_commit(txn)) != 0) {
		hub_store_lmdb_fail(eb, rc, path);
		mdb_env_close(st->env);
		free(st);
		return ASB_EIO;
	}
	*ret = st;
	return ASB_OK;
}

void
hub_store_close(struct hub_store *st)
{
	if (st == NULL)
		return;
	mdb_env_close(st->env);
	free(st);
}


/* ---- certificates ---------------------------------------------------------------------- */

int
hub_cert_add(struct hub_store *st, const struct hub_cert *c, struct asb_errbuf *eb)
{
	unsigned char buf[HUB_CERT_ENC_MAX];
	MDB_txn *txn;
	MDB_val k = sval(c->fingerprint), v;
	int rc;

	if ((v.mv_size = hub_enc_cert(c, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "certificate %s: a field is too long "
		    "to store", c->fingerprint);
	v.mv_data = buf;
	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	rc = mdb_put(txn, st->certs, &k, &v, MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST) {
		mdb_txn_abort(txn);
		return asb_fail(eb, ASB_ECONFLICT, NULL, "that certificate is "
		    "registered already (see 'asbhub force list')");
	}
	if (rc != 0 || (rc = mdb_txn_commit(txn)) != 0) {
		if (rc != 0)
			mdb_txn_abort(txn);
		return hub_store_lmdb_fail(eb, rc, "store");
	}
	return ASB_OK;
}

int
hub_cert_get(struct hub_store *st, const char *fingerprint, struct hub_cert *ret)
{
	MDB_txn *txn;
	MDB_val k = sval(fingerprint), v;
	int rc;

	if (mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn) != 0)
		return ASB_EIO;
	rc = mdb_get(txn, st->certs, &k, &v);
	if (rc == 0)
		rc = hub_dec_cert(v.mv_data, v.mv_size, "certificate", ret, NULL) == ASB_OK ?
		    0 : EIO;
	mdb_txn_abort(txn);
	return rc == 0 ? ASB_OK : rc == MDB_NOTFOUND ? ASB_ENOTFOUND : ASB_EIO;
}

int
hub_cert_revoke(struct hub_store *st, const char *code, const char *fingerprint,
    asb_time now, struct asb_errbuf *eb)
{
	unsigned char buf[HUB_CERT_ENC_MAX];
	struct hub_cert c;
	MDB_txn *txn;
	MDB_val k = sval(fingerprint), v;
	int rc;

	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	rc = mdb_get(txn, st->certs, &k, &v);
	if (rc != 0) {
		mdb_txn_abort(txn);
		if (rc != MDB_NOTFOUND)
			return hub_store_lmdb_fail(eb, rc, "store");
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "no such certificate is "
		    "registered");
	}
	if ((rc = hub_dec_cert(v.mv_data, v.mv_size, "store: certificate", &c, eb)) !=
	    ASB_OK) {
		mdb_txn_abort(txn);
		return rc;
	}
	if (strcmp(c.code, code) != 0) {
		mdb_txn_abort(txn);
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "that certificate is "
		    "registered to %s, not %s", c.code, code);
	}
	if (c.revoked != 0) {
		mdb_txn_abort(txn);
		return asb_fail(eb, ASB_ECONFLICT, NULL, "that certificate is "
		    "revoked already");
	}
	c.revoked = now;
	if ((v.mv_size = hub_enc_cert(&c, buf, sizeof(buf))) == 0) {
		mdb_txn_abort(txn);
		return asb_fail(eb, ASB_EIO, NULL, "store: certificate %s cannot be "
		    "encoded", fingerprint);
	}
	v.mv_data = buf;
	if ((rc = mdb_put(txn, st->certs, &k, &v, 0)) != 0 ||
	    (rc = mdb_txn_commit(txn)) != 0) {
		if (rc != 0)
			mdb_txn_abort(txn);
		return hub_store_lmdb_fail(eb, rc, "store");
	}
	return ASB_OK;
}

int
hub_cert_each(struct hub_store *st, void (*fn)(const struct hub_cert *, void *), void *ctx,
    struct asb_errbuf *eb)
{
	struct hub_cert c;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, err = ASB_OK;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)) != 0 ||
	    (rc = mdb_cursor_open(txn, st->certs, &cur)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		char what[96];

		snprintf(what, sizeof(what), "store: certificate %.*s",
		    (int)(k.mv_size < 64 ? k.mv_size : 64), (const char *)k.mv_data);
		if ((err = hub_dec_cert(v.mv_data, v.mv_size, what, &c, eb)) != ASB_OK)
			break;
		fn(&c, ctx);
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	if (err != ASB_OK)
		return err;
	return rc == MDB_NOTFOUND ? ASB_OK : hub_store_lmdb_fail(eb, rc, "store");
}

/* ---- returns --------------------------------------------------------------------------- */

static void
latest_key(char *buf, size_t cap, const char *force, const char *period, int test)
{
	snprintf(buf, cap, "%c|%s|%s", test ? 'T' : 'L', force, period);
}

static int
is_latest(struct hub_store *st, MDB_txn *txn, const struct hub_return *r)
{
	char key[48], id[37];
	MDB_val k, v;

	latest_key(key, sizeof(key), r->force, r->period, r->test);
	k = sval(key);
	return mdb_get(txn, st->latest, &k, &v) == 0 &&
	    hub_dec_latest(v.mv_data, v.mv_size, "latest", id, NULL) == ASB_OK &&
	    strcmp(id, r->id) == 0;
}

static char *
copy_out(const MDB_val *v)
{
	char *p = malloc(v->mv_size + 1);

	if (p != NULL) {
		memcpy(p, v->mv_data, v->mv_size);
		p[v->mv_size] = '\0';
	}
	return p;
}

int
hub_return_get(struct hub_store *st, const char *id, struct hub_return *ret,
    char **receipt, size_t *rlen, char **body, size_t *blen)
{
	MDB_txn *txn;
	MDB_val k = sval(id), v;
	int rc, err = ASB_OK;

	if (receipt != NULL)
		*receipt = NULL;
	if (body != NULL)
		*body = NULL;
	if (strlen(id) != 36)
		return ASB_ENOTFOUND;
	if (mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn) != 0)
		return ASB_EIO;
	if ((rc = mdb_get(txn, st->returns, &k, &v)) != 0 ||
	    hub_dec_return(v.mv_data, v.mv_size, "return", ret, NULL) != ASB_OK) {
		mdb_txn_abort(txn);
		return rc == MDB_NOTFOUND ? ASB_ENOTFOUND : ASB_EIO;
	}
	ret->latest = is_latest(st, txn, ret);
	if (receipt != NULL && mdb_get(txn, st->receipts, &k, &v) == 0) {
		if ((*receipt = copy_out(&v)) == NULL)
			err = ASB_EIO;
		*rlen = v.mv_size;
	}
	if (body != NULL && err == ASB_OK && mdb_get(txn, st->bodies, &k, &v) == 0) {
		if ((*body = copy_out(&v)) == NULL)
			err = ASB_EIO;
		*blen = v.mv_size;
	}
	mdb_txn_abort(txn);
	return err;
}

int
hub_return_put(struct hub_store *st, const struct hub_return *r, const char *body,
    size_t blen, const char *receipt, size_t rlen, const void *facts, size_t flen, int *same,
    struct asb_errbuf *eb)
{
	unsigned char buf[HUB_RETURN_ENC_MAX], lbuf[HUB_LATEST_ENC_MAX];
	MDB_txn *txn;
	MDB_val k = sval(r->id), v;
	char key[48];
	size_t len, llen = 0;
	int rc;

	*same = 0;
	if ((len = hub_enc_return(r, buf, sizeof(buf))) == 0 ||
	    (strcmp(r->state, "accepted") == 0 &&
	    (llen = hub_enc_latest(r->id, lbuf, sizeof(lbuf))) == 0))
		return asb_fail(eb, ASB_EUSAGE, NULL, "return %s: a field is too long to "
		    "store", r->id);
	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	if (mdb_get(txn, st->returns, &k, &v) == 0) {
		struct hub_return old;

		if ((rc = hub_dec_return(v.mv_data, v.mv_size, "store: the stored return",
		    &old, eb)) != ASB_OK) {
			mdb_txn_abort(txn);
			return rc;
		}
		mdb_txn_abort(txn);
		*same = strcmp(old.sha256, r->sha256) == 0;
		return asb_fail(eb, ASB_ECONFLICT, NULL, "return %s is stored "
		    "already%s", r->id, *same ? "" : " with different content");
	}
	v.mv_size = len;
	v.mv_data = buf;
	if ((rc = mdb_put(txn, st->returns, &k, &v, 0)) != 0)
		goto fail;
	v.mv_size = blen;
	v.mv_data = (void *)body;
	if ((rc = mdb_put(txn, st->bodies, &k, &v, 0)) != 0)
		goto fail;
	v.mv_size = rlen;
	v.mv_data = (void *)receipt;
	if ((rc = mdb_put(txn, st->receipts, &k, &v, 0)) != 0)
		goto fail;
	v.mv_size = flen;
	v.mv_data = (void *)facts;
	if (facts != NULL && (rc = mdb_put(txn, st->facts, &k, &v, 0)) != 0)
		goto fail;
	if (strcmp(r->state, "accepted") == 0) {
		MDB_val lk;

		latest_key(key, sizeof(key), r->force, r->period, r->test);
		lk = sval(key);
		v.mv_size = llen;
		v.mv_data = lbuf;
		if ((rc = mdb_put(txn, st->latest, &lk, &v, 0)) != 0)
			goto fail;
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	return ASB_OK;
fail:
	mdb_txn_abort(txn);
	return hub_store_lmdb_fail(eb, rc, "store");
}

/*
 * Quarantine an accepted return that the validator of this release refuses (a store written
 * before a check existed, e.g. comments the signature does not cover): its state becomes
 * "quarantined", so it never counts, and when it was the force's latest for its period the
 * latest becomes the newest other accepted return for that force, period and kind (or none).
 * Bytes and receipt stay as evidence.  One transaction.
 */
int
hub_return_quarantine(struct hub_store *st, const char *id, struct asb_errbuf *eb)
{
	unsigned char buf[HUB_RETURN_ENC_MAX], lbuf[HUB_LATEST_ENC_MAX];
	struct hub_return r, o, best;
	char key[48], what[64];
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k = sval(id), v, lk;
	size_t len;
	int rc, err, found = 0;

	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	if ((rc = mdb_get(txn, st->returns, &k, &v)) != 0) {
		mdb_txn_abort(txn);
		return rc == MDB_NOTFOUND ? asb_fail(eb, ASB_ENOTFOUND, NULL, "no return %s",
		    id) : hub_store_lmdb_fail(eb, rc, "store");
	}
	if ((err = hub_dec_return(v.mv_data, v.mv_size, "store: the stored return", &r,
	    eb)) != ASB_OK) {
		mdb_txn_abort(txn);
		return err;
	}
	snprintf(r.state, sizeof(r.state), "quarantined");
	if ((len = hub_enc_return(&r, buf, sizeof(buf))) == 0) {
		mdb_txn_abort(txn);
		return asb_fail(eb, ASB_EIO, NULL, "return %s: cannot encode it", id);
	}
	v.mv_size = len;
	v.mv_data = buf;
	if ((rc = mdb_put(txn, st->returns, &k, &v, 0)) != 0)
		goto fail;
	if (is_latest(st, txn, &r)) {
		if ((rc = mdb_cursor_open(txn, st->returns, &cur)) != 0)
			goto fail;
		for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
		    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			snprintf(what, sizeof(what), "store: return %.*s",
			    (int)(k.mv_size < 36 ? k.mv_size : 36), (const char *)k.mv_data);
			if (hub_dec_return(v.mv_data, v.mv_size, what, &o, eb) != ASB_OK) {
				mdb_cursor_close(cur);
				mdb_txn_abort(txn);
				return ASB_EIO;
			}
			if (strcmp(o.state, "accepted") != 0 || strcmp(o.id, r.id) == 0 ||
			    strcmp(o.force, r.force) != 0 || strcmp(o.period, r.period) != 0 ||
			    o.test != r.test)
				continue;
			if (!found || o.decided > best.decided ||
			    (o.decided == best.decided && strcmp(o.id, best.id) > 0)) {
				best = o;
				found = 1;
			}
		}
		mdb_cursor_close(cur);
		latest_key(key, sizeof(key), r.force, r.period, r.test);
		lk = sval(key);
		if (found) {
			if ((len = hub_enc_latest(best.id, lbuf, sizeof(lbuf))) == 0) {
				mdb_txn_abort(txn);
				return asb_fail(eb, ASB_EIO, NULL, "cannot encode latest");
			}
			v.mv_size = len;
			v.mv_data = lbuf;
			rc = mdb_put(txn, st->latest, &lk, &v, 0);
		} else
			rc = mdb_del(txn, st->latest, &lk, NULL);
		if (rc != 0)
			goto fail;
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	return ASB_OK;
fail:
	mdb_txn_abort(txn);
	return hub_store_lmdb_fail(eb, rc, "store");
}

int
hub_latest(struct hub_store *st, const char *force, const char *period, int test,
    char id[37])
{
	MDB_txn *txn;
	MDB_val k, v;
	char key[48];
	int rc;

	latest_key(key, sizeof(key), force, period, test);
	k = sval(key);
	if (mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn) != 0)
		return ASB_EIO;
	rc = mdb_get(txn, st->latest, &k, &v);
	if (rc == 0 && hub_dec_latest(v.mv_data, v.mv_size, "latest", id, NULL) != ASB_OK)
		rc = EIO;
	mdb_txn_abort(txn);
	return rc == 0 ? ASB_OK : rc == MDB_NOTFOUND ? ASB_ENOTFOUND : ASB_EIO;
}

static int
by_received(const void *a, const void *b)
{
	const struct hub_return *x = a, *y = b;

	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	return strcmp(x->id, y->id);
}

int
hub_return_each(struct hub_store *st, const char *force, const char *period,
    void (*fn)(const struct hub_return *, void *), void *ctx, struct asb_errbuf *eb)
{
	struct hub_return *all = NULL, *p;
	size_t n = 0, cap = 0, i;
	char what[64];
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)) != 0 ||
	    (rc = mdb_cursor_open(txn, st->returns, &cur)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((p = realloc(all, cap * sizeof(*all))) == NULL) {
				free(all);
				mdb_cursor_close(cur);
				mdb_txn_abort(txn);
				return asb_fail(eb, ASB_EIO, NULL, "out of memory");
			}
			all = p;
		}
		snprintf(what, sizeof(what), "store: return %.*s",
		    (int)(k.mv_size < 36 ? k.mv_size : 36), (const char *)k.mv_data);
		if (hub_dec_return(v.mv_data, v.mv_size, what, &all[n], eb) != ASB_OK) {
			free(all);
			mdb_cursor_close(cur);
			mdb_txn_abort(txn);
			return ASB_EIO;
		}
		if ((force != NULL && strcmp(all[n].force, force) != 0) ||
		    (period != NULL && strcmp(all[n].period, period) != 0))
			continue;
		all[n].latest = is_latest(st, txn, &all[n]);
		n++;
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	if (n > 1)
		qsort(all, n, sizeof(*all), by_received);
	for (i = 0; i < n; i++)
		fn(&all[i], ctx);
	free(all);
	return ASB_OK;
}

/* ---- facts ---------------------------------------------------------------------------------- */

/* The facts database; a store from before it (returns but no facts) is not current until
 * reindexed, a new or empty one is current from the start. */
static int
open_facts(struct hub_store *st, MDB_txn *txn)
{
	MDB_stat ms;
	MDB_val k = sval(FACTS_CURRENT), v;
	uint8_t one = 1;
	int rc;

	if ((rc = mdb_dbi_open(txn, "facts", 0, &st->facts)) != MDB_NOTFOUND)
		return rc;
	if ((rc = mdb_dbi_open(txn, "facts", MDB_CREATE, &st->facts)) != 0 ||
	    (rc = mdb_stat(txn, st->returns, &ms)) != 0)
		return rc;
	if (ms.ms_entries > 0)
		return 0;
	v.mv_size = 1;
	v.mv_data = &one;
	return mdb_put(txn, st->facts, &k, &v, 0);
}

int
hub_facts_current(struct hub_store *st)
{
	MDB_txn *txn;
	MDB_val k = sval(FACTS_CURRENT), v;
	int current;

	if (mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn) != 0)
		return 0;
	current = mdb_get(txn, st->facts, &k, &v) == 0 && v.mv_size == 1 &&
	    *(const uint8_t *)v.mv_data == 1;
	mdb_txn_abort(txn);
	return current;
}

int
hub_facts_read(struct hub_store *st, const char *id,
    int (*fn)(const void *facts, size_t len, void *ctx), void *ctx, struct asb_errbuf *eb)
{
	MDB_txn *txn;
	MDB_val k = sval(id), v;
	int rc;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	if ((rc = mdb_get(txn, st->facts, &k, &v)) != 0) {
		mdb_txn_abort(txn);
		if (rc == MDB_NOTFOUND)
			return asb_fail(eb, ASB_ENOTFOUND, NULL, "return %s has no stored "
			    "facts: run 'asbhub reindex'", id);
		return hub_store_lmdb_fail(eb, rc, "store");
	}
	rc = fn(v.mv_data, v.mv_size, ctx);
	mdb_txn_abort(txn);
	return rc;
}

int
hub_body_read(struct hub_store *st, const char *id,
    int (*fn)(const char *body, size_t len, void *ctx), void *ctx, struct asb_errbuf *eb)
{
	MDB_txn *txn;
	MDB_val k = sval(id), v;
	int rc;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	if ((rc = mdb_get(txn, st->bodies, &k, &v)) != 0) {
		mdb_txn_abort(txn);
		if (rc == MDB_NOTFOUND)
			return asb_fail(eb, ASB_ENOTFOUND, NULL, "return %s has no stored "
			    "bytes", id);
		return hub_store_lmdb_fail(eb, rc, "store");
	}
	rc = fn(v.mv_data, v.mv_size, ctx);
	mdb_txn_abort(txn);
	return rc;
}

int
hub_facts_put(struct hub_store *st, const char *id, const void *facts, size_t flen,
    struct asb_errbuf *eb)
{
	MDB_txn *txn;
	MDB_val k, v = { flen, (void *)facts };
	uint8_t one = 1;
	int rc;

	if (id != NULL)
		k = sval(id);
	else {	/* NULL: mark the store current */
		k = sval(FACTS_CURRENT);
		v.mv_size = 1;
		v.mv_data = &one;
	}
	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	if ((rc = mdb_put(txn, st->facts, &k, &v, 0)) != 0) {
		mdb_txn_abort(txn);
		return hub_store_lmdb_fail(eb, rc, "store");
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	return ASB_OK;
}
