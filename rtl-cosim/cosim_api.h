// RTL IOTLB co-simulation as the platform sees it (no Verilator headers).
//
// An IotlbChecker observes one TLM IOTLB (Iotlb::set_observer), replays
// every lookup, fill and invalidation on a verilated RTL IOTLB in the same
// order and compares the results (docs/rtl-cosim.md). The factory functions
// exist only in builds with co-simulation (IOMMUSIM_HAVE_COSIM).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/common/cache.h"
#include "models/common/iotlb.h"

namespace iommusim::cosim {

struct CosimOptions {
    std::string instance = "iotlb_rtl";      // sc_module name of the verilated model
    std::string label = "iotlb";             // in messages, e.g. "smmu0's IOTLB"
    std::string top = "iommusim_iotlb";      // RTL top module
    std::string variant = "reference";       // test-only: mutant_replacement, mutant_invalidate, mutant_pagemask
    CacheGeometry geometry;                  // the TLM IOTLB's (the RTL must be built with the same)
    uint64_t clock_period_ps = 1000;         // the IOMMU clock
    std::string trace_file;                  // VCD waveform of the RTL ("" = none)
};

struct CosimStats {
    uint64_t operations = 0;   // TLM IOTLB operations observed
    uint64_t checked = 0;      // replayed on the RTL and compared (all of them until a mismatch)
    uint64_t mismatches = 0;   // 0 or 1: checking stops at the first divergence
    uint64_t lookups = 0, fills = 0, invalidations = 0;  // checked, by kind
    uint64_t rtl_cycles = 0;   // clock cycles the RTL was evaluated for
    std::string first_mismatch;  // the report of the first divergence ("" = none)
};

// A verilated IOTLB compiled into this binary.
struct RtlVariantInfo {
    std::string top, variant;
    uint32_t entries = 0, ways = 0;
    ReplPolicy policy = ReplPolicy::LRU;
    bool traced = false;
};

class IotlbChecker : public IotlbObserver {
public:
    virtual const CosimStats& stats() const = 0;
    virtual const CosimOptions& options() const = 0;
    // Flushes and closes the waveform (also done by the destructor).
    virtual void finish() = 0;
};

#if IOMMUSIM_HAVE_COSIM
const std::vector<RtlVariantInfo>& rtl_variants();
// "" if a compiled variant has the top, variant and geometry of `o`; else
// a message saying what is missing and what exists.
std::string check_cosim(const CosimOptions& o);
// At elaboration (the RTL model is an sc_module). Throws
// std::invalid_argument with check_cosim()'s message if nothing fits.
std::unique_ptr<IotlbChecker> make_iotlb_cosim(const CosimOptions& o);
#endif

}  // namespace iommusim::cosim
