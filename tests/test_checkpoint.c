/* Checkpoints: a solve stopped at any point and resumed, or checkpointed at every step, gives
 * the bits of an uninterrupted solve, for each engine (sparse jump-time, dense, exact Gaussian,
 * and a sampled parameter side); a damaged, truncated or foreign checkpoint is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmft/rng.h"
#include "test_support.h"

static char path[256];

static int identical(const dmft_result_t *a, const dmft_result_t *b) {
  const size_t rows = (size_t)a->rows, kk = (size_t)(a->k * a->k), kks = (size_t)(a->k * a->kstar);
  return a->rows_done == b->rows_done && !memcmp(a->M, b->M, sizeof(double) * rows * kks) &&
         !memcmp(a->M_se, b->M_se, sizeof(double) * rows * kks) && !memcmp(a->Q, b->Q, sizeof(double) * rows * kk) &&
         !memcmp(a->Q_se, b->Q_se, sizeof(double) * rows * kk) && !memcmp(a->train_loss, b->train_loss, sizeof(double) * rows) &&
         !memcmp(a->test_loss, b->test_loss, sizeof(double) * rows) &&
         !memcmp(a->C, b->C, sizeof(double) * rows * rows * kk) && !memcmp(a->R, b->R, sizeof(double) * rows * rows * kk) &&
         !memcmp(a->C_se, b->C_se, sizeof(double) * rows * rows * kk) &&
         (a->classes == 0 || (!memcmp(a->M_sigma, b->M_sigma, sizeof(double) * rows * kks) &&
                              !memcmp(a->class_Q, b->class_Q, sizeof(double) * rows * kk * (size_t)a->classes) &&
                              !memcmp(a->class_M_se, b->class_M_se, sizeof(double) * rows * kks * (size_t)a->classes)));
}

typedef struct {
  volatile int *stop;
  double at;
} stopper_t;

/* Raises the stop flag once the solve is a given fraction through, as a signal would. */
static void stop_at(double fraction, void *user) {
  stopper_t *stopper = user;
  if (fraction >= stopper->at) *stopper->stop = 1;
}

static void check_problem(const char *what, const dmft_problem_t *p) {
  dmft_result_t *plain = NULL, *every = NULL, *resumed = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(p, NULL, NULL, &plain), DMFT_OK);
  char message[512] = "";
  /* A checkpoint at every step boundary: rounds of one step each. */
  dmft_checkpoint_options_t options = {.path = path, .every_seconds = 1e-12, .message = message,
                                       .message_size = sizeof message};
  CU_ASSERT_EQUAL(dmft_solve_checkpointed(p, NULL, NULL, &options, &every), DMFT_OK);
  CU_ASSERT(every && identical(plain, every));
  /* Stopped 40% through on one thread (the progress callback, which raises the flag here, runs
   * on thread 0 only), then resumed from the file on two. */
  volatile int stop = 0;
  stopper_t stopper = {&stop, 0.4};
  options = (dmft_checkpoint_options_t){.path = path, .every_seconds = 600, .stop = &stop, .message = message,
                                        .message_size = sizeof message};
  dmft_problem_t one_thread = *p;
  one_thread.threads = 1;
  dmft_result_t *none = NULL;
  CU_ASSERT_EQUAL(dmft_solve_checkpointed(&one_thread, stop_at, &stopper, &options, &none), DMFT_EINTERRUPTED);
  CU_ASSERT_PTR_NULL(none);
  dmft_problem_t other_threads = *p;
  other_threads.threads = 2;
  dmft_checkpoint_options_t resume = {.path = path, .every_seconds = 600, .resume = path, .message = message,
                                      .message_size = sizeof message};
  const int status = dmft_solve_checkpointed(&other_threads, NULL, NULL, &resume, &resumed);
  if (status != DMFT_OK) fprintf(stderr, "\n    %s: resume: %s\n", what, message);
  CU_ASSERT_EQUAL(status, DMFT_OK);
  const int same = resumed && identical(plain, resumed);
  if (!same) fprintf(stderr, "\n    %s: the resumed solve differs\n", what);
  CU_ASSERT(same);
  dmft_result_free(&plain);
  dmft_result_free(&every);
  dmft_result_free(&resumed);
}

