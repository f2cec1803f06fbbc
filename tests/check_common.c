/*
 * check_common.c - the shared utilities: ISO 8601 parsing and calendar arithmetic, checked
 * integers, the RFC 4180 CSV reader (a table of good and of bad inputs), JSON and CSV output,
 * and the command dispatcher (a table of command lines and what each must give).
 */
#include <check.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asb_limits.h"
#include "cmd.h"
#include "csv.h"
#include "date.h"
#include "json.h"
#include "num.h"
#include "utf8.h"

static const char *const good_times[] = {
	"2026-07-01", "2026-07-01T18:00", "2026-07-01 18:00", "2026-07-01T18:00:59",
	"2026-07-01T18:00Z", "2026-07-01T18:00+01:00", "2026-07-01T18:00:00-05:30",
	"2024-02-29", "1900-01-01", "2999-12-31T23:59:59",
};

static const char *const bad_times[] = {
	"", "2026", "2026-7-1", "2026-07-01T", "2026-07-01T18", "2026-13-01",
	"2026-00-10", "2026-02-29", "2025-04-31", "2026-07-01T24:00",
	"2026-07-01T18:60", "2026-07-01T18:00:60", "2026-07-01T18:00+1",
	"2026-07-01T18:00+15:00", "2026-07-01x", " 2026-07-01", "1899-12-31",
	"2026-07-01T18:00Zjunk", "２０２６-07-01",
};

START_TEST(test_time_good)
{
	asb_time t = 0;

	ck_assert_msg(asb_time_parse(good_times[_i], &t) == 0, "refused %s",
	    good_times[_i]);
}
END_TEST

START_TEST(test_time_bad)
{
	asb_time t = 12345;

	ck_assert_msg(asb_time_parse(bad_times[_i], &t) == -1, "accepted '%s'",
	    bad_times[_i]);
	ck_assert_int_eq(t, 12345);	/* untouched on failure */
}
END_TEST

START_TEST(test_time_values)
{
	asb_time a, b;
	char buf[ASB_TIME_BUF];

	ck_assert_int_eq(asb_time_parse("1970-01-02T00:00Z", &a), 0);
	ck_assert_int_eq(a, 86400);
	/* Local time: BST in July is UTC+1. */
	ck_assert_int_eq(asb_time_parse("2026-07-01T18:00", &a), 0);
	ck_assert_int_eq(asb_time_parse("2026-07-01T17:00Z", &b), 0);
	ck_assert_int_eq(a, b);
	ck_assert_str_eq(asb_time_iso(a, buf, sizeof(buf)),
	    "2026-07-01T18:00:00+01:00");
	ck_assert_str_eq(asb_time_human(a, buf, sizeof(buf)), "2026-07-01 18:00");
	ck_assert_int_eq(asb_time_parse("2026-01-15", &a), 0);
	ck_assert_str_eq(asb_time_human(a, buf, sizeof(buf)), "2026-01-15");
	ck_assert_str_eq(asb_time_iso(a, buf, sizeof(buf)),
	    "2026-01-15T00:00:00+00:00");
}
END_TEST

/* Times are UK civil time whatever the machine's zone, across both clock changes. */
START_TEST(test_uk_time)
{
	asb_time a, b;
	char buf[ASB_TIME_BUF];

	setenv("TZ", "America/New_York", 1);
	tzset();
	ck_assert_int_eq(asb_time_parse("2026-07-01T18:00", &a), 0);
	ck_assert_int_eq(asb_time_parse("2026-07-01T17:00Z", &b), 0);
	ck_assert_int_eq(a, b);
	ck_assert_int_eq(asb_time_parse("2026-12-01T18:00", &a), 0);
	ck_assert_int_eq(asb_time_parse("2026-12-01T18:00Z", &b), 0);
	ck_assert_int_eq(a, b);
	/* BST starts 01:00 UTC on Sunday 29 March 2026, ends 01:00 UTC 25 October. */
	ck_assert_int_eq(asb_time_parse("2026-03-29T00:59:59Z", &a), 0);
	ck_assert_str_eq(asb_time_iso(a, buf, sizeof(buf)),
	    "2026-03-29T00:59:59+00:00");
	ck_assert_str_eq(asb_time_iso(a + 1, buf, sizeof(buf)),
	    "2026-03-29T02:00:00+01:00");
	ck_assert_int_eq(asb_time_parse("2026-10-25T00:59:59Z", &a), 0);
	ck_assert_str_eq(asb_time_iso(a, buf, sizeof(buf)),
	    "2026-10-25T01:59:59+01:00");
	ck_assert_str_eq(asb_time_iso(a + 1, buf, sizeof(buf)),
	    "2026-10-25T01:00:00+00:00");
	/* The skipped hour reads as the hour after. */
	ck_assert_int_eq(asb_time_parse("2026-03-29T01:30", &a), 0);
	ck_assert_int_eq(asb_time_parse("2026-03-29T01:30Z", &b), 0);
	ck_assert_int_eq(a, b);
	ck_assert_int_eq(asb_time_day(b), 20260329);
	setenv("TZ", "Europe/London", 1);
	tzset();
}
END_TEST

