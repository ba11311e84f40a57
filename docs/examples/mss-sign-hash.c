/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-sign-hash: sign a SHA-256 hash on a user's phone through an MSSP, with nothing but
 * libmssclient. An example of the library's API, built against the installed library:
 *
 *   cc mss-sign-hash.c $(pkg-config --cflags --libs mssclient) -o mss-sign-hash
 *   ./mss-sign-hash --url https://mssp.example/mss --ca ca.pem --cert ap.pem --key ap.key \
 *       --ap-id http://ap.example --ap-pwd-file ap_pwd --msisdn +35840123456 \
 *       --profile mss:example:sign:loa4:sim --sha256 <64 hex digits> --out sig.bin
 *
 * It sends the DER DigestInfo of the hash as an MSS_Signature (PKCS#1 v1.5, the Kiuru
 * raw-signature format), with the verification code as the eventId so the phone shows
 * the same four digits as this program, waits for the user, and writes the raw signature.
 * With --user-cert (the user's certificate, DER) it verifies the signature first.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mss/mss.h>

/* DER prefix of a SHA-256 DigestInfo (RFC 8017, section 9.2, note 1). */
static const unsigned char sha256_prefix[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                                0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                                0x01, 0x05, 0x00, 0x04, 0x20};

static int parse_hex(const char *hex, unsigned char *out, size_t len)
{
    if (strlen(hex) != 2 * len)
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (unsigned char)v;
    }
    return 0;
}

/* The whole of a small file (first line only with first_line), malloc'd; NULL on failure. */
static unsigned char *read_file(const char *path, size_t *len, int first_line)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = malloc(65537);
    size_t n = buf != NULL ? fread(buf, 1, 65536, f) : 0;
    fclose(f);
    if (buf == NULL)
        return NULL;
    buf[n] = '\0';
    if (first_line)
        n = strcspn((char *)buf, "\r\n");
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void log_line(int level, const char *line, void *ctx)
{
    (void)ctx;
    if (level <= MSS_LOG_INFO)
        fprintf(stderr, "mssclient: %s\n", line);
}

static void usage(void)
{
    fprintf(stderr, "usage: mss-sign-hash --url URL --ca FILE [--cert FILE --key FILE] --ap-id ID\n"
                    "       [--ap-pwd-file FILE] --msisdn NUMBER [--profile URI] --sha256 HEX\n"
                    "       --out FILE [--user-cert DER-FILE] [--synch]\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"url", 1, NULL, 'u'}, {"ca", 1, NULL, 'c'}, {"cert", 1, NULL, 'C'},
        {"key", 1, NULL, 'K'}, {"ap-id", 1, NULL, 'a'}, {"ap-pwd-file", 1, NULL, 'p'},
        {"msisdn", 1, NULL, 'm'}, {"profile", 1, NULL, 'P'}, {"sha256", 1, NULL, 'h'},
        {"out", 1, NULL, 'o'}, {"user-cert", 1, NULL, 'U'}, {"synch", 0, NULL, 's'},
        {NULL, 0, NULL, 0}};
    mss_client_options opts = {.mode = MSS_MODE_ASYNCH_CLIENT_SERVER, .log = log_line};
    const char *msisdn = NULL, *profile = NULL, *hash_hex = NULL, *out_path = NULL;
    const char *pwd_file = NULL, *user_cert = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'u': opts.url = optarg; break;
        case 'c': opts.ca_file = optarg; break;
        case 'C': opts.client_cert = optarg; break;
        case 'K': opts.client_key = optarg; break;
        case 'a': opts.ap_id = optarg; break;
        case 'p': pwd_file = optarg; break;
        case 'm': msisdn = optarg; break;
        case 'P': profile = optarg; break;
        case 'h': hash_hex = optarg; break;
        case 'o': out_path = optarg; break;
        case 'U': user_cert = optarg; break;
        case 's': opts.mode = MSS_MODE_SYNCH; break;
        default: usage(); return 2;
        }
    }
    unsigned char digest_info[sizeof sha256_prefix + 32];
    memcpy(digest_info, sha256_prefix, sizeof sha256_prefix);
    if (msisdn == NULL || hash_hex == NULL || out_path == NULL ||
        parse_hex(hash_hex, digest_info + sizeof sha256_prefix, 32) != 0) {
        usage();
        return 2;
    }
    size_t pwd_len = 0;
    unsigned char *pwd = pwd_file != NULL ? read_file(pwd_file, &pwd_len, 1) : NULL;
    if (pwd_file != NULL && pwd == NULL) {
        fprintf(stderr, "mss-sign-hash: cannot read %s\n", pwd_file);
        return 1;
    }
    opts.ap_pwd = (const char *)pwd;

    mss_detail detail;
    mss_client *client = NULL;
    mss_error rc = mss_client_new(&opts, &client, &detail);
    if (rc != MSS_OK) {
        fprintf(stderr, "mss-sign-hash: %s: %s\n", mss_error_string(rc), detail.text);
        free(pwd);
        return 1;
    }

    /* The same four digits here and, through the eventId service, on the phone. */
    char code[5];
    mss_verification_code(digest_info, sizeof digest_info, code);
    mss_service event_id = {.uri = (char *)MSS_SERVICE_URI_EVENT_ID, .value = code};
    char text[80];
    snprintf(text, sizeof text, "mss-sign-hash wants your signature (code %s)", code);
    mss_sign_request req = {.msisdn = msisdn, .dtbs = digest_info,
                            .dtbs_len = sizeof digest_info, .dtbd = text, .profile = profile,
                            .format = MSS_FORMAT_KIURU_PKCS1, .services = &event_id,
                            .n_services = 1};
    printf("verification code %s: confirm on the phone %s\n", code, msisdn);
    fflush(stdout);

    mss_sign_result result;
    rc = mss_client_sign(client, &req, &result, &detail);
    int status = 1;
    if (rc != MSS_OK) {
        const mss_status_info *info = mss_status_lookup(detail.status);
        fprintf(stderr, "mss-sign-hash: %s; MSS status %d (%s): %s\n", mss_error_string(rc),
                detail.status, info != NULL ? info->name : "-", detail.text);
        goto out;
    }
    const unsigned char *sig = result.raw_signature;
    size_t sig_len = result.raw_signature_len;
    if (user_cert != NULL) {
        size_t cert_len = 0;
        unsigned char *cert = read_file(user_cert, &cert_len, 0);
        rc = cert != NULL ? mss_verify_signature(cert, cert_len, MSS_ALG_RSA_PKCS1, digest_info,
                                                 sizeof digest_info, sig, sig_len, &detail)
                          : MSS_ERR_ARGS;
        free(cert);
        if (rc != MSS_OK) {
            fprintf(stderr, "mss-sign-hash: the signature does not verify: %s\n", detail.text);
            goto out;
        }
        printf("signature verified against %s\n", user_cert);
    }
    FILE *f = fopen(out_path, "wb");
    if (f == NULL || fwrite(sig, 1, sig_len, f) != sig_len || fclose(f) != 0) {
        fprintf(stderr, "mss-sign-hash: cannot write %s\n", out_path);
        goto out;
    }
    printf("signed (MSSP_TransID %s): %zu bytes in %s\n", result.mssp_trans_id, sig_len, out_path);
    status = 0;
out:
    mss_sign_result_clear(&result);
    mss_client_free(client);
    free(pwd);
    return status;
}
