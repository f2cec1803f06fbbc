/*
 * asbgw - the force data team's command for the national return.
 *
 * A thin front over libgateway and libreturn: main hands the command word to the command
 * table (common/cmd.h); each command (cmd_build.c, cmd_sign.c, cmd_send.c) parses its
 * arguments, calls the library, prints, and returns the documented exit code (0 ok, 1 invalid
 * or rejected, 2 usage, 3 not found, 4 conflict, 5 the file, the register or the hub cannot be
 * read, written or reached).  This file holds the table and what several commands share.
 * docs/man/asbgw.1 is the manual.
 */
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "asb_limits.h"
#include "asbgw.h"
#include "dsig.h"
#include "gw.h"
#include "json.h"
#include "num.h"

#define ASBGW_VERSION	"0.1.0"

int
fail(const struct ctx *c, int err, const struct asb_errbuf *eb)
{
	fprintf(stderr, "asbgw: %s: %s%s%s%s\n", c->name, eb->msg[0] ? eb->msg :
	    asb_strerror(err), eb->rule[0] ? " (" : "", eb->rule, eb->rule[0] ? ")" : "");
	return err;
}

int
usage_error(const struct ctx *c, const char *what)
{
	fprintf(stderr, "asbgw: %s: %s (see 'asbgw %s --help')\n", c->name, what, c->name);
	return ASB_EUSAGE;
}

int
opt_error(const struct ctx *c, int argc, char **argv)
{
	return cmd_opt_error(c->prog, c->cmd, argc, argv, stderr);
}

/* --max-bytes N: the largest return to build or validate; more than the hub's default body
 * cap (ASB_MAX_RETURN_BYTES) only for a hub started with a larger --max-body. */
int
max_bytes_arg(const struct ctx *c, const char *arg, int64_t *ret)
{
	const char *why;

	if (asb_strtonum(arg, 1024, (int64_t)ASB_HUB_MAX_BODY_CEILING -
	    (int64_t)ASB_MAX_SIGNATURE_BYTES, ret, &why) == -1) {
		fprintf(stderr, "asbgw: %s: --max-bytes: '%s' is %s (1024 to %llu)\n", c->name,
		    arg, why, (unsigned long long)(ASB_HUB_MAX_BODY_CEILING -
		    ASB_MAX_SIGNATURE_BYTES));
		return ASB_EUSAGE;
	}
	return ASB_OK;
}

void
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

/* ---- the settings of the outbox commands ------------------------------------------------ */

const char *
setting(const struct settings *st, int i)
{
	return st->c[i].value[0] ? st->c[i].value : NULL;
}

int
settings_load(const struct ctx *c, int argc, char **argv, struct settings *st)
{
	static const char *const keys[C_N] = { "register", "force", "url", "cert", "key",
	    "ca", "sign-cert", "sign-key", "receipt-signer", "connect-timeout", "receipt-cert",
	    "receipt-fingerprint" };
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
		{ "receipt-cert", required_argument, NULL, 'R' },
		{ "receipt-fingerprint", required_argument, NULL, 'F' },
		{ "json", no_argument, NULL, 'j' },
		{ "now", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *flag[C_N] = { NULL }, *conf = NULL, *env;
	struct asb_errbuf eb;
	char path[4200];
	int ch, i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < C_N; i++)
		st->c[i].key = keys[i];
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:d:", o, NULL)) != -1) {
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
		case 'R': flag[C_RECEIPT_CERT] = optarg; break;
		case 'F': flag[C_RECEIPT_FINGERPRINT] = optarg; break;
		case 'j': st->json = 1; break;
		case 'n': st->now = 1; break;
		case 'h': return cmd_help(c->prog, c->cmd, stdout);
		default: return opt_error(c, argc, argv);
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
	if (conf != NULL && conf_load(conf, st->c, C_N, &eb) != ASB_OK) {
		fprintf(stderr, "asbgw: %s: %s\n", c->name, eb.msg);
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
			    "seconds, 1 to 3600\n", c->name, setting(st, C_CONNECT_TIMEOUT),
			    why);
			return ASB_EUSAGE;
		}
		st->connect_timeout = (long)n;
	}
	if (st->c[C_REGISTER].value[0] == '\0')
		snprintf(st->c[C_REGISTER].value, sizeof(st->c[C_REGISTER].value), "%s",
		    (env = getenv("ASBREG_DIR")) && *env ? env : DEFAULT_REGISTER);
	return -1;
}

