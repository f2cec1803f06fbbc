/*
 * sign.c - signing a return, and the force binding, written once for both ends: the signer's
 * certificate must name, as its one CN, the force in the return's header (a force may only
 * sign, and the hub only accept, the force's own return).
 */
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "dsig.h"
#include "rtn.h"

int
rtn_check_binding(const char *force, const char *signer_cn, struct asb_errbuf *eb)
{
	if (force == NULL || force[0] == '\0')
		return asb_fail(eb, ASB_ERULE, "R-SIG-006", "the header names no force, "
		    "so it cannot be bound to the signer '%s'", signer_cn);
	if (strcmp(force, signer_cn) != 0)
		return asb_fail(eb, ASB_ERULE, "R-SIG-006", "the signing certificate is "
		    "'%s' but the header names force '%s': a force signs only its own "
		    "return, with its own certificate", signer_cn, force);
	return ASB_OK;
}

int
rtn_sign(struct _xmlDoc *doc, const struct dsig_key *k, struct asb_errbuf *eb)
{
	const struct dsig_signer *who = dsig_key_signer(k);
	struct rtn_header h;
	int err;

	if ((err = rtn_header_read(doc, &h, eb)) != ASB_OK)
		return err;
	if (h.is_signed)
		return asb_fail(eb, ASB_ECONFLICT, NULL, "return %s is signed already",
		    h.return_id);
	if (rtn_check_binding(h.force, who->cn, eb) != ASB_OK)
		return ASB_EUSAGE;	/* the key given is the wrong one: a usage error */
	if (who->days_left < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "the signing certificate of %s "
		    "expired on %s: ask for a new signing certificate", who->cn,
		    who->not_after);
	return dsig_sign(doc, k, eb);
}
