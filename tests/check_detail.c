/*
 * check_detail.c - the rules on the details schema 1.1 added, each at its boundary and one
 * step past it: a body as the recipient of a CPW or CPN (s43(1)), interim and without-notice
 * orders (s6, s7, s26), partial closure orders (s80(7)), a dispersal direction's record (s35(5),
 * s35(7), s37, s38), an adjourned closure hearing (s81) and who decided a variation (R-VAR-*).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codes.h"
#include "rules.h"

static asb_time
T(const char *s)
{
	asb_time t = 0;

	if (s == NULL || *s == '\0')
		return 0;
	ck_assert_msg(asb_time_parse(s, &t) == 0, "bad test time %s", s);
	return t;
}

#define NOW	"2026-11-01T12:00"
#define P	SCH_PERSON
#define PR	SCH_PREMISES
#define B	SCH_BODY
#define I	1		/* interim */
#define WN	2		/* without notice */
#define PA	4		/* partial */
#define AREA	8		/* area given */
#define NOAREA	16		/* area known not given */
#define REM	32		/* an under-16 removed */
#define SUR	64		/* property surrendered */

/* One use of a power: "" accepted (no finding), "X" refused by X, "~X" only warned by X. */
struct use_case {
	const char	*name;
	int		 power, kind, age;
	const char	*agency, *issued, *expires;
	int		 flags;
	const char	*leave_by;
	int		 link_power;
	const char	*link_issued, *link_served, *link_adjourned;
	const char	*expect;
};

