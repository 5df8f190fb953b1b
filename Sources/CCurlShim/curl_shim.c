#include "curl_shim.h"
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

CURLcode sk_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}
CURLcode sk_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
  return curl_easy_setopt(handle, option, value);
}
CURLcode sk_curl_easy_setopt_ptr(CURL *handle, CURLoption option, const void *value) {
  return curl_easy_setopt(handle, option, value);
}
CURLcode sk_curl_easy_setopt_write_fn(CURL *handle, CURLoption option, curl_write_callback fn) {
  return curl_easy_setopt(handle, option, fn);
}
CURLcode sk_curl_easy_setopt_debug_fn(CURL *handle, curl_debug_callback fn) {
  return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, fn);
}
CURLcode sk_curl_easy_setopt_opensocket_fn(CURL *handle, curl_opensocket_callback fn) {
  return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, fn);
}
CURLcode sk_curl_easy_setopt_closesocket_fn(CURL *handle, curl_closesocket_callback fn) {
  return curl_easy_setopt(handle, CURLOPT_CLOSESOCKETFUNCTION, fn);
}
CURLcode sk_curl_easy_setopt_xferinfo_fn(CURL *handle, curl_xferinfo_callback fn) {
  return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, fn);
}

CURLcode sk_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *out) {
  return curl_easy_getinfo(handle, info, out);
}
CURLcode sk_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *out) {
  return curl_easy_getinfo(handle, info, out);
}
CURLcode sk_curl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **out) {
  return curl_easy_getinfo(handle, info, out);
}
CURLcode sk_curl_easy_getinfo_ptr(CURL *handle, CURLINFO info, void **out) {
  return curl_easy_getinfo(handle, info, out);
}

CURLMcode sk_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
  return curl_multi_setopt(multi, option, value);
}
CURLMcode sk_curl_multi_setopt_ptr(CURLM *multi, CURLMoption option, void *value) {
  return curl_multi_setopt(multi, option, value);
}
CURLMcode sk_curl_multi_setopt_socket_fn(CURLM *multi, curl_socket_callback fn) {
  return curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, fn);
}
CURLMcode sk_curl_multi_setopt_timer_fn(CURLM *multi, curl_multi_timer_callback fn) {
  return curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, fn);
}

CURLSHcode sk_curl_share_setopt_long(CURLSH *share, CURLSHoption option, long value) {
  return curl_share_setopt(share, option, value);
}

int sk_curl_version_has_ssl(void) {
  const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
  return info != NULL && (info->features & CURL_VERSION_SSL) != 0;
}

const curl_version_info_data *sk_curl_version_info(void) {
  return curl_version_info(CURLVERSION_NOW);
}

int sk_curl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result) {
  int left = 0;
  CURLMsg *msg;
  while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
    if (msg->msg == CURLMSG_DONE) {
      *easy = msg->easy_handle;
      *result = msg->data.result;
      return 1;
    }
  }
  return 0;
}

int sk_curl_sockaddr_ip(const struct curl_sockaddr *address, unsigned char *out) {
  if (address->family == AF_INET) {
    const struct sockaddr_in *in4 = (const struct sockaddr_in *)&address->addr;
    memcpy(out, &in4->sin_addr, 4);
    return 4;
  }
  if (address->family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&address->addr;
    memcpy(out, &in6->sin6_addr, 16);
    return 16;
  }
  return 0;
}

curl_socket_t sk_curl_sockaddr_open(const struct curl_sockaddr *address) {
  return socket(address->family, address->socktype, address->protocol);
}

curl_socket_t sk_curl_socket_bad(void) { return CURL_SOCKET_BAD; }
