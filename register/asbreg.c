/*
 * asbreg - the force register command for ASB support officers.
 *
 * A thin front over libregister: it parses arguments, opens the register, runs one
 * transaction, prints, and maps the library's error codes to the documented exit codes
 * (0 ok, 1 rule, 2 usage, 3 not found, 4 conflict, 5 storage) in one place, fail().
 * docs/man/asbreg.1 is the manual.
 */
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "codes.h"
#include "json.h"
#include "num.h"
#include "progress.h"
#include "reg.h"

#define ASBREG_VERSION	"0.1.0"
#define DEFAULT_DIR	"./var/register"
#define DUE_MAX		100000	/* items 'due' sorts; more are counted, not listed */

struct ctx {
	const char	*cmd;		/* subcommand, for messages */
	const char	*dir;
	char		 user[ASB_MAX_SHORT];
	const char	*reason;
	int		 json, csv;
	asb_time	 now;
	struct reg	*r;
};

/* IDs touched by a command, for its audit entry. */
struct idlist {
	char		 buf[360];	/* leaves room in reg_audit.ids for "(+N more)" */
	size_t		 len;
	uint64_t	 count;
};

static void
usage_line(FILE *f)
{
	fputs("usage: asbreg [-d DIR] [--as USER] [--reason TEXT] COMMAND [ARGS]\n"
	    "commands:\n"
	    "  init --force CODE                  create a register for a force\n"
	    "  person add --name N --dob YYYY-MM-DD [--sex F|M|X] [--ethnicity C] [--pnc ID] [--lsoa C]\n"
	    "  premises add --address A [--uprn N] [--lsoa CODE]\n"
	    "  place add --description D [--lsoa CODE]\n"
	    "  find TEXT [--json]                 people, premises and places\n"
	    "  add POWER --subject ID [fields]    record a use of a power\n"
	    "  event RECORD KIND --date WHEN [--until WHEN] [--outcome C] [--note T]\n"
	    "  show RECORD [--json]\n"
	    "  list [--type P] [--status S] [--subject ID] [--since D] [--until D] [--json|--csv]\n"
	    "  history SUBJECT [--json]\n"
	    "  subject-export SUBJECT [--json]  everything held about a subject (access request)\n"
	    "  restrict SUBJECT (--reason T | --lift)  restrict processing (DPA 2018 s47)\n"
	    "  user add|set NAME --role R | user list   who may use the register, and how\n"
	    "  review RECORD (--retain|--dispose) --reason T   decide a due retention review\n"
	    "  rectify SUBJECT --FIELD VALUE... --reason T     correct a subject, old values kept\n"
	    "  due [--within DAYS] [--json]\n"
	    "  repeat [--since D] [--min N] [--json]\n"
	    "  import FILE.csv [--rejects FILE]\n"
	    "  export [--csv [--events]|--json]\n"
	    "  audit [--verify] [--json]\n"
	    "  codes [LIST]                       code lists: forces powers ranks agencies ...\n"
	    "  rules [--json]                     the statutory rules and their limits\n"
	    "Run 'asbreg COMMAND --help' for a command's options; 'man asbreg' for all.\n",
	    f);
}

/* Print the error and return the exit code: the one place codes become exits. */
static int
fail(const struct ctx *c, int err, const struct asb_errbuf *eb)
{
	if (eb->rule[0] != '\0')
		fprintf(stderr, "asbreg: %s: %s (%s)\n", c->cmd, eb->msg,
		    eb->rule);
	else
		fprintf(stderr, "asbreg: %s: %s\n", c->cmd,
		    eb->msg[0] ? eb->msg : asb_strerror(err));
	return err;
}

static int
usage_error(const struct ctx *c, const char *fmt, const char *arg)
{
	fprintf(stderr, "asbreg: %s: ", c->cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see 'asbreg %s --help')\n", c->cmd);
	return ASB_EUSAGE;
}

static void
warnings(const struct ctx *c, const struct sch_findings *f)
{
	unsigned i;

	for (i = 0; i < f->n; i++)
		if (f->item[i].warning)
			fprintf(stderr, "asbreg: %s: warning: %s (%s)\n", c->cmd,
			    f->item[i].msg, f->item[i].rule);
}

static void
ids_add(struct idlist *l, const char *id)
{
	size_t n = strlen(id);

	l->count++;
	if (l->count > ASB_MAX_AUDIT_IDS || l->len + n + 2 >= sizeof(l->buf))
		return;
	if (l->len > 0)
		l->buf[l->len++] = ' ';
	memcpy(l->buf + l->len, id, n + 1);
	l->len += n;
}

/* Append this command's audit entry; part of the same transaction as its work. */
static int
audit(struct ctx *c, int op, const struct idlist *l, struct asb_errbuf *eb)
{
	struct reg_audit a;

	memset(&a, 0, sizeof(a));
	a.time = c->now;
	a.op = op;
	snprintf(a.user, sizeof(a.user), "%s", c->user);
	snprintf(a.command, sizeof(a.command), "%s", c->cmd);
	if (l->count > ASB_MAX_AUDIT_IDS)
		snprintf(a.ids, sizeof(a.ids), "%s (+%" PRIu64 " more)", l->buf,
		    l->count - ASB_MAX_AUDIT_IDS);
	else
		snprintf(a.ids, sizeof(a.ids), "%s", l->buf);
	a.count = l->count;
	snprintf(a.reason, sizeof(a.reason), "%s", c->reason ? c->reason : "");
	return reg_audit_append(c->r, &a, eb);
}

/* ---- roles ---------------------------------------------------------------------------------- */

/* What each role may run.  A data team member may run everything. */
static int
role_allows(int role, const char *cmd)
{
	static const char *const officer[] = { "person", "premises", "place", "find", "add",
	    "event", "show", "list", "history", "due", "repeat", NULL };
	static const char *const supervisor[] = { "import", "restrict", "audit",
	    "subject-export", "review", "rectify", NULL };
	static const char *const auditor[] = { "find", "show", "list", "history", "due",
	    "repeat", "audit", "subject-export", NULL };
	const char *const *l;

	if (role == REG_ROLE_DATA_TEAM)
		return 1;
	if (role == REG_ROLE_AUDITOR) {
		for (l = auditor; *l != NULL; l++)
			if (strcmp(*l, cmd) == 0)
				return 1;
		return 0;
	}
	for (l = officer; *l != NULL; l++)
		if (strcmp(*l, cmd) == 0)
			return 1;
	if (role == REG_ROLE_SUPERVISOR)
		for (l = supervisor; *l != NULL; l++)
			if (strcmp(*l, cmd) == 0)
				return 1;
	return 0;
}

static int
any_user(const char *name, int role, void *ctx)
{
	(void)name;
	(void)role;
	(*(int *)ctx)++;
	return 1;
}

/* A register with users: the acting user must be one, in a role that may run the command.
 * *nusers tells the caller whether the register has users at all. */
static int
role_check(struct ctx *c, int *nusers, struct asb_errbuf *eb)
{
	int err, role;

	*nusers = 0;
	if ((err = reg_user_each(c->r, any_user, nusers, eb)) != ASB_OK)
		return err;
	if (*nusers == 0)
		return ASB_OK;	/* being set up: 'asbreg user add' makes the first user */
	if ((err = reg_user_get(c->r, c->user, &role, eb)) == ASB_ENOTFOUND)
		return asb_fail(eb, ASB_ERULE, "R-ROLE-002", "%s is not a user of this "
		    "register: a data team member adds them with 'asbreg user add %s "
		    "--role officer'", c->user, c->user);
	if (err != ASB_OK)
		return err;
	if (!role_allows(role, c->cmd))
		return asb_fail(eb, ASB_ERULE, "R-ROLE-001", "%s is %s %s, who may not "
		    "run '%s': ask %s", c->user, role == REG_ROLE_AUDITOR ||
		    role == REG_ROLE_OFFICER ? "an" : "a", reg_role_code(role), c->cmd,
		    strcmp(c->cmd, "import") == 0 || strcmp(c->cmd, "restrict") == 0 ?
		    "a supervisor or the data team" : "the data team");
	return ASB_OK;
}

static int
open_reg(struct ctx *c, int write, struct asb_errbuf *eb)
{
	int err, nusers;

	if ((err = reg_open(c->dir, &c->r, eb)) != ASB_OK)
		return err;
	if ((err = reg_begin(c->r, write, eb)) != ASB_OK ||
	    (err = role_check(c, &nusers, eb)) != ASB_OK) {
		if (err != ASB_OK && c->r != NULL) {
			reg_abort(c->r);
			reg_close(c->r);
		}
		c->r = NULL;
	}
	return err;
}

/* Commit (or abort on error) and close; returns the exit code. */
static int
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

/* ---- options ------------------------------------------------------------------------------ */

enum { O_AS = 1000, O_REASON, O_JSON, O_CSV, O_HELP, O_FIELD };

#define COMMON_OPTS \
	{ "as", required_argument, NULL, O_AS }, \
	{ "reason", required_argument, NULL, O_REASON }, \
	{ "json", no_argument, NULL, O_JSON }, \
	{ "csv", no_argument, NULL, O_CSV }, \
	{ "help", no_argument, NULL, O_HELP }, \
	{ "dir", required_argument, NULL, 'd' }

/* Handle an option every command takes; 1 when handled, -1 for --help. */
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

static int
help(const char *text)
{
	fputs(text, stdout);
	fputs("Common options: -d DIR (default $ASBREG_DIR or ./var/register), "
	    "--as USER, --reason TEXT.\n", stdout);
	return 0;
}

/* Parse options: the common ones here, every other one (declared with FIELD or FLAG) handed
 * to set() by its long name.  Returns 0 with optind at the first operand, -1 for --help, or
 * an error code with eb filled. */
static int
parse(struct ctx *c, int argc, char **argv, const struct option *fields,
    int (*set)(void *, const char *, const char *, struct asb_errbuf *),
    void *obj, struct asb_errbuf *eb)
{
	struct option opts[64];
	size_t n = 0, i;
	int ch, idx, h, err;
	static const struct option common[] = { COMMON_OPTS };

	for (i = 0; fields != NULL && fields[i].name != NULL && n < 50; i++)
		opts[n++] = fields[i];
	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		opts[n++] = common[i];
	memset(&opts[n], 0, sizeof(opts[n]));
	optind = 1;
	opterr = 0;
	/* Options and operands may be mixed (GNU order), as officers type them. */
	while ((ch = getopt_long(argc, argv, "d:", opts, &idx)) != -1) {
		if ((h = common_opt(c, ch)) != 0) {
			if (h < 0)
				return -1;
			continue;
		}
		if (ch == O_FIELD && set != NULL) {
			err = set(obj, opts[idx].name, optarg ? optarg : "1", eb);
			if (err == ASB_ENOTFOUND)
				return asb_fail(eb, ASB_EUSAGE, NULL, "--%s: "
				    "not an option here", opts[idx].name);
			if (err != ASB_OK)
				return err;
			continue;
		}
		if (optopt != 0 && optopt < 256)
			return asb_fail(eb, ASB_EUSAGE, NULL, "-%c: unknown "
			    "option or missing value", optopt);
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: unknown option or "
		    "missing value", argv[optind - 1]);
	}
	return 0;
}