static const struct use_case use_cases[] = {
	/* s43(1): a CPW or CPN to a body */
	{ "cpw to a body", SCH_CPW, B, -1, "local-authority", "2026-03-01", "", 0, "", -1, "", "", "", "" },
	{ "cpn to a body after its cpw", SCH_CPN, B, -1, "local-authority", "2026-04-01", "", 0, "", SCH_CPW, "2026-03-01", "", "", "" },
	{ "cpn to a body without a cpw", SCH_CPN, B, -1, "local-authority", "2026-04-01", "", 0, "", -1, "", "", "", "R-CPN-002" },
	{ "injunction against a body", SCH_INJUNCTION, B, -1, "local-authority", "2026-04-01", "2027-04-01", 0, "", -1, "", "", "", "R-GEN-003" },
	{ "pspo on a body", SCH_PSPO, B, -1, "local-authority", "2026-04-01", "2027-04-01", 0, "", -1, "", "", "", "R-GEN-003" },
	/* s26, s7: interim orders, which the s25 terms do not bind */
	{ "interim adult cbo for 3 months", SCH_CBO, P, 30, "cps", "2026-01-01", "2026-04-01", I, "", -1, "", "", "", "" },
	{ "final adult cbo for 3 months", SCH_CBO, P, 30, "cps", "2026-01-01", "2026-04-01", 0, "", -1, "", "", "", "R-CBO-001" },
	{ "interim cbo still not under 10", SCH_CBO, P, 9, "cps", "2026-01-01", "2026-04-01", I, "", -1, "", "", "", "R-CBO-005" },
	{ "interim injunction", SCH_INJUNCTION, P, 30, "local-authority", "2026-01-01", "2026-02-01", I, "", -1, "", "", "", "" },
	{ "interim cpn", SCH_CPN, P, 30, "police", "2026-04-01", "", I, "", SCH_CPW, "2026-03-01", "", "", "R-INT-001" },
	{ "interim closure order", SCH_CLOSURE_ORDER, PR, -1, "police", "2026-06-02", "2026-07-02", I, "", SCH_CLOSURE_NOTICE, "2026-06-01", "2026-06-01", "", "R-INT-001" },
	/* s6: without notice, then no more than interim */
	{ "without-notice interim injunction", SCH_INJUNCTION, P, 30, "local-authority", "2026-01-01", "2026-02-01", I | WN, "", -1, "", "", "", "" },
	{ "without-notice final injunction", SCH_INJUNCTION, P, 30, "local-authority", "2026-01-01", "2026-02-01", WN, "", -1, "", "", "", "R-INT-002" },
	{ "without-notice cbo", SCH_CBO, P, 30, "cps", "2026-01-01", "", I | WN, "", -1, "", "", "", "R-INT-002" },
	/* s80(7): partial closure */
	{ "partial closure order", SCH_CLOSURE_ORDER, PR, -1, "police", "2026-06-02", "2026-09-02", PA, "", SCH_CLOSURE_NOTICE, "2026-06-01T10:00", "2026-06-01T10:00", "", "" },
	{ "partial closure notice", SCH_CLOSURE_NOTICE, PR, -1, "local-authority", "2026-06-01T10:00", "2026-06-02T10:00", PA, "", -1, "", "", "", "R-CLO-008" },
	{ "partial cpn", SCH_CPN, PR, -1, "local-authority", "2026-06-01", "", PA, "", SCH_CPW, "2026-03-01", "", "", "R-CLO-008" },
	/* s35(5), s35(7), s37, s38: a direction's record */
	{ "direction with its area", SCH_DISP_DIR, P, 20, "police", "2026-07-01T18:00", "2026-07-02T18:00", AREA, "", SCH_DISP_AUTH, "2026-07-01T12:00", "", "", "" },
	{ "direction without its area", SCH_DISP_DIR, P, 20, "police", "2026-07-01T18:00", "2026-07-02T18:00", NOAREA, "", SCH_DISP_AUTH, "2026-07-01T12:00", "", "", "~R-DISP-009" },
	{ "direction, area not known (a return)", SCH_DISP_DIR, P, 20, "police", "2026-07-01T18:00", "2026-07-02T18:00", 0, "", SCH_DISP_AUTH, "2026-07-01T12:00", "", "", "" },
	{ "leave by when given", SCH_DISP_DIR, P, 20, "police", "2026-07-01T18:00", "2026-07-02T18:00", AREA, "2026-07-01T18:00", SCH_DISP_AUTH, "2026-07-01T12:00", "", "", "" },
	{ "leave by a minute before given", SCH_DISP_DIR, P, 20, "police", "2026-07-01T18:00", "2026-07-02T18:00", AREA, "2026-07-01T17:59", SCH_DISP_AUTH, "2026-07-01T12:00", "", "", "R-DISP-008" },
	{ "leave by when it ends", SCH_DISP_DIR, P, 20, "police", "2026-07-01T18:00", "2026-07-02T18:00", AREA, "2026-07-02T18:00", SCH_DISP_AUTH, "2026-07-01T12:00", "", "", "" },
	{ "leave by a minute after it ends", SCH_DISP_DIR, P, 20, "police", "2026-07-01T18:00", "2026-07-02T18:00", AREA, "2026-07-02T18:01", SCH_DISP_AUTH, "2026-07-01T12:00", "", "", "R-DISP-008" },
	{ "a 15-year-old taken home", SCH_DISP_DIR, P, 15, "police", "2026-07-01T18:00", "2026-07-02T18:00", AREA | REM, "", SCH_DISP_AUTH, "2026-07-01T12:00", "", "", "" },
	{ "a 16-year-old taken home", SCH_DISP_DIR, P, 16, "police", "2026-07-01T18:00", "2026-07-02T18:00", AREA | REM, "", SCH_DISP_AUTH, "2026-07-01T12:00", "", "", "~R-DISP-007" },
	{ "property surrendered", SCH_DISP_DIR, P, 16, "police", "2026-07-01T18:00", "2026-07-02T18:00", AREA | SUR, "", SCH_DISP_AUTH, "2026-07-01T12:00", "", "", "" },
	{ "property surrendered on a cpn", SCH_CPN, P, 30, "police", "2026-04-01", "", SUR, "", SCH_CPW, "2026-03-01", "", "", "R-DISP-010" },
	{ "an area on a closure order", SCH_CLOSURE_ORDER, PR, -1, "police", "2026-06-02", "2026-07-02", AREA, "", SCH_CLOSURE_NOTICE, "2026-06-01T10:00", "2026-06-01T10:00", "", "R-DISP-010" },
	{ "a removal on a dispersal authorisation", SCH_DISP_AUTH, SCH_PLACE, -1, "police", "2026-07-01T18:00", "2026-07-02T18:00", REM, "", -1, "", "", "", "R-DISP-010" },
	/* s81: the order heard at the adjourned hearing */
	{ "order at the adjourned hearing", SCH_CLOSURE_ORDER, PR, -1, "police", "2026-06-10T10:00", "2026-09-10", 0, "", SCH_CLOSURE_NOTICE, "2026-06-01T10:00", "2026-06-01T10:00", "2026-06-10T10:00", "" },
	{ "order a minute after the adjourned hearing", SCH_CLOSURE_ORDER, PR, -1, "police", "2026-06-10T10:01", "2026-09-10", 0, "", SCH_CLOSURE_NOTICE, "2026-06-01T10:00", "2026-06-01T10:00", "2026-06-10T10:00", "~R-CLO-004" },
	{ "order 9 days on, no adjournment", SCH_CLOSURE_ORDER, PR, -1, "police", "2026-06-10T10:00", "2026-09-10", 0, "", SCH_CLOSURE_NOTICE, "2026-06-01T10:00", "2026-06-01T10:00", "", "~R-CLO-004" },
};

