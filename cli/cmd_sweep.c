/* dmft sweep: a grid of configurations, each solved as dmft solve would and written as its own
 * PREFIX-LABEL.csv and .h5, with PREFIX-index.csv and a summary figure. Every configuration is
 * checked before the first one runs. The index is rewritten after each configuration, and a
 * rerun skips the configurations it lists as finished whose signature (every parameter that
 * changes the numbers) still matches and whose files are there: a sweep stopped at any point
 * resumes where it was. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command_session.h"
#include "commands.h"
#include "dmft/ranks.h"
#include "options.h"
#include "output_transaction.h"
#include "progress.h"
#include "sweep_grid.h"
#include "sweep_index.h"
#include "writers.h"

const char *const cli_sweep_summary =
    "Solve a grid of configurations: each --sweep NAME=A:B:STEP (A to B inclusive) or NAME=V1,V2,... varies one\n"
    "option of dmft solve, and every combination is solved and written to PREFIX-LABEL.csv and .h5 (LABEL names\n"
    "the values, e.g. eta0.5-gamma2). PREFIX-index.csv lists the swept values, the final M, Q, train and test loss\n"
    "with standard errors, and each output's path; PREFIX-summary.svg and .png plot the final test loss against\n"
    "each swept option. Rerunning the same sweep skips the configurations already done.";

typedef struct {
  cli_sweep_grid_t grid;
  cli_options_t *options;   /* [configurations] */
  cli_output_t *outputs;    /* [configurations] */
  cli_sweep_row_t *rows;    /* [configurations] */
  cli_sweep_row_t *earlier; /* rows of an earlier index, [configurations] */
  long earlier_count;
} sweep_t;

static void sweep_free(sweep_t *s) {
  cli_sweep_grid_free(&s->grid);
  free(s->options);
  free(s->outputs);
  free(s->rows);
  free(s->earlier);
}

/* Every configuration's options, problem check and outputs, before any work. */
static int plan(sweep_t *s, const cli_options_t *base, char *message, size_t size) {
  if (strchr(base->out_prefix, ',')) {
    snprintf(message, size, "--out: a sweep's prefix cannot hold a comma (its paths go into a CSV index)");
    return 2;
  }
  if (cli_sweep_grid_parse(base, &s->grid, message, size) != 0) return 2;
  const long n = s->grid.configurations;
  s->options = malloc(sizeof *s->options * (size_t)n);
  s->outputs = malloc(sizeof *s->outputs * (size_t)n);
  s->rows = calloc((size_t)n, sizeof *s->rows);
  s->earlier = calloc((size_t)n, sizeof *s->earlier);
  if (!s->options || !s->outputs || !s->rows || !s->earlier) {
    snprintf(message, size, "out of memory for a grid of %ld configurations", n);
    return 2;
  }
  for (long i = 0; i < n; i++) {
    char label[512], prefix[4200], inner[1024];
    if (cli_sweep_grid_options(&s->grid, i, base, &s->options[i], message, size) != 0) return 2;
    cli_sweep_grid_label(&s->grid, i, label, sizeof label);
    if (dmft_problem_check(&s->options[i].problem, inner, sizeof inner) != DMFT_OK) {
      snprintf(message, size, "--sweep configuration %s: %s", label, inner);
      return 2;
    }
    snprintf(prefix, sizeof prefix, "%s-%s", base->out_prefix, label);
    if (!cli_prepare_result_outputs(&s->outputs[i], prefix, message, size)) return 2;
    cli_sweep_row_t *row = &s->rows[i];
    row->signature = dmft_problem_signature(&s->options[i].problem);
    row->diverged_at = -1.0;
    snprintf(row->status, sizeof row->status, "pending");
    snprintf(row->csv, sizeof row->csv, "%s", s->outputs[i].final[0]);
    snprintf(row->h5, sizeof row->h5, "%s", s->outputs[i].final[1]);
  }
  return 0;
}

