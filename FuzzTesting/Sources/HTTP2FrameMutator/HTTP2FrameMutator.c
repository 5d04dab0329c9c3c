/*
 * A structure-aware mutator for FuzzHTTP2Server's input: the bytes an HTTP/2 client sends
 * after the connection preface. Random bytes rarely form valid frames, so this mutator
 * parses the input into frames (9-byte headers), changes one thing about them, and
 * re-encodes them with correct lengths:
 *
 *   - a frame's type, flags, stream id or payload (the payload through LLVMFuzzerMutate);
 *   - inserting a new frame (a gRPC request's HEADERS, a gRPC-framed DATA, SETTINGS,
 *     WINDOW_UPDATE, PING, RST_STREAM, PRIORITY, GOAWAY, CONTINUATION), deleting,
 *     duplicating or swapping frames;
 *   - a HEADERS block decoded with nghttp2's HPACK inflater, one header changed, added or
 *     removed, and every block re-encoded in order through one deflater, so that the
 *     dynamic table stays consistent;
 *   - a DATA payload rewritten as one gRPC message (5-byte prefix) with mutated contents.
 *
 * A quarter of the time, or when the input has no frames, it falls back to
 * LLVMFuzzerMutate on the whole input.
 */
#include "HTTP2FrameMutator.h"

#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

enum { FRAME_HEADER = 9, MAX_FRAMES = 256, MAX_HEADERS = 64, WORK_SIZE = 1 << 20 };
enum { DATA = 0, HEADERS = 1, PRIORITY = 2, RST_STREAM = 3, SETTINGS = 4, PUSH_PROMISE = 5,
       PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8, CONTINUATION = 9 };
enum { END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY_FLAG = 0x20 };

typedef struct {
  uint8_t type, flags;
  uint32_t stream_id;
  uint8_t *payload; /* points into the input, or into a scratch buffer */
  size_t length;
} frame;

/* xorshift32, seeded from libFuzzer's seed, so mutations are reproducible. */
static uint32_t rng_state;
static uint32_t next_random(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}
static uint32_t below(uint32_t bound) { return bound ? next_random() % bound : 0; }

static uint8_t scratch[WORK_SIZE];
static size_t scratch_used;
static uint8_t output[WORK_SIZE];

static uint8_t *scratch_alloc(size_t size) {
  if (scratch_used + size > sizeof(scratch)) return NULL;
  uint8_t *p = scratch + scratch_used;
  scratch_used += size;
  return p;
}

static size_t parse(uint8_t *data, size_t size, frame *frames) {
  size_t count = 0, offset = 0;
  while (offset + FRAME_HEADER <= size && count < MAX_FRAMES) {
    size_t length = (size_t)data[offset] << 16 | (size_t)data[offset + 1] << 8 | data[offset + 2];
    frame *f = &frames[count++];
    f->type = data[offset + 3];
    f->flags = data[offset + 4];
    f->stream_id = ((uint32_t)data[offset + 5] << 24 | (uint32_t)data[offset + 6] << 16 |
                    (uint32_t)data[offset + 7] << 8 | data[offset + 8]) & 0x7fffffffu;
    offset += FRAME_HEADER;
    if (length > size - offset) length = size - offset; /* a cut-off last frame */
    f->payload = data + offset;
    f->length = length;
    offset += length;
  }
  return count;
}

/* Encodes frames into output; returns the size, or 0 when they do not fit in max_size. */
static size_t encode(const frame *frames, size_t count, size_t max_size) {
  size_t offset = 0;
  for (size_t i = 0; i < count; i++) {
    const frame *f = &frames[i];
    size_t length = f->length > 0xffffff ? 0xffffff : f->length;
    if (offset + FRAME_HEADER + length > max_size) return 0;
    uint8_t *h = output + offset;
    h[0] = (uint8_t)(length >> 16); h[1] = (uint8_t)(length >> 8); h[2] = (uint8_t)length;
    h[3] = f->type; h[4] = f->flags;
    h[5] = (uint8_t)(f->stream_id >> 24 & 0x7f); h[6] = (uint8_t)(f->stream_id >> 16);
    h[7] = (uint8_t)(f->stream_id >> 8); h[8] = (uint8_t)f->stream_id;
    memmove(output + offset + FRAME_HEADER, f->payload, length);
    offset += FRAME_HEADER + length;
  }
  return offset;
}

/* --- headers ------------------------------------------------------------------------- */

