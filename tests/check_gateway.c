/*
 * check_gateway.c - the national return: pseudonyms, periods, age bands, and validation of
 * every file in schema/examples (the rule each must be refused with is in its name:
 * invalid-rule-R-CPN-002.xml must give R-CPN-002; invalid-xsd-* an R-XSD finding; valid-*
 * nothing), and hostile XML: XXE, an entity bomb, 10,000-deep nesting, bad UTF-8; the
 * summary a build prints (summary.h: changes and their flags, the quarter before) and the
 * quarter that has not ended (gw_build_check).
 */
#include <check.h>
#include <libxml/parser.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "codes.h"
#include "facts.h"
#include "gw.h"
#include "num.h"
#include "summary.h"

#ifndef EXAMPLES
#define EXAMPLES "schema/examples"
#endif

START_TEST(test_pseudonyms)
{
	unsigned char a[32], b[32];
	struct gw_key *ka, *kb;
	char p1[GW_PSEUDONYM_LEN + 1], p2[GW_PSEUDONYM_LEN + 1];
	size_t i;

	memset(a, 1, sizeof(a));
	memset(b, 2, sizeof(b));
	ka = gw_key_new(a, sizeof(a));
	kb = gw_key_new(b, sizeof(b));
	gw_pseudonym(ka, "record", "E23000011", 42, p1);
	/* Known answer: HMAC-SHA256(32 bytes of 0x01, "record:E23000011:42"), first 128 bits
	 * (docs/return-format.md gives it to suppliers). */
	ck_assert_str_eq(p1, "04ef534e3d53d948c760e7ae3649ce47");
	ck_assert_uint_eq(strlen(p1), GW_PSEUDONYM_LEN);
	for (i = 0; i < GW_PSEUDONYM_LEN; i++)
		ck_assert(strchr("0123456789abcdef", p1[i]) != NULL);
	gw_pseudonym(ka, "record", "E23000011", 42, p2);
	ck_assert_str_eq(p1, p2);			/* stable */
	gw_pseudonym(ka, "record", "E23000011", 43, p2);
	ck_assert_str_ne(p1, p2);
	gw_pseudonym(ka, "subject", "E23000011", 42, p2);
	ck_assert_str_ne(p1, p2);			/* kinds apart */
	gw_pseudonym(kb, "record", "E23000011", 42, p2);
	ck_assert_str_ne(p1, p2);			/* another force's key */
	gw_pseudonym(ka, "record", "E23000012", 42, p2);
	ck_assert_str_ne(p1, p2);			/* another force's code */
	ck_assert_ptr_null(gw_key_new(a, 0));
	gw_key_free(ka);
	gw_key_free(kb);
	gw_key_free(NULL);
}
END_TEST

START_TEST(test_periods)
{
	struct rtn_period p;
	asb_time t;

	ck_assert_int_eq(rtn_period_parse("2026-Q3", &p, NULL), ASB_OK);
	ck_assert_int_eq(asb_time_parse("2026-07-01T00:00", &t), 0);
	ck_assert(rtn_period_contains(&p, t));
	ck_assert(!rtn_period_contains(&p, t - 1));	/* 30 June 23:59:59 BST */
	ck_assert_int_eq(asb_time_parse("2026-09-30T23:59:59", &t), 0);
	ck_assert(rtn_period_contains(&p, t));
	ck_assert(!rtn_period_contains(&p, t + 1));
	ck_assert_int_eq(rtn_period_parse("2026-Q4", &p, NULL), ASB_OK);
	ck_assert_int_eq(asb_time_parse("2026-12-31T23:59:59Z", &t), 0);
	ck_assert(rtn_period_contains(&p, t));
	ck_assert(!rtn_period_contains(&p, t + 1));
	ck_assert_int_eq(rtn_period_parse("2026-Q5", &p, NULL), ASB_EUSAGE);
	ck_assert_int_eq(rtn_period_parse("2026Q1", &p, NULL), ASB_EUSAGE);
	ck_assert_int_eq(rtn_period_parse("2013-Q4", &p, NULL), ASB_EUSAGE);
	ck_assert_int_eq(rtn_period_parse("2026-Q1x", &p, NULL), ASB_EUSAGE);
	ck_assert_int_eq(rtn_period_parse("", &p, NULL), ASB_EUSAGE);
}
END_TEST

