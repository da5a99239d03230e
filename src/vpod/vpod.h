/*
 * vpod.h - the virtual pod: the firmware's portable core (firmware/core/pod.h) fed by a
 * motion source, presented to libusb as a usbfs device through a umockdev testbed.
 * Private to src/vpod/.
 */
#ifndef CALFTRACK_VPOD_H
#define CALFTRACK_VPOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <umockdev.h>

#include "calftrack/wire.h"
#include "../../firmware/core/pod.h"

/* ---- motion source ---------------------------------------------------------- */

/* A small deterministic motion generator: slow swings of a leg at rest with sensor noise,
 * in raw LSM6DSOX units at +-16 g / +-2000 dps. Stands in until the simulator is wired. */
typedef struct {
    uint64_t rng;
    uint64_t n;         /* samples produced */
    double dt_s;
} motion;

void motion_init(motion *m, uint64_t seed, uint16_t odr_hz);
void motion_next(motion *m, wire_sample *out);

/* ---- faults ------------------------------------------------------------------ */

typedef struct {
    double unplug_s, replug_s; /* stream time of the unplug and the replug, < 0: never */
    double stall_s;            /* endpoint stall at this time, < 0: never */
    double overrun_s;          /* device FIFO overrun at this time, < 0: never */
    uint32_t overrun_samples;  /* samples the overrun loses */
    double drop_p;             /* probability a packet vanishes on the link */
    double corrupt_p;          /* probability a packet arrives damaged */
    bool wrap;                 /* start device time and index just before their wrap */
} vpod_faults;

/* ---- the device ------------------------------------------------------------------ */

typedef struct vp_urb vp_urb;

typedef struct {
    uint64_t samples_made;     /* samples the motion source produced */
    uint64_t samples_fed;      /* of those, fed to the pod while it was powered */
    uint64_t packets_sent;     /* handed to the host (including damaged ones) */
    uint64_t packets_dropped;  /* vanished on the link (fault) */
    uint64_t packets_corrupted;/* bytes flipped (fault) */
    uint64_t packets_truncated;/* cut short (fault) */
    uint64_t urbs;             /* bulk IN URBs completed with data */
    uint64_t stalls, unplugs, replugs, overruns;
} vpod_stats;

typedef struct {
    GMutex lock;               /* umockdev answers ioctls on its own thread */
    UMockdevTestbed *tb;
    UMockdevIoctlBase *handler;
    pod pod;
    char serial[WIRE_SERIAL_MAX + 1];
    wire_config config;
    double speed;              /* 1 = real time, 0 = as fast as asked */
    vpod_faults f;
    bool stall_done, overrun_done, unplug_done;
    uint64_t rng;

    /* plug state */
    bool plugged;
    unsigned devnum;
    char devnode[64];
    char syspath[64];

    /* stream clock: samples since the vpod started; device clock since power-up */
    motion m;
    uint32_t period_us;
    uint64_t n_sim;
    uint64_t n_dev;
    uint32_t dev_t0;
    int64_t wall_anchor_us;    /* speed > 0: wall time at which n_anchor was due */
    uint64_t n_anchor;

    vp_urb *pending, *pending_tail; /* bulk IN URBs waiting for data */
    vp_urb *done, *done_tail;       /* URBs ready to be reaped */

    /* what went out, for --verify: packets as { u8 len, bytes } */
    uint8_t *log;
    size_t log_len, log_cap;
    bool log_on;

    vpod_stats st;
} vpod;

int vpod_setup(vpod *v);
void vpod_plug(vpod *v);
void vpod_unplug(vpod *v);
void vpod_teardown(vpod *v);
/* Advances the stream while unplugged: the person moves on, nobody records it. */
void vpod_skip_to(vpod *v, double t_s);
/* Fills waiting bulk URBs (called when the clock may have made data due). */
void vpod_serve(vpod *v);
int64_t vpod_now_us(void);

#endif
