/* SPDX-License-Identifier: BSD-3-Clause */
/* The module's identity as the *Info functions report it, in fixed-width fields. */
#include "module.h"

#include <string.h>

void p11_pad(unsigned char *field, size_t width, const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;

    if (n > width)
        n = width;
    memset(field, ' ', width);
    if (n > 0)
        memcpy(field, s, n);
}

CK_RV p11_get_info(CK_INFO_PTR info, CK_BYTE version_major, CK_BYTE version_minor)
{
    memset(info, 0, sizeof *info);
    info->cryptokiVersion.major = version_major;
    info->cryptokiVersion.minor = version_minor;
    p11_pad(info->manufacturerID, sizeof info->manufacturerID, P11_MANUFACTURER);
    info->flags = 0;
    p11_pad(info->libraryDescription, sizeof info->libraryDescription,
            P11_LIBRARY_DESCRIPTION);
    info->libraryVersion.major = P11_VERSION_MAJOR;
    info->libraryVersion.minor = P11_VERSION_MINOR;
    return CKR_OK;
}
