/*
 * release.c - the releases kept in DIR/releases: one LMDB database, "releases", keyed by
 * release ID, each value written once.
 */
#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bytes.h"
#include "num.h"
#include "release.h"
#include "report.h"
#include "report_pub.h"

#define MAP_SIZE	((size_t)1 << 30)	/* a release is a few hundred KiB at most */

struct rel_store {
	MDB_env		*env;
	MDB_dbi		 dbi;
};

static int
lmdb_err(struct asb_errbuf *eb, int rc, const char *what)
{
	return asb_fail(eb, ASB_EIO, NULL, "%s: %s", what, mdb_strerror(rc));
}

int
rel_open(const char *dir, int create, struct rel_store **ret, struct asb_errbuf *eb)
{
	struct rel_store *s;
	char path[4096];
	struct stat sb;
	MDB_txn *txn;
	int rc;

	*ret = NULL;
	if ((size_t)snprintf(path, sizeof(path), "%s/releases", dir) >= sizeof(path))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dir);
	if (stat(path, &sb) == -1) {
		if (!create)
			return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: no releases yet", dir);
		if (mkdir(path, 0700) == -1)
			return asb_fail(eb, ASB_EIO, NULL, "%s: cannot create: %s", path,
			    strerror(errno));
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if ((rc = mdb_env_create(&s->env)) != 0 ||
	    (rc = mdb_env_set_mapsize(s->env, MAP_SIZE)) != 0 ||
	    (rc = mdb_env_set_maxdbs(s->env, 2)) != 0 ||
	    (rc = mdb_env_open(s->env, path, MDB_NOTLS, 0600)) != 0) {
		if (s->env != NULL)
			mdb_env_close(s->env);
		free(s);
		return lmdb_err(eb, rc, path);
	}
	if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) != 0 ||
	    (rc = mdb_dbi_open(txn, "releases", MDB_CREATE, &s->dbi)) != 0 ||
	    (rc = mdb_txn_commit(txn)) != 0) {
		mdb_env_close(s->env);
		free(s);
		return lmdb_err(eb, rc, path);
	}
	*ret = s;
	return ASB_OK;
}

void
rel_close(struct rel_store *s)
{
	if (s == NULL)
		return;
	mdb_env_close(s->env);
	free(s);
}

void
rel_clear(struct release *r)
{
	free(r->returns);
	r->returns = NULL;
	r->nreturns = 0;
}

