/*
 * asbhub - the Home Office collection service for the national return.
 *
 *   asbhub init -d DIR --ca CA --cert TLSCERT --key TLSKEY --sign-cert C --sign-key K
 *   asbhub force add CODE --cert FORCE-SIGNING-CERT [-d DIR]
 *   asbhub force revoke CODE --cert CERT [-d DIR]
 *   asbhub force list [-d DIR] [--json]
 *   asbhub serve -d DIR --listen HOST:PORT [--workers N] [--max-connections N]
 *          [--max-body BYTES] [--timeout SECONDS] [--port-file FILE]
 *   asbhub returns [-d DIR] [--force CODE] [--period P] [--json]
 *   asbhub show RETURN-ID [-d DIR] [--json] [--receipt] [--body]
 *   asbhub report [-d DIR] (--period P | --year YYYY | --from P --to P) [--by DIMS]
 *          [--format text|csv|json|html] [-o FILE] [--include-test] [--threshold N]
 *   asbhub compliance --period P [-d DIR] [--json|--html] [-o FILE] [--due-days N]
 *
 * Exit codes: 0 ok, 1 refused, 2 usage, 3 not found, 4 conflict, 5 storage or network.
 * docs/man/asbhub.1 is the manual.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "afile.h"
#include "asb_limits.h"
#include "codes.h"
#include "compliance.h"
#include "dsig.h"
#include "rtn.h"
#include "intake.h"
#include "json.h"
#include "num.h"
#include "progress.h"
#include "receipt.h"
#include "report.h"
#include "serve.h"

#define DEFAULT_DIR	"./var/hub"

static void
usage(FILE *f)
{
	fputs("usage: asbhub init -d DIR --ca CA --cert TLSCERT --key TLSKEY "
	    "--sign-cert C --sign-key K\n"
	    "       asbhub force add CODE --cert FORCE-SIGNING-CERT [-d DIR]\n"
	    "       asbhub force revoke CODE --cert CERT [-d DIR]\n"
	    "       asbhub force list [-d DIR] [--json]\n"
	    "       asbhub serve -d DIR --listen HOST:PORT [--workers N] "
	    "[--max-connections N]\n"
	    "              [--max-body BYTES] [--timeout SECONDS] [--port-file FILE] [--user U]\n"
	    "              [--max-unauthenticated N] [--max-per-address N] "
	    "[--handshake-timeout S]\n"
	    "              [--header-timeout S] [--min-rate BYTES] [--memory-budget BYTES]\n"
	    "              [--time-budget MS] [--grace S]\n"
	    "       asbhub returns [-d DIR] [--force CODE] [--period P] [--json]\n"
	    "       asbhub show RETURN-ID [-d DIR] [--json] [--receipt] [--body]\n"
	    "       asbhub report [-d DIR] (--period YYYY-Qn | --year YYYY | --from P --to P)\n"
	    "              [--by DIMS] [--format text|csv|json|html] [-o FILE] [--include-test]\n"
	    "              [--threshold N] [--population FILE]\n"
	    "       asbhub compliance --period YYYY-Qn [-d DIR] [--json|--html] [-o FILE]\n"
	    "              [--due-days N]\n"
	    "DIMS: force,power,quarter,agency,age-band,sex,ethnicity,local-authority,outcome\n"
	    "The hub directory defaults to $ASBHUB_DIR or ./var/hub.\n"
	    "Exit: 0 ok, 1 refused, 2 usage, 3 not found, 4 conflict, 5 storage or "
	    "network.\n", f);
}

static void
say(const char *cmd, const struct asb_errbuf *eb)
{
	fprintf(stderr, "asbhub: %s: %s%s%s%s\n", cmd, eb->msg, eb->rule[0] ? " (" : "",
	    eb->rule, eb->rule[0] ? ")" : "");
}

static const char *
default_dir(void)
{
	const char *e = getenv("ASBHUB_DIR");

	return e != NULL && *e ? e : DEFAULT_DIR;
}

/* Common options: -d DIR, --json, and the per-command ones the caller lists. */
struct opts {
	const char	*dir, *ca, *cert, *key, *sign_cert, *sign_key, *force, *period;
	const char	*listen, *port_file, *user;
	const char	*year, *from, *to, *by, *format, *output, *population;
	int		 json, receipt, body, include_test, html;
	int64_t		 workers, max_conns, max_body, timeout, threshold, due_days;
	int64_t		 adm[8];	/* serve's admission options: SERVE_OPTS order */
};

