/*
 * bytes.c - the explicit value encoding of bytes.h.
 */
#include <stdio.h>
#include <string.h>

#include "bytes.h"

void
asb_enc_init(struct asb_enc *e, unsigned char *buf, size_t cap)
{
	e->p = buf;
	e->len = 0;
	e->cap = cap;
	e->full = 0;
}

static void
put(struct asb_enc *e, const void *v, size_t n)
{
	if (e->full || e->cap - e->len < n) {
		e->full = 1;
		return;
	}
	if (n > 0)
		memcpy(e->p + e->len, v, n);
	e->len += n;
}

void
asb_enc_u8(struct asb_enc *e, unsigned v)
{
	unsigned char b = (unsigned char)v;

	put(e, &b, 1);
}

void
asb_enc_u32(struct asb_enc *e, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
	    (unsigned char)(v >> 8), (unsigned char)v };

	put(e, b, 4);
}

void
asb_enc_u64(struct asb_enc *e, uint64_t v)
{
	asb_enc_u32(e, (uint32_t)(v >> 32));
	asb_enc_u32(e, (uint32_t)v);
}

void
asb_enc_i64(struct asb_enc *e, int64_t v)
{
	asb_enc_u64(e, (uint64_t)v);
}

void
asb_enc_str(struct asb_enc *e, const char *s)
{
	size_t n = strlen(s);
	unsigned char b[2];

	if (n > 0xffff) {
		e->full = 1;
		return;
	}
	b[0] = (unsigned char)(n >> 8);
	b[1] = (unsigned char)n;
	put(e, b, 2);
	put(e, s, n);
}

size_t
asb_enc_done(const struct asb_enc *e)
{
	return e->full ? 0 : e->len;
}

void
asb_dec_init(struct asb_dec *d, const void *p, size_t len)
{
	d->p = p;
	d->len = len;
	d->off = 0;
	d->why[0] = '\0';
}

/* n bytes of the value, or NULL (the first failure kept) when fewer are left. */
static const unsigned char *
get(struct asb_dec *d, size_t n, const char *field)
{
	const unsigned char *p;

	if (d->why[0] != '\0')
		return NULL;
	if (d->len - d->off < n) {
		snprintf(d->why, sizeof(d->why), "it ends inside '%s' (%zu bytes left, "
		    "%zu wanted)", field, d->len - d->off, n);
		return NULL;
	}
	p = d->p + d->off;
	d->off += n;
	return p;
}

unsigned
asb_dec_u8(struct asb_dec *d, const char *field)
{
	const unsigned char *p = get(d, 1, field);

	return p != NULL ? *p : 0;
}

uint32_t
asb_dec_u32(struct asb_dec *d, const char *field)
{
	const unsigned char *p = get(d, 4, field);

	if (p == NULL)
		return 0;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t
asb_dec_u64(struct asb_dec *d, const char *field)
{
	uint64_t hi = asb_dec_u32(d, field);

	return hi << 32 | asb_dec_u32(d, field);
}

int64_t
asb_dec_i64(struct asb_dec *d, const char *field)
{
	return (int64_t)asb_dec_u64(d, field);
}

void
asb_dec_str(struct asb_dec *d, const char *field, char *buf, size_t cap)
{
	const unsigned char *p;
	size_t n;

	buf[0] = '\0';
	if ((p = get(d, 2, field)) == NULL)
		return;
	n = (size_t)p[0] << 8 | p[1];
	if (n >= cap) {
		snprintf(d->why, sizeof(d->why), "'%s' is %zu bytes, more than the %zu "
		    "it may hold", field, n, cap - 1);
		return;
	}
	if ((p = get(d, n, field)) == NULL)
		return;
	if (memchr(p, '\0', n) != NULL) {
		snprintf(d->why, sizeof(d->why), "'%s' holds a NUL byte", field);
		return;
	}
	memcpy(buf, p, n);
	buf[n] = '\0';
}

int
asb_dec_done(const struct asb_dec *d, const char *what, struct asb_errbuf *eb)
{
	if (d->why[0] != '\0')
		return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: %s", what, d->why);
	if (d->off != d->len)
		return asb_fail(eb, ASB_EIO, NULL, "%s: damaged value: %zu bytes left over "
		    "after its last field", what, d->len - d->off);
	return ASB_OK;
}

uint32_t
asb_legacy_u32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

uint64_t
asb_legacy_u64(const unsigned char *p)
{
	return (uint64_t)asb_legacy_u32(p + 4) << 32 | asb_legacy_u32(p);
}

int
asb_legacy_str(const unsigned char *p, size_t n, char *buf, size_t cap)
{
	const unsigned char *z = memchr(p, '\0', n);
	size_t len;

	if (z == NULL || (len = (size_t)(z - p)) >= cap) {
		buf[0] = '\0';
		return -1;
	}
	memcpy(buf, p, len);
	buf[len] = '\0';
	return 0;
}
