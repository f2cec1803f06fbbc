/*
 * form.h - fields of a submitted form, for the handlers of POST routes (and GET forms).
 * Values are read from the request (web_form / web_query); these turn them into what the
 * library takes, or say what is wrong in words for the error summary.
 */
#ifndef WEB_FORM_H
#define WEB_FORM_H

#include "web.h"

/* The field's value with leading and trailing white space dropped, into buf (cap bytes):
 * "" when absent.  -1 when longer than cap - 1 (buf then holds ""). */
int	 form_text(const struct web_req *q, const char *name, char *buf, size_t cap);

/*
 * A date field as ISO text into buf (cap >= 17): the field itself ("issued", ISO text as the
 * command line takes it), or else the GOV.UK date-input parts NAME-day, NAME-month,
 * NAME-year and, where the law counts hours, NAME-time ("HH:MM").  Returns 1 when a value
 * was given, 0 when the field and its parts are all empty, or -1 with *why (static text,
 * for the error summary) when the parts do not make a date.
 */
int	 form_date(const struct web_req *q, const char *name, char *buf, size_t cap,
	    const char **why);

#endif