START_TEST(test_age_bands)
{
	ck_assert_ptr_null(rtn_age_band(9));
	ck_assert_str_eq(rtn_age_band(10), "10-15");
	ck_assert_str_eq(rtn_age_band(15), "10-15");
	ck_assert_str_eq(rtn_age_band(16), "16-17");
	ck_assert_str_eq(rtn_age_band(17), "16-17");
	ck_assert_str_eq(rtn_age_band(18), "18-24");
	ck_assert_str_eq(rtn_age_band(24), "18-24");
	ck_assert_str_eq(rtn_age_band(25), "25-34");
	ck_assert_str_eq(rtn_age_band(35), "35+");
	ck_assert_str_eq(rtn_age_band(120), "35+");
}
END_TEST

/* The bands are schema/codes/agebands.tsv: every row bands its own ages, the list starts at
 * 10 with no gaps, and the validator's reading (the oldest age of a band) is the same list. */
START_TEST(test_age_band_list)
{
	unsigned i, n = sch_code_count(SCH_LIST_AGEBANDS);
	int age, from, to;
	const char *why;
	int64_t v;

	ck_assert_uint_ge(n, 2);
	for (i = 0; i < n; i++) {
		const char *code = sch_code_field(SCH_LIST_AGEBANDS, i, 0);

		ck_assert_int_eq(asb_strtonum(sch_code_field(SCH_LIST_AGEBANDS, i, 1), 0,
		    200, &v, &why), 0);
		from = (int)v;
		to = rtn_age_band_max(code);
		ck_assert_int_ge(to, from);
		if (i == 0)
			ck_assert_int_eq(from, 10);
		for (age = from; age <= to && age < 200; age++)
			ck_assert_str_eq(rtn_age_band(age), code);
	}
	ck_assert_int_eq(rtn_age_band_max("35+"), RTN_AGE_OPEN);
	ck_assert_int_eq(rtn_age_band_max("16-17"), 17);
	ck_assert_int_eq(rtn_age_band_max("12-13"), -1);
	ck_assert_int_eq(rtn_age_band_max(NULL), -1);
	for (age = 10; age < RTN_AGE_OPEN; age++)
		ck_assert_ptr_nonnull(rtn_age_band(age));
}
END_TEST

struct seen {
	char	 rules[32][24];
	int	 n;
	int	 errors;
	char	 last[512];	/* the last error's message */
};

static void
collect(const struct rtn_finding *f, void *ctx)
{
	struct seen *s = ctx;

	if (!f->warning) {
		s->errors++;
		snprintf(s->last, sizeof(s->last), "%s", f->msg);
	}
	if (s->n < 32)
		snprintf(s->rules[s->n++], sizeof(s->rules[0]), "%s", f->rule);
}

