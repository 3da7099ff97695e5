// The firmware view of a platform: which IOMMUs exist, which PCI requester
// IDs each translates, and which bypass translation. It is the one source of
// truth for both the ACPI tables (IORT / DMAR / IVRS, models/pci/acpi/) and
// the simulator's routing, so the two cannot disagree. Plain C++.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace iommusim::pci {

enum class IommuKind : uint8_t { SMMUv3, VTd, AMDVi };

struct FwIommu {
    std::string name;
    IommuKind kind = IommuKind::SMMUv3;
    uint16_t segment = 0;        // PCI segment the IOMMU serves
    uint64_t base = 0;           // register base address (MMIO)
    uint16_t rid = 0;            // AMD-Vi: the IOMMU's own PCI function (bus:dev.fn); else unused
};

// A contiguous range of buses behind one host bridge.
struct FwBusRange {
    uint16_t segment = 0;
    uint8_t bus_first = 0;
    uint8_t bus_last = 0;        // inclusive
    std::string bridge;          // host bridge id ("pcie.0", "pxb1", ...)
    int iommu = -1;              // index into iommus; -1: not translated
    bool bypass = false;         // true: bypass_iommu on this bridge (trusted, not translated)
};

// An ID mapping as IORT states it: RIDs [rid_base, rid_base + count) of a
// segment map to output IDs starting at output_base of `iommu` (an SMMU's
// StreamIDs), or, for iommu == -1, straight to the interrupt controller's
// ITS group (bypass, as QEMU's virt machine does).
struct FwIdMapping {
    uint16_t segment = 0;
    uint16_t rid_base = 0;
    uint32_t count = 0;          // number of IDs (IORT encodes count - 1)
    int iommu = -1;
    uint32_t output_base = 0;
};

struct FwDevice {
    std::string name;
    uint16_t segment = 0;
    uint16_t rid = 0;            // bus[15:8] device[7:3] function[2:0]
    int iommu = -1;              // translating IOMMU, -1 if none
    bool bypass = false;         // on a bypass_iommu bridge
};

struct FirmwareView {
    std::string oem_id = "IOMMUS";        // 6 characters in the ACPI header
    std::string oem_table_id = "IOMMUSIM";  // 8 characters
    uint32_t oem_revision = 1;
    unsigned host_address_width = 48;      // DMAR HAW + 1; IORT memory address size limit
    uint32_t its_id = 0;                   // IORT ITS group: the GIC ITS identifier
    uint64_t its_base = 0x08080000;        // ITS frame base (informational)
    std::vector<FwIommu> iommus;
    std::vector<FwBusRange> bus_ranges;    // every host bridge's bus range, translated or not
    std::vector<FwIdMapping> id_mappings;  // derived from bus_ranges (IORT root complex node)
    std::vector<FwDevice> devices;
};

}  // namespace iommusim::pci
