/*
 * cmd_subject.c - one subject: history, subject-export (an access request), restriction,
 * rectification, and the retention review of a record.
 */
#include <stdlib.h>
#include <string.h>

#include "asbreg.h"

struct hist {
	struct ctx	*c;
	int		 n;
	int		 err;
	struct asb_errbuf *eb;
};

static int
hist_one(const struct reg_view *v, void *ctx)
{
	struct hist *h = ctx;

	if (h->c->json)
		fputs(h->n ? "," : "", stdout);
	else
		fputc('\n', stdout);
	h->n++;
	h->err = print_record(h->c, v, stdout, h->c->json, 1, h->eb);
	return h->err != ASB_OK;
}

int
run_history(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct hist h;
	struct reg_filter f = { -1, -1, 0, 0, 0, 1 };
	struct reg_subject s;
	struct asb_errbuf eb;
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL)) >= 0)
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
	/* A duplicate merged into another leads to the one kept (merge.c). */
	if ((err = resolve_subject(c, &f.subject, &eb)) != ASB_OK ||
	    (err = reg_subject_get(c->r, f.subject, &s, &eb)) != ASB_OK)
		return finish(c, err, &eb);
	touch_subject(c, s.id);
	if (c->json) {
		fputs("{\"subject\":", stdout);
		json_subject(stdout, &s);
		if ((err = print_merges(c, s.id, 0, &eb)) != ASB_OK)
			return finish(c, err, &eb);
		fputs(",\"records\":[", stdout);
	} else {
		print_subject(c, &s, 0);
		if ((err = print_merges(c, s.id, 0, &eb)) != ASB_OK)
			return finish(c, err, &eb);
	}
	err = reg_list(c->r, &f, c->now, hist_one, &h, &eb);
	if (err == ASB_OK)
		err = h.err;
	if (c->json)
		fputs("]}\n", stdout);
	else if (h.n == 0)
		puts("no records");
	if (err == ASB_OK)
		err = audit(c, REG_AUDIT_CONSULTATION, NULL, 0, &eb);
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

int
run_rectify(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FIELD("name"), FIELD("dob"), FIELD("sex"),
		FIELD("ethnicity"), FIELD("pnc"), FIELD("address"), FIELD("uprn"),
		FIELD("description"), FIELD("lsoa"), FIELD("lad"), { NULL, 0, NULL, 0 } };
	struct fixes x = { { NULL }, { NULL }, 0 };
	struct reg_subject s;
	struct asb_errbuf eb;
	char id[REG_ID_BUF];
	uint64_t sid;
	int err, i, changed = 0;

	if ((err = options(c, argc, argv, o, set_fix, &x)) >= 0)
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
	/* A duplicate merged into another: its corrected identity still finds the one kept. */
	if (err == ASB_OK)
		err = reg_merge_alias(c->r, sid, &eb);
	reg_subject_id(sid, id);
	touch_subject(c, sid);
	if (err == ASB_OK)
		err = audit(c, REG_AUDIT_ALTERATION, NULL, 0, &eb);
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

int
run_review(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FLAG("retain"), FLAG("dispose"),
		{ NULL, 0, NULL, 0 } };
	struct reg_review_result res;
	struct asb_errbuf eb;
	char id[REG_ID_BUF], sid[REG_ID_BUF];
	uint64_t rid;
	int err, decision = REG_REVIEW_NONE;

	if ((err = options(c, argc, argv, o, set_decision, &decision)) >= 0)
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
	reg_record_id(rid, id);
	touch_record(c, rid);
	if (err == ASB_OK && res.subject_erased) {
		reg_subject_id(res.subject_erased, sid);
		touch_subject(c, res.subject_erased);
	}
	if (err == ASB_OK)
		err = audit(c, decision == REG_REVIEW_DISPOSE ? REG_AUDIT_ERASURE :
		    REG_AUDIT_ALTERATION, NULL, 0, &eb);
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

int
run_restrict(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FLAG("lift"), { NULL, 0, NULL, 0 } };
	struct asb_errbuf eb;
	char id[REG_ID_BUF];
	uint64_t sid;
	int err, lift = 0;

	if ((err = options(c, argc, argv, o, set_lift, &lift)) >= 0)
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
	reg_subject_id(sid, id);
	touch_subject(c, sid);
	if (err == ASB_OK)
		err = audit(c, REG_AUDIT_ALTERATION, NULL, 0, &eb);
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
	int		 naudit;
	uint64_t	*seen;		/* the entries listed, in order, so none is listed twice */
	size_t		 nseen, cap;
	int		 err;
};

