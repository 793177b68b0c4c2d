// Integer products of int8 activations with repacked Q4_1 / Q8_0 weights (layout in
// ckernels_int8.h): plain C, AVX2 (vpmaddubsw, vpmaddwd) and AVX-512 VNNI (vpdpbusd), chosen at
// run time. Every path computes the same integer sums; only the order of the float scaling differs.
#include "ckernels_int8.h"
#include "ckernels.h"
#include "ck_common.h"
#include <math.h>

#define GROUP 8
#define Q4_1_GROUP_BYTES 160  // 4 chunks x 8 rows x 4 bytes, d[8], m[8]
#define Q8_0_GROUP_BYTES 272  // 8 chunks x 8 rows x 4 bytes, d[8]
// activation rows taken together against one group of weight rows
#define TILE 4

static int group_bytes(int type) {
    return type == CK_Q4_1 ? Q4_1_GROUP_BYTES : type == CK_Q8_0 ? Q8_0_GROUP_BYTES : 0;
}

// MARK: - packing

size_t ck_int8_packed_bytes(int type, int rows, int cols) {
    int gb = group_bytes(type);
    if (gb == 0 || rows <= 0 || cols <= 0 || cols % 32) return 0;
    return (size_t)((rows + GROUP - 1) / GROUP) * (size_t)(cols / 32) * (size_t)gb;
}

int ck_int8_pack(int type, const void *w, int rows, int cols, void *packed) {
    int gb = group_bytes(type);
    if (gb == 0 || cols % 32) return -1;
    const int nb = cols / 32, bb = type == CK_Q4_1 ? 20 : 34, chunks = type == CK_Q4_1 ? 4 : 8;
    const int qs = type == CK_Q4_1 ? 4 : 2;  // offset of the quants in a GGML block
    const int groups = (rows + GROUP - 1) / GROUP;
    uint8_t *out = packed;
    for (int g = 0; g < groups; g++) {
        for (int b = 0; b < nb; b++, out += gb) {
            memset(out, 0, (size_t)gb);
            for (int i = 0; i < GROUP && g * GROUP + i < rows; i++) {
                const uint8_t *blk = (const uint8_t *)w + ((size_t)(g * GROUP + i) * nb + b) * bb;
                for (int t = 0; t < chunks; t++) memcpy(out + (t * GROUP + i) * 4, blk + qs + 4 * t, 4);
                uint8_t *scales = out + chunks * GROUP * 4;
                memcpy(scales + 2 * i, blk, 2);                                     // d
                if (type == CK_Q4_1) memcpy(scales + 2 * GROUP + 2 * i, blk + 2, 2);  // m
            }
        }
    }
    return 0;
}

// MARK: - plain C

static void quantize_plain(const float *x, int ldx, int n, int cols, int8_t *q, float *d, float *s) {
    const int nb = cols / 32;
    for (int j = 0; j < n; j++) {
        for (int b = 0; b < nb; b++) {
            const float *xb = x + (size_t)j * ldx + b * 32;
            float amax = 0;
            for (int k = 0; k < 32; k++) amax = fmaxf(amax, fabsf(xb[k]));
            const float scale = amax / 127.0f, inverse = scale != 0 ? 1.0f / scale : 0.0f;
            int sum = 0;
            int8_t *qb = q + (size_t)j * cols + b * 32;
            for (int k = 0; k < 32; k++) {
                float v = nearbyintf(xb[k] * inverse);  // round half to even, as cvtps2dq
                int i = v >= 127 ? 127 : v >= -127 ? (int)v : -127;  // NaN to -127, as the SIMD clamp
                qb[k] = (int8_t)i;
                sum += i;
            }
            d[(size_t)j * nb + b] = scale;
            s[(size_t)j * nb + b] = scale * (float)sum;
        }
    }
}

// one group of 8 weight rows against activation row j: out[i] for row i of the group
static void group_row_plain(int type, const uint8_t *grp, int nb, const int8_t *q, const float *d,
                            const float *s, float *out) {
    for (int i = 0; i < GROUP; i++) out[i] = 0;
    for (int b = 0; b < nb; b++) {
        const int8_t *xb = q + b * 32;
        if (type == CK_Q4_1) {
            const uint8_t *blk = grp + (size_t)b * Q4_1_GROUP_BYTES;
            for (int i = 0; i < GROUP; i++) {
                int sum = 0;
                for (int t = 0; t < 4; t++) {
                    for (int k = 0; k < 4; k++) {
                        uint8_t byte = blk[(t * GROUP + i) * 4 + k];
                        sum += (byte & 0x0F) * xb[4 * t + k] + (byte >> 4) * xb[16 + 4 * t + k];
                    }
                }
                float dw = half_to_float(load_u16(blk + 128 + 2 * i)), mw = half_to_float(load_u16(blk + 144 + 2 * i));
                out[i] += (float)sum * (dw * d[b]) + mw * s[b];
            }
        } else {
            const uint8_t *blk = grp + (size_t)b * Q8_0_GROUP_BYTES;
            for (int i = 0; i < GROUP; i++) {
                int sum = 0;
                for (int t = 0; t < 8; t++)
                    for (int k = 0; k < 4; k++) sum += (int8_t)blk[(t * GROUP + i) * 4 + k] * xb[4 * t + k];
                out[i] += (float)sum * (half_to_float(load_u16(blk + 256 + 2 * i)) * d[b]);
            }
        }
    }
}

