/*
 * envcopy.c - consistent copies of LMDB environments and the files beside them (envcopy.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "envcopy.h"

static int
lmdb_fail(struct asb_errbuf *eb, int rc, const char *what)
{
	return asb_fail(eb, ASB_EIO, NULL, "%s: %s", what, mdb_strerror(rc));
}

uint64_t
bk_count(const struct bk_counts *c, const char *name)
{
	unsigned i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->name[i], name) == 0)
			return c->entries[i];
	return 0;
}

int
bk_env_open(const char *dir, MDB_env **ret, struct asb_errbuf *eb)
{
	char path[4200];
	struct stat sb;
	MDB_env *env;
	int rc;

	if (snprintf(path, sizeof(path), "%s/data.mdb", dir) >= (int)sizeof(path))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dir);
	if (stat(path, &sb) == -1)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: no LMDB store here", dir);
	if ((rc = mdb_env_create(&env)) != 0)
		return lmdb_fail(eb, rc, dir);
	/* No map size: LMDB takes the file's own, whatever the program that made it set. */
	if ((rc = mdb_env_set_maxdbs(env, BK_MAX_DBS)) != 0 ||
	    (rc = mdb_env_set_maxreaders(env, 256)) != 0 ||
	    (rc = mdb_env_open(env, dir, MDB_NOTLS, 0600)) != 0) {
		mdb_env_close(env);
		return lmdb_fail(eb, rc, dir);
	}
	*ret = env;
	return ASB_OK;
}

int
bk_counts(MDB_env *env, struct bk_counts *ret, struct asb_errbuf *eb)
{
	struct bk_counts c;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_dbi main, dbi;
	MDB_val k, v;
	MDB_stat st;
	char name[64];
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) != 0)
		return lmdb_fail(eb, rc, "begin");
	c.txnid = mdb_txn_id(txn);
	if ((rc = mdb_dbi_open(txn, NULL, 0, &main)) != 0 ||
	    (rc = mdb_cursor_open(txn, main, &cur)) != 0) {
		mdb_txn_abort(txn);
		return lmdb_fail(eb, rc, "main database");
	}
	/* The main database's keys are the names of the named databases. */
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		if (k.mv_size == 0 || k.mv_size >= sizeof(name))
			continue;
		memcpy(name, k.mv_data, k.mv_size);
		name[k.mv_size] = '\0';
		if (mdb_dbi_open(txn, name, 0, &dbi) != 0)
			continue;	/* a plain key, not a database */
		if (c.n == BK_MAX_DBS) {
			mdb_cursor_close(cur);
			mdb_txn_abort(txn);
			return asb_fail(eb, ASB_EIO, NULL, "more than %d databases",
			    BK_MAX_DBS);
		}
		if ((rc = mdb_stat(txn, dbi, &st)) != 0) {
			mdb_cursor_close(cur);
			mdb_txn_abort(txn);
			return lmdb_fail(eb, rc, name);
		}
		memcpy(c.name[c.n], name, k.mv_size + 1);
		c.entries[c.n++] = st.ms_entries;
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		return lmdb_fail(eb, rc, "main database");
	}
	/* Committed, not aborted, so the handles opened here stay valid for the program
	 * that owns the environment. */
	if ((rc = mdb_txn_commit(txn)) != 0)
		return lmdb_fail(eb, rc, "end");
	*ret = c;
	return ASB_OK;
}

int
bk_env_copy(MDB_env *env, const char *dstdir, struct bk_counts *ret_before,
    struct bk_counts *ret_after, int *ret_exact, struct asb_errbuf *eb)
{
	char path[4200];
	int fd, rc, err, try;

