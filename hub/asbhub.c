/*
 * asbhub - the Home Office collection service for the national return.
 *
 * A thin front over libhub and libreturn: main hands the command word to the command table
 * (common/cmd.h); each command (cmd_init.c, cmd_serve.c, cmd_returns.c, cmd_report.c) parses
 * its arguments with parse() below, calls the library, prints, and returns the documented
 * exit code (0 ok, 1 refused, 2 usage, 3 not found, 4 conflict, 5 storage or network).
 * docs/man/asbhub.1 is the manual.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "asb_limits.h"
#include "asbhub.h"
#include "dsig.h"
#include "num.h"
#include "rtn.h"

int
say(const struct ctx *c, int err, const struct asb_errbuf *eb)
{
	fprintf(stderr, "asbhub: %s: %s%s%s%s\n", c->name, eb->msg[0] ? eb->msg :
	    asb_strerror(err), eb->rule[0] ? " (" : "", eb->rule, eb->rule[0] ? ")" : "");
	return err;
}

int
usage_error(const struct ctx *c, const char *what)
{
	fprintf(stderr, "asbhub: %s: %s (see 'asbhub %s --help')\n", c->name, what, c->name);
	return ASB_EUSAGE;
}

static const char *
default_dir(void)
{
	const char *e = getenv("ASBHUB_DIR");

	return e != NULL && *e ? e : DEFAULT_DIR;
}

/* asbhub serve's admission options (hub/conn.h), each a number with its range, in the order
 * of struct opts' adm[]. */
static const struct { const char *name; int64_t lo, hi; } SERVE_OPTS[8] = {
	{ "max-unauthenticated", 1, 10000 }, { "max-per-address", 1, 10000 },
	{ "handshake-timeout", 1, 600 }, { "header-timeout", 1, 600 },
	{ "min-rate", 0, 1000000000 }, { "memory-budget", 1 << 20, INT64_MAX / 16 },
	{ "time-budget", 0, 86400000 }, { "grace", 0, 3600 } };

int
parse(struct ctx *c, int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "ca", required_argument, NULL, 'a' },
		{ "cert", required_argument, NULL, 'c' },
		{ "tls-cert", required_argument, NULL, 'L' },
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
		{ "all", no_argument, NULL, 'A' },
		{ "max-unauthenticated", required_argument, NULL, 1000 },
		{ "max-per-address", required_argument, NULL, 1001 },
		{ "handshake-timeout", required_argument, NULL, 1002 },
		{ "header-timeout", required_argument, NULL, 1003 },
		{ "min-rate", required_argument, NULL, 1004 },
		{ "memory-budget", required_argument, NULL, 1005 },
		{ "time-budget", required_argument, NULL, 1006 },
		{ "grace", required_argument, NULL, 1007 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct cmd named;
	const char *why;
	int ch;

	memset(o, 0, sizeof(*o));
	o->dir = default_dir();
	o->workers = 2;
	o->max_conns = 16;
	o->max_body = (int64_t)ASB_HUB_MAX_BODY;
	o->timeout = 30;
	o->threshold = 5;
	o->due_days = 31;
	o->adm[4] = ASB_HUB_MIN_RATE;
	o->adm[6] = ASB_HUB_TIME_BUDGET_MS;
	o->adm[7] = ASB_HUB_GRACE;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":d:o:", lo, NULL)) != -1) {
		switch (ch) {
		case 'd': o->dir = optarg; break;
		case 'a': o->ca = optarg; break;
		case 'c': o->cert = optarg; break;
		case 'L': o->tls_cert = optarg; break;
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
		case 'A': o->all = 1; break;
		case 1000: case 1001: case 1002: case 1003:
		case 1004: case 1005: case 1006: case 1007:
			if (asb_strtonum(optarg, SERVE_OPTS[ch - 1000].lo, SERVE_OPTS[ch -
			    1000].hi, &o->adm[ch - 1000], &why) == -1) {
				fprintf(stderr, "asbhub: %s: --%s: '%s' is %s\n", c->name,
				    SERVE_OPTS[ch - 1000].name, optarg, why);
				return ASB_EUSAGE;
			}
			break;
		case 'n':
			if (asb_strtonum(optarg, 2, 1000, &o->threshold, &why) == -1) {
				fprintf(stderr, "asbhub: %s: --threshold: '%s' is %s (2 to "
				    "1000)\n", c->name, optarg, why);
				return ASB_EUSAGE;
			}
			break;
		case 'D':
			if (asb_strtonum(optarg, 0, 366, &o->due_days, &why) == -1) {
				fprintf(stderr, "asbhub: %s: --due-days: '%s' is %s (0 to "
				    "366)\n", c->name, optarg, why);
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
				fprintf(stderr, "asbhub: %s: %s: '%s' is %s\n", c->name,
				    argv[optind - 1], optarg, why);
				return ASB_EUSAGE;
			}
			break;
		}
		case 'h':
			return cmd_help(c->prog, c->cmd, stdout);
		default:
			/* named in full ("force add") and pointed at its own --help */
			named = *c->cmd;
			named.name = c->name;
			return cmd_opt_error(c->top, &named, argc, argv, stderr);
		}
	}
	return -1;
}

