/*
 * fuzz.h - what the libFuzzer targets share: the directory fuzz/run.sh prepares (a
 * development PKI, a hub with one force registered, a register), found through
 * $ASB_FUZZ_DIR, and a NUL-terminated copy of an input.
 */
#ifndef ASB_FUZZ_H
#define ASB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv);

/* $ASB_FUZZ_DIR/rel into buf; aborts with a message when the variable is not set. */
static inline const char *
fuzz_path(char *buf, size_t cap, const char *rel)
{
	const char *d = getenv("ASB_FUZZ_DIR");

	if (d == NULL || *d == '\0') {
		fprintf(stderr, "set ASB_FUZZ_DIR (fuzz/run.sh does)\n");
		abort();
	}
	snprintf(buf, cap, "%s/%s", d, rel);
	return buf;
}

/* A NUL-terminated copy (free it). */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
