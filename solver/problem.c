#include "dmft/problem.h"
#include "dmft/volterra.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <omp.h>
#include <stdio.h>
#include <unistd.h>

#include "dmft/dmft.h"
#include "dmft/status.h"
#include "kernels.h"
#include "parameter_paths.h"
#include "replica.h"
#include "spectral_side.h"

#define DMFT_MAX_STEPS 200000
/* The Volterra engine keeps O(N) numbers whatever K: its limit is time, 10^7 steps a minute or so. */
#define DMFT_MAX_VOLTERRA_STEPS 20000000
#define STEPS_SATURATED (1L << 40)
#define DMFT_MAX_OUTPUT_ROWS 1001

void dmft_problem_set_defaults(dmft_problem_t *problem) {
  /* The default example: the paper's non-linear case, Huber loss on a tanh student learning a
   * noisy tanh teacher with SGD (equations.md §4). */
  *problem = (dmft_problem_t){
      .model = {.activation = dmft_activation_find("tanh"),
                .loss = dmft_loss_find("huber"),
                .teacher = dmft_teacher_find("tanh"),
                .regularizer = dmft_regularizer_find("none"),
                .k = 1,
                .kstar = 1,
                .label_noise = 0.3,
                .flip_prob = 0.0},
      .noise = dmft_noise_find("poisson"),
      .gamma = 2.0,
      .eta = 1.5,
      .kappa = 1.0,
      .ridge = 0.05,
      .theta0_var = 0.25,
      .init_overlap = 0.0,
      .teacher_var = 1.0,
      .teacher_prior = DMFT_PRIOR_GAUSS,
      .init_prior = DMFT_PRIOR_GAUSS,
      .sparsity = 0.1,
      .tmax = 6.0,
      .dt = 0.05,
      .paths = 20000,
      /* At the default --paths every path; beyond it the train loss stops being most of the
       * cost of a poisson solve (docs/observables.md). */
      .train_loss_paths = 20000,
      /* The same for the dense engine's tangents, O(K^3) work a path. */
      .response_paths = 20000,
      .seed = 1,
      .threads = 0,
      .output_every = 0,
  };
  dmft_model_reset_params(&problem->model);
}

double dmft_problem_eta_at(const dmft_problem_t *p, double t) {
  return dmft_schedule_at(&p->eta_schedule, p->eta, t, p->tmax);
}

double dmft_problem_kappa_at(const dmft_problem_t *p, double t) {
  return dmft_schedule_at(&p->kappa_schedule, p->kappa, t, p->tmax);
}

double dmft_problem_epochs_at(const dmft_problem_t *p, double t) {
  return dmft_schedule_integral(&p->kappa_schedule, p->kappa, t, p->tmax);
}

double dmft_problem_largest_kappa(const dmft_problem_t *p) {
  if (dmft_schedule_is_constant(&p->kappa_schedule)) return p->kappa;
  double largest = 0.0;
  const long steps = dmft_problem_steps(p);
  for (long k = 0; k <= steps; k++) largest = fmax(largest, dmft_problem_kappa_at(p, (double)k * p->dt));
  return largest;
}

int dmft_problem_parameter_side_is_sampled(const dmft_problem_t *problem) {
  return problem->sampled_parameter_side || (problem->model.regularizer && !problem->model.regularizer->is_zero);
}

double dmft_problem_field_teacher_var(const dmft_problem_t *problem) {
  return problem->spectrum.classes > 0 ? dmft_spectrum_mean(&problem->spectrum) * problem->teacher_var : problem->teacher_var;
}

long dmft_problem_steps(const dmft_problem_t *problem) {
  /* The grid ends at the first multiple of dt at or beyond tmax; the tolerance keeps
   * tmax = 6, dt = 0.05 at 120 steps despite rounding. Saturated (far beyond DMFT_MAX_STEPS,
   * which the check refuses) so that an unchecked problem never overflows a long. */
  const double steps = ceil(problem->tmax / problem->dt - 1e-9);
  return steps < (double)STEPS_SATURATED ? (long)steps : STEPS_SATURATED;
}

