/*
 * check_register_correct.c - putting mistakes right in the register library (void.c,
 * merge.c), linked into check_register as its "correct" test case: a void record leaves
 * lists, repeat counts and due (but for its retention review) and stays readable; what a void
 * refuses; an identical record found; a merge moves records and their location, resolves the
 * old ID, points its identity at the subject kept and refuses what it must; retention erases
 * a merged identity with the one kept; the encodings refuse damaged bytes; who may do either.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codes.h"
#include "internal.h"
#include "reg.h"

TCase	*correct_tcase(void);

static char dir[64];
static struct reg *R;
static struct asb_errbuf eb;

static asb_time
T(const char *s)
{
	asb_time t = 0;

	ck_assert_msg(asb_time_parse(s, &t) == 0, "bad test time %s", s);
	return t;
}

#define NOW	T("2026-11-01T12:00")

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/asbreg-correct-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(reg_init(dir, "E23000011", "tester", NOW, &eb), ASB_OK);
	ck_assert_int_eq(reg_open(dir, &R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
}

static void
teardown(void)
{
	static const char *const files[] = { "data.mdb", "lock.mdb", "force.key" };
	char p[128];
	size_t i;

	reg_close(R);
	R = NULL;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static uint64_t
subject(int kind, const char *name, const char *dob, const char *lsoa)
{
	struct reg_subject s;

	memset(&s, 0, sizeof(s));
	s.kind = kind;
	snprintf(s.name, sizeof(s.name), "%s", name);
	if (dob != NULL)
		ck_assert_int_eq(asb_day_parse(dob, &s.dob), 0);
	snprintf(s.lsoa, sizeof(s.lsoa), "%s", lsoa);
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_OK);
	return s.id;
}

static int
add(int power, uint64_t subj, const char *issued, const char *expires, uint64_t *ret)
{
	struct reg_record rec;
	int err;

	reg_record_defaults(&rec);
	rec.power = power;
	rec.subject = subj;
	rec.issued = T(issued);
	rec.expires = expires != NULL ? T(expires) : 0;
	if (power == SCH_CLOSURE_NOTICE)
		snprintf(rec.rank, sizeof(rec.rank), "inspector");
	err = reg_record_add(R, &rec, "tester", NOW, NULL, &eb);
	if (ret != NULL)
		*ret = err == ASB_OK ? rec.id : 0;
	return err;
}

static int
count_one(const struct reg_view *v, void *ctx)
{
	(void)v;
	(*(int *)ctx)++;
	return 0;
}

static int
listed(uint64_t subj, int voided)
{
	struct reg_filter f = { -1, -1, subj, 0, 0, voided };
	int n = 0;

	ck_assert_int_eq(reg_list(R, &f, NOW, count_one, &n, &eb), ASB_OK);
	return n;
}

struct rep {
	uint64_t	 subject;
	char		 lsoa[10];
	uint64_t	 n_subject, n_lsoa;
};

static int
rep_one(const struct reg_repeat *rp, void *ctx)
{
	struct rep *r = ctx;
	uint64_t id;

	if (rp->kind != 0 && reg_id_parse(rp->key, 'S', &id) == 0 && id == r->subject)
		r->n_subject = rp->count;
	if (rp->kind == 0 && strcmp(rp->key, r->lsoa) == 0)
		r->n_lsoa = rp->count;
	return 0;
}

static struct rep
repeat_of(uint64_t subj, const char *lsoa)
{
	struct rep r;

	memset(&r, 0, sizeof(r));
	r.subject = subj;
	snprintf(r.lsoa, sizeof(r.lsoa), "%s", lsoa);
	ck_assert_int_eq(reg_repeat(R, T("2026-01-01"), 1, rep_one, &r, &eb), ASB_OK);
	return r;
}

START_TEST(test_void)
{
	struct reg_void vd;
	struct reg_event ev;
	uint64_t p, cpw, cpn;

	p = subject(SCH_PERSON, "Val Void", "1980-01-01", "E01007321");
	ck_assert_int_eq(add(SCH_CPW, p, "2026-03-01", NULL, &cpw), ASB_OK);
	ck_assert_int_eq(add(SCH_CPN, p, "2026-04-01", NULL, &cpn), ASB_OK);
	ck_assert_int_eq(reg_voids_any(R), 0);
	/* a record that a live one follows goes second */
	ck_assert_int_eq(reg_record_void(R, cpw, "sup", NOW, "wrong", &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-VOID-001");
	ck_assert_int_eq(reg_record_void(R, cpn, "sup", NOW, "", &eb), ASB_EUSAGE);
	ck_assert_int_eq(reg_record_void(R, 999, "sup", NOW, "x", &eb), ASB_ENOTFOUND);
	ck_assert_int_eq(reg_void_get(R, cpn, &vd, &eb), ASB_ENOTFOUND);
	ck_assert_int_eq(reg_record_void(R, cpn, "sup", NOW, "typed twice", &eb), ASB_OK);
	ck_assert_int_eq(reg_voids_any(R), 1);
	ck_assert_int_eq(reg_void_get(R, cpn, &vd, &eb), ASB_OK);
	ck_assert_uint_eq(vd.record, cpn);
	ck_assert_int_eq(vd.time, NOW);
	ck_assert_str_eq(vd.user, "sup");
	ck_assert_str_eq(vd.reason, "typed twice");
	ck_assert_int_eq(reg_record_void(R, cpn, "sup", NOW, "again", &eb), ASB_ECONFLICT);
	/* out of lists, in history's */
	ck_assert_int_eq(listed(p, 0), 1);
	ck_assert_int_eq(listed(p, 1), 2);
	/* no events, nothing follows it; its predecessor can go now */
	reg_event_defaults(&ev);
	ev.record = cpn;
	ev.kind = SCH_EV_REVIEWED;
	ev.date = T("2026-05-01");
	ck_assert_int_eq(reg_event_add(R, &ev, "tester", NOW, NULL, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-VOID-002");
	ck_assert_int_eq(reg_record_void(R, cpw, "sup", NOW, "wrong person", &eb), ASB_OK);
	{
		struct reg_record rec;

		reg_record_defaults(&rec);
		rec.power = SCH_CPN;
		rec.subject = p;
		rec.issued = T("2026-05-01");
		rec.link = cpw;
		ck_assert_int_eq(reg_record_add(R, &rec, "t", NOW, NULL, &eb), ASB_ERULE);
		ck_assert_str_eq(eb.rule, "R-VOID-002");
		/* and a CPN finds no void CPW to follow */
		rec.link = 0;
		ck_assert_int_eq(reg_record_add(R, &rec, "t", NOW, NULL, &eb), ASB_ERULE);
		ck_assert_uint_eq(rec.link, 0);
	}
	/* a void aborted with its transaction stores nothing */
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	{
		uint64_t x;

		ck_assert_int_eq(add(SCH_CPW, p, "2026-06-01", NULL, &x), ASB_OK);
		ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
		ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
		ck_assert_int_eq(reg_record_void(R, x, "sup", NOW, "x", &eb), ASB_OK);
		reg_abort(R);
		ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
		ck_assert_int_eq(reg_void_get(R, x, &vd, &eb), ASB_ENOTFOUND);
	}
}
END_TEST

START_TEST(test_void_counts_and_due)
{
	struct reg_due items[16];
	size_t n, total, i;
	uint64_t p, r1, r2, r3, cln, others;
	struct rep rp;
	int found;

	p = subject(SCH_PERSON, "Rita Repeat", "1980-01-01", "E01007400");
	ck_assert_int_eq(add(SCH_CPW, p, "2026-06-01", NULL, &r1), ASB_OK);
	ck_assert_int_eq(add(SCH_CPW, p, "2026-07-01", NULL, &r2), ASB_OK);
	ck_assert_int_eq(add(SCH_CPW, p, "2026-08-01", NULL, &r3), ASB_OK);
	rp = repeat_of(p, "E01007400");
	ck_assert_uint_eq(rp.n_subject, 3);
	ck_assert_uint_eq(rp.n_lsoa, 3);
	ck_assert_int_eq(reg_record_void(R, r2, "sup", NOW, "typed twice", &eb), ASB_OK);
	rp = repeat_of(p, "E01007400");
	ck_assert_uint_eq(rp.n_subject, 2);
	ck_assert_uint_eq(rp.n_lsoa, 2);
	ck_assert_int_eq(reg_subject_records(R, p, T("2026-01-01"), T("2027-01-01"), &others,
	    &eb), ASB_OK);
	ck_assert_uint_eq(others, 2);
	/* due: a closure notice's expiry and hearing, then nothing but its retention review */
	ck_assert_int_eq(add(SCH_CLOSURE_NOTICE, subject(SCH_PREMISES, "1 High St", NULL,
	    "E01007321"), "2026-11-01T10:00", "2026-11-02T10:00", &cln), ASB_OK);
	ck_assert_int_eq(reg_due(R, NOW, 30 * 86400, items, 16, &n, &total, &eb), ASB_OK);
	for (i = 0, found = 0; i < n; i++)
		found += items[i].record == cln;
	ck_assert_int_ge(found, 1);
	ck_assert_int_eq(reg_record_void(R, cln, "sup", NOW, "never happened", &eb), ASB_OK);
	ck_assert_int_eq(reg_due(R, NOW, 30 * 86400, items, 16, &n, &total, &eb), ASB_OK);
	for (i = 0; i < n; i++)
		ck_assert_uint_ne(items[i].record, cln);
	/* six years after the void: its retention review, and only that */
	ck_assert_int_eq(reg_due(R, T("2032-11-02T12:00"), 86400, items, 16, &n, &total,
	    &eb), ASB_OK);
	for (i = 0, found = 0; i < n; i++)
		if (items[i].record == cln) {
			ck_assert_int_eq(items[i].kind, REG_DUE_RETENTION);
			found++;
		}
	ck_assert_int_eq(found, 1);
	{
		struct reg_review_result res;

		ck_assert_int_eq(reg_review(R, cln, REG_REVIEW_DISPOSE, T("2032-10-01"),
		    &res, &eb), ASB_ERULE);
		struct reg_void vd;

		ck_assert_int_eq(reg_review(R, cln, REG_REVIEW_DISPOSE,
		    T("2032-11-02T12:00"), &res, &eb), ASB_OK);
		/* the void stays a fact, its who and why go with the personal data */
		ck_assert_int_eq(reg_void_get(R, cln, &vd, &eb), ASB_OK);
		ck_assert_str_eq(vd.reason, "[erased]");
		ck_assert_str_eq(vd.user, "");
		ck_assert_int_eq(vd.time, NOW);
	}
	(void)r1;
	(void)r3;
}
END_TEST

START_TEST(test_same)
{
	struct reg_record rec;
	uint64_t p, r1, r2, got;

	p = subject(SCH_PERSON, "Sam Same", "1980-01-01", "");
	ck_assert_int_eq(add(SCH_CPW, p, "2026-09-01", NULL, &r1), ASB_OK);
	reg_record_defaults(&rec);
	rec.power = SCH_CPW;
	rec.subject = p;
	rec.issued = T("2026-09-01");
	ck_assert_int_eq(reg_record_same(R, &rec, &got, &eb), ASB_OK);
	ck_assert_uint_eq(got, r1);
	rec.id = r1;	/* itself is no duplicate */
	ck_assert_int_eq(reg_record_same(R, &rec, &got, &eb), ASB_ENOTFOUND);
	rec.id = 0;
	rec.issued = T("2026-09-01T00:00:01");
	ck_assert_int_eq(reg_record_same(R, &rec, &got, &eb), ASB_ENOTFOUND);
	rec.issued = T("2026-09-01");
	rec.power = SCH_CPN;
	ck_assert_int_eq(reg_record_same(R, &rec, &got, &eb), ASB_ENOTFOUND);
	rec.power = SCH_CPW;
	rec.subject = subject(SCH_PERSON, "Other", "1981-01-01", "");
	ck_assert_int_eq(reg_record_same(R, &rec, &got, &eb), ASB_ENOTFOUND);
	/* a second use at the same time, then the first voided: the second is found */
	rec.subject = p;
	ck_assert_int_eq(add(SCH_CPW, p, "2026-09-01", NULL, &r2), ASB_OK);
	ck_assert_int_eq(reg_record_void(R, r1, "sup", NOW, "typed twice", &eb), ASB_OK);
	ck_assert_int_eq(reg_record_same(R, &rec, &got, &eb), ASB_OK);
	ck_assert_uint_eq(got, r2);
	ck_assert_int_eq(reg_record_void(R, r2, "sup", NOW, "x", &eb), ASB_OK);
	ck_assert_int_eq(reg_record_same(R, &rec, &got, &eb), ASB_ENOTFOUND);
}
END_TEST

static int
note_merge(const struct reg_merge *m, void *ctx)
{
	*(uint64_t *)ctx = m->duplicate;
	return 0;
}

static int
count_marked(uint64_t record, const struct reg_merge *m, void *ctx)
{
	(void)record;
	ck_assert_str_eq(m->reason, "same person");
	(*(int *)ctx)++;
	return 0;
}

START_TEST(test_merge)
{
	struct reg_subject s;
	struct reg_record rec;
	struct reg_merge m;
	uint64_t keep, dup, shop, r1, r2, r3, got, other;
	struct rep rp;

	keep = subject(SCH_PERSON, "Mary Dup", "1975-03-03", "E01007321");
	dup = subject(SCH_PERSON, "Mary Dupe", "1975-03-04", "E01007401");
	shop = subject(SCH_PREMISES, "1 High St", NULL, "E01007321");
	ck_assert_int_eq(add(SCH_CPW, keep, "2026-02-01", NULL, &r1), ASB_OK);
	ck_assert_int_eq(add(SCH_CPW, dup, "2026-03-01", NULL, &r2), ASB_OK);
	ck_assert_int_eq(add(SCH_CPN, dup, "2026-05-01", NULL, &r3), ASB_OK);
	rp = repeat_of(keep, "E01007321");
	ck_assert_uint_eq(rp.n_subject, 1);
	ck_assert_uint_eq(rp.n_lsoa, 1);
	/* refusals, each storing nothing */
	ck_assert_int_eq(reg_subject_merge(R, keep, dup, "sup", NOW, "", NULL, &eb),
	    ASB_EUSAGE);
	ck_assert_int_eq(reg_subject_merge(R, keep, keep, "sup", NOW, "x", NULL, &eb),
	    ASB_EUSAGE);
	ck_assert_int_eq(reg_subject_merge(R, keep, 999, "sup", NOW, "x", NULL, &eb),
	    ASB_ENOTFOUND);
	ck_assert_int_eq(reg_subject_merge(R, keep, shop, "sup", NOW, "x", NULL, &eb),
	    ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-MRG-001");
	ck_assert_int_eq(reg_subject_restrict(R, dup, NOW, "contested", &eb), ASB_OK);
	ck_assert_int_eq(reg_subject_merge(R, keep, dup, "sup", NOW, "x", NULL, &eb),
	    ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-DPA-001");
	ck_assert_int_eq(reg_subject_restrict(R, dup, 0, NULL, &eb), ASB_OK);
	ck_assert_int_eq(reg_merge_get(R, dup, &m, &eb), ASB_ENOTFOUND);

	ck_assert_int_eq(reg_subject_merge(R, keep, dup, "sup", NOW, "same person", &m,
	    &eb), ASB_OK);
	ck_assert_uint_eq(m.records, 2);
	ck_assert_uint_eq(m.keep, keep);
	ck_assert_uint_eq(m.duplicate, dup);
	ck_assert_int_eq(reg_merge_get(R, dup, &m, &eb), ASB_OK);
	ck_assert_str_eq(m.reason, "same person");
	ck_assert_str_eq(m.user, "sup");
	ck_assert_int_eq(reg_subject_resolve(R, dup, &got, &eb), ASB_OK);
	ck_assert_uint_eq(got, keep);
	ck_assert_int_eq(reg_subject_resolve(R, keep, &got, &eb), ASB_OK);
	ck_assert_uint_eq(got, keep);
	got = 0;
	ck_assert_int_eq(reg_merged_each(R, keep, note_merge, &got, &eb), ASB_OK);
	ck_assert_uint_eq(got, dup);
	{
		int marked = 0;	/* the two moved and the one kept's own, for asbgw */

		ck_assert_int_eq(reg_merged_records_each(R, count_marked, &marked, &eb),
		    ASB_OK);
		ck_assert_int_eq(marked, 3);
	}
	/* the records moved, their index and location with them */
	ck_assert_int_eq(reg_record_get(R, r3, &rec, &eb), ASB_OK);
	ck_assert_uint_eq(rec.subject, keep);
	ck_assert_int_eq(listed(keep, 1), 3);
	ck_assert_int_eq(listed(dup, 1), 0);
	rp = repeat_of(keep, "E01007321");
	ck_assert_uint_eq(rp.n_subject, 3);
	ck_assert_uint_eq(rp.n_lsoa, 3);
	rp = repeat_of(dup, "E01007401");
	ck_assert_uint_eq(rp.n_subject, 0);
	ck_assert_uint_eq(rp.n_lsoa, 0);
	/* the duplicate's identity finds the subject kept; the duplicate is kept as held */
	ck_assert_int_eq(reg_subject_get(R, dup, &s, &eb), ASB_OK);
	ck_assert_str_eq(s.name, "Mary Dupe");
	s.id = 0;
	ck_assert_int_eq(reg_subject_match(R, &s, &other, &eb), ASB_OK);
	ck_assert_uint_eq(other, keep);
	/* nothing new against the duplicate; no second merge either way */
	ck_assert_int_eq(add(SCH_CPW, dup, "2026-07-01", NULL, NULL), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-MRG-002");
	ck_assert_int_eq(reg_subject_merge(R, keep, dup, "sup", NOW, "x", NULL, &eb),
	    ASB_ECONFLICT);
	ck_assert_int_eq(reg_subject_merge(R, dup, subject(SCH_PERSON, "Third", "1990-01-01",
	    ""), "sup", NOW, "x", NULL, &eb), ASB_ECONFLICT);
	(void)r1;
	(void)r2;
}
END_TEST

START_TEST(test_merge_retention)
{
	struct reg_review_result res;
	struct reg_subject s;
	uint64_t keep, dup, r1, r2, other;

	keep = subject(SCH_PERSON, "Ed Erase", "1970-01-01", "");
	dup = subject(SCH_PERSON, "Edd Erase", "1970-01-01", "");
	ck_assert_int_eq(add(SCH_CPW, keep, "2026-02-01", "2026-03-01", &r1), ASB_OK);
	ck_assert_int_eq(add(SCH_CPW, dup, "2026-02-02", "2026-03-01", &r2), ASB_OK);
	ck_assert_int_eq(reg_subject_merge(R, keep, dup, "sup", NOW, "same", NULL, &eb),
	    ASB_OK);
	ck_assert_int_eq(reg_review(R, r1, REG_REVIEW_DISPOSE, T("2033-01-01"), &res, &eb),
	    ASB_OK);
	ck_assert_uint_eq(res.subject_erased, 0);
	ck_assert_int_eq(reg_review(R, r2, REG_REVIEW_DISPOSE, T("2033-01-01"), &res, &eb),
	    ASB_OK);
	ck_assert_uint_eq(res.subject_erased, keep);
	/* the identity merged into it went too, with its keys */
	ck_assert_int_eq(reg_subject_get(R, dup, &s, &eb), ASB_OK);
	ck_assert_str_eq(s.name, "[erased]");
	snprintf(s.name, sizeof(s.name), "Edd Erase");
	ck_assert_int_eq(asb_day_parse("1970-01-01", &s.dob), 0);
	s.id = 0;
	ck_assert_int_eq(reg_subject_match(R, &s, &other, &eb), ASB_ENOTFOUND);
}
END_TEST

START_TEST(test_codec)
{
	struct reg_void vd, vg;
	struct reg_merge m, mg;
	unsigned char buf[1024];
	size_t len, cut;

	memset(&vd, 0, sizeof(vd));
	vd.record = 123456789;
	vd.time = -5;
	snprintf(vd.user, sizeof(vd.user), "sup");
	snprintf(vd.reason, sizeof(vd.reason), "typed twice");
	len = reg_enc_void(&vd, buf, sizeof(buf));
	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(reg_dec_void(buf, len, &vg), 0);
	ck_assert_mem_eq(&vd, &vg, sizeof(vd));
	for (cut = 0; cut < len; cut++)
		ck_assert_int_eq(reg_dec_void(buf, cut, &vg), -1);
	buf[len] = 0;
	ck_assert_int_eq(reg_dec_void(buf, len + 1, &vg), -1);	/* trailing bytes */
	buf[0] = 9;
	ck_assert_int_eq(reg_dec_void(buf, len, &vg), -1);	/* unknown version */
	ck_assert_uint_eq(reg_enc_void(&vd, buf, 5), 0);

	memset(&m, 0, sizeof(m));
	m.duplicate = 2;
	m.keep = 1;
	m.time = NOW;
	m.records = 77;
	snprintf(m.user, sizeof(m.user), "sup");
	snprintf(m.reason, sizeof(m.reason), "same person");
	len = reg_enc_merge(&m, buf, sizeof(buf));
	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(reg_dec_merge(buf, len, &mg), 0);
	ck_assert_mem_eq(&m, &mg, sizeof(m));
	for (cut = 0; cut < len; cut++)
		ck_assert_int_eq(reg_dec_merge(buf, cut, &mg), -1);
	buf[0] = 2;
	ck_assert_int_eq(reg_dec_merge(buf, len, &mg), -1);
}
END_TEST

static const struct {
	int		 role;
	const char	*op;
	int		 allowed;
} policy[] = {
	{ REG_ROLE_OFFICER, "void", 0 }, { REG_ROLE_OFFICER, "merge", 0 },
	{ REG_ROLE_SUPERVISOR, "void", 1 }, { REG_ROLE_SUPERVISOR, "merge", 1 },
	{ REG_ROLE_AUDITOR, "void", 0 }, { REG_ROLE_AUDITOR, "merge", 0 },
	{ REG_ROLE_DATA_TEAM, "void", 1 }, { REG_ROLE_DATA_TEAM, "merge", 1 },
};

START_TEST(test_policy)
{
	ck_assert_msg(reg_allows(policy[_i].role, policy[_i].op) == policy[_i].allowed,
	    "role %d, %s: want %d", policy[_i].role, policy[_i].op, policy[_i].allowed);
}
END_TEST

/* A record whose life ended years ago, voided now: its retention review moves to six years
 * after the void, and the due index follows (due reads its candidates from the index). */
START_TEST(test_void_moves_review)
{
	struct reg_due items[16];
	size_t n, total, i;
	uint64_t p, old;
	int found;

	p = subject(SCH_PERSON, "Olga Old", "1970-01-01", "E01007400");
	ck_assert_int_eq(add(SCH_CPW, p, "2019-01-10", NULL, &old), ASB_OK);
	ck_assert_int_eq(reg_record_void(R, old, "sup", NOW, "entered in error", &eb), ASB_OK);
	ck_assert_int_eq(reg_due(R, T("2032-11-01T00:00"), 2 * 86400, items, 16, &n, &total,
	    &eb), ASB_OK);
	for (i = 0, found = 0; i < n; i++)
		if (items[i].record == old && items[i].kind == REG_DUE_RETENTION)
			found++;
	ck_assert_int_eq(found, 1);
}
END_TEST

TCase *
correct_tcase(void)
{
	TCase *tc = tcase_create("correct");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_void);
	tcase_add_test(tc, test_void_counts_and_due);
	tcase_add_test(tc, test_void_moves_review);
	tcase_add_test(tc, test_same);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_merge_retention);
	tcase_add_test(tc, test_codec);
	tcase_add_loop_test(tc, test_policy, 0, sizeof(policy) / sizeof(policy[0]));
	return tc;
}
