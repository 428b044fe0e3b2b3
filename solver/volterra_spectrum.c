#define _XOPEN_SOURCE 700 /* M_PI */
#include "volterra_spectrum.h"

#include <complex.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dmft/status.h"

/* The population spectrum with its classes merged by eigenvalue (the map's poles). */
typedef struct {
  int classes;
  const double *lambda, *nu;
  double gamma;
} population_t;

/* 1/z as conj(z)/|z|^2: the arguments here are far from overflow, and the library's careful
 * complex division took a sixth of a 10^5-step run with 200 classes (perf). */
static inline double complex reciprocal(double complex z) {
  const double re = creal(z), im = cimag(z);
  return conj(z) / (re * re + im * im);
}

/* z(m) = -1/m + E[lambda / (1 + gamma lambda m)] and its derivatives in m. */
static double complex map_at(const population_t *p, double complex m) {
  double complex sum = -reciprocal(m);
  for (int j = 0; j < p->classes; j++) sum += p->nu[j] * p->lambda[j] * reciprocal(1.0 + p->gamma * p->lambda[j] * m);
  return sum;
}

static double complex map_slope(const population_t *p, double complex m) {
  double complex sum = reciprocal(m * m);
  for (int j = 0; j < p->classes; j++) {
    const double complex t = 1.0 + p->gamma * p->lambda[j] * m;
    sum -= p->nu[j] * p->gamma * p->lambda[j] * p->lambda[j] * reciprocal(t * t);
  }
  return sum;
}

static double map_curvature(const population_t *p, double m) {
  double sum = -2.0 / (m * m * m);
  for (int j = 0; j < p->classes; j++) {
    const double t = 1.0 + p->gamma * p->lambda[j] * m;
    sum += 2.0 * p->nu[j] * p->gamma * p->gamma * p->lambda[j] * p->lambda[j] * p->lambda[j] / (t * t * t);
  }
  return sum;
}

/* m^2 z'(m), whose zeros are the critical points: 1 - E[(gamma lambda m / (1 + gamma lambda m))^2] / gamma. */
static double critical_function(double m, void *user) {
  const population_t *p = user;
  double sum = 0.0;
  for (int j = 0; j < p->classes; j++) {
    const double t = p->gamma * p->lambda[j] * m / (1.0 + p->gamma * p->lambda[j] * m);
    sum += p->nu[j] * t * t;
  }
  return 1.0 - sum / p->gamma;
}

typedef struct {
  double m, value; /* a real critical point and z there */
} critical_t;

/* The zeros of critical_function on (lo, hi) (either end may be infinite), by sampling in a
 * variable that resolves both ends and refining each sign change with Brent's method. */
static int critical_points(const population_t *p, double lo, double hi, critical_t *out, int room) {
  enum { SAMPLES = 600 };
  double x[SAMPLES];
  for (int i = 0; i < SAMPLES; i++) {
    const double u = (i + 0.5) / SAMPLES;
    if (isinf(lo)) x[i] = hi - fabs(hi) * pow(10.0, -9.0 + 18.0 * u);              /* hi - 1e-9|hi| ... hi - 1e9|hi| */
    else if (isinf(hi)) x[i] = pow(10.0, -12.0 + 24.0 * u);                         /* (0, inf) */
    else x[i] = lo + (hi - lo) * 0.5 * (1.0 - cos(M_PI * u));                       /* clustered at both poles */
  }
  if (isinf(lo)) /* ascending order */
    for (int i = 0; i < SAMPLES / 2; i++) {
      const double swap = x[i];
      x[i] = x[SAMPLES - 1 - i];
      x[SAMPLES - 1 - i] = swap;
    }
  gsl_function function = {.function = critical_function, .params = (void *)p};
  gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  if (!solver) return -1;
  int found = 0;
  double previous = critical_function(x[0], (void *)p);
  for (int i = 1; i < SAMPLES && found < room; i++) {
    const double value = critical_function(x[i], (void *)p);
    if ((previous < 0) != (value < 0)) {
      gsl_root_fsolver_set(solver, &function, x[i - 1], x[i]);
      double root = x[i];
      for (int iteration = 0; iteration < 200; iteration++) {
        gsl_root_fsolver_iterate(solver);
        root = gsl_root_fsolver_root(solver);
        const double a = gsl_root_fsolver_x_lower(solver), b = gsl_root_fsolver_x_upper(solver);
        if (gsl_root_test_interval(a, b, 0.0, 1e-15) == GSL_SUCCESS) break;
      }
      out[found++] = (critical_t){.m = root, .value = creal(map_at(p, root))};
    }
    previous = value;
  }
  gsl_root_fsolver_free(solver);
  return found;
}

