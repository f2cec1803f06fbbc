/*
 * check_store.c - the byte formats of the hub store and the force outbox
 * (hub/store_codec.c, gateway/outbox_codec.c, common/bytes.c): every value round-trips at
 * the caps of its fields; every prefix of a value, and a table of damaged ones, is refused
 * with a message and never read past (each is decoded from a buffer of exactly its size, so
 * ASan sees any over-read); and the stores written as raw structs (tests/data/store-v0)
 * open, read as they were, and take new writes in the current format.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "outbox.h"
#include "outbox_codec.h"
#include "store.h"
#include "store_codec.h"

#define FIXTURE	"tests/data/store-v0"

static void
fill(char *s, size_t cap, char c)
{
	memset(s, c, cap - 1);
	s[cap - 1] = '\0';
}

static struct hub_return
full_return(void)
{
	struct hub_return r;

	memset(&r, 0, sizeof(r));
	fill(r.id, sizeof(r.id), 'a');
	fill(r.force, sizeof(r.force), 'E');
	fill(r.period, sizeof(r.period), '2');
	fill(r.supersedes, sizeof(r.supersedes), 'b');
	fill(r.sha256, sizeof(r.sha256), 'c');
	fill(r.state, sizeof(r.state), 's');
	fill(r.signer, sizeof(r.signer), 'd');
	r.test = 1;
	r.bytes = UINT64_MAX;
	r.records = 0x0102030405060708ULL;
	r.errors = UINT32_MAX;
	r.warnings = 7;
	r.received = -1;
	r.decided = INT64_MAX;
	return r;
}

static struct hub_cert
full_cert(void)
{
	struct hub_cert c;

	memset(&c, 0, sizeof(c));
	fill(c.code, sizeof(c.code), 'W');
	fill(c.fingerprint, sizeof(c.fingerprint), 'f');
	fill(c.not_after, sizeof(c.not_after), 'n');
	c.added = INT64_MIN;
	c.revoked = 1796000000;
	return c;
}

static struct ob_entry
full_entry(void)
{
	struct ob_entry e;

	memset(&e, 0, sizeof(e));
	fill(e.id, sizeof(e.id), '0');
	fill(e.force, sizeof(e.force), 'E');
	fill(e.period, sizeof(e.period), 'Q');
	fill(e.sha256, sizeof(e.sha256), 'e');
	fill(e.state, sizeof(e.state), 'z');
	fill(e.outcome, sizeof(e.outcome), 'o');
	fill(e.last_error, sizeof(e.last_error), 'x');
	e.test = 1;
	e.attempts = 0xdeadbeef;
	e.bytes = 12345678901ULL;
	e.added = 1;
	e.last_try = -2;
	e.next_try = INT64_MAX;
	e.done = INT64_MIN;
	e.last_status = -1;
	return e;
}

/* A copy of n bytes in a buffer of exactly n, so that reading one past is an ASan error. */
static unsigned char *
exact(const unsigned char *p, size_t n)
{
	unsigned char *q = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(q);
	memcpy(q, p, n);
	return q;
}

