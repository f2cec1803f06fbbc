/*
 * check_report_pub.c - the publication side with known answers: coverage statements, the
 * measures that do not apply, small populations out of rankings, the tidy CSV's shape,
 * revisions marking exactly the changed cells, data quality per force (completeness, volume
 * changes, late and corrected returns, and as a release's date saw them), the release record's
 * encoding and store, and the workbook's zip (mimetype first and stored, the same bytes twice,
 * bad sheet names refused).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_report.h"
#include "codes.h"
#include "ods.h"
#include "reindex.h"
#include "release.h"
#include "report.h"
#include "report_pub.h"
#include "store.h"

static struct rpt *
build(struct buf *bufs, size_t n, const char *by, const char *from, const char *to)
{
	const char *bodies[64];
	size_t lens[64], i;
	struct rpt_opts o;
	struct asb_errbuf eb;
	struct rpt *r;

	ck_assert_uint_le(n, 64);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(rpt_parse_range(from, to, &o, NULL), ASB_OK);
	ck_assert_int_eq(rpt_parse_dims(by, &o, NULL), ASB_OK);
	for (i = 0; i < n; i++) {
		bodies[i] = bufs[i].s;
		lens[i] = bufs[i].n;
	}
	asb_errbuf_clear(&eb);
	ck_assert_msg(rpt_build_mem(bodies, lens, n, &o, &r, &eb) == ASB_OK, "%s", eb.msg);
	return r;
}

/* What fn writes for r, malloc'd. */
static char *
output(const struct rpt *r, int (*fn)(const struct rpt *, FILE *))
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fn(r, f), 0);
	fclose(f);
	return s;
}

static void
free_bufs(struct buf *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(b[i].s);
}

/* ---- coverage ---------------------------------------------------------------------------- */

START_TEST(test_coverage)
{
	struct buf b[43];
	struct rpt *r;
	char buf[2048], *s;
	unsigned i, nf = sch_code_count(SCH_LIST_FORCES);

	head(&b[0], "E23000011", "2026-Q3");
	rec(&b[0], "a", "person", "cpw", 1, "35+", "M", "W1", "E08000019", "");
	tail(&b[0]);
	head(&b[1], "W15000003", "2026-Q3");
	rec(&b[1], "b", "person", "cpw", 1, "35+", "M", "W1", "W06000015", "");
	tail(&b[1]);
	r = build(b, 2, "force,power", "2026-Q3", NULL);
	ck_assert_uint_eq(rpt_forces_counted(r, 0), 2);
	ck_assert_int_eq(rpt_full_coverage(r), 0);
	ck_assert_str_eq(rpt_area(r, buf, sizeof(buf)),
	    "2 of 43 police forces in England and Wales");
	rpt_missing(r, 0, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "Metropolitan Police, Cumbria"));
	ck_assert_ptr_null(strstr(buf, "South Yorkshire"));
	ck_assert_ptr_null(strstr(buf, "South Wales"));
	s = output(r, rpt_write_text);
	ck_assert_msg(strncmp(s, "ASB powers, 2 of 43 police forces in England and Wales: "
	    "2026-Q3\n", 56) == 0, "%.120s", s);
	ck_assert_ptr_nonnull(strstr(s, "  2026-Q3: 2 of 43 forces counted; missing: "));
	ck_assert_ptr_nonnull(strstr(s, "over 2026-Q3 (1 quarter, not annualised)"));
	free(s);
	s = output(r, rpt_write_json);
	ck_assert_ptr_nonnull(strstr(s, "\"area\":\"2 of 43 police forces in England and "
	    "Wales\""));
	ck_assert_ptr_nonnull(strstr(s, "\"coverage\":[{\"quarter\":\"2026-Q3\","
	    "\"forces_counted\":2,\"forces\":43,\"missing\":[\"E23000001\","));
	free(s);
	s = output(r, rpt_write_html);
	ck_assert_ptr_nonnull(strstr(s, "<h1>Anti-social behaviour powers, 2 of 43 police "
	    "forces in England and Wales: 2026-Q3</h1>"));
	ck_assert_ptr_nonnull(strstr(s, "<li>2026-Q3: 2 of 43 forces counted; missing: "));
	free(s);
	rpt_free(r);

	/* a year: three quarters without a return are named */
	r = build(b, 2, "quarter", "2026", NULL);
	ck_assert_uint_eq(rpt_forces_counted(r, 0), 0);
	ck_assert_uint_eq(rpt_forces_counted(r, 2), 2);
	ck_assert_str_eq(rpt_area(r, buf, sizeof(buf)), "police forces in England and Wales "
	    "with a return (coverage differs by quarter)");
	s = output(r, rpt_write_text);
	ck_assert_ptr_nonnull(strstr(s, "  2026-Q1: 0 of 43 forces counted (no returns)\n"));
	ck_assert_ptr_nonnull(strstr(s, "  Quarters with no returns: 2026-Q1 2026-Q2 "
	    "2026-Q4\n"));
	ck_assert_ptr_nonnull(strstr(s, "over 2026-Q1 to 2026-Q4 (4 quarters, not "
	    "annualised)"));
	free(s);
	rpt_free(r);
	free_bufs(b, 2);

	/* every force: England and Wales, and nothing missing */
	for (i = 0; i < nf; i++) {
		head(&b[i], sch_code_field(SCH_LIST_FORCES, i, 0), "2026-Q3");
		rec(&b[i], "a", "person", "cpw", 1, "35+", "M", "W1", "", "");
		tail(&b[i]);
	}
	r = build(b, nf, "power", "2026-Q3", NULL);
	ck_assert_int_eq(rpt_full_coverage(r), 1);
	ck_assert_str_eq(rpt_area(r, buf, sizeof(buf)), "England and Wales");
	ck_assert_str_eq(rpt_missing(r, 0, buf, sizeof(buf)), "");
	s = output(r, rpt_write_text);
	ck_assert_msg(strncmp(s, "ASB powers, England and Wales: 2026-Q3\n", 39) == 0, "%.80s",
	    s);
	free(s);
	s = output(r, rpt_write_tidy_csv);
	ck_assert_ptr_nonnull(strstr(s, "\n2026-Q3,K04000001,England and Wales,cpw,none,all,"
	    "uses,43,\n"));
	free(s);
	rpt_free(r);
	free_bufs(b, nf);
}
END_TEST

