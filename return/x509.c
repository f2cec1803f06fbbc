/*
 * x509.c - certificates and keys for XML-DSig: the one place a certificate's CN is read, the
 * check that a certificate chains to a CA and names whom it should (asbhub force add), and a
 * signing key loaded once, with its certificate, before any privilege is dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdint.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "afile.h"
#include "asb_limits.h"
#include "dsig.h"
#include "dsig_key.h"

/* Put "what: " before eb's message, keeping its rule; returns err. */
static int
prefix(struct asb_errbuf *eb, int err, const char *what)
{
	char msg[ASB_ERRBUF_MSG], rule[sizeof(eb->rule)];

	if (eb == NULL)
		return err;
	snprintf(msg, sizeof(msg), "%s", eb->msg);
	snprintf(rule, sizeof(rule), "%s", eb->rule);
	return asb_fail(eb, err, rule, "%s: %s", what, msg);
}

int
dsig_x509_describe(X509 *cert, struct dsig_signer *s, struct asb_errbuf *eb)
{
	unsigned char md[EVP_MAX_MD_SIZE], *utf8 = NULL;
	unsigned int mdlen = 0, i;
	X509_NAME *subj = X509_get_subject_name(cert);
	int idx, n;
	BIO *b;

	memset(s, 0, sizeof(*s));
	if (X509_digest(cert, EVP_sha256(), md, &mdlen) != 1)
		return asb_fail(eb, ASB_EIO, NULL, "cannot hash the certificate");
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(s->fingerprint + 2 * i, 3, "%02x", md[i]);
	/* exactly one CN, UTF-8, no NUL inside */
	idx = X509_NAME_get_index_by_NID(subj, NID_commonName, -1);
	if (idx < 0 || X509_NAME_get_index_by_NID(subj, NID_commonName, idx) >= 0)
		return asb_fail(eb, ASB_ERULE, "R-SIG-002", "the signer's "
		    "certificate must name exactly one CN");
	n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(
	    X509_NAME_get_entry(subj, idx)));
	if (n < 0 || (size_t)n >= sizeof(s->cn) || memchr(utf8, '\0', (size_t)n)) {
		OPENSSL_free(utf8);
		return asb_fail(eb, ASB_ERULE, "R-SIG-002", "the signer's CN is "
		    "not a plain name");
	}
	memcpy(s->cn, utf8, (size_t)n);
	OPENSSL_free(utf8);
	s->tls_client = (X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) &&
	    (X509_get_extended_key_usage(cert) & XKU_SSL_CLIENT);
	if ((b = BIO_new(BIO_s_mem())) != NULL) {
		char *p;
		long l;

		ASN1_TIME_print(b, X509_get0_notAfter(cert));
		l = BIO_get_mem_data(b, &p);
		if (l > 0)
			snprintf(s->not_after, sizeof(s->not_after), "%.*s", (int)l, p);
		BIO_free(b);
	}
	{
		int days = 0, secs = 0;

		if (ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(cert)) == 1)
			s->days_left = days < 0 ? days : secs < 0 ? -1 : days;
	}
	return ASB_OK;
}

int
dsig_cert_info_mem(const char *pem, size_t len, struct dsig_signer *ret,
    struct asb_errbuf *eb)
{
	BIO *b = BIO_new_mem_buf(pem, (int)len);
	X509 *c = b != NULL ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	int err;

	BIO_free(b);
	if (c == NULL)
		return asb_fail(eb, ASB_EUSAGE, NULL, "not a PEM certificate");
	err = dsig_x509_describe(c, ret, eb);
	X509_free(c);
	return err;
}

int
dsig_cert_info(const char *cert_file, struct dsig_signer *ret, struct asb_errbuf *eb)
{
	char *pem;
	size_t len;
	int err;

	if ((err = asb_read_file(cert_file, ASB_MAX_PEM, &pem, &len, eb)) != ASB_OK)
		return err == ASB_ENOTFOUND ? ASB_EUSAGE : err;
	err = dsig_cert_info_mem(pem, len, ret, eb);
	free(pem);
	if (err == ASB_EUSAGE)
		asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a PEM certificate", cert_file);
	return err;
}

int
dsig_cert_check(const char *cert_file, const char *ca_file, const char *cn,
    struct dsig_signer *ret, struct asb_errbuf *eb)
{
	return dsig_cert_check_use(cert_file, ca_file, cn, DSIG_USE_SIGN, ret, eb);
}

int
dsig_cert_check_use(const char *cert_file, const char *ca_file, const char *cn,
    enum dsig_use use, struct dsig_signer *ret, struct asb_errbuf *eb)
{
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;
	X509 *cert = NULL;
	struct dsig_signer who;
	char *pem;
	size_t len;
	BIO *b;
	int err;