/* A row of the earlier index for this configuration, with the same signature and its files. */
static const cli_sweep_row_t *finished_before(const sweep_t *s, const cli_sweep_row_t *row) {
  for (long j = 0; j < s->earlier_count; j++) {
    const cli_sweep_row_t *old = &s->earlier[j];
    if (old->signature == row->signature && strcmp(old->csv, row->csv) == 0 && access(old->csv, F_OK) == 0 &&
        access(old->h5, F_OK) == 0)
      return old;
  }
  return NULL;
}

/* The index and the figure, as one transaction. */
static int write_index(const sweep_t *s, cli_output_t *index, int with_figure, char *message, size_t size) {
  for (int i = 0; i < index->count; i++) cli_output_remember(index->staged[i], 0);
  if (cli_sweep_write_index(index->staged[0], &s->grid, s->rows) != DMFT_OK) {
    cli_output_abandon(index);
    snprintf(message, size, "could not write %s", index->final[0]);
    return 2;
  }
  if (with_figure &&
      cli_sweep_write_figure(&s->grid, s->rows, index->staged[1], index->staged[2], message, size) != 0) {
    cli_output_abandon(index);
    return 2;
  }
  /* Between configurations only the index moves; the figure is drawn once, at the end. */
  cli_output_t only_index = *index;
  if (!with_figure) only_index.count = 1;
  if (!with_figure)
    for (int i = 1; i < index->count; i++) cli_output_forget(index->staged[i]);
  if (!cli_output_commit(&only_index)) {
    snprintf(message, size, "could not write %s (disk full or directory no longer writable)", index->final[0]);
    return 2;
  }
  return 0;
}

/* Solves configuration i and writes its pair; its row says how it went. 0, 2 or 3. */
static int run_one(sweep_t *s, long i, int quiet, char *message, size_t size) {
  char label[512];
  cli_sweep_grid_label(&s->grid, i, label, sizeof label);
  cli_progress_t progress;
  char title[600];
  snprintf(title, sizeof title, "dmft sweep [%ld/%ld] %s", i + 1, s->grid.configurations, label);
  cli_progress_start(&progress, title, quiet);
  dmft_result_t *result = NULL;
  const int status = dmft_solve(&s->options[i].problem, cli_progress_update, &progress, &result);
  cli_progress_finish(&progress);
  cli_sweep_row_t *row = &s->rows[i];
  if (status != DMFT_OK && status != DMFT_EDIVERGED) {
    snprintf(message, size, "configuration %s: %s", label, dmft_strerror(status));
    snprintf(row->status, sizeof row->status, "failed");
    return 2;
  }
  int exit_status = 0;
  if (result->rows_done > 0 && cli_write_outputs(&s->outputs[i], &s->options[i].problem, result, NULL)) {
    cli_sweep_row_from_result(row, result);
    row->done = 1;
    snprintf(row->status, sizeof row->status, status == DMFT_OK ? "done" : "diverged");
    exit_status = status == DMFT_OK ? 0 : 3;
  } else if (result->rows_done == 0) {
    row->diverged_at = result->diverged_at;
    snprintf(row->status, sizeof row->status, "diverged");
    exit_status = 3;
  } else {
    snprintf(message, size, "could not write %s and %s", s->outputs[i].final[0], s->outputs[i].final[1]);
    snprintf(row->status, sizeof row->status, "failed");
    exit_status = 2;
  }
  dmft_result_free(&result);
  return exit_status;
}

/* The line a finished configuration gets. */
static void print_row(const sweep_t *s, long i) {
  char label[512];
  cli_sweep_grid_label(&s->grid, i, label, sizeof label);
  const cli_sweep_row_t *row = &s->rows[i];
  if (row->done)
    printf("dmft sweep [%ld/%ld] %s: test loss %.6g +- %.2g, M %.6g +- %.2g%s\n", i + 1, s->grid.configurations, label,
           row->test_loss, row->test_loss_se, row->M, row->M_se,
           strcmp(row->status, "diverged") == 0 ? " (diverged; rows before it)" : "");
  else
    printf("dmft sweep [%ld/%ld] %s: %s\n", i + 1, s->grid.configurations, label, row->status);
}

