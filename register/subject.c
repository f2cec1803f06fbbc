/*
 * subject.c - people, premises and places.  Each subject is stored once: its identity keys
 * (PNC ID; name and date of birth; UPRN; address; place description and LSOA) are indexed so a
 * second registration of the same subject is refused and repeats are counted on one ID.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "internal.h"
#include "names.h"
#include "num.h"


/* The register's name normaliser, opened on first use; NULL (ASCII folding only) when ICU
 * cannot be opened, which reg_subject_index_upgrade refuses first. */
static struct reg_names *
names_of(struct reg *r)
{
	if (r->names == NULL && reg_names_new(&r->names, NULL) != ASB_OK)
		r->names = NULL;
	return r->names;
}

/* key = a + b + c, cut to fit (parts are bounded well below IDENTITY_MAX anyway). */
static void
join3(char *key, const char *a, const char *b, const char *c)
{
	size_t n = 0, l;
	const char *parts[3] = { a, b, c };
	int i;

	for (i = 0; i < 3; i++) {
		l = strlen(parts[i]);
		if (l > IDENTITY_MAX - 1 - n)
			l = IDENTITY_MAX - 1 - n;
		memcpy(key + n, parts[i], l);
		n += l;
	}
	key[n] = '\0';
}

/* |YYYYMMDD, written without printf */
static void
day_text(asb_day d, char day[12])
{
	int i;

	day[0] = '|';
	for (i = 8; i >= 1; i--, d /= 10)
		day[i] = (char)('0' + d % 10);
	day[9] = '\0';
}

void
reg_person_key(const char *compact, asb_day dob, char key[IDENTITY_MAX])
{
	char day[12];

	day_text(dob, day);
	join3(key, "p:", compact, day);
}

/* The identity keys of a subject: up to two.  Built by hand: this runs for every imported
 * row, and formatting them with snprintf cost a tenth of the import.  A name is compared in
 * its compact form (names.h), so case, accents, apostrophes, hyphens and spacing do not
 * make a second person. */
int
reg_subject_identities(struct reg *r, const struct reg_subject *s,
    char keys[2][IDENTITY_MAX])
{
	char words[IDENTITY_MAX - 40], norm[IDENTITY_MAX - 40];
	int n = 0;

	reg_name_words(names_of(r), s->name, words, sizeof(words));
	reg_name_compact(words, norm, sizeof(norm));
	switch (s->kind) {
	case SCH_PERSON:
		reg_person_key(norm, s->dob, keys[n++]);
		if (s->pnc[0] != '\0')
			join3(keys[n++], "pnc:", s->pnc, "");
		break;
	case SCH_PREMISES:
		join3(keys[n++], "a:", norm, "");
		if (s->uprn[0] != '\0')
			join3(keys[n++], "uprn:", s->uprn, "");
		break;
	default:
		join3(keys[n++], "d:", norm, "|");
		memcpy(keys[n - 1] + strlen(keys[n - 1]), s->lsoa,
		    strlen(s->lsoa) + 1);
		break;
	}
	return n;
}