/* asbhub serve's admission options (hub/conn.h), each a number with its range. */
static const struct { const char *name; int64_t lo, hi; } SERVE_OPTS[8] = {
	{ "max-unauthenticated", 1, 10000 }, { "max-per-address", 1, 10000 },
	{ "handshake-timeout", 1, 600 }, { "header-timeout", 1, 600 },
	{ "min-rate", 0, 1000000000 }, { "memory-budget", 1 << 20, INT64_MAX / 16 },
	{ "time-budget", 0, 86400000 }, { "grace", 0, 3600 } };

static int
parse(int argc, char **argv, const char *cmd, struct opts *o)
{
	static const struct option lo[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "ca", required_argument, NULL, 'a' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "sign-cert", required_argument, NULL, 'C' },
		{ "sign-key", required_argument, NULL, 'K' },
		{ "force", required_argument, NULL, 'f' },
		{ "period", required_argument, NULL, 'p' },
		{ "listen", required_argument, NULL, 'l' },
		{ "port-file", required_argument, NULL, 'P' },
		{ "user", required_argument, NULL, 'U' },
		{ "workers", required_argument, NULL, 'w' },
		{ "max-connections", required_argument, NULL, 'm' },
		{ "max-body", required_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 't' },
		{ "max-unauthenticated", required_argument, NULL, 1000 },
		{ "max-per-address", required_argument, NULL, 1001 },
		{ "handshake-timeout", required_argument, NULL, 1002 },
		{ "header-timeout", required_argument, NULL, 1003 },
		{ "min-rate", required_argument, NULL, 1004 },
		{ "memory-budget", required_argument, NULL, 1005 },
		{ "time-budget", required_argument, NULL, 1006 },
		{ "grace", required_argument, NULL, 1007 },
		{ "json", no_argument, NULL, 'j' },
		{ "receipt", no_argument, NULL, 'r' },
		{ "body", no_argument, NULL, 'B' },
		{ "year", required_argument, NULL, 'y' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "by", required_argument, NULL, 'Y' },
		{ "format", required_argument, NULL, 'x' },
		{ "output", required_argument, NULL, 'o' },
		{ "population", required_argument, NULL, 'N' },
		{ "include-test", no_argument, NULL, 'i' },
		{ "html", no_argument, NULL, 'H' },
		{ "threshold", required_argument, NULL, 'n' },
		{ "due-days", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *why;
	int ch;

	memset(o, 0, sizeof(*o));
	o->dir = default_dir();
	o->workers = 2;
	o->max_conns = 16;
	o->max_body = (int64_t)ASB_HUB_MAX_BODY;
	o->timeout = 30;
	o->adm[4] = ASB_HUB_MIN_RATE;
	o->adm[6] = ASB_HUB_TIME_BUDGET_MS;
	o->adm[7] = ASB_HUB_GRACE;
	o->threshold = 5;
	o->due_days = 31;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "d:o:", lo, NULL)) != -1) {
		switch (ch) {
		case 'd': o->dir = optarg; break;
		case 'a': o->ca = optarg; break;
		case 'c': o->cert = optarg; break;
		case 'k': o->key = optarg; break;
		case 'C': o->sign_cert = optarg; break;
		case 'K': o->sign_key = optarg; break;
		case 'f': o->force = optarg; break;
		case 'p': o->period = optarg; break;
		case 'l': o->listen = optarg; break;
		case 'P': o->port_file = optarg; break;
		case 'U': o->user = optarg; break;
		case 'j': o->json = 1; break;
		case 'r': o->receipt = 1; break;
		case 'B': o->body = 1; break;
		case 'y': o->year = optarg; break;
		case 'F': o->from = optarg; break;
		case 'T': o->to = optarg; break;
		case 'Y': o->by = optarg; break;
		case 'x': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case 'N': o->population = optarg; break;
		case 'i': o->include_test = 1; break;
		case 'H': o->html = 1; break;
		case 'n':
			if (asb_strtonum(optarg, 2, 1000, &o->threshold, &why) == -1) {
				fprintf(stderr, "asbhub: %s: --threshold: '%s' is %s (2 to "
				    "1000)\n", cmd, optarg, why);
				return ASB_EUSAGE;
			}
			break;
		case 'D':
			if (asb_strtonum(optarg, 0, 366, &o->due_days, &why) == -1) {
				fprintf(stderr, "asbhub: %s: --due-days: '%s' is %s (0 to "
				    "366)\n", cmd, optarg, why);
				return ASB_EUSAGE;
			}
			break;
		case 'w':
		case 'm':
		case 'b':
		case 't': {
			int64_t *dst = ch == 'w' ? &o->workers : ch == 'm' ? &o->max_conns :
			    ch == 'b' ? &o->max_body : &o->timeout;
			int64_t hi = ch == 'w' ? 64 : ch == 'm' ? 10000 : ch == 'b' ?
			    (int64_t)ASB_HUB_MAX_BODY_CEILING : 3600;

			if (asb_strtonum(optarg, 1, hi, dst, &why) == -1) {
				fprintf(stderr, "asbhub: %s: %s: '%s' is %s\n", cmd,
				    argv[optind - 1], optarg, why);
				return ASB_EUSAGE;
			}
			break;
		}
		case 1000: case 1001: case 1002: case 1003:
		case 1004: case 1005: case 1006: case 1007:
			if (asb_strtonum(optarg, SERVE_OPTS[ch - 1000].lo, SERVE_OPTS[ch -
			    1000].hi, &o->adm[ch - 1000], &why) == -1) {
				fprintf(stderr, "asbhub: %s: --%s: '%s' is %s\n", cmd,
				    SERVE_OPTS[ch - 1000].name, optarg, why);
				return ASB_EUSAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			fprintf(stderr, "asbhub: %s: %s: unknown option or missing value "
			    "(see 'asbhub --help')\n", cmd, argv[optind - 1]);
			return ASB_EUSAGE;
		}
	}
	return ASB_OK;
}

