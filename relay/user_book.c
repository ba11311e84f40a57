/* SPDX-License-Identifier: BSD-3-Clause */
/* The running relay's users, reloaded when users.conf is replaced; see user_book.h. */
#include "user_book.h"
#include "users.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct relay_user_book {
    pthread_mutex_t lock;          /* guards what follows */
    char *path;                    /* DIR/users.conf */
    char *dir;
    relay_users users;
    struct stat seen;              /* the file as it was when USERS was read */
    int reload_failed;             /* the current file did not load (said once) */
};

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

relay_user_book *relay_user_book_open(const char *dir, char *err, size_t err_len)
{
    relay_user_book *book = calloc(1, sizeof *book);
    size_t len = strlen(dir) + sizeof "/" RELAY_USERS_FILE;
    if (book != NULL) {
        book->path = malloc(len);
        book->dir = strdup(dir);
    }
    if (book == NULL || book->path == NULL || book->dir == NULL) {
        snprintf(err, err_len, "out of memory");
        relay_user_book_free(book);
        return NULL;
    }
    snprintf(book->path, len, "%s/%s", dir, RELAY_USERS_FILE);
    pthread_mutex_init(&book->lock, NULL);
    /* stat first: a file replaced between the two is then read again at once. */
    if (stat(book->path, &book->seen) != 0)
        memset(&book->seen, 0, sizeof book->seen);
    if (relay_users_load(dir, &book->users, err, err_len) != 0) {
        relay_user_book_free(book);
        return NULL;
    }
    return book;
}

void relay_user_book_free(relay_user_book *book)
{
    if (book == NULL)
        return;
    if (book->path != NULL && book->dir != NULL)
        pthread_mutex_destroy(&book->lock);
    relay_users_clear(&book->users);
    free(book->path);
    free(book->dir);
    free(book);
}

size_t relay_user_book_count(relay_user_book *book)
{
    pthread_mutex_lock(&book->lock);
    size_t n = book->users.n;
    pthread_mutex_unlock(&book->lock);
    return n;
}

/* Under the lock: read the file again when it is not the one read last. */
static void refresh(relay_user_book *book)
{
    struct stat now;
    if (stat(book->path, &now) != 0)
        memset(&now, 0, sizeof now);
    if (same_file(&now, &book->seen))
        return;
    relay_users fresh;
    char err[512];
    if (relay_users_load(book->dir, &fresh, err, sizeof err) != 0) {
        if (!book->reload_failed)
            fprintf(stderr, "mss-relay: users not reloaded, the previous ones stay: %s\n", err);
        book->reload_failed = 1;
        book->seen = now;   /* said once per version of the file */
        return;
    }
    relay_users_clear(&book->users);
    book->users = fresh;
    book->seen = now;
    book->reload_failed = 0;
    fprintf(stderr, "mss-relay: users reloaded (%zu)\n", book->users.n);
}

int relay_user_book_lookup(void *ctx, const char *cert_sha256, const char *bearer,
                           relay_identity *out)
{
    relay_user_book *book = ctx;
    pthread_mutex_lock(&book->lock);
    refresh(book);
    const relay_user *u = NULL;
    if (cert_sha256 != NULL)
        u = relay_users_by_cert_sha256(&book->users, cert_sha256);
    if (u == NULL && bearer != NULL)
        u = relay_users_by_token(&book->users, bearer);
    int found = u != NULL && u->n_msisdns <= RELAY_IDENTITY_MAX_MSISDNS &&
                strlen(u->name) < sizeof out->user;
    if (found) {
        memset(out, 0, sizeof *out);
        snprintf(out->user, sizeof out->user, "%s", u->name);
        for (size_t i = 0; i < u->n_msisdns; i++)
            snprintf(out->msisdns[i], sizeof out->msisdns[i], "%s", u->msisdns[i]);
        out->n_msisdns = u->n_msisdns;
    }
    pthread_mutex_unlock(&book->lock);
    return found;
}
