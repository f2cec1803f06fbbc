/*
 * regbench - the register benchmark: importing a CSV of synthetic records and reading random
 * records back, through libregister (LMDB) and through SQLite doing the same work in the same
 * run: the same CSV reader, a subject looked up by its identity and inserted when new, the
 * record inserted with the same indexes (subject+date, power+date, LSOA+date, link, source
 * reference), one transaction for the whole file, durable commit (LMDB's default sync;
 * SQLite WAL with synchronous=FULL), and prepared statements throughout.
 *
 *   regbench gen N FILE [YYYY-Qn]    write N synthetic rows (deterministic); with a
 *                                    quarter, every row is issued in it (bench/return)
 *   regbench lmdb-import FILE DIR    asbreg's import, in process
 *   regbench sqlite-import FILE DB
 *   regbench lmdb-read DIR N         N random point reads of whole records
 *   regbench sqlite-read DB N
 *   regbench lmdb-find DIR N         N finds of random people each way: by whole name, by
 *                                    its words in another order and cut short, by date of
 *                                    birth; and one by a surname a person in eight has
 *   regbench lmdb-due DIR N          N runs of 'due' (30 days, then a year)
 * Each timed mode prints one line: "<mode> <count> <seconds> <per second>".
 * Not a test: it never gates CI.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "num.h"
#include "reg.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int64_t
arg_num(const char *s)
{
	int64_t v;
	const char *why;

	if (asb_strtonum(s, 1, 100000000, &v, &why) == -1) {
		fprintf(stderr, "regbench: %s: %s\n", s, why);
		exit(2);
	}
	return v;
}

/* Adults only, so every row passes the rules: CBOs, injunctions and CPWs, three records a
 * person on average, issue dates over three years. */
static int
gen(int64_t n, const char *path, const char *quarter)
{
	static const char *const given[] = { "Alex", "Sam", "Jo", "Chris",
	    "Jamie", "Robin", "Lee", "Kim" };
	static const char *const family[] = { "Smith", "Jones", "Taylor",
	    "Brown", "Williams", "Wilson", "Evans", "Thomas" };
	FILE *f = fopen(path, "w");
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	int64_t i, person, people = n / 3 + 1;
	int kind, year = 0, q = 0, day, mon;

	if (f == NULL)
		return 5;
	if (quarter != NULL) {
		if (strlen(quarter) != 7 || quarter[5] != 'Q')
			return 2;
		year = (quarter[2] - '0') * 10 + (quarter[3] - '0');
		q = quarter[6] - '0';
	}
	fputs("ref,power,name,dob,sex,lsoa,issued,years,months,agency,"
	    "conditions,incident\n", f);
	for (i = 0; i < n; i++) {
		person = (int64_t)(rnd(&s) % (uint64_t)people);
		kind = (int)(rnd(&s) % 3);
		mon = quarter ? 3 * (q - 1) + 1 + (int)(rnd(&s) % 3) :
		    1 + (int)(rnd(&s) % 12);
		day = 1 + (int)(rnd(&s) % 28);
		fprintf(f, "B%09lld,%s,%s %s %lld,19%02d-%02d-%02d,%c,E01%06d,"
		    "20%02d-%02d-%02d,%s,%s,%s,Not to enter the area shown on "
		    "map %lld,CAD-%lld\n", (long long)i,
		    kind == 0 ? "cbo" : kind == 1 ? "injunction" : "cpw",
		    given[person % 8], family[(person / 8) % 8],
		    (long long)person, (int)(60 + person % 40),
		    (int)(1 + person % 12), (int)(1 + person % 28),
		    person % 2 ? 'M' : 'F', (int)(person % 30000),
		    quarter ? year : 23 + (int)(rnd(&s) % 3), mon, day,
		    kind == 0 ? "2" : "",
		    kind == 1 ? "12" : "", kind == 0 ? "cps" :
		    kind == 1 ? "local-authority" : "police", (long long)i,
		    (long long)i);
	}
	return fclose(f) == 0 ? 0 : 5;
}