/* Run parse and turn its result into an exit code: -1 means "carry on". */
static int
options(struct ctx *c, int argc, char **argv, const struct option *fields,
    int (*set)(void *, const char *, const char *, struct asb_errbuf *),
    void *obj, const char *helptext)
{
	struct asb_errbuf eb;
	int err;

	asb_errbuf_clear(&eb);
	err = parse(c, argc, argv, fields, set, obj, &eb);
	if (err == -1)
		return help(helptext);
	if (err != 0) {
		fprintf(stderr, "asbreg: %s: %s (see 'asbreg %s --help')\n",
		    c->cmd, eb.msg, c->cmd);
		return err;
	}
	return -1;
}

#define FIELD(name) { name, required_argument, NULL, O_FIELD }
#define FLAG(name) { name, no_argument, NULL, O_FIELD }

/* A correction of the subject, as history and subject-export show it. */
static int
print_rectification(const struct reg_rectification *x, void *ctx)
{
	char t[ASB_TIME_BUF];

	(void)ctx;
	printf("corrected %s by %s: %s '%s' -> '%s'%s%s\n", asb_time_iso(x->time, t,
	    sizeof(t)), x->user, x->field, x->old, x->now, x->reason[0] ? "; reason: " : "",
	    x->reason);
	return 0;
}

/*
 * A subject as history and subject-export head it: the identity (all of it when full, for
 * an access request), a restriction of processing, and every correction made.
 */
static void
print_subject(struct ctx *c, const struct reg_subject *s, int full)
{
	char id[REG_ID_BUF], day[16], t[ASB_TIME_BUF];

	printf("%s (%s) %s", reg_subject_id(s->id, id), sch_subject_kind_code(s->kind),
	    s->name);
	if (s->kind == SCH_PERSON)
		printf(", born %s", asb_day_format(s->dob, day, sizeof(day)));
	if (full && s->kind == SCH_PERSON) {
		if (s->sex[0])
			printf(", sex %s", s->sex);
		if (s->ethnicity[0])
			printf(", ethnicity %s", s->ethnicity);
		if (s->pnc[0])
			printf(", PNC %s", s->pnc);
	}
	if (full && s->kind == SCH_PREMISES && s->uprn[0])
		printf(", UPRN %s", s->uprn);
	if (s->lsoa[0] != '\0')
		printf(", LSOA %s", s->lsoa);
	if (full && s->lad[0] != '\0')
		printf(", district %s", s->lad);
	putchar('\n');
	if (s->restricted != 0)
		printf("PROCESSING RESTRICTED since %s: %s\n", asb_time_human(s->restricted, t,
		    sizeof(t)), s->restrict_reason);
	(void)reg_rectification_each(c->r, s->id, print_rectification, NULL, NULL);
}

/* ---- output helpers ------------------------------------------------------------------------ */

static const char *
tiso(asb_time t, char *buf)
{
	return t == 0 ? "" : asb_time_iso(t, buf, ASB_TIME_BUF);
}

static const char *
thuman(asb_time t, char *buf)
{
	return t == 0 ? "-" : asb_time_human(t, buf, ASB_TIME_BUF);
}

static void
json_time(FILE *f, int first, const char *key, asb_time t)
{
	char b[ASB_TIME_BUF];

	json_kv_strn(f, first, key, tiso(t, b));
}

static void
json_subject(FILE *f, const struct reg_subject *s)
{
	char id[REG_ID_BUF], day[16];

	fputc('{', f);
	json_kv_str(f, 1, "id", reg_subject_id(s->id, id));
	json_kv_str(f, 0, "kind", sch_subject_kind_code(s->kind));
	json_kv_str(f, 0, s->kind == SCH_PERSON ? "name" : s->kind ==
	    SCH_PREMISES ? "address" : "description", s->name);
	if (s->kind == SCH_PERSON) {
		json_kv_str(f, 0, "dob", asb_day_format(s->dob, day,
		    sizeof(day)));
		json_kv_strn(f, 0, "sex", s->sex);
		json_kv_strn(f, 0, "ethnicity", s->ethnicity);
		json_kv_strn(f, 0, "pnc", s->pnc);
	}
	if (s->kind == SCH_PREMISES)
		json_kv_strn(f, 0, "uprn", s->uprn);
	json_kv_strn(f, 0, "lsoa", s->lsoa);
	json_kv_strn(f, 0, "lad", s->lad);
	if (s->restricted != 0) {
		char t[ASB_TIME_BUF];

		json_key(f, 0, "restricted");
		fputc('{', f);
		json_kv_str(f, 1, "since", asb_time_iso(s->restricted, t, sizeof(t)));
		json_kv_str(f, 0, "reason", s->restrict_reason);
		fputc('}', f);
	} else
		json_kv_strn(f, 0, "restricted", NULL);
	fputc('}', f);
}

struct ev_out {
	FILE	*f;
	int	 json;
	int	 n;
};

static int
print_event(const struct reg_event *ev, void *ctx)
{
	struct ev_out *o = ctx;
	char b[ASB_TIME_BUF];

	if (o->json) {
		fputs(o->n++ ? ",{" : "{", o->f);
		json_kv_int(o->f, 1, "seq", ev->seq);
		json_kv_str(o->f, 0, "kind", sch_event_code(ev->kind));
		json_time(o->f, 0, "date", ev->date);
		json_time(o->f, 0, "until", ev->until);
		json_kv_strn(o->f, 0, "outcome", ev->outcome);
		json_key(o->f, 0, "amount_pence");
		if (ev->amount >= 0)
			fprintf(o->f, "%" PRId64, ev->amount);
		else
			fputs("null", o->f);
		json_kv_strn(o->f, 0, "rank", ev->rank);
		json_kv_strn(o->f, 0, "by", ev->by);
		json_kv_strn(o->f, 0, "note", ev->note);
		json_time(o->f, 0, "recorded", ev->created);
		json_kv_str(o->f, 0, "recorded_by", ev->created_by);
		fputc('}', o->f);
		return 0;
	}
	fprintf(o->f, "    %2u  %-16s  %-16s", ev->seq, thuman(ev->date, b),
	    sch_event_code(ev->kind));
	if (ev->until != 0)
		fprintf(o->f, "  until %s", thuman(ev->until, b));
	if (ev->outcome[0] != '\0')
		fprintf(o->f, "  outcome %s", ev->outcome);
	if (ev->amount >= 0)
		fprintf(o->f, "  amount %" PRId64 ".%02" PRId64, ev->amount / 100,
		    ev->amount % 100);
	if (ev->note[0] != '\0')
		fprintf(o->f, "  note: %s", ev->note);
	fputc('\n', o->f);
	return 0;
}

struct link_out {
	struct ctx	*c;
	FILE		*f;
	int		 json, n;
	struct idlist	*ids;
};

static int
print_link(uint64_t id, int follows_it, void *ctx)
{
	struct link_out *o = ctx;
	struct reg_view v;
	struct asb_errbuf eb;
	char rid[REG_ID_BUF], sid[REG_ID_BUF], b[ASB_TIME_BUF];

	if (reg_view_get(o->c->r, id, o->c->now, &v, &eb) != ASB_OK)
		return 0;
	if (o->ids != NULL)
		ids_add(o->ids, reg_record_id(id, rid));
	if (o->json) {
		fputs(o->n++ ? ",{" : "{", o->f);
		json_kv_str(o->f, 1, "id", reg_record_id(id, rid));
		json_kv_str(o->f, 0, "relation", follows_it ? "followed-by" :
		    "follows");
		json_kv_str(o->f, 0, "power", sch_power_code(v.rec.power));
		json_kv_str(o->f, 0, "subject", reg_subject_id(v.rec.subject,
		    sid));
		json_time(o->f, 0, "issued", v.rec.issued);
		json_kv_str(o->f, 0, "status", sch_status_code(v.status));
		fputc('}', o->f);
		return 0;
	}
	fprintf(o->f, "  %-11s %s %s (%s, %s) issued %s, %s\n", follows_it ?
	    "followed by" : "follows", reg_record_id(id, rid),
	    sch_power_code(v.rec.power), sch_power_section(v.rec.power),
	    reg_subject_id(v.rec.subject, sid), thuman(v.rec.issued, b),
	    sch_status_code(v.status));
	return 0;
}

/* A record in full, with its subject, events and links. */
static int
print_record(struct ctx *c, const struct reg_view *v, FILE *f, int json,
    struct idlist *ids, struct asb_errbuf *eb)
{
	struct reg_subject s;
	struct ev_out eo = { f, json, 0 };
	struct link_out lo = { c, f, json, 0, ids };
	const struct reg_record *rec = &v->rec;
	char rid[REG_ID_BUF], sid[REG_ID_BUF], b[ASB_TIME_BUF], day[16];
	int err;

