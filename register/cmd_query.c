/*
 * cmd_query.c - looking things up: find, list, due, repeat.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "asbreg.h"
#include "num.h"

#define DUE_MAX		100000	/* items 'due' sorts; more are counted, not listed */

struct list_opts {
	struct reg_filter f;
	struct ctx	*c;
	uint64_t	 n;
	int		 all;		/* no filter: every record is consulted */
	int		 err;		/* a subject that could not be read */
	struct asb_errbuf *eb;
};

static int
set_list(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct list_opts *l = obj;
	char all[512];

	if (strcmp(name, "type") == 0) {
		const char *near;

		if ((l->f.power = code_lookup(SCH_LIST_POWERS, val, &near)) < 0 &&
		    near != NULL)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--type: '%s' is not "
			    "one of the powers: did you mean '%s'?", val, near);
		if (l->f.power < 0)
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
		    "agency,lsoa,link,breaches,subject_name,subject_restricted");
	else if (!c->json)
		printf("%-8s  %-23s  %-8s  %-16s  %-16s  %-10s  %s\n", "RECORD",
		    "POWER", "SUBJECT", "ISSUED", "EXPIRES", "STATUS",
		    "NAME / ADDRESS / PLACE");
}

/* Who or where a subject is, for a line of a list: the name, address or description, and
 * a mark when processing is restricted (DPA 2018 s47) so nobody acts on it unawares. */
static int
who(struct ctx *c, uint64_t id, struct reg_subject *s, struct asb_errbuf *eb)
{
	return reg_subject_get(c->r, id, s, eb);
}

#define RESTRICTED_MARK	" [PROCESSING RESTRICTED]"

static int
list_one(const struct reg_view *v, void *ctx)
{
	struct list_opts *l = ctx;
	struct ctx *c = l->c;
	struct reg_subject s;
	char id[REG_ID_BUF], sid[REG_ID_BUF], lid[REG_ID_BUF], b[ASB_TIME_BUF];

	reg_record_id(v->rec.id, id);
	reg_subject_id(v->rec.subject, sid);
	if ((l->err = who(c, v->rec.subject, &s, l->eb)) != ASB_OK)
		return 1;
	if (!l->all)
		touch_record(c, v->rec.id);
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
		json_kv_str(stdout, 0, "subject_name", s.name);
		json_kv_bool(stdout, 0, "subject_restricted", s.restricted != 0);
		fputs("}\n", stdout);
	} else if (c->csv) {
		printf("%s,%s,%s,%s,%s,", id, sch_power_code(v->rec.power),
		    sch_power_section(v->rec.power), sid, tiso(v->rec.issued, b));
		printf("%s,", tiso(v->life.served, b));
		printf("%s,%s,%s,%s,%s,%u,", tiso(v->life.expires, b),
		    sch_status_code(v->status), sch_code_field(SCH_LIST_AGENCIES,
		    (unsigned)v->rec.agency, 0), v->rec.lsoa, v->rec.link ?
		    reg_record_id(v->rec.link, lid) : "", v->life.breaches);
		csv_field(stdout, s.name);
		printf(",%s\n", s.restricted ? "true" : "false");
	} else {
		printf("%-8s  %-23s  %-8s  %-16s  ", id,
		    sch_power_code(v->rec.power), sid, thuman(v->rec.issued, b));
		printf("%-16s  %-10s  %s%s\n", v->life.expires ? thuman(v->life.expires,
		    b) : "no end date", sch_status_code(v->status), s.name,
		    s.restricted ? RESTRICTED_MARK : "");
	}
	return 0;
}

