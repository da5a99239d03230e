/*
 * rng.h - the simulator's own pseudo-random numbers (xoshiro256** seeded through
 * splitmix64): identical streams on every platform, independent of libc's rand().
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

#include "calftrack/sim.h"

/* Seeds r from seed and a stream number (different streams are independent). */
void rng_seed(sim_rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_u64(sim_rng *r);
/* Uniform in [0, 1). */
double rng_unit(sim_rng *r);
/* Uniform in [lo, hi). */
double rng_range(sim_rng *r, double lo, double hi);
/* True with probability p. */
int rng_chance(sim_rng *r, double p);
/* Standard normal (exact, Box-Muller). */
double rng_gauss(sim_rng *r);
/* Approximately standard normal from one draw (sum of four uniforms; tails end at
 * +-3.46): cheap enough for per-sample sensor noise. */
double rng_gauss_fast(sim_rng *r);

#endif