	if ((err = reg_subject_get(c->r, rec->subject, &s, eb)) != ASB_OK)
		return err;
	if (json) {
		fputc('{', f);
		json_kv_str(f, 1, "id", reg_record_id(rec->id, rid));
		json_kv_str(f, 0, "power", sch_power_code(rec->power));
		json_kv_str(f, 0, "section", sch_power_section(rec->power));
		json_kv_str(f, 0, "status", sch_status_code(v->status));
		json_key(f, 0, "subject");
		json_subject(f, &s);
		json_time(f, 0, "issued", rec->issued);
		json_time(f, 0, "served", v->life.served);
		json_time(f, 0, "expires", rec->expires);
		json_time(f, 0, "current_expiry", v->life.expires);
		json_time(f, 0, "ended", v->life.ended);
		json_kv_str(f, 0, "agency", sch_code_field(SCH_LIST_AGENCIES,
		    (unsigned)rec->agency, 0));
		json_kv_strn(f, 0, "by", rec->by);
		json_kv_strn(f, 0, "authorised_by", rec->authorised_by);
		json_kv_strn(f, 0, "rank", rec->rank);
		json_kv_strn(f, 0, "lsoa", rec->lsoa[0] ? rec->lsoa : s.lsoa);
		json_kv_strn(f, 0, "lad", rec->lad[0] ? rec->lad : s.lad);
		json_kv_strn(f, 0, "incident", rec->incident);
		json_kv_strn(f, 0, "ref", rec->ref);
		json_kv_strn(f, 0, "conditions", rec->conditions);
		json_kv_int(f, 0, "breaches", v->life.breaches);
		json_time(f, 0, "recorded", rec->created);
		json_kv_str(f, 0, "recorded_by", rec->created_by);
		json_key(f, 0, "events");
		fputc('[', f);
		if ((err = reg_event_each(c->r, rec->id, print_event, &eo,
		    eb)) != ASB_OK)
			return err;
		fputs("],\"linked\":[", f);
		if ((err = reg_linked_each(c->r, rec->id, print_link, &lo,
		    eb)) != ASB_OK)
			return err;
		fputs("]}", f);
		return ASB_OK;
	}
	fprintf(f, "%s  %s  %s (%s)\n", reg_record_id(rec->id, rid),
	    sch_power_code(rec->power), sch_power_name(rec->power),
	    sch_power_section(rec->power));
	fprintf(f, "  status      %s\n", sch_status_code(v->status));
	fprintf(f, "  subject     %s (%s) %s", reg_subject_id(s.id, sid),
	    sch_subject_kind_code(s.kind), s.name);
	if (s.kind == SCH_PERSON)
		fprintf(f, ", born %s", asb_day_format(s.dob, day, sizeof(day)));
	if (s.restricted != 0)
		fprintf(f, "  [PROCESSING RESTRICTED: %s]", s.restrict_reason);
	fputc('\n', f);
	fprintf(f, "  issued      %s\n", thuman(rec->issued, b));
	fprintf(f, "  served      %s\n", thuman(v->life.served, b));
	fprintf(f, "  expires     %s", rec->expires ? thuman(rec->expires, b) :
	    "no end date");
	if (v->life.expires != rec->expires)
		fprintf(f, " (now %s)", thuman(v->life.expires, b));
	fputc('\n', f);
	if (v->life.ended != 0)
		fprintf(f, "  ended       %s (%s)\n", thuman(v->life.ended, b),
		    sch_event_code(v->life.end_event));
	fprintf(f, "  agency      %s\n", sch_code_field(SCH_LIST_AGENCIES,
	    (unsigned)rec->agency, 0));
	if (rec->by[0] != '\0')
		fprintf(f, "  by          %s\n", rec->by);
	if (rec->authorised_by[0] != '\0' || rec->rank[0] != '\0')
		fprintf(f, "  authorised  %s %s\n", rec->rank, rec->authorised_by);
	if (rec->lsoa[0] != '\0' || s.lsoa[0] != '\0')
		fprintf(f, "  lsoa        %s\n", rec->lsoa[0] ? rec->lsoa : s.lsoa);
	if (rec->incident[0] != '\0')
		fprintf(f, "  incident    %s\n", rec->incident);
	if (rec->ref[0] != '\0')
		fprintf(f, "  reference   %s\n", rec->ref);
	if (rec->conditions[0] != '\0')
		fprintf(f, "  conditions  %s\n", rec->conditions);
	if ((err = reg_linked_each(c->r, rec->id, print_link, &lo, eb)) !=
	    ASB_OK)
		return err;
	fprintf(f, "  events%s\n", v->life.events ? "" : "      none");
	return reg_event_each(c->r, rec->id, print_event, &eo, eb);
}

/* ---- commands -------------------------------------------------------------------------------- */

/* For a command with one option of its own: keep its value (a flag's is "1"); getopt has
 * already refused any other name. */
static int
set_only(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	(void)name;
	(void)eb;
	*(const char **)obj = val;
	return ASB_OK;
}

static int
cmd_init(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FIELD("force"), { NULL, 0, NULL, 0 } };
	struct asb_errbuf eb;
	const char *force = NULL;
	int err;

	if ((err = options(c, argc, argv, o, set_only, &force,
	    "usage: asbreg init --force CODE\n"
	    "Create an empty register for the force with that ONS GSS code "
	    "(see 'asbreg codes forces'),\nand its pseudonymisation key "
	    "DIR/force.key (mode 0600).\n")) >= 0)
		return err;
	if (force == NULL || optind != argc)
		return usage_error(c, "%s", "give --force CODE and nothing else");
	asb_errbuf_clear(&eb);
	if ((err = reg_init(c->dir, force, c->user, c->now, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	printf("register for %s created in %s\n", force, c->dir);
	return 0;
}

static int
set_subject(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	return reg_subject_set(obj, name, val, eb);
}

static int
cmd_subject(struct ctx *c, int argc, char **argv)
{
	static const struct option person[] = { FIELD("name"), FIELD("dob"),
		FIELD("sex"), FIELD("ethnicity"), FIELD("pnc"), FIELD("lsoa"),
		FIELD("lad"), { NULL, 0, NULL, 0 } };
	static const struct option premises[] = { FIELD("address"),
		FIELD("uprn"), FIELD("lsoa"), FIELD("lad"), { NULL, 0, NULL, 0 } };
	static const struct option place[] = { FIELD("description"),
		FIELD("lsoa"), FIELD("lad"), { NULL, 0, NULL, 0 } };
	struct reg_subject s;
	struct asb_errbuf eb;
	struct idlist ids = { "", 0, 0 };
	char id[REG_ID_BUF];
	const struct option *o;
	const char *h;
	int err;

	memset(&s, 0, sizeof(s));
	s.kind = sch_subject_kind_from_code(c->cmd);
	if (s.kind == SCH_PERSON) {
		o = person;
		h = "usage: asbreg person add --name NAME --dob YYYY-MM-DD "
		    "[--sex F|M|X] [--ethnicity CODE] [--pnc ID]\n    [--lsoa CODE] "
		    "[--lad CODE]\n"
		    "Register a person; prints the subject ID.  ethnicity is the "
		    "self-defined 18+1 code.\n";
	} else if (s.kind == SCH_PREMISES) {
		o = premises;
		h = "usage: asbreg premises add --address ADDRESS [--uprn N] "
		    "[--lsoa CODE] [--lad CODE]\nRegister premises; prints the "
		    "subject ID.\n";
	} else {
		o = place;
		h = "usage: asbreg place add --description TEXT [--lsoa CODE] "
		    "[--lad CODE]\n"
		    "Register a place (a park, a street, a town centre); prints "
		    "the subject ID.\n";
	}
	if ((err = options(c, argc, argv, o, set_subject, &s, h)) >= 0)
		return err;
	if (optind + 1 != argc || strcmp(argv[optind], "add") != 0)
		return usage_error(c, "%s", "the only subcommand is 'add'");
	asb_errbuf_clear(&eb);
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_subject_add(c->r, &s, c->now, NULL, &eb)) == ASB_OK) {
		ids_add(&ids, reg_subject_id(s.id, id));
		err = audit(c, REG_AUDIT_COLLECTION, &ids, &eb);
	}
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	if (c->json)
		printf("{\"id\":\"%s\"}\n", id);
	else
		printf("%s\n", id);
	return 0;
}

struct add_opts {
	struct reg_record rec;
	struct reg_term	 term;
	int		 bad_link;
};

static int
set_record(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct add_opts *a = obj;

	if (strcmp(name, "links") == 0) {
		if (reg_id_parse(val, 'R', &a->rec.link) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--links: '%s' is "
			    "not a record ID (R and digits)", val);
		return ASB_OK;
	}
	return reg_record_set(&a->rec, &a->term, name, val, eb);
}

