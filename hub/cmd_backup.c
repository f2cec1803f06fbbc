/*
 * cmd_backup.c - asbhub backup and asbhub restore: the hub copied whole while it serves, and
 * put back whole (hub/backup.h).  Their options are their own (--force here is a flag, not
 * the force code the other commands take).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asbhub.h"
#include "backup.h"
#include "json.h"

struct bopts {
	const char	*dir;
	int		 no_keys, force, json;
};

static int
bparse(struct ctx *c, int argc, char **argv, struct bopts *o)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "no-keys", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *env = getenv("ASBHUB_DIR");
	int ch;

	memset(o, 0, sizeof(*o));
	o->dir = env != NULL && *env ? env : DEFAULT_DIR;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":d:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': o->dir = optarg; break;
		case 'n':
			if (strcmp(c->name, "backup") != 0)
				return cmd_opt_error(c->top, c->cmd, argc, argv, stderr);
			o->no_keys = 1;
			break;
		case 'f':
			if (strcmp(c->name, "restore") != 0)
				return cmd_opt_error(c->top, c->cmd, argc, argv, stderr);
			o->force = 1;
			break;
		case 'j': o->json = 1; break;
		case 'h': return cmd_help(c->prog, c->cmd, stdout);
		default: return cmd_opt_error(c->top, c->cmd, argc, argv, stderr);
		}
	}
	return -1;
}

static double
since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
summary(const struct bopts *o, const char *verb, const char *where,
    const struct hub_backup_info *i, double secs)
{
	if (o->json) {
		printf("{\"dir\":");
		json_str(stdout, where);
		printf(",\"returns\":%" PRIu64 ",\"certs\":%" PRIu64 ",\"keys\":%d,"
		    "\"exact\":%s,\"bytes\":%" PRIu64 ",\"seconds\":%.3f}\n", i->returns,
		    i->certs, i->keys, i->exact ? "true" : "false", i->bytes, secs);
		return;
	}
	printf("%s %s: %" PRIu64 " returns, %" PRIu64 " certificates (each one decoded), "
	    "%d private keys; %.1f MB in %.2f s\n", verb, where, i->returns, i->certs,
	    i->keys, (double)i->bytes / 1e6, secs);
	if (!i->exact)
		printf("note: the hub stored returns during every copy tried; the copy holds "
		    "one committed state between the counts before and after\n");
	if (i->skipped[0])
		printf("not copied (not the hub's): %s\n", i->skipped);
}

int
run_backup(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct hub_backup_info info;
	struct timespec t0;
	struct asb_errbuf eb;
	struct bopts o;
	int err;

	if ((err = bparse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind + 1 != argc)
		return usage_error(c, "give one DEST, a new or empty directory");
	asb_errbuf_clear(&eb);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((err = hub_backup(o.dir, argv[optind], !o.no_keys, &info, &eb)) != ASB_OK)
		return say(c, err, &eb);
	summary(&o, "backup in", argv[optind], &info, since(&t0));
	return 0;
}

int
run_restore(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct hub_backup_info info;
	struct timespec t0;
	struct asb_errbuf eb;
	struct bopts o;
	int err;

	if ((err = bparse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind + 1 != argc)
		return usage_error(c, "give one SRC, a directory 'asbhub backup' wrote");
	asb_errbuf_clear(&eb);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((err = hub_restore(argv[optind], o.dir, o.force, &info, &eb)) != ASB_OK)
		return say(c, err, &eb);
	summary(&o, "restored into", o.dir, &info, since(&t0));
	if (!o.json && info.replaced[0])
		printf("the hub it replaced is kept in %s: remove it once the restored one is "
		    "checked\n", info.replaced);
	return 0;
}
