/*
 * build.c - the quarterly return, streamed from the register to a file.
 *
 * Two passes over the register in one read transaction (so the count in the header and the
 * records written agree): the first counts the records that belong to the period, the
 * second writes them with libxml2's text writer, so memory does not grow with the register.
 * The file is written to a temporary beside the output, validated, fsynced and renamed: the
 * output name never holds a half-written or invalid return.
 *
 * What leaves the force: pseudonyms, codes, dates, bands and area codes.  Never a name,
 * date of birth, address, UPRN, PNC ID, officer, incident reference, conditions or note.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libxml/xmlwriter.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "codes.h"
#include "gw.h"
#include "outbox.h"
#include "reg.h"

#define GENERATOR_VERSION	"0.1.0"
/* The build's resident-set target: the 64 MiB less room for the writer and libxml2. */
#define RSS_BUDGET		(32ULL << 20)

struct bctx {
	const struct gw_build_opts *o;
	struct rtn_period period;
	struct gw_key	*key;
	struct reg	*reg;
	int		 voids;		/* the register holds void records: look each up */
	xmlTextWriterPtr w;
	const char	*force;
	uint64_t	 total, done, events, seen, close_looks;
	int		 counting, failed;
	struct asb_errbuf *eb;
};

/* This process's resident set, from /proc/self/statm (its second field, in pages). */
static uint64_t
resident_bytes(void)
{
	char buf[128], *p;
	FILE *f = fopen("/proc/self/statm", "r");
	uint64_t pages = 0;
	size_t n;

	if (f == NULL)
		return UINT64_MAX;	/* cannot tell: release */
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strchr(buf, ' ')) == NULL)
		return UINT64_MAX;
	for (p++; *p >= '0' && *p <= '9'; p++)
		pages = pages * 10 + (uint64_t)(*p - '0');
	return pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

