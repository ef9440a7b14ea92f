// An LD_PRELOAD interposer over the Fortran sgemm_ that libtorch calls (Debian: libblas.so.3, OpenBLAS):
// times each call and, at exit, writes one line per (transposes, m, n, k, beta) with the calls, the total
// milliseconds and the GFLOP/s to $SGEMM_BY_SHAPE_DIR/sgemm.<pid>.txt. Used by benchmarks/sgemm-by-shape.sh.
// Products that do not reach sgemm_ (oneDNN's, the attention's direct calls) are not seen. With
// SGEMM_BY_SHAPE_ONEDNN=1 each call runs on oneDNN's dnnl_sgemm instead, timed the same way.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef void (*sgemm_fn)(const char*, const char*, const int*, const int*, const int*, const float*, const float*,
                         const int*, const float*, const int*, const float*, float*, const int*);
typedef int (*dnnl_sgemm_fn)(char, char, long, long, long, float, const float*, long, const float*, long, float, float*, long);

enum { MAX_SHAPES = 512 };
static struct { char ta, tb; int m, n, k; float beta; long calls; double seconds; } shapes[MAX_SHAPES];
static int count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

// libtorch loads the BLAS privately (not in the global scope), so RTLD_NEXT would not find it: ask the library itself.
static sgemm_fn real_sgemm(void) {
    static sgemm_fn f;
    if (f == NULL) {
        void* handle = dlopen("libblas.so.3", RTLD_LAZY | RTLD_NOLOAD);
        if (handle == NULL) handle = dlopen("libopenblas.so.0", RTLD_LAZY | RTLD_NOLOAD);
        f = handle != NULL ? (sgemm_fn)dlsym(handle, "sgemm_") : NULL;
        if (f == NULL) { fprintf(stderr, "sgemm_by_shape: no sgemm_ in libblas.so.3 or libopenblas.so.0\n"); abort(); }
    }
    return f;
}

// oneDNN's sgemm when SGEMM_BY_SHAPE_ONEDNN=1, else null.
static dnnl_sgemm_fn onednn_sgemm(void) {
    static int looked;
    static dnnl_sgemm_fn f;
    if (!looked) {
        const char* on = getenv("SGEMM_BY_SHAPE_ONEDNN");
        if (on != NULL && on[0] == '1') {
            void* handle = dlopen("libdnnl.so.2", RTLD_NOW);
            f = handle != NULL ? (dnnl_sgemm_fn)dlsym(handle, "dnnl_sgemm") : NULL;
            if (f == NULL) { fprintf(stderr, "sgemm_by_shape: no dnnl_sgemm in libdnnl.so.2\n"); abort(); }
        }
        looked = 1;
    }
    return f;
}

void sgemm_(const char* ta, const char* tb, const int* m, const int* n, const int* k, const float* alpha, const float* a,
            const int* lda, const float* b, const int* ldb, const float* beta, float* c, const int* ldc) {
    sgemm_fn f = real_sgemm();
    dnnl_sgemm_fn onednn = onednn_sgemm();
    double start = now();
    if (onednn != NULL)  // row-major c^T = op(b)^T op(a)^T
        onednn(*tb, *ta, *n, *m, *k, *alpha, b, *ldb, a, *lda, *beta, c, *ldc);
    else
        f(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    double seconds = now() - start;
    pthread_mutex_lock(&lock);
    int i = 0;
    while (i < count && !(shapes[i].ta == *ta && shapes[i].tb == *tb && shapes[i].m == *m && shapes[i].n == *n &&
                          shapes[i].k == *k && shapes[i].beta == *beta)) i++;
    if (i == count && count < MAX_SHAPES) {
        shapes[i].ta = *ta; shapes[i].tb = *tb; shapes[i].m = *m; shapes[i].n = *n; shapes[i].k = *k; shapes[i].beta = *beta;
        count++;
    }
    if (i < count) { shapes[i].calls++; shapes[i].seconds += seconds; }
    pthread_mutex_unlock(&lock);
}

__attribute__((destructor)) static void report(void) {
    if (count == 0) return;
    const char* dir = getenv("SGEMM_BY_SHAPE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/sgemm.%d.txt", dir != NULL ? dir : ".", (int)getpid());
    FILE* out = fopen(path, "w");
    if (out == NULL) return;
    for (int i = 0; i < count; i++)
        fprintf(out, "%c%c m=%d n=%d k=%d beta=%g calls=%ld ms=%.1f gflops=%.1f\n", shapes[i].ta, shapes[i].tb, shapes[i].m,
                shapes[i].n, shapes[i].k, shapes[i].beta, shapes[i].calls, 1e3 * shapes[i].seconds,
                2.0 * shapes[i].m * shapes[i].n * shapes[i].k * shapes[i].calls / shapes[i].seconds / 1e9);
    fclose(out);
}
