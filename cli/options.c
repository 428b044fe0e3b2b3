#define _POSIX_C_SOURCE 200809L
#include "options.h"

#include "dmft/plugin.h"
#include "dmft/status.h"
#include "dmft/volterra.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

typedef enum { KIND_NUMBER, KIND_INTEGER, KIND_NAME, KIND_TEXT, KIND_FLAG, KIND_SIZES } option_kind_t;

typedef struct {
  const char *name;
  option_kind_t kind;
  const char *metavar;
  const char *help;
  unsigned commands; /* CLI_SOLVE | CLI_SIMULATE | CLI_VALIDATE */
} option_spec_t;

#define ALL (CLI_SOLVE | CLI_SIMULATE | CLI_VALIDATE | CLI_CONVERGE | CLI_ONLINE)
#define SIMULATING (CLI_SIMULATE | CLI_VALIDATE)
/* Not passed on to a sweep's configurations. */
#define SOLVE_ALONE 0x10000u
/* Schedules: every command but online, whose equations have constant coefficients. */
#define SCHEDULED (CLI_SOLVE | CLI_SIMULATE | CLI_VALIDATE | CLI_CONVERGE)
/* Options of the DMFT solver alone: simulate and online take none of them. */
#define SOLVING (CLI_SOLVE | CLI_VALIDATE | CLI_CONVERGE)

static const option_spec_t specs[] = {
    {"plugin", KIND_TEXT, "FILE.so", "load model components from a plugin (repeatable; see docs/plugins.md)", ALL},
    {"loss", KIND_NAME, "NAME", "loss on the prediction: squared | huber | logistic | a plugin's (dmft list)", ALL},
    {"huber-delta", KIND_NUMBER, "C", "Huber threshold c > 0", ALL},
    {"activation", KIND_NAME, "NAME", "student activation: linear | tanh | erf | relu | a plugin's", ALL},
    {"teacher", KIND_NAME, "NAME", "teacher: linear | tanh | relu | sign | a plugin's", ALL},
    {"regularizer", KIND_NAME, "NAME", "separable regularizer added to --ridge: none | l1 | a plugin's", ALL},
    {"teacher-prior", KIND_NAME, "NAME", "prior of theta*, scaled to --teacher-var: gauss | rademacher | bernoulli-gauss", ALL},
    {"init-prior", KIND_NAME, "NAME", "prior of the random part of theta_0, scaled to --theta0-var: gauss | rademacher | bernoulli-gauss", ALL},
    {"sparsity", KIND_NUMBER, "RHO", "bernoulli-gauss priors: probability in (0, 1] of a non-zero coordinate", ALL},
    {"parameter-paths", KIND_INTEGER, "N", "paths of a sampled parameter side (0: as many as --paths); fewer are cheaper, noisier", SOLVING},
    {"train-loss-paths", KIND_INTEGER, "N", "poisson/bernoulli: the train loss of a reported step averages the paths that jump there and about N others (0: every path)", SOLVING},
    {"response-paths", KIND_INTEGER, "N", "gauss/flow: the responses average the pathwise tangents of about N paths (0: every path)", SOLVING},
    {"parameter-side", KIND_NAME, "NAME", "how the parameter side is solved: auto (exact when linear) | sampled", SOLVING},
    {"engine", KIND_NAME, "NAME", "how the equations are solved: auto | volterra (the linear model without paths, docs/volterra.md)", CLI_SOLVE | CLI_VALIDATE},
    {"volterra-direct", KIND_FLAG, "", "--engine volterra: solve the O(K^2) convolution form, a check of the O(K N) recursion", CLI_SOLVE},
    {"no-kernels", KIND_FLAG, "", "write the one-time observables only, no two-time kernels (for the linear model: --engine volterra)", CLI_SOLVE},
    {"model-param", KIND_TEXT, "NAME=VALUE", "a parameter of the chosen components (repeatable; dmft list shows them)", ALL},
    {"label-noise", KIND_NUMBER, "S", "Gaussian label noise, y += S eps (S >= 0)", ALL},
    {"flip-prob", KIND_NUMBER, "P", "sign teacher: probability in [0, 0.5] of flipping a label", ALL},
    {"k", KIND_INTEGER, "K", "student width (committee of K units), 1..16", ALL},
    {"kstar", KIND_INTEGER, "K", "teacher width, 1..16", ALL},
    {"gamma", KIND_NUMBER, "G", "sample ratio n/d > 0", ALL},
    {"eta", KIND_NUMBER, "E", "limiting learning rate etabar > 0", ALL},
    {"kappa", KIND_NUMBER, "K", "limiting batch rate kappabar > 0 (epochs = kappa t)", ALL},
    {"ridge", KIND_NUMBER, "L", "ridge regularization >= 0, r(theta) = L theta^2 / 2", ALL},
    {"theta0-var", KIND_NUMBER, "V", "variance of the random part of theta_0 (>= 0)", ALL},
    {"init-overlap", KIND_NUMBER, "M0", "theta_0 = M0 theta* + sqrt(V) g (needs k = kstar)", ALL},
    {"teacher-var", KIND_NUMBER, "V", "variance of the teacher's prior N(0, V I), > 0", ALL},
    {"eta-schedule", KIND_NAME, "NAME", "learning-rate schedule: constant | cosine | linear | file (from --eta at the end of the warmup to --eta-final at tmax)", SCHEDULED},
    {"eta-final", KIND_NUMBER, "E", "the learning rate at tmax, >= 0 (cosine, linear)", SCHEDULED},
    {"warmup", KIND_NUMBER, "W", "the learning rate rises linearly from 0 to --eta over [0, W], W in [0, tmax)", SCHEDULED},
    {"eta-file", KIND_TEXT, "FILE", "--eta-schedule file: 'time value' lines, piecewise linear, covering [0, tmax]", SCHEDULED},
    {"kappa-schedule", KIND_NAME, "NAME", "batch-rate schedule: constant | linear | file (from --kappa at 0 to --kappa-final at tmax)", SCHEDULED},
    {"kappa-final", KIND_NUMBER, "K", "the batch rate at tmax, > 0 (linear)", SCHEDULED},
    {"kappa-file", KIND_TEXT, "FILE", "--kappa-schedule file: 'time value' lines, piecewise linear, covering [0, tmax]", SCHEDULED},
    {"momentum-time", KIND_NUMBER, "TAU", "heavy-ball momentum, moving-average form, beta = exp(-(step time)/TAU); 0: none", SCHEDULED},
    {"spectrum", KIND_TEXT, "FILE|NAME", "input covariance spectrum: isotropic | power-law | two-level | a file of 'eigenvalue weight' lines (docs/spectra.md)", ALL},
    {"spectrum-exponent", KIND_NUMBER, "A", "--spectrum power-law: eigenvalues proportional to j^-A, j = 1..L, mean 1 (A >= 0)", ALL},
    {"spectrum-classes", KIND_INTEGER, "L", "--spectrum power-law: number of eigenvalue classes L, 1..1024", ALL},
    {"spectrum-values", KIND_TEXT, "LOW,HIGH", "--spectrum two-level: its two eigenvalues, > 0", ALL},
    {"spectrum-fraction", KIND_NUMBER, "F", "--spectrum two-level: the fraction of coordinates at LOW, in (0, 1)", ALL},
    {"tmax", KIND_NUMBER, "T", "final time > 0", ALL},
    {"dt", KIND_NUMBER, "DT", "time step, 0 < DT < tmax (converge: a ladder DT,DT/r,... with an integer ratio r)", ALL},
    {"noise", KIND_NAME, "NAME", "driving noise: poisson (SGD) | bernoulli | gauss (SME) | flow (GD) | reshuffle | shuffle-once", ALL & ~CLI_ONLINE},
    {"paths", KIND_INTEGER, "N", "number of sample paths (>= 1), split into up to 16 replica groups", SOLVING},
    {"seed", KIND_INTEGER, "S", "random seed, an integer from 0 to 2^63 - 1", ALL},
    {"threads", KIND_INTEGER, "N", "threads (0 = all cores); the output does not depend on it", SOLVING},
    {"output-every", KIND_INTEGER, "N", "write every N-th step", ALL},
    {"out", KIND_TEXT, "PREFIX", "write PREFIX.h5 and PREFIX.csv", CLI_SOLVE | CLI_SIMULATE | CLI_CONVERGE | CLI_ONLINE},
    {"config", KIND_TEXT, "FILE", "read options from an INI file; the command line overrides it", ALL},
    {"quiet", KIND_FLAG, "", "no progress bar, no summary", ALL},
    {"n", KIND_SIZES, "N[,N...]", "samples of the simulation (validate: a list of sizes; d = n / gamma)", SIMULATING},
    {"seeds", KIND_INTEGER, "S", "independent simulated data sets and runs per size, >= 1", SIMULATING},
    {"alpha", KIND_NUMBER, "A", "mini-batch SGD: batches of round(kappa n^A), A in [0, 1)", SIMULATING},
    {"simulate", KIND_NAME, "NAME", "simulated algorithm: sgd | extensive | sme | gd", SIMULATING},
    {"max-mem", KIND_NUMBER, "GIB", "memory the simulation may hold, in GiB", SIMULATING},
    {"report", KIND_TEXT, "DIR", "write DIR/index.html (plots) and DIR/report.md", CLI_SOLVE | CLI_VALIDATE | CLI_CONVERGE | SOLVE_ALONE},
    {"dt0", KIND_NUMBER, "DT", "coarsest step of the ladder DT, DT/2, ..., with --levels", CLI_CONVERGE},
    {"levels", KIND_INTEGER, "L", "levels of the dt ladder, 2..8", CLI_CONVERGE},
    {"path-levels", KIND_INTEGER, "L", "path study: --paths, /4, /16, ... at the coarsest step, 0..5", CLI_CONVERGE},
    {"quasi-random", KIND_FLAG, "", "draw each path's first 40 random numbers from a randomized Sobol sequence (less Monte Carlo error)", CLI_SOLVE | CLI_VALIDATE | CLI_CONVERGE},
    {"independent-levels", KIND_FLAG, "", "give every level its own seed (no common random numbers, for comparison)", CLI_CONVERGE},
    {"tolerance", KIND_NUMBER, "Z", "largest |deviation| allowed, in combined standard errors", CLI_VALIDATE},
    {"suite", KIND_NAME, "NAME", "run a ready study instead of one configuration: paper | paper-quick", CLI_VALIDATE},
    {"checkpoint", KIND_TEXT, "FILE", "save the solve's state to FILE every --checkpoint-every seconds and on SIGINT/SIGTERM", CLI_SOLVE | SOLVE_ALONE},
    {"checkpoint-every", KIND_NUMBER, "SECONDS", "seconds between checkpoints, > 0", CLI_SOLVE | SOLVE_ALONE},
    {"resume", KIND_TEXT, "FILE", "continue the solve saved in FILE (same options); the output is that of an uninterrupted run", CLI_SOLVE | SOLVE_ALONE},
    {"sweep", KIND_TEXT, "NAME=VALUES", "a swept option: NAME=A:B:STEP (A to B inclusive) or NAME=V1,V2,...; repeat for a grid", CLI_SWEEP},
};

