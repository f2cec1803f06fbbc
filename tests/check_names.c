/*
 * check_names.c - names as people write them (register/names.c with ICU), the lookup entries
 * behind 'find' and the close-match check (register/lookup.c), the identity index rebuilt for
 * a register written under the old layout, the due index (register/due_index.c), and text
 * refused when it is not UTF-8.  Against a real register in a temporary directory.
 */
#include <check.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codes.h"
#include "internal.h"
#include "names.h"
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
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/asbreg-names-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(reg_init(dir, "E23000011", "tester", NOW, &eb), ASB_OK);
	ck_assert_int_eq(reg_open(dir, &R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
}

static void
teardown(void)
{
	char p[128];
	static const char *const files[] = { "data.mdb", "lock.mdb", "force.key" };
	size_t i;

	reg_close(R);
	R = NULL;
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void
reopen(void)
{
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
	reg_close(R);
	ck_assert_int_eq(reg_open(dir, &R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
}

static void
fill(struct reg_subject *s, const char *name, const char *dob)
{
	memset(s, 0, sizeof(*s));
	s->kind = SCH_PERSON;
	snprintf(s->name, sizeof(s->name), "%s", name);
	ck_assert_int_eq(asb_day_parse(dob, &s->dob), 0);
}

static uint64_t
person(const char *name, const char *dob)
{
	struct reg_subject s;

	fill(&s, name, dob);
	ck_assert_msg(reg_subject_add(R, &s, NOW, NULL, &eb) == ASB_OK, "%s: %s", name,
	    eb.msg);
	return s.id;
}

/* ---- the table: pairs of spellings, one person or two -------------------------------- */

enum { SAME, CLOSE, DIFF };

static const struct {
	const char	*a, *b;
	int		 want;
} pairs[] = {
	/* case, accents and diacritics */
	{ "Zoë Łukasz", "ZOE LUKASZ", SAME },
	{ "Zoë Łukasz", "zoe lukasz", SAME },
	{ "ZOË ŁUKASZ", "Zoë Łukasz", SAME },
	{ "Zoe\xcc\x88 Lukasz", "Zoë Lukasz", SAME },		/* e + combining diaeresis */
	{ "José Núñez", "Jose Nunez", SAME },
	{ "François Lefèvre", "Francois Lefevre", SAME },
	{ "Søren Ærø", "Soren Aero", SAME },
	{ "Jürgen Groß", "Jurgen Gross", SAME },
	{ "Dvořák Čapek", "Dvorak Capek", SAME },
	{ "Ștefan Țurcanu", "Stefan Turcanu", SAME },
	{ "Þóra Ðuríðardóttir", "Thora Duridardottir", SAME },
	{ "Иван Петров", "Ivan Petrov", SAME },			/* Cyrillic, transliterated */
	{ "Αλέξανδρος", "Alexandros", SAME },			/* Greek */
	/* apostrophes in every form, hyphens and spacing */
	{ "O'Brien", "O’Brien", SAME },
	{ "O‘Brien", "OBrien", SAME },
	{ "D`Arcy", "DArcy", SAME },
	{ "Smith-Jones", "Smith Jones", SAME },
	{ "Smith-Jones", "SmithJones", SAME },
	{ "Mary  Ann   Smith", "Mary Ann Smith", SAME },
	{ " Mary Ann Smith ", "Mary-Ann Smith", SAME },
	{ "Anne-Marie O’Neill", "annemarie oneill", SAME },
	/* close: typed slightly wrong, or written another way round */
	{ "Jon Smith", "John Smith", CLOSE },
	{ "Zoe Lukasz", "Zoe Lukas", CLOSE },
	{ "Katherine Jones", "Kathreine Jones", CLOSE },	/* a transposition */
	{ "Mohammed Khan", "Mohamed Khan", CLOSE },
	{ "Smith John", "John Smith", CLOSE },			/* surname first */
	{ "John Paul Smith", "John Smith", CLOSE },		/* a middle name dropped */
	{ "Aleksandra Nowak", "Alexsandra Nowak", CLOSE },
	/* another person */
	{ "John Smith", "Jane Smyth", DIFF },
	{ "Zoe Lukasz", "Chloe Lukas", DIFF },
	{ "Ann Lee", "Kim Lee", DIFF },
	{ "Manyfold Person1", "Manyfold Person2", DIFF },	/* digits differ: never close */
	{ "Li Wu", "Lu Wi", DIFF },				/* too short to guess */
	{ "Robin Mistyped", "Robin Typed", DIFF },
	{ "Sean Murphy", "Shaun Murray", DIFF },
};

START_TEST(test_pair_names)
{
	struct reg_names *nm;
	char wa[ASB_MAX_NAME], wb[ASB_MAX_NAME], ca[ASB_MAX_NAME], cb[ASB_MAX_NAME];
	int same, close;

	ck_assert_int_eq(reg_names_new(&nm, &eb), ASB_OK);
	reg_name_words(nm, pairs[_i].a, wa, sizeof(wa));
	reg_name_words(nm, pairs[_i].b, wb, sizeof(wb));
	reg_name_compact(wa, ca, sizeof(ca));
	reg_name_compact(wb, cb, sizeof(cb));
	same = strcmp(ca, cb) == 0;
	close = reg_name_close(wa, wb);
	reg_names_free(nm);
	ck_assert_msg(same == (pairs[_i].want == SAME), "%s / %s: '%s' '%s' same %d",
	    pairs[_i].a, pairs[_i].b, ca, cb, same);
	ck_assert_msg(close == (pairs[_i].want != DIFF), "%s / %s: '%s' '%s' close %d",
	    pairs[_i].a, pairs[_i].b, wa, wb, close);
}
END_TEST

static int
collect(const struct reg_subject *s, void *ctx)
{
	uint64_t *ids = ctx;

	ids[++ids[0]] = s->id;
	return ids[0] == 15;
}

/* The same pair through the register: the second spelling added as an officer adds it. */
START_TEST(test_pair_register)
{
	struct reg_subject s;
	uint64_t a = person(pairs[_i].a, "1990-05-01"), existing = 0, ids[16] = { 0 };
	int err;
	char want[64];

	fill(&s, pairs[_i].b, "1990-05-01");
	err = reg_subject_add_checked(R, &s, 0, NOW, &existing, &eb);
	reg_subject_id(a, want);
	switch (pairs[_i].want) {
	case SAME:
		ck_assert_int_eq(err, ASB_ECONFLICT);
		ck_assert_uint_eq(existing, a);
		ck_assert_msg(strstr(eb.msg, "already registered as") != NULL, "%s", eb.msg);
		ck_assert(strstr(eb.msg, want) != NULL);
		/* and 'find' with the other spelling finds them */
		ck_assert_int_eq(reg_subject_find(R, pairs[_i].b, collect, ids, &eb), ASB_OK);
		ck_assert_uint_eq(ids[0], 1);
		ck_assert_uint_eq(ids[1], a);
		break;
	case CLOSE:
		ck_assert_msg(err == ASB_ECONFLICT, "%s / %s: %d", pairs[_i].a, pairs[_i].b,
		    err);
		ck_assert_msg(strstr(eb.msg, "close to S000001") != NULL, "%s", eb.msg);
		ck_assert(strstr(eb.msg, "--new") != NULL);
		ck_assert_uint_eq(existing, a);
		ck_assert_int_eq(reg_subject_get(R, 2, &s, NULL), ASB_ENOTFOUND);
		/* --new: the officer says it is another person */
		fill(&s, pairs[_i].b, "1990-05-01");
		ck_assert_int_eq(reg_subject_add_checked(R, &s, 1, NOW, NULL, &eb), ASB_OK);
		ck_assert_uint_eq(s.id, 2);
		break;
	default:
		ck_assert_msg(err == ASB_OK, "%s / %s: %s", pairs[_i].a, pairs[_i].b, eb.msg);
		break;
	}
}
END_TEST

/* The same name and a date of birth one typo away. */
static const struct {
	const char	*dob;
	int		 close;
} dobs[] = {
	{ "1990-05-02", 1 },	/* one digit */
	{ "1991-05-01", 1 },
	{ "1980-05-01", 1 },
	{ "1990-01-05", 1 },	/* day and month swapped */
	{ "1990-06-01", 1 },	/* one digit of the month */
	{ "1990-05-11", 1 },
	{ "1991-05-02", 0 },	/* two digits */
	{ "1990-05-21", 1 },
	{ "1990-10-05", 0 },	/* swapped and a digit */
	{ "1909-05-01", 0 },	/* digits transposed in the year: two changed */
};

START_TEST(test_dob_typo)
{
	struct reg_subject s;
	uint64_t cand[REG_CLOSE_MAX];
	size_t n = 99;

	person("Zoë Łukasz", "1990-05-01");
	person("Other Person", "1990-05-02");
	fill(&s, "Zoe Lukasz", dobs[_i].dob);
	ck_assert_int_eq(reg_subject_close(R, &s, cand, REG_CLOSE_MAX, &n, &eb), ASB_OK);
	ck_assert_msg(n == (size_t)dobs[_i].close, "%s: %zu", dobs[_i].dob, n);
	if (n == 1)
		ck_assert_uint_eq(cand[0], 1);
	ck_assert_int_eq(reg_subject_add_checked(R, &s, 0, NOW, NULL, &eb),
	    dobs[_i].close ? ASB_ECONFLICT : ASB_OK);
}
END_TEST

/* ---- find --------------------------------------------------------------------------------- */

static const struct {
	const char	*q;
	const char	*want;		/* IDs found, in order, as digits: "13" = S1 and S3 */
} finds[] = {
	{ "zoe", "12" },
	{ "ZOË", "12" },
	{ "lukasz", "12" },
	{ "luk", "12" },
	{ "łukasz zoë", "12" },			/* words in another order */
	{ "zoe lukasz", "12" },
	{ "zoelukasz", "12" },
	{ "obrien", "3" },
	{ "O’Brien", "3" },
	{ "o'brien-smith", "3" },
	{ "brien", "" },				/* O’Brien is one word: obrien */
	{ "smi", "34" },				/* a word of the name, by its start */
	{ "smith", "34" },
	{ "sean", "3" },
	{ "1990-05-01", "1" },			/* by date of birth */
	{ "1980-02-03", "3" },
	{ "12/3456", "4" },			/* a PNC ID by its start */
	{ "nobody", "" },
	{ "xyz zoe", "" },			/* every word must match */
	{ "ukasz", "" },				/* not the middle of a word */
	{ "---", "" },
};

START_TEST(test_find_table)
{
	struct reg_subject s;
	uint64_t ids[16] = { 0 };
	char got[16] = "";
	size_t i;

	person("Zoë Łukasz", "1990-05-01");
	person("Zoe Lukasz", "1991-07-01");
	person("Seán O’Brien-Smith", "1980-02-03");
	fill(&s, "Jo Smith", "1970-01-01");
	snprintf(s.pnc, sizeof(s.pnc), "12/3456789X");
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_OK);
	ck_assert_int_eq(reg_subject_find(R, finds[_i].q, collect, ids, &eb), ASB_OK);
	for (i = 1; i <= ids[0]; i++)
		got[i - 1] = (char)('0' + ids[i]);
	ck_assert_msg(strcmp(got, finds[_i].want) == 0, "find '%s': %s, want %s",
	    finds[_i].q, got, finds[_i].want);
}
END_TEST

/* A subject's lookup entries follow a rectification, and go with an erased identity. */
START_TEST(test_find_follows)
{
	struct reg_subject s;
	uint64_t ids[16] = { 0 };
	int changed;

	person("Robin Mistyped", "1985-05-06");
	ck_assert_int_eq(reg_subject_get(R, 1, &s, &eb), ASB_OK);
	snprintf(s.name, sizeof(s.name), "Róbin Typed");
	ck_assert_int_eq(reg_subject_rectify(R, &s, "sgt", NOW, "typo", &changed, &eb),
	    ASB_OK);
	ck_assert_int_eq(reg_subject_find(R, "mistyped", collect, ids, &eb), ASB_OK);
	ck_assert_uint_eq(ids[0], 0);
	ck_assert_int_eq(reg_subject_find(R, "robin typed", collect, ids, &eb), ASB_OK);
	ck_assert_uint_eq(ids[0], 1);
	ck_assert_int_eq(reg_subject_identity_put(R, &s, 1, &eb), ASB_OK);
	ids[0] = 0;
	ck_assert_int_eq(reg_subject_find(R, "robin", collect, ids, &eb), ASB_OK);
	ck_assert_uint_eq(ids[0], 0);
	ck_assert_int_eq(reg_subject_find(R, "1985-05-06", collect, ids, &eb), ASB_OK);
	ck_assert_uint_eq(ids[0], 0);
	/* text that is not UTF-8 is refused, not searched */
	ck_assert_int_eq(reg_subject_find(R, "Zo\xeb", collect, ids, &eb), ASB_EUSAGE);
}
END_TEST

/* A register written before this release: its identity keys lower-cased, no lookup
 * entries, no "identity.format".  Opening it rebuilds the index. */
START_TEST(test_identity_rebuilt)
{
	struct reg_subject s;
	unsigned char kb[64], idb[8];
	MDB_val k, v;
	uint64_t ids[16] = { 0 }, a = person("Zoë Łukasz", "1990-05-01");
	const char old[] = "p:zoë łukasz|19900501";

	ck_assert_int_eq(mdb_drop(R->txn, R->dbi[DB_IX_IDENTITY], 0), 0);
	kb[0] = SCH_PERSON;
	memcpy(kb + 1, old, strlen(old));
	reg_put_u64(idb, a);
	k.mv_size = strlen(old) + 1;
	k.mv_data = kb;
	v.mv_size = 8;
	v.mv_data = idb;
	ck_assert_int_eq(mdb_put(R->txn, R->dbi[DB_IX_IDENTITY], &k, &v, 0), 0);
	k.mv_size = strlen("identity.format");
	k.mv_data = "identity.format";
	ck_assert_int_eq(mdb_del(R->txn, R->dbi[DB_META], &k, NULL), 0);
	/* as it was: not found by an accent-free spelling */
	ck_assert_int_eq(reg_subject_find(R, "zoe", collect, ids, &eb), ASB_OK);
	ck_assert_uint_eq(ids[0], 0);
	reopen();
	ck_assert_int_eq(reg_subject_find(R, "zoe", collect, ids, &eb), ASB_OK);
	ck_assert_uint_eq(ids[0], 1);
	ck_assert_int_eq(mdb_get(R->txn, R->dbi[DB_IX_IDENTITY], &k, &v), MDB_NOTFOUND);
	k.mv_size = strlen(old) + 1;
	k.mv_data = kb;
	ck_assert_int_eq(mdb_get(R->txn, R->dbi[DB_IX_IDENTITY], &k, &v), MDB_NOTFOUND);
	fill(&s, "ZOE LUKASZ", "1990-05-01");
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_ECONFLICT);
}
END_TEST

/* ---- the due index ------------------------------------------------------------------------ */

static size_t
due_count(asb_time now, int64_t within, int kind, asb_time *when)
{
	struct reg_due items[16];
	size_t n, total, i, k = 0;

	ck_assert_int_eq(reg_due(R, now, within, items, 16, &n, &total, &eb), ASB_OK);
	for (i = 0; i < n; i++)
		if (items[i].kind == kind) {
			k++;
			if (when != NULL)
				*when = items[i].when;
		}
	return k;
}

START_TEST(test_due_index)
{
	struct reg_record rec;
	struct reg_event ev;
	uint64_t p = person("Due Person", "1980-01-01");
	asb_time when = 0;
	MDB_val k;

	reg_record_defaults(&rec);
	rec.power = SCH_INJUNCTION;
	rec.subject = p;
	rec.issued = T("2026-06-01");
	rec.expires = T("2026-11-20");
	rec.agency = sch_code_index(SCH_LIST_AGENCIES, "local-authority");
	ck_assert_msg(reg_record_add(R, &rec, "t", NOW, NULL, &eb) == ASB_OK, "%s", eb.msg);
	ck_assert_uint_eq(due_count(NOW, 30 * 86400, REG_DUE_EXPIRY, &when), 1);
	ck_assert_int_eq(when, T("2026-11-20"));
	/* extended: the old date goes from the index, the new one is found */
	reg_event_defaults(&ev);
	ev.record = rec.id;
	ev.kind = sch_code_index(SCH_LIST_EVENTS, "varied");
	ev.date = T("2026-10-01");
	ev.until = T("2027-03-01");
	ck_assert_msg(reg_event_add(R, &ev, "t", NOW, NULL, &eb) == ASB_OK, "%s", eb.msg);
	ck_assert_uint_eq(due_count(NOW, 30 * 86400, REG_DUE_EXPIRY, NULL), 0);
	ck_assert_uint_eq(due_count(NOW, 150 * 86400, REG_DUE_EXPIRY, &when), 1);
	ck_assert_int_eq(when, T("2027-03-01"));
	/* a register without the index (or with an older one) gets it built when opened */
	ck_assert_int_eq(mdb_drop(R->txn, R->due_dbi, 0), 0);
	ck_assert_uint_eq(due_count(NOW, 150 * 86400, REG_DUE_EXPIRY, NULL), 0);
	k.mv_size = strlen("due.format");
	k.mv_data = "due.format";
	ck_assert_int_eq(mdb_del(R->txn, R->dbi[DB_META], &k, NULL), 0);
	reopen();
	ck_assert_uint_eq(due_count(NOW, 150 * 86400, REG_DUE_EXPIRY, &when), 1);
	ck_assert_int_eq(when, T("2027-03-01"));
}
END_TEST

/* An import puts its records' dates in a batch: found by due, a refused row's not. */
START_TEST(test_due_import)
{
	struct reg_import_result res;
	asb_time when = 0;
	FILE *in = tmpfile(), *rej = tmpfile();

	fputs("ref,power,name,dob,issued,expires,agency\n"
	    "D1,injunction,Ann Due,1980-01-01,2026-06-01,2026-11-20,local-authority\n"
	    "D2,injunction,Bob Bad,2030-01-01,2026-06-01,2026-11-10,local-authority\n"
	    "D3,injunction,Cy Later,1981-01-01,2026-06-01,2026-12-20,local-authority\n", in);
	rewind(in);
	ck_assert_int_eq(reg_import(R, in, rej, "t", NOW, NULL, NULL, &res, &eb), ASB_OK);
	ck_assert_uint_eq(res.records, 2);
	ck_assert_uint_eq(res.rejected, 1);
	ck_assert_uint_eq(due_count(NOW, 30 * 86400, REG_DUE_EXPIRY, &when), 1);
	ck_assert_int_eq(when, T("2026-11-20"));
	ck_assert_uint_eq(due_count(NOW, 60 * 86400, REG_DUE_EXPIRY, NULL), 2);
	reopen();
	ck_assert_uint_eq(due_count(NOW, 60 * 86400, REG_DUE_EXPIRY, NULL), 2);
	fclose(in);
	fclose(rej);
}
END_TEST

/* ---- text that is not UTF-8 ---------------------------------------------------------------- */

START_TEST(test_fields_utf8)
{
	struct reg_subject s;
	struct reg_record rec;
	struct reg_term t;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(reg_subject_set(&s, "name", "Zo\xeb", &eb), ASB_EUSAGE);
	ck_assert_msg(strstr(eb.msg, "name: is not valid UTF-8 at byte 3: save it as CSV "
	    "UTF-8") != NULL, "%s", eb.msg);
	ck_assert_str_eq(s.name, "");
	ck_assert_int_eq(reg_subject_set(&s, "name", "A\x1b[2JB", &eb), ASB_EUSAGE);
	ck_assert(strstr(eb.msg, "control character") != NULL);
	memset(&t, 0, sizeof(t));
	reg_record_defaults(&rec);
	/* conditions and notes may run over lines; nothing else may */
	ck_assert_int_eq(reg_record_set(&rec, &t, "conditions", "1. Not to enter X.\n2. Not "
	    "to contact Y.", &eb), ASB_OK);
	ck_assert_int_eq(reg_record_set(&rec, &t, "by", "PC\n1", &eb), ASB_EUSAGE);
	ck_assert_int_eq(reg_record_set(&rec, &t, "incident", "CAD\xc0\xaf", &eb), ASB_EUSAGE);
	ck_assert(strstr(eb.msg, "incident:") != NULL);
}
END_TEST

START_TEST(test_import_utf8)
{
	struct reg_import_result res;
	struct reg_subject s;
	FILE *in = tmpfile();

	fputs("ref,power,name,dob,issued,years,agency\n"
	    "A1,cbo,Jane Good,1990-01-01,2026-01-10,2,cps\n"
	    "A2,cbo,Zo\xeb Bad,1990-01-01,2026-01-10,2,cps\n", in);
	rewind(in);
	ck_assert_int_eq(reg_import(R, in, NULL, "t", NOW, NULL, NULL, &res, &eb), ASB_ERULE);
	ck_assert_msg(strstr(eb.msg, "line 3: name: is not valid UTF-8") != NULL, "%s",
	    eb.msg);
	fclose(in);
	reg_abort(R);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	ck_assert_int_eq(reg_subject_get(R, 1, &s, NULL), ASB_ENOTFOUND);
}
END_TEST

/* A future date of birth, and 1900. */
START_TEST(test_dob_bounds)
{
	struct reg_subject s;

	fill(&s, "Born Today", "2026-11-01");
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_OK);
	fill(&s, "Born Tomorrow", "2026-11-02");
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_EUSAGE);
	ck_assert_str_eq(eb.msg, "dob: a date of birth in the future");
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(reg_subject_set(&s, "dob", "1899-12-31", &eb), ASB_EUSAGE);
	ck_assert_str_eq(eb.msg, "dob: not a date: before 1900");
	ck_assert_int_eq(reg_subject_set(&s, "dob", "1900-01-01", &eb), ASB_OK);
	ck_assert_int_eq(reg_subject_set(&s, "dob", "1999-02-29", &eb), ASB_EUSAGE);
	ck_assert_str_eq(eb.msg, "dob: not a date: not a leap year: February has 28 days");
}
END_TEST

static Suite *
names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("spellings");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_pair_names, 0, sizeof(pairs) / sizeof(pairs[0]));
	tcase_add_loop_test(tc, test_pair_register, 0, sizeof(pairs) / sizeof(pairs[0]));
	tcase_add_loop_test(tc, test_dob_typo, 0, sizeof(dobs) / sizeof(dobs[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("find");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_find_table, 0, sizeof(finds) / sizeof(finds[0]));
	tcase_add_test(tc, test_find_follows);
	tcase_add_test(tc, test_identity_rebuilt);
	suite_add_tcase(s, tc);
	tc = tcase_create("due");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_due_index);
	tcase_add_test(tc, test_due_import);
	suite_add_tcase(s, tc);
	tc = tcase_create("text");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fields_utf8);
	tcase_add_test(tc, test_import_utf8);
	tcase_add_test(tc, test_dob_bounds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	setenv("TZ", "Europe/London", 1);
	tzset();
	sr = srunner_create(names_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
