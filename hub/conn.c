/*
 * conn.c - the hub's connection admission (conn.h).
 *
 * Why a filter: evhttp (libevent 2.1) gives no hook between accepting a connection and
 * buffering a whole request body, its timeouts are inactivity timeouts that every trickled
 * byte resets, and it takes the first of two Content-Length headers.  So each connection's
 * decrypted bytes pass through a bufferevent filter that reads the request head itself: it
 * holds the head until it is complete (a trickled head never reaches evhttp), decides the
 * request there - refused, or admitted with its share of the memory budget - and passes the
 * body through counting it.  A refused request reaches evhttp with "Content-Length: 0" and
 * "Connection: close" and its body is discarded as it arrives; the handler answers it.
 *
 * Deadlines are absolute, on one timer per connection: accept to the end of the TLS handshake,
 * start of a request to the end of its head, then a minimum body rate.  A connection past its
 * deadline is shut down (shutdown(2)) and evhttp is told its stream ended, so it frees it at once.
 *
 * Slots: the listener is paused at max_connections, so the rest wait in the kernel's backlog.
 * Connections that have not yet sent a whole request head - the TLS handshake included, so
 * every client without a certificate - hold at most max_unauth of the slots, and at most
 * max_unauth_addr from one address: a new one beyond either closes the oldest such (an honest
 * handshake and head take milliseconds; a stalled one is the one that has waited longest).
 * A client without a certificate never gets past the handshake, so never reaches a worker.
 */
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>

#include "conn.h"

enum phase {
	PH_TLS,		/* before the end of the TLS handshake */
	PH_HEAD,	/* reading a request head */
	PH_BODY,	/* passing an admitted body through */
	PH_HELD,	/* the request is with evhttp: further bytes wait */
	PH_DISCARD,	/* refused with a known length: its body is discarded */
	PH_SWALLOW	/* refused, length unknown: everything further is discarded
			 * until the client closes or the deadline passes */
};

struct conn {
	struct conns		*cs;
	SSL			*ssl;
	struct bufferevent	*tls, *bev;
	struct event		*timer;
	struct event		*flush;		/* moves an answer through the filter */
	TAILQ_ENTRY(conn)	 next;
	int			 refs;		/* the filter's and the SSL's */
	int			 gone;		/* accounted for as closed */
	struct sockaddr_storage	 addr;
	int			 have_addr, authed, evicting;
	int			 settled;	/* its first request head is complete */
	int			 looked;	/* admit() has seen it */
	enum phase		 phase;
	struct timespec		 t_accept, t_phase;
	/* the head being read */
	struct evbuffer		*head;
	size_t			 head_len;
	unsigned		 lines, n_length;
	int			 chunked, folded, bad_length;
	uint64_t		 length;
	/* the body */
	uint64_t		 body_left, body_got;
	enum conn_refusal	 refusal;
	int			 answered;	/* the current request's answer is out */
	size_t			 share;
};

static double
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static void
now(struct timespec *t)
{
	clock_gettime(CLOCK_MONOTONIC, t);
}

static const char *
addr_str(const struct conn *c, char *buf, size_t cap)
{
	const struct sockaddr_storage *a = &c->addr;

	if (!c->have_addr)
		snprintf(buf, cap, "-");
	else if (a->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)a)->sin_addr, buf, cap);
	else if (a->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)a)->sin6_addr, buf, cap);
	else
		snprintf(buf, cap, "?");
	return buf;
}

static int
same_addr(const struct conn *a, const struct conn *b)
{
	if (!a->have_addr || !b->have_addr || a->addr.ss_family != b->addr.ss_family)
		return 0;
	if (a->addr.ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)&a->addr)->sin_addr,
		    &((const struct sockaddr_in *)&b->addr)->sin_addr, 4) == 0;
	if (a->addr.ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)&a->addr)->sin6_addr,
		    &((const struct sockaddr_in6 *)&b->addr)->sin6_addr, 16) == 0;
	return 0;
}

/* A connection closed by us is logged by address only - the reason is ours, never the
 * client's text - and at most once a second for each reason, with how many were not. */