/* A sweep takes every option of solve, and its own, but those marked SOLVE_ALONE (a
 * checkpoint belongs to one solve; a sweep resumes by its index). */
static int takes(const option_spec_t *spec, cli_command_t command) {
  const unsigned commands =
      spec->commands & CLI_SOLVE && !(spec->commands & SOLVE_ALONE) ? spec->commands | CLI_SWEEP : spec->commands;
  return (commands & command) != 0;
}

static const option_spec_t *find_spec(const char *name) {
  for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
    if (strcmp(specs[i].name, name) == 0) return &specs[i];
  return NULL;
}

static const char *command_name(cli_command_t command) {
  return command == CLI_SOLVE      ? "solve"
         : command == CLI_SIMULATE ? "simulate"
         : command == CLI_VALIDATE ? "validate"
         : command == CLI_CONVERGE ? "converge"
         : command == CLI_SWEEP    ? "sweep"
                                   : "online";
}

void cli_options_defaults(cli_options_t *options, cli_command_t command) {
  memset(options, 0, sizeof *options);
  options->command = command;
  dmft_problem_set_defaults(&options->problem);
  options->out_prefix = command == CLI_SOLVE      ? "dmft-run"
                        : command == CLI_CONVERGE ? "dmft-converge"
                        : command == CLI_ONLINE   ? "dmft-online"
                        : command == CLI_SWEEP    ? "dmft-sweep"
                                                  : "dmft-simulation";
  options->seeds = 8;
  options->alpha = 0.5;
  options->checkpoint_every = 600.0;
  options->levels = 4;
  options->spectrum_exponent = 1.5;
  options->spectrum_classes = 16;
  options->spectrum_fraction = 0.5;
  options->path_levels = 3;
  if (command == CLI_VALIDATE) {
    const long sizes[] = {2000, 4000, 8000};
    memcpy(options->sizes, sizes, sizeof sizes);
    options->size_count = 3;
  } else {
    options->sizes[0] = 4000;
    options->size_count = 1;
  }
}

