/*
 * summary.h - what a force sees of a return before it goes: its uses by power against the
 * last return the Home Office acknowledged for the quarter before, and which changes are
 * large enough to check before sending (a missed batch of records, a new PSPO, a double
 * import).
 *
 * A use is a record issued in the quarter (issuedInPeriod), counted as the hub counts its
 * "uses" (hub/tally.c): from the facts the validator read (return/facts.h), never by a
 * reader of our own.  The return being built is counted as gw_build validates it (its
 * record callback); the earlier one from the bytes the outbox kept, validated again in
 * memory.
 *
 * Functions return an enum asb_err and fill eb (may be NULL); nothing here prints.
 */
#ifndef GW_SUMMARY_H
#define GW_SUMMARY_H

#include <stdint.h>

#include "codes.h"
#include "date.h"
#include "err.h"

struct outbox;
struct rtn_record_facts;
struct rtn_schema;

/* A change is flagged when it is more than GW_CHANGE_PCT percent of the earlier count and at
 * least GW_CHANGE_MIN uses either way: a percentage alone flags 2 becoming 4, a count alone
 * flags a busy force's ordinary month. */
#define GW_CHANGE_PCT	50
#define GW_CHANGE_MIN	10
#define GW_CHANGE_PCT_MAX	100000	/* --change-threshold: 0 to this */
#define GW_CHANGE_MIN_MAX	1000000	/* --change-min: 0 to this */

/* Uses by power (index in powers.tsv) of one return. */
struct gw_tally {
	uint64_t	 uses[SCH_POWER_COUNT];
	uint64_t	 total;
	uint64_t	 records;	/* every record, issued in the quarter or not */
};

/* The validator's record callback (rtn_validate_opts.record, gw_build_opts.record): ctx is
 * a struct gw_tally, zeroed by the caller before the walk. */
void	 gw_tally_record(const struct rtn_record_facts *f, void *tally);

/* The return a build is compared with. */
struct gw_baseline {
	char		 period[8];	/* the quarter before: "2026-Q2" */
	char		 return_id[37];	/* "" when the outbox holds none acknowledged */
	asb_time	 added;		/* when it entered the outbox */
	asb_time	 acknowledged;	/* when its receipt was kept */
	struct gw_tally	 t;
};

/* The label of the quarter before period ("2026-Q1" -> "2025-Q4") into out (8 bytes).
 * ASB_EUSAGE when period is not YYYY-Qn. */
int	 gw_period_before(const char *period, char out[8], struct asb_errbuf *eb);

/*
 * The baseline of a return for period: the last return (latest to enter the outbox, as
 * gw_corrections_due takes it) for the quarter before that the hub acknowledged as accepted
 * and that is not a test return (a test return is never counted, so it is no measure),
 * its uses counted from the bytes the outbox holds (validated with schema, NULL: compiled for
 * the call).  ob is the open outbox, or NULL to open REGISTER/outbox; no outbox there, or
 * none acknowledged, is ASB_OK with ret->return_id "".  Errors: ASB_EUSAGE (period), those of
 * ob_open and ob_each, ASB_EIO when the kept bytes cannot be read back as a return.
 */
int	 gw_baseline_load(const char *register_dir, struct outbox *ob, const char *period,
	    const struct rtn_schema *schema, struct gw_baseline *ret, struct asb_errbuf *eb);

/* The threshold of a flag: more than pct percent and at least min uses. */
struct gw_threshold {
	unsigned	 pct;
	unsigned	 min;
};

/* One power's change from before to now. */
struct gw_change {
	uint64_t	 now, before;
	int64_t		 diff;		/* now - before */
	int		 have_pct;	/* 0 when before is 0: no percentage */
	int64_t		 pct;		/* diff as a percentage of before, rounded half away
					 * from zero */
	int		 flagged;	/* past th (a power new this quarter: by min alone) */
};

/* The change of now against before, flagged against th. */
void	 gw_change_of(uint64_t now, uint64_t before, const struct gw_threshold *th,
	    struct gw_change *ret);

#endif
