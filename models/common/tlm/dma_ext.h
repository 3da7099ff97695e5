// DMA attributes carried by every upstream transaction (TLM-2.0 extension).
//
// The PCI requester ID (bus/device/function) and segment identify the
// function; the IOMMU maps them to its own StreamID / source-id / DeviceID.
// PASID is the PCIe Process Address Space ID (SMMUv3 SubstreamID).
#pragma once

#include <cstdint>
#include <string>

#include <tlm>

#include "models/common/requester_id.h"

namespace iommusim {

class DmaExtension : public tlm::tlm_extension<DmaExtension> {
public:
    uint16_t segment = 0;
    RequesterId rid;
    bool pasid_valid = false;
    uint32_t pasid = 0;
    bool privileged = false;
    bool instruction = false;
    // Filled in by the IOMMU for the initiator's measurements.
    uint64_t translation_ps = 0;  // time spent in translation
    bool faulted = false;

    tlm_extension_base* clone() const override { return new DmaExtension(*this); }
    void copy_from(const tlm_extension_base& other) override {
        *this = static_cast<const DmaExtension&>(other);
    }
};

}  // namespace iommusim
