/*
 * check_schema.c - the code lists and every statutory rule: each rule accepts its boundary and
 * refuses one step past it, as a table of cases; the dated look-up; event rules; life and
 * status derivation.
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

START_TEST(test_power_order)
{
	static const char *const want[SCH_POWER_COUNT] = { "cpw", "cpn", "pspo",
	    "injunction", "cbo", "dispersal-authorisation",
	    "dispersal-direction", "closure-notice", "closure-order",
	    "respect-order", "youth-injunction", "housing-injunction" };
	int i;

	ck_assert_uint_eq(sch_code_count(SCH_LIST_POWERS), SCH_POWER_COUNT);
	for (i = 0; i < SCH_POWER_COUNT; i++)
		ck_assert_str_eq(sch_power_code(i), want[i]);
}
END_TEST

START_TEST(test_event_order)
{
	static const char *const want[SCH_EV_COUNT] = { "served", "appealed",
	    "appeal-allowed", "appeal-dismissed", "varied", "extended",
	    "breached", "fpn-issued", "fpn-paid", "discharged", "revoked",
	    "expired", "reviewed", "adjourned" };
	int i;

	ck_assert_uint_eq(sch_code_count(SCH_LIST_EVENTS), SCH_EV_COUNT);
	for (i = 0; i < SCH_EV_COUNT; i++)
		ck_assert_str_eq(sch_event_code(i), want[i]);
	ck_assert(sch_event_ends(SCH_EV_DISCHARGED));
	ck_assert(!sch_event_ends(SCH_EV_BREACHED));
}
END_TEST

START_TEST(test_code_lists)
{
	char buf[64];

	ck_assert_uint_eq(sch_code_count(SCH_LIST_FORCES), 43);
	ck_assert_int_ge(sch_code_index(SCH_LIST_FORCES, "E23000011"), 0);
	ck_assert_int_ge(sch_code_index(SCH_LIST_FORCES, "W15000004"), 0);
	ck_assert_int_eq(sch_code_index(SCH_LIST_FORCES, "E23000040"), -1);
	ck_assert_uint_eq(sch_code_count(SCH_LIST_ETHNICITY), 19);
	ck_assert_int_eq(sch_code_index(SCH_LIST_ETHNICITY, "W4"), -1);
	ck_assert_int_gt(sch_rank_level("superintendent"),
	    sch_rank_level("inspector"));
	ck_assert_int_eq(sch_rank_level("general"), -1);
	ck_assert(sch_lsoa_valid("E01007321"));
	ck_assert(sch_lsoa_valid("W01000001"));
	ck_assert(!sch_lsoa_valid("E02007321"));
	ck_assert(!sch_lsoa_valid("E0100732"));
	ck_assert(!sch_lsoa_valid("E01007x21"));
	ck_assert(sch_power_allows_subject(SCH_CPN, SCH_PREMISES));
	ck_assert(!sch_power_allows_subject(SCH_CPN, SCH_PLACE));
	ck_assert(!sch_power_allows_subject(SCH_PSPO, SCH_PERSON));
	ck_assert_int_eq(sch_power_follows(SCH_CPN), SCH_CPW);
	ck_assert_int_eq(sch_power_follows(SCH_CBO), -1);
	ck_assert_str_eq(sch_code_join(SCH_LIST_SEX, "|", buf, sizeof(buf)),
	    "F|M|X");
}
END_TEST

/* One use of a power and the rule that must refuse it ("" = accepted, "~X" = only warning X). */
struct use_case {
	const char	*name;
	int		 power, kind, age;
	const char	*agency, *rank, *issued, *served, *expires;
	int		 link_power, link_same;
	const char	*link_issued, *link_served, *link_expires;
	const char	*expect;
	/* optional: what the register knows beyond one record */
	int		 link_cancelled;
	unsigned	 link_followers;
	const char	*commenced;	/* this force's own commencement, YYYY-MM-DD */
};

