/* SIM emulator signing; see sim.h. */
#include "sim.h"

#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/rsa.h>

int sim_sign_pkcs1(EVP_PKEY *key, const unsigned char *dtbs, size_t dtbs_len,
                   unsigned char **sig, size_t *sig_len)
{
    if (key == NULL || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
        return 404;
    int modulus_len = EVP_PKEY_get_size(key);
    if (modulus_len <= SIM_PKCS1_OVERHEAD)
        return 900;
    if (dtbs == NULL || dtbs_len == 0 || dtbs_len > (size_t)modulus_len - SIM_PKCS1_OVERHEAD)
        return 103;

    int rc = 900;
    unsigned char *out = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    if (ctx == NULL)
        goto done;
    /* No signature digest is set: the padding goes around DTBS as it is. */
    if (EVP_PKEY_sign_init(ctx) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1)
        goto done;
    size_t len = 0;
    if (EVP_PKEY_sign(ctx, NULL, &len, dtbs, dtbs_len) != 1 || len == 0)
        goto done;
    out = malloc(len);
    if (out == NULL || EVP_PKEY_sign(ctx, out, &len, dtbs, dtbs_len) != 1)
        goto done;
    *sig = out;
    *sig_len = len;
    out = NULL;
    rc = 0;
done:
    free(out);
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    return rc;
}
