/* dmft list: the built-in models and noise modules, by the names the options take. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "dmft/dmft.h"

int cli_list(int argc, char **argv) {
  if (argc > 0 && strcmp(argv[0], "--help") == 0) {
    printf("usage: dmft list\n\nList the built-in activations, losses, teachers and noise modules.\n");
    return 0;
  }
  if (argc > 0) {
    fprintf(stderr, "dmft list: unexpected argument '%s' (dmft list takes none but --help)\n", argv[0]);
    return 2;
  }
  printf("activations (--activation):\n");
  for (size_t i = 0; i < dmft_activation_count(); i++)
    printf("  %-10s %s\n", dmft_activation_at(i)->name, dmft_activation_at(i)->summary);
  printf("losses (--loss):\n");
  for (size_t i = 0; i < dmft_loss_count(); i++) printf("  %-10s %s\n", dmft_loss_at(i)->name, dmft_loss_at(i)->summary);
  printf("teachers (--teacher):\n");
  for (size_t i = 0; i < dmft_teacher_count(); i++)
    printf("  %-10s %s\n", dmft_teacher_at(i)->name, dmft_teacher_at(i)->summary);
  printf("noise modules (--noise):\n");
  for (size_t i = 0; i < dmft_noise_count(); i++)
    printf("  %-10s %s%s\n", dmft_noise_at(i)->name, dmft_noise_at(i)->summary,
           dmft_noise_at(i)->is_point_process ? " [point process: sparse engine]" : " [dense engine]");
  return 0;
}