unsigned char *
rel_encode(const struct release *r, size_t *ret_len)
{
	struct asb_enc e;
	unsigned char *buf;
	size_t cap = 512 + r->nreturns * 220, i;

	if (r->nreturns > REL_MAX_RETURNS || (buf = malloc(cap)) == NULL)
		return NULL;
	asb_enc_init(&e, buf, cap);
	asb_enc_u8(&e, REL_V1);
	asb_enc_str(&e, r->id);
	asb_enc_str(&e, r->scope);
	asb_enc_str(&e, r->previous);
	asb_enc_u8(&e, r->final ? 1 : 0);
	asb_enc_i64(&e, r->date);
	asb_enc_u32(&e, r->threshold);
	asb_enc_str(&e, r->by);
	asb_enc_u32(&e, (uint32_t)r->nreturns);
	for (i = 0; i < r->nreturns; i++) {
		asb_enc_str(&e, r->returns[i].id);
		asb_enc_str(&e, r->returns[i].force);
		asb_enc_str(&e, r->returns[i].period);
		asb_enc_str(&e, r->returns[i].sha256);
		asb_enc_str(&e, r->returns[i].supersedes);
	}
	if ((*ret_len = asb_enc_done(&e)) == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int
rel_decode(const void *p, size_t n, struct release *ret, struct asb_errbuf *eb)
{
	struct asb_dec d;
	struct release r;
	uint32_t count, i;
	unsigned v;
	int err;

	memset(&r, 0, sizeof(r));
	asb_dec_init(&d, p, n);
	if ((v = asb_dec_u8(&d, "version")) != REL_V1)
		return asb_fail(eb, ASB_EIO, NULL, "release: damaged value: version %u is not "
		    "one this release reads", v);
	asb_dec_str(&d, "id", r.id, sizeof(r.id));
	asb_dec_str(&d, "scope", r.scope, sizeof(r.scope));
	asb_dec_str(&d, "previous", r.previous, sizeof(r.previous));
	r.final = asb_dec_u8(&d, "final") != 0;
	r.date = asb_dec_i64(&d, "date");
	r.threshold = asb_dec_u32(&d, "threshold");
	asb_dec_str(&d, "by", r.by, sizeof(r.by));
	count = asb_dec_u32(&d, "count");
	if (d.why[0] == '\0' && count > REL_MAX_RETURNS)
		return asb_fail(eb, ASB_EIO, NULL, "release %s: damaged value: %u returns",
		    r.id, count);
	if (d.why[0] == '\0' && count > 0 &&
	    (r.returns = calloc(count, sizeof(*r.returns))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	for (i = 0; i < count && d.why[0] == '\0'; i++) {
		asb_dec_str(&d, "return id", r.returns[i].id, sizeof(r.returns[i].id));
		asb_dec_str(&d, "force", r.returns[i].force, sizeof(r.returns[i].force));
		asb_dec_str(&d, "period", r.returns[i].period, sizeof(r.returns[i].period));
		asb_dec_str(&d, "sha256", r.returns[i].sha256, sizeof(r.returns[i].sha256));
		asb_dec_str(&d, "supersedes", r.returns[i].supersedes,
		    sizeof(r.returns[i].supersedes));
	}
	r.nreturns = d.why[0] == '\0' ? count : 0;
	if ((err = asb_dec_done(&d, "release", eb)) != ASB_OK) {
		rel_clear(&r);
		return err;
	}
	*ret = r;
	return ASB_OK;
}

int
rel_get(struct rel_store *s, const char *id, struct release *ret, struct asb_errbuf *eb)
{
	MDB_txn *txn;
	MDB_val k, v;
	int rc, err;

	if ((rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn)) != 0)
		return lmdb_err(eb, rc, "releases");
	k.mv_data = (void *)id;
	k.mv_size = strlen(id);
	if ((rc = mdb_get(txn, s->dbi, &k, &v)) != 0) {
		mdb_txn_abort(txn);
		if (rc == MDB_NOTFOUND)
			return asb_fail(eb, ASB_ENOTFOUND, NULL, "no release %s ('asbhub release "
			    "--list' shows them)", id);
		return lmdb_err(eb, rc, "releases");
	}
	err = rel_decode(v.mv_data, v.mv_size, ret, eb);	/* copied before the end */
	mdb_txn_abort(txn);
	return err;
}

int
rel_put(struct rel_store *s, const struct release *r, struct asb_errbuf *eb)
{
	unsigned char *buf;
	size_t len;
	MDB_txn *txn;
	MDB_val k, v;
	int rc;

	if ((buf = rel_encode(r, &len)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "release %s: cannot encode it", r->id);
	if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) != 0) {
		free(buf);
		return lmdb_err(eb, rc, "releases");
	}
	k.mv_data = (void *)r->id;
	k.mv_size = strlen(r->id);
	v.mv_data = buf;
	v.mv_size = len;
	rc = mdb_put(txn, s->dbi, &k, &v, MDB_NOOVERWRITE);
	free(buf);
	if (rc == MDB_KEYEXIST) {
		mdb_txn_abort(txn);
		return asb_fail(eb, ASB_ECONFLICT, NULL, "release %s exists already", r->id);
	}
	if (rc != 0 || (rc = mdb_txn_commit(txn)) != 0) {
		if (rc != 0)
			mdb_txn_abort(txn);
		return lmdb_err(eb, rc, "releases");
	}
	return ASB_OK;
}

int
rel_each(struct rel_store *s, void (*fn)(const struct release *, void *), void *ctx,
    struct asb_errbuf *eb)
{
	struct release r;
	MDB_txn *txn;
	MDB_cursor *c;
	MDB_val k, v;
	int rc, err = ASB_OK;

	if ((rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn)) != 0)
		return lmdb_err(eb, rc, "releases");
	if ((rc = mdb_cursor_open(txn, s->dbi, &c)) != 0) {
		mdb_txn_abort(txn);
		return lmdb_err(eb, rc, "releases");
	}
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0 && err == ASB_OK;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if ((err = rel_decode(v.mv_data, v.mv_size, &r, eb)) != ASB_OK)
			break;
		fn(&r, ctx);
		rel_clear(&r);
	}
	mdb_cursor_close(c);
	mdb_txn_abort(txn);
	if (err == ASB_OK && rc != MDB_NOTFOUND)
		err = lmdb_err(eb, rc, "releases");
	return err;
}

