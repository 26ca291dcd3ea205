/* Firmware download and CSMS connection of the charger controller. */
#include <curl/curl.h>
#include <mbedtls/ssl.h>

#define FW_SERVER "http://updates.example-cpo.com/fw/latest.bin"

static const int csms_ciphersuites[] = {
    MBEDTLS_TLS_RSA_WITH_AES_128_CBC_SHA,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    0
};

int download_firmware(const char *dest)
{
    CURL *curl = curl_easy_init();
    if (!curl)
        return -1;
    curl_easy_setopt(curl, CURLOPT_URL, FW_SERVER);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_0);
    curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, "ALL:!aNULL");
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

int csms_tls_setup(mbedtls_ssl_config *conf, mbedtls_ssl_context *ssl)
{
    mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                MBEDTLS_SSL_PRESET_DEFAULT);
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
    mbedtls_ssl_conf_ciphersuites(conf, csms_ciphersuites);
    mbedtls_ssl_conf_legacy_renegotiation(conf, MBEDTLS_SSL_LEGACY_ALLOW_RENEGOTIATION);
    mbedtls_ssl_conf_read_timeout(conf, 30000);
    return mbedtls_ssl_setup(ssl, conf);
}