/* ---- init ------------------------------------------------------------------------------ */

static int
copy_file(const char *from, const char *dir, const char *name, mode_t mode,
    struct asb_errbuf *eb)
{
	char to[4200], *buf;
	size_t len;
	int err;

	if ((err = asb_read_file(from, 1 << 20, &buf, &len, eb)) != ASB_OK)
		return ASB_EUSAGE;
	snprintf(to, sizeof(to), "%s/%s", dir, name);
	err = asb_write_atomic(to, buf, len, mode, eb);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return err;
}

static int
cmd_init(int argc, char **argv)
{
	struct asb_errbuf eb;
	struct hub_store *st;
	struct dsig_signer who;
	struct dsig_key *sk = NULL;
	struct opts o;
	char path[4200];
	struct stat sb;
	int err;

	if ((err = parse(argc, argv, "init", &o)) != ASB_OK)
		return err < 0 ? 0 : err;
	if (o.ca == NULL || o.cert == NULL || o.key == NULL || o.sign_cert == NULL ||
	    o.sign_key == NULL || optind != argc) {
		fprintf(stderr, "asbhub: init: give -d DIR --ca --cert --key --sign-cert "
		    "--sign-key\n");
		return ASB_EUSAGE;
	}
	snprintf(path, sizeof(path), "%s/store", o.dir);
	if (stat(path, &sb) == 0) {
		fprintf(stderr, "asbhub: init: %s holds a hub already\n", o.dir);
		return ASB_ECONFLICT;
	}
	asb_errbuf_clear(&eb);
	/* the receipt key and its certificate must be a pair: hub_open loads them so */
	if (dsig_key_load(o.sign_key, o.sign_cert, &sk, &eb) != ASB_OK ||
	    dsig_cert_info(o.ca, &who, &eb) != ASB_OK ||
	    dsig_cert_info(o.cert, &who, &eb) != ASB_OK) {
		dsig_key_free(sk);
		say("init", &eb);
		return ASB_EUSAGE;
	}
	dsig_key_free(sk);
	if (mkdir(o.dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "asbhub: init: %s: %s\n", o.dir, strerror(errno));
		return ASB_EIO;
	}
	if ((err = copy_file(o.ca, o.dir, "ca.crt", 0644, &eb)) != ASB_OK ||
	    (err = copy_file(o.cert, o.dir, "tls.crt", 0644, &eb)) != ASB_OK ||
	    (err = copy_file(o.key, o.dir, "tls.key", 0600, &eb)) != ASB_OK ||
	    (err = copy_file(o.sign_cert, o.dir, "sign.crt", 0644, &eb)) != ASB_OK ||
	    (err = copy_file(o.sign_key, o.dir, "sign.key", 0600, &eb)) != ASB_OK) {
		say("init", &eb);
		return err;
	}
	if ((err = hub_store_open(o.dir, 1, &st, &eb)) != ASB_OK) {
		say("init", &eb);
		return err;
	}
	hub_store_close(st);
	printf("hub ready in %s: register each force's signing certificate with "
	    "'asbhub force add CODE --cert FILE'\n", o.dir);
	return 0;
}