typedef struct {
  double low, high;         /* the band [low, high] */
  double low_m, high_m;     /* the critical points at its edges (NAN: a hard edge at 0) */
} band_t;

/* The support as bands, from the critical values: below the lowest lower edge, above the highest
 * upper edge and inside each gap, the map is increasing on the real line. Returns the number of
 * bands, or -1. */
static int find_bands(const population_t *p, band_t *bands, int room) {
  const int poles = p->classes;
  /* The poles -1/(gamma lambda_j), ascending. */
  double *pole = malloc(sizeof(double) * (size_t)poles);
  if (!pole) return -1;
  for (int j = 0; j < poles; j++) pole[j] = -1.0 / (p->gamma * p->lambda[j]);
  for (int i = 1; i < poles; i++) /* insertion sort: few classes */
    for (int j = i; j > 0 && pole[j - 1] > pole[j]; j--) {
      const double swap = pole[j];
      pole[j] = pole[j - 1];
      pole[j - 1] = swap;
    }
  int count = 0, bands_found = 0;
  /* The lower edge: on (-inf, first pole) when gamma > 1, on (0, inf) when gamma < 1; 0 (a hard
   * edge) at gamma = 1. */
  critical_t lower = {.m = NAN, .value = 0.0};
  if (critical_points(p, -INFINITY, pole[0], &lower, 1) != 1 && critical_points(p, 0.0, INFINITY, &lower, 1) != 1)
    lower = (critical_t){.m = NAN, .value = 0.0};
  critical_t upper;
  if (critical_points(p, pole[poles - 1], 0.0, &upper, 1) != 1) {
    free(pole);
    return -1;
  }
  /* Gaps: the pairs of critical points between consecutive poles (a local minimum of z, the top
   * of the band below, then a local maximum, the bottom of the band above). */
  double gap_low[DMFT_SPECTRUM_MAX_CLASSES], gap_high[DMFT_SPECTRUM_MAX_CLASSES], gap_low_m[DMFT_SPECTRUM_MAX_CLASSES],
      gap_high_m[DMFT_SPECTRUM_MAX_CLASSES];
  int gaps = 0;
  for (int j = 0; j + 1 < poles; j++) {
    critical_t pair[4];
    const int n = critical_points(p, pole[j], pole[j + 1], pair, 4);
    if (n == 2 && pair[0].value < pair[1].value && pair[1].value > lower.value && pair[0].value < upper.value) {
      gap_low[gaps] = fmax(pair[0].value, lower.value);
      gap_low_m[gaps] = pair[0].m;
      gap_high[gaps] = pair[1].value;
      gap_high_m[gaps] = pair[1].m;
      gaps++;
    } else if (n != 0 && n != 2) {
      count = -1;
    }
  }
  /* Gaps sorted by position; bands between them. */
  for (int i = 1; i < gaps; i++)
    for (int j = i; j > 0 && gap_low[j - 1] > gap_low[j]; j--) {
      double *arrays[4] = {gap_low, gap_high, gap_low_m, gap_high_m};
      for (int a = 0; a < 4; a++) {
        const double swap = arrays[a][j];
        arrays[a][j] = arrays[a][j - 1];
        arrays[a][j - 1] = swap;
      }
    }
  double start = lower.value, start_m = lower.m;
  for (int g = 0; g <= gaps && count >= 0 && bands_found < room; g++) {
    const double end = g < gaps ? gap_low[g] : upper.value, end_m = g < gaps ? gap_low_m[g] : upper.m;
    if (end > start) bands[bands_found++] = (band_t){.low = start, .high = end, .low_m = start_m, .high_m = end_m};
    if (g < gaps) start = gap_high[g], start_m = gap_high_m[g];
  }
  free(pole);
  return count < 0 ? -1 : bands_found;
}

/* The solution m of z(m) = x with Im m > 0, by Newton from `guess`, each step halved until it
 * keeps Im m > 0 and lowers |z(m) - x|. The residual is measured against the size of the terms,
 * |x| + 1/|m|: near a hard edge at 0 both are tiny (x ~ 1e-17 at the last node). 1 on convergence. */