START_TEST(test_use_details)
{
	const struct use_case *tc = &use_cases[_i];
	struct sch_findings f;
	struct sch_use u;
	unsigned i;
	int found = 0, warn = tc->expect[0] == '~';
	const char *want = warn ? tc->expect + 1 : tc->expect;

	memset(&u, 0, sizeof(u));
	u.power = tc->power;
	u.subject_kind = tc->kind;
	u.age = tc->age;
	u.agency = sch_code_index(SCH_LIST_AGENCIES, tc->agency);
	u.rank = tc->power == SCH_CLOSURE_NOTICE || tc->power == SCH_DISP_AUTH ?
	    "inspector" : "";
	u.issued = T(tc->issued);
	u.expires = T(tc->expires);
	u.interim = (tc->flags & I) != 0;
	u.without_notice = (tc->flags & WN) != 0;
	u.partial = (tc->flags & PA) != 0;
	u.area_given = tc->flags & AREA ? SCH_AREA_GIVEN : tc->flags & NOAREA ?
	    SCH_AREA_NONE : 0;
	u.removed = (tc->flags & REM) != 0;
	u.surrendered = (tc->flags & SUR) != 0;
	u.leave_by = T(tc->leave_by);
	u.link_power = tc->link_power;
	u.link_same_subject = 1;
	u.link_issued = T(tc->link_issued);
	u.link_served = T(tc->link_served);
	u.link_adjourned = T(tc->link_adjourned);
	sch_check_use(&u, T(NOW), &f);
	if (want[0] == '\0') {
		ck_assert_msg(f.n == 0, "%s: %s: %s", tc->name, f.item[0].rule,
		    f.item[0].msg);
		return;
	}
	for (i = 0; i < f.n; i++)
		if (strcmp(f.item[i].rule, want) == 0 && f.item[i].warning == warn)
			found = 1;
	ck_assert_msg(found, "%s: expected %s%s, got %s", tc->name, want,
	    warn ? " as a warning" : "", f.n ? f.item[0].rule : "none");
	if (warn)
		ck_assert_msg(f.errors == 0, "%s: warning case refused: %s", tc->name,
		    f.item[0].msg);
	for (i = 0; i < f.n; i++)
		ck_assert(strlen(f.item[i].msg) > 20);
}
END_TEST

/* An event: the record, the event, who decided and applied, the rule. */
struct event_case {
	const char	*name;
	int		 power, kind;
	const char	*issued, *expires;
	int		 ev;
	const char	*date, *until, *decided_by, *applicant;
	const char	*expect;
};

