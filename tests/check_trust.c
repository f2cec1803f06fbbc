/*
 * check_trust.c - whom the project trusts (issue 12, "Trust"), with a development PKI made by
 * tools/devpki for this run, bad certificates included: what each certificate may be used
 * for (end-entity; digitalSignature to sign; clientAuth for TLS), a chain through a force's
 * CA:TRUE certificate refused, the hub's TLS policy for each kind of client certificate and
 * its per-force registry (registered, revoked, none), signed refusals (round trip, and every
 * alteration refused), and the force's receipt pins.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "client.h"
#include "dsig.h"
#include "peer.h"
#include "rtn.h"
#include "store.h"

static char pki[256];

static void
sh(const char *fmt, const char *a)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), fmt, a);
	ck_assert_msg(system(cmd) == 0, "%s", cmd);
}

static void
pki_make(void)
{
	snprintf(pki, sizeof(pki), "%s/asbtrust.XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	ck_assert(mkdtemp(pki) != NULL);
	sh("tools/devpki %s --forces E23000011,E23000005 >/dev/null", pki);
	sh("D=%s; tools/devpki $D --issue evil --cn E23000011 --profile ca-leaf >/dev/null && "
	    "tools/devpki $D --issue minted --cn E23000005 --client --issuer evil >/dev/null && "
	    "tools/devpki $D --issue noclient --cn E23000011 --profile no-client >/dev/null && "
	    "tools/devpki $D --issue nodigsig --cn E23000011 --profile no-digsig >/dev/null && "
	    "tools/devpki $D --issue nobc --cn E23000011 --profile no-bc >/dev/null && "
	    "tools/devpki $D --issue unknown --cn E23999999 --client >/dev/null && "
	    "tools/devpki $D --issue g2 --cn E23000005 --client >/dev/null && "
	    "tools/devpki $D --issue lookalike --cn asbhub-receipts >/dev/null", pki);
}

static void
pki_remove(void)
{
	sh("rm -rf %s", pki);
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

static X509 *
load(const char *rel)
{
	FILE *f = fopen(p(rel), "r");
	X509 *c;

	ck_assert_msg(f != NULL, "%s", rel);
	c = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert_msg(c != NULL, "%s", rel);
	return c;
}

/* ---- certificate use ---------------------------------------------------------------------- */

static const struct {
	const char	*cert;
	int		 sign, tls;	/* ASB_OK or ASB_ERULE */
	const char	*why;		/* in the refusal */
} uses[] = {
	{ "forces/E23000011/tls.crt", ASB_OK, ASB_OK, NULL },
	{ "forces/E23000011/sign.crt", ASB_OK, ASB_ERULE, "clientAuth" },
	{ "evil.crt", ASB_ERULE, ASB_ERULE, "is a CA certificate" },
	{ "noclient.crt", ASB_OK, ASB_ERULE, "clientAuth" },
	{ "nodigsig.crt", ASB_ERULE, ASB_ERULE, NULL },
	{ "nobc.crt", ASB_OK, ASB_OK, NULL },
	{ "ca.crt", ASB_ERULE, ASB_ERULE, "is a CA certificate" },
};

START_TEST(test_use)
{
	struct asb_errbuf eb;
	X509 *c = load(uses[_i].cert);

	asb_errbuf_clear(&eb);
	ck_assert_int_eq(dsig_x509_check_use(c, DSIG_USE_SIGN, &eb), uses[_i].sign);
	if (uses[_i].sign != ASB_OK)
		ck_assert_str_eq(eb.rule, "R-SIG-004");
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(dsig_x509_check_use(c, DSIG_USE_TLS_CLIENT, &eb), uses[_i].tls);
	if (uses[_i].tls != ASB_OK) {
		ck_assert_str_eq(eb.rule, "R-TLS-001");
		if (uses[_i].why != NULL)
			ck_assert_msg(strstr(eb.msg, uses[_i].why) != NULL, "%s", eb.msg);
	}
	X509_free(c);
}
END_TEST

