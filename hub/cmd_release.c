/*
 * cmd_release.c - asbhub release: freeze what a publication uses and write it (the workbook,
 * the tidy CSV and the HTML report); reproduce an earlier release byte for byte; show and
 * list releases.  A release's figures are always made the same way, by rel_report from the
 * returns it recorded (never "whatever is latest"), so making one and reproducing it are one
 * path; this file parses, writes the files and records.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "asbhub.h"
#include "codes.h"
#include "json.h"
#include "num.h"
#include "release.h"
#include "report.h"
#include "report_pub.h"
#include "store.h"

struct ropts {
	const char	*dir, *period, *year, *out, *show, *reproduce, *by;
	int		 final, list, json;
	int64_t		 threshold, due_days;
};

static int
ropts_parse(struct ctx *c, int argc, char **argv, struct ropts *o)
{
	static const struct option lo[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "period", required_argument, NULL, 'p' },
		{ "year", required_argument, NULL, 'y' },
		{ "output", required_argument, NULL, 'o' },
		{ "final", no_argument, NULL, 'f' },
		{ "show", required_argument, NULL, 's' },
		{ "reproduce", required_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "by", required_argument, NULL, 'Y' },
		{ "threshold", required_argument, NULL, 'n' },
		{ "due-days", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *e = getenv("ASBHUB_DIR"), *why;
	struct cmd named;
	int ch;

	memset(o, 0, sizeof(*o));
	o->dir = e != NULL && *e ? e : DEFAULT_DIR;
	o->out = ".";
	o->threshold = 5;
	o->due_days = 31;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":d:o:", lo, NULL)) != -1) {
		switch (ch) {
		case 'd': o->dir = optarg; break;
		case 'p': o->period = optarg; break;
		case 'y': o->year = optarg; break;
		case 'o': o->out = optarg; break;
		case 'f': o->final = 1; break;
		case 's': o->show = optarg; break;
		case 'r': o->reproduce = optarg; break;
		case 'l': o->list = 1; break;
		case 'j': o->json = 1; break;
		case 'Y': o->by = optarg; break;
		case 'n':
		case 'D':
			if (asb_strtonum(optarg, ch == 'n' ? 2 : 0, ch == 'n' ? 1000 : 366,
			    ch == 'n' ? &o->threshold : &o->due_days, &why) == -1) {
				fprintf(stderr, "asbhub: release: %s: '%s' is %s\n",
				    argv[optind - 1], optarg, why);
				return ASB_EUSAGE;
			}
			break;
		case 'h':
			return cmd_help(c->prog, c->cmd, stdout);
		default:
			named = *c->cmd;
			named.name = c->name;
			return cmd_opt_error(c->top, &named, argc, argv, stderr);
		}
	}
	return -1;
}

static int
write_text(const char *path, int (*fn)(const struct rpt *, FILE *), const struct rpt *r,
    struct asb_errbuf *eb)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if (fn(r, f) == -1) {
		fclose(f);
		free(buf);
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot write it", path);
	}
	fclose(f);
	err = asb_write_atomic(path, buf, len, 0644, eb);
	free(buf);
	return err == ASB_OK ? ASB_OK : ASB_EIO;
}

static void
unlink_release(const char *dir, const char *id)
{
	static const char *const ext[] = { "ods", "csv", "html" };
	char path[4096];
	int i;

	for (i = 0; i < 3; i++)
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.%s", dir, id, ext[i]) <
		    sizeof(path))
			(void)unlink(path);
}

/* The three files of a release into dir: ID.ods, ID.csv (tidy) and ID.html. */
static int
write_release(const char *dir, const struct rpt *r, const char *id, struct asb_errbuf *eb)
{
	char path[4096];
	int err;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.ods", dir, id) >= sizeof(path))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dir);
	if ((err = rpt_write_ods(r, path, eb)) != ASB_OK)
		return err;
	snprintf(path, sizeof(path), "%s/%s.csv", dir, id);
	if ((err = write_text(path, rpt_write_tidy_csv, r, eb)) == ASB_OK) {
		snprintf(path, sizeof(path), "%s/%s.html", dir, id);
		err = write_text(path, rpt_write_html, r, eb);
	}
	if (err != ASB_OK)
		unlink_release(dir, id);
	return err;
}

static void
show_release(const struct release *rel, int json, FILE *f)
{
	char t[ASB_TIME_BUF];
	size_t i;

	if (json) {
		fputc('{', f);
		json_kv_str(f, 1, "release", rel->id);
		json_kv_str(f, 0, "scope", rel->scope);
		json_kv_str(f, 0, "status", rel->final ? "final" : "provisional");
		json_kv_str(f, 0, "date", asb_time_iso(rel->date, t, sizeof(t)));
		json_kv_strn(f, 0, "revises", rel->previous[0] ? rel->previous : NULL);
		json_kv_str(f, 0, "by", rel->by);
		json_kv_int(f, 0, "threshold", rel->threshold);
		json_key(f, 0, "returns");
		fputc('[', f);
		for (i = 0; i < rel->nreturns; i++) {
			fputs(i ? ",{" : "{", f);
			json_kv_str(f, 1, "id", rel->returns[i].id);
			json_kv_str(f, 0, "force", rel->returns[i].force);
			json_kv_str(f, 0, "period", rel->returns[i].period);
			json_kv_str(f, 0, "sha256", rel->returns[i].sha256);
			json_kv_strn(f, 0, "supersedes", rel->returns[i].supersedes[0] ?
			    rel->returns[i].supersedes : NULL);
			fputc('}', f);
		}
		fputs("]}\n", f);
		return;
	}
	fprintf(f, "release %s: %s, %s, made %s%s%s; table by %s, threshold %u; %zu returns\n",
	    rel->id, rel->scope, rel->final ? "final" : "provisional",
	    asb_time_iso(rel->date, t, sizeof(t)), rel->previous[0] ? ", revises " : "",
	    rel->previous, rel->by, rel->threshold, rel->nreturns);
	for (i = 0; i < rel->nreturns; i++)
		fprintf(f, "  %s %s %s sha256:%s%s%s\n", rel->returns[i].force,
		    rel->returns[i].period, rel->returns[i].id, rel->returns[i].sha256,
		    rel->returns[i].supersedes[0] ? " supersedes " : "",
		    rel->returns[i].supersedes);
}

