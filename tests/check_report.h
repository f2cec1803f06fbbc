/*
 * check_report.h - what check_report.c shares with check_report_pub.c: hand-made returns the
 * XSD accepts (head, rec, tail) and lookups in a report.
 */
#ifndef CHECK_REPORT_H
#define CHECK_REPORT_H

#include <check.h>
#include <stdarg.h>
#include <stddef.h>

#include "report.h"

struct buf {
	char	*s;
	size_t	 n, cap;
	size_t	 count_at;	/* where the header's RecordCount is, filled in by tail */
	unsigned records;
};

void	 put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A return's header for force and period; its RecordCount filled in by tail. */
void	 head(struct buf *b, const char *force, const char *period);
/* One record: kind "person", "place" or "premises"; issued in the period when in; events
 * "breached:arrested,served" dated in it. */
void	 rec(struct buf *b, const char *subject, const char *kind, const char *power, int in,
	    const char *age, const char *sex, const char *eth, const char *la,
	    const char *events);
void	 tail(struct buf *b);
const struct rpt_row *row_of(const struct rpt *r, const char *v0, const char *v1);
int	 measure(const char *name);

TCase	*pub_tcase(void);	/* check_report_pub.c: the publication side */

#endif