static int
cmd_add(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FIELD("subject"), FIELD("issued"),
		FIELD("served"), FIELD("expires"), FIELD("hours"), FIELD("days"),
		FIELD("months"), FIELD("years"), FLAG("indefinite"),
		FIELD("by"), FIELD("authorised-by"), FIELD("rank"),
		FIELD("agency"), FIELD("conditions"), FIELD("lsoa"), FIELD("lad"),
		FIELD("links"), FIELD("incident"), FIELD("ref"),
		{ NULL, 0, NULL, 0 } };
	struct add_opts a;
	struct sch_findings f;
	struct asb_errbuf eb;
	struct idlist ids = { "", 0, 0 };
	char id[REG_ID_BUF];
	int err;

	memset(&a, 0, sizeof(a));
	reg_record_defaults(&a.rec);
	if ((err = options(c, argc, argv, o, set_record, &a,
	    "usage: asbreg add POWER --subject ID [--issued WHEN] [--served WHEN]\n"
	    "    [--expires WHEN | --hours N | --days N | --months N | --years N | --indefinite]\n"
	    "    [--by OFFICER] [--authorised-by NAME --rank RANK] [--agency A]\n"
	    "    [--conditions TEXT] [--lsoa CODE] [--lad CODE] [--links RECORD] [--incident REF]\n"
	    "    [--ref REF]\n"
	    "Record a use of a power after checking the statutory rules in force on its issue\n"
	    "date (default: now); prints the record ID.  POWER: cpw cpn pspo injunction cbo\n"
	    "dispersal-authorisation dispersal-direction closure-notice closure-order.\n"
	    "A CPN with no --links is linked to the subject's latest earlier CPW.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give exactly one POWER");
	if ((err = reg_record_set(&a.rec, &a.term, "power", argv[optind],
	    &eb)) != ASB_OK) {
		fprintf(stderr, "asbreg: add: %s\n", eb.msg);
		return err;
	}
	if (a.rec.subject == 0)
		return usage_error(c, "%s", "give --subject ID (from 'asbreg "
		    "person|premises|place add' or 'asbreg find')");
	if (a.rec.issued == 0)
		a.rec.issued = c->now;
	if ((err = reg_record_finish(&a.rec, &a.term, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	err = reg_record_add(c->r, &a.rec, c->user, c->now, &f, &eb);
	if (err == ASB_OK) {
		ids_add(&ids, reg_record_id(a.rec.id, id));
		err = audit(c, REG_AUDIT_COLLECTION, &ids, &eb);
	}
	warnings(c, &f);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	if (c->json)
		printf("{\"id\":\"%s\"}\n", id);
	else
		printf("%s\n", id);
	return 0;
}

struct event_opts {
	struct reg_event ev;
};

static int
set_event(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	return reg_event_set(&((struct event_opts *)obj)->ev, name, val, eb);
}

static int
cmd_event(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FIELD("date"), FIELD("until"),
		FIELD("outcome"), FIELD("note"), FIELD("by"), FIELD("rank"),
		FIELD("amount"), { NULL, 0, NULL, 0 } };
	struct event_opts e;
	struct sch_findings f;
	struct asb_errbuf eb;
	struct reg_view v;
	struct idlist ids = { "", 0, 0 };
	char id[REG_ID_BUF];
	int err;

	reg_event_defaults(&e.ev);
	if ((err = options(c, argc, argv, o, set_event, &e,
	    "usage: asbreg event RECORD KIND --date WHEN [--until WHEN] [--outcome CODE]\n"
	    "    [--note TEXT] [--by OFFICER] [--rank RANK] [--amount POUNDS]\n"
	    "Append a lifecycle event to a record after checking the rules.  KIND: served\n"
	    "appealed appeal-allowed appeal-dismissed varied extended breached fpn-issued\n"
	    "fpn-paid discharged revoked expired reviewed.  'extended' needs --until (the new\n"
	    "expiry); a closure notice extension needs the extending officer's --rank.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 2 != argc)
		return usage_error(c, "%s", "give RECORD and KIND");
	if (reg_id_parse(argv[optind], 'R', &e.ev.record) == -1)
		return usage_error(c, "'%s' is not a record ID (R and digits)",
		    argv[optind]);
	if ((err = reg_event_set(&e.ev, "kind", argv[optind + 1], &eb)) !=
	    ASB_OK)
		return fail(c, err, &eb);
	if (e.ev.date == 0)
		return usage_error(c, "%s", "give --date WHEN");
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	err = reg_event_add(c->r, &e.ev, c->user, c->now, &f, &eb);
	if (err == ASB_OK) {
		ids_add(&ids, reg_record_id(e.ev.record, id));
		err = audit(c, REG_AUDIT_ALTERATION, &ids, &eb);
	}
	if (err == ASB_OK)
		err = reg_view_get(c->r, e.ev.record, c->now, &v, &eb);
	warnings(c, &f);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	if (c->json)
		printf("{\"record\":\"%s\",\"seq\":%u,\"status\":\"%s\"}\n", id,
		    e.ev.seq, sch_status_code(v.status));
	else
		printf("%s event %u %s; status %s\n", id, e.ev.seq,
		    sch_event_code(e.ev.kind), sch_status_code(v.status));
	return 0;
}

static int
cmd_show(struct ctx *c, int argc, char **argv)
{
	struct asb_errbuf eb;
	struct reg_view v;
	struct idlist ids = { "", 0, 0 };
	char id[REG_ID_BUF];
	uint64_t rid;
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL,
	    "usage: asbreg show RECORD [--json]\n"
	    "A record in full: the use of the power, its subject, status, linked "
	    "records and events.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one RECORD");
	if (reg_id_parse(argv[optind], 'R', &rid) == -1)
		return usage_error(c, "'%s' is not a record ID (R and digits)",
		    argv[optind]);
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_view_get(c->r, rid, c->now, &v, &eb)) == ASB_OK) {
		ids_add(&ids, reg_record_id(rid, id));
		if ((err = audit(c, REG_AUDIT_CONSULTATION, &ids, &eb)) ==
		    ASB_OK)
			err = print_record(c, &v, stdout, c->json, NULL, &eb);
		if (c->json)
			putchar('\n');
	}
	return finish(c, err, &eb);
}

struct list_opts {
	struct reg_filter f;
	struct ctx	*c;
	struct idlist	 ids;
	uint64_t	 n;
};

static int
set_list(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct list_opts *l = obj;
	char all[512];

	if (strcmp(name, "type") == 0) {
		if ((l->f.power = sch_code_index(SCH_LIST_POWERS, val)) < 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--type: '%s' is "
			    "not one of: %s", val, sch_code_join(SCH_LIST_POWERS,
			    " ", all, sizeof(all)));
	} else if (strcmp(name, "status") == 0) {
		if ((l->f.status = sch_status_from_code(val)) < 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--status: '%s' is "
			    "not one of: active appealed expired discharged "
			    "revoked quashed", val);
	} else if (strcmp(name, "subject") == 0) {
		if (reg_id_parse(val, 'S', &l->f.subject) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--subject: '%s' "
			    "is not a subject ID", val);
	} else if (strcmp(name, "since") == 0 || strcmp(name, "until") == 0) {
		if (asb_time_parse(val, name[0] == 's' ? &l->f.since :
		    &l->f.until) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--%s: '%s' is not "
			    "a date (YYYY-MM-DD)", name, val);
	} else
		return ASB_ENOTFOUND;
	return ASB_OK;
}

static void
list_header(const struct ctx *c)
{
	if (c->csv)
		puts("id,power,section,subject,issued,served,expires,status,"
		    "agency,lsoa,link,breaches");
	else if (!c->json)
		printf("%-8s  %-23s  %-8s  %-16s  %-16s  %s\n", "RECORD",
		    "POWER", "SUBJECT", "ISSUED", "EXPIRES", "STATUS");
}

static int
list_one(const struct reg_view *v, void *ctx)
{
	struct list_opts *l = ctx;
	const struct ctx *c = l->c;
	char id[REG_ID_BUF], sid[REG_ID_BUF], lid[REG_ID_BUF], b[ASB_TIME_BUF];

	reg_record_id(v->rec.id, id);
	reg_subject_id(v->rec.subject, sid);
	ids_add(&l->ids, id);
	l->n++;
	if (c->json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "id", id);
		json_kv_str(stdout, 0, "power", sch_power_code(v->rec.power));
		json_kv_str(stdout, 0, "subject", sid);
		json_time(stdout, 0, "issued", v->rec.issued);
		json_time(stdout, 0, "served", v->life.served);
		json_time(stdout, 0, "expires", v->life.expires);
		json_kv_str(stdout, 0, "status", sch_status_code(v->status));
		json_kv_str(stdout, 0, "agency", sch_code_field(
		    SCH_LIST_AGENCIES, (unsigned)v->rec.agency, 0));
		json_kv_strn(stdout, 0, "link", v->rec.link ?
		    reg_record_id(v->rec.link, lid) : "");
		json_kv_int(stdout, 0, "breaches", v->life.breaches);
		fputs("}\n", stdout);
	} else if (c->csv) {
		printf("%s,%s,%s,%s,%s,", id, sch_power_code(v->rec.power),
		    sch_power_section(v->rec.power), sid, tiso(v->rec.issued, b));
		printf("%s,", tiso(v->life.served, b));
		printf("%s,%s,%s,%s,%s,%u\n", tiso(v->life.expires, b),
		    sch_status_code(v->status), sch_code_field(SCH_LIST_AGENCIES,
		    (unsigned)v->rec.agency, 0), v->rec.lsoa, v->rec.link ?
		    reg_record_id(v->rec.link, lid) : "", v->life.breaches);
	} else {
		printf("%-8s  %-23s  %-8s  %-16s  ", id,
		    sch_power_code(v->rec.power), sid, thuman(v->rec.issued, b));
		printf("%-16s  %s\n", v->life.expires ? thuman(v->life.expires,
		    b) : "no end date", sch_status_code(v->status));
	}
	return 0;
}

static int
cmd_list(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FIELD("type"), FIELD("status"),
		FIELD("subject"), FIELD("since"), FIELD("until"),
		{ NULL, 0, NULL, 0 } };
	struct list_opts l;
	struct asb_errbuf eb;
	int err;

	memset(&l, 0, sizeof(l));
	l.f.power = l.f.status = -1;
	l.c = c;
	if ((err = options(c, argc, argv, o, set_list, &l,
	    "usage: asbreg list [--type POWER] [--status S] [--subject ID] "
	    "[--since D] [--until D] [--json|--csv]\n"
	    "Records matching every filter given; --since/--until bound the "
	    "issue date (until is exclusive).\nS: active appealed expired "
	    "discharged revoked quashed.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	list_header(c);
	if ((err = reg_list(c->r, &l.f, c->now, list_one, &l, &eb)) == ASB_OK &&
	    l.n > 0)
		err = audit(c, REG_AUDIT_CONSULTATION, &l.ids, &eb);
	return finish(c, err, &eb);
}

struct hist {
	struct ctx	*c;
	struct idlist	 ids;
	int		 n;
	int		 err;
	struct asb_errbuf *eb;
};

static int
hist_one(const struct reg_view *v, void *ctx)
{
	struct hist *h = ctx;
	char id[REG_ID_BUF];

	ids_add(&h->ids, reg_record_id(v->rec.id, id));
	if (h->c->json)
		fputs(h->n ? "," : "", stdout);
	else
		fputc('\n', stdout);
	h->n++;
	h->err = print_record(h->c, v, stdout, h->c->json, &h->ids, h->eb);
	return h->err != ASB_OK;
}

static int
cmd_history(struct ctx *c, int argc, char **argv)
{
	struct hist h;
	struct reg_filter f = { -1, -1, 0, 0, 0 };
	struct reg_subject s;
	struct asb_errbuf eb;
	char id[REG_ID_BUF];
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL,
	    "usage: asbreg history SUBJECT [--json]\n"
	    "Every record about a person, premises or place, oldest first, with "
	    "its events and the\nrecords linked to it (the warning before a "
	    "notice, the authorisation behind a direction).\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one SUBJECT");
	if (reg_id_parse(argv[optind], 'S', &f.subject) == -1)
		return usage_error(c, "'%s' is not a subject ID (S and digits)",
		    argv[optind]);
	memset(&h, 0, sizeof(h));
	h.c = c;
	h.eb = &eb;
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_subject_get(c->r, f.subject, &s, &eb)) != ASB_OK)
		return finish(c, err, &eb);
	ids_add(&h.ids, reg_subject_id(s.id, id));
	if (c->json) {
		fputs("{\"subject\":", stdout);
		json_subject(stdout, &s);
		fputs(",\"records\":[", stdout);
	} else {
		print_subject(c, &s, 0);
	}
	err = reg_list(c->r, &f, c->now, hist_one, &h, &eb);
	if (err == ASB_OK)
		err = h.err;
	if (c->json)
		fputs("]}\n", stdout);
	else if (h.n == 0)
		puts("no records");
	if (err == ASB_OK)
		err = audit(c, REG_AUDIT_CONSULTATION, &h.ids, &eb);
	return finish(c, err, &eb);
}

/* ---- rectify: a subject's identity corrected, the old values kept -------------------------- */

struct fixes {
	const char	*name[16];
	const char	*val[16];
	int		 n;
};

static int
set_fix(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct fixes *x = obj;

	if (x->n == 16)
		return asb_fail(eb, ASB_EUSAGE, NULL, "too many fields");
	x->name[x->n] = name;
	x->val[x->n++] = val;
	return ASB_OK;
}

static int
cmd_rectify(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FIELD("name"), FIELD("dob"), FIELD("sex"),
		FIELD("ethnicity"), FIELD("pnc"), FIELD("address"), FIELD("uprn"),
		FIELD("description"), FIELD("lsoa"), FIELD("lad"), { NULL, 0, NULL, 0 } };
	struct fixes x = { { NULL }, { NULL }, 0 };
	struct reg_subject s;
	struct idlist ids = { "", 0, 0 };
	struct asb_errbuf eb;
	char id[REG_ID_BUF];
	uint64_t sid;
	int err, i, changed = 0;

	if ((err = options(c, argc, argv, o, set_fix, &x,
	    "usage: asbreg rectify SUBJECT [--name N] [--dob D] [--sex S] [--ethnicity C]\n"
	    "    [--pnc ID] [--address A] [--uprn N] [--description D] [--lsoa C] [--lad C]\n"
	    "    --reason TEXT\n"
	    "Correct what is held about a subject (DPA 2018 s46): each changed field is kept\n"
	    "with its old value, who changed it, when and why, and shown by history and\n"
	    "subject-export.  Logged as an alteration.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one SUBJECT");
	if (reg_id_parse(argv[optind], 'S', &sid) == -1)
		return usage_error(c, "'%s' is not a subject ID (S and digits)", argv[optind]);
	if (x.n == 0)
		return usage_error(c, "%s", "give the fields to correct (--name, --dob, ...)");
	if (c->reason == NULL || *c->reason == '\0')
		return usage_error(c, "%s", "give --reason: why the data is corrected");
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_subject_get(c->r, sid, &s, &eb)) == ASB_OK)
		for (i = 0; i < x.n && err == ASB_OK; i++) {
			if ((strcmp(x.name[i], "name") == 0 && s.kind != SCH_PERSON) ||
			    (strcmp(x.name[i], "address") == 0 && s.kind != SCH_PREMISES) ||
			    (strcmp(x.name[i], "description") == 0 && s.kind != SCH_PLACE) ||
			    ((strcmp(x.name[i], "dob") == 0 || strcmp(x.name[i], "sex") == 0 ||
			    strcmp(x.name[i], "ethnicity") == 0 || strcmp(x.name[i], "pnc") ==
			    0) && s.kind != SCH_PERSON) || (strcmp(x.name[i], "uprn") == 0 &&
			    s.kind != SCH_PREMISES))
				err = asb_fail(&eb, ASB_EUSAGE, NULL, "--%s: not a field of %s",
				    x.name[i], sch_subject_kind_code(s.kind));
			else
				err = reg_subject_set(&s, x.name[i], x.val[i], &eb);
		}
	if (err == ASB_OK)
		err = reg_subject_rectify(c->r, &s, c->user, c->now, c->reason, &changed, &eb);
	ids_add(&ids, reg_subject_id(sid, id));
	if (err == ASB_OK)
		err = audit(c, REG_AUDIT_ALTERATION, &ids, &eb);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	printf("%s: %d field%s corrected; the old value%s kept\n", id, changed,
	    changed == 1 ? "" : "s", changed == 1 ? " is" : "s are");
	return 0;
}