static const struct event_case event_cases[] = {
	/* s81: adjourned for at most 14 days, on the notice */
	{ "hearing adjourned 14 days", SCH_CLOSURE_NOTICE, PR, "2026-06-01T10:00", "2026-06-02T10:00", SCH_EV_ADJOURNED, "2026-06-02T09:00", "2026-06-16T09:00", "", "", "" },
	{ "hearing adjourned 14 days and a minute", SCH_CLOSURE_NOTICE, PR, "2026-06-01T10:00", "2026-06-02T10:00", SCH_EV_ADJOURNED, "2026-06-02T09:00", "2026-06-16T09:01", "", "", "R-CLO-009" },
	{ "adjourned with no date", SCH_CLOSURE_NOTICE, PR, "2026-06-01T10:00", "2026-06-02T10:00", SCH_EV_ADJOURNED, "2026-06-02T09:00", "", "", "", "R-CLO-009" },
	{ "adjourned to before the hearing", SCH_CLOSURE_NOTICE, PR, "2026-06-01T10:00", "2026-06-02T10:00", SCH_EV_ADJOURNED, "2026-06-02T09:00", "2026-06-02T08:00", "", "", "R-CLO-009" },
	{ "adjourned after the notice lapsed", SCH_CLOSURE_NOTICE, PR, "2026-06-01T10:00", "2026-06-02T10:00", SCH_EV_ADJOURNED, "2026-06-03T09:00", "2026-06-10T09:00", "", "", "" },
	{ "adjourned on a closure order", SCH_CLOSURE_ORDER, PR, "2026-06-01", "2026-09-01", SCH_EV_ADJOURNED, "2026-06-03", "2026-06-10", "", "", "R-CLO-010" },
	{ "adjourned on a cbo", SCH_CBO, P, "2026-01-01", "", SCH_EV_ADJOURNED, "2026-06-03", "2026-06-10", "", "", "R-CLO-010" },
	/* s27, s8, s82-83, s35(8): who decided, on whose application */
	{ "cbo varied by the court for the offender", SCH_CBO, P, "2026-01-01", "", SCH_EV_VARIED, "2026-06-01", "", "court", "respondent", "" },
	{ "cbo varied by the prosecution", SCH_CBO, P, "2026-01-01", "", SCH_EV_VARIED, "2026-06-01", "", "issuer", "", "R-VAR-001" },
	{ "cbo discharged for an interested person", SCH_CBO, P, "2026-01-01", "", SCH_EV_DISCHARGED, "2026-06-01", "", "court", "interested", "R-VAR-002" },
	{ "injunction discharged on the applicant's application", SCH_INJUNCTION, P, "2026-01-01", "2026-12-01", SCH_EV_DISCHARGED, "2026-06-01", "", "court", "issuer", "" },
	{ "closure order discharged for an interested person", SCH_CLOSURE_ORDER, PR, "2026-06-01", "2026-09-01", SCH_EV_DISCHARGED, "2026-07-01", "", "court", "interested", "" },
	{ "direction varied by a constable", SCH_DISP_DIR, P, "2026-07-01T18:00", "2026-07-02T18:00", SCH_EV_VARIED, "2026-07-01T20:00", "", "issuer", "", "" },
	{ "direction varied by a court", SCH_DISP_DIR, P, "2026-07-01T18:00", "2026-07-02T18:00", SCH_EV_VARIED, "2026-07-01T20:00", "", "court", "", "R-VAR-001" },
	{ "pspo varied by the council", SCH_PSPO, SCH_PLACE, "2026-01-01", "2027-01-01", SCH_EV_VARIED, "2026-06-01", "", "issuer", "", "" },
	{ "cpn revoked, no row: any", SCH_CPN, P, "2026-01-01", "", SCH_EV_REVOKED, "2026-06-01", "", "issuer", "", "" },
	{ "decided-by on a breach", SCH_CBO, P, "2026-01-01", "", SCH_EV_BREACHED, "2026-06-01", "", "court", "", "R-VAR-003" },
	{ "applicant on a service", SCH_CBO, P, "2026-01-01", "", SCH_EV_SERVED, "2026-01-02", "", "", "issuer", "R-VAR-003" },
};

START_TEST(test_event_details)
{
	const struct event_case *tc = &event_cases[_i];
	struct sch_findings f;
	struct sch_event_fact e;
	struct sch_life l;
	struct sch_use u;
	unsigned i;
	int found = 0;

	memset(&u, 0, sizeof(u));
	u.power = tc->power;
	u.subject_kind = tc->kind;
	u.age = tc->kind == P ? 30 : -1;
	u.agency = sch_code_index(SCH_LIST_AGENCIES, "police");
	u.rank = "inspector";
	u.issued = T(tc->issued);
	u.expires = T(tc->expires);
	u.link_power = -1;
	sch_life_init(&l, &u);
	memset(&e, 0, sizeof(e));
	e.kind = tc->ev;
	e.date = T(tc->date);
	e.until = T(tc->until);
	e.rank = "";
	e.amount = -1;
	e.decided_by = tc->decided_by;
	e.applicant = tc->applicant;
	sch_check_event(&u, &l, &e, T(NOW), &f);
	if (tc->expect[0] == '\0') {
		ck_assert_msg(f.n == 0, "%s: %s: %s", tc->name, f.item[0].rule,
		    f.item[0].msg);
		return;
	}
	for (i = 0; i < f.n; i++)
		if (strcmp(f.item[i].rule, tc->expect) == 0 && !f.item[i].warning)
			found = 1;
	ck_assert_msg(found, "%s: expected %s, got %s", tc->name, tc->expect,
	    f.n ? f.item[0].rule : "none");
}
END_TEST

