/* --spectrum on the command line: what is refused (with one line, exit 2, losing nothing), what
 * the outputs add (CSV columns after the contracted ones, HDF5 datasets), the simulator's report
 * of its rounding, the named power law on every noise module, and a sweep over its exponent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_support.h"
#include "test_support.h"

static void test_refusals(void) {
  write_text("line3.txt", "# eigenvalue weight\n1 0.5\n2 x\n");
  write_text("negative.txt", "1 0.5\n-2 0.5\n");
  write_text("empty.txt", "# nothing here\n");
  CU_ASSERT_EQUAL_FATAL(run("solve --quiet --paths 1000 --tmax 0.5 --out keep"), 0);
  char before[65536], after[65536];
  text_of("keep.csv", before, sizeof before);
  const refusal_t refusals[] = {
      {"solve --spectrum line3.txt --out keep", "line3.txt line 3"},
      {"solve --spectrum negative.txt --out keep", "negative.txt line 2"},
      {"solve --spectrum empty.txt --out keep", "no 'eigenvalue weight' line"},
      {"solve --spectrum absent.txt --out keep", "cannot open"},
      {"solve --spectrum-exponent 2 --out keep", "--spectrum-exponent needs --spectrum power-law"},
      {"solve --spectrum two-level --spectrum-classes 4 --out keep", "--spectrum-classes needs --spectrum power-law"},
      {"solve --spectrum power-law --spectrum-fraction 0.2 --out keep", "--spectrum-fraction needs --spectrum two-level"},
      {"solve --spectrum power-law --spectrum-classes 2000 --out keep", "--spectrum-classes"},
      {"solve --spectrum power-law --spectrum-exponent -1 --out keep", "--spectrum-exponent"},
      {"solve --spectrum two-level --spectrum-values 1 --out keep", "--spectrum-values"},
      {"solve --spectrum two-level --spectrum-values 0,1 --out keep", "--spectrum-values"},
      {"solve --spectrum two-level --spectrum-fraction 1 --out keep", "--spectrum-fraction"},
      {"solve --spectrum power-law --regularizer l1 --paths 100 --out keep", "at least one parameter path per class"},
      {"solve --spectrum power-law --engine volterra --out keep", "--engine volterra"}, /* Huber on tanh: not linear */
      {"simulate --spectrum power-law --spectrum-classes 64 --n 40 --out keep", "gets no coordinate"},
      {"online --spectrum power-law --out keep", "--spectrum does not apply"},
  };
  for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) expect_refusal(refusals[i].arguments, refusals[i].named);
  text_of("keep.csv", after, sizeof after);
  CU_ASSERT_STRING_EQUAL(before, after);
}

static void test_outputs(void) {
  CU_ASSERT_EQUAL_FATAL(run("solve --quiet --spectrum power-law --spectrum-classes 4 --paths 2000 --tmax 1 --out power"), 0);
  char csv[262144];
  text_of("power.csv", csv, sizeof csv);
  const char *header = "t,epoch,M,Q,train_loss,test_loss,M_se,Q_se,train_loss_se,test_loss_se,M_sigma,Q_sigma,M_sigma_se,Q_sigma_se\n";
  CU_ASSERT(strncmp(csv, header, strlen(header)) == 0);
  CU_ASSERT_EQUAL_FATAL(run("solve --quiet --spectrum two-level --k 2 --kstar 2 --paths 2000 --tmax 0.5 --out committee"), 0);
  text_of("committee.csv", csv, sizeof csv);
  CU_ASSERT(strstr(csv, ",test_loss_se,M_sigma_0_0,M_sigma_0_1,M_sigma_1_0,M_sigma_1_1,Q_sigma_0_0,") != NULL);
  char command[1600];
  snprintf(command, sizeof command,
           "cd %s && /usr/bin/python3 -c \"import h5py, numpy, sys\n"
           "f = h5py.File('power.h5')\n"
           "rows = f['t'].shape[0]\n"
           "shapes = f['M_class'].shape == (rows, 4, 1, 1) and f['Q_class_se'].shape == (rows, 4, 1, 1) and f['M_sigma'].shape == (rows, 1, 1)\n"
           "weights = f['spectrum_weight'][()]\n"
           "plain = numpy.allclose(f['M'][()][:, 0, 0], f['M_class'][()][:, :, 0, 0] @ weights, rtol=1e-12, atol=1e-15)\n"
           "diagonal = numpy.array_equal(numpy.diagonal(f['C'][()][:, :, 0, 0]), f['Q_sigma'][()][:, 0, 0])\n"
           "said = 'Sigma-weighted' in f.attrs['two_time_kernels'] and abs(f.attrs['spectrum_mean_eigenvalue'] - 1) < 1e-15\n"
           "described = 'description' in f['M_class'].attrs\n"
           "sys.exit(0 if shapes and plain and diagonal and said and described else 1)\"",
           directory);
  CU_ASSERT_EQUAL(system(command), 0);
  /* Isotropic data keeps its columns. */
  CU_ASSERT_EQUAL_FATAL(run("solve --quiet --paths 1000 --tmax 0.5 --out isotropic"), 0);
  text_of("isotropic.csv", csv, sizeof csv);
  CU_ASSERT(strstr(csv, "sigma") == NULL);
}

