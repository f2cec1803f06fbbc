/*
 * period.c - the return's periods (calendar quarters in UK civil time) and the age bands it
 * reports people in.
 */
#include <stdio.h>
#include <string.h>

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

const char *
rtn_age_band(int age)
{
	if (age < 10)
		return NULL;
	if (age < 16)
		return "10-15";
	if (age < 18)
		return "16-17";
	if (age < 25)
		return "18-24";
	if (age < 35)
		return "25-34";
	return "35+";
}