static void
log_closed(struct conn *c, const char *why)
{
	struct conns *cs = c->cs;
	time_t t = time(NULL);
	char a[64];
	size_t i;

	for (i = 0; i < 8 && cs->log_why[i] != NULL && cs->log_why[i] != why; i++)
		;
	if (i == 8)
		i = 7;
	if (cs->log_why[i] == why && cs->log_at[i] == t) {
		cs->log_more[i]++;
		return;
	}
	if (cs->log_why[i] == why && cs->log_more[i] > 0)
		fprintf(stderr, "asbhub: connection from %s closed: %s (and %u more for this "
		    "reason since the last line)\n", addr_str(c, a, sizeof(a)), why,
		    cs->log_more[i]);
	else
		fprintf(stderr, "asbhub: connection from %s closed: %s\n", addr_str(c, a,
		    sizeof(a)), why);
	cs->log_why[i] = why;
	cs->log_at[i] = t;
	cs->log_more[i] = 0;
}

/* Close a connection from our side. */
static void
evict(struct conn *c, const char *why)
{
	evutil_socket_t fd;

	if (c->evicting)
		return;
	c->evicting = 1;
	c->cs->evicted++;
	fd = bufferevent_getfd(c->tls);
	if (fd >= 0)
		(void)shutdown(fd, SHUT_RDWR);
	/* the shutdown tells the client, not us (a client that ignores it would keep the slot):
	 * report the end of the stream to evhttp, which frees the connection, on the next turn
	 * of the loop (never from inside our own callbacks) */
	bufferevent_trigger_event(c->tls, BEV_EVENT_EOF | BEV_EVENT_READING,
	    BEV_TRIG_DEFER_CALLBACKS);
	log_closed(c, why);
}

static void
give(struct conns *cs, size_t n)
{
	if (n == 0)
		return;
	cs->in_use = n > cs->in_use ? 0 : cs->in_use - n;
	/* the burst is over: hand what the bodies and trees used back to the kernel */
	if (cs->in_use == 0)
		(void)malloc_trim(0);
}

void
conns_give(struct conns *cs, size_t n)
{
	give(cs, n);
}

static void
arm(struct conn *c)
{
	struct conn_policy *p = &c->cs->p;
	struct timespec t;
	double due;
	struct timeval tv;

	now(&t);
	/* the first tick looks at a new connection (admit): a handshake that ends before it
	 * runs must not push it back to a deadline, or the connection escapes the shares */
	if (!c->looked)
		due = 0;
	else switch (c->phase) {
	case PH_TLS:
		due = (double)p->handshake_ms - ms_between(&c->t_accept, &t);
		break;
	case PH_HEAD:
	case PH_SWALLOW:
		due = (double)p->header_ms - ms_between(&c->t_phase, &t);
		break;
	case PH_BODY:
	case PH_DISCARD:
		due = 1000;
		break;
	default:
		evtimer_del(c->timer);
		return;
	}
	if (due < 0)
		due = 0;
	tv.tv_sec = (time_t)(due / 1000);
	tv.tv_usec = (suseconds_t)((due - (double)tv.tv_sec * 1000) * 1000);
	evtimer_add(c->timer, &tv);
}

/* The first tick (the descriptor is known by then): who it is, and the shares of the slots
 * that connections not yet authenticated may hold. */
static void
admit(struct conn *c)
{
	struct conns *cs = c->cs;
	struct conn *o, *p, *victim = NULL;
	socklen_t len = sizeof(c->addr);
	int n = 0, n_addr = 0, k, most = 0;
	evutil_socket_t fd = bufferevent_getfd(c->tls);

	if (fd >= 0 && getpeername(fd, (struct sockaddr *)&c->addr, &len) == 0)
		c->have_addr = 1;
	/* the connections waiting for a request head that have been looked at (those accepted
	 * in the same turn of the loop are looked at in turn) */
	TAILQ_FOREACH(o, &cs->all, next)
		if (!o->settled && !o->evicting && !o->gone && o->have_addr) {
			n++;
			if (same_addr(o, c)) {
				n_addr++;
				if (victim == NULL && o != c)
					victim = o;
			}
		}
	if (n_addr > cs->p.max_unauth_addr && victim != NULL) {
		evict(victim, "more connections without a request from one address "
		    "than the service allows; the oldest is closed");
		return;
	}
	if (n <= cs->p.max_unauth)
		return;
	/* over the total: the oldest of the address holding the most, so that a flood from
	 * some addresses does not push out a client from another */
	victim = NULL;
	TAILQ_FOREACH(o, &cs->all, next) {
		if (o->settled || o->evicting || o->gone || !o->have_addr)
			continue;
		k = 0;
		TAILQ_FOREACH(p, &cs->all, next)
			if (!p->settled && !p->evicting && !p->gone && same_addr(o, p))
				k++;
		if (k > most) {
			most = k;
			victim = o;
		}
	}
	if (victim != NULL)
		evict(victim, "more connections without a request than the service "
		    "allows; the oldest of the address holding the most is closed");
}

