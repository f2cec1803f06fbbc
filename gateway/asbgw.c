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
#include <openssl/sha.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "client.h"
#include "conf.h"
#include "dsig.h"
#include "outbox.h"
#include "receipt.h"
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
	    "       asbgw sign FILE --key K --cert C [-o OUT]\n"
	    "       asbgw verify FILE --ca CA [--json]\n"
	    "       asbgw submit FILE [-c CONF] [--url U] [--cert C] [--key K] [--ca CA]\n"
	    "       asbgw send [-c CONF] [--now] [--json]\n"
	    "       asbgw outbox [-c CONF] [--json]\n"
	    "       asbgw receipt RETURN-ID [-c CONF] [--json]\n"
	    "Every command takes -d REGISTER (the outbox lives beside it, REGISTER/outbox).\n"
	    "build: the pseudonymised national return for a quarter, from the register\n"
	    "  (default $ASBREG_DIR or ./var/register) to FILE (default\n"
	    "  ./var/returns/FORCE-PERIOD.xml), validated before it is kept.\n"
	    "validate: check a return against the XSD and the statutory rules; one report.\n"
	    "sign, verify: the enveloped XML-DSig signature of a return.\n"
	    "submit: put a return in the outbox (signing it with sign-key and sign-cert\n"
	    "  when it is not signed) and send it; send: send what is due (--now: all).\n"
	    "CONF is key = value: register, force, url, cert, key, ca, sign-cert, sign-key,\n"
	    "  receipt-signer (default -c: $ASBGW_CONF, else REGISTER/asbgw.conf).\n"
	    "Exit: 0 ok (valid, accepted), 1 invalid or rejected, 2 usage, 3 not found,\n"
	    "  4 conflict, 5 cannot read, write or reach the hub (queued: send retries).\n",
	    f);
}

static void
bar(uint64_t done, uint64_t total, void *ctx)
{
	progress_update(ctx, done * (total ? 1 : 0) + (total ? 0 : done));
}

/* A period whose acknowledged return counted records voided since (gw_corrections_due). */
struct due_out {
	FILE		*f;
	const char	*prefix;	/* "asbgw: build: " or "" */
	const char	*skip;		/* the return a build supersedes: its correction is this */
	int		 json;
};

