/* The Volterra engine (dmft/volterra.h; derivation in docs/volterra.md).
 *
 * On the eigenbasis of the empirical covariance X^T X, each eigendirection s of the DMFT's
 * linear model evolves as u(k+1) = a_k(s) u(k) + eta_k dt (s theta* + sigma sqrt(s) eps') plus a
 * kick of variance c_k 2 L(k) s, with a_k(s) = 1 - eta_k dt (s + ridge) and
 * c_k = h_k^2 Var(dz_k). Writing u = A theta* + B eps' + G g + (noise), the coefficients A, B, G
 * and the noise variance V of every quadrature node follow one step at a time, and every
 * observable is a weighted sum over the nodes: O(K N) work and O(N) memory for K steps (plus
 * the output grid). The train loss L(k) is read before step k's kick, which is what makes the
 * recursion causal.
 *
 * The same recursion, unrolled, is a discrete Volterra equation of convolution type,
 *     L(k) = F(k) + sum_{m<k} kappa(k - m) L(m),   kappa(n) = (c / gamma) E[s^2 a^{2(n-1)}],
 * with F the train loss of gradient descent; the direct mode solves that form in O(K^2) with a
 * tabulated kernel, as a check of the recursion (constant coefficients only). Why not FFT-based
 * convolution: the kernel here is exactly a sum of N geometric sequences, so the convolution is
 * the N linear recurrences above, cheaper (O(K N)) than any convolution of a tabulated kernel
 * (O(K log^2 K) with FFTs) and exact rather than a quadrature of the kernel.
 *
 * The nodes and their weights (the empirical spectral measure, and with a covariance spectrum its
 * Sigma-weighted and per-class partners) come from solver/volterra_spectrum.h. */
#include "dmft/volterra.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "coefficients.h"
#include "volterra_spectrum.h"
#include "dmft/dmft.h"

/* As in the DMFT march: a second moment this many times its starting scale has left any
 * learning curve. */
#define EXPLOSION_FACTOR 1e8

const char *dmft_volterra_unsupported(const dmft_problem_t *problem) {
  const dmft_model_t *model = &problem->model;
  if (strcmp(model->loss->name, "squared") != 0 || strcmp(model->activation->name, "linear") != 0 ||
      strcmp(model->teacher->name, "linear") != 0)
    return "the linear model: --loss squared --activation linear --teacher linear";
  if (model->k != 1 || model->kstar != 1) return "--k 1 --kstar 1";
  if (model->regularizer && !model->regularizer->is_zero) return "ridge alone (--regularizer none)";
  if (problem->sampled_parameter_side) return "--parameter-side auto (nothing is sampled)";
  if (!problem->noise->increment_variance)
    return "a noise with independent increments: poisson, bernoulli, gauss or flow (not an epoch scheme)";
  if (problem->momentum_time > 0) return "no momentum (--momentum-time 0)";
  if (problem->volterra_direct && (problem->eta_schedule.kind != DMFT_SCHEDULE_CONSTANT ||
                                   problem->kappa_schedule.kind != DMFT_SCHEDULE_CONSTANT))
    return "constant --eta and --kappa with --volterra-direct (the convolution form has a kernel of the lag alone)";
  return NULL;
}

/* One quadrature node's state: u = A theta* + B eps' + G g + noise of variance V. */
typedef struct {
  double *A, *B, *G, *V;
} nodes_t;

/* What the observables need of the problem. */
typedef struct {
  double gamma, rho, sigma;
} scales_t;

/* What node j adds to the train loss, M and Q:
 * train = E[s ((A - 1)^2 rho + B^2 + G^2 + V) - 2 sigma sqrt(s) B] / (2 gamma) + sigma^2 / 2,
 * M = rho E[A], Q = E[A^2 rho + B^2 + G^2 + V], over mu. */
typedef struct {
  double train, m, q;
} sums_t;

