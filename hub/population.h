/*
 * population.h - the resident population of each police force area, compiled in from
 * schema/population.tsv (its source and year are in that file).
 */
#ifndef HUB_POPULATION_H
#define HUB_POPULATION_H

#include <stddef.h>

#include "report.h"

extern const struct rpt_pop rpt_population[];
extern const size_t rpt_population_n;
/* Where the figures come from and their year (the file's "# source:" line), for the notes of
 * every publication. */
extern const char rpt_population_source[];

#endif
