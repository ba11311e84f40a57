/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The text a phone shows with a signature request (DataToBeDisplayed): who asks, for
 * which key, and the verification code the person compares with the one on the
 * desktop. The PKCS#11 module and mss-tool test word it the same way, so a person sees
 * one kind of request whichever program asks.
 */
#ifndef COMMON_PHONE_TEXT_H
#define COMMON_PHONE_TEXT_H

#include <stddef.h>

/* The DataToBeDisplayed limit of TS 102 204 deployments, in bytes. */
#define PHONE_TEXT_MAX 110
/* Room for a phone text and its NUL. */
#define PHONE_TEXT_SIZE (PHONE_TEXT_MAX + 1)
/* How much of WHO a text keeps: the key's label matters more. */
#define PHONE_TEXT_WHO_MAX 24

/*
 * "<who>: Sign in with <label>? Code <code>" (or "Sign with" when FOR_SIGNING: the
 * signing key, whose signature binds the person) in OUT, at most PHONE_TEXT_MAX bytes.
 * WHO is cut to PHONE_TEXT_WHO_MAX bytes and left out with its colon when NULL or
 * empty; LABEL is cut to the room left; neither inside a UTF-8 character. The code is
 * always whole.
 */
void phone_text_format(char out[PHONE_TEXT_SIZE], const char *who, int for_signing,
                       const char *label, const char *code);

#endif /* COMMON_PHONE_TEXT_H */
