/* fuzz_dsig: signature verification as the hub does it: parse (no DTD, no entities), verify
 * (one signature, URI="", allowed algorithms, a chain to the CA), the header and the force
 * binding, then XSD and rules on the same tree. */
#include "dsig.h"
#include "fuzz.h"
#include "rtn.h"

static char ca[4096];
static struct rtn_schema *xsd;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rtn_init();
	if (dsig_init(NULL) != ASB_OK || rtn_schema_load(&xsd, NULL) != ASB_OK)
		abort();
	fuzz_path(ca, sizeof(ca), "pki/ca.crt");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtn_validate_opts o = { .max_errors = 20, .schema = xsd };
	struct rtn_validate_result r;
	struct dsig_signer who;
	struct rtn_header h;
	xmlDocPtr doc;

	if (rtn_parse_mem((const char *)data, size, "fuzz", &doc, NULL) != ASB_OK)
		return 0;
	if (rtn_header_read(doc, &h, NULL) == ASB_OK &&
	    dsig_verify_doc(doc, ca, &who, NULL) == ASB_OK &&
	    rtn_check_binding(h.force, who.cn, NULL) == ASB_OK)
		(void)rtn_validate_doc(doc, "fuzz", &o, &r, NULL);
	xmlFreeDoc(doc);
	return 0;
}