/* ---- review: the retention review of a record (R-RET-001) -------------------------------- */

static int
set_decision(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	int *d = obj;

	(void)val;
	if (strcmp(name, "retain") != 0 && strcmp(name, "dispose") != 0)
		return ASB_ENOTFOUND;
	if (*d != REG_REVIEW_NONE)
		return asb_fail(eb, ASB_EUSAGE, NULL, "give --retain or --dispose, not both");
	*d = strcmp(name, "retain") == 0 ? REG_REVIEW_RETAIN : REG_REVIEW_DISPOSE;
	return ASB_OK;
}

static int
cmd_review(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FLAG("retain"), FLAG("dispose"),
		{ NULL, 0, NULL, 0 } };
	struct reg_review_result res;
	struct idlist ids = { "", 0, 0 };
	struct asb_errbuf eb;
	char id[REG_ID_BUF], sid[REG_ID_BUF];
	uint64_t rid;
	int err, decision = REG_REVIEW_NONE;

	if ((err = options(c, argc, argv, o, set_decision, &decision,
	    "usage: asbreg review RECORD (--retain | --dispose) --reason TEXT\n"
	    "Decide a record's retention review once it is due ('asbreg due' lists them: 6\n"
	    "years after the record's life ended, R-RET-001).  --retain keeps it for another\n"
	    "review period.  --dispose erases its personal data (officers, conditions,\n"
	    "references, every event's note) and, when nothing else is kept about the\n"
	    "subject, the subject's identity; the statistical facts (power, dates, agency,\n"
	    "areas, event kinds and outcomes) stay.  Logged as an erasure.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one RECORD");
	if (reg_id_parse(argv[optind], 'R', &rid) == -1)
		return usage_error(c, "'%s' is not a record ID (R and digits)", argv[optind]);
	if (decision == REG_REVIEW_NONE)
		return usage_error(c, "%s", "give --retain or --dispose");
	if (c->reason == NULL || *c->reason == '\0')
		return usage_error(c, "%s", "give --reason: why the record is kept or disposed of");
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	err = reg_review(c->r, rid, decision, c->now, &res, &eb);
	ids_add(&ids, reg_record_id(rid, id));
	if (err == ASB_OK && res.subject_erased)
		ids_add(&ids, reg_subject_id(res.subject_erased, sid));
	if (err == ASB_OK)
		err = audit(c, decision == REG_REVIEW_DISPOSE ? REG_AUDIT_ERASURE :
		    REG_AUDIT_ALTERATION, &ids, &eb);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	if (decision == REG_REVIEW_RETAIN)
		printf("%s retained; reviewed again in one review period\n", id);
	else
		printf("%s disposed of: personal data erased (%llu events)%s%s\n", id,
		    (unsigned long long)res.events, res.subject_erased ?
		    "; the subject's identity erased: " : "", res.subject_erased ? sid : "");
	return 0;
}

/* ---- user: who may use the register, in which role --------------------------------------- */

struct user_opts {
	const char	*role;
};

static int
set_role(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	(void)eb;
	if (strcmp(name, "role") != 0)
		return ASB_ENOTFOUND;
	((struct user_opts *)obj)->role = val;
	return ASB_OK;
}

struct user_count {
	int		 n, data_team;
	int		 json, first;
};

static int
count_user(const char *name, int role, void *ctx)
{
	struct user_count *u = ctx;

	(void)name;
	u->n++;
	u->data_team += role == REG_ROLE_DATA_TEAM;
	return 0;
}

static int
print_user(const char *name, int role, void *ctx)
{
	struct user_count *u = ctx;

	if (u->json) {
		fputs(u->first ? "{" : ",{", stdout);
		json_kv_str(stdout, 1, "user", name);
		json_kv_str(stdout, 0, "role", reg_role_code(role));
		fputc('}', stdout);
	} else
		printf("%-24s %s\n", name, reg_role_code(role));
	u->first = 0;
	return 0;
}

static int
cmd_user(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FIELD("role"), { NULL, 0, NULL, 0 } };
	struct user_opts uo = { NULL };
	struct user_count before = { 0, 0, 0, 1 }, list = { 0, 0, 0, 1 };
	struct idlist ids = { "", 0, 0 };
	struct asb_errbuf eb;
	const char *verb, *name;
	char tok[ASB_MAX_SHORT + 32];
	int err, role = -1, old;

	if ((err = options(c, argc, argv, o, set_role, &uo,
	    "usage: asbreg user add NAME --role ROLE\n"
	    "       asbreg user set NAME --role ROLE\n"
	    "       asbreg user list [--json]\n"
	    "Who may use the register.  ROLE: officer (record and look up), supervisor (an\n"
	    "officer's, and import, restrict, audit, subject-export), data-team (everything,\n"
	    "users included), auditor (look up, audit, subject-export; nothing changed).  Once\n"
	    "a register has a user every command checks the acting user (--as, $ASB_USER or the\n"
	    "login name); the first user must be data-team.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind >= argc)
		return usage_error(c, "%s", "give add, set or list");
	verb = argv[optind];
	if (strcmp(verb, "list") == 0) {
		if (optind + 1 != argc)
			return usage_error(c, "%s", "list takes no arguments");
		if ((err = open_reg(c, 0, &eb)) != ASB_OK)
			return fail(c, err, &eb);
		list.json = c->json;
		if (c->json)
			fputc('[', stdout);
		err = reg_user_each(c->r, print_user, &list, &eb);
		if (c->json)
			fputs("]\n", stdout);
		else if (list.first)
			puts("no users: every command is allowed until the first is added");
		return finish(c, err, &eb);
	}
	if ((strcmp(verb, "add") != 0 && strcmp(verb, "set") != 0) || optind + 2 != argc)
		return usage_error(c, "%s", "give add NAME --role ROLE, set NAME --role ROLE, "
		    "or list");
	name = argv[optind + 1];
	if (uo.role == NULL || (role = reg_role_parse(uo.role)) < 0)
		return usage_error(c, "give --role: officer, supervisor, data-team or auditor%s",
		    uo.role ? "" : "");
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_user_each(c->r, count_user, &before, &eb)) != ASB_OK)
		return finish(c, err, &eb);
	err = reg_user_get(c->r, name, &old, &eb);
	if (strcmp(verb, "add") == 0 && err == ASB_OK)
		err = asb_fail(&eb, ASB_ECONFLICT, NULL, "%s is a user already (%s): use "
		    "'asbreg user set'", name, reg_role_code(old));
	else if (strcmp(verb, "add") == 0 && err == ASB_ENOTFOUND)
		err = ASB_OK;
	if (err == ASB_OK && before.n == 0 && role != REG_ROLE_DATA_TEAM)
		err = asb_fail(&eb, ASB_EUSAGE, NULL, "the first user must be data-team, who "
		    "then adds the others");
	if (err == ASB_OK && strcmp(verb, "set") == 0 && old == REG_ROLE_DATA_TEAM &&
	    role != REG_ROLE_DATA_TEAM && before.data_team == 1)
		err = asb_fail(&eb, ASB_ECONFLICT, NULL, "%s is the last data-team user: "
		    "make another first, or nobody could manage users", name);
	if (err == ASB_OK)
		err = reg_user_set(c->r, name, role, &eb);
	snprintf(tok, sizeof(tok), "user:%s=%s", name, reg_role_code(role));
	ids_add(&ids, tok);
	if (err == ASB_OK)
		err = audit(c, REG_AUDIT_ALTERATION, &ids, &eb);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	printf("%s: %s\n", name, reg_role_code(role));
	return 0;
}

/* ---- restrict: a restriction of processing (DPA 2018 s47) ------------------------------ */

static int
set_lift(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	(void)val;
	(void)eb;
	if (strcmp(name, "lift") != 0)
		return ASB_ENOTFOUND;
	*(int *)obj = 1;
	return ASB_OK;
}

static int
cmd_restrict(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FLAG("lift"), { NULL, 0, NULL, 0 } };
	struct idlist ids = { "", 0, 0 };
	struct asb_errbuf eb;
	char id[REG_ID_BUF];
	uint64_t sid;
	int err, lift = 0;

	if ((err = options(c, argc, argv, o, set_lift, &lift,
	    "usage: asbreg restrict SUBJECT --reason TEXT\n"
	    "       asbreg restrict SUBJECT --lift [--reason TEXT]\n"
	    "Restrict processing of what the register holds about a subject (DPA 2018 s47:\n"
	    "its accuracy is contested, or it must be kept as evidence): it stays stored and\n"
	    "can be read and exported, but no record or event about the subject may be added\n"
	    "(R-DPA-001) until the restriction is lifted.  Both are logged.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one SUBJECT");
	if (reg_id_parse(argv[optind], 'S', &sid) == -1)
		return usage_error(c, "'%s' is not a subject ID (S and digits)", argv[optind]);
	if (!lift && (c->reason == NULL || *c->reason == '\0'))
		return usage_error(c, "%s", "give --reason: why processing is restricted");
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	err = reg_subject_restrict(c->r, sid, lift ? 0 : c->now, c->reason, &eb);
	ids_add(&ids, reg_subject_id(sid, id));
	if (err == ASB_OK)
		err = audit(c, REG_AUDIT_ALTERATION, &ids, &eb);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	if (c->json)
		printf("{\"subject\":\"%s\",\"restricted\":%s}\n", id, lift ? "false" :
		    "true");
	else
		printf("%s: processing %s\n", id, lift ? "no longer restricted" :
		    "restricted");
	return 0;
}

/* ---- subject-export: everything held about a person, for a subject access request ---- */

struct sar {
	struct hist	 h;
	uint64_t	 subject;
	uint64_t	*recs;		/* the subject's record IDs, for matching the audit log */
	size_t		 n, cap;
	int		 naudit;
};

static int
sar_record(const struct reg_view *v, void *ctx)
{
	struct sar *s = ctx;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint64_t *p = realloc(s->recs, cap * sizeof(*p));

		if (p == NULL) {
			s->h.err = asb_fail(s->h.eb, ASB_EIO, NULL, "out of memory");
			return 1;
		}
		s->recs = p;
		s->cap = cap;
	}
	s->recs[s->n++] = v->rec.id;
	return hist_one(v, &s->h);
}

/* Does an audit entry name the subject or one of its records? */
static int
sar_names(const struct sar *s, const char *ids)
{
	char buf[sizeof(((struct reg_audit *)0)->ids)], *tok, *save = NULL;
	uint64_t id;
	size_t i;

	snprintf(buf, sizeof(buf), "%s", ids);
	for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		if (reg_id_parse(tok, 'S', &id) == 0 && id == s->subject)
			return 1;
		if (reg_id_parse(tok, 'R', &id) == 0)
			for (i = 0; i < s->n; i++)
				if (s->recs[i] == id)
					return 1;
	}
	return 0;
}

