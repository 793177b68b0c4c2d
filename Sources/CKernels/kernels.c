// Quantized matrix products, a plain C path and an AVX2/FMA path chosen at run time.
#include "ckernels.h"
#include "ck_common.h"
#include <stdint.h>
#include <math.h>
#include <string.h>

// MARK: - plain C

// one block of 32 weights to floats
static void dequant_block(int type, const uint8_t *blk, float *out) {
    if (type == CK_Q4_1) {
        float d = half_to_float(load_u16(blk)), m = half_to_float(load_u16(blk + 2));
        for (int j = 0; j < 16; j++) {
            out[j] = d * (float)(blk[4 + j] & 0x0F) + m;
            out[j + 16] = d * (float)(blk[4 + j] >> 4) + m;
        }
    } else {
        float d = half_to_float(load_u16(blk));
        for (int j = 0; j < 32; j++) out[j] = d * (float)(int8_t)blk[2 + j];
    }
}

static int block_bytes(int type) { return type == CK_Q4_1 ? 20 : type == CK_Q8_0 ? 34 : 0; }

static void matmul_plain(int type, const uint8_t *w, int cols, int r0, int r1,
                         const float *x, int ldx, int n, float *y, int ldy) {
    int nb = cols / 32, bb = block_bytes(type);
    float wf[32];
    for (int r = r0; r < r1; r++) {
        for (int j = 0; j < n; j++) y[(size_t)j * ldy + r] = 0;
        for (int b = 0; b < nb; b++) {
            dequant_block(type, w + ((size_t)r * nb + b) * bb, wf);
            for (int j = 0; j < n; j++) {
                const float *xb = x + (size_t)j * ldx + b * 32;
                float s = 0;
                for (int k = 0; k < 32; k++) s += wf[k] * xb[k];
                y[(size_t)j * ldy + r] += s;
            }
        }
    }
}

// MARK: - AVX2 + FMA + F16C

#ifdef CK_HAVE_X86

// dequantizes one block into four vectors w[0..3] (elements 0-7, 8-15, 16-23, 24-31)
CK_AVX2 __attribute__((always_inline)) static inline void dequant_avx2(int type, const uint8_t *blk, __m256 *w) {
    if (type == CK_Q4_1) {
        __m256 d = _mm256_set1_ps(_cvtsh_ss(load_u16(blk)));
        __m256 m = _mm256_set1_ps(_cvtsh_ss(load_u16(blk + 2)));
        __m128i raw = _mm_loadu_si128((const __m128i *)(blk + 4));
        __m128i mask = _mm_set1_epi8(0x0F);
        __m128i lo = _mm_and_si128(raw, mask);
        __m128i hi = _mm_and_si128(_mm_srli_epi16(raw, 4), mask);
        w[0] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(lo)), d, m);
        w[1] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(lo, 8))), d, m);
        w[2] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(hi)), d, m);
        w[3] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(hi, 8))), d, m);
    } else {
        __m256 d = _mm256_set1_ps(_cvtsh_ss(load_u16(blk)));
        __m128i q0 = _mm_loadu_si128((const __m128i *)(blk + 2));
        __m128i q1 = _mm_loadu_si128((const __m128i *)(blk + 18));
        w[0] = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q0)), d);
        w[1] = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(q0, 8))), d);
        w[2] = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q1)), d);
        w[3] = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(q1, 8))), d);
    }
}

