/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The module log (pkcs11/mlog.c) as an attacker sees it: the file it opens may be a
 * symlink or a FIFO someone planted, and the values it writes may come from someone
 * else (a configuration path, an MSSP's MSSP_TransID). Nothing is written through a
 * symlink or into anything but a regular file, a new file is 0600, and no value can
 * start a line of its own. See docs/security.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mss/mss.h>

#include "mlog.h"
#include "mock_mssp.h"

static char dir[256];

static int group_setup(void **state)
{
    (void)state;
    /* The environment would override what each test configures. */
    unsetenv("MSS_PKCS11_LOG");
    unsetenv("MSS_PKCS11_DEBUG");
    snprintf(dir, sizeof dir, "%s/test_p11_log.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int group_teardown(void **state)
{
    char cmd[PATH_MAX];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", dir, name);
    return buf;
}

/* The whole file (at most 64 KiB), NUL-terminated, in a static buffer. */
static const char *slurp(const char *path)
{
    static char buf[64 * 1024];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_log_symlink_is_not_followed(void **state)
{
    char victim[PATH_MAX], link[PATH_MAX];
    (void)state;
    path_of("victim", victim, sizeof victim);
    path_of("link.log", link, sizeof link);
    FILE *f = fopen(victim, "w");
    assert_non_null(f);
    fputs("keep\n", f);
    fclose(f);
    assert_int_equal(symlink(victim, link), 0);
    mlog_configure(MSS_LOG_DEBUG, link);
    mlog_error("through the link");
    mlog_close();
    assert_string_equal(slurp(victim), "keep\n");
}

static void test_log_fifo_is_refused(void **state)
{
    char fifo[PATH_MAX], got[64];
    (void)state;
    path_of("fifo.log", fifo, sizeof fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* Held open for reading (and writing, so open never waits): a log that went into
     * the FIFO would be readable here at once. */
    int fd = open(fifo, O_RDWR | O_NONBLOCK);
    assert_true(fd >= 0);
    mlog_configure(MSS_LOG_DEBUG, fifo);
    mlog_error("into the fifo");
    mlog_close();
    ssize_t n = read(fd, got, sizeof got);
    int saved = errno;
    close(fd);
    assert_int_equal(n, -1);
    assert_int_equal(saved, EAGAIN);
}

static void test_new_log_file_is_private(void **state)
{
    char path[PATH_MAX];
    struct stat sb;
    (void)state;
    mode_t old = umask(022);
    mlog_configure(MSS_LOG_DEBUG, path_of("new.log", path, sizeof path));
    mlog_error("first line");
    mlog_close();
    umask(old);
    assert_int_equal(lstat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_non_null(strstr(slurp(path), "first line"));
}

/* Count the lines of text and fail on any control character but the line ends. */
static int lines_without_controls(const char *text)
{
    int lines = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            lines++;
        else if ((unsigned char)*p < 0x20 || *p == 0x7f)
            fail_msg("control character 0x%02x in the log: %s", (unsigned char)*p, text);
    }
    return lines;
}

static void test_control_characters_are_replaced(void **state)
{
    char path[PATH_MAX];
    (void)state;
    mlog_configure(MSS_LOG_DEBUG, path_of("ctl.log", path, sizeof path));
    mlog_error("value %s", "a\nmss-pkcs11[1]: error: forged\rb\x1b[2Jc\x7f");
    mlog_client_line(MSS_LOG_ERROR, "from the client\nforged too", NULL);
    mlog_close();
    const char *text = slurp(path);
    assert_int_equal(lines_without_controls(text), 2);
    assert_non_null(strstr(text, "forged"));
}

/* The MSSP chooses MSSP_TransID; "&#10;" in the attribute is a line break once
 * decoded, and libmssclient logs the id through the module's callback. Our encoder
 * refuses to write one, so the answer is encoded with a marker that is then replaced
 * in the XML text. */
#define MARK "FORGEDLINEMARK"
static void respond_with_forged_trans_id(server *s, const mss_message *req, reply *out)
{
    static char raw[16384];
    char *xml = NULL, *at;
    size_t xml_len = 0;

    (void)s;
    if (req->type != MSS_MSG_SIGNATURE_REQ) {
        answer_fault(400, 0, "no", out);
        return;
    }
    answer_signature_resp(req, 100, out);
    out->msg.u.signature_resp.mssp_trans_id = (char *)"id1" MARK;
    assert_int_equal(mss_soap_encode(&out->msg, &xml, &xml_len), MSS_OK);
    at = strstr(xml, MARK);
    assert_non_null(at);
    snprintf(raw, sizeof raw, "%.*s&#10;mss-pkcs11[1]: error: forged%s", (int)(at - xml), xml,
             at + strlen(MARK));
    free(xml);
    out->kind = REPLY_RAW;
    out->raw = raw;
    out->len = strlen(raw);
}

static void test_mssp_values_cannot_forge_lines(void **state)
{
    char path[PATH_MAX];
    static const unsigned char dtbs[32] = {1};
    mss_detail detail;
    mss_sign_result res;
    (void)state;
    memset(&res, 0, sizeof res);
    server *s = server_start(respond_with_forged_trans_id, NULL, NULL);
    assert_non_null(s);
    mss_client_options o = {
        .url = s->url, .ap_id = "http://ap.test/", .ap_pwd = "pwd",
        .mode = MSS_MODE_ASYNCH_CLIENT_SERVER, .timeout_s = 1, .poll_first_ms = 10,
        .poll_interval_ms = 10, .connect_timeout_ms = 2000, .allow_plain_http = 1,
        .log = mlog_client_line,
    };
    mss_sign_request r = {.msisdn = MOCK_MSISDN, .dtbs = dtbs, .dtbs_len = sizeof dtbs,
                          .dtbd = "test"};
    mlog_configure(MSS_LOG_DEBUG, path_of("mssp.log", path, sizeof path));
    mss_client *c = new_client(&o);
    (void)mss_client_sign(c, &r, &res, &detail);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
    mlog_close();
    const char *text = slurp(path);
    lines_without_controls(text);
    /* The id is there, on the line that logged it. */
    if (!strstr(text, "MSSP_TransID id1?mss-pkcs11[1]: error: forged"))
        fail_msg("the MSSP_TransID is not on the line that logged it: %s", text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_symlink_is_not_followed),
        cmocka_unit_test(test_log_fifo_is_refused),
        cmocka_unit_test(test_new_log_file_is_private),
        cmocka_unit_test(test_control_characters_are_replaced),
        cmocka_unit_test(test_mssp_values_cannot_forge_lines),
    };
    return cmocka_run_group_tests_name("p11_log", tests, group_setup, group_teardown);
}
