/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Opening a file the module was told about (configuration, ap_pwd_file, client_key,
 * a cached certificate, the log) without trusting what is at that path: a symlink is
 * not followed, a FIFO or device is not waited on, and a file others may change, or a
 * secret others may read, is refused with the reason. Callers name the file; here only
 * the reason is written, so the messages read "ap_pwd_file /x: is readable by others".
 */
#include "config.h"

#include "mss_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The kind of a file that is not a regular one, for the refusal. */
static const char *kind_name(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    return "not a plain file";
}

/* Close fd and say what is wrong with the file's mode and how to fix it. */
static int refuse(int fd, char *why, size_t why_len, const char *what, unsigned mode,
                  const char *fix)
{
    close(fd);
    snprintf(why, why_len, "%s (mode %04o); %s", what, mode, fix);
    return -1;
}

/* The permission rules, on the file that was opened (fstat, not the path). */
static int check_mode(int fd, const struct stat *sb, unsigned checks, char *why, size_t why_len)
{
    unsigned mode = (unsigned)(sb->st_mode & 07777);

    if (!S_ISREG(sb->st_mode)) {
        snprintf(why, why_len, "is %s, not a regular file", kind_name(sb->st_mode));
        close(fd);
        return -1;
    }
    /* Anyone who can write the file decides what the module reads. */
    if ((checks & MSS_CONF_FILE_NOT_WRITABLE) && (sb->st_mode & S_IWOTH))
        return refuse(fd, why, why_len, "is writable by others", mode, "chmod o-w it");
    if ((checks & MSS_CONF_FILE_NOT_WRITABLE) && (sb->st_mode & S_IWGRP))
        return refuse(fd, why, why_len, "is writable by its group", mode, "chmod g-w it");
    if ((checks & MSS_CONF_FILE_SECRET) && (sb->st_mode & S_IROTH))
        return refuse(fd, why, why_len, "holds a secret and is readable by others", mode,
                      "chmod 600 it");
    /* A personal credential: whoever else owns or can read it can act as this user. */
    if ((checks & MSS_CONF_FILE_PERSONAL) && sb->st_uid != geteuid()) {
        snprintf(why, why_len, "belongs to uid %u, not to this user (uid %u)",
                 (unsigned)sb->st_uid, (unsigned)geteuid());
        close(fd);
        return -1;
    }
    if ((checks & MSS_CONF_FILE_PERSONAL) && (sb->st_mode & 077))
        return refuse(fd, why, why_len, "is the user's own secret and open to others", mode,
                      "chmod 600 it");
    return 0;
}

int mss_conf_open(const char *path, int flags, unsigned checks, int *out, char *why,
                  size_t why_len)
{
    struct stat sb;
    /* O_NONBLOCK: opening a FIFO with no writer (or a device) returns at once instead
     * of blocking C_Initialize; the fstat below then refuses it. O_NOCTTY: a terminal
     * named as a file does not become the host program's controlling terminal. */
    int fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);

    *out = -1;
    if (fd < 0) {
        if (errno == ELOOP)
            snprintf(why, why_len, "is a symbolic link (not followed)");
        else if (errno == ENXIO)
            snprintf(why, why_len, "is a FIFO or socket, not a regular file");
        else
            snprintf(why, why_len, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) != 0) {
        snprintf(why, why_len, "cannot stat: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (check_mode(fd, &sb, checks, why, why_len) != 0)
        return -1;
    /* A regular file never blocks; reads and writes go on as for any descriptor. */
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        snprintf(why, why_len, "cannot use: %s", strerror(errno));
        close(fd);
        return -1;
    }
    *out = fd;
    return 0;
}
