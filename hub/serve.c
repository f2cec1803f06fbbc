/*
 * serve.c - HTTPS with mutual TLS on libevent's evhttp (DEPENDENCY-NOTES.md section 5):
 * SSL_VERIFY_PEER with FAIL_IF_NO_PEER_CERT, TCP_NODELAY on the listening socket (evhttp
 * never sets it; without it every keep-alive answer waits 40 ms), dirty TLS shutdowns
 * allowed, a body-size cap, idle timeouts; connection admission - deadlines, shares of the
 * slots, the connection cap, the memory budget - is conn.c's.  Submissions go to a queue
 * served by a fixed number of worker threads; a worker hands its answer back to the event
 * loop with event_active, the one libevent call that is safe from another thread once
 * evthread_use_pthreads has been called.
 */
#define _GNU_SOURCE	/* pthread_timedjoin_np */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "asb_limits.h"
#include "conn.h"
#include "dsig.h"
#include "metrics.h"
#include "peer.h"
#include "serve.h"
#include "daemon.h"

struct job;

struct server {
	struct hub		*h;
	const struct serve_opts	*o;
	struct event_base	*base;
	struct evhttp		*http;
	struct evconnlistener	*lis;
	SSL_CTX			*ctx;
	struct conns		 cs;		/* admission: slots, deadlines, budget */
	struct hub_metrics	 m;		/* GET /v1/metrics, request IDs */
	/* the work queue */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct job		*head, *tail;
	int			 queued, stopping;
};

struct job {
	struct server		*s;
	struct evhttp_request	*req;
	struct event		*done;
	const char		*body;
	size_t			 len;
	char			 cn[64];
	char			 id[24];	/* X-Request-Id */
	asb_time		 received;
	struct timespec		 t0;
	struct hub_reply	 out;
	size_t			 share;		/* of the memory budget */
	struct job		*next;
};

static double
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void
send_reply(struct evhttp_request *req, struct hub_reply *r, const char *id)
{
	struct evkeyvalq *hdr = evhttp_request_get_output_headers(req);
	struct evbuffer *b = evbuffer_new();

	evhttp_add_header(hdr, "X-Request-Id", id);
	evhttp_add_header(hdr, "Content-Type", r->ctype ? r->ctype : "application/json");
	evhttp_add_header(hdr, "Cache-Control", "no-store");
	if (r->status == 503)
		evhttp_add_header(hdr, "Retry-After", r->retry_after[0] ? r->retry_after :
		    "30");
	if (b != NULL && r->body != NULL)
		evbuffer_add(b, r->body, r->len);
	evhttp_send_reply(req, r->status, r->status == 200 ? "OK" : r->status == 400 ?
	    "Bad Request" : r->status == 403 ? "Forbidden" : r->status == 404 ?
	    "Not Found" : r->status == 405 ? "Method Not Allowed" : r->status == 409 ? "Conflict" : r->status == 411 ?
	    "Length Required" : r->status == 413 ?
	    "Payload Too Large" : r->status == 503 ? "Service Unavailable" : "Error", b);
	if (b != NULL)
		evbuffer_free(b);
}

/* ---- TLS ------------------------------------------------------------------------------- */

static int
verify_cb(int ok, X509_STORE_CTX *x)
{
	if (!ok) {
		char subj[256] = "";
		X509 *c = X509_STORE_CTX_get_current_cert(x);

		if (c != NULL)
			X509_NAME_oneline(X509_get_subject_name(c), subj, sizeof(subj));
		fprintf(stderr, "client certificate refused: %s: %s\n", subj,
		    X509_verify_cert_error_string(X509_STORE_CTX_get_error(x)));
	}
	return ok;
}

