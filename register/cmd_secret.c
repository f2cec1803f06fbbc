/*
 * cmd_secret.c - 'asbreg user passwd NAME' and 'asbreg user totp NAME': a user's password
 * (read from standard input: asked twice, without echo, on a terminal) and TOTP second
 * factor, for signing in to the web application.  The data team's, as every 'user' verb.
 */
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "asbreg.h"

/* One line of standard input into buf, its newline dropped; -1 at end of input or when
 * longer than the buffer. */
static int
read_line(const char *prompt, char *buf, size_t cap)
{
	struct termios t, quiet;
	int tty = isatty(0), ok;
	size_t n;

	if (tty) {
		fputs(prompt, stderr);
		if (tcgetattr(0, &t) == 0) {
			quiet = t;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			(void)tcsetattr(0, TCSAFLUSH, &quiet);
		}
	}
	ok = fgets(buf, (int)cap, stdin) != NULL;
	if (tty) {
		(void)tcsetattr(0, TCSAFLUSH, &t);
		fputc('\n', stderr);
	}
	if (!ok)
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (n == cap - 1)
		return -1;
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

int
run_user_secret(struct ctx *c, const char *verb, const char *name)
{
	char pw[REG_PASSWORD_MAX + 2], again[REG_PASSWORD_MAX + 2], uri[REG_TOTP_URI];
	char tok[ASB_MAX_SHORT + 32];
	struct asb_errbuf eb;
	int err, totp = strcmp(verb, "totp") == 0;

	asb_errbuf_clear(&eb);
	if (!totp) {
		if (read_line("New password: ", pw, sizeof(pw)) != 0)
			return usage_error(c, "%s", "give the new password on standard input "
			    "(one line, at most 1024 bytes)");
		if (isatty(0) && (read_line("Again: ", again, sizeof(again)) != 0 ||
		    strcmp(pw, again) != 0)) {
			OPENSSL_cleanse(pw, sizeof(pw));
			OPENSSL_cleanse(again, sizeof(again));
			return usage_error(c, "%s", "the two passwords differ: nothing changed");
		}
	}
	if ((err = open_reg(c, 1, &eb)) == ASB_OK) {
		err = totp ? reg_totp_enrol(c->r, name, uri, sizeof(uri), &eb) :
		    reg_passwd_set(c->r, name, pw, &eb);
		snprintf(tok, sizeof(tok), "user:%s %s", name, totp ? "totp enrolled" :
		    "password set");
		if (err == ASB_OK)
			err = audit(c, REG_AUDIT_ALTERATION, tok, 1, &eb);
	}
	OPENSSL_cleanse(pw, sizeof(pw));
	OPENSSL_cleanse(again, sizeof(again));
	if (c->r == NULL)
		return fail(c, err, &eb);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	if (totp)
		printf("%s\n", uri);
	return 0;
}