	if (mkdir(dstdir, 0700) == -1 && errno != EEXIST)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", dstdir, strerror(errno));
	if (chmod(dstdir, 0700) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", dstdir, strerror(errno));
	if (snprintf(path, sizeof(path), "%s/data.mdb", dstdir) >= (int)sizeof(path))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dstdir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1)
		return asb_fail(eb, errno == EEXIST ? ASB_ECONFLICT : ASB_EIO, NULL,
		    "%s: %s", path, strerror(errno));
	*ret_exact = 0;
	for (try = 0; try < BK_TRIES && !*ret_exact; try++) {
		if (ftruncate(fd, 0) == -1 || lseek(fd, 0, SEEK_SET) == -1) {
			err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if ((err = bk_counts(env, ret_before, eb)) != ASB_OK)
			goto fail;
		if ((rc = mdb_env_copyfd2(env, fd, MDB_CP_COMPACT)) != 0) {
			err = lmdb_fail(eb, rc, "copy");
			goto fail;
		}
		if ((err = bk_counts(env, ret_after, eb)) != ASB_OK)
			goto fail;
		*ret_exact = ret_before->txnid == ret_after->txnid;
	}
	if (fsync(fd) == -1 || fchmod(fd, 0600) == -1) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (close(fd) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", path, strerror(errno));
	return bk_dir_sync(dstdir, eb);
fail:
	close(fd);
	unlink(path);
	return err;
}

int
bk_counts_check(const struct bk_counts *copy, const struct bk_counts *before,
    const struct bk_counts *after, int exact, const char *const *grows,
    struct asb_errbuf *eb)
{
	unsigned i;
	uint64_t n, lo, hi;

	if (exact) {
		if (copy->n != before->n)
			return asb_fail(eb, ASB_EIO, NULL, "the copy holds %u databases, the "
			    "original %u", copy->n, before->n);
		for (i = 0; i < before->n; i++)
			if ((n = bk_count(copy, before->name[i])) != before->entries[i])
				return asb_fail(eb, ASB_EIO, NULL, "the copy's %s holds %llu "
				    "entries, the original's %llu", before->name[i],
				    (unsigned long long)n,
				    (unsigned long long)before->entries[i]);
		return ASB_OK;
	}
	for (; grows != NULL && *grows != NULL; grows++) {
		n = bk_count(copy, *grows);
		lo = bk_count(before, *grows);
		hi = bk_count(after, *grows);
		if (n < lo || n > hi)
			return asb_fail(eb, ASB_EIO, NULL, "the copy's %s holds %llu entries, "
			    "outside the original's %llu to %llu during the copy", *grows,
			    (unsigned long long)n, (unsigned long long)lo,
			    (unsigned long long)hi);
	}
	return ASB_OK;
}

int
bk_dest_prepare(const char *dir, struct asb_errbuf *eb)
{
	struct dirent *de;
	struct stat sb;
	DIR *d;

	if (mkdir(dir, 0700) == 0)
		return ASB_OK;
	if (errno != EEXIST)
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot create: %s", dir,
		    strerror(errno));
	if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode))
		return asb_fail(eb, ASB_ECONFLICT, NULL, "%s exists and is not a directory",
		    dir);
	if ((d = opendir(dir)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
			/* the message before closedir, which frees de */
			asb_fail(eb, ASB_ECONFLICT, NULL, "%s is not empty (it holds '%s'): "
			    "give a new or empty directory", dir, de->d_name);
			closedir(d);
			return ASB_ECONFLICT;
		}
	closedir(d);
	if (chmod(dir, 0700) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", dir, strerror(errno));
	return ASB_OK;
}

int
bk_inside(const char *path, const char *dir)
{
	char rd[PATH_MAX], rp[PATH_MAX], parent[PATH_MAX], *slash;
	size_t n;

	if (realpath(dir, rd) == NULL)
		return 0;
	if (realpath(path, rp) == NULL) {
		/* not there yet: its parent's real path and its own name */
		if (snprintf(parent, sizeof(parent), "%s", path) >= (int)sizeof(parent))
			return 0;
		if ((slash = strrchr(parent, '/')) == NULL)
			snprintf(parent, sizeof(parent), ".");
		else if (slash == parent)
			parent[1] = '\0';
		else
			*slash = '\0';
		if (realpath(parent, rp) == NULL)
			return 0;
	}
	n = strlen(rd);
	return strncmp(rp, rd, n) == 0 && (rp[n] == '\0' || rp[n] == '/' || n == 1);
}

int
bk_file_copy(const char *src, const char *dst, struct asb_errbuf *eb)
{
	char buf[65536];
	ssize_t n, w, off;
	int in, out, err = ASB_OK;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) == -1)
		return asb_fail(eb, errno == ENOENT ? ASB_ENOTFOUND : ASB_EIO, NULL, "%s: %s",
		    src, strerror(errno));
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1) {
		err = asb_fail(eb, errno == EEXIST ? ASB_ECONFLICT : ASB_EIO, NULL, "%s: %s",
		    dst, strerror(errno));
		close(in);
		return err;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", src, strerror(errno));
			break;
		}
		for (off = 0; off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) == -1) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", dst,
				    strerror(errno));
				break;
			}
		if (err != ASB_OK)
			break;
	}
	close(in);
	if (err == ASB_OK && (fchmod(out, 0600) == -1 || fsync(out) == -1))
		err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", dst, strerror(errno));
	if (close(out) == -1 && err == ASB_OK)
		err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", dst, strerror(errno));
	if (err != ASB_OK)
		unlink(dst);
	return err;
}

