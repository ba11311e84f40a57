/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Legacy (http://) signature profile URIs with a known mss: equivalent, as listed
 * by the proposal that registered the mss: scheme (design.md §4). Other legacy
 * profiles stay opaque: guessing a LoA or device class for them would let a
 * comparison accept a profile nobody vouched for.
 */
#include <stddef.h>
#include <strings.h>

#include <mss/mss.h>

static const struct {
    const char *legacy;
    const char *mss;
} legacy_profiles[] = {
    /* FiCom (Finnish Mobiilivarmenne), TS 102 206 style profiles. */
    { "http://mss.ficom.fi/TS102206/v1.0.0/authentication-profile.xml", "mss:ficom.fi:authn:loa4:sim" },
    { "http://mss.ficom.fi/TS102206/v1.0.0/signature-profile.xml", "mss:ficom.fi:sign:loa4:sim" },
    { "http://mss.ficom.fi/TS102206/v1.0.0/digestive-signature-profile.xml", "mss:ficom.fi:digest:loa4:sim" },
    { "http://mss.ficom.fi/TS102206/v1.0.0/consent-profile.xml", "mss:ficom.fi:consent:loa4:sim" },
    { "http://mss.ficom.fi/TS102206/v1.0.0/anonymous-profile.xml", "mss:ficom.fi:anonymous:loa4:sim" },
    /* Swisscom Mobile ID. */
    { "http://www.swisscom.ch/mid/v1/AuthenticationProfile", "mss:mid.ch:authn:loa4:sim#v1" },
    /* GSMA Mobile Connect served through an MSSP. */
    { "http://uri.gsma.com/mobileconnect/LoA2", "mss:mobileconnect:authn:loa2:sim" },
    { "http://uri.gsma.com/mobileconnect/LoA3", "mss:mobileconnect:authn:loa3:sim" },
};

const char *mss_uri_legacy_map(const char *legacy_uri)
{
    if (legacy_uri == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof legacy_profiles / sizeof legacy_profiles[0]; i++)
        if (strcasecmp(legacy_uri, legacy_profiles[i].legacy) == 0)
            return legacy_profiles[i].mss;
    return NULL;
}
