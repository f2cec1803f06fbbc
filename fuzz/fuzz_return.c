/* fuzz_return: the return reader and validator (XSD and rules, streaming and on a tree),
 * and the report's reader of stored returns. */
#include <libxml/parser.h>

#include "fuzz.h"
#include "rtn.h"
#include "report.h"

static struct rtn_schema *xsd;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rtn_init();
	if (rtn_schema_load(&xsd, NULL) != ASB_OK)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtn_validate_opts o = { .max_errors = 20, .schema = xsd };
	struct rtn_validate_result r;
	struct rpt_opts ro;
	struct rpt *rep = NULL;
	const char *body = (const char *)data;
	xmlDocPtr doc;

	(void)rtn_validate_mem(body, size, "fuzz", &o, &r, NULL);
	doc = xmlReadMemory(body, (int)(size > 1 << 30 ? 1 << 30 : size), "fuzz", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	if (doc != NULL) {
		(void)rtn_validate_doc(doc, "fuzz", &o, &r, NULL);
		xmlFreeDoc(doc);
	}
	memset(&ro, 0, sizeof(ro));
	if (rpt_parse_range("2026-Q3", NULL, &ro, NULL) == ASB_OK &&
	    rpt_parse_dims("force,power,sex,local-authority,outcome", &ro, NULL) == ASB_OK &&
	    rpt_build_mem(&body, &size, 1, &ro, &rep, NULL) == ASB_OK) {
		FILE *f = fopen("/dev/null", "w");

		if (f != NULL) {
			rpt_write_text(rep, f);
			rpt_write_json(rep, f);
			rpt_write_html(rep, f);
			fclose(f);
		}
		rpt_free(rep);
	}
	return 0;
}