static void matmul_plain(int type, const uint8_t *packed, int rows, int cols, int g0, int g1,
                         const int8_t *q, const float *d, const float *s, int n, float *y, int ldy) {
    const int nb = cols / 32;
    const size_t stride = (size_t)nb * group_bytes(type);
    float out[GROUP];
    for (int g = g0; g < g1; g++) {
        int valid = rows - g * GROUP < GROUP ? rows - g * GROUP : GROUP;
        for (int j = 0; j < n; j++) {
            group_row_plain(type, packed + g * stride, nb, q + (size_t)j * cols, d + (size_t)j * nb,
                            s + (size_t)j * nb, out);
            memcpy(y + (size_t)j * ldy + g * GROUP, out, sizeof(float) * (size_t)valid);
        }
    }
}

// MARK: - AVX2 and AVX-512 VNNI

#ifdef CK_HAVE_X86
#define CK_VNNI __attribute__((target("avx512vnni,avx512f,avx512bw,avx512vl,avx2,fma,f16c")))

CK_AVX2 static inline int hsum_i32(__m256i v) {
    __m128i a = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    a = _mm_add_epi32(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(1, 0, 3, 2)));
    a = _mm_add_epi32(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(a);
}

// the plain path's arithmetic, 8 lanes at a time: identical scale, quants and sum
CK_AVX2 static void quantize_avx2(const float *x, int ldx, int n, int cols, int8_t *q, float *d, float *s) {
    const int nb = cols / 32;
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (int j = 0; j < n; j++) {
        for (int b = 0; b < nb; b++) {
            const float *xb = x + (size_t)j * ldx + b * 32;
            __m256 v[4];
            for (int k = 0; k < 4; k++) v[k] = _mm256_loadu_ps(xb + 8 * k);
            __m256 m = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign, v[0]), _mm256_andnot_ps(sign, v[1])),
                                     _mm256_max_ps(_mm256_andnot_ps(sign, v[2]), _mm256_andnot_ps(sign, v[3])));
            const float scale = ck_hmax8(m) / 127.0f, inverse = scale != 0 ? 1.0f / scale : 0.0f;
            const __m256 iv = _mm256_set1_ps(inverse);
            const __m256i lo = _mm256_set1_epi32(-127), hi = _mm256_set1_epi32(127);
            __m256i i[4];
            for (int k = 0; k < 4; k++)
                i[k] = _mm256_min_epi32(hi, _mm256_max_epi32(lo, _mm256_cvtps_epi32(_mm256_mul_ps(v[k], iv))));
            int sum = hsum_i32(_mm256_add_epi32(_mm256_add_epi32(i[0], i[1]), _mm256_add_epi32(i[2], i[3])));
            // packs work within 128-bit lanes; the permutation puts the 32 bytes back in order
            __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(i[0], i[1]), _mm256_packs_epi32(i[2], i[3]));
            _mm256_storeu_si256((__m256i *)(q + (size_t)j * cols + b * 32), _mm256_permutevar8x32_epi32(bytes, order));
            d[(size_t)j * nb + b] = scale;
            s[(size_t)j * nb + b] = scale * (float)sum;
        }
    }
}

