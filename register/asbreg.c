/*
 * asbreg - the force register command for ASB support officers.
 *
 * A thin front over libregister: main reads the global options and hands the command word to
 * the command table (common/cmd.h); each command parses its arguments, opens the register for
 * its operation (reg_open_as checks the role), runs one transaction, prints, and maps the
 * library's error codes to the documented exit codes (0 ok, 1 rule, 2 usage, 3 not found,
 * 4 conflict, 5 storage) through fail().  docs/man/asbreg.1 is the manual.
 */
#include <inttypes.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "asbreg.h"
#include "utf8.h"

#define ASBREG_VERSION	"0.1.0"
#define DEFAULT_DIR	"./var/register"

int
fail(const struct ctx *c, int err, const struct asb_errbuf *eb)
{
	if (eb->rule[0] != '\0')
		fprintf(stderr, "asbreg: %s: %s (%s)\n", c->name, eb->msg,
		    eb->rule);
	else
		fprintf(stderr, "asbreg: %s: %s\n", c->name,
		    eb->msg[0] ? eb->msg : asb_strerror(err));
	return err;
}

int
usage_error(const struct ctx *c, const char *fmt, const char *arg)
{
	fprintf(stderr, "asbreg: %s: ", c->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see 'asbreg %s --help')\n", c->name);
	return ASB_EUSAGE;
}

void
warnings(const struct ctx *c, const struct sch_findings *f)
{
	unsigned i;

	for (i = 0; i < f->n; i++)
		if (f->item[i].warning)
			fprintf(stderr, "asbreg: %s: warning: %s (%s)\n", c->name,
			    f->item[i].msg, f->item[i].rule);
}

/* ---- code names as officers type them -------------------------------------------------------- */

/* Edit distance (Levenshtein) of two short words, capped: enough for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev[65], cur[65], x;

	if (la > 64 || lb > 64)
		return 64;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			x = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < x)
				x = prev[j] + 1;
			if (cur[j - 1] + 1 < x)
				x = cur[j - 1] + 1;
			cur[j] = x;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(prev[0]));
	}
	return prev[lb];
}

int
code_lookup(enum sch_list list, const char *val, const char **ret_near)
{
	char want[64];
	size_t i, n = 0, best = SIZE_MAX, d, len;
	unsigned k, count = sch_code_count(list);
	const char *code;

	*ret_near = NULL;
	/* Case, and '_' or a space for '-', do not matter: "CPW", "Closure Notice". */
	for (i = 0; val[i] != '\0' && n + 1 < sizeof(want); i++)
		want[n++] = val[i] == '_' || val[i] == ' ' ? '-' : val[i] >= 'A' &&
		    val[i] <= 'Z' ? (char)(val[i] - 'A' + 'a') : val[i];
	want[n] = '\0';
	if (val[i] != '\0')
		return -1;
	for (k = 0; k < count; k++) {
		code = sch_code_field(list, k, 0);
		if (strcmp(code, want) == 0)
			return (int)k;
		/* Near: a few letters wrong for its length ("breech" for "breached"), or
		 * the start of it ("dispersal-dir"). */
		len = strlen(code);
		d = distance(want, code);
		if (n >= 3 && strncmp(code, want, n) == 0)
			d = 1;
		if (d <= (len < 6 ? 2 : len / 2 - 1) && d < best) {
			best = d;
			*ret_near = code;
		}
	}
	return -1;
}

int
code_refuse(const struct ctx *c, enum sch_list list, const char *what, const char *val)
{
	const char *near;
	char all[1024];

	(void)code_lookup(list, val, &near);
	if (near != NULL)
		fprintf(stderr, "asbreg: %s: '%s' is not one of the %ss: did you mean '%s'? "
		    "(all of them: 'asbreg codes %ss')\n", c->name, val, what, near, what);
	else
		fprintf(stderr, "asbreg: %s: '%s' is not one of the %ss: %s\n", c->name, val,
		    what, sch_code_join(list, " ", all, sizeof(all)));
	return ASB_EUSAGE;
}

/* ---- the register, the audit entry ------------------------------------------------------- */

