/*
 * intake.c - the hub's handling of one submitted return, and of the force's own queries.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/statvfs.h>

#include <openssl/sha.h>

#include "asb_limits.h"
#include "dsig.h"
#include "facts.h"
#include "rtn.h"
#include "intake.h"
#include "json.h"
#include "receipt.h"

int
hub_open(struct hub *h, const char *dir, struct asb_errbuf *eb)
{
	int err;

	memset(h, 0, sizeof(*h));
	h->dir = dir;
	snprintf(h->ca, sizeof(h->ca), "%s/ca.crt", dir);
	snprintf(h->sign_key, sizeof(h->sign_key), "%s/sign.key", dir);
	snprintf(h->sign_cert, sizeof(h->sign_cert), "%s/sign.crt", dir);
	h->max_body = ASB_HUB_MAX_BODY;
	h->max_findings = ASB_MAX_RECEIPT_FINDINGS;
	h->time_budget_ms = ASB_HUB_TIME_BUDGET_MS;
	if ((err = rtn_schema_load(&h->xsd, eb)) != ASB_OK)
		return err;
	pthread_mutex_init(&h->decide, NULL);
	if ((err = hub_store_open(dir, 0, &h->st, eb)) != ASB_OK)
		goto fail;
	if ((err = dsig_key_load(h->sign_key, h->sign_cert, &h->sign, eb)) != ASB_OK) {
		hub_store_close(h->st);
		h->st = NULL;
		goto fail;
	}
	return ASB_OK;
fail:
	pthread_mutex_destroy(&h->decide);
	rtn_schema_free(h->xsd);
	h->xsd = NULL;
	return err;
}

void
hub_close(struct hub *h)
{
	hub_store_close(h->st);
	h->st = NULL;
	rtn_schema_free(h->xsd);
	h->xsd = NULL;
	dsig_key_free(h->sign);
	h->sign = NULL;
	pthread_mutex_destroy(&h->decide);
}

static void
set_body(struct hub_reply *out, char *buf, size_t len, const char *ctype)
{
	free(out->body);
	out->body = buf;
	out->len = len;
	out->ctype = ctype;
}

void
hub_refuse(struct hub_reply *out, int status, const char *rule, const char *action,
    const char *path, const char *fmt, ...)
{
	char msg[600], *buf = NULL;
	size_t len = 0;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out->status = status;
	snprintf(out->outcome, sizeof(out->outcome), "refused %s", rule);
	/* the service's own failures (a full disk, a read-only store) go to the log whole:
	 * they are about the service, never about a return's content */
	if (status >= 500)
		snprintf(out->detail, sizeof(out->detail), "%s", msg);
	if ((f = open_memstream(&buf, &len)) == NULL) {
		set_body(out, NULL, 0, "application/json");
		return;
	}
	fputc('{', f);
	json_kv_str(f, 1, "state", "refused");
	json_kv_int(f, 0, "status", status);
	json_kv_strn(f, 0, "return_id", out->return_id);
	json_key(f, 0, "findings");
	fputs("[{", f);
	json_kv_str(f, 1, "rule", rule);
	json_kv_str(f, 0, "severity", "error");
	json_kv_str(f, 0, "action", action);
	json_kv_int(f, 0, "line", 0);
	json_kv_str(f, 0, "path", path);
	json_kv_str(f, 0, "message", msg);
	fputs("}]}\n", f);
	fclose(f);
	set_body(out, buf, len, "application/json");
}

/* The findings of validation, kept for the receipt (the first max of them). */
struct kept {
	struct rtn_finding	*f;
	size_t			 n, max;
};

static void
keep(const struct rtn_finding *f, void *ctx)
{
	struct kept *k = ctx;

	if (k->n < k->max)
		k->f[k->n++] = *f;
}

static void
add_finding(struct kept *k, const char *rule, const char *msg)
{
	struct rtn_finding f;

	memset(&f, 0, sizeof(f));
	snprintf(f.rule, sizeof(f.rule), "%s", rule);
	snprintf(f.msg, sizeof(f.msg), "%s", msg);
	if (k->n < k->max)
		k->f[k->n++] = f;
}

