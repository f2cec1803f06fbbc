/*
 * intake.h - what the hub does with one request, apart from HTTP: a submitted return goes
 * through size, parse, signature, signer registration, force binding, XSD and rules, in that
 * order, refusing at the first failure; a decided return is stored with its signed receipt.
 * The HTTP server (serve.c) and the tests both drive these functions.
 */
#ifndef HUB_INTAKE_H
#define HUB_INTAKE_H

#include <pthread.h>
#include <stddef.h>

#include "date.h"
#include "dsig.h"
#include "rtn.h"
#include "store.h"

struct hub {
	const char		*dir;
	char			 ca[4200];		/* DIR/ca.crt */
	char			 sign_key[4200];	/* DIR/sign.key */
	char			 sign_cert[4200];	/* DIR/sign.crt */
	struct dsig_key		*sign;			/* both, loaded by hub_open: the
							 * receipt key, read before the
							 * privilege drop, never by a worker */
	struct hub_store	*st;
	struct rtn_schema	*xsd;			/* compiled once, shared by workers */
	pthread_mutex_t		 decide;		/* supersession check to store */
	size_t			 max_body;		/* bytes */
	size_t			 max_findings;		/* in one receipt */
	unsigned		 time_budget_ms;	/* one intake's checks; 0 = none */
};

/* An HTTP answer: status, content type and a malloc'd body. */
struct hub_reply {
	int		 status;
	const char	*ctype;
	char		*body;
	size_t		 len;
	/* for the log line */
	char		 return_id[37];
	char		 outcome[32];	/* "accepted", "TEST accepted", "refused R-SIG-003"... */
	char		 detail[600];	/* for a 5xx: what failed, for the log */
	char		 retry_after[12];	/* a 503's Retry-After, seconds ("" = 30) */
	/* where an intake's time went, in ms (0 for a step not reached) */
	double		 ms_parse, ms_verify, ms_validate, ms_store;
};

/*
 * Fill h's paths from dir, load the receipt signing key and certificate (DIR/sign.key,
 * DIR/sign.crt) and open the store.  Call it while the key is still readable: asbhub serve
 * opens the hub before it drops root, and no worker opens a key file afterwards.
 * ASB_ENOTFOUND when there is no hub, ASB_EUSAGE when the key or certificate cannot be read
 * or do not match.  Defaults: max_body ASB_HUB_MAX_BODY, max_findings
 * ASB_MAX_RECEIPT_FINDINGS (asb_limits.h), time_budget_ms ASB_HUB_TIME_BUDGET_MS.
 */
int	 hub_open(struct hub *h, const char *dir, struct asb_errbuf *eb);
void	 hub_close(struct hub *h);

/*
 * POST /v1/returns: body as received (the last byte at `received`) from a client whose TLS
 * certificate names tls_cn.  Always fills out (free out->body).
 *   200  a signed receipt (accepted, or rejected with the report), stored; or the stored
 *        receipt when the same ID arrives again with the same bytes
 *   400  not XML, a DOCTYPE, a comment, PI, CDATA section or Signature content the
 *        signature does not cover (R-XML-004), not a return       (nothing stored)
 *   403  signature, signer or force binding refused               (nothing stored)
 *   409  the same ID with different bytes                         (nothing stored)
 *   413  larger than max_body                                     (nothing stored)
 *   503  the store failed, or the checks took longer than time_budget_ms (R-HUB-005):
 *        retry                                                    (nothing stored)
 */
void	 hub_intake(struct hub *h, const char *body, size_t len, const char *tls_cn,
	    asb_time received, struct hub_reply *out);

/* GET /v1/returns/{id}: the stored receipt, only to the force that sent it (else 404). */
void	 hub_get_receipt(struct hub *h, const char *id, const char *tls_cn,
	    struct hub_reply *out);

/* GET /v1/returns?period=P: the force's own returns as JSON. */
void	 hub_list_own(struct hub *h, const char *tls_cn, const char *period,
	    struct hub_reply *out);

/* A JSON refusal: {"state":"refused","status":N,"findings":[{rule, action, ...}]}. */
void	 hub_refuse(struct hub_reply *out, int status, const char *rule, const char *action,
	    const char *path, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