/* The optional trailing fields of a case are left out where they do not apply. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define P SCH_PERSON
#define PR SCH_PREMISES
#define PL SCH_PLACE
static const struct use_case use_cases[] = {
	/* Community protection (s43) */
	{ "cpw 16 accepted", SCH_CPW, P, 16, "police", "", "2026-03-01", "", "", -1, 0, "", "", "", "" },
	{ "cpw 15 refused", SCH_CPW, P, 15, "police", "", "2026-03-01", "", "", -1, 0, "", "", "", "R-CPW-001" },
	{ "cpw to premises", SCH_CPW, PR, -1, "local-authority", "", "2026-03-01", "", "", -1, 0, "", "", "", "" },
	{ "cpn 16 after cpw", SCH_CPN, P, 16, "police", "", "2026-04-01", "", "", SCH_CPW, 1, "2026-03-01", "", "", "" },
	{ "cpn 15 refused", SCH_CPN, P, 15, "police", "", "2026-04-01", "", "", SCH_CPW, 1, "2026-03-01", "", "", "R-CPN-001" },
	{ "cpn without cpw", SCH_CPN, P, 30, "police", "", "2026-04-01", "", "", -1, 0, "", "", "", "R-CPN-002" },
	{ "cpn after cpw to another", SCH_CPN, P, 30, "police", "", "2026-04-01", "", "", SCH_CPW, 0, "2026-03-01", "", "", "R-CPN-002" },
	{ "cpn same time as cpw", SCH_CPN, P, 30, "police", "", "2026-04-01", "", "", SCH_CPW, 1, "2026-04-01", "", "", "R-CPN-002" },
	{ "cpn to a place", SCH_CPN, PL, -1, "police", "", "2026-04-01", "", "", SCH_CPW, 1, "2026-03-01", "", "", "R-GEN-003" },
	/* PSPO (s59-60) */
	{ "pspo 3 years", SCH_PSPO, PL, -1, "local-authority", "", "2026-01-01", "", "2029-01-01", -1, 0, "", "", "", "" },
	{ "pspo 3 years and a day", SCH_PSPO, PL, -1, "local-authority", "", "2026-01-01", "", "2029-01-02", -1, 0, "", "", "", "R-PSPO-001" },
	{ "pspo open-ended", SCH_PSPO, PL, -1, "local-authority", "", "2026-01-01", "", "", -1, 0, "", "", "", "R-PSPO-001" },
	{ "pspo by police", SCH_PSPO, PL, -1, "police", "", "2026-01-01", "", "2027-01-01", -1, 0, "", "", "", "R-PSPO-003" },
	{ "pspo on a person", SCH_PSPO, P, 30, "local-authority", "", "2026-01-01", "", "2027-01-01", -1, 0, "", "", "", "R-GEN-003" },
	/* Civil injunction (s1) */
	{ "injunction 10", SCH_INJUNCTION, P, 10, "local-authority", "", "2026-01-01", "", "2027-01-01", -1, 0, "", "", "", "" },
	{ "injunction 9", SCH_INJUNCTION, P, 9, "local-authority", "", "2026-01-01", "", "2027-01-01", -1, 0, "", "", "", "R-INJ-001" },
	{ "injunction 17, 12 months", SCH_INJUNCTION, P, 17, "police", "", "2026-01-01", "", "2027-01-01", -1, 0, "", "", "", "" },
	{ "injunction 17, 12 months and a day", SCH_INJUNCTION, P, 17, "police", "", "2026-01-01", "", "2027-01-02", -1, 0, "", "", "", "R-INJ-002" },
	{ "injunction 17, open-ended", SCH_INJUNCTION, P, 17, "police", "", "2026-01-01", "", "", -1, 0, "", "", "", "R-INJ-002" },
	{ "injunction 18, open-ended", SCH_INJUNCTION, P, 18, "police", "", "2026-01-01", "", "", -1, 0, "", "", "", "" },
	/* CBO (s25) */
	{ "cbo adult 2 years", SCH_CBO, P, 18, "cps", "", "2026-01-01", "", "2028-01-01", -1, 0, "", "", "", "" },
	{ "cbo adult 2 years less a day", SCH_CBO, P, 18, "cps", "", "2026-01-01", "", "2027-12-31", -1, 0, "", "", "", "R-CBO-001" },
	{ "cbo adult indefinite", SCH_CBO, P, 40, "cps", "", "2026-01-01", "", "", -1, 0, "", "", "", "" },
	{ "cbo youth 1 year", SCH_CBO, P, 17, "cps", "", "2026-01-01", "", "2027-01-01", -1, 0, "", "", "", "" },
	{ "cbo youth 1 year less a day", SCH_CBO, P, 17, "cps", "", "2026-01-01", "", "2026-12-31", -1, 0, "", "", "", "R-CBO-002" },
	{ "cbo youth 3 years", SCH_CBO, P, 14, "cps", "", "2026-01-01", "", "2029-01-01", -1, 0, "", "", "", "" },
	{ "cbo youth 3 years and a day", SCH_CBO, P, 14, "cps", "", "2026-01-01", "", "2029-01-02", -1, 0, "", "", "", "R-CBO-003" },
	{ "cbo youth indefinite", SCH_CBO, P, 14, "cps", "", "2026-01-01", "", "", -1, 0, "", "", "", "R-CBO-003" },
	/* Dispersal (s34-36) */
	{ "s34 inspector 48h", SCH_DISP_AUTH, PL, -1, "police", "inspector", "2026-07-01T18:00", "", "2026-07-03T18:00", -1, 0, "", "", "", "" },
	{ "s34 48h and a minute", SCH_DISP_AUTH, PL, -1, "police", "inspector", "2026-07-01T18:00", "", "2026-07-03T18:01", -1, 0, "", "", "", "R-DISP-002" },
	{ "s34 sergeant", SCH_DISP_AUTH, PL, -1, "police", "sergeant", "2026-07-01T18:00", "", "2026-07-02T18:00", -1, 0, "", "", "", "R-DISP-001" },
	{ "s34 no rank", SCH_DISP_AUTH, PL, -1, "police", "", "2026-07-01T18:00", "", "2026-07-02T18:00", -1, 0, "", "", "", "R-DISP-001" },
	{ "s34 chief superintendent", SCH_DISP_AUTH, PL, -1, "police", "chief-superintendent", "2026-07-01T18:00", "", "2026-07-02T18:00", -1, 0, "", "", "", "" },
	{ "s35 48h within authorisation", SCH_DISP_DIR, P, 20, "police", "", "2026-07-01T18:00", "", "2026-07-03T18:00", SCH_DISP_AUTH, 0, "2026-07-01T18:00", "", "2026-07-03T18:00", "" },
	{ "s35 48h and a minute", SCH_DISP_DIR, P, 20, "police", "", "2026-07-01T18:00", "", "2026-07-03T18:01", SCH_DISP_AUTH, 0, "2026-07-01T18:00", "", "2026-07-03T18:01", "R-DISP-004" },
	/* s35(4): a direction may expire after its authorisation, if given during it */
	{ "s35 outlasts its authorisation", SCH_DISP_DIR, P, 20, "police", "", "2026-07-02T18:00", "", "2026-07-03T18:01", SCH_DISP_AUTH, 0, "2026-07-01T18:00", "", "2026-07-03T18:00", "" },
	{ "s35 48h from the last minute of its authorisation", SCH_DISP_DIR, P, 20, "police", "", "2026-07-03T17:59", "", "2026-07-05T17:59", SCH_DISP_AUTH, 0, "2026-07-01T18:00", "", "2026-07-03T18:00", "" },
	{ "s35 48h and a minute past its authorisation", SCH_DISP_DIR, P, 20, "police", "", "2026-07-03T17:59", "", "2026-07-05T18:00", SCH_DISP_AUTH, 0, "2026-07-01T18:00", "", "2026-07-03T18:00", "R-DISP-004" },
	{ "s35 without authorisation", SCH_DISP_DIR, P, 20, "police", "", "2026-07-02T18:00", "", "2026-07-03T18:00", -1, 0, "", "", "", "R-DISP-003" },
	{ "s35 after authorisation ended", SCH_DISP_DIR, P, 20, "police", "", "2026-07-03T18:00", "", "2026-07-03T19:00", SCH_DISP_AUTH, 0, "2026-07-01T18:00", "", "2026-07-03T18:00", "R-DISP-003" },
	{ "s35 before authorisation", SCH_DISP_DIR, P, 20, "police", "", "2026-07-01T17:59", "", "2026-07-01T19:00", SCH_DISP_AUTH, 0, "2026-07-01T18:00", "", "2026-07-03T18:00", "R-DISP-003" },
	{ "s35 age 10", SCH_DISP_DIR, P, 10, "police", "", "2026-07-01T18:00", "", "2026-07-01T20:00", SCH_DISP_AUTH, 0, "2026-07-01T18:00", "", "2026-07-03T18:00", "" },
	{ "s35 age 9", SCH_DISP_DIR, P, 9, "police", "", "2026-07-01T18:00", "", "2026-07-01T20:00", SCH_DISP_AUTH, 0, "2026-07-01T18:00", "", "2026-07-03T18:00", "R-DISP-006" },
	/* Closure (s76-82) */
	{ "closure notice inspector 24h", SCH_CLOSURE_NOTICE, PR, -1, "police", "inspector", "2026-06-01T10:00", "", "2026-06-02T10:00", -1, 0, "", "", "", "" },
	{ "closure notice 24h and a minute", SCH_CLOSURE_NOTICE, PR, -1, "police", "inspector", "2026-06-01T10:00", "", "2026-06-02T10:01", -1, 0, "", "", "", "R-CLN-002" },
	{ "closure notice constable", SCH_CLOSURE_NOTICE, PR, -1, "police", "constable", "2026-06-01T10:00", "", "2026-06-02T10:00", -1, 0, "", "", "", "R-CLN-001" },
	{ "closure notice superintendent 48h", SCH_CLOSURE_NOTICE, PR, -1, "police", "superintendent", "2026-06-01T10:00", "", "2026-06-03T10:00", -1, 0, "", "", "", "" },
	{ "closure notice superintendent 48h+1m", SCH_CLOSURE_NOTICE, PR, -1, "police", "superintendent", "2026-06-01T10:00", "", "2026-06-03T10:01", -1, 0, "", "", "", "R-CLN-003" },
	{ "closure notice council 24h", SCH_CLOSURE_NOTICE, PR, -1, "local-authority", "la-officer", "2026-06-01T10:00", "", "2026-06-02T10:00", -1, 0, "", "", "", "" },
	{ "closure notice council 48h by officer", SCH_CLOSURE_NOTICE, PR, -1, "local-authority", "la-officer", "2026-06-01T10:00", "", "2026-06-03T10:00", -1, 0, "", "", "", "R-CLN-002" },
	{ "closure notice council chief exec 48h", SCH_CLOSURE_NOTICE, PR, -1, "local-authority", "la-chief-executive", "2026-06-01T10:00", "", "2026-06-03T10:00", -1, 0, "", "", "", "" },
	{ "closure notice on a person", SCH_CLOSURE_NOTICE, P, 30, "police", "inspector", "2026-06-01T10:00", "", "2026-06-02T10:00", -1, 0, "", "", "", "R-GEN-003" },
	{ "closure order 3 months", SCH_CLOSURE_ORDER, PR, -1, "police", "", "2026-06-02T09:00", "", "2026-09-02T09:00", SCH_CLOSURE_NOTICE, 1, "2026-06-01T10:00", "2026-06-01T10:30", "2026-06-02T10:00", "" },
	{ "closure order 3 months and a day", SCH_CLOSURE_ORDER, PR, -1, "police", "", "2026-06-02T09:00", "", "2026-09-03T09:00", SCH_CLOSURE_NOTICE, 1, "2026-06-01T10:00", "2026-06-01T10:30", "2026-06-02T10:00", "R-CLO-001" },
	{ "closure order without notice", SCH_CLOSURE_ORDER, PR, -1, "police", "", "2026-06-02T09:00", "", "2026-07-02T09:00", -1, 0, "", "", "", "R-CLO-003" },
	{ "closure order heard at 48h", SCH_CLOSURE_ORDER, PR, -1, "police", "", "2026-06-03T10:30", "", "2026-07-02T09:00", SCH_CLOSURE_NOTICE, 1, "2026-06-01T10:00", "2026-06-01T10:30", "2026-06-03T10:00", "" },
	{ "closure order heard after 48h", SCH_CLOSURE_ORDER, PR, -1, "police", "", "2026-06-03T10:31", "", "2026-07-02T09:00", SCH_CLOSURE_NOTICE, 1, "2026-06-01T10:00", "2026-06-01T10:30", "2026-06-03T10:00", "~R-CLO-004" },
	/* General */
	{ "served before issued", SCH_CBO, P, 30, "cps", "", "2026-01-02", "2026-01-01", "", -1, 0, "", "", "", "R-GEN-001" },
	{ "served when issued", SCH_CBO, P, 30, "cps", "", "2026-01-02", "2026-01-02", "", -1, 0, "", "", "", "" },
	{ "expiry equal to issue", SCH_CPW, P, 30, "police", "", "2026-01-02", "", "2026-01-02", -1, 0, "", "", "", "R-GEN-004" },
	{ "cbo linked to a cpw", SCH_CBO, P, 30, "cps", "", "2026-02-01", "", "", SCH_CPW, 1, "2026-01-01", "", "", "R-GEN-005" },
	{ "issued in the future", SCH_CPW, P, 30, "police", "", "2026-11-01T12:06", "", "", -1, 0, "", "", "", "R-GEN-008" },
	{ "issued 5 minutes ahead", SCH_CPW, P, 30, "police", "", "2026-11-01T12:05", "", "", -1, 0, "", "", "", "" },
	{ "before the 2014 Act", SCH_CPW, P, 30, "police", "", "2014-10-19", "", "", -1, 0, "", "", "", "R-PWR-001" },
	{ "on commencement day", SCH_CPW, P, 30, "police", "", "2014-10-20", "", "", -1, 0, "", "", "", "" },
	{ "respect order not commenced", SCH_RESPECT_ORDER, P, 30, "police", "", "2026-10-01", "", "", -1, 0, "", "", "", "R-PWR-001" },
	/* Commencement: Part 1 injunctions on 23 March 2015 (SI 2015/373); a pilot force's own */
	{ "injunction the day before Part 1", SCH_INJUNCTION, P, 30, "police", "", "2015-03-22", "", "", -1, 0, "", "", "", "R-PWR-001" },
	{ "injunction on Part 1's commencement", SCH_INJUNCTION, P, 30, "police", "", "2015-03-23", "", "", -1, 0, "", "", "", "" },
	{ "respect order on a pilot's commencement", SCH_RESPECT_ORDER, P, 30, "police", "", "2026-09-01", "", "", -1, 0, "", "", "", "", 0, 0, "2026-09-01" },
	{ "respect order the day before a pilot", SCH_RESPECT_ORDER, P, 30, "police", "", "2026-08-31T23:59", "", "", -1, 0, "", "", "", "R-PWR-001", 0, 0, "2026-09-01" },
	{ "pilot date does not delay a national power", SCH_CPW, P, 30, "police", "", "2026-08-31", "", "", -1, 0, "", "", "", "", 0, 0, "2026-09-01" },
	/* Crime and Policing Act 2026 orders, once commenced: ages */
	{ "respect order age 18", SCH_RESPECT_ORDER, P, 18, "police", "", "2026-09-01", "", "", -1, 0, "", "", "", "", 0, 0, "2026-09-01" },
	{ "respect order age 17", SCH_RESPECT_ORDER, P, 17, "police", "", "2026-09-01", "", "", -1, 0, "", "", "", "R-RESP-001", 0, 0, "2026-09-01" },
	{ "youth injunction age 10", SCH_YOUTH_INJUNCTION, P, 10, "police", "", "2026-09-01", "", "", -1, 0, "", "", "", "", 0, 0, "2026-09-01" },
	{ "youth injunction age 9", SCH_YOUTH_INJUNCTION, P, 9, "police", "", "2026-09-01", "", "", -1, 0, "", "", "", "R-YINJ-001", 0, 0, "2026-09-01" },
	{ "youth injunction age 17", SCH_YOUTH_INJUNCTION, P, 17, "police", "", "2026-09-01", "", "", -1, 0, "", "", "", "", 0, 0, "2026-09-01" },
	{ "youth injunction age 18", SCH_YOUTH_INJUNCTION, P, 18, "police", "", "2026-09-01", "", "", -1, 0, "", "", "", "R-YINJ-002", 0, 0, "2026-09-01" },
	/* Who may use each power (authority.tsv, R-AUTH-001) */
	{ "closure notice by the NHS", SCH_CLOSURE_NOTICE, PR, -1, "nhs", "inspector", "2026-06-01T10:00", "", "2026-06-02T10:00", -1, 0, "", "", "", "R-AUTH-001" },
	{ "closure notice by a council", SCH_CLOSURE_NOTICE, PR, -1, "local-authority", "la-officer", "2026-06-01T10:00", "", "2026-06-02T10:00", -1, 0, "", "", "", "" },
	{ "closure notice by a housing provider (CPA 2026, not commenced)", SCH_CLOSURE_NOTICE, PR, -1, "housing-provider", "", "2026-06-01T10:00", "", "2026-06-02T10:00", -1, 0, "", "", "", "R-AUTH-001" },
	{ "dispersal authorisation by a council", SCH_DISP_AUTH, PL, -1, "local-authority", "inspector", "2026-07-01T18:00", "", "2026-07-02T18:00", -1, 0, "", "", "", "R-AUTH-001" },
	{ "dispersal authorisation by BTP", SCH_DISP_AUTH, PL, -1, "btp", "inspector", "2026-07-01T18:00", "", "2026-07-02T18:00", -1, 0, "", "", "", "" },
	{ "dispersal direction by a council", SCH_DISP_DIR, P, 20, "local-authority", "", "2026-07-01T18:00", "", "2026-07-01T20:00", SCH_DISP_AUTH, 0, "2026-07-01T18:00", "", "2026-07-03T18:00", "R-AUTH-001" },
	{ "injunction applied for by the CPS", SCH_INJUNCTION, P, 30, "cps", "", "2026-01-01", "", "", -1, 0, "", "", "", "R-AUTH-001" },
	{ "injunction applied for by NHS Protect", SCH_INJUNCTION, P, 30, "nhs", "", "2026-01-01", "", "", -1, 0, "", "", "", "" },
	{ "injunction applied for by TfL", SCH_INJUNCTION, P, 30, "tfl", "", "2026-01-01", "", "", -1, 0, "", "", "", "" },
	{ "cbo applied for by the police", SCH_CBO, P, 30, "police", "", "2026-01-01", "", "", -1, 0, "", "", "", "R-AUTH-001" },
	{ "cpw by a designated social landlord", SCH_CPW, P, 30, "housing-provider", "", "2026-03-01", "", "", -1, 0, "", "", "", "" },
	{ "cpn by the NHS", SCH_CPN, P, 30, "nhs", "", "2026-04-01", "", "", SCH_CPW, 1, "2026-03-01", "", "", "R-AUTH-001" },
	{ "pspo by the police", SCH_PSPO, PL, -1, "police", "", "2026-01-01", "", "2027-01-01", -1, 0, "", "", "", "R-AUTH-001" },
	{ "closure order on a council's application", SCH_CLOSURE_ORDER, PR, -1, "local-authority", "", "2026-06-02T09:00", "", "2026-09-02T09:00", SCH_CLOSURE_NOTICE, 1, "2026-06-01T10:00", "2026-06-01T10:30", "2026-06-02T10:00", "" },
	{ "closure order on the NHS's application", SCH_CLOSURE_ORDER, PR, -1, "nhs", "", "2026-06-02T09:00", "", "2026-09-02T09:00", SCH_CLOSURE_NOTICE, 1, "2026-06-01T10:00", "2026-06-01T10:30", "2026-06-02T10:00", "R-AUTH-001" },
	/* CBOs follow a conviction: never under 10 (s22) */
	{ "cbo age 10", SCH_CBO, P, 10, "cps", "", "2026-01-01", "", "2027-01-01", -1, 0, "", "", "", "" },
	{ "cbo age 9", SCH_CBO, P, 9, "cps", "", "2026-01-01", "", "2027-01-01", -1, 0, "", "", "", "R-CBO-005" },
	/* Closure orders: not on a cancelled notice, one per notice (s80(1), s78) */
	{ "closure order on a cancelled notice", SCH_CLOSURE_ORDER, PR, -1, "police", "", "2026-06-02T09:00", "", "2026-09-02T09:00", SCH_CLOSURE_NOTICE, 1, "2026-06-01T10:00", "2026-06-01T10:30", "2026-06-02T10:00", "R-CLO-006", 1, 0, NULL },
	{ "second closure order on a notice", SCH_CLOSURE_ORDER, PR, -1, "police", "", "2026-06-02T09:00", "", "2026-09-02T09:00", SCH_CLOSURE_NOTICE, 1, "2026-06-01T10:00", "2026-06-01T10:30", "2026-06-02T10:00", "R-CLO-007", 0, 1, NULL },
	/* Christmas Day disregarded: the 48 hours of a notice (s77(3)) and of the hearing (s80(4)) */
	{ "closure notice 48h over Christmas", SCH_CLOSURE_NOTICE, PR, -1, "police", "superintendent", "2025-12-24T10:00", "", "2025-12-27T10:00", -1, 0, "", "", "", "" },
	{ "closure notice 48h and a minute over Christmas", SCH_CLOSURE_NOTICE, PR, -1, "police", "superintendent", "2025-12-24T10:00", "", "2025-12-27T10:01", -1, 0, "", "", "", "R-CLN-003" },
	{ "closure order heard 48h after service over Christmas", SCH_CLOSURE_ORDER, PR, -1, "police", "", "2025-12-27T10:00", "", "2026-03-27T10:00", SCH_CLOSURE_NOTICE, 1, "2025-12-24T09:00", "2025-12-24T10:00", "2025-12-25T09:00", "" },
	{ "closure order heard 48h and a minute after, over Christmas", SCH_CLOSURE_ORDER, PR, -1, "police", "", "2025-12-27T10:01", "", "2026-03-27T10:00", SCH_CLOSURE_NOTICE, 1, "2025-12-24T09:00", "2025-12-24T10:00", "2025-12-25T09:00", "~R-CLO-004" },
};