static void
correction_due(const struct gw_correction *c, void *ctx)
{
	struct due_out *o = ctx;

	if (o->skip != NULL && strcmp(o->skip, c->return_id) == 0)
		return;
	if (o->json) {
		fputs("{\"correction_due\":", o->f);
		json_str(o->f, c->period);
		json_kv_str(o->f, 0, "supersedes", c->return_id);
		json_kv_int(o->f, 0, "voided_records", (int64_t)c->records);
		json_kv_int(o->f, 0, "merged_records", (int64_t)c->merged);
		fputs("}\n", o->f);
		return;
	}
	fprintf(o->f, "%sa correction is due for %s: acknowledged return %s counted ",
	    o->prefix, c->period, c->return_id);
	if (c->records > 0)
		fprintf(o->f, "%llu record%s voided since%s", (unsigned long long)c->records,
		    c->records == 1 ? "" : "s", c->merged > 0 ? " and " : "");
	if (c->merged > 0)
		fprintf(o->f, "%llu record%s of a subject merged since",
		    (unsigned long long)c->merged, c->merged == 1 ? "" : "s");
	fprintf(o->f, "; build --period %s --supersedes %s and submit it\n", c->period,
	    c->return_id);
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
		struct rtn_period p;

		if (rtn_period_parse(bo.period, &p, &eb) != ASB_OK) {
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
	{
		struct due_out d = { stderr, "asbgw: build: ", bo.supersedes, 0 };

		if (gw_corrections_due(bo.register_dir, NULL, user, correction_due, &d,
		    &eb) != ASB_OK)
			fprintf(stderr, "asbgw: build: cannot tell whether a correction is "
			    "due: %s\n", eb.msg);
	}
	return 0;
}

struct report {
	int	 json;
	int	 n;
};

static void
on_finding(const struct rtn_finding *f, void *ctx)
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
	struct rtn_validate_opts vo;
	struct rtn_validate_result res;
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
	err = rtn_validate(argv[optind], &vo, &res, &eb);
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
	struct rtn_validate_opts vo;
	struct rtn_validate_result vr;
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
	err = rtn_validate(in, &vo, &vr, &eb);
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

/* ---- configuration and the outbox commands ------------------------------------------------ */

enum { C_REGISTER, C_FORCE, C_URL, C_CERT, C_KEY, C_CA, C_SIGN_CERT, C_SIGN_KEY,
	C_RECEIPT_SIGNER, C_CONNECT_TIMEOUT, C_N };

struct settings {
	struct conf_entry	 c[C_N];
	const char		*conf;		/* the file read, or NULL */
	int			 json, now;
	long			 connect_timeout;	/* seconds; 0: the default */
};

static const char *
setting(const struct settings *st, int i)
{
	return st->c[i].value[0] ? st->c[i].value : NULL;
}

/*
 * Options shared by submit, send, outbox and receipt: -c CONF, -d REGISTER, --url, --cert,
 * --key, --ca, --sign-cert, --sign-key, --json, --now.  Flags override the file; the file is
 * -c, else $ASBGW_CONF, else REGISTER/asbgw.conf when it exists.
 */
static int
settings_load(int argc, char **argv, const char *cmd, struct settings *st)
{
	static const char *const keys[C_N] = { "register", "force", "url", "cert", "key",
	    "ca", "sign-cert", "sign-key", "receipt-signer", "connect-timeout" };
	static const struct option o[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "dir", required_argument, NULL, 'd' },
		{ "url", required_argument, NULL, 'u' },
		{ "cert", required_argument, NULL, 'C' },
		{ "key", required_argument, NULL, 'K' },
		{ "ca", required_argument, NULL, 'A' },
		{ "sign-cert", required_argument, NULL, 'S' },
		{ "sign-key", required_argument, NULL, 'T' },
		{ "connect-timeout", required_argument, NULL, 'W' },
		{ "json", no_argument, NULL, 'j' },
		{ "now", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *flag[C_N] = { NULL }, *conf = NULL, *env;
	struct asb_errbuf eb;
	char path[4200];
	int ch, i, err;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < C_N; i++)
		st->c[i].key = keys[i];
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:d:", o, NULL)) != -1) {
		switch (ch) {
		case 'c': conf = optarg; break;
		case 'd': flag[C_REGISTER] = optarg; break;
		case 'u': flag[C_URL] = optarg; break;
		case 'C': flag[C_CERT] = optarg; break;
		case 'K': flag[C_KEY] = optarg; break;
		case 'A': flag[C_CA] = optarg; break;
		case 'S': flag[C_SIGN_CERT] = optarg; break;
		case 'T': flag[C_SIGN_KEY] = optarg; break;
		case 'W': flag[C_CONNECT_TIMEOUT] = optarg; break;
		case 'j': st->json = 1; break;
		case 'n': st->now = 1; break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			fprintf(stderr, "asbgw: %s: %s: unknown option or missing value "
			    "(see 'asbgw --help')\n", cmd, argv[optind - 1]);
			return ASB_EUSAGE;
		}
	}
	if (conf == NULL && (env = getenv("ASBGW_CONF")) != NULL && *env)
		conf = env;
	if (conf == NULL) {
		const char *reg = flag[C_REGISTER] ? flag[C_REGISTER] :
		    (env = getenv("ASBREG_DIR")) && *env ? env : DEFAULT_REGISTER;
		struct stat sb;

		snprintf(path, sizeof(path), "%s/asbgw.conf", reg);
		if (stat(path, &sb) == 0)
			conf = path;
	}
	asb_errbuf_clear(&eb);
	if (conf != NULL && (err = conf_load(conf, st->c, C_N, &eb)) != ASB_OK) {
		fprintf(stderr, "asbgw: %s: %s\n", cmd, eb.msg);
		return ASB_EUSAGE;
	}
	st->conf = conf;
	for (i = 0; i < C_N; i++)
		if (flag[i] != NULL)
			snprintf(st->c[i].value, sizeof(st->c[i].value), "%s", flag[i]);
	if (setting(st, C_CONNECT_TIMEOUT) != NULL) {
		const char *why;
		int64_t n;

		if (asb_strtonum(setting(st, C_CONNECT_TIMEOUT), 1, 3600, &n, &why) != 0) {
			fprintf(stderr, "asbgw: %s: connect-timeout '%s' is %s: give "
			    "seconds, 1 to 3600\n", cmd, setting(st, C_CONNECT_TIMEOUT), why);
			return ASB_EUSAGE;
		}
		st->connect_timeout = (long)n;
	}
	if (st->c[C_REGISTER].value[0] == '\0')
		snprintf(st->c[C_REGISTER].value, sizeof(st->c[C_REGISTER].value), "%s",
		    (env = getenv("ASBREG_DIR")) && *env ? env : DEFAULT_REGISTER);
	return ASB_OK;
}

