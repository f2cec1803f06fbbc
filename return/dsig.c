/*
 * dsig.c - enveloped XML-DSig over whole documents with xmlsec1 (OpenSSL backend), with the
 * hardening DEPENDENCY-NOTES.md section 2 found necessary: x509 key data only (no bare
 * KeyValue), empty-URI references only, an algorithm and transform allow-list, manifests
 * ignored, one signature as a child of the root with one Reference URI="", both the return
 * code and the status checked, and no DTDs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/templates.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/openssl/x509.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "afile.h"
#include "dsig.h"
#include "dsig_key.h"

/* xmlsec reports why a verification failed only through a process-wide callback; each
 * thread keeps the last reason of its own verification here. */
static _Thread_local int last_reason;
static _Thread_local char last_msg[200];

static void
on_xmlsec_error(const char *file, int line, const char *func, const char *obj,
    const char *subj, int reason, const char *msg)
{
	(void)file;
	(void)line;
	(void)func;
	(void)obj;
	(void)subj;
	/* keep the first certificate reason: later ones are its consequences */
	if (last_reason >= XMLSEC_ERRORS_R_CERT_VERIFY_FAILED &&
	    last_reason <= XMLSEC_ERRORS_R_CERT_HAS_EXPIRED)
		return;
	last_reason = reason;
	snprintf(last_msg, sizeof(last_msg), "%s", msg != NULL ? msg : "");
}

int
dsig_init(struct asb_errbuf *eb)
{
	if (xmlSecInit() < 0)
		return asb_fail(eb, ASB_EIO, NULL, "xmlsec1 did not start");
	if (xmlSecCheckVersion() != 1) {
		xmlSecShutdown();
		return asb_fail(eb, ASB_EIO, NULL, "the xmlsec1 library is not the "
		    "version this program was built for: rebuild it");
	}
	if (xmlSecCryptoAppInit(NULL) < 0 || xmlSecCryptoInit() < 0) {
		xmlSecShutdown();
		return asb_fail(eb, ASB_EIO, NULL, "xmlsec1's OpenSSL backend did "
		    "not start");
	}
	xmlSecErrorsSetCallback(on_xmlsec_error);
	return ASB_OK;
}

void
dsig_cleanup(void)
{
	xmlSecCryptoShutdown();
	xmlSecCryptoAppShutdown();
	xmlSecShutdown();
}

/* ---- signing --------------------------------------------------------------------------- */

int
dsig_sign(xmlDocPtr doc, const struct dsig_key *k, struct asb_errbuf *eb)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), sig = NULL, ref, ki, x509;
	xmlSecDSigCtxPtr ctx = NULL;
	xmlSecKeyPtr key;
	xmlSecKeyDataId kid;
	xmlSecTransformId method;
	int err = ASB_OK;

	last_reason = 0;
	/* from the bytes loaded once (dsig_key_load): no file is opened here, and each
	 * signature has a key object of its own, so workers share nothing mutable */
	key = xmlSecCryptoAppKeyLoadMemory((const xmlSecByte *)k->key_pem,
	    (xmlSecSize)k->key_len, xmlSecKeyDataFormatPem, NULL, NULL, NULL);
	if (key == NULL)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a readable PEM private "
		    "key", k->key_file);
	if (xmlSecCryptoAppKeyCertLoadMemory(key, (const xmlSecByte *)k->cert_pem,
	    (xmlSecSize)k->cert_len, xmlSecKeyDataFormatPem) < 0) {
		xmlSecKeyDestroy(key);
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a PEM certificate "
		    "for this key", k->cert_file);
	}
	kid = xmlSecKeyGetValue(key) != NULL ? xmlSecKeyGetValue(key)->id :
	    xmlSecKeyDataIdUnknown;
	if (kid == xmlSecKeyDataEcdsaId)
		method = xmlSecTransformEcdsaSha256Id;
	else if (kid == xmlSecKeyDataRsaId)
		method = xmlSecTransformRsaSha256Id;
	else {
		xmlSecKeyDestroy(key);
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: the key must be EC P-256 "
		    "or RSA", k->key_file);
	}
	if ((sig = xmlSecTmplSignatureCreate(doc, xmlSecTransformExclC14NId, method,
	    NULL)) == NULL || xmlAddChild(root, sig) == NULL)
		goto fail;
	if ((ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, NULL,
	    BAD_CAST "", NULL)) == NULL ||
	    xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) == NULL ||
	    xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId) == NULL ||
	    (ki = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL)) == NULL ||
	    (x509 = xmlSecTmplKeyInfoAddX509Data(ki)) == NULL ||
	    xmlSecTmplX509DataAddCertificate(x509) == NULL)
		goto fail;
	if ((ctx = xmlSecDSigCtxCreate(NULL)) == NULL)
		goto fail;
	ctx->signKey = key;	/* the context frees it */
	key = NULL;
	if (xmlSecDSigCtxSign(ctx, sig) < 0) {
		err = asb_fail(eb, ASB_EUSAGE, NULL, "signing failed: %s (does "
		    "the certificate match the key?)", last_msg);
		goto out;
	}
	goto out;
