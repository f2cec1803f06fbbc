/* fuzz_parse: every parser a command line reaches - dates and times (UK civil time), days,
 * periods, report ranges and dimensions, numbers, and each record and event field
 * (durations, amounts, codes) - on the lines of the input. */
#include "date.h"
#include "fuzz.h"
#include "gw.h"
#include "num.h"
#include "reg.h"
#include "report.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void
one(const char *s, const char *next)
{
	static const char *const rec_fields[] = { "issued", "served", "expires", "hours", "days",
	    "months", "years", "indefinite", "rank", "agency", "lsoa", "lad", "power" };
	static const char *const ev_fields[] = { "kind", "date", "until", "outcome", "amount",
	    "rank" };
	struct reg_record rec;
	struct reg_term term;
	struct reg_event ev;
	struct rtn_period p;
	struct rpt_opts o;
	asb_time t;
	asb_day d;
	int64_t n;
	const char *why;
	char buf[ASB_TIME_BUF];
	size_t i;

	if (asb_time_parse(s, &t) == 0) {
		asb_time_iso(t, buf, sizeof(buf));
		asb_time_human(t, buf, sizeof(buf));
		(void)asb_time_add_months(t, 3);
		(void)asb_time_add_days(t, 31);
	}
	if (asb_day_parse(s, &d) == 0)
		asb_day_format(d, buf, sizeof(buf));
	(void)rtn_period_parse(s, &p, NULL);
	(void)asb_strtonum(s, INT64_MIN, INT64_MAX, &n, &why);
	memset(&o, 0, sizeof(o));
	(void)rpt_parse_range(s, NULL, &o, NULL);
	(void)rpt_parse_range(s, next, &o, NULL);
	(void)rpt_parse_dims(s, &o, NULL);
	for (i = 0; i < sizeof(rec_fields) / sizeof(rec_fields[0]); i++) {
		memset(&rec, 0, sizeof(rec));
		memset(&term, 0, sizeof(term));
		reg_record_defaults(&rec);
		if (reg_record_set(&rec, &term, rec_fields[i], s, NULL) == ASB_OK &&
		    reg_record_set(&rec, &term, "issued", "2026-07-01", NULL) == ASB_OK)
			(void)reg_record_finish(&rec, &term, NULL);
	}
	for (i = 0; i < sizeof(ev_fields) / sizeof(ev_fields[0]); i++) {
		memset(&ev, 0, sizeof(ev));
		reg_event_defaults(&ev);
		(void)reg_event_set(&ev, ev_fields[i], s, NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *line, *nl;

	for (line = s; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		one(line, nl != NULL ? nl : "");
	}
	free(s);
	return 0;
}