static const char *const paths[] = {
  "/grpc.testing.TestService/EmptyCall", "/grpc.testing.TestService/UnaryCall",
  "/grpc.testing.TestService/StreamingOutputCall", "/grpc.testing.TestService/StreamingInputCall",
  "/grpc.testing.TestService/FullDuplexCall", "/grpc.testing.TestService/HalfDuplexCall",
  "/grpc.testing.TestService/CacheableUnaryCall", "/grpc.testing.TestService/UnimplementedCall",
  "/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch", "/no.such.Service/Method", "/", "",
};
static const char *const header_names[] = {
  ":method", ":scheme", ":path", ":authority", "content-type", "te", "grpc-timeout",
  "grpc-encoding", "grpc-accept-encoding", "user-agent", "x-grpc-test-echo-initial",
  "x-grpc-test-echo-trailing-bin", "grpc-status", "connection", "host", ":status", "content-length",
};
static const char *const header_values[] = {
  "POST", "GET", "http", "https", "application/grpc", "application/grpc+proto", "text/plain",
  "trailers", "1S", "100m", "99999999H", "0n", "gzip", "identity", "deflate", "x", "", "0",
  "keep-alive", "AAAA", "\x01\x7f",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
  nghttp2_nv nv[MAX_HEADERS];
  size_t count;
} header_list;

static uint8_t *copy_to_scratch(const uint8_t *bytes, size_t length) {
  uint8_t *p = scratch_alloc(length + 1);
  if (p) { memcpy(p, bytes, length); p[length] = 0; }
  return p;
}

static void add_header(header_list *list, const char *name, const char *value) {
  if (list->count == MAX_HEADERS) return;
  nghttp2_nv *nv = &list->nv[list->count++];
  nv->name = (uint8_t *)name; nv->namelen = strlen(name);
  nv->value = (uint8_t *)value; nv->valuelen = strlen(value);
  nv->flags = NGHTTP2_NV_FLAG_NONE;
}

static void request_headers(header_list *list) {
  list->count = 0;
  add_header(list, ":method", "POST");
  add_header(list, ":scheme", "http");
  add_header(list, ":path", paths[below(COUNT(paths))]);
  add_header(list, ":authority", "localhost");
  add_header(list, "content-type", "application/grpc");
  add_header(list, "te", "trailers");
  if (below(3) == 0) add_header(list, "grpc-timeout", header_values[8 + below(4)]);
}

/* The header block of a HEADERS frame without padding and priority, or NULL. */
static const uint8_t *header_block(const frame *f, size_t *length) {
  const uint8_t *p = f->payload;
  size_t n = f->length, pad = 0;
  if (f->flags & PADDED) {
    if (n < 1) return NULL;
    pad = p[0]; p++; n--;
  }
  if (f->type == HEADERS && (f->flags & PRIORITY_FLAG)) {
    if (n < 5) return NULL;
    p += 5; n -= 5;
  }
  if (pad > n) return NULL;
  *length = n - pad;
  return p;
}

static int inflate_block(nghttp2_hd_inflater *inflater, const uint8_t *in, size_t length,
                         header_list *list) {
  list->count = 0;
  for (;;) {
    nghttp2_nv nv;
    int flags = 0;
    ssize_t used = nghttp2_hd_inflate_hd2(inflater, &nv, &flags, in, length, 1);
    if (used < 0) return -1;
    in += used; length -= (size_t)used;
    if (flags & NGHTTP2_HD_INFLATE_EMIT) {
      if (list->count == MAX_HEADERS) return -1;
      nghttp2_nv *copy = &list->nv[list->count++];
      copy->name = copy_to_scratch(nv.name, nv.namelen);
      copy->value = copy_to_scratch(nv.value, nv.valuelen);
      if (!copy->name || !copy->value) return -1;
      copy->namelen = nv.namelen; copy->valuelen = nv.valuelen;
      copy->flags = NGHTTP2_NV_FLAG_NONE;
    }
    if (flags & NGHTTP2_HD_INFLATE_FINAL) {
      nghttp2_hd_inflate_end_headers(inflater);
      return 0;
    }
    if (used == 0 && !(flags & NGHTTP2_HD_INFLATE_EMIT)) return -1;
  }
}

