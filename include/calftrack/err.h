/*
 * err.h - the one error enum of calftrack. Functions return 0 or a negative ct_err;
 * messages for people are composed at the command-line edge from ct_strerror().
 */
#ifndef CALFTRACK_ERR_H
#define CALFTRACK_ERR_H

typedef enum {
    CT_OK = 0,
    CT_EIO = -1,        /* read or write failed (errno has the detail) */
    CT_ENOMEM = -2,     /* out of memory */
    CT_EFORMAT = -3,    /* malformed input */
    CT_ECRC = -4,       /* checksum mismatch */
    CT_ETRUNC = -5,     /* input ends early */
    CT_EVERSION = -6,   /* unsupported format or protocol version */
    CT_EARG = -7,       /* invalid argument */
    CT_ENOENT = -8,     /* no such file, session or device */
    CT_ENODEV = -9,     /* no pod found */
    CT_EACCESS = -10,   /* permission denied */
    CT_EBUSY = -11,     /* pod in use by another program */
    CT_ETIMEOUT = -12,  /* no answer in time */
    CT_ENOSPC = -13,    /* disk full */
    CT_EROFS = -14,     /* read-only file system or directory */
    CT_EPIPE = -15,     /* pod disconnected / external program went away */
    CT_ESTALL = -16,    /* pod refused the request */
    CT_EUNSUPPORTED = -17, /* not available in this build or on this system */
    CT_EINTR = -18,     /* interrupted by the user */
    CT_EEXIST = -19,    /* already exists (never overwritten) */
} ct_err;

/* A short, human description of err (never NULL). */
const char *ct_strerror(int err);

/* Maps an errno value to the closest ct_err. */
ct_err ct_from_errno(int errnum);

#endif
