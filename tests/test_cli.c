/* The dmft executable as a user meets it: help, exit statuses, one-line errors that name the
 * option, nothing written on bad input, the CSV header contract, HDF5 that h5py reads, config
 * files overridden by the command line, and a divergence that keeps the rows before it. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.h"
#include "test_support.h"

static void test_help_version_list(void) {
  CU_ASSERT_EQUAL(run("--help"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "solve"));
  CU_ASSERT_EQUAL(run("--version"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "dmft 0."));
  CU_ASSERT_EQUAL(run("solve --help"), 0);
  const char *contract[] = {"--loss", "--huber-delta", "--activation", "--teacher", "--label-noise", "--flip-prob", "--k ",
                            "--kstar", "--gamma", "--eta", "--kappa", "--ridge", "--theta0-var", "--init-overlap",
                            "--teacher-var", "--tmax", "--dt", "--noise", "--paths", "--seed", "--threads",
                            "--output-every", "--out", "--config", "--quiet"};
  for (size_t i = 0; i < sizeof contract / sizeof contract[0]; i++) CU_ASSERT_PTR_NOT_NULL(strstr(output, contract[i]));
  CU_ASSERT_EQUAL(run("list"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "bernoulli"));
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "huber"));
  CU_ASSERT_EQUAL(run("list --help"), 0);
  CU_ASSERT_EQUAL(run("frobnicate"), 2);
  CU_ASSERT_PTR_NOT_NULL(strstr(errors, "frobnicate"));
}

/* Each bad input: exit 2, one line naming the option, and PREFIX.csv left as it was. */
static void test_bad_input_is_refused_and_loses_nothing(void) {
  const refusal_t cases[] = {
      {"--gamma abc", "--gamma"}, {"--gamma 0", "--gamma"}, {"--gamma 1e999", "--gamma"}, {"--loss hinge", "--loss"},
      {"--activation gelu", "--activation"}, {"--teacher cubic", "--teacher"}, {"--noise levy", "--noise"},
      {"--k 0", "--k"}, {"--kstar 2.5", "--kstar"}, {"--dt 2 --tmax 1", "--dt"}, {"--paths 0", "--paths"},
      {"--paths many", "--paths"}, {"--eta -1", "--eta"}, {"--kappa 0", "--kappa"}, {"--ridge -1", "--ridge"},
      {"--teacher sign --flip-prob 0.7", "--flip-prob"}, {"--flip-prob 0.1", "--flip-prob"}, {"--seed -4", "--seed"},
      {"--loss logistic", "--loss"}, {"--k 2 --init-overlap 0.5", "--init-overlap"}, {"--output-every 0", "--output-every"},
      {"--noise bernoulli --kappa 40", "--noise"}, {"--activation relu --noise gauss", "--activation"},
      {"--noise gauss --tmax 300 --paths 10000000", "--paths"}, {"--bogus 1", "--bogus"}, {"--gamma", "--gamma"},
      {"--out missing-directory/run", "--out"}, {"--config absent.ini", "--config"}, {"stray", "stray"},
      {"--config bad.ini", "line 2"}, {"--threads -2", "--threads"},
      {"--regularizer l1 --parameter-paths 3", "--parameter-paths"}, {"--teacher-prior laplace", "--teacher-prior"},
      {"--sparsity 0", "--sparsity"}, {"--parameter-side exact", "--parameter-side"},
      {"--train-loss-paths -1", "--train-loss-paths"}, {"--response-paths -3", "--response-paths"},
      /* schedules */
      {"--eta-final 0.1", "--eta-final"}, {"--eta-schedule cosine --eta-final -1", "--eta-final"},
      {"--eta-schedule sawtooth", "--eta-schedule"}, {"--warmup -1", "--warmup"}, {"--warmup 6", "--warmup"},
      {"--eta-schedule file", "--eta-file"}, {"--eta-file schedule-short.txt", "--eta-file"},
      {"--eta-schedule file --eta-file schedule-short.txt", "--eta-file"},
      {"--eta-schedule file --eta-file schedule-bad.txt", "line 2"},
      {"--eta-schedule file --eta-file absent-schedule.txt", "--eta-file"},
      {"--kappa-schedule cosine", "--kappa-schedule"}, {"--kappa-schedule linear", "--kappa-final"},
      {"--kappa-schedule linear --kappa-final 0", "--kappa-final"},
      {"--noise bernoulli --kappa-schedule linear --kappa-final 30", "--noise"},
      /* momentum */
      {"--momentum-time -1", "--momentum-time"}, {"--momentum-time inf", "--momentum-time"},
      {"--momentum-time 0.3 --regularizer l1", "--momentum-time"},
      /* the Volterra engine */
      {"--engine fast", "--engine"}, {"--engine volterra", "--engine volterra"},
      {"--engine volterra --loss squared --activation linear --teacher linear --k 2", "--k 1"},
      {"--engine volterra --loss squared --activation linear --teacher linear --noise reshuffle", "--engine volterra"},
      {"--volterra-direct", "--volterra-direct"},
      {"--engine volterra --loss squared --activation linear --teacher linear --checkpoint c.ckpt", "--checkpoint"},
      {"--no-kernels --report r", "--no-kernels"},
  };
  write_text("bad.ini", "[solve]\ngamma = lots\n");
  write_text("schedule-short.txt", "0 1\n3 0.5\n");
  write_text("schedule-bad.txt", "0 1\n3 oops\n6 2\n");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    write_text("keep.csv", "precious\n");
    char arguments[512];
    snprintf(arguments, sizeof arguments, "solve --quiet --out keep %s", cases[i].arguments);
    expect_refusal(arguments, cases[i].named);
    CU_ASSERT(!exists("keep.h5"));
    char kept[64];
    char path[512];
    snprintf(path, sizeof path, "%s/keep.csv", directory);
    read_file(path, kept, sizeof kept);
    CU_ASSERT_STRING_EQUAL(kept, "precious\n");
  }
}

