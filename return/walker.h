/*
 * walker.h - inside the validator (not a public header): the state of one validation and the
 * walker that validate.c drives over a stream or a tree.  See rtn.h for the contract.
 */
#ifndef RTN_WALKER_H
#define RTN_WALKER_H

#include <libxml/xmlreader.h>
#include <stdint.h>

#include "asb_limits.h"
#include "date.h"
#include "facts.h"
#include "rtn.h"

#define FIELD_MAX	96

struct vevent {
	int		 kind;
	asb_time	 date;
	asb_time	 until;
	int		 in_period;
	int		 outcome;	/* index in outcomes.tsv, -1 none */
	int64_t		 amount;
	char		 rank[ASB_MAX_SHORT];
	char		 decided_by[16];	/* 1.1, "" none */
	char		 applicant[16];
};

struct vrecord {
	char		 id[RTN_ID_LEN + 1];
	int		 issued_in_period;
	int		 kind, power, agency, age;
	int		 band, sex, ethnicity;	/* code indexes, -1 not given (facts) */
	uint32_t	 la;			/* rtn_la_encode, 0 not given */
	char		 subject[RTN_ID_LEN + 1];
	char		 rank[ASB_MAX_SHORT];
	asb_time	 issued, served, expires;
	int		 link_power, link_same;
	asb_time	 link_issued, link_served, link_expires, link_ended;
	asb_time	 link_adjourned;
	/* 1.1 details (sch_use's), and the first 1.1 feature the record uses ("" none) */
	int		 interim, without_notice, partial, area_given, removed, surrendered;
	asb_time	 leave_by;
	const char	*v11;
	long		 line;
	unsigned	 nevents;
	struct vevent	 events[ASB_MAX_EVENTS];
};

/* The names the validator acts on, interned once in the reader's dictionary so each node
 * is recognised by comparing pointers, not strings. */
enum name {
	N_OTHER, N_RETURN, N_HEADER, N_RECORD, N_EVENT, N_FOLLOWS, N_DIRECTION,
	/* header fields */
	N_FORCE, N_PERIOD, N_SCHEMAVERSION, N_RETURNID, N_TEST, N_CREATED, N_RECORDCOUNT,
	N_EXPLANATIONS,	/* 1.1, not a field: R-RTN-005 */
	/* record fields */
	N_SUBJECT, N_SUBJECTKIND, N_POWER, N_AGENCY, N_RANK, N_ISSUED, N_SERVED,
	N_EXPIRES, N_AGEBAND, N_SEX, N_ETHNICITY, N_INTERIM, N_WITHOUTNOTICE,
	N_PARTIAL, N_LA,
	/* attributes */
	A_ID, A_ISSUEDINPERIOD, A_KIND, A_DATE, A_INPERIOD, A_UNTIL, A_OUTCOME,
	A_AMOUNT, A_RANK, A_POWER, A_ISSUED, A_SAMESUBJECT, A_SERVED, A_EXPIRES,
	A_ENDED, A_ADJOURNED, A_DECIDEDBY, A_APPLICANT, A_AREASPECIFIED, A_LEAVEBY,
	A_REMOVED, A_SURRENDERED,
	N_COUNT
};

struct vctx {
	const xmlChar	*interned[N_COUNT];
	const struct rtn_validate_opts *opts;
	struct rtn_validate_result *res;
	xmlTextReaderPtr reader;
	int		 tree;		/* walking a parsed document, not a stream */
	xmlNodePtr	*bad;		/* tree: the Records the XSD refused (at most max) */
	size_t		 nbad;
	int		 rec_bad;	/* tree: the current Record is one of them */
	size_t		 max;
	unsigned	 xsd_errors;	/* counted, to skip rules on a record the XSD refused */
	unsigned	 rec_xsd_base;	/* the count when the last Record ended: an error on a
					 * start tag may be reported a read or two late */
	int		 stop;
	/* where we are */
	int		 field;		/* enum name of the element whose text we keep */
	char		 text[FIELD_MAX];
	int		 in_header, in_record;
	struct rtn_period period;
	int		 have_period;
	asb_time	 created;
	uint64_t	 declared;
	int		 have_declared;
	int		 minor;		/* SchemaVersion 1.<minor>; -1 not read (the XSD says) */
	struct vrecord	 rec;
	/* duplicate record IDs: open addressing over the first 64 bits of each pseudonym */
	uint64_t	*seen;
	size_t		 seen_cap, seen_n;
	struct rtn_event_facts fev[ASB_MAX_EVENTS];	/* the facts handed to opts->record */
};

/* A finding for the caller; after max errors only counted (a stream stops). */
void	 walk_finding(struct vctx *v, const char *rule, int warning, long line,
	    const char *record, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The line of the node the reader is on. */
long	 walk_line(struct vctx *v);
/* Text into a fixed field, cut to fit. */
void	 walk_set_text(char *dst, size_t cap, const char *src);
/* The names, interned in dict (a tree's) or the reader's dictionary (NULL). */
void	 walk_intern(struct vctx *v, xmlDictPtr dict);
/* The reader is on an element start, text, or element end at depth. */
void	 walk_element(struct vctx *v, const xmlChar *xname, int depth);
void	 walk_text(struct vctx *v);
void	 walk_end_element(struct vctx *v, const xmlChar *xname, int depth);

#endif
