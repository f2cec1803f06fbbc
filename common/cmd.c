/*
 * cmd.c - subcommand table dispatch, help and the shared option-error message (cmd.h).
 */
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "err.h"

#define CMD_NAME_MAX	64	/* longest command name the suggestion compares */

const struct cmd *
cmd_find(const struct cmd_prog *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ncmds; i++)
		if (strcmp(p->cmds[i].name, name) == 0)
			return &p->cmds[i];
	return NULL;
}

/* Edit distance of two short strings, a swap of two neighbours counting as one edit (the
 * commonest typing slip: "fnid"); longer strings are never near. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, v;
	unsigned char d[CMD_NAME_MAX + 1][CMD_NAME_MAX + 1];

	if (la > CMD_NAME_MAX || lb > CMD_NAME_MAX)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1u < v)
				v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)v;
		}
	return d[la][lb];
}

const struct cmd *
cmd_suggest(const struct cmd_prog *p, const char *name)
{
	const struct cmd *best = NULL;
	size_t i, d, bestd = 3, n = strlen(name);

	for (i = 0; i < p->ncmds; i++) {
		d = distance(name, p->cmds[i].name);
		/* A typed prefix of three letters or more ("sub" for subject-export) is near. */
		if (n >= 3 && strncmp(name, p->cmds[i].name, n) == 0 && d > 1)
			d = 1;
		if (d < bestd) {
			bestd = d;
			best = &p->cmds[i];
		}
	}
	return best;
}

void
cmd_usage(const struct cmd_prog *p, FILE *f)
{
	size_t i;

	fprintf(f, "%s\ncommands:\n", p->synopsis);
	for (i = 0; i < p->ncmds; i++)
		fprintf(f, "  %-15s %s\n", p->cmds[i].name, p->cmds[i].summary);
	fprintf(f, "Run '%s COMMAND --help' (or '%s help COMMAND') for a command's usage and "
	    "options.\n", p->name, p->name);
	if (p->footer != NULL)
		fputs(p->footer, f);
}

int
cmd_help(const struct cmd_prog *p, const struct cmd *c, FILE *f)
{
	fprintf(f, "usage: %s %s\n%s\n", p->name, c->usage, c->summary);
	if (c->help != NULL && c->help[0] != '\0')
		fprintf(f, "\n%s", c->help);
	if (p->cmd_footer != NULL)
		fputs(p->cmd_footer, f);
	return 0;
}

int
cmd_opt_error(const struct cmd_prog *p, const struct cmd *c, int argc, char **argv, FILE *f)
{
	const char *word = NULL;
	char shortopt[3];
	int len = 0;

	/* A long option (unknown, or lacking its value) is the word getopt just passed, which
	 * is printed up to any '=value'; a short one is in optopt. */
	if (optind >= 1 && optind - 1 < argc && strncmp(argv[optind - 1], "--", 2) == 0) {
		word = argv[optind - 1];
		len = (int)strcspn(word, "=");
	} else if (optopt > 0 && optopt < 256) {
		shortopt[0] = '-';
		shortopt[1] = (char)optopt;
		shortopt[2] = '\0';
		word = shortopt;
		len = 2;
	} else {
		word = "?";
		len = 1;
	}
	fprintf(f, "%s: %s: %.*s: unknown option or missing value (see '%s %s --help')\n",
	    p->name, c->name, len, word, p->name, c->name);
	return ASB_EUSAGE;
}

int
cmd_exit_code(int rc)
{
	return rc >= ASB_OK && rc <= ASB_EIO ? rc : ASB_EIO;
}

static int
is_help(const char *s)
{
	return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0;
}

int
cmd_dispatch(const struct cmd_prog *p, void *ctx, int argc, char **argv, FILE *out,
    FILE *err)
{
	const struct cmd *c, *near;
	const char *w;

	if (argc < 2) {
		cmd_usage(p, err);
		return ASB_EUSAGE;
	}
	w = argv[1];
	if (is_help(w) || (strcmp(w, "help") == 0 && argc == 2)) {
		cmd_usage(p, out);
		return 0;
	}
	if (strcmp(w, "--version") == 0) {
		fprintf(out, "%s %s\n", p->name, p->version);
		return 0;
	}
	if (strcmp(w, "help") == 0) {
		if ((c = cmd_find(p, argv[2])) != NULL)
			return cmd_help(p, c, out);
		w = argv[2];
	} else if (w[0] == '-') {
		fprintf(err, "%s: %s: unknown option before the command\n", p->name, w);
		cmd_usage(p, err);
		return ASB_EUSAGE;
	} else if ((c = cmd_find(p, w)) != NULL) {
		if (argc > 2 && is_help(argv[2]))
			return cmd_help(p, c, out);
		return cmd_exit_code(c->run(ctx, c, argc - 1, argv + 1));
	}
	if ((near = cmd_suggest(p, w)) != NULL)
		fprintf(err, "%s: %s: unknown command; did you mean '%s'?\n", p->name, w,
		    near->name);
	else
		fprintf(err, "%s: %s: unknown command\n", p->name, w);
	fprintf(err, "Run '%s --help' for the list of commands.\n", p->name);
	return ASB_EUSAGE;
}
