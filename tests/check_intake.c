/*
 * check_intake.c - the hub's intake against a force holding valid keys (issue 12): each case
 * that made a worker work for seconds or hours is refused or answered quickly, and timed - a
 * KeyInfo with 10,000 certificates, a root with 60,000 attributes, a signed return of 40,000
 * records that fail the XSD, the structural caps one by one, and the time budget.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "dsig.h"
#include "rtn.h"
#include "intake.h"
#include "store.h"

#define EXAMPLE	"schema/examples/valid-2026-Q3.xml"

static char pki[256];

static void
sh(const char *fmt, const char *a, const char *b)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	ck_assert_msg(system(cmd) == 0, "%s", cmd);
}

static void
pki_make(void)
{
	snprintf(pki, sizeof(pki), "%s/asbpki.XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	ck_assert(mkdtemp(pki) != NULL);
	sh("tools/devpki %s --forces E23000011 >/dev/null", pki, "");
}

static void
pki_remove(void)
{
	sh("rm -rf %s%s", pki, "");
}

static const char *
p(const char *rel)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", pki, rel);
	return buf[i];
}

/* Sign doc with the key and certificate files (no checks of the document). */
static int
sign_files(xmlDocPtr doc, const char *key, const char *cert, struct asb_errbuf *eb)
{
	struct dsig_key *k;
	int err;

	if ((err = dsig_key_load(key, cert, &k, eb)) != ASB_OK)
		return err;
	err = dsig_sign(doc, k, eb);
	dsig_key_free(k);
	return err;
}

/* The example return signed with key/cert, serialised (not inlined: GCC 12 then takes the
 * returned buffer for a pointer to the local that held it). */
static __attribute__((noinline)) char *
signed_example(const char *key, const char *cert, size_t *len)
{
	struct asb_errbuf eb;
	xmlDocPtr doc;
	char *out = NULL;

	ck_assert_int_eq(rtn_parse_file(EXAMPLE, 0, &doc, &eb), ASB_OK);
	ck_assert_int_eq(sign_files(doc, key, cert, &eb), ASB_OK);
	ck_assert_int_eq(dsig_dump(doc, &out, len, &eb), ASB_OK);
	xmlFreeDoc(doc);
	return out;
}

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* A hub in pki/NAME with E23000011's signing certificate registered. */
static void
hub_make(struct hub *h, const char *name)
{
	struct hub_store *st;
	struct hub_cert c;
	struct dsig_signer who;
	struct asb_errbuf eb;
	static char dir[300];

	snprintf(dir, sizeof(dir), "%s/%s", pki, name);
	sh("mkdir -p %s%s", dir, "");
	sh("cp %s/ca.crt %s/", pki, dir);
	sh("cp %s/hub/sign.key %s/", pki, dir);
	sh("cp %s/hub/sign.crt %s/", pki, dir);
	ck_assert_int_eq(hub_store_open(dir, 1, &st, &eb), ASB_OK);
	hub_store_close(st);
	ck_assert_int_eq(hub_open(h, dir, &eb), ASB_OK);
	ck_assert_int_eq(dsig_cert_info(p("forces/E23000011/sign.crt"), &who, &eb), ASB_OK);
	memset(&c, 0, sizeof(c));
	snprintf(c.code, sizeof(c.code), "E23000011");
	snprintf(c.fingerprint, sizeof(c.fingerprint), "%s", who.fingerprint);
	c.added = 1;
	ck_assert_int_eq(hub_cert_add(h->st, &c, &eb), ASB_OK);
}

/* s with `what` inserted before the first `at` (malloc'd; *len updated). */
static char *
splice(const char *s, size_t *len, const char *at, const char *what, size_t wlen)
{
	const char *w = strstr(s, at);
	size_t off, n;
	char *e;

	ck_assert_msg(w != NULL, "no %s", at);
	off = (size_t)(w - s);
	n = *len + wlen;
	ck_assert_ptr_nonnull(e = malloc(n + 1));
	memcpy(e, s, off);
	memcpy(e + off, what, wlen);
	memcpy(e + off + wlen, s + off, *len - off);
	e[n] = '\0';
	*len = n;
	return e;
}

/* A KeyInfo carrying thousands of certificates: refused before any signature work. */
START_TEST(test_many_certs)
{
	struct hub h;
	struct hub_reply out;
	size_t len, one, i, n = 10000, blen = 0;
	char *s, *c0, *c1, *many, *e;
	double t;

	hub_make(&h, "hub-certs");
	s = signed_example(p("forces/E23000011/sign.key"), p("forces/E23000011/sign.crt"),
	    &len);
	c0 = strstr(s, "<X509Certificate>");
	c1 = c0 ? strstr(c0, "</X509Certificate>") : NULL;
	ck_assert(c1 != NULL);
	one = (size_t)(c1 + 18 - c0);
	ck_assert_ptr_nonnull(many = malloc(one * n));
	for (i = 0; i < n; i++, blen += one)
		memcpy(many + blen, c0, one);
	e = splice(s, &len, "</X509Data>", many, blen);
	t = now_ms();
	hub_intake(&h, e, len, "E23000011", 1000, &out);
	t = now_ms() - t;
	fprintf(stderr, "amplification: KeyInfo with %zu certificates (%zu bytes) refused in "
	    "%.0f ms\n", n, len, t);
	ck_assert_int_eq(out.status, 400);
	ck_assert_msg(strstr(out.body, "R-XML-004") != NULL, "%s", out.body);
	ck_assert_double_eq(out.ms_verify, 0);
	ck_assert_msg(t < 1000, "%.0f ms", t);
	free(out.body);
	free(e);
	free(many);
	xmlFree(s);
	hub_close(&h);
}
END_TEST

