/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whole-file reads with a cap and atomic replacement: the two ways libmssconf touches
 * its files (configuration and certificate cache). A reader must never see half a
 * file, and a crash must leave either the old file or the new one.
 */
#include "config.h"

#include "conf_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

/* All of fd's LEN bytes (fewer when the file shrank meanwhile). */
static size_t read_all(int fd, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
}

int mss_conf_read_file(const char *path, size_t max, unsigned checks, char **text, mode_t *mode,
                       char *err, size_t err_len)
{
    *text = NULL;
    int fd;
    if (mss_conf_open(path, O_RDONLY, checks, &fd, err, err_len) != 0)
        return -1;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        snprintf(err, err_len, "cannot stat: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if ((unsigned long long)sb.st_size > max) {
        close(fd);
        snprintf(err, err_len, "larger than %zu bytes", max);
        return -1;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    size_t n = buf ? read_all(fd, buf, (size_t)sb.st_size) : 0;
    close(fd);
    if (!buf) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        snprintf(err, err_len, "contains a NUL byte");
        return -1;
    }
    if (mode)
        *mode = sb.st_mode & 07777;
    *text = buf;
    return 0;
}

int mss_conf_read_secret_line(const char *path, unsigned checks, char **secret, char *err,
                              size_t err_len)
{
    *secret = NULL;
    char *text = NULL;
    if (mss_conf_read_file(path, MSS_CONF_SECRET_FILE_MAX, checks, &text, NULL, err, err_len) != 0)
        return -1;
    size_t len = strlen(text);
    text[strcspn(text, "\r\n")] = '\0';
    int rc = 0;
    if (text[0] == '\0') {
        snprintf(err, err_len, "the first line is empty");
        rc = -1;
    } else if ((*secret = strdup(text)) == NULL) {
        snprintf(err, err_len, "out of memory");
        rc = -1;
    }
    OPENSSL_cleanse(text, len);
    free(text);
    return rc;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The rename is only durable once the folder's entry is on disk too. A folder that
 * cannot be opened or synced (some file systems) does not undo a finished write. */
static void sync_parent(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if ((size_t)(slash - path) < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    else
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

int mss_conf_write_atomic(const char *path, const void *data, size_t len, mode_t mode, char *err,
                      size_t err_len)
{
    char tmp[PATH_MAX + 8];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= sizeof tmp) {
        snprintf(err, err_len, "%s: path too long", path);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, err_len, "cannot create a temporary file next to %s: %s", path,
                 strerror(errno));
        return -1;
    }
    /* mkstemp makes 0600; set exactly MODE (the umask does not apply to fchmod). */
    int ok = fchmod(fd, mode) == 0 && write_all(fd, data, len) == 0 && fsync(fd) == 0;
    int saved = errno;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) == 0) {
        sync_parent(path);
        return 0;
    }
    if (ok)
        saved = errno;
    unlink(tmp);
    snprintf(err, err_len, "cannot write %s: %s", path, strerror(saved));
    return -1;
}