#pragma GCC diagnostic pop

START_TEST(test_use_rules)
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
	u.rank = tc->rank;
	u.issued = T(tc->issued);
	u.served = T(tc->served);
	u.expires = T(tc->expires);
	u.link_power = tc->link_power;
	u.link_same_subject = tc->link_same;
	u.link_issued = T(tc->link_issued);
	u.link_served = T(tc->link_served);
	u.link_expires = T(tc->link_expires);
	u.link_cancelled = tc->link_cancelled;
	u.link_followers = tc->link_followers;
	if (tc->commenced != NULL)
		ck_assert_int_eq(asb_day_parse(tc->commenced, &u.commenced), 0);
	sch_check_use(&u, T(NOW), &f);
	if (want[0] == '\0') {
		ck_assert_msg(f.errors == 0, "%s: refused: %s (%s)", tc->name,
		    f.n ? f.item[0].msg : "", f.n ? f.item[0].rule : "");
		return;
	}
	for (i = 0; i < f.n; i++)
		if (strcmp(f.item[i].rule, want) == 0 &&
		    f.item[i].warning == warn)
			found = 1;
	ck_assert_msg(found, "%s: expected %s%s, got %u errors (%s)", tc->name,
	    want, warn ? " as a warning" : "", f.errors,
	    f.n ? f.item[0].rule : "none");
	if (warn)
		ck_assert_msg(f.errors == 0, "%s: warning case refused",
		    tc->name);
	/* Every message says what to change and carries no personal data. */
	for (i = 0; i < f.n; i++)
		ck_assert(strlen(f.item[i].msg) > 20);
}
END_TEST

