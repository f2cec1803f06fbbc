/*
 * lookup.c - finding a subject the way an officer types them: the entries of the identity
 * database that 'find' and the close-match check read, beside the identity keys of subject.c.
 *
 * In DB_IX_IDENTITY, after the identity keys (which start with the subject's kind, 1 to 3),
 * entries starting with a zero byte, one per subject and value, so no scan of the subjects:
 *	0 'w' TEXT 0 ID(8)	TEXT is a compact name from each of its words on (names.h):
 *				"zoe anna lukasz" gives zoeannalukasz, annalukasz, lukasz; a
 *				PNC ID and a UPRN likewise.  'find' is a prefix walk over these.
 *	0 'b' DOB(4) ID(8)	a person's date of birth (the close-match check, 'find DATE'),
 *				its value the person's name as words (names.h), so the check
 *				compares names without reading the subjects or calling ICU.
 * Keys carry the ID, so the database needs no duplicates.  A 'w' entry's value is the ID (8),
 * the date of birth (4, 0 for premises and places) and 1 when TEXT is the whole name, so the
 * close-match check finds the same name with another date of birth in one walk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "internal.h"
#include "names.h"
#include "utf8.h"

#define WORD_MAX		64	/* bytes of a lookup text; a longer query is verified */
#define LOOKUP_MAX		24	/* lookup texts a subject has at most */
#define ERASED_NAME		"[erased]"	/* review.c's name for an erased identity */

struct texts {
	char	 t[LOOKUP_MAX][WORD_MAX + 1];
	int	 n;
	char	 words[ASB_MAX_NAME];	/* the name's */
};

static struct reg_names *
names_of(struct reg *r)
{
	if (r->names == NULL && reg_names_new(&r->names, NULL) != ASB_OK)
		r->names = NULL;
	return r->names;
}

static void
add_suffixes(struct texts *x, const char *words)
{
	const char *p = words;

	while (*p != '\0' && x->n < LOOKUP_MAX) {
		reg_name_compact(p, x->t[x->n], sizeof(x->t[x->n]));
		if (x->t[x->n][0] != '\0')
			x->n++;
		if ((p = strchr(p, ' ')) == NULL)
			break;
		p++;
	}
}

/* What a subject is found by. */
static void
lookup_texts(struct reg *r, const struct reg_subject *s, struct texts *x)
{
	char w[ASB_MAX_NAME];

	x->n = 0;
	reg_name_words(names_of(r), s->name, x->words, sizeof(x->words));
	add_suffixes(x, x->words);
	if (s->pnc[0] != '\0' && x->n < LOOKUP_MAX) {
		reg_name_words(NULL, s->pnc, w, sizeof(w));
		reg_name_compact(w, x->t[x->n], sizeof(x->t[x->n]));
		x->n += x->t[x->n][0] != '\0';
	}
	if (s->uprn[0] != '\0' && x->n < LOOKUP_MAX)
		snprintf(x->t[x->n++], WORD_MAX + 1, "%s", s->uprn);
}

static size_t
word_key(unsigned char *k, const char *text, uint64_t id)
{
	size_t l = strlen(text);

	k[0] = 0;
	k[1] = 'w';
	memcpy(k + 2, text, l);
	k[2 + l] = 0;
	reg_put_u64(k + 3 + l, id);
	return l + 11;
}

static size_t
dob_key(unsigned char *k, asb_day dob, uint64_t id)
{
	k[0] = 0;
	k[1] = 'b';
	k[2] = (unsigned char)(dob >> 24);
	k[3] = (unsigned char)(dob >> 16);
	k[4] = (unsigned char)(dob >> 8);
	k[5] = (unsigned char)dob;
	reg_put_u64(k + 6, id);
	return 14;
}

static int
put_del(struct reg *r, unsigned char *kb, size_t klen, const void *val, size_t vlen,
    int del, struct asb_errbuf *eb)
{
	MDB_val k = { klen, kb }, v = { vlen, (void *)val };
	int rc;

	rc = del ? mdb_del(r->txn, r->dbi[DB_IX_IDENTITY], &k, NULL) :
	    mdb_put(r->txn, r->dbi[DB_IX_IDENTITY], &k, &v, 0);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "subject lookup");
	return ASB_OK;
}

