/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-prompt, the "confirm on your phone" helper the module starts (pkcs11/prompt.h
 * has the module's side and the conversation between the two). Each place the prompt
 * can show is a file of its own: prompt_notify.c (a freedesktop notification on the
 * session bus), prompt_tty.c (a line on the controlling terminal) and
 * prompt_command.c (a program of the person's choice).
 */
#ifndef MSS_PROMPT_H
#define MSS_PROMPT_H

#include <stdint.h>

/* What the module asks the helper to show, from its environment (MSS_PROMPT_*). */
typedef struct prompt_fields {
    const char *mode;      /* auto, notify, tty or command */
    const char *token;     /* the token label */
    const char *purpose;   /* "authentication" or "signature" */
    const char *code;      /* the verification code the phone shows */
    const char *phone;     /* the phone number, masked */
    const char *program;   /* the program that asks */
    const char *command;   /* prompt = command: the program to run */
    unsigned timeout_s;    /* the MSS TimeOut: the countdown starts here */
} prompt_fields;

typedef enum prompt_outcome { PROMPT_SIGNED, PROMPT_CANCELLED, PROMPT_FAILED } prompt_outcome;

/* One place to show the prompt. open gives NULL when it cannot show there (no bus, no
 * daemon, no terminal, no program); fd is -1 when there is nothing to wait on. */
typedef struct prompt_ui {
    const char *name;
    void *(*open)(const prompt_fields *f);
    int (*fd)(void *ui, short *events, uint64_t *timeout_ms);
    int (*process)(void *ui);                       /* 1: the person pressed Cancel */
    void (*update)(void *ui, unsigned seconds_left); /* the countdown */
    void (*close)(void *ui, prompt_outcome outcome);
} prompt_ui;

extern const prompt_ui prompt_ui_notify;
extern const prompt_ui prompt_ui_tty;
extern const prompt_ui prompt_ui_command;

#endif
