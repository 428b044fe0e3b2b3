/* dmft.1 and the bash completion (cli/manual.h). */
#include "manual.h"

#include <string.h>

#include "commands.h"
#include "dmft/dmft.h"
#include "options.h"

static const struct {
  cli_command_t command; /* 0: a command without the option table */
  const char *name;
  const char *const *summary;
  const char *synopsis;
} commands[] = {
    {CLI_SOLVE, "solve", &cli_solve_summary, "[--option value ...]"},
    {CLI_SIMULATE, "simulate", &cli_simulate_summary, "[--option value ...]"},
    {CLI_VALIDATE, "validate", &cli_validate_summary, "[--option value ...]"},
    {CLI_CONVERGE, "converge", &cli_converge_summary, "[--option value ...]"},
    {CLI_ONLINE, "online", &cli_online_summary, "[--option value ...]"},
    {CLI_SWEEP, "sweep", &cli_sweep_summary, "--sweep NAME=VALUES ... [--option value ...]"},
    {0, "list", &cli_list_summary, "[--plugin FILE.so ...]"},
    {0, "check-plugin", &cli_check_plugin_summary, "FILE.so"},
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

/* Text for roff: backslashes and dashes escaped, a line never starting with a control
 * character, newlines of the summaries joined into one paragraph. */
static void roff_text(FILE *out, const char *text) {
  int line_start = 1;
  for (const char *c = text; *c; c++) {
    if (line_start && (*c == '.' || *c == '\'')) fputs("\\&", out);
    line_start = 0;
    if (*c == '\\') fputs("\\e", out);
    else if (*c == '-') fputs("\\-", out);
    else if (*c == '\n') fputc(' ', out);
    else fputc(*c, out);
  }
}

void cli_print_manual(FILE *out) {
  fprintf(out, ".TH DMFT 1 \"\" \"dmft %s\" \"User Commands\"\n", dmft_version());
  fprintf(out, ".SH NAME\ndmft \\- exact n, d \\-> infinity learning curves of multi\\-pass SGD, SME and gradient flow "
               "from the dynamical mean\\-field equations\n");
  fprintf(out, ".SH SYNOPSIS\n");
  for (size_t i = 0; i < COMMAND_COUNT; i++) {
    fprintf(out, ".B dmft %s\n", commands[i].name);
    roff_text(out, commands[i].synopsis);
    fprintf(out, "\n.br\n");
  }
  fprintf(out, ".B dmft help\n.I COMMAND\n.br\n.B dmft \\-\\-version\n");
  fprintf(out, ".SH DESCRIPTION\n");
  roff_text(out, "dmft solves the DMFT equations of multi-pass mini-batch SGD in multi-index models in one causal sweep "
                 "in time, for the correlation and response kernels of the parameters and of the samples, driven by a "
                 "noise module: poisson (SGD), bernoulli (SGD with an extensive batch), gauss (SME) or flow (gradient "
                 "flow). Every sampled number comes with a standard error from independent replica groups. A companion "
                 "finite-n simulator of the real algorithms validates the solver. The options of a command can also be "
                 "given in an INI file (--config FILE), by the same names without dashes; the command line overrides "
                 "the file, and paths in the file are relative to it. Under mpirun -np P, solve and converge spread "
                 "every replica group's paths over the P ranks, simulate and validate also their seeds, and sweep its "
                 "configurations; rank 0 writes the same files as one process would, to the bit.");
  fprintf(out, "\n.SH COMMANDS\n");
  for (size_t i = 0; i < COMMAND_COUNT; i++) {
    fprintf(out, ".SS dmft %s\n", commands[i].name);
    roff_text(out, *commands[i].summary);
    fprintf(out, "\n");
    if (!commands[i].command) continue;
    cli_option_info_t info;
    for (int o = 0; cli_option_info(commands[i].command, o, &info); o++) {
      /* The tag on one line: bold option, italic value. */
      fprintf(out, ".TP\n%s \"\\-\\-", info.is_flag ? ".B" : ".BI");
      roff_text(out, info.name);
      fprintf(out, info.is_flag ? "\"\n" : " \" ");
      if (!info.is_flag) {
        roff_text(out, info.metavar);
        fprintf(out, "\n");
      }
      roff_text(out, info.help);
      if (info.default_text[0]) {
        fprintf(out, " (default: ");
        roff_text(out, info.default_text);
        fprintf(out, ")");
      }
      fprintf(out, "\n");
    }
    fprintf(out, ".PP\nExample:\n.RS\n.nf\n");
    roff_text(out, cli_command_example(commands[i].command));
    fprintf(out, "\n.fi\n.RE\n");
  }
  fprintf(out, ".SH EXIT STATUS\n.TP\n0\ndone (validate, check\\-plugin: PASS)\n.TP\n1\nvalidate, check\\-plugin: FAIL\n"
               ".TP\n2\nbad input: one line on standard error names the option and what it accepts; nothing is "
               "written and earlier outputs are kept\n.TP\n3\nthe dynamics diverged: the time is reported and the rows "
               "before it are written\n.TP\n4\na plugin crashed; the plugin is named\n.TP\n130, 143\na checkpointed solve "
               "stopped by SIGINT or SIGTERM, its state saved\n");
  fprintf(out, ".SH FILES\n");
  roff_text(out, "PREFIX.csv and PREFIX.h5: the learning curves, overlaps and kernels with standard errors (every HDF5 "
                 "dataset carries its description, units and dimension names). Reports: DIR/index.html with its plots "
                 "and DIR/report.md.");
  fprintf(out, "\n.SH SEE ALSO\nThe documents in docs/ of the dmft source tree; the Python package dmft (import "
               "dmft).\n");
}

void cli_print_bash_completion(FILE *out) {
  fprintf(out, "# bash completion for dmft %s, generated by dmft --bash-completion\n_dmft() {\n"
               "  local current=${COMP_WORDS[COMP_CWORD]} previous=${COMP_WORDS[COMP_CWORD-1]} options\n"
               "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n    COMPREPLY=($(compgen -W \"",
          dmft_version());
  for (size_t i = 0; i < COMMAND_COUNT; i++) fprintf(out, "%s ", commands[i].name);
  fprintf(out, "help --help --version\" -- \"$current\"))\n    return\n  fi\n  case ${COMP_WORDS[1]} in\n");
  for (size_t i = 0; i < COMMAND_COUNT; i++) {
    fprintf(out, "    %s) options=\"", commands[i].name);
    if (commands[i].command) {
      cli_option_info_t info;
      for (int o = 0; cli_option_info(commands[i].command, o, &info); o++) fprintf(out, "--%s ", info.name);
    } else if (strcmp(commands[i].name, "list") == 0) {
      fprintf(out, "--plugin ");
    }
    fprintf(out, "--help\" ;;\n");
  }
  fprintf(out, "    help) COMPREPLY=($(compgen -W \"");
  for (size_t i = 0; i < COMMAND_COUNT; i++) fprintf(out, "%s ", commands[i].name);
  fprintf(out, "\" -- \"$current\")); return ;;\n  esac\n"
               "  case $previous in\n"
               "    --plugin|--config|--resume|--checkpoint) COMPREPLY=($(compgen -f -- \"$current\")); return ;;\n"
               "    --out|--report) COMPREPLY=($(compgen -f -- \"$current\")); return ;;\n"
               "    --noise) COMPREPLY=($(compgen -W \"poisson bernoulli gauss flow\" -- \"$current\")); return ;;\n"
               "  esac\n"
               "  if [ \"${COMP_WORDS[1]}\" = check-plugin ]; then COMPREPLY=($(compgen -f -- \"$current\")); return; fi\n"
               "  COMPREPLY=($(compgen -W \"$options\" -- \"$current\"))\n}\ncomplete -F _dmft dmft\n");
}
