/*
 * usbfs.c - answers the usbfs ioctls libusb makes on the virtual pod's device node:
 * control URBs go through the firmware core's request handler, bulk IN URBs are filled
 * with the core's stream packets, produced on demand (or paced to real time).
 */
#include "vpod.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../firmware/core/usb_desc.h"

struct vp_urb {
    UMockdevIoctlData *urb; /* our reference to the client's struct usbdevfs_urb */
    UMockdevIoctlData *buf; /* its buffer (owned by urb) */
    gulong client_addr;
    unsigned devnum;        /* the plug-in it was submitted to */
    int status;
    int actual;
    vp_urb *next;
};

int64_t vpod_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static double rnd(vpod *v)
{
    v->rng ^= v->rng << 13;
    v->rng ^= v->rng >> 7;
    v->rng ^= v->rng << 17;
    return (double)(v->rng >> 11) / 9007199254740992.0;
}

static void push(vp_urb **head, vp_urb **tail, vp_urb *u)
{
    u->next = NULL;
    if (*tail)
        (*tail)->next = u;
    else
        *head = u;
    *tail = u;
}

static vp_urb *pop(vp_urb **head, vp_urb **tail)
{
    vp_urb *u = *head;
    if (u) {
        *head = u->next;
        if (!*head)
            *tail = NULL;
    }
    return u;
}

static void finish(vpod *v, vp_urb *u, int status)
{
    u->status = status;
    push(&v->done, &v->done_tail, u);
}

/* Completes every waiting bulk URB with status (stall, unplug). */
static void fail_pending(vpod *v, int status)
{
    vp_urb *u;
    while ((u = pop(&v->pending, &v->pending_tail)))
        finish(v, u, u->actual > 0 ? 0 : status);
}

static void log_packet(vpod *v, const uint8_t *p, size_t n)
{
    if (!v->log_on)
        return;
    if (v->log_len + 1 + n > v->log_cap) {
        size_t cap = v->log_cap ? v->log_cap * 2 : 1u << 20;
        uint8_t *q = realloc(v->log, cap);
        if (!q) {
            v->log_on = false; /* verification becomes impossible; said at the end */
            return;
        }
        v->log = q;
        v->log_cap = cap;
    }
    v->log[v->log_len++] = (uint8_t)n;
    memcpy(v->log + v->log_len, p, n);
    v->log_len += n;
}

/* ---- the stream clock ------------------------------------------------------------ */

static double sim_time_s(const vpod *v)
{
    return (double)v->n_sim * v->period_us * 1e-6;
}

/* Makes one sample and feeds it to the pod (if powered). False when the clock does not
 * allow one yet (real-time pacing) or a fault took the pod away. */
static bool produce(vpod *v)
{
    if (!v->plugged)
        return false;
    if (v->speed > 0) {
        int64_t due = v->wall_anchor_us +
                      (int64_t)((double)(v->n_sim - v->n_anchor) * v->period_us / v->speed);
        if (vpod_now_us() < due)
            return false;
    }
    double t = sim_time_s(v);
    if (!v->unplug_done && v->f.unplug_s >= 0 && t >= v->f.unplug_s) {
        v->unplug_done = true;
        vpod_unplug(v);
        return false;
    }
    if (!v->stall_done && v->f.stall_s >= 0 && t >= v->f.stall_s && pod_streaming(&v->pod)) {
        v->stall_done = true;
        v->pod.usb.halted = true;
        v->st.stalls++;
    }
    if (!v->overrun_done && v->f.overrun_s >= 0 && t >= v->f.overrun_s &&
        pod_streaming(&v->pod)) {
        /* The FIFO overflowed: these samples were taken and overwritten. */
        v->overrun_done = true;
        v->st.overruns++;
        for (uint32_t i = 0; i < v->f.overrun_samples; i++) {
            wire_sample s;
            motion_next(&v->m, &s);
            v->n_sim++;
            v->st.samples_made++;
        }
        v->n_dev += v->f.overrun_samples;
        v->pod.overruns++;
        pod_feed_gap(&v->pod, v->f.overrun_samples);
        return true;
    }
    wire_sample s;
    motion_next(&v->m, &s);
    v->n_sim++;
    v->st.samples_made++;
    if (pod_streaming(&v->pod)) {
        pod_feed(&v->pod, &s, (uint32_t)(v->dev_t0 + v->n_dev * v->period_us));
        v->st.samples_fed++;
    }
    v->n_dev++;
    return true;
}

