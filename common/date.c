/* date.c - dates, times and calendar arithmetic (see date.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

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

/* The inverse of days_from_civil. */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Day number of the last Sunday of month m of year y (1970-01-01, day 0, was a Thursday). */
static int64_t
last_sunday(int y, int m)
{
	int64_t d = days_from_civil(y, m, month_days(y, m));
	int64_t weekday = ((d + 4) % 7 + 7) % 7;	/* 0 = Sunday */

	return d - weekday;
}

/*
 * Seconds UK civil time is ahead of UTC at instant t: 3600 in British Summer Time, which runs
 * from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October
 * (Summer Time Order 2002, the EU rule the UK has kept).  Earlier years had other dates; no
 * power in the register predates 2014, and dates of birth carry no time.
 */
static int64_t
uk_offset(int64_t t)
{
	int y, m, d;
	int64_t start, end;

	civil_from_days(t >= 0 ? t / 86400 : (t - 86399) / 86400, &y, &m, &d);
	start = last_sunday(y, 3) * 86400 + 3600;
	end = last_sunday(y, 10) * 86400 + 3600;
	return t >= start && t < end ? 3600 : 0;
}

/* A UK wall-clock time to an instant.  Guess with the offset at the same UTC reading, then
 * correct with the offset at the guess; the hour skipped when clocks go forward reads as the
 * hour after, the repeated hour in October as its first (summer-time) occurrence. */
static asb_time
local_to_time(int y, int mo, int d, int h, int mi, int s)
{
	int64_t wall = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    s;
	int64_t t = wall - uk_offset(wall);

	return wall - uk_offset(t);
}

/* An instant as UK civil date and time. */
struct civil {
	int	 y, m, d, hh, mm, ss;
	int64_t	 off;
};

static void
to_civil(asb_time t, struct civil *c)
{
	int64_t local, day, sec;

	c->off = uk_offset(t);
	local = t + c->off;
	day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	sec = local - day * 86400;
	civil_from_days(day, &c->y, &c->m, &c->d);
	c->hh = (int)(sec / 3600);
	c->mm = (int)(sec / 60 % 60);
	c->ss = (int)(sec % 60);
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
	*ret = local_to_time(y, mo, d, h, mi, sec);
	return 0;
}

char *
asb_time_iso(asb_time t, char *buf, size_t size)
{
	struct civil c;

	to_civil(t, &c);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00", c.y, c.m,
	    c.d, c.hh, c.mm, c.ss, (int)(c.off / 3600));
	return buf;
}

char *
asb_time_human(asb_time t, char *buf, size_t size)
{
	struct civil c;

	to_civil(t, &c);
	if (c.hh == 0 && c.mm == 0 && c.ss == 0)
		snprintf(buf, size, "%04d-%02d-%02d", c.y, c.m, c.d);
	else
		snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", c.y, c.m, c.d,
		    c.hh, c.mm);
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
	struct civil c;
	int y, m, mdays;

	to_civil(t, &c);
	m = c.m - 1 + months;		/* 0-based, may leave 0..11 */
	y = c.y + (m >= 0 ? m / 12 : -((11 - m) / 12));
	m = ((m % 12) + 12) % 12;
	mdays = month_days(y, m + 1);
	return local_to_time(y, m + 1, c.d > mdays ? mdays : c.d, c.hh, c.mm,
	    c.ss);
}

asb_time
asb_time_add_days(asb_time t, int days)
{
	struct civil c;
	int y, m, d;

	to_civil(t, &c);
	/* Through the civil-day count, so month and year ends roll over. */
	civil_from_days(days_from_civil(c.y, c.m, c.d) + days, &y, &m, &d);
	return local_to_time(y, m, d, c.hh, c.mm, c.ss);
}

asb_day
asb_time_day(asb_time t)
{
	struct civil c;

	to_civil(t, &c);
	return c.y * 10000 + c.m * 100 + c.d;
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
