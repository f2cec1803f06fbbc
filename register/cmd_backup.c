/*
 * cmd_backup.c - asbreg backup and asbreg restore: a register copied whole while in use,
 * and put back whole (register/backup.h).
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "asbreg.h"
#include "backup.h"

struct bopts {
	const char	*no_key, *force, *key;
};

static int
set_bopt(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct bopts *o = obj;

	(void)eb;
	if (strcmp(name, "no-key") == 0)
		o->no_key = val;
	else if (strcmp(name, "force") == 0)
		o->force = val;
	else if (strcmp(name, "key") == 0)
		o->key = val;
	else
		return ASB_ENOTFOUND;
	return ASB_OK;
}

static double
since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
summary(const struct ctx *c, const char *verb, const char *where,
    const struct reg_backup_info *i, double secs)
{
	if (c->json) {
		printf("{\"dir\":");
		json_str(stdout, where);
		printf(",\"records\":%" PRIu64 ",\"subjects\":%" PRIu64 ",\"events\":%"
		    PRIu64 ",\"audit\":%" PRIu64 ",\"outbox\":%" PRIu64 ",\"key\":%s,"
		    "\"exact\":%s,\"bytes\":%" PRIu64 ",\"seconds\":%.3f}\n", i->records,
		    i->subjects, i->events, i->audit, i->outbox, i->has_key ? "true" :
		    "false", i->exact ? "true" : "false", i->bytes, secs);
		return;
	}
	printf("%s %s: %" PRIu64 " records, %" PRIu64 " subjects, %" PRIu64 " events, %"
	    PRIu64 " audit entries (the chain verifies)", verb, where, i->records,
	    i->subjects, i->events, i->audit);
	if (i->has_outbox)
		printf("; outbox %" PRIu64 " entries", i->outbox);
	printf("; %.1f MB in %.2f s\n", (double)i->bytes / 1e6, secs);
	if (!i->exact)
		printf("note: the register was written during every copy tried; the copy "
		    "holds one committed state between the counts before and after\n");
}

int
run_backup(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FLAG("no-key"), { NULL, 0, NULL, 0 } };
	struct reg_backup_info info;
	struct bopts bo = { NULL, NULL, NULL };
	struct timespec t0;
	struct asb_errbuf eb;
	int err;

	if ((err = options(c, argc, argv, o, set_bopt, &bo)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one DEST, a new or empty directory");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((err = reg_backup(c->dir, argv[optind], c->user, bo.no_key == NULL, &info,
	    &eb)) != ASB_OK)
		return fail(c, err, &eb);
	summary(c, "backup in", argv[optind], &info, since(&t0));
	if (!c->json) {
		if (info.has_key)
			printf("force.key is in it: keep this copy as safe as the register "
			    "(--no-key leaves it out, for a copy held apart from the key)\n");
		else
			printf("force.key left out: keep the key where a restore can find it "
			    "('asbreg restore --key FILE'); without it next year's pseudonyms "
			    "differ\n");
		if (info.skipped[0])
			printf("not copied (not the register's): %s\n", info.skipped);
	}
	return 0;
}

int
run_restore(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FLAG("force"), FIELD("key"),
	    { NULL, 0, NULL, 0 } };
	struct reg_backup_info info;
	struct bopts bo = { NULL, NULL, NULL };
	struct timespec t0;
	struct asb_errbuf eb;
	int err;

	if ((err = options(c, argc, argv, o, set_bopt, &bo)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one SRC, a directory 'asbreg backup' wrote");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((err = reg_restore(argv[optind], c->dir, c->user, bo.key, bo.force != NULL,
	    &info, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	summary(c, "restored into", c->dir, &info, since(&t0));
	if (!c->json && info.replaced[0])
		printf("the register it replaced is kept in %s: remove it once the restored "
		    "one is checked\n", info.replaced);
	return 0;
}