/* ---- force ----------------------------------------------------------------------------- */

struct flist {
	int	 json, n;
};

static void
print_cert(const struct hub_cert *c, void *ctx)
{
	struct flist *l = ctx;
	char a[ASB_TIME_BUF], r[ASB_TIME_BUF];
	int i = sch_code_index(SCH_LIST_FORCES, c->code);

	if (l->json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "force", c->code);
		json_kv_strn(stdout, 0, "name", i >= 0 ?
		    sch_code_field(SCH_LIST_FORCES, (unsigned)i, 1) : NULL);
		json_kv_str(stdout, 0, "fingerprint", c->fingerprint);
		json_kv_str(stdout, 0, "not_after", c->not_after);
		json_kv_str(stdout, 0, "added", asb_time_iso(c->added, a, sizeof(a)));
		json_kv_strn(stdout, 0, "revoked", c->revoked ?
		    asb_time_iso(c->revoked, r, sizeof(r)) : NULL);
		fputs("}\n", stdout);
	} else {
		if (l->n == 0)
			printf("%-10s %-8s %-25s %s\n", "force", "state", "valid until",
			    "sha256");
		printf("%-10s %-8s %-25s %s\n", c->code, c->revoked ? "revoked" :
		    "active", c->not_after, c->fingerprint);
	}
	l->n++;
}