/* An option of another command is named as such: it would do nothing here, so it is refused
 * rather than ignored. */
static void refuse_unknown(cli_command_t command, const char *name, char *message, size_t size) {
  const option_spec_t *spec = find_spec(name);
  if (spec)
    snprintf(message, size, "--%s plays no part in dmft %s, which does not take it (see dmft %s --help)", name,
             command_name(command), command_name(command));
  else
    snprintf(message, size, "unknown option --%s for dmft %s (see dmft %s --help)", name, command_name(command),
             command_name(command));
}

int cli_option_is_flag(cli_command_t command, const char *name) {
  const option_spec_t *spec = find_spec(name);
  return spec && takes(spec, command) ? spec->kind == KIND_FLAG : -1;
}

/* "0.1,0.05,0.025" into the dt ladder; its ratios are checked with the problem. */
static int set_dt_ladder(cli_options_t *options, const char *value, char *message, size_t size) {
  int count = 0;
  const char *cursor = value;
  while (*cursor) {
    char *end = NULL;
    errno = 0;
    const double parsed = strtod(cursor, &end);
    if (end == cursor || errno == ERANGE || !(parsed > 0) || !isfinite(parsed) || (*end != ',' && *end != '\0') ||
        count == CLI_MAX_SIZES) {
      snprintf(message, size, "--dt must be a comma-separated list of at most 12 steps > 0 (got '%s')", value);
      return 2;
    }
    options->dt_ladder[count++] = parsed;
    cursor = *end == ',' ? end + 1 : end;
  }
  if (count == 0) {
    snprintf(message, size, "--dt needs at least one step (got an empty list)");
    return 2;
  }
  options->dt_count = count;
  options->problem.dt = count > 0 ? options->dt_ladder[0] : options->problem.dt;
  return 0;
}

/* "2000,4000,8000" into sizes; 0 or 2 with a message. */
static int set_sizes(cli_options_t *options, const char *value, char *message, size_t size) {
  const int single = options->command == CLI_SIMULATE;
  int count = 0;
  const char *cursor = value;
  while (*cursor) {
    char *end = NULL;
    errno = 0;
    const long long parsed = strtoll(cursor, &end, 10);
    if (end == cursor || errno == ERANGE || parsed < 10 || parsed > 100000000 || (*end != ',' && *end != '\0') ||
        count == CLI_MAX_SIZES || (single && count == 1)) {
      snprintf(message, size, "--n must be %s from 10 to 1e8 (got '%s')",
               single ? "one integer" : "a comma-separated list of at most 12 integers", value);
      return 2;
    }
    options->sizes[count++] = (long)parsed;
    cursor = *end == ',' ? end + 1 : end;
  }
  if (count == 0) {
    snprintf(message, size, "--n needs at least one size (got '%s')", value);
    return 2;
  }
  options->size_count = count;
  options->sizes_given = 1;
  return 0;
}

static int parse_number(const char *text, double *value) {
  char *end = NULL;
  errno = 0;
  const double parsed = strtod(text, &end);
  if (end == text || errno == ERANGE || !isfinite(parsed)) return 0;
  while (isspace((unsigned char)*end)) end++;
  if (*end != '\0') return 0;
  *value = parsed;
  return 1;
}

static int parse_integer(const char *text, long long *value) {
  char *end = NULL;
  errno = 0;
  const long long parsed = strtoll(text, &end, 10);
  if (end == text || errno == ERANGE) return 0;
  while (isspace((unsigned char)*end)) end++;
  if (*end != '\0') return 0;
  *value = parsed;
  return 1;
}

static int set_name(cli_options_t *options, const char *name, const char *value, char *message, size_t size) {
  dmft_model_t *model = &options->problem.model;
  if (strcmp(name, "loss") == 0 && dmft_loss_find(value)) {
    model->loss = dmft_loss_find(value);
    dmft_model_reset_params(model); /* --model-param values are applied after all options */
    return 0;
  }
  if (strcmp(name, "activation") == 0 && dmft_activation_find(value)) {
    model->activation = dmft_activation_find(value);
    dmft_model_reset_params(model);
    return 0;
  }
  if (strcmp(name, "teacher") == 0 && dmft_teacher_find(value)) {
    model->teacher = dmft_teacher_find(value);
    dmft_model_reset_params(model);
    return 0;
  }
  if (strcmp(name, "regularizer") == 0 && dmft_regularizer_find(value)) {
    model->regularizer = dmft_regularizer_find(value);
    dmft_model_reset_params(model);
    return 0;
  }
  dmft_prior_t prior;
  if ((strcmp(name, "teacher-prior") == 0 || strcmp(name, "init-prior") == 0) && dmft_prior_find(value, &prior) == 0) {
    *(strcmp(name, "teacher-prior") == 0 ? &options->problem.teacher_prior : &options->problem.init_prior) = prior;
    return 0;
  }
  if (strcmp(name, "parameter-side") == 0 && (strcmp(value, "auto") == 0 || strcmp(value, "sampled") == 0)) {
    options->problem.sampled_parameter_side = strcmp(value, "sampled") == 0;
    return 0;
  }
  dmft_schedule_kind_t kind;
  if ((strcmp(name, "eta-schedule") == 0 || strcmp(name, "kappa-schedule") == 0) && dmft_schedule_find(value, &kind) == 0 &&
      !(kind == DMFT_SCHEDULE_COSINE && strcmp(name, "kappa-schedule") == 0)) {
    (strcmp(name, "eta-schedule") == 0 ? &options->problem.eta_schedule : &options->problem.kappa_schedule)->kind = kind;
    return 0;
  }
  if (strcmp(name, "noise") == 0 && dmft_noise_find(value)) {
    options->problem.noise = dmft_noise_find(value);
    return 0;
  }
  if (strcmp(name, "simulate") == 0 && dmft_algorithm_find(value, &options->algorithm) == 0) {
    options->algorithm_given = 1;
    return 0;
  }
  if (strcmp(name, "engine") == 0 && (strcmp(value, "auto") == 0 || strcmp(value, "volterra") == 0)) {
    options->problem.engine_volterra = strcmp(value, "volterra") == 0;
    return 0;
  }
  if (strcmp(name, "suite") == 0 && (strcmp(value, "paper") == 0 || strcmp(value, "paper-quick") == 0)) {
    options->suite = strcmp(value, "paper") == 0 ? "paper" : "paper-quick";
    return 0;
  }
  snprintf(message, size, "--%s must be one of %s (got '%s')", name, find_spec(name)->help + strcspn(find_spec(name)->help, ":") + 2,
           value);
  return 2;
}

