// workbench-blas-probe: prints the kernel set OpenBLAS picks on this machine ("Prescott", "Haswell",
// "SkylakeX"...), or "none" when no OpenBLAS is installed. OpenBLAS chooses its kernels once, when it
// is loaded, so the engine cannot ask in-process before it commits; it runs this first (a few ms) and,
// when OpenBLAS would settle for kernels older than the CPU supports, sets OPENBLAS_CORETYPE before
// libtorch loads. Links nothing but libdl: it loads the same library libtorch would (libblas.so.3,
// which Debian's alternatives point at OpenBLAS) and asks it. The caller sets OPENBLAS_NUM_THREADS=1.
#include <cstdio>
#include <dlfcn.h>

int main(int argc, char** argv) {
    const char* defaults[] = {"libblas.so.3", "libopenblas.so.0", "libopenblas.so"};
    // An explicit library (argv[1]) goes first; then the names libtorch's BLAS is found under.
    const char* candidates[4] = {argc > 1 ? argv[1] : defaults[0], defaults[0], defaults[1], defaults[2]};
    for (const char* name : candidates) {
        void* handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) continue;
        auto corename = reinterpret_cast<char* (*)()>(dlsym(handle, "openblas_get_corename"));
        if (corename != nullptr) {
            std::printf("%s\n", corename());
            return 0;
        }
        dlclose(handle);
    }
    std::printf("none\n");
    return 0;
}
