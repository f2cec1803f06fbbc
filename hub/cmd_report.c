/*
 * cmd_report.c - asbhub report and asbhub compliance: national figures (report.h) and who
 * sent their return (compliance.h), written to stdout or to a file whole.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "asbhub.h"
#include "codes.h"
#include "compliance.h"
#include "progress.h"
#include "report.h"
#include "store.h"

/* Write through fn to stdout, or to -o FILE whole or not at all (asb_write_atomic). */
static int
emit(const struct ctx *c, const char *output, int (*fn)(const void *, FILE *),
    const void *what)
{
	const char *cmd = c->name;
	struct asb_errbuf eb;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	if (output == NULL) {
		if (fn(what, stdout) == -1 || fflush(stdout) == EOF) {
			fprintf(stderr, "asbhub: %s: cannot write the output\n", cmd);
			return ASB_EIO;
		}
		return ASB_OK;
	}
	if ((f = open_memstream(&buf, &len)) == NULL || fn(what, f) == -1) {
		if (f != NULL)
			fclose(f);
		free(buf);
		fprintf(stderr, "asbhub: %s: out of memory\n", cmd);
		return ASB_EIO;
	}
	fclose(f);
	asb_errbuf_clear(&eb);
	if ((err = asb_write_atomic(output, buf, len, 0644, &eb)) != ASB_OK)
		fprintf(stderr, "asbhub: %s: cannot write the output: %s\n", cmd, eb.msg);
	free(buf);
	return err == ASB_OK ? ASB_OK : ASB_EIO;
}

static int w_text(const void *r, FILE *f) { return rpt_write_text(r, f); }
static int w_csv(const void *r, FILE *f) { return rpt_write_csv(r, f); }
static int w_json(const void *r, FILE *f) { return rpt_write_json(r, f); }
static int w_html(const void *r, FILE *f) { return rpt_write_html(r, f); }
static int c_text(const void *c, FILE *f) { return cmp_write_text(c, f); }
static int c_json(const void *c, FILE *f) { return cmp_write_json(c, f); }
static int c_html(const void *c, FILE *f) { return cmp_write_html(c, f); }

static void
report_progress(uint64_t done, uint64_t total, void *ctx)
{
	(void)total;
	progress_update(ctx, done);
}

int
run_report(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct rpt_opts ro;
	struct asb_errbuf eb;
	struct hub_store *st;
	struct rpt *r;
	struct opts o;
	int (*fn)(const void *, FILE *) = w_text;
	int err, ranges;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind != argc) {
		fprintf(stderr, "asbhub: report: %s: no arguments besides options (see "
		    "'asbhub report --help')\n", argv[optind]);
		return ASB_EUSAGE;
	}
	memset(&ro, 0, sizeof(ro));
	ranges = (o.period != NULL) + (o.year != NULL) + (o.from != NULL || o.to != NULL);
	if (ranges != 1 || (o.from != NULL) != (o.to != NULL))
		return usage_error(c, "give one of --period YYYY-Qn, --year YYYY, or --from P "
		    "--to P");
	asb_errbuf_clear(&eb);
	if ((o.period != NULL && rpt_parse_range(o.period, NULL, &ro, &eb) != ASB_OK) ||
	    (o.year != NULL && (strlen(o.year) != 4 ||
	    rpt_parse_range(o.year, NULL, &ro, &eb) != ASB_OK)) ||
	    (o.from != NULL && rpt_parse_range(o.from, o.to, &ro, &eb) != ASB_OK) ||
	    rpt_parse_dims(o.by != NULL ? o.by : "force,power", &ro, &eb) != ASB_OK) {
		if (eb.msg[0] == '\0')
			snprintf(eb.msg, sizeof(eb.msg), "--year: '%s' is not a year", o.year);
		return say(c, ASB_EUSAGE, &eb);
	}
	if (o.json && o.format == NULL)
		o.format = "json";
	if (o.format == NULL || strcmp(o.format, "text") == 0)
		fn = w_text;
	else if (strcmp(o.format, "csv") == 0)
		fn = w_csv;
	else if (strcmp(o.format, "json") == 0)
		fn = w_json;
	else if (strcmp(o.format, "html") == 0)
		fn = w_html;
	else {
		fprintf(stderr, "asbhub: report: --format: '%s' is not text, csv, json or "
		    "html\n", o.format);
		return ASB_EUSAGE;
	}
	ro.include_test = o.include_test;
	ro.threshold = (unsigned)o.threshold;
	ro.population = o.population;
	if ((err = open_counted(c, o.dir, &st)) != ASB_OK)
		return err;
	ro.progress_ctx = progress_new("forces read", sch_code_count(SCH_LIST_FORCES));
	ro.progress = ro.progress_ctx != NULL ? report_progress : NULL;
	err = rpt_build(st, &ro, &r, &eb);
	progress_free(ro.progress_ctx);
	hub_store_close(st);
	if (err != ASB_OK)
		return say(c, err, &eb);
	if (r->too_fine) {
		fprintf(stderr, "asbhub: report: the table by %s has more cells than "
		    "disclosure control can check: break it down by fewer dimensions\n",
		    o.by);
		rpt_free(r);
		return ASB_EUSAGE;
	}
	err = emit(c, o.output, fn, r);
	rpt_free(r);
	return err;
}

int
run_compliance(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct cmp_report cr;
	struct asb_errbuf eb;
	struct hub_store *st;
	struct opts o;
	int err;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind != argc || o.period == NULL)
		return usage_error(c, "give --period YYYY-Qn");
	asb_errbuf_clear(&eb);
	if ((err = open_counted(c, o.dir, &st)) != ASB_OK)
		return err;
	err = hub_compliance(st, o.period, (int)o.due_days, &cr, &eb);
	hub_store_close(st);
	if (err != ASB_OK)
		return say(c, err, &eb);
	err = emit(c, o.output, o.json ? c_json : o.html ? c_html : c_text, &cr);
	cmp_free(&cr);
	return err;
}
