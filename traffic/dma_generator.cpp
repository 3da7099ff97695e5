#include "traffic/dma_generator.h"

#include <algorithm>
#include <stdexcept>

#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/common/tlm/dma_ext.h"
#include "models/common/tlm/sc_time_util.h"
#include "traffic/generator_util.h"

using namespace sc_core;

namespace iommusim {

using gen::require;

DmaGenerator::DmaGenerator(const sc_module_name& name, const GeneratorParams& p, RequesterId rid, uint16_t segment,
                           uint64_t iova_base, uint64_t window, const sc_event& start)
    : DmaInitiator(name, rid, segment),
      p_(p),
      base_(iova_base),
      window_(p.window ? std::min(p.window, window) : window),
      start_(start) {
    require(p_.size != 0 && window_ >= p_.size,
            "size: must be 1.." + std::to_string(window_) + " bytes (the device's buffer)");
    require(p_.idle || p_.transactions || p_.bytes || p_.duration_ns > 0,
            "transactions: one of transactions, bytes or duration_ns must be set");
    require(p_.outstanding >= 1, "outstanding: must be at least 1");
    require(p_.write_fraction >= 0 && p_.write_fraction <= 1, "write_fraction: must be within 0..1");
    require(!(p_.rate_mtps > 0 && p_.rate_gbps > 0), "rate_gbps: give rate_mtps or rate_gbps, not both");
    require(p_.rate_mtps >= 0 && p_.rate_gbps >= 0, "rate_mtps: must not be negative");
    if (p_.rate_mtps > 0) interval_ = sc_time(1e6 / p_.rate_mtps, SC_PS);
    if (p_.rate_gbps > 0) interval_ = sc_time(double(p_.size) / p_.rate_gbps * 1000.0, SC_PS);
    require(!(p_.rate_mtps > 0 || p_.rate_gbps > 0) || interval_ > SC_ZERO_TIME,
            "rate_mtps: too high for the time resolution (1 ps)");

    traffic::PatternParams pp = p_.shape;
    pp.kind = p_.pattern;
    pp.base = base_;
    pp.window = window_;
    pp.size = p_.size;
    pp.seed = p_.seed;
    pattern_ = traffic::make_pattern(pp);
    const uint64_t s = p_.seed ? p_.seed : 0x9E3779B97F4A7C15ull;
    mix_state_ = s ^ 0xD1B54A32D192ED03ull;  // read/write choice: its own stream
    for (unsigned i = 0; i < p_.outstanding; ++i) SC_THREAD(slot);
}

uint64_t DmaGenerator::xorshift(uint64_t& x) {
    // xorshift64*
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    return x * 0x2545F4914F6CDD1Dull;
}

// Hands out the next transaction in issue order, or false when a limit is
// reached. `now` is the calling slot's local time (closed-loop duration limit).
bool DmaGenerator::claim(const sc_time& now, Next& n) {
    if (p_.idle) return false;
    if (p_.transactions && issued_ >= p_.transactions) return false;
    if (p_.bytes && issued_bytes_ >= p_.bytes) return false;
    const bool open = interval_ > SC_ZERO_TIME;
    n.due = open ? start_time() + interval_ * double(issued_) : now;
    if (p_.duration_ns > 0 && n.due >= start_time() + sc_time(p_.duration_ns, SC_NS)) return false;
    n.index = issued_++;
    issued_bytes_ += p_.size;
    n.addr = pattern_->next();
    n.write = p_.write_fraction > 0 && double(xorshift(mix_state_) >> 11) * 0x1.0p-53 < p_.write_fraction;
    return true;
}

void DmaGenerator::slot() {
    wait(start_);
    started();
    tlm_utils::tlm_quantumkeeper qk;
    qk.reset();
    std::vector<unsigned char> buf(p_.size);
    const sc_time gap(p_.gap_ns, SC_NS);
    const bool open = interval_ > SC_ZERO_TIME;
    Next n{};
    while (claim(qk.get_current_time(), n)) {
        Request r;
        r.index = n.index;
        r.addr = n.addr;
        r.size = p_.size;
        r.write = n.write;
        r.pasid_valid = p_.pasid_valid;
        r.pasid = p_.pasid;
        r.data = buf.data();
        r.has_due = open;
        r.due = n.due;
        issue(r, qk);
        if (gap > SC_ZERO_TIME) qk.inc(gap);
        if (qk.need_sync()) qk.sync();
    }
    qk.sync();
    stopped();
}

}  // namespace iommusim
