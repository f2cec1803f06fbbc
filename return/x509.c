/*
 * x509.c - certificates and keys for XML-DSig: the one place a certificate's CN is read, the
 * check that a certificate chains to a CA and names whom it should (asbhub force add), and a
 * signing key loaded once, with its certificate, before any privilege is dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "afile.h"
#include "asb_limits.h"
#include "dsig.h"
#include "dsig_key.h"

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
	free(k);
}

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
	EVP_PKEY_free(pkey);
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
