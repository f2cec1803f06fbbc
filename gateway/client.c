/*
 * client.c - libcurl with the settings DEPENDENCY-NOTES.md section 5 asks for: only the
 * given CA trusted (CAPATH off), peer and host verified, TLS 1.2 at least, the body not
 * copied, no "Expect: 100-continue" round trip, bounded answer size and time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/rand.h>

#include "client.h"
#include "asb_limits.h"
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

int
gw_http(const struct gw_tls *t, const char *path, const char *body, size_t len,
    long *status, char **resp, size_t *rlen, struct asb_errbuf *eb)
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
	char *body = NULL, *resp = NULL, why[300];
	size_t blen = 0, rlen = 0;
	long status = 0;
	int err;

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
	err = gw_http(t, "/v1/returns", body, blen, &status, &resp, &rlen, &neb);
	free(body);
	e->last_status = (int)status;
	if (err == ASB_EUSAGE) {
		snprintf(e->state, sizeof(e->state), "signed");
		snprintf(e->last_error, sizeof(e->last_error), "%.290s", neb.msg);
		(void)ob_update(ob, e, NULL, 0, eb);
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s", neb.msg);
	}
	if (err != ASB_OK) {
		snprintf(why, sizeof(why), "%.290s", neb.msg);
		return requeue(ob, e, now, why, eb);
	}
	if (status >= 500 || status == 429 || status == 408) {
		snprintf(why, sizeof(why), "the hub answered %ld (busy or failing)", status);
		free(resp);
		return requeue(ob, e, now, why, eb);
	}
	if (status != 200) {
		/* refused whole: quarantined with the hub's words, not retried */
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
