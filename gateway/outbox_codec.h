/*
 * outbox_codec.h - the byte format of the outbox's "entries" values (outbox.c).  Internal
 * to the gateway; exposed for outbox.c and the tests.
 *
 *   entries v1: 0x01, id, force, period, sha256, state, outcome (strings), test (u8 0/1),
 *               attempts (u32), bytes (u64), added, last_try, next_try, done (i64),
 *               last_status (i32 as u32), last_error (string)
 * in common/bytes.h's encoding (big-endian integers, 16-bit string lengths).  "bodies" and
 * "answers" hold the signed return and the hub's answer byte for byte: they are hashed and
 * verified as they are, so they carry no header.
 *
 * An outbox written before this format holds raw struct ob_entry values of the x86-64
 * build: 520 bytes beginning with the return ID's first hex digit.  A value of exactly that
 * size whose first byte is not a version byte (1..ASB_ENC_MAXVERSION) is read from the
 * offsets in outbox_codec.c; every write is v1, so an entry is converted at its next state
 * change.  Anything else is a damaged value: an error, never a guess.
 */
#ifndef OUTBOX_CODEC_H
#define OUTBOX_CODEC_H

#include <stddef.h>

#include "err.h"
#include "outbox.h"

#define OB_ENTRY_V1		1
#define OB_ENTRY_ENC_MAX	640
#define OB_ENTRY_LEGACY_SIZE	520

/* The length written, or 0 when cap is too small. */
size_t	 ob_enc_entry(const struct ob_entry *e, unsigned char *buf, size_t cap);
/* ASB_OK, or ASB_EIO with eb saying what of `what` is damaged; *ret untouched on failure. */
int	 ob_dec_entry(const void *p, size_t n, const char *what, struct ob_entry *ret,
	    struct asb_errbuf *eb);

#endif
