/* err.c - error codes and the caller's error buffer (see err.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

const char *
asb_strerror(int err)
{
	switch (err) {
	case ASB_OK:
		return "ok";
	case ASB_ERULE:
		return "refused by a rule";
	case ASB_EUSAGE:
		return "usage error";
	case ASB_ENOTFOUND:
		return "not found";
	case ASB_ECONFLICT:
		return "conflict";
	case ASB_EIO:
		return "storage or I/O failure";
	}
	return "unknown error";
}

int
asb_fail(struct asb_errbuf *eb, int err, const char *rule, const char *fmt, ...)
{
	va_list ap;

	if (eb == NULL)
		return err;
	va_start(ap, fmt);
	vsnprintf(eb->msg, sizeof(eb->msg), fmt, ap);
	va_end(ap);
	snprintf(eb->rule, sizeof(eb->rule), "%s", rule != NULL ? rule : "");
	return err;
}

void
asb_errbuf_clear(struct asb_errbuf *eb)
{
	if (eb != NULL) {
		eb->msg[0] = '\0';
		eb->rule[0] = '\0';
	}
}
