// Optional per-transaction outputs of a run, fed by every device's
// completions (DmaInitiator::on_complete) and every IOMMU's walks
// (TranslationPipeline::on_walk):
//   TransactionLog  DIR/transactions.csv: one row per DMA, with the output
//                   address or the architected fault it raised
//   ChromeTrace     DIR/trace.json: Chrome / Perfetto trace-event JSON
//                   (one slice per DMA per device, one per page walk per IOMMU)
//   VcdRecorder     DIR/activity.vcd: per device the DMAs in flight, per
//                   IOMMU the walks in progress, as integer signals (1 ps)
// Formats: docs/output.md. Each stops recording after `limit` records and
// says how many it dropped.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "traffic/dma_initiator.h"

namespace iommusim {

class TransactionLog {
public:
    bool open(const std::string& path, uint64_t limit);
    void record(const std::string& device, RequesterId rid, const DmaInitiator::Completed& c);
    uint64_t dropped() const { return dropped_; }

private:
    std::ofstream f_;
    uint64_t limit_ = 0, written_ = 0, dropped_ = 0;
};

class ChromeTrace {
public:
    bool open(const std::string& path, uint64_t limit);
    // Names the rows: devices (pid 1) and IOMMUs (pid 2), by index.
    void name_device(unsigned index, const std::string& name);
    void name_iommu(unsigned index, const std::string& name);
    void dma(unsigned device, const DmaInitiator::Completed& c);
    void walk(unsigned iommu, uint64_t start_ps, uint64_t end_ps);
    void close();
    uint64_t dropped() const { return dropped_; }

private:
    bool room();
    std::ofstream f_;
    bool first_ = true;
    uint64_t limit_ = 0, written_ = 0, dropped_ = 0;
};

class VcdRecorder {
public:
    explicit VcdRecorder(uint64_t limit) : limit_(limit) {}
    unsigned add_signal(const std::string& scope, const std::string& name);
    // The signal's value rises by one over [start, end) (a DMA in flight, a walk).
    void interval(unsigned signal, uint64_t start_ps, uint64_t end_ps);
    bool write(const std::string& path) const;
    uint64_t dropped() const { return dropped_; }

private:
    struct Change {
        uint64_t t;
        unsigned signal;
        int delta;
    };
    struct Signal {
        std::string scope, name;
    };
    std::vector<Signal> signals_;
    std::vector<Change> changes_;
    uint64_t limit_;
    uint64_t dropped_ = 0;
};

}  // namespace iommusim
