/*
 * client.c - libcurl with the settings DEPENDENCY-NOTES.md section 5 asks for: only the
 * given CA trusted (CAPATH off), peer and host verified, TLS 1.2 at least, the body not
 * copied, no "Expect: 100-continue" round trip, bounded answer size and time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ctype.h>

#include <curl/curl.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "client.h"
#include "asb_limits.h"
#include "dsig.h"
#include "receipt.h"

#define MAX_ANSWER	ASB_MAX_ANSWER	/* asb_limits.h */

int
gw_client_init(struct asb_errbuf *eb)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return asb_fail(eb, ASB_EIO, NULL, "libcurl did not start");
	return ASB_OK;
}

void
gw_client_cleanup(void)
{
	curl_global_cleanup();
}

struct sink {
	char	*buf;
	size_t	 len;
	int	 over;
};

static size_t
on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t add = size * n;
	char *b;

	if (s->len + add > MAX_ANSWER) {
		s->over = 1;
		return 0;
	}
	if ((b = realloc(s->buf, s->len + add + 1)) == NULL)
		return 0;
	memcpy(b + s->len, p, add);
	s->len += add;
	b[s->len] = '\0';
	s->buf = b;
	return add;
}

void
gw_auth_free(struct gw_auth *a)
{
	if (a == NULL)
		return;
	free(a->sig);
	free(a->cert);
	a->sig = a->cert = NULL;
}

/* Keep the answer's ASB-Signature and ASB-Signer headers (the last of each, at most 8 KiB). */
static size_t
on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct gw_auth *a = ctx;
	size_t len = size * n, name, end;
	char **dst;

	if (len > 8192)
		return len;
	if (len > 14 && strncasecmp(p, "ASB-Signature:", 14) == 0) {
		dst = &a->sig;
		name = 14;
	} else if (len > 11 && strncasecmp(p, "ASB-Signer:", 11) == 0) {
		dst = &a->cert;
		name = 11;
	} else
		return len;
	while (name < len && (p[name] == ' ' || p[name] == '\t'))
		name++;
	for (end = len; end > name && isspace((unsigned char)p[end - 1]); end--)
		;
	free(*dst);
	if ((*dst = malloc(end - name + 1)) != NULL) {
		memcpy(*dst, p + name, end - name);
		(*dst)[end - name] = '\0';
	}
	return len;
}

int
gw_http(const struct gw_tls *t, const char *path, const char *body, size_t len,
    long *status, char **resp, size_t *rlen, struct gw_auth *auth, struct asb_errbuf *eb)
{
	struct curl_slist *hdr = NULL;
	struct sink s = { NULL, 0, 0 };
	char url[2048], errbuf[CURL_ERROR_SIZE] = "";
	CURLcode rc;
	CURL *c;

	*status = 0;
	*resp = NULL;
	*rlen = 0;
	if (t->url == NULL || strncmp(t->url, "https://", 8) != 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "the hub's URL must be "
		    "https://host:port (set url in the config or give --url)");
	if (t->cert == NULL || t->key == NULL || t->ca == NULL)
		return asb_fail(eb, ASB_EUSAGE, NULL, "the TLS certificate, key and "
		    "CA are needed (cert, key, ca in the config, or --cert --key --ca)");
	snprintf(url, sizeof(url), "%s%s", t->url, path);
	if ((c = curl_easy_init()) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "libcurl: out of memory");
	hdr = curl_slist_append(hdr, "Expect:");
	hdr = curl_slist_append(hdr, body != NULL ? "Content-Type: application/xml" :
	    "Accept: application/xml, application/json");
	if (auth != NULL) {
		unsigned char r[16];
		char line[64];
		int i;

		auth->sig = auth->cert = NULL;
		if (RAND_bytes(r, sizeof(r)) != 1) {
			curl_slist_free_all(hdr);
			curl_easy_cleanup(c);
			return asb_fail(eb, ASB_EIO, NULL, "no random bytes for a nonce");
		}
		for (i = 0; i < 16; i++)
			snprintf(auth->nonce + 2 * i, 3, "%02x", r[i]);
		snprintf(line, sizeof(line), "ASB-Nonce: %s", auth->nonce);
		hdr = curl_slist_append(hdr, line);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, auth);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_SSLCERT, t->cert);
	curl_easy_setopt(c, CURLOPT_SSLKEY, t->key);
	curl_easy_setopt(c, CURLOPT_CAINFO, t->ca);
	curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, t->connect_timeout > 0 ?
	    t->connect_timeout : 60L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, t->timeout > 0 ? t->timeout : 600L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "asbgw/0.1.0");
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		free(s.buf);
		*status = 0;
		if (rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_CACERT_BADFILE)
			return asb_fail(eb, ASB_EUSAGE, NULL, "cannot use the TLS "
			    "certificate, key or CA: %s", errbuf[0] ? errbuf :
			    curl_easy_strerror(rc));
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", url, errbuf[0] ? errbuf :
		    s.over ? "the answer is too large" : curl_easy_strerror(rc));
	}
	*resp = s.buf;
	*rlen = s.len;
	return ASB_OK;
}

