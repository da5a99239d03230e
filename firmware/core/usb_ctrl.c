/*
 * usb_ctrl.c - USB chapter 9 standard requests and the dispatch of every control
 * transfer (see pod.h). Every field of a setup packet is checked against what the
 * request allows; anything else is a STALL, never a guess.
 */
#include <string.h>

#include "pod_internal.h"
#include "usb_desc.h"

enum {
    REQ_GET_STATUS = 0,
    REQ_CLEAR_FEATURE = 1,
    REQ_SET_FEATURE = 3,
    REQ_SET_ADDRESS = 5,
    REQ_GET_DESCRIPTOR = 6,
    REQ_SET_DESCRIPTOR = 7,
    REQ_GET_CONFIGURATION = 8,
    REQ_SET_CONFIGURATION = 9,
    REQ_GET_INTERFACE = 10,
    REQ_SET_INTERFACE = 11,
    REQ_SYNCH_FRAME = 12,
};

#define FEATURE_ENDPOINT_HALT 0u

void usb_setup_parse(const uint8_t raw[8], usb_setup *s)
{
    s->bmRequestType = raw[0];
    s->bRequest = raw[1];
    s->wValue = wire_get16(raw + 2);
    s->wIndex = wire_get16(raw + 4);
    s->wLength = wire_get16(raw + 6);
}

static pod_ctrl_reply reply_in(const uint8_t *src, size_t len, const usb_setup *s, uint8_t *in,
                               size_t in_cap)
{
    if (len > s->wLength)
        len = s->wLength;
    if (len > in_cap)
        return pod_stall();
    memcpy(in, src, len);
    return pod_ok((uint16_t)len);
}

/* The endpoints that exist in the current state: EP0 always, 0x81 when configured. */
static bool endpoint_exists(const pod *p, uint16_t windex)
{
    if (windex == 0x00u || windex == 0x80u)
        return true;
    return windex == WIRE_EP_STREAM && p->usb.configuration != 0;
}

static pod_ctrl_reply get_descriptor(pod *p, const usb_setup *s, uint8_t *in, size_t in_cap)
{
    uint8_t type = (uint8_t)(s->wValue >> 8), index = (uint8_t)(s->wValue & 0xFFu);
    switch (type) {
    case USB_DESC_DEVICE:
        if (index != 0 || s->wIndex != 0)
            return pod_stall();
        return reply_in(usb_device_desc, sizeof usb_device_desc, s, in, in_cap);
    case USB_DESC_CONFIGURATION:
        if (index != 0 || s->wIndex != 0)
            return pod_stall();
        return reply_in(usb_config_desc, sizeof usb_config_desc, s, in, in_cap);
    case USB_DESC_STRING: {
        /* Index 0 lists the languages and takes wIndex 0; the others need ours. */
        if (index == 0 ? s->wIndex != 0 : s->wIndex != USB_LANGID_EN_US)
            return pod_stall();
        uint8_t buf[POD_CTRL_MAX_IN];
        size_t len = usb_string_desc(index, p->serial, buf, sizeof buf);
        if (len == 0 || len > sizeof buf)
            return pod_stall();
        return reply_in(buf, len, s, in, in_cap);
    }
    default: /* DEVICE_QUALIFIER too: a full-speed-only device must STALL it */
        return pod_stall();
    }
}