// one row against a tile of N (1...4) vectors; two accumulators per vector hide FMA latency.
// Always inlined with constant type and N, so the accumulators live in registers.
CK_AVX2 CK_INLINE void row_tile_avx2(const int type, const uint8_t *row, int nb,
                                     const float *x, int ldx, const int n, float *out, int ldy) {
    const int bb = type == CK_Q4_1 ? 20 : 34;
    __m256 a0[4], a1[4];
    for (int j = 0; j < n; j++) { a0[j] = _mm256_setzero_ps(); a1[j] = _mm256_setzero_ps(); }
    __m256 w[4];
    for (int b = 0; b < nb; b++) {
        dequant_avx2(type, row + (size_t)b * bb, w);
        for (int j = 0; j < n; j++) {
            const float *xb = x + (size_t)j * ldx + b * 32;
            a0[j] = _mm256_fmadd_ps(w[0], _mm256_loadu_ps(xb), a0[j]);
            a1[j] = _mm256_fmadd_ps(w[1], _mm256_loadu_ps(xb + 8), a1[j]);
            a0[j] = _mm256_fmadd_ps(w[2], _mm256_loadu_ps(xb + 16), a0[j]);
            a1[j] = _mm256_fmadd_ps(w[3], _mm256_loadu_ps(xb + 24), a1[j]);
        }
    }
    for (int j = 0; j < n; j++) out[(size_t)j * ldy] = ck_hsum8(_mm256_add_ps(a0[j], a1[j]));
}

// rows [r0, r1) against a tile of N vectors, for constant type T and tile size N
#define CK_ROWS(T, N) CK_AVX2 static void rows_##T##_##N(const uint8_t *w, int nb, int r0, int r1, \
        const float *x, int ldx, float *y, int ldy) { \
    const int bb = T == CK_Q4_1 ? 20 : 34; \
    for (int r = r0; r < r1; r++) row_tile_avx2(T, w + (size_t)r * nb * bb, nb, x, ldx, N, y + r, ldy); \
}
CK_ROWS(CK_Q4_1, 1) CK_ROWS(CK_Q4_1, 2) CK_ROWS(CK_Q4_1, 3) CK_ROWS(CK_Q4_1, 4)
CK_ROWS(CK_Q8_0, 1) CK_ROWS(CK_Q8_0, 2) CK_ROWS(CK_Q8_0, 3) CK_ROWS(CK_Q8_0, 4)

CK_AVX2 static void matmul_avx2(int type, const uint8_t *w, int cols, int r0, int r1,
                                const float *x, int ldx, int n, float *y, int ldy) {
    typedef void (*rows_fn)(const uint8_t *, int, int, int, const float *, int, float *, int);
    static const rows_fn q4[4] = {rows_CK_Q4_1_1, rows_CK_Q4_1_2, rows_CK_Q4_1_3, rows_CK_Q4_1_4};
    static const rows_fn q8[4] = {rows_CK_Q8_0_1, rows_CK_Q8_0_2, rows_CK_Q8_0_3, rows_CK_Q8_0_4};
    int nb = cols / 32;
    for (int j0 = 0; j0 < n; j0 += 4) {
        int tile = n - j0 < 4 ? n - j0 : 4;
        rows_fn f = (type == CK_Q4_1 ? q4 : q8)[tile - 1];
        f(w, nb, r0, r1, x + (size_t)j0 * ldx, ldx, y + (size_t)j0 * ldy, ldy);
    }
}

// MARK: - AVX-512 (F, BW, VL): a block is two 16-lane vectors; the nibbles of 16 bytes widen once

CK_AVX512 CK_INLINE void dequant_avx512(const int type, const uint8_t *blk, __m512 *w) {
    if (type == CK_Q4_1) {
        __m512 d = _mm512_set1_ps(_cvtsh_ss(load_u16(blk)));
        __m512 m = _mm512_set1_ps(_cvtsh_ss(load_u16(blk + 2)));
        __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(blk + 4)));
        __m512i lo = _mm512_and_si512(bytes, _mm512_set1_epi32(0x0F));  // elements 0-15
        __m512i hi = _mm512_srli_epi32(bytes, 4);                       // elements 16-31
        w[0] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(lo), d, m);
        w[1] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(hi), d, m);
    } else {
        __m512 d = _mm512_set1_ps(_cvtsh_ss(load_u16(blk)));
        w[0] = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(blk + 2)))), d);
        w[1] = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(blk + 18)))), d);
    }
}

