/*
 * page_login.c - signing in and out: GET /login (the form, with a fresh form token in a
 * cookie of its own), POST /login (reg_login: password, then the TOTP code; a refusal is
 * shown in the error summary, never saying which of the three was wrong, and its answer is
 * held back longer after each failure), POST /logout (the session ended on the server).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <event2/buffer.h>

#include "form.h"
#include "page.h"

static void
login_form(struct web_req *q, const char *tok, const char *user, const struct pg_error *e,
    size_t ne)
{
	pg_head(q, ne ? "Error: Sign in" : "Sign in");
	pg_raw(q, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
	pg_error_summary(q, e, ne);
	pg_raw(q, "<h1 class=\"govuk-heading-l\">Sign in</h1>\n"
	    "<form method=\"post\" action=\"/login\" novalidate>\n");
	pg_printf(q, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", tok);
	pg_input(q, "username", "User name", NULL, ne ? e[0].msg : NULL, user, "text",
	    "username");
	pg_input(q, "password", "Password", NULL, NULL, NULL, "password", "current-password");
	pg_input(q, "code", "Security code", "The 6-digit code from your authenticator app, "
	    "if your account has one", NULL, NULL, "text", "one-time-code");
	pg_raw(q, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">"
	    "Sign in</button>\n</form>\n</div></div>\n");
	pg_foot(q);
}

/* A new sign-in form token, set as its cookie; 0 or -1. */
static int
new_token(struct web_req *q, char *tok)
{
	static const char d[] = "0123456789abcdef";
	unsigned char b[32];
	char c[REG_TOKEN_HEX + 128];
	size_t i;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	for (i = 0; i < sizeof(b); i++) {
		tok[2 * i] = d[b[i] >> 4];
		tok[2 * i + 1] = d[b[i] & 15];
	}
	tok[64] = '\0';
	snprintf(c, sizeof(c), "%s=%s; Path=/; Secure; HttpOnly; SameSite=Strict; "
	    "Max-Age=3600", WEB_LOGIN_COOKIE, tok);
	web_header(q, "Set-Cookie", c);
	return 0;
}

int
page_login_get(struct web_req *q)
{
	char tok[REG_TOKEN_HEX];

	if (new_token(q, tok) != 0) {
		web_error_page(q, 503, "Sorry, there is a problem with the service",
		    "Try again later.");
		return ASB_EIO;
	}
	login_form(q, tok, NULL, NULL, 0);
	return ASB_OK;
}

int
page_login_post(struct web_req *q)
{
	struct reg *r = q->app->r;
	struct reg_login res;
	struct asb_errbuf eb;
	struct pg_error e;
	char user[ASB_MAX_SHORT * 2], code[16], tok[REG_TOKEN_HEX];
	const char *pw = web_form(q, "password");
	int err;

	asb_errbuf_clear(&eb);
	if (form_text(q, "username", user, sizeof(user)) != 0)
		user[0] = '\0';
	if (form_text(q, "code", code, sizeof(code)) != 0)
		code[0] = '\0';
	/* the form's own token goes on being used for a second try */
	if (web_cookie(q, WEB_LOGIN_COOKIE, tok, sizeof(tok)) != 0)
		tok[0] = '\0';
	if (user[0] == '\0' || pw == NULL || pw[0] == '\0') {
		e.field = user[0] == '\0' ? "username" : "password";
		e.msg = user[0] == '\0' ? "Enter your user name" : "Enter your password";
		e.rule = NULL;
		login_form(q, tok, user, &e, 1);
		return ASB_OK;
	}
	if ((err = reg_begin(r, 1, &eb)) != ASB_OK ||
	    (err = reg_login(r, &q->app->o->policy, user, pw, code, q->now, &res, &eb)) !=
	    ASB_OK) {
		if (err != ASB_OK)
			reg_abort(r);
		web_error_page(q, 503, "Sorry, there is a problem with the service",
		    "Signing in is not possible just now. Try again later.");
		return err;
	}
	/* the refusal is committed too: the count, the lock and the audit entry */
	if ((err = reg_commit(r, &eb)) != ASB_OK) {
		web_error_page(q, 503, "Sorry, there is a problem with the service",
		    "Signing in is not possible just now. Try again later.");
		return err;
	}
	if (res.ok) {
		web_session_cookie(q, res.token);
		web_header(q, "Set-Cookie", WEB_LOGIN_COOKIE "=; Path=/; Secure; HttpOnly; "
		    "SameSite=Strict; Max-Age=0");
		web_redirect(q, "/");
		return ASB_OK;
	}
	q->delay_ms = res.delay_ms;
	e.field = "username";
	e.msg = res.msg;
	e.rule = res.rule;
	login_form(q, tok, user, &e, 1);
	return ASB_OK;
}

int
page_logout_post(struct web_req *q)
{
	struct asb_errbuf eb;
	int err;

	asb_errbuf_clear(&eb);
	if ((err = reg_session_end(q->app->r, q->token, q->now, &eb)) != ASB_OK)
		return err;
	q->signed_in = 0;
	web_session_cookie(q, NULL);
	web_redirect(q, "/login");
	return ASB_OK;
}