static int
lmdb_import(const char *file, const char *dir)
{
	struct reg_import_result res;
	struct asb_errbuf eb;
	struct reg *r;
	FILE *in = fopen(file, "r");
	double t0, t1;
	asb_time now;

	if (in == NULL || asb_time_parse("2026-11-01T12:00", &now) == -1)
		return 5;
	if (reg_init(dir, "E23000011", "bench", now, &eb) != ASB_OK ||
	    reg_open(dir, &r, &eb) != ASB_OK) {
		fprintf(stderr, "regbench: %s\n", eb.msg);
		return 5;
	}
	t0 = now_s();
	if (reg_begin(r, 1, &eb) != ASB_OK ||
	    reg_import(r, in, NULL, "bench", now, NULL, NULL, &res, &eb) !=
	    ASB_OK || reg_commit(r, &eb) != ASB_OK) {
		fprintf(stderr, "regbench: %s (%s)\n", eb.msg, eb.rule);
		return 5;
	}
	t1 = now_s();
	printf("lmdb-import %llu %.3f %.0f\n", (unsigned long long)res.records,
	    t1 - t0, res.records / (t1 - t0));
	reg_close(r);
	fclose(in);
	return 0;
}

#define SQL(db, s) do { char *e_ = NULL; if (sqlite3_exec(db, s, NULL, NULL, &e_) \
	!= SQLITE_OK) { fprintf(stderr, "regbench: %s: %s\n", s, e_); return 5; } } while (0)

static int
col(char **names, size_t n, const char *want)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], want) == 0)
			return (int)i;
	return -1;
}

