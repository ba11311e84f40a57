/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers to read a parsed MSS message tree leniently. Internal. */
#ifndef MSS_XML_READ_H
#define MSS_XML_READ_H

#include <stddef.h>
#include <libxml/tree.h>
#include <mss/mss.h>
#include "detail.h"

/* 1 when n is an element with local name `local` that is either unqualified or in
 * namespace ns (ns NULL: any namespace). Deployments mix both spellings. */
int mss_xr_is(const xmlNode *n, const char *local, const char *ns);

/* The first element child of parent matching mss_xr_is, or NULL. */
xmlNodePtr mss_xr_child(const xmlNode *parent, const char *local, const char *ns);

/* The next element sibling after n matching mss_xr_is, or NULL. */
xmlNodePtr mss_xr_next(const xmlNode *n, const char *local, const char *ns);

/* The first element child of parent, whatever its name, or NULL. */
xmlNodePtr mss_xr_first_element(const xmlNode *parent);

/* A printable, bounded element name for error messages. */
const char *mss_xr_name(const xmlNode *n);

/* Text content of n, malloc'd; trim: strip leading and trailing XML whitespace. */
mss_error mss_xr_text(mss_dec *d, const xmlNode *n, int trim, char **out);

/* Unqualified attribute `name` of n, malloc'd, or *out = NULL when absent. */
mss_error mss_xr_attr(mss_dec *d, const xmlNode *n, const char *name, char **out);

/* Parse a non-negative decimal (surrounding whitespace allowed) not above max.
 * Returns 0 on success, -1 when s is not such a number. */
int mss_parse_uint(const char *s, long max, long *out);

/* Integer attribute: *out untouched and *present = 0 when absent (present may be NULL);
 * an error when present but not a decimal in 0..max. */
mss_error mss_xr_uint_attr(mss_dec *d, const xmlNode *n, const char *name, long max,
                           long *out, int *present);

/* Base64 text content of n decoded to bytes (whitespace tolerated). */
mss_error mss_xr_base64(mss_dec *d, const xmlNode *n, unsigned char **out, size_t *out_len);

/* strdup that maps failure to MSS_ERR_NOMEM; NULL in gives NULL out. */
mss_error mss_strdup_opt(const char *s, char **out);

#endif
