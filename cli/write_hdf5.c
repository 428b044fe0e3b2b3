#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmft/health.h"
#include "failure_injection.h"
#include "provenance.h"
#include "writers.h"

static herr_t write_dataset(hid_t file, const char *name, int rank, const hsize_t *dims, const double *data) {
  if (cli_failure_injected("h5-dataset")) return -1;
  return H5LTmake_dataset_double(file, name, rank, dims, data);
}

int64_t cli_hdf5_create_in_memory(void) {
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  const hid_t access = H5Pcreate(H5P_FILE_ACCESS);
  /* Grown 4 MiB at a time; no backing store: HDF5 itself never writes to the disk. */
  if (access < 0 || H5Pset_fapl_core(access, 4u << 20, 0) < 0) {
    if (access >= 0) H5Pclose(access);
    return -1;
  }
  char name[64];
  /* HDF5 probes the name on disk even without a backing store: a path that cannot exist
   * (a file under /dev/null) keeps it from ever touching a user's file. */
  snprintf(name, sizeof name, "/dev/null/dmft-in-memory-%ld.h5", (long)getpid());
  const hid_t file = H5Fcreate(name, H5F_ACC_TRUNC, H5P_DEFAULT, access);
  H5Pclose(access);
  return file;
}

static int write_all(int fd, const char *bytes, size_t size) {
  while (size > 0) {
    const ssize_t wrote = write(fd, bytes, size);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return 0;
    bytes += wrote;
    size -= (size_t)wrote;
  }
  return 1;
}

int cli_hdf5_save(int64_t file, const char *path) {
  int ok = H5Fflush(file, H5F_SCOPE_GLOBAL) >= 0;
  const ssize_t size = ok ? H5Fget_file_image(file, NULL, 0) : -1;
  char *image = size > 0 ? malloc((size_t)size) : NULL;
  ok = image && H5Fget_file_image(file, image, (size_t)size) == size;
  ok = (H5Fclose(file) >= 0) && ok;
  if (ok) {
    const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ok = fd >= 0 && write_all(fd, image, (size_t)size);
    if (fd >= 0) ok = (close(fd) == 0) && ok;
    if (!ok) unlink(path);
  }
  free(image);
  return ok ? DMFT_OK : DMFT_EIO;
}

/* Scalar attributes (h5py reads them as plain numbers) and variable-length UTF-8 strings
 * (h5py reads them as str, not bytes). */
static herr_t set_scalar(hid_t file, const char *name, hid_t type, const void *value) {
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attribute = H5Acreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  herr_t status = attribute < 0 ? -1 : H5Awrite(attribute, type, value);
  if (attribute >= 0) status |= H5Aclose(attribute);
  H5Sclose(space);
  return status;
}

int cli_hdf5_set_string(int64_t object, const char *name, const char *value) {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  const herr_t status = set_scalar(object, name, type, &value);
  H5Tclose(type);
  return status;
}


/* Every parameter of the chosen components, as param_NAME (dashes become underscores). */
static herr_t write_model_params(hid_t file, const dmft_model_t *model) {
  herr_t s = 0;
  const char *parameter;
  double value;
  for (int i = 0; dmft_model_param_at(model, i, &parameter, &value); i++) {
    char name[80];
    snprintf(name, sizeof name, "param_%s", parameter);
    for (char *c = name; *c; c++)
      if (*c == '-') *c = '_';
    s |= set_scalar(file, name, H5T_NATIVE_DOUBLE, &value);
  }
  return s;
}

/* NAME_schedule (its shape), NAME_final and, for eta, warmup; a file's points as the arrays
 * NAME_schedule_times and NAME_schedule_values. */
static herr_t write_schedule(hid_t file, const char *name, const dmft_schedule_t *schedule) {
  char attribute[64];
  snprintf(attribute, sizeof attribute, "%s_schedule", name);
  herr_t s = cli_hdf5_set_string(file, attribute, dmft_schedule_name(schedule->kind));
  snprintf(attribute, sizeof attribute, "%s_final", name);
  s |= set_scalar(file, attribute, H5T_NATIVE_DOUBLE, &schedule->final);
  if (strcmp(name, "eta") == 0) s |= set_scalar(file, "warmup", H5T_NATIVE_DOUBLE, &schedule->warmup);
  if (schedule->kind == DMFT_SCHEDULE_FILE) {
    snprintf(attribute, sizeof attribute, "%s_schedule_times", name);
    s |= H5LTset_attribute_double(file, "/", attribute, schedule->times, (size_t)schedule->points);
    snprintf(attribute, sizeof attribute, "%s_schedule_values", name);
    s |= H5LTset_attribute_double(file, "/", attribute, schedule->values, (size_t)schedule->points);
  }
  return s;
}