static int
uuid4(char *out)
{
	unsigned char b[16];

	if (RAND_bytes(b, sizeof(b)) != 1)
		return -1;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

static int
is_uuid4(const char *s)
{
	size_t i;

	if (strlen(s) != 36 || s[14] != '4' || strchr("89ab", s[19]) == NULL)
		return 0;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Does a record belong to the period: issued in it, or an event in it? */
struct membership {
	const struct rtn_period *p;
	int		 in;
};

static int
event_in(const struct reg_event *ev, void *ctx)
{
	struct membership *m = ctx;

	if (rtn_period_contains(m->p, ev->date)) {
		m->in = 1;
		return 1;
	}
	return 0;
}

/* The smallest whole number of the law's unit that reaches the expiry. */
static void
duration(int power, asb_time from, asb_time to, const char **unit, int64_t *n)
{
	switch (power) {
	case SCH_DISP_AUTH:
	case SCH_DISP_DIR:
	case SCH_CLOSURE_NOTICE:
		*unit = "hours";
		*n = (to - from + 3599) / 3600;
		return;
	case SCH_INJUNCTION:
	case SCH_CLOSURE_ORDER:
		*unit = "months";
		for (*n = 1; *n < 1200 && asb_time_add_months(from, (int)*n) < to;
		    (*n)++)
			;
		return;
	case SCH_CBO:
	case SCH_PSPO:
		*unit = "years";
		for (*n = 1; *n < 100 && asb_time_add_months(from,
		    (int)*n * 12) < to; (*n)++)
			;
		return;
	default:
		*unit = "days";
		*n = (to - from + 86399) / 86400;
	}
}

#define W(call) do { if ((call) < 0) { b->failed = 1; return 1; } } while (0)

static int
write_time(struct bctx *b, const char *name, asb_time t)
{
	char buf[ASB_TIME_BUF];

	if (t == 0)
		return 0;
	return xmlTextWriterWriteElement(b->w, (const xmlChar *)name,
	    (const xmlChar *)asb_time_iso(t, buf, sizeof(buf)));
}

static int
write_el(struct bctx *b, const char *name, const char *val)
{
	if (val == NULL || val[0] == '\0')
		return 0;
	return xmlTextWriterWriteElement(b->w, (const xmlChar *)name,
	    (const xmlChar *)val);
}

static int
attr(struct bctx *b, const char *name, const char *val)
{
	return xmlTextWriterWriteAttribute(b->w, (const xmlChar *)name,
	    (const xmlChar *)val);
}

static int
attr_time(struct bctx *b, const char *name, asb_time t)
{
	char buf[ASB_TIME_BUF];

	if (t == 0)
		return 0;
	return attr(b, name, asb_time_iso(t, buf, sizeof(buf)));
}

static int
write_event(const struct reg_event *ev, void *ctx)
{
	struct bctx *b = ctx;
	char amount[24];

	if (ev->date >= b->period.end)
		return 0;	/* a later return's */
	W(xmlTextWriterStartElement(b->w, (const xmlChar *)"Event"));
	W(attr(b, "kind", sch_event_code(ev->kind)));
	W(attr_time(b, "date", ev->date));
	W(attr(b, "inPeriod", rtn_period_contains(&b->period, ev->date) ?
	    "true" : "false"));
	W(attr_time(b, "until", ev->until));
	if (ev->outcome[0] != '\0')
		W(attr(b, "outcome", ev->outcome));
	if (ev->amount >= 0) {
		snprintf(amount, sizeof(amount), "%lld", (long long)ev->amount);
		W(attr(b, "amountPence", amount));
	}
	if (ev->rank[0] != '\0')
		W(attr(b, "rank", ev->rank));
	if (ev->decided_by[0] != '\0')
		W(attr(b, "decidedBy", ev->decided_by));
	if (ev->applicant[0] != '\0')
		W(attr(b, "applicant", ev->applicant));
	W(xmlTextWriterEndElement(b->w));
	b->events++;
	return 0;
}

static int
one_record(const struct reg_record *raw, void *ctx)
{
	struct bctx *b = ctx;
	struct membership m = { &b->period, 0 };
	struct reg_view view, *v = &view;
	const struct reg_record *rec = &view.rec;
	struct reg_subject s;
	struct reg_void vd;
	char id[GW_PSEUDONYM_LEN + 1], buf[32];
	const char *unit, *band;
	int64_t n;
	uint64_t others;
	int err;

	/* Keep the resident set under RSS_BUDGET whatever the register's size: now and then
	 * (each close look maps 64 KiB windows of random pages) see how much of the register
	 * is mapped in, and let go of it when too much is.  The pages stay in the page cache. */
	if ((++b->seen & 16383) == 0 || b->close_looks >= 64) {
		if (resident_bytes() > RSS_BUDGET)
			reg_release_pages(b->reg);
		b->close_looks = 0;
	}
	/* Membership from the record alone, or its events; only members are looked at
	 * closer, so a quarter's build reads little more than the records. */
	if (raw->issued >= b->period.end)
		return 0;
	/* A record entered in error (asbreg void) is in no return built after it. */
	if (b->voids && reg_void_get(b->reg, raw->id, &vd, NULL) == ASB_OK)
		return 0;
	m.in = rtn_period_contains(&b->period, raw->issued);
	if (!m.in && (err = reg_event_each(b->reg, raw->id, event_in, &m,
	    b->eb)) != ASB_OK) {
		b->failed = 1;
		return 1;
	}
	if (!m.in)
		return 0;
	if (b->counting) {
		b->total++;
		return 0;
	}
	b->close_looks++;
	if (reg_view_of(b->reg, raw, b->o->now, &view, &s, b->eb) != ASB_OK ||
	    reg_subject_records(b->reg, rec->subject,
	    asb_time_add_months(rec->issued, -12), rec->issued, &others,
	    b->eb) != ASB_OK) {
		b->failed = 1;
		return 1;
	}
	W(xmlTextWriterStartElement(b->w, (const xmlChar *)"Record"));
	gw_pseudonym(b->key, "record", b->force, rec->id, id);
	W(attr(b, "id", id));
	W(attr(b, "issuedInPeriod", rtn_period_contains(&b->period,
	    rec->issued) ? "true" : "false"));
	gw_pseudonym(b->key, "subject", b->force, rec->subject, id);
	W(write_el(b, "Subject", id));
	W(write_el(b, "SubjectKind", sch_subject_kind_code(s.kind)));
	W(write_el(b, "Power", sch_power_code(rec->power)));
	W(write_el(b, "Section", sch_power_section(rec->power)));
	W(write_el(b, "Agency", sch_code_field(SCH_LIST_AGENCIES,
	    (unsigned)rec->agency, 0)));
	W(write_el(b, "AuthoriserRank", rec->rank));
	W(write_time(b, "Issued", rec->issued));
	W(write_time(b, "Served", v->life.served != 0 && v->life.served <
	    b->period.end ? v->life.served : 0));
	W(write_time(b, "Expires", rec->expires));
	if (rec->expires != 0) {
		duration(rec->power, rec->issued, rec->expires, &unit, &n);
		snprintf(buf, sizeof(buf), "%lld", (long long)(n > 0 ? n : 1));
		W(xmlTextWriterStartElement(b->w, (const xmlChar *)"Duration"));
		W(attr(b, "unit", unit));
		W(xmlTextWriterWriteString(b->w, (const xmlChar *)buf));
		W(xmlTextWriterEndElement(b->w));
	}
	if (s.kind == SCH_PERSON) {
		band = rtn_age_band(asb_age_at(s.dob, rec->issued));
		W(write_el(b, "AgeBand", band));
		W(write_el(b, "Sex", s.sex));
		W(write_el(b, "Ethnicity", s.ethnicity));
	}
	W(write_el(b, "LSOA", rec->lsoa[0] ? rec->lsoa : s.lsoa));
	W(write_el(b, "LocalAuthority", rec->lad[0] ? rec->lad : s.lad));
	/* Repeat: another record about the same subject in the 12 months before this one. */
	W(write_el(b, "RepeatSubject", others > 0 ? "true" : "false"));
	if (rec->link != 0) {
		W(xmlTextWriterStartElement(b->w, (const xmlChar *)"Follows"));
		W(attr(b, "power", sch_power_code(v->use.link_power)));
		W(attr_time(b, "issued", v->use.link_issued));
		W(attr(b, "sameSubject", v->use.link_same_subject ? "true" :
		    "false"));
		W(attr_time(b, "served", v->use.link_served));
		W(attr_time(b, "expires", v->use.link_expires));
		W(attr_time(b, "ended", v->use.link_ended));
		W(attr_time(b, "adjourned", v->use.link_adjourned));
		gw_pseudonym(b->key, "record", b->force, rec->link, id);
		W(xmlTextWriterWriteString(b->w, (const xmlChar *)id));
		W(xmlTextWriterEndElement(b->w));
	}
	/* 1.1: facts only, never the area's text, the property or the officer. */
	if (rec->interim)
		W(write_el(b, "Interim", "true"));
	if (rec->without_notice)
		W(write_el(b, "WithoutNotice", "true"));
	if (rec->partial)
		W(write_el(b, "PartialClosure", "true"));
	/* A direction stored before its record could be is left without: not known. */
	if (rec->power == SCH_DISP_DIR && rec->details) {
		W(xmlTextWriterStartElement(b->w, (const xmlChar *)"Direction"));
		W(attr(b, "areaSpecified", rec->area[0] ? "true" : "false"));
		W(attr_time(b, "leaveBy", rec->leave_by));
		W(attr(b, "removedUnder16", rec->removed_to[0] ? "true" : "false"));
		W(attr(b, "propertySurrendered", rec->surrendered[0] ? "true" : "false"));
		W(xmlTextWriterEndElement(b->w));
	}
	W(xmlTextWriterStartElement(b->w, (const xmlChar *)"Events"));
	if (reg_event_each(b->reg, rec->id, write_event, b, b->eb) != ASB_OK ||
	    b->failed) {
		b->failed = 1;
		return 1;
	}
	W(xmlTextWriterEndElement(b->w));
	W(xmlTextWriterEndElement(b->w));
	b->done++;
	if (b->o->progress != NULL && (b->done & 1023) == 0)
		b->o->progress(b->done, b->total, b->o->ctx);
	return 0;
}

/* The data team's explanations (gw_explain_add checked them), signed with the rest. */
static int
write_explanations(struct bctx *b)
{
	const struct gw_explanations *x = b->o->explain;
	size_t i;

	if (x == NULL || x->n == 0)
		return 0;
	if (xmlTextWriterStartElement(b->w, (const xmlChar *)"Explanations") < 0)
		return -1;
	for (i = 0; i < x->n; i++)
		if (xmlTextWriterStartElement(b->w, (const xmlChar *)"Explanation") < 0 ||
		    attr(b, "rule", x->item[i].rule) < 0 ||
		    xmlTextWriterWriteString(b->w, (const xmlChar *)x->item[i].text) < 0 ||
		    xmlTextWriterEndElement(b->w) < 0)
			return -1;
	return xmlTextWriterEndElement(b->w);
}

static int
write_header(struct bctx *b, const char *return_id)
{
	char created[32], count[24];
	time_t now = (time_t)b->o->now;
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(count, sizeof(count), "%llu", (unsigned long long)b->total);
	if (xmlTextWriterStartDocument(b->w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterSetIndent(b->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(b->w, (const xmlChar *)"  ") < 0 ||
	    xmlTextWriterStartElement(b->w, (const xmlChar *)"Return") < 0 ||
	    attr(b, "xmlns", RTN_NS) < 0 ||
	    xmlTextWriterStartElement(b->w, (const xmlChar *)"Header") < 0 ||
	    write_el(b, "Force", b->force) < 0 ||
	    write_el(b, "Period", b->period.label) < 0 ||
	    write_el(b, "SchemaVersion", RTN_SCHEMA_VERSION) < 0 ||
	    xmlTextWriterStartElement(b->w, (const xmlChar *)"Generator") < 0 ||
	    attr(b, "name", "asbgw") < 0 ||
	    attr(b, "version", GENERATOR_VERSION) < 0 ||
	    xmlTextWriterEndElement(b->w) < 0 ||
	    write_el(b, "Created", created) < 0 ||
	    write_el(b, "ReturnId", return_id) < 0 ||
	    (b->o->supersedes != NULL &&
	    write_el(b, "Supersedes", b->o->supersedes) < 0) ||
	    write_el(b, "Test", b->o->test ? "true" : "false") < 0 ||
	    write_el(b, "RecordCount", count) < 0 ||
	    write_explanations(b) < 0 ||
	    xmlTextWriterEndElement(b->w) < 0 ||
	    xmlTextWriterStartElement(b->w, (const xmlChar *)"Records") < 0)
		return -1;
	return 0;
}

struct vcollect {
	struct asb_errbuf *eb;
	int		 n;
};

static void
first_finding(const struct rtn_finding *f, void *ctx)
{
	struct vcollect *c = ctx;

	if (c->n++ == 0 && !f->warning)
		asb_fail(c->eb, ASB_ERULE, f->rule, "the return built does not "
		    "validate (record %s): %s", f->record, f->msg);
}

/* Record the disclosure in the register's audit log: what left, when, by whom. */
static int
audit(struct reg *reg, const struct gw_build_opts *o, const char *return_id,
    uint64_t n, struct asb_errbuf *eb)
{
	struct reg_audit a;
	int err;

	memset(&a, 0, sizeof(a));
	a.time = o->now;
	a.op = REG_AUDIT_DISCLOSURE;
	snprintf(a.user, sizeof(a.user), "%s", o->user ? o->user : "asbgw");
	snprintf(a.command, sizeof(a.command), "asbgw build");
	snprintf(a.ids, sizeof(a.ids), "return %s for %s%s (pseudonymised)",
	    return_id, o->period, o->test ? ", test" : "");
	a.count = n;
	if ((err = reg_begin(reg, 1, eb)) != ASB_OK)
		return err;
	/* Every record went into it: an access request finds this entry for any subject. */
	if ((err = reg_audit_all(reg, eb)) != ASB_OK ||
	    (err = reg_audit_append(reg, &a, eb)) != ASB_OK) {
		reg_abort(reg);
		return err;
	}
	return reg_commit(reg, eb);
}

int
gw_build_check(const struct gw_build_opts *o, struct rtn_period *ret,
    struct asb_errbuf *eb)
{
	struct rtn_period p;
	char end[ASB_TIME_BUF];
	int err;

	if ((err = rtn_period_parse(o->period, &p, eb)) != ASB_OK)
		return err;
	if (o->supersedes != NULL && !is_uuid4(o->supersedes))
		return asb_fail(eb, ASB_EUSAGE, NULL, "--supersedes: '%s' is not "
		    "a return ID (a lower-case UUID)", o->supersedes);
	if (!o->allow_open && o->now < p.end)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s has not ended: it ends at %s "
		    "(UK time); build its return after then (--allow-open-quarter "
		    "builds it now, for a test)", p.label, asb_time_iso(p.end, end,
		    sizeof(end)));
	if (ret != NULL)
		*ret = p;
	return ASB_OK;
}

int
gw_build(const struct gw_build_opts *o, struct gw_build_result *ret,
    struct asb_errbuf *eb)
{
	struct bctx b;
	struct rtn_validate_opts vo;
	struct rtn_validate_result vr;
	struct vcollect vc = { eb, 0 };
	xmlOutputBufferPtr out;
	char tmp[4200], dir[4200], return_id[37];
	int fd = -1, err, dfd;

	memset(&b, 0, sizeof(b));
	memset(ret, 0, sizeof(*ret));
	tmp[0] = '\0';
	b.o = o;
	b.eb = eb;
	if ((err = gw_build_check(o, &b.period, eb)) != ASB_OK)
		return err;
	if (uuid4(return_id) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "no randomness for the return "
		    "ID");
	/* The role policy is the register's: an officer may not build a return. */
	if ((err = reg_open_as(o->register_dir, o->user ? o->user : "asbgw", "build",
	    &b.reg, eb)) != ASB_OK)
		return err;
	if ((err = gw_key_load(o->register_dir, &b.key, eb)) != ASB_OK)
		goto out;
	b.force = reg_force(b.reg);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", o->out) >=
	    (int)sizeof(tmp) || (fd = mkstemp(tmp)) == -1) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: cannot create a file "
		    "beside it: %s", o->out, strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	if ((err = reg_begin(b.reg, 0, eb)) != ASB_OK)
		goto out;
	b.counting = 1;
	b.voids = reg_voids_any(b.reg);
	if ((err = reg_records_each(b.reg, one_record, &b, eb)) != ASB_OK ||
	    b.failed) {
		err = err != ASB_OK ? err : ASB_EIO;
		goto out_txn;
	}
	b.counting = 0;
	if ((out = xmlOutputBufferCreateFd(fd, NULL)) == NULL ||
	    (b.w = xmlNewTextWriter(out)) == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "cannot start the XML writer");
		goto out_txn;
	}
	if (write_header(&b, return_id) == -1 ||
	    (err = reg_records_each(b.reg, one_record, &b, eb)) != ASB_OK ||
	    b.failed || xmlTextWriterEndDocument(b.w) < 0) {
		err = err != ASB_OK ? err : asb_fail(eb, ASB_EIO, NULL,
		    "%s: writing failed", tmp);
		goto out_txn;
	}
	xmlFreeTextWriter(b.w);	/* flushes and frees the output buffer */
	b.w = NULL;
	reg_abort(b.reg);	/* end the read transaction */
	reg_release_pages(b.reg);	/* validation's memory is not added to the scan's */
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	/* Our own output is checked like anyone's before it may leave. */
	memset(&vo, 0, sizeof(vo));
	vo.max_errors = 10;
	vo.finding = first_finding;
	vo.ctx = &vc;
	vo.max_bytes = o->max_bytes;	/* larger than the hub accepts: refused whole */
	vo.schema = o->schema;
	vo.record = o->record;
	vo.record_ctx = o->record_ctx;
	if (rtn_validate(tmp, &vo, &vr, eb) != ASB_OK || vr.errors > 0) {
		if (vc.n == 0 && eb != NULL && eb->rule[0] == '\0')
			asb_fail(eb, ASB_ERULE, NULL, "the return built does not "
			    "validate");
		err = ASB_ERULE;
		goto out;
	}
	if (rename(tmp, o->out) == -1) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", o->out,
		    strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	snprintf(dir, sizeof(dir), "%s", o->out);
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY)) != -1) {
		(void)fsync(dfd);	/* the rename itself, on disk */
		close(dfd);
	}
	if ((err = audit(b.reg, o, return_id, b.total, eb)) != ASB_OK)
		goto out;
	snprintf(ret->return_id, sizeof(ret->return_id), "%s", return_id);
	ret->records = b.done;
	ret->events = b.events;
	goto out;
