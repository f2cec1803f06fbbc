/* names.c - name normalisation with ICU (see names.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "asb_limits.h"
#include "names.h"

/* Room for a name of ASB_MAX_NAME bytes after transliteration, which may grow it (ß -> ss,
 * one Han character -> a syllable of pinyin). */
#define NAME_UCHARS	(4 * ASB_MAX_NAME + 64)

struct reg_names {
	UTransliterator	*tr;
};

int
reg_names_new(struct reg_names **ret, struct asb_errbuf *eb)
{
	static const char id[] = "Any-Latin; Latin-ASCII";
	UChar uid[sizeof(id)];
	UErrorCode st = U_ZERO_ERROR;
	UParseError pe;
	struct reg_names *nm;

	if ((nm = calloc(1, sizeof(*nm))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	u_uastrcpy(uid, id);
	nm->tr = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, &pe, &st);
	if (U_FAILURE(st) || nm->tr == NULL) {
		free(nm);
		return asb_fail(eb, ASB_EIO, NULL, "ICU cannot open the transliterator %s: %s "
		    "(is libicu's data installed?)", id, u_errorName(st));
	}
	*ret = nm;
	return ASB_OK;
}

void
reg_names_free(struct reg_names *nm)
{
	if (nm == NULL)
		return;
	utrans_close(nm->tr);
	free(nm);
}

/* Apostrophes in every form people and word processors type: dropped, not a break. */
static int
apostrophe(UChar32 c)
{
	return c == 0x27 || c == 0x60 || c == 0xb4 || c == 0x2018 || c == 0x2019 ||
	    c == 0x02bc || c == 0x2032;
}

/* Append one code point of a word; a break first when one is pending.  0, or -1 when out
 * has no room (the name is cut at the last whole word). */
static int
put(char *out, size_t cap, size_t *n, size_t *word_start, int *brk, UChar32 c)
{
	char u8[4];
	int32_t len = 0;
	UErrorCode st = U_ZERO_ERROR;
	UChar uc[2];
	int32_t ul = 0;
	size_t need;

	if (c < 0x80) {		/* most of every name: no conversion */
		u8[0] = (char)c;
		len = 1;
	} else {
		U16_APPEND_UNSAFE(uc, ul, c);
		u_strToUTF8(u8, sizeof(u8), &len, uc, ul, &st);
		if (U_FAILURE(st) && st != U_STRING_NOT_TERMINATED_WARNING)
			return 0;	/* not representable: left out */
	}
	need = (size_t)len + (*brk && *n > 0);
	if (*n + need + 1 > cap) {
		*n = *word_start > 0 ? *word_start - 1 : 0;	/* drop the partial word */
		out[*n] = '\0';
		return -1;
	}
	if (*brk && *n > 0) {
		out[(*n)++] = ' ';
		*word_start = *n;
	}
	*brk = 0;
	memcpy(out + *n, u8, (size_t)len);
	*n += (size_t)len;
	out[*n] = '\0';
	return 0;
}

/* Words from ASCII alone, without ICU: most names, and every imported synthetic one. */
static size_t
words_ascii(const char *s, char *out, size_t cap)
{
	size_t n = 0, ws = 0;
	int brk = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (brk && n > 0) {
				if (n + 2 >= cap)
					break;
				out[n++] = ' ';
				ws = n;
			}
			brk = 0;
			if (n + 1 >= cap) {
				n = ws > 0 ? ws - 1 : 0;	/* cut at the last whole word */
				break;
			}
			out[n++] = (char)c;
		} else if (c != '\'' && c != '`')
			brk = 1;
	}
	out[n] = '\0';
	return n;
}

