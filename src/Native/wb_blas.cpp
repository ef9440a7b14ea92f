// BLAS symbols for the CPU fast paths (wb_blas.h).
#include "wb_blas.h"

#include <dlfcn.h>

namespace {
void* loaded_symbol(std::initializer_list<const char*> libraries, const char* name) {
    for (const char* library : libraries) {
        void* handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD);
        if (handle == nullptr) continue;
        void* symbol = dlsym(handle, name);
        dlclose(handle);  // drops only the reference RTLD_NOLOAD took
        if (symbol != nullptr) return symbol;
    }
    return nullptr;
}

using get_fn = int (*)();
using set_fn = void (*)(int);

struct Threads {
    get_fn get;
    set_fn set;
};

const Threads& openblas_threads() {
    static const Threads t{
        reinterpret_cast<get_fn>(loaded_symbol({"libopenblas.so.0", "libopenblas.so"}, "openblas_get_num_threads")),
        reinterpret_cast<set_fn>(loaded_symbol({"libopenblas.so.0", "libopenblas.so"}, "openblas_set_num_threads"))};
    return t;
}
}  // namespace

namespace wb_blas {
sgemm_fn sgemm() {
    static const sgemm_fn f = reinterpret_cast<sgemm_fn>(
        loaded_symbol({"libblas.so.3", "libopenblas.so.0", "libmkl_rt.so.2", "libmkl_rt.so"}, "sgemm_"));
    return f;
}

bool can_pin() {
    const auto& t = openblas_threads();
    return sgemm() != nullptr && t.get != nullptr && t.set != nullptr;
}

OneThread::OneThread() : previous_(openblas_threads().get()) {
    if (previous_ != 1) openblas_threads().set(1);
}

OneThread::~OneThread() {
    if (previous_ != 1) openblas_threads().set(previous_);
}
}  // namespace wb_blas
