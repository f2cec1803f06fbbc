/*
 * afile.c - atomic whole-file writes and bounded whole-file reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"

int
asb_write_atomic(const char *path, const void *buf, size_t len, mode_t mode,
    struct asb_errbuf *eb)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	const char *p = buf;
	ssize_t n;
	int fd, dfd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp))
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", path);
	if ((fd = mkstemp(tmp)) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot create: %s", path,
		    strerror(errno));
	(void)fchmod(fd, mode);
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	snprintf(dir, sizeof(dir), "%s", path);
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY)) != -1) {
		(void)fsync(dfd);	/* the rename itself, on disk */
		close(dfd);
	}
	return ASB_OK;
fail:
	{
		int e = errno;

		if (fd != -1)
			close(fd);
		unlink(tmp);
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot write: %s", path,
		    strerror(e));
	}
}

int
asb_read_file(const char *path, size_t max, char **ret, size_t *len, struct asb_errbuf *eb)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	ssize_t n;
	int fd;

	*ret = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY)) == -1)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: cannot read it: %s",
		    path, strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: not a file", path);
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return asb_fail(eb, ASB_ERULE, NULL, "%s: larger than %zu bytes",
		    path, max);
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	}
	while (got < (size_t)st.st_size) {
		if ((n = read(fd, buf + got, (size_t)st.st_size - got)) == -1) {
			if (errno == EINTR)
				continue;
			free(buf);
			close(fd);
			return asb_fail(eb, ASB_EIO, NULL, "%s: %s", path,
			    strerror(errno));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*ret = buf;
	*len = got;
	return ASB_OK;
}
