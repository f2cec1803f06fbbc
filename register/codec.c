/*
 * codec.c - the register's byte format.  Each value starts with a version byte, then its
 * fields in a fixed order: integers as LEB128 varints (times zig-zagged first, so a negative
 * one stays short), strings as a varint length and their bytes.  Compact values put more
 * records on a page, which is what random reads pay for: at a million records the record
 * tree outgrows the CPU caches, and every page not needed is a cache miss not taken.  Decoding checks every length against the buffer and the field, so a damaged
 * value is refused rather than read past its end.  Never raw structs: the format outlives the
 * compiler's layout.
 */
#include <string.h>

#include "codes.h"
#include "internal.h"

#define CODEC_V1	1
#define CODEC_V2	2	/* subjects: V1 plus a processing restriction; audit entries:
				 * V1 plus their whole ID set's size and digest; records: V1
				 * plus the schema 1.1 details; events: V1 plus who decided
				 * and who applied */
#define CODEC_V3	3	/* subjects: V2 plus a body's company number */

/* Record details (V2): a flags byte, then the dispersal direction's record. */
#define REC_INTERIM		0x01
#define REC_WITHOUT_NOTICE	0x02
#define REC_PARTIAL		0x04

/*
 * A value without the newer fields is written in the older version, byte for byte as before,
 * so a register that never uses them stays as it was; a reader of this release reads both.
 */

struct enc {
	unsigned char	*p;
	size_t		 len, cap;
	int		 full;
};

struct dec {
	const unsigned char *p;
	size_t		 len, off;
	int		 bad;
};

static void
put(struct enc *e, const void *v, size_t n)
{
	if (e->full || e->cap - e->len < n) {
		e->full = 1;
		return;
	}
	memcpy(e->p + e->len, v, n);
	e->len += n;
}

static void
put_u8(struct enc *e, unsigned v)
{
	unsigned char b = (unsigned char)v;

	put(e, &b, 1);
}

static void
put_u64(struct enc *e, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			b[n] |= 0x80;
		n++;
	} while (v != 0);
	put(e, b, n);
}

