/*
 * metrics.h - what asbreg serve counts, for GET /metrics (Prometheus' text format 0.0.4),
 * and its log line: one key=value line per request on stderr with the request's ID (also
 * sent as X-Request-Id).  Never personal data: the route's pattern from the route table
 * ("/records/"), never the path a client typed; statuses; sign-in results; times.
 *
 * GET /metrics is open to a bearer token alone: the file DIR/metrics.token (one line, 32 or
 * more characters, mode 0600 or stricter), read when the service starts; with no such file
 * /metrics answers 404.  Everything here runs on the event loop's one thread.
 */
#ifndef WEB_METRICS_H
#define WEB_METRICS_H

#include <stddef.h>

#include "err.h"

#define WEB_M_ROUTES	32	/* distinct route patterns counted */
#define WEB_M_BUCKETS	10	/* the latency histogram's bounds, +Inf last */
#define WEB_M_TOKEN_MIN	32

struct web_metrics {
	struct {
		const char	*route;		/* the route table's pattern (a static string) */
		int		 status;
		unsigned long	 n;
	}		 pages[WEB_M_ROUTES * 4];
	unsigned long	 pages_other;
	unsigned long	 signin_ok, signin_failed, signin_locked, signout;
	unsigned long	 hist[WEB_M_BUCKETS], hist_count, hist_sum_us;
	unsigned long	 next_id;
	unsigned	 boot;
	char		 token[128];		/* "" when /metrics is closed */
};

/* Zero m and read DIR/metrics.token when there is one: ASB_OK (m->token "" when absent),
 * ASB_EUSAGE when it is readable by others, too short or too long. */
int	 web_metrics_init(struct web_metrics *m, const char *dir, struct asb_errbuf *eb);

/* A fresh request ID into id (at least 24 bytes). */
void	 web_metrics_id(struct web_metrics *m, char *id, size_t cap);

/* Count one answer: route the pattern (or NULL), its status, its time. */
void	 web_metrics_count(struct web_metrics *m, const char *route, int status, double ms);

/* Whether an Authorization header value is "Bearer " and the token (constant time). */
int	 web_metrics_authorised(const struct web_metrics *m, const char *authorization);

/* The text exposition into a malloc'd *ret (the caller frees); -1 when out of memory. */
int	 web_metrics_render(const struct web_metrics *m, char **ret, size_t *ret_len);

/* A client's bytes fit for a key=value log value (escaped as \xNN; "-" when empty). */
const char *web_log_escape(const char *in, size_t max, char *out, size_t cap);

#endif
