/* fuzz_import.c - libFuzzer target: the CSV importer on any bytes, with a time column
 * and named columns; whatever it writes must read back as a recording. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calftrack/import.h"
#include "calftrack/rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *user, uint64_t line, const char *what)
{
    (void)user, (void)line, (void)what;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char in[64], out[64];
    snprintf(in, sizeof in, "/tmp/fuzz-import-%d.csv", (int)getpid());
    snprintf(out, sizeof out, "/tmp/fuzz-import-%d.ctr", (int)getpid());
    FILE *f = fopen(in, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    unlink(out);
    import_options opt;
    memset(&opt, 0, sizeof opt);
    const char *names[] = {"ax", "ay", "az", "gx", "gy", "gz"};
    for (int a = 0; a < 3; a++) {
        snprintf(opt.acc[a].name, sizeof opt.acc[a].name, "%s", names[a]);
        snprintf(opt.gyr[a].name, sizeof opt.gyr[a].name, "%s", names[3 + a]);
    }
    snprintf(opt.time.name, sizeof opt.time.name, "t");
    opt.time_unit_s = size > 0 && (data[0] & 1) ? 0.001 : 1.0;
    import_result res;
    if (import_csv(in, out, &opt, quiet, NULL, &res) == 0) {
        static rec_parser p;
        rec_parser_init(&p, NULL, NULL, NULL);
        if (rec_read_file(out, &p) != 0 || p.damage.bad_blocks != 0)
            abort();
        if (res.samples + res.bad_rows > res.rows)
            abort();
    }
    unlink(out);
    unlink(in);
    return 0;
}
