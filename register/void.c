/*
 * void.c - putting a mistaken record right: a record entered in error is voided, never
 * deleted.  Deleting it would take from the data subject what the register held about them
 * and from an auditor what was done with it; voiding keeps it, readable and marked, and takes
 * it out of everything that counts or reminds (lists, due, repeat, the returns).
 *
 * Void entries live in the meta data as "void/" + the record ID in 16 hex digits -> a
 * versioned encoding (codec.c), as retention decisions do ("review/ID"): the record's own
 * encoding does not change, and a register with no void record pays one cursor seek for a
 * whole scan (reg_voids_any).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "internal.h"
#include "rules.h"

#define VOID_PREFIX	"void/"

static void
void_key(uint64_t id, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%016" PRIx64, VOID_PREFIX, id);
}

int
reg_meta_prefix_each(struct reg *r, const char *prefix,
    int (*fn)(const unsigned char *, size_t, const unsigned char *, size_t, void *),
    void *ctx, struct asb_errbuf *eb)
{
	size_t plen = strlen(prefix);
	MDB_cursor *c;
	MDB_val k = { plen, (void *)prefix }, v;
	int rc;

	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_META], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "meta");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		if (fn(k.mv_data, k.mv_size, v.mv_data, v.mv_size, ctx) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "meta");
	return ASB_OK;
}

static int
found_one(const unsigned char *k, size_t kl, const unsigned char *v, size_t vl, void *ctx)
{
	(void)k;
	(void)kl;
	(void)v;
	(void)vl;
	*(int *)ctx = 1;
	return 1;
}

int
reg_voids_any(struct reg *r)
{
	int any = 0;

	/* Asked by every scan, and by reg_subject_records once a record of a return: the
	 * answer is kept for the transaction. */
	if (r->voids >= 0)
		return r->voids;
	if (reg_meta_prefix_each(r, VOID_PREFIX, found_one, &any, NULL) != ASB_OK)
		return 1;	/* cannot tell: look each record up */
	r->voids = any;
	return any;
}

int
reg_void_get(struct reg *r, uint64_t id, struct reg_void *ret, struct asb_errbuf *eb)
{
	char key[40];
	MDB_val k, v;
	int rc;

	void_key(id, key, sizeof(key));
	k.mv_size = strlen(key);
	k.mv_data = key;
	if ((rc = mdb_get(r->txn, r->dbi[DB_META], &k, &v)) == MDB_NOTFOUND)
		return ASB_ENOTFOUND;
	if (rc != 0)
		return reg_lmdb_fail(eb, rc, "void entry");
	if (reg_dec_void(v.mv_data, v.mv_size, ret) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "void entry of record %" PRIu64
		    " is damaged", id);
	return ASB_OK;
}

int
reg_void_is(struct reg *r, uint64_t id)
{
	struct reg_void vd;

	return reg_void_get(r, id, &vd, NULL) == ASB_OK;
}

struct each_void {
	int	(*fn)(const struct reg_void *, void *);
	void	*ctx;
	int	 bad;
};

static int
each_one(const unsigned char *k, size_t kl, const unsigned char *v, size_t vl, void *ctx)
{
	struct each_void *e = ctx;
	struct reg_void vd;

	(void)k;
	(void)kl;
	if (reg_dec_void(v, vl, &vd) == -1) {
		e->bad = 1;
		return 1;
	}
	return e->fn(&vd, e->ctx);
}

int
reg_void_each(struct reg *r, int (*fn)(const struct reg_void *, void *), void *ctx,
    struct asb_errbuf *eb)
{
	struct each_void e = { fn, ctx, 0 };
	int err;

	if ((err = reg_meta_prefix_each(r, VOID_PREFIX, each_one, &e, eb)) != ASB_OK)
		return err;
	if (e.bad)
		return asb_fail(eb, ASB_EIO, NULL, "a void entry is damaged");
	return ASB_OK;
}

/* Is a record that is not void among those that follow the one being voided? */
struct follower {
	struct reg	*r;
	uint64_t	 live;
};

