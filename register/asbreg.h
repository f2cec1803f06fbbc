/*
 * asbreg.h - what the files of the asbreg command share (not part of libregister).
 *
 * asbreg.c holds main, the command table and the helpers every command uses (options, opening
 * the register for the command's operation, the audit entry, exit codes); print.c prints
 * subjects and records; cmd_*.c hold the commands by group.  A command parses its arguments,
 * calls the library, and prints: the role policy and the audit entry are the library's.
 */
#ifndef ASBREG_H
#define ASBREG_H

#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "codes.h"
#include "json.h"
#include "reg.h"

struct ctx {
	const struct cmd_prog *prog;
	const struct cmd *cmd;		/* the command running, from the table */
	const char	*name;		/* its name, for messages */
	const char	*dir;
	char		 user[ASB_MAX_SHORT];
	const char	*reason;
	int		 json, csv;
	asb_time	 now;
	struct reg	*r;
	int		 touch_err;	/* the first failure to note an ID for the audit entry */
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

/* ---- asbreg.c ---- */

/* Print the error ("asbreg: CMD: why (RULE)") and return err, the exit code. */
int	 fail(const struct ctx *c, int err, const struct asb_errbuf *eb);
/* "asbreg: CMD: <fmt with arg> (see 'asbreg CMD --help')"; returns ASB_EUSAGE. */
int	 usage_error(const struct ctx *c, const char *fmt, const char *arg);
void	 warnings(const struct ctx *c, const struct sch_findings *f);

/*
 * Parse argv: the common options (-d, --as, --reason, --json, --csv, --help) here, every
 * other one, declared with FIELD or FLAG in fields, handed to set(obj, name, value) by its
 * long name.  Returns -1 to carry on (optind at the first operand), or the exit code: 0 after
 * printing the command's --help, ASB_EUSAGE after printing what was wrong.
 */
int	 options(struct ctx *c, int argc, char **argv, const struct option *fields,
	    int (*set)(void *, const char *, const char *, struct asb_errbuf *), void *obj);
#define O_FIELD	1005
#define FIELD(name) { name, required_argument, NULL, O_FIELD }
#define FLAG(name) { name, no_argument, NULL, O_FIELD }
/* A set() for a command with one option of its own: keeps its value (a flag's is "1"). */
int	 set_only(void *obj, const char *name, const char *val, struct asb_errbuf *eb);

/* Open the register for the command's operation (the role check is reg_open_as's) and begin
 * a transaction; on failure nothing is open. */
int	 open_reg(struct ctx *c, int write, struct asb_errbuf *eb);
/* Commit (or abort on error) and close; returns the exit code, printing any error. */
int	 finish(struct ctx *c, int err, struct asb_errbuf *eb);
/* Note a record or subject shown or changed, for the command's audit entry. */
void	 touch_record(struct ctx *c, uint64_t id);
void	 touch_subject(struct ctx *c, uint64_t id);
/* Write the command's audit entry (the library builds it from what was touched). */
int	 audit(struct ctx *c, int op, const char *note, uint64_t count, struct asb_errbuf *eb);

/*
 * A code as an officer types it: case, and '_' or a space for '-', do not matter.  The index
 * in list, or -1 with *ret_near the nearest code when one is near (else NULL).  code_refuse
 * prints "'X' is not a WHAT: did you mean 'Y'?" (or the list) and returns ASB_EUSAGE.
 */
int	 code_lookup(enum sch_list list, const char *val, const char **ret_near);
int	 code_refuse(const struct ctx *c, enum sch_list list, const char *what,
	    const char *val);

/* ---- print.c ---- */

const char *tiso(asb_time t, char *buf);	/* ISO 8601, "" for 0 */
const char *thuman(asb_time t, char *buf);	/* UK civil time, "-" for 0 */
void	 json_time(FILE *f, int first, const char *key, asb_time t);
void	 json_subject(FILE *f, const struct reg_subject *s);
/* The same, with "merged_into" when into is not 0 (a duplicate merged into another). */
void	 json_subject_merged(FILE *f, const struct reg_subject *s, uint64_t into);
/* A subject as history and subject-export head it: the identity (all of it when full), a
 * restriction of processing, and every correction made. */
void	 print_subject(struct ctx *c, const struct reg_subject *s, int full);
/* A record in full, with its subject, events and links; touch notes the subject and the
 * linked records shown for the audit entry. */
int	 print_record(struct ctx *c, const struct reg_view *v, FILE *f, int json, int touch,
	    struct asb_errbuf *eb);

/* A subject ID as asked for, resolved through merges to the subject kept (telling the user
 * on stderr when it moved, and noting the ID asked for in the audit entry). */
int	 resolve_subject(struct ctx *c, uint64_t *id, struct asb_errbuf *eb);
/* The subjects merged into keep: as lines (with their identity in full when full), or as
 * ',"merged_from":[...]' in JSON. */
int	 print_merges(struct ctx *c, uint64_t keep, int full, struct asb_errbuf *eb);

/* ---- the commands (cmd_*.c) ---- */

int	 run_init(void *, const struct cmd *, int, char **);
int	 run_subject(void *, const struct cmd *, int, char **);
int	 run_add(void *, const struct cmd *, int, char **);
int	 run_event(void *, const struct cmd *, int, char **);
int	 run_show(void *, const struct cmd *, int, char **);
int	 run_find(void *, const struct cmd *, int, char **);
int	 run_list(void *, const struct cmd *, int, char **);
int	 run_history(void *, const struct cmd *, int, char **);
int	 run_due(void *, const struct cmd *, int, char **);
int	 run_repeat(void *, const struct cmd *, int, char **);
int	 run_subject_export(void *, const struct cmd *, int, char **);
int	 run_restrict(void *, const struct cmd *, int, char **);
int	 run_rectify(void *, const struct cmd *, int, char **);
int	 run_review(void *, const struct cmd *, int, char **);
int	 run_user(void *, const struct cmd *, int, char **);
int	 run_audit(void *, const struct cmd *, int, char **);
int	 run_codes(void *, const struct cmd *, int, char **);
int	 run_rules(void *, const struct cmd *, int, char **);
int	 run_commence(void *, const struct cmd *, int, char **);
int	 run_import(void *, const struct cmd *, int, char **);
int	 run_export(void *, const struct cmd *, int, char **);
int	 run_void(void *, const struct cmd *, int, char **);
int	 run_merge(void *, const struct cmd *, int, char **);
/* 'user passwd NAME', 'user totp NAME' (cmd_secret.c) */
int	 run_user_secret(struct ctx *c, const char *verb, const char *name);
/* 'serve': the web application (web/cmd_serve.c, in libweb) */
int	 run_serve(void *, const struct cmd *, int, char **);
int	 run_backup(void *, const struct cmd *, int, char **);
int	 run_restore(void *, const struct cmd *, int, char **);

#endif
