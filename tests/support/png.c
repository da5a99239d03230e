/* png.c - see png.h. */
#include "png.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

bool test_png_ok(const char *path, unsigned w, unsigned h, size_t min_bytes)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char *b = malloc(4 << 20);
    size_t len = b ? fread(b, 1, 4 << 20, f) : 0;
    fclose(f);
    bool ok = len >= 33 && len >= min_bytes && memcmp(b, sig, 8) == 0 &&
              memcmp(b + 12, "IHDR", 4) == 0 && be32(b + 16) == w && be32(b + 20) == h &&
              memcmp(b + len - 8, "IEND", 4) == 0;
    free(b);
    return ok;
}