static void
tick(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	struct conn_policy *p = &c->cs->p;
	struct timespec t;
	double ms;

	(void)fd;
	(void)what;
	if (c->gone || c->evicting)
		return;
	if (!c->looked) {
		c->looked = 1;
		admit(c);
		if (c->evicting)
			return;
	}
	now(&t);
	switch (c->phase) {
	case PH_TLS:
		if (ms_between(&c->t_accept, &t) >= p->handshake_ms) {
			evict(c, "no TLS handshake within the deadline");
			return;
		}
		break;
	case PH_HEAD:
		if (ms_between(&c->t_phase, &t) >= p->header_ms) {
			evict(c, c->lines ? "the request head was not complete within the "
			    "deadline" : "no request within the deadline");
			return;
		}
		break;
	case PH_SWALLOW:
		if (ms_between(&c->t_phase, &t) >= p->header_ms) {
			evict(c, "a refused request still sending");
			return;
		}
		break;
	case PH_BODY:
	case PH_DISCARD:
		ms = ms_between(&c->t_phase, &t);
		if (ms > 1000 && (double)c->body_got < (double)p->min_rate *
		    (ms - 1000) / 1000) {
			evict(c, "the body arrived slower than the minimum rate");
			return;
		}
		break;
	default:
		break;
	}
	arm(c);
}

/* Header name at the start of line (n bytes), case-insensitive, then optional blanks and ':';
 * the value after it, blanks trimmed. */
