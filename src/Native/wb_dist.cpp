// Data parallel over libtorch's c10d: a TCPStore for the rendezvous (rank 0 serves it), a Gloo (CPU)
// or NCCL (CUDA) process group, and the collectives data-parallel training needs: all-reduce of many
// tensors packed into flat buckets, broadcast from one rank, barrier, and the gradient reducer that
// all-reduces gradients in buckets started during backward (DDP's overlap). Compiled only where the libtorch
// has c10d (WB_WITH_DIST, see CMakeLists.txt); elsewhere every export reports that it is missing.
//
// Every failure of the network side (a timeout, a peer gone, a port in use, an unreachable master)
// returns WB_ERR_DIST with c10d's or Gloo's message behind what was being done.
#include "wb_common.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#ifdef WB_WITH_DIST
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef WB_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef WB_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

namespace {
enum backend_bits : int32_t { WB_DIST_GLOO = 1, WB_DIST_NCCL = 2 };
enum reduce_kind : int32_t { WB_REDUCE_SUM = 0, WB_REDUCE_AVG = 1 };

// Runs `body`; a network-side failure becomes WB_ERR_DIST with "`what`: <c10d's message>".
template <typename F>
int32_t dist_guard(const char* what, F&& body) {
    try {
        body();
        return WB_OK;
    } catch (const std::invalid_argument&) {
        return wb_status_of_current_exception();
    } catch (const c10::Error& e) {
        wb_set_error((std::string(what) + ": " + e.what_without_backtrace()).c_str());
        return WB_ERR_DIST;
    } catch (const std::exception& e) {
        wb_set_error((std::string(what) + ": " + e.what()).c_str());
        return WB_ERR_DIST;
    } catch (...) {
        return wb_status_of_current_exception();
    }
}
}  // namespace

WB_API int32_t wb_dist_backends(int32_t* out) {
    WB_GUARD({
        int32_t bits = 0;
#ifdef WB_WITH_GLOO
        bits |= WB_DIST_GLOO;
#endif
#ifdef WB_WITH_NCCL
        bits |= WB_DIST_NCCL;
#endif
        *out = bits;
    })
}

#ifdef WB_WITH_DIST

namespace {
// The process-group base class: c10d::ProcessGroup in 1.13; from 2.0 a ProcessGroup dispatches to
// per-device c10d::Backend objects, which ProcessGroupGloo and ProcessGroupNCCL became.
#if TORCH_VERSION_MAJOR >= 2
using collectives = c10d::Backend;
#else
using collectives = c10d::ProcessGroup;
#endif

struct store_handle {
    c10::intrusive_ptr<c10d::Store> store;
};

struct group_handle {
    c10::intrusive_ptr<collectives> group;
    int world;
};

store_handle& store_ref(void* h) {
    if (h == nullptr) throw std::invalid_argument("null store handle");
    return *static_cast<store_handle*>(h);
}

group_handle& group_ref(void* h) {
    if (h == nullptr) throw std::invalid_argument("null process group handle");
    return *static_cast<group_handle*>(h);
}

std::vector<uint8_t> bytes_of(const uint8_t* data, int64_t n) { return std::vector<uint8_t>(data, data + n); }

// The tensors a call works on: the handles themselves, or (for gradients) each parameter's .grad,
// created as zeros where a rank has none so that every rank packs the same buckets.
std::vector<at::Tensor> operands(const wb_tensor* handles, int64_t n, bool grads) {
    std::vector<at::Tensor> out;
    out.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; i++) {
        auto& t = wb_ref(handles[i]);
        if (!grads) {
            out.push_back(t.detach());
            continue;
        }
        if (!t.grad().defined()) t.mutable_grad() = at::zeros_like(t);
        out.push_back(t.grad().detach());
    }
    return out;
}

