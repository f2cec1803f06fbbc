/*
 * daemon.h - what a service asks of the system before it serves (asbhub serve, asbreg serve):
 * the address to listen on, the port file, and the user to become once the port is bound.
 * One copy for both services.
 */
#ifndef ASB_DAEMON_H
#define ASB_DAEMON_H

#include <sys/socket.h>

#include "err.h"

/* "HOST:PORT" (IPv4, IPv6 with or without brackets, localhost) into *ss; ASB_EUSAGE. */
int	 asb_parse_listen(const char *s, struct sockaddr_storage *ss, int *sslen,
	    struct asb_errbuf *eb);

/* Become user (setgroups, setgid, setuid), who must own dir, and check root cannot be
 * regained; ASB_EUSAGE (no such user, not root, dir not theirs), ASB_EIO. */
int	 asb_drop_privileges(const char *user, const char *dir, struct asb_errbuf *eb);

/* Write port to path: never through a symbolic link, only into a plain file of this user's
 * with one name; ASB_EIO. */
int	 asb_write_port_file(const char *path, int port, struct asb_errbuf *eb);

#endif