/* s81: the notice continues to the adjourned hearing, which is when the hearing is due. */
START_TEST(test_adjourned_life)
{
	struct sch_use u;
	struct sch_life l;
	struct sch_event_fact e;

	memset(&u, 0, sizeof(u));
	u.power = SCH_CLOSURE_NOTICE;
	u.subject_kind = SCH_PREMISES;
	u.issued = T("2026-06-01T10:00");
	u.expires = T("2026-06-02T10:00");
	u.link_power = -1;
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_due_closure_hearing(&u, &l), T("2026-06-03T10:00"));
	memset(&e, 0, sizeof(e));
	e.kind = SCH_EV_ADJOURNED;
	e.date = T("2026-06-02T09:00");
	e.until = T("2026-06-12T09:00");
	e.rank = "";
	e.amount = -1;
	sch_life_apply(&l, &e);
	ck_assert_int_eq(l.adjourned_to, T("2026-06-12T09:00"));
	ck_assert_int_eq(l.expires, T("2026-06-12T09:00"));
	ck_assert_int_eq(sch_due_closure_hearing(&u, &l), T("2026-06-12T09:00"));
	ck_assert_int_eq(sch_life_status(&l, T("2026-06-05")), SCH_ST_ACTIVE);
	/* an adjournment to before the 48 hours leaves the hearing where it was */
	sch_life_init(&l, &u);
	e.until = T("2026-06-02T12:00");
	sch_life_apply(&l, &e);
	ck_assert_int_eq(sch_due_closure_hearing(&u, &l), T("2026-06-03T10:00"));
}
END_TEST

struct section_case {
	const char	*rule;
	int		 power;
	const char	*section;
};

static const struct section_case section_cases[] = {
	{ "R-GEN-003", SCH_CPW, "s43(1)" },
	{ "R-GEN-003", SCH_CPN, "s43(1)" },
	{ "R-INT-001", SCH_CBO, "s7, s26" },
	{ "R-INT-002", SCH_INJUNCTION, "s6" },
	{ "R-CLO-008", SCH_CLOSURE_ORDER, "s80(7), s80(8)" },
	{ "R-CLO-009", SCH_CLOSURE_NOTICE, "s81(3)" },
	{ "R-CLO-010", SCH_CLOSURE_NOTICE, "s81" },
	{ "R-DISP-007", SCH_DISP_DIR, "s35(7)" },
	{ "R-DISP-008", SCH_DISP_DIR, "s35(5)(c)" },
	{ "R-DISP-009", SCH_DISP_DIR, "s35(5)(b), s38" },
	{ "R-DISP-010", SCH_CPN, "s35(5), s35(7), s37, s38" },
	{ "R-VAR-001", SCH_INJUNCTION, "s8" },
	{ "R-VAR-001", SCH_CBO, "s27" },
	{ "R-VAR-001", SCH_CLOSURE_ORDER, "s82, s83" },
	{ "R-VAR-001", SCH_DISP_DIR, "s35(8)" },
	{ "R-VAR-002", SCH_CBO, "s27(1)" },
	{ "R-VAR-002", SCH_INJUNCTION, "s8(1)" },
	{ "R-VAR-002", SCH_CLOSURE_ORDER, "s82(1), s83(2)" },
};

START_TEST(test_detail_sections)
{
	const struct section_case *tc = &section_cases[_i];
	const struct sch_rule *r = sch_rule_find(tc->rule, tc->power, T("2026-06-01"));

	ck_assert_msg(r != NULL, "%s: no row", tc->rule);
	ck_assert_str_eq(r->section, tc->section);
}
END_TEST

/* The code lists: body a subject kind of CPW and CPN only, the parties, adjourned. */
START_TEST(test_detail_codes)
{
	int k;

	ck_assert_str_eq(sch_subject_kind_code(SCH_BODY), "body");
	ck_assert_int_eq(sch_subject_kind_from_code("body"), SCH_BODY);
	for (k = 0; k < SCH_POWER_COUNT; k++)
		ck_assert_int_eq(sch_power_allows_subject(k, SCH_BODY),
		    k == SCH_CPW || k == SCH_CPN);
	ck_assert_int_eq(sch_code_index(SCH_LIST_PARTIES, "court"), 0);
	ck_assert_int_eq(sch_code_index(SCH_LIST_PARTIES, "interested"), 3);
	ck_assert_int_eq(sch_code_index(SCH_LIST_PARTIES, "magistrate"), -1);
	ck_assert_str_eq(sch_event_code(SCH_EV_ADJOURNED), "adjourned");
	ck_assert(!sch_event_ends(SCH_EV_ADJOURNED));
}
END_TEST

static Suite *
detail_suite(void)
{
	Suite *s = suite_create("detail");
	TCase *tc = tcase_create("rules");

	tcase_add_loop_test(tc, test_use_details, 0,
	    sizeof(use_cases) / sizeof(use_cases[0]));
	tcase_add_loop_test(tc, test_event_details, 0,
	    sizeof(event_cases) / sizeof(event_cases[0]));
	tcase_add_loop_test(tc, test_detail_sections, 0,
	    sizeof(section_cases) / sizeof(section_cases[0]));
	tcase_add_test(tc, test_adjourned_life);
	tcase_add_test(tc, test_detail_codes);
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
	sr = srunner_create(detail_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
