// Random state: the default generators' state for checkpoints, and in-place sampling for initialisers.
//
// A generator's state crosses as a uint8 tensor (what torch.get_rng_state returns), so the same bytes
// can go into a checkpoint and come back. CUDA generators are reached through ATen's context, which
// answers on a CPU-only libtorch too (with zero devices), so this file needs no CUDA headers. (The
// CUDA hooks' own getters were renamed between libtorch 1.13 and 2.x; the context's were not.)
#include "wb_common.h"

#include <ATen/CPUGeneratorImpl.h>

#include <mutex>

namespace {
at::Generator generator(int32_t device_type, int64_t index) {
    if (device_type == static_cast<int32_t>(c10::DeviceType::CPU)) return at::detail::getDefaultCPUGenerator();
    if (device_type == static_cast<int32_t>(c10::DeviceType::CUDA)) {
        const auto count = at::hasCUDA() ? static_cast<int64_t>(at::getNumGPUs()) : 0;
        if (index < 0 || index >= count)
            throw std::invalid_argument("no CUDA device " + std::to_string(index) + " (this process sees " +
                                        std::to_string(count) + ")");
        return at::globalContext().defaultGenerator(c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(index)));
    }
    throw std::invalid_argument("no default generator for device type " + std::to_string(device_type));
}
}  // namespace

// The generator's state as a new uint8 tensor on the CPU.
WB_API int32_t wb_rng_get_state(int32_t device_type, int64_t index, wb_tensor* out) {
    WB_GUARD({
        auto gen = generator(device_type, index);
        std::lock_guard<std::mutex> lock(gen.mutex());
        *out = wb_wrap(gen.get_state());
    })
}

// Restores a state produced by wb_rng_get_state for the same kind of generator.
WB_API int32_t wb_rng_set_state(int32_t device_type, int64_t index, wb_tensor state) {
    WB_GUARD({
        auto gen = generator(device_type, index);
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_state(wb_ref(state));
    })
}

// Fills t in place from U[from, to), drawing from t's device's default generator.
WB_API int32_t wb_uniform_(wb_tensor t, double from, double to) { WB_GUARD(wb_ref(t).uniform_(from, to)) }

// Fills t in place from N(mean, std^2).
WB_API int32_t wb_normal_(wb_tensor t, double mean, double std) { WB_GUARD(wb_ref(t).normal_(mean, std)) }
