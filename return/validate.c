/*
 * validate.c - a return checked as it streams: libxml2's reader with the XSD attached, and at
 * the end of each Record the statutory rules of schema/ on the facts it carries.  One report
 * for both layers: every finding has a rule ID (XSD and XML findings too), a severity, a line
 * and the record's pseudonym.
 *
 * Hostile input: the parser never loads a DTD, never substitutes entities, never touches the
 * network; a DOCTYPE is refused outright (that is where XXE and entity bombs live), depth is
 * capped far below libxml2's own limit, and text is copied only into fixed buffers.
 */
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asb_limits.h"
#include "codes.h"
#include "rtn.h"
#include "num.h"
#include "rules.h"
#include "xsd.h"

/* depth and size: asb_limits.h says why these numbers */
#define MAX_DEPTH	ASB_MAX_XML_DEPTH
#define MAX_RETURN_BYTES	ASB_MAX_RETURN_BYTES
#define FIELD_MAX	96

struct vevent {
	int		 kind;
	asb_time	 date;
	asb_time	 until;
	int		 in_period;
	int64_t		 amount;
	char		 rank[ASB_MAX_SHORT];
};

struct vrecord {
	char		 id[RTN_ID_LEN + 1];
	int		 issued_in_period;
	int		 kind, power, agency, age;
	char		 rank[ASB_MAX_SHORT];
	asb_time	 issued, served, expires;
	int		 link_power, link_same;
	asb_time	 link_issued, link_served, link_expires, link_ended;
	long		 line;
	unsigned	 nevents;
	struct vevent	 events[ASB_MAX_EVENTS];
};

/* The names the validator acts on, interned once in the reader's dictionary so each node
 * is recognised by comparing pointers, not strings. */
enum name {
	N_OTHER, N_RETURN, N_HEADER, N_RECORD, N_EVENT, N_FOLLOWS,
	/* header fields */
	N_FORCE, N_PERIOD, N_RETURNID, N_TEST, N_CREATED, N_RECORDCOUNT,
	/* record fields */
	N_SUBJECTKIND, N_POWER, N_AGENCY, N_RANK, N_ISSUED, N_SERVED, N_EXPIRES,
	N_AGEBAND,
	/* attributes */
	A_ID, A_ISSUEDINPERIOD, A_KIND, A_DATE, A_INPERIOD, A_UNTIL, A_OUTCOME,
	A_AMOUNT, A_RANK, A_POWER, A_ISSUED, A_SAMESUBJECT, A_SERVED, A_EXPIRES,
	A_ENDED,
	N_COUNT
};

static const char *const names[N_COUNT] = {
	"", "Return", "Header", "Record", "Event", "Follows",
	"Force", "Period", "ReturnId", "Test", "Created", "RecordCount",
	"SubjectKind", "Power", "Agency", "AuthoriserRank", "Issued", "Served",
	"Expires", "AgeBand",
	"id", "issuedInPeriod", "kind", "date", "inPeriod", "until", "outcome",
	"amountPence", "rank", "power", "issued", "sameSubject", "served",
	"expires", "ended"
};

struct vctx {
	const xmlChar	*interned[N_COUNT];
	const struct rtn_validate_opts *opts;
	struct rtn_validate_result *res;
	xmlTextReaderPtr reader;
	int		 tree;		/* walking a parsed document, not a stream */
	xmlNodePtr	*bad;		/* tree: the Records the XSD refused (at most max) */
	size_t		 nbad;
	int		 rec_bad;	/* tree: the current Record is one of them */
	size_t		 max;
	unsigned	 xsd_errors;	/* counted, to skip rules on a record the XSD refused */
	unsigned	 rec_xsd_base;	/* the count when the last Record ended: an error on a
					 * start tag may be reported a read or two late */
	int		 stop;
	/* where we are */
	int		 field;		/* enum name of the element whose text we keep */
	char		 text[FIELD_MAX];
	int		 in_header, in_record;
	struct rtn_period period;
	int		 have_period;
	asb_time	 created;
	uint64_t	 declared;
	int		 have_declared;
	struct vrecord	 rec;
	/* duplicate record IDs: open addressing over the first 64 bits of each pseudonym */
	uint64_t	*seen;
	size_t		 seen_cap, seen_n;
};

