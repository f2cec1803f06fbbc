/*
 * outbox_codec.c - the outbox entry's bytes (see outbox_codec.h), and the reader of the raw
 * structs written before them.
 */
#include <string.h>

#include "bytes.h"
#include "outbox_codec.h"

size_t
ob_enc_entry(const struct ob_entry *e, unsigned char *buf, size_t cap)
{
	struct asb_enc x;

	asb_enc_init(&x, buf, cap);
	asb_enc_u8(&x, OB_ENTRY_V1);
	asb_enc_str(&x, e->id);
	asb_enc_str(&x, e->force);
	asb_enc_str(&x, e->period);
	asb_enc_str(&x, e->sha256);
	asb_enc_str(&x, e->state);
	asb_enc_str(&x, e->outcome);
	asb_enc_u8(&x, e->test != 0);
	asb_enc_u32(&x, e->attempts);
	asb_enc_u64(&x, e->bytes);
	asb_enc_i64(&x, e->added);
	asb_enc_i64(&x, e->last_try);
	asb_enc_i64(&x, e->next_try);
	asb_enc_i64(&x, e->done);
	asb_enc_u32(&x, (uint32_t)e->last_status);
	asb_enc_str(&x, e->last_error);
	return asb_enc_done(&x);
}

/*
 * The legacy struct ob_entry (x86-64): id[37] at 0, force[16] at 37, period[8] at 53,
 * sha256[65] at 61, state[16] at 126, outcome[24] at 142, int test at 168, uint32 attempts
 * at 172, uint64 bytes at 176, int64 added at 184, last_try at 192, next_try at 200, done at
 * 208, int last_status at 216, last_error[300] at 220, 520 in all.
 */
static int
dec_legacy(const unsigned char *p, struct ob_entry *e)
{
	if (asb_legacy_str(p + 0, 37, e->id, sizeof(e->id)) == -1 ||
	    asb_legacy_str(p + 37, 16, e->force, sizeof(e->force)) == -1 ||
	    asb_legacy_str(p + 53, 8, e->period, sizeof(e->period)) == -1 ||
	    asb_legacy_str(p + 61, 65, e->sha256, sizeof(e->sha256)) == -1 ||
	    asb_legacy_str(p + 126, 16, e->state, sizeof(e->state)) == -1 ||
	    asb_legacy_str(p + 142, 24, e->outcome, sizeof(e->outcome)) == -1 ||
	    asb_legacy_str(p + 220, 300, e->last_error, sizeof(e->last_error)) == -1)
		return -1;
	e->test = asb_legacy_u32(p + 168) != 0;
	e->attempts = asb_legacy_u32(p + 172);
	e->bytes = asb_legacy_u64(p + 176);
	e->added = (asb_time)asb_legacy_u64(p + 184);
	e->last_try = (asb_time)asb_legacy_u64(p + 192);
	e->next_try = (asb_time)asb_legacy_u64(p + 200);
	e->done = (asb_time)asb_legacy_u64(p + 208);
	e->last_status = (int)(int32_t)asb_legacy_u32(p + 216);
	return 0;
}

int
ob_dec_entry(const void *v, size_t n, const char *what, struct ob_entry *ret,
    struct asb_errbuf *eb)
{
	const unsigned char *p = v;
	struct ob_entry e;
	struct asb_dec d;
	int err;

	memset(&e, 0, sizeof(e));
	if (n == 0)
		return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: it is empty", what);
	if (p[0] > ASB_ENC_MAXVERSION) {
		if (n != OB_ENTRY_LEGACY_SIZE)
			return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: %zu bytes, "
			    "neither a versioned entry nor the size of an old one", what, n);
		if (dec_legacy(p, &e) == -1)
			return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: an old entry "
			    "whose text fields are not terminated", what);
		*ret = e;
		return ASB_OK;
	}
	if (p[0] != OB_ENTRY_V1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: entry of version %u, which this "
		    "build does not know (a newer release wrote it)", what, p[0]);
	asb_dec_init(&d, p + 1, n - 1);
	asb_dec_str(&d, "id", e.id, sizeof(e.id));
	asb_dec_str(&d, "force", e.force, sizeof(e.force));
	asb_dec_str(&d, "period", e.period, sizeof(e.period));
	asb_dec_str(&d, "sha256", e.sha256, sizeof(e.sha256));
	asb_dec_str(&d, "state", e.state, sizeof(e.state));
	asb_dec_str(&d, "outcome", e.outcome, sizeof(e.outcome));
	e.test = asb_dec_u8(&d, "test") != 0;
	e.attempts = asb_dec_u32(&d, "attempts");
	e.bytes = asb_dec_u64(&d, "bytes");
	e.added = asb_dec_i64(&d, "added");
	e.last_try = asb_dec_i64(&d, "last_try");
	e.next_try = asb_dec_i64(&d, "next_try");
	e.done = asb_dec_i64(&d, "done");
	e.last_status = (int)(int32_t)asb_dec_u32(&d, "last_status");
	asb_dec_str(&d, "last_error", e.last_error, sizeof(e.last_error));
	if ((err = asb_dec_done(&d, what, eb)) != ASB_OK)
		return err;
	*ret = e;
	return ASB_OK;
}
