/*
 * record.c - uses of powers and their lifecycle events.  A record is written once; what
 * happens to it afterwards is appended as events, and its current state (expiry, end, status)
 * is derived from them by the rules module, never stored.
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "internal.h"

/* Add an index entry: the key, and the data as a sorted duplicate of it. */
static int
put_dup(struct reg *r, enum reg_db db, const unsigned char *key, size_t klen,
    const unsigned char *data, size_t dlen, const char *what,
    struct asb_errbuf *eb)
{
	MDB_val k = { klen, (void *)key }, v = { dlen, (void *)data };
	int rc;

	if ((rc = mdb_put(r->txn, r->dbi[db], &k, &v, 0)) != 0)
		return reg_lmdb_fail(eb, rc, what);
	return ASB_OK;
}

int
reg_record_get(struct reg *r, uint64_t id, struct reg_record *ret,
    struct asb_errbuf *eb)
{
	MDB_val k = { sizeof(id), &id }, v;
	char ids[REG_ID_BUF];
	int rc;

	rc = mdb_get(r->txn, r->dbi[DB_RECORDS], &k, &v);
	if (rc == MDB_NOTFOUND)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: no such record",
		    reg_record_id(id, ids));
	if (rc != 0)
		return reg_lmdb_fail(eb, rc, "record");
	if (reg_dec_record(v.mv_data, v.mv_size, ret) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: stored record is "
		    "damaged", reg_record_id(id, ids));
	ret->id = id;	/* the key, not repeated in the value */
	return ASB_OK;
}

int
reg_record_by_ref(struct reg *r, const char *ref, uint64_t *ret_id,
    struct asb_errbuf *eb)
{
	MDB_val k = { strlen(ref), (void *)ref }, v;
	int rc;

	if (k.mv_size == 0)
		return ASB_ENOTFOUND;
	rc = mdb_get(r->txn, r->dbi[DB_IX_REF], &k, &v);
	if (rc == MDB_NOTFOUND)
		return ASB_ENOTFOUND;
	if (rc != 0 || v.mv_size != 8)
		return reg_lmdb_fail(eb, rc ? rc : MDB_CORRUPTED, "reference");
	*ret_id = reg_get_u64(v.mv_data);
	return ASB_OK;
}

int
reg_event_each(struct reg *r, uint64_t record,
    int (*fn)(const struct reg_event *, void *), void *ctx,
    struct asb_errbuf *eb)
{
	unsigned char kb[12];
	MDB_cursor *c;
	MDB_val k = { 12, kb }, v;
	struct reg_event ev;
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
			err = asb_fail(eb, ASB_EIO, NULL, "stored event is "
			    "damaged");
			break;
		}
		if (fn(&ev, ctx) != 0)
			break;
	}
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "events");
	mdb_cursor_close(c);
	return err;
}

struct life_ctx {
	struct sch_life	*life;
	uint32_t	 last;
};

static int
life_fold(const struct reg_event *ev, void *ctx)
{
	struct life_ctx *lc = ctx;
	struct sch_event_fact e = { ev->kind, ev->date, ev->until, ev->rank,
	    ev->amount };

	sch_life_apply(lc->life, &e);
	lc->last = ev->seq;
	return 0;
}

int
reg_life_build(struct reg *r, const struct reg_record *rec,
    const struct sch_use *u, struct sch_life *ret, struct asb_errbuf *eb)
{
	struct life_ctx lc = { ret, 0 };

	sch_life_init(ret, u);
	return reg_event_each(r, rec->id, life_fold, &lc, eb);
}

/* The local midnight starting the day a person turns 18 (s28 reviews), 0 when unknown; as
 * asb_age_at counts it (born on 29 February: 1 March in a common year). */
static asb_time
adult_on(asb_day dob)
{
	char d[16];
	asb_time t;

	if (dob == 0 || asb_time_parse(asb_day_format(dob, d, sizeof(d)), &t) == -1)
		return 0;
	t = asb_time_add_months(t, 18 * 12);
	if (asb_age_at(dob, t) < 18)
		t = asb_time_add_days(t, 1);
	return t;
}