static void
list_one(const struct release *rel, void *ctx)
{
	char t[ASB_TIME_BUF];

	fprintf(ctx, "%-12s %-8s %-11s %s %zu returns%s%s\n", rel->id, rel->scope,
	    rel->final ? "final" : "provisional", asb_time_iso(rel->date, t, sizeof(t)),
	    rel->nreturns, rel->previous[0] ? ", revises " : "", rel->previous);
}

int
run_release(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct ropts o;
	struct asb_errbuf eb;
	struct hub_store *st = NULL;
	struct rel_store *rs = NULL;
	struct release rel;
	struct rpt_pub pub;
	struct rpt_quality *q = NULL;
	struct rpt *r = NULL;
	int err, modes;

	if ((err = ropts_parse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind != argc)
		return usage_error(c, "no arguments besides options");
	modes = (o.period != NULL || o.year != NULL) + (o.show != NULL) +
	    (o.reproduce != NULL) + o.list;
	if (modes != 1 || (o.period != NULL && o.year != NULL))
		return usage_error(c, "give one of --period YYYY-Qn, --year YYYY, --show ID, "
		    "--reproduce ID or --list");
	if ((o.final || o.by != NULL) && o.period == NULL && o.year == NULL)
		return usage_error(c, "--final and --by go with --period or --year");
	if (o.year != NULL && strlen(o.year) != 4)
		return usage_error(c, "--year: give a calendar year, YYYY");
	memset(&rel, 0, sizeof(rel));
	memset(&pub, 0, sizeof(pub));
	asb_errbuf_clear(&eb);
	if ((err = rel_open(o.dir, o.period != NULL || o.year != NULL, &rs, &eb)) != ASB_OK) {
		if (err == ASB_ENOTFOUND && o.list)
			return ASB_OK;		/* nothing released yet: an empty list */
		if (err == ASB_ENOTFOUND)
			snprintf(eb.msg, sizeof(eb.msg), "no release %s ('asbhub release --list' "
			    "shows them)", o.show ? o.show : o.reproduce);
		return say(c, err, &eb);
	}
	if (o.list) {
		err = rel_each(rs, list_one, stdout, &eb);
		goto out;
	}
	if (o.show != NULL) {
		if ((err = rel_get(rs, o.show, &rel, &eb)) == ASB_OK)
			show_release(&rel, o.json, stdout);
		goto out;
	}
	if ((err = open_counted(c, o.dir, &st)) != ASB_OK) {
		rel_close(rs);
		return err;
	}
	if ((q = malloc(sizeof(*q))) == NULL) {
		err = asb_fail(&eb, ASB_EIO, NULL, "out of memory");
		goto out;
	}
	if (o.reproduce != NULL)
		err = rel_get(rs, o.reproduce, &rel, &eb);
	else
		err = rel_new(st, rs, o.period ? o.period : o.year, o.by ? o.by : "force,power",
		    o.final, (unsigned)o.threshold, (asb_time)time(NULL), &rel, &eb);
	if (err != ASB_OK)
		goto out;
	/* the same path for a new release and an old one: from the recorded returns */
	if ((err = rel_report(st, rs, &rel, (int)o.due_days, &r, &pub, q, &eb)) != ASB_OK)
		goto out;
	/* the files first, then the record: a release is recorded only once its files are
	 * written, and a failed record takes its files away again */
	if ((err = write_release(o.out, r, rel.id, &eb)) != ASB_OK)
		goto out;
	if (o.reproduce == NULL && (err = rel_put(rs, &rel, &eb)) != ASB_OK) {
		unlink_release(o.out, rel.id);
		goto out;
	}
	printf("release %s (%s%s): %zu returns; %s/%s.ods, .csv, .html", rel.id,
	    rel.final ? "final" : "provisional", rel.previous[0] ? ", revised" : "",
	    rel.nreturns, o.out, rel.id);
	if (rel.previous[0])
		printf("; %u cells revised since %s by %zu corrected returns",
		    pub.cells_revised, rel.previous, pub.nrevisions);
	putchar('\n');
out:
	if (err != ASB_OK)
		say(c, err, &eb);
	rpt_free(r);
	rpt_pub_clear(&pub);
	rel_clear(&rel);
	free(q);
	hub_store_close(st);
	rel_close(rs);
	return err;
}