// Consecutive runs of tensors with one dtype and device, each up to `bucket_bytes` (a tensor larger
// than that gets a bucket of its own): one collective per bucket instead of one per tensor.
std::vector<std::vector<at::Tensor>> buckets_of(const std::vector<at::Tensor>& tensors, int64_t bucket_bytes) {
    std::vector<std::vector<at::Tensor>> buckets;
    int64_t filled = 0;
    for (const auto& t : tensors) {
        const int64_t bytes = t.numel() * static_cast<int64_t>(t.element_size());
        bool fits = !buckets.empty() && buckets.back().front().scalar_type() == t.scalar_type() &&
                    buckets.back().front().device() == t.device() && filled + bytes <= bucket_bytes;
        if (!fits) {
            buckets.emplace_back();
            filled = 0;
        }
        buckets.back().push_back(t);
        filled += bytes;
    }
    return buckets;
}

// Runs `collective` on each bucket packed into one flat tensor (a lone contiguous tensor in place),
// then applies `finish` to the flat result and copies it back into the bucket's tensors.
template <typename Collective, typename Finish>
void over_buckets(const std::vector<at::Tensor>& tensors, int64_t bucket_bytes, Collective collective, Finish finish) {
    at::NoGradGuard no_grad;
    for (auto& bucket : buckets_of(tensors, bucket_bytes)) {
        if (bucket.size() == 1 && bucket[0].is_contiguous()) {
            collective(bucket[0]);
            finish(bucket[0]);
            continue;
        }
        std::vector<at::Tensor> flat_parts;
        flat_parts.reserve(bucket.size());
        for (const auto& t : bucket) flat_parts.push_back(t.reshape({-1}));
        auto flat = at::cat(flat_parts);  // (sum of numels,)
        collective(flat);
        finish(flat);
        int64_t offset = 0;
        for (auto& t : bucket) {
            t.copy_(flat.narrow(0, offset, t.numel()).view(t.sizes()));
            offset += t.numel();
        }
    }
}

void wait(const c10::intrusive_ptr<c10d::Work>& work) { work->wait(); }

// The gradient reducer (DDP's overlap of communication with backward): the parameters are split into
// buckets of up to `bucket_bytes`, in reverse order of registration since backward produces the last
// layers' gradients first. A post-hook on each parameter's gradient accumulator marks its gradient
// ready; once every gradient of a bucket is, the bucket is copied into its flat buffer and its
// all-reduce starts while backward goes on. finish() then waits for them all, divides by the world
// size and copies the averages back into the .grad tensors.
//
// Buckets start strictly in index order, on every rank alike, because Gloo pairs the ranks' collectives
// by the order they are issued in: a bucket that is ready before an earlier one waits for it. A
// parameter that got no gradient in this backward (unused by the forward, on one rank or on all) is
// never marked ready; finish() starts its bucket and every later one with whatever .grad holds (zeros
// where there is none), so unused parameters cost overlap, never a deadlock (DDP's
// find_unused_parameters without its graph walk). Only a backward after prepare(reduce = 1) reduces:
// the earlier micro-batches of an accumulated step only accumulate locally (DDP's no_sync).
struct reducer_state {
    struct bucket {
        std::vector<size_t> members;  // parameter indices, in the order they sit in `flat`
        std::vector<int64_t> offsets;
        at::Tensor flat;
        size_t pending = 0;  // members not yet ready in this backward
        c10::intrusive_ptr<c10d::Work> work;
    };

    c10::intrusive_ptr<collectives> group;
    int world = 1;
    std::vector<at::Tensor> params;
    std::vector<bucket> buckets;
    std::vector<size_t> bucket_of;  // parameter index -> bucket
    std::vector<char> ready;        // parameter index -> marked in this backward
    std::mutex mutex;               // hooks run on the engine's device threads on CUDA
    bool armed = false;
    size_t next = 0;                // the next bucket to start
    size_t early = 0;               // buckets the last reducing backward started (the rest: finish())
    std::string failure;            // a start that failed during backward, reported by finish()

    void reset(bool reduce) {
        std::lock_guard<std::mutex> lock(mutex);
        armed = reduce;
        next = 0;
        if (reduce) early = 0;
        failure.clear();
        std::fill(ready.begin(), ready.end(), 0);
        for (auto& b : buckets) {
            b.pending = b.members.size();
            b.work.reset();
        }
    }

