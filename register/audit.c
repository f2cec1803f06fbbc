/*
 * audit.c - the Data Protection Act 2018 s62 log: who collected, altered, consulted, disclosed
 * or erased what, and when.  Entries are hash-chained (each hash covers the previous hash and
 * the entry), numbered without gaps, and the head (last seq and hash) is kept in the meta
 * data, so a changed, removed, reordered or truncated entry is found by reg_audit_verify.
 * The chain detects tampering by anyone without the means to rewrite every later entry and
 * the head together.  Anyone who can write data.mdb can do that (recompute every hash after
 * the entry changed), so the head is also reported as each commit lands (reg_set_head_hook:
 * the command sends it to syslog, out of the register users' reach), and a head recorded
 * there or printed by 'asbreg audit --verify' is checked later by reg_audit_verify_head.
 *
 * Each entry names every ID it touched (s62 asks for the records consulted, and a subject
 * access request under s45 must find every consultation of the person): the sorted set is
 * stored beside the entry, its SHA-256 inside the entry (so the chain covers it), and each ID
 * in an index from ID to entry, all in the transaction of the work logged.  This file sits
 * above the LMDB layer (store.c) and is never called by it.
 */
#include <ctype.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* IDs one transaction may touch: a list of a 16-million-record register still fits (128 MB
 * while it runs); beyond that the command must be narrowed rather than the log thinned. */
#define TOUCH_MAX	(1u << 24)

static const char *const op_codes[REG_AUDIT_OP_COUNT] = {
	"collection", "alteration", "consultation", "disclosure", "erasure"
};

const char *
reg_audit_op_code(int op)
{
	return op >= 0 && op < REG_AUDIT_OP_COUNT ? op_codes[op] : "unknown";
}

/* ---- what a transaction touched ------------------------------------------------------------ */

static int
touch(struct reg *r, int kind, uint64_t id, struct asb_errbuf *eb)
{
	uint64_t *p;
	size_t cap;

	if (r->touch_n == r->touch_cap) {
		if (r->touch_cap >= TOUCH_MAX)
			return asb_fail(eb, ASB_EIO, NULL, "more than %u IDs for one audit "
			    "entry: narrow the command", TOUCH_MAX);
		cap = r->touch_cap ? r->touch_cap * 2 : 64;
		if ((p = realloc(r->touch, cap * sizeof(*p))) == NULL)
			return asb_fail(eb, ASB_EIO, NULL, "out of memory");
		r->touch = p;
		r->touch_cap = cap;
	}
	r->touch[r->touch_n++] = (uint64_t)kind << 56 | (id & 0x00ffffffffffffffULL);
	return ASB_OK;
}

int
reg_audit_record(struct reg *r, uint64_t id, struct asb_errbuf *eb)
{
	return touch(r, REG_TOUCH_RECORD, id, eb);
}

int
reg_audit_subject(struct reg *r, uint64_t id, struct asb_errbuf *eb)
{
	return touch(r, REG_TOUCH_SUBJECT, id, eb);
}

