/* types.c - names of exercises, sides, placements, grades and events. */
#include "calftrack/types.h"

#include <string.h>

static const char *const exercise_names[EX_COUNT] = {
    "calf_raise", "isometric_raise", "lunge_stretch", "band_stretch", "downward_dog",
};
static const char *const side_names[] = {"left", "right", "both"};
static const char *const placement_names[] = {"unknown", "shin", "foot"};
static const char *const grade_names[] = {"full", "partial", "short_hold", "too_fast"};
static const char *const event_names[] = {"rep", "hold", "placement", "wrong_placement", "gap"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *name_of(const char *const *names, int n, int v)
{
    return v >= 0 && v < n ? names[v] : NULL;
}

static int parse(const char *const *names, int n, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *ct_exercise_name(ct_exercise e) { return name_of(exercise_names, EX_COUNT, (int)e); }
const char *ct_side_name(ct_side s) { return name_of(side_names, COUNT(side_names), (int)s); }
const char *ct_placement_name(ct_placement p)
{
    return name_of(placement_names, COUNT(placement_names), (int)p);
}
const char *ct_grade_name(ct_grade g) { return name_of(grade_names, COUNT(grade_names), (int)g); }
const char *ct_event_kind_name(ct_event_kind k)
{
    return name_of(event_names, COUNT(event_names), (int)k);
}

int ct_exercise_parse(const char *s) { return parse(exercise_names, EX_COUNT, s); }
int ct_side_parse(const char *s) { return parse(side_names, COUNT(side_names), s); }
int ct_placement_parse(const char *s) { return parse(placement_names, COUNT(placement_names), s); }