void vpod_skip_to(vpod *v, double t_s)
{
    while (sim_time_s(v) < t_s) {
        wire_sample s;
        motion_next(&v->m, &s);
        v->n_sim++;
        v->st.samples_made++;
    }
}

/* Takes the next packet off the pod, producing samples as needed; applies link faults.
 * Returns its length, 0 when none is available now. */
static size_t next_packet(vpod *v, uint8_t pkt[WIRE_PKT_MAX])
{
    for (;;) {
        while (pod_packets_queued(&v->pod) == 0) {
            if (!pod_streaming(&v->pod) || !produce(v))
                return 0;
            if (!v->plugged || v->pod.usb.halted)
                return 0;
        }
        size_t n = pod_take_packet(&v->pod, pkt);
        if (n == 0)
            return 0;
        if (v->f.drop_p > 0 && rnd(v) < v->f.drop_p) {
            v->st.packets_dropped++;
            continue;
        }
        if (v->f.corrupt_p > 0 && rnd(v) < v->f.corrupt_p) {
            if (rnd(v) < 0.5) {
                size_t at = (size_t)(rnd(v) * (double)n);
                pkt[at < n ? at : n - 1] ^= (uint8_t)(1u << (unsigned)(rnd(v) * 8.0));
                v->st.packets_corrupted++;
            } else {
                n = 1 + (size_t)(rnd(v) * (double)(n - 1));
                v->st.packets_truncated++;
            }
        }
        return n;
    }
}

/* Fills waiting bulk URBs in order. A URB completes when full or after a short packet,
 * as on the bus. */
static void serve_bulk(vpod *v)
{
    while (v->pending) {
        vp_urb *u = v->pending;
        if (!v->plugged || u->devnum != v->devnum) {
            fail_pending(v, -ENODEV);
            return;
        }
        if (v->pod.usb.halted) {
            fail_pending(v, -EPIPE);
            return;
        }
        int cap = (int)u->buf->data_len;
        bool complete = false;
        while (u->actual + (int)WIRE_PKT_MAX <= cap) {
            uint8_t pkt[WIRE_PKT_MAX];
            size_t n = next_packet(v, pkt);
            if (n == 0)
                break;
            memcpy(u->buf->data + u->actual, pkt, n);
            u->actual += (int)n;
            v->st.packets_sent++;
            log_packet(v, pkt, n);
            if (n < WIRE_EP_STREAM_SIZE) {
                complete = true;
                break;
            }
        }
        if (u->actual + (int)WIRE_PKT_MAX > cap)
            complete = u->actual > 0 || cap < (int)WIRE_PKT_MAX;
        if (!complete)
            return;
        pop(&v->pending, &v->pending_tail);
        v->st.urbs++;
        finish(v, u, 0);
    }
}

/* ---- control requests ------------------------------------------------------------- */

static int control(vpod *v, uint8_t *buf, int len, int *actual)
{
    if (len < 8)
        return -EINVAL;
    uint16_t wlength = wire_get16(buf + 6);
    if (8 + (int)wlength > len)
        return -EINVAL;
    uint8_t in[POD_CTRL_MAX_IN];
    bool dir_in = (buf[0] & 0x80u) != 0;
    pod_set_time(&v->pod, (uint64_t)v->dev_t0 + v->n_dev * v->period_us);
    pod_ctrl_reply r = pod_control(&v->pod, buf, dir_in ? NULL : buf + 8,
                                   dir_in ? 0 : wlength, in, sizeof in);
    if (r.kind == POD_CTRL_STALL)
        return -EPIPE;
    if (dir_in) {
        memcpy(buf + 8, in, r.len);
        *actual = r.len;
    } else {
        *actual = wlength;
    }
    return 0;
}

/* ---- ioctl dispatch ---------------------------------------------------------------- */