static void test_outputs_follow_the_contract(void) {
  CU_ASSERT_EQUAL_FATAL(run("solve --paths 400 --tmax 1 --out run"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "run.csv"));
  char csv[65536], path[512];
  snprintf(path, sizeof path, "%s/run.csv", directory);
  read_file(path, csv, sizeof csv);
  const char *header = "t,epoch,M,Q,train_loss,test_loss,M_se,Q_se,train_loss_se,test_loss_se\n";
  CU_ASSERT_EQUAL(strncmp(csv, header, strlen(header)), 0);
  CU_ASSERT_EQUAL(count_lines(csv), 1 + 21);
  /* h5py reads it: datasets and attributes a user looks for. */
  char command[1024];
  snprintf(command, sizeof command,
           "cd %s && /usr/bin/python3 -c \"import h5py; f = h5py.File('run.h5', 'r'); "
           "assert f['M'].shape == (21, 1, 1) and f['C'].shape == (21, 21, 1, 1) and f['R'].shape == (21, 21, 1, 1); "
           "assert f.attrs['seed'] == 1 and f.attrs['version'] and f.attrs['noise'] == 'poisson'; "
           "assert abs(f['t'][-1] - 1.0) < 1e-12 and f.attrs['gamma'] == 2.0\" 2> h5py.txt",
           directory);
  const int h5py_status = system(command);
  if (h5py_status != 0) {
    snprintf(path, sizeof path, "%s/h5py.txt", directory);
    read_file(path, errors, sizeof errors);
    fprintf(stderr, "\n    h5py check failed: %s\n", errors);
  }
  CU_ASSERT_EQUAL(h5py_status, 0);
  /* Wider models: one column per matrix entry. */
  CU_ASSERT_EQUAL_FATAL(run("solve --quiet --paths 200 --tmax 0.2 --k 2 --kstar 3 --out wide"), 0);
  CU_ASSERT_STRING_EQUAL(output, "");
  snprintf(path, sizeof path, "%s/wide.csv", directory);
  read_file(path, csv, sizeof csv);
  header = "t,epoch,M_0_0,M_0_1,M_0_2,M_1_0,M_1_1,M_1_2,Q_0_0,Q_0_1,Q_1_0,Q_1_1,train_loss,test_loss,"
           "M_0_0_se,M_0_1_se,M_0_2_se,M_1_0_se,M_1_1_se,M_1_2_se,Q_0_0_se,Q_0_1_se,Q_1_0_se,Q_1_1_se,"
           "train_loss_se,test_loss_se\n";
  CU_ASSERT_EQUAL(strncmp(csv, header, strlen(header)), 0);
  /* A loss with a test metric (logistic: classification error) appends its two columns after
   * the contracted ones, and the HDF5 file names it. */
  CU_ASSERT_EQUAL_FATAL(run("solve --quiet --paths 320 --tmax 0.5 --loss logistic --teacher sign --out metric"), 0);
  snprintf(path, sizeof path, "%s/metric.csv", directory);
  read_file(path, csv, sizeof csv);
  header = "t,epoch,M,Q,train_loss,test_loss,M_se,Q_se,train_loss_se,test_loss_se,test_metric,test_metric_se\n";
  CU_ASSERT_EQUAL(strncmp(csv, header, strlen(header)), 0);
  snprintf(command, sizeof command,
           "cd %s && /usr/bin/python3 -c \"import h5py; f = h5py.File('metric.h5', 'r'); "
           "assert f.attrs['test_metric_name'] == 'classification error' and f['test_metric'].shape == (11,)\"",
           directory);
  CU_ASSERT_EQUAL(system(command), 0);
}

