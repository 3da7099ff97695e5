// IVRS (I/O Virtualization Reporting Structure), AMD I/O Virtualization
// Technology (IOMMU) Specification 48882 (rev. 3.x) §5.2, table revision 1:
// fixed-length IVHD blocks (type 10h) only, as QEMU's build_amd_iommu() did
// until QEMU 8.2. No type 11h block: the FirmwareView carries no Extended
// Feature Register image, which is what 11h adds, and Linux and Windows take
// 10h alone. Built from the FirmwareView:
//
//   IVinfo: PASize = host_address_width (bits 14:8); VASize, GVASize and
//   EFRSup 0, as QEMU.
//
//   One IVHD 10h per FwIommu of kind AMDVi: IOMMU DeviceID = its rid,
//   capability offset (see below), base address, PCI segment group,
//   flags HtTunEn | IotlbSup (the flags QEMU sets on every IVHD type),
//   IOMMU info and feature reporting 0 (QEMU's value truncates to
//   GTSup | GASup, guest features the simulator does not model).
//
//   Device entries, following QEMU's insert_ivhd() walk of the host bridges
//   that do not bypass (bypassing bridges get no entry):
//   - when the IOMMU's segment has bus ranges and every one is translated by
//     this IOMMU (nothing bypasses): one ALL entry (type 1), as DMAR's
//     INCLUDE_PCI_ALL and QEMU's fallback;
//   - otherwise, per bus range this IOMMU translates (root bus R, last L):
//     a Select entry (type 2) per FwDevice on R, and — QEMU's leaf-bus form —
//     Start of Range (type 3) (R+1):00.0 + End of Range (type 4) L:1f.7
//     covering every bus below the root bus when L > R.
//   Data setting (DTE bits) 0 on every entry.
//
// What the FirmwareView lacks, and the default used instead: the IOMMU's
// capability offset in its PCI config space — 0x40, where QEMU's amd-iommu
// PCI function places its (first) capability.
// Throws std::invalid_argument if a bus range names a missing IOMMU.
// Plain C++.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/pci/firmware_view.h"

namespace iommusim::pci::acpi {

std::vector<uint8_t> build_ivrs(const FirmwareView& view);

// Byte offsets and values from AMD 48882 §5.2.
namespace ivrs {
inline constexpr uint8_t kTableRevision = 1;
inline constexpr uint16_t kDefaultCapabilityOffset = 0x40;

// IVRS header fields after the 36-byte header.
inline constexpr size_t kIvInfo = 36;    // u32
inline constexpr size_t kReserved = 40;  // u64
inline constexpr size_t kBlocksStart = 48;
inline constexpr uint32_t kInfoEfrSup = 1u << 0;
inline constexpr unsigned kInfoGvaSizeShift = 5;   // bits 7:5
inline constexpr uint32_t kInfoGvaSizeMask = 0x7;
inline constexpr unsigned kInfoPaSizeShift = 8;    // bits 14:8
inline constexpr unsigned kInfoVaSizeShift = 15;   // bits 21:15
inline constexpr uint32_t kInfoSizeMask = 0x7f;    // PASize / VASize width
inline constexpr uint32_t kInfoHtAtsResv = 1u << 22;

// IVHD (I/O Virtualization Hardware Definition), type 10h.
inline constexpr uint8_t kIvhdType10 = 0x10;
inline constexpr uint8_t kIvhdType11 = 0x11;
inline constexpr uint8_t kIvhdType40 = 0x40;
inline constexpr size_t kIvhdType = 0;         // u8
inline constexpr size_t kIvhdFlags = 1;        // u8
inline constexpr size_t kIvhdLength = 2;       // u16
inline constexpr size_t kIvhdDeviceId = 4;     // u16: the IOMMU's own bus:dev.fn
inline constexpr size_t kIvhdCapOffset = 6;    // u16
inline constexpr size_t kIvhdBase = 8;         // u64
inline constexpr size_t kIvhdSegment = 16;     // u16
inline constexpr size_t kIvhdInfo = 18;        // u16: MSI number, UnitID
inline constexpr size_t kIvhdFeatures = 20;    // u32 (type 10h: IOMMU Feature Reporting)
inline constexpr size_t kIvhd10Size = 24;      // device entries follow
inline constexpr size_t kIvhd11Size = 40;
inline constexpr uint8_t kIvhdFlagHtTunEn = 1u << 0;
inline constexpr uint8_t kIvhdFlagPassPw = 1u << 1;
inline constexpr uint8_t kIvhdFlagResPassPw = 1u << 2;
inline constexpr uint8_t kIvhdFlagIsoc = 1u << 3;
inline constexpr uint8_t kIvhdFlagIotlbSup = 1u << 4;
inline constexpr uint8_t kIvhdFlagCoherent = 1u << 5;
inline constexpr uint8_t kIvhdFlagPrefSup = 1u << 6;
inline constexpr uint8_t kIvhdFlagPprSup = 1u << 7;

// IVMD blocks (not emitted; named for the dumper).
inline constexpr uint8_t kIvmdAll = 0x20;
inline constexpr uint8_t kIvmdSelect = 0x21;
inline constexpr uint8_t kIvmdRange = 0x22;

// 4-byte IVHD device entries. Types 40h-7Fh are 8 bytes; the top two type
// bits give the size class.
inline constexpr size_t kEntryType = 0;      // u8
inline constexpr size_t kEntryDeviceId = 1;  // u16
inline constexpr size_t kEntryData = 3;      // u8: DTE setting
inline constexpr size_t kEntry4Size = 4;
inline constexpr size_t kEntry8Size = 8;
enum EntryType : uint8_t {
    kEntryPad4 = 0,
    kEntryAll = 1,
    kEntrySelect = 2,
    kEntryStartRange = 3,
    kEntryEndRange = 4,
    kEntryPad8 = 0x40,
    kEntryAliasSelect = 0x42,
    kEntryAliasStartRange = 0x43,
    kEntryExtSelect = 0x46,
    kEntryExtStartRange = 0x47,
    kEntrySpecial = 0x48,
    kEntryAcpiHid = 0xf0,
};
}  // namespace ivrs

}  // namespace iommusim::pci::acpi