static bool stale(vpod *v, UMockdevIoctlClient *client)
{
    return !v->plugged || strcmp(umockdev_ioctl_client_get_devnode(client), v->devnode) != 0;
}

static void reply(UMockdevIoctlClient *client, int err)
{
    umockdev_ioctl_client_complete(client, err ? -1 : 0, err);
}

static gboolean submit(vpod *v, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    GError *e = NULL;
    UMockdevIoctlData *ud = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), &e);
    if (!ud) {
        g_clear_error(&e);
        reply(client, EFAULT);
        return TRUE;
    }
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)ud->data;
    if (stale(v, client)) {
        reply(client, ENODEV);
        return TRUE;
    }
    if (urb->buffer_length < 0 || urb->buffer_length > 65536) {
        reply(client, EINVAL);
        return TRUE;
    }
    UMockdevIoctlData *bd = NULL;
    if (urb->buffer_length > 0) {
        bd = umockdev_ioctl_data_resolve(ud, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer),
                                         (gsize)urb->buffer_length, &e);
        if (!bd) {
            g_clear_error(&e);
            reply(client, EFAULT);
            return TRUE;
        }
    }
    vp_urb *u = calloc(1, sizeof *u);
    if (!u) {
        reply(client, ENOMEM);
        return TRUE;
    }
    u->urb = umockdev_ioctl_data_ref(ud);
    u->buf = bd;
    u->client_addr = ud->client_addr;
    u->devnum = v->devnum;
    if (urb->type == USBDEVFS_URB_TYPE_CONTROL && urb->endpoint == 0 && bd) {
        int st = control(v, bd->data, (int)bd->data_len, &u->actual);
        finish(v, u, st);
    } else if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == WIRE_EP_STREAM && bd &&
               v->pod.usb.configuration != 0) {
        push(&v->pending, &v->pending_tail, u);
    } else {
        umockdev_ioctl_data_unref(u->urb);
        free(u);
        reply(client, EINVAL);
        return TRUE;
    }
    reply(client, 0);
    return TRUE;
}

static gboolean reap(vpod *v, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    serve_bulk(v);
    /* A URB of a gone device is still reaped (with its error); then the fd is dead. */
    vp_urb *u = NULL, *prev = NULL;
    const char *node = umockdev_ioctl_client_get_devnode(client);
    for (vp_urb *x = v->done; x; prev = x, x = x->next) {
        char want[64];
        snprintf(want, sizeof want, "/dev/bus/usb/001/%03u", x->devnum);
        if (strcmp(want, node) == 0) {
            u = x;
            break;
        }
    }
    if (!u) {
        reply(client, stale(v, client) ? ENODEV : EAGAIN);
        return TRUE;
    }
    if (prev)
        prev->next = u->next;
    else
        v->done = u->next;
    if (v->done_tail == u)
        v->done_tail = prev;

    GError *e = NULL;
    UMockdevIoctlData *pp = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), &e);
    if (!pp) {
        g_clear_error(&e);
        reply(client, EFAULT);
        return TRUE;
    }
    struct usbdevfs_urb urb;
    memcpy(&urb, u->urb->data, sizeof urb);
    urb.status = u->status;
    urb.actual_length = u->actual;
    umockdev_ioctl_data_update(u->urb, G_STRUCT_OFFSET(struct usbdevfs_urb, status),
                               (guint8 *)&urb.status, sizeof urb.status);
    umockdev_ioctl_data_update(u->urb, G_STRUCT_OFFSET(struct usbdevfs_urb, actual_length),
                               (guint8 *)&urb.actual_length, sizeof urb.actual_length);
    if (u->buf && u->actual > 0)
        umockdev_ioctl_data_update(u->buf, 0, u->buf->data, u->buf->data_len);
    umockdev_ioctl_data_set_ptr(pp, 0, u->urb);
    reply(client, 0);
    umockdev_ioctl_data_unref(u->urb);
    free(u);
    return TRUE;
}