static int
live_follower(uint64_t linked, int follows_it, void *ctx)
{
	struct follower *f = ctx;

	if (follows_it && !reg_void_is(f->r, linked)) {
		f->live = linked;
		return 1;
	}
	return 0;
}

int
reg_record_void(struct reg *r, uint64_t id, const char *user, asb_time now,
    const char *reason, struct asb_errbuf *eb)
{
	struct reg_record rec;
	struct reg_void vd;
	struct follower fl = { r, 0 };
	unsigned char buf[ASB_MAX_SHORT + 512];
	char key[40], ids[REG_ID_BUF], fid[REG_ID_BUF], t[ASB_TIME_BUF];
	MDB_val k, v;
	size_t len;
	int err, rc;

	if (reason == NULL || reason[0] == '\0')
		return asb_fail(eb, ASB_EUSAGE, NULL, "give --reason: why the record "
		    "was entered in error");
	if ((err = reg_record_get(r, id, &rec, eb)) != ASB_OK)
		return err;
	reg_record_id(id, ids);
	if ((err = reg_void_get(r, id, &vd, eb)) == ASB_OK)
		return asb_fail(eb, ASB_ECONFLICT, NULL, "%s was voided already, on %s "
		    "by %s", ids, asb_time_iso(vd.time, t, sizeof(t)), vd.user);
	if (err != ASB_ENOTFOUND)
		return err;
	if ((err = reg_linked_each(r, id, live_follower, &fl, eb)) != ASB_OK)
		return err;
	if (fl.live != 0)
		return asb_fail(eb, ASB_ERULE, "R-VOID-001", "%s follows %s and is not "
		    "void: void %s first (or, if it stands, %s was no mistake)",
		    reg_record_id(fl.live, fid), ids, fid, ids);
	memset(&vd, 0, sizeof(vd));
	vd.record = id;
	vd.time = now;
	snprintf(vd.user, sizeof(vd.user), "%s", user ? user : "");
	if (strlen(reason) >= sizeof(vd.reason))
		return asb_fail(eb, ASB_EUSAGE, NULL, "--reason: at most %zu bytes",
		    sizeof(vd.reason) - 1);
	snprintf(vd.reason, sizeof(vd.reason), "%s", reason);
	if ((len = reg_enc_void(&vd, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "void entry too large");
	void_key(id, key, sizeof(key));
	k.mv_size = strlen(key);
	k.mv_data = key;
	v.mv_size = len;
	v.mv_data = buf;
	if ((rc = mdb_put(r->txn, r->dbi[DB_META], &k, &v, MDB_NOOVERWRITE)) != 0)
		return reg_lmdb_fail(eb, rc, "void entry");
	r->voids = 1;
	/* Its source reference is free again, so the row, corrected, can be imported anew
	 * (the void record keeps the reference it came with, for show). */
	if (rec.ref[0] != '\0') {
		MDB_val rk = { strlen(rec.ref), rec.ref }, rv;

		if ((rc = mdb_get(r->txn, r->dbi[DB_IX_REF], &rk, &rv)) == 0 &&
		    rv.mv_size == 8 && reg_get_u64(rv.mv_data) == id &&
		    (rc = mdb_del(r->txn, r->dbi[DB_IX_REF], &rk, NULL)) != 0)
			return reg_lmdb_fail(eb, rc, "reference index");
		if (rc != 0 && rc != MDB_NOTFOUND)
			return reg_lmdb_fail(eb, rc, "reference index");
	}
	if ((err = reg_audit_record(r, id, eb)) != ASB_OK ||
	    (err = reg_audit_subject(r, rec.subject, eb)) != ASB_OK)
		return err;
	/* its retention review is now six years after the void (due_index.c) */
	return reg_due_index_put(r, id, eb);
}

int
reg_void_erase(struct reg *r, uint64_t id, struct asb_errbuf *eb)
{
	struct reg_void vd;
	unsigned char buf[ASB_MAX_SHORT + 512];
	char key[40];
	MDB_val k, v;
	int err, rc;

	if ((err = reg_void_get(r, id, &vd, eb)) == ASB_ENOTFOUND)
		return ASB_OK;
	if (err != ASB_OK)
		return err;
	/* The reason may name people, as an event's note may: it goes with them. */
	vd.user[0] = '\0';
	snprintf(vd.reason, sizeof(vd.reason), "[erased]");
	if ((v.mv_size = reg_enc_void(&vd, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "void entry too large");
	v.mv_data = buf;
	void_key(id, key, sizeof(key));
	k.mv_size = strlen(key);
	k.mv_data = key;
	if ((rc = mdb_put(r->txn, r->dbi[DB_META], &k, &v, 0)) != 0)
		return reg_lmdb_fail(eb, rc, "void entry");
	return ASB_OK;
}

asb_time
reg_void_review_due(struct reg *r, const struct reg_view *v, const struct reg_void *vd)
{
	const struct sch_rule *rule = sch_rule_find("R-RET-001", v->use.power,
	    v->use.issued);
	asb_time due, when, next;
	int decision;

	/* What was recorded in error is kept as long as a record whose life ended when it
	 * was voided: long enough for the person and an auditor to see what was held. */
	if (rule == NULL)
		return 0;
	due = sch_rule_add(rule, vd->time);
	if (reg_review_get(r, v->rec.id, &decision, &when, NULL) != ASB_OK)
		return due;
	if (decision == REG_REVIEW_DISPOSE)
		return 0;
	if (decision == REG_REVIEW_RETAIN && (next = sch_rule_add(rule, when)) > due)
		due = next;
	return due;
}

int
reg_record_same(struct reg *r, const struct reg_record *rec, uint64_t *ret_id,
    struct asb_errbuf *eb)
{
	unsigned char kb[8], from[16];
	struct reg_record cand;
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t id;
	int rc, err = ASB_ENOTFOUND;

	reg_put_u64(kb, rec->subject);
	reg_put_time(from, rec->issued);
	memset(from + 8, 0, 8);
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_SUBJECT], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "subject index");
	for (rc = reg_dup_seek(c, kb, 8, from, 16, &k, &v); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
		if (v.mv_size != 16 || reg_get_time(v.mv_data) != rec->issued)
			break;
		id = reg_get_u64((unsigned char *)v.mv_data + 8);
		if ((err = reg_record_get(r, id, &cand, eb)) != ASB_OK)
			break;
		err = ASB_ENOTFOUND;
		if (id != rec->id && cand.power == rec->power && !reg_void_is(r, id)) {
			*ret_id = id;
			err = ASB_OK;
			break;
		}
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND && err == ASB_ENOTFOUND)
		return reg_lmdb_fail(eb, rc, "subject index");
	return err;
}

int
reg_correct_check_add(struct reg *r, const struct reg_record *rec, struct asb_errbuf *eb)
{
	struct reg_merge m;
	char a[REG_ID_BUF], b[REG_ID_BUF];
	int err;

	if (rec->link != 0 && reg_void_is(r, rec->link))
		return asb_fail(eb, ASB_ERULE, "R-VOID-002", "%s is void: nothing may "
		    "follow it", reg_record_id(rec->link, a));
	if ((err = reg_merge_get(r, rec->subject, &m, eb)) == ASB_OK)
		return asb_fail(eb, ASB_ERULE, "R-MRG-002", "%s was merged into %s: "
		    "record against %s", reg_subject_id(rec->subject, a),
		    reg_subject_id(m.keep, b), b);
	return err == ASB_ENOTFOUND ? ASB_OK : err;
}

int
reg_correct_check_event(struct reg *r, uint64_t record, struct asb_errbuf *eb)
{
	struct reg_void vd;
	char id[REG_ID_BUF], t[ASB_TIME_BUF];
	int err;

	if ((err = reg_void_get(r, record, &vd, eb)) == ASB_ENOTFOUND)
		return ASB_OK;
	if (err != ASB_OK)
		return err;
	return asb_fail(eb, ASB_ERULE, "R-VOID-002", "%s was voided on %s (%s): it "
	    "takes no events", reg_record_id(record, id), asb_time_iso(vd.time, t,
	    sizeof(t)), vd.reason);
}
