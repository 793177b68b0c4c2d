// SIMD kernels for quantized matrix products with float activations.
//
// Weights are GGML blocks of 32 elements: Q4_1 `{f16 d; f16 m; u8 qs[16]}` (20 bytes) and Q8_0
// `{f16 d; i8 qs[32]}` (34 bytes). A weight matrix has `rows` rows of `cols` elements, row after row.
// Activations stay in float, so results match a float reference to rounding; ckernels_int8.h has the
// integer products with 8-bit activations.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>
#include "ck_softmax.h"
#include "ck_activation.h"

/// GGML type codes accepted by these kernels.
enum { CK_Q4_1 = 3, CK_Q8_0 = 8 };

/// Y[j * ldy + r] = sum_k W[r, k] * X[j * ldx + k] for rows r in [r0, r1) and vectors j in [0, n).
/// `type` is CK_Q4_1 or CK_Q8_0; `cols` is a multiple of 32. Returns 0, or -1 for an unknown type.
int ck_matmul(int type, const void *w, int cols, int r0, int r1,
              const float *x, int ldx, int n, float *y, int ldy);

/// Dequantizes rows [r0, r1) of W into out (row r goes to out + (r - r0) * cols).
int ck_dequantize_rows(int type, const void *w, int cols, int r0, int r1, float *out);

/// Attention of one position for `heads` query heads sharing one key/value head (llama2.c's
/// per-head loop) over two segments of cached positions: a shared prompt prefix (k1, v1, n1; n1
/// may be 0) followed by the stream's own positions (k2, v2, n2). scores[h, t] = scale * q[h] . k[t],
/// softmax over all n1 + n2 positions, out[h] = sum_t scores[h, t] * v[t]. q and out are (heads, hs)
/// contiguous; key and value rows are `ld` floats apart; scores holds heads * (n1 + n2) floats.
void ck_attention_row(const float *q, int heads, int hs, int ld, const float *k1, const float *v1, int n1,
                      const float *k2, const float *v2, int n2, float scale, float *scores, float *out);

/// 1 when this CPU has AVX2, FMA and F16C, else 0.
int ck_simd_available(void);

/// Code paths, slowest first; every CPU runs CK_PATH_PLAIN.
enum { CK_PATH_PLAIN = 0, CK_PATH_AVX2 = 1, CK_PATH_AVX512 = 2 };

/// The fastest path this CPU supports (the one ck_matmul and ck_attention_row use).
int ck_best_path(void);

/// ck_matmul on a chosen path (tests compare every path with the reference); -1 if unsupported.
int ck_matmul_path(int path, int type, const void *w, int cols, int r0, int r1,
                   const float *x, int ldx, int n, float *y, int ldy);

/// ck_attention_row on a chosen path; -1 if unsupported here.
int ck_attention_row_path(int path, const float *q, int heads, int hs, int ld, const float *k1, const float *v1,
                          int n1, const float *k2, const float *v2, int n2, float scale, float *scores, float *out);

/// Causal attention of `rows` consecutive prompt rows for one key/value head shared by `heads`
/// query heads, tiled over 64 positions with an online softmax. Row i's query head j is at
/// q + i*ldq + j*hs; positions are the prefix (k1, v1: n1 rows) then the stream's own cache
/// (k2, v2: n2 rows), ldkv floats apart; row i sees positions [0, first_visible + i). Writes each
/// head's output at out + i*ldo + j*hs. `scratch` holds ck_attention_block_scratch floats.
/// Returns 0, or -1 when the arguments are inconsistent (nothing is written then).
int ck_attention_block(const float *q, int rows, int heads, int hs, int ldq,
                       const float *k1, const float *v1, int n1, const float *k2, const float *v2, int n2,
                       int ldkv, int first_visible, float scale, float *scratch, float *out, int ldo);

/// ck_attention_block on a chosen path; -1 if unsupported here.
int ck_attention_block_path(int path, const float *q, int rows, int heads, int hs, int ldq,
                            const float *k1, const float *v1, int n1, const float *k2, const float *v2, int n2,
                            int ldkv, int first_visible, float scale, float *scratch, float *out, int ldo);

/// Attention of `rows` rows × `heads` query heads that all see every one of the `n` positions of
/// (k, v), for one segment of a longer context (a prefix several streams share): writes each
/// head's normalised output as ck_attention_block does, and each query vector's log-sum-exp
/// (its maximum score plus the log of its softmax sum) at lse[i*heads + j], so segments can be
/// combined with ck_attention_merge. Scratch as for ck_attention_block. Returns 0 or -1.
int ck_attention_segment(const float *q, int rows, int heads, int hs, int ldq, const float *k, const float *v, int n,
                         int ldkv, float scale, float *scratch, float *out, int ldo, float *lse);

/// ck_attention_segment on a chosen path; -1 if unsupported here.
int ck_attention_segment_path(int path, const float *q, int rows, int heads, int hs, int ldq, const float *k,
                              const float *v, int n, int ldkv, float scale, float *scratch, float *out, int ldo,
                              float *lse);

/// Combines two segments' attention for the same query vectors: a becomes the attention over both
/// (a's and b's outputs weighted by their softmax sums), lse_a their joint log-sum-exp.
void ck_attention_merge(float *a, float *lse_a, const float *b, const float *lse_b, int rows, int heads, int hs,
                        int lda, int ldb);

/// Floats of scratch ck_attention_block needs for `rows` rows of `heads` heads of size `hs`.
size_t ck_attention_block_scratch(int rows, int heads, int hs);

// integer products (int8 activations)
#include "ckernels_int8.h"
// the second thread of parallel regions
#include "ckernels_team.h"

#endif