static gboolean discard(vpod *v, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    gulong addr = *(gulong *)arg->data;
    vp_urb *prev = NULL;
    for (vp_urb *u = v->pending; u; prev = u, u = u->next) {
        if (u->client_addr != addr)
            continue;
        if (prev)
            prev->next = u->next;
        else
            v->pending = u->next;
        if (v->pending_tail == u)
            v->pending_tail = prev;
        finish(v, u, u->actual > 0 ? 0 : -ENOENT);
        reply(client, 0);
        return TRUE;
    }
    reply(client, EINVAL);
    return TRUE;
}

static gboolean dispatch(vpod *v, UMockdevIoctlClient *client);

static gboolean on_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
    (void)handler;
    vpod *v = data;
    g_mutex_lock(&v->lock);
    gboolean r = dispatch(v, client);
    g_mutex_unlock(&v->lock);
    return r;
}

static gboolean dispatch(vpod *v, UMockdevIoctlClient *client)
{
    gulong req = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    GError *e = NULL;

    switch (req) {
    case USBDEVFS_SUBMITURB:
        return submit(v, client, arg);
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
        return reap(v, client, arg);
    case USBDEVFS_DISCARDURB:
        return discard(v, client, arg);
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), &e);
        if (!d) {
            g_clear_error(&e);
            reply(client, EFAULT);
            return TRUE;
        }
        guint32 caps = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |
                       USBDEVFS_CAP_NO_PACKET_SIZE_LIM;
        memcpy(d->data, &caps, sizeof caps);
        reply(client, 0);
        return TRUE;
    }
    case USBDEVFS_GET_SPEED:
        umockdev_ioctl_client_complete(client, stale(v, client) ? -1 : 2 /* full */,
                                       stale(v, client) ? ENODEV : 0);
        return TRUE;
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(unsigned int), &e);
        if (!d) {
            g_clear_error(&e);
            reply(client, EFAULT);
            return TRUE;
        }
        unsigned int iface;
        memcpy(&iface, d->data, sizeof iface);
        reply(client, stale(v, client) ? ENODEV : iface == 0 ? 0 : EINVAL);
        return TRUE;
    }
    case USBDEVFS_CLEAR_HALT: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(unsigned int), &e);
        if (!d) {
            g_clear_error(&e);
            reply(client, EFAULT);
            return TRUE;
        }
        if (stale(v, client)) {
            reply(client, ENODEV);
            return TRUE;
        }
        unsigned int ep;
        memcpy(&ep, d->data, sizeof ep);
        /* The kernel sends CLEAR_FEATURE(ENDPOINT_HALT) to the device. */
        uint8_t setup[8] = {0x02, 0x01, 0, 0, (uint8_t)ep, 0, 0, 0};
        uint8_t in[8];
        pod_ctrl_reply r = pod_control(&v->pod, setup, NULL, 0, in, sizeof in);
        reply(client, r.kind == POD_CTRL_STALL ? EPIPE : 0);
        return TRUE;
    }
    case USBDEVFS_RESET:
    case USBDEVFS_RESETEP:
        reply(client, stale(v, client) ? ENODEV : 0);
        return TRUE;
    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL:
        reply(client, ENODATA);
        return TRUE;
    default:
        reply(client, ENOTTY);
        return TRUE;
    }
}

/* ---- plugging ---------------------------------------------------------------------- */