/* ---- pins and signed refusals ----------------------------------------------------------- */

/* Next item of a list split at commas, white space around it trimmed: its bounds in s. */
static int
next_item(const char *s, size_t *at, size_t *start, size_t *end)
{
	size_t i = *at;

	while (s[i] == ',' || isspace((unsigned char)s[i]))
		i++;
	if (s[i] == '\0')
		return 0;
	*start = i;
	while (s[i] != '\0' && s[i] != ',')
		i++;
	*at = i;
	while (i > *start && isspace((unsigned char)s[i - 1]))
		i--;
	*end = i;
	return 1;
}

int
gw_pins(const struct gw_tls *t, char ret[GW_MAX_PINS][65], int *n, struct asb_errbuf *eb)
{
	size_t at, a, b, i;
	int k = 0, pass;

	*n = 0;
	for (pass = 0; pass < 2; pass++) {
		const char *list = pass == 0 ? t->receipt_fingerprint : t->receipt_cert;

		at = 0;
		while (list != NULL && next_item(list, &at, &a, &b)) {
			char item[1024], hex[65];
			size_t h = 0;

			if (k == GW_MAX_PINS)
				return asb_fail(eb, ASB_EUSAGE, NULL, "more than %d receipt "
				    "pins (receipt-fingerprint, receipt-cert): give the "
				    "current one and the next", GW_MAX_PINS);
			snprintf(item, sizeof(item), "%.*s", (int)(b - a), list + a);
			if (pass == 1) {
				struct dsig_signer who;

				if (dsig_cert_info(item, &who, eb) != ASB_OK)
					return asb_fail(eb, ASB_EUSAGE, NULL, "receipt-cert "
					    "%s: not a readable PEM certificate", item);
				memcpy(ret[k++], who.fingerprint, 65);
				continue;
			}
			/* sha256 Fingerprint=AB:CD:... as openssl prints it, or plain hex */
			if (strncasecmp(item, "sha256 Fingerprint=", 19) == 0)
				memmove(item, item + 19, strlen(item + 19) + 1);
			for (i = 0; item[i] != '\0' && h <= 64; i++) {
				if (item[i] == ':')
					continue;
				if (!isxdigit((unsigned char)item[i]))
					break;
				if (h < 64)
					hex[h] = (char)tolower((unsigned char)item[i]);
				h++;
			}
			if (item[i] != '\0' || h != 64)
				return asb_fail(eb, ASB_EUSAGE, NULL, "receipt-fingerprint "
				    "'%.80s' is not a SHA-256 fingerprint (64 hex digits, "
				    "colons allowed)", item);
			hex[64] = '\0';
			memcpy(ret[k++], hex, 65);
		}
	}
	*n = k;
	return ASB_OK;
}

int
gw_pin_check(const struct gw_tls *t, const char *fingerprint, struct asb_errbuf *eb)
{
	char pins[GW_MAX_PINS][65];
	int n, i, err;

	if ((err = gw_pins(t, pins, &n, eb)) != ASB_OK)
		return err;
	if (n == 0)
		return ASB_OK;
	for (i = 0; i < n; i++)
		if (strcmp(pins[i], fingerprint) == 0)
			return ASB_OK;
	return asb_fail(eb, ASB_ERULE, "R-RCP-004", "signed by the certificate sha256 %s, "
	    "which is not the hub's receipt certificate pinned by receipt-fingerprint or "
	    "receipt-cert", fingerprint);
}

