/* progress.c - terminal progress bar (see progress.h). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

struct progress {
	const char	*label;
	uint64_t	 total;
	struct timespec	 last;
};

struct progress *
progress_new(const char *label, uint64_t total)
{
	struct progress *p;

	if (!isatty(STDERR_FILENO))
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->label = label;
	p->total = total;
	return p;
}

void
progress_update(struct progress *p, uint64_t done)
{
	struct timespec now;
	int i, fill;

	if (p == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - p->last.tv_sec) * 1000 +
	    (now.tv_nsec - p->last.tv_nsec) / 1000000 < 100)
		return;
	p->last = now;
	if (p->total == 0) {
		fprintf(stderr, "\r%s %llu", p->label, (unsigned long long)done);
		return;
	}
	fill = (int)(done * 40 / p->total);
	if (fill > 40)
		fill = 40;
	fprintf(stderr, "\r%s [", p->label);
	for (i = 0; i < 40; i++)
		fputc(i < fill ? '#' : '.', stderr);
	fprintf(stderr, "] %3d%% %llu/%llu", (int)(done * 100 / p->total),
	    (unsigned long long)done, (unsigned long long)p->total);
}

void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	fprintf(stderr, "\r\033[K");
	free(p);
}