START_TEST(test_months)
{
	asb_time a, b;

	/* 31 January plus a month is the last day of February. */
	ck_assert_int_eq(asb_time_parse("2026-01-31", &a), 0);
	ck_assert_int_eq(asb_time_parse("2026-02-28", &b), 0);
	ck_assert_int_eq(asb_time_add_months(a, 1), b);
	ck_assert_int_eq(asb_time_parse("2024-02-29", &a), 0);
	ck_assert_int_eq(asb_time_parse("2025-02-28", &b), 0);
	ck_assert_int_eq(asb_time_add_months(a, 12), b);
	ck_assert_int_eq(asb_time_parse("2026-03-15", &a), 0);
	ck_assert_int_eq(asb_time_parse("2025-03-15", &b), 0);
	ck_assert_int_eq(asb_time_add_months(a, -12), b);
	ck_assert_int_eq(asb_time_parse("2025-12-15", &b), 0);
	ck_assert_int_eq(asb_time_add_months(a, -3), b);
	/* Across the clocks going forward, a day is 23 hours. */
	ck_assert_int_eq(asb_time_parse("2026-03-28T12:00", &a), 0);
	ck_assert_int_eq(asb_time_parse("2026-03-29T12:00", &b), 0);
	ck_assert_int_eq(asb_time_add_days(a, 1), b);
	ck_assert_int_eq(b - a, 23 * 3600);
}
END_TEST

START_TEST(test_age)
{
	asb_day dob;
	asb_time t;

	ck_assert_int_eq(asb_day_parse("2010-07-01", &dob), 0);
	ck_assert_int_eq(asb_time_parse("2026-06-30T23:59", &t), 0);
	ck_assert_int_eq(asb_age_at(dob, t), 15);
	ck_assert_int_eq(asb_time_parse("2026-07-01T00:00", &t), 0);
	ck_assert_int_eq(asb_age_at(dob, t), 16);
	/* Born on 29 February: of age on 1 March in a common year. */
	ck_assert_int_eq(asb_day_parse("2008-02-29", &dob), 0);
	ck_assert_int_eq(asb_time_parse("2026-02-28", &t), 0);
	ck_assert_int_eq(asb_age_at(dob, t), 17);
	ck_assert_int_eq(asb_time_parse("2026-03-01", &t), 0);
	ck_assert_int_eq(asb_age_at(dob, t), 18);
	ck_assert_int_eq(asb_age_at(0, t), -1);
	ck_assert_int_eq(asb_day_parse("2026-02-30", &dob), -1);
	ck_assert_int_eq(asb_day_parse("2026-02-01T00:00", &dob), -1);
}
END_TEST

static const struct {
	const char	*s;
	int64_t		 min, max;
	int		 ok;
	int64_t		 want;
} nums[] = {
	{ "0", 0, 10, 1, 0 }, { "10", 0, 10, 1, 10 }, { "11", 0, 10, 0, 0 },
	{ "-1", 0, 10, 0, 0 }, { "-1", -5, 10, 1, -1 }, { "", 0, 10, 0, 0 },
	{ "1x", 0, 10, 0, 0 }, { "x1", 0, 10, 0, 0 }, { "1 ", 0, 10, 0, 0 },
	{ "99999999999999999999", 0, INT64_MAX, 0, 0 },
	{ "9223372036854775807", 0, INT64_MAX, 1, INT64_MAX },
	{ "+7", 0, 10, 1, 7 }, { "0x10", 0, 100, 0, 0 },
};

START_TEST(test_strtonum)
{
	int64_t v = -99;
	const char *why = NULL;
	int rc = asb_strtonum(nums[_i].s, nums[_i].min, nums[_i].max, &v, &why);

	if (nums[_i].ok) {
		ck_assert_msg(rc == 0, "refused %s", nums[_i].s);
		ck_assert_int_eq(v, nums[_i].want);
	} else {
		ck_assert_msg(rc == -1, "accepted '%s'", nums[_i].s);
		ck_assert_ptr_nonnull(why);
		ck_assert_int_eq(v, -99);
	}
}
END_TEST

