/* SPDX-License-Identifier: BSD-3-Clause */
/* Scenario numbers; see scenario.h. */
#include "scenario.h"

#include <string.h>

#include <mss/mss.h>

/* N decimal digits at S (and nothing after): their value, or -1. */
static long digits_value(const char *s, size_t n)
{
    if (strlen(s) != n)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int scenario_reserved(const char *msisdn)
{
    return msisdn != NULL &&
           ((has_prefix(msisdn, SCENARIO_OUTCOME_PREFIX) &&
             strlen(msisdn) == strlen(SCENARIO_OUTCOME_PREFIX) + 3) ||
            (has_prefix(msisdn, SCENARIO_DELAY_PREFIX) &&
             strlen(msisdn) == strlen(SCENARIO_DELAY_PREFIX) + 4));
}

/* Which outcome codes a scenario may produce: final, unsuccessful or 5xx statuses. */
static scenario_kind outcome_kind(int code)
{
    const mss_status_info *info = mss_status_lookup(code);
    if (info == NULL || !info->is_final || code == 100 || code == 504)
        return SCENARIO_UNKNOWN;
    if (code >= 500 && code < 600)
        return code == 500 || code == 502 ? SCENARIO_UNKNOWN : SCENARIO_STATUS;
    if ((code >= 100 && code < 200) || (code >= 700 && code < 750))
        return SCENARIO_REQUEST_FAULT;
    return SCENARIO_PHONE_FAULT;
}

void scenario_parse(const char *msisdn, scenario *out)
{
    memset(out, 0, sizeof *out);
    if (!scenario_reserved(msisdn))
        return;
    if (has_prefix(msisdn, SCENARIO_OUTCOME_PREFIX)) {
        long code = digits_value(msisdn + strlen(SCENARIO_OUTCOME_PREFIX), 3);
        out->kind = code < 0 ? SCENARIO_UNKNOWN : outcome_kind((int)code);
        out->code = (int)code;
        return;
    }
    long ms = digits_value(msisdn + strlen(SCENARIO_DELAY_PREFIX), 4);
    out->kind = ms < 0 ? SCENARIO_UNKNOWN : SCENARIO_DELAY;
    out->delay_ms = ms < 0 ? 0 : (unsigned)ms;
}