out_txn:
	if (b.w != NULL)
		xmlFreeTextWriter(b.w);	/* leaves the fd open: closed below */
	reg_abort(b.reg);
out:
	if (fd != -1)
		close(fd);
	if (tmp[0] != '\0')
		unlink(tmp);	/* never leave a half-written return behind */
	gw_key_free(b.key);
	reg_close(b.reg);
	return err;
}

/* ---- corrections due ---------------------------------------------------------------------- */

#define ACK_MAX		400	/* periods followed: 2014 to 2099 is 344 quarters */

struct acked {
	struct gw_correction c[ACK_MAX];
	struct rtn_period p[ACK_MAX];
	size_t		 n;
};

static void
note_acked(const struct ob_entry *e, void *ctx)
{
	struct acked *a = ctx;
	size_t i;

	if (e->test || strcmp(e->state, "acknowledged") != 0 ||
	    strcmp(e->outcome, "rejected") == 0)
		return;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->c[i].period, e->period) == 0)
			break;
	if (i == a->n) {
		if (a->n == ACK_MAX || rtn_period_parse(e->period, &a->p[i], NULL) != ASB_OK)
			return;
		a->n++;
	} else if (e->added <= a->c[i].acknowledged_since)
		return;		/* a later return for the period is what the hub counts */
	memset(&a->c[i], 0, sizeof(a->c[i]));
	snprintf(a->c[i].period, sizeof(a->c[i].period), "%s", e->period);
	snprintf(a->c[i].return_id, sizeof(a->c[i].return_id), "%s", e->id);
	a->c[i].acknowledged_since = e->added;
}