/* Read all rows of s; return the fields of row `row` joined with '|', rows with ';'. */
static int
csv_all(const char *s, size_t len, char *out, size_t cap, struct asb_errbuf *eb)
{
	FILE *f = fmemopen((void *)s, len, "r");
	struct csv_reader *r = csv_reader_new(f);
	char **fields;
	size_t n, i, o = 0;
	int rc;

	out[0] = '\0';
	while ((rc = csv_reader_next(r, &fields, &n, eb)) == ASB_OK &&
	    fields != NULL) {
		for (i = 0; i < n; i++)
			o += (size_t)snprintf(out + o, cap - o, "%s%s",
			    i ? "|" : (o ? ";" : ""), fields[i]);
	}
	csv_reader_free(r);
	fclose(f);
	return rc;
}

static const struct {
	const char	*in;
	const char	*want;
} csv_good[] = {
	{ "a,b,c\n", "a|b|c" },
	{ "a,b,c", "a|b|c" },
	{ "a,b\r\nc,d\r\n", "a|b;c|d" },
	{ "\"a,1\",\"say \"\"hi\"\"\"\n", "a,1|say \"hi\"" },
	{ "\"two\nlines\",x\n", "two\nlines|x" },
	{ ",,\n", "||" },
	{ "\"\"\n", "" },
	{ "\xEF\xBB\xBFhead,er\n", "head|er" },
	{ "café,naïve\n", "café|naïve" },
};

START_TEST(test_csv_good)
{
	struct asb_errbuf eb;
	char out[256];

	ck_assert_int_eq(csv_all(csv_good[_i].in, strlen(csv_good[_i].in), out,
	    sizeof(out), &eb), 0);
	ck_assert_str_eq(out, csv_good[_i].want);
}
END_TEST

static const char *const csv_bad[] = {
	"a,\"unterminated\n",
	"a,b\"c\n",
	"\"a\"b,c\n",
	"a\rb\n",
	"\xEF\xBB" "x,y\n",
};

