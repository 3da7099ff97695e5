#include "traffic/storage_generator.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/common/tlm/sc_time_util.h"
#include "traffic/generator_util.h"

using namespace sc_core;

namespace iommusim {

using gen::ns;
using gen::require;
using gen::roundup;

StorageGenerator::StorageGenerator(const sc_module_name& name, const GeneratorParams& p, RequesterId rid,
                                   uint16_t segment, uint64_t iova_base, uint64_t window, uint64_t granule,
                                   const sc_event& start)
    : HostDrivenInitiator(name, rid, segment, p.dma, "storage", "requests"),
      p_(p),
      iova_base_(iova_base),
      window_(window),
      start_(start),
      mix_(p.seed ^ 0xD1B54A32D192ED03ull) {
    const StorageParams& s = p_.storage;
    require(granule != 0 && (granule & (granule - 1)) == 0, "granule: must be a power of two");
    require(s.segment_size >= granule && s.segment_size % granule == 0,
            "segment_size: must be a multiple of the translation granule (" + std::to_string(granule) + " bytes)");
    require(s.block_size >= s.segment_size && s.block_size % s.segment_size == 0,
            "block_size: must be a multiple of segment_size (" + std::to_string(s.segment_size) + " bytes)");
    require(p_.size >= 1 && p_.size <= s.segment_size,
            "size: must be 1..segment_size (" + std::to_string(s.segment_size) + " bytes)");
    require(p_.outstanding >= 1, "outstanding: must be at least 1");
    require(p_.write_fraction >= 0 && p_.write_fraction <= 1, "write_fraction: must be within 0..1");
    require(p_.idle || s.requests > 0, "requests: must be at least 1");
    require(p_.dma.flush_batch >= 1, "flush_batch: must be at least 1");
    segs_ = s.block_size / s.segment_size;
    sg_bytes_ = roundup(uint64_t{p_.outstanding} * segs_ * 16, granule);
    const uint64_t pages = window_ > sg_bytes_ ? (window_ - sg_bytes_) / s.segment_size : 0;
    blocks_ = pages / segs_;
    require(blocks_ >= p_.outstanding,
            "block_size: the device's buffer (" + std::to_string(window_) + " bytes) holds " +
                std::to_string(blocks_) + " blocks of " + std::to_string(s.block_size) +
                " bytes after the scatter-gather lists (" + std::to_string(sg_bytes_) + " bytes); " +
                std::to_string(p_.outstanding) + " (outstanding) needed");
    perm_.resize(blocks_ * segs_);
    for (uint64_t i = 0; i < perm_.size(); ++i) perm_[i] = i;
    traffic::SplitMix64 rng(p_.seed);
    for (uint64_t i = perm_.size(); i-- > 1;) std::swap(perm_[i], perm_[rng.below(i + 1)]);
    set_slots(iova_base_ + sg_bytes_, s.block_size, blocks_);
    for (unsigned i = 0; i < p_.outstanding; ++i) {  // one thread per outstanding request: slot_0, slot_1, ...
        const std::string n = "slot_" + std::to_string(i);
        declare_thread_process(h, n.c_str(), StorageGenerator, slot);
    }
}

bool StorageGenerator::claim(Claim& c) {
    if (claimed_ >= p_.storage.requests) return false;
    if (p_.duration_ns > 0 && sc_time_stamp() >= t_start_ + sc_time(p_.duration_ns, SC_NS)) return false;
    c.index = claimed_++;
    c.write = p_.write_fraction > 0 && mix_.unit() < p_.write_fraction;
    return true;
}

void StorageGenerator::slot() {
    wait(start_);
    if (p_.idle) return;
    if (!attached_) SC_REPORT_ERROR("iommusim/storage", "attach_host() was not called before the traffic started");
    const unsigned thread = next_thread_++;
    if (running_++ == 0 && claimed_ == 0) t_start_ = sc_time_stamp();
    started();
    map_persistent(iova_base_, sg_bytes_);
    const StorageParams& s = p_.storage;
    const uint64_t sg_list = (mapper_ ? iova_base_ : buffer_pa_) + uint64_t{thread} * segs_ * 16;
    tlm_utils::tlm_quantumkeeper qk;
    qk.reset();
    std::vector<unsigned char> buf(p_.size);
    unsigned char entry[16] = {};
    uint64_t index = 0;
    Claim c{};
    for (;;) {
        qk.sync();
        if (!claim(c)) break;
        const uint64_t block = c.index % blocks_;
        // 1. driver maps the scatter-gather list to one contiguous IOVA range
        const sc_time t0 = sc_time_stamp();
        uint64_t iova = 0;
        bool mapped = false;
        if (mapper_) {
            iova = acquire(block, mapped);
            if (mapped)
                for (uint64_t g = 0; g < segs_; ++g)
                    map(iova + g * s.segment_size, segment_pa(block * segs_ + g), s.segment_size);
        }
        if (mapped) st_.map_ns.record(ns(sc_time_stamp() - t0));
        qk.reset();
        // 2. device: the SG entries, then the data segment by segment
        for (uint64_t g = 0; g < segs_; ++g) {
            Request d;
            d.index = index++;
            d.addr = sg_list + g * 16;
            d.size = 16;
            d.data = entry;
            d.pasid_valid = p_.pasid_valid;
            d.pasid = p_.pasid;
            issue(d, qk, false);
            if (qk.need_sync()) qk.sync();
        }
        for (uint64_t g = 0; g < segs_; ++g) {
            const uint64_t base = mapper_ ? iova + g * s.segment_size : segment_pa(block * segs_ + g);
            for (uint64_t off = 0; off < s.segment_size; off += buf.size()) {
                Request x;
                x.index = index++;
                x.addr = base + off;
                x.size = static_cast<uint32_t>(std::min<uint64_t>(buf.size(), s.segment_size - off));
                x.write = c.write;
                x.pasid_valid = p_.pasid_valid;
                x.pasid = p_.pasid;
                if (x.write)
                    for (uint32_t j = 0; j < x.size; ++j) buf[j] = payload_byte(c.index, g * s.segment_size + off + j);
                x.data = buf.data();
                issue(x, qk);
                if (qk.need_sync()) qk.sync();
            }
        }
        qk.sync();
        // 3. driver unmaps the whole range
        const sc_time t2 = sc_time_stamp();
        if (mapper_ && p_.dma.unmap_policy != UnmapPolicy::None) {
            release(iova);
            st_.unmap_ns.record(ns(sc_time_stamp() - t2));
        }
        st_.latency_ns.record(ns(sc_time_stamp() - t0));
        st_.units++;
    }
    if (--running_ == 0) drain();
    stopped();
}

}  // namespace iommusim