static void
sha256_hex(const char *buf, size_t len, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	int i;

	SHA256((const unsigned char *)buf, len, md);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void
answer_receipt(struct hub_reply *out, const struct hub_return *r, char *receipt, size_t len)
{
	out->status = 200;
	snprintf(out->return_id, sizeof(out->return_id), "%s", r->id);
	snprintf(out->outcome, sizeof(out->outcome), "%s%s", r->test ? "TEST " : "",
	    r->state);
	set_body(out, receipt, len, "application/xml");
}

/* A correction must name the force's current return for the same period; a first return
 * must not collide with one.  Adds the finding that says which. */
static void
check_supersedes(struct hub *h, const struct hub_return *r, struct kept *k, unsigned *errors)
{
	struct hub_return old;
	char latest[37], msg[400];
	int have = hub_latest(h->st, r->force, r->period, r->test, latest) == ASB_OK;

	if (r->supersedes[0] == '\0') {
		if (!have)
			return;
		snprintf(msg, sizeof(msg), "force %s already has an accepted %sreturn "
		    "for %s (%s): to correct it, build the new one with "
		    "--supersedes %s", r->force, r->test ? "test " : "", r->period,
		    latest, latest);
		add_finding(k, "R-RTN-006", msg);
		(*errors)++;
		return;
	}
	if (hub_return_get(h->st, r->supersedes, &old, NULL, NULL, NULL, NULL) != ASB_OK ||
	    strcmp(old.force, r->force) != 0 || strcmp(old.period, r->period) != 0 ||
	    old.test != r->test) {
		snprintf(msg, sizeof(msg), "it supersedes %s, which is not a return "
		    "of force %s for %s%s: name the return it corrects",
		    r->supersedes, r->force, r->period, r->test ? " (test)" : "");
		add_finding(k, "R-RTN-005", msg);
		(*errors)++;
		return;
	}
	if (!have || strcmp(latest, r->supersedes) != 0) {
		snprintf(msg, sizeof(msg), "it supersedes %s, but the return that "
		    "counts for %s now is %s: supersede that one", r->supersedes,
		    r->period, have ? latest : "none");
		add_finding(k, "R-RTN-005", msg);
		(*errors)++;
	}
}

/* Milliseconds since *t, and *t moved to now: one step of an intake. */
static double
lap(struct timespec *t)
{
	struct timespec now;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - t->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - t->tv_nsec) / 1e6;
	*t = now;
	return ms;
}

/* The time budget of one intake (h->time_budget_ms, 0 = none), checked between steps: 1 and
 * a 503 when the steps so far took longer.  The steps are linear in the body (the cheap pass
 * caps what would not be), so a step never runs far past it. */
static int
over_budget(const struct hub *h, const struct timespec *t0, struct hub_reply *out,
    const char *step)
{
	struct timespec t = *t0;
	double ms;

	if (h->time_budget_ms == 0)
		return 0;
	ms = lap(&t);
	if (ms <= (double)h->time_budget_ms)
		return 0;
	hub_refuse(out, 503, "R-HUB-005", ACTION_RETRY, "/", "checking the return took "
	    "longer than the service allows (%.0f ms by the end of %s, the budget is %u "
	    "ms): nothing was stored; send it again later, and if it is refused again "
	    "ask the Home Office", ms, step, h->time_budget_ms);
	return 1;
}

