/*
 * page_admin.c - the pages for those who oversee the register, each behind the role policy's
 * operation of the command behind it (so an officer is refused, 403, and the refusal logged
 * by the dispatcher):
 *
 *	GET /audit?user=U&from=DAY&to=DAY&subject=S	the audit log (`asbreg audit`), newest
 *		first, at most AUDIT_SHOWN entries; from and to are days (YYYY-MM-DD), to
 *		inclusive; subject uses the log's index by subject (reg_audit_about).
 *		Supervisors, auditors and the data team.  As `asbreg audit` it writes no entry
 *		(it shows IDs, user names and operations, not a subject's details).
 *	GET /users					users and their roles (`asbreg user`): the
 *		data team.
 */
#include <stdio.h>
#include <string.h>

#include "form.h"
#include "page.h"

#define AUDIT_SHOWN	200	/* the newest this many that match; narrow the filters */
#define DAY		86400

struct aud {
	const char	*user;
	asb_time	 from, to;	/* [from, to), 0 = open */
	struct reg_audit *ring;		/* the newest AUDIT_SHOWN matches */
	size_t		 n;		/* matches seen */
};

static int
aud_one(const struct reg_audit *a, void *ctx)
{
	struct aud *f = ctx;

	if (f->user[0] != '\0' && strcmp(a->user, f->user) != 0)
		return 0;
	if ((f->from != 0 && a->time < f->from) || (f->to != 0 && a->time >= f->to))
		return 0;
	f->ring[f->n++ % AUDIT_SHOWN] = *a;
	return 0;
}

static void
filters(struct web_req *q, const struct pg_error *e, size_t ne)
{
	const char *id[] = { "user", "from", "to", "subject" };
	const char *label[] = { "User", "From (YYYY-MM-DD)", "To (YYYY-MM-DD, inclusive)",
		"About subject (S and digits)" };
	size_t i, j;

	pg_raw(q, "<form method=\"get\" action=\"/audit\" novalidate>");
	for (i = 0; i < 4; i++) {
		const char *err = NULL;

		for (j = 0; j < ne; j++)
			if (strcmp(e[j].field, id[i]) == 0)
				err = e[j].msg;
		pg_input(q, id[i], label[i], NULL, err, web_query(q, id[i]), "text", "off");
	}
	pg_raw(q, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
	    "data-module=\"govuk-button\">Filter</button></form>\n");
}

static int
day_field(struct web_req *q, const char *name, asb_time *ret)
{
	char buf[16];
	asb_day d;

	*ret = 0;
	if (form_text(q, name, buf, sizeof(buf)) == -1)
		return -1;
	if (buf[0] == '\0')
		return 0;
	if (asb_day_parse(buf, &d) == -1 || asb_time_parse(buf, ret) == -1)
		return -1;
	return 0;
}