static inline void add_node(const dmft__volterra_spectrum_t *sp, int j, double a, double b, double g, double v, double rho,
                            double sigma, sums_t *sums) {
  const double spread = b * b + g * g + v, miss = a - 1.0;
  sums->train += sp->weight[j] * (sp->s[j] * (miss * miss * rho + spread) - 2.0 * sigma * sp->root[j] * b);
  sums->m += sp->weight[j] * a;
  sums->q += sp->weight[j] * (a * a * rho + spread);
}

static double observables_from(const sums_t *sums, const scales_t *c, double *M, double *Q) {
  *M = sums->m * c->rho;
  *Q = sums->q;
  return sums->train / (2.0 * c->gamma) + 0.5 * c->sigma * c->sigma;
}

/* At an output row, a covariance spectrum's Sigma-weighted overlaps (over mu_Sigma) and each
 * class's (over mu_j): per node its A and A^2 rho + B^2 + G^2 + V once (into `terms`, 2 per node),
 * then one weighted sum per measure, contiguous in the nodes. */
static void spectral_overlaps(const dmft__volterra_spectrum_t *sp, const nodes_t *x, double rho, double *terms, dmft_result_t *r,
                              long row) {
  const int n = sp->count;
  double *a = terms, *quadratic = terms + n;
  for (int j = 0; j < n; j++) {
    a[j] = x->A[j];
    quadratic[j] = x->A[j] * x->A[j] * rho + x->B[j] * x->B[j] + x->G[j] * x->G[j] + x->V[j];
  }
  for (int c = -1; c < r->classes; c++) {
    const double *weights = c < 0 ? sp->weight_sigma : sp->class_weight + (size_t)c * (size_t)n;
    /* Four partial sums, combined in a fixed order: with one chain per sum these products took
     * 2.6 s of a 10^5-step, 200-class run at 1001 rows, with four 1.8 s (measured). */
    double m4[4] = {0.0, 0.0, 0.0, 0.0}, q4[4] = {0.0, 0.0, 0.0, 0.0};
    int j = 0;
    for (; j + 4 <= n; j += 4)
      for (int l = 0; l < 4; l++) {
        m4[l] += weights[j + l] * a[j + l];
        q4[l] += weights[j + l] * quadratic[j + l];
      }
    for (; j < n; j++) {
      m4[0] += weights[j] * a[j];
      q4[0] += weights[j] * quadratic[j];
    }
    const double m = (m4[0] + m4[1]) + (m4[2] + m4[3]), q = (q4[0] + q4[1]) + (q4[2] + q4[3]);
    if (c < 0) r->M_sigma[row] = m * rho, r->Q_sigma[row] = q;
    else {
      const size_t at = (size_t)row * (size_t)r->classes + (size_t)c;
      r->class_M[at] = m * rho, r->class_Q[at] = q;
    }
  }
}

/* The march, and what the output grid keeps of every node. */
typedef struct {
  const dmft_problem_t *problem;
  const dmft__coefficients_t *coefficients;
  dmft__volterra_spectrum_t spectrum;
  scales_t scales;
  nodes_t now;
  /* [rows][nodes]: A, B, G, V at each output step; S_i the product of a_q over
   * [step_{i-1}, step_i), T_i over [step_i + 1, step_{i+1}). */
  double *row_A, *row_B, *row_G, *row_V, *S, *T;
  double *since_row, *since_after_row; /* running products of a_q: from the last output step, and after it */
  const double *given_loss;            /* direct mode: the train loss that drives the kicks */
  double *terms;                       /* [2 nodes]: scratch of spectral_overlaps */
} march_t;

/* A decaying coefficient (a^k sqrt(theta0_var)) reaches the subnormal numbers, where the smallest
 * one times any a > 1/2 rounds back to itself: it would stay there, and arithmetic on subnormals
 * made a 10^6-step run eight times slower (measured). Anything this small is zero to every
 * observable (they hold its square). */
static double flush_subnormal(double x) { return fabs(x) < 1e-250 ? 0.0 : x; }

static double noise_of_step(const march_t *m, long k) {
  const dmft__coefficients_t *co = m->coefficients;
  return co->kick[k] * co->kick[k] * m->problem->noise->increment_variance(co->rate[k], m->problem->dt);
}

