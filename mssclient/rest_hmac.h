/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client's half of the REST binding's HMAC authentication (mss/rest.h): the two
 * headers one request carries. Internal.
 */
#ifndef MSS_REST_HMAC_H
#define MSS_REST_HMAC_H

#include <stddef.h>
#include <time.h>

#include <mss/rest.h>

/* The host ("host" or "host:port", the port left out when it is 80 or 443) and the path
 * (without query or fragment; "/" when the URL has none, as it is sent) of URL, as the MAC
 * covers them.
 * 0, or -1 for a URL that is not scheme://authority[/path] or does not fit. */
int mss_rest_hmac_url_target(const char *url, char *host, size_t host_len, char *path,
                             size_t path_len);
/* The room the header builder gives them; a URL whose parts do not fit cannot be signed. */
#define MSS_REST_HMAC_HOST_SIZE 512
#define MSS_REST_HMAC_PATH_SIZE 2048

/*
 * The "Date: …" and "Authorization: Basic …" header lines of a POST of BODY to URL at
 * time NOW, signed with API_KEY for AP_ID, malloc'd into *DATE_LINE and *AUTH_LINE (the
 * caller wipes and frees the second). MSS_ERR_ARGS for a URL the MAC cannot cover.
 */
mss_error mss_rest_hmac_header_lines(const char *ap_id, const char *api_key, const char *url,
                                     const char *body, size_t body_len, time_t now,
                                     char **date_line, char **auth_line);

#endif /* MSS_REST_HMAC_H */