/* An event on a record: the record, an optional earlier event, the new event, the rule. */
struct event_case {
	const char	*name;
	int		 power, age;
	const char	*agency, *rank, *issued, *expires;
	int		 prior;
	const char	*prior_date;
	int		 kind;
	const char	*date, *until, *ev_rank;
	int64_t		 amount;
	const char	*expect;	/* "" accepted, "X" refused by X, "~X" warned by X */
	/* optional: the earlier event's amount, and a second earlier event */
	int64_t		 prior_pence;	/* 0 = none given */
	int		 prior2;	/* used when prior2_date is given */
	const char	*prior2_date;
	int64_t		 prior2_pence;
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct event_case event_cases[] = {
	{ "closure notice extended to 48h", SCH_CLOSURE_NOTICE, -1, "police", "inspector", "2026-06-01T10:00", "2026-06-02T10:00", -1, "", SCH_EV_EXTENDED, "2026-06-02T09:00", "2026-06-03T10:00", "superintendent", -1, "" },
	{ "closure notice extended past 48h", SCH_CLOSURE_NOTICE, -1, "police", "inspector", "2026-06-01T10:00", "2026-06-02T10:00", -1, "", SCH_EV_EXTENDED, "2026-06-02T09:00", "2026-06-03T10:01", "superintendent", -1, "R-CLN-003" },
	{ "closure notice extended by inspector", SCH_CLOSURE_NOTICE, -1, "police", "inspector", "2026-06-01T10:00", "2026-06-02T10:00", -1, "", SCH_EV_EXTENDED, "2026-06-02T09:00", "2026-06-03T10:00", "inspector", -1, "R-CLN-004" },
	{ "closure order extended to 6 months", SCH_CLOSURE_ORDER, -1, "police", "", "2026-01-01", "2026-04-01", -1, "", SCH_EV_EXTENDED, "2026-03-25", "2026-07-01", "", -1, "" },
	{ "closure order extended past 6 months", SCH_CLOSURE_ORDER, -1, "police", "", "2026-01-01", "2026-04-01", -1, "", SCH_EV_EXTENDED, "2026-03-25", "2026-07-02", "", -1, "R-CLO-002" },
	{ "pspo extended 3 years", SCH_PSPO, -1, "local-authority", "", "2023-01-01", "2026-01-01", -1, "", SCH_EV_EXTENDED, "2025-12-01", "2029-01-01", "", -1, "" },
	{ "pspo extended 3 years and a day", SCH_PSPO, -1, "local-authority", "", "2023-01-01", "2026-01-01", -1, "", SCH_EV_EXTENDED, "2025-12-01", "2029-01-02", "", -1, "R-PSPO-002" },
	{ "youth cbo varied to 3 years", SCH_CBO, 15, "cps", "", "2026-01-01", "2028-01-01", -1, "", SCH_EV_VARIED, "2026-06-01", "2029-01-01", "", -1, "" },
	{ "youth cbo varied past 3 years", SCH_CBO, 15, "cps", "", "2026-01-01", "2028-01-01", -1, "", SCH_EV_VARIED, "2026-06-01", "2029-01-02", "", -1, "R-CBO-003" },
	{ "youth injunction extended past 12 months", SCH_INJUNCTION, 16, "police", "", "2026-01-01", "2026-07-01", -1, "", SCH_EV_EXTENDED, "2026-06-01", "2027-01-02", "", -1, "R-INJ-002" },
	{ "extended without until", SCH_CBO, 30, "cps", "", "2026-01-01", "2028-01-01", -1, "", SCH_EV_EXTENDED, "2026-06-01", "", "", -1, "R-GEN-007" },
	{ "extended to before expiry", SCH_CBO, 30, "cps", "", "2026-01-01", "2028-01-01", -1, "", SCH_EV_EXTENDED, "2026-06-01", "2027-06-01", "", -1, "R-GEN-007" },
	{ "event before issue", SCH_CPW, 30, "police", "", "2026-01-02", "", -1, "", SCH_EV_SERVED, "2026-01-01", "", "", -1, "R-GEN-001" },
	{ "breach before issue", SCH_CPW, 30, "police", "", "2026-01-02", "", -1, "", SCH_EV_BREACHED, "2026-01-01", "", "", -1, "R-GEN-002" },
	{ "breach at expiry", SCH_CBO, 30, "cps", "", "2024-06-01", "2026-06-01", -1, "", SCH_EV_BREACHED, "2026-06-01", "", "", -1, "" },
	{ "breach after expiry", SCH_CBO, 30, "cps", "", "2024-01-01", "2026-01-01", -1, "", SCH_EV_BREACHED, "2026-01-02", "", "", -1, "R-GEN-002" },
	{ "appeal outcome after expiry", SCH_CBO, 30, "cps", "", "2024-01-01", "2026-01-01", SCH_EV_APPEALED, "2025-12-01", SCH_EV_APPEAL_DISMISSED, "2026-01-05", "", "", -1, "" },
	{ "breach after discharge", SCH_CBO, 30, "cps", "", "2026-01-01", "", SCH_EV_DISCHARGED, "2026-03-01", SCH_EV_BREACHED, "2026-04-01", "", "", -1, "R-GEN-006" },
	{ "fpn paid after discharge", SCH_CPN, 30, "police", "", "2026-01-01", "", SCH_EV_FPN_ISSUED, "2026-02-20", SCH_EV_FPN_PAID, "2026-03-10", "", "", -1, "", 10000, SCH_EV_DISCHARGED, "2026-03-01", 0 },
	{ "fpn on a cbo", SCH_CBO, 30, "cps", "", "2026-01-01", "", -1, "", SCH_EV_FPN_ISSUED, "2026-03-10", "", "", 5000, "R-FPN-002" },
	{ "cpn fpn at maximum", SCH_CPN, 30, "police", "", "2026-01-01", "", -1, "", SCH_EV_FPN_ISSUED, "2026-03-10", "", "", 10000, "" },
	{ "cpn fpn a penny over", SCH_CPN, 30, "police", "", "2026-01-01", "", -1, "", SCH_EV_FPN_ISSUED, "2026-03-10", "", "", 10001, "R-FPN-001" },
	{ "pspo fpn at maximum", SCH_PSPO, -1, "local-authority", "", "2026-01-01", "2027-01-01", -1, "", SCH_EV_FPN_ISSUED, "2026-03-10", "", "", 10000, "" },
	{ "event in the future", SCH_CPN, 30, "police", "", "2026-01-01", "", -1, "", SCH_EV_BREACHED, "2026-11-02", "", "", -1, "R-GEN-008" },
	/* Events entered late: the rule is about the event's date */
	{ "breach entered after a later discharge", SCH_CBO, 30, "cps", "", "2026-01-01", "", SCH_EV_DISCHARGED, "2026-03-01", SCH_EV_BREACHED, "2026-02-01", "", "", -1, "" },
	{ "breach at the moment of discharge", SCH_CBO, 30, "cps", "", "2026-01-01", "", SCH_EV_DISCHARGED, "2026-03-01T10:00", SCH_EV_BREACHED, "2026-03-01T10:00", "", "", -1, "" },
	{ "breach a minute after discharge", SCH_CBO, 30, "cps", "", "2026-01-01", "", SCH_EV_DISCHARGED, "2026-03-01T10:00", SCH_EV_BREACHED, "2026-03-01T10:01", "", "", -1, "R-GEN-006" },
	{ "breach entered after a later revocation", SCH_CPN, 30, "police", "", "2026-01-01", "", SCH_EV_REVOKED, "2026-05-01", SCH_EV_BREACHED, "2026-04-30", "", "", -1, "" },
	{ "breach entered after a later expiry", SCH_CBO, 30, "cps", "", "2024-01-01", "2026-01-01", SCH_EV_EXPIRED, "2026-01-01", SCH_EV_BREACHED, "2025-12-31", "", "", -1, "" },
	/* Appeals only where the law gives one (R-APP-001) */
	{ "appeal against a cpw", SCH_CPW, 30, "police", "", "2026-01-01", "", -1, "", SCH_EV_APPEALED, "2026-01-05", "", "", -1, "R-APP-001" },
	{ "appeal against a dispersal direction", SCH_DISP_DIR, 30, "police", "", "2026-07-01T18:00", "2026-07-02T18:00", -1, "", SCH_EV_APPEALED, "2026-07-01T19:00", "", "", -1, "R-APP-001" },
	{ "appeal against a dispersal authorisation", SCH_DISP_AUTH, -1, "police", "inspector", "2026-07-01T18:00", "2026-07-02T18:00", -1, "", SCH_EV_APPEALED, "2026-07-01T19:00", "", "", -1, "R-APP-001" },
	{ "appeal against a closure notice", SCH_CLOSURE_NOTICE, -1, "police", "inspector", "2026-06-01T10:00", "2026-06-02T10:00", -1, "", SCH_EV_APPEALED, "2026-06-01T12:00", "", "", -1, "R-APP-001" },
	{ "appeal outcome on a cpw", SCH_CPW, 30, "police", "", "2026-01-01", "", -1, "", SCH_EV_APPEAL_DISMISSED, "2026-02-05", "", "", -1, "R-APP-001" },
	{ "appeal outcome with no appeal", SCH_CBO, 30, "cps", "", "2026-01-01", "", -1, "", SCH_EV_APPEAL_ALLOWED, "2026-02-05", "", "", -1, "R-APP-003" },
	/* ... and in time (R-APP-002, a warning): 21 days for a CPN (s46) and a closure order
	 * (s84), 6 weeks for a PSPO (s66), the day of the decision counting as the first */
	{ "cpn appeal on the 21st day", SCH_CPN, 30, "police", "", "2026-03-01", "", -1, "", SCH_EV_APPEALED, "2026-03-21T23:59", "", "", -1, "" },
	{ "cpn appeal on the 22nd day", SCH_CPN, 30, "police", "", "2026-03-01", "", -1, "", SCH_EV_APPEALED, "2026-03-22T00:00", "", "", -1, "~R-APP-002" },
	{ "cpn appeal 21 days from service", SCH_CPN, 30, "police", "", "2026-03-01", "", SCH_EV_SERVED, "2026-03-05", SCH_EV_APPEALED, "2026-03-25T23:59", "", "", -1, "" },
	{ "cpn appeal 22 days from service", SCH_CPN, 30, "police", "", "2026-03-01", "", SCH_EV_SERVED, "2026-03-05", SCH_EV_APPEALED, "2026-03-26", "", "", -1, "~R-APP-002" },
	{ "closure order appeal on the 21st day", SCH_CLOSURE_ORDER, -1, "police", "", "2026-01-01T11:00", "2026-04-01", -1, "", SCH_EV_APPEALED, "2026-01-21T23:59", "", "", -1, "" },
	{ "closure order appeal on the 22nd day", SCH_CLOSURE_ORDER, -1, "police", "", "2026-01-01T11:00", "2026-04-01", -1, "", SCH_EV_APPEALED, "2026-01-22T00:00", "", "", -1, "~R-APP-002" },
	{ "extension appealed on its 21st day", SCH_CLOSURE_ORDER, -1, "police", "", "2026-01-01", "2026-06-01", SCH_EV_EXTENDED, "2026-03-25", SCH_EV_APPEALED, "2026-04-14T23:59", "", "", -1, "" },
	{ "extension appealed on its 22nd day", SCH_CLOSURE_ORDER, -1, "police", "", "2026-01-01", "2026-06-01", SCH_EV_EXTENDED, "2026-03-25", SCH_EV_APPEALED, "2026-04-15", "", "", -1, "~R-APP-002" },
	{ "pspo challenged on the last day of 6 weeks", SCH_PSPO, -1, "local-authority", "", "2026-01-01", "2027-01-01", -1, "", SCH_EV_APPEALED, "2026-02-11T23:59", "", "", -1, "" },
	{ "pspo challenged a day after 6 weeks", SCH_PSPO, -1, "local-authority", "", "2026-01-01", "2027-01-01", -1, "", SCH_EV_APPEALED, "2026-02-12", "", "", -1, "~R-APP-002" },
	/* Closure order extensions: at most 3 months each (s82) */
	{ "closure order extended by 3 months", SCH_CLOSURE_ORDER, -1, "police", "", "2026-01-01", "2026-02-01", -1, "", SCH_EV_EXTENDED, "2026-01-25", "2026-05-01", "", -1, "" },
	{ "closure order extended by 3 months and a day", SCH_CLOSURE_ORDER, -1, "police", "", "2026-01-01", "2026-02-01", -1, "", SCH_EV_EXTENDED, "2026-01-25", "2026-05-02", "", -1, "R-CLO-005" },
	/* A closure notice extended over Christmas (s77(3)) */
	{ "closure notice extended to 48h over Christmas", SCH_CLOSURE_NOTICE, -1, "police", "inspector", "2025-12-24T10:00", "2025-12-25T10:00", -1, "", SCH_EV_EXTENDED, "2025-12-24T20:00", "2025-12-27T10:00", "superintendent", -1, "" },
	{ "closure notice extended past 48h over Christmas", SCH_CLOSURE_NOTICE, -1, "police", "inspector", "2025-12-24T10:00", "2025-12-25T10:00", -1, "", SCH_EV_EXTENDED, "2025-12-24T20:00", "2025-12-27T10:01", "superintendent", -1, "R-CLN-003" },
	/* Breaches only of what can be breached (R-BRE-001) */
	{ "breach of a cpw", SCH_CPW, 30, "police", "", "2026-01-01", "", -1, "", SCH_EV_BREACHED, "2026-02-01", "", "", -1, "R-BRE-001" },
	{ "breach of a dispersal authorisation", SCH_DISP_AUTH, -1, "police", "inspector", "2026-07-01T18:00", "2026-07-02T18:00", -1, "", SCH_EV_BREACHED, "2026-07-01T19:00", "", "", -1, "R-BRE-001" },
	{ "breach of a dispersal direction", SCH_DISP_DIR, 30, "police", "", "2026-07-01T18:00", "2026-07-02T18:00", -1, "", SCH_EV_BREACHED, "2026-07-01T19:00", "", "", -1, "" },
	{ "breach of a closure notice", SCH_CLOSURE_NOTICE, -1, "police", "inspector", "2026-06-01T10:00", "2026-06-02T10:00", -1, "", SCH_EV_BREACHED, "2026-06-01T12:00", "", "", -1, "" },
	/* Fixed penalties: the amount, and payment after issue, once, no more than issued */
	{ "fpn without its amount", SCH_CPN, 30, "police", "", "2026-01-01", "", -1, "", SCH_EV_FPN_ISSUED, "2026-03-10", "", "", -1, "R-FPN-003" },
	{ "fpn paid with none issued", SCH_CPN, 30, "police", "", "2026-01-01", "", -1, "", SCH_EV_FPN_PAID, "2026-03-10", "", "", -1, "R-FPN-004" },
	{ "fpn paid in full", SCH_CPN, 30, "police", "", "2026-01-01", "", SCH_EV_FPN_ISSUED, "2026-03-01", SCH_EV_FPN_PAID, "2026-03-10", "", "", 10000, "", 10000 },
	{ "fpn paid a penny more than issued", SCH_CPN, 30, "police", "", "2026-01-01", "", SCH_EV_FPN_ISSUED, "2026-03-01", SCH_EV_FPN_PAID, "2026-03-10", "", "", 10001, "R-FPN-004", 10000 },
	{ "fpn paid on the day issued", SCH_PSPO, -1, "local-authority", "", "2026-01-01", "2027-01-01", SCH_EV_FPN_ISSUED, "2026-03-01T10:00", SCH_EV_FPN_PAID, "2026-03-01T10:00", "", "", 7500, "", 7500 },
	{ "fpn paid before issued", SCH_PSPO, -1, "local-authority", "", "2026-01-01", "2027-01-01", SCH_EV_FPN_ISSUED, "2026-03-01T10:00", SCH_EV_FPN_PAID, "2026-03-01T09:59", "", "", 7500, "R-FPN-004", 7500 },
	{ "fpn paid twice", SCH_CPN, 30, "police", "", "2026-01-01", "", SCH_EV_FPN_ISSUED, "2026-03-01", SCH_EV_FPN_PAID, "2026-03-12", "", "", -1, "R-FPN-004", 10000, SCH_EV_FPN_PAID, "2026-03-10", 10000 },
};

#pragma GCC diagnostic pop

START_TEST(test_event_rules)
{
	const struct event_case tc = event_cases[_i];
	struct sch_findings f;
	struct sch_event_fact e, p;
	struct sch_life l;
	struct sch_use u;
	unsigned i;
	int found = 0, warn = tc.expect[0] == '~';
	const char *want = warn ? tc.expect + 1 : tc.expect;

	memset(&u, 0, sizeof(u));
	u.power = tc.power;
	u.subject_kind = tc.power == SCH_PSPO || tc.power == SCH_DISP_AUTH ?
	    SCH_PLACE : tc.power == SCH_CLOSURE_NOTICE || tc.power ==
	    SCH_CLOSURE_ORDER ? SCH_PREMISES : SCH_PERSON;
	u.age = tc.age;
	u.agency = sch_code_index(SCH_LIST_AGENCIES, tc.agency);
	u.rank = tc.rank;
	u.issued = T(tc.issued);
	u.expires = T(tc.expires);
	u.link_power = -1;
	sch_life_init(&l, &u);
	if (tc.prior >= 0) {
		memset(&p, 0, sizeof(p));
		p.kind = tc.prior;
		p.date = T(tc.prior_date);
		p.rank = "";
		p.amount = tc.prior_pence ? tc.prior_pence : -1;
		sch_life_apply(&l, &p);
	}
	if (tc.prior2_date != NULL) {
		memset(&p, 0, sizeof(p));
		p.kind = tc.prior2;
		p.date = T(tc.prior2_date);
		p.rank = "";
		p.amount = tc.prior2_pence ? tc.prior2_pence : -1;
		sch_life_apply(&l, &p);
	}
	memset(&e, 0, sizeof(e));
	e.kind = tc.kind;
	e.date = T(tc.date);
	e.until = T(tc.until);
	e.rank = tc.ev_rank;
	e.amount = tc.amount;
	sch_check_event(&u, &l, &e, T(NOW), &f);
	if (want[0] == '\0') {
		ck_assert_msg(f.n == 0, "%s: refused or warned: %s (%s)", tc.name,
		    f.n ? f.item[0].msg : "", f.n ? f.item[0].rule : "");
		return;
	}
	for (i = 0; i < f.n; i++)
		if (strcmp(f.item[i].rule, want) == 0 && f.item[i].warning == warn)
			found = 1;
	ck_assert_msg(found, "%s: expected %s%s, got %s", tc.name, want,
	    warn ? " as a warning" : "", f.n ? f.item[0].rule : "none");
	if (warn)
		ck_assert_msg(f.errors == 0, "%s: warning case refused: %s",
		    tc.name, f.item[0].msg);
}
END_TEST

START_TEST(test_rule_dated_lookup)
{
	const struct sch_rule *r;

	ck_assert_ptr_null(sch_rule_find("R-CPN-001", SCH_CPN,
	    T("2014-10-19T23:59")));
	r = sch_rule_find("R-CPN-001", SCH_CPN, T("2014-10-20"));
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(sch_rule_value(r), 16);
	ck_assert_ptr_null(sch_rule_find("R-CPN-001", SCH_CPW, T("2026-01-01")));
	r = sch_rule_find("R-GEN-001", SCH_CBO, T("2026-01-01"));
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->power, -1);
	r = sch_rule_find("R-DISP-002", SCH_DISP_AUTH, T("2026-01-01"));
	ck_assert_int_eq(sch_rule_add(r, T("2026-01-01T00:00Z")) -
	    T("2026-01-01T00:00Z"), 48 * 3600);
	ck_assert_uint_gt(sch_rule_count(), 40);
	ck_assert_ptr_null(sch_rule_at(sch_rule_count()));
}
END_TEST

