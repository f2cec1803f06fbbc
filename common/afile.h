/*
 * afile.h - whole files, written so that nobody ever sees half of one: a temporary beside the
 * target, fsync, rename, fsync of the directory.
 */
#ifndef ASB_AFILE_H
#define ASB_AFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Replace path with len bytes of buf, file mode `mode`.  ASB_EIO with the reason. */
int	 asb_write_atomic(const char *path, const void *buf, size_t len, mode_t mode,
	    struct asb_errbuf *eb);

/* Read a whole file of at most max bytes into a NUL-terminated malloc'd buffer.
 * ASB_ENOTFOUND (missing or unreadable), ASB_ERULE (larger than max), ASB_EIO. */
int	 asb_read_file(const char *path, size_t max, char **ret, size_t *len,
	    struct asb_errbuf *eb);

#endif