int
reg_audit_all(struct reg *r, struct asb_errbuf *eb)
{
	return touch(r, REG_TOUCH_ALL, 0, eb);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort the touched IDs and drop repeats, in place. */
static void
touch_settle(struct reg *r)
{
	size_t i, n = 0;

	if (r->touch_n == 0)
		return;
	qsort(r->touch, r->touch_n, sizeof(r->touch[0]), cmp_u64);
	for (i = 0; i < r->touch_n; i++)
		if (n == 0 || r->touch[i] != r->touch[n - 1])
			r->touch[n++] = r->touch[i];
	r->touch_n = n;
}

uint64_t
reg_audit_touched(struct reg *r)
{
	touch_settle(r);
	return r->touch_n;
}

static void
touch_key(uint64_t t, unsigned char key[REG_TOUCH_KEY])
{
	key[0] = (unsigned char)(t >> 56);
	reg_put_u64(key + 1, t & 0x00ffffffffffffffULL);
}

/* ---- entries -------------------------------------------------------------------------------- */

/* hash = SHA-256(encoding of the entry with its hash field zero), which holds prev. */
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
	unsigned char buf[sizeof(struct reg_audit) + 64], key[REG_TOUCH_KEY], sq[8];
	unsigned char *set = NULL;
	MDB_val k = { sizeof(a->seq), &a->seq }, v, hk = { 10, "audit.head" },
	    hv, ik = { REG_TOUCH_KEY, key }, iv = { 8, sq };
	unsigned int outlen = 32;
	size_t i;
	int err, found, rc;

	touch_settle(r);
	if ((err = head_get(r, a->prev, &found, eb)) != ASB_OK)
		return err;
	if ((err = reg_next(r, SEQ_AUDIT, &a->seq, eb)) != ASB_OK)
		return err;
	if (r->touch_n > 0 && (set = malloc(r->touch_n * REG_TOUCH_KEY)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	for (i = 0; i < r->touch_n; i++)
		touch_key(r->touch[i], set + i * REG_TOUCH_KEY);
	a->format = 2;
	a->nids = r->touch_n;
	if (EVP_Digest(set != NULL ? set : (unsigned char *)"", r->touch_n * REG_TOUCH_KEY,
	    a->ids_hash, &outlen, EVP_sha256(), NULL) != 1 || entry_hash(a, a->hash) == -1) {
		err = asb_fail(eb, ASB_EIO, NULL, "audit: cannot hash entry");
		goto out;
	}
	if ((v.mv_size = reg_enc_audit(a, buf, sizeof(buf))) == 0) {
		err = asb_fail(eb, ASB_EIO, NULL, "audit entry too large");
		goto out;
	}
	v.mv_data = buf;
	if ((rc = mdb_put(r->txn, r->dbi[DB_AUDIT], &k, &v, MDB_APPEND)) != 0) {
		err = reg_lmdb_fail(eb, rc, "audit");
		goto out;
	}
	if (set != NULL) {
		v.mv_size = r->touch_n * REG_TOUCH_KEY;
		v.mv_data = set;
		if ((rc = mdb_put(r->txn, r->dbi[DB_AUDIT_IDS], &k, &v, MDB_APPEND)) != 0) {
			err = reg_lmdb_fail(eb, rc, "audit IDs");
			goto out;
		}
	}
	reg_put_u64(sq, a->seq);
	for (i = 0; i < r->touch_n; i++) {
		memcpy(key, set + i * REG_TOUCH_KEY, REG_TOUCH_KEY);
		if ((rc = mdb_put(r->txn, r->dbi[DB_IX_AUDIT], &ik, &iv, 0)) != 0) {
			err = reg_lmdb_fail(eb, rc, "audit index");
			goto out;
		}
	}
	hv.mv_size = 32;
	hv.mv_data = a->hash;
	if ((rc = mdb_put(r->txn, r->dbi[DB_META], &hk, &hv, 0)) != 0) {
		err = reg_lmdb_fail(eb, rc, "audit head");
		goto out;
	}
	r->touch_n = 0;	/* the next entry starts afresh */
	/* The head this transaction leaves, for the hook once it is committed (store.c). */
	r->head_new.seq = a->seq;
	memcpy(r->head_new.hash, a->hash, 32);
	r->head_dirty = 1;
out:
	free(set);
	return err;
}

/* "R000012", "S000045" or "all records". */
static const char *
touch_text(uint64_t t, char *buf)
{
	uint64_t id = t & 0x00ffffffffffffffULL;

	switch ((int)(t >> 56)) {
	case REG_TOUCH_RECORD:
		return reg_record_id(id, buf);
	case REG_TOUCH_SUBJECT:
		return reg_subject_id(id, buf);
	default:
		return "all records";
	}
}

int
reg_audit_log(struct reg *r, int op, asb_time now, const char *reason,
    const char *note, uint64_t count, struct asb_errbuf *eb)
{
	struct reg_audit a;
	char id[REG_ID_BUF], more[48];
	uint64_t first[ASB_MAX_AUDIT_IDS];
	size_t i, j, len = 0, room, shown = 0;
	const char *t;
	int n;

	memset(&a, 0, sizeof(a));
	a.time = now;
	a.op = op;
	snprintf(a.user, sizeof(a.user), "%s", r->user);
	snprintf(a.command, sizeof(a.command), "%s", r->op);
	snprintf(a.reason, sizeof(a.reason), "%s", reason != NULL ? reason : "");
	/* The text is for people reading the log: the first IDs in the order the command
	 * touched them (the one it was asked about first), then how many more.  The whole
	 * set is in audit.ids. */
	room = sizeof(a.ids) - sizeof(more) - (note != NULL ? strlen(note) + 1 : 0);
	if (room > sizeof(a.ids))
		room = 0;
	for (i = 0; i < r->touch_n && shown < ASB_MAX_AUDIT_IDS; i++) {
		for (j = 0; j < shown && first[j] != r->touch[i]; j++)
			;
		if (j < shown)
			continue;	/* a repeat */
		t = touch_text(r->touch[i], id);
		if (len + strlen(t) + 2 > room)
			break;
		n = snprintf(a.ids + len, sizeof(a.ids) - len, "%s%s", len ? " " : "", t);
		len += (size_t)n;
		first[shown++] = r->touch[i];
	}
	touch_settle(r);
	a.count = count != 0 ? count : r->touch_n;
	if (shown < r->touch_n) {
		snprintf(more, sizeof(more), "%s(+%zu more)", len ? " " : "", r->touch_n - shown);
		n = snprintf(a.ids + len, sizeof(a.ids) - len, "%s", more);
		len += (size_t)n;
	}
	if (note != NULL && note[0] != '\0' && len < sizeof(a.ids))
		snprintf(a.ids + len, sizeof(a.ids) - len, "%s%s", len ? " " : "", note);
	return reg_audit_append(r, &a, eb);
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

/* ---- verification --------------------------------------------------------------------------- */

struct verify {
	struct reg	*r;
	uint64_t	 expect;
	unsigned char	 prev[32];
	const unsigned char *want;	/* a head recorded earlier, or NULL */
	uint64_t	 match;		/* the entry that has it, 0 = none yet */
	int		 err;
	struct asb_errbuf *eb;
};

/* A format-2 entry's ID set: stored whole, equal to its digest, and every ID indexed. */
static int
verify_ids(struct verify *vf, const struct reg_audit *a)
{
	MDB_val k = { sizeof(a->seq), (void *)&a->seq }, v, ik, iv;
	MDB_cursor *c;
	unsigned char h[32], sq[8];
	unsigned int outlen = 32;
	uint64_t i;
	int rc, err = ASB_OK;

	rc = mdb_get(vf->r->txn, vf->r->dbi[DB_AUDIT_IDS], &k, &v);
	if (rc == MDB_NOTFOUND) {
		v.mv_size = 0;
		v.mv_data = (void *)"";
	} else if (rc != 0)
		return reg_lmdb_fail(vf->eb, rc, "audit IDs");
	if (v.mv_size != a->nids * REG_TOUCH_KEY ||
	    EVP_Digest(v.mv_data, v.mv_size, h, &outlen, EVP_sha256(), NULL) != 1 ||
	    memcmp(h, a->ids_hash, 32) != 0)
		return asb_fail(vf->eb, ASB_ERULE, "R-AUD-001", "audit entry %llu: the IDs "
		    "it touched have been altered", (unsigned long long)a->seq);
	if ((rc = mdb_cursor_open(vf->r->txn, vf->r->dbi[DB_IX_AUDIT], &c)) != 0)
		return reg_lmdb_fail(vf->eb, rc, "audit index");
	reg_put_u64(sq, a->seq);
	for (i = 0; i < a->nids && err == ASB_OK; i++) {
		ik.mv_size = REG_TOUCH_KEY;
		ik.mv_data = (unsigned char *)v.mv_data + i * REG_TOUCH_KEY;
		iv.mv_size = 8;
		iv.mv_data = sq;
		if ((rc = mdb_cursor_get(c, &ik, &iv, MDB_GET_BOTH)) == MDB_NOTFOUND)
			err = asb_fail(vf->eb, ASB_ERULE, "R-AUD-001", "audit entry %llu "
			    "is missing from the audit index: a subject-access export "
			    "would not show it", (unsigned long long)a->seq);
		else if (rc != 0)
			err = reg_lmdb_fail(vf->eb, rc, "audit index");
	}
	mdb_cursor_close(c);
	return err;
}

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
	if (a->format >= 2 && (vf->err = verify_ids(vf, a)) != ASB_OK)
		return 1;
	if (vf->want != NULL && vf->match == 0 && memcmp(a->hash, vf->want, 32) == 0)
		vf->match = a->seq;
	memcpy(vf->prev, a->hash, 32);
	vf->expect++;
	return 0;
}

int
reg_audit_verify_head(struct reg *r, const unsigned char *want,
    struct reg_audit_head *ret_head, uint64_t *ret_match, struct asb_errbuf *eb)
{
	struct verify vf;
	unsigned char head[32];
	char hw[REG_AUDIT_HEX], hn[REG_AUDIT_HEX];
	uint64_t next;
	int err, found;

	memset(&vf, 0, sizeof(vf));
	vf.r = r;
	vf.expect = 1;
	vf.eb = eb;
	vf.want = want;
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
	/* The chain is whole; now is it the chain that was recorded?  An entry's hash covers
	 * the hash before it, so one entry with the recorded hash means every entry up to it
	 * is as it was then.  A log rewritten at or before that entry has no such entry. */
	if (want != NULL && vf.match == 0)
		return asb_fail(eb, ASB_ERULE, "R-AUD-002", "no entry of the audit log has "
		    "the recorded head %s (the log has %llu entries, head %s): it was "
		    "rewritten since that head was recorded, or the head is another "
		    "register's", reg_audit_hex(want, hw), (unsigned long long)(vf.expect - 1),
		    reg_audit_hex(vf.prev, hn));
	if (ret_head != NULL) {
		ret_head->seq = vf.expect - 1;
		memcpy(ret_head->hash, vf.prev, 32);
	}
	if (ret_match != NULL)
		*ret_match = vf.match;
	return ASB_OK;
}

int
reg_audit_verify(struct reg *r, uint64_t *ret_count, struct asb_errbuf *eb)
{
	struct reg_audit_head h;
	int err;

	if ((err = reg_audit_verify_head(r, NULL, &h, NULL, eb)) == ASB_OK)
		*ret_count = h.seq;
	return err;
}

char *
reg_audit_hex(const unsigned char hash[32], char out[REG_AUDIT_HEX])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[hash[i] >> 4];
		out[2 * i + 1] = digits[hash[i] & 15];
	}
	out[64] = '\0';
	return out;
}

