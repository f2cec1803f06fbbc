/*
 * envcopy.h - consistent copies of LMDB environments and of the files beside them, the
 * machinery under 'asbreg backup|restore' and 'asbhub backup|restore' (each of which knows
 * its own directory's layout and how to check what it copied).
 *
 * An environment is copied with LMDB's compacting copy (mdb_env_copyfd2 with MDB_CP_COMPACT)
 * from a read transaction of its own: writers carry on, and the copy holds one committed
 * state, never half of a transaction.  Two traps this module owns:
 *  - the compacting copy writes transaction ID 1 into the copy's meta page, so the copy
 *    cannot say which state it came from; and mdb_env_copyfd2 begins its own read
 *    transaction, which (without MDB_NOTLS) fails with MDB_BAD_RSLOT while the calling thread
 *    holds one.  So the state is pinned from outside: the source's counts are read in a read
 *    transaction just before the copy and again just after; when both transactions have
 *    the same ID no writer committed in between, and the copy's counts must equal them
 *    exactly.  When a writer did commit, the copy is retried (BK_TRIES times); after that
 *    the caller gets both counts and checks what can only grow between them.
 *  - the plain copy (no MDB_CP_COMPACT, mdb_env_copyfd0) takes the writers' mutex to copy
 *    the meta pages, so it waits until a running import commits; only the compacting copy
 *    (mdb_env_copyfd1: a read transaction, no lock) lets writers and the copy both go on.
 *  - mdb_env_copy2 creates data.mdb with mode 0666 less the umask and O_DIRECT; here the
 *    file is opened by us, 0600, O_EXCL (never over another file), and fsync'd.
 *
 * Files are written 0600 and directories made 0700 whatever the umask.  Nothing here keeps
 * state; errors go to the caller's errbuf (ASB_EIO for storage, ASB_ECONFLICT for a
 * destination that is not empty).
 */
#ifndef ASB_ENVCOPY_H
#define ASB_ENVCOPY_H

#include <stddef.h>
#include <stdint.h>

#include <lmdb.h>

#include "err.h"

#define BK_MAX_DBS	32	/* named databases an environment may hold (the register: 13) */
#define BK_TRIES	5	/* copies tried before settling for bounds */

/* The entries of every named database of an environment, in one read transaction. */
struct bk_counts {
	unsigned	 n;
	char		 name[BK_MAX_DBS][64];
	uint64_t	 entries[BK_MAX_DBS];
	size_t		 txnid;		/* the read transaction's ID */
};

/* The entries of the database named name in c (0 when it has none). */
uint64_t bk_count(const struct bk_counts *c, const char *name);

/* Open the environment in dir (no MDB_CREATE; the map size is the file's own), with
 * MDB_NOTLS.  ASB_ENOTFOUND when dir holds no data.mdb. */
int	 bk_env_open(const char *dir, MDB_env **ret, struct asb_errbuf *eb);

/* Count every named database of env in one read transaction (none may be open in this
 * thread). */
int	 bk_counts(MDB_env *env, struct bk_counts *ret, struct asb_errbuf *eb);

/*
 * Copy env, compacted, to dstdir/data.mdb (dstdir is made 0700 if missing; data.mdb must not
 * exist).  *ret_before and *ret_after are the source's counts just before and just after the
 * copy; *ret_exact is 1 when they are of the same transaction (the copy holds exactly that
 * state), 0 when writers committed during each of BK_TRIES copies.  No transaction may be
 * open in this thread.
 */
int	 bk_env_copy(MDB_env *env, const char *dstdir, struct bk_counts *ret_before,
	    struct bk_counts *ret_after, int *ret_exact, struct asb_errbuf *eb);

/* Check a copy's counts: equal to before when exact, else every database named in grows
 * (NULL-terminated) between before and after.  ASB_EIO naming the first that differs. */
int	 bk_counts_check(const struct bk_counts *copy, const struct bk_counts *before,
	    const struct bk_counts *after, int exact, const char *const *grows,
	    struct asb_errbuf *eb);

/* Make dir for a backup: create it 0700, or take an empty existing directory (made 0700).
 * ASB_ECONFLICT when it holds anything; ASB_EIO otherwise. */
int	 bk_dest_prepare(const char *dir, struct asb_errbuf *eb);

/* Is path (which need not exist yet) dir itself or inside it?  1 when so, 0 when not (or
 * when dir cannot be resolved): a backup into the directory it copies would copy itself. */
int	 bk_inside(const char *path, const char *dir);

/* Copy a regular file to dst (created 0600, O_EXCL), fsync'd. */
int	 bk_file_copy(const char *src, const char *dst, struct asb_errbuf *eb);

/* fsync a directory, so the names written in it last. */
int	 bk_dir_sync(const char *dir, struct asb_errbuf *eb);

/* Remove what a failed backup wrote in dir: its files and its subdirectories' files (two
 * levels, which is all a backup makes), and dir itself when rmdir is set. */
void	 bk_remove(const char *dir, int rmdir_too);

/* Is the environment in dir open in some process?  LMDB holds a shared lock on the first
 * byte of lock.mdb for as long as an environment is open: 1 and *ret_pid when another
 * process holds it, 0 when none does (or there is no lock.mdb). */
int	 bk_in_use(const char *dir, long *ret_pid);

/* Bytes in the regular files under dir (two levels), for the summary. */
uint64_t bk_size(const char *dir);

/*
 * A restore in two steps, so the directory restored into is never half written.
 * bk_restore_begin: refuse (ASB_ECONFLICT) when dir or a subdirectory of it holds an
 * environment open in some process, or when dir holds anything and force is 0; then make a
 * new directory beside dir (same file system), its path in tmp.  *ret_state says what dir
 * was: BK_DIR_MISSING, BK_DIR_EMPTY or BK_DIR_FULL.  The caller fills and checks tmp, then
 * bk_restore_finish renames it into place (a full dir renamed first to
 * dir.replaced-YYYYMMDDTHHMMSSZ, its name in ret_old, "" otherwise); on a failure before it,
 * the caller calls bk_remove(tmp, 1).
 */
enum { BK_DIR_MISSING, BK_DIR_EMPTY, BK_DIR_FULL };
int	 bk_restore_begin(const char *dir, int force, char *tmp, size_t cap, int *ret_state,
	    struct asb_errbuf *eb);
int	 bk_restore_finish(const char *tmp, const char *dir, int state, char *ret_old,
	    size_t cap, struct asb_errbuf *eb);

#endif
