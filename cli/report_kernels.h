/* Heat maps of a solve's two-time kernels for the reports: C(t, s) and R(t, s) of the parameters,
 * Cl(t, s) and Rl(t, s) of the samples (entry 0,0), on at most 120 times a side (every few rows
 * when there are more), as DIR/kernels.dat and a gnuplot figure kernels.svg. */
#ifndef DMFT_CLI_REPORT_KERNELS_H
#define DMFT_CLI_REPORT_KERNELS_H

#include <stdio.h>

#include "dmft/dmft.h"

/* DIR/kernels.dat: blocks of "epoch_t epoch_s C R Cl Rl" lines, one block per t. 0, or -1. */
int cli_report_write_kernels(const char *directory, const dmft_problem_t *problem, const dmft_result_t *result);
/* The gnuplot commands drawing kernels.svg from kernels.dat, gnuplot running in DIR. */
void cli_report_plot_kernels(FILE *gp, const dmft_result_t *result, const char *title);

/* The report page's section on the kernels: a heading, what the maps show, and kernels.svg
 * of `directory` inlined. */
void cli_report_kernels_section(FILE *html, const char *directory);

#endif