	if ((err = asb_read_file(cert_file, ASB_MAX_PEM, &pem, &len, eb)) != ASB_OK)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: cannot read it", cert_file);
	if ((b = BIO_new_mem_buf(pem, (int)len)) != NULL)
		cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	free(pem);
	if (cert == NULL)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a PEM certificate",
		    cert_file);
	if ((err = dsig_x509_describe(cert, &who, eb)) != ASB_OK)
		goto out;
	if ((err = dsig_x509_check_use(cert, use, eb)) != ASB_OK) {
		prefix(eb, err, cert_file);
		goto out;
	}
	if (cn != NULL && strcmp(who.cn, cn) != 0) {
		err = asb_fail(eb, ASB_ERULE, "R-SIG-006", "%s names '%s', not "
		    "force %s", cert_file, who.cn, cn);
		goto out;
	}
	if ((store = X509_STORE_new()) == NULL ||
	    X509_STORE_load_file(store, ca_file) != 1 ||
	    (ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, store, cert, NULL) != 1)
		err = asb_fail(eb, ASB_EIO, NULL, "cannot check %s against %s",
		    cert_file, ca_file);
	else if (X509_verify_cert(ctx) != 1)
		err = asb_fail(eb, ASB_ERULE, "R-SIG-004", "%s does not chain to the "
		    "CA of %s: %s", cert_file, ca_file, X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
	else
		*ret = who;
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(cert);
	return err;
}

/* ---- a signing key, loaded once -------------------------------------------------------------- */

void
dsig_key_free(struct dsig_key *k)
{
	if (k == NULL)
		return;
	if (k->key_pem != NULL) {
		OPENSSL_cleanse(k->key_pem, k->key_len);
		free(k->key_pem);
	}
	free(k->cert_pem);
	EVP_PKEY_free(k->pkey);
	free(k->cert_b64);
	free(k);
}

static char *b64_encode(const unsigned char *p, size_t n);

int
dsig_key_load(const char *key_file, const char *cert_file, struct dsig_key **ret,
    struct asb_errbuf *eb)
{
	struct dsig_key *k;
	EVP_PKEY *pkey = NULL;
	X509 *cert = NULL;
	BIO *b;
	int err, type;

	*ret = NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	snprintf(k->key_file, sizeof(k->key_file), "%s", key_file);
	snprintf(k->cert_file, sizeof(k->cert_file), "%s", cert_file);
	if ((err = asb_read_file(key_file, ASB_MAX_PEM, &k->key_pem, &k->key_len,
	    eb)) != ASB_OK) {
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s: cannot read the signing key",
		    key_file);
		goto fail;
	}
	if ((err = asb_read_file(cert_file, ASB_MAX_PEM, &k->cert_pem, &k->cert_len,
	    eb)) != ASB_OK) {
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s: cannot read the signing "
		    "certificate", cert_file);
		goto fail;
	}
	if ((b = BIO_new_mem_buf(k->key_pem, (int)k->key_len)) != NULL)
		pkey = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	if (pkey == NULL) {
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a readable PEM private "
		    "key", key_file);
		goto fail;
	}
	if ((b = BIO_new_mem_buf(k->cert_pem, (int)k->cert_len)) != NULL)
		cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	if (cert == NULL) {
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a PEM certificate",
		    cert_file);
		goto fail;
	}
	type = EVP_PKEY_get_base_id(pkey);
	if (type != EVP_PKEY_EC && type != EVP_PKEY_RSA) {
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s: the key must be EC P-256 "
		    "or RSA", key_file);
		goto fail;
	}
	/* a certificate that is not this key's would sign with one and name the other */
	if (X509_check_private_key(cert, pkey) != 1) {
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s is not the certificate of the "
		    "key %s: give the pair issued together", cert_file, key_file);
		goto fail;
	}
	if ((err = dsig_x509_describe(cert, &k->signer, eb)) != ASB_OK)
		goto fail;
	/* a key whose certificate cannot sign would make signatures every verifier refuses */
	if (dsig_x509_check_use(cert, DSIG_USE_SIGN, eb) != ASB_OK) {
		err = prefix(eb, ASB_EUSAGE, cert_file);
		goto fail;
	}
	{
		unsigned char *der = NULL;
		int dlen = i2d_X509(cert, &der);

		k->cert_b64 = dlen > 0 ? b64_encode(der, (size_t)dlen) : NULL;
		OPENSSL_free(der);
		if (k->cert_b64 == NULL) {
			err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
			goto fail;
		}
	}
	k->pkey = pkey;
	X509_free(cert);
	*ret = k;
	return ASB_OK;
fail:
	EVP_PKEY_free(pkey);
	X509_free(cert);
	dsig_key_free(k);
	return err;
}