static struct sch_event_fact
ev(int kind, const char *date, const char *until)
{
	struct sch_event_fact e = { kind, T(date), T(until), "", -1, NULL, NULL };

	return e;
}

START_TEST(test_life_status)
{
	struct sch_use u;
	struct sch_life l;
	struct sch_event_fact e;

	memset(&u, 0, sizeof(u));
	u.power = SCH_CBO;
	u.issued = T("2026-01-01");
	u.expires = T("2028-01-01");
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_life_status(&l, T("2026-06-01")), SCH_ST_ACTIVE);
	/* Past its expiry with no event: expired. */
	ck_assert_int_eq(sch_life_status(&l, T("2028-01-01")), SCH_ST_EXPIRED);
	ck_assert_int_eq(sch_life_end(&l, T("2028-02-01")), T("2028-01-01"));
	e = ev(SCH_EV_APPEALED, "2026-01-10", "");
	sch_life_apply(&l, &e);
	ck_assert_int_eq(sch_life_status(&l, T("2026-06-01")), SCH_ST_APPEALED);
	e = ev(SCH_EV_APPEAL_DISMISSED, "2026-02-10", "");
	sch_life_apply(&l, &e);
	ck_assert_int_eq(sch_life_status(&l, T("2026-06-01")), SCH_ST_ACTIVE);
	e = ev(SCH_EV_EXTENDED, "2026-03-01", "2029-01-01");
	sch_life_apply(&l, &e);
	ck_assert_int_eq(l.expires, T("2029-01-01"));
	ck_assert_int_eq(sch_life_status(&l, T("2028-06-01")), SCH_ST_ACTIVE);
	e = ev(SCH_EV_BREACHED, "2026-04-01", "");
	sch_life_apply(&l, &e);
	ck_assert_uint_eq(l.breaches, 1);
	e = ev(SCH_EV_DISCHARGED, "2026-05-01", "");
	sch_life_apply(&l, &e);
	ck_assert_int_eq(sch_life_status(&l, T("2026-06-01")),
	    SCH_ST_DISCHARGED);
	ck_assert_int_eq(sch_life_end(&l, T("2026-06-01")), T("2026-05-01"));

	sch_life_init(&l, &u);
	e = ev(SCH_EV_APPEAL_ALLOWED, "2026-02-01", "");
	sch_life_apply(&l, &e);
	ck_assert_int_eq(sch_life_status(&l, T("2026-03-01")), SCH_ST_QUASHED);
	sch_life_init(&l, &u);
	e = ev(SCH_EV_REVOKED, "2026-02-01", "");
	sch_life_apply(&l, &e);
	ck_assert_int_eq(sch_life_status(&l, T("2026-03-01")), SCH_ST_REVOKED);
	ck_assert_str_eq(sch_status_code(SCH_ST_QUASHED), "quashed");
	ck_assert_int_eq(sch_status_from_code("appealed"), SCH_ST_APPEALED);
	ck_assert_int_eq(sch_status_from_code("live"), -1);
}
END_TEST

