/*
 * usb_dcd.c - RP2040 USB device controller (datasheet section 4.1) for the pod:
 * EP0 control transfers carried for the portable core (pod_ctrl_*), bus reset,
 * suspend/resume, and the bulk IN stream endpoint WIRE_EP_STREAM on EP1.
 *
 * The interrupt handler only queues bus events, setup packets and EP0 buffer
 * completions, in arrival order (a SETUP must not overtake the completion of the
 * previous transfer's status stage, which is when SET_ADDRESS takes effect), and
 * accumulates the bulk endpoint's completions; usb_task() in the main loop does the work.
 */
#include <string.h>

#include "port.h"
#include "regs.h"

enum ev_kind { EV_RESET, EV_SETUP, EV_SUSPEND, EV_RESUME, EV_EP0_DONE };
typedef struct {
    uint8_t kind;
    uint8_t bits;     /* EV_EP0_DONE: BUFF_STATUS bits 0 (EP0 IN) and 1 (EP0 OUT) */
    uint8_t setup[8]; /* EV_SETUP */
} usb_event;

#define EVQ_LEN 16u
static usb_event evq[EVQ_LEN];
static volatile uint32_t evq_head, evq_tail;
static volatile uint32_t buff_done; /* bulk BUFF_STATUS bits not yet handled */
static volatile uint32_t evq_lost;

enum ep0_stage { EP0_IDLE, EP0_DATA_IN, EP0_DATA_OUT, EP0_STATUS_IN, EP0_STATUS_OUT };
static struct {
    pod *p;
    uint8_t stage;
    uint8_t in_buf[POD_CTRL_MAX_IN];
    uint16_t in_len, in_off;
    bool in_zlp;         /* end a multiple-of-64 reply shorter than wLength with a ZLP */
    bool ep0_data1;      /* PID of the next EP0 data packet */
    bool set_address;
    uint8_t address;
    bool ep1_busy;
    bool ep1_data1;
} u;

static void queue_event(uint8_t kind, uint8_t bits, const volatile uint8_t *setup)
{
    uint32_t h = evq_head;
    if (h - evq_tail >= EVQ_LEN) {
        evq_lost++;
        return;
    }
    usb_event *e = &evq[h % EVQ_LEN];
    e->kind = kind;
    e->bits = bits;
    if (setup)
        for (int i = 0; i < 8; i++)
            e->setup[i] = setup[i];
    evq_head = h + 1;
}

void isr_usbctrl(void)
{
    uint32_t ints = REG(USB_INTS);
    if (ints & USB_INT_BUFF_STATUS) {
        uint32_t b = REG(USB_BUFF_STATUS);
        REG(USB_BUFF_STATUS) = b; /* write-1-to-clear */
        if (b & 3u)
            queue_event(EV_EP0_DONE, (uint8_t)(b & 3u), 0);
        buff_done |= b & ~3u;
    }
    if (ints & USB_INT_BUS_RESET) {
        REG(USB_SIE_STATUS) = USB_SIE_STATUS_BUS_RESET;
        queue_event(EV_RESET, 0, 0);
    }
    if (ints & USB_INT_SETUP_REQ) {
        REG(USB_SIE_STATUS) = USB_SIE_STATUS_SETUP_REC;
        queue_event(EV_SETUP, 0, (const volatile uint8_t *)(uintptr_t)USB_DPRAM_BASE);
    }
    if (ints & USB_INT_DEV_SUSPEND) {
        REG(USB_SIE_STATUS) = USB_SIE_STATUS_SUSPENDED;
        /* Level until the bus resumes on some implementations: mask until then. */
        REG_CLR(USB_INTE) = USB_INT_DEV_SUSPEND;
        REG_SET(USB_INTE) = USB_INT_DEV_RESUME;
        queue_event(EV_SUSPEND, 0, 0);
    }
    if (ints & USB_INT_DEV_RESUME) {
        REG(USB_SIE_STATUS) = USB_SIE_STATUS_RESUME;
        REG_CLR(USB_INTE) = USB_INT_DEV_RESUME;
        REG_SET(USB_INTE) = USB_INT_DEV_SUSPEND;
        queue_event(EV_RESUME, 0, 0);
    }
}

bool usb_pending(void)
{
    return evq_head != evq_tail || buff_done != 0;
}

/* Buffer control: write everything but AVAILABLE first, then AVAILABLE, so the
 * controller (on clk_usb) never sees a half-written word (datasheet 4.1.2.5.1). */
static void buf_ctrl_arm(uint32_t addr, uint32_t value)
{
    REG(addr) = value;
    __asm volatile("nop\n nop\n nop" ::: "memory");
    REG(addr) = value | USB_BUF_AVAILABLE;
}