static int
sqlite_import(const char *file, const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *find, *addsub, *addid, *addrec;
	struct csv_reader *cr;
	struct asb_errbuf eb;
	FILE *in = fopen(file, "r");
	char **f, hdr[16][32], *names[16], ident[600];
	size_t n, i, nh;
	int64_t subject, count = 0;
	int c_ref, c_power, c_name, c_dob, c_sex, c_lsoa, c_issued, c_years,
	    c_months, c_agency, c_cond, c_inc;
	double t0, t1;
	asb_time issued, expires;

	if (in == NULL || sqlite3_open(path, &db) != SQLITE_OK)
		return 5;
	SQL(db, "PRAGMA journal_mode=WAL");
	SQL(db, "PRAGMA synchronous=FULL");
	SQL(db, "CREATE TABLE subjects (id INTEGER PRIMARY KEY, kind INTEGER, "
	    "name TEXT, dob INTEGER, sex TEXT, ethnicity TEXT, pnc TEXT, "
	    "uprn TEXT, lsoa TEXT, created INTEGER)");
	SQL(db, "CREATE TABLE identities (ident TEXT PRIMARY KEY, subject "
	    "INTEGER) WITHOUT ROWID");
	SQL(db, "CREATE TABLE records (id INTEGER PRIMARY KEY, power INTEGER, "
	    "subject INTEGER, link INTEGER, issued INTEGER, served INTEGER, "
	    "expires INTEGER, agency TEXT, by_ TEXT, authorised_by TEXT, "
	    "rank TEXT, lsoa TEXT, incident TEXT, ref TEXT, conditions TEXT, "
	    "created INTEGER, created_by TEXT)");
	SQL(db, "CREATE INDEX ix_subject ON records(subject, issued)");
	SQL(db, "CREATE INDEX ix_type ON records(power, issued)");
	SQL(db, "CREATE INDEX ix_lsoa ON records(lsoa, issued)");
	SQL(db, "CREATE INDEX ix_link ON records(link)");
	SQL(db, "CREATE UNIQUE INDEX ix_ref ON records(ref)");
	if (sqlite3_prepare_v2(db, "SELECT subject FROM identities WHERE "
	    "ident = ?", -1, &find, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO subjects (kind, name, dob, sex, "
	    "lsoa, created) VALUES (1, ?, ?, ?, ?, 0)", -1, &addsub,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO identities VALUES (?, ?)", -1,
	    &addid, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO records (power, subject, link, "
	    "issued, served, expires, agency, by_, lsoa, incident, ref, "
	    "conditions, created, created_by) VALUES (?, ?, 0, ?, 0, ?, ?, '', "
	    "?, ?, ?, ?, 0, 'bench')", -1, &addrec, NULL) != SQLITE_OK)
		return 5;
	cr = csv_reader_new(in);
	t0 = now_s();
	SQL(db, "BEGIN");
	if (csv_reader_next(cr, &f, &nh, &eb) != ASB_OK || f == NULL)
		return 5;
	for (i = 0; i < nh && i < 16; i++) {
		snprintf(hdr[i], sizeof(hdr[i]), "%s", f[i]);
		names[i] = hdr[i];
	}
	c_ref = col(names, nh, "ref");
	c_power = col(names, nh, "power");
	c_name = col(names, nh, "name");
	c_dob = col(names, nh, "dob");
	c_sex = col(names, nh, "sex");
	c_lsoa = col(names, nh, "lsoa");
	c_issued = col(names, nh, "issued");
	c_years = col(names, nh, "years");
	c_months = col(names, nh, "months");
	c_agency = col(names, nh, "agency");
	c_cond = col(names, nh, "conditions");
	c_inc = col(names, nh, "incident");
	while (csv_reader_next(cr, &f, &n, &eb) == ASB_OK && f != NULL) {
		if (n != nh || asb_time_parse(f[c_issued], &issued) == -1)
			return 5;
		expires = f[c_years][0] ? asb_time_add_months(issued, 24) :
		    f[c_months][0] ? asb_time_add_months(issued, 12) : 0;
		snprintf(ident, sizeof(ident), "p:%s|%s", f[c_name], f[c_dob]);
		sqlite3_bind_text(find, 1, ident, -1, SQLITE_STATIC);
		if (sqlite3_step(find) == SQLITE_ROW)
			subject = sqlite3_column_int64(find, 0);
		else {
			sqlite3_bind_text(addsub, 1, f[c_name], -1, SQLITE_STATIC);
			sqlite3_bind_text(addsub, 2, f[c_dob], -1, SQLITE_STATIC);
			sqlite3_bind_text(addsub, 3, f[c_sex], -1, SQLITE_STATIC);
			sqlite3_bind_text(addsub, 4, f[c_lsoa], -1, SQLITE_STATIC);
			if (sqlite3_step(addsub) != SQLITE_DONE)
				return 5;
			sqlite3_reset(addsub);
			subject = sqlite3_last_insert_rowid(db);
			sqlite3_bind_text(addid, 1, ident, -1, SQLITE_STATIC);
			sqlite3_bind_int64(addid, 2, subject);
			if (sqlite3_step(addid) != SQLITE_DONE)
				return 5;
			sqlite3_reset(addid);
		}
		sqlite3_reset(find);
		sqlite3_bind_text(addrec, 1, f[c_power], -1, SQLITE_STATIC);
		sqlite3_bind_int64(addrec, 2, subject);
		sqlite3_bind_int64(addrec, 3, issued);
		sqlite3_bind_int64(addrec, 4, expires);
		sqlite3_bind_text(addrec, 5, f[c_agency], -1, SQLITE_STATIC);
		sqlite3_bind_text(addrec, 6, f[c_lsoa], -1, SQLITE_STATIC);
		sqlite3_bind_text(addrec, 7, f[c_inc], -1, SQLITE_STATIC);
		sqlite3_bind_text(addrec, 8, f[c_ref], -1, SQLITE_STATIC);
		sqlite3_bind_text(addrec, 9, f[c_cond], -1, SQLITE_STATIC);
		if (sqlite3_step(addrec) != SQLITE_DONE)
			return 5;
		sqlite3_reset(addrec);
		count++;
	}
	SQL(db, "COMMIT");
	t1 = now_s();
	printf("sqlite-import %lld %.3f %.0f\n", (long long)count, t1 - t0,
	    count / (t1 - t0));
	sqlite3_finalize(find);
	sqlite3_finalize(addsub);
	sqlite3_finalize(addid);
	sqlite3_finalize(addrec);
	sqlite3_close(db);
	csv_reader_free(cr);
	fclose(in);
	return 0;
}

static int
lmdb_read(const char *dir, int64_t n)
{
	struct reg_record rec;
	struct asb_errbuf eb;
	struct reg *r;
	uint64_t s = 0x2545f4914f6cdd1dULL, max, sum = 0;
	int64_t i;
	double t0, t1;

	if (reg_open(dir, &r, &eb) != ASB_OK || reg_begin(r, 0, &eb) != ASB_OK)
		return 5;
	/* The last record's ID is the count. */
	for (max = 1; reg_record_get(r, max * 2, &rec, NULL) == ASB_OK; max *= 2)
		;
	{
		uint64_t lo = max, hi = max * 2;

		while (hi - lo > 1) {
			uint64_t mid = lo + (hi - lo) / 2;

			if (reg_record_get(r, mid, &rec, NULL) == ASB_OK)
				lo = mid;
			else
				hi = mid;
		}
		max = lo;
	}
	t0 = now_s();
	for (i = 0; i < n; i++) {
		if (reg_record_get(r, 1 + rnd(&s) % max, &rec, &eb) != ASB_OK)
			return 5;
		sum += (uint64_t)rec.issued + strlen(rec.conditions);
	}
	t1 = now_s();
	printf("lmdb-read %lld %.3f %.0f\n", (long long)n, t1 - t0, n / (t1 - t0));
	fprintf(stderr, "(checksum %llu)\n", (unsigned long long)sum);
	reg_close(r);
	return 0;
}

static void
copy_col(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);

	if (t == NULL || n >= cap)
		n = 0;
	if (n > 0)
		memcpy(dst, t, n);
	dst[n] = '\0';
}

/* The same whole-record read: every column, strings copied out, as reg_record_get does. */
static int
sqlite_read(const char *path, int64_t n)
{
	sqlite3 *db;
	sqlite3_stmt *get, *cnt;
	struct reg_record rec;
	uint64_t s = 0x2545f4914f6cdd1dULL, max, sum = 0;
	int64_t i;
	double t0, t1;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT max(id) FROM records", -1, &cnt,
	    NULL) != SQLITE_OK || sqlite3_step(cnt) != SQLITE_ROW)
		return 5;
	max = (uint64_t)sqlite3_column_int64(cnt, 0);
	sqlite3_finalize(cnt);
	if (sqlite3_prepare_v2(db, "SELECT power, subject, link, issued, served, "
	    "expires, agency, by_, authorised_by, rank, lsoa, incident, ref, "
	    "conditions, created, created_by FROM records WHERE id = ?", -1,
	    &get, NULL) != SQLITE_OK)
		return 5;
	SQL(db, "BEGIN");
	t0 = now_s();
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(get, 1, (sqlite3_int64)(1 + rnd(&s) % max));
		if (sqlite3_step(get) != SQLITE_ROW)
			return 5;
		rec.power = sqlite3_column_int(get, 0);
		rec.subject = (uint64_t)sqlite3_column_int64(get, 1);
		rec.link = (uint64_t)sqlite3_column_int64(get, 2);
		rec.issued = sqlite3_column_int64(get, 3);
		rec.served = sqlite3_column_int64(get, 4);
		rec.expires = sqlite3_column_int64(get, 5);