/*
 * Each audit head, as its commit lands, to syslog (LOG_AUTHPRIV: the file only root reads on
 * most systems), so that a rewritten audit log can be caught against a record the register's
 * users cannot change ('asbreg audit --verify --head HASH').  The force, the entry's number
 * and its hash, and the command: never a user or a name.  ASBREG_SYSLOG_STDERR=1 copies the
 * line to stderr too (a machine with no syslog daemon, and the tests); syslog still gets it.
 */
static void
log_head(const char *force, const struct reg_audit_head *h, void *ctx)
{
	const struct ctx *c = ctx;
	const char *e = getenv("ASBREG_SYSLOG_STDERR");
	char hex[REG_AUDIT_HEX];

	openlog("asbreg", LOG_PID | (e != NULL && strcmp(e, "1") == 0 ? LOG_PERROR : 0),
	    LOG_AUTHPRIV);
	syslog(LOG_NOTICE, "audit head force=%s seq=%" PRIu64 " sha256=%s command=%s", force,
	    h->seq, reg_audit_hex(h->hash, hex), c->cmd->op);
	closelog();
}

int
open_reg(struct ctx *c, int write, struct asb_errbuf *eb)
{
	int err;

	if ((err = reg_open_as(c->dir, c->user, c->cmd->op, &c->r, eb)) != ASB_OK)
		return err;
	reg_set_head_hook(c->r, log_head, c);
	if ((err = reg_begin(c->r, write, eb)) != ASB_OK) {
		reg_close(c->r);
		c->r = NULL;
	}
	return err;
}

int
finish(struct ctx *c, int err, struct asb_errbuf *eb)
{
	if (c->r != NULL) {
		if (err == ASB_OK)
			err = reg_commit(c->r, eb);
		else
			reg_abort(c->r);
		reg_close(c->r);
		c->r = NULL;
	}
	return err == ASB_OK ? 0 : fail(c, err, eb);
}

void
touch_record(struct ctx *c, uint64_t id)
{
	if (c->touch_err == ASB_OK)
		c->touch_err = reg_audit_record(c->r, id, NULL);
}

void
touch_subject(struct ctx *c, uint64_t id)
{
	if (c->touch_err == ASB_OK)
		c->touch_err = reg_audit_subject(c->r, id, NULL);
}

int
audit(struct ctx *c, int op, const char *note, uint64_t count, struct asb_errbuf *eb)
{
	if (c->touch_err != ASB_OK)
		return asb_fail(eb, c->touch_err, NULL, "cannot note what was touched for "
		    "the audit log");
	return reg_audit_log(c->r, op, c->now, c->reason, note, count, eb);
}

/* ---- options -------------------------------------------------------------------------------- */

enum { O_AS = 1000, O_REASON, O_JSON, O_CSV, O_HELP };

int
set_only(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	(void)name;
	(void)eb;
	*(const char **)obj = val;
	return ASB_OK;
}

/* An option every command takes; 1 when handled, -1 for --help, 0 when not one of them. */
static int
common_opt(struct ctx *c, int ch)
{
	switch (ch) {
	case 'd':
		c->dir = optarg;
		return 1;
	case O_AS:
		snprintf(c->user, sizeof(c->user), "%s", optarg);
		return 1;
	case O_REASON:
		c->reason = optarg;
		return 1;
	case O_JSON:
		c->json = 1;
		return 1;
	case O_CSV:
		c->csv = 1;
		return 1;
	case O_HELP:
		return -1;
	}
	return 0;
}

