/*
 * check_register.c - the register library against a real LMDB environment in a temporary
 * directory: subjects, records and their encoding, refusals that store nothing, events and
 * derived status, lists, repeat detection, what is due, the audit chain and its tamper
 * detection (entries, their whole ID sets and the audit index), the role policy where the
 * register is opened, and CSV import (all or nothing, and with rejects).
 */
#include <check.h>
#include <lmdb.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "codes.h"
#include "internal.h"
#include "reg.h"

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
rmtree(const char *d)
{
	static const char *const files[] = { "data.mdb", "lock.mdb", "force.key" };
	char p[128];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", d, files[i]);
		unlink(p);
	}
	rmdir(d);
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/asbreg-check-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(reg_init(dir, "E23000011", "tester", NOW, &eb), ASB_OK);
	ck_assert_int_eq(reg_open(dir, &R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
}

static void
teardown(void)
{
	reg_close(R);
	R = NULL;
	rmtree(dir);
}

/* Commit and start a new write transaction. */
static void
commit(void)
{
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
}

static uint64_t
person(const char *name, const char *dob, const char *lsoa)
{
	struct reg_subject s;

	memset(&s, 0, sizeof(s));
	s.kind = SCH_PERSON;
	snprintf(s.name, sizeof(s.name), "%s", name);
	ck_assert_int_eq(asb_day_parse(dob, &s.dob), 0);
	snprintf(s.lsoa, sizeof(s.lsoa), "%s", lsoa);
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_OK);
	return s.id;
}

static uint64_t
thing(int kind, const char *name, const char *lsoa)
{
	struct reg_subject s;

	memset(&s, 0, sizeof(s));
	s.kind = kind;
	snprintf(s.name, sizeof(s.name), "%s", name);
	snprintf(s.lsoa, sizeof(s.lsoa), "%s", lsoa);
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_OK);
	return s.id;
}

static int
add(int power, uint64_t subject, const char *issued, const char *expires,
    uint64_t link, const char *rank, uint64_t *ret)
{
	struct reg_record rec;
	int err;

	reg_record_defaults(&rec);
	rec.power = power;
	rec.subject = subject;
	rec.issued = T(issued);
	rec.expires = expires[0] ? T(expires) : 0;
	rec.link = link;
	snprintf(rec.rank, sizeof(rec.rank), "%s", rank);
	if (power == SCH_PSPO)
		rec.agency = sch_code_index(SCH_LIST_AGENCIES, "local-authority");
	if (power == SCH_CBO)	/* on the prosecution's application (s22) */
		rec.agency = sch_code_index(SCH_LIST_AGENCIES, "cps");
	err = reg_record_add(R, &rec, "tester", NOW, NULL, &eb);
	if (ret != NULL)
		*ret = err == ASB_OK ? rec.id : 0;
	return err;
}

static int
event(uint64_t record, int kind, const char *date, const char *until)
{
	struct reg_event ev;

	reg_event_defaults(&ev);
	ev.record = record;
	ev.kind = kind;
	ev.date = T(date);
	ev.until = until[0] ? T(until) : 0;
	return reg_event_add(R, &ev, "tester", NOW, NULL, &eb);
}

static int
count_one(const struct reg_view *v, void *ctx)
{
	(void)v;
	(*(int *)ctx)++;
	return 0;
}

static int
count(int power, int status, uint64_t subject)
{
	struct reg_filter f = { power, status, subject, 0, 0, 0 };
	int n = 0;

	ck_assert_int_eq(reg_list(R, &f, NOW, count_one, &n, &eb), ASB_OK);
	return n;
}

START_TEST(test_init_open)
{
	struct reg *r2;
	struct stat st;
	char p[128];

	ck_assert_str_eq(reg_force(R), "E23000011");
	snprintf(p, sizeof(p), "%s/force.key", dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(st.st_size, 32);
	ck_assert_int_eq(reg_init(dir, "E23000011", "t", NOW, &eb),
	    ASB_ECONFLICT);
	ck_assert_int_eq(reg_init("/tmp/asbreg-check-nope", "E99999999", "t",
	    NOW, &eb), ASB_EUSAGE);
	ck_assert_int_eq(reg_open("/tmp/asbreg-check-nope", &r2, &eb),
	    ASB_ENOTFOUND);
	ck_assert(strstr(eb.msg, "asbreg init") != NULL);
}
END_TEST

START_TEST(test_subjects)
{
	struct reg_subject s, got;
	uint64_t a, existing = 0, id;

	a = person("Jane O'Example", "1990-05-01", "E01007321");
	ck_assert_uint_eq(a, 1);
	/* The same person written differently is one subject. */
	memset(&s, 0, sizeof(s));
	s.kind = SCH_PERSON;
	snprintf(s.name, sizeof(s.name), "  jane  oexample ");
	asb_day_parse("1990-05-01", &s.dob);
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, &existing, &eb),
	    ASB_ECONFLICT);
	ck_assert_uint_eq(existing, a);
	ck_assert(strstr(eb.msg, "S000001") != NULL);
	ck_assert(strstr(eb.msg, "jane") == NULL);	/* no personal data */
	/* Same name, other date of birth: another person. */
	asb_day_parse("1991-05-01", &s.dob);
	snprintf(s.pnc, sizeof(s.pnc), "12/3456789X");
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_OK);
	/* Same PNC ID under another name: the same person. */
	memset(&got, 0, sizeof(got));
	got.kind = SCH_PERSON;
	snprintf(got.name, sizeof(got.name), "J Smith");
	got.dob = 19910501;
	snprintf(got.pnc, sizeof(got.pnc), "12/3456789X");
	ck_assert_int_eq(reg_subject_match(R, &got, &id, &eb), ASB_OK);
	ck_assert_uint_eq(id, s.id);
	ck_assert_int_eq(reg_subject_get(R, a, &got, &eb), ASB_OK);
	ck_assert_str_eq(got.name, "Jane O'Example");
	ck_assert_int_eq(got.dob, 19900501);
	ck_assert_str_eq(got.lsoa, "E01007321");
	ck_assert_int_eq(reg_subject_get(R, 99, &got, &eb), ASB_ENOTFOUND);
	/* Bad values are refused, and nothing is stored. */
	memset(&s, 0, sizeof(s));
	s.kind = SCH_PERSON;
	snprintf(s.name, sizeof(s.name), "No Dob");
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_EUSAGE);
	s.dob = 20000101;
	snprintf(s.sex, sizeof(s.sex), "Q");
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_EUSAGE);
	s.sex[0] = '\0';
	snprintf(s.lsoa, sizeof(s.lsoa), "E0200001");
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_EUSAGE);
	ck_assert_int_eq(reg_subject_get(R, 3, &got, &eb), ASB_ENOTFOUND);
	ck_assert_uint_eq(thing(SCH_PREMISES, "1 High Street", ""), 3);
}
END_TEST

