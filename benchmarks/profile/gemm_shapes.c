// The char GPT's twelve Linear products (n_embd 128, 768 tokens: output, input gradient and weight gradient of
// the qkv, attention-projection, MLP-up and MLP-down layers) alone in a loop, on OpenBLAS's sgemm_ or oneDNN's
// dnnl_sgemm, each on the threads the environment gives it (OPENBLAS_NUM_THREADS / OMP_NUM_THREADS).
// usage: gemm_shapes openblas|onednn BUFFERS: the operands cycle through BUFFERS sets of 4 MB each, 1 for warm
// operands, 16 for operands past a 32 MB L3, as a training step reads what the op before it wrote.
// Prints each shape's mean microseconds and GFLOP/s over 200 calls, then the total. Used by benchmarks/gemm-shapes.sh.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*sgemm_fn)(const char*, const char*, const int*, const int*, const int*, const float*, const float*,
                         const int*, const float*, const int*, const float*, float*, const int*);
typedef int (*dnnl_sgemm_fn)(char, char, long, long, long, float, const float*, long, const float*, long, float, float*, long);

// Column-major (transa, transb, m, n, k), as libtorch 1.13 calls sgemm_ for at::linear and its gradients.
static const int shapes[][5] = {
    {'T', 'N', 384, 768, 128}, {'N', 'N', 128, 768, 384}, {'N', 'T', 128, 384, 768},  // qkv
    {'T', 'N', 128, 768, 128}, {'N', 'N', 128, 768, 128}, {'N', 'T', 128, 128, 768},  // attention projection
    {'T', 'N', 512, 768, 128}, {'N', 'N', 128, 768, 512}, {'N', 'T', 128, 512, 768},  // MLP up
    {'T', 'N', 128, 768, 512}, {'N', 'N', 512, 768, 128}, {'N', 'T', 512, 128, 768},  // MLP down
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char** argv) {
    if (argc != 3 || (strcmp(argv[1], "openblas") != 0 && strcmp(argv[1], "onednn") != 0) || atoi(argv[2]) < 1 || atoi(argv[2]) > 64) {
        fprintf(stderr, "usage: gemm_shapes openblas|onednn BUFFERS(1-64)\n");
        return 2;
    }
    const int onednn = strcmp(argv[1], "onednn") == 0, buffers = atoi(argv[2]), reps = 200;
    void* library = dlopen(onednn ? "libdnnl.so.2" : "libblas.so.3", RTLD_NOW);
    void* entry = library != NULL ? dlsym(library, onednn ? "dnnl_sgemm" : "sgemm_") : NULL;
    if (entry == NULL) { fprintf(stderr, "gemm_shapes: %s\n", dlerror()); return 1; }
    float *a[64], *b[64], *c[64];
    for (int j = 0; j < buffers; j++) {
        a[j] = malloc(4 << 20); b[j] = malloc(4 << 20); c[j] = malloc(4 << 20);
        for (int i = 0; i < (1 << 20); i++) { a[j][i] = (i % 7) * 0.1f; b[j][i] = (i % 5) * 0.1f; c[j][i] = 0; }
    }
    double total = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        const char ta = (char)shapes[s][0], tb = (char)shapes[s][1];
        const int m = shapes[s][2], n = shapes[s][3], k = shapes[s][4];
        const int lda = ta == 'N' ? m : k, ldb = tb == 'N' ? k : n, ldc = m;
        const float one = 1, beta = ta == 'T' ? 1 : 0;  // the forward product adds onto the bias rows
        double seconds = 0;
        for (int r = 0; r < reps; r++) {
            const int j = r % buffers;
            const double start = now();
            if (onednn)  // row-major c^T = op(b)^T op(a)^T
                ((dnnl_sgemm_fn)entry)(tb, ta, n, m, k, one, b[j], ldb, a[j], lda, beta, c[j], ldc);
            else
                ((sgemm_fn)entry)(&ta, &tb, &m, &n, &k, &one, a[j], &lda, b[j], &ldb, &beta, c[j], &ldc);
            seconds += now() - start;
        }
        total += seconds;
        printf("%c%c m=%d n=%d k=%d mean_us=%.0f gflops=%.1f\n", ta, tb, m, n, k, seconds / reps * 1e6,
               2.0 * m * n * k * reps / seconds / 1e9);
    }
    printf("total %.0f ms for %d calls of each shape\n", total * 1e3, reps);
    return 0;
}
