/*
 * print.c - how asbreg prints subjects, records, their events and links, as text and JSON.
 */
#include <inttypes.h>
#include <string.h>

#include "asbreg.h"

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

void
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
	if (full && s->kind == SCH_BODY && s->company[0])
		printf(", company %s", s->company);
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

const char *
tiso(asb_time t, char *buf)
{
	return t == 0 ? "" : asb_time_iso(t, buf, ASB_TIME_BUF);
}

const char *
thuman(asb_time t, char *buf)
{
	return t == 0 ? "-" : asb_time_human(t, buf, ASB_TIME_BUF);
}

void
json_time(FILE *f, int first, const char *key, asb_time t)
{
	char b[ASB_TIME_BUF];

	json_kv_strn(f, first, key, tiso(t, b));
}

void
json_subject(FILE *f, const struct reg_subject *s)
{
	json_subject_merged(f, s, 0);
}

void
json_subject_merged(FILE *f, const struct reg_subject *s, uint64_t into)
{
	char id[REG_ID_BUF], day[16];

	fputc('{', f);
	json_kv_str(f, 1, "id", reg_subject_id(s->id, id));
	json_kv_str(f, 0, "kind", sch_subject_kind_code(s->kind));
	json_kv_str(f, 0, s->kind == SCH_PERSON || s->kind == SCH_BODY ? "name" :
	    s->kind == SCH_PREMISES ? "address" : "description", s->name);
	if (s->kind == SCH_BODY)
		json_kv_strn(f, 0, "company", s->company);
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
	if (into != 0)
		json_kv_str(f, 0, "merged_into", reg_subject_id(into, id));
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
		if (ev->decided_by[0] != '\0')
			json_kv_str(o->f, 0, "decided_by", ev->decided_by);
		if (ev->applicant[0] != '\0')
			json_kv_str(o->f, 0, "applicant", ev->applicant);
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
	if (ev->decided_by[0] != '\0')
		fprintf(o->f, "  decided by %s", ev->decided_by);
	if (ev->applicant[0] != '\0')
		fprintf(o->f, "  on the application of %s", ev->applicant);
	if (ev->note[0] != '\0')
		fprintf(o->f, "  note: %s", ev->note);
	fputc('\n', o->f);
	return 0;
}

struct link_out {
	struct ctx	*c;
	FILE		*f;
	int		 json, n;
	int		 touch;
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
	if (o->touch)
		touch_record(o->c, id);
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

/* The schema 1.1 details, when there are any: an interim or without-notice order, a partial
 * closure, a dispersal direction's record (s35(5), s35(7), s37, s38). */
static void
print_details(FILE *f, const struct reg_record *rec)
{
	char b[ASB_TIME_BUF];

	if (rec->interim || rec->without_notice || rec->partial)
		fprintf(f, "  order       %s%s%s\n", rec->interim ? "interim " : "",
		    rec->without_notice ? "without notice " : "", rec->partial ?
		    "partial (s80(7)) " : "");
	if (rec->area[0] != '\0')
		fprintf(f, "  area        %s\n", rec->area);
	if (rec->leave_by != 0)
		fprintf(f, "  leave by    %s\n", thuman(rec->leave_by, b));
	if (rec->removed_to[0] != '\0')
		fprintf(f, "  removed to  %s (under 16, s35(7))\n", rec->removed_to);
	if (rec->surrendered[0] != '\0')
		fprintf(f, "  surrendered %s (s37)\n", rec->surrendered);
}

static void
print_details_json(FILE *f, const struct reg_record *rec)
{
	if (rec->interim)
		json_kv_bool(f, 0, "interim", 1);
	if (rec->without_notice)
		json_kv_bool(f, 0, "without_notice", 1);
	if (rec->partial)
		json_kv_bool(f, 0, "partial", 1);
	if (rec->area[0] != '\0')
		json_kv_str(f, 0, "area", rec->area);
	if (rec->leave_by != 0)
		json_time(f, 0, "leave_by", rec->leave_by);
	if (rec->removed_to[0] != '\0')
		json_kv_str(f, 0, "removed_to", rec->removed_to);
	if (rec->surrendered[0] != '\0')
		json_kv_str(f, 0, "surrendered", rec->surrendered);
}

int
print_record(struct ctx *c, const struct reg_view *v, FILE *f, int json, int touch,
    struct asb_errbuf *eb)
{
	struct reg_subject s;
	struct ev_out eo = { f, json, 0 };
	struct link_out lo = { c, f, json, 0, touch };
	const struct reg_record *rec = &v->rec;
	struct reg_void vd;
	char rid[REG_ID_BUF], sid[REG_ID_BUF], b[ASB_TIME_BUF], day[16];
	int err, isvoid;

