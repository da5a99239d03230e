/* fuzz_presc.c - libFuzzer target: the prescription parser. Whatever it accepts, it
 * writes back and reads back identically. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/presc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static presc a, b;
    presc_error err;
    if (presc_parse("fuzz.csv", (const char *)data, size, &a, &err) != 0) {
        char msg[700];
        presc_error_format(&err, msg, sizeof msg);
        if (msg[0] == '\0')
            abort(); /* every refusal must say why */
        return 0;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return 0;
    if (presc_write(f, &a) != 0)
        abort();
    fclose(f);
    if (presc_parse("again.csv", buf, len, &b, &err) != 0 || b.n != a.n)
        abort();
    for (int i = 0; i < a.n; i++)
        if (a.item[i].exercise != b.item[i].exercise || a.item[i].sets != b.item[i].sets ||
            a.item[i].reps != b.item[i].reps || a.item[i].side != b.item[i].side)
            abort();
    free(buf);
    return 0;
}