static int
cmd_force(int argc, char **argv)
{
	struct asb_errbuf eb;
	struct dsig_signer who;
	struct hub_store *st;
	struct hub_cert c;
	struct opts o;
	const char *sub, *code;
	int err;

	if (argc < 2) {
		fprintf(stderr, "asbhub: force: add, revoke or list\n");
		return ASB_EUSAGE;
	}
	sub = argv[1];
	if ((err = parse(argc - 1, argv + 1, "force", &o)) != ASB_OK)
		return err < 0 ? 0 : err;
	asb_errbuf_clear(&eb);
	if (strcmp(sub, "list") == 0) {
		struct flist l = { o.json, 0 };

		if (optind != argc - 1) {
			fprintf(stderr, "asbhub: force list: no arguments\n");
			return ASB_EUSAGE;
		}
		if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK) {
			say("force list", &eb);
			return err;
		}
		err = hub_cert_each(st, print_cert, &l, &eb);
		hub_store_close(st);
		if (err != ASB_OK)
			say("force list", &eb);
		return err;
	}
	if (strcmp(sub, "add") != 0 && strcmp(sub, "revoke") != 0) {
		fprintf(stderr, "asbhub: force: '%s' is not add, revoke or list\n", sub);
		return ASB_EUSAGE;
	}
	if (optind != argc - 2 || o.cert == NULL) {
		fprintf(stderr, "asbhub: force %s: give CODE and --cert FILE\n", sub);
		return ASB_EUSAGE;
	}
	code = argv[1 + optind];
	if (sch_code_index(SCH_LIST_FORCES, code) < 0) {
		fprintf(stderr, "asbhub: force %s: '%s' is not a force code (ONS "
		    "E23/W15 code of schema/codes/forces.tsv)\n", sub, code);
		return ASB_EUSAGE;
	}
	if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK) {
		say(sub, &eb);
		return err;
	}
	if (strcmp(sub, "add") == 0) {
		char ca[4200];

		/* the certificate must come from the hub's CA and name the force */
		snprintf(ca, sizeof(ca), "%s/ca.crt", o.dir);
		if ((err = dsig_cert_check(o.cert, ca, code, &who, &eb)) == ASB_OK) {
			memset(&c, 0, sizeof(c));
			snprintf(c.code, sizeof(c.code), "%s", code);
			snprintf(c.fingerprint, sizeof(c.fingerprint), "%s",
			    who.fingerprint);
			snprintf(c.not_after, sizeof(c.not_after), "%s", who.not_after);
			c.added = (asb_time)time(NULL);
			err = hub_cert_add(st, &c, &eb);
		}
		if (err == ASB_OK)
			printf("registered %s signing certificate sha256 %s (valid "
			    "until %s)\n", code, who.fingerprint, who.not_after);
	} else {
		if ((err = dsig_cert_info(o.cert, &who, &eb)) == ASB_OK)
			err = hub_cert_revoke(st, code, who.fingerprint,
			    (asb_time)time(NULL), &eb);
		if (err == ASB_OK)
			printf("revoked %s signing certificate sha256 %s: returns it "
			    "signs are refused from now on\n", code, who.fingerprint);
	}
	hub_store_close(st);
	if (err != ASB_OK)
		say(sub, &eb);
	return err;
}

/* ---- serve ----------------------------------------------------------------------------- */

static int
cmd_serve(int argc, char **argv)
{
	struct serve_opts so;
	struct asb_errbuf eb;
	struct hub h;
	struct opts o;
	char cert[4200], key[4200];
	int err;

	if ((err = parse(argc, argv, "serve", &o)) != ASB_OK)
		return err < 0 ? 0 : err;
	if (o.listen == NULL || optind != argc) {
		fprintf(stderr, "asbhub: serve: give -d DIR --listen HOST:PORT\n");
		return ASB_EUSAGE;
	}
	asb_errbuf_clear(&eb);
	if ((err = hub_open(&h, o.dir, &eb)) != ASB_OK) {
		say("serve", &eb);
		return err;
	}
	snprintf(cert, sizeof(cert), "%s/tls.crt", o.dir);
	snprintf(key, sizeof(key), "%s/tls.key", o.dir);
	memset(&so, 0, sizeof(so));
	so.listen = o.listen;
	so.port_file = o.port_file;
	so.tls_cert = cert;
	so.tls_key = key;
	so.workers = (int)o.workers;
	so.max_connections = (int)o.max_conns;
	so.max_body = (size_t)o.max_body;
	so.timeout = (int)o.timeout;
	so.user = o.user;
	so.max_unauth = (int)o.adm[0];
	so.max_unauth_addr = (int)o.adm[1];
	so.handshake_ms = (unsigned)o.adm[2] * 1000;
	so.header_ms = (unsigned)o.adm[3] * 1000;
	so.min_rate = (size_t)o.adm[4];
	so.memory_budget = (size_t)o.adm[5];
	so.time_budget_ms = (unsigned)o.adm[6];
	so.grace = (int)o.adm[7];
	err = hub_serve(&h, &so, &eb);
	hub_close(&h);
	if (err != ASB_OK)
		say("serve", &eb);
	return err;
}

