/*
 * walker.c - what the validator does at each node of a return, streamed or walked as a tree:
 * the header and record fields it keeps (fixed buffers, codes as code-list indexes), and at
 * the end of each Record the return's own consistency, the statutory rules of schema/ and the
 * record's facts handed to the caller (facts.h) - the same facts the hub stores and counts.
 */
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "num.h"
#include "rules.h"
#include "walker.h"

static const char *const names[N_COUNT] = {
	"", "Return", "Header", "Record", "Event", "Follows", "Direction",
	"Force", "Period", "SchemaVersion", "ReturnId", "Test", "Created", "RecordCount",
	"Explanations",
	"Subject", "SubjectKind", "Power", "Agency", "AuthoriserRank", "Issued",
	"Served", "Expires", "AgeBand", "Sex", "Ethnicity", "Interim", "WithoutNotice",
	"PartialClosure", "LocalAuthority",
	"id", "issuedInPeriod", "kind", "date", "inPeriod", "until", "outcome",
	"amountPence", "rank", "power", "issued", "sameSubject", "served",
	"expires", "ended", "adjourned", "decidedBy", "applicant", "areaSpecified",
	"leaveBy", "removedUnder16", "propertySurrendered"
};

void
walk_finding(struct vctx *v, const char *rule, int warning, long line,
    const char *record, const char *fmt, ...)
{
	struct rtn_finding f;
	va_list ap;

	if (!warning && v->res->errors >= v->max) {
		v->res->truncated = 1;
		if (!v->tree)
			v->stop = 1;	/* a tree is walked to the end to count it */
		return;
	}
	memset(&f, 0, sizeof(f));
	snprintf(f.rule, sizeof(f.rule), "%s", rule);
	f.warning = warning;
	f.line = line;
	snprintf(f.record, sizeof(f.record), "%s", record ? record : "");
	va_start(ap, fmt);
	vsnprintf(f.msg, sizeof(f.msg), fmt, ap);
	va_end(ap);
	if (warning)
		v->res->warnings++;
	else
		v->res->errors++;
	if (v->opts->finding != NULL)
		v->opts->finding(&f, v->opts->ctx);
}

long
walk_line(struct vctx *v)
{
	if (v->tree)
		return xmlGetLineNo(xmlTextReaderCurrentNode(v->reader));
	return xmlTextReaderGetParserLineNumber(v->reader);
}

/* Remember a record ID; 1 if it was already seen. */
static int
seen_add(struct vctx *v, const char *id)
{
	uint64_t h = 0, *grown;
	size_t i, cap;
	int j;

	for (j = 0; j < 16; j++)
		h = h << 4 | (uint64_t)(id[j] <= '9' ? id[j] - '0' : id[j] - 'a' + 10);
	h |= 1;	/* 0 marks an empty slot */
	if (v->seen_n * 2 >= v->seen_cap) {
		cap = v->seen_cap ? v->seen_cap * 2 : 1024;
		if ((grown = calloc(cap, sizeof(*grown))) == NULL)
			return 0;
		for (i = 0; i < v->seen_cap; i++) {
			size_t k;

			if (v->seen[i] == 0)
				continue;
			for (k = v->seen[i] % cap; grown[k] != 0; k = (k + 1) % cap)
				;
			grown[k] = v->seen[i];
		}
		free(v->seen);
		v->seen = grown;
		v->seen_cap = cap;
	}
	for (i = h % v->seen_cap; v->seen[i] != 0; i = (i + 1) % v->seen_cap)
		if (v->seen[i] == h)
			return 1;
	v->seen[i] = h;
	v->seen_n++;
	return 0;
}

/* Which of the names lo..hi an interned name is: only those possible where the reader is. */
static int
name_in(const struct vctx *v, const xmlChar *name, int lo, int hi)
{
	int i;

	for (i = lo; i <= hi; i++)
		if (v->interned[i] == name)
			return i;
	return N_OTHER;
}

