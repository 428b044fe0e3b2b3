/* dmft validate --suite paper: the three experiments of the paper (seed/paper-summary.md,
 * "First 3 experiments"), each a set of pairings of a DMFT solution with simulations, each
 * pairing with the verdict the theory expects:
 *   1. linear regression: SGD and SME agree with each other and with the solver;
 *   2. Huber loss on a tanh student at a large step: SGD and SME are clearly distinct, each
 *      matched by its own DMFT, and both differ from gradient flow. At a large step the time
 *      discretization error of a DMFT solution is not small (it grows with eta/kappa,
 *      equations.md §3), so this experiment compares every solution with the algorithm at the
 *      same step dt: SGD with extensive batches (each sample in a batch with probability
 *      kappa dt), SME by Euler–Maruyama and gradient descent, all at dt = 0.05. What separates
 *      SGD from SME is then the law of the noise alone;
 *   3. batch-size invariance: mini-batch SGD at alpha = 0, 0.5, 0.9 against the poisson DMFT;
 *      alpha = 0.9 takes a fifth of the data or more per step at these sizes, so its approach to
 *      the Poisson limit is slow: it is shown against n, and matched by the bernoulli DMFT at its
 *      own step kappa_n / (kappa n), size by size.
 * Every pairing writes its report under DIR/<experiment>/<pairing>/; DIR/index.html and
 * DIR/report.md summarize. Exit 0 when every verdict is the expected one. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "progress.h"
#include "validation.h"

typedef enum { EXPECT_PASS, EXPECT_FAIL, EXPECT_TREND } expectation_t;

typedef struct {
  const char *experiment;
  const char *name;
  dmft_problem_t problem;
  dmft_algorithm_t algorithm;
  double alpha;
  expectation_t expected;
  long only_size; /* > 0: this pairing uses a single size (its dt depends on n) */
} pairing_t;

typedef struct {
  pairing_t pairing;
  int ran, pass, met;
  double largest_z, slope;
  char message[256];
} outcome_t;

static dmft_problem_t linear_regression(void) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p);
  p.model.loss = dmft_loss_find("squared");
  p.model.activation = dmft_activation_find("linear");
  p.model.teacher = dmft_teacher_find("linear");
  p.model.label_noise = 0.5;
  p.ridge = 0.1, p.eta = 0.5, p.gamma = 2.0, p.tmax = 4.0, p.paths = 40000;
  p.dt = 0.02, p.output_every = 10; /* a small step: the solutions stand for the dt -> 0 limit */
  return p;
}

static dmft_problem_t huber_tanh(double eta, double tmax) {
  dmft_problem_t p;
  dmft_problem_set_defaults(&p); /* Huber loss, tanh student and teacher, label noise 0.3 */
  p.eta = eta, p.tmax = tmax, p.output_every = 4, p.paths = 40000;
  return p;
}

static dmft_problem_t with_noise(dmft_problem_t p, const char *noise) {
  p.noise = dmft_noise_find(noise);
  return p;
}

static long batch_of(double kappa, long n, double alpha) {
  const long batch = lround(kappa * pow((double)n, alpha));
  return batch < 1 ? 1 : batch > n ? n : batch;
}

static const char *expectation_name(expectation_t e) {
  return e == EXPECT_PASS ? "PASS" : e == EXPECT_FAIL ? "FAIL" : "trend in n";
}

static int run_pairing(const cli_options_t *options, const char *directory, outcome_t *outcome) {
  pairing_t *pairing = &outcome->pairing;
  cli_options_t local = *options;
  local.algorithm = pairing->algorithm;
  local.algorithm_given = 1;
  local.alpha = pairing->alpha;
  if (pairing->only_size > 0) {
    local.sizes[0] = pairing->only_size;
    local.size_count = 1;
  }
  char path[4200], title[256];
  snprintf(path, sizeof path, "%s/%s", directory, pairing->experiment);
  if (cli_report_make_directory(path, outcome->message, sizeof outcome->message) != 0) return 2;
  snprintf(path, sizeof path, "%s/%s/%s", directory, pairing->experiment, pairing->name);
  if (cli_report_make_directory(path, outcome->message, sizeof outcome->message) != 0) return 2;
  cli_validation_title(&local, &pairing->problem, title, sizeof title);
  if (!options->quiet) fprintf(stderr, "dmft validate --suite paper: %s/%s: %s\n", pairing->experiment, pairing->name, title);
  cli_validation_t validation;
  const int status = cli_validation_run(&local, &pairing->problem, title, path, &validation, outcome->message,
                                        sizeof outcome->message);
  if (status == 0) {
    outcome->ran = 1;
    outcome->pass = validation.pass;
    outcome->largest_z = validation.largest_z;
    outcome->slope = validation.slope;
    outcome->met = pairing->expected == EXPECT_TREND || (pairing->expected == EXPECT_PASS) == validation.pass;
  }
  cli_validation_free(&validation);
  return status;
}

