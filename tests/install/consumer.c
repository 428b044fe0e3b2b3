/* A program built against an installed dmft only (tests/install/check_install.sh): it solves a
 * small problem through the public API and checks what it gets. Exit 0 when all is as it must be. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <dmft/dmft.h>

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  if (strcmp(dmft_version(), argv[1]) != 0) {
    fprintf(stderr, "version %s, expected %s\n", dmft_version(), argv[1]);
    return 1;
  }
  dmft_problem_t problem;
  dmft_problem_set_defaults(&problem);
  problem.paths = 320;
  problem.tmax = 0.5;
  char message[512];
  if (dmft_problem_check(&problem, message, sizeof message) != DMFT_OK) {
    fprintf(stderr, "%s\n", message);
    return 1;
  }
  dmft_result_t *result = NULL;
  if (dmft_solve(&problem, NULL, NULL, &result) != DMFT_OK) return 1;
  const long last = result->rows_done - 1;
  /* M starts at 0 (no initial overlap) and must have grown, with a finite error bar. */
  const int ok = result->rows_done == result->rows && result->M[last] > 0 && isfinite(result->M_se[last]);
  printf("dmft %s: M(t = %g) = %.4f +- %.4f\n", dmft_version(), result->t[last], result->M[last], result->M_se[last]);
  dmft_result_free(&result);
  /* The commands in-process (dmft/command.h): the same solve through the command layer, which
   * writes an HDF5 file, and a refusal with its one-line message. */
  dmft_command_t *command = dmft_command_create();
  dmft_command_set_write_files(command, 0);
  const char *solve[] = {"solve", "--quiet", "--paths", "320", "--tmax", "0.5"};
  const char *refused[] = {"solve", "--eta", "-1"};
  const int solved = dmft_command_run(command, 6, solve) == 0 && dmft_command_result(command) &&
                     dmft_command_number(command, "paths") == 320;
  const int refusal = dmft_command_run(command, 3, refused) == 2 &&
                      strcmp(dmft_command_message(command), "dmft solve: --eta must be a number > 0 (got -1)") == 0;
  printf("dmft_command_run: solve %s, refusal %s\n", solved ? "ok" : "WRONG", refusal ? "ok" : "WRONG");
  dmft_command_free(&command);
  return ok && solved && refusal ? 0 : 1;
}