static void
finding(struct vctx *v, const char *rule, int warning, long line,
    const char *record, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
finding(struct vctx *v, const char *rule, int warning, long line,
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

/* libxml2's schema error codes, grouped into rule IDs a data team can look up. */
static const char *
xsd_rule(int code, const char **hint)
{
	switch (code) {
	case XML_SCHEMAV_CVC_ENUMERATION_VALID:
		*hint = "use a code from the code list (asbreg codes)";
		return "R-XSD-002";
	case XML_SCHEMAV_CVC_PATTERN_VALID:
		*hint = "the value does not have the required form";
		return "R-XSD-003";
	case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1:
	case XML_SCHEMAV_CVC_TYPE_3_1_2:
	case XML_SCHEMAV_CVC_MININCLUSIVE_VALID:
	case XML_SCHEMAV_CVC_MAXLENGTH_VALID:
	case XML_SCHEMAV_CVC_MINLENGTH_VALID:
		*hint = "the value is not of the required type (dates are "
		    "YYYY-MM-DDThh:mm:ss with an offset)";
		return "R-XSD-004";
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_4:
		*hint = "an attribute is missing or not allowed here";
		return "R-XSD-005";
	case XML_SCHEMAV_CVC_ELT_1:
		*hint = "the root is not a Return in namespace " RTN_NS;
		return "R-XSD-006";
	default:
		*hint = "an element is missing, misplaced or not allowed here";
		return "R-XSD-001";
	}
}

static void set_text(char *dst, size_t cap, const char *src);

/* The line of the node the reader is on: the parser's position in a stream. */
static long
cur_line(struct vctx *v)
{
	if (v->tree)
		return xmlGetLineNo(xmlTextReaderCurrentNode(v->reader));
	return xmlTextReaderGetParserLineNumber(v->reader);
}

/* The Record (Return/Records/Record) a node of a parsed return lies in, or NULL. */
static xmlNodePtr
record_of(xmlNodePtr n)
{
	for (; n != NULL && n->type != XML_DOCUMENT_NODE; n = n->parent)
		if (n->type == XML_ELEMENT_NODE && n->parent != NULL &&
		    n->parent->parent != NULL && n->parent->parent->parent != NULL &&
		    n->parent->parent->parent->type == XML_DOCUMENT_NODE)
			return strcmp((const char *)n->name, "Record") == 0 ? n : NULL;
	return NULL;
}

/* An XSD finding on a parsed return: located by its node; its Record is remembered so the
 * rules pass skips it, as the stream does. */
static void
tree_xsd_error(struct vctx *v, xmlErrorPtr e, const char *msg)
{
	const char *rule, *hint = "";
	xmlNodePtr node = e->node, rec = record_of(node);
	xmlChar *id = NULL;
	char rid[RTN_ID_LEN + 1] = "";

	rule = xsd_rule(e->code, &hint);
	v->xsd_errors++;
	if (rec != NULL) {
		if ((id = xmlGetNoNsProp(rec, BAD_CAST "id")) != NULL)
			set_text(rid, sizeof(rid), (const char *)id);
		xmlFree(id);
		if (v->bad != NULL && v->nbad < v->max &&
		    (v->nbad == 0 || v->bad[v->nbad - 1] != rec))
			v->bad[v->nbad++] = rec;
	}
	finding(v, rule, 0, node != NULL ? xmlGetLineNo(node) : e->line, rid, "%s: %s",
	    hint, msg);
}

static void
on_error(void *ctx, xmlErrorPtr e)
{
	struct vctx *v = ctx;
	char msg[300];
	const char *rule, *hint = "";
	size_t n;

	if (e == NULL || e->level == XML_ERR_WARNING)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (e->domain == XML_FROM_SCHEMASV && v->tree) {
		tree_xsd_error(v, e, msg);
	} else if (e->domain == XML_FROM_SCHEMASV) {
		rule = xsd_rule(e->code, &hint);
		v->xsd_errors++;
		finding(v, rule, 0, e->line, v->in_record ? v->rec.id : "",
		    "%s: %s", hint, msg);
	} else {
		finding(v, "R-XML-001", 0, e->line, "", "not well-formed XML "
		    "(truncated, bad UTF-8 or broken markup): %s", msg);
		v->stop = 1;
	}
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

static asb_time
to_time(const char *s)
{
	asb_time t = 0;

	return asb_time_parse(s, &t) == 0 ? t : 0;
}

static int
to_bool(const char *s)
{
	int b = 0;

	return rtn_xs_boolean(s, &b) == 0 && b;	/* one reading of xs:boolean */
}

/* Text into a fixed field, cut to fit: anything longer fails the XSD anyway. */
static void
set_text(char *dst, size_t cap, const char *src)
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
		    A_ENDED), (const char *)xmlTextReaderConstValue(v->reader));
	xmlTextReaderMoveToElement(v->reader);
}

