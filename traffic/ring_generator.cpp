#include "traffic/ring_generator.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/common/tlm/sc_time_util.h"
#include "traffic/generator_util.h"

using namespace sc_core;

namespace iommusim {

using gen::ns;
using gen::require;
using gen::roundup;

RingGenerator::RingGenerator(const sc_module_name& name, const GeneratorParams& p, RequesterId rid,
                             uint16_t segment, uint64_t iova_base, uint64_t window, uint64_t granule,
                             const sc_event& start)
    : HostDrivenInitiator(name, rid, segment, p.dma, "ring", "packets"),
      p_(p),
      iova_base_(iova_base),
      window_(window),
      start_(start) {
    const RingParams& r = p_.ring;
    require(granule != 0 && (granule & (granule - 1)) == 0, "granule: must be a power of two");
    require(r.packet_size >= 1, "packet_size: must be at least 1 byte");
    require(p_.size >= 1, "size: must be at least 1 byte");
    require(r.ring_entries >= 1, "ring_entries: must be at least 1");
    require(p_.idle || r.packets > 0, "packets: must be at least 1");
    require(p_.dma.flush_batch >= 1, "flush_batch: must be at least 1");
    ring_bytes_ = roundup(uint64_t{r.ring_entries} * 16, granule);
    const uint64_t slot = roundup(r.packet_size, granule);
    nbufs_ = window_ > ring_bytes_ ? (window_ - ring_bytes_) / slot : 0;
    require(nbufs_ >= 1, "packet_size: the device's buffer (" + std::to_string(window_) +
                             " bytes) holds no packet buffer (" + std::to_string(slot) + " bytes) after the ring (" +
                             std::to_string(ring_bytes_) + " bytes)");
    set_slots(iova_base_ + ring_bytes_, slot, nbufs_);
    SC_THREAD(run);
}

void RingGenerator::run() {
    wait(start_);
    if (p_.idle) return;
    if (!attached_) SC_REPORT_ERROR("iommusim/ring", "attach_host() was not called before the traffic started");
    const RingParams& r = p_.ring;
    started();
    map_persistent(iova_base_, ring_bytes_);
    const uint64_t ring_addr = mapper_ ? iova_base_ : buffer_pa_;
    const sc_time t_start = sc_time_stamp();
    const sc_time gap(r.packet_gap_ns, SC_NS);
    tlm_utils::tlm_quantumkeeper qk;
    qk.reset();
    std::vector<unsigned char> buf(std::min<uint64_t>(p_.size, r.packet_size));
    unsigned char desc[16];
    uint64_t index = 0;  // DMA issue order
    for (uint64_t k = 0; k < r.packets; ++k) {
        qk.sync();
        if (p_.duration_ns > 0 && sc_time_stamp() >= t_start + sc_time(p_.duration_ns, SC_NS)) break;
        // 1. driver maps the packet buffer
        const sc_time t0 = sc_time_stamp();
        const uint64_t b = k % nbufs_;
        const uint64_t pa = buffer_pa_of(b);
        uint64_t addr = pa;
        bool mapped = false;
        if (mapper_) {
            addr = acquire(b, mapped);
            if (mapped) map(addr, pa, slot_bytes());
        }
        if (mapped) st_.map_ns.record(ns(sc_time_stamp() - t0));
        qk.reset();
        // 2. device: descriptor, packet, write-back
        Request d;
        d.size = 16;
        d.pasid_valid = p_.pasid_valid;
        d.pasid = p_.pasid;
        d.addr = ring_addr + (k % r.ring_entries) * 16;
        d.data = desc;
        d.index = index++;
        issue(d, qk, false);
        if (qk.need_sync()) qk.sync();
        for (uint64_t off = 0; off < r.packet_size; off += buf.size()) {
            Request x;
            x.index = index++;
            x.addr = addr + off;
            x.size = static_cast<uint32_t>(std::min<uint64_t>(buf.size(), r.packet_size - off));
            x.write = !r.tx;
            x.pasid_valid = p_.pasid_valid;
            x.pasid = p_.pasid;
            if (x.write)
                for (uint32_t j = 0; j < x.size; ++j) buf[j] = payload_byte(k, off + j);
            x.data = buf.data();
            issue(x, qk);
            if (qk.need_sync()) qk.sync();
        }
        const uint32_t len = r.packet_size, status = 1;
        std::memcpy(desc, &addr, 8);
        std::memcpy(desc + 8, &len, 4);
        std::memcpy(desc + 12, &status, 4);
        d.write = true;
        d.index = index++;
        issue(d, qk, false);
        if (qk.need_sync()) qk.sync();
        qk.sync();
        // 3. driver unmaps
        const sc_time t2 = sc_time_stamp();
        if (mapper_ && p_.dma.unmap_policy != UnmapPolicy::None) {
            release(addr);
            st_.unmap_ns.record(ns(sc_time_stamp() - t2));
        }
        st_.latency_ns.record(ns(sc_time_stamp() - t0));
        st_.units++;
        if (gap > SC_ZERO_TIME) wait(gap);
    }
    drain();
    stopped();
}

}  // namespace iommusim