/* A root with 60,000 attributes (650 kB, unsigned): refused by the cheap pass. */
START_TEST(test_many_attributes)
{
	struct hub h;
	struct hub_reply out;
	size_t len = 0, i, n = 60000;
	char *e;
	double t;

	hub_make(&h, "hub-attrs");
	ck_assert_ptr_nonnull(e = malloc(n * 12 + 200));
	len = (size_t)snprintf(e, 200, "<Return xmlns=\"urn:uk:gov:homeoffice:"
	    "asb-powers:return:1\"");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(e + len, 13, " a%zu=\"\"", i);
	len += (size_t)snprintf(e + len, 20, "/>");
	t = now_ms();
	hub_intake(&h, e, len, "E23000011", 1000, &out);
	t = now_ms() - t;
	fprintf(stderr, "amplification: a root with %zu attributes (%zu bytes) refused in "
	    "%.0f ms\n", n, len, t);
	ck_assert_int_eq(out.status, 400);
	ck_assert_msg(strstr(out.body, "R-XML-003") != NULL, "%s", out.body);
	ck_assert_msg(strstr(out.body, "attributes") != NULL, "%s", out.body);
	ck_assert_msg(t < 500, "%.0f ms", t);
	free(out.body);
	free(e);
	hub_close(&h);
}
END_TEST

