/*
 * query.c - the officer's questions: lists of records, what is due, and repeat subjects and
 * locations.  Each walks an index or the records with a cursor, so memory stays bounded
 * whatever the register holds (reg_due keeps at most the caller's array).
 */
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "internal.h"

static int
matches(const struct reg_view *v, const struct reg_filter *f)
{
	if (f->power >= 0 && v->rec.power != f->power)
		return 0;
	if (f->subject != 0 && v->rec.subject != f->subject)
		return 0;
	if (f->since != 0 && v->rec.issued < f->since)
		return 0;
	if (f->until != 0 && v->rec.issued >= f->until)
		return 0;
	if (f->status >= 0 && v->status != f->status)
		return 0;
	return 1;
}

int
reg_list(struct reg *r, const struct reg_filter *f, asb_time now,
    int (*fn)(const struct reg_view *, void *), void *ctx,
    struct asb_errbuf *eb)
{
	struct reg_view view;
	unsigned char kb[8], from[16];
	MDB_cursor *c;
	MDB_val k, v;
	enum reg_db db;
	size_t klen;
	int rc, err = ASB_OK;
	uint64_t id = 0;
	/* Void records (void.c) are left out of lists unless asked for. */
	int voids = !f->voided && reg_voids_any(r);

	/* Choose the narrowest index: by power and date, by subject, else every record. */
	if (f->power >= 0) {
		db = DB_IX_TYPE;
		kb[0] = (unsigned char)f->power;
		klen = 1;
	} else if (f->subject != 0) {
		db = DB_IX_SUBJECT;
		reg_put_u64(kb, f->subject);
		klen = 8;
	} else {
		db = DB_RECORDS;
		klen = 0;
	}
	reg_put_time(from, f->since);
	memset(from + 8, 0, 8);
	if ((rc = mdb_cursor_open(r->txn, r->dbi[db], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "list");
	if (db == DB_RECORDS) {
		k.mv_size = sizeof(id);
		k.mv_data = &id;
		rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	} else
		rc = reg_dup_seek(c, kb, klen, from, 16, &k, &v);
	for (; rc == 0; rc = mdb_cursor_get(c, &k, &v, db == DB_RECORDS ?
	    MDB_NEXT : MDB_NEXT_DUP)) {
		if (db == DB_RECORDS)
			id = reg_key_id(&k);
		else {
			if (v.mv_size != 16)
				break;
			/* Entries are in issue order: past until, stop. */
			if (f->until != 0 && reg_get_time(v.mv_data) >= f->until)
				break;
			id = reg_get_u64((unsigned char *)v.mv_data + 8);
		}
		if (voids && reg_void_is(r, id))
			continue;
		if ((err = reg_view_get(r, id, now, &view, eb)) != ASB_OK)
			break;
		if (matches(&view, f) && fn(&view, ctx) != 0)
			break;
	}
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "list");
	mdb_cursor_close(c);
	return err;
}

int
reg_records_each(struct reg *r, int (*fn)(const struct reg_record *, void *),
    void *ctx, struct asb_errbuf *eb)
{
	struct reg_record rec;
	MDB_cursor *c;
	MDB_val k, v;
	int rc, err = ASB_OK;

	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_RECORDS], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "records");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (reg_dec_record(v.mv_data, v.mv_size, &rec) == -1) {
			err = asb_fail(eb, ASB_EIO, NULL, "stored record is "
			    "damaged");
			break;
		}
		rec.id = reg_key_id(&k);
		if (fn(&rec, ctx) != 0)
			break;
	}
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "records");
	mdb_cursor_close(c);
	return err;
}

const char *
reg_due_kind_code(int kind)
{
	switch (kind) {
	case REG_DUE_EXPIRY:
		return "expiry";
	case REG_DUE_YOUTH_REVIEW:
		return "youth-cbo-review";
	case REG_DUE_CLOSURE_HEARING:
		return "closure-hearing";
	case REG_DUE_RETENTION:
		return "retention-review";
	}
	return "unknown";
}

struct due_ctx {
	struct reg_due	*items;
	size_t		 max, n, total;
	asb_time	 now, horizon;
	int		 has_order;
};

static void
due_push(struct due_ctx *d, const struct reg_view *v, int kind, asb_time when)
{
	d->total++;
	if (d->n == d->max)
		return;
	d->items[d->n].when = when;
	d->items[d->n].kind = kind;
	d->items[d->n].record = v->rec.id;
	d->items[d->n].power = v->rec.power;
	d->items[d->n].subject = v->rec.subject;
	d->n++;
}

static int
note_order(uint64_t linked, int follows_it, void *ctx)
{
	(void)linked;
	if (follows_it)
		*(int *)ctx = 1;
	return follows_it;
}

static int
due_cmp(const void *a, const void *b)
{
	const struct reg_due *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->record < y->record ? -1 : x->record > y->record;
}

