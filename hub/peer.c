/*
 * peer.c - the hub's policy for TLS client certificates and its signature on refusals
 * (peer.h).  Part of the service: it logs on stderr, as serve.c does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "codes.h"
#include "dsig.h"
#include "peer.h"
#include "store.h"

/* What the certificate check needs: handed to it as its argument, and freed with the SSL_CTX
 * through an ex_data index of its own. */
struct peer_ctx {
	const struct hub	*h;
};

int
hub_peer_admit(struct hub_store *st, X509 *leaf, int untrusted, char ret_cn[64],
    int *ret_warn, struct asb_errbuf *eb)
{
	struct dsig_signer who;
	struct hub_cert rec;
	int err, registered = 0;

	*ret_warn = 0;
	if ((err = dsig_x509_describe(leaf, &who, eb)) != ASB_OK)
		return asb_fail(eb, ASB_ERULE, "R-TLS-001", "the certificate must name "
		    "exactly one CN");
	if ((err = dsig_x509_check_use(leaf, DSIG_USE_TLS_CLIENT, eb)) != ASB_OK)
		return err;
	if (untrusted != 1)
		return asb_fail(eb, ASB_ERULE, "R-TLS-001", "the certificate of %s is "
		    "issued through %d certificate(s) the client sent, not by the hub's "
		    "CA itself", who.cn, untrusted - 1);
	/* an operator's certificate (asbhub operator add), registered by its fingerprint
	 * whatever its CN: the service lets it read /v1/metrics alone */
	err = hub_tls_lookup(st, HUB_OPERATOR_CODE, who.fingerprint, &rec, &registered, eb);
	if (err == ASB_OK && rec.revoked != 0)
		return asb_fail(eb, ASB_ERULE, "R-TLS-002", "the operator's TLS certificate "
		    "sha256 %s is revoked", who.fingerprint);
	if (err == ASB_OK) {
		snprintf(ret_cn, 64, "%s", who.cn);
		return ASB_OK;
	}
	if (err != ASB_ENOTFOUND)
		return ASB_EIO;
	if (sch_code_index(SCH_LIST_FORCES, who.cn) < 0)
		return asb_fail(eb, ASB_ERULE, "R-TLS-001", "CN '%s' is not a force code "
		    "of schema/codes/forces.tsv", who.cn);
	registered = 0;
	err = hub_tls_lookup(st, who.cn, who.fingerprint, &rec, &registered, eb);
	if (err == ASB_OK && rec.revoked != 0)
		return asb_fail(eb, ASB_ERULE, "R-TLS-002", "the TLS certificate sha256 "
		    "%s of %s is revoked", who.fingerprint, who.cn);
	if (err == ASB_ENOTFOUND && registered)
		return asb_fail(eb, ASB_ERULE, "R-TLS-002", "the TLS certificate sha256 "
		    "%s is not one %s registers (asbhub force add %s --tls-cert FILE)",
		    who.fingerprint, who.cn, who.cn);
	if (err != ASB_OK && err != ASB_ENOTFOUND)
		return ASB_EIO;
	if (err == ASB_ENOTFOUND)
		*ret_warn = 1;
	snprintf(ret_cn, 64, "%s", who.cn);
	return ASB_OK;
}

static void
refused(X509_STORE_CTX *x, const char *why)
{
	char subj[256] = "";
	X509 *c = X509_STORE_CTX_get_current_cert(x);

	if (c != NULL)
		X509_NAME_oneline(X509_get_subject_name(c), subj, sizeof(subj));
	fprintf(stderr, "client certificate refused: %s: %s\n", subj, why);
}

/*
 * The whole certificate check of a handshake (SSL_CTX_set_cert_verify_callback, which hands
 * us our context, so nothing else on the SSL_CTX is borrowed): OpenSSL's chain verification,
 * which calls the verify callback serve.c set for each certificate, then the hub's policy on
 * the verified leaf.
 */