static int
has(const struct seen *s, const char *prefix)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strncmp(s->rules[i], prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static int
cmp_rule(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * Validate a file as it streams, and again as a parsed tree (the hub's way) when it parses:
 * both must find the same rules (in any order), the same counts and the same verdict.
 */
static int
validate(const char *path, struct seen *s)
{
	struct rtn_validate_opts o = { .finding = collect, .ctx = s };
	struct rtn_validate_result r, rt;
	struct seen t;
	xmlDocPtr doc;
	int rc, rct;

	memset(s, 0, sizeof(*s));
	rc = rtn_validate(path, &o, &r, NULL);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA |
	    XML_PARSE_BIG_LINES | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return rc;
	memset(&t, 0, sizeof(t));
	o.ctx = &t;
	rct = rtn_validate_doc(doc, path, &o, &rt, NULL);
	xmlFreeDoc(doc);
	ck_assert_msg(rct == rc, "%s: stream %d, tree %d", path, rc, rct);
	ck_assert_msg(rt.errors == r.errors && rt.warnings == r.warnings &&
	    rt.records == r.records, "%s: stream %u/%u/%llu, tree %u/%u/%llu", path,
	    r.errors, r.warnings, (unsigned long long)r.records, rt.errors,
	    rt.warnings, (unsigned long long)rt.records);
	ck_assert_int_eq(t.n, s->n);
	qsort(t.rules, (size_t)t.n, sizeof(t.rules[0]), cmp_rule);
	{
		struct seen u = *s;
		int i;

		qsort(u.rules, (size_t)u.n, sizeof(u.rules[0]), cmp_rule);
		for (i = 0; i < t.n; i++)
			ck_assert_msg(strcmp(t.rules[i], u.rules[i]) == 0,
			    "%s: stream found %s where the tree found %s", path,
			    u.rules[i], t.rules[i]);
	}
	return rc;
}

START_TEST(test_examples)
{
	DIR *d = opendir(EXAMPLES);
	struct dirent *e;
	struct seen s;
	char path[512], want[32];
	int files = 0, rc;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".xml") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", EXAMPLES, e->d_name);
		rc = validate(path, &s);
		files++;
		if (strncmp(e->d_name, "valid-", 6) == 0) {
			ck_assert_msg(rc == ASB_OK && s.errors == 0,
			    "%s: refused (%s)", e->d_name, s.n ? s.rules[0] : "");
		} else if (strncmp(e->d_name, "invalid-rule-", 13) == 0) {
			snprintf(want, sizeof(want), "%.*s",
			    (int)(strlen(e->d_name) - 13 - 4), e->d_name + 13);
			ck_assert_msg(rc == ASB_ERULE && has(&s, want),
			    "%s: want %s, got %s", e->d_name, want,
			    s.n ? s.rules[0] : "nothing");
			/* Business-rule examples are XSD-valid. */
			ck_assert_msg(!has(&s, "R-XSD") && !has(&s, "R-XML"),
			    "%s: XSD finding %s", e->d_name, s.rules[0]);
		} else if (strncmp(e->d_name, "invalid-xsd-", 12) == 0) {
			ck_assert_msg(rc == ASB_ERULE && has(&s, "R-XSD"),
			    "%s: no R-XSD finding", e->d_name);
		} else if (strncmp(e->d_name, "invalid-xml-", 12) == 0) {
			ck_assert_msg(rc == ASB_ERULE && has(&s, "R-XML"),
			    "%s: no R-XML finding", e->d_name);
		}
	}
	closedir(d);
	ck_assert_int_ge(files, 20);
}
END_TEST

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* Hostile documents: each is refused with its R-XML finding, quickly, and nothing leaks. */
static const char *const hostile_rule[] = {
	"R-XML-002", "R-XML-002", "R-XML-002", "R-XML-001", "R-XML-001", "R-XML-001",
	"R-XML-002",
};
static const char *const hostile[] = {
	/* XXE: an external entity reading a local file */
	"<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	"<Return xmlns=\"urn:uk:gov:homeoffice:asb-powers:return:1\">&x;</Return>\n",
	/* entity expansion ("billion laughs") */
	"<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
	"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">]>\n"
	"<Return xmlns=\"urn:uk:gov:homeoffice:asb-powers:return:1\">&e;&e;&e;&e;</Return>\n",
	/* external DTD over the network */
	"<?xml version=\"1.0\"?>\n<!DOCTYPE Return SYSTEM \"http://127.0.0.1:9/x.dtd\">\n"
	"<Return xmlns=\"urn:uk:gov:homeoffice:asb-powers:return:1\"/>\n",
	/* bad UTF-8 */
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Return xmlns=\"urn:uk:gov:homeoffice:asb-powers:return:1\">"
	"<Header><Force>\xC3\x28</Force></Header></Return>\n",
	/* not XML at all */
	"Force,Period\nE23000011,2026-Q3\n",
	/* empty */
	"",
	/* a DOCTYPE after a comment and a processing instruction */
	"<?xml version=\"1.0\"?><!-- x --><?pi y?>\n<!DOCTYPE Return []>\n"
	"<Return xmlns=\"urn:uk:gov:homeoffice:asb-powers:return:1\"/>\n",
};

START_TEST(test_hostile)
{
	char path[] = "/tmp/asbgw-hostile-XXXXXX";
	struct seen s;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	write_file(path, hostile[_i], strlen(hostile[_i]));
	ck_assert_int_eq(validate(path, &s), ASB_ERULE);
	ck_assert_msg(has(&s, hostile_rule[_i]), "hostile %d: want %s, got %s",
	    _i, hostile_rule[_i], s.n ? s.rules[0] : "no finding");
	unlink(path);
}
END_TEST

