// Typed, non-variadic front doors for libcurl's variadic calls.
//
// Swift cannot call C variadic functions such as curl_easy_setopt(), so each argument
// type gets one function here (split by argument type, not by option, as
// swift-corelibs-foundation's CFURLSessionInterface does). Every pointer is annotated
// with its real nullability.
#ifndef SK_CURL_SHIM_H
#define SK_CURL_SHIM_H

#include <curl/curl.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: curl_easy_setopt
CURLcode sk_curl_easy_setopt_long(CURL *_Nonnull handle, CURLoption option, long value);
CURLcode sk_curl_easy_setopt_off_t(CURL *_Nonnull handle, CURLoption option, curl_off_t value);
CURLcode sk_curl_easy_setopt_ptr(CURL *_Nonnull handle, CURLoption option, const void *_Nullable value);
CURLcode sk_curl_easy_setopt_write_fn(CURL *_Nonnull handle, CURLoption option,
                                      curl_write_callback _Nullable fn);
CURLcode sk_curl_easy_setopt_debug_fn(CURL *_Nonnull handle, curl_debug_callback _Nullable fn);
CURLcode sk_curl_easy_setopt_opensocket_fn(CURL *_Nonnull handle,
                                           curl_opensocket_callback _Nullable fn);
CURLcode sk_curl_easy_setopt_closesocket_fn(CURL *_Nonnull handle,
                                            curl_closesocket_callback _Nullable fn);
CURLcode sk_curl_easy_setopt_xferinfo_fn(CURL *_Nonnull handle,
                                         curl_xferinfo_callback _Nullable fn);

// MARK: curl_easy_getinfo
CURLcode sk_curl_easy_getinfo_long(CURL *_Nonnull handle, CURLINFO info, long *_Nonnull out);
CURLcode sk_curl_easy_getinfo_off_t(CURL *_Nonnull handle, CURLINFO info, curl_off_t *_Nonnull out);
CURLcode sk_curl_easy_getinfo_string(CURL *_Nonnull handle, CURLINFO info,
                                     const char *_Nullable *_Nonnull out);
CURLcode sk_curl_easy_getinfo_ptr(CURL *_Nonnull handle, CURLINFO info, void *_Nullable *_Nonnull out);

// MARK: curl_multi_setopt
CURLMcode sk_curl_multi_setopt_long(CURLM *_Nonnull multi, CURLMoption option, long value);
CURLMcode sk_curl_multi_setopt_ptr(CURLM *_Nonnull multi, CURLMoption option, void *_Nullable value);
CURLMcode sk_curl_multi_setopt_socket_fn(CURLM *_Nonnull multi, curl_socket_callback _Nullable fn);
CURLMcode sk_curl_multi_setopt_timer_fn(CURLM *_Nonnull multi, curl_multi_timer_callback _Nullable fn);

// MARK: curl_share_setopt
CURLSHcode sk_curl_share_setopt_long(CURLSH *_Nonnull share, CURLSHoption option, long value);

// MARK: multi helpers (CURLMsg's union and curl_sockaddr are awkward from Swift)
/// Reads the next finished transfer from curl_multi_info_read(); returns 0 when none is left.
int sk_curl_multi_next_done(CURLM *_Nonnull multi, CURL *_Nullable *_Nonnull easy,
                            CURLcode *_Nonnull result);
/// Copies the IP address of an opensocket callback's address into `out` (16 bytes).
/// Returns 4 or 16 (the address length) or 0 for a family that is neither IPv4 nor IPv6.
int sk_curl_sockaddr_ip(const struct curl_sockaddr *_Nonnull address, unsigned char *_Nonnull out);
/// Opens the socket an opensocket callback was asked for (socket(2) with its family/type/protocol).
curl_socket_t sk_curl_sockaddr_open(const struct curl_sockaddr *_Nonnull address);
/// CURL_SOCKET_BAD, a macro Swift cannot see.
curl_socket_t sk_curl_socket_bad(void);

// MARK: feature probes (constants that are macros in curl.h)
int sk_curl_version_has_ssl(void);
/// curl_version_info(CURLVERSION_NOW); CURLVERSION_NOW is a macro Swift cannot see.
const curl_version_info_data *_Nullable sk_curl_version_info(void);

#ifdef __cplusplus
}
#endif
#endif
