/* pod_internal.h - what usb_ctrl.c and pod.c share; not part of the core's API. */
#ifndef POD_INTERNAL_H
#define POD_INTERNAL_H

#include "pod.h"

#define USB_TYPE_MASK 0x60u
#define USB_TYPE_STANDARD 0x00u
#define USB_TYPE_VENDOR 0x40u
#define USB_DIR_IN 0x80u
#define USB_RECIP_MASK 0x1Fu
#define USB_RECIP_DEVICE 0u
#define USB_RECIP_INTERFACE 1u
#define USB_RECIP_ENDPOINT 2u

pod_ctrl_reply pod_vendor_setup(pod *p, const usb_setup *s, uint8_t *in, size_t in_cap);
pod_ctrl_reply pod_vendor_data(pod *p, const usb_setup *s, const uint8_t *out, size_t out_len);
void pod_stop_stream(pod *p);

static inline pod_ctrl_reply pod_stall(void)
{
    pod_ctrl_reply r = {POD_CTRL_STALL, 0, false, 0, 0};
    return r;
}

static inline pod_ctrl_reply pod_ok(uint16_t len)
{
    pod_ctrl_reply r = {POD_CTRL_OK, len, false, 0, 0};
    return r;
}

#endif
