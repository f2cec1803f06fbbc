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

#include "asb_limits.h"
#include "date.h"
#include "err.h"

#define RTN_NS		"urn:uk:gov:homeoffice:asb-powers:return:1"
/* The version written (Header/SchemaVersion): 1.1 adds optional elements in the same
 * namespace (docs/return-format.md); 1.0 and 1.1 are both accepted, and a return that
 * says 1.0 but uses what 1.1 added is refused (R-RTN-005). */
#define RTN_SCHEMA_VERSION	"1.1"
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

/* The band of the national return for an age in whole years (schema/codes/agebands.tsv), or
 * NULL when no band holds it (under 10).  Static storage. */
const char *rtn_age_band(int age);
/* The oldest age a band holds (RTN_AGE_OPEN for the open-ended last one), or -1 when band is
 * not a code of the list: what the statutory minimum-age rules need to know. */
#define RTN_AGE_OPEN	150
int	 rtn_age_band_max(const char *band);

/* ---- the one XML entry point, and the header ------------------------------------------------ */

struct _xmlDoc;

/*
 * Parse a return or a receipt held in memory into a tree, the only way either enters as one:
 * no DTD loading, no entity substitution, no network, white space kept (it is signed), at
 * most ASB_HUB_MAX_BODY_CEILING bytes (the caller caps a body before it is read; see
 * asb_limits.h).  Refused with ASB_ERULE and a rule ID, before any costly work:
 *   R-XML-001  not well-formed, or no root element
 *   R-XML-002  a DOCTYPE
 *   R-XML-003  too large
 *   R-XML-004  a comment, a processing instruction, a CDATA section or an entity reference
 *              anywhere (prolog and epilogue included; the XML declaration is not a PI),
 *              or a ds:Signature holding anything but SignedInfo, SignatureValue and
 *              KeyInfo (ds:Object refused), a KeyInfo holding anything but X509Data, an
 *              X509Data holding anything but X509Certificate, or more than
 *              ASB_MAX_SIG_CERTS certificates: what C14N or the enveloped transform leaves
 *              out of the signature cannot be in what is stored
 * name labels messages.  *ret (free with xmlFreeDoc) is set only on ASB_OK; ASB_EIO when
 * out of memory.
 */
int	 rtn_parse_mem(const char *buf, size_t len, const char *name, struct _xmlDoc **ret,
	    struct asb_errbuf *eb);
/* The same from a file of at most max bytes (0: a signed return of ASB_MAX_RETURN_BYTES);
 * ASB_ENOTFOUND when it cannot be read, R-XML-003 when it is larger. */
int	 rtn_parse_file(const char *path, uint64_t max, struct _xmlDoc **ret,
	    struct asb_errbuf *eb);

/* A return's header as both ends read it: fields as written (cut to fit; the XSD bounds
 * every one), "" when absent. */
struct rtn_header {
	char		 force[16];
	char		 period[8];
	char		 schema_version[8];
	char		 generator[64];		/* Generator/@name */
	char		 generator_version[64];	/* Generator/@version */
	char		 created[32];
	char		 return_id[37];
	char		 supersedes[37];
	int		 test;			/* xs:boolean: "true" or "1" */
	int		 have_test;		/* Test present and a legal xs:boolean */
	uint64_t	 record_count;
	int		 have_record_count;
	int		 is_signed;		/* a ds:Signature is a child of the root */
};

/*
 * The one reader of a header, over a tree from rtn_parse_*: ASB_ERULE R-XSD-006 when the
 * root is not Return in RTN_NS; otherwise ASB_OK with *ret filled (a missing or illegal
 * field stays empty or 0 for the XSD to report).
 */
int	 rtn_header_read(struct _xmlDoc *doc, struct rtn_header *ret, struct asb_errbuf *eb);

/* xs:boolean: "true" or "1" (1), "false" or "0" (0), white space around allowed; -1 for
 * anything else, *ret untouched. */
int	 rtn_xs_boolean(const char *s, int *ret);

/* ---- signing and the force binding ------------------------------------------------------- */

struct dsig_key;

