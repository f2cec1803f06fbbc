/*
 * create.c - making a new register: its directory, its LMDB environment with every database
 * (store.c), its meta data, its first audit entry (audit.c) and the force's pseudonymisation
 * key.  Kept out of the LMDB layer, which only opens what exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codes.h"
#include "internal.h"

/* Write the force's pseudonymisation secret: 32 random bytes, 0600, never overwritten. */
static int
key_create(const char *dir, struct asb_errbuf *eb)
{
	unsigned char key[32];
	char path[4200];
	int fd, err = ASB_OK;

	if (reg_key_path(dir, path, sizeof(path)) == -1)
		return asb_fail(eb, ASB_EUSAGE, NULL, "register path too long");
	if (RAND_bytes(key, sizeof(key)) != 1)
		return asb_fail(eb, ASB_EIO, NULL, "no randomness for the "
		    "force key");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		OPENSSL_cleanse(key, sizeof(key));
		return asb_fail(eb, errno == EEXIST ? ASB_ECONFLICT : ASB_EIO,
		    NULL, "%s: %s", path, strerror(errno));
	}
	if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) ||
	    fsync(fd) == -1)
		err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", path,
		    strerror(errno));
	OPENSSL_cleanse(key, sizeof(key));
	if (close(fd) == -1 && err == ASB_OK)
		err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", path,
		    strerror(errno));
	if (err != ASB_OK)
		unlink(path);
	return err;
}

/* mkdir -p: the default ./var/register needs ./var first. */
static int
mkdirs(const char *dir, struct asb_errbuf *eb)
{
	char path[4096];
	size_t i, n = strlen(dir);

	if (n >= sizeof(path))
		return asb_fail(eb, ASB_EUSAGE, NULL, "register path too long");
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			return asb_fail(eb, ASB_EIO, NULL, "%s: %s", path,
			    strerror(errno));
		path[i] = i < n ? '/' : '\0';
	}
	return ASB_OK;
}

int
reg_init(const char *dir, const char *force, const char *user, asb_time now,
    struct asb_errbuf *eb)
{
	struct reg *r = NULL;
	char path[4200], fmt[8];
	struct stat st;
	int err;

	if (sch_code_index(SCH_LIST_FORCES, force) < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a force code "
		    "(an ONS GSS police force area code, e.g. E23000011; "
		    "see 'asbreg codes forces')", force);
	if ((err = mkdirs(dir, eb)) != ASB_OK)
		return err;
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	if (stat(path, &st) == 0)
		return asb_fail(eb, ASB_ECONFLICT, NULL, "%s: a register "
		    "exists here already", dir);
	if ((err = reg_store_create(dir, &r, eb)) != ASB_OK)
		goto fail;
	snprintf(fmt, sizeof(fmt), "%d", REG_FORMAT);
	if ((err = reg_meta_put_str(r, "force", force, eb)) != ASB_OK ||
	    (err = reg_meta_put_str(r, "format", fmt, eb)) != ASB_OK ||
	    (err = reg_meta_put_str(r, "identity.format", REG_IDENTITY_FORMAT, eb)) != ASB_OK ||
	    (err = reg_due_index_init(r, eb)) != ASB_OK)
		goto fail;
	snprintf(r->user, sizeof(r->user), "%s", user);
	snprintf(r->op, sizeof(r->op), "init");
	if ((err = reg_audit_log(r, REG_AUDIT_COLLECTION, now, NULL, force, 0, eb)) != ASB_OK)
		goto fail;
	if ((err = key_create(dir, eb)) != ASB_OK)
		goto fail;
	if ((err = reg_commit(r, eb)) != ASB_OK) {
		if (reg_key_path(dir, path, sizeof(path)) == 0)
			unlink(path);
		goto fail;
	}
	reg_close(r);
	return ASB_OK;
fail:
	reg_close(r);
	/* Leave no half-made register behind. */
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lock.mdb", dir);
	unlink(path);
	return err;
}

