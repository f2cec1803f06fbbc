/*
 * peer.h - who may connect to the hub, and the hub's word on its refusals.
 *
 * OpenSSL checks that a client certificate chains to DIR/ca.crt; this adds the hub's policy,
 * at depth 0 of that check, so a certificate it refuses ends the TLS handshake (nothing is
 * read from that client):
 *   - exactly one CN, naming a force of schema/codes/forces.tsv;
 *   - end-entity, with extendedKeyUsage clientAuth (dsig_x509_check_use, dsig.h);
 *   - issued by a certificate of DIR/ca.crt itself, not through one the client sent (a
 *     force's CA:TRUE certificate cannot mint certificates for another force);
 *   - read from the store on every connection (one LMDB read transaction): not revoked,
 *     and registered for its force when the force registers any TLS certificate; a force
 *     that registers none is let in as before, with a warning in the log each time.
 * TLS session resumption is turned off, so every connection is checked against the store
 * as it is then: a revocation takes effect on the next connection, without a restart.
 *
 * Refusals: every answer of status 400 or more carries a detached signature by the hub's
 * receipt key (docs/protocol.md, "Signed refusals"), so that a force quarantines a return
 * only on a refusal the hub itself made; an answer from anything in between (a proxy's 400
 * or 404) is retried.
 */
#ifndef HUB_PEER_H
#define HUB_PEER_H

#include <stddef.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "intake.h"

struct evhttp_request;

/*
 * The policy for a client certificate whose chain OpenSSL verified; untrusted is how many
 * certificates of the chain came from the client (X509_STORE_CTX_get_num_untrusted; 1: the
 * leaf alone).  ASB_OK with ret_cn (its force) and *ret_warn 1 when it was let in only
 * because its force registers no TLS certificate; ASB_ERULE R-TLS-001 (not fit: CA, no
 * clientAuth, CN not a force, a chain through another certificate), R-TLS-002 (revoked, or
 * not registered for a force that registers some) with why in eb; ASB_EIO when the store
 * cannot be read (refused too).
 */
int	 hub_peer_admit(struct hub_store *st, X509 *leaf, int untrusted, char ret_cn[64],
	    int *ret_warn, struct asb_errbuf *eb);

/* Install the policy on ctx, after its verify mode and callback are set: the chain is
 * verified by OpenSSL (calling the verify callback set before, whose verdict stands), then
 * hub_peer_admit on the leaf, each refusal logged on stderr.  Borrows nothing else of the
 * SSL_CTX (its app data is the connection layer's).  Turns off session resumption.
 * ASB_EIO on failure. */
int	 hub_peer_tls_setup(SSL_CTX *ctx, const struct hub *h, struct asb_errbuf *eb);

/* Before an answer of status >= 400 is sent, and while the request's body is still in its
 * input buffer: add the ASB-Signature and ASB-Signer headers, signed with h's receipt key,
 * over (status, the request's ASB-Nonce, the SHA-256 of the request's body, body).  Does
 * nothing for other answers or when signing fails. */
void	 hub_peer_seal(const struct hub *h, struct evhttp_request *req, int status,
	    const char *body, size_t len);

#endif
