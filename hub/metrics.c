/*
 * metrics.c - the hub service's counters, their Prometheus text exposition, and its
 * key=value log line (metrics.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "metrics.h"

static const char *const route_names[HUB_R_N] = {
	"/v1/health", "POST /v1/returns", "GET /v1/returns", "/v1/returns/{id}",
	"/v1/metrics", "other"
};
static const char *const step_names[HUB_S_N] = {
	"parse", "signature", "validate", "store", "total"
};
static const int statuses[HUB_M_STATUSES - 1] = {
	200, 400, 403, 404, 405, 409, 411, 413, 500, 503
};
/* seconds; the last is +Inf */
static const double bounds[HUB_M_BUCKETS - 1] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};

#define ADD(p, n)	__atomic_add_fetch((p), (n), __ATOMIC_RELAXED)
#define GET(p)		__atomic_load_n((p), __ATOMIC_RELAXED)

void
hub_metrics_init(struct hub_metrics *m)
{
	memset(m, 0, sizeof(*m));
	m->boot = (unsigned)time(NULL);
}

void
hub_metrics_id(struct hub_metrics *m, char *id, size_t cap)
{
	snprintf(id, cap, "%08x-%06lx", m->boot, ADD(&m->next_id, 1));
}

static void
observe(struct hub_metrics *m, enum hub_step s, double ms)
{
	int b;

	if (ms < 0)
		ms = 0;
	for (b = 0; b < HUB_M_BUCKETS - 1 && ms / 1e3 > bounds[b]; b++)
		;
	ADD(&m->hist[s][b], 1);
	ADD(&m->hist_sum_us[s], (unsigned long)(ms * 1e3));
	ADD(&m->hist_count[s], 1);
}

/* "refused R-SIG-003" -> outcome "refused", rule "R-SIG-003"; "accepted" -> rule "" */
static void
count_outcome(struct hub_metrics *m, const char *outcome)
{
	char o[32], rule[16] = "";
	const char *sp = strstr(outcome, " R-");
	size_t n = sp != NULL ? (size_t)(sp - outcome) : strlen(outcome);
	int i;

	if (n >= sizeof(o))
		n = sizeof(o) - 1;
	memcpy(o, outcome, n);
	o[n] = '\0';
	if (sp != NULL)
		snprintf(rule, sizeof(rule), "%s", sp + 1);
	for (i = 0; i < HUB_M_OUTCOMES && m->outcomes[i].outcome[0] != '\0'; i++)
		if (strcmp(m->outcomes[i].outcome, o) == 0 &&
		    strcmp(m->outcomes[i].rule, rule) == 0)
			break;
	if (i == HUB_M_OUTCOMES) {
		ADD(&m->outcomes_other, 1);
		return;
	}
	if (m->outcomes[i].outcome[0] == '\0') {
		snprintf(m->outcomes[i].rule, sizeof(m->outcomes[i].rule), "%s", rule);
		snprintf(m->outcomes[i].outcome, sizeof(m->outcomes[i].outcome), "%s", o);
	}
	ADD(&m->outcomes[i].n, 1);
}

void
hub_metrics_count(struct hub_metrics *m, enum hub_route route, const struct hub_reply *r,
    double ms)
{
	int s;

	for (s = 0; s < HUB_M_STATUSES - 1 && statuses[s] != r->status; s++)
		;
	ADD(&m->requests[route][s], 1);
	if (route != HUB_R_SUBMIT)
		return;
	if (r->outcome[0] != '\0')
		count_outcome(m, r->outcome);
	if (r->ms_parse > 0) {
		observe(m, HUB_S_PARSE, r->ms_parse);
		observe(m, HUB_S_SIGNATURE, r->ms_verify);
		observe(m, HUB_S_VALIDATE, r->ms_validate);
		observe(m, HUB_S_STORE, r->ms_store);
	}
	observe(m, HUB_S_TOTAL, ms);
}