START_TEST(test_csv_bad)
{
	struct asb_errbuf eb;
	char out[256];

	asb_errbuf_clear(&eb);
	ck_assert_int_eq(csv_all(csv_bad[_i], strlen(csv_bad[_i]), out,
	    sizeof(out), &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-CSV-001");
	ck_assert_msg(strncmp(eb.msg, "line 1:", 7) == 0, "%s", eb.msg);
}
END_TEST

START_TEST(test_csv_limits)
{
	struct asb_errbuf eb;
	char out[256], *big;
	size_t i, n;

	/* A NUL byte inside a row. */
	ck_assert_int_eq(csv_all("a,b\0c\n", 6, out, sizeof(out), &eb), ASB_ERULE);
	/* A field over its cap, and a row with too many fields. */
	n = ASB_MAX_CSV_FIELD + 10;
	big = malloc(n + 2);
	memset(big, 'x', n);
	big[n] = '\n';
	big[n + 1] = '\0';
	ck_assert_int_eq(csv_all(big, n + 1, out, sizeof(out), &eb), ASB_ERULE);
	ck_assert(strstr(eb.msg, "field too long") != NULL);
	for (i = 0; i < n; i++)
		big[i] = i % 2 ? ',' : 'x';
	ck_assert_int_eq(csv_all(big, n + 1, out, sizeof(out), &eb), ASB_ERULE);
	ck_assert(strstr(eb.msg, "too many fields") != NULL);
	free(big);
}
END_TEST

START_TEST(test_csv_resync)
{
	FILE *f = fmemopen("a,b\"c\nd,e\n", 10, "r");
	struct csv_reader *r = csv_reader_new(f);
	struct asb_errbuf eb;
	char **fields;
	size_t n;

	ck_assert_int_eq(csv_reader_next(r, &fields, &n, &eb), ASB_ERULE);
	ck_assert_int_eq(csv_reader_next(r, &fields, &n, &eb), ASB_OK);
	ck_assert_uint_eq(csv_reader_line(r), 2);
	ck_assert_str_eq(fields[0], "d");
	ck_assert_int_eq(csv_reader_next(r, &fields, &n, &eb), ASB_OK);
	ck_assert_ptr_null(fields);
	csv_reader_free(r);
	fclose(f);
}
END_TEST

START_TEST(test_json_csv_out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_str(f, "a\"b\\c\nd\x01");
	fputc(' ', f);
	csv_field(f, "plain");
	fputc(' ', f);
	csv_field(f, "has,comma \"q\"");
	fputc(' ', f);
	csv_field(f, "=SUM(A1)");
	fclose(f);
	ck_assert_str_eq(buf, "\"a\\\"b\\\\c\\nd\\u0001\" plain "
	    "\"has,comma \"\"q\"\"\" \"'=SUM(A1)\"");
	free(buf);
}
END_TEST

/* Formula injection: what the writer makes of each cell (csv_field), and that the reader
 * gives the text back (csv_reader_next, then csv_unguard).  out NULL: written as is. */
static const struct {
	const char *in, *out;
} guards[] = {
	{ "=SUM(A1)", "\"'=SUM(A1)\"" },
	{ "+44 20", "\"'+44 20\"" },
	{ "-1+2", "\"'-1+2\"" },
	{ "@SUM(A1)", "\"'@SUM(A1)\"" },
	{ "\tTAB", "\"'\tTAB\"" },
	{ "\rCR", "\"'\rCR\"" },
	{ "\nLF", "\"'\nLF\"" },
	{ " =1+1", "\"' =1+1\"" },
	{ "   @x", "\"'   @x\"" },
	{ " \t=1", "\"' \t=1\"" },
	{ "\xC2\xA0=1", "\"'\xC2\xA0=1\"" },			/* no-break space */
	{ "\xE3\x80\x80=1", "\"'\xE3\x80\x80=1\"" },		/* ideographic space */
	{ "\xEF\xBC\x9D" "1+1", "\"'\xEF\xBC\x9D" "1+1\"" },	/* fullwidth = */
	{ "\xEF\xBC\x8B" "1", "\"'\xEF\xBC\x8B" "1\"" },	/* fullwidth + */
	{ "\xEF\xBC\x8D" "1", "\"'\xEF\xBC\x8D" "1\"" },	/* fullwidth - */
	{ "\xEF\xBC\xA0" "x", "\"'\xEF\xBC\xA0" "x\"" },	/* fullwidth @ */
	{ " \xEF\xBC\x9D" "1", "\"' \xEF\xBC\x9D" "1\"" },
	{ "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
	/* data that starts with an apostrophe */
	{ "'=1", "\"''=1\"" },
	{ "''=1", "\"'''=1\"" },
	{ "' =1", "\"'' =1\"" },
	{ "'Kay", NULL },
	{ "''", NULL },
	{ "'", NULL },
	{ "O'Brien", NULL },
	/* harmless */
	{ "plain", NULL },
	{ "", NULL },
	{ "a=b", NULL },
	{ "x-1", NULL },
	{ "1-2", NULL },
	{ " x", "\" x\"" },
	{ "\xEF\xBC\xA1", NULL },				/* fullwidth A */
	{ "\xEF\xBD\x9D", NULL },				/* fullwidth } */
	{ "\xC2\xA0x", NULL },
};

START_TEST(test_csv_guard)
{
	char *buf = NULL, **fields;
	size_t len = 0, n;
	FILE *f = open_memstream(&buf, &len);
	struct csv_reader *r;
	struct asb_errbuf eb;
	const char *want = guards[_i].out != NULL ? guards[_i].out : guards[_i].in;

	csv_field(f, guards[_i].in);
	fputc('\n', f);
	fclose(f);
	ck_assert_msg(len == strlen(want) + 1 && memcmp(buf, want, len - 1) == 0,
	    "case %d: wrote [%s], want [%s]", _i, buf, want);
	ck_assert_int_eq(csv_guarded(guards[_i].in), guards[_i].out != NULL &&
	    guards[_i].out[1] == '\'');
	/* Read back: the same text, whatever it was. */
	f = fmemopen(buf, len, "r");
	r = csv_reader_new(f);
	ck_assert_int_eq(csv_reader_next(r, &fields, &n, &eb), ASB_OK);
	ck_assert_uint_eq(n, 1);
	csv_unguard(fields[0]);
	ck_assert_msg(strcmp(fields[0], guards[_i].in) == 0, "case %d: read back [%s]",
	    _i, fields[0]);
	csv_reader_free(r);
	fclose(f);
	free(buf);
}
END_TEST

/* ---- the command dispatcher (cmd.h) ---- */

struct tcmd_ctx {
	char	ran[32];	/* the command that ran, "" for none */
	int	argc;		/* the argc it was given */
	int	rc;		/* what it returns */
	FILE	*err;		/* where its option errors go */
};

static const struct cmd_prog tprog;

static int
tcmd_run(void *ctx, const struct cmd *c, int argc, char **argv)
{
	struct tcmd_ctx *t = ctx;
	static const struct option o[] = { { "json", no_argument, NULL, 'j' },
		{ "max", required_argument, NULL, 'm' }, { NULL, 0, NULL, 0 } };
	int ch;

	snprintf(t->ran, sizeof(t->ran), "%s", argv[0]);
	t->argc = argc;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":jm:", o, NULL)) != -1)
		if (ch == '?' || ch == ':')
			return cmd_opt_error(&tprog, c, argc, argv, t->err);
	return t->rc;
}