static void mutate_header_list(header_list *list) {
  switch (below(5)) {
  case 0: /* change a value */
    if (list->count) {
      nghttp2_nv *nv = &list->nv[below((uint32_t)list->count)];
      const char *value = below(2) ? header_values[below(COUNT(header_values))] : paths[below(COUNT(paths))];
      nv->value = (uint8_t *)value; nv->valuelen = strlen(value);
      break;
    }
    /* fall through */
  case 1: /* add a header */
    add_header(list, header_names[below(COUNT(header_names))], header_values[below(COUNT(header_values))]);
    break;
  case 2: /* remove a header */
    if (list->count) {
      size_t i = below((uint32_t)list->count);
      memmove(&list->nv[i], &list->nv[i + 1], (list->count - i - 1) * sizeof(nghttp2_nv));
      list->count--;
    }
    break;
  case 3: /* duplicate a header */
    if (list->count && list->count < MAX_HEADERS) {
      nghttp2_nv copy = list->nv[below((uint32_t)list->count)];
      list->nv[list->count++] = copy;
    }
    break;
  default: /* swap two headers (pseudo-headers after regular ones are an error) */
    if (list->count > 1) {
      size_t i = below((uint32_t)list->count), j = below((uint32_t)list->count);
      nghttp2_nv t = list->nv[i]; list->nv[i] = list->nv[j]; list->nv[j] = t;
    }
  }
}

static int deflate_into(nghttp2_hd_deflater *deflater, const header_list *list, frame *f) {
  size_t bound = nghttp2_hd_deflate_bound(deflater, list->nv, list->count);
  uint8_t *buffer = scratch_alloc(bound);
  if (!buffer) return -1;
  ssize_t length = nghttp2_hd_deflate_hd(deflater, buffer, bound, list->nv, list->count);
  if (length < 0) return -1;
  f->payload = buffer;
  f->length = (size_t)length;
  f->flags = (uint8_t)((f->flags & END_STREAM) | END_HEADERS);
  return 0;
}

/* Decodes every HEADERS block in order, changes one list (or a new one for a new frame at
 * insert_at, when insert_at <= count), and re-encodes all of them in order. CONTINUATION
 * frames are merged into their HEADERS. Returns the new frame count, or 0. */
static size_t rewrite_headers(frame *frames, size_t count, size_t insert_at, uint32_t new_stream) {
  nghttp2_hd_inflater *inflater = NULL;
  nghttp2_hd_deflater *deflater = NULL;
  size_t result = 0;
  static header_list lists[MAX_FRAMES];
  size_t header_frames[MAX_FRAMES], header_count = 0;
  if (nghttp2_hd_inflate_new(&inflater) != 0 || nghttp2_hd_deflate_new(&deflater, 4096) != 0) goto done;

  /* Merge CONTINUATIONs into the HEADERS before them. */
  size_t out = 0;
  for (size_t i = 0; i < count; i++) {
    if (frames[i].type == CONTINUATION && out > 0 && frames[out - 1].type == HEADERS &&
        !(frames[out - 1].flags & END_HEADERS)) {
      size_t block_length = 0;
      const uint8_t *block = header_block(&frames[out - 1], &block_length);
      if (!block) goto done;
      uint8_t *merged = scratch_alloc(block_length + frames[i].length);
      if (!merged) goto done;
      memcpy(merged, block, block_length);
      memcpy(merged + block_length, frames[i].payload, frames[i].length);
      frames[out - 1].payload = merged;
      frames[out - 1].length = block_length + frames[i].length;
      frames[out - 1].flags = (uint8_t)((frames[out - 1].flags & ~(PADDED | PRIORITY_FLAG)) | (frames[i].flags & END_HEADERS));
      continue;
    }
    frames[out++] = frames[i];
  }
  count = out;
  if (insert_at > count) insert_at = count + 1; /* no insertion */

  for (size_t i = 0; i <= count && header_count < MAX_FRAMES; i++) {
    if (i == insert_at) {
      if (count == MAX_FRAMES) goto done;
      memmove(&frames[i + 1], &frames[i], (count - i) * sizeof(frame));
      count++;
      frames[i].type = HEADERS;
      frames[i].flags = (uint8_t)(END_HEADERS | (below(4) == 0 ? END_STREAM : 0));
      frames[i].stream_id = new_stream;
      frames[i].length = 0;
      request_headers(&lists[header_count]);
      header_frames[header_count++] = i;
      continue;
    }
    if (i == count || frames[i].type != HEADERS) continue;
    size_t block_length = 0;
    const uint8_t *block = header_block(&frames[i], &block_length);
    if (!block || inflate_block(inflater, block, block_length, &lists[header_count]) != 0) goto done;
    header_frames[header_count++] = i;
  }
  if (header_count == 0) goto done;
  if (insert_at > count) mutate_header_list(&lists[below((uint32_t)header_count)]);
  for (size_t k = 0; k < header_count; k++) {
    if (deflate_into(deflater, &lists[k], &frames[header_frames[k]]) != 0) goto done;
  }
  result = count;
done:
  if (inflater) nghttp2_hd_inflate_del(inflater);
  if (deflater) nghttp2_hd_deflate_del(deflater);
  return result;
}