/* A label value: our own strings only, but quote and backslash escaped all the same. */
static void
label(FILE *f, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			fputc('\\', f);
		if ((unsigned char)*v >= 0x20 && *v != 0x7f)
			fputc(*v, f);
	}
}

int
hub_metrics_render(struct hub_metrics *m, const struct hub_gauges *g, char **ret,
    size_t *ret_len)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0;
	unsigned long cum;
	int i, j;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return -1;
	fputs("# HELP asbhub_requests_total Requests answered, by route and status.\n"
	    "# TYPE asbhub_requests_total counter\n", f);
	for (i = 0; i < HUB_R_N; i++)
		for (j = 0; j < HUB_M_STATUSES; j++)
			if (GET(&m->requests[i][j]) != 0 || (j == 0 && i == HUB_R_METRICS)) {
				fprintf(f, "asbhub_requests_total{route=\"%s\",status=\"",
				    route_names[i]);
				if (j < HUB_M_STATUSES - 1)
					fprintf(f, "%d", statuses[j]);
				else
					fputs("other", f);
				fprintf(f, "\"} %lu\n", GET(&m->requests[i][j]));
			}
	fputs("# HELP asbhub_returns_total Returns submitted, by outcome and the rule that "
	    "decided it.\n# TYPE asbhub_returns_total counter\n", f);
	for (i = 0; i < HUB_M_OUTCOMES && m->outcomes[i].outcome[0] != '\0'; i++) {
		fputs("asbhub_returns_total{outcome=\"", f);
		label(f, m->outcomes[i].outcome);
		fputs("\",rule=\"", f);
		label(f, m->outcomes[i].rule);
		fprintf(f, "\"} %lu\n", GET(&m->outcomes[i].n));
	}
	if (GET(&m->outcomes_other) != 0)
		fprintf(f, "asbhub_returns_total{outcome=\"other\",rule=\"\"} %lu\n",
		    GET(&m->outcomes_other));
	fputs("# HELP asbhub_step_seconds Time a submission spent in each step.\n"
	    "# TYPE asbhub_step_seconds histogram\n", f);
	for (i = 0; i < HUB_S_N; i++) {
		cum = 0;
		for (j = 0; j < HUB_M_BUCKETS; j++) {
			cum += GET(&m->hist[i][j]);
			if (j < HUB_M_BUCKETS - 1)
				fprintf(f, "asbhub_step_seconds_bucket{step=\"%s\",le=\"%g\"} "
				    "%lu\n", step_names[i], bounds[j], cum);
			else
				fprintf(f, "asbhub_step_seconds_bucket{step=\"%s\",le=\"+Inf\"} "
				    "%lu\n", step_names[i], cum);
		}
		fprintf(f, "asbhub_step_seconds_sum{step=\"%s\"} %.6f\n"
		    "asbhub_step_seconds_count{step=\"%s\"} %lu\n", step_names[i],
		    (double)GET(&m->hist_sum_us[i]) / 1e6, step_names[i],
		    GET(&m->hist_count[i]));
	}
	fprintf(f, "# HELP asbhub_connections_open Connections open now.\n"
	    "# TYPE asbhub_connections_open gauge\nasbhub_connections_open %d\n"
	    "# HELP asbhub_connections_unauthenticated Open connections before a first "
	    "request.\n# TYPE asbhub_connections_unauthenticated gauge\n"
	    "asbhub_connections_unauthenticated %d\n"
	    "# HELP asbhub_connections_max The connection cap.\n"
	    "# TYPE asbhub_connections_max gauge\nasbhub_connections_max %d\n"
	    "# HELP asbhub_connections_refused_total Connections closed by admission "
	    "(deadline, share, rate) and requests refused for the memory budget.\n"
	    "# TYPE asbhub_connections_refused_total counter\n"
	    "asbhub_connections_refused_total{reason=\"closed\"} %lu\n"
	    "asbhub_connections_refused_total{reason=\"memory\"} %lu\n"
	    "# HELP asbhub_memory_budget_bytes The memory budget for bodies and their trees.\n"
	    "# TYPE asbhub_memory_budget_bytes gauge\nasbhub_memory_budget_bytes %zu\n"
	    "# HELP asbhub_memory_budget_in_use_bytes Of the budget, in use now.\n"
	    "# TYPE asbhub_memory_budget_in_use_bytes gauge\n"
	    "asbhub_memory_budget_in_use_bytes %zu\n"
	    "# HELP asbhub_workers Worker threads checking returns.\n"
	    "# TYPE asbhub_workers gauge\nasbhub_workers %d\n"
	    "# HELP asbhub_queued Returns waiting for a worker.\n"
	    "# TYPE asbhub_queued gauge\nasbhub_queued %d\n"
	    "# HELP asbhub_reloads_total SIGHUP reloads of the TLS certificate, by result.\n"
	    "# TYPE asbhub_reloads_total counter\n"
	    "asbhub_reloads_total{result=\"ok\"} %lu\n"
	    "asbhub_reloads_total{result=\"failed\"} %lu\n",
	    g->open, g->unauth, g->max_connections, g->evicted, g->refused_busy, g->budget,
	    g->budget_in_use, g->workers, g->queued, GET(&m->reloads),
	    GET(&m->reload_failures));
	if (fclose(f) != 0) {
		free(buf);
		return -1;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

static const char *
escape(const char *in, size_t max, char *out, size_t cap, int quoted)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;
	unsigned char ch;

	for (i = 0; in[i] != '\0' && i < max && o + 5 < cap; i++) {
		ch = (unsigned char)in[i];
		if (ch < 0x20 || ch >= 0x7f || ch == '\\' || ch == '"' ||
		    (!quoted && (ch == ' ' || ch == '='))) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		} else
			out[o++] = (char)ch;
	}
	out[o] = '\0';
	return o == 0 && !quoted ? "-" : out;
}

