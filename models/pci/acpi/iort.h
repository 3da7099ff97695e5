// IORT (IO Remapping Table), Arm DEN 0049E.b — the revision QEMU's virt
// machine emits (hw/arm/virt-acpi-build.c build_iort(): table revision 3,
// ITS group node revision 1, SMMUv3 node revision 4, root complex node
// revision 3). Built from the FirmwareView:
//
//   ITS group (one ITS, FirmwareView::its_id)          node offset 48
//   SMMUv3 node per FwIommu of kind SMMUv3             (FirmwareView::iommus order)
//   PCI root complex node per segment with bus ranges  (ascending segment)
//
// Root complex ID mappings are FirmwareView::id_mappings of that segment,
// ascending by rid_base: iommu >= 0 -> that SMMUv3 node (output base =
// StreamID base), iommu == -1 -> straight to the ITS group (bypass_iommu
// buses, as QEMU does). Each SMMUv3 node carries QEMU's single ID mapping:
// its StreamID space, identity, to the ITS group (so MSIs of the devices it
// translates reach the ITS). The SMMU's own interrupts are not described:
// the FirmwareView has no GSIVs, so the four GSIV fields are 0 and the
// DeviceID-mapping-index-valid flag is clear.
//
// Mappings of a segment without bus ranges have no root complex node and
// are left out.
// "Number of IDs" is written as the spec defines it, count - 1. (QEMU writes
// the count itself; the spec and Linux's iort_id_map() read it as count - 1.)
// Throws std::invalid_argument for a mapping that names a missing or
// non-SMMUv3 IOMMU, or has count 0.
// Plain C++.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/pci/firmware_view.h"

namespace iommusim::pci::acpi {

std::vector<uint8_t> build_iort(const FirmwareView& view);

// Byte offsets and values from DEN 0049E.b.
namespace iort {
inline constexpr uint8_t kTableRevision = 3;

// Table 2 "IORT": after the 36-byte header.
inline constexpr size_t kNodeCount = 36;       // u32
inline constexpr size_t kNodeArrayOffset = 40;  // u32
inline constexpr size_t kReserved = 44;        // u32
inline constexpr size_t kNodesStart = 48;

// Table 3 "IORT node" common header, offsets within a node.
inline constexpr size_t kNodeType = 0;          // u8
inline constexpr size_t kNodeLength = 1;        // u16
inline constexpr size_t kNodeRevision = 3;      // u8
inline constexpr size_t kNodeIdentifier = 4;    // u32, unique among nodes
inline constexpr size_t kNodeMappingCount = 8;  // u32
inline constexpr size_t kNodeMappingOffset = 12;  // u32, from the node start
inline constexpr size_t kNodeHeaderSize = 16;

enum NodeType : uint8_t {
    kItsGroup = 0,
    kNamedComponent = 1,
    kRootComplex = 2,
    kSmmuV1V2 = 3,
    kSmmuV3 = 4,
    kPmcg = 5,
    kRmr = 6,
};

// Table 4 "ID mapping format", offsets within one mapping.
inline constexpr size_t kMapInputBase = 0;   // u32
inline constexpr size_t kMapIdCount = 4;     // u32: number of IDs minus one
inline constexpr size_t kMapOutputBase = 8;  // u32
inline constexpr size_t kMapOutputRef = 12;  // u32: table offset of the output node
inline constexpr size_t kMapFlags = 16;      // u32
inline constexpr size_t kMapSize = 20;
inline constexpr uint32_t kMapFlagSingle = 1u << 0;

// Table 12 "ITS group node".
inline constexpr uint8_t kItsRevision = 1;
inline constexpr size_t kItsCount = 16;   // u32
inline constexpr size_t kItsIds = 20;     // u32[count]: GIC ITS identifiers (MADT)

// Table 9 "SMMUv3 node".
inline constexpr uint8_t kSmmuV3Revision = 4;
inline constexpr size_t kSmmuBase = 16;            // u64
inline constexpr size_t kSmmuFlags = 24;           // u32
inline constexpr size_t kSmmuReserved = 28;        // u32
inline constexpr size_t kSmmuVatos = 32;           // u64
inline constexpr size_t kSmmuModel = 40;           // u32
inline constexpr size_t kSmmuEventGsiv = 44;       // u32
inline constexpr size_t kSmmuPriGsiv = 48;         // u32
inline constexpr size_t kSmmuGerrGsiv = 52;        // u32
inline constexpr size_t kSmmuSyncGsiv = 56;        // u32
inline constexpr size_t kSmmuProximity = 60;       // u32
inline constexpr size_t kSmmuDeviceIdIndex = 64;   // u32
inline constexpr size_t kSmmuV3Size = 68;          // mappings follow
inline constexpr uint32_t kSmmuFlagCohaccOverride = 1u << 0;
inline constexpr uint32_t kSmmuFlagHttuMask = 3u << 1;
inline constexpr uint32_t kSmmuFlagProximityValid = 1u << 3;
inline constexpr uint32_t kSmmuFlagDeviceIdValid = 1u << 4;
inline constexpr uint32_t kSmmuModelGeneric = 0;

// Table 17 "Root complex node" (revision 3); Table 14 memory access properties.
inline constexpr uint8_t kRcRevision = 3;
inline constexpr size_t kRcCca = 16;          // u32 cache coherent attribute
inline constexpr size_t kRcAllocHints = 20;   // u8
inline constexpr size_t kRcMapReserved = 21;  // u16
inline constexpr size_t kRcMemFlags = 23;     // u8 (Table 15)
inline constexpr size_t kRcAts = 24;          // u32
inline constexpr size_t kRcSegment = 28;      // u32
inline constexpr size_t kRcMemAddrLimit = 32; // u8, bits
inline constexpr size_t kRcReserved = 33;     // u8[3]
inline constexpr size_t kRcReservedLen = 3;
inline constexpr size_t kRcSize = 36;         // mappings follow
inline constexpr uint32_t kCcaCoherent = 1;
inline constexpr uint8_t kMemFlagCpm = 1u << 0;   // coherent path to memory
inline constexpr uint8_t kMemFlagDacs = 1u << 1;  // device attributes are cacheable, inner shareable
}  // namespace iort

}  // namespace iommusim::pci::acpi