static void
record_attr(struct vctx *v, int name, const char *val)
{
	if (name == A_ID)
		set_text(v->rec.id, sizeof(v->rec.id), val);
	else if (name == A_ISSUEDINPERIOD)
		v->rec.issued_in_period = to_bool(val);
}

static void
record_start(struct vctx *v)
{
	struct vrecord *x = &v->rec;

	memset(x, 0, offsetof(struct vrecord, events));
	x->power = x->kind = x->agency = x->age = x->link_power = -1;
	x->line = cur_line(v);
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
	case N_SUBJECTKIND:
		x->kind = sch_subject_kind_from_code(text);
		break;
	case N_POWER:
		x->power = sch_code_index(SCH_LIST_POWERS, text);
		break;
	case N_AGENCY:
		x->agency = sch_code_index(SCH_LIST_AGENCIES, text);
		break;
	case N_RANK:
		set_text(x->rank, sizeof(x->rank), text);
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
	case A_AMOUNT:
		if (asb_strtonum(val, 0, INT64_MAX, &amount, &why) == 0)
			e->amount = amount;
		break;
	case A_RANK:
		set_text(e->rank, sizeof(e->rank), val);
		break;
	}
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
	}
}

static void
report(struct vctx *v, const struct sch_findings *f)
{
	unsigned i;

	for (i = 0; i < f->n; i++)
		finding(v, f->item[i].rule, f->item[i].warning, v->rec.line,
		    v->rec.id, "%s", f->item[i].msg);
}