int
options(struct ctx *c, int argc, char **argv, const struct option *fields,
    int (*set)(void *, const char *, const char *, struct asb_errbuf *), void *obj)
{
	static const struct option common[] = {
		{ "as", required_argument, NULL, O_AS },
		{ "reason", required_argument, NULL, O_REASON },
		{ "json", no_argument, NULL, O_JSON },
		{ "csv", no_argument, NULL, O_CSV },
		{ "help", no_argument, NULL, O_HELP },
		{ "dir", required_argument, NULL, 'd' } };
	struct option opts[64];
	struct asb_errbuf eb;
	size_t n = 0, i;
	int ch, idx, h, err;

	for (i = 0; fields != NULL && fields[i].name != NULL && n < 50; i++)
		opts[n++] = fields[i];
	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		opts[n++] = common[i];
	memset(&opts[n], 0, sizeof(opts[n]));
	optind = 1;
	opterr = 0;
	asb_errbuf_clear(&eb);
	/* Options and operands may be mixed (GNU order), as officers type them. */
	while ((ch = getopt_long(argc, argv, ":d:", opts, &idx)) != -1) {
		if ((h = common_opt(c, ch)) != 0) {
			if (h < 0)
				return cmd_help(c->prog, c->cmd, stdout);
			continue;
		}
		if (ch == O_FIELD && set != NULL) {
			err = set(obj, opts[idx].name, optarg ? optarg : "1", &eb);
			if (err == ASB_ENOTFOUND)
				err = asb_fail(&eb, ASB_EUSAGE, NULL, "--%s: not an option "
				    "here", opts[idx].name);
			if (err != ASB_OK) {
				fprintf(stderr, "asbreg: %s: %s (see 'asbreg %s --help')\n",
				    c->name, eb.msg, c->name);
				return err;
			}
			continue;
		}
		return cmd_opt_error(c->prog, c->cmd, argc, argv, stderr);
	}
	/* what goes into the audit log is text too (given before the command or after) */
	if ((c->reason != NULL && utf8_check(c->reason, UTF8_LINE, NULL, NULL) == -1) ||
	    utf8_check(c->user, UTF8_LINE, NULL, NULL) == -1) {
		fprintf(stderr, "asbreg: %s: --%s: not valid UTF-8, or holds a control "
		    "character\n", c->name, c->reason != NULL && utf8_check(c->reason,
		    UTF8_LINE, NULL, NULL) == -1 ? "reason" : "as");
		return ASB_EUSAGE;
	}
	return -1;
}

/* ---- main ------------------------------------------------------------------------------------ */

