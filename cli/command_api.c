/* dmft/command.h: the commands in-process, over the session of cli/command_session.h. */
#include "dmft/command.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command_session.h"
#include "provenance.h"

struct dmft_command {
  cli_session_t session;
  char command_line[8192];
  char model_params[1024];
  char seed_text[24];
};

/* The commands keep process-wide state (the provenance line, the loaded plugins, the staged
 * outputs to clean up): one runs at a time. */
static pthread_mutex_t one_command_at_a_time = PTHREAD_MUTEX_INITIALIZER;

dmft_command_t *dmft_command_create(void) {
  dmft_command_t *command = calloc(1, sizeof *command);
  if (!command) return NULL;
  command->session.embedded = 1;
  command->session.write_files = 1;
  return command;
}

void dmft_command_set_write_files(dmft_command_t *command, int write_files) { command->session.write_files = write_files != 0; }

static void forget_last_run(cli_session_t *session) {
  dmft_result_free(&session->result);
  session->has_problem = 0;
  free(session->table_csv);
  session->table_csv = NULL;
  session->message[0] = '\0';
  session->tolerance = session->finite_size_slope = NAN;
}

/* "param_NAME,..." for every parameter of the chosen components, as the HDF5 file names them. */
static void list_model_params(const dmft_model_t *model, char *text, size_t size) {
  size_t used = 0;
  text[0] = '\0';
  const char *name;
  double value;
  for (int i = 0; dmft_model_param_at(model, i, &name, &value) && used + 1 < size; i++) {
    const size_t start = used;
    used += (size_t)snprintf(text + used, size - used, "%sparam_%s", used ? "," : "", name);
    for (size_t c = start; c < used && c < size; c++)
      if (text[c] == '-') text[c] = '_';
  }
}

int dmft_command_run(dmft_command_t *command, int argc, const char *const *argv) {
  cli_session_t *session = &command->session;
  forget_last_run(session);
  if (argc < 1) {
    snprintf(session->message, sizeof session->message, "dmft: no command given (accepted: solve, simulate, validate, converge, "
                                                        "online, sweep, list, check-plugin)");
    return 2;
  }
  /* The commands take char ** as main's argv; they never write through it. */
  char **arguments = calloc((size_t)argc + 2, sizeof *arguments);
  if (!arguments) {
    snprintf(session->message, sizeof session->message, "dmft: out of memory");
    return 2;
  }
  arguments[0] = "dmft";
  for (int i = 0; i < argc; i++) arguments[i + 1] = (char *)argv[i];
  pthread_mutex_lock(&one_command_at_a_time);
  session->stop = 0;
  cli_session_enter(session);
  cli_provenance_record(argc + 1, arguments);
  snprintf(command->command_line, sizeof command->command_line, "%s", cli_provenance_command_line());
  const int status = cli_dispatch(argc, arguments + 1);
  cli_session_leave();
  command->model_params[0] = '\0';
  if (session->has_problem) {
    list_model_params(&session->problem.model, command->model_params, sizeof command->model_params);
    snprintf(command->seed_text, sizeof command->seed_text, "%llu", (unsigned long long)session->problem.seed);
  }
  /* What the command printed reaches the caller's terminal before the caller prints again. */
  fflush(stdout);
  pthread_mutex_unlock(&one_command_at_a_time);
  free(arguments);
  return status;
}

void dmft_command_interrupt(dmft_command_t *command) { command->session.stop = 1; }

const char *dmft_command_message(const dmft_command_t *command) { return command->session.message; }

const dmft_result_t *dmft_command_result(const dmft_command_t *command) { return command->session.result; }

const dmft_problem_t *dmft_command_problem(const dmft_command_t *command) {
  return command->session.has_problem ? &command->session.problem : NULL;
}

double dmft_command_number(const dmft_command_t *command, const char *name) {
  const cli_session_t *session = &command->session;
  if (strcmp(name, "tolerance") == 0) return session->tolerance;
  if (strcmp(name, "finite_size_slope") == 0) return session->finite_size_slope;
  if (!session->has_problem) return NAN;
  const dmft_problem_t *p = &session->problem;
  const struct {
    const char *name;
    double value;
  } numbers[] = {{"gamma", p->gamma},
                 {"eta", p->eta},
                 {"kappa", p->kappa},
                 {"ridge", p->ridge},
                 {"theta0_var", p->theta0_var},
                 {"init_overlap", p->init_overlap},
                 {"teacher_var", p->teacher_var},
                 {"sparsity", p->sparsity},
                 {"label_noise", p->model.label_noise},
                 {"flip_prob", p->model.flip_prob},
                 {"k", p->model.k},
                 {"kstar", p->model.kstar},
                 {"tmax", p->tmax},
                 {"dt", p->dt},
                 {"paths", (double)p->paths},
                 {"seed", (double)p->seed},
                 {"quasi_random", p->quasi_random},
                 {"parameter_paths", (double)p->parameter_paths},
                 {"train_loss_paths", (double)p->train_loss_paths},
                 {"response_paths", (double)p->response_paths},
                 {"eta_final", p->eta_schedule.final},
                 {"warmup", p->eta_schedule.warmup},
                 {"kappa_final", p->kappa_schedule.final},
                 {"momentum_time", p->momentum_time}};
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
    if (strcmp(name, numbers[i].name) == 0) return numbers[i].value;
  /* param_NAME: a parameter of the chosen components, named as in the HDF5 file. */
  if (strncmp(name, "param_", 6) == 0) {
    char parameter[80];
    snprintf(parameter, sizeof parameter, "%s", name + 6);
    for (char *c = parameter; *c; c++)
      if (*c == '_') *c = '-';
    int found = 0;
    const double value = dmft_model_param(&p->model, parameter, &found);
    if (found) return value;
  }
  return NAN;
}

const char *dmft_command_text(const dmft_command_t *command, const char *name) {
  const cli_session_t *session = &command->session;
  if (strcmp(name, "table") == 0) return session->table_csv;
  if (strcmp(name, "command_line") == 0) return command->command_line[0] ? command->command_line : NULL;
  if (!session->has_problem) return NULL;
  const dmft_problem_t *p = &session->problem;
  if (strcmp(name, "loss") == 0) return p->model.loss->name;
  if (strcmp(name, "activation") == 0) return p->model.activation->name;
  if (strcmp(name, "teacher") == 0) return p->model.teacher->name;
  if (strcmp(name, "regularizer") == 0) return p->model.regularizer->name;
  if (strcmp(name, "noise") == 0) return p->noise->name;
  if (strcmp(name, "seed") == 0) return command->seed_text; /* all 64 bits, which a double does not hold */
  if (strcmp(name, "parameter_side") == 0) return dmft_problem_parameter_side_is_sampled(p) ? "sampled" : "exact";
  if (strcmp(name, "model_params") == 0) return command->model_params;
  if (strcmp(name, "eta_schedule") == 0) return dmft_schedule_name(p->eta_schedule.kind);
  if (strcmp(name, "kappa_schedule") == 0) return dmft_schedule_name(p->kappa_schedule.kind);
  if (strcmp(name, "teacher_prior") == 0) return dmft_prior_name(p->teacher_prior);
  if (strcmp(name, "init_prior") == 0) return dmft_prior_name(p->init_prior);
  return NULL;
}

void dmft_command_free(dmft_command_t **command) {
  if (!*command) return;
  forget_last_run(&(*command)->session);
  free(*command);
  *command = NULL;
}
