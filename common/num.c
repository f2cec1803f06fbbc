/* num.c - checked integer parsing (see num.h). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "num.h"

int
asb_strtonum(const char *s, int64_t min, int64_t max, int64_t *ret_val,
    const char **ret_why)
{
	char *end;
	long long v;
	const char *p;

	if (s == NULL || *s == '\0') {
		*ret_why = "empty";
		return -1;
	}
	for (p = s; isspace((unsigned char)*p); p++)
		;
	if (*p != '-' && *p != '+' && !isdigit((unsigned char)*p)) {
		*ret_why = "not a number";
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0') {
		*ret_why = "not a number";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*ret_why = "too small";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		*ret_why = "too large";
		return -1;
	}
	*ret_val = v;
	return 0;
}