int cli_hdf5_write_problem(int64_t file, const dmft_problem_t *p, const dmft_result_t *r) {
  herr_t s = 0;
  s |= cli_hdf5_set_string(file, "software", "dmft");
  s |= cli_hdf5_set_string(file, "version", dmft_version());
  s |= cli_hdf5_set_string(file, "loss", p->model.loss->name);
  s |= cli_hdf5_set_string(file, "activation", p->model.activation->name);
  s |= cli_hdf5_set_string(file, "teacher", p->model.teacher->name);
  s |= cli_hdf5_set_string(file, "regularizer", p->model.regularizer->name);
  s |= cli_hdf5_set_string(file, "noise", p->noise->name);
  s |= cli_hdf5_set_string(file, "teacher_prior", dmft_prior_name(p->teacher_prior));
  s |= cli_hdf5_set_string(file, "init_prior", dmft_prior_name(p->init_prior));
  s |= cli_hdf5_set_string(file, "parameter_side", dmft_problem_parameter_side_is_sampled(p) ? "sampled" : "exact");
  s |= write_schedule(file, "eta", &p->eta_schedule);
  s |= write_schedule(file, "kappa", &p->kappa_schedule);
  s |= set_scalar(file, "momentum_time", H5T_NATIVE_DOUBLE, &p->momentum_time);
  s |= write_model_params(file, &p->model);
  int huber_found = 0;
  const double huber_delta = dmft_model_param(&p->model, "huber-delta", &huber_found);
  if (huber_found) s |= set_scalar(file, "huber_delta", H5T_NATIVE_DOUBLE, &huber_delta);
  const struct {
    const char *name;
    double value;
  } numbers[] = {
      {"label_noise", p->model.label_noise}, {"flip_prob", p->model.flip_prob},
      {"gamma", p->gamma}, {"eta", p->eta}, {"kappa", p->kappa}, {"ridge", p->ridge}, {"theta0_var", p->theta0_var},
      {"init_overlap", p->init_overlap}, {"teacher_var", p->teacher_var}, {"sparsity", p->sparsity}, {"tmax", p->tmax}, {"dt", p->dt},
      {"diverged_at", r->diverged_at},
  };
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
    s |= set_scalar(file, numbers[i].name, H5T_NATIVE_DOUBLE, &numbers[i].value);
  const long integers[] = {p->model.k, p->model.kstar, p->paths, r->groups, r->steps, r->rows_done,
                           dmft_problem_output_every(p), p->parameter_paths > 0 ? p->parameter_paths : p->paths,
                           dmft_problem_train_loss_stride(p), p->response_paths > 0 ? p->response_paths : p->paths};
  const char *integer_names[] = {"k",    "kstar",        "paths",           "groups",           "steps",
                                 "rows", "output_every", "parameter_paths", "train_loss_stride", "response_paths"};
  for (size_t i = 0; i < sizeof integers / sizeof integers[0]; i++)
    s |= set_scalar(file, integer_names[i], H5T_NATIVE_LONG, &integers[i]);
  const unsigned long long seed = p->seed;
  s |= set_scalar(file, "seed", H5T_NATIVE_ULLONG, &seed);
  /* Everything else that changes a number, and where the result came from. */
  const int flags[] = {p->quasi_random, p->sampled_parameter_side};
  const char *flag_names[] = {"quasi_random", "sampled_parameter_side"};
  for (size_t i = 0; i < 2; i++) s |= set_scalar(file, flag_names[i], H5T_NATIVE_INT, &flags[i]);
  s |= cli_hdf5_set_string(file, "command_line", cli_provenance_command_line());
  char plugins[8192];
  cli_provenance_plugins(plugins, sizeof plugins);
  s |= cli_hdf5_set_string(file, "plugins", plugins);
  return s;
}

/* The numerical health of a solve (dmft/health.h) as health_* attributes; the warnings as one
 * string, "; " between them ("" when there are none). */
static herr_t write_health(hid_t file, const dmft_problem_t *problem, const dmft_result_t *r) {
  dmft_health_t health;
  dmft_result_health(problem, r, &health);
  herr_t s = 0;
  const struct {
    const char *name;
    double value;
  } numbers[] = {{"health_smallest_eigenvalue_C", health.smallest_eigenvalue_C},
                 {"health_relative_se_M", health.relative_se_M},
                 {"health_relative_se_Q", health.relative_se_Q},
                 {"health_relative_se_train_loss", health.relative_se_train_loss},
                 {"health_relative_se_test_loss", health.relative_se_test_loss}};
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
    s |= set_scalar(file, numbers[i].name, H5T_NATIVE_DOUBLE, &numbers[i].value);
  char warnings[DMFT_HEALTH_MAX_WARNINGS * 164] = "";
  for (int i = 0; i < health.warning_count; i++)
    snprintf(warnings + strlen(warnings), sizeof warnings - strlen(warnings), "%s%s", i ? "; " : "", health.warnings[i]);
  s |= cli_hdf5_set_string(file, "health_warnings", warnings);
  return s;
}

