/*
 * err.h - the one error convention shared by every part of the project.
 *
 * Every library function returns an enum asb_err (0 = ok).  The values are
 * chosen to be the documented exit codes of the commands, so a command can
 * exit with the code a library call returned.  A function that can fail for
 * a reason a person must act on also fills a caller-supplied struct
 * asb_errbuf with what failed, why, and the rule ID where a statutory or
 * validation rule refused the data.  Library code never prints.
 *
 * Error messages must never carry personal data (names, dates of birth,
 * addresses): identify things by record or subject ID only.
 */
#ifndef ASB_ERR_H
#define ASB_ERR_H

#include <stddef.h>

enum asb_err {
	ASB_OK = 0,
	ASB_ERULE = 1,		/* a statutory or validation rule refused the data */
	ASB_EUSAGE = 2,		/* the caller's words are wrong: bad option or value */
	ASB_ENOTFOUND = 3,	/* the record, subject or file named does not exist */
	ASB_ECONFLICT = 4,	/* it exists already, or contradicts what is stored */
	ASB_EIO = 5		/* storage, I/O or network failure; a retry may help */
};

#define ASB_ERRBUF_MSG	512
#define ASB_RULE_ID	24

struct asb_errbuf {
	char	msg[ASB_ERRBUF_MSG];	/* "<what failed>: <why>" */
	char	rule[ASB_RULE_ID];	/* rule ID, e.g. "R-DISP-002", or "" */
};

/* A short generic description of an error code ("conflict"). */
const char	*asb_strerror(int err);

/*
 * Fill eb (when not NULL) with a printf-style message and rule ID (NULL or
 * "" for none), and return err, so a caller can write
 *	return asb_fail(eb, ASB_ERULE, "R-CPN-001", "...", ...);
 */
int	 asb_fail(struct asb_errbuf *eb, int err, const char *rule,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Clear an error buffer. */
void	 asb_errbuf_clear(struct asb_errbuf *eb);

#endif