/* The end of a Record: the return's own consistency, then the statutory rules. */
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
	v->rec_xsd_base = v->xsd_errors;
	if (x->id[0] != '\0' && seen_add(v, x->id))
		finding(v, "R-RTN-003", 0, x->line, x->id, "record ID appears "
		    "twice in this return: each use of a power is one Record");
	if (v->xsd_errors > base || v->rec_bad || x->power < 0 || x->kind < 0 ||
	    x->issued == 0)
		return;	/* the XSD findings say what to fix first */
	if (v->have_period) {
		if (x->issued_in_period != rtn_period_contains(&v->period,
		    x->issued))
			finding(v, "R-RTN-002", 0, x->line, x->id, "issuedInPeriod "
			    "is %s but the record was issued %s %s",
			    x->issued_in_period ? "true" : "false",
			    x->issued_in_period ? "outside" : "in",
			    v->period.label);
		for (i = 0; i < x->nevents; i++) {
			int in = rtn_period_contains(&v->period, x->events[i].date);

			any_in |= in;
			if (x->events[i].date >= v->period.end)
				finding(v, "R-RTN-002", 0, x->line, x->id, "event %u "
				    "is after the end of %s: it belongs to a later "
				    "return", i + 1, v->period.label);
			else if (x->events[i].in_period != in)
				finding(v, "R-RTN-002", 0, x->line, x->id, "event %u "
				    "has inPeriod=%s but is dated %s %s", i + 1,
				    x->events[i].in_period ? "true" : "false",
				    in ? "in" : "outside", v->period.label);
		}
		if (!rtn_period_contains(&v->period, x->issued) && !any_in)
			finding(v, "R-RTN-004", 0, x->line, x->id, "the record was "
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
		set_text(v->res->force, sizeof(v->res->force), text);
		break;
	case N_PERIOD:
		set_text(v->res->period, sizeof(v->res->period), text);
		v->have_period = rtn_period_parse(text, &v->period, NULL) ==
		    ASB_OK;
		break;
	case N_RETURNID:
		set_text(v->res->return_id, sizeof(v->res->return_id), text);
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

static void
element(struct vctx *v, const xmlChar *xname, int depth)
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
			name = name_in(v, xname, N_FORCE, N_RECORDCOUNT);
		break;
	case 3:
		name = name_in(v, xname, N_FOLLOWS, N_FOLLOWS);
		if (name == N_OTHER)
			name = name_in(v, xname, N_SUBJECTKIND, N_AGEBAND);
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
			finding(v, "R-XSD-006", 0,
			    cur_line(v), "",
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
		break;
	case 3:
		if (!v->in_record)
			break;
		if (name == N_FOLLOWS)
			attrs_each(v, follows_attr);
		else if (name >= N_SUBJECTKIND && name <= N_AGEBAND)
			v->field = name;
		break;
	case 4:
		if (v->in_record && name == N_EVENT)
			event_start(v);
		break;
	}
	v->text[0] = '\0';
}

static void
text(struct vctx *v)
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

static void
end_element(struct vctx *v, const xmlChar *xname, int depth)
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

/*
 * Look at the prolog before libxml2 does: past a byte order mark, white space, the XML
 * declaration, comments and processing instructions, the next thing must be the root element.
 * A DOCTYPE is where external entities (XXE) and entity bombs live, so it is refused here,
 * unparsed.  0 for a plain prolog, 1 for a DOCTYPE, 2 for a prolog longer than any return
 * needs.
 */
#define PROLOG_MAX	ASB_MAX_PROLOG

static int
prolog_has_doctype(const char *buf, size_t n)
{
	size_t i = 0;
	const char *end, *p;

	if (n > PROLOG_MAX)
		n = PROLOG_MAX;
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (;;) {
		while (i < n && (buf[i] == ' ' || buf[i] == '\t' ||
		    buf[i] == '\r' || buf[i] == '\n'))
			i++;
		if (i >= n)
			return n == PROLOG_MAX ? 2 : 0;
		if (buf[i] != '<')
			return 0;	/* not XML: the parser says so */
		if (n - i >= 2 && memcmp(buf + i, "<?", 2) == 0) {
			for (end = NULL, p = buf + i + 2; p + 1 < buf + n; p++)
				if (p[0] == '?' && p[1] == '>') {
					end = p;
					break;
				}
		} else if (n - i >= 4 && memcmp(buf + i, "<!--", 4) == 0) {
			for (end = NULL, p = buf + i + 4; p + 2 < buf + n; p++)
				if (p[0] == '-' && p[1] == '-' && p[2] == '>') {
					end = p + 1;
					break;
				}
		} else if (n - i >= 2 && buf[i + 1] == '!')
			return 1;	/* DOCTYPE, or any other declaration */
		else
			return 0;	/* the root element */
		if (end == NULL)
			return n == PROLOG_MAX ? 2 : 0;
		i = (size_t)(end - buf) + 2;
	}
}

/* A compiled XSD, shared read-only by every validation that is given it. */
struct rtn_schema {
	xmlSchemaPtr	 schema;
};

int
rtn_schema_load(struct rtn_schema **ret, struct asb_errbuf *eb)
{
	xmlSchemaParserCtxtPtr pc;
	struct rtn_schema *g;

	*ret = NULL;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if ((pc = xmlSchemaNewMemParserCtxt(rtn_xsd, (int)rtn_xsd_len)) != NULL)
		g->schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (g->schema == NULL) {
		free(g);
		return asb_fail(eb, ASB_EIO, NULL, "the built-in XSD did not compile");
	}
	*ret = g;
	return ASB_OK;
}

void
rtn_schema_free(struct rtn_schema *g)
{
	if (g == NULL)
		return;
	xmlSchemaFree(g->schema);
	free(g);
}

/* The names, interned once in the dictionary the nodes' names come from: the reader's for a
 * stream, the document's for a tree (a walker has a dictionary of its own). */
static void
intern_names(struct vctx *v, xmlDictPtr dict)
{
	int i;

	for (i = 1; i < N_COUNT; i++)
		v->interned[i] = dict != NULL ?
		    xmlDictLookup(dict, (const xmlChar *)names[i], -1) :
		    xmlTextReaderConstString(v->reader, (const xmlChar *)names[i]);
}

/* One pass of the reader (a stream with the XSD attached, or a walk over a tree) through the
 * rules; 0 at the end, -1 when the parser gave up. */
static int
walk(struct vctx *v)
{
	int rc = 0, type, depth;
	const xmlChar *xname;

	for (;;) {
		if (v->stop || (rc = xmlTextReaderRead(v->reader)) != 1)
			break;
		type = xmlTextReaderNodeType(v->reader);
		depth = xmlTextReaderDepth(v->reader);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			finding(v, "R-XML-002", 0, cur_line(v), "",
			    "a DOCTYPE is not allowed in a return (no DTDs, no "
			    "entities): remove it");
			v->stop = 1;
			break;
		}
		if (type == XML_READER_TYPE_COMMENT ||
		    type == XML_READER_TYPE_PROCESSING_INSTRUCTION ||
		    type == XML_READER_TYPE_CDATA) {
			/* C14N drops comments and CDATA markers, so the signature would not
			 * cover them: the hub refuses them, and so does the force first */
			finding(v, "R-XML-004", 0, cur_line(v), "", "%s is not allowed in "
			    "a return (the signature does not cover it): write the data "
			    "as plain elements and text", type == XML_READER_TYPE_COMMENT ?
			    "a comment" : type == XML_READER_TYPE_CDATA ? "a CDATA section" :
			    "a processing instruction");
			v->stop = 1;
			break;
		}
		if (depth > MAX_DEPTH) {
			finding(v, "R-XML-003", 0, cur_line(v), "",
			    "nested deeper than a return ever is (%d)", MAX_DEPTH);
			v->stop = 1;
			break;
		}
		if (type == XML_READER_TYPE_TEXT) {
			text(v);
			continue;
		}
		xname = xmlTextReaderConstLocalName(v->reader);
		if (type == XML_READER_TYPE_ELEMENT) {
			element(v, xname, depth);
			if (xmlTextReaderIsEmptyElement(v->reader))
				end_element(v, xname, depth);
		} else if (type == XML_READER_TYPE_END_ELEMENT)
			end_element(v, xname, depth);
	}
	return rc;
}

