/*
 * formpage.h - the pieces of a GOV.UK form page shared by the record and event forms
 * (formpage.c): one field of a given type with its error and its typed value kept, and the
 * list of problems for the error summary.  A problem's field is the input's id (the
 * command-line option's name).
 */
#ifndef WEB_FORMPAGE_H
#define WEB_FORMPAGE_H

#include "page.h"

enum ftype { F_TEXT, F_NUM, F_DATE, F_DATETIME, F_AREA, F_CHECK };

struct fdef {
	const char	*name;		/* the command-line option */
	const char	*label;
	const char	*hint;
	int		 type;
};

#define FP_MAX_ERRORS	(SCH_MAX_FINDINGS + 4)

struct problems {
	struct pg_error	 e[FP_MAX_ERRORS];
	char		 msg[FP_MAX_ERRORS][SCH_FINDING_MSG + 64];
	char		 rule[FP_MAX_ERRORS][24];
	size_t		 n;
};

/* Add a problem (copied): field (an input id or "subject"), message, rule ID or NULL. */
void	 fp_problem(struct problems *p, const char *field, const char *msg, const char *rule);
/* The problem of field, or NULL (p may be NULL). */
const struct pg_error *fp_problem_of(const struct problems *p, const char *field);
/* A value of the request: the form's for a POST, the query's for a GET; NULL when absent. */
const char *fp_value(const struct web_req *q, const char *name);
/* The GOV.UK error message line for id, when e is not NULL. */
void	 fp_error_line(struct web_req *q, const char *id, const struct pg_error *e);
/* One field: input, date input (parts), textarea or checkbox, with its error and value. */
void	 fp_field(struct web_req *q, const struct fdef *f, const struct problems *p);

/* The event form of a record (page_event.c), with the problems of a refused one or NULL. */
void	 page_event_form(struct web_req *q, uint64_t record, const struct problems *p);

#endif
