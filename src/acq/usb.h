/*
 * usb.h - the libusb side of a live source: finding the pod by serial, the vendor
 * requests, a queue of asynchronous multi-packet bulk transfers, stall recovery and
 * noticing an unplug (hotplug events where libusb has them, transfer errors always).
 * Private to src/acq/.
 */
#ifndef CALFTRACK_ACQ_USB_H
#define CALFTRACK_ACQ_USB_H

#include <stddef.h>
#include <stdint.h>

#include "calftrack/source.h"
#include "calftrack/wire.h"

#define USB_TRANSFERS 64          /* at most this many bulk transfers in flight */
#define USB_PACKETS_PER_TRANSFER 16 /* at most 16 x 64 bytes (~77 ms at 833 Hz), one URB */
/* A transfer completes when full (the pod sends no short packets): it holds about this
 * much of the stream, so that a sample reaches the analysis within it. About 600 ms of
 * the stream stays in flight (8 to 64 transfers), on top of the pod's own 150 ms queue:
 * the host may be busy that long (a slow disk's sync) before the pod overruns.
 * CALFTRACK_USB_XFER_MS overrides it (1..1000; the virtual pod sets 75 when it runs as
 * fast as the host reads, where latency means nothing and each URB costs). */
#define USB_TRANSFER_MS 10
#define USB_CTRL_TIMEOUT_MS 1000

typedef struct usb_link usb_link;

/* Called for every bulk packet in arrival order (any length up to 64, untrusted). */
typedef void (*usb_packet_fn)(void *user, const uint8_t *pkt, size_t len);

/* Creates the libusb context (and hotplug callback when libusb has hotplug). */
int usb_link_new(usb_link **out, usb_packet_fn fn, void *user);
void usb_link_free(usb_link *l);

/* Opens the pod with this serial (NULL: the first usable one), checks its protocol,
 * applies cfg (odr_hz 0: keep the pod's), starts the stream and the transfers.
 * Fills info and serial. CT_ENODEV, CT_EACCESS, CT_EBUSY, CT_EVERSION, CT_EIO. */
int usb_link_connect(usb_link *l, const char *serial, const wire_config *cfg, wire_info *info,
                     char serial_out[WIRE_SERIAL_MAX + 1]);

/* Handles USB events for up to timeout_ms; packets go to the callback. Returns 0, or
 * CT_EPIPE once the pod is gone (then call usb_link_close). Clears stalls. */
int usb_link_pump(usb_link *l, int timeout_ms);

/* Sends STOP and lets the transfers drain for up to drain_ms. */
int usb_link_stop(usb_link *l, int drain_ms);

/* Cancels the transfers, waits for them (their data still reaches the callback),
 * releases and closes the pod. Safe when not connected. */
void usb_link_close(usb_link *l);

/* True when connected. */
int usb_link_connected(const usb_link *l);
/* Hotplug saw a pod arrive since the last call (always 0 without hotplug). */
int usb_link_take_arrival(usb_link *l);
/* Stalls cleared so far. */
uint64_t usb_link_stalls(const usb_link *l);

/* Lists pods (see ct_pod_list). */
int usb_link_list(usb_link *l, ct_pod_desc *out, int max);

#endif
