/*
 * server.c - HTTPS on libevent's evhttp with OpenSSL bufferevents, as the hub
 * (DEPENDENCY-NOTES.md section 5): TLS 1.2 at least, TCP_NODELAY on the listening socket
 * (without it each keep-alive answer waits 40 ms on Nagle), dirty shutdowns allowed, caps on
 * bodies and headers, idle timeouts; the port bound and the keys loaded before the drop to
 * --user.  No client certificate: officers sign in (auth.c).  One thread: each request is
 * one short LMDB transaction on the register kept open for the server's life.
 *
 * Every answer leaves through send(), which adds the security headers: a
 * Content-Security-Policy allowing nothing but this origin's stylesheet, fonts and images
 * (no script at all, no framing, forms only to here), HSTS, X-Frame-Options DENY,
 * Referrer-Policy no-referrer, X-Content-Type-Options nosniff, and Cache-Control no-store
 * on everything but the static assets.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "daemon.h"
#include "metrics.h"
#include "page.h"

#define WEB_MAX_BODY	(64u << 10)	/* a form, never a file: 64 KiB is room for any */
#define WEB_MAX_HEADERS	16384

static const char CSP[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

void
web_opts_defaults(struct web_opts *o)
{
	memset(o, 0, sizeof(*o));
	reg_auth_policy_defaults(&o->policy);
	o->timeout = 60;
	o->max_connections = 256;
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	}
	return status >= 500 ? "Service Unavailable" : "Error";
}

/* The service: the application the pages see, and what it counts (metrics.h). */
struct web_server {
	struct web_app		 app;
	struct web_metrics	 m;
};

static void
log_line(const struct web_req *q, const char *id, const char *route, double ms)
{
	char t[ASB_TIME_BUF], u[200];

	/* who, what, the outcome: never a form's values, a page's content or the path a
	 * client typed (a record's number, a name typed into the address bar): the route's
	 * pattern alone */
	fprintf(stderr, "ts=%s event=request id=%s user=%s method=%s route=%s status=%d "
	    "ms=%.0f\n", asb_time_iso((asb_time)time(NULL), t, sizeof(t)), id,
	    q->signed_in ? web_log_escape(q->sess.user, 64, u, sizeof(u)) : "-",
	    q->method == WEB_POST ? "POST" : q->method == WEB_GET ? "GET" : "OTHER",
	    route != NULL ? route : "other", q->status, ms);
}

