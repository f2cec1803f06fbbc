/*
 * due_index.c - the index 'due' walks instead of every record: for each record, the dates on
 * which it can need attention (its expiry, its next youth review, its closure hearing, its
 * retention review), kept in step by every change to a record (reg_due_index_put, called
 * after a record, an event or a review decision is stored).
 *
 * The index only says which records to look at.  Which of them are listed, and for what, is
 * query.c's reg_due, from the record as it is now (its status, its links): an entry out of
 * date can only add a record to look at, never hide one, as long as every date a record is
 * listed on has its entry.  So each date is taken from the same schema function reg_due uses,
 * computed as generously as it can be (as if the record's term had already run out).
 *
 * Database "ix.due" (DUPSORT|DUPFIXED), outside the register's numbered formats: a register
 * without it gets it built when opened (meta "due.format"), so older registers and this
 * index's changes need no format number of their own.
 *	kind (1)			-> when (8, sign-flipped) + record (8)	forward
 *	0xff + record (8)		-> (kind (1) + when (8)) x 1..4		what the record has,
 *					   one value (a new record's is appended: IDs grow)
 */
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "internal.h"

#define DUE_FORMAT	"1"
#define DUE_DB		"ix.due"
#define REV		0xff
#define FAR_FUTURE	((asb_time)1 << 50)	/* "when its term has run out" */

static int
db_open(struct reg *r, unsigned flags, struct asb_errbuf *eb)
{
	int rc = mdb_dbi_open(r->txn, DUE_DB, flags | MDB_DUPSORT | MDB_DUPFIXED,
	    &r->due_dbi);

	if (rc == MDB_NOTFOUND)
		return ASB_ENOTFOUND;
	if (rc != 0)
		return reg_lmdb_fail(eb, rc, "due index");
	return ASB_OK;
}

/* Remove what the index holds for id. */
static int
forget(struct reg *r, uint64_t id, struct asb_errbuf *eb)
{
	unsigned char rk[9], fk[1], fv[16], got[9 * 4];
	MDB_cursor *c;
	MDB_val k, v;
	size_t n = 0, i;
	int rc;

	rk[0] = REV;
	reg_put_u64(rk + 1, id);
	k.mv_size = sizeof(rk);
	k.mv_data = rk;
	if ((rc = mdb_cursor_open(r->txn, r->due_dbi, &c)) != 0)
		return reg_lmdb_fail(eb, rc, "due index");
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
	if (rc == 0 && v.mv_size % 9 == 0 && v.mv_size <= sizeof(got)) {
		memcpy(got, v.mv_data, v.mv_size);
		n = v.mv_size;
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "due index");
	if (n == 0)
		return ASB_OK;
	for (i = 0; i < n; i += 9) {
		fk[0] = got[i];
		memcpy(fv, got + i + 1, 8);
		reg_put_u64(fv + 8, id);
		k.mv_size = 1;
		k.mv_data = fk;
		v.mv_size = 16;
		v.mv_data = fv;
		if ((rc = mdb_del(r->txn, r->due_dbi, &k, &v)) != 0 && rc != MDB_NOTFOUND)
			return reg_lmdb_fail(eb, rc, "due index");
	}
	k.mv_size = sizeof(rk);
	k.mv_data = rk;
	if ((rc = mdb_del(r->txn, r->due_dbi, &k, NULL)) != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "due index");
	return ASB_OK;
}

struct dates {
	unsigned char	 rv[9 * 4];	/* the reverse value */
	size_t		 n;
	int		 batch;		/* forward entries to r->due_buf */
};

static int
remember(struct reg *r, uint64_t id, int kind, asb_time when, struct dates *d,
    struct asb_errbuf *eb)
{
	unsigned char fk[1], fv[16];
	MDB_val k = { 1, fk }, v = { 16, fv };
	int rc;

	fk[0] = (unsigned char)kind;
	reg_put_time(fv, when);
	reg_put_u64(fv + 8, id);
	if (d->batch) {
		if (r->due_n == r->due_cap) {
			size_t cap = r->due_cap ? 2 * r->due_cap : 4096;
			unsigned char *nb = realloc(r->due_buf, cap * 17);

			if (nb == NULL)
				return asb_fail(eb, ASB_EIO, NULL, "out of memory");
			r->due_buf = nb;
			r->due_cap = cap;
		}
		r->due_buf[r->due_n * 17] = fk[0];
		memcpy(r->due_buf + r->due_n * 17 + 1, fv, 16);
		r->due_n++;
	} else if ((rc = mdb_put(r->txn, r->due_dbi, &k, &v, 0)) != 0)
		return reg_lmdb_fail(eb, rc, "due index");
	d->rv[d->n] = (unsigned char)kind;
	reg_put_time(d->rv + d->n + 1, when);
	d->n += 9;
	return ASB_OK;
}