int
reg_audit_hex_parse(const char *s, unsigned char ret[32])
{
	unsigned char h[32];
	int i, hi, lo;

	if (strlen(s) != 64)
		return -1;
	for (i = 0; i < 32; i++) {
		if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]))
			return -1;
		hi = tolower((unsigned char)s[2 * i]);
		lo = tolower((unsigned char)s[2 * i + 1]);
		h[i] = (unsigned char)((hi <= '9' ? hi - '0' : hi - 'a' + 10) << 4 |
		    (lo <= '9' ? lo - '0' : lo - 'a' + 10));
	}
	memcpy(ret, h, 32);
	return 0;
}

void
reg_set_head_hook(struct reg *r, reg_head_hook *fn, void *ctx)
{
	r->head_fn = fn;
	r->head_ctx = ctx;
}

/* ---- by subject ------------------------------------------------------------------------------ */

struct seqs {
	uint64_t	*v;
	size_t		 n, cap;
};

static int
seqs_add(struct seqs *s, uint64_t seq)
{
	uint64_t *p;
	size_t cap;

	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 2 : 64;
		if ((p = realloc(s->v, cap * sizeof(*p))) == NULL)
			return -1;
		s->v = p;
		s->cap = cap;
	}
	s->v[s->n++] = seq;
	return 0;
}