struct void_walk {
	struct reg	*reg;
	struct acked	*a;
	struct asb_errbuf *eb;
	int		 err;
};

/* A record changed at when (voided, or its subject merged): count it in each acknowledged
 * period that it belonged to and whose return entered the outbox before then (the same
 * second counts as after: a correction too many is safer than one missed). */
static int
count_changed(struct void_walk *w, uint64_t id, asb_time when, int merged)
{
	struct reg_record rec;
	struct membership m;
	size_t i;

	rec.id = 0;	/* read once, when a period asks */
	for (i = 0; i < w->a->n; i++) {
		if (when < w->a->c[i].acknowledged_since)
			continue;
		if (rec.id != id) {
			if ((w->err = reg_record_get(w->reg, id, &rec, w->eb)) != ASB_OK)
				return 1;
			rec.id = id;
		}
		if (rec.issued >= w->a->p[i].end)
			continue;
		m.p = &w->a->p[i];
		m.in = rtn_period_contains(m.p, rec.issued);
		if (!m.in && (w->err = reg_event_each(w->reg, rec.id, event_in, &m,
		    w->eb)) != ASB_OK)
			return 1;
		if (m.in && merged)
			w->a->c[i].merged++;
		else if (m.in)
			w->a->c[i].records++;
	}
	return 0;
}