static void small(dmft_problem_t *p) {
  dmft_problem_set_defaults(p);
  p->paths = 600;
  p->tmax = 1.5;
  p->threads = 2;
}

static void test_every_engine_resumes_to_the_same_bits(void) {
  dmft_problem_t p;
  small(&p);
  check_problem("sparse (poisson)", &p);
  small(&p);
  p.noise = dmft_noise_find("bernoulli");
  p.model.k = p.model.kstar = 2;
  check_problem("sparse (bernoulli, k = 2)", &p);
  small(&p);
  p.noise = dmft_noise_find("gauss");
  check_problem("dense (gauss)", &p);
  dmft_test_linear_problem(&p);
  p.noise = dmft_noise_find("flow");
  p.tmax = 1.5;
  check_problem("exact (flow, least squares)", &p);
  small(&p);
  p.model.regularizer = dmft_regularizer_find("l1");
  dmft_model_reset_params(&p.model);
  check_problem("sampled parameter side (l1)", &p);
  /* Quasi-random first draws: a path stopped before it used its prefix resumes it from this
   * process's points (a stream's prefix pointer in the file is the writer's). */
  small(&p);
  p.quasi_random = 1;
  check_problem("sparse (poisson), quasi-random", &p);
  small(&p);
  p.noise = dmft_noise_find("gauss");
  p.quasi_random = 1;
  check_problem("dense (gauss), quasi-random", &p);
  /* A schedule, sampling by epochs and momentum change the march's coefficients, not its state. */
  small(&p);
  p.noise = dmft_noise_find("reshuffle");
  p.eta_schedule = (dmft_schedule_t){.kind = DMFT_SCHEDULE_COSINE, .final = 0.2, .warmup = 0.3};
  p.momentum_time = 0.3;
  check_problem("sparse (reshuffle, cosine schedule, momentum)", &p);
  /* A covariance spectrum adds the classes' kernels and overlaps to the state. */
  const dmft_spectrum_t two_level = {.classes = 2, .eigenvalue = {0.5, 2.5}, .weight = {0.5, 0.5}};
  small(&p);
  p.spectrum = two_level;
  check_problem("sparse (poisson), two-level spectrum", &p);
  small(&p);
  p.spectrum = two_level;
  p.model.regularizer = dmft_regularizer_find("l1");
  dmft_model_reset_params(&p.model);
  check_problem("sampled parameter side (l1), two-level spectrum", &p);
}

/* The public stages: advance to a third of the steps, save, free; a new solver loads, advances
 * to two thirds, then to the end; the result is the bits of dmft_solve. The sparse engine
 * defers train-loss draws to a path's next jump, so a pause must keep them pending. */
static void test_the_stages_compose(void) {
  dmft_problem_t p;
  small(&p);
  dmft_result_t *plain = NULL, *staged = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve(&p, NULL, NULL, &plain), DMFT_OK);
  dmft_solver_t *solver = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solver_create(&p, NULL, NULL, &solver), DMFT_OK);
  const long steps = dmft_solver_steps(solver);
  CU_ASSERT_EQUAL(dmft_solver_advance(solver, steps / 3, NULL, 0.0), DMFT_OK);
  CU_ASSERT_EQUAL(dmft_solver_result(solver, &staged), DMFT_EINVAL); /* not at the end yet */
  CU_ASSERT_EQUAL(dmft_solver_save(solver, path), DMFT_OK);
  dmft_solver_free(&solver);
  char message[512] = "";
  CU_ASSERT_EQUAL_FATAL(dmft_solver_create(&p, NULL, NULL, &solver), DMFT_OK);
  CU_ASSERT_EQUAL_FATAL(dmft_solver_load(solver, path, message, sizeof message), DMFT_OK);
  CU_ASSERT_EQUAL(dmft_solver_advance(solver, 2 * steps / 3, NULL, 0.0), DMFT_OK);
  CU_ASSERT_EQUAL(dmft_solver_advance(solver, steps, NULL, 0.0), DMFT_OK);
  CU_ASSERT_EQUAL(dmft_solver_result(solver, &staged), DMFT_OK);
  CU_ASSERT(staged && identical(plain, staged));
  dmft_solver_free(&solver);
  dmft_result_free(&plain);
  dmft_result_free(&staged);
}

