/*
 * progress.h - a progress bar on stderr for long work, shown only when
 * stderr is a terminal and redrawn at most ten times a second, so scripts
 * and logs see nothing extra.
 */
#ifndef ASB_PROGRESS_H
#define ASB_PROGRESS_H

#include <stdint.h>

struct progress;

/* total may be 0 when unknown (then a count is shown).  Returns NULL when
 * stderr is not a terminal or memory is short: every other call takes NULL. */
struct progress	*progress_new(const char *label, uint64_t total);
void		 progress_update(struct progress *p, uint64_t done);
/* Clear the bar and free it. */
void		 progress_free(struct progress *p);

#endif