int
reg_subject_lookup_put(struct reg *r, const struct reg_subject *s, int del,
    struct asb_errbuf *eb)
{
	unsigned char kb[WORD_MAX + 16], val[13];
	struct texts x;
	int i, err;
	asb_day dob = s->kind == SCH_PERSON ? s->dob : 0;

	lookup_texts(r, s, &x);
	reg_put_u64(val, s->id);
	val[8] = (unsigned char)(dob >> 24);
	val[9] = (unsigned char)(dob >> 16);
	val[10] = (unsigned char)(dob >> 8);
	val[11] = (unsigned char)dob;
	for (i = 0; i < x.n; i++) {
		val[12] = i == 0 && x.words[0] != '\0';	/* the first is the whole name */
		if ((err = put_del(r, kb, word_key(kb, x.t[i], s->id), val, sizeof(val),
		    del, eb)) != ASB_OK)
			return err;
	}
	if (s->kind == SCH_PERSON && s->dob != 0)
		return put_del(r, kb, dob_key(kb, s->dob, s->id), x.words[0] != '\0' ?
		    x.words : "-", x.words[0] != '\0' ? strlen(x.words) : 1, del, eb);
	return ASB_OK;
}

/* ---- find ------------------------------------------------------------------------------ */

struct ids {
	uint64_t	*v;
	size_t		 n, cap;
};

static int
ids_add(struct ids *x, uint64_t id, struct asb_errbuf *eb)
{
	uint64_t *nv;

	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		if ((nv = realloc(x->v, x->cap * sizeof(*nv))) == NULL)
			return asb_fail(eb, ASB_EIO, NULL, "out of memory");
		x->v = nv;
	}
	x->v[x->n++] = id;
	return ASB_OK;
}

static int
id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many entries start with prefix, counting no further than cap. */
static size_t
count_prefix(struct reg *r, const unsigned char *prefix, size_t plen, size_t cap)
{
	MDB_cursor *c;
	MDB_val k, v;
	size_t n = 0;
	int rc;

	if (mdb_cursor_open(r->txn, r->dbi[DB_IX_IDENTITY], &c) != 0)
		return cap;
	k.mv_size = plen;
	k.mv_data = (void *)prefix;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0 && n < cap;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size < plen + 8 || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		n++;
	}
	mdb_cursor_close(c);
	return n;
}

/* Every subject with an entry starting with prefix (plen bytes, of the key). */
static int
walk_prefix(struct reg *r, const unsigned char *prefix, size_t plen, struct ids *out,
    struct asb_errbuf *eb)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc, err = ASB_OK;

	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_IDENTITY], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "subject lookup");
	k.mv_size = plen;
	k.mv_data = (void *)prefix;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size < plen + 8 || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		if ((err = ids_add(out, reg_get_u64((unsigned char *)k.mv_data +
		    k.mv_size - 8), eb)) != ASB_OK)
			break;
	}
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "subject lookup");
	mdb_cursor_close(c);
	return err;
}

static int
starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* Does a subject answer the query (its words, and their compact form)? */
static int
answers(struct reg *r, const struct reg_subject *s, const char *qwords, const char *qcompact)
{
	struct texts x;
	char buf[ASB_MAX_NAME], *w, *save;
	int i, all = 1, one;

	lookup_texts(r, s, &x);
	for (i = 0; i < x.n; i++)
		if (starts(x.t[i], qcompact) || (strlen(qcompact) > WORD_MAX &&
		    strlen(x.t[i]) == WORD_MAX && starts(qcompact, x.t[i])))
			return 1;
	snprintf(buf, sizeof(buf), "%s", qwords);
	for (w = strtok_r(buf, " ", &save); w != NULL && all; w = strtok_r(NULL, " ", &save)) {
		for (one = 0, i = 0; i < x.n && !one; i++)
			one = starts(x.t[i], w);
		all = one;
	}
	return all;
}