/* ---- returns and show ------------------------------------------------------------------ */

static void
return_json(const struct hub_return *r)
{
	char a[ASB_TIME_BUF], b[ASB_TIME_BUF];

	json_kv_str(stdout, 1, "return_id", r->id);
	json_kv_str(stdout, 0, "force", r->force);
	json_kv_str(stdout, 0, "period", r->period);
	json_kv_bool(stdout, 0, "test", r->test);
	json_kv_str(stdout, 0, "state", r->state);
	json_kv_bool(stdout, 0, "counts", r->latest);
	json_kv_strn(stdout, 0, "supersedes", r->supersedes);
	json_kv_str(stdout, 0, "received", asb_time_iso(r->received, a, sizeof(a)));
	json_kv_str(stdout, 0, "decided", asb_time_iso(r->decided, b, sizeof(b)));
	json_kv_str(stdout, 0, "sha256", r->sha256);
	json_kv_int(stdout, 0, "bytes", (int64_t)r->bytes);
	json_kv_int(stdout, 0, "records", (int64_t)r->records);
	json_kv_int(stdout, 0, "errors", r->errors);
	json_kv_int(stdout, 0, "warnings", r->warnings);
	json_kv_str(stdout, 0, "signer", r->signer);
}

struct rlist {
	int	 json, n;
};

static void
print_return(const struct hub_return *r, void *ctx)
{
	struct rlist *l = ctx;
	char t[ASB_TIME_BUF], state[24];

	if (l->json) {
		fputc('{', stdout);
		return_json(r);
		fputs("}\n", stdout);
	} else {
		if (l->n == 0)
			printf("%-36s  %-9s  %-7s  %-14s  %-6s  %8s  %s\n", "return",
			    "force", "period", "state", "counts", "records",
			    "received");
		snprintf(state, sizeof(state), "%s%s", r->test ? "TEST " : "",
		    r->state);
		printf("%-36s  %-9s  %-7s  %-14s  %-6s  %8llu  %s\n", r->id, r->force,
		    r->period, state, r->latest ? "yes" : "no",
		    (unsigned long long)r->records,
		    asb_time_iso(r->received, t, sizeof(t)));
	}
	l->n++;
}

static int
cmd_returns(int argc, char **argv)
{
	struct rlist l;
	struct asb_errbuf eb;
	struct hub_store *st;
	struct rtn_period p;
	struct opts o;
	int err;

	if ((err = parse(argc, argv, "returns", &o)) != ASB_OK)
		return err < 0 ? 0 : err;
	if (optind != argc) {
		fprintf(stderr, "asbhub: returns: no arguments besides options\n");
		return ASB_EUSAGE;
	}
	if (o.period != NULL && rtn_period_parse(o.period, &p, &eb) != ASB_OK) {
		say("returns", &eb);
		return ASB_EUSAGE;
	}
	if (o.force != NULL && sch_code_index(SCH_LIST_FORCES, o.force) < 0) {
		fprintf(stderr, "asbhub: returns: '%s' is not a force code\n", o.force);
		return ASB_EUSAGE;
	}
	if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK) {
		say("returns", &eb);
		return err;
	}
	l.json = o.json;
	l.n = 0;
	err = hub_return_each(st, o.force, o.period, print_return, &l, &eb);
	hub_store_close(st);
	if (err != ASB_OK)
		say("returns", &eb);
	else if (!o.json && l.n == 0)
		printf("no returns%s%s%s%s\n", o.force ? " from " : "",
		    o.force ? o.force : "", o.period ? " for " : "",
		    o.period ? o.period : "");
	return err;
}