static void
tls_of(const struct settings *st, struct gw_tls *t)
{
	memset(t, 0, sizeof(*t));
	t->url = setting(st, C_URL);
	t->cert = setting(st, C_CERT);
	t->key = setting(st, C_KEY);
	t->ca = setting(st, C_CA);
	t->receipt_signer = setting(st, C_RECEIPT_SIGNER);
	t->connect_timeout = st->connect_timeout;
}

static const char *
state_label(const struct ob_entry *e, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s%s", e->state, e->outcome[0] ? " (" : "",
	    e->outcome, e->outcome[0] ? ")" : "");
	return buf;
}

static void
entry_json(const struct ob_entry *e)
{
	char a[ASB_TIME_BUF], b[ASB_TIME_BUF], c[ASB_TIME_BUF], d[ASB_TIME_BUF];

	json_kv_str(stdout, 1, "return_id", e->id);
	json_kv_str(stdout, 0, "force", e->force);
	json_kv_str(stdout, 0, "period", e->period);
	json_kv_bool(stdout, 0, "test", e->test);
	json_kv_str(stdout, 0, "state", e->state);
	json_kv_strn(stdout, 0, "outcome", e->outcome);
	json_kv_int(stdout, 0, "attempts", e->attempts);
	json_kv_str(stdout, 0, "added", asb_time_iso(e->added, a, sizeof(a)));
	json_kv_strn(stdout, 0, "last_try", e->last_try ?
	    asb_time_iso(e->last_try, b, sizeof(b)) : NULL);
	json_kv_strn(stdout, 0, "next_try", strcmp(e->state, "signed") == 0 &&
	    e->next_try ? asb_time_iso(e->next_try, c, sizeof(c)) : NULL);
	json_kv_strn(stdout, 0, "done", e->done ? asb_time_iso(e->done, d, sizeof(d)) :
	    NULL);
	json_kv_int(stdout, 0, "last_status", e->last_status);
	json_kv_strn(stdout, 0, "last_error", e->last_error);
	json_kv_str(stdout, 0, "sha256", e->sha256);
	json_kv_int(stdout, 0, "bytes", (int64_t)e->bytes);
}

static void
report_entry(const struct ob_entry *e, int json)
{
	char buf[48];

	if (json) {
		fputc('{', stdout);
		entry_json(e);
		fputs("}\n", stdout);
		return;
	}
	printf("%s %s %s: %s%s", e->id, e->force, e->period, state_label(e, buf,
	    sizeof(buf)), e->test ? " TEST" : "");
	if (e->last_error[0])
		printf(" - %s", e->last_error);
	putchar('\n');
}

/* Exit code for an entry after a send: 0 acknowledged and accepted, 1 rejected, 5 queued. */
static int
entry_exit(const struct ob_entry *e)
{
	if (strcmp(e->state, "acknowledged") == 0)
		return 0;
	if (strcmp(e->state, "rejected") == 0)
		return ASB_ERULE;
	return ASB_EIO;
}