size_t
reg_name_words(struct reg_names *nm, const char *name, char *out, size_t cap)
{
	UChar a[NAME_UCHARS], b[NAME_UCHARS];
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = 0, limit, blen, i;
	const char *p;
	size_t n = 0, ws = 0;
	int brk = 0;
	UChar32 c;

	if (cap == 0)
		return 0;
	for (p = name; *p != '\0' && (unsigned char)*p < 0x80; p++)
		;
	if (*p == '\0' || nm == NULL)
		return words_ascii(name, out, cap);
	u_strFromUTF8(a, NAME_UCHARS, &len, name, -1, &st);
	if (U_FAILURE(st))
		return words_ascii(name, out, cap);
	limit = len;
	utrans_transUChars(nm->tr, a, &len, NAME_UCHARS, 0, &limit, &st);
	if (U_FAILURE(st)) {
		/* grew past the buffer: fold the untransliterated text rather than nothing */
		st = U_ZERO_ERROR;
		u_strFromUTF8(a, NAME_UCHARS, &len, name, -1, &st);
	}
	st = U_ZERO_ERROR;
	blen = u_strFoldCase(b, NAME_UCHARS, a, len, U_FOLD_CASE_DEFAULT, &st);
	if (U_FAILURE(st) || blen > NAME_UCHARS)
		return words_ascii(name, out, cap);
	out[0] = '\0';
	for (i = 0; i < blen;) {
		U16_NEXT(b, i, blen, c);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c >= 0x80 && u_isalnum(c))) {
			if (put(out, cap, &n, &ws, &brk, c) == -1)
				break;
		} else if (u_charType(c) == U_NON_SPACING_MARK)
			continue;	/* a combining mark ICU left: part of its letter */
		else if (!apostrophe(c))
			brk = 1;
	}
	return n;
}

size_t
reg_name_compact(const char *words, char *out, size_t cap)
{
	size_t n = 0;

	for (; *words != '\0' && n + 1 < cap; words++)
		if (*words != ' ')
			out[n++] = *words;
	if (cap > 0)
		out[n] = '\0';
	return n;
}

/* Optimal string alignment distance (Damerau-Levenshtein without re-editing a substring),
 * stopping early past max: names are short, and only "within max" matters. */
static int
distance(const char *a, const char *b, int max)
{
	int la = (int)strlen(a), lb = (int)strlen(b), i, j, d, best;
	int row0[ASB_MAX_NAME + 1], row1[ASB_MAX_NAME + 1], row2[ASB_MAX_NAME + 1];
	int *pp = row0, *p = row1, *cur = row2, *t;

	if (la > ASB_MAX_NAME || lb > ASB_MAX_NAME || abs(la - lb) > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		best = i;
		for (j = 1; j <= lb; j++) {
			d = p[j - 1] + (a[i - 1] != b[j - 1]);
			if (p[j] + 1 < d)
				d = p[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > max)
			return max + 1;
		t = pp;
		pp = p;
		p = cur;
		cur = t;
	}
	return p[lb];
}

/* Do a and b hold the same digits in the same order?  One pass, no copies: the close-match
 * check calls this for everyone born on a day. */
static int
same_digits(const char *a, const char *b)
{
	for (;;) {
		while (*a != '\0' && (*a < '0' || *a > '9'))
			a++;
		while (*b != '\0' && (*b < '0' || *b > '9'))
			b++;
		if (*a != *b)
			return 0;
		if (*a == '\0')
			return 1;
		a++;
		b++;
	}
}

static int
word_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Split a copy of words into at most max words; their count. */
static int
split(char *buf, char **w, int max)
{
	int n = 0;
	char *p = buf;

	while (*p != '\0' && n < max) {
		w[n++] = p;
		if ((p = strchr(p, ' ')) == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

int
reg_name_close(const char *a, const char *b)
{
	char ca[ASB_MAX_NAME], cb[ASB_MAX_NAME];
	char ba[ASB_MAX_NAME], bb[ASB_MAX_NAME], *wa[16], *wb[16];
	int na, nb, i, max;
	size_t la, lb;

	if (!same_digits(a, b))
		return 0;
	la = reg_name_compact(a, ca, sizeof(ca));
	lb = reg_name_compact(b, cb, sizeof(cb));
	if (la == 0 || lb == 0)
		return 0;
	max = (la < lb ? la : lb) >= 8 ? 2 : (la < lb ? la : lb) >= 4 ? 1 : 0;
	if (distance(ca, cb, max) <= max)
		return 1;
	snprintf(ba, sizeof(ba), "%s", a);
	snprintf(bb, sizeof(bb), "%s", b);
	na = split(ba, wa, 16);
	nb = split(bb, wb, 16);
	if (na >= 2 && nb >= 2 && strcmp(wa[0], wb[0]) == 0 &&
	    strcmp(wa[na - 1], wb[nb - 1]) == 0)
		return 1;
	if (na != nb)
		return 0;
	qsort(wa, (size_t)na, sizeof(*wa), word_cmp);
	qsort(wb, (size_t)nb, sizeof(*wb), word_cmp);
	for (i = 0; i < na; i++)
		if (strcmp(wa[i], wb[i]) != 0)
			return 0;
	return 1;
}