int
reg_use_build(struct reg *r, const struct reg_record *rec, struct sch_use *u,
    struct reg_subject *ret_subject, struct asb_errbuf *eb)
{
	struct reg_subject local, *sp = ret_subject ? ret_subject : &local;
	struct reg_record link;
	struct sch_use lu;
	struct sch_life ll;
	int err;

	memset(u, 0, sizeof(*u));
	u->power = rec->power;
	u->agency = rec->agency;
	u->rank = rec->rank;
	u->issued = rec->issued;
	u->served = rec->served;
	u->expires = rec->expires;
	u->age = -1;
	u->link_power = -1;
	if ((err = reg_subject_get(r, rec->subject, sp, eb)) != ASB_OK)
		return err;
	u->subject_kind = sp->kind;
	if (sp->kind == SCH_PERSON) {
		u->age = asb_age_at(sp->dob, rec->issued);
		u->adult_on = adult_on(sp->dob);
	}
	if (rec->link == 0)
		return ASB_OK;
	if ((err = reg_record_get(r, rec->link, &link, eb)) != ASB_OK)
		return err;
	u->link_power = link.power;
	u->link_same_subject = link.subject == rec->subject;
	u->link_issued = link.issued;
	/* The linked record's life: its current expiry and whether it ended. */
	memset(&lu, 0, sizeof(lu));
	lu.issued = link.issued;
	lu.served = link.served;
	lu.expires = link.expires;
	if ((err = reg_life_build(r, &link, &lu, &ll, eb)) != ASB_OK)
		return err;
	u->link_served = ll.served;
	u->link_expires = ll.expires;
	u->link_ended = ll.ended;
	u->link_cancelled = ll.ended != 0 && ll.end_event == SCH_EV_REVOKED;
	return ASB_OK;
}

int
reg_view_get(struct reg *r, uint64_t id, asb_time now, struct reg_view *ret,
    struct asb_errbuf *eb)
{
	int err;

	if ((err = reg_record_get(r, id, &ret->rec, eb)) != ASB_OK)
		return err;
	return reg_view_of(r, &ret->rec, now, ret, NULL, eb);
}

int
reg_view_of(struct reg *r, const struct reg_record *rec, asb_time now,
    struct reg_view *ret, struct reg_subject *ret_subject,
    struct asb_errbuf *eb)
{
	int err;

	if (rec != &ret->rec)
		ret->rec = *rec;
	if ((err = reg_use_build(r, &ret->rec, &ret->use, ret_subject,
	    eb)) != ASB_OK ||
	    (err = reg_life_build(r, &ret->rec, &ret->use, &ret->life,
	    eb)) != ASB_OK)
		return err;
	ret->use.rank = ret->rec.rank;
	ret->status = sch_life_status(&ret->life, now);
	return ASB_OK;
}

/* Find the latest record of power prior to the same subject issued before rec: the CPW a CPN
 * needs (s43(5)), the closure notice on the same premises a closure order follows (s80). */
static int
find_prior(struct reg *r, const struct reg_record *rec, int prior,
    uint64_t *ret, struct asb_errbuf *eb)
{
	unsigned char kb[8], from[16];
	MDB_cursor *c;
	MDB_val k, v;
	struct reg_record cand;
	int rc, err = ASB_ENOTFOUND;

	/* Walk this subject's records backwards from the CPN's issue time. */
	reg_put_u64(kb, rec->subject);
	reg_put_time(from, rec->issued);
	memset(from + 8, 0, 8);
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_SUBJECT], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "subject index");
	rc = reg_dup_seek(c, kb, 8, from, 16, &k, &v);
	if (rc == 0)
		rc = mdb_cursor_get(c, &k, &v, MDB_PREV_DUP);
	else if (rc == MDB_NOTFOUND) {
		/* Nothing at or after the CPN: start from the subject's last. */
		k.mv_size = 8;
		k.mv_data = kb;
		rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
		if (rc == 0)
			rc = mdb_cursor_get(c, &k, &v, MDB_LAST_DUP);
	}
	for (; rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_PREV_DUP)) {
		if (v.mv_size != 16)
			break;
		if ((err = reg_record_get(r, reg_get_u64((unsigned char *)
		    v.mv_data + 8), &cand, eb)) != ASB_OK)
			break;
		err = ASB_ENOTFOUND;
		if (cand.power == prior && cand.issued < rec->issued &&
		    !reg_void_is(r, cand.id)) {
			*ret = cand.id;
			err = ASB_OK;
			break;
		}
	}
	mdb_cursor_close(c);
	return err;
}