static int
cmd_submit(int argc, char **argv, asb_time now)
{
	struct settings st;
	struct gw_tls t;
	struct asb_errbuf eb;
	struct ob_entry e;
	struct outbox *ob = NULL;
	struct dsig_signer who;
	unsigned char md[SHA256_DIGEST_LENGTH];
	char *body = NULL, *signedbuf = NULL, test[8];
	size_t len = 0;
	xmlDocPtr doc = NULL;
	xmlNodePtr n;
	int err, added, is_signed = 0, i;

	if ((err = settings_load(argc, argv, "submit", &st)) != ASB_OK)
		return err < 0 ? 0 : err;
	if (optind + 1 != argc) {
		fprintf(stderr, "asbgw: submit: give one FILE\n");
		return ASB_EUSAGE;
	}
	tls_of(&st, &t);
	asb_errbuf_clear(&eb);
	if ((err = asb_read_file(argv[optind], 4ULL << 30, &body, &len, &eb)) != ASB_OK) {
		fprintf(stderr, "asbgw: submit: %s\n", eb.msg);
		return ASB_EIO;
	}
	if ((err = dsig_parse_mem(body, len, argv[optind], &doc, &eb)) != ASB_OK)
		goto fail;
	for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && n->ns != NULL &&
		    strcmp((const char *)n->ns->href, DSIG_NS) == 0)
			is_signed = 1;
	memset(&e, 0, sizeof(e));
	dsig_header_text(doc, "Header", "ReturnId", e.id, sizeof(e.id));
	dsig_header_text(doc, "Header", "Force", e.force, sizeof(e.force));
	dsig_header_text(doc, "Header", "Period", e.period, sizeof(e.period));
	dsig_header_text(doc, "Header", "Test", test, sizeof(test));
	e.test = strcmp(test, "true") == 0;
	if (strlen(e.id) != 36) {
		err = asb_fail(&eb, ASB_ERULE, "R-XSD-001", "%s has no return ID: is "
		    "it a return?", argv[optind]);
		goto fail;
	}
	if (!is_signed) {
		/* sign it here with the force's signing key, when configured */
		if (setting(&st, C_SIGN_KEY) == NULL || setting(&st, C_SIGN_CERT) == NULL) {
			err = asb_fail(&eb, ASB_EUSAGE, "R-SIG-001", "%s is not signed: "
			    "run asbgw sign, or set sign-key and sign-cert",
			    argv[optind]);
			goto fail;
		}
		if ((err = dsig_cert_info(setting(&st, C_SIGN_CERT), &who, &eb)) != ASB_OK)
			goto fail;
		if (strcmp(who.cn, e.force) != 0) {
			err = asb_fail(&eb, ASB_EUSAGE, "R-SIG-006", "the signing "
			    "certificate is %s's, the return %s's", who.cn, e.force);
			goto fail;
		}
		{
			struct rtn_validate_opts vo;
			struct rtn_validate_result vr;

			memset(&vo, 0, sizeof(vo));
			if (rtn_validate_mem(body, len, argv[optind], &vo, &vr, &eb) !=
			    ASB_OK) {
				err = asb_fail(&eb, ASB_ERULE, NULL, "%s is not a valid "
				    "return (%u errors): see asbgw validate",
				    argv[optind], vr.errors);
				goto fail;
			}
		}
		if ((err = dsig_sign_doc(doc, setting(&st, C_SIGN_KEY),
		    setting(&st, C_SIGN_CERT), &eb)) != ASB_OK ||
		    (err = dsig_dump(doc, &signedbuf, &len, &eb)) != ASB_OK)
			goto fail;
		free(body);
		body = NULL;
	} else if (t.ca != NULL && (err = dsig_verify_doc(doc, t.ca, &who, &eb)) != ASB_OK)
		goto fail;	/* do not queue what the hub will refuse */
	xmlFreeDoc(doc);
	doc = NULL;
	SHA256((const unsigned char *)(signedbuf ? signedbuf : body), len, md);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(e.sha256 + 2 * i, 3, "%02x", md[i]);
	snprintf(e.state, sizeof(e.state), "signed");
	e.bytes = len;
	e.added = now;
	if ((err = ob_open(setting(&st, C_REGISTER), &ob, &eb)) != ASB_OK ||
	    (err = ob_add(ob, &e, signedbuf ? signedbuf : body, len, &added, &eb)) !=
	    ASB_OK)
		goto fail;
	if (signedbuf != NULL)
		xmlFree(signedbuf);
	free(body);
	signedbuf = body = NULL;
	if (!added)
		fprintf(stderr, "asbgw: submit: return %s is in the outbox already; "
		    "sending it if it is still due\n", e.id);
	err = gw_send_one(ob, &t, e.id, now, &e, &eb);
	ob_close(ob);
	report_entry(&e, st.json);
	if (err != ASB_OK && err != ASB_EIO) {
		fprintf(stderr, "asbgw: submit: %s\n", eb.msg);
		return err;
	}
	if (err == ASB_EIO)
		fprintf(stderr, "asbgw: submit: not delivered yet: %s; it is safe in "
		    "the outbox and 'asbgw send' will retry\n", eb.msg);
	return entry_exit(&e);