/* Steps 0..K. Returns the first step whose values are not finite or exploded (-1: none). */
static long march(march_t *m, dmft_result_t *r, double *train_of_step, dmft_progress_fn progress, void *user) {
  const dmft_problem_t *p = m->problem;
  const dmft__volterra_spectrum_t *sp = &m->spectrum;
  const int n = sp->count;
  const double scale = fmax(1.0, fmax(p->teacher_var, p->theta0_var + p->init_overlap * p->init_overlap * p->teacher_var));
  long row = 0;
  for (int j = 0; j < n; j++) {
    m->now.A[j] = p->init_overlap;
    m->now.B[j] = 0.0;
    m->now.G[j] = sqrt(p->theta0_var);
    m->now.V[j] = 0.0;
    m->since_row[j] = m->since_after_row[j] = 1.0;
  }
  const long report_every = r->steps / 200 + 1;
  /* The observables of step k come from the pass that made step k's state (step 0's from its own);
   * the kernels' running products only when there are kernels to make. */
  const int kernels = !p->no_kernels;
  sums_t sums = {0.0, 0.0, 0.0};
  for (int j = 0; j < n; j++) add_node(sp, j, m->now.A[j], m->now.B[j], m->now.G[j], m->now.V[j], m->scales.rho, m->scales.sigma, &sums);
  for (long k = 0; k <= r->steps; k++) {
    double M, Q;
    const double loss = observables_from(&sums, &m->scales, &M, &Q);
    if (train_of_step) train_of_step[k] = loss;
    if (!isfinite(loss) || !isfinite(Q) || !isfinite(M) || Q > EXPLOSION_FACTOR * scale) return k;
    if (row < r->rows && r->step[row] == k) {
      const size_t at = (size_t)row * (size_t)n;
      if (kernels) {
        memcpy(m->row_A + at, m->now.A, sizeof(double) * (size_t)n);
        memcpy(m->row_B + at, m->now.B, sizeof(double) * (size_t)n);
        memcpy(m->row_G + at, m->now.G, sizeof(double) * (size_t)n);
        memcpy(m->row_V + at, m->now.V, sizeof(double) * (size_t)n);
        if (row > 0) {
          memcpy(m->S + at, m->since_row, sizeof(double) * (size_t)n);
          memcpy(m->T + at - n, m->since_after_row, sizeof(double) * (size_t)n);
        }
        for (int j = 0; j < n; j++) m->since_row[j] = m->since_after_row[j] = 1.0;
      }
      r->M[row] = M;
      r->Q[row] = Q;
      if (r->classes > 0) spectral_overlaps(sp, &m->now, m->scales.rho, m->terms, r, row);
      r->train_loss[row] = m->given_loss ? m->given_loss[k] : loss;
      row++;
    }
    if (k == r->steps) break;
    const dmft__coefficients_t *co = m->coefficients;
    const double step = co->step_size[k], decay = co->decay[k], drive = step * m->scales.sigma;
    const double kicks = noise_of_step(m, k) * 2.0 * (m->given_loss ? m->given_loss[k] : loss);
    const int first_after_row = row > 0 && r->step[row - 1] == k;
    const double rho = m->scales.rho, sigma = m->scales.sigma;
    sums = (sums_t){0.0, 0.0, 0.0};
    for (int j = 0; j < n; j++) {
      const double s = sp->s[j], a = decay - step * s;
      const double A = a * m->now.A[j] + step * s, B = a * m->now.B[j] + drive * sp->root[j];
      const double G = flush_subnormal(a * m->now.G[j]), V = a * a * m->now.V[j] + kicks * s;
      m->now.A[j] = A, m->now.B[j] = B, m->now.G[j] = G, m->now.V[j] = V;
      add_node(sp, j, A, B, G, V, rho, sigma, &sums);
      if (kernels) {
        m->since_row[j] = flush_subnormal(m->since_row[j] * a);
        if (!first_after_row) m->since_after_row[j] = flush_subnormal(m->since_after_row[j] * a);
      }
    }
    if (progress && k % report_every == 0) progress((double)k / (double)r->steps, user);
  }
  return -1;
}

