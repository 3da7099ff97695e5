#include "traffic/dma_initiator.h"

#include "models/common/tlm/dma_ext.h"
#include "models/common/tlm/sc_time_util.h"

using namespace sc_core;

namespace iommusim {

std::function<void()> DmaInitiator::progress_hook_;
uint64_t DmaInitiator::total_ = 0;

void DmaInitiator::set_progress_hook(std::function<void()> hook) { progress_hook_ = std::move(hook); }

DmaInitiator::DmaInitiator(const sc_module_name& name, RequesterId rid, uint16_t segment)
    : sc_module(name), out("out"), rid_(rid), segment_(segment) {
    ext_.segment = segment_;
    ext_.rid = rid_;
    tx_.set_extension(&ext_);
}

DmaInitiator::~DmaInitiator() { tx_.clear_extension(&ext_); }

void DmaInitiator::register_stats(StatsRegistry& reg, const std::string& pre) {
    reg.add_counter(pre + ".transactions", &done_);
    reg.add_counter(pre + ".bytes", &bytes_);
    reg.add_counter(pre + ".faults", &faults_);
    reg.add_counter(pre + ".reads", &reads_);
    reg.add_counter(pre + ".writes", &writes_);
    reg.add_counter(pre + ".descriptor_accesses", &descriptor_accesses_);
    reg.add_counter(pre + ".descriptor_bytes", &descriptor_bytes_);
    reg.add_histogram(pre + ".latency_ns", &latency_);
    reg.add_histogram(pre + ".translation_ns", &translation_);
}

void DmaInitiator::started() {
    if (running_++ == 0 && !finished_) start_time_ = sc_time_stamp();
}

void DmaInitiator::stopped() {
    if (--running_ == 0) {
        finished_ = true;
        finish_time_ = last_done_ > start_time_ ? last_done_ : start_time_;  // the last completion
    }
}

bool DmaInitiator::issue(const Request& r, tlm_utils::tlm_quantumkeeper& qk, bool payload) {
    if (r.has_due && r.due > qk.get_current_time()) qk.set(r.due - sc_time_stamp());
    const sc_time issue_at = qk.get_current_time();
    // One payload and extension per initiator, reused: nothing on the DMA
    // path waits, so calls from this initiator's threads never overlap.
    sc_assert(!in_transport_);
    in_transport_ = true;
    tlm::tlm_generic_payload& tx = tx_;
    DmaExtension& ext = ext_;
    ext.pasid_valid = r.pasid_valid;
    ext.pasid = r.pasid;
    ext.translation_ps = 0;
    ext.faulted = false;
    ext.translated = false;
    ext.output_addr = r.addr;  // what reaches memory when nothing translates
    ext.fault = nullptr;
    tx.set_command(r.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    tx.set_address(r.addr);
    tx.set_data_ptr(r.data);
    tx.set_data_length(r.size);
    tx.set_streaming_width(r.size);
    tx.set_byte_enable_ptr(nullptr);
    tx.set_dmi_allowed(false);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time d = qk.get_local_time();
    out->b_transport(tx, d);
    in_transport_ = false;
    const sc_time done = sc_time_stamp() + d;
    if (done > last_done_) last_done_ = done;
    qk.set(d);
    const bool ok = tx.is_response_ok();
    if (!ok) faults_++;
    if (!payload) {
        descriptor_accesses_++;
        if (ok) descriptor_bytes_ += r.size;
        return ok;
    }
    const sc_time from = r.has_due ? r.due : issue_at;
    latency_.record(double(to_ps(done - from)) / 1000.0);
    translation_.record(double(ext.translation_ps) / 1000.0);
    done_++;
    if ((++total_ & 1023) == 0 && progress_hook_) progress_hook_();
    if (ok) {
        bytes_ += r.size;
        (r.write ? writes_ : reads_)++;
    }
    if (on_complete)
        on_complete(Completed{r.index, r.addr, r.size, r.write, r.pasid_valid, r.pasid, from, done, ok,
                              ext.translation_ps, ext.translated, ext.output_addr, ext.fault});
    return ok;
}

}  // namespace iommusim