int
bk_dir_sync(const char *dir, struct asb_errbuf *eb)
{
	int fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 || fsync(fd) == -1) {
		if (fd != -1)
			close(fd);
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", dir, strerror(errno));
	}
	close(fd);
	return ASB_OK;
}

/* Call fn on every entry of dir but . and .. */
static void
each(const char *dir, void (*fn)(const char *path, const struct stat *, void *), void *ctx)
{
	char path[4200];
	struct dirent *de;
	struct stat sb;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path) || lstat(path, &sb) == -1)
			continue;
		fn(path, &sb, ctx);
	}
	closedir(d);
}

static void
remove_one(const char *path, const struct stat *sb, void *ctx)
{
	(void)ctx;
	if (S_ISDIR(sb->st_mode)) {
		each(path, remove_one, NULL);
		(void)rmdir(path);
	} else
		(void)unlink(path);
}

void
bk_remove(const char *dir, int rmdir_too)
{
	each(dir, remove_one, NULL);
	if (rmdir_too)
		(void)rmdir(dir);
}

static void
add_size(const char *path, const struct stat *sb, void *ctx)
{
	if (S_ISDIR(sb->st_mode))
		each(path, add_size, ctx);
	else if (S_ISREG(sb->st_mode))
		*(uint64_t *)ctx += (uint64_t)sb->st_size;
}

uint64_t
bk_size(const char *dir)
{
	uint64_t n = 0;

	each(dir, add_size, &n);
	return n;
}

