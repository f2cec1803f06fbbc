/*
 * backup.c - a hub's backup and restore (backup.h): the layout of a hub directory and what
 * proves a copy of it whole; the copying itself is common/envcopy.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup.h"
#include "envcopy.h"
#include "store.h"

/* What only grows while the hub serves: the check when writers committed during every copy
 * tried ('latest' and 'facts' are rewritten in place). */
static const char *const grows[] = { "returns", "bodies", "receipts", "certs", NULL };

static void
count_cert(const struct hub_cert *c, void *ctx)
{
	(void)c;
	(*(uint64_t *)ctx)++;
}

static void
count_return(const struct hub_return *r, void *ctx)
{
	(void)r;
	(*(uint64_t *)ctx)++;
}

int
hub_backup_verify(const char *dir, struct hub_backup_info *ret, struct asb_errbuf *eb)
{
	struct hub_store *st;
	int err;

	ret->returns = ret->certs = 0;
	if ((err = hub_store_open(dir, 0, &st, eb)) != ASB_OK)
		return err;
	if ((err = hub_cert_each(st, count_cert, &ret->certs, eb)) == ASB_OK)
		err = hub_return_each(st, NULL, NULL, count_return, &ret->returns, eb);
	hub_store_close(st);
	return err;
}

static int
is_key(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".key") == 0;
}

/* The files 'asbhub init' copied in (and any other plain file), the keys unless left out. */
static int
copy_files(const char *dir, const char *dest, int with_keys, struct hub_backup_info *info,
    struct asb_errbuf *eb)
{
	char src[4200], dst[4200];
	struct dirent *de;
	struct stat sb;
	size_t n;
	DIR *d;
	int err = ASB_OK;

	if ((d = opendir(dir)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", dir, strerror(errno));
	while (err == ASB_OK && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, "store") == 0)
			continue;
		if (snprintf(src, sizeof(src), "%s/%s", dir, de->d_name) >= (int)sizeof(src) ||
		    snprintf(dst, sizeof(dst), "%s/%s", dest, de->d_name) >= (int)sizeof(dst) ||
		    lstat(src, &sb) == -1)
			continue;
		if (!S_ISREG(sb.st_mode)) {
			n = strlen(info->skipped);
			snprintf(info->skipped + n, sizeof(info->skipped) - n, "%s%s",
			    n ? ", " : "", de->d_name);
			continue;
		}
		if (is_key(de->d_name) && !with_keys)
			continue;
		if ((err = bk_file_copy(src, dst, eb)) == ASB_OK && is_key(de->d_name))
			info->keys++;
	}
	closedir(d);
	return err;
}

static int
copy_store(const char *dir, const char *dest, struct hub_backup_info *info,
    struct asb_errbuf *eb)
{
	struct bk_counts before, after, copy;
	char src[4200], dst[4200];
	MDB_env *env;
	int err, exact;

	if (snprintf(src, sizeof(src), "%s/store", dir) >= (int)sizeof(src) ||
	    snprintf(dst, sizeof(dst), "%s/store", dest) >= (int)sizeof(dst))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", dir);
	if ((err = bk_env_open(src, &env, eb)) != ASB_OK)
		return err == ASB_ENOTFOUND ? asb_fail(eb, err, NULL, "%s: no hub here (run "
		    "'asbhub init -d %s' first)", dir, dir) : err;
	err = bk_env_copy(env, dst, &before, &after, &exact, eb);
	mdb_env_close(env);
	if (err != ASB_OK)
		return err;
	/* The counts first (the store is opened once at a time in a process), then every
	 * value decoded. */
	if ((err = bk_env_open(dst, &env, eb)) != ASB_OK)
		return err;
	err = bk_counts(env, &copy, eb);
	mdb_env_close(env);
	if (err == ASB_OK)
		err = bk_counts_check(&copy, &before, &after, exact, grows, eb);
	if (err == ASB_OK)
		err = hub_backup_verify(dest, info, eb);
	if (err == ASB_OK && (info->returns != bk_count(&copy, "returns") ||
	    info->certs != bk_count(&copy, "certs")))
		err = asb_fail(eb, ASB_EIO, NULL, "%s: %llu returns and %llu certificates "
		    "decode of %llu and %llu stored", dest, (unsigned long long)info->returns,
		    (unsigned long long)info->certs,
		    (unsigned long long)bk_count(&copy, "returns"),
		    (unsigned long long)bk_count(&copy, "certs"));
	info->exact = exact;
	return err;
}

