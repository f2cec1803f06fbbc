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
 *   R-SIG-004  the signer's certificate is not trusted: another CA, expired, not yet valid
 * (R-SIG-005 and R-SIG-006, the signer's registration and force, are the caller's.)
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
};

/* Start and stop xmlsec1 (after rtn_init / before rtn_cleanup).  dsig_init fails with a
 * message when the library is not the one we were built for. */
int	 dsig_init(struct asb_errbuf *eb);
void	 dsig_cleanup(void);

/*
 * Parse an XML document for signing or verifying: no DTD loading, no entity substitution,
 * no network, default depth and size limits, white space kept (it is signed).  A DOCTYPE is
 * refused (R-XML-002), broken XML too (R-XML-001).  Free with xmlFreeDoc.
 */
int	 dsig_parse_mem(const char *buf, size_t len, const char *name, xmlDocPtr *ret,
	    struct asb_errbuf *eb);
int	 dsig_parse_file(const char *path, xmlDocPtr *ret, struct asb_errbuf *eb);

/* Append an enveloped signature to doc's root with the PEM key and certificate (the
 * algorithm follows the key: EC P-256 or RSA).  ASB_EUSAGE when the key or certificate
 * cannot be read or do not match. */
int	 dsig_sign_doc(xmlDocPtr doc, const char *key_file, const char *cert_file,
	    struct asb_errbuf *eb);

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

/* The text of the first element named name (in any namespace) under the root's first
 * child element named parent ("Header"), or "" - for reading a header from a DOM. */
void	 dsig_header_text(xmlDocPtr doc, const char *parent, const char *name, char *out,
	    size_t cap);

/* Describe a certificate: exactly one CN (UTF-8, no NUL; else ASB_ERULE R-SIG-002), its
 * SHA-256 fingerprint, notAfter and days left.  The one place a certificate's CN is read. */
int	 dsig_x509_describe(X509 *cert, struct dsig_signer *ret, struct asb_errbuf *eb);

/* SHA-256 of a file's certificate (PEM) and its CN, as a signer; ASB_EUSAGE if unreadable. */
int	 dsig_cert_info(const char *cert_file, struct dsig_signer *ret, struct asb_errbuf *eb);
int	 dsig_cert_info_mem(const char *pem, size_t len, struct dsig_signer *ret,
	    struct asb_errbuf *eb);

#endif