fail:
	if (doc != NULL)
		xmlFreeDoc(doc);
	if (signedbuf != NULL)
		xmlFree(signedbuf);
	free(body);
	ob_close(ob);
	fprintf(stderr, "asbgw: submit: %s%s%s%s\n", eb.msg, eb.rule[0] ? " (" : "",
	    eb.rule, eb.rule[0] ? ")" : "");
	return err == ASB_ENOTFOUND ? ASB_ENOTFOUND : err;
}

/* Collect first (ob_each holds a read transaction), then send. */
struct idlist {
	char	(*ids)[37];
	size_t	 n, cap;
	asb_time now;
	int	 all;
};

static void
collect_due(const struct ob_entry *e, void *ctx)
{
	struct idlist *l = ctx;
	void *p;

	if (strcmp(e->state, "signed") != 0 && strcmp(e->state, "sending") != 0)
		return;
	/* "sending" means a send was cut short (a crash): due at once */
	if (!l->all && strcmp(e->state, "signed") == 0 && e->next_try > l->now)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		if ((p = realloc(l->ids, l->cap * sizeof(*l->ids))) == NULL)
			return;
		l->ids = p;
	}
	memcpy(l->ids[l->n++], e->id, 37);
}

static int
cmd_send(int argc, char **argv, asb_time now)
{
	struct settings st;
	struct gw_tls t;
	struct asb_errbuf eb;
	struct outbox *ob;
	struct ob_entry e;
	struct idlist l = { NULL, 0, 0, 0, 0 };
	size_t i;
	int err, worst = 0, rc;

	if ((err = settings_load(argc, argv, "send", &st)) != ASB_OK)
		return err < 0 ? 0 : err;
	if (optind != argc) {
		fprintf(stderr, "asbgw: send: no arguments besides options\n");
		return ASB_EUSAGE;
	}
	tls_of(&st, &t);
	asb_errbuf_clear(&eb);
	if ((err = ob_open(setting(&st, C_REGISTER), &ob, &eb)) != ASB_OK) {
		fprintf(stderr, "asbgw: send: %s\n", eb.msg);
		return err;
	}
	l.now = now;
	l.all = st.now;
	if ((err = ob_each(ob, collect_due, &l, &eb)) != ASB_OK) {
		ob_close(ob);
		fprintf(stderr, "asbgw: send: %s\n", eb.msg);
		return err;
	}
	for (i = 0; i < l.n; i++) {
		asb_errbuf_clear(&eb);
		rc = gw_send_one(ob, &t, l.ids[i], now, &e, &eb);
		report_entry(&e, st.json);
		if (rc == ASB_EUSAGE) {
			fprintf(stderr, "asbgw: send: %s\n", eb.msg);
			worst = ASB_EUSAGE;
			break;
		}
		rc = entry_exit(&e);
		if (rc > worst)
			worst = rc;
	}
	if (l.n == 0 && !st.json)
		printf("nothing due in the outbox\n");
	free(l.ids);
	ob_close(ob);
	return worst;
}

static void
list_entry(const struct ob_entry *e, void *ctx)
{
	int *json = ctx;
	char t[ASB_TIME_BUF], buf[48];

	if (*json) {
		fputc('{', stdout);
		entry_json(e);
		fputs("}\n", stdout);
		return;
	}
	printf("%-36s  %-9s  %-7s%s  %-24s  %3u  %s\n", e->id, e->force, e->period,
	    e->test ? " TEST" : "     ", state_label(e, buf, sizeof(buf)), e->attempts,
	    strcmp(e->state, "signed") == 0 && e->next_try ? asb_time_iso(e->next_try, t,
	    sizeof(t)) : e->done ? asb_time_iso(e->done, t, sizeof(t)) : "-");
}

