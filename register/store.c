/*
 * store.c - the register's LMDB layer: its environment and databases, transactions, meta data,
 * sequences, key layouts and IDs.  It knows nothing of audit entries, users or creating a
 * register (create.c, open.c and audit.c sit above it).
 *
 * Durability: LMDB's default (fsync on commit), so a command that returned has its writes on
 * disk; a crash before commit leaves the previous state, whole.
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "names.h"
#include "num.h"

static int	seq_flush(struct reg *, struct asb_errbuf *);

static const char *const db_names[DB_COUNT] = {
	"meta", "subjects", "records", "events", "ix.subject", "ix.type",
	"ix.lsoa", "ix.link", "ix.ref", "ix.identity", "audit", "audit.ids", "ix.audit"
};

int
reg_lmdb_fail(struct asb_errbuf *eb, int rc, const char *what)
{
	if (rc == MDB_NOTFOUND)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: not found", what);
	if (rc == MDB_MAP_FULL)
		return asb_fail(eb, ASB_EIO, NULL, "%s: the register is full "
		    "(map size %llu bytes)", what,
		    (unsigned long long)ASB_REG_MAPSIZE);
	return asb_fail(eb, ASB_EIO, NULL, "%s: %s", what, mdb_strerror(rc));
}

void
reg_put_u64(unsigned char *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, 8);
}

uint64_t
reg_get_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return be64toh(v);
}

int
reg_dup_seek(MDB_cursor *c, const void *key, size_t klen, const void *from,
    size_t dlen, MDB_val *k, MDB_val *v)
{
	k->mv_size = klen;
	k->mv_data = (void *)key;
	v->mv_size = dlen;
	v->mv_data = (void *)from;
	return mdb_cursor_get(c, k, v, MDB_GET_BOTH_RANGE);
}

uint64_t
reg_key_id(const MDB_val *k)
{
	uint64_t v = 0;

	if (k->mv_size == sizeof(v))
		memcpy(&v, k->mv_data, sizeof(v));
	return v;
}

void
reg_put_time(unsigned char *p, asb_time t)
{
	reg_put_u64(p, (uint64_t)t ^ 0x8000000000000000ULL);
}

asb_time
reg_get_time(const unsigned char *p)
{
	return (asb_time)(reg_get_u64(p) ^ 0x8000000000000000ULL);
}

char *
reg_record_id(uint64_t id, char *buf)
{
	snprintf(buf, REG_ID_BUF, "R%06" PRIu64, id);
	return buf;
}

char *
reg_subject_id(uint64_t id, char *buf)
{
	snprintf(buf, REG_ID_BUF, "S%06" PRIu64, id);
	return buf;
}

int
reg_id_parse(const char *s, char prefix, uint64_t *ret)
{
	int64_t v;
	const char *why;

	if (s == NULL || (s[0] != prefix && s[0] != prefix + ('a' - 'A')) ||
	    s[1] < '0' || s[1] > '9' ||
	    asb_strtonum(s + 1, 1, INT64_MAX, &v, &why) == -1)
		return -1;
	*ret = (uint64_t)v;
	return 0;
}

int
reg_key_path(const char *dir, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/force.key", dir);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int
env_open(const char *dir, struct reg **ret, struct asb_errbuf *eb)
{
	struct reg *r;
	int rc;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if (snprintf(r->dir, sizeof(r->dir), "%s", dir) >= (int)sizeof(r->dir)) {
		free(r);
		return asb_fail(eb, ASB_EUSAGE, NULL, "register path too long");
	}
	if ((rc = mdb_env_create(&r->env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(r->env, DB_COUNT + REG_DBS_EXTRA)) != 0 ||
	    (rc = mdb_env_set_mapsize(r->env, ASB_REG_MAPSIZE)) != 0 ||
	    (rc = mdb_env_open(r->env, dir, 0, 0600)) != 0) {
		rc = rc == ENOENT ? asb_fail(eb, ASB_ENOTFOUND, NULL,
		    "%s: no register here (run 'asbreg init')", dir) :
		    reg_lmdb_fail(eb, rc, dir);
		if (r->env != NULL)
			mdb_env_close(r->env);
		free(r);
		return rc;
	}
	*ret = r;
	return ASB_OK;
}

/* The format that first had each database. */
static const unsigned db_format[DB_COUNT] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, REG_FORMAT_AUDIT_IX, REG_FORMAT_AUDIT_IX
};