static void test_config_file_and_overrides(void) {
  write_text("run.ini", "; a comment\n[solve]\ngamma = 3\ntmax = 0.5\nnoise = bernoulli\npaths = 300\nquiet = true\n");
  CU_ASSERT_EQUAL_FATAL(run("solve --config run.ini --gamma 1.5 --out configured"), 0);
  CU_ASSERT_STRING_EQUAL(output, "");
  char command[512];
  snprintf(command, sizeof command,
           "cd %s && /usr/bin/python3 -c \"import h5py; f = h5py.File('configured.h5', 'r'); "
           "assert f.attrs['gamma'] == 1.5 and f.attrs['tmax'] == 0.5 and f.attrs['noise'] == 'bernoulli' and "
           "f.attrs['paths'] == 300\"",
           directory);
  CU_ASSERT_EQUAL(system(command), 0);
}

static void test_divergence_keeps_rows_and_exits_3(void) {
  const int status = run("solve --quiet --loss squared --activation linear --teacher linear --noise flow --gamma 4 "
                         "--eta 5 --dt 0.1 --tmax 30 --out diverged");
  CU_ASSERT_EQUAL(status, 3);
  CU_ASSERT_PTR_NOT_NULL(strstr(errors, "at t = "));
  CU_ASSERT_PTR_NOT_NULL(strstr(errors, "diverged"));
  CU_ASSERT(exists("diverged.csv") && exists("diverged.h5"));
  char csv[65536], path[512];
  snprintf(path, sizeof path, "%s/diverged.csv", directory);
  read_file(path, csv, sizeof csv);
  CU_ASSERT(count_lines(csv) > 2 && count_lines(csv) < 301);
}

static void test_simulate_writes_the_solver_layout(void) {
  CU_ASSERT_EQUAL(run("simulate --help"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "--seeds"));
  CU_ASSERT_EQUAL_FATAL(run("simulate --quiet --n 400 --seeds 3 --tmax 1 --out sim"), 0);
  char csv[65536], path[512];
  snprintf(path, sizeof path, "%s/sim.csv", directory);
  read_file(path, csv, sizeof csv);
  const char *header = "t,epoch,M,Q,train_loss,test_loss,M_se,Q_se,train_loss_se,test_loss_se\n";
  CU_ASSERT_EQUAL(strncmp(csv, header, strlen(header)), 0);
  CU_ASSERT_EQUAL(count_lines(csv), 1 + 21);
  char command[1024];
  snprintf(command, sizeof command,
           "cd %s && /usr/bin/python3 -c \"import h5py, math; f = h5py.File('sim.h5', 'r'); "
           "assert f.attrs['kind'] == 'finite-n simulation' and f.attrs['algorithm'] == 'sgd' and f.attrs['n'] == 400; "
           "assert f.attrs['groups'] == 3 and f['test_loss_gaussian'].shape == (21,); "
           "R = f['R'][:]; assert not math.isnan(R[20, 10, 0, 0]) and math.isnan(R[3, 1, 0, 0])\"",
           directory);
  CU_ASSERT_EQUAL(system(command), 0);
}