/* Where a number option lives (NULL for a name that is not one): the setter and --help's
 * defaults read the same table. */
static double *number_target(cli_options_t *options, const char *name) {
  dmft_problem_t *p = &options->problem;
  struct {
    const char *name;
    double *target;
  } targets[] = {
      {"huber-delta", &options->huber_delta}, {"label-noise", &p->model.label_noise},
      {"flip-prob", &p->model.flip_prob},     {"gamma", &p->gamma},
      {"eta", &p->eta},                       {"kappa", &p->kappa},
      {"ridge", &p->ridge},                   {"theta0-var", &p->theta0_var},
      {"init-overlap", &p->init_overlap},     {"teacher-var", &p->teacher_var},
      {"tmax", &p->tmax},                     {"dt", &p->dt},
      {"sparsity", &p->sparsity},             {"alpha", &options->alpha},
      {"max-mem", &options->max_mem_gib},     {"tolerance", &options->tolerance},
      {"dt0", &options->dt0},                 {"checkpoint-every", &options->checkpoint_every},
      {"eta-final", &p->eta_schedule.final},  {"warmup", &p->eta_schedule.warmup},
      {"kappa-final", &p->kappa_schedule.final}, {"momentum-time", &p->momentum_time},
      {"spectrum-exponent", &options->spectrum_exponent}, {"spectrum-fraction", &options->spectrum_fraction},
  };
  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
    if (strcmp(targets[i].name, name) == 0) return targets[i].target;
  return NULL;
}

static int set_number(cli_options_t *options, const char *name, double value) {
  if (strcmp(name, "huber-delta") == 0) options->huber_delta_given = 1;
  if (strcmp(name, "eta-final") == 0) options->eta_final_given = 1;
  if (strcmp(name, "kappa-final") == 0) options->kappa_final_given = 1;
  if (strcmp(name, "spectrum-exponent") == 0) options->spectrum_exponent_given = 1;
  if (strcmp(name, "spectrum-fraction") == 0) options->spectrum_fraction_given = 1;
  double *target = number_target(options, name);
  if (target) *target = value;
  return target != NULL;
}

static int set_integer(cli_options_t *options, const char *name, long long value, char *message, size_t size) {
  dmft_problem_t *p = &options->problem;
  const long long limit = 1000000000000LL;
  if (strcmp(name, "seed") == 0) {
    if (value < 0) {
      snprintf(message, size, "--seed must be an integer from 0 to 2^63 - 1 (got %lld)", value);
      return 2;
    }
    p->seed = (uint64_t)value;
    return 0;
  }
  if (value < -limit || value > limit) {
    snprintf(message, size, "--%s is out of range (got %lld)", name, value);
    return 2;
  }
  const int fits_int = value >= INT_MIN && value <= INT_MAX;
  if (!fits_int && (strcmp(name, "k") == 0 || strcmp(name, "kstar") == 0 || strcmp(name, "threads") == 0)) {
    snprintf(message, size, "--%s is out of range: %s (got %lld)", name, find_spec(name)->help, value);
    return 2;
  }
  if (strcmp(name, "levels") == 0 || strcmp(name, "path-levels") == 0) {
    const int is_levels = strcmp(name, "levels") == 0, low = is_levels ? 2 : 0, high = is_levels ? 8 : 5;
    if (value < low || value > high) {
      snprintf(message, size, "--%s must be an integer from %d to %d (got %lld)", name, low, high, value);
      return 2;
    }
    *(is_levels ? &options->levels : &options->path_levels) = (int)value;
    options->levels_given |= is_levels;
    return 0;
  }
  if (strcmp(name, "spectrum-classes") == 0) {
    if (value < 1 || value > DMFT_SPECTRUM_MAX_CLASSES) {
      snprintf(message, size, "--spectrum-classes must be an integer from 1 to %d (got %lld)", DMFT_SPECTRUM_MAX_CLASSES, value);
      return 2;
    }
    options->spectrum_classes = (int)value;
    options->spectrum_classes_given = 1;
    return 0;
  }
  if (strcmp(name, "seeds") == 0) {
    if (value < 1 || value > 100000) {
      snprintf(message, size, "--seeds must be an integer from 1 to 100000 (got %lld)", value);
      return 2;
    }
    options->seeds = (int)value;
    options->seeds_given = 1;
  } else if (strcmp(name, "k") == 0) p->model.k = (int)value;
  else if (strcmp(name, "kstar") == 0) p->model.kstar = (int)value;
  else if (strcmp(name, "paths") == 0) p->paths = (long)value;
  else if (strcmp(name, "parameter-paths") == 0) p->parameter_paths = (long)value;
  else if (strcmp(name, "train-loss-paths") == 0) p->train_loss_paths = (long)value;
  else if (strcmp(name, "response-paths") == 0) p->response_paths = (long)value;
  else if (strcmp(name, "threads") == 0) p->threads = (int)value;
  else if (strcmp(name, "output-every") == 0) {
    if (value < 1) {
      snprintf(message, size, "--output-every must be an integer >= 1 (got %lld)", value);
      return 2;
    }
    p->output_every = (long)value;
  }
  return 0;
}

/* "NAME=VALUE", kept until every option is read (the components they belong to may come later). */
static int add_model_param(cli_options_t *options, const char *text, char *message, size_t size) {
  const char *equals = strchr(text, '=');
  double number;
  if (!equals || equals == text || (size_t)(equals - text) >= sizeof options->model_params[0].name ||
      !parse_number(equals + 1, &number)) {
    snprintf(message, size, "--model-param takes NAME=VALUE with a number VALUE, e.g. huber-delta=0.5 (got '%s')", text);
    return 2;
  }
  if (options->model_param_count == CLI_MAX_MODEL_PARAMS) {
    snprintf(message, size, "--model-param can be given at most %d times", CLI_MAX_MODEL_PARAMS);
    return 2;
  }
  struct cli_model_param *param = &options->model_params[options->model_param_count++];
  memcpy(param->name, text, (size_t)(equals - text));
  param->name[equals - text] = '\0';
  param->value = number;
  return 0;
}