long dmft_problem_output_every(const dmft_problem_t *problem) {
  if (problem->output_every > 0) return problem->output_every;
  const long every = (dmft_problem_steps(problem) + DMFT_MAX_OUTPUT_ROWS - 2) / (DMFT_MAX_OUTPUT_ROWS - 1);
  return every > 1 ? every : 1;
}

int dmft_problem_groups(const dmft_problem_t *problem) {
  if (problem->engine_volterra || dmft__engine_for(problem, problem->force_dense_engine)->is_exact) return 1;
  return problem->paths < DMFT_MAX_GROUPS ? (int)problem->paths : DMFT_MAX_GROUPS;
}

long dmft_problem_group_share(long total, int groups, int group) { return total / groups + (group < total % groups); }

long dmft_problem_train_loss_stride(const dmft_problem_t *problem) {
  /* Only the sparse engine draws fields for the train loss; the others have every field. */
  if (dmft__engine_for(problem, problem->force_dense_engine) != &dmft__engine_sparse) return 1;
  if (problem->train_loss_paths <= 0 || problem->train_loss_paths >= problem->paths) return 1;
  /* The subset keeps every path that jumps at the step, which is fair only when whether a path
   * jumps now says nothing about its past (independent increments): by epochs it does. */
  if (problem->noise->arrives_in_epochs) return 1;
  return (problem->paths + problem->train_loss_paths - 1) / problem->train_loss_paths;
}

long dmft_problem_response_paths_of_group(const dmft_problem_t *problem, int group) {
  const int groups = dmft_problem_groups(problem);
  if (problem->response_paths <= 0 || problem->response_paths >= problem->paths)
    return dmft_problem_group_share(problem->paths, groups, group);
  const long wanted = dmft_problem_group_share(problem->response_paths, groups, group);
  return wanted < 1 ? 1 : wanted;
}

/* The memory of a solve in two parts: what grows with the paths, and what grows with the steps
 * (the groups' two-time kernels, an engine's per-group state, the output rows). */
static void memory_parts(const dmft_problem_t *problem, double *with_paths, double *with_steps) {
  const int groups = dmft_problem_groups(problem);
  const int threads = problem->threads > 0 ? problem->threads : omp_get_max_threads();
  const int concurrent = threads < groups ? threads : groups;
  const long steps = dmft_problem_steps(problem);
  const long every = dmft_problem_output_every(problem);
  const double rows = (double)(steps / every + 1 + (steps % every != 0));
  const int k = problem->model.k;
  const long paths_per_group = (problem->paths + groups - 1) / groups;
  const dmft__engine_t *engine = dmft__engine_for(problem, problem->force_dense_engine);
  const double fixed = engine->bytes(problem, 0);
  *with_paths = concurrent * (engine->bytes(problem, paths_per_group) - fixed +
                              (dmft_problem_parameter_side_is_sampled(problem)
                                   ? dmft__parameter_paths_bytes(problem, dmft__parameter_paths_of_group(problem, 0, groups))
                                   : 0.0));
  *with_steps = concurrent * (dmft__kernels_bytes(k, problem->model.kstar, steps) + fixed + dmft__spectral_side_bytes(problem)) +
                8.0 * rows * rows * k * k * (4.0 * groups + 8.0) + /* C, R, Cl, Rl: each group's and the result's */
                8.0 * rows * (problem->spectrum.classes + 1.0) * (k * problem->model.kstar + k * k) * (groups + 2.0) *
                    (problem->spectrum.classes > 0);
}

double dmft_problem_memory_bytes(const dmft_problem_t *problem) {
  double with_paths, with_steps;
  memory_parts(problem, &with_paths, &with_steps);
  return with_paths + with_steps;
}

static double machine_bytes(void) {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page_size > 0 ? (double)pages * (double)page_size : 0.0;
}

#define REJECT(...)                                  \
  do {                                               \
    snprintf(message, message_size, __VA_ARGS__);    \
    return DMFT_EINVAL;                              \
  } while (0)

/* A schedule's own values: a warmup within the run, a final value in range, a file that covers
 * [0, tmax] with values in range (`positive`: > 0, else >= 0). */
