/*
 * outbox.c - the outbox's LMDB environment: "entries" (ID -> the entry, versioned: see
 * outbox_codec.h), "bodies" (ID -> the signed bytes), "answers" (ID -> the verified receipt,
 * or the hub's refusal).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lmdb.h>

#include "outbox.h"
#include "outbox_codec.h"

struct outbox {
	MDB_env		*env;
	MDB_dbi		 entries, bodies, answers;
};

asb_time
ob_backoff(uint32_t failures, uint32_t r)
{
	asb_time d = failures >= 12 ? 3600 : (asb_time)1 << failures;

	if (d > 3600)
		d = 3600;
	return d / 2 + (asb_time)(r % (uint32_t)(d / 2 + 1));
}

static int
fail(struct asb_errbuf *eb, int rc)
{
	return asb_fail(eb, ASB_EIO, NULL, "outbox: %s", mdb_strerror(rc));
}

int
ob_open(const char *register_dir, struct outbox **ret, struct asb_errbuf *eb)
{
	struct outbox *ob;
	char path[4200];
	struct stat sb;
	MDB_txn *txn;
	int rc;

	*ret = NULL;
	if (stat(register_dir, &sb) == -1 || !S_ISDIR(sb.st_mode))
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: no register here (the "
		    "outbox lives beside it; use -d)", register_dir);
	snprintf(path, sizeof(path), "%s/outbox", register_dir);
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", path, strerror(errno));
	if ((ob = calloc(1, sizeof(*ob))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if ((rc = mdb_env_create(&ob->env)) != 0 ||
	    (rc = mdb_env_set_mapsize(ob->env, 64ULL << 30)) != 0 ||
	    (rc = mdb_env_set_maxdbs(ob->env, 4)) != 0 ||
	    (rc = mdb_env_open(ob->env, path, MDB_NOTLS, 0600)) != 0) {
		if (ob->env != NULL)
			mdb_env_close(ob->env);
		free(ob);
		return fail(eb, rc);
	}
	if ((rc = mdb_txn_begin(ob->env, NULL, 0, &txn)) != 0 ||
	    (rc = mdb_dbi_open(txn, "entries", MDB_CREATE, &ob->entries)) != 0 ||
	    (rc = mdb_dbi_open(txn, "bodies", MDB_CREATE, &ob->bodies)) != 0 ||
	    (rc = mdb_dbi_open(txn, "answers", MDB_CREATE, &ob->answers)) != 0 ||
	    (rc = mdb_txn_commit(txn)) != 0) {
		mdb_env_close(ob->env);
		free(ob);
		return fail(eb, rc);
	}
	*ret = ob;
	return ASB_OK;
}

void
ob_close(struct outbox *ob)
{
	if (ob == NULL)
		return;
	mdb_env_close(ob->env);
	free(ob);
}

static MDB_val
key(const char *id)
{
	MDB_val k = { strlen(id), (void *)id };

	return k;
}

int
ob_add(struct outbox *ob, const struct ob_entry *e, const char *body, size_t len,
    int *added, struct asb_errbuf *eb)
{
	unsigned char buf[OB_ENTRY_ENC_MAX];
	MDB_txn *txn;
	MDB_val k = key(e->id), v;
	size_t n;
	int rc;

	*added = 0;
	if ((n = ob_enc_entry(e, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "outbox: return %s cannot be encoded",
		    e->id);
	if ((rc = mdb_txn_begin(ob->env, NULL, 0, &txn)) != 0)
		return fail(eb, rc);
	if (mdb_get(txn, ob->entries, &k, &v) == 0) {
		struct ob_entry old;

		if ((rc = ob_dec_entry(v.mv_data, v.mv_size, "outbox: the entry stored",
		    &old, eb)) != ASB_OK) {
			mdb_txn_abort(txn);
			return rc;
		}
		mdb_txn_abort(txn);
		if (strcmp(old.sha256, e->sha256) == 0)
			return ASB_OK;
		return asb_fail(eb, ASB_ECONFLICT, NULL, "the outbox holds return %s "
		    "already, with other content: a changed return needs a new "
		    "return ID (build it again, with --supersedes if the first was "
		    "accepted)", e->id);
	}
	v.mv_size = n;
	v.mv_data = buf;
	if ((rc = mdb_put(txn, ob->entries, &k, &v, 0)) == 0) {
		v.mv_size = len;
		v.mv_data = (void *)body;
		rc = mdb_put(txn, ob->bodies, &k, &v, 0);
	}
	if (rc != 0) {
		mdb_txn_abort(txn);
		return fail(eb, rc);
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return fail(eb, rc);
	*added = 1;
	return ASB_OK;
}

int
ob_update(struct outbox *ob, const struct ob_entry *e, const char *answer, size_t alen,
    struct asb_errbuf *eb)
{
	unsigned char buf[OB_ENTRY_ENC_MAX];
	MDB_txn *txn;
	MDB_val k = key(e->id), v;
	int rc;

	if ((v.mv_size = ob_enc_entry(e, buf, sizeof(buf))) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "outbox: return %s cannot be encoded",
		    e->id);
	v.mv_data = buf;
	if ((rc = mdb_txn_begin(ob->env, NULL, 0, &txn)) != 0)
		return fail(eb, rc);
	rc = mdb_put(txn, ob->entries, &k, &v, 0);
	if (rc == 0 && answer != NULL) {
		v.mv_size = alen;
		v.mv_data = (void *)answer;
		rc = mdb_put(txn, ob->answers, &k, &v, 0);
	}
	if (rc != 0) {
		mdb_txn_abort(txn);
		return fail(eb, rc);
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return fail(eb, rc);
	return ASB_OK;
}

static char *
dup_val(const MDB_val *v)
{
	char *p = malloc(v->mv_size + 1);

	if (p != NULL) {
		memcpy(p, v->mv_data, v->mv_size);
		p[v->mv_size] = '\0';
	}
	return p;
}

int
ob_get(struct outbox *ob, const char *id, struct ob_entry *e, char **body, size_t *blen,
    char **answer, size_t *alen)
{
	MDB_txn *txn;
	MDB_val k = key(id), v;
	int rc;

	if (body != NULL)
		*body = NULL;
	if (answer != NULL)
		*answer = NULL;
	if (mdb_txn_begin(ob->env, NULL, MDB_RDONLY, &txn) != 0)
		return ASB_EIO;
	if ((rc = mdb_get(txn, ob->entries, &k, &v)) != 0 ||
	    ob_dec_entry(v.mv_data, v.mv_size, "outbox", e, NULL) != ASB_OK) {
		mdb_txn_abort(txn);
		return rc == MDB_NOTFOUND ? ASB_ENOTFOUND : ASB_EIO;
	}
	if (body != NULL && mdb_get(txn, ob->bodies, &k, &v) == 0) {
		*body = dup_val(&v);
		*blen = v.mv_size;
	}
	if (answer != NULL && mdb_get(txn, ob->answers, &k, &v) == 0) {
		*answer = dup_val(&v);
		*alen = v.mv_size;
	}
	mdb_txn_abort(txn);
	return ASB_OK;
}

static int
by_added(const void *a, const void *b)
{
	const struct ob_entry *x = a, *y = b;

	if (x->added != y->added)
		return x->added < y->added ? -1 : 1;
	return strcmp(x->id, y->id);
}

int
ob_each(struct outbox *ob, void (*fn)(const struct ob_entry *, void *), void *ctx,
    struct asb_errbuf *eb)
{
	struct ob_entry *all = NULL, *p;
	size_t n = 0, cap = 0, i;
	char what[64];
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_txn_begin(ob->env, NULL, MDB_RDONLY, &txn)) != 0 ||
	    (rc = mdb_cursor_open(txn, ob->entries, &cur)) != 0)
		return fail(eb, rc);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			if ((p = realloc(all, cap * sizeof(*all))) == NULL) {
				free(all);
				mdb_cursor_close(cur);
				mdb_txn_abort(txn);
				return asb_fail(eb, ASB_EIO, NULL, "out of memory");
			}
			all = p;
		}
		snprintf(what, sizeof(what), "outbox: return %.*s",
		    (int)(k.mv_size < 36 ? k.mv_size : 36), (const char *)k.mv_data);
		if (ob_dec_entry(v.mv_data, v.mv_size, what, &all[n], eb) != ASB_OK) {
			free(all);
			mdb_cursor_close(cur);
			mdb_txn_abort(txn);
			return ASB_EIO;
		}
		n++;
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	if (n > 0)	/* qsort(NULL, 0) is undefined: an empty outbox has no array */
		qsort(all, n, sizeof(*all), by_added);
	for (i = 0; i < n; i++)
		fn(&all[i], ctx);
	free(all);
	return ASB_OK;
}
