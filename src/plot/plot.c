/* plot.c - gnuplot through a pipe: finds the program and the scripts, writes the data to
 * a private temp folder, sets the terminal from the output's extension, loads the script. */
#include "calftrack/plot.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calftrack/err.h"

static const char *const kind_names[PLOT_KIND_COUNT] = {"progress", "session", "adherence",
                                                        "symmetry"};

const char *plot_kind_name(plot_kind k)
{
    return (int)k >= 0 && k < PLOT_KIND_COUNT ? kind_names[k] : NULL;
}

int plot_kind_parse(const char *s)
{
    for (int i = 0; i < PLOT_KIND_COUNT; i++)
        if (!strcmp(s, kind_names[i]))
            return i;
    return -1;
}

int plot_format_of(const char *path, plot_format *fmt)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return CT_EARG;
    if (!strcasecmp(dot, ".png"))
        *fmt = PLOT_PNG;
    else if (!strcasecmp(dot, ".svg"))
        *fmt = PLOT_SVG;
    else if (!strcasecmp(dot, ".pdf"))
        *fmt = PLOT_PDF;
    else
        return CT_EARG;
    return 0;
}

static bool executable(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

int plot_find_gnuplot(const char *name, char *out, size_t cap)
{
    if (!name || !*name)
        name = "gnuplot";
    if (strchr(name, '/')) {
        if (!executable(name))
            return CT_EUNSUPPORTED;
        snprintf(out, cap, "%s", name);
        return 0;
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        char cand[PATH_MAX];
        if (n > 0 && n < sizeof cand - 64) {
            snprintf(cand, sizeof cand, "%.*s/%s", (int)n, path, name);
            if (executable(cand)) {
                snprintf(out, cap, "%s", cand);
                return 0;
            }
        }
        path += n;
        if (*path == ':')
            path++;
    }
    return CT_EUNSUPPORTED;
}

static bool has_scripts(const char *dir)
{
    char p[PATH_MAX + 128];
    snprintf(p, sizeof p, "%s/progress.gp", dir);
    return access(p, R_OK) == 0;
}

int plot_find_scripts(char *out, size_t cap)
{
    const char *env = getenv("CALFTRACK_PLOTS");
    if (env && *env && has_scripts(env)) {
        snprintf(out, cap, "%s", env);
        return 0;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"../plots", "../share/calftrack/plots"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                char cand[PATH_MAX + 32];
                snprintf(cand, sizeof cand, "%s/%s", exe, rel[i]);
                if (has_scripts(cand)) {
                    snprintf(out, cap, "%s", cand);
                    return 0;
                }
            }
        }
    }
    static const char *const fixed[] = {"/usr/local/share/calftrack/plots",
                                        "/usr/share/calftrack/plots", "plots"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (has_scripts(fixed[i])) {
            snprintf(out, cap, "%s", fixed[i]);
            return 0;
        }
    return CT_ENOENT;
}

/* A gnuplot single-quoted string. */
static void gq(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

static int remove_tree(const char *dir)
{
    static const char *const files[] = {"progress.dat", "adherence.dat", "symmetry.dat",
                                        "reps.dat", "holds.dat", "trace_raise_left.dat",
                                        "trace_raise_right.dat", "trace_hold_left.dat",
                                        "trace_hold_right.dat"};
    char p[PATH_MAX + 32];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    return rmdir(dir);
}

static bool safe_text(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20)
            return false;
    return true;
}

int plot_run(const store *st, const plot_request *req)
{
    char gp[PATH_MAX], tmp[PATH_MAX];
    int rc = plot_find_gnuplot(req->gnuplot, gp, sizeof gp);
    if (rc)
        return rc;
    if (!req->scripts_dir || !safe_text(req->scripts_dir) ||
        (req->out_path && !safe_text(req->out_path)))
        return CT_EARG;
    plot_format fmt = PLOT_WINDOW;
    if (req->out_path && (rc = plot_format_of(req->out_path, &fmt)) != 0)
        return rc;
    const char *base = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/calftrack-plot-XXXXXX", base && *base == '/' ? base : "/tmp");
    if (!mkdtemp(tmp))
        return ct_from_errno(errno);
    char *vars = NULL;
    size_t vlen = 0;
    FILE *v = open_memstream(&vars, &vlen);
    if (!v) {
        rmdir(tmp);
        return CT_ENOMEM;
    }
    rc = plot_write_data(st, req, tmp, v);
    fclose(v);
    if (!rc) {
        int w = req->width > 0 ? req->width : 1024, h = req->height > 0 ? req->height : 640;
        char cmd[PATH_MAX + 16];
        snprintf(cmd, sizeof cmd, "'%s'", gp);
        if (strchr(gp, '\''))
            rc = CT_EARG;
        FILE *p = rc ? NULL : popen(cmd, "w");
        if (!p && !rc)
            rc = ct_from_errno(errno);
        if (p) {
            switch (fmt) {
            case PLOT_PNG:
                fprintf(p, "set terminal pngcairo enhanced font 'sans,10' size %d,%d\n", w, h);
                break;
            case PLOT_SVG:
                fprintf(p, "set terminal svg enhanced dynamic font 'sans,10' size %d,%d\n", w, h);
                break;
            case PLOT_PDF:
                fprintf(p, "set terminal pdfcairo enhanced font 'sans,9' size 10in,6.25in\n");
                break;
            case PLOT_WINDOW:
                break;
            }
            if (req->out_path) {
                fputs("set output ", p);
                gq(p, req->out_path);
                fputc('\n', p);
            }
            fwrite(vars, 1, vlen, p);
            fputs("load ", p);
            char script[PATH_MAX + 64];
            snprintf(script, sizeof script, "%s/%s.gp", req->scripts_dir, plot_kind_name(req->kind));
            gq(p, script);
            fputc('\n', p);
            if (fmt == PLOT_WINDOW && req->persist)
                fputs("pause mouse close\n", p);
            fputs("set output\n", p);
            int status = pclose(p);
            if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                rc = CT_EIO;
        }
    }
    free(vars);
    remove_tree(tmp);
    return rc;
}