static const struct cmd tcmds[] = {
	{ "find", "find people", "find TEXT [--json]", "TEXT is a name.\n", "find", tcmd_run },
	{ "subject-export", "everything held", "subject-export ID", "", "subject-export",
	    tcmd_run },
	{ "show", "show a record", "show RECORD", "RECORD is an ID.\n", "show", tcmd_run },
	{ "history", "a subject's records", "history ID", NULL, NULL, tcmd_run },
};

static const struct cmd_prog tprog = {
	"tprog", "9.9", "usage: tprog [-d DIR] COMMAND", "Exit codes: 0 ok.\n",
	"Common options: -d DIR.\n", tcmds, sizeof(tcmds) / sizeof(tcmds[0])
};

static const struct {
	const char	*argv[5];	/* after the program name; NULL ends */
	int		 rc;		/* the command's own return */
	int		 exit;		/* what the dispatcher must give */
	const char	*ran;		/* the command that must have run, "" none */
	const char	*out;		/* text that must be in out, or NULL for empty */
	const char	*err;		/* text that must be in err, or NULL for empty */
} dispatch_cases[] = {
	{ { NULL }, 0, 2, "", NULL, "usage: tprog [-d DIR] COMMAND" },
	{ { "--help" }, 0, 0, "", "  subject-export  everything held", NULL },
	{ { "-h" }, 0, 0, "", "Exit codes: 0 ok.", NULL },
	{ { "help" }, 0, 0, "", "usage: tprog [-d DIR] COMMAND", NULL },
	{ { "--version" }, 0, 0, "", "tprog 9.9\n", NULL },
	{ { "help", "show" }, 0, 0, "", "usage: tprog show RECORD\nshow a record\n\nRECORD is",
	    NULL },
	{ { "show", "--help" }, 0, 0, "", "RECORD is an ID.\nCommon options: -d DIR.", NULL },
	{ { "find", "-h" }, 0, 0, "", "usage: tprog find TEXT [--json]", NULL },
	{ { "history", "--help" }, 0, 0, "", "usage: tprog history ID\na subject's records\n"
	    "Common options", NULL },
	{ { "find", "jane", "--json" }, 0, 0, "find", NULL, NULL },
	{ { "show", "R1" }, 3, 3, "show", NULL, NULL },
	{ { "show", "R1" }, 4, 4, "show", NULL, NULL },
	{ { "show", "R1" }, -1, 5, "show", NULL, NULL },
	{ { "show", "R1" }, 77, 5, "show", NULL, NULL },
	{ { "find", "--colour" }, 0, 2, "find", NULL,
	    "tprog: find: --colour: unknown option or missing value (see 'tprog find --help')" },
	{ { "find", "-x" }, 0, 2, "find", NULL, "tprog: find: -x: unknown option" },
	{ { "find", "--max" }, 0, 2, "find", NULL, "find: --max: unknown option or missing" },
	{ { "fnid" }, 0, 2, "", NULL, "tprog: fnid: unknown command; did you mean 'find'?" },
	{ { "shwo", "R1" }, 0, 2, "", NULL, "did you mean 'show'?" },
	{ { "subject" }, 0, 2, "", NULL, "did you mean 'subject-export'?" },
	{ { "histroy" }, 0, 2, "", NULL, "did you mean 'history'?" },
	{ { "frobnicate" }, 0, 2, "", NULL, "tprog: frobnicate: unknown command\nRun 'tprog "
	    "--help'" },
	{ { "help", "frobnicate" }, 0, 2, "", NULL, "frobnicate: unknown command" },
	{ { "help", "fin" }, 0, 2, "", NULL, "did you mean 'find'?" },
	{ { "--bogus", "find" }, 0, 2, "", NULL, "--bogus: unknown option before the command" },
};

