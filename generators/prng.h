/* prng.h: the generator's only source of randomness.
 *
 * splitmix64 (Steele, Lea and Flood's mixing function, written here from its
 * published constants). Every decision about a key is drawn from a stream
 * seeded by (seed, key, stream number) alone, so any key's fate can be
 * recomputed anywhere, in any order, with no state kept between keys. Chances
 * are compared as 53-bit integers: a rate p becomes the threshold p * 2^53,
 * an exact operation in IEEE double, so no machine rounds differently. */
#ifndef JUNITGEN_PRNG_H
#define JUNITGEN_PRNG_H

#include <stdint.h>

#define PRNG_ONE (UINT64_C(1) << 53)

struct prng {
    uint64_t state;
};

static inline uint64_t prng_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* A stream for one (key, purpose) pair under a seed. */
static inline void prng_seed(struct prng *r, uint64_t seed, uint64_t key, uint64_t stream)
{
    r->state = prng_mix(seed ^ prng_mix(key * UINT64_C(0x9e3779b97f4a7c15) + stream));
}

static inline uint64_t prng_next(struct prng *r)
{
    r->state += UINT64_C(0x9e3779b97f4a7c15);
    return prng_mix(r->state);
}

/* Uniform in [0, n) for n < 2^32; the bias (below 2^-32) does not matter here,
 * only that every machine computes the same value. */
static inline uint32_t prng_below(struct prng *r, uint32_t n)
{
    return (uint32_t)(((prng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A probability in [0, 1] as a threshold for prng_chance. */
static inline uint64_t prng_threshold(double p)
{
    if (!(p > 0.0))
        return 0;
    if (p >= 1.0)
        return PRNG_ONE;
    return (uint64_t)(p * (double)PRNG_ONE);
}

/* A 53-bit uniform draw, to compare against thresholds. */
static inline uint64_t prng_unit(struct prng *r)
{
    return prng_next(r) >> 11;
}

static inline int prng_chance(struct prng *r, uint64_t threshold)
{
    return prng_unit(r) < threshold;
}

#endif
