/*
 * conn.h - admission of the hub's connections, between the kernel and evhttp: deadlines for
 * the TLS handshake and the request headers, a minimum rate for the body, a bounded share of
 * the connection slots for clients not yet authenticated (and a smaller one per address), the
 * connection cap enforced by pausing the listener, and one memory budget for every request
 * body and the tree it becomes.  Each connection's bytes pass through a filter that reads the
 * request head before evhttp does, so a request is refused (or its body discarded) before
 * evhttp buffers it.  Everything here runs on the event loop's thread.
 */
#ifndef HUB_CONN_H
#define HUB_CONN_H

#include <stddef.h>
#include <time.h>
#include <sys/queue.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <openssl/ssl.h>

struct conn_policy {
	int		 max_connections;	/* open at once; the rest wait in the backlog */
	int		 max_unauth;		/* of those, before a first request head (the
						 * TLS handshake included) */
	int		 max_unauth_addr;	/* of those, from one address */
	unsigned	 handshake_ms;		/* accept to the end of the TLS handshake */
	unsigned	 header_ms;		/* start of a request to the end of its head */
	size_t		 min_rate;		/* body bytes a second, after a second's grace */
	size_t		 max_body;		/* a larger Content-Length: 413 */
	size_t		 max_head;		/* request line and headers, bytes */
	size_t		 budget;		/* bytes: bodies being received and checked */
	unsigned	 cost_factor;		/* a body of n bytes costs n * this */
};

/* Why the filter refused the current request (its body discarded, the connection closed
 * after the answer); the handler answers it. */
enum conn_refusal {
	CONN_OK = 0,
	CONN_TWO_LENGTHS,	/* 400: two Content-Length headers */
	CONN_BAD_LENGTH,	/* 400: a Content-Length that is not a number, a folded line */
	CONN_CHUNKED,		/* 411: Transfer-Encoding instead of Content-Length */
	CONN_TOO_LARGE,		/* 413: more than max_body */
	CONN_BUSY		/* 503: the memory budget is spent; Retry-After */
};

struct conn;

struct conns {
	struct conn_policy	 p;
	struct event_base	*base;
	struct evconnlistener	*lis;
	int			 ex_idx;	/* SSL ex_data: the struct conn */
	int			 open, unauth, paused, closing;
	size_t			 in_use;	/* of the budget */
	unsigned long		 evicted, refused_busy;
	/* the log of closed connections, at most one line a second for each reason (a flood
	 * must not fill the disk): the reason, when it was last logged, how many since */
	const char		*log_why[8];
	time_t			 log_at[8];
	unsigned		 log_more[8];
	TAILQ_HEAD(, conn)	 all;		/* oldest first */
};

/* Set up the table (p copied; set cs->lis before serving); -1 when OpenSSL has no ex_data
 * slot for it. */
int	 conns_init(struct conns *cs, struct event_base *base, const struct conn_policy *p);

/* Install the handshake-done callback on ctx (ctx's app data becomes cs). */
void	 conns_tls(struct conns *cs, SSL_CTX *ctx);

/* evhttp's bevcb: a new connection's bufferevent (TLS under the admission filter), or NULL. */
struct bufferevent *conn_new(struct conns *cs, SSL_CTX *ctx);

/* The connection a request arrived on, or NULL when the client has gone. */
struct conn *conn_of(const struct conns *cs, struct evhttp_request *req);

/* The TLS session under a connection's bufferevent (for the client certificate). */
SSL	*conn_ssl(struct conn *c);

/* Why the current request was refused (CONN_OK when it was not), and its Content-Length. */
enum conn_refusal conn_refusal(const struct conn *c, size_t *ret_length);

/* Move the current request's share of the budget to the caller, who gives it back with
 * conns_give once the body and its tree are freed. */
size_t	 conn_take_share(struct conn *c);
void	 conns_give(struct conns *cs, size_t n);

/* The answer to the current request is being sent: the next request starts now. */
void	 conn_answered(struct conn *c);

#endif
