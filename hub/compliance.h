/*
 * compliance.h - the submission view of one period: every force in the code list, its latest
 * accepted return or none, on time or late, warnings by rule beside the force's explanations
 * of them (signed in its return), and what came before it.
 */
#ifndef HUB_COMPLIANCE_H
#define HUB_COMPLIANCE_H

#include <stdio.h>

#include "date.h"
#include "err.h"
#include "report_pub.h"
#include "store.h"

#define CMP_MAX_RULES	16

struct cmp_force {
	char		 code[16];
	char		 name[64];
	int		 has_latest;
	struct hub_return latest;
	int		 late;
	int		 history;	/* live returns received for the period */
	int		 superseded;	/* accepted before the latest */
	int		 rejected;
	struct {
		char	 rule[24];
		unsigned count;
	}		 rules[CMP_MAX_RULES];	/* warnings in the latest's receipt */
	int		 nrules;
	/* the force's explanations in the latest return's Header, signed with it (rtn.h) */
	struct {
		char	 rule[24];
		char	*text;		/* owned, freed by cmp_free */
	}		*expl;
	int		 nexpl;
};

struct cmp_report {
	char		 period[8];
	asb_time	 due;		/* the end of the period plus the days allowed */
	struct cmp_force *forces;
	size_t		 nforces;
	unsigned	 submitted, late, zero, rejected_only, missing;
	struct rpt_quality *quality;	/* per force, in the code list's order */
};

/* Build the view for period ("YYYY-Qn"); a return is late when it arrived more than due_days
 * after the period ended; with each force's data quality (report_pub.h: completeness,
 * volume changes, corrections).  Free with cmp_free. */
int	 hub_compliance(struct hub_store *st, const char *period, int due_days,
	    struct cmp_report *out, struct asb_errbuf *eb);
void	 cmp_free(struct cmp_report *c);

int	 cmp_write_text(const struct cmp_report *c, FILE *f);
int	 cmp_write_json(const struct cmp_report *c, FILE *f);
int	 cmp_write_html(const struct cmp_report *c, FILE *f);

#endif