static int
header_is(const char *line, size_t n, const char *name, const char **ret_v, size_t *ret_n)
{
	size_t k = strlen(name), i;

	if (n <= k || strncasecmp(line, name, k) != 0)
		return 0;
	for (i = k; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i >= n || line[i] != ':')
		return 0;
	for (i++; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	while (n > i && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
		n--;
	*ret_v = line + i;
	*ret_n = n - i;
	return 1;
}

/* One line of the head (without its end of line). */
static void
head_line(struct conn *c, const char *line, size_t n)
{
	const char *v;
	size_t vn, i;
	uint64_t len = 0;

	if (c->lines++ == 0)
		return;	/* the request line: evhttp reads it */
	if (line[0] == ' ' || line[0] == '\t') {
		c->folded = 1;
		return;
	}
	if (header_is(line, n, "Content-Length", &v, &vn)) {
		c->n_length++;
		if (vn == 0 || vn > 19)
			c->bad_length = 1;
		for (i = 0; i < vn; i++) {
			if (v[i] < '0' || v[i] > '9') {
				c->bad_length = 1;
				break;
			}
			len = len * 10 + (uint64_t)(v[i] - '0');
		}
		c->length = len;
	} else if (header_is(line, n, "Transfer-Encoding", &v, &vn))
		c->chunked = 1;
}

/* The head without Connection headers (evhttp would close as soon as the filter took an
 * answer, before TLS wrote it: the client or a deadline closes instead); for a refused request
 * without length, encoding and Expect, and Content-Length 0 (its body is discarded). */
static void
head_out(struct conn *c, struct evbuffer *dst)
{
	const char *v;
	size_t n, vn;
	char *line;
	unsigned i = 0;
	int refused = c->refusal != CONN_OK, keep;

	while ((line = evbuffer_readln(c->head, &n, EVBUFFER_EOL_CRLF)) != NULL) {
		if (n == 0) {
			evbuffer_add_printf(dst, "%s\r\n", refused ? "Content-Length: 0\r\n" :
			    "");
			free(line);
			break;
		}
		keep = i++ == 0 || (!header_is(line, n, "Connection", &v, &vn) &&
		    (!refused || (line[0] != ' ' && line[0] != '\t' &&
		    !header_is(line, n, "Content-Length", &v, &vn) &&
		    !header_is(line, n, "Transfer-Encoding", &v, &vn) &&
		    !header_is(line, n, "Expect", &v, &vn))));
		if (keep) {
			evbuffer_add(dst, line, n);
			evbuffer_add(dst, "\r\n", 2);
		}
		free(line);
	}
	evbuffer_drain(c->head, evbuffer_get_length(c->head));
}

/* The head is complete: refuse the request or admit it with its share of the budget. */
static void
decide(struct conn *c, struct evbuffer *dst)
{
	struct conns *cs = c->cs;
	uint64_t cost;

	if (!c->settled) {
		c->settled = 1;
		cs->unauth--;
	}
	c->refusal = CONN_OK;
	if (c->folded || c->bad_length)
		c->refusal = CONN_BAD_LENGTH;
	else if (c->n_length > 1)
		c->refusal = CONN_TWO_LENGTHS;
	else if (c->chunked)
		c->refusal = CONN_CHUNKED;
	else if (c->length > cs->p.max_body)
		c->refusal = CONN_TOO_LARGE;
	else if (c->length > 0) {
		cost = c->length * cs->p.cost_factor;
		if (cs->in_use + cost > cs->p.budget) {
			c->refusal = CONN_BUSY;
			cs->refused_busy++;
		} else {
			cs->in_use += (size_t)cost;
			c->share = (size_t)cost;
		}
	}
	head_out(c, dst);
	now(&c->t_phase);
	c->answered = 0;
	if (c->refusal == CONN_BUSY || c->refusal == CONN_TOO_LARGE) {
		c->phase = c->length > 0 ? PH_DISCARD : PH_HELD;
		c->body_left = c->length;
		c->body_got = 0;
	} else if (c->refusal != CONN_OK)
		c->phase = PH_SWALLOW;
	else if (c->length > 0) {
		c->phase = PH_BODY;
		c->body_left = c->length;
		c->body_got = 0;
	} else
		c->phase = PH_HELD;
	arm(c);
}

static void authenticated(struct conn *c);
static void next_request(struct conn *c);

static enum bufferevent_filter_result
filter_in(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	struct conn *c = ctx;
	struct evbuffer_ptr eol;
	size_t have, eol_len, n;
	int progress = 0;
	unsigned char *line;

	(void)lim;
	(void)mode;
	while ((have = evbuffer_get_length(src)) > 0 && !c->evicting) {
		switch (c->phase) {
		case PH_TLS:
			/* TLS 1.3 may deliver the first request before it reports the end
			 * of the handshake: data means the handshake is done */
			if (!SSL_is_init_finished(c->ssl))
				return progress ? BEV_OK : BEV_NEED_MORE;
			authenticated(c);
			continue;
		case PH_HELD:
			return progress ? BEV_OK : BEV_NEED_MORE;
		case PH_SWALLOW:
			evbuffer_drain(src, have);
			progress = 1;
			continue;
		case PH_BODY:
		case PH_DISCARD:
			n = have < c->body_left ? have : (size_t)c->body_left;
			if (c->phase == PH_DISCARD)
				evbuffer_drain(src, n);
			else if (evbuffer_remove_buffer(src, dst, n) < 0)
				return BEV_ERROR;
			c->body_left -= n;
			c->body_got += n;
			progress = 1;
			if (c->body_left == 0) {
				c->phase = PH_HELD;
				if (c->answered)
					next_request(c);
				else
					arm(c);
			}
			continue;
		case PH_HEAD:
			break;
		}
		eol = evbuffer_search_eol(src, NULL, &eol_len, EVBUFFER_EOL_CRLF);
		if (eol.pos < 0) {
			if (c->head_len + have > c->cs->p.max_head) {
				evict(c, "a request head longer than the service allows");
				evbuffer_drain(src, have);
				return BEV_OK;
			}
			return progress ? BEV_OK : BEV_NEED_MORE;
		}
		n = (size_t)eol.pos;
		if (c->head_len + n + eol_len > c->cs->p.max_head) {
			evict(c, "a request head longer than the service allows");
			evbuffer_drain(src, have);
			return BEV_OK;
		}
		if (n == 0 && c->lines == 0) {
			evbuffer_drain(src, eol_len);	/* blank lines before a request */
			progress = 1;
			continue;
		}
		line = evbuffer_pullup(src, (ev_ssize_t)(n + eol_len));
		if (line == NULL)
			return BEV_ERROR;
		if (n > 0)
			head_line(c, (const char *)line, n);
		evbuffer_remove_buffer(src, c->head, n + eol_len);
		c->head_len += n + eol_len;
		progress = 1;
		if (n == 0)
			decide(c, dst);
	}
	return progress ? BEV_OK : BEV_NEED_MORE;
}

/* The connection is closed: its slot, its share of the budget, and the listener. */
static void
conn_closed(struct conn *c)
{
	struct conns *cs = c->cs;

	if (c->gone)
		return;
	c->gone = 1;
	TAILQ_REMOVE(&cs->all, c, next);
	cs->open--;
	if (!c->settled)
		cs->unauth--;
	give(cs, c->share);
	c->share = 0;
	if (c->timer != NULL) {
		event_free(c->timer);
		c->timer = NULL;
	}
	if (c->flush != NULL) {
		event_free(c->flush);
		c->flush = NULL;
	}
	if (!cs->closing && cs->paused && cs->open < cs->p.max_connections) {
		evconnlistener_enable(cs->lis);
		cs->paused = 0;
	}
}

static void
conn_unref(struct conn *c)
{
	conn_closed(c);
	if (--c->refs > 0)
		return;
	evbuffer_free(c->head);
	free(c);
}

/* The filter's context is released (the filter bufferevent is gone). */
static void
filter_free(void *ctx)
{
	conn_unref(ctx);
}

/* OpenSSL frees the SSL (the TLS bufferevent is gone). */
static void
ssl_free_cb(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	if (ptr != NULL)
		conn_unref(ptr);
}

/* The TLS handshake is complete (the client's certificate verified): the first request's
 * head is due from the accept. */
static void
authenticated(struct conn *c)
{
	if (c->authed || c->gone)
		return;
	c->authed = 1;
	c->phase = PH_HEAD;
	c->t_phase = c->t_accept;
	arm(c);
}

static void
info_cb(const SSL *ssl, int where, int ret)
{
	struct conns *cs;
	struct conn *c;

	(void)ret;
	if (!(where & SSL_CB_HANDSHAKE_DONE) ||
	    (cs = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl))) == NULL ||
	    (c = SSL_get_ex_data(ssl, cs->ex_idx)) == NULL)
		return;
	authenticated(c);
	if (evbuffer_get_length(bufferevent_get_input(c->tls)) > 0)
		bufferevent_trigger(c->tls, EV_READ, BEV_TRIG_IGNORE_WATERMARKS |
		    BEV_TRIG_DEFER_CALLBACKS);
}

