// Tensor lifetime, creation from host memory and factories, metadata, and reading values back.
#include "wb_common.h"

#include <cstring>

namespace {
at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index) {
    return at::TensorOptions()
        .dtype(static_cast<at::ScalarType>(dtype))
        .device(wb_device(device_type, device_index));
}
}  // namespace

WB_API void wb_tensor_free(wb_tensor t) { delete t; }

// Copies `shape`-many elements of `dtype` from host memory into a new tensor on the device.
WB_API int32_t wb_tensor_from_data(const void* data, const int64_t* shape, int64_t ndim, int32_t dtype,
                                   int32_t device_type, int32_t device_index, wb_tensor* out) {
    WB_GUARD({
        auto cpu = at::empty(wb_dims(shape, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
        if (cpu.numel() > 0) std::memcpy(cpu.data_ptr(), data, cpu.nbytes());
        *out = wb_wrap(device_type == 0 ? cpu : cpu.to(wb_device(device_type, device_index)));
    })
}

// Copies the tensor's values (converted to a contiguous CPU layout) into `dst`, which holds `nbytes`.
WB_API int32_t wb_tensor_copy_to(wb_tensor t, void* dst, int64_t nbytes) {
    WB_GUARD({
        auto cpu = wb_ref(t).detach().to(at::kCPU).contiguous();
        if (static_cast<int64_t>(cpu.nbytes()) != nbytes)
            throw std::invalid_argument("destination holds " + std::to_string(nbytes) + " bytes, tensor has " +
                                        std::to_string(cpu.nbytes()));
        if (nbytes > 0) std::memcpy(dst, cpu.data_ptr(), nbytes);
    })
}

WB_API int32_t wb_tensor_ndim(wb_tensor t, int64_t* out) { WB_GUARD(*out = wb_ref(t).dim()) }

WB_API int32_t wb_tensor_shape(wb_tensor t, int64_t* out) {
    WB_GUARD({
        auto sizes = wb_ref(t).sizes();
        for (size_t i = 0; i < sizes.size(); i++) out[i] = sizes[i];
    })
}

WB_API int32_t wb_tensor_numel(wb_tensor t, int64_t* out) { WB_GUARD(*out = wb_ref(t).numel()) }

WB_API int32_t wb_tensor_dtype(wb_tensor t, int32_t* out) {
    WB_GUARD(*out = static_cast<int32_t>(wb_ref(t).scalar_type()))
}

WB_API int32_t wb_tensor_device(wb_tensor t, int32_t* type, int32_t* index) {
    WB_GUARD({
        auto d = wb_ref(t).device();
        *type = static_cast<int32_t>(d.type());
        *index = d.has_index() ? d.index() : -1;
    })
}

WB_API int32_t wb_tensor_requires_grad(wb_tensor t, int32_t* out) { WB_GUARD(*out = wb_ref(t).requires_grad()) }

WB_API int32_t wb_tensor_set_requires_grad_(wb_tensor t, int32_t value) {
    WB_GUARD(wb_ref(t).set_requires_grad(value != 0))
}

WB_API int32_t wb_tensor_item_double(wb_tensor t, double* out) { WB_GUARD(*out = wb_ref(t).item<double>()) }

WB_API int32_t wb_tensor_item_int64(wb_tensor t, int64_t* out) { WB_GUARD(*out = wb_ref(t).item<int64_t>()) }

// ---- factories -------------------------------------------------------------------------------

WB_API int32_t wb_tensor_empty(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dt, int32_t di, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::empty(wb_dims(shape, ndim), options(dtype, dt, di))))
}

WB_API int32_t wb_tensor_full(const int64_t* shape, int64_t ndim, double value, int32_t dtype, int32_t dt, int32_t di,
                              wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::full(wb_dims(shape, ndim), value, options(dtype, dt, di))))
}

WB_API int32_t wb_tensor_arange(double start, double end, double step, int32_t dtype, int32_t dt, int32_t di,
                                wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::arange(start, end, step, options(dtype, dt, di))))
}

WB_API int32_t wb_tensor_rand(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dt, int32_t di, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::rand(wb_dims(shape, ndim), options(dtype, dt, di))))
}

WB_API int32_t wb_tensor_randn(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dt, int32_t di, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::randn(wb_dims(shape, ndim), options(dtype, dt, di))))
}

WB_API int32_t wb_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dt,
                                 int32_t di, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::randint(low, high, wb_dims(shape, ndim), options(dtype, dt, di))))
}

WB_API int32_t wb_tensor_eye(int64_t n, int64_t m, int32_t dtype, int32_t dt, int32_t di, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::eye(n, m, options(dtype, dt, di))))
}

// ---- conversion -------------------------------------------------------------------------------

// Moves and/or casts; `copy` forces a new tensor even when nothing changes.
WB_API int32_t wb_tensor_to(wb_tensor t, int32_t dtype, int32_t dt, int32_t di, int32_t copy, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(wb_ref(t).to(wb_device(dt, di), static_cast<at::ScalarType>(dtype), false, copy != 0)))
}

WB_API int32_t wb_tensor_clone(wb_tensor t, wb_tensor* out) { WB_GUARD(*out = wb_wrap(wb_ref(t).clone())) }

WB_API int32_t wb_tensor_detach(wb_tensor t, wb_tensor* out) { WB_GUARD(*out = wb_wrap(wb_ref(t).detach())) }

WB_API int32_t wb_tensor_contiguous(wb_tensor t, wb_tensor* out) { WB_GUARD(*out = wb_wrap(wb_ref(t).contiguous())) }

// Copies src's values into dst in place (broadcasting, casting, across devices).
WB_API int32_t wb_tensor_copy_(wb_tensor dst, wb_tensor src) { WB_GUARD(wb_ref(dst).copy_(wb_ref(src))) }

// Replaces t's data (storage, dtype, device) with src's, keeping the handle and its autograd identity.
WB_API int32_t wb_tensor_set_data_(wb_tensor t, wb_tensor src) { WB_GUARD(wb_ref(t).set_data(wb_ref(src))) }
