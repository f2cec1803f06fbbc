/*
 * client.h - submission to the hub over mutually authenticated HTTPS (libcurl, OpenSSL),
 * and the outbox's delivery step.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stddef.h>

#include "date.h"
#include "err.h"
#include "outbox.h"

struct gw_tls {
	const char	*url;		/* the hub's base URL, https://host:port */
	const char	*cert, *key;	/* the force's TLS client certificate and key */
	const char	*ca;		/* the CA that signs the hub and its receipts */
	const char	*receipt_signer;	/* CN of the receipt key; NULL: asbhub-receipts */
	/* The pins of the hub's receipt certificate, as the settings give them: receipt-cert
	 * FILE[,FILE] and receipt-fingerprint HEX[,HEX] (comma-separated; SHA-256 of the
	 * certificate, colons, capitals and the "sha256 Fingerprint=" of openssl x509
	 * -fingerprint -sha256 allowed).  Together at
	 * most GW_MAX_PINS (two at once: the current key and the next, for rotation).  None:
	 * any certificate of ca with CN receipt_signer is trusted, as before pins. */
	const char	*receipt_cert, *receipt_fingerprint;
	long		 timeout;	/* seconds for a whole request (0: 600) */
	long		 connect_timeout;	/* seconds to connect, TLS included (0: 60):
					 * a busy hub leaves new connections waiting */
};

#define GW_MAX_PINS	4

/* The answer's authentication (docs/protocol.md, "Signed refusals"). */
struct gw_auth {
	char	 nonce[33];	/* the ASB-Nonce gw_http sent: 16 random bytes, hex */
	char	*sig, *cert;	/* the answer's ASB-Signature and ASB-Signer, malloc'd, or NULL */
};
void	 gw_auth_free(struct gw_auth *a);

/*
 * The pins of t (receipt-cert, receipt-fingerprint) as fingerprints; *n 0 when none is set.
 * ASB_EUSAGE for a fingerprint that is not 64 hex digits, a file that is not a PEM
 * certificate, or more than GW_MAX_PINS.
 */
int	 gw_pins(const struct gw_tls *t, char ret[GW_MAX_PINS][65], int *n,
	    struct asb_errbuf *eb);

/* fingerprint (of a receipt's or a refusal's signer) is one t pins, or t pins none:
 * ASB_OK.  ASB_ERULE R-RCP-004 when it is not pinned; ASB_EUSAGE for bad pins. */
int	 gw_pin_check(const struct gw_tls *t, const char *fingerprint, struct asb_errbuf *eb);

/*
 * An answer of status >= 400 is the hub's own: signed (auth->sig, auth->cert) by a
 * certificate of t->ca named t->receipt_signer (default asbhub-receipts), end-entity with
 * digitalSignature and pinned when t pins, over (status, auth->nonce, req_sha256, the
 * answer's body).  ASB_OK, or ASB_ERULE with why (R-SIG-00x, R-RCP-004).
 */
int	 gw_refusal_verify(const struct gw_tls *t, const struct gw_auth *auth, long status,
	    const char *req_sha256, const char *resp, size_t rlen, struct asb_errbuf *eb);

/* Call once from main before any request; and clean up at the end. */
int	 gw_client_init(struct asb_errbuf *eb);
void	 gw_client_cleanup(void);

/*
 * One request: POST body to url+path when body is not NULL, else GET.  *status is the HTTP
 * status (0 when none arrived); *resp the answer (malloc'd, at most 16 MiB).  With auth
 * (may be NULL) a fresh ASB-Nonce is sent and the answer's signature headers kept there
 * (free with gw_auth_free, also after a failure).  ASB_EIO for network and TLS failures
 * (retry may help), ASB_EUSAGE for a bad URL or unreadable keys.
 */
int	 gw_http(const struct gw_tls *t, const char *path, const char *body, size_t len,
	    long *status, char **resp, size_t *rlen, struct gw_auth *auth,
	    struct asb_errbuf *eb);

/*
 * Deliver one outbox entry now, whatever its schedule: mark it sending (durably), POST it,
 * and record the outcome - acknowledged or rejected with the verified (and pinned) receipt,
 * rejected with the hub's refusal on a 4xx the hub signed (gw_refusal_verify), or back to
 * signed with the next try after a backoff on a network failure, a 5xx, a receipt that does
 * not verify or is not pinned, or any other answer (an unsigned 400 or 404, as a proxy in
 * between might send: last_error says so).  *e is the entry afterwards.
 * ASB_OK when the hub decided (either way), ASB_EIO when it stays queued.
 */
int	 gw_send_one(struct outbox *ob, const struct gw_tls *t, const char *id, asb_time now,
	    struct ob_entry *e, struct asb_errbuf *eb);

#endif