int
reg_subject_find(struct reg *r, const char *text,
    int (*fn)(const struct reg_subject *, void *), void *ctx,
    struct asb_errbuf *eb)
{
	char qw[ASB_MAX_NAME], qc[ASB_MAX_NAME], longest[WORD_MAX + 1] = "";
	unsigned char kb[WORD_MAX + 16];
	struct reg_subject s;
	struct ids ids = { NULL, 0, 0 };
	const char *p, *why;
	asb_day dob;
	size_t i, l, best = 4096;	/* entries counted a word at most */
	int err = ASB_OK, by_dob;

	if (utf8_check(text, UTF8_LINE, NULL, &why) == -1)
		return asb_fail(eb, ASB_EUSAGE, NULL, "the text to find %s", why);
	by_dob = asb_day_parse(text, &dob) == 0;
	if (by_dob) {
		dob_key(kb, dob, 0);
		err = walk_prefix(r, kb, 6, &ids, eb);
	} else {
		reg_name_words(names_of(r), text, qw, sizeof(qw));
		reg_name_compact(qw, qc, sizeof(qc));
		if (qc[0] == '\0')
			return ASB_OK;	/* nothing findable: only spaces or punctuation */
		l = word_key(kb, "", 0) - 9;
		memcpy(kb + l, qc, strlen(qc) < WORD_MAX ? strlen(qc) : WORD_MAX);
		err = walk_prefix(r, kb, l + (strlen(qc) < WORD_MAX ? strlen(qc) : WORD_MAX),
		    &ids, eb);
		/* "lukasz zoe": a word finds what the compact form cannot; the rarest
		 * word, so "alex smith 123" reads the few 123s, not every Smith */
		for (p = qw; err == ASB_OK && strchr(qw, ' ') != NULL && p != NULL;
		    p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL) {
			size_t wl = strcspn(p, " "), cnt;

			if (wl > WORD_MAX)
				continue;
			memcpy(kb + l, p, wl);
			cnt = count_prefix(r, kb, l + wl, best);
			if (cnt < best || longest[0] == '\0') {
				best = cnt;
				memcpy(longest, p, wl);
				longest[wl] = '\0';
			}
		}
		if (err == ASB_OK && longest[0] != '\0') {
			memcpy(kb + l, longest, strlen(longest));
			err = walk_prefix(r, kb, l + strlen(longest), &ids, eb);
		}
	}
	if (err == ASB_OK && ids.n > 0)
		qsort(ids.v, ids.n, sizeof(*ids.v), id_cmp);
	for (i = 0; err == ASB_OK && i < ids.n; i++) {
		if (i > 0 && ids.v[i] == ids.v[i - 1])
			continue;
		if ((err = reg_subject_get(r, ids.v[i], &s, eb)) != ASB_OK)
			break;
		if (by_dob ? s.dob != dob : !answers(r, &s, qw, qc))
			continue;	/* an entry out of step with its subject */
		if (fn(&s, ctx) != 0)
			break;
	}
	free(ids.v);
	return err;
}

/* ---- close matches ------------------------------------------------------------------- */

static int
close_add(uint64_t id, uint64_t *ret, size_t max, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (ret[i] == id)
			return 0;
	if (*n < max)
		ret[(*n)++] = id;
	return 0;
}

/* Is b a of one typo: one digit changed, or day and month swapped? */
static int
dob_typo(asb_day a, asb_day b)
{
	int i, diff = 0;
	asb_day x = a, y = b;

	if (a == b || a == 0 || b == 0)
		return 0;
	if (a / 10000 == b / 10000 && a % 100 == b / 100 % 100 && a / 100 % 100 == b % 100)
		return 1;
	for (i = 0; i < 8; i++, x /= 10, y /= 10)
		diff += x % 10 != y % 10;
	return diff == 1;
}