/* ---- measures ----------------------------------------------------------------------------- */

static const struct {
	const char	*power;
	enum rpt_breach	 breach;
	int		 fpn;
} measures[] = {
	{ "cpw", RB_NA, 0 }, { "cpn", RB_RATE, 1 }, { "pspo", RB_COUNT, 1 },
	{ "injunction", RB_RATE, 0 }, { "cbo", RB_RATE, 0 },
	{ "dispersal-authorisation", RB_COUNT, 0 }, { "dispersal-direction", RB_COUNT, 0 },
	{ "closure-notice", RB_COUNT, 0 }, { "closure-order", RB_RATE, 0 },
	{ "respect-order", RB_RATE, 0 }, { "youth-injunction", RB_RATE, 0 },
	{ "housing-injunction", RB_RATE, 0 },
};

START_TEST(test_measures)
{
	struct buf b[2];
	struct rpt *r;
	char *s, *p;
	size_t i;

	ck_assert_uint_eq(sizeof(measures) / sizeof(measures[0]),
	    sch_code_count(SCH_LIST_POWERS));
	for (i = 0; i < sizeof(measures) / sizeof(measures[0]); i++) {
		int k = sch_code_index(SCH_LIST_POWERS, measures[i].power);

		ck_assert_int_ge(k, 0);
		ck_assert_msg(rpt_breach_kind(k) == measures[i].breach, "%s", measures[i].power);
		ck_assert_int_eq(rpt_fpn_applies(k), measures[i].fpn);
	}
	head(&b[0], "E23000011", "2026-Q3");
	rec(&b[0], "a", "person", "cpw", 1, "35+", "M", "W1", "", "");
	rec(&b[0], "b", "person", "cbo", 1, "35+", "M", "W1", "", "breached");
	rec(&b[0], "c", "person", "cbo", 1, "35+", "M", "W1", "", "");
	rec(&b[0], "p", "place", "pspo", 1, "", "", "", "", "breached,breached,fpn-issued");
	tail(&b[0]);
	head(&b[1], "E23000034", "2026-Q3");	/* the City of London: 9,721 residents */
	rec(&b[1], "d", "person", "cpw", 1, "35+", "M", "W1", "", "");
	tail(&b[1]);
	r = build(b, 2, "force,power", "2026-Q3", NULL);
	ck_assert_int_eq(r->powers[sch_code_index(SCH_LIST_POWERS, "pspo")].fpns, 1);
	s = output(r, rpt_write_json);
	ck_assert_ptr_nonnull(strstr(s, "{\"power\":\"cpw\",\"uses\":2,\"breaches\":0,"
	    "\"breach_measure\":\"not-applicable\",\"fixed_penalties\":null,"
	    "\"breaches_per_100_uses\":null}"));
	ck_assert_ptr_nonnull(strstr(s, "{\"power\":\"pspo\",\"uses\":1,\"breaches\":2,"
	    "\"breach_measure\":\"count\",\"fixed_penalties\":1,"
	    "\"breaches_per_100_uses\":null}"));
	ck_assert_ptr_nonnull(strstr(s, "{\"power\":\"cbo\",\"uses\":2,\"breaches\":1,"
	    "\"breach_measure\":\"rate\",\"fixed_penalties\":null,"
	    "\"breaches_per_100_uses\":50.00}"));
	ck_assert_ptr_nonnull(p = strstr(s, "\"force\":\"E23000034\""));
	ck_assert_ptr_nonnull(strstr(p, "\"ranked\":false"));
	ck_assert_ptr_nonnull(p = strstr(s, "\"force\":\"E23000011\""));
	ck_assert_ptr_nonnull(strstr(p, "\"ranked\":true"));
	free(s);
	s = output(r, rpt_write_text);
	ck_assert_ptr_nonnull(strstr(s, "\ncpw                              2         z     "
	    "       z         z\n"));
	ck_assert_ptr_nonnull(strstr(s, "\npspo                             1         2     "
	    "       z         1\n"));
	ck_assert_ptr_nonnull(strstr(s, " *small\n"));
	free(s);
	/* the ranking chart leaves the City of London out; its table row says why */
	s = output(r, rpt_write_html);
	ck_assert_ptr_nonnull(p = strstr(s, "forces ranked</figcaption>"));
	ck_assert_ptr_nonnull(strstr(p, "</svg>"));
	*strstr(p, "</svg>") = '\0';
	ck_assert_ptr_nonnull(strstr(p, "South Yorkshire</text>"));
	ck_assert_ptr_null(strstr(p, "City of London</text>"));
	p[strlen(p)] = '<';
	ck_assert_ptr_nonnull(strstr(s, "(small population: not ranked)"));
	free(s);
	rpt_free(r);
	free_bufs(b, 2);
}
END_TEST

