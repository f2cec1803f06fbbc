/*
 * asbgw - the force data team's command for the national return.
 *
 *   asbgw build --period YYYY-Qn [-d REGISTER] [-o FILE] [--test] [--supersedes RETURN-ID]
 *   asbgw validate FILE [--json] [--max-errors N]
 *
 * Exit codes: 0 ok (valid, warnings allowed), 1 invalid, 2 usage, 3 no register, 5 the file
 * or the register cannot be read or written.  docs/man/asbgw.1 is the manual.
 */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dsig.h"
#include "gw.h"
#include "json.h"
#include "num.h"
#include "progress.h"

#define DEFAULT_REGISTER	"./var/register"

static void
usage(FILE *f)
{
	fputs("usage: asbgw build --period YYYY-Qn [-d REGISTER] [-o FILE] [--test] "
	    "[--supersedes RETURN-ID] [--json]\n"
	    "       asbgw validate FILE [--json] [--max-errors N]\n"
	    "build: the pseudonymised national return for a quarter, from the register\n"
	    "  (default $ASBREG_DIR or ./var/register) to FILE (default\n"
	    "  ./var/returns/FORCE-PERIOD.xml), validated before it is kept.\n"
	    "validate: check a return against the XSD and the statutory rules; one report.\n"
	    "Exit: 0 valid, 1 invalid, 2 usage, 3 no register, 5 cannot read or write.\n",
	    f);
}

static void
bar(uint64_t done, uint64_t total, void *ctx)
{
	progress_update(ctx, done * (total ? 1 : 0) + (total ? 0 : done));
}

static int
cmd_build(int argc, char **argv, asb_time now)
{
	static const struct option o[] = {
		{ "period", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "test", no_argument, NULL, 't' },
		{ "supersedes", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct gw_build_opts bo;
	struct gw_build_result res;
	struct asb_errbuf eb;
	struct passwd *pw;
	const char *env;
	char out[4200], user[64];
	int ch, json = 0, err;

	memset(&bo, 0, sizeof(bo));
	bo.register_dir = (env = getenv("ASBREG_DIR")) && *env ? env :
	    DEFAULT_REGISTER;
	bo.now = now;
	out[0] = '\0';
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "d:o:", o, NULL)) != -1) {
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
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "asbgw: build: %s: unknown option or "
			    "missing value (see 'asbgw --help')\n",
			    argv[optind - 1]);
			return ASB_EUSAGE;
		}
	}
	if (bo.period == NULL || optind != argc) {
		fprintf(stderr, "asbgw: build: give --period YYYY-Qn and nothing "
		    "else (see 'asbgw --help')\n");
		return ASB_EUSAGE;
	}
	if ((env = getenv("ASB_USER")) != NULL && *env)
		snprintf(user, sizeof(user), "%s", env);
	else
		snprintf(user, sizeof(user), "%s", (pw = getpwuid(getuid())) ?
		    pw->pw_name : "unknown");
	bo.user = user;
	if (out[0] == '\0') {
		struct gw_period p;

		if (gw_period_parse(bo.period, &p, &eb) != ASB_OK) {
			fprintf(stderr, "asbgw: build: %s\n", eb.msg);
			return ASB_EUSAGE;
		}
		(void)mkdir("./var", 0700);
		(void)mkdir("./var/returns", 0700);
		snprintf(out, sizeof(out), "./var/returns/%s%s.xml", bo.period,
		    bo.test ? "-test" : "");
	}
	bo.out = out;
	bo.ctx = progress_new("building", 0);
	bo.progress = bo.ctx != NULL ? bar : NULL;
	asb_errbuf_clear(&eb);
	err = gw_build(&bo, &res, &eb);
	progress_free(bo.ctx);
	if (err != ASB_OK) {
		fprintf(stderr, "asbgw: build: %s%s%s%s\n", eb.msg,
		    eb.rule[0] ? " (" : "", eb.rule, eb.rule[0] ? ")" : "");
		return err == ASB_ENOTFOUND ? ASB_ENOTFOUND : err;
	}
	if (json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "file", out);
		json_kv_str(stdout, 0, "return_id", res.return_id);
		json_kv_str(stdout, 0, "period", bo.period);
		json_kv_bool(stdout, 0, "test", bo.test);
		json_kv_int(stdout, 0, "records", (int64_t)res.records);
		json_kv_int(stdout, 0, "events", (int64_t)res.events);
		fputs("}\n", stdout);
	} else
		printf("built %s: %llu records, %llu events, return %s%s\n", out,
		    (unsigned long long)res.records,
		    (unsigned long long)res.events, res.return_id,
		    bo.test ? " (TEST)" : "");
	return 0;
}

