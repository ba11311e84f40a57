/* SPDX-License-Identifier: BSD-3-Clause */
/* MessagingMode names (MessagingModeType enumeration of TS 102 204). */
#include <string.h>
#include <mss/mss.h>

const char *mss_mode_name(mss_messaging_mode mode)
{
    switch (mode) {
    case MSS_MODE_SYNCH: return "synch";
    case MSS_MODE_ASYNCH_CLIENT_SERVER: return "asynchClientServer";
    case MSS_MODE_ASYNCH_SERVER_SERVER: return "asynchServerServer";
    }
    return NULL;
}

mss_error mss_mode_parse(const char *name, mss_messaging_mode *out)
{
    static const mss_messaging_mode modes[] = {
        MSS_MODE_SYNCH, MSS_MODE_ASYNCH_CLIENT_SERVER, MSS_MODE_ASYNCH_SERVER_SERVER
    };
    if (name == NULL || out == NULL)
        return MSS_ERR_ARGS;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        /* The schema enumerates exact spellings, so the comparison is exact too. */
        if (strcmp(name, mss_mode_name(modes[i])) == 0) {
            *out = modes[i];
            return MSS_OK;
        }
    }
    return MSS_ERR_ARGS;
}