int
hub_backup(const char *dir, const char *dest, int with_keys, struct hub_backup_info *ret,
    struct asb_errbuf *eb)
{
	struct hub_backup_info info;
	char path[4200];
	struct stat sb;
	int err, made;

	memset(&info, 0, sizeof(info));
	if (snprintf(path, sizeof(path), "%s/store/data.mdb", dir) >= (int)sizeof(path) ||
	    stat(path, &sb) == -1)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: no hub here (run 'asbhub init "
		    "-d %s' first)", dir, dir);
	made = stat(dest, &sb) == -1;
	if (bk_inside(dest, dir))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s is inside the hub %s: give a "
		    "directory outside it", dest, dir);
	if ((err = bk_dest_prepare(dest, eb)) != ASB_OK)
		return err;
	if ((err = copy_store(dir, dest, &info, eb)) == ASB_OK &&
	    (err = copy_files(dir, dest, with_keys, &info, eb)) == ASB_OK)
		err = bk_dir_sync(dest, eb);
	if (err != ASB_OK) {
		bk_remove(dest, made);	/* dest was new or empty */
		return err;
	}
	info.bytes = bk_size(dest);
	*ret = info;
	return ASB_OK;
}

/* A key the backup left out, from the hub it replaces. */
static int
keys_from(const char *old, const char *tmp, struct hub_backup_info *info,
    struct asb_errbuf *eb)
{
	static const char *const keys[] = { "tls.key", "sign.key", NULL };
	char src[4400], dst[4400];
	const char *const *k;
	int err;

	for (k = keys; *k != NULL; k++) {
		if (snprintf(dst, sizeof(dst), "%s/%s", tmp, *k) >= (int)sizeof(dst))
			return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", tmp);
		if (access(dst, F_OK) == 0)
			continue;
		if (old == NULL || snprintf(src, sizeof(src), "%s/%s", old, *k) >=
		    (int)sizeof(src) || access(src, R_OK) == -1)
			return asb_fail(eb, ASB_ENOTFOUND, NULL, "the backup holds no %s (taken "
			    "with --no-keys) and there is no hub here to take it from: put "
			    "the copy held apart in the backup first", *k);
		if ((err = bk_file_copy(src, dst, eb)) != ASB_OK)
			return err;
		info->keys++;
	}
	return ASB_OK;
}

int
hub_restore(const char *src, const char *dir, int force, struct hub_backup_info *ret,
    struct asb_errbuf *eb)
{
	struct hub_backup_info info;
	char tmp[4300];
	int err, state;

	memset(&info, 0, sizeof(info));
	if ((err = hub_backup_verify(src, &info, eb)) != ASB_OK)
		return err;
	if ((err = bk_restore_begin(dir, force, tmp, sizeof(tmp), &state, eb)) != ASB_OK)
		return err;
	if ((err = hub_backup(src, tmp, 1, &info, eb)) == ASB_OK &&
	    (err = keys_from(state == BK_DIR_FULL ? dir : NULL, tmp, &info, eb)) == ASB_OK)
		err = bk_restore_finish(tmp, dir, state, info.replaced, sizeof(info.replaced),
		    eb);
	if (err != ASB_OK) {
		bk_remove(tmp, 1);
		return err;
	}
	*ret = info;
	return ASB_OK;
}
