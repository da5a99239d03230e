/*
 * startup.c - vector table and reset handler. Nothing here relies on the boot ROM
 * having run: SP and PC come from this table, .data is copied and .bss zeroed here,
 * and clocks_init() starts every clock from whatever state it finds.
 */
#include <stdint.h>

#include "port.h"
#include "regs.h"

extern uint32_t __stack_top[];
extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];

int main(void);
void reset_handler(void);
void default_handler(void);

void default_handler(void)
{
    /* A fault or an unexpected interrupt: stop here, visible to a debugger. */
    for (;;)
        __asm volatile("bkpt #0");
}

void reset_handler(void)
{
    uint32_t *src = __data_load, *dst = __data_start;
    while (dst < __data_end)
        *dst++ = *src++;
    for (dst = __bss_start; dst < __bss_end;)
        *dst++ = 0;
    main();
    for (;;)
        ;
}

typedef void (*vector)(void);

/* 16 system exceptions then the RP2040's 32 interrupt lines. */
__attribute__((used, section(".vectors"))) const vector vector_table[48] = {
    (vector)(uintptr_t)__stack_top,
    reset_handler,
    default_handler, /* NMI */
    default_handler, /* HardFault */
    0, 0, 0, 0, 0, 0, 0,
    default_handler, /* SVCall */
    0, 0,
    default_handler, /* PendSV */
    default_handler, /* SysTick */
    [16 + IRQ_TIMER0] = isr_timer0,
    [16 + 1] = default_handler,
    [16 + 2] = default_handler,
    [16 + 3] = default_handler,
    [16 + 4] = default_handler,
    [16 + IRQ_USBCTRL] = isr_usbctrl,
    [16 + 6 ... 47] = default_handler,
};
