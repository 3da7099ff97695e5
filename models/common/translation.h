// The translation pipeline shared by every vendor model (no SystemC).
//
//   IOTLB lookup (port contention + latency)
//     -> hit: permission check -> output address
//     -> miss: walker slot -> walk cache -> page-table walk, every descriptor
//        a timed memory read -> permission check -> IOTLB fill
//
// Nested (stage 1 + stage 2): every stage-1 table address and the final
// intermediate address are translated by stage 2 first (stage-2 IOTLB
// entries and walk-cache entries are used and filled on the way), and the
// combined translation is cached as one stage-1 entry with the smaller page.
//
// The vendor resolves the context (its stream table / context entries /
// device table) into a TranslationContext before calling translate(), and
// turns a TranslationFault into its architected record.
#pragma once

#include <cstdint>
#include <functional>

#include "models/common/cache.h"
#include "models/common/iotlb.h"
#include "models/common/pagetables/vmsa.h"
#include "models/common/timing.h"

namespace iommusim {

// Timed memory read of one descriptor; `t` is the absolute time (ps) at which
// the read is issued and is advanced to its completion. Returns false on an
// external abort.
class DescriptorReader {
public:
    virtual ~DescriptorReader() = default;
    virtual bool read_desc(uint64_t addr, uint64_t& value, ps_t& t) = 0;
};

struct StageContext {
    bool enabled = false;
    vmsa::WalkConfig cfg;
    vmsa::StartInfo start;
};

struct TranslationContext {
    // Stage 1: up to two translation tables selected by the top input bits
    // (Arm TTB0/TTB1). `s1_table_valid[i]` false = walks via that table fault
    // (EPDx = 1).
    bool s1_enabled = false;
    StageContext s1[2];
    bool s1_table_valid[2] = {true, false};
    StageContext s2;
    uint16_t vmid = 0;
    uint32_t asid = 0;
};

enum class FaultType : uint8_t { None, Translation, AddressSize, AccessFlag, Permission, WalkExtAbort };
const char* fault_type_name(FaultType);

// Where in a nested translation the fault happened (Arm CLASS).
enum class FaultClass : uint8_t { CD = 0, TT = 1, IN = 2 };

struct TranslationFault {
    FaultType type = FaultType::None;
    unsigned stage = 1;               // stage that faulted
    FaultClass cls = FaultClass::IN;
    uint64_t input_addr = 0;          // the transaction's input address
    uint64_t ipa = 0;                 // stage-2 faults: the intermediate address
    uint64_t fetch_addr = 0;          // external aborts: the descriptor address
    bool s2_during_s1_walk = false;
};

struct Access {
    uint64_t addr = 0;
    bool write = false;
    bool exec = false;
    bool privileged = false;
};

struct TranslateResult {
    bool ok = false;
    uint64_t pa = 0;
    uint64_t page_size = 0;           // bytes translated contiguously from the page base
    bool iotlb_hit = false;
    TranslationFault fault;
};

struct PipelineParams {
    CacheGeometry iotlb{128, 4, ReplPolicy::LRU, 1};
    unsigned iotlb_latency_cycles = 2;
    unsigned iotlb_ports = 1;
    bool walk_cache = true;
    CacheGeometry walk_cache_geometry{64, 4, ReplPolicy::LRU, 1};
    unsigned walk_cache_latency_cycles = 2;
    unsigned walk_slots = 4;
    ps_t clock_period_ps = 1000;
};

struct PipelineStats {
    uint64_t translations = 0;
    uint64_t walks = 0;           // page-table walks started (any stage)
    uint64_t s1_walks = 0;
    uint64_t s2_walks = 0;
    uint64_t walk_reads = 0;      // descriptor reads
    uint64_t walk_ps = 0;         // total time spent in walks
    uint64_t faults = 0;
};

class TranslationPipeline {
public:
    TranslationPipeline(const PipelineParams& p, DescriptorReader& mem);

    TranslateResult translate(const TranslationContext& ctx, const Access& a, ps_t& t);
    // Stage-2 translation of an intermediate address the IOMMU itself reads
    // (e.g. an Arm CD fetched through stage 2): fault class `cls`.
    TranslateResult translate_s2(const TranslationContext& ctx, uint64_t ipa, ps_t& t, FaultClass cls);

    // Called when a walk releases its walker slot: its start and end (ps).
    std::function<void(ps_t start, ps_t end)> on_walk;

    Iotlb& iotlb() { return iotlb_; }
    SetAssocCache<WalkTag, WalkEntry>& walk_cache() { return walk_cache_; }
    const PipelineStats& stats() const { return stats_; }
    const TimelinePool& walkers() const { return walkers_; }
    // The current global simulated time: no request arrives earlier, so
    // the ports' and walkers' bookings before it can be forgotten.
    void set_now(ps_t now) { now_ = now; }
    const PipelineParams& params() const { return p_; }

private:
    // Walks one stage for `ia`, using and filling the walk cache.
    vmsa::WalkResult walk_stage(const TranslationContext& ctx, const StageContext& sc, unsigned stage,
                                uint64_t ia, ps_t& t, bool nested_s1);
    // Translates an intermediate address through stage 2 (IOTLB + walk).
    bool s2_translate(const TranslationContext& ctx, uint64_t ipa, bool write, bool exec, ps_t& t,
                      uint64_t& pa, uint64_t& size, TranslationFault& f, FaultClass cls,
                      vmsa::Perms* perms = nullptr);
    static bool read_cb(void* self, uint64_t addr, uint64_t& desc);

    PipelineParams p_;
    DescriptorReader& mem_;
    Iotlb iotlb_;
    SetAssocCache<WalkTag, WalkEntry> walk_cache_;
    TimelinePool tlb_ports_;
    TimelinePool walkers_;
    ps_t now_ = 0;
    PipelineStats stats_;

    // Results of the last walk_stage() for its caller.
    bool s2_fault_pending_ = false;
    TranslationFault s2_fault_;
    uint64_t abort_addr_ = 0;
};

}  // namespace iommusim
