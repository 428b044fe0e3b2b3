/* The conventions of the command line: -h, --help and dmft help CMD say the same; --help shows
 * each option's default next to it and an example line; the manual page and the bash completion
 * cover every option of every command; --quiet leaves nothing on stdout; paths in a config file
 * are relative to the file. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_support.h"
#include "test_support.h"

static const char *const commands[] = {"solve", "simulate", "validate", "converge", "online", "sweep", "list",
                                       "check-plugin"};
#define COMMANDS (sizeof commands / sizeof commands[0])

static void test_three_ways_to_ask_for_help(void) {
  static char long_form[65536];
  for (size_t i = 0; i < COMMANDS; i++) {
    char arguments[128];
    snprintf(arguments, sizeof arguments, "%s --help", commands[i]);
    CU_ASSERT_EQUAL(run(arguments), 0);
    snprintf(long_form, sizeof long_form, "%s", output);
    CU_ASSERT_PTR_NOT_NULL(strstr(long_form, "usage: dmft "));
    snprintf(arguments, sizeof arguments, "%s -h", commands[i]);
    CU_ASSERT_EQUAL(run(arguments), 0);
    CU_ASSERT_STRING_EQUAL(output, long_form);
    snprintf(arguments, sizeof arguments, "help %s", commands[i]);
    CU_ASSERT_EQUAL(run(arguments), 0);
    CU_ASSERT_STRING_EQUAL(output, long_form);
  }
}

/* Each default is read from the defaults themselves: --gamma's is dmft_problem_set_defaults'
 * 2, validate's sizes its own list, converge's levels 4. */
static void test_help_shows_defaults_and_an_example(void) {
  CU_ASSERT_EQUAL(run("solve --help"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "  --gamma G                sample ratio n/d > 0 [2]\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "--noise NAME"));
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "| shuffle-once [poisson]\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "--paths N"));
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "replica groups [20000]\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "--out PREFIX             write PREFIX.h5 and PREFIX.csv [dmft-run]\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "example:\n  dmft solve "));
  CU_ASSERT_EQUAL(run("validate --help"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "[2000,4000,8000]\n"));
  CU_ASSERT_EQUAL(run("converge --help"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "levels of the dt ladder, 2..8 [4]\n"));
  CU_ASSERT_EQUAL(run("sweep --help"), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(output, "example:\n  dmft sweep --sweep "));
}

/* Every option --help lists is in the manual page and in the completion of its command. */
static void test_manual_and_completion_cover_every_option(void) {
  char build[512], path[600];
  snprintf(build, sizeof build, "%s", DMFT_CLI_PATH);
  *strrchr(build, '/') = '\0';
  static char manual[200000], completion[65536];
  snprintf(path, sizeof path, "%s/dmft.1", build);
  read_file(path, manual, sizeof manual);
  snprintf(path, sizeof path, "%s/dmft.bash-completion", build);
  read_file(path, completion, sizeof completion);
  CU_ASSERT_EQUAL(strncmp(manual, ".TH DMFT 1 ", 11), 0);
  for (size_t i = 0; i < 6; i++) {
    char arguments[128], section[64];
    snprintf(arguments, sizeof arguments, "%s --help", commands[i]);
    CU_ASSERT_EQUAL_FATAL(run(arguments), 0);
    snprintf(section, sizeof section, ".SS dmft %s\n", commands[i]);
    const char *in_manual = strstr(manual, section);
    snprintf(section, sizeof section, "    %s) options=\"", commands[i]);
    const char *in_completion = strstr(completion, section);
    CU_ASSERT_FATAL(in_manual != NULL && in_completion != NULL);
    const char *end_of_completion = strchr(in_completion, '\n');
    for (const char *line = strstr(output, "\n  --"); line; line = strstr(line + 1, "\n  --")) {
      char name[64], roff[80], completed[80];
      if (sscanf(line + 3, "%63s", name) != 1 || strcmp(name, "--help") == 0) continue;
      snprintf(roff, sizeof roff, "\"\\-\\-%s", name + 2);
      for (char *c = roff + 6; *c; c++)
        if (*c == '-') {
          memmove(c + 1, c, strlen(c) + 1);
          *c++ = '\\';
        }
      const char *next_section = strstr(in_manual + 1, ".SS ");
      const char *found = strstr(in_manual, roff);
      CU_ASSERT(found != NULL && (!next_section || found < next_section));
      snprintf(completed, sizeof completed, " %s ", name);
      const char *listed = strstr(in_completion + strlen(section) - 1, completed);
      if (!listed) {
        snprintf(completed, sizeof completed, "\"%s ", name);
        listed = strstr(in_completion, completed);
      }
      CU_ASSERT(listed != NULL && listed < end_of_completion);
      if (!found || !listed) fprintf(stderr, "dmft %s %s: manual %p, completion %p\n", commands[i], name, (void *)found,
                                     (void *)listed);
    }
  }
  /* The completion works in bash: the options of solve that start with --qu. */
  char script[1024];
  snprintf(script, sizeof script,
           "bash -c 'source %s/dmft.bash-completion; COMP_WORDS=(dmft solve --qu); COMP_CWORD=2; _dmft; echo "
           "\"${COMPREPLY[*]}\"' > %s/completed.txt",
           build, directory);
  CU_ASSERT_EQUAL(system(script), 0);
  char completed[256];
  text_of("completed.txt", completed, sizeof completed);
  CU_ASSERT_STRING_EQUAL(completed, "--quiet --quasi-random\n");
}