START_TEST(test_roundtrip)
{
	struct hub_return r = full_return(), r2;
	struct hub_cert c = full_cert(), c2;
	struct ob_entry e = full_entry(), e2;
	unsigned char buf[1024];
	char id[37];
	struct asb_errbuf eb;
	size_t n;

	n = hub_enc_return(&r, buf, sizeof(buf));
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_le(n, HUB_RETURN_ENC_MAX);
	ck_assert_uint_eq(buf[0], HUB_RETURN_V1);
	ck_assert_int_eq(hub_enc_return(&r, buf, n - 1), 0);	/* one short: refused */
	memset(&r2, 0x55, sizeof(r2));
	ck_assert_int_eq(hub_dec_return(buf, n, "r", &r2, &eb), ASB_OK);
	r.latest = r2.latest = 0;
	ck_assert_mem_eq(&r, &r2, sizeof(r));

	n = hub_enc_cert(&c, buf, sizeof(buf));
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_le(n, HUB_CERT_ENC_MAX);
	ck_assert_int_eq(hub_dec_cert(buf, n, "c", &c2, &eb), ASB_OK);
	ck_assert_mem_eq(&c, &c2, sizeof(c));

	n = hub_enc_latest("11111111-2222-4333-8444-555555555555", buf, sizeof(buf));
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_le(n, HUB_LATEST_ENC_MAX);
	ck_assert_int_eq(hub_dec_latest(buf, n, "l", id, &eb), ASB_OK);
	ck_assert_str_eq(id, "11111111-2222-4333-8444-555555555555");
	ck_assert_int_eq(hub_enc_latest("short", buf, sizeof(buf)), 0);

	n = ob_enc_entry(&e, buf, sizeof(buf));
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_le(n, OB_ENTRY_ENC_MAX);
	ck_assert_int_eq(ob_dec_entry(buf, n, "e", &e2, &eb), ASB_OK);
	ck_assert_mem_eq(&e, &e2, sizeof(e));
	{
		struct asb_enc x;

		/* fixed-width big-endian, a 16-bit length before a string */
		asb_enc_init(&x, buf, sizeof(buf));
		asb_enc_u32(&x, 0xdeadbeef);
		asb_enc_i64(&x, -2);
		asb_enc_str(&x, "ab");
		ck_assert_uint_eq(asb_enc_done(&x), 16);
		ck_assert_mem_eq(buf, "\xde\xad\xbe\xef\xff\xff\xff\xff\xff\xff\xff\xfe"
		    "\x00\x02" "ab", 16);
	}
}
END_TEST

/* Every proper prefix of every kind of value is damaged: refused, with a message, the
 * output untouched. */
START_TEST(test_truncated)
{
	struct hub_return r = full_return(), rr, sentinel_r;
	struct hub_cert c = full_cert(), cc, sentinel_c;
	struct ob_entry e = full_entry(), ee, sentinel_e;
	unsigned char buf[4][1024], *q;
	size_t n[4], len, k;
	char id[37];
	struct asb_errbuf eb;
	int err = 0;

	n[0] = hub_enc_return(&r, buf[0], sizeof(buf[0]));
	n[1] = hub_enc_cert(&c, buf[1], sizeof(buf[1]));
	n[2] = hub_enc_latest("11111111-2222-4333-8444-555555555555", buf[2], sizeof(buf[2]));
	n[3] = ob_enc_entry(&e, buf[3], sizeof(buf[3]));
	memset(&sentinel_r, 0x5a, sizeof(sentinel_r));
	memset(&sentinel_c, 0x5a, sizeof(sentinel_c));
	memset(&sentinel_e, 0x5a, sizeof(sentinel_e));
	for (k = 0; k < 4; k++)
		for (len = 0; len < n[k]; len++) {
			q = exact(buf[k], len);
			asb_errbuf_clear(&eb);
			rr = sentinel_r;
			cc = sentinel_c;
			ee = sentinel_e;
			memset(id, 0x5a, sizeof(id));
			switch (k) {
			case 0: err = hub_dec_return(q, len, "return X", &rr, &eb); break;
			case 1: err = hub_dec_cert(q, len, "cert X", &cc, &eb); break;
			case 2: err = hub_dec_latest(q, len, "latest X", id, &eb); break;
			case 3: err = ob_dec_entry(q, len, "entry X", &ee, &eb); break;
			}
			free(q);
			ck_assert_msg(err == ASB_EIO, "kind %zu, %zu of %zu bytes: %d", k, len,
			    n[k], err);
			ck_assert_msg(strstr(eb.msg, " X: damaged value: ") != NULL,
			    "kind %zu, %zu bytes: '%s'", k, len, eb.msg);
			ck_assert_mem_eq(&rr, &sentinel_r, sizeof(rr));
			ck_assert_mem_eq(&cc, &sentinel_c, sizeof(cc));
			ck_assert_mem_eq(&ee, &sentinel_e, sizeof(ee));
			ck_assert_uint_eq((unsigned char)id[0], 0x5a);
		}
}
END_TEST

