/*
 * store_codec.c - the hub store's values (see store_codec.h), and the reader of the raw
 * structs written before them.
 */
#include <string.h>

#include "bytes.h"
#include "store_codec.h"

static int
is_legacy(const unsigned char *p, size_t n, size_t legacy_size)
{
	return n == legacy_size && p[0] > ASB_ENC_MAXVERSION;
}

static int
bad_version(const unsigned char *p, size_t n, const char *what, struct asb_errbuf *eb)
{
	if (n == 0)
		return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: it is empty", what);
	if (p[0] > ASB_ENC_MAXVERSION)
		return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: %zu bytes, neither "
		    "a versioned value nor the size of an old one", what, n);
	return asb_fail(eb, ASB_EIO, NULL, "%s: value of version %u, which this build "
	    "does not know (a newer release wrote it)", what, p[0]);
}

/* ---- returns --------------------------------------------------------------------------- */

size_t
hub_enc_return(const struct hub_return *r, unsigned char *buf, size_t cap)
{
	struct asb_enc e;

	asb_enc_init(&e, buf, cap);
	asb_enc_u8(&e, HUB_RETURN_V1);
	asb_enc_str(&e, r->id);
	asb_enc_str(&e, r->force);
	asb_enc_str(&e, r->period);
	asb_enc_str(&e, r->supersedes);
	asb_enc_str(&e, r->sha256);
	asb_enc_str(&e, r->state);
	asb_enc_str(&e, r->signer);
	asb_enc_u8(&e, r->test != 0);
	asb_enc_u64(&e, r->bytes);
	asb_enc_u64(&e, r->records);
	asb_enc_u32(&e, r->errors);
	asb_enc_u32(&e, r->warnings);
	asb_enc_i64(&e, r->received);
	asb_enc_i64(&e, r->decided);
	return asb_enc_done(&e);
}

/*
 * The legacy struct hub_return (x86-64): id[37] at 0, force[16] at 37, period[8] at 53,
 * supersedes[37] at 61, sha256[65] at 98, state[16] at 163, signer[65] at 179, int test at
 * 244, uint64 bytes at 248, records at 256, uint32 errors at 264, warnings at 268, int64
 * received at 272, decided at 280, int latest at 288 (not meaningful on disk), 296 in all.
 */
static int
dec_return_legacy(const unsigned char *p, struct hub_return *r)
{
	memset(r, 0, sizeof(*r));
	if (asb_legacy_str(p + 0, 37, r->id, sizeof(r->id)) == -1 ||
	    asb_legacy_str(p + 37, 16, r->force, sizeof(r->force)) == -1 ||
	    asb_legacy_str(p + 53, 8, r->period, sizeof(r->period)) == -1 ||
	    asb_legacy_str(p + 61, 37, r->supersedes, sizeof(r->supersedes)) == -1 ||
	    asb_legacy_str(p + 98, 65, r->sha256, sizeof(r->sha256)) == -1 ||
	    asb_legacy_str(p + 163, 16, r->state, sizeof(r->state)) == -1 ||
	    asb_legacy_str(p + 179, 65, r->signer, sizeof(r->signer)) == -1)
		return -1;
	r->test = asb_legacy_u32(p + 244) != 0;
	r->bytes = asb_legacy_u64(p + 248);
	r->records = asb_legacy_u64(p + 256);
	r->errors = asb_legacy_u32(p + 264);
	r->warnings = asb_legacy_u32(p + 268);
	r->received = (asb_time)asb_legacy_u64(p + 272);
	r->decided = (asb_time)asb_legacy_u64(p + 280);
	return 0;
}

int
hub_dec_return(const void *v, size_t n, const char *what, struct hub_return *ret,
    struct asb_errbuf *eb)
{
	const unsigned char *p = v;
	struct hub_return r;
	struct asb_dec d;
	int err;

	if (n > 0 && is_legacy(p, n, HUB_RETURN_LEGACY_SIZE)) {
		if (dec_return_legacy(p, &r) == -1)
			return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: an old "
			    "return whose text fields are not terminated", what);
		*ret = r;
		return ASB_OK;
	}
	if (n == 0 || p[0] != HUB_RETURN_V1)
		return bad_version(p, n, what, eb);
	memset(&r, 0, sizeof(r));
	asb_dec_init(&d, p + 1, n - 1);
	asb_dec_str(&d, "id", r.id, sizeof(r.id));
	asb_dec_str(&d, "force", r.force, sizeof(r.force));
	asb_dec_str(&d, "period", r.period, sizeof(r.period));
	asb_dec_str(&d, "supersedes", r.supersedes, sizeof(r.supersedes));
	asb_dec_str(&d, "sha256", r.sha256, sizeof(r.sha256));
	asb_dec_str(&d, "state", r.state, sizeof(r.state));
	asb_dec_str(&d, "signer", r.signer, sizeof(r.signer));
	r.test = asb_dec_u8(&d, "test") != 0;
	r.bytes = asb_dec_u64(&d, "bytes");
	r.records = asb_dec_u64(&d, "records");
	r.errors = asb_dec_u32(&d, "errors");
	r.warnings = asb_dec_u32(&d, "warnings");
	r.received = asb_dec_i64(&d, "received");
	r.decided = asb_dec_i64(&d, "decided");
	if ((err = asb_dec_done(&d, what, eb)) != ASB_OK)
		return err;
	*ret = r;
	return ASB_OK;
}

