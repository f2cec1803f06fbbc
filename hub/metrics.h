/*
 * metrics.h - what the hub's service counts, for GET /v1/metrics (Prometheus' text format,
 * version 0.0.4), and its log line: one key=value line per request on stderr, with the
 * request's ID (also sent as X-Request-Id).  Never personal data: routes, statuses, outcomes,
 * rule IDs, force codes and times only.  The counters live in a struct hub_metrics the
 * service owns (struct server); every counter is an atomic add, and the table of outcomes
 * is only added to on the event loop's thread (where the service counts and scrapes).
 */
#ifndef HUB_METRICS_H
#define HUB_METRICS_H

#include <stddef.h>

#include "intake.h"

enum hub_route {
	HUB_R_HEALTH, HUB_R_SUBMIT, HUB_R_LIST, HUB_R_RECEIPT, HUB_R_METRICS, HUB_R_OTHER,
	HUB_R_N
};
enum hub_step { HUB_S_PARSE, HUB_S_SIGNATURE, HUB_S_VALIDATE, HUB_S_STORE, HUB_S_TOTAL,
	HUB_S_N };

#define HUB_M_STATUSES	11	/* 200 400 403 404 405 409 411 413 500 503, other */
#define HUB_M_BUCKETS	12	/* the histogram's bounds, +Inf last */
#define HUB_M_OUTCOMES	64	/* distinct outcome and rule pairs counted */

struct hub_metrics {
	unsigned long	 requests[HUB_R_N][HUB_M_STATUSES];
	unsigned long	 hist[HUB_S_N][HUB_M_BUCKETS];	/* cumulative at render */
	unsigned long	 hist_sum_us[HUB_S_N];		/* microseconds */
	unsigned long	 hist_count[HUB_S_N];
	unsigned long	 reloads, reload_failures;
	struct {
		char		 outcome[32], rule[16];
		unsigned long	 n;
	}		 outcomes[HUB_M_OUTCOMES];
	unsigned long	 outcomes_other;
	unsigned long	 next_id;			/* request IDs */
	unsigned	 boot;				/* process start, in the IDs */
};

/* The gauges the connection layer knows at the time of a scrape. */
struct hub_gauges {
	int		 open, unauth, max_connections;
	unsigned long	 evicted, refused_busy;
	size_t		 budget_in_use, budget;
	int		 workers, queued;
};

/* Zero m and stamp its request IDs with the start time. */
void	 hub_metrics_init(struct hub_metrics *m);

/* A fresh request ID ("<boot>-<n>", hex) into id (at least 24 bytes). */
void	 hub_metrics_id(struct hub_metrics *m, char *id, size_t cap);

/* Count one answered request: its route, its status, and for a submission its outcome and
 * where its time went (r->ms_*, ms the whole). */
void	 hub_metrics_count(struct hub_metrics *m, enum hub_route route,
	    const struct hub_reply *r, double ms);

/* The text exposition into a malloc'd *ret (the caller frees), its length in *ret_len;
 * -1 when out of memory. */
int	 hub_metrics_render(struct hub_metrics *m, const struct hub_gauges *g, char **ret,
	    size_t *ret_len);

/* The request's log line on stderr: ts= id= peer= method= path= status= outcome= return=
 * bytes= ms= (and parse_ms= ... for a submission, detail= for a 5xx); what the client sent
 * (path, CN) escaped, never a return's content. */
void	 hub_log_request(const char *id, const char *cn, const char *method, const char *uri,
	    const struct hub_reply *r, size_t bytes, double ms);

/* What a client sent, fit for a log value: at most max bytes, every byte that is not
 * printable ASCII, a space, a quote or a backslash as \xNN.  Returns out. */
const char *hub_log_escape(const char *in, size_t max, char *out, size_t cap);

#endif
