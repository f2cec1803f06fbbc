/*
 * cmd_store.c - asbhub reindex, and the store as the commands that count open it: one from
 * before facts were kept is migrated first (hub/reindex.c).
 */
#include <getopt.h>
#include <stdio.h>

#include "asbhub.h"
#include "reindex.h"
#include "store.h"

int
open_counted(const struct ctx *c, const char *dir, struct hub_store **ret)
{
	struct asb_errbuf eb;
	int err, ran;

	asb_errbuf_clear(&eb);
	if ((err = hub_store_open(dir, 0, ret, &eb)) != ASB_OK)
		return say(c, err, &eb);
	err = hub_store_migrate(*ret, &ran, &eb);
	if (err == ASB_ERULE) {		/* migrated; some returns quarantined */
		fprintf(stderr, "asbhub: %s: warning: %s\n", c->name, eb.msg);
		err = ASB_OK;
	}
	if (err != ASB_OK) {
		fprintf(stderr, "asbhub: %s: the store is from before facts were kept and "
		    "could not be migrated: %s\n", c->name, eb.msg);
		hub_store_close(*ret);
		*ret = NULL;
		return err;
	}
	if (ran)
		fprintf(stderr, "asbhub: %s: the store was from before facts were kept: "
		    "its accepted returns were re-validated and their facts stored\n", c->name);
	return ASB_OK;
}

int
run_reindex(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct hub_reindex_stats s;
	struct asb_errbuf eb;
	struct hub_store *st;
	struct opts o;
	int err;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind != argc)
		return usage_error(c, "no arguments besides options");
	asb_errbuf_clear(&eb);
	if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK)
		return say(c, err, &eb);
	err = hub_reindex(st, o.all, &s, &eb);
	hub_store_close(st);
	if (o.json)
		printf("{\"accepted\":%u,\"written\":%u,\"rule_errors\":%u,\"failed\":%u}\n",
		    s.accepted, s.written, s.rule_errors, s.failed);
	else
		printf("%u accepted returns: facts written for %u (%u of them with rule errors "
		    "now), %u quarantined (no longer valid)\n", s.accepted, s.written,
		    s.rule_errors, s.failed);
	return err != ASB_OK ? say(c, err, &eb) : ASB_OK;
}