/* ---- report and compliance ------------------------------------------------------------ */

/* Write through fn to stdout, or to -o FILE whole or not at all (asb_write_atomic). */
static int
emit(const char *cmd, const char *output, int (*fn)(const void *, FILE *), const void *what)
{
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

static int
cmd_report(int argc, char **argv)
{
	struct rpt_opts ro;
	struct asb_errbuf eb;
	struct hub_store *st;
	struct rpt *r;
	struct opts o;
	int (*fn)(const void *, FILE *) = w_text;
	int err, ranges;

	if ((err = parse(argc, argv, "report", &o)) != ASB_OK)
		return err < 0 ? 0 : err;
	if (optind != argc) {
		fprintf(stderr, "asbhub: report: %s: no arguments besides options\n",
		    argv[optind]);
		return ASB_EUSAGE;
	}
	memset(&ro, 0, sizeof(ro));
	ranges = (o.period != NULL) + (o.year != NULL) + (o.from != NULL || o.to != NULL);
	if (ranges != 1 || (o.from != NULL) != (o.to != NULL)) {
		fprintf(stderr, "asbhub: report: give one of --period YYYY-Qn, --year YYYY, "
		    "or --from P --to P\n");
		return ASB_EUSAGE;
	}
	asb_errbuf_clear(&eb);
	if ((o.period != NULL && rpt_parse_range(o.period, NULL, &ro, &eb) != ASB_OK) ||
	    (o.year != NULL && (strlen(o.year) != 4 ||
	    rpt_parse_range(o.year, NULL, &ro, &eb) != ASB_OK)) ||
	    (o.from != NULL && rpt_parse_range(o.from, o.to, &ro, &eb) != ASB_OK) ||
	    rpt_parse_dims(o.by != NULL ? o.by : "force,power", &ro, &eb) != ASB_OK) {
		if (eb.msg[0] == '\0')
			snprintf(eb.msg, sizeof(eb.msg), "--year: '%s' is not a year", o.year);
		say("report", &eb);
		return ASB_EUSAGE;
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
	if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK) {
		say("report", &eb);
		return err;
	}
	ro.progress_ctx = progress_new("forces read", sch_code_count(SCH_LIST_FORCES));
	ro.progress = ro.progress_ctx != NULL ? report_progress : NULL;
	err = rpt_build(st, &ro, &r, &eb);
	progress_free(ro.progress_ctx);
	hub_store_close(st);
	if (err != ASB_OK) {
		say("report", &eb);
		return err;
	}
	if (r->too_fine) {
		fprintf(stderr, "asbhub: report: the table by %s has more cells than "
		    "disclosure control can check: break it down by fewer dimensions\n",
		    o.by);
		rpt_free(r);
		return ASB_EUSAGE;
	}
	err = emit("report", o.output, fn, r);
	rpt_free(r);
	return err;
}

static int
cmd_compliance(int argc, char **argv)
{
	struct cmp_report c;
	struct asb_errbuf eb;
	struct hub_store *st;
	struct opts o;
	int err;

	if ((err = parse(argc, argv, "compliance", &o)) != ASB_OK)
		return err < 0 ? 0 : err;
	if (optind != argc || o.period == NULL) {
		fprintf(stderr, "asbhub: compliance: give --period YYYY-Qn\n");
		return ASB_EUSAGE;
	}
	if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK) {
		say("compliance", &eb);
		return err;
	}
	err = hub_compliance(st, o.period, (int)o.due_days, &c, &eb);
	hub_store_close(st);
	if (err != ASB_OK) {
		say("compliance", &eb);
		return err;
	}
	err = emit("compliance", o.output, o.json ? c_json : o.html ? c_html : c_text, &c);
	cmp_free(&c);
	return err;
}