struct followers {
	struct reg	*r;
	int		 power;
	unsigned	 n;
	int		 err;
	struct asb_errbuf *eb;
};

static int
note_follower(uint64_t linked, int follows_it, void *ctx)
{
	struct followers *fw = ctx;
	struct reg_record cand;

	if (!follows_it)
		return 0;
	if ((fw->err = reg_record_get(fw->r, linked, &cand, fw->eb)) != ASB_OK)
		return 1;
	fw->n += cand.power == fw->power;
	return 0;
}

/* How many records of rec's power already follow the record rec links to (R-CLO-007). */
static int
count_followers(struct reg *r, const struct reg_record *rec, unsigned *ret,
    struct asb_errbuf *eb)
{
	struct followers fw = { r, rec->power, 0, ASB_OK, eb };
	int err;

	if ((err = reg_linked_each(r, rec->link, note_follower, &fw, eb)) != ASB_OK)
		return err;
	*ret = fw.n;
	return fw.err;
}

static int
check_codes(const struct reg_record *rec, struct asb_errbuf *eb)
{
	if (rec->power < 0 || rec->power >= SCH_POWER_COUNT)
		return asb_fail(eb, ASB_EUSAGE, NULL, "unknown power");
	if (rec->agency < 0 ||
	    (unsigned)rec->agency >= sch_code_count(SCH_LIST_AGENCIES))
		return asb_fail(eb, ASB_EUSAGE, NULL, "unknown agency");
	if (rec->rank[0] != '\0' && sch_rank_level(rec->rank) < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: unknown rank (see "
		    "'asbreg codes ranks')", rec->rank);
	if (rec->lsoa[0] != '\0' && !sch_lsoa_valid(rec->lsoa))
		return asb_fail(eb, ASB_EUSAGE, NULL, "LSOA must be E01 or W01 "
		    "and six digits");
	if (rec->lad[0] != '\0' && !sch_lad_valid(rec->lad))
		return asb_fail(eb, ASB_EUSAGE, NULL, "local authority must be "
		    "E06, E07, E08, E09 or W06 and six digits");
	if (rec->issued == 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "an issue date is needed");
	return ASB_OK;
}

/* Turn findings into the command's error: the first error names its rule. */
static int
refuse(const struct sch_findings *f, struct asb_errbuf *eb)
{
	unsigned i;

	for (i = 0; i < f->n; i++)
		if (!f->item[i].warning)
			return asb_fail(eb, ASB_ERULE, f->item[i].rule, "%s",
			    f->item[i].msg);
	return ASB_OK;
}

/* A subject whose processing is restricted (DPA 2018 s47) gets nothing new. */
static int
not_restricted(const struct reg_subject *s, struct asb_errbuf *eb)
{
	char id[REG_ID_BUF];

	if (s->restricted == 0)
		return ASB_OK;
	return asb_fail(eb, ASB_ERULE, "R-DPA-001", "processing of %s is restricted (%s): "
	    "nothing new may be recorded about them until 'asbreg restrict %s --lift'",
	    reg_subject_id(s->id, id), s->restrict_reason[0] ? s->restrict_reason :
	    "no reason given", id);
}

int
reg_record_add(struct reg *r, struct reg_record *rec, const char *user,
    asb_time now, struct sch_findings *findings, struct asb_errbuf *eb)
{
	struct sch_findings local;
	struct sch_use u;
	unsigned char buf[REG_ENC_MAX], kb[32], entry[16];
	MDB_val k, v;
	char ids[REG_ID_BUF];
	const char *lsoa;
	struct reg_subject s;
	int err, rc;

	if (findings == NULL)
		findings = &local;
	memset(findings, 0, sizeof(*findings));
	if ((err = check_codes(rec, eb)) != ASB_OK ||
	    (err = reg_correct_check_add(r, rec, eb)) != ASB_OK)	/* void.c */
		return err;
	if (rec->link == 0 && sch_power_follows(rec->power) >= 0 &&
	    rec->power != SCH_DISP_DIR) {
		err = find_prior(r, rec, sch_power_follows(rec->power), &rec->link,
		    eb);
		if (err != ASB_OK && err != ASB_ENOTFOUND)
			return err;
	}
	if ((err = reg_use_build(r, rec, &u, &s, eb)) != ASB_OK ||
	    (err = reg_commence_get(r, rec->power, &u.commenced, eb)) != ASB_OK)
		return err;
	if (rec->link != 0 && rec->power == SCH_CLOSURE_ORDER &&
	    (err = count_followers(r, rec, &u.link_followers, eb)) != ASB_OK)
		return err;
	if ((err = not_restricted(&s, eb)) != ASB_OK)
		return err;
	sch_check_use(&u, now, findings);
	if (findings->errors > 0)
		return refuse(findings, eb);

	if ((err = reg_next(r, SEQ_RECORD, &rec->id, eb)) != ASB_OK)
		return err;
	rec->created = now;
	snprintf(rec->created_by, sizeof(rec->created_by), "%s", user);
	k.mv_size = sizeof(rec->id);
	k.mv_data = &rec->id;
	if ((v.mv_size = reg_enc_record(rec, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "record too large");
	v.mv_data = buf;
	if ((rc = mdb_put(r->txn, r->dbi[DB_RECORDS], &k, &v, MDB_APPEND)) != 0)
		return reg_lmdb_fail(eb, rc, "record");

	/* Every index entry of a record: when it was issued, and which it is. */
	reg_put_time(entry, rec->issued);
	reg_put_u64(entry + 8, rec->id);
	reg_put_u64(kb, rec->subject);
	if ((err = put_dup(r, DB_IX_SUBJECT, kb, 8, entry, 16, "subject index",
	    eb)) != ASB_OK)
		return err;
	kb[0] = (unsigned char)rec->power;
	if ((err = put_dup(r, DB_IX_TYPE, kb, 1, entry, 16, "type index",
	    eb)) != ASB_OK)
		return err;
	lsoa = rec->lsoa;
	if (lsoa[0] == '\0') {
		if ((err = reg_subject_get(r, rec->subject, &s, eb)) != ASB_OK)
			return err;
		lsoa = s.lsoa;
	}
	if (lsoa[0] != '\0' && (err = put_dup(r, DB_IX_LSOA,
	    (const unsigned char *)lsoa, 9, entry, 16, "location index",
	    eb)) != ASB_OK)
		return err;
	if (rec->link != 0) {
		reg_put_u64(kb, rec->link);
		if ((err = put_dup(r, DB_IX_LINK, kb, 8, entry + 8, 8,
		    "link index", eb)) != ASB_OK)
			return err;
	}
	if (rec->ref[0] != '\0') {
		reg_put_u64(kb, rec->id);
		k.mv_size = strlen(rec->ref);
		k.mv_data = rec->ref;
		v.mv_size = 8;
		v.mv_data = kb;
		/* The reference is unique: the put itself finds a duplicate, and
		 * the caller's abort takes back what this call wrote before it. */
		rc = mdb_put(r->txn, r->dbi[DB_IX_REF], &k, &v, MDB_NOOVERWRITE);
		if (rc == MDB_KEYEXIST)
			return asb_fail(eb, ASB_ECONFLICT, NULL, "reference %s is "
			    "already recorded as %s", rec->ref,
			    reg_record_id(reg_get_u64(v.mv_data), ids));
		if (rc != 0)
			return reg_lmdb_fail(eb, rc, "reference index");
	}
	return reg_due_index_add(r, rec, eb);
}

/* The sequence number of a record's last event, 0 when it has none. */
static int
last_event_seq(struct reg *r, uint64_t record, uint32_t *ret,
    struct asb_errbuf *eb)
{
	unsigned char kb[12];
	MDB_cursor *c;
	MDB_val k = { 12, kb }, v;
	int rc;

	*ret = 0;
	reg_put_u64(kb, record + 1);
	memset(kb + 8, 0, 4);
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_EVENTS], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "events");
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	rc = rc == 0 ? mdb_cursor_get(c, &k, &v, MDB_PREV) :
	    mdb_cursor_get(c, &k, &v, MDB_LAST);
	if (rc == 0 && k.mv_size == 12 && reg_get_u64(k.mv_data) == record) {
		const unsigned char *p = (const unsigned char *)k.mv_data + 8;

		*ret = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "events");
	return ASB_OK;
}

int
reg_event_add(struct reg *r, struct reg_event *ev, const char *user,
    asb_time now, struct sch_findings *findings, struct asb_errbuf *eb)
{
	struct sch_findings local;
	struct reg_view view;
	struct sch_event_fact e;
	unsigned char buf[REG_ENC_MAX], kb[12];
	MDB_val k = { 12, kb }, v;
	uint32_t seq;
	int err, rc;

	if (findings == NULL)
		findings = &local;
	memset(findings, 0, sizeof(*findings));
	if (ev->kind < 0 || ev->kind >= SCH_EV_COUNT)
		return asb_fail(eb, ASB_EUSAGE, NULL, "unknown event kind");
	if (ev->outcome[0] != '\0' &&
	    sch_code_index(SCH_LIST_OUTCOMES, ev->outcome) < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: unknown outcome "
		    "(see 'asbreg codes outcomes')", ev->outcome);
	if (ev->rank[0] != '\0' && sch_rank_level(ev->rank) < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: unknown rank (see "
		    "'asbreg codes ranks')", ev->rank);
	if ((err = reg_view_get(r, ev->record, now, &view, eb)) != ASB_OK ||
	    (err = reg_correct_check_event(r, ev->record, eb)) != ASB_OK)	/* void.c */
		return err;
	{
		struct reg_subject subj;

		if ((err = reg_subject_get(r, view.rec.subject, &subj, eb)) != ASB_OK ||
		    (err = not_restricted(&subj, eb)) != ASB_OK)
			return err;
	}
	e.kind = ev->kind;
	e.date = ev->date;
	e.until = ev->until;
	e.rank = ev->rank;
	e.amount = ev->amount;
	sch_check_event(&view.use, &view.life, &e, now, findings);
	if (findings->errors > 0)
		return refuse(findings, eb);
	if ((err = last_event_seq(r, ev->record, &seq, eb)) != ASB_OK)
		return err;
	if (seq + 1 > ASB_MAX_EVENTS)
		return asb_fail(eb, ASB_ERULE, "R-GEN-009", "a record holds at "
		    "most %d events", ASB_MAX_EVENTS);
	ev->seq = seq + 1;
	ev->created = now;
	snprintf(ev->created_by, sizeof(ev->created_by), "%s", user);
	reg_put_u64(kb, ev->record);
	kb[8] = (unsigned char)(ev->seq >> 24);
	kb[9] = (unsigned char)(ev->seq >> 16);
	kb[10] = (unsigned char)(ev->seq >> 8);
	kb[11] = (unsigned char)ev->seq;
	if ((v.mv_size = reg_enc_event(ev, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "event too large");
	v.mv_data = buf;
	if ((rc = mdb_put(r->txn, r->dbi[DB_EVENTS], &k, &v,
	    MDB_NOOVERWRITE)) != 0)
		return reg_lmdb_fail(eb, rc, "event");
	return reg_due_index_put(r, ev->record, eb);	/* its dates may have moved */
}

int
reg_linked_each(struct reg *r, uint64_t id,
    int (*fn)(uint64_t linked, int follows_it, void *), void *ctx,
    struct asb_errbuf *eb)
{
	struct reg_record rec;
	unsigned char kb[8];
	MDB_cursor *c;
	MDB_val k = { 8, kb }, v;
	int err, rc;

	if ((err = reg_record_get(r, id, &rec, eb)) != ASB_OK)
		return err;
	if (rec.link != 0 && fn(rec.link, 0, ctx) != 0)
		return ASB_OK;
	reg_put_u64(kb, id);
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_LINK], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "link index");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
		if (v.mv_size != 8)
			break;
		if (fn(reg_get_u64(v.mv_data), 1, ctx) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "link index");
	return ASB_OK;
}
