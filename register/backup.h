/*
 * backup.h - a register's backup and restore (part of libregister).
 *
 * A register directory holds the register (data.mdb), the gateway's outbox (outbox/, an LMDB
 * environment of its own), the pseudonymisation key (force.key) and the gateway's settings
 * (asbgw.conf) and any other plain file put there.  A backup is a directory of the same shape
 * that every command opens with -d like the original; it is taken while the register is in
 * use (writers carry on: common/envcopy.h) and checked before it is called done: the copy
 * opens, its audit chain verifies, and its counts of records, subjects, events and audit
 * entries (and of every other database, and the outbox's entries) equal the source's at the
 * state copied.  The outbox is copied first: it is derived from the register (a return is
 * built from it), so a register copied after it explains every return the outbox holds.
 *
 * force.key is copied unless with_key is 0: without it next year's pseudonyms differ and
 * repeat subjects cannot be counted across returns, so a backup that will restore a register
 * must have it; an off-site copy may leave it out, the key then held apart.  It never leaves
 * the force in a return (gateway/pseudo.c keys HMAC-SHA-256 with it; only the pseudonyms go).
 */
#ifndef REG_BACKUP_H
#define REG_BACKUP_H

#include <stdint.h>

#include "err.h"

struct reg_backup_info {
	uint64_t	 records, subjects, events, audit;	/* the copy's */
	uint64_t	 outbox;		/* the outbox's entries, when there is one */
	int		 has_outbox, has_key;
	int		 exact;			/* 1: the counts equal the source's at one state */
	uint64_t	 bytes;			/* the backup's size on disk */
	char		 skipped[512];		/* what was not copied, "" for nothing */
	char		 replaced[4200];	/* restore --force: where the old register went */
};

/*
 * Back up the register in dir into dest (made 0700, or an empty directory): user must be
 * one the register lets run "backup" (the data team, once it has users).  ASB_ECONFLICT when
 * dest is not empty, ASB_ENOTFOUND when dir holds no register, ASB_ERULE for a role refused,
 * ASB_EIO when the copy fails or does not check (what was written is then removed).
 */
int	 reg_backup(const char *dir, const char *dest, const char *user, int with_key,
	    struct reg_backup_info *ret, struct asb_errbuf *eb);

/* Check a backup (or any register directory): it opens, the audit chain verifies; fills the
 * counts.  ASB_ENOTFOUND, ASB_ERULE (R-AUD-001) for a chain that does not verify, ASB_EIO. */
int	 reg_backup_verify(const char *dir, struct reg_backup_info *ret, struct asb_errbuf *eb);

/*
 * Put the backup src back as the register in dir.  It is copied (and checked) into a new
 * directory beside dir and then renamed into place, so dir is never half restored.  When dir
 * holds a register already: ASB_ECONFLICT unless force; with force the old one is renamed to
 * dir.replaced-YYYYMMDDTHHMMSSZ (ret->replaced), kept until the operator removes it.  A
 * register open in a running process is never replaced (ASB_ECONFLICT naming its pid), nor
 * one of another force, nor one whose force.key is not the backup's (or key's).  A
 * backup without force.key takes key (a file) or, replacing a register, that register's key;
 * with neither, ASB_ENOTFOUND.
 */
int	 reg_restore(const char *src, const char *dir, const char *user, const char *key,
	    int force, struct reg_backup_info *ret, struct asb_errbuf *eb);

#endif