void
tls_of(const struct settings *st, struct gw_tls *t)
{
	memset(t, 0, sizeof(*t));
	t->url = setting(st, C_URL);
	t->cert = setting(st, C_CERT);
	t->key = setting(st, C_KEY);
	t->ca = setting(st, C_CA);
	t->receipt_signer = setting(st, C_RECEIPT_SIGNER);
	t->connect_timeout = st->connect_timeout;
	t->receipt_cert = setting(st, C_RECEIPT_CERT);
	t->receipt_fingerprint = setting(st, C_RECEIPT_FINGERPRINT);
}

const char *
acting_user(char *buf, size_t cap)
{
	const char *env = getenv("ASB_USER");
	struct passwd *pw;

	if (env != NULL && *env)
		snprintf(buf, cap, "%s", env);
	else
		snprintf(buf, cap, "%s", (pw = getpwuid(getuid())) ? pw->pw_name : "unknown");
	return buf;
}

/* A period whose acknowledged return counted records voided or merged since. */
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

void
say_corrections_due(const struct ctx *c, const char *register_dir, struct outbox *ob,
    const char *user, FILE *f, const char *prefix, const char *skip, int json)
{
	struct due_out d = { f, prefix, skip, json };
	struct asb_errbuf eb;

	asb_errbuf_clear(&eb);
	if (gw_corrections_due(register_dir, ob, user, correction_due, &d, &eb) != ASB_OK)
		fprintf(stderr, "asbgw: %s: cannot tell whether a correction is due: %s\n",
		    c->name, eb.msg);
}

/* ---- the table, and main -------------------------------------------------------------------- */

/* The options every outbox command takes, after its own help. */
#define OUTBOX_OPTS \
	"  -c, --config CONF    the settings file (default $ASBGW_CONF, else\n" \
	"                       REGISTER/asbgw.conf when it exists); flags override it\n" \
	"  -d, --dir REGISTER   the register, beside which the outbox lives (default\n" \
	"                       $ASBREG_DIR or ./var/register)\n" \
	"  --url U, --cert C, --key K, --ca CA, --sign-cert C, --sign-key K,\n" \
	"  --connect-timeout SECONDS, --receipt-cert FILE[,FILE],\n" \
	"  --receipt-fingerprint SHA256[,SHA256]   as the settings of the same names\n" \
	"  --json               JSON instead of text\n"

