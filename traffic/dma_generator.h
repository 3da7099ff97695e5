// A PCI function issuing DMA over a window of I/O virtual addresses: an
// address pattern (traffic/pattern/), a read/write mix, a fixed transaction
// size, optionally a PASID. It stops after a number of transactions, bytes or
// an amount of simulated time, whichever comes first.
//
// Up to `outstanding` transactions are in flight at once (one SystemC thread
// per outstanding slot, each loosely timed with its own quantum keeper).
// Closed loop (rate 0): a slot issues its next transaction when the previous
// one completes (plus gap_ns). Open loop (rate_mtps or rate_gbps): transaction
// i is due at start + i / rate; a slot issues it when due or, if every slot
// was busy, as soon as one frees up, and its latency counts from when it was
// due, so queueing behind the outstanding limit shows in latency.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "traffic/dma_initiator.h"
#include "traffic/driver_params.h"
#include "traffic/pattern/address_pattern.h"
#include "traffic/pattern/trace_file.h"

namespace iommusim {

struct GeneratorParams {
    std::string pattern = "sequential";  // sequential | random | hotcold | zipf | strided | ring | storage
    bool idle = false;                   // issue nothing (e.g. the audit's own probes only)
    // Limits: stop issuing at the first one reached (0 = that limit unused;
    // at least one must be set).
    uint64_t transactions = 10000;
    uint64_t bytes = 0;
    double duration_ns = 0;
    uint32_t size = 64;                  // bytes per transaction
    uint64_t window = 0;                 // bytes of the buffer the pattern covers, from its start (0 = all)
    double write_fraction = 0.0;         // share of writes, 0..1
    uint64_t seed = 1;
    double gap_ns = 0.0;                 // closed loop: idle time between a slot's transactions
    unsigned outstanding = 1;            // transactions in flight at most
    double rate_mtps = 0;                // open loop: million transactions per second (0 = closed loop)
    double rate_gbps = 0;                // open loop: GB/s (1e9 bytes/s), converted with `size`
    bool pasid_valid = false;            // PCIe PASID (SMMUv3 SubstreamID) on every transaction
    uint32_t pasid = 0;
    // Pattern shape (traffic/pattern/address_pattern.h); base, window, size
    // and seed come from the device and the fields above.
    traffic::PatternParams shape;
    // pattern: trace (traffic/trace_generator.h): the file as given and its
    // records (all requesters; the generator replays its own).
    std::string trace_file;
    std::shared_ptr<const std::vector<traffic::TraceRecord>> trace;
    // Driver-in-the-loop patterns (traffic/ring_generator.h,
    // traffic/storage_generator.h): their workload and the unmap policy.
    RingParams ring;
    StorageParams storage;
    DriverDmaParams dma;
};

class DmaGenerator : public DmaInitiator {
public:
    SC_HAS_PROCESS(DmaGenerator);
    // Throws std::invalid_argument (message starts with the parameter's name)
    // for parameters that cannot work.
    DmaGenerator(const sc_core::sc_module_name& name, const GeneratorParams& p, RequesterId rid,
                 uint16_t segment, uint64_t iova_base, uint64_t window, const sc_core::sc_event& start);

    const GeneratorParams& params() const { return p_; }

private:
    struct Next {
        uint64_t index;
        uint64_t addr;
        bool write;
        sc_core::sc_time due;  // open loop: when it is due
    };
    void slot();
    bool claim(const sc_core::sc_time& now, Next& n);
    static uint64_t xorshift(uint64_t& state);

    GeneratorParams p_;
    uint64_t base_, window_;
    const sc_core::sc_event& start_;
    std::unique_ptr<traffic::AddressPattern> pattern_;
    uint64_t mix_state_;         // read/write choice, independent of the addresses
    sc_core::sc_time interval_;  // open loop: time between due times (zero: closed loop)
    uint64_t issued_ = 0, issued_bytes_ = 0;
};

}  // namespace iommusim
