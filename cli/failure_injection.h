/* A test hook that makes the k-th pass through a named point of the output code fail (or kill
 * the process there), so that the tests can check that a run failing or killed at any moment
 * of writing loses nothing. It reads DMFT_TEST_FAIL=POINT:K[:kill] once; without it (as for
 * every user) it never fires. The points: csv-row, h5-dataset, fsync, journal, rename, report. */
#ifndef DMFT_CLI_FAILURE_INJECTION_H
#define DMFT_CLI_FAILURE_INJECTION_H

/* 1 when this pass through `point` is the one DMFT_TEST_FAIL names (with ":kill" the process
 * is killed there by SIGKILL instead, as a power cut would stop it). */
int cli_failure_injected(const char *point);

#endif
