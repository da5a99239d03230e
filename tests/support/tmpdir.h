/* tmpdir.h - a fresh private directory per test program, removed at exit. */
#ifndef CALFTRACK_TEST_TMPDIR_H
#define CALFTRACK_TEST_TMPDIR_H

#include <stddef.h>

/* Returns the directory (created on first call under $TMPDIR or /tmp). */
const char *test_tmpdir(void);
/* Writes "<tmpdir>/<name>" into out. */
void test_path(char *out, size_t cap, const char *name);

#endif
