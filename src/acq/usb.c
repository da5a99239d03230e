/* usb.c - libusb access to the pod (see usb.h). */
#include "usb.h"

#include <libusb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calftrack/err.h"

#define XFER_BYTES (USB_PACKETS_PER_TRANSFER * WIRE_EP_STREAM_SIZE)

struct usb_link {
    libusb_context *ctx;
    libusb_device_handle *h;
    libusb_hotplug_callback_handle hp;
    int has_hotplug;
    struct libusb_transfer *xfer[USB_TRANSFERS];
    int busy[USB_TRANSFERS];  /* submitted and not yet back */
    int gen[USB_TRANSFERS];   /* stall_gen when submitted */
    int ntransfers;           /* how many are used (their size: USB_TRANSFER_MS) */
    int stall_gen;            /* +1 per stall cleared */
    int inflight;
    int gone;                 /* the pod vanished */
    int stalled;              /* a transfer came back STALL: clear, then resubmit */
    int stopping;             /* no resubmission */
    int errors;               /* consecutive failed transfers */
    int arrived;
    uint64_t stalls;
    usb_packet_fn fn;
    void *user;
    uint8_t buf[USB_TRANSFERS][XFER_BYTES];
};

static int from_libusb(int r)
{
    switch (r) {
    case LIBUSB_SUCCESS: return CT_OK;
    case LIBUSB_ERROR_ACCESS: return CT_EACCESS;
    case LIBUSB_ERROR_BUSY: return CT_EBUSY;
    case LIBUSB_ERROR_NO_DEVICE: return CT_EPIPE;
    case LIBUSB_ERROR_NOT_FOUND: return CT_ENODEV;
    case LIBUSB_ERROR_TIMEOUT: return CT_ETIMEOUT;
    case LIBUSB_ERROR_PIPE: return CT_ESTALL;
    case LIBUSB_ERROR_NO_MEM: return CT_ENOMEM;
    case LIBUSB_ERROR_INTERRUPTED: return CT_EINTR;
    case LIBUSB_ERROR_NOT_SUPPORTED: return CT_EUNSUPPORTED;
    default: return CT_EIO;
    }
}

static int submit(usb_link *l, int i)
{
    int r = libusb_submit_transfer(l->xfer[i]);
    if (r == 0) {
        l->busy[i] = 1;
        l->gen[i] = l->stall_gen;
        l->inflight++;
    } else if (r == LIBUSB_ERROR_NO_DEVICE) {
        l->gone = 1;
    } else {
        l->errors++;
    }
    return r;
}

static void LIBUSB_CALL on_transfer(struct libusb_transfer *t)
{
    usb_link *l = t->user_data;
    int i = 0;
    while (i < USB_TRANSFERS && l->xfer[i] != t)
        i++;
    if (i == USB_TRANSFERS)
        return;
    l->busy[i] = 0;
    l->inflight--;
    /* Whatever arrived is delivered, whatever the status: nothing received is lost.
     * A short packet ends a transfer, so every packet but the last is a full one. */
    for (int off = 0; off < t->actual_length; off += (int)WIRE_EP_STREAM_SIZE) {
        int n = t->actual_length - off;
        if (n > (int)WIRE_EP_STREAM_SIZE)
            n = (int)WIRE_EP_STREAM_SIZE;
        l->fn(l->user, t->buffer + off, (size_t)n);
    }
    switch (t->status) {
    case LIBUSB_TRANSFER_COMPLETED:
    case LIBUSB_TRANSFER_TIMED_OUT:
        l->errors = 0;
        break;
    case LIBUSB_TRANSFER_STALL:
        /* Every transfer queued when the endpoint halted comes back STALL: one halt,
         * cleared once; those submitted before the last clear just go again. */
        if (l->gen[i] == l->stall_gen) {
            l->stalled = 1;
            return;
        }
        break;
    case LIBUSB_TRANSFER_NO_DEVICE:
        l->gone = 1;
        return;
    case LIBUSB_TRANSFER_CANCELLED:
        return;
    default: /* ERROR, OVERFLOW: a damaged transfer; a pod that keeps failing is gone */
        if (++l->errors > 2 * l->ntransfers) {
            l->gone = 1;
            return;
        }
        break;
    }
    if (!l->stopping && !l->gone && !l->stalled)
        submit(l, i);
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event ev, void *user)
{
    (void)ctx;
    usb_link *l = user;
    if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
        l->arrived = 1;
    else if (l->h && libusb_get_device(l->h) == dev)
        l->gone = 1;
    return 0;
}

