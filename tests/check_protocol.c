/*
 * check_protocol.c - signatures, receipts, the outbox and the hub's intake, with a
 * development PKI made by tools/devpki for this run: a valid signature verifies (and what
 * xmlsec1 would also accept); a tampered byte, a wrapped or second signature, a moved
 * signature, the wrong key, an untrusted CA, an expired and a revoked certificate are each
 * refused with their rule; receipts round-trip and refuse tampering and the wrong signer;
 * outbox transitions and backoff; the intake's answers for each case of the protocol.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "dsig.h"
#include "rtn.h"
#include "intake.h"
#include "outbox.h"
#include "receipt.h"
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
	char other[300];

	snprintf(pki, sizeof(pki), "%s/asbpki.XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	ck_assert(mkdtemp(pki) != NULL);
	sh("tools/devpki %s --forces E23000011,E23000005 >/dev/null", pki, "");
	sh("tools/devpki %s --issue expired --cn E23000011 --days -1 >/dev/null", pki, "");
	snprintf(other, sizeof(other), "%s/other", pki);
	sh("tools/devpki %s --forces E23000011 >/dev/null", other, "");
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

/* The example return signed with key/cert, serialised. */
static char *
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

static int
verify_mem(const char *buf, size_t len, const char *ca, struct dsig_signer *who,
    struct asb_errbuf *eb)
{
	xmlDocPtr doc;
	int err;

	asb_errbuf_clear(eb);
	if ((err = rtn_parse_mem(buf, len, "test", &doc, eb)) != ASB_OK)
		return err;
	err = dsig_verify_doc(doc, ca, who, eb);
	xmlFreeDoc(doc);
	return err;
}

START_TEST(test_sign_verify)
{
	struct dsig_signer who;
	struct asb_errbuf eb;
	size_t len;
	char *s = signed_example(p("forces/E23000011/sign.key"),
	    p("forces/E23000011/sign.crt"), &len);

	ck_assert_int_eq(verify_mem(s, len, p("ca.crt"), &who, &eb), ASB_OK);
	ck_assert_str_eq(who.cn, "E23000011");
	ck_assert_uint_eq(strlen(who.fingerprint), 64);
	ck_assert(who.days_left > 0);
	ck_assert(strstr(s, "<Reference URI=\"\">") != NULL);
	ck_assert(strstr(s, "xml-exc-c14n#") != NULL);
	ck_assert(strstr(s, "ecdsa-sha256") != NULL);
	xmlFree(s);
}
END_TEST

