/*
 * backup.c - a register's backup and restore (backup.h): the layout of a register directory
 * and what proves a copy of it whole; the copying itself is common/envcopy.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup.h"
#include "internal.h"
#include "envcopy.h"

/* What only grows while the register is written: the check when writers committed during
 * every copy tried (indexes may shrink, as a rectified identity moves). */
static const char *const grows[] = { "records", "subjects", "events", "audit", NULL };
static const char *const grows_outbox[] = { "entries", NULL };

static void
skipped(struct reg_backup_info *info, const char *name)
{
	size_t n = strlen(info->skipped);

	snprintf(info->skipped + n, sizeof(info->skipped) - n, "%s%s", n ? ", " : "", name);
}

/* Copy the LMDB environment in src (not open in this process) to dst and check the copy. */
static int
env_copy(const char *src, const char *dst, const char *const *g, uint64_t *ret_entries,
    struct asb_errbuf *eb)
{
	struct bk_counts before, after, copy;
	MDB_env *env;
	int err, exact;

	if ((err = bk_env_open(src, &env, eb)) != ASB_OK)
		return err;
	err = bk_env_copy(env, dst, &before, &after, &exact, eb);
	mdb_env_close(env);
	if (err != ASB_OK)
		return err;
	if ((err = bk_env_open(dst, &env, eb)) != ASB_OK)
		return err;
	err = bk_counts(env, &copy, eb);
	mdb_env_close(env);
	if (err == ASB_OK)
		err = bk_counts_check(&copy, &before, &after, exact, g, eb);
	if (err == ASB_OK && ret_entries != NULL)
		*ret_entries = bk_count(&copy, g[0]);
	return err;
}

/* The outbox (and any other LMDB environment in a subdirectory), first. */
static int
copy_envs(const char *dir, const char *dest, struct reg_backup_info *info,
    struct asb_errbuf *eb)
{
	char src[4200], dst[4200], db[4300];
	struct dirent *de;
	struct stat sb;
	uint64_t n;
	DIR *d;
	int err = ASB_OK;