struct report {
	int	 json;
	int	 n;
};

static void
on_finding(const struct gw_finding *f, void *ctx)
{
	struct report *r = ctx;

	if (r->json) {
		fputs(r->n++ ? ",{" : "{", stdout);
		json_kv_str(stdout, 1, "rule", f->rule);
		json_kv_str(stdout, 0, "severity", f->warning ? "warning" :
		    "error");
		json_kv_int(stdout, 0, "line", f->line);
		json_kv_strn(stdout, 0, "record", f->record);
		json_kv_str(stdout, 0, "message", f->msg);
		fputc('}', stdout);
		return;
	}
	r->n++;
	printf("line %-7ld %-7s %-10s %s%s%s\n", f->line, f->warning ?
	    "warning" : "error", f->rule, f->record[0] ? "record " : "",
	    f->record, f->record[0] ? ": " : "");
	printf("             %s\n", f->msg);
}

static int
cmd_validate(int argc, char **argv)
{
	static const struct option o[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "max-errors", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct gw_validate_opts vo;
	struct gw_validate_result res;
	struct report rep = { 0, 0 };
	struct asb_errbuf eb;
	int64_t max = 100;
	const char *why;
	int ch, err;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", o, NULL)) != -1) {
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
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "asbgw: validate: %s: unknown option or "
			    "missing value (see 'asbgw --help')\n",
			    argv[optind - 1]);
			return ASB_EUSAGE;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "asbgw: validate: give one FILE\n");
		return ASB_EUSAGE;
	}
	memset(&vo, 0, sizeof(vo));
	vo.max_errors = (size_t)max;
	vo.finding = on_finding;
	vo.ctx = &rep;
	asb_errbuf_clear(&eb);
	if (rep.json)
		fputs("{\"findings\":[", stdout);
	err = gw_validate(argv[optind], &vo, &res, &eb);
	if (err != ASB_OK && err != ASB_ERULE) {
		if (rep.json)
			fputs("]}\n", stdout);
		fprintf(stderr, "asbgw: validate: %s\n", eb.msg);
		return ASB_EIO;	/* unreadable: 5, as documented */
	}
	if (rep.json) {
		fputs("],", stdout);
		json_kv_bool(stdout, 1, "valid", res.errors == 0);
		json_kv_int(stdout, 0, "errors", res.errors);
		json_kv_int(stdout, 0, "warnings", res.warnings);
		json_kv_int(stdout, 0, "records", (int64_t)res.records);
		json_kv_bool(stdout, 0, "truncated", res.truncated);
		json_kv_strn(stdout, 0, "force", res.force);
		json_kv_strn(stdout, 0, "period", res.period);
		json_kv_strn(stdout, 0, "return_id", res.return_id);
		json_kv_bool(stdout, 0, "test", res.test);
		fputs("}\n", stdout);
	} else
		printf("%s: %s: %llu records, %u errors, %u warnings%s%s\n",
		    argv[optind], res.errors ? "INVALID" : "valid",
		    (unsigned long long)res.records, res.errors, res.warnings,
		    res.truncated ? " (stopped at --max-errors)" : "",
		    res.test ? " (TEST return)" : "");
	return res.errors ? ASB_ERULE : 0;
}

