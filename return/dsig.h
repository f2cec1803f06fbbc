/*
 * dsig.h - XML-DSig for returns and receipts (xmlsec1 with OpenSSL), hardened.
 *
 * A signature is enveloped, a direct child of the root, with exactly one Reference whose
 * URI is "" (the whole document), the enveloped and exclusive C14N transforms, SHA-256, and
 * ECDSA-P256-SHA256 or RSA-SHA256; the signer's certificate travels in X509Data and must
 * chain to the trusted CA.  Everything else - bare KeyValue keys, other references, other
 * algorithms, a second signature, a DOCTYPE - is refused (DEPENDENCY-NOTES.md section 2).
 *
 * Refusals are ASB_ERULE with one of these rule IDs in the error buffer:
 *   R-SIG-001  no signature
 *   R-SIG-002  the signature's shape: not exactly one, not a child of the root, a Reference
 *              other than URI="", an algorithm or transform not allowed, no certificate
 *   R-SIG-003  the signature does not verify: the document was altered after signing
 *   R-SIG-004  the signer's certificate is not trusted: another CA, expired, not yet valid,
 *              a CA certificate (basicConstraints CA:TRUE, keyCertSign), no keyUsage
 *              digitalSignature, or issued through a certificate the CA file does not hold
 * (R-SIG-005, the signer's registration, is the hub's; R-SIG-006, the force binding, is
 * rtn_check_binding's in rtn.h.)  The shape of what a Signature may hold is checked before any
 * of this, when the document is parsed (rtn_parse_mem, R-XML-004).
 */
#ifndef DSIG_H
#define DSIG_H

#include <stddef.h>

#include <libxml/tree.h>
#include <openssl/x509.h>

#include "err.h"

#define DSIG_NS		"http://www.w3.org/2000/09/xmldsig#"

struct dsig_signer {
	char	 cn[64];		/* the certificate's one subject CN */
	char	 fingerprint[65];	/* SHA-256 of its DER, lower-case hex */
	char	 not_after[32];		/* as OpenSSL prints it */
	int	 days_left;		/* until notAfter; negative once expired */
	int	 tls_client;		/* has extendedKeyUsage clientAuth */
};

/* Start and stop xmlsec1 (after rtn_init / before rtn_cleanup).  dsig_init fails with a
 * message when the library is not the one we were built for. */
int	 dsig_init(struct asb_errbuf *eb);
void	 dsig_cleanup(void);

/* A signing key with its certificate, loaded once (dsig_key_load) and then used from memory:
 * the hub loads its receipt key before it drops privileges, and no worker opens a key file.
 * Read-only after loading: any number of threads may sign with one at once. */
struct dsig_key;

/* Load a PEM private key (EC P-256 or RSA) and its PEM certificate.  ASB_EUSAGE when either
 * cannot be read, the key is of another kind, or the certificate is not the key's (their
 * public keys differ).  Free with dsig_key_free (harmless on NULL; cleanses the key). */
int	 dsig_key_load(const char *key_file, const char *cert_file, struct dsig_key **ret,
	    struct asb_errbuf *eb);
void	 dsig_key_free(struct dsig_key *k);
/* The certificate of a loaded key: its CN, fingerprint, notAfter.  Owned by k. */
const struct dsig_signer *dsig_key_signer(const struct dsig_key *k);

/* Append an enveloped signature to doc's root with a loaded key (the algorithm follows the
 * key).  The document is not inspected: rtn_sign (rtn.h) is the checked way to sign a
 * return.  ASB_EIO when xmlsec1 fails. */
int	 dsig_sign(xmlDocPtr doc, const struct dsig_key *k, struct asb_errbuf *eb);

/* Write doc exactly as it is (no reformatting: white space is signed) to path via a
 * temporary file, fsync and rename; mode 0600. */
int	 dsig_save(xmlDocPtr doc, const char *path, struct asb_errbuf *eb);
/* The same into memory; free *ret with xmlFree. */
int	 dsig_dump(xmlDocPtr doc, char **ret, size_t *len, struct asb_errbuf *eb);

/*
 * Verify doc's signature against the CA certificates in ca_file (PEM, one or more).  On
 * ASB_OK, signer describes the certificate that signed.  ASB_ERULE with R-SIG-00x otherwise;
 * ASB_EUSAGE when ca_file cannot be read.
 */
int	 dsig_verify_doc(xmlDocPtr doc, const char *ca_file, struct dsig_signer *signer,
	    struct asb_errbuf *eb);

/* Describe a certificate: exactly one CN (UTF-8, no NUL; else ASB_ERULE R-SIG-002), its
 * SHA-256 fingerprint, notAfter and days left.  The one place a certificate's CN is read. */
int	 dsig_x509_describe(X509 *cert, struct dsig_signer *ret, struct asb_errbuf *eb);

