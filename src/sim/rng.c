/*
 * rng.c - xoshiro256** (Blackman and Vigna), state filled by splitmix64.
 */
#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void rng_seed(sim_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = 1;
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_u64(sim_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double rng_unit(sim_rng *r)
{
    return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

double rng_range(sim_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(r);
}

int rng_chance(sim_rng *r, double p)
{
    return rng_unit(r) < p;
}

double rng_gauss(sim_rng *r)
{
    double u = 1.0 - rng_unit(r); /* (0, 1] */
    double v = rng_unit(r);
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

double rng_gauss_fast(sim_rng *r)
{
    uint64_t x = rng_u64(r);
    /* four 16-bit uniforms: mean 2 * 65535, variance 4 * (65536^2 - 1) / 12 */
    double sum = (double)(x & 0xFFFFu) + (double)((x >> 16) & 0xFFFFu) +
                 (double)((x >> 32) & 0xFFFFu) + (double)(x >> 48);
    return (sum - 131070.0) * (1.0 / 37837.2);
}
