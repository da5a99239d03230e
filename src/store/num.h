/* num.h - the store's checked number fields (private to src/store). */
#ifndef CALFTRACK_STORE_NUM_H
#define CALFTRACK_STORE_NUM_H

#include <stdint.h>

/* A whole decimal number in [lo, hi], nothing else in the field: 0, else -1. */
int store_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *v);

/* A finite decimal number in [lo, hi], nothing else in the field: 0, else -1. */
int store_parse_f(const char *s, double lo, double hi, float *v);

#endif