START_TEST(test_due_dates)
{
	struct sch_use u;
	struct sch_life l;
	struct sch_event_fact e;

	memset(&u, 0, sizeof(u));
	u.power = SCH_CBO;
	u.age = 15;
	u.issued = T("2026-01-01");
	u.expires = T("2029-01-01");
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_due_youth_review(&u, &l, T(NOW)), T("2027-01-01"));
	e = ev(SCH_EV_REVIEWED, "2026-12-15", "");
	sch_life_apply(&l, &e);
	ck_assert_int_eq(sch_due_youth_review(&u, &l, T(NOW)), T("2027-12-15"));
	u.age = 18;
	ck_assert_int_eq(sch_due_youth_review(&u, &l, T(NOW)), 0);
	/* Retention: 6 years after the end; none while an indefinite order lasts. */
	ck_assert_int_eq(sch_due_retention(&u, &l, T(NOW)), 0);
	ck_assert_int_eq(sch_due_retention(&u, &l, T("2029-06-01")),
	    T("2035-01-01"));
	u.power = SCH_CPW;
	u.expires = 0;
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_due_retention(&u, &l, T(NOW)), T("2032-01-01"));
	u.power = SCH_CLOSURE_NOTICE;
	u.issued = T("2026-06-01T10:00");
	u.served = T("2026-06-01T10:30");
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_due_closure_hearing(&u, &l), T("2026-06-03T10:30"));
	/* A notice that lapsed still needs its hearing; a cancelled one does not. */
	e = ev(SCH_EV_EXPIRED, "2026-06-02T10:00", "");
	sch_life_apply(&l, &e);
	ck_assert_int_eq(sch_due_closure_hearing(&u, &l), T("2026-06-03T10:30"));
	sch_life_init(&l, &u);
	e = ev(SCH_EV_REVOKED, "2026-06-01T12:00", "");
	sch_life_apply(&l, &e);
	ck_assert_int_eq(sch_due_closure_hearing(&u, &l), 0);
	/* Christmas Day does not count toward the 48 hours (s80(4)). */
	u.issued = T("2025-12-24T09:00");
	u.served = T("2025-12-24T10:00");
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_due_closure_hearing(&u, &l), T("2025-12-27T10:00"));
	u.issued = u.served = T("2025-12-25T10:00");
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_due_closure_hearing(&u, &l), T("2025-12-28T00:00"));
	u.issued = u.served = T("2025-12-22T10:00");
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_due_closure_hearing(&u, &l), T("2025-12-24T10:00"));
	u.issued = u.served = T("2025-12-23T10:00");
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_due_closure_hearing(&u, &l), T("2025-12-26T10:00"));
}
END_TEST

