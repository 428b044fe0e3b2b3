/* The public face of libdmft: include this one header. */
#ifndef DMFT_DMFT_H
#define DMFT_DMFT_H

#include "dmft/command.h"
#include "dmft/model.h"
#include "dmft/noise.h"
#include "dmft/problem.h"
#include "dmft/ranks.h"
#include "dmft/rng.h"
#include "dmft/solver.h"
#include "dmft/status.h"
#include "dmft/test_loss.h"
#include "dmft/volterra.h"

const char *dmft_version(void);

#endif