static void copy_to_dpram(uint32_t dst, const uint8_t *src, size_t len)
{
    for (size_t i = 0; i < len; i += 4) {
        uint32_t w = 0;
        for (size_t k = 0; k < 4 && i + k < len; k++)
            w |= (uint32_t)src[i + k] << (8 * k);
        REG(dst + i) = w;
    }
}

static void copy_from_dpram(uint8_t *dst, uint32_t src, size_t len)
{
    for (size_t i = 0; i < len; i += 4) {
        uint32_t w = REG(src + i);
        for (size_t k = 0; k < 4 && i + k < len; k++)
            dst[i + k] = (uint8_t)(w >> (8 * k));
    }
}

static void ep0_stall(void)
{
    REG_SET(USB_EP_STALL_ARM) = 0x3u;
    REG(USB_BUF_CTRL_IN(0)) = USB_BUF_STALL;
    REG(USB_BUF_CTRL_OUT(0)) = USB_BUF_STALL;
    u.stage = EP0_IDLE;
}

static void ep0_send_next(void)
{
    uint16_t n = (uint16_t)(u.in_len - u.in_off);
    if (n > 64u)
        n = 64u;
    copy_to_dpram(USB_EP0_BUF, u.in_buf + u.in_off, n);
    u.in_off = (uint16_t)(u.in_off + n);
    if (u.in_off == u.in_len && n < 64u)
        u.in_zlp = false; /* a short packet ends the transfer by itself */
    buf_ctrl_arm(USB_BUF_CTRL_IN(0), USB_BUF_FULL | (u.ep0_data1 ? USB_BUF_DATA1 : 0u) | n);
    u.ep0_data1 = !u.ep0_data1;
}

static void ep0_send_zlp_status(void)
{
    u.stage = EP0_STATUS_IN;
    buf_ctrl_arm(USB_BUF_CTRL_IN(0), USB_BUF_FULL | USB_BUF_DATA1);
}

static void ep0_receive(uint16_t len)
{
    buf_ctrl_arm(USB_BUF_CTRL_OUT(0), (u.ep0_data1 ? USB_BUF_DATA1 : 0u) | len);
}

static void ep1_configure(bool on)
{
    REG(USB_EP_CTRL_IN(1)) = on ? USB_EP_CTRL_ENABLE | USB_EP_CTRL_INT_PER_BUF |
                                      USB_EP_CTRL_TYPE_BULK | USB_EP1_BUF_OFFSET
                                : 0u;
    REG(USB_BUF_CTRL_IN(1)) = 0;
    u.ep1_busy = false;
    u.ep1_data1 = false;
}

static void follow_changes(uint8_t changed)
{
    if (changed & POD_CHG_CONFIG)
        ep1_configure(u.p->usb.configuration != 0);
    if (changed & POD_CHG_HALT) {
        u.ep1_data1 = false;
        u.ep1_busy = false;
        REG(USB_BUF_CTRL_IN(1)) = u.p->usb.halted ? USB_BUF_STALL : 0u;
    }
}

static void handle_setup(const uint8_t setup[8])
{
    /* A new SETUP cancels whatever EP0 was doing, a pending stall included. */
    REG_CLR(USB_EP_STALL_ARM) = 0x3u;
    REG(USB_BUF_CTRL_IN(0)) = 0;
    REG(USB_BUF_CTRL_OUT(0)) = 0;
    u.ep0_data1 = true;
    u.set_address = false;

    pod_ctrl_reply r = pod_ctrl_setup(u.p, setup, u.in_buf, sizeof u.in_buf);
    follow_changes(r.changed);
    uint16_t wlength = (uint16_t)(setup[6] | (setup[7] << 8));
    if (r.kind == POD_CTRL_STALL) {
        ep0_stall();
    } else if (r.kind == POD_CTRL_NEED_DATA) {
        u.stage = EP0_DATA_OUT;
        ep0_receive(64);
    } else if (setup[0] & 0x80u) {
        u.stage = EP0_DATA_IN;
        u.in_len = r.len;
        u.in_off = 0;
        u.in_zlp = r.len < wlength; /* cleared again if the last packet is short */
        ep0_send_next();
    } else {
        u.set_address = r.set_address;
        u.address = r.address;
        ep0_send_zlp_status();
    }
}

