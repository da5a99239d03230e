/*
 * pod.h - the pod's portable core: USB control requests (standard and vendor), the
 * streaming state (START / STOP / SET_CONFIG), sample packetizing and the LED pattern.
 * It has no hardware access and no allocation; it compiles for the RP2040 and the host.
 *
 * Driving it - the RP2040 port (firmware/port/rp2040/main.c) does exactly this, and a
 * host-side virtual pod can do the same with the same calls:
 *
 *   static pod p;                               // caller owns all state; ~2.6 KiB
 *   pod_params prm = pod_default_params;
 *   prm.serial = "VPOD-0001";                   // ASCII, up to WIRE_SERIAL_MAX chars
 *   prm.board = WIRE_BOARD_VIRTUAL;
 *   prm.imu = NULL;    // NULL: samples come from pod_feed(); or an lsm6dsox on which
 *                      // lsm_init() already ran, over real I2C or a fake register bus
 *   pod_init(&p, &prm);
 *
 * USB bus events:     pod_usb_reset(&p) on bus reset; pod_usb_suspend(&p, true/false).
 *
 * Control transfers:  one call per transfer, with the 8 setup bytes as on the wire and,
 *   for an OUT request, its data stage:
 *     uint8_t in[POD_CTRL_MAX_IN];
 *     pod_ctrl_reply r = pod_control(&p, setup, out_data, out_len, in, sizeof in);
 *   r.kind == POD_CTRL_STALL: answer the transfer with STALL (anything malformed,
 *   unknown or not allowed in the current state). Otherwise r.len bytes of in are the IN
 *   data stage (already cut to wLength), or 0 for an OUT request (ACK its status stage).
 *   If r.set_address, the device answers on r.address once the status stage is done.
 *   r.changed has POD_CHG_* bits saying which state a port must follow.
 *   GET_DESCRIPTOR for device, configuration and string descriptors is answered here.
 *   The firmware, whose OUT data stage arrives after the setup packet, uses the two
 *   halves instead: pod_ctrl_setup() returns POD_CTRL_NEED_DATA, then pod_ctrl_data().
 *
 * Streaming:          while pod_streaming(&p):
 *   with an IMU:      pod_poll(&p, now_us) reads its FIFO and packetizes the samples,
 *                     timestamping them on the nominal period from START;
 *   without (imu NULL): pod_feed(&p, &sample, t_us) per raw sample with its device time
 *                     in microseconds, pod_feed_gap(&p, n) when n samples were lost.
 *   Then size_t n = pod_take_packet(&p, buf) hands out the next 64-byte-or-shorter
 *   bulk IN packet for endpoint WIRE_EP_STREAM (0: none queued).
 *   pod_set_time(&p, now_us) keeps the core's clock; pod_poll() does it too (or give
 *   pod_params.clock_us and the core reads the clock itself).
 *
 * State to observe:   pod_streaming(), pod_config(), pod_info(), p.usb.configuration,
 *                     p.usb.halted, pod_led().
 */
#ifndef POD_POD_H
#define POD_POD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calftrack/wire.h"
#include "lsm6dsox.h"
#include "packetizer.h"
#include "ring.h"

#define POD_FW_MAJOR 1u
#define POD_FW_MINOR 0u
#define POD_FW_PATCH 0u

#define POD_CTRL_MAX_IN 128u  /* longest IN data stage the core produces */
#define POD_CTRL_MAX_OUT 64u  /* longest OUT data stage accepted (one EP0 packet) */
#define POD_POLL_MAX 32u      /* samples read from the IMU per pod_poll() */

/* One USB setup packet, decoded (all fields little-endian on the wire). */
typedef struct {
    uint8_t bmRequestType;
    uint8_t bRequest;
    uint16_t wValue;
    uint16_t wIndex;
    uint16_t wLength;
} usb_setup;

void usb_setup_parse(const uint8_t raw[8], usb_setup *s);