/* ---- the tidy CSV --------------------------------------------------------------------------- */

START_TEST(test_tidy_shape)
{
	struct buf b;
	struct rpt *r;
	char *s, *line, *save = NULL;
	unsigned lines = 0, sup = 0, zeros = 0, commas;
	size_t i;
	int m, want_sup = 0;
	const char *c, *pre = "2026-Q3,,Forces with a return (1 of 43 police forces in "
	    "England and Wales),";

	head(&b, "E23000011", "2026-Q3");
	for (i = 0; i < 12; i++)
		rec(&b, "m", "person", "cpw", 1, "35+", "M", "W1", "", "");
	for (i = 0; i < 2; i++)
		rec(&b, "f", "person", "cpw", 1, "35+", "F", "W1", "", "");
	rec(&b, "x", "person", "cbo", 1, "35+", "M", "W1", "", "");
	tail(&b);
	r = build(&b, 1, "power,sex", "2026-Q3", NULL);
	ck_assert_int_eq(r->sensitive, 1);
	for (i = 0; i < r->nrows; i++)
		for (m = 0; m < RPT_MEASURES; m++)
			want_sup += (r->rows[i].flags >> m) & 1;
	ck_assert_int_gt(want_sup, 0);
	s = output(r, rpt_write_tidy_csv);
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		for (commas = 0, c = line; *c; c++)
			commas += *c == ',';
		ck_assert_msg(commas == 8, "not nine fields: %s", line);
		if (lines++ == 0) {
			ck_assert_str_eq(line, "period,force_code,force_name,power,breakdown,"
			    "category,measure,value,marker");
			continue;
		}
		ck_assert_msg(strncmp(line, pre, strlen(pre)) == 0, "%s", line);
		ck_assert_ptr_nonnull(strstr(line, ",sex,"));
		if (strstr(line, ",[c]") != NULL) {
			sup++;
			ck_assert_msg(strstr(line, ",,[c]") != NULL, "a value beside [c]: %s",
			    line);
		}
		if (strlen(line) > 3 && strcmp(line + strlen(line) - 3, ",0,") == 0)
			zeros++;
	}
	ck_assert_uint_eq(lines, 1 + r->nrows * RPT_MEASURES);
	ck_assert_uint_eq(sup, (unsigned)want_sup);
	ck_assert_uint_gt(zeros, 0);
	free(s);
	rpt_free(r);
	free(b.s);
}
END_TEST

/* ---- revisions --------------------------------------------------------------------------- */