int
reg_subject_close(struct reg *r, const struct reg_subject *s, uint64_t *ret, size_t max,
    size_t *ret_n, struct asb_errbuf *eb)
{
	char w[ASB_MAX_NAME], ow[ASB_MAX_NAME], cw[ASB_MAX_NAME];
	unsigned char kb[IDENTITY_MAX + 16];
	MDB_cursor *c;
	MDB_val k, v;
	size_t n = 0, l;
	int rc;

	*ret_n = 0;
	if (s->kind != SCH_PERSON || s->dob == 0)
		return ASB_OK;
	reg_name_words(names_of(r), s->name, w, sizeof(w));
	/* the same date of birth and a similar name: the entries hold the names */
	dob_key(kb, s->dob, 0);
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_IDENTITY], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "subject lookup");
	k.mv_size = 6;
	k.mv_data = kb;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 14 || memcmp(k.mv_data, kb, 6) != 0)
			break;
		if (v.mv_size >= sizeof(ow))
			continue;
		memcpy(ow, v.mv_data, v.mv_size);
		ow[v.mv_size] = '\0';
		if (reg_name_close(w, ow))
			close_add(reg_get_u64((unsigned char *)k.mv_data + 6), ret, max, &n);
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "subject lookup");
	/* the same name and a date of birth one typo away: the whole-name entries */
	reg_name_compact(w, cw, sizeof(cw));
	cw[WORD_MAX] = '\0';	/* as the entries cut it */
	if (cw[0] == '\0')
		goto out;
	l = word_key(kb, cw, 0) - 8;	/* through the text's terminating zero */
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_IDENTITY], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "subject lookup");
	k.mv_size = l;
	k.mv_data = kb;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		const unsigned char *p = v.mv_data;

		if (k.mv_size != l + 8 || memcmp(k.mv_data, kb, l) != 0)
			break;
		if (v.mv_size != 13 || p[12] != 1)
			continue;	/* the end of a longer name */
		if (dob_typo(s->dob, (asb_day)((uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 |
		    (uint32_t)p[10] << 8 | p[11])))
			close_add(reg_get_u64(p), ret, max, &n);
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "subject lookup");
out:
	*ret_n = n;
	return ASB_OK;
}

/* ---- the index's layout, upgraded ------------------------------------------------------- */

static int
rebuild(struct reg *r, struct asb_errbuf *eb)
{
	struct reg_subject s;
	MDB_cursor *c;
	MDB_val k, v;
	int rc, err = ASB_OK;

	if ((rc = mdb_drop(r->txn, r->dbi[DB_IX_IDENTITY], 0)) != 0)
		return reg_lmdb_fail(eb, rc, "identity index");
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_SUBJECTS], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "subjects");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (reg_dec_subject(v.mv_data, v.mv_size, &s) == -1) {
			err = asb_fail(eb, ASB_EIO, NULL, "stored subject is damaged");
			break;
		}
		s.id = reg_key_id(&k);
		if (strcmp(s.name, ERASED_NAME) == 0)
			continue;	/* its identity went at its disposal */
		if ((err = reg_subject_identity_put(r, &s, 0, eb)) != ASB_OK)
			break;
	}
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "subjects");
	mdb_cursor_close(c);
	if (err == ASB_OK)
		err = reg_meta_put_str(r, "identity.format", REG_IDENTITY_FORMAT, eb);
	return err;
}

int
reg_subject_index_upgrade(struct reg *r, struct asb_errbuf *eb)
{
	char fmt[16];
	int err, pass;

	for (pass = 0; pass < 2; pass++) {
		/* a read first: almost always the layout is current, and nothing is written */
		if ((err = reg_begin(r, pass, eb)) != ASB_OK)
			return err;
		err = reg_meta_get_str(r, "identity.format", fmt, sizeof(fmt), eb);
		if (err == ASB_OK && strcmp(fmt, REG_IDENTITY_FORMAT) == 0) {
			reg_abort(r);
			return ASB_OK;
		}
		if (err != ASB_OK && err != ASB_ENOTFOUND) {
			reg_abort(r);
			return err;
		}
		if (pass == 0)
			reg_abort(r);
	}
	if ((err = rebuild(r, eb)) != ASB_OK) {
		reg_abort(r);
		return err;
	}
	return reg_commit(r, eb);
}