typedef enum {
    POD_CTRL_STALL = 0,     /* answer STALL */
    POD_CTRL_OK = 1,        /* IN: send len bytes; OUT: ACK the status stage */
    POD_CTRL_NEED_DATA = 2, /* two-phase only: receive wLength bytes, then pod_ctrl_data() */
} pod_ctrl_kind;

#define POD_CHG_CONFIG 0x01u /* configuration set: (de)configure WIRE_EP_STREAM, DATA0 */
#define POD_CHG_HALT 0x02u   /* WIRE_EP_STREAM halt set or cleared: follow p.usb.halted, DATA0 */
#define POD_CHG_STREAM 0x04u /* streaming started or stopped */

typedef struct {
    pod_ctrl_kind kind;
    uint16_t len;     /* IN data stage length */
    bool set_address; /* switch to address after the status stage */
    uint8_t address;
    uint8_t changed;  /* POD_CHG_* */
} pod_ctrl_reply;

typedef struct {
    uint8_t address;       /* current (applied) address */
    uint8_t configuration; /* 0 (addressed) or 1 (configured) */
    bool halted;           /* WIRE_EP_STREAM halted by SET_FEATURE */
    bool suspended;
} pod_usb;

typedef struct {
    const char *serial;    /* copied; NULL gives "0000000000000000" */
    uint8_t board;         /* WIRE_BOARD_* */
    lsm6dsox *imu;         /* NULL: external samples through pod_feed() */
    bool imu_ok;           /* for a non-NULL imu: lsm_init() succeeded */
    wire_config config;    /* initial ODR and ranges */
    /* Optional: the device clock in microseconds, read when the core needs the exact
     * time (the START instant, FIFO reads). NULL: the time given to pod_set_time() or
     * pod_poll() is used. */
    uint64_t (*clock_us)(void *user);
    void *clock_user;
} pod_params;

extern const pod_params pod_default_params;

typedef struct {
    pod_usb usb;
    char serial[WIRE_SERIAL_MAX + 1];
    uint8_t board;
    lsm6dsox *imu;
    bool imu_ok;
    wire_config cfg;
    bool streaming;
    uint32_t overruns;       /* FIFO overruns since power-up */
    uint64_t now_us;         /* the port's clock, from pod_set_time / pod_poll / clock_us */
    uint64_t (*clock_us)(void *user);
    void *clock_user;
    uint64_t t0_us;          /* START time: sample n was taken at t0 + (n+1) periods */
    uint64_t n_read;         /* samples read since START */
    usb_setup pending;       /* OUT request waiting for its data stage */
    bool pending_valid;
    ring tx;
    pktz pz;
    wire_sample scratch[POD_POLL_MAX];
} pod;

void pod_init(pod *p, const pod_params *prm);
void pod_set_time(pod *p, uint64_t now_us);

void pod_usb_reset(pod *p);
void pod_usb_suspend(pod *p, bool suspended);

pod_ctrl_reply pod_control(pod *p, const uint8_t setup[8], const uint8_t *out, size_t out_len,
                           uint8_t *in, size_t in_cap);
pod_ctrl_reply pod_ctrl_setup(pod *p, const uint8_t setup[8], uint8_t *in, size_t in_cap);
pod_ctrl_reply pod_ctrl_data(pod *p, const uint8_t *out, size_t out_len);

bool pod_streaming(const pod *p);
wire_config pod_config(const pod *p);
wire_info pod_info(const pod *p);

void pod_poll(pod *p, uint64_t now_us);
void pod_feed(pod *p, const wire_sample *s, uint32_t t_us);
void pod_feed_gap(pod *p, uint32_t lost);
size_t pod_take_packet(pod *p, uint8_t buf[WIRE_PKT_MAX]);
size_t pod_packets_queued(const pod *p);

/* Whether the status LED is lit at t_ms. Patterns (firmware/README.md):
 * IMU missing or failing: 8 Hz blink; streaming: on; configured and idle: 1 Hz blink;
 * not configured: 50 ms flash every 2 s; suspended: off. */
bool pod_led(const pod *p, uint32_t t_ms);

#endif
