/* boot2_image.S - the padded, checksummed second stage (256 bytes) at the start of flash. */
    .section .boot2, "ax"
    .incbin "boot2_padded.bin"
