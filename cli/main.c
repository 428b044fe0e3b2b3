/* dmft: the command-line front of libdmft. */
#include <stdio.h>
#include <string.h>

#include "command_session.h"
#include "manual.h"
#include "crash_report.h"
#include "output_transaction.h"
#include "provenance.h"
#include "dmft/dmft.h"
#include "dmft/ranks.h"

static void print_usage(FILE *stream) {
  fprintf(stream, "usage: dmft COMMAND [options]\n\n"
         "Exact n, d -> infinity learning curves of multi-pass SGD, SME and gradient flow in multi-index\n"
         "models, from the dynamical mean-field equations.\n\n"
         "commands:\n"
         "  solve     solve the DMFT equations and write PREFIX.csv and PREFIX.h5\n"
         "  simulate  run the real algorithm at finite n and write the same observables\n"
         "  validate  compare solve with simulate over several n: PASS or FAIL, and a report\n"
         "  converge  solve over a ladder of time steps and path counts: order, dt -> 0 extrapolation\n"
         "  online    the one-pass limit (gamma -> infinity): online-SGD equations for M and Q, by CVODE\n"
         "  sweep     solve a grid of configurations (--sweep eta=0.5:2:0.25 ...): a pair of files each, an index, a figure\n"
         "  list      list the models (built-in and --plugin files), their parameters and the noise modules\n"
         "  check-plugin  run the conformance checks on a model plugin\n\n"
         "  dmft COMMAND --help   options of a command (also dmft COMMAND -h, dmft help COMMAND)\n"
         "  mpirun -np P dmft COMMAND ...  spread solve, simulate, validate, converge or sweep over P MPI ranks\n"
         "                        (the same files as one process; see docs/mpi.md)\n"
         "  dmft --version        the version\n"
         "  dmft --man            the manual page (roff; installed as dmft.1)\n"
         "  dmft --bash-completion  the bash completion script (installed for bash-completion)\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  /* dmft help CMD is dmft CMD --help. */
  if (strcmp(argv[1], "help") == 0 && argc == 3) {
    char *help[] = {argv[2], "--help", NULL};
    return cli_dispatch(2, help);
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
    print_usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--man") == 0) {
    cli_print_manual(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--bash-completion") == 0) {
    cli_print_bash_completion(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("dmft %s\n", dmft_version());
    return 0;
  }
  /* Under mpirun every rank runs the command; rank 0 alone prints and writes (dmft/ranks.h). */
  if (dmft_ranks_init(&argc, &argv) != DMFT_OK) {
    fprintf(stderr, "dmft: this MPI library cannot serve threads (MPI_THREAD_MULTIPLE), which dmft needs; run without mpirun\n");
    dmft_ranks_finalize();
    return 2;
  }
  if (dmft_ranks_rank() > 0) cli_session()->write_files = 0;
  /* A run stopped by a signal leaves no staged file behind; a plugin that crashes is named. */
  cli_output_install_signal_cleanup();
  cli_provenance_record(argc, argv);
  cli_crash_report_install();
  const int status = cli_ranks_agree(cli_dispatch(argc - 1, argv + 1));
  dmft_ranks_finalize();
  return status;
}