    // Called by the accumulator's post-hook once parameter `i`'s gradient of this backward is in .grad.
    void mark_ready(size_t i) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!armed || ready[i]) return;
        ready[i] = 1;
        buckets[bucket_of[i]].pending--;
        while (next < buckets.size() && buckets[next].pending == 0) {
            start(next++);
            early++;
        }
    }

    // Packs bucket `k`'s gradients (zeros for a parameter without one) and starts its sum over ranks. A
    // failure is kept for finish(): an exception would surface from backward as an engine error instead.
    void start(size_t k) {
        auto& b = buckets[k];
        try {
            at::NoGradGuard no_grad;
            for (size_t j = 0; j < b.members.size(); j++) {
                const auto& p = params[b.members[j]];
                auto slice = b.flat.narrow(0, b.offsets[j], p.numel());
                const auto& g = p.grad();
                if (g.defined())
                    slice.view(p.sizes()).copy_(g);
                else
                    slice.zero_();
            }
            std::vector<at::Tensor> one{b.flat};
            c10d::AllreduceOptions options;
            options.reduceOp = c10d::ReduceOp::SUM;  // Gloo has no AVG; finish() divides
            b.work = group->allreduce(one, options);
        } catch (const c10::Error& e) {
            if (failure.empty()) failure = e.what_without_backtrace();
        } catch (const std::exception& e) {
            if (failure.empty()) failure = e.what();
        }
    }

    void finish() {
        std::lock_guard<std::mutex> lock(mutex);
        if (!armed) throw std::invalid_argument("gradient reducer: finish without a reducing backward (prepare with reduce = 1 first)");
        armed = false;
        while (next < buckets.size()) start(next++);
        if (!failure.empty()) throw std::runtime_error(failure);
        at::NoGradGuard no_grad;
        for (auto& b : buckets) {
            b.work->wait();
            b.work.reset();
            b.flat.div_(static_cast<double>(world));
            for (size_t j = 0; j < b.members.size(); j++) {
                auto& p = params[b.members[j]];
                auto mean = b.flat.narrow(0, b.offsets[j], p.numel()).view(p.sizes());
                if (p.grad().defined())
                    p.mutable_grad().copy_(mean);
                else
                    p.mutable_grad() = mean.clone();
            }
        }
    }
};

struct ready_hook : torch::autograd::FunctionPostHook {
    ready_hook(std::weak_ptr<reducer_state> state, size_t index) : state(std::move(state)), index(index) {}

    torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                              const torch::autograd::variable_list& /*inputs*/) override {
        if (auto s = state.lock()) s->mark_ready(index);
        return outputs;
    }

    std::weak_ptr<reducer_state> state;
    size_t index;
};

struct reducer_handle {
    std::shared_ptr<reducer_state> state;
    // The accumulators are held here (a parameter keeps only a weak reference), so that every later graph
    // reaches the same ones, with the hook; the hooks go again when the reducer is freed.
    std::vector<std::pair<std::shared_ptr<torch::autograd::Node>, std::uintptr_t>> hooks;

    ~reducer_handle() {
        for (auto& [accumulator, key] : hooks) accumulator->del_post_hook(key);
    }
};

reducer_handle& reducer_ref(void* h) {
    if (h == nullptr) throw std::invalid_argument("null gradient reducer handle");
    return *static_cast<reducer_handle*>(h);
}
}  // namespace

// Connects to the rendezvous store at host:port (rank 0 serves it); the store's calls wait up to
// `timeout_ms`. A port in use or a master unreachable within the timeout is WB_ERR_DIST.
WB_API int32_t wb_dist_store_connect(const char* host, int32_t port, int32_t world, int32_t rank, int64_t timeout_ms,
                                     void** out) {
    return dist_guard("rendezvous", [&] {
        if (host == nullptr) throw std::invalid_argument("null master host");
        if (world < 1 || rank < 0 || rank >= world)
            throw std::invalid_argument("rank " + std::to_string(rank) + " is outside a world of " + std::to_string(world));
        if (port < 1 || port > 65535) throw std::invalid_argument("port " + std::to_string(port) + " is not a TCP port");
        c10d::TCPStoreOptions options;
        options.port = static_cast<std::uint16_t>(port);
        options.isServer = rank == 0;
        options.numWorkers = static_cast<std::size_t>(world);
        // No waiting here: TCPStore's own wait for workers gives up silently at the timeout in libtorch
        // 1.13, so the caller counts arrivals itself (RendezvousStore.WaitForRanks).
        options.waitWorkers = false;
        options.timeout = std::chrono::milliseconds(timeout_ms);
        auto store = c10::make_intrusive<c10d::TCPStore>(std::string(host), options);
        *out = new store_handle{store};
    });
}