static unsigned
db_flags(int i)
{
	return (i == DB_SUBJECTS || i == DB_RECORDS || i == DB_AUDIT ||
	    i == DB_AUDIT_IDS ? MDB_INTEGERKEY : 0) | (i == DB_IX_SUBJECT ||
	    i == DB_IX_TYPE || i == DB_IX_LSOA || i == DB_IX_LINK || i == DB_IX_AUDIT ?
	    MDB_DUPSORT | MDB_DUPFIXED : 0);
}

/* Open every named database a register of format fmt has, inside the first transaction. */
static int
dbs_open(struct reg *r, unsigned flags, uint64_t fmt, struct asb_errbuf *eb)
{
	int i, rc;

	for (i = 0; i < DB_COUNT; i++)
		if (db_format[i] <= fmt && (rc = mdb_dbi_open(r->txn, db_names[i],
		    flags | db_flags(i), &r->dbi[i])) != 0)
			return rc == MDB_NOTFOUND ? asb_fail(eb, ASB_ENOTFOUND,
			    NULL, "%s: not a register (run 'asbreg init')",
			    r->dir) : reg_lmdb_fail(eb, rc, db_names[i]);
	return ASB_OK;
}

int
reg_meta_put_str(struct reg *r, const char *key, const char *val,
    struct asb_errbuf *eb)
{
	MDB_val k = { strlen(key), (void *)key }, v = { strlen(val),
	    (void *)val };
	int rc;

	if ((rc = mdb_put(r->txn, r->dbi[DB_META], &k, &v, 0)) != 0)
		return reg_lmdb_fail(eb, rc, "meta");
	return ASB_OK;
}

int
reg_meta_get_str(struct reg *r, const char *key, char *buf, size_t cap,
    struct asb_errbuf *eb)
{
	MDB_val k = { strlen(key), (void *)key }, v;
	int rc;

	if ((rc = mdb_get(r->txn, r->dbi[DB_META], &k, &v)) == MDB_NOTFOUND)
		return ASB_ENOTFOUND;
	if (rc != 0)
		return reg_lmdb_fail(eb, rc, "meta");
	if (v.mv_size >= cap)
		return asb_fail(eb, ASB_EIO, NULL, "meta %s: damaged", key);
	memcpy(buf, v.mv_data, v.mv_size);
	buf[v.mv_size] = '\0';
	return ASB_OK;
}

int
reg_store_create(const char *dir, struct reg **ret, struct asb_errbuf *eb)
{
	struct reg *r = NULL;
	int err;

	if ((err = env_open(dir, &r, eb)) != ASB_OK)
		return err;
	if ((err = reg_begin(r, 1, eb)) != ASB_OK ||
	    (err = dbs_open(r, MDB_CREATE, REG_FORMAT, eb)) != ASB_OK) {
		reg_close(r);
		return err;
	}
	*ret = r;
	return ASB_OK;
}

int
reg_store_add_dbs(struct reg *r, uint64_t fmt, struct asb_errbuf *eb)
{
	int i, rc;

	for (i = 0; i < DB_COUNT; i++)
		if (db_format[i] == fmt && (rc = mdb_dbi_open(r->txn, db_names[i],
		    db_flags(i) | MDB_CREATE, &r->dbi[i])) != 0)
			return reg_lmdb_fail(eb, rc, db_names[i]);
	return ASB_OK;
}