START_TEST(test_dispatch)
{
	char *argv[7] = { "tprog" }, *obuf = NULL, *ebuf = NULL;
	size_t olen = 0, elen = 0;
	struct tcmd_ctx t;
	FILE *out, *err;
	int argc = 1, rc;

	memset(&t, 0, sizeof(t));
	t.rc = dispatch_cases[_i].rc;
	while (argc < 6 && dispatch_cases[_i].argv[argc - 1] != NULL) {
		argv[argc] = (char *)dispatch_cases[_i].argv[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	ck_assert((out = open_memstream(&obuf, &olen)) != NULL);
	ck_assert((err = open_memstream(&ebuf, &elen)) != NULL);
	t.err = err;
	rc = cmd_dispatch(&tprog, &t, argc, argv, out, err);
	fclose(out);
	fclose(err);
	ck_assert_msg(rc == dispatch_cases[_i].exit, "case %d: exit %d, want %d", _i, rc,
	    dispatch_cases[_i].exit);
	ck_assert_str_eq(t.ran, dispatch_cases[_i].ran);
	if (dispatch_cases[_i].out != NULL)
		ck_assert_msg(strstr(obuf, dispatch_cases[_i].out) != NULL,
		    "case %d: out lacks '%s': '%s'", _i, dispatch_cases[_i].out, obuf);
	else
		ck_assert_msg(olen == 0, "case %d: out not empty: '%s'", _i, obuf);
	if (dispatch_cases[_i].err != NULL)
		ck_assert_msg(strstr(ebuf, dispatch_cases[_i].err) != NULL,
		    "case %d: err lacks '%s': '%s'", _i, dispatch_cases[_i].err, ebuf);
	else
		ck_assert_msg(elen == 0, "case %d: err not empty: '%s'", _i, ebuf);
	free(obuf);
	free(ebuf);
}
END_TEST

/* cmd_opt_error's message, read from a stream (the command writes it, not the dispatcher). */
START_TEST(test_opt_error)
{
	static const struct {
		const char	*args[3];
		const char	*want;
	} cases[] = {
		{ { "find", "--colour" }, "tprog: find: --colour: unknown option or missing "
		    "value (see 'tprog find --help')\n" },
		{ { "find", "-x" }, "tprog: find: -x: unknown option or missing value" },
		{ { "find", "--max" }, "tprog: find: --max: unknown option or missing value" },
		{ { "find", "-m" }, "tprog: find: -m: unknown option or missing value" },
		{ { "find", "--colour=red" }, "tprog: find: --colour: unknown option" },
	};
	static const struct option o[] = { { "max", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 } };
	char *argv[4], *buf = NULL;
	size_t len = 0, i;
	FILE *f;
	int ch;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		argv[0] = (char *)cases[i].args[0];
		argv[1] = (char *)cases[i].args[1];
		argv[2] = NULL;
		optind = 1;
		opterr = 0;
		ch = getopt_long(2, argv, ":m:", o, NULL);
		ck_assert_msg(ch == '?' || ch == ':', "case %zu: getopt gave %d", i, ch);
		ck_assert((f = open_memstream(&buf, &len)) != NULL);
		ck_assert_int_eq(cmd_opt_error(&tprog, &tcmds[0], 2, argv, f), 2);
		fclose(f);
		ck_assert_msg(strstr(buf, cases[i].want) != NULL, "case %zu: '%s'", i, buf);
		free(buf);
		buf = NULL;
	}
}
END_TEST

START_TEST(test_suggest)
{
	ck_assert_ptr_eq(cmd_suggest(&tprog, "fidn"), &tcmds[0]);
	ck_assert_ptr_eq(cmd_suggest(&tprog, "fnid"), &tcmds[0]);	/* a swap is one edit */
	ck_assert_ptr_eq(cmd_suggest(&tprog, "shw"), &tcmds[2]);
	ck_assert_ptr_eq(cmd_suggest(&tprog, "subject-exprot"), &tcmds[1]);
	ck_assert_ptr_null(cmd_suggest(&tprog, "zzzzzz"));
	ck_assert_ptr_null(cmd_suggest(&tprog, "f"));
	ck_assert_ptr_eq(cmd_find(&tprog, "history"), &tcmds[3]);
	ck_assert_ptr_null(cmd_find(&tprog, "hist"));
	ck_assert_int_eq(cmd_exit_code(0), 0);
	ck_assert_int_eq(cmd_exit_code(5), 5);
	ck_assert_int_eq(cmd_exit_code(6), 5);
	ck_assert_int_eq(cmd_exit_code(-2), 5);
}
END_TEST

/* ---- dates as typed: what is refused at each boundary, and the message ------------------ */

static const struct {
	const char	*in;
	int		 ok;
	const char	*why;		/* part of the message when refused */
} strict_cases[] = {
	{ "1999-02-28", 1, NULL },
	{ "1999-02-29", 0, "1999-02-29: 1999 is not a leap year" },
	{ "2000-02-29", 1, NULL },		/* divisible by 400 */
	{ "1900-02-29", 0, "1900-02-29: 1900 is not a leap year" },	/* by 100 */
	{ "2024-02-29", 1, NULL },
	{ "2025-04-30", 1, NULL },
	{ "2025-04-31", 0, "2025-04-31: April has 30 days" },
	{ "2025-12-32", 0, "December has 31 days" },
	{ "2025-13-01", 0, "there is no month 13" },
	{ "2025-00-10", 0, "there is no month 00" },
	{ "31/12/2025", 0, "31/12/2025: write 2025-12-31" },
	{ "1/2/2025", 0, "1/2/2025: write 2025-02-01" },
	{ "31-12-2025", 0, "write 2025-12-31" },
	{ "31.12.2025", 0, "write 2025-12-31" },
	{ "31/02/2025", 0, "February has 28 days" },
	{ "1900-01-01", 1, NULL },
	{ "1899-12-31", 0, "1899-12-31: before 1900" },
	{ "2026-5-1", 0, "two digits" },
	{ "yesterday", 0, "is not an ISO 8601 date" },
	/* spring: 01:00 GMT on 29 March 2026 the clocks go to 02:00 BST */
	{ "2026-03-29T00:59", 1, NULL },
	{ "2026-03-29T01:00", 0, "does not exist in the UK" },
	{ "2026-03-29T01:59", 0, "does not exist in the UK" },
	{ "2026-03-29T01:30+00:00", 1, NULL },
	{ "2026-03-29T01:30Z", 1, NULL },
	{ "2026-03-29T02:00", 1, NULL },
	/* autumn: 02:00 BST on 25 October 2026 the clocks go back to 01:00 GMT */
	{ "2026-10-25T00:59", 1, NULL },
	{ "2026-10-25T01:00", 0, "happens twice in the UK" },
	{ "2026-10-25T01:59", 0, "2026-10-25T01:59+01:00 (the first, BST)" },
	{ "2026-10-25T01:30+01:00", 1, NULL },
	{ "2026-10-25T01:30+00:00", 1, NULL },
	{ "2026-10-25T02:00", 1, NULL },
	{ "2026-10-25", 1, NULL },		/* midnight is never in a change */
	{ "2026-07-01T24:00", 0, "hours 00 to 23" },
};

START_TEST(test_time_strict)
{
	char why[256] = "";
	asb_time t = 0, u = 0;
	int rc = asb_time_parse_strict(strict_cases[_i].in, &t, why, sizeof(why));

	ck_assert_msg(rc == (strict_cases[_i].ok ? 0 : -1), "%s: %d (%s)",
	    strict_cases[_i].in, rc, why);
	if (strict_cases[_i].ok) {
		/* accepted as asb_time_parse reads it */
		ck_assert_int_eq(asb_time_parse(strict_cases[_i].in, &u), 0);
		ck_assert_int_eq(t, u);
	} else
		ck_assert_msg(strstr(why, strict_cases[_i].why) != NULL, "%s: '%s' lacks '%s'",
		    strict_cases[_i].in, why, strict_cases[_i].why);
}
END_TEST

START_TEST(test_day_why)
{
	char why[256];
	asb_day d = 7;

	/* a date of birth is not echoed */
	ck_assert_int_eq(asb_day_parse_why("1999-02-29", &d, 0, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "not a leap year: February has 28 days");
	ck_assert_int_eq(d, 7);
	ck_assert_int_eq(asb_day_parse_why("31/12/2025", &d, 0, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "write it year first: YYYY-MM-DD");
	ck_assert_int_eq(asb_day_parse_why("1899-12-31", &d, 0, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "before 1900");
	ck_assert_int_eq(asb_day_parse_why("31/12/2025", &d, 1, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "31/12/2025: write 2025-12-31");
	ck_assert_int_eq(asb_day_parse_why("2024-02-29", &d, 0, why, sizeof(why)), 0);
	ck_assert_int_eq(d, 20240229);
}
END_TEST

/* ---- UTF-8 ------------------------------------------------------------------------------- */

static const struct {
	const char	*in;
	int		 mode;
	int		 ok;
	size_t		 off;		/* of the first bad byte */
} utf8_cases[] = {
	{ "Zoe", UTF8_LINE, 1, 0 },
	{ "Zo\xc3\xab \xc5\x81ukasz", UTF8_LINE, 1, 0 },		/* Zoë Łukasz */
	{ "O\xe2\x80\x99" "Brien", UTF8_LINE, 1, 0 },			/* O’Brien */
	{ "\xf0\x9f\x98\x80", UTF8_LINE, 1, 0 },				/* U+1F600 */
	{ "\xf4\x8f\xbf\xbf", UTF8_LINE, 1, 0 },				/* U+10FFFF */
	{ "Zo\xeb", UTF8_LINE, 0, 2 },				/* Windows-1252 ë */
	{ "\x93quoted\x94", UTF8_LINE, 0, 0 },			/* Windows-1252 quotes */
	{ "a\xc3", UTF8_LINE, 0, 1 },				/* cut short */
	{ "a\xc3(", UTF8_LINE, 0, 1 },				/* not a continuation */
	{ "\xc0\xaf", UTF8_LINE, 0, 0 },				/* overlong '/' */
	{ "\xe0\x80\xaf", UTF8_LINE, 0, 0 },			/* overlong, 3 bytes */
	{ "\xed\xa0\x80", UTF8_LINE, 0, 0 },			/* a surrogate */
	{ "\xf4\x90\x80\x80", UTF8_LINE, 0, 0 },			/* past U+10FFFF */
	{ "\xff", UTF8_LINE, 0, 0 },
	{ "a\tb", UTF8_LINE, 0, 1 },
	{ "a\nb", UTF8_LINE, 0, 1 },
	{ "a\x7f", UTF8_LINE, 0, 1 },				/* DEL */
	{ "a\xc2\x85", UTF8_LINE, 0, 1 },				/* C1: NEL */
	{ "a\x1b[31m", UTF8_LINE, 0, 1 },				/* a terminal escape */
	{ "line 1\nline 2\tx", UTF8_MULTILINE, 1, 0 },
	{ "line 1\r\nline 2", UTF8_MULTILINE, 1, 0 },
	{ "a\rb", UTF8_MULTILINE, 0, 1 },				/* CR alone */
	{ "a\x1b", UTF8_MULTILINE, 0, 1 },
};

START_TEST(test_utf8)
{
	const char *why = NULL;
	size_t off = 99;
	int rc = utf8_check(utf8_cases[_i].in, utf8_cases[_i].mode, &off, &why);

	ck_assert_msg(rc == (utf8_cases[_i].ok ? 0 : -1), "case %d", _i);
	if (!utf8_cases[_i].ok) {
		ck_assert_uint_eq(off, utf8_cases[_i].off);
		ck_assert_ptr_nonnull(why);
	}
}
END_TEST

static FILE *
file_of(const char *bytes)
{
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	fputs(bytes, f);
	rewind(f);
	return f;
}

START_TEST(test_transcode)
{
	struct asb_errbuf e;
	char buf[256];
	size_t n;
	FILE *in, *out = NULL;

	/* Windows-1252: e-diaeresis, right single quote, euro sign */
	in = file_of("name\nZo\xeb O\x92" "Brien \x80" "5\n");
	ck_assert_int_eq(utf8_transcode(in, "windows-1252", &out, &e), ASB_OK);
	n = fread(buf, 1, sizeof(buf) - 1, out);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "name\nZo\xc3\xab O\xe2\x80\x99" "Brien \xe2\x82\xac" "5\n");
	fclose(out);
	fclose(in);
	/* 0x81 is no character of Windows-1252: refused naming its line */
	in = file_of("a\nb\nc\x81\n");
	out = NULL;
	ck_assert_int_eq(utf8_transcode(in, "windows-1252", &out, &e), ASB_ERULE);
	ck_assert_ptr_null(out);
	ck_assert_msg(strstr(e.msg, "line 3: byte 0x81") != NULL, "%s", e.msg);
	ck_assert_str_eq(e.rule, "R-CSV-003");
	fclose(in);
	in = file_of("x");
	ck_assert_int_eq(utf8_transcode(in, "no-such-encoding", &out, &e), ASB_EUSAGE);
	fclose(in);
}
END_TEST

static Suite *
common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("date");

	tcase_add_loop_test(tc, test_time_good, 0,
	    sizeof(good_times) / sizeof(good_times[0]));
	tcase_add_loop_test(tc, test_time_bad, 0,
	    sizeof(bad_times) / sizeof(bad_times[0]));
	tcase_add_test(tc, test_time_values);
	tcase_add_test(tc, test_uk_time);
	tcase_add_test(tc, test_months);
	tcase_add_test(tc, test_age);
	tcase_add_loop_test(tc, test_time_strict, 0,
	    sizeof(strict_cases) / sizeof(strict_cases[0]));
	tcase_add_test(tc, test_day_why);
	suite_add_tcase(s, tc);
	tc = tcase_create("utf8");
	tcase_add_loop_test(tc, test_utf8, 0, sizeof(utf8_cases) / sizeof(utf8_cases[0]));
	tcase_add_test(tc, test_transcode);
	suite_add_tcase(s, tc);
	tc = tcase_create("num");
	tcase_add_loop_test(tc, test_strtonum, 0, sizeof(nums) / sizeof(nums[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("csv");
	tcase_add_loop_test(tc, test_csv_good, 0,
	    sizeof(csv_good) / sizeof(csv_good[0]));
	tcase_add_loop_test(tc, test_csv_bad, 0,
	    sizeof(csv_bad) / sizeof(csv_bad[0]));
	tcase_add_test(tc, test_csv_limits);
	tcase_add_test(tc, test_csv_resync);
	tcase_add_test(tc, test_json_csv_out);
	tcase_add_loop_test(tc, test_csv_guard, 0, sizeof(guards) / sizeof(guards[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("cmd");
	tcase_add_loop_test(tc, test_dispatch, 0,
	    sizeof(dispatch_cases) / sizeof(dispatch_cases[0]));
	tcase_add_test(tc, test_opt_error);
	tcase_add_test(tc, test_suggest);
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
	sr = srunner_create(common_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
