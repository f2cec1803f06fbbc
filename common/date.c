/* date.c - dates, times and calendar arithmetic (see date.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Read exactly n digits. */
static int
digits(const char **pp, int n, int *ret)
{
	const char *p = *pp;
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*ret = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
parse_ymd(const char **pp, int *y, int *m, int *d)
{
	const char *p = *pp;

	if (digits(&p, 4, y) == -1 || *p++ != '-' || digits(&p, 2, m) == -1 ||
	    *p++ != '-' || digits(&p, 2, d) == -1)
		return -1;
	if (*y < 1900 || *y > 2999 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > month_days(*y, *m))
		return -1;
	*pp = p;
	return 0;
}

int
asb_day_parse(const char *s, asb_day *ret)
{
	int y, m, d;

	if (s == NULL || parse_ymd(&s, &y, &m, &d) == -1 || *s != '\0')
		return -1;
	*ret = y * 10000 + m * 100 + d;
	return 0;
}

int
asb_time_parse(const char *s, asb_time *ret)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om, sign;
	int has_zone = 0;
	int64_t off = 0;
	struct tm tm;
	time_t t;

	if (s == NULL || parse_ymd(&s, &y, &mo, &d) == -1)
		return -1;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (digits(&s, 2, &h) == -1 || *s++ != ':' ||
		    digits(&s, 2, &mi) == -1)
			return -1;
		if (*s == ':') {
			s++;
			if (digits(&s, 2, &sec) == -1)
				return -1;
		}
		if (h > 23 || mi > 59 || sec > 59)
			return -1;
		if (*s == 'Z') {
			s++;
			has_zone = 1;
		} else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (digits(&s, 2, &oh) == -1 || *s++ != ':' ||
			    digits(&s, 2, &om) == -1 || oh > 14 || om > 59)
				return -1;
			off = sign * (oh * 3600 + om * 60);
			has_zone = 1;
		}
	}
	if (*s != '\0')
		return -1;
	if (has_zone) {
		*ret = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
		    sec - off;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*ret = (asb_time)t;
	return 0;
}

char *
asb_time_iso(asb_time t, char *buf, size_t size)
{
	struct tm tm;
	time_t tt = (time_t)t;
	long off;

	if (localtime_r(&tt, &tm) == NULL) {
		snprintf(buf, size, "invalid");
		return buf;
	}
	off = tm.tm_gmtoff;
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, off < 0 ? '-' : '+', (off < 0 ? -off : off) / 3600,
	    ((off < 0 ? -off : off) % 3600) / 60);
	return buf;
}

char *
asb_time_human(asb_time t, char *buf, size_t size)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (localtime_r(&tt, &tm) == NULL) {
		snprintf(buf, size, "invalid");
		return buf;
	}
	if (tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0)
		snprintf(buf, size, "%04d-%02d-%02d", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
	else
		snprintf(buf, size, "%04d-%02d-%02d %02d:%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min);
	return buf;
}

char *
asb_day_format(asb_day d, char *buf, size_t size)
{
	snprintf(buf, size, "%04d-%02d-%02d", (int)(d / 10000),
	    (int)(d / 100 % 100), (int)(d % 100));
	return buf;
}

asb_time
asb_time_add_months(asb_time t, int months)
{
	struct tm tm;
	time_t tt = (time_t)t;
	int y, m, mdays;

	if (localtime_r(&tt, &tm) == NULL)
		return t;
	y = tm.tm_year + 1900;
	m = tm.tm_mon + months;		/* 0-based, may leave 0..11 */
	y += m >= 0 ? m / 12 : -((11 - m) / 12);
	m = ((m % 12) + 12) % 12;
	mdays = month_days(y, m + 1);
	tm.tm_year = y - 1900;
	tm.tm_mon = m;
	if (tm.tm_mday > mdays)
		tm.tm_mday = mdays;
	tm.tm_isdst = -1;
	return (asb_time)mktime(&tm);
}

asb_time
asb_time_add_days(asb_time t, int days)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (localtime_r(&tt, &tm) == NULL)
		return t;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	return (asb_time)mktime(&tm);
}

asb_day
asb_time_day(asb_time t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday;
}

int
asb_age_at(asb_day dob, asb_time t)
{
	asb_day today = asb_time_day(t);
	int age;

	if (dob == 0 || today < dob)
		return -1;
	age = today / 10000 - dob / 10000;
	if (today % 10000 < dob % 10000)
		age--;
	return age;
}
