/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "confirm on your phone" prompt, from the module's side: it starts mss-prompt (a
 * program of its own, so no GUI or D-Bus library is ever loaded into Firefox, ssh or
 * sshd) before a signature request is sent, listens for its Cancel, and ends it when
 * C_Sign returns.
 *
 * The prompt can never block or fail a signature: a missing helper, one that does not
 * start or one that hangs costs one log line and at most P11_PROMPT_SHOW_MS of waiting.
 * It cannot outlive the request: it is told to end, then killed, and it also ends when
 * its stdin reaches end of file (the module's process is gone).
 *
 * The conversation, one line each way (docs/architecture.md):
 *   helper → module   "shown <where>" once the person can see it; "cancel" on Cancel
 *   module → helper   "end ok" | "end cancelled" | "end failed", then end of file
 */
#ifndef P11_PROMPT_H
#define P11_PROMPT_H

#include "mss_conf.h"

/* How long the signature waits for the prompt to show before it is sent anyway. */
#define P11_PROMPT_SHOW_MS 1000
/* How long the helper gets to close its notification once told to end. */
#define P11_PROMPT_END_MS 500

typedef struct p11_prompt p11_prompt;

typedef struct p11_prompt_info {
    const char *token_label;
    mss_key_role role;     /* what is asked: authentication or a signature */
    const char *code;      /* the verification code the phone shows too */
    const char *msisdn;    /* shown masked */
    unsigned timeout_s;    /* the MSS TimeOut, for the countdown */
    const char *program;   /* the program that asks (the host) */
} p11_prompt_info;

typedef enum p11_prompt_outcome {
    P11_PROMPT_SIGNED,
    P11_PROMPT_CANCELLED,
    P11_PROMPT_FAILED
} p11_prompt_outcome;

/* Start the prompt conf asks for; NULL when there is none to show (prompt = none;
 * prompt = auto with neither a session bus address nor a terminal to open, decided
 * without starting anything; or the helper could not start: logged). Returns once it
 * shows, or after P11_PROMPT_SHOW_MS. */
p11_prompt *p11_prompt_start(const mss_conf *conf, const p11_prompt_info *info);

/* 1 once the person pressed Cancel; never blocks. NULL: 0. */
int p11_prompt_cancelled(p11_prompt *p);

/* Tell the helper how it ended, wait for it at most P11_PROMPT_END_MS, kill it if it
 * is still there, and free p. NULL: nothing. */
void p11_prompt_end(p11_prompt *p, p11_prompt_outcome outcome);

/* The phone number as the prompt shows it: the country code and the last three
 * digits, the rest as '*' ("+358*******567"). */
void p11_prompt_mask_msisdn(const char *msisdn, char *out, size_t size);

#endif
