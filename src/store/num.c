/* num.c - the store's checked number fields. */
#include "num.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

int store_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *v)
{
    char *end;
    if (!*s)
        return -1;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || *end || x < lo || x > hi)
        return -1;
    *v = x;
    return 0;
}

int store_parse_f(const char *s, double lo, double hi, float *v)
{
    char *end;
    if (!*s)
        return -1;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || *end || !isfinite(x) || x < lo || x > hi)
        return -1;
    *v = (float)x;
    return 0;
}
