/*
 * period.c - the return's periods (calendar quarters in UK civil time) and the age bands it
 * reports people in (schema/codes/agebands.tsv, the one list of them).
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "num.h"
#include "rtn.h"

int
rtn_period_parse(const char *s, struct rtn_period *ret, struct asb_errbuf *eb)
{
	char y[5], start[16];
	int64_t year, q;
	const char *why;

	if (s == NULL || strlen(s) != 7 || s[4] != '-' || s[5] != 'Q' ||
	    s[6] < '1' || s[6] > '4')
		goto bad;
	memcpy(y, s, 4);
	y[4] = '\0';
	if (asb_strtonum(y, 2014, 2099, &year, &why) == -1)
		goto bad;
	q = s[6] - '0';
	snprintf(start, sizeof(start), "%04d-%02d-01", (int)year,
	    (int)(3 * (q - 1) + 1));
	if (asb_time_parse(start, &ret->start) == -1)
		goto bad;
	ret->end = asb_time_add_months(ret->start, 3);
	snprintf(ret->label, sizeof(ret->label), "%s", s);
	return ASB_OK;
bad:
	return asb_fail(eb, ASB_EUSAGE, NULL, "period '%s' is not YYYY-Qn "
	    "(e.g. 2026-Q3, 2014 to 2099)", s ? s : "");
}

int
rtn_period_contains(const struct rtn_period *p, asb_time t)
{
	return t >= p->start && t < p->end;
}

/* Column col of age band i as a number; "-" (open-ended) is RTN_AGE_OPEN. */
static int
band_bound(unsigned i, unsigned col)
{
	const char *s = sch_code_field(SCH_LIST_AGEBANDS, i, col), *why;
	int64_t v;

	if (strcmp(s, "-") == 0)
		return RTN_AGE_OPEN;
	return asb_strtonum(s, 0, RTN_AGE_OPEN, &v, &why) == 0 ? (int)v : -1;
}

const char *
rtn_age_band(int age)
{
	unsigned i, n = sch_code_count(SCH_LIST_AGEBANDS);

	for (i = 0; i < n; i++)
		if (age >= band_bound(i, 1) && age <= band_bound(i, 2))
			return sch_code_field(SCH_LIST_AGEBANDS, i, 0);
	return NULL;
}

int
rtn_age_band_max(const char *band)
{
	int i = band != NULL ? sch_code_index(SCH_LIST_AGEBANDS, band) : -1;

	return i < 0 ? -1 : band_bound((unsigned)i, 2);
}
