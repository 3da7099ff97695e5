// DMAR (DMA Remapping Reporting table), Intel VT-d Architecture
// Specification rev. 3.3 ch. 8 (the revision QEMU's build_dmar_q35() cites),
// table revision 1. Built from the FirmwareView:
//
//   Host Address Width = host_address_width - 1; Flags = 0 (no interrupt
//   remapping: the FirmwareView describes DMA translation only, no IOAPIC).
//
//   One DRHD per FwIommu of kind VTd (register base, segment). Its flags:
//   - INCLUDE_PCI_ALL when its segment has bus ranges and every one of them
//     is translated by this unit (iommu == unit, bypass == false): no scopes.
//     Such DRHDs are listed after the other DRHDs (VT-d 8.3: the
//     INCLUDE_PCI_ALL unit of a segment comes last).
//   - otherwise 0, with explicit device scopes for the bus ranges this unit
//     translates, shaped as QEMU's build_dmar_q35() shapes them since
//     bypass_iommu: one scope per function on the root bus of each host
//     bridge that does not bypass, Start Bus = that root bus, a one-entry
//     path {device, function}; a PCI endpoint scope (type 1) for an
//     endpoint, a PCI sub-hierarchy scope (type 2) for a bridge, which
//     covers everything below it. Bypassing host bridges get no scope.
//
// What the FirmwareView lacks, and the documented default used instead:
// FwDevice has no path from its host bridge's root bus and no "is a bridge".
// A device on the root bus R of a translated range is an endpoint scope. A
// device on a secondary bus B (R < B <= bus_last) is reached through a
// downstream port on R, assumed at device (B-R-1) % 32, function
// (B-R-1) / 32 — port k of the bridge owns bus R+1+k, the layout of
// "-device pcie-root-port,bus=<bridge>,addr=k" with leaf buses, numbered
// depth-first as firmware does — and that port is listed once as a
// sub-hierarchy scope (a root-bus endpoint at the same device.function is
// folded into it).
// Throws std::invalid_argument if a bus range names a missing IOMMU.
// Plain C++.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/pci/firmware_view.h"

namespace iommusim::pci::acpi {

std::vector<uint8_t> build_dmar(const FirmwareView& view);

// Byte offsets and values from VT-d rev. 3.3 ch. 8.
namespace dmar {
inline constexpr uint8_t kTableRevision = 1;

// 8.1 DMA Remapping Reporting Structure, after the 36-byte header.
inline constexpr size_t kHostAddressWidth = 36;  // u8: width - 1
inline constexpr size_t kFlags = 37;             // u8
inline constexpr size_t kReserved = 38;          // u8[10]
inline constexpr size_t kReservedLen = 10;
inline constexpr size_t kStructuresStart = 48;
inline constexpr uint8_t kFlagIntrRemap = 1u << 0;
inline constexpr uint8_t kFlagX2apicOptOut = 1u << 1;
inline constexpr uint8_t kFlagDmaCtrlPlatformOptIn = 1u << 2;

// Remapping structure header (every structure).
inline constexpr size_t kStructType = 0;    // u16
inline constexpr size_t kStructLength = 2;  // u16
enum StructType : uint16_t {
    kDrhd = 0,
    kRmrr = 1,
    kAtsr = 2,
    kRhsa = 3,
    kAndd = 4,
    kSatc = 5,
};

// 8.3 DMA Remapping Hardware Unit Definition.
inline constexpr size_t kDrhdFlags = 4;     // u8
inline constexpr size_t kDrhdSize = 5;      // u8: register set is 2^N 4 KiB pages
inline constexpr size_t kDrhdSegment = 6;   // u16
inline constexpr size_t kDrhdBase = 8;      // u64
inline constexpr size_t kDrhdScopes = 16;   // device scopes follow
inline constexpr uint8_t kDrhdIncludePciAll = 1u << 0;

// 8.3.1 Device Scope.
inline constexpr size_t kScopeType = 0;       // u8
inline constexpr size_t kScopeLength = 1;     // u8
inline constexpr size_t kScopeReserved = 2;   // u16
inline constexpr size_t kScopeEnumId = 4;     // u8
inline constexpr size_t kScopeStartBus = 5;   // u8
inline constexpr size_t kScopePath = 6;       // {u8 device, u8 function} per hop
inline constexpr size_t kScopePathEntry = 2;
inline constexpr size_t kPathDevice = 0;      // within a path entry
inline constexpr size_t kPathFunction = 1;
enum ScopeType : uint8_t {
    kScopeEndpoint = 1,
    kScopeSubHierarchy = 2,
    kScopeIoapic = 3,
    kScopeHpet = 4,
    kScopeNamespace = 5,
};
}  // namespace dmar

}  // namespace iommusim::pci::acpi
