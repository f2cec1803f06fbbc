/*
 * submit.h - a return file made ready for the outbox (asbgw submit), before anything is
 * stored: read whole (at most the hub's default body cap, ASB_HUB_MAX_BODY: a larger one
 * would be refused), parsed through the return's one entry point, and then
 *   - unsigned: signed here with the force's signing key, as 'asbgw sign' signs
 *     (rtn_sign_valid: the key the force's own and current, the return valid);
 *   - signed, and a CA given: its signature and force binding checked as the hub will check
 *     them, so nothing the hub must refuse is queued;
 * and its outbox entry (ID, force, period, test flag, SHA-256 and size of the bytes to send,
 * state "signed") filled.  Nothing is written anywhere: queueing is ob_add's (outbox.h).
 */
#ifndef GW_SUBMIT_H
#define GW_SUBMIT_H

#include <stddef.h>

#include "date.h"
#include "err.h"
#include "outbox.h"

struct gw_submit_opts {
	const char	*sign_key;	/* the force's signing key and certificate (PEM), for an */
	const char	*sign_cert;	/* unsigned return; NULL: an unsigned one is refused */
	const char	*ca;		/* verify a signed return against it; NULL: do not */
	asb_time	 now;		/* the entry's time added */
};

struct gw_submission {
	struct ob_entry	 e;		/* the outbox entry, state "signed" */
	char		*body;		/* the bytes to queue and send (owned) */
	size_t		 len;
	int		 xml;		/* body was made by libxml2 (signed here) */
};

/*
 * Make path ready for the outbox, into *ret (free with gw_submission_free, harmless after a
 * failure).  Errors:
 *   ASB_ERULE     larger than ASB_HUB_MAX_BODY (R-XML-003); refused by the parse (R-XML-00x);
 *                 not a return (R-XSD-006) or no return ID (R-XSD-001); not valid, when it
 *                 is to be signed here; a signature or binding the hub would refuse
 *                 (R-SIG-00x)
 *   ASB_EUSAGE    unsigned and no signing key given (R-SIG-001); the key and certificate
 *                 unreadable, not a pair, another force's (R-SIG-006) or expired
 *   ASB_EIO       the file cannot be read; out of memory; signing failed
 */
int	 gw_submission_load(const char *path, const struct gw_submit_opts *o,
	    struct gw_submission *ret, struct asb_errbuf *eb);
void	 gw_submission_free(struct gw_submission *s);

#endif
