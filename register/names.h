/*
 * names.h - names as people write them: the one normalisation behind the identity index,
 * 'find' and the close-match warning, so "ZOË ŁUKASZ", "Zoe Lukasz" and "zoe  łukasz" are one
 * spelling of one person.
 *
 * A name is turned into words: transliterated to Latin and then to ASCII by ICU ("Any-Latin;
 * Latin-ASCII": Zoë -> Zoe, Łukasz -> Lukasz, Иван -> Ivan, ß -> ss), case-folded, apostrophes
 * in any form (' ’ ‘ ʼ `) dropped inside a word (O’Brien -> obrien), and anything else that is
 * not a letter or digit (spaces, hyphens, commas, dots) a break between words.  The compact
 * form joins the words with no space, so hyphens and spacing do not matter either
 * (Smith-Jones = Smith Jones = SmithJones).  No tables of our own: ICU's are Unicode's.
 */
#ifndef REG_NAMES_H
#define REG_NAMES_H

#include <stddef.h>

#include "err.h"

/* An open ICU transliterator (costly to open: one per register handle, opened on first
 * use).  Not for sharing between threads. */
struct reg_names;

/* ASB_EIO when ICU cannot open the transliterator (its data missing). */
int	 reg_names_new(struct reg_names **ret, struct asb_errbuf *eb);
void	 reg_names_free(struct reg_names *nm);	/* NULL is harmless */

/*
 * name as words, lower-case ASCII letters and digits (and any letter ICU leaves non-Latin, in
 * UTF-8) separated by single spaces, in out (cap bytes, cut at a word boundary when it does
 * not fit).  nm may be NULL for pure ASCII input, which ICU would leave alone anyway.
 * Returns the length of out.
 */
size_t	 reg_name_words(struct reg_names *nm, const char *name, char *out, size_t cap);
/* The words with their spaces removed: "zoe o brien" -> "zoeobrien". */
size_t	 reg_name_compact(const char *words, char *out, size_t cap);

/*
 * Are two names (as words) close enough to be the same person mistyped?  1 when their compact
 * forms are one edit apart (two from 8 letters on; a transposition counts one), the same
 * words in another order, or the same first and last word (a middle name added or dropped);
 * never when the digits in them differ ("Flat 1" is not "Flat 2").  Equal names are close.
 */
int	 reg_name_close(const char *a, const char *b);

#endif
