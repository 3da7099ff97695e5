// HostMapper (models/common/host_mapper.h) for the SMMUv3: one device's translation
// domain through the host-software driver (models/smmuv3/smmuv3_driver.h).
//   map    -> Smmuv3Driver::map (page-table stores through the memory
//             backdoor: no simulated time)
//   unmap  -> Smmuv3Driver::unmap (strict: TLBI by VA per page, or by
//             ASID/VMID beyond 64 pages, + CMD_SYNC, polled: simulated time)
//   flush  -> Smmuv3Driver::flush_domain (TLBI_NH_ASID or TLBI_S12_VMALL + CMD_SYNC)
// Unmap and flush wait for simulated time: call them from an SC_THREAD.
#pragma once

#include <cstdint>

#include "models/common/host_mapper.h"
#include "models/smmuv3/smmuv3_driver.h"

namespace iommusim {

class Smmuv3Mapper : public HostMapper {
public:
    Smmuv3Mapper(smmuv3::Smmuv3Driver& drv, smmuv3::Smmuv3Driver::Domain* domain, uint64_t page_size)
        : drv_(drv), dom_(domain), page_size_(page_size) {}

    bool map(uint64_t iova, uint64_t pa, uint64_t size) override;
    void unmap(uint64_t iova, uint64_t size, bool strict) override;
    void flush() override;
    uint64_t page_size() const override { return page_size_; }
    // Counted per domain by the driver, so other devices' commands on the
    // same SMMU are not included.
    uint64_t invalidation_commands() const override { return dom_->tlbi_cmds; }
    uint64_t sync_commands() const override { return dom_->sync_cmds; }

    smmuv3::Smmuv3Driver::Domain* domain() const { return dom_; }

private:
    smmuv3::Smmuv3Driver& drv_;
    smmuv3::Smmuv3Driver::Domain* dom_;
    uint64_t page_size_;
};

}  // namespace iommusim