/* Damaged values: a table, one row each. */
static const struct bad {
	const char	*what;
	size_t		 off;		/* where to write patch (into an encoded return) */
	const char	*patch;
	size_t		 plen;
	long		 resize;	/* bytes added (>0) or cut (<0) at the end */
	const char	*msg;
} bad[] = {
	{ "unknown version", 0, "\x07", 1, 0, "value of version 7, which this build does not know" },
	{ "version 0", 0, "\x00", 1, 0, "value of version 0" },
	{ "id longer than its field", 1, "\x00\x25", 2, 0, "'id' is 37 bytes, more than the 36" },
	{ "id length past the end", 1, "\xff\xff", 2, 0, "'id' is 65535 bytes" },
	{ "a NUL in the id", 5, "\x00", 1, 0, "'id' holds a NUL byte" },
	{ "a byte left over", 0, NULL, 0, 1, "1 bytes left over after its last field" },
	{ "printable first byte, not the old size", 0, "a", 1, 0, "neither a versioned value "
	    "nor the size of an old one" },
	{ "cut inside the last integer", 0, NULL, 0, -3, "it ends inside 'decided'" },
};

START_TEST(test_damaged)
{
	const struct bad *b = &bad[_i];
	struct hub_return r = full_return(), out;
	unsigned char buf[1024], *q;
	struct asb_errbuf eb;
	size_t n;

	snprintf(r.id, sizeof(r.id), "9126400f-24f6-4a4f-921c-0e1018975db3");
	n = hub_enc_return(&r, buf, sizeof(buf) - 8);
	ck_assert_uint_gt(n, 0);
	memset(buf + n, 0, 8);
	if (b->patch != NULL)
		memcpy(buf + b->off, b->patch, b->plen);
	n = (size_t)((long)n + b->resize);
	q = exact(buf, n);
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(hub_dec_return(q, n, "store: return K", &out, &eb), ASB_EIO);
	free(q);
	ck_assert_msg(strstr(eb.msg, b->msg) != NULL, "%s: '%s'", b->what, eb.msg);
	ck_assert_msg(strncmp(eb.msg, "store: return K: ", 17) == 0, "%s", eb.msg);
}
END_TEST

/* A legacy raw struct is read only when whole and terminated. */
START_TEST(test_legacy_damaged)
{
	unsigned char raw[OB_ENTRY_LEGACY_SIZE];
	struct asb_errbuf eb;
	struct hub_return r;
	struct hub_cert c;
	struct ob_entry e;
	char id[37];

	memset(raw, 'a', sizeof(raw));	/* no NUL anywhere: no field is terminated */
	ck_assert_int_eq(hub_dec_return(raw, HUB_RETURN_LEGACY_SIZE, "r", &r, &eb), ASB_EIO);
	ck_assert_ptr_nonnull(strstr(eb.msg, "not terminated"));
	ck_assert_int_eq(hub_dec_cert(raw, HUB_CERT_LEGACY_SIZE, "c", &c, &eb), ASB_EIO);
	ck_assert_ptr_nonnull(strstr(eb.msg, "not terminated"));
	ck_assert_int_eq(ob_dec_entry(raw, OB_ENTRY_LEGACY_SIZE, "e", &e, &eb), ASB_EIO);
	ck_assert_ptr_nonnull(strstr(eb.msg, "not terminated"));
	ck_assert_int_eq(hub_dec_latest(raw, HUB_LATEST_LEGACY_SIZE, "l", id, &eb), ASB_OK);
	raw[3] = '\0';
	ck_assert_int_eq(hub_dec_latest(raw, HUB_LATEST_LEGACY_SIZE, "l", id, &eb), ASB_EIO);
	ck_assert_int_eq(hub_dec_return(raw, HUB_RETURN_LEGACY_SIZE - 1, "r", &r, &eb),
	    ASB_EIO);
	ck_assert_ptr_nonnull(strstr(eb.msg, "neither a versioned value"));
}
END_TEST

/* ---- the stores written by the raw-struct release -------------------------------------- */

static char dir[256];