static int check_schedule(const dmft_schedule_t *s, const char *name, double tmax, int positive, char *message,
                          size_t message_size) {
  if (!(s->warmup >= 0 && s->warmup < tmax))
    REJECT("--warmup must be a number in [0, tmax = %g) (got %g)", tmax, s->warmup);
  if ((s->kind == DMFT_SCHEDULE_COSINE || s->kind == DMFT_SCHEDULE_LINEAR) &&
      !(positive ? s->final > 0 : s->final >= 0) && isfinite(s->final))
    REJECT("--%s-final must be a number %s (got %g)", name, positive ? "> 0" : ">= 0", s->final);
  if (!isfinite(s->final)) REJECT("--%s-final must be a finite number (got %g)", name, s->final);
  if (s->kind != DMFT_SCHEDULE_FILE) return DMFT_OK;
  if (s->points < 1 || s->times[0] > 0 || s->times[s->points - 1] < tmax)
    REJECT("--%s-file must cover [0, tmax = %g] (it covers [%g, %g])", name, tmax, s->points ? s->times[0] : NAN,
           s->points ? s->times[s->points - 1] : NAN);
  for (int i = 0; i < s->points; i++)
    if (!(positive ? s->values[i] > 0 : s->values[i] >= 0))
      REJECT("--%s-file values must be %s (got %g at t = %g)", name, positive ? "> 0" : ">= 0", s->values[i], s->times[i]);
  return DMFT_OK;
}