int
page_audit(struct web_req *q)
{
	static const char *const heads[] = { "#", "Time", "User", "Operation", "Command",
		"What", "Reason", NULL };
	static struct reg_audit ring[AUDIT_SHOWN];	/* the event loop's one thread */
	struct aud f;
	struct pg_error e[4];
	struct asb_errbuf eb;
	char user[ASB_MAX_SHORT], subj[REG_ID_BUF + 4];
	uint64_t sid = 0;
	size_t ne = 0, i, shown;
	int err;

	asb_errbuf_clear(&eb);
	memset(&f, 0, sizeof(f));
	f.ring = ring;
	f.user = user;
	if (form_text(q, "user", user, sizeof(user)) == -1)
		e[ne++] = (struct pg_error){ "user", "User is too long", NULL };
	if (day_field(q, "from", &f.from) == -1)
		e[ne++] = (struct pg_error){ "from", "From must be a day as YYYY-MM-DD", NULL };
	if (day_field(q, "to", &f.to) == -1)
		e[ne++] = (struct pg_error){ "to", "To must be a day as YYYY-MM-DD", NULL };
	else if (f.to != 0)
		f.to += DAY;	/* inclusive */
	if (form_text(q, "subject", subj, sizeof(subj)) == -1 || (subj[0] != '\0' &&
	    reg_id_parse(subj, 'S', &sid) == -1))
		e[ne++] = (struct pg_error){ "subject", "About subject must be a subject ID, S "
		    "and digits", NULL };
	if (ne == 0 && f.from != 0 && f.to != 0 && f.to <= f.from)
		e[ne++] = (struct pg_error){ "to", "To must be on or after From", NULL };
	if (ne > 0) {
		q->status = 400;
		pg_head(q, "Error: Audit log");
		pg_error_summary(q, e, ne);
		pg_raw(q, "<h1 class=\"govuk-heading-l\">Audit log</h1>\n");
		filters(q, e, ne);
		pg_foot(q);
		return ASB_EUSAGE;
	}
	pg_head(q, "Audit log");
	pg_raw(q, "<h1 class=\"govuk-heading-l\">Audit log</h1>\n<p class=\"govuk-body\">Who "
	    "collected, altered, consulted, disclosed or erased what (Data Protection Act 2018 "
	    "s62). Newest first.</p>\n");
	filters(q, NULL, 0);
	if (sid != 0)
		err = reg_audit_about(q->app->r, sid, aud_one, &f, &eb);
	else
		err = reg_audit_each(q->app->r, aud_one, &f, &eb);
	if (err != ASB_OK)
		return err;
	shown = f.n < AUDIT_SHOWN ? f.n : AUDIT_SHOWN;
	pg_table_begin(q, "Entries", heads);
	for (i = 0; i < shown; i++) {
		const struct reg_audit *a = &ring[(f.n - 1 - i) % AUDIT_SHOWN];
		char seq[24], t[ASB_TIME_BUF];

		snprintf(seq, sizeof(seq), "%llu", (unsigned long long)a->seq);
		pg_row_begin(q);
		pg_cell(q, seq);
		pg_cell(q, asb_time_human(a->time, t, sizeof(t)));
		pg_cell(q, a->user);
		pg_cell(q, reg_audit_op_code(a->op));
		pg_cell(q, a->command);
		pg_cell(q, a->ids);
		pg_cell(q, a->reason);
		pg_row_end(q);
	}
	pg_table_end(q);
	if (f.n == 0)
		pg_raw(q, "<p class=\"govuk-body\" id=\"none\">No entries match.</p>\n");
	else if (f.n > shown)
		pg_printf(q, "<p class=\"govuk-body\" id=\"count\">%zu match; the newest %zu are "
		    "shown. Narrow the filters to see older ones.</p>\n", f.n, shown);
	else
		pg_printf(q, "<p class=\"govuk-body\" id=\"count\">%zu match.</p>\n", f.n);
	pg_foot(q);
	return ASB_OK;
}

static int
user_one(const char *name, int role, void *ctx)
{
	struct web_req *q = ctx;

	pg_row_begin(q);
	pg_cell(q, name);
	pg_cell(q, reg_role_code(role));
	pg_row_end(q);
	return 0;
}

int
page_users(struct web_req *q)
{
	static const char *const heads[] = { "User", "Role", NULL };
	struct asb_errbuf eb;
	int err;

	asb_errbuf_clear(&eb);
	pg_head(q, "Users and roles");
	pg_raw(q, "<h1 class=\"govuk-heading-l\">Users and roles</h1>\n<p class=\"govuk-body\">"
	    "Roles are set with <code>asbreg user set NAME --role ROLE</code>, passwords with <code>asbreg "
	    "user passwd NAME</code> and second factors with <code>asbreg user totp NAME</code>."
	    "</p>\n");
	pg_table_begin(q, "Users", heads);
	if ((err = reg_user_each(q->app->r, user_one, q, &eb)) != ASB_OK)
		return err;
	pg_table_end(q);
	pg_foot(q);
	return ASB_OK;
}