static int solve_at(const population_t *p, double x, double complex guess, double complex *out) {
  double complex m = guess;
  double residual = cabs(map_at(p, m) - x);
  for (int iteration = 0; iteration < 200; iteration++) {
    const double scale = fabs(x) + 1.0 / cabs(m);
    if (residual <= 1e-15 * scale) break;
    const double complex step = (map_at(p, m) - x) / map_slope(p, m);
    double factor = 1.0;
    double complex next = m - step;
    double next_residual = cimag(next) > 0 ? cabs(map_at(p, next) - x) : INFINITY;
    while ((cimag(next) <= 0 || !(next_residual < residual)) && factor > 1e-12) {
      factor *= 0.5;
      next = m - factor * step;
      next_residual = cimag(next) > 0 ? cabs(map_at(p, next) - x) : INFINITY;
    }
    if (factor <= 1e-12) break; /* no step lowers the residual: as close as rounding allows */
    m = next;
    residual = next_residual;
  }
  *out = m;
  return residual <= 1e-12 * (fabs(x) + 1.0 / cabs(m)) && cimag(m) > 0;
}

/* A first guess near a soft edge at critical point m_c with value edge: z(m) ~ edge + z''(m_c)
 * (m - m_c)^2 / 2, so m ~ m_c + i sqrt(2 |x - edge| / |z''(m_c)|). */
static double complex near_edge(const population_t *p, double edge_m, double edge, double x) {
  if (isnan(edge_m)) return I * sqrt(fmax(x, 1e-300)); /* a hard edge at 0 (gamma = 1): m ~ i / sqrt(x) up to a constant */
  return edge_m + I * sqrt(2.0 * fabs(x - edge) / fabs(map_curvature(p, edge_m)));
}

/* Marchenko-Pastur for X^T X, X n x d with N(0, 1/d) entries, n = gamma d: the density
 * proportional to sqrt((b - s)(s - a)) / s on [a, b] = [(sqrt(gamma) - 1)^2, (sqrt(gamma) + 1)^2]
 * with mass min(gamma, 1), and an atom at s = 0 of mass 1 - gamma when gamma < 1. In the angle
 * theta of sqrt(s) = c + r cos(theta) (c, r the centre and half-width of [sqrt(a), sqrt(b)]) the
 * measure is 2 r^2 sin^2(theta) sqrt((sqrt(b) + sqrt(s)) (sqrt(s) + sqrt(a))) / sqrt(s) dtheta,
 * analytic on [0, pi] even at gamma = 1 where a = 0 and the density itself is infinite at 0:
 * Gauss-Legendre in theta converges geometrically (a Chebyshev rule in s, exact for the square
 * root but not for the 1/s, was off by 1e-3 at gamma = 1; measured). */
static int marchenko_pastur(double gamma, dmft__volterra_spectrum_t *spectrum) {
  const int n = DMFT_VOLTERRA_NODES_PER_BAND;
  const size_t nodes = (size_t)n + 1;
  spectrum->s = malloc(sizeof(double) * nodes);
  spectrum->root = malloc(sizeof(double) * nodes);
  spectrum->weight = malloc(sizeof(double) * nodes);
  spectrum->weight_sigma = malloc(sizeof(double) * nodes);
  gsl_integration_glfixed_table *table = gsl_integration_glfixed_table_alloc((size_t)n);
  if (!spectrum->s || !spectrum->root || !spectrum->weight || !spectrum->weight_sigma || !table) {
    gsl_integration_glfixed_table_free(table);
    dmft__volterra_spectrum_free(spectrum);
    return DMFT_ENOMEM;
  }
  const double root = sqrt(gamma), low = fabs(root - 1.0), high = root + 1.0;
  const double centre = 0.5 * (low + high), half = 0.5 * (high - low);
  double mass = 0.0;
  for (int j = 0; j < n; j++) {
    double theta, weight;
    gsl_integration_glfixed_point(0.0, M_PI, (size_t)j, &theta, &weight, table);
    const double r = centre + half * cos(theta), sine = sin(theta);
    spectrum->s[j] = r * r;
    spectrum->weight[j] = weight * 2.0 * half * half * sine * sine * sqrt((high + r) * (r + low)) / r;
    mass += spectrum->weight[j];
  }
  gsl_integration_glfixed_table_free(table);
  const double atom = gamma < 1.0 ? 1.0 - gamma : 0.0;
  for (int j = 0; j < n; j++) spectrum->weight[j] *= (1.0 - atom) / mass;
  spectrum->count = n;
  if (atom > 0) {
    spectrum->s[n] = 0.0;
    spectrum->weight[n] = atom;
    spectrum->count = n + 1;
  }
  for (int j = 0; j < spectrum->count; j++) spectrum->root[j] = sqrt(spectrum->s[j]);
  memcpy(spectrum->weight_sigma, spectrum->weight, sizeof(double) * (size_t)spectrum->count); /* Sigma = I */
  spectrum->bands = 1;
  return DMFT_OK;
}

