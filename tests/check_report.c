/*
 * check_report.c - national figures on hand-made returns with known answers: the counts,
 * subjects and repeats, breach rates, rates per 100,000 people, which return counts
 * (supersession, test returns), and disclosure control, attacked from its published totals.
 */
#include <check.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codes.h"
#include "compliance.h"
#include "facts.h"
#include "reindex.h"
#include "report.h"
#include "sdc.h"
#include "store.h"

/* ---- hand-made returns ------------------------------------------------------------------- */

/* struct buf and the builders below are shared with check_report_pub.c (check_report.h). */
#include "check_report.h"

void
put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if ((size_t)n < b->cap - b->n)
			break;
		b->cap = b->cap * 2 + (size_t)n + 256;
		b->s = realloc(b->s, b->cap);
		ck_assert_ptr_nonnull(b->s);
	}
	b->n += (size_t)n;
}

/* A return the XSD accepts (the figures count only what was validated): the header in
 * full, its RecordCount filled in by tail. */
void
head(struct buf *b, const char *force, const char *period)
{
	static unsigned returns;

	memset(b, 0, sizeof(*b));
	put(b, "<?xml version=\"1.0\"?>\n<Return xmlns=\"urn:uk:gov:homeoffice:"
	    "asb-powers:return:1\"><Header><Force>%s</Force><Period>%s</Period>"
	    "<SchemaVersion>1.0</SchemaVersion><Generator name=\"check_report\" "
	    "version=\"1\"/><Created>2026-10-05T09:00:00Z</Created>"
	    "<ReturnId>00000000-0000-4000-8000-%012u</ReturnId><Test>false</Test>"
	    "<RecordCount>", force, period, ++returns);
	b->count_at = b->n;
	put(b, "00000000</RecordCount></Header><Records>\n");
}