/* The release with the highest number in its scope. */
struct latest {
	const char	*scope;
	int64_t		 best;
	char		 id[32];
};

static void
pick(const struct release *r, void *ctx)
{
	struct latest *l = ctx;
	size_t n = strlen(l->scope);
	const char *why;
	int64_t num;

	if (strncmp(r->id, l->scope, n) != 0 || r->id[n] != '.')
		return;
	if (asb_strtonum(r->id + n + 1, 1, 1000000, &num, &why) == 0 && num > l->best) {
		l->best = num;
		snprintf(l->id, sizeof(l->id), "%s", r->id);
	}
}

int
rel_latest(struct rel_store *s, const char *scope, struct release *ret, struct asb_errbuf *eb)
{
	struct latest l = { scope, 0, "" };
	int err;

	if ((err = rel_each(s, pick, &l, eb)) != ASB_OK)
		return err;
	if (l.best == 0)
		return ASB_ENOTFOUND;
	return rel_get(s, l.id, ret, eb);
}

/* ---- making a release ---------------------------------------------------------------------- */

int
rel_new(struct hub_store *st, struct rel_store *rs, const char *scope, const char *by,
    int final, unsigned threshold, asb_time date, struct release *rel, struct asb_errbuf *eb)
{
	struct rpt_opts ro;
	struct release last;
	struct hub_return hr;
	struct rpt *r;
	size_t i;
	int err;

	memset(&ro, 0, sizeof(ro));
	memset(rel, 0, sizeof(*rel));
	if (strlen(scope) >= sizeof(rel->scope) || strlen(by) >= sizeof(rel->by))
		return asb_fail(eb, ASB_EUSAGE, NULL, "'%s' is not a quarter or a year", scope);
	snprintf(rel->scope, sizeof(rel->scope), "%s", scope);
	snprintf(rel->by, sizeof(rel->by), "%s", by);
	rel->final = final;
	rel->threshold = threshold;
	rel->date = date;
	if ((err = rpt_parse_range(rel->scope, NULL, &ro, eb)) != ASB_OK ||
	    (err = rpt_parse_dims(rel->by, &ro, eb)) != ASB_OK)
		return err;
	ro.threshold = rel->threshold;
	err = rel_latest(rs, rel->scope, &last, eb);
	if (err == ASB_OK) {
		int64_t n = 0;
		const char *why;

		snprintf(rel->previous, sizeof(rel->previous), "%s", last.id);
		(void)asb_strtonum(strrchr(last.id, '.') + 1, 1, 1000000, &n, &why);
		snprintf(rel->id, sizeof(rel->id), "%s.%lld", rel->scope, (long long)n + 1);
		rel_clear(&last);
	} else if (err == ASB_ENOTFOUND)
		snprintf(rel->id, sizeof(rel->id), "%s.1", rel->scope);
	else
		return err;
	if ((err = rpt_build(st, &ro, &r, eb)) != ASB_OK)
		return err;
	if (r->too_fine) {
		rpt_free(r);
		return asb_fail(eb, ASB_EUSAGE, NULL, "the table by %s has more cells than "
		    "disclosure control can check: break it down by fewer dimensions", rel->by);
	}
	if ((rel->returns = calloc(r->ncounted + 1, sizeof(*rel->returns))) == NULL) {
		rpt_free(r);
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	}
	for (i = 0; i < r->ncounted; i++) {
		struct rel_return *x = &rel->returns[rel->nreturns];

		if ((err = hub_return_get(st, r->counted[i].id, &hr, NULL, NULL, NULL, NULL)) !=
		    ASB_OK) {
			rpt_free(r);
			return asb_fail(eb, ASB_EIO, NULL, "return %s: cannot be read",
			    r->counted[i].id);
		}
		snprintf(x->id, sizeof(x->id), "%s", hr.id);
		snprintf(x->force, sizeof(x->force), "%s", hr.force);
		snprintf(x->period, sizeof(x->period), "%s", hr.period);
		snprintf(x->sha256, sizeof(x->sha256), "%s", hr.sha256);
		snprintf(x->supersedes, sizeof(x->supersedes), "%s", hr.supersedes);
		rel->nreturns++;
	}
	rpt_free(r);
	return ASB_OK;
}

