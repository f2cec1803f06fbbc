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

static void
bar(uint64_t done, uint64_t total, void *ctx)
{
	progress_update(ctx, done * (total ? 1 : 0) + (total ? 0 : done));
}

static void
print_built(const struct gw_build_opts *bo, const struct gw_build_result *res, int json)
{
	if (json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "file", bo->out);
		json_kv_str(stdout, 0, "return_id", res->return_id);
		json_kv_str(stdout, 0, "period", bo->period);
		json_kv_bool(stdout, 0, "test", bo->test);
		json_kv_int(stdout, 0, "records", (int64_t)res->records);
		json_kv_int(stdout, 0, "events", (int64_t)res->events);
		fputs("}\n", stdout);
	} else
		printf("built %s: %llu records, %llu events, return %s%s\n", bo->out,
		    (unsigned long long)res->records,
		    (unsigned long long)res->events, res->return_id,
		    bo->test ? " (TEST)" : "");
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct ctx *c = ctx_of(vc, cmd);
	struct gw_build_opts bo;
	struct gw_build_result res;
	struct asb_errbuf eb;
	struct passwd *pw;
	const char *env;
	char out[4200], user[64];
	int64_t max_bytes = (int64_t)ASB_MAX_RETURN_BYTES;
	int ch, json = 0, err;

	memset(&bo, 0, sizeof(bo));
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
		case 'h':
			return cmd_help(c->prog, cmd, stdout);
		default:
			return opt_error(c, argc, argv);
		}
	}
	if (bo.period == NULL || optind != argc)
		return usage_error(c, "give --period YYYY-Qn and nothing else");
	if ((env = getenv("ASB_USER")) != NULL && *env)
		snprintf(user, sizeof(user), "%s", env);
	else
		snprintf(user, sizeof(user), "%s", (pw = getpwuid(getuid())) ?
		    pw->pw_name : "unknown");
	bo.user = user;
	if (out[0] == '\0') {
		struct rtn_period p;

		if (rtn_period_parse(bo.period, &p, &eb) != ASB_OK)
			return fail(c, ASB_EUSAGE, &eb);
		(void)mkdir("./var", 0700);
		(void)mkdir("./var/returns", 0700);
		snprintf(out, sizeof(out), "./var/returns/%s%s.xml", bo.period,
		    bo.test ? "-test" : "");
	}
	bo.out = out;
	/* nothing the hub would refuse for its size is built, to be signed and queued */
	bo.max_bytes = (uint64_t)max_bytes;
	bo.ctx = progress_new("building", 0);
	bo.progress = bo.ctx != NULL ? bar : NULL;
	asb_errbuf_clear(&eb);
	err = gw_build(&bo, &res, &eb);
	progress_free(bo.ctx);
	if (err != ASB_OK) {
		fprintf(stderr, "asbgw: build: %s%s%s%s%s\n", eb.msg,
		    eb.rule[0] ? " (" : "", eb.rule, eb.rule[0] ? ")" : "",
		    strcmp(eb.rule, "R-XML-003") == 0 ? ": nothing was written; see "
		    "MAXIMUM SIZE in asbgw(1)" : "");
		return err;
	}
	print_built(&bo, &res, json);
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
