/*
 * store_codec.h - the byte format of every value the hub store (store.c) writes to LMDB.
 * Internal to the hub; exposed for store.c and the tests.
 *
 * Each value is common/bytes.h's encoding: a version byte, then its fields in the order
 * below, integers fixed-width big-endian, strings a 16-bit length and their bytes.
 *
 *   returns  v1: 0x01, id, force, period, supersedes, sha256, state, signer (strings),
 *                test (u8 0/1), bytes (u64), records (u64), errors (u32), warnings (u32),
 *                received (i64), decided (i64)
 *   certs    v1: 0x01, code, fingerprint, not_after (strings), added (i64), revoked (i64)
 *   tlscerts v1: as certs v1 (the same encoder and decoder; added 0 for a certificate
 *                revoked without being registered).  No legacy form: the registry is newer
 *                than the encoding.
 *   latest   v1: 0x01, return id (string)
 *   bodies, receipts: the exact bytes received and signed - they are the protocol's own
 *                bytes (hashed, signed, sent back byte for byte), so they carry no header.
 *
 * Stores written before this format (raw structs of the x86-64 build, little-endian) are
 * read as they are: a value whose first byte is not a version byte (1..ASB_ENC_MAXVERSION;
 * every legacy value begins with a UUID's hex digit or a force code's letter) and whose size
 * is exactly the legacy struct's (returns 296 bytes, certs 136, latest 36) is decoded from
 * the fixed offsets in store_codec.c.  Anything else is a damaged value: an error naming it,
 * never a guess.  Every write uses the current version, so a legacy value is replaced the
 * first time it changes (a revoked certificate, say); nothing else rewrites it.
 *
 * To add a value (the facts of a return, say): give it a named database in store.c, a
 * version constant and an encoder/decoder pair here, and a round-trip and a damaged-value
 * case in tests/check_protocol.c.  A new version of an existing value keeps the decoder of
 * the old one.
 */
#ifndef HUB_STORE_CODEC_H
#define HUB_STORE_CODEC_H

#include <stddef.h>

#include "err.h"
#include "store.h"

#define HUB_RETURN_V1	1
#define HUB_CERT_V1	1
#define HUB_LATEST_V1	1

/* The largest encoded value of each kind (every string at its cap), for buffers. */
#define HUB_RETURN_ENC_MAX	512
#define HUB_CERT_ENC_MAX	192
#define HUB_LATEST_ENC_MAX	48

/* The sizes of the legacy raw structs. */
#define HUB_RETURN_LEGACY_SIZE	296
#define HUB_CERT_LEGACY_SIZE	136
#define HUB_LATEST_LEGACY_SIZE	36

/* Encoders: the length written, 0 when cap is too small or a string too long for its
 * field. */
size_t	 hub_enc_return(const struct hub_return *r, unsigned char *buf, size_t cap);
size_t	 hub_enc_cert(const struct hub_cert *c, unsigned char *buf, size_t cap);
size_t	 hub_enc_latest(const char *id, unsigned char *buf, size_t cap);

/* Decoders, current or legacy: ASB_OK, or ASB_EIO with eb naming `what` (the key, say) and
 * the damage; *ret is untouched on failure.  hub_return.latest is not stored: it is 0. */
int	 hub_dec_return(const void *p, size_t n, const char *what, struct hub_return *ret,
	    struct asb_errbuf *eb);
int	 hub_dec_cert(const void *p, size_t n, const char *what, struct hub_cert *ret,
	    struct asb_errbuf *eb);
int	 hub_dec_latest(const void *p, size_t n, const char *what, char ret[37],
	    struct asb_errbuf *eb);

#endif
