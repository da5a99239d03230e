/* cmd_calibrate.c - `calftrack calibrate`. */
#include "cli.h"

#include <string.h>

int cmd_calibrate(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("Usage: calftrack calibrate [options]\n\nThis command is not available in this version yet.\n");
        return 0;
    }
    return cli_unavailable("calibrate", "'calftrack calibrate'");
}
