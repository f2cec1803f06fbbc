/*
 * rtn.h - the national return itself, the same at both ends: its namespace and version, its
 * periods and age bands, and validating a return (XSD, then the statutory rules of schema/
 * applied to every record) with one findings format for both layers.  The force (gateway/)
 * and the Home Office (hub/) both link this; neither has a reader of its own.
 *
 * Functions return an enum asb_err and fill eb (may be NULL).  Library code never prints:
 * findings go to the caller's callback.
 */
#ifndef RTN_H
#define RTN_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "err.h"

#define RTN_NS		"urn:uk:gov:homeoffice:asb-powers:return:1"
#define RTN_ID_LEN	32	/* a pseudonymous record or subject ID: hex of 128 bits */

/* ---- periods ----------------------------------------------------------------------------- */

struct rtn_period {
	char		 label[8];	/* "2026-Q3" */
	asb_time	 start;		/* first instant, UK civil time */
	asb_time	 end;		/* first instant after it */
};

/* Parse "YYYY-Qn" (2014 to 2099).  ASB_EUSAGE on anything else. */
int	 rtn_period_parse(const char *s, struct rtn_period *ret, struct asb_errbuf *eb);
int	 rtn_period_contains(const struct rtn_period *p, asb_time t);

/* The band of the national return for an age in whole years, or NULL under 10. */
const char *rtn_age_band(int age);

/* ---- validate -------------------------------------------------------------------------------- */

struct rtn_finding {
	char		 rule[24];	/* "R-XSD-002", "R-CPN-002", "R-RTN-001" */
	int		 warning;
	long		 line;		/* 0 when not known */
	char		 record[RTN_ID_LEN + 1];	/* "" outside a record */
	char		 msg[400];	/* what is wrong and what to fix */
};

/* The XSD compiled once and shared (read-only) by validations on any thread. */
struct rtn_schema;
struct rtn_record_facts;	/* facts.h */

int	 rtn_schema_load(struct rtn_schema **ret, struct asb_errbuf *eb);
void	 rtn_schema_free(struct rtn_schema *g);

struct rtn_validate_opts {
	size_t		 max_errors;	/* stop after this many errors; 0 = 100 */
	void		(*finding)(const struct rtn_finding *f, void *ctx);
	void		*ctx;
	const struct rtn_schema *schema;	/* NULL: compile the built-in XSD for this call */
	/* Called at the end of every Record, in document order, with what the walk read from
	 * it (facts.h): the values the XSD and the rules were checked on.  May be NULL; the
	 * facts are borrowed for the call.  rtn_facts_collect builds the stored encoding. */
	void		(*record)(const struct rtn_record_facts *f, void *ctx);
	void		*record_ctx;
};

struct rtn_validate_result {
	uint64_t	 records;
	unsigned	 errors;
	unsigned	 warnings;
	int		 truncated;	/* stopped at max_errors */
	char		 force[16];
	char		 period[8];
	char		 return_id[37];
	int		 test;
};

/*
 * Validate a return file as it streams: well-formedness (no DTD, no entities, no network,
 * depth and size capped), the XSD compiled into the program, then the statutory rules of
 * schema/rules.tsv for every record and event, and the return's own consistency (record count,
 * period flags, unique record IDs).  Memory does not grow with the file beyond 8 bytes a
 * record for the duplicate check.  ASB_OK when there is no error (warnings allowed),
 * ASB_ERULE when there are errors, ASB_ENOTFOUND / ASB_EIO when the file cannot be read.
 */
int	 rtn_validate(const char *path, const struct rtn_validate_opts *opts,
	    struct rtn_validate_result *ret, struct asb_errbuf *eb);

/* The same over a return held in memory (the hub's request body); name labels findings. */
int	 rtn_validate_mem(const char *buf, size_t len, const char *name,
	    const struct rtn_validate_opts *opts, struct rtn_validate_result *ret,
	    struct asb_errbuf *eb);

/*
 * The same checks over a return already parsed into a libxml2 document (the hub parses once
 * for the signature and validates that tree): the XSD over the tree, then the rules in one
 * walk.  Findings carry the same rule IDs; lines come from the tree.  After too many errors
 * the tree is still walked to the end, so records are counted.
 */
struct _xmlDoc;
int	 rtn_validate_doc(struct _xmlDoc *doc, const char *name,
	    const struct rtn_validate_opts *opts, struct rtn_validate_result *ret,
	    struct asb_errbuf *eb);

/* Library setup and teardown (libxml2); call once each from main. */
void	 rtn_init(void);
void	 rtn_cleanup(void);

#endif