/* GET /metrics: a bearer token's (metrics.h), no session; 404 when no token is set. */
static void
metrics_page(struct web_server *srv, struct web_req *q)
{
	const char *auth = evhttp_find_header(evhttp_request_get_input_headers(q->req),
	    "Authorization");
	char *text = NULL;
	size_t len = 0;

	if (srv->m.token[0] == '\0') {
		web_error_page(q, 404, "Page not found", "If you typed the web address, "
		    "check it is correct.");
		return;
	}
	if (!web_metrics_authorised(&srv->m, auth)) {
		web_header(q, "WWW-Authenticate", "Bearer realm=\"asbreg metrics\"");
		web_error_page(q, 401, "Not authorised", "The metrics need the bearer "
		    "token of the register's metrics.token.");
		return;
	}
	if (web_metrics_render(&srv->m, &text, &len) != 0) {
		web_error_page(q, 503, "Sorry, there is a problem with the service",
		    "Try again later.");
		return;
	}
	web_header(q, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	evbuffer_add(q->out, text, len);
	free(text);
}

/* Sign-ins, read from the answer (page_login.c): a 303 is a session; a refusal names its
 * rule on the page, R-LOGIN-002 while the account is locked. */
static void
count_signin(struct web_metrics *m, const struct web_req *q)
{
	if (q->method != WEB_POST || q->path == NULL)
		return;
	if (strcmp(q->path, "/logout") == 0 && q->status == 303)
		m->signout++;
	if (strcmp(q->path, "/login") != 0)
		return;
	if (q->status == 303)
		m->signin_ok++;
	else if (q->out != NULL && evbuffer_search(q->out, "(R-LOGIN-002)", 13, NULL).pos !=
	    -1)
		m->signin_locked++;
	else if (q->out != NULL && evbuffer_search(q->out, "(R-LOGIN-", 9, NULL).pos != -1)
		m->signin_failed++;
}

static void
add_headers(struct web_req *q)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(q->req);

	evhttp_add_header(h, "Content-Security-Policy", CSP);
	evhttp_add_header(h, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Cross-Origin-Opener-Policy", "same-origin");
	if (evhttp_find_header(h, "Cache-Control") == NULL)
		evhttp_add_header(h, "Cache-Control", "no-store");
	if (evhttp_find_header(h, "Content-Type") == NULL)
		evhttp_add_header(h, "Content-Type", "text/html; charset=utf-8");
}

struct pending {
	struct evhttp_request	*req;
	struct evbuffer		*out;
	int			 status;
};

static void
send_later(evutil_socket_t fd, short what, void *arg)
{
	struct pending *p = arg;

	(void)fd;
	(void)what;
	evhttp_send_reply(p->req, p->status, reason(p->status), p->out);
	evbuffer_free(p->out);
	free(p);
}

static void
send_reply(struct web_req *q)
{
	struct pending *p;

	add_headers(q);
	if (q->delay_ms > 0 && (p = calloc(1, sizeof(*p))) != NULL) {
		struct timeval tv = { q->delay_ms / 1000, (q->delay_ms % 1000) * 1000 };

		p->req = q->req;
		p->out = q->out;
		p->status = q->status;
		if (event_base_once(q->app->base, -1, EV_TIMEOUT, send_later, p, &tv) == 0) {
			q->out = NULL;
			return;
		}
		free(p);
	}
	evhttp_send_reply(q->req, q->status, reason(q->status), q->out);
}

static void
handle(struct evhttp_request *req, void *arg)
{
	struct web_server *srv = arg;
	struct web_app *app = &srv->app;
	const struct web_route *rt = NULL;
	struct timespec t0, t1;
	char id[24];
	int known;
	double ms;
	const char *uri = evhttp_request_get_uri(req);
	struct evhttp_uri *u = evhttp_uri_parse(uri);
	struct evkeyvalq query, form;
	struct web_req q;
	char *path = NULL, *body = NULL;
	size_t plen = 0;
	enum evhttp_cmd_type m = evhttp_request_get_command(req);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	web_metrics_id(&srv->m, id, sizeof(id));
	evhttp_add_header(evhttp_request_get_output_headers(req), "X-Request-Id", id);
	memset(&q, 0, sizeof(q));
	TAILQ_INIT(&query);
	TAILQ_INIT(&form);
	q.app = app;
	q.req = req;
	q.status = 200;
	q.now = app->o->fixed_now != 0 ? app->o->fixed_now : (asb_time)time(NULL);
	q.method = m == EVHTTP_REQ_GET ? WEB_GET : m == EVHTTP_REQ_POST ? WEB_POST : 0;
	if ((q.out = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 503, "out of memory");
		if (u != NULL)
			evhttp_uri_free(u);
		return;
	}
	if (u == NULL || evhttp_uri_get_path(u) == NULL ||
	    (path = evhttp_uridecode(evhttp_uri_get_path(u), 0, &plen)) == NULL ||
	    strlen(path) != plen || q.method == 0) {
		web_error_page(&q, 400, "Bad request", "That is not an address of this service.");
		goto send;
	}
	q.path = path;
	if (evhttp_uri_get_query(u) != NULL &&
	    evhttp_parse_query_str(evhttp_uri_get_query(u), &query) == 0)
		q.query = &query;
	if (q.method == WEB_POST) {
		struct evbuffer *in = evhttp_request_get_input_buffer(req);
		size_t len = evbuffer_get_length(in);
		const char *ct = evhttp_find_header(evhttp_request_get_input_headers(req),
		    "Content-Type");

		if (ct == NULL || strncmp(ct, "application/x-www-form-urlencoded", 33) != 0 ||
		    (body = malloc(len + 1)) == NULL) {
			web_error_page(&q, 400, "Bad request", "A form is sent as "
			    "application/x-www-form-urlencoded.");
			goto send;
		}
		evbuffer_copyout(in, body, len);
		body[len] = '\0';
		if (strlen(body) != len || evhttp_parse_query_str(body, &form) != 0) {
			web_error_page(&q, 400, "Bad request", "The form could not be read.");
			goto send;
		}
		q.form = &form;
	}
	if (strcmp(path, "/metrics") == 0 && q.method == WEB_GET) {
		metrics_page(srv, &q);
		rt = NULL;
		goto send;
	}
	rt = web_route_find(q.method, path, &known);
	web_dispatch(&q);
	count_signin(&srv->m, &q);
send:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	web_metrics_count(&srv->m, q.path != NULL && strcmp(q.path, "/metrics") == 0 ?
	    "/metrics" : rt != NULL ? rt->path : NULL, q.status, ms);
	send_reply(&q);
	log_line(&q, id, q.path != NULL && strcmp(q.path, "/metrics") == 0 ? "/metrics" :
	    rt != NULL ? rt->path : NULL, ms);
	if (q.out != NULL)
		evbuffer_free(q.out);
	evhttp_clear_headers(&query);
	evhttp_clear_headers(&form);
	free(body);
	free(path);
	if (u != NULL)
		evhttp_uri_free(u);
}

/* ---- TLS, the listener, privileges -------------------------------------------------------- */

static struct bufferevent *
bevcb(struct event_base *base, void *arg)
{
	SSL *ssl = SSL_new(arg);
	struct bufferevent *bev;

	if (ssl == NULL)
		return NULL;
	bev = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
	    BEV_OPT_CLOSE_ON_FREE);
	if (bev != NULL)
		bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
}