/* ---- certificates ---------------------------------------------------------------------- */

size_t
hub_enc_cert(const struct hub_cert *c, unsigned char *buf, size_t cap)
{
	struct asb_enc e;

	asb_enc_init(&e, buf, cap);
	asb_enc_u8(&e, HUB_CERT_V1);
	asb_enc_str(&e, c->code);
	asb_enc_str(&e, c->fingerprint);
	asb_enc_str(&e, c->not_after);
	asb_enc_i64(&e, c->added);
	asb_enc_i64(&e, c->revoked);
	return asb_enc_done(&e);
}

/* The legacy struct hub_cert (x86-64): code[16] at 0, fingerprint[65] at 16, not_after[32]
 * at 81, int64 added at 120, revoked at 128, 136 in all. */
int
hub_dec_cert(const void *v, size_t n, const char *what, struct hub_cert *ret,
    struct asb_errbuf *eb)
{
	const unsigned char *p = v;
	struct hub_cert c;
	struct asb_dec d;
	int err;

	memset(&c, 0, sizeof(c));
	if (n > 0 && is_legacy(p, n, HUB_CERT_LEGACY_SIZE)) {
		if (asb_legacy_str(p + 0, 16, c.code, sizeof(c.code)) == -1 ||
		    asb_legacy_str(p + 16, 65, c.fingerprint, sizeof(c.fingerprint)) == -1 ||
		    asb_legacy_str(p + 81, 32, c.not_after, sizeof(c.not_after)) == -1)
			return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: an old "
			    "certificate whose text fields are not terminated", what);
		c.added = (asb_time)asb_legacy_u64(p + 120);
		c.revoked = (asb_time)asb_legacy_u64(p + 128);
		*ret = c;
		return ASB_OK;
	}
	if (n == 0 || p[0] != HUB_CERT_V1)
		return bad_version(p, n, what, eb);
	asb_dec_init(&d, p + 1, n - 1);
	asb_dec_str(&d, "code", c.code, sizeof(c.code));
	asb_dec_str(&d, "fingerprint", c.fingerprint, sizeof(c.fingerprint));
	asb_dec_str(&d, "not_after", c.not_after, sizeof(c.not_after));
	c.added = asb_dec_i64(&d, "added");
	c.revoked = asb_dec_i64(&d, "revoked");
	if ((err = asb_dec_done(&d, what, eb)) != ASB_OK)
		return err;
	*ret = c;
	return ASB_OK;
}

/* ---- latest ---------------------------------------------------------------------------- */

size_t
hub_enc_latest(const char *id, unsigned char *buf, size_t cap)
{
	struct asb_enc e;

	if (strlen(id) != 36)
		return 0;
	asb_enc_init(&e, buf, cap);
	asb_enc_u8(&e, HUB_LATEST_V1);
	asb_enc_str(&e, id);
	return asb_enc_done(&e);
}

/* Legacy: the 36 characters of the return ID, nothing else. */
int
hub_dec_latest(const void *v, size_t n, const char *what, char ret[37],
    struct asb_errbuf *eb)
{
	const unsigned char *p = v;
	char id[37];
	struct asb_dec d;
	int err;

	if (n > 0 && is_legacy(p, n, HUB_LATEST_LEGACY_SIZE)) {
		if (memchr(p, '\0', n) != NULL)
			return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: an old "
			    "return ID holding a NUL byte", what);
		memcpy(ret, p, 36);
		ret[36] = '\0';
		return ASB_OK;
	}
	if (n == 0 || p[0] != HUB_LATEST_V1)
		return bad_version(p, n, what, eb);
	asb_dec_init(&d, p + 1, n - 1);
	asb_dec_str(&d, "return id", id, sizeof(id));
	if ((err = asb_dec_done(&d, what, eb)) != ASB_OK)
		return err;
	if (strlen(id) != 36)
		return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: a return ID of %zu "
		    "characters, not 36", what, strlen(id));
	memcpy(ret, id, 37);
	return ASB_OK;
}