static void test_simulate_and_validate_refuse_bad_input(void) {
  const refusal_t cases[] = {
      {"simulate --n 5", "--n"}, {"simulate --n 1000,2000", "--n"}, {"simulate --seeds 0", "--seeds"},
      {"simulate --alpha 1", "--alpha"}, {"simulate --simulate adam", "--simulate"}, {"simulate --max-mem 0.001", "--n"},
      {"simulate --n 400000", "--n"}, {"simulate --report r", "--report"}, {"solve --n 100", "--n"},
      {"validate --n 100,abc", "--n"}, {"validate --suite everything", "--suite"}, {"validate --tolerance -1", "--tolerance"},
      {"validate --report missing-parent/report", "--report"}, {"validate --simulate extensive --kappa 30", "--simulate"}, {"validate --out x", "--out"},
      /* sampling by epochs: SGD's batches only, within one epoch a step */
      {"simulate --noise reshuffle --simulate sme", "--simulate sme"}, {"validate --noise shuffle-once --simulate gd", "--simulate gd"},
      {"validate --noise reshuffle --kappa 30", "--noise reshuffle"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char arguments[512];
    const int simulating = strncmp(cases[i].arguments, "validate", 8) != 0;
    snprintf(arguments, sizeof arguments, "%s --quiet%s", cases[i].arguments, simulating ? " --out keep" : "");
    expect_refusal(arguments, cases[i].named);
    CU_ASSERT(!exists("keep.h5"));
  }
}

static int count_occurrences(const char *text, const char *needle) {
  int count = 0;
  for (const char *at = strstr(text, needle); at; at = strstr(at + 1, needle)) count++;
  return count;
}

/* A report's plots.gp redraws every figure when run from inside the report's folder, moved
 * elsewhere. */
static int redraws_inside(const char *report) {
  char command[1024];
  snprintf(command, sizeof command,
           "cd %s && rm -rf moved && cp -r %s moved && cd moved && rm -f *.svg && gnuplot plots.gp 2> /dev/null && ls *.svg "
           "> /dev/null",
           directory, report);
  return system(command) == 0;
}

/* A correct pairing passes (exit 0) and writes its report; the SME solution against SGD of a
 * non-linear model at a large step fails (exit 1). */
static void test_validate_passes_and_fails_when_it_should(void) {
  const char *common = "--quiet --eta 2.5 --tmax 2 --output-every 4 --paths 20000 --n 1000,2000 --seeds 6";
  char arguments[512];
  snprintf(arguments, sizeof arguments, "validate %s --noise bernoulli --report right", common);
  CU_ASSERT_EQUAL(run(arguments), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "PASS"));
  CU_ASSERT(exists("right/index.html") && exists("right/report.md") && exists("right/observables.svg") &&
            exists("right/deviation.svg") && exists("right/solver.csv") && exists("right/simulation-n2000.csv"));
  static char html[1 << 21];
  char path[512];
  snprintf(path, sizeof path, "%s/right/index.html", directory);
  read_file(path, html, sizeof html);
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "<svg"));
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "epochs"));
  /* The solver's curve has its own legend entry, the deviations are drawn against time, the
   * kernels as heat maps, and the provenance is the HDF5 file's. */
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "DMFT (n, d -&gt; infinity)") ? strstr(html, "DMFT (n, d -&gt; infinity)")
                                                                    : strstr(html, "DMFT (n, d -> infinity)"));
  CU_ASSERT(exists("right/deviation-time.svg") && exists("right/kernels.svg") && exists("right/deviation-n2000.csv"));
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "Rl(t, s)"));
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "<h2>Provenance</h2>"));
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "command line: <code>dmft validate --quiet --eta 2.5"));
  CU_ASSERT(redraws_inside("right"));
  snprintf(arguments, sizeof arguments, "validate %s --noise gauss --simulate extensive", common);
  CU_ASSERT_EQUAL(run(arguments), 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "FAIL"));
  /* A loss with a test metric: compared, and plotted in a fifth panel. */
  CU_ASSERT_EQUAL(run("validate --quiet --loss logistic --teacher sign --noise bernoulli --tmax 1 --paths 4000 --n 1000 "
                      "--seeds 4 --report metric-report"),
                  0);
  snprintf(path, sizeof path, "%s/metric-report/index.html", directory);
  read_file(path, html, sizeof html);
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "test classification error"));
}

