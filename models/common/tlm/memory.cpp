#include "models/common/tlm/memory.h"
#include "models/common/tlm/sc_time_util.h"

#include <algorithm>
#include <cmath>

using namespace sc_core;

namespace iommusim {

Memory::Memory(const sc_module_name& name, const MemoryParams& p)
    : sc_module(name), in("in"), p_(p) {
    in.register_b_transport(this, &Memory::b_transport);
    in.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
    in.register_transport_dbg(this, &Memory::transport_dbg);
    latency_ps_ = static_cast<ps_t>(std::llround(p_.latency_ns * 1000.0));
    // GB/s = bytes per ns  ->  ps per byte = 1000 / GBps
    ps_per_byte_ = p_.bandwidth_gbps > 0 ? 1000.0 / p_.bandwidth_gbps : 0.0;
}

void Memory::b_transport(int, tlm::tlm_generic_payload& tx, sc_time& delay) {
    const uint64_t addr = tx.get_address();
    const unsigned len = tx.get_data_length();
    if (tx.get_byte_enable_ptr() != nullptr) {
        tx.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        errors_++;
        return;
    }
    if (addr < p_.base || len > p_.size || addr - p_.base > p_.size - len) {
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        errors_++;
        return;
    }
    const ps_t at = now_ps() + to_ps(delay);
    const ps_t transfer = static_cast<ps_t>(len * ps_per_byte_ + 0.5);
    const ps_t start = channel_.acquire(at, transfer, now_ps());
    const ps_t done = start + transfer + latency_ps_;
    delay += from_ps(done - at);

    if (tx.is_read()) {
        mem_.read(addr, tx.get_data_ptr(), len);
        reads_++;
        bytes_read_ += len;
    } else if (tx.is_write()) {
        mem_.write(addr, tx.get_data_ptr(), len);
        writes_++;
        bytes_written_ += len;
    }
    tx.set_dmi_allowed(p_.dmi);
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool Memory::get_direct_mem_ptr(int, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    const uint64_t addr = tx.get_address();
    if (!p_.dmi || addr < p_.base || addr - p_.base >= p_.size) return false;
    // One backing page, clipped to [base, base + size).
    const uint64_t pg = addr & ~(SparseMemory::page_size - 1);
    const uint64_t start = std::max(pg, p_.base);
    const uint64_t end = std::min(pg + SparseMemory::page_size - 1, p_.base + (p_.size - 1));
    dmi.set_dmi_ptr(mem_.page(pg, true) + (start - pg));
    dmi.set_start_address(start);
    dmi.set_end_address(end);
    dmi.allow_read_write();
    dmi.set_read_latency(from_ps(latency_ps_));
    dmi.set_write_latency(from_ps(latency_ps_));
    return true;
}

unsigned int Memory::transport_dbg(int, tlm::tlm_generic_payload& tx) {
    const uint64_t addr = tx.get_address();
    if (addr < p_.base || addr - p_.base >= p_.size) return 0;
    const unsigned len = static_cast<unsigned>(std::min<uint64_t>(tx.get_data_length(), p_.size - (addr - p_.base)));
    if (tx.is_read())
        mem_.read(tx.get_address(), tx.get_data_ptr(), len);
    else if (tx.is_write())
        mem_.write(tx.get_address(), tx.get_data_ptr(), len);
    return len;
}

}  // namespace iommusim