static void
load_fixture(void)
{
	char cmd[2048];

	snprintf(dir, sizeof(dir), "%s/asbstore.XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	ck_assert(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/hub/store %s/reg/outbox && "
	    "mdb_load -f " FIXTURE "/hub.dump %s/hub/store 2>/dev/null && "
	    "mdb_load -f " FIXTURE "/outbox.dump %s/reg/outbox 2>/dev/null",
	    dir, dir, dir, dir);
	ck_assert_msg(system(cmd) == 0, "%s", cmd);
}

static void
remove_fixture(void)
{
	char cmd[512];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert(system(cmd) == 0);
}

struct seen {
	struct hub_return r[8];
	struct hub_cert c[8];
	struct ob_entry e[8];
	int nr, nc, ne;
};

static void
on_return(const struct hub_return *r, void *ctx)
{
	struct seen *s = ctx;

	if (s->nr < 8)
		s->r[s->nr] = *r;
	s->nr++;
}

static void
on_cert(const struct hub_cert *c, void *ctx)
{
	struct seen *s = ctx;

	if (s->nc < 8)
		s->c[s->nc] = *c;
	s->nc++;
}

static void
on_entry(const struct ob_entry *e, void *ctx)
{
	struct seen *s = ctx;

	if (s->ne < 8)
		s->e[s->ne] = *e;
	s->ne++;
}

static int
hexval(char c)
{
	return c >= 'a' ? c - 'a' + 10 : c - '0';
}

/* The first byte of the value under key in a database of the environment at path. */
static int
first_byte(const char *path, const char *db, const char *key)
{
	char cmd[1024], line[4096], hex[256];

	ck_assert(strlen(path) < 600);
	FILE *f;
	int want = 0, b = -1;
	size_t i;

	for (i = 0; key[i] && i < 100; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)key[i]);
	snprintf(cmd, sizeof(cmd), "mdb_dump -s %s %s", db, path);
	ck_assert_ptr_nonnull(f = popen(cmd, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (want && line[0] == ' ') {
			b = hexval(line[1]) * 16 + hexval(line[2]);
			break;
		}
		want = line[0] == ' ' && strncmp(line + 1, hex, strlen(hex)) == 0 &&
		    line[1 + strlen(hex)] == '\n';
	}
	pclose(f);
	return b;
}

START_TEST(test_legacy_hub)
{
	const char *fix = "1bb3d392-ac31-4247-b28a-a180465eaf91";
	const char *q3 = "9126400f-24f6-4a4f-921c-0e1018975db3";
	const char *gmp = "33455d6d6b924a5ec3b153e64b6814c9544a9737484820929b9b21d6d4c6972e";
	struct hub_store *st;
	struct asb_errbuf eb;
	struct hub_return r;
	struct hub_cert c;
	struct seen s;
	char path[300], id[37];
	int same, i, found = 0;

	load_fixture();
	snprintf(path, sizeof(path), "%s/hub", dir);
	ck_assert_int_eq(hub_store_open(path, 0, &st, &eb), ASB_OK);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(hub_return_each(st, NULL, NULL, on_return, &s, &eb), ASB_OK);
	ck_assert_int_eq(s.nr, 5);
	for (i = 0; i < s.nr; i++) {
		if (strcmp(s.r[i].id, fix) != 0)
			continue;
		found = 1;
		ck_assert_str_eq(s.r[i].supersedes, q3);
		ck_assert_str_eq(s.r[i].state, "accepted");
		ck_assert_uint_eq(s.r[i].records, 14);
		ck_assert_uint_eq(s.r[i].bytes, 10414);
		ck_assert_int_eq(s.r[i].latest, 1);
		ck_assert_int_eq(s.r[i].test, 0);
	}
	ck_assert(found);
	ck_assert_int_eq(hub_latest(st, "E23000011", "2026-Q3", 0, id), ASB_OK);
	ck_assert_str_eq(id, fix);
	ck_assert_int_eq(hub_latest(st, "E23000011", "2026-Q2", 1, id), ASB_OK);
	ck_assert_int_eq(hub_return_get(st, q3, &r, NULL, NULL, NULL, NULL), ASB_OK);
	ck_assert_int_eq(r.latest, 0);
	/* an old value compared on a resend: the same bytes are recognised */
	ck_assert_int_eq(hub_return_put(st, &r, "x", 1, "y", 1, NULL, 0, &same, &eb), ASB_ECONFLICT);
	ck_assert_int_eq(same, 1);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(hub_cert_each(st, on_cert, &s, &eb), ASB_OK);
	ck_assert_int_eq(s.nc, 3);
	/* a change writes the current format */
	ck_assert_int_eq(hub_cert_revoke(st, "E23000005", gmp, 1800000000, &eb), ASB_OK);
	ck_assert_int_eq(hub_cert_get(st, gmp, &c), ASB_OK);
	ck_assert_int_eq(c.revoked, 1800000000);
	ck_assert_str_eq(c.code, "E23000005");
	ck_assert_int_eq(hub_cert_revoke(st, "E23000005", gmp, 1800000001, &eb), ASB_ECONFLICT);
	hub_store_close(st);
	snprintf(path, sizeof(path), "%s/hub/store", dir);
	ck_assert_int_eq(first_byte(path, "certs", gmp), HUB_CERT_V1);
	ck_assert_int_eq(first_byte(path, "returns", fix), '1');	/* still the old value */
	remove_fixture();
}
END_TEST