	if ((err = reg_subject_get(c->r, rec->subject, &s, eb)) != ASB_OK)
		return err;
	if ((err = reg_void_get(c->r, rec->id, &vd, eb)) != ASB_OK && err != ASB_ENOTFOUND)
		return err;
	isvoid = err == ASB_OK;
	if (touch) {
		touch_record(c, rec->id);
		touch_subject(c, s.id);
	}
	if (json) {
		fputc('{', f);
		json_kv_str(f, 1, "id", reg_record_id(rec->id, rid));
		json_kv_str(f, 0, "power", sch_power_code(rec->power));
		json_kv_str(f, 0, "section", sch_power_section(rec->power));
		json_kv_str(f, 0, "status", sch_status_code(v->status));
		json_key(f, 0, "void");
		if (isvoid) {
			fputc('{', f);
			json_time(f, 1, "time", vd.time);
			json_kv_str(f, 0, "by", vd.user);
			json_kv_str(f, 0, "reason", vd.reason);
			fputc('}', f);
		} else
			fputs("null", f);
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
		print_details_json(f, rec);
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
	if (isvoid)
		fprintf(f, "  VOID        since %s, by %s: %s (out of lists, due, repeat "
		    "and returns)\n", thuman(vd.time, b), vd.user, vd.reason);
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
	print_details(f, rec);
	if ((err = reg_linked_each(c->r, rec->id, print_link, &lo, eb)) !=
	    ASB_OK)
		return err;
	fprintf(f, "  events%s\n", v->life.events ? "" : "      none");
	return reg_event_each(c->r, rec->id, print_event, &eo, eb);
}


/* ---- corrections: void records, merged subjects ------------------------------------------- */

int
resolve_subject(struct ctx *c, uint64_t *id, struct asb_errbuf *eb)
{
	struct reg_merge m;
	char a[REG_ID_BUF], b[REG_ID_BUF], t[ASB_TIME_BUF];
	uint64_t to;
	int err;

	if ((err = reg_subject_resolve(c->r, *id, &to, eb)) != ASB_OK || to == *id)
		return err;
	touch_subject(c, *id);
	if (reg_merge_get(c->r, *id, &m, NULL) == ASB_OK)
		fprintf(stderr, "asbreg: %s: %s was merged into %s on %s by %s (%s): "
		    "showing %s\n", c->name, reg_subject_id(*id, a), reg_subject_id(m.keep,
		    b), asb_time_iso(m.time, t, sizeof(t)), m.user, m.reason,
		    reg_subject_id(to, b));
	*id = to;
	return ASB_OK;
}

struct merges_out {
	struct ctx	*c;
	int		 full, n, err;
	struct asb_errbuf *eb;
};

static int
print_merge(const struct reg_merge *m, void *ctx)
{
	struct merges_out *o = ctx;
	struct reg_subject s;
	char t[ASB_TIME_BUF], id[REG_ID_BUF];

	if ((o->err = reg_subject_get(o->c->r, m->duplicate, &s, o->eb)) != ASB_OK)
		return 1;
	touch_subject(o->c, s.id);
	asb_time_iso(m->time, t, sizeof(t));
	if (o->c->json) {
		fputs(o->n++ ? ",{" : "{", stdout);
		json_kv_str(stdout, 1, "id", reg_subject_id(s.id, id));
		json_kv_str(stdout, 0, "merged", t);
		json_kv_str(stdout, 0, "by", m->user);
		json_kv_str(stdout, 0, "reason", m->reason);
		json_kv_int(stdout, 0, "records", (int64_t)m->records);
		if (o->full) {
			json_key(stdout, 0, "subject");
			json_subject(stdout, &s);
		}
		fputc('}', stdout);
	} else {
		o->n++;
		printf("also registered as: ");
		if (o->full)
			print_subject(o->c, &s, 1);
		else
			printf("%s %s\n", reg_subject_id(s.id, id), s.name);
		printf("  merged into this subject on %s by %s (%llu records): %s\n", t,
		    m->user, (unsigned long long)m->records, m->reason);
	}
	return 0;
}

int
print_merges(struct ctx *c, uint64_t keep, int full, struct asb_errbuf *eb)
{
	struct merges_out o = { c, full, 0, ASB_OK, eb };
	int err;

	if (c->json)
		fputs(",\"merged_from\":[", stdout);
	err = reg_merged_each(c->r, keep, print_merge, &o, eb);
	if (c->json)
		fputc(']', stdout);
	return err != ASB_OK ? err : o.err;
}