WB_API int32_t wb_dist_store_free(void* store) { WB_GUARD(delete static_cast<store_handle*>(store)) }

WB_API int32_t wb_dist_store_set(void* store, const char* key, const uint8_t* value, int64_t length) {
    return dist_guard("store set", [&] { store_ref(store).store->set(key, bytes_of(value, length)); });
}

// Waits up to `timeout_ms` for `key`, then copies its value into the caller's buffer (as much as fits)
// and reports its full length.
WB_API int32_t wb_dist_store_get(void* store, const char* key, int64_t timeout_ms, uint8_t* buffer, int64_t capacity,
                                 int64_t* length) {
    return dist_guard((std::string("waiting for '") + key + "'").c_str(), [&] {
        auto& s = *store_ref(store).store;
        s.wait({key}, std::chrono::milliseconds(timeout_ms));
        auto value = s.get(key);
        *length = static_cast<int64_t>(value.size());
        if (buffer != nullptr) std::memcpy(buffer, value.data(), std::min<size_t>(value.size(), static_cast<size_t>(capacity)));
    });
}

// Whether `key` is set, without waiting.
WB_API int32_t wb_dist_store_check(void* store, const char* key, int32_t* present) {
    return dist_guard("store check", [&] { *present = store_ref(store).store->check({key}) ? 1 : 0; });
}

WB_API int32_t wb_dist_store_add(void* store, const char* key, int64_t delta, int64_t* result) {
    return dist_guard("store add", [&] { *result = store_ref(store).store->add(key, delta); });
}

// A process group over the store (its keys under "pg/"): Gloo (backend 1) on CPU tensors, NCCL (2)
// on CUDA tensors (each rank's on its own device). Gloo binds to `bind_host` (the address peers reach this machine at;
// empty: this machine's hostname, as torch.distributed does). Collectives fail after `timeout_ms`.
WB_API int32_t wb_dist_group_create(void* store, int32_t backend, int32_t rank, int32_t world, int64_t timeout_ms,
                                    const char* bind_host, void** out) {
    return dist_guard("process group", [&] {
        auto prefixed = c10::make_intrusive<c10d::PrefixStore>("pg/", store_ref(store).store);
        const auto timeout = std::chrono::milliseconds(timeout_ms);
        c10::intrusive_ptr<collectives> group;
        if (backend == WB_DIST_GLOO) {
#ifdef WB_WITH_GLOO
            auto options = c10d::ProcessGroupGloo::Options::create(timeout);
            const std::string host = bind_host != nullptr ? bind_host : "";
            options->devices.push_back(host.empty() ? c10d::ProcessGroupGloo::createDefaultDevice()
                                                    : c10d::ProcessGroupGloo::createDeviceForHostname(host));
            options->threads = 2;
            group = c10::make_intrusive<c10d::ProcessGroupGloo>(prefixed, rank, world, options);
#else
            throw std::invalid_argument("this engine was built without Gloo (install libgloo-dev and rebuild the shim)");
#endif
        } else if (backend == WB_DIST_NCCL) {
#ifdef WB_WITH_NCCL
            auto options = c10d::ProcessGroupNCCL::Options::create();
            options->timeout = timeout;
            group = c10::make_intrusive<c10d::ProcessGroupNCCL>(prefixed, rank, world, options);
#else
            throw std::invalid_argument("this engine was built without NCCL (it needs PyTorch's CUDA libtorch)");
#endif
        } else {
            throw std::invalid_argument("unknown backend " + std::to_string(backend));
        }
        *out = new group_handle{group, world};
    });
}

WB_API int32_t wb_dist_group_free(void* group) { WB_GUARD(delete static_cast<group_handle*>(group)) }

