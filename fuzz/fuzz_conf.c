/* fuzz_conf: the key = value configuration file parser, with asbgw's keys. */
#include <unistd.h>

#include "conf.h"
#include "fuzz.h"

static char path[] = "/tmp/asb-fuzz-conf-XXXXXX";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = mkstemp(path);

	(void)argc;
	(void)argv;
	if (fd == -1)
		abort();
	close(fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "register", "force", "url", "cert", "key", "ca",
	    "sign-cert", "sign-key", "receipt-signer", "connect-timeout" };
	struct conf_entry c[10];
	FILE *f;
	size_t i;

	if ((f = fopen(path, "w")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	for (i = 0; i < 10; i++) {
		c[i].key = keys[i];
		c[i].value[0] = '\0';
	}
	(void)conf_load(path, c, 10, NULL);
	(void)conf_get(c, 10, "url");
	return 0;
}