/* The record's dates, each as generous as reg_due's rules allow. */
static int
index_view(struct reg *r, const struct reg_view *v, int is_new, struct asb_errbuf *eb)
{
	struct dates d;
	unsigned char rk[9];
	MDB_val k = { sizeof(rk), rk }, val;
	asb_time when;
	int err, rc;

	d.n = 0;
	d.batch = is_new && r->due_batch;
	if (v->life.expires != 0 && (err = remember(r, v->rec.id, REG_DUE_EXPIRY,
	    v->life.expires, &d, eb)) != ASB_OK)
		return err;
	/* 0: only an end recorded by an event stops the reviews, not the term running out */
	if ((when = sch_due_youth_review(&v->use, &v->life, 0)) != 0 &&
	    (err = remember(r, v->rec.id, REG_DUE_YOUTH_REVIEW, when, &d, eb)) != ASB_OK)
		return err;
	if (v->rec.power == SCH_CLOSURE_NOTICE &&
	    (when = sch_due_closure_hearing(&v->use, &v->life)) != 0 &&
	    (err = remember(r, v->rec.id, REG_DUE_CLOSURE_HEARING, when, &d, eb)) != ASB_OK)
		return err;
	if ((when = reg_review_due(r, v, FAR_FUTURE)) != 0 &&
	    (err = remember(r, v->rec.id, REG_DUE_RETENTION, when, &d, eb)) != ASB_OK)
		return err;
	if (d.n == 0)
		return ASB_OK;
	rk[0] = REV;
	reg_put_u64(rk + 1, v->rec.id);
	val.mv_size = d.n;
	val.mv_data = d.rv;
	/* a new record's ID is the largest yet, so its key goes at the end */
	rc = mdb_put(r->txn, r->due_dbi, &k, &val, is_new ? MDB_APPEND : 0);
	if (rc == MDB_KEYEXIST && is_new)
		rc = mdb_put(r->txn, r->due_dbi, &k, &val, 0);
	if (rc != 0)
		return reg_lmdb_fail(eb, rc, "due index");
	return ASB_OK;
}

int
reg_due_index_put(struct reg *r, uint64_t id, struct asb_errbuf *eb)
{
	struct reg_view v;
	int err;

	/* what waits in the batch may be this record's: put it first */
	if ((err = reg_due_batch_flush(r, eb)) != ASB_OK ||
	    (err = forget(r, id, eb)) != ASB_OK ||
	    (err = reg_view_get(r, id, 0, &v, eb)) != ASB_OK)
		return err;
	return index_view(r, &v, 0, eb);
}

int
reg_due_index_add(struct reg *r, const struct reg_record *rec, struct asb_errbuf *eb)
{
	struct reg_view v;
	int err;

	if ((err = reg_view_of(r, rec, 0, &v, NULL, eb)) != ASB_OK)
		return err;
	return index_view(r, &v, 1, eb);
}

static int
entry_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 17);
}

void
reg_due_batch_begin(struct reg *r)
{
	r->due_batch = 1;
	r->due_n = 0;
}

int
reg_due_batch_flush(struct reg *r, struct asb_errbuf *eb)
{
	MDB_val k, v;
	size_t i;
	int rc;

	if (r->due_n == 0)
		return ASB_OK;
	qsort(r->due_buf, r->due_n, 17, entry_cmp);
	for (i = 0; i < r->due_n; i++) {
		k.mv_size = 1;
		k.mv_data = r->due_buf + i * 17;
		v.mv_size = 16;
		v.mv_data = r->due_buf + i * 17 + 1;
		if ((rc = mdb_put(r->txn, r->due_dbi, &k, &v, 0)) != 0)
			return reg_lmdb_fail(eb, rc, "due index");
	}
	r->due_n = 0;
	return ASB_OK;
}

int
reg_due_batch_end(struct reg *r, struct asb_errbuf *eb)
{
	int err = reg_due_batch_flush(r, eb);

	r->due_batch = 0;
	return err;
}

