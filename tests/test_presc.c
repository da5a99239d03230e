/* test_presc.c - prescriptions: the shipped programme, every field's error with its
 * file:line, quoted commas, comments, a write/read round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/err.h"
#include "calftrack/presc.h"
#include "support/tmpdir.h"

static const char HEADER[] = "exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo,notes\n";

static void test_shipped_programme(void **state)
{
    (void)state;
    presc p;
    presc_error e;
    assert_int_equal(presc_load("prescriptions/calf-programme.csv", &p, &e), 0);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.item[0].exercise, EX_CALF_RAISE);
    assert_int_equal(p.item[0].side, SIDE_BOTH);
    assert_int_equal(p.item[0].sets, 3);
    assert_int_equal(p.item[0].reps, 15);
    assert_float_equal(p.item[0].hold_s, 1.0, 1e-6);
    assert_float_equal(p.item[0].hold_max_s, 2.0, 1e-6);
    assert_true(p.item[0].has_tempo);
    assert_float_equal(p.item[0].tempo_up_s, 2.0, 1e-6);
    assert_float_equal(p.item[0].tempo_top_s, 1.0, 1e-6);
    assert_float_equal(p.item[0].tempo_down_s, 2.0, 1e-6);
    assert_int_equal(p.item[0].line, 3);
    assert_int_equal(presc_item_total(&p.item[0]), 90);
    assert_int_equal(p.item[1].exercise, EX_LUNGE_STRETCH);
    assert_float_equal(p.item[1].hold_s, 30.0, 1e-6);
    assert_float_equal(p.item[1].target, 35.0, 1e-6);
    assert_int_equal(p.item[1].unit, PRESC_UNIT_DEG);
    assert_int_equal(p.item[2].exercise, EX_BAND_STRETCH);
    assert_int_equal(p.item[3].exercise, EX_DOWNWARD_DOG);
    assert_int_equal(p.item[3].sets, 2);
    assert_non_null(strstr(p.item[1].notes, "Back heel flat"));
    assert_int_equal(presc_load("prescriptions/calf-raises-only.csv", &p, &e), 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(presc_load("prescriptions/stretches.csv", &p, &e), 0);
    assert_int_equal(p.n, 3);
}

/* A bad value in each field: the message names line 3 and the field. */
static void test_each_field_error(void **state)
{
    (void)state;
    static const struct {
        const char *row;
        const char *field;
        const char *allowed;
    } cases[] = {
        {"heel_drop,left,3,15,,,,60,,", "exercise", "calf_raise"},
        {"calf_raise,middle,3,15,,,,60,,", "side", "left, right, both"},
        {"calf_raise,left,0,15,,,,60,,", "sets", "1 to 20"},
        {"calf_raise,left,three,15,,,,60,,", "sets", "1 to 20"},
        {"calf_raise,left,3,1000,,,,60,,", "reps", "1 to 100"},
        {"calf_raise,left,3,-1,,,,60,,", "reps", "1 to 100"},
        {"lunge_stretch,left,3,1,,35,deg,30,,", "hold_s", "seconds"},
        {"lunge_stretch,left,3,1,2-1,35,deg,30,,", "hold_s", "range"},
        {"lunge_stretch,left,3,1,30,35,inch,30,,", "target_unit", "deg, cm"},
        {"lunge_stretch,left,3,1,30,35,cm,30,,", "target_unit", "takes deg"},
        {"lunge_stretch,left,3,1,30,35,,30,,", "target_unit", "deg or cm"},
        {"lunge_stretch,left,3,1,30,nan,deg,30,,", "target", "0 to 90"},
        {"lunge_stretch,left,3,1,30,1e9,deg,30,,", "target", "0 to 90"},
        {"lunge_stretch,left,3,1,30,35,deg,x,,", "rest_s", "0 to 900"},
        {"calf_raise,left,3,15,,,,60,2-1,", "tempo", "2-1-2"},
        {"calf_raise,left,3,15,,,,60,0-1-2,", "tempo", "2-1-2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s# a comment\n%s\n", HEADER, cases[i].row);
        presc p;
        presc_error e;
        assert_int_equal(presc_parse("rx.csv", buf, strlen(buf), &p, &e), CT_EFORMAT);
        assert_int_equal(e.line, 3);
        assert_string_equal(e.field, cases[i].field);
        char msg[600];
        presc_error_format(&e, msg, sizeof msg);
        char want[64];
        snprintf(want, sizeof want, "rx.csv:3: field '%s': ", cases[i].field);
        assert_memory_equal(msg, want, strlen(want));
        if (!strstr(msg, cases[i].allowed))
            fail_msg("case %zu: '%s' lacks '%s'", i, msg, cases[i].allowed);
    }
}

