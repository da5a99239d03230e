/* err.c - human descriptions of ct_err values. */
#include "calftrack/err.h"

#include <errno.h>

const char *ct_strerror(int err)
{
    switch (err) {
    case CT_OK: return "success";
    case CT_EIO: return "input/output error";
    case CT_ENOMEM: return "out of memory";
    case CT_EFORMAT: return "malformed input";
    case CT_ECRC: return "checksum mismatch (data corrupted)";
    case CT_ETRUNC: return "input ends early (truncated)";
    case CT_EVERSION: return "unsupported format or protocol version";
    case CT_EARG: return "invalid argument";
    case CT_ENOENT: return "not found";
    case CT_ENODEV: return "no pod found";
    case CT_EACCESS: return "permission denied";
    case CT_EBUSY: return "in use by another program";
    case CT_ETIMEOUT: return "timed out";
    case CT_ENOSPC: return "no space left on device";
    case CT_EROFS: return "read-only file system";
    case CT_EPIPE: return "disconnected";
    case CT_ESTALL: return "request refused by the pod";
    case CT_EUNSUPPORTED: return "not supported here";
    case CT_EINTR: return "interrupted";
    case CT_EEXIST: return "already exists";
    default: return "unknown error";
    }
}

ct_err ct_from_errno(int errnum)
{
    switch (errnum) {
    case 0: return CT_OK;
    case ENOENT: return CT_ENOENT;
    case ENOMEM: return CT_ENOMEM;
    case EACCES:
    case EPERM: return CT_EACCESS;
    case EBUSY: return CT_EBUSY;
    case ENOSPC:
    case EDQUOT: return CT_ENOSPC;
    case EROFS: return CT_EROFS;
    case EPIPE: return CT_EPIPE;
    case EINTR: return CT_EINTR;
    case ETIMEDOUT: return CT_ETIMEOUT;
    case EEXIST: return CT_EEXIST;
    default: return CT_EIO;
    }
}
