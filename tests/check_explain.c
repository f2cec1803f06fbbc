/*
 * check_explain.c - a force's explanations of its warnings: every refusal of gw_explain_arg
 * and gw_explain_add (a table of bad inputs), what is accepted (leading and trailing spaces
 * dropped, 1000 characters of UTF-8, 50 explanations), and rtn_explanations_read, which the
 * hub's compliance view reads them back with: the Header only, white space collapsed as
 * xs:token's, what a terminal acts on replaced.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"

static const struct {
	const char	*arg;
	const char	*msg;
} bad[] = {
	{ "R-APP-002 no equals", "give RULE=TEXT" },
	{ "=no rule", "give RULE=TEXT" },
	{ "R-APP-002-AND-A-VERY-LONG-TAIL=x", "give RULE=TEXT" },
	{ "R-PWR-001=an error's rule", "'R-PWR-001' is not a warning's rule ID" },
	{ "R-XYZ-999=unknown", "'R-XYZ-999' is not a warning's rule ID" },
	{ "r-app-002=lower case", "is not a warning's rule ID" },
	{ "R-APP-002=", "the explanation of R-APP-002 is empty" },
	{ "R-APP-002=   ", "the explanation of R-APP-002 is empty" },
	{ "R-APP-002=one\ntwo", "is not plain text" },
	{ "R-APP-002=one\ttwo", "is not plain text" },
	{ "R-APP-002=bell\a", "is not plain text" },
	{ "R-APP-002=del\x7f", "is not plain text" },
	{ "R-APP-002=csi \xc2\x9b", "is not plain text" },
	{ "R-APP-002=caf\xe9", "is not plain text" },
	{ "R-APP-002=cut \xc3", "is not plain text" },
	{ "R-APP-002=overlong \xc0\xaf", "is not plain text" },
};

START_TEST(test_bad)
{
	struct gw_explanations x;
	struct asb_errbuf eb;

	memset(&x, 0, sizeof(x));
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(gw_explain_arg(&x, bad[_i].arg, &eb), ASB_EUSAGE);
	ck_assert_msg(strstr(eb.msg, bad[_i].msg) != NULL, "%s: '%s' lacks '%s'", bad[_i].arg,
	    eb.msg, bad[_i].msg);
	ck_assert_uint_eq(x.n, 0);
	gw_explain_free(&x);
}
END_TEST

START_TEST(test_limits)
{
	struct gw_explanations x;
	struct asb_errbuf eb;
	char arg[4100];
	size_t i;

	memset(&x, 0, sizeof(x));
	ck_assert_int_eq(gw_explain_arg(&x, "R-DQ-001=  a new PSPO  ", &eb), ASB_OK);
	ck_assert_str_eq(x.item[0].rule, "R-DQ-001");
	ck_assert_str_eq(x.item[0].text, "a new PSPO");
	ck_assert_int_eq(gw_explain_arg(&x, "R-DQ-001=again", &eb), ASB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(eb.msg, "R-DQ-001 is explained twice"));
	/* 1000 characters of two bytes each: accepted; 1001: refused */
	memcpy(arg, "R-APP-002=", 10);
	for (i = 0; i < 1001; i++)
		memcpy(arg + 10 + 2 * i, "\xc3\xa9", 2);
	arg[10 + 2 * 1001] = '\0';
	ck_assert_int_eq(gw_explain_arg(&x, arg, &eb), ASB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(eb.msg, "has 1001 characters: at most 1000"));
	arg[10 + 2 * 1000] = '\0';
	ck_assert_int_eq(gw_explain_arg(&x, arg, &eb), ASB_OK);
	ck_assert_uint_eq(x.n, 2);
	gw_explain_free(&x);
	ck_assert_uint_eq(x.n, 0);
	gw_explain_free(NULL);
}
END_TEST

/* Refuses the 51st even of a rule not yet given (the count is checked, not only the rules:
 * the add is forced past the rule check by filling the list by hand). */
START_TEST(test_count)
{
	struct gw_explanations x;
	struct asb_errbuf eb;
	size_t i;

	memset(&x, 0, sizeof(x));
	for (i = 0; i < RTN_MAX_EXPLANATIONS; i++) {
		snprintf(x.item[i].rule, sizeof(x.item[i].rule), "R-ZZ-%03zu", i);
		x.item[i].text = strdup("x");
	}
	x.n = RTN_MAX_EXPLANATIONS;
	ck_assert_int_eq(gw_explain_add(&x, "R-APP-002", "x", &eb), ASB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(eb.msg, "more than 50 explanations"));
	ck_assert_uint_eq(x.n, RTN_MAX_EXPLANATIONS);
	gw_explain_free(&x);
}
END_TEST

struct seen {
	char	 got[1024];
};

static void
seen(const char *rule, const char *text, void *ctx)
{
	struct seen *s = ctx;
	size_t n = strlen(s->got);

	snprintf(s->got + n, sizeof(s->got) - n, "%s=%s|", rule, text);
}

START_TEST(test_read)
{
	static const char ret[] =
	    "<Return xmlns=\"" RTN_NS "\"><Header><Force>E23000005</Force>"
	    "<RecordCount>0</RecordCount><Explanations>"
	    "<Explanation rule=\"R-DQ-001\">\n  a new\t PSPO &amp; &lt;more&gt;  </Explanation>"
	    "<Explanation rule=\"R-APP-002\">csi \xc2\x9b" "2J del \x7f end</Explanation>"
	    "</Explanations></Header><Records><Record><Explanation rule=\"R-X\">not read"
	    "</Explanation></Record>"
	    "</Records></Return>";
	struct seen s;
	struct asb_errbuf eb;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(rtn_explanations_read(ret, sizeof(ret) - 1, "t", seen, &s, &eb),
	    ASB_OK);
	ck_assert_str_eq(s.got, "R-DQ-001=a new PSPO & <more>|R-APP-002=csi ?2J del ? end|");
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(rtn_explanations_read("<Return><Header>", 16, "t", seen, &s, &eb),
	    ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-XML-001");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("explain");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_count);
	tcase_add_test(tc, test_read);
	suite_add_tcase(s, tc);
	rtn_init();
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rtn_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