int
reg_due(struct reg *r, asb_time now, int64_t within, struct reg_due *ret,
    size_t max, size_t *ret_n, size_t *ret_total, struct asb_errbuf *eb)
{
	struct due_ctx d = { ret, max, 0, 0, now, now + within, 0 };
	struct reg_view view;
	uint64_t *cand = NULL;
	size_t ci, nc = 0;
	asb_time when;
	int err = ASB_OK, live, has_order, isvoid;
	/* A void record is due for nothing but its retention review (void.c). */
	int voids = reg_voids_any(r);

	/* The records the due index says may need attention by the horizon, not every
	 * record (due_index.c); what is listed for each is decided here. */
	if ((err = reg_due_candidates(r, now, d.horizon, &cand, &nc, eb)) != ASB_OK)
		return err;
	for (ci = 0; ci < nc; ci++) {
		if ((err = reg_view_get(r, cand[ci], now, &view, NULL)) == ASB_ENOTFOUND) {
			err = ASB_OK;	/* an entry older than its record's removal */
			continue;
		}
		if (err != ASB_OK && (err = reg_view_get(r, cand[ci], now, &view,
		    eb)) != ASB_OK)
			break;
		isvoid = voids && reg_void_is(r, view.rec.id);
		live = !isvoid && (view.status == SCH_ST_ACTIVE ||
		    view.status == SCH_ST_APPEALED);
		if (live && view.life.expires >= now &&
		    view.life.expires <= d.horizon)
			due_push(&d, &view, REG_DUE_EXPIRY, view.life.expires);
		when = isvoid ? 0 : sch_due_youth_review(&view.use, &view.life, now);
		if (when != 0 && when <= d.horizon)
			due_push(&d, &view, REG_DUE_YOUTH_REVIEW, when);
		/* Listed until an order follows or the notice is cancelled: a
		 * lapsed notice's hearing is the most urgent. */
		if (!isvoid && view.rec.power == SCH_CLOSURE_NOTICE &&
		    (when = sch_due_closure_hearing(&view.use,
		    &view.life)) != 0 && when <= d.horizon) {
			has_order = 0;
			if ((err = reg_linked_each(r, view.rec.id, note_order,
			    &has_order, eb)) != ASB_OK)
				break;
			if (!has_order)
				due_push(&d, &view, REG_DUE_CLOSURE_HEARING,
				    when);
		}
		when = reg_review_due(r, &view, now);
		if (when != 0 && when <= d.horizon)
			due_push(&d, &view, REG_DUE_RETENTION, when);
	}
	free(cand);
	if (err != ASB_OK)
		return err;
	qsort(d.items, d.n, sizeof(*d.items), due_cmp);
	*ret_n = d.n;
	*ret_total = d.total;
	return ASB_OK;
}

/* Walk an index whose keys are a group (glen bytes: a subject or an LSOA) with entries issued
 * (8) + record (8), counting each group's records issued on or after since. */
static int
repeat_walk(struct reg *r, enum reg_db db, size_t glen, asb_time since,
    uint64_t min, int (*fn)(const struct reg_repeat *, void *), void *ctx,
    int *stopped, struct asb_errbuf *eb)
{
	struct reg_repeat cur;
	struct reg_subject s;
	unsigned char group[16];
	MDB_cursor *c;
	MDB_val k, v;
	asb_time t;
	int rc, err = ASB_OK, have = 0, last;
	int voids = reg_voids_any(r);	/* void records count for nothing */

	if ((rc = mdb_cursor_open(r->txn, r->dbi[db], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "repeat");
	memset(&cur, 0, sizeof(cur));
	rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
	for (;;) {
		last = rc != 0 || k.mv_size != glen || v.mv_size != 16;
		if (have && (last || memcmp(k.mv_data, group, glen) != 0)) {
			if (cur.count >= min) {
				if (db == DB_IX_SUBJECT) {
					uint64_t id = reg_get_u64(group);

					if ((err = reg_subject_get(r, id, &s,
					    eb)) != ASB_OK)
						break;
					cur.kind = s.kind;
					reg_subject_id(id, cur.key);
				} else {
					memcpy(cur.key, group, glen);
					cur.key[glen] = '\0';
					cur.kind = 0;
				}
				if (fn(&cur, ctx) != 0) {
					*stopped = 1;
					break;
				}
			}
			have = 0;
		}
		if (last)
			break;
		if (!have) {
			memcpy(group, k.mv_data, glen);
			memset(&cur, 0, sizeof(cur));
			have = 1;
		}
		t = reg_get_time(v.mv_data);
		if (t >= since && !(voids && reg_void_is(r, reg_get_u64(
		    (unsigned char *)v.mv_data + 8)))) {
			if (cur.count == 0 || t < cur.first)
				cur.first = t;
			if (t > cur.last)
				cur.last = t;
			cur.count++;
		}
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
	}
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "repeat");
	mdb_cursor_close(c);
	return err;
}

int
reg_subject_records(struct reg *r, uint64_t subject, asb_time since,
    asb_time until, uint64_t *ret, struct asb_errbuf *eb)
{
	unsigned char kb[8], from[16];
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t n = 0;
	int rc, voids = reg_voids_any(r);

	reg_put_u64(kb, subject);
	reg_put_time(from, since);
	memset(from + 8, 0, 8);
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_SUBJECT], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "subject index");
	for (rc = reg_dup_seek(c, kb, 8, from, 16, &k, &v); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
		if (v.mv_size != 16 || reg_get_time(v.mv_data) >= until)
			break;
		if (!(voids && reg_void_is(r, reg_get_u64((unsigned char *)v.mv_data +
		    8))))
			n++;
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "subject index");
	*ret = n;
	return ASB_OK;
}

int
reg_repeat(struct reg *r, asb_time since, uint64_t min,
    int (*fn)(const struct reg_repeat *, void *), void *ctx,
    struct asb_errbuf *eb)
{
	int err, stopped = 0;

	if (min == 0)
		min = 1;
	err = repeat_walk(r, DB_IX_SUBJECT, 8, since, min, fn, ctx, &stopped,
	    eb);
	if (err != ASB_OK || stopped)
		return err;
	return repeat_walk(r, DB_IX_LSOA, 9, since, min, fn, ctx, &stopped, eb);
}
