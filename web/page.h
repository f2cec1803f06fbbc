/*
 * page.h - the page-rendering API: every byte of HTML the application sends is written
 * through these, so escaping happens in one place (web_esc).
 *
 * A page is pg_head(), its body, pg_foot().  pg_printf() formats like printf but escapes
 * every %s argument (text from the register or the request is never trusted); literal markup
 * goes in the format or through pg_raw().  The components follow the GOV.UK Design System's
 * markup (https://design-system.service.gov.uk/components/), so govuk-frontend's CSS lays
 * them out; none needs JavaScript.
 */
#ifndef WEB_PAGE_H
#define WEB_PAGE_H

#include "web.h"

/*
 * Escape s for HTML text and for a double- or single-quoted attribute value: & < > " ' and
 * control characters other than tab and newline become U+FFFD (&#65533;); invalid UTF-8 is
 * kept as bytes (the page is UTF-8).  Appends to b.  The one escaping function.
 */
void	 web_esc(struct evbuffer *b, const char *s);
/* The same into buf (cap bytes, always terminated; cut at a character boundary when
 * full): for tests and for small pieces.  Returns the length written. */
size_t	 web_esc_buf(const char *s, char *buf, size_t cap);

/* Markup as is: for literals only, never for data. */
void	 pg_raw(struct web_req *q, const char *html);
/* Text, escaped. */
void	 pg_text(struct web_req *q, const char *text);
/* printf with every %s argument escaped (%d %u %ld %lld %zu and friends as printf). */
void	 pg_printf(struct web_req *q, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* The GOV.UK template: doctype, <head> (stylesheet, no script), the header with the
 * service name, the signed-in user and the sign-out button, the phase banner, and the
 * opening of <main>.  Sets q->title. */
void	 pg_head(struct web_req *q, const char *title);
/* Close <main>, the footer, </html>. */
void	 pg_foot(struct web_req *q);
/* The hidden form-token field for a POST form. */
void	 pg_csrf(struct web_req *q);

/* One problem for the error summary: the field's id (for the link) and the message. */
struct pg_error {
	const char	*field;		/* id of the input, or NULL */
	const char	*msg;
	const char	*rule;		/* rule ID shown after the message, or NULL */
};
/* The GOV.UK error summary ("There is a problem"), each error a link to its field. */
void	 pg_error_summary(struct web_req *q, const struct pg_error *e, size_t n);
/* A GOV.UK tag: colour "" (default), "grey", "red", "yellow", "green", "blue"... */
void	 pg_tag(struct web_req *q, const char *colour, const char *text);

/* Summary list: begin, rows (key and escaped value), end. */
void	 pg_summary_begin(struct web_req *q);
void	 pg_summary_row(struct web_req *q, const char *key, const char *value);
void	 pg_summary_end(struct web_req *q);

/* Table: caption (may be NULL), the column headings (NULL-terminated); then rows with
 * pg_row_begin, pg_cell_* and pg_row_end; pg_table_end closes. */
void	 pg_table_begin(struct web_req *q, const char *caption, const char *const *heads);
void	 pg_row_begin(struct web_req *q);
void	 pg_cell(struct web_req *q, const char *text);
/* A cell that links to href (a local path), with text. */
void	 pg_cell_link(struct web_req *q, const char *href, const char *text);
/* A cell written by the caller between pg_cell_open and pg_cell_close. */
void	 pg_cell_open(struct web_req *q);
void	 pg_cell_close(struct web_req *q);
void	 pg_row_end(struct web_req *q);
void	 pg_table_end(struct web_req *q);

/* A text input in a GOV.UK form group, with its label, hint (or NULL), error (or NULL)
 * and value kept (or NULL); type "text", "password", "search"; autocomplete or NULL. */
void	 pg_input(struct web_req *q, const char *id, const char *label, const char *hint,
	    const char *error, const char *value, const char *type, const char *autocomplete);

/* A subject's kind in words ("person", "premises", "place"). */
const char *pg_kind(int kind);
/* The "Restricted" tag, if the subject's processing is restricted (DPA 2018 s47). */
void	 pg_restricted(struct web_req *q, const struct reg_subject *s);

#endif