/* Print a refusal from dsig or receipt code as "asbgw: CMD: message (rule)". */
static void
say_error(const char *cmd, const struct asb_errbuf *eb)
{
	fprintf(stderr, "asbgw: %s: %s%s%s%s\n", cmd, eb->msg, eb->rule[0] ? " (" : "",
	    eb->rule, eb->rule[0] ? ")" : "");
}

static int
cmd_sign(int argc, char **argv)
{
	static const struct option o[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *key = NULL, *cert = NULL, *out = NULL, *in;
	struct gw_validate_opts vo;
	struct gw_validate_result vr;
	struct report rep = { 0, 0 };
	struct dsig_signer who;
	struct asb_errbuf eb;
	char force[16];
	xmlDocPtr doc;
	int ch, err;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "o:", o, NULL)) != -1) {
		switch (ch) {
		case 'k':
			key = optarg;
			break;
		case 'c':
			cert = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "asbgw: sign: %s: unknown option or missing "
			    "value (see 'asbgw --help')\n", argv[optind - 1]);
			return ASB_EUSAGE;
		}
	}
	if (optind + 1 != argc || key == NULL || cert == NULL) {
		fprintf(stderr, "asbgw: sign: give one FILE, --key K and --cert C\n");
		return ASB_EUSAGE;
	}
	in = argv[optind];
	if (out == NULL)
		out = in;
	asb_errbuf_clear(&eb);
	if ((err = dsig_cert_info(cert, &who, &eb)) != ASB_OK) {
		say_error("sign", &eb);
		return ASB_EUSAGE;
	}
	if (who.days_left < 0) {
		fprintf(stderr, "asbgw: sign: %s expired on %s: ask for a new "
		    "signing certificate\n", cert, who.not_after);
		return ASB_EUSAGE;
	}
	/* Only a valid return is worth signing: say what to fix first. */
	memset(&vo, 0, sizeof(vo));
	vo.finding = on_finding;
	vo.ctx = &rep;
	err = gw_validate(in, &vo, &vr, &eb);
	if (err == ASB_ENOTFOUND || err == ASB_EIO) {
		say_error("sign", &eb);
		return ASB_EIO;
	}
	if (err != ASB_OK) {
		fprintf(stderr, "asbgw: sign: %s is not a valid return (%u errors): "
		    "fix it before signing\n", in, vr.errors);
		return ASB_ERULE;
	}
	if ((err = dsig_parse_file(in, &doc, &eb)) != ASB_OK) {
		say_error("sign", &eb);
		return err == ASB_ENOTFOUND ? ASB_EIO : err;
	}
	dsig_header_text(doc, "Header", "Force", force, sizeof(force));
	if (strcmp(force, who.cn) != 0) {
		xmlFreeDoc(doc);
		fprintf(stderr, "asbgw: sign: %s is the certificate of '%s' but the "
		    "return is force %s's: sign with that force's certificate "
		    "(R-SIG-006)\n", cert, who.cn, force);
		return ASB_EUSAGE;
	}
	{
		xmlNodePtr n;

		for (n = xmlDocGetRootElement(doc)->children; n; n = n->next)
			if (n->type == XML_ELEMENT_NODE && n->ns != NULL &&
			    strcmp((const char *)n->ns->href, DSIG_NS) == 0) {
				xmlFreeDoc(doc);
				fprintf(stderr, "asbgw: sign: %s is signed already\n",
				    in);
				return ASB_ECONFLICT;
			}
	}
	if ((err = dsig_sign_doc(doc, key, cert, &eb)) == ASB_OK)
		err = dsig_save(doc, out, &eb);
	xmlFreeDoc(doc);
	if (err != ASB_OK) {
		say_error("sign", &eb);
		return err;
	}
	printf("signed %s as %s (return %s, %llu records)\n", out, who.cn,
	    vr.return_id, (unsigned long long)vr.records);
	return 0;
}