static int
sar_seen(struct sar *s, uint64_t seq)
{
	size_t lo = 0, hi = s->nseen, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->seen[mid] == seq)
			return 1;
		if (s->seen[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int
sar_audit(const struct reg_audit *a, void *ctx)
{
	struct sar *s = ctx;
	char t[ASB_TIME_BUF];
	uint64_t *p;

	if (sar_seen(s, a->seq))
		return 0;
	/* Each reg_audit_about call gives entries in order; only the first call's are kept
	 * for the check (the later ones are only checked against it). */
	if (s->cap != SIZE_MAX) {
		if (s->nseen == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 256;
			if ((p = realloc(s->seen, s->cap * sizeof(*p))) == NULL) {
				s->err = ASB_EIO;
				return 1;
			}
			s->seen = p;
		}
		s->seen[s->nseen++] = a->seq;
	}

	asb_time_iso(a->time, t, sizeof(t));
	if (s->h.c->json) {
		fputs(s->naudit ? ",{" : "{", stdout);
		json_kv_int(stdout, 1, "seq", (int64_t)a->seq);
		json_kv_str(stdout, 0, "time", t);
		json_kv_str(stdout, 0, "operation", reg_audit_op_code(a->op));
		json_kv_str(stdout, 0, "user", a->user);
		json_kv_str(stdout, 0, "command", a->command);
		json_kv_int(stdout, 0, "count", (int64_t)a->count);
		json_kv_strn(stdout, 0, "reason", a->reason[0] ? a->reason : NULL);
		fputc('}', stdout);
	} else
		printf("  %6llu  %s  %-12s %-10s %-14s %s\n", (unsigned long long)a->seq, t,
		    reg_audit_op_code(a->op), a->user, a->command, a->reason);
	s->naudit++;
	return 0;
}

/* The audit entries about a subject merged into the one exported, those not listed yet. */
static int
sar_merged(const struct reg_merge *m, void *ctx)
{
	struct sar *s = ctx;
	struct asb_errbuf eb;

	s->cap = SIZE_MAX;	/* the list of the first call is complete */
	if ((s->err = reg_audit_about(s->h.c->r, m->duplicate, sar_audit, s, &eb)) !=
	    ASB_OK)
		return 1;
	return reg_merged_each(s->h.c->r, m->duplicate, sar_merged, s, &eb) != ASB_OK;
}

int
run_subject_export(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct sar s;
	struct reg_filter f = { -1, -1, 0, 0, 0, 1 };
	struct reg_subject subj;
	struct asb_errbuf eb;
	char id[REG_ID_BUF], t[ASB_TIME_BUF];
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one SUBJECT");
	memset(&s, 0, sizeof(s));
	if (reg_id_parse(argv[optind], 'S', &f.subject) == -1)
		return usage_error(c, "'%s' is not a subject ID (S and digits)",
		    argv[optind]);
	s.h.c = c;
	s.h.eb = &eb;
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = resolve_subject(c, &f.subject, &eb)) != ASB_OK ||
	    (err = reg_subject_get(c->r, f.subject, &subj, &eb)) != ASB_OK)
		return finish(c, err, &eb);
	touch_subject(c, subj.id);
	reg_subject_id(subj.id, id);
	asb_time_iso(c->now, t, sizeof(t));
	if (c->json) {
		fputs("{\"export\":{", stdout);
		json_kv_str(stdout, 1, "subject", id);
		json_kv_str(stdout, 0, "force", reg_force(c->r));
		json_kv_str(stdout, 0, "made", t);
		json_kv_str(stdout, 0, "by", c->user);
		fputs("},\"subject\":", stdout);
		json_subject(stdout, &subj);
		if ((err = print_merges(c, subj.id, 1, &eb)) != ASB_OK)
			return finish(c, err, &eb);
		fputs(",\"records\":[", stdout);
	} else {
		printf("Subject access export: everything the register of %s holds about %s\n"
		    "made %s by %s\n\n", reg_force(c->r), id, t, c->user);
		print_subject(c, &subj, 1);
		if ((err = print_merges(c, subj.id, 1, &eb)) != ASB_OK)
			return finish(c, err, &eb);
	}
	err = reg_list(c->r, &f, c->now, hist_one, &s.h, &eb);
	if (err == ASB_OK)
		err = s.h.err;
	if (c->json)
		fputs("],\"audit\":[", stdout);
	else
		printf("%s\nEvery entry of the audit log that touched %s or its records (an "
		    "entry made\nbefore the register's format 2 names at most 32 IDs), then "
		    "those about any subject merged into it:\n", s.h.n ? "" : "no records\n",
		    id);
	/* Through the audit index: the entries about this subject, not a scan of the log;
	 * then those about the subjects merged into it, each entry once. */
	if (err == ASB_OK)
		err = reg_audit_about(c->r, subj.id, sar_audit, &s, &eb);
	if (err == ASB_OK)
		err = reg_merged_each(c->r, subj.id, sar_merged, &s, &eb);
	if (err == ASB_OK)
		err = s.err;
	if (c->json)
		fputs("]}\n", stdout);
	else if (s.naudit == 0)
		puts("  none");
	free(s.seen);
	if (err == ASB_OK)
		err = audit(c, REG_AUDIT_DISCLOSURE, NULL, 0, &eb);
	return finish(c, err, &eb);
}