void
hub_intake(struct hub *h, const char *body, size_t len, const char *tls_cn,
    asb_time received, struct hub_reply *out)
{
	struct rtn_validate_opts vo;
	struct rtn_validate_result vr;
	struct rtn_facts_builder *fb = NULL;
	uint8_t *facts = NULL;
	size_t flen = 0;
	struct dsig_signer who;
	struct hub_return r, old;
	struct hub_cert cert;
	struct asb_errbuf eb;
	struct kept k = { NULL, 0, 0 };
	struct rtn_header hd;
	char *receipt = NULL, *stored;
	size_t rlen, slen;
	xmlDocPtr doc;
	struct timespec t, t0;
	int exists, same = 0, err;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t0 = t;
	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	asb_errbuf_clear(&eb);
	if (len > h->max_body) {
		hub_refuse(out, 413, "R-XML-003", ACTION_RESUBMIT, "/", "the return is "
		    "%zu bytes; the limit is %zu", len, h->max_body);
		return;
	}
	/* parse: no DTD, no entities, no network; a DOCTYPE, comments, PIs, CDATA and
	 * anything the signature would not cover are refused here, before any costly step */
	if (rtn_parse_mem(body, len, "return", &doc, &eb) != ASB_OK) {
		hub_refuse(out, eb.rule[0] ? 400 : 503, eb.rule[0] ? eb.rule : "R-HUB-001",
		    eb.rule[0] ? ACTION_FIX : ACTION_RETRY, "/", "%s", eb.msg);
		return;
	}
	out->ms_parse = lap(&t);
	if (over_budget(h, &t0, out, "parsing")) {
		xmlFreeDoc(doc);
		return;
	}
	if (rtn_header_read(doc, &hd, &eb) != ASB_OK) {
		xmlFreeDoc(doc);
		hub_refuse(out, 400, eb.rule, ACTION_FIX, "/", "%s", eb.msg);
		return;
	}
	snprintf(r.id, sizeof(r.id), "%s", hd.return_id);
	snprintf(r.force, sizeof(r.force), "%s", hd.force);
	snprintf(r.period, sizeof(r.period), "%s", hd.period);
	snprintf(r.supersedes, sizeof(r.supersedes), "%s", hd.supersedes);
	r.test = hd.test;
	snprintf(out->return_id, sizeof(out->return_id), "%s", r.id);
	sha256_hex(body, len, r.sha256);
	r.bytes = len;
	r.received = received;

	/* the same bytes again, from the force that sent them: the same receipt */
	exists = hub_return_get(h->st, r.id, &old, &stored, &slen, NULL, NULL) == ASB_OK;
	if (exists && strcmp(old.sha256, r.sha256) == 0 &&
	    strcmp(old.force, tls_cn) == 0) {
		xmlFreeDoc(doc);
		answer_receipt(out, &old, stored, slen);
		return;
	}
	if (exists)
		free(stored);

	/* signature, signer, force */
	if ((err = dsig_verify_doc(doc, h->ca, &who, &eb)) != ASB_OK) {
		xmlFreeDoc(doc);
		if (err == ASB_ERULE)
			hub_refuse(out, 403, eb.rule, ACTION_RESUBMIT, "/Return/Signature",
			    "%s", eb.msg);
		else
			hub_refuse(out, 503, "R-HUB-001", ACTION_RETRY, "/", "%s", eb.msg);
		return;
	}
	out->ms_verify = lap(&t);
	if (hub_cert_get(h->st, who.fingerprint, &cert) != ASB_OK) {
		xmlFreeDoc(doc);
		hub_refuse(out, 403, "R-SIG-005", ACTION_RESUBMIT, "/Return/Signature",
		    "the signing certificate (%s, sha256 %s) is not registered "
		    "with the hub: ask the Home Office to register it",
		    who.cn, who.fingerprint);
		return;
	}
	if (cert.revoked != 0) {
		xmlFreeDoc(doc);
		hub_refuse(out, 403, "R-SIG-005", ACTION_RESUBMIT, "/Return/Signature",
		    "the signing certificate (sha256 %s) of %s was revoked: "
		    "sign with the force's current certificate", who.fingerprint,
		    cert.code);
		return;
	}
	if (rtn_check_binding(r.force, who.cn, &eb) != ASB_OK ||
	    strcmp(cert.code, r.force) != 0 || strcmp(tls_cn, r.force) != 0) {
		xmlFreeDoc(doc);
		hub_refuse(out, 403, "R-SIG-006", ACTION_RESUBMIT, "/Return/Header/Force",
		    "the connection is %s's, the signature %s's and the header "
		    "names %s: a force may only submit its own return",
		    tls_cn, cert.code, r.force[0] ? r.force : "no force");
		return;
	}
	if (exists && strcmp(old.force, tls_cn) != 0) {
		/* another force's return: what it holds is no business of this one */
		xmlFreeDoc(doc);
		hub_refuse(out, 409, "R-HUB-002", ACTION_RESUBMIT, "/Return/Header/ReturnId",
		    "return ID %s is already taken: build the return again (asbgw build "
		    "gives it a new ID)", r.id);
		return;
	}
	if (exists) {
		xmlFreeDoc(doc);
		hub_refuse(out, 409, "R-HUB-002", ACTION_RESUBMIT, "/Return/Header/ReturnId",
		    "return %s was received before with different content "
		    "(sha256 %s): a correction needs a new return ID that "
		    "supersedes it", r.id, old.sha256);
		return;
	}
	snprintf(r.signer, sizeof(r.signer), "%s", who.fingerprint);
	/*
	 * XSD and statutory rules, streamed over the bytes the signature was verified on (the
	 * gateway's own validation, rtn_validate_mem), with the tree already freed: the tree
	 * is the largest thing an intake holds, and libxml2's XSD validator over a tree cannot
	 * be stopped - it reports every error, at a cost per error that grows with the
	 * document (40,000 failing records: 41 s).  The stream stops at the error limit.
	 * The facts come from the same walk, so what is counted is what was validated, and
	 * the bytes walked are the bytes whose signature was verified and that are stored.
	 */
	xmlFreeDoc(doc);
	doc = NULL;
	if (over_budget(h, &t0, out, "the signature"))
		return;
	k.max = h->max_findings;
	if ((k.f = calloc(k.max ? k.max : 1, sizeof(*k.f))) == NULL) {
		hub_refuse(out, 503, "R-HUB-001", ACTION_RETRY, "/", "out of memory");
		return;
	}
	memset(&vo, 0, sizeof(vo));
	vo.max_errors = h->max_findings;
	vo.finding = keep;
	vo.ctx = &k;
	vo.schema = h->xsd;
	vo.max_bytes = h->max_body;
	/* the facts the national figures count, from this same walk (the validator's one
	 * walker) over these same bytes */
	if ((err = rtn_facts_builder_new(&fb, &eb)) == ASB_OK) {
		vo.record = rtn_facts_collect;
		vo.record_ctx = fb;
		err = rtn_validate_mem(body, len, "return", &vo, &vr, &eb);
		if (err == ASB_OK && vr.errors == 0)
			err = rtn_facts_finish(fb, r.force, r.period, r.test, &facts, &flen,
			    &eb);
		rtn_facts_builder_free(fb);
	}
	out->ms_validate = lap(&t);
	if (err != ASB_OK && err != ASB_ERULE) {
		free(k.f);
		free(facts);
		hub_refuse(out, 503, "R-HUB-001", ACTION_RETRY, "/", "%s", eb.msg);
		return;
	}
	if (vr.errors == 0 && facts == NULL) {	/* valid, yet its facts cannot be encoded */
		free(k.f);
		hub_refuse(out, 503, "R-HUB-001", ACTION_RETRY, "/", "%s", eb.msg);
		return;
	}
	if (over_budget(h, &t0, out, "validation")) {
		free(k.f);
		return;
	}
	r.records = vr.records;
	r.errors = vr.errors;
	r.warnings = vr.warnings;
	/* From the supersession check to the store, one return at a time: two corrections
	 * of the same return decided at once must not both be accepted. */
	pthread_mutex_lock(&h->decide);
	if (r.errors == 0)
		check_supersedes(h, &r, &k, &r.errors);
	snprintf(r.state, sizeof(r.state), "%s", r.errors ? "rejected" : "accepted");
	r.decided = (asb_time)time(NULL);

	/* the signed receipt, then one transaction: facts, bytes, receipt, latest */
	{
		struct receipt rc;

		memset(&rc, 0, sizeof(rc));
		snprintf(rc.return_id, sizeof(rc.return_id), "%s", r.id);
		snprintf(rc.force, sizeof(rc.force), "%s", r.force);
		snprintf(rc.period, sizeof(rc.period), "%s", r.period);
		rc.test = r.test;
		snprintf(rc.state, sizeof(rc.state), "%s", r.state);
		snprintf(rc.sha256, sizeof(rc.sha256), "%s", r.sha256);
		rc.bytes = r.bytes;
		asb_time_iso(r.received, rc.received, sizeof(rc.received));
		asb_time_iso(r.decided, rc.decided, sizeof(rc.decided));
		snprintf(rc.supersedes, sizeof(rc.supersedes), "%s", r.supersedes);
		rc.records = r.records;
		rc.errors = r.errors;
		rc.warnings = r.warnings;
		err = receipt_make(&rc, k.f, k.n, h->sign, &receipt, &rlen, &eb);
	}
	free(k.f);
	if (err != ASB_OK) {
		pthread_mutex_unlock(&h->decide);
		free(facts);
		hub_refuse(out, 503, "R-HUB-001", ACTION_RETRY, "/", "cannot sign the "
		    "receipt: %s", eb.msg);
		return;
	}
	err = hub_return_put(h->st, &r, body, len, receipt, rlen, r.errors ? NULL : facts,
	    flen, &same, &eb);
	pthread_mutex_unlock(&h->decide);
	free(facts);
	out->ms_store = lap(&t);
	if (err == ASB_ECONFLICT) {
		/* another request stored this ID first */
		xmlFree(receipt);
		if (same && hub_return_get(h->st, r.id, &old, &stored, &slen, NULL,
		    NULL) == ASB_OK)
			answer_receipt(out, &old, stored, slen);
		else
			hub_refuse(out, 409, "R-HUB-002", ACTION_RESUBMIT,
			    "/Return/Header/ReturnId", "return %s was received "
			    "before with different content", r.id);
		return;
	}
	if (err != ASB_OK) {
		struct statvfs vfs;
		char room[96] = "";

		/* a short write reads as EIO: say how much room the store has, so the
		 * operator sees a full disk for what it is */
		if (statvfs(h->dir, &vfs) == 0)
			snprintf(room, sizeof(room), " (%llu bytes free where the store is, "
			    "%zu needed for this return)", (unsigned long long)vfs.f_bavail *
			    vfs.f_frsize, len + rlen);
		xmlFree(receipt);
		hub_refuse(out, 503, "R-HUB-001", ACTION_RETRY, "/", "%s%s: nothing was "
		    "stored; send it again later", eb.msg, room);
		return;
	}
	stored = malloc(rlen + 1);
	if (stored != NULL) {
		memcpy(stored, receipt, rlen);
		stored[rlen] = '\0';
	}
	xmlFree(receipt);
	answer_receipt(out, &r, stored, stored ? rlen : 0);
}