/* A band is integrated in the angle theta of sqrt(x) = centre + half cos(theta), theta in [0, pi]
 * (the top of the band at 0): there the measure is analytic up to its edges, square-root or hard.
 * Where classes merge into one band the density can nearly vanish between them, a narrow dip
 * that a single rule resolves slowly (2048 nodes were still 1e-5 off on a 32-class power law), so
 * the angle is cut adaptively into pieces, each with a PIECE_NODES-point Gauss-Legendre rule,
 * until halving a piece changes its integrals by less than 1e-15 of the band's. */
enum { PIECE_NODES = 32, SKELETON = 4096, FIRST_PIECES = 2, MOST_PIECES = 1 << 14 };

typedef struct {
  const population_t *p;
  const band_t *band;
  double centre, half;
  double complex skeleton[SKELETON]; /* m at theta = pi (i + 1/2) / SKELETON: first guesses */
  gsl_integration_glfixed_table *table;
} band_rule_t;

/* The skeleton by continuation from the top of the band. 1, or 0 if the equation failed. */
static int band_rule_init(band_rule_t *rule, const population_t *p, const band_t *band) {
  rule->p = p;
  rule->band = band;
  const double low = sqrt(band->low), high = sqrt(band->high);
  rule->centre = 0.5 * (low + high);
  rule->half = 0.5 * (high - low);
  rule->table = gsl_integration_glfixed_table_alloc(PIECE_NODES);
  if (!rule->table) return 0;
  double complex m = 0.0;
  for (int i = 0; i < SKELETON; i++) {
    const double theta = M_PI * (i + 0.5) / SKELETON, r = rule->centre + rule->half * cos(theta), x = r * r;
    const double complex guess = i == 0 ? near_edge(p, band->high_m, band->high, x) : m;
    if (!solve_at(p, x, guess, &m) && !solve_at(p, x, near_edge(p, band->low_m, band->low, x), &m)) return 0;
    rule->skeleton[i] = m;
  }
  return 1;
}

/* The rule's nodes on [from, to]: x, sqrt(x) and the weights of mu, mu_Sigma and each mu_j
 * (class_weight[c * stride + i]). 1, or 0 when the equation failed at a node. */
static int piece_nodes(const band_rule_t *rule, double from, double to, double *s, double *root, double *weight,
                       double *weight_sigma, double *class_weight, size_t stride) {
  const population_t *p = rule->p;
  for (int i = 0; i < PIECE_NODES; i++) {
    double theta, w;
    gsl_integration_glfixed_point(from, to, (size_t)i, &theta, &w, rule->table);
    const double r = rule->centre + rule->half * cos(theta), x = r * r;
    int nearest = (int)(theta / M_PI * SKELETON);
    nearest = nearest < 0 ? 0 : nearest >= SKELETON ? SKELETON - 1 : nearest;
    double complex m;
    if (!solve_at(p, x, rule->skeleton[nearest], &m)) return 0;
    const double jacobian = w * 2.0 * r * rule->half * sin(theta) / M_PI; /* dx = 2 r half sin(theta) dtheta */
    s[i] = x;
    root[i] = r;
    weight[i] = jacobian * p->gamma * cimag(m);
    weight_sigma[i] = jacobian * cimag(m) / (x * creal(m * conj(m)));
    for (int c = 0; c < p->classes; c++)
      class_weight[(size_t)c * stride + (size_t)i] = jacobian * cimag(-1.0 / (x * (1.0 + p->gamma * p->lambda[c] * m)));
  }
  return 1;
}