const struct dsig_signer *
dsig_key_signer(const struct dsig_key *k)
{
	return &k->signer;
}

/* ---- what a certificate may be used for ------------------------------------------------------ */

int
dsig_x509_check_use(X509 *cert, enum dsig_use use, struct asb_errbuf *eb)
{
	uint32_t flags = X509_get_extension_flags(cert);
	uint32_t ku = X509_get_key_usage(cert);
	uint32_t xku = X509_get_extended_key_usage(cert);
	const char *what = use == DSIG_USE_TLS_CLIENT ? "TLS client" : "signing";
	const char *rule = use == DSIG_USE_TLS_CLIENT ? "R-TLS-001" : "R-SIG-004";

	if (flags & EXFLAG_INVALID)
		return asb_fail(eb, ASB_ERULE, rule, "the %s certificate has extensions "
		    "OpenSSL cannot read", what);
	/*
	 * End-entity: no basicConstraints CA:TRUE and no key usage for issuing.  An absent
	 * basicConstraints is allowed (RFC 5280 4.2.1.9 lets an end-entity certificate leave
	 * it out, and OpenSSL never accepts such a version 3 certificate as an issuer), so
	 * a CA that omits it in leaves still works; CA:TRUE, keyCertSign or cRLSign, or a
	 * version 1 self-signed certificate are refused.
	 */
	if (X509_check_ca(cert) != 0 || ((flags & EXFLAG_KUSAGE) &&
	    (ku & (KU_KEY_CERT_SIGN | KU_CRL_SIGN))))
		return asb_fail(eb, ASB_ERULE, rule, "the %s certificate is a CA "
		    "certificate (basicConstraints CA:TRUE or keyCertSign): only an "
		    "end-entity certificate is accepted", what);
	if (use == DSIG_USE_SIGN) {
		if (!(flags & EXFLAG_KUSAGE) || !(ku & KU_DIGITAL_SIGNATURE))
			return asb_fail(eb, ASB_ERULE, rule, "the signing certificate "
			    "lacks keyUsage digitalSignature");
		return ASB_OK;
	}
	if (!(flags & EXFLAG_XKUSAGE) || !(xku & XKU_SSL_CLIENT))
		return asb_fail(eb, ASB_ERULE, rule, "the TLS client certificate lacks "
		    "extendedKeyUsage clientAuth");
	if ((flags & EXFLAG_KUSAGE) && !(ku & KU_DIGITAL_SIGNATURE))
		return asb_fail(eb, ASB_ERULE, rule, "the TLS client certificate's "
		    "keyUsage lacks digitalSignature");
	return ASB_OK;
}

/* A store of the CA file's certificates, or NULL (eb says why). */
static X509_STORE *
ca_store(const char *ca_file, struct asb_errbuf *eb)
{
	X509_STORE *store = X509_STORE_new();

	if (store == NULL || X509_STORE_load_file(store, ca_file) != 1) {
		X509_STORE_free(store);
		asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a readable PEM CA certificate",
		    ca_file);
		return NULL;
	}
	return store;
}

int
dsig_x509_check_direct(X509 *cert, const char *ca_file, struct asb_errbuf *eb)
{
	X509_STORE *store;
	X509_STORE_CTX *ctx = NULL;
	int err = ASB_OK;

	if ((store = ca_store(ca_file, eb)) == NULL)
		return ASB_EUSAGE;
	/* no untrusted certificates: the chain is the certificate and what ca_file holds */
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, store, cert, NULL) != 1)
		err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
	else if (X509_verify_cert(ctx) != 1)
		err = asb_fail(eb, ASB_ERULE, "R-SIG-004", "the certificate is not "
		    "issued by a CA of %s itself (%s): a chain through any other "
		    "certificate, such as one a force's certificate issued, is refused",
		    ca_file, X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return err;
}

int
dsig_x509_check_signer(X509 *cert, const char *ca_file, struct asb_errbuf *eb)
{
	int err;

	if ((err = dsig_x509_check_use(cert, DSIG_USE_SIGN, eb)) != ASB_OK)
		return err;
	return dsig_x509_check_direct(cert, ca_file, eb);
}

/* ---- detached signatures, for what is not XML (the hub's refusals) ---------------------------- */

static char *
b64_encode(const unsigned char *p, size_t n)
{
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	if (out != NULL)
		EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

/* Decode base64 (no line breaks) into a malloc'd buffer; NULL when it is not base64. */
static unsigned char *
b64_decode(const char *s, size_t *ret_len)
{
	size_t n = strlen(s), pad = 0;
	unsigned char *out;
	int len;

	if (n == 0 || n % 4 != 0 || n > ASB_MAX_PEM * 2)
		return NULL;
	if (s[n - 1] == '=')
		pad++;
	if (s[n - 2] == '=')
		pad++;
	if ((out = malloc(n / 4 * 3 + 1)) == NULL)
		return NULL;
	if ((len = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n)) < 0 ||
	    (size_t)len < pad) {
		free(out);
		return NULL;
	}
	*ret_len = (size_t)len - pad;
	return out;
}

