/*
 * cmd_build.c - asbgw build and asbgw validate: the return made from the register, and the
 * return checked against the XSD and the statutory rules.
 */
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asb_limits.h"
#include "asbgw.h"
#include "gw.h"
#include "json.h"
#include "num.h"
#include "progress.h"
#include "summary.h"

static void
bar(uint64_t done, uint64_t total, void *ctx)
{
	progress_update(ctx, done * (total ? 1 : 0) + (total ? 0 : done));
}

/* What the summary compares: this return's uses, the baseline's, the threshold. */
struct summary {
	const char		*period;
	struct gw_tally		 now;
	struct gw_baseline	 before;
	int			 have_before;	/* the baseline could be read */
	struct gw_threshold	 th;
};

static void
json_change(const struct summary *s, uint64_t now, uint64_t before)
{
	struct gw_change ch;

	json_kv_int(stdout, 0, "uses", (int64_t)now);
	if (s->before.return_id[0] == '\0') {
		fputs(",\"previous\":null,\"change\":null,\"change_pct\":null,"
		    "\"flagged\":false", stdout);
		return;
	}
	gw_change_of(now, before, &s->th, &ch);
	json_kv_int(stdout, 0, "previous", (int64_t)before);
	json_kv_int(stdout, 0, "change", ch.diff);
	if (ch.have_pct)
		json_kv_int(stdout, 0, "change_pct", ch.pct);
	else
		fputs(",\"change_pct\":null", stdout);
	json_kv_bool(stdout, 0, "flagged", ch.flagged);
}

static void
json_summary(const struct summary *s)
{
	char t[ASB_TIME_BUF];
	unsigned i, flagged = 0;
	struct gw_change ch;

	json_key(stdout, 0, "summary");
	fputc('{', stdout);
	json_kv_str(stdout, 1, "period", s->period);
	json_kv_str(stdout, 0, "previous_period", s->before.period);
	json_kv_strn(stdout, 0, "previous_return_id", s->before.return_id);
	json_kv_strn(stdout, 0, "previous_acknowledged", s->before.return_id[0] ?
	    asb_time_iso(s->before.acknowledged, t, sizeof(t)) : NULL);
	json_kv_bool(stdout, 0, "compared", s->have_before && s->before.return_id[0]);
	json_kv_int(stdout, 0, "threshold_pct", s->th.pct);
	json_kv_int(stdout, 0, "threshold_min", s->th.min);
	json_key(stdout, 0, "powers");
	for (i = 0; i < SCH_POWER_COUNT; i++) {
		fputs(i ? ",{" : "[{", stdout);
		json_kv_str(stdout, 1, "power", sch_power_code((int)i));
		json_change(s, s->now.uses[i], s->before.t.uses[i]);
		fputc('}', stdout);
		gw_change_of(s->now.uses[i], s->before.t.uses[i], &s->th, &ch);
		flagged += s->before.return_id[0] && ch.flagged;
	}
	fputs("],\"total\":{", stdout);
	json_kv_str(stdout, 1, "power", "total");
	json_change(s, s->now.total, s->before.t.total);
	fputc('}', stdout);
	json_kv_int(stdout, 0, "flagged", flagged);
	fputc('}', stdout);
}

static void
print_built(const struct gw_build_opts *bo, const struct gw_build_result *res, int json,
    const struct summary *s, size_t explained)
{
	if (json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "file", bo->out);
		json_kv_str(stdout, 0, "return_id", res->return_id);
		json_kv_str(stdout, 0, "period", bo->period);
		json_kv_bool(stdout, 0, "test", bo->test);
		json_kv_int(stdout, 0, "records", (int64_t)res->records);
		json_kv_int(stdout, 0, "events", (int64_t)res->events);
		json_kv_int(stdout, 0, "explanations", (int64_t)explained);
		json_summary(s);
		fputs("}\n", stdout);
	} else {
		char ex[48] = "";

		if (explained > 0)
			snprintf(ex, sizeof(ex), ", %zu explanation%s", explained,
			    explained == 1 ? "" : "s");
		printf("built %s: %llu records, %llu events, return %s%s%s\n", bo->out,
		    (unsigned long long)res->records,
		    (unsigned long long)res->events, res->return_id,
		    bo->test ? " (TEST)" : "", ex);
	}
}