/* The one CN of the verified client certificate, or "" */
static void
peer_cn(struct conn *c, char *out, size_t cap, char fingerprint[65])
{
	SSL *ssl = c != NULL ? conn_ssl(c) : NULL;
	struct dsig_signer who;
	X509 *cert;

	out[0] = '\0';
	fingerprint[0] = '\0';
	if (ssl == NULL || SSL_get_verify_result(ssl) != X509_V_OK ||
	    (cert = SSL_get1_peer_certificate(ssl)) == NULL)
		return;
	if (dsig_x509_describe(cert, &who, NULL) == ASB_OK) {
		snprintf(out, cap, "%s", who.cn);
		snprintf(fingerprint, 65, "%s", who.fingerprint);
	}
	X509_free(cert);
}

static struct bufferevent *
bevcb(struct event_base *base, void *arg)
{
	struct server *s = arg;

	(void)base;
	return conn_new(&s->cs, s->ctx);
}

static SSL_CTX *
make_ctx(const struct hub *h, const struct serve_opts *o, struct asb_errbuf *eb)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	STACK_OF(X509_NAME) *names;

	if (ctx == NULL) {
		asb_fail(eb, ASB_EIO, NULL, "OpenSSL did not start");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, o->tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, o->tls_key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		asb_fail(eb, ASB_EUSAGE, NULL, "%s, %s: not a matching TLS "
		    "certificate and key", o->tls_cert, o->tls_key);
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (SSL_CTX_load_verify_locations(ctx, h->ca, NULL) != 1 ||
	    (names = SSL_load_client_CA_file(h->ca)) == NULL) {
		asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a CA certificate", h->ca);
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_client_CA_list(ctx, names);
	/* a renegotiation is a handshake the deadlines would not see */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
	if (hub_peer_tls_setup(ctx, h, eb) != ASB_OK) {	/* peer.h: who may connect */
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* ---- the work queue -------------------------------------------------------------------- */

static void
job_done(evutil_socket_t fd, short what, void *arg)
{
	struct job *j = arg;
	struct conn *c;

	(void)fd;
	(void)what;
	/* the body and its tree are freed: give back their share of the budget */
	hub_peer_seal(j->s->h, j->req, j->out.status, j->out.body, j->out.len);
	evbuffer_drain(evhttp_request_get_input_buffer(j->req), j->len);
	conns_give(&j->s->cs, j->share);
	if ((c = conn_of(&j->s->cs, j->req)) != NULL)
		conn_answered(c);
	send_reply(j->req, &j->out, j->id);
	hub_metrics_count(&j->s->m, HUB_R_SUBMIT, &j->out, ms_since(&j->t0));
	hub_log_request(j->id, j->cn, "POST", "/v1/returns", &j->out, j->len,
	    ms_since(&j->t0));
	free(j->out.body);
	event_free(j->done);
	free(j);
}

static void *
worker(void *arg)
{
	struct server *s = arg;
	struct job *j;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (s->head == NULL && !s->stopping)
			pthread_cond_wait(&s->cv, &s->mu);
		/* stopping: finish the return in hand, take no other (the forces send the
		 * queued ones again) */
		if (s->head == NULL || s->stopping) {
			pthread_mutex_unlock(&s->mu);
			return NULL;
		}
		j = s->head;
		s->head = j->next;
		if (s->head == NULL)
			s->tail = NULL;
		s->queued--;
		pthread_mutex_unlock(&s->mu);
		hub_intake(s->h, j->body, j->len, j->cn, j->received, &j->out);
		event_active(j->done, EV_READ, 0);
	}
}

static void
submit(struct server *s, struct evhttp_request *req, struct conn *c, const char *cn,
    const char *id, struct timespec *t0)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	struct hub_reply r;
	struct job *j;

	memset(&r, 0, sizeof(r));
	if (len == 0) {
		hub_refuse(&r, 400, "R-XML-001", "fix-data", "/", "the request has no "
		    "body: POST the signed return");
		goto now;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->done = event_new(s->base, -1, 0, job_done, j)) == NULL) {
		free(j);
		hub_refuse(&r, 503, "R-HUB-001", "retry", "/", "out of memory");
		goto now;
	}
	/* The body stays in the request's buffer until the reply: no copy.  evhttp keeps
	 * a request it has not answered even if the client goes away. */
	j->s = s;
	j->req = req;
	j->len = len;
	j->share = c != NULL ? conn_take_share(c) : 0;
	j->body = (const char *)evbuffer_pullup(in, -1);
	j->received = (asb_time)time(NULL);	/* the last byte has arrived */
	j->t0 = *t0;
	snprintf(j->cn, sizeof(j->cn), "%s", cn);
	snprintf(j->id, sizeof(j->id), "%s", id);
	pthread_mutex_lock(&s->mu);
	if (s->tail != NULL)
		s->tail->next = j;
	else
		s->head = j;
	s->tail = j;
	s->queued++;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return;
now:
	if (c != NULL)
		conn_answered(c);
	hub_peer_seal(s->h, req, r.status, r.body, r.len);	/* peer.h: refusals signed */
	send_reply(req, &r, id);
	hub_metrics_count(&s->m, HUB_R_SUBMIT, &r, ms_since(t0));
	hub_log_request(id, cn, "POST", "/v1/returns", &r, len, ms_since(t0));
	free(r.body);
}