/* A pseudonym (32 hex digits) for a test's short name: its bytes in hex, padded. */
static void
pseudonym(const char *name, char out[33])
{
	size_t i;

	memset(out, '0', 32);
	out[32] = '\0';
	for (i = 0; name[i] != '\0' && i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", (unsigned char)name[i]);
	out[2 * i] = i < 16 ? '0' : out[2 * i];
}

/* One record: a person unless kind says otherwise; events "breached:arrested,served".
 * Issued in the quarter (2026-Q3) when in, before it otherwise; events in it. */
void
rec(struct buf *b, const char *subject, const char *kind, const char *power, int in,
    const char *age, const char *sex, const char *eth, const char *la, const char *events)
{
	static unsigned ids;
	char ev[256], *tok, *save = NULL, *colon, who[33];

	pseudonym(subject, who);
	put(b, "<Record id=\"%032x\" issuedInPeriod=\"%s\"><Subject>%s</Subject>"
	    "<SubjectKind>%s</SubjectKind><Power>%s</Power><Section>s1</Section>"
	    "<Agency>police</Agency><Issued>%s</Issued>", ++ids, in ? "true" : "false", who,
	    kind, power, in ? "2026-07-15T00:00:00+01:00" : "2026-05-15T00:00:00+01:00");
	if (strcmp(kind, "person") == 0 && age[0])
		put(b, "<AgeBand>%s</AgeBand>", age);
	if (strcmp(kind, "person") == 0 && sex[0])
		put(b, "<Sex>%s</Sex>", sex);
	if (strcmp(kind, "person") == 0 && eth[0])
		put(b, "<Ethnicity>%s</Ethnicity>", eth);
	if (la[0])
		put(b, "<LocalAuthority>%s</LocalAuthority>", la);
	put(b, "<RepeatSubject>false</RepeatSubject><Events>");
	snprintf(ev, sizeof(ev), "%s", events);
	for (tok = strtok_r(ev, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if ((colon = strchr(tok, ':')) != NULL)
			*colon++ = '\0';
		put(b, "<Event kind=\"%s\" date=\"2026-08-01T00:00:00+01:00\" inPeriod=\"true\"%s%s%s/>",
		    tok, colon ? " outcome=\"" : "", colon ? colon : "", colon ? "\"" : "");
	}
	put(b, "</Events></Record>\n");
	b->records++;
}

void
tail(struct buf *b)
{
	char n[9];

	put(b, "</Records></Return>\n");
	snprintf(n, sizeof(n), "%08u", b->records);
	memcpy(b->s + b->count_at, n, 8);
}

static struct rpt *
report(struct buf *bufs, size_t n, const char *by, unsigned threshold)
{
	const char *bodies[16];
	size_t lens[16], i;
	struct rpt_opts o;
	struct asb_errbuf eb;
	struct rpt *r;
	int rc;

	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(rpt_parse_range("2026-Q3", NULL, &o, NULL), ASB_OK);
	ck_assert_int_eq(rpt_parse_dims(by, &o, NULL), ASB_OK);
	o.threshold = threshold;
	for (i = 0; i < n; i++) {
		bodies[i] = bufs[i].s;
		lens[i] = bufs[i].n;
	}
	asb_errbuf_clear(&eb);
	rc = rpt_build_mem(bodies, lens, n, &o, &r, &eb);
	ck_assert_msg(rc == ASB_OK, "rpt_build_mem: %d: %s", rc, eb.msg);
	return r;
}

const struct rpt_row *
row_of(const struct rpt *r, const char *v0, const char *v1)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (strcmp(rpt_value(r, &r->rows[i], r->o.dims[0]), v0) == 0 &&
		    (v1 == NULL || strcmp(rpt_value(r, &r->rows[i], r->o.dims[1]), v1) == 0))
			return &r->rows[i];
	return NULL;
}

int
measure(const char *name)
{
	int m;

	for (m = 0; m < RPT_MEASURES; m++)
		if (strcmp(rpt_measure_name(m), name) == 0)
			return m;
	ck_abort_msg("no measure %s", name);
	return -1;
}

/* ---- arithmetic ---------------------------------------------------------------------------- */

START_TEST(test_counts)
{
	struct buf b[2];
	struct rpt *r;
	const struct rpt_row *x;
	size_t i;

	head(&b[0], "E23000011", "2026-Q3");
	rec(&b[0], "s1", "person", "cpn", 1, "18-24", "M", "W1", "E08000019", "served,breached:fpn");
	rec(&b[0], "s1", "person", "cbo", 1, "18-24", "M", "W1", "E08000019", "breached:arrested");
	rec(&b[0], "s2", "person", "cpn", 1, "35+", "F", "A1", "E08000018", "served");
	rec(&b[0], "s3", "person", "cpn", 0, "35+", "F", "A1", "E08000018", "breached");
	rec(&b[0], "p1", "place", "pspo", 1, "", "", "", "E08000019", "");
	tail(&b[0]);
	head(&b[1], "E23000001", "2026-Q3");
	rec(&b[1], "s1", "person", "cpn", 1, "25-34", "F", "B1", "E09000001", "served");
	tail(&b[1]);

	r = report(b, 2, "force,power", 5);
	ck_assert_int_eq(r->returns_read, 2);
	ck_assert_int_eq(r->total[0], 5);			/* issued in period */
	ck_assert_int_eq(r->total[measure("served")], 3);
	ck_assert_int_eq(r->total[measure("breached")], 3);	/* out-of-period record too */
	ck_assert_ptr_nonnull(x = row_of(r, "E23000011", "cpn"));
	ck_assert_int_eq(x->m[0], 2);
	ck_assert_int_eq(x->m[measure("breached")], 2);
	ck_assert_ptr_nonnull(x = row_of(r, "E23000001", "cpn"));
	ck_assert_int_eq(x->m[0], 1);
	ck_assert_int_eq(r->sensitive, 0);
	ck_assert_uint_eq(r->nforces, 2);
	/* forces sorted by code; subjects are per force (pseudonyms are) */
	ck_assert_str_eq(r->forces[0].code, "E23000001");
	ck_assert_int_eq(r->forces[0].subjects, 1);
	ck_assert_int_eq(r->forces[1].uses, 4);
	ck_assert_int_eq(r->forces[1].subjects, 3);
	ck_assert_int_eq(r->forces[1].repeat_subjects, 1);
	ck_assert_int_eq(r->forces[1].breaches, 3);
	for (i = 0; i < r->nforces; i++)
		ck_assert_int_gt(r->forces[i].population, 0);
	/* breaches per power: cpn 2 (one on a record issued before the period) of 3 uses */
	ck_assert_int_eq(r->powers[1].uses, 3);
	ck_assert_int_eq(r->powers[1].breaches, 2);
	ck_assert_int_eq(r->quarter_uses[0], 5);
	rpt_free(r);

	/* by outcome: events count under their outcome, uses under none */
	r = report(b, 2, "outcome", 5);
	ck_assert_ptr_nonnull(x = row_of(r, "fpn", NULL));
	ck_assert_int_eq(x->m[measure("breached")], 1);
	ck_assert_ptr_nonnull(x = row_of(r, "none", NULL));
	ck_assert_int_eq(x->m[0], 5);
	ck_assert_int_eq(x->m[measure("breached")], 1);
	rpt_free(r);
	free(b[0].s);
	free(b[1].s);
}
END_TEST

START_TEST(test_rates)
{
	struct buf b;
	struct rpt *r;
	struct rpt_opts o;
	const char *body;
	size_t len;
	char path[] = "/tmp/asbpop-XXXXXX";
	int fd, i;
	FILE *f;

	head(&b, "E23000011", "2026-Q3");
	for (i = 0; i < 14; i++)
		rec(&b, "s", "person", "cbo", 1, "35+", "M", "W1", "E08000019", "");
	tail(&b);
	r = report(&b, 1, "force", 5);
	/* South Yorkshire, mid-2019: 1,409,020 (schema/population.tsv) */
	ck_assert_int_eq(r->forces[0].population, 1409020);
	ck_assert_int_eq(r->forces[0].uses, 14);
	ck_assert_int_eq(r->forces[0].repeat_subjects, 1);
	rpt_free(r);

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("# test\ncode\tpeople\nE23000011\t200000\n", f);
	fclose(f);
	memset(&o, 0, sizeof(o));
	rpt_parse_range("2026-Q3", NULL, &o, NULL);
	rpt_parse_dims("force", &o, NULL);
	o.population = path;
	body = b.s;
	len = b.n;
	ck_assert_int_eq(rpt_build_mem(&body, &len, 1, &o, &r, NULL), ASB_OK);
	ck_assert_int_eq(r->forces[0].population, 200000);	/* 7 per 100,000 */
	rpt_free(r);
	f = fopen(path, "w");
	fputs("E99999999\t5\n", f);
	fclose(f);
	ck_assert_int_eq(rpt_build_mem(&body, &len, 1, &o, &r, NULL), ASB_EUSAGE);
	unlink(path);
	free(b.s);
}
END_TEST

START_TEST(test_ranges)
{
	struct rpt_opts o;

	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(rpt_parse_range("2026", NULL, &o, NULL), ASB_OK);
	ck_assert_int_eq(o.nquarters, 4);
	ck_assert_str_eq(o.quarters[3], "2026-Q4");
	ck_assert_int_eq(rpt_parse_range("2025-Q4", "2026-Q2", &o, NULL), ASB_OK);
	ck_assert_int_eq(o.nquarters, 3);
	ck_assert_str_eq(o.quarters[1], "2026-Q1");
	ck_assert_int_eq(rpt_parse_range("2026-Q2", "2025-Q4", &o, NULL), ASB_EUSAGE);
	ck_assert_int_eq(rpt_parse_range("2026-Q5", NULL, &o, NULL), ASB_EUSAGE);
	ck_assert_int_eq(rpt_parse_range("2014-Q1", "2026-Q4", &o, NULL), ASB_EUSAGE);
	ck_assert_int_eq(rpt_parse_dims("force,colour", &o, NULL), ASB_EUSAGE);
	ck_assert_int_eq(rpt_parse_dims("force,force", &o, NULL), ASB_EUSAGE);
	ck_assert_int_eq(rpt_parse_dims("sex,local-authority", &o, NULL), ASB_OK);
	ck_assert_int_eq(o.ndims, 2);
}
END_TEST

/* ---- which return counts ------------------------------------------------------------------- */

static void
store_return(struct hub_store *st, const char *id, const char *force, int test,
    const char *state, struct buf *b)
{
	struct hub_return hr;
	uint8_t *facts = NULL;
	size_t flen = 0;
	int same = 0;

	memset(&hr, 0, sizeof(hr));
	snprintf(hr.id, sizeof(hr.id), "%s", id);
	snprintf(hr.force, sizeof(hr.force), "%s", force);
	snprintf(hr.period, sizeof(hr.period), "2026-Q3");
	snprintf(hr.sha256, sizeof(hr.sha256), "%064d", (int)strlen(id));
	snprintf(hr.state, sizeof(hr.state), "%s", state);
	hr.test = test;
	hr.received = hr.decided = 1790000000;
	/* the facts as intake takes them, stored with the bytes */
	if (strcmp(state, "accepted") == 0)
		ck_assert_int_eq(hub_facts_of(b->s, b->n, NULL, &facts, &flen, NULL, NULL),
		    ASB_OK);
	ck_assert_int_eq(hub_return_put(st, &hr, b->s, b->n, "<Receipt/>", 10, facts, flen,
	    &same, NULL), ASB_OK);
	free(facts);
}

START_TEST(test_latest_only)
{
	char dir[] = "/tmp/asbrpt-XXXXXX", cmd[128];
	struct hub_store *st;
	struct buf first, second, test, rejected;
	struct rpt_opts o;
	struct cmp_report c;
	struct rpt *r;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(hub_store_open(dir, 1, &st, NULL), ASB_OK);
	head(&first, "E23000011", "2026-Q3");
	rec(&first, "a", "person", "cbo", 1, "35+", "M", "W1", "E08000019", "");
	tail(&first);
	head(&second, "E23000011", "2026-Q3");	/* the correction: two uses */
	rec(&second, "a", "person", "cbo", 1, "35+", "M", "W1", "E08000019", "");
	rec(&second, "b", "person", "cbo", 1, "35+", "M", "W1", "E08000019", "");
	tail(&second);
	head(&test, "E23000011", "2026-Q3");
	for (i = 0; i < 50; i++)
		rec(&test, "t", "person", "cpw", 1, "35+", "M", "W1", "E08000019", "");
	tail(&test);
	head(&rejected, "E23000005", "2026-Q3");
	rec(&rejected, "z", "person", "cpw", 1, "35+", "M", "W1", "E08000019", "");
	tail(&rejected);
	store_return(st, "00000000-0000-4000-8000-000000000001", "E23000011", 0, "accepted", &first);
	store_return(st, "00000000-0000-4000-8000-000000000002", "E23000011", 0, "accepted", &second);
	store_return(st, "00000000-0000-4000-8000-000000000003", "E23000011", 1, "accepted", &test);
	store_return(st, "00000000-0000-4000-8000-000000000004", "E23000005", 0, "rejected", &rejected);

	memset(&o, 0, sizeof(o));
	rpt_parse_range("2026-Q3", NULL, &o, NULL);
	rpt_parse_dims("force,power", &o, NULL);
	ck_assert_int_eq(rpt_build(st, &o, &r, NULL), ASB_OK);
	ck_assert_int_eq(r->returns_read, 1);
	ck_assert_int_eq(r->total[0], 2);		/* the correction, not both */
	ck_assert_str_eq(r->forces[0].return_id, "00000000-0000-4000-8000-000000000002");
	rpt_free(r);
	o.include_test = 1;
	ck_assert_int_eq(rpt_build(st, &o, &r, NULL), ASB_OK);
	ck_assert_int_eq(r->total[0], 52);
	rpt_free(r);

	ck_assert_int_eq(hub_compliance(st, "2026-Q3", 31, &c, NULL), ASB_OK);
	ck_assert_uint_eq(c.nforces, 43);
	ck_assert_uint_eq(c.submitted, 1);
	ck_assert_uint_eq(c.rejected_only, 1);
	ck_assert_uint_eq(c.missing, 41);
	for (i = 0; i < (int)c.nforces; i++)
		if (strcmp(c.forces[i].code, "E23000011") == 0) {
			ck_assert_int_eq(c.forces[i].history, 2);
			ck_assert_int_eq(c.forces[i].superseded, 1);
			ck_assert_int_eq(c.forces[i].late, 0);
		}
	cmp_free(&c);
	hub_store_close(st);
	free(first.s);
	free(second.s);
	free(test.s);
	free(rejected.s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* ---- disclosure control, and an attack on it ------------------------------------------------ */

struct attack {
	size_t		 nr, nc;
	int64_t		*v;		/* true values */
	int		*known;		/* published or worked out */
	int64_t		*rowtot, *coltot;
	int		*colknown;
	int64_t		 grand;
};

/* The grid of one measure as a reader of the output sees it: rows and columns indexed by the
 * table's values (the test's tables have one row dimension and one column dimension). */
static void
attack_load(struct attack *a, const struct rpt *r, int m, int rowdim, int coldim, int primary_only)
{
	size_t i, t;

	a->nr = r->nvalues[rowdim];
	a->nc = r->nvalues[coldim];
	a->v = calloc(a->nr * a->nc, sizeof(*a->v));
	a->known = calloc(a->nr * a->nc, sizeof(*a->known));
	a->rowtot = calloc(a->nr, sizeof(*a->rowtot));
	a->coltot = calloc(a->nc, sizeof(*a->coltot));
	a->colknown = calloc(a->nc, sizeof(*a->colknown));
	a->grand = 0;
	for (i = 0; i < a->nr * a->nc; i++)
		a->known[i] = 1;	/* an absent cell is a published zero */
	for (t = 0; t < r->nrows; t++) {
		const struct rpt_row *x = &r->rows[t];
		size_t k = x->key[rowdim] * a->nc + x->key[coldim];
		int sup = (x->flags >> m) & 1;

		if (primary_only)
			sup = x->m[m] > 0 && x->m[m] < (int64_t)r->o.threshold;
		a->v[k] = x->m[m];
		a->known[k] = !sup;
		a->rowtot[x->key[rowdim]] += x->m[m];
		a->coltot[x->key[coldim]] += x->m[m];
		a->grand += x->m[m];
	}
	for (i = 0; i < a->nc; i++) {
		size_t j;

		a->colknown[i] = 1;
		for (j = 0; j < r->ncols; j++)
			if (r->colkey[j][coldim] == i && ((r->colsup[j] >> m) & 1) && !primary_only)
				a->colknown[i] = 0;
	}
}

static void
attack_free(struct attack *a)
{
	free(a->v);
	free(a->known);
	free(a->rowtot);
	free(a->coltot);
	free(a->colknown);
}

/*
 * The cut attack: an unknown cell that is the only link between two groups of rows and
 * columns (a bridge in the graph of unknown cells, columns without a total being one node) is
 * fixed by the difference of the groups' totals.  Returns how many there are.
 */
static int
attack_cuts(const struct attack *a)
{
	size_t n = a->nr + a->nc + 1, i, j, x, jj, ii, top;
	size_t *stack = calloc(n, sizeof(*stack));
	char *seen = calloc(n, 1);
	int found = 0;

#define COLNODE(c) (a->colknown[c] ? a->nr + (c) : a->nr + a->nc)
	for (i = 0; i < a->nr; i++)
		for (j = 0; j < a->nc; j++) {
			if (a->known[i * a->nc + j])
				continue;
			memset(seen, 0, n);
			top = 0;
			seen[i] = 1;
			stack[top++] = i;
			while (top > 0) {
				x = stack[--top];
				for (ii = 0; ii < a->nr; ii++)
					for (jj = 0; jj < a->nc; jj++) {
						size_t rn = ii, cn = COLNODE(jj), y;

						if (a->known[ii * a->nc + jj] || (ii == i && jj == j))
							continue;
						if (x == rn)
							y = cn;
						else if (x == cn)
							y = rn;
						else
							continue;
						if (!seen[y]) {
							seen[y] = 1;
							stack[top++] = y;
						}
					}
			}
			if (!seen[COLNODE(j)])
				found++;
		}
#undef COLNODE
	free(stack);
	free(seen);
	return found;
}

/* Solve every row and column with a single unknown, and a single unknown column total from
 * the grand total, until nothing moves.  Returns the cells recovered. */
static int
attack_run(struct attack *a)
{
	size_t i, j, u = 0, uj = 0;
	int recovered = 0, moved = 1, unknown;

	while (moved) {
		moved = 0;
		for (i = 0, unknown = 0; i < a->nc; i++)
			if (!a->colknown[i]) {
				unknown++;
				u = i;
			}
		if (unknown == 1) {
			a->colknown[u] = 1;
			moved = 1;
		}
		for (i = 0; i < a->nr; i++) {
			for (unknown = 0, j = 0; j < a->nc; j++)
				if (!a->known[i * a->nc + j]) {
					unknown++;
					uj = j;
				}
			if (unknown == 1) {
				a->known[i * a->nc + uj] = 1;
				recovered++;
				moved = 1;
			}
		}
		for (j = 0; j < a->nc; j++) {
			if (!a->colknown[j])
				continue;
			for (unknown = 0, i = 0; i < a->nr; i++)
				if (!a->known[i * a->nc + j]) {
					unknown++;
					u = i;
				}
			if (unknown == 1) {
				a->known[u * a->nc + j] = 1;
				recovered++;
				moved = 1;
			}
		}
	}
	return recovered + attack_cuts(a);
}

/* A deterministic table with many small cells: forces by ethnicity. */
static struct rpt *
small_cells(unsigned seed, struct buf *b, const char *by)
{
	static const char *const eth[] = { "W1", "W2", "A1", "B1", "M1", "O2", "A2" };
	static const char *const forces[] = { "E23000011", "E23000001", "E23000005" };
	int f, i, n;
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 1;

	for (f = 0; f < 3; f++) {
		head(&b[f], forces[f], "2026-Q3");
		for (i = 0; i < 7; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			n = (int)((s >> 33) % 9);	/* 0 to 8: many below 5 */
			while (n-- > 0)
				rec(&b[f], "x", "person", "cpn", 1, "35+", n % 2 ? "M" : "F",
				    eth[i], "E08000019", "served");
		}
		tail(&b[f]);
	}
	return report(b, 3, by, 5);
}

START_TEST(test_disclosure)
{
	struct buf b[3];
	struct rpt *r;
	struct attack a;
	int m, f;
	size_t t;

	r = small_cells((unsigned)_i, b, "force,ethnicity");
	ck_assert_int_eq(r->sensitive, 1);
	ck_assert_int_eq(r->too_fine, 0);
	for (m = 0; m < RPT_MEASURES; m++) {
		/* every small cell is hidden */
		for (t = 0; t < r->nrows; t++)
			if (r->rows[t].m[m] > 0 && r->rows[t].m[m] < 5)
				ck_assert_msg((r->rows[t].flags >> m) & 1, "small cell shown");
		attack_load(&a, r, m, RD_FORCE, RD_ETHNICITY, 0);
		ck_assert_msg(attack_run(&a) == 0, "seed %d measure %s: a suppressed cell "
		    "was worked out from the totals", _i, rpt_measure_name(m));
		attack_free(&a);
	}
	rpt_free(r);
	for (f = 0; f < 3; f++)
		free(b[f].s);
}
END_TEST

/* The attack works: with primary suppression alone it recovers cells on some table. */
START_TEST(test_attack_bites)
{
	struct buf b[3];
	struct rpt *r;
	struct attack a;
	int seed, f, got = 0;

	for (seed = 0; seed < 20 && !got; seed++) {
		r = small_cells((unsigned)seed, b, "force,ethnicity");
		attack_load(&a, r, 0, RD_FORCE, RD_ETHNICITY, 1);
		got = attack_run(&a) > 0;
		attack_free(&a);
		rpt_free(r);
		for (f = 0; f < 3; f++)
			free(b[f].s);
	}
	ck_assert_msg(got, "the attack never recovered a cell: it proves nothing");
}
END_TEST

/* ---- the neutral grid (sdc.h), without a report -------------------------------------------- */

/* An attack on a grid as sdc_protect left it: hidden cells and column totals unknown. */
static void
attack_grid(struct attack *a, size_t nr, size_t nc, const int64_t *cell, const uint8_t *flags,
    const uint8_t *colflags)
{
	size_t i, j;

	a->nr = nr;
	a->nc = nc;
	a->v = calloc(nr * nc, sizeof(*a->v));
	a->known = calloc(nr * nc, sizeof(*a->known));
	a->rowtot = calloc(nr, sizeof(*a->rowtot));
	a->coltot = calloc(nc, sizeof(*a->coltot));
	a->colknown = calloc(nc, sizeof(*a->colknown));
	a->grand = 0;
	for (i = 0; i < nr; i++)
		for (j = 0; j < nc; j++) {
			a->v[i * nc + j] = cell[i * nc + j];
			a->known[i * nc + j] = flags[i * nc + j] == 0;
			a->rowtot[i] += cell[i * nc + j];
			a->coltot[j] += cell[i * nc + j];
			a->grand += cell[i * nc + j];
		}
	for (j = 0; j < nc; j++)
		a->colknown[j] = colflags[j] == 0;
}

/* Small grids whose answer is worked out by hand (threshold 5).  P primary, S secondary. */
static const struct grid_case {
	const char	*what;
	size_t		 nr, nc;
	int64_t		 cell[9];
	const char	*flags;		/* per cell, row-major: '.', 'P' or 'S' */
	const char	*colflags;
} grid_cases[] = {
	{ "a lone small cell: a rectangle closes round it", 2, 2, { 1, 10, 10, 10 }, "PSSS",
	    ".." },
	{ "1 x 1: the totals are the cell; nothing more to do", 1, 1, { 3 }, "P", "P" },
	{ "zeros are shown", 2, 2, { 0, 0, 0, 0 }, "....", ".." },
	{ "one small column total gets a partner, and its cell too", 1, 3, { 1, 7, 8 },
	    "PS.", "PS." },
	{ "two small cells in a row and a column pair up", 2, 3, { 2, 3, 9, 6, 7, 9 },
	    "PP.SS.", "..." },
	{ "nothing small: nothing hidden", 2, 2, { 5, 6, 7, 8 }, "....", ".." },
};

static char
flag_char(uint8_t f)
{
	return f == 0 ? '.' : f == SDC_PRIMARY ? 'P' : f == SDC_SECONDARY ? 'S' : '?';
}

START_TEST(test_grid_cases)
{
	const struct grid_case *c = &grid_cases[_i];
	uint8_t flags[9], colflags[3];
	char got[10], gotc[4];
	size_t i;

	ck_assert_int_eq(sdc_protect(c->nr, c->nc, c->cell, 5, flags, colflags, NULL), ASB_OK);
	for (i = 0; i < c->nr * c->nc; i++)
		got[i] = flag_char(flags[i]);
	got[i] = '\0';
	for (i = 0; i < c->nc; i++)
		gotc[i] = flag_char(colflags[i]);
	gotc[i] = '\0';
	ck_assert_msg(strcmp(got, c->flags) == 0 && strcmp(gotc, c->colflags) == 0,
	    "%s: cells %s columns %s, want %s %s", c->what, got, gotc, c->flags, c->colflags);
}
END_TEST

/* Random grids of many shapes, with many small cells and small column totals: whatever
 * sdc_protect hides, the attack recovers none of it.  Grids of one column are left out: each
 * cell is its row's total, which is published, so nothing can hide it. */
START_TEST(test_grid_attack)
{
	uint64_t s = (uint64_t)_i * 0x9e3779b97f4a7c15ULL + 7;
	size_t nr, nc, i, hidden = 0;
	int64_t *cell;
	uint8_t *flags, *colflags;
	struct attack a;
	int round;

	for (round = 0; round < 25; round++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		nr = 1 + (s >> 33) % 6;
		nc = 2 + (s >> 40) % 6;
		cell = calloc(nr * nc, sizeof(*cell));
		flags = calloc(nr * nc, 1);
		colflags = calloc(nc, 1);
		for (i = 0; i < nr * nc; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			cell[i] = (s >> 35) % 3 == 0 ? 0 : (int64_t)((s >> 40) % 12);
		}
		ck_assert_int_eq(sdc_protect(nr, nc, cell, 5, flags, colflags, NULL), ASB_OK);
		for (i = 0; i < nr * nc; i++) {
			if (cell[i] > 0 && cell[i] < 5)
				ck_assert_msg(flags[i] == SDC_PRIMARY, "small cell not primary");
			hidden += flags[i] != 0;
		}
		attack_grid(&a, nr, nc, cell, flags, colflags);
		ck_assert_msg(attack_run(&a) == 0, "seed %d round %d (%zu x %zu): a hidden "
		    "cell was worked out", _i, round, nr, nc);
		attack_free(&a);
		free(cell);
		free(flags);
		free(colflags);
	}
	ck_assert_uint_gt(hidden, 0);
}
END_TEST

START_TEST(test_grid_refusals)
{
	int64_t cell[4] = { 1, 2, -1, 4 };
	uint8_t flags[4] = { 9, 9, 9, 9 }, colflags[2] = { 9, 9 };
	struct asb_errbuf eb;

	ck_assert_int_eq(sdc_protect(2, 2, cell, 5, flags, colflags, &eb), ASB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(eb.msg, "cell 1, 0 is negative"));
	cell[2] = 3;
	ck_assert_int_eq(sdc_protect(2, 2, cell, 1, flags, colflags, &eb), ASB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(eb.msg, "threshold of 1"));
	ck_assert_int_eq(sdc_protect(SDC_MAX_CELLS, 2, cell, 5, flags, colflags, &eb),
	    ASB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(eb.msg, "more than the"));
	ck_assert_uint_eq(flags[0], 9);		/* untouched on failure */
	ck_assert_uint_eq(colflags[1], 9);
	ck_assert_int_eq(sdc_protect(0, 2, cell, 5, flags, colflags, &eb), ASB_OK);
	ck_assert_uint_eq(flags[0], 9);
}
END_TEST

/* Output never carries a suppressed count. */
START_TEST(test_output_hides)
{
	struct buf b[3];
	struct rpt *r;
	char *out = NULL;
	size_t len = 0, t;
	FILE *f;
	int fi, found = 0;

	r = small_cells(3, b, "force,ethnicity");
	f = open_memstream(&out, &len);
	ck_assert_int_eq(rpt_write_csv(r, f), 0);
	fclose(f);
	for (t = 0; t < r->nrows; t++)
		if (r->rows[t].flags & 1) {
			char line[128];

			snprintf(line, sizeof(line), "%s,%s,uses,%lld,", rpt_value(r, &r->rows[t],
			    RD_FORCE), rpt_value(r, &r->rows[t], RD_ETHNICITY),
			    (long long)r->rows[t].m[0]);
			ck_assert_ptr_null(strstr(out, line));
			snprintf(line, sizeof(line), "%s,%s,uses,,true", rpt_value(r, &r->rows[t],
			    RD_FORCE), rpt_value(r, &r->rows[t], RD_ETHNICITY));
			ck_assert_ptr_nonnull(strstr(out, line));
			found++;
		}
	ck_assert_int_gt(found, 0);
	free(out);
	rpt_free(r);
	for (fi = 0; fi < 3; fi++)
		free(b[fi].s);
}
END_TEST


/* ---- the facts: what intake stores and the figures count --------------------------------- */

/* A return with one record of every shape the facts carry, and its facts. */
static void
facts_sample(struct buf *b, uint8_t **facts, size_t *flen)
{
	struct asb_errbuf eb;

	head(b, "E23000011", "2026-Q3");
	rec(b, "s1", "person", "cpn", 1, "18-24", "M", "W1", "E08000019", "served,breached:fpn");
	rec(b, "p1", "place", "pspo", 0, "", "", "", "", "breached");
	rec(b, "s2", "person", "cbo", 1, "", "", "", "W06000015", "");
	tail(b);
	asb_errbuf_clear(&eb);
	ck_assert_msg(hub_facts_of(b->s, b->n, NULL, facts, flen, NULL, &eb) == ASB_OK,
	    "%s", eb.msg);
}

START_TEST(test_facts_roundtrip)
{
	struct rtn_facts_reader rd;
	struct rtn_record_facts f;
	struct buf b;
	uint8_t *facts, want[RTN_SUBJECT_BYTES];
	size_t flen;
	char la[16];

	facts_sample(&b, &facts, &flen);
	ck_assert_int_eq(facts[0], RTN_FACTS_VERSION);
	ck_assert_int_eq(rtn_facts_open(&rd, facts, flen, NULL), ASB_OK);
	ck_assert_str_eq(sch_code_field(SCH_LIST_FORCES, (unsigned)rd.force, 0), "E23000011");
	ck_assert_int_eq(rd.year, 2026);
	ck_assert_int_eq(rd.quarter, 3);
	ck_assert_uint_eq(rd.records, 3);
	ck_assert_uint_eq(rd.nla, 2);

	ck_assert_int_eq(rtn_facts_next(&rd, &f, NULL), 1);
	memcpy(want, "s1", 2);
	memset(want + 2, 0, sizeof(want) - 2);
	ck_assert_mem_eq(f.subject, want, RTN_SUBJECT_BYTES);
	ck_assert_int_eq(f.issued_in_period, 1);
	ck_assert_int_eq(f.kind, SCH_PERSON);
	ck_assert_int_eq(f.power, SCH_CPN);
	ck_assert_int_eq(f.agency, sch_code_index(SCH_LIST_AGENCIES, "police"));
	ck_assert_str_eq(rtn_age_band_code(f.age_band), "18-24");
	ck_assert_int_eq(f.sex, sch_code_index(SCH_LIST_SEX, "M"));
	ck_assert_int_eq(f.ethnicity, sch_code_index(SCH_LIST_ETHNICITY, "W1"));
	ck_assert_str_eq(rtn_la_text(f.la, la, sizeof(la)), "E08000019");
	ck_assert_uint_eq(f.nevents, 2);
	ck_assert_int_eq(f.events[0].kind, SCH_EV_SERVED);
	ck_assert_int_eq(f.events[0].outcome, -1);
	ck_assert_int_eq(f.events[1].kind, SCH_EV_BREACHED);
	ck_assert_int_eq(f.events[1].outcome, sch_code_index(SCH_LIST_OUTCOMES, "fpn"));
	ck_assert_int_eq(f.events[1].in_period, 1);

	ck_assert_int_eq(rtn_facts_next(&rd, &f, NULL), 1);
	ck_assert_int_eq(f.issued_in_period, 0);
	ck_assert_int_eq(f.kind, SCH_PLACE);
	ck_assert_int_eq(f.power, SCH_PSPO);
	ck_assert_int_eq(f.age_band, -1);
	ck_assert_int_eq(f.sex, -1);
	ck_assert_int_eq(f.ethnicity, -1);
	ck_assert_uint_eq(f.la, 0);
	ck_assert_int_eq(f.la_index, -1);

	ck_assert_int_eq(rtn_facts_next(&rd, &f, NULL), 1);
	ck_assert_str_eq(rtn_la_text(f.la, la, sizeof(la)), "W06000015");
	ck_assert_uint_eq(f.nevents, 0);
	ck_assert_int_eq(rtn_facts_next(&rd, &f, NULL), 0);
	free(facts);
	free(b.s);
}
END_TEST

/* Read a facts value to its end: ASB_OK, or the first refusal with its message. */
static int
facts_read_all(const uint8_t *v, size_t n, struct asb_errbuf *eb)
{
	struct rtn_facts_reader rd;
	struct rtn_record_facts f;
	uint8_t *copy = malloc(n ? n : 1);	/* exactly n bytes: an over-read is caught */
	int rc, err;

	ck_assert_ptr_nonnull(copy);
	if (n > 0)
		memcpy(copy, v, n);
	asb_errbuf_clear(eb);
	if ((err = rtn_facts_open(&rd, copy, n, eb)) == ASB_OK) {
		while ((rc = rtn_facts_next(&rd, &f, eb)) == 1)
			;
		err = rc == 0 ? ASB_OK : ASB_EIO;
	}
	free(copy);
	return err;
}

START_TEST(test_facts_truncated)
{
	struct asb_errbuf eb;
	struct buf b;
	uint8_t *facts;
	size_t flen, n;

	facts_sample(&b, &facts, &flen);
	ck_assert_int_eq(facts_read_all(facts, flen, &eb), ASB_OK);
	for (n = 0; n < flen; n++) {
		ck_assert_msg(facts_read_all(facts, n, &eb) == ASB_EIO,
		    "facts cut to %zu of %zu bytes were read", n, flen);
		ck_assert_msg(strncmp(eb.msg, "stored facts: ", 14) == 0 && (strstr(eb.msg,
		    "truncated") != NULL || strstr(eb.msg, "shorter") != NULL),
		    "cut to %zu: '%s'", n, eb.msg);
	}
	free(facts);
	free(b.s);
}
END_TEST

/* One corruption per case: the byte at offset (from the start, or from the end when
 * negative) set to value, and what the refusal must say. */
static const struct {
	long		 at;
	int		 value;
	const char	*says;
} corrupt_cases[] = {
	{ 0, 2, "version 2" },				/* a later encoding */
	{ 0, 0, "version 0" },
	{ 1, 7, "corrupt header" },			/* test neither 0 nor 1 */
	{ 2, 0xff, "corrupt header" },			/* force out of the list */
	{ 6, 5, "corrupt header" },			/* quarter 5 */
	{ 10, 9, "record 4 of 9: truncated" },		/* records 3 -> 9 */
	{ 10, 2, "bytes after the last record" },	/* records 3 -> 2 */
	{ 12, 0xff, "local authorities" },		/* nla 2 -> 255 */
	{ 21 + 0, 2, "outside its code list" },		/* record 1: flags */
	{ 21 + 1, 9, "outside its code list" },		/* subject kind */
	{ 21 + 2, 200, "outside its code list" },	/* power */
	{ 21 + 4, 6, "outside its code list" },		/* age band 6 */
	{ 21 + 8, 9, "local authority outside" },	/* district 9 of 2 */
	{ 21 + 26, 0xff, "truncated in its events" },	/* 255 events */
	{ 21 + 27, 99, "event outside" },		/* event kind */
	{ 21 + 28, 2, "event outside" },		/* in period 2 */
	{ 21 + 29, 99, "event outside" },		/* outcome */
};

START_TEST(test_facts_corrupt)
{
	struct asb_errbuf eb;
	struct buf b;
	uint8_t *facts, *bad;
	size_t flen, at;

	facts_sample(&b, &facts, &flen);
	/* the layout the offsets above assume: 13 header bytes, two districts */
	ck_assert_int_eq(facts[12], 2);
	at = corrupt_cases[_i].at < 0 ? flen + (size_t)corrupt_cases[_i].at :
	    (size_t)corrupt_cases[_i].at;
	ck_assert_uint_lt(at, flen);
	bad = malloc(flen);
	memcpy(bad, facts, flen);
	bad[at] = (uint8_t)corrupt_cases[_i].value;
	ck_assert_int_eq(facts_read_all(bad, flen, &eb), ASB_EIO);
	ck_assert_msg(strstr(eb.msg, corrupt_cases[_i].says) != NULL, "byte %zu = %d: '%s'",
	    at, corrupt_cases[_i].value, eb.msg);
	/* a byte after the end is refused too */
	bad = realloc(bad, flen + 1);
	memcpy(bad, facts, flen);
	bad[flen] = 0;
	ck_assert_int_eq(facts_read_all(bad, flen + 1, &eb), ASB_EIO);
	ck_assert_ptr_nonnull(strstr(eb.msg, "bytes after the last record"));
	free(bad);
	free(facts);
	free(b.s);
}
END_TEST

/*
 * The figures from the facts equal the figures from the records: random returns for three
 * forces, every use and event counted here as it is written, then the report by force,
 * power, age band and outcome compared cell by cell, and each force's subjects.
 */
START_TEST(test_facts_totals)
{
	static const char *const forces[] = { "E23000011", "E23000001", "E23000005" };
	static const char *const powers[] = { "cpn", "cbo", "cpw", "pspo" };
	static const char *const ages[] = { "10-15", "18-24", "35+", "" };
	static const char *const evs[] = { "served", "breached", "breached:arrested",
	    "varied", "breached:fpn" };
	int64_t uses[3][4][4] = { { { 0 } } }, ev[3][4][14] = { { { 0 } } };
	int64_t subj[3] = { 0 }, rep[3] = { 0 }, seen[3][40];
	struct buf b[3];
	struct rpt *r;
	uint64_t x = 42;
	size_t i;
	int f, n, p, a, k, m, s;
	char name[8], events[64];

	memset(seen, 0, sizeof(seen));
	for (f = 0; f < 3; f++) {
		head(&b[f], forces[f], "2026-Q3");
		for (n = 0; n < 300; n++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			p = (int)(x >> 40) % 4;
			a = (int)(x >> 44) % 4;
			k = (int)(x >> 48) % 6;	/* 5: no event */
			s = (int)(x >> 52) % 40;
			m = (int)(x >> 58) & 1;	/* issued in the period */
			snprintf(name, sizeof(name), "s%d", s);
			snprintf(events, sizeof(events), "%s", k < 5 ? evs[k] : "");
			rec(&b[f], name, p == 3 ? "place" : "person", powers[p], m, ages[a],
			    "F", "W1", "E08000019", events);
			if (m) {
				uses[f][p][p == 3 ? 3 : a]++;
				if (seen[f][s]++ == 0)
					subj[f]++;
				else if (seen[f][s] == 2)
					rep[f]++;
			}
			if (k < 5)
				ev[f][p][measure(k == 0 ? "served" : k == 3 ? "varied" :
				    "breached")]++;
		}
		tail(&b[f]);
	}
	r = report(b, 3, "force,power,age-band", 5);
	for (f = 0; f < 3; f++)
		for (p = 0; p < 4; p++)
			for (a = 0; a < 4; a++) {
				int64_t got = 0, want = uses[f][p][a];
				const char *band = p == 3 ? "not-a-person" : a == 3 ?
				    "unknown" : ages[a];

				for (i = 0; i < r->nrows; i++)
					if (strcmp(rpt_value(r, &r->rows[i], RD_FORCE),
					    forces[f]) == 0 && strcmp(rpt_value(r,
					    &r->rows[i], RD_POWER), powers[p]) == 0 &&
					    strcmp(rpt_value(r, &r->rows[i], RD_AGE), band) == 0)
						got += r->rows[i].m[0];
				if (p == 3 && a != 3)
					continue;	/* places have no age: all under one */
				ck_assert_msg(got == want, "%s %s %s: %lld uses, want %lld",
				    forces[f], powers[p], band, (long long)got, (long long)want);
			}
	rpt_free(r);
	r = report(b, 3, "force,power", 5);
	for (f = 0; f < 3; f++) {
		for (i = 0; i < r->nforces; i++)
			if (strcmp(r->forces[i].code, forces[f]) == 0)
				break;
		ck_assert_uint_lt(i, r->nforces);
		ck_assert_int_eq(r->forces[i].subjects, subj[f]);
		ck_assert_int_eq(r->forces[i].repeat_subjects, rep[f]);
		for (p = 0; p < 4; p++) {
			const struct rpt_row *row = NULL;

			for (i = 0; i < r->nrows; i++)
				if (strcmp(rpt_value(r, &r->rows[i], RD_FORCE), forces[f]) == 0 &&
				    strcmp(rpt_value(r, &r->rows[i], RD_POWER), powers[p]) == 0)
					row = &r->rows[i];
			ck_assert_ptr_nonnull(row);
			for (m = 1; m < RPT_MEASURES; m++)
				ck_assert_msg(row->m[m] == ev[f][p][m], "%s %s %s: %lld, want "
				    "%lld", forces[f], powers[p], rpt_measure_name(m),
				    (long long)row->m[m], (long long)ev[f][p][m]);
		}
	}
	rpt_free(r);
	for (f = 0; f < 3; f++)
		free(b[f].s);
}
END_TEST

/*
 * A signed return edited without the key so that canonicalisation hides the edit: the
 * figures count what the validator read (cpw, W1) or the return is refused at the parse;
 * never the last text node ("pw") or nothing ("not-stated").
 */
START_TEST(test_facts_hidden_markup)
{
	struct asb_errbuf eb;
	struct rpt_opts o;
	struct buf b;
	struct rpt *r;
	const char *body;
	size_t len, i;
	char *at;
	int rc;

	head(&b, "E23000011", "2026-Q3");
	rec(&b, "s1", "person", "cpw", 1, "35+", "M", "W1", "E08000019", "");
	tail(&b);
	/* <Power>cpw</Power> -> <Power>c<!---->pw</Power>, W1 into a CDATA section */
	at = strstr(b.s, "<Power>cpw</Power>");
	ck_assert_ptr_nonnull(at);
	{
		struct buf e;
		char *eth = strstr(b.s, "<Ethnicity>W1</Ethnicity>");

		memset(&e, 0, sizeof(e));
		put(&e, "%.*s<Power>c<!---->pw</Power>%.*s<Ethnicity><![CDATA[W1]]></Ethnicity>%s",
		    (int)(at - b.s), b.s, (int)(eth - at - 18), at + 18, eth + 25);
		free(b.s);
		b = e;
	}
	memset(&o, 0, sizeof(o));
	rpt_parse_range("2026-Q3", NULL, &o, NULL);
	rpt_parse_dims("power,ethnicity", &o, NULL);
	body = b.s;
	len = b.n;
	asb_errbuf_clear(&eb);
	rc = rpt_build_mem(&body, &len, 1, &o, &r, &eb);
	/* refused, it must be for the markup, not for facts the walk could not take */
	ck_assert_msg(rc == ASB_OK || (rc == ASB_ERULE && strstr(eb.msg, "facts") == NULL),
	    "rc %d: %s", rc, eb.msg);
	if (rc == ASB_OK) {
		ck_assert_uint_eq(r->nrows, 1);
		for (i = 0; i < r->nrows; i++) {
			ck_assert_str_eq(rpt_value(r, &r->rows[i], RD_POWER), "cpw");
			ck_assert_str_eq(rpt_value(r, &r->rows[i], RD_ETHNICITY), "W1");
		}
		rpt_free(r);
	}
	free(b.s);
}
END_TEST

/* A corrupt facts value in the store: the report refuses, naming the return. */
START_TEST(test_facts_corrupt_stored)
{
	char dir[] = "/tmp/asbfct-XXXXXX", cmd[128];
	struct hub_store *st;
	struct asb_errbuf eb;
	struct rpt_opts o;
	struct buf b;
	struct rpt *r = NULL;
	uint8_t *facts;
	size_t flen;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(hub_store_open(dir, 1, &st, NULL), ASB_OK);
	ck_assert_int_eq(hub_facts_current(st), 1);	/* a new store is current */
	head(&b, "E23000011", "2026-Q3");
	rec(&b, "a", "person", "cbo", 1, "35+", "M", "W1", "E08000019", "");
	tail(&b);
	store_return(st, "00000000-0000-4000-8000-000000000001", "E23000011", 0, "accepted", &b);
	ck_assert_int_eq(hub_facts_of(b.s, b.n, NULL, &facts, &flen, NULL, NULL), ASB_OK);
	facts[13 + 4 + 2] = 200;	/* the record's power */
	ck_assert_int_eq(hub_facts_put(st, "00000000-0000-4000-8000-000000000001", facts,
	    flen, NULL), ASB_OK);
	memset(&o, 0, sizeof(o));
	rpt_parse_range("2026-Q3", NULL, &o, NULL);
	rpt_parse_dims("force,power", &o, NULL);
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(rpt_build(st, &o, &r, &eb), ASB_EIO);
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(eb.msg, "return 00000000-0000-4000-8000-000000000001: stored "
	    "facts: record 1 of 1: a value outside its code list") != NULL, "'%s'", eb.msg);
	/* reindex --all writes them again from the bytes: the report is whole again */
	{
		struct hub_reindex_stats rs;

		ck_assert_int_eq(hub_reindex(st, 1, &rs, NULL), ASB_OK);
		ck_assert_uint_eq(rs.written, 1);
	}
	ck_assert_int_eq(rpt_build(st, &o, &r, NULL), ASB_OK);
	ck_assert_int_eq(r->total[0], 1);
	rpt_free(r);
	free(facts);
	free(b.s);
	hub_store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* A store from an earlier release holds an accepted correction edited after signing with
 * markup the signature does not cover: reindex quarantines it (it no longer counts, the
 * report is not blocked) and the return it corrected counts again. */
START_TEST(test_reindex_quarantines)
{
	char dir[] = "/tmp/asbqrn-XXXXXX", cmd[128];
	struct hub_reindex_stats rs;
	struct hub_return hr;
	struct hub_store *st;
	struct asb_errbuf eb;
	struct rpt_opts o;
	struct buf first, bad;
	struct rpt *r = NULL;
	char id[37], *at;
	int same = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(hub_store_open(dir, 1, &st, NULL), ASB_OK);
	head(&first, "E23000011", "2026-Q3");
	rec(&first, "a", "person", "cpw", 1, "35+", "M", "W1", "E08000019", "");
	rec(&first, "b", "person", "cpw", 1, "35+", "M", "W1", "E08000019", "");
	tail(&first);
	store_return(st, "00000000-0000-4000-8000-000000000001", "E23000011", 0, "accepted",
	    &first);
	/* the correction, as an old release stored it: no facts, a comment inside Power */
	head(&bad, "E23000011", "2026-Q3");
	rec(&bad, "a", "person", "cpw", 1, "35+", "M", "W1", "E08000019", "");
	tail(&bad);
	at = strstr(bad.s, "<Power>cpw</Power>");
	ck_assert_ptr_nonnull(at);
	{
		struct buf e;

		memset(&e, 0, sizeof(e));
		put(&e, "%.*s<Power>c<!---->pw</Power>%s", (int)(at - bad.s), bad.s, at + 18);
		free(bad.s);
		bad = e;
	}
	memset(&hr, 0, sizeof(hr));
	snprintf(hr.id, sizeof(hr.id), "00000000-0000-4000-8000-000000000002");
	snprintf(hr.force, sizeof(hr.force), "E23000011");
	snprintf(hr.period, sizeof(hr.period), "2026-Q3");
	snprintf(hr.supersedes, sizeof(hr.supersedes), "00000000-0000-4000-8000-000000000001");
	snprintf(hr.sha256, sizeof(hr.sha256), "%064d", 2);
	snprintf(hr.state, sizeof(hr.state), "accepted");
	hr.received = hr.decided = 1790000100;
	ck_assert_int_eq(hub_return_put(st, &hr, bad.s, bad.n, "<Receipt/>", 10, NULL, 0,
	    &same, NULL), ASB_OK);
	ck_assert_int_eq(hub_latest(st, "E23000011", "2026-Q3", 0, id), ASB_OK);
	ck_assert_str_eq(id, "00000000-0000-4000-8000-000000000002");
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(hub_reindex(st, 1, &rs, &eb), ASB_ERULE);
	ck_assert_uint_eq(rs.failed, 1);
	ck_assert_msg(strstr(eb.msg, "00000000-0000-4000-8000-000000000002") != NULL &&
	    strstr(eb.msg, "quarantined") != NULL && strstr(eb.msg, "R-XML-004") != NULL,
	    "'%s'", eb.msg);
	ck_assert_int_eq(hub_facts_current(st), 1);	/* usable: the report is not blocked */
	ck_assert_int_eq(hub_return_get(st, "00000000-0000-4000-8000-000000000002", &hr, NULL,
	    NULL, NULL, NULL), ASB_OK);
	ck_assert_str_eq(hr.state, "quarantined");
	ck_assert_int_eq(hub_latest(st, "E23000011", "2026-Q3", 0, id), ASB_OK);
	ck_assert_str_eq(id, "00000000-0000-4000-8000-000000000001");
	memset(&o, 0, sizeof(o));
	rpt_parse_range("2026-Q3", NULL, &o, NULL);
	rpt_parse_dims("force,power", &o, NULL);
	ck_assert_int_eq(rpt_build(st, &o, &r, NULL), ASB_OK);
	ck_assert_int_eq(r->total[0], 2);	/* the first return's two uses, no "pw" */
	ck_assert_uint_eq(r->nrows, 1);
	ck_assert_str_eq(rpt_value(r, &r->rows[0], RD_POWER), "cpw");
	rpt_free(r);
	/* quarantining the only one leaves the period with no return, and no error */
	ck_assert_int_eq(hub_return_quarantine(st, "00000000-0000-4000-8000-000000000001",
	    NULL), ASB_OK);
	ck_assert_int_eq(hub_latest(st, "E23000011", "2026-Q3", 0, id), ASB_ENOTFOUND);
	ck_assert_int_eq(hub_return_quarantine(st, "00000000-0000-4000-8000-00000000000f",
	    NULL), ASB_ENOTFOUND);
	free(first.s);
	free(bad.s);
	hub_store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_rates);
	tcase_add_test(tc, test_ranges);
	tcase_add_test(tc, test_latest_only);
	tcase_add_loop_test(tc, test_disclosure, 0, 40);
	tcase_add_test(tc, test_attack_bites);
	tcase_add_test(tc, test_output_hides);
	tcase_add_loop_test(tc, test_grid_cases, 0,
	    (int)(sizeof(grid_cases) / sizeof(grid_cases[0])));
	tcase_add_loop_test(tc, test_grid_attack, 0, 40);
	tcase_add_test(tc, test_grid_refusals);
	tcase_add_test(tc, test_facts_roundtrip);
	tcase_add_test(tc, test_facts_truncated);
	tcase_add_loop_test(tc, test_facts_corrupt, 0,
	    (int)(sizeof(corrupt_cases) / sizeof(corrupt_cases[0])));
	tcase_add_test(tc, test_facts_totals);
	tcase_add_test(tc, test_facts_hidden_markup);
	tcase_add_test(tc, test_facts_corrupt_stored);
	tcase_add_test(tc, test_reindex_quarantines);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, pub_tcase());
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(report_suite());
	int failed;

	xmlInitParser();
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	xmlCleanupParser();
	return failed ? 1 : 0;
}