/* A piece's mass under mu and mu_Sigma and mu's second moment (NAN if the equation failed). */
static void piece_integrals(const band_rule_t *rule, double from, double to, double *scratch, double integrals[3]) {
  const int n = PIECE_NODES;
  double *s = scratch, *root = s + n, *weight = root + n, *weight_sigma = weight + n, *classes = weight_sigma + n;
  integrals[0] = integrals[1] = integrals[2] = NAN;
  if (!piece_nodes(rule, from, to, s, root, weight, weight_sigma, classes, (size_t)n)) return;
  integrals[0] = integrals[1] = integrals[2] = 0.0;
  for (int i = 0; i < n; i++) {
    integrals[0] += weight[i];
    integrals[1] += weight_sigma[i];
    integrals[2] += weight[i] * s[i] * s[i];
  }
}

typedef struct {
  double from, to;
} piece_t;

/* The accepted pieces of a band (appended to *pieces, *count of them, room for MOST_PIECES):
 * a piece is kept when its two halves integrate to what it does within 1e-15 of the band's
 * integrals (the halves are kept, the finer rule), else both halves are examined in turn. 1, or
 * 0 when the equation failed or the pieces ran out. */
static int cut_band(const band_rule_t *rule, double *scratch, piece_t *pieces, int *count) {
  /* Pieces still to examine, each with its integrals (computed once: a half becomes a piece). */
  struct {
    piece_t piece;
    double integrals[3];
  } stack[64 * FIRST_PIECES], first[FIRST_PIECES];
  int top = 0;
  double band_total[3] = {0.0, 0.0, 0.0};
  for (int i = 0; i < FIRST_PIECES; i++) {
    first[i].piece = (piece_t){M_PI * i / FIRST_PIECES, M_PI * (i + 1) / FIRST_PIECES};
    piece_integrals(rule, first[i].piece.from, first[i].piece.to, scratch, first[i].integrals);
    for (int k = 0; k < 3; k++) band_total[k] += fabs(first[i].integrals[k]);
  }
  for (int i = FIRST_PIECES - 1; i >= 0; i--) stack[top++] = first[i]; /* examined from the band's top */
  if (!(band_total[0] > 0 && isfinite(band_total[0] + band_total[1] + band_total[2]))) return 0;
  while (top > 0) {
    top--;
    const piece_t piece = stack[top].piece;
    double whole[3];
    memcpy(whole, stack[top].integrals, sizeof whole);
    const double middle = 0.5 * (piece.from + piece.to);
    double left[3], right[3];
    piece_integrals(rule, piece.from, middle, scratch, left);
    piece_integrals(rule, middle, piece.to, scratch, right);
    int agree = 1;
    for (int k = 0; k < 3; k++) agree = agree && fabs(left[k] + right[k] - whole[k]) <= 1e-15 * band_total[k];
    if (agree || piece.to - piece.from < 1e-9) { /* converged, or as fine as the angle resolves */
      if (*count + 2 > MOST_PIECES || !isfinite(left[0] + right[0])) return 0;
      pieces[(*count)++] = (piece_t){piece.from, middle};
      pieces[(*count)++] = (piece_t){middle, piece.to};
    } else {
      if (top + 2 > (int)(sizeof stack / sizeof stack[0])) return 0;
      stack[top].piece = (piece_t){middle, piece.to};
      memcpy(stack[top++].integrals, right, sizeof right);
      stack[top].piece = (piece_t){piece.from, middle};
      memcpy(stack[top++].integrals, left, sizeof left);
    }
  }
  return 1;
}

