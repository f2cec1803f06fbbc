/* csv.c - streaming RFC 4180 reader (see csv.h). */
#include <stdlib.h>
#include <string.h>

#include "asb_limits.h"
#include "csv.h"

struct csv_reader {
	FILE	*f;
	char	 row[ASB_MAX_CSV_ROW];	/* the fields, NUL-separated */
	char	*fields[ASB_MAX_CSV_FIELDS];
	size_t	 line;		/* line the current character is on */
	size_t	 row_line;	/* line the last row started on */
	int	 started;
	int	 back[2];	/* bytes read ahead and given back, last first */
	int	 nback;
};

/* The next byte: one given back first. */
static int
next_byte(struct csv_reader *r)
{
	return r->nback > 0 ? r->back[--r->nback] : getc_unlocked(r->f);
}

struct csv_reader *
csv_reader_new(FILE *f)
{
	struct csv_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->f = f;
	r->line = 1;
	return r;
}

void
csv_reader_free(struct csv_reader *r)
{
	free(r);
}

size_t
csv_reader_line(const struct csv_reader *r)
{
	return r->row_line;
}

/* Skip to the end of the current line after a malformed row. */
static void
resync(struct csv_reader *r, int c)
{
	while (c != EOF && c != '\n')
		c = next_byte(r);
	if (c == '\n')
		r->line++;
}

int
csv_reader_next(struct csv_reader *r, char ***ret_fields, size_t *ret_n,
    struct asb_errbuf *eb)
{
	size_t len = 0, nf = 0, flen = 0;
	int c, quoted = 0, after_quote = 0, in_quotes = 0;
	const char *why;
	int b0, b1 = EOF;

	if (!r->started) {
		r->started = 1;
		/* A byte order mark is skipped; anything else that starts with the
		 * same byte (U+FF21, a fullwidth letter) is data. */
		b0 = getc_unlocked(r->f);
		if (b0 == 0xEF && (b1 = getc_unlocked(r->f)) == 0xBB) {
			if (getc_unlocked(r->f) != 0xBF)
				return asb_fail(eb, ASB_ERULE, "R-CSV-001",
				    "line 1: bad byte order mark");
		} else {
			if (b1 != EOF)
				r->back[r->nback++] = b1;
			if (b0 != EOF)
				r->back[r->nback++] = b0;
		}
	}
	*ret_fields = NULL;
	*ret_n = 0;
	r->row_line = r->line;
	c = next_byte(r);
	if (c == EOF)
		return ferror(r->f) ? asb_fail(eb, ASB_EIO, NULL,
		    "read error") : ASB_OK;
	r->fields[nf++] = r->row;
	for (;; c = next_byte(r)) {
		if (c == EOF) {
			if (ferror(r->f))
				return asb_fail(eb, ASB_EIO, NULL, "read error");
			if (in_quotes) {
				why = "unterminated quoted field";
				goto bad;
			}
			break;
		}
		if (c == '\0') {
			why = "NUL byte";
			goto bad;
		}
		if (in_quotes) {
			if (c == '"') {
				int n = next_byte(r);

				if (n == '"')
					goto add;
				in_quotes = 0;
				after_quote = 1;
				c = n;
				if (c == EOF)
					break;
			} else {
				if (c == '\n')
					r->line++;
				goto add;
			}
		}
		if (c == '\r') {
			int n = next_byte(r);

			if (n != '\n') {
				if (n != EOF)
					r->back[r->nback++] = n;
				why = "CR without LF";
				c = n;
				goto bad;
			}
			c = '\n';
		}
		if (c == '\n') {
			r->line++;
			break;
		}
		if (c == ',') {
			if (nf == ASB_MAX_CSV_FIELDS) {
				why = "too many fields";
				goto bad;
			}
			if (len + 1 >= sizeof(r->row)) {
				why = "row too long";
				goto bad;
			}
			r->row[len++] = '\0';
			r->fields[nf++] = r->row + len;
			flen = 0;
			quoted = after_quote = 0;
			continue;
		}
		if (after_quote) {
			why = "text after a closing quote";
			goto bad;
		}
		if (c == '"') {
			if (flen > 0 || quoted) {
				why = "quote inside an unquoted field";
				goto bad;
			}
			quoted = in_quotes = 1;
			continue;
		}
add:
		if (flen + 1 > ASB_MAX_CSV_FIELD) {
			why = "field too long";
			goto bad;
		}
		if (len + 2 >= sizeof(r->row)) {
			why = "row too long";
			goto bad;
		}
		r->row[len++] = (char)c;
		flen++;
	}
	r->row[len] = '\0';
	*ret_fields = r->fields;
	*ret_n = nf;
	return ASB_OK;
bad:
	if (in_quotes) {
		/* Cannot find the row's end reliably inside quotes: the rest
		 * of the file is one broken field. */
		while (c != EOF)
			c = next_byte(r);
	} else
		resync(r, c);
	return asb_fail(eb, ASB_ERULE, "R-CSV-001", "line %zu: %s",
	    r->row_line, why);
}

/* ---- formula injection (see csv.h) ------------------------------------------------------ */

/* The length of the white space at p a spreadsheet may skip before a formula, or 0. */
static size_t
blank_len(const unsigned char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	if (p[0] == 0xC2 && p[1] == 0xA0)
		return 2;	/* U+00A0 no-break space */
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;	/* U+3000 ideographic space */
	return 0;
}

int
csv_guarded(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t n;

	while (*p == '\'')
		p++;
	if (*p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	while ((n = blank_len(p)) > 0)
		p += n;
	if (*p == '=' || *p == '+' || *p == '-' || *p == '@')
		return 1;
	/* U+FF1D U+FF0B U+FF0D U+FF20: EF BC 9D, EF BC 8B, EF BC 8D, EF BC A0 */
	return p[0] == 0xEF && p[1] == 0xBC &&
	    (p[2] == 0x9D || p[2] == 0x8B || p[2] == 0x8D || p[2] == 0xA0);
}

void
csv_unguard(char *s)
{
	if (s != NULL && s[0] == '\'' && csv_guarded(s))
		memmove(s, s + 1, strlen(s));
}