// Sums (op 0) or averages (op 1) `n` tensors across ranks in place, `bucket_bytes` to a collective.
// With `grads` set the handles are parameters and their gradients are reduced.
WB_API int32_t wb_dist_all_reduce(void* group, const wb_tensor* tensors, int64_t n, int32_t op, int64_t bucket_bytes,
                                  int32_t grads) {
    return dist_guard("all-reduce", [&] {
        auto& g = group_ref(group);
        if (op != WB_REDUCE_SUM && op != WB_REDUCE_AVG) throw std::invalid_argument("unknown reduction " + std::to_string(op));
        const double world = g.world;
        over_buckets(
            operands(tensors, n, grads != 0), bucket_bytes,
            [&](at::Tensor& flat) {
                std::vector<at::Tensor> one{flat};
                c10d::AllreduceOptions options;
                options.reduceOp = c10d::ReduceOp::SUM;  // Gloo has no AVG; the division follows
                wait(g.group->allreduce(one, options));
            },
            [&](at::Tensor& flat) {
                if (op == WB_REDUCE_AVG) flat.div_(world);
            });
    });
}

// Overwrites `n` tensors on every rank with rank `root`'s values.
WB_API int32_t wb_dist_broadcast(void* group, const wb_tensor* tensors, int64_t n, int32_t root, int64_t bucket_bytes) {
    return dist_guard("broadcast", [&] {
        auto& g = group_ref(group);
        over_buckets(
            operands(tensors, n, false), bucket_bytes,
            [&](at::Tensor& flat) {
                std::vector<at::Tensor> one{flat};
                c10d::BroadcastOptions options;
                options.rootRank = root;
                wait(g.group->broadcast(one, options));
            },
            [](at::Tensor&) {});
    });
}

WB_API int32_t wb_dist_barrier(void* group) {
    return dist_guard("barrier", [&] { wait(group_ref(group).group->barrier()); });
}

// A gradient reducer over `n` parameters (leaves, in registration order; those that do not require grad
// are left out) and `group`, with buckets of up to `bucket_bytes` (a larger parameter gets its own), the
// first (the last layers) up to `first_bucket_bytes` as well (DDP: 1 MB), so that the first all-reduce
// starts early in backward.
WB_API int32_t wb_dist_reducer_create(void* group, const wb_tensor* params, int64_t n, int64_t bucket_bytes,
                                      int64_t first_bucket_bytes, void** out) {
    return dist_guard("gradient reducer", [&] {
        auto& g = group_ref(group);
        if (bucket_bytes < 1 || first_bucket_bytes < 1)
            throw std::invalid_argument("bucket size " + std::to_string(std::min(bucket_bytes, first_bucket_bytes)) + " bytes is not positive");
        auto state = std::make_shared<reducer_state>();
        state->group = g.group;
        state->world = g.world;
        for (int64_t i = 0; i < n; i++) {
            auto& p = wb_ref(params[i]);
            if (!p.requires_grad()) continue;  // frozen: never gets a gradient to reduce
            if (!p.is_leaf()) throw std::invalid_argument("parameter " + std::to_string(i) + " is not a leaf tensor (it has a grad_fn)");
            state->params.push_back(p);
        }
        // Reverse order of registration; consecutive parameters of one dtype and device share a bucket.
        int64_t filled = 0;
        state->bucket_of.assign(state->params.size(), 0);
        for (size_t i = state->params.size(); i-- > 0;) {
            const auto& p = state->params[i];
            const int64_t bytes = p.numel() * static_cast<int64_t>(p.element_size());
            const int64_t cap = state->buckets.size() == 1 ? std::min(first_bucket_bytes, bucket_bytes) : bucket_bytes;
            bool fits = !state->buckets.empty() && filled + bytes <= cap;
            if (fits) {
                const auto& first = state->params[state->buckets.back().members.front()];
                fits = first.scalar_type() == p.scalar_type() && first.device() == p.device();
            }
            if (!fits) {
                state->buckets.emplace_back();
                filled = 0;
            }
            auto& b = state->buckets.back();
            b.offsets.push_back(filled / static_cast<int64_t>(p.element_size()));
            b.members.push_back(i);
            filled += bytes;
            state->bucket_of[i] = state->buckets.size() - 1;
        }
        for (auto& b : state->buckets) {
            const auto& first = state->params[b.members.front()];
            int64_t numel = 0;
            for (auto m : b.members) numel += state->params[m].numel();
            b.flat = at::zeros({numel}, first.options().requires_grad(false));
        }
        state->ready.assign(state->params.size(), 0);
        auto handle = std::make_unique<reducer_handle>();
        handle->state = state;
        for (size_t i = 0; i < state->params.size(); i++) {
            auto accumulator = torch::autograd::impl::grad_accumulator(state->params[i]);
            auto key = accumulator->add_post_hook(std::make_unique<ready_hook>(state, i));
            handle->hooks.emplace_back(std::move(accumulator), key);
        }
        *out = handle.release();
    });
}

