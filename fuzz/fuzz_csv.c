/* fuzz_csv: the register's CSV import (records and events files, every column's parser and
 * the statutory rules), inside a transaction that is always aborted. */
#include <time.h>

#include "fuzz.h"
#include "reg.h"

static struct reg *r;
static FILE *devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[4096];

	(void)argc;
	(void)argv;
	if (reg_open(fuzz_path(dir, sizeof(dir), "reg"), &r, NULL) != ASB_OK ||
	    (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reg_import_result res;
	asb_time now = 1790000000;	/* 2026-09-21 */
	FILE *in;
	int pass;

	if (size == 0)
		return 0;
	for (pass = 0; pass < 2; pass++) {
		if ((in = fmemopen((void *)data, size, "r")) == NULL)
			return 0;
		if (reg_begin(r, 1, NULL) == ASB_OK) {
			(void)reg_import(r, in, pass ? devnull : NULL, "fuzz", now, NULL, NULL,
			    &res, NULL);
			reg_abort(r);
		}
		fclose(in);
	}
	return 0;
}