/* s28: the youth review is due only while the person is under 18, on an order that runs to
 * the end of the review period. */
START_TEST(test_youth_review_age)
{
	struct sch_use u;
	struct sch_life l;

	memset(&u, 0, sizeof(u));
	u.power = SCH_CBO;
	u.age = 17;
	u.issued = T("2026-01-01");
	u.expires = T("2028-01-01");
	sch_life_init(&l, &u);
	u.adult_on = T("2027-01-02");	/* still 17 on the due date */
	ck_assert_int_eq(sch_due_youth_review(&u, &l, T(NOW)), T("2027-01-01"));
	u.adult_on = T("2027-01-01");	/* 18 on the day it would be due */
	ck_assert_int_eq(sch_due_youth_review(&u, &l, T(NOW)), 0);
	u.adult_on = 0;
	u.expires = T("2027-01-01");	/* runs to the end of the period */
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_due_youth_review(&u, &l, T(NOW)), T("2027-01-01"));
	u.expires = T("2026-12-31");	/* ends before it */
	sch_life_init(&l, &u);
	ck_assert_int_eq(sch_due_youth_review(&u, &l, T(NOW)), 0);
}
END_TEST

/* The sections the messages cite, one by one, against ../shared/DOMAIN.md. */
struct section_case {
	const char	*rule;
	int		 power;
	const char	*section;
};