int usb_link_new(usb_link **out, usb_packet_fn fn, void *user)
{
    usb_link *l = calloc(1, sizeof *l);
    *out = NULL;
    if (!l)
        return CT_ENOMEM;
    int r = libusb_init(&l->ctx);
    if (r != 0) {
        free(l);
        return CT_EUNSUPPORTED;
    }
    for (int i = 0; i < USB_TRANSFERS; i++) {
        l->xfer[i] = libusb_alloc_transfer(0);
        if (!l->xfer[i]) {
            usb_link_free(l);
            return CT_ENOMEM;
        }
    }
    l->fn = fn;
    l->user = user;
    /* CALFTRACK_USB_POLL=1 looks for a returning pod by polling only, as on systems
     * where libusb has no hotplug (and to test that path). */
    const char *poll_only = getenv("CALFTRACK_USB_POLL");
    if (!(poll_only && *poll_only == '1') && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
        libusb_hotplug_register_callback(l->ctx,
                                         LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                             LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
                                         0, WIRE_USB_VID, WIRE_USB_PID,
                                         LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, l,
                                         &l->hp) == LIBUSB_SUCCESS)
        l->has_hotplug = 1;
    *out = l;
    return CT_OK;
}

void usb_link_free(usb_link *l)
{
    if (!l)
        return;
    usb_link_close(l);
    if (l->has_hotplug)
        libusb_hotplug_deregister_callback(l->ctx, l->hp);
    for (int i = 0; i < USB_TRANSFERS; i++)
        libusb_free_transfer(l->xfer[i]);
    if (l->ctx)
        libusb_exit(l->ctx);
    free(l);
}

/* ---- vendor requests ------------------------------------------------------------- */

static int vendor_in(libusb_device_handle *h, uint8_t req, uint8_t *buf, uint16_t len)
{
    int r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_VENDOR |
                                           LIBUSB_RECIPIENT_DEVICE,
                                    req, 0, 0, buf, len, USB_CTRL_TIMEOUT_MS);
    return r < 0 ? from_libusb(r) : r;
}

static int vendor_out(libusb_device_handle *h, uint8_t req, uint8_t *buf, uint16_t len)
{
    int r = libusb_control_transfer(h, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_VENDOR |
                                           LIBUSB_RECIPIENT_DEVICE,
                                    req, 0, 0, buf, len, USB_CTRL_TIMEOUT_MS);
    return r < 0 ? from_libusb(r) : CT_OK;
}

/* GET_INFO: 0, CT_EVERSION (info holds what could be read), or a transfer error. */
static int get_info(libusb_device_handle *h, wire_info *info)
{
    uint8_t buf[64];
    int n = vendor_in(h, WIRE_REQ_GET_INFO, buf, sizeof buf);
    if (n < 0)
        return n;
    memset(info, 0, sizeof *info);
    if (n >= 4) {
        info->protocol = buf[0];
        info->fw_major = buf[1];
        info->fw_minor = buf[2];
        info->fw_patch = buf[3];
    }
    if (n < 1 || buf[0] != WIRE_PROTOCOL_VERSION)
        return CT_EVERSION;
    if (!wire_decode_info(buf, (size_t)n, info))
        return CT_EVERSION; /* short or nonsensical: not a firmware we can read */
    return CT_OK;
}

static int get_serial(libusb_device_handle *h, char out[WIRE_SERIAL_MAX + 1])
{
    uint8_t buf[WIRE_SERIAL_MAX];
    int n = vendor_in(h, WIRE_REQ_GET_SERIAL, buf, sizeof buf);
    if (n < 0)
        return n;
    for (int i = 0; i < n; i++)
        out[i] = (buf[i] > 0x20 && buf[i] < 0x7F) ? (char)buf[i] : '_';
    out[n] = '\0';
    return CT_OK;
}

static int is_pod(libusb_device *dev)
{
    struct libusb_device_descriptor d;
    return libusb_get_device_descriptor(dev, &d) == 0 && d.idVendor == WIRE_USB_VID &&
           d.idProduct == WIRE_USB_PID;
}

/* How bad a failure is for choosing what to tell the user: the most specific wins. */
static int rank(int err)
{
    switch (err) {
    case CT_EVERSION: return 5;
    case CT_EBUSY: return 4;
    case CT_EACCESS: return 3;
    case CT_EIO: return 2;
    default: return 1;
    }
}