static int
cmd_outbox(int argc, char **argv)
{
	struct settings st;
	struct asb_errbuf eb;
	struct outbox *ob;
	int err;

	if ((err = settings_load(argc, argv, "outbox", &st)) != ASB_OK)
		return err < 0 ? 0 : err;
	if (optind != argc) {
		fprintf(stderr, "asbgw: outbox: no arguments besides options\n");
		return ASB_EUSAGE;
	}
	asb_errbuf_clear(&eb);
	if ((err = ob_open(setting(&st, C_REGISTER), &ob, &eb)) != ASB_OK) {
		fprintf(stderr, "asbgw: outbox: %s\n", eb.msg);
		return err;
	}
	if (!st.json)
		printf("%-36s  %-9s  %-12s  %-24s  %3s  %s\n", "return", "force", "period",
		    "state", "try", "next try / done");
	err = ob_each(ob, list_entry, &st.json, &eb);
	if (err == ASB_OK) {
		struct due_out d = { stdout, "", NULL, st.json };
		struct asb_errbuf deb;
		const char *u = getenv("ASB_USER");
		struct passwd *pw = u && *u ? NULL : getpwuid(getuid());

		if (gw_corrections_due(setting(&st, C_REGISTER), ob, u && *u ? u : pw ?
		    pw->pw_name : "asbgw", correction_due, &d, &deb) != ASB_OK)
			fprintf(stderr, "asbgw: outbox: cannot tell whether a correction is "
			    "due: %s\n", deb.msg);
	}
	ob_close(ob);
	if (err != ASB_OK)
		fprintf(stderr, "asbgw: outbox: %s\n", eb.msg);
	return err;
}

/* Findings of a receipt, written as they are read: straight to stdout for JSON, to a buffer
 * for text (printed under the receipt's header, which is known only once it is read). */
struct fprint {
	FILE	*out;
	int	 json, n;
};

static void
print_finding(const struct rtn_finding *f, const char *action, void *ctx)
{
	struct fprint *p = ctx;

	if (p->json) {
		fputs(p->n++ ? ",{" : "{", p->out);
		json_kv_str(p->out, 1, "rule", f->rule);
		json_kv_str(p->out, 0, "severity", f->warning ? "warning" : "error");
		json_kv_str(p->out, 0, "action", action);
		json_kv_int(p->out, 0, "line", f->line);
		json_kv_strn(p->out, 0, "record", f->record);
		json_kv_str(p->out, 0, "message", f->msg);
		fputc('}', p->out);
		return;
	}
	p->n++;
	fprintf(p->out, "  %-7s %-10s %-9s line %ld%s%s: %s\n", f->warning ? "warning" :
	    "error", f->rule, action, f->line, f->record[0] ? " record " : "", f->record,
	    f->msg);
}