/* "LOW,HIGH": two numbers > 0 (1), else 0. */
static int parse_two_values(const char *text, double *low, double *high) {
  char first[64];
  const char *comma = strchr(text, ',');
  if (!comma || (size_t)(comma - text) >= sizeof first) return 0;
  memcpy(first, text, (size_t)(comma - text));
  first[comma - text] = '\0';
  return parse_number(first, low) && parse_number(comma + 1, high) && *low > 0 && *high > 0 && isfinite(*low) && isfinite(*high);
}

int cli_options_apply_spectrum(cli_options_t *options, char *message, size_t size) {
  dmft_spectrum_t *spectrum = &options->problem.spectrum;
  const char *name = options->spectrum_text[0] ? options->spectrum_text : "isotropic";
  const int power_law = strcmp(name, "power-law") == 0, two_level = strcmp(name, "two-level") == 0;
  const struct {
    const char *option;
    int given, applies;
  } family_options[] = {{"spectrum-exponent", options->spectrum_exponent_given, power_law},
                        {"spectrum-classes", options->spectrum_classes_given, power_law},
                        {"spectrum-values", options->spectrum_values_given, two_level},
                        {"spectrum-fraction", options->spectrum_fraction_given, two_level}};
  for (size_t i = 0; i < sizeof family_options / sizeof family_options[0]; i++)
    if (family_options[i].given && !family_options[i].applies) {
      snprintf(message, size, "--%s needs --spectrum %s (got --spectrum %s)", family_options[i].option,
               i < 2 ? "power-law" : "two-level", name);
      return 2;
    }
  if (strcmp(name, "isotropic") == 0) {
    spectrum->classes = 0;
    return 0;
  }
  if (power_law) {
    if (!(options->spectrum_exponent >= 0) || !isfinite(options->spectrum_exponent)) {
      snprintf(message, size, "--spectrum-exponent must be a number >= 0 (got %g)", options->spectrum_exponent);
      return 2;
    }
    dmft_spectrum_power_law(spectrum, options->spectrum_exponent, options->spectrum_classes);
    return 0;
  }
  if (two_level) {
    double low = 0.5, high = 1.5;
    if (options->spectrum_values_given && !parse_two_values(options->spectrum_values, &low, &high)) {
      snprintf(message, size, "--spectrum-values takes LOW,HIGH, two numbers > 0 (got '%s')", options->spectrum_values);
      return 2;
    }
    if (!(options->spectrum_fraction > 0 && options->spectrum_fraction < 1)) {
      snprintf(message, size, "--spectrum-fraction must be a number in (0, 1) (got %g)", options->spectrum_fraction);
      return 2;
    }
    dmft_spectrum_two_level(spectrum, low, high, options->spectrum_fraction);
    return 0;
  }
  return dmft_spectrum_read_file(spectrum, name, message, size) == DMFT_OK ? 0 : 2;
}

/* After every option: --huber-delta (when the loss takes it) and the --model-param values. */
int cli_options_apply_model_params(cli_options_t *options, char *message, size_t size) {
  dmft_model_t *model = &options->problem.model;
  int found = 0;
  (void)dmft_model_param(model, "huber-delta", &found);
  if (options->huber_delta_given && found &&
      dmft_model_set_param(model, "huber-delta", options->huber_delta, message, size) != DMFT_OK) {
    snprintf(message, size, "--huber-delta must be a number > 0 (got %g)", options->huber_delta);
    return 2;
  }
  for (int i = 0; i < options->model_param_count; i++)
    if (dmft_model_set_param(model, options->model_params[i].name, options->model_params[i].value, message, size) != DMFT_OK)
      return 2;
  return 0;
}

int cli_option_set(cli_options_t *options, const char *name, const char *value, char *message, size_t size) {
  const option_spec_t *spec = find_spec(name);
  if (!spec || !takes(spec, options->command)) {
    refuse_unknown(options->command, name, message, size);
    return 2;
  }
  switch (spec->kind) {
    case KIND_SIZES:
      return set_sizes(options, value, message, size);
    case KIND_NAME:
      return set_name(options, name, value, message, size);
    case KIND_NUMBER: {
      double number;
      if (options->command == CLI_CONVERGE && strcmp(name, "dt") == 0) return set_dt_ladder(options, value, message, size);
      if (!parse_number(value, &number)) {
        snprintf(message, size, "--%s must be a number, %s (got '%s')", name, spec->help, value);
        return 2;
      }
      set_number(options, name, number);
      return 0;
    }
    case KIND_INTEGER: {
      long long number;
      if (!parse_integer(value, &number)) {
        snprintf(message, size, "--%s must be an integer: %s (got '%s')", name, spec->help, value);
        return 2;
      }
      return set_integer(options, name, number, message, size);
    }
    case KIND_TEXT:
      if (value[0] == '\0') {
        snprintf(message, size, "--%s needs a non-empty value", name);
        return 2;
      }
      if (strlen(value) >= sizeof options->out_storage - 64) {
        snprintf(message, size, "--%s is too long (at most %zu characters)", name, sizeof options->out_storage - 64);
        return 2;
      }
      if (strcmp(name, "plugin") == 0) {
        /* Loaded at once, so that the names it brings are known to the options that follow. */
        return dmft_plugin_load(value, message, size) == DMFT_OK ? 0 : 2;
      }
      if (strcmp(name, "model-param") == 0) return add_model_param(options, value, message, size);
      if (strcmp(name, "eta-file") == 0 || strcmp(name, "kappa-file") == 0) {
        const int eta = strcmp(name, "eta-file") == 0;
        *(eta ? &options->eta_file_given : &options->kappa_file_given) = 1;
        return dmft_schedule_read_file(eta ? &options->problem.eta_schedule : &options->problem.kappa_schedule, value,
                                       eta ? "--eta-file" : "--kappa-file", message, size) == DMFT_OK
                   ? 0
                   : 2;
      }
      if (strcmp(name, "spectrum") == 0 || strcmp(name, "spectrum-values") == 0) {
        const int values = strcmp(name, "spectrum-values") == 0;
        char *storage = values ? options->spectrum_values : options->spectrum_text;
        const size_t capacity = values ? sizeof options->spectrum_values : sizeof options->spectrum_text;
        if (strlen(value) >= capacity) {
          snprintf(message, size, "--%s is too long (at most %zu characters)", name, capacity - 1);
          return 2;
        }
        strcpy(storage, value);
        options->spectrum_values_given |= values;
        return 0;
      }
      if (strcmp(name, "sweep") == 0) {
        if (strlen(value) >= sizeof options->sweeps[0]) {
          snprintf(message, size, "--sweep is too long (at most %zu characters)", sizeof options->sweeps[0] - 1);
          return 2;
        }
        if (options->sweep_count == CLI_MAX_SWEEP_AXES) {
          snprintf(message, size, "--sweep can be given at most %d times (one per swept option)", CLI_MAX_SWEEP_AXES);
          return 2;
        }
        snprintf(options->sweeps[options->sweep_count++], sizeof options->sweeps[0], "%s", value);
        return 0;
      }
      if (strcmp(name, "out") == 0) {
        strcpy(options->out_storage, value);
        options->out_prefix = options->out_storage;
      } else if (strcmp(name, "report") == 0) {
        strcpy(options->report_storage, value);
        options->report_dir = options->report_storage;
      } else if (strcmp(name, "checkpoint") == 0 || strcmp(name, "resume") == 0) {
        char *storage = strcmp(name, "checkpoint") == 0 ? options->checkpoint_storage : options->resume_storage;
        strcpy(storage, value);
        *(strcmp(name, "checkpoint") == 0 ? &options->checkpoint_path : &options->resume_path) = storage;
      }
      return 0;
    case KIND_FLAG: {
      int *flag = strcmp(name, "quiet") == 0             ? &options->quiet
                  : strcmp(name, "quasi-random") == 0    ? &options->problem.quasi_random
                  : strcmp(name, "volterra-direct") == 0 ? &options->problem.volterra_direct
                  : strcmp(name, "no-kernels") == 0      ? &options->problem.no_kernels
                                                         : &options->independent_levels;
      if (strcmp(value, "1") == 0 || strcmp(value, "true") == 0 || strcmp(value, "yes") == 0) *flag = 1;
      else if (strcmp(value, "0") == 0 || strcmp(value, "false") == 0 || strcmp(value, "no") == 0) *flag = 0;
      else {
        snprintf(message, size, "--%s takes true or false in a config file (got '%s')", name, value);
        return 2;
      }
      return 0;
    }
  }
  return 0;
}

