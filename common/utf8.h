/*
 * utf8.h - text as the register keeps it: valid UTF-8 with no control characters.
 *
 * Every text that enters from a command line or a file is checked here before it is stored,
 * so what 'find --json' or an export prints is always valid UTF-8.  A file written in another
 * encoding (a spreadsheet saved as "CSV" by Excel on Windows is Windows-1252) is transcoded
 * with iconv only when the caller names the encoding: guessing would turn some names into
 * other names without a word.
 */
#ifndef ASB_UTF8_H
#define ASB_UTF8_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

enum {
	UTF8_LINE = 0,		/* one line: no control characters at all */
	UTF8_MULTILINE = 1	/* conditions, notes: new lines (LF, CR LF) and tabs allowed */
};

/*
 * Check that s is valid UTF-8 (shortest form, no surrogates, at most U+10FFFF) and holds no
 * control character (C0, DEL, C1), beyond what mode allows.  0 when it is; -1 otherwise, with
 * *ret_off (may be NULL) the byte offset of the first bad byte and *ret_why (may be NULL) a
 * static phrase: "is not valid UTF-8" or "holds a control character".
 */
int	 utf8_check(const char *s, int mode, size_t *ret_off, const char **ret_why);

/*
 * Transcode in, written in encoding from (an iconv name: "windows-1252", "ISO-8859-1", ...),
 * to UTF-8 in a new temporary file, rewound, in *ret (the caller fcloses it; it is deleted
 * then).  Bounded memory: in is read in blocks.  Errors: ASB_EUSAGE for an encoding iconv
 * does not know; ASB_ERULE (R-CSV-003) for a byte that is not a character of from, naming
 * its line; ASB_EIO.  Nothing is left behind on failure.
 */
int	 utf8_transcode(FILE *in, const char *from, FILE **ret, struct asb_errbuf *eb);

#endif
