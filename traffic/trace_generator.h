// Trace replay: a device issues the records of a DMA trace
// (traffic/pattern/trace_file.h) whose requester ID and segment are its own,
// in file order, each due at the start of traffic + its time_ns (open loop).
// Up to `outstanding` records are in flight at once; a record that is due
// while every slot is busy waits, and its latency counts from when it was
// due. Address, size, direction and PASID come from the record. Addresses
// are not confined to the device's buffer: a record outside what the host
// mapped faults, as the real device's DMA would.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>

#include "traffic/dma_initiator.h"
#include "traffic/pattern/trace_file.h"

namespace iommusim {

class TraceGenerator : public DmaInitiator {
public:
    SC_HAS_PROCESS(TraceGenerator);
    TraceGenerator(const sc_core::sc_module_name& name, std::shared_ptr<const std::vector<traffic::TraceRecord>> trace,
                   RequesterId rid, uint16_t segment, unsigned outstanding, const sc_core::sc_event& start,
                   bool idle = false);  // idle: replay nothing (the audit's own probes only)

    // How many records of the trace belong to this device.
    uint64_t records() const { return mine_.size(); }

private:
    void slot();

    std::shared_ptr<const std::vector<traffic::TraceRecord>> trace_;
    std::vector<size_t> mine_;  // indices of this device's records, in file order
    size_t next_ = 0;
    uint32_t max_size_ = 0;
    const sc_core::sc_event& start_;
};

}  // namespace iommusim