CK_AVX512 CK_INLINE void row_tile_avx512(const int type, const uint8_t *row, int nb,
                                         const float *x, int ldx, const int n, float *out, int ldy) {
    const int bb = type == CK_Q4_1 ? 20 : 34;
    __m512 a0[8], a1[8];
    for (int j = 0; j < n; j++) { a0[j] = _mm512_setzero_ps(); a1[j] = _mm512_setzero_ps(); }
    __m512 w[2];
    for (int b = 0; b < nb; b++) {
        dequant_avx512(type, row + (size_t)b * bb, w);
        for (int j = 0; j < n; j++) {
            const float *xb = x + (size_t)j * ldx + b * 32;
            a0[j] = _mm512_fmadd_ps(w[0], _mm512_loadu_ps(xb), a0[j]);
            a1[j] = _mm512_fmadd_ps(w[1], _mm512_loadu_ps(xb + 16), a1[j]);
        }
    }
    for (int j = 0; j < n; j++) out[(size_t)j * ldy] = _mm512_reduce_add_ps(_mm512_add_ps(a0[j], a1[j]));
}

#define CK_ROWS512(T, N) CK_AVX512 static void rows512_##T##_##N(const uint8_t *w, int nb, int r0, int r1, \
        const float *x, int ldx, float *y, int ldy) { \
    const int bb = T == CK_Q4_1 ? 20 : 34; \
    for (int r = r0; r < r1; r++) row_tile_avx512(T, w + (size_t)r * nb * bb, nb, x, ldx, N, y + r, ldy); \
}
CK_ROWS512(CK_Q4_1, 1) CK_ROWS512(CK_Q4_1, 2) CK_ROWS512(CK_Q4_1, 3) CK_ROWS512(CK_Q4_1, 4)
CK_ROWS512(CK_Q8_0, 1) CK_ROWS512(CK_Q8_0, 2) CK_ROWS512(CK_Q8_0, 3) CK_ROWS512(CK_Q8_0, 4)
CK_ROWS512(CK_Q4_1, 5) CK_ROWS512(CK_Q4_1, 6) CK_ROWS512(CK_Q4_1, 7) CK_ROWS512(CK_Q4_1, 8)
CK_ROWS512(CK_Q8_0, 5) CK_ROWS512(CK_Q8_0, 6) CK_ROWS512(CK_Q8_0, 7) CK_ROWS512(CK_Q8_0, 8)

CK_AVX512 static void matmul_avx512(int type, const uint8_t *w, int cols, int r0, int r1,
                                    const float *x, int ldx, int n, float *y, int ldy) {
    typedef void (*rows_fn)(const uint8_t *, int, int, int, const float *, int, float *, int);
    // tiles of up to 8 vectors: 16 accumulators + 2 weight vectors fit the 32 zmm registers
    static const rows_fn q4[8] = {rows512_CK_Q4_1_1, rows512_CK_Q4_1_2, rows512_CK_Q4_1_3, rows512_CK_Q4_1_4,
                                  rows512_CK_Q4_1_5, rows512_CK_Q4_1_6, rows512_CK_Q4_1_7, rows512_CK_Q4_1_8};
    static const rows_fn q8[8] = {rows512_CK_Q8_0_1, rows512_CK_Q8_0_2, rows512_CK_Q8_0_3, rows512_CK_Q8_0_4,
                                  rows512_CK_Q8_0_5, rows512_CK_Q8_0_6, rows512_CK_Q8_0_7, rows512_CK_Q8_0_8};
    int nb = cols / 32;
    for (int j0 = 0; j0 < n; j0 += 8) {
        int tile = n - j0 < 8 ? n - j0 : 8;
        rows_fn f = (type == CK_Q4_1 ? q4 : q8)[tile - 1];
        f(w, nb, r0, r1, x + (size_t)j0 * ldx, ldx, y + (size_t)j0 * ldy, ldy);
    }
}

static int ck_avx512_available(void) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("f16c") && __builtin_cpu_supports("fma");
}

