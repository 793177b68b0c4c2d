// Integer products: activations quantized to int8 per block of 32 (as llama.cpp's Q8_0 / Q8_1), and
// Q4_1 or Q8_0 weights repacked so that one 32-byte vector holds four consecutive elements of eight
// rows. A product then needs no horizontal sums: each 32-bit lane accumulates one weight row.
//
// Packed layout, per group of 8 rows (rows past the matrix are zero) and per block of 32 columns,
// groups one after another and a group's blocks in column order:
//   Q4_1: chunks t = 0..3, each 8 rows x 4 bytes of the row's qs[4t..4t+3] (low nibbles: elements
//         4t..4t+3; high nibbles: elements 16+4t..16+4t+3); then d[8] and m[8] as f16: 160 bytes.
//   Q8_0: chunks t = 0..7, each 8 rows x 4 bytes of qs[4t..4t+3]; then d[8] as f16: 272 bytes.
// Both are exactly the bytes of the 8 original blocks, reordered.
//
// Quantized activations: row j of `n` rows, block b of nb = cols / 32: q[j * cols + 32 b + k] is an
// int8 in [-127, 127], d[j * nb + b] its scale (max |x| / 127), s[j * nb + b] = d * sum of the
// block's q (for Q4_1's min term: sum_k (dw q_k + m) (dx x_k) = dw dx sum q_k x_k + m s).
#ifndef CKERNELS_INT8_H
#define CKERNELS_INT8_H

#include <stddef.h>
#include <stdint.h>

/// Integer-product code paths, slowest first; every CPU runs CK_INT8_PLAIN.
enum { CK_INT8_PLAIN = 0, CK_INT8_AVX2 = 1, CK_INT8_AVX512_VNNI = 2 };

/// The fastest integer-product path this CPU supports (the one the functions without _path use):
/// AVX-512 VNNI (vpdpbusd on 256-bit vectors), else AVX2 (vpmaddubsw / vpmaddwd), else plain C.
int ck_int8_best_path(void);

/// Bytes of a packed Q4_1 or Q8_0 matrix of `rows` x `cols` (cols a multiple of 32); 0 for another type.
size_t ck_int8_packed_bytes(int type, int rows, int cols);

/// Packs rows [0, rows) of a GGML matrix into `packed` (ck_int8_packed_bytes of room) in the
/// layout above. Returns 0, or -1 for a type other than Q4_1 / Q8_0.
int ck_int8_pack(int type, const void *w, int rows, int cols, void *packed);

/// Quantizes `n` rows of `cols` floats (rows `ldx` apart) to int8 blocks; see the layout above.
void ck_int8_quantize(const float *x, int ldx, int n, int cols, int8_t *q, float *d, float *s);

/// ck_int8_quantize on a chosen path (tests compare paths); -1 if this CPU lacks it.
int ck_int8_quantize_path(int path, const float *x, int ldx, int n, int cols, int8_t *q, float *d, float *s);

/// Y[j * ldy + r] = sum_k W[r, k] x[j, k] for the rows r of groups [g0, g1) (rows 8 g0 up to
/// min(8 g1, rows)) and activation rows j in [0, n), W packed as above and x quantized by
/// ck_int8_quantize. Activation rows are taken four at a time against each group of weight rows,
/// which stays in the L1 cache meanwhile: one micro-kernel for decoding (n of 1 to a few) and for
/// prompt chunks (n in the hundreds). Returns 0, or -1 for an unknown type.
int ck_int8_matmul(int type, const void *packed, int rows, int cols, int g0, int g1,
                   const int8_t *q, const float *d, const float *s, int n, float *y, int ldy);

/// ck_int8_matmul on a chosen path; -1 if this CPU lacks it or the type is unknown.
int ck_int8_matmul_path(int path, int type, const void *packed, int rows, int cols, int g0, int g1,
                        const int8_t *q, const float *d, const float *s, int n, float *y, int ldy);

#endif
