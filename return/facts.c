/*
 * facts.c - the facts of a return's records in their stored encoding (facts.h has the
 * layout): built from the validator's walk at intake, read back by the national figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "facts.h"

#define HEAD_BYTES	13	/* version, test, force, year, quarter, records, nla */
#define REC_BYTES	27	/* the fixed part of a record, events count included */
#define EV_BYTES	3

static const char *const bands[RTN_AGE_BANDS] = { "10-15", "16-17", "18-24", "25-34", "35+" };
/* The district prefixes of LadCode in the XSD, in the order they are numbered. */
static const char *const la_prefix[] = { "E06", "E07", "E08", "E09", "W06" };
#define LA_PREFIXES	(sizeof(la_prefix) / sizeof(la_prefix[0]))

int
rtn_age_band_index(const char *code)
{
	int i;

	for (i = 0; i < RTN_AGE_BANDS; i++)
		if (strcmp(code, bands[i]) == 0)
			return i;
	return -1;
}

const char *
rtn_age_band_code(int index)
{
	return index >= 0 && index < RTN_AGE_BANDS ? bands[index] : "";
}

uint32_t
rtn_la_encode(const char *code)
{
	uint32_t n = 0;
	size_t p;
	int i;

	if (strlen(code) != 9)
		return 0;
	for (p = 0; p < LA_PREFIXES; p++)
		if (memcmp(code, la_prefix[p], 3) == 0)
			break;
	if (p == LA_PREFIXES)
		return 0;
	for (i = 3; i < 9; i++) {
		if (code[i] < '0' || code[i] > '9')
			return 0;
		n = n * 10 + (uint32_t)(code[i] - '0');
	}
	return (uint32_t)(p + 1) * 1000000u + n;
}

char *
rtn_la_text(uint32_t la, char *buf, size_t cap)
{
	uint32_t p = la / 1000000u;

	if (la == 0 || p < 1 || p > LA_PREFIXES)
		snprintf(buf, cap, "%s", "");
	else
		snprintf(buf, cap, "%s%06u", la_prefix[p - 1], (unsigned)(la % 1000000u));
	return buf;
}

