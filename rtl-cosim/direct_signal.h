// A SystemC signal channel without the scheduler: write() takes effect at
// once and read() returns the last value written; no event is ever notified.
//
// The ports of a Verilator --sc model are bound to these so the co-simulation
// adapter can step the model synchronously (set inputs, evaluate, read
// outputs) from inside an IOTLB operation, without delta cycles or waits
// (docs/rtl-cosim.md, "How the RTL is stepped").
#pragma once

#include <systemc>

namespace iommusim::cosim {

template <typename T>
class DirectSignal : public sc_core::sc_signal_inout_if<T> {
public:
    explicit DirectSignal(const T& init = T()) : value_(init) {}

    // sc_signal_in_if<T>
    const sc_core::sc_event& value_changed_event() const override { return never_; }
    const T& read() const override { return value_; }
    const T& get_data_ref() const override { return value_; }
    bool event() const override { return false; }
    // sc_signal_in_if<bool> (harmless extras for other T)
    const sc_core::sc_event& posedge_event() const { return never_; }
    const sc_core::sc_event& negedge_event() const { return never_; }
    bool posedge() const { return false; }
    bool negedge() const { return false; }
    // sc_signal_write_if<T>
    void write(const T& v) override { value_ = v; }
    // Port sensitivity (the model's SC_METHOD) resolves to this event.
    const sc_core::sc_event& default_event() const override { return never_; }

private:
    T value_;
    sc_core::sc_event never_;
};

}  // namespace iommusim::cosim