static herr_t write_simulation(hid_t file, const dmft_simulation_t *simulation) {
  herr_t s = 0;
  s |= cli_hdf5_set_string(file, "kind", "finite-n simulation");
  s |= cli_hdf5_set_string(file, "algorithm", dmft_algorithm_name(simulation->algorithm));
  s |= cli_hdf5_set_string(file, "sampling", dmft_sampling_name(simulation->sampling));
  const long integers[] = {simulation->n, simulation->d, simulation->batch};
  const char *names[] = {"n", "d", "batch"};
  for (size_t i = 0; i < 3; i++) s |= set_scalar(file, names[i], H5T_NATIVE_LONG, &integers[i]);
  s |= set_scalar(file, "step_time", H5T_NATIVE_DOUBLE, &simulation->step_time);
  s |= cli_hdf5_set_string(file, "time_grid",
                            "the rows are the solver's output times; the simulation steps every step_time (a batch of `batch` "
                            "samples for SGD, round(kappabar(t) n^alpha) when a batch-rate schedule makes it change; dt "
                            "otherwise) and is read at the step nearest each row");
  s |= cli_hdf5_set_string(file, "R_columns", "R(t, s) is measured by kicked copies of the run at two times s only (the rows at a "
                                     "quarter and at half of the horizon); every other column is NaN");
  if (simulation->result->classes > 0) { /* the columns of X each class got */
    double columns[DMFT_SPECTRUM_MAX_CLASSES];
    const hsize_t classes[1] = {(hsize_t)simulation->result->classes};
    for (int c = 0; c < simulation->result->classes; c++) columns[c] = (double)simulation->spectrum_columns[c];
    s |= write_dataset(file, "spectrum_columns", 1, classes, columns);
  }
  const hsize_t rows[1] = {(hsize_t)simulation->result->rows_done};
  s |= write_dataset(file, "test_loss_gaussian", 1, rows, simulation->test_loss_gaussian);
  s |= write_dataset(file, "test_loss_gaussian_se", 1, rows, simulation->test_loss_gaussian_se);
  return s;
}

/* A covariance spectrum's outputs: the Sigma-weighted overlaps, each class's own, the spectrum
 * itself (as the run used it: a simulation's realized fractions), and what C and R then are. */
static herr_t write_spectrum(hid_t file, const dmft_problem_t *problem, const dmft_result_t *r) {
  const hsize_t rows = (hsize_t)r->rows_done, k = (hsize_t)r->k, kstar = (hsize_t)r->kstar, classes = (hsize_t)r->classes;
  const hsize_t m_dims[3] = {rows, k, kstar}, q_dims[3] = {rows, k, k};
  const hsize_t m_class[4] = {rows, classes, k, kstar}, q_class[4] = {rows, classes, k, k}, class_dims[1] = {classes};
  herr_t s = 0;
  s |= write_dataset(file, "M_sigma", 3, m_dims, r->M_sigma);
  s |= write_dataset(file, "M_sigma_se", 3, m_dims, r->M_sigma_se);
  s |= write_dataset(file, "Q_sigma", 3, q_dims, r->Q_sigma);
  s |= write_dataset(file, "Q_sigma_se", 3, q_dims, r->Q_sigma_se);
  s |= write_dataset(file, "M_class", 4, m_class, r->class_M);
  s |= write_dataset(file, "M_class_se", 4, m_class, r->class_M_se);
  s |= write_dataset(file, "Q_class", 4, q_class, r->class_Q);
  s |= write_dataset(file, "Q_class_se", 4, q_class, r->class_Q_se);
  s |= write_dataset(file, "spectrum_eigenvalue", 1, class_dims, problem->spectrum.eigenvalue);
  s |= write_dataset(file, "spectrum_weight", 1, class_dims, problem->spectrum.weight);
  const double mean = dmft_spectrum_mean(&problem->spectrum);
  s |= set_scalar(file, "spectrum_mean_eigenvalue", H5T_NATIVE_DOUBLE, &mean);
  s |= cli_hdf5_set_string(file, "two_time_kernels",
                            "Sigma-weighted: C(t, s) = theta(t)^T Sigma theta(s) / d and R(t, s) = E_j[lambda_j R_j(t, s)], "
                            "the kernels that drive the sample side (C(t, t) = Q_sigma; R(t_{k+1}, t_k) = the mean eigenvalue)");
  return s;
}