START_TEST(test_deep_nesting)
{
	char path[] = "/tmp/asbgw-deep-XXXXXX";
	const int depth = 10000;
	struct seen s;
	size_t len = 0, cap = (size_t)depth * 8 + 200;
	char *doc = malloc(cap);
	int fd = mkstemp(path), i;

	ck_assert_int_ge(fd, 0);
	close(fd);
	len += (size_t)snprintf(doc, cap, "<Return xmlns=\"urn:uk:gov:homeoffice:"
	    "asb-powers:return:1\">");
	for (i = 0; i < depth; i++)
		len += (size_t)snprintf(doc + len, cap - len, "<a>");
	write_file(path, doc, len);
	ck_assert_int_eq(validate(path, &s), ASB_ERULE);
	ck_assert(has(&s, "R-XML") || has(&s, "R-XSD"));
	free(doc);
	unlink(path);
}
END_TEST

START_TEST(test_unreadable)
{
	struct seen s;

	ck_assert_int_eq(validate("/nonexistent/return.xml", &s), ASB_ENOTFOUND);
}
END_TEST

/* Past max_errors a stream stops, but a tree is walked to the end: the records are counted
 * and the result says it was cut short.  Every Sex in the example made invalid: 3 errors. */
START_TEST(test_tree_truncated)
{
	struct rtn_validate_opts o = { .max_errors = 1 };
	struct rtn_validate_result r;
	xmlDocPtr doc = xmlReadFile(EXAMPLES "/valid-2026-Q3.xml", NULL, XML_PARSE_NONET);
	xmlNodePtr n, root;
	struct rtn_schema *g;
	int bad = 0;

	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(rtn_schema_load(&g, NULL), ASB_OK);
	o.schema = g;
	root = xmlDocGetRootElement(doc);
	for (n = root; n != NULL; ) {
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "Sex") == 0) {
			xmlNodeSetContent(n, BAD_CAST "Q");
			bad++;
		}
		if (n->children != NULL && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n != root && n->next == NULL)
			n = n->parent;
		n = n == root ? NULL : n->next;
	}
	ck_assert_int_eq(bad, 3);
	ck_assert_int_eq(rtn_validate_doc(doc, "t", &o, &r, NULL), ASB_ERULE);
	ck_assert_int_eq(r.errors, 1);
	ck_assert_int_eq(r.truncated, 1);
	ck_assert_int_eq(r.records, 4);
	ck_assert_str_eq(r.period, "2026-Q3");
	rtn_schema_free(g);
	xmlFreeDoc(doc);
}
END_TEST

/* The example return with one edit: the first `from` replaced by `to`, malloc'd. */
static char *
edited(const char *from, const char *to, size_t *len)
{
	char *buf, *out, *at;
	size_t n;

	ck_assert_int_eq(asb_read_file(EXAMPLES "/valid-2026-Q3.xml", 1 << 24, &buf, &n,
	    NULL), ASB_OK);
	at = from[0] != '\0' ? strstr(buf, from) : buf + n;
	ck_assert_msg(at != NULL, "no %s in the example", from);
	*len = n - strlen(from) + strlen(to);
	out = malloc(*len + 1);
	ck_assert_ptr_nonnull(out);
	snprintf(out, *len + 1, "%.*s%s%s", (int)(at - buf), buf, to, at + strlen(from));
	free(buf);
	return out;
}

/* Version 1.1 in the one schema: each fact it added, edited into the 1.0 example, is valid
 * under SchemaVersion 1.1 and refused under 1.0 with R-RTN-005 naming it, from a stream and
 * from a tree alike; the example itself (1.0) stays valid. */
static const struct { const char *from, *to, *names; } v11_edits[] = {
	{ "<SubjectKind>person</SubjectKind>\n      <Power>cpn</Power>",
	    "<SubjectKind>body</SubjectKind>\n      <Power>cpn</Power>", "SubjectKind body" },
	{ "sameSubject=\"false\" expires=\"2026-08-17T18:00:00+01:00\">2c3d4e5f60718293a4b5c6d7e8f90a1b</Follows>\n      <Events/>",
	    "sameSubject=\"false\" expires=\"2026-08-17T18:00:00+01:00\">2c3d4e5f60718293a4b5c6d7e8f90a1b</Follows>\n"
	    "      <Direction areaSpecified=\"true\" removedUnder16=\"false\" propertySurrendered=\"true\"/>\n      <Events/>",
	    "Direction" },
	{ "<RepeatSubject>false</RepeatSubject>\n      <Events>\n        <Event kind=\"served\"",
	    "<RepeatSubject>false</RepeatSubject>\n      <Interim>true</Interim>\n      <Events>\n        <Event kind=\"served\"",
	    "Interim" },
	{ "<Event kind=\"breached\" date=\"2026-09-10T20:00:00+01:00\" inPeriod=\"true\" outcome=\"arrested\"/>",
	    "<Event kind=\"varied\" date=\"2026-09-10T20:00:00+01:00\" inPeriod=\"true\" decidedBy=\"court\" applicant=\"respondent\"/>",
	    "Event/@decidedBy" },
};