/* name, summary, usage, help, operation (none: asbgw build's is the register's), run */
static const struct cmd commands[] = {
	{ "build", "the national return for a quarter, from the register",
	    "build --period YYYY-Qn [-d REGISTER] [-o FILE] [--test]\n"
	    "    [--supersedes RETURN-ID] [--json] [--max-bytes N] [--allow-open-quarter]\n"
	    "    [--change-threshold PCT] [--change-min USES] [--explain RULE=TEXT]...\n"
	    "    [--explanations FILE]",
	    "Streams the register into the pseudonymised return for a quarter (records and\n"
	    "subjects as keyed pseudonyms, ages as bands, places as area codes), validates it as\n"
	    "'asbgw validate' would and only then renames it into place; logged in the\n"
	    "register's audit log as a disclosure (the acting user is $ASB_USER or the login).\n"
	    "Then, on stderr (in the JSON as \"summary\"), its uses by power against the last\n"
	    "return the hub acknowledged for the quarter before (not a test return), each\n"
	    "change flagged when it is more than PCT percent and at least USES uses.\n"
	    "  -d, --dir REGISTER   default $ASBREG_DIR or ./var/register\n"
	    "  -o, --output FILE    default ./var/returns/PERIOD[-test].xml\n"
	    "  --test               a test return: the hub keeps it apart, never counted\n"
	    "  --supersedes ID      this return corrects that earlier one\n"
	    "  --json               the result as JSON\n"
	    "  --max-bytes N        the largest return to write (default 256 MiB, see\n"
	    "                       MAXIMUM SIZE in asbgw(1)); over it: R-XML-003, nothing written\n"
	    "  --allow-open-quarter build a quarter that has not ended yet (tests, demonstrations);\n"
	    "                       without it such a quarter is refused (exit 2)\n"
	    "  --change-threshold PCT  flag a change of more than PCT percent (default 50)\n"
	    "  --change-min USES    ... and of at least USES uses (default 10)\n"
	    "  --explain RULE=TEXT  the data team's explanation of a warning (a rule ID of\n"
	    "                       severity warning, or R-DQ-001 for a flagged change in uses),\n"
	    "                       signed with the return, shown by the hub beside the warning;\n"
	    "                       plain text about the data, never about a person; repeatable\n"
	    "  --explanations FILE  the same, one RULE<TAB>TEXT a line (at most 50, each at most\n"
	    "                       1000 characters; a bad one: exit 2, nothing built)\n"
	    "Exit: 0 built (a flagged change is a warning); 1 what was built is invalid or too\n"
	    "large; 2 usage, or a quarter not ended; 3 no register; 5 the register or FILE cannot\n"
	    "be read or written.\n",
	    NULL, run_build },
	{ "validate", "check a return against the XSD and the statutory rules",
	    "validate FILE [--json] [--max-errors N] [--max-bytes N]",
	    "Checks a return as it streams: well-formed XML with no DOCTYPE, comment, PI or CDATA\n"
	    "section (R-XML-00x), the XSD built in, then the statutory rules for every record\n"
	    "and event.  One report: line, severity, rule ID, record and what to fix.\n"
	    "  --json               the report as JSON\n"
	    "  --max-errors N       stop after N errors (default 100)\n"
	    "  --max-bytes N        a larger file is refused whole, R-XML-003 (default 256 MiB)\n"
	    "Exit: 0 valid (warnings allowed); 1 invalid; 2 usage; 5 FILE cannot be read.\n",
	    NULL, run_validate },
	{ "sign", "sign a valid return (enveloped XML-DSig)",
	    "sign FILE --key K --cert C [-o OUT]",
	    "Signs a return with the force's signing key K and its certificate C (PEM; they must\n"
	    "be a pair, current, and name the return's force, R-SIG-006), after checking it is\n"
	    "valid: an invalid return is not signed and its findings are printed.\n"
	    "  --key K, --cert C    the force's return-signing key and certificate\n"
	    "  -o, --output OUT     write the signed return there (default: over FILE)\n"
	    "Exit: 0 signed; 1 invalid; 2 usage, or a key that is not the force's or has\n"
	    "expired; 4 signed already; 5 FILE cannot be read or written.\n",
	    NULL, run_sign },
	{ "verify", "check a return's signature and its force",
	    "verify FILE --ca CA [--json]",
	    "Verifies a signed return as the hub does: one enveloped signature over the whole\n"
	    "document by a certificate chaining to CA (R-SIG-001 to R-SIG-004), whose CN is the\n"
	    "force in the header (R-SIG-006).\n"
	    "  --ca CA              the CA certificates (PEM)\n"
	    "  --json               the verdict as JSON\n"
	    "Exit: 0 valid; 1 refused (with the rule); 2 usage or CA unreadable; 5 FILE\n"
	    "cannot be read.\n",
	    NULL, run_verify },
	{ "submit", "queue a return in the outbox and send it",
	    "submit FILE [-c CONF] [-d REGISTER] [--url U] [--cert C] [--key K] [--ca CA]\n"
	    "    [--sign-cert C] [--sign-key K] [--connect-timeout S] [--json]",
	    "Puts a return in the outbox and sends it to the hub.  An unsigned return is signed\n"
	    "first with sign-key and sign-cert, as 'asbgw sign' would; a signed one is checked\n"
	    "against ca before it is queued.  Larger than the hub accepts: refused (R-XML-003).\n"
	    "Submitting the same file again is harmless.  The receipt's findings (warnings on an\n"
	    "accepted return too) are printed under the return's line, with what to do.\n"
	    OUTBOX_OPTS
	    "Exit: 0 acknowledged (accepted); 1 invalid or rejected; 2 usage; 3 no register;\n"
	    "4 the outbox holds other bytes under its return ID; 5 not delivered yet (queued:\n"
	    "'asbgw send' retries) or a file cannot be read.\n",
	    NULL, run_submit },
	{ "send", "send what is due in the outbox",
	    "send [-c CONF] [-d REGISTER] [--now] [--json] [...]",
	    "Sends every queued return that is due (its backoff after a failure is over), and\n"
	    "at once one left 'sending' by a crash, each with its receipt's findings; says\n"
	    "\"waiting: RETURN-ID next try at T\" for one whose next try is still to come.\n"
	    "  --now                send every queued return, due or not\n" OUTBOX_OPTS
	    "Exit: the worst of the returns sent: 0 acknowledged (or none sent), 1 rejected,\n"
	    "5 still queued; 2 usage; 3 no register.\n",
	    NULL, run_send },
	{ "outbox", "every return in the outbox, and its state",
	    "outbox [-c CONF] [-d REGISTER] [--json]",
	    "Each return in the outbox: state (signed, waiting (next try T) after a failed send,\n"
	    "sending, acknowledged, rejected), the hub's outcome, attempts, next try or when it\n"
	    "was decided, the last error.\n"
	    OUTBOX_OPTS
	    "Exit: 0 ok; 2 usage; 3 no register; 5 the outbox cannot be read.\n",
	    NULL, run_outbox },
	{ "receipt", "the Home Office's verified receipt for a return",
	    "receipt RETURN-ID [-c CONF] [-d REGISTER] [--ca CA] [--json]",
	    "The receipt of a return, its signature verified (by receipt-signer, default\n"
	    "asbhub-receipts, under ca, and by a pinned certificate when receipt-cert or\n"
	    "receipt-fingerprint is set): state, times, SHA-256, counts and every finding with\n"
	    "what to do (fix-data, retry, resubmit).  Not in the outbox: asked of the hub.\n"
	    OUTBOX_OPTS
	    "Exit: 0 accepted; 1 rejected or refused, or the receipt does not verify; 2 usage\n"
	    "(no ca); 3 no receipt; 5 the hub cannot be asked.\n",
	    NULL, run_receipt },
};