void
hub_get_receipt(struct hub *h, const char *id, const char *tls_cn, struct hub_reply *out)
{
	struct hub_return r;
	char *receipt = NULL;
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->return_id, sizeof(out->return_id), "%.36s", id);
	rc = hub_return_get(h->st, id, &r, &receipt, &len, NULL, NULL);

	if (rc != ASB_OK || strcmp(r.force, tls_cn) != 0) {
		if (rc == ASB_OK)
			free(receipt);
		hub_refuse(out, 404, "R-HUB-003", ACTION_RESUBMIT, "/", "no return %s "
		    "from %s", id, tls_cn);
		return;
	}
	answer_receipt(out, &r, receipt, len);
}

struct listing {
	FILE	*f;
	int	 n;
};

static void
list_one(const struct hub_return *r, void *ctx)
{
	struct listing *l = ctx;
	char t[ASB_TIME_BUF];

	fputs(l->n++ ? ",{" : "{", l->f);
	json_kv_str(l->f, 1, "return_id", r->id);
	json_kv_str(l->f, 0, "period", r->period);
	json_kv_bool(l->f, 0, "test", r->test);
	json_kv_str(l->f, 0, "state", r->state);
	json_kv_bool(l->f, 0, "counts", r->latest);
	json_kv_str(l->f, 0, "received", asb_time_iso(r->received, t, sizeof(t)));
	json_kv_str(l->f, 0, "sha256", r->sha256);
	json_kv_int(l->f, 0, "records", (int64_t)r->records);
	json_kv_strn(l->f, 0, "supersedes", r->supersedes);
	fputc('}', l->f);
}

void
hub_list_own(struct hub *h, const char *tls_cn, const char *period, struct hub_reply *out)
{
	struct listing l = { NULL, 0 };
	struct asb_errbuf eb;
	char *buf = NULL;
	size_t len = 0;

	memset(out, 0, sizeof(*out));
	if ((l.f = open_memstream(&buf, &len)) == NULL) {
		hub_refuse(out, 503, "R-HUB-001", ACTION_RETRY, "/", "out of memory");
		return;
	}
	fputc('{', l.f);
	json_kv_str(l.f, 1, "force", tls_cn);
	json_key(l.f, 0, "returns");
	fputc('[', l.f);
	if (hub_return_each(h->st, tls_cn, period, list_one, &l, &eb) != ASB_OK) {
		fclose(l.f);
		free(buf);
		hub_refuse(out, 503, "R-HUB-001", ACTION_RETRY, "/", "%s", eb.msg);
		return;
	}
	fputs("]}\n", l.f);
	fclose(l.f);
	out->status = 200;
	snprintf(out->outcome, sizeof(out->outcome), "listed %d", l.n);
	set_body(out, buf, len, "application/json");
}