int usb_link_connect(usb_link *l, const char *serial, const wire_config *cfg, wire_info *info,
                     char serial_out[WIRE_SERIAL_MAX + 1])
{
    libusb_device **list;
    usb_link_close(l);
    ssize_t n = libusb_get_device_list(l->ctx, &list);
    if (n < 0)
        return from_libusb((int)n);
    int err = CT_ENODEV;
    libusb_device_handle *h = NULL;
    for (ssize_t i = 0; i < n && !h; i++) {
        if (!is_pod(list[i]))
            continue;
        int r = from_libusb(libusb_open(list[i], &h));
        char s[WIRE_SERIAL_MAX + 1] = "";
        if (r == CT_OK)
            r = get_serial(h, s);
        if (r == CT_OK && serial && strcmp(serial, s) != 0)
            r = CT_ENODEV;
        if (r == CT_OK)
            r = from_libusb(libusb_claim_interface(h, 0));
        if (r == CT_OK) {
            r = get_info(h, info);
            if (r != CT_OK)
                libusb_release_interface(h, 0);
        }
        if (r != CT_OK) {
            if (r == CT_EPIPE || r == CT_ETIMEOUT || r == CT_ESTALL)
                r = CT_EIO;
            if (rank(r) > rank(err))
                err = r;
            if (h)
                libusb_close(h);
            h = NULL;
            continue;
        }
        memcpy(serial_out, s, sizeof s);
    }
    libusb_free_device_list(list, 1);
    if (!h)
        return err;

    /* A pod left streaming by a program that died: stop it, configure, start afresh. */
    int r = vendor_out(h, WIRE_REQ_STOP, NULL, 0);
    if (r == CT_OK && cfg && cfg->odr_hz != 0 &&
        (cfg->odr_hz != info->odr_hz || cfg->acc_range_g != info->acc_range_g ||
         cfg->gyr_range_dps != info->gyr_range_dps)) {
        uint8_t b[WIRE_CONFIG_SIZE];
        wire_encode_config(cfg, b);
        r = vendor_out(h, WIRE_REQ_SET_CONFIG, b, sizeof b);
        if (r == CT_ESTALL)
            r = CT_EARG; /* the pod refused these values */
        if (r == CT_OK)
            r = get_info(h, info);
    }
    if (r == CT_OK)
        r = vendor_out(h, WIRE_REQ_START, NULL, 0);
    if (r != CT_OK) {
        libusb_release_interface(h, 0);
        libusb_close(h);
        return r == CT_EPIPE || r == CT_ESTALL || r == CT_ETIMEOUT ? CT_EIO : r;
    }
    l->h = h;
    l->gone = l->stalled = l->stopping = l->errors = 0;
    /* A transfer completes when full: size it to USB_TRANSFER_MS of packets so that no
     * sample waits longer for its transfer (833 Hz: 2 packets, 9.6 ms). */
    int ms = USB_TRANSFER_MS;
    const char *env = getenv("CALFTRACK_USB_XFER_MS");
    if (env && atoi(env) >= 1 && atoi(env) <= 1000)
        ms = atoi(env);
    int packets = ((int)info->odr_hz * ms + 2000) / 4000;
    if (packets < 1)
        packets = 1;
    if (packets > USB_PACKETS_PER_TRANSFER)
        packets = USB_PACKETS_PER_TRANSFER;
    /* about 600 ms of the stream in flight, in 8 to 64 transfers */
    l->ntransfers = 600 / ms;
    if (l->ntransfers < 8)
        l->ntransfers = 8;
    if (l->ntransfers > USB_TRANSFERS)
        l->ntransfers = USB_TRANSFERS;
    for (int i = 0; i < l->ntransfers; i++) {
        libusb_fill_bulk_transfer(l->xfer[i], h, WIRE_EP_STREAM, l->buf[i],
                                  packets * (int)WIRE_EP_STREAM_SIZE, on_transfer, l, 0);
        submit(l, i);
    }
    if (l->inflight == 0) {
        usb_link_close(l);
        return CT_EIO;
    }
    return CT_OK;
}

static void handle(usb_link *l, int timeout_ms)
{
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int r = libusb_handle_events_timeout_completed(l->ctx, &tv, NULL);
    if (r == LIBUSB_ERROR_NO_DEVICE)
        l->gone = 1;
}