/* Times and other signed values: zig-zag, so small magnitudes stay short either side of 0. */
static void
put_i64(struct enc *e, int64_t v)
{
	put_u64(e, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void
put_str(struct enc *e, const char *s)
{
	size_t n = strlen(s);

	put_u64(e, n);
	put(e, s, n);
}

static const unsigned char *
get(struct dec *d, size_t n)
{
	const unsigned char *p;

	if (d->bad || d->len - d->off < n) {
		d->bad = 1;
		return NULL;
	}
	p = d->p + d->off;
	d->off += n;
	return p;
}

static unsigned
get_u8(struct dec *d)
{
	const unsigned char *p = get(d, 1);

	return p != NULL ? *p : 0;
}

static uint64_t
get_u64(struct dec *d)
{
	const unsigned char *p = d->p + d->off, *end = d->p + d->len;
	uint64_t v = 0;
	unsigned shift = 0;

	/* Every field of every record read passes here: one tight loop, bounds checked. */
	while (!d->bad && p < end && shift <= 63) {
		v |= (uint64_t)(*p & 0x7f) << shift;
		if ((*p++ & 0x80) == 0) {
			d->off = (size_t)(p - d->p);
			return v;
		}
		shift += 7;
	}
	d->bad = 1;
	return 0;
}

static int64_t
get_i64(struct dec *d)
{
	uint64_t u = get_u64(d);

	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* Copy a string into a field of size cap, refusing one that does not fit its field. */
static void
get_str(struct dec *d, char *dst, size_t cap)
{
	uint64_t n = get_u64(d);
	const unsigned char *p;

	/* A NUL inside would only cut the string short; the bounds are what matter. */
	if (d->bad || n >= cap || (p = get(d, (size_t)n)) == NULL) {
		d->bad = 1;
		dst[0] = '\0';
		return;
	}
	memcpy(dst, p, (size_t)n);
	dst[n] = '\0';
}

static int
dec_end(struct dec *d)
{
	return d->bad || d->off != d->len ? -1 : 0;
}

size_t
reg_enc_subject(const struct reg_subject *s, unsigned char *buf, size_t cap)
{
	struct enc e = { buf, 0, cap, 0 };

	put_u8(&e, s->company[0] != '\0' ? CODEC_V3 : CODEC_V2);
	put_u64(&e, s->id);
	put_u8(&e, (unsigned)s->kind);
	put_str(&e, s->name);
	put_u64(&e, (uint64_t)(uint32_t)s->dob);
	put_str(&e, s->sex);
	put_str(&e, s->ethnicity);
	put_str(&e, s->pnc);
	put_str(&e, s->uprn);
	put_str(&e, s->lsoa);
	put_str(&e, s->lad);
	put_i64(&e, s->created);
	put_i64(&e, s->restricted);
	put_str(&e, s->restrict_reason);
	if (s->company[0] != '\0')
		put_str(&e, s->company);
	return e.full ? 0 : e.len;
}

int
reg_dec_subject(const unsigned char *p, size_t n, struct reg_subject *s)
{
	struct dec d = { p, n, 0, 0 };
	unsigned version;

	memset(s, 0, sizeof(*s));
	if ((version = get_u8(&d)) != CODEC_V1 && version != CODEC_V2 &&
	    version != CODEC_V3)
		return -1;
	s->id = get_u64(&d);
	s->kind = (int)get_u8(&d);
	get_str(&d, s->name, sizeof(s->name));
	s->dob = (asb_day)get_u64(&d);
	get_str(&d, s->sex, sizeof(s->sex));
	get_str(&d, s->ethnicity, sizeof(s->ethnicity));
	get_str(&d, s->pnc, sizeof(s->pnc));
	get_str(&d, s->uprn, sizeof(s->uprn));
	get_str(&d, s->lsoa, sizeof(s->lsoa));
	get_str(&d, s->lad, sizeof(s->lad));
	s->created = get_i64(&d);
	if (version >= CODEC_V2) {
		s->restricted = get_i64(&d);
		get_str(&d, s->restrict_reason, sizeof(s->restrict_reason));
	}
	if (version == CODEC_V3)
		get_str(&d, s->company, sizeof(s->company));
	return dec_end(&d);
}

size_t
reg_enc_record(const struct reg_record *rec, unsigned char *buf, size_t cap)
{
	struct enc e = { buf, 0, cap, 0 };
	unsigned flags = (rec->interim ? REC_INTERIM : 0) |
	    (rec->without_notice ? REC_WITHOUT_NOTICE : 0) |
	    (rec->partial ? REC_PARTIAL : 0);
	/* A dispersal direction stored now is version 2 even with nothing to say, so that
	 * "no area given" is told apart from "stored before the area could be". */
	int v2 = flags != 0 || rec->area[0] != '\0' || rec->leave_by != 0 ||
	    rec->removed_to[0] != '\0' || rec->surrendered[0] != '\0' ||
	    (rec->details && rec->power == SCH_DISP_DIR);

	put_u8(&e, v2 ? CODEC_V2 : CODEC_V1);
	put_u8(&e, (unsigned)rec->power);
	put_u64(&e, rec->subject);
	put_u64(&e, rec->link);
	put_i64(&e, rec->issued);
	put_i64(&e, rec->served);
	put_i64(&e, rec->expires);
	put_u8(&e, (unsigned)rec->agency);
	put_str(&e, rec->by);
	put_str(&e, rec->authorised_by);
	put_str(&e, rec->rank);
	put_str(&e, rec->lsoa);
	put_str(&e, rec->lad);
	put_str(&e, rec->incident);
	put_str(&e, rec->ref);
	put_str(&e, rec->conditions);
	put_i64(&e, rec->created);
	put_str(&e, rec->created_by);
	if (v2) {
		put_u8(&e, flags);
		put_str(&e, rec->area);
		put_i64(&e, rec->leave_by);
		put_str(&e, rec->removed_to);
		put_str(&e, rec->surrendered);
	}
	return e.full ? 0 : e.len;
}

int
reg_dec_record(const unsigned char *p, size_t n, struct reg_record *rec)
{
	struct dec d = { p, n, 0, 0 };
	unsigned version, flags;

	if ((version = get_u8(&d)) != CODEC_V1 && version != CODEC_V2)
		return -1;
	rec->power = (int)get_u8(&d);
	rec->subject = get_u64(&d);
	rec->link = get_u64(&d);
	rec->issued = get_i64(&d);
	rec->served = get_i64(&d);
	rec->expires = get_i64(&d);
	rec->agency = (int)get_u8(&d);
	get_str(&d, rec->by, sizeof(rec->by));
	get_str(&d, rec->authorised_by, sizeof(rec->authorised_by));
	get_str(&d, rec->rank, sizeof(rec->rank));
	get_str(&d, rec->lsoa, sizeof(rec->lsoa));
	get_str(&d, rec->lad, sizeof(rec->lad));
	get_str(&d, rec->incident, sizeof(rec->incident));
	get_str(&d, rec->ref, sizeof(rec->ref));
	get_str(&d, rec->conditions, sizeof(rec->conditions));
	rec->created = get_i64(&d);
	get_str(&d, rec->created_by, sizeof(rec->created_by));
	rec->area[0] = rec->removed_to[0] = rec->surrendered[0] = '\0';
	rec->leave_by = 0;
	flags = 0;
	if (version == CODEC_V2) {
		flags = get_u8(&d);
		get_str(&d, rec->area, sizeof(rec->area));
		rec->leave_by = get_i64(&d);
		get_str(&d, rec->removed_to, sizeof(rec->removed_to));
		get_str(&d, rec->surrendered, sizeof(rec->surrendered));
		if (flags & ~(unsigned)(REC_INTERIM | REC_WITHOUT_NOTICE | REC_PARTIAL))
			d.bad = 1;	/* a flag this release does not know */
	}
	rec->details = version == CODEC_V2;
	rec->interim = (flags & REC_INTERIM) != 0;
	rec->without_notice = (flags & REC_WITHOUT_NOTICE) != 0;
	rec->partial = (flags & REC_PARTIAL) != 0;
	return dec_end(&d);
}

size_t
reg_enc_event(const struct reg_event *ev, unsigned char *buf, size_t cap)
{
	struct enc e = { buf, 0, cap, 0 };
	int v2 = ev->decided_by[0] != '\0' || ev->applicant[0] != '\0';

	put_u8(&e, v2 ? CODEC_V2 : CODEC_V1);
	put_u64(&e, ev->record);
	put_u64(&e, ev->seq);
	put_u8(&e, (unsigned)ev->kind);
	put_i64(&e, ev->date);
	put_i64(&e, ev->until);
	put_i64(&e, ev->amount);
	put_str(&e, ev->outcome);
	put_str(&e, ev->rank);
	put_str(&e, ev->by);
	put_str(&e, ev->note);
	put_i64(&e, ev->created);
	put_str(&e, ev->created_by);
	if (v2) {
		put_str(&e, ev->decided_by);
		put_str(&e, ev->applicant);
	}
	return e.full ? 0 : e.len;
}

int
reg_dec_event(const unsigned char *p, size_t n, struct reg_event *ev)
{
	struct dec d = { p, n, 0, 0 };
	unsigned version;

	if ((version = get_u8(&d)) != CODEC_V1 && version != CODEC_V2)
		return -1;
	ev->record = get_u64(&d);
	ev->seq = (uint32_t)get_u64(&d);
	ev->kind = (int)get_u8(&d);
	ev->date = get_i64(&d);
	ev->until = get_i64(&d);
	ev->amount = get_i64(&d);
	get_str(&d, ev->outcome, sizeof(ev->outcome));
	get_str(&d, ev->rank, sizeof(ev->rank));
	get_str(&d, ev->by, sizeof(ev->by));
	get_str(&d, ev->note, sizeof(ev->note));
	ev->created = get_i64(&d);
	get_str(&d, ev->created_by, sizeof(ev->created_by));
	ev->decided_by[0] = ev->applicant[0] = '\0';
	if (version == CODEC_V2) {
		get_str(&d, ev->decided_by, sizeof(ev->decided_by));
		get_str(&d, ev->applicant, sizeof(ev->applicant));
	}
	return dec_end(&d);
}

/* Audit entries: V1 (format 1) named at most 32 IDs in text; V2 adds the size and SHA-256 of
 * the entry's whole ID set.  An entry is re-encoded in its own version, byte for byte, so a
 * chain that mixes both still verifies. */
size_t
reg_enc_audit(const struct reg_audit *a, unsigned char *buf, size_t cap)
{
	struct enc e = { buf, 0, cap, 0 };
	int v2 = a->format != 1;

	put_u8(&e, v2 ? CODEC_V2 : CODEC_V1);
	put_u64(&e, a->seq);
	put_i64(&e, a->time);
	put_u8(&e, (unsigned)a->op);
	put_str(&e, a->user);
	put_str(&e, a->command);
	put_str(&e, a->ids);
	put_u64(&e, a->count);
	put_str(&e, a->reason);
	if (v2) {
		put_u64(&e, a->nids);
		put(&e, a->ids_hash, 32);
	}
	put(&e, a->prev, 32);
	put(&e, a->hash, 32);
	return e.full ? 0 : e.len;
}

int
reg_dec_audit(const unsigned char *p, size_t n, struct reg_audit *a)
{
	struct dec d = { p, n, 0, 0 };
	const unsigned char *h;
	unsigned v;

	memset(a, 0, sizeof(*a));
	if ((v = get_u8(&d)) != CODEC_V1 && v != CODEC_V2)
		return -1;
	a->format = v == CODEC_V1 ? 1 : 2;
	a->seq = get_u64(&d);
	a->time = get_i64(&d);
	a->op = (int)get_u8(&d);
	get_str(&d, a->user, sizeof(a->user));
	get_str(&d, a->command, sizeof(a->command));
	get_str(&d, a->ids, sizeof(a->ids));
	a->count = get_u64(&d);
	get_str(&d, a->reason, sizeof(a->reason));
	if (v == CODEC_V2) {
		a->nids = get_u64(&d);
		if ((h = get(&d, 32)) != NULL)
			memcpy(a->ids_hash, h, 32);
	}
	if ((h = get(&d, 32)) != NULL)
		memcpy(a->prev, h, 32);
	if ((h = get(&d, 32)) != NULL)
		memcpy(a->hash, h, 32);
	return dec_end(&d);
}

/* Void entries (V1): the record, when, by whom, why. */
size_t
reg_enc_void(const struct reg_void *vd, unsigned char *buf, size_t cap)
{
	struct enc e = { buf, 0, cap, 0 };

	put_u8(&e, CODEC_V1);
	put_u64(&e, vd->record);
	put_i64(&e, vd->time);
	put_str(&e, vd->user);
	put_str(&e, vd->reason);
	return e.full ? 0 : e.len;
}

int
reg_dec_void(const unsigned char *p, size_t n, struct reg_void *vd)
{
	struct dec d = { p, n, 0, 0 };

	memset(vd, 0, sizeof(*vd));
	if (get_u8(&d) != CODEC_V1)
		return -1;
	vd->record = get_u64(&d);
	vd->time = get_i64(&d);
	get_str(&d, vd->user, sizeof(vd->user));
	get_str(&d, vd->reason, sizeof(vd->reason));
	return dec_end(&d);
}

/* Merge entries (V1): the duplicate, the subject kept, when, by whom, why, records moved. */
size_t
reg_enc_merge(const struct reg_merge *m, unsigned char *buf, size_t cap)
{
	struct enc e = { buf, 0, cap, 0 };

	put_u8(&e, CODEC_V1);
	put_u64(&e, m->duplicate);
	put_u64(&e, m->keep);
	put_i64(&e, m->time);
	put_str(&e, m->user);
	put_str(&e, m->reason);
	put_u64(&e, m->records);
	return e.full ? 0 : e.len;
}

int
reg_dec_merge(const unsigned char *p, size_t n, struct reg_merge *m)
{
	struct dec d = { p, n, 0, 0 };

	memset(m, 0, sizeof(*m));
	if (get_u8(&d) != CODEC_V1)
		return -1;
	m->duplicate = get_u64(&d);
	m->keep = get_u64(&d);
	m->time = get_i64(&d);
	get_str(&d, m->user, sizeof(m->user));
	get_str(&d, m->reason, sizeof(m->reason));
	m->records = get_u64(&d);
	return dec_end(&d);
}