static void test_simulation_reports_its_rounding(void) {
  CU_ASSERT_EQUAL_FATAL(run("simulate --spectrum power-law --spectrum-classes 3 --n 1000 --seeds 2 --tmax 0.5 --out thirds"), 0);
  CU_ASSERT(strstr(output, "spectrum on d = 500 coordinates: columns 167, 167, 166 (weights rounded to whole columns") != NULL);
  char command[1024];
  snprintf(command, sizeof command,
           "cd %s && /usr/bin/python3 -c \"import h5py, sys\n"
           "f = h5py.File('thirds.h5')\n"
           "sys.exit(0 if list(f['spectrum_columns'][()]) == [167, 167, 166] and 'M_sigma' in f and 'Q_class' in f else 1)\"",
           directory);
  CU_ASSERT_EQUAL(system(command), 0);
  CU_ASSERT_EQUAL_FATAL(run("simulate --spectrum two-level --n 1000 --seeds 2 --tmax 0.5 --out halves"), 0);
  CU_ASSERT(strstr(output, "columns 250, 250 (weights exact)") != NULL);
}

/* The command line, on every noise module (short runs). */
static void test_power_law_on_every_noise(void) {
  const char *noises[] = {"poisson", "bernoulli", "gauss", "flow", "reshuffle", "shuffle-once"};
  for (size_t i = 0; i < sizeof noises / sizeof noises[0]; i++) {
    char arguments[256];
    snprintf(arguments, sizeof arguments,
             "solve --quiet --spectrum power-law --spectrum-exponent 1.5 --spectrum-classes 16 --noise %s --paths 1600 "
             "--tmax 0.5 --out noise-%s",
             noises[i], noises[i]);
    CU_ASSERT_EQUAL(run(arguments), 0);
  }
}

/* A convergence study and the Volterra engine take a spectrum too. */
static void test_converge_and_volterra(void) {
  CU_ASSERT_EQUAL(run("converge --quiet --spectrum two-level --dt 0.1,0.05 --paths 2000 --tmax 0.5 --out converge"), 0);
  CU_ASSERT(exists("converge.h5"));
  CU_ASSERT_EQUAL_FATAL(run("solve --quiet --engine volterra --loss squared --activation linear --teacher linear --spectrum "
                            "power-law --spectrum-classes 8 --tmax 2 --out volterra"),
                        0);
  char csv[262144];
  text_of("volterra.csv", csv, sizeof csv);
  CU_ASSERT(strstr(csv, ",M_sigma,Q_sigma,M_sigma_se,Q_sigma_se\n") != NULL);
}

static void test_sweep_over_the_exponent(void) {
  CU_ASSERT_EQUAL_FATAL(run("sweep --quiet --spectrum power-law --sweep spectrum-exponent=0.5,2 --paths 1000 --tmax 0.5 --out sweep"), 0);
  CU_ASSERT(exists("sweep-spectrum-exponent0.5.h5") && exists("sweep-spectrum-exponent2.h5"));
  char index[4096];
  text_of("sweep-index.csv", index, sizeof index);
  CU_ASSERT(strncmp(index, "spectrum-exponent,M,", 20) == 0);
  CU_ASSERT_EQUAL(count_lines(index), 3);
}

int main(void) {
  if (cli_test_make_directory("cli-spectrum") != 0) return 1;
  CU_TestInfo tests[] = {{"bad spectra are refused and lose nothing", test_refusals},
                         {"outputs add the weighted and per-class overlaps", test_outputs},
                         {"the simulation reports its rounding", test_simulation_reports_its_rounding},
                         {"the power law on every noise module", test_power_law_on_every_noise},
                         {"converge and the Volterra engine", test_converge_and_volterra},
                         {"a sweep over the exponent", test_sweep_over_the_exponent},
                         CU_TEST_INFO_NULL};
  const int failures = dmft_test_run("cli-spectrum", tests);
  return cli_test_remove_directory() != 0 ? 1 : failures;
}
