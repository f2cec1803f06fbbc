/* fuzz_intake: the hub's handling of a request: a POSTed body through size, parse,
 * signature, signer, force binding, XSD and rules; and the GET paths' arguments (a return ID
 * for a receipt, a period for a force's list). */
#include <time.h>

#include "dsig.h"
#include "fuzz.h"
#include "rtn.h"
#include "intake.h"

static struct hub h;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[4096];

	(void)argc;
	(void)argv;
	rtn_init();
	if (dsig_init(NULL) != ASB_OK ||
	    hub_open(&h, strdup(fuzz_path(dir, sizeof(dir), "hub")), NULL) != ASB_OK)
		abort();
	h.max_body = 4 << 20;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hub_reply out;
	char *s;

	hub_intake(&h, (const char *)data, size, "E23000011", (asb_time)time(NULL), &out);
	free(out.body);
	if (size < 256) {
		s = fuzz_str(data, size);
		hub_get_receipt(&h, s, "E23000011", &out);
		free(out.body);
		hub_list_own(&h, "E23000011", s, &out);
		free(out.body);
		hub_list_own(&h, s, NULL, &out);
		free(out.body);
		free(s);
	}
	return 0;
}
