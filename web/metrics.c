/*
 * metrics.c - asbreg serve's counters, the bearer token that opens them, their exposition
 * and the log's escaping (metrics.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "metrics.h"

/* seconds; +Inf last */
static const double bounds[WEB_M_BUCKETS - 1] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5
};

int
web_metrics_init(struct web_metrics *m, const char *dir, struct asb_errbuf *eb)
{
	char path[4200];
	struct stat st;
	ssize_t n;
	int fd;

	memset(m, 0, sizeof(*m));
	m->boot = (unsigned)time(NULL);
	snprintf(path, sizeof(path), "%s/metrics.token", dir);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return ASB_OK;
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
		close(fd);
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a plain file that only its "
		    "owner can read (chmod 600 %s)", path, path);
	}
	n = read(fd, m->token, sizeof(m->token) - 1);
	close(fd);
	if (n < 0)
		n = 0;
	m->token[n] = '\0';
	m->token[strcspn(m->token, "\r\n")] = '\0';
	if (strlen(m->token) < WEB_M_TOKEN_MIN || (size_t)n >= sizeof(m->token) - 1 ||
	    strspn(m->token, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "-._~+/=") != strlen(m->token)) {
		memset(m->token, 0, sizeof(m->token));
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: the token must be one line of %d "
		    "to 126 characters (openssl rand -hex 32 > %s)", path, WEB_M_TOKEN_MIN,
		    path);
	}
	return ASB_OK;
}

void
web_metrics_id(struct web_metrics *m, char *id, size_t cap)
{
	snprintf(id, cap, "%08x-%06lx", m->boot, ++m->next_id);
}

void
web_metrics_count(struct web_metrics *m, const char *route, int status, double ms)
{
	size_t i;
	int b;

	if (route == NULL)
		route = "other";
	for (i = 0; i < sizeof(m->pages) / sizeof(m->pages[0]) && m->pages[i].route != NULL;
	    i++)
		if (m->pages[i].status == status && strcmp(m->pages[i].route, route) == 0)
			break;
	if (i == sizeof(m->pages) / sizeof(m->pages[0]))
		m->pages_other++;
	else {
		m->pages[i].route = route;
		m->pages[i].status = status;
		m->pages[i].n++;
	}
	if (ms < 0)
		ms = 0;
	for (b = 0; b < WEB_M_BUCKETS - 1 && ms / 1e3 > bounds[b]; b++)
		;
	m->hist[b]++;
	m->hist_count++;
	m->hist_sum_us += (unsigned long)(ms * 1e3);
}

int
web_metrics_authorised(const struct web_metrics *m, const char *authorization)
{
	size_t n = strlen(m->token);

	if (n == 0 || authorization == NULL || strncmp(authorization, "Bearer ", 7) != 0 ||
	    strlen(authorization + 7) != n)
		return 0;
	return CRYPTO_memcmp(authorization + 7, m->token, n) == 0;
}

int
web_metrics_render(const struct web_metrics *m, char **ret, size_t *ret_len)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, i;
	unsigned long cum = 0;
	int b;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return -1;
	fputs("# HELP asbreg_pages_total Answers, by route pattern and status.\n"
	    "# TYPE asbreg_pages_total counter\n", f);
	for (i = 0; i < sizeof(m->pages) / sizeof(m->pages[0]) && m->pages[i].route != NULL;
	    i++)
		fprintf(f, "asbreg_pages_total{route=\"%s\",status=\"%d\"} %lu\n",
		    m->pages[i].route, m->pages[i].status, m->pages[i].n);
	if (m->pages_other != 0)
		fprintf(f, "asbreg_pages_total{route=\"more\",status=\"0\"} %lu\n",
		    m->pages_other);
	fprintf(f, "# HELP asbreg_signins_total Sign-in attempts, by result (locked: refused "
	    "while the account is locked).\n# TYPE asbreg_signins_total counter\n"
	    "asbreg_signins_total{result=\"ok\"} %lu\n"
	    "asbreg_signins_total{result=\"failed\"} %lu\n"
	    "asbreg_signins_total{result=\"locked\"} %lu\n"
	    "# HELP asbreg_signouts_total Sign-outs.\n# TYPE asbreg_signouts_total counter\n"
	    "asbreg_signouts_total %lu\n"
	    "# HELP asbreg_request_seconds Time to answer a request (a refused sign-in's "
	    "deliberate delay not included).\n# TYPE asbreg_request_seconds histogram\n",
	    m->signin_ok, m->signin_failed, m->signin_locked, m->signout);
	for (b = 0; b < WEB_M_BUCKETS; b++) {
		cum += m->hist[b];
		if (b < WEB_M_BUCKETS - 1)
			fprintf(f, "asbreg_request_seconds_bucket{le=\"%g\"} %lu\n", bounds[b],
			    cum);
		else
			fprintf(f, "asbreg_request_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
	}
	fprintf(f, "asbreg_request_seconds_sum %.6f\nasbreg_request_seconds_count %lu\n",
	    (double)m->hist_sum_us / 1e6, m->hist_count);
	if (fclose(f) != 0) {
		free(buf);
		return -1;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

const char *
web_log_escape(const char *in, size_t max, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;
	unsigned char ch;

	for (i = 0; in[i] != '\0' && i < max && o + 5 < cap; i++) {
		ch = (unsigned char)in[i];
		if (ch <= 0x20 || ch >= 0x7f || ch == '\\' || ch == '"' || ch == '=') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		} else
			out[o++] = (char)ch;
	}
	out[o] = '\0';
	return o == 0 ? "-" : out;
}