static void test_quiet_prints_nothing(void) {
  const char *runs[] = {"solve --quiet --paths 320 --tmax 0.3 --out q1", "simulate --quiet --n 200 --seeds 2 --tmax 0.3 --out q2",
                        "converge --quiet --dt 0.1,0.05 --tmax 0.3 --paths 320 --path-levels 0 --out q3",
                        "online --quiet --gamma 10 --tmax 0.1 --dt 0.01 --out q4",
                        "sweep --quiet --sweep eta=1,2 --paths 320 --tmax 0.3 --out q5"};
  for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
    CU_ASSERT_EQUAL(run(runs[i]), 0);
    CU_ASSERT_STRING_EQUAL(output, "");
    CU_ASSERT_STRING_EQUAL(errors, "");
  }
  /* validate's verdict is its answer: one line. */
  CU_ASSERT_EQUAL(run("validate --quiet --noise flow --loss squared --activation linear --teacher linear --tmax 0.5 "
                      "--paths 2000 --n 500 --seeds 4"),
                  0);
  CU_ASSERT_EQUAL(count_lines(output), 1);
  CU_ASSERT_EQUAL(strncmp(output, "dmft validate: PASS (largest deviation ", 39), 0);
}

/* A study's config file names its plugin and its outputs relative to itself, and works from
 * any directory; an absolute path stays as it is. */
static void test_config_paths_are_relative_to_the_file(void) {
  char command[1024], text[1024];
  snprintf(command, sizeof command, "mkdir -p %s/study/plugins && cp %s/robust.so %s/study/plugins/", directory,
           DMFT_PLUGIN_DIR, directory);
  CU_ASSERT_EQUAL_FATAL(system(command), 0);
  snprintf(text, sizeof text,
           "[solve]\nplugin = plugins/robust.so\nloss = cauchy\nmodel_param = cauchy-scale=0.5\npaths = 320\ntmax = 0.3\n"
           "out = results\nquiet = true\n");
  write_text("study/run.ini", text);
  CU_ASSERT_EQUAL(run("solve --config study/run.ini"), 0);
  CU_ASSERT(exists("study/results.csv") && exists("study/results.h5") && !exists("results.csv"));
  snprintf(text, sizeof text, "[solve]\npaths = 320\ntmax = 0.3\nout = %s/absolute\nquiet = true\n", directory);
  write_text("study/absolute.ini", text);
  CU_ASSERT_EQUAL(run("solve --config study/absolute.ini"), 0);
  CU_ASSERT(exists("absolute.csv"));
  /* The command line keeps meaning the working directory. */
  CU_ASSERT_EQUAL(run("solve --config study/run.ini --out here"), 0);
  CU_ASSERT(exists("here.csv"));
}

int main(void) {
  if (cli_test_make_directory("conventions") != 0) return 1;
  CU_TestInfo tests[] = {{"three ways to ask for help", test_three_ways_to_ask_for_help},
                         {"help shows defaults and an example", test_help_shows_defaults_and_an_example},
                         {"manual and completion cover every option", test_manual_and_completion_cover_every_option},
                         {"quiet prints nothing", test_quiet_prints_nothing},
                         {"config paths are relative to the file", test_config_paths_are_relative_to_the_file},
                         CU_TEST_INFO_NULL};
  const int failed = dmft_test_run("cli conventions", tests);
  return cli_test_remove_directory() != 0 ? 1 : failed;
}