/* C(t_i, t_l) = E[u_i u_l] and R(t_i, t_l) = E[prod of a_q over (step_l, step_i)], i > l, from the
 * nodes kept at the output rows: O(rows^2 N). */
static void kernels_on_the_grid(const march_t *m, dmft_result_t *r, long rows_done, double *product, double *response) {
  const dmft__volterra_spectrum_t *sp = &m->spectrum;
  const int n = sp->count;
  const size_t planned = (size_t)r->rows;
  for (long l = 0; l < rows_done; l++) {
    const size_t at_l = (size_t)l * (size_t)n;
    for (int j = 0; j < n; j++) product[j] = 1.0;
    for (long i = l; i < rows_done; i++) {
      const size_t at_i = (size_t)i * (size_t)n;
      if (i > l)
        for (int j = 0; j < n; j++) product[j] *= m->S[at_i + j];
      if (i == l + 1)
        for (int j = 0; j < n; j++) response[j] = m->T[at_l + j];
      else if (i > l + 1)
        for (int j = 0; j < n; j++) response[j] *= m->S[at_i + j];
      double c = 0.0, rr = 0.0;
      for (int j = 0; j < n; j++) {
        c += sp->weight_sigma[j] * (m->row_A[at_i + j] * m->row_A[at_l + j] * m->scales.rho + m->row_B[at_i + j] * m->row_B[at_l + j] +
                              m->row_G[at_i + j] * m->row_G[at_l + j] + product[j] * m->row_V[at_l + j]);
        if (i > l) rr += sp->weight_sigma[j] * response[j];
      }
      r->C[(size_t)i * planned + (size_t)l] = r->C[(size_t)l * planned + (size_t)i] = c;
      if (i > l) r->R[(size_t)i * planned + (size_t)l] = rr;
    }
  }
}

/* The direct mode's train loss: F(k) of gradient descent (the march without kicks), then the
 * convolution L(k) = F(k) + sum_{m<k} kappa(k - m) L(m), O(K^2). */
static int convolution_train_loss(march_t *m, dmft_result_t *r, double *loss) {
  const long steps = r->steps;
  double *flow = malloc(sizeof(double) * (size_t)(steps + 1)), *kernel = malloc(sizeof(double) * (size_t)(steps + 1));
  if (!flow || !kernel) {
    free(flow);
    free(kernel);
    return DMFT_ENOMEM;
  }
  /* Gradient descent: the march with its kicks driven by a zero loss. */
  double *zero = calloc((size_t)(steps + 1), sizeof(double));
  if (!zero) {
    free(flow);
    free(kernel);
    return DMFT_ENOMEM;
  }
  /* Steps after a divergence of gradient descent stay NaN, and so does everything they reach. */
  for (long k = 0; k <= steps; k++) flow[k] = NAN;
  m->given_loss = zero;
  march(m, r, flow, NULL, NULL);
  m->given_loss = NULL;
  free(zero);
  const dmft__volterra_spectrum_t *sp = &m->spectrum;
  const double c = noise_of_step(m, 0), step = m->coefficients->step_size[0], decay = m->coefficients->decay[0];
  for (long lag = 1; lag <= steps; lag++) {
    double sum = 0.0;
    for (int j = 0; j < sp->count; j++) {
      const double s = sp->s[j], a = decay - step * s;
      sum += sp->weight[j] * s * s * pow(a * a, (double)(lag - 1));
    }
    kernel[lag] = c * sum / m->scales.gamma;
  }
  for (long k = 0; k <= steps; k++) {
    double sum = flow[k];
    for (long j = 0; j < k; j++) sum += kernel[k - j] * loss[j];
    loss[k] = sum;
  }
  free(flow);
  free(kernel);
  return DMFT_OK;
}

static void march_free(march_t *m) {
  free(m->now.A);
  free(m->now.B);
  free(m->now.G);
  free(m->now.V);
  free(m->row_A);
  free(m->row_B);
  free(m->row_G);
  free(m->row_V);
  free(m->S);
  free(m->T);
  free(m->since_row);
  free(m->since_after_row);
  free(m->terms);
  dmft__volterra_spectrum_free(&m->spectrum);
}