void
conn_answered(struct conn *c)
{
	give(c->cs, c->share);
	c->share = 0;
	c->answered = 1;
	/* the next request starts once this one's bytes are all in */
	if (c->phase == PH_HELD)
		next_request(c);
}

int
conns_init(struct conns *cs, struct event_base *base, const struct conn_policy *p)
{
	memset(cs, 0, sizeof(*cs));
	cs->p = *p;
	cs->base = base;
	TAILQ_INIT(&cs->all);
	cs->ex_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, ssl_free_cb);
	return cs->ex_idx < 0 ? -1 : 0;
}

void
conns_tls(struct conns *cs, SSL_CTX *ctx)
{
	SSL_CTX_set_app_data(ctx, cs);
	SSL_CTX_set_info_callback(ctx, info_cb);
}

/*
 * libevent 2.1's filter moves output only when output is added while writing is enabled, and
 * evhttp adds an answer first and enables writing after: the answer would wait for the next
 * event.  So every addition schedules a flush for the next turn of the loop, when evhttp has
 * enabled writing.
 */
static void
flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	if (!c->gone)
		bufferevent_flush(c->bev, EV_WRITE, BEV_NORMAL);
}

static void
output_added(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	struct conn *c = arg;

	(void)b;
	if (info->n_added > 0 && !c->gone && c->flush != NULL)
		event_active(c->flush, EV_WRITE, 0);
}