int
gw_refusal_verify(const struct gw_tls *t, const struct gw_auth *auth, long status,
    const char *req_sha256, const char *resp, size_t rlen, struct asb_errbuf *eb)
{
	struct dsig_signer who;
	char *msg = NULL;
	size_t mlen = 0;
	int err;

	if (auth->sig == NULL || auth->cert == NULL)
		return asb_fail(eb, ASB_ERULE, "R-SIG-001", "the answer is not signed "
		    "by the hub");
	if (t->ca == NULL)
		return asb_fail(eb, ASB_EUSAGE, NULL, "the CA is needed to verify the "
		    "hub's answer");
	if (dsig_refusal_message((int)status, auth->nonce, req_sha256, resp != NULL ? resp :
	    "", resp != NULL ? rlen : 0, &msg, &mlen) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	err = dsig_detached_verify(auth->cert, auth->sig, msg, mlen, t->ca,
	    t->receipt_signer != NULL ? t->receipt_signer : RECEIPT_SIGNER, &who, eb);
	free(msg);
	if (err != ASB_OK)
		return err;
	return gw_pin_check(t, who.fingerprint, eb);
}

static void
sha256_hex(const char *p, size_t n, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	int i;

	SHA256((const unsigned char *)p, n, md);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static uint32_t
random32(void)
{
	uint32_t r = 0;

	(void)RAND_bytes((unsigned char *)&r, sizeof(r));
	return r;
}

/* Back to the queue with the next try after a backoff. */
static int
requeue(struct outbox *ob, struct ob_entry *e, asb_time now, const char *why,
    struct asb_errbuf *eb)
{
	struct asb_errbuf ub;

	snprintf(e->state, sizeof(e->state), "signed");
	snprintf(e->last_error, sizeof(e->last_error), "%s", why);
	e->next_try = now + ob_backoff(e->attempts, random32());
	if (ob_update(ob, e, NULL, 0, &ub) != ASB_OK)
		return asb_fail(eb, ASB_EIO, NULL, "%s", ub.msg);
	return asb_fail(eb, ASB_EIO, NULL, "%s: queued, next try after %lld s", why,
	    (long long)(e->next_try - now));
}

int
gw_send_one(struct outbox *ob, const struct gw_tls *t, const char *id, asb_time now,
    struct ob_entry *e, struct asb_errbuf *eb)
{
	struct receipt r;
	struct asb_errbuf neb;
	struct gw_auth auth;
	char *body = NULL, *resp = NULL, why[300], sent[65];
	size_t blen = 0, rlen = 0;
	long status = 0;
	int err;

	{
		char pins[GW_MAX_PINS][65];
		int n;

		/* a pin that cannot be read is the settings' fault: say so before sending */
		if ((err = gw_pins(t, pins, &n, eb)) != ASB_OK)
			return err;
	}
	if (ob_get(ob, id, e, &body, &blen, NULL, NULL) != ASB_OK || body == NULL) {
		free(body);
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "no return %s in the outbox",
		    id);
	}
	if (strcmp(e->state, "acknowledged") == 0 || strcmp(e->state, "rejected") == 0) {
		free(body);
		return ASB_OK;
	}
	/* say we are sending before we do */
	snprintf(e->state, sizeof(e->state), "sending");
	e->attempts++;
	e->last_try = now;
	if ((err = ob_update(ob, e, NULL, 0, eb)) != ASB_OK) {
		free(body);
		return err;
	}
	asb_errbuf_clear(&neb);
	memset(&auth, 0, sizeof(auth));
	sha256_hex(body, blen, sent);
	err = gw_http(t, "/v1/returns", body, blen, &status, &resp, &rlen, &auth, &neb);
	free(body);
	e->last_status = (int)status;
	if (err == ASB_EUSAGE) {
		snprintf(e->state, sizeof(e->state), "signed");
		snprintf(e->last_error, sizeof(e->last_error), "%.290s", neb.msg);
		(void)ob_update(ob, e, NULL, 0, eb);
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s", neb.msg);
	}
	if (err != ASB_OK) {
		gw_auth_free(&auth);
		snprintf(why, sizeof(why), "%.290s", neb.msg);
		return requeue(ob, e, now, why, eb);
	}
	if (status >= 500 || status == 429 || status == 408) {
		gw_auth_free(&auth);
		snprintf(why, sizeof(why), "the hub answered %ld (busy or failing)", status);
		free(resp);
		return requeue(ob, e, now, why, eb);
	}
	if (status != 200 && (status < 400 || (err = gw_refusal_verify(t, &auth, status, sent,
	    resp, rlen, &neb)) != ASB_OK)) {
		/* not the hub's own refusal (a proxy's 400 or 404, a redirect): kept and
		 * retried, and said */
		gw_auth_free(&auth);
		if (status < 400)
			snprintf(why, sizeof(why), "an answer %ld, not the hub's: retrying",
			    status);
		else
			snprintf(why, sizeof(why), "an answer %ld not signed by the hub (from "
			    "something in between?): %.160s (%.20s); retrying", status,
			    neb.msg, neb.rule);
		free(resp);
		if (err == ASB_EUSAGE) {
			snprintf(e->state, sizeof(e->state), "signed");
			snprintf(e->last_error, sizeof(e->last_error), "%.290s", neb.msg);
			(void)ob_update(ob, e, NULL, 0, eb);
			return asb_fail(eb, ASB_EUSAGE, NULL, "%s", neb.msg);
		}
		return requeue(ob, e, now, why, eb);
	}
	gw_auth_free(&auth);
	if (status != 200) {
		/* refused whole, and the hub signed it: quarantined with the hub's words,
		 * not retried */
		snprintf(e->state, sizeof(e->state), "rejected");
		snprintf(e->outcome, sizeof(e->outcome), "refused");
		snprintf(e->last_error, sizeof(e->last_error), "the hub refused it "
		    "(%ld)", status);
		e->done = now;
		err = ob_update(ob, e, resp != NULL ? resp : "", rlen, eb);
		free(resp);
		return err;
	}
	/* a receipt: its signature, then that it is for exactly these bytes, read the
	 * way the outbox read them (both ends read the header with rtn_header_read) */
	err = receipt_verify(resp, rlen, t->ca, t->receipt_signer, &r, NULL, NULL, &neb);
	if (err == ASB_OK && (strcmp(r.return_id, e->id) != 0 ||
	    strcmp(r.sha256, e->sha256) != 0))
		err = asb_fail(&neb, ASB_ERULE, "R-RCP-003", "the receipt is for "
		    "return %s with sha256 %.16s..., not for what was sent",
		    r.return_id, r.sha256);
	else if (err == ASB_OK && (strcmp(r.force, e->force) != 0 ||
	    strcmp(r.period, e->period) != 0))
		err = asb_fail(&neb, ASB_ERULE, "R-RCP-003", "the receipt reads the "
		    "return as %s %s, the outbox as %s %s", r.force, r.period, e->force,
		    e->period);
	else if (err == ASB_OK)
		err = gw_pin_check(t, r.signer, &neb);
	if (err != ASB_OK) {
		snprintf(why, sizeof(why), "the receipt did not verify: %.200s (%.20s)",
		    neb.msg, neb.rule);
		free(resp);
		return requeue(ob, e, now, why, eb);
	}
	snprintf(e->state, sizeof(e->state), "%s", strcmp(r.state, "accepted") == 0 ?
	    "acknowledged" : "rejected");
	/* the hub decides what counts: a return queued by an older asbgw that read
	 * <Test>1</Test> as live is shown as the test return the hub kept */
	e->test = r.test;
	snprintf(e->outcome, sizeof(e->outcome), "%s", r.state);
	e->last_error[0] = '\0';
	e->done = now;
	err = ob_update(ob, e, resp, rlen, eb);
	free(resp);
	return err;
}
