// pattern: storage — block I/O with scatter-gather lists, with the host
// driver in the loop (host_driven.h: IOVA allocation, map/unmap through the
// HostMapper, unmap policies strict / deferred / none).
//
// Layout of the device's buffer (physical region buffer_pa, IOVA window
// [iova, iova + window)), with g = the translation granule,
// S = block_size / segment_size segments per request, O = outstanding:
//   SG lists: O lists of S 16-byte entries at the start,
//             sg_bytes = roundup(O * S * 16, g); list t (thread t) at
//             offset t * S * 16; mapped once at IOVA iova -> buffer_pa when
//             the traffic starts, never unmapped.
//   data:     P = (window - sg_bytes) / segment_size physical segments
//             after the SG lists; the "disk" holds B = P / S blocks (at
//             least O, else std::invalid_argument "block_size: ..."), whose
//             B * S logical segments are scattered over the first B * S
//             physical segments by a seeded permutation perm:
//               perm = identity; rng = SplitMix64(seed) (pattern/rng.h);
//               for i = B*S-1 down to 1: swap(perm[i], perm[rng.below(i+1)])
//             logical segment L lives at
//             buffer_pa + sg_bytes + perm[L] * segment_size.
//   IOVAs:    B slots of block_size at iova + sg_bytes (host_driven.h).
//
// Request r (r = 0, 1, ... handed out in order to whichever thread asks)
// covers block r mod B: logical segments (r mod B) * S + s, s in [0, S).
// It DMA-writes memory (a disk read) when mix.unit() < write_fraction, with
// mix = SplitMix64(seed ^ 0xD1B54A32D192ED03) drawn once per request in
// order; otherwise it DMA-reads memory (a disk write).
// `outstanding` SC_THREADs each handle whole requests:
//   1. driver: allocates one IOVA slot (block_size, contiguous) and maps
//      segment s at slot + s * segment_size to its physical segment: S
//      map calls (as Linux's iommu dma_map_sg maps a scattered list to one
//      contiguous IOVA range). none: slot = block, mapped at first use only.
//   2. device: reads the S SG entries of its thread's list (16-byte DMA
//      reads, descriptor accesses), then transfers segment after segment in
//      ceil(segment_size / size) DMAs of `size` bytes (size <= segment_size).
//      Written payload byte j of the block of request r is payload_byte(r, j).
//   3. driver: unmaps the whole block range in one call by the policy.
// Stops after `requests` or at the first request claimed at or after
// start + duration_ns. Deferred: what is still queued when the last thread
// ends is flushed then. Untranslated device (no HostMapper): each segment is
// transferred at its physical address; nothing is mapped or unmapped.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

#include "traffic/dma_generator.h"
#include "traffic/host_driven.h"
#include "traffic/pattern/rng.h"

namespace iommusim {

class StorageGenerator : public HostDrivenInitiator {
public:
    SC_HAS_PROCESS(StorageGenerator);
    // p.storage, p.dma, p.size, p.write_fraction, p.seed, p.outstanding,
    // p.duration_ns, p.pasid*, p.idle are used. Throws std::invalid_argument
    // (message starts with the parameter's name).
    StorageGenerator(const sc_core::sc_module_name& name, const GeneratorParams& p, RequesterId rid,
                     uint16_t segment, uint64_t iova_base, uint64_t window, uint64_t granule,
                     const sc_core::sc_event& start);

    uint64_t sg_bytes() const { return sg_bytes_; }
    uint64_t blocks() const { return blocks_; }
    uint64_t segments_per_request() const { return segs_; }
    // Physical segment index of logical segment L (perm[L]) and its address.
    uint64_t physical_segment(uint64_t logical) const { return perm_.at(logical); }
    uint64_t segment_pa(uint64_t logical) const {
        return buffer_pa_ + sg_bytes_ + perm_.at(logical) * p_.storage.segment_size;
    }
    const GeneratorParams& params() const { return p_; }

private:
    struct Claim {
        uint64_t index;
        bool write;
    };
    void slot();
    bool claim(Claim& c);

    GeneratorParams p_;
    uint64_t iova_base_, window_;
    const sc_core::sc_event& start_;
    uint64_t segs_ = 0, sg_bytes_ = 0, blocks_ = 0;
    std::vector<uint64_t> perm_;
    traffic::SplitMix64 mix_;
    uint64_t claimed_ = 0;
    unsigned next_thread_ = 0, running_ = 0;
    sc_core::sc_time t_start_;
};

}  // namespace iommusim
