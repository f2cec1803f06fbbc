/*
 * check_web.c - libweb's page API (the one escaping function, pg_printf, GOV.UK date parts)
 * and the register's sign-in state (auth.c): passwords, TOTP (codes from liboath's own
 * generator, at the edges of the window), failures, the lock, sessions and their timeouts,
 * the acting user of a server's open register.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <liboath/oath.h>

#include "codes.h"
#include "form.h"
#include "page.h"

#define NOW	((asb_time)1767225600)	/* 2026-01-01T00:00:00Z */

/* ---- escaping -------------------------------------------------------------------------- */

static const struct { const char *in, *out; } esc_cases[] = {
	{ "", "" },
	{ "plain text", "plain text" },
	{ "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "a & b", "a &amp; b" },
	{ "\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;" },
	{ "Zoë Ó Briain", "Zoë Ó Briain" },		/* UTF-8 kept as it is */
	{ "x\001y\033z\177", "x&#65533;y&#65533;z&#65533;" },
	{ "tab\tnew\nline", "tab\tnew\nline" },
	{ "&amp;", "&amp;amp;" },			/* escaped again: no double meaning */
	{ "javascript:\" onmouseover=\"x", "javascript:&quot; onmouseover=&quot;x" },
};

START_TEST(test_esc)
{
	char buf[256];

	web_esc_buf(esc_cases[_i].in, buf, sizeof(buf));
	ck_assert_str_eq(buf, esc_cases[_i].out);
}
END_TEST

START_TEST(test_esc_cut)
{
	char buf[8];

	/* "a&lt;" fits in 8 with "&lt;" whole; "a&lt;&lt;" would not: no half entity */
	web_esc_buf("a<<", buf, sizeof(buf));
	ck_assert_str_eq(buf, "a&lt;");
	web_esc_buf("abcdeéé", buf, sizeof(buf));	/* é is 2 bytes: never cut in two */
	ck_assert_str_eq(buf, "abcdeé");
	ck_assert_uint_eq(web_esc_buf("x", buf, 0), 0);
}
END_TEST

START_TEST(test_printf)
{
	struct web_req q;
	char out[512];
	size_t n;

	memset(&q, 0, sizeof(q));
	q.out = evbuffer_new();
	ck_assert_ptr_nonnull(q.out);
	pg_printf(&q, "<a href=\"/s/%s\">%s</a> %d %zu %lld %05.1f 100%% %u", "S1\"><x>",
	    "<b>", -7, (size_t)42, (long long)1 << 40, 3.14159, 9u);
	n = evbuffer_copyout(q.out, out, sizeof(out) - 1);
	out[n] = '\0';
	ck_assert_str_eq(out, "<a href=\"/s/S1&quot;&gt;&lt;x&gt;\">&lt;b&gt;</a> -7 42 "
	    "1099511627776 003.1 100% 9");
	evbuffer_free(q.out);
}
END_TEST

/* ---- form fields ----------------------------------------------------------------------- */

static const struct {
	const char *query;
	int ret;
	const char *out;	/* the ISO text, or the why */
} date_cases[] = {
	{ "", 0, "" },
	{ "issued=2026-03-01", 1, "2026-03-01" },
	{ "issued=%202026-03-01T10:00%20", 1, "2026-03-01T10:00" },
	{ "issued-day=1&issued-month=3&issued-year=2026", 1, "2026-03-01" },
	{ "issued-day=01&issued-month=03&issued-year=2026&issued-time=21:30", 1,
	    "2026-03-01T21:30" },
	{ "issued-day=&issued-month=&issued-year=", 0, "" },
	{ "issued-month=3&issued-year=2026", -1, "must include a day" },
	{ "issued-day=1&issued-year=2026", -1, "must include a month" },
	{ "issued-day=1&issued-month=3", -1, "must include a year" },
	{ "issued-day=32&issued-month=3&issued-year=2026", -1, "must be a real date" },
	{ "issued-day=1&issued-month=13&issued-year=2026", -1, "must be a real date" },
	{ "issued-day=x&issued-month=3&issued-year=2026", -1, "must be a real date" },
	{ "issued-day=1&issued-month=3&issued-year=26", -1, "must be a real date" },
	{ "issued-day=1&issued-month=3&issued-year=2026&issued-time=9pm", -1,
	    "must have its time as HH:MM, for example 21:30" },
};

START_TEST(test_form_date)
{
	struct evkeyvalq kv;
	struct web_req q;
	char buf[32];
	const char *why = NULL;
	int ret;

	memset(&q, 0, sizeof(q));
	TAILQ_INIT(&kv);
	ck_assert_int_eq(evhttp_parse_query_str(date_cases[_i].query, &kv), 0);
	q.method = WEB_GET;
	q.query = &kv;
	buf[0] = '\0';
	ret = form_date(&q, "issued", buf, sizeof(buf), &why);
	ck_assert_int_eq(ret, date_cases[_i].ret);
	if (ret == -1)
		ck_assert_str_eq(why, date_cases[_i].out);
	else if (ret == 1)
		ck_assert_str_eq(buf, date_cases[_i].out);
	evhttp_clear_headers(&kv);
}
END_TEST

/* ---- sign-in state in the register ----------------------------------------------------- */

static char dir[64];
static struct reg *R;
static struct asb_errbuf eb;
static struct reg_auth_policy P;

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/asbweb-check-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(reg_init(dir, "E23000011", "tester", NOW, &eb), ASB_OK);
	ck_assert_int_eq(reg_open(dir, &R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	ck_assert_int_eq(reg_user_set(R, "admin", REG_ROLE_DATA_TEAM, &eb), ASB_OK);
	ck_assert_int_eq(reg_user_set(R, "pc.1", REG_ROLE_OFFICER, &eb), ASB_OK);
	ck_assert_int_eq(reg_user_set(R, "sup.1", REG_ROLE_SUPERVISOR, &eb), ASB_OK);
	reg_auth_policy_defaults(&P);
}

static void
teardown(void)
{
	char p[128];

	reg_close(R);
	R = NULL;
	snprintf(p, sizeof(p), "%s/data.mdb", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/lock.mdb", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/force.key", dir);
	unlink(p);
	rmdir(dir);
}

/* The current code of an otpauth URI's secret at t (liboath's generator). */
static void
code_at(const char *uri, asb_time t, char *code)
{
	const char *s = strstr(uri, "secret=");
	char b32[64], *raw = NULL;
	size_t n, rawlen;

	ck_assert_ptr_nonnull(s);
	s += 7;
	n = strcspn(s, "&");
	ck_assert_uint_lt(n, sizeof(b32));
	memcpy(b32, s, n);
	b32[n] = '\0';
	ck_assert_int_eq(oath_init(), OATH_OK);
	ck_assert_int_eq(oath_base32_decode(b32, n, &raw, &rawlen), OATH_OK);
	ck_assert_uint_eq(rawlen, 20);
	ck_assert_int_eq(oath_totp_generate(raw, rawlen, (time_t)t, 30, 0, 6, code), OATH_OK);
	free(raw);
}

START_TEST(test_passwd)
{
	struct reg_login l;

	ck_assert_int_eq(reg_passwd_set(R, "pc.1", "too short", &eb), ASB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(eb.msg, "10 to 1024"));
	ck_assert_int_eq(reg_passwd_set(R, "nobody", "long enough one", &eb), ASB_ENOTFOUND);
	ck_assert_int_eq(reg_passwd_set(R, "a/b", "long enough one", &eb), ASB_EUSAGE);
	ck_assert_int_eq(reg_passwd_set(R, "pc.1", "long enough one", &eb), ASB_OK);
	/* an officer without a second factor signs in with the password alone */
	ck_assert_int_eq(reg_login(R, &P, "pc.1", "long enough one", "", NOW, &l, &eb), ASB_OK);
	ck_assert_int_eq(l.ok, 1);
	ck_assert_int_eq(l.role, REG_ROLE_OFFICER);
	ck_assert_uint_eq(strlen(l.token), 64);
	ck_assert_uint_eq(strlen(l.csrf), 64);
	ck_assert_str_ne(l.token, l.csrf);
	ck_assert_int_eq(reg_login(R, &P, "pc.1", "long enough onE", "", NOW, &l, &eb), ASB_OK);
	ck_assert_int_eq(l.ok, 0);
	ck_assert_str_eq(l.rule, "R-LOGIN-001");
	ck_assert_int_eq(l.failures, 1);
	ck_assert_int_eq(l.delay_ms, 250);
	/* a user with no password set, and a name no user has */
	ck_assert_int_eq(reg_login(R, &P, "admin", "anything at all", "", NOW, &l, &eb), ASB_OK);
	ck_assert_int_eq(l.ok, 0);
	ck_assert_int_eq(reg_login(R, &P, "nobody", "anything at all", "", NOW, &l, &eb), ASB_OK);
	ck_assert_int_eq(l.ok, 0);
	ck_assert_str_eq(l.rule, "R-LOGIN-001");
	/* above officer: a second factor or nothing */
	ck_assert_int_eq(reg_passwd_set(R, "sup.1", "supervisor pass", &eb), ASB_OK);
	ck_assert_int_eq(reg_login(R, &P, "sup.1", "supervisor pass", "", NOW, &l, &eb), ASB_OK);
	ck_assert_int_eq(l.ok, 0);
	ck_assert_str_eq(l.rule, "R-LOGIN-003");
}
END_TEST

START_TEST(test_totp)
{
	struct reg_login l;
	char uri[REG_TOTP_URI], code[8];

	ck_assert_int_eq(reg_passwd_set(R, "sup.1", "supervisor pass", &eb), ASB_OK);
	ck_assert_int_eq(reg_totp_enrol(R, "sup.1", uri, sizeof(uri), &eb), ASB_OK);
	ck_assert_ptr_nonnull(strstr(uri, "otpauth://totp/ASB%20register%20E23000011:sup.1?"
	    "secret="));
	ck_assert_ptr_nonnull(strstr(uri, "&digits=6&period=30"));
	code_at(uri, NOW, code);
	ck_assert_int_eq(reg_login(R, &P, "sup.1", "supervisor pass", code, NOW, &l, &eb),
	    ASB_OK);
	ck_assert_int_eq(l.ok, 1);
	/* a code works once (RFC 6238 5.2): again, or an older one, is refused */
	ck_assert_int_eq(reg_login(R, &P, "sup.1", "supervisor pass", code, NOW + 5, &l, &eb),
	    ASB_OK);
	ck_assert_int_eq(l.ok, 0);
	ck_assert_str_eq(l.rule, "R-LOGIN-001");
	code_at(uri, NOW - 30, code);
	ck_assert_int_eq(reg_login(R, &P, "sup.1", "supervisor pass", code, NOW, &l, &eb),
	    ASB_OK);
	ck_assert_int_eq(l.ok, 0);
	/* one step ahead is accepted (a phone's clock runs fast), two is not */
	code_at(uri, NOW + 90, code);
	ck_assert_int_eq(reg_login(R, &P, "sup.1", "supervisor pass", code, NOW, &l, &eb),
	    ASB_OK);
	ck_assert_int_eq(l.ok, 0);
	code_at(uri, NOW + 30, code);
	ck_assert_int_eq(reg_login(R, &P, "sup.1", "supervisor pass", code, NOW, &l, &eb),
	    ASB_OK);
	ck_assert_int_eq(l.ok, 1);
	/* one step behind is accepted too (a phone's clock runs slow): a fresh enrolment */
	{
		char uri3[REG_TOTP_URI];

		ck_assert_int_eq(reg_totp_enrol(R, "sup.1", uri3, sizeof(uri3), &eb), ASB_OK);
		code_at(uri3, NOW + 600 - 30, code);
		ck_assert_int_eq(reg_login(R, &P, "sup.1", "supervisor pass", code, NOW + 600,
		    &l, &eb), ASB_OK);
		ck_assert_int_eq(l.ok, 1);
		snprintf(uri, sizeof(uri), "%s", uri3);
	}
	/* no code, or a right code with a wrong password */
	ck_assert_int_eq(reg_login(R, &P, "sup.1", "supervisor pass", NULL, NOW, &l, &eb),
	    ASB_OK);
	ck_assert_int_eq(l.ok, 0);
	code_at(uri, NOW + 1200, code);
	ck_assert_int_eq(reg_login(R, &P, "sup.1", "supervisor pasS", code, NOW + 1200, &l,
	    &eb), ASB_OK);
	ck_assert_int_eq(l.ok, 0);
	/* re-enrolment replaces the secret: the old one's codes stop working */
	{
		char uri2[REG_TOTP_URI];

		ck_assert_int_eq(reg_totp_enrol(R, "sup.1", uri2, sizeof(uri2), &eb), ASB_OK);
		ck_assert_str_ne(uri, uri2);
	}
	ck_assert_int_eq(reg_login(R, &P, "sup.1", "supervisor pass", code, NOW + 1200, &l,
	    &eb), ASB_OK);
	ck_assert_int_eq(l.ok, 0);
}
END_TEST

START_TEST(test_lock)
{
	struct reg_login l;
	int i;

	ck_assert_int_eq(reg_passwd_set(R, "pc.1", "long enough one", &eb), ASB_OK);
	for (i = 1; i <= 5; i++) {
		ck_assert_int_eq(reg_login(R, &P, "pc.1", "wrong one here", "", NOW + i, &l, &eb),
		    ASB_OK);
		ck_assert_int_eq(l.ok, 0);
		ck_assert_int_eq(l.failures, i);
		ck_assert_int_eq(l.delay_ms, 250 << (i - 1));
		ck_assert_str_eq(l.rule, i < 5 ? "R-LOGIN-001" : "R-LOGIN-002");
	}
	ck_assert_int_eq(l.locked_until, NOW + 5 + 15 * 60);
	/* locked: the right password does not open it, until the lock runs out */
	ck_assert_int_eq(reg_login(R, &P, "pc.1", "long enough one", "", NOW + 600, &l, &eb),
	    ASB_OK);
	ck_assert_int_eq(l.ok, 0);
	ck_assert_str_eq(l.rule, "R-LOGIN-002");
	ck_assert_int_eq(reg_login(R, &P, "pc.1", "long enough one", "", NOW + 5 + 900, &l,
	    &eb), ASB_OK);
	ck_assert_int_eq(l.ok, 1);
	/* a success clears the count: the next failure is the first again */
	ck_assert_int_eq(reg_login(R, &P, "pc.1", "wrong one here", "", NOW + 1000, &l, &eb),
	    ASB_OK);
	ck_assert_int_eq(l.failures, 1);
	/* a new password from the data team lifts a lock at once */
	for (i = 0; i < 5; i++)
		reg_login(R, &P, "pc.1", "wrong one here", "", NOW + 1001, &l, &eb);
	ck_assert_str_eq(l.rule, "R-LOGIN-002");
	ck_assert_int_eq(reg_passwd_set(R, "pc.1", "a new long one", &eb), ASB_OK);
	ck_assert_int_eq(reg_login(R, &P, "pc.1", "a new long one", "", NOW + 1002, &l, &eb),
	    ASB_OK);
	ck_assert_int_eq(l.ok, 1);
}
END_TEST

START_TEST(test_session)
{
	struct reg_login l;
	struct reg_session s;
	char tok[REG_TOKEN_HEX];

	ck_assert_int_eq(reg_passwd_set(R, "pc.1", "long enough one", &eb), ASB_OK);
	ck_assert_int_eq(reg_login(R, &P, "pc.1", "long enough one", "", NOW, &l, &eb), ASB_OK);
	ck_assert_int_eq(l.ok, 1);
	ck_assert_int_eq(reg_commit(R, &eb), ASB_OK);
	ck_assert_int_eq(reg_begin(R, 1, &eb), ASB_OK);
	ck_assert_int_eq(reg_session_get(R, &P, l.token, NOW + 60, &s, &eb), ASB_OK);
	ck_assert_str_eq(s.user, "pc.1");
	ck_assert_str_eq(s.csrf, l.csrf);
	ck_assert_int_eq(s.seen, NOW + 60);
	/* each use keeps it alive: 14 minutes at a time for 9 hours */
	ck_assert_int_eq(reg_session_get(R, &P, l.token, NOW + 60 + 14 * 60, &s, &eb), ASB_OK);
	/* idle 15 minutes: ended, and deleted */
	ck_assert_int_eq(reg_session_get(R, &P, l.token, NOW + 60 + 29 * 60, &s, &eb),
	    ASB_ENOTFOUND);
	ck_assert_str_eq(eb.rule, "R-SESS-002");
	ck_assert_int_eq(reg_session_get(R, &P, l.token, NOW + 60 + 14 * 60, &s, &eb),
	    ASB_ENOTFOUND);
	ck_assert_str_eq(eb.rule, "R-SESS-001");
	/* the absolute limit, however busy */
	ck_assert_int_eq(reg_login(R, &P, "pc.1", "long enough one", "", NOW, &l, &eb), ASB_OK);
	ck_assert_int_eq(reg_session_get(R, &P, l.token, NOW + 10 * 3600 - 1, &s, &eb),
	    ASB_ENOTFOUND);	/* idle, this one */
	ck_assert_int_eq(reg_login(R, &P, "pc.1", "long enough one", "", NOW, &l, &eb), ASB_OK);
	{
		asb_time t;

		for (t = NOW + 600; t < NOW + 10 * 3600; t += 600)
			ck_assert_int_eq(reg_session_get(R, &P, l.token, t, &s, &eb), ASB_OK);
		ck_assert_int_eq(reg_session_get(R, &P, l.token, NOW + 10 * 3600, &s, &eb),
		    ASB_ENOTFOUND);
		ck_assert_str_eq(eb.rule, "R-SESS-002");
	}
	/* sign-out ends it on the server */
	ck_assert_int_eq(reg_login(R, &P, "pc.1", "long enough one", "", NOW, &l, &eb), ASB_OK);
	snprintf(tok, sizeof(tok), "%s", l.token);
	ck_assert_int_eq(reg_session_end(R, tok, NOW + 1, &eb), ASB_OK);
	ck_assert_int_eq(reg_session_get(R, &P, tok, NOW + 2, &s, &eb), ASB_ENOTFOUND);
	ck_assert_int_eq(reg_session_end(R, tok, NOW + 2, &eb), ASB_ENOTFOUND);
	/* tokens that are not ours */
	ck_assert_int_eq(reg_session_get(R, &P, "", NOW, &s, &eb), ASB_ENOTFOUND);
	ck_assert_int_eq(reg_session_get(R, &P, "zz", NOW, &s, &eb), ASB_ENOTFOUND);
	tok[0] = tok[0] == 'a' ? 'b' : 'a';
	ck_assert_int_eq(reg_session_get(R, &P, tok, NOW + 2, &s, &eb), ASB_ENOTFOUND);
	ck_assert_int_eq(reg_csrf_equal("abc", "abc"), 1);
	ck_assert_int_eq(reg_csrf_equal("abc", "abd"), 0);
	ck_assert_int_eq(reg_csrf_equal("abc", "abcd"), 0);
	ck_assert_int_eq(reg_csrf_equal("", ""), 0);
	ck_assert_int_eq(reg_csrf_equal(NULL, "a"), 0);
}
END_TEST

START_TEST(test_act_as)
{
	ck_assert_int_eq(reg_act_as(R, "pc.1", "find", &eb), ASB_OK);
	ck_assert_int_eq(reg_act_as(R, "pc.1", "audit", &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-ROLE-001");
	ck_assert_int_eq(reg_act_as(R, "nobody", "find", &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-ROLE-002");
	ck_assert_int_eq(reg_act_as(R, "", "find", &eb), ASB_EUSAGE);
	/* the entry written after it names the acting user and the operation */
	ck_assert_int_eq(reg_act_as(R, "sup.1", "audit", &eb), ASB_OK);
	ck_assert_int_eq(reg_audit_log(R, REG_AUDIT_CONSULTATION, NOW, NULL, "x", 0, &eb),
	    ASB_OK);
	ck_assert_int_eq(reg_audit_refused(R, "pc.1", "audit", NOW, "R-ROLE-001", &eb), ASB_OK);
}
END_TEST

static int
last_entry(const struct reg_audit *a, void *ctx)
{
	*(struct reg_audit *)ctx = *a;
	return 0;
}

START_TEST(test_audit_names)
{
	struct reg_audit a;

	ck_assert_int_eq(reg_act_as(R, "sup.1", "audit", &eb), ASB_OK);
	ck_assert_int_eq(reg_audit_log(R, REG_AUDIT_CONSULTATION, NOW, NULL, "x", 0, &eb),
	    ASB_OK);
	ck_assert_int_eq(reg_audit_each(R, last_entry, &a, &eb), ASB_OK);
	ck_assert_str_eq(a.user, "sup.1");
	ck_assert_str_eq(a.command, "audit");
	ck_assert_int_eq(reg_audit_refused(R, "pc.1", "audit", NOW, "R-ROLE-001", &eb), ASB_OK);
	ck_assert_int_eq(reg_audit_each(R, last_entry, &a, &eb), ASB_OK);
	ck_assert_str_eq(a.user, "pc.1");
	ck_assert_ptr_nonnull(strstr(a.ids, "refused (R-ROLE-001)"));
}
END_TEST

static int
recent_id(const struct reg_record *rec, void *ctx)
{
	uint64_t *ids = ctx;

	ids[ids[0] + 1] = rec->id;
	ids[0]++;
	return 0;
}

START_TEST(test_recent)
{
	struct reg_subject s;
	struct reg_record rec;
	uint64_t ids[8] = { 0 };
	int i;

	ck_assert_int_eq(reg_records_recent(R, 5, recent_id, ids, &eb), ASB_OK);
	ck_assert_uint_eq(ids[0], 0);
	memset(&s, 0, sizeof(s));
	s.kind = SCH_PLACE;
	snprintf(s.name, sizeof(s.name), "Weston Park");
	ck_assert_int_eq(reg_subject_add(R, &s, NOW, NULL, &eb), ASB_OK);
	for (i = 0; i < 4; i++) {
		memset(&rec, 0, sizeof(rec));
		reg_record_defaults(&rec);
		rec.power = sch_code_index(SCH_LIST_POWERS, "pspo");
		rec.subject = s.id;
		rec.issued = NOW - 86400 * (10 - i);
		rec.expires = rec.issued + 86400 * 365;
		rec.agency = sch_code_index(SCH_LIST_AGENCIES, "local-authority");
		ck_assert_msg(reg_record_add(R, &rec, "t", NOW, NULL, &eb) == ASB_OK, "%s", eb.msg);
	}
	ck_assert_int_eq(reg_records_recent(R, 3, recent_id, ids, &eb), ASB_OK);
	ck_assert_uint_eq(ids[0], 3);
	ck_assert_uint_eq(ids[1], 4);
	ck_assert_uint_eq(ids[2], 3);
	ck_assert_uint_eq(ids[3], 2);
}
END_TEST

static Suite *
web_suite(void)
{
	Suite *s = suite_create("web");
	TCase *tc = tcase_create("page");
	TCase *ta = tcase_create("auth");

	tcase_add_loop_test(tc, test_esc, 0, sizeof(esc_cases) / sizeof(esc_cases[0]));
	tcase_add_test(tc, test_esc_cut);
	tcase_add_test(tc, test_printf);
	tcase_add_loop_test(tc, test_form_date, 0, sizeof(date_cases) / sizeof(date_cases[0]));
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(ta, setup, teardown);
	tcase_set_timeout(ta, 60);	/* Argon2id at 64 MiB, slower under sanitizers */
	tcase_add_test(ta, test_passwd);
	tcase_add_test(ta, test_totp);
	tcase_add_test(ta, test_lock);
	tcase_add_test(ta, test_session);
	tcase_add_test(ta, test_act_as);
	tcase_add_test(ta, test_audit_names);
	tcase_add_test(ta, test_recent);
	suite_add_tcase(s, ta);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(web_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
