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

#include <stdio.h>

#include "calftrack/sim.h"
#include "calftrack/simprog.h"
#include "calftrack/wire.h"
#include "pod.h"

/* ---- motion source ---------------------------------------------------------- */

/* The simulated patient behind the pod (motion.c). */
typedef struct {
    sim *s;                  /* everyday movement (no prescription) */
    simprog *prog;           /* or the person doing a prescription, every side and placement */
    presc *rx;
    sim_step *plan;
    size_t nsteps;
    uint64_t seed;
    uint16_t odr_hz;
    ct_placement placement;
    ct_side side;
    bool ended;              /* plan over: the person stands still */
    wire_sample last;
    uint64_t rng;
    FILE *truth;             /* truth events as CSV, or NULL */
    uint64_t events;
} motion;

/* plan_path: a prescription CSV; demo: the built-in one; neither: everyday movement.
 * 0, or a ct_err with a message for a person in err. */
int motion_init(motion *m, const char *plan_path, bool demo, uint64_t seed, uint16_t odr_hz,
                FILE *truth, char *err, size_t errcap);
/* The host chose another rate: the simulation starts again at that rate. */
int motion_set_rate(motion *m, uint16_t odr_hz);
void motion_next(motion *m, wire_sample *out);
void motion_free(motion *m);

/* ---- faults ------------------------------------------------------------------ */

#define VPOD_MAX_EVENTS 64

/* Times of one kind of event, stream seconds, increasing; next: the first not yet done. */
typedef struct {
    double t[VPOD_MAX_EVENTS];
    int n, next;
} vp_times;

typedef struct {
    vp_times unplug, replug;   /* replug k follows unplug k */
    vp_times stall;            /* endpoint stalls */
    vp_times overrun;          /* device FIFO overruns */
    vp_times reset;            /* the pod's firmware restarts (watchdog) on the bus */
    uint32_t overrun_samples;  /* samples the overrun loses */
    double drop_p;             /* probability a packet vanishes on the link */
    double corrupt_p;          /* probability a packet arrives damaged */
    bool wrap;                 /* start device time and index just before their wrap */
    bool busy;                 /* another program has claimed the interface */
    bool noaccess;             /* the device node is not readable (no udev rule) */
    int protocol;              /* > 0: GET_INFO claims this protocol version */
} vpod_faults;

/* ---- the device ------------------------------------------------------------------ */

typedef struct vp_urb vp_urb;

typedef struct {
    uint64_t samples_made;     /* samples the motion source produced */
    uint64_t samples_fed;      /* of those, fed to the pod while it was powered */
    uint64_t samples_sent;     /* in packets put on the link (dropped and damaged too) */
    uint64_t samples_dropped;  /* in packets that vanished on the link */
    uint64_t samples_damaged;  /* in packets corrupted or truncated on the link */
    uint64_t samples_unseen;   /* of the dropped and damaged, those before the first or
                                  after the last intact packet of a stream (power-up or
                                  restart to unplug, restart or the end of the run): no
                                  index gap can tell the host of them */
    uint64_t packets_sent;     /* handed to the host (including damaged ones) */
    uint64_t packets_dropped;  /* vanished on the link (fault) */
    uint64_t packets_corrupted;/* bytes flipped (fault) */
    uint64_t packets_truncated;/* cut short (fault) */
    uint64_t urbs;             /* bulk IN URBs completed with data */
    uint64_t stalls, unplugs, replugs, overruns, resets;
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
    /* the samples the simulator produced and the pod was fed, in order */
    wire_sample *fed;
    size_t fed_len, fed_cap;

    FILE *sample_log;          /* --sample-log: "device_t_us wall_us" per sample fed */
    int64_t real_minus_mono_us;/* CLOCK_REALTIME - CLOCK_MONOTONIC at start */
    uint64_t tail_lost;        /* samples in dropped/damaged packets since the last intact one */
    bool head;                 /* no intact packet sent yet in this stream */

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

/* Between device.c and usbfs.c (the caller holds v->lock): */
/* The next packet for the host, samples made as needed and link faults applied; 0: none
 * now. */
size_t vpod_next_packet(vpod *v, uint8_t pkt[WIRE_PKT_MAX]);
/* --speed > 0: makes every sample that is due by the clock, host reading or not. */
void vpod_advance(vpod *v);
/* Keeps a copy of a packet sent, for --verify. */
void vpod_log_packet(vpod *v, const uint8_t *p, size_t n);
/* Completes every waiting bulk URB with status (a negative errno: stall, unplug). */
void vpod_fail_pending(vpod *v, int status);
/* The stream ends here (unplug, reset, end of the run): losses since the last intact
 * packet become unseen ones. */
void vpod_epoch_end(vpod *v);
int64_t vpod_now_us(void);

#endif