/* The entries the index holds for one ID. */
static int
seqs_of(struct reg *r, MDB_cursor *c, int kind, uint64_t id, struct seqs *s,
    struct asb_errbuf *eb)
{
	unsigned char key[REG_TOUCH_KEY];
	MDB_val k = { REG_TOUCH_KEY, key }, v;
	int rc;

	(void)r;
	touch_key((uint64_t)kind << 56 | id, key);
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP))
		if (v.mv_size != 8 || seqs_add(s, reg_get_u64(v.mv_data)) == -1)
			return asb_fail(eb, ASB_EIO, NULL, "audit index: %s", v.mv_size !=
			    8 ? "damaged" : "out of memory");
	if (rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "audit index");
	return ASB_OK;
}

int
reg_audit_about(struct reg *r, uint64_t subject,
    int (*fn)(const struct reg_audit *, void *), void *ctx, struct asb_errbuf *eb)
{
	struct seqs s = { NULL, 0, 0 }, all;
	struct reg_audit a;
	uint64_t first;
	MDB_cursor *ix = NULL, *sc = NULL;
	unsigned char kb[8];
	MDB_val k = { 8, kb }, v;
	size_t i;
	int rc, err;

	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_AUDIT], &ix)) != 0)
		return reg_lmdb_fail(eb, rc, "audit index");
	if ((err = seqs_of(r, ix, REG_TOUCH_SUBJECT, subject, &s, eb)) != ASB_OK)
		goto out;
	/* The subject's records, from the subject index. */
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_SUBJECT], &sc)) != 0) {
		err = reg_lmdb_fail(eb, rc, "subject index");
		goto out;
	}
	reg_put_u64(kb, subject);
	for (rc = mdb_cursor_get(sc, &k, &v, MDB_SET_KEY); rc == 0 && err == ASB_OK;
	    rc = mdb_cursor_get(sc, &k, &v, MDB_NEXT_DUP))
		if (v.mv_size == 16)
			err = seqs_of(r, ix, REG_TOUCH_RECORD,
			    reg_get_u64((unsigned char *)v.mv_data + 8), &s, eb);
	if (err != ASB_OK)
		goto out;
	if (rc != MDB_NOTFOUND) {
		err = reg_lmdb_fail(eb, rc, "subject index");
		goto out;
	}
	/* An export of every record concerns the subject only once the subject is held: from
	 * the first entry naming it or one of its records on. */
	if (s.n > 0) {
		for (i = 1, first = s.v[0]; i < s.n; i++)
			if (s.v[i] < first)
				first = s.v[i];
		all.v = NULL;
		all.n = all.cap = 0;
		if ((err = seqs_of(r, ix, REG_TOUCH_ALL, 0, &all, eb)) != ASB_OK) {
			free(all.v);
			goto out;
		}
		for (i = 0; i < all.n; i++)
			if (all.v[i] > first && seqs_add(&s, all.v[i]) == -1) {
				err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
				break;
			}
		free(all.v);
		if (err != ASB_OK)
			goto out;
		qsort(s.v, s.n, sizeof(s.v[0]), cmp_u64);
	}
	for (i = 0; i < s.n; i++) {
		if (i > 0 && s.v[i] == s.v[i - 1])
			continue;
		k.mv_size = sizeof(s.v[i]);
		k.mv_data = &s.v[i];
		if ((rc = mdb_get(r->txn, r->dbi[DB_AUDIT], &k, &v)) != 0) {
			err = rc == MDB_NOTFOUND ? asb_fail(eb, ASB_ERULE, "R-AUD-001",
			    "audit entry %" PRIu64 " is indexed but missing", s.v[i]) :
			    reg_lmdb_fail(eb, rc, "audit");
			goto out;
		}
		if (reg_dec_audit(v.mv_data, v.mv_size, &a) == -1) {
			err = asb_fail(eb, ASB_ERULE, "R-AUD-001", "audit entry %" PRIu64
			    " cannot be read", s.v[i]);
			goto out;
		}
		if (fn(&a, ctx) != 0)
			break;
	}