START_TEST(test_legacy_outbox)
{
	const char *waiting = "10c2aad2-b4eb-40ce-8c52-605c9351a82f";
	struct outbox *ob;
	struct asb_errbuf eb;
	struct ob_entry e, e2;
	struct seen s;
	char path[300], *body = NULL, *answer = NULL;
	size_t blen = 0, alen = 0;
	int i, acked = 0, rejected = 0, signed_ = 0, added;

	load_fixture();
	snprintf(path, sizeof(path), "%s/reg", dir);
	ck_assert_int_eq(ob_open(path, &ob, &eb), ASB_OK);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(ob_each(ob, on_entry, &s, &eb), ASB_OK);
	ck_assert_int_eq(s.ne, 6);
	for (i = 0; i < s.ne; i++) {
		acked += strcmp(s.e[i].state, "acknowledged") == 0;
		rejected += strcmp(s.e[i].state, "rejected") == 0;
		signed_ += strcmp(s.e[i].state, "signed") == 0;
	}
	ck_assert_int_eq(acked, 4);
	ck_assert_int_eq(rejected, 1);
	ck_assert_int_eq(signed_, 1);
	ck_assert_int_eq(ob_get(ob, waiting, &e, &body, &blen, &answer, &alen), ASB_OK);
	ck_assert_str_eq(e.state, "signed");
	ck_assert_str_eq(e.period, "2026-Q1");
	ck_assert_uint_eq(e.attempts, 1);
	ck_assert_uint_eq(e.bytes, blen);
	ck_assert_ptr_nonnull(strstr(e.last_error, "Couldn't connect"));
	ck_assert_ptr_null(answer);
	/* the same bytes again are recognised against the old entry */
	ck_assert_int_eq(ob_add(ob, &e, body, blen, &added, &eb), ASB_OK);
	ck_assert_int_eq(added, 0);
	free(body);
	/* a state change is written in the current format and reads back */
	e.attempts = 2;
	snprintf(e.state, sizeof(e.state), "acknowledged");
	ck_assert_int_eq(ob_update(ob, &e, "<receipt/>", 10, &eb), ASB_OK);
	ck_assert_int_eq(ob_get(ob, waiting, &e2, NULL, NULL, NULL, NULL), ASB_OK);
	ck_assert_mem_eq(&e, &e2, sizeof(e));
	ob_close(ob);
	snprintf(path, sizeof(path), "%s/reg/outbox", dir);
	ck_assert_int_eq(first_byte(path, "entries", waiting), OB_ENTRY_V1);
	remove_fixture();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("codec");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_truncated);
	tcase_add_loop_test(tc, test_damaged, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_legacy_damaged);
	suite_add_tcase(s, tc);
	tc = tcase_create("legacy");
	tcase_add_test(tc, test_legacy_hub);
	tcase_add_test(tc, test_legacy_outbox);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
