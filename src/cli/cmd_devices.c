/* cmd_devices.c - `calftrack devices`. */
#include "cli.h"

#include <string.h>

int cmd_devices(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("Usage: calftrack devices [options]\n\nThis command is not available in this version yet.\n");
        return 0;
    }
    return cli_unavailable("devices", "'calftrack devices'");
}