START_TEST(test_direct_and_registration)
{
	struct dsig_signer who;
	struct dsig_key *k = NULL;
	struct asb_errbuf eb;
	X509 *c;

	c = load("minted.crt");
	ck_assert_int_eq(dsig_x509_check_direct(c, p("ca.crt"), &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-004");
	X509_free(c);
	c = load("forces/E23000011/sign.crt");
	ck_assert_int_eq(dsig_x509_check_signer(c, p("ca.crt"), &eb), ASB_OK);
	X509_free(c);
	/* asbhub force add: the signing use, and --tls-cert the TLS use */
	ck_assert_int_eq(dsig_cert_check(p("nodigsig.crt"), p("ca.crt"), "E23000011", &who,
	    &eb), ASB_ERULE);
	ck_assert_msg(strstr(eb.msg, "digitalSignature") != NULL, "%s", eb.msg);
	ck_assert_int_eq(dsig_cert_check(p("evil.crt"), p("ca.crt"), "E23000011", &who,
	    &eb), ASB_ERULE);
	ck_assert_int_eq(dsig_cert_check_use(p("forces/E23000011/tls.crt"), p("ca.crt"),
	    "E23000011", DSIG_USE_TLS_CLIENT, &who, &eb), ASB_OK);
	ck_assert_int_eq(who.tls_client, 1);
	ck_assert_int_eq(dsig_cert_check_use(p("noclient.crt"), p("ca.crt"), "E23000011",
	    DSIG_USE_TLS_CLIENT, &who, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-TLS-001");
	/* a key whose certificate cannot sign is not loaded to sign */
	ck_assert_int_eq(dsig_key_load(p("nodigsig.key"), p("nodigsig.crt"), &k, &eb),
	    ASB_EUSAGE);
	ck_assert_ptr_null(k);
	ck_assert_int_eq(dsig_key_load(p("evil.key"), p("evil.crt"), &k, &eb), ASB_EUSAGE);
	ck_assert_ptr_null(k);
}
END_TEST

/* ---- the hub's TLS policy and registry ------------------------------------------------------ */

START_TEST(test_peer)
{
	char dir[300], cn[64];
	struct hub_store *st;
	struct hub_cert c, got;
	struct dsig_signer who;
	struct asb_errbuf eb;
	X509 *x;
	int warn, reg;

	snprintf(dir, sizeof(dir), "%s/hub", pki);
	ck_assert_int_eq(hub_store_open(dir, 1, &st, &eb), ASB_OK);
	x = load("forces/E23000011/tls.crt");
	/* none registered: let in, with the warning flag */
	ck_assert_int_eq(hub_peer_admit(st, x, 1, cn, &warn, &eb), ASB_OK);
	ck_assert_str_eq(cn, "E23000011");
	ck_assert_int_eq(warn, 1);
	/* a chain through a certificate the client sent */
	ck_assert_int_eq(hub_peer_admit(st, x, 2, cn, &warn, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-TLS-001");
	/* revoked without being registered: refused; the force is still not "registering" */
	ck_assert_int_eq(dsig_cert_info(p("forces/E23000011/tls.crt"), &who, &eb), ASB_OK);
	memset(&c, 0, sizeof(c));
	snprintf(c.code, sizeof(c.code), "E23000011");
	memcpy(c.fingerprint, who.fingerprint, 65);
	ck_assert_int_eq(hub_tls_revoke(st, &c, 1000, &eb), ASB_OK);
	ck_assert_int_eq(hub_tls_revoke(st, &c, 1001, &eb), ASB_ECONFLICT);
	ck_assert_int_eq(hub_tls_lookup(st, "E23000011", who.fingerprint, &got, &reg, &eb),
	    ASB_OK);
	ck_assert_int_eq(got.added, 0);
	ck_assert_int_eq(got.revoked, 1000);
	ck_assert_int_eq(reg, 0);
	ck_assert_int_eq(hub_peer_admit(st, x, 1, cn, &warn, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-TLS-002");
	ck_assert_msg(strstr(eb.msg, "revoked") != NULL, "%s", eb.msg);
	X509_free(x);
	/* E23000005 registers one: that one in, another from the CA out */
	ck_assert_int_eq(dsig_cert_info(p("forces/E23000005/tls.crt"), &who, &eb), ASB_OK);
	snprintf(c.code, sizeof(c.code), "E23000005");
	memcpy(c.fingerprint, who.fingerprint, 65);
	c.added = 2000;
	ck_assert_int_eq(hub_tls_add(st, &c, &eb), ASB_OK);
	ck_assert_int_eq(hub_tls_add(st, &c, &eb), ASB_ECONFLICT);
	x = load("forces/E23000005/tls.crt");
	ck_assert_int_eq(hub_peer_admit(st, x, 1, cn, &warn, &eb), ASB_OK);
	ck_assert_int_eq(warn, 0);
	X509_free(x);
	x = load("g2.crt");
	ck_assert_int_eq(hub_peer_admit(st, x, 1, cn, &warn, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-TLS-002");
	X509_free(x);
	/* a force code that is a prefix of another sees none of its records */
	ck_assert_int_eq(hub_tls_lookup(st, "E2300000", who.fingerprint, &got, &reg, &eb),
	    ASB_ENOTFOUND);
	ck_assert_int_eq(reg, 0);
	/* unfit certificates, whatever the store says */
	x = load("evil.crt");
	ck_assert_int_eq(hub_peer_admit(st, x, 1, cn, &warn, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-TLS-001");
	X509_free(x);
	x = load("unknown.crt");
	ck_assert_int_eq(hub_peer_admit(st, x, 1, cn, &warn, &eb), ASB_ERULE);
	ck_assert_msg(strstr(eb.msg, "not a force code") != NULL, "%s", eb.msg);
	X509_free(x);
	x = load("noclient.crt");
	ck_assert_int_eq(hub_peer_admit(st, x, 1, cn, &warn, &eb), ASB_ERULE);
	X509_free(x);
	hub_store_close(st);
}
END_TEST

/* ---- signed refusals ------------------------------------------------------------------------ */

#define NONCE	"00112233445566778899aabbccddeeff"
#define SHA	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define BODY	"{\"state\":\"refused\",\"status\":403}\n"

/* Sign a refusal with key/cert as the hub would; verify it with the given fields. */
static int
verify_case(const char *key, const char *cert, int status, const char *nonce, const char *body,
    const char *vnonce, int vstatus, const char *vbody, const char *cn,
    struct dsig_signer *who, struct asb_errbuf *eb)
{
	struct dsig_key *k;
	char *m, *sig, *c;
	size_t ml;
	int err;

	ck_assert_int_eq(dsig_key_load(p(key), p(cert), &k, eb), ASB_OK);
	ck_assert_int_eq(dsig_refusal_message(status, nonce, SHA, body, strlen(body), &m, &ml),
	    0);
	ck_assert_int_eq(dsig_detached_sign(k, m, ml, &sig, &c, eb), ASB_OK);
	free(m);
	ck_assert_int_eq(dsig_refusal_message(vstatus, vnonce, SHA, vbody, strlen(vbody), &m,
	    &ml), 0);
	err = dsig_detached_verify(c, sig, m, ml, p("ca.crt"), cn, who, eb);
	free(m);
	free(sig);
	free(c);
	dsig_key_free(k);
	return err;
}

START_TEST(test_refusal)
{
	struct dsig_signer who, hub;
	struct asb_errbuf eb;
	char *m;
	size_t ml;

	ck_assert_int_eq(dsig_cert_info(p("hub/sign.crt"), &hub, &eb), ASB_OK);
	ck_assert_int_eq(verify_case("hub/sign.key", "hub/sign.crt", 403, NONCE, BODY, NONCE,
	    403, BODY, "asbhub-receipts", &who, &eb), ASB_OK);
	ck_assert_str_eq(who.fingerprint, hub.fingerprint);
	/* another body, status or nonce (a replay): refused */
	ck_assert_int_eq(verify_case("hub/sign.key", "hub/sign.crt", 403, NONCE, BODY, NONCE,
	    403, "{}", "asbhub-receipts", &who, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-003");
	ck_assert_int_eq(verify_case("hub/sign.key", "hub/sign.crt", 403, NONCE, BODY, NONCE,
	    400, BODY, "asbhub-receipts", &who, &eb), ASB_ERULE);
	ck_assert_int_eq(verify_case("hub/sign.key", "hub/sign.crt", 403, NONCE, BODY,
	    "ffeeddccbbaa99887766554433221100", 403, BODY, "asbhub-receipts", &who, &eb),
	    ASB_ERULE);
	/* a force's key is not the hub's */
	ck_assert_int_eq(verify_case("forces/E23000011/sign.key", "forces/E23000011/sign.crt",
	    403, NONCE, BODY, NONCE, 403, BODY, "asbhub-receipts", &who, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-006");
	/* the look-alike verifies as such: only the pin tells it apart (test_pins) */
	ck_assert_int_eq(verify_case("lookalike.key", "lookalike.crt", 403, NONCE, BODY, NONCE,
	    403, BODY, "asbhub-receipts", &who, &eb), ASB_OK);
	ck_assert_str_ne(who.fingerprint, hub.fingerprint);
	/* missing, not base64 */
	ck_assert_int_eq(dsig_detached_verify(NULL, "AAAA", "x", 1, p("ca.crt"), NULL, &who,
	    &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-001");
	ck_assert_int_eq(dsig_detached_verify("not base64!", "AAAA", "x", 1, p("ca.crt"), NULL,
	    &who, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-SIG-002");
	/* the framing: a nonce that is not hex, a hash that is not one */
	ck_assert_int_eq(dsig_refusal_message(400, "XYZ", SHA, "", 0, &m, &ml), -1);
	ck_assert_int_eq(dsig_refusal_message(400, NULL, "abc", "", 0, &m, &ml), -1);
	ck_assert_int_eq(dsig_refusal_message(400, NULL, SHA, "", 0, &m, &ml), 0);
	ck_assert_str_eq(m, DSIG_REFUSAL_V1 "\n400\n-\n" SHA "\n");
	free(m);
}
END_TEST

/* ---- the force's pins ----------------------------------------------------------------------- */

START_TEST(test_pins)
{
	struct dsig_signer hub, look;
	struct asb_errbuf eb;
	struct gw_tls t;
	char pins[GW_MAX_PINS][65], spaced[600], upper[200];
	int n, i, j;

	ck_assert_int_eq(dsig_cert_info(p("hub/sign.crt"), &hub, &eb), ASB_OK);
	ck_assert_int_eq(dsig_cert_info(p("lookalike.crt"), &look, &eb), ASB_OK);
	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(gw_pins(&t, pins, &n, &eb), ASB_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(gw_pin_check(&t, look.fingerprint, &eb), ASB_OK);	/* no pin */
	/* as openssl prints it: capitals and colons */
	for (i = j = 0; hub.fingerprint[i] != '\0'; i++) {
		upper[j++] = (char)(hub.fingerprint[i] >= 'a' ? hub.fingerprint[i] - 32 :
		    hub.fingerprint[i]);
		if (i % 2 == 1 && hub.fingerprint[i + 1] != '\0')
			upper[j++] = ':';
	}
	upper[j] = '\0';
	snprintf(spaced, sizeof(spaced), "%s, SHA256 Fingerprint=%s", look.fingerprint, upper);
	t.receipt_fingerprint = spaced;
	ck_assert_int_eq(gw_pins(&t, pins, &n, &eb), ASB_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(pins[1], hub.fingerprint);
	ck_assert_int_eq(gw_pin_check(&t, hub.fingerprint, &eb), ASB_OK);
	t.receipt_fingerprint = look.fingerprint;
	ck_assert_int_eq(gw_pin_check(&t, hub.fingerprint, &eb), ASB_ERULE);
	ck_assert_str_eq(eb.rule, "R-RCP-004");
	t.receipt_fingerprint = NULL;
	t.receipt_cert = p("hub/sign.crt");
	ck_assert_int_eq(gw_pin_check(&t, hub.fingerprint, &eb), ASB_OK);
	ck_assert_int_eq(gw_pin_check(&t, look.fingerprint, &eb), ASB_ERULE);
	t.receipt_cert = p("nothere.crt");
	ck_assert_int_eq(gw_pins(&t, pins, &n, &eb), ASB_EUSAGE);
	t.receipt_cert = NULL;
	t.receipt_fingerprint = "abcd";
	ck_assert_int_eq(gw_pins(&t, pins, &n, &eb), ASB_EUSAGE);
	ck_assert_msg(strstr(eb.msg, "not a SHA-256 fingerprint") != NULL, "%s", eb.msg);
	snprintf(spaced, sizeof(spaced), "%s,%s,%s,%s,%s", look.fingerprint, look.fingerprint,
	    look.fingerprint, look.fingerprint, look.fingerprint);
	t.receipt_fingerprint = spaced;
	ck_assert_int_eq(gw_pins(&t, pins, &n, &eb), ASB_EUSAGE);
}
END_TEST

static Suite *
trust_suite(void)
{
	Suite *s = suite_create("trust");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, pki_make, pki_remove);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_use, 0, sizeof(uses) / sizeof(uses[0]));
	tcase_add_test(tc, test_direct_and_registration);
	tcase_add_test(tc, test_peer);
	tcase_add_test(tc, test_refusal);
	tcase_add_test(tc, test_pins);
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
	sr = srunner_create(trust_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	dsig_cleanup();
	rtn_cleanup();
	return failed == 0 ? 0 : 1;
}