int
reg_store_open(const char *dir, struct reg **ret, uint64_t *ret_format,
    struct asb_errbuf *eb)
{
	struct reg *r;
	MDB_val k = { 5, "force" }, v;
	char path[4200];
	struct stat st;
	uint64_t fmt;
	int err, rc;

	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	if (stat(path, &st) == -1)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: no register "
		    "here (run 'asbreg init --force CODE')", dir);
	if ((err = env_open(dir, &r, eb)) != ASB_OK)
		return err;
	if ((err = reg_begin(r, 0, eb)) != ASB_OK)
		goto fail;
	/* The meta data first: the format says which databases there are. */
	if ((rc = mdb_dbi_open(r->txn, db_names[DB_META], 0, &r->dbi[DB_META])) != 0) {
		err = rc == MDB_NOTFOUND ? asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: not a "
		    "register (run 'asbreg init')", dir) : reg_lmdb_fail(eb, rc, "meta");
		goto fail;
	}
	if ((err = reg_meta_get_u64(r, "format", &fmt, eb)) != ASB_OK)
		goto fail;
	if (fmt < 1 || fmt > REG_FORMAT) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: register format %llu, "
		    "this asbreg reads formats 1 to %d", dir,
		    (unsigned long long)fmt, REG_FORMAT);
		goto fail;
	}
	if ((err = dbs_open(r, 0, fmt, eb)) != ASB_OK)
		goto fail;
	if ((rc = mdb_get(r->txn, r->dbi[DB_META], &k, &v)) != 0 ||
	    v.mv_size >= sizeof(r->force)) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: register has no force "
		    "code", dir);
		goto fail;
	}
	memcpy(r->force, v.mv_data, v.mv_size);
	r->force[v.mv_size] = '\0';
	/* Handles opened in a transaction outlive it only if it commits. */
	rc = mdb_txn_commit(r->txn);
	r->txn = NULL;
	if (rc != 0) {
		err = reg_lmdb_fail(eb, rc, "open");
		goto fail;
	}
	*ret = r;
	*ret_format = fmt;
	return ASB_OK;
fail:
	reg_close(r);
	return err;
}

void
reg_close(struct reg *r)
{
	if (r == NULL)
		return;
	if (r->txn != NULL)
		mdb_txn_abort(r->txn);
	mdb_env_close(r->env);
	reg_names_free(r->names);
	free(r->due_buf);
	free(r->touch);
	free(r);
}

/* Read hex digits up to a character not one; the position after them. */
static const char *
hex_field(const char *p, uintptr_t *ret)
{
	uintptr_t v = 0;
	int d;

	for (; *p; p++) {
		d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ?
		    *p - 'a' + 10 : -1;
		if (d < 0)
			break;
		v = v << 4 | (uintptr_t)d;
	}
	*ret = v;
	return p;
}

/* Where LMDB mapped data.mdb: LMDB does not say (mdb_env_info gives an address only for
 * MDB_FIXEDMAP), so ask the kernel.  Linux only, like the rest of the project. */
static int
map_find(struct reg *r)
{
	char path[PATH_MAX], want[PATH_MAX + 16], line[PATH_MAX + 128];
	const char *p;
	size_t wl, ll;
	FILE *f;

	if (snprintf(want, sizeof(want), "%s/data.mdb", r->dir) >=
	    (int)sizeof(want) || realpath(want, path) == NULL ||
	    (f = fopen("/proc/self/maps", "r")) == NULL)
		return -1;
	wl = strlen(path);
	while (fgets(line, sizeof(line), f) != NULL) {
		ll = strlen(line);
		if (ll > 0 && line[ll - 1] == '\n')
			line[--ll] = '\0';
		if (ll < wl || strcmp(line + ll - wl, path) != 0)
			continue;
		p = hex_field(line, &r->map_lo);
		if (*p == '-')
			(void)hex_field(p + 1, &r->map_hi);
		break;
	}
	fclose(f);
	return r->map_hi > r->map_lo ? 0 : -1;
}

void
reg_release_pages(struct reg *r)
{
	char path[4200];
	struct stat st;
	uintptr_t len;

	if (r->map_hi == 0 && map_find(r) == -1)
		return;
	/* Only the file's extent: the map reserves the whole map size (16 GiB), and zapping
	 * page tables nobody filled costs more than the pages. */
	len = r->map_hi - r->map_lo;
	snprintf(path, sizeof(path), "%s/data.mdb", r->dir);
	if (stat(path, &st) == 0 && (uintptr_t)st.st_size < len)
		len = ((uintptr_t)st.st_size + 4095) & ~(uintptr_t)4095;
	(void)madvise((void *)r->map_lo, len, MADV_DONTNEED);
}

const char *
reg_force(const struct reg *r)
{
	return r->force;
}

