/* The provenance section of a report (cli/report_provenance.h). */
#include "report_provenance.h"

#include <string.h>

#include "dmft/dmft.h"
#include "provenance.h"

/* Text for an HTML page: the five characters that would be markup escaped. */
static void escaped(FILE *out, const char *text, int html) {
  for (const char *c = text; *c; c++) {
    if (html && *c == '<') fputs("&lt;", out);
    else if (html && *c == '>') fputs("&gt;", out);
    else if (html && *c == '&') fputs("&amp;", out);
    else if (html && *c == '"') fputs("&quot;", out);
    else if (html && *c == '\'') fputs("&#39;", out);
    else fputc(*c, out);
  }
}

/* Every parameter of the chosen components, "name=value, ...". */
static void component_parameters(FILE *out, const dmft_model_t *model) {
  const char *name;
  double value;
  int i = 0;
  for (; dmft_model_param_at(model, i, &name, &value); i++) fprintf(out, "%s%s=%g", i ? ", " : "", name, value);
  if (i == 0) fputs("none", out);
}

static void describe_schedule(FILE *out, const dmft_schedule_t *s, double base, int is_eta) {
  if (s->kind == DMFT_SCHEDULE_FILE) fprintf(out, "from a file of %d points", s->points);
  else if (s->kind == DMFT_SCHEDULE_CONSTANT) fprintf(out, "constant %g", base);
  else fprintf(out, "%s from %g to %g at tmax", dmft_schedule_name(s->kind), base, s->final);
  if (is_eta && s->warmup > 0) fprintf(out, ", after a linear warmup over [0, %g]", s->warmup);
}

void cli_report_provenance(FILE *out, const dmft_problem_t *p, int with_grid, int html) {
  const char *open = html ? "<li>" : "- ", *close = html ? "</li>\n" : "\n";
  fprintf(out, html ? "<h2>Provenance</h2>\n<ul>\n" : "\n## Provenance\n\n");
  fprintf(out, "%sdmft %s; command line: %s", open, dmft_version(), html ? "<code>" : "`");
  escaped(out, cli_provenance_command_line(), html);
  fprintf(out, "%s%s", html ? "</code>" : "`", close);
  fprintf(out, "%smodel: loss %s, activation %s, teacher %s, regularizer %s; parameters: ", open, p->model.loss->name,
          p->model.activation->name, p->model.teacher->name, p->model.regularizer->name);
  component_parameters(out, &p->model);
  fprintf(out, "; label noise %g, flip probability %g; k = %d, k* = %d%s", p->model.label_noise, p->model.flip_prob,
          p->model.k, p->model.kstar, close);
  fprintf(out, "%sdata and start: gamma %g, teacher variance %g (prior %s), theta0 variance %g (prior %s), initial "
               "overlap %g, sparsity %g%s",
          open, p->gamma, p->teacher_var, dmft_prior_name(p->teacher_prior), p->theta0_var, dmft_prior_name(p->init_prior),
          p->init_overlap, p->sparsity, close);
  fprintf(out, "%straining: noise %s, eta %g, kappa %g, ridge %g; tmax %g", open, p->noise->name, p->eta, p->kappa, p->ridge,
          p->tmax);
  if (with_grid) fprintf(out, ", dt %g (%ld steps, output every %ld)", p->dt, dmft_problem_steps(p), dmft_problem_output_every(p));
  fputs(close, out);
  fprintf(out, "%sschedules: learning rate ", open);
  describe_schedule(out, &p->eta_schedule, p->eta, 1);
  fputs("; batch rate ", out);
  describe_schedule(out, &p->kappa_schedule, p->kappa, 0);
  if (p->momentum_time > 0) fprintf(out, "; momentum with time %g", p->momentum_time);
  fputs(close, out);
  fprintf(out, "%ssampling: %ld paths in %d replica groups, seed %llu, quasi-random first draws %s; parameter side %s; "
               "train-loss paths %ld, response paths %ld, parameter paths %ld (0: all)%s",
          open, p->paths, dmft_problem_groups(p), (unsigned long long)p->seed, p->quasi_random ? "on" : "off",
          dmft_problem_parameter_side_is_sampled(p) ? "sampled" : "exact", p->train_loss_paths, p->response_paths,
          p->parameter_paths, close);
  char plugins[8192];
  cli_provenance_plugins(plugins, sizeof plugins);
  fprintf(out, "%splugins: ", open);
  escaped(out, plugins[0] ? plugins : "none", html);
  fputs(close, out);
  if (html) fputs("</ul>\n", out);
}
