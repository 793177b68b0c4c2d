// Causal attention of a block of prompt rows, one key/value head at a time, over tiles of 64
// positions with a running maximum and sum per row (the online softmax of FlashAttention).
//
// The untiled form multiplies every row by every position (masked half included), writes the
// rows × positions scores to memory, reads them back for the softmax and again for the values:
// for a 1,000-token prompt that was 1.7 s of a 3.0 s pass. Here a tile's scores (96 × 64 floats)
// stay in L1, tiles past the last row's horizon are never computed, and the products are small
// register-blocked FMA loops that need no BLAS call per tile.
#include "ckernels.h"
#include "ck_common.h"
#include <math.h>

enum { TILE = 64 };

#if defined(__clang__) || defined(__GNUC__)
#define CK_BODY __attribute__((always_inline)) static inline
#else
#define CK_BODY static inline
#endif

size_t ck_attention_block_scratch(int rows, int heads, int hs) {
    size_t r = (size_t)rows * heads;
    // packed queries, output accumulators, one tile of scores, one transposed tile of keys, max, sum
    return r * hs * 2 + r * TILE + (size_t)hs * TILE + r * 2;
}

// MARK: - the three per-tile steps, plain C

// s[r][t] = Σ_d q[r][d] kt[d][t] for t < width (kt: hs rows of TILE)
static void scores_plain(const float *q, int count, int hs, const float *kt, int width, float *s) {
    for (int r = 0; r < count; r++)
        for (int t = 0; t < width; t++) {
            float a = 0;
            for (int d = 0; d < hs; d++) a += q[(size_t)r * hs + d] * kt[(size_t)d * TILE + t];
            s[(size_t)r * TILE + t] = a;
        }
}

// x[t] = exp(x[t] - shift) for t < n, returning their sum
static float exp_sum_plain(float *x, int n, float shift) {
    float sum = 0;
    for (int t = 0; t < n; t++) { x[t] = expf(x[t] - shift); sum += x[t]; }
    return sum;
}

// o[r][:] += Σ_{t < width} p[r][t] v[t][:]
static void accumulate_plain(const float *p, int count, const float *v, int ldv, int width, float *o, int hs) {
    for (int r = 0; r < count; r++)
        for (int t = 0; t < width; t++) {
            float w = p[(size_t)r * TILE + t];
            if (w == 0) continue;
            for (int d = 0; d < hs; d++) o[(size_t)r * hs + d] += w * v[(size_t)t * ldv + d];
        }
}

// MARK: - the same steps with AVX2 + FMA (hs a multiple of 8; widths padded to 16)

#ifdef CK_HAVE_X86
// four rows × sixteen positions per block: per d, two loads of keys feed eight FMAs
CK_AVX2 static void scores_avx2(const float *q, int count, int hs, const float *kt, int width, float *s) {
    int r = 0;
    for (; r + 4 <= count; r += 4) {
        for (int t = 0; t < width; t += 16) {
            __m256 a[4][2];
            for (int i = 0; i < 4; i++) a[i][0] = a[i][1] = _mm256_setzero_ps();
            for (int d = 0; d < hs; d++) {
                __m256 k0 = _mm256_loadu_ps(kt + (size_t)d * TILE + t);
                __m256 k1 = _mm256_loadu_ps(kt + (size_t)d * TILE + t + 8);
                for (int i = 0; i < 4; i++) {
                    __m256 b = _mm256_broadcast_ss(q + (size_t)(r + i) * hs + d);
                    a[i][0] = _mm256_fmadd_ps(b, k0, a[i][0]);
                    a[i][1] = _mm256_fmadd_ps(b, k1, a[i][1]);
                }
            }
            for (int i = 0; i < 4; i++) {
                _mm256_storeu_ps(s + (size_t)(r + i) * TILE + t, a[i][0]);
                _mm256_storeu_ps(s + (size_t)(r + i) * TILE + t + 8, a[i][1]);
            }
        }
    }
    for (; r < count; r++) {
        for (int t = 0; t < width; t += 16) {
            __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
            for (int d = 0; d < hs; d++) {
                __m256 b = _mm256_broadcast_ss(q + (size_t)r * hs + d);
                a0 = _mm256_fmadd_ps(b, _mm256_loadu_ps(kt + (size_t)d * TILE + t), a0);
                a1 = _mm256_fmadd_ps(b, _mm256_loadu_ps(kt + (size_t)d * TILE + t + 8), a1);
            }
            _mm256_storeu_ps(s + (size_t)r * TILE + t, a0);
            _mm256_storeu_ps(s + (size_t)r * TILE + t + 8, a1);
        }
    }
}