int
run_list(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FIELD("type"), FIELD("status"),
		FIELD("subject"), FIELD("since"), FIELD("until"),
		{ NULL, 0, NULL, 0 } };
	struct list_opts l;
	struct asb_errbuf eb;
	int err;

	memset(&l, 0, sizeof(l));
	l.f.power = l.f.status = -1;
	l.c = c;
	if ((err = options(c, argc, argv, o, set_list, &l)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	/* --subject of a duplicate merged into another lists the one kept (merge.c). */
	if (l.f.subject != 0 && (err = resolve_subject(c, &l.f.subject, &eb)) != ASB_OK)
		return finish(c, err, &eb);
	/* A list of everything is logged as a consultation of every record (and so of every
	 * subject held), not ID by ID: one index entry instead of one a record. */
	l.all = l.f.power < 0 && l.f.status < 0 && l.f.subject == 0 && l.f.since == 0 &&
	    l.f.until == 0;
	if (l.all && (err = reg_audit_all(c->r, &eb)) != ASB_OK)
		return finish(c, err, &eb);
	list_header(c);
	l.eb = &eb;
	if ((err = reg_list(c->r, &l.f, c->now, list_one, &l, &eb)) == ASB_OK)
		err = l.err;
	if (err == ASB_OK && l.n > 0)
		err = audit(c, REG_AUDIT_CONSULTATION, NULL, l.n, &eb);
	return finish(c, err, &eb);
}

struct find_ctx {
	struct ctx	*c;
	uint64_t	 n;
};

static int
find_one(const struct reg_subject *s, void *ctx)
{
	struct find_ctx *fc = ctx;
	struct reg_merge m;
	char id[REG_ID_BUF], day[16], into[REG_ID_BUF];
	int merged;

	reg_subject_id(s->id, id);
	touch_subject(fc->c, s->id);
	fc->n++;
	/* A duplicate merged into another still matches: say where it leads. */
	merged = reg_merge_get(fc->c->r, s->id, &m, NULL) == ASB_OK;
	if (merged)
		reg_subject_id(m.keep, into);
	if (fc->c->json) {
		json_subject_merged(stdout, s, merged ? m.keep : 0);
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
	if (s->restricted != 0)
		fputs(RESTRICTED_MARK, stdout);
	if (merged)
		printf(" (merged into %s: use %s)", into, into);
	putchar('\n');
	return 0;
}

int
run_find(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct find_ctx fc;
	struct asb_errbuf eb;
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc || argv[optind][0] == '\0')
		return usage_error(c, "%s", "give one non-empty TEXT");
	memset(&fc, 0, sizeof(fc));
	fc.c = c;
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_subject_find(c->r, argv[optind], find_one, &fc, &eb)) ==
	    ASB_OK && fc.n > 0)
		err = audit(c, REG_AUDIT_CONSULTATION, NULL, 0, &eb);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	if (fc.n == 0) {
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

int
run_due(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FIELD("within"), { NULL, 0, NULL, 0 } };
	struct reg_due *items;
	struct reg_subject s;
	struct asb_errbuf eb;
	char id[REG_ID_BUF], sid[REG_ID_BUF], b[ASB_TIME_BUF];
	int64_t days = 30;
	size_t n = 0, total = 0, i;
	int err;

	if ((err = options(c, argc, argv, o, set_number, &days)) >= 0)
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
		printf("%-16s  %-17s  %-8s  %-23s  %-8s  %s\n", "DUE", "WHAT", "RECORD",
		    "POWER", "SUBJECT", "NAME / ADDRESS / PLACE");
	for (i = 0; err == ASB_OK && i < n; i++) {
		reg_record_id(items[i].record, id);
		reg_subject_id(items[i].subject, sid);
		if ((err = who(c, items[i].subject, &s, &eb)) != ASB_OK)
			break;
		touch_record(c, items[i].record);
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
			json_kv_str(stdout, 0, "subject_name", s.name);
			json_kv_bool(stdout, 0, "subject_restricted", s.restricted != 0);
			fputs("}\n", stdout);
		} else
			printf("%-16s  %-17s  %-8s  %-23s  %-8s  %s%s%s\n",
			    thuman(items[i].when, b),
			    reg_due_kind_code(items[i].kind), id,
			    sch_power_code(items[i].power), sid, s.name,
			    s.restricted ? RESTRICTED_MARK : "",
			    items[i].when < c->now ? "  OVERDUE" : "");
	}
	if (err == ASB_OK && total > n)
		fprintf(stderr, "asbreg: due: %zu more not listed; narrow "
		    "--within\n", total - n);
	if (err == ASB_OK && n > 0)
		err = audit(c, REG_AUDIT_CONSULTATION, NULL, 0, &eb);
	free(items);
	return finish(c, err, &eb);
}

struct repeat_opts {
	asb_time	 since;
	int64_t		 min;
	struct ctx	*c;
	uint64_t	 n;
	char		 areas[256];	/* the LSOAs listed (areas, not people), for the log */
	size_t		 alen;
	int		 err;
	struct asb_errbuf *eb;
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

	uint64_t sid;
	struct reg_subject s;

	ro->n++;
	s.name[0] = '\0';
	s.restricted = 0;
	if (rp->kind != 0 && reg_id_parse(rp->key, 'S', &sid) == 0) {
		touch_subject(ro->c, sid);
		if ((ro->err = who(ro->c, sid, &s, ro->eb)) != ASB_OK)
			return 1;
	} else if (ro->alen + strlen(rp->key) + 2 < sizeof(ro->areas))
		ro->alen += (size_t)snprintf(ro->areas + ro->alen, sizeof(ro->areas) -
		    ro->alen, "%s%s", ro->alen ? " " : "", rp->key);
	if (ro->c->json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "what", what);
		json_kv_str(stdout, 0, "key", rp->key);
		json_kv_str(stdout, 0, "kind", kind);
		json_kv_int(stdout, 0, "records", (int64_t)rp->count);
		json_time(stdout, 0, "first", rp->first);
		json_time(stdout, 0, "last", rp->last);
		if (rp->kind != 0) {
			json_kv_str(stdout, 0, "subject_name", s.name);
			json_kv_bool(stdout, 0, "subject_restricted", s.restricted != 0);
		}
		fputs("}\n", stdout);
	} else
		printf("%-15s  %-9s  %-8s  %7" PRIu64 "  %-16s  %-16s  %s%s\n", what,
		    rp->key, kind, rp->count, thuman(rp->first, a),
		    thuman(rp->last, b), s.name, s.restricted ? RESTRICTED_MARK : "");
	return 0;
}

int
run_repeat(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FIELD("since"), FIELD("min"),
		{ NULL, 0, NULL, 0 } };
	struct repeat_opts ro;
	struct asb_errbuf eb;
	int err;

	memset(&ro, 0, sizeof(ro));
	ro.since = asb_time_add_months(c->now, -12);
	ro.min = 3;
	ro.c = c;
	if ((err = options(c, argc, argv, o, set_repeat, &ro)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if (!c->json)
		printf("%-15s  %-9s  %-8s  %7s  %-16s  %-16s  %s\n", "WHAT", "KEY",
		    "KIND", "RECORDS", "FIRST", "LAST", "NAME / ADDRESS / PLACE");
	ro.eb = &eb;
	if ((err = reg_repeat(c->r, ro.since, (uint64_t)ro.min, repeat_one, &ro,
	    &eb)) == ASB_OK)
		err = ro.err;
	if (err == ASB_OK && ro.n > 0)
		err = audit(c, REG_AUDIT_CONSULTATION, ro.areas, ro.n, &eb);
	return finish(c, err, &eb);
}