static const struct section_case section_cases[] = {
	{ "R-PWR-001", SCH_INJUNCTION, "s1; SI 2015/373" },
	{ "R-PWR-001", SCH_CBO, "s22; SI 2014/2590" },
	{ "R-CPW-001", SCH_CPW, "s43(1), s43(5)" },
	{ "R-CPN-001", SCH_CPN, "s43(1)" },
	{ "R-CPN-002", SCH_CPN, "s43(5)" },
	{ "R-PSPO-001", SCH_PSPO, "s60(1)" },
	{ "R-PSPO-002", SCH_PSPO, "s60" },
	{ "R-PSPO-003", SCH_PSPO, "s59(1)" },
	{ "R-INJ-001", SCH_INJUNCTION, "s1(1)" },
	{ "R-INJ-002", SCH_INJUNCTION, "s1(6)" },
	{ "R-CBO-001", SCH_CBO, "s25(5)" },
	{ "R-CBO-002", SCH_CBO, "s25(4)" },
	{ "R-CBO-003", SCH_CBO, "s25(4)" },
	{ "R-CBO-004", SCH_CBO, "s28" },
	{ "R-CBO-005", SCH_CBO, "s22" },
	{ "R-DISP-001", SCH_DISP_AUTH, "s34(1)" },
	{ "R-DISP-002", SCH_DISP_AUTH, "s34(1)" },
	{ "R-DISP-003", SCH_DISP_DIR, "s35(1)" },
	{ "R-DISP-004", SCH_DISP_DIR, "s35(4)" },
	{ "R-DISP-006", SCH_DISP_DIR, "s36(1)" },
	{ "R-CLN-001", SCH_CLOSURE_NOTICE, "s76(1)" },
	{ "R-CLN-002", SCH_CLOSURE_NOTICE, "s77" },
	{ "R-CLN-003", SCH_CLOSURE_NOTICE, "s77, s77(3)" },
	{ "R-CLN-004", SCH_CLOSURE_NOTICE, "s77" },
	{ "R-CLO-001", SCH_CLOSURE_ORDER, "s80(6)" },
	{ "R-CLO-002", SCH_CLOSURE_ORDER, "s82" },
	{ "R-CLO-003", SCH_CLOSURE_ORDER, "s80(1)" },
	{ "R-CLO-004", SCH_CLOSURE_ORDER, "s80(3)-(4)" },
	{ "R-CLO-005", SCH_CLOSURE_ORDER, "s82" },
	{ "R-APP-002", SCH_CPN, "s46" },
	{ "R-APP-002", SCH_CLOSURE_ORDER, "s84" },
	{ "R-APP-002", SCH_PSPO, "s66" },
	{ "R-FPN-001", SCH_CPN, "s52(7)" },
	{ "R-FPN-001", SCH_PSPO, "s68" },
};

START_TEST(test_rule_sections)
{
	const struct section_case *tc = &section_cases[_i];
	const struct sch_rule *r = sch_rule_find(tc->rule, tc->power,
	    T("2026-06-01"));

	ck_assert_msg(r != NULL, "%s: no row", tc->rule);
	ck_assert_str_eq(r->section, tc->section);
}
END_TEST

/* Every row of authority.tsv names a known power and agency and a date (or "-"); every power
 * in force has someone who may use it; the withdrawn R-DISP-005 has no row. */
START_TEST(test_authority_table)
{
	unsigned i, n = sch_authority_count();
	asb_day d;
	int p;

	ck_assert_uint_gt(n, 20);
	for (i = 0; i < n; i++) {
		ck_assert_int_ge(sch_code_index(SCH_LIST_POWERS,
		    sch_authority_cell(i, 0)), 0);
		ck_assert_int_ge(sch_code_index(SCH_LIST_AGENCIES,
		    sch_authority_cell(i, 1)), 0);
		ck_assert(strcmp(sch_authority_cell(i, 2), "-") == 0 ||
		    asb_day_parse(sch_authority_cell(i, 2), &d) == 0);
		ck_assert(sch_authority_cell(i, 3)[0] != '\0');
	}
	for (p = 0; p < SCH_POWER_COUNT; p++) {
		unsigned a, any = 0;

		for (a = 0; a < sch_code_count(SCH_LIST_AGENCIES); a++)
			any += (unsigned)sch_may_use(p, (int)a, T("2026-06-01"));
		ck_assert_msg(any > 0 || sch_rule_find("R-PWR-001", p,
		    T("2026-06-01")) == NULL, "%s: nobody may use it",
		    sch_power_code(p));
	}
	ck_assert(sch_may_use(SCH_INJUNCTION, sch_code_index(SCH_LIST_AGENCIES,
	    "nhs"), T("2015-03-23")));
	ck_assert(!sch_may_use(SCH_INJUNCTION, sch_code_index(SCH_LIST_AGENCIES,
	    "nhs"), T("2015-03-22T23:59")));
	ck_assert(!sch_may_use(SCH_CLOSURE_NOTICE, sch_code_index(
	    SCH_LIST_AGENCIES, "housing-provider"), T("2026-11-01")));
	ck_assert(!sch_may_use(SCH_CPN, -1, T("2026-11-01")));
	ck_assert_str_eq(sch_authority_cell(n, 0), "");
	ck_assert_ptr_null(sch_rule_find("R-DISP-005", SCH_DISP_DIR,
	    T("2026-06-01")));
}
END_TEST

static Suite *
schema_suite(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("codes");

	tcase_add_test(tc, test_power_order);
	tcase_add_test(tc, test_event_order);
	tcase_add_test(tc, test_code_lists);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_loop_test(tc, test_use_rules, 0,
	    sizeof(use_cases) / sizeof(use_cases[0]));
	tcase_add_loop_test(tc, test_event_rules, 0,
	    sizeof(event_cases) / sizeof(event_cases[0]));
	tcase_add_test(tc, test_rule_dated_lookup);
	tcase_add_loop_test(tc, test_rule_sections, 0,
	    sizeof(section_cases) / sizeof(section_cases[0]));
	tcase_add_test(tc, test_authority_table);
	suite_add_tcase(s, tc);
	tc = tcase_create("life");
	tcase_add_test(tc, test_life_status);
	tcase_add_test(tc, test_due_dates);
	tcase_add_test(tc, test_youth_review_age);
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
	sr = srunner_create(schema_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
