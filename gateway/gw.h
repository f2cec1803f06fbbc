/*
 * gw.h - what only the force does with the national return: pseudonyms and building a return
 * from the register (streaming).  Periods, validation and findings are the return's own
 * (return/rtn.h), shared with the hub.
 *
 * Functions return an enum asb_err and fill eb (may be NULL).  Library code never prints:
 * findings go to the caller's callback.  No function here ever writes a name, a date of
 * birth, an address, a UPRN, a PNC ID, an officer or free text into a return; the one free
 * text is the data team's own explanations of its warnings (below), never the register's.
 */
#ifndef GW_H
#define GW_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "rtn.h"

/* ---- pseudonyms -------------------------------------------------------------------------- */

#define GW_PSEUDONYM_LEN	RTN_ID_LEN	/* hex characters: 128 bits of HMAC-SHA256 */

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

/* ---- explanations of warnings (explain.c) -------------------------------------------------- */

/* What the data team says about a warning of its return (docs/return-format.md): written
 * into the Header and signed with it, shown by the hub beside the warning. */
struct gw_explanation {
	char		 rule[24];	/* a warning's rule ID, or RTN_RULE_VOLUME */
	char		*text;		/* owned: plain UTF-8, 1 to RTN_EXPLANATION_MAX chars */
};

struct gw_explanations {
	struct gw_explanation item[RTN_MAX_EXPLANATIONS];
	size_t		 n;
};

/*
 * Add an explanation of rule: ASB_EUSAGE when rule is not the ID of a warning of
 * schema/rules.tsv nor RTN_RULE_VOLUME, is explained already, the text (leading spaces
 * dropped) is empty, longer than RTN_EXPLANATION_MAX characters, not UTF-8 or holds a
 * control character (a line break, a tab), or x holds RTN_MAX_EXPLANATIONS already;
 * ASB_EIO when out of memory.  x is unchanged on failure.  Zero x before the first call;
 * free with gw_explain_free.
 */
int	 gw_explain_add(struct gw_explanations *x, const char *rule, const char *text,
	    struct asb_errbuf *eb);
/* "RULE=TEXT" (--explain): gw_explain_add's errors, and ASB_EUSAGE without the '='. */
int	 gw_explain_arg(struct gw_explanations *x, const char *arg, struct asb_errbuf *eb);
/* A file of "RULE<TAB>TEXT" lines (--explanations; blank lines and lines starting '#'
 * skipped), at most 256 KiB: gw_explain_add's errors with the line number, ASB_EUSAGE for a
 * line without a tab, ASB_ENOTFOUND / ASB_EIO when it cannot be read. */
int	 gw_explain_file(struct gw_explanations *x, const char *path, struct asb_errbuf *eb);
/* Free the texts (x itself is the caller's); NULL is harmless. */
void	 gw_explain_free(struct gw_explanations *x);

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
	const struct rtn_schema *schema;	/* NULL: compile the built-in XSD for this call */
	uint64_t	 max_bytes;	/* a larger return is refused, R-XML-003: 0 =
					 * ASB_MAX_RETURN_BYTES, what the hub accepts */
	int		 allow_open;	/* build a quarter that has not ended at now (tests,
					 * demonstrations): otherwise refused */
	/* Called for every record of the return as its validation reads it (rtn.h's
	 * rtn_validate_opts.record): what summary.h counts.  May be NULL. */
	void		(*record)(const struct rtn_record_facts *f, void *ctx);
	void		*record_ctx;
	/* The data team's explanations of its warnings, written into the Header (1.1), or
	 * NULL: built by gw_explain_add, so already checked. */
	const struct gw_explanations *explain;
};

struct gw_build_result {
	char		 return_id[37];
	uint64_t	 records;
	uint64_t	 events;
};

struct rtn_record_facts;

/*
 * What gw_build refuses before it touches anything (the register, the output, a directory):
 * a period that is not YYYY-Qn, a supersedes that is not a return ID (ASB_EUSAGE), and a
 * quarter that has not ended at opts->now unless opts->allow_open (ASB_EUSAGE, the message
 * saying when it ends): a return for it would count a quarter still under way, and its
 * figures would change after it was sent.  *ret (may be NULL) is the period parsed.
 */
int	 gw_build_check(const struct gw_build_opts *opts, struct rtn_period *ret,
	    struct asb_errbuf *eb);

/*
 * Build the return for a period: every record issued in it or with an event in it, its
 * events up to the period's end flagged in or out of it.  Written with a streaming writer to
 * a temporary file beside opts->out, validated (XSD and rules) before it counts as built,
 * fsynced, then renamed over opts->out.  Logs one disclosure in the register's audit log.
 * Errors: ASB_EUSAGE (gw_build_check's), ASB_ENOTFOUND (no register), ASB_ERULE (what was
 * built fails validation, or is larger than max_bytes (R-XML-003): nothing is left at
 * opts->out), ASB_EIO.
 */
int	 gw_build(const struct gw_build_opts *opts, struct gw_build_result *ret,
	    struct asb_errbuf *eb);

/* ---- corrections due ---------------------------------------------------------------------- */

struct outbox;

/* A period whose acknowledged return counted records voided since (asbreg void). */
struct gw_correction {
	char		 period[8];		/* "2026-Q1" */
	char		 return_id[37];		/* the latest return acknowledged for it */
	asb_time	 acknowledged_since;	/* when that return entered the outbox */
	uint64_t	 records;		/* records it counted, void now */
	uint64_t	 merged;		/* records it counted under a subject merged since
						 * (moved, or the kept subject's: repeat flags) */
};

/*
 * Which periods need a correction: for each period with a return the hub acknowledged and did
 * not reject (not a test), the records voided, or whose subject was merged with another,
 * after that return entered the outbox that belonged to the period (issued in it, or an event
 * in it).  ob is the open outbox, or NULL to
 * open REGISTER/outbox (no outbox there: nothing is due).  The register is opened for user as
 * "build" (the role policy's).  fn is called for each period due, in the outbox's order.
 * A return built before a void but submitted after it is not seen: build it again.
 * Errors: those of reg_open_as and ob_open, ASB_EIO.
 */
int	 gw_corrections_due(const char *register_dir, struct outbox *ob, const char *user,
	    void (*fn)(const struct gw_correction *, void *), void *ctx,
	    struct asb_errbuf *eb);

#endif
