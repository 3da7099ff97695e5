// A PCI function issuing DMA: sequential or uniformly random transactions
// over a window of I/O virtual addresses, closed loop (one outstanding
// transaction), loosely timed with a quantum keeper. Measures end-to-end DMA
// latency and the part spent in translation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/common/requester_id.h"
#include "models/common/stats.h"

namespace iommusim {

struct GeneratorParams {
    std::string pattern = "sequential";  // sequential | random
    uint64_t transactions = 10000;
    uint32_t size = 64;                  // bytes per transaction
    uint64_t stride = 0;                 // sequential: 0 = size
    double write_fraction = 0.0;         // share of writes, 0..1
    uint64_t seed = 1;
    double gap_ns = 0.0;                 // idle time between transactions
};

class DmaGenerator : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<DmaGenerator> out;

    SC_HAS_PROCESS(DmaGenerator);
    DmaGenerator(const sc_core::sc_module_name& name, const GeneratorParams& p, RequesterId rid,
                 uint16_t segment, uint64_t iova_base, uint64_t window, const sc_core::sc_event& start);

    void register_stats(StatsRegistry& reg, const std::string& prefix);

    uint64_t transactions() const { return done_; }
    uint64_t bytes() const { return bytes_; }
    uint64_t faults() const { return faults_; }
    const Histogram& latency_ns() const { return latency_; }
    const Histogram& translation_ns() const { return translation_; }
    bool finished() const { return finished_; }
    sc_core::sc_time finish_time() const { return finish_time_; }
    sc_core::sc_time start_time() const { return start_time_; }
    RequesterId requester_id() const { return rid_; }

private:
    void run();
    uint64_t next_address(uint64_t i);
    uint64_t rng();
    static uint64_t xorshift(uint64_t& state);

    GeneratorParams p_;
    RequesterId rid_;
    uint16_t segment_;
    uint64_t base_, window_;
    const sc_core::sc_event& start_;
    uint64_t state_;      // address stream (random pattern)
    uint64_t mix_state_;  // read/write choice, independent of the addresses
    std::vector<unsigned char> buf_;
    uint64_t done_ = 0, bytes_ = 0, faults_ = 0, reads_ = 0, writes_ = 0;
    Histogram latency_, translation_;
    bool finished_ = false;
    sc_core::sc_time start_time_, finish_time_;
};

}  // namespace iommusim