/* Copied as our decoder copies: memcpy of the stored length, bounded by the field. */
#define STR(c, dst) copy_col(get, c, dst, sizeof(dst))
		STR(7, rec.by);
		STR(8, rec.authorised_by);
		STR(9, rec.rank);
		STR(10, rec.lsoa);
		STR(11, rec.incident);
		STR(12, rec.ref);
		STR(13, rec.conditions);
		rec.created = sqlite3_column_int64(get, 14);
		STR(15, rec.created_by);
		sum += (uint64_t)rec.issued + strlen(rec.conditions);
		sqlite3_reset(get);
	}
	t1 = now_s();
	SQL(db, "COMMIT");
	printf("sqlite-read %lld %.3f %.0f\n", (long long)n, t1 - t0,
	    n / (t1 - t0));
	fprintf(stderr, "(checksum %llu)\n", (unsigned long long)sum);
	sqlite3_finalize(get);
	sqlite3_close(db);
	return 0;
}

/* "Alex Smith 12345" -> its three words (the generator's names have three). */
static int
split3(const char *name, char *a, char *b, char *c)
{
	char *parts[3] = { a, b, c };
	const char *p = name;
	size_t l;
	int i;

	for (i = 0; i < 3; i++) {
		while (*p == ' ')
			p++;
		l = strcspn(p, " ");
		if (l == 0 || l >= 64)
			return -1;
		memcpy(parts[i], p, l);
		parts[i][l] = '\0';
		p += l;
	}
	return 0;
}

static int
count_one(const struct reg_subject *s, void *ctx)
{
	(void)s;
	(*(uint64_t *)ctx)++;
	return 0;
}