WB_API int32_t wb_dist_reducer_free(void* reducer) { WB_GUARD(delete static_cast<reducer_handle*>(reducer)) }

// How many buckets there are, and how many of them the last reducing backward started itself (the
// others started in finish(): after a parameter that backward did not reach, or when no hook ran).
WB_API int32_t wb_dist_reducer_buckets(void* reducer, int64_t* count, int64_t* started_in_backward) {
    WB_GUARD({
        auto& s = *reducer_ref(reducer).state;
        std::lock_guard<std::mutex> lock(s.mutex);
        *count = static_cast<int64_t>(s.buckets.size());
        *started_in_backward = static_cast<int64_t>(s.early);
    })
}

// Before each backward: with `reduce` set, that backward's gradients are all-reduced as they become
// ready (the step's last micro-batch), and finish() must follow; otherwise it only accumulates locally.
WB_API int32_t wb_dist_reducer_prepare(void* reducer, int32_t reduce) { WB_GUARD(reducer_ref(reducer).state->reset(reduce != 0)) }

// After the reducing backward: starts the buckets still waiting (unused parameters), waits for every
// all-reduce and leaves each parameter's .grad the mean over ranks.
WB_API int32_t wb_dist_reducer_finish(void* reducer) {
    return dist_guard("all-reduce", [&] { reducer_ref(reducer).state->finish(); });
}

#else  // no c10d in this libtorch: every export says so

namespace {
int32_t missing() {
    wb_set_error("this engine was built without data-parallel support (libtorch without c10d, or Gloo's headers missing: "
                 "install libgloo-dev and rebuild the shim)");
    return WB_ERR_ARGUMENT;
}
}  // namespace

WB_API int32_t wb_dist_store_connect(const char*, int32_t, int32_t, int32_t, int64_t, void**) { return missing(); }
WB_API int32_t wb_dist_store_free(void*) { return WB_OK; }
WB_API int32_t wb_dist_store_set(void*, const char*, const uint8_t*, int64_t) { return missing(); }
WB_API int32_t wb_dist_store_get(void*, const char*, int64_t, uint8_t*, int64_t, int64_t*) { return missing(); }
WB_API int32_t wb_dist_store_check(void*, const char*, int32_t*) { return missing(); }
WB_API int32_t wb_dist_store_add(void*, const char*, int64_t, int64_t*) { return missing(); }
WB_API int32_t wb_dist_group_create(void*, int32_t, int32_t, int32_t, int64_t, const char*, void**) { return missing(); }
WB_API int32_t wb_dist_group_free(void*) { return WB_OK; }
WB_API int32_t wb_dist_all_reduce(void*, const wb_tensor*, int64_t, int32_t, int64_t, int32_t) { return missing(); }
WB_API int32_t wb_dist_broadcast(void*, const wb_tensor*, int64_t, int32_t, int64_t) { return missing(); }
WB_API int32_t wb_dist_barrier(void*) { return missing(); }
WB_API int32_t wb_dist_reducer_create(void*, const wb_tensor*, int64_t, int64_t, int64_t, void**) { return missing(); }
WB_API int32_t wb_dist_reducer_free(void*) { return WB_OK; }
WB_API int32_t wb_dist_reducer_buckets(void*, int64_t*, int64_t*) { return missing(); }
WB_API int32_t wb_dist_reducer_prepare(void*, int32_t) { return missing(); }
WB_API int32_t wb_dist_reducer_finish(void*) { return missing(); }

#endif
