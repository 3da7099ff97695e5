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
    // The output address of the transaction's first byte when it reached
    // memory, and whether it was translated (false: bypass / no IOMMU).
    bool translated = false;
    uint64_t output_addr = 0;
    // The architected fault or error the IOMMU recorded for it (e.g.
    // "F_TRANSLATION", "C_BAD_STE"), "ABORT" for a silent abort, or nullptr.
    const char* fault = nullptr;

    tlm_extension_base* clone() const override { return new DmaExtension(*this); }
    void copy_from(const tlm_extension_base& other) override {
        *this = static_cast<const DmaExtension&>(other);
    }
};

}  // namespace iommusim