/* The highest ID get() finds, by doubling then halving. */
static uint64_t
last_id(struct reg *r, int (*get)(struct reg *, uint64_t))
{
	uint64_t lo, hi, mid, max;

	for (max = 1; get(r, max * 2); max *= 2)
		;
	for (lo = max, hi = max * 2; hi - lo > 1;) {
		mid = lo + (hi - lo) / 2;
		if (get(r, mid))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int
has_subject(struct reg *r, uint64_t id)
{
	struct reg_subject s;

	return reg_subject_get(r, id, &s, NULL) == ASB_OK;
}

static int
lmdb_find(const char *dir, int64_t n)
{
	static const char *const how[] = { "name", "words", "dob" };
	struct reg_subject s;
	struct asb_errbuf eb;
	struct reg *r;
	uint64_t seed = 0x1234567887654321ULL, max, found, total;
	char q[ASB_MAX_NAME + 8], a[64], b[64], c[64];
	double t0, t1, worst;
	int64_t i;
	int mode;

	if (reg_open(dir, &r, &eb) != ASB_OK || reg_begin(r, 0, &eb) != ASB_OK)
		return 5;
	max = last_id(r, has_subject);
	for (mode = 0; mode < 3; mode++) {
		total = 0;
		worst = 0;
		t1 = 0;
		for (i = 0; i < n; i++) {
			if (reg_subject_get(r, 1 + rnd(&seed) % max, &s, &eb) != ASB_OK)
				return 5;
			if (mode == 0)
				snprintf(q, sizeof(q), "%s", s.name);
			else if (mode == 1) {
				/* "Alex Smith 12345" as "smith ALEX 1234" */
				a[0] = b[0] = c[0] = '\0';
				if (split3(s.name, a, b, c) == -1)
					return 5;
				snprintf(q, sizeof(q), "%s %s %.*s", b, a,
				    (int)(strlen(c) > 1 ? strlen(c) - 1 : strlen(c)), c);
			} else
				asb_day_format(s.dob, q, sizeof(q));
			found = 0;
			t0 = now_s();
			if (reg_subject_find(r, q, count_one, &found, &eb) != ASB_OK)
				return 5;
			t0 = now_s() - t0;
			t1 += t0;
			if (t0 > worst)
				worst = t0;
			total += found;
		}
		printf("lmdb-find-%s %lld %.3f %.0f mean %.3f ms, worst %.3f ms, %.1f found "
		    "each\n", how[mode], (long long)n, t1, n / t1, 1000 * t1 / n,
		    1000 * worst, (double)total / n);
	}
	found = 0;
	t0 = now_s();
	if (reg_subject_find(r, "Smith", count_one, &found, &eb) != ASB_OK)
		return 5;
	t1 = now_s() - t0;
	printf("lmdb-find-surname 1 %.3f %.0f %llu found in %.1f ms\n", t1, 1 / t1,
	    (unsigned long long)found, 1000 * t1);
	reg_close(r);
	return 0;
}

static int
lmdb_due(const char *dir, int64_t n)
{
	static struct reg_due items[1000];
	static const int64_t within[] = { 30 * 86400, 365 * 86400 };
	struct asb_errbuf eb;
	struct reg *r;
	size_t got, total;
	asb_time now;
	double t0, t1, worst;
	int64_t i;
	int w;

	if (asb_time_parse("2026-11-01T12:00", &now) == -1 ||
	    reg_open(dir, &r, &eb) != ASB_OK || reg_begin(r, 0, &eb) != ASB_OK)
		return 5;
	for (w = 0; w < 2; w++) {
		t1 = worst = 0;
		total = 0;
		for (i = 0; i < n; i++) {
			t0 = now_s();
			if (reg_due(r, now, within[w], items, 1000, &got, &total, &eb) !=
			    ASB_OK) {
				fprintf(stderr, "regbench: %s\n", eb.msg);
				return 5;
			}
			t0 = now_s() - t0;
			t1 += t0;
			if (t0 > worst)
				worst = t0;
		}
		printf("lmdb-due-%dd %lld %.3f %.0f mean %.3f ms, worst %.3f ms, %zu due\n",
		    (int)(within[w] / 86400), (long long)n, t1, n / t1, 1000 * t1 / n,
		    1000 * worst, total);
	}
	reg_close(r);
	return 0;
}

int
main(int argc, char **argv)
{
	setenv("TZ", "Europe/London", 1);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "gen") == 0)
		return gen(arg_num(argv[2]), argv[3], argc == 5 ? argv[4] : NULL);
	if (argc == 4 && strcmp(argv[1], "lmdb-import") == 0)
		return lmdb_import(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "sqlite-import") == 0)
		return sqlite_import(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "lmdb-read") == 0)
		return lmdb_read(argv[2], arg_num(argv[3]));
	if (argc == 4 && strcmp(argv[1], "sqlite-read") == 0)
		return sqlite_read(argv[2], arg_num(argv[3]));
	if (argc == 4 && strcmp(argv[1], "lmdb-find") == 0)
		return lmdb_find(argv[2], arg_num(argv[3]));
	if (argc == 4 && strcmp(argv[1], "lmdb-due") == 0)
		return lmdb_due(argv[2], arg_num(argv[3]));
	fprintf(stderr, "usage: regbench gen N FILE [YYYY-Qn] | lmdb-import FILE DIR | "
	    "sqlite-import FILE DB | lmdb-read DIR N | sqlite-read DB N | lmdb-find DIR N | "
	    "lmdb-due DIR N\n");
	return 2;
}