int dmft_problem_check_inputs(const dmft_problem_t *problem, char *message, size_t message_size) {
  const dmft_model_t *model = &problem->model;
  if (model->k < 1 || model->k > DMFT_MAX_WIDTH)
    REJECT("--k must be an integer from 1 to %d (got %d)", DMFT_MAX_WIDTH, model->k);
  if (model->kstar < 1 || model->kstar > DMFT_MAX_WIDTH)
    REJECT("--kstar must be an integer from 1 to %d (got %d)", DMFT_MAX_WIDTH, model->kstar);
  if (!(problem->gamma > 0)) REJECT("--gamma must be a number > 0 (got %g)", problem->gamma);
  if (!(problem->eta > 0)) REJECT("--eta must be a number > 0 (got %g)", problem->eta);
  if (!(problem->kappa > 0)) REJECT("--kappa must be a number > 0 (got %g)", problem->kappa);
  if (!(problem->ridge >= 0)) REJECT("--ridge must be a number >= 0 (got %g)", problem->ridge);
  if (!(problem->theta0_var >= 0)) REJECT("--theta0-var must be a number >= 0 (got %g)", problem->theta0_var);
  if (!(problem->teacher_var > 0)) REJECT("--teacher-var must be a number > 0 (got %g)", problem->teacher_var);
  if (!(problem->tmax > 0)) REJECT("--tmax must be a number > 0 (got %g)", problem->tmax);
  if (!(problem->dt > 0)) REJECT("--dt must be a number > 0 (got %g)", problem->dt);
  if (!(problem->dt < problem->tmax)) REJECT("--dt must be smaller than --tmax (got dt %g, tmax %g)", problem->dt, problem->tmax);
  if (check_schedule(&problem->eta_schedule, "eta", problem->tmax, 0, message, message_size) != DMFT_OK ||
      check_schedule(&problem->kappa_schedule, "kappa", problem->tmax, 1, message, message_size) != DMFT_OK)
    return DMFT_EINVAL;
  if (problem->kappa_schedule.warmup != 0) REJECT("--warmup applies to the learning rate only (--eta-schedule)");
  if (!(problem->momentum_time >= 0) || !isfinite(problem->momentum_time))
    REJECT("--momentum-time must be a number of time units >= 0 (0: no momentum; got %g)", problem->momentum_time);
  if (problem->momentum_time > 0 && dmft_problem_parameter_side_is_sampled(problem))
    REJECT("--momentum-time needs the exact parameter side: ridge alone, no --regularizer and no --parameter-side sampled");
  if (problem->kappa_schedule.kind == DMFT_SCHEDULE_COSINE) REJECT("--kappa-schedule must be one of constant | linear | file (got cosine)");
  const long max_steps = problem->engine_volterra ? DMFT_MAX_VOLTERRA_STEPS : DMFT_MAX_STEPS;
  if (problem->tmax / problem->dt > max_steps)
    REJECT("--dt must give at most %ld steps up to --tmax%s (got %.3g steps)", max_steps,
           problem->engine_volterra ? " with --engine volterra" : "", ceil(problem->tmax / problem->dt));
  if (problem->paths < 1) REJECT("--paths must be an integer >= 1 (got %ld)", problem->paths);
  if (problem->threads < 0 || problem->threads > 1024)
    REJECT("--threads must be an integer from 0 (all cores) to 1024 (got %d)", problem->threads);
  if (problem->output_every < 0) REJECT("--output-every must be an integer >= 1 (got %ld)", problem->output_every);
  if (!model->activation || !model->loss || !model->teacher || !model->regularizer)
    REJECT("--loss, --activation, --teacher and --regularizer must each name a component (see dmft list)");
  if (model->teacher->min_kstar > 0 && model->kstar < model->teacher->min_kstar)
    REJECT("--kstar must be at least %d for --teacher %s (got %d)", model->teacher->min_kstar, model->teacher->name, model->kstar);
  if (model->teacher->max_kstar > 0 && model->kstar > model->teacher->max_kstar)
    REJECT("--kstar must be at most %d for --teacher %s (got %d)", model->teacher->max_kstar, model->teacher->name, model->kstar);
  if (problem->parameter_paths < 0 || (problem->parameter_paths > 0 && problem->parameter_paths < dmft_problem_groups(problem)))
    REJECT("--parameter-paths must be 0 (as many as --paths) or at least one per replica group, %d (got %ld)",
           dmft_problem_groups(problem), problem->parameter_paths);
  if (problem->response_paths < 0)
    REJECT("--response-paths must be 0 (every path) or an integer >= 1 (got %ld)", problem->response_paths);
  if (problem->train_loss_paths < 0)
    REJECT("--train-loss-paths must be 0 (every path) or an integer >= 1 (got %ld)", problem->train_loss_paths);
  if (!(problem->sparsity > 0 && problem->sparsity <= 1)) REJECT("--sparsity must be a number in (0, 1] (got %g)", problem->sparsity);
  if (problem->teacher_prior >= DMFT_PRIOR_COUNT || problem->init_prior >= DMFT_PRIOR_COUNT)
    REJECT("--teacher-prior and --init-prior must be gauss, rademacher or bernoulli-gauss");
  int huber_found = 0;
  const double huber_delta = dmft_model_param(model, "huber-delta", &huber_found);
  if (huber_found && !(huber_delta > 0)) REJECT("--huber-delta must be a number > 0 (got %g)", huber_delta);
  if (!(model->label_noise >= 0)) REJECT("--label-noise must be a number >= 0 (got %g)", model->label_noise);
  if (!(model->flip_prob >= 0 && model->flip_prob <= 0.5))
    REJECT("--flip-prob must be a number in [0, 0.5] (got %g)", model->flip_prob);
  if (model->flip_prob > 0 && !model->teacher->is_sign)
    REJECT("--flip-prob applies to --teacher sign only (got teacher %s)", model->teacher->name);
  if (model->loss->needs_binary_labels && !model->teacher->is_sign)
    REJECT("--loss %s needs labels +-1: use --teacher sign (got teacher %s)", model->loss->name, model->teacher->name);
  if (!isfinite(problem->init_overlap)) REJECT("--init-overlap must be a finite number (got %g)", problem->init_overlap);
  if (problem->init_overlap != 0 && model->k != model->kstar)
    REJECT("--init-overlap needs --k equal to --kstar, it is applied unit by unit (got k %d, kstar %d)", model->k,
           model->kstar);
  if (dmft_spectrum_check(&problem->spectrum, message, message_size) != DMFT_OK) return DMFT_EINVAL;
  if (problem->spectrum.classes > 0 && dmft_problem_parameter_side_is_sampled(problem)) {
    const long fewest = dmft__parameter_paths_of_group(problem, dmft_problem_groups(problem) - 1, dmft_problem_groups(problem));
    if (fewest < problem->spectrum.classes)
      REJECT("--spectrum with a sampled parameter side needs at least one parameter path per class in every replica group: "
             "--parameter-paths (or --paths) of at least %ld for %d classes (got %ld per group)",
             (long)problem->spectrum.classes * dmft_problem_groups(problem), problem->spectrum.classes, fewest);
  }
  /* The fields' variances: E[lambda] times the isotropic ones. */
  const double field_scale = dmft_spectrum_mean(&problem->spectrum);
  const double field_variance =
      field_scale * (problem->theta0_var + problem->init_overlap * problem->init_overlap * problem->teacher_var);
  if (!isfinite(field_variance))
    REJECT("--init-overlap %g with --theta0-var %g and --teacher-var %g: the initial field variance is too large for a double",
           problem->init_overlap, problem->theta0_var, problem->teacher_var);
  if (dmft_model_check_derivatives(model, message, message_size) != DMFT_OK) return DMFT_EINVAL;
  return dmft_model_check_fields(model, sqrt(field_variance), sqrt(dmft_problem_field_teacher_var(problem)), message,
                                 message_size);
}