/* s without the white space the XSD collapses around a boolean or a dateTime, into buf. */
static const char *
trimmed(const char *s, char *buf, size_t cap)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (n = strlen(s); n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\n' || s[n - 1] == '\r'); n--)
		;
	if (n >= cap)
		n = cap - 1;	/* longer than any value: the XSD refuses it */
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static asb_time
to_time(const char *s)
{
	asb_time t = 0;
	char buf[64];

	return asb_time_parse(trimmed(s, buf, sizeof(buf)), &t) == 0 ? t : 0;
}

/* xs:boolean as the XSD reads it, white space collapsed: the one reading of it (rtn.h). */
static int
to_bool(const char *s)
{
	char buf[8];
	int b = 0;

	trimmed(s, buf, sizeof(buf));
	return rtn_xs_boolean(buf, &b) == 0 && b;
}

/* Text into a fixed field, cut to fit: anything longer fails the XSD anyway. */
void
walk_set_text(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Visit the current element's attributes without copying them; back to the element after. */
static void
attrs_each(struct vctx *v, void (*fn)(struct vctx *, int, const char *))
{
	while (xmlTextReaderMoveToNextAttribute(v->reader) == 1)
		fn(v, name_in(v, xmlTextReaderConstLocalName(v->reader), A_ID,
		    A_SURRENDERED), (const char *)xmlTextReaderConstValue(v->reader));
	xmlTextReaderMoveToElement(v->reader);
}

static void
record_attr(struct vctx *v, int name, const char *val)
{
	if (name == A_ID)
		walk_set_text(v->rec.id, sizeof(v->rec.id), val);
	else if (name == A_ISSUEDINPERIOD)
		v->rec.issued_in_period = to_bool(val);
}

/* The first fact of version 1.1 a record uses, for R-RTN-005. */
static void
uses_11(struct vrecord *x, const char *what)
{
	if (x->v11 == NULL)
		x->v11 = what;
}

static void
record_start(struct vctx *v)
{
	struct vrecord *x = &v->rec;

	memset(x, 0, offsetof(struct vrecord, events));
	x->power = x->kind = x->agency = x->age = x->link_power = -1;
	x->band = x->sex = x->ethnicity = -1;
	x->line = walk_line(v);
	attrs_each(v, record_attr);
	if (v->tree) {
		xmlNodePtr n = xmlTextReaderCurrentNode(v->reader);
		size_t i;

		for (v->rec_bad = 0, i = 0; i < v->nbad && !v->rec_bad; i++)
			v->rec_bad = v->bad[i] == n;
	}
	v->in_record = 1;
}

static void
record_field(struct vctx *v, int name, const char *text)
{
	struct vrecord *x = &v->rec;

	switch (name) {
	case N_SUBJECT:
		walk_set_text(x->subject, sizeof(x->subject), text);
		break;
	case N_SUBJECTKIND:
		x->kind = sch_subject_kind_from_code(text);
		if (x->kind == SCH_BODY)
			uses_11(x, "SubjectKind body");
		break;
	case N_INTERIM:
		x->interim = to_bool(text);
		uses_11(x, "Interim");
		break;
	case N_WITHOUTNOTICE:
		x->without_notice = to_bool(text);
		uses_11(x, "WithoutNotice");
		break;
	case N_PARTIAL:
		x->partial = to_bool(text);
		uses_11(x, "PartialClosure");
		break;
	case N_SEX:
		x->sex = sch_code_index(SCH_LIST_SEX, text);
		break;
	case N_ETHNICITY:
		x->ethnicity = sch_code_index(SCH_LIST_ETHNICITY, text);
		break;
	case N_LA:
		x->la = rtn_la_encode(text);
		break;
	case N_POWER:
		x->power = sch_code_index(SCH_LIST_POWERS, text);
		break;
	case N_AGENCY:
		x->agency = sch_code_index(SCH_LIST_AGENCIES, text);
		break;
	case N_RANK:
		walk_set_text(x->rank, sizeof(x->rank), text);
		break;
	case N_ISSUED:
		x->issued = to_time(text);
		break;
	case N_SERVED:
		x->served = to_time(text);
		break;
	case N_EXPIRES:
		x->expires = to_time(text);
		break;
	case N_AGEBAND:
		x->age = rtn_age_band_max(text);	/* agebands.tsv */
		x->band = rtn_age_band_index(text);
		break;
	}
}

static void
event_attr(struct vctx *v, int name, const char *val)
{
	struct vevent *e = &v->rec.events[v->rec.nevents - 1];
	int64_t amount;
	const char *why;

	switch (name) {
	case A_KIND:
		e->kind = sch_code_index(SCH_LIST_EVENTS, val);
		break;
	case A_DATE:
		e->date = to_time(val);
		break;
	case A_UNTIL:
		e->until = to_time(val);
		break;
	case A_INPERIOD:
		e->in_period = to_bool(val);
		break;
	case A_OUTCOME:
		e->outcome = sch_code_index(SCH_LIST_OUTCOMES, val);
		break;
	case A_AMOUNT:
		if (asb_strtonum(val, 0, INT64_MAX, &amount, &why) == 0)
			e->amount = amount;
		break;
	case A_RANK:
		walk_set_text(e->rank, sizeof(e->rank), val);
		break;
	case A_DECIDEDBY:
		walk_set_text(e->decided_by, sizeof(e->decided_by), val);
		uses_11(&v->rec, "Event/@decidedBy");
		break;
	case A_APPLICANT:
		walk_set_text(e->applicant, sizeof(e->applicant), val);
		uses_11(&v->rec, "Event/@applicant");
		break;
	}
	if (name == A_KIND && e->kind == SCH_EV_ADJOURNED)
		uses_11(&v->rec, "the event kind adjourned");
}

static void
event_start(struct vctx *v)
{
	struct vevent *e;

	if (v->rec.nevents == ASB_MAX_EVENTS)
		return;	/* the XSD refuses more */
	e = &v->rec.events[v->rec.nevents++];
	memset(e, 0, sizeof(*e));
	e->kind = -1;
	e->outcome = -1;
	e->amount = -1;
	attrs_each(v, event_attr);
}

static void
follows_attr(struct vctx *v, int name, const char *val)
{
	struct vrecord *x = &v->rec;

	switch (name) {
	case A_POWER:
		x->link_power = sch_code_index(SCH_LIST_POWERS, val);
		break;
	case A_SAMESUBJECT:
		x->link_same = to_bool(val);
		break;
	case A_ISSUED:
		x->link_issued = to_time(val);
		break;
	case A_SERVED:
		x->link_served = to_time(val);
		break;
	case A_EXPIRES:
		x->link_expires = to_time(val);
		break;
	case A_ENDED:
		x->link_ended = to_time(val);
		break;
	case A_ADJOURNED:
		x->link_adjourned = to_time(val);
		uses_11(x, "Follows/@adjourned");
		break;
	}
}

/* 1.1: a dispersal direction's record, as statistics. */
static void
direction_attr(struct vctx *v, int name, const char *val)
{
	struct vrecord *x = &v->rec;

	uses_11(x, "Direction");
	switch (name) {
	case A_AREASPECIFIED:
		x->area_given = to_bool(val) ? SCH_AREA_GIVEN : SCH_AREA_NONE;
		break;
	case A_LEAVEBY:
		x->leave_by = to_time(val);
		break;
	case A_REMOVED:
		x->removed = to_bool(val);
		break;
	case A_SURRENDERED:
		x->surrendered = to_bool(val);
		break;
	}
}

static void
report(struct vctx *v, const struct sch_findings *f)
{
	unsigned i;

	for (i = 0; i < f->n; i++)
		walk_finding(v, f->item[i].rule, f->item[i].warning, v->rec.line,
		    v->rec.id, "%s", f->item[i].msg);
}

/* What the walk read from a Record, to the caller's callback (facts.h): exactly the values
 * the XSD and the rules were given, codes as their code-list indexes. */
static void
hand_facts(struct vctx *v)
{
	const struct vrecord *x = &v->rec;
	struct rtn_record_facts f;
	unsigned i;

	memset(&f, 0, sizeof(f));
	f.has_subject = rtn_pseudonym_bytes(x->subject, f.subject) == 0;
	f.issued_in_period = x->issued_in_period;
	f.kind = x->kind;
	f.power = x->power;
	f.agency = x->agency;
	f.age_band = x->band;
	f.sex = x->sex;
	f.ethnicity = x->ethnicity;
	f.la = x->la;
	f.la_index = -1;
	f.nevents = x->nevents;
	for (i = 0; i < x->nevents; i++) {
		v->fev[i].kind = x->events[i].kind;
		v->fev[i].in_period = x->events[i].in_period;
		v->fev[i].outcome = x->events[i].outcome;
	}
	f.events = v->fev;
	v->opts->record(&f, v->opts->record_ctx);
}

/* The end of a Record: its facts to the caller, the return's own consistency, then the
 * statutory rules. */
static void
record_end(struct vctx *v)
{
	struct vrecord *x = &v->rec;
	struct sch_findings f;
	struct sch_event_fact e;
	struct sch_life life;
	struct sch_use u;
	int any_in = 0;
	unsigned i, base = v->rec_xsd_base;

	v->in_record = 0;
	v->res->records++;
	if (v->opts->record != NULL)
		hand_facts(v);
	v->rec_xsd_base = v->xsd_errors;
	if (x->id[0] != '\0' && seen_add(v, x->id))
		walk_finding(v, "R-RTN-003", 0, x->line, x->id, "record ID appears "
		    "twice in this return: each use of a power is one Record");
	if (v->xsd_errors > base || v->rec_bad || x->power < 0 || x->kind < 0 ||
	    x->issued == 0)
		return;	/* the XSD findings say what to fix first */
	/* One schema accepts both versions; what a 1.0 return cannot hold, it says here. */
	if (v->minor == 0 && x->v11 != NULL)
		walk_finding(v, "R-RTN-005", 0, x->line, x->id, "the return says "
		    "SchemaVersion 1.0 but uses %s, which version 1.1 added: write "
		    "SchemaVersion 1.1", x->v11);
	if (v->have_period) {
		if (x->issued_in_period != rtn_period_contains(&v->period,
		    x->issued))
			walk_finding(v, "R-RTN-002", 0, x->line, x->id, "issuedInPeriod "
			    "is %s but the record was issued %s %s",
			    x->issued_in_period ? "true" : "false",
			    x->issued_in_period ? "outside" : "in",
			    v->period.label);
		for (i = 0; i < x->nevents; i++) {
			int in = rtn_period_contains(&v->period, x->events[i].date);

			any_in |= in;
			if (x->events[i].date >= v->period.end)
				walk_finding(v, "R-RTN-002", 0, x->line, x->id, "event %u "
				    "is after the end of %s: it belongs to a later "
				    "return", i + 1, v->period.label);
			else if (x->events[i].in_period != in)
				walk_finding(v, "R-RTN-002", 0, x->line, x->id, "event %u "
				    "has inPeriod=%s but is dated %s %s", i + 1,
				    x->events[i].in_period ? "true" : "false",
				    in ? "in" : "outside", v->period.label);
		}
		if (!rtn_period_contains(&v->period, x->issued) && !any_in)
			walk_finding(v, "R-RTN-004", 0, x->line, x->id, "the record was "
			    "neither issued nor had an event in %s: leave it out",
			    v->period.label);
	}
	memset(&u, 0, sizeof(u));
	u.power = x->power;
	u.subject_kind = x->kind;
	u.age = x->kind == SCH_PERSON ? x->age : -1;
	u.agency = x->agency;
	u.rank = x->rank;
	u.issued = x->issued;
	u.served = x->served;
	u.expires = x->expires;
	u.link_power = x->link_power;
	u.link_same_subject = x->link_same;
	u.link_issued = x->link_issued;
	u.link_served = x->link_served;
	u.link_expires = x->link_expires;
	u.link_ended = x->link_ended;
	u.link_adjourned = x->link_adjourned;
	u.interim = x->interim;
	u.without_notice = x->without_notice;
	u.partial = x->partial;
	u.area_given = x->area_given;
	u.leave_by = x->leave_by;
	u.removed = x->removed;
	u.surrendered = x->surrendered;
	/* Expires is the expiry as issued; extensions and variations are events, checked in
	 * order against the life so far, exactly as the register checked them. */
	sch_check_use(&u, v->created, &f);
	report(v, &f);
	sch_life_init(&life, &u);
	for (i = 0; i < x->nevents; i++) {
		e.kind = x->events[i].kind;
		e.date = x->events[i].date;
		e.until = x->events[i].until;
		e.rank = x->events[i].rank;
		e.amount = x->events[i].amount;
		e.decided_by = x->events[i].decided_by;
		e.applicant = x->events[i].applicant;
		if (e.kind < 0 || e.date == 0)
			continue;
		sch_check_event(&u, &life, &e, v->created, &f);
		report(v, &f);
		sch_life_apply(&life, &e);
	}
}

static void
header_field(struct vctx *v, int name, const char *text)
{
	int64_t n;
	const char *why;

	switch (name) {
	case N_FORCE:
		walk_set_text(v->res->force, sizeof(v->res->force), text);
		break;
	case N_SCHEMAVERSION: {
		char b[8];

		trimmed(text, b, sizeof(b));
		v->minor = strcmp(b, "1.0") == 0 ? 0 : strcmp(b, "1.1") == 0 ? 1 : -1;
		break;
	}
	case N_PERIOD:
		walk_set_text(v->res->period, sizeof(v->res->period), text);
		v->have_period = rtn_period_parse(text, &v->period, NULL) ==
		    ASB_OK;
		break;
	case N_RETURNID:
		walk_set_text(v->res->return_id, sizeof(v->res->return_id), text);
		break;
	case N_TEST:
		v->res->test = to_bool(text);
		break;
	case N_CREATED:
		v->created = to_time(text);
		break;
	case N_RECORDCOUNT:
		if (asb_strtonum(text, 0, INT64_MAX, &n, &why) == 0) {
			v->declared = (uint64_t)n;
			v->have_declared = 1;
		}
		break;
	}
}

void
walk_element(struct vctx *v, const xmlChar *xname, int depth)
{
	const xmlChar *ns;
	int name;

	v->field = N_OTHER;
	switch (depth) {
	case 0:
	case 1:
		name = name_in(v, xname, N_RETURN, N_HEADER);
		break;
	case 2:
		name = name_in(v, xname, N_RECORD, N_RECORD);
		if (name == N_OTHER && v->in_header)
			name = name_in(v, xname, N_FORCE, N_EXPLANATIONS);
		break;
	case 3:
		name = name_in(v, xname, N_FOLLOWS, N_DIRECTION);
		if (name == N_OTHER)
			name = name_in(v, xname, N_SUBJECT, N_LA);
		break;
	default:
		name = name_in(v, xname, N_EVENT, N_EVENT);
		break;
	}
	switch (depth) {
	case 0:
		ns = xmlTextReaderConstNamespaceUri(v->reader);
		if (name != N_RETURN || ns == NULL ||
		    strcmp((const char *)ns, RTN_NS) != 0) {
			walk_finding(v, "R-XSD-006", 0,
			    walk_line(v), "",
			    "this is not an ASB powers return: the root must be "
			    "Return in namespace %s", RTN_NS);
			v->stop = 1;
		}
		return;
	case 1:
		v->in_header = name == N_HEADER;
		return;
	case 2:
		if (name == N_RECORD)
			record_start(v);
		else if (v->in_header && name >= N_FORCE && name <= N_RECORDCOUNT)
			v->field = name;
		else if (v->in_header && name == N_EXPLANATIONS && v->minor == 0)
			/* SchemaVersion comes first in the Header: it is known here */
			walk_finding(v, "R-RTN-005", 0, walk_line(v), "", "the return says "
			    "SchemaVersion 1.0 but has Explanations, which version 1.1 "
			    "added: write SchemaVersion 1.1");
		break;
	case 3:
		if (!v->in_record)
			break;
		if (name == N_FOLLOWS)
			attrs_each(v, follows_attr);
		else if (name == N_DIRECTION)
			attrs_each(v, direction_attr);
		else if (name >= N_SUBJECT && name <= N_LA)
			v->field = name;
		break;
	case 4:
		if (v->in_record && name == N_EVENT)
			event_start(v);
		break;
	}
	v->text[0] = '\0';
}

void
walk_text(struct vctx *v)
{
	const xmlChar *s;
	size_t have, n;

	if (v->field == N_OTHER ||
	    (s = xmlTextReaderConstValue(v->reader)) == NULL)
		return;
	have = strlen(v->text);
	n = strnlen((const char *)s, sizeof(v->text) - have - 1);
	memcpy(v->text + have, s, n);	/* the XSD bounds every field */
	v->text[have + n] = '\0';
}

void
walk_end_element(struct vctx *v, const xmlChar *xname, int depth)
{
	int name = v->field;

	if (depth == 2 && v->in_record && xname == v->interned[N_RECORD]) {
		record_end(v);
		return;
	}
	if (name != N_OTHER && xname == v->interned[name]) {
		if (v->in_header && depth == 2)
			header_field(v, name, v->text);
		else if (v->in_record && depth == 3)
			record_field(v, name, v->text);
	}
	v->field = N_OTHER;
}

void
walk_intern(struct vctx *v, xmlDictPtr dict)
{
	int i;

	for (i = 1; i < N_COUNT; i++)
		v->interned[i] = dict != NULL ?
		    xmlDictLookup(dict, (const xmlChar *)names[i], -1) :
		    xmlTextReaderConstString(v->reader, (const xmlChar *)names[i]);
}