/* The filter refused the request at its head (conn.c): say why; the body was discarded and
 * the connection closes after the answer. */
static void
refused_head(struct server *s, enum conn_refusal why, size_t length, struct hub_reply *r)
{
	switch (why) {
	case CONN_TWO_LENGTHS:
		hub_refuse(r, 400, "R-HUB-004", "fix-data", "/", "two Content-Length "
		    "headers: send one");
		break;
	case CONN_BAD_LENGTH:
		hub_refuse(r, 400, "R-HUB-004", "fix-data", "/", "a Content-Length that "
		    "is not a number, or a folded header line");
		break;
	case CONN_CHUNKED:
		hub_refuse(r, 411, "R-HUB-004", "fix-data", "/", "a chunked body: send "
		    "the return with a Content-Length");
		break;
	case CONN_TOO_LARGE:
		hub_refuse(r, 413, "R-XML-003", "resubmit", "/", "the return is %zu "
		    "bytes; the limit is %zu", length, s->o->max_body);
		break;
	default:
		hub_refuse(r, 503, "R-HUB-006", "retry", "/", "the service is checking as "
		    "many returns as its memory allows: nothing was stored; send it again "
		    "in a few seconds");
		snprintf(r->retry_after, sizeof(r->retry_after), "5");
		break;
	}
}

/* ---- routing --------------------------------------------------------------------------- */

/* Whether the client's certificate is an operator's (asbhub operator add): it may read
 * /v1/metrics and nothing else.  Read from the store each time, like a revocation. */
static int
is_operator(struct server *s, const char *fingerprint)
{
	struct hub_cert rec;
	struct asb_errbuf eb;
	int registered;

	return fingerprint[0] != '\0' && hub_tls_lookup(s->h->st, HUB_OPERATOR_CODE,
	    fingerprint, &rec, &registered, &eb) == ASB_OK && rec.revoked == 0 &&
	    rec.added != 0;
}

static void
metrics(struct server *s, struct hub_reply *r)
{
	struct hub_gauges g;

	memset(&g, 0, sizeof(g));
	g.open = s->cs.open;
	g.unauth = s->cs.unauth;
	g.max_connections = s->cs.p.max_connections;
	g.evicted = s->cs.evicted;
	g.refused_busy = s->cs.refused_busy;
	g.budget_in_use = s->cs.in_use;
	g.budget = s->cs.p.budget;
	g.workers = s->o->workers;
	pthread_mutex_lock(&s->mu);
	g.queued = s->queued;
	pthread_mutex_unlock(&s->mu);
	if (hub_metrics_render(&s->m, &g, &r->body, &r->len) != 0) {
		hub_refuse(r, 503, "R-HUB-001", "retry", "/", "out of memory");
		return;
	}
	r->status = 200;
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
	snprintf(r->outcome, sizeof(r->outcome), "ok");
}

