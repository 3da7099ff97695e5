#include "traffic/trace_generator.h"

#include <stdexcept>

using namespace sc_core;

namespace iommusim {

TraceGenerator::TraceGenerator(const sc_module_name& name, std::shared_ptr<const std::vector<traffic::TraceRecord>> trace,
                               RequesterId rid, uint16_t segment, unsigned outstanding, const sc_event& start,
                               bool idle)
    : DmaInitiator(name, rid, segment), trace_(std::move(trace)), start_(start) {
    if (!trace_) throw std::invalid_argument("file: no trace");
    if (outstanding == 0) throw std::invalid_argument("outstanding: must be at least 1");
    for (size_t i = 0; !idle && i < trace_->size(); ++i) {
        const traffic::TraceRecord& r = (*trace_)[i];
        if (r.rid == rid.value && r.segment == segment) {
            mine_.push_back(i);
            if (r.size > max_size_) max_size_ = r.size;
        }
    }
    for (unsigned i = 0; i < outstanding; ++i) SC_THREAD(slot);
}

void TraceGenerator::slot() {
    wait(start_);
    started();
    tlm_utils::tlm_quantumkeeper qk;
    qk.reset();
    std::vector<unsigned char> buf(max_size_);
    const sc_time t0 = start_time();
    while (next_ < mine_.size()) {
        const size_t k = next_++;
        const traffic::TraceRecord& rec = (*trace_)[mine_[k]];
        Request r;
        r.index = k;
        r.addr = rec.address;
        r.size = rec.size;
        r.write = rec.write;
        r.pasid_valid = rec.pasid_valid;
        r.pasid = rec.pasid;
        r.data = buf.data();
        r.has_due = true;
        r.due = t0 + sc_time(rec.time_ns, SC_NS);
        issue(r, qk);
        if (qk.need_sync()) qk.sync();
    }
    qk.sync();
    stopped();
}

}  // namespace iommusim
