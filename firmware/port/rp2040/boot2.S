/*
 * boot2.S - second-stage boot loader. The boot ROM copies the first 256 bytes of
 * flash to SRAM (0x20041F00), checks the CRC-32 in the last four and runs them here.
 *
 * It sets the flash interface (SSI) up for execute-in-place with plain serial reads
 * (command 03h, 24-bit address, one data line): slow but understood by every QSPI
 * flash, including the Nano RP2040 Connect's AT25SF128A and the Pico's W25Q16JV.
 * Then it enters the application through its vector table at 0x10000100.
 * Position independent: only PC-relative literal loads.
 */
    .syntax unified
    .cpu cortex-m0plus
    .thumb
    .section .text.boot2, "ax"

    .equ SSI_BASE,       0x18000000
    .equ SSI_CTRLR0,     0x00
    .equ SSI_CTRLR1,     0x04
    .equ SSI_SSIENR,     0x08
    .equ SSI_SER,        0x10
    .equ SSI_BAUDR,      0x14
    .equ SSI_SPI_CTRLR0, 0xF4
    .equ CTRLR0_XIP,     (31 << 16) | (3 << 8)           /* 32-bit frames, EEPROM read */
    .equ SPI_CTRLR0_XIP, (0x03 << 24) | (2 << 8) | (6 << 2) /* cmd 03h, 8-bit instr, 24-bit addr */
    .equ CLKDIV,         4                                /* 125 MHz / 4 = 31.25 MHz at most */
    .equ APP_VECTORS,    0x10000100
    .equ PPB_VTOR,       0xE000ED08

    .global boot2_entry
    .type boot2_entry, %function
    .thumb_func
boot2_entry:
    push {lr}
    ldr r3, =SSI_BASE
    movs r1, #0
    str r1, [r3, #SSI_SSIENR]
    movs r1, #CLKDIV
    str r1, [r3, #SSI_BAUDR]
    ldr r1, =CTRLR0_XIP
    str r1, [r3, #SSI_CTRLR0]
    ldr r1, =SPI_CTRLR0_XIP
    ldr r2, =(SSI_BASE + SSI_SPI_CTRLR0)
    str r1, [r2]
    movs r1, #0
    str r1, [r3, #SSI_CTRLR1]
    movs r1, #1
    str r1, [r3, #SSI_SER]
    str r1, [r3, #SSI_SSIENR]

    /* Called by the boot ROM with lr = 0: enter the application. Called by code
     * that only wants XIP back (lr != 0): return to it. */
    pop {r0}
    cmp r0, #0
    beq 1f
    bx r0
1:
    ldr r0, =APP_VECTORS
    ldr r1, =PPB_VTOR
    str r0, [r1]
    ldmia r0, {r0, r1}
    msr msp, r0
    bx r1

    .ltorg
