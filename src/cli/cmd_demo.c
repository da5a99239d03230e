/* cmd_demo.c - `calftrack demo`. */
#include "cli.h"

#include <string.h>

int cmd_demo(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("Usage: calftrack demo [options]\n\nThis command is not available in this version yet.\n");
        return 0;
    }
    return cli_unavailable("demo", "'calftrack demo'");
}