/* What every pass ends with: the record count against the header, and the verdict. */
static int
conclude(struct vctx *v, struct rtn_validate_result *ret, struct asb_errbuf *eb)
{
	if (!v->stop && v->have_declared && v->declared != ret->records)
		finding(v, "R-RTN-001", 0, 0, "", "the header's RecordCount is "
		    "%llu but the return holds %llu records",
		    (unsigned long long)v->declared,
		    (unsigned long long)ret->records);
	if (ret->errors == 0)
		return ASB_OK;
	return asb_fail(eb, ASB_ERULE, NULL, "%u errors", ret->errors);
}

/* The streaming pass over an open reader (from a file or from memory). */
static int
validate_reader(struct vctx *v, struct rtn_validate_result *ret, struct asb_errbuf *eb)
{
	struct rtn_schema *own = NULL;
	const struct rtn_schema *g = v->opts->schema;
	int rc, err;

	v->created = INT64_MAX / 4;	/* until the header says when */
	if (g == NULL) {
		if ((err = rtn_schema_load(&own, eb)) != ASB_OK)
			goto out;
		g = own;
	}
	xmlTextReaderSetStructuredErrorHandler(v->reader, on_error, v);
	intern_names(v, NULL);
	if (xmlTextReaderSetSchema(v->reader, g->schema) != 0) {
		err = asb_fail(eb, ASB_EIO, NULL, "cannot attach the XSD");
		goto out;
	}
	rc = walk(v);
	if (rc == -1 && !v->stop) {
		/* The parser gave up without telling the handler. */
		finding(v, "R-XML-001", 0, xmlTextReaderGetParserLineNumber(
		    v->reader), "", "not well-formed XML (truncated, bad UTF-8 "
		    "or broken markup)");
		v->stop = 1;
	}
	if (!v->stop && rc == 0 && xmlTextReaderIsValid(v->reader) != 1 &&
	    ret->errors == 0)
		finding(v, "R-XSD-001", 0, 0, "", "the return does not match "
		    "the XSD");
	err = conclude(v, ret, eb);
out:
	xmlFreeTextReader(v->reader);
	v->reader = NULL;
	rtn_schema_free(own);
	return err;
}