static void ep0_in_done(void)
{
    if (u.stage == EP0_DATA_IN) {
        if (u.in_off < u.in_len || u.in_zlp) {
            if (u.in_off == u.in_len)
                u.in_zlp = false;
            ep0_send_next();
        } else {
            u.stage = EP0_STATUS_OUT;
            u.ep0_data1 = true;
            ep0_receive(0);
        }
    } else if (u.stage == EP0_STATUS_IN) {
        if (u.set_address) {
            REG(USB_ADDR_ENDP) = u.address; /* only now: the status stage used address 0 */
            u.set_address = false;
        }
        u.stage = EP0_IDLE;
    }
}

static void ep0_out_done(void)
{
    if (u.stage == EP0_DATA_OUT) {
        uint32_t bc = REG(USB_BUF_CTRL_OUT(0));
        uint8_t data[64];
        size_t len = bc & USB_BUF_LEN_MASK;
        if (len > sizeof data)
            len = sizeof data;
        copy_from_dpram(data, USB_EP0_BUF, len);
        pod_ctrl_reply r = pod_ctrl_data(u.p, data, len);
        follow_changes(r.changed);
        if (r.kind == POD_CTRL_OK)
            ep0_send_zlp_status();
        else
            ep0_stall();
    } else if (u.stage == EP0_STATUS_OUT) {
        u.stage = EP0_IDLE;
    }
}

static void bus_reset(void)
{
    /* A reset also ends a suspend that never saw its resume. */
    REG_CLR(USB_INTE) = USB_INT_DEV_RESUME;
    REG_SET(USB_INTE) = USB_INT_DEV_SUSPEND;
    REG(USB_ADDR_ENDP) = 0;
    REG_CLR(USB_EP_STALL_ARM) = 0x3u;
    REG(USB_BUF_CTRL_IN(0)) = 0;
    REG(USB_BUF_CTRL_OUT(0)) = 0;
    ep1_configure(false);
    u.stage = EP0_IDLE;
    u.set_address = false;
    pod_usb_reset(u.p);
}

static void stream_kick(void)
{
    pod *p = u.p;
    if (u.ep1_busy || p->usb.configuration == 0 || p->usb.halted || p->usb.suspended)
        return;
    uint8_t pkt[WIRE_PKT_MAX];
    size_t n = pod_take_packet(p, pkt);
    if (n == 0)
        return;
    copy_to_dpram(USB_DPRAM_BASE + USB_EP1_BUF_OFFSET, pkt, n);
    buf_ctrl_arm(USB_BUF_CTRL_IN(1), USB_BUF_FULL | (u.ep1_data1 ? USB_BUF_DATA1 : 0u) | n);
    u.ep1_data1 = !u.ep1_data1;
    u.ep1_busy = true;
}

void usb_task(void)
{
    while (evq_tail != evq_head) {
        usb_event e = evq[evq_tail % EVQ_LEN];
        evq_tail = evq_tail + 1;
        switch (e.kind) {
        case EV_RESET: bus_reset(); break;
        case EV_SETUP: handle_setup(e.setup); break;
        case EV_SUSPEND: pod_usb_suspend(u.p, true); break;
        case EV_RESUME: pod_usb_suspend(u.p, false); break;
        case EV_EP0_DONE:
            if (e.bits & 1u)
                ep0_in_done();
            if (e.bits & 2u)
                ep0_out_done();
            break;
        default: break;
        }
    }
    irq_disable();
    uint32_t done = buff_done;
    buff_done = 0;
    irq_enable();
    if (done & (1u << 2))
        u.ep1_busy = false;
    stream_kick();
}

void usb_init(pod *p)
{
    memset(&u, 0, sizeof u);
    u.p = p;
    REG_SET(RESETS_RESET) = RESET_USBCTRL;
    unreset(RESET_USBCTRL);
    for (uint32_t off = 0; off < USB_DPRAM_SIZE; off += 4)
        REG(USB_DPRAM_BASE + off) = 0;
    REG(USB_MUXING) = USB_MUXING_TO_PHY | USB_MUXING_SOFTCON;
    /* No VBUS sense pin on these boards: being powered means the bus is there. */
    REG(USB_PWR) = USB_PWR_VBUS_DETECT | USB_PWR_VBUS_DETECT_OVERRIDE_EN;
    REG(USB_SIE_CTRL) = USB_SIE_CTRL_EP0_INT_1BUF;
    REG(USB_INTE) = USB_INT_BUFF_STATUS | USB_INT_BUS_RESET | USB_INT_SETUP_REQ |
                    USB_INT_DEV_SUSPEND;
    REG(NVIC_ICPR) = 1u << IRQ_USBCTRL;
    REG(NVIC_ISER) = 1u << IRQ_USBCTRL;
    REG(USB_MAIN_CTRL) = USB_MAIN_CTRL_CONTROLLER_EN;
    REG_SET(USB_SIE_CTRL) = USB_SIE_CTRL_PULLUP_EN;
}