int usb_link_pump(usb_link *l, int timeout_ms)
{
    handle(l, timeout_ms);
    if (!l->h)
        return CT_EPIPE;
    if (l->stalled && !l->gone) {
        int r = libusb_clear_halt(l->h, WIRE_EP_STREAM);
        if (r == LIBUSB_ERROR_NO_DEVICE) {
            l->gone = 1;
        } else {
            l->stalls++;
            l->stalled = 0;
            l->stall_gen++;
            for (int i = 0; i < l->ntransfers; i++)
                if (!l->busy[i])
                    submit(l, i);
        }
    }
    if (!l->gone && !l->stopping && l->inflight == 0) {
        for (int i = 0; i < l->ntransfers; i++)
            submit(l, i);
        if (l->inflight == 0)
            l->gone = 1;
    }
    return l->gone ? CT_EPIPE : CT_OK;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int usb_link_stop(usb_link *l, int drain_ms)
{
    if (!l->h)
        return CT_OK;
    int r = l->gone ? CT_EPIPE : vendor_out(l->h, WIRE_REQ_STOP, NULL, 0);
    l->stopping = 1;
    int64_t end = mono_ms() + drain_ms;
    while (l->inflight > 0 && mono_ms() < end)
        handle(l, 20);
    return r;
}

void usb_link_close(usb_link *l)
{
    if (!l->h)
        return;
    l->stopping = 1;
    for (int i = 0; i < USB_TRANSFERS; i++)
        if (l->busy[i])
            libusb_cancel_transfer(l->xfer[i]);
    int64_t end = mono_ms() + 2000;
    while (l->inflight > 0 && mono_ms() < end)
        handle(l, 50);
    libusb_release_interface(l->h, 0);
    libusb_close(l->h);
    l->h = NULL;
    /* A transfer that never came back cannot be freed safely: leave it, use a new one. */
    for (int i = 0; i < USB_TRANSFERS; i++)
        if (l->busy[i]) {
            l->xfer[i] = libusb_alloc_transfer(0);
            l->busy[i] = 0;
        }
    l->inflight = 0;
}

int usb_link_connected(const usb_link *l)
{
    return l->h != NULL;
}

int usb_link_take_arrival(usb_link *l)
{
    if (!l->h)
        handle(l, 0); /* hotplug callbacks run from event handling */
    int a = l->arrived;
    l->arrived = 0;
    return a;
}

uint64_t usb_link_stalls(const usb_link *l)
{
    return l->stalls;
}

/* The descriptor facts of one device, from what the bus reported at enumeration. */
static void describe(libusb_device *dev, ct_pod_desc *d)
{
    struct libusb_device_descriptor dd;
    struct libusb_config_descriptor *cfg;
    if (libusb_get_device_descriptor(dev, &dd) == 0) {
        d->vid = dd.idVendor;
        d->pid = dd.idProduct;
        d->bcd_device = dd.bcdDevice;
    }
    if (libusb_get_config_descriptor(dev, 0, &cfg) != 0)
        return;
    if (cfg->bNumInterfaces > 0 && cfg->interface[0].num_altsetting > 0) {
        const struct libusb_interface_descriptor *id = &cfg->interface[0].altsetting[0];
        d->iface_class = id->bInterfaceClass;
        if (id->bNumEndpoints > 0) {
            d->ep_address = id->endpoint[0].bEndpointAddress;
            d->ep_type = id->endpoint[0].bmAttributes & 0x03u;
            d->ep_max_packet = id->endpoint[0].wMaxPacketSize;
        }
    }
    libusb_free_config_descriptor(cfg);
}

int usb_link_list(usb_link *l, ct_pod_desc *out, int max)
{
    libusb_device **list;
    ssize_t n = libusb_get_device_list(l->ctx, &list);
    if (n < 0)
        return from_libusb((int)n);
    int count = 0;
    for (ssize_t i = 0; i < n; i++) {
        if (!is_pod(list[i]))
            continue;
        if (count < max) {
            ct_pod_desc *d = &out[count];
            memset(d, 0, sizeof *d);
            d->bus = libusb_get_bus_number(list[i]);
            d->address = libusb_get_device_address(list[i]);
            describe(list[i], d);
            libusb_device_handle *h = NULL;
            int r = from_libusb(libusb_open(list[i], &h));
            if (r == CT_OK) {
                struct libusb_device_descriptor dd;
                if (libusb_get_device_descriptor(list[i], &dd) == 0 && dd.iProduct &&
                    libusb_get_string_descriptor_ascii(h, dd.iProduct, (unsigned char *)d->product,
                                                       sizeof d->product) < 0)
                    d->product[0] = '\0';
            }
            if (r == CT_OK)
                r = get_serial(h, d->serial);
            if (r == CT_OK)
                r = get_info(h, &d->info);
            if (r == CT_OK) {
                int c = libusb_claim_interface(h, 0);
                if (c == LIBUSB_ERROR_BUSY)
                    r = CT_EBUSY;
                else if (c == 0)
                    libusb_release_interface(h, 0);
            }
            if (r == CT_EPIPE || r == CT_ETIMEOUT || r == CT_ESTALL)
                r = CT_EIO;
            d->status = r;
            if (h)
                libusb_close(h);
        }
        count++;
    }
    libusb_free_device_list(list, 1);
    return count;
}