static int
sar_audit(const struct reg_audit *a, void *ctx)
{
	struct sar *s = ctx;
	char t[ASB_TIME_BUF];

	if (!sar_names(s, a->ids))
		return 0;
	asb_time_iso(a->time, t, sizeof(t));
	if (s->h.c->json) {
		fputs(s->naudit ? ",{" : "{", stdout);
		json_kv_int(stdout, 1, "seq", (int64_t)a->seq);
		json_kv_str(stdout, 0, "time", t);
		json_kv_str(stdout, 0, "operation", reg_audit_op_code(a->op));
		json_kv_str(stdout, 0, "user", a->user);
		json_kv_str(stdout, 0, "command", a->command);
		json_kv_strn(stdout, 0, "reason", a->reason[0] ? a->reason : NULL);
		fputc('}', stdout);
	} else
		printf("  %6llu  %s  %-12s %-10s %-14s %s\n", (unsigned long long)a->seq, t,
		    reg_audit_op_code(a->op), a->user, a->command, a->reason);
	s->naudit++;
	return 0;
}

static int
cmd_subject_export(struct ctx *c, int argc, char **argv)
{
	struct sar s;
	struct reg_filter f = { -1, -1, 0, 0, 0 };
	struct reg_subject subj;
	struct asb_errbuf eb;
	char id[REG_ID_BUF], t[ASB_TIME_BUF];
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL,
	    "usage: asbreg subject-export SUBJECT [--json]\n"
	    "Everything the register holds about a person, premises or place, for a "
	    "subject access\nrequest (DPA 2018 s45): the identity as held, every record "
	    "with its events and links,\nand every entry of the audit log that names "
	    "them (who collected, consulted, changed\nor disclosed it, and when).  The "
	    "export itself is logged as a disclosure.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one SUBJECT");
	memset(&s, 0, sizeof(s));
	if (reg_id_parse(argv[optind], 'S', &s.subject) == -1)
		return usage_error(c, "'%s' is not a subject ID (S and digits)",
		    argv[optind]);
	f.subject = s.subject;
	s.h.c = c;
	s.h.eb = &eb;
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_subject_get(c->r, s.subject, &subj, &eb)) != ASB_OK)
		return finish(c, err, &eb);
	ids_add(&s.h.ids, reg_subject_id(subj.id, id));
	asb_time_iso(c->now, t, sizeof(t));
	if (c->json) {
		fputs("{\"export\":{", stdout);
		json_kv_str(stdout, 1, "subject", id);
		json_kv_str(stdout, 0, "force", reg_force(c->r));
		json_kv_str(stdout, 0, "made", t);
		json_kv_str(stdout, 0, "by", c->user);
		fputs("},\"subject\":", stdout);
		json_subject(stdout, &subj);
		fputs(",\"records\":[", stdout);
	} else {
		printf("Subject access export: everything the register of %s holds about %s\n"
		    "made %s by %s\n\n", reg_force(c->r), id, t, c->user);
		print_subject(c, &subj, 1);
	}
	err = reg_list(c->r, &f, c->now, sar_record, &s, &eb);
	if (err == ASB_OK)
		err = s.h.err;
	if (c->json)
		fputs("],\"audit\":[", stdout);
	else
		printf("%s\nThe audit log's entries that name %s or its records (an entry "
		    "that touched more\nthan 32 IDs names the first 32):\n", s.h.n ? "" :
		    "no records\n", id);
	if (err == ASB_OK)
		err = reg_audit_each(c->r, sar_audit, &s, &eb);
	if (c->json)
		fputs("]}\n", stdout);
	else if (s.naudit == 0)
		puts("  none");
	free(s.recs);
	if (err == ASB_OK)
		err = audit(c, REG_AUDIT_DISCLOSURE, &s.h.ids, &eb);
	return finish(c, err, &eb);
}

struct find_ctx {
	struct ctx	*c;
	struct idlist	 ids;
};

static int
find_one(const struct reg_subject *s, void *ctx)
{
	struct find_ctx *fc = ctx;
	char id[REG_ID_BUF], day[16];

	ids_add(&fc->ids, reg_subject_id(s->id, id));
	if (fc->c->json) {
		json_subject(stdout, s);
		putchar('\n');
		return 0;
	}
	printf("%-8s  %-8s  %s", id, sch_subject_kind_code(s->kind), s->name);
	if (s->kind == SCH_PERSON)
		printf(", born %s", asb_day_format(s->dob, day, sizeof(day)));
	if (s->pnc[0] != '\0')
		printf(", PNC %s", s->pnc);
	if (s->lsoa[0] != '\0')
		printf(", LSOA %s", s->lsoa);
	putchar('\n');
	return 0;
}

static int
cmd_find(struct ctx *c, int argc, char **argv)
{
	struct find_ctx fc;
	struct asb_errbuf eb;
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL,
	    "usage: asbreg find TEXT [--json]\n"
	    "People, premises and places whose name, address, description, PNC "
	    "ID or UPRN contains TEXT\n(case does not matter).  Exit 3 when "
	    "nothing matches.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc || argv[optind][0] == '\0')
		return usage_error(c, "%s", "give one non-empty TEXT");
	memset(&fc, 0, sizeof(fc));
	fc.c = c;
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_subject_find(c->r, argv[optind], find_one, &fc, &eb)) ==
	    ASB_OK && fc.ids.count > 0)
		err = audit(c, REG_AUDIT_CONSULTATION, &fc.ids, &eb);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	if (fc.ids.count == 0) {
		fprintf(stderr, "asbreg: find: nothing matches\n");
		return ASB_ENOTFOUND;
	}
	return 0;
}

static int
set_number(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	int64_t v;
	const char *why;

	(void)name;
	if (asb_strtonum(val, 0, 36500, &v, &why) == -1)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--%s: '%s' is %s", name,
		    val, why);
	*(int64_t *)obj = v;
	return ASB_OK;
}

