/*
 * explain.c - the data team's explanations of its warnings (asbgw build --explain,
 * --explanations): checked here before anything is built, written into the return's Header
 * by build.c and signed with it, shown by the Home Office beside the warning it explains
 * (docs/return-format.md, "Explanations").  The only free text a return holds, and the data
 * team's own words, never the register's: the caps are the XSD's, so what is accepted here
 * validates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"
#include "rules.h"

/* A file of explanations is a few KiB; more is a mistake (a return given by mistake). */
#define EXPLAIN_FILE_MAX	ASB_MAX_EXPLAIN_FILE	/* asb_limits.h */

/* The rules an explanation may name: a warning of rules.tsv (an error cannot be sent, so
 * there is nothing to explain) or the data-quality flag on the change in uses. */
static int
explainable(const char *rule)
{
	const struct sch_rule *r;
	unsigned i;

	if (strcmp(rule, RTN_RULE_VOLUME) == 0)
		return 1;
	for (i = 0; i < sch_rule_count(); i++)
		if ((r = sch_rule_at(i)) != NULL && r->warning && strcmp(r->id, rule) == 0)
			return 1;
	return 0;
}

/* Characters of valid UTF-8 without control characters, or -1. */
static long
plain_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;
	int more, i;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f)
			return -1;
		more = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 && *p >= 0xc2 ? 1 :
		    (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 && *p <= 0xf4 ? 3 : -1;
		if (more < 0)
			return -1;
		for (i = 1; i <= more; i++)
			if ((p[i] & 0xc0) != 0x80)
				return -1;
		if (more == 1 && p[0] == 0xc2 && p[1] < 0xa0)
			return -1;	/* C1 control characters */
		p += more + 1;
		n++;
	}
	return n;
}

int
gw_explain_add(struct gw_explanations *x, const char *rule, const char *text,
    struct asb_errbuf *eb)
{
	struct gw_explanation *e;
	long n;
	size_t i;

	if (!explainable(rule))
		return asb_fail(eb, ASB_EUSAGE, NULL, "'%.40s' is not a warning's rule ID: "
		    "an explanation is for a warning of asbreg rules (severity warning) or "
		    "for %s, the change in uses", rule, RTN_RULE_VOLUME);
	for (i = 0; i < x->n; i++)
		if (strcmp(x->item[i].rule, rule) == 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "%s is explained twice: give "
			    "one explanation a rule", rule);
	while (*text == ' ')
		text++;
	if ((n = plain_chars(text)) < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "the explanation of %s is not plain "
		    "text: UTF-8 without line breaks, tabs or control characters", rule);
	if (n == 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "the explanation of %s is empty",
		    rule);
	if (n > RTN_EXPLANATION_MAX)
		return asb_fail(eb, ASB_EUSAGE, NULL, "the explanation of %s has %ld "
		    "characters: at most %d", rule, n, RTN_EXPLANATION_MAX);
	if (x->n == RTN_MAX_EXPLANATIONS)
		return asb_fail(eb, ASB_EUSAGE, NULL, "more than %d explanations: a return "
		    "holds at most %d", RTN_MAX_EXPLANATIONS, RTN_MAX_EXPLANATIONS);
	e = &x->item[x->n];
	if ((e->text = strdup(text)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	for (i = strlen(e->text); i > 0 && e->text[i - 1] == ' '; i--)
		e->text[i - 1] = '\0';	/* not empty: n > 0 */
	snprintf(e->rule, sizeof(e->rule), "%s", rule);
	x->n++;
	return ASB_OK;
}

int
gw_explain_arg(struct gw_explanations *x, const char *arg, struct asb_errbuf *eb)
{
	const char *eq = strchr(arg, '=');
	char rule[24];

	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof(rule))
		return asb_fail(eb, ASB_EUSAGE, NULL, "--explain: give RULE=TEXT, as "
		    "--explain 'R-DQ-001=a new PSPO in the city centre'");
	memcpy(rule, arg, (size_t)(eq - arg));
	rule[eq - arg] = '\0';
	return gw_explain_add(x, rule, eq + 1, eb);
}

int
gw_explain_file(struct gw_explanations *x, const char *path, struct asb_errbuf *eb)
{
	FILE *f;
	char *line = NULL, *tab, msg[sizeof(eb->msg)];
	size_t cap = 0, total = 0;
	ssize_t len;
	long no = 0;
	int err = ASB_OK;

	if ((f = fopen(path, "r")) == NULL)
		return asb_fail(eb, errno == ENOENT ? ASB_ENOTFOUND : ASB_EIO, NULL,
		    "--explanations: cannot read %s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, f)) != -1) {
		no++;
		if ((total += (size_t)len) > EXPLAIN_FILE_MAX) {
			err = asb_fail(eb, ASB_EUSAGE, NULL, "--explanations: %s is larger "
			    "than %u bytes", path, EXPLAIN_FILE_MAX);
			break;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if ((tab = strchr(line, '\t')) == NULL) {
			err = asb_fail(eb, ASB_EUSAGE, NULL, "--explanations: %s line %ld: "
			    "give RULE, a tab, then the explanation", path, no);
			break;
		}
		*tab = '\0';
		if ((err = gw_explain_add(x, line, tab + 1, eb)) != ASB_OK) {
			snprintf(msg, sizeof(msg), "%s", eb != NULL ? eb->msg : "");
			asb_fail(eb, err, NULL, "--explanations: %s line %ld: %s", path, no,
			    msg);
			break;
		}
	}
	if (err == ASB_OK && ferror(f))
		err = asb_fail(eb, ASB_EIO, NULL, "--explanations: cannot read %s", path);
	free(line);
	fclose(f);
	return err;
}

void
gw_explain_free(struct gw_explanations *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->n; i++)
		free(x->item[i].text);
	x->n = 0;
}
