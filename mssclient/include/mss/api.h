/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — what every public header shares: the export marker and the C++ guard.
 *
 * The library is built with hidden visibility; MSS_API marks the functions that form
 * its ABI, so `nm -D libmssclient.so` lists exactly those (all named mss_*).
 */
#ifndef MSS_API_H
#define MSS_API_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define MSS_API __attribute__((visibility("default")))
#else
#define MSS_API
#endif

#ifdef __cplusplus
#define MSS_BEGIN_DECLS extern "C" {
#define MSS_END_DECLS }
#else
#define MSS_BEGIN_DECLS
#define MSS_END_DECLS
#endif

/* Largest message body the bindings decode and the transport reads (bytes). */
#define MSS_MAX_BODY (1024 * 1024)

#endif /* MSS_API_H */
