/* dmft list: every model component (built-in and from --plugin files) and noise module, by the
 * names the options take, with the parameters --model-param sets. */
#include <stdio.h>
#include <string.h>

#include "command_session.h"
#include "commands.h"
#include "dmft/dmft.h"
#include "dmft/plugin.h"

static void print_params(const dmft_model_param_t *params, int count) {
  for (int i = 0; i < count; i++)
    printf("      --model-param %s=%g   %s, in [%g, %g]\n", params[i].name, params[i].default_value, params[i].summary,
           params[i].min_value, params[i].max_value);
}

static void print_plugin(const dmft_plugin_t *plugin, const char *path) {
  printf("%s (%s): %s\n", plugin->name, path, plugin->summary ? plugin->summary : "");
  for (int i = 0; i < plugin->activation_count; i++) {
    const dmft_activation_t *a = &plugin->activations[i];
    printf("  --activation %-14s %s\n", a->name, a->summary ? a->summary : "");
    print_params(a->params, a->param_count);
  }
  for (int i = 0; i < plugin->loss_count; i++) {
    const dmft_loss_t *l = &plugin->losses[i];
    printf("  --loss %-20s %s\n", l->name, l->summary ? l->summary : "");
    print_params(l->params, l->param_count);
  }
  for (int i = 0; i < plugin->teacher_count; i++) {
    const dmft_teacher_t *t = &plugin->teachers[i];
    printf("  --teacher %-17s %s\n", t->name, t->summary ? t->summary : "");
    print_params(t->params, t->param_count);
  }
  for (int i = 0; i < plugin->regularizer_count; i++) {
    const dmft_regularizer_t *r = &plugin->regularizers[i];
    printf("  --regularizer %-13s %s\n", r->name, r->summary ? r->summary : "");
    print_params(r->params, r->param_count);
  }
}

const char *const cli_list_summary =
    "List the model components (activations, losses, teachers, regularizers) with their parameters, built-in and from\n"
    "the given plugins, and the noise modules.";

int cli_list(int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      printf("usage: dmft list [--plugin FILE.so ...]\n\n%s\n", cli_list_summary);
      return 0;
    }
    const char *path = strncmp(argv[i], "--plugin=", 9) == 0 ? argv[i] + 9
                       : strcmp(argv[i], "--plugin") == 0 && i + 1 < argc ? argv[++i]
                                                                           : NULL;
    if (!path) {
      cli_fail("dmft list: unexpected argument '%s' (dmft list takes --plugin FILE.so and --help)", argv[i]);
      return 2;
    }
    char message[1024];
    if (dmft_plugin_load(path, message, sizeof message) != DMFT_OK) {
      cli_fail("dmft list: %s", message);
      return 2;
    }
  }
  for (size_t i = 0; i < dmft_plugin_count(); i++) print_plugin(dmft_plugin_at(i), dmft_plugin_path(i));
  printf("noise modules (--noise):\n");
  for (size_t i = 0; i < dmft_noise_count(); i++)
    printf("  --noise %-19s %s%s\n", dmft_noise_at(i)->name, dmft_noise_at(i)->summary,
           dmft_noise_at(i)->is_point_process ? " [point process: sparse engine]" : " [dense engine]");
  return 0;
}