fail:
	err = asb_fail(eb, ASB_EIO, NULL, "cannot build the signature: %s", last_msg);
out:
	if (err != ASB_OK && sig != NULL) {
		xmlUnlinkNode(sig);
		xmlFreeNode(sig);
	}
	if (ctx != NULL)
		xmlSecDSigCtxDestroy(ctx);
	if (key != NULL)
		xmlSecKeyDestroy(key);
	return err;
}

int
dsig_dump(xmlDocPtr doc, char **ret, size_t *len, struct asb_errbuf *eb)
{
	xmlChar *mem = NULL;
	int n = 0;

	xmlDocDumpMemoryEnc(doc, &mem, &n, "UTF-8");
	if (mem == NULL || n <= 0)
		return asb_fail(eb, ASB_EIO, NULL, "cannot serialise the document");
	*ret = (char *)mem;
	*len = (size_t)n;
	return ASB_OK;
}

int
dsig_save(xmlDocPtr doc, const char *path, struct asb_errbuf *eb)
{
	char *mem = NULL;
	size_t len = 0;
	int err;

	if ((err = dsig_dump(doc, &mem, &len, eb)) != ASB_OK)
		return err;
	err = asb_write_atomic(path, mem, len, 0600, eb);
	xmlFree(mem);
	return err;
}

/* ---- verifying ------------------------------------------------------------------------- */

static int
is_dsig(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, DSIG_NS) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

/* Count ds:Signature elements anywhere (iteratively: the DOM may be large). */
static unsigned
count_signatures(xmlNodePtr root)
{
	xmlNodePtr n = root;
	xmlNsPtr other = NULL;	/* a namespace already found not to be XML-DSig's */
	unsigned count = 0;

	while (n != NULL) {
		if (n->type == XML_ELEMENT_NODE && n->ns != other) {
			if (is_dsig(n, "Signature"))
				count++;
			else if (n->ns != NULL &&
			    strcmp((const char *)n->ns->href, DSIG_NS) != 0)
				other = n->ns;
		}
		if (n->children != NULL && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n != NULL && n != root && n->next == NULL)
			n = n->parent;
		if (n == NULL || n == root)
			break;
		n = n->next;
	}
	return count;
}

static xmlNodePtr
child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;

	for (n = parent->children; n != NULL; n = n->next)
		if (is_dsig(n, name))
			return n;
	return NULL;
}

/* Exactly one Reference, with URI present and empty. */
static int
one_empty_reference(xmlNodePtr sig)
{
	xmlNodePtr si = child(sig, "SignedInfo"), n;
	xmlChar *uri;
	int refs = 0, ok = 0;

	if (si == NULL)
		return 0;
	for (n = si->children; n != NULL; n = n->next) {
		if (!is_dsig(n, "Reference"))
			continue;
		refs++;
		uri = xmlGetNoNsProp(n, BAD_CAST "URI");
		ok = uri != NULL && uri[0] == '\0';
		xmlFree(uri);
	}
	return refs == 1 && ok;
}

static int
allow(xmlSecDSigCtxPtr ctx)
{
	return xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformExclC14NId) < 0 ||
	    xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformEcdsaSha256Id) < 0 ||
	    xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformRsaSha256Id) < 0 ||
	    xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformEnvelopedId) < 0 ||
	    xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformExclC14NId) < 0 ||
	    xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformSha256Id) < 0 ||
	    xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData,
	    (xmlSecPtr)xmlSecKeyDataX509Id) < 0 ? -1 : 0;
}