static const struct cmd_prog prog = {
	"asbgw", ASBGW_VERSION,
	"usage: asbgw COMMAND [ARGS]",
	"CONF is key = value: register, force, url, cert, key, ca, sign-cert, sign-key,\n"
	"  receipt-signer, receipt-cert, receipt-fingerprint, connect-timeout (default -c:\n"
	"  $ASBGW_CONF, else REGISTER/asbgw.conf).\n"
	"'man asbgw' for all.  Exit: 0 ok (valid, accepted), 1 invalid or rejected, 2 usage,\n"
	"3 not found, 4 conflict, 5 cannot read, write or reach the hub (queued: send retries).\n",
	"'man asbgw' for all.\n",
	commands, sizeof(commands) / sizeof(commands[0])
};

/* Whether the command word needs the libraries started: not for --help or --version. */
static int
needs_init(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2 || (c = cmd_find(&prog, argv[1])) == NULL)
		return 0;
	return !(argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0));
}

int
main(int argc, char **argv)
{
	struct asb_errbuf eb;
	struct ctx c;
	const char *env;
	int rc, init;

	memset(&c, 0, sizeof(c));
	c.prog = &prog;
	c.now = (asb_time)time(NULL);
	/* ASBREG_NOW fixes "now", as for asbreg (tests). */
	if ((env = getenv("ASBREG_NOW")) != NULL && *env &&
	    asb_time_parse(env, &c.now) == -1) {
		fprintf(stderr, "asbgw: ASBREG_NOW: '%s' is not an ISO 8601 "
		    "time\n", env);
		return ASB_EUSAGE;
	}
	if ((init = needs_init(argc, argv))) {
		rtn_init();
		if (dsig_init(&eb) != ASB_OK || gw_client_init(&eb) != ASB_OK) {
			fprintf(stderr, "asbgw: %s\n", eb.msg);
			rtn_cleanup();
			return ASB_EIO;
		}
	}
	rc = cmd_dispatch(&prog, &c, argc, argv, stdout, stderr);
	if (init) {
		gw_client_cleanup();
		dsig_cleanup();
		rtn_cleanup();
	}
	return rc;
}