static void test_converge(void) {
  const refusal_t cases[] = {
      {"--dt 0.1", "--dt"}, {"--dt 0.1,0.03", "--dt"}, {"--dt 0.1,0.05,0.01", "--dt"}, {"--dt 0.1,x", "--dt"},
      {"--levels 1", "--levels"}, {"--path-levels 9", "--path-levels"}, {"--tmax 1.05 --dt 0.1,0.05", "--tmax"},
      {"--dt0 -1", "--dt0"}, {"--n 100", "--n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char arguments[512];
    snprintf(arguments, sizeof arguments, "converge --quiet --out keep %s", cases[i].arguments);
    expect_refusal(arguments, cases[i].named);
    CU_ASSERT(!exists("keep-extrapolated.csv") && !exists("keep.h5"));
  }
  CU_ASSERT_EQUAL_FATAL(run("converge --loss squared --activation linear --teacher linear --noise flow --tmax 1 "
                            "--dt0 0.1 --levels 3 --path-levels 2 --paths 2000 --out ladder --report ladder-report"),
                        0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "observed order"));
  CU_ASSERT(exists("ladder.csv") && exists("ladder-extrapolated.csv") && exists("ladder.h5") &&
            exists("ladder-report/index.html") && exists("ladder-report/convergence.svg"));
  /* The exact engine has no Monte Carlo error: with three levels every order is resolved (close
   * to 1); the summary and the report say so, say where they are, and the figures redraw from
   * inside the report's folder. */
  CU_ASSERT_EQUAL(count_occurrences(output, "(resolved)"), 4);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "Report: ladder-report/index.html and ladder-report/report.md"));
  char report[65536];
  text_of("ladder-report/report.md", report, sizeof report);
  CU_ASSERT_EQUAL(count_occurrences(report, "| resolved |"), 4);
  CU_ASSERT_PTR_NOT_NULL(strstr(report, "Tables: ladder.csv (every level)"));
  CU_ASSERT_PTR_NOT_NULL(strstr(report, "command line: `dmft converge --loss squared"));
  CU_ASSERT(redraws_inside("ladder-report"));
  /* Two levels cannot give an order: flagged, not printed as a number that means nothing. */
  CU_ASSERT_EQUAL_FATAL(run("converge --tmax 0.5 --dt 0.1,0.05 --paths 2000 --path-levels 0 --out two"), 0);
  CU_ASSERT_EQUAL(count_occurrences(output, "not resolved: an order needs three levels or more"), 4);
  char csv[65536], path[512];
  snprintf(path, sizeof path, "%s/ladder-extrapolated.csv", directory);
  read_file(path, csv, sizeof csv);
  CU_ASSERT_EQUAL(strncmp(csv, "observable,t,epoch,extrapolated,error,", 38), 0);
  /* Three levels give no order of the extrapolation and no path study was asked for: the
   * summary leaves them out rather than printing nan. */
  CU_ASSERT_EQUAL_FATAL(run("converge --quasi-random --tmax 1 --dt0 0.1 --levels 3 --path-levels 0 --paths 2000 "
                            "--out quasi"),
                        0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "observed order"));
  CU_ASSERT_PTR_NULL(strstr(output, "nan"));
  /* --quiet silences the summary; the tables are the same. */
  CU_ASSERT_EQUAL_FATAL(run("converge --quiet --quasi-random --tmax 1 --dt0 0.1 --levels 3 --path-levels 0 --paths 2000 "
                            "--out quiet"),
                        0);
  CU_ASSERT_PTR_NULL(strstr(output, "observed order"));
  CU_ASSERT(same_files("quasi.csv", "quiet.csv"));
}