static int
cmd_show(int argc, char **argv)
{
	struct hub_return r;
	struct asb_errbuf eb;
	struct hub_store *st;
	struct opts o;
	char *receipt = NULL, *body = NULL, a[ASB_TIME_BUF], b[ASB_TIME_BUF];
	size_t rlen = 0, blen = 0;
	int err;

	if ((err = parse(argc, argv, "show", &o)) != ASB_OK)
		return err < 0 ? 0 : err;
	if (optind + 1 != argc) {
		fprintf(stderr, "asbhub: show: give one RETURN-ID\n");
		return ASB_EUSAGE;
	}
	if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK) {
		say("show", &eb);
		return err;
	}
	err = hub_return_get(st, argv[optind], &r, &receipt, &rlen,
	    o.body ? &body : NULL, &blen);
	hub_store_close(st);
	if (err != ASB_OK) {
		fprintf(stderr, "asbhub: show: no return %s\n", argv[optind]);
		return err;
	}
	if (o.receipt)
		fwrite(receipt, 1, rlen, stdout);
	else if (o.body)
		fwrite(body, 1, blen, stdout);
	else if (o.json) {
		fputc('{', stdout);
		return_json(&r);
		fputs("}\n", stdout);
	} else {
		printf("return      %s%s\n", r.id, r.test ? " (TEST)" : "");
		printf("force       %s\nperiod      %s\n", r.force, r.period);
		printf("state       %s%s%s\n", r.test ? "TEST " : "", r.state,
		    r.latest ? ", counts in national figures" : "");
		if (r.supersedes[0])
			printf("supersedes  %s\n", r.supersedes);
		printf("received    %s\ndecided     %s\n", asb_time_iso(r.received, a,
		    sizeof(a)), asb_time_iso(r.decided, b, sizeof(b)));
		printf("records     %llu (%u errors, %u warnings)\n",
		    (unsigned long long)r.records, r.errors, r.warnings);
		printf("bytes       %llu, sha256 %s\nsigner      sha256 %s\n",
		    (unsigned long long)r.bytes, r.sha256, r.signer);
	}
	free(receipt);
	free(body);
	return 0;
}

int
main(int argc, char **argv)
{
	struct asb_errbuf eb;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return ASB_EUSAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("asbhub 0.1.0");
		return 0;
	}
	rtn_init();
	if (dsig_init(&eb) != ASB_OK) {
		fprintf(stderr, "asbhub: %s\n", eb.msg);
		rtn_cleanup();
		return ASB_EIO;
	}
	if (strcmp(argv[1], "init") == 0)
		rc = cmd_init(argc - 1, argv + 1);
	else if (strcmp(argv[1], "force") == 0)
		rc = cmd_force(argc - 1, argv + 1);
	else if (strcmp(argv[1], "serve") == 0)
		rc = cmd_serve(argc - 1, argv + 1);
	else if (strcmp(argv[1], "returns") == 0)
		rc = cmd_returns(argc - 1, argv + 1);
	else if (strcmp(argv[1], "report") == 0)
		rc = cmd_report(argc - 1, argv + 1);
	else if (strcmp(argv[1], "compliance") == 0)
		rc = cmd_compliance(argc - 1, argv + 1);
	else if (strcmp(argv[1], "show") == 0)
		rc = cmd_show(argc - 1, argv + 1);
	else {
		fprintf(stderr, "asbhub: %s: unknown command\n", argv[1]);
		usage(stderr);
		rc = ASB_EUSAGE;
	}
	dsig_cleanup();
	rtn_cleanup();
	return rc;
}