/* The table: name, summary, usage, help, the operation the role policy checks, run. */
static const struct cmd commands[] = {
	{ "init", "create a register for a force", "init --force CODE",
	    "Create an empty register for the force with that ONS GSS code (see 'asbreg codes\n"
	    "forces'), and its pseudonymisation key DIR/force.key (mode 0600).\n",
	    "init", run_init },
	{ "person", "register a person", "person add --name NAME --dob YYYY-MM-DD "
	    "[--sex F|M|X] [--ethnicity CODE]\n    [--pnc ID] [--lsoa CODE] [--lad CODE] [--new]",
	    "Prints the subject ID.  ethnicity is the self-defined 18+1 code.  A person\n"
	    "already held (same PNC ID, or same name and date of birth; case, accents,\n"
	    "apostrophes, hyphens and spacing do not matter) is refused (exit 4).  So is one\n"
	    "close to a person held (same date of birth and a similar name, or the same name\n"
	    "and a date of birth one typo away) unless --new says it is another person.\n",
	    "person", run_subject },
	{ "premises", "register premises", "premises add --address ADDRESS [--uprn N] "
	    "[--lsoa CODE] [--lad CODE]",
	    "Prints the subject ID.\n", "premises", run_subject },
	{ "place", "register a place", "place add --description TEXT [--lsoa CODE] "
	    "[--lad CODE]",
	    "A park, a street, a town centre; prints the subject ID.\n", "place", run_subject },
	{ "body", "register a company or other organisation", "body add --name NAME "
	    "[--company NUMBER] [--lsoa CODE] [--lad CODE]",
	    "A body a CPW or CPN is given to (s43(1)); prints the subject ID.  NUMBER is its\n"
	    "Companies House or charity number.  A body already held (same name, case and\n"
	    "accents aside, or same number) is refused (exit 4).\n", "body", run_subject },
	{ "find", "people, premises and places", "find TEXT [--json]",
	    "People, premises and places whose name, address, description, PNC ID or UPRN\n"
	    "contains TEXT (case does not matter).  Exit 3 when nothing matches.  Every subject\n"
	    "listed is named in the audit entry.\n", "find", run_find },
	{ "add", "record a use of a power", "add POWER --subject ID [--issued WHEN] "
	    "[--served WHEN]\n"
	    "    [--expires WHEN | --hours N | --days N | --months N | --years N | --indefinite]\n"
	    "    [--by OFFICER] [--authorised-by NAME --rank RANK] [--agency A]\n"
	    "    [--conditions TEXT | --conditions-file FILE] [--lsoa CODE] [--lad CODE]\n"
	    "    [--links RECORD] [--incident REF] [--ref REF] [--duplicate-ok]\n"
	    "    [--interim] [--without-notice] [--partial]\n"
	    "    [--area TEXT] [--leave-by WHEN] [--removed-to home|place-of-safety]\n"
	    "    [--surrendered TEXT]",
	    "Record a use of a power after checking the statutory rules in force on its issue\n"
	    "date (default: now); prints the record ID.  POWER: cpw cpn pspo injunction cbo\n"
	    "dispersal-authorisation dispersal-direction closure-notice closure-order (any\n"
	    "case; a near miss gets 'did you mean').  A CPN with no --links is linked to the\n"
	    "subject's latest earlier CPW, a closure order to the premises' latest earlier\n"
	    "closure notice.  --agency must be a body that may use the power ('asbreg rules\n"
	    "--authority'): a CBO is cps's.  --conditions-file reads UTF-8 text (new lines\n"
	    "kept, at most 4095 bytes).  The same power, subject and issue time as a record\n"
	    "held is refused (exit 4, naming it) unless --duplicate-ok.  --interim: an\n"
	    "interim CBO (s26) or injunction (s7); --without-notice: an injunction applied\n"
	    "for without notice (s6, so also --interim); --partial: a closure order closing\n"
	    "the premises in part or at times (s80(7)).  A dispersal direction's record\n"
	    "(s35(5), s38): --area it excludes from, --leave-by the time to leave by,\n"
	    "--removed-to where an under-16 was taken (s35(7)), --surrendered the property\n"
	    "surrendered (s37).  A CPW or CPN may be given to a body ('asbreg body add').\n",
	    "add", run_add },
	{ "event", "append a lifecycle event to a record", "event RECORD KIND --date WHEN "
	    "[--until WHEN] [--outcome CODE]\n    [--note TEXT] [--by OFFICER] [--rank RANK] "
	    "[--amount POUNDS]\n    [--decided-by court|issuer] "
	    "[--applicant issuer|respondent|interested]",
	    "Append a lifecycle event to a record after checking the rules.  KIND: served\n"
	    "appealed appeal-allowed appeal-dismissed varied extended breached fpn-issued\n"
	    "fpn-paid discharged revoked expired reviewed adjourned (any case; a near miss\n"
	    "gets 'did you mean').  'extended' needs --until (the new expiry); a closure notice\n"
	    "extension needs the extending officer's --rank.  'adjourned' (a closure notice's\n"
	    "hearing, s81) needs --until, the adjourned hearing, at most 14 days on.  On a\n"
	    "variation, extension, discharge or revocation, --decided-by says who decided\n"
	    "and --applicant on whose application (R-VAR-001, R-VAR-002).  A void record\n"
	    "takes none.\n",
	    "event", run_event },
	{ "show", "a record in full", "show RECORD [--json]",
	    "A record in full: the use of the power, its subject, status, linked records and\n"
	    "events.\n", "show", run_show },
	{ "list", "records matching filters", "list [--type POWER] [--status S] "
	    "[--subject ID] [--since D] [--until D]\n    [--json|--csv]",
	    "Records matching every filter given; --since/--until bound the issue date (until\n"
	    "is exclusive).  S: active appealed expired discharged revoked quashed.  Each line\n"
	    "names the subject (restricted ones marked); void records are left out.\n",
	    "list", run_list },
	{ "history", "every record about a subject", "history SUBJECT [--json]",
	    "Every record about a person, premises or place, oldest first, with its events and\n"
	    "the records linked to it (the warning before a notice, the authorisation behind a\n"
	    "direction).\n", "history", run_history },
	{ "subject-export", "everything held about a subject (access request)",
	    "subject-export SUBJECT [--json]",
	    "Everything the register holds about a person, premises or place, for a subject\n"
	    "access request (DPA 2018 s45): the identity as held, every record with its events\n"
	    "and links, and every entry of the audit log that touched them (who collected,\n"
	    "consulted, changed or disclosed it, and when), found through the audit index.\n"
	    "The export itself is logged as a disclosure.\n",
	    "subject-export", run_subject_export },
	{ "restrict", "restrict processing (DPA 2018 s47)",
	    "restrict SUBJECT --reason TEXT\n       asbreg restrict SUBJECT --lift "
	    "[--reason TEXT]",
	    "Restrict processing of what the register holds about a subject (DPA 2018 s47:\n"
	    "its accuracy is contested, or it must be kept as evidence): it stays stored and\n"
	    "can be read and exported, but no record or event about the subject may be added\n"
	    "(R-DPA-001) until the restriction is lifted.  Both are logged.\n",
	    "restrict", run_restrict },
	{ "user", "who may use the register, and how", "user add NAME --role ROLE\n"
	    "       asbreg user set NAME --role ROLE\n       asbreg user list [--json]\n"
	    "       asbreg user passwd NAME\n       asbreg user totp NAME",
	    "Who may use the register.  ROLE: officer (record and look up), supervisor (an\n"
	    "officer's, and import, restrict, audit, subject-export, review, rectify),\n"
	    "data-team (everything: export, users, 'asbgw build'), auditor (look up, audit,\n"
	    "subject-export; nothing changed).  Once a register has a user every command, and\n"
	    "asbgw build, checks the acting user (--as, $ASB_USER or the login name); the\n"
	    "first user must be data-team.  passwd sets the password for the web application\n"
	    "(standard input; asked twice on a terminal; Argon2id); totp enrols a second factor\n"
	    "and prints its otpauth:// address for an authenticator app.\n", "user", run_user },
	{ "serve", "the officers' web application, over HTTPS",
	    "serve --listen HOST:PORT --cert TLSCERT --key TLSKEY [--user U]\n"
	    "    [--assets DIR] [--port-file F] [--idle-timeout S] [--session-limit S]\n"
	    "    [--lock-time S] [--max-failures N]",
	    "Serve the register to officers' browsers (docs/web.md): sign-in with a password\n"
	    "and, for every account that has one and every role above officer, a TOTP code;\n"
	    "every page runs as the signed-in user, whose role is checked and who is named in\n"
	    "the audit log.  Binds, loads the TLS key, then runs as --user (who must own the\n"
	    "register).  --assets: govuk-frontend's dist/govuk.  Sessions end after\n"
	    "--idle-timeout (900) seconds unused or --session-limit (36000) in all; 5 failed\n"
	    "sign-ins in a row lock an account for --lock-time (900) seconds.\n",
	    NULL, run_serve },
	{ "review", "decide a due retention review",
	    "review RECORD (--retain | --dispose) --reason TEXT",
	    "Decide a record's retention review once it is due ('asbreg due' lists them: 6\n"
	    "years after the record's life ended, R-RET-001).  --retain keeps it for another\n"
	    "review period.  --dispose erases its personal data (officers, conditions,\n"
	    "references, every event's note) and, when nothing else is kept about the\n"
	    "subject, the subject's identity; the statistical facts (power, dates, agency,\n"
	    "areas, event kinds and outcomes) stay.  Logged as an erasure.\n",
	    "review", run_review },
	{ "rectify", "correct a subject, old values kept",
	    "rectify SUBJECT [--name N] [--dob D] [--sex S] [--ethnicity C]\n"
	    "    [--pnc ID] [--address A] [--uprn N] [--description D] [--lsoa C] [--lad C]\n"
	    "    --reason TEXT",
	    "Correct what is held about a subject (DPA 2018 s46): each changed field is kept\n"
	    "with its old value, who changed it, when and why, and shown by history and\n"
	    "subject-export.  Logged as an alteration.\n", "rectify", run_rectify },
	{ "void", "take out a record entered in error", "void RECORD --reason TEXT",
	    "A record entered in error (the wrong person, typed twice, never happened) is\n"
	    "voided, never deleted: it leaves list, due, repeat and every return built from\n"
	    "now on, and stays readable, marked void with who, when and why, by show,\n"
	    "history, export and subject-export.  When a return the hub acknowledged counted\n"
	    "it, 'asbgw build' and 'asbgw outbox' say a correction is due for that period.\n"
	    "A record another one follows is voided after it (R-VOID-001); a void record\n"
	    "takes no events and nothing may follow it (R-VOID-002).  Its retention review\n"
	    "falls due a review period after the void (R-RET-001).  Supervisor or data team;\n"
	    "logged as an alteration.\n", "void", run_void },
	{ "merge", "one subject registered twice, put right",
	    "merge KEEP DUPLICATE --reason TEXT",
	    "DUPLICATE's records, with their events, move to KEEP, so KEEP's history and\n"
	    "repeat count are whole; DUPLICATE's ID still resolves (history, subject-export\n"
	    "lead to KEEP), and its name and date of birth as typed now find KEEP when added\n"
	    "or imported again.  Only two subjects of the same kind (R-MRG-001), neither\n"
	    "restricted (R-DPA-001); nothing new is recorded against DUPLICATE (R-MRG-002).\n"
	    "A period whose acknowledged return counted KEEP's records gets a correction due\n"
	    "('asbgw outbox').  Supervisor or data team; logged as an alteration of both and\n"
	    "every record moved.\n",
	    "merge", run_merge },
	{ "due", "what needs attention soon", "due [--within DAYS] [--json]",
	    "What needs attention within DAYS (default 30), earliest first: expiries, youth\n"
	    "CBO annual reviews (s28), closure order hearings (s80, 48 hours after a notice\n"
	    "is served) and retention reviews (R-RET-001).  Overdue reviews and hearings are\n"
	    "included.\n", "due", run_due },
	{ "repeat", "repeat subjects and locations", "repeat [--since D] [--min N] [--json]",
	    "People with N or more records issued since D (repeat subjects), and premises,\n"
	    "places and LSOAs with N or more (repeat locations).  Defaults: the last 12\n"
	    "months, N = 3.\n", "repeat", run_repeat },
	{ "import", "load records or events from CSV", "import FILE.csv [--rejects FILE] [--encoding NAME]",
	    "Load records (or events) from CSV with the columns in docs/import.md.  All or\n"
	    "nothing: the first bad row stops the import and nothing is stored, unless\n"
	    "--rejects is given, when bad rows go to that file with an error column, the rest\n"
	    "are stored, and the exit is 1 if any row was rejected.  Fields must be UTF-8\n"
	    "(save it as CSV UTF-8), or name the file's encoding: --encoding windows-1252.\n",
	    "import", run_import },
	{ "export", "everything, with personal data", "export [--json | --csv [--events]]",
	    "Everything in the register, with personal data: a disclosure, logged as one (of\n"
	    "every record).  --json (the default) writes one record a line with its subject\n"
	    "and events; --csv writes records in the columns 'asbreg import' reads, --csv\n"
	    "--events their events likewise.\n", "export", run_export },
	{ "audit", "the audit log, and its check", "audit [--verify [--head HASH]] [--json]",
	    "The Data Protection Act 2018 s62 log: who collected, altered, consulted,\n"
	    "disclosed or erased what, and when.  Each entry shows the first IDs it touched\n"
	    "and how many more; it keeps them all.  --verify checks the hash chain, each\n"
	    "entry's ID set and the audit index, exits 1 (R-AUD-001) at the first entry\n"
	    "changed or removed, and prints the head (the last entry's number and hash).\n"
	    "--head HASH also checks a head recorded earlier (printed here, or logged to\n"
	    "syslog as each command commits): an entry of the chain must have that hash, or\n"
	    "the log was rewritten since (exit 1, R-AUD-002).\n", "audit", run_audit },
	{ "backup", "a consistent copy, taken while in use", "backup DEST [--no-key] [--json]",
	    "Copy the register, its outbox, force.key and the gateway's settings into DEST (a\n"
	    "new or empty directory; exit 4 otherwise) while it is in use: writers carry on,\n"
	    "the copy holds one committed state (an import is in it whole or not at all).\n"
	    "The copy is checked before the command says done: it opens, its audit chain\n"
	    "verifies, its counts equal the register's.  Files 0600, directories 0700.  DEST\n"
	    "opens with -d like the register ('asbreg -d DEST audit --verify').  --no-key\n"
	    "leaves force.key out, for a copy kept apart from the key.  Data team.\n",
	    "backup", run_backup },
	{ "restore", "put a backup back", "restore SRC [--force] [--key FILE] [--json]",
	    "Put the backup SRC back as the register in -d DIR: copied and checked into a\n"
	    "directory beside DIR, then renamed into place, so DIR is never half restored.  A\n"
	    "DIR that holds anything is refused (exit 4) unless --force, when the old one is\n"
	    "kept as DIR.replaced-TIME; refused even then: a register open in a running\n"
	    "process, another force's backup, a force.key not the register's.  A backup taken\n"
	    "with --no-key needs --key FILE (or the key of the register it replaces).  Data\n"
	    "team (of the backup).\n",
	    "restore", run_restore },
	{ "codes", "the national code lists",
	    "codes [forces|powers|ethnicity|sex|ranks|agencies|events|outcomes|parties]\n    [--json]",
	    "The national code lists the register accepts.\n", NULL, run_codes },
	{ "rules", "the statutory rules and their limits", "rules [--authority] [--json]",
	    "The statutory rules every write is checked against, with their limits and the\n"
	    "date each limit came into force (schema/rules.tsv).  --authority: who may use\n"
	    "each power, and from when (schema/authority.tsv, R-AUTH-001).\n", NULL, run_rules },
	{ "commence", "a power in force here before it is nationally",
	    "commence [POWER YYYY-MM-DD] [--json]",
	    "For a force in an area piloting a power (the Crime and Policing Act 2026's\n"
	    "Respect Orders): the day it came into force here.  Records of it issued from\n"
	    "that day are accepted (R-PWR-001); the national date, once there is one, applies\n"
	    "everywhere.  A day on or after the national commencement is refused (exit 4).\n"
	    "With no arguments, lists this force's own commencements.  Logged.\n",
	    "commence", run_commence },
};