// kt[d][t] = k[t][d] for t < width (zero up to padded), eight positions × eight dimensions at a time
CK_AVX2 static void pack_keys_avx2(const float *k, int ldk, int width, int padded, int hs, float *kt) {
    int t = 0;
    for (; t + 8 <= width; t += 8) {
        for (int d = 0; d < hs; d += 8) {
            __m256 r[8], u[8];
            for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(k + (size_t)(t + i) * ldk + d);
            for (int i = 0; i < 8; i += 2) {
                u[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
                u[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
            }
            __m256 w[8];
            w[0] = _mm256_shuffle_ps(u[0], u[2], 0x44); w[1] = _mm256_shuffle_ps(u[0], u[2], 0xEE);
            w[2] = _mm256_shuffle_ps(u[1], u[3], 0x44); w[3] = _mm256_shuffle_ps(u[1], u[3], 0xEE);
            w[4] = _mm256_shuffle_ps(u[4], u[6], 0x44); w[5] = _mm256_shuffle_ps(u[4], u[6], 0xEE);
            w[6] = _mm256_shuffle_ps(u[5], u[7], 0x44); w[7] = _mm256_shuffle_ps(u[5], u[7], 0xEE);
            for (int i = 0; i < 4; i++) {
                // dimension d + i from the low halves, d + 4 + i from the high halves
                _mm256_storeu_ps(kt + (size_t)(d + i) * TILE + t, _mm256_permute2f128_ps(w[i], w[i + 4], 0x20));
                _mm256_storeu_ps(kt + (size_t)(d + 4 + i) * TILE + t, _mm256_permute2f128_ps(w[i], w[i + 4], 0x31));
            }
        }
    }
    for (int d = 0; d < hs; d++) {
        float *row = kt + (size_t)d * TILE;
        for (int u = t; u < width; u++) row[u] = k[(size_t)u * ldk + d];
        for (int u = width; u < padded; u++) row[u] = 0;
    }
}

CK_AVX2 static float max_avx2(const float *x, int n, float start) {
    __m256 m = _mm256_set1_ps(start);
    int t = 0;
    for (; t + 8 <= n; t += 8) m = _mm256_max_ps(m, _mm256_loadu_ps(x + t));
    float top = ck_hmax8(m);
    for (; t < n; t++) if (x[t] > top) top = x[t];
    return top;
}

CK_AVX2 static float exp_sum_avx2(float *x, int n, float shift) {
    __m256 m = _mm256_set1_ps(shift), sum = _mm256_setzero_ps();
    int t = 0;
    for (; t + 8 <= n; t += 8) {
        __m256 e = ck_exp_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(x + t), m));
        _mm256_storeu_ps(x + t, e);
        sum = _mm256_add_ps(sum, e);
    }
    float total = ck_hsum8(sum);
    if (t < n) {
        // the tail through the same exp, so every weight is computed alike
        float tail[8];
        int rest = n - t;
        for (int j = 0; j < 8; j++) tail[j] = j < rest ? x[t + j] - shift : -100.0f;
        _mm256_storeu_ps(tail, ck_exp_nonpositive(_mm256_loadu_ps(tail)));
        for (int j = 0; j < rest; j++) { x[t + j] = tail[j]; total += tail[j]; }
    }
    return total;
}