int dmft_volterra_solve(const dmft_problem_t *problem, dmft_progress_fn progress, void *user, dmft_result_t **result) {
  *result = NULL;
  if (dmft_volterra_unsupported(problem)) return DMFT_EINVAL;
  dmft__coefficients_t coefficients;
  if (dmft__coefficients_create(problem, &coefficients) != DMFT_OK) return DMFT_ENOMEM;
  dmft_result_t *r = dmft_result_alloc(problem);
  march_t m = {.problem = problem,
               .coefficients = &coefficients,
               .scales = {.gamma = problem->gamma, .rho = problem->teacher_var, .sigma = problem->model.label_noise}};
  const int spectrum_status = dmft__volterra_spectrum_create(&problem->spectrum, problem->gamma, &m.spectrum);
  const size_t n = (size_t)m.spectrum.count, rows = r ? (size_t)r->rows : 0;
  m.now = (nodes_t){malloc(sizeof(double) * n), malloc(sizeof(double) * n), malloc(sizeof(double) * n),
                    malloc(sizeof(double) * n)};
  m.row_A = malloc(sizeof(double) * rows * n);
  m.row_B = malloc(sizeof(double) * rows * n);
  m.row_G = malloc(sizeof(double) * rows * n);
  m.row_V = malloc(sizeof(double) * rows * n);
  m.S = calloc(rows * n, sizeof(double));
  m.T = calloc(rows * n, sizeof(double));
  m.since_row = malloc(sizeof(double) * n);
  m.since_after_row = malloc(sizeof(double) * n);
  m.terms = malloc(sizeof(double) * 2 * n);
  double *product = malloc(sizeof(double) * n), *response = malloc(sizeof(double) * n);
  double *direct_loss = problem->volterra_direct && r ? malloc(sizeof(double) * (size_t)(r->steps + 1)) : NULL;
  int status = spectrum_status != DMFT_OK ? spectrum_status : r && m.now.A && m.now.B && m.now.G && m.now.V && m.row_A && m.row_B && m.row_G && m.row_V && m.S && m.T &&
                       m.since_row && m.since_after_row && m.terms && product && response && (!problem->volterra_direct || direct_loss)
                   ? DMFT_OK
                   : DMFT_ENOMEM;
  if (status == DMFT_OK && direct_loss) status = convolution_train_loss(&m, r, direct_loss);
  if (status == DMFT_OK) {
    m.given_loss = direct_loss;
    const long diverged_step = march(&m, r, NULL, progress, user);
    long done = r->rows;
    if (diverged_step >= 0) {
      done = 0;
      while (done < r->rows && r->step[done] < diverged_step) done++;
      r->diverged_at = (double)diverged_step * problem->dt;
      status = DMFT_EDIVERGED;
    }
    r->rows_done = done;
    for (long i = 0; i < done; i++) {
      /* Squared loss with Gaussian label noise: the test loss is (Q - 2M + rho + sigma^2) / 2, of the
       * Sigma-weighted overlaps and E[lambda] rho with a covariance spectrum. */
      const double Q = r->classes ? r->Q_sigma[i] : r->Q[i], M = r->classes ? r->M_sigma[i] : r->M[i];
      r->test_loss[i] = 0.5 * (Q - 2.0 * M + dmft_problem_field_teacher_var(problem) + m.scales.sigma * m.scales.sigma);
    }
    if (!problem->no_kernels) {
      kernels_on_the_grid(&m, r, done, product, response);
    } else { /* not computed: not in the result either */
      free(r->C), free(r->C_se), free(r->R), free(r->R_se);
      r->C = r->C_se = r->R = r->R_se = NULL;
    }
    if (progress) progress(1.0, user);
  }
  free(product);
  free(response);
  free(direct_loss);
  march_free(&m);
  dmft__coefficients_free(&coefficients);
  if (status != DMFT_OK && status != DMFT_EDIVERGED) {
    dmft_result_free(&r);
    return status;
  }
  *result = r;
  return status;
}
