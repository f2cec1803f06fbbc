/*
 * date.h - the project's dates and times.
 *
 * A point in time is an asb_time: seconds since the Unix epoch, UTC.  The law
 * counts some powers in hours (dispersal, closure notices) and others in
 * months or years, so input may be a date or a date-time.  Input without an
 * offset is UK civil time (GMT, or BST in summer), as an officer writes a time
 * on a notice, whatever time zone the machine is set to: a server kept in UTC
 * must not move a 48-hour dispersal by an hour.  Output is UK civil time too.
 * A date of birth has no time of day and no zone: it is an asb_day, the
 * integer YYYYMMDD.
 */
#ifndef ASB_DATE_H
#define ASB_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t asb_time;	/* seconds since 1970-01-01T00:00:00Z; 0 = unset */
typedef int32_t asb_day;	/* YYYYMMDD; 0 = unset */

#define ASB_TIME_BUF	32

/*
 * Parse ISO 8601: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS], optionally followed by
 * Z or +HH:MM / -HH:MM ('T' may be a space).  A date alone means local
 * midnight at its start.  Returns 0 or -1 (*ret untouched).
 */
int	 asb_time_parse(const char *s, asb_time *ret);

/* Parse YYYY-MM-DD into an asb_day.  Returns 0 or -1. */
int	 asb_day_parse(const char *s, asb_day *ret);

/*
 * For what people type (command options, CSV columns): as asb_time_parse and asb_day_parse,
 * and when s is refused, why (cap bytes) says what is wrong and how to write it:
 *	"1999-02-29: 1999 is not a leap year"	"2026-04-31: April has 30 days"
 *	"31/12/2025: write 2025-12-31"		"1899-12-31: before 1900"
 * A UK local time that does not exist (the hour skipped when the clocks go forward in March)
 * or that happens twice (the hour repeated when they go back in October) is refused too,
 * unless it carries an offset (Z, +00:00, +01:00), and why says which offsets it can have.
 * With echo 0 why never repeats the value (a date of birth is personal data): "not a leap
 * year", "write it year first: YYYY-MM-DD".  Returns 0 or -1 (*ret untouched).
 */
int	 asb_time_parse_strict(const char *s, asb_time *ret, char *why, size_t cap);
int	 asb_day_parse_why(const char *s, asb_day *ret, int echo, char *why, size_t cap);

/* Format as ISO 8601 in UK civil time with its offset: 2026-07-01T18:00:00+01:00. */
char	*asb_time_iso(asb_time t, char *buf, size_t size);

/* Format for people: "2026-07-01" at local midnight, else "2026-07-01 18:00". */
char	*asb_time_human(asb_time t, char *buf, size_t size);

/* Format an asb_day as YYYY-MM-DD. */
char	*asb_day_format(asb_day d, char *buf, size_t size);

/* Calendar arithmetic in UK civil time.  Adding months keeps the day of the
 * month, or takes the month's last day when it has fewer (31 Jan + 1 month
 * is 28 or 29 Feb), as a court counts a term of months. */
asb_time asb_time_add_months(asb_time t, int months);
asb_time asb_time_add_days(asb_time t, int days);

/* The UK calendar day of t. */
asb_day	 asb_time_day(asb_time t);

/* Whole years of age on the local day of t for someone born on dob
 * (-1 when dob is unset or after t). */
int	 asb_age_at(asb_day dob, asb_time t);

#endif
