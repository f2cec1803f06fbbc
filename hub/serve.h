/*
 * serve.h - the hub's HTTPS service: libevent's HTTP server over OpenSSL bufferevents,
 * client certificates required, a bounded pool of worker threads for the heavy part of each
 * submission (a whole-document signature needs the document as a DOM).
 */
#ifndef HUB_SERVE_H
#define HUB_SERVE_H

#include "intake.h"

struct serve_opts {
	const char	*listen;		/* "HOST:PORT"; port 0 picks a free one */
	const char	*port_file;		/* write the bound port here, or NULL */
	const char	*tls_cert, *tls_key;	/* the hub's TLS certificate and key */
	int		 workers;		/* returns verified at once (default 2) */
	int		 max_connections;	/* open connections (default 16) */
	int		 timeout;		/* seconds a connection may idle (default 30) */
	size_t		 max_body;		/* bytes (default ASB_HUB_MAX_BODY) */
	const char	*user;			/* run as this user once bound, or NULL */
	/* admission (conn.h); 0 takes the default of asb_limits.h */
	int		 max_unauth;		/* connections before a handshake (half) */
	int		 max_unauth_addr;	/* of those, from one address */
	unsigned	 handshake_ms;		/* accept to the end of the handshake */
	unsigned	 header_ms;		/* start of a request to the end of its head */
	size_t		 min_rate;		/* body bytes a second; 0: no minimum */
	size_t		 memory_budget;		/* bytes: bodies and their trees */
	unsigned	 time_budget_ms;	/* one intake's checks; 0: none */
	int		 grace;			/* seconds SIGTERM waits for the workers */
};

/* Serve until SIGINT or SIGTERM; the returns the workers hold are finished and stored first
 * if they finish within o->grace seconds, else the process exits without them (nothing of
 * theirs is stored).  ASB_EUSAGE for a bad address, TLS material or limits that do not fit
 * together, ASB_EIO when it cannot listen or write the port file. */
int	 hub_serve(struct hub *h, const struct serve_opts *o, struct asb_errbuf *eb);

#endif