CK_AVX2 static void dequantize_avx2(int type, const uint8_t *w, int cols, int r0, int r1, float *out) {
    int nb = cols / 32, bb = block_bytes(type);
    __m256 v[4];
    for (int r = r0; r < r1; r++) {
        for (int b = 0; b < nb; b++) {
            dequant_avx2(type, w + ((size_t)r * nb + b) * bb, v);
            float *o = out + (size_t)(r - r0) * cols + b * 32;
            for (int k = 0; k < 4; k++) _mm256_storeu_ps(o + 8 * k, v[k]);
        }
    }
}
#endif

// MARK: - attention of one position

// the key (or value) row of combined position t, in the prefix or the stream's own segment
static inline const float *seg_row(const float *a1, int n1, const float *a2, int ld, int t) {
    return t < n1 ? a1 + (size_t)t * ld : a2 + (size_t)(t - n1) * ld;
}

static void attention_row_plain(const float *q, int heads, int hs, int ld, const float *k1, const float *v1, int n1,
                                const float *k2, const float *v2, int count, float scale, float *scores, float *out) {
    for (int h = 0; h < heads; h++) {
        const float *qh = q + (size_t)h * hs;
        float *sh = scores + (size_t)h * count;
        float max = -INFINITY;
        for (int t = 0; t < count; t++) {
            const float *kt = seg_row(k1, n1, k2, ld, t);
            float s = 0;
            for (int i = 0; i < hs; i++) s += qh[i] * kt[i];
            sh[t] = s * scale;
            if (sh[t] > max) max = sh[t];
        }
        float sum = 0;
        for (int t = 0; t < count; t++) { sh[t] = expf(sh[t] - max); sum += sh[t]; }
        float *oh = out + (size_t)h * hs;
        for (int i = 0; i < hs; i++) oh[i] = 0;
        for (int t = 0; t < count; t++) {
            const float *vt = seg_row(v1, n1, v2, ld, t);
            float a = sh[t] / sum;
            for (int i = 0; i < hs; i++) oh[i] += a * vt[i];
        }
    }
}

#ifdef CK_HAVE_X86
// four horizontal sums at once: lane i of the result is the sum of a_i
CK_AVX2 static inline __m128 hsum4(__m256 a0, __m256 a1, __m256 a2, __m256 a3) {
    __m256 s = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
    return _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
}

// the same computation with 8-lane vectors, for hs a multiple of 8 up to 64: scores four keys at
// a time, then the weighted sum of values with the whole output head held in registers
CK_AVX2 static void attention_row_avx2(const float *q, int heads, int hs, int ld, const float *k1, const float *v1, int n1,
                                       const float *k2, const float *v2, int count, float scale, float *scores, float *out) {
    const int chunks = hs / 8;
    for (int h = 0; h < heads; h++) {
        const float *qh = q + (size_t)h * hs;
        float *sh = scores + (size_t)h * count;
        __m256 qv[8];
        for (int c = 0; c < chunks; c++) qv[c] = _mm256_loadu_ps(qh + 8 * c);
        int t = 0;
        for (; t + 4 <= count; t += 4) {
            __m256 a[4];
            for (int u = 0; u < 4; u++) {
                const float *kt = seg_row(k1, n1, k2, ld, t + u);
                a[u] = _mm256_mul_ps(qv[0], _mm256_loadu_ps(kt));
                for (int c = 1; c < chunks; c++) a[u] = _mm256_fmadd_ps(qv[c], _mm256_loadu_ps(kt + 8 * c), a[u]);
            }
            _mm_storeu_ps(sh + t, _mm_mul_ps(hsum4(a[0], a[1], a[2], a[3]), _mm_set1_ps(scale)));
        }
        for (; t < count; t++) {
            const float *kt = seg_row(k1, n1, k2, ld, t);
            __m256 a = _mm256_mul_ps(qv[0], _mm256_loadu_ps(kt));
            for (int c = 1; c < chunks; c++) a = _mm256_fmadd_ps(qv[c], _mm256_loadu_ps(kt + 8 * c), a);
            sh[t] = ck_hsum8(a) * scale;
        }
        // normalised weights with the vectorised exp (libm's expf per position was slower than the
        // dot products that made the scores)
        ck_softmax(sh, count);
        __m256 acc[8];
        for (int c = 0; c < chunks; c++) acc[c] = _mm256_setzero_ps();
        for (t = 0; t < count; t++) {
            __m256 p = _mm256_set1_ps(sh[t]);
            const float *vt = seg_row(v1, n1, v2, ld, t);
            for (int c = 0; c < chunks; c++) acc[c] = _mm256_fmadd_ps(p, _mm256_loadu_ps(vt + 8 * c), acc[c]);
        }
        for (int c = 0; c < chunks; c++) _mm256_storeu_ps(out + (size_t)h * hs + 8 * c, acc[c]);
    }
}
#endif

