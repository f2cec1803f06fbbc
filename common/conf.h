/*
 * conf.h - "key = value" configuration files: one setting a line, '#' starts a comment,
 * blank lines ignored, white space around key and value trimmed.  The caller lists the keys
 * it knows; any other key is an error naming the line, so a typo never silently does nothing.
 */
#ifndef ASB_CONF_H
#define ASB_CONF_H

#include <stddef.h>

#include "err.h"

#define CONF_VALUE_MAX	1024

struct conf_entry {
	const char	*key;
	char		 value[CONF_VALUE_MAX];	/* "" when not set */
};

/* Read path into entries (n of them, keys preset).  ASB_ENOTFOUND when the file does not
 * exist, ASB_EUSAGE for a malformed line or an unknown key (with the line number). */
int	 conf_load(const char *path, struct conf_entry *entries, size_t n,
	    struct asb_errbuf *eb);

/* The value for key, or NULL when it is not set. */
const char *conf_get(const struct conf_entry *entries, size_t n, const char *key);

#endif