out:
	if (sc != NULL)
		mdb_cursor_close(sc);
	mdb_cursor_close(ix);
	free(s.v);
	return err;
}

/* ---- the migration from format 1 -------------------------------------------------------------- */

struct v1ix {
	struct reg	*r;
	int		 err;
	struct asb_errbuf *eb;
};

static int
v1_put(struct v1ix *x, int kind, uint64_t id, uint64_t seq)
{
	unsigned char key[REG_TOUCH_KEY], sq[8];
	MDB_val k = { REG_TOUCH_KEY, key }, v = { 8, sq };
	int rc;

	touch_key((uint64_t)kind << 56 | id, key);
	reg_put_u64(sq, seq);
	if ((rc = mdb_put(x->r->txn, x->r->dbi[DB_IX_AUDIT], &k, &v, 0)) != 0) {
		x->err = reg_lmdb_fail(x->eb, rc, "audit index");
		return -1;
	}
	return 0;
}

/* A format-1 entry's text: IDs ("R000012", "S000045"), a range of imported records
 * ("R000001..R000040"), "all records" (an export) or "return ..." (a return built from every
 * record); anything else ("user:...", a force code, "(+3 more)") names no one. */
static int
v1_one(const struct reg_audit *a, void *ctx)
{
	struct v1ix *x = ctx;
	char buf[sizeof(a->ids)], *tok, *save = NULL, *dots;
	uint64_t id, hi;

	if (strncmp(a->ids, "all records", 11) == 0 || strncmp(a->ids, "return ", 7) == 0)
		return v1_put(x, REG_TOUCH_ALL, 0, a->seq) != 0;
	snprintf(buf, sizeof(buf), "%s", a->ids);
	for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		if ((dots = strstr(tok, "..")) != NULL) {
			*dots = '\0';
			if (reg_id_parse(tok, 'R', &id) == 0 &&
			    reg_id_parse(dots + 2, 'R', &hi) == 0 && hi >= id &&
			    hi - id < TOUCH_MAX)
				for (; id <= hi; id++)
					if (v1_put(x, REG_TOUCH_RECORD, id, a->seq) != 0)
						return 1;
			continue;
		}
		if (reg_id_parse(tok, 'S', &id) == 0 &&
		    v1_put(x, REG_TOUCH_SUBJECT, id, a->seq) != 0)
			return 1;
		if (reg_id_parse(tok, 'R', &id) == 0 &&
		    v1_put(x, REG_TOUCH_RECORD, id, a->seq) != 0)
			return 1;
	}
	return 0;
}

int
reg_audit_index_v1(struct reg *r, struct asb_errbuf *eb)
{
	struct v1ix x = { r, ASB_OK, eb };
	int err;

	if ((err = reg_audit_each(r, v1_one, &x, eb)) != ASB_OK)
		return err;
	return x.err;
}