int cli_sweep(int argc, char **argv) {
  cli_options_t *base = malloc(sizeof *base);
  if (!base) return 2;
  cli_options_defaults(base, CLI_SWEEP);
  char message[10000] = ""; /* room for two paths and a nested message */
  const int parsed = cli_options_parse(base, argc, argv, message, sizeof message);
  if (parsed == 1) {
    cli_options_print_help(CLI_SWEEP, cli_sweep_summary);
    free(base);
    return 0;
  }
  sweep_t s = {0};
  cli_output_t index;
  const char *const index_suffixes[] = {"-index.csv", "-summary.svg", "-summary.png"};
  const int refused = parsed != 0 || plan(&s, base, message, sizeof message) != 0 ||
                      !cli_output_prepare(&index, "--out", base->out_prefix, index_suffixes, 3, message, sizeof message);
  if (refused) cli_fail("dmft sweep: %s", message);
  if (cli_ranks_agree(refused ? 2 : 0) != 0) {
    sweep_free(&s);
    free(base);
    return 2;
  }
  /* Under mpirun the configurations are dealt to the ranks in rounds, rank j taking the j-th of
   * each round and solving it alone (its threads only) into its own pair of files; after a round
   * every rank has every row, and rank 0 writes the index. */
  const int ranks = dmft_ranks_size(), me = dmft_ranks_rank();
  for (long i = 0; ranks > 1 && i < s.grid.configurations; i++) s.options[i].problem.this_rank_alone = 1;
  s.earlier_count = cli_sweep_read_index(index.final[0], s.earlier, s.grid.configurations);
  int exit_status = 0;
  long skipped = 0;
  char *fresh = calloc((size_t)ranks, 1); /* which configurations of a round were solved now */
  for (long round = 0; fresh && round < s.grid.configurations && exit_status != 2; round += ranks) {
    int ran = 0, status = 0;
    for (int j = 0; j < ranks && round + j < s.grid.configurations; j++) {
      const long i = round + j;
      const cli_sweep_row_t *old = finished_before(&s, &s.rows[i]); /* every rank sees the same files */
      fresh[j] = !old;
      if (old) {
        s.rows[i] = *old;
        skipped++;
        if (strcmp(old->status, "diverged") == 0 && status < 3) status = 3;
      } else if (j == me) {
        const int outcome = run_one(&s, i, base->quiet || ranks > 1, message, sizeof message);
        if (outcome > status) status = outcome;
        ran = 1;
      }
    }
    for (int j = 0; ranks > 1 && j < ranks && round + j < s.grid.configurations; j++)
      dmft_ranks_broadcast(&s.rows[round + j], sizeof s.rows[round + j], j);
    ran = cli_ranks_agree(ran);
    /* A failure's message is the failing rank's: the first one's goes to rank 0. */
    const int failing = ranks > 1 ? -cli_ranks_agree(status == 2 ? -me : -ranks) : ranks;
    if (failing < ranks) dmft_ranks_broadcast(message, sizeof message, failing);
    status = cli_ranks_agree(status);
    if (status > exit_status) exit_status = status;
    for (int j = 0; !base->quiet && me == 0 && j < ranks && round + j < s.grid.configurations; j++)
      if (fresh[j]) print_row(&s, round + j);
    /* After each round, so that a sweep stopped here resumes after it. */
    if (ran && me == 0 && write_index(&s, &index, 0, message, sizeof message) != 0) exit_status = 2;
    exit_status = cli_ranks_agree(exit_status);
  }
  if (!fresh) {
    snprintf(message, sizeof message, "out of memory");
    exit_status = 2;
  }
  free(fresh);
  if (exit_status != 2 && me == 0 && write_index(&s, &index, 1, message, sizeof message) != 0) exit_status = 2;
  exit_status = cli_ranks_agree(exit_status);
  if (exit_status == 2) cli_fail("dmft sweep: %s", message);
  else if (!base->quiet && me == 0)
    printf("dmft sweep: %ld configurations (%ld done before, skipped); index %s, figure %s and %s\n", s.grid.configurations,
           skipped, index.final[0], index.final[1], index.final[2]);
  sweep_free(&s);
  free(base);
  return exit_status;
}