static int
check_fields(const struct reg_subject *s, asb_time now, struct asb_errbuf *eb)
{
	size_t i;

	if (s->kind < SCH_PERSON || s->kind > SCH_PLACE)
		return asb_fail(eb, ASB_EUSAGE, NULL, "unknown subject kind");
	if (s->name[0] == '\0')
		return asb_fail(eb, ASB_EUSAGE, NULL, s->kind == SCH_PERSON ?
		    "a person needs --name" : s->kind == SCH_PREMISES ?
		    "premises need --address" : "a place needs --description");
	if (s->kind == SCH_PERSON && s->dob == 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "a person needs --dob "
		    "YYYY-MM-DD");
	/* 1900 on is asb_day_parse's; the future needs the time of the command */
	if (s->kind == SCH_PERSON && now != 0 && s->dob > asb_time_day(now))
		return asb_fail(eb, ASB_EUSAGE, NULL, "dob: a date of birth in the future");
	if (s->sex[0] != '\0' && sch_code_index(SCH_LIST_SEX, s->sex) < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "sex must be F, M or X");
	if (s->ethnicity[0] != '\0' &&
	    sch_code_index(SCH_LIST_ETHNICITY, s->ethnicity) < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "ethnicity must be a "
		    "self-defined 18+1 code (see 'asbreg codes ethnicity')");
	if (s->lsoa[0] != '\0' && !sch_lsoa_valid(s->lsoa))
		return asb_fail(eb, ASB_EUSAGE, NULL, "LSOA must be E01 or W01 "
		    "and six digits");
	if (s->lad[0] != '\0' && !sch_lad_valid(s->lad))
		return asb_fail(eb, ASB_EUSAGE, NULL, "local authority must be "
		    "E06, E07, E08, E09 or W06 and six digits");
	for (i = 0; s->uprn[i] != '\0'; i++)
		if (!isdigit((unsigned char)s->uprn[i]) || i >= 12)
			return asb_fail(eb, ASB_EUSAGE, NULL, "UPRN must be "
			    "1 to 12 digits");
	return ASB_OK;
}

int
reg_subject_match(struct reg *r, const struct reg_subject *s, uint64_t *ret_id,
    struct asb_errbuf *eb)
{
	char keys[2][IDENTITY_MAX];
	unsigned char kb[IDENTITY_MAX + 1];
	MDB_val k, v;
	int i, n, rc;

	n = reg_subject_identities(r, s, keys);
	/* Strongest identity first: PNC ID or UPRN, then name/address. */
	for (i = n - 1; i >= 0; i--) {
		kb[0] = (unsigned char)s->kind;
		memcpy(kb + 1, keys[i], strlen(keys[i]));
		k.mv_size = strlen(keys[i]) + 1;
		k.mv_data = kb;
		rc = mdb_get(r->txn, r->dbi[DB_IX_IDENTITY], &k, &v);
		if (rc == MDB_NOTFOUND)
			continue;
		if (rc != 0)
			return reg_lmdb_fail(eb, rc, "subject identity");
		if (v.mv_size != 8)
			return asb_fail(eb, ASB_EIO, NULL, "identity index "
			    "damaged");
		*ret_id = reg_get_u64(v.mv_data);
		return ASB_OK;
	}
	return ASB_ENOTFOUND;
}

int
reg_subject_add(struct reg *r, struct reg_subject *s, asb_time now,
    uint64_t *ret_existing, struct asb_errbuf *eb)
{
	char id[REG_ID_BUF];
	uint64_t existing;
	int err;

	if ((err = check_fields(s, now, eb)) != ASB_OK)
		return err;
	err = reg_subject_match(r, s, &existing, eb);
	if (err == ASB_OK) {
		if (ret_existing != NULL)
			*ret_existing = existing;
		return asb_fail(eb, ASB_ECONFLICT, NULL, "already registered "
		    "as %s", reg_subject_id(existing, id));
	}
	if (err != ASB_ENOTFOUND)
		return err;
	return reg_subject_insert(r, s, now, eb);
}

int
reg_subject_add_checked(struct reg *r, struct reg_subject *s, int is_new, asb_time now,
    uint64_t *ret_existing, struct asb_errbuf *eb)
{
	uint64_t cand[REG_CLOSE_MAX];
	char id[REG_ID_BUF], list[REG_CLOSE_MAX * (REG_ID_BUF + 2)];
	size_t n, i, l = 0;
	int err;

	if ((err = check_fields(s, now, eb)) != ASB_OK)
		return err;
	if (!is_new) {
		if ((err = reg_subject_match(r, s, cand, eb)) == ASB_OK)
			return reg_subject_add(r, s, now, ret_existing, eb);
		if (err != ASB_ENOTFOUND)
			return err;
		if ((err = reg_subject_close(r, s, cand, REG_CLOSE_MAX, &n, eb)) != ASB_OK)
			return err;
		if (n > 0) {
			list[0] = '\0';
			for (i = 0; i < n; i++)
				l += (size_t)snprintf(list + l, sizeof(list) - l, "%s%s",
				    i ? ", " : "", reg_subject_id(cand[i], id));
			if (ret_existing != NULL)
				*ret_existing = cand[0];
			return asb_fail(eb, ASB_ECONFLICT, NULL, "close to %s (the same date "
			    "of birth and a similar name, or the same name and a date of birth "
			    "one typo away): check with 'asbreg history'; if this is another "
			    "person, add again with --new", list);
		}
	}
	return reg_subject_add(r, s, now, ret_existing, eb);
}

