/* SPDX-License-Identifier: BSD-3-Clause */
/* Identifiers and timestamps for outgoing requests. Internal. */
#ifndef MSS_IDS_H
#define MSS_IDS_H

#include <mss/mss.h>

/* "_" + 31 lowercase hex digits: an NCName of 32 characters, the TS 102 204 maximum. */
#define MSS_TRANS_ID_LEN 32
/* "YYYY-MM-DDTHH:MM:SSZ" */
#define MSS_INSTANT_LEN 20

/* Write a fresh random AP_TransID into out (MSS_TRANS_ID_LEN + 1 bytes). */
mss_error mss_new_trans_id(char out[MSS_TRANS_ID_LEN + 1]);

/* Write the current UTC time as an xs:dateTime into out (MSS_INSTANT_LEN + 1 bytes). */
mss_error mss_now_instant(char out[MSS_INSTANT_LEN + 1]);

#endif
