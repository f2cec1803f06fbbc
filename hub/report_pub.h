/*
 * report_pub.h - what turns a report (report.h) into figures fit to publish: coverage said
 * in every output, measures that mean something for each power, data quality per force,
 * a release's status and revisions, and the two formats made for publication: the tidy
 * open-data CSV and the OpenDocument workbook laid out as the Analysis Function's guidance
 * on releasing statistics in spreadsheets asks (Cover, Contents, Notes, one table a sheet).
 *
 * The settings a statistician would want to see stated (none is set by the Home Office for
 * these data) are the constants below; the Notes sheet and docs/national-figures.md state them.
 */
#ifndef HUB_REPORT_PUB_H
#define HUB_REPORT_PUB_H

#include <stdint.h>
#include <stdio.h>

#include "date.h"
#include "err.h"
#include "report.h"
#include "store.h"

/* An area with fewer residents than this has its rate flagged and left out of rankings:
 * the City of London (about 10,000 residents, a working population many times that) would
 * otherwise top every table per 100,000 people. */
#define RPT_SMALL_POP		100000
#define RPT_SMALL_POP_TEXT	"100,000"	/* the same, as a reader writes it */
/* A force's uses changing by this many per cent or more against the previous quarter or the
 * same quarter a year before is flagged for the data team to explain ... */
#define RPT_CHANGE_PCT		50
/* ... when either quarter has at least this many uses (a change from 2 to 4 is noise). */
#define RPT_CHANGE_MIN		20

/* What a breach means for a power. */
enum rpt_breach {
	RB_RATE,	/* breached by the order's subject: breaches per 100 uses */
	RB_COUNT,	/* breached by anyone (a PSPO, a closure notice): a count, no rate */
	RB_NA		/* no breach offence (a CPW is a warning): [z] */
};
enum rpt_breach rpt_breach_kind(int power);
/* 1 when a fixed penalty can be issued under the power (CPN s52, PSPO s68). */
int	 rpt_fpn_applies(int power);

/* ---- coverage ------------------------------------------------------------------------------ */

/* Forces counted in quarter q (index in o.quarters), and in the code list. */
unsigned rpt_forces_counted(const struct rpt *r, int q);
unsigned rpt_forces_all(void);
/* 1 when every force of the code list is counted in every quarter of the range. */
int	 rpt_full_coverage(const struct rpt *r);
/* "England and Wales" with full coverage, else "41 of 43 police forces in England and Wales"
 * (or "forces with a return in ..." for a range whose coverage differs by quarter). */
const char *rpt_area(const struct rpt *r, char *buf, size_t cap);
/* The range ("2026-Q3", "2026-Q1 to 2026-Q4") and what a rate over it covers. */
const char *rpt_range(const struct rpt *r, char *buf, size_t cap);
const char *rpt_rate_period(const struct rpt *r, char *buf, size_t cap);
/* The names of the forces missing in quarter q, comma-separated, into buf ("" none). */
const char *rpt_missing(const struct rpt *r, int q, char *buf, size_t cap);
/* One line per quarter ("2026-Q3: 41 of 43 forces counted; missing: X, Y") to f, each after
 * prefix; and the quarters with no return at all. */
void	 rpt_coverage_lines(const struct rpt *r, FILE *f, const char *prefix,
	    const char *suffix);
/* The rate per 100,000 of force i, -1 when its population is unknown; whether it is ranked
 * (a known population of at least RPT_SMALL_POP). */
double	 rpt_force_rate(const struct rpt *r, size_t i);
int	 rpt_force_ranked(const struct rpt *r, size_t i);
const char *rpt_force_name(const char *code);

/* ---- data quality per force (report_quality.c) ---------------------------------------------- */

struct rpt_qforce {
	char		 code[16];
	int		 has;			/* a live return counts for the period */
	char		 return_id[37];
	int64_t		 records, persons;
	int64_t		 eth_not_stated;	/* persons with no ethnicity or NS */
	int64_t		 age_missing;		/* persons with no age band */
	int64_t		 la_missing;		/* records with no local authority */
	int64_t		 uses, uses_prev, uses_year;	/* -1: no return for that quarter */
	int		 flag_prev, flag_year;	/* past RPT_CHANGE_PCT */
	int		 late;			/* received after the due date */
	int		 corrected;		/* accepted returns before the latest */
	asb_time	 received;
};

struct rpt_quality {
	char		 period[8], prev[8], year_ago[8];
	asb_time	 due;
	int		 due_days;
	struct rpt_qforce f[64];
	unsigned	 nf;			/* every force of the code list */
	unsigned	 flagged, late, corrected;
};

/* The quality indicators of every force for period (live returns), late meaning received
 * more than due_days after the quarter ended; from the store as it is, or as it was at asof
 * when that is not 0 (only returns received by then: a release reproduced).  ASB_EUSAGE for
 * a bad period, ASB_EIO for a store that cannot be read. */
int	 rpt_quality_build(struct hub_store *st, const char *period, int due_days,
	    asb_time asof, struct rpt_quality *ret, struct asb_errbuf *eb);
/* A share as a percentage with one decimal into buf ("12.5"), "-" when of nothing. */
const char *rpt_share(int64_t part, int64_t whole, char *buf, size_t cap);
/* The change in per cent from before to now; 0 with *ok 0 when there is nothing to compare. */
double	 rpt_change(int64_t now, int64_t before, int *ok);

/* ---- a publication's status and revisions ---------------------------------------------------- */

struct rpt_revision {
	char		 force[16], period[8];
	char		 id[37], supersedes[37];	/* the correction, what it replaced */
};

struct rpt_pub {
	char		 release_id[32];	/* "" for working figures */
	char		 status[16];		/* "provisional", "final", or "working" */
	asb_time	 date;			/* the release's recorded date; 0 none */
	char		 previous[32];		/* the release this one revises, "" none */
	const struct rpt_quality *quality;	/* may be NULL */
	/* cells changed since the previous release: per table row (bit m for measure m),
	 * per force (bit 0 uses, 1 subjects, 2 repeat subjects, 3 breaches), per power
	 * (bit 0 uses, 1 breaches, 2 fixed penalties); NULL when none is revised */
	uint32_t	*row_revised;
	uint8_t		*force_revised;
	uint8_t		 power_revised[16];
	unsigned	 cells_revised;
	struct rpt_revision *revisions;		/* the corrections that changed them */
	size_t		 nrevisions;
};

/* Compare now with before (the previous release reproduced) and mark in p every cell whose
 * value or suppression changed, or that is new.  -1 when out of memory. */
int	 rpt_pub_revise(struct rpt_pub *p, const struct rpt *now, const struct rpt *before);
void	 rpt_pub_clear(struct rpt_pub *p);	/* frees what rpt_pub_revise allocated */

/* ---- formats ------------------------------------------------------------------------------ */

/* The tidy CSV: a header, then one row per period, force, power, breakdown, category and
 * measure (zeros written; a suppressed value empty with [c] in the marker column). */
int	 rpt_write_tidy_csv(const struct rpt *r, FILE *f);
/* The workbook (report_ods.c), written to path whole (a temporary file renamed).  Every
 * date inside is r->pub's release date (none for working figures), so the same report gives
 * the same bytes.  ASB_EIO with a message. */
int	 rpt_write_ods(const struct rpt *r, const char *path, struct asb_errbuf *eb);

#endif
