/* png.h - checks that a file is the PNG a chart should be: signature, header chunk with
 * the expected size in pixels, an end chunk, and enough bytes to hold lines and text. */
#ifndef CALFTRACK_TEST_PNG_H
#define CALFTRACK_TEST_PNG_H

#include <stdbool.h>
#include <stddef.h>

/* True when path is a whole PNG of w x h pixels, at least min_bytes long. */
bool test_png_ok(const char *path, unsigned w, unsigned h, size_t min_bytes);

#endif