struct bufferevent *
conn_new(struct conns *cs, SSL_CTX *ctx)
{
	struct conn *c = calloc(1, sizeof(*c));
	struct timeval zero = { 0, 0 };

	if (c == NULL || (c->head = evbuffer_new()) == NULL ||
	    (c->timer = evtimer_new(cs->base, tick, c)) == NULL ||
	    (c->flush = event_new(cs->base, -1, 0, flush_cb, c)) == NULL ||
	    (c->ssl = SSL_new(ctx)) == NULL) {
		if (c != NULL && c->flush != NULL)
			event_free(c->flush);
		if (c != NULL && c->timer != NULL)
			event_free(c->timer);
		if (c != NULL && c->head != NULL)
			evbuffer_free(c->head);
		free(c);
		return NULL;
	}
	c->cs = cs;
	c->phase = PH_TLS;
	now(&c->t_accept);
	c->tls = bufferevent_openssl_socket_new(cs->base, -1, c->ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (c->tls == NULL) {
		SSL_free(c->ssl);
		event_free(c->flush);
		event_free(c->timer);
		evbuffer_free(c->head);
		free(c);
		return NULL;
	}
	SSL_set_ex_data(c->ssl, cs->ex_idx, c);
	c->refs = 1;
	bufferevent_openssl_set_allow_dirty_shutdown(c->tls, 1);
	/* what waits for the filter (a pipelined request, a body while we decide) is bounded */
	bufferevent_setwatermark(c->tls, EV_READ, 0, 256 << 10);
	c->bev = bufferevent_filter_new(c->tls, filter_in, NULL, BEV_OPT_CLOSE_ON_FREE,
	    filter_free, c);
	TAILQ_INSERT_TAIL(&cs->all, c, next);
	cs->open++;
	cs->unauth++;
	if (c->bev == NULL) {
		bufferevent_free(c->tls);	/* frees the SSL, and c with it */
		return NULL;
	}
	c->refs = 2;
	evbuffer_add_cb(bufferevent_get_output(c->bev), output_added, c);
	if (cs->open >= cs->p.max_connections && !cs->paused) {
		evconnlistener_disable(cs->lis);
		cs->paused = 1;
	}
	/* the descriptor is set once evhttp has the bufferevent: look at it on the first
	 * turn of the loop */
	evtimer_add(c->timer, &zero);
	return c->bev;
}

struct conn *
conn_of(const struct conns *cs, struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev = evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	struct bufferevent *tls = bev ? bufferevent_get_underlying(bev) : NULL;
	SSL *ssl = tls ? bufferevent_openssl_get_ssl(tls) : NULL;
	struct conn *c = ssl ? SSL_get_ex_data(ssl, cs->ex_idx) : NULL;

	return c != NULL && !c->gone ? c : NULL;
}

SSL *
conn_ssl(struct conn *c)
{
	return c->ssl;
}

enum conn_refusal
conn_refusal(const struct conn *c, size_t *ret_length)
{
	*ret_length = (size_t)c->length;
	return c->refusal;
}

size_t
conn_take_share(struct conn *c)
{
	size_t n = c->share;

	c->share = 0;
	return n;
}

static void
next_request(struct conn *c)
{
	c->phase = PH_HEAD;
	c->lines = c->n_length = 0;
	c->chunked = c->folded = c->bad_length = 0;
	c->length = 0;
	c->head_len = 0;
	c->refusal = CONN_OK;
	now(&c->t_phase);
	arm(c);
	if (evbuffer_get_length(bufferevent_get_input(c->tls)) > 0)
		bufferevent_trigger(c->tls, EV_READ, BEV_TRIG_IGNORE_WATERMARKS |
		    BEV_TRIG_DEFER_CALLBACKS);
}
