// The process-wide engine state: version and build flags, threads, seeding, and devices.
#include "wb_common.h"
#include "wb_linear.h"

#include <ATen/Parallel.h>
#include <torch/csrc/api/include/torch/version.h>

#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#ifdef WB_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <cuda_runtime_api.h>
#endif

namespace {
#if defined(__GLIBC__)
// A training step allocates and frees the same activation-sized blocks every step. glibc serves
// blocks above its mmap threshold with fresh mappings and returns the heap's free top to the kernel,
// so each step page-faults (and zeroes) its activations anew: perf showed twice PyTorch's page-fault
// time on a small GPT. Serving blocks up to 32 MB from the heap and keeping up to 1 GB of free heap
// lets later steps reuse them. A user's MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ wins.
struct AllocatorTuning {
    AllocatorTuning() {
        if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
        if (std::getenv("MALLOC_TRIM_THRESHOLD_") == nullptr) mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
    }
} const allocator_tuning;
#endif

// Copies `s` into a caller buffer of `capacity` bytes, always NUL-terminated; returns the full length.
int64_t copy_string(const std::string& s, char* buffer, int64_t capacity) {
    if (buffer != nullptr && capacity > 0) {
        auto n = std::min<int64_t>(capacity - 1, static_cast<int64_t>(s.size()));
        std::memcpy(buffer, s.data(), n);
        buffer[n] = '\0';
    }
    return static_cast<int64_t>(s.size());
}

// OpenBLAS (Debian's libtorch calls it through libblas.so.3) keeps its own pool of workers, one per
// core unless OPENBLAS_NUM_THREADS says otherwise, and at::set_num_threads leaves it alone (it sets
// OpenMP's and MKL's). Left so, `threads: 1` still runs every matmul on all cores, whose spinning
// workers then fight the training thread on a busy machine: an MNIST MLP step measured 3.8-5.3 ms
// with two BLAS workers and 2.6-4.2 ms with one. Looked up in the already loaded library, if any.
void* openblas_symbol(const char* name) { return wb_loaded_symbol({"libopenblas.so.0", "libopenblas.so"}, name); }

#ifdef WB_WITH_CUDA
// libtorch 2.x creates the caching allocator's per-device state lazily, with the first CUDA tensor,
// and refuses to report on a device before that ("Invalid device argument"). An empty tensor on the
// device initialises CUDA as any first use would; it allocates nothing.
void touch_cuda(int64_t index) {
    (void)at::empty({0}, at::TensorOptions().device(c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(index))));
}
#endif
}  // namespace

WB_API int32_t wb_version(char* buffer, int64_t capacity, int64_t* length) {
    WB_GUARD(*length = copy_string(TORCH_VERSION, buffer, capacity))
}

WB_API int32_t wb_build_config(char* buffer, int64_t capacity, int64_t* length) {
    WB_GUARD(*length = copy_string(at::show_config(), buffer, capacity))
}

// 1 when the shim was compiled with the torch >= 2 code paths (scaled_dot_product_attention...).
WB_API int32_t wb_has_torch2() { return TORCH_VERSION_MAJOR >= 2 ? 1 : 0; }

// Intra-op threads for ATen's own kernels and for the BLAS behind its matrix products alike.
WB_API int32_t wb_set_num_threads(int64_t n) {
    WB_GUARD({
        at::set_num_threads(static_cast<int>(n));
        if (auto set = reinterpret_cast<void (*)(int)>(openblas_symbol("openblas_set_num_threads"))) set(static_cast<int>(n));
    })
}

// OpenBLAS's worker count, or -1 when the process has no OpenBLAS (MKL, or a BLAS inside libtorch).
WB_API int32_t wb_get_blas_threads(int64_t* out) {
    WB_GUARD({
        auto get = reinterpret_cast<int (*)()>(openblas_symbol("openblas_get_num_threads"));
        *out = get != nullptr ? get() : -1;
    })
}

// The kernel set OpenBLAS chose when it loaded ("Haswell", "SkylakeX"...); empty without OpenBLAS.
WB_API int32_t wb_blas_corename(char* buffer, int64_t capacity, int64_t* length) {
    WB_GUARD({
        auto corename = reinterpret_cast<char* (*)()>(openblas_symbol("openblas_get_corename"));
        *length = copy_string(corename != nullptr ? corename() : "", buffer, capacity);
    })
}

// The oneDNN version float32 Linear layers run on (wb_linear.cpp), or empty when they run on at::linear.
WB_API int32_t wb_linear_backend(char* buffer, int64_t capacity, int64_t* length) {
    WB_GUARD(*length = copy_string(wb_linear::backend(), buffer, capacity))
}

WB_API int32_t wb_get_num_threads(int64_t* out) { WB_GUARD(*out = at::get_num_threads()) }

// Seeds the CPU generator and, where present, every CUDA generator.
WB_API int32_t wb_manual_seed(int64_t seed) { WB_GUARD(at::manual_seed(static_cast<uint64_t>(seed))) }

WB_API int32_t wb_cuda_device_count(int64_t* out) {
    WB_GUARD(*out = at::hasCUDA() ? static_cast<int64_t>(at::getNumGPUs()) : 0)
}

WB_API int32_t wb_cuda_device_name(int64_t index, char* buffer, int64_t capacity, int64_t* length) {
    WB_GUARD({
#ifdef WB_WITH_CUDA
        cudaDeviceProp prop;
        C10_CUDA_CHECK(cudaGetDeviceProperties(&prop, static_cast<int>(index)));
        *length = copy_string(prop.name, buffer, capacity);
#else
        throw std::invalid_argument("this shim was built without CUDA");
#endif
    })
}

// Total memory, and the caching allocator's current and peak allocation, in bytes.
WB_API int32_t wb_cuda_memory(int64_t index, int64_t* total, int64_t* allocated, int64_t* peak) {
    WB_GUARD({
#ifdef WB_WITH_CUDA
        cudaDeviceProp prop;
        C10_CUDA_CHECK(cudaGetDeviceProperties(&prop, static_cast<int>(index)));
        *total = static_cast<int64_t>(prop.totalGlobalMem);
        touch_cuda(index);
        auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<c10::DeviceIndex>(index));
        // Entry 0 is the aggregate over the small and large pools (StatType::AGGREGATE), whatever
        // namespace the StatType enum lives in for this libtorch (newer ones: c10::CachingDeviceAllocator).
        const auto& aggregate = stats.allocated_bytes[0];
        *allocated = aggregate.current;
        *peak = aggregate.peak;
#else
        throw std::invalid_argument("this shim was built without CUDA");
#endif
    })
}

WB_API int32_t wb_cuda_reset_peak(int64_t index) {
    WB_GUARD({
#ifdef WB_WITH_CUDA
        touch_cuda(index);
        c10::cuda::CUDACachingAllocator::resetPeakStats(static_cast<c10::DeviceIndex>(index));
#endif
    })
}

WB_API int32_t wb_cuda_synchronize(int64_t index) {
    WB_GUARD({
#ifdef WB_WITH_CUDA
        c10::cuda::device_synchronize();
#endif
    })
}