// four rows × 32 output columns per block: per position, four loads of values feed sixteen FMAs
CK_AVX2 static void accumulate_avx2(const float *p, int count, const float *v, int ldv, int width, float *o, int hs) {
    int r = 0;
    for (; r + 4 <= count; r += 4) {
        int c = 0;
        for (; c + 32 <= hs; c += 32) {
            __m256 a[4][4];
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) a[i][j] = _mm256_loadu_ps(o + (size_t)(r + i) * hs + c + 8 * j);
            for (int t = 0; t < width; t++) {
                const float *vt = v + (size_t)t * ldv + c;
                __m256 v0 = _mm256_loadu_ps(vt), v1 = _mm256_loadu_ps(vt + 8);
                __m256 v2 = _mm256_loadu_ps(vt + 16), v3 = _mm256_loadu_ps(vt + 24);
                for (int i = 0; i < 4; i++) {
                    __m256 w = _mm256_broadcast_ss(p + (size_t)(r + i) * TILE + t);
                    a[i][0] = _mm256_fmadd_ps(w, v0, a[i][0]);
                    a[i][1] = _mm256_fmadd_ps(w, v1, a[i][1]);
                    a[i][2] = _mm256_fmadd_ps(w, v2, a[i][2]);
                    a[i][3] = _mm256_fmadd_ps(w, v3, a[i][3]);
                }
            }
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) _mm256_storeu_ps(o + (size_t)(r + i) * hs + c + 8 * j, a[i][j]);
        }
        for (; c < hs; c += 8) {
            __m256 a[4];
            for (int i = 0; i < 4; i++) a[i] = _mm256_loadu_ps(o + (size_t)(r + i) * hs + c);
            for (int t = 0; t < width; t++) {
                __m256 vt = _mm256_loadu_ps(v + (size_t)t * ldv + c);
                for (int i = 0; i < 4; i++)
                    a[i] = _mm256_fmadd_ps(_mm256_broadcast_ss(p + (size_t)(r + i) * TILE + t), vt, a[i]);
            }
            for (int i = 0; i < 4; i++) _mm256_storeu_ps(o + (size_t)(r + i) * hs + c, a[i]);
        }
    }
    for (; r < count; r++) {
        for (int c = 0; c < hs; c += 8) {
            __m256 a = _mm256_loadu_ps(o + (size_t)r * hs + c);
            for (int t = 0; t < width; t++)
                a = _mm256_fmadd_ps(_mm256_broadcast_ss(p + (size_t)r * TILE + t),
                                    _mm256_loadu_ps(v + (size_t)t * ldv + c), a);
            _mm256_storeu_ps(o + (size_t)r * hs + c, a);
        }
    }
}
#endif

// MARK: - the block