static const struct cmd_prog prog = {
	"asbreg", ASBREG_VERSION,
	"usage: asbreg [-d DIR] [--as USER] [--reason TEXT] COMMAND [ARGS]",
	"'man asbreg' for all.  Exit: 0 ok, 1 refused by a rule, 2 usage, 3 not found,\n"
	"4 conflict, 5 storage.\n",
	"Common options: -d DIR (default $ASBREG_DIR or ./var/register), --as USER, "
	"--reason TEXT.\n",
	commands, sizeof(commands) / sizeof(commands[0])
};

int
main(int argc, char **argv)
{
	struct ctx c;
	struct passwd *pw;
	const char *env;
	int first = 1;

	memset(&c, 0, sizeof(c));
	c.prog = &prog;
	c.dir = (env = getenv("ASBREG_DIR")) != NULL && *env ? env : DEFAULT_DIR;
	if ((env = getenv("ASB_USER")) != NULL && *env)
		snprintf(c.user, sizeof(c.user), "%s", env);
	else if ((pw = getpwuid(getuid())) != NULL)
		snprintf(c.user, sizeof(c.user), "%s", pw->pw_name);
	else
		snprintf(c.user, sizeof(c.user), "uid-%u", (unsigned)getuid());
	/* ASBREG_NOW fixes "now" (an ISO 8601 time) for tests and for
	 * answering "what was due on that day". */
	c.now = (asb_time)time(NULL);
	if ((env = getenv("ASBREG_NOW")) != NULL && *env &&
	    asb_time_parse(env, &c.now) == -1) {
		fprintf(stderr, "asbreg: ASBREG_NOW: '%s' is not an ISO 8601 "
		    "time\n", env);
		return ASB_EUSAGE;
	}
	/* Global options before the command: -d DIR, --as USER, --reason T.  --help and
	 * --version are the dispatcher's. */
	while (first + 1 < argc && argv[first][0] == '-') {
		if (strcmp(argv[first], "-d") == 0 ||
		    strcmp(argv[first], "--dir") == 0)
			c.dir = argv[first + 1];
		else if (strcmp(argv[first], "--as") == 0)
			snprintf(c.user, sizeof(c.user), "%s", argv[first + 1]);
		else if (strcmp(argv[first], "--reason") == 0)
			c.reason = argv[first + 1];
		else
			break;
		first += 2;
	}
	return cmd_dispatch(&prog, &c, argc - first + 1, argv + first - 1, stdout, stderr);
}
