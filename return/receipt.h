/*
 * receipt.h - the Home Office's signed receipt for a return: made by asbhub, verified and
 * kept by asbgw.  docs/protocol.md describes the format.
 */
#ifndef RECEIPT_H
#define RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rtn.h"

#define RECEIPT_NS		"urn:uk:gov:homeoffice:asb-powers:receipt:1"
#define RECEIPT_SIGNER		"asbhub-receipts"	/* the CN of the hub's signing cert */

struct receipt {
	char		 return_id[37];
	char		 force[16];
	char		 period[8];
	int		 test;
	char		 state[16];	/* "accepted" or "rejected" */
	char		 sha256[65];	/* of the bytes the hub received */
	uint64_t	 bytes;
	char		 received[32];	/* when the last byte arrived (UTC, ISO 8601) */
	char		 decided[32];	/* when it was accepted or rejected */
	char		 supersedes[37];
	uint64_t	 records;
	unsigned	 errors, warnings;
	char		 signer[65];	/* SHA-256 of the certificate that signed it (a pin's) */
};

/* What a finding asks the force to do. */
#define ACTION_FIX	"fix-data"	/* a schema or business rule: correct and resubmit */
#define ACTION_RETRY	"retry"		/* transient: send the same bytes again later */
#define ACTION_RESUBMIT	"resubmit"	/* refused whole: make and send a new return */

/* The state as people and tools see it: "accepted", or "TEST accepted" for a test return. */
const char *receipt_state_label(const struct receipt *r, char *buf, size_t cap);

/* An XPath-like location for a finding: /Return/Records/Record[@id='...'] or /Return. */
void	 receipt_path(const struct rtn_finding *f, char *buf, size_t cap);

/*
 * Make the signed receipt: r's fields and the findings, signed with the hub's key and
 * certificate, loaded once (dsig_key_load) before the hub dropped its privileges: no file is
 * opened here.  *ret is allocated by libxml2 (free it with xmlFree).  ASB_EIO when signing
 * fails.
 */
struct dsig_key;
int	 receipt_make(const struct receipt *r, const struct rtn_finding *f, size_t nf,
	    const struct dsig_key *key, char **ret, size_t *len, struct asb_errbuf *eb);

/*
 * Verify a receipt: signature (R-SIG-00x) by a certificate from ca_file whose CN is signer
 * (RECEIPT_SIGNER when NULL), then read its fields into r; each finding goes to fn (may be
 * NULL) with its action.  ASB_ERULE when it is not a valid receipt.
 */
int	 receipt_verify(const char *buf, size_t len, const char *ca_file, const char *signer,
	    struct receipt *r,
	    void (*fn)(const struct rtn_finding *f, const char *action, void *ctx),
	    void *ctx, struct asb_errbuf *eb);

#endif