static void
handle(struct evhttp_request *req, void *arg)
{
	struct server *s = arg;
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	const char *uri = evhttp_request_get_uri(req), *path, *query;
	struct evhttp_uri *u = evhttp_uri_parse(uri);
	struct evkeyvalq q;
	struct hub_reply r;
	struct timespec t0;
	struct conn *c = conn_of(&s->cs, req);
	enum conn_refusal why = CONN_OK;
	enum hub_route route = HUB_R_OTHER;
	size_t length = 0;
	char cn[64], fp[65], id[24];
	const char *mname = m == EVHTTP_REQ_GET ? "GET" : m == EVHTTP_REQ_POST ? "POST" :
	    "OTHER";
	int op;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	hub_metrics_id(&s->m, id, sizeof(id));
	memset(&r, 0, sizeof(r));
	TAILQ_INIT(&q);
	peer_cn(c, cn, sizeof(cn), fp);
	path = u != NULL ? evhttp_uri_get_path(u) : NULL;
	if (path != NULL && strcmp(path, "/v1/health") == 0)
		route = HUB_R_HEALTH;
	else if (path != NULL && strcmp(path, "/v1/metrics") == 0)
		route = HUB_R_METRICS;
	else if (path != NULL && strcmp(path, "/v1/returns") == 0)
		route = m == EVHTTP_REQ_POST ? HUB_R_SUBMIT : HUB_R_LIST;
	else if (path != NULL && strncmp(path, "/v1/returns/", 12) == 0)
		route = HUB_R_RECEIPT;
	op = cn[0] != '\0' && is_operator(s, fp);
	if (c != NULL)
		why = conn_refusal(c, &length);
	if (why != CONN_OK) {
		refused_head(s, why, length, &r);
	} else if (s->stopping) {
		hub_refuse(&r, 503, "R-HUB-001", "retry", "/", "the service is stopping");
	} else if (cn[0] == '\0') {
		hub_refuse(&r, 403, "R-SIG-006", "resubmit", "/", "no verified client "
		    "certificate");
	} else if (path == NULL) {
		hub_refuse(&r, 400, "R-HUB-004", "fix-data", "/", "not a valid URI");
	} else if (route == HUB_R_METRICS && m == EVHTTP_REQ_GET) {
		if (op)
			metrics(s, &r);
		else
			hub_refuse(&r, 403, "R-TLS-002", "fix-data", path, "/v1/metrics is "
			    "open to an operator's certificate alone (asbhub operator add "
			    "--cert FILE)");
	} else if (op && route != HUB_R_HEALTH) {
		hub_refuse(&r, 403, "R-TLS-002", "fix-data", path, "an operator's "
		    "certificate reads /v1/metrics and /v1/health, nothing else");
	} else if (route == HUB_R_HEALTH && m == EVHTTP_REQ_GET) {
		r.status = 200;
		r.ctype = "application/json";
		r.body = strdup("{\"status\":\"ok\"}\n");
		r.len = r.body ? strlen(r.body) : 0;
		snprintf(r.outcome, sizeof(r.outcome), "ok");
	} else if (route == HUB_R_SUBMIT) {
		evhttp_uri_free(u);
		submit(s, req, c, cn, id, &t0);
		return;
	} else if (route == HUB_R_LIST && m == EVHTTP_REQ_GET) {
		const char *period = NULL;

		query = evhttp_uri_get_query(u);
		if (query != NULL && evhttp_parse_query_str(query, &q) == 0)
			period = evhttp_find_header(&q, "period");
		hub_list_own(s->h, cn, period, &r);
	} else if (route == HUB_R_RECEIPT && m == EVHTTP_REQ_GET) {
		hub_get_receipt(s->h, path + 12, cn, &r);
	} else if (route == HUB_R_LIST || route == HUB_R_HEALTH || route == HUB_R_METRICS) {
		hub_refuse(&r, 405, "R-HUB-004", "fix-data", path, "method not allowed");
	} else {
		hub_refuse(&r, 404, "R-HUB-004", "fix-data", path, "no such resource: "
		    "the service has /v1/returns, /v1/health and /v1/metrics");
	}
	evhttp_clear_headers(&q);
	if (u != NULL)
		evhttp_uri_free(u);
	if (c != NULL)
		conn_answered(c);
	hub_peer_seal(s->h, req, r.status, r.body, r.len);	/* peer.h: refusals signed */
	send_reply(req, &r, id);
	hub_metrics_count(&s->m, route, &r, ms_since(&t0));
	hub_log_request(id, cn, mname, uri, &r, evbuffer_get_length(
	    evhttp_request_get_input_buffer(req)), ms_since(&t0));
	free(r.body);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server *s = arg;

	(void)what;
	fprintf(stderr, "event=stop signal=%d grace_s=%d msg=\"no new connections; "
	    "finishing the returns in hand, then stopping\"\n", (int)sig, s->o->grace);
	/* stop accepting at once: a force that connects now is refused by the kernel and
	 * retries later from its outbox */
	if (s->lis != NULL)
		evconnlistener_disable(s->lis);
	event_base_loopexit(s->base, NULL);
}