static void write_summary(const char *directory, const outcome_t *outcomes, int count, FILE *markdown) {
  char path[4200];
  snprintf(path, sizeof path, "%s/index.html", directory);
  FILE *html = fopen(path, "w");
  if (!html) return;
  fprintf(html, "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>dmft: the paper's three experiments</title>"
                "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}"
                "td,th{border:1px solid #bbb;padding:4px 8px}.ok{color:#1a7f37}.bad{color:#c62828}</style></head><body>\n"
                "<h1>The paper's three experiments</h1>\n<p>Each row pairs a DMFT solution with finite-n simulations; the "
                "verdict is PASS when every deviation is within the tolerance (combined standard errors, Bonferroni at "
                "1%%). Time is in epochs. Click a pairing for its plots.</p>\n<table><tr><th>experiment</th><th>pairing"
                "</th><th>expected</th><th>verdict</th><th>largest deviation</th><th>finite-size slope</th><th>as "
                "expected</th></tr>\n");
  fprintf(markdown, "| experiment | pairing | expected | verdict | largest deviation | finite-size slope | as expected |\n"
                    "|---|---|---|---|---|---|---|\n");
  for (int i = 0; i < count; i++) {
    const outcome_t *o = &outcomes[i];
    const char *verdict = o->ran ? (o->pass ? "PASS" : "FAIL") : "error";
    fprintf(html, "<tr><td>%s</td><td><a href='%s/%s/index.html'>%s</a></td><td>%s</td><td>%s</td><td>%.2f</td><td>%.2f"
                  "</td><td class='%s'>%s</td></tr>\n",
            o->pairing.experiment, o->pairing.experiment, o->pairing.name, o->pairing.name,
            expectation_name(o->pairing.expected), verdict, o->largest_z, o->slope, o->met ? "ok" : "bad",
            o->met ? "yes" : "NO");
    fprintf(markdown, "| %s | %s | %s | %s | %.2f | %.2f | %s |\n", o->pairing.experiment, o->pairing.name,
            expectation_name(o->pairing.expected), verdict, o->largest_z, o->slope, o->met ? "yes" : "NO");
  }
  fprintf(html, "</table></body></html>\n");
  fclose(html);
}

/* The quick suite keeps one decisive pairing of each experiment. */
static int in_quick_suite(const pairing_t *pairing) {
  const int first = pairing->experiment[0] == '1', second = pairing->experiment[0] == '2';
  return (first && strcmp(pairing->name, "poisson-vs-sgd") == 0) ||
         (second && (strcmp(pairing->name, "bernoulli-vs-sgd") == 0 || strcmp(pairing->name, "gauss-vs-sgd") == 0)) ||
         strncmp(pairing->name, "bernoulli-own-step", 18) == 0;
}