/* Plugins: the example loads, lists and solves with its parameter; every broken plugin is
 * refused (exit 2, one line naming the file and the defect, nothing written); check-plugin says
 * PASS for a good plugin, FAIL (exit 1) for one whose slope is wrong. */
static void test_plugins(void) {
  char arguments[1024];
  snprintf(arguments, sizeof arguments, "list --plugin %s/robust.so", DMFT_PLUGIN_DIR);
  CU_ASSERT_EQUAL(run(arguments), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "--loss cauchy"));
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "cauchy-scale"));
  snprintf(arguments, sizeof arguments,
           "solve --quiet --plugin %s/robust.so --loss cauchy --model-param cauchy-scale=0.5 --paths 320 --tmax 1 --out plugged",
           DMFT_PLUGIN_DIR);
  CU_ASSERT_EQUAL(run(arguments), 0);
  CU_ASSERT(exists("plugged.csv") && exists("plugged.h5"));
  snprintf(arguments, sizeof arguments, "check-plugin %s/robust.so", DMFT_PLUGIN_DIR);
  CU_ASSERT_EQUAL(run(arguments), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "PASS"));

  const refusal_t refusals[] = {
      {"--plugin %s/bad_abi.so --loss broken-loss", "ABI version"},
      {"--plugin %s/no_curvature.so --loss broken-loss", "lacks its value, slope or curvature"},
      {"--plugin %s/nan_curvature.so --loss broken-loss", "conformance check"},
      {"--plugin %s/wrong_slope.so --loss broken-loss", "slope matches finite differences"},
      {"--plugin %s/no_entry.so --loss broken-loss", "dmft_plugin_entry"},
      {"--plugin %s/absent.so", "no such file"},
  };
  for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
    char options[512];
    snprintf(options, sizeof options, refusals[i].arguments, DMFT_BROKEN_PLUGIN_DIR);
    snprintf(arguments, sizeof arguments, "solve --quiet --out broken %s", options);
    expect_refusal(arguments, refusals[i].named);
    CU_ASSERT(!exists("broken.csv") && !exists("broken.h5"));
  }
  snprintf(arguments, sizeof arguments, "check-plugin %s/wrong_slope.so", DMFT_BROKEN_PLUGIN_DIR);
  CU_ASSERT_EQUAL(run(arguments), 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "FAIL  loss broken-loss: slope matches finite differences"));
  snprintf(arguments, sizeof arguments, "check-plugin %s/bad_abi.so", DMFT_BROKEN_PLUGIN_DIR);
  CU_ASSERT_EQUAL(run(arguments), 2);
  expect_refusal("solve --quiet --model-param cauchy-scale=2", "they take: huber-delta");
  expect_refusal("solve --quiet --model-param huber-delta", "NAME=VALUE");
  expect_refusal("solve --quiet --model-param huber-delta=-1", "huber-delta");
  expect_refusal("solve --quiet --regularizer ridge2", "--regularizer");
}

static void test_online(void) {
  CU_ASSERT_EQUAL(run("online --help"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "CVODE"));
  CU_ASSERT_EQUAL_FATAL(run("online --quiet --gamma 10 --tmax 0.2 --dt 0.01 --out online"), 0);
  char csv[65536], path[512];
  snprintf(path, sizeof path, "%s/online.csv", directory);
  read_file(path, csv, sizeof csv);
  const char *header = "t,epoch,M,Q,train_loss,test_loss,M_se,Q_se,train_loss_se,test_loss_se\n";
  CU_ASSERT_EQUAL(strncmp(csv, header, strlen(header)), 0);
  CU_ASSERT_EQUAL(count_lines(csv), 1 + 21);
  expect_refusal("online --quiet --gamma -1", "--gamma");
  expect_refusal("online --quiet --regularizer l1 --out refused", "--regularizer l1");
}

/* The HDF5 file says what every dataset is, names its dimensions, records the command line and
 * each plugin with its SHA-256 (checked against sha256sum, an independent implementation). */