static struct vctx *
vctx_new(const struct rtn_validate_opts *opts, struct rtn_validate_result *ret)
{
	struct vctx *v;

	memset(ret, 0, sizeof(*ret));
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->opts = opts;
	v->res = ret;
	v->max = opts->max_errors ? opts->max_errors : 100;
	return v;
}

static void
vctx_free(struct vctx *v)
{
	free(v->bad);
	free(v->seen);
	free(v);
}

/* A DOCTYPE or an overlong prolog is a finding and the end of validation. */
static int
prolog_refused(struct vctx *v, int d, struct asb_errbuf *eb)
{
	if (d == 0)
		return 0;
	if (d == 1)
		finding(v, "R-XML-002", 0, 1, "", "a DOCTYPE is not allowed in a "
		    "return (no DTDs, no entities): remove it");
	else
		finding(v, "R-XML-003", 0, 1, "", "the prolog before the root "
		    "element is longer than %d bytes", PROLOG_MAX);
	asb_fail(eb, ASB_ERULE, NULL, "1 error");
	return 1;
}

/* No NOENT (entities stay unexpanded), no DTDLOAD, no DTDATTR, no HUGE: a DOCTYPE is refused
 * before the parser sees it, and again if the reader meets one.  No NOCDATA: a CDATA section
 * must stay visible to be refused (R-XML-004). */
#define READER_OPTS	(XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT)

int
rtn_validate(const char *path, const struct rtn_validate_opts *opts,
    struct rtn_validate_result *ret, struct asb_errbuf *eb)
{
	struct vctx *v;
	struct stat st;
	char *head;
	size_t n;
	FILE *f;
	int err, d;

	memset(ret, 0, sizeof(*ret));
	if (stat(path, &st) == -1 || (f = fopen(path, "rb")) == NULL)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: cannot read it",
		    path);
	if ((uint64_t)st.st_size > (opts->max_bytes ? opts->max_bytes : MAX_RETURN_BYTES)) {
		fclose(f);
		return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: %llu bytes, larger than "
		    "the %llu a return may be", path, (unsigned long long)st.st_size,
		    (unsigned long long)(opts->max_bytes ? opts->max_bytes :
		    MAX_RETURN_BYTES));
	}
	if ((head = malloc(PROLOG_MAX)) == NULL ||
	    (v = vctx_new(opts, ret)) == NULL) {
		free(head);
		fclose(f);
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	}
	n = fread(head, 1, PROLOG_MAX, f);
	fclose(f);
	d = prolog_has_doctype(head, n);
	free(head);
	if (prolog_refused(v, d, eb)) {
		vctx_free(v);
		return ASB_ERULE;
	}
	if ((v->reader = xmlReaderForFile(path, NULL, READER_OPTS)) == NULL) {
		vctx_free(v);
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot open", path);
	}
	err = validate_reader(v, ret, eb);
	vctx_free(v);
	return err;
}