int
dsig_verify_doc(xmlDocPtr doc, const char *ca_file, struct dsig_signer *signer,
    struct asb_errbuf *eb)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), sig = NULL, n;
	xmlSecKeysMngrPtr mngr = NULL;
	xmlSecDSigCtxPtr ctx = NULL;
	xmlSecKeyDataPtr x509;
	X509 *cert;
	FILE *f;
	unsigned count;
	int rc, err;

	memset(signer, 0, sizeof(*signer));
	if ((f = fopen(ca_file, "r")) == NULL)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: cannot read the CA "
		    "certificate", ca_file);
	fclose(f);
	for (n = root->children; n != NULL; n = n->next)
		if (is_dsig(n, "Signature"))
			sig = n;
	count = count_signatures(root);
	if (count == 0)
		return asb_fail(eb, ASB_ERULE, "R-SIG-001", "the document is not "
		    "signed: sign it with asbgw sign");
	if (count != 1 || sig == NULL)
		return asb_fail(eb, ASB_ERULE, "R-SIG-002", "there must be exactly "
		    "one signature, as the last child of the root (found %u%s)",
		    count, sig == NULL ? ", none of them at the root" : "");
	if (!one_empty_reference(sig))
		return asb_fail(eb, ASB_ERULE, "R-SIG-002", "the signature must have "
		    "exactly one Reference, with URI=\"\" (the whole document)");
	if ((mngr = xmlSecKeysMngrCreate()) == NULL ||
	    xmlSecCryptoAppDefaultKeysMngrInit(mngr) < 0) {
		err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
		goto out;
	}
	if (xmlSecCryptoAppKeysMngrCertLoad(mngr, ca_file, xmlSecKeyDataFormatPem,
	    xmlSecKeyDataTypeTrusted) < 0) {
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a PEM CA certificate",
		    ca_file);
		goto out;
	}
	if ((ctx = xmlSecDSigCtxCreate(mngr)) == NULL || allow(ctx) < 0) {
		err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
		goto out;
	}
	ctx->flags = XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS |
	    XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES;
	ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
	last_reason = 0;
	last_msg[0] = '\0';
	rc = xmlSecDSigCtxVerify(ctx, sig);
	if (rc < 0) {
		if (last_reason >= XMLSEC_ERRORS_R_CERT_VERIFY_FAILED &&
		    last_reason <= XMLSEC_ERRORS_R_CERT_HAS_EXPIRED)
			err = asb_fail(eb, ASB_ERULE, "R-SIG-004", "the signer's "
			    "certificate is not trusted (%s): sign with a "
			    "current certificate from the national CA",
			    last_reason == XMLSEC_ERRORS_R_CERT_HAS_EXPIRED ||
			    strstr(last_msg, "has expired") != NULL ? "expired" :
			    last_reason == XMLSEC_ERRORS_R_CERT_NOT_YET_VALID ||
			    strstr(last_msg, "not yet valid") != NULL ?
			    "not yet valid" : "it does not chain to the CA");
		else if (last_reason == XMLSEC_ERRORS_R_KEY_NOT_FOUND)
			err = asb_fail(eb, ASB_ERULE, "R-SIG-004", "no trusted "
			    "certificate signed this (a bare key, or a "
			    "certificate from another CA)");
		else
			err = asb_fail(eb, ASB_ERULE, "R-SIG-002", "the signature "
			    "uses something not allowed (only exclusive C14N, "
			    "enveloped, SHA-256, ECDSA-P256 or RSA with SHA-256, "
			    "an X509 certificate): %s", last_msg);
		goto out;
	}
	if (ctx->status != xmlSecDSigStatusSucceeded) {
		err = asb_fail(eb, ASB_ERULE, "R-SIG-003", "the signature does not "
		    "match the document: it was changed after it was signed");
		goto out;
	}
	if (xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1) {
		err = asb_fail(eb, ASB_ERULE, "R-SIG-002", "the signature must "
		    "cover the whole document through one Reference");
		goto out;
	}
	x509 = ctx->signKey != NULL ? xmlSecKeyGetData(ctx->signKey,
	    xmlSecOpenSSLKeyDataX509Id) : NULL;
	cert = x509 != NULL ? xmlSecOpenSSLKeyDataX509GetKeyCert(x509) : NULL;
	if (cert == NULL) {
		err = asb_fail(eb, ASB_ERULE, "R-SIG-004", "the signing key came "
		    "with no certificate");
		goto out;
	}
	/* end-entity, digitalSignature, issued by the CA file itself (dsig.h) */
	if ((err = dsig_x509_check_signer(cert, ca_file, eb)) == ASB_OK)
		err = dsig_x509_describe(cert, signer, eb);
out:
	if (ctx != NULL)
		xmlSecDSigCtxDestroy(ctx);
	if (mngr != NULL)
		xmlSecKeysMngrDestroy(mngr);
	return err;
}