START_TEST(test_schema_versions)
{
	struct rtn_validate_opts o = { .max_errors = 0 };
	struct rtn_validate_result r;
	struct asb_errbuf eb;
	char *v10, *v11, *at;
	size_t len;
	xmlDocPtr doc;
	int version;

	ck_assert_str_eq(RTN_SCHEMA_VERSION, "1.1");
	v10 = edited(v11_edits[_i].from, v11_edits[_i].to, &len);
	for (version = 0; version <= 1; version++) {
		struct seen sn;

		memset(&sn, 0, sizeof(sn));
		o.finding = collect;
		o.ctx = &sn;
		v11 = strdup(v10);
		ck_assert_ptr_nonnull(v11);
		if (version == 1) {
			ck_assert_ptr_nonnull(at = strstr(v11, "<SchemaVersion>1.0<"));
			at[17] = '1';
		}
		ck_assert_int_eq(rtn_validate_mem(v11, len, "edit", &o, &r, &eb),
		    version ? ASB_OK : ASB_ERULE);
		ck_assert_int_eq(r.errors, version ? 0 : 1);
		if (!version) {
			ck_assert(has(&sn, "R-RTN-005"));
			ck_assert_msg(strstr(sn.last, v11_edits[_i].names) != NULL,
			    "R-RTN-005 does not name %s: %s", v11_edits[_i].names, sn.last);
		}
		ck_assert_int_eq(rtn_parse_mem(v11, len, "edit", &doc, &eb), ASB_OK);
		ck_assert_int_eq(rtn_validate_doc(doc, "edit", &o, &r, &eb),
		    version ? ASB_OK : ASB_ERULE);
		xmlFreeDoc(doc);
		free(v11);
	}
	free(v10);
}
END_TEST

/*
 * What exclusive C14N leaves out of a signature - comments, CDATA markers - and processing
 * instructions, anywhere (prolog, body, epilogue): refused with R-XML-004 by the streaming
 * validator (asbgw validate, so the force learns before it sends) and by the one parse entry
 * point (the hub, before the signature is checked).  The last rows are allowed: an XML
 * declaration is not a PI, and an unedited return passes both.
 */
static const struct { const char *from, *to; int refused; } unsigned_edit[] = {
	{ "<Power>cpn</Power>", "<Power>c<!---->pn</Power>", 1 },
	{ "<Ethnicity>W1</Ethnicity>", "<Ethnicity><![CDATA[W1]]></Ethnicity>", 1 },
	{ "<Force>E23000011</Force>", "<Force><![CDATA[E23000011]]></Force>", 1 },
	{ "<Return ", "<?asb x?>\n<Return ", 1 },			/* prolog PI */
	{ "<Return ", "<!-- prolog -->\n<Return ", 1 },		/* prolog comment */
	{ "", "<!-- epilogue -->\n", 1 },
	{ "", "<?asb epilogue?>\n", 1 },
	{ "<Header>", "<Header><!-- header -->", 1 },
	{ "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\"?>", 0 },
	{ "<Header>", "<Header>", 0 },
};

