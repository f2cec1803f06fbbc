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

/* ---- what is wrong with a date as typed --------------------------------------------------- */

static const char *const month_name[12] = { "January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December" };

/* Read a run of 1 to max digits; its length, 0 when none. */
static int
run(const char **pp, int max, int *ret)
{
	const char *p = *pp;
	int n = 0, v = 0;

	while (n < max && isdigit((unsigned char)p[n]))
		v = v * 10 + (p[n++] - '0');
	if (n > 0 && isdigit((unsigned char)p[n]))
		return 0;
	*pp = p + n;
	*ret = v;
	return n;
}

/* What is wrong with y-m-d (0 when nothing); the value is named only when echo. */
static int
ymd_why(int y, int m, int d, const char *s, int echo, char *why, size_t cap)
{
	int n = (int)strcspn(s, "T ");

	if (y < 1900) {
		snprintf(why, cap, "%.*s%sbefore 1900", echo ? n : 0, s, echo ? ": " : "");
		return -1;
	}
	if (y > 2999) {
		snprintf(why, cap, "%.*s%safter 2999", echo ? n : 0, s, echo ? ": " : "");
		return -1;
	}
	if (m < 1 || m > 12) {
		snprintf(why, cap, "%.*s%sthere is no month %02d", echo ? n : 0, s,
		    echo ? ": " : "", m);
		return -1;
	}
	if (d < 1 || d > month_days(y, m)) {
		if (m == 2 && d == 29 && echo)
			snprintf(why, cap, "%.*s: %d is not a leap year", n, s, y);
		else if (m == 2 && d == 29)
			snprintf(why, cap, "not a leap year: February has 28 days");
		else
			snprintf(why, cap, "%.*s%s%s has %d days", echo ? n : 0, s,
			    echo ? ": " : "", month_name[m - 1], month_days(y, m));
		return -1;
	}
	return 0;
}

/* Why s is not a date (YYYY-MM-DD) at its start: a date written the British way round
 * (31/12/2025, 31-12-2025, 31.12.2025) gets its ISO spelling. */
static void
date_why(const char *s, int echo, char *why, size_t cap)
{
	const char *p = s;
	int y, m, d, a, b, c, n;
	char sep;

	if (run(&p, 4, &y) == 4 && *p == '-' && (p++, run(&p, 2, &m) > 0) && *p == '-' &&
	    (p++, run(&p, 2, &d) > 0)) {
		if (ymd_why(y, m, d, s, echo, why, cap) == -1)
			return;
		if (p - s != 10) {
			snprintf(why, cap, "%s%swrite the month and day with two digits: "
			    "YYYY-MM-DD", echo ? s : "", echo ? ": " : "");
			return;
		}
	}
	p = s;
	if ((n = run(&p, 2, &a)) > 0 && (*p == '/' || *p == '-' || *p == '.')) {
		sep = *p++;
		if (run(&p, 2, &b) > 0 && *p == sep && (p++, run(&p, 4, &c) == 4) &&
		    (*p == '\0' || *p == ' ' || *p == 'T')) {
			if (ymd_why(c, b, a, s, echo, why, cap) == -1)
				return;
			if (echo)
				snprintf(why, cap, "%.*s: write %04d-%02d-%02d", (int)(p - s), s,
				    c, b, a);
			else
				snprintf(why, cap, "write it year first: YYYY-MM-DD");
			return;
		}
	}
	if (echo)
		snprintf(why, cap, "'%s' is not an ISO 8601 date (YYYY-MM-DD) or date-time "
		    "(YYYY-MM-DDTHH:MM)", s);
	else
		snprintf(why, cap, "not a date (YYYY-MM-DD)");
}

int
asb_day_parse_why(const char *s, asb_day *ret, int echo, char *why, size_t cap)
{
	if (asb_day_parse(s, ret) == 0)
		return 0;
	date_why(s, echo, why, cap);
	return -1;
}

int
asb_time_parse_strict(const char *s, asb_time *ret, char *why, size_t cap)
{
	const char *p = s;
	int y, mo, d, h, mi, sec = 0, gmt_ok, bst_ok;
	int64_t wall;
	asb_time t;

	if (asb_time_parse(s, &t) == -1) {
		if (parse_ymd(&p, &y, &mo, &d) == 0 && (*p == 'T' || *p == ' '))
			snprintf(why, cap, "'%s' is not a date-time: write YYYY-MM-DDTHH:MM, "
			    "hours 00 to 23, and an offset if any as Z or +01:00", s);
		else
			date_why(s, 1, why, cap);
		return -1;
	}
	/* A local time: does it name one instant? */
	if (parse_ymd(&p, &y, &mo, &d) == 0 && (*p == 'T' || *p == ' ') && strlen(p) >= 6 &&
	    strpbrk(p + 1, "Z+-") == NULL) {
		p++;
		if (digits(&p, 2, &h) == 0 && *p++ == ':' && digits(&p, 2, &mi) == 0) {
			if (*p == ':')
				p++, (void)digits(&p, 2, &sec);
			wall = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
			gmt_ok = uk_offset(wall) == 0;
			bst_ok = uk_offset(wall - 3600) == 3600;
			if (!gmt_ok && !bst_ok) {
				snprintf(why, cap, "%s: this time does not exist in the UK: the "
				    "clocks went forward from 01:00 GMT to 02:00 BST that night; "
				    "give it with its offset if it is right (e.g. %.16s+00:00)",
				    s, s);
				return -1;
			}
			if (gmt_ok && bst_ok) {
				snprintf(why, cap, "%s: this time happens twice in the UK: the "
				    "clocks went back from 02:00 BST to 01:00 GMT that night; give "
				    "its offset: %.16s+01:00 (the first, BST) or %.16s+00:00 (the "
				    "second, GMT)", s, s, s);
				return -1;
			}
		}
	}
	*ret = t;
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
