/* fuzz_fwctrl.c - libFuzzer target: the pod firmware's control-request handler (the
 * portable core the RP2040 image runs) fed any sequence of setup packets and data
 * stages. It must never write past the IN buffer, and whatever it answers must fit
 * what the host asked for. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pod.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pod p;
    pod_params prm = pod_default_params;
    prm.serial = "FUZZ0001";
    prm.board = WIRE_BOARD_VIRTUAL;
    pod_init(&p, &prm);
    size_t pos = 0;
    while (pos + 9 <= size) {
        const uint8_t *setup = data + pos;
        size_t out_len = data[pos + 8] % 72u; /* sometimes longer than one EP0 packet */
        pos += 9;
        if (out_len > size - pos)
            out_len = size - pos;
        uint8_t in[POD_CTRL_MAX_IN + 16];
        memset(in, 0xA5, sizeof in);
        usb_setup s;
        usb_setup_parse(setup, &s);
        pod_ctrl_reply r = pod_control(&p, setup, data + pos, out_len, in, POD_CTRL_MAX_IN);
        pos += out_len;
        for (size_t i = POD_CTRL_MAX_IN; i < sizeof in; i++)
            if (in[i] != 0xA5)
                abort(); /* wrote past the buffer it was given */
        if (r.kind == POD_CTRL_OK && (s.bmRequestType & 0x80u) && r.len > s.wLength)
            abort(); /* answered more than the host asked for */
        if (r.kind == POD_CTRL_OK && r.len > POD_CTRL_MAX_IN)
            abort();
        if (pod_streaming(&p)) {
            wire_sample w = {{1, 2, 3}, {4, 5, 6}};
            pod_feed(&p, &w, (uint32_t)pos);
            uint8_t pkt[WIRE_PKT_MAX];
            wire_packet dec;
            size_t n = pod_take_packet(&p, pkt);
            if (n && wire_decode_packet(pkt, n, &dec) != WIRE_OK)
                abort(); /* the pod never sends a packet our own decoder refuses */
        }
    }
    return 0;
}