START_TEST(test_unsigned_content)
{
	char path[] = "/tmp/asbgw-edit-XXXXXX";
	struct rtn_validate_opts o = { .finding = collect };
	struct rtn_validate_result r;
	struct asb_errbuf eb;
	struct seen s;
	xmlDocPtr doc = NULL;
	size_t len;
	char *buf = edited(unsigned_edit[_i].from, unsigned_edit[_i].to, &len);
	int fd = mkstemp(path), rc;

	ck_assert_int_ge(fd, 0);
	close(fd);
	write_file(path, buf, len);
	memset(&s, 0, sizeof(s));
	o.ctx = &s;
	rc = rtn_validate(path, &o, &r, NULL);
	asb_errbuf_clear(&eb);
	if (unsigned_edit[_i].refused) {
		ck_assert_msg(rc == ASB_ERULE && has(&s, "R-XML-004"), "edit %d: stream "
		    "%d, %s", _i, rc, s.n ? s.rules[0] : "no finding");
		ck_assert_int_eq(s.errors, 1);
		ck_assert_int_eq(rtn_parse_mem(buf, len, "t", &doc, &eb), ASB_ERULE);
		ck_assert_str_eq(eb.rule, "R-XML-004");
		ck_assert_ptr_null(doc);
		ck_assert_msg(strstr(eb.msg, "not allowed") != NULL, "%s", eb.msg);
	} else {
		ck_assert_msg(rc == ASB_OK, "edit %d: %s", _i, s.n ? s.rules[0] : "");
		ck_assert_int_eq(rtn_parse_mem(buf, len, "t", &doc, &eb), ASB_OK);
		xmlFreeDoc(doc);
	}
	unlink(path);
	free(buf);
}
END_TEST

/* Test is an xs:boolean: "true" and "1" are a test return, "false" and "0" are not, in the
 * one header reader and in the validator alike. */
static const struct { const char *text; int test; } test_flag[] = {
	{ "true", 1 }, { "1", 1 }, { " true ", 1 }, { "false", 0 }, { "0", 0 },
};

START_TEST(test_test_flag)
{
	struct rtn_validate_opts o = { .max_errors = 0 };
	struct rtn_validate_result r;
	struct rtn_header h;
	struct asb_errbuf eb;
	char want[32], path[] = "/tmp/asbgw-test-XXXXXX", *buf;
	xmlDocPtr doc;
	size_t len;
	int fd = mkstemp(path);

	snprintf(want, sizeof(want), "<Test>%s</Test>", test_flag[_i].text);
	buf = edited("<Test>false</Test>", want, &len);
	ck_assert_int_eq(rtn_parse_mem(buf, len, "t", &doc, &eb), ASB_OK);
	ck_assert_int_eq(rtn_header_read(doc, &h, &eb), ASB_OK);
	ck_assert_int_eq(h.test, test_flag[_i].test);
	ck_assert_int_eq(h.have_test, 1);
	ck_assert_str_eq(h.force, "E23000011");
	ck_assert_str_eq(h.period, "2026-Q3");
	ck_assert_str_eq(h.schema_version, "1.0");
	ck_assert_uint_eq(strlen(h.return_id), 36);
	ck_assert_int_eq(h.have_record_count, 1);
	ck_assert_uint_eq(h.record_count, 4);
	ck_assert_int_eq(h.is_signed, 0);
	xmlFreeDoc(doc);
	ck_assert_int_ge(fd, 0);
	close(fd);
	write_file(path, buf, len);
	ck_assert_int_eq(rtn_validate(path, &o, &r, NULL), ASB_OK);
	ck_assert_int_eq(r.test, test_flag[_i].test);
	unlink(path);
	free(buf);
}
END_TEST

START_TEST(test_xs_boolean)
{
	int b = 7;

	ck_assert_int_eq(rtn_xs_boolean("yes", &b), -1);
	ck_assert_int_eq(rtn_xs_boolean("TRUE", &b), -1);
	ck_assert_int_eq(rtn_xs_boolean("", &b), -1);
	ck_assert_int_eq(rtn_xs_boolean("10", &b), -1);
	ck_assert_int_eq(b, 7);
	ck_assert_int_eq(rtn_xs_boolean("\n1\t", &b), 0);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(rtn_xs_boolean("false", &b), 0);
	ck_assert_int_eq(b, 0);
}
END_TEST

/* ---- the summary a build prints: changes, flags, the quarter before, the open quarter -- */