int
reg_begin(struct reg *r, int write, struct asb_errbuf *eb)
{
	int rc;

	if (r->txn != NULL)
		return asb_fail(eb, ASB_EIO, NULL, "transaction already open");
	if ((rc = mdb_txn_begin(r->env, NULL, write ? 0 : MDB_RDONLY,
	    &r->txn)) != 0)
		return reg_lmdb_fail(eb, rc, "begin");
	memset(r->seq_loaded, 0, sizeof(r->seq_loaded));
	r->touch_n = 0;		/* a new transaction has touched nothing yet */
	r->voids = -1;		/* void.c asks once per transaction */
	r->head_dirty = 0;
	return ASB_OK;
}

int
reg_commit(struct reg *r, struct asb_errbuf *eb)
{
	int rc;

	if (r->txn == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "no transaction");
	if ((rc = seq_flush(r, eb)) != ASB_OK) {
		reg_abort(r);
		return rc;
	}
	rc = mdb_txn_commit(r->txn);
	r->txn = NULL;
	if (rc != 0)
		return reg_lmdb_fail(eb, rc, "commit");
	/* Only now is the head real: a head reported before the commit could name entries
	 * that never landed. */
	if (r->head_dirty && r->head_fn != NULL)
		r->head_fn(r->force, &r->head_new, r->head_ctx);
	r->head_dirty = 0;
	return ASB_OK;
}

void
reg_abort(struct reg *r)
{
	if (r->txn != NULL)
		mdb_txn_abort(r->txn);
	r->txn = NULL;
	r->head_dirty = 0;
}

int
reg_meta_get_u64(struct reg *r, const char *key, uint64_t *ret,
    struct asb_errbuf *eb)
{
	MDB_val k = { strlen(key), (void *)key }, v;
	char buf[24];
	int64_t n;
	const char *why;
	int rc;

	rc = mdb_get(r->txn, r->dbi[DB_META], &k, &v);
	if (rc == MDB_NOTFOUND) {
		*ret = 0;
		return ASB_OK;
	}
	if (rc != 0)
		return reg_lmdb_fail(eb, rc, "meta");
	if (v.mv_size >= sizeof(buf))
		return asb_fail(eb, ASB_EIO, NULL, "meta %s: damaged", key);
	memcpy(buf, v.mv_data, v.mv_size);
	buf[v.mv_size] = '\0';
	if (asb_strtonum(buf, 0, INT64_MAX, &n, &why) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "meta %s: damaged", key);
	*ret = (uint64_t)n;
	return ASB_OK;
}

int
reg_meta_put_u64(struct reg *r, const char *key, uint64_t v,
    struct asb_errbuf *eb)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return reg_meta_put_str(r, key, buf, eb);
}

static const char *const seq_keys[SEQ_COUNT] = {
	"next.record", "next.subject", "next.audit"
};

int
reg_seq_last(struct reg *r, enum reg_seq seq, uint64_t *ret,
    struct asb_errbuf *eb)
{
	int err;

	if (!r->seq_loaded[seq]) {
		if ((err = reg_meta_get_u64(r, seq_keys[seq], &r->seq[seq],
		    eb)) != ASB_OK)
			return err;
		r->seq_loaded[seq] = 1;
	}
	*ret = r->seq[seq];
	return ASB_OK;
}

int
reg_next(struct reg *r, enum reg_seq seq, uint64_t *ret, struct asb_errbuf *eb)
{
	uint64_t v;
	int err;

	if ((err = reg_seq_last(r, seq, &v, eb)) != ASB_OK)
		return err;
	r->seq[seq] = v + 1;
	*ret = v + 1;
	return ASB_OK;
}

/* Write the sequences this transaction moved; part of the same commit. */
static int
seq_flush(struct reg *r, struct asb_errbuf *eb)
{
	uint64_t stored;
	int i, err;

	for (i = 0; i < SEQ_COUNT; i++) {
		if (!r->seq_loaded[i])
			continue;
		if ((err = reg_meta_get_u64(r, seq_keys[i], &stored, eb)) !=
		    ASB_OK)
			return err;
		if (stored != r->seq[i] && (err = reg_meta_put_u64(r,
		    seq_keys[i], r->seq[i], eb)) != ASB_OK)
			return err;
	}
	return ASB_OK;
}
