/* cmd_analyze.c - `calftrack analyze`. */
#include "cli.h"

#include <string.h>

int cmd_analyze(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("Usage: calftrack analyze [options]\n\nThis command is not available in this version yet.\n");
        return 0;
    }
    return cli_unavailable("analyze", "'calftrack analyze'");
}