static const struct {
	uint64_t	 now, before;
	unsigned	 pct, min;
	int64_t		 diff;
	int		 have_pct;
	int64_t		 pctval;
	int		 flagged;
} change[] = {
	{ 14, 3, 50, 10, 11, 1, 367, 1 },	/* 366.7%: rounded for show */
	{ 14, 3, 367, 10, 11, 1, 367, 0 },	/* 366.7% is not more than 367% */
	{ 14, 3, 366, 10, 11, 1, 367, 1 },
	{ 14, 3, 50, 12, 11, 1, 367, 0 },	/* 11 uses, under a minimum of 12 */
	{ 14, 3, 50, 11, 11, 1, 367, 1 },	/* at the minimum is enough */
	{ 0, 14, 50, 10, -14, 1, -100, 1 },	/* a fall */
	{ 0, 1, 50, 10, -1, 1, -100, 0 },
	{ 12, 0, 50, 10, 12, 0, 0, 1 },		/* new this quarter: the minimum alone */
	{ 9, 0, 50, 10, 9, 0, 0, 0 },
	{ 0, 0, 50, 0, 0, 0, 0, 0 },		/* no change is never flagged */
	{ 30, 20, 50, 10, 10, 1, 50, 0 },	/* exactly 50%: not past it */
	{ 31, 20, 50, 10, 11, 1, 55, 1 },
	{ 9, 20, 50, 10, -11, 1, -55, 1 },
	{ 1, 8, 0, 0, -7, 1, -88, 1 },		/* -87.5%: half away from zero */
	{ 9, 8, 0, 0, 1, 1, 13, 1 },		/* 12.5% */
	{ 1000, 1000, 0, 0, 0, 1, 0, 0 },
	{ 4000000000ULL, 1, 50, 10, 3999999999LL, 1, 399999999900LL, 1 },
};

START_TEST(test_change)
{
	struct gw_threshold th = { change[_i].pct, change[_i].min };
	struct gw_change c;

	gw_change_of(change[_i].now, change[_i].before, &th, &c);
	ck_assert_uint_eq(c.now, change[_i].now);
	ck_assert_uint_eq(c.before, change[_i].before);
	ck_assert_int_eq(c.diff, change[_i].diff);
	ck_assert_int_eq(c.have_pct, change[_i].have_pct);
	if (c.have_pct)
		ck_assert_int_eq(c.pct, change[_i].pctval);
	ck_assert_int_eq(c.flagged, change[_i].flagged);
}
END_TEST

START_TEST(test_period_before)
{
	static const char *const pairs[][2] = { { "2026-Q3", "2026-Q2" },
	    { "2026-Q1", "2025-Q4" }, { "2014-Q1", "2013-Q4" }, { "2099-Q4", "2099-Q3" },
	    { "2020-Q2", "2020-Q1" } };
	char out[8];
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		ck_assert_int_eq(gw_period_before(pairs[i][0], out, NULL), ASB_OK);
		ck_assert_str_eq(out, pairs[i][1]);
	}
	memcpy(out, "keepme", 7);
	ck_assert_int_eq(gw_period_before("2026-Q5", out, NULL), ASB_EUSAGE);
	ck_assert_int_eq(gw_period_before("2013-Q4", out, NULL), ASB_EUSAGE);
	ck_assert_str_eq(out, "keepme");
}
END_TEST

START_TEST(test_tally)
{
	struct rtn_record_facts f;
	struct gw_tally t;

	memset(&t, 0, sizeof(t));
	memset(&f, 0, sizeof(f));
	f.issued_in_period = 1;
	f.power = SCH_CPN;
	gw_tally_record(&f, &t);
	gw_tally_record(&f, &t);
	f.power = SCH_PSPO;
	gw_tally_record(&f, &t);
	f.issued_in_period = 0;		/* there for an event: not a use */
	gw_tally_record(&f, &t);
	f.issued_in_period = 1;
	f.power = -1;			/* not a power: counted as a record only */
	gw_tally_record(&f, &t);
	f.power = SCH_POWER_COUNT;
	gw_tally_record(&f, &t);
	ck_assert_uint_eq(t.uses[SCH_CPN], 2);
	ck_assert_uint_eq(t.uses[SCH_PSPO], 1);
	ck_assert_uint_eq(t.uses[SCH_CPW], 0);
	ck_assert_uint_eq(t.total, 3);
	ck_assert_uint_eq(t.records, 6);
}
END_TEST

