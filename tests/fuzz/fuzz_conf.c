/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the mss-pkcs11.conf parser (conf/conf_parse.c): the text the module
 * reads at C_Initialize, which in a multi-user machine someone else may have written.
 *
 * For every input (as a NUL-terminated text): parsing must not crash, leak or trip a
 * sanitizer; a refusal must say why; an accepted configuration must format again
 * (mss_conf_format), and that text must parse to a configuration that formats the same.
 * No file is opened (secret files are skipped).
 *
 * Built and run by run-fuzz.sh (FUZZ_TARGET=fuzz_conf) with clang -fsanitize=fuzzer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_internal.h"

static void broken(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_conf: %s: %s\n", what, detail);
    abort();
}

/* Parse text; NULL when it is refused (the reason must not be empty). */
static mss_conf *parse(const char *text)
{
    char *copy = strdup(text), err[256] = "";
    mss_conf *c = mss_conf_new();
    if (copy == NULL || c == NULL)
        abort();
    int rc = conf_parse_text(c, "fuzz.conf", copy, CONF_PARSE_SKIP_SECRET_FILE, err, sizeof err);
    free(copy);
    if (rc != 0) {
        if (err[0] == '\0')
            broken("a refusal without a reason", text);
        mss_conf_free(c);
        return NULL;
    }
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    mss_conf *first = parse(text);
    free(text);
    if (first == NULL)
        return 0;
    char *once = NULL, err[256] = "";
    /* A configuration the parser took may still be one the writer refuses (it checks
     * more, e.g. that [mssp] is complete); only what it writes must come back the same. */
    if (mss_conf_format(first, &once, err, sizeof err) == 0) {
        mss_conf *second = parse(once);
        if (second == NULL)
            broken("the formatted text does not parse again", once);
        char *twice = NULL;
        if (mss_conf_format(second, &twice, err, sizeof err) != 0)
            broken("the reparsed configuration does not format", err);
        if (strcmp(once, twice) != 0)
            broken("formatting is not stable", twice);
        free(twice);
        mss_conf_free(second);
    }
    free(once);
    mss_conf_free(first);
    return 0;
}
