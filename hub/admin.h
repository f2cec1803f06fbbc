/*
 * admin.h - the hub's administration: a hub directory made (asbhub init), and a force's
 * return-signing certificate registered or revoked (asbhub force add, revoke).  Everything
 * about the certificates themselves (reading, the chain, the CN) is the return library's
 * (dsig.h); what is stored is the store's (store.h).
 *
 * Functions return an enum asb_err and fill eb (may be NULL); nothing here prints.
 */
#ifndef HUB_ADMIN_H
#define HUB_ADMIN_H

#include "date.h"
#include "dsig.h"
#include "err.h"

struct hub_create_opts {
	const char	*dir;		/* the hub directory, made when it does not exist */
	const char	*ca;		/* the CA of forces' and the hub's certificates (PEM) */
	const char	*tls_cert;	/* the HTTPS certificate and key */
	const char	*tls_key;
	const char	*sign_cert;	/* the receipt signing certificate and key: a pair */
	const char	*sign_key;
};

/*
 * Make a hub: DIR/ca.crt, tls.crt, tls.key, sign.crt, sign.key (keys mode 0600, each
 * written whole or not at all; the copy of a key in memory is cleansed) and an empty store
 * in DIR/store.  ASB_ECONFLICT when DIR holds a hub already; ASB_EUSAGE when a file cannot
 * be read, a certificate is not PEM, or the signing key and certificate are not a pair
 * (nothing is made); ASB_EIO when DIR or a file cannot be written.
 */
int	 hub_create(const struct hub_create_opts *o, struct asb_errbuf *eb);

/*
 * Register cert_file (PEM) as a return-signing certificate of force code (a code of
 * schema/codes/forces.tsv) in the hub at dir: it must chain to DIR/ca.crt and name the force
 * as its one CN.  *ret describes it.  ASB_EUSAGE for an unknown code or an unreadable
 * certificate; ASB_ENOTFOUND when dir holds no hub; ASB_ERULE R-SIG-006 (another CN) or
 * R-SIG-004 (another CA, expired); ASB_ECONFLICT when it is registered already.
 */
int	 hub_force_add(const char *dir, const char *code, const char *cert_file, asb_time now,
	    struct dsig_signer *ret, struct asb_errbuf *eb);

/*
 * Register cert_file as a TLS client certificate of force code (asbhub force add --tls-cert):
 * it must chain to DIR/ca.crt, name the force as its one CN and be end-entity with
 * extendedKeyUsage clientAuth (dsig.h).  From then on the force connects only with the TLS
 * certificates it registers (peer.h).  Errors as hub_force_add; ASB_ERULE R-TLS-001 for a
 * certificate unfit for TLS; ASB_ECONFLICT when registered or revoked already.
 */
int	 hub_force_add_tls(const char *dir, const char *code, const char *cert_file,
	    asb_time now, struct dsig_signer *ret, struct asb_errbuf *eb);

/* The roles a certificate is revoked in. */
#define HUB_ROLE_SIGN	1u	/* a registered signing certificate: its returns refused */
#define HUB_ROLE_TLS	2u	/* a TLS client certificate: its connections refused */

/*
 * Revoke force code's certificate cert_file in the roles asked for (HUB_ROLE_SIGN and/or
 * HUB_ROLE_TLS): as a signing certificate when it is one registered for code, every return
 * it signs refused from now on; as a TLS client certificate, when roles is HUB_ROLE_TLS alone
 * or the certificate has clientAuth and names code, every connection it makes refused from
 * the next one on (recorded even when it was never registered).  *ret describes it and
 * *ret_roles says in which roles it was revoked.  ASB_EUSAGE for an unknown code or an
 * unreadable certificate; ASB_ENOTFOUND when dir holds no hub or the force has no such
 * certificate; ASB_ERULE R-SIG-006 when a TLS certificate names another force;
 * ASB_ECONFLICT when it is revoked already.
 */
int	 hub_force_revoke(const char *dir, const char *code, const char *cert_file,
	    unsigned roles, asb_time now, struct dsig_signer *ret, unsigned *ret_roles,
	    struct asb_errbuf *eb);

#endif
