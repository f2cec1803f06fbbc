/*
 * asbhub.h - what the files of the asbhub command share (not part of libhub).
 *
 * asbhub.c holds main, the command table and the option parser every command uses;
 * cmd_init.c makes a hub and registers forces, cmd_serve.c runs the service, cmd_returns.c
 * lists and shows returns, cmd_report.c writes national figures and compliance, cmd_release.c
 * makes, reproduces and lists releases (release.h), cmd_store.c
 * maintains the store (reindex, and the migration of a store from before facts).  A command
 * parses its arguments, calls the library, prints, and returns the exit code (0 ok, 1
 * refused, 2 usage, 3 not found, 4 conflict, 5 storage or network).
 */
#ifndef ASBHUB_H
#define ASBHUB_H

#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "err.h"

#define ASBHUB_VERSION	"0.1.0"
#define DEFAULT_DIR	"./var/hub"

struct ctx {
	const struct cmd_prog *top;	/* asbhub's table: the prefix of every message */
	const struct cmd_prog *prog;	/* the table the command came from, for its --help */
	const struct cmd *cmd;		/* the command running */
	char		 name[32];	/* its name in messages: "returns", "force add" */
};

/* The context of a command run from a table, with the entry it runs as. */
static inline struct ctx *
ctx_of(void *v, const struct cmd *cmd)
{
	struct ctx *c = v;

	c->cmd = cmd;
	snprintf(c->name, sizeof(c->name), "%s", cmd->name);
	return c;
}

/* The same for a verb of a command with verbs of its own ('force add', 'operator list'):
 * named "GROUP VERB" in messages. */
static inline struct ctx *
ctx_of_verb(void *v, const struct cmd *cmd, const char *group)
{
	struct ctx *c = ctx_of(v, cmd);

	snprintf(c->name, sizeof(c->name), "%s %s", group, cmd->name);
	return c;
}

/* ---- asbhub.c ---- */

/* Print "asbhub: CMD: why (RULE)" and return err. */
int	 say(const struct ctx *c, int err, const struct asb_errbuf *eb);
/* "asbhub: CMD: <what> (see 'asbhub CMD --help')"; returns ASB_EUSAGE. */
int	 usage_error(const struct ctx *c, const char *what);

/* The options of every command, parsed by one parser: each command reads those it takes. */
struct opts {
	const char	*dir, *ca, *cert, *key, *sign_cert, *sign_key, *force, *period;
	const char	*tls_cert;	/* force add|revoke --tls-cert */
	const char	*listen, *port_file, *user;
	const char	*year, *from, *to, *by, *format, *output, *population;
	int		 json, receipt, body, include_test, html, all;
	int64_t		 workers, max_conns, max_body, timeout, threshold, due_days;
	int64_t		 adm[8];	/* serve's admission options (hub/conn.h), in the order
					 * of SERVE_OPTS in asbhub.c; 0 = the default */
};

/*
 * Parse argv into o (defaults first: -d is $ASBHUB_DIR or ./var/hub).  Returns -1 to carry
 * on (optind at the first operand), or the exit code: 0 after the command's --help,
 * ASB_EUSAGE after saying what was wrong.
 */
int	 parse(struct ctx *c, int argc, char **argv, struct opts *o);

/* ---- the commands (cmd_*.c) ---- */

int	 run_init(void *, const struct cmd *, int, char **);
int	 run_force(void *, const struct cmd *, int, char **);
int	 run_operator(void *, const struct cmd *, int, char **);
int	 run_serve(void *, const struct cmd *, int, char **);
int	 run_returns(void *, const struct cmd *, int, char **);
int	 run_show(void *, const struct cmd *, int, char **);
int	 run_report(void *, const struct cmd *, int, char **);
int	 run_compliance(void *, const struct cmd *, int, char **);
int	 run_reindex(void *, const struct cmd *, int, char **);
int	 run_release(void *, const struct cmd *, int, char **);
int	 run_backup(void *, const struct cmd *, int, char **);
int	 run_restore(void *, const struct cmd *, int, char **);

/* ---- cmd_store.c ---- */

struct hub_store;
/* The store, for a command that counts: one from before facts is migrated first (a note on
 * stderr; returns quarantined on the way are a warning, not a failure).  Says why on error. */
int	 open_counted(const struct ctx *c, const char *dir, struct hub_store **ret);

#endif
