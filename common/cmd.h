/*
 * cmd.h - the one command-line framework of asbreg, asbgw and asbhub.
 *
 * A program is a table of subcommands (as git's commands[] in git.c).  Each entry has its
 * name, a one-line summary for 'PROG --help', its synopsis, its own help text for
 * 'PROG CMD --help', the operation it needs (a string the caller interprets: asbreg hands it to
 * reg_open_as() as the operation the role policy checks; asbgw and asbhub may leave it NULL),
 * and the function that runs it.
 *
 * cmd_dispatch() reads the word that names the command and handles, in one place:
 *	PROG --help | -h | help		the program's synopsis and the list of commands (exit 0)
 *	PROG help CMD | PROG CMD --help	the command's own help (exit 0)
 *	PROG --version			"PROG VERSION" (exit 0)
 *	PROG (nothing) | PROG -x	the synopsis on the error stream (exit 2)
 *	PROG NOSUCH			"unknown command", with "did you mean 'X'?" when a
 *					command's name is a near spelling (exit 2)
 *	PROG CMD ARGS			CMD's run(ctx, cmd, argc, argv) with argv[0] = "CMD";
 *					its return (an enum asb_err) is the exit code
 *
 * Global options that come before the command (asbreg's -d DIR, --as USER) are the program's
 * own: main() parses them, stops at the first word that is not one of them (leaving --help and
 * --version for the dispatcher), and calls cmd_dispatch() with argv[0] the last word it took.
 *
 * Options of a command are parsed by the command itself with getopt_long(3), the one option
 * parser of the house; cmd_opt_error() writes the shared "unknown option / missing value"
 * message and returns ASB_EUSAGE, and cmd_help() prints the command's help for its --help.
 * A command with verbs of its own ('asbreg user add', 'asbhub force list') may keep a second
 * table and call cmd_dispatch() again on it.  Set-up that commands need but --help and
 * --version do not (asbgw's and asbhub's library init) is main's, before cmd_dispatch(), or
 * each command's own; cleanup follows cmd_dispatch()'s return.  A command that takes no
 * register has op NULL.
 *
 * Nothing here keeps state between calls; the tables are const and the context is the caller's.
 */
#ifndef ASB_CMD_H
#define ASB_CMD_H

#include <stdio.h>

struct cmd;

struct cmd_prog {
	const char	*name;		/* "asbreg": the prefix of every message */
	const char	*version;	/* printed by --version */
	const char	*synopsis;	/* first line(s) of --help: "usage: asbreg [...] COMMAND" */
	const char	*footer;	/* after the command list of --help, or NULL */
	const char	*cmd_footer;	/* after every command's --help (common options), or NULL */
	const struct cmd *cmds;
	size_t		 ncmds;
};

struct cmd {
	const char	*name;		/* the word that selects it: "subject-export" */
	const char	*summary;	/* one line, for the list in PROG --help */
	const char	*usage;		/* synopsis after "usage: PROG ": "find TEXT [--json]" */
	const char	*help;		/* the rest of CMD --help: what it does, its options */
	const char	*op;		/* the operation it needs, for the caller, or NULL */
	/* Run the command: argv[0] is its name, options follow.  Returns an enum asb_err
	 * (0 ok, 1 rule, 2 usage, 3 not found, 4 conflict, 5 I/O), the exit code. */
	int		(*run)(void *ctx, const struct cmd *cmd, int argc, char **argv);
};

/*
 * Resolve and run the command named by argv[1] (argv[0] is the program or the last global
 * option, never read).  out and err receive the framework's own output (help, errors), usually
 * stdout and stderr.  Returns the exit code, 0 to 5.
 */
int	 cmd_dispatch(const struct cmd_prog *p, void *ctx, int argc, char **argv, FILE *out,
	    FILE *err);

/* The table entry named name, or NULL. */
const struct cmd *cmd_find(const struct cmd_prog *p, const char *name);

/* The entry whose name is nearest to name (edit distance at most 2, or name is a prefix of
 * it), or NULL when none is near: the "did you mean" of an unknown command. */
const struct cmd *cmd_suggest(const struct cmd_prog *p, const char *name);

/* Print PROG's --help (synopsis, one line per command, footer) to f. */
void	 cmd_usage(const struct cmd_prog *p, FILE *f);

/* Print CMD's --help ("usage: PROG USAGE", summary, help, the program's cmd_footer) to f;
 * returns 0, the exit code of a --help. */
int	 cmd_help(const struct cmd_prog *p, const struct cmd *c, FILE *f);

/*
 * After getopt_long(3) returned '?' or ':' while parsing argv for command c: write
 * "PROG: CMD: OPTION: unknown option or missing value (see 'PROG CMD --help')" to f and
 * return ASB_EUSAGE.  Reads optopt and optind as getopt_long left them.
 */
int	 cmd_opt_error(const struct cmd_prog *p, const struct cmd *c, int argc, char **argv,
	    FILE *f);

/* Map a command's return to an exit code: 0 to 5 as they are, anything else 5. */
int	 cmd_exit_code(int rc);

#endif