static int
count_void(const struct reg_void *vd, void *ctx)
{
	return count_changed(ctx, vd->record, vd->time, 0);
}

static int
count_merged(uint64_t record, const struct reg_merge *mg, void *ctx)
{
	struct void_walk *w = ctx;
	struct reg_void vd;

	/* A void record is counted as void, or was in no return. */
	if (reg_void_get(w->reg, record, &vd, NULL) == ASB_OK)
		return 0;
	return count_changed(w, record, mg->time, 1);
}

int
gw_corrections_due(const char *register_dir, struct outbox *ob, const char *user,
    void (*fn)(const struct gw_correction *, void *), void *ctx, struct asb_errbuf *eb)
{
	struct acked *a;
	struct void_walk w;
	struct reg *reg = NULL;
	struct outbox *own = NULL;
	char path[4200];
	struct stat st;
	size_t i;
	int err;

	if (ob == NULL) {
		/* No outbox: nothing was ever acknowledged (and none is made here). */
		snprintf(path, sizeof(path), "%s/outbox/data.mdb", register_dir);
		if (stat(path, &st) == -1)
			return ASB_OK;
		if ((err = ob_open(register_dir, &own, eb)) != ASB_OK)
			return err;
		ob = own;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		ob_close(own);
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	}
	err = ob_each(ob, note_acked, a, eb);
	ob_close(own);
	if (err != ASB_OK || a->n == 0)
		goto out;
	if ((err = reg_open_as(register_dir, user ? user : "asbgw", "build", &reg,
	    eb)) != ASB_OK || (err = reg_begin(reg, 0, eb)) != ASB_OK)
		goto out;
	memset(&w, 0, sizeof(w));
	w.reg = reg;
	w.a = a;
	w.eb = eb;
	if (reg_voids_any(reg) && (err = reg_void_each(reg, count_void, &w, eb)) ==
	    ASB_OK)
		err = w.err;
	if (err == ASB_OK && (err = reg_merged_records_each(reg, count_merged, &w, eb)) ==
	    ASB_OK)
		err = w.err;
	reg_abort(reg);
	for (i = 0; err == ASB_OK && i < a->n; i++)
		if (a->c[i].records > 0 || a->c[i].merged > 0)
			fn(&a->c[i], ctx);
out:
	reg_close(reg);
	free(a);
	return err;
}
