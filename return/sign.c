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

/* What is checked before anything is signed: a return, unsigned, the key the force's own and
 * current. */
static int
may_sign(struct _xmlDoc *doc, const struct dsig_key *k, struct asb_errbuf *eb)
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
	return ASB_OK;
}

int
rtn_sign(struct _xmlDoc *doc, const struct dsig_key *k, struct asb_errbuf *eb)
{
	int err;

	if ((err = may_sign(doc, k, eb)) != ASB_OK)
		return err;
	return dsig_sign(doc, k, eb);
}

int
rtn_sign_valid(struct _xmlDoc *doc, const char *name, const struct dsig_key *k,
    const struct rtn_validate_opts *opts, struct rtn_validate_result *ret,
    struct asb_errbuf *eb)
{
	int err;

	memset(ret, 0, sizeof(*ret));
	/* the cheap refusals first: the validation of a large return takes seconds */
	if ((err = may_sign(doc, k, eb)) != ASB_OK)
		return err;
	if ((err = rtn_validate_doc(doc, name, opts, ret, eb)) != ASB_OK) {
		if (err == ASB_ERULE && ret->errors > 0)
			return asb_fail(eb, ASB_ERULE, NULL, "%s is not a valid return (%u "
			    "errors)", name, ret->errors);
		return err;
	}
	return dsig_sign(doc, k, eb);
}

int
rtn_verify(struct _xmlDoc *doc, const char *ca_file, struct rtn_header *hd,
    struct dsig_signer *who, struct asb_errbuf *eb)
{
	int err;

	if ((err = rtn_header_read(doc, hd, eb)) != ASB_OK ||
	    (err = dsig_verify_doc(doc, ca_file, who, eb)) != ASB_OK)
		return err;
	return rtn_check_binding(hd->force, who->cn, eb);
}
