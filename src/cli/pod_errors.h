/* pod_errors.h - what to tell a person when the pod cannot be used, and what to do. */
#ifndef CALFTRACK_CLI_POD_ERRORS_H
#define CALFTRACK_CLI_POD_ERRORS_H

/* Prints the message for ct_err err from opening a pod (serial may be NULL, file the
 * recording that was to be made, may be NULL). Returns 1. */
int pod_error(const char *cmd, int err, const char *serial, const char *file);

#endif
