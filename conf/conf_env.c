/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whether the process's environment may be trusted. The module is loaded into
 * programs that run with more privileges than the person who started them: su and
 * sudo with pam_p11 (set-user-ID root, and su keeps the caller's environment), or any
 * set-group-ID program. There the environment and the home folder are the caller's, so
 * a variable that names a file (a configuration, a log) would let the caller make root
 * read or write what the caller chooses. Every variable libmssconf and the module read
 * goes through mss_conf_getenv; docs/security.md says what is trusted then.
 */
#include "config.h"

#include "mss_conf.h"

#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

int mss_conf_privileged(void)
{
    /* AT_SECURE: the kernel (set-ID file, file capabilities) or an LSM says the
     * program runs with privileges its caller does not have. A program that changed
     * only its effective ids after start (a daemon that seteuid()s) does not get
     * AT_SECURE, hence the id comparison too. */
    return getauxval(AT_SECURE) != 0 || getuid() != geteuid() || getgid() != getegid();
}

const char *mss_conf_getenv(const char *name)
{
    return mss_conf_privileged() ? NULL : secure_getenv(name);
}

const char *mss_conf_privileged_env_hazard(void)
{
    /* Read the way the library reads it (getenv), not the way we would. The proxy
     * variables need no entry: mss_conf_client_options turns them off. OpenSSL reads
     * its variables (OPENSSL_CONF, …) with secure_getenv already. */
    static const char *const hazards[] = {"SSLKEYLOGFILE"};

    if (!mss_conf_privileged())
        return NULL;
    for (size_t i = 0; i < sizeof hazards / sizeof hazards[0]; i++) {
        const char *v = getenv(hazards[i]);
        if (v != NULL && v[0] != '\0')
            return hazards[i];
    }
    return NULL;
}