/* "+11 (+367%)", "-3 (-100%)", "+4 (new)", "0" */
static const char *
change_text(const struct gw_change *ch, char *buf, size_t cap)
{
	if (ch->diff == 0)
		snprintf(buf, cap, "0");
	else if (ch->have_pct)
		snprintf(buf, cap, "%+lld (%+lld%%)", (long long)ch->diff, (long long)ch->pct);
	else
		snprintf(buf, cap, "%+lld (new)", (long long)ch->diff);
	return buf;
}

/* The summary for people, on stderr: the table (not with --json, whose output has it),
 * then one line per flagged change. */
static void
say_summary(const struct summary *s, int json)
{
	const struct gw_baseline *b = &s->before;
	struct gw_change ch;
	char t[ASB_TIME_BUF], buf[64];
	const char *code;
	unsigned i;
	int compare = b->return_id[0] != '\0';

	if (json)
		goto flags;
	if (compare)
		fprintf(stderr, "asbgw: build: uses in %s against %s (return %s, "
		    "acknowledged %s):\n", s->period, b->period, b->return_id,
		    asb_time_iso(b->acknowledged, t, sizeof(t)));
	else
		fprintf(stderr, "asbgw: build: no acknowledged return for %s in the outbox "
		    "to compare with; uses in %s:\n", b->period, s->period);
	if (compare)
		fprintf(stderr, "  %-26s %9s %9s  %s\n", "power", s->period, b->period,
		    "change");
	else
		fprintf(stderr, "  %-26s %9s\n", "power", s->period);
	for (i = 0; i <= SCH_POWER_COUNT; i++) {
		uint64_t now = i < SCH_POWER_COUNT ? s->now.uses[i] : s->now.total;
		uint64_t before = i < SCH_POWER_COUNT ? b->t.uses[i] : b->t.total;

		if (i < SCH_POWER_COUNT && now == 0 && (!compare || before == 0))
			continue;	/* a power used in neither quarter */
		code = i < SCH_POWER_COUNT ? sch_power_code((int)i) : "total";
		if (!compare) {
			fprintf(stderr, "  %-26s %9llu\n", code, (unsigned long long)now);
			continue;
		}
		gw_change_of(now, before, &s->th, &ch);
		fprintf(stderr, "  %-26s %9llu %9llu  %s%s\n", code, (unsigned long long)now,
		    (unsigned long long)before, change_text(&ch, buf, sizeof(buf)),
		    ch.flagged ? "  <- check" : "");
	}
flags:
	if (!compare)
		return;
	for (i = 0; i <= SCH_POWER_COUNT; i++) {
		gw_change_of(i < SCH_POWER_COUNT ? s->now.uses[i] : s->now.total,
		    i < SCH_POWER_COUNT ? b->t.uses[i] : b->t.total, &s->th, &ch);
		if (!ch.flagged)
			continue;
		fprintf(stderr, "asbgw: build: warning: %s uses changed by %s against %s, "
		    "past the threshold (more than %u%% and at least %u uses): check the "
		    "register before you submit\n", i < SCH_POWER_COUNT ?
		    sch_power_code((int)i) : "total", change_text(&ch, buf, sizeof(buf)),
		    b->period, s->th.pct, s->th.min);
	}
}

/* --change-threshold PCT, --change-min USES */
static int
threshold_arg(const struct ctx *c, const char *opt, const char *arg, int64_t max,
    unsigned *ret)
{
	const char *why;
	int64_t n;

	if (asb_strtonum(arg, 0, max, &n, &why) == -1) {
		fprintf(stderr, "asbgw: %s: --%s: '%s' is %s (0 to %lld)\n", c->name, opt,
		    arg, why, (long long)max);
		return ASB_EUSAGE;
	}
	*ret = (unsigned)n;
	return ASB_OK;
}