/*
 * SIGHUP: the TLS certificate and key (and the CA) read again into a new SSL_CTX for the
 * connections that come next; the open ones keep the context they started with (each SSL
 * holds a reference to it, so the old one is freed with the last of them).  Registered
 * certificates and revocations need no reload: they are read from the store on every
 * connection (peer.h).  A certificate that does not load leaves the old one serving.
 */
static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct server *s = arg;
	struct asb_errbuf eb;
	SSL_CTX *ctx;

	(void)sig;
	(void)what;
	asb_errbuf_clear(&eb);
	if ((ctx = make_ctx(s->h, s->o, &eb)) == NULL) {
		__atomic_add_fetch(&s->m.reload_failures, 1, __ATOMIC_RELAXED);
		fprintf(stderr, "event=reload result=failed msg=\"%s; still serving the "
		    "certificate loaded before\"\n", eb.msg);
		return;
	}
	conns_tls(&s->cs, ctx);
	SSL_CTX_free(s->ctx);
	s->ctx = ctx;
	__atomic_add_fetch(&s->m.reloads, 1, __ATOMIC_RELAXED);
	fprintf(stderr, "event=reload result=ok cert=%s msg=\"new connections use the TLS "
	    "certificate read now; open ones keep theirs\"\n", s->o->tls_cert);
}

/* ---- the service ----------------------------------------------------------------------- */

/* Wait for the workers at most grace seconds; 0 when they all stopped. */
static int
join_within(pthread_t *tids, int n, int grace)
{
	struct timespec until;
	int i, left = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += grace;
	for (i = 0; i < n; i++)
		if (pthread_timedjoin_np(tids[i], NULL, &until) != 0)
			left++;
	return left;
}

