/*
 * bytes.h - the small explicit byte encoding the hub store and the force outbox use for
 * their LMDB values: a version byte first (chosen by the caller), then fields in a fixed
 * order - integers fixed-width big-endian, strings as a 16-bit big-endian length and their
 * bytes (no terminating NUL).  Never raw structs: a value must outlive the compiler's layout.
 *
 * Encoding writes into a caller's buffer and never past its cap: a value that does not fit
 * sets `full` and the caller sees asb_enc_done() return 0.  Decoding checks every length
 * against what is left of the value and against the field it fills; the first failure is
 * kept (its field name and why) and every later read returns zero or "", so a caller reads
 * all fields, then asks asb_dec_done() once.  Nothing here allocates.
 *
 * The legacy helpers read the raw structs written before these encodings existed (x86-64,
 * little-endian, the offsets each store documents), so that old stores still open.
 */
#ifndef ASB_BYTES_H
#define ASB_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Version bytes are 1..ASB_ENC_MAXVERSION.  Every legacy raw struct starts with a printable
 * character (a UUID's hex digit, a force code's letter), so a first byte in this range
 * tells an encoded value from a legacy one before its size is looked at. */
#define ASB_ENC_MAXVERSION	0x1f

struct asb_enc {
	unsigned char	*p;
	size_t		 len, cap;
	int		 full;
};

struct asb_dec {
	const unsigned char *p;
	size_t		 len, off;
	char		 why[160];	/* "" while all is well */
};

void	 asb_enc_init(struct asb_enc *e, unsigned char *buf, size_t cap);
void	 asb_enc_u8(struct asb_enc *e, unsigned v);
void	 asb_enc_u32(struct asb_enc *e, uint32_t v);
void	 asb_enc_u64(struct asb_enc *e, uint64_t v);
void	 asb_enc_i64(struct asb_enc *e, int64_t v);
/* A string of at most 65535 bytes; longer sets full. */
void	 asb_enc_str(struct asb_enc *e, const char *s);
/* The length written, or 0 when the value did not fit. */
size_t	 asb_enc_done(const struct asb_enc *e);

void	 asb_dec_init(struct asb_dec *d, const void *p, size_t len);
unsigned asb_dec_u8(struct asb_dec *d, const char *field);
uint32_t asb_dec_u32(struct asb_dec *d, const char *field);
uint64_t asb_dec_u64(struct asb_dec *d, const char *field);
int64_t	 asb_dec_i64(struct asb_dec *d, const char *field);
/* A string into buf (cap bytes, NUL-terminated): longer than cap - 1, or holding a NUL,
 * is a failure naming the field. */
void	 asb_dec_str(struct asb_dec *d, const char *field, char *buf, size_t cap);
/* ASB_OK when every field was read and nothing is left over; otherwise ASB_EIO with eb
 * saying "WHAT: damaged value: why". */
int	 asb_dec_done(const struct asb_dec *d, const char *what, struct asb_errbuf *eb);

/* Legacy raw structs: a little-endian integer at p, and a fixed char[n] field that must hold
 * a NUL (returns -1 when it does not, or when it does not fit cap). */
uint32_t asb_legacy_u32(const unsigned char *p);
uint64_t asb_legacy_u64(const unsigned char *p);
int	 asb_legacy_str(const unsigned char *p, size_t n, char *buf, size_t cap);

#endif
