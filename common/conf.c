/*
 * conf.c - "key = value" files.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
conf_load(const char *path, struct conf_entry *entries, size_t n, struct asb_errbuf *eb)
{
	char line[CONF_VALUE_MAX + 128], *k, *v, *eq;
	FILE *f;
	size_t i;
	int lineno = 0, found;

	if ((f = fopen(path, "r")) == NULL)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: cannot read it", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			fclose(f);
			return asb_fail(eb, ASB_EUSAGE, NULL, "%s:%d: line too long",
			    path, lineno);
		}
		if ((k = strchr(line, '#')) != NULL)
			*k = '\0';
		k = trim(line);
		if (*k == '\0')
			continue;
		if ((eq = strchr(k, '=')) == NULL) {
			fclose(f);
			return asb_fail(eb, ASB_EUSAGE, NULL, "%s:%d: not 'key = value'",
			    path, lineno);
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		for (i = 0, found = 0; i < n; i++)
			if (strcmp(entries[i].key, k) == 0) {
				if (strlen(v) >= sizeof(entries[i].value)) {
					fclose(f);
					return asb_fail(eb, ASB_EUSAGE, NULL, "%s:%d: "
					    "value too long", path, lineno);
				}
				snprintf(entries[i].value, sizeof(entries[i].value),
				    "%s", v);
				found = 1;
			}
		if (!found) {
			fclose(f);
			return asb_fail(eb, ASB_EUSAGE, NULL, "%s:%d: unknown setting "
			    "'%s'", path, lineno, k);
		}
	}
	fclose(f);
	return ASB_OK;
}

const char *
conf_get(const struct conf_entry *entries, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(entries[i].key, key) == 0)
			return entries[i].value[0] ? entries[i].value : NULL;
	return NULL;
}
