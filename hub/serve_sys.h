/*
 * serve_sys.h - what the hub's service asks of the system before it serves (serve.c): the
 * address to listen on, the port file, and the user to become once the port is bound.
 */
#ifndef HUB_SERVE_SYS_H
#define HUB_SERVE_SYS_H

#include <sys/socket.h>

#include "err.h"

/* "HOST:PORT" (IPv4, IPv6 with or without brackets, localhost) into *ss; ASB_EUSAGE. */
int	 hub_parse_listen(const char *s, struct sockaddr_storage *ss, int *sslen,
	    struct asb_errbuf *eb);

/* Become user (setgroups, setgid, setuid), who must own dir, and check root cannot be
 * regained; ASB_EUSAGE (no such user, not root, dir not theirs), ASB_EIO. */
int	 hub_drop_privileges(const char *user, const char *dir, struct asb_errbuf *eb);

/* Write port to path: never through a symbolic link, only into a plain file of this user's
 * with one name; ASB_EIO. */
int	 hub_write_port_file(const char *path, int port, struct asb_errbuf *eb);

#endif