	if ((d = opendir(dir)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", dir, strerror(errno));
	while (err == ASB_OK && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
		if (lstat(src, &sb) == -1 || !S_ISDIR(sb.st_mode))
			continue;
		snprintf(db, sizeof(db), "%s/data.mdb", src);
		if (stat(db, &sb) == -1) {
			skipped(info, de->d_name);
			continue;
		}
		snprintf(dst, sizeof(dst), "%s/%s", dest, de->d_name);
		n = 0;
		if ((err = env_copy(src, dst, strcmp(de->d_name, "outbox") == 0 ?
		    grows_outbox : NULL, &n, eb)) == ASB_OK &&
		    strcmp(de->d_name, "outbox") == 0) {
			info->has_outbox = 1;
			info->outbox = n;
		}
	}
	closedir(d);
	return err;
}

/* The plain files: the key (unless left out), the gateway's settings, any other. */
static int
copy_files(const char *dir, const char *dest, int with_key, struct reg_backup_info *info,
    struct asb_errbuf *eb)
{
	char src[4200], dst[4200];
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int err = ASB_OK;

	if ((d = opendir(dir)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", dir, strerror(errno));
	while (err == ASB_OK && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, "data.mdb") == 0 || strcmp(de->d_name, "lock.mdb") == 0)
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
		if (lstat(src, &sb) == -1 || S_ISDIR(sb.st_mode))
			continue;
		if (!S_ISREG(sb.st_mode)) {
			skipped(info, de->d_name);	/* a link, a socket: not ours */
			continue;
		}
		if (strcmp(de->d_name, "force.key") == 0 && !with_key)
			continue;
		snprintf(dst, sizeof(dst), "%s/%s", dest, de->d_name);
		if ((err = bk_file_copy(src, dst, eb)) == ASB_OK &&
		    strcmp(de->d_name, "force.key") == 0)
			info->has_key = 1;
	}
	closedir(d);
	return err;
}

int
reg_backup_verify(const char *dir, struct reg_backup_info *ret, struct asb_errbuf *eb)
{
	struct bk_counts c;
	struct reg *r;
	uint64_t n;
	int err;

	if ((err = reg_open(dir, &r, eb)) != ASB_OK)
		return err;
	if ((err = reg_begin(r, 0, eb)) == ASB_OK) {
		err = reg_audit_verify(r, &n, eb);
		reg_abort(r);	/* before bk_counts: one read transaction a thread */
	}
	if (err == ASB_OK)
		err = bk_counts(r->env, &c, eb);
	reg_close(r);
	if (err != ASB_OK)
		return err;
	ret->records = bk_count(&c, "records");
	ret->subjects = bk_count(&c, "subjects");
	ret->events = bk_count(&c, "events");
	ret->audit = bk_count(&c, "audit");
	if (ret->audit != n)
		return asb_fail(eb, ASB_EIO, NULL, "%s: the audit log holds %llu entries but "
		    "%llu verify", dir, (unsigned long long)ret->audit,
		    (unsigned long long)n);
	return ASB_OK;
}

/* The register itself, from the handle the role was checked on, then checked. */
static int
copy_register(struct reg *r, const char *dest, struct reg_backup_info *info,
    struct asb_errbuf *eb)
{
	struct bk_counts before, after, copy;
	struct reg *c;
	int err, exact;

	if ((err = bk_env_copy(r->env, dest, &before, &after, &exact, eb)) != ASB_OK)
		return err;
	if ((err = reg_backup_verify(dest, info, eb)) != ASB_OK)
		return err;
	if ((err = reg_open(dest, &c, eb)) != ASB_OK)
		return err;
	err = bk_counts(c->env, &copy, eb);
	reg_close(c);
	if (err == ASB_OK)
		err = bk_counts_check(&copy, &before, &after, exact, grows, eb);
	info->exact = exact;
	return err;
}

int
reg_backup(const char *dir, const char *dest, const char *user, int with_key,
    struct reg_backup_info *ret, struct asb_errbuf *eb)
{
	struct reg_backup_info info;
	struct stat sb;
	struct reg *r;
	int err, made;

	memset(&info, 0, sizeof(info));
	if (bk_inside(dest, dir))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s is inside the register %s: give a "
		    "directory outside it", dest, dir);
	if ((err = reg_open_as(dir, user, "backup", &r, eb)) != ASB_OK)
		return err;
	made = stat(dest, &sb) == -1;
	if ((err = bk_dest_prepare(dest, eb)) != ASB_OK) {
		reg_close(r);
		return err;
	}
	if ((err = copy_envs(dir, dest, &info, eb)) == ASB_OK &&
	    (err = copy_register(r, dest, &info, eb)) == ASB_OK &&
	    (err = copy_files(dir, dest, with_key, &info, eb)) == ASB_OK)
		err = bk_dir_sync(dest, eb);
	reg_close(r);
	if (err != ASB_OK) {
		/* dest was new or empty: nothing of anyone else's is in it */
		bk_remove(dest, made);
		return err;
	}
	info.bytes = bk_size(dest);
	*ret = info;
	return ASB_OK;
}

/* Two files of the same bytes (both small: force.key is 32 bytes). */
static int
same_bytes(const char *a, const char *b)
{
	unsigned char x[256], y[256];
	size_t nx, ny;
	FILE *fa, *fb;

	if ((fa = fopen(a, "rb")) == NULL)
		return 0;
	if ((fb = fopen(b, "rb")) == NULL) {
		fclose(fa);
		return 0;
	}
	nx = fread(x, 1, sizeof(x), fa);
	ny = fread(y, 1, sizeof(y), fb);
	fclose(fa);
	fclose(fb);
	return nx == ny && memcmp(x, y, nx) == 0;
}

/*
 * Replacing a register: only with a backup of the same force, and with the same key.  Another
 * force's backup over this one is a mistake of directories; a backup whose force.key is not
 * the register's would make the pseudonyms of every return from now on differ from those
 * sent, so repeat subjects stop being counted.  Both ASB_ECONFLICT, nothing changed.
 */
static int
same_force(const char *src, const char *code, const char *dir, struct asb_errbuf *eb)
{
	char a[4200], b[4200];
	struct reg *r;
	uint64_t fmt;
	int err;

	if (snprintf(a, sizeof(a), "%s/data.mdb", dir) >= (int)sizeof(a) || access(a, F_OK))
		return ASB_OK;	/* no register there to compare with */
	if ((err = reg_store_open(dir, &r, &fmt, eb)) != ASB_OK)
		return ASB_OK;	/* not a register it can read: --force replaces it */
	if (strcmp(reg_force(r), code) != 0) {
		err = asb_fail(eb, ASB_ECONFLICT, NULL, "%s is the register of %s, %s of %s: "
		    "not a backup of this register (restore it into another directory)",
		    src, code, dir, reg_force(r));
		reg_close(r);
		return err;
	}
	reg_close(r);
	if (snprintf(a, sizeof(a), "%s/force.key", src) >= (int)sizeof(a) ||
	    snprintf(b, sizeof(b), "%s/force.key", dir) >= (int)sizeof(b))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dir);
	if (access(a, F_OK) == 0 && access(b, F_OK) == 0 && !same_bytes(a, b))
		return asb_fail(eb, ASB_ECONFLICT, NULL, "%s/force.key is not the key of the "
		    "register in %s: the pseudonyms of returns built from now on would differ "
		    "from those sent; restore it into another directory and compare", src, dir);
	return ASB_OK;
}

