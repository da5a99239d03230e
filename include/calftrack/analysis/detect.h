/*
 * detect.h - excursion detector on one scalar measure (angle in deg or height in cm),
 * shared by the rep and hold detectors: an excursion starts when the measure rises
 * above `engage` from below `low`, ends when it is back below `low`, and is a rep or
 * hold only when its duration is plausible. Timing is on device time; the excursion is
 * reported on the sample it ends (no counter lag). A fixed, decimated trace of the
 * excursion gives the exact time the top was first reached.
 */
#ifndef CALFTRACK_ANALYSIS_DETECT_H
#define CALFTRACK_ANALYSIS_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#define DETECT_BUF 512

typedef struct {
    float engage;     /* an excursion starts above this level */
    float low;        /* ... from below this level and ends back below it; its
                         crossings time the start and the end */
    float top_band;   /* the top is within this of the peak */
    float target;     /* time at or above this is the hold (<= 0: time at the top) */
    float min_s;      /* shorter excursions are ignored (steps, fidgets), s */
    float max_s;      /* longer excursions are ignored (0: no limit), s */
} ct_detect_settings;

/* One finished excursion. */
typedef struct {
    int64_t t_start_us, t_peak_us, t_end_us;
    float peak;       /* highest value */
    float hold_s;     /* time at or above the target (or at the top), s */
    float up_s, top_s, down_s;
} ct_excursion;

typedef struct {
    ct_detect_settings cfg;
    bool active;
    int64_t t_low_us;      /* last time below `low` while at rest */
    int64_t t_start_us, t_peak_us, t_last_top_us, t_cross_us;
    float peak, above_s, prev_x;
    float rest;            /* running level at rest, below `low` */
    float trace[DETECT_BUF]; /* x every `stride` samples since t_start */
    int n, stride, skip;
    float elapsed_s;
} ct_detect;

void detect_init(ct_detect *d, const ct_detect_settings *cfg);

/* One value of the measure at device time t_us (period dt_s). `settled` says the
 * measure is trustworthy enough to end an excursion now (true except while a height
 * integration is still open). Returns true when an excursion of plausible duration
 * ended (written to out). */
bool detect_update(ct_detect *d, float x, int64_t t_us, float dt_s, bool settled,
                   ct_excursion *out);

/* Ends an excursion in progress (end of a set) as if the measure dropped now.
 * Returns true when it was long enough to count. */
bool detect_flush(ct_detect *d, int64_t t_us, ct_excursion *out);

/* Time in the current excursion at or above the target so far, s. */
static inline float detect_hold_elapsed_s(const ct_detect *d) { return d->active ? d->above_s : 0.0f; }

#endif