typedef struct {
  cli_options_t *options;
  const char *path;
  char *message;
  size_t size;
  int status;
  const char *text, *cursor, *end; /* the whole file, read before parsing */
  int line; /* inih, as packaged, does not pass line numbers: count them while reading */
} config_reader_t;

/* Hands inih one line at a time. A line longer than inih's buffer would be split and its tail
 * read as another line: it is refused instead. */
static char *read_config_line(char *buffer, int size, void *user) {
  config_reader_t *reader = user;
  if (reader->status != 0 || reader->cursor >= reader->end) return NULL;
  const char *newline = memchr(reader->cursor, '\n', (size_t)(reader->end - reader->cursor));
  const char *stop = newline ? newline + 1 : reader->end;
  reader->line++;
  if (stop - reader->cursor >= size) {
    snprintf(reader->message, reader->size, "--config %s line %d: longer than %d characters", reader->path, reader->line,
             size - 2);
    reader->status = 2;
    return NULL;
  }
  memcpy(buffer, reader->cursor, (size_t)(stop - reader->cursor));
  buffer[stop - reader->cursor] = '\0';
  reader->cursor = stop;
  return buffer;
}

/* A config file is a regular file of text, at most CONFIG_MAX_BYTES: a directory, a device
 * (/dev/zero would never end), a pipe or a binary file is refused before it is parsed. */
#define CONFIG_MAX_BYTES (1L << 20)
static char *read_config_file(const char *path, long *length, char *message, size_t size) {
  /* Opened without blocking: opening a pipe for reading would otherwise wait for a writer. */
  const int fd = open(path, O_RDONLY | O_NONBLOCK);
  FILE *file = fd >= 0 ? fdopen(fd, "rb") : NULL;
  if (fd >= 0 && !file) close(fd);
  struct stat status;
  if (!file || fstat(fileno(file), &status) != 0) {
    snprintf(message, size, "--config: cannot open '%s' (%s)", path, strerror(errno));
    if (file) fclose(file);
    return NULL;
  }
  if (!S_ISREG(status.st_mode)) {
    snprintf(message, size, "--config: '%s' is not a regular file", path);
    fclose(file);
    return NULL;
  }
  /* Read to the end rather than trusting st_size: files under /proc say 0 and hold more. */
  char *text = malloc(CONFIG_MAX_BYTES + 2);
  const size_t got = text ? fread(text, 1, CONFIG_MAX_BYTES + 1, file) : 0;
  const int failed = !text || ferror(file);
  fclose(file);
  if (failed || got > CONFIG_MAX_BYTES || memchr(text, '\0', got)) {
    snprintf(message, size,
             failed                     ? "--config: cannot read '%s'"
             : got > CONFIG_MAX_BYTES   ? "--config: '%s' is larger than 1 MiB"
                                        : "--config: '%s' is not a text file (it holds a NUL byte)",
             path);
    free(text);
    return NULL;
  }
  text[got] = '\0';
  *length = (long)got;
  return text;
}

static int is_path_option(const char *name) {
  static const char *const paths[] = {"plugin", "out", "report", "checkpoint", "resume", "eta-file", "kappa-file"};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
    if (strcmp(name, paths[i]) == 0) return 1;
  return 0;
}

static int on_config_entry(void *user, const char *section, const char *name, const char *value) {
  config_reader_t *reader = user;
  const int line = reader->line;
  if (reader->status != 0) return 0;
  char key[64];
  snprintf(key, sizeof key, "%s", name);
  for (char *c = key; *c; c++)
    if (*c == '_') *c = '-';
  char inner[512];
  if (section[0] != '\0' && strcmp(section, "solve") != 0 && strcmp(section, "simulate") != 0 &&
      strcmp(section, "validate") != 0 && strcmp(section, "converge") != 0 && strcmp(section, "online") != 0 &&
      strcmp(section, "sweep") != 0) {
    snprintf(reader->message, reader->size,
             "--config %s line %d: section [%s] is not known (use [solve], [simulate], [validate], [converge], [online], "
             "[sweep] or none)",
             reader->path, line, section);
    reader->status = 2;
    return 0;
  }
  /* One file may serve several commands: outside this command's own section, an option of
   * another command is left to that command. */
  const option_spec_t *spec = find_spec(key);
  if (strcmp(section, command_name(reader->options->command)) != 0 && spec && !takes(spec, reader->options->command))
    return 1;
  if (strcmp(key, "config") == 0) {
    snprintf(reader->message, reader->size, "--config %s line %d: a config file cannot name another one", reader->path, line);
    reader->status = 2;
    return 0;
  }
  /* A path in a config file is relative to the file, so a study's file works from anywhere. */
  char resolved[4096];
  if (spec && spec->kind == KIND_TEXT && is_path_option(key) && value[0] != '/' && value[0] != '\0') {
    const char *slash = strrchr(reader->path, '/');
    if (slash) {
      const int directory = (int)(slash - reader->path);
      if (snprintf(resolved, sizeof resolved, "%.*s/%s", directory, reader->path, value) >= (int)sizeof resolved) {
        snprintf(reader->message, reader->size, "--config %s line %d: the path of --%s is too long", reader->path, line, key);
        reader->status = 2;
        return 0;
      }
      value = resolved;
    }
  }
  if (cli_option_set(reader->options, key, value, inner, sizeof inner) != 0) {
    snprintf(reader->message, reader->size, "--config %s line %d: %s", reader->path, line, inner);
    reader->status = 2;
    return 0;
  }
  return 1;
}