static int
find_count(const struct reg_subject *s, void *ctx)
{
	(void)s;
	(*(int *)ctx)++;
	return 0;
}

START_TEST(test_find)
{
	int n = 0;

	person("Jane Example", "1990-05-01", "");
	person("John Sample", "1980-01-01", "");
	thing(SCH_PREMISES, "12 Example Road", "");
	ck_assert_int_eq(reg_subject_find(R, "EXAMPLE", find_count, &n, &eb),
	    ASB_OK);
	ck_assert_int_eq(n, 2);
	n = 0;
	ck_assert_int_eq(reg_subject_find(R, "nobody", find_count, &n, &eb),
	    ASB_OK);
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(test_record_roundtrip)
{
	struct reg_record rec, got;
	uint64_t p = person("A Person", "1990-01-01", "E01000001");

	reg_record_defaults(&rec);
	rec.power = SCH_CBO;
	rec.subject = p;
	rec.issued = T("2026-01-10");
	rec.served = T("2026-01-10T15:30");
	rec.expires = T("2028-01-10");
	rec.agency = sch_code_index(SCH_LIST_AGENCIES, "cps");
	snprintf(rec.by, sizeof(rec.by), "DC 99");
	snprintf(rec.conditions, sizeof(rec.conditions), "Not to enter the "
	    "area marked on the map, with \"quotes\", commas, and\nlines");
	snprintf(rec.incident, sizeof(rec.incident), "CAD-2026-0001");
	snprintf(rec.ref, sizeof(rec.ref), "LEGACY-1");
	ck_assert_int_eq(reg_record_add(R, &rec, "tester", NOW, NULL, &eb),
	    ASB_OK);
	ck_assert_int_eq(reg_record_get(R, rec.id, &got, &eb), ASB_OK);
	ck_assert_int_eq(got.power, SCH_CBO);
	ck_assert_int_eq(got.served, rec.served);
	ck_assert_int_eq(got.expires, rec.expires);
	ck_assert_int_eq(got.agency, rec.agency);
	ck_assert_str_eq(got.conditions, rec.conditions);
	ck_assert_str_eq(got.created_by, "tester");
	ck_assert_int_eq(reg_record_by_ref(R, "LEGACY-1", &p, &eb), ASB_OK);
	ck_assert_uint_eq(p, rec.id);
	/* The same reference again is a conflict. */
	rec.id = 0;
	ck_assert_int_eq(reg_record_add(R, &rec, "tester", NOW, NULL, &eb),
	    ASB_ECONFLICT);
}
END_TEST

START_TEST(test_codec_damaged)
{
	struct reg_record rec, got;
	unsigned char buf[REG_ENC_MAX];
	size_t len, cut;

	reg_record_defaults(&rec);
	rec.power = SCH_CPW;
	snprintf(rec.conditions, sizeof(rec.conditions), "text");
	len = reg_enc_record(&rec, buf, sizeof(buf));
	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(reg_dec_record(buf, len, &got), 0);
	for (cut = 0; cut < len; cut++)
		ck_assert_int_eq(reg_dec_record(buf, cut, &got), -1);
	buf[0] = 9;	/* an unknown format version */
	ck_assert_int_eq(reg_dec_record(buf, len, &got), -1);
	ck_assert_uint_eq(reg_enc_record(&rec, buf, 10), 0);
}
END_TEST

START_TEST(test_refusal_stores_nothing)
{
	uint64_t p = person("Young Person", "2011-01-01", ""), id;
	uint64_t next;

	commit();
	/* Aged 15: a CPW is refused with the rule's ID and stores nothing. */
	ck_assert_int_eq(add(SCH_CPW, p, "2026-03-01", "", 0, "", &id),
	    ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-CPW-001");
	ck_assert(strstr(eb.msg, "Young") == NULL);
	reg_abort(R);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	ck_assert_int_eq(count(-1, -1, 0), 0);
	ck_assert_int_eq(reg_meta_get_u64(R, "next.record", &next, &eb), ASB_OK);
	ck_assert_uint_eq(next, 0);
	ck_assert_int_eq(add(SCH_CPW, 99, "2026-03-01", "", 0, "", &id),
	    ASB_ENOTFOUND);
	ck_assert_int_eq(add(SCH_CPW, p, "2026-03-01", "", 42, "", &id),
	    ASB_ENOTFOUND);
}
END_TEST

START_TEST(test_cpn_links_cpw)
{
	uint64_t p = person("An Adult", "1980-01-01", ""), q, w, n, m;
	struct reg_record rec;

	q = person("Another Adult", "1981-01-01", "");
	ck_assert_int_eq(add(SCH_CPN, p, "2026-04-01", "", 0, "", &n),
	    ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-CPN-002");
	ck_assert_int_eq(add(SCH_CPW, p, "2026-03-01", "", 0, "", &w), ASB_OK);
	ck_assert_int_eq(add(SCH_CPN, p, "2026-04-01", "", 0, "", &n), ASB_OK);
	ck_assert_int_eq(reg_record_get(R, n, &rec, &eb), ASB_OK);
	ck_assert_uint_eq(rec.link, w);
	/* A CPN before the warning, or linked to another person's warning. */
	ck_assert_int_eq(add(SCH_CPN, p, "2026-02-01", "", 0, "", &m),
	    ASB_ERULE);
	ck_assert_int_eq(add(SCH_CPN, q, "2026-04-01", "", w, "", &m),
	    ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-CPN-002");
}
END_TEST

START_TEST(test_events_status)
{
	uint64_t p = person("An Adult", "1980-01-01", ""), c, d;
	struct reg_view v;

	ck_assert_int_eq(add(SCH_CBO, p, "2024-01-01", "2026-06-01", 0, "", &c),
	    ASB_OK);
	ck_assert_int_eq(event(c, SCH_EV_SERVED, "2024-01-01", ""), ASB_OK);
	ck_assert_int_eq(event(c, SCH_EV_BREACHED, "2025-01-01", ""), ASB_OK);
	/* Past its expiry, with no event: expired. */
	ck_assert_int_eq(reg_view_get(R, c, NOW, &v, &eb), ASB_OK);
	ck_assert_int_eq(v.status, SCH_ST_EXPIRED);
	ck_assert_uint_eq(v.life.events, 2);
	ck_assert_uint_eq(v.life.breaches, 1);
	ck_assert_int_eq(event(c, SCH_EV_BREACHED, "2026-07-01", ""), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-GEN-002");
	ck_assert_int_eq(add(SCH_CBO, p, "2026-01-01", "", 0, "", &d), ASB_OK);
	ck_assert_int_eq(reg_view_get(R, d, NOW, &v, &eb), ASB_OK);
	ck_assert_int_eq(v.status, SCH_ST_ACTIVE);
	ck_assert_int_eq(event(d, SCH_EV_APPEALED, "2026-01-20", ""), ASB_OK);
	ck_assert_int_eq(reg_view_get(R, d, NOW, &v, &eb), ASB_OK);
	ck_assert_int_eq(v.status, SCH_ST_APPEALED);
	ck_assert_int_eq(event(d, SCH_EV_APPEAL_ALLOWED, "2026-03-01", ""),
	    ASB_OK);
	ck_assert_int_eq(reg_view_get(R, d, NOW, &v, &eb), ASB_OK);
	ck_assert_int_eq(v.status, SCH_ST_QUASHED);
	ck_assert_int_eq(event(d, SCH_EV_BREACHED, "2026-04-01", ""), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-GEN-006");
	ck_assert_int_eq(event(99, SCH_EV_BREACHED, "2026-04-01", ""),
	    ASB_ENOTFOUND);
	ck_assert_int_eq(count(SCH_CBO, SCH_ST_EXPIRED, 0), 1);
	ck_assert_int_eq(count(SCH_CBO, SCH_ST_QUASHED, p), 1);
	ck_assert_int_eq(count(SCH_CPW, -1, 0), 0);
}
END_TEST

START_TEST(test_dispersal_chain)
{
	uint64_t pl = thing(SCH_PLACE, "Precinct", "E01000002");
	uint64_t y = person("Youth", "2012-01-01", ""), a, d1, d2, d3;

	ck_assert_int_eq(add(SCH_DISP_AUTH, pl, "2026-07-01T18:00",
	    "2026-07-03T18:00", 0, "inspector", &a), ASB_OK);
	ck_assert_int_eq(add(SCH_DISP_DIR, y, "2026-07-01T20:00",
	    "2026-07-02T20:00", a, "", &d1), ASB_OK);
	ck_assert_int_eq(add(SCH_DISP_DIR, y, "2026-07-02T21:00",
	    "2026-07-03T18:00", a, "", &d2), ASB_OK);
	ck_assert_int_eq(add(SCH_DISP_DIR, y, "2026-07-03T19:00",
	    "2026-07-03T20:00", a, "", &d3), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-DISP-003");
	/* The authorisation withdrawn early ends what may follow it. */
	ck_assert_int_eq(event(a, SCH_EV_REVOKED, "2026-07-02T22:00", ""),
	    ASB_OK);
	ck_assert_int_eq(add(SCH_DISP_DIR, y, "2026-07-02T23:00",
	    "2026-07-03T01:00", a, "", &d3), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-DISP-003");
}
END_TEST

struct rep {
	int	 subjects, locations;
	uint64_t count[8];
};

static int
rep_one(const struct reg_repeat *rp, void *ctx)
{
	struct rep *r = ctx;

	if (rp->kind == SCH_PERSON)
		r->count[r->subjects++] = rp->count;
	else
		r->locations++;
	return 0;
}

START_TEST(test_repeat)
{
	uint64_t a = person("Frequent", "1980-01-01", "E01000003");
	uint64_t b = person("Occasional", "1985-01-01", "E01000004");
	struct rep r;

	add(SCH_CBO, a, "2025-01-01", "", 0, "", NULL);
	add(SCH_CBO, a, "2026-02-01", "", 0, "", NULL);
	add(SCH_CBO, a, "2026-03-01", "", 0, "", NULL);
	add(SCH_CBO, a, "2026-04-01", "", 0, "", NULL);
	add(SCH_CBO, b, "2026-04-01", "", 0, "", NULL);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(reg_repeat(R, T("2026-01-01"), 3, rep_one, &r, &eb),
	    ASB_OK);
	ck_assert_int_eq(r.subjects, 1);
	ck_assert_uint_eq(r.count[0], 3);	/* the 2025 one is before since */
	ck_assert_int_eq(r.locations, 1);	/* LSOA E01000003 */
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(reg_repeat(R, T("2020-01-01"), 4, rep_one, &r, &eb),
	    ASB_OK);
	ck_assert_int_eq(r.subjects, 1);
	ck_assert_uint_eq(r.count[0], 4);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(reg_repeat(R, T("2026-01-01"), 1, rep_one, &r, &eb),
	    ASB_OK);
	ck_assert_int_eq(r.subjects, 2);
	ck_assert_int_eq(r.locations, 2);
}
END_TEST

START_TEST(test_due)
{
	struct reg_due items[16];
	size_t n, total, i;
	uint64_t y = person("Youth", "2011-06-01", "");
	uint64_t a = person("Adult", "1980-01-01", "");
	uint64_t pr = thing(SCH_PREMISES, "1 Closed Road", "");
	uint64_t c, notice;
	int kinds[4] = { 0, 0, 0, 0 };

	ck_assert_int_eq(add(SCH_CBO, y, "2025-12-01", "2027-12-01", 0, "", &c),
	    ASB_OK);
	ck_assert_int_eq(add(SCH_CBO, a, "2024-11-20", "2026-11-20", 0, "", &c),
	    ASB_OK);
	ck_assert_int_eq(add(SCH_CLOSURE_NOTICE, pr, "2026-11-01T09:00",
	    "2026-11-02T09:00", 0, "inspector", &notice), ASB_OK);
	ck_assert_int_eq(add(SCH_CPW, a, "2021-01-01", "", 0, "", &c), ASB_OK);
	ck_assert_int_eq(reg_due(R, NOW, 30 * 86400, items, 16, &n, &total,
	    &eb), ASB_OK);
	for (i = 0; i < n; i++)
		kinds[items[i].kind]++;
	ck_assert_int_eq(kinds[REG_DUE_EXPIRY], 2);	/* adult CBO, notice */
	ck_assert_int_eq(kinds[REG_DUE_YOUTH_REVIEW], 1);	/* 2026-12-01 */
	ck_assert_int_eq(kinds[REG_DUE_CLOSURE_HEARING], 1);
	ck_assert_int_eq(kinds[REG_DUE_RETENTION], 0);
	for (i = 1; i < n; i++)
		ck_assert_int_le(items[i - 1].when, items[i].when);
	/* Six years on from the CPW: its retention review is due. */
	ck_assert_int_eq(reg_due(R, T("2026-01-01"), 366 * 86400 * 6, items, 16,
	    &n, &total, &eb), ASB_OK);
	for (i = 0, kinds[REG_DUE_RETENTION] = 0; i < n; i++)
		kinds[items[i].kind] += items[i].kind == REG_DUE_RETENTION;
	ck_assert_int_ge(kinds[REG_DUE_RETENTION], 1);
	/* Only as many as the caller has room for; all are counted. */
	ck_assert_int_eq(reg_due(R, NOW, 30 * 86400, items, 1, &n, &total, &eb),
	    ASB_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(total, 4);
}
END_TEST

/* A closure order follows the premises' latest notice; one order a notice, none on a cancelled
 * notice (R-CLO-006, R-CLO-007); a lapsed notice's hearing stays due until an order follows. */
START_TEST(test_closure_links)
{
	uint64_t pr = thing(SCH_PREMISES, "5 Order Row", "");
	uint64_t n1, n2, o1, o2;
	struct reg_record rec;
	struct reg_due items[8];
	size_t n, total, i, hearings;

	ck_assert_int_eq(add(SCH_CLOSURE_NOTICE, pr, "2026-05-01T10:00",
	    "2026-05-02T10:00", 0, "inspector", &n1), ASB_OK);
	ck_assert_int_eq(add(SCH_CLOSURE_NOTICE, pr, "2026-06-01T10:00",
	    "2026-06-02T10:00", 0, "inspector", &n2), ASB_OK);
	ck_assert_int_eq(add(SCH_CLOSURE_ORDER, pr, "2026-06-02T09:00",
	    "2026-07-02T09:00", 0, "", &o1), ASB_OK);
	ck_assert_int_eq(reg_record_get(R, o1, &rec, &eb), ASB_OK);
	ck_assert_uint_eq(rec.link, n2);	/* the latest, not the first */
	ck_assert_int_eq(add(SCH_CLOSURE_ORDER, pr, "2026-06-02T10:00",
	    "2026-07-02T09:00", n2, "", &o2), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-CLO-007");
	/* The first notice lapsed with no order: its hearing is still due. */
	ck_assert_int_eq(reg_due(R, NOW, 86400, items, 8, &n, &total, &eb),
	    ASB_OK);
	for (i = hearings = 0; i < n; i++)
		if (items[i].kind == REG_DUE_CLOSURE_HEARING) {
			ck_assert_uint_eq(items[i].record, n1);
			hearings++;
		}
	ck_assert_uint_eq(hearings, 1);
	/* Cancelled (s78): no order on it, and no hearing due. */
	ck_assert_int_eq(event(n1, SCH_EV_REVOKED, "2026-05-01T12:00", ""),
	    ASB_OK);
	ck_assert_int_eq(add(SCH_CLOSURE_ORDER, pr, "2026-05-02T09:00",
	    "2026-06-02T09:00", n1, "", &o2), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-CLO-006");
	ck_assert_int_eq(reg_due(R, NOW, 86400, items, 8, &n, &total, &eb),
	    ASB_OK);
	for (i = 0; i < n; i++)
		ck_assert_int_ne(items[i].kind, REG_DUE_CLOSURE_HEARING);
}
END_TEST

/* A force's own commencement of a power: earlier than the national one, not before the law. */
START_TEST(test_commence)
{
	uint64_t p = person("Pilot Person", "1980-01-01", ""), rr;
	asb_day d;

	ck_assert_int_eq(reg_commence_get(R, SCH_RESPECT_ORDER, &d, &eb), ASB_OK);
	ck_assert_int_eq(d, 0);
	ck_assert_int_eq(add(SCH_RESPECT_ORDER, p, "2026-09-01", "", 0, "", &rr),
	    ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-PWR-001");
	ck_assert_int_eq(reg_commence_set(R, SCH_RESPECT_ORDER, 20260901, &eb),
	    ASB_OK);
	commit();
	ck_assert_int_eq(reg_commence_get(R, SCH_RESPECT_ORDER, &d, &eb), ASB_OK);
	ck_assert_int_eq(d, 20260901);
	ck_assert_int_eq(add(SCH_RESPECT_ORDER, p, "2026-09-01", "", 0, "", &rr),
	    ASB_OK);
	ck_assert_int_eq(add(SCH_RESPECT_ORDER, p, "2026-08-31T23:59", "", 0, "",
	    &rr), ASB_ERULE);
	ck_assert_int_eq(reg_commence_set(R, SCH_CPW, 20260101, &eb),
	    ASB_ECONFLICT);
	ck_assert_int_eq(reg_commence_set(R, SCH_RESPECT_ORDER, 20260428, &eb),
	    ASB_EUSAGE);
	ck_assert_int_eq(reg_commence_set(R, SCH_RESPECT_ORDER, 20260429, &eb),
	    ASB_OK);
	ck_assert_int_eq(reg_commence_set(R, -1, 20260429, &eb), ASB_EUSAGE);
}
END_TEST

/* s28 from the register's own facts: no review due once the person has turned 18. */
START_TEST(test_youth_review_birthday)
{
	uint64_t teen = person("Turning Eighteen", "2008-12-15", "");
	uint64_t kid = person("Fourteen", "2012-06-01", "");
	uint64_t a, b;
	struct reg_view v;

	ck_assert_int_eq(add(SCH_CBO, teen, "2026-01-01", "2028-01-01", 0, "", &a),
	    ASB_OK);
	ck_assert_int_eq(add(SCH_CBO, kid, "2026-01-01", "2028-01-01", 0, "", &b),
	    ASB_OK);
	ck_assert_int_eq(reg_view_get(R, a, NOW, &v, &eb), ASB_OK);
	ck_assert_int_eq(v.use.adult_on, T("2026-12-15"));
	ck_assert_int_eq(sch_due_youth_review(&v.use, &v.life, NOW), 0);
	ck_assert_int_eq(reg_view_get(R, b, NOW, &v, &eb), ASB_OK);
	ck_assert_int_eq(sch_due_youth_review(&v.use, &v.life, NOW),
	    T("2027-01-01"));
	/* Born on 29 February: 18 on 1 March of a common year. */
	ck_assert_int_eq(add(SCH_CBO, person("Leap Day", "2008-02-29", ""),
	    "2025-03-01", "2027-03-01", 0, "", &a), ASB_OK);
	ck_assert_int_eq(reg_view_get(R, a, NOW, &v, &eb), ASB_OK);
	ck_assert_int_eq(v.use.adult_on, T("2026-03-01"));
}
END_TEST

static void
audit_add(const char *cmd)
{
	struct reg_audit a;

	memset(&a, 0, sizeof(a));
	a.time = NOW;
	a.op = REG_AUDIT_CONSULTATION;
	snprintf(a.user, sizeof(a.user), "tester");
	snprintf(a.command, sizeof(a.command), "%s", cmd);
	snprintf(a.ids, sizeof(a.ids), "R000001");
	a.count = 1;
	ck_assert_int_eq(reg_audit_append(R, &a, &eb), ASB_OK);
}

/* Change the stored audit entry seq with raw LMDB: flip a byte, or delete it. */
static void
tamper(uint64_t seq, int delete)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	unsigned char copy[2048];
	MDB_val k = { sizeof(seq), &seq }, v;

	ck_assert_int_eq(mdb_env_create(&env), 0);
	ck_assert_int_eq(mdb_env_set_maxdbs(env, 16), 0);
	ck_assert_int_eq(mdb_env_set_mapsize(env, ASB_REG_MAPSIZE), 0);
	ck_assert_int_eq(mdb_env_open(env, dir, 0, 0600), 0);
	ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, "audit", MDB_INTEGERKEY, &dbi), 0);
	ck_assert_int_eq(mdb_get(txn, dbi, &k, &v), 0);
	if (delete)
		ck_assert_int_eq(mdb_del(txn, dbi, &k, NULL), 0);
	else {
		ck_assert_uint_lt(v.mv_size, sizeof(copy));
		memcpy(copy, v.mv_data, v.mv_size);
		copy[30] ^= 1;	/* inside the user or command text */
		v.mv_data = copy;
		ck_assert_int_eq(mdb_put(txn, dbi, &k, &v, 0), 0);
	}
	ck_assert_int_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

static void
reopen(void)
{
	reg_close(R);
	ck_assert_int_eq(reg_open(dir, &R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 0, &eb), ASB_OK);
}

static void
audit_setup(void)
{
	uint64_t n;

	audit_add("show");
	audit_add("list");
	audit_add("history");
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 0, &eb), ASB_OK);
	ck_assert_int_eq(reg_audit_verify(R, &n, &eb), ASB_OK);
	ck_assert_uint_eq(n, 4);	/* init + 3 */
	reg_abort(R);
}

START_TEST(test_audit_changed)
{
	uint64_t n;

	audit_setup();
	tamper(2, 0);
	reopen();
	ck_assert_int_eq(reg_audit_verify(R, &n, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-AUD-001");
	ck_assert(strstr(eb.msg, "entry 2") != NULL);
}
END_TEST

START_TEST(test_audit_removed)
{
	uint64_t n;

	audit_setup();
	tamper(3, 1);
	reopen();
	ck_assert_int_eq(reg_audit_verify(R, &n, &eb), ASB_ERULE);
	ck_assert(strstr(eb.msg, "entry 3 is missing") != NULL);
}
END_TEST

START_TEST(test_audit_truncated)
{
	uint64_t n;

	audit_setup();
	tamper(4, 1);
	reopen();
	ck_assert_int_eq(reg_audit_verify(R, &n, &eb), ASB_ERULE);
	ck_assert(strstr(eb.msg, "removed from its end") != NULL);
}
END_TEST


/* Entry 2's hash, as the head then. */
static int
collect_head2(const struct reg_audit *a, void *ctx)
{
	struct reg_audit_head *h = ctx;

	if (a->seq == 2) {
		h->seq = a->seq;
		memcpy(h->hash, a->hash, 32);
	}
	return 0;
}

/*
 * The rewrite the issue found: with write access to data.mdb and the library's own codec,
 * change who did entry `seq`, then recompute every hash from there on and the head, so that
 * the chain verifies again.  What someone with the file and 30 lines of C can do.
 */
static int
collect(const struct reg_audit *a, void *ctx)
{
	struct reg_audit *all = ctx;

	ck_assert_uint_lt(a->seq, 16);
	all[a->seq] = *a;
	return 0;
}

static void
rewrite_chain(uint64_t seq, const char *user)
{
	struct reg_audit all[16], z;
	unsigned char buf[sizeof(struct reg_audit) + 64];
	unsigned int outlen = 32;
	MDB_val k, v, hk = { 10, "audit.head" }, hv;
	uint64_t i, n = 0;

	memset(all, 0, sizeof(all));
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	ck_assert_int_eq(reg_audit_each(R, collect, all, &eb), ASB_OK);
	while (n + 1 < 16 && all[n + 1].seq == n + 1)
		n++;
	snprintf(all[seq].user, sizeof(all[seq].user), "%s", user);
	for (i = seq; i <= n; i++) {
		memcpy(all[i].prev, all[i - 1].hash, 32);
		z = all[i];
		memset(z.hash, 0, 32);
		v.mv_size = reg_enc_audit(&z, buf, sizeof(buf));
		ck_assert_int_eq(EVP_Digest(buf, v.mv_size, all[i].hash, &outlen, EVP_sha256(),
		    NULL), 1);
		v.mv_size = reg_enc_audit(&all[i], buf, sizeof(buf));
		v.mv_data = buf;
		k.mv_size = sizeof(all[i].seq);
		k.mv_data = &all[i].seq;
		ck_assert_int_eq(mdb_put(R->txn, R->dbi[DB_AUDIT], &k, &v, 0), 0);
	}
	hv.mv_size = 32;
	hv.mv_data = all[n].hash;
	ck_assert_int_eq(mdb_put(R->txn, R->dbi[DB_META], &hk, &hv, 0), 0);
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
}

START_TEST(test_audit_rewritten)
{
	struct reg_audit_head h, recorded, early;
	char hex[REG_AUDIT_HEX];
	uint64_t n, match;

	audit_setup();		/* entries 1 to 4 */
	ck_assert_int_eq(reg_begin(R, 0, &eb), ASB_OK);
	ck_assert_int_eq(reg_audit_verify_head(R, NULL, &recorded, &match, &eb), ASB_OK);
	ck_assert_uint_eq(recorded.seq, 4);
	ck_assert_uint_eq(match, 0);
	reg_abort(R);
	/* Entry 2's head, as syslog would have had it then. */
	ck_assert_int_eq(reg_begin(R, 0, &eb), ASB_OK);
	early.seq = 0;
	ck_assert_int_eq(reg_audit_each(R, collect_head2, &early, &eb), ASB_OK);
	ck_assert_uint_eq(early.seq, 2);
	/* A head recorded earlier and still in the chain: everything up to it is unchanged. */
	ck_assert_int_eq(reg_audit_verify_head(R, recorded.hash, &h, &match, &eb), ASB_OK);
	ck_assert_uint_eq(match, 4);
	ck_assert_int_eq(reg_audit_verify_head(R, early.hash, &h, &match, &eb), ASB_OK);
	ck_assert_uint_eq(match, 2);
	ck_assert_uint_eq(h.seq, 4);
	ck_assert_mem_eq(h.hash, recorded.hash, 32);
	reg_abort(R);

	rewrite_chain(3, "someone-else");
	ck_assert_int_eq(reg_begin(R, 0, &eb), ASB_OK);
	/* The chain alone cannot tell... */
	ck_assert_int_eq(reg_audit_verify(R, &n, &eb), ASB_OK);
	ck_assert_uint_eq(n, 4);
	/* ...the head recorded before the rewrite can. */
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(reg_audit_verify_head(R, recorded.hash, &h, &match, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-AUD-002");
	ck_assert_msg(strstr(eb.msg, reg_audit_hex(recorded.hash, hex)) != NULL &&
	    strstr(eb.msg, "rewritten") != NULL, "%s", eb.msg);
	/* A head from before the entry rewritten still holds: entries 1 and 2 are as they were. */
	ck_assert_int_eq(reg_audit_verify_head(R, early.hash, &h, &match, &eb), ASB_OK);
	ck_assert_uint_eq(match, 2);
	ck_assert_mem_ne(h.hash, recorded.hash, 32);
}
END_TEST

/* The head hook: called once per commit that wrote entries, with the head it left. */
struct heads {
	int		 n;
	char		 force[16];
	struct reg_audit_head last;
};

static void
on_head(const char *force, const struct reg_audit_head *h, void *ctx)
{
	struct heads *hs = ctx;

	hs->n++;
	snprintf(hs->force, sizeof(hs->force), "%s", force);
	hs->last = *h;
}

START_TEST(test_audit_head_hook)
{
	struct heads hs;
	struct reg_audit_head h;
	uint64_t match;

	memset(&hs, 0, sizeof(hs));
	reg_set_head_hook(R, on_head, &hs);
	audit_add("show");
	audit_add("list");
	ck_assert_int_eq(hs.n, 0);	/* nothing until the commit lands */
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
	ck_assert_int_eq(hs.n, 1);
	ck_assert_str_eq(hs.force, "E23000011");
	ck_assert_int_eq(reg_begin(R, 0, &eb), ASB_OK);
	ck_assert_int_eq(reg_audit_verify_head(R, hs.last.hash, &h, &match, &eb), ASB_OK);
	ck_assert_uint_eq(h.seq, 3);	/* init + 2 */
	ck_assert_uint_eq(hs.last.seq, 3);
	ck_assert_mem_eq(hs.last.hash, h.hash, 32);
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);	/* a read: no entry, no call */
	ck_assert_int_eq(hs.n, 1);
	/* An aborted transaction's entry never landed: no head for it, then or later. */
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	audit_add("history");
	reg_abort(R);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
	ck_assert_int_eq(hs.n, 1);
	/* Removed: no more calls. */
	reg_set_head_hook(R, NULL, NULL);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	audit_add("due");
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
	ck_assert_int_eq(hs.n, 1);
	ck_assert_int_eq(reg_begin(R, 0, &eb), ASB_OK);
}
END_TEST

static const struct {
	const char	*s;
	int		 ok;
} hexes[] = {
	{ "5ccb67f2e6afa546cfe1edce464afad55efadca851d501f5844a693a5bcad696", 1 },
	{ "5CCB67F2E6AFA546CFE1EDCE464AFAD55EFADCA851D501F5844A693A5BCAD696", 1 },
	{ "5ccb67f2e6afa546cfe1edce464afad55efadca851d501f5844a693a5bcad69", 0 },
	{ "5ccb67f2e6afa546cfe1edce464afad55efadca851d501f5844a693a5bcad6960", 0 },
	{ "5ccb67f2e6afa546cfe1edce464afad55efadca851d501f5844a693a5bcad69g", 0 },
	{ " ccb67f2e6afa546cfe1edce464afad55efadca851d501f5844a693a5bcad696", 0 },
	{ "", 0 },
};

START_TEST(test_audit_hex)
{
	unsigned char h[32];
	char out[REG_AUDIT_HEX];
	size_t i;

	memset(h, 0xAB, sizeof(h));
	ck_assert_int_eq(reg_audit_hex_parse(hexes[_i].s, h), hexes[_i].ok ? 0 : -1);
	if (!hexes[_i].ok) {
		for (i = 0; i < 32; i++)
			ck_assert_int_eq(h[i], 0xAB);	/* untouched on failure */
		return;
	}
	reg_audit_hex(h, out);
	ck_assert_int_eq(strcasecmp(out, hexes[_i].s), 0);
	ck_assert_str_eq(out, hexes[0].s);
}
END_TEST

/* ---- the role policy, checked where the register is opened ---- */

static const struct {
	int		 role;
	const char	*op;
	int		 allowed;
} policy[] = {
	{ REG_ROLE_OFFICER, "add", 1 }, { REG_ROLE_OFFICER, "find", 1 },
	{ REG_ROLE_OFFICER, "history", 1 }, { REG_ROLE_OFFICER, "import", 0 },
	{ REG_ROLE_OFFICER, "export", 0 }, { REG_ROLE_OFFICER, "build", 0 },
	{ REG_ROLE_OFFICER, "subject-export", 0 }, { REG_ROLE_OFFICER, "user", 0 },
	{ REG_ROLE_OFFICER, "audit", 0 }, { REG_ROLE_OFFICER, "nonsense", 0 },
	{ REG_ROLE_SUPERVISOR, "add", 1 }, { REG_ROLE_SUPERVISOR, "import", 1 },
	{ REG_ROLE_SUPERVISOR, "restrict", 1 }, { REG_ROLE_SUPERVISOR, "review", 1 },
	{ REG_ROLE_SUPERVISOR, "export", 0 }, { REG_ROLE_SUPERVISOR, "build", 0 },
	{ REG_ROLE_SUPERVISOR, "user", 0 },
	{ REG_ROLE_AUDITOR, "show", 1 }, { REG_ROLE_AUDITOR, "audit", 1 },
	{ REG_ROLE_AUDITOR, "subject-export", 1 }, { REG_ROLE_AUDITOR, "add", 0 },
	{ REG_ROLE_AUDITOR, "person", 0 }, { REG_ROLE_AUDITOR, "build", 0 },
	{ REG_ROLE_AUDITOR, "restrict", 0 },
	{ REG_ROLE_DATA_TEAM, "build", 1 }, { REG_ROLE_DATA_TEAM, "export", 1 },
	{ REG_ROLE_DATA_TEAM, "user", 1 }, { REG_ROLE_DATA_TEAM, "add", 1 },
	{ REG_ROLE_COUNT, "add", 0 }, { -1, "find", 0 },
};

START_TEST(test_policy)
{
	ck_assert_msg(reg_allows(policy[_i].role, policy[_i].op) == policy[_i].allowed,
	    "role %d, %s: want %d", policy[_i].role, policy[_i].op, policy[_i].allowed);
}
END_TEST

/* data.mdb's bytes, to prove a refusal wrote nothing. */
static char *
file_bytes(size_t *ret_len)
{
	char p[128], *buf;
	struct stat st;
	FILE *f;

	snprintf(p, sizeof(p), "%s/data.mdb", dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_ptr_nonnull(buf = malloc((size_t)st.st_size + 1));
	ck_assert_ptr_nonnull(f = fopen(p, "rb"));
	ck_assert_uint_eq(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	*ret_len = (size_t)st.st_size;
	return buf;
}

START_TEST(test_open_as)
{
	static const struct {
		const char	*user, *op;
		int		 err;
		const char	*rule, *msg;
	} cases[] = {
		{ "pc.1", "build", ASB_ERULE, "R-ROLE-001", "pc.1 is an officer, who may not "
		    "run 'build': ask the data team" },
		{ "pc.1", "import", ASB_ERULE, "R-ROLE-001", "ask a supervisor or the data team" },
		{ "aud.1", "add", ASB_ERULE, "R-ROLE-001", "aud.1 is an auditor" },
		{ "stranger", "find", ASB_ERULE, "R-ROLE-002", "stranger is not a user" },
		{ "", "find", ASB_EUSAGE, "", "no acting user" },
		{ "pc.1", "add", ASB_OK, "", "" },
		{ "dt.1", "build", ASB_OK, "", "" },
	};
	struct reg *r2 = NULL;
	char *before, *after;
	size_t blen, alen, i;

	/* No users yet: a register being set up allows anything. */
	commit();
	reg_abort(R);
	reg_close(R);
	R = NULL;
	ck_assert_int_eq(reg_open_as(dir, "anyone", "build", &r2, &eb), ASB_OK);
	reg_close(r2);
	ck_assert_int_eq(reg_open(dir, &R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	ck_assert_int_eq(reg_user_set(R, "dt.1", REG_ROLE_DATA_TEAM, &eb), ASB_OK);
	ck_assert_int_eq(reg_user_set(R, "pc.1", REG_ROLE_OFFICER, &eb), ASB_OK);
	ck_assert_int_eq(reg_user_set(R, "aud.1", REG_ROLE_AUDITOR, &eb), ASB_OK);
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
	reg_close(R);
	R = NULL;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		before = file_bytes(&blen);
		asb_errbuf_clear(&eb);
		r2 = NULL;
		ck_assert_msg(reg_open_as(dir, cases[i].user, cases[i].op, &r2, &eb) ==
		    cases[i].err, "case %zu: %s", i, eb.msg);
		ck_assert_str_eq(eb.rule, cases[i].rule);
		ck_assert_msg(strstr(eb.msg, cases[i].msg) != NULL, "case %zu: %s", i, eb.msg);
		ck_assert(cases[i].err == ASB_OK ? r2 != NULL : r2 == NULL);
		reg_close(r2);
		after = file_bytes(&alen);
		ck_assert_msg(blen == alen && memcmp(before, after, blen) == 0,
		    "case %zu: the register changed", i);
		free(before);
		free(after);
	}
	ck_assert_int_eq(reg_open(dir, &R, &eb), ASB_OK);
}
END_TEST

/* ---- every ID an entry touched: stored, hashed into the chain, indexed ---- */

/* Flip a byte of, or delete, a value in a named database with raw LMDB (delete: the exact
 * duplicate v when given). */
static void
tamper_db(const char *name, unsigned flags, MDB_val *k, MDB_val *v, int delete)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val got;
	unsigned char copy[4096];

	ck_assert_int_eq(mdb_env_create(&env), 0);
	ck_assert_int_eq(mdb_env_set_maxdbs(env, 16), 0);
	ck_assert_int_eq(mdb_env_set_mapsize(env, ASB_REG_MAPSIZE), 0);
	ck_assert_int_eq(mdb_env_open(env, dir, 0, 0600), 0);
	ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, name, flags, &dbi), 0);
	if (delete)
		ck_assert_int_eq(mdb_del(txn, dbi, k, v), 0);
	else {
		ck_assert_int_eq(mdb_get(txn, dbi, k, &got), 0);
		ck_assert_uint_lt(got.mv_size, sizeof(copy));
		memcpy(copy, got.mv_data, got.mv_size);
		copy[got.mv_size - 1] ^= 1;	/* the last ID's last byte */
		got.mv_data = copy;
		ck_assert_int_eq(mdb_put(txn, dbi, k, &got, 0), 0);
	}
	ck_assert_int_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

struct about {
	uint64_t	 seq[8];
	uint64_t	 nids[8];
	int		 n;
};

static int
about_one(const struct reg_audit *a, void *ctx)
{
	struct about *ab = ctx;

	if (ab->n < 8) {
		ab->seq[ab->n] = a->seq;
		ab->nids[ab->n] = a->nids;
	}
	ab->n++;
	return 0;
}

static uint64_t ids45[45];
static uint64_t find_seq;

/* 45 people, then one consultation of all of them, and one of the first only. */
static void
audit_many(void)
{
	char name[32];
	int i;

	for (i = 0; i < 45; i++) {
		snprintf(name, sizeof(name), "Many Person%d", i);
		ids45[i] = person(name, "1970-01-01", "");
	}
	commit();
	for (i = 0; i < 45; i++)
		ck_assert_int_eq(reg_audit_subject(R, ids45[i], &eb), ASB_OK);
	ck_assert_int_eq(reg_audit_subject(R, ids45[44], &eb), ASB_OK);	/* a repeat */
	ck_assert_uint_eq(reg_audit_touched(R), 45);
	ck_assert_int_eq(reg_audit_log(R, REG_AUDIT_CONSULTATION, NOW, NULL, NULL, 0, &eb),
	    ASB_OK);
	ck_assert_uint_eq(reg_audit_touched(R), 0);	/* taken by the entry */
	ck_assert_int_eq(reg_seq_last(R, SEQ_AUDIT, &find_seq, &eb), ASB_OK);
	ck_assert_int_eq(reg_audit_subject(R, ids45[0], &eb), ASB_OK);
	ck_assert_int_eq(reg_audit_log(R, REG_AUDIT_CONSULTATION, NOW, NULL, NULL, 0, &eb),
	    ASB_OK);
	commit();
}

START_TEST(test_audit_every_id)
{
	struct about ab;
	uint64_t n;

	audit_many();
	memset(&ab, 0, sizeof(ab));
	ck_assert_int_eq(reg_audit_about(R, ids45[44], about_one, &ab, &eb), ASB_OK);
	ck_assert_int_eq(ab.n, 1);
	ck_assert_uint_eq(ab.seq[0], find_seq);
	ck_assert_uint_eq(ab.nids[0], 45);
	memset(&ab, 0, sizeof(ab));
	ck_assert_int_eq(reg_audit_about(R, ids45[0], about_one, &ab, &eb), ASB_OK);
	ck_assert_int_eq(ab.n, 2);
	ck_assert_uint_eq(ab.seq[1], find_seq + 1);
	ck_assert_uint_eq(ab.nids[1], 1);
	ck_assert_int_eq(reg_audit_verify(R, &n, &eb), ASB_OK);
	ck_assert_uint_eq(n, find_seq + 1);
}
END_TEST

START_TEST(test_audit_ids_changed)
{
	MDB_val k = { sizeof(find_seq), &find_seq };
	uint64_t n;

	audit_many();
	tamper_db("audit.ids", MDB_INTEGERKEY, &k, NULL, 0);
	reopen();
	ck_assert_int_eq(reg_audit_verify(R, &n, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-AUD-001");
	ck_assert_msg(strstr(eb.msg, "IDs it touched have been altered") != NULL, "%s", eb.msg);
}
END_TEST

START_TEST(test_audit_index_removed)
{
	unsigned char key[9], sq[8];
	MDB_val k = { 9, key }, v = { 8, sq };
	struct about ab;
	uint64_t n;

	audit_many();
	key[0] = 'S';
	reg_put_u64(key + 1, ids45[44]);
	reg_put_u64(sq, find_seq);
	tamper_db("ix.audit", MDB_DUPSORT | MDB_DUPFIXED, &k, &v, 1);
	reopen();
	memset(&ab, 0, sizeof(ab));
	ck_assert_int_eq(reg_audit_about(R, ids45[44], about_one, &ab, &eb), ASB_OK);
	ck_assert_int_eq(ab.n, 0);	/* hidden from the export ... */
	ck_assert_int_eq(reg_audit_verify(R, &n, &eb), ASB_ERULE);	/* ... but found */
	ck_assert_msg(strstr(eb.msg, "missing from the audit index") != NULL, "%s", eb.msg);
}
END_TEST

static int
import_str(const char *csv, int rejects, struct reg_import_result *res,
    char *rej_out, size_t cap)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	FILE *rej = rejects ? fmemopen(rej_out, cap, "w") : NULL;
	int err;

	err = reg_import(R, in, rej, "tester", NOW, NULL, NULL, res, &eb);
	fclose(in);
	if (rej != NULL)
		fclose(rej);
	return err;
}

START_TEST(test_import_atomic)
{
	struct reg_import_result res;
	struct reg_subject s;
	const char *csv =
	    "ref,power,name,dob,issued,expires,links,lsoa\n"
	    "W1,cpw,Ann Adult,1980-01-01,2026-01-01,,,E01000005\n"
	    "N1,cpn,Ann Adult,1980-01-01,2026-02-01,,W1,\n"
	    "W2,cpw,Kid Young,2012-01-01,2026-01-01,,,\n";

	commit();
	ck_assert_int_eq(import_str(csv, 0, &res, NULL, 0), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-CPW-001");
	ck_assert(strncmp(eb.msg, "line 4:", 7) == 0);
	reg_abort(R);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	ck_assert_int_eq(count(-1, -1, 0), 0);
	ck_assert_int_eq(reg_subject_get(R, 1, &s, &eb), ASB_ENOTFOUND);
}
END_TEST

START_TEST(test_import_rejects)
{
	struct reg_import_result res;
	struct reg_subject s;
	struct reg_record rec;
	char rej[4096];
	const char *csv =
	    "ref,power,name,dob,issued,expires,links,lsoa\n"
	    "W1,cpw,Ann Adult,1980-01-01,2026-01-01,,,E01000005\n"
	    "W2,cpw,Kid Young,2012-01-01,2026-01-01,,,\n"
	    "N1,cpn,Ann Adult,1980-01-01,2026-02-01,,W1,\n"
	    "N2,cpn,Bob Other,1970-01-01,2026-02-01,,,\n"
	    "X1,cpw,Bad Date,1970-01-01,2026-02-30,,,\n"
	    "X2,cpw,\"broken\"quote,1970-01-01,2026-02-01,,,\n"
	    "X3,cpw,Short Row\n";
	const char *ev =
	    "record,kind,date,outcome,amount\n"
	    "N1,breached,2026-03-01,fpn,\n"
	    "N1,fpn-issued,2026-03-01,,100\n"
	    "N1,fpn-issued,2026-03-02,,500\n"
	    "R999,served,2026-03-01,,\n";

	memset(rej, 0, sizeof(rej));
	ck_assert_int_eq(import_str(csv, 1, &res, rej, sizeof(rej)), ASB_OK);
	ck_assert_uint_eq(res.rows, 7);
	ck_assert_uint_eq(res.records, 2);
	ck_assert_uint_eq(res.rejected, 5);
	ck_assert_uint_eq(res.subjects, 1);
	/* Rejected rows left no subject behind. */
	ck_assert_int_eq(reg_subject_get(R, 2, &s, &eb), ASB_ENOTFOUND);
	ck_assert(strstr(rej, "R-CPW-001") != NULL);
	ck_assert(strstr(rej, "R-CPN-002") != NULL);
	ck_assert(strstr(rej, "not an ISO 8601 date") != NULL);
	ck_assert(strstr(rej, "R-CSV-001") != NULL);
	ck_assert(strstr(rej, "the header has 8") != NULL);
	ck_assert_int_eq(reg_record_get(R, 2, &rec, &eb), ASB_OK);
	ck_assert_uint_eq(rec.link, 1);
	memset(rej, 0, sizeof(rej));
	ck_assert_int_eq(import_str(ev, 1, &res, rej, sizeof(rej)), ASB_OK);
	ck_assert_uint_eq(res.events, 2);
	ck_assert_uint_eq(res.rejected, 2);
	ck_assert(strstr(rej, "R-FPN-001") != NULL);
	/* An unknown column is refused before any row. */
	ck_assert_int_eq(import_str("ref,powr\nA,cpw\n", 0, &res, NULL, 0),
	    ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-CSV-002");
	ck_assert_int_eq(import_str("", 0, &res, NULL, 0), ASB_ERULE);
	/* The same reference twice is a conflict. */
	ck_assert_int_eq(import_str("ref,power,name,dob,issued\n"
	    "W1,cpw,Ann Adult,1980-01-01,2026-01-01\n", 0, &res, NULL, 0),
	    ASB_ECONFLICT);
}
END_TEST

TCase	*correct_tcase(void);	/* check_register_correct.c: void and merge */

static Suite *
register_suite(void)
{
	Suite *s = suite_create("register");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_init_open);
	tcase_add_test(tc, test_subjects);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_record_roundtrip);
	tcase_add_test(tc, test_codec_damaged);
	tcase_add_test(tc, test_refusal_stores_nothing);
	tcase_add_test(tc, test_cpn_links_cpw);
	tcase_add_test(tc, test_events_status);
	tcase_add_test(tc, test_dispersal_chain);
	tcase_add_test(tc, test_repeat);
	tcase_add_test(tc, test_due);
	tcase_add_test(tc, test_closure_links);
	tcase_add_test(tc, test_commence);
	tcase_add_test(tc, test_youth_review_birthday);
	suite_add_tcase(s, tc);
	tc = tcase_create("audit");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_audit_changed);
	tcase_add_test(tc, test_audit_removed);
	tcase_add_test(tc, test_audit_truncated);
	tcase_add_test(tc, test_audit_every_id);
	tcase_add_test(tc, test_audit_ids_changed);
	tcase_add_test(tc, test_audit_index_removed);
	tcase_add_test(tc, test_audit_rewritten);
	tcase_add_test(tc, test_audit_head_hook);
	tcase_add_loop_test(tc, test_audit_hex, 0, sizeof(hexes) / sizeof(hexes[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("policy");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_policy, 0, sizeof(policy) / sizeof(policy[0]));
	tcase_add_test(tc, test_open_as);
	suite_add_tcase(s, tc);
	tc = tcase_create("import");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_import_atomic);
	tcase_add_test(tc, test_import_rejects);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, correct_tcase());
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	setenv("TZ", "Europe/London", 1);
	tzset();
	sr = srunner_create(register_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