int ck_attention_row_path(int path, const float *q, int heads, int hs, int ld, const float *k1, const float *v1,
                          int n1, const float *k2, const float *v2, int n2, float scale, float *scores, float *out) {
    int count = n1 + n2;
    if (count <= 0 || path < 0 || path > ck_best_path()) return -1;
#ifdef CK_HAVE_X86
    if (path >= CK_PATH_AVX2 && hs % 8 == 0 && hs <= 64) {
        attention_row_avx2(q, heads, hs, ld, k1, v1, n1, k2, v2, count, scale, scores, out);
        return 0;
    }
#endif
    attention_row_plain(q, heads, hs, ld, k1, v1, n1, k2, v2, count, scale, scores, out);
    return 0;
}

void ck_attention_row(const float *q, int heads, int hs, int ld, const float *k1, const float *v1, int n1,
                      const float *k2, const float *v2, int n2, float scale, float *scores, float *out) {
    ck_attention_row_path(ck_best_path(), q, heads, hs, ld, k1, v1, n1, k2, v2, n2, scale, scores, out);
}

// MARK: - dispatch

int ck_simd_available(void) {
#ifdef CK_HAVE_X86
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#else
    return 0;
#endif
}

int ck_best_path(void) {
#ifdef CK_HAVE_X86
    if (ck_avx512_available()) return CK_PATH_AVX512;
    if (ck_simd_available()) return CK_PATH_AVX2;
#endif
    return CK_PATH_PLAIN;
}

int ck_matmul_path(int path, int type, const void *w, int cols, int r0, int r1,
                   const float *x, int ldx, int n, float *y, int ldy) {
    if (block_bytes(type) == 0 || path > ck_best_path() || path < 0) return -1;
#ifdef CK_HAVE_X86
    if (path == CK_PATH_AVX512) {
        matmul_avx512(type, (const uint8_t *)w, cols, r0, r1, x, ldx, n, y, ldy);
        return 0;
    }
    if (path == CK_PATH_AVX2) {
        matmul_avx2(type, (const uint8_t *)w, cols, r0, r1, x, ldx, n, y, ldy);
        return 0;
    }
#endif
    matmul_plain(type, (const uint8_t *)w, cols, r0, r1, x, ldx, n, y, ldy);
    return 0;
}

int ck_matmul(int type, const void *w, int cols, int r0, int r1,
              const float *x, int ldx, int n, float *y, int ldy) {
    return ck_matmul_path(ck_best_path(), type, w, cols, r0, r1, x, ldx, n, y, ldy);
}

int ck_dequantize_rows(int type, const void *w, int cols, int r0, int r1, float *out) {
    int bb = block_bytes(type);
    if (bb == 0) return -1;
#ifdef CK_HAVE_X86
    if (ck_simd_available()) {
        dequantize_avx2(type, (const uint8_t *)w, cols, r0, r1, out);
        return 0;
    }
#endif
    int nb = cols / 32;
    for (int r = r0; r < r1; r++)
        for (int b = 0; b < nb; b++)
            dequant_block(type, (const uint8_t *)w + ((size_t)r * nb + b) * bb, out + (size_t)(r - r0) * cols + b * 32);
    return 0;
}