void
reg_due_batch_discard(struct reg *r)
{
	r->due_batch = 0;
	r->due_n = 0;
}

static int
build(struct reg *r, struct asb_errbuf *eb)
{
	struct reg_view v;
	MDB_cursor *c;
	MDB_val k, val;
	int rc, err = ASB_OK;

	if ((rc = mdb_drop(r->txn, r->due_dbi, 0)) != 0)
		return reg_lmdb_fail(eb, rc, "due index");
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_RECORDS], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "records");
	reg_due_batch_begin(r);
	for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &val, MDB_NEXT))
		if ((err = reg_view_get(r, reg_key_id(&k), 0, &v, eb)) != ASB_OK ||
		    (err = index_view(r, &v, 1, eb)) != ASB_OK ||
		    (r->due_n >= REG_DUE_BATCH && (err = reg_due_batch_flush(r, eb)) !=
		    ASB_OK))
			break;
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "records");
	mdb_cursor_close(c);
	if (err == ASB_OK)
		err = reg_due_batch_end(r, eb);
	else
		reg_due_batch_discard(r);
	if (err == ASB_OK)
		err = reg_meta_put_str(r, "due.format", DUE_FORMAT, eb);
	return err;
}

int
reg_due_index_init(struct reg *r, struct asb_errbuf *eb)
{
	int err;

	if ((err = db_open(r, MDB_CREATE, eb)) != ASB_OK)
		return err;
	return reg_meta_put_str(r, "due.format", DUE_FORMAT, eb);
}

int
reg_due_index_open(struct reg *r, struct asb_errbuf *eb)
{
	char fmt[16];
	int err, pass;

	for (pass = 0; pass < 2; pass++) {
		if ((err = reg_begin(r, pass, eb)) != ASB_OK)
			return err;
		err = db_open(r, pass ? MDB_CREATE : 0, eb);
		if (err == ASB_OK)
			err = reg_meta_get_str(r, "due.format", fmt, sizeof(fmt), eb);
		if (err == ASB_OK && strcmp(fmt, DUE_FORMAT) == 0)
			return reg_commit(r, eb);	/* keeps the handle */
		if (err != ASB_OK && err != ASB_ENOTFOUND) {
			reg_abort(r);
			return err;
		}
		if (pass == 0)
			reg_abort(r);
	}
	if ((err = build(r, eb)) != ASB_OK) {
		reg_abort(r);
		return err;
	}
	return reg_commit(r, eb);
}

static int
id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
reg_due_candidates(struct reg *r, asb_time now, asb_time horizon, uint64_t **ret,
    size_t *ret_n, struct asb_errbuf *eb)
{
	unsigned char kb[1], from[16];
	uint64_t *ids = NULL, *nv;
	size_t n = 0, cap = 0, i, u;
	MDB_cursor *c;
	MDB_val k, v;
	int kind, rc = 0, err = ASB_OK;

	if ((rc = mdb_cursor_open(r->txn, r->due_dbi, &c)) != 0)
		return reg_lmdb_fail(eb, rc, "due index");
	for (kind = REG_DUE_EXPIRY; kind <= REG_DUE_RETENTION && err == ASB_OK; kind++) {
		kb[0] = (unsigned char)kind;
		/* expiries from now on; the others overdue too */
		memset(from, 0, sizeof(from));
		if (kind == REG_DUE_EXPIRY)
			reg_put_time(from, now);
		for (rc = reg_dup_seek(c, kb, 1, from, 16, &k, &v); rc == 0;
		    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
			if (v.mv_size != 16 || reg_get_time(v.mv_data) > horizon)
				break;
			if (n == cap) {
				cap = cap ? 2 * cap : 256;
				if ((nv = realloc(ids, cap * sizeof(*ids))) == NULL) {
					err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
					break;
				}
				ids = nv;
			}
			ids[n++] = reg_get_u64((unsigned char *)v.mv_data + 8);
		}
		if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
			err = reg_lmdb_fail(eb, rc, "due index");
	}
	mdb_cursor_close(c);
	if (err != ASB_OK) {
		free(ids);
		return err;
	}
	if (n > 0)
		qsort(ids, n, sizeof(*ids), id_cmp);
	for (i = u = 0; i < n; i++)
		if (u == 0 || ids[i] != ids[u - 1])
			ids[u++] = ids[i];
	*ret = ids;
	*ret_n = u;
	return ASB_OK;
}