/* The report of release rel from the returns it recorded, each checked against its SHA-256,
 * its cells compared with the previous release's (reproduced the same way), and the data
 * quality of its last quarter as the store stood at its date. */
int
rel_report(struct hub_store *st, struct rel_store *rs, const struct release *rel,
    int due_days, struct rpt **ret, struct rpt_pub *pub, struct rpt_quality *q,
    struct asb_errbuf *eb)
{
	struct rpt_opts ro;
	struct hub_return hr;
	struct release prev;
	struct rpt *r = NULL, *before = NULL;
	char (*ids)[37] = NULL;
	size_t i, j;
	int err;

	*ret = NULL;
	memset(pub, 0, sizeof(*pub));
	memset(&ro, 0, sizeof(ro));
	memset(&prev, 0, sizeof(prev));
	if ((err = rpt_parse_range(rel->scope, NULL, &ro, eb)) != ASB_OK ||
	    (err = rpt_parse_dims(rel->by, &ro, eb)) != ASB_OK)
		return err;
	ro.threshold = rel->threshold;
	if ((ids = calloc(rel->nreturns + 1, sizeof(*ids))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	for (i = 0; i < rel->nreturns; i++) {
		if ((err = hub_return_get(st, rel->returns[i].id, &hr, NULL, NULL, NULL,
		    NULL)) != ASB_OK) {
			err = asb_fail(eb, err, NULL, "release %s: return %s is not in the store",
			    rel->id, rel->returns[i].id);
			goto out;
		}
		if (strcmp(hr.sha256, rel->returns[i].sha256) != 0) {
			err = asb_fail(eb, ASB_ECONFLICT, NULL, "release %s: return %s has "
			    "SHA-256 %s in the store, not the %s the release recorded", rel->id,
			    hr.id, hr.sha256, rel->returns[i].sha256);
			goto out;
		}
		memcpy(ids[i], rel->returns[i].id, 37);
	}
	if ((err = rpt_build_ids(st, &ro, ids, rel->nreturns, &r, eb)) != ASB_OK)
		goto out;
	snprintf(pub->release_id, sizeof(pub->release_id), "%s", rel->id);
	snprintf(pub->status, sizeof(pub->status), "%s", rel->final ? "final" :
	    "provisional");
	pub->date = rel->date;
	snprintf(pub->previous, sizeof(pub->previous), "%s", rel->previous);
	if ((err = rpt_quality_build(st, ro.quarters[ro.nquarters - 1], due_days, rel->date,
	    q, eb)) != ASB_OK)
		goto out;
	pub->quality = q;
	if (rel->previous[0]) {
		struct rpt_pub ppub;
		struct rpt_quality *pq = malloc(sizeof(*pq));

		if (pq == NULL) {
			err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
			goto out;
		}
		if ((err = rel_get(rs, rel->previous, &prev, eb)) == ASB_OK)
			err = rel_report(st, rs, &prev, due_days, &before, &ppub, pq, eb);
		if (err == ASB_OK)
			rpt_pub_clear(&ppub);
		free(pq);
		if (err != ASB_OK)
			goto out;
		if (rpt_pub_revise(pub, r, before) == -1 ||
		    (pub->revisions = calloc(rel->nreturns + 1, sizeof(*pub->revisions))) ==
		    NULL) {
			err = asb_fail(eb, ASB_EIO, NULL, "out of memory");
			goto out;
		}
		/* the corrections: returns counted now that the previous release did not */
		for (i = 0; i < rel->nreturns; i++) {
			for (j = 0; j < prev.nreturns; j++)
				if (strcmp(prev.returns[j].id, rel->returns[i].id) == 0)
					break;
			if (j < prev.nreturns)
				continue;
			struct rpt_revision *v = &pub->revisions[pub->nrevisions++];

			snprintf(v->force, sizeof(v->force), "%s", rel->returns[i].force);
			snprintf(v->period, sizeof(v->period), "%s", rel->returns[i].period);
			snprintf(v->id, sizeof(v->id), "%s", rel->returns[i].id);
			snprintf(v->supersedes, sizeof(v->supersedes), "%s",
			    rel->returns[i].supersedes);
		}
	}
	r->pub = pub;
	*ret = r;
	r = NULL;
out:
	if (err != ASB_OK)
		rpt_pub_clear(pub);
	rpt_free(r);
	rpt_free(before);
	rel_clear(&prev);
	free(ids);
	return err;
}