// Compiled twice (below): with AVX2 enabled, its own loops (packing, rescaling) vectorise too.
// Causal: row i sees positions [0, first_visible + i); otherwise every row sees [0, first_visible).
// `lse`, when given, receives each query vector's log-sum-exp (its maximum plus the log of its sum).
CK_BODY void attention_block(const int simd, const int causal, const float *q, int rows, int heads, int hs, int ldq,
                            const float *k1, const float *v1, int n1, const float *k2, const float *v2, int n2,
                            int ldkv, int first_visible, float scale, float *scratch, float *out, int ldo,
                            float *lse) {
    const int count = rows * heads;  // query vectors: row i's heads are vectors i*heads ... i*heads + heads - 1
    float *qp = scratch, *o = qp + (size_t)count * hs, *s = o + (size_t)count * hs;
    float *kt = s + (size_t)count * TILE, *max = kt + (size_t)hs * TILE, *sum = max + count;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < heads; j++)
            for (int d = 0; d < hs; d++)
                qp[((size_t)i * heads + j) * hs + d] = q[(size_t)i * ldq + (size_t)j * hs + d] * scale;
    for (size_t x = 0; x < (size_t)count * hs; x++) o[x] = 0;
    for (int r = 0; r < count; r++) { max[r] = -INFINITY; sum[r] = 0; }

    // the last row sees positions [0, horizon); nothing past it is computed
    const int horizon = causal ? first_visible + rows - 1 : first_visible;
    for (int segment = 0; segment < 2; segment++) {
        const float *k = segment ? k2 : k1, *v = segment ? v2 : v1;
        const int n = segment ? n2 : n1, base = segment ? n1 : 0;
        for (int t0 = 0; t0 < n && base + t0 < horizon; t0 += TILE) {
            const int start = base + t0;
            int width = n - t0 < TILE ? n - t0 : TILE;
            if (horizon - start < width) width = horizon - start;
            const int padded = (width + 15) & ~15;
#ifdef CK_HAVE_X86
            if (simd) pack_keys_avx2(k + (size_t)t0 * ldkv, ldkv, width, padded, hs, kt); else
#endif
            for (int d = 0; d < hs; d++) {
                float *row = kt + (size_t)d * TILE;
                for (int t = 0; t < width; t++) row[t] = k[(size_t)(t0 + t) * ldkv + d];
                for (int t = width; t < padded; t++) row[t] = 0;
            }
#ifdef CK_HAVE_X86
            if (simd) scores_avx2(qp, count, hs, kt, padded, s); else
#endif
            scores_plain(qp, count, hs, kt, padded, s);

            for (int r = 0; r < count; r++) {
                float *sr = s + (size_t)r * TILE;
                int visible = first_visible + (causal ? r / heads : 0) - start;
                if (visible > width) visible = width;
                if (visible <= 0) {
                    for (int t = 0; t < padded; t++) sr[t] = 0;
                    continue;
                }
                float top = max[r];
#ifdef CK_HAVE_X86
                if (simd) top = max_avx2(sr, visible, top); else
#endif
                for (int t = 0; t < visible; t++) if (sr[t] > top) top = sr[t];
                float tile_sum;
#ifdef CK_HAVE_X86
                if (simd) tile_sum = exp_sum_avx2(sr, visible, top); else
#endif
                tile_sum = exp_sum_plain(sr, visible, top);
                for (int t = visible; t < padded; t++) sr[t] = 0;
                if (top != max[r]) {
                    // earlier tiles were weighted against a smaller maximum: rescale them
                    float correction = expf(max[r] - top);
                    sum[r] *= correction;
                    for (int d = 0; d < hs; d++) o[(size_t)r * hs + d] *= correction;
                    max[r] = top;
                }
                sum[r] += tile_sum;
            }
#ifdef CK_HAVE_X86
            if (simd) accumulate_avx2(s, count, v + (size_t)t0 * ldkv, ldkv, width, o, hs); else
#endif
            accumulate_plain(s, count, v + (size_t)t0 * ldkv, ldkv, width, o, hs);
        }
    }
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < heads; j++) {
            const size_t r = (size_t)i * heads + j;
            const float inverse = 1.0f / sum[r];
            for (int d = 0; d < hs; d++) out[(size_t)i * ldo + (size_t)j * hs + d] = o[r * hs + d] * inverse;
            if (lse) lse[r] = max[r] + logf(sum[r]);
        }
}

static void attention_block_plain(int causal, const float *q, int rows, int heads, int hs, int ldq, const float *k1,
                                  const float *v1, int n1, const float *k2, const float *v2, int n2, int ldkv,
                                  int first_visible, float scale, float *scratch, float *out, int ldo, float *lse) {
    attention_block(0, causal, q, rows, heads, hs, ldq, k1, v1, n1, k2, v2, n2, ldkv, first_visible, scale, scratch,
                    out, ldo, lse);
}