static void hex(char *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

void vpod_plug(vpod *v)
{
    pod_params prm = pod_default_params;
    prm.serial = v->serial;
    prm.board = WIRE_BOARD_VIRTUAL;
    prm.config = v->config;
    pod_init(&v->pod, &prm); /* power-up: a fresh pod, its clock and index at zero */
    v->n_dev = 0;
    v->dev_t0 = 0;
    if (v->f.wrap) {
        v->dev_t0 = 0xFFFFFFFFu - 2999999u; /* device time wraps 3 s into the stream */
        v->pod.pz.next_index = 0xFFFFFFFFu - 2499u; /* and the sample index soon after */
    }
    v->period_us = wire_period_ns(v->pod.cfg.odr_hz) / 1000u;
    v->devnum++;
    snprintf(v->devnode, sizeof v->devnode, "/dev/bus/usb/001/%03u", v->devnum);
    /* What the kernel does on plug-in: address and configure the device. */
    uint8_t in[POD_CTRL_MAX_IN];
    uint8_t set_addr[8] = {0x00, 0x05, (uint8_t)v->devnum, 0, 0, 0, 0, 0};
    uint8_t set_conf[8] = {0x00, 0x09, 1, 0, 0, 0, 0, 0};
    pod_control(&v->pod, set_addr, NULL, 0, in, sizeof in);
    pod_control(&v->pod, set_conf, NULL, 0, in, sizeof in);

    char desc[2 * (USB_DEVICE_DESC_LEN + USB_CONFIG_DESC_LEN) + 1];
    hex(desc, usb_device_desc, USB_DEVICE_DESC_LEN);
    hex(desc + 2 * USB_DEVICE_DESC_LEN, usb_config_desc, USB_CONFIG_DESC_LEN);
    GError *e = NULL;
    umockdev_testbed_attach_ioctl(v->tb, v->devnode, v->handler, &e);
    g_clear_error(&e);
    char *s = g_strdup_printf("P: %s\n"
                              "N: bus/usb/001/%03u\n"
                              "E: SUBSYSTEM=usb\n"
                              "E: DEVTYPE=usb_device\n"
                              "E: DEVNAME=%s\n"
                              "E: BUSNUM=001\n"
                              "E: DEVNUM=%03u\n"
                              "E: ID_VENDOR_ID=%04x\n"
                              "E: ID_MODEL_ID=%04x\n"
                              "E: ID_SERIAL_SHORT=%s\n"
                              "A: busnum=1\\n\n"
                              "A: devnum=%u\\n\n"
                              "A: speed=12\\n\n"
                              "A: bConfigurationValue=1\\n\n"
                              "A: bNumConfigurations=1\\n\n"
                              "A: idVendor=%04x\\n\n"
                              "A: idProduct=%04x\\n\n"
                              "A: serial=%s\\n\n"
                              "A: manufacturer=calftrack\\n\n"
                              "A: product=calftrack ankle IMU pod\\n\n"
                              "H: descriptors=%s\n",
                              v->syspath, v->devnum, v->devnode, v->devnum, WIRE_USB_VID,
                              WIRE_USB_PID, v->serial, v->devnum, WIRE_USB_VID, WIRE_USB_PID,
                              v->serial, desc);
    if (!umockdev_testbed_add_from_string(v->tb, s, &e)) {
        fprintf(stderr, "calftrack-vpod: cannot add the device: %s\n", e ? e->message : "?");
        g_clear_error(&e);
    }
    g_free(s);
    v->plugged = true;
    v->wall_anchor_us = vpod_now_us();
    v->n_anchor = v->n_sim;
}

void vpod_unplug(vpod *v)
{
    if (!v->plugged)
        return;
    v->plugged = false;
    v->st.unplugs++;
    fail_pending(v, -ENODEV);
    char sys[96];
    snprintf(sys, sizeof sys, "/sys%s", v->syspath);
    umockdev_testbed_uevent(v->tb, sys, "remove");
    umockdev_testbed_remove_device(v->tb, sys);
}

int vpod_setup(vpod *v)
{
    g_mutex_init(&v->lock);
    v->tb = umockdev_testbed_new();
    if (!v->tb)
        return -1;
    v->handler = umockdev_ioctl_base_new();
    g_signal_connect(v->handler, "handle-ioctl", G_CALLBACK(on_ioctl), v);
    snprintf(v->syspath, sizeof v->syspath, "/devices/pci0000:00/0000:00:14.0/usb1/1-1");
    v->rng = 0x9E3779B97F4A7C15ull;
    return 0;
}

void vpod_teardown(vpod *v)
{
    vp_urb *u;
    while ((u = pop(&v->pending, &v->pending_tail)) || (u = pop(&v->done, &v->done_tail))) {
        umockdev_ioctl_data_unref(u->urb);
        free(u);
    }
    g_clear_object(&v->handler);
    g_clear_object(&v->tb);
    free(v->log);
    v->log = NULL;
}

void vpod_serve(vpod *v)
{
    g_mutex_lock(&v->lock);
    serve_bulk(v);
    g_mutex_unlock(&v->lock);
}