static int
cmd_due(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FIELD("within"), { NULL, 0, NULL, 0 } };
	struct reg_due *items;
	struct asb_errbuf eb;
	struct idlist ids = { "", 0, 0 };
	char id[REG_ID_BUF], sid[REG_ID_BUF], b[ASB_TIME_BUF];
	int64_t days = 30;
	size_t n = 0, total = 0, i;
	int err;

	if ((err = options(c, argc, argv, o, set_number, &days,
	    "usage: asbreg due [--within DAYS] [--json]\n"
	    "What needs attention within DAYS (default 30), earliest first: "
	    "expiries, youth CBO annual\nreviews (s28), closure order hearings "
	    "(s80, 48 hours after a notice is served) and retention\nreviews "
	    "(R-RET-001).  Overdue reviews and hearings are included.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	if ((items = calloc(DUE_MAX, sizeof(*items))) == NULL) {
		fprintf(stderr, "asbreg: due: out of memory\n");
		return ASB_EIO;
	}
	if ((err = open_reg(c, 1, &eb)) != ASB_OK) {
		free(items);
		return fail(c, err, &eb);
	}
	err = reg_due(c->r, c->now, days * 86400, items, DUE_MAX, &n, &total,
	    &eb);
	if (err == ASB_OK && !c->json)
		printf("%-16s  %-17s  %-8s  %-23s  %s\n", "DUE", "WHAT", "RECORD",
		    "POWER", "SUBJECT");
	for (i = 0; err == ASB_OK && i < n; i++) {
		reg_record_id(items[i].record, id);
		reg_subject_id(items[i].subject, sid);
		ids_add(&ids, id);
		if (c->json) {
			fputc('{', stdout);
			json_time(stdout, 1, "due", items[i].when);
			json_kv_str(stdout, 0, "what",
			    reg_due_kind_code(items[i].kind));
			json_kv_str(stdout, 0, "record", id);
			json_kv_str(stdout, 0, "power",
			    sch_power_code(items[i].power));
			json_kv_str(stdout, 0, "subject", sid);
			json_kv_bool(stdout, 0, "overdue", items[i].when < c->now);
			fputs("}\n", stdout);
		} else
			printf("%-16s  %-17s  %-8s  %-23s  %s%s\n",
			    thuman(items[i].when, b),
			    reg_due_kind_code(items[i].kind), id,
			    sch_power_code(items[i].power), sid,
			    items[i].when < c->now ? "  OVERDUE" : "");
	}
	if (err == ASB_OK && total > n)
		fprintf(stderr, "asbreg: due: %zu more not listed; narrow "
		    "--within\n", total - n);
	if (err == ASB_OK && ids.count > 0)
		err = audit(c, REG_AUDIT_CONSULTATION, &ids, &eb);
	free(items);
	return finish(c, err, &eb);
}

struct repeat_opts {
	asb_time	 since;
	int64_t		 min;
	struct ctx	*c;
	struct idlist	 ids;
};

static int
set_repeat(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct repeat_opts *ro = obj;

	if (strcmp(name, "since") == 0) {
		if (asb_time_parse(val, &ro->since) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--since: '%s' is "
			    "not a date (YYYY-MM-DD)", val);
		return ASB_OK;
	}
	if (strcmp(name, "min") == 0) {
		const char *why;

		if (asb_strtonum(val, 1, 1000000, &ro->min, &why) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--min: '%s' is %s",
			    val, why);
		return ASB_OK;
	}
	return ASB_ENOTFOUND;
}

static int
repeat_one(const struct reg_repeat *rp, void *ctx)
{
	struct repeat_opts *ro = ctx;
	char a[ASB_TIME_BUF], b[ASB_TIME_BUF];
	const char *what = rp->kind == SCH_PERSON ? "repeat-subject" :
	    "repeat-location";
	const char *kind = rp->kind == 0 ? "lsoa" :
	    sch_subject_kind_code(rp->kind);

	ids_add(&ro->ids, rp->key);
	if (ro->c->json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "what", what);
		json_kv_str(stdout, 0, "key", rp->key);
		json_kv_str(stdout, 0, "kind", kind);
		json_kv_int(stdout, 0, "records", (int64_t)rp->count);
		json_time(stdout, 0, "first", rp->first);
		json_time(stdout, 0, "last", rp->last);
		fputs("}\n", stdout);
	} else
		printf("%-15s  %-9s  %-8s  %7" PRIu64 "  %-16s  %s\n", what,
		    rp->key, kind, rp->count, thuman(rp->first, a),
		    thuman(rp->last, b));
	return 0;
}

