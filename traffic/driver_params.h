// Parameters of the driver-in-the-loop generators (ring_generator.h,
// storage_generator.h): how the host driver unmaps (Linux's invalidation
// policies) and the shape of each workload. Plain data, no SystemC; the YAML
// schema is in docs/traffic.md (## ring, ## storage).
#pragma once

#include <cstdint>
#include <string>

namespace iommusim {

// What the driver does when a device is done with a buffer.
//   strict:   unmap and invalidate every page now, waiting for the IOMMU
//             (CMD_SYNC) — Linux iommu.strict=1.
//   deferred: clear the page-table entries only and queue the IOVA; a
//             domain-wide invalidation drains the queue when it is full or
//             its oldest entry is too old, and only then are the IOVAs
//             reused — Linux's IOVA flush queue (iommu.strict=0, "lazy").
//   none:     map each buffer once at first use and never unmap it
//             (persistent mappings; no invalidation at all).
enum class UnmapPolicy { Strict, Deferred, None };

inline const char* unmap_policy_name(UnmapPolicy p) {
    return p == UnmapPolicy::Strict ? "strict" : p == UnmapPolicy::Deferred ? "deferred" : "none";
}
inline bool parse_unmap_policy(const std::string& s, UnmapPolicy& out) {
    if (s == "strict") out = UnmapPolicy::Strict;
    else if (s == "deferred") out = UnmapPolicy::Deferred;
    else if (s == "none") out = UnmapPolicy::None;
    else return false;
    return true;
}

struct DriverDmaParams {
    UnmapPolicy unmap_policy = UnmapPolicy::Strict;
    uint64_t flush_batch = 256;     // deferred: flush when the queue holds this many entries (Linux IOVA_FQ_SIZE)
    double flush_timeout_ns = 1e7;  // deferred: ... or its oldest entry is this old (Linux IOVA_FQ_TIMEOUT, 10 ms)
};

// pattern: ring (a NIC's descriptor ring).
struct RingParams {
    uint64_t packets = 1000;        // packets to transfer
    uint32_t packet_size = 1500;    // bytes per packet
    uint32_t ring_entries = 256;    // 16-byte descriptors in the ring
    bool tx = false;                // false: rx (device writes packets), true: tx (device reads them)
    double packet_gap_ns = 0;       // driver think time between packets
};

// pattern: storage (block I/O with scatter-gather lists).
struct StorageParams {
    uint64_t requests = 100;                  // I/O requests
    uint64_t block_size = uint64_t{128} << 10; // bytes per request
    uint64_t segment_size = 4096;             // bytes per scatter-gather segment (one physical page run)
};

}  // namespace iommusim
