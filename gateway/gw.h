/*
 * gw.h - the force side of the national return: pseudonyms, return periods, building a return
 * from the register (streaming), and validating a return (streaming: XSD, then the statutory
 * rules of schema/ applied to every record) with one findings format for both layers.
 *
 * Functions return an enum asb_err and fill eb (may be NULL).  Library code never prints:
 * findings go to the caller's callback.  No function here ever writes a name, a date of
 * birth, an address, a UPRN, a PNC ID, an officer or free text into a return.
 */
#ifndef GW_H
#define GW_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "err.h"

/* ---- pseudonyms -------------------------------------------------------------------------- */

#define GW_PSEUDONYM_LEN	32	/* hex characters: 128 bits of HMAC-SHA256 */

struct gw_key;

/* Load the force's secret (register_dir/force.key, 32 bytes, made by asbreg init).  Refuses a
 * key file readable by group or others (ASB_EIO: "chmod 600").  Free with gw_key_free, which
 * wipes it. */
int	 gw_key_load(const char *register_dir, struct gw_key **ret, struct asb_errbuf *eb);
/* A key from bytes (1 to 64), for tests; NULL if out of memory. */
struct gw_key *gw_key_new(const unsigned char *bytes, size_t len);
void	 gw_key_free(struct gw_key *k);

/*
 * The pseudonym of a register ID: hex of the first 128 bits of
 * HMAC-SHA256(key, kind ":" force ":" id), kind "record" or "subject".  Stable for a force's
 * key; different for another force (another key and code); irreversible without the key.
 * out must hold GW_PSEUDONYM_LEN + 1 bytes.
 */
void	 gw_pseudonym(const struct gw_key *k, const char *kind, const char *force,
	    uint64_t id, char *out);

/* ---- periods ----------------------------------------------------------------------------- */

struct gw_period {
	char		 label[8];	/* "2026-Q3" */
	asb_time	 start;		/* first instant, UK civil time */
	asb_time	 end;		/* first instant after it */
};

/* Parse "YYYY-Qn" (2014 to 2099).  ASB_EUSAGE on anything else. */
int	 gw_period_parse(const char *s, struct gw_period *ret, struct asb_errbuf *eb);
int	 gw_period_contains(const struct gw_period *p, asb_time t);

/* The band of the national return for an age in whole years, or NULL under 10. */
const char *gw_age_band(int age);

/* ---- build --------------------------------------------------------------------------------- */

struct gw_build_opts {
	const char	*register_dir;
	const char	*period;	/* "YYYY-Qn" */
	const char	*out;		/* the file to create (replaced whole, never half-written) */
	int		 test;		/* a test return: never reaches national figures */
	const char	*supersedes;	/* return ID this one corrects, or NULL */
	asb_time	 now;
	const char	*user;		/* for the register's audit log */
	void		(*progress)(uint64_t done, uint64_t total, void *ctx);
	void		*ctx;
	const struct gw_schema *schema;	/* NULL: compile the built-in XSD for this call */
};

struct gw_build_result {
	char		 return_id[37];
	uint64_t	 records;
	uint64_t	 events;
};

/*
 * Build the return for a period: every record issued in it or with an event in it, its
 * events up to the period's end flagged in or out of it.  Written with a streaming writer to
 * a temporary file beside opts->out, validated (XSD and rules) before it counts as built,
 * fsynced, then renamed over opts->out.  Logs one disclosure in the register's audit log.
 * Errors: ASB_EUSAGE (period, supersedes), ASB_ENOTFOUND (no register), ASB_ERULE (what was
 * built fails validation: nothing is left at opts->out), ASB_EIO.
 */
int	 gw_build(const struct gw_build_opts *opts, struct gw_build_result *ret,
	    struct asb_errbuf *eb);

/* ---- validate -------------------------------------------------------------------------------- */

struct gw_finding {
	char		 rule[24];	/* "R-XSD-002", "R-CPN-002", "R-RTN-001" */
	int		 warning;
	long		 line;		/* 0 when not known */
	char		 record[GW_PSEUDONYM_LEN + 1];	/* "" outside a record */
	char		 msg[400];	/* what is wrong and what to fix */
};

/* The XSD compiled once and shared (read-only) by validations on any thread. */
struct gw_schema;

int	 gw_schema_load(struct gw_schema **ret, struct asb_errbuf *eb);
void	 gw_schema_free(struct gw_schema *g);

struct gw_validate_opts {
	size_t		 max_errors;	/* stop after this many errors; 0 = 100 */
	void		(*finding)(const struct gw_finding *f, void *ctx);
	void		*ctx;
	const struct gw_schema *schema;	/* NULL: compile the built-in XSD for this call */
};

struct gw_validate_result {
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
int	 gw_validate(const char *path, const struct gw_validate_opts *opts,
	    struct gw_validate_result *ret, struct asb_errbuf *eb);

/* The same over a return held in memory (the hub's request body); name labels findings. */
int	 gw_validate_mem(const char *buf, size_t len, const char *name,
	    const struct gw_validate_opts *opts, struct gw_validate_result *ret,
	    struct asb_errbuf *eb);

/*
 * The same checks over a return already parsed into a libxml2 document (the hub parses once
 * for the signature and validates that tree): the XSD over the tree, then the rules in one
 * walk.  Findings carry the same rule IDs; lines come from the tree.  After too many errors
 * the tree is still walked to the end, so records are counted.
 */
struct _xmlDoc;
int	 gw_validate_doc(struct _xmlDoc *doc, const char *name,
	    const struct gw_validate_opts *opts, struct gw_validate_result *ret,
	    struct asb_errbuf *eb);

/* Library setup and teardown (libxml2); call once each from main. */
void	 gw_init(void);
void	 gw_cleanup(void);

#endif
