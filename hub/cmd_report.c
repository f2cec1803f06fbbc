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
#include "report_pub.h"
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
static int w_tidy(const void *r, FILE *f) { return rpt_write_tidy_csv(r, f); }
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
	struct rpt_pub pub;
	struct rpt_quality *q = NULL;
	int (*fn)(const void *, FILE *) = w_text;
	int err, ranges, ods = 0;

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
	else if (strcmp(o.format, "tidy-csv") == 0)
		fn = w_tidy;
	else if (strcmp(o.format, "ods") == 0)
		ods = 1;
	else {
		fprintf(stderr, "asbhub: report: --format: '%s' is not text, csv, json or "
		    "html, nor tidy-csv or ods\n", o.format);
		return ASB_EUSAGE;
	}
	if (ods && o.output == NULL)
		return usage_error(c, "--format ods writes a file: give -o FILE.ods");
	ro.include_test = o.include_test;
	ro.threshold = (unsigned)o.threshold;
	ro.population = o.population;
	if ((err = open_counted(c, o.dir, &st)) != ASB_OK)
		return err;
	ro.progress_ctx = progress_new("forces read", sch_code_count(SCH_LIST_FORCES));
	ro.progress = ro.progress_ctx != NULL ? report_progress : NULL;
	err = rpt_build(st, &ro, &r, &eb);
	progress_free(ro.progress_ctx);
	/* the workbook and the page show each force's data quality for the last quarter */
	memset(&pub, 0, sizeof(pub));
	snprintf(pub.status, sizeof(pub.status), "working");
	if (err == ASB_OK && (ods || fn == w_html)) {
		if ((q = malloc(sizeof(*q))) == NULL)
			err = asb_fail(&eb, ASB_EIO, NULL, "out of memory");
		else if ((err = rpt_quality_build(st, ro.quarters[ro.nquarters - 1],
		    (int)o.due_days, 0, q, &eb)) == ASB_OK)
			pub.quality = q;
		if (err != ASB_OK)
			rpt_free(r);
	}
	hub_store_close(st);
	if (err != ASB_OK) {
		free(q);
		return say(c, err, &eb);
	}
	if (pub.quality != NULL)
		r->pub = &pub;
	if (r->too_fine) {
		fprintf(stderr, "asbhub: report: the table by %s has more cells than "
		    "disclosure control can check: break it down by fewer dimensions\n",
		    o.by);
		rpt_free(r);
		free(q);
		return ASB_EUSAGE;
	}
	if (ods) {
		if ((err = rpt_write_ods(r, o.output, &eb)) != ASB_OK)
			say(c, err, &eb);
	} else
		err = emit(c, o.output, fn, r);
	rpt_free(r);
	free(q);
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