int
reg_subject_insert(struct reg *r, struct reg_subject *s, asb_time now,
    struct asb_errbuf *eb)
{
	unsigned char buf[REG_ENC_MAX];
	MDB_val k, v;
	size_t len;
	int err, rc;

	if ((err = check_fields(s, now, eb)) != ASB_OK)
		return err;
	if ((err = reg_next(r, SEQ_SUBJECT, &s->id, eb)) != ASB_OK)
		return err;
	s->created = now;
	if ((len = reg_enc_subject(s, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "subject too large");
	k.mv_size = sizeof(s->id);
	k.mv_data = &s->id;
	v.mv_size = len;
	v.mv_data = buf;
	if ((rc = mdb_put(r->txn, r->dbi[DB_SUBJECTS], &k, &v,
	    MDB_APPEND)) != 0)
		return reg_lmdb_fail(eb, rc, "subject");
	return reg_subject_identity_put(r, s, 0, eb);
}

int
reg_subject_get(struct reg *r, uint64_t id, struct reg_subject *ret,
    struct asb_errbuf *eb)
{
	MDB_val k = { sizeof(id), &id }, v;
	char ids[REG_ID_BUF];
	int rc;

	rc = mdb_get(r->txn, r->dbi[DB_SUBJECTS], &k, &v);
	if (rc == MDB_NOTFOUND)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: no such subject",
		    reg_subject_id(id, ids));
	if (rc != 0)
		return reg_lmdb_fail(eb, rc, "subject");
	if (reg_dec_subject(v.mv_data, v.mv_size, ret) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: stored subject is "
		    "damaged", reg_subject_id(id, ids));
	return ASB_OK;
}

int
reg_subject_restrict(struct reg *r, uint64_t id, asb_time since, const char *reason,
    struct asb_errbuf *eb)
{
	struct reg_subject s;
	int err;

