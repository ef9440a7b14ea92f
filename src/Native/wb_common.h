// The shim's one error boundary and handle conventions, shared by every wb_*.cpp file.
//
// Every export returns a status (WB_OK or a WB_ERR_* kind) and never lets an exception escape:
// the message is kept per thread and read by wb_last_error(). Tensors cross as opaque handles
// (heap-allocated at::Tensor, released by wb_tensor_free); scalars cross as double or int64.
#pragma once

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <torch/csrc/api/include/torch/version.h>

#include <dlfcn.h>

#include <cstdint>
#include <initializer_list>
#include <new>
#include <stdexcept>
#include <string>

#define WB_API extern "C" __attribute__((visibility("default")))

// ATen's optional arguments: c10::optional up to libtorch 2.3, std::optional from 2.4 on (where the
// c10 names became aliases that later releases deprecate).
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#include <optional>
template <typename T>
using wb_optional = std::optional<T>;
#define WB_NULLOPT std::nullopt
#else
template <typename T>
using wb_optional = c10::optional<T>;
#define WB_NULLOPT c10::nullopt
#endif

typedef at::Tensor* wb_tensor;

// Status kinds; Workbench.Torch maps each to a typed exception.
enum wb_status : int32_t {
    WB_OK = 0,
    WB_ERR_TORCH = 1,          // c10::Error not covered below
    WB_ERR_INDEX = 2,          // c10::IndexError
    WB_ERR_VALUE = 3,          // c10::ValueError
    WB_ERR_TYPE = 4,           // c10::TypeError
    WB_ERR_NOT_IMPLEMENTED = 5,// c10::NotImplementedError (an op missing for a dtype/device)
    WB_ERR_OUT_OF_MEMORY = 6,  // std::bad_alloc, CUDA out of memory
    WB_ERR_STD = 7,            // any other std::exception
    WB_ERR_UNKNOWN = 8,        // anything else
    WB_ERR_ARGUMENT = 9,       // rejected by the shim itself (null handle, bad enum)
    WB_ERR_DIST = 10,          // a collective or the rendezvous failed (timeout, peer gone, port in use)
};

void wb_set_error(const char* message);

int32_t wb_status_of_current_exception();

// Wraps an export's body: returns WB_OK, or the status of whatever it threw.
#define WB_GUARD(...)                                 \
    try {                                             \
        __VA_ARGS__;                                  \
        return WB_OK;                                 \
    } catch (...) {                                   \
        return wb_status_of_current_exception();      \
    }

// A new handle owning `t`.
inline wb_tensor wb_wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }

// Dereferences a handle, rejecting null so that a C# bug is an error, not a crash.
inline at::Tensor& wb_ref(wb_tensor h) {
    if (h == nullptr) throw std::invalid_argument("null tensor handle");
    return *h;
}

inline at::IntArrayRef wb_dims(const int64_t* dims, int64_t n) { return at::IntArrayRef(dims, static_cast<size_t>(n)); }

inline c10::Device wb_device(int32_t type, int32_t index) {
    return c10::Device(static_cast<c10::DeviceType>(type), static_cast<c10::DeviceIndex>(index));
}

// `name` from the first of `libraries` that the process has already loaded and that exports it, or null.
// Loads nothing: RTLD_NOLOAD only finds a library libtorch brought in, and dlclose drops just the
// reference that lookup took. For the BLAS and oneDNN entry points libtorch 1.x calls itself.
inline void* wb_loaded_symbol(std::initializer_list<const char*> libraries, const char* name) {
    for (const char* library : libraries) {
        void* handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD);
        if (handle == nullptr) continue;
        void* symbol = dlsym(handle, name);
        dlclose(handle);
        if (symbol != nullptr) return symbol;
    }
    return nullptr;
}