static pod_ctrl_reply standard_setup(pod *p, const usb_setup *s, uint8_t *in, size_t in_cap)
{
    uint8_t recip = s->bmRequestType & USB_RECIP_MASK;
    bool dir_in = (s->bmRequestType & USB_DIR_IN) != 0;
    bool configured = p->usb.configuration != 0;
    pod_ctrl_reply r;

    switch (s->bRequest) {
    case REQ_GET_STATUS: {
        if (!dir_in || s->wValue != 0 || s->wLength != 2)
            return pod_stall();
        uint8_t st[2] = {0, 0};
        if (recip == USB_RECIP_DEVICE) {
            if (s->wIndex != 0)
                return pod_stall();
            /* bus powered, no remote wakeup: both bits zero */
        } else if (recip == USB_RECIP_INTERFACE) {
            if (!configured || s->wIndex != 0)
                return pod_stall();
        } else if (recip == USB_RECIP_ENDPOINT) {
            if (!endpoint_exists(p, s->wIndex))
                return pod_stall();
            st[0] = (s->wIndex == WIRE_EP_STREAM && p->usb.halted) ? 1u : 0u;
        } else {
            return pod_stall();
        }
        return reply_in(st, 2, s, in, in_cap);
    }
    case REQ_CLEAR_FEATURE:
    case REQ_SET_FEATURE:
        if (dir_in || s->wLength != 0)
            return pod_stall();
        /* Only ENDPOINT_HALT exists here: no remote wakeup, no test modes at full speed. */
        if (recip != USB_RECIP_ENDPOINT || s->wValue != FEATURE_ENDPOINT_HALT ||
            !endpoint_exists(p, s->wIndex))
            return pod_stall();
        r = pod_ok(0);
        if (s->wIndex == WIRE_EP_STREAM) {
            /* CLEAR_FEATURE(HALT) also resets the data toggle, even when not halted. */
            p->usb.halted = s->bRequest == REQ_SET_FEATURE;
            r.changed = POD_CHG_HALT;
        } else if (s->bRequest == REQ_SET_FEATURE) {
            return pod_stall(); /* halting EP0 is a protocol stall; refuse it */
        }
        return r;
    case REQ_SET_ADDRESS:
        if (dir_in || recip != USB_RECIP_DEVICE || s->wValue > 127 || s->wIndex != 0 ||
            s->wLength != 0 || configured)
            return pod_stall();
        r = pod_ok(0);
        r.set_address = true;
        r.address = (uint8_t)s->wValue;
        p->usb.address = r.address;
        return r;
    case REQ_GET_DESCRIPTOR:
        if (!dir_in || recip != USB_RECIP_DEVICE)
            return pod_stall();
        return get_descriptor(p, s, in, in_cap);
    case REQ_GET_CONFIGURATION:
        if (!dir_in || recip != USB_RECIP_DEVICE || s->wValue != 0 || s->wIndex != 0 ||
            s->wLength != 1)
            return pod_stall();
        return reply_in(&p->usb.configuration, 1, s, in, in_cap);
    case REQ_SET_CONFIGURATION:
        if (dir_in || recip != USB_RECIP_DEVICE || s->wValue > 1 || s->wIndex != 0 ||
            s->wLength != 0 || p->usb.address == 0)
            return pod_stall();
        if (s->wValue == 0 && p->streaming)
            pod_stop_stream(p);
        p->usb.configuration = (uint8_t)s->wValue;
        p->usb.halted = false;
        r = pod_ok(0);
        r.changed = POD_CHG_CONFIG;
        return r;
    case REQ_GET_INTERFACE: {
        if (!dir_in || recip != USB_RECIP_INTERFACE || s->wValue != 0 || s->wIndex != 0 ||
            s->wLength != 1 || !configured)
            return pod_stall();
        uint8_t alt = 0;
        return reply_in(&alt, 1, s, in, in_cap);
    }
    case REQ_SET_INTERFACE:
        if (dir_in || recip != USB_RECIP_INTERFACE || s->wValue != 0 || s->wIndex != 0 ||
            s->wLength != 0 || !configured)
            return pod_stall();
        p->usb.halted = false;
        r = pod_ok(0);
        r.changed = POD_CHG_HALT; /* resets the endpoint's data toggle */
        return r;
    default: /* SET_DESCRIPTOR, SYNCH_FRAME (no isochronous endpoint), unknown */
        return pod_stall();
    }
}

pod_ctrl_reply pod_ctrl_setup(pod *p, const uint8_t setup[8], uint8_t *in, size_t in_cap)
{
    usb_setup s;
    usb_setup_parse(setup, &s);
    p->pending_valid = false;
    bool dir_in = (s.bmRequestType & USB_DIR_IN) != 0;
    if (!dir_in && s.wLength > POD_CTRL_MAX_OUT)
        return pod_stall();

    switch (s.bmRequestType & USB_TYPE_MASK) {
    case USB_TYPE_STANDARD:
        /* No standard request this device answers has an OUT data stage. */
        if (!dir_in && s.wLength != 0)
            return pod_stall();
        return standard_setup(p, &s, in, in_cap);
    case USB_TYPE_VENDOR: {
        pod_ctrl_reply r = pod_vendor_setup(p, &s, in, in_cap);
        if (r.kind == POD_CTRL_NEED_DATA) {
            p->pending = s;
            p->pending_valid = true;
        }
        return r;
    }
    default: /* class and reserved types */
        return pod_stall();
    }
}

pod_ctrl_reply pod_ctrl_data(pod *p, const uint8_t *out, size_t out_len)
{
    if (!p->pending_valid)
        return pod_stall();
    p->pending_valid = false;
    if (out_len != p->pending.wLength)
        return pod_stall();
    return pod_vendor_data(p, &p->pending, out, out_len);
}

pod_ctrl_reply pod_control(pod *p, const uint8_t setup[8], const uint8_t *out, size_t out_len,
                           uint8_t *in, size_t in_cap)
{
    pod_ctrl_reply r = pod_ctrl_setup(p, setup, in, in_cap);
    if (r.kind == POD_CTRL_NEED_DATA)
        return pod_ctrl_data(p, out, out ? out_len : 0);
    return r;
}
