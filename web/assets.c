/*
 * assets.c - GOV.UK Frontend's compiled stylesheet, fonts and images, served from the
 * directory given by --assets (govuk-frontend's dist/govuk: a copy made at build time under
 * build/share/govuk from node_modules, which 'npm ci' installs at the version package-lock.json
 * pins).  The stylesheet asks for its fonts and images at /assets/..., so that is where they
 * are.  Only names of the safe characters, no "..", files only: nothing outside the directory
 * can be named.  The version is pinned and the images' names do not change within it, so
 * they are cached for a year.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "page.h"

#define ASSET_MAX	(4u << 20)	/* the largest of govuk-frontend's files is under 1 MiB */

static const char *
type_of(const char *path)
{
	static const struct { const char *ext, *type; } t[] = {
		{ ".css", "text/css; charset=utf-8" }, { ".woff2", "font/woff2" },
		{ ".woff", "font/woff" }, { ".svg", "image/svg+xml" }, { ".png", "image/png" },
		{ ".ico", "image/x-icon" }, { ".json", "application/json" } };
	size_t i, n = strlen(path);

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (n > strlen(t[i].ext) && strcmp(path + n - strlen(t[i].ext), t[i].ext) == 0)
			return t[i].type;
	return NULL;
}

int
web_asset(struct web_req *q, const char *path)
{
	char file[4096];
	const char *type = type_of(path), *p;
	struct stat st;
	int fd;

	for (p = path; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '/'))
			break;
	if (*p != '\0' || strstr(path, "..") != NULL || strstr(path, "//") != NULL ||
	    type == NULL || snprintf(file, sizeof(file), "%s%s", q->app->o->assets, path) >=
	    (int)sizeof(file) || (fd = open(file, O_RDONLY | O_CLOEXEC)) == -1) {
		web_error_page(q, 404, "Page not found", "There is no such file.");
		return ASB_ENOTFOUND;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size > ASSET_MAX ||
	    evbuffer_add_file(q->out, fd, 0, st.st_size) != 0) {
		close(fd);
		web_error_page(q, 404, "Page not found", "There is no such file.");
		return ASB_ENOTFOUND;
	}
	web_header(q, "Content-Type", type);
	web_header(q, "Cache-Control", "public, max-age=31536000, immutable");
	return ASB_OK;
}

/*
 * The application's own few rules on top of GOV.UK Frontend's: served from here, not inline,
 * so the Content-Security-Policy need allow no inline style.  The GDS Transport typeface is
 * licensed for GOV.UK's own services only: every element gets the system's Arial-like fonts
 * instead (a face no element uses is never downloaded), and the build does not copy it.
 */
static const char asb_css[] =
    "*,*::before,*::after{font-family:arial,\"Liberation Sans\",\"DejaVu Sans\","
    "sans-serif!important}\n"
    ".asb-scroll{overflow-x:auto;max-width:100%}\n"
    ".asb-scroll:focus{outline:3px solid #ffdd00;outline-offset:0}\n";

int
page_asset(struct web_req *q)
{
	if (strcmp(q->path, "/asb.css") == 0) {
		evbuffer_add(q->out, asb_css, sizeof(asb_css) - 1);
		web_header(q, "Content-Type", "text/css; charset=utf-8");
		web_header(q, "Cache-Control", "public, max-age=86400");
		return ASB_OK;
	}
	return web_asset(q, q->path);
}