int
dsig_detached_sign(const struct dsig_key *k, const void *msg, size_t len, char **ret_sig,
    char **ret_cert, struct asb_errbuf *eb)
{
	EVP_MD_CTX *md = NULL;
	unsigned char *sig = NULL;
	size_t slen = 0;
	int err = ASB_EIO;

	*ret_sig = *ret_cert = NULL;
	if (k->pkey == NULL || k->cert_b64 == NULL || (md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k->pkey) != 1 ||
	    EVP_DigestSign(md, NULL, &slen, msg, len) != 1 ||
	    (sig = malloc(slen)) == NULL ||
	    EVP_DigestSign(md, sig, &slen, msg, len) != 1) {
		asb_fail(eb, ASB_EIO, NULL, "cannot sign with %s", k->key_file);
		goto out;
	}
	if ((*ret_sig = b64_encode(sig, slen)) == NULL ||
	    (*ret_cert = strdup(k->cert_b64)) == NULL) {
		free(*ret_sig);
		*ret_sig = NULL;
		asb_fail(eb, ASB_EIO, NULL, "out of memory");
		goto out;
	}
	err = ASB_OK;
out:
	free(sig);
	EVP_MD_CTX_free(md);
	return err;
}

int
dsig_detached_verify(const char *cert_b64, const char *sig_b64, const void *msg, size_t len,
    const char *ca_file, const char *cn, struct dsig_signer *ret, struct asb_errbuf *eb)
{
	unsigned char *der = NULL, *sig = NULL;
	const unsigned char *q;
	size_t dlen = 0, slen = 0;
	X509 *cert = NULL;
	EVP_MD_CTX *md = NULL;
	struct dsig_signer who;
	int err;

	if (cert_b64 == NULL || sig_b64 == NULL)
		return asb_fail(eb, ASB_ERULE, "R-SIG-001", "not signed (no signature "
		    "or no certificate)");
	if ((der = b64_decode(cert_b64, &dlen)) == NULL ||
	    (sig = b64_decode(sig_b64, &slen)) == NULL ||
	    (q = der, cert = d2i_X509(NULL, &q, (long)dlen)) == NULL ||
	    q != der + dlen) {
		err = asb_fail(eb, ASB_ERULE, "R-SIG-002", "the signature or its "
		    "certificate is not base64 DER");
		goto out;
	}
	if ((err = dsig_x509_describe(cert, &who, eb)) != ASB_OK ||
	    (err = dsig_x509_check_signer(cert, ca_file, eb)) != ASB_OK)
		goto out;
	if (cn != NULL && strcmp(who.cn, cn) != 0) {
		err = asb_fail(eb, ASB_ERULE, "R-SIG-006", "signed by '%s', not by '%s'",
		    who.cn, cn);
		goto out;
	}
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL,
	    X509_get0_pubkey(cert)) != 1 ||
	    EVP_DigestVerify(md, sig, slen, msg, len) != 1) {
		err = asb_fail(eb, ASB_ERULE, "R-SIG-003", "the signature does not "
		    "match what was answered");
		goto out;
	}
	*ret = who;
	err = ASB_OK;
out:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	X509_free(cert);
	free(der);
	free(sig);
	return err;
}

int
dsig_refusal_message(int status, const char *nonce, const char *req_sha256, const char *body,
    size_t len, char **ret, size_t *ret_len)
{
	char head[200];
	size_t i, n;
	int hl;
	char *m;

	*ret = NULL;
	for (i = 0; nonce != NULL && nonce[i] != '\0'; i++)
		if (i >= 64 || !((nonce[i] >= '0' && nonce[i] <= '9') ||
		    (nonce[i] >= 'a' && nonce[i] <= 'f')))
			return -1;
	if (strlen(req_sha256) != 64)
		return -1;
	hl = snprintf(head, sizeof(head), "%s\n%d\n%s\n%s\n", DSIG_REFUSAL_V1, status,
	    nonce != NULL && nonce[0] ? nonce : "-", req_sha256);
	if (hl < 0 || (size_t)hl >= sizeof(head))
		return -1;
	n = (size_t)hl + len;
	if ((m = malloc(n + 1)) == NULL)
		return -1;
	memcpy(m, head, (size_t)hl);
	if (len > 0)
		memcpy(m + hl, body, len);
	m[n] = '\0';
	*ret = m;
	*ret_len = n;
	return 0;
}
