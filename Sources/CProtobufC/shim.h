#ifndef SESSIONGW_CPROTOBUFC_SHIM_H
#define SESSIONGW_CPROTOBUFC_SHIM_H

#include <protobuf-c/protobuf-c.h>

#endif
