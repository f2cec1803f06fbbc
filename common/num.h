/* num.h - the one checked way to turn text into a number. */
#ifndef ASB_NUM_H
#define ASB_NUM_H

#include <stdint.h>

/*
 * Parse the whole of s as a base-10 integer within [min, max].  Leading
 * white space, a sign where min < 0, and nothing after the digits.
 * Returns 0 and sets *ret_val, or -1 leaving *ret_val untouched and setting
 * *ret_why (static text: "empty", "not a number", "too small", "too large").
 */
int	asb_strtonum(const char *s, int64_t min, int64_t max, int64_t *ret_val,
	    const char **ret_why);

#endif