/* The message names what to change: the option whose part of the memory is the larger. */
static int check_memory(const dmft_problem_t *problem, char *message, size_t message_size) {
  double with_paths, with_steps;
  memory_parts(problem, &with_paths, &with_steps);
  const double available = 0.85 * machine_bytes(), gib = 1073741824.0;
  if (available <= 0 || with_paths + with_steps <= available) return DMFT_OK;
  if (with_paths >= with_steps)
    REJECT("--paths: this run needs about %.1f GiB (%.1f GiB for the paths), more than the %.1f GiB this machine can give; "
           "lower --paths (or --parameter-paths)",
           (with_paths + with_steps) / gib, with_paths / gib, available / gib);
  REJECT("--dt: this run needs about %.1f GiB (%.1f GiB for the two-time kernels of %ld steps), more than the %.1f GiB "
         "this machine can give; raise --dt or --output-every, or lower --tmax or --k",
         (with_paths + with_steps) / gib, with_steps / gib, dmft_problem_steps(problem), available / gib);
}

/* What only the DMFT solver needs: a step its noise module accepts, a gradient its engine can
 * take, and memory. */
static int check_solver(const dmft_problem_t *problem, char *message, size_t message_size) {
  const dmft_model_t *model = &problem->model;
  if (problem->engine_volterra) {
    /* No paths and no two-time memory beyond the output grid: none of the checks below apply. */
    const char *needs = dmft_volterra_unsupported(problem);
    if (needs) REJECT("--engine volterra solves %s", needs);
    return DMFT_OK;
  }
  if (problem->volterra_direct) REJECT("--volterra-direct is a mode of --engine volterra");
  const double kappa = dmft_problem_largest_kappa(problem);
  const char *noise_problem = problem->noise->check ? problem->noise->check(kappa, problem->dt) : NULL;
  if (noise_problem)
    REJECT("--noise %s needs %s (got kappa*dt = %g%s)", problem->noise->name, noise_problem, kappa * problem->dt,
           kappa != problem->kappa ? " at the largest kappa of the schedule" : "");
  if (problem->noise->arrives_in_epochs && problem->force_dense_engine)
    REJECT("--noise %s runs on the sparse engine only (it has no step-by-step increments)", problem->noise->name);
  if (!dmft_model_gradient_is_continuous(model) && !problem->noise->is_point_process)
    REJECT("--activation %s has a gradient that jumps, which --noise %s does not support: use --noise poisson or "
           "bernoulli, or a smooth activation (tanh, erf)",
           model->activation->name, problem->noise->name);
  return check_memory(problem, message, message_size);
}

int dmft_problem_check(const dmft_problem_t *problem, char *message, size_t message_size) {
  const int status = dmft_problem_check_inputs(problem, message, message_size);
  return status != DMFT_OK ? status : check_solver(problem, message, message_size);
}

