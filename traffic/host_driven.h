// The host driver's side of a driver-in-the-loop generator (the ring and
// storage generators derive from it): an IOVA allocator over the device's
// window, map and unmap through the HostMapper with one of Linux's unmap
// policies (driver_params.h), and the driver-side measurements.
//
// IOVA allocator: the part of the device's IOVA window after its persistent
// area (the descriptor ring / the scatter-gather lists) is cut into `slots`
// of `slot_bytes` (a packet buffer, a request's block), handed out
// last-freed-first (like Linux's per-CPU IOVA caches) from slot 0 up.
//   strict:   a slot is free again as soon as its unmap (with its
//             invalidation and CMD_SYNC) has completed.
//   deferred: an unmapped slot goes to the flush queue; after each queued
//             entry the driver flushes (HostMapper::flush(): one domain-wide
//             invalidation + CMD_SYNC) when the queue holds flush_batch
//             entries or its oldest entry was queued flush_timeout_ns ago or
//             more (checked when an entry is queued: the model has no timer
//             thread), and only then frees the queued slots. A slot is never
//             reused before the flush that follows its unmap has completed.
//             When no slot is free the allocating thread flushes the queue
//             itself (flushes_no_iova; Linux would take fresh IOVA space —
//             give the device more slots than flush_batch to avoid it), or
//             waits for another thread's flush or unmap. Entries still queued
//             when the traffic ends are flushed then (flushes_final).
//   none:     buffer `key` always uses slot `key`, mapped at its first use
//             and never unmapped.
// Without a HostMapper (untranslated device: no IOMMU, STE bypass or a
// bypassing host bridge) there is no IOVA: the device uses physical
// addresses and the driver maps and unmaps nothing.
//
// The CPU time of the driver's own work (page-table stores, descriptor
// writes, allocator) is not modelled: map() of the SMMUv3 takes no simulated
// time; unmap and flush take the time of their register accesses, command
// execution and CMD_SYNC polling in the simulated SMMU.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include <systemc>

#include "models/common/stats.h"
#include "traffic/dma_initiator.h"
#include "traffic/driver_params.h"
#include "models/common/host_mapper.h"

namespace iommusim {

// Driver-side measurements of one device ("units" are packets or requests).
struct DriverStats {
    uint64_t units = 0;       // completed packets / requests
    Histogram latency_ns;     // per unit: the driver starts mapping -> its unmap has returned
    Histogram map_ns;         // per map step (IOVA allocation + map calls), when the unit mapped
    Histogram unmap_ns;       // per unmap step (incl. invalidation, sync and a triggered flush)
    uint64_t map_calls = 0;   // HostMapper::map calls (persistent areas excluded)
    uint64_t map_failures = 0;
    uint64_t unmap_calls = 0;
    uint64_t flushes = 0;     // deferred: flush-queue drains, by reason below
    uint64_t flushes_full = 0, flushes_timeout = 0, flushes_no_iova = 0, flushes_final = 0;
    uint64_t max_queued = 0;  // deferred: largest flush-queue length seen
};

// One driver action, for tests and traces.
struct DriverEvent {
    enum class Kind { Map, Unmap, Flush };
    Kind kind;
    uint64_t iova = 0;  // Map / Unmap
    uint64_t size = 0;
    uint64_t pa = 0;    // Map
    bool strict = false;
    sc_core::sc_time begin, end;  // simulated time the call took
};

class HostDrivenInitiator : public DmaInitiator {
public:
    // Called by the platform at time 0, before the start event: the device's
    // physical buffer and its mapper (nullptr: untranslated, iova == pa).
    void attach_host(HostMapper* mapper, uint64_t buffer_pa) {
        mapper_ = mapper;
        buffer_pa_ = buffer_pa;
        attached_ = true;
    }
    HostMapper* mapper() const { return mapper_; }
    uint64_t buffer_pa() const { return buffer_pa_; }

    // The byte a device writes at `offset` of packet / request `unit` (tests
    // find the data in memory by it).
    static uint8_t payload_byte(uint64_t unit, uint64_t offset) { return static_cast<uint8_t>(unit * 31 + offset); }

    // "ring" or "storage": the stats.json / statistics group.
    const std::string& driver_kind() const { return kind_; }
    // "packets" or "requests".
    const std::string& unit_name() const { return unit_; }
    const DriverDmaParams& driver_params() const { return dp_; }
    const DriverStats& driver_stats() const { return st_; }
    uint64_t invalidation_commands() const { return mapper_ ? mapper_->invalidation_commands() : 0; }
    uint64_t sync_commands() const { return mapper_ ? mapper_->sync_commands() : 0; }

    // Registers DmaInitiator's measurements and <prefix>.<kind>.* (docs/output.md).
    void register_stats(StatsRegistry& reg, const std::string& prefix) override;

    std::function<void(const DriverEvent&)> on_driver_event;

    // Allocator state (tests).
    enum class SlotState : uint8_t { Free, InUse, Queued, Persistent };
    uint64_t slots() const { return n_slots_; }
    uint64_t slot_bytes() const { return slot_bytes_; }
    uint64_t slot_iova(uint64_t i) const { return slot_base_ + i * slot_bytes_; }
    SlotState slot_state(uint64_t i) const { return state_.at(i); }
    uint64_t queued() const { return fq_.size(); }

protected:
    HostDrivenInitiator(const sc_core::sc_module_name& name, RequesterId rid, uint16_t segment,
                        const DriverDmaParams& dp, std::string kind, std::string unit);

    // Derived constructors: the IOVA slots (first slot's IOVA, size, count).
    void set_slots(uint64_t first_iova, uint64_t slot_bytes, uint64_t n);

    // The driver's operations. Call from an SC_THREAD whose quantum keeper is
    // synchronised (sc_time_stamp() is the thread's time); they may wait.
    // Maps [iova, iova + bytes) -> [buffer_pa, ...) once (persistent area);
    // the first caller does it, later calls do nothing.
    void map_persistent(uint64_t iova, uint64_t bytes);
    // An IOVA slot for buffer `key` (< slots()); map_now: the caller must map it.
    uint64_t acquire(uint64_t key, bool& map_now);
    bool map(uint64_t iova, uint64_t pa, uint64_t size);
    // Unmaps slot `iova` (slot_bytes) by the policy (none: nothing).
    void release(uint64_t iova);
    // Deferred: flush what is still queued (once every thread is done).
    void drain();

    DriverStats st_;
    DriverDmaParams dp_;
    HostMapper* mapper_ = nullptr;
    uint64_t buffer_pa_ = 0;
    bool attached_ = false;

private:
    enum class Flush { Full, Timeout, NoIova, Final };
    void flush(Flush why);
    void event(DriverEvent::Kind k, uint64_t iova, uint64_t size, uint64_t pa, bool strict,
               const sc_core::sc_time& begin);

    std::string kind_, unit_;
    uint64_t slot_base_ = 0, slot_bytes_ = 0, n_slots_ = 0;
    std::vector<SlotState> state_;
    std::vector<uint64_t> free_;  // stack: back() is handed out next
    struct Queued {
        uint64_t slot;
        sc_core::sc_time at;
    };
    std::deque<Queued> fq_;
    bool flushing_ = false;
    bool persistent_done_ = false;
    sc_core::sc_event changed_;  // a slot was freed or a flush ended
};

}  // namespace iommusim
