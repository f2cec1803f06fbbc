/*
 * cmd_returns.c - asbhub returns and asbhub show: what the store holds (store.h).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "asbhub.h"
#include "codes.h"
#include "json.h"
#include "rtn.h"
#include "store.h"

static void
return_json(const struct hub_return *r)
{
	char a[ASB_TIME_BUF], b[ASB_TIME_BUF];

	json_kv_str(stdout, 1, "return_id", r->id);
	json_kv_str(stdout, 0, "force", r->force);
	json_kv_str(stdout, 0, "period", r->period);
	json_kv_bool(stdout, 0, "test", r->test);
	json_kv_str(stdout, 0, "state", r->state);
	json_kv_bool(stdout, 0, "counts", r->latest);
	json_kv_strn(stdout, 0, "supersedes", r->supersedes);
	json_kv_str(stdout, 0, "received", asb_time_iso(r->received, a, sizeof(a)));
	json_kv_str(stdout, 0, "decided", asb_time_iso(r->decided, b, sizeof(b)));
	json_kv_str(stdout, 0, "sha256", r->sha256);
	json_kv_int(stdout, 0, "bytes", (int64_t)r->bytes);
	json_kv_int(stdout, 0, "records", (int64_t)r->records);
	json_kv_int(stdout, 0, "errors", r->errors);
	json_kv_int(stdout, 0, "warnings", r->warnings);
	json_kv_str(stdout, 0, "signer", r->signer);
}

struct rlist {
	int	 json, n;
};

static void
print_return(const struct hub_return *r, void *ctx)
{
	struct rlist *l = ctx;
	char t[ASB_TIME_BUF], state[24];

	if (l->json) {
		fputc('{', stdout);
		return_json(r);
		fputs("}\n", stdout);
	} else {
		if (l->n == 0)
			printf("%-36s  %-9s  %-7s  %-14s  %-6s  %8s  %s\n", "return",
			    "force", "period", "state", "counts", "records",
			    "received");
		snprintf(state, sizeof(state), "%s%s", r->test ? "TEST " : "",
		    r->state);
		printf("%-36s  %-9s  %-7s  %-14s  %-6s  %8llu  %s\n", r->id, r->force,
		    r->period, state, r->latest ? "yes" : "no",
		    (unsigned long long)r->records,
		    asb_time_iso(r->received, t, sizeof(t)));
	}
	l->n++;
}

int
run_returns(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct rlist l;
	struct asb_errbuf eb;
	struct hub_store *st;
	struct rtn_period p;
	struct opts o;
	int err;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind != argc)
		return usage_error(c, "no arguments besides options");
	asb_errbuf_clear(&eb);
	if (o.period != NULL && rtn_period_parse(o.period, &p, &eb) != ASB_OK)
		return say(c, ASB_EUSAGE, &eb);
	if (o.force != NULL && sch_code_index(SCH_LIST_FORCES, o.force) < 0) {
		fprintf(stderr, "asbhub: returns: '%s' is not a force code\n", o.force);
		return ASB_EUSAGE;
	}
	if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK)
		return say(c, err, &eb);
	l.json = o.json;
	l.n = 0;
	err = hub_return_each(st, o.force, o.period, print_return, &l, &eb);
	hub_store_close(st);
	if (err != ASB_OK)
		say(c, err, &eb);
	else if (!o.json && l.n == 0)
		printf("no returns%s%s%s%s\n", o.force ? " from " : "",
		    o.force ? o.force : "", o.period ? " for " : "",
		    o.period ? o.period : "");
	return err;
}

int
run_show(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct hub_return r;
	struct asb_errbuf eb;
	struct hub_store *st;
	struct opts o;
	char *receipt = NULL, *body = NULL, a[ASB_TIME_BUF], b[ASB_TIME_BUF];
	size_t rlen = 0, blen = 0;
	int err;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind + 1 != argc)
		return usage_error(c, "give one RETURN-ID");
	asb_errbuf_clear(&eb);
	if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK)
		return say(c, err, &eb);
	err = hub_return_get(st, argv[optind], &r, &receipt, &rlen,
	    o.body ? &body : NULL, &blen);
	hub_store_close(st);
	if (err != ASB_OK) {
		fprintf(stderr, "asbhub: show: no return %s\n", argv[optind]);
		return err;
	}
	if (o.receipt)
		fwrite(receipt, 1, rlen, stdout);
	else if (o.body)
		fwrite(body, 1, blen, stdout);
	else if (o.json) {
		fputc('{', stdout);
		return_json(&r);
		fputs("}\n", stdout);
	} else {
		printf("return      %s%s\n", r.id, r.test ? " (TEST)" : "");
		printf("force       %s\nperiod      %s\n", r.force, r.period);
		printf("state       %s%s%s\n", r.test ? "TEST " : "", r.state,
		    r.latest ? ", counts in national figures" : "");
		if (r.supersedes[0])
			printf("supersedes  %s\n", r.supersedes);
		printf("received    %s\ndecided     %s\n", asb_time_iso(r.received, a,
		    sizeof(a)), asb_time_iso(r.decided, b, sizeof(b)));
		printf("records     %llu (%u errors, %u warnings)\n",
		    (unsigned long long)r.records, r.errors, r.warnings);
		printf("bytes       %llu, sha256 %s\nsigner      sha256 %s\n",
		    (unsigned long long)r.bytes, r.sha256, r.signer);
	}
	free(receipt);
	free(body);
	return 0;
}