START_TEST(test_revise_exact)
{
	struct buf b[2];
	struct rpt *before, *now;
	struct rpt_pub pub;
	char *s, *p;
	unsigned marks = 0;
	size_t i;
	int m, k;

	/* the release: 3 CPWs and 2 CBOs (one breached); the correction adds a CBO for a new
	 * subject and a PSPO */
	head(&b[0], "E23000011", "2026-Q3");
	rec(&b[0], "a", "person", "cpw", 1, "35+", "M", "W1", "", "");
	rec(&b[0], "b", "person", "cpw", 1, "35+", "M", "W1", "", "");
	rec(&b[0], "c", "person", "cpw", 1, "35+", "M", "W1", "", "");
	rec(&b[0], "d", "person", "cbo", 1, "35+", "M", "W1", "", "breached");
	rec(&b[0], "e", "person", "cbo", 1, "35+", "M", "W1", "", "");
	tail(&b[0]);
	head(&b[1], "E23000011", "2026-Q3");
	rec(&b[1], "a", "person", "cpw", 1, "35+", "M", "W1", "", "");
	rec(&b[1], "b", "person", "cpw", 1, "35+", "M", "W1", "", "");
	rec(&b[1], "c", "person", "cpw", 1, "35+", "M", "W1", "", "");
	rec(&b[1], "d", "person", "cbo", 1, "35+", "M", "W1", "", "breached");
	rec(&b[1], "e", "person", "cbo", 1, "35+", "M", "W1", "", "");
	rec(&b[1], "f", "person", "cbo", 1, "35+", "M", "W1", "", "");
	rec(&b[1], "p", "place", "pspo", 1, "", "", "", "", "");
	tail(&b[1]);
	before = build(&b[0], 1, "force,power", "2026-Q3", NULL);
	now = build(&b[1], 1, "force,power", "2026-Q3", NULL);
	memset(&pub, 0, sizeof(pub));
	snprintf(pub.release_id, sizeof(pub.release_id), "2026-Q3.2");
	snprintf(pub.previous, sizeof(pub.previous), "2026-Q3.1");
	snprintf(pub.status, sizeof(pub.status), "provisional");
	ck_assert_int_eq(rpt_pub_revise(&pub, now, before), 0);
	for (i = 0; i < now->nrows; i++)
		for (m = 0; m < RPT_MEASURES; m++) {
			const char *pw = rpt_value(now, &now->rows[i], RD_POWER);
			int want = m == 0 && (strcmp(pw, "cbo") == 0 || strcmp(pw, "pspo") == 0);

			ck_assert_msg((int)((pub.row_revised[i] >> m) & 1) == want, "%s %s", pw,
			    rpt_measure_name(m));
		}
	/* the force's uses and subjects changed, not its breaches or repeat subjects */
	ck_assert_uint_eq(pub.force_revised[0], 1 | 2);
	k = sch_code_index(SCH_LIST_POWERS, "cbo");
	ck_assert_uint_eq(pub.power_revised[k], 1);
	ck_assert_uint_eq(pub.power_revised[sch_code_index(SCH_LIST_POWERS, "cpw")], 0);
	ck_assert_uint_eq(pub.cells_revised, 2 + 2 + 2);
	now->pub = &pub;
	s = output(now, rpt_write_tidy_csv);
	for (p = s; (p = strstr(p, "[r]")) != NULL; p++)
		marks++;
	ck_assert_uint_eq(marks, 2);
	ck_assert_ptr_nonnull(strstr(s, "\n2026-Q3,E23000011,South Yorkshire,cbo,none,all,uses,"
	    "3,[r]\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n2026-Q3,E23000011,South Yorkshire,pspo,none,all,"
	    "uses,1,[r]\n"));
	free(s);
	/* compared with itself, nothing is revised */
	ck_assert_int_eq(rpt_pub_revise(&pub, before, before), 0);
	ck_assert_uint_eq(pub.cells_revised, 0);
	rpt_pub_clear(&pub);
	rpt_free(before);
	rpt_free(now);
	free_bufs(b, 2);
}
END_TEST

/* ---- data quality --------------------------------------------------------------------------- */

