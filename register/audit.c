/*
 * audit.c - the Data Protection Act 2018 s62 log: who collected, altered, consulted, disclosed
 * or erased what, and when.  Entries are hash-chained (each hash covers the previous hash and
 * the entry), numbered without gaps, and the head (last seq and hash) is kept in the meta
 * data, so a changed, removed, reordered or truncated entry is found by reg_audit_verify.
 * The chain detects tampering by anyone without the means to rewrite every later entry and
 * the head together; an operator who records the head printed by 'asbreg audit --verify'
 * elsewhere detects even that.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const op_codes[REG_AUDIT_OP_COUNT] = {
	"collection", "alteration", "consultation", "disclosure", "erasure"
};

const char *
reg_audit_op_code(int op)
{
	return op >= 0 && op < REG_AUDIT_OP_COUNT ? op_codes[op] : "unknown";
}

/* hash = SHA-256(prev || encoding of the entry with its hash field zero). */
static int
entry_hash(const struct reg_audit *a, unsigned char out[32])
{
	struct reg_audit z = *a;
	unsigned char buf[sizeof(struct reg_audit) + 64];
	size_t len;
	unsigned int outlen = 32;

	memset(z.hash, 0, sizeof(z.hash));
	if ((len = reg_enc_audit(&z, buf, sizeof(buf))) == 0)
		return -1;
	/* The encoding already holds prev; hashing it covers the chain link. */
	if (EVP_Digest(buf, len, out, &outlen, EVP_sha256(), NULL) != 1)
		return -1;
	return 0;
}

static int
head_get(struct reg *r, unsigned char hash[32], int *ret_found,
    struct asb_errbuf *eb)
{
	MDB_val k = { 10, "audit.head" }, v;
	int rc;

	*ret_found = 0;
	rc = mdb_get(r->txn, r->dbi[DB_META], &k, &v);
	if (rc == MDB_NOTFOUND) {
		memset(hash, 0, 32);
		return ASB_OK;
	}
	if (rc != 0)
		return reg_lmdb_fail(eb, rc, "audit head");
	if (v.mv_size != 32)
		return asb_fail(eb, ASB_ERULE, "R-AUD-001", "audit head is "
		    "damaged");
	memcpy(hash, v.mv_data, 32);
	*ret_found = 1;
	return ASB_OK;
}

int
reg_audit_append(struct reg *r, struct reg_audit *a, struct asb_errbuf *eb)
{
	unsigned char buf[sizeof(struct reg_audit) + 64];
	MDB_val k = { sizeof(a->seq), &a->seq }, v, hk = { 10, "audit.head" },
	    hv;
	int err, found, rc;

	if ((err = head_get(r, a->prev, &found, eb)) != ASB_OK)
		return err;
	if ((err = reg_next(r, SEQ_AUDIT, &a->seq, eb)) != ASB_OK)
		return err;
	if (entry_hash(a, a->hash) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "audit: cannot hash entry");
	if ((v.mv_size = reg_enc_audit(a, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "audit entry too large");
	v.mv_data = buf;
	if ((rc = mdb_put(r->txn, r->dbi[DB_AUDIT], &k, &v, MDB_APPEND)) != 0)
		return reg_lmdb_fail(eb, rc, "audit");
	hv.mv_size = 32;
	hv.mv_data = a->hash;
	if ((rc = mdb_put(r->txn, r->dbi[DB_META], &hk, &hv, 0)) != 0)
		return reg_lmdb_fail(eb, rc, "audit head");
	return ASB_OK;
}

int
reg_audit_each(struct reg *r, int (*fn)(const struct reg_audit *, void *),
    void *ctx, struct asb_errbuf *eb)
{
	struct reg_audit a;
	MDB_cursor *c;
	MDB_val k, v;
	int rc, err = ASB_OK;

	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_AUDIT], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "audit");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (reg_dec_audit(v.mv_data, v.mv_size, &a) == -1) {
			err = asb_fail(eb, ASB_ERULE, "R-AUD-001", "audit entry "
			    "at key %llu cannot be read",
			    (unsigned long long)reg_key_id(&k));
			break;
		}
		if (fn(&a, ctx) != 0)
			break;
	}
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "audit");
	mdb_cursor_close(c);
	return err;
}

struct verify {
	uint64_t	 expect;
	unsigned char	 prev[32];
	int		 err;
	struct asb_errbuf *eb;
};

static int
verify_one(const struct reg_audit *a, void *ctx)
{
	struct verify *vf = ctx;
	unsigned char h[32];

	if (a->seq != vf->expect) {
		vf->err = asb_fail(vf->eb, ASB_ERULE, "R-AUD-001", "audit "
		    "entry %llu is missing (found %llu next)",
		    (unsigned long long)vf->expect, (unsigned long long)a->seq);
		return 1;
	}
	if (memcmp(a->prev, vf->prev, 32) != 0) {
		vf->err = asb_fail(vf->eb, ASB_ERULE, "R-AUD-001", "audit "
		    "entry %llu does not follow the entry before it",
		    (unsigned long long)a->seq);
		return 1;
	}
	if (entry_hash(a, h) == -1 || memcmp(h, a->hash, 32) != 0) {
		vf->err = asb_fail(vf->eb, ASB_ERULE, "R-AUD-001", "audit "
		    "entry %llu has been altered", (unsigned long long)a->seq);
		return 1;
	}
	memcpy(vf->prev, a->hash, 32);
	vf->expect++;
	return 0;
}

int
reg_audit_verify(struct reg *r, uint64_t *ret_count, struct asb_errbuf *eb)
{
	struct verify vf;
	unsigned char head[32];
	uint64_t next;
	int err, found;

	memset(&vf, 0, sizeof(vf));
	vf.expect = 1;
	vf.eb = eb;
	if ((err = reg_audit_each(r, verify_one, &vf, eb)) != ASB_OK)
		return err;
	if (vf.err != ASB_OK)
		return vf.err;
	if ((err = head_get(r, head, &found, eb)) != ASB_OK ||
	    (err = reg_seq_last(r, SEQ_AUDIT, &next, eb)) != ASB_OK)
		return err;
	if (next != vf.expect - 1 || memcmp(head, vf.prev, 32) != 0)
		return asb_fail(eb, ASB_ERULE, "R-AUD-001", "the audit log "
		    "ends at entry %llu but the register recorded %llu: "
		    "entries were removed from its end",
		    (unsigned long long)(vf.expect - 1),
		    (unsigned long long)next);
	*ret_count = vf.expect - 1;
	return ASB_OK;
}