int
rtn_validate_mem(const char *buf, size_t len, const char *name,
    const struct rtn_validate_opts *opts, struct rtn_validate_result *ret,
    struct asb_errbuf *eb)
{
	struct vctx *v;
	int err;

	memset(ret, 0, sizeof(*ret));
	if ((uint64_t)len > (opts->max_bytes ? opts->max_bytes : MAX_RETURN_BYTES) ||
	    len > INT_MAX)
		return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: larger than "
		    "a return may be", name);
	if ((v = vctx_new(opts, ret)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if (prolog_refused(v, prolog_has_doctype(buf, len), eb)) {
		vctx_free(v);
		return ASB_ERULE;
	}
	if ((v->reader = xmlReaderForMemory(buf, (int)len, name, NULL,
	    READER_OPTS)) == NULL) {
		vctx_free(v);
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot read it", name);
	}
	err = validate_reader(v, ret, eb);
	vctx_free(v);
	return err;
}

/*
 * The same checks over a return already parsed (the hub parses once, for the signature):
 * the XSD over the tree, then one walk of it through the rules.  The caller parsed it with
 * no DTD, no entities and no network; a DOCTYPE is still refused here.
 */
int
rtn_validate_doc(xmlDocPtr doc, const char *name, const struct rtn_validate_opts *opts,
    struct rtn_validate_result *ret, struct asb_errbuf *eb)
{
	struct rtn_schema *own = NULL;
	const struct rtn_schema *g = opts->schema;
	xmlSchemaValidCtxtPtr vc = NULL;
	struct vctx *v;
	int err, rc;

	if ((v = vctx_new(opts, ret)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	v->tree = 1;
	v->created = INT64_MAX / 4;
	if (doc->dict == NULL) {
		/* every parse of libxml2 names its nodes from a dictionary unless told not to */
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s: parsed without a dictionary "
		    "(XML_PARSE_NODICT)", name);
		goto out;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		finding(v, "R-XML-002", 0, 1, "", "a DOCTYPE is not allowed in a "
		    "return (no DTDs, no entities): remove it");
		err = asb_fail(eb, ASB_ERULE, NULL, "1 error");
		goto out;
	}
	if (g == NULL) {
		if ((err = rtn_schema_load(&own, eb)) != ASB_OK)
			goto out;
		g = own;
	}
	if ((v->bad = calloc(v->max, sizeof(*v->bad))) == NULL ||
	    (v->reader = xmlReaderWalker(doc)) == NULL ||
	    (vc = xmlSchemaNewValidCtxt(g->schema)) == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: out of memory", name);
		goto out;
	}
	intern_names(v, doc->dict);
	xmlSchemaSetValidStructuredErrors(vc, on_error, v);
	if ((rc = xmlSchemaValidateDoc(vc, doc)) < 0) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: the XSD validator failed", name);
		goto out;
	}
	if (rc > 0 && ret->errors == 0)
		finding(v, "R-XSD-001", 0, 0, "", "the return does not match the XSD");
	v->rec_xsd_base = v->xsd_errors;	/* Records are matched by node instead */
	walk(v);
	err = conclude(v, ret, eb);
out:
	xmlSchemaFreeValidCtxt(vc);
	xmlFreeTextReader(v->reader);
	rtn_schema_free(own);
	vctx_free(v);
	return err;
}

/* libxml2 prints some problems straight to stderr ("Unimplemented block" for an entity
 * reference met by the schema validator); every problem reaches us through the structured
 * handler, so the generic printer is silenced. */
static void
silent(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

void
rtn_init(void)
{
	xmlInitParser();
	LIBXML_TEST_VERSION
	xmlSetGenericErrorFunc(NULL, silent);
}

void
rtn_cleanup(void)
{
	xmlCleanupParser();
}
