/*
 * flash_uid.c - the board's serial number: the QSPI flash's 64-bit unique ID
 * (command 0x4B, four dummy bytes, eight ID bytes; Winbond and Adesto parts alike).
 *
 * XIP is off while the command runs, so the reading code and everything it touches
 * sit in RAM (section .ramfunc), with interrupts disabled. Afterwards the SSI is put
 * back exactly as boot2 left it (serial 03h reads).
 */
#include "port.h"
#include "regs.h"

#define SSI_CTRLR0_XIP ((31u << 16) | (3u << 8))      /* 32-bit frames, EEPROM read */
#define SSI_SPI_CTRLR0_XIP ((0x03u << 24) | (2u << 8) | (6u << 2))
#define SSI_CTRLR0_TXRX (7u << 16)                   /* 8-bit frames, TX and RX */
#define UID_CMD 0x4Bu
#define UID_SKIP 5u /* command + 4 dummy bytes */
#define UID_LEN 8u

__attribute__((noinline, long_call, section(".ramfunc"))) static void read_uid(uint8_t *out)
{
    REG(SSI_SSIENR) = 0;
    REG(SSI_CTRLR0) = SSI_CTRLR0_TXRX;
    REG(SSI_SER) = 1;
    REG(SSI_SSIENR) = 1;
    REG(IO_QSPI_SS_CTRL) = IO_QSPI_OUTOVER_LOW << IO_QSPI_OUTOVER_SHIFT;
    for (uint32_t i = 0; i < UID_SKIP + UID_LEN; i++) {
        REG(SSI_DR0) = i == 0 ? UID_CMD : 0u;
        uint32_t spins = 0;
        while ((REG(SSI_SR) & SSI_SR_RFNE) == 0 && ++spins < 100000u)
            ;
        uint32_t v = REG(SSI_DR0);
        if (i >= UID_SKIP)
            out[i - UID_SKIP] = (uint8_t)v;
    }
    REG(IO_QSPI_SS_CTRL) = IO_QSPI_OUTOVER_HIGH << IO_QSPI_OUTOVER_SHIFT;
    REG(IO_QSPI_SS_CTRL) = IO_QSPI_OUTOVER_NORMAL << IO_QSPI_OUTOVER_SHIFT;
    REG(SSI_SSIENR) = 0;
    REG(SSI_CTRLR0) = SSI_CTRLR0_XIP;
    REG(SSI_SPI_CTRLR0) = SSI_SPI_CTRLR0_XIP;
    REG(SSI_CTRLR1) = 0;
    REG(SSI_SSIENR) = 1;
}

void flash_serial(char out[17])
{
    static const char hex[] = "0123456789ABCDEF";
    uint8_t id[UID_LEN] = {0};
    irq_disable();
    read_uid(id);
    irq_enable();
    for (uint32_t i = 0; i < UID_LEN; i++) {
        out[2 * i] = hex[id[i] >> 4];
        out[2 * i + 1] = hex[id[i] & 0xFu];
    }
    out[16] = '\0';
}
