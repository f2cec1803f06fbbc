/*
 * store_tls.c - the hub store's registry of forces' TLS client certificates (store.h), beside
 * the signing certificates: key force "|" fingerprint, so that the check made on every
 * connection is one lookup and one cursor step (does the force register any?), in one read
 * transaction - cheap enough to read per connection rather than cache, so a revocation
 * takes effect on the next connection of a running service.  The value is the certs
 * encoding (store_codec.h, "tlscerts v1").
 */
#include <stdio.h>
#include <string.h>

#include <lmdb.h>

#include "store.h"
#include "store_codec.h"
#include "store_priv.h"

static int
tls_key(char *buf, size_t cap, const char *code, const char *fingerprint)
{
	if (strlen(code) == 0 || strlen(code) >= 16 || strchr(code, '|') != NULL ||
	    strlen(fingerprint) != 64)
		return -1;
	snprintf(buf, cap, "%s|%s", code, fingerprint);
	return 0;
}

/* Put c at its key in txn (replacing), then commit. */
static int
put_commit(struct hub_store *st, MDB_txn *txn, const char *key, const struct hub_cert *c,
    struct asb_errbuf *eb)
{
	unsigned char buf[HUB_CERT_ENC_MAX];
	MDB_val k = sval(key), v;
	int rc;

	if ((v.mv_size = hub_enc_cert(c, buf, sizeof(buf))) == 0) {
		mdb_txn_abort(txn);
		return asb_fail(eb, ASB_EUSAGE, NULL, "certificate %s: a field is too long "
		    "to store", c->fingerprint);
	}
	v.mv_data = buf;
	if ((rc = mdb_put(txn, st->tlscerts, &k, &v, 0)) != 0) {
		mdb_txn_abort(txn);
		return hub_store_lmdb_fail(eb, rc, "store");
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	return ASB_OK;
}

/* The record at key in txn: 0 found (*ret), MDB_NOTFOUND, or an error (eb filled). */
static int
get_in(struct hub_store *st, MDB_txn *txn, const char *key, struct hub_cert *ret,
    struct asb_errbuf *eb)
{
	MDB_val k = sval(key), v;
	char what[96];
	int rc;

	if ((rc = mdb_get(txn, st->tlscerts, &k, &v)) != 0)
		return rc == MDB_NOTFOUND ? rc : (hub_store_lmdb_fail(eb, rc, "store"), rc);
	snprintf(what, sizeof(what), "store: TLS certificate %s", key);
	return hub_dec_cert(v.mv_data, v.mv_size, what, ret, eb) == ASB_OK ? 0 : MDB_CORRUPTED;
}

int
hub_tls_add(struct hub_store *st, const struct hub_cert *c, struct asb_errbuf *eb)
{
	struct hub_cert old;
	MDB_txn *txn;
	char key[96];
	int rc;

	if (tls_key(key, sizeof(key), c->code, c->fingerprint) == -1 || c->added == 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "not a force code and certificate "
		    "fingerprint");
	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	if ((rc = get_in(st, txn, key, &old, eb)) == 0) {
		mdb_txn_abort(txn);
		return asb_fail(eb, ASB_ECONFLICT, NULL, "that TLS certificate is %s "
		    "already (see 'asbhub force list')", old.revoked ? "revoked" :
		    "registered");
	}
	if (rc != MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		return ASB_EIO;
	}
	return put_commit(st, txn, key, c, eb);
}

int
hub_tls_revoke(struct hub_store *st, const struct hub_cert *c, asb_time now,
    struct asb_errbuf *eb)
{
	struct hub_cert rec;
	MDB_txn *txn;
	char key[96];
	int rc;

	if (tls_key(key, sizeof(key), c->code, c->fingerprint) == -1)
		return asb_fail(eb, ASB_EUSAGE, NULL, "not a force code and certificate "
		    "fingerprint");
	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	if ((rc = get_in(st, txn, key, &rec, eb)) == MDB_NOTFOUND) {
		/* never registered: recorded as revoked, so that it is refused all the same */
		rec = *c;
		rec.added = 0;
	} else if (rc != 0) {
		mdb_txn_abort(txn);
		return ASB_EIO;
	} else if (rec.revoked != 0) {
		mdb_txn_abort(txn);
		return asb_fail(eb, ASB_ECONFLICT, NULL, "that TLS certificate is revoked "
		    "already");
	}
	rec.revoked = now;
	return put_commit(st, txn, key, &rec, eb);
}

int
hub_tls_lookup(struct hub_store *st, const char *code, const char *fingerprint,
    struct hub_cert *ret, int *registered, struct asb_errbuf *eb)
{
	struct hub_cert c;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	char key[96], prefix[20];
	size_t plen;
	int rc, found = 0;

	*registered = 0;
	if (tls_key(key, sizeof(key), code, fingerprint) == -1)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "not a force code and certificate "
		    "fingerprint");
	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)) != 0)
		return hub_store_lmdb_fail(eb, rc, "store");
	if ((rc = get_in(st, txn, key, ret, eb)) == 0)
		found = 1;
	else if (rc != MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		return ASB_EIO;
	}
	/* does the force register any?  its records sort together after "CODE|" */
	plen = (size_t)snprintf(prefix, sizeof(prefix), "%s|", code);
	if ((rc = mdb_cursor_open(txn, st->tlscerts, &cur)) != 0) {
		mdb_txn_abort(txn);
		return hub_store_lmdb_fail(eb, rc, "store");
	}
	k = sval(prefix);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 &&
	    k.mv_size > plen && memcmp(k.mv_data, prefix, plen) == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (hub_dec_cert(v.mv_data, v.mv_size, "store: TLS certificate", &c, eb) !=
		    ASB_OK) {
			rc = MDB_CORRUPTED;
			break;
		}
		if (c.added != 0) {
			*registered = 1;
			break;
		}
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	if (rc == MDB_CORRUPTED)
		return ASB_EIO;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return hub_store_lmdb_fail(eb, rc, "store");
	return found ? ASB_OK : ASB_ENOTFOUND;
}

int
hub_tls_each(struct hub_store *st, void (*fn)(const struct hub_cert *, void *), void *ctx,
    struct asb_errbuf *eb)
{
	struct hub_cert c;
	MDB_txn *txn = NULL;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, err = ASB_OK;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)) != 0 ||
	    (rc = mdb_cursor_open(txn, st->tlscerts, &cur)) != 0) {
		if (rc != 0 && txn != NULL)
			mdb_txn_abort(txn);
		return hub_store_lmdb_fail(eb, rc, "store");
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if ((err = hub_dec_cert(v.mv_data, v.mv_size, "store: TLS certificate", &c,
		    eb)) != ASB_OK)
			break;
		fn(&c, ctx);
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	if (err != ASB_OK)
		return err;
	return rc == MDB_NOTFOUND ? ASB_OK : hub_store_lmdb_fail(eb, rc, "store");
}