static void test_outputs_describe_themselves(void) {
  char arguments[1024], command[4096];
  snprintf(arguments, sizeof arguments,
           "solve --quiet --paths 300 --tmax 0.5 --plugin %s/robust.so --loss cauchy --model-param cauchy-scale=0.5 --out described",
           DMFT_PLUGIN_DIR);
  CU_ASSERT_EQUAL_FATAL(run(arguments), 0);
  snprintf(command, sizeof command,
           "cd %s && digest=$(sha256sum %s/robust.so | cut -d' ' -f1) && /usr/bin/python3 -c \"import sys, h5py\n"
           "f = h5py.File('described.h5', 'r')\n"
           "for name in f:\n"
           "    assert f[name].attrs['description'], name\n"
           "    assert all(dim.label for dim in f[name].dims), name\n"
           "assert [dim.label for dim in f['C'].dims] == ['t', 's', 'a', 'b']\n"
           "assert (f['C'].dims[1][0][:] == f['t'][:]).all()\n"
           "assert 'strictly causal' in f.attrs['R_convention']\n"
           "assert f.attrs['command_line'].startswith('dmft solve --quiet --paths 300'), f.attrs['command_line']\n"
           "assert f.attrs['plugins'] == '%s/robust.so sha256:' + sys.argv[1], f.attrs['plugins']\n"
           "assert f.attrs['param_cauchy_scale'] == 0.5 and f.attrs['quasi_random'] == 0\n"
           "assert f['Cl'].shape == f['C'].shape and f['Gamma'].shape == f['M'].shape\n\" \"$digest\"",
           directory, DMFT_PLUGIN_DIR, DMFT_PLUGIN_DIR);
  CU_ASSERT_EQUAL(system(command), 0);
  /* A simulation's and a convergence study's files describe themselves as well. */
  CU_ASSERT_EQUAL_FATAL(run("simulate --quiet --n 200 --seeds 2 --tmax 0.5 --out described-simulation"), 0);
  CU_ASSERT_EQUAL_FATAL(run("converge --quiet --dt 0.1,0.05 --tmax 0.5 --paths 320 --path-levels 0 --out described-ladder"), 0);
  snprintf(command, sizeof command,
           "cd %s && /usr/bin/python3 -c \"import h5py\n"
           "for path in ('described-simulation.h5', 'described-ladder.h5'):\n"
           "    f = h5py.File(path, 'r')\n"
           "    for name in f:\n"
           "        assert f[name].attrs['description'], (path, name)\n"
           "        assert all(dim.label for dim in f[name].dims), (path, name)\n"
           "    assert f.attrs['command_line'].startswith('dmft '), path\n"
           "f = h5py.File('described-simulation.h5', 'r')\n"
           "assert 'Cl' not in f and 'NaN' in f.attrs['R_columns'] and 'step_time' in f.attrs['time_grid']\n"
           "f = h5py.File('described-ladder.h5', 'r')\n"
           "assert [dim.label for dim in f['values'].dims] == ['level', 't', 'observable']\n"
           "assert f.attrs['kind'] == 'convergence study' and f.attrs['gamma'] == 2\n\"",
           directory);
  CU_ASSERT_EQUAL(system(command), 0);
}

/* dmft solve --report DIR: the curves, the kernels as heat maps, the health and the provenance,
 * redrawable from inside the folder; a --report that cannot be written is refused before any
 * work; a sweep does not take one (each configuration would need its own). */
static void test_solve_report(void) {
  CU_ASSERT_EQUAL_FATAL(run("solve --paths 640 --tmax 1 --quasi-random --out reported --report solve-report"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "report: solve-report/index.html and solve-report/report.md"));
  CU_ASSERT(exists("solve-report/summary.svg") && exists("solve-report/kernels.svg") && exists("solve-report/solve.csv"));
  CU_ASSERT(same_files("solve-report/solve.csv", "reported.csv"));
  static char html[1 << 21];
  text_of("solve-report/index.html", html, sizeof html);
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "<h2>Two-time kernels</h2>"));
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "C(t, s): correlation of the parameters"));
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "<h2>Health</h2>"));
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "quasi-random first draws on"));
  CU_ASSERT_PTR_NOT_NULL(strstr(html, "parameters: huber-delta=1"));
  CU_ASSERT(redraws_inside("solve-report"));
  expect_refusal("solve --quiet --paths 320 --tmax 0.2 --out never --report /proc/no-report", "--report");
  CU_ASSERT(!exists("never.csv"));
  expect_refusal("sweep --quiet --sweep eta=1,2 --report sweep-report", "--report");
}