int dmft__volterra_spectrum_create(const dmft_spectrum_t *spectrum, double gamma, dmft__volterra_spectrum_t *out) {
  *out = (dmft__volterra_spectrum_t){0};
  if (!spectrum || spectrum->classes == 0) return marchenko_pastur(gamma, out);
  const population_t population = {.classes = spectrum->classes, .lambda = spectrum->eigenvalue, .nu = spectrum->weight, .gamma = gamma};
  band_t bands[DMFT_SPECTRUM_MAX_CLASSES + 1];
  const int band_count = find_bands(&population, bands, DMFT_SPECTRUM_MAX_CLASSES + 1);
  if (band_count < 1) return DMFT_EINVAL;
  const size_t classes = (size_t)spectrum->classes;
  band_rule_t *rules = calloc((size_t)band_count, sizeof *rules);
  piece_t *pieces = malloc(sizeof(piece_t) * MOST_PIECES);
  int *piece_band = malloc(sizeof(int) * MOST_PIECES);
  double *scratch = malloc(sizeof(double) * PIECE_NODES * (4 + classes));
  int status = rules && pieces && piece_band && scratch ? DMFT_OK : DMFT_ENOMEM, piece_count = 0;
  for (int b = 0; b < band_count && status == DMFT_OK; b++) {
    const int first = piece_count;
    if (!band_rule_init(&rules[b], &population, &bands[b]) || !cut_band(&rules[b], scratch, pieces, &piece_count)) status = DMFT_EINVAL;
    for (int i = first; i < piece_count; i++) piece_band[i] = b;
  }
  const int atom = gamma < 1.0;
  const size_t nodes = (size_t)piece_count * PIECE_NODES + (size_t)atom;
  if (status == DMFT_OK) {
    out->s = malloc(sizeof(double) * nodes);
    out->root = malloc(sizeof(double) * nodes);
    out->weight = malloc(sizeof(double) * nodes);
    out->weight_sigma = malloc(sizeof(double) * nodes);
    out->class_weight = malloc(sizeof(double) * nodes * classes);
    if (!out->s || !out->root || !out->weight || !out->weight_sigma || !out->class_weight) status = DMFT_ENOMEM;
  }
  size_t node = 0;
  for (int i = 0; i < piece_count && status == DMFT_OK; i++, node += PIECE_NODES)
    if (!piece_nodes(&rules[piece_band[i]], pieces[i].from, pieces[i].to, out->s + node, out->root + node, out->weight + node,
                     out->weight_sigma + node, out->class_weight + node, nodes))
      status = DMFT_EINVAL;
  for (int b = 0; rules && b < band_count; b++) gsl_integration_glfixed_table_free(rules[b].table);
  free(rules);
  free(pieces);
  free(piece_band);
  free(scratch);
  if (status != DMFT_OK) {
    dmft__volterra_spectrum_free(out);
    return status;
  }
  out->classes = (int)classes;
  out->bands = band_count;
  if (atom) { /* the null space of X^T X: mass 1 - gamma of mu, the rest of each measure */
    double mass_sigma = 0.0;
    for (size_t i = 0; i < node; i++) mass_sigma += out->weight_sigma[i];
    out->s[node] = out->root[node] = 0.0;
    out->weight[node] = 1.0 - gamma;
    out->weight_sigma[node] = fmax(0.0, dmft_spectrum_mean(spectrum) - mass_sigma);
    for (size_t c = 0; c < classes; c++) {
      double mass = 0.0;
      for (size_t i = 0; i < node; i++) mass += out->class_weight[c * nodes + i];
      out->class_weight[c * nodes + node] = fmax(0.0, 1.0 - mass);
    }
    node++;
  }
  out->count = (int)node;
  return DMFT_OK;
}

void dmft__volterra_spectrum_free(dmft__volterra_spectrum_t *spectrum) {
  free(spectrum->s);
  free(spectrum->root);
  free(spectrum->weight);
  free(spectrum->weight_sigma);
  free(spectrum->class_weight);
  *spectrum = (dmft__volterra_spectrum_t){0};
}

double dmft__volterra_delta_at(const dmft_spectrum_t *spectrum, double gamma, double z, double *trace) {
  const dmft_spectrum_t unit = {.classes = 1, .eigenvalue = {1.0}, .weight = {1.0}};
  const dmft_spectrum_t *given = !spectrum || spectrum->classes == 0 ? &unit : spectrum;
  /* delta = E[lambda / (gamma lambda / (1 + delta) - z)] has one root in (0, E[lambda] / |z|], where
   * the difference changes sign. */
  double low = 0.0, high = dmft_spectrum_mean(given) / fabs(z);
  for (int iteration = 0; iteration < 200; iteration++) {
    const double delta = 0.5 * (low + high);
    double sum = 0.0;
    for (int j = 0; j < given->classes; j++) sum += given->weight[j] * given->eigenvalue[j] / (gamma * given->eigenvalue[j] / (1.0 + delta) - z);
    if (delta - sum < 0) low = delta;
    else high = delta;
  }
  const double delta = 0.5 * (low + high);
  double sum = 0.0;
  for (int j = 0; j < given->classes; j++) sum += given->weight[j] / (gamma * given->eigenvalue[j] / (1.0 + delta) - z);
  *trace = sum;
  return delta;
}