int cli_options_read_config(cli_options_t *options, const char *path, char *message, size_t size) {
  long length = 0;
  char *text = read_config_file(path, &length, message, size);
  if (!text) return 2;
  config_reader_t reader = {options, path, message, size, 0, text, text, text + length, 0};
  const int result = ini_parse_stream(read_config_line, &reader, on_config_entry, &reader);
  free(text);
  if (reader.status != 0) return reader.status;
  if (result != 0) {
    snprintf(message, size, "--config %s line %d: expected 'name = value'", path, result);
    return 2;
  }
  return 0;
}

/* Splits "--name=value" or "--name value"; returns the option name in `name`. */
static int next_option(cli_command_t command, int argc, char **argv, int *index, char *name, size_t name_size,
                       const char **value, char *message, size_t size) {
  const char *arg = argv[*index];
  if (strcmp(arg, "-h") == 0) {
    snprintf(name, name_size, "help");
    *value = "true";
    return 0;
  }
  if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
    snprintf(message, size, "unexpected argument '%s' (options look like --name value; see --help)", arg);
    return 2;
  }
  const char *equals = strchr(arg, '=');
  const size_t length = equals ? (size_t)(equals - arg - 2) : strlen(arg + 2);
  if (length >= name_size) {
    snprintf(message, size, "unknown option %s (see --help)", arg);
    return 2;
  }
  memcpy(name, arg + 2, length);
  name[length] = '\0';
  const int flag = cli_option_is_flag(command, name);
  if (flag < 0 && strcmp(name, "help") != 0) {
    refuse_unknown(command, name, message, size);
    return 2;
  }
  if (flag == 1 || strcmp(name, "help") == 0) {
    *value = equals ? equals + 1 : "true";
    return 0;
  }
  if (equals) *value = equals + 1;
  else if (*index + 1 < argc) *value = argv[++*index];
  else {
    snprintf(message, size, "--%s needs a value (%s)", name, find_spec(name)->help);
    return 2;
  }
  return 0;
}

void cli_options_choose_engine(cli_options_t *options) {
  if (options->problem.no_kernels && !dmft_volterra_unsupported(&options->problem)) options->problem.engine_volterra = 1;
}

int cli_options_check_combinations(const cli_options_t *options, char *message, size_t size) {
  const dmft_schedule_t *eta = &options->problem.eta_schedule, *kappa = &options->problem.kappa_schedule;
  const struct {
    const char *name;
    const dmft_schedule_t *schedule;
    int final_given, file_given;
  } schedules[] = {{"eta", eta, options->eta_final_given, options->eta_file_given},
                   {"kappa", kappa, options->kappa_final_given, options->kappa_file_given}};
  for (int i = 0; i < 2; i++) {
    const char *name = schedules[i].name;
    const dmft_schedule_kind_t kind = schedules[i].schedule->kind;
    const int ends = kind == DMFT_SCHEDULE_COSINE || kind == DMFT_SCHEDULE_LINEAR;
    if (schedules[i].final_given && !ends) {
      snprintf(message, size, "--%s-final needs --%s-schedule %s (got %s)", name, name, i == 0 ? "cosine or linear" : "linear",
               dmft_schedule_name(kind));
      return 2;
    }
    if (schedules[i].file_given != (kind == DMFT_SCHEDULE_FILE)) {
      snprintf(message, size, schedules[i].file_given ? "--%s-file needs --%s-schedule file" : "--%s-schedule file needs --%s-file FILE",
               name, name);
      return 2;
    }
  }
  if (kappa->kind == DMFT_SCHEDULE_LINEAR && !options->kappa_final_given) {
    snprintf(message, size, "--kappa-schedule linear needs --kappa-final K > 0 (the batch rate at tmax)");
    return 2;
  }
  if (eta->kind == DMFT_SCHEDULE_FILE && eta->warmup != 0) {
    snprintf(message, size, "--warmup does not apply to --eta-schedule file (the file gives the whole schedule)");
    return 2;
  }
  return 0;
}

int cli_options_parse(cli_options_t *options, int argc, char **argv, char *message, size_t size) {
  char name[64];
  const char *value;
  /* First pass: --help and --config, so the file is read before the command line overrides it. */
  for (int i = 0; i < argc; i++) {
    if (next_option(options->command, argc, argv, &i, name, sizeof name, &value, message, size) != 0) return 2;
    if (strcmp(name, "help") == 0) return 1;
    if (strcmp(name, "config") == 0) options->config_path = value;
    /* Plugins first, so a config file may name their components. */
    if (strcmp(name, "plugin") == 0 && dmft_plugin_load(value, message, size) != DMFT_OK) return 2;
  }
  if (options->config_path && cli_options_read_config(options, options->config_path, message, size) != 0) return 2;
  for (int i = 0; i < argc; i++) {
    next_option(options->command, argc, argv, &i, name, sizeof name, &value, message, size);
    if (strcmp(name, "config") == 0) continue;
    if (cli_option_set(options, name, value, message, size) != 0) return 2;
  }
  if (cli_options_check_combinations(options, message, size) != 0 || cli_options_apply_model_params(options, message, size) != 0 ||
      cli_options_apply_spectrum(options, message, size) != 0)
    return 2;
  cli_options_choose_engine(options);
  return 0;
}

/* An integer option's value in `options` (1), or 0 for a name that is not one. */
static int integer_value(const cli_options_t *options, const char *name, long long *value) {
  const dmft_problem_t *p = &options->problem;
  const struct {
    const char *name;
    long long value;
  } values[] = {{"seed", (long long)p->seed},
                {"k", p->model.k},
                {"kstar", p->model.kstar},
                {"paths", p->paths},
                {"parameter-paths", p->parameter_paths},
                {"train-loss-paths", p->train_loss_paths},
                {"response-paths", p->response_paths},
                {"threads", p->threads},
                {"output-every", p->output_every},
                {"seeds", options->seeds},
                {"levels", options->levels},
                {"path-levels", options->path_levels},
                {"spectrum-classes", options->spectrum_classes}};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
    if (strcmp(values[i].name, name) == 0) {
      *value = values[i].value;
      return 1;
    }
  return 0;
}