/* --engine volterra through the command line: the solve's layout, zero standard errors, the
 * kind of solution in the HDF5 file, 10^5 steps in well under a second here, and the summary. */
static void test_volterra_engine(void) {
  const char *linear = "--loss squared --activation linear --teacher linear";
  char arguments[512];
  snprintf(arguments, sizeof arguments, "solve --engine volterra %s --tmax 1000 --dt 0.01 --out volterra", linear);
  CU_ASSERT_EQUAL_FATAL(run(arguments), 0);
  CU_ASSERT(strstr(output, "the Volterra engine, no paths") != NULL);
  char csv[262144];
  text_of("volterra.csv", csv, sizeof csv);
  const char *header = "t,epoch,M,Q,train_loss,test_loss,M_se,Q_se,train_loss_se,test_loss_se\n";
  CU_ASSERT(strncmp(csv, header, strlen(header)) == 0);
  CU_ASSERT(strstr(csv, "\n1000,1000,") != NULL); /* the last row, at tmax */
  CU_ASSERT(strstr(csv, ",0,0,0,0\n") != NULL);   /* no Monte Carlo */
  char command[1024];
  snprintf(command, sizeof command,
           "cd %s && /usr/bin/python3 -c \"import h5py; f = h5py.File('volterra.h5'); import sys; "
           "sys.exit(0 if 'Volterra' in str(f.attrs['kind']) and f['C'].shape == (1001, 1001, 1, 1) and f['M_se'][()].max() == 0 else 1)\"",
           directory);
  CU_ASSERT_EQUAL(system(command), 0);
  /* --no-kernels sends the linear model to the Volterra engine and writes no two-time kernels;
   * any other model keeps its engine and loses only the kernels' datasets. */
  snprintf(arguments, sizeof arguments, "solve --no-kernels %s --tmax 1000 --dt 0.01 --out one-time", linear);
  CU_ASSERT_EQUAL_FATAL(run(arguments), 0);
  CU_ASSERT(strstr(output, "the Volterra engine, no paths") != NULL);
  CU_ASSERT(same_files("volterra.csv", "one-time.csv"));
  CU_ASSERT_EQUAL_FATAL(run("solve --quiet --no-kernels --paths 2000 --tmax 1 --out huber-one-time"), 0);
  snprintf(command, sizeof command,
           "cd %s && /usr/bin/python3 -c \"import h5py, sys; f = h5py.File('one-time.h5'); g = h5py.File('huber-one-time.h5'); "
           "sys.exit(0 if all(k not in f and k not in g for k in ('C', 'R', 'Cl', 'Rl')) and 'Gamma' in g and 'M' in f else 1)\"",
           directory);
  CU_ASSERT_EQUAL(system(command), 0);
}

int main(void) {
  if (cli_test_make_directory("cli") != 0) return 1;
  CU_TestInfo tests[] = {{"help, version, list", test_help_version_list},
                         {"bad input is refused and loses nothing", test_bad_input_is_refused_and_loses_nothing},
                         {"outputs follow the contract", test_outputs_follow_the_contract},
                         {"outputs describe themselves", test_outputs_describe_themselves},
                         {"config file and overrides", test_config_file_and_overrides},
                         {"divergence keeps rows and exits 3", test_divergence_keeps_rows_and_exits_3},
                         {"simulate writes the solver layout", test_simulate_writes_the_solver_layout},
                         {"simulate and validate refuse bad input", test_simulate_and_validate_refuse_bad_input},
                         {"validate passes and fails when it should", test_validate_passes_and_fails_when_it_should},
                         {"converge", test_converge},
                         {"online", test_online},
                         {"plugins", test_plugins},
                         {"solve report", test_solve_report},
                         {"volterra engine", test_volterra_engine},
                         CU_TEST_INFO_NULL};
  const int failed = dmft_test_run("cli", tests);
  return cli_test_remove_directory() != 0 ? 1 : failed;
}