/* A checkpoint of a stopped solve, then the same file damaged in three ways. */
static void test_foreign_or_damaged_checkpoints_are_refused(void) {
  dmft_problem_t p;
  small(&p);
  p.threads = 1;
  volatile int stop = 0;
  stopper_t stopper = {&stop, 0.3};
  char message[512] = "";
  dmft_checkpoint_options_t options = {.path = path, .every_seconds = 600, .stop = &stop, .message = message,
                                       .message_size = sizeof message};
  dmft_result_t *result = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solve_checkpointed(&p, stop_at, &stopper, &options, &result), DMFT_EINTERRUPTED);
  FILE *file = fopen(path, "rb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(file);
  fseek(file, 0, SEEK_END);
  const long size = ftell(file);
  rewind(file);
  unsigned char *bytes = malloc((size_t)size);
  CU_ASSERT_EQUAL_FATAL(fread(bytes, 1, (size_t)size, file), (size_t)size);
  fclose(file);
  char damaged[300];
  snprintf(damaged, sizeof damaged, "%s.damaged", path);
  const struct {
    const char *what;
    long length, flip;
    const char *said;
  } cases[] = {{"a flipped byte", size, size / 2, "checksum"}, {"truncated", size / 3, -1, "checksum"}};
  for (size_t i = 0; i < 2; i++) {
    file = fopen(damaged, "wb");
    if (cases[i].flip >= 0) bytes[cases[i].flip] ^= 0x40;
    fwrite(bytes, 1, (size_t)cases[i].length, file);
    if (cases[i].flip >= 0) bytes[cases[i].flip] ^= 0x40;
    fclose(file);
    dmft_checkpoint_options_t resume = {.resume = damaged, .message = message, .message_size = sizeof message};
    CU_ASSERT_EQUAL(dmft_solve_checkpointed(&p, NULL, NULL, &resume, &result), DMFT_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(message, cases[i].said));
    CU_ASSERT_PTR_NULL(strchr(message, '\n'));
  }
  /* Another problem: refused by its signature before anything is read into a group. */
  dmft_problem_t other = p;
  other.eta = 1.25;
  dmft_checkpoint_options_t resume = {.resume = path, .message = message, .message_size = sizeof message};
  CU_ASSERT_EQUAL(dmft_solve_checkpointed(&other, NULL, NULL, &resume, &result), DMFT_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(message, "other parameters"));
  /* The thread count is not part of it: the same problem on two threads resumes. */
  other = p;
  other.threads = 2;
  CU_ASSERT_EQUAL(dmft_solve_checkpointed(&other, NULL, NULL, &resume, &result), DMFT_OK);
  dmft_result_free(&result);
  free(bytes);
  unlink(damaged);
}

/* A file made to pass the checksum (FNV-1a, which guards against accidents, not against a file
 * written to crash the reader): 400 checkpoints of a poisson solve half done, each with a few
 * bytes of its state overwritten and the checksum recomputed, are each either refused with one
 * line or resumed to the end; none may read or write out of bounds (the sanitizer build runs
 * this too). Indices out of range (a path's place in the jump lists or the arena, its cursor,
 * the march's counters, a finished group's rows) must be among the refused. */
