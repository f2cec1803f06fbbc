/*
 * merge.c - one person registered twice, put right: the duplicate's records (and with them
 * their events) move to the subject kept, so her history and her repeat count are whole
 * again; the duplicate keeps its ID, which resolves to the one kept (an ID written on paper
 * or in another system still leads somewhere).  The duplicate's identity as it was held stays
 * stored, for subject-export; its identity keys are pointed at the subject kept, so the same
 * misspelling typed again finds her instead of making a third.
 *
 * Kept in the meta data, versioned (codec.c):
 *	"merged/" DUP			-> the merge entry (DUP went into KEEP)
 *	"merged-into/" KEEP "/" DUP	-> the same entry (what went into KEEP, by prefix)
 *	"merged-rec/" RECORD		-> the last merge entry that touched the record
 * with IDs as 16 hex digits so the keys sort in ID order.  The last lets asbgw say which
 * acknowledged returns counted the records of one person under two subjects.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "internal.h"

#define MERGED_PREFIX	"merged/"
#define INTO_PREFIX	"merged-into/"
#define REC_PREFIX	"merged-rec/"
#define RESOLVE_MAX	64	/* merges followed from one ID: a chain longer is damage */

static int
meta_put(struct reg *r, const char *key, const struct reg_merge *m, struct asb_errbuf *eb)
{
	unsigned char buf[ASB_MAX_SHORT + 512];
	MDB_val k = { strlen(key), (void *)key }, v;
	int rc;

	if ((v.mv_size = reg_enc_merge(m, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "merge entry too large");
	v.mv_data = buf;
	if ((rc = mdb_put(r->txn, r->dbi[DB_META], &k, &v, 0)) != 0)
		return reg_lmdb_fail(eb, rc, "merge entry");
	return ASB_OK;
}

int
reg_merge_get(struct reg *r, uint64_t dup, struct reg_merge *ret, struct asb_errbuf *eb)
{
	char key[48];
	MDB_val k, v;
	int rc;

	snprintf(key, sizeof(key), "%s%016" PRIx64, MERGED_PREFIX, dup);
	k.mv_size = strlen(key);
	k.mv_data = key;
	if ((rc = mdb_get(r->txn, r->dbi[DB_META], &k, &v)) == MDB_NOTFOUND)
		return ASB_ENOTFOUND;
	if (rc != 0)
		return reg_lmdb_fail(eb, rc, "merge entry");
	if (reg_dec_merge(v.mv_data, v.mv_size, ret) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "merge entry of subject %" PRIu64
		    " is damaged", dup);
	return ASB_OK;
}

int
reg_subject_resolve(struct reg *r, uint64_t id, uint64_t *ret, struct asb_errbuf *eb)
{
	struct reg_merge m;
	int err, i;

	for (i = 0; i < RESOLVE_MAX; i++) {
		if ((err = reg_merge_get(r, id, &m, eb)) == ASB_ENOTFOUND) {
			*ret = id;
			return ASB_OK;
		}
		if (err != ASB_OK)
			return err;
		id = m.keep;
	}
	return asb_fail(eb, ASB_EIO, NULL, "subject %" PRIu64 ": merges lead round in "
	    "a circle", id);
}

struct each_merge {
	int	(*fn)(const struct reg_merge *, void *);
	void	*ctx;
	int	 bad;
};

static int
each_one(const unsigned char *k, size_t kl, const unsigned char *v, size_t vl, void *ctx)
{
	struct each_merge *e = ctx;
	struct reg_merge m;

	(void)k;
	(void)kl;
	if (reg_dec_merge(v, vl, &m) == -1) {
		e->bad = 1;
		return 1;
	}
	return e->fn(&m, e->ctx);
}

int
reg_merged_each(struct reg *r, uint64_t keep, int (*fn)(const struct reg_merge *, void *),
    void *ctx, struct asb_errbuf *eb)
{
	struct each_merge e = { fn, ctx, 0 };
	char prefix[48];
	int err;

	snprintf(prefix, sizeof(prefix), "%s%016" PRIx64 "/", INTO_PREFIX, keep);
	if ((err = reg_meta_prefix_each(r, prefix, each_one, &e, eb)) != ASB_OK)
		return err;
	if (e.bad)
		return asb_fail(eb, ASB_EIO, NULL, "a merge entry is damaged");
	return ASB_OK;
}

struct each_rec {
	int	(*fn)(uint64_t, const struct reg_merge *, void *);
	void	*ctx;
	int	 bad;
};

static int
each_rec(const unsigned char *k, size_t kl, const unsigned char *v, size_t vl, void *ctx)
{
	struct each_rec *e = ctx;
	struct reg_merge m;
	size_t i, plen = sizeof(REC_PREFIX) - 1;
	uint64_t id = 0;
	int d;

	/* the key's 16 hex digits are the record */
	if (kl != plen + 16 || reg_dec_merge(v, vl, &m) == -1) {
		e->bad = 1;
		return 1;
	}
	for (i = plen; i < kl; i++) {
		d = k[i] >= '0' && k[i] <= '9' ? k[i] - '0' : k[i] >= 'a' && k[i] <= 'f' ?
		    k[i] - 'a' + 10 : -1;
		if (d < 0) {
			e->bad = 1;
			return 1;
		}
		id = id << 4 | (uint64_t)d;
	}
	return e->fn(id, &m, e->ctx);
}

int
reg_merged_records_each(struct reg *r, int (*fn)(uint64_t, const struct reg_merge *, void *),
    void *ctx, struct asb_errbuf *eb)
{
	struct each_rec e = { fn, ctx, 0 };
	int err;

	if ((err = reg_meta_prefix_each(r, REC_PREFIX, each_rec, &e, eb)) != ASB_OK)
		return err;
	if (e.bad)
		return asb_fail(eb, ASB_EIO, NULL, "a merged record's entry is damaged");
	return ASB_OK;
}

/* The records about a subject, read from its index before it is rewritten. */
struct moved {
	uint64_t	*id;
	size_t		 n, cap;
};

static int
collect(struct reg *r, uint64_t subject, struct moved *mv, struct asb_errbuf *eb)
{
	unsigned char kb[8];
	MDB_cursor *c;
	MDB_val k = { 8, kb }, v;
	uint64_t *p;
	int rc;

	reg_put_u64(kb, subject);
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_SUBJECT], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "subject index");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
		if (v.mv_size != 16)
			continue;
		if (mv->n == mv->cap) {
			mv->cap = mv->cap ? mv->cap * 2 : 64;
			if ((p = realloc(mv->id, mv->cap * sizeof(*p))) == NULL) {
				mdb_cursor_close(c);
				return asb_fail(eb, ASB_EIO, NULL, "out of memory");
			}
			mv->id = p;
		}
		mv->id[mv->n++] = reg_get_u64((unsigned char *)v.mv_data + 8);
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "subject index");
	return ASB_OK;
}

