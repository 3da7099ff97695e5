// The host software's DMA-mapping side, as a traffic generator sees it: the
// operating system maps a buffer for a device before the device uses it and
// unmaps it afterwards (Linux dma_map_single / dma_unmap_single through the
// IOMMU driver). Each vendor's host-software helper implements it (for
// SMMUv3: models/smmuv3/smmuv3_mapper.h over Smmuv3Driver), so the cost of
// invalidations is simulated through registers, command queue and memory,
// not assumed. Calls that invalidate wait for simulated time: call them from
// an SC_THREAD, with the caller's quantum keeper synchronised first.
#pragma once

#include <cstdint>

namespace iommusim {

class HostMapper {
public:
    virtual ~HostMapper() = default;
    // Maps [iova, iova + size) to [pa, pa + size) for the device (read and
    // write), with leaves no larger than page_size(). False on failure.
    virtual bool map(uint64_t iova, uint64_t pa, uint64_t size) = 0;
    // Removes the mapping. strict: invalidate every page now and wait for the
    // IOMMU to complete it (CMD_SYNC); otherwise only the page-table entries
    // are cleared and the caller must flush() before reusing the IOVA range.
    virtual void unmap(uint64_t iova, uint64_t size, bool strict) = 0;
    // Invalidates everything this device's domain may cache and waits for it
    // (the deferred policy's flush-queue drain).
    virtual void flush() = 0;
    // The mapping granularity (the device's page_size).
    virtual uint64_t page_size() const = 0;
    // Commands the IOMMU driver issued for this mapper's unmaps and flushes:
    // invalidations (TLBI) and completion waits (CMD_SYNC). 0 if not known.
    virtual uint64_t invalidation_commands() const { return 0; }
    virtual uint64_t sync_commands() const { return 0; }
};

}  // namespace iommusim
