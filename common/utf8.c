/* utf8.c - UTF-8 validation and transcoding (see utf8.h). */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* The length of the sequence a lead byte starts and the smallest code point it may hold (a
 * smaller one is an overlong form: a classic way to slip a '/' or NUL past a check). */
static int
lead(unsigned char c, uint32_t *cp, uint32_t *min)
{
	if (c < 0x80) {
		*cp = c;
		*min = 0;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		*cp = c & 0x1f;
		*min = 0x80;
		return 2;
	}
	if ((c & 0xf0) == 0xe0) {
		*cp = c & 0x0f;
		*min = 0x800;
		return 3;
	}
	if ((c & 0xf8) == 0xf0) {
		*cp = c & 0x07;
		*min = 0x10000;
		return 4;
	}
	return -1;
}

int
utf8_check(const char *s, int mode, size_t *ret_off, const char **ret_why)
{
	const unsigned char *p = (const unsigned char *)s, *start;
	uint32_t cp, min;
	int n, i;

	while (*p != '\0') {
		start = p;
		if ((n = lead(*p, &cp, &min)) == -1)
			goto bad;
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				goto bad;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		p += n;
		if (cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f))
			continue;
		if (mode == UTF8_MULTILINE && (cp == '\n' || cp == '\t' ||
		    (cp == '\r' && *p == '\n')))
			continue;
		if (ret_off != NULL)
			*ret_off = (size_t)(start - (const unsigned char *)s);
		if (ret_why != NULL)
			*ret_why = "holds a control character";
		return -1;
bad:
		if (ret_off != NULL)
			*ret_off = (size_t)(start - (const unsigned char *)s);
		if (ret_why != NULL)
			*ret_why = "is not valid UTF-8";
		return -1;
	}
	return 0;
}

int
utf8_transcode(FILE *in, const char *from, FILE **ret, struct asb_errbuf *eb)
{
	char ib[8192], ob[4 * sizeof(ib)], *ip, *op;
	size_t il = 0, ol, got, line = 1, i;
	iconv_t cd;
	FILE *out;
	int err = ASB_OK, eof = 0;

	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
		return asb_fail(eb, ASB_EUSAGE, NULL, "--encoding: '%s' is not an encoding "
		    "this system knows (try windows-1252 or ISO-8859-1; 'iconv -l' lists them)",
		    from);
	if ((out = tmpfile()) == NULL) {
		iconv_close(cd);
		return asb_fail(eb, ASB_EIO, NULL, "cannot create a temporary file: %s",
		    strerror(errno));
	}
	while (err == ASB_OK) {
		if (!eof) {
			got = fread(ib + il, 1, sizeof(ib) - il, in);
			if (got < sizeof(ib) - il) {
				if (ferror(in)) {
					err = asb_fail(eb, ASB_EIO, NULL, "read failed");
					break;
				}
				eof = 1;
			}
			il += got;
		}
		if (il == 0)
			break;
		ip = ib;
		op = ob;
		ol = sizeof(ob);
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != EINVAL) {
			/* EILSEQ: a byte that is no character of from (0x81 in windows-1252) */
			for (i = 0; ib + i < ip; i++)
				line += ib[i] == '\n';
			err = asb_fail(eb, ASB_ERULE, "R-CSV-003", "line %zu: byte 0x%02x is not "
			    "a character of %s: save it as CSV UTF-8, or name its encoding "
			    "with --encoding", line, (unsigned char)*ip, from);
			break;
		}
		if (il > 0 && eof) {
			for (i = 0; ib + i < ip; i++)
				line += ib[i] == '\n';
			err = asb_fail(eb, ASB_ERULE, "R-CSV-003", "line %zu: the file ends "
			    "inside a character of %s", line, from);
			break;
		}
		for (i = 0; ib + i < ip; i++)
			line += ib[i] == '\n';
		if (fwrite(ob, 1, sizeof(ob) - ol, out) != sizeof(ob) - ol) {
			err = asb_fail(eb, ASB_EIO, NULL, "write to a temporary file failed");
			break;
		}
		memmove(ib, ip, il);	/* an incomplete sequence waits for the next block */
	}
	iconv_close(cd);
	if (err == ASB_OK && (fflush(out) != 0 || fseek(out, 0, SEEK_SET) != 0))
		err = asb_fail(eb, ASB_EIO, NULL, "temporary file: %s", strerror(errno));
	if (err != ASB_OK) {
		fclose(out);
		return err;
	}
	*ret = out;
	return ASB_OK;
}