const char *
hub_log_escape(const char *in, size_t max, char *out, size_t cap)
{
	return escape(in, max, out, cap, 0);
}

void
hub_log_request(const char *id, const char *cn, const char *method, const char *uri,
    const struct hub_reply *r, size_t bytes, double ms)
{
	char t[ASB_TIME_BUF], u[400], c[300], o[32], oc[140], d[2500];
	const char *rule = strstr(r->outcome, " R-");
	size_t n = rule != NULL ? (size_t)(rule - r->outcome) : strlen(r->outcome);

	/* "refused R-SIG-003" is outcome=refused rule=R-SIG-003; "TEST accepted" is quoted */
	snprintf(o, sizeof(o), "%.*s", (int)n, r->outcome);
	escape(o, sizeof(o), oc, sizeof(oc), 1);
	/* who, what, the outcome, sizes and where the time went; never a return's content */
	fprintf(stderr, "ts=%s event=request id=%s peer=%s method=%s path=%s status=%d "
	    "outcome=%s%s%s", asb_time_iso((asb_time)time(NULL), t, sizeof(t)), id,
	    hub_log_escape(cn, 64, c, sizeof(c)), method, hub_log_escape(uri, 80, u,
	    sizeof(u)), r->status, strchr(oc, ' ') != NULL ? "\"" : "", oc[0] ? oc : "-",
	    strchr(oc, ' ') != NULL ? "\"" : "");
	if (rule != NULL)
		fprintf(stderr, " rule=%s", hub_log_escape(rule + 1, 16, o, sizeof(o)));
	fprintf(stderr, " return=%s bytes=%zu ms=%.0f", r->return_id[0] ? r->return_id :
	    "-", bytes, ms);
	if (r->ms_parse > 0)
		fprintf(stderr, " parse_ms=%.0f signature_ms=%.0f validate_ms=%.0f "
		    "store_ms=%.0f", r->ms_parse, r->ms_verify, r->ms_validate, r->ms_store);
	if (r->detail[0] != '\0')
		fprintf(stderr, " detail=\"%s\"", escape(r->detail, sizeof(r->detail), d,
		    sizeof(d), 1));
	fputc('\n', stderr);
}