#ifdef CK_HAVE_X86
CK_AVX2 static void attention_block_avx2(int causal, const float *q, int rows, int heads, int hs, int ldq,
                                         const float *k1, const float *v1, int n1, const float *k2, const float *v2,
                                         int n2, int ldkv, int first_visible, float scale, float *scratch, float *out,
                                         int ldo, float *lse) {
    attention_block(1, causal, q, rows, heads, hs, ldq, k1, v1, n1, k2, v2, n2, ldkv, first_visible, scale, scratch,
                    out, ldo, lse);
}
#endif

// both entry points: checks, then the best of the paths allowed
static int run_block(int path, int causal, const float *q, int rows, int heads, int hs, int ldq,
                     const float *k1, const float *v1, int n1, const float *k2, const float *v2, int n2, int ldkv,
                     int first_visible, float scale, float *scratch, float *out, int ldo, float *lse) {
    if (path < 0 || path > ck_best_path()) return -1;
#ifdef CK_HAVE_X86
    if (path >= CK_PATH_AVX2 && hs % 8 == 0) {
        attention_block_avx2(causal, q, rows, heads, hs, ldq, k1, v1, n1, k2, v2, n2, ldkv, first_visible, scale,
                             scratch, out, ldo, lse);
        return 0;
    }
#endif
    attention_block_plain(causal, q, rows, heads, hs, ldq, k1, v1, n1, k2, v2, n2, ldkv, first_visible, scale,
                          scratch, out, ldo, lse);
    return 0;
}

int ck_attention_block_path(int path, const float *q, int rows, int heads, int hs, int ldq,
                            const float *k1, const float *v1, int n1, const float *k2, const float *v2, int n2,
                            int ldkv, int first_visible, float scale, float *scratch, float *out, int ldo) {
    if (rows < 1 || heads < 1 || hs < 1 || first_visible < 1 || first_visible + rows - 1 > n1 + n2) return -1;
    return run_block(path, 1, q, rows, heads, hs, ldq, k1, v1, n1, k2, v2, n2, ldkv, first_visible, scale, scratch,
                     out, ldo, NULL);
}

int ck_attention_block(const float *q, int rows, int heads, int hs, int ldq,
                       const float *k1, const float *v1, int n1, const float *k2, const float *v2, int n2,
                       int ldkv, int first_visible, float scale, float *scratch, float *out, int ldo) {
    return ck_attention_block_path(ck_best_path(), q, rows, heads, hs, ldq, k1, v1, n1, k2, v2, n2, ldkv,
                                   first_visible, scale, scratch, out, ldo);
}

int ck_attention_segment_path(int path, const float *q, int rows, int heads, int hs, int ldq, const float *k,
                              const float *v, int n, int ldkv, float scale, float *scratch, float *out, int ldo,
                              float *lse) {
    if (rows < 1 || heads < 1 || hs < 1 || n < 1 || !lse) return -1;
    return run_block(path, 0, q, rows, heads, hs, ldq, k, v, n, NULL, NULL, 0, ldkv, n, scale, scratch, out, ldo,
                     lse);
}

int ck_attention_segment(const float *q, int rows, int heads, int hs, int ldq, const float *k, const float *v, int n,
                         int ldkv, float scale, float *scratch, float *out, int ldo, float *lse) {
    return ck_attention_segment_path(ck_best_path(), q, rows, heads, hs, ldq, k, v, n, ldkv, scale, scratch, out,
                                     ldo, lse);
}

void ck_attention_merge(float *a, float *lse_a, const float *b, const float *lse_b, int rows, int heads, int hs,
                        int lda, int ldb) {
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < heads; j++) {
            const int r = i * heads + j;
            const float top = lse_a[r] > lse_b[r] ? lse_a[r] : lse_b[r];
            const float wa = expf(lse_a[r] - top), wb = expf(lse_b[r] - top), inverse = 1.0f / (wa + wb);
            float *x = a + (size_t)i * lda + (size_t)j * hs;
            const float *y = b + (size_t)i * ldb + (size_t)j * hs;
            for (int d = 0; d < hs; d++) x[d] = (wa * x[d] + wb * y[d]) * inverse;
            lse_a[r] = top + logf(wa + wb);
        }
}