START_TEST(test_tampered)
{
	struct dsig_signer who;
	struct asb_errbuf eb;
	size_t len;
	char *s = signed_example(p("forces/E23000011/sign.key"),
	    p("forces/E23000011/sign.crt"), &len), *at;

	at = strstr(s, "<RecordCount>");
	ck_assert(at != NULL);
	at[13] = at[13] == '9' ? '8' : at[13] + 1;	/* one byte of content */
	ck_assert_int_eq(verify_mem(s, len, p("ca.crt"), &who, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-003");
	xmlFree(s);
}
END_TEST

/* Signature wrapping: a copy of the signature elsewhere, or the signature moved below the
 * root, or a second Reference - none may pass. */
START_TEST(test_wrapped)
{
	struct dsig_signer who;
	struct asb_errbuf eb;
	xmlDocPtr doc;
	xmlNodePtr root, sig, n, header = NULL;
	size_t len;
	char *s = signed_example(p("forces/E23000011/sign.key"),
	    p("forces/E23000011/sign.crt"), &len), *out;
	int mode = _i;

	ck_assert_int_eq(rtn_parse_mem(s, len, "t", &doc, &eb), ASB_OK);
	root = xmlDocGetRootElement(doc);
	for (sig = NULL, n = root->children; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && strcmp((char *)n->name, "Signature") == 0)
			sig = n;
		if (n->type == XML_ELEMENT_NODE && strcmp((char *)n->name, "Header") == 0)
			header = n;
	}
	ck_assert(sig != NULL && header != NULL);
	if (mode == 0)		/* a second copy inside the header */
		xmlAddChild(header, xmlCopyNode(sig, 1));
	else if (mode == 1) {	/* moved into the header: no longer a child of the root */
		xmlUnlinkNode(sig);
		xmlAddChild(header, sig);
	} else {		/* a second Reference */
		xmlNodePtr si = sig->children;

		while (si != NULL && (si->type != XML_ELEMENT_NODE ||
		    strcmp((char *)si->name, "SignedInfo") != 0))
			si = si->next;
		for (n = si->children; n != NULL; n = n->next)
			if (n->type == XML_ELEMENT_NODE &&
			    strcmp((char *)n->name, "Reference") == 0)
				break;
		xmlAddChild(si, xmlCopyNode(n, 1));
	}
	ck_assert_int_eq(dsig_dump(doc, &out, &len, &eb), ASB_OK);
	xmlFreeDoc(doc);
	ck_assert_int_eq(verify_mem(out, len, p("ca.crt"), &who, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-002");
	xmlFree(out);
	xmlFree(s);
}
END_TEST

START_TEST(test_wrong_key)
{
	struct dsig_signer who;
	struct asb_errbuf eb;
	xmlDocPtr doc;
	char *out = NULL;
	size_t len;
	int err;

	ck_assert_int_eq(rtn_parse_file(EXAMPLE, 0, &doc, &eb), ASB_OK);
	/* another force's key with this force's certificate: refused when loaded, before
	 * anything is signed */
	err = sign_files(doc, p("forces/E23000005/sign.key"),
	    p("forces/E23000011/sign.crt"), &eb);
	ck_assert_int_eq(err, ASB_EUSAGE);
	ck_assert(strstr(eb.msg, "is not the certificate of the key") != NULL);
	ck_assert(strstr((char *)xmlDocGetRootElement(doc)->name, "Return") != NULL);
	(void)who;
	(void)out;
	(void)len;
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_untrusted_and_expired)
{
	struct dsig_signer who;
	struct asb_errbuf eb;
	size_t len;
	char *s = signed_example(p("other/forces/E23000011/sign.key"),
	    p("other/forces/E23000011/sign.crt"), &len);

	ck_assert_int_eq(verify_mem(s, len, p("ca.crt"), &who, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-004");
	xmlFree(s);
	s = signed_example(p("expired.key"), p("expired.crt"), &len);
	ck_assert_int_eq(verify_mem(s, len, p("ca.crt"), &who, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-004");
	ck_assert(strstr(eb.msg, "expired") != NULL);
	xmlFree(s);
	/* unsigned */
	{
		char *buf;
		size_t n;

		ck_assert_int_eq(asb_read_file(EXAMPLE, 1 << 24, &buf, &n, &eb), ASB_OK);
		ck_assert_int_eq(verify_mem(buf, n, p("ca.crt"), &who, &eb), ASB_ERULE);
		ck_assert_str_eq(eb.rule, "R-SIG-001");
		free(buf);
	}
}
END_TEST

static const struct receipt sample = {
	"0f0e0d0c-0b0a-4000-8000-000000000001", "E23000011", "2026-Q3", 0, "accepted",
	"ab", 123, "2026-10-01T10:00:00+01:00", "2026-10-01T10:00:01+01:00", "", 7, 0, 1
};

START_TEST(test_receipt)
{
	struct dsig_key *k;
	struct rtn_finding f;
	struct asb_errbuf eb;
	struct receipt r;
	char *buf, *at;
	size_t len;

	memset(&f, 0, sizeof(f));
	snprintf(f.rule, sizeof(f.rule), "R-CPN-002");
	f.warning = 1;
	snprintf(f.msg, sizeof(f.msg), "a <warning> & more");
	ck_assert_int_eq(dsig_key_load(p("hub/sign.key"), p("hub/sign.crt"), &k, &eb),
	    ASB_OK);
	ck_assert_int_eq(receipt_make(&sample, &f, 1, k, &buf, &len, &eb), ASB_OK);
	dsig_key_free(k);
	ck_assert_int_eq(receipt_verify(buf, len, p("ca.crt"), NULL, &r, NULL, NULL, &eb),
	    ASB_OK);
	ck_assert_str_eq(r.return_id, sample.return_id);
	ck_assert_str_eq(r.state, "accepted");
	ck_assert_uint_eq(r.bytes, 123);
	ck_assert_uint_eq(r.records, 7);
	ck_assert_uint_eq(r.warnings, 1);
	/* tampered: accepted becomes rejected */
	at = strstr(buf, "<State>accepted</State>");
	ck_assert(at != NULL);
	memcpy(at + 7, "rejected", 8);
	ck_assert_int_eq(receipt_verify(buf, len, p("ca.crt"), NULL, &r, NULL, NULL, &eb),
	    ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-003");
	xmlFree(buf);
	/* signed by a force, not by the Home Office's receipt key */
	ck_assert_int_eq(dsig_key_load(p("forces/E23000011/sign.key"),
	    p("forces/E23000011/sign.crt"), &k, &eb), ASB_OK);
	ck_assert_int_eq(receipt_make(&sample, NULL, 0, k, &buf, &len, &eb), ASB_OK);
	dsig_key_free(k);
	ck_assert_int_eq(receipt_verify(buf, len, p("ca.crt"), NULL, &r, NULL, NULL, &eb),
	    ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-RCP-002");
	xmlFree(buf);
}
END_TEST

/* s with `ins` inserted after the first `at` (before it when before is set); malloc'd. */
static char *
insert(const char *s, size_t len, const char *at, int before, const char *ins, size_t *ret)
{
	const char *p = strstr(s, at);
	size_t off, n = strlen(ins);
	char *out;

	ck_assert_msg(p != NULL, "no %s", at);
	off = (size_t)(p - s) + (before ? 0 : strlen(at));
	ck_assert_ptr_nonnull(out = malloc(len + n + 1));
	memcpy(out, s, off);
	memcpy(out + off, ins, n);
	memcpy(out + off + n, s + off, len - off);
	out[len + n] = '\0';
	*ret = len + n;
	return out;
}

/* The signer's certificate element, copied n times. */
static char *
certs(const char *s, int n)
{
	const char *a = strstr(s, "<X509Certificate>"), *b = strstr(s, "</X509Certificate>");
	size_t one, i;
	char *out;

	ck_assert(a != NULL && b != NULL);
	one = (size_t)(b - a) + strlen("</X509Certificate>");
	ck_assert_ptr_nonnull(out = malloc(one * (size_t)n + 1));
	for (i = 0; i < (size_t)n; i++)
		memcpy(out + i * one, a, one);
	out[one * (size_t)n] = '\0';
	return out;
}

/*
 * Edits of a signed return after signing, none of which the signature covers (the enveloped
 * transform removes the Signature; C14N drops comments): each refused by the parse entry
 * point with R-XML-004 before any verification.  The last rows are the allowed shape.
 */
static const struct { const char *at; int before; const char *ins; int refused; } sig_edit[] = {
	{ "</KeyInfo>", 0, "<Object><Power>cpw</Power></Object>", 1 },	/* ds:Object */
	{ "<SignedInfo>", 1, "<Object/>", 1 },				/* first, even */
	{ "<KeyInfo>", 0, "<KeyName>E23000011</KeyName>", 1 },
	{ "<X509Data>", 0, "<X509SubjectName>CN=x</X509SubjectName>", 1 },
	{ "</SignatureValue>", 0, "unsigned words", 1 },		/* text */
	{ "</KeyInfo>", 0, "<x:Extra xmlns:x=\"urn:x\"/>", 1 },	/* a foreign element */
	{ "<SignatureValue>", 0, "<!-- c -->", 1 },
	{ "<X509Data>", 0, "@3", 1 },		/* the signer and three more: 4 > 3 */
	{ "<X509Data>", 0, "@2", 0 },		/* the signer and a chain of two: allowed */
	{ "</KeyInfo>", 0, "\n", 0 },		/* white space between the elements */
};

START_TEST(test_signature_content)
{
	struct asb_errbuf eb;
	size_t len, n;
	char *s = signed_example(p("forces/E23000011/sign.key"),
	    p("forces/E23000011/sign.crt"), &len), *ins = NULL, *e;
	xmlDocPtr doc = NULL;
	int err;

	if (sig_edit[_i].ins[0] == '@')
		ins = certs(s, sig_edit[_i].ins[1] - '0');
	e = insert(s, len, sig_edit[_i].at, sig_edit[_i].before, ins ? ins : sig_edit[_i].ins,
	    &n);
	asb_errbuf_clear(&eb);
	err = rtn_parse_mem(e, n, "t", &doc, &eb);
	if (sig_edit[_i].refused) {
		ck_assert_msg(err == ASB_ERULE, "edit %d: parse gave %d", _i, err);
		ck_assert_str_eq(eb.rule, "R-XML-004");
		ck_assert_ptr_null(doc);
	} else {
		ck_assert_msg(err == ASB_OK, "edit %d: %s", _i, eb.msg);
		xmlFreeDoc(doc);
	}
	free(ins);
	free(e);
	xmlFree(s);
}
END_TEST

/* rtn_sign: the one checked way to sign - the force binding, a second signature and an
 * expired certificate are refused; dsig_cert_check: chain and CN, as asbhub force add. */
START_TEST(test_rtn_sign)
{
	struct dsig_signer who;
	struct dsig_key *k;
	struct asb_errbuf eb;
	xmlDocPtr doc;

	ck_assert_int_eq(rtn_parse_file(EXAMPLE, 0, &doc, &eb), ASB_OK);
	ck_assert_int_eq(dsig_key_load(p("forces/E23000005/sign.key"),
	    p("forces/E23000005/sign.crt"), &k, &eb), ASB_OK);
	ck_assert_int_eq(rtn_sign(doc, k, &eb), ASB_EUSAGE);
	ck_assert_str_eq(eb.rule, "R-SIG-006");
	dsig_key_free(k);
	ck_assert_int_eq(dsig_key_load(p("expired.key"), p("expired.crt"), &k, &eb), ASB_OK);
	ck_assert_int_eq(rtn_sign(doc, k, &eb), ASB_EUSAGE);
	ck_assert(strstr(eb.msg, "expired") != NULL);
	dsig_key_free(k);
	ck_assert_int_eq(dsig_key_load(p("forces/E23000011/sign.key"),
	    p("forces/E23000011/sign.crt"), &k, &eb), ASB_OK);
	ck_assert_int_eq(rtn_sign(doc, k, &eb), ASB_OK);
	ck_assert_int_eq(rtn_sign(doc, k, &eb), ASB_ECONFLICT);
	ck_assert(strstr(eb.msg, "signed already") != NULL);
	dsig_key_free(k);
	xmlFreeDoc(doc);
	ck_assert_int_eq(rtn_check_binding("E23000011", "E23000011", &eb), ASB_OK);
	ck_assert_int_eq(rtn_check_binding("E23000011", "E23000005", &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-006");
	ck_assert_int_eq(rtn_check_binding("", "E23000005", &eb), ASB_ERULE);

	ck_assert_int_eq(dsig_cert_check(p("forces/E23000011/sign.crt"), p("ca.crt"),
	    "E23000011", &who, &eb), ASB_OK);
	ck_assert_str_eq(who.cn, "E23000011");
	ck_assert_int_eq(dsig_cert_check(p("forces/E23000011/sign.crt"), p("ca.crt"),
	    "E23000005", &who, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-006");
	ck_assert_int_eq(dsig_cert_check(p("other/forces/E23000011/sign.crt"), p("ca.crt"),
	    "E23000011", &who, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-004");
	ck_assert_int_eq(dsig_cert_check(EXAMPLE, p("ca.crt"), NULL, &who, &eb), ASB_EUSAGE);
}
END_TEST

/* The hub's receipt key is loaded once: receipts are still signed after the key files are
 * gone (as after asbhub serve --user drops root and can no longer read them). */
START_TEST(test_key_loaded_once)
{
	struct dsig_key *k;
	struct asb_errbuf eb;
	struct receipt r;
	char key[400], crt[400], *buf;
	size_t len;
	int i;

	snprintf(key, sizeof(key), "%s/once.key", pki);
	snprintf(crt, sizeof(crt), "%s/once.crt", pki);
	sh("cp %s %s", p("hub/sign.key"), key);
	sh("cp %s %s", p("hub/sign.crt"), crt);
	ck_assert_int_eq(dsig_key_load(key, crt, &k, &eb), ASB_OK);
	ck_assert_int_eq(unlink(key), 0);
	ck_assert_int_eq(unlink(crt), 0);
	ck_assert_str_eq(dsig_key_signer(k)->cn, RECEIPT_SIGNER);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(receipt_make(&sample, NULL, 0, k, &buf, &len, &eb), ASB_OK);
		ck_assert_int_eq(receipt_verify(buf, len, p("ca.crt"), NULL, &r, NULL, NULL,
		    &eb), ASB_OK);
		ck_assert_str_eq(r.return_id, sample.return_id);
		xmlFree(buf);
	}
	dsig_key_free(k);
	dsig_key_free(NULL);
	ck_assert_int_eq(dsig_key_load(key, crt, &k, &eb), ASB_EUSAGE);
}
END_TEST

START_TEST(test_backoff)
{
	uint32_t f, r;
	asb_time d;

	for (f = 0; f < 20; f++)
		for (r = 0; r < 5000; r += 997) {
			asb_time full = f >= 12 ? 3600 : (asb_time)1 << f;

			if (full > 3600)
				full = 3600;
			d = ob_backoff(f, r);
			ck_assert(d >= full / 2 && d <= full);
		}
	ck_assert(ob_backoff(1, 0) < ob_backoff(8, 0));
	ck_assert(ob_backoff(30, 12345) <= 3600);
}
END_TEST

START_TEST(test_outbox)
{
	struct outbox *ob;
	struct ob_entry e, got;
	struct asb_errbuf eb;
	char *body, *ans;
	size_t blen, alen;
	int added;

	ck_assert_int_eq(ob_open(pki, &ob, &eb), ASB_OK);
	memset(&e, 0, sizeof(e));
	snprintf(e.id, sizeof(e.id), "0f0e0d0c-0b0a-4000-8000-0000000000aa");
	snprintf(e.sha256, sizeof(e.sha256), "aa");
	snprintf(e.state, sizeof(e.state), "signed");
	ck_assert_int_eq(ob_add(ob, &e, "<x/>", 4, &added, &eb), ASB_OK);
	ck_assert_int_eq(added, 1);
	ck_assert_int_eq(ob_add(ob, &e, "<x/>", 4, &added, &eb), ASB_OK);
	ck_assert_int_eq(added, 0);			/* the same again: nothing new */
	snprintf(e.sha256, sizeof(e.sha256), "bb");
	ck_assert_int_eq(ob_add(ob, &e, "<y/>", 4, &added, &eb), ASB_ECONFLICT);
	ck_assert_int_eq(ob_get(ob, e.id, &got, &body, &blen, &ans, &alen), ASB_OK);
	ck_assert_str_eq(got.state, "signed");
	ck_assert_str_eq(body, "<x/>");
	ck_assert(ans == NULL);
	free(body);
	snprintf(got.state, sizeof(got.state), "acknowledged");
	ck_assert_int_eq(ob_update(ob, &got, "<r/>", 4, &eb), ASB_OK);
	ck_assert_int_eq(ob_get(ob, e.id, &got, NULL, NULL, &ans, &alen), ASB_OK);
	ck_assert_str_eq(got.state, "acknowledged");
	ck_assert_str_eq(ans, "<r/>");
	free(ans);
	ob_close(ob);
	ck_assert_int_eq(ob_open("/nonexistent/register", &ob, &eb), ASB_ENOTFOUND);
}
END_TEST

/* The hub's intake without HTTP: each answer of the protocol. */
START_TEST(test_intake)
{
	struct hub h;
	struct hub_reply out, again;
	struct hub_store *st;
	struct hub_cert c;
	struct dsig_signer who;
	struct asb_errbuf eb;
	char dir[300], *s, *s2, *at;
	size_t len, len2;

	snprintf(dir, sizeof(dir), "%s/hubdir", pki);
	sh("mkdir -p %s%s", dir, "");
	sh("cp %s/ca.crt %s/hubdir/ca.crt", pki, pki);
	sh("cp %s/hub/sign.key %s/hubdir/sign.key", pki, pki);
	sh("cp %s/hub/sign.crt %s/hubdir/sign.crt", pki, pki);
	ck_assert_int_eq(hub_store_open(dir, 1, &st, &eb), ASB_OK);
	hub_store_close(st);
	ck_assert_int_eq(hub_open(&h, dir, &eb), ASB_OK);
	ck_assert_int_eq(dsig_cert_info(p("forces/E23000011/sign.crt"), &who, &eb), ASB_OK);
	memset(&c, 0, sizeof(c));
	snprintf(c.code, sizeof(c.code), "E23000011");
	snprintf(c.fingerprint, sizeof(c.fingerprint), "%s", who.fingerprint);
	c.added = 1;
	ck_assert_int_eq(hub_cert_add(h.st, &c, &eb), ASB_OK);

	s = signed_example(p("forces/E23000011/sign.key"), p("forces/E23000011/sign.crt"),
	    &len);
	/* another force's connection */
	hub_intake(&h, s, len, "E23000005", 1000, &out);
	ck_assert_int_eq(out.status, 403);
	ck_assert(strstr(out.body, "R-SIG-006") != NULL);
	free(out.body);
	/* edited after signing with what the signature does not cover: 400 R-XML-004 at the
	 * parse step, before the signature is checked, and nothing stored */
	{
		static const char *const edit[][2] = {
			{ "<Power>cpn</Power>", "<Power>c<!---->pn</Power>" },
			{ "<Ethnicity>W1</Ethnicity>", "<Ethnicity><![CDATA[W1]]></Ethnicity>" },
			{ "</KeyInfo>", "</KeyInfo><Object><Power>cpw</Power></Object>" },
			{ "<Return ", "<?asb pi?><Return " },
		};
		char id[37], *e;
		size_t i, n, off;
		struct hub_return got;

		at = strstr(s, "<ReturnId>");
		ck_assert(at != NULL);
		snprintf(id, sizeof(id), "%.36s", at + 10);
		for (i = 0; i < sizeof(edit) / sizeof(edit[0]); i++) {
			at = strstr(s, edit[i][0]);
			ck_assert_msg(at != NULL, "no %s", edit[i][0]);
			off = (size_t)(at - s);
			n = len - strlen(edit[i][0]) + strlen(edit[i][1]);
			ck_assert_ptr_nonnull(e = malloc(n + 1));
			snprintf(e, n + 1, "%.*s%s%s", (int)off, s, edit[i][1],
			    at + strlen(edit[i][0]));
			hub_intake(&h, e, n, "E23000011", 1000, &out);
			ck_assert_int_eq(out.status, 400);
			ck_assert_msg(strstr(out.body, "R-XML-004") != NULL, "%s", out.body);
			ck_assert_double_eq(out.ms_verify, 0);	/* never reached */
			free(out.body);
			free(e);
			ck_assert_int_eq(hub_return_get(h.st, id, &got, NULL, NULL, NULL,
			    NULL), ASB_ENOTFOUND);
		}
	}
	/* accepted */
	hub_intake(&h, s, len, "E23000011", 1000, &out);
	ck_assert_int_eq(out.status, 200);
	ck_assert(strstr(out.body, "<State>accepted</State>") != NULL);
	/* the same bytes again: the same receipt */
	hub_intake(&h, s, len, "E23000011", 2000, &again);
	ck_assert_int_eq(again.status, 200);
	ck_assert_uint_eq(again.len, out.len);
	ck_assert(memcmp(again.body, out.body, out.len) == 0);
	free(again.body);
	free(out.body);
	s2 = strdup(s);
	len2 = len;
	at = strstr(s2, "<Created>");
	ck_assert(at != NULL);
	/* changing signed content breaks the signature first: refused 403, not stored */
	at[9 + 3] = at[9 + 3] == '0' ? '1' : '0';
	hub_intake(&h, s2, len2, "E23000011", 3000, &out);
	ck_assert_int_eq(out.status, 403);
	free(out.body);
	free(s2);
	/* XXE, unsigned, oversized */
	{
		static const char xxe[] = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x "
		    "SYSTEM \"file:///etc/passwd\">]><Return xmlns=\"urn:uk:gov:homeoffice:"
		    "asb-powers:return:1\">&x;</Return>";
		char *plain;
		size_t n;

		hub_intake(&h, xxe, sizeof(xxe) - 1, "E23000011", 1, &out);
		ck_assert_int_eq(out.status, 400);
		ck_assert(strstr(out.body, "R-XML-002") != NULL);
		free(out.body);
		ck_assert_int_eq(asb_read_file(EXAMPLE, 1 << 24, &plain, &n, &eb), ASB_OK);
		hub_intake(&h, plain, n, "E23000011", 1, &out);
		ck_assert_int_eq(out.status, 403);
		ck_assert(strstr(out.body, "R-SIG-001") != NULL);
		free(out.body);
		free(plain);
		h.max_body = 100;
		hub_intake(&h, s, len, "E23000011", 1, &out);
		ck_assert_int_eq(out.status, 413);
		free(out.body);
		h.max_body = 1 << 30;
	}
	/* revoked: the same bytes were accepted before, so a new return signed after the
	 * revocation is refused */
	ck_assert_int_eq(hub_cert_revoke(h.st, "E23000011", who.fingerprint, 5000, &eb),
	    ASB_OK);
	{
		xmlDocPtr doc;
		char *out2;
		size_t n;
		xmlNodePtr hdr, id;

		ck_assert_int_eq(rtn_parse_file(EXAMPLE, 0, &doc, &eb), ASB_OK);
		for (hdr = xmlDocGetRootElement(doc)->children; hdr->type != XML_ELEMENT_NODE;
		    hdr = hdr->next)
			;
		for (id = hdr->children; id != NULL; id = id->next)
			if (id->type == XML_ELEMENT_NODE &&
			    strcmp((char *)id->name, "ReturnId") == 0)
				xmlNodeSetContent(id, BAD_CAST
				    "0f0e0d0c-0b0a-4000-8000-0000000000bb");
		ck_assert_int_eq(sign_files(doc, p("forces/E23000011/sign.key"),
		    p("forces/E23000011/sign.crt"), &eb), ASB_OK);
		ck_assert_int_eq(dsig_dump(doc, &out2, &n, &eb), ASB_OK);
		xmlFreeDoc(doc);
		hub_intake(&h, out2, n, "E23000011", 6000, &out);
		ck_assert_int_eq(out.status, 403);
		ck_assert(strstr(out.body, "R-SIG-005") != NULL);
		free(out.body);
		xmlFree(out2);
	}
	xmlFree(s);
	hub_close(&h);
}
END_TEST

static Suite *
protocol_suite(void)
{
	Suite *s = suite_create("protocol");
	TCase *tc = tcase_create("signatures");

	tcase_add_unchecked_fixture(tc, pki_make, pki_remove);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sign_verify);
	tcase_add_test(tc, test_tampered);
	tcase_add_loop_test(tc, test_wrapped, 0, 3);
	tcase_add_test(tc, test_wrong_key);
	tcase_add_test(tc, test_untrusted_and_expired);
	tcase_add_test(tc, test_receipt);
	tcase_add_loop_test(tc, test_signature_content, 0,
	    sizeof(sig_edit) / sizeof(sig_edit[0]));
	tcase_add_test(tc, test_rtn_sign);
	tcase_add_test(tc, test_key_loaded_once);
	tcase_add_test(tc, test_backoff);
	tcase_add_test(tc, test_outbox);
	tcase_add_test(tc, test_intake);
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
	sr = srunner_create(protocol_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	dsig_cleanup();
	rtn_cleanup();
	return failed == 0 ? 0 : 1;
}
