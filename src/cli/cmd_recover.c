/* cmd_recover.c - `calftrack recover`. */
#include "cli.h"

#include <string.h>

int cmd_recover(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("Usage: calftrack recover [options]\n\nThis command is not available in this version yet.\n");
        return 0;
    }
    return cli_unavailable("recover", "'calftrack recover'");
}
