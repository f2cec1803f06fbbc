/*
 * report.h - national figures from the stored returns: for each force and quarter in a range
 * only the latest accepted return counts (live ones, unless test returns are asked for); its
 * records are counted, by any of nine dimensions, from the facts stored with it at intake
 * (return/facts.h: what the validator read from the tree it checked), never from its XML.  A table
 * that breaks counts down by a person's characteristics (age band, sex, ethnicity) or by an
 * area below the force (local authority) goes through disclosure control before it leaves:
 * small cells are suppressed, then enough others that no suppressed cell can be worked out
 * from the totals published with it.
 */
#ifndef HUB_REPORT_H
#define HUB_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "store.h"

enum rpt_dim {
	RD_FORCE, RD_POWER, RD_QUARTER, RD_AGENCY, RD_AGE, RD_SEX, RD_ETHNICITY, RD_LA,
	RD_OUTCOME, RD_N
};

/* The measures of every table: uses (records issued in the period), then each event kind
 * dated in the period, in the order of schema/codes/events.tsv. */
#define RPT_MEASURES	14
#define RPT_MAX_QUARTERS 40

struct rpt_opts {
	char		 quarters[RPT_MAX_QUARTERS][8];	/* "2026-Q3", in order */
	int		 nquarters;
	int		 dims[RD_N];			/* enum rpt_dim, in the order asked */
	int		 ndims;
	int		 include_test;
	unsigned	 threshold;	/* a count below it (and above 0) is suppressed; 0: 5 */
	const char	*population;	/* a population file; NULL: the built-in one */
	/* called after each return read (done of total), may be NULL */
	void		(*progress)(uint64_t done, uint64_t total, void *ctx);
	void		*progress_ctx;
};

/* A population per force, for rates. */
struct rpt_pop {
	char		 code[16];
	int64_t		 people;
};

/* One row of a table: its dimension values and its measures.  flags has bit m set when
 * measure m is suppressed (primary or secondary). */
struct rpt_row {
	uint16_t	 key[RD_N];		/* value index in each dimension's list */
	uint16_t	 sk[RD_N];		/* the keys in the order of o.dims, to sort */
	int64_t		 m[RPT_MEASURES];
	uint32_t	 flags;
};

/* Per force: who was subject to the powers, and the rate per 100,000 people. */
struct rpt_force {
	char		 code[16];
	char		 return_id[37];		/* the latest return of the last quarter */
	int		 returns;		/* quarters with a counted return */
	int64_t		 uses, subjects, repeat_subjects, breaches;
	int64_t		 population;		/* 0 when not known */
	int64_t		 by_power[16];		/* uses of each power */
};

struct rpt_power {
	int64_t		 uses, breaches, fpns;	/* fpns: fixed penalty notices issued */
};

/* A return counted (report_pub.c and release.c: what a publication used). */
struct rpt_counted {
	char		 id[37];		/* "" for rpt_build_mem */
	int		 force;			/* index in forces.tsv */
	int		 quarter;		/* index in o.quarters; -1 outside the range */
};

struct rpt_pub;		/* report_pub.h: a release's and a publication's extras */

struct rpt {
	struct rpt_opts	 o;
	int		 asked[RD_N];		/* 1 for each dimension in o.dims */
	int		 breached;		/* the event kind "breached" */
	/* each dimension's values, interned in the order met, then sorted for output */
	char		(*values[RD_N])[24];
	size_t		 nvalues[RD_N];
	struct rpt_row	*rows;
	size_t		 nrows, caprows;
	struct rpt_force *forces;		/* one per force with a counted return */
	size_t		 nforces;
	struct rpt_power powers[16];
	int64_t		 total[RPT_MEASURES];
	int64_t		 quarter_uses[RPT_MAX_QUARTERS];	/* national, per o.quarters */
	int		 returns_read;
	int		 sensitive;		/* the table went through disclosure control */
	int		 too_fine;		/* more cells than disclosure control handles */
	unsigned	 suppressed, secondary;	/* cells */
	/* the columns of the grid (combinations of the sensitive dimensions) and which
	 * measures' column totals are suppressed */
	uint16_t	(*colkey)[RD_N];
	uint32_t	*colsup;
	size_t		 ncols;
	struct rpt_pop	*pop;
	size_t		 npop;
	/* coverage: bit f set when force f (index in forces.tsv) has a return counted in
	 * o.quarters[q]; 43 forces fit a uint64_t (report.c checks the code list) */
	uint64_t	 qforces[RPT_MAX_QUARTERS];
	struct rpt_counted *counted;		/* every return counted, in the order read */
	size_t		 ncounted;
	/* borrowed, may be NULL: release, revisions and data quality for the writers */
	const struct rpt_pub *pub;
};

/* The name of a measure ("uses", "served", "breached"...) and of a dimension. */
const char *rpt_measure_name(int m);
const char *rpt_dim_name(int d);
/* "force,power,age-band" into o->dims; ASB_EUSAGE naming what is wrong. */
int	 rpt_parse_dims(const char *s, struct rpt_opts *o, struct asb_errbuf *eb);
/* "2026-Q1".."2026-Q4", "2026" (a calendar year) into o->quarters. */
int	 rpt_parse_range(const char *from, const char *to, struct rpt_opts *o,
	    struct asb_errbuf *eb);

/* Build the report from the store's facts.  ASB_EIO naming the return when a counted
 * return's facts are missing (a store from before facts: hub_store_migrate first) or
 * corrupt. */
int	 rpt_build(struct hub_store *st, const struct rpt_opts *o, struct rpt **ret,
	    struct asb_errbuf *eb);
/* The same from exactly the returns ids[n] (a release reproduced: release.c), whatever is
 * latest now.  ASB_ENOTFOUND naming a return the store does not hold; ASB_EIO as above. */
int	 rpt_build_ids(struct hub_store *st, const struct rpt_opts *o, char (*ids)[37],
	    size_t n, struct rpt **ret, struct asb_errbuf *eb);
/* The same from return documents in memory (tests and benchmarks): bodies[i] is a whole
 * return, its facts taken as intake takes them and counted as the store's are; which count
 * is decided by the caller.  ASB_ERULE when a body is not well-formed or does not match the
 * XSD (its rule errors do not matter here). */
int	 rpt_build_mem(const char *const *bodies, const size_t *lens, size_t n,
	    const struct rpt_opts *o, struct rpt **ret, struct asb_errbuf *eb);
void	 rpt_free(struct rpt *r);

/* The value of dimension d (one asked for) in row r, as text. */
const char *rpt_value(const struct rpt *r, const struct rpt_row *row, int d);

/*
 * Disclosure control of a table (report_sdc.c, called by rpt_build when a dimension is
 * sensitive): in each measure, the table is laid out as a grid - rows the combinations of
 * the other dimensions, columns the combinations of the sensitive ones - and protected by
 * sdc_protect (sdc.h, which knows nothing of reports); its flags are set on the rows, and
 * r->suppressed and r->secondary count the cells hidden for being small and to protect
 * others.  A grid over SDC_MAX_CELLS sets r->too_fine and hides nothing.  Exposed for the
 * tests.
 */
int	 rpt_suppress(struct rpt *r);	/* -1 when out of memory */
/* The grid's row and column of a table row (for tests and totals). */
int	 rpt_is_sensitive(int d);

/* Output. */
int	 rpt_write_text(const struct rpt *r, FILE *f);
int	 rpt_write_csv(const struct rpt *r, FILE *f);
int	 rpt_write_json(const struct rpt *r, FILE *f);
int	 rpt_write_html(const struct rpt *r, FILE *f);

#endif