static void test_structure_errors(void **state)
{
    (void)state;
    presc p;
    presc_error e;
    const char *unknown_col = "exercise,side,colour\ncalf_raise,left,red\n";
    assert_int_equal(presc_parse("a.csv", unknown_col, strlen(unknown_col), &p, &e), CT_EFORMAT);
    assert_int_equal(e.line, 1);
    assert_string_equal(e.field, "colour");
    const char *too_many = "exercise,side\ncalf_raise,left,3,4\n";
    assert_int_equal(presc_parse("a.csv", too_many, strlen(too_many), &p, &e), CT_EFORMAT);
    assert_int_equal(e.line, 2);
    const char *unclosed = "exercise,side,notes\n\ncalf_raise,left,\"open\n";
    assert_int_equal(presc_parse("a.csv", unclosed, strlen(unclosed), &p, &e), CT_EFORMAT);
    assert_int_equal(e.line, 3);
    assert_int_equal(presc_parse("a.csv", HEADER, strlen(HEADER), &p, &e), CT_EFORMAT);
    assert_non_null(strstr(e.msg, "no exercises"));
    assert_int_equal(presc_parse("a.csv", "", 0, &p, &e), CT_EFORMAT);
    assert_int_equal(presc_load("/nonexistent/rx.csv", &p, &e), CT_ENOENT);
    assert_string_equal(e.file, "/nonexistent/rx.csv");
    /* Binary junk never crashes and is refused. */
    char junk[300];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 37 + 11);
    assert_int_equal(presc_parse("j", junk, sizeof junk, &p, &e), CT_EFORMAT);
}

static void test_quoted_commas_any_order_and_defaults(void **state)
{
    (void)state;
    const char *buf = "Notes , Exercise,HOLD_S,side\r\n"
                      "\"Knee forward, heel down\",lunge_stretch,30,right\r\n"
                      ",,,\r\n"
                      "two words,downward_dog,20,\r\n";
    presc p;
    presc_error e;
    assert_int_equal(presc_parse("b.csv", buf, strlen(buf), &p, &e), 0);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.item[0].notes, "Knee forward, heel down");
    assert_int_equal(p.item[0].side, SIDE_RIGHT);
    assert_int_equal(p.item[0].sets, 1);
    assert_int_equal(p.item[0].reps, 1);
    assert_int_equal(p.item[1].side, SIDE_BOTH);
    assert_int_equal(p.item[1].line, 4);
    /* A newline inside quoted notes is a control character: refused at its row. */
    const char *nl = "exercise,reps,notes\ncalf_raise,5,x\ncalf_raise,5,\"two\nlines\"\n";
    assert_int_equal(presc_parse("c.csv", nl, strlen(nl), &p, &e), CT_EFORMAT);
    assert_int_equal(e.line, 3);
    assert_string_equal(e.field, "notes");
}

static void test_oversized_input(void **state)
{
    (void)state;
    presc p;
    presc_error e;
    /* A field longer than the reader takes, on line 2. */
    size_t n = 3000;
    char *buf = malloc(n + 64);
    strcpy(buf, "exercise,notes\ncalf_raise,");
    size_t at = strlen(buf);
    memset(buf + at, 'x', n);
    buf[at + n] = '\0';
    assert_int_equal(presc_parse("big.csv", buf, strlen(buf), &p, &e), CT_EFORMAT);
    assert_int_equal(e.line, 2);
    free(buf);
    /* More columns than any row may have. */
    char wide[400] = "exercise";
    for (int i = 0; i < 70; i++)
        strcat(wide, ",a");
    strcat(wide, "\n");
    assert_int_equal(presc_parse("wide.csv", wide, strlen(wide), &p, &e), CT_EFORMAT);
    assert_int_equal(e.line, 1);
    /* More exercises than a prescription holds. */
    char *many = malloc(40 * 40 + 64);
    strcpy(many, "exercise,reps\n");
    for (int i = 0; i < 40; i++)
        strcat(many, "calf_raise,10\n");
    assert_int_equal(presc_parse("many.csv", many, strlen(many), &p, &e), CT_EFORMAT);
    assert_int_equal(e.line, 2 + PRESC_MAX_ITEMS);
    free(many);
    /* A NUL byte in the middle of a field. */
    const char nul[] = "exercise,reps\ncalf\0raise,10\n";
    assert_int_equal(presc_parse("nul.csv", nul, sizeof nul - 1, &p, &e), CT_EFORMAT);
    assert_string_equal(e.field, "exercise");
}

static void test_round_trip(void **state)
{
    (void)state;
    presc p, q;
    presc_error e;
    assert_int_equal(presc_load("prescriptions/calf-programme.csv", &p, &e), 0);
    char path[512];
    test_path(path, sizeof path, "rt.csv");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(presc_write(f, &p), 0);
    fclose(f);
    assert_int_equal(presc_load(path, &q, &e), 0);
    assert_int_equal(q.n, p.n);
    for (int i = 0; i < p.n; i++) {
        q.item[i].line = p.item[i].line;
        assert_memory_equal(&p.item[i], &q.item[i], sizeof p.item[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_programme),
        cmocka_unit_test(test_each_field_error),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_quoted_commas_any_order_and_defaults),
        cmocka_unit_test(test_oversized_input),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
