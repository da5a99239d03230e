/*
 * device.c - the virtual pod as a device: its power (plug, unplug), its clock, the
 * samples the simulated patient makes and the packets the firmware core turns them
 * into, with the faults of the link on the way. usbfs.c hands the packets to libusb.
 */
#include "vpod.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "usb_desc.h"

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
void vpod_log_packet(vpod *v, const uint8_t *p, size_t n)
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

static void log_sample(vpod *v, const wire_sample *s)
{
    if (!v->log_on)
        return;
    if (v->fed_len == v->fed_cap) {
        size_t cap = v->fed_cap ? v->fed_cap * 2 : 1u << 16;
        wire_sample *q = realloc(v->fed, cap * sizeof *q);
        if (!q) {
            v->log_on = false;
            return;
        }
        v->fed = q;
        v->fed_cap = cap;
    }
    v->fed[v->fed_len++] = *s;
}
/* ---- the stream clock ------------------------------------------------------------ */

static double stream_time_s(const vpod *v)
{
    return (double)v->n_sim * v->period_us * 1e-6;
}

static const uint8_t set_addr_tpl[8] = {0x00, 0x05, 0, 0, 0, 0, 0, 0};
static const uint8_t set_conf[8] = {0x00, 0x09, 1, 0, 0, 0, 0, 0};

/* The pod's firmware restarts while it stays on the bus (a watchdog reset that keeps
 * the USB connection): its clock, sample index and packet sequence start again at zero,
 * the packets it had queued are gone, and it resumes streaming with the configuration
 * the host had set, without telling the host. */
void vpod_epoch_end(vpod *v)
{
    v->st.samples_unseen += v->tail_lost;
    v->tail_lost = 0;
    v->head = true;
}

static void reset_pod(vpod *v)
{
    vpod_epoch_end(v);
    pod_params prm = pod_default_params;
    prm.serial = v->serial;
    prm.board = WIRE_BOARD_VIRTUAL;
    prm.config = pod_config(&v->pod);
    pod_init(&v->pod, &prm);
    v->n_dev = 0;
    v->dev_t0 = 0;
    v->st.resets++;
    uint8_t in[POD_CTRL_MAX_IN];
    uint8_t set_addr[8];
    memcpy(set_addr, set_addr_tpl, sizeof set_addr);
    set_addr[2] = (uint8_t)v->devnum;
    uint8_t start[8] = {0x40, WIRE_REQ_START, 0, 0, 0, 0, 0, 0};
    pod_control(&v->pod, set_addr, NULL, 0, in, sizeof in);
    pod_control(&v->pod, set_conf, NULL, 0, in, sizeof in);
    pod_set_time(&v->pod, 0);
    pod_control(&v->pod, start, NULL, 0, in, sizeof in);
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
    double t = stream_time_s(v);
    vp_times *u = &v->f.unplug, *st = &v->f.stall, *ov = &v->f.overrun, *rs = &v->f.reset;
    if (u->next < u->n && t >= u->t[u->next]) {
        u->next++;
        vpod_unplug(v);
        return false;
    }
    if (rs->next < rs->n && t >= rs->t[rs->next] && pod_streaming(&v->pod)) {
        rs->next++;
        reset_pod(v);
    }
    if (st->next < st->n && t >= st->t[st->next] && pod_streaming(&v->pod)) {
        st->next++;
        v->pod.usb.halted = true;
        v->st.stalls++;
    }
    if (ov->next < ov->n && t >= ov->t[ov->next] && pod_streaming(&v->pod)) {
        /* The FIFO overflowed: these samples were taken and overwritten. */
        ov->next++;
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
        if (v->sample_log) {
            /* when the sensor made it: its due time on the real-time clock, or now */
            int64_t made = v->speed > 0 ? v->wall_anchor_us +
                                              (int64_t)((double)(v->n_sim - 1 - v->n_anchor) *
                                                        v->period_us / v->speed)
                                        : vpod_now_us();
            fprintf(v->sample_log, "%llu %lld\n",
                    (unsigned long long)(v->dev_t0 + v->n_dev * v->period_us),
                    (long long)(made + v->real_minus_mono_us));
        }
        pod_feed(&v->pod, &s, (uint32_t)(v->dev_t0 + v->n_dev * v->period_us));
        v->st.samples_fed++;
        log_sample(v, &s);
    }
    v->n_dev++;
    return true;
}

void vpod_advance(vpod *v)
{
    /* Paced to a clock, the sensor does not wait for the host: the pod's queue fills and,
     * when nobody reads, overflows as on the real pod (an overrun the host is told of). */
    if (v->speed > 0)
        while (produce(v))
            ;
}

void vpod_skip_to(vpod *v, double t_s)
{
    while (stream_time_s(v) < t_s) {
        wire_sample s;
        motion_next(&v->m, &s);
        v->n_sim++;
        v->st.samples_made++;
    }
}

/* Takes the next packet off the pod, producing samples as needed; applies link faults.
 * Returns its length, 0 when none is available now. */
size_t vpod_next_packet(vpod *v, uint8_t pkt[WIRE_PKT_MAX])
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
        wire_packet wp;
        unsigned count = wire_decode_packet(pkt, n, &wp) == WIRE_OK ? wp.count : 0;
        v->st.samples_sent += count;
        if (v->f.drop_p > 0 && rnd(v) < v->f.drop_p) {
            v->st.packets_dropped++;
            v->st.samples_dropped += count;
            v->tail_lost += count;
            continue;
        }
        if (v->f.corrupt_p > 0 && rnd(v) < v->f.corrupt_p) {
            v->st.samples_damaged += count;
            v->tail_lost += count;
            if (rnd(v) < 0.5) {
                size_t at = (size_t)(rnd(v) * (double)n);
                pkt[at < n ? at : n - 1] ^= (uint8_t)(1u << (unsigned)(rnd(v) * 8.0));
                v->st.packets_corrupted++;
            } else {
                n = 1 + (size_t)(rnd(v) * (double)(n - 1));
                v->st.packets_truncated++;
            }
        } else {
            if (v->head)
                v->st.samples_unseen += v->tail_lost;
            v->head = false;
            v->tail_lost = 0;
        }
        return n;
    }
}

/* Fills waiting bulk URBs in order. A URB completes when full or after a short packet,
 * as on the bus. *//* ---- plugging ---------------------------------------------------------------------- */

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
    uint8_t set_addr[8];
    memcpy(set_addr, set_addr_tpl, sizeof set_addr);
    set_addr[2] = (uint8_t)v->devnum;
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
    if (v->f.noaccess) {
        /* as without the udev rule: the node belongs to root, mode 0664 minus our bits */
        char *root = umockdev_testbed_get_root_dir(v->tb);
        char *node = g_strdup_printf("%s%s", root, v->devnode);
        chmod(node, 0);
        g_free(node);
        g_free(root);
    }
    v->plugged = true;
    v->head = true;
    v->wall_anchor_us = vpod_now_us();
    v->n_anchor = v->n_sim;
}

void vpod_unplug(vpod *v)
{
    if (!v->plugged)
        return;
    v->plugged = false;
    v->st.unplugs++;
    vpod_epoch_end(v);
    vpod_fail_pending(v, -ENODEV);
    char sys[96];
    snprintf(sys, sizeof sys, "/sys%s", v->syspath);
    umockdev_testbed_uevent(v->tb, sys, "remove");
    umockdev_testbed_remove_device(v->tb, sys);
}
