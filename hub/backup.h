/*
 * backup.h - a hub's backup and restore (part of libhub).
 *
 * A hub directory holds the store (store/, an LMDB environment: every return as received,
 * its facts, receipt and the forces' certificates) and the files 'asbhub init' copied in:
 * ca.crt, tls.crt, tls.key, sign.crt, sign.key.  A backup is a directory of the same shape,
 * opened with -d like the original ('asbhub returns -d DEST'), taken while the hub serves
 * (writers carry on: common/envcopy.h) and checked before it is called done: the store
 * opens, every certificate and return in it decodes, and the counts of every database equal
 * the source's at the state copied.  with_keys 0 leaves the private keys (*.key) out, for a
 * copy kept apart from them.
 */
#ifndef HUB_BACKUP_H
#define HUB_BACKUP_H

#include <stdint.h>

#include "err.h"

struct hub_backup_info {
	uint64_t	 returns, certs;	/* the copy's, each one decoded */
	int		 exact;			/* 1: the counts equal the source's at one state */
	int		 keys;			/* private keys copied */
	uint64_t	 bytes;
	char		 skipped[512];		/* what was not copied */
	char		 replaced[4200];	/* restore --force: where the old hub went */
};

/* Back up the hub in dir into dest (new or empty).  ASB_ENOTFOUND (no hub), ASB_ECONFLICT
 * (dest not empty), ASB_EIO (the copy failed or does not check; what was written is removed). */
int	 hub_backup(const char *dir, const char *dest, int with_keys, struct hub_backup_info *ret,
	    struct asb_errbuf *eb);

/* Check a backup (or any hub directory): the store opens and every return and certificate
 * decodes; fills the counts. */
int	 hub_backup_verify(const char *dir, struct hub_backup_info *ret, struct asb_errbuf *eb);

/* Put the backup src back as the hub in dir: copied and checked beside dir, then renamed into
 * place.  A dir that holds anything is ASB_ECONFLICT unless force (the old one kept as
 * dir.replaced-TIME); a store open in a running process (asbhub serve) is never replaced.  A
 * backup without keys takes them from the hub it replaces, or is ASB_ENOTFOUND. */
int	 hub_restore(const char *src, const char *dir, int force, struct hub_backup_info *ret,
	    struct asb_errbuf *eb);

#endif