static const struct {
	const char	*period, *now, *supersedes;
	int		 allow, want;
	const char	*msg;
} bcheck[] = {
	{ "2026-Q3", "2026-10-01T00:00", NULL, 0, ASB_OK, "" },
	{ "2026-Q3", "2026-09-30T23:59", NULL, 0, ASB_EUSAGE,
	    "2026-Q3 has not ended: it ends at 2026-10-01T00:00:00+01:00 (UK time)" },
	{ "2026-Q3", "2026-09-30T23:59", NULL, 1, ASB_OK, "" },
	{ "2026-Q4", "2026-12-01T12:00", NULL, 0, ASB_EUSAGE,
	    "2026-Q4 has not ended: it ends at 2027-01-01T00:00:00+00:00" },
	{ "2027-Q2", "2026-12-01T12:00", NULL, 0, ASB_EUSAGE, "2027-Q2 has not ended" },
	{ "2026-Q1", "2026-04-01T00:00", NULL, 0, ASB_OK, "" },	/* BST began on 29 March */
	{ "2026-Q1", "2026-03-31T23:59", NULL, 0, ASB_EUSAGE, "ends at 2026-04-01T00:00:00+01:00" },
	{ "2026-Q5", "2026-12-01T12:00", NULL, 1, ASB_EUSAGE, "2026-Q5" },
	{ "2026-Q3", "2026-12-01T12:00", "nope", 0, ASB_EUSAGE, "'nope' is not a return ID" },
	{ "2026-Q4", "2026-12-01T12:00", "nope", 0, ASB_EUSAGE, "'nope' is not a return ID" },
};

START_TEST(test_build_check)
{
	struct gw_build_opts o;
	struct rtn_period p;
	struct asb_errbuf eb;

	memset(&o, 0, sizeof(o));
	memset(&p, 0, sizeof(p));
	o.period = bcheck[_i].period;
	o.supersedes = bcheck[_i].supersedes;
	o.allow_open = bcheck[_i].allow;
	ck_assert_int_eq(asb_time_parse(bcheck[_i].now, &o.now), 0);
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(gw_build_check(&o, &p, &eb), bcheck[_i].want);
	if (bcheck[_i].want == ASB_OK) {
		ck_assert_str_eq(p.label, bcheck[_i].period);
		ck_assert_str_eq(eb.msg, "");
	} else {
		ck_assert_str_eq(p.label, "");	/* untouched on failure */
		ck_assert_msg(strstr(eb.msg, bcheck[_i].msg) != NULL, "%s", eb.msg);
	}
}
END_TEST

START_TEST(test_baseline_none)
{
	struct gw_baseline b;
	struct asb_errbuf eb;

	/* no outbox: nothing acknowledged, nothing made */
	memset(&b, 0x55, sizeof(b));
	ck_assert_int_eq(gw_baseline_load("/nonexistent/register", NULL, "2026-Q1", NULL, &b,
	    &eb), ASB_OK);
	ck_assert_str_eq(b.period, "2025-Q4");
	ck_assert_str_eq(b.return_id, "");
	ck_assert_uint_eq(b.t.total, 0);
	ck_assert_int_eq(access("/nonexistent/register", F_OK), -1);
	ck_assert_int_eq(gw_baseline_load("/nonexistent/register", NULL, "2026-Q9", NULL, &b,
	    &eb), ASB_EUSAGE);
}
END_TEST

static Suite *
gateway_suite(void)
{
	Suite *s = suite_create("gateway");
	TCase *tc = tcase_create("pseudonyms");

	tcase_add_test(tc, test_pseudonyms);
	tcase_add_test(tc, test_periods);
	tcase_add_test(tc, test_age_bands);
	tcase_add_test(tc, test_age_band_list);
	tcase_add_test(tc, test_xs_boolean);
	suite_add_tcase(s, tc);
	tc = tcase_create("summary");
	tcase_add_loop_test(tc, test_change, 0, sizeof(change) / sizeof(change[0]));
	tcase_add_test(tc, test_period_before);
	tcase_add_test(tc, test_tally);
	tcase_add_loop_test(tc, test_build_check, 0, sizeof(bcheck) / sizeof(bcheck[0]));
	tcase_add_test(tc, test_baseline_none);
	suite_add_tcase(s, tc);
	tc = tcase_create("validate");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_examples);
	tcase_add_loop_test(tc, test_schema_versions, 0,
	    sizeof(v11_edits) / sizeof(v11_edits[0]));
	tcase_add_loop_test(tc, test_hostile, 0,
	    sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_unreadable);
	tcase_add_test(tc, test_tree_truncated);
	tcase_add_loop_test(tc, test_unsigned_content, 0,
	    sizeof(unsigned_edit) / sizeof(unsigned_edit[0]));
	tcase_add_loop_test(tc, test_test_flag, 0, sizeof(test_flag) / sizeof(test_flag[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	setenv("TZ", "Europe/London", 1);
	rtn_init();
	sr = srunner_create(gateway_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rtn_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
