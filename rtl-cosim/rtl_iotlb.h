// One verilated IOTLB behind the port contract of docs/rtl-cosim.md, seen as
// plain values: the co-simulation adapter sets `in`, calls cycle(), reads
// `out`.
//
// VerilatedIotlb<V> wraps a Verilator --sc model class V (an sc_module): its
// ports are bound to DirectSignal channels and cycle() evaluates it directly
// (the SystemC kernel never schedules it). Only the generated variant
// registry (variants.cpp) instantiates the template.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace iommusim::cosim {

struct RtlInputs {
    bool rst_n = false;
    uint64_t cfg_seed = 0;
    // lookup
    bool lu_valid = false, lu_kind = false;
    uint32_t lu_vmid = 0, lu_asid = 0;
    uint64_t lu_va = 0;
    // fill
    bool fl_valid = false, fl_kind = false, fl_global = false;
    uint32_t fl_vmid = 0, fl_asid = 0, fl_size = 0, fl_perm = 0;
    uint64_t fl_va = 0, fl_oa = 0;
    // invalidate
    bool inv_valid = false, inv_all = false, inv_match_kind = false, inv_kind = false, inv_match_vmid = false,
         inv_match_range = false;
    uint32_t inv_vmid = 0, inv_asid_mode = 0, inv_asid = 0;
    uint64_t inv_first = 0, inv_last = 0;
};

struct RtlOutputs {
    uint32_t info_entries = 0, info_ways = 0, info_policy = 0;
    bool lu_ready = false, fl_ready = false, inv_ready = false;
    // lookup response
    bool lu_rsp_valid = false, lu_rsp_hit = false, lu_rsp_global = false;
    uint64_t lu_rsp_pa = 0;
    uint32_t lu_rsp_size = 0, lu_rsp_perm = 0, lu_rsp_set = 0, lu_rsp_way = 0;
    // fill response
    bool fl_rsp_valid = false, fl_rsp_evicted = false, fl_rsp_vkind = false, fl_rsp_vglobal = false;
    uint32_t fl_rsp_set = 0, fl_rsp_way = 0, fl_rsp_vvmid = 0, fl_rsp_vasid = 0, fl_rsp_vsize = 0;
    uint64_t fl_rsp_vva = 0;
    // invalidate response
    bool inv_rsp_valid = false;
    uint32_t inv_rsp_count = 0;
};

class RtlIotlbModel {
public:
    virtual ~RtlIotlbModel() = default;
    RtlInputs in;
    // Sampled after the falling-edge evaluation (the readies the next rising
    // edge will see) and after the rising edge (registered responses).
    RtlOutputs before_edge, after_edge;
    // One clock cycle: clk low with `in` applied (combinational settle:
    // before_edge), then the rising edge (after_edge).
    virtual void cycle() = 0;
    // The clock period (waveform time = cycle * period).
    virtual void set_period(uint64_t period_ps) = 0;
    // Starts a VCD waveform (models built with --trace only, after
    // elaboration); false if the model has no tracing.
    virtual bool open_trace(const std::string& file) = 0;
    // Idle cycles skipped without evaluation (keeps waveform time aligned
    // with simulated time).
    virtual void skip_to_cycle(uint64_t cycle) = 0;
    // The current cycle number (waveform time / period, skipped cycles included).
    virtual uint64_t cycles() const = 0;
    // cycle() calls so far.
    virtual uint64_t evaluated() const = 0;
    virtual void close_trace() = 0;
};

}  // namespace iommusim::cosim