int cli_write_hdf5(const char *path, const dmft_problem_t *problem, const dmft_result_t *r,
                   const dmft_simulation_t *simulation) {
  const hid_t file = cli_hdf5_create_in_memory();
  if (file < 0) return DMFT_EIO;
  const hsize_t rows = (hsize_t)r->rows_done, k = (hsize_t)r->k, kstar = (hsize_t)r->kstar;
  herr_t s = 0;
  double *epoch = malloc(sizeof(double) * (rows > 0 ? rows : 1));
  if (!epoch) {
    H5Fclose(file);
    return DMFT_ENOMEM;
  }
  for (hsize_t i = 0; i < rows; i++) epoch[i] = dmft_problem_epochs_at(problem, r->t[i]);
  const hsize_t vector[1] = {rows}, m_dims[3] = {rows, k, kstar}, q_dims[3] = {rows, k, k};
  s |= write_dataset(file, "t", 1, vector, r->t);
  s |= write_dataset(file, "epoch", 1, vector, epoch);
  free(epoch);
  s |= write_dataset(file, "M", 3, m_dims, r->M);
  s |= write_dataset(file, "M_se", 3, m_dims, r->M_se);
  s |= write_dataset(file, "Q", 3, q_dims, r->Q);
  s |= write_dataset(file, "Q_se", 3, q_dims, r->Q_se);
  s |= write_dataset(file, "train_loss", 1, vector, r->train_loss);
  s |= write_dataset(file, "train_loss_se", 1, vector, r->train_loss_se);
  s |= write_dataset(file, "test_loss", 1, vector, r->test_loss);
  s |= write_dataset(file, "test_loss_se", 1, vector, r->test_loss_se);
  if (r->test_metric) {
    s |= write_dataset(file, "test_metric", 1, vector, r->test_metric);
    s |= write_dataset(file, "test_metric_se", 1, vector, r->test_metric_se);
    s |= cli_hdf5_set_string(file, "test_metric_name", r->test_metric_name);
  }
  /* Two-time kernels: the result stores them on the planned grid; write the computed corner. */
  const hsize_t planned = (hsize_t)r->rows, kk = k * k;
  const hsize_t two_time[4] = {rows, rows, k, k};
  double *corner = malloc(sizeof(double) * (rows > 0 ? rows * rows * kk : 1));
  const double *sources[4] = {r->C, r->C_se, r->R, r->R_se};
  const char *names[4] = {"C", "C_se", "R", "R_se"};
  const int kernels = simulation || !problem->no_kernels; /* --no-kernels: the one-time observables only */
  for (int n = 0; n < 4 && corner && kernels; n++) {
    for (hsize_t i = 0; i < rows; i++)
      for (hsize_t j = 0; j < rows * kk; j++) corner[i * rows * kk + j] = sources[n][i * planned * kk + j];
    s |= write_dataset(file, names[n], 4, two_time, corner);
  }
  /* The sample side's kernels, which only the solver has. */
  const double *sample_sources[4] = {r->Cl, r->Cl_se, r->Rl, r->Rl_se};
  const char *sample_names[4] = {"Cl", "Cl_se", "Rl", "Rl_se"};
  for (int n = 0; n < 4 && corner && r->Cl && kernels; n++) {
    for (hsize_t i = 0; i < rows; i++)
      for (hsize_t j = 0; j < rows * kk; j++) corner[i * rows * kk + j] = sample_sources[n][i * planned * kk + j];
    s |= write_dataset(file, sample_names[n], 4, two_time, corner);
  }
  if (r->Gamma) {
    s |= write_dataset(file, "Gamma", 3, m_dims, r->Gamma);
    s |= write_dataset(file, "Gamma_se", 3, m_dims, r->Gamma_se);
  }
  if (!corner) s = -1;
  free(corner);
  if (r->classes > 0) s |= write_spectrum(file, problem, r);
  s |= cli_hdf5_write_problem(file, problem, r);
  s |= simulation                 ? write_simulation(file, simulation)
       : problem->engine_volterra ? cli_hdf5_set_string(file, "kind", "dmft solution, Volterra engine (no paths)")
                                  : cli_hdf5_set_string(file, "kind", "dmft solution");
  if (!simulation) s |= write_health(file, problem, r);
  if (s >= 0 && cli_hdf5_describe(file) < 0) s = -1;
  if (s < 0) {
    H5Fclose(file);
    return DMFT_EIO;
  }
  return cli_hdf5_save(file, path);
}
