// VerilatedIotlb<V, Traced>: an RtlIotlbModel over a Verilator --sc model
// class V (included only by the generated variant registry).
//
// The model is a named sc_module in the SystemC hierarchy. Its ports are
// bound to DirectSignal channels, so no SystemC event ever schedules it
// (beyond the one evaluation every SC_METHOD gets at initialisation, which
// changes nothing); cycle() calls its evaluation directly through `eval`,
// V's eval_step(), which Verilator declares private in --sc models: the
// registry obtains the member pointer through an explicit template
// instantiation (C++17 [temp.spec]/6: access checking does not apply to the
// names in an explicit instantiation), see variants.cpp.in.
#pragma once

#include <memory>
#include <string>

#include "rtl-cosim/direct_signal.h"
#include "rtl-cosim/rtl_iotlb.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

// Every port of the contract: X(type, name).
#define IOMMUSIM_RTL_INPUTS(X)                                                                                 \
    X(bool, rst_n) X(uint64_t, cfg_seed) X(bool, lu_valid) X(bool, lu_kind) X(uint32_t, lu_vmid)               \
    X(uint32_t, lu_asid) X(uint64_t, lu_va) X(bool, fl_valid) X(bool, fl_kind) X(bool, fl_global)              \
    X(uint32_t, fl_vmid) X(uint32_t, fl_asid) X(uint32_t, fl_size) X(uint64_t, fl_va) X(uint64_t, fl_oa)        \
    X(uint32_t, fl_perm) X(bool, inv_valid) X(bool, inv_all) X(bool, inv_match_kind) X(bool, inv_kind)          \
    X(bool, inv_match_vmid) X(uint32_t, inv_vmid) X(uint32_t, inv_asid_mode) X(uint32_t, inv_asid)             \
    X(bool, inv_match_range) X(uint64_t, inv_first) X(uint64_t, inv_last)
#define IOMMUSIM_RTL_OUTPUTS(X)                                                                                \
    X(uint32_t, info_entries) X(uint32_t, info_ways) X(uint32_t, info_policy) X(bool, lu_ready)                \
    X(bool, fl_ready) X(bool, inv_ready) X(bool, lu_rsp_valid) X(bool, lu_rsp_hit) X(bool, lu_rsp_global)      \
    X(uint64_t, lu_rsp_pa) X(uint32_t, lu_rsp_size) X(uint32_t, lu_rsp_perm) X(uint32_t, lu_rsp_set)           \
    X(uint32_t, lu_rsp_way) X(bool, fl_rsp_valid) X(bool, fl_rsp_evicted) X(bool, fl_rsp_vkind)                \
    X(bool, fl_rsp_vglobal) X(uint32_t, fl_rsp_set) X(uint32_t, fl_rsp_way) X(uint32_t, fl_rsp_vvmid)          \
    X(uint32_t, fl_rsp_vasid) X(uint32_t, fl_rsp_vsize) X(uint64_t, fl_rsp_vva) X(bool, inv_rsp_valid)         \
    X(uint32_t, inv_rsp_count)

namespace iommusim::cosim {

template <typename V, bool Traced>
class VerilatedIotlb final : public RtlIotlbModel {
public:
    VerilatedIotlb(const char* name, void (V::*eval)()) : m_(name), eval_(eval) {
#define IOMMUSIM_BIND(type, port) m_.port.bind(s_##port);
        m_.clk.bind(clk_);
        IOMMUSIM_RTL_INPUTS(IOMMUSIM_BIND)
        IOMMUSIM_RTL_OUTPUTS(IOMMUSIM_BIND)
#undef IOMMUSIM_BIND
    }
    ~VerilatedIotlb() override { close_trace(); }

    void cycle() override {
#define IOMMUSIM_PUSH(type, port) s_##port.write(in.port);
        IOMMUSIM_RTL_INPUTS(IOMMUSIM_PUSH)
#undef IOMMUSIM_PUSH
        clk_.write(false);
        (m_.*eval_)();
        pull(before_edge);
        dump(cycle_ * period_ps_);
        clk_.write(true);
        (m_.*eval_)();
        pull(after_edge);
        dump(cycle_ * period_ps_ + period_ps_ / 2);
        ++cycle_;
        ++evaluated_;
    }

    void set_period(uint64_t period_ps) override { period_ps_ = period_ps ? period_ps : 1; }
    bool open_trace(const std::string& file) override {
        if constexpr (Traced) {
#if VM_TRACE
            Verilated::traceEverOn(true);
            vcd_ = std::make_unique<VerilatedVcdC>();
            m_.trace(vcd_.get(), 99);
            vcd_->set_time_unit("1ps");
            vcd_->set_time_resolution("1ps");
            vcd_->open(file.c_str());
            return vcd_->isOpen();
#endif
        }
        (void)file;
        return false;
    }
    void skip_to_cycle(uint64_t c) override {
        if (c > cycle_) cycle_ = c;
    }
    uint64_t cycles() const override { return cycle_; }
    uint64_t evaluated() const override { return evaluated_; }
    void close_trace() override {
#if VM_TRACE
        if (vcd_) {
            vcd_->close();
            vcd_.reset();
        }
#endif
    }

private:
    void pull(RtlOutputs& o) const {
#define IOMMUSIM_PULL(type, port) o.port = s_##port.read();
        IOMMUSIM_RTL_OUTPUTS(IOMMUSIM_PULL)
#undef IOMMUSIM_PULL
    }
    void dump(uint64_t t) {
#if VM_TRACE
        if (vcd_) vcd_->dump(t);
#endif
        (void)t;
    }

    V m_;
    void (V::*eval_)();
    DirectSignal<bool> clk_;
#define IOMMUSIM_SIGNAL(type, port) DirectSignal<type> s_##port;
    IOMMUSIM_RTL_INPUTS(IOMMUSIM_SIGNAL)
    IOMMUSIM_RTL_OUTPUTS(IOMMUSIM_SIGNAL)
#undef IOMMUSIM_SIGNAL
    uint64_t cycle_ = 0, evaluated_ = 0;
    uint64_t period_ps_ = 1000;
#if VM_TRACE
    std::unique_ptr<VerilatedVcdC> vcd_;
#endif
};

}  // namespace iommusim::cosim