// four int8 activations as one 32-bit value in every lane
CK_AVX2 static inline __m256i broadcast4(const int8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

// One group of 8 weight rows against J activation rows (J constant after inlining): lane i of
// out[j] is row i's product with activation row j. The integer sum of each block is built in
// `p`, then scaled into the float accumulator.
//   Q4_1, AVX2: 8 vpmaddubsw (nibble x int8, pairs <= 2 * 15 * 127) summed in int16 (<= 30480,
//   no saturation), one vpmaddwd to int32. Q8_0, AVX2: the sign trick (|w| unsigned, x signed by
//   w's sign; pairs <= 2 * 128 * 127), each vpmaddubsw widened by vpmaddwd at once.
//   VNNI: vpdpbusd accumulates the same products straight into int32.
#define GROUP_TILE(NAME, ATTR, VNNI)                                                                      \
    ATTR CK_INLINE void NAME(const int type, const uint8_t *grp, int nb, const int8_t *q, int ldq,         \
                             const float *d, const float *s, int ldd, const int J, __m256 *out) {         \
        const __m256i mask = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1);                        \
        __m256 acc[TILE];                                                                               \
        for (int j = 0; j < J; j++) acc[j] = _mm256_setzero_ps();                                       \
        for (int b = 0; b < nb; b++) {                                                                  \
            __m256i p[TILE];                                                                            \
            for (int j = 0; j < J; j++) p[j] = _mm256_setzero_si256();                                  \
            const uint8_t *blk;                                                                         \
            if (type == CK_Q4_1) {                                                                      \
                blk = grp + (size_t)b * Q4_1_GROUP_BYTES;                                               \
                for (int t = 0; t < 4; t++) {                                                           \
                    __m256i w = _mm256_loadu_si256((const __m256i *)(blk + 32 * t));                     \
                    __m256i lo = _mm256_and_si256(w, mask);                                             \
                    __m256i hi = _mm256_and_si256(_mm256_srli_epi16(w, 4), mask);                       \
                    for (int j = 0; j < J; j++) {                                                       \
                        const int8_t *xb = q + (size_t)j * ldq + b * 32;                                \
                        if (VNNI) {                                                                     \
                            p[j] = DPBUSD(p[j], lo, broadcast4(xb + 4 * t));                            \
                            p[j] = DPBUSD(p[j], hi, broadcast4(xb + 16 + 4 * t));                       \
                        } else {                                                                        \
                            p[j] = _mm256_add_epi16(p[j], _mm256_maddubs_epi16(lo, broadcast4(xb + 4 * t))); \
                            p[j] = _mm256_add_epi16(p[j], _mm256_maddubs_epi16(hi, broadcast4(xb + 16 + 4 * t))); \
                        }                                                                               \
                    }                                                                                   \
                }                                                                                       \
                if (!VNNI)                                                                              \
                    for (int j = 0; j < J; j++) p[j] = _mm256_madd_epi16(p[j], ones);                   \
            } else {                                                                                    \
                blk = grp + (size_t)b * Q8_0_GROUP_BYTES;                                               \
                for (int t = 0; t < 8; t++) {                                                           \
                    __m256i w = _mm256_loadu_si256((const __m256i *)(blk + 32 * t));                     \
                    __m256i magnitude = _mm256_sign_epi8(w, w);                                         \
                    for (int j = 0; j < J; j++) {                                                       \
                        __m256i x = _mm256_sign_epi8(broadcast4(q + (size_t)j * ldq + b * 32 + 4 * t), w); \
                        if (VNNI) p[j] = DPBUSD(p[j], magnitude, x);                                    \
                        else p[j] = _mm256_add_epi32(p[j], _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, x), ones)); \
                    }                                                                                   \
                }                                                                                       \
            }                                                                                           \
            const int scales = type == CK_Q4_1 ? 128 : 256;                                             \
            __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(blk + scales)));              \
            for (int j = 0; j < J; j++) {                                                               \
                __m256 scale = _mm256_mul_ps(dw, _mm256_set1_ps(d[(size_t)j * ldd + b]));              \
                acc[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p[j]), scale, acc[j]);                      \
            }                                                                                           \
            if (type == CK_Q4_1) {                                                                      \
                __m256 mw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(blk + 144)));             \
                for (int j = 0; j < J; j++)                                                             \
                    acc[j] = _mm256_fmadd_ps(mw, _mm256_set1_ps(s[(size_t)j * ldd + b]), acc[j]);       \
            }                                                                                           \
        }                                                                                               \
        for (int j = 0; j < J; j++) out[j] = acc[j];                                                    \
    }

#define DPBUSD(acc, u, v) (acc)  // unused on the AVX2 path
GROUP_TILE(group_tile_avx2, CK_AVX2, 0)
#undef DPBUSD
#define DPBUSD(acc, u, v) _mm256_dpbusd_epi32(acc, u, v)
GROUP_TILE(group_tile_vnni, CK_VNNI, 1)
#undef DPBUSD