static uint64_t fnv1a(const unsigned char *bytes, size_t n) {
  uint64_t h = 14695981039346656037ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ bytes[i]) * 1099511628211ULL;
  return h;
}

static void test_forged_checkpoints_are_refused_or_harmless(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.paths = 320;
  p.tmax = 1.0;
  p.threads = 1;
  dmft_solver_t *solver = NULL;
  CU_ASSERT_EQUAL_FATAL(dmft_solver_create(&p, NULL, NULL, &solver), DMFT_OK);
  CU_ASSERT_EQUAL_FATAL(dmft_solver_advance(solver, dmft_solver_steps(solver) / 2, NULL, 0), DMFT_OK);
  CU_ASSERT_EQUAL_FATAL(dmft_solver_save(solver, path), DMFT_OK);
  dmft_solver_free(&solver);
  FILE *in = fopen(path, "rb");
  CU_ASSERT_FATAL(in != NULL);
  fseek(in, 0, SEEK_END);
  const long size = ftell(in);
  rewind(in);
  unsigned char *original = malloc((size_t)size), *forged = malloc((size_t)size);
  CU_ASSERT_FATAL(original && forged && fread(original, 1, (size_t)size, in) == (size_t)size);
  fclose(in);
  const long header = 56; /* magic, format, version, signature, groups: refused before any state */
  dmft_rng_t rng;
  dmft_rng_seed(&rng, 5, 0, 0, 0);
  int refused = 0, resumed = 0;
  for (int trial = 0; trial < 400; trial++) {
    memcpy(forged, original, (size_t)size);
    const long at = header + (long)(dmft_rng_uniform(&rng) * (double)(size - 8 - header - 8));
    const int width = 1 + (int)(dmft_rng_uniform(&rng) * 8.0);
    for (int b = 0; b < width; b++) forged[at + b] = (unsigned char)(dmft_rng_uniform(&rng) * 256.0);
    const uint64_t checksum = fnv1a(forged, (size_t)size - 8);
    memcpy(forged + size - 8, &checksum, 8);
    FILE *out = fopen(path, "wb");
    CU_ASSERT_FATAL(out && fwrite(forged, 1, (size_t)size, out) == (size_t)size);
    fclose(out);
    char message[512] = "";
    CU_ASSERT_EQUAL_FATAL(dmft_solver_create(&p, NULL, NULL, &solver), DMFT_OK);
    if (dmft_solver_load(solver, path, message, sizeof message) != DMFT_OK) {
      refused++;
      CU_ASSERT(strncmp(message, "--resume ", 9) == 0 && strchr(message, '\n') == NULL);
    } else {
      resumed++;
      dmft_result_t *result = NULL;
      if (dmft_solver_advance(solver, dmft_solver_steps(solver), NULL, 0) == DMFT_OK) dmft_solver_result(solver, &result);
      dmft_result_free(&result);
    }
    dmft_solver_free(&solver);
  }
  fprintf(stderr, "  forged checkpoints: %d refused, %d resumed\n", refused, resumed);
  CU_ASSERT(refused > 0 && resumed > 0);
  free(original);
  free(forged);
  unlink(path);
}

int main(void) {
  snprintf(path, sizeof path, "/tmp/dmft-test-checkpoint-%ld.ckpt", (long)getpid());
  CU_TestInfo tests[] = {{"every engine resumes to the same bits", test_every_engine_resumes_to_the_same_bits},
                         {"the stages compose", test_the_stages_compose},
                         {"foreign or damaged checkpoints are refused", test_foreign_or_damaged_checkpoints_are_refused},
                         {"forged checkpoints are refused or harmless", test_forged_checkpoints_are_refused_or_harmless},
                         CU_TEST_INFO_NULL};
  const int failed = dmft_test_run("checkpoint", tests);
  unlink(path);
  return failed;
}