	if ((err = reg_subject_get(r, id, &s, eb)) != ASB_OK)
		return err;
	if ((since != 0) == (s.restricted != 0)) {
		char sid[REG_ID_BUF];

		return asb_fail(eb, ASB_ECONFLICT, NULL, "%s: processing is %s restricted",
		    reg_subject_id(id, sid), since ? "already" : "not");
	}
	s.restricted = since;
	snprintf(s.restrict_reason, sizeof(s.restrict_reason), "%s",
	    since && reason ? reason : "");
	return reg_subject_put(r, &s, eb);
}

int
reg_subject_put(struct reg *r, const struct reg_subject *s, struct asb_errbuf *eb)
{
	unsigned char buf[REG_ENC_MAX];
	MDB_val k, v;
	size_t len;
	int rc;

	if ((len = reg_enc_subject(s, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "subject too large");
	k.mv_size = sizeof(s->id);
	k.mv_data = (void *)&s->id;
	v.mv_size = len;
	v.mv_data = buf;
	if ((rc = mdb_put(r->txn, r->dbi[DB_SUBJECTS], &k, &v, 0)) != 0)
		return reg_lmdb_fail(eb, rc, "subject");
	return ASB_OK;
}

/* ---- rectification: a subject's identity corrected, the old value kept ------------------- */

#define RECTIFY_PREFIX	"rectify/"

/* One field of a subject as text (what a rectification log entry records). */
static void
field_text(const struct reg_subject *s, int f, char *buf, size_t cap)
{
	switch (f) {
	case 0: snprintf(buf, cap, "%s", s->name); break;
	case 1: if (s->dob) asb_day_format(s->dob, buf, cap); else buf[0] = '\0'; break;
	case 2: snprintf(buf, cap, "%s", s->sex); break;
	case 3: snprintf(buf, cap, "%s", s->ethnicity); break;
	case 4: snprintf(buf, cap, "%s", s->pnc); break;
	case 5: snprintf(buf, cap, "%s", s->uprn); break;
	case 6: snprintf(buf, cap, "%s", s->lsoa); break;
	default: snprintf(buf, cap, "%s", s->lad); break;
	}
}

static const char *
field_name(const struct reg_subject *s, int f)
{
	static const char *const names[] = { "name", "dob", "sex", "ethnicity", "pnc", "uprn",
	    "lsoa", "lad" };

	if (f == 0)
		return s->kind == SCH_PERSON ? "name" : s->kind == SCH_PREMISES ? "address" :
		    "description";
	return names[f];
}

int
reg_subject_identity_put(struct reg *r, const struct reg_subject *s, int del,
    struct asb_errbuf *eb)
{
	char keys[2][IDENTITY_MAX];
	unsigned char kb[IDENTITY_MAX + 1], idb[8];
	MDB_val k, v;
	int i, n = reg_subject_identities(r, s, keys), rc;

	reg_put_u64(idb, s->id);
	for (i = 0; i < n; i++) {
		kb[0] = (unsigned char)s->kind;
		memcpy(kb + 1, keys[i], strlen(keys[i]));
		k.mv_size = strlen(keys[i]) + 1;
		k.mv_data = kb;
		v.mv_size = 8;
		v.mv_data = idb;
		rc = del ? mdb_del(r->txn, r->dbi[DB_IX_IDENTITY], &k, NULL) :
		    mdb_put(r->txn, r->dbi[DB_IX_IDENTITY], &k, &v, 0);
		if (rc != 0 && rc != MDB_NOTFOUND)
			return reg_lmdb_fail(eb, rc, "subject identity");
	}
	return reg_subject_lookup_put(r, s, del, eb);
}

/* The due index entries of every record about a subject, brought up to date. */
static int
reindex_records(struct reg *r, uint64_t subject, struct asb_errbuf *eb)
{
	unsigned char kb[8];
	uint64_t *ids = NULL, *nv;
	size_t n = 0, cap = 0, i;
	MDB_cursor *c;
	MDB_val k, v;
	int rc, err = ASB_OK;

	reg_put_u64(kb, subject);
	k.mv_size = 8;
	k.mv_data = kb;
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_IX_SUBJECT], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "subject index");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY); rc == 0 && err == ASB_OK;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
		if (v.mv_size != 16)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((nv = realloc(ids, cap * sizeof(*ids))) == NULL) {
				err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
				break;
			}
			ids = nv;
		}
		ids[n++] = reg_get_u64((unsigned char *)v.mv_data + 8);
	}
	mdb_cursor_close(c);
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "subject index");
	for (i = 0; err == ASB_OK && i < n; i++)
		err = reg_due_index_put(r, ids[i], eb);
	free(ids);
	return err;
}