/* Element names, text, depth and the elements of a Signature, each over its cap. */
START_TEST(test_structure_caps)
{
	static const char head[] = "<Return xmlns=\"urn:uk:gov:homeoffice:asb-powers:"
	    "return:1\">";
	struct asb_errbuf eb;
	xmlDocPtr doc;
	char *e;
	size_t n = 0, i;

	ck_assert_ptr_nonnull(e = malloc(1 << 20));
	/* a name longer than any in the format */
	n = (size_t)snprintf(e, 1 << 20, "%s<", head);
	for (i = 0; i < 2000; i++)
		e[n++] = 'N';
	n += (size_t)snprintf(e + n, 100, "/></Return>");
	ck_assert_int_eq(rtn_parse_mem(e, n, "t", &doc, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-XML-003");
	ck_assert_msg(strstr(eb.msg, "name") != NULL, "%s", eb.msg);
	/* a text longer than any field */
	n = (size_t)snprintf(e, 1 << 20, "%s<Header>", head);
	for (i = 0; i < 200000; i++)
		e[n++] = 'x';
	n += (size_t)snprintf(e + n, 100, "</Header></Return>");
	ck_assert_int_eq(rtn_parse_mem(e, n, "t", &doc, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-XML-003");
	ck_assert_msg(strstr(eb.msg, "text") != NULL, "%s", eb.msg);
	/* deeper than a return nests */
	n = (size_t)snprintf(e, 1 << 20, "%s", head);
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(e + n, 10, "<a>");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(e + n, 10, "</a>");
	n += (size_t)snprintf(e + n, 100, "</Return>");
	ck_assert_int_eq(rtn_parse_mem(e, n, "t", &doc, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-XML-003");
	ck_assert_msg(strstr(eb.msg, "deep") != NULL, "%s", eb.msg);
	/* a Signature of thousands of elements */
	n = (size_t)snprintf(e, 1 << 20, "%s<ds:Signature xmlns:ds=\"%s\">", head, DSIG_NS);
	for (i = 0; i < 5000; i++)
		n += (size_t)snprintf(e + n, 20, "<ds:Object/>");
	n += (size_t)snprintf(e + n, 100, "</ds:Signature></Return>");
	ck_assert_int_eq(rtn_parse_mem(e, n, "t", &doc, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-XML-004");
	/* markup inside comments, CDATA and attribute values is not counted as structure:
	 * the real parser's own refusals still speak */
	n = (size_t)snprintf(e, 1 << 20, "%s<Header a=\"&lt;x y=1 z=2&gt;\"><!-- <a><a> "
	    "--></Header></Return>", head);
	ck_assert_int_eq(rtn_parse_mem(e, n, "t", &doc, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-XML-004");
	ck_assert_msg(strstr(eb.msg, "comment") != NULL, "%s", eb.msg);
	free(e);
}
END_TEST

/* A signed return of 40,000 records that fail the XSD: the receipt names the first 100
 * findings, and the validation stops there instead of reporting every one. */
START_TEST(test_many_xsd_errors)
{
	struct hub h;
	struct hub_reply out;
	struct asb_errbuf eb;
	xmlDocPtr doc;
	size_t len, i, n = 40000, blen = 0;
	char *s, *bad, *e;
	double t;
	static const char rec[] = "<Record id=\"x\"/>";

	hub_make(&h, "hub-xsd");
	ck_assert_int_eq(asb_read_file(EXAMPLE, 1 << 24, &s, &len, &eb), ASB_OK);
	ck_assert_ptr_nonnull(bad = malloc(n * (sizeof(rec) - 1)));
	for (i = 0; i < n; i++, blen += sizeof(rec) - 1)
		memcpy(bad + blen, rec, sizeof(rec) - 1);
	e = splice(s, &len, "</Records>", bad, blen);
	free(bad);
	free(s);
	ck_assert_int_eq(rtn_parse_mem(e, len, "t", &doc, &eb), ASB_OK);
	free(e);
	ck_assert_int_eq(sign_files(doc, p("forces/E23000011/sign.key"),
	    p("forces/E23000011/sign.crt"), &eb), ASB_OK);
	ck_assert_int_eq(dsig_dump(doc, &e, &len, &eb), ASB_OK);
	xmlFreeDoc(doc);
	t = now_ms();
	hub_intake(&h, e, len, "E23000011", 1000, &out);
	t = now_ms() - t;
	fprintf(stderr, "amplification: a signed return of %zu records failing the XSD "
	    "(%zu bytes) answered in %.0f ms (validation %.0f ms)\n", n, len, t,
	    out.ms_validate);
	ck_assert_int_eq(out.status, 200);
	ck_assert_msg(strstr(out.body, "<State>rejected</State>") != NULL, "%s", out.body);
	ck_assert_msg(strstr(out.body, "R-XSD-") != NULL, "%s", out.body);
	/* the validation itself (41 s before it stopped at the limit); the whole intake
	 * is mostly the signature's check, slower under the sanitizers */
	ck_assert_msg(out.ms_validate < 1000, "validation %.0f ms", out.ms_validate);
	ck_assert_msg(t < 5000, "%.0f ms", t);
	free(out.body);
	xmlFree(e);
	hub_close(&h);
}
END_TEST

/* The time budget: an intake whose checks run past it is refused with 503 R-HUB-005 and
 * stores nothing. */
START_TEST(test_time_budget)
{
	struct hub h;
	struct hub_reply out;
	struct hub_return got;
	struct asb_errbuf eb;
	xmlDocPtr doc;
	size_t len, i, n = 20000, blen = 0;
	char *s, *bad, *e, id[37], *at;
	static const char rec[] = "<Record id=\"x\"/>";

	hub_make(&h, "hub-time");
	ck_assert_int_eq(asb_read_file(EXAMPLE, 1 << 24, &s, &len, &eb), ASB_OK);
	ck_assert_ptr_nonnull(bad = malloc(n * (sizeof(rec) - 1)));
	for (i = 0; i < n; i++, blen += sizeof(rec) - 1)
		memcpy(bad + blen, rec, sizeof(rec) - 1);
	e = splice(s, &len, "</Records>", bad, blen);
	free(bad);
	free(s);
	ck_assert_int_eq(rtn_parse_mem(e, len, "t", &doc, &eb), ASB_OK);
	free(e);
	ck_assert_int_eq(sign_files(doc, p("forces/E23000011/sign.key"),
	    p("forces/E23000011/sign.crt"), &eb), ASB_OK);
	ck_assert_int_eq(dsig_dump(doc, &e, &len, &eb), ASB_OK);
	xmlFreeDoc(doc);
	at = strstr(e, "<ReturnId>");
	ck_assert(at != NULL);
	snprintf(id, sizeof(id), "%.36s", at + 10);
	h.time_budget_ms = 1;
	hub_intake(&h, e, len, "E23000011", 1000, &out);
	ck_assert_int_eq(out.status, 503);
	ck_assert_msg(strstr(out.body, "R-HUB-005") != NULL, "%s", out.body);
	ck_assert_msg(strstr(out.body, "budget is 1 ms") != NULL, "%s", out.body);
	free(out.body);
	ck_assert_int_eq(hub_return_get(h.st, id, &got, NULL, NULL, NULL, NULL),
	    ASB_ENOTFOUND);
	xmlFree(e);
	hub_close(&h);
}
END_TEST

static Suite *
intake_suite(void)
{
	Suite *s = suite_create("intake");
	TCase *tc = tcase_create("amplification");

	tcase_add_unchecked_fixture(tc, pki_make, pki_remove);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_many_certs);
	tcase_add_test(tc, test_many_attributes);
	tcase_add_test(tc, test_structure_caps);
	tcase_add_test(tc, test_many_xsd_errors);
	tcase_add_test(tc, test_time_budget);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	struct asb_errbuf eb;
	SRunner *sr;
	int failed;

	rtn_init();
	if (dsig_init(&eb) != ASB_OK) {
		fprintf(stderr, "%s\n", eb.msg);
		return 1;
	}
	sr = srunner_create(intake_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	dsig_cleanup();
	rtn_cleanup();
	return failed == 0 ? 0 : 1;
}
