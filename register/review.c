/*
 * review.c - the retention review (R-RET-001, MoPI group 3): once a record's life has been
 * over for the review period, someone decides to keep it for another period or to dispose of
 * it.  Disposal erases the personal data - who issued it, the conditions as written,
 * references, every event's note and officer - and keeps the statistical facts: the power,
 * dates, agency, rank, area codes, event kinds and outcomes (what the returns already carry,
 * pseudonymised).  When every record about a subject has been disposed of, the subject's
 * identity goes too: name, PNC ID, UPRN and the identity index entries; the date of birth is
 * kept only as its year (the 1st of July), which is all an age band needs.
 *
 * Decisions are kept in the meta data as "review/ID" -> "retain|dispose TIME", so the format
 * of records does not change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "num.h"
#include "rules.h"

#define REVIEW_PREFIX	"review/"

static void
review_key(uint64_t id, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%016llx", REVIEW_PREFIX, (unsigned long long)id);
}

int
reg_review_get(struct reg *r, uint64_t id, int *decision, asb_time *when,
    struct asb_errbuf *eb)
{
	char key[40], val[48], *sp;
	int64_t t;
	const char *why;
	int err;

	review_key(id, key, sizeof(key));
	*decision = REG_REVIEW_NONE;
	*when = 0;
	if ((err = reg_meta_get_str(r, key, val, sizeof(val), eb)) == ASB_ENOTFOUND)
		return ASB_OK;
	if (err != ASB_OK)
		return err;
	if ((sp = strchr(val, ' ')) == NULL ||
	    asb_strtonum(sp + 1, INT64_MIN, INT64_MAX, &t, &why) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "review of record %llu: damaged",
		    (unsigned long long)id);
	*sp = '\0';
	*decision = strcmp(val, "dispose") == 0 ? REG_REVIEW_DISPOSE : REG_REVIEW_RETAIN;
	*when = (asb_time)t;
	return ASB_OK;
}

static int
review_put(struct reg *r, uint64_t id, int decision, asb_time when, struct asb_errbuf *eb)
{
	char key[40], val[48];

	review_key(id, key, sizeof(key));
	snprintf(val, sizeof(val), "%s %lld", decision == REG_REVIEW_DISPOSE ? "dispose" :
	    "retain", (long long)when);
	if (reg_meta_put_str(r, key, val, eb) != ASB_OK)
		return ASB_EIO;
	return reg_due_index_put(r, id, eb);	/* its next review moved, or went */
}

asb_time
reg_review_due(struct reg *r, const struct reg_view *v, asb_time now)
{
	const struct sch_rule *rule = sch_rule_find("R-RET-001", v->use.power, v->use.issued);
	asb_time due = sch_due_retention(&v->use, &v->life, now);
	asb_time when;
	int decision;
	struct reg_void vd;

	if (reg_void_get(r, v->rec.id, &vd, NULL) == ASB_OK)
		return reg_void_review_due(r, v, &vd);	/* void.c */
	if (due == 0 || reg_review_get(r, v->rec.id, &decision, &when, NULL) != ASB_OK)
		return due;
	if (decision == REG_REVIEW_DISPOSE)
		return 0;
	if (decision == REG_REVIEW_RETAIN && rule != NULL) {
		asb_time next = sch_rule_add(rule, when);

		if (next > due)
			due = next;
	}
	return due;
}

static int
put_record(struct reg *r, const struct reg_record *rec, struct asb_errbuf *eb)
{
	unsigned char buf[REG_ENC_MAX];
	MDB_val k, v;
	size_t len;
	int rc;

	if ((len = reg_enc_record(rec, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "record too large");
	k.mv_size = sizeof(rec->id);
	k.mv_data = (void *)&rec->id;
	v.mv_size = len;
	v.mv_data = buf;
	if ((rc = mdb_put(r->txn, r->dbi[DB_RECORDS], &k, &v, 0)) != 0)
		return reg_lmdb_fail(eb, rc, "record");
	return ASB_OK;
}

/* Clear each event's note and officers, in place. */
static int
erase_events(struct reg *r, uint64_t record, uint64_t *n, struct asb_errbuf *eb)
{
	unsigned char kb[12], buf[REG_ENC_MAX];
	MDB_cursor *c;
	MDB_val k = { 12, kb }, v;
	struct reg_event ev;
	size_t len;
	int rc, err = ASB_OK;

	reg_put_u64(kb, record);
	memset(kb + 8, 0, 4);
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_EVENTS], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "events");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 12 || reg_get_u64(k.mv_data) != record)
			break;
		if (reg_dec_event(v.mv_data, v.mv_size, &ev) == -1) {
			err = asb_fail(eb, ASB_EIO, NULL, "stored event is damaged");
			break;
		}
		ev.note[0] = ev.by[0] = ev.created_by[0] = '\0';
		if ((len = reg_enc_event(&ev, buf, sizeof(buf))) == 0) {
			err = asb_fail(eb, ASB_EIO, NULL, "event too large");
			break;
		}
		v.mv_size = len;
		v.mv_data = buf;
		if ((rc = mdb_cursor_put(c, &k, &v, MDB_CURRENT)) != 0) {
			err = reg_lmdb_fail(eb, rc, "event");
			break;
		}
		(*n)++;
	}
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "events");
	mdb_cursor_close(c);
	return err;
}