int
run_build(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	static const struct option o[] = {
		{ "period", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "test", no_argument, NULL, 't' },
		{ "supersedes", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "max-bytes", required_argument, NULL, 'b' },
		{ "allow-open-quarter", no_argument, NULL, 'A' },
		{ "change-threshold", required_argument, NULL, 'P' },
		{ "change-min", required_argument, NULL, 'M' },
		{ "explain", required_argument, NULL, 'e' },
		{ "explanations", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct ctx *c = ctx_of(vc, cmd);
	struct gw_build_opts bo;
	struct gw_explanations ex;
	const char *explain[RTN_MAX_EXPLANATIONS + 1], *explain_file = NULL;
	size_t nexplain = 0, i, explained;
	struct gw_build_result res;
	struct rtn_schema *schema = NULL;
	struct summary sum;
	struct asb_errbuf eb;
	const char *env;
	char out[4200], user[64];
	int64_t max_bytes = (int64_t)ASB_MAX_RETURN_BYTES;
	int ch, json = 0, err;

	memset(&bo, 0, sizeof(bo));
	memset(&sum, 0, sizeof(sum));
	sum.th.pct = GW_CHANGE_PCT;
	sum.th.min = GW_CHANGE_MIN;
	bo.register_dir = (env = getenv("ASBREG_DIR")) && *env ? env :
	    DEFAULT_REGISTER;
	bo.now = c->now;
	out[0] = '\0';
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":d:o:", o, NULL)) != -1) {
		switch (ch) {
		case 'p':
			bo.period = optarg;
			break;
		case 'd':
			bo.register_dir = optarg;
			break;
		case 'o':
			snprintf(out, sizeof(out), "%s", optarg);
			break;
		case 't':
			bo.test = 1;
			break;
		case 's':
			bo.supersedes = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'b':
			if ((err = max_bytes_arg(c, optarg, &max_bytes)) != ASB_OK)
				return err;
			break;
		case 'A':
			bo.allow_open = 1;
			break;
		case 'P':
			if ((err = threshold_arg(c, "change-threshold", optarg,
			    GW_CHANGE_PCT_MAX, &sum.th.pct)) != ASB_OK)
				return err;
			break;
		case 'M':
			if ((err = threshold_arg(c, "change-min", optarg,
			    GW_CHANGE_MIN_MAX, &sum.th.min)) != ASB_OK)
				return err;
			break;
		case 'e':
			/* one more than a return holds, for gw_explain_add to refuse */
			if (nexplain < RTN_MAX_EXPLANATIONS + 1)
				explain[nexplain++] = optarg;
			break;
		case 'E':
			if (explain_file != NULL)
				return usage_error(c, "give --explanations once");
			explain_file = optarg;
			break;
		case 'h':
			return cmd_help(c->prog, cmd, stdout);
		default:
			return opt_error(c, argc, argv);
		}
	}
	if (bo.period == NULL || optind != argc)
		return usage_error(c, "give --period YYYY-Qn and nothing else");
	bo.user = acting_user(user, sizeof(user));
	/* refused before anything is made, the default output's directories included */
	asb_errbuf_clear(&eb);
	if ((err = gw_build_check(&bo, NULL, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	memset(&ex, 0, sizeof(ex));
	err = explain_file != NULL ? gw_explain_file(&ex, explain_file, &eb) : ASB_OK;
	for (i = 0; i < nexplain && err == ASB_OK; i++)
		if ((err = gw_explain_arg(&ex, explain[i], &eb)) != ASB_OK &&
		    strncmp(eb.msg, "--explain", 9) != 0) {
			char msg[sizeof(eb.msg)];

			snprintf(msg, sizeof(msg), "%s", eb.msg);
			asb_fail(&eb, err, NULL, "--explain: %s", msg);
		}
	if (err != ASB_OK) {
		gw_explain_free(&ex);
		return fail(c, err, &eb);
	}
	bo.explain = &ex;
	if (out[0] == '\0') {
		(void)mkdir("./var", 0700);
		(void)mkdir("./var/returns", 0700);
		snprintf(out, sizeof(out), "./var/returns/%s%s.xml", bo.period,
		    bo.test ? "-test" : "");
	}
	bo.out = out;
	/* nothing the hub would refuse for its size is built, to be signed and queued */
	bo.max_bytes = (uint64_t)max_bytes;
	/* compiled once for the build's validation and the baseline's */
	if ((err = rtn_schema_load(&schema, &eb)) != ASB_OK) {
		gw_explain_free(&ex);
		return fail(c, err, &eb);
	}
	bo.schema = schema;
	bo.record = gw_tally_record;
	bo.record_ctx = &sum.now;
	bo.ctx = progress_new("building", 0);
	bo.progress = bo.ctx != NULL ? bar : NULL;
	asb_errbuf_clear(&eb);
	err = gw_build(&bo, &res, &eb);
	progress_free(bo.ctx);
	explained = ex.n;
	gw_explain_free(&ex);
	bo.explain = NULL;
	if (err != ASB_OK) {
		rtn_schema_free(schema);
		fprintf(stderr, "asbgw: build: %s%s%s%s%s\n", eb.msg,
		    eb.rule[0] ? " (" : "", eb.rule, eb.rule[0] ? ")" : "",
		    strcmp(eb.rule, "R-XML-003") == 0 ? ": nothing was written; see "
		    "MAXIMUM SIZE in asbgw(1)" : "");
		return err;
	}
	/* what the data team checks before it sends: the change since the quarter before */
	sum.period = bo.period;
	asb_errbuf_clear(&eb);
	if (gw_baseline_load(bo.register_dir, NULL, bo.period, schema, &sum.before, &eb) ==
	    ASB_OK)
		sum.have_before = 1;
	else {
		fprintf(stderr, "asbgw: build: warning: cannot compare with the quarter "
		    "before: %s\n", eb.msg);
		memset(&sum.before, 0, sizeof(sum.before));
		(void)gw_period_before(bo.period, sum.before.period, NULL);
	}
	rtn_schema_free(schema);
	print_built(&bo, &res, json, &sum, explained);
	if (sum.have_before)
		say_summary(&sum, json);
	say_corrections_due(c, bo.register_dir, NULL, user, stderr, "asbgw: build: ",
	    bo.supersedes, 0);
	return 0;
}

static void
print_verdict(const char *file, const struct rtn_validate_result *res, int json)
{
	if (json) {
		fputs("],", stdout);
		json_kv_bool(stdout, 1, "valid", res->errors == 0);
		json_kv_int(stdout, 0, "errors", res->errors);
		json_kv_int(stdout, 0, "warnings", res->warnings);
		json_kv_int(stdout, 0, "records", (int64_t)res->records);
		json_kv_bool(stdout, 0, "truncated", res->truncated);
		json_kv_strn(stdout, 0, "force", res->force);
		json_kv_strn(stdout, 0, "period", res->period);
		json_kv_strn(stdout, 0, "return_id", res->return_id);
		json_kv_bool(stdout, 0, "test", res->test);
		fputs("}\n", stdout);
	} else
		printf("%s: %s: %llu records, %u errors, %u warnings%s%s\n", file,
		    res->errors ? "INVALID" : "valid",
		    (unsigned long long)res->records, res->errors, res->warnings,
		    res->truncated ? " (stopped at --max-errors)" : "",
		    res->test ? " (TEST return)" : "");
}

int
run_validate(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	static const struct option o[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "max-errors", required_argument, NULL, 'm' },
		{ "max-bytes", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct ctx *c = ctx_of(vc, cmd);
	struct rtn_validate_opts vo;
	struct rtn_validate_result res;
	struct report rep = { 0, 0 };
	struct asb_errbuf eb;
	int64_t max = 100, max_bytes = (int64_t)ASB_MAX_RETURN_BYTES;
	const char *why;
	int ch, err;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", o, NULL)) != -1) {
		switch (ch) {
		case 'j':
			rep.json = 1;
			break;
		case 'm':
			if (asb_strtonum(optarg, 1, 1000000, &max, &why) == -1) {
				fprintf(stderr, "asbgw: validate: --max-errors: "
				    "'%s' is %s\n", optarg, why);
				return ASB_EUSAGE;
			}
			break;
		case 'b':
			if ((err = max_bytes_arg(c, optarg, &max_bytes)) != ASB_OK)
				return err;
			break;
		case 'h':
			return cmd_help(c->prog, cmd, stdout);
		default:
			return opt_error(c, argc, argv);
		}
	}
	if (optind + 1 != argc)
		return usage_error(c, "give one FILE");
	memset(&vo, 0, sizeof(vo));
	vo.max_errors = (size_t)max;
	vo.max_bytes = (uint64_t)max_bytes;
	vo.finding = on_finding;
	vo.ctx = &rep;
	asb_errbuf_clear(&eb);
	if (rep.json)
		fputs("{\"findings\":[", stdout);
	err = rtn_validate(argv[optind], &vo, &res, &eb);
	if (err != ASB_OK && err != ASB_ERULE) {
		if (rep.json)
			fputs("]}\n", stdout);
		fprintf(stderr, "asbgw: validate: %s\n", eb.msg);
		return ASB_EIO;	/* unreadable: 5, as documented */
	}
	if (err == ASB_ERULE && res.errors == 0) {
		/* refused whole before any finding: too large for the hub */
		if (rep.json)
			fputs("]}\n", stdout);
		fprintf(stderr, "asbgw: validate: %s (%s): the hub would refuse it; "
		    "see MAXIMUM SIZE in asbgw(1)\n", eb.msg, eb.rule);
		return ASB_ERULE;
	}
	print_verdict(argv[optind], &res, rep.json);
	return res.errors ? ASB_ERULE : 0;
}
