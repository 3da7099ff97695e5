// What every traffic generator shares: a PCI function's upstream socket, its
// requester ID / segment, one DMA issued as a loosely-timed TLM transaction
// with the DmaExtension, and the per-device measurements (transactions,
// bytes, reads, writes, faults, end-to-end latency and translation latency
// histograms, start and finish time). Generators derive from it and decide
// what to issue and when (dma_generator.h, ring_generator.h, ...).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/common/requester_id.h"
#include "models/common/stats.h"
#include "models/common/tlm/dma_ext.h"

namespace iommusim {

class DmaInitiator : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<DmaInitiator> out;

    DmaInitiator(const sc_core::sc_module_name& name, RequesterId rid, uint16_t segment);
    ~DmaInitiator() override;

    // Registers the measurements under `prefix` (e.g. "devices.nic0").
    virtual void register_stats(StatsRegistry& reg, const std::string& prefix);

    // Called after each completed payload transaction (tests, traces).
    struct Completed {
        uint64_t index;        // in issue order
        uint64_t addr;
        uint32_t size;
        bool write;
        bool pasid_valid;
        uint32_t pasid;
        sc_core::sc_time due, done;  // latency = done - due
        bool ok;
        uint64_t translation_ps;
        bool translated;       // an IOMMU translated it
        uint64_t output_addr;  // address of its first byte in memory (input address when untranslated)
        const char* fault;     // architected fault / error record name, or nullptr
    };
    std::function<void(const Completed&)> on_complete;

    uint64_t transactions() const { return done_; }
    uint64_t bytes() const { return bytes_; }
    uint64_t faults() const { return faults_; }
    const Histogram& latency_ns() const { return latency_; }
    const Histogram& translation_ns() const { return translation_; }
    bool finished() const { return finished_; }
    sc_core::sc_time start_time() const { return start_time_; }
    sc_core::sc_time finish_time() const { return finish_time_; }
    RequesterId requester_id() const { return rid_; }
    uint16_t segment() const { return segment_; }

    // Called every 1024 payload transactions of any initiator (a progress
    // line); empty: none. Host-side only: it does not touch simulated time.
    static void set_progress_hook(std::function<void()> hook);
    static uint64_t total_transactions() { return total_; }

protected:
    struct Request {
        uint64_t index = 0;
        uint64_t addr = 0;
        uint32_t size = 0;
        bool write = false;
        bool pasid_valid = false;
        uint32_t pasid = 0;
        unsigned char* data = nullptr;  // size bytes
        bool has_due = false;           // open loop: latency counts from `due`, not from the issue time
        sc_core::sc_time due;           // not issued before this
    };
    // Issues one DMA at the quantum keeper's current time (not before
    // r.due), advances the keeper by its latency and records it. Payload
    // transactions (`payload`) count in transactions/bytes/latency; others
    // (descriptor fetches and write-backs) only in descriptor_* and faults.
    bool issue(const Request& r, tlm_utils::tlm_quantumkeeper& qk, bool payload = true);

    // Threads call started() when they begin and stopped() when they end;
    // the first start and the last stop give start_time / finish_time.
    void started();
    void stopped();

private:
    static std::function<void()> progress_hook_;
    static uint64_t total_;
    RequesterId rid_;
    uint16_t segment_;
    tlm::tlm_generic_payload tx_;
    DmaExtension ext_;
    bool in_transport_ = false;
    unsigned running_ = 0;
    uint64_t done_ = 0, bytes_ = 0, faults_ = 0, reads_ = 0, writes_ = 0;
    uint64_t descriptor_accesses_ = 0, descriptor_bytes_ = 0;
    Histogram latency_, translation_;
    bool finished_ = false;
    sc_core::sc_time start_time_, finish_time_, last_done_;
};

}  // namespace iommusim
