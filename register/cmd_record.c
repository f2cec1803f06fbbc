/*
 * cmd_record.c - creating a register, registering subjects, recording uses of powers and
 * their events, showing a record.
 */
#include <errno.h>
#include <string.h>

#include "asbreg.h"

int
run_init(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FIELD("force"), { NULL, 0, NULL, 0 } };
	struct asb_errbuf eb;
	const char *force = NULL;
	int err;

	if ((err = options(c, argc, argv, o, set_only, &force)) >= 0)
		return err;
	if (force == NULL || optind != argc)
		return usage_error(c, "%s", "give --force CODE and nothing else");
	asb_errbuf_clear(&eb);
	if ((err = reg_init(c->dir, force, c->user, c->now, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	printf("register for %s created in %s\n", force, c->dir);
	return 0;
}

struct subject_opts {
	struct reg_subject s;
	int		 is_new;	/* --new: a close match is another person */
};

static int
set_subject(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct subject_opts *so = obj;

	if (strcmp(name, "new") == 0) {
		so->is_new = 1;
		return ASB_OK;
	}
	return reg_subject_set(&so->s, name, val, eb);
}

int
run_subject(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option person[] = { FIELD("name"), FIELD("dob"),
		FIELD("sex"), FIELD("ethnicity"), FIELD("pnc"), FIELD("lsoa"),
		FIELD("lad"), FLAG("new"), { NULL, 0, NULL, 0 } };
	static const struct option premises[] = { FIELD("address"),
		FIELD("uprn"), FIELD("lsoa"), FIELD("lad"), { NULL, 0, NULL, 0 } };
	static const struct option place[] = { FIELD("description"),
		FIELD("lsoa"), FIELD("lad"), { NULL, 0, NULL, 0 } };
	struct subject_opts so;
	struct reg_subject *sp = &so.s;
	struct asb_errbuf eb;
	char id[REG_ID_BUF];
	const struct option *o;
	int err;

	memset(&so, 0, sizeof(so));
	sp->kind = sch_subject_kind_from_code(c->name);
	o = sp->kind == SCH_PERSON ? person : sp->kind == SCH_PREMISES ? premises : place;
	if ((err = options(c, argc, argv, o, set_subject, &so)) >= 0)
		return err;
	if (optind + 1 != argc || strcmp(argv[optind], "add") != 0)
		return usage_error(c, "%s", "the only subcommand is 'add'");
	asb_errbuf_clear(&eb);
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_subject_add_checked(c->r, sp, so.is_new, c->now, NULL, &eb)) ==
	    ASB_OK) {
		reg_subject_id(sp->id, id);
		touch_subject(c, sp->id);
		err = audit(c, REG_AUDIT_COLLECTION, NULL, 0, &eb);
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
	int		 duplicate_ok;
	int		 conditions;	/* given: --conditions or --conditions-file */
	const char	*conditions_path;	/* read once the options are parsed */
};

/*
 * Conditions too long to type, from a file: UTF-8 text (new lines and tabs allowed, a
 * Windows CRLF read as a new line), at most ASB_MAX_TEXT - 1 bytes once read.
 */
static int
conditions_file(struct add_opts *a, const char *path, struct asb_errbuf *eb)
{
	char buf[ASB_MAX_TEXT + 1];
	const unsigned char *p;
	size_t n, i, j, need;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return asb_fail(eb, errno == ENOENT ? ASB_ENOTFOUND : ASB_EIO, NULL,
		    "--conditions-file: %s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf), f);
	if (ferror(f)) {
		fclose(f);
		return asb_fail(eb, ASB_EIO, NULL, "--conditions-file: %s: cannot be read",
		    path);
	}
	fclose(f);
	/* CRLF to LF, and the new lines at the end dropped, before the size is judged. */
	for (i = j = 0; i < n; i++)
		if (!(buf[i] == '\r' && i + 1 < n && buf[i + 1] == '\n'))
			buf[j++] = buf[i];
	while (j > 0 && (buf[j - 1] == '\n' || buf[j - 1] == '\r'))
		j--;
	if (n == sizeof(buf) || j >= ASB_MAX_TEXT)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--conditions-file: %s: longer than "
		    "the %d bytes conditions may hold: put the full text in the case file "
		    "and a summary here", path, ASB_MAX_TEXT - 1);
	buf[j] = '\0';
	if (j == 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--conditions-file: %s: empty", path);
	for (p = (const unsigned char *)buf, i = 0; i < j; i += need) {
		need = p[i] < 0x80 ? 1 : (p[i] & 0xe0) == 0xc0 ? 2 : (p[i] & 0xf0) == 0xe0 ?
		    3 : (p[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (need == 0 || i + need > j || (need > 1 && (p[i + 1] & 0xc0) != 0x80) ||
		    (need > 2 && (p[i + 2] & 0xc0) != 0x80) ||
		    (need > 3 && (p[i + 3] & 0xc0) != 0x80) ||
		    (need == 2 && p[i] < 0xc2) || (need == 3 && p[i] == 0xe0 && p[i + 1] <
		    0xa0) || (need == 3 && p[i] == 0xed && p[i + 1] >= 0xa0) ||
		    (need == 4 && ((p[i] == 0xf0 && p[i + 1] < 0x90) || p[i] > 0xf4 ||
		    (p[i] == 0xf4 && p[i + 1] >= 0x90))))
			return asb_fail(eb, ASB_EUSAGE, NULL, "--conditions-file: %s: byte "
			    "%zu is not UTF-8: save the file as UTF-8 text", path, i + 1);
		if (need == 1 && (p[i] < 0x20 || p[i] == 0x7f) && p[i] != '\n' &&
		    p[i] != '\t')
			return asb_fail(eb, ASB_EUSAGE, NULL, "--conditions-file: %s: byte "
			    "%zu is a control character: plain text only", path, i + 1);
	}
	return reg_record_set(&a->rec, &a->term, "conditions", buf, eb);
}

static int
set_record(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct add_opts *a = obj;

	if (strcmp(name, "duplicate-ok") == 0) {
		a->duplicate_ok = 1;
		return ASB_OK;
	}
	if (strcmp(name, "conditions") == 0 || strcmp(name, "conditions-file") == 0) {
		if (a->conditions++)
			return asb_fail(eb, ASB_EUSAGE, NULL, "give --conditions or "
			    "--conditions-file, once");
		if (name[10] == '-') {
			a->conditions_path = val;
			return ASB_OK;
		}
	}
	if (strcmp(name, "links") == 0) {
		if (reg_id_parse(val, 'R', &a->rec.link) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--links: '%s' is "
			    "not a record ID (R and digits)", val);
		return ASB_OK;
	}
	return reg_record_set(&a->rec, &a->term, name, val, eb);
}

int
run_add(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FIELD("subject"), FIELD("issued"),
		FIELD("served"), FIELD("expires"), FIELD("hours"), FIELD("days"),
		FIELD("months"), FIELD("years"), FLAG("indefinite"),
		FIELD("by"), FIELD("authorised-by"), FIELD("rank"),
		FIELD("agency"), FIELD("conditions"), FIELD("lsoa"), FIELD("lad"),
		FIELD("links"), FIELD("incident"), FIELD("ref"),
		FIELD("conditions-file"), FLAG("duplicate-ok"),
		{ NULL, 0, NULL, 0 } };
	struct add_opts a;
	struct sch_findings f;
	struct asb_errbuf eb;
	char id[REG_ID_BUF], same[REG_ID_BUF];
	const char *near;
	uint64_t other;
	int err, power, dup;

	memset(&a, 0, sizeof(a));
	reg_record_defaults(&a.rec);
	if ((err = options(c, argc, argv, o, set_record, &a)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give exactly one POWER");
	if ((power = code_lookup(SCH_LIST_POWERS, argv[optind], &near)) < 0)
		return code_refuse(c, SCH_LIST_POWERS, "power", argv[optind]);
	if ((err = reg_record_set(&a.rec, &a.term, "power", sch_code_field(
	    SCH_LIST_POWERS, (unsigned)power, 0), &eb)) != ASB_OK) {
		fprintf(stderr, "asbreg: add: %s\n", eb.msg);
		return err;
	}
	if (a.rec.subject == 0)
		return usage_error(c, "%s", "give --subject ID (from 'asbreg "
		    "person|premises|place add' or 'asbreg find')");
	if (a.conditions_path != NULL && (err = conditions_file(&a, a.conditions_path,
	    &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if (a.rec.issued == 0)
		a.rec.issued = c->now;
	if ((err = reg_record_finish(&a.rec, &a.term, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	err = reg_record_add(c->r, &a.rec, c->user, c->now, &f, &eb);
	/* The same power, subject and issue time again is most likely typed twice: refused
	 * once the rules have passed (a rule's refusal says more), and the transaction
	 * aborted, so nothing is stored. */
	if (err == ASB_OK && !a.duplicate_ok) {
		if ((dup = reg_record_same(c->r, &a.rec, &other, &eb)) == ASB_OK)
			err = asb_fail(&eb, ASB_ECONFLICT, NULL, "%s is held already with "
			    "the same power, subject and issue time: give --duplicate-ok if "
			    "this is another use", reg_record_id(other, same));
		else if (dup != ASB_ENOTFOUND)
			err = dup;
	}
	if (err == ASB_OK) {
		reg_record_id(a.rec.id, id);
		touch_record(c, a.rec.id);
		touch_subject(c, a.rec.subject);
		err = audit(c, REG_AUDIT_COLLECTION, NULL, 0, &eb);
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

int
run_event(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FIELD("date"), FIELD("until"),
		FIELD("outcome"), FIELD("note"), FIELD("by"), FIELD("rank"),
		FIELD("amount"), { NULL, 0, NULL, 0 } };
	struct event_opts e;
	struct sch_findings f;
	struct asb_errbuf eb;
	struct reg_view v;
	char id[REG_ID_BUF];
	const char *near;
	int err, kind;

	reg_event_defaults(&e.ev);
	if ((err = options(c, argc, argv, o, set_event, &e)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 2 != argc)
		return usage_error(c, "%s", "give RECORD and KIND");
	if (reg_id_parse(argv[optind], 'R', &e.ev.record) == -1)
		return usage_error(c, "'%s' is not a record ID (R and digits)",
		    argv[optind]);
	if ((kind = code_lookup(SCH_LIST_EVENTS, argv[optind + 1], &near)) < 0)
		return code_refuse(c, SCH_LIST_EVENTS, "event", argv[optind + 1]);
	if ((err = reg_event_set(&e.ev, "kind", sch_code_field(SCH_LIST_EVENTS,
	    (unsigned)kind, 0), &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if (e.ev.date == 0)
		return usage_error(c, "%s", "give --date WHEN");
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	err = reg_event_add(c->r, &e.ev, c->user, c->now, &f, &eb);
	if (err == ASB_OK) {
		reg_record_id(e.ev.record, id);
		touch_record(c, e.ev.record);
		err = audit(c, REG_AUDIT_ALTERATION, NULL, 0, &eb);
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

int
run_show(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct asb_errbuf eb;
	struct reg_view v;
	uint64_t rid;
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL)) >= 0)
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
		/* Logged as a consultation of the record (and so found by its subject's
		 * access request, through the record). */
		touch_record(c, rid);
		if ((err = print_record(c, &v, stdout, c->json, 0, &eb)) == ASB_OK)
			err = audit(c, REG_AUDIT_CONSULTATION, NULL, 0, &eb);
		if (c->json)
			putchar('\n');
	}
	return finish(c, err, &eb);
}