/* Has every record about the subject been disposed of (the one being disposed counts)? */
static int
all_disposed(struct reg *r, uint64_t subject, uint64_t now_disposed, int *all,
    struct asb_errbuf *eb)
{
	unsigned char kb[8];
	MDB_cursor *c;
	MDB_val k = { 8, kb }, v;
	int rc, err = ASB_OK, decision;
	asb_time when;
	uint64_t id;
	size_t i;

	*all = 1;
	reg_put_u64(kb, subject);
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_SUBJECT], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "subject index");
	rc = mdb_cursor_get(c, &k, &v, MDB_SET);
	if (rc == 0)
		rc = mdb_cursor_get(c, &k, &v, MDB_GET_MULTIPLE);
	while (rc == 0 && *all) {
		for (i = 0; i + 16 <= v.mv_size && *all; i += 16) {
			id = reg_get_u64((const unsigned char *)v.mv_data + i + 8);
			if (id == now_disposed)
				continue;
			if ((err = reg_review_get(r, id, &decision, &when, eb)) != ASB_OK)
				break;
			*all = decision == REG_REVIEW_DISPOSE;
		}
		if (err != ASB_OK)
			break;
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_MULTIPLE);
	}
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "subject index");
	mdb_cursor_close(c);
	return err;
}

int
reg_review(struct reg *r, uint64_t id, int decision, asb_time now,
    struct reg_review_result *res, struct asb_errbuf *eb)
{
	struct reg_view view;
	struct reg_subject s;
	asb_time due, when;
	MDB_val k;
	int err, all, rc, old;

	memset(res, 0, sizeof(*res));
	if ((err = reg_view_get(r, id, now, &view, eb)) != ASB_OK)
		return err;
	if ((err = reg_review_get(r, id, &old, &when, eb)) != ASB_OK)
		return err;
	if (old == REG_REVIEW_DISPOSE)
		return asb_fail(eb, ASB_ECONFLICT, NULL, "record %llu was disposed of already",
		    (unsigned long long)id);
	due = reg_review_due(r, &view, now);
	if (due == 0 || due > now) {
		char b[ASB_TIME_BUF];

		return asb_fail(eb, ASB_ERULE, "R-RET-002", "the record is not due for its "
		    "retention review%s%s: its life has not been over for the review "
		    "period (R-RET-001)", due ? " until " : "", due ? asb_time_iso(due, b,
		    sizeof(b)) : "");
	}
	res->due = due;
	if (decision == REG_REVIEW_RETAIN)
		return review_put(r, id, REG_REVIEW_RETAIN, now, eb);

	/* dispose: the record's personal data */
	if (view.rec.ref[0] != '\0') {
		k.mv_size = strlen(view.rec.ref);
		k.mv_data = view.rec.ref;
		if ((rc = mdb_del(r->txn, r->dbi[DB_IX_REF], &k, NULL)) != 0 &&
		    rc != MDB_NOTFOUND)
			return reg_lmdb_fail(eb, rc, "reference index");
	}
	view.rec.by[0] = view.rec.authorised_by[0] = view.rec.incident[0] = '\0';
	view.rec.ref[0] = view.rec.conditions[0] = view.rec.created_by[0] = '\0';
	if ((err = put_record(r, &view.rec, eb)) != ASB_OK ||
	    (err = erase_events(r, id, &res->events, eb)) != ASB_OK ||
	    (err = reg_void_erase(r, id, eb)) != ASB_OK ||	/* void.c */
	    (err = review_put(r, id, REG_REVIEW_DISPOSE, now, eb)) != ASB_OK)
		return err;
	/* and the subject's identity, when nothing else is kept about them */
	if ((err = all_disposed(r, view.rec.subject, id, &all, eb)) != ASB_OK || !all)
		return err;
	if ((err = reg_subject_get(r, view.rec.subject, &s, eb)) != ASB_OK)
		return err;
	if ((err = reg_subject_identity_put(r, &s, 1, eb)) != ASB_OK)
		return err;
	snprintf(s.name, sizeof(s.name), "[erased]");
	s.pnc[0] = s.uprn[0] = '\0';
	if (s.dob != 0)
		s.dob = s.dob / 10000 * 10000 + 701;	/* YYYYMMDD: the year alone */
	if ((err = reg_subject_put(r, &s, eb)) != ASB_OK ||
	    (err = reg_merged_erase(r, s.id, eb)) != ASB_OK)	/* merge.c */
		return err;
	res->subject_erased = s.id;
	return ASB_OK;
}