/* SHA-256 of a file's certificate (PEM) and its CN, as a signer; ASB_EUSAGE if unreadable. */
int	 dsig_cert_info(const char *cert_file, struct dsig_signer *ret, struct asb_errbuf *eb);
int	 dsig_cert_info_mem(const char *pem, size_t len, struct dsig_signer *ret,
	    struct asb_errbuf *eb);

/*
 * The certificate in cert_file (PEM) chains to a CA of ca_file and, when cn is not NULL,
 * names cn as its one CN (asbhub force add).  ASB_EUSAGE when it cannot be read or is not
 * PEM; ASB_ERULE R-SIG-006 for another CN, R-SIG-004 when it does not chain (expired, other
 * CA); ASB_EIO when the CA file cannot be used.  ret is filled on ASB_OK only.
 */
int	 dsig_cert_check(const char *cert_file, const char *ca_file, const char *cn,
	    struct dsig_signer *ret, struct asb_errbuf *eb);

/*
 * What a certificate may be used for.  Every certificate the project trusts is end-entity:
 * not CA:TRUE (basicConstraints may be absent, as RFC 5280 allows for a leaf; OpenSSL then
 * never accepts it as an issuer), no keyCertSign or cRLSign.  A signing certificate (returns,
 * receipts, refusals, asbhub force add) has keyUsage digitalSignature; a TLS client
 * certificate has extendedKeyUsage clientAuth and, when it has keyUsage, digitalSignature.
 * (That a TLS client certificate's CN names a force is the hub's, hub/peer.h.)
 */
enum dsig_use { DSIG_USE_SIGN, DSIG_USE_TLS_CLIENT };

/* ASB_ERULE (R-SIG-004 for signing, R-TLS-001 for TLS) saying what is missing. */
int	 dsig_x509_check_use(X509 *cert, enum dsig_use use, struct asb_errbuf *eb);

/* cert is issued by a certificate of ca_file itself, with no intermediate from elsewhere
 * (a chain through a force's CA:TRUE certificate, or any certificate a signature carried,
 * is refused) and is current.  ASB_ERULE R-SIG-004; ASB_EUSAGE when ca_file is unusable. */
int	 dsig_x509_check_direct(X509 *cert, const char *ca_file, struct asb_errbuf *eb);

/* Both, for a signer: dsig_x509_check_use(SIGN) and dsig_x509_check_direct.  dsig_verify_doc
 * applies it to every signature it accepts. */
int	 dsig_x509_check_signer(X509 *cert, const char *ca_file, struct asb_errbuf *eb);

/* dsig_cert_check for a given use (dsig_cert_check is DSIG_USE_SIGN): the use is checked
 * too, ASB_ERULE with its rule. */
int	 dsig_cert_check_use(const char *cert_file, const char *ca_file, const char *cn,
	    enum dsig_use use, struct dsig_signer *ret, struct asb_errbuf *eb);

/*
 * A detached signature over msg with a loaded key (SHA-256, ECDSA or RSA as the key is):
 * *ret_sig the signature and *ret_cert the key's certificate, each base64 (DER, one line),
 * for HTTP headers; free both.  ASB_EIO when signing fails.
 */
int	 dsig_detached_sign(const struct dsig_key *k, const void *msg, size_t len,
	    char **ret_sig, char **ret_cert, struct asb_errbuf *eb);
/*
 * Verify one: the certificate (base64 DER) passes dsig_x509_check_signer against ca_file
 * and, when cn is not NULL, names cn; the signature (base64) is its key's over msg.  On
 * ASB_OK *ret describes the certificate (its fingerprint, for a pin).  ASB_ERULE: R-SIG-001
 * either is missing (NULL), R-SIG-002 not base64 DER, R-SIG-004 the certificate, R-SIG-006
 * another CN, R-SIG-003 the signature does not match; ASB_EUSAGE ca_file unusable.
 */
int	 dsig_detached_verify(const char *cert_b64, const char *sig_b64, const void *msg,
	    size_t len, const char *ca_file, const char *cn, struct dsig_signer *ret,
	    struct asb_errbuf *eb);

/*
 * What the hub signs for a refusal and the force verifies (docs/protocol.md, "Signed
 * refusals"): "asb-refusal/1\n" STATUS "\n" NONCE "\n" REQUEST-SHA256 "\n" then the body
 * as answered.  NONCE is the request's ASB-Nonce header (lower-case hex, at most 64; NULL
 * or "" is written "-"), REQUEST-SHA256 the SHA-256 (64 hex) of the request's body as the
 * hub received it.  *ret is malloc'd (NUL after ret_len bytes).  -1 when a field has the
 * wrong shape or memory runs out.
 */
#define DSIG_REFUSAL_V1		"asb-refusal/1"
int	 dsig_refusal_message(int status, const char *nonce, const char *req_sha256,
	    const char *body, size_t len, char **ret, size_t *ret_len);

#endif
