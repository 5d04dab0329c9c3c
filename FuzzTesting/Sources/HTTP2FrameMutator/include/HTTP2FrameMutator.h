/*
 * A structure-aware libFuzzer mutator for FuzzHTTP2Server: it defines
 * LLVMFuzzerCustomMutator, which libFuzzer finds by name once this target is linked in.
 * Nothing here is called from Swift.
 */
#ifndef HTTP2_FRAME_MUTATOR_H
#define HTTP2_FRAME_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

/* Mutates data (size bytes, room for max_size) as a sequence of HTTP/2 frames; returns
 * the new size. Setting FUZZ_HTTP2_PLAIN_MUTATOR=1 in the environment makes it libFuzzer's
 * own byte-level mutation, for comparing coverage with and without it. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

#endif
