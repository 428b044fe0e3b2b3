/* Randomized quasi-Monte Carlo for the first draws of every path (--quasi-random).
 *
 * Most of the Monte Carlo error of M, Q and the losses comes from a path's first few random
 * numbers: w*, the label noise and the field innovations of the first steps (or jumps). Later
 * innovations only add the small conditional variance of a smooth field, and measured, fixing
 * everything a path draws before t = 2 removes 99% of the spread of M(6) between groups
 * (docs/standard-errors.md). So path p of a group takes its first DMFT_QUASI_RANDOM_DIMS
 * draws from point p of a Sobol sequence instead of the generator; normals by inversion.
 *
 * Each replica group applies its own random digital shift (an XOR of every coordinate's bits
 * with a random word per dimension, plus a uniform jitter below the sequence's last bit): every
 * point is then uniform on the cube, the estimate of a group stays unbiased, and the groups are
 * independent, so their spread is still an honest standard error. */
#ifndef DMFT_QUASI_RANDOM_H
#define DMFT_QUASI_RANDOM_H

#include <stdint.h>

/* The dimensions of GSL's Sobol generator. Under a point process the last
 * DMFT_QUASI_RANDOM_ARRIVAL_DIMS coordinates drive the first arrival times of the path and the
 * others its field stream: measured on Huber/tanh SGD, this split (28 + 12) gave a standard error
 * of M 3.3 times smaller than plain sampling, all 40 on the fields 1.8 times, 20 + 20 2.3 times. */
#define DMFT_QUASI_RANDOM_DIMS 40
#define DMFT_QUASI_RANDOM_ARRIVAL_DIMS 12

/* points[p * DMFT_QUASI_RANDOM_DIMS + j], p < paths: the shifted Sobol points of paths
 * first_path .. first_path + paths - 1 of a group (the points of the group's sequence with those
 * indices), in (0, 1). NULL if out of memory. */
double *dmft__quasi_random_points(uint64_t seed, int group, long first_path, long paths);

/* The first `count` points of the `dims`-dimensional Sobol sequence (dims <= 40), digitally
 * shifted by a random word per dimension keyed by (seed, key, purpose), in (0, 1). NULL if out
 * of memory. */
double *dmft__sobol_points(uint64_t seed, uint64_t key, uint64_t purpose, int dims, long count);

#endif