/* Move one record to keep: the record, its subject index entry, and, when its location is
 * its subject's, its location index entry. */
static int
move_record(struct reg *r, uint64_t id, const struct reg_subject *dup,
    const struct reg_subject *keep, struct asb_errbuf *eb)
{
	struct reg_record rec;
	unsigned char buf[REG_ENC_MAX], kb[9], entry[16];
	MDB_val k, v;
	int err, rc;

	if ((err = reg_record_get(r, id, &rec, eb)) != ASB_OK)
		return err;
	rec.subject = keep->id;
	if ((v.mv_size = reg_enc_record(&rec, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "record too large");
	v.mv_data = buf;
	k.mv_size = sizeof(rec.id);
	k.mv_data = &rec.id;
	if ((rc = mdb_put(r->txn, r->dbi[DB_RECORDS], &k, &v, 0)) != 0)
		return reg_lmdb_fail(eb, rc, "record");
	reg_put_time(entry, rec.issued);
	reg_put_u64(entry + 8, rec.id);
	reg_put_u64(kb, keep->id);
	k.mv_size = 8;
	k.mv_data = kb;
	v.mv_size = 16;
	v.mv_data = entry;
	if ((rc = mdb_put(r->txn, r->dbi[DB_IX_SUBJECT], &k, &v, 0)) != 0 &&
	    rc != MDB_KEYEXIST)
		return reg_lmdb_fail(eb, rc, "subject index");
	if (rec.lsoa[0] == '\0' && strcmp(dup->lsoa, keep->lsoa) != 0) {
		if (dup->lsoa[0] != '\0') {
			memcpy(kb, dup->lsoa, 9);
			k.mv_size = 9;
			v.mv_size = 16;
			v.mv_data = entry;
			if ((rc = mdb_del(r->txn, r->dbi[DB_IX_LSOA], &k, &v)) != 0 &&
			    rc != MDB_NOTFOUND)
				return reg_lmdb_fail(eb, rc, "location index");
		}
		if (keep->lsoa[0] != '\0') {
			memcpy(kb, keep->lsoa, 9);
			k.mv_size = 9;
			k.mv_data = kb;
			v.mv_size = 16;
			v.mv_data = entry;
			if ((rc = mdb_put(r->txn, r->dbi[DB_IX_LSOA], &k, &v, 0)) != 0 &&
			    rc != MDB_KEYEXIST)
				return reg_lmdb_fail(eb, rc, "location index");
		}
	}
	return reg_audit_record(r, id, eb);
}

static int
restricted(const struct reg_subject *s, struct asb_errbuf *eb)
{
	char id[REG_ID_BUF];

	return asb_fail(eb, ASB_ERULE, "R-DPA-001", "processing of %s is restricted (%s): "
	    "lift it first with 'asbreg restrict %s --lift'", reg_subject_id(s->id, id),
	    s->restrict_reason[0] ? s->restrict_reason : "no reason given", id);
}

int
reg_subject_merge(struct reg *r, uint64_t keep_id, uint64_t dup_id, const char *user,
    asb_time now, const char *reason, struct reg_merge *ret, struct asb_errbuf *eb)
{
	struct reg_subject keep, dup, alias;
	struct reg_merge m;
	struct moved mv = { NULL, 0, 0 };
	unsigned char kb[8];
	char a[REG_ID_BUF], b[REG_ID_BUF], key[64];
	MDB_val k = { 8, kb };
	size_t i, nmoved;
	int err, rc;

	if (reason == NULL || reason[0] == '\0')
		return asb_fail(eb, ASB_EUSAGE, NULL, "give --reason: why they are the "
		    "same");
	if (strlen(reason) >= sizeof(m.reason))
		return asb_fail(eb, ASB_EUSAGE, NULL, "--reason: at most %zu bytes",
		    sizeof(m.reason) - 1);
	reg_subject_id(keep_id, a);
	reg_subject_id(dup_id, b);
	if (keep_id == dup_id)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s cannot be merged into itself", a);
	if ((err = reg_subject_get(r, keep_id, &keep, eb)) != ASB_OK ||
	    (err = reg_subject_get(r, dup_id, &dup, eb)) != ASB_OK)
		return err;
	if ((err = reg_merge_get(r, dup_id, &m, eb)) == ASB_OK) {
		reg_subject_id(m.keep, a);
		return asb_fail(eb, ASB_ECONFLICT, NULL, "%s was merged into %s already",
		    b, a);
	}
	if (err != ASB_ENOTFOUND)
		return err;
	if ((err = reg_merge_get(r, keep_id, &m, eb)) == ASB_OK) {
		reg_subject_id(m.keep, b);
		return asb_fail(eb, ASB_ECONFLICT, NULL, "%s was itself merged into %s: "
		    "merge into %s", a, b, b);
	}
	if (err != ASB_ENOTFOUND)
		return err;
	if (keep.kind != dup.kind)
		return asb_fail(eb, ASB_ERULE, "R-MRG-001", "%s is %s and %s is %s: only "
		    "two people, two premises or two places can be the same", a,
		    sch_subject_kind_code(keep.kind), b, sch_subject_kind_code(dup.kind));
	if (keep.restricted != 0)
		return restricted(&keep, eb);
	if (dup.restricted != 0)
		return restricted(&dup, eb);

	/* The records, then the index of the duplicate's records emptied whole. */
	if ((err = collect(r, dup_id, &mv, eb)) != ASB_OK)
		goto out;
	/* each moved record's dates follow its new subject's birth date (a youth review
	 * ends at 18): the due index is written again for it */
	for (i = 0; i < mv.n; i++)
		if ((err = move_record(r, mv.id[i], &dup, &keep, eb)) != ASB_OK ||
		    (err = reg_due_index_put(r, mv.id[i], eb)) != ASB_OK)
			goto out;
	nmoved = mv.n;
	reg_put_u64(kb, dup_id);
	if ((rc = mdb_del(r->txn, r->dbi[DB_IX_SUBJECT], &k, NULL)) != 0 &&
	    rc != MDB_NOTFOUND) {
		err = reg_lmdb_fail(eb, rc, "subject index");
		goto out;
	}
	/* The duplicate's identity keys now find the subject kept. */
	alias = dup;
	alias.id = keep_id;
	if ((err = reg_subject_identity_put(r, &alias, 0, eb)) != ASB_OK)
		goto out;
	memset(&m, 0, sizeof(m));
	m.duplicate = dup_id;
	m.keep = keep_id;
	m.time = now;
	snprintf(m.user, sizeof(m.user), "%s", user ? user : "");
	snprintf(m.reason, sizeof(m.reason), "%s", reason);
	m.records = nmoved;
	snprintf(key, sizeof(key), "%s%016" PRIx64, MERGED_PREFIX, dup_id);
	if ((err = meta_put(r, key, &m, eb)) != ASB_OK)
		goto out;
	snprintf(key, sizeof(key), "%s%016" PRIx64 "/%016" PRIx64, INTO_PREFIX, keep_id,
	    dup_id);
	if ((err = meta_put(r, key, &m, eb)) != ASB_OK ||
	    (err = reg_audit_subject(r, keep_id, eb)) != ASB_OK ||
	    (err = reg_audit_subject(r, dup_id, eb)) != ASB_OK)
		goto out;
	/* Every record now KEEP's, moved or not (a repeat flag may change), marked with the
	 * merge for asbgw's corrections. */
	mv.n = 0;
	if ((err = collect(r, keep_id, &mv, eb)) != ASB_OK)
		goto out;
	for (i = 0; i < mv.n; i++) {
		snprintf(key, sizeof(key), "%s%016" PRIx64, REC_PREFIX, mv.id[i]);
		if ((err = meta_put(r, key, &m, eb)) != ASB_OK)
			goto out;
	}
	if (ret != NULL)
		*ret = m;
out:
	free(mv.id);
	return err;
}

int
reg_merge_alias(struct reg *r, uint64_t dup, struct asb_errbuf *eb)
{
	struct reg_subject s;
	uint64_t keep;
	int err;

	if ((err = reg_subject_resolve(r, dup, &keep, eb)) != ASB_OK || keep == dup)
		return err;
	if ((err = reg_subject_get(r, dup, &s, eb)) != ASB_OK)
		return err;
	s.id = keep;
	return reg_subject_identity_put(r, &s, 0, eb);
}

/* Retention: when the identity of the subject kept is erased, the identities merged into it
 * go too (they are the same person's), with the keys that pointed at it. */
struct erase {
	struct reg	*r;
	struct asb_errbuf *eb;
	int		 err;
};

static int
erase_one(const struct reg_merge *m, void *ctx)
{
	struct erase *x = ctx;
	struct reg_subject s, alias;

	if ((x->err = reg_subject_get(x->r, m->duplicate, &s, x->eb)) != ASB_OK)
		return 1;
	alias = s;
	alias.id = m->keep;
	if ((x->err = reg_subject_identity_put(x->r, &alias, 1, x->eb)) != ASB_OK ||
	    (x->err = reg_merged_erase(x->r, s.id, x->eb)) != ASB_OK)
		return 1;
	snprintf(s.name, sizeof(s.name), "[erased]");
	s.pnc[0] = s.uprn[0] = '\0';
	if (s.dob != 0)
		s.dob = s.dob / 10000 * 10000 + 701;	/* as review.c: the year alone */
	x->err = reg_subject_put(x->r, &s, x->eb);
	return x->err != ASB_OK;
}

int
reg_merged_erase(struct reg *r, uint64_t keep, struct asb_errbuf *eb)
{
	struct erase x = { r, eb, ASB_OK };
	int err;

	if ((err = reg_merged_each(r, keep, erase_one, &x, eb)) != ASB_OK)
		return err;
	return x.err;
}
