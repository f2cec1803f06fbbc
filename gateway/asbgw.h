/*
 * asbgw.h - what the files of the asbgw command share (not part of libgateway).
 *
 * asbgw.c holds main, the command table and what several commands use (messages, the
 * --max-bytes argument, the settings of the outbox commands); cmd_build.c builds and
 * validates, cmd_sign.c signs and verifies, cmd_send.c submits, sends, lists the outbox and
 * shows receipts.  A command parses its arguments, calls the library, prints, and returns
 * the exit code (0 ok, 1 invalid or rejected, 2 usage, 3 not found, 4 conflict, 5 I/O).
 */
#ifndef ASBGW_H
#define ASBGW_H

#include <stdint.h>
#include <stdio.h>

#include "client.h"
#include "cmd.h"
#include "conf.h"
#include "date.h"
#include "err.h"
#include "rtn.h"

#define DEFAULT_REGISTER	"./var/register"

struct ctx {
	const struct cmd_prog *prog;
	const struct cmd *cmd;		/* the command running, from the table */
	const char	*name;		/* its name, for messages */
	asb_time	 now;		/* $ASBREG_NOW or the clock */
};

/* The context of a command run from the table, with the entry it runs as. */
static inline struct ctx *
ctx_of(void *v, const struct cmd *cmd)
{
	struct ctx *c = v;

	c->cmd = cmd;
	c->name = cmd->name;
	return c;
}

/* ---- asbgw.c ---- */

/* Print "asbgw: CMD: why (RULE)" and return err. */
int	 fail(const struct ctx *c, int err, const struct asb_errbuf *eb);
/* "asbgw: CMD: <what> (see 'asbgw CMD --help')"; returns ASB_EUSAGE. */
int	 usage_error(const struct ctx *c, const char *what);
/* After getopt_long returned '?' or ':': the shared message; returns ASB_EUSAGE. */
int	 opt_error(const struct ctx *c, int argc, char **argv);
/* --max-bytes N: the largest return to build or validate. */
int	 max_bytes_arg(const struct ctx *c, const char *arg, int64_t *ret);

/* A validation finding, as build and validate print it (text or a JSON array element). */
struct report {
	int	 json;
	int	 n;
};
void	 on_finding(const struct rtn_finding *f, void *ctx);

/* Say which periods need a correction (records voided or merged since their acknowledged
 * return counted them: gw_corrections_due), as sentences after prefix on f, or as JSON
 * lines; skip names the return a build supersedes (its correction is that build).  ob may
 * be NULL (opened and closed here).  A failure to tell is a warning on stderr. */
struct outbox;
void	 say_corrections_due(const struct ctx *c, const char *register_dir, struct outbox *ob,
	    const char *user, FILE *f, const char *prefix, const char *skip, int json);
/* The acting user: $ASB_USER, else the login name. */
const char *acting_user(char *buf, size_t cap);

/* The settings of submit, send, outbox and receipt: the configuration file and the flags. */
enum { C_REGISTER, C_FORCE, C_URL, C_CERT, C_KEY, C_CA, C_SIGN_CERT, C_SIGN_KEY,
	C_RECEIPT_SIGNER, C_CONNECT_TIMEOUT, C_RECEIPT_CERT, C_RECEIPT_FINGERPRINT, C_N };

struct settings {
	struct conf_entry	 c[C_N];
	const char		*conf;		/* the file read, or NULL */
	int			 json, now;
	long			 connect_timeout;	/* seconds; 0: the default */
};

/*
 * Parse the options shared by submit, send, outbox and receipt (-c CONF, -d REGISTER, --url,
 * --cert, --key, --ca, --sign-cert, --sign-key, --connect-timeout, --receipt-cert,
 * --receipt-fingerprint, --json, --now, --help) and
 * read the configuration: flags override the file, which is -c, else $ASBGW_CONF, else
 * REGISTER/asbgw.conf when it exists.  Returns -1 to carry on (optind at the first operand),
 * or the exit code: 0 after the command's --help, ASB_EUSAGE after saying what was wrong.
 */
int	 settings_load(const struct ctx *c, int argc, char **argv, struct settings *st);
/* A setting's value, or NULL when it is not set. */
const char *setting(const struct settings *st, int i);
/* The TLS settings of a request to the hub. */
void	 tls_of(const struct settings *st, struct gw_tls *t);

/* ---- the commands (cmd_*.c) ---- */

int	 run_build(void *, const struct cmd *, int, char **);
int	 run_validate(void *, const struct cmd *, int, char **);
int	 run_sign(void *, const struct cmd *, int, char **);
int	 run_verify(void *, const struct cmd *, int, char **);
int	 run_submit(void *, const struct cmd *, int, char **);
int	 run_send(void *, const struct cmd *, int, char **);
int	 run_outbox(void *, const struct cmd *, int, char **);
int	 run_receipt(void *, const struct cmd *, int, char **);

#endif