int
reg_subject_rectify(struct reg *r, const struct reg_subject *now_s, const char *user,
    asb_time now, const char *reason, int *changed, struct asb_errbuf *eb)
{
	struct reg_subject old;
	char a[ASB_MAX_TEXT], b[ASB_MAX_TEXT], key[64], val[3 * ASB_MAX_TEXT + 64];
	uint64_t other;
	int err, f, seq = 0;

	*changed = 0;
	if ((err = reg_subject_get(r, now_s->id, &old, eb)) != ASB_OK)
		return err;
	if ((err = check_fields(now_s, now, eb)) != ASB_OK)
		return err;
	/* the corrected identity must not be someone else's */
	if (reg_subject_match(r, now_s, &other, NULL) == ASB_OK && other != now_s->id) {
		char id[REG_ID_BUF];

		return asb_fail(eb, ASB_ECONFLICT, NULL, "the corrected identity is "
		    "registered already as %s", reg_subject_id(other, id));
	}
	/* next free log number for this subject */
	for (;; seq++) {
		if (seq > 0xffff)
			return asb_fail(eb, ASB_EIO, NULL, "too many rectifications");
		snprintf(key, sizeof(key), "%s%016llx/%04x", RECTIFY_PREFIX,
		    (unsigned long long)now_s->id, seq);
		if ((err = reg_meta_get_str(r, key, val, sizeof(val), eb)) == ASB_ENOTFOUND)
			break;
		if (err != ASB_OK)
			return err;
	}
	for (f = 0; f < 8; f++) {
		field_text(&old, f, a, sizeof(a));
		field_text(now_s, f, b, sizeof(b));
		if (strcmp(a, b) == 0)
			continue;
		snprintf(key, sizeof(key), "%s%016llx/%04x", RECTIFY_PREFIX,
		    (unsigned long long)now_s->id, seq++);
		snprintf(val, sizeof(val), "%lld\t%s\t%s\t%s\t%s\t%s", (long long)now,
		    user, field_name(&old, f), a, b, reason ? reason : "");
		if ((err = reg_meta_put_str(r, key, val, eb)) != ASB_OK)
			return err;
		(*changed)++;
	}
	if (*changed == 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "nothing to correct: the values given "
		    "are those held");
	if ((err = reg_subject_identity_put(r, &old, 1, eb)) != ASB_OK ||
	    (err = reg_subject_identity_put(r, now_s, 0, eb)) != ASB_OK ||
	    (err = reg_subject_put(r, now_s, eb)) != ASB_OK)
		return err;
	/* an age changes what is due (a youth review) */
	return old.dob == now_s->dob ? ASB_OK : reindex_records(r, now_s->id, eb);
}

int
reg_rectification_each(struct reg *r, uint64_t subject,
    int (*fn)(const struct reg_rectification *, void *), void *ctx, struct asb_errbuf *eb)
{
	char prefix[64], val[3 * ASB_MAX_TEXT + 64], *p[6], *save;
	struct reg_rectification x;
	MDB_cursor *c;
	MDB_val k, v;
	size_t plen;
	int rc, i, stop = 0;

	snprintf(prefix, sizeof(prefix), "%s%016llx/", RECTIFY_PREFIX,
	    (unsigned long long)subject);
	plen = strlen(prefix);
	k.mv_size = plen;
	k.mv_data = prefix;
	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_META], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "rectifications");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0 && !stop;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		if (v.mv_size >= sizeof(val))
			continue;
		memcpy(val, v.mv_data, v.mv_size);
		val[v.mv_size] = '\0';
		for (i = 0, save = val; i < 6; i++)
			p[i] = strsep(&save, "\t");
		if (p[5] == NULL)
			continue;
		memset(&x, 0, sizeof(x));
		{
			int64_t t;
			const char *why;

			if (asb_strtonum(p[0], INT64_MIN, INT64_MAX, &t, &why) == -1)
				continue;
			x.time = (asb_time)t;
		}
		snprintf(x.user, sizeof(x.user), "%s", p[1]);
		snprintf(x.field, sizeof(x.field), "%s", p[2]);
		snprintf(x.old, sizeof(x.old), "%s", p[3]);
		snprintf(x.now, sizeof(x.now), "%s", p[4]);
		snprintf(x.reason, sizeof(x.reason), "%s", p[5]);
		stop = fn(&x, ctx);
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND && !stop)
		return reg_lmdb_fail(eb, rc, "rectifications");
	return ASB_OK;
}
