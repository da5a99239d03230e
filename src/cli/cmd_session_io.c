/* cmd_session_io.c - terminal, signals, the source adapter and files for sessions. */
#include "cmd_session_io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "cli.h"

void session_io_init(session_io *io, bool interactive)
{
    memset(io, 0, sizeof *io);
    io->interactive = interactive;
    sigemptyset(&io->quit_signals);
    sigaddset(&io->quit_signals, SIGINT);
    sigaddset(&io->quit_signals, SIGTERM);
    sigaddset(&io->quit_signals, SIGHUP);
    sigprocmask(SIG_BLOCK, &io->quit_signals, &io->old_mask);
    signal(SIGPIPE, SIG_IGN); /* a closed output is seen as an error, then a quit */
    if (interactive && tcgetattr(STDIN_FILENO, &io->saved) == 0)
        io->have_termios = true;
}

void session_io_raw(session_io *io, bool on)
{
    if (!io->have_termios || io->raw == on)
        return;
    if (on) {
        struct termios t = io->saved;
        t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
        t.c_cc[VMIN] = 0;
        t.c_cc[VTIME] = 0;
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
    } else {
        tcsetattr(STDIN_FILENO, TCSANOW, &io->saved);
    }
    io->raw = on;
}

void session_io_restore(session_io *io)
{
    session_io_raw(io, false);
    sigprocmask(SIG_SETMASK, &io->old_mask, NULL);
}

static void io_show(void *ctx, const session_msg *m)
{
    session_io *io = ctx;
    session_ui inner;
    session_display_ui(io->disp, &inner);
    inner.show(inner.ctx, m);
}

static session_key io_key(void *ctx)
{
    session_io *io = ctx;
    if (ferror(io->disp->out))
        return SKEY_QUIT; /* nobody reads us any more (a closed pipe): stop and keep it */
    sigset_t pending;
    if (sigpending(&pending) == 0) {
        for (int s = 1; s < 32; s++)
            if (sigismember(&io->quit_signals, s) && sigismember(&pending, s)) {
                sigset_t one;
                int got;
                sigemptyset(&one);
                sigaddset(&one, s);
                sigwait(&one, &got);
                return SKEY_QUIT;
            }
    }
    session_ui inner;
    session_display_ui(io->disp, &inner);
    return inner.key(inner.ctx);
}

void session_io_ui(session_io *io, session_display *disp, session_ui *ui)
{
    io->disp = disp;
    *ui = (session_ui){io, io_show, io_key, io->interactive};
}

long session_ask_number(const char *question, long lo, long hi)
{
    char line[64];
    for (int tries = 0; tries < 3; tries++) {
        fputs(question, stdout);
        fflush(stdout);
        if (!fgets(line, sizeof line, stdin))
            return -1;
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            return -1;
        long v;
        if (cli_parse_long(line, lo, hi, &v) == 0)
            return v;
        printf("Please give a whole number from %ld to %ld, or just press Enter.\n", lo, hi);
    }
    return -1;
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int feed_read(void *ctx, ct_sample *out, int max, int timeout_ms)
{
    session_feed *f = ctx;
    int n = ct_source_read(f->src, out, max, timeout_ms);
    if (n < 0)
        f->read_err = n;
    if (n <= 0)
        return n;
    if (!f->started) {
        f->started = true;
        f->t0_us = out[0].t_us;
        f->wall0_us = mono_us();
        f->j->meta.t0_device_us = out[0].t_us;
    }
    if (f->pace) {
        /* Replays at the speed they were recorded, so that the live line is watchable. */
        int64_t ahead = (out[n - 1].t_us - f->t0_us) - (mono_us() - f->wall0_us);
        if (ahead > 0) {
            struct timespec ts = {(time_t)(ahead / 1000000), (long)(ahead % 1000000) * 1000};
            nanosleep(&ts, NULL);
        }
    }
    return n;
}

static session_src_state feed_state(void *ctx)
{
    session_feed *f = ctx;
    switch (ct_source_get_state(f->src)) {
    case SRC_STREAMING: return SESSION_SRC_STREAMING;
    case SRC_WAITING: return SESSION_SRC_WAITING;
    default: return SESSION_SRC_ENDED;
    }
}

static int feed_note(void *ctx, const char *text)
{
    session_feed *f = ctx;
    return ct_source_note(f->src, text);
}

void session_feed_init(session_feed *f, ct_source *src, journal *j, bool pace, session_source *out)
{
    memset(f, 0, sizeof *f);
    f->src = src;
    f->j = j;
    f->pace = pace;
    *out = (session_source){f, feed_read, feed_state, feed_note};
}

int session_find_shipped(const char *name, char *out, size_t cap)
{
    char exe[PATH_MAX];
    const char *env = getenv("CALFTRACK_PRESCRIPTIONS");
    if (env && *env) {
        snprintf(out, cap, "%s/%s", env, name);
        if (access(out, R_OK) == 0)
            return 0;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"../prescriptions", "../share/calftrack/prescriptions"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                snprintf(out, cap, "%s/%s/%s", exe, rel[i], name);
                if (access(out, R_OK) == 0)
                    return 0;
            }
        }
    }
    snprintf(out, cap, "/usr/local/share/calftrack/prescriptions/%s", name);
    return access(out, R_OK) == 0 ? 0 : CT_ENOENT;
}

int session_copy_file(const char *src, const char *dst)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return ct_from_errno(errno);
    int outfd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (outfd < 0) {
        int rc = ct_from_errno(errno);
        close(in);
        return rc;
    }
    char buf[65536];
    int rc = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = n < 0 ? ct_from_errno(errno) : 0;
            break;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(outfd, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                rc = ct_from_errno(errno);
                break;
            }
            off += w;
        }
        if (rc)
            break;
    }
    if (!rc && fsync(outfd) != 0)
        rc = ct_from_errno(errno);
    close(in);
    if (close(outfd) != 0 && !rc)
        rc = ct_from_errno(errno);
    if (rc)
        unlink(dst);
    return rc;
}