/* ---- restore -------------------------------------------------------------------------- */

int
reg_restore(const char *src, const char *dir, const char *user, const char *key,
    int force, struct reg_backup_info *ret, struct asb_errbuf *eb)
{
	struct reg_backup_info info;
	char tmp[4300], path[4400], old[4400], force_code[16];
	struct reg *r;
	int err, state;

	memset(&info, 0, sizeof(info));
	/* The backup must be a register the user may restore. */
	if ((err = reg_open_as(src, user, "restore", &r, eb)) != ASB_OK)
		return err;
	snprintf(force_code, sizeof(force_code), "%s", reg_force(r));
	reg_close(r);
	if (force && (err = same_force(src, force_code, dir, eb)) != ASB_OK)
		return err;
	if ((err = bk_restore_begin(dir, force, tmp, sizeof(tmp), &state, eb)) != ASB_OK)
		return err;
	if ((err = reg_backup(src, tmp, user, 1, &info, eb)) != ASB_OK)
		goto fail;
	if (snprintf(path, sizeof(path), "%s/force.key", tmp) >= (int)sizeof(path) ||
	    snprintf(old, sizeof(old), "%s/force.key", dir) >= (int)sizeof(old)) {
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dir);
		goto fail;
	}
	if (!info.has_key) {
		if (key == NULL && state == BK_DIR_FULL && access(old, R_OK) == 0)
			key = old;	/* the register replaced has this force's key */
		else if (key != NULL && state == BK_DIR_FULL && access(old, F_OK) == 0 &&
		    !same_bytes(key, old)) {
			err = asb_fail(eb, ASB_ECONFLICT, NULL, "%s is not the key of the "
			    "register in %s: the pseudonyms of returns built from now on would "
			    "differ from those sent", key, dir);
			goto fail;
		}
		if (key == NULL) {
			err = asb_fail(eb, ASB_ENOTFOUND, NULL, "%s holds no force.key (a "
			    "backup taken with --no-key): give --key FILE, the copy held "
			    "apart", src);
			goto fail;
		}
		if ((err = bk_file_copy(key, path, eb)) != ASB_OK)
			goto fail;
		info.has_key = 1;
	}
	if ((err = bk_restore_finish(tmp, dir, state, info.replaced, sizeof(info.replaced),
	    eb)) != ASB_OK)
		goto fail;
	*ret = info;
	return ASB_OK;
fail:
	bk_remove(tmp, 1);
	return err;
}
