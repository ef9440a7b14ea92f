// The per-thread error message and the mapping from C++ exception types to status kinds.
#include "wb_common.h"

namespace {
thread_local std::string last_error;
}

void wb_set_error(const char* message) { last_error = message ? message : ""; }

int32_t wb_status_of_current_exception() {
    try {
        throw;
    } catch (const c10::IndexError& e) {
        wb_set_error(e.what_without_backtrace());
        return WB_ERR_INDEX;
    } catch (const c10::ValueError& e) {
        wb_set_error(e.what_without_backtrace());
        return WB_ERR_VALUE;
    } catch (const c10::TypeError& e) {
        wb_set_error(e.what_without_backtrace());
        return WB_ERR_TYPE;
    } catch (const c10::NotImplementedError& e) {
        wb_set_error(e.what_without_backtrace());
        return WB_ERR_NOT_IMPLEMENTED;
    } catch (const c10::Error& e) {
        std::string msg = e.what_without_backtrace();
        wb_set_error(msg.c_str());
        if (msg.find("out of memory") != std::string::npos) return WB_ERR_OUT_OF_MEMORY;
        // libtorch 1.13's dtype dispatch raises a plain c10::Error: "addmm_impl_cpu_" not implemented for 'Half'.
        if (msg.find("not implemented for") != std::string::npos) return WB_ERR_NOT_IMPLEMENTED;
        return WB_ERR_TORCH;
    } catch (const std::bad_alloc&) {
        wb_set_error("out of memory");
        return WB_ERR_OUT_OF_MEMORY;
    } catch (const std::invalid_argument& e) {
        wb_set_error(e.what());
        return WB_ERR_ARGUMENT;
    } catch (const std::exception& e) {
        wb_set_error(e.what());
        return WB_ERR_STD;
    } catch (...) {
        wb_set_error("unknown native exception");
        return WB_ERR_UNKNOWN;
    }
}

// The message of the calling thread's last failed call; valid until its next failure.
WB_API const char* wb_last_error() { return last_error.c_str(); }