/* --- new frames ---------------------------------------------------------------------- */

static uint32_t pick_stream(const frame *frames, size_t count) {
  uint32_t highest = 0;
  for (size_t i = 0; i < count; i++) if (frames[i].stream_id > highest) highest = frames[i].stream_id;
  switch (below(6)) {
  case 0: return 0;
  case 1: return (highest | 1) + 2;             /* the next client stream */
  case 2: return highest + 1;                   /* even: a server's stream */
  case 3: return below(0x7fffffff) + 1;
  default: return count ? frames[below((uint32_t)count)].stream_id : 1;
  }
}

/* A DATA payload holding one gRPC message: flag, 4-byte length, contents. */
static int grpc_message(frame *f, const uint8_t *contents, size_t length, size_t max_length) {
  if (length > max_length) length = max_length;
  size_t capacity = length + 64 < max_length ? length + 64 : max_length;
  uint8_t *p = scratch_alloc(5 + capacity);
  if (!p) return -1;
  memcpy(p + 5, contents, length);
  if (length == 0) p[5 + length++] = (uint8_t)below(256); /* LLVMFuzzerMutate wants a byte */
  size_t mutated = LLVMFuzzerMutate(p + 5, length, capacity);
  uint32_t declared = (uint32_t)mutated;
  if (below(8) == 0) declared = below(2) ? declared + 1 + below(16) : next_random();
  p[0] = below(16) == 0 ? 1 : 0;
  p[1] = (uint8_t)(declared >> 24); p[2] = (uint8_t)(declared >> 16);
  p[3] = (uint8_t)(declared >> 8); p[4] = (uint8_t)declared;
  f->payload = p;
  f->length = 5 + mutated;
  return 0;
}

static int new_frame(frame *f, const frame *frames, size_t count) {
  static const uint8_t settings_ids[] = {1, 2, 3, 4, 5, 6, 8, 9, 0x10};
  uint8_t *p;
  f->stream_id = pick_stream(frames, count);
  f->flags = 0;
  switch (below(9)) {
  case 0:
    f->type = DATA;
    f->flags = below(2) ? END_STREAM : 0;
    return grpc_message(f, (const uint8_t *)"\x08\x01\x10\x05", 4, 256);
  case 1: {
    f->type = SETTINGS;
    f->stream_id = below(8) ? 0 : f->stream_id;
    if (below(3) == 0) { f->flags = ACK; f->length = 0; f->payload = scratch; return 0; }
    size_t n = 1 + below(3);
    if (!(p = scratch_alloc(6 * n))) return -1;
    for (size_t i = 0; i < n; i++) {
      uint32_t value = below(2) ? below(70000) : next_random();
      p[6 * i] = 0; p[6 * i + 1] = settings_ids[below(sizeof(settings_ids))];
      p[6 * i + 2] = (uint8_t)(value >> 24); p[6 * i + 3] = (uint8_t)(value >> 16);
      p[6 * i + 4] = (uint8_t)(value >> 8); p[6 * i + 5] = (uint8_t)value;
    }
    f->payload = p; f->length = 6 * n;
    return 0;
  }
  case 2: {
    f->type = WINDOW_UPDATE;
    uint32_t increment = below(4) == 0 ? next_random() & 0x7fffffff : below(1 << 20);
    if (!(p = scratch_alloc(4))) return -1;
    p[0] = (uint8_t)(increment >> 24); p[1] = (uint8_t)(increment >> 16);
    p[2] = (uint8_t)(increment >> 8); p[3] = (uint8_t)increment;
    f->payload = p; f->length = 4;
    return 0;
  }
  case 3:
    f->type = PING; f->stream_id = 0; f->flags = below(4) == 0 ? ACK : 0;
    if (!(p = scratch_alloc(8))) return -1;
    memset(p, (int)below(256), 8);
    f->payload = p; f->length = 8;
    return 0;
  case 4:
  case 5: {
    f->type = below(2) ? RST_STREAM : GOAWAY;
    size_t n = f->type == RST_STREAM ? 4 : 8 + below(8);
    if (!(p = scratch_alloc(n))) return -1;
    memset(p, 0, n);
    p[n == 4 ? 3 : 7] = (uint8_t)below(14);
    f->payload = p; f->length = n;
    return 0;
  }
  case 6:
    f->type = PRIORITY;
    if (!(p = scratch_alloc(5))) return -1;
    for (int i = 0; i < 5; i++) p[i] = (uint8_t)below(256);
    f->payload = p; f->length = 5;
    return 0;
  case 7:
    f->type = CONTINUATION; f->flags = below(2) ? END_HEADERS : 0;
    if (!(p = scratch_alloc(4))) return -1;
    p[0] = 0x83; p[1] = 0x86; p[2] = 0x84; p[3] = 0x41; /* indexed :method POST, :scheme http, :path /, literal :authority */
    f->payload = p; f->length = 1 + below(4);
    return 0;
  default:
    f->type = (uint8_t)(10 + below(246)); /* an unknown type, which must be ignored */
    f->length = below(16);
    f->payload = scratch;
    return 0;
  }
}

