/*
 * daemon.c - a service's dealings with the system before it serves (daemon.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <event2/util.h>

#include "daemon.h"
#include "num.h"

int
asb_parse_listen(const char *s, struct sockaddr_storage *ss, int *sslen, struct asb_errbuf *eb)
{
	char host[256];
	const char *colon = strrchr(s, ':');
	int64_t port;
	const char *why;

	if (colon == NULL || (size_t)(colon - s) >= sizeof(host) || colon == s)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--listen: '%s' is not HOST:PORT",
		    s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (asb_strtonum(colon + 1, 0, 65535, &port, &why) == -1)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--listen: '%s' is not a port",
		    colon + 1);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	*sslen = sizeof(*ss);
	if (evutil_parse_sockaddr_port(host, (struct sockaddr *)ss, sslen) != 0) {
		/* no brackets or port inside: parse the host alone */
		struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		char h6[260];

		memset(ss, 0, sizeof(*ss));
		snprintf(h6, sizeof(h6), "%s", host);
		if (h6[0] == '[' && h6[strlen(h6) - 1] == ']') {
			h6[strlen(h6) - 1] = '\0';
			memmove(h6, h6 + 1, strlen(h6));
		}
		if (inet_pton(AF_INET, h6, &in4->sin_addr) == 1) {
			in4->sin_family = AF_INET;
			*sslen = sizeof(*in4);
		} else if (inet_pton(AF_INET6, h6, &in6->sin6_addr) == 1) {
			in6->sin6_family = AF_INET6;
			*sslen = sizeof(*in6);
		} else
			return asb_fail(eb, ASB_EUSAGE, NULL, "--listen: '%s' is not "
			    "an IP address", host);
	}
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	return ASB_OK;
}

/*
 * Give up root once the port is bound and the keys are loaded: the service that parses
 * what 43 organisations send runs as an unprivileged user that owns the hub directory.
 */
int
asb_drop_privileges(const char *user, const char *dir, struct asb_errbuf *eb)
{
	struct passwd *pw = getpwnam(user);
	struct stat st;

	if (pw == NULL)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--user: no user '%s'", user);
	if (geteuid() != 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--user %s: only root can change user; "
		    "run it as root, or as %s without --user", user, user);
	if (pw->pw_uid == 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--user %s: that is root", user);
	if (stat(dir, &st) == -1 || st.st_uid != pw->pw_uid)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s must belong to %s, who will run the "
		    "service: chown -R %s %s", dir, user, user, dir);
	if (setgroups(0, NULL) == -1 || setgid(pw->pw_gid) == -1 ||
	    initgroups(pw->pw_name, pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "cannot become %s: %s", user,
		    strerror(errno));
	if (setuid(0) == 0)
		return asb_fail(eb, ASB_EIO, NULL, "still able to become root after "
		    "dropping to %s", user);
	return ASB_OK;
}

/*
 * The port file: written while the process may still be root, so never through a symbolic
 * link and never into a file that is not a plain file of ours with one name.
 */
int
asb_write_port_file(const char *path, int port, struct asb_errbuf *eb)
{
	struct stat st;
	char buf[16];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	if (fd == -1)
		return asb_fail(eb, ASB_EIO, NULL, "--port-file %s: %s", path,
		    errno == ELOOP ? "a symbolic link: name the file itself" :
		    strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_nlink != 1) {
		close(fd);
		return asb_fail(eb, ASB_EIO, NULL, "--port-file %s: not a plain file of "
		    "this user's (uid %ld) with one name: remove it, or name another file",
		    path, (long)geteuid());
	}
	n = snprintf(buf, sizeof(buf), "%d\n", port);
	if (ftruncate(fd, 0) == -1 || write(fd, buf, (size_t)n) != n) {
		close(fd);
		return asb_fail(eb, ASB_EIO, NULL, "--port-file %s: %s", path,
		    strerror(errno));
	}
	if (close(fd) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "--port-file %s: %s", path,
		    strerror(errno));
	return ASB_OK;
}

