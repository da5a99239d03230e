/*
 * usbfs.c - answers the usbfs ioctls libusb makes on the virtual pod's device node:
 * control URBs go through the firmware core's request handler, bulk IN URBs are filled
 * with the packets device.c makes, in order, completing as on the bus (full, or ended by
 * a short packet); the other ioctls as the kernel answers them.
 */
#include "vpod.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* umockdev_ioctl_data_resolve() returns a new reference (transfer full): every one is
 * released, or each URB keeps its copy of the client's buffer alive for good. */
struct vp_urb {
    UMockdevIoctlData *urb; /* our reference to the client's struct usbdevfs_urb */
    UMockdevIoctlData *buf; /* our reference to its buffer, or NULL */
    gulong client_addr;
    unsigned devnum;        /* the plug-in it was submitted to */
    int status;
    int actual;
    vp_urb *next;
};
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

static void urb_free(vp_urb *u)
{
    if (u->buf)
        umockdev_ioctl_data_unref(u->buf);
    umockdev_ioctl_data_unref(u->urb);
    free(u);
}

static void unref(UMockdevIoctlData *d)
{
    if (d)
        umockdev_ioctl_data_unref(d);
}

static void finish(vpod *v, vp_urb *u, int status)
{
    u->status = status;
    push(&v->done, &v->done_tail, u);
}

/* Completes every waiting bulk URB with status (stall, unplug). */
void vpod_fail_pending(vpod *v, int status)
{
    vp_urb *u;
    while ((u = pop(&v->pending, &v->pending_tail)))
        finish(v, u, u->actual > 0 ? 0 : status);
}
static void serve_bulk(vpod *v)
{
    vpod_advance(v);
    while (v->pending) {
        vp_urb *u = v->pending;
        if (!v->plugged || u->devnum != v->devnum) {
            vpod_fail_pending(v, -ENODEV);
            return;
        }
        if (v->pod.usb.halted) {
            vpod_fail_pending(v, -EPIPE);
            return;
        }
        int cap = (int)u->buf->data_len;
        bool complete = false;
        while (u->actual + (int)WIRE_PKT_MAX <= cap) {
            uint8_t pkt[WIRE_PKT_MAX];
            size_t n = vpod_next_packet(v, pkt);
            if (n == 0)
                break;
            memcpy(u->buf->data + u->actual, pkt, n);
            u->actual += (int)n;
            v->st.packets_sent++;
            vpod_log_packet(v, pkt, n);
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
    if ((r.changed & POD_CHG_STREAM) && pod_streaming(&v->pod) &&
        v->pod.cfg.odr_hz != v->m.odr_hz) {
        /* the host set another rate: the sensor and the device clock follow it */
        uint32_t now = (uint32_t)(v->dev_t0 + v->n_dev * v->period_us);
        if (motion_set_rate(&v->m, v->pod.cfg.odr_hz) != 0)
            fprintf(stderr, "calftrack-vpod: the simulator cannot run at %u Hz\n",
                    v->pod.cfg.odr_hz);
        v->period_us = wire_period_ns(v->pod.cfg.odr_hz) / 1000u;
        v->dev_t0 = now;
        v->n_dev = 0;
        v->n_sim = 0;
        v->n_anchor = 0;
        v->wall_anchor_us = vpod_now_us();
    }
    if (dir_in && v->f.protocol > 0 && buf[0] == 0xC0 && buf[1] == WIRE_REQ_GET_INFO && r.len > 0)
        in[0] = (uint8_t)v->f.protocol; /* a firmware from another protocol generation */
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
        unref(ud);
        reply(client, ENODEV);
        return TRUE;
    }
    if (urb->buffer_length < 0 || urb->buffer_length > 65536) {
        unref(ud);
        reply(client, EINVAL);
        return TRUE;
    }
    UMockdevIoctlData *bd = NULL;
    if (urb->buffer_length > 0) {
        bd = umockdev_ioctl_data_resolve(ud, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer),
                                         (gsize)urb->buffer_length, &e);
        if (!bd) {
            g_clear_error(&e);
            unref(ud);
            reply(client, EFAULT);
            return TRUE;
        }
    }
    vp_urb *u = calloc(1, sizeof *u);
    if (!u) {
        unref(bd);
        unref(ud);
        reply(client, ENOMEM);
        return TRUE;
    }
    u->urb = ud;
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
        urb_free(u);
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
        urb_free(u);
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
    unref(pp);
    urb_free(u);
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
        unref(d);
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
        unref(d);
        if (v->f.busy && umockdev_ioctl_client_get_request(client) == USBDEVFS_CLAIMINTERFACE) {
            reply(client, EBUSY);
            return TRUE;
        }
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
        unsigned int ep;
        memcpy(&ep, d->data, sizeof ep);
        unref(d);
        if (stale(v, client)) {
            reply(client, ENODEV);
            return TRUE;
        }
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
    while ((u = pop(&v->pending, &v->pending_tail)) || (u = pop(&v->done, &v->done_tail)))
        urb_free(u);
    g_clear_object(&v->handler);
    g_clear_object(&v->tb);
    free(v->log);
    v->log = NULL;
    free(v->fed);
    v->fed = NULL;
}

void vpod_serve(vpod *v)
{
    g_mutex_lock(&v->lock);
    serve_bulk(v);
    g_mutex_unlock(&v->lock);
}