/* FNV-1a over the text of every field that changes the numbers, and the version. A field added
 * to dmft_problem_t that changes results must be added here, or a rerun would reuse outputs
 * made without it. */
uint64_t dmft_problem_signature(const dmft_problem_t *p) {
  char text[4096];
  const dmft_model_t *m = &p->model;
  int used = snprintf(text, sizeof text, "%s|%s|%s|%s|%s|%s|%d|%d|%.17g|%.17g|", dmft_version(), m->activation->name,
                      m->loss->name, m->teacher->name, m->regularizer->name, p->noise->name, m->k, m->kstar, m->label_noise,
                      m->flip_prob);
  const double *params[4] = {m->activation_params, m->loss_params, m->teacher_params, m->regularizer_params};
  for (int g = 0; g < 4; g++)
    for (int i = 0; i < DMFT_MAX_PARAMS; i++) used += snprintf(text + used, sizeof text - (size_t)used, "%.17g,", params[g][i]);
  snprintf(text + used, sizeof text - (size_t)used,
           "|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g|%d|%d|%.17g|%d|%ld|%ld|%ld|%.17g|%.17g|%ld|%" PRIu64 "|%ld|%d", p->gamma,
           p->eta, p->kappa, p->ridge, p->theta0_var, p->init_overlap, p->teacher_var, (int)p->teacher_prior,
           (int)p->init_prior, p->sparsity, p->sampled_parameter_side, p->parameter_paths, p->train_loss_paths,
           p->response_paths, p->tmax, p->dt, p->paths, p->seed, p->output_every, p->quasi_random);
  const dmft_schedule_t *schedules[2] = {&p->eta_schedule, &p->kappa_schedule};
  for (int i = 0; i < 2; i++) {
    const dmft_schedule_t *sc = schedules[i];
    if (dmft_schedule_is_constant(sc)) continue; /* a constant problem keeps the signature it always had */
    used = (int)strlen(text);
    used += snprintf(text + used, sizeof text - (size_t)used, "|schedule%d:%d,%.17g,%.17g,%d", i, (int)sc->kind, sc->final,
                     sc->warmup, sc->points);
    /* The file's points, folded into the hash below one by one (they may not fit the text). */
  }
  if (p->momentum_time != 0) {
    used = (int)strlen(text);
    snprintf(text + used, sizeof text - (size_t)used, "|momentum:%.17g", p->momentum_time);
  }
  if (p->engine_volterra) { /* other numbers than the DMFT's (no Monte Carlo) */
    used = (int)strlen(text);
    snprintf(text + used, sizeof text - (size_t)used, "|volterra:%d", p->volterra_direct);
  }
  if (p->spectrum.classes > 0) { /* isotropic data keeps the signature it always had */
    used = (int)strlen(text);
    snprintf(text + used, sizeof text - (size_t)used, "|spectrum:%d", p->spectrum.classes);
  }
  if (p->no_kernels) { /* other files: a sweep must not take them for a run with kernels */
    used = (int)strlen(text);
    snprintf(text + used, sizeof text - (size_t)used, "|no-kernels");
  }
  uint64_t hash = 14695981039346656037ULL;
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < schedules[i]->points && schedules[i]->kind == DMFT_SCHEDULE_FILE; j++) {
      const double pair[2] = {schedules[i]->times[j], schedules[i]->values[j]};
      const unsigned char *bytes = (const unsigned char *)pair;
      for (size_t b = 0; b < sizeof pair; b++) hash = (hash ^ bytes[b]) * 1099511628211ULL;
    }
  for (int j = 0; j < p->spectrum.classes; j++) {
    const double pair[2] = {p->spectrum.eigenvalue[j], p->spectrum.weight[j]};
    const unsigned char *bytes = (const unsigned char *)pair;
    for (size_t b = 0; b < sizeof pair; b++) hash = (hash ^ bytes[b]) * 1099511628211ULL;
  }
  for (const unsigned char *c = (const unsigned char *)text; *c; c++) hash = (hash ^ *c) * 1099511628211ULL;
  return hash;
}