static void
put_return(struct hub_store *st, const char *id, const char *force, const char *period,
    const char *supersedes, asb_time received, struct buf *b)
{
	struct hub_return hr;
	uint8_t *facts = NULL;
	size_t flen = 0;
	int same = 0;

	memset(&hr, 0, sizeof(hr));
	snprintf(hr.id, sizeof(hr.id), "%s", id);
	snprintf(hr.force, sizeof(hr.force), "%s", force);
	snprintf(hr.period, sizeof(hr.period), "%s", period);
	snprintf(hr.supersedes, sizeof(hr.supersedes), "%s", supersedes);
	snprintf(hr.sha256, sizeof(hr.sha256), "%064u", (unsigned)received);
	snprintf(hr.state, sizeof(hr.state), "accepted");
	hr.received = hr.decided = received;
	ck_assert_int_eq(hub_facts_of(b->s, b->n, NULL, &facts, &flen, NULL, NULL), ASB_OK);
	ck_assert_int_eq(hub_return_put(st, &hr, b->s, b->n, "<Receipt/>", 10, facts, flen,
	    &same, NULL), ASB_OK);
	free(facts);
	free(b->s);
}

/* n uses for force in period, persons with every characteristic */
static void
uses(struct buf *b, const char *force, const char *period, int n)
{
	int i;

	head(b, force, period);
	for (i = 0; i < n; i++)
		rec(b, "u", "person", "cpw", 1, "35+", "M", "W1", "E08000019", "");
	tail(b);
}

