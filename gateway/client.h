/*
 * client.h - submission to the hub over mutually authenticated HTTPS (libcurl, OpenSSL),
 * and the outbox's delivery step.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stddef.h>

#include "date.h"
#include "err.h"
#include "outbox.h"

struct gw_tls {
	const char	*url;		/* the hub's base URL, https://host:port */
	const char	*cert, *key;	/* the force's TLS client certificate and key */
	const char	*ca;		/* the CA that signs the hub and its receipts */
	const char	*receipt_signer;	/* CN of the receipt key; NULL: asbhub-receipts */
	long		 timeout;	/* seconds for a whole request (0: 600) */
	long		 connect_timeout;	/* seconds to connect, TLS included (0: 60):
					 * a busy hub leaves new connections waiting */
};

/* Call once from main before any request; and clean up at the end. */
int	 gw_client_init(struct asb_errbuf *eb);
void	 gw_client_cleanup(void);

/*
 * One request: POST body to url+path when body is not NULL, else GET.  *status is the HTTP
 * status (0 when none arrived); *resp the answer (malloc'd, at most 16 MiB).  ASB_EIO for
 * network and TLS failures (retry may help), ASB_EUSAGE for a bad URL or unreadable keys.
 */
int	 gw_http(const struct gw_tls *t, const char *path, const char *body, size_t len,
	    long *status, char **resp, size_t *rlen, struct asb_errbuf *eb);

/*
 * Deliver one outbox entry now, whatever its schedule: mark it sending (durably), POST it,
 * and record the outcome - acknowledged or rejected with the verified receipt, rejected with
 * the hub's refusal on a 4xx, or back to signed with the next try after a backoff on a
 * network failure, a 5xx or a receipt that does not verify.  *e is the entry afterwards.
 * ASB_OK when the hub decided (either way), ASB_EIO when it stays queued.
 */
int	 gw_send_one(struct outbox *ob, const struct gw_tls *t, const char *id, asb_time now,
	    struct ob_entry *e, struct asb_errbuf *eb);

#endif