/* ---- the table, and main -------------------------------------------------------------------- */

#define DIR_OPT \
	"  -d, --dir DIR        the hub directory (default $ASBHUB_DIR or ./var/hub)\n"

/* name, summary, usage, help, operation (none), run */
static const struct cmd commands[] = {
	{ "init", "make a hub directory",
	    "init -d DIR --ca CA --cert TLSCERT --key TLSKEY --sign-cert C --sign-key K",
	    "Makes the hub directory: copies of the CA, the HTTPS certificate and key, and the\n"
	    "receipt signing certificate and key (keys mode 0600), and an empty store in\n"
	    "DIR/store.  Everything is read first: nothing is made when a file is unreadable or\n"
	    "the signing key and certificate are not a pair.\n" DIR_OPT
	    "  --ca CA              the CA of the forces' and the hub's certificates\n"
	    "  --cert, --key        the HTTPS certificate and key\n"
	    "  --sign-cert, --sign-key   the receipt signing certificate (CN asbhub-receipts)\n"
	    "Exit: 0 made; 2 usage or a file that cannot be used; 4 DIR holds a hub already;\n"
	    "5 DIR cannot be written.\n",
	    NULL, run_init },
	{ "force", "register, revoke and list forces' signing and TLS certificates",
	    "force add CODE [--cert FORCE-SIGNING-CERT] [--tls-cert FORCE-TLS-CERT] [-d DIR]\n"
	    "       asbhub force revoke CODE --cert CERT | --tls-cert CERT [-d DIR]\n"
	    "       asbhub force list [-d DIR] [--json]",
	    "add registers a force's return-signing or TLS client certificate: it must chain to\n"
	    "the hub's CA and name the force code as its CN (a force may have several, for\n"
	    "rotation).  revoke refuses, from then on, every return that certificate signs and\n"
	    "every connection it makes.  list shows them all.\n"
	    "'asbhub force VERB --help' for each.\n"
	    "Exit: 0 ok; 1 a certificate of another force or CA; 2 usage; 3 no hub, or no such\n"
	    "certificate; 4 registered or revoked already; 5 the store cannot be used.\n",
	    NULL, run_force },
	{ "operator", "register, revoke and list the certificates that may read /v1/metrics",
	    "operator add --cert CERT [-d DIR]\n"
	    "       asbhub operator revoke --cert CERT [-d DIR]\n"
	    "       asbhub operator list [-d DIR] [--json]",
	    "An operator's TLS client certificate, from the hub's CA, reads the service's\n"
	    "metrics (GET /v1/metrics) and nothing else.  'asbhub operator VERB --help'.\n",
	    NULL, run_operator },
	{ "serve", "the HTTPS collection service",
	    "serve -d DIR --listen HOST:PORT [--workers N] [--max-connections N]\n"
	    "    [--max-body BYTES] [--timeout SECONDS] [--port-file FILE] [--user USER]\n"
	    "    [--max-unauthenticated N] [--max-per-address N] [--handshake-timeout S]\n"
	    "    [--header-timeout S] [--min-rate BYTES] [--memory-budget BYTES]\n"
	    "    [--time-budget MS] [--grace S]",
	    "Receives signed returns over mutually authenticated HTTPS (POST /v1/returns),\n"
	    "checks each (size, XML, signature, signer, force binding, XSD, rules), stores it\n"
	    "with its signed receipt before answering, and gives forces their receipts.  One\n"
	    "log line a request on stderr; SIGTERM or SIGINT stop it after the returns in hand.\n"
	    DIR_OPT
	    "  --listen HOST:PORT   the address (an IP address; port 0: any free port)\n"
	    "  --workers N          returns verified at once (default 2, at most 64)\n"
	    "  --max-connections N  connections open at once (default 16)\n"
	    "  --max-body BYTES     larger bodies are refused, 413 (default 268500992)\n"
	    "  --timeout SECONDS    an idle connection is closed (default 30)\n"
	    "  --port-file FILE     write the port listened on there\n"
	    "  --user USER          started as root: load the keys, bind, then become USER\n"
	    "  --max-unauthenticated N  connections without a full request head (default\n"
	    "                       half the slots)\n"
	    "  --max-per-address N  of those, from one address (default 4)\n"
	    "  --handshake-timeout S, --header-timeout S  absolute deadlines (default 5, 10)\n"
	    "  --min-rate BYTES     a body slower than this a second is cut (default 16384)\n"
	    "  --memory-budget BYTES  bodies in hand and trees checked (default 1 GiB): past\n"
	    "                       it, 503 with Retry-After\n"
	    "  --time-budget MS     a return not checked by then is refused, 503 R-HUB-005\n"
	    "  --grace S            on SIGTERM, wait at most S for returns in hand (default 10)\n"
	    "Exit: 0 stopped; 2 usage; 3 no hub in DIR; 5 cannot listen or store.\n",
	    NULL, run_serve },
	{ "returns", "every return received",
	    "returns [-d DIR] [--force CODE] [--period P] [--json]",
	    "Every return in the order received: force, period, state, whether it counts in the\n"
	    "national figures, records and when it was received.\n" DIR_OPT
	    "  --force CODE         only that force's\n"
	    "  --period YYYY-Qn     only that quarter's\n"
	    "  --json               one JSON object a line\n"
	    "Exit: 0 ok; 2 usage; 3 no hub in DIR; 5 the store cannot be read.\n",
	    NULL, run_returns },
	{ "show", "one return, its receipt or its bytes",
	    "show RETURN-ID [-d DIR] [--json] [--receipt] [--body]",
	    "One return's facts, or its stored signed receipt, or the exact bytes received.\n"
	    DIR_OPT
	    "  --json               the facts as JSON\n"
	    "  --receipt            the signed receipt\n"
	    "  --body               the bytes received\n"
	    "Exit: 0 ok; 2 usage; 3 no such return, or no hub; 5 the store cannot be read.\n",
	    NULL, run_show },
	{ "report", "national figures, with disclosure control",
	    "report [-d DIR] (--period YYYY-Qn | --year YYYY | --from P --to P)\n"
	    "    [--by DIMS] [--format text|csv|tidy-csv|json|html|ods] [-o FILE]\n"
	    "    [--include-test] [--threshold N] [--population FILE] [--due-days N]",
	    "National figures for a quarter, a year or a range of quarters (at most 40), from\n"
	    "the latest accepted return of each force and quarter.  Tables by age band, sex,\n"
	    "ethnicity or local authority go through disclosure control (small counts\n"
	    "suppressed, with enough others that none can be worked out).\n" DIR_OPT
	    "  --by DIMS            force,power,quarter,agency,age-band,sex,ethnicity,\n"
	    "                       local-authority,outcome (default force,power)\n"
	    "  --format F           text (default), csv (one row a cell), tidy-csv (open\n"
	    "                       data: period, force, power, breakdown, measure, value,\n"
	    "                       marker), json, html, or ods (the workbook; needs -o)\n"
	    "                       (--json: json)\n"
	    "  -o, --output FILE    write it there, whole or not at all\n"
	    "  --include-test       count test returns too\n"
	    "  --threshold N        suppress counts from 1 to N-1 (default 5, 2 to 1000)\n"
	    "  --population FILE    population per force area for the rates\n"
	    "  --due-days N         html and ods: late when received more than N days after\n"
	    "                       the quarter (default 31)\n"
	    "Exit: 0 ok; 2 usage, or a table too fine to check; 3 no hub; 5 storage or\n"
	    "output failure.\n",
	    NULL, run_report },
	{ "compliance", "who sent the quarter's return, on time or not",
	    "compliance --period YYYY-Qn [-d DIR] [--json|--html] [-o FILE] [--due-days N]",
	    "Every force of the code list for one quarter: its latest accepted return or none,\n"
	    "on time or late, records (0: an explicit zero return), warnings by rule, and the\n"
	    "returns it sent, superseded and rejected.\n" DIR_OPT
	    "  --json, --html       JSON or one HTML page instead of text\n"
	    "  -o, --output FILE    write it there, whole or not at all\n"
	    "  --due-days N         late when received more than N days after the quarter\n"
	    "                       (default 31, 0 to 366)\n"
	    "Exit: 0 ok; 2 usage; 3 no hub; 5 storage or output failure.\n",
	    NULL, run_compliance },
	{ "release", "freeze and publish the figures of a quarter or a year",
	    "release (--period YYYY-Qn | --year YYYY) [--final] [-o DIR] [--by DIMS]\n"
	    "    [--threshold N] [--due-days N] [-d HUBDIR]\n"
	    "       asbhub release --reproduce ID [-o DIR] [-d HUBDIR]\n"
	    "       asbhub release --show ID [--json] | --list [-d HUBDIR]",
	    "Records what a publication uses - every return counted, by ID and SHA-256, the\n"
	    "date, provisional or final - in HUBDIR/releases, and writes its workbook (ID.ods),\n"
	    "tidy CSV (ID.csv) and HTML report (ID.html) into DIR.  A later release of the same\n"
	    "quarter or year revises it: the cells that changed are marked [r] and the corrected\n"
	    "returns that changed them listed.  --reproduce writes an earlier release's files\n"
	    "again, byte for byte, from the returns it recorded.\n"
	    "  -d, --dir HUBDIR     the hub directory (default $ASBHUB_DIR or ./var/hub)\n"
	    "  --period, --year     the release's scope: a quarter or a calendar year\n"
	    "  --final              a final release (default provisional)\n"
	    "  -o, --output DIR     where to write the files (default .)\n"
	    "  --by DIMS            Table 1's breakdown (default force,power)\n"
	    "  --threshold N        disclosure control: suppress 1 to N-1 (default 5)\n"
	    "  --due-days N         late when received more than N days after the quarter\n"
	    "  --show ID, --list    what a release recorded; every release\n"
	    "Exit: 0 ok; 2 usage; 3 no hub, or no such release; 4 a recorded return changed;\n"
	    "5 storage or output failure.\n",
	    NULL, run_release },
	{ "backup", "a consistent copy of the hub, taken while it serves",
	    "backup DEST [-d DIR] [--no-keys] [--json]",
	    "Copy the store (every return, receipt, fact and certificate), the CA, the HTTPS\n"
	    "and receipt-signing certificates and their keys into DEST, a new or empty\n"
	    "directory, while the hub serves: submissions carry on and the copy holds one\n"
	    "committed state.  The copy is checked before the command says done: the store\n"
	    "opens, every return and certificate decodes, the counts equal the hub's.  Files\n"
	    "0600, directories 0700; DEST opens with -d ('asbhub returns -d DEST').\n" DIR_OPT
	    "  --no-keys            leave tls.key and sign.key out (a copy kept apart from them)\n"
	    "  --json               one JSON object instead of a sentence\n"
	    "Exit: 0 done; 2 usage; 3 no hub; 4 DEST not empty; 5 the copy failed or does\n"
	    "not check (what was written is removed).\n",
	    NULL, run_backup },
	{ "restore", "put a backup of the hub back",
	    "restore SRC [-d DIR] [--force] [--json]",
	    "Put the backup SRC back as the hub in DIR: copied and checked into a directory\n"
	    "beside DIR, then renamed into place, so DIR is never half restored.\n" DIR_OPT
	    "  --force              replace what DIR holds (kept as DIR.replaced-TIME); a\n"
	    "                       store a running 'asbhub serve' has open is refused even so\n"
	    "  --json               one JSON object instead of a sentence\n"
	    "A backup taken with --no-keys takes the keys of the hub it replaces.\n"
	    "Exit: 0 done; 2 usage; 3 no backup there; 4 DIR not empty or in use; 5 storage.\n",
	    NULL, run_restore },
	{ "reindex", "take the facts the national figures count, for a store from before them",
	    "reindex [-d DIR] [--all] [--json]",
	    "Re-validate every stored accepted return that has no facts (--all: every one)\n"
	    "with the hub's validator and store the facts the national figures count.  A return\n"
	    "this release refuses (markup the signature does not cover, not the XSD) is\n"
	    "quarantined: it no longer counts, and the force's previous return counts again.\n"
	    "report and compliance do this by themselves on a store from before facts.\n" DIR_OPT
	    "  --all                every accepted return, not only those without facts\n"
	    "  --json               one JSON object instead of a sentence\n"
	    "Exit: 0 done; 1 some return was quarantined; 2 usage; 3 no hub; 5 storage.\n",
	    NULL, run_reindex },
};