static SSL_CTX *
make_ctx(const struct web_opts *o, struct asb_errbuf *eb)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL) {
		asb_fail(eb, ASB_EIO, NULL, "OpenSSL did not start");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (o->tls_cert == NULL || o->tls_key == NULL ||
	    SSL_CTX_use_certificate_chain_file(ctx, o->tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, o->tls_key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		asb_fail(eb, ASB_EUSAGE, NULL, "%s, %s: not a matching TLS certificate and key "
		    "(tools/devpki makes one for development)", o->tls_cert ? o->tls_cert : "-",
		    o->tls_key ? o->tls_key : "-");
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	fprintf(stderr, "event=stop signal=%d msg=\"asbreg serve stopping\"\n", (int)sig);
	event_base_loopexit(arg, NULL);
}

int
web_serve(const struct web_opts *o, struct asb_errbuf *eb)
{
	struct web_server srv;
	struct web_app *app = &srv.app;
	struct sockaddr_storage ss;
	struct evhttp *http = NULL;
	struct evconnlistener *lis = NULL;
	struct event *sigint = NULL, *sigterm = NULL;
	SSL_CTX *ctx = NULL;
	char css[4096];
	int sslen, one = 1, fd, err;

	memset(&srv, 0, sizeof(srv));
	app->o = o;
	if ((err = asb_parse_listen(o->listen, &ss, &sslen, eb)) != ASB_OK)
		return err;
	snprintf(css, sizeof(css), "%s/govuk-frontend.min.css", o->assets ? o->assets : "");
	if (o->assets == NULL || access(css, R_OK) != 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--assets %s: no govuk-frontend.min.css "
		    "there (run 'make deps' for npm ci, or give govuk-frontend's dist/govuk)",
		    o->assets ? o->assets : "(none)");
	if ((err = web_metrics_init(&srv.m, o->dir, eb)) != ASB_OK)
		return err;
	if ((err = reg_open(o->dir, &app->r, eb)) != ASB_OK)
		return err;
	signal(SIGPIPE, SIG_IGN);
	if ((ctx = make_ctx(o, eb)) == NULL) {
		err = ASB_EUSAGE;
		goto out;
	}
	if ((app->base = event_base_new()) == NULL || (http = evhttp_new(app->base)) == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "libevent did not start");
		goto out;
	}
	lis = evconnlistener_new_bind(app->base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE |
	    LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC, 128, (struct sockaddr *)&ss, sslen);
	if (lis == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "cannot listen on %s: %s", o->listen,
		    strerror(errno));
		goto out;
	}
	fd = evconnlistener_get_fd(lis);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (evhttp_bind_listener(http, lis) == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "cannot serve on %s", o->listen);
		goto out;
	}
	lis = NULL;	/* the evhttp owns it now */
	evhttp_set_bevcb(http, bevcb, ctx);
	evhttp_set_gencb(http, handle, &srv);
	evhttp_set_max_body_size(http, WEB_MAX_BODY);
	evhttp_set_max_headers_size(http, WEB_MAX_HEADERS);
	evhttp_set_timeout(http, o->timeout);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
	sigint = evsignal_new(app->base, SIGINT, on_signal, app->base);
	sigterm = evsignal_new(app->base, SIGTERM, on_signal, app->base);
	if (sigint != NULL)
		event_add(sigint, NULL);
	if (sigterm != NULL)
		event_add(sigterm, NULL);
	{
		struct sockaddr_storage b;
		socklen_t bl = sizeof(b);
		int port = 0;

		if (getsockname(fd, (struct sockaddr *)&b, &bl) == 0)
			port = ntohs(b.ss_family == AF_INET ?
			    ((struct sockaddr_in *)&b)->sin_port :
			    ((struct sockaddr_in6 *)&b)->sin6_port);
		fprintf(stderr, "asbreg serve: serving %s on https port %d\n", o->dir, port);
		/* never through a link, nor into a file not ours: we may still be root */
		if (o->port_file != NULL &&
		    (err = asb_write_port_file(o->port_file, port, eb)) != ASB_OK)
			goto out;
	}
	if (o->user != NULL) {
		if ((err = asb_drop_privileges(o->user, o->dir, eb)) != ASB_OK)
			goto out;
	} else if (geteuid() == 0)
		fprintf(stderr, "asbreg serve: serving as root: give --user to run as an "
		    "unprivileged user once the port is bound\n");
	event_base_dispatch(app->base);
	err = ASB_OK;
out:
	if (sigint != NULL)
		event_free(sigint);
	if (sigterm != NULL)
		event_free(sigterm);
	if (lis != NULL)
		evconnlistener_free(lis);
	if (http != NULL)
		evhttp_free(http);
	if (app->base != NULL)
		event_base_free(app->base);
	SSL_CTX_free(ctx);
	reg_close(app->r);
	return err;
}