// groups [g0, g1) against every activation row, TILE rows at a time, for constant type T
#define GROUPS(NAME, TILE_FN, ATTR, T)                                                                   \
    ATTR static void NAME(const uint8_t *packed, int rows, int cols, int g0, int g1, const int8_t *q,    \
                          const float *d, const float *s, int n, float *y, int ldy) {                    \
        const int nb = cols / 32;                                                                       \
        const size_t stride = (size_t)nb * (T == CK_Q4_1 ? Q4_1_GROUP_BYTES : Q8_0_GROUP_BYTES);        \
        __m256 out[TILE];                                                                               \
        for (int g = g0; g < g1; g++) {                                                                 \
            const uint8_t *grp = packed + g * stride;                                                   \
            const int valid = rows - g * GROUP < GROUP ? rows - g * GROUP : GROUP;                      \
            for (int j0 = 0; j0 < n; j0 += TILE) {                                                      \
                const int count = n - j0 < TILE ? n - j0 : TILE;                                        \
                const int8_t *qj = q + (size_t)j0 * cols;                                               \
                const float *dj = d + (size_t)j0 * nb, *sj = s + (size_t)j0 * nb;                       \
                switch (count) {                                                                        \
                case 4: TILE_FN(T, grp, nb, qj, cols, dj, sj, nb, 4, out); break;                       \
                case 3: TILE_FN(T, grp, nb, qj, cols, dj, sj, nb, 3, out); break;                       \
                case 2: TILE_FN(T, grp, nb, qj, cols, dj, sj, nb, 2, out); break;                       \
                default: TILE_FN(T, grp, nb, qj, cols, dj, sj, nb, 1, out); break;                      \
                }                                                                                       \
                for (int j = 0; j < count; j++) {                                                       \
                    float *row = y + (size_t)(j0 + j) * ldy + g * GROUP;                                \
                    if (valid == GROUP) {                                                               \
                        _mm256_storeu_ps(row, out[j]);                                                  \
                    } else {                                                                            \
                        float tmp[GROUP];                                                               \
                        _mm256_storeu_ps(tmp, out[j]);                                                  \
                        memcpy(row, tmp, sizeof(float) * (size_t)valid);                                \
                    }                                                                                   \
                }                                                                                       \
            }                                                                                           \
        }                                                                                               \
    }

GROUPS(groups_q4_1_avx2, group_tile_avx2, CK_AVX2, CK_Q4_1)
GROUPS(groups_q8_0_avx2, group_tile_avx2, CK_AVX2, CK_Q8_0)
GROUPS(groups_q4_1_vnni, group_tile_vnni, CK_VNNI, CK_Q4_1)
GROUPS(groups_q8_0_vnni, group_tile_vnni, CK_VNNI, CK_Q8_0)

static int vnni_available(void) {
    return __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512f") && ck_simd_available();
}
#endif

// MARK: - dispatch

int ck_int8_best_path(void) {
#ifdef CK_HAVE_X86
    if (vnni_available()) return CK_INT8_AVX512_VNNI;
    if (ck_simd_available()) return CK_INT8_AVX2;
#endif
    return CK_INT8_PLAIN;
}

int ck_int8_quantize_path(int path, const float *x, int ldx, int n, int cols, int8_t *q, float *d, float *s) {
    if (path < 0 || path > ck_int8_best_path() || cols % 32) return -1;
#ifdef CK_HAVE_X86
    if (path >= CK_INT8_AVX2) {
        quantize_avx2(x, ldx, n, cols, q, d, s);
        return 0;
    }
#endif
    quantize_plain(x, ldx, n, cols, q, d, s);
    return 0;
}

void ck_int8_quantize(const float *x, int ldx, int n, int cols, int8_t *q, float *d, float *s) {
    ck_int8_quantize_path(ck_int8_best_path(), x, ldx, n, cols, q, d, s);
}

int ck_int8_matmul_path(int path, int type, const void *packed, int rows, int cols, int g0, int g1,
                        const int8_t *q, const float *d, const float *s, int n, float *y, int ldy) {
    if (group_bytes(type) == 0 || path < 0 || path > ck_int8_best_path() || cols % 32) return -1;
    const uint8_t *w = packed;
#ifdef CK_HAVE_X86
    if (path == CK_INT8_AVX512_VNNI) {
        (type == CK_Q4_1 ? groups_q4_1_vnni : groups_q8_0_vnni)(w, rows, cols, g0, g1, q, d, s, n, y, ldy);
        return 0;
    }
    if (path == CK_INT8_AVX2) {
        (type == CK_Q4_1 ? groups_q4_1_avx2 : groups_q8_0_avx2)(w, rows, cols, g0, g1, q, d, s, n, y, ldy);
        return 0;
    }
#endif
    matmul_plain(type, w, rows, cols, g0, g1, q, d, s, n, y, ldy);
    return 0;
}

int ck_int8_matmul(int type, const void *packed, int rows, int cols, int g0, int g1,
                   const int8_t *q, const float *d, const float *s, int n, float *y, int ldy) {
    return ck_int8_matmul_path(ck_int8_best_path(), type, packed, rows, cols, g0, g1, q, d, s, n, y, ldy);
}