static int
cmd_receipt(int argc, char **argv)
{
	struct settings st;
	struct gw_tls t;
	struct asb_errbuf eb;
	struct outbox *ob;
	struct ob_entry e;
	struct receipt r;
	struct fprint fp = { NULL, 0, 0 };
	char *answer = NULL, label[32], *text = NULL;
	size_t alen = 0, tlen = 0;
	long status;
	int err;

	if ((err = settings_load(argc, argv, "receipt", &st)) != ASB_OK)
		return err < 0 ? 0 : err;
	if (optind + 1 != argc) {
		fprintf(stderr, "asbgw: receipt: give one RETURN-ID\n");
		return ASB_EUSAGE;
	}
	tls_of(&st, &t);
	if (t.ca == NULL) {
		fprintf(stderr, "asbgw: receipt: the CA is needed to verify it (ca in "
		    "the config, or --ca)\n");
		return ASB_EUSAGE;
	}
	asb_errbuf_clear(&eb);
	if (ob_open(setting(&st, C_REGISTER), &ob, &eb) == ASB_OK) {
		if (ob_get(ob, argv[optind], &e, NULL, NULL, &answer, &alen) == ASB_OK &&
		    e.outcome[0] != '\0' && strcmp(e.outcome, "refused") == 0) {
			/* refused whole: there is no receipt, only the hub's refusal */
			ob_close(ob);
			if (st.json)
				fwrite(answer, 1, alen, stdout);
			else
				printf("%s was refused by the hub (HTTP %d): %s\n%s",
				    e.id, e.last_status, e.last_error,
				    answer ? answer : "");
			free(answer);
			return ASB_ERULE;
		}
		ob_close(ob);
	}
	if (answer == NULL) {
		/* not in the outbox: ask the hub, which answers only the sending force */
		char path[96];

		snprintf(path, sizeof(path), "/v1/returns/%.40s", argv[optind]);
		if ((err = gw_http(&t, path, NULL, 0, &status, &answer, &alen, &eb)) !=
		    ASB_OK) {
			fprintf(stderr, "asbgw: receipt: no receipt for %s here, and the "
			    "hub could not be asked: %s\n", argv[optind], eb.msg);
			return err;
		}
		if (status != 200) {
			free(answer);
			fprintf(stderr, "asbgw: receipt: no receipt for %s (the hub "
			    "answered %ld)\n", argv[optind], status);
			return ASB_ENOTFOUND;
		}
	}
	fp.json = st.json;
	fp.out = st.json ? stdout : open_memstream(&text, &tlen);
	if (fp.out == NULL) {
		free(answer);
		fprintf(stderr, "asbgw: receipt: out of memory\n");
		return ASB_EIO;
	}
	if (st.json)
		fputs("{\"findings\":[", stdout);
	err = receipt_verify(answer, alen, t.ca, t.receipt_signer, &r, print_finding, &fp,
	    &eb);
	if (!st.json)
		fclose(fp.out);
	if (err != ASB_OK) {
		if (st.json)
			fputs("]}\n", stdout);
		free(text);
		free(answer);
		fprintf(stderr, "asbgw: receipt: the receipt for %s does not verify: "
		    "%s (%s)\n", argv[optind], eb.msg, eb.rule);
		return err;
	}
	if (st.json) {
		fputs("],", stdout);
		json_kv_bool(stdout, 1, "verified", 1);
		json_kv_str(stdout, 0, "return_id", r.return_id);
		json_kv_str(stdout, 0, "force", r.force);
		json_kv_str(stdout, 0, "period", r.period);
		json_kv_bool(stdout, 0, "test", r.test);
		json_kv_str(stdout, 0, "state", r.state);
		json_kv_str(stdout, 0, "state_label", receipt_state_label(&r, label,
		    sizeof(label)));
		json_kv_str(stdout, 0, "sha256", r.sha256);
		json_kv_int(stdout, 0, "bytes", (int64_t)r.bytes);
		json_kv_str(stdout, 0, "received", r.received);
		json_kv_str(stdout, 0, "decided", r.decided);
		json_kv_strn(stdout, 0, "supersedes", r.supersedes);
		json_kv_int(stdout, 0, "records", (int64_t)r.records);
		json_kv_int(stdout, 0, "errors", r.errors);
		json_kv_int(stdout, 0, "warnings", r.warnings);
		fputs("}\n", stdout);
	} else {
		printf("receipt for return %s (signature verified)\n", r.return_id);
		printf("  state     %s\n", receipt_state_label(&r, label, sizeof(label)));
		printf("  force     %s, period %s%s\n", r.force, r.period,
		    r.test ? ", TEST return: never counted" : "");
		printf("  received  %s (the last byte)\n  decided   %s\n", r.received,
		    r.decided);
		printf("  content   %llu bytes, sha256 %s\n", (unsigned long long)r.bytes,
		    r.sha256);
		printf("  records   %llu, %u errors, %u warnings\n",
		    (unsigned long long)r.records, r.errors, r.warnings);
		if (r.supersedes[0])
			printf("  supersedes %s\n", r.supersedes);
		fwrite(text, 1, tlen, stdout);
	}
	free(text);
	free(answer);
	return strcmp(r.state, "accepted") == 0 ? 0 : ASB_ERULE;
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
	rtn_init();
	{
		struct asb_errbuf eb;

		if (dsig_init(&eb) != ASB_OK || gw_client_init(&eb) != ASB_OK) {
			fprintf(stderr, "asbgw: %s\n", eb.msg);
			rtn_cleanup();
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
	else if (strcmp(argv[1], "submit") == 0)
		rc = cmd_submit(argc - 1, argv + 1, now);
	else if (strcmp(argv[1], "send") == 0)
		rc = cmd_send(argc - 1, argv + 1, now);
	else if (strcmp(argv[1], "outbox") == 0)
		rc = cmd_outbox(argc - 1, argv + 1);
	else if (strcmp(argv[1], "receipt") == 0)
		rc = cmd_receipt(argc - 1, argv + 1);
	else {
		fprintf(stderr, "asbgw: %s: unknown command\n", argv[1]);
		usage(stderr);
		rc = ASB_EUSAGE;
	}
	gw_client_cleanup();
	dsig_cleanup();
	rtn_cleanup();
	return rc;
}