/* What an option is when not given, as --help shows it next to the option ("" when it is simply
 * absent: a plugin, a config file, a checkpoint). Read from the defaults themselves, so that
 * --help cannot drift from them. */
static void default_text(cli_options_t *defaults, const option_spec_t *spec, char *text, size_t size) {
  const char *name = spec->name;
  const dmft_problem_t *p = &defaults->problem;
  text[0] = '\0';
  long long integer;
  const double *number = number_target(defaults, name);
  if (strcmp(name, "huber-delta") == 0) {
    snprintf(text, size, "%g", dmft_model_param(&p->model, "huber-delta", NULL));
  } else if (strcmp(name, "max-mem") == 0) {
    snprintf(text, size, "85%% of the machine's memory");
  } else if (strcmp(name, "tolerance") == 0) {
    snprintf(text, size, "the Bonferroni bound for a 1%% family-wise error");
  } else if (strcmp(name, "dt0") == 0) {
    snprintf(text, size, "--dt");
  } else if (strcmp(name, "kappa-final") == 0) {
    snprintf(text, size, "needed with linear");
  } else if (strcmp(name, "output-every") == 0) {
    snprintf(text, size, "at most 1001 rows");
  } else if (strcmp(name, "threads") == 0) {
    snprintf(text, size, "0, all cores");
  } else if (number) {
    snprintf(text, size, "%g", *number);
  } else if (integer_value(defaults, name, &integer)) {
    snprintf(text, size, "%lld", integer);
  } else if (spec->kind == KIND_SIZES) {
    size_t used = 0;
    for (int i = 0; i < defaults->size_count && used < size; i++)
      used += (size_t)snprintf(text + used, size - used, "%s%ld", i ? "," : "", defaults->sizes[i]);
  } else if (spec->kind == KIND_FLAG) {
    snprintf(text, size, "off");
  } else if (strcmp(name, "out") == 0) {
    snprintf(text, size, "%s", defaults->out_prefix);
  } else {
    const struct {
      const char *name, *value;
    } names[] = {{"loss", p->model.loss->name},
                 {"activation", p->model.activation->name},
                 {"teacher", p->model.teacher->name},
                 {"regularizer", p->model.regularizer->name},
                 {"teacher-prior", dmft_prior_name(p->teacher_prior)},
                 {"init-prior", dmft_prior_name(p->init_prior)},
                 {"parameter-side", "auto"},
                 {"engine", "auto"},
                 {"spectrum", "isotropic"},
                 {"spectrum-values", "0.5,1.5"},
                 {"noise", p->noise->name},
                 {"eta-schedule", dmft_schedule_name(p->eta_schedule.kind)},
                 {"kappa-schedule", dmft_schedule_name(p->kappa_schedule.kind)},
                 {"simulate", "the algorithm --noise describes"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
      if (strcmp(names[i].name, name) == 0) snprintf(text, size, "%s", names[i].value);
  }
}

/* A line a user can start from, for each command. */
static const char *example_line(cli_command_t command) {
  switch (command) {
    case CLI_SOLVE: return "dmft solve --noise gauss --eta 1 --paths 100000 --out sme";
    case CLI_SIMULATE: return "dmft simulate --noise poisson --n 8000 --seeds 8 --out sgd-n8000";
    case CLI_VALIDATE: return "dmft validate --noise gauss --n 2000,4000,8000 --report val";
    case CLI_CONVERGE: return "dmft converge --dt 0.1,0.05,0.025,0.0125 --report conv";
    case CLI_ONLINE: return "dmft online --gamma 20 --tmax 0.1 --dt 0.0025 --out online";
    case CLI_SWEEP: return "dmft sweep --sweep eta=0.5:2:0.5 --sweep noise=poisson,gauss --out sw";
  }
  return "";
}

int cli_option_info(cli_command_t command, int index, cli_option_info_t *info) {
  int seen = 0;
  for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
    if (!takes(&specs[i], command) || seen++ != index) continue;
    cli_options_t defaults;
    cli_options_defaults(&defaults, command);
    info->name = specs[i].name;
    info->metavar = specs[i].metavar;
    info->help = specs[i].help;
    info->is_flag = specs[i].kind == KIND_FLAG;
    default_text(&defaults, &specs[i], info->default_text, sizeof info->default_text);
    return 1;
  }
  return 0;
}

const char *cli_command_name(cli_command_t command) { return command_name(command); }

const char *cli_command_example(cli_command_t command) { return example_line(command); }

void cli_options_print_help(cli_command_t command, const char *summary) {
  printf("usage: dmft %s [--option value ...]\n\n%s\n\noptions (default in brackets):\n", command_name(command), summary);
  cli_option_info_t info;
  for (int i = 0; cli_option_info(command, i, &info); i++) {
    char left[48];
    snprintf(left, sizeof left, "--%s %s", info.name, info.metavar);
    if (info.default_text[0]) printf("  %-24s %s [%s]\n", left, info.help, info.default_text);
    else printf("  %-24s %s\n", left, info.help);
  }
  printf("  %-24s this help (also -h, and dmft help %s)\n", "--help", command_name(command));
  printf("\nexample:\n  %s\n", example_line(command));
  printf("\nA config file holds the same names without dashes, one 'name = value' a line; the command line\n"
         "overrides it, and the paths it names (plugins, outputs, checkpoints) are relative to the file.\n");
  if (command == CLI_VALIDATE)
    printf("Exit status: 0 PASS, 1 FAIL, 2 bad input, 3 the solver diverged.\n");
  else
    printf("Exit status: 0 done, 2 bad input (nothing written), 3 diverged (rows before the divergence written).\n");
}

dmft_simulation_options_t cli_simulation_options(const cli_options_t *options, long n) {
  const dmft_simulation_options_t simulation = {
      .algorithm = options->algorithm_given ? options->algorithm : dmft_algorithm_for_noise(options->problem.noise),
      .sampling = dmft_sampling_for_noise(options->problem.noise),
      .n = n,
      .seeds = options->seeds,
      .alpha = options->alpha,
      .max_mem = options->max_mem_gib * 1073741824.0,
  };
  return simulation;
}