static int
cmd_repeat(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FIELD("since"), FIELD("min"),
		{ NULL, 0, NULL, 0 } };
	struct repeat_opts ro;
	struct asb_errbuf eb;
	int err;

	memset(&ro, 0, sizeof(ro));
	ro.since = asb_time_add_months(c->now, -12);
	ro.min = 3;
	ro.c = c;
	if ((err = options(c, argc, argv, o, set_repeat, &ro,
	    "usage: asbreg repeat [--since D] [--min N] [--json]\n"
	    "People with N or more records issued since D (repeat subjects), "
	    "and premises, places\nand LSOAs with N or more (repeat "
	    "locations).  Defaults: the last 12 months, N = 3.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if (!c->json)
		printf("%-15s  %-9s  %-8s  %7s  %-16s  %s\n", "WHAT", "KEY",
		    "KIND", "RECORDS", "FIRST", "LAST");
	if ((err = reg_repeat(c->r, ro.since, (uint64_t)ro.min, repeat_one, &ro,
	    &eb)) == ASB_OK && ro.ids.count > 0)
		err = audit(c, REG_AUDIT_CONSULTATION, &ro.ids, &eb);
	return finish(c, err, &eb);
}

static void
import_progress(uint64_t done, void *ctx)
{
	progress_update(ctx, done);
}

static int
cmd_import(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FIELD("rejects"), { NULL, 0, NULL, 0 } };
	struct reg_import_result res;
	struct idlist ids = { "", 0, 0 };
	struct asb_errbuf eb;
	struct progress *pr;
	struct stat st;
	const char *rejects_path = NULL;
	char a[REG_ID_BUF], b[REG_ID_BUF];
	FILE *in, *rej = NULL;
	int err;

	if ((err = options(c, argc, argv, o, set_only, &rejects_path,
	    "usage: asbreg import FILE.csv [--rejects FILE]\n"
	    "Load records (or events) from CSV with the columns in docs/import.md."
	    "  All or nothing:\nthe first bad row stops the import and nothing is "
	    "stored, unless --rejects is given, when\nbad rows go to that file "
	    "with an error column, the rest are stored, and the exit is 1 if\n"
	    "any row was rejected.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one FILE");
	if ((in = fopen(argv[optind], "r")) == NULL) {
		asb_fail(&eb, ASB_ENOTFOUND, NULL, "%s: cannot open", argv[optind]);
		return fail(c, ASB_ENOTFOUND, &eb);
	}
	if (rejects_path != NULL && (rej = fopen(rejects_path, "w")) == NULL) {
		fclose(in);
		asb_fail(&eb, ASB_EIO, NULL, "%s: cannot create", rejects_path);
		return fail(c, ASB_EIO, &eb);
	}
	if ((err = open_reg(c, 1, &eb)) != ASB_OK) {
		fclose(in);
		if (rej != NULL)
			fclose(rej);
		return fail(c, err, &eb);
	}
	pr = progress_new("importing", fstat(fileno(in), &st) == 0 ?
	    (uint64_t)st.st_size : 0);
	err = reg_import(c->r, in, rej, c->user, c->now, import_progress, pr,
	    &res, &eb);
	progress_free(pr);
	fclose(in);
	if (err == ASB_OK && res.first != 0) {
		snprintf(ids.buf, sizeof(ids.buf), "%s..%s",
		    reg_record_id(res.first, a), reg_record_id(res.last, b));
		ids.count = res.records + res.events;
		err = audit(c, REG_AUDIT_COLLECTION, &ids, &eb);
	}
	if (rej != NULL && fclose(rej) != 0 && err == ASB_OK)
		err = asb_fail(&eb, ASB_EIO, NULL, "%s: write failed",
		    rejects_path);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	if (c->json)
		printf("{\"rows\":%" PRIu64 ",\"records\":%" PRIu64 ",\"events\":%"
		    PRIu64 ",\"subjects\":%" PRIu64 ",\"rejected\":%" PRIu64 "}\n",
		    res.rows, res.records, res.events, res.subjects, res.rejected);
	else
		printf("imported %" PRIu64 " records, %" PRIu64 " events and %"
		    PRIu64 " new subjects from %" PRIu64 " rows; %" PRIu64
		    " rejected\n", res.records, res.events, res.subjects,
		    res.rows, res.rejected);
	if (res.rejected > 0) {
		fprintf(stderr, "asbreg: import: %" PRIu64 " rows rejected: see "
		    "%s\n", res.rejected, rejects_path);
		return ASB_ERULE;
	}
	return 0;
}

struct export_ctx {
	struct ctx	*c;
	int		 events;
	uint64_t	 n;
	int		 err;
	struct asb_errbuf *eb;
};

static int
export_event_csv(const struct reg_event *ev, void *ctx)
{
	char id[REG_ID_BUF], b[ASB_TIME_BUF], amount[32] = "";
	struct export_ctx *x = ctx;
	struct reg_record rec;

	if (reg_record_get(x->c->r, ev->record, &rec, x->eb) != ASB_OK)
		return 1;
	if (ev->amount >= 0)
		snprintf(amount, sizeof(amount), "%" PRId64 ".%02" PRId64,
		    ev->amount / 100, ev->amount % 100);
	csv_field(stdout, rec.ref[0] ? rec.ref : reg_record_id(ev->record, id));
	printf(",%s,%s,", sch_event_code(ev->kind), tiso(ev->date, b));
	printf("%s,", tiso(ev->until, b));
	csv_field(stdout, ev->outcome);
	putchar(',');
	csv_field(stdout, ev->note);
	putchar(',');
	csv_field(stdout, ev->by);
	putchar(',');
	csv_field(stdout, ev->rank);
	printf(",%s\n", amount);
	return 0;
}

/* Records as CSV in the import's own columns, so an export loads into another register. */
static int
export_one(const struct reg_view *v, void *ctx)
{
	struct export_ctx *x = ctx;
	const struct reg_record *rec = &v->rec;
	struct reg_subject s;
	struct reg_record link;
	char id[REG_ID_BUF], b[ASB_TIME_BUF], day[16];

	x->n++;
	if (x->c->json) {
		x->err = print_record(x->c, v, stdout, 1, NULL, x->eb);
		putchar('\n');
		return x->err != ASB_OK;
	}
	if (x->events) {
		x->err = reg_event_each(x->c->r, rec->id, export_event_csv, x,
		    x->eb);
		return x->err != ASB_OK;
	}
	if ((x->err = reg_subject_get(x->c->r, rec->subject, &s, x->eb)) !=
	    ASB_OK)
		return 1;
	csv_field(stdout, rec->ref[0] ? rec->ref : reg_record_id(rec->id, id));
	printf(",%s,%s,", sch_power_code(rec->power),
	    sch_subject_kind_code(s.kind));
	csv_field(stdout, s.kind == SCH_PERSON ? s.name : "");
	printf(",%s,%s,%s,", s.kind == SCH_PERSON ? asb_day_format(s.dob, day,
	    sizeof(day)) : "", s.sex, s.ethnicity);
	csv_field(stdout, s.pnc);
	putchar(',');
	csv_field(stdout, s.kind == SCH_PREMISES ? s.name : "");
	printf(",%s,", s.uprn);
	csv_field(stdout, s.kind == SCH_PLACE ? s.name : "");
	printf(",%s,%s,%s,", s.lsoa, s.lad, tiso(rec->issued, b));
	printf("%s,", tiso(rec->served, b));
	printf("%s,", tiso(rec->expires, b));
	csv_field(stdout, rec->by);
	putchar(',');
	csv_field(stdout, rec->authorised_by);
	printf(",%s,%s,", rec->rank, sch_code_field(SCH_LIST_AGENCIES,
	    (unsigned)rec->agency, 0));
	csv_field(stdout, rec->conditions);
	printf(",%s,%s,", rec->lsoa, rec->lad);
	if (rec->link != 0) {
		if ((x->err = reg_record_get(x->c->r, rec->link, &link,
		    x->eb)) != ASB_OK)
			return 1;
		csv_field(stdout, link.ref[0] ? link.ref :
		    reg_record_id(link.id, id));
	}
	putchar(',');
	csv_field(stdout, rec->incident);
	putchar('\n');
	return 0;
}

static int
cmd_export(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FLAG("events"), { NULL, 0, NULL, 0 } };
	struct reg_filter f = { -1, -1, 0, 0, 0 };
	struct export_ctx x;
	struct idlist ids = { "", 0, 0 };
	struct asb_errbuf eb;
	const char *events = NULL;
	int err;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.eb = &eb;
	if ((err = options(c, argc, argv, o, set_only, &events,
	    "usage: asbreg export [--json | --csv [--events]]\n"
	    "Everything in the register, with personal data: a disclosure, "
	    "logged as one.  --json\n(the default) writes one record a line with "
	    "its subject and events; --csv writes records\nin the columns "
	    "'asbreg import' reads, --csv --events their events likewise.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	x.events = events != NULL;
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	if (c->json && c->csv)
		return usage_error(c, "%s", "give --json or --csv, not both");
	if (!c->csv)
		c->json = 1;
	if (x.events && !c->csv)
		return usage_error(c, "%s", "--events goes with --csv");
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if (c->csv && x.events)
		puts("record,kind,date,until,outcome,note,by,rank,amount");
	else if (c->csv)
		puts("ref,power,subject_kind,name,dob,sex,ethnicity,pnc,address,"
		    "uprn,description,subject_lsoa,subject_lad,issued,served,"
		    "expires,by,authorised_by,rank,agency,conditions,lsoa,lad,links,"
		    "incident");
	err = reg_list(c->r, &f, c->now, export_one, &x, &eb);
	if (err == ASB_OK)
		err = x.err;
	if (err == ASB_OK) {
		snprintf(ids.buf, sizeof(ids.buf), "all records%s",
		    x.events ? " (events)" : "");
		ids.count = x.n;
		err = audit(c, REG_AUDIT_DISCLOSURE, &ids, &eb);
	}
	return finish(c, err, &eb);
}

static void
hex(const unsigned char *h, char *out)
{
	int i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static int
audit_one(const struct reg_audit *a, void *ctx)
{
	const struct ctx *c = ctx;
	char b[ASB_TIME_BUF], h[65];

	if (c->json) {
		fputc('{', stdout);
		json_kv_int(stdout, 1, "seq", (int64_t)a->seq);
		json_time(stdout, 0, "time", a->time);
		json_kv_str(stdout, 0, "user", a->user);
		json_kv_str(stdout, 0, "operation", reg_audit_op_code(a->op));
		json_kv_str(stdout, 0, "command", a->command);
		json_kv_str(stdout, 0, "ids", a->ids);
		json_kv_int(stdout, 0, "count", (int64_t)a->count);
		json_kv_strn(stdout, 0, "reason", a->reason);
		hex(a->hash, h);
		json_kv_str(stdout, 0, "hash", h);
		fputs("}\n", stdout);
	} else
		printf("%6" PRIu64 "  %s  %-12s  %-12s  %-8s  %s%s%s\n", a->seq,
		    asb_time_iso(a->time, b, sizeof(b)), a->user,
		    reg_audit_op_code(a->op), a->command, a->ids,
		    a->reason[0] ? "  reason: " : "", a->reason);
	return 0;
}

static int
cmd_audit(struct ctx *c, int argc, char **argv)
{
	static const struct option o[] = { FLAG("verify"), { NULL, 0, NULL, 0 } };
	const char *verify = NULL;
	struct asb_errbuf eb;
	uint64_t n;
	int err;

	if ((err = options(c, argc, argv, o, set_only, &verify,
	    "usage: asbreg audit [--verify] [--json]\n"
	    "The Data Protection Act 2018 s62 log: who collected, altered, "
	    "consulted, disclosed or\nerased what, and when.  --verify checks "
	    "the hash chain and exits 1 (R-AUD-001) at the\nfirst entry changed "
	    "or removed.\n")) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	if ((err = open_reg(c, 0, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if (verify != NULL) {
		if ((err = reg_audit_verify(c->r, &n, &eb)) == ASB_OK) {
			if (c->json)
				printf("{\"verified\":true,\"entries\":%" PRIu64
				    "}\n", n);
			else
				printf("audit log verified: %" PRIu64 " entries, "
				    "chain intact\n", n);
		}
	} else
		err = reg_audit_each(c->r, audit_one, c, &eb);
	return finish(c, err, &eb);
}

static int
cmd_codes(struct ctx *c, int argc, char **argv)
{
	static const struct { const char *name; enum sch_list list; } lists[] = {
		{ "forces", SCH_LIST_FORCES }, { "powers", SCH_LIST_POWERS },
		{ "ethnicity", SCH_LIST_ETHNICITY }, { "sex", SCH_LIST_SEX },
		{ "ranks", SCH_LIST_RANKS }, { "agencies", SCH_LIST_AGENCIES },
		{ "events", SCH_LIST_EVENTS }, { "outcomes", SCH_LIST_OUTCOMES } };
	size_t i, want = (size_t)-1;
	unsigned j, name_col;
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL,
	    "usage: asbreg codes [forces|powers|ethnicity|sex|ranks|agencies|"
	    "events|outcomes] [--json]\nThe national code lists the register "
	    "accepts.\n")) >= 0)
		return err;
	if (optind + 1 < argc)
		return usage_error(c, "unexpected '%s'", argv[optind + 1]);
	if (optind < argc) {
		for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
			if (strcmp(argv[optind], lists[i].name) == 0)
				want = i;
		if (want == (size_t)-1)
			return usage_error(c, "'%s' is not a code list",
			    argv[optind]);
	}
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		if (want != (size_t)-1 && i != want)
			continue;
		/* The name is the last column of every list. */
		for (name_col = 1; sch_code_field(lists[i].list, 0,
		    name_col + 1)[0] != '\0'; name_col++)
			;
		if (want == (size_t)-1 && !c->json)
			printf("%s:\n", lists[i].name);
		for (j = 0; j < sch_code_count(lists[i].list); j++) {
			if (c->json) {
				fputc('{', stdout);
				json_kv_str(stdout, 1, "list", lists[i].name);
				json_kv_str(stdout, 0, "code",
				    sch_code_field(lists[i].list, j, 0));
				json_kv_str(stdout, 0, "name",
				    sch_code_field(lists[i].list, j, name_col));
				fputs("}\n", stdout);
			} else
				printf("  %-24s %s\n", sch_code_field(
				    lists[i].list, j, 0), sch_code_field(
				    lists[i].list, j, name_col));
		}
	}
	return 0;
}

static int
cmd_rules(struct ctx *c, int argc, char **argv)
{
	const struct sch_rule *r;
	unsigned i;
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL,
	    "usage: asbreg rules [--json]\nThe statutory rules every write is "
	    "checked against, with their limits and the date\neach limit came "
	    "into force (schema/rules.tsv).\n")) >= 0)
		return err;
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	for (i = 0; (r = sch_rule_at(i)) != NULL; i++) {
		char from[16];

		snprintf(from, sizeof(from), "%04d-%02d-%02d", r->from / 10000,
		    r->from / 100 % 100, r->from % 100);
		if (c->json) {
			fputc('{', stdout);
			json_kv_str(stdout, 1, "id", r->id);
			json_kv_str(stdout, 0, "power", r->power < 0 ? "*" :
			    sch_power_code(r->power));
			json_kv_str(stdout, 0, "param", r->param);
			json_kv_str(stdout, 0, "value", r->value);
			json_kv_str(stdout, 0, "unit", r->unit);
			json_kv_str(stdout, 0, "from", from);
			json_kv_str(stdout, 0, "severity", r->warning ?
			    "warning" : "error");
			json_kv_str(stdout, 0, "section", r->section);
			json_kv_str(stdout, 0, "text", r->text);
			fputs("}\n", stdout);
		} else
			printf("%-11s %-23s %-8s %-16s %s %s (%s)\n", r->id,
			    r->power < 0 ? "*" : sch_power_code(r->power),
			    strcmp(r->value, "-") ? r->value : "", strcmp(r->unit,
			    "-") ? r->unit : "", from, r->text, r->section);
	}
	return 0;
}

/* ---- main ------------------------------------------------------------------------------------ */

static const struct {
	const char	*name;
	int		(*fn)(struct ctx *, int, char **);
} commands[] = {
	{ "init", cmd_init }, { "person", cmd_subject },
	{ "premises", cmd_subject }, { "place", cmd_subject },
	{ "find", cmd_find }, { "add", cmd_add }, { "event", cmd_event },
	{ "show", cmd_show }, { "list", cmd_list }, { "history", cmd_history },
	{ "subject-export", cmd_subject_export }, { "restrict", cmd_restrict },
	{ "user", cmd_user }, { "review", cmd_review }, { "rectify", cmd_rectify },
	{ "due", cmd_due }, { "repeat", cmd_repeat }, { "import", cmd_import },
	{ "export", cmd_export }, { "audit", cmd_audit }, { "codes", cmd_codes },
	{ "rules", cmd_rules }
};

int
main(int argc, char **argv)
{
	struct ctx c;
	struct passwd *pw;
	const char *env;
	size_t i;
	int first = 1;

	memset(&c, 0, sizeof(c));
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
	/* Global options before the command: -d DIR, --as USER, --reason T. */
	while (first < argc && argv[first][0] == '-') {
		if (strcmp(argv[first], "--help") == 0 ||
		    strcmp(argv[first], "-h") == 0) {
			usage_line(stdout);
			return 0;
		}
		if (strcmp(argv[first], "--version") == 0) {
			printf("asbreg %s\n", ASBREG_VERSION);
			return 0;
		}
		if (first + 1 >= argc)
			break;
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
	if (first >= argc || argv[first][0] == '-') {
		usage_line(stderr);
		return ASB_EUSAGE;
	}
	if (strcmp(argv[first], "help") == 0) {
		usage_line(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[first], commands[i].name) != 0)
			continue;
		c.cmd = commands[i].name;
		return commands[i].fn(&c, argc - first, argv + first);
	}
	fprintf(stderr, "asbreg: %s: unknown command\n", argv[first]);
	usage_line(stderr);
	return ASB_EUSAGE;
}
