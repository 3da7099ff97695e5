#include "traffic/dma_generator.h"

#include <stdexcept>

#include "models/common/tlm/dma_ext.h"
#include "models/common/tlm/sc_time_util.h"

using namespace sc_core;

namespace iommusim {

DmaGenerator::DmaGenerator(const sc_module_name& name, const GeneratorParams& p, RequesterId rid, uint16_t segment,
                           uint64_t iova_base, uint64_t window, const sc_event& start)
    : sc_module(name),
      out("out"),
      p_(p),
      rid_(rid),
      segment_(segment),
      base_(iova_base),
      window_(window),
      start_(start),
      state_(p.seed ? p.seed : 0x9E3779B97F4A7C15ull),
      buf_(p.size) {
    if (p_.size == 0 || window_ < p_.size)
        throw std::invalid_argument("DMA generator '" + std::string(name) + "': transaction size must be 1.." +
                                    std::to_string(window_) + " bytes (the window)");
    if (p_.stride == 0) p_.stride = p_.size;
    mix_state_ = state_ ^ 0xD1B54A32D192ED03ull;  // read/write choice: its own stream
    SC_THREAD(run);
}

void DmaGenerator::register_stats(StatsRegistry& reg, const std::string& pre) {
    reg.add_counter(pre + ".transactions", &done_);
    reg.add_counter(pre + ".bytes", &bytes_);
    reg.add_counter(pre + ".faults", &faults_);
    reg.add_counter(pre + ".reads", &reads_);
    reg.add_counter(pre + ".writes", &writes_);
    reg.add_histogram(pre + ".latency_ns", &latency_);
    reg.add_histogram(pre + ".translation_ns", &translation_);
}

uint64_t DmaGenerator::xorshift(uint64_t& x) {
    // xorshift64*
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    return x * 0x2545F4914F6CDD1Dull;
}

uint64_t DmaGenerator::rng() { return xorshift(state_); }

uint64_t DmaGenerator::next_address(uint64_t i) {
    const uint64_t slots = window_ / p_.size;
    if (p_.pattern == "random") return base_ + (rng() % slots) * p_.size;
    return base_ + (i * p_.stride) % (slots * p_.size);
}

void DmaGenerator::run() {
    wait(start_);
    tlm_utils::tlm_quantumkeeper qk;
    qk.reset();
    start_time_ = sc_time_stamp();
    tlm::tlm_generic_payload tx;
    DmaExtension ext;
    ext.segment = segment_;
    ext.rid = rid_;
    tx.set_extension(&ext);
    const sc_time gap(p_.gap_ns, SC_NS);
    for (uint64_t i = 0; i < p_.transactions; ++i) {
        const bool write = p_.write_fraction > 0 && double(xorshift(mix_state_) >> 11) * 0x1.0p-53 < p_.write_fraction;
        tx.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        tx.set_address(next_address(i));
        tx.set_data_ptr(buf_.data());
        tx.set_data_length(p_.size);
        tx.set_streaming_width(p_.size);
        tx.set_byte_enable_ptr(nullptr);
        tx.set_dmi_allowed(false);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        ext.translation_ps = 0;
        ext.faulted = false;
        const sc_time before = qk.get_local_time();
        sc_time d = before;
        out->b_transport(tx, d);
        latency_.record(double(to_ps(d - before)) / 1000.0);
        translation_.record(double(ext.translation_ps) / 1000.0);
        done_++;
        if (tx.is_response_ok()) {
            bytes_ += p_.size;
            (write ? writes_ : reads_)++;
        } else {
            faults_++;
        }
        qk.set(i + 1 < p_.transactions ? d + gap : d);  // the gap separates transactions
        if (qk.need_sync()) qk.sync();
    }
    qk.sync();
    tx.clear_extension(&ext);
    finished_ = true;
    finish_time_ = sc_time_stamp();
}

}  // namespace iommusim
