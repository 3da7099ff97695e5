#include "traffic/host_driven.h"

#include <algorithm>

using namespace sc_core;

namespace iommusim {

HostDrivenInitiator::HostDrivenInitiator(const sc_module_name& name, RequesterId rid, uint16_t segment,
                                         const DriverDmaParams& dp, std::string kind, std::string unit)
    : DmaInitiator(name, rid, segment), dp_(dp), kind_(std::move(kind)), unit_(std::move(unit)) {}

void HostDrivenInitiator::set_slots(uint64_t first_iova, uint64_t slot_bytes, uint64_t n) {
    slot_base_ = first_iova;
    slot_bytes_ = slot_bytes;
    n_slots_ = n;
    state_.assign(n, SlotState::Free);
    free_.clear();
    for (uint64_t i = n; i-- > 0;) free_.push_back(i);  // slot 0 first
}

void HostDrivenInitiator::register_stats(StatsRegistry& reg, const std::string& prefix) {
    DmaInitiator::register_stats(reg, prefix);
    const std::string p = prefix + "." + kind_ + ".";
    reg.add_counter(p + unit_, &st_.units);
    reg.add_histogram(p + "latency_ns", &st_.latency_ns);
    reg.add_histogram(p + "map_ns", &st_.map_ns);
    reg.add_histogram(p + "unmap_ns", &st_.unmap_ns);
    reg.add_counter(p + "map_calls", &st_.map_calls);
    reg.add_counter(p + "map_failures", &st_.map_failures);
    reg.add_counter(p + "unmap_calls", &st_.unmap_calls);
    reg.add_counter(p + "flushes", &st_.flushes);
    reg.add_counter(p + "flushes_full", &st_.flushes_full);
    reg.add_counter(p + "flushes_timeout", &st_.flushes_timeout);
    reg.add_counter(p + "flushes_no_iova", &st_.flushes_no_iova);
    reg.add_counter(p + "flushes_final", &st_.flushes_final);
    reg.add_counter(p + "max_queued", &st_.max_queued);
    reg.add_value(p + "invalidation_commands", [this] { return double(invalidation_commands()); });
    reg.add_value(p + "sync_commands", [this] { return double(sync_commands()); });
}

void HostDrivenInitiator::event(DriverEvent::Kind k, uint64_t iova, uint64_t size, uint64_t pa, bool strict,
                                const sc_time& begin) {
    if (on_driver_event) on_driver_event(DriverEvent{k, iova, size, pa, strict, begin, sc_time_stamp()});
}

void HostDrivenInitiator::map_persistent(uint64_t iova, uint64_t bytes) {
    if (persistent_done_ || !mapper_) return;
    persistent_done_ = true;
    if (!mapper_->map(iova, buffer_pa_, bytes)) st_.map_failures++;
}

uint64_t HostDrivenInitiator::acquire(uint64_t key, bool& map_now) {
    if (dp_.unmap_policy == UnmapPolicy::None) {
        map_now = state_.at(key) != SlotState::Persistent;
        state_[key] = SlotState::Persistent;
        return slot_iova(key);
    }
    for (;;) {
        if (!free_.empty()) {
            const uint64_t s = free_.back();
            free_.pop_back();
            state_[s] = SlotState::InUse;
            map_now = true;
            return slot_iova(s);
        }
        if (!fq_.empty() && !flushing_)
            flush(Flush::NoIova);
        else
            wait(changed_);  // another thread's unmap or flush frees a slot
    }
}

bool HostDrivenInitiator::map(uint64_t iova, uint64_t pa, uint64_t size) {
    const sc_time t0 = sc_time_stamp();
    st_.map_calls++;
    const bool ok = mapper_->map(iova, pa, size);
    if (!ok) st_.map_failures++;
    event(DriverEvent::Kind::Map, iova, size, pa, false, t0);
    return ok;
}

void HostDrivenInitiator::release(uint64_t iova) {
    if (dp_.unmap_policy == UnmapPolicy::None) return;
    const uint64_t s = (iova - slot_base_) / slot_bytes_;
    const bool strict = dp_.unmap_policy == UnmapPolicy::Strict;
    const sc_time t0 = sc_time_stamp();
    st_.unmap_calls++;
    mapper_->unmap(iova, slot_bytes_, strict);
    event(DriverEvent::Kind::Unmap, iova, slot_bytes_, 0, strict, t0);
    if (strict) {
        state_[s] = SlotState::Free;
        free_.push_back(s);
        changed_.notify();
        return;
    }
    state_[s] = SlotState::Queued;
    fq_.push_back(Queued{s, sc_time_stamp()});
    st_.max_queued = std::max<uint64_t>(st_.max_queued, fq_.size());
    if (flushing_) return;  // another thread is flushing; the next queued entry checks again
    if (fq_.size() >= dp_.flush_batch)
        flush(Flush::Full);
    else if (sc_time_stamp() - fq_.front().at >= sc_time(dp_.flush_timeout_ns, SC_NS))
        flush(Flush::Timeout);
}

void HostDrivenInitiator::drain() {
    if (dp_.unmap_policy != UnmapPolicy::Deferred || !mapper_) return;
    while (flushing_) wait(changed_);
    if (!fq_.empty()) flush(Flush::Final);
}

// Takes the entries queued so far (later ones were unmapped after the
// invalidation may have started: they wait for the next flush), invalidates
// the domain, then frees them.
void HostDrivenInitiator::flush(Flush why) {
    flushing_ = true;
    std::deque<Queued> batch;
    batch.swap(fq_);
    const sc_time t0 = sc_time_stamp();
    mapper_->flush();
    event(DriverEvent::Kind::Flush, 0, 0, 0, false, t0);
    for (const Queued& q : batch) {
        state_[q.slot] = SlotState::Free;
        free_.push_back(q.slot);
    }
    st_.flushes++;
    (why == Flush::Full      ? st_.flushes_full
     : why == Flush::Timeout ? st_.flushes_timeout
     : why == Flush::NoIova  ? st_.flushes_no_iova
                             : st_.flushes_final)++;
    flushing_ = false;
    changed_.notify();
}

}  // namespace iommusim
