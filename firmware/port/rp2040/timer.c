/* timer.c - the 64-bit microsecond timer and the main-loop tick alarm. */
#include "port.h"
#include "regs.h"

static volatile uint32_t ticks_pending;
static uint32_t next_alarm;

void timer_init(void)
{
    unreset(RESET_TIMER);
    next_alarm = REG(TIMER_TIMERAWL) + TICK_US;
    REG(TIMER_INTR) = 1u;
    REG(TIMER_INTE) = 1u;
    REG(TIMER_ALARM0) = next_alarm;
    REG(NVIC_ICPR) = 1u << IRQ_TIMER0;
    REG(NVIC_ISER) = 1u << IRQ_TIMER0;
}

uint64_t timer_us(void)
{
    /* The raw registers are not latched: reread the high word until it is stable. */
    uint32_t hi = REG(TIMER_TIMERAWH), lo, hi2;
    for (;;) {
        lo = REG(TIMER_TIMERAWL);
        hi2 = REG(TIMER_TIMERAWH);
        if (hi2 == hi)
            break;
        hi = hi2;
    }
    return ((uint64_t)hi << 32) | lo;
}

bool timer_take_tick_peek(void)
{
    return ticks_pending != 0;
}

bool timer_take_tick(void)
{
    if (ticks_pending == 0)
        return false;
    irq_disable();
    ticks_pending = 0; /* missed ticks collapse: the work per tick catches up anyway */
    irq_enable();
    return true;
}

void isr_timer0(void)
{
    REG(TIMER_INTR) = 1u;
    next_alarm += TICK_US;
    /* If we fell behind by more than a tick, re-anchor rather than arm in the past. */
    uint32_t now = REG(TIMER_TIMERAWL);
    if ((int32_t)(next_alarm - now) <= 0)
        next_alarm = now + TICK_US;
    REG(TIMER_ALARM0) = next_alarm;
    ticks_pending++;
}