/* --- the mutator --------------------------------------------------------------------- */

static int plain_mode = -1;

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed) {
  if (plain_mode < 0) {
    const char *plain = getenv("FUZZ_HTTP2_PLAIN_MUTATOR");
    plain_mode = plain && *plain && strcmp(plain, "0") != 0;
  }
  if (plain_mode) return LLVMFuzzerMutate(data, size, max_size);

  rng_state = seed ? seed : 0x9e3779b9u;
  scratch_used = 0;
  static frame frames[MAX_FRAMES + 1];
  size_t count = parse(data, size, frames);
  if (count == 0 || below(4) == 0) return LLVMFuzzerMutate(data, size, max_size);

  size_t i = below((uint32_t)count);
  frame *f = &frames[i];
  switch (below(12)) {
  case 0: /* the payload of one frame */ {
    size_t capacity = f->length + 64;
    uint8_t *p = scratch_alloc(capacity);
    if (!p) break;
    memcpy(p, f->payload, f->length);
    if (f->length == 0) p[f->length++] = (uint8_t)below(256);
    f->length = LLVMFuzzerMutate(p, f->length, capacity);
    f->payload = p;
    break;
  }
  case 1: f->type = below(4) ? (uint8_t)below(10) : (uint8_t)next_random(); break;
  case 2: f->flags ^= (uint8_t)(1u << below(8)); break;
  case 3: f->stream_id = pick_stream(frames, count); break;
  case 4: /* delete */
    if (count > 1) { memmove(&frames[i], &frames[i + 1], (count - i - 1) * sizeof(frame)); count--; }
    break;
  case 5: /* duplicate */
    if (count < MAX_FRAMES) { memmove(&frames[i + 1], &frames[i], (count - i) * sizeof(frame)); count++; }
    break;
  case 6: /* swap with another */ {
    size_t j = below((uint32_t)count);
    frame t = frames[i]; frames[i] = frames[j]; frames[j] = t;
    break;
  }
  case 7: /* insert a new frame */
    if (count < MAX_FRAMES) {
      frame fresh;
      if (new_frame(&fresh, frames, count) != 0) break;
      memmove(&frames[i + 1], &frames[i], (count - i) * sizeof(frame));
      frames[i] = fresh;
      count++;
    }
    break;
  case 8: /* a new gRPC request's HEADERS, encoded in sequence with the others */ {
    size_t n = rewrite_headers(frames, count, below((uint32_t)count + 1), pick_stream(frames, count) | 1);
    if (n) count = n;
    break;
  }
  case 9:
  case 10: /* one header block changed */ {
    size_t n = rewrite_headers(frames, count, MAX_FRAMES + 1, 0);
    if (n) count = n;
    else f->flags ^= END_STREAM;
    break;
  }
  default: /* DATA as one gRPC message */
    for (size_t k = 0; k < count; k++) {
      frame *d = &frames[(i + k) % count];
      if (d->type != DATA) continue;
      const uint8_t *contents = d->length > 5 ? d->payload + 5 : d->payload;
      size_t length = d->length > 5 ? d->length - 5 : 0;
      grpc_message(d, contents, length, 4096);
      break;
    }
  }

  size_t encoded = encode(frames, count, max_size);
  if (encoded == 0) return LLVMFuzzerMutate(data, size, max_size);
  memcpy(data, output, encoded);
  return encoded;
}