int
hub_serve(struct hub *h, const struct serve_opts *o, struct asb_errbuf *eb)
{
	struct server s;
	struct sockaddr_storage ss;
	struct event *sigint = NULL, *sigterm = NULL, *sighup = NULL;
	struct conn_policy cp;
	struct job *j;
	pthread_t *tids = NULL;
	int sslen, one = 1, started = 0, err = ASB_OK, fd, left;

	memset(&s, 0, sizeof(s));
	s.h = h;
	s.o = o;
	hub_metrics_init(&s.m);
	memset(&cp, 0, sizeof(cp));
	cp.max_connections = o->max_connections;
	cp.max_unauth = o->max_unauth > 0 ? o->max_unauth : o->max_connections / 2 > 0 ?
	    o->max_connections / 2 : 1;
	cp.max_unauth_addr = o->max_unauth_addr > 0 ? o->max_unauth_addr :
	    ASB_HUB_MAX_UNAUTH_ADDR;
	cp.handshake_ms = o->handshake_ms ? o->handshake_ms : ASB_HUB_HANDSHAKE_MS;
	cp.header_ms = o->header_ms ? o->header_ms : ASB_HUB_HEADER_MS;
	cp.min_rate = o->min_rate;
	cp.max_body = o->max_body;
	cp.max_head = ASB_HUB_MAX_HEAD;
	cp.budget = o->memory_budget ? o->memory_budget : (size_t)ASB_HUB_MEMORY_BUDGET;
	cp.cost_factor = ASB_HUB_COST_FACTOR;
	if (cp.max_unauth >= cp.max_connections && cp.max_connections > 1)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--max-unauthenticated %d: must be "
		    "fewer than --max-connections %d, or clients without a certificate "
		    "could hold every slot", cp.max_unauth, cp.max_connections);
	if ((uint64_t)o->max_body * cp.cost_factor > (uint64_t)cp.budget)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--max-body %zu needs a memory budget "
		    "of at least %llu bytes (%u times the body: the body and its tree); "
		    "raise --memory-budget or lower --max-body", o->max_body,
		    (unsigned long long)o->max_body * cp.cost_factor, cp.cost_factor);
	/* the receipt key is loaded by hub_open, before any privilege is dropped: after the
	 * drop no worker could (or should) open a key file */
	if (h->sign == NULL)
		return asb_fail(eb, ASB_EUSAGE, NULL, "the hub's receipt signing key is "
		    "not loaded (hub_open loads %s)", h->sign_key);
	if ((err = asb_parse_listen(o->listen, &ss, &sslen, eb)) != ASB_OK)
		return err;
	signal(SIGPIPE, SIG_IGN);
	if (evthread_use_pthreads() != 0)
		return asb_fail(eb, ASB_EIO, NULL, "libevent without threads");
	if ((s.ctx = make_ctx(h, o, eb)) == NULL)
		return ASB_EUSAGE;
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	if ((s.base = event_base_new()) == NULL || (s.http = evhttp_new(s.base)) == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "libevent did not start");
		goto out;
	}
	s.lis = evconnlistener_new_bind(s.base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE |
	    LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC, 128, (struct sockaddr *)&ss, sslen);
	if (s.lis == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "cannot listen on %s: %s", o->listen,
		    strerror(errno));
		goto out;
	}
	if (conns_init(&s.cs, s.base, &cp) != 0) {
		err = asb_fail(eb, ASB_EIO, NULL, "OpenSSL has no room for the connection "
		    "table");
		goto out;
	}
	s.cs.lis = s.lis;
	conns_tls(&s.cs, s.ctx);
	fd = evconnlistener_get_fd(s.lis);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (evhttp_bind_listener(s.http, s.lis) == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "cannot serve on %s", o->listen);
		goto out;
	}
	evhttp_set_bevcb(s.http, bevcb, &s);
	evhttp_set_gencb(s.http, handle, &s);
	evhttp_set_max_body_size(s.http, (ev_ssize_t)o->max_body);
	evhttp_set_max_headers_size(s.http, ASB_HUB_MAX_HEAD);
	evhttp_set_timeout(s.http, o->timeout);
	evhttp_set_allowed_methods(s.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
	h->max_body = o->max_body;
	h->time_budget_ms = o->time_budget_ms;
	/*
	 * Each return is parsed into a tree about ten times its size, again and again.  Keep
	 * freed memory for the next one rather than hand it back to the kernel and fault it
	 * in again (on a virtual machine that was half the cost of a parse), and let the
	 * workers share one arena so what one frees the other reuses.  The peak is bounded
	 * by the memory budget (conn.c), and when nothing is in hand conn.c hands what was
	 * kept back to the kernel (malloc_trim).
	 */
	(void)mallopt(M_TRIM_THRESHOLD, 1 << 30);
	(void)mallopt(M_MMAP_THRESHOLD, 64 << 20);
	(void)mallopt(M_ARENA_MAX, 1);
	if ((tids = calloc((size_t)o->workers, sizeof(*tids))) == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
		goto out;
	}
	for (started = 0; started < o->workers; started++)
		if (pthread_create(&tids[started], NULL, worker, &s) != 0)
			break;
	sigint = evsignal_new(s.base, SIGINT, on_signal, &s);
	sigterm = evsignal_new(s.base, SIGTERM, on_signal, &s);
	if (sigint != NULL)
		event_add(sigint, NULL);
	if (sigterm != NULL)
		event_add(sigterm, NULL);
	if ((sighup = evsignal_new(s.base, SIGHUP, on_hup, &s)) != NULL)
		event_add(sighup, NULL);
	{
		struct sockaddr_storage b;
		socklen_t bl = sizeof(b);
		int port = 0;

		if (getsockname(fd, (struct sockaddr *)&b, &bl) == 0)
			port = ntohs(b.ss_family == AF_INET ?
			    ((struct sockaddr_in *)&b)->sin_port :
			    ((struct sockaddr_in6 *)&b)->sin6_port);
		fprintf(stderr, "asbhub: serving %s on port %d (%d workers, at most %d "
		    "connections, %d of them before a handshake, bodies up to %zu bytes, "
		    "memory budget %zu bytes)\n", h->dir, port, o->workers,
		    o->max_connections, cp.max_unauth, o->max_body, cp.budget);
		if (o->port_file != NULL &&
		    (err = asb_write_port_file(o->port_file, port, eb)) != ASB_OK)
			goto out;
	}
	/* bound, keys loaded, port file written: now give up root (glibc changes every
	 * thread's credentials, the workers' too) */
	if (o->user != NULL) {
		if ((err = asb_drop_privileges(o->user, h->dir, eb)) != ASB_OK)
			goto out;
	} else if (geteuid() == 0)
		fprintf(stderr, "asbhub: serving as root: give --user to run as an "
		    "unprivileged user once the port is bound\n");
	event_base_dispatch(s.base);
out:
	if (s.lis != NULL)
		evconnlistener_disable(s.lis);
	pthread_mutex_lock(&s.mu);
	s.stopping = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	/* SIGTERM stops within the grace period whatever a worker is doing: a worker still
	 * checking a return after it is abandoned with the process.  Nothing of its return is
	 * stored (the store commits a return in one transaction), and the force's outbox
	 * sends it again. */
	if ((left = join_within(tids, started, o->grace)) > 0) {
		fprintf(stderr, "asbhub: %d return%s still being checked after the %d s "
		    "grace period: stopping without %s (nothing of %s is stored; the "
		    "forces send again)\n", left, left == 1 ? "" : "s", o->grace,
		    left == 1 ? "it" : "them", left == 1 ? "it" : "theirs");
		fflush(stderr);
		_exit(err == ASB_OK ? 0 : err);
	}
	free(tids);
	/* the answers the workers finished as the loop stopped, sent if their clients are
	 * still there (else the force's outbox sends again and gets the stored receipt);
	 * the returns still queued are dropped the same way */
	if (s.base != NULL)
		(void)event_base_loop(s.base, EVLOOP_NONBLOCK);
	while ((j = s.head) != NULL) {
		s.head = j->next;
		conns_give(&s.cs, j->share);
		event_free(j->done);
		free(j);
	}
	if (sigint != NULL)
		event_free(sigint);
	if (sigterm != NULL)
		event_free(sigterm);
	if (sighup != NULL)
		event_free(sighup);
	s.cs.closing = 1;
	if (s.http != NULL)
		evhttp_free(s.http);
	if (s.base != NULL)
		event_base_free(s.base);
	SSL_CTX_free(s.ctx);
	pthread_mutex_destroy(&s.mu);
	pthread_cond_destroy(&s.cv);
	return err;
}