/* The force binding: the signer's certificate names (as its one CN) the header's force.
 * ASB_ERULE R-SIG-006 otherwise (or when the header names no force). */
int	 rtn_check_binding(const char *force, const char *signer_cn, struct asb_errbuf *eb);

/*
 * Sign a return (a tree from rtn_parse_*) with a loaded key, the one way both commands sign:
 * ASB_ERULE R-XSD-006 when it is not a return, ASB_ECONFLICT when it is signed already,
 * ASB_EUSAGE (R-SIG-006) when the key's certificate is another force's, ASB_EUSAGE when it
 * has expired, ASB_EIO when signing fails.  Validating first is the caller's (rtn_validate).
 */
int	 rtn_sign(struct _xmlDoc *doc, const struct dsig_key *k, struct asb_errbuf *eb);

struct dsig_signer;

/*
 * Verify a signed return (a tree from rtn_parse_*) as both ends check it before trusting it:
 * its header read into hd (ASB_ERULE R-XSD-006 when it is not a return), its signature by a
 * certificate chaining to ca_file, described in who (dsig_verify_doc: ASB_ERULE R-SIG-001 to
 * R-SIG-004, ASB_EUSAGE when ca_file cannot be read), and the force binding (R-SIG-006).  hd
 * and who are filled as far as the checks got.  (The hub's intake adds the signer's
 * registration between the signature and the binding.)
 */
int	 rtn_verify(struct _xmlDoc *doc, const char *ca_file, struct rtn_header *hd,
	    struct dsig_signer *who, struct asb_errbuf *eb);

struct rtn_validate_opts;
struct rtn_validate_result;

/*
 * The one way a force's command signs (asbgw sign, asbgw submit): rtn_sign's refusals first
 * (they are cheap), then the tree validated as rtn_validate_doc does, findings to opts's
 * callback, and only a valid return signed.  ASB_ERULE with ret->errors > 0 (and eb saying
 * "NAME is not a valid return (N errors)") when it is not valid: nothing is signed.  ret
 * describes the return (ID, records, counts) once validation ran.
 */
int	 rtn_sign_valid(struct _xmlDoc *doc, const char *name, const struct dsig_key *k,
	    const struct rtn_validate_opts *opts, struct rtn_validate_result *ret,
	    struct asb_errbuf *eb);

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
	uint64_t	 max_bytes;	/* a larger return is refused (R-XML-003): 0 =
					 * ASB_MAX_RETURN_BYTES, what the hub accepts */
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
int	 rtn_validate_doc(struct _xmlDoc *doc, const char *name,
	    const struct rtn_validate_opts *opts, struct rtn_validate_result *ret,
	    struct asb_errbuf *eb);

/* ---- explanations -------------------------------------------------------------------------- */

/* A force's notes on its warnings, in Header/Explanations (1.1, docs/return-format.md): at
 * most this many (the XSD's maxOccurs), each at most this many characters (its maxLength). */
#define RTN_MAX_EXPLANATIONS	ASB_MAX_EXPLANATIONS		/* asb_limits.h */
#define RTN_EXPLANATION_MAX	ASB_MAX_EXPLANATION_CHARS
/* The one explanation that is not a validation warning's: the data-quality flag on the
 * change in uses against the quarter before or the year before (asbgw build's summary, the
 * hub's compliance view), as in "the rise is a new PSPO in the city centre". */
#define RTN_RULE_VOLUME		"R-DQ-001"

/*
 * The explanations of a return held in memory, in document order, to fn (rule and text
 * borrowed for the call; the text's white space collapsed as xs:token's is): a stream that
 * stops at the end of the Header.  For a return already validated (the hub's stored one):
 * what the XSD refuses is not checked again.  ASB_ERULE R-XML-001 when the bytes up to the
 * end of the Header are not well-formed, ASB_EIO when out of memory.
 */
int	 rtn_explanations_read(const char *buf, size_t len, const char *name,
	    void (*fn)(const char *rule, const char *text, void *ctx), void *ctx,
	    struct asb_errbuf *eb);

/* Library setup and teardown (libxml2); call once each from main. */
void	 rtn_init(void);
void	 rtn_cleanup(void);

#endif