int
bk_in_use(const char *dir, long *ret_pid)
{
	char path[4200];
	struct flock fl;
	int fd;

	if (snprintf(path, sizeof(path), "%s/lock.mdb", dir) >= (int)sizeof(path) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 1;
	if (fcntl(fd, F_GETLK, &fl) == -1 || fl.l_type == F_UNLCK) {
		close(fd);
		return 0;
	}
	close(fd);
	*ret_pid = (long)fl.l_pid;
	return 1;
}

/* ---- restore --------------------------------------------------------------------------- */

struct use {
	long	 pid;
	int	 used;
};

static void
sub_in_use(const char *path, const struct stat *sb, void *ctx)
{
	struct use *u = ctx;

	if (S_ISDIR(sb->st_mode) && !u->used)
		u->used = bk_in_use(path, &u->pid);
}

int
bk_restore_begin(const char *dir, int force, char *tmp, size_t cap, int *ret_state,
    struct asb_errbuf *eb)
{
	char buf[4200], parent[4200], base[4200], *p;
	struct use u = { 0, 0 };
	struct dirent *de;
	DIR *d;
	int state = BK_DIR_EMPTY;

	if ((d = opendir(dir)) == NULL) {
		if (errno != ENOENT)
			return asb_fail(eb, errno == ENOTDIR ? ASB_ECONFLICT : ASB_EIO, NULL,
			    "%s: %s", dir, strerror(errno));
		state = BK_DIR_MISSING;
	} else {
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
				state = BK_DIR_FULL;
		closedir(d);
	}
	if (state == BK_DIR_FULL) {
		if ((u.used = bk_in_use(dir, &u.pid)) == 0)
			each(dir, sub_in_use, &u);
		if (u.used)
			return asb_fail(eb, ASB_ECONFLICT, NULL, "%s is in use by process "
			    "%ld: stop what has it open (the service, an import) before "
			    "restoring over it", dir, u.pid);
		if (!force)
			return asb_fail(eb, ASB_ECONFLICT, NULL, "%s is not empty: give "
			    "--force to replace what it holds (kept beside it, renamed)", dir);
	}
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dir);
	while ((p = strrchr(buf, '/')) != NULL && p[1] == '\0' && p != buf)
		*p = '\0';	/* "reg/" is "reg" */
	if ((p = strrchr(buf, '/')) == NULL) {
		snprintf(parent, sizeof(parent), ".");
		snprintf(base, sizeof(base), "%s", buf);
	} else {
		*p = '\0';
		snprintf(parent, sizeof(parent), "%s", p == buf ? "/" : buf);
		snprintf(base, sizeof(base), "%s", p + 1);
	}
	if ((size_t)snprintf(tmp, cap, "%s/.%s.restore-XXXXXX", parent, base) >= cap)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dir);
	if (mkdtemp(tmp) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot make a directory beside it: "
		    "%s", dir, strerror(errno));
	*ret_state = state;
	return ASB_OK;
}

int
bk_restore_finish(const char *tmp, const char *dir, int state, char *ret_old, size_t cap,
    struct asb_errbuf *eb)
{
	char parent[4200], *p;
	struct stat sb;
	struct tm tm;
	time_t now = time(NULL);
	int n;

	ret_old[0] = '\0';
	if (bk_dir_sync(tmp, eb) != ASB_OK)
		return ASB_EIO;
	if (state == BK_DIR_EMPTY && rmdir(dir) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", dir, strerror(errno));
	if (state == BK_DIR_FULL) {
		gmtime_r(&now, &tm);
		/* Never over an earlier one: a second restore in the same second gets -2. */
		for (n = 1; n < 100; n++) {
			if ((size_t)snprintf(ret_old, cap, "%s.replaced-%04d%02d%02dT%02d%02d"
			    "%02dZ%s%.0d", dir, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec, n > 1 ? "-" : "", n > 1 ? n : 0)
			    >= cap)
				return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dir);
			if (lstat(ret_old, &sb) == -1 && errno == ENOENT)
				break;
		}
		if (rename(dir, ret_old) == -1)
			return asb_fail(eb, ASB_EIO, NULL, "%s: cannot move aside to %s: %s",
			    dir, ret_old, strerror(errno));
	}
	if (rename(tmp, dir) == -1) {
		int e = errno;

		if (state == BK_DIR_FULL)
			(void)rename(ret_old, dir);	/* put the old one back */
		else if (state == BK_DIR_EMPTY)
			(void)mkdir(dir, 0700);
		ret_old[0] = '\0';
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot move the restored copy into "
		    "place: %s", dir, strerror(e));
	}
	snprintf(parent, sizeof(parent), "%s", dir);
	if ((p = strrchr(parent, '/')) != NULL)
		*(p == parent ? p + 1 : p) = '\0';
	else
		snprintf(parent, sizeof(parent), ".");
	(void)bk_dir_sync(parent, eb);
	return ASB_OK;
}
