#ifndef SESSIONGW_CNGHTTP2_SHIM_H
#define SESSIONGW_CNGHTTP2_SHIM_H

#include <nghttp2/nghttp2.h>

/* nghttp2 exposes several constants only as macros or enum values that Swift
   imports awkwardly; these wrappers give them plain, typed names. */
static inline nghttp2_nv cnghttp2_make_nv(const uint8_t *name, size_t namelen,
                                          const uint8_t *value, size_t valuelen,
                                          uint8_t flags) {
    nghttp2_nv nv;
    nv.name = (uint8_t *)name;
    nv.namelen = namelen;
    nv.value = (uint8_t *)value;
    nv.valuelen = valuelen;
    nv.flags = flags;
    return nv;
}

#endif