static int
peer_verify(X509_STORE_CTX *x, void *arg)
{
	struct peer_ctx *pc = arg;
	STACK_OF(X509) *chain;
	struct asb_errbuf eb;
	char cn[64];
	int warn;

	if (X509_verify_cert(x) != 1)
		return 0;
	if ((chain = X509_STORE_CTX_get0_chain(x)) == NULL || sk_X509_num(chain) < 1) {
		refused(x, "no verified chain");
		X509_STORE_CTX_set_error(x, X509_V_ERR_APPLICATION_VERIFICATION);
		return 0;
	}
	asb_errbuf_clear(&eb);
	if (hub_peer_admit(pc->h->st, sk_X509_value(chain, 0),
	    X509_STORE_CTX_get_num_untrusted(x), cn, &warn, &eb) != ASB_OK) {
		refused(x, eb.msg[0] ? eb.msg : "the store cannot be read");
		X509_STORE_CTX_set_error(x, X509_V_ERR_APPLICATION_VERIFICATION);
		return 0;
	}
	if (warn)
		fprintf(stderr, "asbhub: warning: %s registers no TLS client certificate: "
		    "any its CN names from the CA is let in (register them with 'asbhub "
		    "force add %s --tls-cert FILE')\n", cn, cn);
	return 1;
}

static void
peer_ctx_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	free(ptr);
}

int
hub_peer_tls_setup(SSL_CTX *ctx, const struct hub *h, struct asb_errbuf *eb)
{
	struct peer_ctx *pc;
	int idx;

	if ((pc = calloc(1, sizeof(*pc))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	pc->h = h;
	/* an index of our own only so that the context is freed with the SSL_CTX */
	if ((idx = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, peer_ctx_free)) < 0 ||
	    SSL_CTX_set_ex_data(ctx, idx, pc) != 1) {
		free(pc);
		return asb_fail(eb, ASB_EIO, NULL, "OpenSSL: cannot attach the policy");
	}
	SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx) | SSL_VERIFY_PEER |
	    SSL_VERIFY_FAIL_IF_NO_PEER_CERT, SSL_CTX_get_verify_callback(ctx));
	SSL_CTX_set_cert_verify_callback(ctx, peer_verify, pc);
	/* every connection checked against the store as it is now: no resumption */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	(void)SSL_CTX_set_num_tickets(ctx, 0);
	return ASB_OK;
}

/* ---- signed refusals ------------------------------------------------------------------ */

static void
body_sha256(struct evbuffer *in, char hex[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	struct evbuffer_iovec *v = NULL;
	int n = 0, k, ok;

	hex[0] = '\0';
	/* the body where it lies, chunk by chunk: no copy */
	if (in != NULL && (n = evbuffer_peek(in, -1, NULL, NULL, 0)) > 0 &&
	    ((v = calloc((size_t)n, sizeof(*v))) == NULL ||
	    evbuffer_peek(in, -1, NULL, v, n) != n))
		goto out;
	ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1;
	for (k = 0; ok && k < n; k++)
		ok = EVP_DigestUpdate(c, v[k].iov_base, v[k].iov_len) == 1;
	if (!ok || EVP_DigestFinal_ex(c, md, &mdlen) != 1)
		goto out;
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
out:
	free(v);
	EVP_MD_CTX_free(c);
}

void
hub_peer_seal(const struct hub *h, struct evhttp_request *req, int status, const char *body,
    size_t len)
{
	struct evkeyvalq *hdr = evhttp_request_get_output_headers(req);
	const char *nonce;
	char sha[65], *msg = NULL, *sig = NULL, *cert = NULL;
	size_t mlen = 0;

	if (status < 400 || h == NULL || h->sign == NULL)
		return;
	nonce = evhttp_find_header(evhttp_request_get_input_headers(req), "ASB-Nonce");
	body_sha256(evhttp_request_get_input_buffer(req), sha);
	if (dsig_refusal_message(status, nonce, sha, body != NULL ? body : "",
	    body != NULL ? len : 0, &msg, &mlen) == -1 &&
	    dsig_refusal_message(status, NULL, sha, body != NULL ? body : "",
	    body != NULL ? len : 0, &msg, &mlen) == -1)
		return;
	if (dsig_detached_sign(h->sign, msg, mlen, &sig, &cert, NULL) == ASB_OK) {
		evhttp_add_header(hdr, "ASB-Signature", sig);
		evhttp_add_header(hdr, "ASB-Signer", cert);
	}
	free(msg);
	free(sig);
	free(cert);
}