int cli_suite_paper(const cli_options_t *options, const char *directory, const char *published, int quick) {
  cli_options_t base = *options;
  if (!options->sizes_given) {
    const long sizes[] = {1000, 2000, 4000};
    memcpy(base.sizes, sizes, sizeof sizes);
    base.size_count = quick ? 2 : 3;
  }
  if (!options->seeds_given) base.seeds = 8;

  pairing_t pairings[32];
  int count = 0;
  const dmft_problem_t linear = linear_regression(), huber = huber_tanh(2.5, 4.0), invariance = huber_tanh(1.0, 3.0);
  pairings[count++] = (pairing_t){"1-linear-regression", "poisson-vs-sgd", with_noise(linear, "poisson"), DMFT_SIMULATE_SGD, 0.5, EXPECT_PASS, 0};
  pairings[count++] = (pairing_t){"1-linear-regression", "gauss-vs-sme", with_noise(linear, "gauss"), DMFT_SIMULATE_SME, 0.5, EXPECT_PASS, 0};
  pairings[count++] = (pairing_t){"1-linear-regression", "gauss-vs-sgd", with_noise(linear, "gauss"), DMFT_SIMULATE_SGD, 0.5, EXPECT_PASS, 0};
  pairings[count++] = (pairing_t){"2-huber-tanh", "bernoulli-vs-sgd", with_noise(huber, "bernoulli"), DMFT_SIMULATE_EXTENSIVE, 0.5, EXPECT_PASS, 0};
  pairings[count++] = (pairing_t){"2-huber-tanh", "gauss-vs-sme", with_noise(huber, "gauss"), DMFT_SIMULATE_SME, 0.5, EXPECT_PASS, 0};
  pairings[count++] = (pairing_t){"2-huber-tanh", "flow-vs-gd", with_noise(huber, "flow"), DMFT_SIMULATE_GD, 0.5, EXPECT_PASS, 0};
  pairings[count++] = (pairing_t){"2-huber-tanh", "gauss-vs-sgd", with_noise(huber, "gauss"), DMFT_SIMULATE_EXTENSIVE, 0.5, EXPECT_FAIL, 0};
  pairings[count++] = (pairing_t){"2-huber-tanh", "bernoulli-vs-sme", with_noise(huber, "bernoulli"), DMFT_SIMULATE_SME, 0.5, EXPECT_FAIL, 0};
  pairings[count++] = (pairing_t){"2-huber-tanh", "flow-vs-sgd", with_noise(huber, "flow"), DMFT_SIMULATE_EXTENSIVE, 0.5, EXPECT_FAIL, 0};
  dmft_problem_t fine = with_noise(invariance, "poisson");
  fine.dt = 0.02, fine.output_every = 10;
  pairings[count++] = (pairing_t){"3-batch-size-invariance", "poisson-vs-sgd-alpha-0", fine, DMFT_SIMULATE_SGD, 0.0, EXPECT_PASS, 0};
  pairings[count++] = (pairing_t){"3-batch-size-invariance", "poisson-vs-sgd-alpha-0.5", fine, DMFT_SIMULATE_SGD, 0.5, EXPECT_PASS, 0};
  pairings[count++] = (pairing_t){"3-batch-size-invariance", "poisson-vs-sgd-alpha-0.9", fine, DMFT_SIMULATE_SGD, 0.9, EXPECT_TREND, 0};
  /* alpha = 0.9 at each size: the bernoulli DMFT at the simulation's own step describes it. */
  static char names[CLI_MAX_SIZES][64];
  for (int i = 0; i < base.size_count && count < 32; i++) {
    const long n = base.sizes[i], batch = batch_of(invariance.kappa, n, 0.9);
    dmft_problem_t own = with_noise(invariance, "bernoulli");
    own.dt = (double)batch / (invariance.kappa * (double)n);
    own.tmax = own.dt * ceil(invariance.tmax / own.dt - 1e-9);
    own.output_every = 1;
    snprintf(names[i], sizeof names[i], "bernoulli-own-step-vs-sgd-alpha-0.9-n%ld", n);
    pairings[count++] = (pairing_t){"3-batch-size-invariance", names[i], own, DMFT_SIMULATE_SGD, 0.9, EXPECT_PASS, n};
  }

  if (quick) {
    int kept = 0;
    for (int i = 0; i < count; i++)
      if (in_quick_suite(&pairings[i])) pairings[kept++] = pairings[i];
    count = kept;
  }
  outcome_t outcomes[32];
  int all_met = 1;
  const double started = cli_seconds_now();
  for (int i = 0; i < count; i++) {
    outcomes[i] = (outcome_t){.pairing = pairings[i]};
    const int status = run_pairing(&base, directory, &outcomes[i]);
    if (status != 0) fprintf(stderr, "dmft validate --suite paper: %s/%s: %s\n", pairings[i].experiment, pairings[i].name,
                             outcomes[i].message);
    all_met = all_met && status == 0 && outcomes[i].met;
  }
  char path[4200];
  snprintf(path, sizeof path, "%s/report.md", directory);
  FILE *markdown = fopen(path, "w");
  if (markdown) {
    fprintf(markdown, "# The paper's three experiments\n\nSizes n =");
    for (int i = 0; i < base.size_count; i++) fprintf(markdown, " %ld", base.sizes[i]);
    fprintf(markdown, ", %d seeds each; deviations in combined standard errors.\n\n", base.seeds);
    write_summary(directory, outcomes, count, markdown);
    fclose(markdown);
  }
  printf("dmft validate --suite paper: %d pairings in %.0f s\n\n", count, cli_seconds_now() - started);
  for (int i = 0; i < count; i++)
    printf("  %-24s %-44s expected %-10s got %-5s (largest deviation %6.2f, slope %5.2f)%s\n", outcomes[i].pairing.experiment,
           outcomes[i].pairing.name, expectation_name(outcomes[i].pairing.expected),
           outcomes[i].ran ? (outcomes[i].pass ? "PASS" : "FAIL") : "error", outcomes[i].largest_z, outcomes[i].slope,
           outcomes[i].met ? "" : "  <-- not as expected");
  printf("\nReport: %s/index.html and %s/report.md\n%s\n", published, published,
         all_met ? "Every verdict is the expected one." : "NOT every verdict is the expected one.");
  return all_met ? 0 : 1;
}
