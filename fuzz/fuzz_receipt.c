/* fuzz_receipt: the force side's receipt verifier (signature by the hub's receipt key, then
 * every field and finding). */
#include "dsig.h"
#include "fuzz.h"
#include "rtn.h"
#include "receipt.h"

static char ca[4096];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rtn_init();
	if (dsig_init(NULL) != ASB_OK)
		abort();
	fuzz_path(ca, sizeof(ca), "pki/ca.crt");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct receipt r;

	(void)receipt_verify((const char *)data, size, ca, NULL, &r, NULL, NULL, NULL);
	return 0;
}