int
rtn_pseudonym_bytes(const char *hex, uint8_t out[RTN_SUBJECT_BYTES])
{
	int i, hi, lo;

	for (i = 0; i < RTN_SUBJECT_BYTES; i++) {
		hi = hex[2 * i];
		lo = hi ? hex[2 * i + 1] : 0;
		hi = hi >= '0' && hi <= '9' ? hi - '0' : hi >= 'a' && hi <= 'f' ? hi - 'a' + 10 : -1;
		lo = lo >= '0' && lo <= '9' ? lo - '0' : lo >= 'a' && lo <= 'f' ? lo - 'a' + 10 : -1;
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return hex[2 * RTN_SUBJECT_BYTES] == '\0' ? 0 : -1;
}

/* ---- building ------------------------------------------------------------------------------ */

struct rtn_facts_builder {
	uint8_t		*buf;		/* the records, encoded */
	size_t		 len, cap;
	uint32_t	 records;
	uint32_t	*la;		/* the districts, in order first met */
	unsigned	 nla;
	uint32_t	*la_slot;	/* open addressing: index + 1, 0 empty */
	size_t		 la_cap;
	int		 failed;	/* an error to report at the end */
	char		 why[160];
};

int
rtn_facts_builder_new(struct rtn_facts_builder **ret, struct asb_errbuf *eb)
{
	if ((*ret = calloc(1, sizeof(**ret))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	return ASB_OK;
}

void
rtn_facts_builder_free(struct rtn_facts_builder *b)
{
	if (b == NULL)
		return;
	free(b->buf);
	free(b->la);
	free(b->la_slot);
	free(b);
}

static void
fail(struct rtn_facts_builder *b, int err, const char *why)
{
	if (!b->failed) {
		b->failed = err;
		snprintf(b->why, sizeof(b->why), "record %lu: %s",
		    (unsigned long)b->records + 1, why);
	}
}

static uint8_t *
room(struct rtn_facts_builder *b, size_t n)
{
	uint8_t *p;
	size_t cap;

	if (b->cap - b->len < n) {
		cap = b->cap ? b->cap : 4096;
		while (cap - b->len < n)
			cap *= 2;
		if ((p = realloc(b->buf, cap)) == NULL)
			return NULL;
		b->buf = p;
		b->cap = cap;
	}
	p = b->buf + b->len;
	b->len += n;
	return p;
}

static uint8_t *
be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

/* The district's index in the return's list, added when new; -1 when the list is full. */
static int
la_index(struct rtn_facts_builder *b, uint32_t la)
{
	size_t j, cap, i;
	uint32_t *s, *l;

	if ((b->nla + 1) * 2 > b->la_cap) {
		cap = b->la_cap ? b->la_cap * 2 : 64;
		if ((s = calloc(cap, sizeof(*s))) == NULL ||
		    (l = realloc(b->la, cap / 2 * sizeof(*l))) == NULL) {
			free(s);
			return -1;
		}
		b->la = l;
		for (i = 0; i < b->nla; i++) {
			for (j = (b->la[i] * 2654435761u) & (cap - 1); s[j] != 0;
			    j = (j + 1) & (cap - 1))
				;
			s[j] = (uint32_t)i + 1;
		}
		free(b->la_slot);
		b->la_slot = s;
		b->la_cap = cap;
	}
	for (j = (la * 2654435761u) & (b->la_cap - 1); b->la_slot[j] != 0;
	    j = (j + 1) & (b->la_cap - 1))
		if (b->la[b->la_slot[j] - 1] == la)
			return (int)b->la_slot[j] - 1;
	if (b->nla >= RTN_FACTS_MAX_LA)
		return -1;
	b->la[b->nla] = la;
	b->la_slot[j] = ++b->nla;
	return (int)b->nla - 1;
}

/* A code-list index plus one in a byte (0 for none), or -1 when out of range. */
static int
opt_byte(int v, unsigned count)
{
	return v < 0 ? 0 : (unsigned)v < count && v < 255 ? v + 1 : -1;
}

void
rtn_facts_collect(const struct rtn_record_facts *f, void *ctx)
{
	struct rtn_facts_builder *b = ctx;
	const char *why = NULL;
	int agency, sex, eth, la = -1, out;
	size_t need = REC_BYTES + (size_t)f->nevents * EV_BYTES;
	uint8_t *p;
	unsigned i;

	if (b->failed)
		return;
	agency = opt_byte(f->agency, sch_code_count(SCH_LIST_AGENCIES));
	sex = opt_byte(f->sex, sch_code_count(SCH_LIST_SEX));
	eth = opt_byte(f->ethnicity, sch_code_count(SCH_LIST_ETHNICITY));
	if (f->power < 0 || (unsigned)f->power >= sch_code_count(SCH_LIST_POWERS) ||
	    f->kind < SCH_PERSON || f->kind > SCH_BODY)
		why = "no power or subject kind from the code lists";
	else if (!f->has_subject)
		why = "the subject is not a pseudonym";
	else if (agency < 0 || sex < 0 || eth < 0 || f->age_band >= RTN_AGE_BANDS ||
	    f->nevents > ASB_MAX_EVENTS)
		why = "a value outside its code list";
	for (i = 0; why == NULL && i < f->nevents; i++)
		if (f->events[i].kind < 0 ||
		    (unsigned)f->events[i].kind >= sch_code_count(SCH_LIST_EVENTS) ||
		    opt_byte(f->events[i].outcome, sch_code_count(SCH_LIST_OUTCOMES)) < 0)
			why = "an event kind or outcome outside its code list";
	if (why == NULL && f->la != 0 && (la = la_index(b, f->la)) < 0)
		why = "more local authorities than a return may name";
	if (why != NULL) {
		fail(b, ASB_ERULE, why);
		return;
	}
	if ((p = room(b, need)) == NULL) {
		fail(b, ASB_EIO, "out of memory");
		return;
	}
	*p++ = f->issued_in_period ? 1 : 0;
	*p++ = (uint8_t)f->kind;
	*p++ = (uint8_t)f->power;
	*p++ = (uint8_t)agency;
	*p++ = (uint8_t)(f->age_band < 0 ? 0 : f->age_band + 1);
	*p++ = (uint8_t)sex;
	*p++ = (uint8_t)eth;
	p = be16(p, (unsigned)(la + 1));
	memcpy(p, f->subject, RTN_SUBJECT_BYTES);
	p = be16(p + RTN_SUBJECT_BYTES, f->nevents);
	for (i = 0; i < f->nevents; i++) {
		out = opt_byte(f->events[i].outcome, sch_code_count(SCH_LIST_OUTCOMES));
		*p++ = (uint8_t)f->events[i].kind;
		*p++ = f->events[i].in_period ? 1 : 0;
		*p++ = (uint8_t)out;
	}
	b->records++;
}

/* The year of "YYYY-Qn", or -1. */
static int
year_of(const char *s)
{
	int i, y = 0;

	for (i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		y = y * 10 + (s[i] - '0');
	}
	return y <= 2099 ? y : -1;
}

int
rtn_facts_finish(struct rtn_facts_builder *b, const char *force, const char *period,
    int test, uint8_t **ret, size_t *ret_len, struct asb_errbuf *eb)
{
	int fi = sch_code_index(SCH_LIST_FORCES, force), year;
	uint8_t *out, *p;
	size_t n;
	unsigned i;

	*ret = NULL;
	if (b->failed)
		return asb_fail(eb, b->failed, NULL, "the facts of this return: %s", b->why);
	if (fi < 0 || strlen(period) != 7 || period[4] != '-' || period[5] != 'Q' ||
	    period[6] < '1' || period[6] > '4' ||
	    (year = year_of(period)) < 2000)
		return asb_fail(eb, ASB_ERULE, NULL, "the facts of this return: its header "
		    "has no force or period ('%s', '%s')", force, period);
	n = HEAD_BYTES + (size_t)b->nla * 4 + b->len;
	if ((out = malloc(n)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	p = out;
	*p++ = RTN_FACTS_VERSION;
	*p++ = test ? 1 : 0;
	p = be16(p, (unsigned)fi);
	p = be16(p, (unsigned)year);
	*p++ = (uint8_t)(period[6] - '0');
	p = be32(p, b->records);
	p = be16(p, b->nla);
	for (i = 0; i < b->nla; i++)
		p = be32(p, b->la[i]);
	if (b->len > 0)
		memcpy(p, b->buf, b->len);
	*ret = out;
	*ret_len = n;
	return ASB_OK;
}

/* ---- reading ------------------------------------------------------------------------------- */

static unsigned
rd16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int
rtn_facts_open(struct rtn_facts_reader *rd, const void *buf, size_t len,
    struct asb_errbuf *eb)
{
	const uint8_t *p = buf;

	rd->p = rd->end = NULL;
	if (len < HEAD_BYTES)
		return asb_fail(eb, ASB_EIO, NULL, "stored facts: %zu bytes, shorter than "
		    "their header", len);
	if (p[0] != RTN_FACTS_VERSION)
		return asb_fail(eb, ASB_EIO, NULL, "stored facts: version %u, not %u (run "
		    "'asbhub reindex')", p[0], RTN_FACTS_VERSION);
	rd->version = p[0];
	rd->test = p[1];
	rd->force = (int)rd16(p + 2);
	rd->year = (int)rd16(p + 4);
	rd->quarter = p[6];
	rd->records = rd32(p + 7);
	rd->nla = rd16(p + 11);
	rd->done = 0;
	rd->npowers = sch_code_count(SCH_LIST_POWERS);
	rd->nagencies = sch_code_count(SCH_LIST_AGENCIES);
	rd->nsex = sch_code_count(SCH_LIST_SEX);
	rd->neth = sch_code_count(SCH_LIST_ETHNICITY);
	rd->nevents = sch_code_count(SCH_LIST_EVENTS);
	rd->noutcomes = sch_code_count(SCH_LIST_OUTCOMES);
	if (rd->test > 1 || (unsigned)rd->force >= sch_code_count(SCH_LIST_FORCES) ||
	    rd->year < 2000 || rd->year > 2099 || rd->quarter < 1 || rd->quarter > 4)
		return asb_fail(eb, ASB_EIO, NULL, "stored facts: a corrupt header (test %d, "
		    "force %d, period %d-Q%d)", rd->test, rd->force, rd->year, rd->quarter);
	if ((len - HEAD_BYTES) / 4 < rd->nla)
		return asb_fail(eb, ASB_EIO, NULL, "stored facts: truncated in the list of "
		    "%u local authorities", rd->nla);
	rd->la = p + HEAD_BYTES;
	rd->p = rd->la + (size_t)rd->nla * 4;
	rd->end = p + len;
	return ASB_OK;
}

uint32_t
rtn_facts_la(const struct rtn_facts_reader *rd, unsigned i)
{
	return i < rd->nla ? rd32(rd->la + (size_t)i * 4) : 0;
}

static int
corrupt(struct rtn_facts_reader *rd, struct asb_errbuf *eb, const char *what)
{
	asb_fail(eb, ASB_EIO, NULL, "stored facts: record %lu of %lu: %s",
	    (unsigned long)rd->done + 1, (unsigned long)rd->records, what);
	rd->p = rd->end;	/* nothing more is read from it */
	return -1;
}

int
rtn_facts_next(struct rtn_facts_reader *rd, struct rtn_record_facts *ret,
    struct asb_errbuf *eb)
{
	const uint8_t *p = rd->p;
	unsigned n, i, la;

	if (rd->done == rd->records) {
		if (p != rd->end)
			return corrupt(rd, eb, "bytes after the last record");
		return 0;
	}
	if ((size_t)(rd->end - p) < REC_BYTES)
		return corrupt(rd, eb, "truncated");
	if (p[0] > 1 || p[1] < SCH_PERSON || p[1] > SCH_BODY ||
	    p[2] >= rd->npowers || p[3] > rd->nagencies || p[4] > RTN_AGE_BANDS ||
	    p[5] > rd->nsex || p[6] > rd->neth)
		return corrupt(rd, eb, "a value outside its code list");
	la = rd16(p + 7);
	if (la > rd->nla)
		return corrupt(rd, eb, "a local authority outside the return's list");
	n = rd16(p + 9 + RTN_SUBJECT_BYTES);
	if (n > ASB_MAX_EVENTS || (size_t)(rd->end - p - REC_BYTES) / EV_BYTES < n)
		return corrupt(rd, eb, "truncated in its events");
	ret->issued_in_period = p[0];
	ret->kind = p[1];
	ret->power = p[2];
	ret->agency = (int)p[3] - 1;
	ret->age_band = (int)p[4] - 1;
	ret->sex = (int)p[5] - 1;
	ret->ethnicity = (int)p[6] - 1;
	ret->la_index = (int)la - 1;
	ret->la = la ? rd32(rd->la + (size_t)(la - 1) * 4) : 0;
	memcpy(ret->subject, p + 9, RTN_SUBJECT_BYTES);
	ret->has_subject = 1;
	p += REC_BYTES;
	for (i = 0; i < n; i++, p += EV_BYTES) {
		if (p[0] >= rd->nevents || p[1] > 1 || p[2] > rd->noutcomes)
			return corrupt(rd, eb, "an event outside its code lists");
		rd->ev[i].kind = p[0];
		rd->ev[i].in_period = p[1];
		rd->ev[i].outcome = (int)p[2] - 1;
	}
	ret->nevents = n;
	ret->events = rd->ev;
	rd->p = p;
	rd->done++;
	return 1;
}
