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
};

/* Serve until SIGINT or SIGTERM; the work already taken is finished and stored first.
 * ASB_EUSAGE for a bad address or TLS material, ASB_EIO when it cannot listen. */
int	 hub_serve(struct hub *h, const struct serve_opts *o, struct asb_errbuf *eb);

#endif
