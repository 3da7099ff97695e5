// Arm SMMUv3 (IHI 0070) as a SystemC/TLM-2.0 module.
//
// Sockets:
//   in   - upstream DMA from PCI functions (each transaction carries a
//          DmaExtension; the StreamID comes from the requester ID through
//          set_stream_id_map()).
//   out  - downstream to memory: translated DMA, stream-table/CD fetches,
//          page-table walks, queue accesses and MSI writes.
//   regs - the programming interface (128 KiB: page 0 and page 1).
//
// Translation uses the shared TranslationPipeline (IOTLB, walk cache, walker
// slots); this class holds only what is SMMUv3-specific: registers, stream
// table and CD lookup with a configuration cache, the command queue, and the
// event queue.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/common/cache.h"
#include "models/common/stats.h"
#include "models/common/translation.h"
#include "models/smmuv3/arch/cd.h"
#include "models/smmuv3/arch/cmd.h"
#include "models/smmuv3/arch/event.h"
#include "models/smmuv3/arch/regs.h"
#include "models/smmuv3/arch/ste.h"
#include "models/smmuv3/smmuv3_params.h"

namespace iommusim::smmuv3 {

// Configuration cache entry: one STE or one CD (tagged by kind).
struct CfgTag {
    uint32_t sid = 0;
    uint32_t ssid = 0;
    uint8_t kind = 0;  // 0 = STE, 1 = CD
    bool operator==(const CfgTag& o) const { return sid == o.sid && ssid == o.ssid && kind == o.kind; }
};
struct CfgEntry {
    Ste ste;                 // kind 0: the STE as fetched
    bool cd_r = true, cd_a = true;  // kind 1: CD.R and CD.A
    // Decoded once at fill time: STE -> stage 2 in sc[0]; CD -> TTB0/TTB1.
    StageContext sc[2];
    bool table_valid[2] = {true, false};
    uint32_t asid = 0;
};

struct Smmuv3Stats {
    uint64_t transactions = 0, bytes = 0;
    uint64_t bypassed = 0, aborted = 0, faults = 0;
    uint64_t ste_fetches = 0, cd_fetches = 0;
    uint64_t commands = 0, command_errors = 0, syncs = 0;
    uint64_t events = 0, events_lost = 0;
    uint64_t translation_ps = 0;
    // Faults and errors by architected event type (index = EventType; the
    // ones recorded and the ones the STE/CD say not to record alike).
    std::array<uint64_t, 256> faults_by_type{};
    // Invalidation commands (CFGI_* and TLBI_*) and the time each took from
    // the command read to its completion.
    uint64_t invalidations = 0;
    Histogram invalidation_ns;
};

class Smmuv3 : public sc_core::sc_module, private DescriptorReader {
public:
    tlm_utils::multi_passthrough_target_socket<Smmuv3> in;
    tlm_utils::simple_initiator_socket<Smmuv3> out;
    tlm_utils::simple_target_socket<Smmuv3> regs;

    SC_HAS_PROCESS(Smmuv3);
    Smmuv3(const sc_core::sc_module_name& name, const Smmuv3Params& p);

    // Maps a PCI requester ID (with segment) to a StreamID. Default: the
    // requester ID itself.
    void set_stream_id_map(std::function<uint32_t(uint16_t segment, uint16_t rid)> f) { sid_map_ = std::move(f); }

    void register_stats(StatsRegistry& reg, const std::string& prefix);

    const Smmuv3Params& params() const { return p_; }
    const Smmuv3Stats& stats() const { return st_; }
    TranslationPipeline& pipeline() { return pipe_; }
    SetAssocCache<CfgTag, CfgEntry>& config_cache() { return cfg_cache_; }
    uint32_t reg_cr0() const { return cr0_; }

private:
    // ---- upstream ----
    void b_transport(int port, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned int transport_dbg(int port, tlm::tlm_generic_payload& tx);

    // ---- configuration (smmuv3_config.cpp) ----
    enum class Outcome { Translate, Bypass, Abort, Fault };
    struct Resolved {
        Outcome outcome = Outcome::Abort;
        TranslationContext ctx;
        bool record_s1 = true;    // CD.R
        bool record_s2 = true;    // STE.S2R
        bool abort_s1 = true;     // CD.A: 1 = abort, 0 = RAZ/WI
        Event event;              // when outcome == Fault
    };
    // Fills `r` (reused across calls: every field the outcome needs is set).
    void resolve(uint32_t sid, bool ssv, uint32_t ssid, ps_t& t, Resolved& r);
    bool fetch_ste(uint32_t sid, Ste& ste, ps_t& t, Event& ev);
    bool fetch_cd(const Ste& ste, const StageContext* s2, uint16_t vmid, uint32_t sid, uint32_t ssid,
                  Cd& cd, ps_t& t, Event& ev);
    bool decode_s2(const Ste& ste, StageContext& s2) const;
    bool decode_s1(const Cd& cd, TranslationContext& ctx) const;

    // ---- memory access from the SMMU ----
    bool mem_access(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len, ps_t& t);
    bool mem_read(uint64_t addr, void* data, unsigned len, ps_t& t);
    bool mem_write(uint64_t addr, const void* data, unsigned len, ps_t& t);
    bool read_desc(uint64_t addr, uint64_t& value, ps_t& t) override;

    // ---- registers ----
    void reg_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    uint64_t reg_read(uint32_t off, unsigned len, bool& ok);
    void reg_write(uint32_t off, uint64_t v, unsigned len, bool& ok);
    void build_idrs();

    // ---- command queue (smmuv3_cmdq.cpp) ----
    void cmdq_thread();
    // Returns CERROR_NONE or the error code.
    uint64_t execute(const Cmd& c, ps_t& t);
    void invalidate_tlb_va(const Cmd& c, bool by_asid, bool s2);

    // ---- event queue (smmuv3_eventq.cpp) ----
    void record_event(const Event& e, ps_t& t);
    static Event make_fault_event(uint32_t sid, bool ssv, uint32_t ssid, const TranslationFault& f,
                                  const Access& a);

    Smmuv3Params p_;
    ps_t period_;
    TranslationPipeline pipe_;
    SetAssocCache<CfgTag, CfgEntry> cfg_cache_;
    std::function<uint32_t(uint16_t, uint16_t)> sid_map_;
    Smmuv3Stats st_;

    // Registers.
    uint32_t idr_[6] = {};
    uint32_t cr0_ = 0, cr1_ = 0, cr2_ = 0, gbpa_ = 0, irq_ctrl_ = 0;
    uint32_t gerror_ = 0, gerrorn_ = 0;
    uint64_t gerror_irq_cfg0_ = 0, eventq_irq_cfg0_ = 0;
    uint32_t gerror_irq_cfg1_ = 0, gerror_irq_cfg2_ = 0, eventq_irq_cfg1_ = 0, eventq_irq_cfg2_ = 0;
    uint64_t strtab_base_ = 0;
    uint32_t strtab_base_cfg_ = 0;
    uint64_t cmdq_base_ = 0;
    uint32_t cmdq_prod_ = 0, cmdq_cons_ = 0;
    uint64_t eventq_base_ = 0;
    uint32_t eventq_prod_ = 0, eventq_cons_ = 0;

    sc_core::sc_event cmdq_kick_;
    Resolved res_;      // upstream path's resolution, reused
    Ste ste_scratch_;   // a fetched STE before it is cached
};

}  // namespace iommusim::smmuv3