static const struct cmd_prog prog = {
	"asbhub", ASBHUB_VERSION,
	"usage: asbhub COMMAND [ARGS]",
	"The hub directory defaults to $ASBHUB_DIR or ./var/hub.  'man asbhub' for all.\n"
	"Exit: 0 ok, 1 refused, 2 usage, 3 not found, 4 conflict, 5 storage or network.\n",
	"'man asbhub' for all.\n",
	commands, sizeof(commands) / sizeof(commands[0])
};

/* Whether the command word needs the libraries started: not for --help or --version. */
static int
needs_init(int argc, char **argv)
{
	if (argc < 2 || cmd_find(&prog, argv[1]) == NULL)
		return 0;
	return !(argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0));
}

int
main(int argc, char **argv)
{
	struct asb_errbuf eb;
	struct ctx c;
	int rc, init;

	memset(&c, 0, sizeof(c));
	c.top = c.prog = &prog;
	if ((init = needs_init(argc, argv))) {
		rtn_init();
		if (dsig_init(&eb) != ASB_OK) {
			fprintf(stderr, "asbhub: %s\n", eb.msg);
			rtn_cleanup();
			return ASB_EIO;
		}
	}
	rc = cmd_dispatch(&prog, &c, argc, argv, stdout, stderr);
	if (init) {
		dsig_cleanup();
		rtn_cleanup();
	}
	return rc;
}