START_TEST(test_quality)
{
	char dir[] = "/tmp/asbqual-XXXXXX", cmd[64];
	struct hub_store *st;
	struct rpt_quality q;
	struct buf b;
	const struct rpt_qforce *f;
	/* 2026-Q3 ends 2026-10-01T00:00 BST = 2026-09-30T23:00Z; due 31 days later */
	asb_time end = 1790809200, day = 86400;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(hub_store_open(dir, 1, &st, NULL), ASB_OK);
	uses(&b, "E23000011", "2025-Q3", 10);
	put_return(st, "00000000-0000-4000-8000-00000000a001", "E23000011", "2025-Q3", "",
	    end - 300 * day, &b);
	uses(&b, "E23000011", "2026-Q2", 10);
	put_return(st, "00000000-0000-4000-8000-00000000a002", "E23000011", "2026-Q2", "",
	    end - 80 * day, &b);
	/* the first 2026-Q3 return: on time, 20 uses, 2 of its 4 persons without an ethnicity
	 * or NS, 1 without an age band, and 1 of 5 records without a local authority */
	head(&b, "E23000011", "2026-Q3");
	for (i = 0; i < 16; i++)
		rec(&b, "u", "person", "cpw", 1, "35+", "M", "W1", "E08000019", "");
	rec(&b, "v", "person", "cpw", 1, "35+", "M", "", "E08000019", "");
	rec(&b, "w", "person", "cpw", 1, "", "M", "NS", "E08000019", "");
	rec(&b, "x", "place", "pspo", 1, "", "", "", "", "");
	rec(&b, "y", "place", "pspo", 1, "", "", "", "E08000019", "");
	tail(&b);
	put_return(st, "00000000-0000-4000-8000-00000000a003", "E23000011", "2026-Q3", "",
	    end + 10 * day, &b);
	/* its correction, late: 40 uses */
	uses(&b, "E23000011", "2026-Q3", 40);
	put_return(st, "00000000-0000-4000-8000-00000000a004", "E23000011", "2026-Q3",
	    "00000000-0000-4000-8000-00000000a003", end + 40 * day, &b);
	/* a force whose volume is steady */
	uses(&b, "W15000003", "2026-Q2", 30);
	put_return(st, "00000000-0000-4000-8000-00000000a005", "W15000003", "2026-Q2", "",
	    end - 80 * day, &b);
	uses(&b, "W15000003", "2026-Q3", 33);
	put_return(st, "00000000-0000-4000-8000-00000000a006", "W15000003", "2026-Q3", "",
	    end + 5 * day, &b);

	ck_assert_int_eq(rpt_quality_build(st, "2026-Q3", 31, 0, &q, NULL), ASB_OK);
	ck_assert_str_eq(q.prev, "2026-Q2");
	ck_assert_str_eq(q.year_ago, "2025-Q3");
	ck_assert_uint_eq(q.nf, 43);
	f = &q.f[sch_code_index(SCH_LIST_FORCES, "E23000011")];
	ck_assert_int_eq(f->has, 1);
	ck_assert_int_eq(f->uses, 40);
	ck_assert_int_eq(f->uses_prev, 10);
	ck_assert_int_eq(f->uses_year, 10);
	ck_assert_int_eq(f->flag_prev, 1);		/* +300% */
	ck_assert_int_eq(f->flag_year, 1);
	ck_assert_int_eq(f->late, 1);
	ck_assert_int_eq(f->corrected, 1);
	f = &q.f[sch_code_index(SCH_LIST_FORCES, "W15000003")];
	ck_assert_int_eq(f->uses, 33);
	ck_assert_int_eq(f->flag_prev, 0);		/* +10% */
	ck_assert_int_eq(f->uses_year, -1);		/* no return a year before */
	ck_assert_int_eq(f->flag_year, 0);
	ck_assert_int_eq(f->late, 0);
	ck_assert_int_eq(f->corrected, 0);
	ck_assert_int_eq(q.f[0].has, 0);
	ck_assert_uint_eq(q.flagged, 1);
	ck_assert_uint_eq(q.late, 1);
	ck_assert_uint_eq(q.corrected, 1);

	/* as the store stood before the correction: the first return and its completeness */
	ck_assert_int_eq(rpt_quality_build(st, "2026-Q3", 31, end + 20 * day, &q, NULL),
	    ASB_OK);
	f = &q.f[sch_code_index(SCH_LIST_FORCES, "E23000011")];
	ck_assert_int_eq(f->uses, 20);
	ck_assert_int_eq(f->records, 20);
	ck_assert_int_eq(f->persons, 18);
	ck_assert_int_eq(f->eth_not_stated, 2);
	ck_assert_int_eq(f->age_missing, 1);
	ck_assert_int_eq(f->la_missing, 1);
	ck_assert_int_eq(f->late, 0);
	ck_assert_int_eq(f->corrected, 0);
	ck_assert_int_eq(rpt_quality_build(st, "2026-Q5", 31, 0, &q, NULL), ASB_EUSAGE);
	hub_store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* ---- the release record -------------------------------------------------------------------- */

START_TEST(test_release_store)
{
	char dir[] = "/tmp/asbrel-XXXXXX", cmd[64];
	struct rel_return rr[2] = {
		{ "00000000-0000-4000-8000-000000000001", "E23000011", "2026-Q3",
		    "ab", "" },
		{ "00000000-0000-4000-8000-000000000002", "W15000003", "2026-Q3",
		    "cd", "00000000-0000-4000-8000-000000000009" } };
	struct release r, got;
	struct rel_store *s;
	struct asb_errbuf eb;
	unsigned char *enc;
	size_t len, cut;

	memset(&r, 0, sizeof(r));
	snprintf(r.id, sizeof(r.id), "2026-Q3.1");
	snprintf(r.scope, sizeof(r.scope), "2026-Q3");
	snprintf(r.by, sizeof(r.by), "force,power");
	r.final = 1;
	r.date = 1790000000;
	r.threshold = 5;
	r.returns = rr;
	r.nreturns = 2;
	ck_assert_ptr_nonnull(enc = rel_encode(&r, &len));
	ck_assert_int_eq(enc[0], REL_V1);
	ck_assert_int_eq(rel_decode(enc, len, &got, NULL), ASB_OK);
	ck_assert_str_eq(got.id, "2026-Q3.1");
	ck_assert_int_eq(got.final, 1);
	ck_assert_int_eq(got.date, 1790000000);
	ck_assert_uint_eq(got.nreturns, 2);
	ck_assert_str_eq(got.returns[1].supersedes, "00000000-0000-4000-8000-000000000009");
	rel_clear(&got);
	for (cut = 0; cut < len; cut++) {	/* every truncation is damage, named */
		asb_errbuf_clear(&eb);
		ck_assert_int_eq(rel_decode(enc, cut, &got, &eb), ASB_EIO);
		ck_assert_msg(eb.msg[0] != '\0', "no message at %zu", cut);
	}
	enc[0] = 2;
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(rel_decode(enc, len, &got, &eb), ASB_EIO);
	ck_assert_ptr_nonnull(strstr(eb.msg, "version 2"));
	free(enc);

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(rel_open(dir, 0, &s, NULL), ASB_ENOTFOUND);
	ck_assert_int_eq(rel_open(dir, 1, &s, NULL), ASB_OK);
	ck_assert_int_eq(rel_latest(s, "2026-Q3", &got, NULL), ASB_ENOTFOUND);
	ck_assert_int_eq(rel_put(s, &r, NULL), ASB_OK);
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(rel_put(s, &r, &eb), ASB_ECONFLICT);
	ck_assert_ptr_nonnull(strstr(eb.msg, "exists already"));
	snprintf(r.id, sizeof(r.id), "2026-Q3.10");	/* numbers, not text, order them */
	ck_assert_int_eq(rel_put(s, &r, NULL), ASB_OK);
	snprintf(r.id, sizeof(r.id), "2026-Q3.9");
	ck_assert_int_eq(rel_put(s, &r, NULL), ASB_OK);
	snprintf(r.id, sizeof(r.id), "2026.1");
	ck_assert_int_eq(rel_put(s, &r, NULL), ASB_OK);
	ck_assert_int_eq(rel_latest(s, "2026-Q3", &got, NULL), ASB_OK);
	ck_assert_str_eq(got.id, "2026-Q3.10");
	rel_clear(&got);
	ck_assert_int_eq(rel_latest(s, "2026", &got, NULL), ASB_OK);
	ck_assert_str_eq(got.id, "2026.1");
	rel_clear(&got);
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(rel_get(s, "2026-Q4.1", &got, &eb), ASB_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(eb.msg, "no release 2026-Q4.1"));
	rel_close(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* ---- making, revising and reproducing a release --------------------------------------------- */

START_TEST(test_release_report)
{
	char dir[] = "/tmp/asbrr-XXXXXX", cmd[64];
	struct hub_store *st;
	struct rel_store *rs;
	struct release r1, r2, bad;
	struct rpt_pub pub;
	struct rpt_quality q;
	struct rpt *r;
	struct asb_errbuf eb;
	struct buf b;
	const struct rpt_row *x;
	asb_time t = 1790809200 + 5 * 86400;
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(hub_store_open(dir, 1, &st, NULL), ASB_OK);
	ck_assert_int_eq(rel_open(dir, 1, &rs, NULL), ASB_OK);
	uses(&b, "E23000011", "2026-Q3", 5);
	put_return(st, "00000000-0000-4000-8000-00000000b001", "E23000011", "2026-Q3", "", t, &b);
	ck_assert_int_eq(rel_new(st, rs, "2026-Q3", "force,power", 0, 5, t + 60, &r1, NULL),
	    ASB_OK);
	ck_assert_str_eq(r1.id, "2026-Q3.1");
	ck_assert_str_eq(r1.previous, "");
	ck_assert_uint_eq(r1.nreturns, 1);
	ck_assert_str_eq(r1.returns[0].id, "00000000-0000-4000-8000-00000000b001");
	ck_assert_int_eq(rel_report(st, rs, &r1, 31, &r, &pub, &q, NULL), ASB_OK);
	ck_assert_int_eq(r->total[0], 5);
	ck_assert_str_eq(pub.status, "provisional");
	ck_assert_ptr_null(pub.row_revised);
	rpt_free(r);
	rpt_pub_clear(&pub);
	ck_assert_int_eq(rel_put(rs, &r1, NULL), ASB_OK);

	/* a correction after it: the next release revises exactly the uses of cpw */
	uses(&b, "E23000011", "2026-Q3", 7);
	put_return(st, "00000000-0000-4000-8000-00000000b002", "E23000011", "2026-Q3",
	    "00000000-0000-4000-8000-00000000b001", t + 3600, &b);
	ck_assert_int_eq(rel_new(st, rs, "2026-Q3", "force,power", 1, 5, t + 7200, &r2, NULL),
	    ASB_OK);
	ck_assert_str_eq(r2.id, "2026-Q3.2");
	ck_assert_str_eq(r2.previous, "2026-Q3.1");
	ck_assert_int_eq(rel_report(st, rs, &r2, 31, &r, &pub, &q, NULL), ASB_OK);
	ck_assert_int_eq(r->total[0], 7);
	ck_assert_str_eq(pub.status, "final");
	ck_assert_uint_eq(pub.nrevisions, 1);
	ck_assert_str_eq(pub.revisions[0].id, "00000000-0000-4000-8000-00000000b002");
	ck_assert_str_eq(pub.revisions[0].supersedes, "00000000-0000-4000-8000-00000000b001");
	ck_assert_ptr_nonnull(x = row_of(r, "E23000011", "cpw"));
	for (i = 0; i < r->nrows; i++)
		ck_assert_uint_eq(pub.row_revised[i], &r->rows[i] == x ? 1u : 0u);
	ck_assert_uint_eq(pub.force_revised[0], 1);	/* uses; the one subject is the same */
	ck_assert_int_eq(q.f[sch_code_index(SCH_LIST_FORCES, "E23000011")].corrected, 1);
	rpt_free(r);
	rpt_pub_clear(&pub);

	/* the first release, reproduced after the correction, is as it was */
	ck_assert_int_eq(rel_report(st, rs, &r1, 31, &r, &pub, &q, NULL), ASB_OK);
	ck_assert_int_eq(r->total[0], 5);
	ck_assert_int_eq(q.f[sch_code_index(SCH_LIST_FORCES, "E23000011")].corrected, 0);
	ck_assert_int_eq(q.f[sch_code_index(SCH_LIST_FORCES, "E23000011")].uses, 5);
	rpt_free(r);
	rpt_pub_clear(&pub);

	/* a recorded return whose stored bytes are not those recorded, or that is gone */
	bad = r1;
	bad.returns = calloc(1, sizeof(*bad.returns));
	ck_assert_ptr_nonnull(bad.returns);
	bad.returns[0] = r1.returns[0];
	memset(bad.returns[0].sha256, 'f', 64);
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(rel_report(st, rs, &bad, 31, &r, &pub, &q, &eb), ASB_ECONFLICT);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(eb.msg, "not the ffff"));
	snprintf(bad.returns[0].id, sizeof(bad.returns[0].id),
	    "00000000-0000-4000-8000-00000000b0ff");
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(rel_report(st, rs, &bad, 31, &r, &pub, &q, &eb), ASB_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(eb.msg, "is not in the store"));
	free(bad.returns);
	ck_assert_int_eq(rel_new(st, rs, "2026-Q5", "force,power", 0, 5, t, &bad, NULL),
	    ASB_EUSAGE);
	rel_clear(&r1);
	rel_clear(&r2);
	rel_close(rs);
	hub_store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* ---- the workbook's zip ----------------------------------------------------------------------- */

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p;
	long n;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	ck_assert_ptr_nonnull(p = malloc((size_t)n));
	ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

START_TEST(test_ods_zip)
{
	char dir[] = "/tmp/asbods-XXXXXX", a[64], b2[64], cmd[64];
	static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
	struct buf b;
	struct rpt *r;
	struct ods *o;
	struct asb_errbuf eb;
	unsigned char *x, *y;
	size_t nx, ny;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.ods", dir);
	snprintf(b2, sizeof(b2), "%s/b.ods", dir);
	head(&b, "E23000011", "2026-Q3");
	rec(&b, "a", "person", "cpw", 1, "35+", "M", "W1", "", "");
	tail(&b);
	r = build(&b, 1, "force,power", "2026-Q3", NULL);
	ck_assert_int_eq(rpt_write_ods(r, a, NULL), ASB_OK);
	sleep(1);	/* a clock in the bytes would show */
	ck_assert_int_eq(rpt_write_ods(r, b2, NULL), ASB_OK);
	x = slurp(a, &nx);
	y = slurp(b2, &ny);
	ck_assert_uint_eq(nx, ny);
	ck_assert_int_eq(memcmp(x, y, nx), 0);
	/* the first local header: "PK\3\4", method 0 (stored) at 8, the name at 30, no extra
	 * field, and the media type as the entry's bytes */
	ck_assert_int_eq(memcmp(x, "PK\3\4", 4), 0);
	ck_assert_int_eq(x[8] | x[9] << 8, 0);
	ck_assert_int_eq(x[26] | x[27] << 8, 8);
	ck_assert_int_eq(x[28] | x[29] << 8, 0);
	ck_assert_int_eq(memcmp(x + 30, "mimetype", 8), 0);
	ck_assert_int_eq(memcmp(x + 38, mime, sizeof(mime) - 1), 0);
	free(x);
	free(y);
	rpt_free(r);
	free(b.s);
	/* sheet names: at most 31 characters, none of []*?/\:' */
	ck_assert_ptr_nonnull(o = ods_new("t", 0));
	ods_sheet(o, "A_sheet_name_of_thirty_two_chars");
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(ods_save(o, a, &eb), ASB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(eb.msg, "31"));
	ods_free(o);
	ck_assert_ptr_nonnull(o = ods_new("t", 0));
	ods_sheet(o, "Table:1");
	ck_assert_int_eq(ods_save(o, a, NULL), ASB_EUSAGE);
	ods_free(o);
	ck_assert_ptr_nonnull(o = ods_new("t", 0));
	ods_sheet(o, "A_sheet_name_of_thirty_one_char");
	ods_row(o);
	ods_num(o, 1.5, 1);
	ck_assert_int_eq(ods_save(o, a, NULL), ASB_OK);
	ods_free(o);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

TCase *
pub_tcase(void)
{
	TCase *tc = tcase_create("publication");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_coverage);
	tcase_add_test(tc, test_measures);
	tcase_add_test(tc, test_tidy_shape);
	tcase_add_test(tc, test_revise_exact);
	tcase_add_test(tc, test_quality);
	tcase_add_test(tc, test_release_store);
	tcase_add_test(tc, test_release_report);
	tcase_add_test(tc, test_ods_zip);
	return tc;
}