static int
cmd_verify(int argc, char **argv)
{
	static const struct option o[] = {
		{ "ca", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *ca = NULL, *in;
	struct dsig_signer who;
	struct asb_errbuf eb;
	char force[16], rid[40];
	xmlDocPtr doc = NULL;
	int ch, err, json = 0;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", o, NULL)) != -1) {
		switch (ch) {
		case 'a':
			ca = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "asbgw: verify: %s: unknown option or missing "
			    "value (see 'asbgw --help')\n", argv[optind - 1]);
			return ASB_EUSAGE;
		}
	}
	if (optind + 1 != argc || ca == NULL) {
		fprintf(stderr, "asbgw: verify: give one FILE and --ca CA\n");
		return ASB_EUSAGE;
	}
	in = argv[optind];
	asb_errbuf_clear(&eb);
	force[0] = rid[0] = '\0';
	memset(&who, 0, sizeof(who));
	if ((err = dsig_parse_file(in, &doc, &eb)) == ASB_OK) {
		dsig_header_text(doc, "Header", "Force", force, sizeof(force));
		dsig_header_text(doc, "Header", "ReturnId", rid, sizeof(rid));
		err = dsig_verify_doc(doc, ca, &who, &eb);
		if (err == ASB_OK && strcmp(who.cn, force) != 0)
			err = asb_fail(&eb, ASB_ERULE, "R-SIG-006", "signed by '%s' "
			    "but the header names force '%s'", who.cn, force);
		xmlFreeDoc(doc);
	}
	if (err == ASB_ENOTFOUND)
		err = ASB_EIO;
	if (json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "file", in);
		json_kv_bool(stdout, 0, "valid", err == ASB_OK);
		json_kv_strn(stdout, 0, "rule", eb.rule);
		json_kv_strn(stdout, 0, "message", err ? eb.msg : "");
		json_kv_strn(stdout, 0, "signer", who.cn);
		json_kv_strn(stdout, 0, "fingerprint", who.fingerprint);
		json_kv_strn(stdout, 0, "not_after", who.not_after);
		json_kv_strn(stdout, 0, "force", force);
		json_kv_strn(stdout, 0, "return_id", rid);
		fputs("}\n", stdout);
	}
	if (err != ASB_OK) {
		say_error("verify", &eb);
		return err;
	}
	if (!json)
		printf("%s: signature valid: return %s signed by force %s "
		    "(certificate sha256 %s, valid until %s)\n", in, rid, who.cn,
		    who.fingerprint, who.not_after);
	return 0;
}

int
main(int argc, char **argv)
{
	asb_time now = (asb_time)time(NULL);
	const char *env;
	int rc;

	/* ASBREG_NOW fixes "now", as for asbreg (tests). */
	if ((env = getenv("ASBREG_NOW")) != NULL && *env &&
	    asb_time_parse(env, &now) == -1) {
		fprintf(stderr, "asbgw: ASBREG_NOW: '%s' is not an ISO 8601 "
		    "time\n", env);
		return ASB_EUSAGE;
	}
	if (argc < 2) {
		usage(stderr);
		return ASB_EUSAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("asbgw 0.1.0");
		return 0;
	}
	gw_init();
	{
		struct asb_errbuf eb;

		if (dsig_init(&eb) != ASB_OK) {
			fprintf(stderr, "asbgw: %s\n", eb.msg);
			gw_cleanup();
			return ASB_EIO;
		}
	}
	if (strcmp(argv[1], "build") == 0)
		rc = cmd_build(argc - 1, argv + 1, now);
	else if (strcmp(argv[1], "validate") == 0)
		rc = cmd_validate(argc - 1, argv + 1);
	else if (strcmp(argv[1], "sign") == 0)
		rc = cmd_sign(argc - 1, argv + 1);
	else if (strcmp(argv[1], "verify") == 0)
		rc = cmd_verify(argc - 1, argv + 1);
	else {
		fprintf(stderr, "asbgw: %s: unknown command\n", argv[1]);
		usage(stderr);
		rc = ASB_EUSAGE;
	}
	dsig_cleanup();
	gw_cleanup();
	return rc;
}
